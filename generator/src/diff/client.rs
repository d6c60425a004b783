//! The crate as a whole: `Client` (server, `Client::new`, retries), `ErrorBody` and the API's
//! title and version.

use super::Side;
use super::aspect::{Aspect, Changes, Place, pair};
use super::change::{Effect, Kind};
use super::surface::{constructor_text, find_type};
use crate::diagnostics::Pointer;
use crate::model::{Api, StatusMatch};

pub(super) fn compare(old: &Side<'_>, new: &Side<'_>, out: &mut Changes) {
    let (o, n) = (old.api, new.api);
    let at = |pointer: &str| Place::both("Client", pointer, pointer);
    out.compare(SERVER, o, n, &at("#/servers/0"));
    out.compare(AUTH, o, n, &auth_place(o, n));
    out.compare(RETRY, o, n, &at("#/x-speakeasy-retries"));
    out.compare(INFO, o, n, &Place::both("crate docs", "#/info", "#/info"));

    let old_bodies: Vec<&String> = o.error_bodies.iter().collect();
    let new_bodies: Vec<&String> = n.error_bodies.iter().collect();
    let (_, removed, added) = pair(&old_bodies, &new_bodies, |name| name.clone());
    let origin = |api: &Api, name: &str| {
        find_type(api, name)
            .map(|t| t.origin.clone())
            .unwrap_or_default()
    };
    for name in removed {
        let place = Place::old(format!("ErrorBody::{name}"), origin(o, name));
        out.push(Kind::ErrorBodyRemoved, Effect::Breaking, &place, "");
    }
    for name in added {
        // `ErrorBody` is `#[non_exhaustive]`.
        let place = Place::new(format!("ErrorBody::{name}"), origin(n, name));
        out.push(Kind::ErrorBodyAdded, Effect::Compatible, &place, "");
    }
}

fn auth_place(old: &Api, new: &Api) -> Place {
    let pointer = |api: &Api| match api.primary_auth() {
        Some(auth) => Pointer::root()
            .join("components")
            .join("securitySchemes")
            .join(&auth.scheme)
            .to_string(),
        None => "#/security".to_owned(),
    };
    Place::both("Client::new", pointer(old), pointer(new))
}

const SERVER: &[Aspect<Api>] = &[
    Aspect {
        kind: Kind::ServerChanged,
        read: |api| api.servers.first().cloned().unwrap_or_default(),
        effect: |_, _| Some(Effect::Wire),
        prose: false,
    },
    Aspect {
        kind: Kind::DocsChanged,
        read: |api| {
            api.servers
                .iter()
                .skip(1)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        },
        effect: |_, _| Some(Effect::Docs),
        prose: false,
    },
];

const AUTH: &[Aspect<Api>] = &[
    Aspect {
        kind: Kind::AuthChanged,
        read: constructor_text,
        effect: |_, _| Some(Effect::Breaking),
        prose: false,
    },
    Aspect {
        kind: Kind::DocsChanged,
        read: |api| format!("{:?}", api.primary_auth().map(|a| &a.doc)),
        effect: |_, _| Some(Effect::Docs),
        prose: true,
    },
];

const RETRY: &[Aspect<Api>] = &[Aspect {
    kind: Kind::RetryPolicyChanged,
    read: retry_text,
    effect: |_, _| Some(Effect::Compatible),
    prose: false,
}];

const INFO: &[Aspect<Api>] = &[
    Aspect {
        kind: Kind::DocsChanged,
        read: |api| format!("{} {}", api.title, api.version),
        effect: |_, _| Some(Effect::Docs),
        prose: false,
    },
    Aspect {
        kind: Kind::DocsChanged,
        read: |api| format!("{:?}", api.description),
        effect: |_, _| Some(Effect::Docs),
        prose: true,
    },
];

/// The default retry policy in one line (the emitter's fallback when the spec has none).
fn retry_text(api: &Api) -> String {
    let Some(policy) = &api.retry else {
        return "default".to_owned();
    };
    let statuses: Vec<String> = policy
        .statuses
        .iter()
        .map(|s| match s {
            StatusMatch::Exact(code) => code.to_string(),
            StatusMatch::Class(class) => format!("{class}XX"),
        })
        .collect();
    format!(
        "{}–{} ms backoff ×{} for {} ms, on {}{}",
        policy.initial_interval_ms,
        policy.max_interval_ms,
        policy.exponent,
        policy.max_elapsed_ms,
        statuses.join(", "),
        if policy.connection_errors {
            " and connection errors"
        } else {
            ""
        }
    )
}
