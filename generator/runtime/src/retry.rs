//! Retry policy: which failures are retried, and how long to wait between attempts.
//!
//! The shape mirrors the OpenAPI `x-speakeasy-retries` extension so the generator can turn it
//! into a `const` directly:
//!
//! ```yaml
//! x-speakeasy-retries:
//!   strategy: backoff
//!   backoff: { initialInterval: 500, maxInterval: 60000, maxElapsedTime: 3600000, exponent: 1.5 }
//!   statusCodes: ["5XX", 429]
//!   retryConnectionErrors: true
//! ```

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// One entry of a retry policy's status list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusMatch {
    /// Exactly this status code, e.g. `Exact(429)`.
    Exact(u16),
    /// A whole class: `Class(5)` is `5XX`, i.e. 500–599.
    Class(u8),
}

impl StatusMatch {
    /// Whether `status` is covered by this entry.
    pub const fn matches(self, status: u16) -> bool {
        match self {
            StatusMatch::Exact(code) => code == status,
            StatusMatch::Class(class) => status / 100 == class as u16,
        }
    }
}

/// When and how often a failed call is retried.
///
/// Waits grow exponentially (`initial_interval * exponent^n`, capped at `max_interval`) with
/// full jitter: each wait is drawn uniformly from zero to that cap, so many clients failing at
/// the same moment do not retry in lockstep. No new attempt starts once `max_elapsed` has
/// passed since the call began, and a wait that would cross that budget is not taken: the last
/// response or error is returned instead.
///
/// A `Retry-After` (seconds or HTTP date) or `retry-after-ms` header on a retryable response
/// sets the minimum wait (the computed backoff still applies when it is longer). If the server asks for more than `max_interval`, or more than
/// the budget left, the call stops and returns that response rather than retrying early (which
/// would only burn an attempt against a server that said "not yet").
///
/// Which requests may be retried at all is decided per call: see
/// [`RequestOptions::retry_non_idempotent`](super::RequestOptions::retry_non_idempotent).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    initial_interval: Duration,
    max_interval: Duration,
    max_elapsed: Duration,
    exponent: f64,
    statuses: &'static [StatusMatch],
    retry_connection_errors: bool,
    max_attempts: u32,
}

/// Statuses retried by [`RetryPolicy::DEFAULT`]: timeouts, rate limiting and the transient
/// server errors. 501 and 505 are excluded on purpose: retrying them never helps.
const DEFAULT_STATUSES: &[StatusMatch] = &[
    StatusMatch::Exact(408),
    StatusMatch::Exact(429),
    StatusMatch::Exact(500),
    StatusMatch::Exact(502),
    StatusMatch::Exact(503),
    StatusMatch::Exact(504),
];

impl RetryPolicy {
    /// The policy used when the API description has no `x-speakeasy-retries`: up to 4 attempts
    /// within 60 s, waits starting at 500 ms and capped at 30 s, retrying 408, 429, 500, 502,
    /// 503, 504 and connection errors.
    pub const DEFAULT: RetryPolicy = RetryPolicy::backoff(
        Duration::from_millis(500),
        Duration::from_secs(30),
        Duration::from_secs(60),
        2.0,
        DEFAULT_STATUSES,
        true,
    )
    .max_attempts(4);

    /// An exponential-backoff policy, argument for argument the `x-speakeasy-retries` extension.
    ///
    /// The number of attempts is bounded only by `max_elapsed`; add
    /// [`max_attempts`](Self::max_attempts) for a hard cap. An `exponent` below 1 or not finite
    /// is treated as 1 (constant waits).
    pub const fn backoff(
        initial_interval: Duration,
        max_interval: Duration,
        max_elapsed: Duration,
        exponent: f64,
        statuses: &'static [StatusMatch],
        retry_connection_errors: bool,
    ) -> Self {
        RetryPolicy {
            initial_interval,
            max_interval,
            max_elapsed,
            exponent,
            statuses,
            retry_connection_errors,
            max_attempts: u32::MAX,
        }
    }

    /// A policy that never retries: every call makes exactly one attempt.
    pub const fn none() -> Self {
        RetryPolicy::DEFAULT.max_attempts(1)
    }

    /// Caps the total number of attempts, the first one included (`1` disables retries; `0` is
    /// treated as `1`).
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// Sets the cap of the first wait.
    pub const fn initial_interval(mut self, interval: Duration) -> Self {
        self.initial_interval = interval;
        self
    }

    /// Sets the largest single wait, and the largest `Retry-After` the client will honour.
    pub const fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// Sets the time budget after which no new attempt is started.
    pub const fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// Sets the growth factor between consecutive waits.
    pub const fn exponent(mut self, exponent: f64) -> Self {
        self.exponent = exponent;
        self
    }

    /// Sets which response statuses are retried.
    pub const fn statuses(mut self, statuses: &'static [StatusMatch]) -> Self {
        self.statuses = statuses;
        self
    }

    /// Sets whether connection failures and timeouts are retried.
    pub const fn retry_connection_errors(mut self, yes: bool) -> Self {
        self.retry_connection_errors = yes;
        self
    }

    /// Whether this policy can make more than one attempt.
    pub const fn is_enabled(&self) -> bool {
        self.max_attempts > 1
    }

    /// Whether a response with this status is retried (subject to the request being safe to
    /// repeat).
    pub const fn retries_status(&self, status: u16) -> bool {
        let mut i = 0;
        while i < self.statuses.len() {
            if self.statuses[i].matches(status) {
                return true;
            }
            i += 1;
        }
        false
    }

    /// Whether connection failures and timeouts are retried.
    pub const fn retries_connection_errors(&self) -> bool {
        self.retry_connection_errors
    }

    /// The upper bound of the wait before retry number `retry` (1 for the first retry), before
    /// jitter.
    fn ceiling(&self, retry: u32) -> Duration {
        let exponent = if self.exponent.is_finite() && self.exponent >= 1.0 {
            self.exponent
        } else {
            1.0
        };
        // Clamp the power so the float maths stays finite-or-infinite, never NaN; anything
        // that overflows ends up at max_interval anyway.
        let power = i32::try_from(retry.saturating_sub(1))
            .unwrap_or(i32::MAX)
            .min(1024);
        let secs = self.initial_interval.as_secs_f64() * exponent.powi(power);
        Duration::try_from_secs_f64(secs)
            .unwrap_or(self.max_interval)
            .min(self.max_interval)
    }

    /// The wait before retry number `retry` with full jitter applied.
    fn jittered(&self, retry: u32) -> Duration {
        let ceiling = self.ceiling(retry);
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * fastrand::f64()).unwrap_or(ceiling)
    }

    /// Decides whether to make another attempt after `attempts_made` attempts, `elapsed` into
    /// the call. `server_hint` is the parsed `Retry-After` of the last response, if any.
    /// Returns the wait before the next attempt, or `None` to stop.
    pub(super) fn next_delay(
        &self,
        attempts_made: u32,
        elapsed: Duration,
        server_hint: Option<Duration>,
    ) -> Option<Duration> {
        if attempts_made >= self.max_attempts {
            return None;
        }
        let delay = match server_hint {
            Some(hint) if hint > self.max_interval => return None,
            // The hint is a floor, not a replacement: a server answering `Retry-After: 0` to
            // every attempt must not turn a long budget into a tight request loop.
            Some(hint) => hint.max(self.jittered(attempts_made)),
            None => self.jittered(attempts_made),
        };
        if elapsed.saturating_add(delay) >= self.max_elapsed {
            return None;
        }
        Some(delay)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::DEFAULT
    }
}

/// Reads how long the server asked us to wait, from `retry-after-ms` (milliseconds, a
/// non-standard header some gateways send) or `Retry-After` (delta-seconds or an HTTP date).
/// Unparseable values are ignored so a malformed header falls back to normal backoff.
pub(super) fn server_retry_hint(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = headers
        .get("retry-after-ms")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms >= 0.0)
    {
        return Some(Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX));
    }
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // All digits but too large for u64 still means "a very long time", not "no hint".
        return Some(
            value
                .parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const FIVE_XX_AND_429: &[StatusMatch] = &[StatusMatch::Class(5), StatusMatch::Exact(429)];

    // Proves the constructor and setters are usable in a `const`, as generated code needs.
    const SPEC_POLICY: RetryPolicy = RetryPolicy::backoff(
        Duration::from_millis(500),
        Duration::from_millis(60_000),
        Duration::from_millis(3_600_000),
        1.5,
        FIVE_XX_AND_429,
        true,
    )
    .max_attempts(10);

    #[test]
    fn status_matching() {
        assert!(StatusMatch::Class(5).matches(500));
        assert!(StatusMatch::Class(5).matches(599));
        assert!(!StatusMatch::Class(5).matches(600));
        assert!(!StatusMatch::Class(5).matches(499));
        assert!(StatusMatch::Exact(429).matches(429));
        assert!(!StatusMatch::Exact(429).matches(430));
        assert!(SPEC_POLICY.retries_status(503));
        assert!(SPEC_POLICY.retries_status(429));
        assert!(!SPEC_POLICY.retries_status(404));
        assert!(!RetryPolicy::DEFAULT.retries_status(501));
        assert!(RetryPolicy::DEFAULT.retries_status(503));
    }

    #[test]
    fn ceiling_grows_exponentially_and_is_capped() {
        let p = RetryPolicy::backoff(
            Duration::from_millis(100),
            Duration::from_millis(1000),
            Duration::from_secs(60),
            2.0,
            FIVE_XX_AND_429,
            true,
        );
        assert_eq!(p.ceiling(1), Duration::from_millis(100));
        assert_eq!(p.ceiling(2), Duration::from_millis(200));
        assert_eq!(p.ceiling(3), Duration::from_millis(400));
        assert_eq!(p.ceiling(5), Duration::from_millis(1000));
        assert_eq!(p.ceiling(u32::MAX), Duration::from_millis(1000));
        for retry in 1..50 {
            assert!(p.jittered(retry) <= p.ceiling(retry));
        }
    }

    #[test]
    fn nonsense_exponents_do_not_panic() {
        for exponent in [f64::NAN, f64::INFINITY, -3.0, 0.0, 1e300] {
            let p = SPEC_POLICY.exponent(exponent);
            for retry in [1, 2, 100, u32::MAX] {
                assert!(p.ceiling(retry) <= Duration::from_secs(60));
            }
        }
    }

    #[test]
    fn attempts_and_budget_bound_retries() {
        let p = RetryPolicy::DEFAULT;
        assert!(p.next_delay(1, Duration::ZERO, None).is_some());
        assert!(p.next_delay(4, Duration::ZERO, None).is_none());
        assert!(p.next_delay(1, Duration::from_secs(60), None).is_none());
        assert!(
            RetryPolicy::none()
                .next_delay(1, Duration::ZERO, None)
                .is_none()
        );
        assert!(!RetryPolicy::none().is_enabled());
        assert_eq!(RetryPolicy::none().max_attempts(0), RetryPolicy::none());
    }

    #[test]
    fn server_hints_replace_backoff_within_limits() {
        let p = RetryPolicy::DEFAULT;
        let two = Duration::from_secs(2);
        assert_eq!(p.next_delay(1, Duration::ZERO, Some(two)), Some(two));
        // A zero hint does not bypass backoff.
        let later = p
            .next_delay(3, Duration::ZERO, Some(Duration::ZERO))
            .unwrap();
        assert!(later <= p.ceiling(3));
        // Longer than max_interval (30 s): stop instead of retrying too early.
        assert_eq!(
            p.next_delay(1, Duration::ZERO, Some(Duration::from_secs(31))),
            None
        );
        // Fits max_interval but not the remaining budget.
        assert_eq!(
            p.next_delay(1, Duration::from_secs(55), Some(Duration::from_secs(10))),
            None
        );
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn parses_retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let hint = |pairs: &[(&'static str, &'static str)]| server_retry_hint(&headers(pairs), now);
        assert_eq!(hint(&[("retry-after", "3")]), Some(Duration::from_secs(3)));
        assert_eq!(hint(&[("retry-after", " 0 ")]), Some(Duration::ZERO));
        assert_eq!(
            hint(&[("retry-after", "99999999999999999999999")]),
            Some(Duration::MAX)
        );
        assert_eq!(
            hint(&[("retry-after-ms", "250")]),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            hint(&[("retry-after-ms", "1.5"), ("retry-after", "9")]),
            Some(Duration::from_micros(1500))
        );
        let in_ten = httpdate::fmt_http_date(now + Duration::from_secs(10));
        let mut map = HeaderMap::new();
        map.insert("retry-after", HeaderValue::from_str(&in_ten).unwrap());
        assert_eq!(server_retry_hint(&map, now), Some(Duration::from_secs(10)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(10));
        map.insert("retry-after", HeaderValue::from_str(&past).unwrap());
        assert_eq!(server_retry_hint(&map, now), Some(Duration::ZERO));
        for bad in ["-1", "soon", "", "1.5"] {
            assert_eq!(hint(&[("retry-after", bad)]), None, "{bad:?}");
        }
        for bad in ["-5", "NaN", "inf", "x"] {
            assert_eq!(hint(&[("retry-after-ms", bad)]), None, "{bad:?}");
        }
        assert_eq!(hint(&[]), None);
    }
}
