//! `src/errors.rs`: the crate's `Error` type and the decoded error bodies it can carry.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::ident;
use crate::model::Api;

pub fn errors_rs(api: &Api) -> TokenStream {
    let variants = api.error_bodies.iter().map(|name| {
        let ty = ident(name);
        let doc = doc_attrs(&format!("A [`models::{name}`] body."));
        quote!(#doc #ty(models::#ty),)
    });
    let models_import = (!api.error_bodies.is_empty()).then(|| {
        quote!(
            use crate::models;
        )
    });
    quote! {
        //! Errors: one [`Error`] type for every call, carrying the decoded body of documented
        //! error responses as an [`ErrorBody`].

        // A deprecated schema can still be an error body; only users' code should be warned.
        #![allow(deprecated)]

        #models_import

        /// The error type of every call: transport failures, timeouts, undecodable replies,
        /// and the API's own error responses (see [`crate::runtime::Error`]).
        pub type Error = crate::runtime::Error<ErrorBody>;

        /// The body of a documented error response, decoded into its schema.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum ErrorBody {
            #(#variants)*
        }
    }
}
