//! The OpenAPI 3.1 example crate over real HTTP (wiremock on 127.0.0.1): what 3.1 constructs
//! become on the wire, byte for byte.

use parcels::models::{
    self, NewParcelReference, ParcelObject, ParcelReference, ParcelSize, Status,
};
use parcels::{Client, Error, ErrorBody};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .bearer_token("tok_123")
        .base_url(server.uri())
        .no_retries()
        .build()
        .unwrap()
}

fn parcel() -> serde_json::Value {
    json!({
        "id": "PX12345678",
        "object": "parcel",
        "status": "in_transit",
        "location": [52.52, 13.405],
        "dimensions": {"weight_grams": 1200, "size": "small"},
        "eta": null,
        "reference": 42,
        "history": [{"place": "Berlin", "scanned_at": "2026-05-12T08:00:00Z"}]
    })
}

#[tokio::test]
async fn tuples_nulls_consts_and_type_lists_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/parcels/PX12345678"))
        .and(header("authorization", "Bearer tok_123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(parcel()))
        .mount(&server)
        .await;
    let parcel = client(&server)
        .await
        .parcels()
        .get("PX12345678")
        .send()
        .await
        .unwrap();
    assert_eq!(parcel.object, ParcelObject::Parcel);
    assert_eq!(parcel.status, Status::InTransit);
    // `prefixItems` of fixed length: a tuple.
    assert_eq!(parcel.location, (52.52, 13.405));
    // `type: [string, "null"]`, required: `null` is `None`.
    assert_eq!(parcel.eta, None);
    // `type: [string, integer]`: one variant per type.
    assert_eq!(parcel.reference, Some(ParcelReference::Integer(42)));
    // A `$ref` into `$defs`.
    assert_eq!(parcel.dimensions.size, Some(ParcelSize::Small));
    // `allOf` of a `$ref` and a member that only adds `required`.
    assert_eq!(
        parcel.history.unwrap()[0].scanned_at,
        "2026-05-12T08:00:00Z"
    );
}

#[tokio::test]
async fn a_short_tuple_is_a_decode_error_not_a_panic() {
    let server = MockServer::start().await;
    let mut body = parcel();
    body["location"] = json!([52.52]);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let err = client(&server)
        .await
        .parcels()
        .get("PX1")
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = err else {
        panic!("{err:?}");
    };
    assert_eq!(decode.path(), "location");
}

#[tokio::test]
async fn operations_from_path_items_and_a_filled_in_const() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/parcels"))
        .and(query_param("status", "delayed"))
        .and(query_param("limit", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "parcels": [parcel()],
            "next_cursor": null
        })))
        .mount(&server)
        .await;
    // The body's `object` is a `const`: the caller never sets it, the builder sends it.
    Mock::given(method("POST"))
        .and(path("/parcels"))
        .and(body_json(json!({"object": "parcel", "recipient": "Ada", "insured_value": null, "reference": "order-7"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(parcel()))
        .mount(&server)
        .await;
    let client = client(&server).await;
    let page = client
        .parcels()
        .list()
        .status(Status::Delayed)
        .limit(10)
        .send()
        .await
        .unwrap();
    assert_eq!(page.parcels.len(), 1);
    assert_eq!(page.next_cursor, None);

    let created = client
        .parcels()
        .create(models::NewParcel {
            object: Default::default(),
            recipient: "Ada".into(),
            // Optional and nullable, sent: absent, `null` and a value are three things.
            insured_value: Some(None),
            reference: Some(NewParcelReference::String("order-7".into())),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.id, "PX12345678");
}

#[tokio::test]
async fn new_takes_the_required_fields_and_fills_in_constants() {
    let server = MockServer::start().await;
    // `object` (a `const`) filled in, unset optional fields left out, set ones sent.
    Mock::given(method("POST"))
        .and(path("/parcels"))
        .and(body_json(
            json!({"object": "parcel", "recipient": "Grace", "reference": "order-8"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(parcel()))
        .expect(1)
        .mount(&server)
        .await;
    let parcel = models::NewParcel {
        reference: Some(NewParcelReference::String("order-8".into())),
        ..models::NewParcel::new("Grace")
    };
    let created = client(&server)
        .await
        .parcels()
        .create(parcel)
        .send()
        .await
        .unwrap();
    assert_eq!(created.id, "PX12345678");
}

#[tokio::test]
async fn null_is_sent_when_asked_for() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/parcels/PX1"))
        .and(body_json(
            json!({"note": null, "dimensions": {"weight_grams": 900}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(parcel()))
        .mount(&server)
        .await;
    let dimensions = models::ParcelDimensions::new(900);
    client(&server)
        .await
        .parcels()
        .update("PX1")
        .note_null()
        .dimensions(dimensions)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn errors_from_a_shared_file_and_binary_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/parcels/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("content-type", "application/problem+json")
                .set_body_json(json!({"title": "Not found", "detail": null})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/parcels/PX1/label"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/pdf")
                .set_body_bytes(b"%PDF-1.7 ...".to_vec()),
        )
        .mount(&server)
        .await;
    let client = client(&server).await;
    let err = client.parcels().get("missing").send().await.unwrap_err();
    let Error::Api(api) = err else {
        panic!("{err:?}");
    };
    // `Problem` comes from parcels-common.yaml, referenced by a relative `$ref`.
    let Some(ErrorBody::Problem(problem)) = api.body() else {
        panic!("{:?}", api.body());
    };
    assert_eq!(problem.title, "Not found");
    assert_eq!(problem.detail, None);

    let label = client.parcels().get_label("PX1").send().await.unwrap();
    assert_eq!(&label[..], b"%PDF-1.7 ...");
}
