//! Reads a spec document (YAML or JSON, told apart by content) into `openapiv3` types.
//!
//! Everything is first read into a `serde_json::Value`, so that YAML and JSON share one path,
//! the OpenAPI version can be checked before the typed parse, and typed-parse failures can be
//! reported as JSON pointers.
//!
//! Path items stay JSON until the model reads them, one at a time ([`PathItems`]): typed, they
//! take about twice the memory of their JSON, and they are most of a document.

use openapiv3::{PathItem, ReferenceOr};

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};

/// A parsed OpenAPI 3.0 document.
#[derive(Debug)]
pub struct Document {
    /// Everything but the path items: `openapi.paths` holds only the `x-` extensions of
    /// the Paths object.
    pub openapi: openapiv3::OpenAPI,
    /// The path items, typed as they are iterated.
    pub paths: PathItems,
}

/// Parses `bytes` as an OpenAPI 3.0 document; `source` names it in diagnostics.
pub fn load(bytes: &[u8], source: &str) -> Result<Document, Diagnostics> {
    let mut value = parse_value(bytes, source)?;
    check_version(&value)?;
    // A `paths` that is not an object stays, for the typed parse to report.
    let paths = match value.get_mut("paths") {
        Some(serde_json::Value::Object(paths)) => {
            let (extensions, items) = std::mem::take(paths)
                .into_iter()
                .partition(|(key, _)| key.starts_with("x-"));
            *paths = extensions;
            items
        }
        _ => serde_json::Map::new(),
    };
    // The value is consumed so that its strings move into the document instead of being
    // copied: the two are never alive in full at the same time.
    let openapi = typed(value, Pointer::root()).map_err(invalid)?;
    Ok(Document {
        openapi,
        paths: PathItems {
            items: paths.into_iter(),
        },
    })
}

/// The path items of a document in document order, each typed when it is reached. One that
/// is not a valid OpenAPI path item is an error at the deepest part that fails on its own.
#[derive(Debug)]
pub struct PathItems {
    items: serde_json::map::IntoIter,
}

impl Iterator for PathItems {
    type Item = Result<(String, ReferenceOr<PathItem>), Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        let (path, value) = self.items.next()?;
        let at = Pointer::root().join("paths").join(&path);
        // Typed from a borrow: on failure the value is needed again to find the failing part.
        let item = typed::<ReferenceOr<PathItem>>(&value, at.clone())
            .map_err(|_| invalid(narrow(&value, at)));
        Some(item.map(|item| (path, item)))
    }
}

/// The diagnostic for a part of the document that does not deserialize.
fn invalid((pointer, message): (Pointer, String)) -> Diagnostic {
    Diagnostic::error(
        pointer,
        format!("this is not a valid OpenAPI 3.0 object: {message}"),
    )
    .with_help("fix the value at this location so that it matches the OpenAPI 3.0.3 specification")
}

/// Deserializes `value` (found at `at`) as `T`; on failure, where and why.
fn typed<'de, T: serde::de::DeserializeOwned>(
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
fn narrow(item: &serde_json::Value, item_at: Pointer) -> (Pointer, String) {
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

/// YAML or JSON text → a JSON value, with line and column on syntax errors. Public for tools
/// that read a spec as the generator does (the conformance harness takes examples from it).
pub fn parse_value(bytes: &[u8], source: &str) -> Result<serde_json::Value, Diagnostics> {
    let root = Pointer::root();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Diagnostic::error(root, format!("{source} is empty"))
            .with_help("point the generator at an OpenAPI 3.0 document in YAML or JSON")
            .into());
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(Diagnostic::error(
            root,
            format!("{source} is not UTF-8 text (is it a binary file?)"),
        )
        .with_help("OpenAPI documents are YAML or JSON text encoded as UTF-8")
        .into());
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\0') {
        return Err(Diagnostic::error(
            root,
            format!("{source} contains NUL bytes (is it a binary file?)"),
        )
        .with_help("OpenAPI documents are YAML or JSON text")
        .into());
    }
    let looks_like_json = text.trim_start().starts_with(['{', '[']);
    if looks_like_json {
        // serde_json's message already ends with the line and column.
        serde_json::from_str(text)
            .map(|JsonValue(value)| value)
            .map_err(|e| Diagnostic::error(root, format!("{source} is not valid JSON: {e}")).into())
    } else {
        serde_saphyr::from_str_with_options(text, yaml_options(text.len()))
            .map(|JsonValue(value)| value)
            .map_err(|e| {
                Diagnostic::error(
                    root,
                    format!("{source} is not valid YAML: {}", yaml_error(&e)),
                )
                .into()
            })
    }
}

/// How YAML is read. serde-saphyr parses as it deserializes, without first collecting the whole
/// document's events (which took about nine bytes of memory per byte of input).
fn yaml_options(input_len: usize) -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    // YAML 1.2: `yes`, `no`, `on` and `off` are strings (an enum of country codes keeps `NO`).
    options.strict_booleans = true;
    // The default budgets stop hostile input; the ones that count what any document has
    // plenty of grow with the input, so that a big but ordinary spec is not refused. The
    // default depth (64) stays: real specs nest up to about 20 levels, and the deserializer
    // recurses once per level on a thread's stack.
    if let Some(budget) = options.budget.as_mut() {
        budget.max_events = budget.max_events.max(input_len);
        budget.max_nodes = budget.max_nodes.max(input_len);
    }
    options
}

/// A YAML error in one line, worded for whoever wrote the file (not for the code that reads
/// it: serde-saphyr's developer wording names its own options).
fn yaml_error(error: &serde_saphyr::Error) -> String {
    use serde_saphyr::MessageFormatter as _;
    use serde_saphyr::budget::BudgetBreach;
    let error = error.without_snippet();
    let message = match error {
        serde_saphyr::Error::Budget {
            breach: BudgetBreach::Depth { depth },
            ..
        } => format!("nesting deeper than {} levels", depth.saturating_sub(1)).into(),
        _ => serde_saphyr::UserMessageFormatter.format_message(error),
    };
    match error.location() {
        Some(at) if at.line() > 0 => {
            format!("{message} at line {} column {}", at.line(), at.column())
        }
        _ => message.into_owned(),
    }
}

/// A JSON value read from any self-describing format, built straight from the parser's events
/// (no intermediate YAML value). YAML allows non-string keys (`200:` is an integer); OpenAPI
/// keys are strings, so scalar keys are turned into their text, as other OpenAPI tools do.
/// A tagged YAML value (`!foo bar`) is read as its value.
struct JsonValue(serde_json::Value);

impl<'de> serde::Deserialize<'de> for JsonValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(JsonValue)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value that JSON can represent")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .ok_or_else(|| E::custom(format!("the number {v} cannot be represented in JSON")))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(JsonValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(ScalarKey(key)) = map.next_key()? {
            let JsonValue(value) = map.next_value()?;
            if object.contains_key(&key) {
                // JSON parsers differ on which duplicate wins; do not guess.
                return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
            }
            object.insert(key, value);
        }
        Ok(serde_json::Value::Object(object))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        use serde::de::VariantAccess;
        let (serde::de::IgnoredAny, value) = data.variant()?;
        value.newtype_variant::<JsonValue>().map(|v| v.0)
    }
}

/// A mapping key: any scalar, as its text.
struct ScalarKey(String);

impl<'de> serde::Deserialize<'de> for ScalarKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = String;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a scalar mapping key")
            }

            fn visit_bool<E>(self, v: bool) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_i64<E>(self, v: i64) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_u64<E>(self, v: u64) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_f64<E>(self, v: f64) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_str<E>(self, v: &str) -> Result<String, E> {
                Ok(v.to_owned())
            }

            fn visit_string<E>(self, v: String) -> Result<String, E> {
                Ok(v)
            }

            fn visit_unit<E>(self) -> Result<String, E> {
                Ok("null".to_owned())
            }
        }
        deserializer.deserialize_any(KeyVisitor).map(ScalarKey)
    }
}

/// Rejects documents that are not OpenAPI 3.0 with a message saying what they are instead.
fn check_version(value: &serde_json::Value) -> Result<(), Diagnostics> {
    let root = Pointer::root();
    let Some(object) = value.as_object() else {
        return Err(
            Diagnostic::error(root, "the document is not a YAML/JSON object")
                .with_help("an OpenAPI document is an object with `openapi`, `info` and `paths`")
                .into(),
        );
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(Diagnostic::error(
            root.join("swagger"),
            format!(
                "Swagger {} documents are not supported",
                display_scalar(swagger)
            ),
        )
        .with_help("convert the document to OpenAPI 3.0 first (for example with swagger2openapi)")
        .into());
    }
    let Some(version) = object.get("openapi") else {
        return Err(
            Diagnostic::error(root, "the document has no `openapi` version field")
                .with_help("add `openapi: 3.0.3` at the top of the document")
                .into(),
        );
    };
    let version = display_scalar(version);
    if version.starts_with("3.0") {
        Ok(())
    } else if version.starts_with("3.1") {
        Err(Diagnostic::error(
            root.join("openapi"),
            format!("OpenAPI {version} is not supported yet"),
        )
        .with_help("only OpenAPI 3.0.x documents can be generated from for now")
        .into())
    } else {
        Err(Diagnostic::error(
            root.join("openapi"),
            format!("unknown OpenAPI version `{version}`"),
        )
        .with_help("set `openapi` to a 3.0.x version such as `3.0.3`")
        .into())
    }
}

fn display_scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first error of loading `text`, or else of typing its path items.
    fn error_of(text: &str) -> String {
        match load(text.as_bytes(), "spec.yaml") {
            Err(diagnostics) => diagnostics.to_string(),
            Ok(doc) => {
                let mut items = doc.paths;
                let invalid = items.find_map(Result::err).expect("an error");
                Diagnostics::from(invalid).to_string()
            }
        }
    }

    fn path_items(doc: Document) -> Vec<(String, ReferenceOr<PathItem>)> {
        doc.paths
            .map(|item| item.expect("a valid path item"))
            .collect()
    }

    const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";

    #[test]
    fn yaml_and_json_give_the_same_document() {
        let yaml = load(MINIMAL.as_bytes(), "a.yaml").unwrap();
        let json = load(
            br#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}}"#,
            "a.txt",
        )
        .unwrap();
        assert_eq!(yaml.openapi, json.openapi);
        assert_eq!(path_items(yaml), path_items(json));
    }

    #[test]
    fn empty_file() {
        assert_eq!(
            error_of("  \n"),
            "error: #: spec.yaml is empty\n  help: point the generator at an OpenAPI 3.0 document in YAML or JSON"
        );
    }

    #[test]
    fn binary_file() {
        let err = load(&[0xff, 0xfe, 0x00, 0x01], "blob.bin").unwrap_err();
        assert_eq!(
            err.to_string(),
            "error: #: blob.bin is not UTF-8 text (is it a binary file?)\n  help: OpenAPI documents are YAML or JSON text encoded as UTF-8"
        );
    }

    #[test]
    fn invalid_yaml_has_line_and_column() {
        assert_eq!(
            error_of("openapi: 3.0.3\ninfo: [unclosed\n"),
            "error: #: spec.yaml is not valid YAML: unclosed bracket '[' at line 2 column 7"
        );
    }

    #[test]
    fn invalid_json_has_line_and_column() {
        let err = error_of("{\"openapi\": \"3.0.3\",\n  \"info\": }");
        assert_eq!(
            err,
            "error: #: spec.yaml is not valid JSON: expected value at line 2 column 11"
        );
    }

    #[test]
    fn deep_yaml_nesting_is_refused_quickly() {
        let text = format!("openapi: 3.0.3\nx: {}", "[".repeat(100_000));
        let err = error_of(&text);
        assert_eq!(
            err,
            "error: #: spec.yaml is not valid YAML: recursion limit exceeded at line 2 column 259"
        );
    }

    #[test]
    fn swagger_2_is_named() {
        assert_eq!(
            error_of("swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n"),
            "error: #/swagger: Swagger 2.0 documents are not supported\n  help: convert the document to OpenAPI 3.0 first (for example with swagger2openapi)"
        );
    }

    #[test]
    fn openapi_3_1_is_named() {
        assert_eq!(
            error_of("openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"),
            "error: #/openapi: OpenAPI 3.1.0 is not supported yet\n  help: only OpenAPI 3.0.x documents can be generated from for now"
        );
    }

    #[test]
    fn typed_errors_point_into_responses() {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {content: {}}\n";
        let err = error_of(text);
        assert_eq!(
            err,
            "error: #/paths/~1a/get/responses/200: this is not a valid OpenAPI 3.0 object: missing field `description`\n  help: fix the value at this location so that it matches the OpenAPI 3.0.3 specification"
        );
    }

    #[test]
    fn typed_errors_carry_a_pointer() {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /organizations:\n    post:\n      requestBody: 12\n      responses: {}\n";
        let err = error_of(text);
        assert!(
            err.starts_with("error: #/paths/~1organizations/post/requestBody: this is not a valid OpenAPI 3.0 object"),
            "{err}"
        );
    }

    #[test]
    fn integer_yaml_keys_become_strings() {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n";
        let doc = load(text.as_bytes(), "a.yaml").unwrap();
        let items = path_items(doc);
        let op = items[0].1.as_item().unwrap().get.as_ref().unwrap();
        assert!(
            op.responses
                .responses
                .contains_key(&openapiv3::StatusCode::Code(200))
        );
    }

    #[test]
    fn path_items_are_typed_in_order_and_extensions_stay_typed() {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /b: {}\n  x-note: 1\n  /a:\n    $ref: '#/x'\n  /c: {summary: S, get: 12}\n";
        let doc = load(text.as_bytes(), "a.yaml").unwrap();
        assert_eq!(doc.openapi.paths.extensions["x-note"], serde_json::json!(1));
        assert!(doc.openapi.paths.paths.is_empty());
        let items: Vec<_> = doc.paths.collect();
        assert_eq!(items.len(), 3);
        assert!(matches!(&items[0], Ok((path, ReferenceOr::Item(_))) if path == "/b"));
        assert!(matches!(&items[1], Ok((path, ReferenceOr::Reference { .. })) if path == "/a"));
        let Err(invalid) = &items[2] else {
            panic!("{:?}", items[2]);
        };
        assert!(
            invalid
                .to_string()
                .starts_with("error: #/paths/~1c/get: this is not a valid OpenAPI 3.0 object: invalid type: integer `12`"),
            "{invalid}"
        );
    }

    #[test]
    fn paths_that_are_not_an_object_are_refused_when_loading() {
        assert!(
            error_of("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: 12\n").starts_with(
                "error: #/paths: this is not a valid OpenAPI 3.0 object: invalid type: integer `12`"
            ),
        );
    }

    #[test]
    fn duplicate_keys_are_refused_in_yaml_and_json() {
        let yaml =
            error_of("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\npaths: {}\n");
        assert_eq!(
            yaml,
            "error: #: spec.yaml is not valid YAML: duplicate mapping key: paths not allowed here at line 4 column 1"
        );
        let json = error_of(
            "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T\", \"version\": \"1\"},\n \"paths\": {}, \"paths\": {}}",
        );
        assert_eq!(
            json,
            "error: #: spec.yaml is not valid JSON: duplicate key `paths` at line 2 column 26"
        );
    }

    #[test]
    fn scalar_keys_and_tags_read_as_json() {
        let text = "openapi: 3.0.3\ninfo: {title: !custom T, version: '1'}\npaths: {}\nx-keys: {true: a, 1.5: b, null: c, 7: d}\n";
        let doc = load(text.as_bytes(), "a.yaml").unwrap();
        assert_eq!(doc.openapi.info.title, "T");
        let keys: Vec<&String> = doc.openapi.extensions["x-keys"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["true", "1.5", "null", "7"]);
    }

    #[test]
    fn numbers_json_cannot_hold_are_refused() {
        let err =
            error_of("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx-n: .inf\n");
        assert_eq!(
            err,
            "error: #: spec.yaml is not valid YAML: value `.inf` is not a finite number at line 4 column 6"
        );
    }

    #[test]
    fn yaml_1_1_booleans_stay_strings() {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx-codes: [yes, no, NO, on, off, true]\n";
        let doc = load(text.as_bytes(), "a.yaml").unwrap();
        assert_eq!(
            doc.openapi.extensions["x-codes"],
            serde_json::json!(["yes", "no", "NO", "on", "off", true])
        );
    }
}
