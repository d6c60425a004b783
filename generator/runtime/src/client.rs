//! Client configuration and the request loop: auth, headers, timeouts, retries, tracing.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use http::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue, USER_AGENT};
use http::{HeaderMap, Method, StatusCode};
use tracing::Instrument;

use super::error::Error;
use super::hooks::{AttemptError, Hooks, RequestInfo, ResponseInfo};
use super::options::RequestOptions;
use super::request::{RequestSpec, parse_header};
use super::response::RawResponse;
use super::retry::{RetryPolicy, server_retry_hint};
use super::secret::Secret;

/// Compile-time facts about one API, written by the generator as a `const`.
#[derive(Debug, Clone, Copy)]
pub struct ApiDefaults {
    /// The base URL every path is appended to (the API description's first server).
    pub base_url: &'static str,
    /// The environment variable [`ClientBuilder::token_from_env`] reads, e.g.
    /// `Some("CLERK_SECRET_KEY")`; `None` when the API has no bearer authentication.
    pub secret_env_var: Option<&'static str>,
    /// The default `User-Agent`, e.g. `clerk-backend/1.2.3`.
    pub user_agent: &'static str,
    /// The default retry policy (from `x-speakeasy-retries`, else [`RetryPolicy::DEFAULT`]).
    pub retry: RetryPolicy,
    /// How the credential is sent (from the spec's security scheme).
    pub auth: AuthScheme,
}

/// How an API expects its credential, from the spec's `securitySchemes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// No credential.
    None,
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// The key in the named header.
    ApiKeyHeader(&'static str),
    /// The key in the named query parameter.
    ApiKeyQuery(&'static str),
    /// The key in the named cookie.
    ApiKeyCookie(&'static str),
}

/// Default per-attempt timeout: generous enough for slow list endpoints, short enough that a
/// hung connection does not block a caller forever.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on a response body. Far above any legitimate JSON page, far below what would
/// hurt a server process.
const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

enum Credentials {
    /// Nothing chosen yet: building fails for APIs with bearer auth, so a forgotten token is a
    /// clear error at start-up instead of a 401 on the first call.
    Unset,
    Token(Secret),
    Basic {
        user: String,
        password: Secret,
    },
    FromEnv,
    Anonymous,
}

/// Configures and builds a client. Every setting has a sensible default except the credential.
pub struct ClientBuilder {
    defaults: ApiDefaults,
    credentials: Credentials,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    default_headers: Vec<(String, String)>,
    user_agent: Option<String>,
    max_response_bytes: usize,
    hooks: Hooks,
}

impl ClientBuilder {
    /// Starts from the API's defaults.
    pub fn new(defaults: ApiDefaults) -> Self {
        ClientBuilder {
            defaults,
            credentials: Credentials::Unset,
            base_url: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: defaults.retry,
            default_headers: Vec::new(),
            user_agent: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            hooks: Hooks::default(),
        }
    }

    /// Authenticates every request with `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Credentials::Token(token.into());
        self
    }

    /// Authenticates every request with the API key `key`, sent where the spec says (a header,
    /// a query parameter or a cookie). The same as [`bearer_token`](Self::bearer_token) for
    /// bearer APIs.
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.credentials = Credentials::Token(key.into());
        self
    }

    /// Authenticates every request with HTTP basic authentication.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Credentials::Basic {
            user: user.into(),
            password: password.into(),
        };
        self
    }

    /// Reads the bearer token from the API's environment variable (e.g. `CLERK_SECRET_KEY`)
    /// when the client is built. Surrounding whitespace is ignored; a missing or empty variable
    /// fails the build with [`Error::Config`].
    pub fn token_from_env(mut self) -> Self {
        self.credentials = Credentials::FromEnv;
        self
    }

    /// Sends requests without credentials, for APIs or test servers that need none.
    pub fn unauthenticated(mut self) -> Self {
        self.credentials = Credentials::Anonymous;
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
    /// Retries get a fresh timeout each; the retry policy's `max_elapsed` bounds the total.
    pub fn timeout(mut self, overall: Duration) -> Self {
        self.timeout = Some(overall);
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
    /// `Cookie`, the API's key header, per-call ones included) are hidden from the hook and
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
    /// [`Error::Config`]; this never panics.
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

        let credential = match self.credentials {
            Credentials::Token(token) => Some(Credential::Token(token)),
            Credentials::Basic { user, password } => Some(Credential::Basic(user, password)),
            Credentials::FromEnv => Some(Credential::Token(
                token_from_env(self.defaults.secret_env_var).map_err(Error::Config)?,
            )),
            Credentials::Anonymous => None,
            Credentials::Unset if self.defaults.auth == AuthScheme::None => None,
            Credentials::Unset => {
                let env = self
                    .defaults
                    .secret_env_var
                    .map(|var| format!(", or set {var} and call `.token_from_env()`"))
                    .unwrap_or_default();
                return Err(Error::Config(format!(
                    "no credential configured: call `.bearer_token(..)`/`.api_key(..)`{env} \
                     (or `.unauthenticated()` to send none)"
                )));
            }
        };
        let authenticated = credential.is_some();
        let auth = match credential {
            Some(credential) => {
                Some(auth_parts(self.defaults.auth, credential).map_err(Error::Config)?)
            }
            None => None,
        };

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
                authenticated,
                auth,
                retry: self.retry,
                timeout: self.timeout,
                max_response_bytes: self.max_response_bytes,
                hooks: self.hooks,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            Credentials::Unset => "unset",
            Credentials::Token(_) => "token [REDACTED]",
            Credentials::Basic { .. } => "basic [REDACTED]",
            Credentials::FromEnv => "from environment",
            Credentials::Anonymous => "none",
        };
        f.debug_struct("ClientBuilder")
            .field(
                "base_url",
                &self.base_url.as_deref().unwrap_or(self.defaults.base_url),
            )
            .field("credentials", &credentials)
            .field("timeout", &self.timeout)
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

fn token_from_env(var: Option<&'static str>) -> Result<Secret, String> {
    let Some(var) = var else {
        return Err(
            "`.token_from_env()` was called but this API names no environment variable \
                    for its key; use `.bearer_token(..)`"
                .to_owned(),
        );
    };
    match std::env::var(var) {
        Ok(value) if !value.trim().is_empty() => Ok(Secret::from(value.trim())),
        Ok(_) => Err(format!(
            "environment variable {var} is empty; set it to your API key or pass the key with \
             `.bearer_token(..)`"
        )),
        Err(std::env::VarError::NotPresent) => Err(format!(
            "environment variable {var} is not set; export {var}=<your API key> or pass the key \
             with `.bearer_token(..)`"
        )),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(format!("environment variable {var} is not valid UTF-8"))
        }
    }
}

/// A credential given to the builder, before it is placed according to the [`AuthScheme`].
enum Credential {
    Token(Secret),
    Basic(String, Secret),
}

/// Where the credential goes on each authenticated request.
enum AuthParts {
    Header(HeaderName, HeaderValue),
    Query(&'static str, Secret),
}

fn auth_parts(scheme: AuthScheme, credential: Credential) -> Result<AuthParts, String> {
    let sensitive = |name: HeaderName, value: String| {
        let mut value = HeaderValue::from_str(&value).map_err(|_| {
            "the credential contains characters not allowed in an HTTP header".to_owned()
        })?;
        // Keeps it out of HPACK tables and out of `HeaderMap`'s Debug output.
        value.set_sensitive(true);
        Ok(AuthParts::Header(name, value))
    };
    let token = |credential: Credential| match credential {
        Credential::Token(token) if token.expose().trim().is_empty() => {
            Err("the credential is empty".to_owned())
        }
        Credential::Token(token) => Ok(token),
        Credential::Basic(..) => {
            Err("this API takes a token or API key, not basic authentication".to_owned())
        }
    };
    match scheme {
        AuthScheme::Basic => {
            let (user, password) = match credential {
                Credential::Basic(user, password) => (user, password),
                // A token for a basic-auth API is taken as `user:password`, as env vars hold it.
                Credential::Token(token) => match token.expose().split_once(':') {
                    Some((user, password)) => (user.to_owned(), Secret::new(password)),
                    None => return Err("basic authentication needs `user:password`".to_owned()),
                },
            };
            let encoded = base64_encode(format!("{user}:{}", password.expose()).as_bytes());
            sensitive(AUTHORIZATION, format!("Basic {encoded}"))
        }
        AuthScheme::Bearer | AuthScheme::None => {
            let token = token(credential)?;
            sensitive(AUTHORIZATION, format!("Bearer {}", token.expose()))
        }
        AuthScheme::ApiKeyHeader(name) => {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("invalid API key header name {name:?}"))?;
            sensitive(name, token(credential)?.expose().to_owned())
        }
        AuthScheme::ApiKeyCookie(name) => {
            let token = token(credential)?;
            sensitive(COOKIE, format!("{name}={}", token.expose()))
        }
        AuthScheme::ApiKeyQuery(name) => Ok(AuthParts::Query(name, token(credential)?)),
    }
}

/// Standard base64 with padding (RFC 4648), for basic authentication.
fn base64_encode(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

struct Inner {
    http: reqwest::Client,
    /// Normalized, without trailing slash.
    base_url: String,
    /// User agent and default headers.
    headers: HeaderMap,
    authenticated: bool,
    /// The credential, added to requests whose operation requires it.
    auth: Option<AuthParts>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    max_response_bytes: usize,
    hooks: Hooks,
}

/// The configured transport shared by a generated client's operations. Cheap to clone.
#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
}

/// How one attempt ended, before deciding whether to retry.
enum Attempt {
    Response(StatusCode, HeaderMap, Bytes),
    /// No connection was established: the server cannot have seen the request.
    ConnectFailed(reqwest::Error),
    /// The request may have reached the server.
    TransportFailed(reqwest::Error),
    TimedOut,
    TooLarge(StatusCode),
    /// Retrying cannot help (the request itself could not be built).
    Fatal(reqwest::Error),
}

impl Attempt {
    fn from_reqwest(e: reqwest::Error) -> Self {
        // URLs can carry an API key (query-parameter auth) and personal data in filters: errors
        // never repeat them.
        let e = e.without_url();
        if e.is_builder() || e.is_redirect() {
            Attempt::Fatal(e)
        } else if e.is_connect() {
            Attempt::ConnectFailed(e)
        } else if e.is_timeout() {
            Attempt::TimedOut
        } else {
            Attempt::TransportFailed(e)
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Attempt::Response(..) => "retryable status",
            Attempt::ConnectFailed(_) => "connect error",
            Attempt::TransportFailed(_) => "transport error",
            Attempt::TimedOut => "timeout",
            Attempt::TooLarge(_) => "response too large",
            Attempt::Fatal(_) => "request error",
        }
    }
}

impl Core {
    /// The base URL requests are sent to, without trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request`, retrying according to the effective [`RetryPolicy`], and returns the
    /// final response whatever its status; the generated operation interprets it.
    ///
    /// Requests that are not idempotent are retried only when the server provably did not act
    /// on them (the connection could not be established, or it answered 429), unless
    /// [`RequestOptions::retry_non_idempotent`] says otherwise.
    pub async fn execute<B>(
        &self,
        request: RequestSpec,
        options: &RequestOptions,
    ) -> Result<RawResponse, Error<B>> {
        // Only the template goes into the span: concrete paths and query strings carry user
        // IDs and e-mail addresses, and header values may carry credentials.
        let span = tracing::info_span!(
            "http.request",
            operation_id = request.operation_id,
            method = %request.method,
            path_template = request.path_template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        self.run(request, options, &span)
            .instrument(span.clone())
            .await
    }

    async fn run<B>(
        &self,
        request: RequestSpec,
        options: &RequestOptions,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error<B>> {
        let url = request
            .url(&self.inner.base_url)
            .map_err(Error::InvalidRequest)?;
        // Everything but the credential, which is added per attempt after the hooks ran.
        // Precedence: per-call options, then the operation, then the credential, then the
        // client's default headers.
        let mut headers = self.inner.headers.clone();
        if let (Some(name), true) = (self.api_key_header(), request.authenticated) {
            if name != COOKIE {
                headers.remove(name);
            }
        }
        for (name, value) in &request.headers {
            headers.insert(name.clone(), value.clone());
        }
        for (name, value) in &options.headers {
            let (name, value) = parse_header(name, value).map_err(|e| {
                Error::InvalidRequest(format!(
                    "{e} (in the options of `{}`)",
                    request.operation_id
                ))
            })?;
            headers.insert(name, value);
        }

        let policy = options.retry.unwrap_or(self.inner.retry);
        let timeout = options.timeout.or(self.inner.timeout);
        let repeatable = request.idempotent || options.retry_non_idempotent;
        let start = tokio::time::Instant::now();
        let mut attempts: u32 = 0;

        let outcome = loop {
            attempts = attempts.saturating_add(1);
            let mut attempt_headers = headers.clone();
            self.inner.hooks.run_request(
                RequestInfo {
                    operation_id: request.operation_id,
                    method: &request.method,
                    path_template: request.path_template,
                    url: &url,
                    attempt: attempts,
                    headers: &mut attempt_headers,
                },
                self.api_key_header(),
            );
            let mut attempt_url = url.clone();
            if request.authenticated {
                self.authorize(&mut attempt_headers, &mut attempt_url);
            }
            let attempt_start = tokio::time::Instant::now();
            let outcome = self
                .attempt(
                    &request.method,
                    attempt_url,
                    attempt_headers,
                    request.body.clone(),
                    timeout,
                )
                .await;
            let attempt_elapsed = attempt_start.elapsed();
            let (retryable, hint) = match &outcome {
                Attempt::Response(status, headers, _) => {
                    // A 429 is a refusal to handle the request at all, so repeating it is safe
                    // even for POST; any other status may come after the server acted on it.
                    let safe = repeatable || *status == StatusCode::TOO_MANY_REQUESTS;
                    (
                        safe && policy.retries_status(status.as_u16()),
                        server_retry_hint(headers, SystemTime::now()),
                    )
                }
                Attempt::ConnectFailed(_) => (policy.retries_connection_errors(), None),
                Attempt::TransportFailed(_) | Attempt::TimedOut => {
                    (repeatable && policy.retries_connection_errors(), None)
                }
                Attempt::TooLarge(_) | Attempt::Fatal(_) => (false, None),
            };
            let delay = if retryable {
                policy.next_delay(attempts, start.elapsed(), hint)
            } else {
                None
            };
            if !self.inner.hooks.on_response.is_empty() {
                let (status, response_headers, error) = match &outcome {
                    Attempt::Response(status, headers, _) => (Some(*status), Some(headers), None),
                    Attempt::TooLarge(status) => {
                        (Some(*status), None, Some(AttemptError::ResponseTooLarge))
                    }
                    Attempt::ConnectFailed(_) => (None, None, Some(AttemptError::Connect)),
                    Attempt::TransportFailed(_) => (None, None, Some(AttemptError::Transport)),
                    Attempt::TimedOut => (None, None, Some(AttemptError::Timeout)),
                    Attempt::Fatal(_) => (None, None, Some(AttemptError::Other)),
                };
                self.inner.hooks.run_response(&ResponseInfo {
                    operation_id: request.operation_id,
                    method: &request.method,
                    path_template: request.path_template,
                    attempt: attempts,
                    status,
                    headers: response_headers,
                    error,
                    elapsed: attempt_elapsed,
                    total_elapsed: start.elapsed(),
                    retry_in: delay,
                });
            }
            let Some(delay) = delay else { break outcome };
            tracing::debug!(
                attempt = attempts,
                reason = outcome.describe(),
                status = match &outcome {
                    Attempt::Response(status, ..) => status.as_u16(),
                    _ => 0,
                },
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying request"
            );
            tokio::time::sleep(delay).await;
        };

        let elapsed = start.elapsed();
        span.record("attempts", attempts);
        span.record(
            "duration_ms",
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        );
        let operation_id = request.operation_id;
        let result = match outcome {
            Attempt::Response(status, headers, body) => {
                span.record("status", status.as_u16());
                Ok(RawResponse {
                    operation_id,
                    status,
                    headers,
                    body,
                    attempts,
                })
            }
            Attempt::ConnectFailed(source)
            | Attempt::TransportFailed(source)
            | Attempt::Fatal(source) => Err(Error::Transport {
                source,
                attempts,
                operation_id,
            }),
            Attempt::TimedOut => Err(Error::Timeout {
                attempts,
                elapsed,
                operation_id,
            }),
            Attempt::TooLarge(status) => {
                span.record("status", status.as_u16());
                Err(Error::ResponseTooLarge {
                    limit: self.inner.max_response_bytes,
                    status,
                    attempts,
                    operation_id,
                })
            }
        };
        match &result {
            Ok(response) => tracing::debug!(
                status = response.status.as_u16(),
                attempts,
                "request finished"
            ),
            Err(e) => tracing::debug!(error = %ErrorKind(e), attempts, "request failed"),
        }
        result
    }

    /// The header the API's key travels in, hidden from request hooks.
    fn api_key_header(&self) -> Option<&HeaderName> {
        match &self.inner.auth {
            Some(AuthParts::Header(name, _)) => Some(name),
            _ => None,
        }
    }

    /// Adds the credential. A header of the same name set by the operation or the per-call
    /// options wins (a per-call `Authorization` replaces the client's), except `Cookie`, where
    /// the key is added to the operation's cookies.
    fn authorize(&self, headers: &mut HeaderMap, url: &mut reqwest::Url) {
        match &self.inner.auth {
            Some(AuthParts::Header(name, value)) if *name == COOKIE => {
                let joined = headers
                    .get(COOKIE)
                    .and_then(|existing| {
                        let mut bytes = existing.as_bytes().to_vec();
                        bytes.extend_from_slice(b"; ");
                        bytes.extend_from_slice(value.as_bytes());
                        HeaderValue::from_bytes(&bytes).ok()
                    })
                    .map(|mut joined| {
                        joined.set_sensitive(true);
                        joined
                    });
                headers.insert(COOKIE, joined.unwrap_or_else(|| value.clone()));
            }
            Some(AuthParts::Header(name, value)) if !headers.contains_key(name) => {
                headers.insert(name.clone(), value.clone());
            }
            Some(AuthParts::Query(name, key)) => {
                url.query_pairs_mut().append_pair(name, key.expose());
            }
            Some(AuthParts::Header(..)) | None => {}
        }
    }

    async fn attempt(
        &self,
        method: &Method,
        url: reqwest::Url,
        headers: HeaderMap,
        body: Option<Bytes>,
        timeout: Option<Duration>,
    ) -> Attempt {
        let mut request = reqwest::Request::new(method.clone(), url);
        *request.headers_mut() = headers;
        if let Some(body) = body {
            *request.body_mut() = Some(reqwest::Body::from(body));
        }
        let exchange = async {
            let response = match self.inner.http.execute(request).await {
                Ok(response) => response,
                Err(e) => return Attempt::from_reqwest(e),
            };
            self.read_bounded(response).await
        };
        match timeout {
            Some(limit) => tokio::time::timeout(limit, exchange)
                .await
                .unwrap_or(Attempt::TimedOut),
            None => exchange.await,
        }
    }

    /// Reads the body chunk by chunk so memory stays bounded by `max_response_bytes` whatever
    /// the server sends or claims in `Content-Length`.
    async fn read_bounded(&self, mut response: reqwest::Response) -> Attempt {
        let status = response.status();
        let limit = self.inner.max_response_bytes;
        let declared = response.content_length().unwrap_or(0);
        if declared > u64::try_from(limit).unwrap_or(u64::MAX) {
            return Attempt::TooLarge(status);
        }
        // The declared length was checked against the limit above, so it can size the buffer:
        // a lying server costs at most `limit` bytes of capacity.
        let mut body = BytesMut::with_capacity(usize::try_from(declared).unwrap_or(0).min(limit));
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len().saturating_add(chunk.len()) > limit {
                        return Attempt::TooLarge(status);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Attempt::from_reqwest(e),
            }
        }
        let headers = std::mem::take(response.headers_mut());
        Attempt::Response(status, headers, body.freeze())
    }
}

/// A short, secret-free description of an error for trace events (no body, no URL).
struct ErrorKind<'a, B>(&'a Error<B>);

impl<B> fmt::Display for ErrorKind<'_, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Error::Api(_) => "api",
            Error::UnexpectedStatus(_) => "unexpected_status",
            Error::Decode(_) => "decode",
            Error::Transport { source, .. } if source.is_connect() => "connect",
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::InvalidRequest(_) => "invalid_request",
            Error::Config(_) => "config",
            Error::Pagination(_) => "pagination",
        })
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("base_url", &self.inner.base_url)
            .field("authenticated", &self.inner.authenticated)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("hooks", &self.inner.hooks)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULTS: ApiDefaults = ApiDefaults {
        base_url: "https://api.example.com/v1",
        secret_env_var: Some("SDKGEN_RUNTIME_UNIT_TEST_UNSET_VAR"),
        user_agent: "example-sdk/0.1.0",
        retry: RetryPolicy::DEFAULT,
        auth: AuthScheme::Bearer,
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
            auth: AuthScheme::None,
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
    fn credentials_go_where_the_scheme_says() {
        let header = |scheme, builder: fn(ClientBuilder) -> ClientBuilder| {
            let defaults = ApiDefaults {
                auth: scheme,
                ..DEFAULTS
            };
            let core = builder(ClientBuilder::new(defaults))
                .build_core::<()>()
                .unwrap();
            match &core.inner.auth {
                Some(AuthParts::Header(name, value)) => {
                    assert!(value.is_sensitive());
                    format!("{name}: {}", value.to_str().unwrap())
                }
                Some(AuthParts::Query(name, key)) => format!("?{name}={}", key.expose()),
                None => "none".to_owned(),
            }
        };
        assert_eq!(
            header(AuthScheme::Basic, |b| b.basic_auth("aladdin", "opensesame")),
            "authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l"
        );
        assert_eq!(
            header(AuthScheme::Basic, |b| b.api_key("user:pw")),
            "authorization: Basic dXNlcjpwdw=="
        );
        assert_eq!(
            header(AuthScheme::ApiKeyHeader("X-Api-Key"), |b| b.api_key("k1")),
            "x-api-key: k1"
        );
        assert_eq!(
            header(AuthScheme::ApiKeyCookie("session"), |b| b.api_key("k2")),
            "cookie: session=k2"
        );
        assert_eq!(
            header(AuthScheme::ApiKeyQuery("key"), |b| b.api_key("k3")),
            "?key=k3"
        );
        assert_eq!(header(AuthScheme::None, |b| b), "none");
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, output) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(input.as_bytes()), output);
        }
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
        assert!(dbg.contains("authenticated: true"));
        let Some(AuthParts::Header(name, auth)) = &core.inner.auth else {
            panic!("bearer auth is a header");
        };
        assert_eq!(name, AUTHORIZATION);
        assert!(auth.is_sensitive());
        assert_eq!(auth, "Bearer sk_live_topsecret");
        assert_eq!(
            core.inner.headers.get(USER_AGENT).unwrap(),
            "example-sdk/0.1.0"
        );
    }
}
