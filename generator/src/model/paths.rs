//! Names read off a path for operations without tags: the group (`/v1/widgets/{id}` →
//! `widgets`) and, when the spec gives no real operationId, the method (`list`, `create`,
//! `retrieve`, `update`, `delete`, `list_parts`, `cancel`).

use heck::ToSnakeCase;

/// One segment of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// A literal word, file extension dropped (`Calls.json` → `Calls`).
    Literal(String),
    /// A `{parameter}` (or a segment mixing text and parameters).
    Param(String),
}

/// The segments of `path`, without version prefixes (`v1`, `v2beta1`, `2010-04-01`, `1.0`) and
/// without a leading `api` that has more literal words after it.
fn segments(path: &str) -> Vec<Segment> {
    let mut out: Vec<Segment> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.contains('{') {
                Segment::Param(s.trim_matches(['{', '}']).to_owned())
            } else {
                let word = match s.rsplit_once('.') {
                    Some((stem, ext)) if !stem.is_empty() && is_extension(ext) => stem,
                    _ => s,
                };
                Segment::Literal(word.to_owned())
            }
        })
        .filter(|s| !matches!(s, Segment::Literal(word) if is_version(word)))
        .collect();
    let literals = out
        .iter()
        .filter(|s| matches!(s, Segment::Literal(_)))
        .count();
    if literals > 1
        && matches!(out.first(), Some(Segment::Literal(w)) if w.eq_ignore_ascii_case("api"))
    {
        out.remove(0);
    }
    out
}

fn is_extension(ext: &str) -> bool {
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "json" | "xml" | "yaml" | "yml" | "csv" | "txt"
    )
}

/// `v1`, `V2`, `v1beta`, `v2beta1`, `v1.2`, `1`, `1.0`, `2010-04-01`.
fn is_version(word: &str) -> bool {
    let digits_and = |s: &str, extra: &[char]| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars().all(|c| c.is_ascii_digit() || extra.contains(&c))
    };
    if digits_and(word, &['.', '-']) {
        return true;
    }
    let Some(rest) = word.strip_prefix(['v', 'V']) else {
        return false;
    };
    let number_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, label) = rest.split_at(number_end);
    if !digits_and(number, &['.']) {
        return false;
    }
    // `v1beta`, `v1alpha2`, `v2preview`: a pre-release label, optionally numbered.
    let label = label.trim_end_matches(|c: char| c.is_ascii_digit());
    label.is_empty() || ["alpha", "beta", "preview", "rc", "dev"].contains(&label)
}

/// The group of an untagged operation: its first literal path segment, version prefixes
/// skipped; `api` for paths without one (`/`, `/{id}`).
pub fn group_of(path: &str) -> String {
    segments(path)
        .into_iter()
        .find_map(|s| match s {
            Segment::Literal(word) => Some(word),
            Segment::Param(_) => None,
        })
        .unwrap_or_else(|| "api".to_owned())
}

/// Whether an operationId only restates the method and path (`GetCustomersCustomerSources` for
/// `GET /v1/customers/{customer}/sources`), as generated specs do: such an id says nothing
/// that [`rest_method`] would not say better.
pub fn id_restates_path(id: &str, http_method: &str, path: &str) -> bool {
    let id = id.to_snake_case();
    let method = http_method.to_ascii_lowercase();
    // With and without the version prefix: `get_v1_widgets` and `get_widgets` both restate
    // `GET /v1/widgets`.
    let short: Vec<String> = segments(path)
        .iter()
        .map(|s| match s {
            Segment::Literal(w) | Segment::Param(w) => w.to_snake_case(),
        })
        .collect();
    let short = format!("{method} {}", short.join(" ")).to_snake_case();
    let full = format!("{method} {path}").to_snake_case();
    id == short || id == full
}

/// A method name from the HTTP method and the path, REST-style, for an operation in the group
/// `group` (as [`group_of`] gives it):
///
/// | request | method |
/// |---|---|
/// | `GET /widgets` | `list` (`retrieve` when the group is a singular word: `GET /balance`) |
/// | `POST /widgets` | `create` |
/// | `GET /widgets/{id}` | `retrieve` |
/// | `PUT`, `PATCH` or `POST /widgets/{id}` | `update` |
/// | `DELETE /widgets/{id}` | `delete` |
/// | `GET /widgets/{id}/parts` | `list_parts` |
/// | `POST /widgets/{id}/parts` | `create_part` |
/// | `GET /widgets/{id}/parts/{part}` | `retrieve_part` |
/// | `POST /widgets/{id}/cancel` | `cancel` (a singular word after an item is an action) |
/// | `GET /widgets/search` | `search` |
pub fn rest_method(http_method: &str, path: &str, group: &str) -> String {
    let segments = segments(path);
    let start = segments
        .iter()
        .position(|s| *s == Segment::Literal(group.to_owned()))
        .map_or(0, |i| i + 1);
    let rest = &segments[start..];
    let ends_in_item = matches!(rest.last(), Some(Segment::Param(_)));
    // The literal words after the group, and whether the last of them is followed by an item.
    let literals: Vec<String> = rest
        .iter()
        .filter_map(|s| match s {
            Segment::Literal(w) => Some(w.to_snake_case()),
            Segment::Param(_) => None,
        })
        .collect();
    let method = http_method.to_ascii_lowercase();
    let Some(last) = literals.last() else {
        let verb = match (method.as_str(), ends_in_item) {
            ("get", false) if is_plural(group) => "list",
            ("get", _) => "retrieve",
            ("post", false) => "create",
            ("post" | "put" | "patch", true) => "update",
            ("put" | "patch", false) => "update",
            ("delete", _) => "delete",
            (other, _) => other,
        };
        return verb.to_owned();
    };
    let before: Vec<String> = literals[..literals.len() - 1].to_vec();
    let prefix = |verb: &str, noun: &str| {
        let mut words = vec![verb.to_owned()];
        words.extend(before.iter().cloned());
        words.push(noun.to_owned());
        words.join("_")
    };
    match (method.as_str(), ends_in_item, is_plural(last)) {
        ("get", false, true) => prefix("list", last),
        ("get", true, _) => prefix("retrieve", &singular(last)),
        ("post", false, true) => prefix("create", &singular(last)),
        ("put" | "patch" | "post", true, _) => prefix("update", &singular(last)),
        ("delete", true, _) => prefix("delete", &singular(last)),
        ("delete", false, _) => prefix("delete", last),
        ("put" | "patch", false, _) => prefix("update", last),
        // A singular word: an action (`POST …/cancel`) or a view (`GET …/search`, `GET …/me`).
        ("get", false, false) => {
            let after_item = rest.len() >= 2 && matches!(rest[rest.len() - 2], Segment::Param(_));
            if after_item {
                prefix("retrieve", last)
            } else {
                let mut words = before.clone();
                words.push(last.clone());
                words.join("_")
            }
        }
        (_, false, false) => {
            let mut words = before.clone();
            words.push(last.clone());
            words.join("_")
        }
        (other, _, _) => prefix(other, last),
    }
}

/// `widgets`, `boxes`, `policies`: ends in `s` but not `ss` (`access`, `status`, `news` aside).
fn is_plural(word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
        && !["news", "series", "species"].contains(&word.as_str())
}

/// `widgets` → `widget`, `policies` → `policy`, `boxes` → `box`; other words unchanged.
pub fn singular(word: &str) -> String {
    if !is_plural(word) {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["xes", "ches", "shes", "sses"] {
        if let Some(stem) = word.strip_suffix(ending) {
            return format!("{stem}{}", &ending[..ending.len() - 2]);
        }
    }
    word[..word.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_from_paths() {
        for (path, group) in [
            ("/v1/widgets/{id}", "widgets"),
            ("/widgets", "widgets"),
            ("/api/v2/users/{id}/keys", "users"),
            ("/api", "api"),
            ("/2010-04-01/Accounts/{AccountSid}/Calls.json", "Accounts"),
            ("/v1beta1/things", "things"),
            ("/v1.2/things", "things"),
            ("/1.0/things", "things"),
            ("/", "api"),
            ("/{id}", "api"),
            ("/{tenant}/orders", "orders"),
            ("/vendors", "vendors"),
            ("/v1/version", "version"),
        ] {
            assert_eq!(group_of(path), group, "{path}");
        }
    }

    #[test]
    fn rest_methods() {
        for (method, path, name) in [
            ("GET", "/v1/widgets", "list"),
            ("POST", "/v1/widgets", "create"),
            ("GET", "/v1/widgets/{id}", "retrieve"),
            ("POST", "/v1/widgets/{id}", "update"),
            ("PUT", "/v1/widgets/{id}", "update"),
            ("PATCH", "/v1/widgets/{id}", "update"),
            ("DELETE", "/v1/widgets/{id}", "delete"),
            ("GET", "/v1/widgets/{id}/parts", "list_parts"),
            ("POST", "/v1/widgets/{id}/parts", "create_part"),
            ("GET", "/v1/widgets/{id}/parts/{part}", "retrieve_part"),
            ("DELETE", "/v1/widgets/{id}/parts/{part}", "delete_part"),
            ("POST", "/v1/widgets/{id}/cancel", "cancel"),
            ("GET", "/v1/widgets/search", "search"),
            ("GET", "/v1/balance", "retrieve"),
            (
                "GET",
                "/v1/widgets/{id}/cash_balance",
                "retrieve_cash_balance",
            ),
            ("DELETE", "/v1/widgets/{id}/discount", "delete_discount"),
            ("GET", "/v1/policies/{id}/line_items", "list_line_items"),
            ("HEAD", "/v1/widgets", "head"),
        ] {
            assert_eq!(
                rest_method(method, path, &group_of(path)),
                name,
                "{method} {path}"
            );
        }
    }

    #[test]
    fn restated_ids() {
        assert!(id_restates_path(
            "GetCustomersCustomerSources",
            "get",
            "/v1/customers/{customer}/sources"
        ));
        assert!(id_restates_path("get_v1_widgets", "get", "/v1/widgets"));
        assert!(!id_restates_path("get_v1_widgets", "get", "/widgets"));
        assert!(id_restates_path("post_widgets", "POST", "/v1/widgets"));
        assert!(!id_restates_path("createWidget", "post", "/v1/widgets"));
    }

    #[test]
    fn singulars() {
        for (plural, one) in [
            ("widgets", "widget"),
            ("policies", "policy"),
            ("boxes", "box"),
            ("batches", "batch"),
            ("status", "status"),
            ("access", "access"),
            ("line_items", "line_item"),
        ] {
            assert_eq!(singular(plural), one);
        }
    }
}
