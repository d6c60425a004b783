//! Idempotency keys: the header an operation declares for one (`Idempotency-Key`, any case),
//! or the one the config names for a whole API.

use super::names::{field_name, places};
use super::{Api, Docs, Operation, Param, ParamLocation, QueryStyle, TypeRef};

/// The header name APIs use for idempotency keys (Stripe, Adyen, PayPal, the IETF draft).
const HEADER: &str = "Idempotency-Key";

/// Marks `op` as sending an idempotency key when it declares the header as a parameter. The
/// parameter becomes optional: the SDK fills it in when the caller does not.
pub(super) fn detect(op: &mut Operation) {
    let Some(param) = op
        .params
        .iter_mut()
        .find(|p| p.location == ParamLocation::Header && p.wire_name.eq_ignore_ascii_case(HEADER))
    else {
        return;
    };
    param.required = false;
    param.docs.description = Some(match param.docs.description.take() {
        Some(text) => format!("{text}\n\n{DEFAULT_KEY}"),
        None => DEFAULT_KEY.to_owned(),
    });
    op.idempotency_key = Some(param.wire_name.clone());
}

/// What the SDK does with the key, for the setter's docs.
const DEFAULT_KEY: &str = "Unless set, the SDK sends a fresh random key (a UUID v4) and reuses it on every retry of the call, which makes the call safe to retry.";

impl Api {
    /// Sends an idempotency key in `header` on every POST and PATCH operation that does not
    /// declare one (as `[client] idempotency_header` in `sdkgen.toml` asks): those are the
    /// methods a retry could otherwise repeat. Each gains an optional `idempotency_key` setter.
    pub fn send_idempotency_keys(&mut self, header: &str) {
        for op in self.groups.iter_mut().flat_map(|g| &mut g.operations) {
            if op.idempotency_key.is_some() || !matches!(op.http_method.as_str(), "POST" | "PATCH")
            {
                continue;
            }
            if let Some(param) = op.params.iter().find(|p| {
                p.location == ParamLocation::Header && p.wire_name.eq_ignore_ascii_case(header)
            }) {
                op.idempotency_key = Some(param.wire_name.clone());
                continue;
            }
            // The builder's own members are taken too, as in `params` (a header named `Body`
            // becomes `body_value`).
            let mut scope = places::builder_members();
            for param in &op.params {
                scope.claim(param.rust_name.clone());
            }
            let rust_name = scope.claim(field_name(header));
            op.params.push(Param {
                wire_name: header.to_owned(),
                rust_name,
                location: ParamLocation::Header,
                required: false,
                ty: TypeRef::String,
                style: QueryStyle::Form { explode: false },
                docs: Docs {
                    description: Some(format!("The idempotency key of this call. {DEFAULT_KEY}")),
                    ..Docs::default()
                },
            });
            op.idempotency_key = Some(header.to_owned());
        }
    }
}
