//! `src/client.rs`: the `Client`, its defaults from the spec, and one accessor per group.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, paragraphs};
use super::ident;
use crate::config::Config;
use crate::model::{Api, AuthKind, StatusMatch};

/// Used when the spec has no retry policy: retry rate limits and server errors for a minute.
const DEFAULT_RETRY: crate::model::RetryPolicy = crate::model::RetryPolicy {
    initial_interval_ms: 500,
    max_interval_ms: 10_000,
    max_elapsed_ms: 60_000,
    exponent: 2.0,
    statuses: Vec::new(),
    connection_errors: true,
};

pub fn client_rs(api: &Api, config: &Config) -> TokenStream {
    let defaults = defaults(api, config);
    let base_url = base_url(api);
    let env_var = config.client.secret_env_var.as_deref();
    let env_const = env_var.map(|var| {
        quote! {
            /// The environment variable [`Client::from_env`] reads the token from.
            pub const SECRET_ENV_VAR: &'static str = #var;
        }
    });
    let Constructors {
        tokens: constructors,
        example,
    } = constructors(api, config);
    let client_doc = doc_attrs(&format!(
        "A client for {title} (version {version}).\n\nCheap to clone: clones share one connection pool. Build one with [`Client::builder`] to change the base URL, timeouts, retries or headers.\n\n```no_run\n# async fn run() -> Result<(), {lib}::Error> {{\n{example}\n# Ok(())\n# }}\n```",
        title = api.title,
        version = api.version,
        lib = config.lib_name(),
    ));
    let accessors = accessors(api);

    // A document with webhooks only has no operations to reach.
    let operations = (!api.groups.is_empty()).then(|| {
        quote!(
            use crate::operations;
        )
    });
    // Without operations nothing reads the client's core; it is kept so that the client
    // still carries its configuration (and gains operations without an API change).
    let (core_attr, core_fn) = if api.groups.is_empty() {
        (quote!(#[allow(dead_code)]), quote!())
    } else {
        (
            quote!(),
            quote! {
                pub(crate) fn core(&self) -> &Core {
                    &self.core
                }
            },
        )
    };
    quote! {
        //! The API client and its defaults.

        use std::sync::Arc;
        use std::time::Duration;

        use crate::Error;
        #operations
        use crate::runtime::{ApiDefaults, AuthScheme, ClientBuilder, Core, RetryPolicy, StatusMatch};

        #defaults

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            #core_attr
            core: Arc<Core>,
        }

        impl Client {
            /// The base URL the spec names (`servers[0].url`).
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            #env_const

            #constructors

            /// A builder to configure the client before use.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(DEFAULTS)
            }

            #core_fn

            #(#accessors)*
        }

        impl ClientBuilder {
            /// Builds the [`Client`]. Fails with [`Error::Config`](crate::runtime::Error::Config)
            /// when a setting is invalid, such as a malformed base URL or header.
            pub fn build(self) -> Result<Client, Error> {
                Ok(Client {
                    core: Arc::new(self.build_core()?),
                })
            }
        }
    }
}

/// `servers[0].url`, else a local placeholder.
fn base_url(api: &Api) -> &str {
    api.servers
        .first()
        .map(String::as_str)
        .unwrap_or("http://localhost")
}

/// The `DEFAULTS` constant: what the spec and the config say about talking to this API.
fn defaults(api: &Api, config: &Config) -> TokenStream {
    let base_url = base_url(api);
    let env_tokens = match config.client.secret_env_var.as_deref() {
        Some(var) => quote!(Some(#var)),
        None => quote!(None),
    };
    let user_agent = config
        .client
        .user_agent
        .clone()
        .unwrap_or_else(|| config.package.name.clone());
    let user_agent = format!("{user_agent}/");
    let retry = retry_tokens(api.retry.as_ref().unwrap_or(&DEFAULT_RETRY));
    let auth_scheme = auth_scheme(api);
    quote! {
        /// What the spec says about talking to this API.
        const DEFAULTS: ApiDefaults = ApiDefaults {
            base_url: #base_url,
            secret_env_var: #env_tokens,
            user_agent: concat!(#user_agent, env!("CARGO_PKG_VERSION")),
            retry: #retry,
            auth: #auth_scheme,
        };
    }
}

/// Where the runtime puts the credential.
fn auth_scheme(api: &Api) -> TokenStream {
    match api.auth.as_ref().map(|a| &a.kind) {
        None => quote!(AuthScheme::None),
        Some(AuthKind::Bearer) => quote!(AuthScheme::Bearer),
        Some(AuthKind::Basic) => quote!(AuthScheme::Basic),
        Some(AuthKind::ApiKeyHeader(name)) => quote!(AuthScheme::ApiKeyHeader(#name)),
        Some(AuthKind::ApiKeyQuery(name)) => quote!(AuthScheme::ApiKeyQuery(#name)),
        Some(AuthKind::ApiKeyCookie(name)) => quote!(AuthScheme::ApiKeyCookie(#name)),
    }
}

/// One accessor per group: `client.organization_memberships()`.
fn accessors(api: &Api) -> Vec<TokenStream> {
    api.groups
        .iter()
        .map(|group| {
            let method = ident(&group.method);
            let ty = ident(&group.type_name);
            let doc = doc_attrs(&paragraphs([
                Some(format!("Operations tagged `{}`.", group.tag).as_str()),
                group.doc.as_deref(),
            ]));
            quote! {
                #doc
                pub fn #method(&self) -> operations::#ty<'_> {
                    operations::#ty::new(self)
                }
            }
        })
        .collect()
}

/// `Client::new` (and `from_env`), which take the credential the API's auth scheme needs, and
/// the line of the client's doc example that creates one.
struct Constructors {
    tokens: TokenStream,
    example: String,
}

fn constructors(api: &Api, config: &Config) -> Constructors {
    let lib = config.lib_name();
    let env_var = config.client.secret_env_var.as_deref();
    let Some(auth) = &api.auth else {
        return Constructors {
            tokens: quote! {
                /// A client with the defaults from the spec.
                pub fn new() -> Result<Self, Error> {
                    Self::builder().build()
                }
            },
            example: format!("let client = {lib}::Client::new()?;"),
        };
    };
    let basic = auth.kind == AuthKind::Basic;
    let what = match &auth.kind {
        AuthKind::Bearer => "the bearer token `token`".to_owned(),
        AuthKind::Basic => "HTTP basic authentication".to_owned(),
        AuthKind::ApiKeyHeader(name) => {
            format!("the API key `token`, sent in the `{name}` header")
        }
        AuthKind::ApiKeyQuery(name) => {
            format!("the API key `token`, sent as the `{name}` query parameter")
        }
        AuthKind::ApiKeyCookie(name) => {
            format!("the API key `token`, sent as the `{name}` cookie")
        }
    };
    let new_doc = doc_attrs(&paragraphs([
        Some(format!("A client that authenticates with {what}.").as_str()),
        auth.doc
            .as_deref()
            .map(|d| format!("Credential: {d}"))
            .as_deref(),
    ]));
    let from_env = env_var.map(|var| {
        let holds = if basic { "`user:password`" } else { "the credential" };
        let doc = doc_attrs(&format!(
            "A client that reads {holds} from the `{var}` environment variable.\n\nFails with [`Error::Config`](crate::runtime::Error::Config) when the variable is unset or empty."
        ));
        quote! {
            #doc
            pub fn from_env() -> Result<Self, Error> {
                Self::builder().token_from_env().build()
            }
        }
    });
    let new = match &auth.kind {
        AuthKind::Basic => quote! {
            pub fn new(user: impl Into<String>, password: impl Into<crate::runtime::Secret>) -> Result<Self, Error> {
                Self::builder().basic_auth(user, password).build()
            }
        },
        AuthKind::Bearer => quote! {
            pub fn new(token: impl Into<crate::runtime::Secret>) -> Result<Self, Error> {
                Self::builder().bearer_token(token).build()
            }
        },
        _ => quote! {
            pub fn new(token: impl Into<crate::runtime::Secret>) -> Result<Self, Error> {
                Self::builder().api_key(token).build()
            }
        },
    };
    let example = match (env_var, basic) {
        (Some(_), _) => format!("let client = {lib}::Client::from_env()?;"),
        (None, true) => format!("let client = {lib}::Client::new(\"user\", \"password\")?;"),
        (None, false) => format!("let client = {lib}::Client::new(\"token\")?;"),
    };
    Constructors {
        tokens: quote! {
            #new_doc
            #new

            #from_env
        },
        example,
    }
}

/// The policy as a `const` expression; 429 is always retried (rate limits clear by waiting).
fn retry_tokens(policy: &crate::model::RetryPolicy) -> TokenStream {
    let mut statuses = policy.statuses.clone();
    if statuses.is_empty() {
        statuses.push(StatusMatch::Class(5));
    }
    if !statuses.contains(&StatusMatch::Exact(429)) && !statuses.contains(&StatusMatch::Class(4)) {
        statuses.insert(0, StatusMatch::Exact(429));
    }
    let statuses = statuses.iter().map(|s| match s {
        StatusMatch::Exact(code) => {
            let code = Literal::u16_unsuffixed(*code);
            quote!(StatusMatch::Exact(#code))
        }
        StatusMatch::Class(class) => {
            let class = Literal::u8_unsuffixed(*class);
            quote!(StatusMatch::Class(#class))
        }
    });
    let initial = Literal::u64_unsuffixed(policy.initial_interval_ms);
    let max_interval = Literal::u64_unsuffixed(policy.max_interval_ms);
    let max_elapsed = Literal::u64_unsuffixed(policy.max_elapsed_ms);
    let exponent = Literal::f64_unsuffixed(policy.exponent);
    let connection = policy.connection_errors;
    quote! {
        RetryPolicy::backoff(
            Duration::from_millis(#initial),
            Duration::from_millis(#max_interval),
            Duration::from_millis(#max_elapsed),
            #exponent,
            &[#(#statuses),*],
            #connection,
        )
    }
}
