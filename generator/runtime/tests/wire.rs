//! What goes on the wire, byte for byte, over real HTTP on 127.0.0.1: `Accept`, form bodies,
//! idempotency keys, which credential an operation sends, and the call's deadline.

mod common;

use std::time::{Duration, Instant};

use common::*;
use http::Method;
use sdkgen_runtime::{
    AuthScheme, ClientBuilder, Error, RequestOptions, RequestSpec, SecurityScheme, Style, TimeLimit,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

#[tokio::test]
async fn accept_lists_the_decodable_media_types() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let core = core(&server.uri());
    let mut spec = RequestSpec::new("GetUser", Method::GET, "/users/1");
    spec.accept("application/json");
    core.execute::<()>(spec, &RequestOptions::new())
        .await
        .unwrap();
    let mut spec = RequestSpec::new("GetReport", Method::GET, "/report");
    spec.accept("application/pdf, application/json");
    core.execute::<()>(spec, &RequestOptions::new())
        .await
        .unwrap();
    // A per-call header still wins.
    let mut spec = RequestSpec::new("GetUser", Method::GET, "/users/1");
    spec.accept("application/json");
    let options = RequestOptions::new().header("accept", "text/csv");
    core.execute::<()>(spec, &options).await.unwrap();

    let seen = requests(&server).await;
    let accept: Vec<Vec<&[u8]>> = seen
        .iter()
        .map(|r| {
            r.headers
                .get_all("accept")
                .iter()
                .map(|v| v.as_bytes())
                .collect()
        })
        .collect();
    assert_eq!(
        accept,
        [
            vec![&b"application/json"[..]],
            vec![&b"application/pdf, application/json"[..]],
            vec![&b"text/csv"[..]],
        ]
    );
}

#[tokio::test]
async fn form_bodies_with_arrays_and_nested_values_go_out_exactly() {
    let server = server_answering(ResponseTemplate::new(201)).await;
    let mut spec = RequestSpec::new("CreateMessage", Method::POST, "/Messages.json");
    // Twilio's CreateMessage: `MediaUrl` is an array, sent as repeated keys.
    let body = serde_json::json!({
        "To": "+15558675310",
        "Body": "Hi & bye",
        "MediaUrl": ["https://demo.test/a.png", "https://demo.test/b.png"],
        "metadata": {"order": {"id": "o_1"}},
        "items": [{"price": "p_1", "qty": 2}],
        "StatusCallbackEvent": ["initiated", "ringing"],
    });
    spec.form_body(
        &body,
        &[("StatusCallbackEvent", Style::Form { explode: false })],
    );
    core(&server.uri())
        .execute::<()>(spec, &RequestOptions::new())
        .await
        .unwrap();
    let seen = requests(&server).await;
    assert_eq!(
        String::from_utf8_lossy(&seen[0].body),
        "To=%2B15558675310&Body=Hi%20%26%20bye\
         &MediaUrl=https%3A%2F%2Fdemo.test%2Fa.png&MediaUrl=https%3A%2F%2Fdemo.test%2Fb.png\
         &metadata%5Border%5D%5Bid%5D=o_1\
         &items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bqty%5D=2\
         &StatusCallbackEvent=initiated,ringing"
    );
    assert_eq!(
        header(&seen[0], "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    // And a standard form decoder reads back what was meant.
    let body = String::from_utf8(seen[0].body.clone()).unwrap();
    let pairs: Vec<(String, String)> = reqwest::Url::parse(&format!("http://decode.test/?{body}"))
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let media: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "MediaUrl")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(
        media,
        ["https://demo.test/a.png", "https://demo.test/b.png"]
    );
    assert!(pairs.contains(&("To".into(), "+15558675310".into())));
    assert!(pairs.contains(&("metadata[order][id]".into(), "o_1".into())));
    assert!(pairs.contains(&("items[0][qty]".into(), "2".into())));
}

#[tokio::test]
async fn an_idempotency_key_is_kept_across_retries_and_new_per_call() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let core = core(&server.uri());
    let create = || {
        let mut spec = RequestSpec::new("CreateCharge", Method::POST, "/charges");
        spec.idempotency_key("Idempotency-Key", None);
        spec
    };
    // A POST with a key is retried after 5XX: the server can tell the repeats apart.
    let raw = core
        .execute::<()>(create(), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (201, 3));
    core.execute::<()>(create(), &RequestOptions::new())
        .await
        .unwrap();
    let mut caller = RequestSpec::new("CreateCharge", Method::POST, "/charges");
    caller.idempotency_key("Idempotency-Key", Some("order-42-charge"));
    core.execute::<()>(caller, &RequestOptions::new())
        .await
        .unwrap();

    let keys: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| header(r, "idempotency-key").expect("every attempt carries the key"))
        .collect();
    assert_eq!(keys.len(), 5);
    assert!(keys[0] == keys[1] && keys[1] == keys[2], "{keys:?}");
    assert_ne!(keys[2], keys[3], "{keys:?}");
    assert_eq!(keys[4], "order-42-charge");
    for key in &keys[..4] {
        assert_eq!(key.len(), 36, "{key}");
    }
}

#[tokio::test]
async fn an_idempotent_post_is_retried_after_a_timeout_with_the_same_key() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(2)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let mut spec = RequestSpec::new("CreateCharge", Method::POST, "/charges");
    spec.idempotency_key("Idempotency-Key", None);
    let options = RequestOptions::new().timeout(Duration::from_millis(200));
    let raw = core(&server.uri())
        .execute::<()>(spec, &options)
        .await
        .unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (201, 2));
    let keys: Vec<Option<String>> = requests(&server)
        .await
        .iter()
        .map(|r| header(r, "idempotency-key"))
        .collect();
    assert_eq!(keys.len(), 2);
    assert!(keys[0].is_some() && keys[0] == keys[1], "{keys:?}");
}

const TWO_SCHEMES: &[SecurityScheme] = &[
    SecurityScheme {
        name: "bearerAuth",
        kind: AuthScheme::Bearer,
    },
    SecurityScheme {
        name: "appKey",
        kind: AuthScheme::ApiKeyHeader("X-App-Key"),
    },
];

#[tokio::test]
async fn operations_send_the_first_credential_they_accept_that_the_client_has() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let defaults = sdkgen_runtime::ApiDefaults {
        schemes: TWO_SCHEMES,
        security: &[&["bearerAuth"], &["appKey"]],
        ..DEFAULTS
    };
    let key_only = ClientBuilder::new(defaults)
        .api_key("app_key_1")
        .base_url(server.uri())
        .build_core::<()>()
        .unwrap();
    let both = ClientBuilder::new(defaults)
        .bearer_token("tok_1")
        .api_key("app_key_1")
        .base_url(server.uri())
        .build_core::<()>()
        .unwrap();
    let op = |security: Option<sdkgen_runtime::Security>| {
        let mut spec = RequestSpec::new("Op", Method::GET, "/x");
        if let Some(security) = security {
            spec.security(security);
        }
        spec
    };
    let options = RequestOptions::new();
    // The API's default security: either scheme.
    key_only.execute::<()>(op(None), &options).await.unwrap();
    both.execute::<()>(op(None), &options).await.unwrap();
    // An operation that takes only the app key, and one that needs both together.
    both.execute::<()>(op(Some(&[&["appKey"]])), &options)
        .await
        .unwrap();
    both.execute::<()>(op(Some(&[&["bearerAuth", "appKey"]])), &options)
        .await
        .unwrap();
    // One the client holds no credential for goes without, and a public one too.
    key_only
        .execute::<()>(op(Some(&[&["bearerAuth"]])), &options)
        .await
        .unwrap();
    both.execute::<()>(op(Some(&[])), &options).await.unwrap();

    let sent: Vec<(Option<String>, Option<String>)> = requests(&server)
        .await
        .iter()
        .map(|r| (header(r, "authorization"), header(r, "x-app-key")))
        .collect();
    let bearer = || Some("Bearer tok_1".to_owned());
    let key = || Some("app_key_1".to_owned());
    assert_eq!(
        sent,
        [
            (None, key()),
            (bearer(), None),
            (None, key()),
            (bearer(), key()),
            (None, None),
            (None, None),
        ]
    );
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_call_and_says_so() {
    // A hung server: every attempt times out, and GET timeouts are retried.
    let server =
        server_answering(ResponseTemplate::new(200).set_delay(Duration::from_secs(30))).await;
    let policy = FAST.max_elapsed(Duration::from_secs(3600));
    let core = core_with(&server.uri(), policy);
    let get = || RequestSpec::new("GetThing", Method::GET, "/things");

    let start = Instant::now();
    let options = RequestOptions::new()
        .timeout(Duration::from_millis(200))
        .deadline(Duration::from_millis(700));
    let err = core.execute::<()>(get(), &options).await.unwrap_err();
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(650) && elapsed < Duration::from_millis(1200),
        "{elapsed:?}"
    );
    match &err {
        Error::Timeout {
            limit: TimeLimit::Deadline(limit),
            attempts,
            ..
        } => {
            assert_eq!(*limit, Duration::from_millis(700));
            assert!(*attempts >= 3, "{attempts}");
        }
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("700 ms deadline") && msg.contains("deadline"),
        "{msg}"
    );

    // The client's default applies when the call sets none; a short attempt timeout with no
    // retries names the attempt limit instead.
    let core = builder(&server.uri())
        .deadline(Duration::from_millis(300))
        .build_core::<()>()
        .unwrap();
    let start = Instant::now();
    let err = core
        .execute::<()>(get(), &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_millis(800));
    assert!(
        matches!(
            err,
            Error::Timeout {
                limit: TimeLimit::Deadline(_),
                ..
            }
        ),
        "{err:?}"
    );
    let err = core
        .execute::<()>(
            get(),
            &RequestOptions::new()
                .timeout(Duration::from_millis(100))
                .no_retries(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                limit: TimeLimit::Attempt(_),
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_retry_that_cannot_finish_before_the_deadline_is_not_started() {
    let server =
        server_answering(ResponseTemplate::new(503).insert_header("retry-after", "2")).await;
    let policy = FAST.max_interval(Duration::from_secs(10));
    let start = Instant::now();
    let raw = core_with(&server.uri(), policy)
        .execute::<()>(
            RequestSpec::new("GetThing", Method::GET, "/things"),
            &RequestOptions::new().deadline(Duration::from_secs(1)),
        )
        .await
        .unwrap();
    // The server asked for 2 s; the deadline leaves 1 s: the 503 is the answer, at once.
    assert_eq!((raw.status().as_u16(), raw.attempts()), (503, 1));
    assert!(start.elapsed() < Duration::from_millis(500));
}
