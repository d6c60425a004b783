//! JSON Schemas → [`TypeRef`]s and named [`TypeDef`]s.
//!
//! Component schemas keep their names; inline objects and enums are named after where they
//! appear (`{Parent}{Property}`, `{OperationId}Body`, …), so the same spec always yields the same
//! names.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};

use super::names::{Scope, field_name, type_name};
use super::{Docs, Field, TypeDef, TypeKind, TypeRef, Variant};
use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::load::Document;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// A converted schema: its type, and whether `null` is allowed.
#[derive(Clone, Debug)]
pub(super) struct Converted {
    pub ty: TypeRef,
    pub nullable: bool,
    /// Set when the schema is a string enum with exactly one value.
    pub constant: bool,
}

/// Collects named types while schemas are converted.
pub(super) struct Types<'d> {
    doc: &'d Document,
    /// Component schema key → Rust name, assigned up front so refs resolve in any order.
    components: BTreeMap<String, String>,
    scope: Scope,
    pub defs: BTreeMap<String, TypeDef>,
    pub diagnostics: Diagnostics,
}

impl<'d> Types<'d> {
    pub fn new(doc: &'d Document) -> Self {
        let mut scope = Scope::default();
        let components = doc
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|key| (key.clone(), scope.claim(type_name(key))))
            .collect();
        Self {
            doc,
            components,
            scope,
            defs: BTreeMap::new(),
            diagnostics: Diagnostics::default(),
        }
    }

    /// Converts every component schema, in name order.
    pub fn define_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        let mut keys: Vec<_> = components.schemas.keys().collect();
        keys.sort();
        for key in keys {
            let name = self.components[key].clone();
            let pointer = Pointer::root().join("components").join("schemas").join(key);
            match &components.schemas[key] {
                ReferenceOr::Item(schema) => self.define(&name, schema, &pointer),
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &pointer);
                    let docs = Docs::default();
                    self.insert(TypeDef {
                        name: name.clone(),
                        origin: pointer.to_string(),
                        docs,
                        kind: TypeKind::Alias(target.ty),
                    });
                }
            }
        }
    }

    /// A fresh type name for an inline schema, derived from `hint`.
    pub fn inline_name(&mut self, hint: &str) -> String {
        self.scope.claim(type_name(hint))
    }

    /// Converts a schema or reference at `pointer`; inline named types are called `hint`.
    /// (`openapiv3` boxes property and item schemas, hence `Borrow`.)
    pub fn convert<S: Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        pointer: &Pointer,
        hint: &str,
    ) -> Converted {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema.borrow(), pointer, hint),
        }
    }

    /// Resolves `#/components/schemas/X` to its named type.
    fn reference(&mut self, reference: &str, pointer: &Pointer) -> Converted {
        let fallback = Converted {
            ty: TypeRef::Json,
            nullable: false,
            constant: false,
        };
        let Some(key) = reference.strip_prefix(SCHEMA_PREFIX) else {
            self.diagnostics.push(
                Diagnostic::error(
                    pointer,
                    format!("`$ref: {reference}` does not point into #/components/schemas"),
                )
                .with_help(
                    "only local schema references (`#/components/schemas/Name`) are supported",
                ),
            );
            return fallback;
        };
        let key = unescape_pointer_segment(key);
        let Some(name) = self.components.get(&key).cloned() else {
            self.diagnostics.push(
                Diagnostic::error(
                    pointer,
                    format!("`$ref: {reference}` points to a schema that does not exist"),
                )
                .with_help(format!(
                    "define `{key}` under components/schemas, or fix the reference"
                )),
            );
            return fallback;
        };
        let nullable = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(&key))
            .and_then(|s| s.as_item())
            .is_some_and(|s| s.schema_data.nullable);
        Converted {
            ty: TypeRef::Named(name),
            nullable,
            constant: false,
        }
    }

    /// Converts an inline schema; objects and enums become named types called `hint`.
    fn inline(&mut self, schema: &Schema, pointer: &Pointer, hint: &str) -> Converted {
        let nullable = schema.schema_data.nullable;
        let plain = |ty| Converted {
            ty,
            nullable,
            constant: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<&str> =
                    s.enumeration.iter().flatten().map(String::as_str).collect();
                let name = self.inline_name(hint);
                self.define_enum(&name, &values, &schema.schema_data, pointer);
                Converted {
                    ty: TypeRef::Named(name),
                    nullable: nullable || s.enumeration.contains(&None),
                    constant: values.len() == 1,
                }
            }
            SchemaKind::Type(Type::String(_)) => plain(TypeRef::String),
            SchemaKind::Type(Type::Integer(i)) => plain(match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                // Unformatted integers are i64: APIs put millisecond timestamps in them.
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(n)) => plain(match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => plain(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => {
                        let hint = format!("{hint}Item");
                        self.convert(items, &pointer.join("items"), &hint).ty
                    }
                    None => TypeRef::Json,
                };
                plain(TypeRef::Array(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(o)) => {
                let object = ObjectShape {
                    properties: &o.properties,
                    required: &o.required,
                    additional: o.additional_properties.as_ref(),
                };
                plain(self.object(&object, &schema.schema_data, pointer, hint))
            }
            SchemaKind::Any(any) if any.all_of.len() == 1 && any.properties.is_empty() => {
                // `{type: object, allOf: [{$ref: X}]}`: a wrapper that only restates X.
                let inner = self.convert(&any.all_of[0], &pointer.join("allOf").join(0), hint);
                Converted {
                    nullable: nullable || inner.nullable,
                    ..inner
                }
            }
            SchemaKind::Any(any)
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") =>
            {
                let object = ObjectShape {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                };
                plain(self.object(&object, &schema.schema_data, pointer, hint))
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                // The nullable-wrapper idiom: `{nullable: true, allOf: [{$ref: X}]}`.
                let inner = self.convert(&all_of[0], &pointer.join("allOf").join(0), hint);
                Converted {
                    nullable: nullable || inner.nullable,
                    ..inner
                }
            }
            SchemaKind::Any(any) if is_empty_any(any) => plain(TypeRef::Json),
            other => {
                let construct = match other {
                    SchemaKind::OneOf { .. } => "oneOf",
                    SchemaKind::AnyOf { .. } => "anyOf",
                    SchemaKind::AllOf { .. } => "allOf with several schemas",
                    SchemaKind::Not { .. } => "not",
                    _ => "this combination of schema keywords",
                };
                self.diagnostics.push(
                    Diagnostic::warning(
                        pointer,
                        format!("{construct} is not supported yet; the value is typed as `serde_json::Value`"),
                    )
                    .with_help("the SDK still sends and receives it, untyped"),
                );
                plain(TypeRef::Json)
            }
        }
    }

    fn object(
        &mut self,
        object: &ObjectShape<'_>,
        data: &openapiv3::SchemaData,
        pointer: &Pointer,
        hint: &str,
    ) -> TypeRef {
        if object.properties.is_empty() {
            return match object.additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let hint = format!("{hint}Value");
                    let value = self.convert(value, &pointer.join("additionalProperties"), &hint);
                    TypeRef::Map(Box::new(value.ty))
                }
                _ => TypeRef::JsonObject,
            };
        }
        let name = self.inline_name(hint);
        self.define_struct(&name, object, data, pointer);
        TypeRef::Named(name)
    }

    /// Defines the named type `name` from a component schema.
    fn define(&mut self, name: &str, schema: &Schema, pointer: &Pointer) {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                let object = ObjectShape {
                    properties: &o.properties,
                    required: &o.required,
                    additional: o.additional_properties.as_ref(),
                };
                self.define_struct(name, &object, &schema.schema_data, pointer);
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let object = ObjectShape {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                };
                self.define_struct(name, &object, &schema.schema_data, pointer);
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<&str> =
                    s.enumeration.iter().flatten().map(String::as_str).collect();
                self.define_enum(name, &values, &schema.schema_data, pointer);
            }
            _ => {
                // Anything else is an alias of what it converts to; the hint keeps inline
                // parts named after the component.
                let target = self.inline(schema, pointer, &format!("{name}Inner"));
                self.insert(TypeDef {
                    name: name.to_owned(),
                    origin: pointer.to_string(),
                    docs: docs_of(&schema.schema_data),
                    kind: TypeKind::Alias(target.ty),
                });
            }
        }
    }

    fn define_struct(
        &mut self,
        name: &str,
        object: &ObjectShape<'_>,
        data: &openapiv3::SchemaData,
        pointer: &Pointer,
    ) {
        let mut field_names = Scope::default();
        let mut fields = Vec::with_capacity(object.properties.len());
        let properties = pointer.join("properties");
        for (wire_name, property) in object.properties {
            let at = properties.join(wire_name);
            let hint = format!("{name}{}", type_name(wire_name));
            let converted = self.convert(property, &at, &hint);
            let docs = match property {
                ReferenceOr::Item(schema) => docs_of(&schema.schema_data),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            let docs = Docs {
                minimum: property.as_item().and_then(|s| bounds(s).0),
                maximum: property.as_item().and_then(|s| bounds(s).1),
                ..docs
            };
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name: field_names.claim(field_name(wire_name)),
                ty: converted.ty,
                required: object.required.contains(wire_name),
                nullable: converted.nullable,
                tri_state: false,
                constant: converted.constant,
                docs,
            });
        }
        for required in object.required {
            if !object.properties.contains_key(required) {
                self.diagnostics.push(Diagnostic::warning(
                    pointer.join("required"),
                    format!("`{required}` is required but not among the properties; it is ignored"),
                ));
            }
        }
        let closed = matches!(object.additional, Some(AdditionalProperties::Any(false)));
        self.insert(TypeDef {
            name: name.to_owned(),
            origin: pointer.to_string(),
            docs: docs_of(data),
            kind: TypeKind::Struct {
                fields,
                // Decided once we know whether the type is ever received; see `model::build`.
                deny_unknown_fields: closed,
            },
        });
    }

    fn define_enum(
        &mut self,
        name: &str,
        values: &[&str],
        data: &openapiv3::SchemaData,
        pointer: &Pointer,
    ) {
        let mut variant_names = Scope::with_reserved(&["Unknown"]);
        let variants = values
            .iter()
            .map(|value| Variant {
                wire_name: (*value).to_owned(),
                rust_name: variant_names
                    .claim(type_name(value).trim_start_matches("r#").to_owned()),
            })
            .collect();
        self.insert(TypeDef {
            name: name.to_owned(),
            origin: pointer.to_string(),
            docs: docs_of(data),
            kind: TypeKind::Enum { variants },
        });
    }

    fn insert(&mut self, def: TypeDef) {
        self.defs.insert(def.name.clone(), def);
    }
}

/// The parts of an object schema, whether `openapiv3` parsed it as `type: object` or as "any".
struct ObjectShape<'a> {
    properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
    additional: Option<&'a AdditionalProperties>,
}

fn is_empty_any(any: &openapiv3::AnySchema) -> bool {
    any.typ.is_none()
        && any.properties.is_empty()
        && any.one_of.is_empty()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
}

/// Documentation carried by a schema.
pub(super) fn docs_of(data: &openapiv3::SchemaData) -> Docs {
    Docs {
        summary: data.title.clone(),
        description: data.description.clone(),
        default: data.default.clone(),
        example: data.example.clone(),
        deprecated: data.deprecated,
        minimum: None,
        maximum: None,
    }
}

/// Numeric bounds of a schema, for docs.
pub(super) fn bounds(schema: &Schema) -> (Option<f64>, Option<f64>) {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => {
            (i.minimum.map(|v| v as f64), i.maximum.map(|v| v as f64))
        }
        SchemaKind::Type(Type::Number(n)) => (n.minimum, n.maximum),
        _ => (None, None),
    }
}

/// `~1` → `/`, `~0` → `~` (RFC 6901).
fn unescape_pointer_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}
