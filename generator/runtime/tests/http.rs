//! End-to-end behaviour over real HTTP on 127.0.0.1.

mod common;

use std::time::{Duration, Instant};

use common::*;
use http::Method;
use sdkgen_runtime::{Error, RequestOptions, RequestSpec, Style};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn get(path_template: &'static str) -> RequestSpec {
    RequestSpec::new("GetThing", Method::GET, path_template)
}

fn post(path_template: &'static str) -> RequestSpec {
    RequestSpec::new("CreateThing", Method::POST, path_template)
}

async fn mount_once(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .up_to_n_times(1)
        .mount(server)
        .await;
}

async fn mount_always(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .mount(server)
        .await;
}

async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

fn ok_json() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true}))
}

#[tokio::test]
async fn retry_after_seconds_is_honoured_on_429() {
    let server = MockServer::start().await;
    mount_once(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
    )
    .await;
    mount_always(&server, ok_json()).await;
    let core = core_with(&server.uri(), FAST.max_interval(Duration::from_secs(2)));

    let start = Instant::now();
    let raw = core
        .execute::<()>(get("/things"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.attempts(), 2);
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
    let body: serde_json::Value = raw.json::<_, ()>().unwrap().into_body();
    assert_eq!(body["ok"], true);
}

#[tokio::test]
async fn retry_after_ms_is_honoured() {
    let server = MockServer::start().await;
    mount_once(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after-ms", "150"),
    )
    .await;
    mount_always(&server, ok_json()).await;
    let start = Instant::now();
    let raw = core_with(&server.uri(), FAST.max_interval(Duration::from_secs(1)))
        .execute::<()>(get("/things"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (200, 2));
    assert!(start.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn retry_after_beyond_max_interval_returns_the_429_immediately() {
    let server = MockServer::start().await;
    mount_always(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "120"),
    )
    .await;
    let start = Instant::now();
    let raw = core(&server.uri())
        .execute::<()>(get("/things"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (429, 1));
    assert!(start.elapsed() < Duration::from_secs(1));
    let err = raw.api_error::<serde_json::Value, serde_json::Value>(|v| v);
    match &err {
        Error::Api(e) => assert_eq!(e.header("retry-after"), Some("120")),
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn server_error_then_success() {
    let server = MockServer::start().await;
    mount_once(&server, ResponseTemplate::new(503)).await;
    mount_always(&server, ok_json()).await;
    let raw = core(&server.uri())
        .execute::<()>(get("/things"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (200, 2));
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn statuses_outside_the_policy_are_not_retried() {
    let server = MockServer::start().await;
    mount_always(&server, ResponseTemplate::new(404)).await;
    let raw = core(&server.uri())
        .execute::<()>(get("/things"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (404, 1));
}

#[tokio::test]
async fn connection_refused_then_success_even_for_post() {
    // Reserve a free port, release it, and only start listening on it after a delay: the first
    // attempts hit a closed port, which is safe to retry even for POST.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        let app =
            axum::Router::new().route("/things", axum::routing::post(|| async { "{\"id\":1}" }));
        axum::serve(listener, app).await.unwrap();
    });
    let policy = FAST
        .initial_interval(Duration::from_millis(50))
        .max_interval(Duration::from_millis(100));
    let raw = core_with(&base, policy)
        .execute::<()>(post("/things"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert!(raw.attempts() >= 2, "{}", raw.attempts());
    server.abort();
}

#[tokio::test]
async fn connection_refused_exhausts_budget_with_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let policy = FAST.max_elapsed(Duration::from_millis(200));
    let err = core_with(&format!("http://127.0.0.1:{port}"), policy)
        .execute::<()>(get("/things"), &RequestOptions::new())
        .await
        .unwrap_err();
    match &err {
        Error::Transport {
            source, attempts, ..
        } => {
            assert!(source.is_connect());
            assert!(*attempts > 1);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    assert!(err.to_string().contains("could not connect"), "{err}");
}

#[tokio::test]
async fn post_is_not_retried_after_reaching_the_server() {
    let server = MockServer::start().await;
    mount_once(&server, ResponseTemplate::new(503)).await;
    mount_always(&server, ok_json()).await;
    let raw = core(&server.uri())
        .execute::<()>(post("/things"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (503, 1));
    assert_eq!(hits(&server).await, 1);
    let err = raw.unexpected_status::<()>();
    assert_eq!(err.attempts(), Some(1));
}

#[tokio::test]
async fn post_is_retried_on_429_because_the_server_did_not_act_on_it() {
    let server = MockServer::start().await;
    mount_once(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after-ms", "20"),
    )
    .await;
    mount_always(&server, ok_json()).await;
    let raw = core(&server.uri())
        .execute::<()>(post("/things"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (200, 2));
}

#[tokio::test]
async fn post_is_retried_when_opted_in() {
    let server = MockServer::start().await;
    mount_once(&server, ResponseTemplate::new(503)).await;
    mount_always(&server, ok_json()).await;
    let options = RequestOptions::new().retry_non_idempotent(true);
    let raw = core(&server.uri())
        .execute::<()>(post("/things"), &options)
        .await
        .unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (200, 2));

    // Marking the request idempotent (e.g. it carries an idempotency key) works the same way.
    let server = MockServer::start().await;
    mount_once(&server, ResponseTemplate::new(503)).await;
    mount_always(&server, ok_json()).await;
    let mut spec = post("/things");
    spec.idempotent(true);
    let raw = core(&server.uri())
        .execute::<()>(spec, &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(raw.attempts(), 2);
}

#[tokio::test]
async fn exhausted_budget_returns_last_response_with_attempts() {
    let server = MockServer::start().await;
    mount_always(&server, ResponseTemplate::new(503).set_body_string("down")).await;
    let policy = FAST.max_elapsed(Duration::from_millis(300));
    let start = Instant::now();
    let raw = core_with(&server.uri(), policy)
        .execute::<()>(get("/things"), &RequestOptions::new())
        .await
        .unwrap();
    let elapsed = start.elapsed();
    assert_eq!(raw.status(), 503);
    assert!(raw.attempts() > 2, "{}", raw.attempts());
    assert_eq!(hits(&server).await, raw.attempts() as usize);
    // Never sleeps past the budget (allowing for the request round trips themselves).
    assert!(elapsed < Duration::from_millis(450), "{elapsed:?}");
    let err = raw.unexpected_status::<()>();
    assert_eq!(err.attempts(), hits(&server).await.try_into().ok());
    assert!(err.to_string().contains("attempts"), "{err}");
}

#[tokio::test]
async fn max_attempts_caps_retries() {
    let server = MockServer::start().await;
    mount_always(&server, ResponseTemplate::new(500)).await;
    let raw = core_with(&server.uri(), FAST.max_attempts(3))
        .execute::<()>(get("/things"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(raw.attempts(), 3);
    assert_eq!(hits(&server).await, 3);
    // Per-call override: no retries at all.
    let raw = core(&server.uri())
        .execute::<()>(get("/things"), &RequestOptions::new().no_retries())
        .await
        .unwrap();
    assert_eq!(raw.attempts(), 1);
}

#[tokio::test]
async fn per_call_timeout() {
    let server = MockServer::start().await;
    mount_always(&server, ok_json().set_delay(Duration::from_secs(3))).await;
    let core = core(&server.uri());

    let start = Instant::now();
    let options = RequestOptions::new()
        .timeout(Duration::from_millis(100))
        .no_retries();
    let err = core
        .execute::<()>(get("/slow"), &options)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(err.to_string().contains("timed out"), "{err}");

    // Idempotent: the timeout is retried.
    let options = RequestOptions::new()
        .timeout(Duration::from_millis(50))
        .retry(FAST.max_attempts(2));
    let err = core
        .execute::<()>(get("/slow"), &options)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 2, .. }), "{err:?}");

    // POST: the server may have acted on it, so a timeout is final.
    let options = RequestOptions::new().timeout(Duration::from_millis(50));
    let err = core
        .execute::<()>(post("/slow"), &options)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
}

#[tokio::test]
async fn client_timeout_applies_by_default() {
    let server = MockServer::start().await;
    mount_always(&server, ok_json().set_delay(Duration::from_secs(3))).await;
    let core = builder(&server.uri())
        .timeout(Duration::from_millis(100))
        .no_retries()
        .build_core::<()>()
        .unwrap();
    let err = core
        .execute::<()>(get("/slow"), &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
}

#[tokio::test]
async fn path_parameters_are_encoded_on_the_wire() {
    let server = MockServer::start().await;
    mount_always(&server, ok_json()).await;
    let core = core(&format!("{}/v1/", server.uri()));
    let table = [
        ("a/b", "a%2Fb"),
        ("a?b", "a%3Fb"),
        ("a#b", "a%23b"),
        ("50%", "50%25"),
        ("a b", "a%20b"),
        ("ü😀", "%C3%BC%F0%9F%98%80"),
        ("user_2x-Y.z~", "user_2x-Y.z~"),
    ];
    for (raw, encoded) in table {
        let mut spec = get("/users/{user_id}/memberships");
        spec.path_param("user_id", raw);
        core.execute::<()>(spec, &RequestOptions::new())
            .await
            .unwrap();
        let requests = server.received_requests().await.unwrap();
        let last = requests.last().unwrap();
        assert_eq!(
            last.url.path(),
            format!("/v1/users/{encoded}/memberships"),
            "{raw:?}"
        );
        assert_eq!(last.url.query(), None);
    }
}

#[tokio::test]
async fn bad_requests_are_rejected_before_any_network_io() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok_json())
        .expect(0)
        .mount(&server)
        .await;
    let core = core(&server.uri());
    for bad in ["", ".", ".."] {
        let mut spec = get("/users/{user_id}");
        spec.path_param("user_id", bad);
        let err = core
            .execute::<()>(spec, &RequestOptions::new())
            .await
            .unwrap_err();
        match &err {
            Error::InvalidRequest(msg) => assert!(msg.contains("user_id"), "{msg}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(err.attempts(), None);
    }
    // Header injection, in an operation header and in a per-call header.
    let mut spec = get("/users");
    spec.header("x-tenant", "a\r\nx-injected: 1");
    let err = core
        .execute::<()>(spec, &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    let options = RequestOptions::new().header("x-tenant", "a\nx-injected: 1");
    let err = core
        .execute::<()>(get("/users"), &options)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("x-tenant")),
        "{err:?}"
    );
    let options = RequestOptions::new().header("bad header", "1");
    assert!(core.execute::<()>(get("/users"), &options).await.is_err());
    // A placeholder with no value.
    let err = core
        .execute::<()>(get("/users/{user_id}"), &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert_eq!(hits(&server).await, 0);
}

#[tokio::test]
async fn query_encoding_on_the_wire() {
    let server = MockServer::start().await;
    mount_always(&server, ok_json()).await;
    let mut spec = get("/users");
    spec.query("order_by", "+created_at");
    spec.query_array("user_id", ["+user_a", "-user_b"], Style::FORM);
    spec.query_array("role", ["admin", "basic member"], Style::FORM);
    spec.query_array(
        "email_address",
        ["a@x.com", "b,c@y.com"],
        Style::Form { explode: false },
    );
    spec.query_array("scope", ["openid", "email a|b"], Style::SpaceDelimited);
    spec.query_array("fields", ["id", "name|x"], Style::PipeDelimited);
    spec.query("limit", 0);
    spec.query("banned", false);
    spec.query("query", "");
    core(&server.uri())
        .execute::<()>(spec, &RequestOptions::new())
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let url = &requests[0].url;
    assert_eq!(
        url.query().unwrap(),
        "order_by=%2Bcreated_at&user_id=%2Buser_a&user_id=-user_b&role=admin&role=basic%20member\
         &email_address=a%40x.com,b%2Cc%40y.com&scope=openid%20email%20a%7Cb&fields=id|name%7Cx\
         &limit=0&banned=false&query="
    );
    // And a standard form decoder sees exactly the values we meant.
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(pairs.contains(&("user_id".into(), "+user_a".into())));
    assert!(pairs.contains(&("order_by".into(), "+created_at".into())));
    assert!(pairs.contains(&("query".into(), String::new())));
    assert!(pairs.contains(&("scope".into(), "openid email a|b".into())));
    assert!(pairs.contains(&("fields".into(), "id|name|x".into())));
}

#[tokio::test]
async fn headers_sent_and_precedence() {
    let server = MockServer::start().await;
    mount_always(&server, ok_json()).await;
    let core = builder(&server.uri())
        .default_header("x-default", "d")
        .default_header("x-over", "from-default")
        .build_core::<()>()
        .unwrap();
    let mut spec = post("/things");
    spec.header("x-over", "from-operation");
    spec.header("x-op", "o");
    spec.json_body(&serde_json::json!({"name": "n"}));
    let options = RequestOptions::new().header("X-Op", "from-options");
    core.execute::<()>(spec, &options).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let h = &requests[0].headers;
    assert_eq!(h.get("authorization").unwrap(), &format!("Bearer {TOKEN}"));
    assert_eq!(h.get("user-agent").unwrap(), "sdkgen-test/1.0");
    assert_eq!(h.get("x-default").unwrap(), "d");
    assert_eq!(h.get("x-over").unwrap(), "from-operation");
    assert_eq!(h.get("x-op").unwrap(), "from-options");
    assert_eq!(h.get("content-type").unwrap(), "application/json");
    assert_eq!(requests[0].body, br#"{"name":"n"}"#);

    let core = builder(&server.uri())
        .user_agent("custom/2")
        .build_core::<()>()
        .unwrap();
    core.execute::<()>(get("/x"), &RequestOptions::new())
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[1].headers.get("user-agent").unwrap(), "custom/2");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/old"))
        .respond_with(
            ResponseTemplate::new(301).insert_header("location", "https://elsewhere.invalid/"),
        )
        .mount(&server)
        .await;
    let raw = core(&server.uri())
        .execute::<()>(get("/old"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(raw.status(), 301);
}

#[tokio::test]
async fn documented_error_bodies_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "errors": [{"code": "resource_not_found", "message": "not found"}]
        })))
        .mount(&server)
        .await;
    let raw = core(&server.uri())
        .execute::<()>(get("/users/x"), &RequestOptions::new())
        .await
        .unwrap();
    let err = raw.api_error::<serde_json::Value, _>(|v| v);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        err.api_body().unwrap()["errors"][0]["code"],
        "resource_not_found"
    );
    assert!(!err.is_retryable());
    let msg = err.to_string();
    assert!(msg.contains("GetThing") && msg.contains("404"), "{msg}");
}
