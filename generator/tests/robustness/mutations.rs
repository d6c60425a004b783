//! Mutations of real specs: drop and alter fields, break `$ref`s, make reference cycles,
//! duplicate operationIds, rename keys, graft subtrees.

use proptest::prelude::*;
use serde_json::{Value, json};

/// One mutation; the two numbers pick its targets.
#[derive(Clone, Copy, Debug)]
pub struct Mutation {
    pub kind: u8,
    pub a: u64,
    pub b: u64,
}

pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    proptest::collection::vec(
        (0u8..KINDS, any::<u64>(), any::<u64>()).prop_map(|(kind, a, b)| Mutation { kind, a, b }),
        1..5,
    )
}

const KINDS: u8 = 10;

/// JSON pointers of every node under `value`, in document order (capped, so that huge specs
/// stay quick to mutate).
pub fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: &mut String, out: &mut Vec<String>) {
        if out.len() >= 400_000 {
            return;
        }
        out.push(at.clone());
        let len = at.len();
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    at.push('/');
                    at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    walk(child, at, out);
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push('/');
                    at.push_str(&i.to_string());
                    walk(child, at, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut String::new(), &mut out);
    out
}

fn pick<T: Clone>(items: &[T], n: u64) -> Option<T> {
    if items.is_empty() {
        None
    } else {
        Some(items[(n % items.len() as u64) as usize].clone())
    }
}

fn odd_value(n: u64) -> Value {
    match n % 12 {
        0 => Value::Null,
        1 => json!(0),
        2 => json!(-1),
        3 => json!(1e308),
        4 => json!("x"),
        5 => json!(""),
        6 => json!([]),
        7 => json!({}),
        8 => json!(true),
        9 => json!({ "$ref": "#/components/schemas/DoesNotExist" }),
        10 => json!("🙂".repeat(1000)),
        _ => json!(u64::MAX),
    }
}

fn odd_ref(n: u64) -> &'static str {
    [
        "#/components/schemas/DoesNotExist",
        "#/components/schemas/",
        "",
        "#",
        "#/",
        "other.yaml#/components/schemas/A",
        "https://example.com/spec.yaml#/A",
        "#/paths/~1a/get",
        "#/components/parameters/Nope",
        "#/components/responses",
        "not a pointer",
        "#/components/schemas/~2bad-escape",
    ][(n % 12) as usize]
}

/// Component schema names.
fn schema_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1")) })
}

/// Applies `mutation` to `doc`; `nodes` are the pointers of the unmutated document (stale
/// ones after an earlier mutation simply miss).
pub fn apply(doc: &mut Value, nodes: &[String], mutation: Mutation) {
    let Mutation { kind, a, b } = mutation;
    match kind {
        // Drop a key of a random object.
        0 => {
            if let Some(at) = pick(nodes, a)
                && let Some(Value::Object(map)) = doc.pointer_mut(&at)
                && let Some(key) = pick(&map.keys().cloned().collect::<Vec<_>>(), b)
            {
                map.shift_remove(&key);
            }
        }
        // Replace a random node with an odd value.
        1 => {
            if let Some(at) = pick(&nodes[1.min(nodes.len())..], a)
                && let Some(slot) = doc.pointer_mut(&at)
            {
                *slot = odd_value(b);
            }
        }
        // Break a `$ref`.
        2 => {
            let refs: Vec<&String> = nodes.iter().filter(|p| p.ends_with("/$ref")).collect();
            if let Some(at) = pick(&refs, a)
                && let Some(slot) = doc.pointer_mut(at)
            {
                *slot = odd_ref(b).into();
            }
        }
        // A cycle between two schemas through required properties (or a self-cycle).
        3 => {
            let names = schema_names(doc);
            if let (Some(x), Some(y)) = (pick(&names, a), pick(&names, b)) {
                let schemas = &mut doc["components"]["schemas"];
                schemas[&x] = json!({
                    "type": "object", "required": ["next"], "properties": { "next": schema_ref(&y) },
                });
                schemas[&y] = json!({
                    "type": "object", "required": ["back"], "properties": { "back": schema_ref(&x) },
                });
            }
        }
        // A cycle of bare `$ref`s or `allOf` wrappers, which no type can break.
        4 => {
            let names = schema_names(doc);
            if let (Some(x), Some(y)) = (pick(&names, a), pick(&names, b)) {
                let schemas = &mut doc["components"]["schemas"];
                if a % 2 == 0 {
                    schemas[&x] = schema_ref(&y);
                    schemas[&y] = schema_ref(&x);
                } else {
                    schemas[&x] = json!({ "allOf": [schema_ref(&y)] });
                    schemas[&y] = json!({ "allOf": [schema_ref(&x)], "nullable": true });
                }
            }
        }
        // An unknown or odd `type`.
        5 => {
            let types: Vec<&String> = nodes.iter().filter(|p| p.ends_with("/type")).collect();
            if let Some(at) = pick(&types, a)
                && let Some(slot) = doc.pointer_mut(at)
            {
                *slot = match b % 5 {
                    0 => json!("foo"),
                    1 => json!("null"),
                    2 => json!(["string", "null"]),
                    3 => json!(123),
                    _ => json!("file"),
                };
            }
        }
        // Duplicate an operationId.
        6 => {
            let ids: Vec<&String> = nodes
                .iter()
                .filter(|p| p.ends_with("/operationId"))
                .collect();
            if let (Some(from), Some(to)) = (pick(&ids, a), pick(&ids, b))
                && let Some(id) = doc.pointer(from).cloned()
                && let Some(slot) = doc.pointer_mut(to)
            {
                *slot = id;
            }
        }
        // Rename a key to an odd name.
        7 => {
            if let Some(at) = pick(nodes, a)
                && let Some(Value::Object(map)) = doc.pointer_mut(&at)
                && let Some(key) = pick(&map.keys().cloned().collect::<Vec<_>>(), b)
                && let Some(value) = map.shift_remove(&key)
            {
                let odd = super::strategies::ODD_NAMES
                    [(b % super::strategies::ODD_NAMES.len() as u64) as usize];
                map.insert(format!("{key}{odd}"), value);
            }
        }
        // Graft a copy of one subtree over another (bounded in size).
        8 => {
            if let (Some(from), Some(to)) = (pick(nodes, a), pick(&nodes[1.min(nodes.len())..], b))
                && let Some(graft) = doc.pointer(&from).cloned()
                && graft.to_string().len() < 200_000
                && let Some(slot) = doc.pointer_mut(&to)
            {
                *slot = graft;
            }
        }
        // Rename a path template parameter or the template itself.
        _ => {
            if let Some(Value::Object(paths)) = doc.get_mut("paths")
                && let Some(path) = pick(&paths.keys().cloned().collect::<Vec<_>>(), a)
                && let Some(item) = paths.shift_remove(&path)
            {
                let renamed = match b % 4 {
                    0 => path.replace('{', "{x"),
                    1 => format!("{path}/{{undeclared}}"),
                    2 => path.replace('/', "//"),
                    _ => path.replace(['{', '}'], ""),
                };
                paths.insert(renamed, item);
            }
        }
    }
}
