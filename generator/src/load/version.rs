//! Which OpenAPI version a document is, and a clear refusal of the ones that are not read.

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};

/// The OpenAPI versions the generator reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// OpenAPI 3.0.x: JSON Schema draft 4/5 with `nullable`.
    V3_0,
    /// OpenAPI 3.1.x: JSON Schema 2020-12, webhooks, `$ref` siblings.
    V3_1,
}

impl Version {
    /// `3.0` or `3.1`, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::V3_0 => "3.0",
            Self::V3_1 => "3.1",
        }
    }
}

/// The document's version; anything but OpenAPI 3.0 or 3.1 is refused with a message saying
/// what it is instead.
pub(super) fn check_version(value: &serde_json::Value) -> Result<Version, Diagnostics> {
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
    if version.starts_with("3.0.") || version == "3.0" {
        Ok(Version::V3_0)
    } else if version.starts_with("3.1.") || version == "3.1" {
        Ok(Version::V3_1)
    } else {
        Err(Diagnostic::error(
            root.join("openapi"),
            format!("unknown OpenAPI version `{version}`"),
        )
        .with_help("set `openapi` to a 3.0.x or 3.1.x version such as `3.1.0`")
        .into())
    }
}

pub(super) fn display_scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
