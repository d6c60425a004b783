//! `src/models.rs`: one Rust type per named schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{describe, doc_attrs, paragraphs};
use super::format::{Piece, piece};
use super::{ident, type_tokens};
use crate::model::{
    Api, Field, Presence, TypeDef, TypeKind, TypeRef, UnionVariant, Usage, Variant,
};

/// The file's pieces: its header, then one per type (see [`super::format`]).
pub fn models_rs(api: &Api) -> Vec<Piece<'_>> {
    let header = piece(move || {
        let imports = (!api.types.is_empty()).then(|| {
            quote!(
                use serde::{Deserialize, Serialize};
            )
        });
        quote! {
            //! Request and response bodies: one type per schema of the spec.
            //!
            //! Optional fields are `Option`s and are left out of requests when `None`. String enums
            //! are open: a value this SDK does not know decodes into `Unknown` instead of failing.
            //!
            //! Enums, unions and the structs you never build yourself (replies) are
            //! `#[non_exhaustive]`, so a later version of the API may add variants and fields
            //! without breaking your code: match them with a `_` arm, and read replies' fields.

            // Serde's derives touch deprecated fields; only users' code should be warned.
            #![allow(deprecated)]

            #imports
        }
    });
    // Decided once for all types, so each piece carries only its own answer.
    let usage = Usage::of(api);
    std::iter::once(header)
        .chain(api.types.iter().map(|def| {
            let non_exhaustive = usage.non_exhaustive(def);
            piece(move || type_def(def, non_exhaustive))
        }))
        .collect()
}

/// One named type. `non_exhaustive` (see [`Usage::non_exhaustive`]) makes a new field or
/// variant a compatible change for callers.
fn type_def(def: &TypeDef, non_exhaustive: bool) -> TokenStream {
    let non_exhaustive = non_exhaustive.then(|| quote!(#[non_exhaustive]));
    let docs = doc_attrs(&paragraphs([
        Some(describe(&def.docs).as_str()).filter(|d| !d.is_empty()),
        Some(default_doc(def).as_str()),
    ]));
    let deprecated = def.docs.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct {
            fields,
            deny_unknown_fields,
        } => {
            let deny = deny_unknown_fields.then(|| quote!(#[serde(deny_unknown_fields)]));
            let fields = fields.iter().map(field);
            quote! {
                #docs
                #deprecated
                #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
                #deny
                #non_exhaustive
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeKind::Enum { variants } => {
            open_enum(&name, &docs, deprecated, non_exhaustive, variants)
        }
        TypeKind::Union {
            variants,
            discriminator,
        } => union(
            &name,
            &docs,
            deprecated,
            non_exhaustive,
            variants,
            discriminator.as_deref(),
        ),
        TypeKind::Newtype(target) => {
            let target = type_tokens(target, false);
            quote! {
                #docs
                #deprecated
                #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
        TypeKind::Alias(target) => {
            let target = type_tokens(target, false);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

fn default_doc(def: &TypeDef) -> String {
    if def.docs.description.is_some() || def.docs.summary.is_some() {
        String::new()
    } else {
        format!("The `{}` schema (`{}`).", def.name, def.origin)
    }
}

fn field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = type_tokens(&field.ty, false);
    let ty = if field.boxed { quote!(Box<#ty>) } else { ty };
    let docs = describe(&field.docs);
    // Undocumented properties still get a line (the crate denies missing docs): their wire name.
    let fallback = match &field.ty {
        TypeRef::Named(name) => format!(
            "The `{}` property: a [`{name}`].",
            field.wire_name.replace('`', "'")
        ),
        _ => format!("The `{}` property.", field.wire_name.replace('`', "'")),
    };
    let docs = doc_attrs(if docs.is_empty() { &fallback } else { &docs });
    let deprecated = field.docs.deprecated.then(|| quote!(#[deprecated]));
    let unraw = field.rust_name.trim_start_matches("r#");
    let rename = (unraw != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    let (ty, serde) = match field.presence {
        Presence::Required => (ty, quote!()),
        // Always sent, possibly as `null`.
        Presence::RequiredNullable => (quote!(Option<#ty>), quote!()),
        Presence::Optional => (
            quote!(Option<#ty>),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
        ),
        Presence::OptionalNullable => (
            quote!(Option<Option<#ty>>),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none", with = "crate::runtime::double_option")]),
        ),
        // A single-value enum: it fills itself in, and a missing one is not an error.
        Presence::Constant => (ty, quote!(#[serde(default)])),
    };
    quote! {
        #docs
        #deprecated
        #rename
        #serde
        pub #name: #ty,
    }
}

/// A string enum that accepts values it does not know, so a server adding one is not a break.
fn open_enum(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    deprecated: Option<TokenStream>,
    non_exhaustive: Option<TokenStream>,
    variants: &[Variant],
) -> TokenStream {
    let constant = variants.len() == 1;
    let default = constant.then(|| quote!(Default,));
    let decls = variants.iter().enumerate().map(|(i, v)| {
        let doc = format!(" `{}`", v.wire_name.replace('`', "'"));
        let variant = ident(&v.rust_name);
        let default = (constant && i == 0).then(|| quote!(#[default]));
        quote!(#[doc = #doc] #default #variant,)
    });
    let to_str = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        quote!(Self::#variant => #wire,)
    });
    let from_str = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        quote!(#wire => Self::#variant,)
    });
    let from_body = if variants.is_empty() {
        quote!(Self::Unknown(value.to_owned()))
    } else {
        quote! {
            match value {
                #(#from_str)*
                other => Self::Unknown(other.to_owned()),
            }
        }
    };
    quote! {
        #docs
        #deprecated
        #[derive(Clone, Debug, #default PartialEq, Eq, Hash, PartialOrd, Ord)]
        #non_exhaustive
        pub enum #name {
            #(#decls)*
            /// A value this version of the SDK does not know.
            Unknown(String),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                #from_body
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}

/// `oneOf`/`anyOf`. With a discriminator the tag picks the variant; without one the variants
/// are tried in order. Either way a value that fits none is kept as `Unknown`.
fn union(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    deprecated: Option<TokenStream>,
    non_exhaustive: Option<TokenStream>,
    variants: &[UnionVariant],
    discriminator: Option<&str>,
) -> TokenStream {
    let decls = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = type_tokens(&v.ty, false);
        let ty = if v.boxed { quote!(Box<#ty>) } else { ty };
        let doc = match &v.tag {
            Some(tag) => format!(
                " `{tag}`: [`{}`].",
                quote!(#ty).to_string().replace(' ', "")
            ),
            None => format!(" A [`{}`].", quote!(#ty).to_string().replace(' ', "")),
        };
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let unknown = quote! {
        /// A value that matches none of the known variants.
        Unknown(serde_json::Value),
    };
    let Some(property) = discriminator else {
        return quote! {
            #docs
            #deprecated
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            #non_exhaustive
            pub enum #name {
                #(#decls)*
                #unknown
            }
        };
    };
    let serialize_arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        quote!(Self::#variant(value) => value.serialize(serializer),)
    });
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
    quote! {
        #docs
        #deprecated
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #non_exhaustive
        pub enum #name {
            #(#decls)*
            #unknown
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::Unknown(value) => value.serialize(serializer),
                }
            }
        }

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
}
