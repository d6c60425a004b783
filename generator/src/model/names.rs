//! Rust names for spec names: casing with heck, keyword escaping, and collision-free allocation.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words reserved in any edition, plus the 2024 ones.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that would shadow the prelude or the types generated code relies on.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorBody",
    "Response",
    "Value",
    "Map",
];

/// Escapes a keyword: `type` → `r#type`, `self` → `self_`. Leaves other names alone.
pub fn escape_ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// Keeps only characters valid in identifiers, turning the rest into word breaks,
/// so `x-rate-limit`, `$ref` and `a.b` all case cleanly.
fn words(raw: &str) -> String {
    let spaced: String = raw
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    // A plural acronym (`URLs`, `IDs`) would otherwise split before its last capital
    // (`ur_ls`): read it as one word.
    spaced
        .split(' ')
        .map(|word| match word.strip_suffix('s') {
            Some(acronym)
                if acronym.chars().count() >= 2
                    && acronym.chars().all(|c| c.is_ascii_uppercase()) =>
            {
                let mut chars = acronym.chars();
                let first = chars.next().unwrap_or_default();
                format!("{first}{}s", chars.as_str().to_ascii_lowercase())
            }
            _ => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Makes a cased name a valid identifier start: Rust identifiers cannot start with a digit.
fn fix_start(name: String, prefix: &str, fallback: &str) -> String {
    match name.chars().next() {
        None => fallback.to_owned(),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{name}"),
        Some(c) if !(c.is_alphabetic() || c == '_') => format!("{prefix}{name}"),
        Some(_) => name,
    }
}

/// `organization_membership` → `OrganizationMembership`.
pub fn type_name(raw: &str) -> String {
    let name = fix_start(words(raw).to_upper_camel_case(), "T", "Type");
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Model")
    } else {
        escape_ident(&name)
    }
}

/// `userId` → `user_id`, `type` → `r#type`.
pub fn field_name(raw: &str) -> String {
    escape_ident(&fix_start(words(raw).to_snake_case(), "_", "value"))
}

/// `ListOrganizationMemberships` → `list_organization_memberships`.
pub fn method_name(raw: &str) -> String {
    field_name(raw)
}

/// Hands out names that are unique within one scope, in a deterministic way:
/// the first taker keeps the name, later ones get `2`, `3`, … appended.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Claims `name`, or the first free `name2`, `name3`, ….
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing() {
        assert_eq!(
            type_name("organization_membership"),
            "OrganizationMembership"
        );
        assert_eq!(type_name("JWKS.ed25519.PublicKey"), "JwksEd25519PublicKey");
        assert_eq!(field_name("userId"), "user_id");
        assert_eq!(field_name("x-rate-limit"), "x_rate_limit");
        assert_eq!(field_name("Redirect URLs"), "redirect_urls");
        assert_eq!(type_name("user IDs"), "UserIds");
        assert_eq!(field_name("APIs"), "apis");
        assert_eq!(
            method_name("ListOrganizationMemberships"),
            "list_organization_memberships"
        );
    }

    #[test]
    fn keywords_and_odd_starts() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("$ref"), "r#ref");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(field_name(""), "value");
        assert_eq!(field_name("+"), "value");
        assert_eq!(type_name("2xx"), "T2xx");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("Error"), "ErrorModel");
        assert_eq!(type_name("über"), "Über");
    }

    #[test]
    fn scope_suffixes_collisions_in_order() {
        let mut scope = Scope::with_reserved(&["send"]);
        assert_eq!(scope.claim("send".into()), "send2");
        assert_eq!(scope.claim("a".into()), "a");
        assert_eq!(scope.claim("a".into()), "a2");
        assert_eq!(scope.claim("a2".into()), "a22");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type2");
    }
}
