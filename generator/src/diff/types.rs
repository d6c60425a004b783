//! Named types: structs and their fields, string enums and their values, unions, aliases and
//! newtypes. The bodies that builders take property by property are compared as builder
//! arguments and setters instead (see `operations`).

use std::collections::BTreeMap;

use super::aspect::{Aspect, Changes, Place, flag, pair, pair_unique, shown, transition};
use super::change::{Effect, Kind};
use super::surface::{field_text, spec_required, type_text};
use super::{Side, documented_values, prose};
use crate::model::{Field, Presence, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};

/// Compares the named types; returns the renamed ones (old Rust name → new), whose entry
/// stands for every use of the type.
pub(super) fn compare(
    old: &Side<'_>,
    new: &Side<'_>,
    out: &mut Changes,
) -> BTreeMap<String, String> {
    let old_types: Vec<&TypeDef> = visible(old);
    let new_types: Vec<&TypeDef> = visible(new);
    let (same, removed, added) = pair(&old_types, &new_types, |t| t.name.clone());
    // A schema whose Rust name changed (its operation or property was renamed, say).
    let (renamed, removed, added) = pair(&removed, &added, |t| t.origin.clone());
    // A schema renamed in the spec: the one removed and the one added type of a shape.
    let (reshaped, removed, added) = same_shape(same.iter().chain(&renamed), removed, added);
    for (o, n) in same {
        type_def(o, n, old, new, out);
    }
    let renames = renamed
        .into_iter()
        .map(|p| (p, ""))
        .chain(reshaped.into_iter().map(|p| (p, " (same shape)")));
    let mut names = BTreeMap::new();
    for ((o, n), note) in renames {
        names.insert(
            o.name.trim_start_matches("r#").to_owned(),
            n.name.trim_start_matches("r#").to_owned(),
        );
        let place = Place::both(item(n), &o.origin, &n.origin);
        let detail = format!("{}{note}", transition(&o.name, &n.name));
        out.push(Kind::TypeRenamed, Effect::Breaking, &place, detail);
        type_def(o, n, old, new, out);
    }
    for t in removed {
        let place = Place::old(item(t), &t.origin);
        out.push(Kind::TypeRemoved, Effect::Breaking, &place, kind_text(t));
    }
    for t in added {
        let place = Place::new(item(t), &t.origin);
        out.push(Kind::TypeAdded, Effect::Compatible, &place, kind_text(t));
    }
    names
}

/// Pairs the leftover types that have one shape on each side: struct fields (wire names,
/// types, presence), enum values, or union members, where a reference to a type already paired
/// counts as one to its partner. Repeated while it finds pairs, since a pair can make the
/// fields of types that refer to it equal. Aliases, newtypes and empty types have no shape to
/// tell them apart and stay unpaired.
#[allow(clippy::type_complexity)]
fn same_shape<'a, 'p>(
    paired: impl Iterator<Item = &'p (&'a TypeDef, &'a TypeDef)>,
    mut removed: Vec<&'a TypeDef>,
    mut added: Vec<&'a TypeDef>,
) -> (
    Vec<(&'a TypeDef, &'a TypeDef)>,
    Vec<&'a TypeDef>,
    Vec<&'a TypeDef>,
)
where
    'a: 'p,
{
    let mut names: BTreeMap<&'a str, &'a str> = paired
        .map(|(o, n)| (o.name.as_str(), n.name.as_str()))
        .collect();
    let mut found: Vec<(&'a TypeDef, &'a TypeDef)> = Vec::new();
    let none = BTreeMap::new();
    loop {
        let (pairs, r, a) =
            pair_unique(&removed, &added, |t| shape(t, &names), |t| shape(t, &none));
        (removed, added) = (r, a);
        if pairs.is_empty() {
            // In name order, as the other types are reported.
            found.sort_by(|(a, _), (b, _)| a.name.cmp(&b.name));
            return (found, removed, added);
        }
        names.extend(
            pairs
                .iter()
                .map(|(o, n)| (o.name.as_str(), n.name.as_str())),
        );
        found.extend(pairs);
    }
}

/// What a type holds, with the named types it refers to renamed by `names`.
fn shape(def: &TypeDef, names: &BTreeMap<&str, &str>) -> Option<String> {
    let ty =
        |ty: &TypeRef| type_text(&ty.renamed(&|name| names.get(name).map(|n| (*n).to_owned())));
    let (mut parts, tag): (Vec<String>, _) = match &def.kind {
        TypeKind::Struct { fields, .. } => (
            fields
                .iter()
                .map(|f| format!("{}: {} {:?}", f.wire_name, ty(&f.ty), f.presence))
                .collect(),
            None,
        ),
        TypeKind::Enum { variants } => {
            (variants.iter().map(|v| v.wire_name.clone()).collect(), None)
        }
        TypeKind::Union {
            variants,
            discriminator,
        } => (
            variants
                .iter()
                .map(|v| format!("{:?} {}", v.tag, ty(&v.ty)))
                .collect(),
            discriminator.as_ref(),
        ),
        TypeKind::Alias(_) | TypeKind::Newtype(_) => return None,
    };
    if parts.is_empty() {
        return None;
    }
    parts.sort();
    Some(format!("{} {tag:?} {}", kind_text(def), parts.join(", ")))
}

/// The types compared here: all but the flattened request bodies.
fn visible<'a>(side: &Side<'a>) -> Vec<&'a TypeDef> {
    side.api
        .types
        .iter()
        .filter(|t| !side.usage.flattened_body(&t.name))
        .collect()
}

fn item(def: &TypeDef) -> String {
    format!("models::{}", def.name.trim_start_matches("r#"))
}

fn kind_text(def: &TypeDef) -> String {
    match &def.kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Union { .. } => "union enum",
        TypeKind::Alias(_) => "type alias",
        TypeKind::Newtype(_) => "newtype struct",
    }
    .to_owned()
}

/// A named type with what its side knows about it.
struct TypeView<'a> {
    def: &'a TypeDef,
    non_exhaustive: bool,
    sent: bool,
}

impl<'a> TypeView<'a> {
    fn new(def: &'a TypeDef, side: &Side<'_>) -> Self {
        Self {
            def,
            non_exhaustive: side.usage.non_exhaustive(def),
            sent: side.usage.sent(&def.name),
        }
    }

    fn target(&self) -> String {
        match &self.def.kind {
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => type_text(ty),
            _ => String::new(),
        }
    }

    /// Single-value enums implement `Default`.
    fn has_default(&self) -> bool {
        matches!(&self.def.kind, TypeKind::Enum { variants } if variants.len() == 1)
    }

    fn discriminator(&self) -> String {
        match &self.def.kind {
            TypeKind::Union {
                discriminator: Some(d),
                ..
            } => d.clone(),
            TypeKind::Union { .. } => "untagged".to_owned(),
            _ => String::new(),
        }
    }

    fn deny_unknown_fields(&self) -> bool {
        matches!(
            &self.def.kind,
            TypeKind::Struct {
                deny_unknown_fields: true,
                ..
            }
        )
    }
}

/// The aspects of a named type once its kind is known to be the same on both sides.
fn type_aspects<'a>() -> [Aspect<TypeView<'a>>; 8] {
    [
        Aspect {
            kind: Kind::TypeChanged,
            read: TypeView::target,
            effect: |_, _| Some(Effect::Breaking),
            prose: false,
        },
        Aspect {
            kind: Kind::NonExhaustiveChanged,
            read: |v| flag(v.non_exhaustive),
            // Callers who built it can no longer; the other way round they gain the right.
            effect: |_, n| {
                Some(if n.non_exhaustive {
                    Effect::Breaking
                } else {
                    Effect::Compatible
                })
            },
            prose: false,
        },
        Aspect {
            kind: Kind::UnknownFieldsChanged,
            read: |v| flag(v.deny_unknown_fields()),
            // Only types that are never decoded from replies reject unknown fields.
            effect: |_, _| Some(Effect::Compatible),
            prose: false,
        },
        Aspect {
            kind: Kind::EnumDefaultChanged,
            read: |v| flag(v.has_default()),
            effect: |_, n| {
                Some(if n.has_default() {
                    Effect::Compatible
                } else {
                    Effect::Breaking
                })
            },
            prose: false,
        },
        Aspect {
            kind: Kind::DiscriminatorChanged,
            read: TypeView::discriminator,
            effect: |_, _| Some(Effect::Wire),
            prose: false,
        },
        Aspect {
            kind: Kind::DeprecationChanged,
            read: |v| flag(v.def.docs.deprecated),
            effect: |_, _| Some(Effect::Compatible),
            prose: false,
        },
        Aspect {
            kind: Kind::DocsChanged,
            read: |v| prose(&v.def.docs),
            effect: |_, _| Some(Effect::Docs),
            prose: true,
        },
        Aspect {
            kind: Kind::DocsChanged,
            read: |v| documented_values(&v.def.docs),
            effect: |_, _| Some(Effect::Docs),
            prose: false,
        },
    ]
}

fn type_def(o: &TypeDef, n: &TypeDef, old: &Side<'_>, new: &Side<'_>, out: &mut Changes) {
    let place = Place::both(item(n), &o.origin, &n.origin);
    if kind_text(o) != kind_text(n) {
        let detail = transition(&kind_text(o), &kind_text(n));
        out.push(Kind::TypeKindChanged, Effect::Breaking, &place, detail);
        return;
    }
    if o.same_as != n.same_as {
        let detail = transition(
            o.same_as.as_deref().unwrap_or_default(),
            n.same_as.as_deref().unwrap_or_default(),
        );
        out.push(
            Kind::SameTypeChanged,
            same_type_effect(o, n, old, new),
            &place,
            detail,
        );
    }
    let (ov, nv) = (TypeView::new(o, old), TypeView::new(n, new));
    out.compare(&type_aspects(), &ov, &nv, &place);
    match (&o.kind, &n.kind) {
        (TypeKind::Struct { fields: of, .. }, TypeKind::Struct { fields: nf, .. }) => {
            fields(&ov, &nv, of, nf, out)
        }
        (TypeKind::Enum { variants: ov_ }, TypeKind::Enum { variants: nv_ }) => {
            enum_values(o, n, ov_, nv_, out)
        }
        (
            TypeKind::Union { variants: ou, .. },
            TypeKind::Union {
                variants: nu,
                discriminator,
            },
        ) => union_variants(o, n, ou, nu, discriminator.is_none(), out),
        _ => {}
    }
}

/// A type that shares its shape with others is one type with them (see [`TypeDef::same_as`]):
/// code may pass a value of one name where another is taken. That breaks once any of the old
/// names still there is a type apart from it; joining a shape, or the same types declared under
/// another of their names, breaks nothing.
fn same_type_effect(o: &TypeDef, n: &TypeDef, old: &Side<'_>, new: &Side<'_>) -> Effect {
    let declared = |def: &TypeDef| def.same_as.clone().unwrap_or_else(|| def.name.clone());
    let declared_in = |side: &Side<'_>, name: &str| side.api.type_def(name).map(declared);
    let was = declared(o);
    let now = declared(n);
    let split = old
        .api
        .types
        .iter()
        .filter(|t| declared(t) == was)
        .filter_map(|t| declared_in(new, &t.name))
        .any(|d| d != now);
    if split {
        Effect::Breaking
    } else {
        Effect::Compatible
    }
}

/// A field with what its struct is on its side.
struct FieldView<'a> {
    field: &'a Field,
    sent: bool,
}

impl FieldView<'_> {
    fn text(&self) -> String {
        field_text(self.field)
    }
}

/// Whether the Rust type already reports a change.
fn retyped(o: &FieldView<'_>, n: &FieldView<'_>) -> bool {
    o.text() != n.text()
}

fn field_aspects<'a>() -> [Aspect<FieldView<'a>>; 7] {
    [
        Aspect {
            kind: Kind::TypeChanged,
            read: FieldView::text,
            effect: |_, _| Some(Effect::Breaking),
            prose: false,
        },
        Aspect {
            kind: Kind::WireNameChanged,
            read: |v| v.field.wire_name.clone(),
            effect: |_, _| Some(Effect::Wire),
            prose: false,
        },
        Aspect {
            kind: Kind::PresenceChanged,
            read: |v| flag(spec_required(v.field)),
            // Sent: a server that now requires it rejects clients that leave it out. Received:
            // with the Rust type unchanged the field was an `Option` already.
            effect: |o, n| match (retyped(o, n), n.sent && spec_required(n.field)) {
                (true, _) => None,
                (false, true) => Some(Effect::Wire),
                (false, false) => Some(Effect::Compatible),
            },
            prose: false,
        },
        Aspect {
            kind: Kind::NullabilityChanged,
            read: |v| flag(v.field.presence.nullable()),
            // Sent: a server that no longer accepts `null` rejects clients that send it.
            // Received: an `Option` already decodes `null`.
            effect: |o, n| match (retyped(o, n), n.sent && !n.field.presence.nullable()) {
                (true, _) => None,
                (false, true) => Some(Effect::Wire),
                (false, false) => Some(Effect::Compatible),
            },
            prose: false,
        },
        Aspect {
            kind: Kind::SelfFillingChanged,
            read: |v| flag(v.field.presence == Presence::Constant),
            effect: |o, n| (!retyped(o, n)).then_some(Effect::Compatible),
            prose: false,
        },
        Aspect {
            kind: Kind::DeprecationChanged,
            read: |v| flag(v.field.docs.deprecated),
            effect: |_, _| Some(Effect::Compatible),
            prose: false,
        },
        Aspect {
            kind: Kind::DocsChanged,
            read: |v| {
                format!(
                    "{}{}",
                    prose(&v.field.docs),
                    documented_values(&v.field.docs)
                )
            },
            effect: |_, _| Some(Effect::Docs),
            prose: true,
        },
    ]
}

fn fields(
    ov: &TypeView<'_>,
    nv: &TypeView<'_>,
    old_fields: &[Field],
    new_fields: &[Field],
    out: &mut Changes,
) {
    let old_refs: Vec<&Field> = old_fields.iter().collect();
    let new_refs: Vec<&Field> = new_fields.iter().collect();
    let (same, removed, added) = pair(&old_refs, &new_refs, |f| f.rust_name.clone());
    let (renamed, removed, added) = pair(&removed, &added, |f| f.wire_name.clone());
    let place = |o: Option<&Field>, n: Option<&Field>| Place {
        item: format!(
            "{}::{}",
            item(nv.def),
            n.or(o)
                .map(|f| f.rust_name.trim_start_matches("r#"))
                .unwrap_or_default()
        ),
        old: o.map(|_| ov.def.origin.clone()),
        new: n.map(|_| nv.def.origin.clone()),
    };
    for &(o, n) in &renamed {
        let detail = transition(&o.rust_name, &n.rust_name);
        out.push(
            Kind::RustNameChanged,
            Effect::Breaking,
            &place(Some(o), Some(n)),
            detail,
        );
    }
    for &(o, n) in same.iter().chain(&renamed) {
        let (of, nf) = (
            FieldView {
                field: o,
                sent: ov.sent,
            },
            FieldView {
                field: n,
                sent: nv.sent,
            },
        );
        out.compare(&field_aspects(), &of, &nf, &place(Some(o), Some(n)));
    }
    for f in removed {
        let detail = format!("`{}`: {}", f.wire_name, shown(&field_text(f)));
        out.push(
            Kind::FieldRemoved,
            Effect::Breaking,
            &place(Some(f), None),
            detail,
        );
    }
    for f in added {
        // Callers cannot build a `#[non_exhaustive]` struct, so a new field breaks nobody;
        // in a struct callers build, every literal of it stops compiling.
        let effect = if nv.non_exhaustive {
            Effect::Compatible
        } else {
            Effect::Breaking
        };
        let required = if spec_required(f) { ", required" } else { "" };
        let detail = format!("`{}`: {}{required}", f.wire_name, shown(&field_text(f)));
        out.push(Kind::FieldAdded, effect, &place(None, Some(f)), detail);
    }
}

const ENUM_VALUE: &[Aspect<Variant>] = &[Aspect {
    kind: Kind::WireNameChanged,
    read: |v| v.wire_name.clone(),
    effect: |_, _| Some(Effect::Wire),
    prose: false,
}];

fn enum_values(o: &TypeDef, n: &TypeDef, old: &[Variant], new: &[Variant], out: &mut Changes) {
    let old_refs: Vec<&Variant> = old.iter().collect();
    let new_refs: Vec<&Variant> = new.iter().collect();
    let (same, removed, added) = pair(&old_refs, &new_refs, |v| v.rust_name.clone());
    let (renamed, removed, added) = pair(&removed, &added, |v| v.wire_name.clone());
    let place = |ov: Option<&Variant>, nv: Option<&Variant>| Place {
        item: format!(
            "{}::{}",
            item(n),
            nv.or(ov).map(|v| v.rust_name.as_str()).unwrap_or_default()
        ),
        old: ov.map(|_| o.origin.clone()),
        new: nv.map(|_| n.origin.clone()),
    };
    for &(ov, nv) in &renamed {
        let detail = transition(&ov.rust_name, &nv.rust_name);
        out.push(
            Kind::RustNameChanged,
            Effect::Breaking,
            &place(Some(ov), Some(nv)),
            detail,
        );
    }
    for (ov, nv) in same {
        out.compare(ENUM_VALUE, ov, nv, &place(Some(ov), Some(nv)));
    }
    for v in removed {
        let detail = format!("`{}`", v.wire_name);
        out.push(
            Kind::VariantRemoved,
            Effect::Breaking,
            &place(Some(v), None),
            detail,
        );
    }
    for v in added {
        // Enums are `#[non_exhaustive]` and open (`Unknown`): old clients decode the value too.
        let detail = format!("`{}`", v.wire_name);
        out.push(
            Kind::VariantAdded,
            Effect::Compatible,
            &place(None, Some(v)),
            detail,
        );
    }
}

fn variant_text(v: &UnionVariant) -> String {
    let ty = type_text(&v.ty);
    if v.boxed { format!("Box<{ty}>") } else { ty }
}

const UNION_VARIANT: &[Aspect<UnionVariant>] = &[
    Aspect {
        kind: Kind::TypeChanged,
        read: variant_text,
        effect: |_, _| Some(Effect::Breaking),
        prose: false,
    },
    Aspect {
        kind: Kind::VariantTagChanged,
        read: |v| v.tag.clone().unwrap_or_default(),
        effect: |_, _| Some(Effect::Wire),
        prose: false,
    },
];

fn union_variants(
    o: &TypeDef,
    n: &TypeDef,
    old: &[UnionVariant],
    new: &[UnionVariant],
    untagged: bool,
    out: &mut Changes,
) {
    let old_refs: Vec<&UnionVariant> = old.iter().collect();
    let new_refs: Vec<&UnionVariant> = new.iter().collect();
    let (same, removed, added) = pair(&old_refs, &new_refs, |v| v.rust_name.clone());
    let place = |ov: Option<&UnionVariant>, nv: Option<&UnionVariant>| Place {
        item: format!(
            "{}::{}",
            item(n),
            nv.or(ov).map(|v| v.rust_name.as_str()).unwrap_or_default()
        ),
        old: ov.map(|_| o.origin.clone()),
        new: nv.map(|_| n.origin.clone()),
    };
    for &(ov, nv) in &same {
        out.compare(UNION_VARIANT, ov, nv, &place(Some(ov), Some(nv)));
    }
    // Untagged unions try their variants in order: the first that decodes wins.
    if untagged {
        let before: Vec<&str> = same.iter().map(|(ov, _)| ov.rust_name.as_str()).collect();
        let mut after_pairs = same.clone();
        after_pairs.sort_by_key(|(_, nv)| new.iter().position(|x| std::ptr::eq(x, *nv)));
        let after: Vec<&str> = after_pairs
            .iter()
            .map(|(ov, _)| ov.rust_name.as_str())
            .collect();
        if before != after {
            let detail = transition(&before.join(", "), &after.join(", "));
            let place = Place::both(item(n), &o.origin, &n.origin);
            out.push(Kind::VariantOrderChanged, Effect::Wire, &place, detail);
        }
    }
    for v in removed {
        let detail = shown(&variant_text(v));
        out.push(
            Kind::VariantRemoved,
            Effect::Breaking,
            &place(Some(v), None),
            detail,
        );
    }
    for v in added {
        let detail = shown(&variant_text(v));
        out.push(
            Kind::VariantAdded,
            Effect::Compatible,
            &place(None, Some(v)),
            detail,
        );
    }
}
