//! `$ref`s to components, resolved one way for every kind (schemas, parameters, responses,
//! request bodies, headers, …). Loading has already brought every reference to the
//! `#/components/<section>/<key>` form (see `load::refs`); keys are RFC 6901-escaped.

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};

/// A kind of object that `components` holds.
pub(super) trait Component: Sized {
    /// Its section of `components`.
    const SECTION: &'static str;
    /// "a parameter", for messages.
    const WHAT: &'static str;
    /// Its entries.
    fn entries(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

impl Component for Schema {
    const SECTION: &'static str = "schemas";
    const WHAT: &'static str = "a schema";
    fn entries(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.schemas
    }
}

impl Component for Parameter {
    const SECTION: &'static str = "parameters";
    const WHAT: &'static str = "a parameter";
    fn entries(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.parameters
    }
}

impl Component for Response {
    const SECTION: &'static str = "responses";
    const WHAT: &'static str = "a response";
    fn entries(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.responses
    }
}

impl Component for RequestBody {
    const SECTION: &'static str = "requestBodies";
    const WHAT: &'static str = "a request body";
    fn entries(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.request_bodies
    }
}

/// The key that `#/components/<section>/<key>` names, unescaped (`a~1b` → `a/b`).
pub(super) fn component_key(reference: &str, section: &str) -> Option<String> {
    let key = reference
        .strip_prefix("#/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    (!key.contains('/')).then(|| unescape(key))
}

/// RFC 6901: `~1` → `/`, then `~0` → `~`.
pub(super) fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The object `item` stands for: itself, or the component its `$ref` names, following
/// references to references. A reference that leads nowhere (or in a circle) is an error at
/// `at`.
pub(super) fn resolve<'d, T: Component>(
    doc: &'d OpenAPI,
    item: &'d ReferenceOr<T>,
    at: &Pointer,
    diagnostics: &mut Diagnostics,
) -> Option<&'d T> {
    let mut current = item;
    let mut seen: Vec<&str> = Vec::new();
    loop {
        let reference = match current {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => reference.as_str(),
        };
        if seen.contains(&reference) {
            diagnostics.push(
                Diagnostic::error(
                    at,
                    format!("`$ref: {reference}` leads back to itself through other references"),
                )
                .with_help(format!(
                    "give one of the components/{} in the cycle its content",
                    T::SECTION
                )),
            );
            return None;
        }
        seen.push(reference);
        let found = component_key(reference, T::SECTION)
            .and_then(|key| T::entries(doc.components.as_ref()?).get(&key));
        match found {
            Some(next) => current = next,
            None => {
                diagnostics.push(
                    Diagnostic::error(
                        at,
                        format!("`$ref: {reference}` does not resolve to {}", T::WHAT),
                    )
                    .with_help(format!(
                        "define it under components/{} or fix the reference",
                        T::SECTION
                    )),
                );
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(components: serde_json::Value) -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {},
            "components": components,
        }))
        .unwrap()
    }

    /// One resolver for every kind: escaped keys, chains, dangling references and cycles.
    #[test]
    fn every_kind_resolves_the_same_way() {
        let doc = doc(serde_json::json!({
            "responses": {
                "a/b": {"description": "slash"},
                "a~b": {"description": "tilde"},
                "Alias": {"$ref": "#/components/responses/a~1b"},
                "Loop": {"$ref": "#/components/responses/Loop"}
            },
            "parameters": {"p/q": {"name": "q", "in": "query", "schema": {"type": "string"}}},
            "requestBodies": {"B~1": {"content": {}, "description": "body"}}
        }));
        let at = Pointer::root().join("here");
        let response = |reference: &str| -> Result<String, String> {
            let item = ReferenceOr::<Response>::Reference {
                reference: reference.into(),
            };
            let mut diagnostics = Diagnostics::default();
            resolve(&doc, &item, &at, &mut diagnostics)
                .map(|r| r.description.clone())
                .ok_or_else(|| diagnostics.to_string())
        };
        assert_eq!(response("#/components/responses/a~1b"), Ok("slash".into()));
        assert_eq!(response("#/components/responses/a~0b"), Ok("tilde".into()));
        assert_eq!(response("#/components/responses/Alias"), Ok("slash".into()));
        assert_eq!(
            response("#/components/responses/Nope"),
            Err("error: #/here: `$ref: #/components/responses/Nope` does not resolve to a response\n  help: define it under components/responses or fix the reference".into())
        );
        assert!(
            response("#/components/responses/Loop")
                .unwrap_err()
                .contains("leads back to itself")
        );

        let mut diagnostics = Diagnostics::default();
        let param = ReferenceOr::<Parameter>::Reference {
            reference: "#/components/parameters/p~1q".into(),
        };
        let found = resolve(&doc, &param, &at, &mut diagnostics).unwrap();
        assert_eq!(found.parameter_data_ref().name, "q");
        let body = ReferenceOr::<RequestBody>::Reference {
            reference: "#/components/requestBodies/B~01".into(),
        };
        let found = resolve(&doc, &body, &at, &mut diagnostics).unwrap();
        assert_eq!(found.description.as_deref(), Some("body"));
        assert!(diagnostics.0.is_empty(), "{diagnostics}");
    }
}
