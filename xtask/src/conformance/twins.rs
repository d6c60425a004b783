//! Operations a server cannot tell apart: a spec may write `/shared_items#app_items` beside
//! `/shared_items` to document two shapes of one endpoint, but a URL's `#fragment` is never
//! sent, so both requests arrive as the same method on the same path and the mock answers
//! with whichever operation it matches.

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// For an operation whose path carries a `#fragment`, the other operation of `document` its
/// request reaches: the same method on the same path once fragments are dropped (template
/// names, which a server does not see, ignored), the one without a fragment first. Named as
/// `` `operationId` (`GET /path`) ``.
pub fn twin(document: &Value, method: &str, path: &str) -> Option<String> {
    // A path without a fragment is the URL sent: the mock matches it to its own operation.
    if !path.contains('#') {
        return None;
    }
    let method = method.to_ascii_lowercase();
    let wire = on_the_wire(path);
    let paths = document.get("paths")?.as_object()?;
    let mut others: Vec<(&String, &Value)> = paths
        .iter()
        .filter(|(other, item)| {
            *other != path
                && on_the_wire(other) == wire
                && METHODS.contains(&method.as_str())
                && item.get(&method).is_some()
        })
        .collect();
    others.sort_by_key(|(other, _)| other.contains('#'));
    let (other, item) = others.first()?;
    let id = item[&method]
        .get("operationId")
        .and_then(Value::as_str)
        .map(|id| format!("`{id}` "))
        .unwrap_or_default();
    Some(format!("{id}(`{} {other}`)", method.to_ascii_uppercase()))
}

/// The path as a server receives it: no fragment, every `{name}` alike.
fn on_the_wire(path: &str) -> String {
    let path = path.split('#').next().unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    let mut in_template = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_template = true;
                out.push_str("{}");
            }
            '}' => in_template = false,
            _ if in_template => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_that_differ_only_in_a_fragment_are_twins() {
        let document = json!({"paths": {
            "/shared_items": {"get": {"operationId": "get_shared_items"}},
            "/shared_items#app_items": {"get": {"operationId": "get_shared_items#app_items"}},
            "/templates/schema": {"post": {}},
            "/templates/schema#classifications": {"post": {}, "get": {}},
            "/templates/schema#other": {"post": {}},
            "/files/{file_id}": {"put": {"operationId": "put_files_id"}},
            "/files/{id}#remove_link": {"put": {}, "delete": {}},
            "/files/{file_id}/copy": {"post": {}}
        }});
        // (method, path, twin)
        let table = [
            (
                "GET",
                "/shared_items#app_items",
                Some("`get_shared_items` (`GET /shared_items`)"),
            ),
            // The URL sent is the plain operation's own.
            ("GET", "/shared_items", None),
            (
                "POST",
                "/templates/schema#classifications",
                Some("(`POST /templates/schema`)"),
            ),
            // Another method on the same path is told apart by the server.
            ("GET", "/templates/schema#classifications", None),
            (
                "PUT",
                "/files/{id}#remove_link",
                Some("`put_files_id` (`PUT /files/{file_id}`)"),
            ),
            ("DELETE", "/files/{id}#remove_link", None),
            ("POST", "/files/{file_id}/copy", None),
            ("GET", "/nowhere", None),
        ];
        for (method, path, expected) in table {
            assert_eq!(
                twin(&document, method, path).as_deref(),
                expected,
                "{method} {path}"
            );
        }
    }
}
