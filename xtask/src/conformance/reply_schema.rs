//! Whether a reply breaks the response schema its spec declares for it: the spec's own
//! document read as JSON Schema (OpenAPI 3.0's dialect translated first) and checked by the
//! `jsonschema` crate, so a reply the SDK cannot decode is the spec's fault only with a
//! violation, found by a validator, at the place decoding failed.
//!
//! Prism validates replies too, but not every one it serves (it passes its static examples
//! unchecked), so its silence is not evidence either way.

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, ValidationError};
use serde_json::{Map, Value};

use super::values::Values;

/// The key under which the schema being checked is placed in the document, so that the root
/// can refer to it whatever pointer leads to it (path keys hold `{` and `}`,
/// which are not URI characters).
const SLOT: &str = "x-sdkgen-reply-schema";

/// A spec's document as JSON Schema, ready to check replies against.
pub struct ReplySchemas {
    document: Value,
    draft: Draft,
}

/// One violation a validator found.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Where in the reply, as segments (`["entries", "0", "created_by"]`).
    pub path: Vec<String>,
    /// For a `required` violation, the property that is missing.
    pub missing: Option<String>,
    /// The validator's message.
    pub message: String,
    /// The value that breaks the schema.
    pub instance: Value,
}

impl Violation {
    /// `/entries/0/created_by: … is not of type "object"`.
    pub fn evidence(&self) -> String {
        let pointer: String = self.path.iter().map(|s| format!("/{s}")).collect();
        format!(
            "{}: {}",
            if pointer.is_empty() { "/" } else { &pointer },
            self.message
        )
    }

    /// Whether this violation accounts for a decoding failure at `decoded` (segments): it is at
    /// that place, under it, or at an enclosing value (a `required` one only when the missing
    /// property is where decoding failed or leads there).
    pub fn explains(&self, decoded: &[String]) -> bool {
        let common = self
            .path
            .iter()
            .zip(decoded)
            .take_while(|(a, b)| a == b)
            .count();
        if common < self.path.len().min(decoded.len()) {
            return false; // elsewhere
        }
        if self.path.len() >= decoded.len() {
            return true; // at or under
        }
        match &self.missing {
            Some(property) => decoded.get(self.path.len()) == Some(property),
            None => true,
        }
    }
}

impl ReplySchemas {
    pub fn new(spec: Value) -> Self {
        let mut document = spec;
        let openapi_30 = document
            .get("openapi")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("3.0"));
        let draft = if openapi_30 {
            to_json_schema(&mut document);
            Draft::Draft7
        } else {
            Draft::Draft202012
        };
        Self { document, draft }
    }

    /// The document (with OpenAPI 3.0 schemas rewritten, paths as the spec writes them).
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// Where the spec writes `value` as a schema's `example` (or one of its `examples`): a
    /// reply Prism samples from a schema takes those as they are. Only values no sampler
    /// makes up by itself are looked for (objects, arrays, strings other than `"string"`).
    pub fn example_of(&self, value: &Value) -> Option<String> {
        let distinctive = match value {
            Value::Object(map) => !map.is_empty(),
            Value::Array(items) => !items.is_empty(),
            Value::String(text) => !text.is_empty() && text != "string",
            _ => false,
        };
        if !distinctive {
            return None;
        }
        let mut pending = vec![(String::from("#"), &self.document)];
        while let Some((at, node)) = pending.pop() {
            match node {
                Value::Object(map) => {
                    if map.get("example") == Some(value) {
                        return Some(format!("{at}/example"));
                    }
                    if let Some(Value::Array(examples)) = map.get("examples")
                        && let Some(i) = examples.iter().position(|e| e == value)
                    {
                        return Some(format!("{at}/examples/{i}"));
                    }
                    for (key, child) in map {
                        let key = key.replace('~', "~0").replace('/', "~1");
                        pending.push((format!("{at}/{key}"), child));
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        pending.push((format!("{at}/{i}"), child));
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The violations of `body`, a reply to `method path` with `status` and `content_type`,
    /// of the schema the spec declares for it. `Ok(empty)` when none is declared; `Err` when
    /// the schema cannot be compiled.
    pub fn violations(
        &self,
        method: &str,
        path: &str,
        status: u16,
        content_type: Option<&str>,
        body: &Value,
    ) -> Result<Vec<Violation>, String> {
        let Some(schema) = self.schema(method, path, status, content_type) else {
            return Ok(Vec::new());
        };
        let mut root = match &self.document {
            Value::Object(map) => map.clone(),
            _ => Map::new(),
        };
        root.insert(SLOT.into(), schema.clone());
        // Through `allOf`, not a `$ref` beside the document's keys: drafts before 2019-09
        // ignore everything beside a `$ref`, pointers into the document included.
        root.insert(
            "allOf".into(),
            serde_json::json!([{"$ref": format!("#/{SLOT}")}]),
        );
        let validator = jsonschema::options()
            .with_draft(self.draft)
            .should_validate_formats(true)
            .build(&Value::Object(root))
            .map_err(|e| format!("the response schema does not compile: {e}"))?;
        Ok(validator
            .iter_errors(body)
            .filter_map(|error| violation(&error))
            .collect())
    }

    /// The schema of the response for `status` (exact, then `2XX`, then `default`) and the
    /// media type replied with (else the JSON one).
    fn schema(
        &self,
        method: &str,
        path: &str,
        status: u16,
        content_type: Option<&str>,
    ) -> Option<&Value> {
        let values = Values::new(&self.document);
        let item = values.resolve(self.document.get("paths")?.get(path)?);
        let responses = item
            .get(method.to_ascii_lowercase())?
            .get("responses")?
            .as_object()?;
        let class = format!("{}XX", status / 100);
        let response = responses
            .get(&status.to_string())
            .or_else(|| {
                responses
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(&class))
                    .map(|(_, r)| r)
            })
            .or_else(|| responses.get("default"))?;
        let content = values.resolve(response).get("content")?.as_object()?;
        let essence = super::media_essence;
        let replied = content_type.map(essence);
        let media = content
            .iter()
            .find(|(media, _)| Some(essence(media)) == replied)
            .or_else(|| {
                content
                    .iter()
                    .find(|(media, _)| essence(media) == "application/json")
            })
            .or_else(|| {
                content
                    .iter()
                    .find(|(media, _)| essence(media).ends_with("+json"))
            })?
            .1;
        media.get("schema")
    }
}

/// A validator's error as a [`Violation`]; `None` for what is not evidence: a `oneOf` that
/// more than one member matches (an OpenAPI `discriminator`, which JSON Schema ignores, picks
/// one, and so does the SDK).
fn violation(error: &ValidationError<'_>) -> Option<Violation> {
    let missing = match error.kind() {
        ValidationErrorKind::OneOfMultipleValid { .. } => return None,
        ValidationErrorKind::Required { property } => Some(
            property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned),
        ),
        _ => None,
    };
    let path = error
        .instance_path()
        .as_str()
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    Some(Violation {
        path,
        missing,
        message: clip(&error.to_string(), 300),
        instance: error.instance().clone().into_owned(),
    })
}

/// Rewrites an OpenAPI 3.0 document's schemas as JSON Schema (draft 7) says them:
/// `nullable: true` as a `null` type (or, without a `type`, as `anyOf` with `{type: null}`),
/// and the boolean `exclusiveMinimum`/`exclusiveMaximum` as the bound itself.
///
/// Every object in the document is visited; only a boolean `nullable` or boolean
/// `exclusive…` is touched, which no other OpenAPI object has (a property *named* `nullable`
/// holds a schema, not a boolean).
fn to_json_schema(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(to_json_schema),
        Value::Object(map) => {
            map.values_mut().for_each(to_json_schema);
            for (flag, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                if let Some(Value::Bool(exclusive)) = map.get(flag).cloned() {
                    map.remove(flag);
                    if exclusive && let Some(limit) = map.remove(bound) {
                        map.insert(flag.into(), limit);
                    }
                }
            }
            if let Some(Value::Bool(nullable)) = map.get("nullable").cloned() {
                map.remove("nullable");
                if nullable {
                    nullable_schema(map);
                }
            }
        }
        _ => {}
    }
}

/// Lets `null` through a schema that says `nullable: true`.
fn nullable_schema(map: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = map.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match map.get_mut("type") {
        Some(Value::String(single)) => {
            let single = std::mem::take(single);
            map.insert(
                "type".into(),
                Value::Array(vec![single.into(), "null".into()]),
            );
        }
        Some(Value::Array(types)) => {
            if !types.iter().any(|t| t == "null") {
                types.push("null".into());
            }
        }
        _ => {
            // No `type` (a `$ref`, `allOf`, `oneOf`…): either the schema, or `null`.
            let inner = std::mem::take(map);
            map.insert(
                "anyOf".into(),
                Value::Array(vec![
                    Value::Object(inner),
                    serde_json::json!({"type": "null"}),
                ]),
            );
        }
    }
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        text.chars().take(max).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn segments(path: &[&str]) -> Vec<String> {
        path.iter().map(|s| (*s).to_owned()).collect()
    }

    fn at(path: &[&str], missing: Option<&str>) -> Violation {
        Violation {
            path: segments(path),
            missing: missing.map(str::to_owned),
            message: String::new(),
            instance: Value::Null,
        }
    }

    #[test]
    fn a_violation_explains_a_decode_failure_at_under_or_above_it_only() {
        let decoded = segments(&["entries", "0", "created_by", "0"]);
        // (violation, explains)
        let table = [
            (at(&["entries", "0", "created_by", "0"], None), true), // at
            (at(&["entries", "0", "created_by"], None), true),      // above
            (at(&[], None), true),                                  // the whole reply
            (at(&["entries", "0", "created_by", "0", "id"], None), true), // under
            (at(&["entries", "0", "modified_by"], None), false),    // elsewhere
            (at(&["entries", "1", "created_by"], None), false),     // another item
            (at(&["entries", "0"], Some("created_by")), true),      // the missing one leads there
            (at(&["entries", "0"], Some("role")), false),           // another one is missing
        ];
        for (violation, explains) in table {
            assert_eq!(violation.explains(&decoded), explains, "{violation:?}");
        }
        // `usage`: missing field `input_tokens_details`, the validator says the same.
        assert!(at(&["usage"], Some("input_tokens_details")).explains(&segments(&["usage"])));
        // A failure at the root is explained by any violation.
        assert!(at(&["data", "0"], None).explains(&[]));
    }

    fn spec(version: &str, schema: Value) -> Value {
        json!({
            "openapi": version,
            "paths": {"/things/{id}": {"get": {"responses": {
                "2XX": {"$ref": "#/components/responses/Thing"},
                "default": {"content": {"application/json": {"schema": {"type": "string"}}}}
            }}}},
            "components": {
                "responses": {"Thing": {"content": {
                    "application/problem+json": {"schema": {"type": "integer"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                }}},
                "schemas": {"Thing": schema}
            }
        })
    }

    fn check(spec: &Value, body: Value) -> Vec<String> {
        ReplySchemas::new(spec.clone())
            .violations(
                "GET",
                "/things/{id}",
                200,
                Some("application/json; charset=utf-8"),
                &body,
            )
            .unwrap()
            .iter()
            .map(Violation::evidence)
            .collect()
    }

    #[test]
    fn replies_are_checked_against_the_declared_schema_through_refs() {
        let thing = json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"},
            "owner": {"$ref": "#/components/schemas/Owner"}
        }});
        let mut spec = spec("3.1.0", thing);
        spec["components"]["schemas"]["Owner"] =
            json!({"type": "object", "properties": {"login": {"type": "string"}}});
        assert!(check(&spec, json!({"id": "1", "owner": {"login": "a"}})).is_empty());
        let found = check(&spec, json!({"id": "1", "owner": [{"login": "a"}]}));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("/owner: "), "{found:?}");
        let missing = ReplySchemas::new(spec.clone())
            .violations("get", "/things/{id}", 201, None, &json!({}))
            .unwrap();
        assert_eq!(missing[0].missing.as_deref(), Some("id"));
        // `default` for a status not listed, and no schema is no violation.
        let schemas = ReplySchemas::new(spec.clone());
        assert_eq!(
            schemas
                .violations("get", "/things/{id}", 500, None, &json!(1))
                .unwrap()
                .len(),
            1
        );
        assert!(
            schemas
                .violations("post", "/things/{id}", 200, None, &json!(1))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn openapi_30_nullable_and_exclusive_bounds_are_read_as_json_schema() {
        let thing = json!({"type": "object", "properties": {
            "name": {"type": "string", "nullable": true},
            "kind": {"type": "string", "enum": ["a"], "nullable": true},
            "owner": {"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true},
            "price": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
            "count": {"type": "integer", "maximum": 5, "exclusiveMaximum": false}
        }});
        let mut spec = spec("3.0.3", thing);
        spec["components"]["schemas"]["Owner"] = json!({"type": "object"});
        let fine = json!({"name": null, "kind": null, "owner": null, "price": 0.5, "count": 5});
        assert!(check(&spec, fine).is_empty());
        let found = check(&spec, json!({"price": 0, "owner": "x"}));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().any(|f| f.starts_with("/price: ")));
        assert!(found.iter().any(|f| f.starts_with("/owner: ")));
        // The same schema in a 3.1 document: `nullable` means nothing there.
        let thing = json!({"properties": {"name": {"type": "string", "nullable": true}}});
        let spec_31 = self::spec("3.1.0", thing);
        assert_eq!(check(&spec_31, json!({"name": null})).len(), 1);
    }

    #[test]
    fn values_the_spec_writes_as_schema_examples_are_found() {
        let owner = json!([{"id": 1}, {"login": "a"}]);
        let thing = json!({"type": "object", "properties": {
            "owner": {"type": "object", "example": owner},
            "tags": {"type": "array", "examples": [["x"], ["y"]]},
            "count": {"type": "integer", "example": 0},
            "name": {"type": "string", "example": "string"}
        }});
        let schemas = ReplySchemas::new(spec("3.1.0", thing));
        assert_eq!(
            schemas.example_of(&owner).as_deref(),
            Some("#/components/schemas/Thing/properties/owner/example")
        );
        assert_eq!(
            schemas.example_of(&json!(["y"])).as_deref(),
            Some("#/components/schemas/Thing/properties/tags/examples/1")
        );
        // What a sampler writes by itself is not taken for the spec's.
        assert_eq!(schemas.example_of(&json!(0)), None);
        assert_eq!(schemas.example_of(&json!("string")), None);
        assert_eq!(schemas.example_of(&json!({"id": 2})), None);
    }

    #[test]
    fn a_oneof_that_several_members_match_is_no_evidence() {
        let thing =
            json!({"oneOf": [{"type": "object"}, {"type": "object", "properties": {"a": {}}}]});
        assert!(check(&spec("3.1.0", thing), json!({"a": 1})).is_empty());
    }

    #[test]
    fn a_schema_that_does_not_compile_is_an_error() {
        let thing = json!({"$ref": "#/components/schemas/Missing"});
        let result = ReplySchemas::new(spec("3.1.0", thing)).violations(
            "get",
            "/things/{id}",
            200,
            Some("application/json"),
            &json!({}),
        );
        assert!(result.is_err(), "{result:?}");
    }
}
