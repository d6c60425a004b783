//! The smoke program of one spec: a `main.rs` that calls every operation of the generated SDK
//! through its public builders (group method, required arguments, every optional setter it has
//! a value for), against a mock server, and prints one JSON line per call.
//!
//! The call surface comes from the generator's model ([`sdkgen::emit::builder_args`]); the
//! values from the spec (see [`super::values`]), embedded as JSON text and decoded into the
//! SDK's own types, so a value the types cannot hold shows up as an argument failure.

use std::fmt::Write as _;

use sdkgen::emit::{ArgSource, BuilderArg, builder_args};
use sdkgen::model::{Api, AuthKind, BodyKind, Operation, ParamLocation, TypeRef};
use serde_json::Value;

use super::values::{Source, Values};

/// What the harness knows about one operation of the program.
#[derive(Clone, Debug)]
pub struct OperationInfo {
    /// `operationId`.
    pub id: String,
    /// `GET /path`.
    pub route: String,
    /// How it is called: `client.group().method(…)`.
    pub call: String,
    /// Arguments whose example differs from the synthesized value: (name, example, synthesized).
    pub examples: Vec<(String, Value, Value)>,
    /// Arguments for which no value could be built from the spec (a default was used).
    pub unbuildable: Vec<String>,
    /// Whether the success reply Prism serves statically is an example the spec wrote (else
    /// Prism samples one from the schema).
    pub reply_example: bool,
}

/// The program's source and what each operation index stands for.
pub struct Program {
    pub main_rs: String,
    pub operations: Vec<OperationInfo>,
}

/// The smoke crate's manifest; `sdk` is the generated crate in `../sdk`.
pub fn manifest(package: &str, sdk_package: &str) -> String {
    format!(
        "[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nsdk = {{ path = \"../sdk\", package = \"{sdk_package}\" }}\nfutures-core = \"0.3\"\nserde = \"1\"\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"rt\", \"macros\", \"time\"] }}\n"
    )
}

pub fn program(api: &Api, spec: &Value) -> Program {
    let values = Values::new(spec);
    let mut functions = String::new();
    let mut calls = String::new();
    let mut operations = Vec::new();
    let mut index = 0;
    for group in &api.groups {
        for op in &group.operations {
            let (function, info) = operation(index, op, &group.method, api, &values, spec);
            functions.push_str(&function);
            let _ = writeln!(
                calls,
                "    exercise(&seen, {index}, {id:?}, {ex}, |options, ex| op_{index}(&client, options, ex)).await;",
                id = op.id,
                ex = !info.examples.is_empty(),
            );
            operations.push(info);
            index += 1;
        }
    }
    // Every kind of credential the API declares, so each operation finds the one it accepts.
    let mut setters: Vec<&str> = api
        .security_schemes
        .iter()
        .map(|scheme| match scheme.kind {
            AuthKind::Bearer | AuthKind::OAuth2 => ".bearer_token(\"sdkgen-conformance-token\")",
            AuthKind::Basic => ".basic_auth(\"sdkgen\", \"conformance\")",
            _ => ".api_key(\"sdkgen-conformance-key\")",
        })
        .collect();
    setters.sort_unstable();
    setters.dedup();
    let auth = setters.concat();
    let main_rs = PRELUDE
        .replace("/*AUTH*/", &auth)
        .replace("/*CALLS*/\n", &calls)
        + &functions;
    Program {
        main_rs,
        operations,
    }
}

/// The program's fixed part: client, bookkeeping, the call loop and the JSON report.
const PRELUDE: &str = r##"//! Conformance smoke program, written by `cargo xtask conformance`: calls every operation of
//! the generated SDK against a validating mock server and prints one JSON line per call.
#![allow(deprecated, unused_variables, clippy::all)]

use std::future::Future;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

/// What the hooks saw of the last call.
#[derive(Clone, Debug, Default)]
struct Seen {
    url: Option<String>,
    status: Option<u16>,
    violations: Option<String>,
    content_type: Option<String>,
}

type Shared = Arc<Mutex<Seen>>;

/// Why a call did not return a decoded body.
enum Failure {
    Argument(String),
    Sdk(sdk::Error),
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: smoke MOCK_URL");
        return ExitCode::FAILURE;
    };
    let seen = Shared::default();
    let (on_request, on_response) = (seen.clone(), seen.clone());
    let client = sdk::Client::builder()
        .base_url(url)
        .no_retries()
        .timeout(Duration::from_secs(120))
        /*AUTH*/
        .on_request(move |request| {
            if let Ok(mut seen) = on_request.lock() {
                seen.url = Some(request.url().to_owned());
            }
        })
        .on_response(move |response| {
            if let Ok(mut seen) = on_response.lock() {
                seen.status = response.status.map(|s| s.as_u16());
                let header = |name: &str| {
                    response
                        .headers
                        .and_then(|h| h.get(name))
                        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                };
                seen.violations = header("sl-violations");
                seen.content_type = header("content-type");
            }
        })
        .build();
    let client = match client {
        Ok(client) => client,
        Err(error) => {
            eprintln!("cannot build the client: {error}");
            return ExitCode::FAILURE;
        }
    };
/*CALLS*/
    ExitCode::SUCCESS
}

/// Calls one operation: answered with the static example, then with generated data under three
/// seeds. Values from the spec's examples are tried first; when the mock rejects that request
/// the call is repeated with synthesized values, and those are used from then on.
async fn exercise<F, Fut>(seen: &Shared, index: usize, id: &str, has_examples: bool, call: F)
where
    F: Fn(sdk::RequestOptions, bool) -> Fut,
    Fut: Future<Output = Result<(), Failure>>,
{
    let mut examples = has_examples;
    let mut rejected = attempt(seen, index, id, "static", examples, call(sdk::RequestOptions::new(), examples)).await;
    if rejected && examples {
        examples = false;
        rejected = attempt(seen, index, id, "static", examples, call(sdk::RequestOptions::new(), examples)).await;
    }
    if rejected {
        return;
    }
    for seed in 1..=3 {
        let options = sdk::RequestOptions::new().header("prefer", format!("dynamic=true, seed={seed}"));
        attempt(seen, index, id, &format!("seed {seed}"), examples, call(options, examples)).await;
    }
}

/// Runs one call, prints its line and tells whether the request was rejected.
async fn attempt(
    seen: &Shared,
    index: usize,
    id: &str,
    mode: &str,
    examples: bool,
    call: impl Future<Output = Result<(), Failure>>,
) -> bool {
    if let Ok(mut seen) = seen.lock() {
        *seen = Seen::default();
    }
    let result = call.await;
    let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
    let violations = seen.violations.as_deref().map(parse_violations).unwrap_or_default();
    let request_violation = violations.iter().any(|v| v["location"][0] == "request");
    let (outcome, refused) = match result {
        Ok(()) => (json!({"kind": "ok"}), false),
        Err(Failure::Argument(message)) => (json!({"kind": "argument", "message": message}), true),
        Err(Failure::Sdk(error)) => describe(error),
    };
    let line = json!({
        "op": index,
        "id": id,
        "mode": mode,
        "values": if examples { "examples" } else { "synthesized" },
        "url": seen.url,
        "status": seen.status,
        "content_type": seen.content_type,
        "violations": violations,
        "outcome": outcome,
    });
    println!("{line}");
    request_violation || refused
}

/// The violations of an `sl-violations` header. Prism cuts a long one at 8 KiB behind
/// `Too many violations! `; every complete entry before the cut is kept.
fn parse_violations(header: &str) -> Vec<Value> {
    let text = header.strip_prefix("Too many violations! ").unwrap_or(header);
    if let Ok(Value::Array(list)) = serde_json::from_str(text) {
        return list;
    }
    let mut list = Vec::new();
    let mut rest = text.strip_prefix('[').unwrap_or(text);
    while let Some(start) = rest.find('{') {
        let mut stream = serde_json::Deserializer::from_str(&rest[start..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                list.push(value);
                rest = &rest[start + stream.byte_offset()..];
            }
            _ => break,
        }
    }
    list
}

/// Prism's own errors that mean it did not serve the request as valid.
const REFUSALS: [&str; 8] = [
    "UNPROCESSABLE_ENTITY",
    "UNAUTHORIZED",
    "INVALID_CONTENT_TYPE",
    "NOT_ACCEPTABLE",
    "NOT_FOUND",
    "NO_PATH_MATCHED_ERROR",
    "NO_METHOD_MATCHED_ERROR",
    "NO_SERVER_MATCHED_ERROR",
];

/// The JSON form of an SDK error, and whether it means the request never got through.
fn describe(error: sdk::Error) -> (Value, bool) {
    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(&bytes[..bytes.len().min(4000)]).into_owned()
    }
    // A body that does not decode is kept whole (up to 4 MiB), to be checked against the
    // spec's schema.
    fn whole(bytes: &[u8]) -> String {
        String::from_utf8_lossy(&bytes[..bytes.len().min(4 << 20)]).into_owned()
    }
    fn mock_error(body: &str) -> bool {
        REFUSALS
            .iter()
            .any(|kind| body.contains(&format!("stoplight.io/prism/errors#{kind}\"")))
    }
    match error {
        sdk::Error::Decode(e) => (
            json!({"kind": "decode", "status": e.status().as_u16(), "path": e.path(), "message": e.message(), "body": whole(e.raw_body())}),
            false,
        ),
        sdk::Error::Api(e) => {
            let body = text(e.raw_body());
            let refused = mock_error(&body);
            (json!({"kind": "api", "status": e.status().as_u16(), "decoded": e.body().is_some(), "body": body}), refused)
        }
        sdk::Error::UnexpectedStatus(e) => {
            let body = text(e.raw_body());
            let refused = mock_error(&body);
            (json!({"kind": "unexpected_status", "status": e.status().as_u16(), "body": body}), refused)
        }
        sdk::Error::InvalidRequest(message) => (json!({"kind": "invalid_request", "message": message}), true),
        sdk::Error::Pagination(e) => (json!({"kind": "pagination", "message": e.to_string()}), false),
        other => (json!({"kind": "transport", "message": other.to_string()}), true),
    }
}

/// An argument from its JSON text.
fn arg<T: serde::de::DeserializeOwned>(name: &str, json: &str) -> Result<T, Failure> {
    serde_json::from_str(json).map_err(|e| Failure::Argument(format!("`{name}` = {json}: {e}")))
}

fn finish<T>(result: Result<T, sdk::Error>) -> Result<(), Failure> {
    result.map(drop).map_err(Failure::Sdk)
}

/// The first item of a paged operation's `stream()`: its first page, decoded and read for
/// where the next one is (the same request `send()` made).
async fn first_item<T>(
    stream: impl futures_core::Stream<Item = Result<T, sdk::Error>>,
) -> Result<(), Failure> {
    let mut stream = std::pin::pin!(stream);
    match std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        Some(Err(error)) => Err(Failure::Sdk(error)),
        Some(Ok(_)) | None => Ok(()),
    }
}
"##;

/// The function that calls operation `index`, and what the report needs to know about it.
fn operation(
    index: usize,
    op: &Operation,
    group_method: &str,
    api: &Api,
    values: &Values<'_>,
    spec: &Value,
) -> (String, OperationInfo) {
    let raw = RawOperation::find(spec, values, op);
    let args = builder_args(op, api);
    let body_values = raw.body_values(op, values);
    let mut lines = String::new();
    let mut required = Vec::new();
    let mut setters = Vec::new();
    let mut info = OperationInfo {
        id: op.id.clone(),
        route: format!("{} {}", op.http_method, op.path),
        call: String::new(),
        examples: Vec::new(),
        unbuildable: Vec::new(),
        reply_example: raw.reply_example(values),
    };
    for (n, arg) in args.iter().enumerate() {
        let local = format!("a{n}");
        let (example, synthesized) = match &arg.source {
            ArgSource::Param(i) => raw.param_values(&op.params[*i], values),
            ArgSource::BodyField(wire) => (
                body_values.0.as_ref().and_then(|b| b.get(wire)).cloned(),
                body_values.1.as_ref().and_then(|b| b.get(wire)).cloned(),
            ),
            ArgSource::Body => body_values.clone(),
        };
        // Deprecated parameters are left out unless required, as a careful caller would
        // (Prism reports sending them as a violation).
        if let ArgSource::Param(i) = &arg.source {
            if !arg.required && op.params[*i].docs.deprecated {
                continue;
            }
        }
        let synthesized = synthesized.or_else(|| example.clone());
        let example = example.or_else(|| synthesized.clone());
        let (Some(example), Some(synthesized)) = (example, synthesized) else {
            if arg.required {
                info.unbuildable.push(arg.name.clone());
                let fallback = fallback(&arg.ty, api);
                lines.push_str(&binding(&local, arg, &fallback, &fallback, &raw, op));
                required.push(local);
            }
            continue;
        };
        let example = coerce(&arg.ty, example);
        let synthesized = coerce(&arg.ty, synthesized);
        if example != synthesized {
            info.examples.push((
                arg.name.trim_start_matches("r#").to_owned(),
                example.clone(),
                synthesized.clone(),
            ));
        }
        lines.push_str(&binding(&local, arg, &example, &synthesized, &raw, op));
        if arg.required {
            required.push(local);
        } else {
            setters.push((arg.name.clone(), local));
        }
    }
    info.call = format!(
        "client.{}().{}(…)",
        group_method.trim_start_matches("r#"),
        op.method_name.trim_start_matches("r#")
    );
    let mut call = format!(
        "    let request = client.{group_method}().{}({});\n",
        op.method_name,
        required.join(", ")
    );
    for (setter, local) in setters {
        let _ = writeln!(call, "    let request = request.{setter}({local});");
    }
    // One page through `send()`; a paged operation then also through `stream()`.
    let send = if op.pagination.is_some() {
        "    let request = request.options(options);\n    finish(request.clone().send().await)?;\n    first_item(request.stream()).await\n"
    } else {
        "    finish(request.options(options).send().await)\n"
    };
    let function = format!(
        "\n/// `{route}` (operation `{id}`).\nasync fn op_{index}(client: &sdk::Client, options: sdk::RequestOptions, ex: bool) -> Result<(), Failure> {{\n{lines}{call}{send}}}\n",
        route = info.route,
        id = op.id.replace('`', "'"),
    );
    (function, info)
}

/// `let aN: T = …;` for one argument.
fn binding(
    local: &str,
    arg: &BuilderArg,
    example: &Value,
    synthesized: &Value,
    raw: &RawOperation<'_>,
    op: &Operation,
) -> String {
    match &arg.ty {
        TypeRef::Multipart => format!("    let {local} = {};\n", raw.multipart(synthesized, op)),
        TypeRef::Bytes => {
            let bytes = |v: &Value| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!(
                "    let {local}: Vec<u8> = if ex {{ {} }} else {{ {} }}.as_bytes().to_vec();\n",
                literal(&bytes(example)),
                literal(&bytes(synthesized))
            )
        }
        ty => {
            let name = arg.name.trim_start_matches("r#");
            let text = if example == synthesized {
                literal(&synthesized.to_string())
            } else {
                format!(
                    "if ex {{ {} }} else {{ {} }}",
                    literal(&example.to_string()),
                    literal(&synthesized.to_string())
                )
            };
            format!(
                "    let {local}: {} = arg({name:?}, {text})?;\n",
                rust_type(ty)
            )
        }
    }
}

/// Strings stay strings; where the SDK takes a string (a parameter described by `content`, a
/// text body), other JSON is sent as its text.
fn coerce(ty: &TypeRef, value: Value) -> Value {
    match (ty, value) {
        (TypeRef::String, Value::String(s)) => Value::String(s),
        (TypeRef::String, Value::Number(n)) => Value::String(n.to_string()),
        (TypeRef::String, Value::Bool(b)) => Value::String(b.to_string()),
        (TypeRef::String, other) => Value::String(other.to_string()),
        (_, value) => value,
    }
}

/// A value of the right shape when the spec gave nothing to build one from.
fn fallback(ty: &TypeRef, api: &Api) -> Value {
    match ty {
        TypeRef::String | TypeRef::Bytes | TypeRef::Json => Value::String("sdkgen".into()),
        TypeRef::I32 | TypeRef::I64 => 1.into(),
        TypeRef::F32 | TypeRef::F64 => 1.5.into(),
        TypeRef::Bool => true.into(),
        TypeRef::JsonObject | TypeRef::Map(_) | TypeRef::Multipart => {
            Value::Object(Default::default())
        }
        TypeRef::Array(_) => Value::Array(Vec::new()),
        TypeRef::Tuple(items) => Value::Array(items.iter().map(|t| fallback(t, api)).collect()),
        TypeRef::Nullable(inner) => fallback(inner, api),
        TypeRef::Named(name) => match api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
            Some(sdkgen::model::TypeKind::Enum { variants }) => variants
                .first()
                .map(|v| Value::String(v.wire_name.clone()))
                .unwrap_or_default(),
            Some(
                sdkgen::model::TypeKind::Alias(inner) | sdkgen::model::TypeKind::Newtype(inner),
            ) => fallback(inner, api),
            _ => Value::Object(Default::default()),
        },
    }
}

/// The Rust spelling of a stored type, from outside the SDK crate.
fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Multipart => "sdk::runtime::Multipart".into(),
        TypeRef::Array(item) => format!("Vec<{}>", rust_type(item)),
        TypeRef::Map(value) => format!("std::collections::BTreeMap<String, {}>", rust_type(value)),
        TypeRef::Tuple(items) => {
            let items: Vec<String> = items.iter().map(rust_type).collect();
            format!("({},)", items.join(", "))
        }
        TypeRef::Nullable(inner) => format!("Option<{}>", rust_type(inner)),
        TypeRef::Named(name) => format!("sdk::models::{name}"),
    }
}

/// A raw string literal holding `text`, with enough `#`s.
fn literal(text: &str) -> String {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// The operation as the spec writes it: its parameters (path-item ones merged in) and body.
struct RawOperation<'a> {
    params: Vec<&'a Value>,
    body: Option<&'a Value>,
    responses: Option<&'a Value>,
}

impl<'a> RawOperation<'a> {
    fn find(spec: &'a Value, values: &Values<'a>, op: &Operation) -> Self {
        let item = spec
            .get("paths")
            .and_then(|p| p.get(&op.path))
            .map(|item| values.resolve(item));
        let operation = item.and_then(|item| item.get(op.http_method.to_ascii_lowercase()));
        let mut params: Vec<&'a Value> = Vec::new();
        for list in [item, operation] {
            let list = list
                .and_then(|o| o.get("parameters"))
                .and_then(Value::as_array);
            for param in list.into_iter().flatten() {
                let param = values.resolve(param);
                let key = (param.get("name"), param.get("in"));
                params.retain(|p| (p.get("name"), p.get("in")) != key);
                params.push(param);
            }
        }
        let body = operation
            .and_then(|o| o.get("requestBody"))
            .map(|b| values.resolve(b));
        let responses = operation.and_then(|o| o.get("responses"));
        Self {
            params,
            body,
            responses,
        }
    }

    /// Whether the first 2XX response (the one Prism serves) has an `example` or `examples`.
    fn reply_example(&self, values: &Values<'_>) -> bool {
        let Some(Value::Object(responses)) = self.responses else {
            return false;
        };
        let mut success: Vec<(&String, &Value)> = responses
            .iter()
            .filter(|(code, _)| code.starts_with('2'))
            .collect();
        success.sort_by_key(|(code, _)| code.as_str());
        let Some((_, response)) = success.first() else {
            return false;
        };
        values
            .resolve(response)
            .get("content")
            .and_then(Value::as_object)
            .is_some_and(|content| {
                content
                    .values()
                    .any(|media| media.get("example").is_some() || media.get("examples").is_some())
            })
    }

    /// (example, synthesized) values of one parameter.
    fn param_values(
        &self,
        param: &sdkgen::model::Param,
        values: &Values<'_>,
    ) -> (Option<Value>, Option<Value>) {
        let location = match param.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        let Some(raw) = self.params.iter().find(|p| {
            p.get("name").and_then(Value::as_str) == Some(&param.wire_name)
                && p.get("in").and_then(Value::as_str) == Some(location)
        }) else {
            return (None, None);
        };
        let min_items = if param.location == ParamLocation::Query {
            2
        } else {
            1
        };
        let schema = raw.get("schema").or_else(|| {
            raw.get("content")
                .and_then(Value::as_object)
                .and_then(|c| c.values().next())
                .and_then(|m| m.get("schema"))
        });
        let synthesized = schema.and_then(|s| values.value(s, Source::Synthesized, min_items));
        let example = values
            .example_of(raw)
            .or_else(|| schema.and_then(|s| values.value(s, Source::Examples, min_items)));
        (example, synthesized)
    }

    /// The media type the SDK sends, as the spec writes it.
    fn media(&self, op: &Operation) -> Option<&'a Value> {
        let content = self.body?.get("content")?.as_object()?;
        let essence = super::media_essence;
        let wanted = |media: &str| match &op.body.as_ref()?.kind {
            BodyKind::Json => {
                let m = essence(media);
                Some(m == "application/json" || m.ends_with("+json"))
            }
            BodyKind::Form => Some(essence(media) == "application/x-www-form-urlencoded"),
            BodyKind::Multipart => Some(essence(media) == "multipart/form-data"),
            BodyKind::Raw(raw) => Some(essence(media) == *raw),
        };
        content
            .iter()
            .find(|(media, _)| wanted(media) == Some(true))
            .map(|(_, value)| value)
    }

    /// (example, synthesized) values of the whole body.
    fn body_values(&self, op: &Operation, values: &Values<'_>) -> (Option<Value>, Option<Value>) {
        let Some(media) = self.media(op) else {
            return (None, None);
        };
        let schema = media.get("schema");
        let min_items = match op.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Form) => 2,
            _ => 1,
        };
        let synthesized = schema.and_then(|s| values.value(s, Source::Synthesized, min_items));
        let example = values
            .example_of(media)
            .or_else(|| schema.and_then(|s| values.value(s, Source::Examples, min_items)));
        (example, synthesized)
    }

    /// A `Multipart` expression with one part per property of `value`: files for binary
    /// properties (or ones the encoding gives a non-text content type), text for the rest.
    fn multipart(&self, value: &Value, op: &Operation) -> String {
        let media = self.media(op);
        let properties = media
            .and_then(|m| m.get("schema"))
            .and_then(|s| s.get("properties"));
        let encoding = media.and_then(|m| m.get("encoding"));
        let mut expr = String::from("sdk::runtime::Multipart::new()");
        let Value::Object(object) = value else {
            return expr;
        };
        for (name, value) in object {
            let schema = properties.and_then(|p| p.get(name));
            let content_type = encoding
                .and_then(|e| e.get(name))
                .and_then(|e| e.get("contentType"))
                .and_then(Value::as_str);
            let binary = schema
                .and_then(|s| s.get("format"))
                .and_then(Value::as_str)
                .is_some_and(|f| f == "binary" || f == "base64")
                || content_type.is_some_and(|c| !c.starts_with("text/"));
            let items: Vec<&Value> = match value {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for item in items {
                let text = match item {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if binary {
                    let _ = write!(
                        expr,
                        ".file({name:?}, \"sdkgen.txt\", {:?}, {}.as_bytes().to_vec())",
                        content_type.unwrap_or("application/octet-stream"),
                        literal(&text)
                    );
                } else {
                    let _ = write!(expr, ".text({name:?}, {})", literal(&text));
                }
            }
        }
        expr
    }
}

#[cfg(test)]
mod tests {
    use super::literal;

    #[test]
    fn literals_survive_quotes_and_hashes() {
        assert_eq!(literal("a"), "r#\"a\"#");
        assert_eq!(literal("say \"#hi\""), "r##\"say \"#hi\"\"##");
    }
}
