//! Request and response hooks over real HTTP on 127.0.0.1: they run per attempt, their headers
//! reach the server, and they never see or change the credential.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use http::header::HeaderValue;
use http::{Method, StatusCode};
use sdkgen_runtime::{
    AttemptError, AuthScheme, ClientBuilder, Core, RequestInfo, RequestOptions, RequestSpec,
    ResponseInfo, SecurityScheme,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What a request hook saw on one attempt.
#[derive(Debug, Clone)]
struct SeenRequest {
    operation_id: &'static str,
    method: Method,
    path_template: &'static str,
    url: String,
    attempt: u32,
    /// Every header name and value the hook could read.
    headers: Vec<(String, String)>,
}

/// What a response hook saw on one attempt.
#[derive(Debug, Clone)]
struct SeenResponse {
    operation_id: &'static str,
    method: Method,
    path_template: &'static str,
    attempt: u32,
    status: Option<StatusCode>,
    request_id: Option<String>,
    error: Option<AttemptError>,
    elapsed: Duration,
    total_elapsed: Duration,
    retry_in: Option<Duration>,
}

type Log<T> = Arc<Mutex<Vec<T>>>;

fn record_requests(builder: ClientBuilder) -> (ClientBuilder, Log<SeenRequest>) {
    let log: Log<SeenRequest> = Arc::default();
    let sink = log.clone();
    let builder = builder.on_request(move |req: &mut RequestInfo<'_>| {
        let headers = req
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        sink.lock().unwrap().push(SeenRequest {
            operation_id: req.operation_id(),
            method: req.method().clone(),
            path_template: req.path_template(),
            url: req.url().to_owned(),
            attempt: req.attempt(),
            headers,
        });
    });
    (builder, log)
}

fn record_responses(builder: ClientBuilder) -> (ClientBuilder, Log<SeenResponse>) {
    let log: Log<SeenResponse> = Arc::default();
    let sink = log.clone();
    let builder = builder.on_response(move |res: &ResponseInfo<'_>| {
        sink.lock().unwrap().push(SeenResponse {
            operation_id: res.operation_id,
            method: res.method.clone(),
            path_template: res.path_template,
            attempt: res.attempt,
            status: res.status,
            request_id: res
                .headers
                .and_then(|h| h.get("x-request-id"))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            error: res.error,
            elapsed: res.elapsed,
            total_elapsed: res.total_elapsed,
            retry_in: res.retry_in,
        });
    });
    (builder, log)
}

fn build(builder: ClientBuilder) -> Core {
    builder.build_core::<()>().expect("valid test client")
}

fn get_user(id: &str) -> RequestSpec {
    let mut spec = RequestSpec::new("GetUser", Method::GET, "/users/{user_id}");
    spec.path_param("user_id", id);
    spec
}

async fn mount_always(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .mount(server)
        .await;
}

#[tokio::test]
async fn header_added_by_a_hook_reaches_the_server() {
    let server = MockServer::start().await;
    mount_always(&server, ResponseTemplate::new(200)).await;
    let (builder, seen) = record_requests(
        builder(&server.uri())
            .default_header("x-default", "d")
            .on_request(|req| {
                let id = format!("{}-{}", req.operation_id(), req.attempt());
                req.headers_mut()
                    .insert("x-request-id", HeaderValue::from_str(&id).unwrap());
                // A hook may also override an ordinary header.
                req.headers_mut()
                    .insert("x-default", HeaderValue::from_static("from-hook"));
            }),
    );
    let core = build(builder);
    let mut spec = get_user("user_1");
    spec.query("limit", 5);
    core.execute::<()>(spec, &RequestOptions::new().header("x-call", "c"))
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let h = &requests[0].headers;
    assert_eq!(h.get("x-request-id").unwrap(), "GetUser-1");
    assert_eq!(h.get("x-default").unwrap(), "from-hook");
    assert_eq!(h.get("x-call").unwrap(), "c");
    assert_eq!(h.get("authorization").unwrap(), &format!("Bearer {TOKEN}"));

    // Hooks run in the order they were added: the recorder, added last, sees the first
    // hook's header.
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(req.operation_id, "GetUser");
    assert_eq!(req.method, Method::GET);
    assert_eq!(req.path_template, "/users/{user_id}");
    assert_eq!(req.url, format!("{}/users/user_1?limit=5", server.uri()));
    assert_eq!(req.attempt, 1);
    assert!(
        req.headers
            .contains(&("x-request-id".into(), "GetUser-1".into()))
    );
    assert!(req.headers.contains(&("x-call".into(), "c".into())));
    assert!(
        req.headers
            .contains(&("user-agent".into(), "sdkgen-test/1.0".into()))
    );
}

#[tokio::test]
async fn hooks_run_on_every_attempt_of_a_retried_call() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("x-request-id", "req_1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_always(
        &server,
        ResponseTemplate::new(200).insert_header("x-request-id", "req_2"),
    )
    .await;
    let (builder, requests) = record_requests(builder(&server.uri()));
    let (builder, responses) = record_responses(builder);
    let core = build(builder);

    let raw = core
        .execute::<()>(get_user("user_1"), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.attempts(), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    let requests = requests.lock().unwrap();
    assert_eq!(
        requests.iter().map(|r| r.attempt).collect::<Vec<_>>(),
        [1, 2]
    );
    let responses = responses.lock().unwrap();
    assert_eq!(responses.len(), 2, "{responses:#?}");
    let (first, second) = (&responses[0], &responses[1]);
    assert_eq!(first.operation_id, "GetUser");
    assert_eq!(first.method, Method::GET);
    assert_eq!(first.path_template, "/users/{user_id}");
    assert_eq!(first.attempt, 1);
    assert_eq!(first.status, Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(first.request_id.as_deref(), Some("req_1"));
    assert_eq!(first.error, None);
    assert!(first.retry_in.is_some(), "{first:?}");
    assert_eq!(second.attempt, 2);
    assert_eq!(second.status, Some(StatusCode::OK));
    assert_eq!(second.request_id.as_deref(), Some("req_2"));
    assert_eq!(second.retry_in, None);
    // The total covers the first attempt and the wait after it.
    assert!(
        second.total_elapsed >= first.elapsed + first.retry_in.unwrap(),
        "{responses:#?}"
    );
}

#[tokio::test]
async fn a_non_retried_error_status_is_reported_once() {
    let server = MockServer::start().await;
    mount_always(&server, ResponseTemplate::new(503)).await;
    let (builder, responses) = record_responses(builder(&server.uri()));
    let core = build(builder);
    // POST is not idempotent: a 503 is the final answer.
    let raw = core
        .execute::<()>(
            RequestSpec::new("CreateThing", Method::POST, "/things"),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(raw.status(), 503);
    let responses = responses.lock().unwrap();
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].method, Method::POST);
    assert_eq!(responses[0].status, Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(responses[0].retry_in, None);
}

#[tokio::test]
async fn response_hooks_see_attempts_that_got_no_response() {
    // Connection refused: nothing listens on port 1.
    let (builder_, responses) = record_responses(builder("http://127.0.0.1:1"));
    let core = build(builder_);
    let err = core
        .execute::<()>(get_user("u"), &RequestOptions::new().no_retries())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(1));
    {
        let responses = responses.lock().unwrap();
        assert_eq!(responses.len(), 1);
        assert_eq!(responses[0].status, None);
        assert_eq!(responses[0].error, Some(AttemptError::Connect));
    }

    // A timeout.
    let server = MockServer::start().await;
    mount_always(
        &server,
        ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
    )
    .await;
    let (builder_, responses) = record_responses(builder(&server.uri()));
    let core = build(builder_);
    core.execute::<()>(
        get_user("u"),
        &RequestOptions::new()
            .no_retries()
            .timeout(Duration::from_millis(100)),
    )
    .await
    .unwrap_err();
    let responses = responses.lock().unwrap();
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].error, Some(AttemptError::Timeout));
    assert!(responses[0].elapsed >= Duration::from_millis(100));
}

/// Asserts that no header a hook could read holds `secret`, nor the header names that carry
/// credentials.
fn assert_hidden(seen: &Log<SeenRequest>, secret: &str, key_header: &str) {
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty());
    for req in seen.iter() {
        assert!(!req.url.contains(secret), "{req:?}");
        for (name, value) in &req.headers {
            assert!(!value.contains(secret), "{req:?}");
            assert!(
                !matches!(name.as_str(), "authorization" | "cookie") && name != key_header,
                "{req:?}"
            );
        }
    }
}

#[tokio::test]
async fn hooks_cannot_read_or_replace_the_bearer_token() {
    let server = MockServer::start().await;
    mount_always(&server, ResponseTemplate::new(200)).await;
    // The recorder runs first; the second hook tries to forge the credential.
    let (recording, seen) = record_requests(builder(&server.uri()));
    let core = build(recording.on_request(|req| {
        assert!(req.headers().get("authorization").is_none());
        req.headers_mut()
            .insert("authorization", HeaderValue::from_static("Bearer forged"));
    }));
    core.execute::<()>(get_user("u"), &RequestOptions::new())
        .await
        .unwrap();
    // A per-call credential is hidden too, and still wins over the client's.
    core.execute::<()>(
        get_user("u"),
        &RequestOptions::new().header("Authorization", "Bearer sk_per_call_secret"),
    )
    .await
    .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}")
    );
    assert_eq!(
        requests[1].headers.get("authorization").unwrap(),
        "Bearer sk_per_call_secret"
    );
    for request in &requests {
        assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
    }
    assert_hidden(&seen, TOKEN, "authorization");
    assert_hidden(&seen, "sk_per_call_secret", "authorization");
}

fn key_client(base_url: &str, kind: AuthScheme) -> ClientBuilder {
    let schemes: &'static [SecurityScheme] =
        Box::leak(Box::new([SecurityScheme { name: "key", kind }]));
    ClientBuilder::new(defaults_with(schemes))
        .api_key(TOKEN)
        .base_url(base_url)
}

#[tokio::test]
async fn hooks_cannot_read_api_keys_in_headers_cookies_or_the_query() {
    let server = MockServer::start().await;
    mount_always(&server, ResponseTemplate::new(200)).await;

    // A key in a custom header.
    let (recording, seen) = record_requests(key_client(
        &server.uri(),
        AuthScheme::ApiKeyHeader("X-Service-Key"),
    ));
    build(recording.on_request(|req| {
        req.headers_mut()
            .insert("x-service-key", HeaderValue::from_static("forged"));
    }))
    .execute::<()>(get_user("u"), &RequestOptions::new())
    .await
    .unwrap();
    assert_hidden(&seen, TOKEN, "x-service-key");

    // A key in a cookie, next to an operation's own cookie.
    let (builder, seen) = record_requests(key_client(
        &server.uri(),
        AuthScheme::ApiKeyCookie("session"),
    ));
    let mut spec = get_user("u");
    spec.cookie("theme", "dark");
    build(builder)
        .execute::<()>(spec, &RequestOptions::new())
        .await
        .unwrap();
    assert_hidden(&seen, TOKEN, "cookie");

    // A key in the query string.
    let (builder, seen) =
        record_requests(key_client(&server.uri(), AuthScheme::ApiKeyQuery("key")));
    build(builder)
        .execute::<()>(get_user("u"), &RequestOptions::new())
        .await
        .unwrap();
    assert_hidden(&seen, TOKEN, "authorization");
    assert_eq!(
        seen.lock().unwrap()[0].url,
        format!("{}/users/u", server.uri())
    );

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].headers.get("x-service-key").unwrap(), TOKEN);
    assert_eq!(
        requests[1].headers.get("cookie").unwrap(),
        &format!("theme=dark; session={TOKEN}")
    );
    assert_eq!(requests[2].url.query(), Some(&*format!("key={TOKEN}")));
}

#[tokio::test]
async fn the_credential_wins_over_a_default_header_of_the_same_name() {
    let server = MockServer::start().await;
    mount_always(&server, ResponseTemplate::new(200)).await;
    let core = build(builder(&server.uri()).default_header("authorization", "Bearer stale"));
    core.execute::<()>(get_user("u"), &RequestOptions::new())
        .await
        .unwrap();
    // Unauthenticated operations (`security: []`) send the default header as it is.
    let mut spec = get_user("u");
    spec.unauthenticated();
    core.execute::<()>(spec, &RequestOptions::new())
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}")
    );
    assert_eq!(
        requests[1].headers.get("authorization").unwrap(),
        "Bearer stale"
    );
}

#[tokio::test]
async fn calls_with_hooks_can_be_spawned() {
    let server = MockServer::start().await;
    mount_always(&server, ResponseTemplate::new(204)).await;
    let (with_hook, responses) = record_responses(builder(&server.uri()));
    let core = build(with_hook);
    // `tokio::spawn` needs a `Send + 'static` future: hooks must not make calls `!Send`.
    let task = tokio::spawn(async move {
        core.execute::<()>(get_user("u"), &RequestOptions::new())
            .await
            .map(|raw| raw.status())
    });
    assert_eq!(task.await.unwrap().unwrap(), StatusCode::NO_CONTENT);
    assert_eq!(responses.lock().unwrap().len(), 1);
    let dbg = format!(
        "{:?}",
        build(builder("http://127.0.0.1:1").on_response(|_| {}))
    );
    assert!(dbg.contains("on_response: 1"), "{dbg}");
}
