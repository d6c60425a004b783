//! `sdkgen diff`, one change kind at a time: each row edits a small spec and names the entry
//! the report must hold (kind, effect, Rust item), and the bump it implies.

use sdkgen::Config;
use sdkgen::diff::{Bump, Effect, Kind, Report};

/// The spec every row starts from: a read and a list call, a create call whose body the builder
/// takes property by property, a reply struct, a request struct and an enum.
const BASE: &str = r##"
openapi: 3.0.3
info: {title: Pets, version: "1.0.0"}
servers: [{url: "https://api.example.com/v1"}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    Pet:
      type: object
      description: A pet.
      required: [id, kind]
      properties:
        id: {type: string}
        kind: {$ref: "#/components/schemas/Kind"}
        nickname: {type: string}
    Kind: {type: string, enum: [cat, dog]}
    Problem:
      type: object
      properties:
        message: {type: string}
    Tag:
      type: object
      properties:
        label: {type: string}
security: [{bearer: []}]
paths:
  /pets/{pet_id}:
    get:
      operationId: GetPet
      tags: [pets]
      parameters:
        - {name: pet_id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
  /pets:
    get:
      operationId: ListPets
      tags: [pets]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}}}}
    post:
      operationId: CreatePet
      tags: [pets]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                note: {type: string, nullable: true}
                tag: {$ref: "#/components/schemas/Tag"}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
"##;

/// One row: the spec text `from` becomes `to`, and the report must say `kind` with `effect`
/// about an item whose name contains `item`.
struct Row {
    kind: Kind,
    effect: Effect,
    item: &'static str,
    from: &'static str,
    to: &'static str,
}

const fn row(
    kind: Kind,
    effect: Effect,
    item: &'static str,
    from: &'static str,
    to: &'static str,
) -> Row {
    Row {
        kind,
        effect,
        item,
        from,
        to,
    }
}

const GET_PET: &str = "      operationId: GetPet\n";
const GET_PET_PATH: &str = "  /pets/{pet_id}:\n    get:\n      operationId: GetPet\n      tags: [pets]\n      parameters:\n        - {name: pet_id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Pet\"}}}}\n";
const PET_FIELDS: &str = "      required: [id, kind]\n      properties:\n        id: {type: string}\n        kind: {$ref: \"#/components/schemas/Kind\"}\n        nickname: {type: string}\n";
/// A reply field that may be left out becomes one that is always there, maybe `null`: the Rust
/// type stays `Option<String>`.
const NICKNAME_REQUIRED_NULLABLE: &str = "      required: [id, kind, nickname]\n      properties:\n        id: {type: string}\n        kind: {$ref: \"#/components/schemas/Kind\"}\n        nickname: {type: string, nullable: true}\n";
const PET_PROPS: &str = "        nickname: {type: string}\n";
const LIMIT: &str = "        - {name: limit, in: query, schema: {type: integer}}\n";
const POST_200: &str = "        \"201\": {description: created, content: {application/json: {schema: {$ref: \"#/components/schemas/Pet\"}}}}\n";

fn rows() -> Vec<Row> {
    use Effect::*;
    use Kind::*;
    vec![
        row(
            ServerChanged,
            Wire,
            "Client",
            "https://api.example.com/v1",
            "https://api.example.com/v2",
        ),
        // `bearer_token` still fills it: the API has no bearer scheme left (the runtime's rule).
        row(
            SchemeChanged,
            Wire,
            "ClientBuilder::credential(\"bearer\")",
            "bearer: {type: http, scheme: bearer}",
            "bearer: {type: apiKey, in: header, name: X-Key}",
        ),
        row(
            GroupAdded,
            Compatible,
            "owners()",
            "  /pets/{pet_id}:\n",
            "  /owners:\n    get:\n      operationId: ListOwners\n      tags: [owners]\n      responses:\n        \"204\": {description: none}\n  /pets/{pet_id}:\n",
        ),
        row(
            OperationAdded,
            Compatible,
            "pets().delete()",
            "  /pets/{pet_id}:\n",
            "  /pets/{pet_id}:\n    delete:\n      operationId: DeletePet\n      tags: [pets]\n      parameters:\n        - {name: pet_id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\": {description: gone}\n",
        ),
        row(
            HttpMethodChanged,
            Wire,
            "pets().list()",
            "  /pets:\n    get:\n      operationId: ListPets\n",
            "  /pets:\n    put:\n      operationId: ListPets\n",
        ),
        row(OperationRemoved, Breaking, "pets().get()", GET_PET_PATH, ""),
        row(
            ParamStyleChanged,
            Wire,
            "pets().list().limit",
            LIMIT,
            "        - {name: limit, in: query, explode: false, schema: {type: array, items: {type: integer}}}\n",
        ),
        row(
            TypeRemoved,
            Breaking,
            "models::Problem",
            "    Problem:\n      type: object\n      properties:\n        message: {type: string}\n",
            "",
        ),
        row(
            UnknownFieldsChanged,
            Compatible,
            "models::Tag",
            "    Tag:\n      type: object\n",
            "    Tag:\n      type: object\n      additionalProperties: false\n",
        ),
        row(
            RetryPolicyChanged,
            Compatible,
            "Client",
            "security: [{bearer: []}]\n",
            "security: [{bearer: []}]\nx-speakeasy-retries:\n  strategy: backoff\n  backoff: {initialInterval: 500, maxInterval: 60000, maxElapsedTime: 3600000, exponent: 1.5}\n  statusCodes: [5XX]\n  retryConnectionErrors: true\n",
        ),
        row(
            OperationRenamed,
            Breaking,
            "pets().fetch()",
            GET_PET,
            "      operationId: FetchPet\n",
        ),
        row(
            PathChanged,
            Wire,
            "pets().get()",
            "  /pets/{pet_id}:\n",
            "  /animals/{pet_id}:\n",
        ),
        row(
            AuthRequirementChanged,
            Wire,
            "pets().get()",
            GET_PET,
            "      operationId: GetPet\n      security: []\n",
        ),
        row(
            ReturnTypeChanged,
            Breaking,
            "pets().get()",
            "\"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Pet\"}}}}",
            "\"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Tag\"}}}}",
        ),
        row(
            ResponseAdded,
            Compatible,
            "pets().create()",
            POST_200,
            "        \"201\": {description: created, content: {application/json: {schema: {$ref: \"#/components/schemas/Pet\"}}}}\n        \"409\": {description: taken, content: {application/json: {schema: {$ref: \"#/components/schemas/Problem\"}}}}\n",
        ),
        row(
            ErrorBodyAdded,
            Compatible,
            "Problem",
            POST_200,
            "        \"201\": {description: created, content: {application/json: {schema: {$ref: \"#/components/schemas/Pet\"}}}}\n        \"409\": {description: taken, content: {application/json: {schema: {$ref: \"#/components/schemas/Problem\"}}}}\n",
        ),
        row(
            BodyEncodingChanged,
            Wire,
            "pets().create()",
            "          application/json:\n            schema:\n              type: object\n              required: [name]",
            "          application/x-www-form-urlencoded:\n            schema:\n              type: object\n              required: [name]",
        ),
        row(
            ArgumentAdded,
            Breaking,
            "pets().list()",
            LIMIT,
            "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: owner, in: query, required: true, schema: {type: string}}\n",
        ),
        row(
            SetterAdded,
            Compatible,
            "pets().list().owner",
            LIMIT,
            "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: owner, in: query, schema: {type: string}}\n",
        ),
        row(SetterRemoved, Breaking, "pets().list().limit", LIMIT, ""),
        row(
            ArgumentRemoved,
            Breaking,
            "pets().create()",
            "              required: [name]\n              properties:\n                name: {type: string}\n",
            "              properties:\n",
        ),
        row(
            BecameRequired,
            Breaking,
            "pets().list()",
            LIMIT,
            "        - {name: limit, in: query, required: true, schema: {type: integer}}\n",
        ),
        row(
            BecameOptional,
            Breaking,
            "pets().create()",
            "              required: [name]\n",
            "",
        ),
        row(
            ParamLocationChanged,
            Wire,
            "pets().list().limit",
            LIMIT,
            "        - {name: limit, in: header, schema: {type: integer}}\n",
        ),
        row(
            WireNameChanged,
            Wire,
            "pets().list().limit",
            LIMIT,
            "        - {name: Limit, in: query, schema: {type: integer}}\n",
        ),
        row(
            NullSetterRemoved,
            Breaking,
            "pets().create().note",
            "note: {type: string, nullable: true}",
            "note: {type: string}",
        ),
        row(
            NullabilityChanged,
            Compatible,
            "models::Pet::nickname",
            PET_FIELDS,
            NICKNAME_REQUIRED_NULLABLE,
        ),
        row(
            TypeChanged,
            Breaking,
            "models::Pet::id",
            "        id: {type: string}\n",
            "        id: {type: integer, format: int64}\n",
        ),
        row(
            PresenceChanged,
            Compatible,
            "models::Pet::nickname",
            PET_FIELDS,
            NICKNAME_REQUIRED_NULLABLE,
        ),
        row(
            FieldAdded,
            Compatible,
            "models::Pet::age",
            PET_PROPS,
            "        nickname: {type: string}\n        age: {type: integer}\n",
        ),
        row(
            FieldAdded,
            Breaking,
            "models::Tag::color",
            "        label: {type: string}\n",
            "        label: {type: string}\n        color: {type: string}\n",
        ),
        row(
            FieldRemoved,
            Breaking,
            "models::Pet::nickname",
            PET_PROPS,
            "",
        ),
        row(
            VariantAdded,
            Compatible,
            "models::Kind",
            "enum: [cat, dog]",
            "enum: [cat, dog, bird]",
        ),
        row(
            VariantRemoved,
            Breaking,
            "models::Kind",
            "enum: [cat, dog]",
            "enum: [cat]",
        ),
        row(
            TypeAdded,
            Compatible,
            "models::Owner",
            "    Tag:\n",
            "    Owner:\n      type: object\n      properties:\n        name: {type: string}\n    Tag:\n",
        ),
        row(
            TypeKindChanged,
            Breaking,
            "models::Tag",
            "    Tag:\n      type: object\n      properties:\n        label: {type: string}\n",
            "    Tag: {type: string, enum: [red, blue]}\n",
        ),
        row(
            DeprecationChanged,
            Compatible,
            "pets().get()",
            GET_PET,
            "      operationId: GetPet\n      deprecated: true\n",
        ),
        row(
            DocsChanged,
            Docs,
            "models::Pet",
            "description: A pet.",
            "description: An animal that lives with people.",
        ),
    ]
}

/// The OpenAPI 3.1 base: webhooks told apart by a `type` property, and a tuple
/// (`prefixItems`) field.
const BASE_31: &str = r##"
openapi: 3.1.0
info: {title: Events, version: "1.0.0"}
servers: [{url: "https://api.example.com/v1"}]
components:
  schemas:
    Point:
      type: object
      required: [at]
      properties:
        at: {type: array, prefixItems: [{type: number}, {type: number}], minItems: 2, items: false}
paths:
  /points:
    get:
      operationId: ListPoints
      tags: [points]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Point"}}}}}
webhooks:
  parcel_delivered:
    post:
      summary: A parcel arrived.
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [type, id]
              properties:
                type: {const: parcel.delivered}
                id: {type: string}
      responses:
        "200": {description: ok}
  parcel_lost:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [type, id]
              properties:
                type: {const: parcel.lost}
                id: {type: string}
      responses:
        "200": {description: ok}
"##;

const LOST: &str = "  parcel_lost:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [type, id]\n              properties:\n                type: {const: parcel.lost}\n                id: {type: string}\n      responses:\n        \"200\": {description: ok}\n";

/// Rows on [`BASE_31`]: what webhooks and tuples add to the table.
fn rows_31() -> Vec<Row> {
    use Effect::*;
    use Kind::*;
    vec![
        row(
            TypeChanged,
            Breaking,
            "models::Point::at",
            "prefixItems: [{type: number}, {type: number}], minItems: 2",
            "prefixItems: [{type: number}, {type: number}, {type: string}], minItems: 3",
        ),
        row(
            TypeChanged,
            Breaking,
            "models::Point::at",
            "prefixItems: [{type: number}, {type: number}], minItems: 2, items: false",
            "items: {type: number}",
        ),
        row(
            WebhookAdded,
            Compatible,
            "webhooks::Webhook::ParcelReturned",
            "webhooks:\n",
            "webhooks:\n  parcel_returned:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [type]\n              properties:\n                type: {const: parcel.returned}\n      responses:\n        \"200\": {description: ok}\n",
        ),
        row(
            WebhookRemoved,
            Breaking,
            "webhooks::Webhook::ParcelLost",
            LOST,
            "",
        ),
        row(
            TypeChanged,
            Breaking,
            "webhooks::Webhook::ParcelLost",
            LOST,
            "  parcel_lost:\n    post:\n      requestBody:\n        content:\n          application/octet-stream:\n            schema: {type: string, contentEncoding: base64}\n      responses:\n        \"200\": {description: ok}\n",
        ),
        row(
            WebhookTagChanged,
            Wire,
            "webhooks::Webhook::ParcelLost",
            "type: {const: parcel.lost}",
            "type: {const: parcel.missing}",
        ),
        // Without a constant `type` in every payload there is no `from_body`.
        row(
            WebhookTagChanged,
            Breaking,
            "webhooks::Webhook::from_body",
            "type: {const: parcel.lost}",
            "type: {type: string}",
        ),
        row(
            RustNameChanged,
            Breaking,
            "webhooks::Webhook::ParcelLost",
            "  parcel_lost:\n    post:\n",
            "  parcel_lost:\n    put:\n      responses:\n        \"200\": {description: ok}\n    post:\n",
        ),
        row(
            DocsChanged,
            Docs,
            "webhooks::Webhook::ParcelDelivered",
            "summary: A parcel arrived.",
            "summary: A parcel reached its address.",
        ),
    ]
}

/// A spec with two schemes: a bearer token by default, an API key for one operation, a public
/// operation, and a cookie scheme that nothing uses yet (so not part of the model).
const AUTH_BASE: &str = r##"
openapi: 3.0.3
info: {title: Keys, version: "1.0.0"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
    session: {type: apiKey, in: cookie, name: sid}
security: [{bearer: []}]
paths:
  /things:
    get:
      operationId: ListThings
      tags: [things]
      responses:
        "204": {description: none}
    post:
      operationId: CreateThing
      tags: [things]
      security: [{key: []}]
      responses:
        "204": {description: none}
  /status:
    get:
      operationId: GetStatus
      tags: [things]
      security: []
      responses:
        "204": {description: none}
"##;

const CREATE_SECURITY: &str = "      security: [{key: []}]\n";
const STATUS_SECURITY: &str = "      security: []\n";

/// Rows on [`AUTH_BASE`]: every scheme, the default security and each operation's.
fn rows_auth() -> Vec<Row> {
    use Effect::*;
    use Kind::*;
    vec![
        // `Client::new(user, password)` instead of `new(token)`.
        row(
            AuthChanged,
            Breaking,
            "Client::new",
            "bearer: {type: http, scheme: bearer}",
            "bearer: {type: http, scheme: basic}",
        ),
        row(
            SchemeChanged,
            Breaking,
            "ClientBuilder::credential(\"bearer\")",
            "bearer: {type: http, scheme: bearer}",
            "bearer: {type: http, scheme: basic}",
        ),
        row(
            SchemeChanged,
            Wire,
            "ClientBuilder::credential(\"key\")",
            "name: X-Key",
            "name: X-Api-Key",
        ),
        row(
            SchemeChanged,
            Wire,
            "ClientBuilder::credential(\"key\")",
            "key: {type: apiKey, in: header, name: X-Key}",
            "key: {type: apiKey, in: query, name: X-Key}",
        ),
        // `api_key` no longer fills it, and the API still has a bearer scheme for
        // `bearer_token`, so the runtime's fallback does not apply.
        row(
            SchemeChanged,
            Breaking,
            "ClientBuilder::credential(\"key\")",
            "key: {type: apiKey, in: header, name: X-Key}",
            "key: {type: oauth2, flows: {clientCredentials: {tokenUrl: \"https://auth.example.com/token\", scopes: {}}}}",
        ),
        row(
            SchemeRemoved,
            Breaking,
            "ClientBuilder::credential(\"key\")",
            CREATE_SECURITY,
            "      security: [{bearer: []}]\n",
        ),
        // Another way in: the client that holds only the session cookie sends it, which the
        // old server does not take.
        row(
            SchemeAdded,
            Compatible,
            "ClientBuilder::credential(\"session\")",
            CREATE_SECURITY,
            "      security: [{key: []}, {session: []}]\n",
        ),
        row(
            SchemeAdded,
            Wire,
            "ClientBuilder::credential(\"session\")",
            STATUS_SECURITY,
            "      security: [{session: []}]\n",
        ),
        row(
            AuthRequirementChanged,
            Wire,
            "things().create()",
            CREATE_SECURITY,
            "      security: [{key: []}, {session: []}]\n",
        ),
        row(
            AuthRequirementChanged,
            Wire,
            "things().get_status()",
            STATUS_SECURITY,
            "      security: [{key: []}]\n",
        ),
        // `security: []` removed: the public call now needs the default credential.
        row(
            AuthRequirementChanged,
            Wire,
            "things().get_status()",
            STATUS_SECURITY,
            "",
        ),
        // Both schemes at once.
        row(
            AuthRequirementChanged,
            Wire,
            "things().create()",
            CREATE_SECURITY,
            "      security: [{key: [], bearer: []}]\n",
        ),
        row(
            DefaultSecurityChanged,
            Wire,
            "Client",
            "security: [{bearer: []}]\npaths",
            "security: [{bearer: []}, {}]\npaths",
        ),
    ]
}

fn model(text: &str, name: &str) -> sdkgen::model::Api {
    sdkgen::model_from(text.as_bytes().to_vec(), name, &Config::named("pets"))
        .unwrap_or_else(|e| panic!("{name} does not build: {e}"))
}

fn report_on(base: &str, row: &Row) -> Report {
    assert!(
        base.contains(row.from),
        "{:?}: the base spec has no {:?}",
        row.kind,
        row.from
    );
    let new = base.replacen(row.from, row.to, 1);
    sdkgen::diff::diff(&model(base, "old.yaml"), &model(&new, "new.yaml"))
}

/// Every row of both tables, with the spec it edits.
/// Three inline enums, two of one shape: `ListItemsOrder` is an alias of `ListItemsSort`.
const SHAPES_BASE: &str = r##"
openapi: 3.0.3
info: {title: Items, version: "1.0.0"}
paths:
  /items:
    get:
      operationId: ListItems
      tags: [items]
      parameters:
        - {name: order, in: query, schema: {type: string, enum: [asc, desc]}}
        - {name: sort, in: query, schema: {type: string, enum: [asc, desc]}}
        - {name: mode, in: query, schema: {type: string, enum: [on, off]}}
      responses:
        "204": {description: none}
"##;

fn rows_shapes() -> Vec<Row> {
    use Effect::*;
    use Kind::*;
    vec![
        // Its own type again: code that passed one for the other no longer compiles.
        row(
            SameTypeChanged,
            Breaking,
            "models::ListItemsOrder",
            "order, in: query, schema: {type: string, enum: [asc, desc]}",
            "order, in: query, schema: {type: string, enum: [asc, desc, up]}",
        ),
        // `ListItemsMode` takes the shape and declares it (the shortest name, then the first):
        // `Sort` joins it, and `Order` stays the type it was.
        row(
            SameTypeChanged,
            Compatible,
            "models::ListItemsSort",
            "enum: [on, off]",
            "enum: [asc, desc]",
        ),
        row(
            SameTypeChanged,
            Compatible,
            "models::ListItemsOrder",
            "enum: [on, off]",
            "enum: [asc, desc]",
        ),
        // The declaring type is gone (a breaking change of its own); no name left was a type
        // apart.
        row(
            SameTypeChanged,
            Compatible,
            "models::ListItemsOrder",
            "        - {name: sort, in: query, schema: {type: string, enum: [asc, desc]}}\n",
            "",
        ),
    ]
}

fn all_rows() -> Vec<(&'static str, Row)> {
    let rows = rows().into_iter().map(|r| (BASE, r));
    rows.chain(rows_31().into_iter().map(|r| (BASE_31, r)))
        .chain(rows_auth().into_iter().map(|r| (AUTH_BASE, r)))
        .chain(rows_shapes().into_iter().map(|r| (SHAPES_BASE, r)))
        .collect()
}

#[test]
fn every_row_reports_its_kind_with_its_effect() {
    let mut failures = Vec::new();
    for (base, row) in all_rows() {
        let report = report_on(base, &row);
        let found = report
            .changes
            .iter()
            .any(|c| c.kind == row.kind && c.effect == row.effect && c.item.contains(row.item));
        if !found {
            failures.push(format!(
                "{:?} ({:?} on {}) not found; the report has:\n{}",
                row.kind,
                row.effect,
                row.item,
                report
                    .changes
                    .iter()
                    .map(|c| format!("  {:?} {:?} {} — {}\n", c.kind, c.effect, c.item, c.detail))
                    .collect::<String>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_bump_follows_the_most_severe_entry() {
    for (base, row) in all_rows() {
        let report = report_on(base, &row);
        let expected = if report.changes.iter().any(|c| c.effect == Effect::Breaking) {
            Bump::Major
        } else if report.changes.iter().any(|c| c.effect != Effect::Docs) {
            Bump::Minor
        } else {
            Bump::Patch
        };
        assert_eq!(report.bump(), expected, "{:?}", row.kind);
        // A row's own effect bounds the bump from below.
        let floor = match row.effect {
            Effect::Breaking => Bump::Major,
            Effect::Wire | Effect::Compatible => Bump::Minor,
            Effect::Docs => Bump::Patch,
        };
        assert!(report.bump() >= floor, "{:?}", row.kind);
    }
}

#[test]
fn every_entry_points_into_the_spec_it_names() {
    for (base, row) in all_rows() {
        for change in report_on(base, &row).changes {
            for pointer in change.old.iter().chain(&change.new) {
                assert!(
                    pointer.starts_with("#/"),
                    "{:?}: {} is not a JSON pointer",
                    row.kind,
                    pointer
                );
            }
            assert!(
                change.old.is_some() || change.new.is_some(),
                "{:?}: {} points nowhere",
                row.kind,
                change.item
            );
        }
    }
}

#[test]
fn the_table_covers_at_least_25_kinds() {
    let mut kinds: Vec<Kind> = rows().iter().map(|r| r.kind).collect();
    kinds.sort();
    kinds.dedup();
    assert!(kinds.len() >= 25, "{} kinds: {kinds:?}", kinds.len());
}

#[test]
fn an_unchanged_spec_reports_nothing() {
    for base in [BASE, BASE_31, AUTH_BASE] {
        let api = model(base, "base.yaml");
        let report = sdkgen::diff::diff(&api, &api);
        assert!(report.changes.is_empty(), "{:?}", report.changes);
        assert_eq!(report.bump(), Bump::None);
    }
}

#[test]
fn a_change_and_its_reverse_are_both_reported() {
    // Removing what a row adds is also a change (and the reverse of an addition breaks).
    for (base, row) in all_rows() {
        let new = base.replacen(row.from, row.to, 1);
        let back = sdkgen::diff::diff(&model(&new, "new.yaml"), &model(base, "old.yaml"));
        assert!(
            !back.changes.is_empty(),
            "{:?} reversed reports nothing",
            row.kind
        );
    }
}

#[test]
fn a_recorded_model_reads_back_as_the_same_model() {
    for base in [BASE, BASE_31] {
        let api = model(base, "base.yaml");
        let text = sdkgen::record::to_text(&api, "base.yaml");
        assert!(sdkgen::record::is_record(text.as_bytes()));
        // Records of crates without webhooks read as before webhooks existed.
        assert_eq!(text.contains("\"webhooks\""), !api.webhooks.is_empty());
        let back = sdkgen::model_from(
            text.into_bytes(),
            "sdkgen-model.json",
            &Config::named("pets"),
        )
        .expect("a record reads back");
        assert_eq!(back, api);
        assert!(sdkgen::diff::diff(&back, &api).changes.is_empty());
    }
}

#[test]
fn regenerating_a_crate_summarizes_what_changed() {
    let dir = std::env::temp_dir().join(format!("sdkgen-diff-regen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = Config::named("pets");
    // A first generation has nothing to compare with.
    let first = sdkgen::generate(BASE.as_bytes(), "pets.yaml", &config).expect("generates");
    assert_eq!(
        sdkgen::regeneration_summary(&dir, &first.api, &config),
        None
    );
    sdkgen::output::write(&dir, &first.files).expect("writes");

    let new = BASE.replacen(PET_PROPS, "", 1);
    let second = sdkgen::generate(new.as_bytes(), "pets.yaml", &config).expect("generates");
    let summary = sdkgen::regeneration_summary(&dir, &second.api, &config).expect("a summary");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(summary.contains("major release"), "{summary}");
    assert!(summary.contains("models::Pet::nickname"), "{summary}");
    assert!(summary.ends_with('\n'), "{summary:?}");
}

/// The spec the pagination rows start from: `ListPets` pages by offset over `data` with a
/// total; `ListOwners` is a list without `stream()` (nothing moves).
const PAGED: &str = r##"
openapi: 3.0.3
info: {title: Pets, version: "1.0.0"}
servers: [{url: "https://api.example.com/v1"}]
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string}
    Owner:
      type: object
      required: [name]
      properties:
        name: {type: string}
paths:
  /pets:
    get:
      operationId: ListPets
      tags: [pets]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data]
                properties:
                  data: {type: array, items: {$ref: "#/components/schemas/Pet"}}
                  total_count: {type: integer}
  /owners:
    get:
      operationId: ListOwners
      tags: [owners]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {$ref: "#/components/schemas/Owner"}}
"##;

const PETS_OFFSET: &str = "        - {name: offset, in: query, schema: {type: integer}}\n";
const OWNERS_LIMIT: &str = "      tags: [owners]\n      parameters:\n        - {name: limit, in: query, schema: {type: integer}}\n";

/// Edits of how an operation pages: `stream()` appearing is compatible, disappearing or
/// yielding another type breaks callers, and another way of paging (strategy, moving parameter,
/// fields read) keeps the Rust API but sends other requests for later pages.
fn paging_rows() -> Vec<Row> {
    use Effect::*;
    use Kind::*;
    vec![
        row(
            StreamAdded,
            Compatible,
            "owners().list()",
            OWNERS_LIMIT,
            "      tags: [owners]\n      parameters:\n        - {name: limit, in: query, schema: {type: integer}}\n        - {name: offset, in: query, schema: {type: integer}}\n",
        ),
        row(StreamRemoved, Breaking, "pets().list()", PETS_OFFSET, ""),
        row(
            StreamChanged,
            Breaking,
            "pets().list()",
            "data: {type: array, items: {$ref: \"#/components/schemas/Pet\"}}",
            "data: {type: array, items: {$ref: \"#/components/schemas/Owner\"}}",
        ),
        // Offset paging becomes page numbers: same item type, other requests.
        row(
            PagingChanged,
            Wire,
            "pets().list()",
            PETS_OFFSET,
            "        - {name: page, in: query, schema: {type: integer}}\n",
        ),
        // Only a reply field is added (compatible), but the offset now moves by it.
        row(
            PagingChanged,
            Wire,
            "pets().list()",
            "                  total_count: {type: integer}\n",
            "                  total_count: {type: integer}\n                  limit: {type: integer}\n",
        ),
        // The moving parameter's wire name.
        row(
            PagingChanged,
            Wire,
            "pets().list()",
            PETS_OFFSET,
            "        - {name: Offset, in: query, schema: {type: integer}}\n",
        ),
    ]
}

fn paging_report(row: &Row) -> Report {
    assert!(
        PAGED.contains(row.from),
        "{:?}: the paged spec has no {:?}",
        row.kind,
        row.from
    );
    let new = PAGED.replacen(row.from, row.to, 1);
    sdkgen::diff::diff(&model(PAGED, "old.yaml"), &model(&new, "new.yaml"))
}

#[test]
fn pagination_changes_are_reported_with_their_effect() {
    let base = model(PAGED, "base.yaml");
    let streams: Vec<(&str, bool)> = base
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|op| (op.id.as_str(), op.pagination.is_some()))
        .collect();
    assert_eq!(
        streams,
        [("ListPets", true), ("ListOwners", false)],
        "the base spec pages as the rows assume"
    );
    let mut failures = Vec::new();
    for row in paging_rows() {
        let report = paging_report(&row);
        let found = report
            .changes
            .iter()
            .any(|c| c.kind == row.kind && c.effect == row.effect && c.item.contains(row.item));
        if !found {
            failures.push(format!(
                "{:?} ({:?} on {}) not found; the report has:\n{}",
                row.kind,
                row.effect,
                row.item,
                report
                    .changes
                    .iter()
                    .map(|c| format!("  {:?} {:?} {} — {}\n", c.kind, c.effect, c.item, c.detail))
                    .collect::<String>()
            ));
        }
        // The reverse edit is reported too.
        let new = PAGED.replacen(row.from, row.to, 1);
        let back = sdkgen::diff::diff(&model(&new, "new.yaml"), &model(PAGED, "old.yaml"));
        assert!(
            !back.changes.is_empty(),
            "{:?} reversed reports nothing",
            row.kind
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_paging_change_alone_is_a_minor_release_that_names_both_ways() {
    // The reply gains a field the offset now moves by: nothing breaks in Rust, the requests for
    // later pages change.
    let new = PAGED.replacen(
        "                  total_count: {type: integer}\n",
        "                  total_count: {type: integer}\n                  limit: {type: integer}\n",
        1,
    );
    let report = sdkgen::diff::diff(&model(PAGED, "old.yaml"), &model(&new, "new.yaml"));
    assert!(
        report.changes.iter().all(|c| c.effect != Effect::Breaking),
        "{:?}",
        report.changes
    );
    assert_eq!(report.bump(), Bump::Minor);
    let paging: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.kind == Kind::PagingChanged)
        .collect();
    assert_eq!(paging.len(), 1, "{:?}", report.changes);
    assert_eq!(
        paging[0].detail,
        "`offset: offset offset, page size limit, total total_count; items in data` → \
         `offset: offset offset, page size limit, total total_count, step limit; items in data`"
    );
    assert_eq!(paging[0].old.as_deref(), Some("#/paths/~1pets/get"));
}

/// The report of `base` with each `(from, to)` edit applied.
fn edited(base: &str, edits: &[(&str, &str)]) -> Report {
    let mut new = base.to_owned();
    for (from, to) in edits {
        assert!(new.contains(from), "no {from:?}");
        new = new.replace(from, to);
    }
    sdkgen::diff::diff(&model(base, "old.yaml"), &model(&new, "new.yaml"))
}

fn entries(report: &Report) -> Vec<String> {
    report
        .changes
        .iter()
        .map(|c| format!("{:?} {:?} {} — {}", c.kind, c.effect, c.item, c.detail))
        .collect()
}

#[test]
fn an_operations_security_entry_points_at_its_security() {
    let report = edited(
        AUTH_BASE,
        &[(STATUS_SECURITY, "      security: [{key: []}]\n")],
    );
    let change = report
        .changes
        .iter()
        .find(|c| c.kind == Kind::AuthRequirementChanged)
        .expect("an entry");
    assert_eq!(change.old.as_deref(), Some("#/paths/~1status/get/security"));
    assert_eq!(change.new.as_deref(), Some("#/paths/~1status/get/security"));
    assert_eq!(change.detail, "no credential → `key`");
    assert_eq!(report.changes.len(), 1, "{:#?}", entries(&report));
}

#[test]
fn a_renamed_scheme_is_one_entry_and_moves_no_operation() {
    // The key renamed everywhere: the operation that uses it still sends the same credential.
    let report = edited(AUTH_BASE, &[("key", "api_key")]);
    assert_eq!(
        entries(&report),
        [
            "SchemeRenamed Breaking ClientBuilder::credential(\"api_key\") — `key` → `api_key`; `credential(\"key\", …)` no longer builds a client"
        ],
    );
    let change = &report.changes[0];
    assert_eq!(
        change.old.as_deref(),
        Some("#/components/securitySchemes/key")
    );
    assert_eq!(
        change.new.as_deref(),
        Some("#/components/securitySchemes/api_key")
    );
}

#[test]
fn a_new_default_is_one_entry_for_the_operations_that_follow_it() {
    // Every operation that states no security moves with the default: one entry, not one per
    // operation; the one that states its own is unchanged.
    let report = edited(
        AUTH_BASE,
        &[(
            "security: [{bearer: []}]\npaths",
            "security: [{key: []}]\npaths",
        )],
    );
    let kinds: Vec<Kind> = report.changes.iter().map(|c| c.kind).collect();
    assert!(
        kinds.contains(&Kind::DefaultSecurityChanged),
        "{:#?}",
        entries(&report)
    );
    assert!(
        !kinds.contains(&Kind::AuthRequirementChanged),
        "{:#?}",
        entries(&report)
    );
}

/// `Tag` under another spec key, with the same one field.
const TAG_RENAMED: [(&str, &str); 2] = [
    ("    Tag:\n", "    Label:\n"),
    ("#/components/schemas/Tag", "#/components/schemas/Label"),
];

#[test]
fn a_schema_renamed_with_its_shape_is_one_entry() {
    // The setter of the body property that refers to it changes only by the rename: the
    // rename's entry says it.
    let report = edited(BASE, &TAG_RENAMED);
    assert_eq!(
        entries(&report),
        ["TypeRenamed Breaking models::Label — `Tag` → `Label` (same shape)"],
    );
    let change = report
        .changes
        .iter()
        .find(|c| c.kind == Kind::TypeRenamed)
        .unwrap();
    assert_eq!(change.effect, Effect::Breaking);
    assert_eq!(change.old.as_deref(), Some("#/components/schemas/Tag"));
    assert_eq!(change.new.as_deref(), Some("#/components/schemas/Label"));
}

#[test]
fn a_schema_renamed_with_a_renamed_field_type_is_paired_after_it() {
    // `Pet` refers to `Kind`: both renamed, `Pet`'s field type counts as the same, and the
    // return types that name `Pet` change only by the rename.
    let report = edited(
        BASE,
        &[
            ("    Pet:\n", "    Animal:\n"),
            (
                "#/components/schemas/Pet\"",
                "#/components/schemas/Animal\"",
            ),
            ("    Kind: {type: string", "    Species: {type: string"),
            (
                "#/components/schemas/Kind\"",
                "#/components/schemas/Species\"",
            ),
        ],
    );
    assert_eq!(
        entries(&report),
        [
            "TypeRenamed Breaking models::Species — `Kind` → `Species` (same shape)",
            "TypeRenamed Breaking models::Animal — `Pet` → `Animal` (same shape)",
        ],
    );
}

#[test]
fn a_schema_renamed_with_another_shape_is_removed_and_added() {
    let mut edits = TAG_RENAMED.to_vec();
    edits.push((
        "        label: {type: string}\n",
        "        label: {type: integer}\n",
    ));
    let report = edited(BASE, &edits);
    let kinds: Vec<(Kind, &str)> = report
        .changes
        .iter()
        .filter(|c| {
            matches!(
                c.kind,
                Kind::TypeAdded | Kind::TypeRemoved | Kind::TypeRenamed
            )
        })
        .map(|c| (c.kind, c.item.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (Kind::TypeRemoved, "models::Tag"),
            (Kind::TypeAdded, "models::Label")
        ],
        "{:#?}",
        entries(&report)
    );
}

#[test]
fn two_candidates_of_one_shape_pair_with_neither() {
    const BADGE: &str =
        "    Badge:\n      type: object\n      properties:\n        label: {type: string}\n";
    let types = |report: &Report| {
        let mut kinds: Vec<(Kind, String)> = report
            .changes
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    Kind::TypeAdded | Kind::TypeRemoved | Kind::TypeRenamed
                )
            })
            .map(|c| (c.kind, c.item.clone()))
            .collect();
        kinds.sort();
        kinds
    };
    // `Tag` is gone; `Label` and `Badge` both have its shape: no evidence which one it became.
    let label_and_badge = format!("{BADGE}    Label:\n");
    let report = edited(
        BASE,
        &[
            ("#/components/schemas/Tag", "#/components/schemas/Label"),
            ("    Tag:\n", &label_and_badge),
        ],
    );
    assert_eq!(
        types(&report),
        [
            (Kind::TypeAdded, "models::Badge".to_owned()),
            (Kind::TypeAdded, "models::Label".to_owned()),
            (Kind::TypeRemoved, "models::Tag".to_owned()),
        ],
        "{:#?}",
        entries(&report)
    );
    // And the other way round: `Tag` and `Badge` of one shape are gone, `Label` is new.
    let old = BASE.replacen("    Tag:\n", &format!("{BADGE}    Tag:\n"), 1);
    let report = edited(
        &old,
        &TAG_RENAMED
            .iter()
            .chain(&[(BADGE, "")])
            .copied()
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        types(&report),
        [
            (Kind::TypeAdded, "models::Label".to_owned()),
            (Kind::TypeRemoved, "models::Badge".to_owned()),
            (Kind::TypeRemoved, "models::Tag".to_owned()),
        ],
        "{:#?}",
        entries(&report)
    );
}
