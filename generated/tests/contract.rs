//! Contract tests: the generated SDK against Stoplight Prism, a real OpenAPI validator and mock
//! server, run twice: once serving our fragment (`spec/clerk-organization-memberships.yaml`,
//! `PRISM_FRAGMENT_URL`) and once serving Clerk's published Backend API document
//! (`PRISM_CLERK_URL`). The same suite runs against both (`fragment::…` and `clerk::…`), so a
//! request our fragment accepts but Clerk's real contract rejects, or a response Clerk's contract
//! allows that our types cannot decode, fails a test.
//!
//! Prism validates every request (path, query, headers, security, body) against the document
//! and answers an invalid one with `422` and an `sl-violations` header; a request without
//! credentials gets `401`. Responses are the document's static examples, or data generated from
//! the schemas with `Prefer: dynamic=true, seed=…`; `Prefer: code=…` picks a documented status.
//!
//! For every operation: a call with only the required arguments, a call with every optional
//! argument set (arrays with several values, Unicode and reserved characters in path and query
//! values, metadata with nested `null`s), both answered statically and with generated data under
//! several seeds; every documented error status decoded into `Error::Api` with
//! `ErrorBody::ClerkErrors`; and a call without credentials.
//!
//! `bash .ci/contract.sh` installs the pinned Prism, starts both instances and runs this file
//! with `--ignored`. Every test is `#[ignore]`d, so a plain `cargo test` needs no Node and
//! reports them as ignored rather than passed; run without its environment variable, a test
//! fails and says which variable to set.

use std::fmt::Debug;
use std::time::Duration;

use clerk_backend::models::{
    ClerkErrors, OrganizationMembership, OrganizationMembershipObject, OrganizationMemberships,
    OrganizationObject,
};
use clerk_backend::{Client, Error, ErrorBody, RequestOptions, Response};
use futures_util::StreamExt;
use serde_json::{Map, Value, json};

/// The header Prism uses to list the ways a request (or its own response) breaks the document.
const VIOLATIONS: &str = "sl-violations";

/// Seeds for `Prefer: dynamic=true, seed=…`: each gives different, reproducible generated data.
const SEEDS: [&str; 8] = ["1", "2", "3", "7", "42", "2026", "sdkgen", "clerk-contract"];

/// Generated responses without a seed, on top of the seeded ones: fresh data on every run.
const UNSEEDED_RUNS: usize = 2;

/// A path value with Unicode and every reserved character a path segment must encode.
const ORG_ID: &str = "org_ü/?#%&=+ 名;,@:";
/// The same for the second path parameter.
const USER_ID: &str = "user_ä[]!$'()*~.x";

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

/// One Prism instance, named by the environment variable holding its URL.
#[derive(Clone, Copy, Debug)]
struct Target {
    env: &'static str,
    /// Whether the served document carries our hand-written examples.
    has_our_examples: bool,
}

const FRAGMENT: Target = Target {
    env: "PRISM_FRAGMENT_URL",
    has_our_examples: true,
};

const CLERK: Target = Target {
    env: "PRISM_CLERK_URL",
    has_our_examples: false,
};

/// A running Prism instance to test against.
#[derive(Debug)]
struct Prism {
    target: Target,
    url: String,
}

impl Target {
    /// The instance; fails the test when its variable is unset, because a contract test that
    /// did not run must not count as passed.
    fn prism(self) -> Prism {
        match std::env::var(self.env) {
            Ok(url) if !url.trim().is_empty() => Prism {
                target: self,
                url: url.trim().to_owned(),
            },
            _ => panic!(
                "{} is not set: run the contract tests with `bash .ci/contract.sh`",
                self.env
            ),
        }
    }
}

/// Runs every listed test function against both Prism instances: `fragment::name` and
/// `clerk::name`.
macro_rules! against_both_specs {
    ($($name:ident),* $(,)?) => {
        mod fragment {
            $(
                #[tokio::test]
                #[ignore = "needs Prism: bash .ci/contract.sh"]
                async fn $name() {
                    super::$name(&super::FRAGMENT.prism()).await;
                }
            )*
        }

        mod clerk {
            $(
                #[tokio::test]
                #[ignore = "needs Prism: bash .ci/contract.sh"]
                async fn $name() {
                    super::$name(&super::CLERK.prism()).await;
                }
            )*
        }
    };
}

against_both_specs!(
    validator_rejects_invalid_requests,
    create_required_only,
    create_all_optional,
    create_explicit_nulls,
    create_documented_errors,
    create_without_auth,
    list_required_only,
    list_all_optional,
    list_documented_errors,
    list_without_auth,
    list_stream,
    update_required_only,
    update_all_optional,
    update_documented_errors,
    update_without_auth,
    delete_required_only,
    delete_all_optional,
    delete_documented_errors,
    delete_without_auth,
    update_metadata_required_only,
    update_metadata_all_optional,
    update_metadata_documented_errors,
    update_metadata_without_auth,
    list_for_instance_required_only,
    list_for_instance_all_optional,
    list_for_instance_documented_errors,
    list_for_instance_without_auth,
);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn builder(prism: &Prism) -> clerk_backend::ClientBuilder {
    Client::builder()
        .base_url(&prism.url)
        .no_retries()
        .timeout(Duration::from_secs(30))
}

/// A client with a bearer token, making one attempt per call.
fn client(prism: &Prism) -> Client {
    builder(prism)
        .bearer_token("sk_test_contract_4f8e2a1c9b7d")
        .build()
        .expect("the client builds")
}

/// A client that sends no credentials at all.
fn anonymous(prism: &Prism) -> Client {
    builder(prism)
        .unauthenticated()
        .build()
        .expect("the client builds")
}

fn prefer(value: impl Into<String>) -> RequestOptions {
    RequestOptions::new().header("Prefer", value)
}

/// Every way a call is answered successfully: the static example, then generated data under
/// each seed and without one. Each entry is (description, options).
fn success_modes() -> Vec<(String, RequestOptions)> {
    let mut modes = vec![("static example".to_owned(), RequestOptions::new())];
    for seed in SEEDS {
        modes.push((
            format!("dynamic, seed {seed}"),
            prefer(format!("dynamic=true, seed={seed}")),
        ));
    }
    for run in 1..=UNSEEDED_RUNS {
        modes.push((format!("dynamic, unseeded #{run}"), prefer("dynamic=true")));
    }
    modes
}

/// Error responses of status `code`: the static example and generated data under a few seeds.
fn error_modes(code: u16) -> Vec<(String, RequestOptions)> {
    let mut modes = vec![(
        format!("{code}, static example"),
        prefer(format!("code={code}")),
    )];
    for seed in &SEEDS[..3] {
        modes.push((
            format!("{code}, dynamic, seed {seed}"),
            prefer(format!("code={code}, dynamic=true, seed={seed}")),
        ));
    }
    modes
}

fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("expected a JSON object, got {other}"),
    }
}

/// Metadata with nested `null`s (deletions in a deep merge), arrays holding `null`, Unicode keys
/// and values.
fn public_metadata() -> Map<String, Value> {
    obj(json!({
        "plan": { "tier": "pro", "legacy": null, "limits": { "seats": 25, "old_cap": null } },
        "flags": [true, null, "ü", 1.5],
        "removed": null,
        "ключ": "значение ✓",
    }))
}

fn private_metadata() -> Map<String, Value> {
    obj(json!({
        "seat_id": null,
        "billing": { "customer": "cus_001", "coupon": null, "history": [] },
        "notes": "a&b=c?d#e/f %20 +",
    }))
}

/// Everything worth printing about a failed call: for responses, Prism's violations and the raw
/// body.
fn describe(error: &Error) -> String {
    let response = |kind: &str, api: &clerk_backend::runtime::ApiError<ErrorBody>| {
        format!(
            "{kind} {}: {VIOLATIONS}: {:?}; body: {}",
            api.status(),
            api.header(VIOLATIONS),
            String::from_utf8_lossy(api.raw_body())
        )
    };
    match error {
        Error::Api(api) => response("documented error", api),
        Error::UnexpectedStatus(api) => response("undocumented status", api),
        Error::Decode(decode) => format!(
            "decode error: {decode}; body: {}",
            String::from_utf8_lossy(decode.raw_body())
        ),
        other => format!("{other}"),
    }
}

/// Asserts that Prism accepted the request (no violation, status 200) and that the body decoded
/// into the generated type; returns the body.
fn accepted<T: Debug>(what: &str, result: Result<Response<T>, Error>) -> T {
    match result {
        Ok(response) => {
            assert_eq!(response.status().as_u16(), 200, "{what}: {response:?}");
            assert!(
                response.headers().get(VIOLATIONS).is_none(),
                "{what}: Prism reported violations: {:?}",
                response.headers().get(VIOLATIONS)
            );
            response.into_body()
        }
        Err(error) => panic!("{what}: expected success, got {}", describe(&error)),
    }
}

/// Asserts a documented error of `status` whose body decoded into `ClerkErrors`, on a request
/// Prism found valid; returns the body.
fn documented_error<T: Debug>(
    what: &str,
    status: u16,
    result: Result<Response<T>, Error>,
) -> ClerkErrors {
    let api = match result {
        Err(Error::Api(api)) => api,
        Err(other) => panic!(
            "{what}: expected the documented {status} error, got {}",
            describe(&other)
        ),
        Ok(response) => panic!("{what}: expected the documented {status} error, got {response:?}"),
    };
    if let Some(violations) = api.header(VIOLATIONS) {
        panic!("{what}: Prism found the request invalid: {violations}");
    }
    assert_eq!(api.status().as_u16(), status, "{what}: {api:?}");
    match api.into_body() {
        Some(ErrorBody::ClerkErrors(body)) => body,
        other => panic!("{what}: expected a ClerkErrors body, got {other:?}"),
    }
}

/// The `code` of the static example our fragment documents for each error status.
fn example_error_code(status: u16) -> &'static str {
    match status {
        401 => "authentication_invalid",
        403 => "authorization_invalid",
        404 => "resource_not_found",
        422 => "form_param_value_invalid",
        _ => "bad_request",
    }
}

fn check_membership(what: &str, membership: &OrganizationMembership) {
    assert_eq!(
        membership.object,
        OrganizationMembershipObject::OrganizationMembership,
        "{what}"
    );
    assert_eq!(
        membership.organization.object,
        OrganizationObject::Organization,
        "{what}"
    );
}

fn check_page(what: &str, page: &OrganizationMemberships) {
    for membership in &page.data {
        check_membership(what, membership);
    }
}

/// Runs `call` in every success mode: Prism must accept the request and the response must
/// decode (and pass `check`). Returns the decoded bodies, the static example first.
async fn expect_success<T, F>(prism: &Prism, what: &str, call: F, check: fn(&str, &T)) -> Vec<T>
where
    T: Debug,
    F: AsyncFn(RequestOptions) -> Result<Response<T>, Error>,
{
    let mut bodies = Vec::new();
    for (mode, options) in success_modes() {
        let what = format!("{what} [{} {mode}]", prism.target.env);
        let body = accepted(&what, call(options).await);
        check(&what, &body);
        bodies.push(body);
    }
    bodies
}

/// Generated pages can be empty; the seeds must between them have produced memberships to
/// decode, or the dynamic runs proved nothing about the item type.
fn assert_generated_items(what: &str, pages: &[OrganizationMemberships]) {
    let generated: usize = pages[1..].iter().map(|page| page.data.len()).sum();
    assert!(
        generated >= 3,
        "{what}: the dynamic runs produced only {generated} memberships"
    );
}

/// Runs `call` asking Prism for each documented error status, statically and dynamically: each
/// must come back as `Error::Api` with a `ClerkErrors` body.
async fn expect_documented_errors<T, F>(prism: &Prism, what: &str, statuses: &[u16], call: F)
where
    T: Debug,
    F: AsyncFn(RequestOptions) -> Result<Response<T>, Error>,
{
    for &status in statuses {
        for (index, (mode, options)) in error_modes(status).into_iter().enumerate() {
            let what = format!("{what} [{} {mode}]", prism.target.env);
            let body = documented_error(&what, status, call(options).await);
            if index == 0 {
                // Static examples always hold at least one error.
                assert!(!body.errors.is_empty(), "{what}: {body:?}");
                if prism.target.has_our_examples {
                    assert_eq!(body.errors[0].code, example_error_code(status), "{what}");
                    assert_eq!(body.clerk_trace_id.as_deref(), Some("trace_0a1b2c3d"));
                }
            }
        }
    }
}

/// A call without credentials. Where the operation documents 401 it is the typed error with a
/// `ClerkErrors` body; where it does not (the published document omits it for some operations)
/// it is an undocumented status, never a success or a decode error.
fn expect_unauthorized<T: Debug>(
    prism: &Prism,
    what: &str,
    documents_401: bool,
    result: Result<Response<T>, Error>,
) {
    let what = format!("{what} [{} without credentials]", prism.target.env);
    match result {
        Err(Error::Api(api)) if documents_401 => {
            assert_eq!(api.status().as_u16(), 401, "{what}: {api:?}");
            match api.body() {
                Some(ErrorBody::ClerkErrors(body)) => {
                    assert!(!body.errors.is_empty(), "{what}: {body:?}");
                    if prism.target.has_our_examples {
                        assert_eq!(body.errors[0].code, "authentication_invalid", "{what}");
                    }
                }
                other => panic!("{what}: expected a ClerkErrors body, got {other:?}"),
            }
        }
        Err(Error::UnexpectedStatus(api)) if !documents_401 => {
            assert_eq!(api.status().as_u16(), 401, "{what}: {api:?}");
        }
        Err(other) => panic!(
            "{what}: expected {} 401, got {}",
            if documents_401 {
                "the documented"
            } else {
                "an undocumented"
            },
            describe(&other)
        ),
        Ok(response) => panic!("{what}: expected 401, got {response:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The validator is live: a request that breaks the document is reported
// ---------------------------------------------------------------------------------------------

/// Without this, every "no violation" assertion below could pass against a server that
/// validates nothing.
async fn validator_rejects_invalid_requests(prism: &Prism) {
    let client = client(prism);
    for (what, result, parameter) in [
        (
            "limit 0",
            client
                .organization_memberships()
                .list("org_123")
                .limit(0)
                .send_with_response()
                .await,
            "limit",
        ),
        (
            "limit 501",
            client
                .organization_memberships()
                .list("org_123")
                .limit(501)
                .send_with_response()
                .await,
            "limit",
        ),
        (
            "offset -1",
            client
                .organization_memberships()
                .list("org_123")
                .offset(-1)
                .send_with_response()
                .await,
            "offset",
        ),
    ] {
        let what = format!("{what} [{}]", prism.target.env);
        let Err(Error::Api(api)) = result else {
            panic!("{what}: expected Prism to reject the request, got {result:?}");
        };
        assert_eq!(api.status().as_u16(), 422, "{what}: {api:?}");
        let violations = api
            .header(VIOLATIONS)
            .unwrap_or_else(|| panic!("{what}: no {VIOLATIONS} header: {api:?}"));
        assert!(
            violations.contains(&format!("\"{parameter}\"")),
            "{what}: {violations}"
        );
    }

    // Bodies the SDK's types cannot produce, sent by hand: the request bodies are validated too.
    let http = reqwest::Client::new();
    for (what, method, path, body, needle) in [
        (
            "create with a numeric user_id",
            reqwest::Method::POST,
            "/organizations/org_123/memberships",
            json!({ "user_id": 42, "role": "org:admin" }),
            "user_id",
        ),
        (
            "update without role",
            reqwest::Method::PATCH,
            "/organizations/org_123/memberships/user_456",
            json!({}),
            "role",
        ),
        (
            "update_metadata with an unknown property",
            reqwest::Method::PATCH,
            "/organizations/org_123/memberships/user_456/metadata",
            json!({ "public_metadata": {}, "unknown": 1 }),
            "additional properties",
        ),
    ] {
        let what = format!("{what} [{}]", prism.target.env);
        let response = http
            .request(method, format!("{}{path}", prism.url))
            .bearer_auth("sk_test_contract_4f8e2a1c9b7d")
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(response.status().as_u16(), 422, "{what}: {response:?}");
        let violations = response
            .headers()
            .get(VIOLATIONS)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_else(|| panic!("{what}: no {VIOLATIONS} header"))
            .to_owned();
        assert!(violations.contains(needle), "{what}: {violations}");
    }
}

// ---------------------------------------------------------------------------------------------
// CreateOrganizationMembership: POST /organizations/{organization_id}/memberships
// ---------------------------------------------------------------------------------------------

const CREATE_ERRORS: [u16; 4] = [400, 403, 404, 422];

async fn create_required_only(prism: &Prism) {
    let client = client(prism);
    expect_success(
        prism,
        "create, required only",
        async |options| {
            client
                .organization_memberships()
                .create("org_123", "user_456", "org:admin")
                .options(options)
                .send_with_response()
                .await
        },
        check_membership,
    )
    .await;
}

async fn create_all_optional(prism: &Prism) {
    let client = client(prism);
    expect_success(
        prism,
        "create, every optional field",
        async |options| {
            client
                .organization_memberships()
                .create(ORG_ID, USER_ID, "org:billing/manage ü")
                .public_metadata(public_metadata())
                .private_metadata(private_metadata())
                .options(options)
                .send_with_response()
                .await
        },
        check_membership,
    )
    .await;
}

/// Both metadata fields are nullable on create: an explicit `null` is part of the contract.
async fn create_explicit_nulls(prism: &Prism) {
    let client = client(prism);
    expect_success(
        prism,
        "create, metadata sent as null",
        async |options| {
            client
                .organization_memberships()
                .create("org_123", "user_456", "org:member")
                .public_metadata_null()
                .private_metadata_null()
                .options(options)
                .send_with_response()
                .await
        },
        check_membership,
    )
    .await;
}

async fn create_documented_errors(prism: &Prism) {
    let client = client(prism);
    expect_documented_errors(prism, "create", &CREATE_ERRORS, async |options| {
        client
            .organization_memberships()
            .create("org_123", "user_456", "org:admin")
            .options(options)
            .send_with_response()
            .await
    })
    .await;
}

async fn create_without_auth(prism: &Prism) {
    let result = anonymous(prism)
        .organization_memberships()
        .create("org_123", "user_456", "org:admin")
        .send_with_response()
        .await;
    expect_unauthorized(prism, "create", false, result);
}

// ---------------------------------------------------------------------------------------------
// ListOrganizationMemberships: GET /organizations/{organization_id}/memberships
// ---------------------------------------------------------------------------------------------

const LIST_ERRORS: [u16; 2] = [401, 422];

async fn list_required_only(prism: &Prism) {
    let client = client(prism);
    let pages = expect_success(
        prism,
        "list, required only",
        async |options| {
            client
                .organization_memberships()
                .list("org_123")
                .options(options)
                .send_with_response()
                .await
        },
        check_page,
    )
    .await;
    assert_generated_items("list, required only", &pages);
}

async fn list_all_optional(prism: &Prism) {
    let client = client(prism);
    let pages = expect_success(
        prism,
        "list, every filter",
        async |options| {
            client
                .organization_memberships()
                .list(ORG_ID)
                .order_by("+created_at")
                .user_id(["+user_456", "-user_789", "user_ü&x=1"])
                .email_address([
                    "jane+tag@example.com",
                    "jörg@exämple.de",
                    "a,b;c@example.com",
                ])
                .phone_number(["+15551234567", "+44 20 7946 0958"])
                .username(["jane_doe", "名前", "semi;colon=1"])
                .web3_wallet([
                    "0x52908400098527886E0F7030069857D2E4169EE7",
                    "0xabc#fragment",
                ])
                .role(["org:admin", "org:member", "org:billing/manage"])
                .query("Jane Doe & co = 100% ✓")
                .email_address_query("exam+ple")
                .phone_number_query("+1 555")
                .username_query("doe?")
                .name_query("Zoë O'Brien")
                .last_active_at_before(1_700_690_400_000)
                .last_active_at_after(1_600_000_000_000)
                .created_at_before(1_730_160_000_000)
                .created_at_after(1_500_000_000_000)
                .limit(500)
                .offset(1_000)
                .options(options)
                .send_with_response()
                .await
        },
        check_page,
    )
    .await;
    assert_generated_items("list, every filter", &pages);
}

async fn list_documented_errors(prism: &Prism) {
    let client = client(prism);
    expect_documented_errors(prism, "list", &LIST_ERRORS, async |options| {
        client
            .organization_memberships()
            .list("org_123")
            .options(options)
            .send_with_response()
            .await
    })
    .await;
}

async fn list_without_auth(prism: &Prism) {
    let result = anonymous(prism)
        .organization_memberships()
        .list("org_123")
        .send_with_response()
        .await;
    expect_unauthorized(prism, "list", true, result);
}

/// The pagination stream's requests (offset 0, then the offsets it computes) are valid too.
async fn list_stream(prism: &Prism) {
    let what = format!("list, stream [{}]", prism.target.env);
    let items: Vec<_> = client(prism)
        .organization_memberships()
        .list("org_123")
        .limit(1)
        .stream()
        .take(5)
        .collect()
        .await;
    assert!(!items.is_empty(), "{what}: no items");
    for item in items {
        match item {
            Ok(membership) => check_membership(&what, &membership),
            Err(error) => panic!("{what}: {}", describe(&error)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// UpdateOrganizationMembership: PATCH /organizations/{organization_id}/memberships/{user_id}
// ---------------------------------------------------------------------------------------------

const UPDATE_ERRORS: [u16; 2] = [404, 422];

async fn update_required_only(prism: &Prism) {
    let client = client(prism);
    expect_success(
        prism,
        "update, required only",
        async |options| {
            client
                .organization_memberships()
                .update("org_123", "user_456", "org:member")
                .options(options)
                .send_with_response()
                .await
        },
        check_membership,
    )
    .await;
}

/// The operation has no optional arguments: this covers awkward path values and role keys.
async fn update_all_optional(prism: &Prism) {
    let client = client(prism);
    expect_success(
        prism,
        "update, reserved characters",
        async |options| {
            client
                .organization_memberships()
                .update(ORG_ID, USER_ID, "org:rôle/with?reserved#chars")
                .options(options)
                .send_with_response()
                .await
        },
        check_membership,
    )
    .await;
}

async fn update_documented_errors(prism: &Prism) {
    let client = client(prism);
    expect_documented_errors(prism, "update", &UPDATE_ERRORS, async |options| {
        client
            .organization_memberships()
            .update("org_123", "user_456", "org:member")
            .options(options)
            .send_with_response()
            .await
    })
    .await;
}

async fn update_without_auth(prism: &Prism) {
    let result = anonymous(prism)
        .organization_memberships()
        .update("org_123", "user_456", "org:member")
        .send_with_response()
        .await;
    expect_unauthorized(prism, "update", false, result);
}

// ---------------------------------------------------------------------------------------------
// DeleteOrganizationMembership: DELETE /organizations/{organization_id}/memberships/{user_id}
// ---------------------------------------------------------------------------------------------

const DELETE_ERRORS: [u16; 3] = [401, 404, 422];

async fn delete_required_only(prism: &Prism) {
    let client = client(prism);
    expect_success(
        prism,
        "delete, required only",
        async |options| {
            client
                .organization_memberships()
                .delete("org_123", "user_456")
                .options(options)
                .send_with_response()
                .await
        },
        check_membership,
    )
    .await;
}

/// The operation has no optional arguments: this covers awkward path values.
async fn delete_all_optional(prism: &Prism) {
    let client = client(prism);
    expect_success(
        prism,
        "delete, reserved characters",
        async |options| {
            client
                .organization_memberships()
                .delete(ORG_ID, USER_ID)
                .options(options)
                .send_with_response()
                .await
        },
        check_membership,
    )
    .await;
}

async fn delete_documented_errors(prism: &Prism) {
    let client = client(prism);
    expect_documented_errors(prism, "delete", &DELETE_ERRORS, async |options| {
        client
            .organization_memberships()
            .delete("org_123", "user_456")
            .options(options)
            .send_with_response()
            .await
    })
    .await;
}

async fn delete_without_auth(prism: &Prism) {
    let result = anonymous(prism)
        .organization_memberships()
        .delete("org_123", "user_456")
        .send_with_response()
        .await;
    expect_unauthorized(prism, "delete", true, result);
}

// ---------------------------------------------------------------------------------------------
// UpdateOrganizationMembershipMetadata: PATCH …/memberships/{user_id}/metadata
// ---------------------------------------------------------------------------------------------

const UPDATE_METADATA_ERRORS: [u16; 3] = [400, 404, 422];

async fn update_metadata_required_only(prism: &Prism) {
    let client = client(prism);
    expect_success(
        prism,
        "update_metadata, required only",
        async |options| {
            client
                .organization_memberships()
                .update_metadata("org_123", "user_456")
                .options(options)
                .send_with_response()
                .await
        },
        check_membership,
    )
    .await;
}

async fn update_metadata_all_optional(prism: &Prism) {
    let client = client(prism);
    expect_success(
        prism,
        "update_metadata, both objects with nested nulls",
        async |options| {
            client
                .organization_memberships()
                .update_metadata(ORG_ID, USER_ID)
                .public_metadata(public_metadata())
                .private_metadata(private_metadata())
                .options(options)
                .send_with_response()
                .await
        },
        check_membership,
    )
    .await;
}

async fn update_metadata_documented_errors(prism: &Prism) {
    let client = client(prism);
    expect_documented_errors(
        prism,
        "update_metadata",
        &UPDATE_METADATA_ERRORS,
        async |options| {
            client
                .organization_memberships()
                .update_metadata("org_123", "user_456")
                .public_metadata(public_metadata())
                .options(options)
                .send_with_response()
                .await
        },
    )
    .await;
}

async fn update_metadata_without_auth(prism: &Prism) {
    let result = anonymous(prism)
        .organization_memberships()
        .update_metadata("org_123", "user_456")
        .send_with_response()
        .await;
    expect_unauthorized(prism, "update_metadata", false, result);
}

// ---------------------------------------------------------------------------------------------
// InstanceGetOrganizationMemberships: GET /organization_memberships
// ---------------------------------------------------------------------------------------------

const LIST_FOR_INSTANCE_ERRORS: [u16; 4] = [400, 401, 422, 500];

async fn list_for_instance_required_only(prism: &Prism) {
    let client = client(prism);
    let pages = expect_success(
        prism,
        "list_for_instance, no arguments",
        async |options| {
            client
                .organization_memberships()
                .list_for_instance()
                .options(options)
                .send_with_response()
                .await
        },
        check_page,
    )
    .await;
    assert_generated_items("list_for_instance, no arguments", &pages);
}

async fn list_for_instance_all_optional(prism: &Prism) {
    let client = client(prism);
    let pages = expect_success(
        prism,
        "list_for_instance, every parameter",
        async |options| {
            client
                .organization_memberships()
                .list_for_instance()
                .order_by("-first_name ü&x=+y")
                .limit(1)
                .offset(0)
                .options(options)
                .send_with_response()
                .await
        },
        check_page,
    )
    .await;
    assert_generated_items("list_for_instance, every parameter", &pages);
}

async fn list_for_instance_documented_errors(prism: &Prism) {
    let client = client(prism);
    expect_documented_errors(
        prism,
        "list_for_instance",
        &LIST_FOR_INSTANCE_ERRORS,
        async |options| {
            client
                .organization_memberships()
                .list_for_instance()
                .limit(500)
                .options(options)
                .send_with_response()
                .await
        },
    )
    .await;
}

async fn list_for_instance_without_auth(prism: &Prism) {
    let result = anonymous(prism)
        .organization_memberships()
        .list_for_instance()
        .send_with_response()
        .await;
    expect_unauthorized(prism, "list_for_instance", true, result);
}
