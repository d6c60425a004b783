//! `src/errors.rs`: the crate's `Error` type and the decoded error bodies it can carry.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::{feature_cfg, feature_names, features_of, ident};
use crate::model::{Api, GroupReach};

pub fn errors_rs(api: &Api) -> TokenStream {
    let reach = GroupReach::of(api);
    let features = feature_names(api);
    let variants = api.error_bodies.iter().map(|name| {
        let ty = ident(name);
        let doc = doc_attrs(&format!("A [`models::{name}`] body."));
        // Only the groups that can return it need the variant (and its model).
        let cfg = feature_cfg(features_of(&features, reach.error_body_groups(name)).as_deref());
        quote!(#cfg #doc #ty(models::#ty),)
    });
    let models_import = (!api.error_bodies.is_empty()).then(|| {
        quote!(
            // Unused when the enabled features leave out every error body.
            #[allow(unused_imports)]
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
