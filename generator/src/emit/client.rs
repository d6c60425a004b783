//! `src/client.rs`: the `Client`, its defaults from the spec, and one accessor per group.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{Doc, code, doc_attrs, paragraphs, spec_prose};
use super::{feature_names, ident};
use crate::config::{Config, derived_env_var};
use crate::model::{Api, Auth, AuthKind, Security, StatusMatch};

/// What the generated `Client` defines (methods, associated constants, and `clone` from its
/// derive): group accessors must not take these names.
pub const CLIENT_MEMBERS: &[&str] = &[
    "DEFAULT_BASE_URL",
    "SECRET_ENV_VAR",
    "builder",
    "clone",
    "core",
    "from_env",
    "new",
];

/// The environment variable `Client::from_env` reads: the config's, else one derived from the
/// crate name and what the API's main credential is. `None` for APIs without credentials.
pub(super) fn secret_env_var(api: &Api, config: &Config) -> Option<String> {
    let primary = api.primary_auth()?;
    let env = config.client.secret_env_var.clone();
    Some(env.unwrap_or_else(|| {
        let holds = match primary.kind {
            AuthKind::Bearer | AuthKind::OAuth2 => "TOKEN",
            AuthKind::Basic => "CREDENTIALS",
            AuthKind::ApiKeyHeader(_) | AuthKind::ApiKeyQuery(_) | AuthKind::ApiKeyCookie(_) => {
                "API_KEY"
            }
        };
        derived_env_var(&config.package.name, holds)
    }))
}

pub fn client_rs(api: &Api, config: &Config) -> TokenStream {
    let defaults = defaults(api, config);
    let base_url = base_url(api);
    let env_var = secret_env_var(api, config);
    let env_var = env_var.as_deref();
    let env_const = env_var.map(|var| {
        quote! {
            /// The environment variable [`Client::from_env`] reads the credential from.
            pub const SECRET_ENV_VAR: &'static str = #var;
        }
    });
    let Constructors {
        tokens: constructors,
        example,
    } = constructors(api, config);
    let client_doc = Doc::new()
        .prose(&format!("A client for {} (version {}).", api.title, api.version))
        .prose("Cheap to clone: clones share one connection pool. Build one with [`Client::builder`] to change the base URL, timeouts, retries or headers.")
        .prose(credentials_doc(api).trim_start())
        .example(&format!(
            "# async fn run() -> Result<(), {lib}::Error> {{\n{example}\n# Ok(())\n# }}",
            lib = config.lib_name(),
        ))
        .outer();
    let accessors = accessors(api);
    let duration = api.retry.is_some().then(|| {
        quote!(
            use std::time::Duration;
        )
    });
    let mut runtime = vec![quote!(ApiDefaults)];
    if !api.security_schemes.is_empty() {
        runtime.push(quote!(AuthScheme));
    }
    runtime.extend([quote!(ClientBuilder), quote!(Core), quote!(RetryPolicy)]);
    if !api.security_schemes.is_empty() {
        runtime.push(quote!(SecurityScheme));
    }
    if api.retry.is_some() {
        runtime.push(quote!(StatusMatch));
    }

    // A document with webhooks only has no operations to reach.
    // Unused when no group's feature is on.
    let operations = (!api.groups.is_empty()).then(|| {
        quote!(
            #[allow(unused_imports)]
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
            // Only operations call it, and none compile when no group's feature is on.
            quote! {
                #[allow(dead_code)]
                pub(crate) fn core(&self) -> &Core {
                    &self.core
                }
            },
        )
    };
    quote! {
        //! The API client and its defaults.

        use std::sync::Arc;
        #duration

        use crate::Error;
        #operations
        use crate::runtime::{#(#runtime),*};

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
    let env_tokens = match secret_env_var(api, config).as_deref() {
        Some(var) => quote!(Some(#var)),
        None => quote!(None),
    };
    let user_agent = config
        .client
        .user_agent
        .clone()
        .unwrap_or_else(|| config.package.name.clone());
    let user_agent = format!("{user_agent}/");
    // Without `x-speakeasy-retries` the runtime's documented default applies, by reference: one
    // definition of it exists.
    let retry = match &api.retry {
        Some(policy) => retry_tokens(policy),
        None => quote!(RetryPolicy::DEFAULT),
    };
    let schemes = api.security_schemes.iter().map(scheme_tokens);
    let security = security_tokens(&api.security);
    quote! {
        /// What the spec says about talking to this API.
        const DEFAULTS: ApiDefaults = ApiDefaults {
            base_url: #base_url,
            secret_env_var: #env_tokens,
            user_agent: concat!(#user_agent, env!("CARGO_PKG_VERSION")),
            retry: #retry,
            schemes: &[#(#schemes),*],
            security: #security,
        };
    }
}

/// One accessor per group: `client.organization_memberships()`.
fn accessors(api: &Api) -> Vec<TokenStream> {
    api.groups
        .iter()
        .zip(feature_names(api))
        .map(|(group, feature)| {
            let method = ident(&group.method);
            let ty = ident(&group.type_name);
            let group_doc = group.doc.as_deref().map(spec_prose);
            let doc = doc_attrs(&paragraphs([
                Some(format!("The {} operations.", code(&group.tag)).as_str()),
                group_doc.as_deref(),
                Some(format!("Needs the crate's `{feature}` feature (on by default).").as_str()),
            ]));
            quote! {
                #[cfg(feature = #feature)]
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
    let env_var = secret_env_var(api, config);
    let env_var = env_var.as_deref();
    let Some(auth) = api.primary_auth() else {
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
        AuthKind::OAuth2 => {
            "the OAuth 2 access token `token` (obtained with the API's OAuth flow), sent as a bearer token".to_owned()
        }
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
            .map(|d| format!("Credential: {}", spec_prose(d)))
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
        AuthKind::Bearer | AuthKind::OAuth2 => quote! {
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

/// For APIs with several schemes: which builder setter fills each, since an operation sends
/// the first of its accepted credentials that the client holds.
fn credentials_doc(api: &Api) -> String {
    if api.security_schemes.len() < 2 {
        return String::new();
    }
    let lines: Vec<String> = api
        .security_schemes
        .iter()
        .map(|auth| {
            let (what, setter) = match &auth.kind {
                AuthKind::Bearer => ("a bearer token".to_owned(), "bearer_token"),
                AuthKind::OAuth2 => ("an OAuth 2 access token".to_owned(), "bearer_token"),
                AuthKind::Basic => ("HTTP basic authentication".to_owned(), "basic_auth"),
                AuthKind::ApiKeyHeader(name) => {
                    (format!("an API key in the `{name}` header"), "api_key")
                }
                AuthKind::ApiKeyQuery(name) => {
                    (format!("an API key in the `{name}` query parameter"), "api_key")
                }
                AuthKind::ApiKeyCookie(name) => {
                    (format!("an API key in the `{name}` cookie"), "api_key")
                }
            };
            format!(
                "- `{}`: {what}; [`ClientBuilder::{setter}`], or [`ClientBuilder::credential`] with this name.",
                auth.scheme
            )
        })
        .collect();
    format!(
        "\n\nThe API takes these credentials; each operation sends the first it accepts that the client holds:\n\n{}",
        lines.join("\n")
    )
}

/// One entry of `ApiDefaults::schemes`.
fn scheme_tokens(auth: &Auth) -> TokenStream {
    let name = &auth.scheme;
    let kind = match &auth.kind {
        AuthKind::Bearer | AuthKind::OAuth2 => quote!(AuthScheme::Bearer),
        AuthKind::Basic => quote!(AuthScheme::Basic),
        AuthKind::ApiKeyHeader(header) => quote!(AuthScheme::ApiKeyHeader(#header)),
        AuthKind::ApiKeyQuery(param) => quote!(AuthScheme::ApiKeyQuery(#param)),
        AuthKind::ApiKeyCookie(cookie) => quote!(AuthScheme::ApiKeyCookie(#cookie)),
    };
    quote!(SecurityScheme { name: #name, kind: #kind })
}

/// A `runtime::Security` literal: `&[&["a"], &["b", "c"]]`.
pub(super) fn security_tokens(security: &Security) -> TokenStream {
    let alternatives = security.iter().map(|set| quote!(&[#(#set),*]));
    quote!(&[#(#alternatives),*])
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
