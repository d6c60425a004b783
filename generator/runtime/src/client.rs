//! Client configuration: the API's defaults, the builder, and the configured transport.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderMap;
use http::header::{HeaderName, HeaderValue, USER_AGENT};

use super::auth::{Credential, Given, Keyring, Security, SecurityScheme, Target};
use super::error::Error;
use super::hooks::{Hooks, RequestInfo, ResponseInfo};
use super::request::parse_header;
use super::retry::RetryPolicy;
use super::secret::Secret;

/// Compile-time facts about one API, written by the generator as a `const`.
#[derive(Debug, Clone, Copy)]
pub struct ApiDefaults {
    /// The base URL every path is appended to (the API description's first server).
    pub base_url: &'static str,
    /// The environment variable [`ClientBuilder::token_from_env`] reads, e.g.
    /// `Some("CLERK_SECRET_KEY")`; `None` when the API has no authentication.
    pub secret_env_var: Option<&'static str>,
    /// The default `User-Agent`, e.g. `clerk-backend/1.2.3`.
    pub user_agent: &'static str,
    /// The default retry policy (from `x-speakeasy-retries`, else [`RetryPolicy::DEFAULT`]).
    pub retry: RetryPolicy,
    /// Every security scheme the API's operations use that the SDK can send.
    pub schemes: &'static [SecurityScheme],
    /// The security of operations that do not state their own (the spec's root `security`).
    pub security: Security,
}

/// Default per-attempt timeout: generous enough for slow list endpoints, short enough that a
/// hung connection does not block a caller forever.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on a response body. Far above any legitimate JSON page, far below what would
/// hurt a server process.
const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Configures and builds a client. Every setting has a sensible default except the credential.
pub struct ClientBuilder {
    defaults: ApiDefaults,
    credentials: Given,
    base_url: Option<String>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    default_headers: Vec<(String, String)>,
    user_agent: Option<String>,
    max_response_bytes: usize,
    hooks: Hooks,
}

impl ClientBuilder {
    /// Starts from the API's defaults.
    #[doc(hidden)]
    pub fn new(defaults: ApiDefaults) -> Self {
        ClientBuilder {
            defaults,
            credentials: Given::Unset,
            base_url: None,
            timeout: Some(DEFAULT_TIMEOUT),
            deadline: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: defaults.retry,
            default_headers: Vec::new(),
            user_agent: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            hooks: Hooks::default(),
        }
    }

    /// Authenticates with `Authorization: Bearer <token>` wherever the API takes a bearer
    /// token (OAuth 2 and OpenID Connect access tokens included). For an API without bearer
    /// schemes, the token is its API key.
    ///
    /// Surrounding whitespace is ignored; a token with other whitespace, control or non-ASCII
    /// characters fails [`build`](Self::build_core) with [`Error::Config`].
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials
            .add(Target::Bearer, Credential::Token(token.into()));
        self
    }

    /// Authenticates with the API key `key`, sent where the spec says (a header, a query
    /// parameter or a cookie). For an API without API key schemes, the key is its bearer token.
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.credentials
            .add(Target::ApiKey, Credential::Token(key.into()));
        self
    }

    /// Authenticates with HTTP basic authentication.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials.add(
            Target::Basic,
            Credential::Basic(user.into(), password.into()),
        );
        self
    }

    /// Sets the credential of one security scheme, by its name in the spec's
    /// `components.securitySchemes`, for APIs with several schemes of one kind (a basic-auth
    /// scheme takes `user:password`). It wins over the kind-wide setters for that scheme; an
    /// unknown name fails the build.
    pub fn credential(mut self, scheme: impl Into<String>, secret: impl Into<Secret>) -> Self {
        self.credentials.add(
            Target::Scheme(scheme.into()),
            Credential::Token(secret.into()),
        );
        self
    }

    /// Reads the API's main credential (the kind its default security names first) from the
    /// API's environment variable (e.g. `CLERK_SECRET_KEY`) when the client is built.
    /// Surrounding whitespace is ignored; a missing or empty variable fails the build with
    /// [`Error::Config`].
    pub fn token_from_env(mut self) -> Self {
        self.credentials.add(Target::Primary, Credential::FromEnv);
        self
    }

    /// Sends requests without credentials, for APIs or test servers that need none.
    pub fn unauthenticated(mut self) -> Self {
        self.credentials = Given::Anonymous;
        self
    }

    /// Overrides the base URL (a staging server, a proxy, a local mock). A trailing slash is
    /// ignored. It must be an absolute `http`/`https` URL without query, fragment or embedded
    /// credentials.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Per-attempt timeout covering connect, send and reading the whole body (default 60 s).
    /// Retries get a fresh timeout each; see [`deadline`](Self::deadline) for a bound on the
    /// whole call.
    pub fn timeout(mut self, overall: Duration) -> Self {
        self.timeout = Some(overall);
        self
    }

    /// A deadline for every call, retries and the waits between them included (default: none,
    /// so the retry policy's time budget bounds a call).
    ///
    /// An attempt in flight when the deadline passes is abandoned and the call fails with
    /// [`Error::Timeout`] whose `limit` is [`TimeLimit::Deadline`](super::TimeLimit); a retry
    /// whose wait would end past the deadline is not made, and the call returns its last
    /// response or error instead. Each attempt still has its own [`timeout`](Self::timeout),
    /// and the retry policy its own budget: whichever limit comes first ends the call.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Timeout for establishing a connection, TLS included (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Replaces the API's default retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Disables retries: every call makes exactly one attempt.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// Adds a header sent with every request. Operation and per-call headers of the same name
    /// take precedence. Invalid names or values (e.g. with CR/LF) fail the build.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Replaces the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Caps the size of a response body (default 16 MiB). Bigger responses fail with
    /// [`Error::ResponseTooLarge`] as soon as the limit is crossed, without buffering the rest.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Adds a hook that runs before every attempt (retries included), to add headers such as a
    /// request ID or trace context, or to count calls. Hooks run in the order they were added,
    /// inside the call's `http.request` tracing span.
    ///
    /// The hook sees the operation, method, path template, URL and headers, but never the
    /// credential: it is added after the hooks ran, and credential headers (`Authorization`,
    /// `Cookie`, the API's key headers, per-call ones included) are hidden from the hook and
    /// restored afterwards, whatever the hook did to them. Hooks run on the caller's task: keep
    /// them short and non-blocking.
    ///
    /// ```ignore
    /// let client = Client::builder()
    ///     .on_request(|req| {
    ///         req.headers_mut()
    ///             .insert("x-request-id", HeaderValue::from_static("r-42"));
    ///     })
    ///     .build()?;
    /// ```
    pub fn on_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&mut RequestInfo<'_>) + Send + Sync + 'static,
    {
        self.hooks.on_request.push(Arc::new(hook));
        self
    }

    /// Adds a hook that runs after every attempt (retries included) with its
    /// [`ResponseInfo`]: status or failure kind, attempt number, durations, and whether it
    /// will be retried. Meant for metrics and logs; hooks run in the order they were added,
    /// inside the call's `http.request` tracing span.
    ///
    /// ```ignore
    /// let client = Client::builder()
    ///     .on_response(|res| {
    ///         metrics.observe(res.operation_id, res.status.map(|s| s.as_u16()), res.elapsed);
    ///     })
    ///     .build()?;
    /// ```
    pub fn on_response<F>(mut self, hook: F) -> Self
    where
        F: Fn(&ResponseInfo<'_>) + Send + Sync + 'static,
    {
        self.hooks.on_response.push(Arc::new(hook));
        self
    }

    /// Validates the configuration and builds the transport. All problems are reported as
    /// [`Error::Config`]; this never panics. The generated `build()` wraps it.
    #[doc(hidden)]
    pub fn build_core<B>(self) -> Result<Core, Error<B>> {
        let base_url =
            normalize_base_url(self.base_url.as_deref().unwrap_or(self.defaults.base_url))
                .map_err(Error::Config)?;

        let mut headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let (name, value) = parse_header(name, value)
                .map_err(|e| Error::Config(format!("default header: {e}")))?;
            headers.insert(name, value);
        }
        let user_agent = self
            .user_agent
            .as_deref()
            .unwrap_or(self.defaults.user_agent);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::Config(format!(
                "user agent {user_agent:?} is not a valid header value"
            ))
        })?;
        headers.insert(USER_AGENT, user_agent);

        let keyring = Keyring::new(
            self.defaults.schemes,
            self.defaults.security,
            self.defaults.secret_env_var,
            self.credentials,
        )
        .map_err(Error::Config)?;
        let key_headers = keyring.header_names();

        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(self.connect_timeout)
            // A redirect from a JSON API almost always means a wrong base URL (http -> https,
            // missing version prefix); surfacing it beats silently re-sending the request,
            // possibly as a GET, possibly to another host.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("could not initialise the HTTP client: {e}")))?;

        Ok(Core {
            inner: Arc::new(Inner {
                http,
                base_url,
                headers,
                keyring,
                key_headers,
                retry: self.retry,
                timeout: self.timeout,
                deadline: self.deadline,
                max_response_bytes: self.max_response_bytes,
                hooks: self.hooks,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field(
                "base_url",
                &self.base_url.as_deref().unwrap_or(self.defaults.base_url),
            )
            .field("credentials", &self.credentials.describe())
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>(),
            )
            .field(
                "user_agent",
                &self
                    .user_agent
                    .as_deref()
                    .unwrap_or(self.defaults.user_agent),
            )
            .field("max_response_bytes", &self.max_response_bytes)
            .field("hooks", &self.hooks)
            .finish()
    }
}

fn normalize_base_url(raw: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(raw.trim())
        .map_err(|e| format!("base URL {raw:?} is not a valid absolute URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("base URL {raw:?} must use http or https"));
    }
    if url.host().is_none() {
        return Err(format!("base URL {raw:?} has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "base URL {raw:?} must not have a query or fragment"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials in the URL would end up in error messages and logs.
        return Err("base URL must not embed credentials; use `.bearer_token(..)`".to_owned());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// The configuration a built client shares between its clones.
pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    /// Normalized, without trailing slash.
    pub(super) base_url: String,
    /// User agent and default headers.
    pub(super) headers: HeaderMap,
    /// The credentials, added to the requests whose operation takes them.
    pub(super) keyring: Keyring,
    /// The headers the credentials travel in, hidden from request hooks.
    pub(super) key_headers: Vec<HeaderName>,
    pub(super) retry: RetryPolicy,
    pub(super) timeout: Option<Duration>,
    pub(super) deadline: Option<Duration>,
    pub(super) max_response_bytes: usize,
    pub(super) hooks: Hooks,
}

/// The configured transport shared by a generated client's operations. Cheap to clone.
///
/// Generated code calls it; users go through the generated `Client`.
#[doc(hidden)]
#[derive(Clone)]
pub struct Core {
    pub(super) inner: Arc<Inner>,
}

impl Core {
    /// The base URL requests are sent to, without trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("base_url", &self.inner.base_url)
            .field("authenticated", &self.inner.keyring.is_configured())
            .field("credentials", &self.inner.keyring)
            .field("timeout", &self.inner.timeout)
            .field("deadline", &self.inner.deadline)
            .field("retry", &self.inner.retry)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("hooks", &self.inner.hooks)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::AuthScheme;
    use http::header::AUTHORIZATION;

    const BEARER: &[SecurityScheme] = &[SecurityScheme {
        name: "bearerAuth",
        kind: AuthScheme::Bearer,
    }];

    const DEFAULTS: ApiDefaults = ApiDefaults {
        base_url: "https://api.example.com/v1",
        secret_env_var: Some("SDKGEN_RUNTIME_UNIT_TEST_UNSET_VAR"),
        user_agent: "example-sdk/0.1.0",
        retry: RetryPolicy::DEFAULT,
        schemes: BEARER,
        security: &[&["bearerAuth"]],
    };

    fn config_error(builder: ClientBuilder) -> String {
        match builder.build_core::<()>() {
            Err(Error::Config(msg)) => msg,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn base_urls_are_validated_and_normalized() {
        let core = ClientBuilder::new(DEFAULTS)
            .bearer_token("sk")
            .build_core::<()>()
            .unwrap();
        assert_eq!(core.base_url(), "https://api.example.com/v1");
        for (raw, expected) in [
            ("https://API.example.com/v1/", "https://api.example.com/v1"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.0.0.1:8080///", "http://127.0.0.1:8080"),
        ] {
            let core = ClientBuilder::new(DEFAULTS)
                .bearer_token("sk")
                .base_url(raw)
                .build_core::<()>()
                .unwrap();
            assert_eq!(core.base_url(), expected);
        }
        for bad in [
            "",
            "not a url",
            "/relative",
            "ftp://x.com",
            "https://x.com/?a=1",
            "https://x.com/#f",
            "https://u:p@x.com",
            "mailto:a@b.c",
        ] {
            let msg = config_error(
                ClientBuilder::new(DEFAULTS)
                    .bearer_token("sk")
                    .base_url(bad),
            );
            assert!(msg.contains("base URL"), "{bad:?}: {msg}");
        }
    }

    #[test]
    fn credentials_are_required_and_validated() {
        let msg = config_error(ClientBuilder::new(DEFAULTS));
        assert!(
            msg.contains("bearer_token") && msg.contains("SDKGEN_RUNTIME_UNIT_TEST_UNSET_VAR"),
            "{msg}"
        );
        let msg = config_error(ClientBuilder::new(DEFAULTS).token_from_env());
        assert!(
            msg.contains("SDKGEN_RUNTIME_UNIT_TEST_UNSET_VAR is not set"),
            "{msg}"
        );
        let no_var = ApiDefaults {
            secret_env_var: None,
            schemes: &[],
            security: &[],
            ..DEFAULTS
        };
        assert!(ClientBuilder::new(no_var).build_core::<()>().is_ok());
        assert!(config_error(ClientBuilder::new(no_var).token_from_env()).contains("bearer_token"));
        assert!(
            ClientBuilder::new(DEFAULTS)
                .unauthenticated()
                .build_core::<()>()
                .is_ok()
        );
        assert!(config_error(ClientBuilder::new(DEFAULTS).bearer_token(" ")).contains("empty"));
        let msg = config_error(ClientBuilder::new(DEFAULTS).bearer_token("sk_live\r\nX-Evil: 1"));
        assert!(!msg.contains("sk_live"), "{msg}");
        // Non-ASCII keys are refused at build, never echoed.
        for key in [
            "sk_live_caf\u{e9}",
            "sk_live_\u{a0}x",
            "sk_live_\u{201c}x\u{201d}",
        ] {
            let msg = config_error(ClientBuilder::new(DEFAULTS).bearer_token(key));
            assert!(!msg.contains("sk_live") && msg.contains("ASCII"), "{msg}");
        }
    }

    #[test]
    fn headers_are_validated_at_build() {
        let msg = config_error(
            ClientBuilder::new(DEFAULTS)
                .unauthenticated()
                .default_header("x-a", "1\r\nx-b: 2"),
        );
        assert!(msg.contains("x-a") && msg.contains("CR"), "{msg}");
        config_error(
            ClientBuilder::new(DEFAULTS)
                .unauthenticated()
                .default_header("bad name", "1"),
        );
        config_error(
            ClientBuilder::new(DEFAULTS)
                .unauthenticated()
                .user_agent("ua\n"),
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let builder = ClientBuilder::new(DEFAULTS)
            .bearer_token("sk_live_topsecret")
            .default_header("x-extra", "also-secret");
        let dbg = format!("{builder:?}");
        assert!(
            !dbg.contains("topsecret") && !dbg.contains("also-secret"),
            "{dbg}"
        );
        let core = builder.build_core::<()>().unwrap();
        let dbg = format!("{core:?} {core:#?}");
        assert!(
            !dbg.contains("topsecret") && !dbg.contains("also-secret"),
            "{dbg}"
        );
        assert!(dbg.contains("authenticated: true"), "{dbg}");
        assert_eq!(core.inner.key_headers, [AUTHORIZATION]);
        assert_eq!(
            core.inner.headers.get(USER_AGENT).unwrap(),
            "example-sdk/0.1.0"
        );
    }
}
