//! Model facts that decide what goes on the wire: which credentials each operation sends,
//! `Accept`, query and form styles, idempotency keys, and the retry policy's warnings.

use sdkgen::model::{Api, AuthKind, Operation, QueryStyle};

fn build(rest: &str) -> (Api, Vec<String>) {
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: Example API, version: '1'}}\nservers: [{{url: 'https://api.example.com'}}]\n{rest}"
    );
    let document = sdkgen::load::load(spec.as_bytes(), "spec.yaml").expect("loads");
    match sdkgen::model::build(document, &Default::default()) {
        Ok((api, warnings)) => (api, warnings.0.iter().map(ToString::to_string).collect()),
        Err(errors) => panic!("does not build:\n{errors}"),
    }
}

fn op<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.groups
        .iter()
        .flat_map(|g| &g.operations)
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

const SCHEMES: &str = r#"
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://auth.example.com/token', scopes: {}}}
    digest: {type: http, scheme: digest}
"#;

fn get(id: &str, security: &str) -> String {
    format!(
        "    get:\n      operationId: {id}\n{security}      responses: {{'204': {{description: ok}}}}\n"
    )
}

/// Issue 18, defect 1: security stated only on operations used to be lost (the client sent no
/// credential). It is collected while path items are read.
#[test]
fn security_stated_only_on_operations_is_kept() {
    let (api, warnings) = build(&format!(
        "paths:\n  /a:\n{}  /b:\n{}  /c:\n{}{SCHEMES}",
        get("GetA", "      security: [{bearer: []}]\n"),
        get("GetB", "      security: [{bearer: []}]\n"),
        get("GetC", ""),
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<&str> = api
        .security_schemes
        .iter()
        .map(|a| a.scheme.as_str())
        .collect();
    assert_eq!(names, ["bearer"]);
    // The requirement most operations state becomes the default; the rest differ from it.
    assert_eq!(api.security, [["bearer"]]);
    assert_eq!(op(&api, "GetA").security, None);
    assert_eq!(op(&api, "GetB").security, None);
    assert_eq!(
        op(&api, "GetC").security,
        Some(vec![]),
        "no security: public"
    );
    assert_eq!(api.primary_auth().map(|a| &a.kind), Some(&AuthKind::Bearer));
}

#[test]
fn alternatives_and_combinations_are_kept_in_order() {
    let (api, warnings) = build(&format!(
        "security: [{{key: []}}]\npaths:\n  /a:\n{}  /b:\n{}  /c:\n{}  /d:\n{}  /e:\n{}{SCHEMES}",
        get("Either", "      security: [{bearer: []}, {key: []}]\n"),
        get("Both", "      security: [{bearer: [], key: []}]\n"),
        get("Inherits", ""),
        get("Public", "      security: []\n"),
        get("Optional", "      security: [{}, {oauth: [read]}]\n"),
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(api.security, [["key"]]);
    let names: Vec<&str> = api
        .security_schemes
        .iter()
        .map(|a| a.scheme.as_str())
        .collect();
    assert_eq!(
        names,
        ["key", "bearer", "oauth"],
        "the default's schemes first"
    );
    let security = |id| op(&api, id).security.clone();
    assert_eq!(
        security("Either"),
        Some(vec![vec!["bearer".to_owned()], vec!["key".to_owned()]])
    );
    assert_eq!(
        security("Both"),
        Some(vec![vec!["bearer".to_owned(), "key".to_owned()]])
    );
    assert_eq!(security("Inherits"), None);
    assert_eq!(security("Public"), Some(vec![]));
    assert_eq!(
        security("Optional"),
        Some(vec![vec![], vec!["oauth".to_owned()]])
    );
    assert_eq!(api.primary_auth().map(|a| a.scheme.as_str()), Some("key"));
}

#[test]
fn oauth_only_apis_authenticate_with_a_token() {
    let (api, _) = build(&format!(
        "paths:\n  /a:\n{}{SCHEMES}",
        get("GetA", "      security: [{oauth: [read]}]\n")
    ));
    assert_eq!(api.primary_auth().map(|a| &a.kind), Some(&AuthKind::OAuth2));
    assert_eq!(api.security, [["oauth"]]);
}

#[test]
fn unsupported_and_undefined_schemes_are_reported() {
    let (api, warnings) = build(&format!(
        "paths:\n  /a:\n{}{SCHEMES}",
        get("GetA", "      security: [{digest: []}, {bearer: []}]\n")
    ));
    assert_eq!(
        api.security,
        [["bearer"]],
        "the digest alternative is dropped"
    );
    assert_eq!(
        warnings,
        [
            "warning: #/components/securitySchemes/digest: HTTP authentication scheme `digest` is not supported yet; requests that need it are sent without it\n  help: add the credential as a default header on the client builder"
        ]
    );
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n{}{SCHEMES}",
        get("GetA", "      security: [{nope: []}]\n")
    );
    let errors = sdkgen::generate(spec.as_bytes(), "spec.yaml", &sdkgen::Config::named("t"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        errors,
        "error: #/paths/~1a/get/security/0: security requirement names `nope`, which is not defined under components/securitySchemes\n  help: define the scheme or fix the name"
    );
}

#[test]
fn accept_lists_what_each_operation_decodes() {
    let (api, _) = build(
        r#"
paths:
  /json:
    get:
      operationId: Json
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}, application/xml: {}}}
        '404': {description: no, content: {application/problem+json: {schema: {type: object}}}}
        default: {description: other, content: {'application/json; charset=utf-8': {schema: {type: object}}}}
  /pdf:
    get:
      operationId: Pdf
      responses:
        '200': {description: ok, content: {application/pdf: {}, 'Image/PNG': {}}}
        4XX: {description: no, content: {application/json: {schema: {type: object}}}}
  /none:
    delete:
      operationId: Nothing
      responses: {'204': {description: gone}}
"#,
    );
    assert_eq!(
        op(&api, "Json").accept(),
        ["application/json", "application/problem+json"]
    );
    assert_eq!(
        op(&api, "Pdf").accept(),
        ["application/pdf", "image/png", "application/json"]
    );
    assert!(op(&api, "Nothing").accept().is_empty());
}

#[test]
fn query_styles_and_form_encodings() {
    let (api, warnings) = build(
        r#"
paths:
  /search:
    post:
      operationId: Search
      parameters:
        - {name: a, in: query, schema: {type: array, items: {type: string}}}
        - {name: b, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: c, in: query, style: spaceDelimited, schema: {type: array, items: {type: string}}}
        - {name: d, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        - {name: e, in: query, style: pipeDelimited, explode: true, schema: {type: array, items: {type: string}}}
        - {name: f, in: query, style: deepObject, schema: {type: object}}
        - {name: g, in: header, schema: {type: array, items: {type: string}}}
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                tags: {type: array, items: {type: string}}
                ids: {type: array, items: {type: integer}}
                meta: {type: object}
                blob: {type: object}
            encoding:
              tags: {style: form, explode: false}
              ids: {style: pipeDelimited}
              meta: {style: deepObject, explode: true}
              blob: {contentType: application/json}
      responses: {'204': {description: ok}}
"#,
    );
    assert_eq!(
        warnings,
        [
            "warning: #/paths/~1search/post/requestBody/content/application~1x-www-form-urlencoded/encoding/blob/contentType: form property `blob` with content type `application/json` is not supported yet; it is sent form-encoded\n  help: remove `contentType`, or send the value pre-encoded as a string"
        ]
    );
    let search = op(&api, "Search");
    let styles: Vec<QueryStyle> = search.params.iter().map(|p| p.style).collect();
    assert_eq!(
        styles,
        [
            QueryStyle::Form { explode: true },
            QueryStyle::Form { explode: false },
            QueryStyle::SpaceDelimited,
            QueryStyle::PipeDelimited,
            QueryStyle::Form { explode: true },
            QueryStyle::DeepObject,
            QueryStyle::Form { explode: false },
        ]
    );
    let encoding = &search.body.as_ref().unwrap().encoding;
    assert_eq!(
        encoding,
        &[
            ("tags".to_owned(), QueryStyle::Form { explode: false }),
            ("ids".to_owned(), QueryStyle::PipeDelimited),
            ("meta".to_owned(), QueryStyle::DeepObject),
            ("blob".to_owned(), QueryStyle::Form { explode: true }),
        ]
    );
}

/// OpenAPI defines `form`, `spaceDelimited` and `pipeDelimited` for arrays of primitive values
/// only: an array of objects (or of arrays) there is sent as JSON text per item, and said so
/// at the parameter.
#[test]
fn query_arrays_of_objects_are_named_with_how_they_are_sent() {
    let (_, warnings) = build(
        r#"
paths:
  /search:
    get:
      operationId: Search
      parameters:
        - {name: filters, in: query, schema: {type: array, items: {$ref: '#/components/schemas/Filter'}}}
        - $ref: '#/components/parameters/Pairs'
        - {name: maps, in: query, style: pipeDelimited, schema: {type: array, items: {type: object, additionalProperties: {type: string}}}}
        - {name: deep, in: query, style: deepObject, schema: {type: array, items: {$ref: '#/components/schemas/Filter'}}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: head, in: header, schema: {type: array, items: {$ref: '#/components/schemas/Filter'}}}
      responses: {'204': {description: ok}}
components:
  parameters:
    Pairs: {name: pairs, in: query, explode: false, schema: {type: array, items: {type: array, items: {type: integer}}}}
  schemas:
    Filter: {type: object, properties: {key: {type: string}}}
"#,
    );
    assert_eq!(
        warnings,
        [
            "warning: #/paths/~1search/get/parameters/0: query parameter `filters` is an array of objects, which OpenAPI does not define for `form` style; the SDK sends each item as its JSON text, in a pair of its own (`filters={\"…\":…}&filters=…`)\n  help: check what the server reads; `style: deepObject` sends `filters[0][key]=value` instead, and items typed as strings are sent as given",
            "warning: #/paths/~1search/get/parameters/1: query parameter `pairs` is an array of arrays, which OpenAPI does not define for `form` style; the SDK sends each item as its JSON text, the items joined by `,` in one pair (`pairs={…},{…}`)\n  help: check what the server reads; `style: deepObject` sends `pairs[0][key]=value` instead, and items typed as strings are sent as given",
            "warning: #/paths/~1search/get/parameters/2: query parameter `maps` is an array of objects, which OpenAPI does not define for `pipeDelimited` style; the SDK sends each item as its JSON text, the items joined by `|` in one pair (`maps={…}|{…}`)\n  help: check what the server reads; `style: deepObject` sends `maps[0][key]=value` instead, and items typed as strings are sent as given",
        ]
    );
}

#[test]
fn idempotency_keys_from_the_spec_or_the_config() {
    let spec = r#"
paths:
  /charges:
    post:
      operationId: CreateCharge
      parameters: [{name: idempotency-key, in: header, required: true, schema: {type: string}}]
      responses: {'201': {description: ok}}
  /refunds:
    post:
      operationId: CreateRefund
      parameters: [{name: idempotency_key, in: query, schema: {type: string}}]
      responses: {'201': {description: ok}}
    get:
      operationId: ListRefunds
      responses: {'200': {description: ok}}
"#;
    let (mut api, _) = build(spec);
    let charge = op(&api, "CreateCharge");
    assert_eq!(charge.idempotency_key.as_deref(), Some("idempotency-key"));
    assert!(!charge.params[0].required, "the SDK fills it in");
    assert_eq!(op(&api, "CreateRefund").idempotency_key, None);

    api.send_idempotency_keys("Idempotency-Key");
    let refund = op(&api, "CreateRefund");
    assert_eq!(refund.idempotency_key.as_deref(), Some("Idempotency-Key"));
    let param = refund.params.last().unwrap();
    // The query parameter already took the name; the header gets the next one.
    assert_eq!(
        (
            param.wire_name.as_str(),
            param.rust_name.as_str(),
            param.required
        ),
        ("Idempotency-Key", "idempotency_key2", false)
    );
    assert_eq!(
        op(&api, "ListRefunds").idempotency_key,
        None,
        "GET is idempotent"
    );
    assert_eq!(
        op(&api, "CreateCharge").idempotency_key.as_deref(),
        Some("idempotency-key"),
        "a declared header is kept"
    );
    // A configured header named like a builder method gets another Rust name, as a spec's
    // parameter of that name would (`options_value`, not `options2`).
    let (mut api, _) = build(spec);
    api.send_idempotency_keys("Options");
    let param = op(&api, "CreateRefund").params.last().unwrap();
    assert_eq!(
        (param.wire_name.as_str(), param.rust_name.as_str()),
        ("Options", "options_value")
    );

    let config = sdkgen::Config::parse(
        "[package]\nname = \"x\"\n[client]\nidempotency_header = \"Idem Key\"\n",
    )
    .unwrap();
    let full = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{spec}");
    let errors = sdkgen::generate(full.as_bytes(), "spec.yaml", &config)
        .unwrap_err()
        .to_string();
    assert!(
        errors.contains("\"Idem Key\" is not a valid HTTP header name"),
        "{errors}"
    );
}

/// Issue 18, defect 2: the retry extension's warnings used to be discarded.
#[test]
fn retry_extension_warnings_are_reported() {
    let (api, warnings) = build(
        "x-speakeasy-retries:\n  strategy: backoff\n  statusCodes: ['5XX', abc, 429]\npaths: {}\n",
    );
    assert_eq!(
        warnings,
        ["warning: #/x-speakeasy-retries: ignoring status code `abc`"]
    );
    assert_eq!(api.retry.unwrap().statuses.len(), 2);
}

/// A union whose members are all strings (OpenAI's `anyOf: [string, {enum: [gpt-4o, …]}]`,
/// the "known values, or any other" idiom) is one open string enum. As an untagged enum of its
/// members it could never decode a later member: `String` (or a generated enum, which keeps
/// unknown values) takes every string first, and the names came out as `String2`.
#[test]
fn unions_of_strings_are_one_open_enum() {
    use sdkgen::model::{Presence, TypeKind, TypeRef};
    let (api, _) = build(
        r#"paths: {}
components:
  schemas:
    Model: {type: string, enum: [small, large]}
    Size: {type: string, enum: [s, m]}
    OpenModel:
      anyOf: [{type: string}, {$ref: '#/components/schemas/Model'}]
    Holder:
      type: object
      required: [one_value]
      properties:
        known_or_any: {anyOf: [{type: string}, {type: string, enum: [a, b]}]}
        any_first_or_known: {oneOf: [{type: string, enum: [a]}, {type: string}]}
        one_value: {anyOf: [{type: string}, {type: string, enum: [only]}]}
        model: {anyOf: [{type: string}, {$ref: '#/components/schemas/Model'}]}
        two_enums: {oneOf: [{$ref: '#/components/schemas/Model'}, {$ref: '#/components/schemas/Size'}]}
        nested: {anyOf: [{$ref: '#/components/schemas/OpenModel'}, {type: string, enum: [tiny, small]}]}
        nullable: {nullable: true, anyOf: [{type: string}, {type: string, enum: [x]}]}
        formats: {anyOf: [{type: string, format: date-time}, {type: string, format: date}]}
        mixed: {anyOf: [{type: string}, {type: integer}]}
"#,
    );
    let def = |name: &str| {
        api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type {name}"))
    };
    let values = |ty: &TypeRef| -> Vec<String> {
        let TypeRef::Named(name) = ty else {
            panic!("{ty:?} is not a named type");
        };
        match &def(name).kind {
            TypeKind::Enum { variants } => variants.iter().map(|v| v.wire_name.clone()).collect(),
            other => panic!("{name} is not an enum: {other:?}"),
        }
    };
    let TypeKind::Struct { fields, .. } = &def("Holder").kind else {
        panic!("Holder is not a struct");
    };
    let field = |name: &str| fields.iter().find(|f| f.wire_name == name).unwrap();
    assert_eq!(values(&field("known_or_any").ty), ["a", "b"]);
    assert_eq!(values(&field("any_first_or_known").ty), ["a"]);
    // One known value is not a constant when any other string is allowed too: the caller
    // sets it, and nothing fills it in.
    assert_eq!(values(&field("one_value").ty), ["only"]);
    assert_eq!(field("one_value").presence, Presence::Required);
    // The referenced enum already keeps unknown values: it is the type, no copy of it.
    assert_eq!(field("model").ty, TypeRef::Named("Model".into()));
    assert_eq!(
        def("OpenModel").kind,
        TypeKind::Alias(TypeRef::Named("Model".into()))
    );
    assert_eq!(values(&field("two_enums").ty), ["small", "large", "s", "m"]);
    assert_eq!(values(&field("nested").ty), ["small", "large", "tiny"]);
    assert_eq!(values(&field("nullable").ty), ["x"]);
    // `null` stays allowed (a type that is only received keeps it as `None`).
    assert!(matches!(
        field("nullable").presence,
        Presence::Optional | Presence::OptionalNullable
    ));
    assert_eq!(field("formats").ty, TypeRef::String);
    let TypeRef::Named(mixed) = &field("mixed").ty else {
        panic!("mixed is not named");
    };
    assert!(matches!(def(mixed).kind, TypeKind::Union { .. }), "{mixed}");
}

/// Union members without a name of their own are named by their type (or what they wrap), arrays by their items,
/// so that several arrays tell themselves apart; a `title` that only repeats the JSON type
/// (`title: array`) says nothing and is passed over.
#[test]
fn union_variants_are_named_by_their_type_and_items() {
    use sdkgen::model::TypeKind;
    let (api, _) = build(
        r#"paths: {}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
    Input:
      oneOf:
        - {type: string, title: string}
        - {type: array, title: array, items: {type: string}}
        - {type: array, title: array, items: {type: integer}}
        - {type: array, items: {type: array, items: {type: integer}}}
        - {type: array, items: {$ref: '#/components/schemas/Pet'}}
        - {type: array, items: {type: object, title: Point, properties: {x: {type: number}}}}
        - {type: boolean, title: Flag}
        - {allOf: [{$ref: '#/components/schemas/Pet'}], deprecated: true}
"#,
    );
    let input = api.types.iter().find(|t| t.name == "Input").unwrap();
    let TypeKind::Union { variants, .. } = &input.kind else {
        panic!("Input is not a union");
    };
    let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "String",
            "StringArray",
            "IntegerArray",
            "IntegerArrayArray",
            "PetArray",
            "PointArray",
            "Flag",
            // A reference with siblings (3.1's `{$ref: Pet, deprecated: true}` reads so).
            "Pet"
        ]
    );
}

/// A component that is a one-member union around an inline schema (3.0's `anyOf: [{…}]` +
/// `nullable`, what 3.1's `anyOf: [{…}, {type: "null"}]` reads as) is that schema under the
/// component's own name, described from both places: not an alias of a `…Inner` type.
#[test]
fn a_component_wrapping_one_inline_member_is_that_member() {
    use sdkgen::model::TypeKind;
    let (api, _) = build(
        r#"paths: {}
components:
  schemas:
    Prompt:
      description: A prompt template.
      nullable: true
      anyOf:
        - type: object
          deprecated: true
          required: [id]
          properties: {id: {type: string}}
"#,
    );
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Prompt"]);
    let prompt = api.types.iter().next().unwrap();
    assert!(
        matches!(prompt.kind, TypeKind::Struct { .. }),
        "{:?}",
        prompt.kind
    );
    assert_eq!(prompt.origin, "#/components/schemas/Prompt");
    assert_eq!(
        prompt.docs.description.as_deref(),
        Some("A prompt template.")
    );
    assert!(prompt.docs.deprecated);
}

/// Two parameters that name alike (`frontendApi`, deprecated, and `frontend_api`): the plain
/// name goes to the one to use, whatever the order, and the deprecated one says so.
#[test]
fn deprecated_parameters_yield_the_plain_name() {
    let (api, _) = build(
        r#"paths:
  /interstitial:
    get:
      operationId: getInterstitial
      parameters:
        - {name: frontendApi, in: query, deprecated: true, schema: {type: string}}
        - {name: frontend_api, in: query, schema: {type: string}}
        - {name: key, in: query, schema: {type: string}}
        - {name: Key, in: header, schema: {type: string}}
      responses: {'204': {description: ok}}
"#,
    );
    let names: Vec<(&str, &str)> = op(&api, "getInterstitial")
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.rust_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("frontendApi", "frontend_api_deprecated"),
            ("frontend_api", "frontend_api"),
            ("key", "key"),
            ("Key", "key2"),
        ]
    );
}
