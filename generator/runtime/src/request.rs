//! Description of one API call, filled in by generated operation methods.

use std::fmt::{self, Display};

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, COOKIE, HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use percent_encoding::{AsciiSet, utf8_percent_encode};
use serde::Serialize;

use super::auth::Security;
use super::form::{self, COMPONENT, Nulls, Style};

/// Everything but RFC 3986 "unreserved" characters. Used for path segments: encoding `/`, `?`,
/// `#` and `%` is what stops a user-supplied ID from changing which resource is addressed, and
/// encoding the sub-delimiters too is always valid and avoids server-specific surprises.
const PATH_SEGMENT: &AsciiSet = COMPONENT;

/// One API call: operation, method, path, parameters and body. Generated operations fill it in;
/// users go through their builders.
///
/// Builder methods never fail immediately. The first problem found (a path parameter that
/// would change the URL's structure, an invalid header, a body that cannot be serialized) is
/// remembered and returned by [`Core::execute`](super::Core::execute) as
/// [`Error::InvalidRequest`](super::Error::InvalidRequest) before any network I/O.
pub struct RequestSpec {
    pub(super) operation_id: &'static str,
    pub(super) method: Method,
    pub(super) path_template: &'static str,
    path_params: Vec<(&'static str, String)>,
    query: String,
    pub(super) headers: HeaderMap,
    pub(super) body: Option<Bytes>,
    pub(super) idempotent: bool,
    /// The operation's own security; `None` is the API's default.
    pub(super) security: Option<Security>,
    problem: Option<String>,
    /// A next-page URL that replaces the path and query (see [`RequestSpec::follow`]).
    target: Option<String>,
}

impl RequestSpec {
    /// Starts a request for `operation_id` at `path_template` (e.g. `/users/{user_id}`), which
    /// is appended to the client's base URL.
    ///
    /// Safe-to-repeat methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) are marked idempotent;
    /// POST, PATCH and others are not, so they are only retried when the server provably did
    /// not act on them (connection failures, 429).
    pub fn new(operation_id: &'static str, method: Method, path_template: &'static str) -> Self {
        let idempotent = matches!(
            method,
            Method::GET
                | Method::HEAD
                | Method::PUT
                | Method::DELETE
                | Method::OPTIONS
                | Method::TRACE
        );
        RequestSpec {
            operation_id,
            method,
            path_template,
            path_params: Vec::new(),
            query: String::new(),
            headers: HeaderMap::new(),
            body: None,
            idempotent,
            security: None,
            problem: None,
            target: None,
        }
    }

    /// Overrides whether repeating this request is harmless, e.g. for a POST that the API
    /// documents as idempotent (or that carries an idempotency key).
    pub fn idempotent(&mut self, yes: bool) {
        self.idempotent = yes;
    }

    /// Sets the value substituted for `{name}` in the path template, percent-encoded as a
    /// single RFC 3986 path segment.
    ///
    /// Empty values, `.` and `..` are rejected: they would make the URL address a different
    /// resource (`/users//x`, `/users/..`) however they are encoded.
    pub fn path_param(&mut self, name: &'static str, value: &str) {
        if value.is_empty() || value == "." || value == ".." {
            let shown = if value.is_empty() { "empty" } else { value };
            self.fail(format!(
                "path parameter `{name}` of `{}` is {shown}, which is not a valid path segment",
                self.operation_id
            ));
            return;
        }
        let encoded = utf8_percent_encode(value, PATH_SEGMENT).to_string();
        match self.path_params.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = encoded,
            None => self.path_params.push((name, encoded)),
        }
    }

    /// Adds `name=value` to the query string. Every set value is sent, including `0`, `false`
    /// and the empty string; generated code skips parameters the caller left unset.
    pub fn query(&mut self, name: &'static str, value: impl Display) {
        let value = serde_json::Value::String(value.to_string());
        form::write_pairs(&mut self.query, name, &value, Style::FORM, Nulls::Skip);
    }

    /// Adds an array-valued query parameter in its OpenAPI `style`: `Form { explode: true }`
    /// gives each value its own pair (`role=a&role=b`), `Form { explode: false }` joins them
    /// with literal commas (`role=a,b`), `SpaceDelimited` with `%20` and `PipeDelimited` with
    /// `|` (a delimiter inside a value is encoded). An empty array adds nothing.
    pub fn query_array<I>(&mut self, name: &'static str, values: I, style: Style)
    where
        I: IntoIterator,
        I::Item: Display,
    {
        let values = values
            .into_iter()
            .map(|v| serde_json::Value::String(v.to_string()))
            .collect();
        let values = serde_json::Value::Array(values);
        form::write_pairs(&mut self.query, name, &values, style, Nulls::Skip);
    }

    /// Sets the `Accept` header: the media types the operation can decode, in order of
    /// preference (`application/json` for JSON APIs).
    pub fn accept(&mut self, media_types: &'static str) {
        self.headers
            .insert(ACCEPT, HeaderValue::from_static(media_types));
    }

    /// Sends an idempotency key in the header `name`: the caller's `key`, else a fresh random
    /// one (a UUID v4). The key is chosen once per call, so every retry of the call carries the
    /// same key, and the server can tell a repeat from a new request: the call becomes safe to
    /// retry after a 5XX or a timeout, as GET is.
    pub fn idempotency_key(&mut self, name: &'static str, key: Option<&str>) {
        let key = match key {
            Some(key) => key.to_owned(),
            None => uuid::Uuid::new_v4().to_string(),
        };
        self.header(name, key);
        self.idempotent = true;
    }

    /// Sets a request header. Names or values that are not valid HTTP (including any CR, LF or
    /// NUL, which could otherwise smuggle extra headers) are rejected.
    pub fn header(&mut self, name: &'static str, value: impl Display) {
        match parse_header(name, &value.to_string()) {
            Ok((name, value)) => {
                self.headers.insert(name, value);
            }
            Err(msg) => self.fail(format!("{msg} (in `{}`)", self.operation_id)),
        }
    }

    /// Serializes `body` as the JSON request body and sets `content-type: application/json`.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(Bytes::from(bytes));
                self.headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            Err(e) => self.fail(format!(
                "the request body of `{}` could not be serialized as JSON: {e}",
                self.operation_id
            )),
        }
    }

    /// Sets a pre-encoded request body (multipart, form, binary upload) and its content type.
    pub fn raw_body(&mut self, content_type: &'static str, body: impl Into<Bytes>) {
        match HeaderValue::from_str(content_type) {
            Ok(value) => {
                self.body = Some(body.into());
                self.headers.insert(CONTENT_TYPE, value);
            }
            Err(_) => self.fail(format!("invalid content type {content_type:?}")),
        }
    }

    /// Sends this request to `url`, a next-page URL the server gave (already resolved against
    /// the base URL and checked to be on its origin by [`Next::url`](super::Next::url)),
    /// instead of the path template and query parameters, which the URL carries itself.
    pub fn follow(&mut self, url: String) {
        self.target = Some(url);
    }

    /// Sends this request without the client's credential (`security: []` in the spec).
    pub fn unauthenticated(&mut self) {
        self.security = Some(&[]);
    }

    /// The credentials this operation accepts, when they differ from the API's default: the
    /// first alternative whose every scheme the client holds is sent.
    pub fn security(&mut self, security: Security) {
        self.security = Some(security);
    }

    /// Serializes `body` as an `application/x-www-form-urlencoded` request body. Each
    /// property goes out in the style `encoding` names for it (the spec's Encoding Object),
    /// else scalars and arrays of scalars as OpenAPI's default `form` style
    /// (`To=…&MediaUrl=a&MediaUrl=b`) and objects and arrays of objects in brackets
    /// (`metadata[plan]=pro`, `items[0][price]=p_1`). See [`Style`].
    pub fn form_body<T: Serialize + ?Sized>(&mut self, body: &T, encoding: &[(&str, Style)]) {
        let encoded = serde_json::to_value(body)
            .map_err(|e| e.to_string())
            .and_then(|value| form::form_body(&value, encoding));
        match encoded {
            Ok(text) => {
                self.body = Some(Bytes::from(text));
                self.headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
            }
            Err(e) => self.fail(format!(
                "the request body of `{}` could not be form-encoded: {e}",
                self.operation_id
            )),
        }
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart_body(&mut self, form: &super::Multipart) {
        let (content_type, body) = form.encode();
        match HeaderValue::from_str(&content_type) {
            Ok(value) => {
                self.body = Some(body);
                self.headers.insert(CONTENT_TYPE, value);
            }
            Err(_) => self.fail(format!("invalid multipart content type {content_type:?}")),
        }
    }

    /// Adds a structured query parameter (an object, an array or a scalar) in its OpenAPI
    /// `style`: see [`Style`] for what each writes. `null` adds nothing.
    pub fn query_object<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: Style,
    ) {
        match serde_json::to_value(value) {
            Ok(value) => form::write_pairs(&mut self.query, name, &value, style, Nulls::Skip),
            Err(e) => self.fail(format!(
                "query parameter `{name}` of `{}` could not be serialized: {e}",
                self.operation_id
            )),
        }
    }

    /// Adds a cookie (`in: cookie` parameters).
    pub fn cookie(&mut self, name: &'static str, value: impl Display) {
        let value = value.to_string();
        if value.contains([';', '\r', '\n', '\0']) {
            return self.fail(format!(
                "cookie `{name}` of `{}` contains `;` or a control character",
                self.operation_id
            ));
        }
        let pair = format!("{name}={value}");
        let joined = match self.headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
            Some(existing) => format!("{existing}; {pair}"),
            None => pair,
        };
        match HeaderValue::from_str(&joined) {
            Ok(value) => {
                self.headers.insert(COOKIE, value);
            }
            Err(_) => self.fail(format!("cookie `{name}` is not a valid header value")),
        }
    }

    /// The operation this request is for.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Whether the request is considered safe to repeat.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    fn fail(&mut self, msg: String) {
        // Keep the first problem: later ones are often consequences of it.
        self.problem.get_or_insert(msg);
    }

    /// The full URL for this request under `base_url` (which has no trailing slash), or the
    /// first problem recorded while building it.
    pub(super) fn url(&self, base_url: &str) -> Result<reqwest::Url, String> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        if let Some(target) = &self.target {
            return reqwest::Url::parse(target).map_err(|e| {
                format!(
                    "`{}` was given an invalid next-page URL: {e}",
                    self.operation_id
                )
            });
        }
        let mut url = String::with_capacity(
            base_url.len() + self.path_template.len() + self.query.len() + 32,
        );
        url.push_str(base_url);
        if !self.path_template.starts_with('/') {
            url.push('/');
        }
        self.render_path(&mut url)?;
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&self.query);
        }
        reqwest::Url::parse(&url)
            .map_err(|e| format!("`{}` produced an invalid URL: {e}", self.operation_id))
    }

    fn render_path(&self, out: &mut String) -> Result<(), String> {
        let mut rest = self.path_template;
        while let Some((literal, after_open)) = rest.split_once('{') {
            out.push_str(literal);
            let Some((name, after_close)) = after_open.split_once('}') else {
                return Err(format!(
                    "path template `{}` has an unclosed `{{`",
                    self.path_template
                ));
            };
            let Some((_, value)) = self.path_params.iter().find(|(n, _)| *n == name) else {
                return Err(format!(
                    "path parameter `{name}` of `{}` was not set",
                    self.operation_id
                ));
            };
            out.push_str(value);
            rest = after_close;
        }
        out.push_str(rest);
        // A parameter that matches no placeholder means generated code and template disagree;
        // sending the request anyway would silently address the wrong resource.
        if let Some((name, _)) = self
            .path_params
            .iter()
            .find(|(n, _)| !self.path_template.contains(&format!("{{{n}}}")))
        {
            return Err(format!(
                "path parameter `{name}` does not appear in `{}`",
                self.path_template
            ));
        }
        Ok(())
    }
}

/// A value as text for a URL or header: strings without JSON quotes, everything else as JSON.
#[doc(hidden)]
pub fn plain_text<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_value(value)
        .map(|value| form::text(&value))
        .unwrap_or_default()
}

impl fmt::Debug for RequestSpec {
    // Values (path, query, headers, body) can hold personal data or credentials, so only the
    // shape of the request is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestSpec")
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("path_template", &self.path_template)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("has_body", &self.body.is_some())
            .field("idempotent", &self.idempotent)
            .field("problem", &self.problem)
            .finish_non_exhaustive()
    }
}

/// Validates one header. The error names the header but never echoes the value, which may be
/// a credential.
pub(super) fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("{name:?} is not a valid HTTP header name"))?;
    if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | b'\0')) {
        return Err(format!(
            "the value of header `{header_name}` contains CR, LF or NUL"
        ));
    }
    let mut header_value = HeaderValue::from_str(value).map_err(|_| {
        format!("the value of header `{header_name}` is not a valid HTTP header value")
    })?;
    if is_sensitive(&header_name) {
        header_value.set_sensitive(true);
    }
    Ok((header_name, header_value))
}

fn is_sensitive(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "x-api-key"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://api.example.com/v1";

    fn get(template: &'static str) -> RequestSpec {
        RequestSpec::new("Op", Method::GET, template)
    }

    #[test]
    fn path_segments_are_encoded() {
        let table = [
            ("user_123", "user_123"),
            ("a/b", "a%2Fb"),
            ("a?b", "a%3Fb"),
            ("a#b", "a%23b"),
            ("100%", "100%25"),
            ("a b", "a%20b"),
            ("ünï😀", "%C3%BCn%C3%AF%F0%9F%98%80"),
            ("-._~", "-._~"),
            ("...", "..."),
            ("a+b&c=d;e", "a%2Bb%26c%3Dd%3Be"),
            ("%2e%2e", "%252e%252e"),
        ];
        for (raw, encoded) in table {
            let mut spec = get("/users/{user_id}/x");
            spec.path_param("user_id", raw);
            let url = spec.url(BASE).unwrap();
            assert_eq!(url.as_str(), format!("{BASE}/users/{encoded}/x"), "{raw:?}");
        }
    }

    #[test]
    fn structural_path_values_are_rejected() {
        for bad in ["", ".", ".."] {
            let mut spec = get("/users/{user_id}");
            spec.path_param("user_id", bad);
            let err = spec.url(BASE).unwrap_err();
            assert!(err.contains("user_id"), "{err}");
        }
    }

    #[test]
    fn missing_unknown_and_malformed_placeholders() {
        let spec = get("/users/{user_id}");
        assert!(spec.url(BASE).unwrap_err().contains("`user_id`"));
        let mut spec = get("/users");
        spec.path_param("user_id", "x");
        assert!(spec.url(BASE).unwrap_err().contains("does not appear"));
        let mut spec = get("/users/{user_id");
        spec.path_param("user_id", "x");
        assert!(spec.url(BASE).unwrap_err().contains("unclosed"));
        let mut spec = get("users/{a}/{b}");
        spec.path_param("a", "1");
        spec.path_param("b", "2");
        spec.path_param("a", "3");
        assert_eq!(
            spec.url(BASE).unwrap().as_str(),
            format!("{BASE}/users/3/2")
        );
    }

    #[test]
    fn query_encoding() {
        let mut spec = get("/users");
        spec.query("order_by", "+created_at");
        spec.query("user_id", "-user_1");
        spec.query("limit", 0);
        spec.query("banned", false);
        spec.query("email", "");
        spec.query("q", "a b&c=d,e#f");
        spec.query_array("role", ["admin", "basic member"], Style::FORM);
        spec.query_array("id", ["a", "b,c", "+d"], Style::Form { explode: false });
        spec.query_array("none", Vec::<String>::new(), Style::Form { explode: false });
        spec.query_array("none", Vec::<String>::new(), Style::FORM);
        spec.query_array("scope", ["openid", "email"], Style::SpaceDelimited);
        spec.query_array("pipes", ["a|b", "c"], Style::PipeDelimited);
        spec.query("filter[name]", "ü");
        let url = spec.url(BASE).unwrap();
        assert_eq!(
            url.query().unwrap(),
            "order_by=%2Bcreated_at&user_id=-user_1&limit=0&banned=false&email=\
             &q=a%20b%26c%3Dd%2Ce%23f&role=admin&role=basic%20member&id=a,b%2Cc,%2Bd\
             &scope=openid%20email&pipes=a%7Cb|c&filter%5Bname%5D=%C3%BC"
        );
    }

    #[test]
    fn header_injection_is_rejected() {
        for bad in ["a\r\nX-Evil: 1", "a\nb", "a\rb", "a\0b", "caf\u{e9}\u{1}"] {
            let mut spec = get("/x");
            spec.header("x-custom", bad);
            let err = spec.url(BASE).unwrap_err();
            assert!(err.contains("x-custom") && !err.contains("Evil"), "{err}");
        }
        let mut spec = get("/x");
        spec.header("bad name", "v");
        assert!(spec.url(BASE).is_err());
        let mut spec = get("/x");
        spec.header("X-Custom", 7);
        assert_eq!(spec.headers.get("x-custom").unwrap(), "7");
        assert!(spec.url(BASE).is_ok());
    }

    #[test]
    fn first_problem_wins() {
        let mut spec = get("/users/{id}");
        spec.path_param("id", "..");
        spec.header("x", "\n");
        assert!(spec.url(BASE).unwrap_err().contains("`id`"));
    }

    #[test]
    fn structured_query_parameters() {
        let filter = serde_json::json!({"status": "open", "min": 2});
        let mut spec = RequestSpec::new("op", Method::GET, "/x");
        spec.query_object("filter", &filter, Style::DeepObject);
        spec.query_object("plain", &filter, Style::FORM);
        spec.query_object("joined", &filter, Style::Form { explode: false });
        spec.query_object("list", &serde_json::json!([1, "a b"]), Style::FORM);
        spec.query_object("absent", &serde_json::Value::Null, Style::FORM);
        assert_eq!(
            spec.query,
            "filter%5Bstatus%5D=open&filter%5Bmin%5D=2&status=open&min=2&joined=status,open,min,2&list=1&list=a%20b"
        );
        assert_eq!(plain_text(&"quote\"d"), "quote\"d");
        assert_eq!(plain_text(&serde_json::json!({"a": 1})), "{\"a\":1}");
    }

    #[test]
    fn json_body() {
        let mut spec = RequestSpec::new("Create", Method::POST, "/users");
        spec.json_body(&serde_json::json!({"a": 1}));
        assert_eq!(spec.body.as_deref(), Some(&b"{\"a\":1}"[..]));
        assert_eq!(spec.headers.get(CONTENT_TYPE).unwrap(), "application/json");

        let mut bad = std::collections::BTreeMap::new();
        bad.insert((1, 2), 3);
        let mut spec = RequestSpec::new("Create", Method::POST, "/users");
        spec.json_body(&bad);
        assert!(
            spec.url(BASE)
                .unwrap_err()
                .contains("could not be serialized")
        );
    }

    #[test]
    fn idempotency_defaults() {
        for (method, expected) in [
            (Method::GET, true),
            (Method::HEAD, true),
            (Method::PUT, true),
            (Method::DELETE, true),
            (Method::OPTIONS, true),
            (Method::TRACE, true),
            (Method::POST, false),
            (Method::PATCH, false),
        ] {
            assert_eq!(
                RequestSpec::new("Op", method.clone(), "/").is_idempotent(),
                expected,
                "{method}"
            );
        }
        let mut spec = RequestSpec::new("Op", Method::POST, "/");
        spec.idempotent(true);
        assert!(spec.is_idempotent());
    }

    #[test]
    fn accept_security_and_idempotency_keys() {
        let mut spec = RequestSpec::new("Create", Method::POST, "/users");
        assert!(!spec.is_idempotent());
        spec.accept("application/json, application/problem+json");
        spec.idempotency_key("Idempotency-Key", None);
        let generated = spec.headers.get("idempotency-key").unwrap().clone();
        let text = generated.to_str().unwrap();
        assert!(uuid::Uuid::parse_str(text).is_ok(), "{text}");
        assert_eq!(uuid::Uuid::parse_str(text).unwrap().get_version_num(), 4);
        assert!(spec.is_idempotent());
        assert_eq!(
            spec.headers.get(ACCEPT).unwrap(),
            "application/json, application/problem+json"
        );
        let mut other = RequestSpec::new("Create", Method::POST, "/users");
        other.idempotency_key("Idempotency-Key", None);
        assert_ne!(other.headers.get("idempotency-key"), Some(&generated));
        other.idempotency_key("Idempotency-Key", Some("order-42"));
        assert_eq!(other.headers.get("idempotency-key").unwrap(), "order-42");
        other.idempotency_key("Idempotency-Key", Some("bad\nkey"));
        assert!(other.url(BASE).is_err());

        assert_eq!(spec.security, None);
        spec.security(&[&["a"], &["b", "c"]]);
        assert_eq!(spec.security, Some(&[&["a"][..], &["b", "c"][..]][..]));
        spec.unauthenticated();
        assert_eq!(spec.security, Some(&[][..]));
    }

    #[test]
    fn form_bodies_encode_nested_values() {
        let mut spec = RequestSpec::new("CreateMessage", Method::POST, "/Messages.json");
        let body = serde_json::json!({"To": "+1 555", "MediaUrl": ["a", "b"]});
        spec.form_body(&body, &[]);
        assert_eq!(
            spec.body.as_deref(),
            Some(&b"To=%2B1%20555&MediaUrl=a&MediaUrl=b"[..])
        );
        assert_eq!(
            spec.headers.get(CONTENT_TYPE).unwrap(),
            "application/x-www-form-urlencoded"
        );
        let mut spec = RequestSpec::new("Create", Method::POST, "/x");
        spec.form_body(&"not an object", &[]);
        assert!(spec.url(BASE).unwrap_err().contains("form-encoded"));
    }

    #[test]
    fn sensitive_headers_are_marked() {
        let (_, v) = parse_header("Authorization", "Bearer x").unwrap();
        assert!(v.is_sensitive());
        assert_eq!(format!("{v:?}"), "Sensitive");
        let (_, v) = parse_header("x-trace", "1").unwrap();
        assert!(!v.is_sensitive());
    }

    #[test]
    fn debug_hides_values() {
        let mut spec = get("/users/{id}");
        spec.path_param("id", "secret-user");
        spec.query("email", "someone@example.com");
        spec.header("x-token", "hunter2");
        let dbg = format!("{spec:?}");
        assert!(
            !dbg.contains("secret-user") && !dbg.contains("someone") && !dbg.contains("hunter2")
        );
    }
}
