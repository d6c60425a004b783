//! OpenAPI 3.0 idioms that `openapiv3` would drop, kept by rewriting the JSON value in place.
//!
//! `{$ref: X, nullable: true}`: in 3.0 a reference's siblings are ignored, yet this is how
//! many real specs mark one use of a shared schema as nullable (and how validating mocks such
//! as Prism read it), so servers built from them send `null` there. Typed as written, the
//! field would refuse that reply. The reference becomes the single `allOf` member of a
//! nullable schema, which the model reads as "this type, or null", as it does the explicit
//! `allOf: [{$ref: X}], nullable: true` form. Moves are recorded in [`Origins`].

use serde_json::{Value, json};

use super::origins::Origins;
use super::walk::{self, Kind};
use crate::diagnostics::Pointer;

/// Applies the rewrite to every schema of `root`.
pub fn normalize(root: &mut Value, origins: &mut Origins) {
    walk::walk_mut(
        root,
        &Pointer::root(),
        Kind::Document,
        &mut |value, at, kind| {
            if kind == Kind::Schema {
                nullable_reference(value, at, origins);
            }
        },
    );
}

fn nullable_reference(value: &mut Value, at: &Pointer, origins: &mut Origins) {
    let Some(node) = value.as_object_mut() else {
        return;
    };
    if !node.contains_key("$ref") || node.get("nullable") != Some(&Value::Bool(true)) {
        return;
    }
    let Some(reference) = node.remove("$ref") else {
        return;
    };
    node.insert("allOf".into(), json!([{ "$ref": reference }]));
    origins.moved(at.join("allOf").join(0).to_string(), at.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_references_become_nullable_wrappers_and_nothing_else_changes() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {
                    "nullable_ref": {"$ref": "#/components/schemas/B", "nullable": true, "description": "d"},
                    "plain_ref": {"$ref": "#/components/schemas/B", "description": "kept as a ref"},
                    "not_nullable": {"$ref": "#/components/schemas/B", "nullable": false},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/B", "nullable": true}}
                }},
                "B": {"type": "object"}
            }}
        });
        let mut origins = Origins::default();
        normalize(&mut doc, &mut origins);
        let properties = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(
            properties["nullable_ref"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true, "description": "d"})
        );
        assert_eq!(
            properties["plain_ref"],
            json!({"$ref": "#/components/schemas/B", "description": "kept as a ref"})
        );
        assert_eq!(
            properties["not_nullable"],
            json!({"$ref": "#/components/schemas/B", "nullable": false})
        );
        assert_eq!(
            properties["items"]["items"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true})
        );
        assert_eq!(
            origins.original("#/components/schemas/A/properties/nullable_ref/allOf/0"),
            "#/components/schemas/A/properties/nullable_ref"
        );
    }
}
