//! OpenAPI 3.1 → the 3.0 shape that `openapiv3` types, rewriting the JSON value in place.
//!
//! Each 3.1 construct becomes the 3.0 construct with the same meaning, so that the model reads
//! both versions with one code path:
//!
//! | 3.1 | becomes |
//! |---|---|
//! | `type: [T, "null"]`, `type: "null"` | `type: T` + `nullable: true` |
//! | `type: [A, B]` | `oneOf: [{type: A, …}, {type: B, …}]`, each keyword with its type |
//! | `oneOf`/`anyOf` with a `{type: "null"}` member | the other members + `nullable: true`; a single one left stays a one-member union as in 3.0 (merged into the schema when that has a shape of its own; wrapped in `allOf` when it is a `$ref`) |
//! | `$ref` with siblings | `allOf: [{$ref}]` + the siblings, which apply at the use site |
//! | `const: v` | `enum: [v]` (a single-value enum, filled in by builders) |
//! | `examples: [a, …]` | `example: a` |
//! | `exclusiveMinimum: n` | `minimum: n` + `exclusiveMinimum: true` (likewise maximum) |
//! | `prefixItems` of fixed length | `x-sdkgen-tuple` (a Rust tuple) |
//! | `contentEncoding: base64` | `format: byte`, and the encoding in the description |
//! | `patternProperties` alone | `additionalProperties` |
//! | `unevaluatedProperties: false` | `additionalProperties: false` |
//! | boolean schemas | `{}` / a dropped property / `not: {}` |
//! | no `paths`, operations without `responses` | empty ones |
//!
//! What has no sound 3.0 shape is warned about (`if`/`then`/`else`, `dependentRequired`, …)
//! and the value is typed by the remaining keywords. Moves are recorded in [`Origins`].

use serde_json::{Map, Value, json};

use super::origins::Origins;
use super::walk::{self, Kind, TUPLE};
use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};

/// The dialect OpenAPI 3.1 schemas use unless `jsonSchemaDialect` says otherwise, and the plain
/// JSON Schema 2020-12 dialect (the same vocabulary without `discriminator`, `xml`, `example`).
const DIALECTS: &[&str] = &[
    "https://spec.openapis.org/oas/3.1/dialect/base",
    "https://spec.openapis.org/oas/3.1/dialect/2024-11-10",
    "https://json-schema.org/draft/2020-12/schema",
];

/// Keywords that only describe a value: they never decide its shape.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "$comment",
    "externalDocs",
    "xml",
];

/// Brings a 3.1 document into the 3.0 shape (see the module docs). Warnings and the moves it
/// made are returned; their pointers are in the rewritten document.
pub(super) fn normalize(root: &mut Value, origins: &mut Origins) -> Diagnostics {
    let mut context = Context {
        origins,
        diagnostics: Diagnostics::default(),
        dropped_schemes: Vec::new(),
    };
    context.document(root);
    walk::walk_mut(
        root,
        &Pointer::root(),
        Kind::Document,
        &mut |value, at, kind| match kind {
            Kind::Schema => context.schema(value, at),
            Kind::Operation => context.operation(value),
            _ => {}
        },
    );
    context.diagnostics
}

struct Context<'o> {
    origins: &'o mut Origins,
    diagnostics: Diagnostics,
    /// Security schemes that cannot be typed (`mutualTLS`) and were taken out.
    dropped_schemes: Vec<String>,
}

impl Context<'_> {
    fn warn(&mut self, at: &Pointer, message: impl Into<String>, help: &str) {
        self.diagnostics
            .push(Diagnostic::warning(at, message).with_help(help));
    }

    /// The root object: what 3.1 allows there that 3.0 does not.
    fn document(&mut self, root: &mut Value) {
        let at = Pointer::root();
        let Some(object) = root.as_object_mut() else {
            return;
        };
        if let Some(dialect) = object.get("jsonSchemaDialect").and_then(Value::as_str)
            && !DIALECTS.contains(&dialect.trim_end_matches('#'))
        {
            let message = format!(
                "`jsonSchemaDialect` is `{dialect}`; schemas are read as JSON Schema 2020-12 with the OpenAPI vocabulary"
            );
            self.warn(
                &at.join("jsonSchemaDialect"),
                message,
                "keywords of other dialects may be ignored or read differently",
            );
        }
        // 3.1 documents may have only webhooks or components.
        object
            .entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        // `info.summary` is new in 3.1; the crate docs show it before the description.
        if let Some(info) = object.get_mut("info").and_then(Value::as_object_mut)
            && let Some(summary) = info.get("summary").and_then(Value::as_str)
        {
            let description = match info.get("description").and_then(Value::as_str) {
                Some(description) => format!("{summary}\n\n{description}"),
                None => summary.to_owned(),
            };
            info.insert("description".into(), Value::String(description));
        }
        // `mutualTLS` happens below HTTP: there is nothing for the client to send.
        let schemes_at = at.join("components").join("securitySchemes");
        if let Some(schemes) = object
            .get_mut("components")
            .and_then(|c| c.get_mut("securitySchemes"))
            .and_then(Value::as_object_mut)
        {
            let mutual: Vec<String> = schemes
                .iter()
                .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(name, _)| name.clone())
                .collect();
            for name in mutual {
                schemes.remove(&name);
                self.dropped_schemes.push(name);
            }
        }
        for name in self.dropped_schemes.clone() {
            self.warn(
                &schemes_at.join(&name),
                "security scheme type `mutualTLS` is not supported; requests are sent without a client certificate",
                "configure the client certificate on a `reqwest::Client` of your own",
            );
        }
        self.drop_schemes(object.get_mut("security"));
    }

    /// Operations: `responses` became optional in 3.1.
    fn operation(&mut self, value: &mut Value) {
        let Some(object) = value.as_object_mut() else {
            return;
        };
        object
            .entry("responses")
            .or_insert_with(|| Value::Object(Map::new()));
        self.drop_schemes(object.get_mut("security"));
    }

    /// Removes dropped schemes from a list of security requirements.
    fn drop_schemes(&self, security: Option<&mut Value>) {
        let (false, Some(Value::Array(requirements))) = (self.dropped_schemes.is_empty(), security)
        else {
            return;
        };
        for requirement in requirements.iter_mut() {
            if let Some(requirement) = requirement.as_object_mut() {
                requirement.retain(|name, _| !self.dropped_schemes.contains(name));
            }
        }
        requirements.retain(|r| r.as_object().is_none_or(|r| !r.is_empty()));
    }

    /// One schema object, before its subschemas are visited.
    fn schema(&mut self, value: &mut Value, at: &Pointer) {
        let Some(node) = value.as_object_mut() else {
            return;
        };
        booleans(node);
        self.reference_siblings(node, at);
        // A merged member may bring a union with a `null` member of its own.
        for _ in 0..16 {
            if !self.null_members(node, at) {
                break;
            }
        }
        constant(node);
        self.type_list(node, at);
        if let Some(Value::Array(examples)) = node.get("examples")
            && let Some(first) = examples.first()
            && !node.contains_key("example")
        {
            let first = first.clone();
            node.insert("example".into(), first);
        }
        exclusive_bounds(node);
        self.tuple(node, at);
        content(node);
        self.pattern_properties(node, at);
        self.unsupported(node, at);
    }

    /// `{$ref: X, description: …}`: in 3.1 the siblings apply at the use site, so the reference
    /// becomes the single `allOf` member of a schema that carries them.
    fn reference_siblings(&mut self, node: &mut Map<String, Value>, at: &Pointer) {
        if !node.contains_key("$ref") {
            return;
        }
        let has_siblings = node.keys().any(|key| {
            !key.starts_with("x-")
                && !matches!(
                    key.as_str(),
                    "$ref"
                        | "$comment"
                        | "$id"
                        | "$schema"
                        | "$anchor"
                        | "$dynamicAnchor"
                        | "$defs"
                )
        });
        if !has_siblings {
            return;
        }
        let Some(reference) = node.remove("$ref") else {
            return;
        };
        let member = json!({ "$ref": reference });
        let index = match node.get_mut("allOf") {
            Some(Value::Array(members)) => {
                members.push(member);
                members.len() - 1
            }
            _ => {
                node.insert("allOf".into(), Value::Array(vec![member]));
                0
            }
        };
        self.origins
            .moved(at.join("allOf").join(index).to_string(), at.to_string());
    }

    /// `oneOf`/`anyOf` members that only allow `null` make the schema nullable instead. Returns
    /// whether a single remaining member was merged in (which may bring more to do).
    fn null_members(&mut self, node: &mut Map<String, Value>, at: &Pointer) -> bool {
        for keyword in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = node.get(keyword) else {
                continue;
            };
            if !members.iter().any(is_null_schema) {
                continue;
            }
            let Some(Value::Array(members)) = node.remove(keyword) else {
                continue;
            };
            node.insert("nullable".into(), Value::Bool(true));
            let kept: Vec<(usize, Value)> = members
                .into_iter()
                .enumerate()
                .filter(|(_, m)| !is_null_schema(m))
                .collect();
            let list_at = at.join(keyword);
            match kept.len() {
                0 => {}
                1 => {
                    let (index, member) = kept.into_iter().next().expect("one member");
                    return self.merge_member(node, at, keyword, index, member);
                }
                _ => {
                    self.origins.moved_together(kept.iter().enumerate().map(
                        |(now, (before, _))| {
                            (
                                list_at.join(now).to_string(),
                                list_at.join(before).to_string(),
                            )
                        },
                    ));
                    let members = kept.into_iter().map(|(_, m)| m).collect();
                    node.insert(keyword.into(), Value::Array(members));
                }
            }
        }
        false
    }

    /// The one member left of `keyword` (at `index`) once its `null` members are gone. A
    /// reference becomes an `allOf` wrapper; an inline schema stays a one-member union, unless
    /// `node` has a shape of its own that the member adds to: then it is merged into `node`,
    /// whose own annotations win.
    fn merge_member(
        &mut self,
        node: &mut Map<String, Value>,
        at: &Pointer,
        keyword: &str,
        index: usize,
        member: Value,
    ) -> bool {
        let member_at = at.join(keyword).join(index);
        let Value::Object(member) = member else {
            node.insert(keyword.into(), Value::Array(vec![member]));
            return false;
        };
        if member.contains_key("$ref") && !node.contains_key("$ref") {
            let index = match node.get_mut("allOf") {
                Some(Value::Array(members)) => {
                    members.push(Value::Object(member));
                    members.len() - 1
                }
                _ => {
                    node.insert("allOf".into(), json!([Value::Object(member)]));
                    0
                }
            };
            self.origins.moved(
                at.join("allOf").join(index).to_string(),
                member_at.to_string(),
            );
            return false;
        }
        let shaping = |key: &String| !key.starts_with("x-") && !ANNOTATIONS.contains(&key.as_str());
        // With nothing but annotations around it, the member stays a one-member union: the
        // very shape 3.0 writes (`anyOf: [member]` + `nullable`), so both versions read alike
        // (the member keeps its own docs and pointer). It also stays one when both set the
        // same shaping keyword. Otherwise it adds to the schema's own shape: merged below.
        if !node.keys().any(shaping)
            || member
                .keys()
                .any(|key| shaping(key) && node.contains_key(key))
        {
            node.insert(keyword.into(), json!([Value::Object(member)]));
            self.origins
                .moved(at.join(keyword).join(0).to_string(), member_at.to_string());
            return false;
        }
        let mut moves = Vec::new();
        for (key, value) in member {
            if node.contains_key(&key) && !shaping(&key) {
                continue;
            }
            moves.push((at.join(&key).to_string(), member_at.join(&key).to_string()));
            node.insert(key, value);
        }
        self.origins.moved_together(moves);
        true
    }

    /// `type: [..]` and `type: "null"`.
    fn type_list(&mut self, node: &mut Map<String, Value>, at: &Pointer) {
        let types: Vec<String> = match node.get("type") {
            Some(Value::String(t)) if t == "null" => vec!["null".into()],
            Some(Value::Array(list)) => {
                let mut types = Vec::new();
                for t in list.iter().filter_map(Value::as_str) {
                    if !types.iter().any(|seen: &String| seen == t) {
                        types.push(t.to_owned());
                    }
                }
                types
            }
            _ => return,
        };
        node.remove("type");
        let null = types.iter().any(|t| t == "null");
        if null {
            node.insert("nullable".into(), Value::Bool(true));
        }
        let types: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
        match types.as_slice() {
            [] => {}
            [only] => {
                node.insert("type".into(), Value::String(only.clone()));
            }
            _ if ["oneOf", "anyOf", "allOf"]
                .iter()
                .any(|k| node.contains_key(*k)) =>
            {
                self.warn(
                    &at.join("type"),
                    "a list of types next to `oneOf`/`anyOf`/`allOf` is not supported; the list is ignored and the value is typed by the other keywords",
                    "move the types into the `oneOf` members",
                );
            }
            _ => {
                let mut members = Vec::new();
                for t in &types {
                    if let Some(member) = member_of_type(node, t, &types) {
                        members.push(member);
                    }
                }
                for keyword in TYPE_KEYWORDS
                    .iter()
                    .flat_map(|(_, keywords)| keywords.iter())
                {
                    node.remove(*keyword);
                }
                node.remove("enum");
                node.remove("format");
                let list_at = at.join("oneOf");
                self.origins.moved_together(
                    (0..members.len()).map(|i| (list_at.join(i).to_string(), at.to_string())),
                );
                node.insert("oneOf".into(), Value::Array(members));
            }
        }
    }

    /// `prefixItems`: a Rust tuple when the length is fixed, else a `Vec`.
    fn tuple(&mut self, node: &mut Map<String, Value>, at: &Pointer) {
        let Some(Value::Array(prefix)) = node.get("prefixItems") else {
            if matches!(node.get("items"), Some(Value::Bool(_))) {
                // `items: false` alone: an array that is always empty; `true`: anything.
                node.remove("items");
            }
            return;
        };
        let n = prefix.len() as u64;
        let mut schemas: Vec<Value> = prefix.clone();
        let items = node.get("items").cloned();
        let closed = matches!(items, Some(Value::Bool(false)))
            || node
                .get("maxItems")
                .and_then(Value::as_u64)
                .is_some_and(|max| max <= n);
        let exact = closed
            && node
                .get("minItems")
                .and_then(Value::as_u64)
                .is_some_and(|min| min >= n);
        node.entry("type").or_insert_with(|| json!("array"));
        if exact && n > 0 {
            let prefix = node.remove("prefixItems").unwrap_or_default();
            node.remove("items");
            node.insert(TUPLE.into(), prefix);
            self.origins.moved(
                at.join(TUPLE).to_string(),
                at.join("prefixItems").to_string(),
            );
            return;
        }
        if let Some(items) = items.filter(Value::is_object) {
            schemas.push(items);
        }
        let same = schemas.windows(2).all(|pair| pair[0] == pair[1]);
        let first = schemas.into_iter().next();
        node.remove("prefixItems");
        match first {
            Some(first) if same => {
                node.insert("items".into(), first);
                self.origins.moved(
                    at.join("items").to_string(),
                    at.join("prefixItems").join(0).to_string(),
                );
            }
            _ => {
                node.remove("items");
                self.warn(
                    &at.join("prefixItems"),
                    "`prefixItems` of items that may be missing or followed by items of another type; the array is typed `Vec<serde_json::Value>`",
                    "for a Rust tuple, set `minItems` to the number of `prefixItems` and `items: false` (or the same `maxItems`)",
                );
            }
        }
    }

    /// `patternProperties` without `properties`: a map whose values have the pattern's schema.
    fn pattern_properties(&mut self, node: &mut Map<String, Value>, at: &Pointer) {
        let Some(Value::Object(patterns)) = node.remove("patternProperties") else {
            return;
        };
        let Some((first_key, first)) = patterns.iter().next() else {
            return;
        };
        let alone = !node.contains_key("properties") && !node.contains_key("additionalProperties");
        let same = patterns.values().all(|schema| schema == first);
        if alone && same {
            node.insert("additionalProperties".into(), first.clone());
            node.entry("type").or_insert_with(|| json!("object"));
            self.origins.moved(
                at.join("additionalProperties").to_string(),
                at.join("patternProperties").join(first_key).to_string(),
            );
        } else if alone {
            node.insert("additionalProperties".into(), Value::Bool(true));
            node.entry("type").or_insert_with(|| json!("object"));
            self.warn(
                &at.join("patternProperties"),
                "`patternProperties` with schemas that differ; the values are typed `serde_json::Value`",
                "give the patterns one schema, or list the properties",
            );
        } else {
            self.warn(
                &at.join("patternProperties"),
                "`patternProperties` next to `properties` or `additionalProperties` is not applied; keys that only match a pattern are typed by `additionalProperties`, or dropped",
                "list the properties, or use `additionalProperties`",
            );
        }
    }

    /// Keywords with no 3.0 shape: a warning each; the value is typed by the rest.
    fn unsupported(&mut self, node: &mut Map<String, Value>, at: &Pointer) {
        if node.get("unevaluatedProperties") == Some(&Value::Bool(false)) {
            node.entry("additionalProperties")
                .or_insert(Value::Bool(false));
        } else if node
            .get("unevaluatedProperties")
            .is_some_and(Value::is_object)
        {
            self.warn(
                &at.join("unevaluatedProperties"),
                "`unevaluatedProperties` with a schema is not applied; such properties are dropped when decoding",
                "use `additionalProperties`",
            );
        }
        if node
            .get("dependentRequired")
            .is_some_and(|d| d.as_object().is_some_and(|d| !d.is_empty()))
        {
            self.warn(
                &at.join("dependentRequired"),
                "`dependentRequired` is not enforced; the properties it names stay optional",
                "the server still checks it; the SDK lets either form through",
            );
        }
        if node
            .get("dependentSchemas")
            .is_some_and(|d| d.as_object().is_some_and(|d| !d.is_empty()))
        {
            self.warn(
                &at.join("dependentSchemas"),
                "`dependentSchemas` is not applied; the value is typed by the schema's other keywords, and properties only the dependent schemas define are not fields",
                "list those properties under `properties`",
            );
        }
        if let Some(keyword) = ["if", "then", "else"]
            .into_iter()
            .find(|k| node.contains_key(*k))
        {
            self.warn(
                &at.join(keyword),
                "`if`/`then`/`else` is not applied; the value is typed by the schema's other keywords, and properties only `then`/`else` define are not fields",
                "list those properties under `properties` (optional), or use `oneOf`",
            );
        }
        if node.contains_key("$id") {
            self.warn(
                &at.join("$id"),
                "`$id` is not applied: references are resolved against the document, not against this schema's URI",
                "refer to the schema by its JSON pointer",
            );
        }
        if node.contains_key("$vocabulary") {
            self.warn(
                &at.join("$vocabulary"),
                "`$vocabulary` belongs in meta-schemas and is ignored",
                "remove it",
            );
        }
        if let Some(dialect) = node.get("$schema").and_then(Value::as_str)
            && !DIALECTS.contains(&dialect.trim_end_matches('#'))
        {
            let message = format!(
                "`$schema: {dialect}`: this schema is read as JSON Schema 2020-12 with the OpenAPI vocabulary"
            );
            self.warn(
                &at.join("$schema"),
                message,
                "keywords of other dialects may be ignored or read differently",
            );
        }
    }
}

/// Keywords that belong to one JSON type (moved with it when `type` lists several).
const TYPE_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "string",
        &[
            "pattern",
            "minLength",
            "maxLength",
            "contentEncoding",
            "contentMediaType",
            "contentSchema",
        ],
    ),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        "integer",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        "array",
        &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
            "unevaluatedItems",
        ],
    ),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
        ],
    ),
];

/// The `oneOf` member for type `t` of a schema whose `type` lists `all`: the keywords of that
/// type, its share of `enum`, and `format` when the format is of that type. `None` when the
/// schema's `enum` leaves no value of this type.
fn member_of_type(node: &Map<String, Value>, t: &str, all: &[String]) -> Option<Value> {
    let mut member = Map::new();
    member.insert("type".into(), Value::String(t.to_owned()));
    if let Some((_, keywords)) = TYPE_KEYWORDS.iter().find(|(name, _)| *name == t) {
        for keyword in *keywords {
            if let Some(value) = node.get(*keyword) {
                member.insert((*keyword).into(), value.clone());
            }
        }
    }
    if let Some(format) = node.get("format").and_then(Value::as_str) {
        let owner = match format {
            "int32" | "int64" => "integer",
            "float" | "double" => "number",
            _ => "string",
        };
        let owner = if all.iter().any(|a| a == owner) {
            owner
        } else if owner == "integer" && all.iter().any(|a| a == "number") {
            "number"
        } else {
            ""
        };
        if owner == t {
            member.insert("format".into(), Value::String(format.to_owned()));
        }
    }
    if let Some(Value::Array(values)) = node.get("enum") {
        let own: Vec<Value> = values
            .iter()
            .filter(|v| json_type_is(v, t))
            .cloned()
            .collect();
        if own.is_empty() {
            return None;
        }
        member.insert("enum".into(), Value::Array(own));
    }
    Some(Value::Object(member))
}

fn json_type_is(value: &Value, t: &str) -> bool {
    match t {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// Whether a schema allows nothing but `null`.
fn is_null_schema(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    let null_only = match (object.get("type"), object.get("const"), object.get("enum")) {
        (Some(Value::String(t)), ..) => t == "null",
        (Some(Value::Array(types)), ..) => types.iter().all(|t| t == "null") && !types.is_empty(),
        (None, Some(Value::Null), _) => true,
        (None, None, Some(Value::Array(values))) => {
            !values.is_empty() && values.iter().all(Value::is_null)
        }
        _ => false,
    };
    null_only
        && object.keys().all(|key| {
            key.starts_with("x-")
                || ANNOTATIONS.contains(&key.as_str())
                || matches!(key.as_str(), "type" | "const" | "enum")
        })
}

/// Boolean schemas where `openapiv3` expects objects: `true` allows anything (`{}`); a `false`
/// property can never be present, so it is dropped; a `false` member allows nothing.
fn booleans(node: &mut Map<String, Value>) {
    if let Some(Value::Object(properties)) = node.get_mut("properties") {
        let never: Vec<String> = properties
            .iter()
            .filter(|(_, s)| **s == Value::Bool(false))
            .map(|(name, _)| name.clone())
            .collect();
        for (_, schema) in properties.iter_mut() {
            if *schema == Value::Bool(true) {
                *schema = json!({});
            }
        }
        properties.retain(|name, _| !never.contains(name));
        if let Some(Value::Array(required)) = node.get_mut("required") {
            required.retain(|name| name.as_str().is_none_or(|n| !never.iter().any(|x| x == n)));
        }
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = node.get_mut(keyword) {
            for member in members.iter_mut() {
                match member {
                    Value::Bool(true) => *member = json!({}),
                    Value::Bool(false) => *member = json!({"not": {}}),
                    _ => {}
                }
            }
        }
    }
    match node.get("not") {
        Some(Value::Bool(false)) => {
            node.remove("not");
        }
        Some(Value::Bool(true)) => {
            node.insert("not".into(), json!({}));
        }
        _ => {}
    }
}

/// `const: v` → `enum: [v]`, with the type of `v` when the schema has none.
fn constant(node: &mut Map<String, Value>) {
    let Some(value) = node.remove("const") else {
        return;
    };
    if value.is_null() {
        node.insert("nullable".into(), Value::Bool(true));
        return;
    }
    if !node.contains_key("type") {
        let t = match &value {
            Value::String(_) => "string",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Null => unreachable!("handled above"),
        };
        node.insert("type".into(), Value::String(t.to_owned()));
    }
    node.insert("enum".into(), Value::Array(vec![value]));
}

/// Numeric `exclusiveMinimum`/`exclusiveMaximum` → the 3.0 bound with a boolean flag.
fn exclusive_bounds(node: &mut Map<String, Value>) {
    for (exclusive, bound, stricter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        let Some(Value::Number(limit)) = node.get(exclusive).cloned() else {
            continue;
        };
        node.remove(exclusive);
        let inclusive = node.get(bound).and_then(Value::as_f64);
        let limit_f = limit.as_f64().unwrap_or_default();
        let exclusive_wins = inclusive
            .is_none_or(|inclusive| limit_f.partial_cmp(&inclusive) != Some(stricter.reverse()));
        if exclusive_wins {
            node.insert(bound.into(), Value::Number(limit));
            node.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

/// `contentEncoding`/`contentMediaType` on strings: base64 is `format: byte`; both are said in
/// the description, since the Rust type (`String`) cannot say them.
fn content(node: &mut Map<String, Value>) {
    let encoding = node
        .get("contentEncoding")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let media = node
        .get("contentMediaType")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let note = match (&encoding, &media) {
        (Some(encoding), Some(media)) => format!("`{media}` content, {encoding}-encoded."),
        (Some(encoding), None) => format!("{}-encoded.", capitalized(encoding)),
        (None, Some(media)) => format!("`{media}` content."),
        (None, None) => return,
    };
    if !node.contains_key("format") {
        match (&encoding, &media) {
            (Some(e), _)
                if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") =>
            {
                node.insert("format".into(), json!("byte"));
            }
            (None, Some(_)) => {
                node.insert("format".into(), json!("binary"));
            }
            _ => {}
        }
    }
    let description = match node.get("description").and_then(Value::as_str) {
        Some(description) => format!("{description}\n\n{note}"),
        None => note,
    };
    node.insert("description".into(), Value::String(description));
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
