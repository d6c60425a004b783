//! End-to-end tests of every operation over real HTTP, against an in-process wiremock server
//! on 127.0.0.1.
//!
//! Each test checks what goes on the wire (method, path, exact query string, headers, exact
//! JSON body) and how the reply comes back (decoded models, typed error bodies, decode errors,
//! pagination). Requests are inspected after the fact through `received_requests()`, so a
//! mismatch fails with a readable diff instead of a bare 404 from the mock server.

use std::time::Duration;

use clerk_backend::models::{
    self, OrganizationMembership, OrganizationMembershipObject, OrganizationObject,
};
use clerk_backend::{Client, Error, ErrorBody, RequestOptions, RetryPolicy};
use futures_util::StreamExt;
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "sk_test_4f8e2a1c9b7d6e5f";
const USER_AGENT: &str = concat!("clerk-backend/", env!("CARGO_PKG_VERSION"));
const MEMBERSHIPS: &str = "/v1/organizations/org_123/memberships";
const MEMBERSHIP: &str = "/v1/organizations/org_123/memberships/user_456";
const METADATA: &str = "/v1/organizations/org_123/memberships/user_456/metadata";
const INSTANCE: &str = "/v1/organization_memberships";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A client pointed at the mock server. The base URL carries a `/v1` prefix, like the real
/// one, so every test also checks that the prefix is kept.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .bearer_token(TOKEN)
        .base_url(format!("{}/v1", server.uri()))
        .build()
        .expect("the client builds")
}

/// Same, making exactly one attempt per call (for 5XX responses, which are retried by default).
fn client_no_retries(server: &MockServer) -> Client {
    Client::builder()
        .bearer_token(TOKEN)
        .base_url(format!("{}/v1", server.uri()))
        .no_retries()
        .build()
        .expect("the client builds")
}

/// A retry policy with millisecond waits, so retry tests stay fast.
fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::DEFAULT
        .initial_interval(Duration::from_millis(1))
        .max_interval(Duration::from_millis(5))
        .max_elapsed(Duration::from_secs(5))
        .max_attempts(max_attempts)
}

fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("expected a JSON object, got {other}"),
    }
}

async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is enabled")
}

async fn single_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:#?}"
    );
    requests.remove(0)
}

/// Checks everything about one request: method, path, exact query string, auth and user-agent
/// headers, and either the exact JSON body with its content type or no body at all.
#[track_caller]
fn assert_request(
    req: &Request,
    expected_method: &str,
    expected_path: &str,
    expected_query: Option<&str>,
    expected_body: Option<Value>,
) {
    assert_eq!(req.method.as_str(), expected_method, "method");
    assert_eq!(req.url.path(), expected_path, "path");
    assert_eq!(
        req.url.query(),
        expected_query,
        "query string of {}",
        req.url
    );
    assert_eq!(
        req.headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {TOKEN}").as_str()),
        "authorization header"
    );
    assert_eq!(
        req.headers.get("user-agent").and_then(|v| v.to_str().ok()),
        Some(USER_AGENT),
        "user-agent header"
    );
    match expected_body {
        Some(body) => {
            assert_eq!(
                req.headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok()),
                Some("application/json"),
                "content-type of a JSON body"
            );
            let sent: Value = serde_json::from_slice(&req.body).unwrap_or_else(|e| {
                panic!(
                    "body is not JSON ({e}): {}",
                    String::from_utf8_lossy(&req.body)
                )
            });
            assert_eq!(sent, body, "JSON body");
        }
        None => {
            assert!(
                req.body.is_empty(),
                "expected no body, got {}",
                String::from_utf8_lossy(&req.body)
            );
            assert!(
                req.headers.get("content-type").is_none(),
                "no content-type without a body"
            );
        }
    }
}

/// A realistic organization, as Clerk embeds it in a membership. `role_set_key` is null.
fn organization_json() -> Value {
    json!({
        "object": "organization",
        "id": "org_123",
        "name": "Acme Inc",
        "slug": "acme-inc",
        "image_url": "https://img.example.com/org_123.png",
        "has_image": true,
        "members_count": 12,
        "missing_member_with_elevated_permissions": false,
        "pending_invitations_count": 2,
        "max_allowed_memberships": 0,
        "admin_delete_enabled": true,
        "public_metadata": {"plan": "business"},
        "private_metadata": {"billing_id": "cus_001"},
        "created_by": "user_001",
        "created_at": 1_700_000_000_000_i64,
        "updated_at": 1_716_000_000_000_i64,
        "last_active_at": 1_717_000_000_000_i64,
        "role_set_key": null,
        "a_field_added_later": {"nested": [1, 2, 3]}
    })
}

/// A realistic membership: nested organization and public_user_data, nulls in nullable
/// fields, and unknown extra fields at two levels that must be ignored.
fn membership_json(id: &str, user_id: &str) -> Value {
    json!({
        "id": id,
        "object": "organization_membership",
        "role": "org:admin",
        "role_name": "Admin",
        "permissions": ["org:sys_memberships:manage", "org:sys_profile:read"],
        "public_metadata": {"team": "platform", "nested": {"level": 2, "none": null}},
        "private_metadata": {"seat_id": 42},
        "organization": organization_json(),
        "public_user_data": {
            "user_id": user_id,
            "first_name": "Jane",
            "last_name": null,
            "profile_image_url": null,
            "image_url": "https://img.example.com/user_456.png",
            "has_image": true,
            "identifier": "jane@example.com",
            "username": null,
            "banned": false,
            "deprovisioned": false,
            "unknown_user_field": "ignored"
        },
        "created_at": 1_717_000_000_000_i64,
        "updated_at": 1_717_000_500_000_i64,
        "unknown_top_level_field": {"from": "a newer API version"}
    })
}

/// Asserts that `o` is the organization `membership_json` describes. Replies are
/// `#[non_exhaustive]` (a new field in a later API version is not a breaking change), so the
/// expectation is field by field rather than a struct literal.
#[track_caller]
fn assert_organization(o: &models::Organization) {
    assert_eq!(o.object, OrganizationObject::Organization);
    assert_eq!(o.id, "org_123");
    assert_eq!(o.name, "Acme Inc");
    assert_eq!(o.slug, "acme-inc");
    assert_eq!(
        o.image_url.as_deref(),
        Some("https://img.example.com/org_123.png")
    );
    assert!(o.has_image);
    assert_eq!(o.members_count, Some(12));
    assert_eq!(o.missing_member_with_elevated_permissions, Some(false));
    assert_eq!(o.pending_invitations_count, Some(2));
    assert_eq!(o.max_allowed_memberships, 0);
    assert!(o.admin_delete_enabled);
    assert_eq!(o.public_metadata, obj(json!({"plan": "business"})));
    assert_eq!(
        o.private_metadata,
        Some(obj(json!({"billing_id": "cus_001"})))
    );
    assert_eq!(o.created_by.as_deref(), Some("user_001"));
    assert_eq!(o.created_at, 1_700_000_000_000);
    assert_eq!(o.updated_at, 1_716_000_000_000);
    assert_eq!(o.last_active_at, Some(1_717_000_000_000));
    assert_eq!(o.role_set_key, None);
}

/// Asserts that `m` is exactly what `membership_json(id, user_id)` describes.
#[track_caller]
#[allow(deprecated)] // `profile_image_url` is deprecated in the spec; it must still decode.
fn assert_membership(m: &OrganizationMembership, id: &str, user_id: &str) {
    assert_eq!(m.id, id);
    assert_eq!(
        m.object,
        OrganizationMembershipObject::OrganizationMembership
    );
    assert_eq!(m.role, "org:admin");
    assert_eq!(m.role_name.as_deref(), Some("Admin"));
    assert_eq!(
        m.permissions,
        ["org:sys_memberships:manage", "org:sys_profile:read"]
    );
    assert_eq!(
        m.public_metadata,
        obj(json!({"team": "platform", "nested": {"level": 2, "none": null}}))
    );
    assert_eq!(m.private_metadata, Some(obj(json!({"seat_id": 42}))));
    assert_organization(&m.organization);
    // `#[non_exhaustive]` reply: compared field by field.
    let user = m.public_user_data.as_ref().expect("public_user_data");
    assert_eq!(user.user_id, user_id);
    assert_eq!(user.first_name.as_deref(), Some("Jane"));
    assert_eq!(user.last_name, None);
    assert_eq!(user.profile_image_url, None);
    assert_eq!(user.image_url, "https://img.example.com/user_456.png");
    assert!(user.has_image);
    assert_eq!(user.identifier.as_deref(), Some("jane@example.com"));
    assert_eq!(user.username, None);
    assert_eq!(user.banned, Some(false));
    assert_eq!(user.deprovisioned, Some(false));
    assert_eq!(m.created_at, 1_717_000_000_000);
    assert_eq!(m.updated_at, 1_717_000_500_000);
}

/// A page of memberships `orgmem_{first}`..`orgmem_{first+count-1}`.
fn page_json(first: usize, count: usize, total_count: i64) -> Value {
    let data: Vec<Value> = (first..first + count)
        .map(|i| membership_json(&format!("orgmem_{i}"), &format!("user_{i}")))
        .collect();
    json!({"data": data, "total_count": total_count})
}

fn ok_json(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

async fn mount(server: &MockServer, http_method: &str, at: &str, response: ResponseTemplate) {
    Mock::given(method(http_method))
        .and(path(at))
        .respond_with(response)
        .mount(server)
        .await;
}

/// The documented error body the mock returns for `status` (the spec's examples).
fn clerk_errors_json(status: u16) -> Value {
    let (message, long_message, code, meta) = match status {
        400 => (
            "the request could not be completed",
            "The request could not be completed; see the error code for the reason.",
            "bad_request",
            None,
        ),
        401 => (
            "invalid authentication",
            "The secret key in the Authorization header is missing or not valid.",
            "authentication_invalid",
            None,
        ),
        403 => (
            "not authorized",
            "The secret key is not allowed to perform this action.",
            "authorization_invalid",
            None,
        ),
        404 => (
            "not found",
            "No resource matches the identifiers in the request.",
            "resource_not_found",
            None,
        ),
        422 => (
            "is invalid",
            "role is not a valid role for this organization.",
            "form_param_value_invalid",
            Some(json!({"param_name": "role"})),
        ),
        500 => (
            "something went wrong",
            "Please try again later.",
            "internal_clerk_error",
            None,
        ),
        other => panic!("no fixture for {other}"),
    };
    let mut error = json!({"message": message, "long_message": long_message, "code": code});
    if let Some(meta) = meta {
        error["meta"] = meta;
    }
    json!({"errors": [error], "meta": {}, "clerk_trace_id": format!("trace_{status}")})
}

/// Asserts that `body` is `clerk_errors_json(status)` decoded. Replies are `#[non_exhaustive]`
/// (a new field in a later API version is not a breaking change), so the expectation is field
/// by field rather than a struct literal.
#[track_caller]
fn assert_clerk_errors(body: Option<&ErrorBody>, status: u16, context: &str) {
    let json = clerk_errors_json(status);
    let e = &json["errors"][0];
    let Some(ErrorBody::ClerkErrors(errors)) = body else {
        panic!("{context}: expected ClerkErrors, got {body:?}");
    };
    assert_eq!(errors.errors.len(), 1, "{context}");
    let got = &errors.errors[0];
    assert_eq!(got.message, e["message"].as_str().unwrap(), "{context}");
    assert_eq!(
        got.long_message,
        e["long_message"].as_str().unwrap(),
        "{context}"
    );
    assert_eq!(got.code, e["code"].as_str().unwrap(), "{context}");
    assert_eq!(got.meta, e.get("meta").map(|m| obj(m.clone())), "{context}");
    assert_eq!(errors.meta, Some(Map::new()), "{context}");
    assert_eq!(
        errors.clerk_trace_id.as_deref(),
        Some(format!("trace_{status}").as_str()),
        "{context}"
    );
}

/// The six operations, so error handling can be checked uniformly.
#[derive(Clone, Copy, Debug)]
enum Op {
    Create,
    List,
    Update,
    Delete,
    UpdateMetadata,
    InstanceList,
}

impl Op {
    const ALL: [Op; 6] = [
        Op::Create,
        Op::List,
        Op::Update,
        Op::Delete,
        Op::UpdateMetadata,
        Op::InstanceList,
    ];

    fn method(self) -> &'static str {
        match self {
            Op::Create => "POST",
            Op::List | Op::InstanceList => "GET",
            Op::Update | Op::UpdateMetadata => "PATCH",
            Op::Delete => "DELETE",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Op::Create | Op::List => MEMBERSHIPS,
            Op::Update | Op::Delete => MEMBERSHIP,
            Op::UpdateMetadata => METADATA,
            Op::InstanceList => INSTANCE,
        }
    }

    fn operation_id(self) -> &'static str {
        match self {
            Op::Create => "CreateOrganizationMembership",
            Op::List => "ListOrganizationMemberships",
            Op::Update => "UpdateOrganizationMembership",
            Op::Delete => "DeleteOrganizationMembership",
            Op::UpdateMetadata => "UpdateOrganizationMembershipMetadata",
            Op::InstanceList => "InstanceGetOrganizationMemberships",
        }
    }

    /// The error statuses the spec documents for the operation.
    fn documented_errors(self) -> &'static [u16] {
        match self {
            Op::Create => &[400, 403, 404, 422],
            Op::List => &[401, 422],
            Op::Update => &[404, 422],
            Op::Delete => &[401, 404, 422],
            Op::UpdateMetadata => &[400, 404, 422],
            Op::InstanceList => &[400, 401, 422, 500],
        }
    }

    async fn call(self, client: &Client) -> Result<(), Error> {
        let ms = client.organization_memberships();
        match self {
            Op::Create => ms
                .create("org_123", "user_456", "org:admin")
                .send()
                .await
                .map(drop),
            Op::List => ms.list("org_123").send().await.map(drop),
            Op::Update => ms
                .update("org_123", "user_456", "org:member")
                .send()
                .await
                .map(drop),
            Op::Delete => ms.delete("org_123", "user_456").send().await.map(drop),
            Op::UpdateMetadata => ms
                .update_metadata("org_123", "user_456")
                .public_metadata(obj(json!({"team": "platform"})))
                .send()
                .await
                .map(drop),
            Op::InstanceList => ms.list_for_instance().send().await.map(drop),
        }
    }
}

/// Every documented error status of `op` becomes `Error::Api` with the status, the response
/// headers, the raw body and the typed `ClerkErrors` body.
async fn check_documented_errors(op: Op) {
    let server = MockServer::start().await;
    let client = client_no_retries(&server);
    for &status in op.documented_errors() {
        server.reset().await;
        let body = clerk_errors_json(status);
        mount(
            &server,
            op.method(),
            op.path(),
            ResponseTemplate::new(status)
                .insert_header("x-request-id", format!("req_{status}").as_str())
                .set_body_json(&body),
        )
        .await;

        let err = op
            .call(&client)
            .await
            .expect_err("an error status fails the call");
        assert_eq!(
            err.status().map(|s| s.as_u16()),
            Some(status),
            "{op:?} {status}"
        );
        assert_eq!(err.attempts(), Some(1), "{op:?} {status}");
        assert_clerk_errors(err.api_body(), status, &format!("{op:?} {status}"));
        let Error::Api(api) = err else {
            panic!("{op:?} {status}: expected Error::Api, got {err:?}");
        };
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(api.operation_id(), op.operation_id());
        assert_eq!(
            api.header("x-request-id"),
            Some(format!("req_{status}").as_str())
        );
        assert_eq!(api.header("content-type"), Some("application/json"));
        assert_eq!(
            api.raw_body(),
            serde_json::to_vec(&body).unwrap().as_slice()
        );
        let ErrorBody::ClerkErrors(errors) = api.into_body().expect("the body decoded") else {
            panic!("{op:?} {status}: unexpected error body variant");
        };
        assert_eq!(
            errors.clerk_trace_id.as_deref(),
            Some(format!("trace_{status}").as_str())
        );

        let req = single_request(&server).await;
        assert_eq!(req.method.as_str(), op.method());
        assert_eq!(req.url.path(), op.path());
    }
}

// ---------------------------------------------------------------------------------------------
// CreateOrganizationMembership
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_sends_required_fields_only_and_decodes_membership() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        MEMBERSHIPS,
        ok_json(membership_json("orgmem_1", "user_456")),
    )
    .await;

    let membership = client(&server)
        .organization_memberships()
        .create("org_123", "user_456", "org:admin")
        .send()
        .await
        .expect("create succeeds");

    assert_membership(&membership, "orgmem_1", "user_456");
    let req = single_request(&server).await;
    assert_request(
        &req,
        "POST",
        MEMBERSHIPS,
        None,
        Some(json!({"user_id": "user_456", "role": "org:admin"})),
    );
}

/// `send()` and `send_with_response()` are plain `fn`s returning the runtime's future (not
/// `async fn`s): what they return must still be `Send + 'static`, so services can spawn calls.
#[tokio::test]
async fn calls_can_be_spawned_on_other_tasks() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        MEMBERSHIPS,
        ok_json(membership_json("orgmem_1", "user_456")),
    )
    .await;
    let client = client(&server);
    let memberships = client.organization_memberships();
    let body = tokio::spawn(
        memberships
            .create("org_123", "user_456", "org:admin")
            .send(),
    );
    let response = tokio::spawn(
        memberships
            .create("org_123", "user_456", "org:admin")
            .send_with_response(),
    );
    let membership = body.await.expect("the task ends").expect("create succeeds");
    assert_membership(&membership, "orgmem_1", "user_456");
    let response = response
        .await
        .expect("the task ends")
        .expect("create succeeds");
    assert_eq!(response.status(), 200);
    assert_membership(response.body(), "orgmem_1", "user_456");
}

/// A call's future is a few KiB, and a debug build's `poll` of a caller that awaits many calls
/// keeps each of them in its frame: `send()` must not hold the `send_with_response()` future
/// twice (as an `async fn` wrapping it would), or a service awaiting a few hundred calls in one
/// function overflows the main thread's stack (it did, in the conformance harness).
#[test]
fn a_call_future_is_held_once() {
    let client = Client::builder()
        .bearer_token(TOKEN)
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("the client builds");
    let memberships = client.organization_memberships();
    let send = memberships
        .create("org_123", "user_456", "org:admin")
        .send();
    let with_response = memberships
        .create("org_123", "user_456", "org:admin")
        .send_with_response();
    let (send, with_response) = (size_of_val(&send), size_of_val(&with_response));
    assert!(
        send <= with_response + 16,
        "send: {send} bytes, send_with_response: {with_response}"
    );
    assert!(
        with_response <= 8 * 1024,
        "send_with_response: {with_response} bytes"
    );
}

#[tokio::test]
async fn create_sends_metadata_with_nested_nulls_as_given() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        MEMBERSHIPS,
        ok_json(membership_json("orgmem_1", "user_456")),
    )
    .await;

    let public = json!({"team": "platform", "flags": {"beta": true, "legacy": null}, "gone": null});
    let private = json!({"seat_id": 42, "notes": []});
    client(&server)
        .organization_memberships()
        .create("org_123", "user_456", "org:admin")
        .public_metadata(obj(public.clone()))
        .private_metadata(obj(private.clone()))
        .send()
        .await
        .expect("create succeeds");

    let req = single_request(&server).await;
    assert_request(
        &req,
        "POST",
        MEMBERSHIPS,
        None,
        Some(json!({
            "user_id": "user_456",
            "role": "org:admin",
            "public_metadata": public,
            "private_metadata": private,
        })),
    );
}

#[tokio::test]
async fn create_null_setters_send_explicit_nulls() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        MEMBERSHIPS,
        ok_json(membership_json("orgmem_1", "user_456")),
    )
    .await;

    client(&server)
        .organization_memberships()
        .create("org_123", "user_456", "org:member")
        .public_metadata(obj(json!({"overwritten": true})))
        .public_metadata_null()
        .private_metadata_null()
        .send()
        .await
        .expect("create succeeds");

    let req = single_request(&server).await;
    assert_request(
        &req,
        "POST",
        MEMBERSHIPS,
        None,
        Some(json!({
            "user_id": "user_456",
            "role": "org:member",
            "public_metadata": null,
            "private_metadata": null,
        })),
    );
}

#[tokio::test]
async fn create_documented_errors_are_typed() {
    check_documented_errors(Op::Create).await;
}

#[tokio::test]
async fn create_is_not_retried_on_5xx_by_default() {
    // POST is not idempotent: even the default policy (which retries 5XX) must not repeat it.
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        MEMBERSHIPS,
        ResponseTemplate::new(503).set_body_string("upstream unavailable"),
    )
    .await;

    let result = tokio::time::timeout(
        Duration::from_secs(5),
        client(&server)
            .organization_memberships()
            .create("org_123", "user_456", "org:admin")
            .send(),
    )
    .await
    .expect("no retry loop");

    match result {
        Err(Error::UnexpectedStatus(api)) => {
            assert_eq!(api.status().as_u16(), 503);
            assert_eq!(api.attempts(), 1);
            assert_eq!(api.raw_body(), b"upstream unavailable");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn create_is_retried_on_429_even_though_post_is_not_idempotent() {
    // A 429 means the server refused to act, so repeating a POST is safe.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MEMBERSHIPS))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount(
        &server,
        "POST",
        MEMBERSHIPS,
        ok_json(membership_json("orgmem_1", "user_456")),
    )
    .await;

    let response = client(&server)
        .organization_memberships()
        .create("org_123", "user_456", "org:admin")
        .options(RequestOptions::new().retry(quick_retries(3)))
        .send_with_response()
        .await
        .expect("the retry succeeds");

    assert_eq!(response.attempts(), 2);
    assert_membership(response.body(), "orgmem_1", "user_456");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for req in &requests {
        assert_request(
            req,
            "POST",
            MEMBERSHIPS,
            None,
            Some(json!({"user_id": "user_456", "role": "org:admin"})),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// ListOrganizationMemberships
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_without_options_sends_no_query_and_decodes_page() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        MEMBERSHIPS,
        ok_json(page_json(0, 2, 7)).insert_header("x-request-id", "req_list"),
    )
    .await;

    let response = client(&server)
        .organization_memberships()
        .list("org_123")
        .send_with_response()
        .await
        .expect("list succeeds");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.attempts(), 1);
    assert_eq!(
        response.headers().get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"req_list"[..])
    );
    let page = response.into_body();
    assert_eq!(page.total_count, 7);
    assert_eq!(page.data.len(), 2);
    assert_membership(&page.data[0], "orgmem_0", "user_0");
    assert_membership(&page.data[1], "orgmem_1", "user_1");

    // Unset optionals, including `limit` and `offset` with their defaults, are not sent.
    assert_request(
        &single_request(&server).await,
        "GET",
        MEMBERSHIPS,
        None,
        None,
    );
}

#[tokio::test]
async fn list_sends_every_filter_exactly() {
    let server = MockServer::start().await;
    mount(&server, "GET", MEMBERSHIPS, ok_json(page_json(0, 0, 0))).await;

    client(&server)
        .organization_memberships()
        .list("org_123")
        .order_by("-created_at")
        .user_id(["+user_456", "-user_789"])
        .email_address(["jane@example.com", "joe+test@example.com"])
        .phone_number(["+15551234567"])
        .username(["jane_doe"])
        .web3_wallet(["0x52908400098527886E0F7030069857D2E4169EE7"])
        .role(["org:admin", "org:member"])
        .query("jane doe&co")
        .email_address_query("exam")
        .phone_number_query("555")
        .username_query("doe")
        .name_query("Jäne")
        .last_active_at_before(1_700_690_400_000)
        .last_active_at_after(0)
        .created_at_before(1_730_160_000_000)
        .created_at_after(-1)
        .limit(20)
        .offset(10)
        .send()
        .await
        .expect("list succeeds");

    let expected = "order_by=-created_at\
        &user_id=%2Buser_456&user_id=-user_789\
        &email_address=jane%40example.com&email_address=joe%2Btest%40example.com\
        &phone_number=%2B15551234567\
        &username=jane_doe\
        &web3_wallet=0x52908400098527886E0F7030069857D2E4169EE7\
        &role=org%3Aadmin&role=org%3Amember\
        &query=jane%20doe%26co\
        &email_address_query=exam\
        &phone_number_query=555\
        &username_query=doe\
        &name_query=J%C3%A4ne\
        &last_active_at_before=1700690400000\
        &last_active_at_after=0\
        &created_at_before=1730160000000\
        &created_at_after=-1\
        &limit=20\
        &offset=10";
    assert_request(
        &single_request(&server).await,
        "GET",
        MEMBERSHIPS,
        Some(expected),
        None,
    );
}

#[tokio::test]
async fn list_repeats_array_keys_and_sends_zero_and_empty_values() {
    let server = MockServer::start().await;
    mount(&server, "GET", MEMBERSHIPS, ok_json(page_json(0, 0, 0))).await;
    let client = client(&server);

    client
        .organization_memberships()
        .list("org_123")
        .role(["admin", "member"])
        .query("")
        .offset(0)
        .send()
        .await
        .expect("list succeeds");
    // An empty array adds nothing (form style, exploded).
    client
        .organization_memberships()
        .list("org_123")
        .user_id(Vec::<String>::new())
        .limit(0)
        .send()
        .await
        .expect("list succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_request(
        &requests[0],
        "GET",
        MEMBERSHIPS,
        Some("role=admin&role=member&query=&offset=0"),
        None,
    );
    assert_request(&requests[1], "GET", MEMBERSHIPS, Some("limit=0"), None);
}

#[tokio::test]
async fn list_documented_errors_are_typed() {
    check_documented_errors(Op::List).await;
}

#[tokio::test]
async fn list_malformed_page_is_a_decode_error_naming_the_json_path() {
    let server = MockServer::start().await;
    let mut body = page_json(0, 3, 3);
    body["data"][1]["role"] = json!(7);
    mount(&server, "GET", MEMBERSHIPS, ok_json(body.clone())).await;

    let err = client(&server)
        .organization_memberships()
        .list("org_123")
        .send()
        .await
        .expect_err("a malformed body fails");

    let Error::Decode(decode) = err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode.path(), "data[1].role");
    assert!(
        decode.message().contains("invalid type"),
        "{}",
        decode.message()
    );
    assert_eq!(decode.status().as_u16(), 200);
    assert_eq!(decode.operation_id(), "ListOrganizationMemberships");
    assert_eq!(
        decode.raw_body(),
        serde_json::to_vec(&body).unwrap().as_slice()
    );
    let shown = decode.to_string();
    assert!(
        shown.contains("data[1].role") && shown.contains("ListOrganizationMemberships"),
        "{shown}"
    );
}

#[tokio::test]
async fn list_retries_429_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(MEMBERSHIPS))
        .respond_with(ResponseTemplate::new(429).set_body_json(clerk_errors_json(422)))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount(&server, "GET", MEMBERSHIPS, ok_json(page_json(0, 1, 1))).await;

    let response = client(&server)
        .organization_memberships()
        .list("org_123")
        .limit(5)
        .options(RequestOptions::new().retry(quick_retries(3)))
        .send_with_response()
        .await
        .expect("the retry succeeds");

    assert_eq!(response.attempts(), 2);
    assert_eq!(response.body().data.len(), 1);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for req in &requests {
        assert_request(req, "GET", MEMBERSHIPS, Some("limit=5"), None);
    }
}

// ---------------------------------------------------------------------------------------------
// UpdateOrganizationMembership
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_sends_role_and_decodes_membership() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(MEMBERSHIP))
        .and(wiremock::matchers::body_json(json!({"role": "org:member"})))
        .respond_with(ok_json(membership_json("orgmem_9", "user_456")))
        .expect(1)
        .mount(&server)
        .await;

    let membership = client(&server)
        .organization_memberships()
        .update("org_123", "user_456", "org:member")
        .send()
        .await
        .expect("update succeeds");

    assert_membership(&membership, "orgmem_9", "user_456");
    assert_request(
        &single_request(&server).await,
        "PATCH",
        MEMBERSHIP,
        None,
        Some(json!({"role": "org:member"})),
    );
}

#[tokio::test]
async fn update_documented_errors_are_typed() {
    check_documented_errors(Op::Update).await;
}

// ---------------------------------------------------------------------------------------------
// DeleteOrganizationMembership
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn delete_sends_no_body_and_decodes_unknown_object_kind() {
    let server = MockServer::start().await;
    let mut body = membership_json("orgmem_1", "user_456");
    body["object"] = json!("deleted_organization_membership");
    body["private_metadata"] = json!(null);
    body.as_object_mut().unwrap().remove("role_name");
    mount(&server, "DELETE", MEMBERSHIP, ok_json(body)).await;

    let membership = client(&server)
        .organization_memberships()
        .delete("org_123", "user_456")
        .send()
        .await
        .expect("delete succeeds");

    assert_eq!(
        membership.object,
        OrganizationMembershipObject::Unknown("deleted_organization_membership".into())
    );
    assert_eq!(
        membership.object.as_str(),
        "deleted_organization_membership"
    );
    assert_eq!(membership.private_metadata, None);
    assert_eq!(membership.role_name, None);
    assert_eq!(membership.id, "orgmem_1");
    assert_organization(&membership.organization);
    assert_request(
        &single_request(&server).await,
        "DELETE",
        MEMBERSHIP,
        None,
        None,
    );
}

#[tokio::test]
async fn delete_documented_errors_are_typed() {
    check_documented_errors(Op::Delete).await;
}

// ---------------------------------------------------------------------------------------------
// UpdateOrganizationMembershipMetadata
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_metadata_sends_nested_nulls_exactly_as_given() {
    let server = MockServer::start().await;
    mount(
        &server,
        "PATCH",
        METADATA,
        ok_json(membership_json("orgmem_1", "user_456")),
    )
    .await;

    let public = json!({
        "team": null,
        "prefs": {"theme": "dark", "beta": null, "deeper": {"x": null, "y": [null, 1]}},
        "empty": {}
    });
    let private = json!({"seat_id": null});
    let membership = client(&server)
        .organization_memberships()
        .update_metadata("org_123", "user_456")
        .public_metadata(obj(public.clone()))
        .private_metadata(obj(private.clone()))
        .send()
        .await
        .expect("update_metadata succeeds");

    assert_membership(&membership, "orgmem_1", "user_456");
    let req = single_request(&server).await;
    assert_request(
        &req,
        "PATCH",
        METADATA,
        None,
        Some(json!({"public_metadata": public, "private_metadata": private})),
    );
    // Byte for byte, keys in the order given: nulls are never dropped at any depth.
    assert_eq!(
        String::from_utf8_lossy(&req.body),
        r#"{"public_metadata":{"team":null,"prefs":{"theme":"dark","beta":null,"deeper":{"x":null,"y":[null,1]}},"empty":{}},"private_metadata":{"seat_id":null}}"#
    );
}

#[tokio::test]
async fn update_metadata_leaves_unset_objects_out() {
    let server = MockServer::start().await;
    mount(
        &server,
        "PATCH",
        METADATA,
        ok_json(membership_json("orgmem_1", "user_456")),
    )
    .await;
    let client = client(&server);

    client
        .organization_memberships()
        .update_metadata("org_123", "user_456")
        .private_metadata(obj(json!({"seat_id": 7})))
        .send()
        .await
        .expect("update_metadata succeeds");
    client
        .organization_memberships()
        .update_metadata("org_123", "user_456")
        .send()
        .await
        .expect("update_metadata succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_request(
        &requests[0],
        "PATCH",
        METADATA,
        None,
        Some(json!({"private_metadata": {"seat_id": 7}})),
    );
    assert_request(&requests[1], "PATCH", METADATA, None, Some(json!({})));
}

#[tokio::test]
async fn update_metadata_documented_errors_are_typed() {
    check_documented_errors(Op::UpdateMetadata).await;
}

#[tokio::test]
async fn update_metadata_malformed_nested_field_is_a_decode_error() {
    let server = MockServer::start().await;
    let mut body = membership_json("orgmem_1", "user_456");
    body["public_user_data"]["has_image"] = json!("yes");
    mount(&server, "PATCH", METADATA, ok_json(body)).await;

    let err = client(&server)
        .organization_memberships()
        .update_metadata("org_123", "user_456")
        .send()
        .await
        .expect_err("a malformed body fails");
    match err {
        Error::Decode(decode) => {
            assert_eq!(decode.path(), "public_user_data.has_image");
            assert_eq!(
                decode.operation_id(),
                "UpdateOrganizationMembershipMetadata"
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// InstanceGetOrganizationMemberships
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn instance_list_sends_exact_query_and_decodes_page() {
    let server = MockServer::start().await;
    mount(&server, "GET", INSTANCE, ok_json(page_json(3, 1, 4))).await;
    let client = client(&server);

    let page = client
        .organization_memberships()
        .list_for_instance()
        .order_by("+created_at")
        .limit(500)
        .offset(0)
        .send()
        .await
        .expect("instance list succeeds");
    assert_eq!(page.total_count, 4);
    assert_eq!(page.data.len(), 1);
    assert_membership(&page.data[0], "orgmem_3", "user_3");

    client
        .organization_memberships()
        .list_for_instance()
        .send()
        .await
        .expect("instance list succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_request(
        &requests[0],
        "GET",
        INSTANCE,
        Some("order_by=%2Bcreated_at&limit=500&offset=0"),
        None,
    );
    assert_request(&requests[1], "GET", INSTANCE, None, None);
}

#[tokio::test]
async fn instance_list_documented_errors_are_typed() {
    check_documented_errors(Op::InstanceList).await;
}

#[tokio::test]
async fn instance_list_500_is_retried_then_typed() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        INSTANCE,
        ResponseTemplate::new(500).set_body_json(clerk_errors_json(500)),
    )
    .await;

    let err = client(&server)
        .organization_memberships()
        .list_for_instance()
        .options(RequestOptions::new().retry(quick_retries(3)))
        .send()
        .await
        .expect_err("500 fails");

    assert_eq!(err.attempts(), Some(3));
    assert!(err.is_retryable());
    assert_clerk_errors(err.api_body(), 500, "retried 500");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(received(&server).await.len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Across operations: undocumented statuses, odd error bodies, path encoding, options
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn undocumented_status_is_unexpected_status_with_raw_body() {
    let server = MockServer::start().await;
    let client = client_no_retries(&server);
    // 418 everywhere; plus statuses documented for *other* operations only.
    let mut cases: Vec<(Op, u16)> = Op::ALL.iter().map(|&op| (op, 418)).collect();
    cases.extend([
        (Op::Create, 401),
        (Op::List, 404),
        (Op::Update, 401),
        (Op::List, 500),
    ]);
    for (op, status) in cases {
        server.reset().await;
        mount(
            &server,
            op.method(),
            op.path(),
            ResponseTemplate::new(status)
                .insert_header("x-request-id", "req_teapot")
                .set_body_json(clerk_errors_json(422)),
        )
        .await;

        let err = op
            .call(&client)
            .await
            .expect_err("an error status fails the call");
        assert_eq!(err.api_body(), None, "{op:?} {status}");
        let Error::UnexpectedStatus(api) = err else {
            panic!("{op:?} {status}: expected UnexpectedStatus, got {err:?}");
        };
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(api.operation_id(), op.operation_id());
        assert_eq!(api.header("x-request-id"), Some("req_teapot"));
        assert_eq!(api.body(), None, "undocumented statuses are not decoded");
        assert_eq!(
            api.raw_body(),
            serde_json::to_vec(&clerk_errors_json(422))
                .unwrap()
                .as_slice()
        );
        assert_eq!(received(&server).await.len(), 1, "{op:?} {status}");
    }
}

#[tokio::test]
async fn documented_status_with_non_schema_body_keeps_raw_body() {
    let server = MockServer::start().await;
    mount(
        &server,
        "DELETE",
        MEMBERSHIP,
        ResponseTemplate::new(404).set_body_raw("<html>Not Found</html>", "text/html"),
    )
    .await;

    let err = client(&server)
        .organization_memberships()
        .delete("org_123", "user_456")
        .send()
        .await
        .expect_err("404 fails");
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.body(), None);
    assert_eq!(api.raw_body(), b"<html>Not Found</html>");
}

#[tokio::test]
async fn ok_status_with_non_json_or_incomplete_body_is_a_decode_error() {
    let server = MockServer::start().await;
    let client = client(&server);
    let mut missing = membership_json("orgmem_1", "user_456");
    missing.as_object_mut().unwrap().remove("permissions");
    let mut missing_nested = membership_json("orgmem_1", "user_456");
    missing_nested["public_user_data"]
        .as_object_mut()
        .unwrap()
        .remove("image_url");
    let cases = [
        (
            ResponseTemplate::new(200).set_body_raw("<html>ok</html>", "text/html"),
            ".",
            "content type",
        ),
        (
            ResponseTemplate::new(200).set_body_raw("", "application/json"),
            ".",
            "empty",
        ),
        (
            ResponseTemplate::new(200).set_body_raw(
                r#"{"id": "orgmem_1", "permissions": ["org:read", "#,
                "application/json",
            ),
            "permissions",
            "EOF",
        ),
        (ok_json(missing), ".", "missing field `permissions`"),
        (
            ok_json(missing_nested),
            "public_user_data",
            "missing field `image_url`",
        ),
    ];
    for (response, expected_path, expected_message) in cases {
        server.reset().await;
        mount(&server, "PATCH", MEMBERSHIP, response).await;
        let err = client
            .organization_memberships()
            .update("org_123", "user_456", "org:admin")
            .send()
            .await
            .expect_err("a malformed body fails");
        let Error::Decode(decode) = err else {
            panic!("expected Error::Decode, got {err:?}");
        };
        assert_eq!(decode.path(), expected_path, "{:?}", decode.message());
        assert!(
            decode.message().contains(expected_message),
            "{:?} should mention {expected_message:?}",
            decode.message()
        );
    }
}

#[tokio::test]
async fn nested_organization_is_typed_and_validated() {
    let server = MockServer::start().await;
    let mut body = membership_json("orgmem_1", "user_456");
    body["organization"]["id"] = json!(5);
    mount(&server, "PATCH", MEMBERSHIP, ok_json(body)).await;

    let result = client(&server)
        .organization_memberships()
        .update("org_123", "user_456", "org:admin")
        .send()
        .await;
    match result {
        Err(Error::Decode(decode)) => assert_eq!(decode.path(), "organization.id"),
        other => panic!("an organization with a numeric id must not decode, got {other:?}"),
    }
}

#[tokio::test]
async fn nested_organization_unknown_object_kind_decodes() {
    // The generated `Organization` model keeps unknown `object` values.
    let mut org = organization_json();
    org["object"] = json!("organization_v2");
    let org: models::Organization = serde_json::from_value(org).expect("decodes");
    assert_eq!(
        org.object,
        OrganizationObject::Unknown("organization_v2".into())
    );
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    let client = client(&server);
    let encoded_org = "/v1/organizations/org%2Fwith%20slash/memberships";
    let encoded_member =
        "/v1/organizations/org%2Fwith%20slash/memberships/user%3F%23%25%2B%26%3D%C3%A9";
    mount(&server, "GET", encoded_org, ok_json(page_json(0, 0, 0))).await;
    mount(
        &server,
        "POST",
        encoded_org,
        ok_json(membership_json("orgmem_1", "u")),
    )
    .await;
    mount(
        &server,
        "PATCH",
        encoded_member,
        ok_json(membership_json("orgmem_1", "u")),
    )
    .await;
    mount(
        &server,
        "DELETE",
        encoded_member,
        ok_json(membership_json("orgmem_1", "u")),
    )
    .await;
    let metadata_path = format!("{encoded_member}/metadata");
    mount(
        &server,
        "PATCH",
        &metadata_path,
        ok_json(membership_json("orgmem_1", "u")),
    )
    .await;

    let org = "org/with slash";
    let user = "user?#%+&=é";
    let ms = client.organization_memberships();
    ms.list(org).send().await.expect("list");
    ms.create(org, user, "org:admin")
        .send()
        .await
        .expect("create");
    ms.update(org, user, "org:admin")
        .send()
        .await
        .expect("update");
    ms.delete(org, user).send().await.expect("delete");
    ms.update_metadata(org, user)
        .send()
        .await
        .expect("update_metadata");

    let paths: Vec<(String, String)> = received(&server)
        .await
        .iter()
        .map(|r| (r.method.to_string(), r.url.path().to_owned()))
        .collect();
    assert_eq!(
        paths,
        [
            ("GET".to_owned(), encoded_org.to_owned()),
            ("POST".to_owned(), encoded_org.to_owned()),
            ("PATCH".to_owned(), encoded_member.to_owned()),
            ("DELETE".to_owned(), encoded_member.to_owned()),
            ("PATCH".to_owned(), metadata_path),
        ]
    );
    // The user ID stays a value in the body, not encoded.
    let create = &received(&server).await[1];
    assert_eq!(create.body_json::<Value>().unwrap()["user_id"], json!(user));
}

#[tokio::test]
async fn structural_path_values_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    let ms = client.organization_memberships();
    for result in [
        ms.list("").send().await.map(drop),
        ms.list("..").send().await.map(drop),
        ms.delete("org_123", ".").send().await.map(drop),
        ms.update_metadata("org_123", "").send().await.map(drop),
    ] {
        assert!(
            matches!(result, Err(Error::InvalidRequest(_))),
            "{result:?}"
        );
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn per_call_options_add_headers() {
    let server = MockServer::start().await;
    mount(
        &server,
        "DELETE",
        MEMBERSHIP,
        ok_json(membership_json("orgmem_1", "user_456")),
    )
    .await;

    client(&server)
        .organization_memberships()
        .delete("org_123", "user_456")
        .options(
            RequestOptions::new()
                .header("x-correlation-id", "corr_1")
                .timeout(Duration::from_secs(5)),
        )
        .send()
        .await
        .expect("delete succeeds");

    let req = single_request(&server).await;
    assert_request(&req, "DELETE", MEMBERSHIP, None, None);
    assert_eq!(req.headers.get("x-correlation-id").unwrap(), "corr_1");
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

/// Mounts one page per `(offset, first item, count)` for the organization list; any other
/// offset gets a 500 so that an unexpected request fails the test.
async fn mount_pages(server: &MockServer, at: &str, pages: &[(usize, usize, usize)], total: i64) {
    for &(offset, first, count) in pages {
        Mock::given(method("GET"))
            .and(path(at))
            .and(query_param("offset", offset.to_string().as_str()))
            .respond_with(ok_json(page_json(first, count, total)))
            .with_priority(1)
            .mount(server)
            .await;
    }
    mount(
        server,
        "GET",
        at,
        ResponseTemplate::new(500).set_body_string("unexpected page"),
    )
    .await;
}

async fn queries(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect()
}

fn ids(items: &[Result<OrganizationMembership, Error>]) -> Vec<String> {
    items
        .iter()
        .map(|item| item.as_ref().expect("no error").id.clone())
        .collect()
}

#[tokio::test]
async fn stream_of_empty_list_yields_nothing() {
    let server = MockServer::start().await;
    mount_pages(&server, MEMBERSHIPS, &[(0, 0, 0)], 0).await;

    let items: Vec<_> = client_no_retries(&server)
        .organization_memberships()
        .list("org_123")
        .limit(10)
        .stream()
        .collect()
        .await;

    assert!(items.is_empty());
    assert_eq!(queries(&server).await, ["limit=10&offset=0"]);
}

#[tokio::test]
async fn stream_of_one_partial_page_makes_one_request() {
    let server = MockServer::start().await;
    mount_pages(&server, MEMBERSHIPS, &[(0, 0, 3)], 3).await;

    let items: Vec<_> = client_no_retries(&server)
        .organization_memberships()
        .list("org_123")
        .limit(10)
        .stream()
        .collect()
        .await;

    assert_eq!(ids(&items), ["orgmem_0", "orgmem_1", "orgmem_2"]);
    assert_membership(items[2].as_ref().unwrap(), "orgmem_2", "user_2");
    assert_eq!(queries(&server).await, ["limit=10&offset=0"]);
}

#[tokio::test]
async fn stream_of_exactly_one_full_page_stops_at_total_count() {
    let server = MockServer::start().await;
    mount_pages(&server, MEMBERSHIPS, &[(0, 0, 2)], 2).await;

    let items: Vec<_> = client_no_retries(&server)
        .organization_memberships()
        .list("org_123")
        .limit(2)
        .stream()
        .collect()
        .await;

    assert_eq!(ids(&items), ["orgmem_0", "orgmem_1"]);
    assert_eq!(queries(&server).await, ["limit=2&offset=0"]);
}

#[tokio::test]
async fn stream_over_several_pages_keeps_limit_and_filters() {
    let server = MockServer::start().await;
    mount_pages(&server, MEMBERSHIPS, &[(0, 0, 2), (2, 2, 2), (4, 4, 1)], 5).await;

    let items: Vec<_> = client_no_retries(&server)
        .organization_memberships()
        .list("org_123")
        .role(["org:admin", "org:member"])
        .limit(2)
        .stream()
        .collect()
        .await;

    assert_eq!(
        ids(&items),
        ["orgmem_0", "orgmem_1", "orgmem_2", "orgmem_3", "orgmem_4"]
    );
    assert_eq!(
        queries(&server).await,
        [
            "role=org%3Aadmin&role=org%3Amember&limit=2&offset=0",
            "role=org%3Aadmin&role=org%3Amember&limit=2&offset=2",
            "role=org%3Aadmin&role=org%3Amember&limit=2&offset=4",
        ]
    );
    for req in received(&server).await {
        assert_request(&req, "GET", MEMBERSHIPS, req.url.query(), None);
    }
}

#[tokio::test]
async fn stream_starts_at_the_builder_offset() {
    let server = MockServer::start().await;
    mount_pages(&server, INSTANCE, &[(3, 3, 2), (5, 5, 2)], 7).await;

    let items: Vec<_> = client_no_retries(&server)
        .organization_memberships()
        .list_for_instance()
        .order_by("-created_at")
        .limit(2)
        .offset(3)
        .stream()
        .collect()
        .await;

    assert_eq!(
        ids(&items),
        ["orgmem_3", "orgmem_4", "orgmem_5", "orgmem_6"]
    );
    assert_eq!(
        queries(&server).await,
        [
            "order_by=-created_at&limit=2&offset=3",
            "order_by=-created_at&limit=2&offset=5",
        ]
    );
}

#[tokio::test]
async fn stream_yields_error_mid_stream_then_ends() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .and(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(422).set_body_json(clerk_errors_json(422)))
        .with_priority(1)
        .mount(&server)
        .await;
    mount_pages(&server, INSTANCE, &[(0, 0, 2)], 6).await;

    let items: Vec<_> = client_no_retries(&server)
        .organization_memberships()
        .list_for_instance()
        .limit(2)
        .stream()
        .collect()
        .await;

    assert_eq!(items.len(), 3, "two items, then the error, then the end");
    assert_eq!(ids(&items[..2]), ["orgmem_0", "orgmem_1"]);
    match &items[2] {
        Err(err @ Error::Api(api)) => {
            assert_eq!(api.status().as_u16(), 422);
            assert_clerk_errors(err.api_body(), 422, "422");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(
        queries(&server).await,
        ["limit=2&offset=0", "limit=2&offset=2"]
    );
}

#[tokio::test]
async fn stream_is_lazy() {
    let server = MockServer::start().await;
    mount_pages(&server, MEMBERSHIPS, &[(0, 0, 2), (2, 2, 2)], 4).await;

    let first: Vec<_> = client_no_retries(&server)
        .organization_memberships()
        .list("org_123")
        .limit(2)
        .stream()
        .take(2)
        .collect()
        .await;

    assert_eq!(ids(&first), ["orgmem_0", "orgmem_1"]);
    assert_eq!(queries(&server).await, ["limit=2&offset=0"]);
}
