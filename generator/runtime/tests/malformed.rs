//! Hostile and broken server replies become typed errors, never panics or unbounded memory.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use common::*;
use http::Method;
use sdkgen_runtime::{Error, RawResponse, RequestOptions, RequestSpec};
use serde::Deserialize;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct User {
    id: String,
    banned: bool,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct UserList {
    data: Vec<User>,
    total_count: i64,
}

fn get() -> RequestSpec {
    RequestSpec::new("ListUsers", Method::GET, "/users")
}

async fn fetch(response: ResponseTemplate) -> RawResponse {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    core(&server.uri())
        .execute::<()>(get(), &RequestOptions::new())
        .await
        .unwrap()
}

fn decode_path(raw: RawResponse) -> String {
    match raw.json::<UserList, ()>() {
        Err(Error::Decode(e)) => {
            assert_eq!(e.operation_id(), "ListUsers");
            e.path().to_owned()
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_json_bodies_are_decode_errors() {
    let json = "application/json";
    let cases: Vec<(ResponseTemplate, &str)> = vec![
        (ResponseTemplate::new(200).set_body_raw(r#"{"data":[{"id":"u1","ban"#, json), "data[0].?"),
        (ResponseTemplate::new(200).set_body_raw("<html>oops</html>", json), "."),
        (ResponseTemplate::new(200).set_body_raw("", json), "."),
        (
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"data":[{"id":"u1","banned":false},{"id":"u2","banned":"no"}],"total_count":2}"#, json),
            "data[1].banned",
        ),
        (ResponseTemplate::new(200).set_body_raw(r#"{"data":[],"total_count":"2"}"#, json), "total_count"),
        (ResponseTemplate::new(200).set_body_raw(r#"{"data":[],"total_count":2}"#, "text/html"), "."),
        (ResponseTemplate::new(200).set_body_raw(vec![0xff, 0xfe, 0x00, 0x7b], json), "."),
    ];
    for (response, expected_path) in cases {
        assert_eq!(decode_path(fetch(response).await), expected_path);
    }
}

#[tokio::test]
async fn decode_error_carries_raw_body_and_status() {
    let body = r#"{"data":[{"id":7,"banned":false}],"total_count":1}"#;
    let raw = fetch(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    match raw.json::<UserList, ()>() {
        Err(Error::Decode(e)) => {
            assert_eq!(e.raw_body(), body.as_bytes());
            assert_eq!(e.status(), 200);
            assert_eq!(e.path(), "data[0].id");
            let msg = e.to_string();
            assert!(
                msg.contains("data[0].id") && msg.contains("ListUsers"),
                "{msg}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(vec![b'a'; 64 * 1024], "application/json"),
        )
        .mount(&server)
        .await;
    let core = builder(&server.uri())
        .max_response_bytes(1024)
        .build_core::<()>()
        .unwrap();
    let err = core
        .execute::<()>(get(), &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 1024,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("max_response_bytes"), "{err}");
    assert!(!err.is_retryable());

    // Exactly at the limit is fine.
    let core = builder(&server.uri())
        .max_response_bytes(64 * 1024)
        .build_core::<()>()
        .unwrap();
    assert!(
        core.execute::<()>(get(), &RequestOptions::new())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn chunked_bodies_without_length_are_bounded_too() {
    // An endless stream with no Content-Length: reading must stop at the limit.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/users",
        axum::routing::get(|| async {
            let chunks = futures_util::stream::repeat_with(|| {
                Ok::<_, std::io::Error>(bytes::Bytes::from_static(&[b' '; 8192]))
            });
            axum::body::Body::from_stream(chunks)
        }),
    );
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let core = builder(&format!("http://{addr}"))
        .max_response_bytes(100_000)
        .build_core::<()>()
        .unwrap();
    let err = core
        .execute::<()>(get(), &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 100_000, .. }),
        "{err:?}"
    );
    server.abort();
}

/// Serves one canned raw HTTP reply per connection from a plain thread, for replies no
/// well-behaved server library would produce.
fn raw_server(reply: &'static [u8], connections: usize) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { return };
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(reply);
            // Dropping the stream closes the connection mid-body.
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn connection_closed_mid_body_is_a_transport_error() {
    let reply = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"data\":[";
    let base = raw_server(reply, 3);
    let core = core_with(&base, FAST.max_attempts(3));
    let err = core
        .execute::<()>(get(), &RequestOptions::new())
        .await
        .unwrap_err();
    match &err {
        // Idempotent GET: retried, then reported with the attempt count.
        Error::Transport { attempts, .. } => assert_eq!(*attempts, 3),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_transport_error() {
    let base = raw_server(b"SSH-2.0-OpenSSH_9.6\r\n", 1);
    let core = core_with(&base, sdkgen_runtime::RetryPolicy::none());
    let err = core
        .execute::<()>(get(), &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn error_status_with_garbage_body_keeps_raw_body() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_raw("<h1>Internal</h1>", "text/html"))
        .mount(&server)
        .await;
    let raw = core(&server.uri())
        .execute::<()>(get(), &RequestOptions::new().no_retries())
        .await
        .unwrap();
    match raw.api_error::<serde_json::Value, serde_json::Value>(|v| v) {
        Error::Api(e) => {
            assert_eq!(e.body(), None);
            assert_eq!(e.raw_body(), b"<h1>Internal</h1>");
            assert_eq!(e.attempts(), 1);
        }
        other => panic!("{other:?}"),
    }
}
