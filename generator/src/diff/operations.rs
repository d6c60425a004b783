//! Groups and operations: `Client` accessors, the group methods and their arguments, builder
//! setters, return types, responses, and where and how each request goes.

use super::aspect::{Aspect, Changes, Place, flag, pair, shown, transition};
use super::change::{Effect, Kind};
use super::security::{self, Schemes};
use super::surface::{
    Slot, SlotKind, flattened_fields, return_text, slots, spec_required, type_text,
};
use super::{Side, documented_values, prose};
use crate::diagnostics::Pointer;
use crate::model::QueryStyle;
use crate::model::{
    Api, BodyKind, CursorSource, FieldPath, Group, Operation, ParamLocation, Presence, Response,
    Strategy,
};

pub(super) fn compare(old: &Side<'_>, new: &Side<'_>, schemes: &Schemes<'_>, out: &mut Changes) {
    groups(old.api, new.api, out);

    let old_ops = operations(old.api);
    let new_ops = operations(new.api);
    let (old_refs, new_refs): (Vec<&OpRef<'_>>, Vec<&OpRef<'_>>) =
        (old_ops.iter().collect(), new_ops.iter().collect());
    // The Rust name first (what callers' code names), then the same HTTP operation under
    // another name, then the same operationId elsewhere.
    let (same, removed, added) = pair(&old_refs, &new_refs, |r| {
        (r.group.method.clone(), r.op.method_name.clone())
    });
    let (moved, removed, added) = pair(&removed, &added, |r| {
        (r.op.http_method.clone(), r.op.path.clone())
    });
    let (reidentified, removed, added) = pair(&removed, &added, |r| r.op.id.clone());

    let apis = (old.api, new.api);
    for (o, n) in same {
        operation(o, n, apis, schemes, out);
    }
    for (o, n) in moved.into_iter().chain(reidentified) {
        let place = Place::both(n.item(), o.pointer(), n.pointer());
        let detail = transition(&o.item(), &n.item());
        out.push(Kind::OperationRenamed, Effect::Breaking, &place, detail);
        operation(o, n, apis, schemes, out);
    }
    for o in removed {
        let place = Place::old(o.item(), o.pointer());
        out.push(Kind::OperationRemoved, Effect::Breaking, &place, o.route());
    }
    for n in added {
        let place = Place::new(n.item(), n.pointer());
        out.push(Kind::OperationAdded, Effect::Compatible, &place, n.route());
    }
}

/// An operation and the group it is in.
struct OpRef<'a> {
    group: &'a Group,
    op: &'a Operation,
}

impl OpRef<'_> {
    /// `organization_memberships().list()`.
    fn item(&self) -> String {
        format!(
            "{}().{}()",
            self.group.method.trim_start_matches("r#"),
            self.op.method_name.trim_start_matches("r#")
        )
    }

    fn pointer(&self) -> String {
        operation_pointer(self.op).to_string()
    }

    /// "`GET /users`".
    fn route(&self) -> String {
        format!("`{} {}`", self.op.http_method, self.op.path)
    }
}

fn operation_pointer(op: &Operation) -> Pointer {
    Pointer::root()
        .join("paths")
        .join(&op.path)
        .join(op.http_method.to_ascii_lowercase())
}

fn operations(api: &Api) -> Vec<OpRef<'_>> {
    api.groups
        .iter()
        .flat_map(|group| group.operations.iter().map(move |op| OpRef { group, op }))
        .collect()
}

fn groups(old: &Api, new: &Api, out: &mut Changes) {
    let old_groups: Vec<&Group> = old.groups.iter().collect();
    let new_groups: Vec<&Group> = new.groups.iter().collect();
    let (same, removed, added) = pair(&old_groups, &new_groups, |g| g.method.clone());
    let item = |g: &Group| format!("{}()", g.method.trim_start_matches("r#"));
    let pointer = |g: &Group| {
        g.operations
            .first()
            .map(|op| operation_pointer(op).join("tags").to_string())
            .unwrap_or_else(|| "#/tags".to_owned())
    };
    for (o, n) in same {
        out.compare(GROUP, o, n, &Place::both(item(n), pointer(o), pointer(n)));
    }
    for g in removed {
        let detail = format!("{} operations", g.operations.len());
        out.push(
            Kind::GroupRemoved,
            Effect::Breaking,
            &Place::old(item(g), pointer(g)),
            detail,
        );
    }
    for g in added {
        let detail = format!("{} operations", g.operations.len());
        out.push(
            Kind::GroupAdded,
            Effect::Compatible,
            &Place::new(item(g), pointer(g)),
            detail,
        );
    }
}

const GROUP: &[Aspect<Group>] = &[
    Aspect {
        kind: Kind::RustNameChanged,
        read: |g| g.type_name.clone(),
        effect: |_, _| Some(Effect::Breaking),
        prose: false,
    },
    Aspect {
        kind: Kind::DocsChanged,
        read: |g| g.tag.clone(),
        effect: |_, _| Some(Effect::Docs),
        prose: false,
    },
    Aspect {
        kind: Kind::DocsChanged,
        read: |g| format!("{:?}", g.doc),
        effect: |_, _| Some(Effect::Docs),
        prose: true,
    },
];

/// An operation with the model it is in (bodies and pagination name types).
struct OpView<'a> {
    op: &'a Operation,
    api: &'a Api,
}

impl OpView<'_> {
    fn stream(&self) -> String {
        self.op
            .pagination
            .as_ref()
            .map(|p| type_text(&p.item_ty))
            .unwrap_or_default()
    }

    /// How `stream()` pages, in wire names: the strategy, the parameters it sets and the
    /// response fields it reads (empty without `stream()`). Plain text: the report quotes it.
    fn paging(&self) -> String {
        let Some(pagination) = &self.op.pagination else {
            return String::new();
        };
        let wire = |rust: &str| {
            let name = self
                .op
                .params
                .iter()
                .find(|p| p.rust_name == rust)
                .map_or(rust, |p| p.wire_name.as_str());
            name.to_owned()
        };
        let field = |path: &FieldPath| path.wire.clone();
        let mut parts: Vec<String> = Vec::new();
        let mut part = |label: &str, value: Option<String>| {
            if let Some(value) = value {
                parts.push(format!("{label} {value}"));
            }
        };
        match &pagination.strategy {
            Strategy::Offset {
                offset,
                limit,
                total,
                step,
            } => {
                part("offset", Some(wire(offset)));
                part("page size", limit.as_deref().map(wire));
                part("total", total.as_ref().map(field));
                part("step", step.as_ref().map(field));
            }
            Strategy::PageNumber {
                page,
                size,
                first,
                total_pages,
                has_more,
            } => {
                part("page", Some(format!("{} from {first}", wire(page))));
                part("page size", size.as_deref().map(wire));
                part("pages", total_pages.as_ref().map(field));
                part("more", has_more.as_ref().map(field));
            }
            Strategy::Cursor {
                param,
                next,
                has_more,
            } => {
                let from = match next {
                    CursorSource::Field(path) => field(path),
                    CursorSource::LastItem(rust) => format!("the last item's {rust}"),
                };
                part("cursor", Some(format!("{} from {from}", wire(param))));
                part("more", has_more.as_ref().map(field));
            }
            Strategy::PageToken {
                param,
                next,
                first_page_only,
            } => {
                part(
                    "token",
                    Some(format!("{} from {}", wire(param), field(next))),
                );
                let first: Vec<String> = first_page_only.iter().map(|p| wire(p)).collect();
                part(
                    "first page only",
                    (!first.is_empty()).then(|| first.join(", ")),
                );
            }
            Strategy::NextUrl { next } => part("URL from", Some(field(next))),
            Strategy::LinkHeader => part("URL from", Some("the Link header".to_owned())),
        }
        let items = match pagination.items.wire.as_str() {
            "" => "the body",
            path => path,
        };
        format!(
            "{}: {}; items in {items}",
            pagination.strategy.name(),
            parts.join(", ")
        )
    }

    fn body_encoding(&self) -> String {
        match self.op.body.as_ref().map(|b| &b.kind) {
            None => String::new(),
            Some(BodyKind::Json) => "JSON".to_owned(),
            Some(BodyKind::Form) => "form".to_owned(),
            Some(BodyKind::Multipart) => "multipart".to_owned(),
            Some(BodyKind::Raw(media)) => media.clone(),
        }
    }

    fn body_shape(&self) -> String {
        match &self.op.body {
            None => String::new(),
            Some(body) if flattened_fields(body, self.api).is_some() => {
                "property by property".to_owned()
            }
            Some(_) => "whole".to_owned(),
        }
    }

    fn both_have_body(&self, other: &Self) -> bool {
        self.op.body.is_some() && other.op.body.is_some()
    }
}

/// The aspects of an operation (a function: views borrow the model).
fn operation_aspects<'a>() -> [Aspect<OpView<'a>>; 12] {
    [
        Aspect {
            kind: Kind::BuilderRenamed,
            read: |v| v.op.builder_name.clone(),
            effect: |_, _| Some(Effect::Breaking),
            prose: false,
        },
        Aspect {
            kind: Kind::PathChanged,
            read: |v| v.op.path.clone(),
            effect: |_, _| Some(Effect::Wire),
            prose: false,
        },
        Aspect {
            kind: Kind::HttpMethodChanged,
            read: |v| v.op.http_method.clone(),
            effect: |_, _| Some(Effect::Wire),
            prose: false,
        },
        Aspect {
            kind: Kind::ReturnTypeChanged,
            read: |v| return_text(v.op),
            effect: |_, _| Some(Effect::Breaking),
            prose: false,
        },
        Aspect {
            kind: Kind::StreamAdded,
            read: OpView::stream,
            effect: |o, n| {
                (o.stream().is_empty() && !n.stream().is_empty()).then_some(Effect::Compatible)
            },
            prose: false,
        },
        Aspect {
            kind: Kind::StreamRemoved,
            read: OpView::stream,
            effect: |o, n| {
                (!o.stream().is_empty() && n.stream().is_empty()).then_some(Effect::Breaking)
            },
            prose: false,
        },
        Aspect {
            kind: Kind::StreamChanged,
            read: OpView::stream,
            effect: |o, n| {
                (!o.stream().is_empty() && !n.stream().is_empty()).then_some(Effect::Breaking)
            },
            prose: false,
        },
        Aspect {
            kind: Kind::PagingChanged,
            read: OpView::paging,
            effect: |o, n| {
                (!o.paging().is_empty() && !n.paging().is_empty()).then_some(Effect::Wire)
            },
            prose: false,
        },
        Aspect {
            kind: Kind::BodyEncodingChanged,
            read: OpView::body_encoding,
            effect: |o, n| o.both_have_body(n).then_some(Effect::Wire),
            prose: false,
        },
        Aspect {
            kind: Kind::BodyShapeChanged,
            read: OpView::body_shape,
            effect: |o, n| o.both_have_body(n).then_some(Effect::Breaking),
            prose: false,
        },
        Aspect {
            kind: Kind::DeprecationChanged,
            read: |v| flag(v.op.deprecated),
            effect: |_, _| Some(Effect::Compatible),
            prose: false,
        },
        Aspect {
            kind: Kind::DocsChanged,
            read: |v| format!("{:?}{:?}", v.op.summary, v.op.description),
            effect: |_, _| Some(Effect::Docs),
            prose: true,
        },
    ]
}

fn operation(
    o: &OpRef<'_>,
    n: &OpRef<'_>,
    (old, new): (&Api, &Api),
    schemes: &Schemes<'_>,
    out: &mut Changes,
) {
    let place = Place::both(n.item(), o.pointer(), n.pointer());
    let (ov, nv) = (OpView { op: o.op, api: old }, OpView { op: n.op, api: new });
    out.compare(&operation_aspects(), &ov, &nv, &place);
    let security = |op: &Operation| operation_pointer(op).join("security").to_string();
    let at = Place::both(n.item(), security(o.op), security(n.op));
    security::operation(o.op, n.op, old, new, schemes, &at, out);
    builder(o, n, old, new, out);
    responses(o, n, out);
}

/// Where a slot is declared in the spec.
fn slot_pointer(op: &Operation, slot: &Slot<'_>) -> String {
    let at = operation_pointer(op);
    match slot.kind {
        SlotKind::Param(_) => at.join("parameters"),
        SlotKind::BodyField(_) | SlotKind::WholeBody(_) => at.join("requestBody"),
    }
    .to_string()
}

/// The group method's arguments and the builder's setters.
fn builder(o: &OpRef<'_>, n: &OpRef<'_>, old: &Api, new: &Api, out: &mut Changes) {
    let old_slots = slots(o.op, old);
    let new_slots = slots(n.op, new);
    let (old_refs, new_refs): (Vec<&Slot<'_>>, Vec<&Slot<'_>>) =
        (old_slots.iter().collect(), new_slots.iter().collect());
    let (same, removed, added) = pair(&old_refs, &new_refs, |s| s.name.clone());
    let (renamed, removed, added) = pair(&removed, &added, |s| (location(s), wire(s)));
    let place = |o_slot: Option<&Slot<'_>>, n_slot: Option<&Slot<'_>>| Place {
        item: format!(
            "{}.{}",
            n.item(),
            n_slot
                .or(o_slot)
                .map(|s| s.name.trim_start_matches("r#"))
                .unwrap_or_default()
        ),
        old: o_slot.map(|s| slot_pointer(o.op, s)),
        new: n_slot.map(|s| slot_pointer(n.op, s)),
    };
    for &(os, ns) in &renamed {
        let detail = transition(&os.name, &ns.name);
        out.push(
            Kind::RustNameChanged,
            Effect::Breaking,
            &place(Some(os), Some(ns)),
            detail,
        );
    }
    for &(os, ns) in same.iter().chain(&renamed) {
        out.compare(&slot_aspects(), os, ns, &place(Some(os), Some(ns)));
    }
    for s in removed {
        let (kind, what) = if s.required {
            (Kind::ArgumentRemoved, "argument")
        } else {
            (Kind::SetterRemoved, "setter")
        };
        let mut detail = format!("{what} of {}", what_slot(s));
        if null_setter(s) {
            // The builder loses its `…_null()` setter with it.
            let name = s.name.trim_start_matches("r#");
            detail.push_str(&format!(", and `{name}_null()`"));
        }
        out.push(kind, Effect::Breaking, &place(Some(s), None), detail);
    }
    for s in added {
        let detail = format!("{}, {}", what_slot(s), shown(&type_text(s.ty)));
        if s.required {
            out.push(
                Kind::ArgumentAdded,
                Effect::Breaking,
                &place(None, Some(s)),
                detail,
            );
        } else {
            out.push(
                Kind::SetterAdded,
                Effect::Compatible,
                &place(None, Some(s)),
                detail,
            );
        }
    }

    // Arguments are positional: the same ones in another order compile, or worse, swap values.
    let order = |pairs: &mut Vec<(&Slot<'_>, &Slot<'_>)>, by_new: bool, slots: &[Slot<'_>]| {
        let index = |s: &Slot<'_>| slots.iter().position(|x| std::ptr::eq(x, s)).unwrap_or(0);
        pairs.sort_by_key(|(os, ns)| index(if by_new { ns } else { os }));
        pairs
            .iter()
            .map(|(_, ns)| ns.name.clone())
            .collect::<Vec<_>>()
    };
    let mut required: Vec<(&Slot<'_>, &Slot<'_>)> = same
        .iter()
        .chain(&renamed)
        .filter(|(os, ns)| os.required && ns.required)
        .copied()
        .collect();
    let before = order(&mut required, false, &old_slots);
    let after = order(&mut required, true, &new_slots);
    if before != after {
        let place = Place::both(n.item(), o.pointer(), n.pointer());
        let detail = transition(&before.join(", "), &after.join(", "));
        out.push(Kind::ArgumentsReordered, Effect::Breaking, &place, detail);
    }
}

/// "query parameter `limit`", "body property `name`", "request body".
fn what_slot(slot: &Slot<'_>) -> String {
    match slot.kind {
        SlotKind::Param(p) => format!("{} parameter `{}`", location(slot), p.wire_name),
        SlotKind::BodyField(f) => format!("body property `{}`", f.wire_name),
        SlotKind::WholeBody(_) => "request body".to_owned(),
    }
}

fn location(slot: &Slot<'_>) -> String {
    match slot.kind {
        SlotKind::Param(p) => match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        },
        SlotKind::BodyField(_) | SlotKind::WholeBody(_) => "body",
    }
    .to_owned()
}

fn wire(slot: &Slot<'_>) -> String {
    match slot.kind {
        SlotKind::Param(p) => p.wire_name.clone(),
        SlotKind::BodyField(f) => f.wire_name.clone(),
        SlotKind::WholeBody(_) => String::new(),
    }
}

fn style(slot: &Slot<'_>) -> String {
    match slot.kind {
        SlotKind::Param(p) if p.location == ParamLocation::Query => match p.style {
            QueryStyle::DeepObject => "deepObject",
            QueryStyle::Form { explode: true } => "form, exploded",
            QueryStyle::Form { explode: false } => "form, not exploded",
            QueryStyle::SpaceDelimited => "spaceDelimited",
            QueryStyle::PipeDelimited => "pipeDelimited",
        }
        .to_owned(),
        _ => String::new(),
    }
}

/// Whether the spec requires the value on the wire (a required nullable body property is a
/// setter, yet always sent).
fn wire_required(slot: &Slot<'_>) -> bool {
    match slot.kind {
        SlotKind::Param(p) => p.required,
        SlotKind::BodyField(f) => spec_required(f),
        SlotKind::WholeBody(b) => b.required,
    }
}

fn null_setter(slot: &Slot<'_>) -> bool {
    matches!(slot.kind, SlotKind::BodyField(f) if f.presence == Presence::OptionalNullable)
}

fn slot_docs(slot: &Slot<'_>) -> (String, String) {
    match slot.kind {
        SlotKind::Param(p) => (prose(&p.docs), documented_values(&p.docs)),
        SlotKind::BodyField(f) => (prose(&f.docs), documented_values(&f.docs)),
        SlotKind::WholeBody(b) => (format!("{:?}", b.description), String::new()),
    }
}

fn deprecated(slot: &Slot<'_>) -> bool {
    match slot.kind {
        SlotKind::Param(p) => p.docs.deprecated,
        SlotKind::BodyField(f) => f.docs.deprecated,
        SlotKind::WholeBody(_) => false,
    }
}

/// The aspects of a builder slot (a function: slots borrow the model).
fn slot_aspects<'a>() -> [Aspect<Slot<'a>>; 12] {
    [
        Aspect {
            kind: Kind::BecameRequired,
            read: |s| flag(s.required),
            effect: |o, n| (!o.required && n.required).then_some(Effect::Breaking),
            prose: false,
        },
        Aspect {
            kind: Kind::BecameOptional,
            read: |s| flag(s.required),
            effect: |o, n| (o.required && !n.required).then_some(Effect::Breaking),
            prose: false,
        },
        Aspect {
            kind: Kind::TypeChanged,
            read: |s| type_text(s.ty),
            effect: |_, _| Some(Effect::Breaking),
            prose: false,
        },
        Aspect {
            kind: Kind::WireNameChanged,
            read: wire,
            effect: |_, _| Some(Effect::Wire),
            prose: false,
        },
        Aspect {
            kind: Kind::ParamLocationChanged,
            read: location,
            effect: |_, _| Some(Effect::Wire),
            prose: false,
        },
        Aspect {
            kind: Kind::ParamStyleChanged,
            read: style,
            effect: |_, _| Some(Effect::Wire),
            prose: false,
        },
        Aspect {
            kind: Kind::NullSetterAdded,
            read: |s| flag(null_setter(s)),
            effect: |o, n| (!null_setter(o) && null_setter(n)).then_some(Effect::Compatible),
            prose: false,
        },
        Aspect {
            kind: Kind::NullSetterRemoved,
            read: |s| flag(null_setter(s)),
            effect: |o, n| (null_setter(o) && !null_setter(n)).then_some(Effect::Breaking),
            prose: false,
        },
        Aspect {
            kind: Kind::PresenceChanged,
            read: |s| flag(wire_required(s)),
            // When the argument/setter changed too, that entry says it.
            effect: |o, n| match (o.required == n.required, wire_required(n)) {
                (false, _) => None,
                (true, true) => Some(Effect::Wire),
                (true, false) => Some(Effect::Compatible),
            },
            prose: false,
        },
        Aspect {
            kind: Kind::DeprecationChanged,
            read: |s| flag(deprecated(s)),
            effect: |_, _| Some(Effect::Compatible),
            prose: false,
        },
        Aspect {
            kind: Kind::DocsChanged,
            read: |s| slot_docs(s).0,
            effect: |_, _| Some(Effect::Docs),
            prose: true,
        },
        Aspect {
            kind: Kind::DocsChanged,
            read: |s| slot_docs(s).1,
            effect: |_, _| Some(Effect::Docs),
            prose: false,
        },
    ]
}

fn body_text(response: &Response) -> String {
    response.body.as_ref().map(type_text).unwrap_or_default()
}

const RESPONSE: &[Aspect<Response>] = &[
    Aspect {
        kind: Kind::ErrorResponseChanged,
        read: body_text,
        // A success body shows in what `send()` returns.
        effect: |_, n| (!n.status.is_ok()).then_some(Effect::Wire),
        prose: false,
    },
    Aspect {
        kind: Kind::DocsChanged,
        read: |r| r.description.clone(),
        effect: |_, _| Some(Effect::Docs),
        prose: true,
    },
];

fn responses(o: &OpRef<'_>, n: &OpRef<'_>, out: &mut Changes) {
    let old_responses: Vec<&Response> = o.op.responses.iter().collect();
    let new_responses: Vec<&Response> = n.op.responses.iter().collect();
    let (same, removed, added) = pair(&old_responses, &new_responses, |r| r.status);
    let pointer = |op: &Operation, r: &Response| {
        operation_pointer(op)
            .join("responses")
            .join(r.status.to_string())
            .to_string()
    };
    let item = |r: &Response| format!("{} → {}", n.item(), r.status);
    for (or, nr) in same {
        let place = Place::both(item(nr), pointer(o.op, or), pointer(n.op, nr));
        out.compare(RESPONSE, or, nr, &place);
    }
    for r in removed {
        // A documented status the new spec drops: the call now fails with
        // `UnexpectedStatus` where it used to succeed or carry a typed error body.
        let place = Place::old(item(r), pointer(o.op, r));
        out.push(
            Kind::ResponseRemoved,
            Effect::Wire,
            &place,
            response_detail(r),
        );
    }
    for r in added {
        let place = Place::new(item(r), pointer(n.op, r));
        out.push(
            Kind::ResponseAdded,
            Effect::Compatible,
            &place,
            response_detail(r),
        );
    }
}

fn response_detail(r: &Response) -> String {
    let body = body_text(r);
    let status = r.status.to_string();
    if body.is_empty() {
        format!("`{status}` without body")
    } else {
        format!("`{status}` with `{body}`")
    }
}
