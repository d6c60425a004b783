//! One call, from a [`RequestSpec`] to a [`RawResponse`]: credentials, headers, attempts,
//! timeouts and the deadline, retries, hooks and the tracing span.
//!
//! [`Core::execute`] reads as the loop it is (`prepare`, then per attempt `send`, `retry_delay`,
//! `report` and `wait`, then `finish`), so that stepping through a call in a debugger shows
//! one decision per function.

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use http::header::{COOKIE, HeaderValue};
use http::{HeaderMap, StatusCode};
use tokio::time::Instant;
use tracing::Instrument;

use super::auth::{AuthParts, Choice};
use super::client::{Core, Inner};
use super::error::{Error, TimeLimit};
use super::hooks::{AttemptError, RequestInfo, ResponseInfo};
use super::options::RequestOptions;
use super::request::{RequestSpec, parse_header};
use super::response::{RawResponse, Response};
use super::retry::{RetryPolicy, server_retry_hint};

impl Core {
    /// What a generated operation's `send_with_response` returns: `request` sent by
    /// [`execute`](Self::execute), its response then read by `read` (the operation's status
    /// dispatch). The operation builds `request` before the call starts, and is a plain `fn`:
    /// an `async fn` per operation is one more state machine for rustc to type-check and
    /// borrow-check in every build of the crate, while this one is generic and written once.
    pub fn call<T, B, F>(
        &self,
        request: RequestSpec,
        options: RequestOptions,
        read: F,
    ) -> impl Future<Output = Result<T, Error<B>>> + use<T, B, F>
    where
        F: FnOnce(RawResponse) -> Result<T, Error<B>>,
    {
        let core = self.clone();
        async move { read(core.execute(request, &options).await?) }
    }

    /// Sends `request`, retrying according to the effective [`RetryPolicy`], and returns the
    /// final response whatever its status; the generated operation interprets it.
    ///
    /// Requests that are not idempotent are retried only when the server provably did not act
    /// on them (the connection could not be established, or it answered 429), unless
    /// [`RequestOptions::retry_non_idempotent`] says otherwise or the request carries an
    /// idempotency key.
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
        async {
            let call = Call::prepare(&self.inner, &request, options)?;
            let mut attempts: u32 = 0;
            let last = loop {
                attempts = attempts.saturating_add(1);
                let outcome = call.send(attempts).await;
                let delay = call.retry_delay(&outcome.ending, attempts);
                call.report(&outcome, attempts, delay);
                match delay {
                    Some(delay) => call.wait(&outcome.ending, attempts, delay).await,
                    None => break outcome.ending,
                }
            };
            call.finish(last, attempts, &tracing::Span::current())
        }
        .instrument(span)
        .await
    }
}

/// What a generated operation's `send` returns: its `send_with_response` without the status
/// and headers. Not an `async fn`: that would hold `call` twice (once as its argument, once
/// while awaiting it; rust-lang/rust#62958), and a call's future is a few KiB, which adds up
/// in a caller's `async fn` that awaits many calls (a debug build keeps every temporary
/// future in the frame of its `poll`).
pub fn into_body<T, B>(
    call: impl Future<Output = Result<Response<T>, Error<B>>>,
) -> impl Future<Output = Result<T, Error<B>>> {
    futures_util::TryFutureExt::map_ok(call, Response::into_body)
}

/// Everything about a call that stays the same from one attempt to the next.
struct Call<'a> {
    core: &'a Inner,
    request: &'a RequestSpec,
    url: reqwest::Url,
    /// User agent, default, operation and per-call headers: everything but the credential,
    /// which is added per attempt after the request hooks ran.
    headers: HeaderMap,
    credentials: Vec<&'a AuthParts>,
    policy: RetryPolicy,
    timeout: Option<Duration>,
    deadline: Option<Deadline>,
    /// Whether repeating the request is harmless even after the server may have acted on it.
    repeatable: bool,
    start: Instant,
}

#[derive(Clone, Copy)]
struct Deadline {
    limit: Duration,
    at: Instant,
}

/// How one attempt ended, before deciding whether to retry.
enum Ending {
    Response(StatusCode, HeaderMap, Bytes),
    /// No connection was established: the server cannot have seen the request.
    ConnectFailed(reqwest::Error),
    /// The request may have reached the server.
    TransportFailed(reqwest::Error),
    /// The per-attempt timeout passed.
    TimedOut,
    /// The call's deadline passed (during the attempt, or before it could start).
    DeadlinePassed,
    TooLarge(StatusCode),
    /// Retrying cannot help (the request itself could not be built).
    Fatal(reqwest::Error),
}

/// One attempt's ending and how long it took.
struct Attempt {
    ending: Ending,
    elapsed: Duration,
}

impl<'a> Call<'a> {
    /// Resolves everything that does not change between attempts. Precedence of headers:
    /// per-call options, then the operation, then the credential, then the client's defaults.
    fn prepare<B>(
        core: &'a Inner,
        request: &'a RequestSpec,
        options: &RequestOptions,
    ) -> Result<Self, Error<B>> {
        let start = Instant::now();
        let url = request.url(&core.base_url).map_err(Error::InvalidRequest)?;
        let credentials = match core.keyring.choose(request.security) {
            Choice::Send(parts) => parts,
            Choice::Nothing => Vec::new(),
            Choice::Missing => {
                tracing::warn!(
                    accepts = %core.keyring.accepted(request.security),
                    "the client holds no credential this operation accepts; sending it without"
                );
                Vec::new()
            }
        };
        let mut headers = core.headers.clone();
        for parts in &credentials {
            if let AuthParts::Header(name, _) = parts {
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
        let deadline = options.deadline.or(core.deadline).map(|limit| Deadline {
            limit,
            at: start + limit,
        });
        Ok(Call {
            core,
            request,
            url,
            headers,
            credentials,
            policy: options.retry.unwrap_or(core.retry),
            timeout: options.timeout.or(core.timeout),
            deadline,
            repeatable: request.idempotent || options.retry_non_idempotent,
            start,
        })
    }

    /// Makes attempt number `attempt`: request hooks, the credential, then the exchange,
    /// bounded by the per-attempt timeout and the call's deadline.
    async fn send(&self, attempt: u32) -> Attempt {
        let started = Instant::now();
        let remaining = self
            .deadline
            .map(|d| d.at.saturating_duration_since(started));
        if remaining == Some(Duration::ZERO) {
            return Attempt {
                ending: Ending::DeadlinePassed,
                elapsed: Duration::ZERO,
            };
        }
        let mut headers = self.headers.clone();
        self.core.hooks.run_request(
            RequestInfo {
                operation_id: self.request.operation_id,
                method: &self.request.method,
                path_template: self.request.path_template,
                url: &self.url,
                attempt,
                headers: &mut headers,
            },
            &self.core.key_headers,
        );
        let mut url = self.url.clone();
        self.authorize(&mut headers, &mut url);
        let mut request = reqwest::Request::new(self.request.method.clone(), url);
        *request.headers_mut() = headers;
        if let Some(body) = &self.request.body {
            *request.body_mut() = Some(reqwest::Body::from(body.clone()));
        }
        let exchange = async {
            match self.core.http.execute(request).await {
                Ok(response) => read_bounded(response, self.core.max_response_bytes).await,
                Err(e) => Ending::from_reqwest(e),
            }
        };
        // Whichever limit is shorter bounds the attempt, and names the error if it passes.
        let limit = match (self.timeout, remaining) {
            (Some(timeout), Some(left)) if left < timeout => Some((left, Ending::DeadlinePassed)),
            (Some(timeout), _) => Some((timeout, Ending::TimedOut)),
            (None, Some(left)) => Some((left, Ending::DeadlinePassed)),
            (None, None) => None,
        };
        let ending = match limit {
            Some((limit, cut)) => tokio::time::timeout(limit, exchange).await.unwrap_or(cut),
            None => exchange.await,
        };
        Attempt {
            ending,
            elapsed: started.elapsed(),
        }
    }

    /// Adds the credential. A header of the same name set by the operation or the per-call
    /// options wins (a per-call `Authorization` replaces the client's), except `Cookie`, where
    /// the key is added to the operation's cookies.
    fn authorize(&self, headers: &mut HeaderMap, url: &mut reqwest::Url) {
        for parts in &self.credentials {
            match parts {
                AuthParts::Cookie(value) => {
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
                AuthParts::Header(name, value) if !headers.contains_key(name) => {
                    headers.insert(name.clone(), value.clone());
                }
                AuthParts::Header(..) => {}
                AuthParts::Query(name, key) => {
                    url.query_pairs_mut().append_pair(name, key.expose());
                }
            }
        }
    }

    /// The wait before another attempt, or `None` when `ending` is the call's result: the
    /// failure is not retryable, the request not safe to repeat, or the retry policy's
    /// attempts, budget or the call's deadline leave no room.
    fn retry_delay(&self, ending: &Ending, attempts: u32) -> Option<Duration> {
        let (retryable, hint) = match ending {
            Ending::Response(status, headers, _) => {
                // A 429 is a refusal to handle the request at all, so repeating it is safe
                // even for POST; any other status may come after the server acted on it.
                let safe = self.repeatable || *status == StatusCode::TOO_MANY_REQUESTS;
                (
                    safe && self.policy.retries_status(status.as_u16()),
                    server_retry_hint(headers, SystemTime::now()),
                )
            }
            Ending::ConnectFailed(_) => (self.policy.retries_connection_errors(), None),
            Ending::TransportFailed(_) | Ending::TimedOut => (
                self.repeatable && self.policy.retries_connection_errors(),
                None,
            ),
            Ending::DeadlinePassed | Ending::TooLarge(_) | Ending::Fatal(_) => (false, None),
        };
        if !retryable {
            return None;
        }
        let delay = self
            .policy
            .next_delay(attempts, self.start.elapsed(), hint)?;
        match self.deadline {
            Some(deadline) if Instant::now() + delay >= deadline.at => None,
            _ => Some(delay),
        }
    }

    /// Runs the response hooks for one attempt.
    fn report(&self, attempt: &Attempt, number: u32, retry_in: Option<Duration>) {
        if self.core.hooks.on_response.is_empty() {
            return;
        }
        let (status, headers, error) = match &attempt.ending {
            Ending::Response(status, headers, _) => (Some(*status), Some(headers), None),
            Ending::TooLarge(status) => (Some(*status), None, Some(AttemptError::ResponseTooLarge)),
            Ending::ConnectFailed(_) => (None, None, Some(AttemptError::Connect)),
            Ending::TransportFailed(_) => (None, None, Some(AttemptError::Transport)),
            Ending::TimedOut | Ending::DeadlinePassed => (None, None, Some(AttemptError::Timeout)),
            Ending::Fatal(_) => (None, None, Some(AttemptError::Other)),
        };
        self.core.hooks.run_response(&ResponseInfo {
            operation_id: self.request.operation_id,
            method: &self.request.method,
            path_template: self.request.path_template,
            attempt: number,
            status,
            headers,
            error,
            elapsed: attempt.elapsed,
            total_elapsed: self.start.elapsed(),
            retry_in,
        });
    }

    /// Logs the retry at `info` (a retry is news: something failed) and waits.
    async fn wait(&self, ending: &Ending, attempts: u32, delay: Duration) {
        tracing::info!(
            attempt = attempts,
            reason = ending.describe(),
            status = match ending {
                Ending::Response(status, ..) => status.as_u16(),
                _ => 0,
            },
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            "retrying request"
        );
        tokio::time::sleep(delay).await;
    }

    /// Turns the last attempt's ending into the call's result and records it on the span.
    fn finish<B>(
        &self,
        ending: Ending,
        attempts: u32,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error<B>> {
        let elapsed = self.start.elapsed();
        span.record("attempts", attempts);
        span.record(
            "duration_ms",
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        );
        let operation_id = self.request.operation_id;
        let timeout = |limit| Error::Timeout {
            limit,
            attempts,
            elapsed,
            operation_id,
        };
        let result = match ending {
            Ending::Response(status, headers, body) => {
                span.record("status", status.as_u16());
                Ok(RawResponse {
                    operation_id,
                    status,
                    headers,
                    body,
                    attempts,
                })
            }
            Ending::ConnectFailed(source)
            | Ending::TransportFailed(source)
            | Ending::Fatal(source) => Err(Error::Transport {
                source,
                attempts,
                operation_id,
            }),
            Ending::TimedOut => Err(timeout(TimeLimit::Attempt(
                self.timeout.unwrap_or(Duration::MAX),
            ))),
            Ending::DeadlinePassed => Err(timeout(TimeLimit::Deadline(
                self.deadline.map_or(Duration::ZERO, |d| d.limit),
            ))),
            Ending::TooLarge(status) => {
                span.record("status", status.as_u16());
                Err(Error::ResponseTooLarge {
                    limit: self.core.max_response_bytes,
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
}

impl Ending {
    fn from_reqwest(e: reqwest::Error) -> Self {
        // URLs can carry an API key (query-parameter auth) and personal data in filters: errors
        // never repeat them.
        let e = e.without_url();
        if e.is_builder() || e.is_redirect() {
            Ending::Fatal(e)
        } else if e.is_connect() {
            Ending::ConnectFailed(e)
        } else if e.is_timeout() {
            Ending::TimedOut
        } else {
            Ending::TransportFailed(e)
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Ending::Response(..) => "retryable status",
            Ending::ConnectFailed(_) => "connect error",
            Ending::TransportFailed(_) => "transport error",
            Ending::TimedOut => "timeout",
            Ending::DeadlinePassed => "deadline",
            Ending::TooLarge(_) => "response too large",
            Ending::Fatal(_) => "request error",
        }
    }
}

/// Reads the body chunk by chunk so memory stays bounded by `limit` whatever the server sends
/// or claims in `Content-Length`.
async fn read_bounded(mut response: reqwest::Response, limit: usize) -> Ending {
    let status = response.status();
    let declared = response.content_length().unwrap_or(0);
    if declared > u64::try_from(limit).unwrap_or(u64::MAX) {
        return Ending::TooLarge(status);
    }
    // The declared length was checked against the limit above, so it can size the buffer: a
    // lying server costs at most `limit` bytes of capacity.
    let mut body = BytesMut::with_capacity(usize::try_from(declared).unwrap_or(0).min(limit));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len().saturating_add(chunk.len()) > limit {
                    return Ending::TooLarge(status);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return Ending::from_reqwest(e),
        }
    }
    let headers = std::mem::take(response.headers_mut());
    Ending::Response(status, headers, body.freeze())
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
            Error::Timeout {
                limit: TimeLimit::Deadline(_),
                ..
            } => "deadline",
            Error::Timeout { .. } => "timeout",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::InvalidRequest(_) => "invalid_request",
            Error::Config(_) => "config",
            Error::Pagination(_) => "pagination",
        })
    }
}
