//! What Prism is served: the spec with the OpenAPI defaults Prism does not apply spelled out.
//!
//! Prism 5 reads an array property of an `application/x-www-form-urlencoded` body only when
//! the media type's Encoding Object names it; without one it takes `domains=a&domains=b` for
//! a string and refuses the request ("must be array"). OpenAPI's default for such a property
//! is `style: form, explode: true`, which is exactly repeated keys, what the SDK sends. So the
//! mock gets a copy with that default written out for array properties that have no encoding
//! entry. Prism also never reads a *nullable* array from a form (it checks for exactly
//! `type: array`), so the mock's copy of such a property drops the `null`; a form cannot send
//! a JSON `null` in an array's place anyway.
//!
//! Prism reads `multipart/form-data` bodies the same way (repeated parts for an array only with
//! an Encoding Object `style`), and it does not parse the JSON parts OpenAPI sends objects as
//! (`expires_after must be object`, whatever the part's content type): the mock's copy of a
//! multipart body gets the same array encodings and takes any value for object properties.
//!
//! Prism reads a form or multipart body by the schema's `properties` and drops every other
//! field, so a name listed in `required` without a property schema (`required: [grant_type]`
//! and no `grant_type` property) is refused as missing however it is sent: the mock's copy
//! gives such a name an empty schema `{}`, which takes any value and is still required.
//!
//! Prism 5 does not split `spaceDelimited` or `pipeDelimited` query arrays either: it refuses
//! `scope=email%20profile`, `email+profile` and `email|profile` alike, checking the whole
//! string against the items' schema. So the mock's copy of such a parameter takes any items
//! (the array itself, and whether it is required, are still checked). Nothing else changes,
//! and the SDK is still generated from the user's own file.

use sdkgen::diagnostics::Pointer;
use serde_json::{Map, Value, json};

use super::values::Values;

/// Rewrites the mock's copy of the spec as the module says; how many places it changed.
pub fn adapt_for_prism(spec: &mut Value) -> usize {
    spell_out_form_defaults(spec) + relax_delimited_query_arrays(spec)
}

/// Lets every item through in `spaceDelimited` and `pipeDelimited` query arrays, where they
/// are defined (a shared parameter in `components/parameters`); how many it changed.
fn relax_delimited_query_arrays(spec: &mut Value) -> usize {
    let mut pointers = Vec::new();
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = Pointer::root().join("paths").join(path);
        let path_level = item.get("parameters").map(|p| (at.join("parameters"), p));
        let operations = item
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(method, op)| {
                Some((at.join(method).join("parameters"), op.get("parameters")?))
            });
        for (list_at, list) in path_level.into_iter().chain(operations) {
            for (i, param) in list.as_array().into_iter().flatten().enumerate() {
                pointers.push(match param.get("$ref").and_then(Value::as_str) {
                    Some(reference) => Pointer::from_ref(reference),
                    None => list_at.join(i),
                });
            }
        }
    }
    pointers.sort();
    pointers.dedup();
    let mut changed = 0;
    for pointer in pointers {
        let values = Values::new(spec);
        let Some(param) = spec.pointer(json_pointer(&pointer)) else {
            continue;
        };
        let delimited = matches!(
            param.get("style").and_then(Value::as_str),
            Some("spaceDelimited" | "pipeDelimited")
        );
        if param.get("in").and_then(Value::as_str) != Some("query") || !delimited {
            continue;
        }
        let Some(schema) = param.get("schema") else {
            continue;
        };
        let mut schema = values.resolve(schema).clone();
        if !is_array(&schema) {
            continue;
        }
        schema["items"] = json!({});
        if let Some(slot) = spec.pointer_mut(&format!("{}/schema", json_pointer(&pointer))) {
            *slot = schema;
            changed += 1;
        }
    }
    changed
}

/// Adds the default encoding to form bodies' array properties; how many it added.
fn spell_out_form_defaults(spec: &mut Value) -> usize {
    let mut media_pointers = Vec::new();
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(mut body) = operation.get("requestBody") else {
                continue;
            };
            let mut pointer = Pointer::root()
                .join("paths")
                .join(path)
                .join(method)
                .join("requestBody");
            // A shared request body is changed where it is defined.
            if let Some(reference) = body.get("$ref").and_then(Value::as_str) {
                pointer = Pointer::from_ref(reference);
                let Some(target) = spec.pointer(json_pointer(&pointer)) else {
                    continue;
                };
                body = target;
            }
            for media in body
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|content| content.keys())
            {
                let essence = media.split(';').next().unwrap_or("").trim();
                if [FORM, MULTIPART].contains(&essence) {
                    let multipart = essence == MULTIPART;
                    media_pointers.push((pointer.join("content").join(media), multipart));
                }
            }
        }
    }
    media_pointers.sort();
    media_pointers.dedup();
    let mut added = 0;
    for (pointer, multipart) in media_pointers {
        added += localize(spec, &pointer, multipart);
        let arrays = array_properties(spec, &pointer);
        let Some(Value::Object(media)) = spec.pointer_mut(json_pointer(&pointer)) else {
            continue;
        };
        let encoding = media
            .entry("encoding")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(encoding) = encoding else {
            continue;
        };
        for name in arrays {
            if !encoding.contains_key(&name) {
                encoding.insert(name, json!({"style": "form", "explode": true}));
                added += 1;
            }
        }
    }
    added
}

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// Gives the form media type at `pointer` its own copy of its schema (so that shared schemas
/// of JSON bodies stay as they are), drops `null` from its nullable array properties and, in a
/// `multipart` body, lets any value through for object properties (sent as JSON parts, which
/// Prism does not parse); how many it changed.
fn localize(spec: &mut Value, pointer: &Pointer, multipart: bool) -> usize {
    let at = pointer.join("schema");
    let values = Values::new(spec);
    let Some(schema) = spec.pointer(json_pointer(&at)) else {
        return 0;
    };
    let mut schema = values.resolve(schema).clone();
    let mut changed = 0;
    let mut members = vec![&mut schema];
    while let Some(member) = members.pop() {
        for property in member
            .get_mut("properties")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flat_map(|p| p.values_mut())
        {
            let resolved = values.resolve(property).clone();
            if multipart && is_object(&resolved) {
                *property = json!({});
                changed += 1;
            } else if is_array(&resolved) && is_nullable(&resolved) {
                *property = without_null(resolved);
                changed += 1;
            }
        }
        // `allOf` members by reference become local copies too, then are walked.
        if let Some(Value::Array(all_of)) = member.get_mut("allOf") {
            for part in all_of.iter_mut() {
                *part = values.resolve(part).clone();
                members.push(part);
            }
        }
    }
    changed += name_required_fields(&mut schema);
    if changed > 0
        && let Some(slot) = spec.pointer_mut(json_pointer(&at))
    {
        *slot = schema;
    }
    changed
}

/// Gives every name a form schema lists in `required` without a property schema (in any of
/// its `allOf` members, already local copies) an empty schema `{}`: Prism reads a form body
/// by the schema's `properties` and drops every other field, so it would refuse a request
/// that sends such a field as missing it. How many it added.
fn name_required_fields(schema: &mut Value) -> usize {
    let mut named: Vec<String> = Vec::new();
    let mut pending = vec![&*schema];
    while let Some(member) = pending.pop() {
        named.extend(
            member
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|p| p.keys().cloned()),
        );
        pending.extend(
            member
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
    }
    let mut added = 0;
    let mut pending = vec![schema];
    while let Some(member) = pending.pop() {
        let missing: Vec<String> = member
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|name| !named.iter().any(|n| n == name))
            .map(str::to_owned)
            .collect();
        if let Value::Object(map) = member
            && !missing.is_empty()
        {
            let properties = map
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(properties) = properties {
                for name in missing {
                    if !properties.contains_key(&name) {
                        properties.insert(name.clone(), json!({}));
                        named.push(name);
                        added += 1;
                    }
                }
            }
        }
        if let Some(Value::Array(all_of)) = member.get_mut("allOf") {
            pending.extend(all_of.iter_mut());
        }
    }
    added
}

fn is_array(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "array",
        Some(Value::Array(types)) => types.iter().any(|t| t == "array"),
        _ => false,
    }
}

fn is_object(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(types)) => types.iter().any(|t| t == "object"),
        _ => schema.get("properties").is_some(),
    }
}

fn is_nullable(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        || matches!(schema.get("type"), Some(Value::Array(types)) if types.iter().any(|t| t == "null"))
}

fn without_null(mut schema: Value) -> Value {
    if let Value::Object(map) = &mut schema {
        map.remove("nullable");
        if let Some(Value::Array(types)) = map.get_mut("type") {
            types.retain(|t| t != "null");
        }
    }
    schema
}

/// The names of the array properties of the schema of the media type at `pointer` (through
/// `$ref`s and `allOf` members).
fn array_properties(spec: &Value, pointer: &Pointer) -> Vec<String> {
    let values = Values::new(spec);
    let mut names = Vec::new();
    let mut pending: Vec<&Value> = spec
        .pointer(json_pointer(pointer))
        .and_then(|m| m.get("schema"))
        .into_iter()
        .collect();
    let mut seen = 0;
    while let Some(schema) = pending.pop() {
        seen += 1;
        if seen > 64 {
            break;
        }
        let schema = values.resolve(schema);
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if is_array(values.resolve(property)) && !names.contains(name) {
                names.push(name.clone());
            }
        }
        pending.extend(
            schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
    }
    names
}

/// `pointer` as `serde_json::Value::pointer` takes it: without the leading `#`.
fn json_pointer(pointer: &Pointer) -> &str {
    pointer.as_str().trim_start_matches('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_form_arrays_lose_their_null_in_a_local_copy_only() {
        let mut spec = json!({
            "paths": {"/a": {"patch": {"requestBody": {"content": {
                "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Patch"}}
            }}}}},
            "components": {"schemas": {"Patch": {"properties": {
                "domains": {"type": "array", "nullable": true, "items": {"type": "string"}},
                "ids": {"type": ["array", "null"]},
                "name": {"type": "string", "nullable": true}
            }}}}
        });
        let shared = spec["components"].clone();
        assert_eq!(adapt_for_prism(&mut spec), 4);
        assert_eq!(
            spec["components"], shared,
            "the shared schema is left alone"
        );
        let form = &spec["paths"]["/a"]["patch"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
        assert_eq!(
            form["schema"]["properties"],
            json!({
                "domains": {"type": "array", "items": {"type": "string"}},
                "ids": {"type": ["array"]},
                "name": {"type": "string", "nullable": true}
            })
        );
        assert_eq!(
            form["encoding"],
            json!({"domains": {"style": "form", "explode": true}, "ids": {"style": "form", "explode": true}})
        );
    }

    #[test]
    fn form_array_properties_get_the_default_encoding_and_nothing_else_changes() {
        let mut spec = json!({
            "paths": {"/a/{id}": {
                "post": {"requestBody": {"content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"$ref": "#/components/schemas/Form"},
                        "encoding": {"tags": {"style": "form", "explode": false}}
                    },
                    "application/json": {"schema": {"$ref": "#/components/schemas/Form"}}
                }}},
                "put": {"requestBody": {"$ref": "#/components/requestBodies/Shared"}}
            }},
            "components": {
                "schemas": {"Form": {"allOf": [
                    {"properties": {"domains": {"type": "array", "items": {"type": "string"}}}},
                    {"properties": {
                        "tags": {"type": "array"},
                        "name": {"type": "string"},
                        "ids": {"type": ["array", "null"]}
                    }}
                ]}},
                "requestBodies": {"Shared": {"content": {"application/x-www-form-urlencoded; charset=utf-8": {
                    "schema": {"properties": {"to": {"type": "array"}}}
                }}}}
            }
        });
        // Three encodings, and `ids` loses its `null` in the form's own copy of `Form`.
        assert_eq!(adapt_for_prism(&mut spec), 4);
        assert_eq!(
            spec["paths"]["/a/{id}"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
                ["schema"]["allOf"][1]["properties"]["ids"],
            json!({"type": ["array"]})
        );
        let form = &spec["paths"]["/a/{id}"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
            ["encoding"];
        assert_eq!(
            form,
            &json!({
                "tags": {"style": "form", "explode": false},
                "domains": {"style": "form", "explode": true},
                "ids": {"style": "form", "explode": true}
            })
        );
        assert!(
            spec["paths"]["/a/{id}"]["post"]["requestBody"]["content"]["application/json"]
                .get("encoding")
                .is_none()
        );
        assert_eq!(
            spec["components"]["requestBodies"]["Shared"]["content"]["application/x-www-form-urlencoded; charset=utf-8"]
                ["encoding"],
            json!({"to": {"style": "form", "explode": true}})
        );
    }

    #[test]
    fn required_form_fields_without_a_property_schema_get_an_empty_one() {
        let mut spec = json!({
            "paths": {
                "/revoke": {"post": {"requestBody": {"content": {
                    "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Revoke"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/Revoke"}}
                }}}},
                "/upload": {"post": {"requestBody": {"content": {"multipart/form-data": {"schema": {
                    "allOf": [
                        {"required": ["file", "purpose"], "properties": {"file": {"type": "string"}}},
                        {"required": ["purpose"], "properties": {"purpose": {"type": "string"}}}
                    ]
                }}}}}}
            },
            "components": {"schemas": {"Revoke": {
                "type": "object",
                "required": ["grant_type", "token"],
                "properties": {"token": {"type": "string"}}
            }}}
        });
        let before = spec.clone();
        // `grant_type` has no property schema; `purpose` has one in another `allOf` member.
        assert_eq!(adapt_for_prism(&mut spec), 1);
        let form = &spec["paths"]["/revoke"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
        assert_eq!(
            form["schema"],
            json!({
                "type": "object",
                "required": ["grant_type", "token"],
                "properties": {"token": {"type": "string"}, "grant_type": {}}
            })
        );
        assert_eq!(
            spec["components"], before["components"],
            "the shared schema is left alone"
        );
        assert_eq!(
            spec["paths"]["/revoke"]["post"]["requestBody"]["content"]["application/json"],
            before["paths"]["/revoke"]["post"]["requestBody"]["content"]["application/json"],
            "JSON bodies are read whole"
        );
        let upload = |spec: &Value| {
            spec["paths"]["/upload"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
                .clone()
        };
        assert_eq!(upload(&spec), upload(&before));
        // A required name no member describes gets its schema in the member that requires it.
        let mut spec = json!({"paths": {"/a": {"post": {"requestBody": {"content": {
            "multipart/form-data": {"schema": {"allOf": [{"required": ["x"]}]}}
        }}}}}});
        assert_eq!(adapt_for_prism(&mut spec), 1);
        assert_eq!(
            spec["paths"]["/a"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"],
            json!({"allOf": [{"required": ["x"], "properties": {"x": {}}}]})
        );
    }

    #[test]
    fn delimited_query_arrays_take_any_items_and_nothing_else_changes() {
        let scope = json!({"name": "scope", "in": "query", "style": "spaceDelimited", "explode": false,
            "schema": {"type": "array", "items": {"type": "string", "enum": ["email", "profile"]}}});
        let mut spec = json!({
            "paths": {"/a": {
                "parameters": [{"$ref": "#/components/parameters/Ids"}],
                "get": {"parameters": [
                    scope,
                    {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"enum": ["x"]}}},
                    {"name": "kind", "in": "header", "style": "pipeDelimited", "schema": {"type": "array"}}
                ]}
            }},
            "components": {
                "parameters": {"Ids": {"name": "ids", "in": "query", "style": "pipeDelimited",
                    "schema": {"$ref": "#/components/schemas/Ids"}}},
                "schemas": {"Ids": {"type": "array", "items": {"type": "integer"}}}
            }
        });
        let before = spec.clone();
        assert_eq!(adapt_for_prism(&mut spec), 2);
        let get = &spec["paths"]["/a"]["get"]["parameters"];
        assert_eq!(get[0]["schema"], json!({"type": "array", "items": {}}));
        assert_eq!(
            get[1], before["paths"]["/a"]["get"]["parameters"][1],
            "form style"
        );
        assert_eq!(
            get[2], before["paths"]["/a"]["get"]["parameters"][2],
            "not a query"
        );
        assert_eq!(
            spec["components"]["parameters"]["Ids"]["schema"],
            json!({"type": "array", "items": {}}),
            "a shared parameter changes where it is defined"
        );
        assert_eq!(
            spec["components"]["schemas"],
            before["components"]["schemas"]
        );
    }

    #[test]
    fn multipart_arrays_get_the_default_encoding_and_objects_take_any_value() {
        let mut spec = json!({
            "paths": {"/files": {"post": {"requestBody": {"content": {
                "multipart/form-data": {"schema": {"properties": {
                    "file": {"type": "string", "format": "binary"},
                    "languages": {"type": "array", "items": {"type": "string"}},
                    "expires_after": {"$ref": "#/components/schemas/Expiry"}
                }}},
                "application/json": {"schema": {"$ref": "#/components/schemas/Expiry"}}
            }}}}},
            "components": {"schemas": {"Expiry": {"type": "object", "properties": {"days": {"type": "integer"}}}}}
        });
        let before = spec.clone();
        assert_eq!(adapt_for_prism(&mut spec), 2);
        let multipart =
            &spec["paths"]["/files"]["post"]["requestBody"]["content"]["multipart/form-data"];
        assert_eq!(
            multipart["schema"]["properties"]["expires_after"],
            json!({})
        );
        assert_eq!(
            multipart["schema"]["properties"]["file"],
            before["paths"]["/files"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
                ["properties"]["file"]
        );
        assert_eq!(
            multipart["encoding"],
            json!({"languages": {"style": "form", "explode": true}})
        );
        assert_eq!(spec["components"], before["components"]);
        assert!(
            spec["paths"]["/files"]["post"]["requestBody"]["content"]["application/json"]
                .get("encoding")
                .is_none()
        );
    }
}
