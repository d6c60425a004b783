//! OpenAPI 3.1 and `$ref`s to anything.
//!
//! - A table with one row per 3.1 keyword (and per kind of reference): each is supported (the
//!   Rust it becomes), warned about (the warning, pointing into the user's text) or refused
//!   (the located error).
//! - `allOf` merging across references, nested `allOf`s and members that only add `required`,
//!   `enum` or `nullable`.
//! - The upgrade property: a 3.0 document and its mechanical upgrade to 3.1 (`nullable` → type
//!   lists, `example` → `examples`, boolean exclusive bounds → numbers) generate the same
//!   crate, byte for byte: random documents here, every corpus spec in `corpus_upgrade`.

#[path = "robustness/strategies.rs"]
mod strategies;

use proptest::prelude::*;
use serde_json::{Value, json};

/// What a spec becomes: `models.rs` (and the other files), or the error diagnostics.
struct Generated {
    files: Vec<sdkgen::GeneratedFile>,
    warnings: String,
}

impl Generated {
    fn file(&self, path: &str) -> &str {
        self.files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.as_str())
            .unwrap_or_else(|| panic!("{path} was not generated"))
    }

    fn models(&self) -> &str {
        self.file("src/models.rs")
    }
}

fn generate(spec: &Value) -> Result<Generated, String> {
    let bytes = serde_json::to_vec_pretty(spec).unwrap();
    sdkgen::generate(&bytes, "spec.json", &sdkgen::Config::named("example-sdk"))
        .map(|output| Generated {
            files: output.files,
            warnings: output.warnings.to_string(),
        })
        .map_err(|d| d.to_string())
}

/// A 3.1 document whose only schema is `Thing`, with one property `field`, plus `extra`
/// component schemas.
fn thing(value: Value, required: bool, extra: Value) -> Value {
    let mut schemas = json!({
        "Thing": {
            "type": "object",
            "required": if required { json!(["field"]) } else { json!([]) },
            "properties": {"field": value}
        },
        "Other": {"type": "object", "properties": {"id": {"type": "string"}}}
    });
    if let Value::Object(extra) = extra {
        schemas.as_object_mut().unwrap().extend(extra);
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Keywords", "version": "1"},
        "components": {"schemas": schemas}
    })
}

/// How a keyword fares.
enum Expect {
    /// Generates without warnings, and `models.rs` contains each of these texts.
    Typed(&'static [&'static str]),
    /// Generates, `models.rs` contains the texts, and there is exactly this warning.
    Warned(&'static [&'static str], &'static str),
    /// Refused with this error.
    Refused(&'static str),
}

fn check(keyword: &str, spec: Value, expect: Expect) {
    let outcome = generate(&spec);
    match (expect, outcome) {
        (Expect::Typed(texts), Ok(generated)) => {
            assert!(
                generated.warnings.is_empty(),
                "{keyword}: unexpected warnings:\n{}",
                generated.warnings
            );
            for text in texts {
                assert!(
                    generated.models().contains(text),
                    "{keyword}: models.rs lacks `{text}`:\n{}",
                    generated.models()
                );
            }
        }
        (Expect::Warned(texts, warning), Ok(generated)) => {
            assert_eq!(generated.warnings, warning, "{keyword}");
            for text in texts {
                assert!(
                    generated.models().contains(text),
                    "{keyword}: models.rs lacks `{text}`:\n{}",
                    generated.models()
                );
            }
        }
        (Expect::Refused(error), Err(diagnostics)) => {
            assert_eq!(diagnostics, error, "{keyword}");
        }
        (_, Ok(generated)) => panic!(
            "{keyword}: expected an error, generated:\n{}\n{}",
            generated.warnings,
            generated.models()
        ),
        (_, Err(diagnostics)) => panic!("{keyword}: refused:\n{diagnostics}"),
    }
}

#[test]
fn type_lists_and_null() {
    use Expect::*;
    let none = json!({});
    let rows: Vec<(&str, Value, bool, Expect)> = vec![
        (
            "type: [string, null], optional",
            json!({"type": ["string", "null"]}),
            false,
            Typed(&["pub field: Option<String>,"]),
        ),
        (
            "type: [string, null], required: sent as null",
            json!({"type": ["string", "null"]}),
            true,
            Typed(&["    pub field: Option<String>,\n}"]),
        ),
        (
            "type: null",
            json!({"type": "null"}),
            true,
            Typed(&["pub field: Option<serde_json::Value>,"]),
        ),
        (
            "anyOf with a null member",
            json!({"anyOf": [{"type": "integer"}, {"type": "null"}]}),
            true,
            Typed(&["pub field: Option<i64>,"]),
        ),
        (
            "oneOf of a $ref and null",
            json!({"oneOf": [{"$ref": "#/components/schemas/Other"}, {"type": "null"}]}),
            true,
            Typed(&["pub field: Option<Other>,"]),
        ),
        (
            "null first, several members left",
            json!({"oneOf": [{"type": "null"}, {"type": "string"}, {"type": "integer"}]}),
            true,
            Typed(&[
                "pub field: Option<ThingField>,",
                "    String(String),\n",
                "    Integer(i64),\n",
            ]),
        ),
        (
            "a type list without null: one variant per type",
            json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1}),
            true,
            Typed(&[
                "pub field: ThingField,",
                "    String(String),\n",
                "    Integer(i64),\n",
            ]),
        ),
        (
            "a type list next to oneOf",
            json!({"type": ["string", "integer"], "oneOf": [{"type": "string"}, {"type": "integer"}]}),
            true,
            Warned(
                &["pub field: ThingField,"],
                "warning: #/components/schemas/Thing/properties/field/type: a list of types next to `oneOf`/`anyOf`/`allOf` is not supported; the list is ignored and the value is typed by the other keywords\n  help: move the types into the `oneOf` members",
            ),
        ),
        (
            "anyOf of an inline enum and null: the member's docs are the property's",
            json!({"anyOf": [{"type": "string", "enum": ["a", "b"], "description": "The letter."}, {"type": "null"}]}),
            true,
            Typed(&["    /// The letter.\n    pub field: Option<ThingField>,"]),
        ),
        (
            "type: [integer, null] with an enum",
            json!({"type": ["string", "null"], "enum": ["a", "b", null]}),
            true,
            Typed(&["pub field: Option<ThingField>,", "    A,\n", "    B,\n"]),
        ),
    ];
    for (keyword, value, required, expect) in rows {
        check(keyword, thing(value, required, none.clone()), expect);
    }
}

#[test]
fn keywords_of_json_schema_2020_12() {
    use Expect::*;
    let none = json!({});
    let rows: Vec<(&str, Value, Expect)> = vec![
        (
            "const (a string): a single-value enum that fills itself in",
            json!({"const": "fixed"}),
            Typed(&[
                "    pub field: ThingField,",
                "crate::runtime::decode_object!(Thing { field: default });",
                "    #[default]\n    Fixed,",
            ]),
        ),
        (
            "const (a number)",
            json!({"const": 3}),
            Typed(&["pub field: i64,"]),
        ),
        (
            "examples",
            json!({"type": "string", "examples": ["abc", "def"]}),
            Typed(&["/// Example: `abc`.\n    pub field: String,"]),
        ),
        (
            "$ref with siblings: they apply at the use site",
            json!({"$ref": "#/components/schemas/Other", "description": "The other one."}),
            Typed(&["    /// The other one.\n    pub field: Other,"]),
        ),
        (
            "exclusiveMinimum / exclusiveMaximum as numbers",
            json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10}),
            Typed(&["/// Range: 0..=10.\n    pub field: i64,"]),
        ),
        (
            "prefixItems of fixed length: a tuple",
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "minItems": 2, "items": false}),
            Typed(&["pub field: (String, i64),"]),
        ),
        (
            "prefixItems, maxItems instead of items: false",
            json!({"prefixItems": [{"type": "boolean"}], "minItems": 1, "maxItems": 1}),
            Typed(&["pub field: (bool,),"]),
        ),
        (
            "prefixItems of one type, open: a Vec",
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "string"}], "items": {"type": "string"}}),
            Typed(&["pub field: Vec<String>,"]),
        ),
        (
            "prefixItems whose items may be missing",
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}),
            Warned(
                &["pub field: Vec<serde_json::Value>,"],
                "warning: #/components/schemas/Thing/properties/field/prefixItems: `prefixItems` of items that may be missing or followed by items of another type; the array is typed `Vec<serde_json::Value>`\n  help: for a Rust tuple, set `minItems` to the number of `prefixItems` and `items: false` (or the same `maxItems`)",
            ),
        ),
        (
            "items: false",
            json!({"type": "array", "items": false}),
            Typed(&["pub field: Vec<serde_json::Value>,"]),
        ),
        (
            "contentEncoding: base64",
            json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"}),
            Typed(&["/// `image/png` content, base64-encoded.\n    pub field: String,"]),
        ),
        (
            "contentMediaType alone",
            json!({"type": "string", "contentMediaType": "text/csv"}),
            Typed(&["/// `text/csv` content.\n    pub field: String,"]),
        ),
        (
            "patternProperties alone: a map",
            json!({"type": "object", "patternProperties": {"^x_": {"type": "integer"}}}),
            Typed(&["pub field: std::collections::BTreeMap<String, i64>,"]),
        ),
        (
            "patternProperties next to properties",
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "patternProperties": {"^x_": {"type": "integer"}}}),
            Warned(
                &["pub field: ThingField,"],
                "warning: #/components/schemas/Thing/properties/field/patternProperties: `patternProperties` next to `properties` or `additionalProperties` is not applied; keys that only match a pattern are typed by `additionalProperties`, or dropped\n  help: list the properties, or use `additionalProperties`",
            ),
        ),
        (
            "unevaluatedProperties: false",
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "unevaluatedProperties": false}),
            Typed(&["pub field: ThingField,"]),
        ),
        (
            "unevaluatedProperties with a schema",
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "unevaluatedProperties": {"type": "string"}}),
            Warned(
                &["pub field: ThingField,"],
                "warning: #/components/schemas/Thing/properties/field/unevaluatedProperties: `unevaluatedProperties` with a schema is not applied; such properties are dropped when decoding\n  help: use `additionalProperties`",
            ),
        ),
        (
            "dependentRequired",
            json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "dependentRequired": {"a": ["b"]}}),
            Warned(
                &["pub b: Option<String>,"],
                "warning: #/components/schemas/Thing/properties/field/dependentRequired: `dependentRequired` is not enforced; the properties it names stay optional\n  help: the server still checks it; the SDK lets either form through",
            ),
        ),
        (
            "dependentSchemas",
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "dependentSchemas": {"a": {"properties": {"b": {"type": "string"}}}}}),
            Warned(
                &["pub a: Option<String>,"],
                "warning: #/components/schemas/Thing/properties/field/dependentSchemas: `dependentSchemas` is not applied; the value is typed by the schema's other keywords, and properties only the dependent schemas define are not fields\n  help: list those properties under `properties`",
            ),
        ),
        (
            "if / then / else",
            json!({"type": "object", "properties": {"kind": {"type": "string"}}, "if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x"]}, "else": {"properties": {"y": {"type": "string"}}}}),
            Warned(
                &["pub kind: Option<String>,"],
                "warning: #/components/schemas/Thing/properties/field/if: `if`/`then`/`else` is not applied; the value is typed by the schema's other keywords, and properties only `then`/`else` define are not fields\n  help: list those properties under `properties` (optional), or use `oneOf`",
            ),
        ),
        (
            "boolean schemas: true allows anything, a false property never exists",
            json!({"type": "object", "properties": {"any": true, "never": false}, "required": ["never"]}),
            Typed(&["pub any: Option<serde_json::Value>,"]),
        ),
        (
            "validation-only keywords",
            json!({"type": "array", "items": {"type": "string"}, "contains": {"const": "x"}, "minContains": 1, "maxContains": 2, "uniqueItems": true, "unevaluatedItems": false, "$comment": "checked by the server"}),
            Typed(&["pub field: Vec<String>,"]),
        ),
        (
            "propertyNames, minProperties, maxProperties, multipleOf",
            json!({"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}, "minProperties": 1, "maxProperties": 3, "additionalProperties": {"type": "number", "multipleOf": 0.5}}),
            Typed(&["pub field: std::collections::BTreeMap<String, f64>,"]),
        ),
        (
            "deprecated, readOnly, writeOnly",
            json!({"type": "string", "deprecated": true, "readOnly": true}),
            Typed(&[
                "    #[deprecated]\n    pub field: Option<String>,",
                "field: skip_none",
            ]),
        ),
        (
            "$id",
            json!({"$id": "https://example.com/thing", "type": "string"}),
            Warned(
                &["pub field: String,"],
                "warning: #/components/schemas/Thing/properties/field/$id: `$id` is not applied: references are resolved against the document, not against this schema's URI\n  help: refer to the schema by its JSON pointer",
            ),
        ),
        (
            "$schema of another dialect",
            json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"}),
            Warned(
                &["pub field: String,"],
                "warning: #/components/schemas/Thing/properties/field/$schema: `$schema: http://json-schema.org/draft-07/schema#`: this schema is read as JSON Schema 2020-12 with the OpenAPI vocabulary\n  help: keywords of other dialects may be ignored or read differently",
            ),
        ),
        (
            "$schema of the default dialect",
            json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string"}),
            Typed(&["pub field: String,"]),
        ),
        (
            "$vocabulary",
            json!({"$vocabulary": {"https://json-schema.org/draft/2020-12/vocab/core": true}, "type": "string"}),
            Warned(
                &["pub field: String,"],
                "warning: #/components/schemas/Thing/properties/field/$vocabulary: `$vocabulary` belongs in meta-schemas and is ignored\n  help: remove it",
            ),
        ),
        (
            "not",
            json!({"not": {"type": "string"}}),
            Warned(
                &["pub field: serde_json::Value,"],
                "warning: #/components/schemas/Thing/properties/field: not is not supported yet; the value is typed as `serde_json::Value`\n  help: the SDK still sends and receives it, untyped",
            ),
        ),
        (
            "a type list with a type JSON Schema does not have",
            json!({"type": ["integer", "banana"]}),
            Refused(
                "error: #/components/schemas/Thing/properties/field: `type: banana` is not a JSON Schema type\n  help: use one of string, number, integer, boolean, array or object",
            ),
        ),
        (
            "$ref to a URL",
            json!({"$ref": "https://example.com/user.json"}),
            Refused(
                "error: #/components/schemas/Thing/properties/field: `$ref: https://example.com/user.json` is a URL; remote references are not fetched\n  help: download the document next to the spec and refer to it by a relative path (`./common.yaml#/components/schemas/X`)",
            ),
        ),
        (
            "$ref to another file, the spec not read from a file",
            json!({"$ref": "common.yaml#/components/schemas/X"}),
            Refused(
                "error: #/components/schemas/Thing/properties/field: `$ref: common.yaml#/components/schemas/X` refers to another file, but the spec was not read from a file\n  help: generate from the spec's path (`sdkgen generate path/to/spec.yaml`) so that files next to it are found",
            ),
        ),
    ];
    for (keyword, value, expect) in rows {
        check(keyword, thing(value, true, none.clone()), expect);
    }
}

#[test]
fn defs_anchors_and_dynamic_references() {
    use Expect::*;
    let mut spec = thing(
        json!({"$ref": "#/components/schemas/Thing/$defs/Size"}),
        true,
        json!({}),
    );
    spec["components"]["schemas"]["Thing"]["$defs"] =
        json!({"Size": {"type": "string", "enum": ["s", "m"]}});
    check(
        "$defs and a pointer into them: one type, named after its place",
        spec,
        Typed(&["pub field: ThingSize,", "pub enum ThingSize {"]),
    );

    let spec = thing(
        json!({"$ref": "#size"}),
        true,
        json!({"Size": {"$anchor": "size", "type": "string", "enum": ["s"]}}),
    );
    check("$anchor", spec, Typed(&["pub field: Size,"]));

    let spec = thing(
        json!({"$dynamicRef": "#node"}),
        true,
        json!({"Node": {"$dynamicAnchor": "node", "type": "object", "properties": {"next": {"$dynamicRef": "#node"}}}}),
    );
    check(
        "$dynamicRef: resolved statically",
        spec,
        Warned(
            &["pub field: Node,", "pub next: Option<Box<Node>>,"],
            "warning: #/components/schemas/Node/properties/next: `$dynamicRef` is resolved statically, like a `$ref` to the schema with the same `$dynamicAnchor`; dynamic scopes are not followed\n  help: use `$ref` unless the schema is meant to be extended\nwarning: #/components/schemas/Thing/properties/field: `$dynamicRef` is resolved statically, like a `$ref` to the schema with the same `$dynamicAnchor`; dynamic scopes are not followed\n  help: use `$ref` unless the schema is meant to be extended",
        ),
    );
}

/// Document-level 3.1 features.
#[test]
fn documents() {
    let base = json!({
        "openapi": "3.1.0",
        "info": {"title": "Docs", "summary": "One line about the API.", "version": "1", "license": {"name": "MIT License", "identifier": "MIT"}},
        "components": {"schemas": {"A": {"type": "object", "properties": {"a": {"type": "string"}}}}}
    });
    // No `paths`; `info.summary`; `license.identifier`.
    let generated = generate(&base).unwrap();
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    assert!(
        generated
            .file("src/lib.rs")
            .contains("//! One line about the API.")
    );
    assert!(!generated.files.iter().any(|f| f.path == "src/webhooks.rs"));

    let mut dialect = base.clone();
    dialect["jsonSchemaDialect"] = json!("https://example.com/my-dialect");
    assert_eq!(
        generate(&dialect).unwrap().warnings,
        "warning: #/jsonSchemaDialect: `jsonSchemaDialect` is `https://example.com/my-dialect`; schemas are read as JSON Schema 2020-12 with the OpenAPI vocabulary\n  help: keywords of other dialects may be ignored or read differently"
    );
    dialect["jsonSchemaDialect"] = json!("https://spec.openapis.org/oas/3.1/dialect/base");
    assert!(generate(&dialect).unwrap().warnings.is_empty());

    // Operations without `responses`, path items from `components/pathItems`, a parameter
    // reference whose description overrides its target's, `mutualTLS`.
    let mut ops = base.clone();
    ops["paths"] = json!({
        "/a/{id}": {"$ref": "#/components/pathItems/A"},
        "/b/{id}": {
            "parameters": [{"$ref": "#/components/parameters/Id", "description": "The b to fetch."}],
            "get": {"operationId": "GetB", "security": [{"mtls": []}]}
        }
    });
    ops["components"]["pathItems"] = json!({"A": {
        "parameters": [{"$ref": "#/components/parameters/Id"}],
        "get": {"operationId": "GetA", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}
    }});
    ops["components"]["parameters"] = json!({"Id": {"name": "id", "in": "path", "required": true, "description": "An id.", "schema": {"type": "string"}}});
    // The client's credential comes from the root `security`; `mtls` is dropped from both.
    ops["security"] = json!([{"mtls": []}, {"key": []}]);
    ops["components"]["securitySchemes"] = json!({
        "mtls": {"type": "mutualTLS"},
        "key": {"type": "apiKey", "in": "header", "name": "x-key"}
    });
    let generated = generate(&ops).unwrap();
    assert_eq!(
        generated.warnings,
        "warning: #/components/securitySchemes/mtls: security scheme type `mutualTLS` is not supported; requests are sent without a client certificate\n  help: configure the client certificate on a `reqwest::Client` of your own"
    );
    // Untagged: grouped by path (`client.a()`, `client.b()`), methods without the group word.
    let operations = [
        generated.file("src/operations/a.rs"),
        generated.file("src/operations/b.rs"),
    ]
    .concat();
    assert!(
        operations.contains("pub fn get(&self, id: impl Into<String>) -> GetA"),
        "{operations}"
    );
    assert!(
        operations.contains("pub fn send(self) -> impl Future<Output = Result<models::A, Error>>"),
        "{operations}"
    );
    assert!(
        operations.contains("/// - `id`: The b to fetch."),
        "{operations}"
    );
    assert!(operations.contains("/// - `id`: An id."), "{operations}");
    assert!(
        generated
            .file("src/client.rs")
            .contains("ApiKeyHeader(\"x-key\")")
    );
}

/// Webhooks: payload types, and the module that decodes them (compiled and run in
/// `generated/parcels/tests/webhooks.rs`).
#[test]
fn webhooks() {
    let event = |name: &str| {
        json!({"type": "object", "required": ["type"], "properties": {
            "type": {"const": name}, "object": {"const": "event"}, "id": {"type": "string"}
        }})
    };
    let spec = json!({
        "openapi": "3.1.0",
        "info": {"title": "Hooks", "version": "1"},
        "webhooks": {
            "order.paid": {"post": {"summary": "Paid.", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Paid"}}}}}},
            "order.shipped": {"post": {"requestBody": {"content": {"application/json": {"schema": event("order.shipped")}}}}},
            "ping": {"post": {"responses": {"200": {"description": "ok"}}}},
            "upload": {"$ref": "#/components/pathItems/Upload"}
        },
        "components": {
            "schemas": {"Paid": event("order.paid")},
            "pathItems": {"Upload": {"put": {"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}}}}
        }
    });
    let generated = generate(&spec).unwrap();
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    let webhooks = generated.file("src/webhooks.rs");
    for text in [
        "    /// `order.paid` (POST)\n    ///\n    /// Paid.\n    OrderPaid(models::Paid),",
        "    OrderShipped(models::OrderShippedWebhookBody),",
        "    Ping,",
        "    Upload(bytes::Bytes),",
        "pub const NAMES: &[&str] = &[\"order.paid\", \"order.shipped\", \"ping\", \"upload\"];",
        "\"order.paid\" => decode(body).map(Self::OrderPaid),",
        "\"ping\" => Ok(Self::Ping),",
        "\"upload\" => Ok(Self::Upload(bytes::Bytes::copy_from_slice(body))),",
    ] {
        assert!(webhooks.contains(text), "lacks `{text}`:\n{webhooks}");
    }
    // Not every payload has a `type`: no `from_body`.
    assert!(!webhooks.contains("fn from_body"));
    assert!(generated.file("src/lib.rs").contains("pub mod webhooks;"));

    // With JSON payloads only, each with its own `type`: `from_body` reads it.
    let mut tagged = spec.clone();
    let hooks = tagged["webhooks"].as_object_mut().unwrap();
    hooks.remove("ping");
    hooks.remove("upload");
    let webhooks = generate(&tagged).unwrap();
    let webhooks = webhooks.file("src/webhooks.rs");
    assert!(webhooks.contains("pub fn from_body(body: &[u8]) -> Result<Self, WebhookError>"));
    assert!(webhooks.contains("#[serde(rename = \"type\")]"));
    assert!(webhooks.contains("\"order.shipped\" => decode(body).map(Self::OrderShipped),"));
}

/// A 3.0 document upgraded to 3.1 the way a mechanical converter does it: `nullable` becomes
/// `"null"` in the type list (or a `{type: "null"}` union member, and `null` in an `enum`),
/// `example` becomes `examples`, boolean exclusive bounds become numbers, and siblings of `$ref`
/// (ignored by 3.0, applied by 3.1) are dropped, but for `nullable: true`, which makes a
/// `null` union member (see `load/oas30.rs`).
fn upgrade(mut doc: Value) -> Value {
    doc["openapi"] = json!("3.1.0");
    upgrade_part(&mut doc);
    doc
}

/// Walks everything but schemas, upgrading each schema it meets.
fn upgrade_part(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    "schema" => upgrade_schema(child),
                    "schemas" => {
                        if let Value::Object(schemas) = child {
                            schemas.values_mut().for_each(upgrade_schema);
                        }
                    }
                    "example" | "examples" => {}
                    _ => upgrade_part(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(upgrade_part),
        _ => {}
    }
}

fn upgrade_schema(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    if map.contains_key("$ref") {
        // `{$ref, nullable: true}` is read as "this, or null" (with its siblings applying
        // there), which is a `null` union member in 3.1; other siblings 3.0 ignores.
        if map.remove("nullable") == Some(Value::Bool(true)) {
            let reference = map.remove("$ref").unwrap_or_default();
            map.insert(
                "anyOf".into(),
                json!([{ "$ref": reference }, { "type": "null" }]),
            );
        } else {
            map.retain(|key, _| key == "$ref");
        }
        return;
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(upgrade_schema);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            upgrade_schema(child);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            members.iter_mut().for_each(upgrade_schema);
        }
    }
    if let Some(example) = map.remove("example") {
        map.insert("examples".into(), json!([example]));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Bool(flag)) = map.remove(exclusive)
            && flag
            && let Some(bound) = map.remove(bound)
        {
            map.insert(exclusive.into(), bound);
        }
    }
    // `nullable` on a schema with neither a type nor a union (`allOf`, any value) stays: a
    // converter would wrap the schema in `anyOf: [.., {type: "null"}]`, which moves its
    // subschemas (so the pointers and names derived from them differ); the 3.1 reader accepts
    // `nullable` as 3.0 does (the OpenAI spec uses it too).
    let has_union = map.contains_key("oneOf") || map.contains_key("anyOf");
    if map.get("nullable") != Some(&Value::Bool(true)) || !(map.contains_key("type") || has_union) {
        return;
    }
    map.remove("nullable");
    if let Some(Value::Array(values)) = map.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match map.get_mut("type") {
        Some(Value::String(t)) => {
            let t = t.clone();
            map.insert("type".into(), json!([t, "null"]));
        }
        _ => {
            let union = ["oneOf", "anyOf"]
                .into_iter()
                .find(|k| map.contains_key(*k));
            if let Some(Value::Array(members)) = union.and_then(|k| map.get_mut(k)) {
                members.push(json!({"type": "null"}));
            }
        }
    }
}

/// The files of a crate with the preamble (the `@generated` line naming the spec) left out.
fn without_preamble(files: &[sdkgen::GeneratedFile]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|f| {
            let body = f
                .contents
                .lines()
                .filter(|line| !line.contains("@generated by sdkgen"))
                .collect::<Vec<_>>()
                .join("\n");
            (f.path.clone(), body)
        })
        .collect()
}

/// The first line where two crates differ, for a readable failure.
fn first_difference(a: &[(String, String)], b: &[(String, String)]) -> String {
    for ((path_a, a), (path_b, b)) in a.iter().zip(b) {
        if path_a != path_b {
            return format!("files differ: {path_a} vs {path_b}");
        }
        let (lines_a, lines_b): (Vec<_>, Vec<_>) = (a.lines().collect(), b.lines().collect());
        if let Some(at) = lines_a.iter().zip(&lines_b).position(|(x, y)| x != y) {
            let from = at.saturating_sub(6);
            let to = |lines: &[&str]| lines[from..(at + 3).min(lines.len())].join("\n");
            return format!(
                "{path_a}, line {}:\n--- 3.0\n{}\n--- 3.1\n{}",
                at + 1,
                to(&lines_a),
                to(&lines_b)
            );
        }
        if a != b {
            return format!("{path_a}: one is longer");
        }
    }
    format!("{} files vs {}", a.len(), b.len())
}

/// Generates a document and its upgrade and compares them.
fn same_as_upgraded(doc: &Value, name: &str) -> Result<(), String> {
    let config = sdkgen::Config::named("upgrade-sdk");
    let run = |doc: &Value| {
        let bytes = serde_json::to_vec(doc).unwrap();
        sdkgen::generate(&bytes, name, &config)
            .map(|o| (without_preamble(&o.files), o.warnings.to_string()))
            .map_err(|d| d.to_string())
    };
    match (run(doc), run(&upgrade(doc.clone()))) {
        (Ok((a, warnings_a)), Ok((b, warnings_b))) => {
            if a != b {
                return Err(first_difference(&a, &b));
            }
            if warnings_a != warnings_b {
                return Err(format!(
                    "warnings differ:\n3.0:\n{warnings_a}\n3.1:\n{warnings_b}"
                ));
            }
            Ok(())
        }
        (Err(a), Err(b)) if a == b => Ok(()),
        (a, b) => Err(format!(
            "3.0: {:?}\n3.1: {:?}",
            a.map(|_| "generated"),
            b.map(|_| "generated")
        )),
    }
}

/// Random 3.0 documents (odd names, unions, `nullable`, references, cycles) generate the same
/// crate as their upgrade to 3.1. `PROPTEST_CASES=256` runs more of them.
///
/// What it found, each fixed as a class: a `[T, null]` union was merged into its schema while
/// 3.0's `anyOf: [T]` + `nullable` kept `T` apart (docs and pointers differed; both now read
/// as `T` described by both places), and `enum: [v, null]` was not named like `enum: [v]`.
#[test]
fn random_documents_generate_the_same_as_their_upgrade() {
    let mut config = ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 16;
    }
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&strategies::document(), |doc| {
        same_as_upgraded(&doc, "spec.json").map_err(TestCaseError::fail)
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

/// Every 3.0 spec of the shared corpus generates the same crate as its upgrade to 3.1.
#[test]
fn corpus_upgrade() {
    let Some(dir) = std::env::var_os("SDKGEN_SHARED_SPECS").map(std::path::PathBuf::from) else {
        eprintln!("skipping: SDKGEN_SHARED_SPECS is not set");
        return;
    };
    let mut files = Vec::new();
    collect_specs(&dir, &mut files);
    files.sort();
    let mut compared = 0;
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let Ok(doc) = serde_norway::from_slice::<Value>(&bytes) else {
            continue;
        };
        if !doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.0"))
        {
            continue;
        }
        let name = file
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if let Err(difference) = same_as_upgraded(&doc, &name) {
            panic!("{name}: the 3.1 upgrade generates different Rust:\n{difference}");
        }
        compared += 1;
    }
    if compared == 0 {
        eprintln!("skipping: no OpenAPI 3.0 specs under {}", dir.display());
    } else {
        eprintln!("{compared} corpus specs generate the same Rust as their 3.1 upgrade");
    }
}

fn collect_specs(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_specs(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

/// `allOf` across references and nested `allOf`s, with members that only add `required` or
/// `enum`, merges into one struct; `$ref`s to pointers inside other schemas share the type of
/// the place they point into. The same in 3.0 and 3.1.
#[test]
fn all_of_merges_and_pointer_references() {
    for version in ["3.0.3", "3.1.0"] {
        let spec = json!({
            "openapi": version,
            "info": {"title": "AllOf", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
                "Middle": {"allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "properties": {"name": {"type": "string"}}}
                ]},
                "Top": {"allOf": [
                    {"$ref": "#/components/schemas/Middle"},
                    {"type": "object", "properties": {"size": {"type": "integer"}}},
                    {"required": ["name"]}
                ]},
                "Kind": {"allOf": [{"type": "string"}, {"enum": ["a", "b"]}]},
                "Holder": {"type": "object", "properties": {
                    "inner": {"$ref": "#/components/schemas/Top/allOf/1/properties/size"},
                    "base_id": {"$ref": "#/components/schemas/Base/properties/id"}
                }}
            }}
        });
        let generated = generate(&spec).unwrap_or_else(|e| panic!("{version}: {e}"));
        assert!(
            generated.warnings.is_empty(),
            "{version}: {}",
            generated.warnings
        );
        let models = generated.models();
        for text in [
            // Three levels of `allOf` through references: one struct, `required` added by a
            // member of its own.
            "pub struct Top {\n    /// The `id` property: a [`BaseId`].\n    pub id: BaseId,\n    /// The `name` property.\n    pub name: String,",
            "pub struct Middle {\n    /// The `id` property: a [`BaseId`].\n    pub id: BaseId,",
            // A member that only adds `enum`.
            "pub enum Kind {\n    /// `a`\n    A,",
            // Pointers into other schemas: the target's type, named after its place, shared.
            "pub type BaseId = String;",
            "pub base_id: Option<BaseId>,",
            "pub inner: Option<TopAllOf1Size>,",
            "pub type TopAllOf1Size = i64;",
        ] {
            assert!(
                models.contains(text),
                "{version}: lacks `{text}`:\n{models}"
            );
        }
        assert_eq!(models.matches("pub type BaseId").count(), 1, "{version}");
    }
}

/// A one-member union as an `allOf` member (3.0 writes a nullable reference as `anyOf: [$ref]`
/// with `nullable`) merges as its member, as the 3.1 upgrade's `allOf: [$ref]` does; and a
/// cycle through one is the same error in both, without a warning on one side only. Found by
/// `random_documents_generate_the_same_as_their_upgrade`.
#[test]
fn one_member_unions_merge_as_their_member() {
    let spec = |extra: Value| {
        let mut schemas = json!({
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
            "MaybeBase": {"anyOf": [{"$ref": "#/components/schemas/Base"}], "nullable": true},
            "Wrapper": {"allOf": [
                {"$ref": "#/components/schemas/MaybeBase"},
                {"type": "object", "properties": {"extra": {"type": "boolean"}}}
            ]}
        });
        schemas
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({
            "openapi": "3.0.3",
            "info": {"title": "Unions", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas}
        })
    };
    let merged = spec(json!({}));
    if let Err(difference) = same_as_upgraded(&merged, "spec.json") {
        panic!("{difference}");
    }
    let generated = generate(&merged).unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    assert!(
        generated
            .models()
            .contains("pub struct Wrapper {\n    /// The `id` property.\n    pub id: String,"),
        "{}",
        generated.models()
    );

    let cycle = spec(json!({
        "Loop": {"anyOf": [{"$ref": "#/components/schemas/Loop"}], "nullable": true},
        "Holder": {"type": "array", "items": {"allOf": [
            {"$ref": "#/components/schemas/Loop"},
            {"type": "object", "properties": {"n": {"type": "integer"}}}
        ]}}
    }));
    if let Err(difference) = same_as_upgraded(&cycle, "spec.json") {
        panic!("{difference}");
    }
}

/// References to other files are read from disk next to the spec: a pointer into another
/// document, and a whole file that is one schema.
#[test]
fn references_to_other_files() {
    let dir = std::env::temp_dir().join(format!("sdkgen-oas31-files-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("schemas")).unwrap();
    std::fs::write(
        dir.join("common.yaml"),
        "components:\n  schemas:\n    Money:\n      type: object\n      required: [amount]\n      properties:\n        amount: {type: integer}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("schemas/address.json"),
        r#"{"type": "object", "properties": {"city": {"type": "string"}}}"#,
    )
    .unwrap();
    let spec = dir.join("spec.yaml");
    for version in ["3.0.3", "3.1.0"] {
        std::fs::write(
            &spec,
            format!(
                "openapi: {version}\ninfo: {{title: Files, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Order:\n      type: object\n      required: [total]\n      properties:\n        total: {{$ref: 'common.yaml#/components/schemas/Money'}}\n        ship_to: {{$ref: './schemas/address.json'}}\n"
            ),
        )
        .unwrap();
        let output = sdkgen::generate_file(&spec, "spec.yaml", &sdkgen::Config::named("files-sdk"))
            .unwrap_or_else(|d| panic!("{version}: {d}"));
        let models = &output
            .files
            .iter()
            .find(|f| f.path == "src/models.rs")
            .unwrap()
            .contents;
        for text in [
            "pub total: Money,",
            "pub ship_to: Option<Address>,",
            "pub struct Money {",
            "pub amount: i64,",
            "pub struct Address {",
        ] {
            assert!(
                models.contains(text),
                "{version}: lacks `{text}`:\n{models}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
