//! Which named types callers build themselves, and so which ones can be `#[non_exhaustive]`.
//!
//! A caller builds a value of a type when it passes one to a request: a parameter, a whole
//! request body, or a property of a body the builder takes property by property. Everything
//! else (decoded replies, the flattened bodies the builders assemble, unused schemas) is only
//! ever built inside the generated crate. The emitter marks those structs `#[non_exhaustive]`,
//! and every enum and union too (callers construct variants, which `#[non_exhaustive]` allows),
//! so that a new field or variant is a compatible change; `diff` classifies changes by the
//! same rule.

use std::collections::{BTreeMap, BTreeSet};

use super::{Api, TypeDef, TypeKind, TypeRef};

/// Who builds each named type of an [`Api`], and which types travel in which direction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    caller_built: BTreeSet<String>,
    flattened_bodies: BTreeSet<String>,
    received: BTreeSet<String>,
    /// Schemas no operation uses, and every type they contain.
    standalone: BTreeSet<String>,
}

impl Usage {
    /// Works out who builds what, from the operations' parameters, bodies and responses, and
    /// the webhooks' payloads.
    pub fn of(api: &Api) -> Self {
        let index: BTreeMap<&str, &TypeDef> =
            api.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut built: Vec<&TypeRef> = Vec::new();
        let mut received: Vec<&TypeRef> = Vec::new();
        let mut flattened_bodies = BTreeSet::new();
        for op in api.groups.iter().flat_map(|g| &g.operations) {
            built.extend(op.params.iter().map(|p| &p.ty));
            received.extend(op.responses.iter().filter_map(|r| r.body.as_ref()));
            let Some(body) = &op.body else {
                continue;
            };
            let fields = match (&body.ty, body.flattened) {
                (TypeRef::Named(name), true) => match index.get(name.as_str()).map(|d| &d.kind) {
                    Some(TypeKind::Struct { fields, .. }) => Some((name, fields)),
                    _ => None,
                },
                _ => None,
            };
            match fields {
                Some((name, fields)) => {
                    flattened_bodies.insert(name.clone());
                    built.extend(fields.iter().map(|f| &f.ty));
                }
                None => built.push(&body.ty),
            }
        }
        // Webhook payloads are decoded from the API's requests, never built by callers.
        received.extend(api.webhooks.iter().filter_map(|w| w.payload.as_ref()));
        let caller_built = reach(built, &index);
        let received = reach(received, &index);
        let unused: Vec<TypeRef> = api
            .types
            .iter()
            .map(|t| &t.name)
            .filter(|name| {
                !caller_built.contains(*name)
                    && !flattened_bodies.contains(*name)
                    && !received.contains(*name)
            })
            .map(|name| TypeRef::Named(name.clone()))
            .collect();
        Self {
            standalone: reach(unused.iter().collect(), &index),
            caller_built,
            flattened_bodies,
            received,
        }
    }

    /// Whether the named type is a schema no operation uses, or is part of one. Callers may
    /// use those either way (a value they store, forward or read from elsewhere), so they and
    /// everything they contain travel in both directions.
    pub fn standalone(&self, name: &str) -> bool {
        self.standalone.contains(name)
    }

    /// Whether callers construct values of the named type themselves.
    pub fn caller_built(&self, name: &str) -> bool {
        self.caller_built.contains(name)
    }

    /// Whether the named type is the body of an operation whose builder takes it property by
    /// property (so its properties are builder arguments and setters).
    pub fn flattened_body(&self, name: &str) -> bool {
        self.flattened_bodies.contains(name)
    }

    /// Whether values of the named type are sent in requests.
    pub fn sent(&self, name: &str) -> bool {
        self.caller_built(name) || self.flattened_body(name)
    }

    /// Whether values of the named type are decoded from replies.
    pub fn received(&self, name: &str) -> bool {
        self.received.contains(name)
    }

    /// Whether the emitted type is `#[non_exhaustive]`: enums and unions always, structs with
    /// named fields when callers never build them. Newtypes and aliases have no fields to add.
    pub fn non_exhaustive(&self, def: &TypeDef) -> bool {
        match &def.kind {
            TypeKind::Enum { .. } | TypeKind::Union { .. } => true,
            TypeKind::Struct { .. } => !self.caller_built(&def.name),
            TypeKind::Alias(_) | TypeKind::Newtype(_) => false,
        }
    }
}

/// The names of every type reachable from `roots` through fields, items, variants and aliases
/// (an inline type reaches the type that declares its shape: that is what compiles for it).
pub(super) fn reach(roots: Vec<&TypeRef>, index: &BTreeMap<&str, &TypeDef>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut refs = roots;
    let mut names: Vec<&str> = Vec::new();
    loop {
        if let Some(name) = names.pop() {
            if !seen.insert(name.to_owned()) {
                continue;
            }
            let Some(def) = index.get(name) else {
                continue;
            };
            names.extend(def.same_as.as_deref());
            match &def.kind {
                TypeKind::Struct { fields, .. } => refs.extend(fields.iter().map(|f| &f.ty)),
                TypeKind::Union { variants, .. } => refs.extend(variants.iter().map(|v| &v.ty)),
                TypeKind::Alias(inner) | TypeKind::Newtype(inner) => refs.push(inner),
                TypeKind::Enum { .. } => {}
            }
            continue;
        }
        match refs.pop() {
            Some(TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner)) => {
                refs.push(inner)
            }
            Some(TypeRef::Tuple(items)) => refs.extend(items),
            Some(TypeRef::Named(name)) => names.push(name),
            Some(_) => {}
            None => break,
        }
    }
    seen
}
