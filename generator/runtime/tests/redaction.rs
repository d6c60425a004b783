//! The bearer token never appears in Debug output or error messages.

mod common;

use common::*;
use http::Method;
use sdkgen_runtime::{Error, RequestOptions, RequestSpec};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn token_never_reaches_debug_or_display() {
    let builder_dbg = format!("{:?}", builder("http://127.0.0.1:1"));
    let core = core("http://127.0.0.1:1");
    let core_dbg = format!("{core:?} {core:#?}");
    let err = core
        .execute::<()>(
            RequestSpec::new("GetUser", Method::GET, "/x"),
            &RequestOptions::new().no_retries(),
        )
        .await
        .unwrap_err();
    let err_text = format!("{err:?} {err:#?} {err}");
    let source_text = std::error::Error::source(&err)
        .map(|s| format!("{s:?} {s}"))
        .unwrap_or_default();

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({"errors": []})))
        .mount(&server)
        .await;
    let raw = common::core(&server.uri())
        .execute::<()>(
            RequestSpec::new("GetUser", Method::GET, "/x"),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    let raw_dbg = format!("{raw:?}");
    let api_err: E = raw.api_error(|v: serde_json::Value| v);
    let api_text = format!("{api_err:?} {api_err}");
    assert!(matches!(api_err, Error::Api(_)));

    for text in [
        builder_dbg,
        core_dbg,
        err_text,
        source_text,
        raw_dbg,
        api_text,
    ] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
        assert!(!text.contains("Sup3r"), "token fragment leaked: {text}");
    }
}
