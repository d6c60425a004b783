//! The shape of an OpenAPI document as JSON: which kind of object sits where, so that `$ref`s
//! can be checked against what their place expects and schemas can be found wherever they are.

use serde_json::Value;

use crate::diagnostics::Pointer;

/// What an object in an OpenAPI document is, by where it sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The root object.
    Document,
    /// `components`.
    Components,
    /// A Path Item (under `paths`, `webhooks`, a callback or `components/pathItems`).
    PathItem,
    /// An Operation.
    Operation,
    /// A Parameter.
    Parameter,
    /// A Request Body.
    RequestBody,
    /// A Response.
    Response,
    /// A Header.
    Header,
    /// A Media Type (an entry of `content`).
    MediaType,
    /// An Encoding (an entry of a media type's `encoding`).
    Encoding,
    /// An Example.
    Example,
    /// A Link.
    Link,
    /// A Callback.
    Callback,
    /// A Security Scheme.
    SecurityScheme,
    /// A Schema.
    Schema,
}

impl Kind {
    /// The `components` section that holds reusable objects of this kind.
    pub fn section(self) -> Option<&'static str> {
        Some(match self {
            Self::Schema => "schemas",
            Self::Parameter => "parameters",
            Self::Response => "responses",
            Self::RequestBody => "requestBodies",
            Self::Header => "headers",
            Self::Example => "examples",
            Self::Link => "links",
            Self::Callback => "callbacks",
            Self::PathItem => "pathItems",
            Self::SecurityScheme => "securitySchemes",
            _ => return None,
        })
    }

    /// The kind held by a `components` section.
    pub fn of_section(section: &str) -> Option<Self> {
        [
            Self::Schema,
            Self::Parameter,
            Self::Response,
            Self::RequestBody,
            Self::Header,
            Self::Example,
            Self::Link,
            Self::Callback,
            Self::PathItem,
            Self::SecurityScheme,
        ]
        .into_iter()
        .find(|kind| kind.section() == Some(section))
    }

    /// "a schema", "a request body", … for messages.
    pub fn described(self) -> &'static str {
        match self {
            Self::Document => "the document",
            Self::Components => "the components object",
            Self::PathItem => "a path item",
            Self::Operation => "an operation",
            Self::Parameter => "a parameter",
            Self::RequestBody => "a request body",
            Self::Response => "a response",
            Self::Header => "a header",
            Self::MediaType => "a media type",
            Self::Encoding => "an encoding",
            Self::Example => "an example",
            Self::Link => "a link",
            Self::Callback => "a callback",
            Self::SecurityScheme => "a security scheme",
            Self::Schema => "a schema",
        }
    }
}

/// How the value under one key of an object relates to its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Child {
    /// The value is one object of this kind.
    One(Kind),
    /// The value maps names (other than `x-` extensions) to objects of this kind.
    Map(Kind),
    /// The value is a list of objects of this kind.
    List(Kind),
}

/// HTTP methods of a path item.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords whose value is a schema.
const SCHEMA_ONE: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "additionalProperties",
    "additionalItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Schema keywords whose value maps names to schemas.
const SCHEMA_MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Schema keywords whose value is a list of schemas.
const SCHEMA_LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", TUPLE];

/// Where a 3.1 tuple's `prefixItems` are kept once loaded: `openapiv3` keeps only `x-` keys
/// it does not know.
pub const TUPLE: &str = "x-sdkgen-tuple";

/// What the value under `key` of an object of kind `parent` is, when it is an OpenAPI object.
fn child(parent: Kind, key: &str, value: &Value) -> Option<Child> {
    use Kind::*;
    if key.starts_with("x-") && parent != Schema {
        return None;
    }
    Some(match (parent, key) {
        (Document, "paths" | "webhooks") => Child::Map(PathItem),
        (Document, "components") => Child::One(Components),
        (Components, section) => Child::Map(Kind::of_section(section)?),
        (PathItem, "parameters") | (Operation, "parameters") => Child::List(Parameter),
        (PathItem, method) if METHODS.contains(&method) => Child::One(Operation),
        (Operation, "requestBody") => Child::One(RequestBody),
        (Operation, "responses") => Child::Map(Response),
        (Operation, "callbacks") => Child::Map(Callback),
        (Callback, _) => Child::One(PathItem),
        (Parameter | Header, "schema") | (MediaType, "schema") => Child::One(Schema),
        (Parameter | Header | RequestBody | Response, "content") => Child::Map(MediaType),
        (Parameter | Header | MediaType, "examples") => Child::Map(Example),
        (MediaType, "encoding") => Child::Map(Encoding),
        (Encoding | Response, "headers") => Child::Map(Header),
        (Response, "links") => Child::Map(Link),
        (Schema, "items") if value.is_array() => Child::List(Schema),
        (Schema, "items") => Child::One(Schema),
        (Schema, k) if SCHEMA_ONE.contains(&k) => Child::One(Schema),
        (Schema, k) if SCHEMA_MAP.contains(&k) => Child::Map(Schema),
        (Schema, k) if SCHEMA_LIST.contains(&k) => Child::List(Schema),
        _ => return None,
    })
}

/// Visits every OpenAPI object under `value` (itself included) in document order, parents
/// before their children; `visit` may change an object before its children are visited.
/// Only JSON objects are visited (a boolean schema is left to its parent).
pub fn walk_mut(
    value: &mut Value,
    at: &Pointer,
    kind: Kind,
    visit: &mut dyn FnMut(&mut Value, &Pointer, Kind),
) {
    if !value.is_object() {
        return;
    }
    visit(value, at, kind);
    let Some(object) = value.as_object_mut() else {
        return;
    };
    for (key, inner) in object.iter_mut() {
        let Some(child) = child(kind, key, inner) else {
            continue;
        };
        let at = at.join(key);
        match (child, inner) {
            (Child::One(kind), inner) => walk_mut(inner, &at, kind, visit),
            (Child::Map(kind), Value::Object(entries)) => {
                for (name, entry) in entries.iter_mut() {
                    if kind != Kind::Schema && name.starts_with("x-") {
                        continue;
                    }
                    walk_mut(entry, &at.join(name), kind, visit);
                }
            }
            (Child::List(kind), Value::Array(entries)) => {
                for (i, entry) in entries.iter_mut().enumerate() {
                    walk_mut(entry, &at.join(i), kind, visit);
                }
            }
            _ => {}
        }
    }
}

/// Visits every OpenAPI object under `value` like [`walk_mut`], read-only.
pub fn walk(
    value: &Value,
    at: &Pointer,
    kind: Kind,
    visit: &mut dyn FnMut(&Value, &Pointer, Kind),
) {
    let Some(object) = value.as_object() else {
        return;
    };
    visit(value, at, kind);
    for (key, inner) in object {
        let Some(child) = child(kind, key, inner) else {
            continue;
        };
        let at = at.join(key);
        match (child, inner) {
            (Child::One(kind), inner) => walk(inner, &at, kind, visit),
            (Child::Map(kind), Value::Object(entries)) => {
                for (name, entry) in entries {
                    if kind != Kind::Schema && name.starts_with("x-") {
                        continue;
                    }
                    walk(entry, &at.join(name), kind, visit);
                }
            }
            (Child::List(kind), Value::Array(entries)) => {
                for (i, entry) in entries.iter().enumerate() {
                    walk(entry, &at.join(i), kind, visit);
                }
            }
            _ => {}
        }
    }
}

/// The kind of object at `segments` (unescaped JSON pointer segments) below a `root` of kind
/// `kind`, when the path follows the OpenAPI structure to an object position.
pub fn kind_at(root: &Value, kind: Kind, segments: &[String]) -> Option<Kind> {
    let mut value = root;
    let mut kind = kind;
    let mut rest = segments;
    while let Some((key, tail)) = rest.split_first() {
        let inner = value.get(key.as_str())?;
        let (next_kind, next_value, consumed) = match child(kind, key, inner)? {
            Child::One(kind) => (kind, inner, tail),
            Child::Map(kind) => {
                let (name, tail) = tail.split_first()?;
                (kind, inner.get(name.as_str())?, tail)
            }
            Child::List(kind) => {
                let (index, tail) = tail.split_first()?;
                let index: usize = index.parse().ok()?;
                (kind, inner.get(index)?, tail)
            }
        };
        kind = next_kind;
        value = next_value;
        rest = consumed;
    }
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn segments(pointer: &str) -> Vec<String> {
        pointer.split('/').skip(1).map(str::to_owned).collect()
    }

    #[test]
    fn kinds_follow_the_openapi_structure() {
        let doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {"properties": {"b": {}}}}}},
                "responses": {"200": {"description": "ok", "headers": {"h": {"schema": {}}}}}
            }}},
            "components": {"schemas": {"A": {"allOf": [{"items": {}}]}}, "responses": {"R": {"description": "r"}}}
        });
        let table = [
            ("#/paths/~1a", Some(Kind::PathItem)),
            ("#/paths/~1a/get", Some(Kind::Operation)),
            ("#/paths/~1a/get/parameters/0", Some(Kind::Parameter)),
            ("#/paths/~1a/get/parameters/0/schema", Some(Kind::Schema)),
            ("#/paths/~1a/get/requestBody", Some(Kind::RequestBody)),
            (
                "#/paths/~1a/get/requestBody/content/application~1json",
                Some(Kind::MediaType),
            ),
            (
                "#/paths/~1a/get/requestBody/content/application~1json/schema/properties/b",
                Some(Kind::Schema),
            ),
            ("#/paths/~1a/get/responses/200", Some(Kind::Response)),
            (
                "#/paths/~1a/get/responses/200/headers/h",
                Some(Kind::Header),
            ),
            ("#/components/schemas/A/allOf/0/items", Some(Kind::Schema)),
            ("#/components/responses/R", Some(Kind::Response)),
            ("#/components/responses/R/description", None),
            ("#/components/schemas/Missing", None),
            ("#/paths/~1a/get/parameters/7", None),
        ];
        for (pointer, expected) in table {
            let unescaped: Vec<String> = segments(pointer)
                .iter()
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect();
            assert_eq!(
                kind_at(&doc, Kind::Document, &unescaped),
                expected,
                "{pointer}"
            );
        }
    }

    #[test]
    fn walking_visits_parents_first_and_skips_extensions() {
        let mut doc = json!({
            "paths": {"x-note": {"get": {}}, "/a": {"post": {"responses": {"200": {"description": "d"}}}}},
            "components": {"schemas": {"A": {"properties": {"x-b": {"type": "string"}}}}}
        });
        let mut seen = Vec::new();
        walk_mut(
            &mut doc,
            &Pointer::root(),
            Kind::Document,
            &mut |_, at, kind| {
                seen.push(format!("{at} {kind:?}"));
            },
        );
        assert_eq!(
            seen,
            [
                "# Document",
                "#/paths/~1a PathItem",
                "#/paths/~1a/post Operation",
                "#/paths/~1a/post/responses/200 Response",
                "#/components Components",
                "#/components/schemas/A Schema",
                "#/components/schemas/A/properties/x-b Schema",
            ]
        );
    }
}
