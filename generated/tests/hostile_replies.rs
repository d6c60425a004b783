//! The SDK against a hostile server, and hostile values from the caller.
//!
//! Replies: for every operation, random bytes, truncated JSON, deeply nested JSON, giant
//! numbers, wrong types, missing required fields, extra fields and unknown enum values under
//! every kind of status — the call returns a typed value or a typed error, never panics, and
//! its error formats without panicking. Huge bodies stop at `max_response_bytes` without
//! buffering the rest; pagination over empty pages ends.
//!
//! Caller values: path parameters that would change the URL's structure are refused before any
//! request, `/` is encoded, CR/LF in headers are refused, body strings are JSON-escaped, and the
//! secret stays out of `Debug`/`Display`/errors. TLS is always verified: `ClientBuilder` has no
//! way to turn verification off.
//!
//! The server is a few lines of tokio on 127.0.0.1 so that it can send anything at all,
//! including bodies that never end. `SDKGEN_FUZZ_SECONDS` (set by `cargo xtask fuzz`) turns the
//! random-reply property into a time-boxed fuzzing run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clerk_backend::{Client, Error, RequestOptions};
use futures_util::StreamExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "sk_test_hostile_5ecret_t0ken";

// ---------------------------------------------------------------------------------------------
// A server that says whatever it is told to
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Body {
    Bytes(Vec<u8>),
    /// `total` bytes of `[0,0,0,…` written 64 KiB at a time, never held in memory; with or
    /// without a `content-length`.
    Endless {
        total: u64,
        with_length: bool,
    },
}

#[derive(Clone, Debug)]
struct Reply {
    status: u16,
    content_type: Option<&'static str>,
    body: Body,
}

impl Reply {
    fn json(status: u16, body: &Value) -> Self {
        Self::bytes(status, body.to_string().into_bytes())
    }

    fn bytes(status: u16, body: Vec<u8>) -> Self {
        Reply {
            status,
            content_type: Some("application/json"),
            body: Body::Bytes(body),
        }
    }
}

/// What the server saw of one request.
#[derive(Clone, Debug)]
struct Seen {
    head: String,
    body: Vec<u8>,
}

#[derive(Clone)]
struct Server {
    base_url: String,
    reply: Arc<Mutex<Reply>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    requests: Arc<AtomicUsize>,
}

impl Server {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let addr = listener.local_addr().expect("has an address");
        let server = Server {
            base_url: format!("http://{addr}/v1"),
            reply: Arc::new(Mutex::new(Reply::json(200, &json!({})))),
            seen: Arc::default(),
            requests: Arc::default(),
        };
        let shared = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let _ = shared.serve(stream).await;
                });
            }
        });
        server
    }

    fn set(&self, reply: Reply) {
        *self.reply.lock().unwrap() = reply;
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    fn take_seen(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }

    /// One request per connection (`connection: close`), which keeps framing trivial.
    async fn serve(&self, mut stream: TcpStream) -> std::io::Result<()> {
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 8192];
        let head_end = loop {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let length = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        while buffer.len() < head_end + length {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            buffer.extend_from_slice(&chunk[..n]);
        }
        self.requests.fetch_add(1, Ordering::SeqCst);
        self.seen.lock().unwrap().push(Seen {
            head,
            body: buffer[head_end..].to_vec(),
        });

        let reply = self.reply.lock().unwrap().clone();
        let mut out = format!("HTTP/1.1 {} Hostile\r\nconnection: close\r\n", reply.status);
        if let Some(content_type) = reply.content_type {
            out.push_str(&format!("content-type: {content_type}\r\n"));
        }
        match reply.body {
            Body::Bytes(bytes) => {
                out.push_str(&format!("content-length: {}\r\n\r\n", bytes.len()));
                stream.write_all(out.as_bytes()).await?;
                stream.write_all(&bytes).await?;
            }
            Body::Endless { total, with_length } => {
                if with_length {
                    out.push_str(&format!("content-length: {total}\r\n\r\n"));
                } else {
                    out.push_str("transfer-encoding: chunked\r\n\r\n");
                }
                stream.write_all(out.as_bytes()).await?;
                let block = {
                    let mut block = b"[".to_vec();
                    block.extend(b"0,".repeat(32 * 1024));
                    block.truncate(64 * 1024);
                    block
                };
                let mut sent = 0u64;
                while sent < total {
                    let n = block.len().min((total - sent) as usize);
                    if with_length {
                        stream.write_all(&block[..n]).await?;
                    } else {
                        stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                        stream.write_all(&block[..n]).await?;
                        stream.write_all(b"\r\n").await?;
                    }
                    sent += n as u64;
                }
                if !with_length {
                    stream.write_all(b"0\r\n\r\n").await?;
                }
            }
        }
        stream.flush().await?;
        Ok(())
    }
}

fn client(server: &Server) -> Client {
    Client::builder()
        .bearer_token(TOKEN)
        .base_url(&server.base_url)
        .no_retries()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("the client builds")
}

// ---------------------------------------------------------------------------------------------
// Every operation
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    List,
    Create,
    Delete,
    Update,
    UpdateMetadata,
    ListForInstance,
}

const OPS: [Op; 6] = [
    Op::List,
    Op::Create,
    Op::Delete,
    Op::Update,
    Op::UpdateMetadata,
    Op::ListForInstance,
];

impl Op {
    /// Calls the operation with ordinary arguments and reduces the result to text, formatting
    /// the error both ways (formatting must not panic either).
    async fn call(self, client: &Client) -> Result<String, Error> {
        let m = client.organization_memberships();
        let value = match self {
            Op::List => format!("{:?}", m.list("org_1").limit(10).send().await?),
            Op::Create => format!("{:?}", m.create("org_1", "user_1", "admin").send().await?),
            Op::Delete => format!("{:?}", m.delete("org_1", "user_1").send().await?),
            Op::Update => format!("{:?}", m.update("org_1", "user_1", "admin").send().await?),
            Op::UpdateMetadata => {
                format!("{:?}", m.update_metadata("org_1", "user_1").send().await?)
            }
            Op::ListForInstance => format!("{:?}", m.list_for_instance().send().await?),
        };
        Ok(value)
    }
}

/// Calls `op` and checks the outcome is a value or a typed error that formats and does not
/// carry the secret. Returns the outcome's kind.
async fn call_checked(op: Op, client: &Client) -> Result<&'static str, String> {
    match op.call(client).await {
        Ok(_) => Ok("value"),
        Err(error) => {
            let display = error.to_string();
            let debug = format!("{error:?}");
            if display.contains(TOKEN) || debug.contains(TOKEN) {
                return Err(format!("the secret leaked into an error: {debug}"));
            }
            Ok(match error {
                Error::Api(_) => "api",
                Error::UnexpectedStatus(_) => "unexpected status",
                Error::Decode(_) => "decode",
                Error::ResponseTooLarge { .. } => "too large",
                Error::Transport { .. } => "transport",
                Error::Timeout { .. } => "timeout",
                Error::InvalidRequest(_) => "invalid request",
                Error::Config(_) => "config",
                _ => "other",
            })
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile bodies
// ---------------------------------------------------------------------------------------------

fn organization_json() -> Value {
    json!({
        "object": "organization", "id": "org_1", "name": "Acme", "slug": "acme",
        "image_url": "https://img.example.com/o.png", "has_image": true, "members_count": 1,
        "max_allowed_memberships": 0, "admin_delete_enabled": true,
        "public_metadata": {}, "private_metadata": {}, "created_at": 1, "updated_at": 2,
    })
}

fn membership_json() -> Value {
    json!({
        "id": "orgmem_1", "object": "organization_membership", "role": "org:admin",
        "permissions": ["org:sys_memberships:manage"], "public_metadata": {},
        "private_metadata": {}, "organization": organization_json(),
        "public_user_data": {
            "user_id": "user_1", "first_name": "Jane", "last_name": null,
            "image_url": "https://img.example.com/u.png", "has_image": true,
            "identifier": "jane@example.com",
        },
        "created_at": 1_717_000_000_000_i64, "updated_at": 1_717_000_500_000_i64,
    })
}

fn error_json() -> Value {
    json!({ "errors": [{ "message": "m", "long_message": "l", "code": "c" }], "clerk_trace_id": "t" })
}

/// A well-formed body for `status` on `op`, the base the mutations start from.
fn valid_body(op: Op, status: u16) -> Value {
    match (status, op) {
        (200..=299, Op::List | Op::ListForInstance) => {
            json!({ "data": [membership_json(), membership_json()], "total_count": 2 })
        }
        (200..=299, _) => membership_json(),
        _ => error_json(),
    }
}

const ODD_VALUES: &[&str] = &[
    "null",
    "0",
    "-1",
    "1e999999",
    "-1e999999",
    "123456789012345678901234567890123456789",
    "18446744073709551616",
    "-9223372036854775809",
    "1.7976931348623157e309",
    "0.000000000000000000000000000000000000000000000001",
    "true",
    "\"\"",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "\"some_unknown_enum_value\"",
    "[]",
    "{}",
    "[[[[[[[[[[]]]]]]]]]]",
    "{\"object\": \"a_kind_nobody_knows\"}",
];

/// Every node of `value` as a JSON pointer.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// How a reply body is made hostile.
#[derive(Clone, Debug)]
enum Hostility {
    RandomBytes(Vec<u8>),
    Truncated(usize),
    Nested(usize, bool),
    /// Replace a node with an odd value (giant numbers, wrong types, unknown enum values).
    Replace(usize, usize),
    /// Remove a node (missing required fields).
    Remove(usize),
    /// Add an unknown field next to a node.
    Extra(usize, usize),
    Valid,
}

fn hostility() -> impl Strategy<Value = Hostility> {
    prop_oneof![
        2 => proptest::collection::vec(any::<u8>(), 0..512).prop_map(Hostility::RandomBytes),
        2 => any::<usize>().prop_map(Hostility::Truncated),
        1 => ((1usize..200_000), any::<bool>()).prop_map(|(n, o)| Hostility::Nested(n, o)),
        4 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Hostility::Replace(a, b)),
        3 => any::<usize>().prop_map(Hostility::Remove),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Hostility::Extra(a, b)),
        1 => Just(Hostility::Valid),
    ]
}

fn hostile_body(op: Op, status: u16, hostility: &Hostility) -> Vec<u8> {
    let mut value = valid_body(op, status);
    let mut nodes = Vec::new();
    pointers(&value, String::new(), &mut nodes);
    let odd = |n: usize| -> Value {
        serde_json::from_str(ODD_VALUES[n % ODD_VALUES.len()]).unwrap_or(Value::Null)
    };
    let raw_odd = |n: usize| ODD_VALUES[n % ODD_VALUES.len()];
    match hostility {
        Hostility::RandomBytes(bytes) => return bytes.clone(),
        Hostility::Truncated(at) => {
            let text = value.to_string().into_bytes();
            return text[..at % text.len().max(1)].to_vec();
        }
        Hostility::Nested(depth, in_data) => {
            let mut text = if *in_data {
                b"{\"data\":".to_vec()
            } else {
                Vec::new()
            };
            text.extend(b"[".repeat(*depth));
            return text;
        }
        Hostility::Replace(a, b) => {
            let at = &nodes[a % nodes.len()];
            if at.is_empty() {
                // Numbers serde_json cannot hold as a `Value` go in as raw text.
                return raw_odd(*b).as_bytes().to_vec();
            }
            if let Some(slot) = value.pointer_mut(at) {
                *slot = Value::String("\u{1}placeholder\u{1}".into());
            }
            let text = value.to_string();
            return text
                .replace("\"\\u0001placeholder\\u0001\"", raw_odd(*b))
                .into_bytes();
        }
        Hostility::Remove(a) => {
            let at = nodes[a % nodes.len()].clone();
            if let Some((parent, key)) = at.rsplit_once('/')
                && let Some(container) = value.pointer_mut(parent)
            {
                match container {
                    Value::Object(map) => {
                        map.remove(key);
                    }
                    Value::Array(items) => {
                        if let Ok(i) = key.parse::<usize>()
                            && i < items.len()
                        {
                            items.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
        Hostility::Extra(a, b) => {
            let objects: Vec<&String> = nodes
                .iter()
                .filter(|p| value.pointer(p).is_some_and(Value::is_object))
                .collect();
            let at = objects[a % objects.len()].clone();
            if let Some(Value::Object(map)) = value.pointer_mut(&at) {
                map.insert(format!("extra_{b}"), odd(*b));
            }
        }
        Hostility::Valid => {}
    }
    value.to_string().into_bytes()
}

const STATUSES: &[u16] = &[
    200, 201, 204, 302, 400, 401, 403, 404, 418, 422, 429, 500, 503,
];

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200u16),
        3 => proptest::sample::select(STATUSES),
        1 => 100u16..1000,
    ]
}

fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        4 => Just(Some("application/json")),
        1 => Just(None),
        1 => Just(Some("text/html; charset=utf-8")),
        1 => Just(Some("application/json; charset=latin1")),
    ]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

fn run_property<S>(
    target: &str,
    default_cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let fuzz_seconds = std::env::var("SDKGEN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok());
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    let Some(seconds) = fuzz_seconds else {
        let started = Instant::now();
        let cases = config.cases;
        if let Err(error) = TestRunner::new(config).run(&strategy, &test) {
            panic!("{target}: {error}");
        }
        println!(
            "{target}: {cases} cases in {} ms",
            started.elapsed().as_millis()
        );
        return;
    };
    // Fuzzing: batches of fresh cases until the time is up; every failure is shrunk by
    // proptest and printed, and the run goes on.
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut cases, mut failures) = (0u64, 0u64);
    while Instant::now() < deadline {
        config.cases = 64;
        match TestRunner::new(config.clone()).run(&strategy, &test) {
            Ok(()) => cases += 64,
            Err(error) => {
                failures += 1;
                cases += 64;
                println!("{target}: FAILURE #{failures}: {error}");
            }
        }
    }
    println!("fuzz-report: target={target} cases={cases} failures={failures}");
    assert_eq!(failures, 0, "{target}: {failures} failures (see above)");
}

#[test]
fn random_replies_give_a_value_or_a_typed_error() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let client = client(&server);
    let kinds = Mutex::new(std::collections::BTreeMap::<String, usize>::new());
    run_property(
        "hostile-replies",
        256,
        (
            proptest::sample::select(&OPS[..]),
            status(),
            content_type(),
            hostility(),
        ),
        |(op, status, content_type, hostility)| {
            let body = hostile_body(op, status, &hostility);
            server.set(Reply {
                status,
                content_type,
                body: Body::Bytes(body),
            });
            let kind = rt
                .block_on(call_checked(op, &client))
                .map_err(TestCaseError::fail)?;
            *kinds
                .lock()
                .unwrap()
                .entry(format!("{status} {kind}"))
                .or_default() += 1;
            Ok(())
        },
    );
    let kinds = kinds.into_inner().unwrap();
    println!("outcomes: {kinds:?}");
}

/// The shapes the brief names, for every operation and its success and error statuses,
/// deterministically (the property above draws them at random).
#[test]
fn every_operation_survives_every_kind_of_hostile_body() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let client = client(&server);
    let shapes: Vec<(&str, Hostility)> = vec![
        (
            "random bytes",
            Hostility::RandomBytes(vec![0xff, 0x00, 0x7b, 0xfe, 0x22]),
        ),
        ("truncated JSON", Hostility::Truncated(37)),
        ("100k `[`", Hostility::Nested(100_000, false)),
        ("100k `[` in data", Hostility::Nested(100_000, true)),
        ("giant number", Hostility::Replace(3, 5)),
        ("wrong type", Hostility::Replace(7, 16)),
        ("missing field", Hostility::Remove(1)),
        ("extra field", Hostility::Extra(0, 4)),
        ("unknown enum value", Hostility::Replace(2, 14)),
    ];
    for op in OPS {
        for status in [200, 404, 422, 500] {
            for (what, hostility) in &shapes {
                server.set(Reply::bytes(status, hostile_body(op, status, hostility)));
                let kind = rt.block_on(call_checked(op, &client));
                let kind = kind.unwrap_or_else(|e| panic!("{op:?} {status} {what}: {e}"));
                // Bodies that cannot be read as the documented schema never pass as a value
                // on success statuses, except those that only add or reshape optional parts.
                if status == 200 && matches!(hostility, Hostility::Nested(..)) {
                    assert_eq!(kind, "decode", "{op:?} {status} {what}");
                }
            }
        }
    }
}

/// Unknown enum values and unknown fields decode (enums are open); a required field of the
/// wrong type is a decode error naming its JSON path.
#[test]
fn unknown_values_decode_and_wrong_types_name_their_path() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let client = client(&server);
    let mut membership = membership_json();
    membership["object"] = json!("organization_membership_v2");
    membership["organization"]["object"] = json!("org_v2");
    membership["brand_new_field"] = json!({ "deep": [1, { "x": null }] });
    server.set(Reply::json(200, &membership));
    let got = rt.block_on(Op::Delete.call(&client));
    assert!(got.is_ok(), "{got:?}");

    let mut membership = membership_json();
    membership["created_at"] = json!("yesterday");
    server.set(Reply::json(200, &membership));
    match rt.block_on(Op::Delete.call(&client)) {
        Err(Error::Decode(e)) => assert_eq!(e.path(), "created_at", "{e}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Huge bodies
// ---------------------------------------------------------------------------------------------

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 1 GiB answers (announced, and chunked without a length) stop at `max_response_bytes`:
/// a `ResponseTooLarge` error, quickly, with memory growth far below the body size.
#[test]
fn huge_bodies_are_cut_off_at_the_configured_limit() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let limit = 1024 * 1024;
    let client = Client::builder()
        .bearer_token(TOKEN)
        .base_url(&server.base_url)
        .no_retries()
        .max_response_bytes(limit)
        .build()
        .expect("the client builds");
    for op in OPS {
        for with_length in [true, false] {
            for status in [200, 422, 500] {
                server.set(Reply {
                    status,
                    content_type: Some("application/json"),
                    body: Body::Endless {
                        total: 1 << 30,
                        with_length,
                    },
                });
                let before = rss_kib();
                let started = Instant::now();
                let result = rt.block_on(op.call(&client));
                let elapsed = started.elapsed();
                let after = rss_kib();
                match result {
                    Err(Error::ResponseTooLarge {
                        limit: reported,
                        status: got,
                        ..
                    }) => {
                        assert_eq!(reported, limit);
                        assert_eq!(got.as_u16(), status);
                    }
                    other => panic!(
                        "{op:?} {status} length={with_length}: expected ResponseTooLarge, got {other:?}"
                    ),
                }
                assert!(
                    elapsed < Duration::from_secs(5),
                    "{op:?}: took {elapsed:?}: the body was read past the limit"
                );
                if let (Some(before), Some(after)) = (before, after) {
                    assert!(
                        after.saturating_sub(before) < 64 * 1024,
                        "{op:?}: RSS grew from {before} KiB to {after} KiB for a 1 GiB body"
                    );
                }
            }
        }
    }
}

/// The default limit holds too (16 MiB), without any configuration.
#[test]
fn the_default_limit_applies() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    server.set(Reply {
        status: 200,
        content_type: Some("application/json"),
        body: Body::Endless {
            total: 1 << 30,
            with_length: false,
        },
    });
    let result = rt.block_on(Op::ListForInstance.call(&client(&server)));
    assert!(
        matches!(result, Err(Error::ResponseTooLarge { limit, .. }) if limit == 16 * 1024 * 1024),
        "{result:?}"
    );
}

/// Pagination over a server that claims more items than it returns ends instead of asking
/// forever.
#[test]
fn pagination_over_empty_pages_ends() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let client = client(&server);
    server.set(Reply::json(
        200,
        &json!({ "data": [], "total_count": 9_000_000_000_000_i64 }),
    ));
    let items: Vec<_> = rt.block_on(
        client
            .organization_memberships()
            .list_for_instance()
            .stream()
            .take(1000)
            .collect::<Vec<_>>(),
    );
    assert!(items.is_empty(), "{items:?}");
    assert!(
        server.requests() <= 2,
        "{} requests for empty pages",
        server.requests()
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile values from the caller
// ---------------------------------------------------------------------------------------------

/// Each operation with one of its path parameters set to `value` (the others ordinary).
async fn call_with_path_param(
    client: &Client,
    op: Op,
    position: usize,
    value: &str,
) -> Result<String, Error> {
    let m = client.organization_memberships();
    let (org, user) = if position == 0 {
        (value, "user_1")
    } else {
        ("org_1", value)
    };
    let value = match op {
        Op::List => format!("{:?}", m.list(org).send().await?),
        Op::Create => format!("{:?}", m.create(org, "user_1", "admin").send().await?),
        Op::Delete => format!("{:?}", m.delete(org, user).send().await?),
        Op::Update => format!("{:?}", m.update(org, user, "admin").send().await?),
        Op::UpdateMetadata => format!("{:?}", m.update_metadata(org, user).send().await?),
        Op::ListForInstance => unreachable!("no path parameters"),
    };
    Ok(value)
}

fn path_params(op: Op) -> usize {
    match op {
        Op::List | Op::Create => 1,
        Op::Delete | Op::Update | Op::UpdateMetadata => 2,
        Op::ListForInstance => 0,
    }
}

/// The request line of a seen request: `GET /v1/... HTTP/1.1` → the target.
fn target(seen: &Seen) -> String {
    seen.head
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn path_parameters_that_would_change_the_url_are_refused_before_any_request() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let client = client(&server);
    for op in OPS {
        for position in 0..path_params(op) {
            for value in ["..", ".", ""] {
                let before = server.requests();
                let result = rt.block_on(call_with_path_param(&client, op, position, value));
                assert!(
                    matches!(result, Err(Error::InvalidRequest(_))),
                    "{op:?} parameter {position} = {value:?}: {result:?}"
                );
                assert_eq!(server.requests(), before, "{op:?}: a request was sent");
            }
        }
    }
}

#[test]
fn path_parameters_are_encoded_as_one_segment() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let client = client(&server);
    server.set(Reply::json(200, &membership_json()));
    let cases = [
        ("a/b", "a%2Fb"),
        ("../etc/passwd", "..%2Fetc%2Fpasswd"),
        ("a?b#c", "a%3Fb%23c"),
        ("%2F", "%252F"),
        ("sp ace", "sp%20ace"),
        ("ü", "%C3%BC"),
    ];
    for op in [Op::Delete, Op::Update, Op::UpdateMetadata] {
        for position in 0..2 {
            for (value, encoded) in &cases {
                server.take_seen();
                let _ = rt.block_on(call_with_path_param(&client, op, position, value));
                let seen = server.take_seen();
                assert_eq!(seen.len(), 1, "{op:?} {value:?}");
                let target = target(&seen[0]);
                let segments: Vec<&str> = target.trim_start_matches("/v1/").split('/').collect();
                // organizations/{org}/memberships/{user}[/metadata]
                let index = if position == 0 { 1 } else { 3 };
                assert_eq!(segments[index], *encoded, "{op:?}: {target}");
            }
        }
    }
}

#[test]
fn query_values_round_trip_exactly() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let client = client(&server);
    server.set(Reply::json(200, &json!({ "data": [], "total_count": 0 })));
    for value in ["a&b=c", "x#y", "line\r\nbreak", "ünï 日本", "+%20", ""] {
        server.take_seen();
        let _ = rt.block_on(
            client
                .organization_memberships()
                .list("org_1")
                .order_by(value)
                .send(),
        );
        let seen = server.take_seen();
        assert_eq!(seen.len(), 1);
        let target = target(&seen[0]);
        let query = target.split_once('?').map_or("", |(_, q)| q);
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode_query(k), decode_query(v))
            })
            .collect();
        assert_eq!(
            pairs,
            vec![("order_by".to_owned(), value.to_owned())],
            "{target}"
        );
    }
}

fn decode_query(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn header_values_and_names_with_cr_or_lf_are_refused() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let client = client(&server);
    let bad = [
        ("x-ok", "value\r\nx-injected: 1"),
        ("x-ok", "value\nx-injected: 1"),
        ("x-ok", "value\r"),
        ("x-bad\r\nx-injected", "1"),
        ("x bad", "1"),
        ("", "1"),
    ];
    for op in OPS {
        for (name, value) in bad {
            let before = server.requests();
            let options = RequestOptions::new().header(name, value);
            let m = client.organization_memberships();
            let result = rt.block_on(async {
                match op {
                    Op::List => m.list("org_1").options(options).send().await.map(drop),
                    Op::Create => m
                        .create("org_1", "user_1", "admin")
                        .options(options)
                        .send()
                        .await
                        .map(drop),
                    Op::Delete => m
                        .delete("org_1", "u")
                        .options(options)
                        .send()
                        .await
                        .map(drop),
                    Op::Update => m
                        .update("org_1", "u", "admin")
                        .options(options)
                        .send()
                        .await
                        .map(drop),
                    Op::UpdateMetadata => m
                        .update_metadata("org_1", "u")
                        .options(options)
                        .send()
                        .await
                        .map(drop),
                    Op::ListForInstance => m
                        .list_for_instance()
                        .options(options)
                        .send()
                        .await
                        .map(drop),
                }
            });
            assert!(
                matches!(result, Err(Error::InvalidRequest(_))),
                "{op:?} header {name:?}: {value:?}: {result:?}"
            );
            assert_eq!(server.requests(), before, "{op:?}: a request was sent");
        }
    }
}

#[test]
fn body_strings_are_json_escaped() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let client = client(&server);
    server.set(Reply::json(200, &membership_json()));
    let values = [
        "\"quoted\"",
        "back\\slash",
        "line\nbreak\r\n",
        "nul\u{0}byte",
        "</script><script>alert(1)</script>",
        "\u{2028}\u{2029}",
        "ünï 日本 🙂",
        "{\"role\": \"org:admin\"}",
    ];
    for value in values {
        server.take_seen();
        let m = client.organization_memberships();
        let _ = rt.block_on(m.create("org_1", value, value).send());
        let _ = rt.block_on(m.update("org_1", "user_1", value).send());
        let mut metadata = serde_json::Map::new();
        metadata.insert(value.to_owned(), json!(value));
        let _ = rt.block_on(
            m.update_metadata("org_1", "user_1")
                .public_metadata(metadata)
                .send(),
        );
        let seen = server.take_seen();
        assert_eq!(seen.len(), 3);
        let bodies: Vec<Value> = seen
            .iter()
            .map(|s| serde_json::from_slice(&s.body).expect("the body is JSON"))
            .collect();
        assert_eq!(bodies[0]["user_id"], json!(value));
        assert_eq!(bodies[0]["role"], json!(value));
        assert_eq!(bodies[0].as_object().unwrap().len(), 2, "{}", bodies[0]);
        assert_eq!(bodies[1], json!({ "role": value }));
        assert_eq!(bodies[2]["public_metadata"][value], json!(value));
    }
}

#[test]
fn the_secret_stays_out_of_debug_display_and_errors() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let client = client(&server);
    let check = |what: &str, text: String| {
        assert!(!text.contains(TOKEN), "{what} shows the secret: {text}");
        assert!(
            !text.contains("5ecret"),
            "{what} shows part of the secret: {text}"
        );
    };
    check("Client", format!("{client:?}"));
    check(
        "ClientBuilder",
        format!("{:?}", Client::builder().bearer_token(TOKEN)),
    );
    // Errors of every kind: API error, unexpected status, decode, too large, transport,
    // invalid request, and a server that echoes what it was sent.
    let replies = [
        Reply::json(422, &error_json()),
        Reply::json(418, &json!({ "teapot": true })),
        Reply::bytes(200, b"not json".to_vec()),
    ];
    for reply in replies {
        server.set(reply);
        for op in OPS {
            if let Err(e) = rt.block_on(op.call(&client)) {
                check("an error", format!("{e} {e:?}"));
            }
        }
    }
    let refused = Client::builder()
        .bearer_token(TOKEN)
        .base_url("http://127.0.0.1:9")
        .no_retries()
        .build()
        .expect("builds");
    let e = rt
        .block_on(Op::List.call(&refused))
        .expect_err("nothing listens on port 9");
    check("a transport error", format!("{e} {e:?}"));
    let e = rt
        .block_on(call_with_path_param(&client, Op::Delete, 1, ".."))
        .expect_err("refused");
    check("an invalid request", format!("{e} {e:?}"));
    // A token that is not a valid header value: the config error must not echo it. (Surrounding
    // whitespace, a trailing newline included, is trimmed, so the CR/LF sits inside.)
    let bad = format!("{TOKEN}\r\nX-Injected: 1");
    let e = Client::builder()
        .bearer_token(bad.as_str())
        .build()
        .expect_err("CR/LF in a token");
    check("a config error", format!("{e} {e:?}"));
    // The Authorization header went out only as `Bearer <token>`, on every request.
    for seen in server.take_seen() {
        assert!(
            seen.head
                .contains(&format!("authorization: Bearer {TOKEN}\r\n")),
            "{}",
            seen.head
        );
    }
}

/// TLS is on by default and cannot be turned off: the runtime builds reqwest with rustls and
/// never calls `danger_accept_invalid_certs`/`danger_accept_invalid_hostnames`, and
/// `ClientBuilder` has no method that would. An `https` base URL pointed at a plain-text
/// server fails the handshake instead of falling back to plain HTTP.
#[test]
fn tls_is_always_verified() {
    let runtime_sources = [
        include_str!("../src/runtime/client.rs"),
        include_str!("../src/runtime/mod.rs"),
    ];
    for source in runtime_sources {
        assert!(
            !source.contains("danger_accept_invalid"),
            "TLS verification can be disabled"
        );
        assert!(!source.contains("tls_built_in_root_certs(false)"));
    }
    assert!(runtime_sources[0].contains(".use_rustls_tls()"));
    let rt = runtime();
    let server = rt.block_on(Server::start());
    server.set(Reply::json(200, &json!({ "data": [], "total_count": 0 })));
    let https = server.base_url.replace("http://", "https://");
    let client = Client::builder()
        .bearer_token(TOKEN)
        .base_url(https)
        .no_retries()
        .build()
        .expect("builds");
    let result = rt.block_on(Op::ListForInstance.call(&client));
    assert!(
        matches!(result, Err(Error::Transport { .. })),
        "a plain-text server must fail the TLS handshake: {result:?}"
    );
}
