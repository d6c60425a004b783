//! Reads a spec document (YAML or JSON, told apart by content) into `openapiv3` types.
//!
//! Everything is first read into a `serde_json::Value`, so that YAML and JSON share one path,
//! the OpenAPI version can be checked before the typed parse, and typed-parse failures can be
//! reported as JSON pointers. On that value, `$ref`s to anything (pointers into any part of the
//! document, anchors, other files) are brought into `components` ([`refs`]), and an OpenAPI
//! 3.1 document is rewritten into the 3.0 shape `openapiv3` types ([`oas31`]); [`Origins`]
//! remembers what moved, so diagnostics point at the user's text.
//!
//! Path items stay JSON until the model reads them, one at a time ([`PathItems`]): typed, they
//! take about twice the memory of their JSON, and they are most of a document.

mod oas30;
mod oas31;
mod origins;
mod refs;
mod text;
mod typed;
mod version;
mod walk;

use std::path::Path;

use openapiv3::{PathItem, ReferenceOr};

pub use self::origins::Origins;
pub use self::text::parse_value;
pub use self::version::Version;
pub use self::walk::TUPLE;
use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use typed::{invalid, narrow, typed};
use version::check_version;

/// A parsed OpenAPI 3.0 or 3.1 document, in the 3.0 shape.
#[derive(Debug)]
pub struct Document {
    /// Everything but the path items: `openapi.paths` holds only the `x-` extensions of
    /// the Paths object.
    pub openapi: openapiv3::OpenAPI,
    /// The path items, typed as they are iterated.
    pub paths: PathItems,
    /// The webhooks (OpenAPI 3.1): path items describing requests the API sends.
    pub webhooks: PathItems,
    /// The version the document was written in.
    pub version: Version,
    /// Where moved parts came from: maps the pointers of this document (and of diagnostics
    /// about it) back to the user's files.
    pub origins: Origins,
    /// Warnings met while loading, pointing into the user's files.
    pub warnings: Diagnostics,
}

/// Parses `bytes` as an OpenAPI 3.0 or 3.1 document; `source` names it in diagnostics.
/// References to other files are an error: use [`load_file`] for a spec on disk.
pub fn load(bytes: &[u8], source: &str) -> Result<Document, Diagnostics> {
    load_file(bytes, source, None)
}

/// Parses `bytes`, read from `spec` when given: references to other files (`common.yaml#/…`)
/// are then read from disk relative to it.
pub fn load_file(bytes: &[u8], source: &str, spec: Option<&Path>) -> Result<Document, Diagnostics> {
    let mut value = parse_value(bytes, source)?;
    let version = check_version(&value)?;
    let mut origins = Origins::default();
    let mut diagnostics = refs::bundle(&mut value, spec, version, &mut origins);
    if version == Version::V3_0 {
        oas30::normalize(&mut value, &mut origins);
    }
    if version == Version::V3_1 {
        let found = oas31::normalize(&mut value, &mut origins);
        for mut diagnostic in found.0 {
            diagnostic.pointer = origins.original(&diagnostic.pointer);
            diagnostics.push(diagnostic);
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics.sorted());
    }
    // A `paths` that is not an object stays, for the typed parse to report.
    let paths = take_items(&mut value, "paths");
    let webhooks = match version {
        Version::V3_0 => serde_json::Map::new(),
        Version::V3_1 => take_items(&mut value, "webhooks"),
    };
    if let Some(object) = value.as_object_mut() {
        object.remove("webhooks");
    }
    // The value is consumed so that its strings move into the document instead of being
    // copied: the two are never alive in full at the same time.
    let openapi = typed(value, Pointer::root()).map_err(|(pointer, message)| {
        let pointer = Pointer::from_ref(&origins.original(pointer.as_str()));
        Diagnostics::from(invalid(version, (pointer, message)))
    })?;
    Ok(Document {
        openapi,
        paths: PathItems::new(paths, "paths", version),
        webhooks: PathItems::new(webhooks, "webhooks", version),
        version,
        origins,
        warnings: diagnostics.sorted(),
    })
}

/// Takes the entries of the object at `key` out of `value`, leaving its `x-` extensions.
fn take_items(
    value: &mut serde_json::Value,
    key: &str,
) -> serde_json::Map<String, serde_json::Value> {
    let Some(serde_json::Value::Object(items)) = value.get_mut(key) else {
        return serde_json::Map::new();
    };
    let (extensions, entries) = std::mem::take(items)
        .into_iter()
        .partition(|(key, _)| key.starts_with("x-"));
    *items = extensions;
    entries
}

/// The path items of a document (or its webhooks) in document order, each typed when it is
/// reached. One that is not a valid OpenAPI path item is an error at the deepest part that
/// fails on its own (a pointer into the loaded document; see [`Document::origins`]).
#[derive(Debug)]
pub struct PathItems {
    items: serde_json::map::IntoIter,
    section: &'static str,
    version: Version,
}

impl PathItems {
    fn new(
        items: serde_json::Map<String, serde_json::Value>,
        section: &'static str,
        version: Version,
    ) -> Self {
        Self {
            items: items.into_iter(),
            section,
            version,
        }
    }

    /// True when there is nothing (more) to read.
    pub fn is_empty(&self) -> bool {
        self.items.len() == 0
    }
}

impl Iterator for PathItems {
    type Item = Result<(String, ReferenceOr<PathItem>), Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        let (path, value) = self.items.next()?;
        let at = Pointer::root().join(self.section).join(&path);
        // Typed from a borrow: on failure the value is needed again to find the failing part.
        let item = typed::<ReferenceOr<PathItem>>(&value, at.clone())
            .map_err(|_| invalid(self.version, narrow(&value, at)));
        Some(item.map(|item| (path, item)))
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
            "error: #: spec.yaml is empty\n  help: point the generator at an OpenAPI 3.0 or 3.1 document in YAML or JSON"
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
    fn versions_are_told_apart() {
        let version = |v: &str| {
            load(
                format!("openapi: {v}\ninfo: {{title: T, version: '1'}}\npaths: {{}}\n").as_bytes(),
                "a.yaml",
            )
            .map(|doc| doc.version)
            .map_err(|e| e.to_string())
        };
        assert_eq!(version("3.0.3"), Ok(Version::V3_0));
        assert_eq!(version("3.1.0"), Ok(Version::V3_1));
        assert_eq!(version("'3.1'"), Ok(Version::V3_1));
        assert_eq!(
            version("3.2.0"),
            Err("error: #/openapi: unknown OpenAPI version `3.2.0`\n  help: set `openapi` to a 3.0.x or 3.1.x version such as `3.1.0`".into())
        );
        assert_eq!(
            version("3.10.0"),
            Err("error: #/openapi: unknown OpenAPI version `3.10.0`\n  help: set `openapi` to a 3.0.x or 3.1.x version such as `3.1.0`".into())
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
        let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /b: {}\n  x-note: 1\n  /a:\n    $ref: '#/paths/~1b'\n  /c: {summary: S, get: 12}\n";
        let doc = load(text.as_bytes(), "a.yaml").unwrap();
        assert_eq!(doc.openapi.paths.extensions["x-note"], serde_json::json!(1));
        assert!(doc.openapi.paths.paths.is_empty());
        let items: Vec<_> = doc.paths.collect();
        assert_eq!(items.len(), 3);
        assert!(matches!(&items[0], Ok((path, ReferenceOr::Item(_))) if path == "/b"));
        // A path item given by `$ref` is a copy of its target.
        assert!(matches!(&items[1], Ok((path, ReferenceOr::Item(_))) if path == "/a"));
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
