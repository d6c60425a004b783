//! Responses: the raw form `Core::execute` returns, and the typed form operations return.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode, header::CONTENT_TYPE};
use serde::de::DeserializeOwned;

use super::error::{ApiError, DecodeError, Error, JsonCause};

/// A complete response, body fully read (and bounded by the client's `max_response_bytes`).
/// Generated code turns it into a [`Response`] or an [`Error`] depending on the status.
pub struct RawResponse {
    pub(super) operation_id: &'static str,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    pub(super) attempts: u32,
}

impl RawResponse {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body exactly as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Takes the body.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// How many attempts it took to get this response.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The operation this responds to.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// Decodes the body as JSON into `T`.
    ///
    /// Fails with [`Error::Decode`] (carrying the JSON path of the problem, e.g.
    /// `data[3].role`, and the raw body) when the body is empty, not JSON, truncated, of the
    /// wrong shape, or labelled with a non-JSON content type. A missing content type is
    /// tolerated.
    pub fn json<T: DeserializeOwned, B>(self) -> Result<Response<T>, Error<B>> {
        match decode_json::<T>(&self.headers, &self.body) {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                body,
                attempts: self.attempts,
            }),
            Err(failure) => Err(Error::Decode(Box::new(DecodeError {
                operation_id: self.operation_id,
                status: self.status,
                path: failure.path,
                message: failure.message,
                raw_body: self.body,
                attempts: self.attempts,
                source: failure.source.map(JsonCause),
            }))),
        }
    }

    /// The body as it came, for non-JSON responses (files, text).
    pub fn bytes<B>(self) -> Result<Response<Bytes>, Error<B>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body: self.body,
            attempts: self.attempts,
        })
    }

    /// A response without a meaningful body (e.g. 204); any body is ignored.
    pub fn empty<B>(self) -> Result<Response<()>, Error<B>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body: (),
            attempts: self.attempts,
        })
    }

    /// Builds [`Error::Api`] for a documented error status, decoding the body as `T` and
    /// wrapping it into the API's error-body enum. If the body does not decode, the error still
    /// carries status, headers and raw body, with [`ApiError::body`] returning `None`.
    pub fn api_error<T: DeserializeOwned, B>(self, wrap: impl FnOnce(T) -> B) -> Error<B> {
        let body = decode_json::<T>(&self.headers, &self.body).ok().map(wrap);
        Error::Api(Box::new(self.into_api_error(body)))
    }

    /// Builds [`Error::Api`] for a documented error status whose body the API gives no schema
    /// for: [`ApiError::body`] is `None`, the raw body stays readable.
    pub fn untyped_api_error<B>(self) -> Error<B> {
        Error::Api(Box::new(self.into_api_error(None)))
    }

    /// Builds [`Error::UnexpectedStatus`] for a status the operation does not document.
    pub fn unexpected_status<B>(self) -> Error<B> {
        Error::UnexpectedStatus(Box::new(self.into_api_error(None)))
    }

    fn into_api_error<B>(self, body: Option<B>) -> ApiError<B> {
        ApiError {
            operation_id: self.operation_id,
            status: self.status,
            headers: self.headers,
            body,
            raw_body: self.body,
            attempts: self.attempts,
        }
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// A successful, decoded response.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
    attempts: u32,
}

impl<T> Response<T> {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (rate-limit counters, request IDs...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            attempts: self.attempts,
        }
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Splits into status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// How many attempts it took to get this response.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

struct Failure {
    path: String,
    message: String,
    source: Option<serde_json::Error>,
}

impl Failure {
    fn at_root(message: String) -> Self {
        Failure {
            path: ".".to_owned(),
            message,
            source: None,
        }
    }
}

fn decode_json<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, Failure> {
    if let Some(value) = headers.get(CONTENT_TYPE) {
        let essence = value
            .to_str()
            .ok()
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase());
        let is_json = essence
            .as_deref()
            .is_some_and(|e| e == "application/json" || e.ends_with("+json"));
        if !is_json {
            return Err(Failure::at_root(format!(
                "expected a JSON body, got content type {:?}",
                String::from_utf8_lossy(value.as_bytes())
            )));
        }
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Failure::at_root(
            "expected a JSON body, got an empty one".to_owned(),
        ));
    }
    // serde_json limits nesting depth, so a hostile deeply nested document is an error, not a
    // stack overflow. Path tracking costs an allocation per key, so it only runs again once the
    // plain decode has failed, to say where.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        Failure {
            path,
            message: inner.to_string(),
            source: Some(inner),
        }
    })?;
    deserializer.end().map_err(|e| Failure {
        path: ".".to_owned(),
        message: e.to_string(),
        source: Some(e),
    })?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Member {
        role: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct List {
        data: Vec<Member>,
    }

    fn raw(status: u16, content_type: Option<&'static str>, body: &'static [u8]) -> RawResponse {
        let mut headers = HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        RawResponse {
            operation_id: "ListMembers",
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Bytes::from_static(body),
            attempts: 2,
        }
    }

    fn decode_err(r: RawResponse) -> DecodeError {
        match r.json::<List, ()>() {
            Err(Error::Decode(e)) => *e,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn decodes_json() {
        let r = raw(
            200,
            Some("application/json; charset=utf-8"),
            br#"{"data":[{"role":"admin"}]}"#,
        );
        let resp = r.json::<List, ()>().unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.attempts(), 2);
        assert_eq!(resp.body().data.len(), 1);
        let (status, _headers, body) = resp.into_parts();
        assert_eq!(
            (status, body.data[0].role.as_str()),
            (StatusCode::OK, "admin")
        );
        // No content type at all is tolerated; +json types are JSON.
        assert!(raw(200, None, br#"{"data":[]}"#).json::<List, ()>().is_ok());
        assert!(
            raw(200, Some("application/vnd.api+json"), br#"{"data":[]}"#)
                .json::<List, ()>()
                .is_ok()
        );
    }

    #[test]
    fn wrong_type_reports_the_json_path() {
        let body = br#"{"data":[{"role":"a"},{"role":"b"},{"role":"c"},{"role":7}]}"#;
        let e = decode_err(raw(200, Some("application/json"), body));
        assert_eq!(e.path(), "data[3].role");
        assert!(e.message().contains("invalid type"), "{}", e.message());
        assert_eq!(e.raw_body(), body);
        assert_eq!(e.attempts(), 2);
        assert!(e.to_string().contains("ListMembers") && e.to_string().contains("data[3].role"));
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn malformed_bodies_are_decode_errors() {
        let cases: [(Option<&'static str>, &'static [u8]); 8] = [
            (Some("application/json"), b""),
            (Some("application/json"), b"  \n"),
            (Some("application/json"), br#"{"data":[{"role":"adm"#),
            (Some("application/json"), b"<html>502 Bad Gateway</html>"),
            (Some("application/json"), br#"{"data":[]} trailing"#),
            (Some("text/html"), br#"{"data":[]}"#),
            (Some("application/json"), b"\xff\xfe\x00"),
            (Some("application/json"), b"null"),
        ];
        for (ct, body) in cases {
            let e = decode_err(raw(200, ct, body));
            assert!(!e.message().is_empty());
        }
        let deep = "[".repeat(100_000);
        let r = RawResponse {
            body: Bytes::from(deep),
            ..raw(200, None, b"")
        };
        assert!(matches!(
            r.json::<serde_json::Value, ()>(),
            Err(Error::Decode(_))
        ));
    }

    #[test]
    fn api_error_keeps_raw_body_when_schema_does_not_match() {
        #[derive(Debug, Deserialize)]
        struct Clerk {
            errors: Vec<serde_json::Value>,
        }
        let ok = raw(
            422,
            Some("application/json"),
            br#"{"errors":[{"code":"x"}]}"#,
        )
        .api_error(|b: Clerk| b.errors.len());
        assert_eq!(ok.api_body(), Some(&1));
        assert_eq!(ok.attempts(), Some(2));
        let bad = raw(502, Some("text/html"), b"<html>").api_error(|b: Clerk| b.errors.len());
        match bad {
            Error::Api(e) => {
                assert_eq!(e.body(), None);
                assert_eq!(e.raw_body(), b"<html>");
                assert_eq!(e.status(), StatusCode::BAD_GATEWAY);
            }
            other => panic!("{other:?}"),
        }
        match raw(418, None, b"").unexpected_status::<()>() {
            Error::UnexpectedStatus(e) => assert_eq!(e.status().as_u16(), 418),
            other => panic!("{other:?}"),
        }
        let empty = raw(204, None, b"ignored").empty::<()>().unwrap();
        assert_eq!(empty.status(), StatusCode::NO_CONTENT);
    }
}
