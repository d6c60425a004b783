//! No error's `Debug` or `Display` grows with the response: errors end up in logs, `unwrap()`
//! panics and `main`'s exit report, so a 10 MB body (and whatever personal data it holds) must
//! not follow them there. The raw bytes stay reachable through `raw_body()`.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use http::Method;
use sdkgen_runtime::{ClientBuilder, Error, RequestOptions, RequestSpec};
use serde::Deserialize;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// "A few hundred bytes": the operation, status, limits and a capped excerpt, nothing more.
const MAX_TEXT: usize = 600;
const TEN_MB: usize = 10 * 1024 * 1024;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    id: i64,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ClerkErrors {
    errors: Vec<BTreeMap<String, String>>,
}

/// Every rendering of `err` and of its `source()` chain, each checked against the cap.
fn assert_small<B: std::fmt::Debug>(what: &str, err: &Error<B>) {
    let mut texts = vec![format!("{err}"), format!("{err:?}"), format!("{err:#?}")];
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        texts.push(format!("{cause}"));
        texts.push(format!("{cause:?}"));
        source = cause.source();
    }
    for text in texts {
        assert!(
            text.len() <= MAX_TEXT,
            "{what}: {} bytes: {}…",
            text.len(),
            text.chars().take(300).collect::<String>()
        );
    }
}

async fn reply(response: ResponseTemplate) -> (MockServer, sdkgen_runtime::RawResponse) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    let raw = core(&server.uri())
        .execute::<()>(
            RequestSpec::new("ListItems", Method::GET, "/items"),
            &RequestOptions::new().no_retries(),
        )
        .await
        .unwrap();
    (server, raw)
}

fn json(status: u16, body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "application/json")
}

#[tokio::test]
async fn errors_about_huge_replies_stay_small() {
    let garbage: Vec<u8> = (0..TEN_MB).map(|i| b"{[\"x:,"[i % 6]).collect();
    let huge_string = format!("{{\"id\": \"{}\"}}", "é".repeat(TEN_MB / 2));
    let huge_key = format!("{{\"{}\": \"not a number\"}}", "k".repeat(TEN_MB));
    let huge_error = format!(
        "{{\"errors\": [{{\"message\": \"{}\"}}]}}",
        "secret-ish ".repeat(TEN_MB / 11)
    );

    // Success statuses whose body does not decode: garbage, a value of the wrong type (serde
    // quotes it whole), a huge key on the error's JSON path.
    for (what, body) in [
        ("garbage", garbage.clone()),
        ("wrong type", huge_string.into_bytes()),
    ] {
        let (_server, raw) = reply(json(200, body)).await;
        let err = raw.json::<Item, ()>().unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{what}");
        assert_small(what, &err);
        if let Error::Decode(e) = &err {
            assert!(e.raw_body().len() >= TEN_MB, "the raw body stays reachable");
            assert!(e.message().len() > MAX_TEXT || what == "garbage");
        }
    }
    let (_server, raw) = reply(json(200, huge_key.into_bytes())).await;
    let err = raw.json::<BTreeMap<String, i64>, ()>().unwrap_err();
    assert_small("huge key", &err);

    // A documented error status whose body decodes, with a huge message inside.
    let (_server, raw) = reply(json(422, huge_error.into_bytes())).await;
    let err = raw.api_error(|body: ClerkErrors| body);
    assert!(err.api_body().is_some());
    assert_small("decoded error body", &err);

    // A documented error status with garbage, and an undocumented one.
    let (_server, raw) = reply(json(500, garbage.clone())).await;
    let err = raw.api_error(|body: ClerkErrors| body);
    assert_small("undecodable error body", &err);
    let (_server, raw) = reply(json(418, garbage.clone())).await;
    let err = raw.unexpected_status::<()>();
    assert_small("undocumented status", &err);
    match &err {
        Error::UnexpectedStatus(e) => assert_eq!(e.raw_body().len(), TEN_MB),
        other => panic!("{other:?}"),
    }

    // A huge content type.
    let (_server, raw) = reply(
        ResponseTemplate::new(200)
            .set_body_bytes(b"{}".to_vec())
            .insert_header("content-type", "text/".to_owned() + &"x".repeat(30_000)),
    )
    .await;
    let err = raw.json::<Item, ()>().unwrap_err();
    assert_small("huge content type", &err);

    // Too large for the client's limit.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json(200, garbage))
        .mount(&server)
        .await;
    let err = builder(&server.uri())
        .max_response_bytes(1024)
        .build_core::<()>()
        .unwrap()
        .execute::<()>(
            RequestSpec::new("ListItems", Method::GET, "/items"),
            &RequestOptions::new(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
    assert_small("too large", &err);
}

#[tokio::test]
async fn errors_without_a_reply_stay_small() {
    // Refused connection.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = core(&format!("http://127.0.0.1:{port}"))
        .execute::<()>(
            RequestSpec::new("ListItems", Method::GET, "/items"),
            &RequestOptions::new().no_retries(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_small("transport", &err);

    // Timeout and deadline.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    for options in [
        RequestOptions::new()
            .timeout(Duration::from_millis(50))
            .no_retries(),
        RequestOptions::new().deadline(Duration::from_millis(50)),
    ] {
        let err = core(&server.uri())
            .execute::<()>(
                RequestSpec::new("ListItems", Method::GET, "/items"),
                &options,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert_small("timeout", &err);
    }

    // Configuration and request errors that quote what they were given.
    let err = ClientBuilder::new(DEFAULTS)
        .bearer_token(TOKEN)
        .base_url("x".repeat(TEN_MB))
        .build_core::<()>()
        .unwrap_err();
    assert_small("config", &err);
    let mut spec = RequestSpec::new("ListItems", Method::GET, "/items");
    spec.header("x-huge", "v\n".repeat(1000));
    let err = core(&server.uri())
        .execute::<()>(spec, &RequestOptions::new().header("k".repeat(TEN_MB), "v"))
        .await
        .unwrap_err();
    assert_small("invalid request", &err);
    let err = core(&server.uri())
        .execute::<()>(
            RequestSpec::new("ListItems", Method::GET, "/items"),
            &RequestOptions::new().header("k".repeat(TEN_MB), "v"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_small("invalid per-call header", &err);
}
