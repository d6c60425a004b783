//! Request values for an operation, from the spec itself: its `example`/`examples` where it
//! has them, else synthesized from the JSON Schema (types, formats, enums, bounds, lengths,
//! `pattern`, `minItems`, required properties, `allOf`/`oneOf`/`anyOf`).
//!
//! Values are built from the very schema the validating mock checks against (not from the
//! generator's model, which keeps only what the Rust types need), so a rejected request points
//! at the SDK, not at a lossy copy of the rules.

use serde_json::{Map, Value, json};

use super::pattern;

/// Deeper than this, a value is left out (optional) or cut short (required).
const MAX_DEPTH: usize = 12;
/// Optional properties are filled in only this close to the top of a value, which keeps
/// values of wide, recursive schemas small.
const OPTIONAL_DEPTH: usize = 2;

/// Builds values for schemas of one spec.
pub struct Values<'a> {
    spec: &'a Value,
}

/// How to build a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Prefer the spec's examples, synthesize the rest.
    Examples,
    /// Ignore examples.
    Synthesized,
}

#[derive(Clone, Copy)]
struct Ctx {
    source: Source,
    depth: usize,
    /// Which of several items this is (arrays), so enums and `uniqueItems` get distinct values.
    nth: usize,
    /// Arrays get at least this many items: 2 for parameters and the properties of a form
    /// body, to show how they are joined or repeated (a one-item form array reads as a plain
    /// string to a validator, `domains=a`, where `domains=a&domains=b` cannot).
    min_items: usize,
}

impl<'a> Values<'a> {
    pub fn new(spec: &'a Value) -> Self {
        Self { spec }
    }

    /// Follows local `$ref`s (any JSON pointer into the document).
    pub fn resolve<'s>(&self, mut value: &'s Value) -> &'s Value
    where
        'a: 's,
    {
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return value;
            };
            match reference
                .strip_prefix('#')
                .and_then(|pointer| self.spec.pointer(pointer))
            {
                Some(target) => value = target,
                None => return value,
            }
        }
        value
    }

    /// A value for `schema`, or `None` when none can be built.
    pub fn value(&self, schema: &Value, source: Source, min_items: usize) -> Option<Value> {
        self.build(
            schema,
            Ctx {
                source,
                depth: 0,
                nth: 0,
                min_items,
            },
        )
    }

    /// The first of a parameter's or media type's `example` / `examples`.
    pub fn example_of(&self, holder: &Value) -> Option<Value> {
        if let Some(example) = holder.get("example") {
            return Some(example.clone());
        }
        let examples = holder.get("examples")?;
        let first = match examples {
            Value::Object(map) => map.values().next()?,
            Value::Array(list) => return list.first().cloned(),
            _ => return None,
        };
        let first = self.resolve(first);
        // An Example Object with only `externalValue` has no value to use.
        first.get("value").cloned()
    }

    fn build<'s>(&self, schema: &'s Value, ctx: Ctx) -> Option<Value>
    where
        'a: 's,
    {
        let schema = self.resolve(schema);
        if ctx.depth > MAX_DEPTH {
            return None;
        }
        let Value::Object(map) = schema else {
            // `true` (3.1) accepts anything.
            return (schema == &Value::Bool(true)).then(|| json!("sdkgen"));
        };
        if ctx.source == Source::Examples {
            if let Some(example) = map.get("example") {
                return Some(example.clone());
            }
            if let Some(Value::Array(examples)) = map.get("examples") {
                if let Some(first) = examples.first() {
                    return Some(first.clone());
                }
            }
        }
        if let Some(constant) = map.get("const") {
            return Some(constant.clone());
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if !values.is_empty() {
                return Some(values[ctx.nth % values.len()].clone());
            }
        }
        if map.contains_key("allOf") || (has_union(map) && has_own_shape(map)) {
            return self.build_merged(schema, ctx);
        }
        if let Some(members) = union_members(map) {
            return self.build_union(map, members, ctx);
        }
        match schema_type(map).as_deref() {
            Some("string") => Some(Value::String(string_value(map, ctx.nth))),
            Some("integer") => Some(integer_value(map)),
            Some("number") => Some(number_value(map)),
            Some("boolean") => Some(Value::Bool(true)),
            Some("array") => self.build_array(map, ctx),
            Some("object") => self.build_object(map, ctx),
            Some("null") => Some(Value::Null),
            // No type, no shape: anything goes; a string is the plainest value.
            _ => Some(json!("sdkgen")),
        }
    }

    /// `allOf`, or a union next to a shape of its own: one schema with every member's
    /// properties and requirements (a union adds its first member, as `allOf` would), then a
    /// value for that.
    fn build_merged<'s>(&self, schema: &'s Value, ctx: Ctx) -> Option<Value>
    where
        'a: 's,
    {
        let mut merged = Map::new();
        let mut unions = Vec::new();
        self.merge_into(schema, &mut merged, &mut unions, 0);
        let mut tags = Vec::new();
        let mut next = 0;
        // Merging a member may bring unions of its own; they are taken in turn.
        while let Some(&(holder, members)) = unions.get(next) {
            next += 1;
            let Some(member) = members.first() else {
                continue;
            };
            if let (Some(property), Some((tag, mapped))) =
                (discriminator(holder), self.tag_of(holder, member))
            {
                let pinned = self.pins(member, property);
                tags.push((property.to_owned(), (tag, mapped || !pinned)));
            }
            self.merge_into(member, &mut merged, &mut unions, 1);
        }
        let mut value = self.build(&Value::Object(merged), ctx)?;
        if let Value::Object(object) = &mut value {
            // As in `build_union`: a value the member pinned stands unless `mapping` says.
            for (property, (tag, set)) in tags {
                if set {
                    object.insert(property, Value::String(tag));
                }
            }
        }
        Some(value)
    }

    fn merge_into<'s>(
        &self,
        schema: &'s Value,
        merged: &mut Map<String, Value>,
        unions: &mut Vec<(&'s Map<String, Value>, &'s [Value])>,
        depth: usize,
    ) where
        'a: 's,
    {
        let Value::Object(map) = self.resolve(schema) else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        for (key, value) in map {
            match key.as_str() {
                "allOf" => {
                    for member in value.as_array().into_iter().flatten() {
                        self.merge_into(member, merged, unions, depth + 1);
                    }
                }
                "oneOf" | "anyOf" => {
                    if let Some(members) = value.as_array() {
                        unions.push((map, members.as_slice()));
                    }
                }
                "properties" => {
                    let target = merged
                        .entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let (Value::Object(target), Value::Object(props)) = (target, value) {
                        for (name, prop) in props {
                            target.entry(name.clone()).or_insert_with(|| prop.clone());
                        }
                    }
                }
                "required" => {
                    let target = merged
                        .entry("required")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let (Value::Array(target), Value::Array(names)) = (target, value) {
                        for name in names {
                            if !target.contains(name) {
                                target.push(name.clone());
                            }
                        }
                    }
                }
                "discriminator" | "example" | "examples" | "$ref" => {}
                _ => {
                    merged.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
    }

    fn build_union<'s>(
        &self,
        holder: &'s Map<String, Value>,
        members: &'s [Value],
        ctx: Ctx,
    ) -> Option<Value>
    where
        'a: 's,
    {
        for member in members {
            let Some(mut value) = self.build(member, ctx) else {
                continue;
            };
            // The discriminator names the member; set it the way the mapping says. Without a
            // mapping entry, a value the member's own schema gave the property (it pins one:
            // `type: {enum: [function]}`) stands, as the generator reads it; else the name.
            if let (Some(property), Value::Object(object)) = (discriminator(holder), &mut value) {
                match self.tag_of(holder, member) {
                    Some((tag, true)) => {
                        object.insert(property.to_owned(), Value::String(tag));
                    }
                    Some((name, false)) if !self.pins(member, property) => {
                        object.insert(property.to_owned(), Value::String(name));
                    }
                    _ => {}
                }
            }
            return Some(value);
        }
        None
    }

    /// Whether a union member pins `property` to one value (`enum` of one, or `const`),
    /// directly or in an `allOf` part.
    fn pins(&self, member: &Value, property: &str) -> bool {
        let schema = self.resolve(member);
        let parts = schema.get("allOf").and_then(Value::as_array);
        std::iter::once(schema)
            .chain(parts.into_iter().flatten().map(|part| self.resolve(part)))
            .filter_map(|schema| schema.get("properties")?.get(property))
            .map(|p| self.resolve(p))
            .any(|p| {
                p.get("const").is_some()
                    || p.get("enum")
                        .and_then(Value::as_array)
                        .is_some_and(|e| e.len() == 1)
            })
    }

    /// The discriminator value of a union member, and whether `mapping` gave it: its key in
    /// `mapping`, else its schema name.
    fn tag_of(&self, holder: &Map<String, Value>, member: &Value) -> Option<(String, bool)> {
        let reference = member.get("$ref").and_then(Value::as_str)?;
        let mapping = holder.get("discriminator").and_then(|d| d.get("mapping"));
        if let Some(Value::Object(mapping)) = mapping {
            if let Some((tag, _)) = mapping.iter().find(|(_, v)| v.as_str() == Some(reference)) {
                return Some((tag.clone(), true));
            }
        }
        reference
            .rsplit('/')
            .next()
            .map(|name| (name.to_owned(), false))
    }

    fn build_array<'s>(&self, map: &'s Map<String, Value>, ctx: Ctx) -> Option<Value>
    where
        'a: 's,
    {
        let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = map
            .get("maxItems")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        let mut count = min.max(ctx.min_items).max(1);
        if let Some(max) = max {
            count = count.min(max);
        }
        let Some(items) = map.get("items") else {
            return Some(Value::Array(vec![json!("sdkgen"); count.min(1)]));
        };
        let mut values = Vec::with_capacity(count);
        for nth in 0..count {
            let item = self.build(
                items,
                Ctx {
                    depth: ctx.depth + 1,
                    nth,
                    min_items: 1,
                    ..ctx
                },
            )?;
            values.push(item);
        }
        if map.get("uniqueItems") == Some(&Value::Bool(true)) {
            let mut unique: Vec<Value> = Vec::new();
            for value in values {
                if !unique.contains(&value) {
                    unique.push(value);
                }
            }
            if unique.len() < min {
                return None;
            }
            values = unique;
        }
        Some(Value::Array(values))
    }

    fn build_object<'s>(&self, map: &'s Map<String, Value>, ctx: Ctx) -> Option<Value>
    where
        'a: 's,
    {
        let required: Vec<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut object = Map::new();
        let inner = Ctx {
            depth: ctx.depth + 1,
            nth: 0,
            // The top-level object's properties are what a form body's pairs are made of.
            min_items: if ctx.depth == 0 { ctx.min_items } else { 1 },
            ..ctx
        };
        if let Some(Value::Object(properties)) = map.get("properties") {
            for (name, property) in properties {
                let property_schema = self.resolve(property);
                // Read-only properties are the server's to set; requests leave them out.
                if property_schema.get("readOnly") == Some(&Value::Bool(true)) {
                    continue;
                }
                let is_required = required.contains(&name.as_str());
                if !is_required && ctx.depth >= OPTIONAL_DEPTH {
                    continue;
                }
                match self.build(property, inner) {
                    Some(value) => {
                        object.insert(name.clone(), value);
                    }
                    None if is_required => return None,
                    None => {}
                }
            }
        }
        // Required names without a property schema, and maps with a minimum size.
        for name in &required {
            if !object.contains_key(*name) {
                let value = match map.get("additionalProperties") {
                    Some(extra @ Value::Object(_)) => self.build(extra, inner)?,
                    _ => json!("sdkgen"),
                };
                object.insert((*name).to_owned(), value);
            }
        }
        let min_properties = map
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let mut key = 0;
        while (object.len() as u64) < min_properties {
            let value = match map.get("additionalProperties") {
                Some(extra @ Value::Object(_)) => self.build(extra, inner)?,
                _ => json!("sdkgen"),
            };
            object.insert(format!("key{key}"), value);
            key += 1;
        }
        Some(Value::Object(object))
    }
}

fn has_union(map: &Map<String, Value>) -> bool {
    map.contains_key("oneOf") || map.contains_key("anyOf")
}

/// Whether a schema says more than its union (properties, a type), to be merged with it.
fn has_own_shape(map: &Map<String, Value>) -> bool {
    ["properties", "required", "type", "additionalProperties"]
        .iter()
        .any(|key| map.contains_key(*key))
}

fn discriminator(holder: &Map<String, Value>) -> Option<&str> {
    holder
        .get("discriminator")
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str)
}

fn union_members(map: &Map<String, Value>) -> Option<&[Value]> {
    map.get("oneOf")
        .or_else(|| map.get("anyOf"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .filter(|m| !m.is_empty())
}

/// The schema's type; 3.1 type lists give their first non-null entry; properties or items
/// imply one.
fn schema_type(map: &Map<String, Value>) -> Option<String> {
    match map.get("type") {
        Some(Value::String(t)) => Some(t.clone()),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .or_else(|| types.iter().filter_map(Value::as_str).next())
            .map(str::to_owned),
        _ if map.contains_key("properties") || map.contains_key("additionalProperties") => {
            Some("object".into())
        }
        _ if map.contains_key("items") => Some("array".into()),
        _ => None,
    }
}

fn string_value(map: &Map<String, Value>, nth: usize) -> String {
    let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = map
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    if let Some(pattern) = map.get("pattern").and_then(Value::as_str) {
        if let Some(value) = pattern::matching(pattern, min, max) {
            return value;
        }
    }
    let format = map.get("format").and_then(Value::as_str).unwrap_or("");
    let formatted = match format {
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05Z"),
        "duration" => Some("P1D"),
        "uuid" => Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        "email" | "idn-email" => Some("user@example.com"),
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => {
            Some("https://example.com/sdkgen")
        }
        "uri-template" => Some("https://example.com/{id}"),
        "hostname" | "idn-hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("c2RrZ2Vu"),
        "json-pointer" => Some("/sdkgen"),
        "regex" => Some("^sdkgen$"),
        _ => None,
    };
    if let Some(value) = formatted {
        return value.to_owned();
    }
    // Distinct values for items of one array.
    let mut value = if nth == 0 {
        "sdkgen".to_owned()
    } else {
        format!("sdkgen{nth}")
    };
    while value.chars().count() < min {
        value.push('x');
    }
    if let Some(max) = max {
        value = value.chars().take(max).collect();
    }
    value
}

/// The smallest integer in range, near 1; honours exclusive bounds (3.0 booleans and 3.1
/// numbers), `multipleOf` and the int32 range.
fn integer_value(map: &Map<String, Value>) -> Value {
    let (low, high) = bounds(map);
    let mut low = low.map(f64::ceil);
    let mut high = high.map(f64::floor);
    if map.get("format").and_then(Value::as_str) == Some("int32") {
        low = Some(low.unwrap_or(f64::from(i32::MIN)).max(f64::from(i32::MIN)));
        high = Some(high.unwrap_or(f64::from(i32::MAX)).min(f64::from(i32::MAX)));
    }
    let mut value = 1.0_f64;
    if let Some(low) = low {
        value = value.max(low);
    }
    if let Some(high) = high {
        value = value.min(high);
    }
    if let Some(step) = map
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|s| *s >= 1.0)
    {
        value = (value / step).ceil() * step;
    }
    json!(value as i64)
}

fn number_value(map: &Map<String, Value>) -> Value {
    let (low, high) = bounds(map);
    let mut value = 1.5_f64;
    if let Some(low) = low {
        value = value.max(low);
    }
    if let Some(high) = high {
        value = value.min(high);
    }
    if let Some(step) = map
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|s| *s > 0.0)
    {
        value = (value / step).ceil() * step;
    }
    json!(value)
}

/// Inclusive bounds, exclusive ones moved inward by one.
fn bounds(map: &Map<String, Value>) -> (Option<f64>, Option<f64>) {
    let number = |key: &str| map.get(key).and_then(Value::as_f64);
    let flag = |key: &str| map.get(key) == Some(&Value::Bool(true));
    let mut low = number("minimum");
    let mut high = number("maximum");
    if flag("exclusiveMinimum") {
        low = low.map(|l| l + 1.0);
    }
    if flag("exclusiveMaximum") {
        high = high.map(|h| h - 1.0);
    }
    if let Some(l) = number("exclusiveMinimum") {
        low = Some(l + 1.0);
    }
    if let Some(h) = number("exclusiveMaximum") {
        high = Some(h - 1.0);
    }
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(spec: &Value, schema: Value, source: Source) -> Value {
        let values = Values::new(spec);
        let schema = Box::leak(Box::new(schema));
        values.value(schema, source, 1).expect("a value")
    }

    #[test]
    fn scalars_follow_formats_bounds_and_patterns() {
        let spec = json!({});
        let cases = [
            (
                json!({"type": "string", "format": "date-time"}),
                json!("2024-01-02T03:04:05Z"),
            ),
            (
                json!({"type": "string", "format": "uuid"}),
                json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
            ),
            (json!({"type": "string", "minLength": 8}), json!("sdkgenxx")),
            (json!({"type": "string", "maxLength": 3}), json!("sdk")),
            (
                json!({"type": "string", "pattern": "^AC[0-9a-f]{4}$"}),
                json!("ACaaaa"),
            ),
            (
                json!({"type": "integer", "minimum": 10, "maximum": 500}),
                json!(10),
            ),
            (json!({"type": "integer", "maximum": 0}), json!(0)),
            (
                json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}),
                json!(1),
            ),
            (
                json!({"type": "integer", "minimum": 3, "multipleOf": 5}),
                json!(5),
            ),
            (json!({"type": "number", "maximum": 1}), json!(1.0)),
            (json!({"type": "string", "enum": ["b", "a"]}), json!("b")),
            (json!({"type": ["null", "boolean"]}), json!(true)),
        ];
        for (schema, expected) in cases {
            assert_eq!(
                value(&spec, schema.clone(), Source::Synthesized),
                expected,
                "{schema}"
            );
        }
    }

    #[test]
    fn objects_get_required_and_near_optional_properties_but_no_read_only_ones() {
        let spec = json!({"components": {"schemas": {"Id": {"type": "string", "format": "uuid"}}}});
        let schema = json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"$ref": "#/components/schemas/Id"},
                "created": {"type": "integer", "readOnly": true},
                "tags": {"type": "array", "items": {"type": "string", "enum": ["x", "y"]}, "minItems": 2, "uniqueItems": true},
            }
        });
        assert_eq!(
            value(&spec, schema, Source::Synthesized),
            json!({"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "tags": ["x", "y"]})
        );
    }

    #[test]
    fn examples_win_unless_synthesizing() {
        let spec = json!({});
        let schema =
            json!({"type": "object", "properties": {"n": {"type": "integer", "example": 42}}});
        assert_eq!(
            value(&spec, schema.clone(), Source::Examples),
            json!({"n": 42})
        );
        assert_eq!(value(&spec, schema, Source::Synthesized), json!({"n": 1}));
    }

    #[test]
    fn all_of_merges_and_one_of_sets_the_discriminator() {
        let spec = json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "required": ["lives"], "properties": {"lives": {"type": "integer", "minimum": 9}}}]},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
        }}});
        let pet = json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}
        });
        assert_eq!(
            value(&spec, pet, Source::Synthesized),
            json!({"name": "sdkgen", "lives": 9, "kind": "cat"})
        );
    }

    /// Without a `mapping` entry, a member that pins the discriminator keeps its value (as the
    /// generator reads it); one that does not gets its schema name.
    #[test]
    fn a_member_that_pins_the_discriminator_keeps_its_value() {
        let spec = json!({"components": {"schemas": {
            "FunctionTool": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["function"]}}},
            "Plain": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}},
        }}});
        let union = |first: &str| {
            json!({
                "oneOf": [{"$ref": format!("#/components/schemas/{first}")}],
                "discriminator": {"propertyName": "type"}
            })
        };
        assert_eq!(
            value(&spec, union("FunctionTool"), Source::Synthesized),
            json!({"type": "function"})
        );
        assert_eq!(
            value(&spec, union("Plain"), Source::Synthesized),
            json!({"type": "Plain"})
        );
    }

    #[test]
    fn unions_that_only_add_requirements_are_merged() {
        let spec = json!({});
        let schema = json!({
            "type": "object",
            "properties": {"domain": {"type": "string"}, "domains": {"type": "array", "items": {"type": "string"}}},
            "anyOf": [{"required": ["domain"]}, {"required": ["domains"]}]
        });
        assert_eq!(
            value(&spec, schema, Source::Synthesized),
            json!({"domain": "sdkgen", "domains": ["sdkgen"]})
        );
    }

    #[test]
    fn form_bodies_get_two_items_per_array_property_but_not_deeper() {
        let spec = json!({});
        let values = Values::new(&spec);
        let schema = Box::leak(Box::new(json!({
            "type": "object",
            "required": ["domains", "nested"],
            "properties": {
                "domains": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "nested": {"type": "object", "required": ["ids"], "properties": {"ids": {"type": "array", "items": {"type": "string"}}}},
                "one": {"type": "array", "items": {"type": "string"}, "maxItems": 1},
            }
        })));
        assert_eq!(
            values.value(schema, Source::Synthesized, 2),
            Some(
                json!({"domains": ["sdkgen", "sdkgen1"], "nested": {"ids": ["sdkgen"]}, "one": ["sdkgen"]})
            )
        );
    }

    #[test]
    fn example_objects_are_read_through_references() {
        let spec = json!({"components": {"examples": {"E": {"value": {"a": 1}}}}});
        let values = Values::new(&spec);
        let media = Box::leak(Box::new(
            json!({"examples": {"first": {"$ref": "#/components/examples/E"}}}),
        ));
        assert_eq!(values.example_of(media), Some(json!({"a": 1})));
    }
}
