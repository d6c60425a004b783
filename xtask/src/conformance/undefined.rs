//! Query parameters whose wire form OpenAPI leaves undefined: arrays of objects (or of
//! arrays) in `form`, `spaceDelimited` or `pipeDelimited` style, which the specification
//! defines for arrays of primitive values only. The SDK sends each item as its JSON text (and
//! the generator warns at the parameter); a mock reads them its own way, so a refusal there is
//! the spec's gap, not a fault of either.

use sdkgen::diagnostics::Pointer;
use serde_json::Value;

use super::values::Values;

/// The query parameter `name` of `method path` when its construct is undefined: where it is
/// (a JSON pointer) and what it is (`an array of objects in `form` style`).
pub fn query_parameter(
    document: &Value,
    method: &str,
    path: &str,
    name: &str,
) -> Option<(String, String)> {
    let values = Values::new(document);
    let item_at = Pointer::root().join("paths").join(path);
    let item = values.resolve(document.get("paths")?.get(path)?);
    let method = method.to_ascii_lowercase();
    let levels = [
        (item.get(&method), item_at.join(&method).join("parameters")),
        (Some(item), item_at.join("parameters")),
    ];
    // The operation's own parameters first: they replace the path item's.
    let (at, param) = levels.iter().find_map(|(holder, at)| {
        (*holder)?
            .get("parameters")?
            .as_array()?
            .iter()
            .enumerate()
            .map(|(i, p)| (at.join(i), values.resolve(p)))
            .find(|(_, p)| {
                p.get("in").and_then(Value::as_str) == Some("query")
                    && p.get("name").and_then(Value::as_str) == Some(name)
            })
    })?;
    let style = param.get("style").and_then(Value::as_str).unwrap_or("form");
    if !matches!(style, "form" | "spaceDelimited" | "pipeDelimited") {
        return None;
    }
    let schema = values.resolve(param.get("schema")?);
    if !has_type(schema, "array") {
        return None;
    }
    let items = values.resolve(schema.get("items")?);
    let what = if has_type(items, "array") {
        "arrays"
    } else if is_object(items, &values, 0) {
        "objects"
    } else {
        return None;
    };
    Some((
        at.as_str().to_owned(),
        format!("an array of {what} in `{style}` style"),
    ))
}

fn has_type(schema: &Value, wanted: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(types)) => types.iter().any(|t| t == wanted),
        _ => false,
    }
}

/// An object schema: `type: object`, or properties without a type, or an `allOf` member that
/// is one.
fn is_object(schema: &Value, values: &Values<'_>, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    has_type(schema, "object")
        || (schema.get("type").is_none()
            && (schema.get("properties").is_some()
                || schema
                    .get("allOf")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .any(|member| is_object(values.resolve(member), values, depth + 1))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arrays_of_objects_or_arrays_in_form_like_styles_are_undefined() {
        let document = json!({
            "paths": {"/search": {
                "parameters": [
                    {"name": "shared", "in": "query", "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Filter"}}},
                    {"name": "mine", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
                ],
                "get": {"parameters": [
                    {"$ref": "#/components/parameters/Filters"},
                    {"name": "pairs", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "array"}}},
                    {"name": "deep", "in": "query", "style": "deepObject", "schema": {"type": "array", "items": {"type": "object"}}},
                    {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "head", "in": "header", "schema": {"type": "array", "items": {"type": "object"}}},
                    {"name": "mine", "in": "query", "schema": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Filter"}]}}}
                ]}
            }},
            "components": {
                "parameters": {"Filters": {"name": "filters", "in": "query", "explode": false,
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Filter"}}}},
                "schemas": {"Filter": {"properties": {"key": {"type": "string"}}}}
            }
        });
        // (parameter, undefined)
        let table = [
            (
                "filters",
                Some((
                    "#/paths/~1search/get/parameters/0",
                    "an array of objects in `form` style",
                )),
            ),
            (
                "pairs",
                Some((
                    "#/paths/~1search/get/parameters/1",
                    "an array of arrays in `pipeDelimited` style",
                )),
            ),
            ("deep", None),
            ("tags", None),
            ("head", None),
            // The operation's own `mine` replaces the path item's.
            (
                "mine",
                Some((
                    "#/paths/~1search/get/parameters/5",
                    "an array of objects in `form` style",
                )),
            ),
            (
                "shared",
                Some((
                    "#/paths/~1search/parameters/0",
                    "an array of objects in `form` style",
                )),
            ),
            ("absent", None),
        ];
        for (name, expected) in table {
            let found = query_parameter(&document, "GET", "/search", name);
            assert_eq!(
                found,
                expected.map(|(at, what)| (at.to_owned(), what.to_owned())),
                "{name}"
            );
        }
    }
}
