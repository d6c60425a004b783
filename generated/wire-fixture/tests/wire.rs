//! What the generated code puts on the wire, byte for byte, over real HTTP against wiremock on
//! 127.0.0.1: form bodies with arrays and nested values, query styles, `Accept`, idempotency
//! keys, and which credential each operation sends when the spec states security only per
//! operation.

use std::collections::BTreeMap;

use wire_fixture::models::{CreateMessageBodyItemsItem, SearchMessagesFilter};
use wire_fixture::{Client, Error, RequestOptions};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "tok_live_5e7a0c";
const APP_KEY: &str = "app_key_91d2";

async fn server(response: ResponseTemplate) -> MockServer {
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

fn client(server: &MockServer) -> Client {
    Client::builder()
        .bearer_token(TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn message() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(serde_json::json!({"sid": "SM1"}))
}

/// Issue 12, class 1: Twilio's `MediaUrl` array "could not be form-encoded" before.
#[tokio::test]
async fn form_bodies_send_arrays_as_repeated_keys_and_nest_objects() {
    let server = server(message()).await;
    let mut metadata = BTreeMap::new();
    metadata.insert("order".to_owned(), "o_1".to_owned());
    let sent = client(&server)
        .messages()
        .create("AC123", "+15558675310")
        .body_value("Hi & bye")
        .media_url(["https://demo.test/a.png", "https://demo.test/b.png"])
        .status_callback_event(["initiated", "ringing"])
        .metadata(metadata)
        .items([CreateMessageBodyItemsItem {
            price: Some("p_1".to_owned()),
            quantity: Some(2),
        }])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.sid, "SM1");

    let seen = requests(&server).await;
    assert_eq!(seen[0].url.path(), "/Accounts/AC123/Messages.json");
    assert_eq!(
        String::from_utf8_lossy(&seen[0].body),
        "To=%2B15558675310&Body=Hi%20%26%20bye\
         &MediaUrl=https%3A%2F%2Fdemo.test%2Fa.png&MediaUrl=https%3A%2F%2Fdemo.test%2Fb.png\
         &StatusCallbackEvent=initiated,ringing\
         &Metadata%5Border%5D=o_1\
         &Items%5B0%5D%5Bprice%5D=p_1&Items%5B0%5D%5Bquantity%5D=2"
    );
    assert_eq!(
        header(&seen[0], "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    // JSON success, problem+json errors: both are decoded, in that order of preference.
    assert_eq!(
        header(&seen[0], "accept").as_deref(),
        Some("application/json, application/problem+json")
    );
}

/// Issue 12, class 2: space- and pipe-delimited queries used to go out form-style.
#[tokio::test]
async fn query_styles_go_out_exactly() {
    let server = server(ResponseTemplate::new(200).set_body_json(serde_json::json!([]))).await;
    client(&server)
        .messages()
        .search()
        .scope(["read", "write all"])
        .fields(["sid", "to|from"])
        .status(["sent", "failed"])
        .filter(SearchMessagesFilter {
            from: Some("+1555".to_owned()),
            after: Some(7),
        })
        .send()
        .await
        .unwrap();
    let seen = requests(&server).await;
    assert_eq!(
        seen[0].url.query(),
        Some(
            "scope=read%20write%20all&fields=sid|to%7Cfrom&status=sent,failed\
             &filter%5Bfrom%5D=%2B1555&filter%5Bafter%5D=7"
        )
    );
    assert_eq!(
        header(&seen[0], "accept").as_deref(),
        Some("application/json")
    );
}

/// Issue 18, defect 1: the spec states security only on operations, which used to give a
/// client that sent no credential. Alternatives and combinations follow the spec.
#[tokio::test]
async fn each_operation_sends_the_credential_it_accepts() {
    let server = server(ResponseTemplate::new(204)).await;
    let bearer_only = client(&server);
    let key_only = Client::builder()
        .api_key(APP_KEY)
        .base_url(server.uri())
        .build()
        .unwrap();
    let both = Client::builder()
        .bearer_token(TOKEN)
        .api_key(APP_KEY)
        .base_url(server.uri())
        .build()
        .unwrap();

    // `security: [{bearerAuth: []}]` only.
    let _ = bearer_only.charges().create(100).send().await;
    // `[{bearerAuth: []}, {appKey: []}]`: either, the first the client holds.
    let _ = bearer_only.messages().search().send().await;
    let _ = key_only.messages().search().send().await;
    let _ = both.messages().search().send().await;
    // `[{bearerAuth: [], appKey: []}]`: both together.
    let _ = both.messages().get_receipt("SM1").send().await;
    // No security: public, even for a client with credentials.
    both.status().retrieve().send().await.unwrap();

    let sent: Vec<(Option<String>, Option<String>)> = requests(&server)
        .await
        .iter()
        .map(|r| (header(r, "authorization"), header(r, "x-app-key")))
        .collect();
    let bearer = || Some(format!("Bearer {TOKEN}"));
    let key = || Some(APP_KEY.to_owned());
    assert_eq!(
        sent,
        [
            (bearer(), None),
            (bearer(), None),
            (None, key()),
            (bearer(), None),
            (bearer(), key()),
            (None, None),
        ]
    );
    let receipt = &requests(&server).await[4];
    assert_eq!(
        header(receipt, "accept").as_deref(),
        Some("application/pdf, application/json")
    );
}

#[tokio::test]
async fn the_env_var_is_derived_from_the_crate_name() {
    assert_eq!(Client::SECRET_ENV_VAR, "WIRE_FIXTURE_TOKEN");
    // Without a credential the build fails naming the variable, never a 401 later.
    let err = Client::builder().build().unwrap_err();
    assert!(
        matches!(&err, Error::Config(msg) if msg.contains("WIRE_FIXTURE_TOKEN")),
        "{err}"
    );
    // Non-ASCII keys are refused at build, and not echoed.
    let err = Client::new("tok_live_caf\u{e9}").unwrap_err();
    assert!(
        matches!(&err, Error::Config(msg) if !msg.contains("tok_live")),
        "{err}"
    );
}

/// Issue 16: a POST with an `Idempotency-Key` header gets a fresh key per call, the same on
/// every retry, and is retried after a 5XX like a GET.
#[tokio::test]
async fn idempotency_keys_are_fresh_per_call_and_kept_on_retries() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "ch_1"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let fast = RequestOptions::new().retry(
        wire_fixture::RetryPolicy::DEFAULT
            .initial_interval(std::time::Duration::from_millis(10))
            .max_attempts(5),
    );
    let charge = client
        .charges()
        .create(100)
        .options(fast.clone())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(charge.attempts(), 3);
    client.charges().create(200).send().await.unwrap();
    client
        .charges()
        .create(300)
        .idempotency_key("order-42")
        .send()
        .await
        .unwrap();

    let keys: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| header(r, "idempotency-key").expect("every attempt carries a key"))
        .collect();
    assert_eq!(keys.len(), 5);
    assert!(keys[0] == keys[1] && keys[1] == keys[2], "{keys:?}");
    assert_ne!(keys[0], keys[3], "a new call gets a new key");
    assert_eq!(keys[4], "order-42");
}

/// Issue 19: a request-side union takes its members as they are (`From`), and an optional
/// single-value enum goes out only when set.
#[tokio::test]
async fn union_arguments_convert_and_optional_constants_stay_home() {
    use wire_fixture::models::{CreateChargeBodyCaptureMethod, CreateChargeBodySourceCard};
    let server = server(ResponseTemplate::new(201).set_body_json(serde_json::json!({}))).await;
    let client = client(&server);
    client.charges().create(1).send().await.unwrap();
    client
        .charges()
        .create(2)
        .source("tok_visa".to_owned())
        .send()
        .await
        .unwrap();
    let card = CreateChargeBodySourceCard {
        number: "4242".to_owned(),
    };
    client
        .charges()
        .create(3)
        .source(card)
        .capture_method(CreateChargeBodyCaptureMethod::Manual)
        .send()
        .await
        .unwrap();
    let bodies: Vec<serde_json::Value> = requests(&server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            serde_json::json!({"amount": 1}),
            serde_json::json!({"amount": 2, "source": "tok_visa"}),
            serde_json::json!({"amount": 3, "source": {"number": "4242"}, "capture_method": "manual"}),
        ]
    );
}

/// Issue 12: a required, nullable single-value enum (Clerk FAPI's `captcha_provider`) is the
/// value or `null`, and both decode.
#[tokio::test]
async fn a_required_nullable_constant_decodes_its_value_and_null() {
    use wire_fixture::models::CreateChargeResponseCaptchaProvider;
    for (reply, expected) in [
        (
            serde_json::json!({"id": "ch_1", "captcha_provider": "turnstile"}),
            Some(CreateChargeResponseCaptchaProvider::Turnstile),
        ),
        (
            serde_json::json!({"id": "ch_2", "captcha_provider": null}),
            None,
        ),
    ] {
        let server = server(ResponseTemplate::new(201).set_body_json(reply)).await;
        let charge = client(&server).charges().create(1).send().await.unwrap();
        assert_eq!(charge.captcha_provider, expected);
    }
}

/// Issue 12: a discriminator without `mapping` whose members pin its property (OpenAI's
/// `Tool`: `FunctionTool` has `type: function`) is read by the pinned values, so a reply picks
/// its member instead of falling to `Unknown`; an unknown kind is still kept.
#[tokio::test]
async fn a_discriminator_without_mapping_uses_the_values_members_pin() {
    use wire_fixture::models::{FunctionTool, Tool};
    let function = serde_json::json!({"type": "function", "name": "lookup"});
    let functions = server(ResponseTemplate::new(200).set_body_json(&function)).await;
    match client(&functions).tools().get("t1").send().await.unwrap() {
        Tool::FunctionTool(FunctionTool { name, .. }) => assert_eq!(name, "lookup"),
        other => panic!("expected the function tool, got {other:?}"),
    }
    let search =
        server(ResponseTemplate::new(200).set_body_json(serde_json::json!({"type": "search"})))
            .await;
    assert!(matches!(
        client(&search).tools().get("t2").send().await.unwrap(),
        Tool::SearchTool(_)
    ));
    let later = serde_json::json!({"type": "browser", "url": "https://example.com"});
    let newer = server(ResponseTemplate::new(200).set_body_json(&later)).await;
    assert_eq!(
        client(&newer).tools().get("t3").send().await.unwrap(),
        Tool::Unknown(later)
    );
}

/// Issue 12: a redirect the operation documents is its answer (nexus's login `303`, Clerk
/// FAPI's `307`s), not an "unexpected status"; the runtime follows no redirect, so the
/// `Location` reaches the caller.
#[tokio::test]
async fn documented_redirects_are_returned_as_ok_with_their_location() {
    let login = server(ResponseTemplate::new(303).insert_header("location", "/home")).await;
    let reply = client(&login)
        .sessions()
        .create()
        .send_with_response()
        .await
        .expect("a documented 303 is the call's answer");
    assert_eq!(reply.status().as_u16(), 303);
    assert_eq!(reply.headers()["location"], "/home");
    assert_eq!(
        requests(&login).await.len(),
        1,
        "the redirect is not followed"
    );

    // Next to a 200 with a body, the redirect is the `None` of an `Option`.
    let moved = server(ResponseTemplate::new(302)).await;
    let session = client(&moved).sessions().get().send().await.unwrap();
    assert!(session.is_none());
    let found =
        server(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "s1"}))).await;
    let session = client(&found).sessions().get().send().await.unwrap();
    assert_eq!(session.map(|s| s.id), Some("s1".to_owned()));
}

/// A status the operation documents without a body schema (`401`, and `304 Not Modified`,
/// which stays an error so that conditional GETs keep their plain return type) is
/// `Error::Api` without a decoded body; only statuses the spec does not list are
/// `Error::UnexpectedStatus`.
#[tokio::test]
async fn documented_statuses_without_a_schema_are_api_errors() {
    for (status, documented) in [(401, true), (418, false)] {
        let server = server(ResponseTemplate::new(status).set_body_string("nope")).await;
        let error = client(&server)
            .sessions()
            .create()
            .send()
            .await
            .unwrap_err();
        match (&error, documented) {
            (Error::Api(api), true) => {
                assert_eq!(api.status().as_u16(), status);
                assert!(api.body().is_none());
                assert_eq!(api.raw_body(), b"nope");
            }
            (Error::UnexpectedStatus(api), false) => assert_eq!(api.status().as_u16(), status),
            _ => panic!("{status}: {error:?}"),
        }
    }
    let not_modified = server(ResponseTemplate::new(304)).await;
    let error = client(&not_modified)
        .sessions()
        .get()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api(api) if api.status().as_u16() == 304),
        "{error:?}"
    );
}

/// Issue 12: `null` where the spec allows it, in the three places 3.0 specs say so without a
/// field's own `nullable`: items of a nullable component (`Vec<Option<Device>>`), nullable map
/// values, and a `$ref` with a `nullable: true` sibling (Box, Clerk FAPI and Prism read it so).
#[tokio::test]
async fn nulls_in_arrays_maps_and_nullable_references_decode() {
    let body = serde_json::json!({
        "id": "s1",
        "devices": [null, {"name": "phone"}],
        "labels": {"gone": null, "kept": "x"},
        "owner": null
    });
    let found = server(ResponseTemplate::new(200).set_body_json(body)).await;
    let session = client(&found)
        .sessions()
        .get()
        .send()
        .await
        .unwrap()
        .expect("a 200 has a body");
    let devices = session.devices.expect("devices were sent");
    assert_eq!(devices.len(), 2);
    assert!(devices[0].is_none());
    assert_eq!(
        devices[1].as_ref().and_then(|d| d.name.as_deref()),
        Some("phone")
    );
    let labels = session.labels.expect("labels were sent");
    assert_eq!(labels["gone"], None);
    assert_eq!(labels["kept"].as_deref(), Some("x"));
    assert!(session.owner.is_none());
}
