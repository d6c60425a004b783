//! Inline types with the shape of another type, which the SDK declares once: every list's
//! `direction: {enum: [ASC, DESC]}` is one Rust enum, and the other names are aliases of it.
//!
//! An API repeats shapes inline far more than it names them (Box: 331 of its 1,082 types, Clerk
//! 152 of 644). Each repeat would be a type with its own impls, compiled by every user, and
//! values of one could not be passed where another is taken. A shape is what the emitted type
//! would be: its fields (wire and Rust names, types, presence, boxing and their docs), values or
//! members. Only a type's own docs may differ, and its alias keeps them.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Group, TypeDef, TypeKind, TypeRef, TypeTable};

/// Sets [`TypeDef::same_as`] on each inline type whose shape another type has too, to the type
/// that declares the shape: a schema of `components` when one has it (those are the spec's own
/// names, never aliased), else the inline one with the shortest name. Request bodies that
/// builders take property by property keep their own struct (their fields are the builder's).
pub(super) fn alias_same_shapes(types: &mut TypeTable, groups: &[Group]) {
    let flattened: BTreeSet<&str> = groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter_map(|op| op.body.as_ref().filter(|b| b.flattened))
        .filter_map(|body| match &body.ty {
            TypeRef::Named(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    // Declaring types first: components, then inline types, the shortest name first (the
    // least qualified: `FolderType` over `FolderMiniType`), then by name.
    let mut order: Vec<&TypeDef> = types
        .iter()
        .filter(|def| has_shape(def) && !flattened.contains(def.name.as_str()))
        .collect();
    order.sort_by_key(|def| (is_inline(def), def.name.len()));

    // Two types are the same once the types they refer to are: each round compares shapes with
    // the aliases found so far resolved, until a round finds no new one. Rounds only merge
    // shapes, so this ends, within as many rounds as there are types.
    let mut same: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let mut declared: HashMap<String, &str> = HashMap::with_capacity(order.len());
        let mut found = BTreeMap::new();
        for def in &order {
            match declared.entry(shape(def, &same)) {
                Entry::Occupied(first) if is_inline(def) => {
                    found.insert(def.name.clone(), (*first.get()).to_owned());
                }
                Entry::Occupied(_) => {}
                Entry::Vacant(slot) => {
                    slot.insert(&def.name);
                }
            }
        }
        if found == same {
            break;
        }
        same = found;
    }
    for (name, canonical) in same {
        if let Some(def) = types.get_mut(&name) {
            def.same_as = Some(canonical);
        }
    }
}

/// Structs, enums and unions; aliases and newtypes already name another type.
fn has_shape(def: &TypeDef) -> bool {
    matches!(
        def.kind,
        TypeKind::Struct { .. } | TypeKind::Enum { .. } | TypeKind::Union { .. }
    )
}

/// Defined inside another schema, an operation or a webhook, rather than as
/// `#/components/schemas/<name>` (whose escaped name has no `/`).
fn is_inline(def: &TypeDef) -> bool {
    def.origin
        .strip_prefix("#/components/schemas/")
        .is_none_or(|name| name.contains('/'))
}

/// The emitted type's shape as text, with the types it refers to resolved through `same`.
/// Deprecation is part of it: an alias would not carry the warning.
fn shape(def: &TypeDef, same: &BTreeMap<String, String>) -> String {
    let resolve = |ty: &TypeRef| ty.renamed(&|name| same.get(name).cloned());
    let kind = match &def.kind {
        TypeKind::Struct {
            fields,
            deny_unknown_fields,
        } => TypeKind::Struct {
            fields: fields
                .iter()
                .map(|f| super::Field {
                    ty: resolve(&f.ty),
                    ..f.clone()
                })
                .collect(),
            deny_unknown_fields: *deny_unknown_fields,
        },
        TypeKind::Union {
            variants,
            discriminator,
        } => TypeKind::Union {
            variants: variants
                .iter()
                .map(|v| super::UnionVariant {
                    ty: resolve(&v.ty),
                    ..v.clone()
                })
                .collect(),
            discriminator: discriminator.clone(),
        },
        other => other.clone(),
    };
    // The model's own serialization: every part of a shape, in a fixed order. (It cannot fail;
    // if it did, the type would keep a shape of its own.)
    let text = serde_json::to_string(&kind).unwrap_or_else(|_| format!("{:?}", def.name));
    format!("{} {text}", def.docs.deprecated)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    fn same_as(spec: &str) -> BTreeMap<String, String> {
        let doc = crate::load::load(spec.as_bytes(), "t.yaml").expect("the spec loads");
        let api = crate::model::build(doc, &Default::default())
            .expect("the model builds")
            .0;
        api.types
            .iter()
            .filter_map(|def| Some((def.name.clone(), def.same_as.clone()?)))
            .collect()
    }

    fn spec(schemas: &str, body: &str) -> String {
        format!(
            r##"
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        content:
          application/json:
            schema: {body}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
components:
  schemas:
{schemas}"##
        )
    }

    const THING: &str = "    Thing:\n      type: object\n      properties:\n";

    fn names(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    /// Each row: the properties of `Thing` (and the other schemas), the request body, and
    /// which types become aliases of which.
    #[test]
    fn inline_types_of_one_shape_are_declared_once() {
        let order = "{type: string, enum: [asc, desc]}";
        let rows: Vec<(String, &str, BTreeMap<String, String>)> = vec![
            // Two inline enums: the shorter name declares the shape.
            (
                format!("{THING}        sort: {order}\n        direction: {order}\n"),
                "{type: object}",
                names(&[("ThingDirection", "ThingSort")]),
            ),
            // Another order of values is another shape (the wire is the same, but Rust's
            // declaration order is not).
            (
                format!(
                    "{THING}        sort: {order}\n        direction: {{type: string, enum: [desc, asc]}}\n"
                ),
                "{type: object}",
                names(&[]),
            ),
            // A component with the shape declares it; components never become aliases.
            (
                format!(
                    "{THING}        sort: {order}\n    Order: {order}\n    Ordering: {order}\n"
                ),
                "{type: object}",
                names(&[("ThingSort", "Order")]),
            ),
            // Structs whose fields are of one shape once their enums are: found in a second
            // round, and then the enums under them too.
            (
                format!(
                    "{THING}        a: {{type: object, properties: {{by: {{type: string}}, dir: {order}}}}}\n        bb: {{type: object, properties: {{by: {{type: string}}, dir: {order}}}}}\n"
                ),
                "{type: object}",
                names(&[("ThingBb", "ThingA"), ("ThingBbDir", "ThingADir")]),
            ),
            // Field docs are part of the shape (the alias would show the other's); the type's
            // own docs are not (the alias keeps them).
            (
                format!(
                    "{THING}        a: {{type: object, properties: {{by: {{type: string, description: Sort key.}}}}}}\n        b: {{type: object, properties: {{by: {{type: string, description: Filter key.}}}}}}\n        c: {{type: object, description: C., properties: {{by: {{type: string, description: Sort key.}}}}}}\n"
                ),
                "{type: object}",
                names(&[("ThingC", "ThingA")]),
            ),
            // Deprecation is too: an alias would not warn.
            (
                format!(
                    "{THING}        sort: {order}\n        direction: {{type: string, enum: [asc, desc], deprecated: true}}\n"
                ),
                "{type: object}",
                names(&[]),
            ),
            // A body the builder takes property by property keeps its struct.
            (
                format!(
                    "{THING}        size: {{type: object, properties: {{n: {{type: integer}}}}}}\n"
                ),
                "{type: object, properties: {n: {type: integer}}}",
                names(&[]),
            ),
            // A type that contains itself is only the same as itself (no merging by
            // bisimulation), and that ends.
            (
                format!(
                    "{THING}        a: {{$ref: '#/components/schemas/Node'}}\n    Node:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/Node'}}\n    Link:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/Link'}}\n"
                ),
                "{type: object}",
                names(&[]),
            ),
        ];
        for (schemas, body, expected) in rows {
            let text = spec(&schemas, body);
            assert_eq!(same_as(&text), expected, "{text}");
        }
    }
}
