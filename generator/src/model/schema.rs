//! JSON Schemas → [`TypeRef`]s and named [`TypeDef`]s.
//!
//! Component schemas keep their names; inline objects and enums are named after where they
//! appear (`{Parent}{Property}`, `{OperationId}Body`, …), so the same spec always yields the same
//! names.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind,
    Type, VariantOrUnknownOrEmpty,
};

use super::components::component_key;
use super::names::{
    Scope, field_name, places, shorten_type_name, signed_key_name, type_name, variant_name,
};
use super::{Docs, Field, Presence, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};
use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::load::TUPLE;

/// A converted schema: its type, and whether `null` is allowed.
#[derive(Clone, Debug)]
pub(super) struct Converted {
    pub ty: TypeRef,
    pub nullable: bool,
    /// Set when the schema is a string enum with exactly one value.
    pub constant: bool,
}

impl Converted {
    /// The type as an array item, map value or tuple member, where nothing else can say
    /// "or null": `Option<T>` when nullable (a JSON value already holds `null`).
    fn element(self) -> TypeRef {
        match self.ty {
            TypeRef::Json => TypeRef::Json,
            ty if self.nullable => TypeRef::Nullable(Box::new(ty)),
            ty => ty,
        }
    }
}

/// Collects named types while schemas are converted.
pub(super) struct Types<'d> {
    doc: &'d OpenAPI,
    /// Component schema key → Rust name, assigned up front so refs resolve in any order.
    components: BTreeMap<String, String>,
    scope: Scope,
    pub defs: BTreeMap<String, TypeDef>,
    pub diagnostics: Diagnostics,
    /// Inline schemas being defined right now, by identity, with the name they get: meeting
    /// one again means the schema contains itself (e.g. through an `allOf` that points back at
    /// the enclosing component), so it refers to its own name instead of recursing forever.
    in_progress: Vec<(*const Schema, String)>,
    /// How deep `convert` is nested: a last line of defence against unbounded recursion.
    depth: usize,
}

/// Deeper than any real schema nests; past this a value is typed `serde_json::Value`.
const MAX_DEPTH: usize = 64;

impl<'d> Types<'d> {
    pub fn new(doc: &'d OpenAPI) -> Self {
        let mut scope = places::models();
        let components = doc
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|key| (key.clone(), scope.claim(shorten_type_name(&type_name(key)))))
            .collect();
        Self {
            doc,
            components,
            scope,
            defs: BTreeMap::new(),
            diagnostics: Diagnostics::default(),
            in_progress: Vec::new(),
            depth: 0,
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
                        same_as: None,
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
        self.scope.claim(shorten_type_name(&type_name(hint)))
    }

    /// Converts a schema or reference at `pointer`; inline named types are called `hint`.
    /// (`openapiv3` boxes property and item schemas, hence `Borrow`.)
    pub fn convert<S: Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        pointer: &Pointer,
        hint: &str,
    ) -> Converted {
        if self.depth >= MAX_DEPTH {
            self.diagnostics.push(
                Diagnostic::warning(pointer, format!("schemas nest more than {MAX_DEPTH} levels deep here; the value is typed as `serde_json::Value`"))
                    .with_help("flatten the schema or move parts of it into components/schemas"),
            );
            return Converted {
                ty: TypeRef::Json,
                nullable: false,
                constant: false,
            };
        }
        self.depth += 1;
        let converted = match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema.borrow(), pointer, hint),
        };
        self.depth -= 1;
        converted
    }

    /// Resolves `#/components/schemas/X` to its named type.
    fn reference(&mut self, reference: &str, pointer: &Pointer) -> Converted {
        let fallback = Converted {
            ty: TypeRef::Json,
            nullable: false,
            constant: false,
        };
        // Loading brought every reference it could resolve to this form.
        let Some(key) = component_key(reference, "schemas") else {
            self.diagnostics.push(
                Diagnostic::error(
                    pointer,
                    format!("`$ref: {reference}` does not point into #/components/schemas"),
                )
                .with_help("point it at a schema"),
            );
            return fallback;
        };
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

    /// Converts an inline schema; objects, enums and unions become named types called `hint`.
    fn inline(&mut self, schema: &Schema, pointer: &Pointer, hint: &str) -> Converted {
        self.described(schema, &schema.schema_data, pointer, hint)
    }

    /// [`Self::inline`], with `data` describing the schema: its own, or merged with those of
    /// the one-member unions around it.
    fn described(
        &mut self,
        schema: &Schema,
        data: &openapiv3::SchemaData,
        pointer: &Pointer,
        hint: &str,
    ) -> Converted {
        let nullable = data.nullable || annotated_nullable(schema);
        let plain = |ty| Converted {
            ty,
            nullable,
            constant: false,
        };
        let identity: *const Schema = schema;
        if let Some((_, name)) = self.in_progress.iter().find(|(s, _)| *s == identity) {
            return plain(TypeRef::Named(name.clone()));
        }
        match self.shape(schema) {
            Shape::Named(named) => {
                let name = self.inline_name(hint);
                let (enum_null, constant) = match &named {
                    NamedShape::Enum { values, null, open } => (*null, values.len() == 1 && !open),
                    _ => (false, false),
                };
                self.in_progress.push((identity, name.clone()));
                self.define_named(&name, named, data, pointer);
                self.in_progress.pop();
                Converted {
                    ty: TypeRef::Named(name),
                    nullable: nullable || enum_null,
                    constant,
                }
            }
            Shape::Wrapper {
                member,
                keyword,
                index,
            } => {
                let at = pointer.join(keyword).join(index);
                let inner = match member {
                    // The member is the value, described from both places.
                    ReferenceOr::Item(member) if self.depth < MAX_DEPTH => {
                        let data = wrapped_data(data, &member.schema_data);
                        self.depth += 1;
                        let inner = self.described(member, &data, &at, hint);
                        self.depth -= 1;
                        inner
                    }
                    _ => self.convert(member, &at, hint),
                };
                Converted {
                    nullable: nullable || inner.nullable,
                    ..inner
                }
            }
            Shape::Scalar(ty) => plain(ty),
            Shape::Tuple(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let at = pointer.join(TUPLE).join(i);
                        self.convert(item, &at, &format!("{hint}Item{i}")).element()
                    })
                    .collect();
                plain(TypeRef::Tuple(items))
            }
            Shape::Array(items) => {
                let item = match items {
                    Some(items) => {
                        let hint = format!("{hint}Item");
                        self.convert(items, &pointer.join("items"), &hint).element()
                    }
                    None => TypeRef::Json,
                };
                plain(TypeRef::Array(Box::new(item)))
            }
            Shape::Map(value) => {
                let ty = match value {
                    Some(value) => {
                        let hint = format!("{hint}Value");
                        let value =
                            self.convert(value, &pointer.join("additionalProperties"), &hint);
                        TypeRef::Map(Box::new(value.element()))
                    }
                    None => TypeRef::JsonObject,
                };
                plain(ty)
            }
            Shape::Invalid(problem) => {
                self.diagnostics.push(
                    Diagnostic::error(pointer, problem)
                        .with_help("use one of string, number, integer, boolean, array or object"),
                );
                plain(TypeRef::Json)
            }
            Shape::Unsupported(construct) => {
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

    /// Defines the named type `name` from a component schema.
    fn define(&mut self, name: &str, schema: &Schema, pointer: &Pointer) {
        // A one-member union around an inline schema (3.0's `anyOf: [{…}]` + `nullable`, 3.1's
        // `anyOf: [{…}, {type: "null"}]`) is that schema, under the component's name.
        let Unwrapped {
            schema: inner,
            data,
            pointer: at,
        } = self.unwrapped(schema, pointer);
        match self.shape(inner) {
            Shape::Named(named) => {
                self.define_named(name, named, &data, &at);
                // Found under its component, whatever wraps it there.
                if let Some(def) = self.defs.get_mut(name) {
                    def.origin = pointer.to_string();
                }
            }
            _ => {
                // Anything else is an alias of what it converts to; the hint keeps inline
                // parts named after the component.
                let target = self.inline(schema, pointer, &format!("{name}Inner"));
                self.insert(TypeDef {
                    name: name.to_owned(),
                    same_as: None,
                    origin: pointer.to_string(),
                    docs: docs_of(&data),
                    kind: TypeKind::Alias(target.ty),
                });
            }
        }
    }

    /// What a schema becomes, before anything is named or defined.
    fn shape<'s>(&self, schema: &'s Schema) -> Shape<'s>
    where
        'd: 's,
    {
        if let Some(items) = schema.schema_data.extensions.get(TUPLE) {
            return match serde_json::from_value::<Vec<ReferenceOr<Schema>>>(items.clone()) {
                Ok(items) => Shape::Tuple(items),
                Err(e) => Shape::Invalid(format!("`prefixItems` is not a list of schemas: {e}")),
            };
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                Shape::Named(NamedShape::Enum {
                    values: s.enumeration.iter().flatten().map(String::as_str).collect(),
                    null: s.enumeration.contains(&None),
                    open: false,
                })
            }
            SchemaKind::Type(Type::String(_)) => Shape::Scalar(TypeRef::String),
            SchemaKind::Type(Type::Integer(i)) => Shape::Scalar(match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                // Unformatted integers are i64: APIs put millisecond timestamps in them.
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(n)) => Shape::Scalar(match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Scalar(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => Shape::Array(a.items.as_ref()),
            SchemaKind::Type(Type::Object(o)) => object_shape(ObjectShape::own(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
            )),
            SchemaKind::AllOf { all_of } => self.all_of(all_of, None),
            SchemaKind::OneOf { one_of } => self.union_shape(one_of, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.union_shape(any_of, "anyOf"),
            SchemaKind::Not { .. } => Shape::Unsupported("not".into()),
            SchemaKind::Any(any)
                if any.typ.as_deref().is_some_and(|t| {
                    !["string", "number", "integer", "boolean", "array", "object"].contains(&t)
                }) =>
            {
                Shape::Invalid(format!(
                    "`type: {}` is not a JSON Schema type",
                    any.typ.as_deref().unwrap_or_default()
                ))
            }
            SchemaKind::Any(any) => {
                let own = ObjectShape::own(
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                );
                if !any.all_of.is_empty() {
                    self.all_of(&any.all_of, Some(own))
                } else if !any.one_of.is_empty() && any.properties.is_empty() {
                    self.union_shape(&any.one_of, "oneOf")
                } else if !any.any_of.is_empty() && any.properties.is_empty() {
                    self.union_shape(&any.any_of, "anyOf")
                } else if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    object_shape(own)
                } else if any.typ.as_deref() == Some("array") || any.items.is_some() {
                    Shape::Array(any.items.as_ref())
                } else if let Some(scalar) = any.typ.as_deref().and_then(scalar_type) {
                    Shape::Scalar(scalar)
                } else if is_empty_any(any) {
                    Shape::Scalar(TypeRef::Json)
                } else {
                    Shape::Unsupported("this combination of schema keywords".into())
                }
            }
        }
    }

    /// `allOf`: a lone shaped member (the nullable-wrapper idiom) stands for itself; members
    /// that are objects, or that only add `required` names, merge into one struct (later
    /// members overriding earlier ones, nested `allOf`s and references followed); string
    /// members and members that only list `enum` values make one string enum. Anything else
    /// has no sound Rust type: `serde_json::Value`, with the reason.
    fn all_of<'s>(
        &self,
        members: &'s [ReferenceOr<Schema>],
        own: Option<ObjectShape<'s>>,
    ) -> Shape<'s>
    where
        'd: 's,
    {
        let own_is_empty = own.as_ref().is_none_or(|o| o.properties.is_empty());
        let mut shaped: Vec<(usize, &'s ReferenceOr<Schema>)> = Vec::new();
        let mut adds_required = false;
        let mut values: Option<Vec<&'s str>> = None;
        for (index, member) in members.iter().enumerate() {
            match member.as_item().map(|s| part(s)) {
                // Only annotations (a description, an example, `nullable`): no shape.
                Some(Part::Annotation) => {}
                Some(Part::Required) => adds_required = true,
                Some(Part::Values(allowed)) => values = Some(intersect(values, allowed)),
                Some(Part::Shaped) | None => shaped.push((index, member)),
            }
        }
        if let ([(index, only)], true, false, None) =
            (shaped.as_slice(), own_is_empty, adds_required, &values)
        {
            return Shape::Wrapper {
                member: only,
                keyword: "allOf",
                index: *index,
            };
        }
        if own_is_empty && !adds_required {
            if let Some(strings) = self.string_values(&shaped, values.clone()) {
                return match strings {
                    Some(values) => Shape::Named(NamedShape::Enum {
                        values,
                        null: false,
                        open: false,
                    }),
                    None => Shape::Scalar(TypeRef::String),
                };
            }
        }
        if values.is_some() {
            return Shape::Unsupported(
                "`allOf` with a member that only lists `enum` values next to members that are not strings (no Rust type is both)".into(),
            );
        }
        let mut merged = own.unwrap_or_default();
        let mut seen = BTreeSet::new();
        for member in members {
            if let Err(reason) = self.merge_into(&mut merged, member, &mut seen, 0) {
                return Shape::Unsupported(format!("`allOf` with {reason}"));
            }
        }
        object_shape(merged)
    }

    /// When every shaped member of an `allOf` is a string: `Some(None)` for a plain string,
    /// `Some(Some(values))` for the values all members allow. `None` when one is not a string.
    fn string_values<'s>(
        &self,
        shaped: &[(usize, &'s ReferenceOr<Schema>)],
        mut values: Option<Vec<&'s str>>,
    ) -> Option<Option<Vec<&'s str>>>
    where
        'd: 's,
    {
        if shaped.is_empty() {
            return None;
        }
        for (_, member) in shaped {
            let schema = self.follow(member)?;
            let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
                return None;
            };
            if !string.enumeration.is_empty() {
                let allowed = string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                values = Some(intersect(values, allowed));
            }
        }
        Some(values)
    }

    /// The docs of a property or parameter schema, bounds included: its own, completed by the
    /// inline member it only wraps (`anyOf: [{type: string, description: …}]` + `nullable`),
    /// the way 3.1's `[T, null]` unions read once their `null` member is gone.
    pub(super) fn value_docs(&self, schema: &Schema) -> Docs {
        let (minimum, maximum) = bounds(schema);
        let unwrapped = self.unwrapped(schema, &Pointer::root());
        let (inner_minimum, inner_maximum) = bounds(unwrapped.schema);
        Docs {
            minimum: minimum.or(inner_minimum),
            maximum: maximum.or(inner_maximum),
            ..docs_of(&unwrapped.data)
        }
    }

    /// What `schema` stands for through one-member unions around inline members: the
    /// innermost member, described by all of them ([`wrapped_data`]), and its pointer (from
    /// `pointer`, the schema's).
    fn unwrapped<'s>(&self, schema: &'s Schema, pointer: &Pointer) -> Unwrapped<'s>
    where
        'd: 's,
    {
        let mut unwrapped = Unwrapped {
            schema,
            data: schema.schema_data.clone(),
            pointer: pointer.clone(),
        };
        for _ in 0..MAX_DEPTH {
            let Shape::Wrapper {
                member: ReferenceOr::Item(member),
                keyword,
                index,
            } = self.shape(unwrapped.schema)
            else {
                break;
            };
            unwrapped = Unwrapped {
                schema: member,
                data: wrapped_data(&unwrapped.data, &member.schema_data),
                pointer: unwrapped.pointer.join(keyword).join(index),
            };
        }
        unwrapped
    }

    /// `oneOf`/`anyOf`. A union whose members are all strings is one open string enum (see
    /// [`Self::strings_of`]); any other union of two or more members is an enum of its members.
    fn union_shape<'s>(
        &self,
        members: &'s [ReferenceOr<Schema>],
        keyword: &'static str,
    ) -> Shape<'s>
    where
        'd: 's,
    {
        let [_, _, ..] = members else {
            return match members {
                [only] => Shape::Wrapper {
                    member: only,
                    keyword,
                    index: 0,
                },
                _ => Shape::Scalar(TypeRef::Json),
            };
        };
        let Some(each) = members
            .iter()
            .map(|member| self.strings_of(member, 0))
            .collect::<Option<Vec<_>>>()
        else {
            return Shape::Named(NamedShape::Union { members, keyword });
        };
        let listing: Vec<usize> = (0..each.len())
            .filter(|&i| !each[i].values.is_empty())
            .collect();
        let mut strings = Strings::default();
        for member in each {
            strings.add(member);
        }
        // `anyOf: [string, {$ref: Model}]` (the "known values, or any other" idiom) is the
        // referenced enum itself: generated enums already keep values they do not know.
        if let [index] = listing[..] {
            if matches!(members[index], ReferenceOr::Reference { .. }) && !strings.null {
                return Shape::Wrapper {
                    member: &members[index],
                    keyword,
                    index,
                };
            }
        }
        if strings.values.is_empty() {
            return Shape::Scalar(TypeRef::String);
        }
        Shape::Named(NamedShape::Enum {
            values: strings.values,
            null: strings.null,
            open: strings.any,
        })
    }

    /// What a union member allows when it is a string: its `enum` values, and whether it also
    /// takes any other string. A union of such members reads best as one string enum: an
    /// untagged enum of them could never decode its later members, since a generated string
    /// enum (or `String`) takes every string first. `None` when the member is not a string.
    fn strings_of<'s>(&self, member: &'s ReferenceOr<Schema>, depth: usize) -> Option<Strings<'s>>
    where
        'd: 's,
    {
        if depth > 8 {
            return None;
        }
        let schema = self.follow(member)?;
        // Not through `shape`: that classifies unions by calling this, and references may
        // lead back here.
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                let mut strings = self.strings_of(&all_of[0], depth + 1)?;
                strings.null |= schema.schema_data.nullable;
                Some(strings)
            }
            SchemaKind::Type(Type::String(string)) => Some(Strings {
                values: string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect(),
                any: string.enumeration.is_empty(),
                null: schema.schema_data.nullable || string.enumeration.contains(&None),
            }),
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }
                if !members.is_empty() =>
            {
                let mut strings = Strings {
                    null: schema.schema_data.nullable,
                    ..Strings::default()
                };
                for member in members {
                    strings.add(self.strings_of(member, depth + 1)?);
                }
                Some(strings)
            }
            _ => None,
        }
    }

    /// The one value a union member allows for the discriminator `property`, when it pins it
    /// (`enum: [function]`, or 3.1's `const`), directly or in an `allOf` part. With no
    /// `mapping` entry OpenAPI says the value is the schema's name, but a member that pins
    /// another value could never hold its name there: real specs (OpenAI's `Tool`, with
    /// members `FunctionTool` of `type: function`, …) mean the pinned value.
    fn pinned_value(&self, member: &ReferenceOr<Schema>, property: &str) -> Option<String> {
        let schema = self.follow(member)?;
        let parts: Vec<&ReferenceOr<Schema>> = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.iter().collect(),
            _ => Vec::new(),
        };
        std::iter::once(schema)
            .chain(parts.into_iter().filter_map(|part| self.follow(part)))
            .find_map(|schema| {
                let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
                    return None;
                };
                let value = match object.properties.get(property)? {
                    ReferenceOr::Item(value) => value.as_ref(),
                    ReferenceOr::Reference { reference } => self.follow_reference(reference)?,
                };
                // 3.1's `anyOf: [{const: function}, {type: "null"}]` pins it too.
                let value = self.unwrapped(value, &Pointer::root()).schema;
                match &value.schema_kind {
                    SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
                        [Some(only)] => Some(only.clone()),
                        _ => None,
                    },
                    _ => None,
                }
            })
    }

    /// The schema a member stands for: itself, or what its `$ref` leads to through references
    /// to references. `None` when the reference leads nowhere or in a circle.
    fn follow<'s>(&self, member: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'd: 's,
    {
        match member {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.follow_reference(reference),
        }
    }

    /// The schema `reference` leads to, through references to references (31 at most).
    /// `None` when it leads nowhere or in a circle.
    fn follow_reference(&self, reference: &str) -> Option<&'d Schema> {
        let doc: &'d OpenAPI = self.doc;
        let mut reference = reference;
        for _ in 0..31 {
            let key = component_key(reference, "schemas")?;
            match doc.components.as_ref()?.schemas.get(&key)? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    /// Adds what an `allOf` member says about an object to `merged`: its properties and
    /// `required` names, through nested `allOf`s and references. `Err` says why the member
    /// cannot be part of an object.
    fn merge_into<'s>(
        &self,
        merged: &mut ObjectShape<'s>,
        member: &'s ReferenceOr<Schema>,
        seen: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<(), String>
    where
        'd: 's,
    {
        if let ReferenceOr::Reference { reference } = member {
            // A cycle of allOf references merges nothing more.
            if depth > 32 || !seen.insert(reference.clone()) {
                return Ok(());
            }
        }
        let Some(schema) = self.follow(member) else {
            // The dangling reference is reported where it is converted.
            return Err("a member whose `$ref` does not resolve".into());
        };
        let (own, nested): (Option<ObjectShape<'s>>, &'s [ReferenceOr<Schema>]) = match &schema
            .schema_kind
        {
            SchemaKind::Type(Type::Object(o)) => (
                Some(ObjectShape::own(
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                )),
                &[],
            ),
            SchemaKind::AllOf { all_of } => (None, all_of),
            // A one-member union is its member (3.0 writes a nullable reference as
            // `anyOf: [$ref]` + `nullable`, which 3.1's `[$ref, null]` upgrade reads as
            // `allOf: [$ref]`): both versions merge the same schemas.
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }
                if members.len() == 1 =>
            {
                (None, members)
            }
            SchemaKind::Any(any) if matches!(part(schema), Part::Values(_)) => {
                let _ = any;
                return Err(
                    "a member that only lists `enum` values, which an object cannot have".into(),
                );
            }
            SchemaKind::Any(any) => (
                Some(ObjectShape::own(
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                )),
                &any.all_of,
            ),
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                return Err(format!(
                    "a `{keyword}` member (a value that is both an object and one of several shapes has no single Rust type)"
                ));
            }
            SchemaKind::Not { .. } => return Err("a `not` member".into()),
            SchemaKind::Type(other) => {
                let what = match other {
                    Type::String(_) => "a string",
                    Type::Number(_) => "a number",
                    Type::Integer(_) => "an integer",
                    Type::Boolean(_) => "a boolean",
                    Type::Array(_) => "an array",
                    Type::Object(_) => "an object",
                };
                return Err(format!(
                    "members that are objects and {what} (no value is both)"
                ));
            }
        };
        for inner in nested {
            self.merge_into(merged, inner, seen, depth + 1)?;
        }
        if let Some(own) = own {
            for (name, property) in own.properties {
                merged.properties.retain(|(n, _)| *n != name);
                merged.properties.push((name, property));
            }
            for required in own.required {
                if !merged.required.contains(&required) {
                    merged.required.push(required);
                }
            }
        }
        Ok(())
    }

    fn define_named(
        &mut self,
        name: &str,
        named: NamedShape<'_>,
        data: &openapiv3::SchemaData,
        pointer: &Pointer,
    ) {
        match named {
            NamedShape::Struct(object) => self.define_struct(name, &object, data, pointer),
            NamedShape::Enum { values, .. } => self.define_enum(name, &values, data, pointer),
            NamedShape::Union { members, keyword } => {
                self.define_union(name, members, keyword, data, pointer)
            }
        }
    }

    /// `oneOf`/`anyOf`: an enum with one variant per member, tried in order (or picked by the
    /// discriminator), and an `Unknown` fallback so that a new kind never fails to decode.
    fn define_union(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        data: &openapiv3::SchemaData,
        pointer: &Pointer,
    ) {
        let mut variant_names = places::variants();
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let at = pointer.join(keyword).join(i);
            let base = match member {
                ReferenceOr::Reference { reference } => reference
                    .rsplit('/')
                    .next()
                    .map(type_name)
                    .unwrap_or_else(|| format!("Variant{i}")),
                ReferenceOr::Item(schema) => member_name(schema)
                    .or_else(|| kind_name(schema))
                    .or_else(|| {
                        // `{$ref: X, deprecated: true}` (an `allOf` wrapper once read) is an X.
                        let unwrapped = self.unwrapped(schema, pointer).schema;
                        match self.shape(unwrapped) {
                            Shape::Wrapper {
                                member: ReferenceOr::Reference { reference },
                                ..
                            } => reference.rsplit('/').next().map(type_name),
                            _ => None,
                        }
                    })
                    .unwrap_or_else(|| format!("Variant{i}")),
            };
            let rust_name = variant_names.claim(base.trim_start_matches("r#").to_owned());
            let hint = format!("{name}{rust_name}");
            let converted = self.convert(member, &at, &hint);
            let tag = match (&data.discriminator, member) {
                (Some(d), ReferenceOr::Reference { reference }) => Some(
                    d.mapping
                        .iter()
                        .find(|(_, target)| *target == reference)
                        .map(|(value, _)| value.clone())
                        .or_else(|| self.pinned_value(member, &d.property_name))
                        .unwrap_or_else(|| {
                            reference.rsplit('/').next().unwrap_or_default().to_owned()
                        }),
                ),
                _ => None,
            };
            variants.push(UnionVariant {
                rust_name,
                ty: converted.ty,
                tag,
                boxed: false,
            });
        }
        // Values pinned by members (above) may repeat where names could not; the discriminator
        // then cannot pick, and the members are tried in order instead.
        let tags: BTreeSet<&str> = variants.iter().filter_map(|v| v.tag.as_deref()).collect();
        let discriminator = data
            .discriminator
            .as_ref()
            .filter(|_| variants.iter().all(|v| v.tag.is_some()) && tags.len() == variants.len())
            .map(|d| d.property_name.clone());
        self.insert(TypeDef {
            name: name.to_owned(),
            same_as: None,
            origin: pointer.to_string(),
            docs: docs_of(data),
            kind: TypeKind::Union {
                variants,
                discriminator,
            },
        });
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
        for &(wire_name, property) in &object.properties {
            let at = properties.join(wire_name);
            let hint = format!("{name}{}", type_name(wire_name));
            let converted = self.convert(property, &at, &hint);
            let docs = match property {
                ReferenceOr::Item(schema) => self.value_docs(schema),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name: field_names.claim(field_name(wire_name)),
                ty: converted.ty,
                // A read-only property is never sent and a write-only one never received, so
                // neither can be required of both directions.
                presence: Presence::of(
                    object.required.contains(&wire_name)
                        && !property
                            .as_item()
                            .is_some_and(|p| p.schema_data.read_only || p.schema_data.write_only),
                    converted.nullable,
                    converted.constant,
                ),
                boxed: false,
                docs,
            });
        }
        // A name listed in `required` without a property schema still must be present, with
        // any value (`null` included): dropping it would make every request the SDK sends
        // invalid. Such names are often left behind when a property is removed, so a reply
        // without it still decodes (`None`), and `None` is sent as `null`.
        for &required in &object.required {
            if !object.properties.iter().any(|(name, _)| *name == required) {
                fields.push(Field {
                    wire_name: required.clone(),
                    rust_name: field_names.claim(field_name(required)),
                    ty: TypeRef::Json,
                    presence: Presence::RequiredNullable,
                    boxed: false,
                    docs: Docs::default(),
                });
            }
        }
        let closed = matches!(object.additional, Some(AdditionalProperties::Any(false)));
        self.insert(TypeDef {
            name: name.to_owned(),
            same_as: None,
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
        let mut variant_names = places::variants();
        let variants = values
            .iter()
            .map(|value| Variant {
                wire_name: (*value).to_owned(),
                rust_name: variant_names.claim(
                    signed_key_name(value, values)
                        .unwrap_or_else(|| variant_name(value))
                        .trim_start_matches("r#")
                        .to_owned(),
                ),
            })
            .collect();
        self.insert(TypeDef {
            name: name.to_owned(),
            same_as: None,
            origin: pointer.to_string(),
            docs: docs_of(data),
            kind: TypeKind::Enum { variants },
        });
    }

    fn insert(&mut self, def: TypeDef) {
        self.defs.insert(def.name.clone(), def);
    }
}

/// A union member's variant name from its type alone: `String`, `Integer`, …, and for arrays
/// their items' name (`StringArray`, `IntegerArrayArray`, `PetArray`), so that a union of
/// several arrays (OpenAI's `input`: strings, tokens, or arrays of tokens) tells them apart.
fn kind_name(schema: &Schema) -> Option<String> {
    let name = match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(array)) => {
            let items = match array.items.as_ref() {
                Some(ReferenceOr::Reference { reference }) => {
                    reference.rsplit('/').next().map(type_name)
                }
                Some(ReferenceOr::Item(items)) => items
                    .schema_data
                    .title
                    .as_deref()
                    .map(type_name)
                    .or_else(|| kind_name(items)),
                None => None,
            };
            return Some(format!("{}Array", items.unwrap_or_default()));
        }
        _ => return None,
    };
    Some(name.to_owned())
}

/// What an inline union member is called when it says so itself: its `title`, its one string
/// value (`{enum: [range]}` → `Range`), the one value of a tag-like property
/// (`{type: {enum: [range_to]}, end: …}` → `RangeTo`), or its one property (`{ok: …}` →
/// `Ok`). `None` leaves the name to the member's kind.
fn member_name(schema: &Schema) -> Option<String> {
    // A title that only names the JSON type (`title: array`, as generated specs write) says
    // less than the type does.
    if let Some(title) = schema.schema_data.title.as_deref().filter(|title| {
        ![
            "string", "integer", "number", "boolean", "array", "object", "null",
        ]
        .contains(&title.trim().to_ascii_lowercase().as_str())
    }) {
        return Some(type_name(title));
    }
    // `null` among the values (3.1's nullable enums list it) is not a value to name.
    let one_value = |schema: &Schema| match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            let mut values = string.enumeration.iter().flatten();
            match (values.next(), values.next()) {
                (Some(value), None) => Some(variant_name(value)),
                _ => None,
            }
        }
        _ => None,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => one_value(schema),
        SchemaKind::Type(Type::Object(object)) => {
            let tag = object
                .properties
                .iter()
                .find_map(|(_, property)| match property {
                    ReferenceOr::Item(property) => one_value(property),
                    ReferenceOr::Reference { .. } => None,
                });
            match (tag, object.properties.len()) {
                (Some(tag), _) => Some(tag),
                (None, 1) => object.properties.keys().next().map(|k| type_name(k)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The parts of an object schema, whether `openapiv3` parsed it as `type: object` or as "any",
/// or several `allOf` members merged.
#[derive(Default)]
struct ObjectShape<'a> {
    properties: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>)>,
    required: Vec<&'a String>,
    additional: Option<&'a AdditionalProperties>,
}

impl<'a> ObjectShape<'a> {
    fn own(
        properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
    ) -> Self {
        Self {
            properties: properties.iter().collect(),
            required: required.iter().collect(),
            additional,
        }
    }
}

/// What a schema turns into.
enum Shape<'s> {
    /// A type that gets a name of its own.
    Named(NamedShape<'s>),
    /// `allOf: [one]` (or a one-member union) and nothing else: the member itself, found
    /// under `keyword` at `index`.
    Wrapper {
        member: &'s ReferenceOr<Schema>,
        keyword: &'static str,
        index: usize,
    },
    /// A built-in type.
    Scalar(TypeRef),
    /// A tuple: an array of fixed length whose items have types of their own.
    Tuple(Vec<ReferenceOr<Schema>>),
    /// `Vec<items>`.
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    /// A map: typed values, or free-form JSON when `None`.
    Map(Option<&'s ReferenceOr<Schema>>),
    /// Not supported; typed as `serde_json::Value` with a warning naming the construct.
    Unsupported(String),
    /// Not valid OpenAPI: an error.
    Invalid(String),
}

enum NamedShape<'s> {
    Struct(ObjectShape<'s>),
    Enum {
        values: Vec<&'s str>,
        null: bool,
        /// Any other string is allowed too (a union with a plain string member), so even a
        /// single value is not a constant.
        open: bool,
    },
    Union {
        members: &'s [ReferenceOr<Schema>],
        keyword: &'static str,
    },
}

/// A schema seen through the one-member unions around it: see [`Types::unwrapped`].
struct Unwrapped<'s> {
    schema: &'s Schema,
    data: openapiv3::SchemaData,
    pointer: Pointer,
}

/// The strings that union members allow, gathered by [`Types::strings_of`].
#[derive(Default)]
struct Strings<'s> {
    /// Listed `enum` values, each once, in the order first listed.
    values: Vec<&'s str>,
    /// A member takes any string.
    any: bool,
    /// A member takes `null`.
    null: bool,
}

impl<'s> Strings<'s> {
    fn add(&mut self, more: Strings<'s>) {
        for value in more.values {
            if !self.values.contains(&value) {
                self.values.push(value);
            }
        }
        self.any |= more.any;
        self.null |= more.null;
    }
}

/// An object with properties is a struct; without, a map.
fn object_shape(object: ObjectShape<'_>) -> Shape<'_> {
    if !object.properties.is_empty() {
        return Shape::Named(NamedShape::Struct(object));
    }
    match object.additional {
        Some(AdditionalProperties::Schema(value)) => Shape::Map(Some(value)),
        _ => Shape::Map(None),
    }
}

fn scalar_type(typ: &str) -> Option<TypeRef> {
    Some(match typ {
        "string" => TypeRef::String,
        "integer" => TypeRef::I64,
        "number" => TypeRef::F64,
        "boolean" => TypeRef::Bool,
        _ => return None,
    })
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

/// What describes the member of a one-member union: the union's annotations, completed by the
/// member's own. The member's `discriminator` wins: it is the one that shapes the value.
fn wrapped_data(
    outer: &openapiv3::SchemaData,
    member: &openapiv3::SchemaData,
) -> openapiv3::SchemaData {
    openapiv3::SchemaData {
        nullable: outer.nullable || member.nullable,
        read_only: outer.read_only || member.read_only,
        write_only: outer.write_only || member.write_only,
        deprecated: outer.deprecated || member.deprecated,
        external_docs: outer
            .external_docs
            .clone()
            .or_else(|| member.external_docs.clone()),
        example: outer.example.clone().or_else(|| member.example.clone()),
        title: outer.title.clone().or_else(|| member.title.clone()),
        description: outer
            .description
            .clone()
            .or_else(|| member.description.clone()),
        discriminator: member
            .discriminator
            .clone()
            .or_else(|| outer.discriminator.clone()),
        default: outer.default.clone().or_else(|| member.default.clone()),
        extensions: member.extensions.clone(),
    }
}

/// Documentation carried by a schema.
fn docs_of(data: &openapiv3::SchemaData) -> Docs {
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
fn bounds(schema: &Schema) -> (Option<f64>, Option<f64>) {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => {
            (i.minimum.map(|v| v as f64), i.maximum.map(|v| v as f64))
        }
        SchemaKind::Type(Type::Number(n)) => (n.minimum, n.maximum),
        _ => (None, None),
    }
}

/// What an `allOf` member adds.
enum Part<'s> {
    /// Nothing that shapes the value: annotations, `nullable`, or `type: object` alone.
    Annotation,
    /// Only `required` names.
    Required,
    /// Only allowed string values (`enum` without a type).
    Values(Vec<&'s str>),
    /// A shape of its own.
    Shaped,
}

fn part(schema: &Schema) -> Part<'_> {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            let bare = openapiv3::AnySchema {
                required: Vec::new(),
                enumeration: Vec::new(),
                ..any.clone()
            };
            if !is_empty_any(&bare) || !any.properties.is_empty() {
                return Part::Shaped;
            }
            match (any.required.is_empty(), any.enumeration.is_empty()) {
                (true, true) => Part::Annotation,
                (false, true) => Part::Required,
                (true, false) if any.enumeration.iter().all(serde_json::Value::is_string) => {
                    Part::Values(
                        any.enumeration
                            .iter()
                            .filter_map(serde_json::Value::as_str)
                            .collect(),
                    )
                }
                _ => Part::Shaped,
            }
        }
        SchemaKind::Type(Type::Object(o))
            if o.properties.is_empty()
                && o.required.is_empty()
                && o.additional_properties.is_none() =>
        {
            Part::Annotation
        }
        _ => Part::Shaped,
    }
}

/// The values both lists allow (`None`: no list yet, anything goes).
fn intersect<'s>(so_far: Option<Vec<&'s str>>, allowed: Vec<&'s str>) -> Vec<&'s str> {
    match so_far {
        None => allowed,
        Some(so_far) => so_far.into_iter().filter(|v| allowed.contains(v)).collect(),
    }
}

/// Whether an `allOf` member that only annotates makes the value nullable
/// (`allOf: [{$ref: X}, {nullable: true}]`).
fn annotated_nullable(schema: &Schema) -> bool {
    let members = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => return false,
    };
    members.iter().any(|member| {
        member
            .as_item()
            .is_some_and(|s| s.schema_data.nullable && matches!(part(s), Part::Annotation))
    })
}
