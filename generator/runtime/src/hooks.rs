//! Request and response hooks: user callbacks that run on every attempt, for extra headers,
//! metrics and logging.
//!
//! Hooks never see the credential. `on_request` hooks run before the credential is added (so a
//! query-parameter API key is not in [`RequestInfo::url`] either), and headers that carry
//! credentials (`Authorization`, `Proxy-Authorization`, `Cookie`, `X-Api-Key`, the API's key
//! header and any value marked sensitive) are taken out of the view before the hooks run and
//! put back afterwards, so a hook can neither read nor replace them.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Method, StatusCode};

/// The outgoing request as an [`on_request`](super::ClientBuilder::on_request) hook sees it:
/// everything but the credential, with mutable headers.
pub struct RequestInfo<'a> {
    pub(super) operation_id: &'static str,
    pub(super) method: &'a Method,
    pub(super) path_template: &'static str,
    pub(super) url: &'a reqwest::Url,
    pub(super) attempt: u32,
    pub(super) headers: &'a mut HeaderMap,
}

impl RequestInfo<'_> {
    /// The operation being called, e.g. `ListOrganizationMemberships`.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The path as the API description writes it, e.g. `/organizations/{organization_id}` —
    /// a low-cardinality label for metrics, free of IDs.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// The full URL of this request, without a query-parameter credential. It can hold IDs and
    /// e-mail addresses from path and query parameters: prefer
    /// [`path_template`](Self::path_template) for logs and metric labels.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// Which attempt this is: 1 for the first, 2 for the first retry, …
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The request headers (user agent, default, operation and per-call headers), without
    /// credential headers.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The request headers, to add or change some (a request ID, a trace context). Changes to
    /// credential headers are discarded.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }
}

impl fmt::Debug for RequestInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestInfo")
            .field("operation_id", &self.operation_id)
            .field("method", self.method)
            .field("path_template", &self.path_template)
            .field("attempt", &self.attempt)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Why an attempt ended without a response, as an
/// [`on_response`](super::ClientBuilder::on_response) hook sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptError {
    /// No connection could be established.
    Connect,
    /// The connection failed after the request may have been sent.
    Transport,
    /// The attempt exceeded its timeout.
    Timeout,
    /// The response body exceeded the client's `max_response_bytes` (the status is known).
    ResponseTooLarge,
    /// The request could not be sent at all (e.g. the server answered with a redirect).
    Other,
}

impl fmt::Display for AttemptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AttemptError::Connect => "connect",
            AttemptError::Transport => "transport",
            AttemptError::Timeout => "timeout",
            AttemptError::ResponseTooLarge => "response_too_large",
            AttemptError::Other => "other",
        })
    }
}

/// How one attempt ended, as an [`on_response`](super::ClientBuilder::on_response) hook sees it.
/// Hooks run once per attempt, so a call retried twice reports three of these.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The operation called, e.g. `ListOrganizationMemberships`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: &'a Method,
    /// The path as the API description writes it, e.g. `/organizations/{organization_id}`.
    pub path_template: &'static str,
    /// Which attempt this was: 1 for the first, 2 for the first retry, …
    pub attempt: u32,
    /// The response status, when the server answered.
    pub status: Option<StatusCode>,
    /// The response headers (rate-limit counters, request IDs), when the server answered and
    /// the body was read.
    pub headers: Option<&'a HeaderMap>,
    /// Why there is no usable response, when there is none.
    pub error: Option<AttemptError>,
    /// How long this attempt took, body included.
    pub elapsed: Duration,
    /// How long the call has taken so far, earlier attempts and waits included.
    pub total_elapsed: Duration,
    /// The wait before the next attempt when this one is retried; `None` when this attempt's
    /// outcome is the call's result.
    pub retry_in: Option<Duration>,
}

pub(super) type RequestHook = Arc<dyn Fn(&mut RequestInfo<'_>) + Send + Sync>;
pub(super) type ResponseHook = Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>;

/// The hooks of one client, in the order they were added.
#[derive(Clone, Default)]
pub(super) struct Hooks {
    pub(super) on_request: Vec<RequestHook>,
    pub(super) on_response: Vec<ResponseHook>,
}

impl Hooks {
    /// Runs the request hooks, keeping credential headers out of their sight and reach.
    /// `key_headers` are the headers the client's credentials travel in.
    pub(super) fn run_request(&self, mut info: RequestInfo<'_>, key_headers: &[HeaderName]) {
        if self.on_request.is_empty() {
            return;
        }
        let withheld = withhold(info.headers, key_headers);
        for hook in &self.on_request {
            hook(&mut info);
        }
        // Whatever a hook did to credential headers is undone.
        for name in SECRET_NAMES {
            info.headers.remove(name);
        }
        for name in withheld.names.iter().chain(key_headers) {
            info.headers.remove(name);
        }
        for (name, value) in withheld.values {
            info.headers.append(name, value);
        }
    }

    /// Runs the response hooks.
    pub(super) fn run_response(&self, info: &ResponseInfo<'_>) {
        for hook in &self.on_response {
            hook(info);
        }
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("on_request", &self.on_request.len())
            .field("on_response", &self.on_response.len())
            .finish()
    }
}

/// Header names that carry credentials whatever the API.
const SECRET_NAMES: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
];

struct Withheld {
    /// Every name taken out.
    names: Vec<HeaderName>,
    values: Vec<(HeaderName, HeaderValue)>,
}

/// Takes the credential headers out of `headers`: every value of a name in `SECRET_NAMES`, of
/// the API's key headers, and of any name with a value marked sensitive.
fn withhold(headers: &mut HeaderMap, key_headers: &[HeaderName]) -> Withheld {
    let mut names: Vec<HeaderName> = Vec::new();
    for (name, value) in headers.iter() {
        let secret = SECRET_NAMES.contains(&name.as_str())
            || key_headers.contains(name)
            || value.is_sensitive();
        if secret && !names.contains(name) {
            names.push(name.clone());
        }
    }
    let mut values = Vec::new();
    for name in &names {
        values.extend(
            headers
                .get_all(name)
                .iter()
                .map(|value| (name.clone(), value.clone())),
        );
        headers.remove(name);
    }
    Withheld { names, values }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::AUTHORIZATION;

    #[test]
    fn hooks_neither_see_nor_change_credentials() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        let hooks = Hooks {
            on_request: vec![Arc::new(move |info: &mut RequestInfo<'_>| {
                let names: Vec<String> = info.headers().keys().map(|n| n.to_string()).collect();
                record.lock().unwrap().push(names);
                let h = info.headers_mut();
                h.insert("x-request-id", HeaderValue::from_static("r1"));
                h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer forged"));
                h.insert("x-key", HeaderValue::from_static("forged"));
                h.insert("x-marked", HeaderValue::from_static("forged"));
            })],
            on_response: Vec::new(),
        };
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer per-call"));
        headers.insert("x-key", HeaderValue::from_static("k"));
        let mut marked = HeaderValue::from_static("m");
        marked.set_sensitive(true);
        headers.insert("x-marked", marked);
        headers.insert("x-plain", HeaderValue::from_static("p"));
        let url = reqwest::Url::parse("https://api.example.com/v1/x").unwrap();
        let key = HeaderName::from_static("x-key");
        hooks.run_request(
            RequestInfo {
                operation_id: "Op",
                method: &Method::GET,
                path_template: "/x",
                url: &url,
                attempt: 1,
                headers: &mut headers,
            },
            &[key],
        );
        assert_eq!(*seen.lock().unwrap(), vec![vec!["x-plain".to_owned()]]);
        assert_eq!(headers.get(AUTHORIZATION).unwrap(), "Bearer per-call");
        assert_eq!(headers.get_all(AUTHORIZATION).iter().count(), 1);
        assert_eq!(headers.get("x-key").unwrap(), "k");
        assert_eq!(headers.get("x-marked").unwrap(), "m");
        assert_eq!(headers.get("x-request-id").unwrap(), "r1");
        assert_eq!(headers.len(), 5);
    }

    #[test]
    fn debug_shows_counts_and_names_only() {
        let hooks = Hooks {
            on_request: vec![Arc::new(|_: &mut RequestInfo<'_>| {})],
            on_response: Vec::new(),
        };
        assert_eq!(
            format!("{hooks:?}"),
            "Hooks { on_request: 1, on_response: 0 }"
        );
        let mut headers = HeaderMap::new();
        headers.insert("x-plain", HeaderValue::from_static("value-not-shown"));
        let url = reqwest::Url::parse("https://api.example.com/v1/x?email=a@b.c").unwrap();
        let info = RequestInfo {
            operation_id: "Op",
            method: &Method::GET,
            path_template: "/x",
            url: &url,
            attempt: 2,
            headers: &mut headers,
        };
        let dbg = format!("{info:?}");
        assert!(
            dbg.contains("x-plain") && dbg.contains("attempt: 2"),
            "{dbg}"
        );
        assert!(
            !dbg.contains("value-not-shown") && !dbg.contains("a@b.c"),
            "{dbg}"
        );
    }
}
