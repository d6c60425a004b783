//! What the smoke programs' lines say: per spec, operations whose request Prism accepted,
//! replies the SDK decoded, failures grouped by cause, and what is not ours (the spec's own
//! examples breaking its schemas, the mock's generated data breaking them) with the evidence.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::reply_schema::{ReplySchemas, Violation};
use super::smoke::{OperationInfo, Program};
use super::twins;
use super::undefined;

/// How far one spec got.
#[derive(Debug)]
pub enum Status {
    /// The generator refused the spec.
    NotGenerated(String),
    /// The smoke program (so the SDK) did not compile.
    NotBuilt(String),
    /// Prism could not serve the spec.
    MockFailed(String),
    /// The program ran.
    Ran,
}

/// One failed call, or one operation whose request was refused.
#[derive(Debug)]
pub struct Failure {
    pub operation: String,
    pub route: String,
    pub mode: String,
    /// What it is grouped by.
    pub cause: String,
    /// The violation text, the URL sent, an excerpt of the body.
    pub detail: String,
}

/// One spec's results.
#[derive(Debug)]
pub struct SpecReport {
    pub spec: String,
    pub status: Status,
    pub operations: usize,
    /// Requests checked: one per operation, less those set aside as not ours (a construct
    /// the spec leaves undefined).
    pub requests: usize,
    pub accepted: usize,
    /// Replies checked: four per accepted operation, less those set aside as not ours.
    pub responses: usize,
    pub decoded: usize,
    pub failures: Vec<Failure>,
    /// The spec's own examples or the mock's own replies breaking the spec: not counted.
    pub not_ours: Vec<Failure>,
    pub notes: Vec<String>,
}

impl SpecReport {
    pub fn failed(spec: &str, status: Status) -> Self {
        Self {
            spec: spec.to_owned(),
            status,
            operations: 0,
            requests: 0,
            accepted: 0,
            responses: 0,
            decoded: 0,
            failures: Vec::new(),
            not_ours: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// Every operation accepted and every reply decoded (what is not ours aside).
    pub fn is_clean(&self) -> bool {
        matches!(self.status, Status::Ran | Status::NotGenerated(_))
            && self.failures.is_empty()
            && self.notes.is_empty()
            && self.accepted == self.requests
            && self.decoded == self.responses
    }
}

/// Reads the program's output; `schemas` is the spec's document, to check replies against.
pub fn analyze(spec: &str, program: &Program, stdout: &str, schemas: &ReplySchemas) -> SpecReport {
    let mut report = SpecReport::failed(spec, Status::Ran);
    report.operations = program.operations.len();
    report.requests = program.operations.len();
    let mut by_op: BTreeMap<usize, Vec<Value>> = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if let Some(op) = value["op"].as_u64() {
            by_op.entry(op as usize).or_default().push(value);
        }
    }
    for (index, info) in program.operations.iter().enumerate() {
        let lines = by_op.remove(&index).unwrap_or_default();
        operation(&mut report, info, &lines, schemas);
    }
    report
}

fn operation(
    report: &mut SpecReport,
    info: &OperationInfo,
    lines: &[Value],
    schemas: &ReplySchemas,
) {
    let (method, path) = info.route.split_once(' ').unwrap_or(("", &info.route));
    // Another operation answers to the same request (a `#fragment` is never sent): what the
    // mock replies is that operation's reply.
    let twin = twins::twin(schemas.document(), method, path);
    let fail = |mode: &str, cause: String, detail: String| Failure {
        operation: info.id.clone(),
        route: info.route.clone(),
        mode: mode.to_owned(),
        cause,
        detail,
    };
    let statics: Vec<&Value> = lines.iter().filter(|l| l["mode"] == "static").collect();
    let Some(last) = statics.last() else {
        report.failures.push(fail(
            "static",
            "not called (the program stopped first)".into(),
            String::new(),
        ));
        return;
    };
    if !info.unbuildable.is_empty() {
        report.notes.push(format!(
            "`{}`: no value could be built from the spec for {}; a default was sent",
            info.id,
            info.unbuildable.join(", ")
        ));
    }
    if rejected(last) {
        let (cause, detail) = rejection(last);
        // Refused only for query parameters whose wire form OpenAPI leaves undefined: the
        // spec's gap, set aside with the evidence.
        if let Some(evidence) = undefined_construct(schemas, method, path, last) {
            report.requests -= 1;
            report.not_ours.push(fail(
                "static",
                "spec: a query parameter whose wire form OpenAPI leaves undefined".into(),
                format!("{evidence}; {detail}"),
            ));
            return;
        }
        report.failures.push(fail("static", cause, detail));
        return;
    }
    // The spec's example values were refused and the synthesized ones accepted: the examples
    // break the spec's own rules; the evidence is Prism's violation and the values.
    if statics.len() > 1 && rejected(statics[0]) {
        let (_, violation) = rejection(statics[0]);
        let values: Vec<String> = info
            .examples
            .iter()
            .map(|(name, example, synthesized)| {
                format!(
                    "`{name}`: example `{}` (accepted instead: `{}`)",
                    clip(&example.to_string(), 200),
                    clip(&synthesized.to_string(), 120)
                )
            })
            .collect();
        report.not_ours.push(fail(
            "static",
            "spec: an example breaks its own schema".into(),
            format!("{violation}; {}", values.join("; ")),
        ));
    }
    report.accepted += 1;
    for line in lines
        .iter()
        .filter(|l| l["mode"] != "static")
        .chain([*last])
    {
        let mode = line["mode"].as_str().unwrap_or_default().to_owned();
        let outcome = &line["outcome"];
        // A documented non-2XX reply (Prism serves one when the operation lists no 2XX) that
        // the SDK decoded into its typed `Error::Api` body is a decoded reply too.
        if outcome["kind"] == "ok" || (outcome["kind"] == "api" && outcome["decoded"] == true) {
            report.responses += 1;
            report.decoded += 1;
            continue;
        }
        if let Some(error) = mock_error(outcome) {
            // Prism could not produce a reply: no response or schema to build one from, a
            // complex example for a text type, a schema too complex for its generator.
            let title = serde_json::from_str::<Value>(outcome["body"].as_str().unwrap_or_default())
                .ok()
                .and_then(|b| b["title"].as_str().map(str::to_owned))
                .unwrap_or_default();
            report.not_ours.push(fail(
                &mode,
                format!("mock: Prism could not produce a reply ({error})"),
                format!("status {}: {title}", outcome["status"]),
            ));
            continue;
        }
        if outcome["kind"] == "pagination" {
            // `stream()` read the page `send()` decoded and found it cannot be followed (more
            // items, but no cursor): data the mock made up, or the spec's own example.
            let cause = match (mode.as_str(), info.reply_example) {
                ("static", true) => "spec: the response example is a page that cannot be followed",
                _ => {
                    "mock: Prism's page cannot be followed (`stream()` stops with `Error::Pagination`)"
                }
            };
            report.not_ours.push(fail(
                &mode,
                cause.into(),
                outcome["message"].as_str().unwrap_or_default().to_owned(),
            ));
            continue;
        }
        if let Some(twin) = &twin {
            let (_, detail) = reply_failure(line);
            report.not_ours.push(fail(
                &mode,
                "mock: the request is another operation's (a `#fragment` is never sent), and Prism answered for that one".into(),
                format!("`{}` is sent as {twin} is; {detail}", info.route),
            ));
            continue;
        }
        if outcome["kind"] == "decode" {
            // Prism's own finding, else a JSON Schema validator's (Prism does not check every
            // reply it serves, its static examples among them).
            let found = matching_response_violation(line)
                .map(|v| (format!("Prism: {v}"), None))
                .or_else(|| {
                    schema_violation(schemas, method, path, line).map(|v| {
                        // A static reply sampled from the schema takes the schemas' own
                        // `example`s: the breaking value may be one the spec wrote.
                        let example = spec_example(schemas, line, &v);
                        (format!("validator: {}", v.evidence()), example)
                    })
                });
            if let Some((violation, example)) = found {
                let cause = match (mode.as_str(), info.reply_example, &example) {
                    ("static", true, _) => "spec: the response example breaks its own schema",
                    ("static", false, Some(_)) => {
                        "spec: a schema's `example`, which Prism's static reply is built from, breaks the schema"
                    }
                    ("static", false, None) => {
                        "mock: Prism's static reply, sampled from the schema, breaks it"
                    }
                    _ => "mock: Prism generated data that breaks the schema",
                };
                let violation = match (mode.as_str(), &example) {
                    ("static", Some(at)) => format!("{violation}; the value is the spec's `{at}`"),
                    _ => violation,
                };
                report.not_ours.push(fail(
                    &mode,
                    cause.into(),
                    format!(
                        "{violation}; SDK: `{}`: {}",
                        outcome["path"].as_str().unwrap_or_default(),
                        outcome["message"].as_str().unwrap_or_default()
                    ),
                ));
                continue;
            }
        }
        report.responses += 1;
        let (cause, detail) = reply_failure(line);
        report.failures.push(fail(&mode, cause, detail));
    }
}

/// Prism's own errors that mean it did not serve the request as valid (any other error of its
/// own means it could not produce a reply).
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

/// Whether Prism (or the SDK, or the harness) kept the request from being served.
fn rejected(line: &Value) -> bool {
    let outcome = &line["outcome"];
    let kind = outcome["kind"].as_str().unwrap_or_default();
    !request_violations(line).is_empty()
        || matches!(kind, "argument" | "invalid_request" | "transport")
        || mock_error(outcome).is_some_and(|e| REFUSALS.contains(&e.as_str()))
}

fn request_violations(line: &Value) -> Vec<String> {
    violations(line, "request")
}

/// `location: message` of each violation Prism reported about `side` (request or response).
fn violations(line: &Value, side: &str) -> Vec<String> {
    line["violations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["location"][0] == side)
        .map(|v| {
            let location: Vec<String> = v["location"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_owned))
                .collect();
            format!(
                "{}: {}",
                location.join("."),
                v["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// The error type of a problem document Prism wrote itself (`…/prism/errors#NO_PATH_MATCHED_ERROR`).
fn mock_error(outcome: &Value) -> Option<String> {
    let body = outcome["body"].as_str()?;
    let start = body.find("stoplight.io/prism/errors#")? + "stoplight.io/prism/errors#".len();
    Some(
        body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect(),
    )
}

/// When every request violation of `line` is about a query parameter whose construct OpenAPI
/// leaves undefined (see [`undefined`]), what each is and where.
fn undefined_construct(
    schemas: &ReplySchemas,
    method: &str,
    path: &str,
    line: &Value,
) -> Option<String> {
    let located: Vec<&Value> = line["violations"]
        .as_array()?
        .iter()
        .filter(|v| v["location"][0] == "request")
        .collect();
    let mut evidence: Vec<String> = Vec::new();
    for violation in &located {
        if violation["location"][1] != "query" {
            return None;
        }
        let name = violation["location"][2].as_str()?;
        let (at, what) = undefined::query_parameter(schemas.document(), method, path, name)?;
        let text = format!(
            "`{name}` (`{at}`) is {what}, which OpenAPI defines for arrays of primitive values only; the SDK sends each item as its JSON text and the generator warns at the parameter"
        );
        if !evidence.contains(&text) {
            evidence.push(text);
        }
    }
    (!evidence.is_empty()).then(|| evidence.join("; "))
}

/// The cause and detail of a refused request.
fn rejection(line: &Value) -> (String, String) {
    let outcome = &line["outcome"];
    let url = line["url"].as_str().map(strip_origin).unwrap_or_default();
    let kind = outcome["kind"].as_str().unwrap_or_default();
    let violations = request_violations(line);
    if let Some(first) = violations.first() {
        let (location, message) = first.split_once(": ").unwrap_or((first, ""));
        let place = location.split('.').nth(1).unwrap_or("request");
        return (
            format!("request {place}: {}", normalize(message)),
            format!("{} (sent `{url}`)", clip(&violations.join("; "), 1500)),
        );
    }
    match kind {
        "argument" => (
            format!(
                "argument does not decode into the SDK type: {}",
                normalize(after_colon(outcome["message"].as_str().unwrap_or_default()))
            ),
            clip(outcome["message"].as_str().unwrap_or_default(), 600),
        ),
        "invalid_request" => (
            format!(
                "the SDK refused the request: {}",
                normalize(outcome["message"].as_str().unwrap_or_default())
            ),
            clip(outcome["message"].as_str().unwrap_or_default(), 600),
        ),
        "transport" => (
            "transport error".into(),
            clip(outcome["message"].as_str().unwrap_or_default(), 600),
        ),
        _ => {
            let error = mock_error(outcome).unwrap_or_default();
            (
                format!("Prism refused the request: {error}"),
                format!(
                    "status {} for `{} {url}`: {}",
                    outcome["status"],
                    line["id"].as_str().unwrap_or_default(),
                    clip(outcome["body"].as_str().unwrap_or_default(), 600)
                ),
            )
        }
    }
}

/// The cause and detail of a reply that did not decode (or was not a success).
fn reply_failure(line: &Value) -> (String, String) {
    let outcome = &line["outcome"];
    let body = clip(outcome["body"].as_str().unwrap_or_default(), 400);
    let content_type = line["content_type"].as_str().unwrap_or("none");
    match outcome["kind"].as_str().unwrap_or_default() {
        "decode" => (
            format!(
                "reply does not decode: {}",
                normalize(outcome["message"].as_str().unwrap_or_default())
            ),
            format!(
                "status {}, content-type {content_type}, at `{}`: {}; body: {body}",
                outcome["status"],
                outcome["path"].as_str().unwrap_or_default(),
                outcome["message"].as_str().unwrap_or_default()
            ),
        ),
        kind => (
            format!("reply with status {} ({kind})", outcome["status"]),
            format!("content-type {content_type}; body: {body}"),
        ),
    }
}

/// A response violation at (or around) where decoding failed, when Prism reported one.
fn matching_response_violation(line: &Value) -> Option<String> {
    let path = segments(line["outcome"]["path"].as_str().unwrap_or_default());
    line["violations"]
        .as_array()?
        .iter()
        .filter(|v| v["location"][0] == "response")
        .find(|v| {
            let location: Vec<String> = v["location"]
                .as_array()
                .into_iter()
                .flatten()
                .skip(2) // "response", "body"
                .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_owned))
                .collect();
            if path.is_empty() {
                return location.is_empty();
            }
            let common = path
                .iter()
                .zip(&location)
                .take_while(|(a, b)| a == b)
                .count();
            common == path.len().min(location.len())
        })
        .map(|v| {
            format!(
                "{}: {}",
                v["location"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join("."),
                v["message"].as_str().unwrap_or_default()
            )
        })
}

/// A violation of the response schema the spec declares, found by a validator in the reply
/// body, that accounts for where decoding failed (see [`super::reply_schema::Violation::explains`]).
/// `None` when there is none, or the body is not whole JSON, or the schema does not compile:
/// the failure then stays ours.
fn schema_violation(
    schemas: &ReplySchemas,
    method: &str,
    path: &str,
    line: &Value,
) -> Option<Violation> {
    let outcome = &line["outcome"];
    let body: Value = serde_json::from_str(outcome["body"].as_str()?).ok()?;
    let status = u16::try_from(outcome["status"].as_u64()?).ok()?;
    let decoded = segments(outcome["path"].as_str().unwrap_or_default());
    schemas
        .violations(method, path, status, line["content_type"].as_str(), &body)
        .ok()?
        .into_iter()
        .find(|v| v.explains(&decoded))
}

/// Where the spec writes, as a schema's `example`, the value that breaks the schema or a value
/// that encloses it in the reply (Prism builds a static reply from the examples of the
/// schemas it meets, an enclosing object's example included).
fn spec_example(schemas: &ReplySchemas, line: &Value, violation: &Violation) -> Option<String> {
    let body: Value = serde_json::from_str(line["outcome"]["body"].as_str()?).ok()?;
    let mut candidates = vec![violation.instance.clone()];
    let mut value = &body;
    let mut enclosing = vec![body.clone()];
    for segment in &violation.path {
        value = match value {
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            other => other.get(segment)?,
        };
        enclosing.push(value.clone());
    }
    // The innermost first.
    enclosing.reverse();
    candidates.extend(enclosing);
    candidates.iter().find_map(|c| schemas.example_of(c))
}

/// `data[0].created_at` → `["data", "0", "created_at"]`.
fn segments(path: &str) -> Vec<String> {
    path.split(['.', '[', ']'])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A cause without the specifics of one call: quoted names and numbers dropped.
fn normalize(message: &str) -> String {
    let mut out = String::new();
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                for next in chars.by_ref() {
                    if next == c {
                        break;
                    }
                }
                out.push('…');
            }
            '0'..='9' => {
                while chars.peek().is_some_and(|n| n.is_ascii_digit()) {
                    chars.next();
                }
                out.push('N');
            }
            _ => out.push(c),
        }
    }
    // "Request query parameter limit must …" names the parameter.
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut kept = Vec::with_capacity(words.len());
    let mut skip_next = false;
    for word in words {
        if skip_next {
            kept.push("…");
            skip_next = false;
            continue;
        }
        skip_next = word == "parameter" || word == "property" || word == "field";
        kept.push(word);
    }
    clip(&kept.join(" "), 140)
}

fn after_colon(message: &str) -> &str {
    message.rsplit_once(": ").map_or(message, |(_, rest)| rest)
}

fn strip_origin(url: &str) -> String {
    url.split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_else(|| url.to_owned())
}

fn clip(text: &str, max: usize) -> String {
    let text = text.replace(['\n', '\r'], " ");
    if text.chars().count() <= max {
        text
    } else {
        text.chars().take(max).collect::<String>() + "…"
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".into()
    } else {
        format!(
            "{part}/{whole} ({:.0}%)",
            100.0 * part as f64 / whole as f64
        )
    }
}

/// The top causes of a spec's failures, most frequent first.
fn top_causes(report: &SpecReport, limit: usize) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for failure in &report.failures {
        *counts.entry(failure.cause.as_str()).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> =
        counts.into_iter().map(|(c, n)| (c.to_owned(), n)).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.truncate(limit);
    counts
}

/// The table: spec | operations | requests accepted | responses decoded | not ours | top causes.
pub fn summary_table(reports: &[SpecReport]) -> String {
    let mut out = String::from(
        "| spec | ops | requests accepted | responses decoded | spec/mock bugs | top failure causes |\n|---|---:|---:|---:|---:|---|\n",
    );
    for r in reports {
        let causes = match &r.status {
            Status::NotGenerated(m) => format!("not generated: {}", clip(m, 160)),
            Status::NotBuilt(m) => {
                format!("SDK or smoke program did not compile: {}", clip(m, 160))
            }
            Status::MockFailed(m) => format!("Prism could not serve it: {}", clip(m, 160)),
            Status::Ran => top_causes(r, 3)
                .iter()
                .map(|(cause, n)| format!("{n}× {cause}"))
                .chain(r.notes.iter().map(|n| clip(n, 160)))
                .collect::<Vec<_>>()
                .join("; "),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.spec,
            r.operations,
            percent(r.accepted, r.requests),
            percent(r.decoded, r.responses),
            r.not_ours.len(),
            causes.replace('|', "\\|")
        );
    }
    out
}

/// The whole of CONFORMANCE.md.
pub fn render(reports: &[SpecReport], prism_version: &str) -> String {
    let mut out = format!(
        "# Conformance: every operation on the wire\n\nWritten by `cargo xtask conformance` (Stoplight Prism {prism_version}). Each operation of each spec is called through the generated SDK's public builders against Prism serving that spec with request validation. A request is accepted when Prism reports no `sl-violations` about it; its reply is decoded four times: Prism's static example and generated data under three seeds (`Prefer: dynamic=true, seed=N`). Values come from the spec's examples, else are synthesized from its schemas. What is not the SDK's fault is listed apart as a spec or mock bug, with the evidence, and not counted: examples and replies that break the spec's own schemas (by Prism's validation, or, for a reply that does not decode, by a JSON Schema validator checking it against the declared response schema and finding a violation where decoding failed, at an enclosing value or inside it); replies to an operation whose path differs from another's only by a `#fragment`, which is never sent, so Prism answers for the other one; requests refused only at a query parameter whose wire form OpenAPI leaves undefined (arrays of objects or arrays in `form`, `spaceDelimited` or `pipeDelimited` style), which are not counted as requests either. Prism is served a copy of the spec with fixes for what it cannot read otherwise (see `xtask/src/conformance/mock_spec.rs`): in form and multipart bodies, the OpenAPI default `style: form, explode: true` (repeated keys or parts, what the SDK sends) written out for array properties without an Encoding Object entry, and `null` dropped from nullable array properties; in multipart bodies, any value for object properties (the SDK sends them as JSON parts, which Prism does not parse); in form and multipart bodies, an empty schema `{{}}` for names listed in `required` without a property schema (Prism reads those bodies by their `properties` and drops other fields, so it refuses such a name as missing however it is sent); in `spaceDelimited` and `pipeDelimited` query arrays, which Prism does not split, any items accepted.\n\n"
    );
    out.push_str(&summary_table(reports));
    let total_ops: usize = reports.iter().map(|r| r.operations).sum();
    let total_requests: usize = reports.iter().map(|r| r.requests).sum();
    let total_accepted: usize = reports.iter().map(|r| r.accepted).sum();
    let total_responses: usize = reports.iter().map(|r| r.responses).sum();
    let total_decoded: usize = reports.iter().map(|r| r.decoded).sum();
    let _ = writeln!(
        out,
        "\nIn all: {} operations, requests accepted {}, responses decoded {}.",
        total_ops,
        percent(total_accepted, total_requests),
        percent(total_decoded, total_responses)
    );
    let details = |out: &mut String, title: &str, pick: &dyn Fn(&SpecReport) -> &Vec<Failure>| {
        if reports.iter().all(|r| pick(r).is_empty()) {
            return;
        }
        let _ = writeln!(out, "\n## {title}");
        for r in reports.iter().filter(|r| !pick(r).is_empty()) {
            let _ = writeln!(out, "\n### {}\n", r.spec);
            let mut by_cause: BTreeMap<&str, Vec<&Failure>> = BTreeMap::new();
            for f in pick(r) {
                by_cause.entry(f.cause.as_str()).or_default().push(f);
            }
            let mut causes: Vec<_> = by_cause.into_iter().collect();
            causes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(b.0)));
            for (cause, failures) in causes {
                let _ = writeln!(
                    out,
                    "- **{}** ({}×)",
                    cause.replace('|', "\\|"),
                    failures.len()
                );
                const SHOWN: usize = 8;
                for f in failures.iter().take(SHOWN) {
                    let _ = writeln!(
                        out,
                        "  - `{}` (`{}`, {}): {}",
                        f.operation,
                        f.route,
                        f.mode,
                        f.detail.replace('|', "\\|")
                    );
                }
                if failures.len() > SHOWN {
                    let _ = writeln!(out, "  - … and {} more", failures.len() - SHOWN);
                }
            }
        }
    };
    details(&mut out, "Failures", &|r| &r.failures);
    details(&mut out, "Spec and mock bugs (not counted)", &|r| {
        &r.not_ours
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn program(id: &str) -> Program {
        Program {
            main_rs: String::new(),
            operations: vec![OperationInfo {
                id: id.into(),
                route: "GET /pets".into(),
                call: "client.pets().list(…)".into(),
                examples: vec![("limit".into(), json!("ten"), json!(1))],
                unbuildable: Vec::new(),
                reply_example: true,
            }],
        }
    }

    fn no_spec() -> ReplySchemas {
        ReplySchemas::new(json!({}))
    }

    fn line(mode: &str, values: &str, violations: Value, outcome: Value) -> String {
        json!({"op": 0, "id": "listPets", "mode": mode, "values": values, "url": "http://127.0.0.1:1/pets?limit=1", "status": 200, "content_type": "application/json", "violations": violations, "outcome": outcome}).to_string()
    }

    #[test]
    fn accepted_and_decoded_calls_count_fully() {
        let ok = json!({"kind": "ok"});
        let out = ["static", "seed 1", "seed 2", "seed 3"]
            .map(|m| line(m, "synthesized", json!([]), ok.clone()))
            .join("\n");
        let report = analyze("pets", &program("listPets"), &out, &no_spec());
        assert_eq!(
            (report.accepted, report.responses, report.decoded),
            (1, 4, 4)
        );
        assert!(report.is_clean());
    }

    #[test]
    fn a_refused_example_with_an_accepted_fallback_is_a_spec_bug() {
        let violation =
            json!([{"location": ["request", "query", "limit"], "message": "must be integer"}]);
        let ok = json!({"kind": "ok"});
        let out = [
            line(
                "static",
                "examples",
                violation,
                json!({"kind": "api", "status": 422, "body": "{}"}),
            ),
            line("static", "synthesized", json!([]), ok.clone()),
            line("seed 1", "synthesized", json!([]), ok.clone()),
            line("seed 2", "synthesized", json!([]), ok.clone()),
            line("seed 3", "synthesized", json!([]), ok),
        ]
        .join("\n");
        let report = analyze("pets", &program("listPets"), &out, &no_spec());
        assert!(report.is_clean(), "{report:?}");
        assert_eq!(report.not_ours.len(), 1);
        assert!(
            report.not_ours[0]
                .detail
                .contains("request.query.limit: must be integer")
        );
    }

    #[test]
    fn decode_failures_are_ours_unless_prism_says_the_reply_breaks_the_spec() {
        let decode = json!({"kind": "decode", "status": 200, "path": "data[0].id", "message": "invalid type", "body": "{}"});
        let broken = json!([{"location": ["response", "body", "data", "0", "id"], "message": "must be string"}]);
        let out = [
            line("static", "synthesized", broken, decode.clone()),
            line("seed 1", "synthesized", json!([]), decode),
        ]
        .join("\n");
        let report = analyze("pets", &program("listPets"), &out, &no_spec());
        assert_eq!(report.not_ours.len(), 1);
        // The spec wrote the static reply itself: its example breaks its own schema.
        assert_eq!(
            report.not_ours[0].cause,
            "spec: the response example breaks its own schema"
        );
        assert_eq!(report.failures.len(), 1);
        assert_eq!(
            report.failures[0].cause,
            "reply does not decode: invalid type"
        );
        assert_eq!((report.responses, report.decoded), (1, 0));
        assert!(!report.is_clean());

        // Without an example, Prism sampled the static reply from the schema: its bug, not
        // the spec's.
        let mut sampled = program("listPets");
        sampled.operations[0].reply_example = false;
        let report = analyze("pets", &sampled, &out, &no_spec());
        assert_eq!(
            report.not_ours[0].cause,
            "mock: Prism's static reply, sampled from the schema, breaks it"
        );
    }

    /// A spec whose `GET /pets` replies `{"owner": {"login": string}}` (OpenAPI 3.0, so
    /// `nullable` is translated), and whose `GET /pets#mine` is `GET /pets` on the wire.
    fn pets_spec() -> ReplySchemas {
        ReplySchemas::new(json!({
            "openapi": "3.0.3",
            "paths": {
                "/pets": {"get": {"operationId": "listPets", "responses": {"200": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pets"}
                }}}}}},
                "/pets#mine": {"get": {"operationId": "listMyPets", "responses": {"200": {"content": {"application/json": {
                    "schema": {"type": "object", "required": ["mine"]}
                }}}}}}
            },
            "components": {"schemas": {"Pets": {"type": "object", "properties": {
                "owner": {"type": "object", "nullable": true, "properties": {"login": {"type": "string"}}},
                "tag": {"type": "string"}
            }}}}
        }))
    }

    fn decode_line(mode: &str, path: &str, body: &str) -> String {
        let outcome = json!({"kind": "decode", "status": 200, "path": path, "message": "invalid type", "body": body});
        line(mode, "synthesized", json!([]), outcome)
    }

    #[test]
    fn a_reply_that_breaks_its_schema_where_decoding_failed_is_not_ours() {
        // (decode path, body, not ours)
        let table = [
            // The violation is at the failure, above it, or under it.
            ("owner", r#"{"owner": [{"login": "a"}]}"#, true),
            ("owner[0]", r#"{"owner": [{"login": "a"}]}"#, true),
            ("owner.login", r#"{"owner": {"login": 1}}"#, true),
            (".", r#"{"owner": {"login": 1}}"#, true),
            // Elsewhere, or nowhere (a `null` owner is fine: `nullable` in 3.0).
            ("owner", r#"{"owner": {"login": "a"}, "tag": 1}"#, false),
            ("owner", r#"{"owner": null}"#, false),
            // Not whole JSON (cut short): nothing to check, so ours.
            ("owner", r#"{"owner": [tru"#, false),
        ];
        for (path, body, not_ours) in table {
            let out = decode_line("static", path, body);
            let report = analyze("pets", &program("listPets"), &out, &pets_spec());
            assert_eq!(
                report.not_ours.len(),
                usize::from(not_ours),
                "{path}: {report:?}"
            );
            assert_eq!(
                report.failures.len(),
                usize::from(!not_ours),
                "{path}: {report:?}"
            );
            if not_ours {
                assert_eq!(
                    report.not_ours[0].cause,
                    "spec: the response example breaks its own schema"
                );
                assert!(
                    report.not_ours[0].detail.starts_with("validator: /"),
                    "{report:?}"
                );
            }
        }
    }

    #[test]
    fn a_sampled_static_reply_that_breaks_the_schema_with_the_specs_own_example_is_the_specs() {
        let spec = ReplySchemas::new(json!({
            "openapi": "3.1.0",
            "paths": {"/pets": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"owner": {"type": "object", "example": [{"login": "a"}]}}
            }}}}}}}}
        }));
        let mut sampled = program("listPets");
        sampled.operations[0].reply_example = false;
        let out = [
            decode_line("static", "owner", r#"{"owner": [{"login": "a"}]}"#),
            decode_line("seed 1", "owner", r#"{"owner": [{"login": "b"}]}"#),
        ]
        .join("\n");
        let report = analyze("pets", &sampled, &out, &spec);
        assert!(report.failures.is_empty(), "{report:?}");
        // Generated replies come first, the static one last.
        let (generated, static_reply) = (&report.not_ours[0], &report.not_ours[1]);
        assert!(
            static_reply.cause.starts_with("spec: a schema's `example`"),
            "{report:?}"
        );
        assert!(
            static_reply
                .detail
                .contains("the value is the spec's `#/paths/~1pets/get/responses/200/content/application~1json/schema/properties/owner/example`"),
            "{report:?}"
        );
        assert_eq!(
            generated.cause,
            "mock: Prism generated data that breaks the schema"
        );

        // The spec's example of the whole reply, which lacks a required property inside.
        let spec = ReplySchemas::new(json!({
            "openapi": "3.1.0",
            "paths": {"/pets": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"usage": {"type": "object", "required": ["details"]}},
                "example": {"id": "a", "usage": {"tokens": 1}}
            }}}}}}}}
        }));
        let out = decode_line("static", "usage", r#"{"id": "a", "usage": {"tokens": 1}}"#);
        let report = analyze("pets", &sampled, &out, &spec);
        assert!(
            report.not_ours[0]
                .cause
                .starts_with("spec: a schema's `example`"),
            "{report:?}"
        );
        assert!(
            report.not_ours[0]
                .detail
                .contains("application~1json/schema/example`"),
            "{report:?}"
        );
    }

    #[test]
    fn replies_to_an_operation_whose_url_is_anothers_are_the_mocks() {
        let mut mine = program("listMyPets");
        mine.operations[0].route = "GET /pets#mine".into();
        let out = [
            decode_line("static", ".", r#"{"owner": null}"#),
            line(
                "seed 1",
                "synthesized",
                json!([]),
                json!({"kind": "unexpected_status", "status": 201, "body": "{}"}),
            ),
            line("seed 2", "synthesized", json!([]), json!({"kind": "ok"})),
        ]
        .join("\n");
        let report = analyze("pets", &mine, &out, &pets_spec());
        assert!(report.failures.is_empty(), "{report:?}");
        assert_eq!(report.not_ours.len(), 2);
        assert!(
            report.not_ours[0]
                .cause
                .starts_with("mock: the request is another operation's")
        );
        assert!(
            report.not_ours[0]
                .detail
                .contains("`listPets` (`GET /pets`)"),
            "{report:?}"
        );
        assert_eq!((report.responses, report.decoded), (1, 1));
        // The same failures of `GET /pets` itself are not explained away.
        let report = analyze("pets", &program("listPets"), &out, &pets_spec());
        assert_eq!(report.failures.len(), 2, "{report:?}");
        assert!(report.not_ours.is_empty());
    }

    #[test]
    fn a_page_stream_cannot_follow_is_the_mocks_data_or_the_specs_example() {
        let stuck = json!({"kind": "pagination", "message": "`listPets` stopped paging at page 1: the page says there are more items, but `next_cursor`, which says where they are, is absent or empty"});
        let out = [
            line("static", "synthesized", json!([]), json!({"kind": "ok"})),
            line("seed 1", "synthesized", json!([]), stuck),
        ]
        .join("\n");
        let report = analyze("pets", &program("listPets"), &out, &no_spec());
        assert!(report.failures.is_empty(), "{report:?}");
        assert_eq!(report.not_ours.len(), 1);
        assert!(
            report.not_ours[0]
                .cause
                .starts_with("mock: Prism's page cannot be followed")
        );
        assert!(report.not_ours[0].detail.contains("next_cursor"));
    }

    #[test]
    fn documented_error_replies_decoded_into_their_type_count_as_decoded() {
        let typed = json!({"kind": "api", "status": 307, "decoded": true, "body": "{}"});
        let untyped = json!({"kind": "api", "status": 307, "decoded": false, "body": "x"});
        let out = [
            line("static", "synthesized", json!([]), typed),
            line("seed 1", "synthesized", json!([]), untyped),
        ]
        .join("\n");
        let report = analyze("pets", &program("listPets"), &out, &no_spec());
        assert_eq!((report.responses, report.decoded), (2, 1));
        assert_eq!(report.failures.len(), 1);
    }

    #[test]
    fn a_request_refused_only_at_an_undefined_query_construct_is_set_aside() {
        let spec = ReplySchemas::new(json!({"paths": {"/pets": {"get": {"parameters": [
            {"name": "filters", "in": "query", "schema": {"type": "array", "items": {"type": "object"}}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        ]}}}}));
        let refused = |violations: Value| {
            line(
                "static",
                "synthesized",
                violations,
                json!({"kind": "api", "status": 422, "body": "{}"}),
            )
        };
        let filters =
            json!({"location": ["request", "query", "filters", "0"], "message": "must be object"});
        let limit =
            json!({"location": ["request", "query", "limit"], "message": "must be integer"});
        let report = analyze(
            "pets",
            &program("listPets"),
            &refused(json!([filters])),
            &spec,
        );
        assert!(report.is_clean(), "{report:?}");
        assert_eq!(
            (report.operations, report.requests, report.accepted),
            (1, 0, 0)
        );
        assert_eq!(
            report.not_ours[0].cause,
            "spec: a query parameter whose wire form OpenAPI leaves undefined"
        );
        assert!(
            report.not_ours[0]
                .detail
                .starts_with("`filters` (`#/paths/~1pets/get/parameters/0`) is an array of objects in `form` style"),
            "{report:?}"
        );
        // Another violation besides it: ours.
        let report = analyze(
            "pets",
            &program("listPets"),
            &refused(json!([filters, limit])),
            &spec,
        );
        assert_eq!((report.requests, report.accepted), (1, 0));
        assert!(report.not_ours.is_empty());
        assert_eq!(report.failures.len(), 1);
    }

    #[test]
    fn refused_requests_are_grouped_by_a_normalized_cause() {
        let violation = json!([{"location": ["request", "body"], "message": "must have required property 'name'"}]);
        let out = line(
            "static",
            "synthesized",
            violation,
            json!({"kind": "api", "status": 422, "body": "{}"}),
        );
        let report = analyze("pets", &program("listPets"), &out, &no_spec());
        assert_eq!(report.accepted, 0);
        assert_eq!(
            report.failures[0].cause,
            "request body: must have required property …"
        );
        assert!(report.failures[0].detail.contains("sent `/pets?limit=1`"));
    }
}
