//! The error type every generated operation returns.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// Everything that can go wrong when calling the API.
///
/// `B` is the API's decoded error body (the generated `ErrorBody` enum). Match on the variant
/// for control flow, or use the helpers ([`status`](Error::status),
/// [`is_retryable`](Error::is_retryable), [`attempts`](Error::attempts)) for the common
/// questions. New variants may be added, so keep a catch-all arm.
#[non_exhaustive]
pub enum Error<B> {
    /// The server answered with a status the API documents as an error (its body, when it
    /// decoded, is in [`ApiError::body`]).
    Api(Box<ApiError<B>>),
    /// The server answered with a status the API description does not mention for this
    /// operation (including 3xx: redirects are not followed; a redirect the operation
    /// documents is returned as `Ok`).
    UnexpectedStatus(Box<ApiError<B>>),
    /// A success response whose body did not match the documented schema.
    Decode(Box<DecodeError>),
    /// The request could not be sent or the response not received (DNS, connection refused,
    /// TLS, connection reset...).
    Transport {
        /// The underlying HTTP client error.
        source: reqwest::Error,
        /// Attempts made, the failed one included.
        attempts: u32,
        /// The operation being called.
        operation_id: &'static str,
    },
    /// The call ran out of time: its last attempt hit the per-attempt timeout, or the call's
    /// deadline passed. [`limit`](TimeLimit) says which.
    Timeout {
        /// The limit that ended the call.
        limit: TimeLimit,
        /// Attempts made, the timed-out one included.
        attempts: u32,
        /// Time since the call started, retries and waits included.
        elapsed: Duration,
        /// The operation being called.
        operation_id: &'static str,
    },
    /// The response body was larger than the client's `max_response_bytes`; reading stopped
    /// there so a hostile or broken server cannot exhaust memory.
    ResponseTooLarge {
        /// The configured limit, in bytes.
        limit: usize,
        /// The status of the oversized response.
        status: StatusCode,
        /// Attempts made.
        attempts: u32,
        /// The operation being called.
        operation_id: &'static str,
    },
    /// The request was rejected before anything was sent: a path parameter that would change
    /// the URL's structure, a header with CR/LF, a body that could not be serialized...
    InvalidRequest(String),
    /// The client is misconfigured: missing token, invalid base URL, bad default header...
    Config(String),
    /// A `stream()` stopped because the server would make it loop forever (a repeated cursor,
    /// a page identical to the last) or pointed it somewhere it must not go.
    Pagination(Box<super::pagination::PaginationError>),
}

impl<B> Error<B> {
    /// The HTTP status, for errors that carry a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) | Error::UnexpectedStatus(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::Timeout { .. }
            | Error::InvalidRequest(_)
            | Error::Config(_)
            | Error::Pagination(_) => None,
        }
    }

    /// Whether trying the same call again later might succeed: rate limiting, transient server
    /// errors, timeouts and connection failures. The client already retried according to its
    /// [`RetryPolicy`](super::RetryPolicy); this is for callers with their own, longer-term
    /// retry (a job queue, say).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) | Error::UnexpectedStatus(e) => is_transient_status(e.status),
            Error::Transport { source, .. } => !source.is_builder() && !source.is_redirect(),
            Error::Timeout { .. } => true,
            Error::Decode(_)
            | Error::ResponseTooLarge { .. }
            | Error::InvalidRequest(_)
            | Error::Config(_)
            | Error::Pagination(_) => false,
        }
    }

    /// How many attempts were made, for errors that happened after sending started.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(e) | Error::UnexpectedStatus(e) => Some(e.attempts),
            Error::Decode(e) => Some(e.attempts),
            Error::Transport { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::ResponseTooLarge { attempts, .. } => Some(*attempts),
            Error::InvalidRequest(_) | Error::Config(_) | Error::Pagination(_) => None,
        }
    }

    /// The decoded error body, if this is an [`Error::Api`] whose body decoded.
    pub fn api_body(&self) -> Option<&B> {
        match self {
            Error::Api(e) => e.body(),
            _ => None,
        }
    }
}

/// Which time limit ended a call, in [`Error::Timeout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeLimit {
    /// The per-attempt timeout (`RequestOptions::timeout` / `ClientBuilder::timeout`): no
    /// complete response within this long, and the retry policy allowed no further attempt.
    Attempt(Duration),
    /// The deadline of the whole call (`RequestOptions::deadline` / `ClientBuilder::deadline`),
    /// retries and waits included.
    Deadline(Duration),
}

fn is_transient_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 425 | 429 | 500 | 502 | 503 | 504)
}

/// Formats "after N attempt(s)" only when retries actually happened, keeping the common
/// single-attempt message short.
fn attempts_suffix(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

impl<B: fmt::Debug> fmt::Display for Error<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::UnexpectedStatus(e) => write!(
                f,
                "`{}` returned undocumented status {}{} ({} body bytes)",
                e.operation_id,
                e.status,
                attempts_suffix(e.attempts),
                e.raw_body.len()
            ),
            Error::Decode(e) => fmt::Display::fmt(e, f),
            Error::Transport {
                source,
                attempts,
                operation_id,
            } => {
                let what = if source.is_connect() {
                    "could not connect to the API"
                } else {
                    "HTTP transport error"
                };
                write!(
                    f,
                    "`{operation_id}` failed: {what}{}: ",
                    attempts_suffix(*attempts)
                )?;
                write_capped(f, format_args!("{source}"))
            }
            Error::Timeout {
                limit: TimeLimit::Attempt(limit),
                attempts,
                elapsed,
                operation_id,
            } => write!(
                f,
                "`{operation_id}` timed out: no response within the {} ms per-attempt timeout{} \
                 ({} ms in total); raise it with `RequestOptions::timeout` or \
                 `ClientBuilder::timeout`",
                limit.as_millis(),
                attempts_suffix(*attempts),
                elapsed.as_millis()
            ),
            Error::Timeout {
                limit: TimeLimit::Deadline(limit),
                attempts,
                elapsed,
                operation_id,
            } => write!(
                f,
                "`{operation_id}` timed out: its {} ms deadline passed{} ({} ms in total); raise \
                 it with `RequestOptions::deadline` or `ClientBuilder::deadline`",
                limit.as_millis(),
                attempts_suffix(*attempts),
                elapsed.as_millis()
            ),
            Error::ResponseTooLarge {
                limit,
                status,
                operation_id,
                ..
            } => write!(
                f,
                "`{operation_id}` response (status {status}) is larger than the {limit}-byte \
                 limit; raise it with `ClientBuilder::max_response_bytes`"
            ),
            Error::InvalidRequest(msg) => {
                f.write_str("invalid request: ")?;
                write_capped(f, format_args!("{msg}"))
            }
            Error::Config(msg) => {
                f.write_str("client configuration error: ")?;
                write_capped(f, format_args!("{msg}"))
            }
            // Capped where it quotes the server (a refused next-page link), in pagination.rs.
            Error::Pagination(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<B: fmt::Debug> fmt::Debug for Error<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::UnexpectedStatus(e) => f.debug_tuple("UnexpectedStatus").field(e).finish(),
            Error::Decode(e) => f.debug_tuple("Decode").field(e).finish(),
            Error::Transport {
                source,
                attempts,
                operation_id,
            } => f
                .debug_struct("Transport")
                .field("source", &Capped(source))
                .field("attempts", attempts)
                .field("operation_id", operation_id)
                .finish(),
            Error::Timeout {
                limit,
                attempts,
                elapsed,
                operation_id,
            } => f
                .debug_struct("Timeout")
                .field("limit", limit)
                .field("attempts", attempts)
                .field("elapsed", elapsed)
                .field("operation_id", operation_id)
                .finish(),
            Error::ResponseTooLarge {
                limit,
                status,
                attempts,
                operation_id,
            } => f
                .debug_struct("ResponseTooLarge")
                .field("limit", limit)
                .field("status", status)
                .field("attempts", attempts)
                .field("operation_id", operation_id)
                .finish(),
            Error::InvalidRequest(msg) => {
                f.debug_tuple("InvalidRequest").field(&Capped(msg)).finish()
            }
            Error::Config(msg) => f.debug_tuple("Config").field(&Capped(msg)).finish(),
            Error::Pagination(e) => f.debug_tuple("Pagination").field(e).finish(),
        }
    }
}

impl<B: fmt::Debug> std::error::Error for Error<B> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Pagination(e) => Some(e.as_ref()),
            Error::Decode(e) => std::error::Error::source(&**e),
            _ => None,
        }
    }
}

/// An error response from the API: status, headers, and the body both decoded (when it
/// matched the documented error schema) and raw.
pub struct ApiError<B> {
    pub(super) operation_id: &'static str,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Option<B>,
    pub(super) raw_body: Bytes,
    pub(super) attempts: u32,
}

impl<B> ApiError<B> {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One response header as text; `None` if absent or not valid visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The decoded error body; `None` if the body did not match the documented schema (see
    /// [`raw_body`](Self::raw_body) for what the server actually sent).
    pub fn body(&self) -> Option<&B> {
        self.body.as_ref()
    }

    /// Takes the decoded error body.
    pub fn into_body(self) -> Option<B> {
        self.body
    }

    /// The response body exactly as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw_body
    }

    /// How many attempts were made before giving up.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The operation that failed.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }
}

impl<B: fmt::Debug> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` failed with status {}{}",
            self.operation_id,
            self.status,
            attempts_suffix(self.attempts)
        )?;
        match &self.body {
            Some(body) => {
                f.write_str(": ")?;
                write_capped(f, format_args!("{body:?}"))
            }
            None if self.raw_body.is_empty() => Ok(()),
            None => f.write_str(" (error body did not match the documented schema)"),
        }
    }
}

impl<B: fmt::Debug> fmt::Debug for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("body", &self.body.as_ref().map(Capped))
            .field("raw_body_len", &self.raw_body.len())
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// A response body that did not decode into the documented type.
pub struct DecodeError {
    pub(super) operation_id: &'static str,
    pub(super) status: StatusCode,
    pub(super) path: String,
    pub(super) message: String,
    pub(super) raw_body: Bytes,
    pub(super) attempts: u32,
    pub(super) source: Option<JsonCause>,
}

impl DecodeError {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Where in the JSON document decoding failed, e.g. `data[3].role`; `.` is the root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong at [`path`](Self::path).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The response body exactly as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw_body
    }

    /// The operation whose response failed to decode.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body itself stays out of the message: it may hold personal data that would end up
        // in logs. It is available through `raw_body()`.
        write!(
            f,
            "`{}` response (status {}, {} bytes) did not match the documented schema at `",
            self.operation_id,
            self.status,
            self.raw_body.len()
        )?;
        write_capped(f, format_args!("{}", self.path))?;
        f.write_str("`: ")?;
        write_capped(f, format_args!("{}", self.message))
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("path", &Capped(&self.path))
            .field("message", &Capped(&self.message))
            .field("raw_body_len", &self.raw_body.len())
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// The JSON parser's error behind a [`DecodeError`], with the same cap on its text: serde
/// quotes offending values whole (`invalid type: string "…"`), and an error chain printer
/// (`anyhow`, `{:#}`) would otherwise put a 10 MB string into a log line.
pub(super) struct JsonCause(pub(super) serde_json::Error);

impl fmt::Display for JsonCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_capped(f, format_args!("{}", self.0))
    }
}

impl fmt::Debug for JsonCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_capped(f, format_args!("{:?}", self.0))
    }
}

impl std::error::Error for JsonCause {}

/// The most bytes any server-derived part of an error's `Debug` or `Display` shows: a decoded
/// error body, a decode message or JSON path, a transport error. Errors go to logs, `unwrap()`
/// panics and `main`'s exit report, and response bodies of any size (with whatever personal
/// data they hold) must not follow them there. The whole values stay available through
/// accessors such as `raw_body()`.
const SHOWN_BYTES: usize = 200;

/// Formats `args`, keeping the first [`SHOWN_BYTES`] bytes (cut at a character boundary) and
/// marking a cut with `…`.
pub(super) fn write_capped(f: &mut fmt::Formatter<'_>, args: fmt::Arguments<'_>) -> fmt::Result {
    let mut budget = Budget {
        out: f,
        left: SHOWN_BYTES,
        cut: false,
    };
    let result = fmt::write(&mut budget, args);
    let cut = budget.cut;
    match result {
        Err(_) if cut => f.write_str("…"),
        other => other,
    }
}

/// A writer that forwards at most `left` bytes, then stops the formatting with an error (so a
/// 10 MB value is not even rendered past the cap).
struct Budget<'a, 'b> {
    out: &'a mut fmt::Formatter<'b>,
    left: usize,
    cut: bool,
}

impl fmt::Write for Budget<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if s.len() <= self.left {
            self.left -= s.len();
            return self.out.write_str(s);
        }
        let mut end = self.left;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.out.write_str(&s[..end])?;
        self.left = 0;
        self.cut = true;
        Err(fmt::Error)
    }
}

/// A value whose `Debug` is capped like [`write_capped`] (`{:#?}` stays pretty).
pub(super) struct Capped<'a, T: ?Sized>(pub(super) &'a T);

impl<T: fmt::Debug + ?Sized> fmt::Debug for Capped<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            write_capped(f, format_args!("{:#?}", self.0))
        } else {
            write_capped(f, format_args!("{:?}", self.0))
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: Option<&'static str>, attempts: u32) -> ApiError<&'static str> {
        ApiError {
            operation_id: "GetUser",
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body,
            raw_body: Bytes::from_static(b"{}"),
            attempts,
        }
    }

    #[test]
    fn helpers() {
        let e: Error<&str> = Error::Api(Box::new(api(429, Some("slow down"), 3)));
        assert_eq!(e.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert!(e.is_retryable());
        assert_eq!(e.attempts(), Some(3));
        assert_eq!(e.api_body(), Some(&"slow down"));
        let msg = e.to_string();
        assert!(
            msg.contains("GetUser") && msg.contains("429") && msg.contains("3 attempts"),
            "{msg}"
        );

        let e: Error<&str> = Error::UnexpectedStatus(Box::new(api(404, None, 1)));
        assert!(!e.is_retryable());
        assert_eq!(e.api_body(), None);
        assert!(e.to_string().contains("undocumented status 404"));

        let e: Error<()> = Error::Config("x".into());
        assert_eq!(
            (e.status(), e.attempts(), e.is_retryable()),
            (None, None, false)
        );
        let e: Error<()> = Error::Timeout {
            limit: TimeLimit::Attempt(Duration::from_millis(500)),
            attempts: 2,
            elapsed: Duration::from_millis(1500),
            operation_id: "Op",
        };
        assert!(e.is_retryable());
        let msg = e.to_string();
        assert!(
            msg.contains("500 ms per-attempt timeout after 2 attempts (1500 ms"),
            "{msg}"
        );
    }

    #[test]
    fn api_error_accessors() {
        let mut e = api(500, None, 1);
        e.headers
            .insert("x-request-id", http::HeaderValue::from_static("abc"));
        assert_eq!(e.header("x-request-id"), Some("abc"));
        assert_eq!(e.header("missing"), None);
        assert_eq!(e.raw_body(), b"{}");
        assert!(e.to_string().contains("did not match"));
        assert_eq!(e.into_body(), None);
    }

    #[test]
    fn server_data_in_messages_is_capped_at_a_character_boundary() {
        struct Text<'a>(&'a str);
        impl fmt::Display for Text<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_capped(f, format_args!("{}", self.0))
            }
        }
        let short = "x".repeat(SHOWN_BYTES);
        assert_eq!(Text(&short).to_string(), short);
        let long = format!("{short}y");
        assert_eq!(Text(&long).to_string(), format!("{short}…"));
        // A multi-byte character straddling the cap is left out whole.
        let wide = format!("{}é", "x".repeat(SHOWN_BYTES - 1));
        assert_eq!(
            Text(&wide).to_string(),
            format!("{}…", "x".repeat(SHOWN_BYTES - 1))
        );
        let huge: Error<String> = Error::Api(Box::new(ApiError {
            body: Some("b".repeat(1 << 20)),
            ..api_with_body(404)
        }));
        for text in [format!("{huge}"), format!("{huge:?}"), format!("{huge:#?}")] {
            assert!(text.len() < 2 * SHOWN_BYTES, "{} bytes", text.len());
            assert!(text.ends_with('…') || text.contains("…"), "{text}");
        }
    }

    fn api_with_body(status: u16) -> ApiError<String> {
        ApiError {
            operation_id: "GetUser",
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: None,
            raw_body: Bytes::from(vec![b'z'; 1 << 20]),
            attempts: 1,
        }
    }

    #[test]
    fn error_is_send_sync_and_std_error() {
        fn check<T: Send + Sync + std::error::Error + 'static>() {}
        check::<Error<String>>();
        check::<DecodeError>();
    }
}
