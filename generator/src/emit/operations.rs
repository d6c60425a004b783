//! `src/operations/`: one module per group, with a request builder per operation.
//!
//! Required parameters (and the required properties of inline JSON bodies) are arguments of the
//! group method; everything optional is a builder method. `send()` returns the typed body,
//! `send_with_response()` also the status and headers.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::{
    code, describe, doc_attrs, doc_attrs_or, inner_doc_attrs, paragraphs, spec_prose,
};
use super::format::{Piece, piece};
use super::{feature_names, ident, type_tokens};
use crate::model::places;
use crate::model::{
    Api, Body, BodyKind, Field, Group, Operation, Param, ParamLocation, Presence, QueryStyle,
    Response, ResponseStatus, StatusMatch, Success, TypeKind, TypeRef,
};

/// Names a group module in `src/operations/` cannot take: the directory's own `mod.rs`, and
/// `operations` (a module named like its parent, clippy's `module_inception`).
pub const DIR_FILES: &[&str] = &["mod", "operations"];

/// What a group type defines (`new`, and `clone` from its derive): operation methods avoid
/// these names.
pub const GROUP_MEMBERS: &[&str] = &["clone", "new"];

/// The fields and methods every request builder has (`clone` from its derive): parameters and
/// body properties avoid these names.
pub const BUILDER_MEMBERS: &[&str] = &[
    "body",
    "client",
    "clone",
    "options",
    "send",
    "send_page",
    "send_with_response",
    "stream",
];

/// What an operations module imports from the runtime.
pub const RUNTIME_IMPORTS: &[&str] = &["RawResponse", "RequestOptions", "RequestSpec", "Response"];

/// What an operations module may import from the crate root (only what it uses).
pub const CRATE_IMPORTS: &[&str] = &["Client", "Error", "ErrorBody", "models"];

pub fn mod_rs(api: &Api) -> TokenStream {
    let modules = api
        .groups
        .iter()
        .zip(feature_names(api))
        .map(|(g, feature)| {
            let module = ident(&g.method);
            let ty = ident(&g.type_name);
            let doc = doc_attrs(&format!(
                "Operations tagged {} (the `{feature}` feature).",
                code(&g.tag)
            ));
            // A tag named `Operations` gives `operations::operations`, which clippy flags; the
            // module is still the natural name for the tag's accessor.
            let inception =
                (g.method == "operations").then(|| quote!(#[allow(clippy::module_inception)]));
            quote! {
                #[cfg(feature = #feature)]
                #doc
                #inception
                pub mod #module;
                #[cfg(feature = #feature)]
                pub use self::#module::#ty;
            }
        });
    quote! {
        //! Operations, one module per tag of the spec. Reach them through the
        //! [`Client`](crate::Client) accessors. Each module compiles with the crate feature of
        //! the same name; `default` turns them all on.

        #(#modules)*
    }
}

/// The file's pieces: the group type with its methods, then one per request builder (see
/// [`super::format`]).
pub fn group_rs<'a>(api: &'a Api, group: &'a Group) -> Vec<Piece<'a>> {
    let head = piece(move || group_head(api, group));
    std::iter::once(head)
        .chain(
            group
                .operations
                .iter()
                .map(move |op| piece(move || OperationCode::new(op, api).builder(group))),
        )
        .collect()
}

/// The group's module docs, imports and its type, whose methods start each operation.
fn group_head(api: &Api, group: &Group) -> TokenStream {
    let ty = ident(&group.type_name);
    let group_doc = group.doc.as_deref().map(spec_prose);
    let doc = doc_attrs(&paragraphs([
        Some(format!("The {} operations.", code(&group.tag)).as_str()),
        group_doc.as_deref(),
        Some(
            format!(
                "Get one from [`Client::{}`].",
                group.method.trim_start_matches("r#")
            )
            .as_str(),
        ),
    ]));
    let module_doc = inner_doc_attrs(&format!(
        "Operations tagged {}: the [`{}`] group and its request builders.",
        code(&group.tag),
        group.type_name
    ));
    let ops: Vec<OperationCode> = group
        .operations
        .iter()
        .map(|op| OperationCode::new(op, api))
        .collect();
    let methods = ops.iter().map(OperationCode::group_method);
    let imports = imports(api, group);
    quote! {
        #module_doc
        // The builders of deprecated operations are themselves deprecated; building them here
        // must not warn, only the caller's use should.
        #![allow(deprecated)]
        // `send` spells the spec's nested inline types inside `impl Future<Output = Result<…>>`;
        // a user cannot simplify what the spec nests.
        #![allow(clippy::type_complexity)]

        #imports

        #doc
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            client: &'a Client,
        }

        impl<'a> #ty<'a> {
            pub(crate) fn new(client: &'a Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }
    }
}

/// The module's `use` lines: the runtime's request types, and from the crate root what the
/// group's code names (`ErrorBody` only with documented error bodies, `models` only with named
/// types).
fn imports(api: &Api, group: &Group) -> TokenStream {
    let uses = |name: &str| match name {
        "ErrorBody" => group.operations.iter().any(|op| {
            op.responses
                .iter()
                .any(|r| matches!(Outcome::of(r, &op.success()), Outcome::ApiError(_)))
        }),
        "models" => group.operations.iter().any(|op| mentions_models(op, api)),
        _ => true,
    };
    let runtime = RUNTIME_IMPORTS.iter().map(|name| ident(name));
    let root = CRATE_IMPORTS
        .iter()
        .filter(|name| uses(name))
        .map(|name| ident(name));
    quote! {
        use crate::runtime::{#(#runtime),*};
        use crate::{#(#root),*};
    }
}

/// Whether the operation's builder spells a type of `models`: in an argument, a field, the
/// body or the success type.
fn mentions_models(op: &Operation, api: &Api) -> bool {
    fn named(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named(inner),
            TypeRef::Tuple(items) => items.iter().any(named),
            _ => false,
        }
    }
    let success = match op.success() {
        Success::One(ty) | Success::Optional(ty) => named(ty),
        Success::Unit | Success::Any => false,
    };
    let body_fields = op
        .body
        .as_ref()
        .and_then(|body| body_fields(body, api))
        .is_some_and(|fields| fields.iter().any(|f| named(&f.ty)));
    success
        || body_fields
        || op.params.iter().any(|p| named(&p.ty))
        || op.body.as_ref().is_some_and(|b| named(&b.ty))
}

/// The parameter type a builder method (or a model's `new`, with `models_prefix` off) takes
/// for a value of type `ty`.
pub(super) fn arg_type(ty: &TypeRef, models_prefix: bool) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        TypeRef::Bytes => quote!(impl Into<bytes::Bytes>),
        TypeRef::Named(_) => {
            let ty = type_tokens(ty, models_prefix);
            quote!(impl Into<#ty>)
        }
        TypeRef::Array(item) if matches!(**item, TypeRef::String | TypeRef::Named(_)) => {
            let item = type_tokens(item, models_prefix);
            quote!(impl IntoIterator<Item = impl Into<#item>>)
        }
        TypeRef::Array(item) => {
            let item = type_tokens(item, models_prefix);
            quote!(impl IntoIterator<Item = #item>)
        }
        other => type_tokens(other, models_prefix),
    }
}

/// Turns an argument `arg` (of [`arg_type`]) into the stored value.
pub(super) fn convert(ty: &TypeRef, arg: &proc_macro2::Ident) -> TokenStream {
    match ty {
        TypeRef::String | TypeRef::Named(_) | TypeRef::Bytes => quote!(#arg.into()),
        TypeRef::Array(item) if matches!(**item, TypeRef::String | TypeRef::Named(_)) => {
            quote!(#arg.into_iter().map(Into::into).collect())
        }
        TypeRef::Array(_) => quote!(#arg.into_iter().collect()),
        _ => quote!(#arg),
    }
}

/// Whether [`convert`] leaves an argument of this type as it is.
pub(super) fn is_stored_as_given(ty: &TypeRef) -> bool {
    !matches!(
        ty,
        TypeRef::String | TypeRef::Named(_) | TypeRef::Bytes | TypeRef::Array(_)
    )
}

/// One value the builder holds: a parameter or a property of a flattened body.
struct Slot<'a> {
    /// Builder field and method name.
    name: String,
    ty: &'a TypeRef,
    required: bool,
    docs: String,
    kind: SlotKind<'a>,
    /// The `…_null` setter of an optional nullable body property.
    null_setter: Option<String>,
}

#[derive(Clone, Copy)]
enum SlotKind<'a> {
    Param(&'a Param),
    BodyField(&'a Field),
    WholeBody,
}

struct OperationCode<'a> {
    op: &'a Operation,
    api: &'a Api,
    slots: Vec<Slot<'a>>,
    flattened_body: Option<(&'a Body, Vec<&'a Field>)>,
}

impl<'a> OperationCode<'a> {
    fn new(op: &'a Operation, api: &'a Api) -> Self {
        // Parameters are unique already; body properties join them here.
        let mut names = places::builder_members();
        let mut slots: Vec<Slot<'a>> = op
            .params
            .iter()
            .map(|p| Slot {
                name: names.claim(p.rust_name.clone()),
                ty: &p.ty,
                required: p.required,
                docs: or_fallback(describe(&p.docs), || {
                    let place = match p.location {
                        ParamLocation::Path => "path",
                        ParamLocation::Query => "query",
                        ParamLocation::Header => "header",
                        ParamLocation::Cookie => "cookie",
                    };
                    format!("The {} {place} parameter.", code(&p.wire_name))
                }),
                kind: SlotKind::Param(p),
                null_setter: None,
            })
            .collect();
        let mut flattened_body = None;
        if let Some(body) = &op.body {
            match body_fields(body, api) {
                Some(fields) => {
                    for field in &fields {
                        if field.presence == Presence::Constant {
                            continue;
                        }
                        let name = names.claim_body_field(field.rust_name.clone());
                        let null_setter =
                            (field.presence == Presence::OptionalNullable).then(|| {
                                names.claim(format!("{}_null", name.trim_start_matches("r#")))
                            });
                        slots.push(Slot {
                            name,
                            ty: &field.ty,
                            required: field.presence == Presence::Required,
                            docs: or_fallback(describe(&field.docs), || {
                                format!(
                                    "The {} property of the request body.",
                                    code(&field.wire_name)
                                )
                            }),
                            kind: SlotKind::BodyField(field),
                            null_setter,
                        });
                    }
                    flattened_body = Some((body, fields));
                }
                None => slots.push(Slot {
                    name: "body".to_owned(),
                    ty: &body.ty,
                    required: body.required,
                    docs: body
                        .description
                        .as_deref()
                        .map(spec_prose)
                        .unwrap_or_else(|| "The request body.".to_owned()),
                    kind: SlotKind::WholeBody,
                    null_setter: None,
                }),
            }
        }
        Self {
            op,
            api,
            slots,
            flattened_body,
        }
    }

    fn builder_ident(&self) -> proc_macro2::Ident {
        ident(&self.op.builder_name)
    }

    fn success_type(&self) -> TokenStream {
        match self.op.success() {
            Success::Unit => quote!(()),
            Success::One(ty) => type_tokens(ty, true),
            Success::Optional(ty) => {
                let ty = type_tokens(ty, true);
                quote!(Option<#ty>)
            }
            Success::Any => quote!(serde_json::Value),
        }
    }

    /// The method on the group struct that starts this request.
    fn group_method(&self) -> TokenStream {
        let op = self.op;
        let method = ident(&op.method_name);
        let builder = self.builder_ident();
        let required: Vec<&Slot<'_>> = self.slots.iter().filter(|s| s.required).collect();
        let args = required.iter().map(|s| {
            let name = ident(&s.name);
            let arg = arg_type(s.ty, true);
            quote!(#name: #arg)
        });
        let inits = self
            .slots
            .iter()
            .filter(|s| !matches!(s.kind, SlotKind::BodyField(_)))
            .map(|s| {
                let name = ident(&s.name);
                if s.required {
                    if is_stored_as_given(s.ty) {
                        quote!(#name,)
                    } else {
                        let value = convert(s.ty, &name);
                        quote!(#name: #value,)
                    }
                } else {
                    quote!(#name: None,)
                }
            });
        let body_init = self.flattened_body.as_ref().map(|(body, fields)| {
            let body_ty = type_tokens(&body.ty, true);
            let fields = fields.iter().map(|f| {
                let field = ident(&f.rust_name);
                let slot = self
                    .slots
                    .iter()
                    .find(|s| matches!(s.kind, SlotKind::BodyField(b) if std::ptr::eq(b, *f)));
                match slot {
                    Some(s) if s.required => {
                        let arg = ident(&s.name);
                        if is_stored_as_given(s.ty) && arg == field {
                            quote!(#field,)
                        } else {
                            let value = convert(s.ty, &arg);
                            quote!(#field: #value,)
                        }
                    }
                    _ if f.presence == Presence::Constant => {
                        quote!(#field: ::core::default::Default::default(),)
                    }
                    _ => quote!(#field: None,),
                }
            });
            quote!(body: #body_ty { #(#fields)* },)
        });
        let summary = op.summary.as_deref().map(spec_prose);
        let description = op.description.as_deref().map(spec_prose);
        let mut doc = paragraphs([
            summary.as_deref(),
            description.as_deref(),
            Some(
                format!(
                    "{} (operation {})",
                    code(&format!("{} {}", op.http_method, op.path)),
                    code(&op.id)
                )
                .as_str(),
            ),
        ]);
        if !required.is_empty() {
            doc.push_str("\n\n# Arguments\n");
            for s in &required {
                let text = s.docs.replace("\n\n", " ").replace('\n', " ");
                doc.push_str(&format!(
                    "\n- `{}`: {}",
                    s.name.trim_start_matches("r#"),
                    text
                ));
            }
        }
        let optional: Vec<&Slot<'_>> = self.slots.iter().filter(|s| !s.required).collect();
        if !optional.is_empty() {
            let names: Vec<String> = optional
                .iter()
                .map(|s| {
                    format!(
                        "[`{name}`]({builder}::{name})",
                        name = s.name.trim_start_matches("r#"),
                        builder = op.builder_name
                    )
                })
                .collect();
            doc.push_str(&format!("\n\nOptional: {}.", names.join(", ")));
        }
        let doc = doc_attrs(&doc);
        let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
        let many_args = (required.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            #doc
            #deprecated
            #many_args
            pub fn #method(&self, #(#args),*) -> #builder {
                #builder {
                    client: self.client.clone(),
                    options: RequestOptions::default(),
                    #(#inits)*
                    #body_init
                }
            }
        }
    }

    fn builder(&self, group: &Group) -> TokenStream {
        let op = self.op;
        let builder = self.builder_ident();
        let doc = format!(
            "A {} request; start it with [`{}::{}`](super::{}::{}), then `.send()` it.",
            code(&format!("{} {}", op.http_method, op.path)),
            group.type_name,
            op.method_name.trim_start_matches("r#"),
            group.type_name,
            op.method_name.trim_start_matches("r#"),
        );
        let fields = self
            .slots
            .iter()
            .filter(|s| !matches!(s.kind, SlotKind::BodyField(_)))
            .map(|s| {
                let name = ident(&s.name);
                let ty = type_tokens(s.ty, true);
                if s.required {
                    quote!(#name: #ty,)
                } else {
                    quote!(#name: Option<#ty>,)
                }
            });
        let body_field = self.flattened_body.as_ref().map(|(body, _)| {
            let ty = type_tokens(&body.ty, true);
            quote!(body: #ty,)
        });
        let setters = self.slots.iter().filter(|s| !s.required).map(setter);
        let success = self.success_type();
        let send_doc = doc_attrs(&send_doc(op));
        let follows = super::pagination::follows_urls(op);
        let send_body = self.send_body(follows);
        let stream = self.stream();
        // What `send_with_response` (and `send_page`) return.
        let with_response = quote!(impl Future<Output = Result<Response<#success>, Error>>);
        // Paging by URL: the next pages are this request sent to the URL the server gave.
        let (send_with_response, send_page) = if follows {
            (
                quote!(self.send_page(None)),
                Some(quote! {
                    /// Sends the request, or the same one to a next-page URL from
                    /// [`stream`](Self::stream), instead of its own path and query.
                    fn send_page(
                        self,
                        page_url: Option<String>,
                    ) -> #with_response {
                        #send_body
                    }
                }),
            )
        } else {
            (send_body, None)
        };
        let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
        let doc = doc_attrs(&doc);
        quote! {
            #doc
            #deprecated
            #[derive(Clone, Debug)]
            #[must_use = "a request does nothing until it is sent"]
            pub struct #builder {
                client: Client,
                options: RequestOptions,
                #(#fields)*
                #body_field
            }

            impl #builder {
                #(#setters)*

                /// Overrides the client's timeout, retry policy or headers for this call only.
                pub fn options(mut self, options: RequestOptions) -> Self {
                    self.options = options;
                    self
                }

                // Plain `fn`s returning the runtime's generic future: an `async fn` per
                // operation was most of what a crate's check spent on operations.
                #send_doc
                pub fn send(self) -> impl Future<Output = Result<#success, Error>> {
                    crate::runtime::into_body(self.send_with_response())
                }

                /// Sends the request and returns the decoded body with the status and headers.
                pub fn send_with_response(self) -> #with_response {
                    #send_with_response
                }

                #send_page

                #stream
            }
        }
    }

    /// `stream()` for paged operations (see [`super::pagination`]).
    fn stream(&self) -> Option<TokenStream> {
        let Success::One(body) = self.op.success() else {
            return None;
        };
        super::pagination::stream(self.op, self.api, body, |rust| {
            self.slots.iter().find_map(|s| match s.kind {
                SlotKind::Param(p) if p.rust_name == rust => Some(super::pagination::ParamSlot {
                    name: ident(&s.name),
                    required: s.required,
                }),
                _ => None,
            })
        })
    }

    /// The body of `send_with_response` (or, with `follow`, of `send_page`).
    fn send_body(&self, follow: bool) -> TokenStream {
        let op = self.op;
        let id = &op.id;
        let method = proc_macro2::Ident::new(&op.http_method, proc_macro2::Span::call_site());
        let path = &op.path;
        let params = self.slots.iter().filter_map(|s| match s.kind {
            SlotKind::Param(p) if op.idempotency_key.as_ref() == Some(&p.wire_name) => {
                Some(idempotency_statement(s, p))
            }
            SlotKind::Param(p) => Some(param_statement(s, p, self.api)),
            _ => None,
        });
        let form_encoding = self
            .op
            .body
            .iter()
            .flat_map(|b| &b.encoding)
            .map(|(name, style)| {
                let style = style_tokens(*style);
                quote!((#name, #style))
            });
        let form_encoding = quote!(&[#(#form_encoding),*]);
        let encode = |body: TokenStream| match self.op.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Form) => quote!(request.form_body(#body, #form_encoding);),
            Some(BodyKind::Multipart) => quote!(request.multipart_body(#body);),
            Some(BodyKind::Raw(media)) => {
                quote!(request.raw_body(#media, ::core::clone::Clone::clone(#body));)
            }
            _ => quote!(request.json_body(#body);),
        };
        let body = match (
            &self.flattened_body,
            self.slots
                .iter()
                .find(|s| matches!(s.kind, SlotKind::WholeBody)),
        ) {
            (Some(_), _) => Some(encode(quote!(&self.body))),
            (None, Some(slot)) if slot.required => Some(encode(quote!(&self.body))),
            (None, Some(_)) => {
                let encode = encode(quote!(body));
                Some(quote! {
                    if let Some(body) = &self.body {
                        #encode
                    }
                })
            }
            (None, None) => None,
        };
        let security = match &op.security {
            Some(security) if security.is_empty() => Some(quote!(request.unauthenticated();)),
            Some(security) => {
                let security = super::client::security_tokens(security);
                Some(quote!(request.security(#security);))
            }
            None => None,
        };
        let accept = op.accept();
        let accept = (!accept.is_empty()).then(|| {
            let accept = accept.join(", ");
            quote!(request.accept(#accept);)
        });
        let params: Vec<TokenStream> = params.collect();
        let follow = follow.then(|| {
            quote! {
                if let Some(url) = page_url {
                    request.follow(url);
                }
            }
        });
        let mutated = security.is_some()
            || accept.is_some()
            || !params.is_empty()
            || body.is_some()
            || follow.is_some();
        let binding = if mutated {
            quote!(let mut request)
        } else {
            quote!(let request)
        };
        let dispatch = match self.response_arms() {
            Arms::Match(arms) => quote! {
                match raw.status().as_u16() {
                    #arms
                }
            },
            Arms::Always(outcome) => outcome,
        };
        quote! {
            #binding = RequestSpec::new(#id, reqwest::Method::#method, #path);
            #security
            #accept
            #(#params)*
            #body
            #follow
            // A named closure: prettyplease would break a closure argument over many lines.
            let read = |raw: RawResponse| #dispatch;
            self.client.core().call(request, self.options, read)
        }
    }

    fn response_arms(&self) -> Arms {
        Dispatch::new(self.op).arms()
    }
}

/// The doc of `send()`: what it returns, and where a documented redirect's `Location` is.
fn send_doc(op: &Operation) -> String {
    let redirects: Vec<String> = op
        .responses
        .iter()
        .filter(|r| r.status.is_redirect())
        .map(|r| format!("`{}`", r.status))
        .collect();
    let mut doc = "Sends the request and returns the decoded body.".to_owned();
    if !redirects.is_empty() {
        doc.push_str(&format!(
            "\n\nA documented redirect ({}) is not followed: it is returned as `Ok`, and \
             [`send_with_response`](Self::send_with_response) gives its `Location` header.",
            redirects.join(", ")
        ));
    }
    doc
}

/// How a response is turned into the call's result.
enum Arms {
    /// Dispatch on the status.
    Match(TokenStream),
    /// The same outcome whatever the status (no documented response).
    Always(TokenStream),
}

/// How the body of a response is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Read {
    /// Decoded from JSON: `raw.json()`.
    Json,
    /// Handed over as bytes: `raw.bytes()`.
    Bytes,
    /// No body: `raw.empty()`.
    Empty,
}

impl Read {
    fn of(body: Option<&TypeRef>) -> Self {
        match body {
            Some(TypeRef::Bytes) => Self::Bytes,
            Some(_) => Self::Json,
            None => Self::Empty,
        }
    }

    fn tokens(self) -> TokenStream {
        match self {
            Self::Json => quote!(raw.json()),
            Self::Bytes => quote!(raw.bytes()),
            Self::Empty => quote!(raw.empty()),
        }
    }
}

/// What a response turns into: the match arms of `send_with_response` are grouped by this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome<'a> {
    /// The body, as the call's success type.
    Body(Read),
    /// A body, where other successes have none: `Some(body)`.
    SomeBody(Read),
    /// No body, where other successes have one: `None`.
    NoBody,
    /// No body, where the successes have bodies of different types: `Value::Null`.
    NullBody,
    /// A documented error body: `Error::Api` carrying `ErrorBody::<name>`.
    ApiError(&'a str),
    /// A documented error status without a body schema: `Error::Api` without a decoded body.
    UntypedApiError,
    /// `Error::UnexpectedStatus` with the raw body.
    Unexpected,
}

impl<'a> Outcome<'a> {
    fn of(response: &'a Response, success: &Success<'_>) -> Self {
        let body = response.body.as_ref();
        if !response.status.is_ok() {
            return match (body, response.status) {
                (Some(TypeRef::Named(name)), _) => Self::ApiError(name),
                // `default` is every status the operation does not list: unexpected.
                (_, ResponseStatus::Default) => Self::Unexpected,
                _ => Self::UntypedApiError,
            };
        }
        match (success, body) {
            (Success::Optional(_), Some(_)) => Self::SomeBody(Read::of(body)),
            (Success::Optional(_), None) => Self::NoBody,
            (Success::Any, None) => Self::NullBody,
            _ => Self::Body(Read::of(body)),
        }
    }

    fn tokens(self) -> TokenStream {
        match self {
            Self::Body(read) => read.tokens(),
            Self::SomeBody(read) => {
                let read = read.tokens();
                quote!(#read.map(|r| r.map(Some)))
            }
            Self::NoBody => quote!(raw.empty().map(|r| r.map(|()| None))),
            Self::NullBody => quote!(raw.empty().map(|r| r.map(|()| serde_json::Value::Null))),
            Self::ApiError(name) => {
                let variant = ident(name);
                quote!(Err(raw.api_error(ErrorBody::#variant)))
            }
            Self::UntypedApiError => quote!(Err(raw.untyped_api_error())),
            Self::Unexpected => quote!(Err(raw.unexpected_status())),
        }
    }
}

/// An operation's documented responses, grouped by outcome for the status `match`.
struct Dispatch<'a> {
    /// Exact codes per outcome, outcomes in the order they first appear.
    exact: Vec<(Outcome<'a>, Vec<u16>)>,
    /// Classes (`4` is `4XX`) per outcome.
    classes: Vec<(Outcome<'a>, Vec<u8>)>,
    /// What the `default` response turns into, when it is more than an unexpected status.
    default: Option<Outcome<'a>>,
}

impl<'a> Dispatch<'a> {
    fn new(op: &'a Operation) -> Self {
        let success = op.success();
        let mut dispatch = Self {
            exact: Vec::new(),
            classes: Vec::new(),
            default: None,
        };
        for response in &op.responses {
            let outcome = Outcome::of(response, &success);
            match response.status {
                ResponseStatus::Status(StatusMatch::Exact(code)) => {
                    grouped(&mut dispatch.exact, outcome).push(code)
                }
                ResponseStatus::Status(StatusMatch::Class(class)) => {
                    grouped(&mut dispatch.classes, outcome).push(class)
                }
                ResponseStatus::Default if outcome != Outcome::Unexpected => {
                    dispatch.default = Some(outcome)
                }
                ResponseStatus::Default => {}
            }
        }
        // An exact code whose class arm has the same outcome adds nothing.
        let classes = &dispatch.classes;
        for (outcome, codes) in &mut dispatch.exact {
            codes.retain(|code| {
                !classes
                    .iter()
                    .any(|(o, cs)| o == outcome && cs.iter().any(|c| u16::from(*c) == code / 100))
            });
        }
        dispatch.exact.retain(|(_, codes)| !codes.is_empty());
        dispatch
    }

    /// The arms: exact codes first (Rust takes the first matching arm, and a spec's `404`
    /// wins over its `4XX`), then classes, then `default` for the remaining non-2XX statuses.
    fn arms(&self) -> Arms {
        if self.exact.is_empty() && self.classes.is_empty() && self.default.is_none() {
            return Arms::Always(Outcome::Unexpected.tokens());
        }
        let exact = self.exact.iter().map(|(outcome, codes)| {
            let patterns = code_patterns(codes);
            let outcome = outcome.tokens();
            quote!(#(#patterns)|* => #outcome,)
        });
        let classes = self.classes.iter().map(|(outcome, classes)| {
            let ranges = class_ranges(classes);
            let outcome = outcome.tokens();
            quote!(#(#ranges)|* => #outcome,)
        });
        let unexpected = Outcome::Unexpected.tokens();
        let default = match self.default {
            Some(outcome) => {
                let outcome = outcome.tokens();
                quote! {
                    status if !(200..=299).contains(&status) => #outcome,
                    _ => #unexpected,
                }
            }
            None => quote!(_ => #unexpected,),
        };
        Arms::Match(quote! {
            #(#exact)*
            #(#classes)*
            #default
        })
    }
}

/// The entry for `outcome` in `groups`, added at the end when it is new.
fn grouped<'g, 'a, T>(
    groups: &'g mut Vec<(Outcome<'a>, Vec<T>)>,
    outcome: Outcome<'a>,
) -> &'g mut Vec<T> {
    let index = match groups.iter().position(|(o, _)| *o == outcome) {
        Some(index) => index,
        None => {
            groups.push((outcome, Vec::new()));
            groups.len() - 1
        }
    };
    &mut groups[index].1
}

/// Range patterns for status classes; adjacent classes make one range (`4XX` and `5XX` →
/// `400..=599`).
fn class_ranges(classes: &[u8]) -> Vec<TokenStream> {
    let mut sorted = classes.to_vec();
    sorted.sort_unstable();
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for class in sorted {
        let (low, high) = (u16::from(class) * 100, u16::from(class) * 100 + 99);
        match runs.last_mut() {
            Some(run) if run.1 + 1 == low => run.1 = high,
            _ => runs.push((low, high)),
        }
    }
    runs.iter()
        .map(|(low, high)| {
            let (low, high) = (
                Literal::u16_unsuffixed(*low),
                Literal::u16_unsuffixed(*high),
            );
            quote!(#low..=#high)
        })
        .collect()
}

/// Status patterns, with runs of three or more consecutive codes as a range (`400..=403`).
fn code_patterns(codes: &[u16]) -> Vec<TokenStream> {
    let mut sorted = codes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut patterns = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[j] + 1 {
            j += 1;
        }
        let low = Literal::u16_unsuffixed(sorted[i]);
        if j - i >= 2 {
            let high = Literal::u16_unsuffixed(sorted[j]);
            patterns.push(quote!(#low..=#high));
            i = j + 1;
        } else {
            patterns.push(quote!(#low));
            i += 1;
        }
    }
    patterns
}

/// The properties of a flattened body, in document order.
fn body_fields<'a>(body: &Body, api: &'a Api) -> Option<Vec<&'a Field>> {
    let TypeRef::Named(name) = &body.ty else {
        return None;
    };
    if !body.flattened {
        return None;
    }
    match &api.type_def(name)?.kind {
        TypeKind::Struct { fields, .. } => Some(fields.iter().collect()),
        _ => None,
    }
}

/// `docs`, or what `fallback` says when the spec says nothing: an argument list entry or a
/// setter is never left without a word (`- `owner`:`).
fn or_fallback(docs: String, fallback: impl FnOnce() -> String) -> String {
    if docs.trim().is_empty() {
        fallback()
    } else {
        docs
    }
}

fn setter(slot: &Slot<'_>) -> TokenStream {
    let name = ident(&slot.name);
    let arg = arg_type(slot.ty, true);
    let value = convert(slot.ty, &format_ident!("value"));
    let doc = doc_attrs_or(&slot.docs, slot.name.trim_start_matches("r#"));
    let deprecated = match slot.kind {
        SlotKind::Param(p) => p.docs.deprecated,
        SlotKind::BodyField(f) => f.docs.deprecated,
        SlotKind::WholeBody => false,
    }
    .then(|| quote!(#[deprecated]));
    let assign = match slot.kind {
        SlotKind::BodyField(field) => {
            let field = ident(&field.rust_name);
            if slot_tri_state(slot) {
                quote!(self.body.#field = Some(Some(#value));)
            } else {
                quote!(self.body.#field = Some(#value);)
            }
        }
        _ => quote!(self.#name = Some(#value);),
    };
    let null_setter = match (slot.kind, &slot.null_setter) {
        (SlotKind::BodyField(field), Some(null_name)) => {
            let null_name = ident(null_name);
            let field_ident = ident(&field.rust_name);
            let doc = doc_attrs(&format!(
                "Sends `{}` as an explicit `null`.",
                field.wire_name.replace('`', "'")
            ));
            Some(quote! {
                #doc
                pub fn #null_name(mut self) -> Self {
                    self.body.#field_ident = Some(None);
                    self
                }
            })
        }
        _ => None,
    };
    quote! {
        #doc
        #deprecated
        pub fn #name(mut self, value: #arg) -> Self {
            #assign
            self
        }

        #null_setter
    }
}

fn slot_tri_state(slot: &Slot<'_>) -> bool {
    slot.null_setter.is_some()
}

/// Whether values of `ty` print as themselves with `Display` (scalars and string enums).
fn displays(ty: &TypeRef, api: &Api) -> bool {
    displays_within(ty, api, 0)
}

fn displays_within(ty: &TypeRef, api: &Api, depth: usize) -> bool {
    // Alias chains are finite (cycles are errors by now), but never trust that with the stack.
    if depth > 32 {
        return false;
    }
    match ty {
        TypeRef::String
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::Bool => true,
        TypeRef::Named(name) => api.type_def(name).is_some_and(|t| match &t.kind {
            TypeKind::Enum { .. } => true,
            TypeKind::Alias(inner) => displays_within(inner, api, depth + 1),
            _ => false,
        }),
        _ => false,
    }
}

/// Adds one parameter to the `RequestSpec`.
fn param_statement(slot: &Slot<'_>, param: &Param, api: &Api) -> TokenStream {
    let name = ident(&slot.name);
    let wire = &param.wire_name;
    let item_displays = matches!(&param.ty, TypeRef::Array(item) if displays(item, api));
    // `value` is a reference to the stored value, `place` the value itself, and `owned` what to
    // hand to generic (`impl Display`) arguments: the value when `self` owns it, else the
    // reference.
    let add = |value: TokenStream, place: TokenStream, owned: TokenStream| {
        // Path segments, headers and cookies are single strings: `as_text` makes one of a value
        // that does not display itself, `text` borrows it for `&str` arguments.
        let as_text = if item_displays {
            quote!(#place.iter().map(::std::string::ToString::to_string).collect::<Vec<_>>().join(","))
        } else {
            quote!(crate::runtime::plain_text(#value))
        };
        let text = if displays(&param.ty, api) {
            quote!(#value)
        } else {
            quote!(&#as_text)
        };
        match param.location {
            ParamLocation::Path => {
                let text = if param.ty == TypeRef::String {
                    quote!(#value)
                } else if displays(&param.ty, api) {
                    quote!(&#place.to_string())
                } else {
                    text
                };
                quote!(request.path_param(#wire, #text);)
            }
            ParamLocation::Query if item_displays => {
                let style = style_tokens(param.style);
                quote!(request.query_array(#wire, #owned, #style);)
            }
            ParamLocation::Query if displays(&param.ty, api) => {
                quote!(request.query(#wire, #owned);)
            }
            ParamLocation::Query => {
                let style = style_tokens(param.style);
                quote!(request.query_object(#wire, #value, #style);)
            }
            ParamLocation::Header | ParamLocation::Cookie => {
                // Generic `impl Display` arguments take the value itself where we own it, and a
                // made string without a borrow.
                let text = if displays(&param.ty, api) {
                    owned.clone()
                } else {
                    as_text
                };
                match param.location {
                    ParamLocation::Header => quote!(request.header(#wire, #text);),
                    _ => quote!(request.cookie(#wire, #text);),
                }
            }
        }
    };
    if slot.required {
        add(quote!(&self.#name), quote!(self.#name), quote!(self.#name))
    } else {
        let add = add(quote!(value), quote!(value), quote!(value));
        quote! {
            if let Some(value) = &self.#name {
                #add
            }
        }
    }
}

/// A `runtime::Style` value.
fn style_tokens(style: QueryStyle) -> TokenStream {
    match style {
        QueryStyle::Form { explode: true } => quote!(crate::runtime::Style::FORM),
        QueryStyle::Form { explode: false } => quote!(crate::runtime::Style::FORM_UNEXPLODED),
        QueryStyle::SpaceDelimited => quote!(crate::runtime::Style::SpaceDelimited),
        QueryStyle::PipeDelimited => quote!(crate::runtime::Style::PipeDelimited),
        QueryStyle::DeepObject => quote!(crate::runtime::Style::DeepObject),
    }
}

/// The idempotency key header: the caller's key, else a fresh one per call (kept on retries).
fn idempotency_statement(slot: &Slot<'_>, param: &Param) -> TokenStream {
    let name = ident(&slot.name);
    let wire = &param.wire_name;
    let key = if param.ty == TypeRef::String {
        quote!(self.#name.as_deref())
    } else {
        quote!(self.#name.as_ref().map(crate::runtime::plain_text).as_deref())
    };
    quote!(request.idempotency_key(#wire, #key);)
}

/// One argument of a group method, or one setter, of an operation's request builder: the
/// surface a caller of the generated SDK sees. Tools that write code against generated crates
/// (the conformance harness's smoke programs) read it here instead of parsing generated Rust.
#[derive(Clone, Debug, PartialEq)]
pub struct BuilderArg {
    /// The argument or setter name (`r#`-escaped where it is a keyword).
    pub name: String,
    /// The stored type; the method takes anything that converts into it.
    pub ty: TypeRef,
    /// An argument of the group method when true, else a setter on the builder.
    pub required: bool,
    /// What the value becomes on the wire.
    pub source: ArgSource,
}

/// Where a [`BuilderArg`] goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgSource {
    /// The operation's parameter at this index of [`Operation::params`].
    Param(usize),
    /// A property of a flattened body, by its wire name.
    BodyField(String),
    /// The whole request body.
    Body,
}

/// The arguments and setters of `op`'s request builder, in the order the group method takes
/// the required ones.
pub fn builder_args(op: &Operation, api: &Api) -> Vec<BuilderArg> {
    OperationCode::new(op, api)
        .slots
        .into_iter()
        .map(|slot| BuilderArg {
            name: slot.name,
            ty: slot.ty.clone(),
            required: slot.required,
            source: match slot.kind {
                SlotKind::Param(param) => ArgSource::Param(
                    op.params
                        .iter()
                        .position(|p| std::ptr::eq(p, param))
                        .unwrap_or_default(),
                ),
                SlotKind::BodyField(field) => ArgSource::BodyField(field.wire_name.clone()),
                SlotKind::WholeBody => ArgSource::Body,
            },
        })
        .collect()
}
