//! Per-call overrides of the client configuration.

use std::fmt;
use std::time::Duration;

use super::retry::RetryPolicy;

/// Settings for a single call, overriding the client's.
///
/// ```ignore
/// let opts = RequestOptions::new().timeout(Duration::from_secs(5)).no_retries();
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(super) timeout: Option<Duration>,
    pub(super) deadline: Option<Duration>,
    pub(super) retry: Option<RetryPolicy>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) retry_non_idempotent: bool,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Per-attempt timeout for this call (connect, send and read the whole body), replacing the
    /// client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A deadline for this whole call, retries and the waits between them included, replacing
    /// the client's ([`ClientBuilder::deadline`](super::ClientBuilder::deadline) says how it
    /// combines with the per-attempt timeout and the retry policy's budget). When it passes,
    /// the call fails with [`Error::Timeout`](super::Error::Timeout) whose `limit` is
    /// [`TimeLimit::Deadline`](super::TimeLimit::Deadline).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Retry policy for this call, replacing the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Makes exactly one attempt.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// Adds a header to this call, overriding a default or operation header of the same name.
    /// An invalid name or value (e.g. containing CR/LF) makes the call fail with
    /// [`Error::InvalidRequest`](super::Error::InvalidRequest) before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Allows retrying this call even though its method is not idempotent (POST, PATCH) and the
    /// server may already have acted on an earlier attempt. Only enable this when repeating the
    /// call is harmless, e.g. because it carries an idempotency key.
    ///
    /// Failures to connect and 429 responses are retried regardless: the server did not act on
    /// those requests.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }
}

impl fmt::Debug for RequestOptions {
    // Header values are left out: a per-call header is a common way to pass a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_and_redacted_debug() {
        let opts = RequestOptions::new()
            .timeout(Duration::from_secs(1))
            .deadline(Duration::from_secs(3))
            .no_retries()
            .header("authorization", "Bearer sk_test_secret")
            .retry_non_idempotent(true);
        assert_eq!(opts.timeout, Some(Duration::from_secs(1)));
        assert_eq!(opts.deadline, Some(Duration::from_secs(3)));
        assert_eq!(opts.retry, Some(RetryPolicy::none()));
        assert!(opts.retry_non_idempotent);
        let dbg = format!("{opts:?}");
        assert!(
            dbg.contains("authorization") && !dbg.contains("sk_test_secret"),
            "{dbg}"
        );
    }
}
