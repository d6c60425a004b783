//! `src/webhooks.rs` (only for APIs with OpenAPI 3.1 `webhooks`): the `Webhook` enum of the
//! requests the API sends, and the functions that decode an incoming request body into it,
//! given the webhook's name or (when every payload has one) its discriminating property.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, paragraphs};
use super::{ident, type_tokens};
use crate::model::{Api, Webhook};

pub fn webhooks_rs(api: &Api) -> TokenStream {
    let variants = api.webhooks.iter().map(variant);
    let names: Vec<&str> = unique(api.webhooks.iter().map(|w| w.name.as_str()));
    let parse_arms = names.iter().map(|name| {
        // Several methods under one name: the first payload that decodes wins.
        let attempts: Vec<TokenStream> = api
            .webhooks
            .iter()
            .filter(|w| w.name == *name)
            .map(decode)
            .collect();
        let (first, rest) = attempts.split_first().expect("every name has a webhook");
        quote!(#name => #first #(.or_else(|_| #rest))*,)
    });
    let name_arms = api.webhooks.iter().map(|w| {
        let variant = ident(&w.variant);
        let name = &w.name;
        match &w.payload {
            Some(_) => quote!(Self::#variant(_) => #name,),
            None => quote!(Self::#variant => #name,),
        }
    });
    let from_body = api.webhook_tag.as_ref().map(|tag| from_body(api, tag));
    let models = api
        .webhooks
        .iter()
        .any(|w| w.payload.as_ref().is_some_and(mentions_named))
        .then(|| {
            quote!(
                use crate::models;
            )
        });
    let unused_body = api
        .webhooks
        .iter()
        .all(|w| w.payload.is_none())
        .then(|| quote!(let _ = body;));
    let tag_doc = match &api.webhook_tag {
        Some(tag) => format!(" or, with [`Webhook::from_body`], by its `{tag}` property"),
        None => String::new(),
    };
    let module_doc = format!(
        " Webhooks: the requests this API sends to your server.\n\n Decode a request body with [`Webhook::parse`], given the webhook's name{tag_doc}.\n Checking that a request really comes from the API (a signature header, say) is up to you."
    );
    let module_doc = module_doc.lines().map(|line| quote!(#![doc = #line]));
    let names_doc = " The names of the webhooks, as [`Webhook::parse`] takes them.";
    quote! {
        #(#module_doc)*

        #models

        /// A request from the API, decoded.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum Webhook {
            #(#variants)*
        }

        /// Why a webhook request body could not be decoded.
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum WebhookError {
            /// No webhook of this name (or with this tag) is documented.
            Unknown(String),
            /// The body does not match the webhook's payload.
            Decode {
                /// Where in the body, as a JSON path (`data.id`).
                path: String,
                /// What was wrong there.
                message: String,
            },
        }

        impl std::fmt::Display for WebhookError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::Unknown(name) => write!(f, "unknown webhook `{name}`"),
                    Self::Decode { path, message } => {
                        write!(f, "the webhook body does not match its schema at `{path}`: {message}")
                    }
                }
            }
        }

        impl std::error::Error for WebhookError {}

        impl Webhook {
            #[doc = #names_doc]
            pub const NAMES: &[&str] = &[#(#names),*];

            /// Decodes the body of the webhook request named `name` (its key under `webhooks`
            /// in the spec).
            pub fn parse(name: &str, body: &[u8]) -> Result<Self, WebhookError> {
                #unused_body
                match name {
                    #(#parse_arms)*
                    other => Err(WebhookError::Unknown(other.to_owned())),
                }
            }

            #from_body

            /// The webhook's name, as [`Webhook::parse`] takes it.
            pub fn name(&self) -> &'static str {
                match self {
                    #(#name_arms)*
                }
            }
        }

        /// Decodes JSON, saying where it does not match.
        fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
            let mut deserializer = serde_json::Deserializer::from_slice(body);
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                WebhookError::Decode {
                    path: error.path().to_string(),
                    message: error.into_inner().to_string(),
                }
            })
        }
    }
}

/// One variant of `Webhook`.
fn variant(webhook: &Webhook) -> TokenStream {
    let name = ident(&webhook.variant);
    let heading = format!("`{}` ({})", webhook.name, webhook.http_method);
    let docs = paragraphs([
        Some(heading.as_str()),
        webhook.summary.as_deref(),
        webhook.description.as_deref(),
    ]);
    let docs = doc_attrs(&docs);
    match &webhook.payload {
        Some(ty) => {
            let ty = type_tokens(ty, true);
            quote!(#docs #name(#ty),)
        }
        None => quote!(#docs #name,),
    }
}

/// The expression that decodes `body` as `webhook`.
fn decode(webhook: &Webhook) -> TokenStream {
    let name = ident(&webhook.variant);
    match (&webhook.payload, webhook.json) {
        (Some(_), true) => quote!(decode(body).map(Self::#name)),
        (Some(_), false) => quote!(Ok(Self::#name(bytes::Bytes::copy_from_slice(body)))),
        (None, _) => quote!(Ok(Self::#name)),
    }
}

/// `Webhook::from_body`: reads the tag property, then the payload it names.
fn from_body(api: &Api, tag: &str) -> TokenStream {
    let arms = api.webhooks.iter().filter_map(|w| {
        let value = w.tag.as_ref()?;
        let decode = decode(w);
        Some(quote!(#value => #decode,))
    });
    let doc = format!(
        " Decodes a webhook request body, telling the webhooks apart by its `{tag}` property."
    );
    quote! {
        #[doc = #doc]
        pub fn from_body(body: &[u8]) -> Result<Self, WebhookError> {
            #[derive(serde::Deserialize)]
            struct Tag {
                #[serde(rename = #tag)]
                tag: String,
            }
            let Tag { tag } = decode(body)?;
            match tag.as_str() {
                #(#arms)*
                other => Err(WebhookError::Unknown(other.to_owned())),
            }
        }
    }
}

fn mentions_named(ty: &crate::model::TypeRef) -> bool {
    use crate::model::TypeRef;
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            mentions_named(inner)
        }
        TypeRef::Tuple(items) => items.iter().any(mentions_named),
        _ => false,
    }
}

/// The distinct items, in first-seen order.
fn unique<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}
