//! Webhooks (OpenAPI 3.1): the variants of `webhooks::Webhook`, their payload types, the names
//! `Webhook::parse` takes and the property `Webhook::from_body` reads.

use super::aspect::{Aspect, Changes, Place, pair, shown, transition};
use super::change::{Effect, Kind};
use super::prose;
use super::surface::type_text;
use crate::diagnostics::Pointer;
use crate::model::{Api, Docs, Webhook};

pub(super) fn compare(old: &Api, new: &Api, out: &mut Changes) {
    let (old_hooks, new_hooks): (Vec<&Webhook>, Vec<&Webhook>) =
        (old.webhooks.iter().collect(), new.webhooks.iter().collect());
    // The variant first (what callers' `match`es name), then the same request under another
    // variant name.
    let (same, removed, added) = pair(&old_hooks, &new_hooks, |w| w.variant.clone());
    let (renamed, removed, added) = pair(&removed, &added, |w| {
        (w.name.clone(), w.http_method.clone())
    });
    for (o, n) in same {
        out.compare(WEBHOOK, o, n, &place(o, n));
    }
    for (o, n) in renamed {
        let detail = transition(&o.variant, &n.variant);
        out.push(
            Kind::RustNameChanged,
            Effect::Breaking,
            &place(o, n),
            detail,
        );
        out.compare(WEBHOOK, o, n, &place(o, n));
    }
    for o in removed {
        let place = Place::old(item(o), pointer(o));
        out.push(Kind::WebhookRemoved, Effect::Breaking, &place, route(o));
    }
    for n in added {
        // `Webhook` is `#[non_exhaustive]`, and a first webhook only adds a module.
        let place = Place::new(item(n), pointer(n));
        out.push(Kind::WebhookAdded, Effect::Compatible, &place, route(n));
    }
    tag(old, new, out);
}

/// `Webhook::from_body` exists only when the payloads have a tag property.
fn tag(old: &Api, new: &Api, out: &mut Changes) {
    if old.webhook_tag == new.webhook_tag {
        return;
    }
    let text = |api: &Api| api.webhook_tag.clone().unwrap_or_default();
    let effect = match (&old.webhook_tag, &new.webhook_tag) {
        (Some(_), None) => Effect::Breaking,
        (None, Some(_)) => Effect::Compatible,
        // The same function reads another property of the body.
        _ => Effect::Wire,
    };
    let at = |api: &Api| {
        api.webhooks
            .first()
            .map(pointer)
            .unwrap_or_else(|| "#/webhooks".to_owned())
    };
    let place = Place::both("webhooks::Webhook::from_body", at(old), at(new));
    let detail = transition(&text(old), &text(new));
    out.push(Kind::WebhookTagChanged, effect, &place, detail);
}

/// `webhooks::Webhook::BatchCancelled`.
fn item(w: &Webhook) -> String {
    format!("webhooks::Webhook::{}", w.variant.trim_start_matches("r#"))
}

fn pointer(w: &Webhook) -> String {
    Pointer::root()
        .join("webhooks")
        .join(&w.name)
        .join(w.http_method.to_ascii_lowercase())
        .to_string()
}

fn place(o: &Webhook, n: &Webhook) -> Place {
    Place::both(item(n), pointer(o), pointer(n))
}

/// "`batch_cancelled` (POST)".
fn route(w: &Webhook) -> String {
    format!("{} ({})", shown(&w.name), w.http_method)
}

/// The variant's payload as the crate spells it; empty for a unit variant.
fn payload_text(w: &Webhook) -> String {
    w.payload.as_ref().map(type_text).unwrap_or_default()
}

const WEBHOOK: &[Aspect<Webhook>] = &[
    Aspect {
        kind: Kind::TypeChanged,
        read: payload_text,
        effect: |_, _| Some(Effect::Breaking),
        prose: false,
    },
    Aspect {
        // `Webhook::parse` takes the name; callers pass what the API sends.
        kind: Kind::WireNameChanged,
        read: |w| w.name.clone(),
        effect: |_, _| Some(Effect::Wire),
        prose: false,
    },
    Aspect {
        // What `Webhook::from_body` matches the tag property against.
        kind: Kind::WebhookTagChanged,
        read: |w| w.tag.clone().unwrap_or_default(),
        effect: |_, _| Some(Effect::Wire),
        prose: false,
    },
    Aspect {
        // Only the variant's docs name the method; decoding does not look at it.
        kind: Kind::HttpMethodChanged,
        read: |w| w.http_method.clone(),
        effect: |_, _| Some(Effect::Docs),
        prose: false,
    },
    Aspect {
        kind: Kind::DocsChanged,
        read: |w| {
            prose(&Docs {
                summary: w.summary.clone(),
                description: w.description.clone(),
                ..Docs::default()
            })
        },
        effect: |_, _| Some(Effect::Docs),
        prose: true,
    },
];
