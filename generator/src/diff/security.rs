//! Authentication beyond `Client::new`: every security scheme (which `ClientBuilder` setter
//! fills it, where its credential goes), the API's default security, and which credentials
//! each operation sends.

use std::collections::{BTreeMap, BTreeSet};

use super::aspect::{Changes, Place, pair, pair_unique, transition};
use super::change::{Effect, Kind};
use crate::diagnostics::Pointer;
use crate::model::{Api, Auth, AuthKind, Group, Operation, Security};

/// The schemes of both sides: kept (by name), renamed (the only removed and the only added
/// scheme of one kind), removed and added.
pub(super) struct Schemes<'a> {
    same: Vec<(&'a Auth, &'a Auth)>,
    renamed: Vec<(&'a Auth, &'a Auth)>,
    removed: Vec<&'a Auth>,
    added: Vec<&'a Auth>,
    /// Old scheme name → new, for the renamed ones.
    names: BTreeMap<&'a str, &'a str>,
}

impl<'a> Schemes<'a> {
    pub(super) fn of(old: &'a Api, new: &'a Api) -> Self {
        let old_refs: Vec<&Auth> = old.security_schemes.iter().collect();
        let new_refs: Vec<&Auth> = new.security_schemes.iter().collect();
        let (same, removed, added) = pair(&old_refs, &new_refs, |a| a.scheme.clone());
        let kind = |a: &Auth| Some(where_text(&a.kind));
        let (renamed, removed, added) = pair_unique(&removed, &added, kind, kind);
        let names = renamed
            .iter()
            .map(|(o, n)| (o.scheme.as_str(), n.scheme.as_str()))
            .collect();
        Self {
            same,
            renamed,
            removed,
            added,
            names,
        }
    }

    /// An old security with renamed schemes under their new names, as text.
    fn old_text(&self, security: &Security) -> String {
        let renamed: Security = security
            .iter()
            .map(|set| {
                set.iter()
                    .map(|name| {
                        self.names
                            .get(name.as_str())
                            .map_or_else(|| name.clone(), |n| (*n).to_owned())
                    })
                    .collect()
            })
            .collect();
        security_text(&renamed)
    }
}

/// The schemes and the default security.
pub(super) fn compare(old: &Api, new: &Api, schemes: &Schemes<'_>, out: &mut Changes) {
    for &(o, n) in &schemes.renamed {
        let detail = format!(
            "{}; `credential(\"{}\", …)` no longer builds a client",
            transition(&o.scheme, &n.scheme),
            o.scheme
        );
        out.push(Kind::SchemeRenamed, Effect::Breaking, &place(o, n), detail);
    }
    for &(o, n) in schemes.same.iter().chain(&schemes.renamed) {
        if o.kind == n.kind {
            continue;
        }
        let mut detail = transition(&where_text(&o.kind), &where_text(&n.kind));
        let effect = if still_fills(&o.kind, &n.kind, &n.scheme, new) {
            Effect::Wire
        } else {
            detail.push_str(&format!(
                "; set with `{}` instead of `{}`",
                setter(&n.kind),
                setter(&o.kind)
            ));
            Effect::Breaking
        };
        out.push(Kind::SchemeChanged, effect, &place(o, n), detail);
    }
    for &o in &schemes.removed {
        let at = Place::old(item(o), pointer(o));
        // The kind-wide setter still builds; naming the scheme no longer does.
        let detail = format!(
            "`{}`; `credential(\"{}\", …)` no longer builds a client",
            where_text(&o.kind),
            o.scheme
        );
        out.push(Kind::SchemeRemoved, Effect::Breaking, &at, detail);
    }
    // Operations that were there before: a new one needing the scheme breaks no one.
    let routes: BTreeSet<(&str, &str)> = operations(old)
        .map(|(_, op)| (op.http_method.as_str(), op.path.as_str()))
        .collect();
    for &n in &schemes.added {
        let needed: Vec<(&Group, &Operation)> = operations(new)
            .filter(|(_, op)| routes.contains(&(op.http_method.as_str(), op.path.as_str())))
            .filter(|(_, op)| requires(effective(op, new), &n.scheme))
            .collect();
        let mut detail = format!("`{}`", where_text(&n.kind));
        let effect = match needed.as_slice() {
            [] => Effect::Compatible,
            [(group, op), rest @ ..] => {
                detail.push_str(&format!(
                    "; required by `{}().{}()`",
                    group.method.trim_start_matches("r#"),
                    op.method_name.trim_start_matches("r#")
                ));
                if !rest.is_empty() {
                    detail.push_str(&format!(" and {} more operations", rest.len()));
                }
                Effect::Wire
            }
        };
        let at = Place::new(item(n), pointer(n));
        out.push(Kind::SchemeAdded, effect, &at, detail);
    }
    let (before, after) = (
        schemes.old_text(&old.security),
        security_text(&new.security),
    );
    if before != after {
        // Operations with a security of their own are compared one by one.
        let following = operations(new)
            .filter(|(_, op)| op.security.is_none())
            .count();
        let detail = format!("{before} → {after}, for the {following} operations that follow it");
        let at = Place::both("Client", "#/security", "#/security");
        out.push(Kind::DefaultSecurityChanged, Effect::Wire, &at, detail);
    }
}

/// Which credentials one operation sends, at `place` (its `security`). Operations that follow
/// the default on both sides are left to [`compare`]'s one entry about the default.
pub(super) fn operation(
    o: &Operation,
    n: &Operation,
    old: &Api,
    new: &Api,
    schemes: &Schemes<'_>,
    place: &Place,
    out: &mut Changes,
) {
    if o.security.is_none() && n.security.is_none() {
        return;
    }
    let before = schemes.old_text(effective(o, old));
    let after = security_text(effective(n, new));
    if before != after {
        // Either way one side's client sends what the other side's server refuses, or
        // leaves out what it needs.
        let detail = format!("{before} → {after}");
        out.push(Kind::AuthRequirementChanged, Effect::Wire, place, detail);
    }
}

fn operations(api: &Api) -> impl Iterator<Item = (&Group, &Operation)> {
    api.groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |op| (g, op)))
}

/// The security an operation's requests follow.
fn effective<'a>(op: &'a Operation, api: &'a Api) -> &'a Security {
    op.security.as_ref().unwrap_or(&api.security)
}

/// Whether every way to call with `security` sends `scheme`.
fn requires(security: &Security, scheme: &str) -> bool {
    !security.is_empty() && security.iter().all(|set| set.iter().any(|s| s == scheme))
}

/// "`a` + `b` or none": alternatives in order of preference (the client sends the first it
/// holds), the schemes of each sorted (they are sent together).
fn security_text(security: &Security) -> String {
    if security.is_empty() {
        return "no credential".to_owned();
    }
    let alternatives: Vec<String> = security
        .iter()
        .map(|set| {
            if set.is_empty() {
                return "none".to_owned();
            }
            let mut names: Vec<String> = set.iter().map(|s| format!("`{s}`")).collect();
            names.sort();
            names.join(" + ")
        })
        .collect();
    alternatives.join(" or ")
}

/// `ClientBuilder::credential("name")`: the Rust handle on one scheme.
fn item(auth: &Auth) -> String {
    format!("ClientBuilder::credential(\"{}\")", auth.scheme)
}

fn pointer(auth: &Auth) -> String {
    Pointer::root()
        .join("components")
        .join("securitySchemes")
        .join(&auth.scheme)
        .to_string()
}

fn place(o: &Auth, n: &Auth) -> Place {
    Place::both(item(n), pointer(o), pointer(n))
}

/// Where the credential goes, plain (the report quotes it).
fn where_text(kind: &AuthKind) -> String {
    match kind {
        AuthKind::Bearer => "Authorization: Bearer".to_owned(),
        AuthKind::OAuth2 => "Authorization: Bearer (OAuth 2)".to_owned(),
        AuthKind::Basic => "Authorization: Basic".to_owned(),
        AuthKind::ApiKeyHeader(name) => format!("header {name}"),
        AuthKind::ApiKeyQuery(name) => format!("query parameter {name}"),
        AuthKind::ApiKeyCookie(name) => format!("cookie {name}"),
    }
}

/// The `ClientBuilder` setter that fills schemes of this kind.
fn setter(kind: &AuthKind) -> &'static str {
    match kind {
        AuthKind::Bearer | AuthKind::OAuth2 => "bearer_token",
        AuthKind::Basic => "basic_auth",
        AuthKind::ApiKeyHeader(_) | AuthKind::ApiKeyQuery(_) | AuthKind::ApiKeyCookie(_) => {
            "api_key"
        }
    }
}

/// Whether the setter that filled a scheme of kind `old` still fills it as `new` (named
/// `scheme` in `api`): the same setter, or, by the runtime's rule that a token given to
/// `bearer_token`/`api_key` for an API without schemes of that kind goes to the other kind of
/// token, when it is the API's only token scheme (with another, a token the caller gives for
/// that one would win).
fn still_fills(old: &AuthKind, new: &AuthKind, scheme: &str, api: &Api) -> bool {
    let (was, is) = (setter(old), setter(new));
    let token = |setter: &str| setter != "basic_auth";
    was == is
        || (token(was)
            && token(is)
            && !api
                .security_schemes
                .iter()
                .any(|a| a.scheme != scheme && token(setter(&a.kind))))
}
