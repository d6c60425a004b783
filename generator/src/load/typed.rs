//! Typing JSON values as `openapiv3` objects, with failures reported as JSON pointers.

use openapiv3::{PathItem, ReferenceOr};

use super::Version;
use crate::diagnostics::{Diagnostic, Pointer};

/// The diagnostic for a part of the document that does not deserialize.
pub(super) fn invalid(version: Version, (pointer, message): (Pointer, String)) -> Diagnostic {
    let (label, spec) = match version {
        Version::V3_0 => ("3.0", "3.0.3"),
        Version::V3_1 => ("3.1", "3.1.1"),
    };
    Diagnostic::error(
        pointer,
        format!("this is not a valid OpenAPI {label} object: {message}"),
    )
    .with_help(format!(
        "fix the value at this location so that it matches the OpenAPI {spec} specification"
    ))
}

/// Deserializes `value` (found at `at`) as `T`; on failure, where and why.
pub(super) fn typed<'de, T: serde::de::DeserializeOwned>(
    value: impl serde::Deserializer<'de, Error = serde_json::Error>,
    at: Pointer,
) -> Result<T, (Pointer, String)> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let pointer = error.path().iter().fold(at, |pointer, segment| {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => pointer.join(index),
                Segment::Map { key } => pointer.join(key),
                Segment::Enum { variant } => pointer.join(variant),
                Segment::Unknown => pointer,
            }
        });
        (pointer, error.into_inner().to_string())
    })
}

/// `openapiv3` reads path items, operations and `$ref`-or-object values through flattened or
/// untagged deserializers, which hide the failing key from serde_path_to_error: an error inside
/// an operation lands on the path item. Re-reading the parts one level at a time finds the
/// deepest part that fails on its own, e.g. `#/paths/~1orgs/post/requestBody`.
pub(super) fn narrow(item: &serde_json::Value, item_at: Pointer) -> (Pointer, String) {
    use openapiv3::{Operation, Parameter, RequestBody, Response};
    let item_error = match typed::<PathItem>(item, item_at.clone()) {
        Ok(_) => {
            return (
                item_at,
                "neither a path item nor a `$ref` to one".to_owned(),
            );
        }
        Err(error) => error,
    };
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    for (key, part) in item.as_object().into_iter().flatten() {
        let at = item_at.join(key);
        if key == "parameters" {
            if let Some(found) = first_failure::<ReferenceOr<Parameter>>(part, &at) {
                return found;
            }
            continue;
        }
        if !METHODS.contains(&key.as_str()) {
            continue;
        }
        let Err(op_error) = typed::<Operation>(part, at.clone()) else {
            continue;
        };
        for (field, inner) in part.as_object().into_iter().flatten() {
            let field_at = at.join(field);
            let found = match field.as_str() {
                "requestBody" => typed::<ReferenceOr<RequestBody>>(inner, field_at).err(),
                "parameters" => first_failure::<ReferenceOr<Parameter>>(inner, &field_at),
                "responses" => first_failure::<ReferenceOr<Response>>(inner, &field_at),
                _ => None,
            };
            if let Some(found) = found {
                return found;
            }
        }
        return op_error;
    }
    item_error
}

/// The first element of an array or object (other than `x-` extensions) that is not a `T`.
fn first_failure<T: serde::de::DeserializeOwned>(
    container: &serde_json::Value,
    at: &Pointer,
) -> Option<(Pointer, String)> {
    let entries: Vec<(String, &serde_json::Value)> = match container {
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !k.starts_with("x-"))
            .map(|(k, v)| (k.clone(), v))
            .collect(),
        _ => return None,
    };
    entries
        .into_iter()
        .find_map(|(key, value)| typed::<T>(value, at.join(key)).err())
}
