//! `src/lib.rs`: crate docs, module tree and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, code};
use super::ident;
use crate::config::Config;
use crate::model::{Api, AuthKind, Operation, ParamLocation, TypeRef};

/// What the crate root re-exports next to the `models` module; schema types avoid these names,
/// so `models::Error` and `crate::Error` are never two different things.
pub const EXPORTS: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorBody",
    "RequestOptions",
    "Response",
    "RetryPolicy",
    "Secret",
];

pub fn lib_rs(api: &Api, config: &Config) -> TokenStream {
    let docs = crate_docs(api, config).inner();
    let readme = config.package.readme_doctests.as_ref().map(|path| {
        let path = format!("../{path}");
        quote! {
            /// The code examples of the README, compiled as doctests.
            #[cfg(doctest)]
            #[doc = include_str!(#path)]
            pub struct ReadmeDoctests;
        }
    });
    let webhooks = (!api.webhooks.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    // Each export from the module that defines it.
    let exports = ["client", "errors", "runtime"].map(|module| {
        let names = EXPORTS
            .iter()
            .filter(|name| match **name {
                "Client" => module == "client",
                "Error" | "ErrorBody" => module == "errors",
                _ => module == "runtime",
            })
            .map(|name| ident(name));
        let module = ident(module);
        match names.collect::<Vec<_>>().as_slice() {
            [one] => quote!(pub use self::#module::#one;),
            names => quote!(pub use self::#module::{#(#names),*};),
        }
    });
    quote! {
        #docs
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        // prettyplease formats these modules; keep rustfmt (`cargo fmt` in a workspace that
        // contains this crate) from rewriting them.
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod errors;
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod runtime;
        #webhooks

        #(#exports)*

        #readme
    }
}

/// The crate's front page: the API's title and description, and how to make a first call.
fn crate_docs(api: &Api, config: &Config) -> Doc {
    let lib = config.lib_name();
    let env_var = super::client::secret_env_var(api, config);
    let client = match (api.primary_auth().map(|a| &a.kind), &env_var) {
        (None, _) => format!("let client = {lib}::Client::new()?;"),
        (Some(_), Some(_)) => format!("let client = {lib}::Client::from_env()?;"),
        (Some(AuthKind::Basic), None) => {
            format!("let client = {lib}::Client::new(\"user\", \"password\")?;")
        }
        (Some(_), None) => format!("let client = {lib}::Client::new(\"token\")?;"),
    };

    let call = example_call(api).unwrap_or_default();
    let example =
        format!("# async fn run() -> Result<(), {lib}::Error> {{\n{client}\n{call}# Ok(())\n# }}");
    let env = env_var.as_ref().map(|var| {
        format!(
            "`Client::from_env()` reads the credential from {}; `Client::builder()` sets it (or another of the API's credentials) in code.",
            code(var)
        )
    });
    Doc::new()
        .prose(&format!("# {}", api.title))
        .prose(api.description.as_deref().unwrap_or_default())
        .prose(&format!(
            "A typed async client for version {} of the API.",
            code(&api.version)
        ))
        .example(&example)
        .prose(env.as_deref().unwrap_or_default())
        .prose(
            "Every call returns [`Error`] on failure; documented error responses carry their decoded body as an [`ErrorBody`].",
        )
}

/// A call to the first operation whose required inputs are all strings, for the crate docs.
fn example_call(api: &Api) -> Option<String> {
    let (group, op) = api
        .groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |op| (g, op)))
        .find(|(_, op)| op.http_method == "GET" && simple_arguments(op))?;
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| match p.docs.example.as_ref().and_then(|e| e.as_str()) {
            Some(example) => format!("{example:?}"),
            None => format!("{:?}", p.wire_name),
        })
        .collect();
    Some(format!(
        "let response = client.{}().{}({}).send().await?;\n",
        group.method,
        op.method_name,
        args.join(", ")
    ))
}

fn simple_arguments(op: &Operation) -> bool {
    op.body.as_ref().is_none_or(|b| !b.required)
        && op
            .params
            .iter()
            .filter(|p| p.required)
            .all(|p| p.ty == TypeRef::String && p.location != ParamLocation::Header)
}
