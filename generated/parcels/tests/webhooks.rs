//! The generated `webhooks` module decodes the requests the API sends, by webhook name or by
//! the `type` property every payload carries.

use parcels::models::{DelayedEventReason, DeliveredEventType};
use parcels::webhooks::{Webhook, WebhookError};

const DELIVERED: &str = r#"{
    "type": "parcel.delivered",
    "parcel_id": "PX12345678",
    "delivered_at": "2026-05-12T10:00:00Z",
    "signed_by": null,
    "courier_note": "a field this SDK does not know"
}"#;

const DELAYED: &str = r#"{"type": "parcel.delayed", "parcel_id": "PX1", "new_eta": "2026-05-13T09:00:00Z", "reason": "snow"}"#;

#[test]
fn names_are_the_spec_keys() {
    assert_eq!(Webhook::NAMES, ["parcel.delivered", "parcel.delayed"]);
}

#[test]
fn parse_by_name() {
    let Webhook::ParcelDelivered(event) =
        Webhook::parse("parcel.delivered", DELIVERED.as_bytes()).unwrap()
    else {
        panic!("wrong variant");
    };
    assert_eq!(event.r#type, DeliveredEventType::ParcelDelivered);
    assert_eq!(event.parcel_id, "PX12345678");
    assert_eq!(event.signed_by, None);

    let delayed = Webhook::parse("parcel.delayed", DELAYED.as_bytes()).unwrap();
    assert_eq!(delayed.name(), "parcel.delayed");
    let Webhook::ParcelDelayed(event) = delayed else {
        panic!("wrong variant");
    };
    // Enums stay open: a reason this SDK does not know is kept, not an error.
    assert_eq!(
        event.reason,
        Some(DelayedEventReason::Unknown("snow".into()))
    );
}

#[test]
fn from_body_reads_the_type_property() {
    let delivered = Webhook::from_body(DELIVERED.as_bytes()).unwrap();
    assert!(matches!(delivered, Webhook::ParcelDelivered(_)));
    assert_eq!(delivered.name(), "parcel.delivered");
    let delayed = Webhook::from_body(DELAYED.as_bytes()).unwrap();
    assert!(matches!(delayed, Webhook::ParcelDelayed(_)));
}

#[test]
fn unknown_webhooks_are_errors_not_panics() {
    assert_eq!(
        Webhook::parse("parcel.lost", b"{}"),
        Err(WebhookError::Unknown("parcel.lost".into()))
    );
    assert_eq!(
        Webhook::from_body(br#"{"type": "parcel.lost"}"#),
        Err(WebhookError::Unknown("parcel.lost".into()))
    );
}

#[test]
fn a_body_that_does_not_match_says_where() {
    let err = Webhook::parse(
        "parcel.delivered",
        br#"{"type": "parcel.delivered", "parcel_id": 7, "delivered_at": "x"}"#,
    )
    .unwrap_err();
    let WebhookError::Decode { path, message } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(path, "parcel_id");
    assert!(message.contains("expected a string"), "{message}");
    assert!(
        err.to_string()
            .starts_with("the webhook body does not match its schema at `parcel_id`")
    );

    for body in [&b"not json"[..], b"", b"{\"type\": 1}", b"[]"] {
        assert!(Webhook::from_body(body).is_err(), "{body:?}");
        assert!(Webhook::parse("parcel.delayed", body).is_err(), "{body:?}");
    }
}
