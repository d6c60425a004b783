//! Authentication beyond `Client::new`: every security scheme (which `ClientBuilder` setter
//! fills it, where its credential goes), the API's default security, and which credentials
//! each operation sends.

use std::collections::{BTreeMap, BTreeSet};

use super::aspect::{Changes, Place, pair, pair_unique, transition};
use super::change::{Effect, Kind};
use crate::diagnostics::Pointer;
use crate::model::{Api, Auth, AuthKind, Operation, Security};

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
        let effect = if still_fills(&o.kind, &n.kind, new) {
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
        let detail = format!(
            "{}; `{}` no longer sets it",
            where_text(&o.kind),
            setter(&o.kind)
        );
        out.push(Kind::SchemeRemoved, Effect::Breaking, &at, detail);
    }
    // Operations that were there before: a new one needing the scheme breaks no one.
    let routes: BTreeSet<(&str, &str)> = operations(old)
        .map(|op| (op.http_method.as_str(), op.path.as_str()))
        .collect();
    for &n in &schemes.added {
        let needed: Vec<&Operation> = operations(new)
            .filter(|op| routes.contains(&(op.http_method.as_str(), op.path.as_str())))
            .filter(|op| requires(effective(op, new), &n.scheme))
            .collect();
        let mut detail = where_text(&n.kind);
        let effect = match needed.as_slice() {
            [] => Effect::Compatible,
            [first, rest @ ..] => {
                detail.push_str(&format!(
                    "; required by `{} {}`",
                    first.http_method, first.path
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
        // Operations that state their own security are compared one by one.
        let inheriting = operations(new).filter(|op| op.security.is_none()).count();
        let detail = format!(
            "{before} → {after}, for the {inheriting} operations that state none of their own"
        );
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

fn operations(api: &Api) -> impl Iterator<Item = &Operation> {
    api.groups.iter().flat_map(|g| &g.operations)
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

/// Whether the setter that filled a scheme of kind `old` still fills it as `new`: the same
/// setter, or (the runtime's rule) a token given to `bearer_token`/`api_key` for an API
/// without schemes of that kind goes to the other kind of token.
fn still_fills(old: &AuthKind, new: &AuthKind, api: &Api) -> bool {
    let (was, is) = (setter(old), setter(new));
    was == is
        || (was != "basic_auth"
            && is != "basic_auth"
            && !api.security_schemes.iter().any(|a| setter(&a.kind) == was))
}
