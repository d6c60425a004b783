//! The model a generated crate records (`sdkgen-model.json`), so that the next generation can
//! say what it changes without the old spec, which is usually gone by then.
//!
//! The record is the [`Api`] the crate was emitted from, as JSON: one operation or type per
//! line, so a regeneration shows up as a line diff too. It carries the spec's prose only when
//! the crate's rustdoc does (`[docs] spec_prose`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::{Api, Auth, RetryPolicy, Security, Webhook};

/// The record's file name, at the crate root.
pub const FILE: &str = "sdkgen-model.json";

/// Marks a JSON file as a record (the first key of the text).
const MARKER_KEY: &str = "@generated";

/// Bumped when the model changes in a way old records cannot be read as.
const FORMAT: u32 = 2;

/// The top of a record: everything but the groups and types, which follow one per line.
#[derive(Serialize)]
struct Head<'a> {
    title: &'a String,
    version: &'a String,
    description: &'a Option<String>,
    servers: &'a Vec<String>,
    security_schemes: &'a Vec<Auth>,
    security: &'a Security,
    retry: &'a Option<RetryPolicy>,
    error_bodies: &'a Vec<String>,
    // Only 3.1 documents have webhooks; without them the record reads as before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    webhooks: &'a Vec<Webhook>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_tag: &'a Option<String>,
}

/// A whole record, as it is read back.
#[derive(Deserialize)]
struct Record {
    format: u32,
    api: Api,
}

/// The record's text for `api`, generated from `spec_name`.
pub fn to_text(api: &Api, spec_name: &str) -> String {
    let marker = format!(
        "by sdkgen from {spec_name}: the model this crate was generated from. The next generation compares its model with this one to report what changed (`sdkgen diff`). Do not edit it by hand."
    );
    let head = Head {
        title: &api.title,
        version: &api.version,
        description: &api.description,
        servers: &api.servers,
        security_schemes: &api.security_schemes,
        security: &api.security,
        retry: &api.retry,
        error_bodies: &api.error_bodies,
        webhooks: &api.webhooks,
        webhook_tag: &api.webhook_tag,
    };
    let mut out = format!(
        "{{{}: {},\n\"format\": {FORMAT},\n\"api\": {},\n\"groups\": [\n",
        json(&MARKER_KEY),
        json(&marker),
        open_object(&json(&head))
    );
    for (i, group) in api.groups.iter().enumerate() {
        // The group's own fields on one line, then its operations one per line.
        let mut value = serde_json::to_value(group).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.remove("operations");
        }
        out.push_str(&open_object(&json(&value)));
        out.push_str(",\"operations\": [\n");
        for (j, op) in group.operations.iter().enumerate() {
            out.push_str(&json(op));
            out.push_str(if j + 1 < group.operations.len() {
                ",\n"
            } else {
                "\n"
            });
        }
        out.push_str(if i + 1 < api.groups.len() {
            "]},\n"
        } else {
            "]}\n"
        });
    }
    out.push_str("],\n\"types\": [\n");
    for (i, def) in api.types.iter().enumerate() {
        out.push_str(&json(def));
        out.push_str(if i + 1 < api.types.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}}\n");
    out
}

/// Compact JSON of plain model data (string keys only, so it cannot fail).
fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// `{"a":1}` → `{"a":1`, to append more keys.
fn open_object(text: &str) -> String {
    text.strip_suffix('}').unwrap_or(text).to_owned()
}

/// Reads a record's text back into the model.
pub fn from_text(text: &str) -> Result<Api, String> {
    let record: Record = serde_json::from_str(text).map_err(|e| {
        format!("not a model recorded by this version of sdkgen ({e}); regenerate the crate to write a new one")
    })?;
    if record.format != FORMAT {
        return Err(format!(
            "recorded in format {}, this sdkgen reads format {FORMAT}",
            record.format
        ));
    }
    Ok(record.api)
}

/// Whether `text` looks like a record (rather than a spec).
pub fn is_record(text: &[u8]) -> bool {
    let start = text.iter().position(|b| !b.is_ascii_whitespace());
    let marker = format!("{{\"{MARKER_KEY}\"");
    start.is_some_and(|i| text[i..].starts_with(marker.as_bytes()))
}

/// The model recorded in the crate folder `dir`: `None` without a record (a first
/// generation, or a crate from before records), else the model or why it cannot be read.
pub fn read(dir: &Path) -> Option<Result<Api, String>> {
    let path = dir.join(FILE);
    let text = std::fs::read_to_string(&path).ok()?;
    Some(from_text(&text).map_err(|e| format!("{}: {e}", path.display())))
}
