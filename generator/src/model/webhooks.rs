//! OpenAPI 3.1 `webhooks` → [`Webhook`]s: the payload type of each request the API sends, and
//! the payload property (if any) whose constant value tells them apart.

use openapiv3::{OpenAPI, ReferenceOr};

use super::build::OperationContext;
use super::names::{Scope, type_name};
use super::schema::Types;
use super::{BodyKind, TypeKind, TypeRef, Webhook};
use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::load::PathItems;

static NO_PAGING: std::collections::BTreeMap<String, crate::config::PagingRule> =
    std::collections::BTreeMap::new();

/// Methods in the order a path item lists them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Payload properties that name an event, most likely first: the tag is picked among the
/// properties every payload has with a constant value of its own, in this order, then in the
/// order the first payload lists them.
const TAG_NAMES: &[&str] = &["type", "event", "event_type", "eventType", "kind"];

/// The webhooks in document order, and the property that tells their payloads apart.
pub(super) fn build(
    items: PathItems,
    doc: &OpenAPI,
    types: &mut Types<'_>,
    diagnostics: &mut Diagnostics,
) -> (Vec<Webhook>, Option<String>) {
    let mut webhooks = Vec::new();
    let mut variants = Scope::default();
    for item in items {
        let (name, item) = match item {
            Ok(item) => item,
            Err(invalid) => {
                diagnostics.push(invalid);
                continue;
            }
        };
        let item_at = Pointer::root().join("webhooks").join(&name);
        let ReferenceOr::Item(item) = item else {
            diagnostics.push(
                Diagnostic::error(&item_at, "this webhook's `$ref` could not be resolved")
                    .with_help("point it at an entry of components/pathItems"),
            );
            continue;
        };
        let operations: Vec<(&str, &openapiv3::Operation)> = METHODS
            .into_iter()
            .zip([
                &item.get,
                &item.put,
                &item.post,
                &item.delete,
                &item.options,
                &item.head,
                &item.patch,
                &item.trace,
            ])
            .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
            .collect();
        for &(method, op) in &operations {
            let pointer = item_at.join(method);
            // Named after the webhook, with the method only when it has several.
            let base = if operations.len() > 1 {
                format!("{name} {method}")
            } else {
                name.clone()
            };
            let variant = variants.claim(type_name(&base).trim_start_matches("r#").to_owned());
            let context = OperationContext {
                doc,
                path: &name,
                method,
                path_params: &item.parameters,
                pointer: &pointer,
                // Webhooks are requests the API sends: nothing to page through.
                paging: &NO_PAGING,
            };
            let body = context.body(op, &format!("{variant}Webhook"), types, diagnostics);
            let body_doc = body.as_ref().and_then(|b| b.description.clone());
            let (payload, json) = match body {
                Some(body) => {
                    let json = body.kind == BodyKind::Json;
                    (Some(if json { body.ty } else { TypeRef::Bytes }), json)
                }
                None => (None, false),
            };
            webhooks.push(Webhook {
                name: name.clone(),
                variant,
                http_method: method.to_ascii_uppercase(),
                summary: op.summary.clone().or_else(|| item.summary.clone()),
                description: op
                    .description
                    .clone()
                    .or_else(|| item.description.clone())
                    .or(body_doc),
                payload,
                json,
                tag: None,
            });
        }
    }
    let tag = tag_property(&mut webhooks, types);
    (webhooks, tag)
}

/// The constant-valued properties of a JSON payload, `(wire name, value)` in field order.
fn constants(payload: Option<&TypeRef>, types: &Types<'_>) -> Vec<(String, String)> {
    let Some(TypeRef::Named(name)) = payload else {
        return Vec::new();
    };
    let Some(TypeKind::Struct { fields, .. }) = types.defs.get(name).map(|d| &d.kind) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter_map(|field| {
            let TypeRef::Named(ty) = &field.ty else {
                return None;
            };
            match types.defs.get(ty).map(|d| &d.kind) {
                Some(TypeKind::Enum { variants }) if variants.len() == 1 => {
                    Some((field.wire_name.clone(), variants[0].wire_name.clone()))
                }
                _ => None,
            }
        })
        .collect()
}

/// Picks the property whose constant value differs in every webhook's payload, and records
/// each webhook's value.
fn tag_property(webhooks: &mut [Webhook], types: &Types<'_>) -> Option<String> {
    if webhooks.is_empty() || webhooks.iter().any(|w| !w.json) {
        return None;
    }
    let tables: Vec<Vec<(String, String)>> = webhooks
        .iter()
        .map(|w| constants(w.payload.as_ref(), types))
        .collect();
    let mut candidates: Vec<&String> = tables[0].iter().map(|(name, _)| name).collect();
    candidates.sort_by_key(|name| {
        TAG_NAMES
            .iter()
            .position(|t| t == name)
            .unwrap_or(TAG_NAMES.len())
    });
    let value_of = |table: &[(String, String)], name: &str| {
        table
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let chosen = candidates.into_iter().find(|name| {
        let values: Option<Vec<String>> =
            tables.iter().map(|table| value_of(table, name)).collect();
        values.is_some_and(|values| {
            let mut sorted = values.clone();
            sorted.sort();
            sorted.dedup();
            sorted.len() == values.len()
        })
    })?;
    let chosen = chosen.clone();
    for (webhook, table) in webhooks.iter_mut().zip(&tables) {
        webhook.tag = value_of(table, &chosen);
    }
    Some(chosen)
}
