//! Security: which schemes the API's operations use, and which credentials each operation
//! accepts. Collected while the path items are read (they are typed one at a time, so there is
//! no document to look them up in afterwards), decided once after the last one.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, SecurityRequirement, SecurityScheme};

use super::{Auth, AuthKind, Group, Security};
use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};

/// The schemes met so far, in order of first use.
pub(super) struct Schemes<'d> {
    doc: &'d OpenAPI,
    used: Vec<Auth>,
    /// Schemes that were reported as unsupported (once each).
    unsupported: BTreeSet<String>,
    /// Names that were reported as undefined (once each).
    undefined: BTreeSet<String>,
}

impl<'d> Schemes<'d> {
    pub(super) fn new(doc: &'d OpenAPI) -> Self {
        Self {
            doc,
            used: Vec::new(),
            unsupported: BTreeSet::new(),
            undefined: BTreeSet::new(),
        }
    }

    /// A `security` list (at `at`) as alternatives of supported scheme names. An alternative
    /// that needs a scheme the SDK cannot send is dropped, with a warning naming the scheme.
    pub(super) fn requirements(
        &mut self,
        requirements: &[SecurityRequirement],
        at: &Pointer,
        diagnostics: &mut Diagnostics,
    ) -> Security {
        let mut alternatives = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let mut names = Vec::new();
            let mut usable = true;
            for name in requirement.keys() {
                match self.scheme(name, &at.join(i), diagnostics) {
                    Some(scheme) => names.push(scheme),
                    None => usable = false,
                }
            }
            if usable && !alternatives.contains(&names) {
                alternatives.push(names);
            }
        }
        alternatives
    }

    /// The scheme `name`, recorded as used; `None` (reported) when it is undefined or cannot
    /// be sent.
    fn scheme(
        &mut self,
        name: &str,
        at: &Pointer,
        diagnostics: &mut Diagnostics,
    ) -> Option<String> {
        if self.used.iter().any(|a| a.scheme == name) {
            return Some(name.to_owned());
        }
        let scheme_at = Pointer::root()
            .join("components")
            .join("securitySchemes")
            .join(name);
        let found = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get(name))
            .and_then(|s| s.as_item());
        let Some(scheme) = found else {
            if self.undefined.insert(name.to_owned()) {
                diagnostics.push(
                    Diagnostic::error(
                        at,
                        format!("security requirement names `{name}`, which is not defined under components/securitySchemes"),
                    )
                    .with_help("define the scheme or fix the name"),
                );
            }
            return None;
        };
        let (kind, doc) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                bearer_format,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => (
                AuthKind::Bearer,
                description.clone().or_else(|| bearer_format.clone()),
            ),
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => (AuthKind::Basic, description.clone()),
            SecurityScheme::HTTP { scheme, .. } => {
                if self.unsupported.insert(name.to_owned()) {
                    diagnostics.push(
                        Diagnostic::warning(
                            &scheme_at,
                            format!("HTTP authentication scheme `{scheme}` is not supported yet; requests that need it are sent without it"),
                        )
                        .with_help("add the credential as a default header on the client builder"),
                    );
                }
                return None;
            }
            SecurityScheme::APIKey {
                location,
                name: key,
                description,
                ..
            } => {
                let kind = match location {
                    openapiv3::APIKeyLocation::Header => AuthKind::ApiKeyHeader(key.clone()),
                    openapiv3::APIKeyLocation::Query => AuthKind::ApiKeyQuery(key.clone()),
                    openapiv3::APIKeyLocation::Cookie => AuthKind::ApiKeyCookie(key.clone()),
                };
                (kind, description.clone())
            }
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                (AuthKind::OAuth2, description.clone())
            }
        };
        self.used.push(Auth {
            scheme: name.to_owned(),
            kind,
            doc,
        });
        Some(name.to_owned())
    }

    /// Decides the API's default security and leaves on each operation only a security that
    /// differs from it. `root` is the document's own `security`, if it has one; without it,
    /// operations that state none are public, and the default is the requirement most of them
    /// state (so that a spec declaring security only per operation still gets a client that
    /// sends its credential, with one definition instead of hundreds).
    pub(super) fn settle(
        self,
        root: Option<Security>,
        groups: &mut [Group],
    ) -> (Vec<Auth>, Security) {
        let operations = || groups.iter().flat_map(|g| &g.operations);
        let default = match &root {
            Some(root) => root.clone(),
            None => {
                let mut counts: BTreeMap<&Security, (usize, usize)> = BTreeMap::new();
                for (order, op) in operations().enumerate() {
                    if let Some(security) = op.security.as_ref().filter(|s| !s.is_empty()) {
                        counts.entry(security).or_insert((0, order)).0 += 1;
                    }
                }
                counts
                    .into_iter()
                    .max_by_key(|(_, (count, first))| (*count, std::cmp::Reverse(*first)))
                    .map(|(security, _)| security.clone())
                    .unwrap_or_default()
            }
        };
        let inherited = root.unwrap_or_default();
        for op in groups.iter_mut().flat_map(|g| &mut g.operations) {
            let effective = op.security.take().unwrap_or_else(|| inherited.clone());
            op.security = (effective != default).then_some(effective);
        }
        // The default's schemes first: the main credential is the first scheme listed.
        let mut schemes = self.used;
        schemes.sort_by_key(|a| {
            default
                .iter()
                .flatten()
                .position(|name| *name == a.scheme)
                .unwrap_or(usize::MAX)
        });
        (schemes, default)
    }
}
