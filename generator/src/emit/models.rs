//! `src/models.rs`: one Rust type per named schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, describe, doc_attrs, doc_attrs_or, paragraphs};
use super::format::{Piece, piece};
use super::operations::{arg_type, convert, is_stored_as_given};
use super::{feature_cfg, feature_names, features_of, ident, type_tokens};
use crate::config::SerdeDerives;
use crate::model::{
    Api, Field, GroupReach, Presence, TypeDef, TypeKind, TypeRef, UnionVariant, Usage, Variant,
};

/// What `models.rs` imports: schema types avoid these names.
pub const IMPORTS: &[&str] = &["Deserialize", "Serialize"];

/// The variant every string enum and union has besides the spec's.
pub const ENUM_MEMBERS: &[&str] = &["Unknown"];

/// The file's pieces: its header, then one per type (see [`super::format`]).
pub fn models_rs(api: &Api, derives: SerdeDerives) -> Vec<Piece<'_>> {
    // Decided once for all types, so each piece carries only its own answer.
    let usage = Usage::of(api);
    let serde_of = |def: &TypeDef| match derives {
        SerdeDerives::ByDirection => Serde::of(def, &usage),
        SerdeDerives::Both => Serde {
            serialize: true,
            deserialize: true,
        },
    };
    // Newtypes derive serde's traits by name, and unions with a discriminator implement
    // `Deserialize` by hand; structs, the other unions' decoding and every union's encoding
    // (the runtime's macros), enums and aliases name neither.
    let uses = |trait_: fn(Serde) -> bool, tagged_unions: bool| {
        api.types
            .iter()
            .filter(|def| def.same_as.is_none())
            .any(|def| {
                let named = match &def.kind {
                    TypeKind::Newtype(_) => true,
                    TypeKind::Union { discriminator, .. } => {
                        tagged_unions && discriminator.is_some()
                    }
                    TypeKind::Struct { .. } | TypeKind::Enum { .. } | TypeKind::Alias(_) => false,
                };
                named && trait_(serde_of(def))
            })
    };
    let imported: Vec<&str> = IMPORTS
        .iter()
        .copied()
        .filter(|name| match *name {
            "Serialize" => uses(|s| s.serialize, false),
            _ => uses(|s| s.deserialize, true),
        })
        .collect();
    let header = piece(move || {
        let imports = (!imported.is_empty()).then(|| {
            let names = imported.iter().map(|name| ident(name));
            quote!(
                // Unused when the enabled features leave out every type that derives them.
                #[allow(unused_imports)]
                use serde::{#(#names),*};
            )
        });
        quote! {
            //! Request and response bodies: one type per schema of the spec.
            //!
            //! Optional fields are `Option`s and are left out of requests when `None`. String enums
            //! are open: a value this SDK does not know decodes into `Unknown` instead of failing.
            //! They compare, hash and sort by their wire value, so `Unknown("x")` equals the known
            //! variant whose value is `x`.
            //!
            //! Enums, unions and the structs you never build yourself (replies) are
            //! `#[non_exhaustive]`, so a later version of the API may add variants and fields
            //! without breaking your code: match them with a `_` arm, and read replies' fields.

            // The serde impls touch deprecated fields; only users' code should be warned.
            #![allow(deprecated)]

            #imports
        }
    });
    let reach = GroupReach::of(api);
    let feature_names = feature_names(api);
    std::iter::once(header)
        .chain(api.types.iter().map(|def| {
            let built = Built {
                non_exhaustive: usage.non_exhaustive(def),
                by_caller: usage.caller_built(&def.name),
                sent: usage.sent(&def.name),
            };
            let serde = serde_of(def);
            let features = features_of(&feature_names, reach.type_groups(&def.name));
            piece(move || type_def(api, def, built, serde, feature_cfg(features.as_deref())))
        }))
        .collect()
}

/// Which of serde's traits a type implements (with [`SerdeDerives::ByDirection`], the default):
/// `Serialize` when it is sent, `Deserialize` when it
/// is received, both when no operation uses it or it is part of such a schema (callers may use
/// those either way; see [`Usage::standalone`]). Each derive
/// that no call needs is compile time every user pays for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Serde {
    serialize: bool,
    deserialize: bool,
}

impl Serde {
    fn of(def: &TypeDef, usage: &Usage) -> Self {
        let standalone = usage.standalone(&def.name);
        Self {
            serialize: usage.sent(&def.name) || standalone,
            deserialize: usage.received(&def.name) || standalone,
        }
    }

    /// The derive list's serde part: `Serialize, Deserialize`, one of them, or nothing.
    fn derives(self) -> TokenStream {
        let serialize = self.serialize.then(|| quote!(Serialize,));
        let deserialize = self.deserialize.then(|| quote!(Deserialize,));
        quote!(#serialize #deserialize)
    }
}

/// Who builds values of a type, as far as its declaration cares.
#[derive(Clone, Copy, Debug)]
struct Built {
    /// `#[non_exhaustive]` (see [`Usage::non_exhaustive`]).
    non_exhaustive: bool,
    /// Callers build it (see [`Usage::caller_built`]): a struct then gets `new` or `Default`.
    by_caller: bool,
    /// Requests send it (see [`Usage::sent`]): a union then gets `From` conversions.
    sent: bool,
}

/// One named type. `built.non_exhaustive` makes a new field or variant a compatible change for
/// callers; `serde` says which directions it travels in; `cfg` (on each of its items) compiles
/// it only with the features of the groups that use it.
fn type_def(
    api: &Api,
    def: &TypeDef,
    built: Built,
    serde: Serde,
    cfg: Option<TokenStream>,
) -> TokenStream {
    let non_exhaustive = built.non_exhaustive.then(|| quote!(#[non_exhaustive]));
    let origin = format!("The {} schema ({}).", code(&def.name), code(&def.origin));
    let has_prose = [&def.docs.description, &def.docs.summary]
        .into_iter()
        .flatten()
        .any(|text| !text.trim().is_empty());
    let docs = doc_attrs_or(
        &paragraphs([
            Some(describe(&def.docs).as_str()),
            (!has_prose).then_some(origin.as_str()),
        ]),
        &origin,
    );
    let deprecated = def.docs.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&def.name);
    if let Some(declared) = &def.same_as {
        return same_shape_alias(&name, &docs, cfg, deprecated, declared);
    }
    match &def.kind {
        TypeKind::Struct {
            fields,
            deny_unknown_fields,
        } => {
            // Callers write struct literals of these; `new` (required fields as arguments) or
            // `Default` (no required field) lets them name only the fields they set.
            let required = fields.iter().any(|f| takes_argument(f.presence));
            let default = (built.by_caller && !required).then(|| quote!(Default,));
            let constructor = (built.by_caller && required)
                .then(|| constructor(&name, &def.name, fields, cfg.as_ref()));
            let encode = serde
                .serialize
                .then(|| encode_object(&name, fields, cfg.as_ref()));
            let decode = serde
                .deserialize
                .then(|| decode_object(&name, fields, *deny_unknown_fields, cfg.as_ref()));
            let fields = fields.iter().map(field);
            quote! {
                #cfg
                #docs
                #deprecated
                #[derive(Clone, Debug, #default PartialEq)]
                #non_exhaustive
                pub struct #name {
                    #(#fields)*
                }

                #encode
                #decode
                #constructor
            }
        }
        TypeKind::Enum { variants } => {
            open_enum(&name, &docs, cfg, deprecated, non_exhaustive, variants)
        }
        TypeKind::Union {
            variants,
            discriminator,
        } => {
            // The conversions exist exactly when the union does: its members are reached by
            // every group that reaches it.
            let conversions = built
                .sent
                .then(|| union_from_impls(api, &name, cfg.as_ref(), variants));
            let union = union(
                &name,
                &docs,
                serde,
                cfg,
                deprecated,
                non_exhaustive,
                variants,
                discriminator.as_deref(),
            );
            quote!(#union #conversions)
        }
        TypeKind::Newtype(target) => {
            let target = type_tokens(target, false);
            let derives = serde.derives();
            quote! {
                #cfg
                #docs
                #deprecated
                #[derive(Clone, Debug, PartialEq, #derives)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
        TypeKind::Alias(target) => {
            let target = type_tokens(target, false);
            quote! {
                #cfg
                #docs
                pub type #name = #target;
            }
        }
    }
}

/// An inline type whose shape `declared` has too (see [`TypeDef::same_as`]): its name, with its
/// own docs, for that type. Deprecation is part of a shape, and an alias of a deprecated type
/// does not warn by itself.
fn same_shape_alias(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    cfg: Option<TokenStream>,
    deprecated: Option<TokenStream>,
    declared: &str,
) -> TokenStream {
    let note = doc_attrs(&format!(
        "Another name for [`{declared}`], whose shape the spec repeats here."
    ));
    let declared = ident(declared);
    quote! {
        #cfg
        #docs
        ///
        #note
        #deprecated
        pub type #name = #declared;
    }
}

/// Whether `new` takes the field as an argument: it has no value to start from (`None` would
/// send a required nullable field as `null` without the caller saying so).
fn takes_argument(presence: Presence) -> bool {
    matches!(presence, Presence::Required | Presence::RequiredNullable)
}

/// `new` of a struct callers build: its required fields as arguments (taken like a builder
/// method's), optional ones `None`, single-value enums filled in.
fn constructor(
    name: &proc_macro2::Ident,
    type_name: &str,
    fields: &[Field],
    cfg: Option<&TokenStream>,
) -> TokenStream {
    let required: Vec<&Field> = fields
        .iter()
        .filter(|f| takes_argument(f.presence))
        .collect();
    let args = required.iter().map(|f| {
        let arg = ident(&f.rust_name);
        let ty = match f.presence {
            // Stored as given: the caller says `None` (sent as `null`) or `Some(…)`.
            Presence::RequiredNullable => {
                let ty = type_tokens(&f.ty, false);
                if f.boxed {
                    quote!(Option<Box<#ty>>)
                } else {
                    quote!(Option<#ty>)
                }
            }
            _ => arg_type(&f.ty, false),
        };
        quote!(#arg: #ty)
    });
    let inits = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        match f.presence {
            Presence::Required if f.boxed => {
                let value = convert(&f.ty, &field);
                quote!(#field: Box::new(#value),)
            }
            Presence::Required if !is_stored_as_given(&f.ty) => {
                let value = convert(&f.ty, &field);
                quote!(#field: #value,)
            }
            Presence::Required | Presence::RequiredNullable => quote!(#field,),
            Presence::Optional | Presence::OptionalNullable => quote!(#field: None,),
            Presence::Constant => quote!(#field: ::core::default::Default::default(),),
        }
    });
    let names: Vec<String> = required
        .iter()
        .map(|f| code(f.rust_name.trim_start_matches("r#")))
        .collect();
    let optional = fields
        .iter()
        .any(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
    let update = if optional {
        format!(
            "\n\nOptional fields start as `None`; set them with struct update syntax: \
             `{type_name} {{ field: Some(…), ..{type_name}::new(…) }}`."
        )
    } else {
        String::new()
    };
    let doc = doc_attrs(&format!(
        "Takes the required field{}: {}.{update}",
        if names.len() == 1 { "" } else { "s" },
        names.join(", "),
    ));
    let many_args = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #cfg
        impl #name {
            #doc
            #many_args
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#inits)*
                }
            }
        }
    }
}

/// One struct field: its docs, its name and its type. How it travels is [`encode_object`]'s and
/// [`decode_object`]'s.
fn field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = type_tokens(&field.ty, false);
    let ty = if field.boxed { quote!(Box<#ty>) } else { ty };
    let docs = describe(&field.docs);
    // Undocumented properties still get a line (the crate denies missing docs): their wire name.
    let fallback = match &field.ty {
        TypeRef::Named(name) => format!("The {} property: a [`{name}`].", code(&field.wire_name)),
        _ => format!("The {} property.", code(&field.wire_name)),
    };
    let docs = doc_attrs_or(&docs, &fallback);
    let deprecated = field.docs.deprecated.then(|| quote!(#[deprecated]));
    let ty = match field.presence {
        Presence::Required | Presence::Constant => ty,
        // Always sent, possibly as `null`.
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#ty>),
        // Absent, `null` or a value.
        Presence::OptionalNullable => quote!(Option<Option<#ty>>),
    };
    quote! {
        #docs
        #deprecated
        pub #name: #ty,
    }
}

/// A field's entry in either object macro: `field`, or `field = "wire"` when its wire name is
/// not its Rust name.
fn object_entry(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let wire = (field.rust_name != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(= #wire)
    });
    quote!(#name #wire)
}

/// A sent struct's `Serialize`: `crate::runtime::encode_object!(Name { field, other = "wire",
/// size: skip_none, … })`. The runtime's `encode.rs` says why this is not serde's derive.
fn encode_object(
    name: &proc_macro2::Ident,
    fields: &[Field],
    cfg: Option<&TokenStream>,
) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let entry = object_entry(f);
        let mode = match f.presence {
            // Left out when `None`.
            Presence::Optional => Some(quote!(: skip_none)),
            // Left out when `None`, `Some(None)` is sent as `null`.
            Presence::OptionalNullable => Some(quote!(: double_option)),
            // Always sent (a required nullable `None` as `null`).
            Presence::Required | Presence::RequiredNullable | Presence::Constant => None,
        };
        quote!(#entry #mode)
    });
    quote! {
        #cfg
        crate::runtime::encode_object!(#name { #(#entries),* });
    }
}

/// A received struct's `Deserialize`: `crate::runtime::decode_object!(Name { field, other =
/// "wire": mode, … })`, each field with its wire name where that differs from the field's and
/// how a missing one is read. The runtime's `decode.rs` says why this is not serde's derive.
fn decode_object(
    name: &proc_macro2::Ident,
    fields: &[Field],
    deny_unknown_fields: bool,
    cfg: Option<&TokenStream>,
) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let entry = object_entry(f);
        let mode = match f.presence {
            // Absent is `None`, `null` is `Some(None)`.
            Presence::OptionalNullable => Some(quote!(: double_option)),
            // A single-value enum fills itself in, and a missing `Option` is `None`: neither is
            // an error. (Bare, the macro would find that out through serde at compile time,
            // which is most of what an `Option` field costs to check.)
            Presence::Constant | Presence::Optional | Presence::RequiredNullable => {
                Some(quote!(: default))
            }
            // Missing is an error.
            Presence::Required => None,
        };
        quote!(#entry #mode)
    });
    let deny = deny_unknown_fields.then(|| quote!(deny_unknown_fields));
    quote! {
        #cfg
        crate::runtime::decode_object!(#name { #(#entries),* } #deny);
    }
}

/// A string enum that accepts values it does not know, so a server adding one is not a break.
/// The declaration is written out; `as_str`, `Display`, `FromStr`, serde and the comparison
/// traits come from the runtime's `open_enum!`, given each variant's wire value.
fn open_enum(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    cfg: Option<TokenStream>,
    deprecated: Option<TokenStream>,
    non_exhaustive: Option<TokenStream>,
    variants: &[Variant],
) -> TokenStream {
    let constant = variants.len() == 1;
    let default = constant.then(|| quote!(Default,));
    let decls = variants.iter().enumerate().map(|(i, v)| {
        let doc = doc_attrs(&code(&v.wire_name));
        let variant = ident(&v.rust_name);
        let default = (constant && i == 0).then(|| quote!(#[default]));
        quote!(#doc #default #variant,)
    });
    let wire_values = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        quote!(#variant = #wire)
    });
    quote! {
        #cfg
        #docs
        #deprecated
        #[derive(Clone, Debug, #default)]
        #non_exhaustive
        pub enum #name {
            #(#decls)*
            /// A value this version of the SDK does not know.
            Unknown(String),
        }

        #cfg
        crate::runtime::open_enum!(#name { #(#wire_values),* });
    }
}

/// `impl From<Member> for Union`, so a request argument takes a member as it is
/// (`.value(Card { … })` for `impl Into<PaymentSource>`). Members whose type another member
/// shares, and free-form members (what `Unknown` holds), get none: the conversion would be
/// ambiguous.
fn union_from_impls(
    api: &Api,
    name: &proc_macro2::Ident,
    cfg: Option<&TokenStream>,
    variants: &[UnionVariant],
) -> TokenStream {
    let resolved = |ty: &TypeRef| unaliased(api, ty, 16);
    let impls = variants
        .iter()
        .filter(|v| !matches!(resolved(&v.ty), TypeRef::Json))
        // `From<Self>` is std's own.
        .filter(|v| resolved(&v.ty) != TypeRef::Named(name.to_string()))
        .filter(|v| {
            variants
                .iter()
                .filter(|other| resolved(&other.ty) == resolved(&v.ty))
                .count()
                == 1
        })
        .map(|v| {
            let variant = ident(&v.rust_name);
            let ty = type_tokens(&v.ty, false);
            let value = if v.boxed {
                quote!(Box::new(value))
            } else {
                quote!(value)
            };
            quote! {
                #cfg
                impl ::core::convert::From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#variant(#value)
                    }
                }
            }
        });
    quote!(#(#impls)*)
}

/// `ty` with aliases replaced by what they name, at any depth (`Vec<Id>` is `Vec<String>` for
/// `pub type Id = String`): two conversions from one type would conflict.
fn unaliased(api: &Api, ty: &TypeRef, depth: usize) -> TypeRef {
    match ty {
        TypeRef::Named(n) if depth > 0 => match api.type_def(n) {
            Some(TypeDef {
                same_as: Some(declared),
                ..
            }) => TypeRef::Named(declared.clone()),
            Some(TypeDef {
                kind: TypeKind::Alias(target),
                ..
            }) => unaliased(api, target, depth - 1),
            _ => ty.clone(),
        },
        TypeRef::Array(inner) => TypeRef::Array(Box::new(unaliased(api, inner, depth))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(unaliased(api, inner, depth))),
        _ => ty.clone(),
    }
}

/// `oneOf`/`anyOf`. With a discriminator the tag picks the variant; without one the variants
/// are tried in order. Either way a value that fits none is kept as `Unknown`.
#[allow(clippy::too_many_arguments)]
fn union(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    serde: Serde,
    cfg: Option<TokenStream>,
    deprecated: Option<TokenStream>,
    non_exhaustive: Option<TokenStream>,
    variants: &[UnionVariant],
    discriminator: Option<&str>,
) -> TokenStream {
    let decls = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = type_tokens(&v.ty, false);
        let ty = if v.boxed { quote!(Box<#ty>) } else { ty };
        let doc = doc_attrs(&match &v.tag {
            Some(tag) => format!(
                "{}: [`{}`].",
                code(tag),
                quote!(#ty).to_string().replace(' ', "")
            ),
            None => format!("A [`{}`].", quote!(#ty).to_string().replace(' ', "")),
        });
        quote!(#doc #variant(#ty),)
    });
    let unknown = quote! {
        /// A value that matches none of the known variants.
        Unknown(serde_json::Value),
    };
    // Either way a member is sent as it is: a tag is the member's own property.
    let members: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let encode = serde.serialize.then(|| {
        quote! {
            #cfg
            crate::runtime::encode_union!(#name { #(#members),* });
        }
    });
    let Some(property) = discriminator else {
        // Tried in order, as serde's `untagged` would; the runtime's `decode.rs` says why this
        // is not serde's derive.
        let decode = serde.deserialize.then(|| {
            quote! {
                #cfg
                crate::runtime::decode_untagged!(#name { #(#members),* });
            }
        });
        return quote! {
            #cfg
            #docs
            #deprecated
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            #non_exhaustive
            pub enum #name {
                #(#decls)*
                #unknown
            }

            #encode
            #decode
        };
    };
    let deserialize_arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let tag = v.tag.as_deref().unwrap_or_default();
        let wrap = if v.boxed {
            quote!(|value| Self::#variant(Box::new(value)))
        } else {
            quote!(Self::#variant)
        };
        quote! {
            Some(#tag) => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),
        }
    });
    let deserialize = serde.deserialize.then(|| {
        quote! {
            #cfg
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = serde_json::Value::deserialize(deserializer)?;
                    let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                    match tag.as_deref() {
                        #(#deserialize_arms)*
                        _ => Ok(Self::Unknown(value)),
                    }
                }
            }
        }
    });
    quote! {
        #cfg
        #docs
        #deprecated
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #non_exhaustive
        pub enum #name {
            #(#decls)*
            #unknown
        }

        #encode
        #deserialize
    }
}
