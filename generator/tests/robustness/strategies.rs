//! proptest strategies that build random, structurally valid OpenAPI 3.0 documents as
//! `serde_json::Value`s: odd names everywhere (Rust keywords, digits first, unicode, empty
//! strings, `$`/`-`/`.`/`/`/`~` in names), huge enums, deep nesting, `$ref`s between components
//! (cycles included), single-`$ref` `allOf` wrappers, `nullable`, `additionalProperties`, and
//! operations with path/query/header parameters and JSON bodies.
//!
//! Shared by `robustness.rs` and `determinism.rs` (`#[path]`-included), so not every item is
//! used by both.
#![allow(dead_code)]

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

/// Names that have broken code generators before: keywords, prelude and crate item names,
/// digits first, separators, unicode, empty and whitespace-only strings, pointer syntax.
pub const ODD_NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "match",
    "async",
    "await",
    "dyn",
    "move",
    "ref",
    "impl",
    "trait",
    "where",
    "loop",
    "yield",
    "try",
    "union",
    "static",
    "abstract",
    "macro",
    "become",
    "gen",
    "r#type",
    "",
    " ",
    "_",
    "__",
    "-",
    "$",
    ".",
    "$ref",
    "a-b",
    "a.b",
    "a$b",
    "a_b",
    "A B",
    "aB",
    "AB",
    "ab",
    "Ab",
    "123",
    "1abc",
    "9_lives",
    "-1",
    "+1",
    "1.5",
    "ünïcödé",
    "日本語",
    "emoji🙂",
    "e\u{301}",
    "Client",
    "Error",
    "ErrorBody",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Self_",
    "models",
    "runtime",
    "operations",
    "errors",
    "serde",
    "std",
    "core",
    "alloc",
    "Unknown",
    "unknown",
    "new",
    "builder",
    "send",
    "stream",
    "options",
    "body",
    "client",
    "core_",
    "Into",
    "Value",
    "Map",
    "__proto__",
    "null",
    "true",
    "false",
    "id",
    "ID",
    "Id",
    "/",
    "~",
    "a/b",
    "a~b",
    "~1",
    "{x}",
    "%20",
    "\"quoted\"",
    "back\\slash",
    "new\nline",
    "tab\there",
    "*/",
    "/*",
    "//",
    "#[attr]",
    "```",
    "<script>",
    "mod.rs",
    "lib",
    "main",
    "Cargo.toml",
    "..",
    "../../escape",
];

/// Every name of Rust's 2024 prelude (std), types, traits, functions and variants: a spec may
/// use any of them for a tag, schema, operation or property.
pub const RUST_PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Hash",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "drop",
];

/// The names a spec may pick that the generated code itself uses: [`ODD_NAMES`], the prelude,
/// and the generator's own table of reserved names (`sdkgen::emit::RESERVED`), sorted and
/// without repeats.
pub fn name_pool() -> Vec<&'static str> {
    let mut pool: Vec<&'static str> = ODD_NAMES
        .iter()
        .chain(RUST_PRELUDE)
        .copied()
        .chain(sdkgen::emit::RESERVED.all())
        .collect();
    pool.sort_unstable();
    pool.dedup();
    pool
}

/// Odd prose for descriptions and summaries (it ends up in rustdoc).
pub const ODD_TEXT: &[&str] = &[
    "",
    "plain words",
    "```\npanic!(\"doctest\")\n```",
    "```rust\nfn main() { loop {} }\n```",
    "```no_run\nloop {}\n```\n~~~\npanic!()\n~~~\n```` should_panic\n```\n````",
    "Intro:\n\n    indented after a blank line\n\n* list\n\n      deep under a list item",
    "    indented code block\n    panic!()",
    "*/ /* /** */",
    "<b>html</b> <script>alert(1)</script> [link](http://x) [broken] [`Missing`]",
    "back\\slash \\\" quote \" and '",
    "# Heading\n## Another\n\n- list\n- items",
    // CR ("a\rb", "a\r\nb") is left out until the bugs pinned by
    // `robustness::bug_bare_carriage_return_in_summary_breaks_doc_comment` and
    // `robustness::bug_crlf_in_body_property_description_breaks_argument_docs` are fixed.
    "nul \u{0} byte and bell \u{7}",
    // Bidi controls (U+202E...) are left out until the bug pinned by
    // `robustness::bug_bidi_control_in_description_is_a_compile_error` is fixed.
    "unicode ünïcödé 日本語 🙂 e\u{301}",
    "#![deny(warnings)] #[doc = \"x\"]",
    "{{ }} {} {0} %s %n",
    "\t\ttabs\t",
];

/// Characters random names are drawn from.
const NAME_CHARS: &[char] = &[
    'a', 'b', 'z', 'A', 'Z', '0', '1', '9', '_', '-', '.', '$', ' ', 'ü', '日', '🙂', '@',
];

/// A component, property, parameter, tag or operation name.
pub fn name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(name_pool()).prop_map(str::to_owned),
        2 => proptest::collection::vec(select(NAME_CHARS), 0..10).prop_map(String::from_iter),
        1 => (select(name_pool()), select(name_pool())).prop_map(|(a, b)| format!("{a}{b}")),
        1 => proptest::collection::vec(select(&['a', 'b', '_'][..]), 200..300)
            .prop_map(String::from_iter),
    ]
    .boxed()
}

/// A name usable inside a path template (`{name}`): no braces or slashes.
pub fn template_name() -> BoxedStrategy<String> {
    name()
        .prop_map(|n| n.replace(['{', '}', '/', '?', '#'], ""))
        .boxed()
}

fn text() -> impl Strategy<Value = String> {
    select(ODD_TEXT).prop_map(str::to_owned)
}

/// Placeholder for a reference to component number `n`; [`resolve_refs`] replaces it once the
/// component names are known.
fn ref_placeholder() -> impl Strategy<Value = Value> {
    (0usize..8).prop_map(|n| json!({ "$ref": format!("@{n}") }))
}

fn string_enum() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => proptest::collection::vec(name(), 1..8),
        1 => (300usize..700).prop_map(|n| (0..n).map(|i| format!("value-{i}")).collect()),
        // Values that differ only in case or separators: must still get distinct variants.
        1 => Just(["a-b", "a_b", "A B", "aB", "AB", "ab", "", "Unknown", "unknown"]
            .map(str::to_owned)
            .to_vec()),
    ]
    .prop_map(|values| json!({ "type": "string", "enum": values }))
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => Just(json!({ "type": "string" })),
        2 => select(&["date-time", "date", "uuid", "byte", "binary", "email", "password", "x-odd"][..])
            .prop_map(|f| json!({ "type": "string", "format": f })),
        2 => prop_oneof![Just(None), Just(Some("int32")), Just(Some("int64")), Just(Some("uint8"))]
            .prop_map(|f| match f {
                Some(f) => json!({ "type": "integer", "format": f }),
                None => json!({ "type": "integer" }),
            }),
        1 => Just(json!({ "type": "number", "format": "double" })),
        1 => Just(json!({ "type": "number" })),
        2 => Just(json!({ "type": "boolean" })),
        2 => string_enum(),
        1 => Just(json!({ "type": "integer", "enum": [0, 1, -1, 9_007_199_254_740_993_i64] })),
        1 => Just(json!({ "type": "string", "enum": ["only"] })),
        2 => Just(json!({ "type": "object" })),
        1 => Just(json!({})),
        4 => ref_placeholder(),
    ]
}

/// Adds `nullable`, prose, defaults and flags to a schema, at random.
fn decorate(schema: Value) -> impl Strategy<Value = Value> {
    (any::<u8>(), text()).prop_map(move |(bits, text)| {
        let mut schema = schema.clone();
        let is_ref = schema.get("$ref").is_some();
        if let Value::Object(map) = &mut schema {
            if is_ref {
                // Siblings of `$ref` are ignored in 3.0; add one now and then anyway.
                if bits & 0x80 != 0 {
                    map.insert("description".into(), text.into());
                }
                return schema;
            }
            if bits & 1 != 0 {
                map.insert("nullable".into(), true.into());
            }
            if bits & 2 != 0 {
                map.insert("description".into(), text.clone().into());
            }
            if bits & 4 != 0 {
                map.insert("title".into(), text.into());
            }
            if bits & 8 != 0 {
                map.insert("readOnly".into(), true.into());
            }
            if bits & 16 != 0 {
                map.insert("deprecated".into(), true.into());
            }
            if bits & 32 != 0 {
                map.insert("example".into(), json!({ "odd": [1, null, "x"] }));
            }
        }
        schema
    })
}

fn object(inner: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec((name(), inner.clone(), any::<bool>()), 0..7),
        prop_oneof![
            4 => Just(None),
            1 => Just(Some(Value::Bool(true))),
            1 => Just(Some(Value::Bool(false))),
            1 => inner.prop_map(Some),
        ],
    )
        .prop_map(|(properties, additional)| {
            let mut props = Map::new();
            let mut required = Vec::new();
            for (name, schema, is_required) in properties {
                if is_required && !props.contains_key(&name) {
                    required.push(Value::String(name.clone()));
                }
                props.insert(name, schema);
            }
            let mut object = Map::new();
            object.insert("type".into(), "object".into());
            if !props.is_empty() {
                object.insert("properties".into(), Value::Object(props));
            }
            if !required.is_empty() {
                object.insert("required".into(), Value::Array(required));
            }
            if let Some(additional) = additional {
                object.insert("additionalProperties".into(), additional);
            }
            Value::Object(object)
        })
}

/// Any schema: leaves, objects, arrays, `allOf` wrappers and compositions, nested.
pub fn schema() -> BoxedStrategy<Value> {
    leaf()
        .prop_flat_map(decorate)
        .prop_recursive(6, 48, 6, |inner| {
            prop_oneof![
                4 => object(inner.clone()),
                2 => inner.clone().prop_map(|items| json!({ "type": "array", "items": items })),
                2 => ref_placeholder().prop_map(|r| json!({ "allOf": [r] })),
                1 => inner.clone().prop_map(|s| json!({ "allOf": [s], "nullable": true })),
                1 => (ref_placeholder(), object(inner.clone()))
                    .prop_map(|(r, o)| json!({ "allOf": [r, o] })),
                1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({ "oneOf": [a, b] })),
                1 => inner.clone().prop_map(|s| json!({ "anyOf": [s] })),
                1 => inner.prop_map(|s| json!({ "type": "object", "additionalProperties": s })),
            ]
            .prop_flat_map(decorate)
        })
        .boxed()
}

/// A chain of `depth` nested objects or arrays.
pub fn deep_schema() -> impl Strategy<Value = Value> {
    (1usize..40, any::<u64>()).prop_map(|(depth, bits)| {
        let mut schema = json!({ "type": "string" });
        for level in 0..depth {
            schema = if bits >> (level % 64) & 1 == 0 {
                json!({ "type": "object", "properties": { "inner": schema }, "required": ["inner"] })
            } else {
                json!({ "type": "array", "items": schema })
            };
        }
        schema
    })
}

fn simple_param_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => Just(json!({ "type": "string" })),
        2 => Just(json!({ "type": "integer" })),
        1 => Just(json!({ "type": "integer", "format": "int32" })),
        1 => Just(json!({ "type": "boolean" })),
        1 => Just(json!({ "type": "number" })),
        1 => string_enum(),
        2 => Just(json!({ "type": "array", "items": { "type": "string" } })),
        1 => Just(json!({ "type": "array", "items": { "type": "integer" } })),
        1 => Just(json!({ "type": "string", "nullable": true })),
        1 => ref_placeholder(),
    ]
}

#[derive(Clone, Debug)]
pub struct ParamSpec {
    pub location: &'static str,
    pub name: String,
    pub required: bool,
    pub schema: Value,
    pub explode: Option<bool>,
}

fn param(location: &'static str) -> impl Strategy<Value = ParamSpec> {
    (
        name(),
        any::<bool>(),
        simple_param_schema(),
        prop_oneof![Just(None), Just(Some(true)), Just(Some(false))],
    )
        .prop_map(move |(name, required, schema, explode)| ParamSpec {
            location,
            name,
            required,
            schema,
            explode,
        })
}

#[derive(Clone, Debug)]
pub enum Segment {
    Literal(String),
    Param(String, Value),
}

#[derive(Clone, Debug)]
pub struct OperationSpec {
    pub method: &'static str,
    pub segments: Vec<Segment>,
    pub operation_id: Option<String>,
    pub tags: Vec<String>,
    pub summary: String,
    pub params: Vec<ParamSpec>,
    pub body: Option<(bool, Value)>,
    pub success: (String, Option<Value>),
    pub errors: Vec<(String, Option<Value>)>,
}

fn segment() -> impl Strategy<Value = Segment> {
    prop_oneof![
        3 => template_name().prop_map(Segment::Literal),
        2 => (template_name(), simple_param_schema()).prop_map(|(n, s)| Segment::Param(n, s)),
    ]
}

fn status() -> impl Strategy<Value = String> {
    select(&["200", "201", "202", "204", "2XX"][..]).prop_map(str::to_owned)
}

fn error_status() -> impl Strategy<Value = String> {
    select(
        &[
            "400", "401", "404", "409", "422", "429", "4XX", "500", "5XX", "default",
        ][..],
    )
    .prop_map(str::to_owned)
}

fn body_schema() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => object(schema()),
        2 => ref_placeholder(),
        1 => schema(),
        1 => deep_schema(),
    ]
    .boxed()
}

pub fn operation() -> impl Strategy<Value = OperationSpec> {
    (
        select(&["get", "post", "put", "patch", "delete", "head", "options"][..]),
        proptest::collection::vec(segment(), 0..5),
        prop_oneof![1 => Just(None), 6 => name().prop_map(Some)],
        proptest::collection::vec(
            prop_oneof![
                select(&["Things", "things", "Odd Tag", ""][..]).prop_map(str::to_owned),
                name()
            ],
            0..3,
        ),
        text(),
        (
            proptest::collection::vec(param("query"), 0..5),
            proptest::collection::vec(param("header"), 0..3),
        ),
        prop_oneof![2 => Just(None), 3 => (any::<bool>(), body_schema()).prop_map(Some)],
        (status(), proptest::option::of(body_schema())),
        proptest::collection::vec((error_status(), proptest::option::of(schema())), 0..4),
    )
        .prop_map(
            |(
                method,
                segments,
                operation_id,
                tags,
                summary,
                (query, headers),
                body,
                success,
                errors,
            )| {
                let mut params = query;
                params.extend(headers);
                OperationSpec {
                    method,
                    segments,
                    operation_id,
                    tags,
                    summary,
                    params,
                    body,
                    success,
                    errors,
                }
            },
        )
}

/// Escapes a component name for use in a JSON pointer.
pub fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

/// A whole document: components (with refs between them, cycles included) and operations.
pub fn document() -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec((name(), schema()), 0..8),
        proptest::collection::vec(deep_schema(), 0..2),
        proptest::collection::vec(operation(), 0..6),
        any::<bool>(),
        text(),
    )
        .prop_map(|(components, deep, operations, servers, description)| {
            build_document(components, deep, operations, servers, description)
        })
}

pub fn build_document(
    components: Vec<(String, Value)>,
    deep: Vec<Value>,
    operations: Vec<OperationSpec>,
    servers: bool,
    description: String,
) -> Value {
    let mut schemas = Map::new();
    for (name, schema) in components {
        schemas.insert(name, schema);
    }
    for (i, schema) in deep.into_iter().enumerate() {
        schemas.insert(format!("Deep{i}"), schema);
    }
    let names: Vec<String> = schemas.keys().cloned().collect();

    let mut paths = Map::new();
    for (index, op) in operations.into_iter().enumerate() {
        // A distinct literal first segment keeps paths apart (same path, different method
        // would merge into one path item, which is also fine but rarer).
        let mut path = format!("/p{index}");
        let mut parameters = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for segment in &op.segments {
            match segment {
                Segment::Literal(text) => {
                    path.push('/');
                    path.push_str(text);
                }
                Segment::Param(name, schema) => {
                    if !seen.insert(name.clone()) {
                        continue;
                    }
                    path.push_str(&format!("/{{{name}}}"));
                    parameters.push(json!({
                        "name": name, "in": "path", "required": true, "schema": schema,
                    }));
                }
            }
        }
        for p in &op.params {
            let mut param = json!({
                "name": p.name, "in": p.location, "required": p.required, "schema": p.schema,
            });
            if let Some(explode) = p.explode {
                param["explode"] = explode.into();
            }
            parameters.push(param);
        }
        let mut operation = Map::new();
        if let Some(id) = &op.operation_id {
            // Mostly unique; an index-free id now and then may collide (a diagnostic).
            let id = if index % 5 == 4 {
                id.clone()
            } else {
                format!("{id}{index}")
            };
            operation.insert("operationId".into(), id.into());
        }
        if !op.tags.is_empty() {
            operation.insert("tags".into(), json!(op.tags));
        }
        operation.insert("summary".into(), op.summary.clone().into());
        if !parameters.is_empty() {
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some((required, schema)) = &op.body {
            operation.insert(
                "requestBody".into(),
                json!({ "required": required, "content": json_content(schema.clone()) }),
            );
        }
        let mut responses = Map::new();
        let (code, schema) = &op.success;
        responses.insert(code.clone(), response(code, schema.clone()));
        for (code, schema) in &op.errors {
            responses.insert(code.clone(), response(code, schema.clone()));
        }
        operation.insert("responses".into(), Value::Object(responses));
        let item = paths
            .entry(path)
            .or_insert_with(|| Value::Object(Map::new()));
        item[op.method] = Value::Object(operation);
    }

    let mut doc = json!({
        "openapi": "3.0.3",
        "info": { "title": "Robustness", "version": "1.0.0", "description": description },
        "paths": paths,
        "components": { "schemas": schemas },
    });
    if servers {
        doc["servers"] = json!([{ "url": "https://api.example.com/v1" }]);
    }
    resolve_refs(&mut doc, &names);
    doc
}

fn response(code: &str, schema: Option<Value>) -> Value {
    match schema {
        Some(schema) if code != "204" => {
            json!({ "description": "a response", "content": json_content(schema) })
        }
        _ => json!({ "description": "no content" }),
    }
}

/// Replaces `@n` placeholders with references to component `n % len`, or with a string schema
/// when there are no components.
pub fn resolve_refs(value: &mut Value, names: &[String]) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref")
                && let Some(n) = r.strip_prefix('@').and_then(|n| n.parse::<usize>().ok())
            {
                if names.is_empty() {
                    map.remove("$ref");
                    map.insert("type".into(), "string".into());
                } else {
                    let target = &names[n % names.len()];
                    map.insert(
                        "$ref".into(),
                        format!("#/components/schemas/{}", escape(target)).into(),
                    );
                }
            }
            for child in map.values_mut() {
                resolve_refs(child, names);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| resolve_refs(v, names)),
        _ => {}
    }
}
