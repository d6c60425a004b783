//! `src/lib.rs`: crate docs, module tree and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::paragraphs;
use crate::config::Config;
use crate::model::{Api, AuthKind, Operation, ParamLocation, TypeRef};

pub fn lib_rs(api: &Api, config: &Config) -> TokenStream {
    let docs = crate_docs(api, config);
    let docs = docs.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
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
    quote! {
        #(#docs)*
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

        pub use self::client::Client;
        pub use self::errors::{Error, ErrorBody};
        pub use self::runtime::{ClientBuilder, RequestOptions, Response, RetryPolicy, Secret};

        #readme
    }
}

fn crate_docs(api: &Api, config: &Config) -> String {
    let lib = config.lib_name();
    let client = match (
        api.auth.as_ref().map(|a| &a.kind),
        &config.client.secret_env_var,
    ) {
        (None, _) => format!("let client = {lib}::Client::new()?;"),
        (Some(_), Some(_)) => format!("let client = {lib}::Client::from_env()?;"),
        (Some(AuthKind::Basic), None) => {
            format!("let client = {lib}::Client::new(\"user\", \"password\")?;")
        }
        (Some(_), None) => format!("let client = {lib}::Client::new(\"token\")?;"),
    };

    let call = example_call(api).unwrap_or_default();
    let example = format!(
        "```no_run\n# async fn run() -> Result<(), {lib}::Error> {{\n{client}\n{call}# Ok(())\n# }}\n```"
    );
    let env = config
        .client
        .secret_env_var
        .as_ref()
        .map(|var| format!("`Client::from_env()` reads the token from `{var}`."));
    paragraphs([
        Some(format!("# {}", api.title).as_str()),
        api.description.as_deref(),
        Some(&format!(
            "A typed async client for version `{}` of the API.",
            api.version
        )),
        Some(example.as_str()),
        env.as_deref(),
        Some(
            "Every call returns [`Error`] on failure; documented error responses carry their decoded body as an [`ErrorBody`].",
        ),
    ])
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
