//! The Rust surface the emitter derives from the model, spelled as text: field types, builder
//! arguments and setters, return types, `Client::new`. It follows `emit/` rule for rule; the
//! tests at the bottom hold it to the code the emitter actually writes.

use crate::model::{
    Api, AuthKind, Body, Field, Operation, Param, Presence, Success, TypeDef, TypeKind, TypeRef,
};

/// How the crate spells a type (`Vec<User>`, `BTreeMap<String, i64>`), without module paths.
pub(super) fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::JsonObject => "Map<String, Value>".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Multipart => "Multipart".to_owned(),
        TypeRef::Array(inner) => format!("Vec<{}>", type_text(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_text(inner)),
        // `(A,)` keeps its comma: `(A)` is `A`.
        TypeRef::Tuple(items) => match items.as_slice() {
            [one] => format!("({},)", type_text(one)),
            items => format!(
                "({})",
                items.iter().map(type_text).collect::<Vec<_>>().join(", ")
            ),
        },
        TypeRef::Nullable(inner) => format!("Option<{}>", type_text(inner)),
        TypeRef::Named(name) => name.trim_start_matches("r#").to_owned(),
    }
}

/// The declared type of a struct field (see `emit/models.rs`, `field`).
pub(super) fn field_text(field: &Field) -> String {
    let ty = type_text(&field.ty);
    let ty = if field.boxed {
        format!("Box<{ty}>")
    } else {
        ty
    };
    match field.presence {
        Presence::Required | Presence::Constant => ty,
        Presence::OptionalNullable => format!("Option<Option<{ty}>>"),
        Presence::RequiredNullable | Presence::Optional => format!("Option<{ty}>"),
    }
}

/// Whether the spec lists the field in `required` (it must be on the wire, maybe as `null`).
pub(super) fn spec_required(field: &Field) -> bool {
    matches!(
        field.presence,
        Presence::Required | Presence::RequiredNullable
    )
}

/// What `send()` returns (see [`Operation::success`]).
pub(super) fn return_text(op: &Operation) -> String {
    match op.success() {
        Success::Unit => "()".to_owned(),
        Success::One(ty) => type_text(ty),
        Success::Optional(ty) => format!("Option<{}>", type_text(ty)),
        Success::Any => "Value".to_owned(),
    }
}

/// The signature of `Client::new` (see `emit/client.rs`).
pub(super) fn constructor_text(api: &Api) -> String {
    match api.primary_auth().map(|a| &a.kind) {
        None => "new()",
        Some(AuthKind::Basic) => "new(user, password)",
        Some(_) => "new(token)",
    }
    .to_owned()
}

/// What a slot of a request builder is.
#[derive(Clone, Copy, Debug)]
pub(super) enum SlotKind<'a> {
    /// A parameter.
    Param(&'a Param),
    /// A property of a body the builder takes property by property.
    BodyField(&'a Field),
    /// The whole body (`body`).
    WholeBody(&'a Body),
}

/// One value a request builder holds: an argument of the group method when required, a setter
/// when not (see `emit/operations.rs`, `OperationCode::new`).
#[derive(Clone, Debug)]
pub(super) struct Slot<'a> {
    /// Argument or setter name.
    pub name: String,
    pub ty: &'a TypeRef,
    pub required: bool,
    pub kind: SlotKind<'a>,
}

/// The slots of an operation's builder, in the order the emitter declares them.
pub(super) fn slots<'a>(op: &'a Operation, api: &'a Api) -> Vec<Slot<'a>> {
    let mut names = crate::model::places::builder_members();
    let mut slots: Vec<Slot<'a>> = op
        .params
        .iter()
        .map(|p| Slot {
            name: names.claim(p.rust_name.clone()),
            ty: &p.ty,
            required: p.required,
            kind: SlotKind::Param(p),
        })
        .collect();
    if let Some(body) = &op.body {
        match flattened_fields(body, api) {
            Some(fields) => {
                for field in fields.iter().filter(|f| f.presence != Presence::Constant) {
                    slots.push(Slot {
                        name: names.claim_body_field(field.rust_name.clone()),
                        ty: &field.ty,
                        required: field.presence == Presence::Required,
                        kind: SlotKind::BodyField(field),
                    });
                }
            }
            None => slots.push(Slot {
                name: "body".to_owned(),
                ty: &body.ty,
                required: body.required,
                kind: SlotKind::WholeBody(body),
            }),
        }
    }
    slots
}

/// The properties of a body the builder takes property by property.
pub(super) fn flattened_fields<'a>(body: &Body, api: &'a Api) -> Option<&'a [Field]> {
    let TypeRef::Named(name) = &body.ty else {
        return None;
    };
    if !body.flattened {
        return None;
    }
    match &find_type(api, name)?.kind {
        TypeKind::Struct { fields, .. } => Some(fields),
        _ => None,
    }
}

/// A named type of `api`.
pub(super) fn find_type<'a>(api: &'a Api, name: &str) -> Option<&'a TypeDef> {
    api.type_def(name)
}

#[cfg(test)]
mod tests {
    //! The spellings above against the code the emitter writes, parsed with syn.

    use super::*;
    use crate::model::Usage;
    use quote::ToTokens;

    /// Token text without spaces and module paths, so `Option < models :: User >` and
    /// `Option<User>` compare equal.
    fn normalize(text: &str) -> String {
        let mut text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for prefix in [
            "models::",
            "crate::runtime::",
            "std::collections::",
            "serde_json::",
            "bytes::",
            "r#",
        ] {
            text = text.replace(prefix, "");
        }
        // prettyplease breaks long generics over lines, with a trailing comma.
        text.replace(",>", ">")
    }

    fn tokens(t: &impl ToTokens) -> String {
        normalize(&t.to_token_stream().to_string())
    }

    /// Checks every struct field, group method, setter and `send()` of the crate for `spec`.
    fn check(spec: &[u8]) {
        let document = crate::load::load(spec, "spec").expect("loads");
        let (api, _) = crate::model::build(document, &Default::default()).expect("builds");
        let config = crate::Config::named("surface-check");
        let files = crate::emit::emit(&api, &config, "spec").expect("emits");
        let file = |path: &str| {
            let text = &files.iter().find(|f| f.path == path).expect(path).contents;
            syn::parse_file(text).expect("parses")
        };
        let usage = Usage::of(&api);

        let models = file("src/models.rs");
        let mut checked = 0;
        for item in &models.items {
            match item {
                syn::Item::Struct(s) => {
                    let def = find_type(&api, &s.ident.to_string()).expect("type");
                    let exhaustive = !s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
                    if let TypeKind::Struct { fields, .. } = &def.kind {
                        assert_eq!(exhaustive, !usage.non_exhaustive(def), "{}", def.name);
                        for (emitted, field) in s.fields.iter().zip(fields) {
                            assert_eq!(
                                tokens(&emitted.ty),
                                normalize(&field_text(field)),
                                "{}::{}",
                                def.name,
                                field.rust_name
                            );
                            checked += 1;
                        }
                    }
                }
                syn::Item::Enum(e) => {
                    let def = find_type(&api, &e.ident.to_string()).expect("type");
                    assert!(usage.non_exhaustive(def), "{}", def.name);
                }
                _ => {}
            }
        }
        assert!(checked > 0);

        for group in &api.groups {
            let path = format!(
                "src/operations/{}.rs",
                group.method.trim_start_matches("r#")
            );
            let module = file(&path);
            let impls: Vec<&syn::ItemImpl> = module
                .items
                .iter()
                .filter_map(|i| match i {
                    syn::Item::Impl(i) => Some(i),
                    _ => None,
                })
                .collect();
            let methods_of = |ty: &str| -> Vec<&syn::ImplItemFn> {
                impls
                    .iter()
                    .filter(|i| match &*i.self_ty {
                        syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == ty),
                        _ => false,
                    })
                    .flat_map(|i| &i.items)
                    .filter_map(|i| match i {
                        syn::ImplItem::Fn(f) => Some(f),
                        _ => None,
                    })
                    .collect()
            };
            let group_methods = methods_of(&group.type_name);
            for op in &group.operations {
                let slots = slots(op, &api);
                let method = group_methods
                    .iter()
                    .find(|m| m.sig.ident == op.method_name.trim_start_matches("r#"))
                    .expect("group method");
                let args: Vec<String> = method
                    .sig
                    .inputs
                    .iter()
                    .filter_map(|a| match a {
                        syn::FnArg::Typed(t) => Some(tokens(&t.pat)),
                        _ => None,
                    })
                    .collect();
                let required: Vec<String> = slots
                    .iter()
                    .filter(|s| s.required)
                    .map(|s| normalize(&s.name))
                    .collect();
                assert_eq!(args, required, "arguments of {}", op.id);
                let builder = methods_of(&op.builder_name);
                let setters: Vec<String> = builder
                    .iter()
                    .map(|m| normalize(&m.sig.ident.to_string()))
                    .filter(|n| {
                        ![
                            "options",
                            "send",
                            "send_page",
                            "send_with_response",
                            "stream",
                        ]
                        .contains(&n.as_str())
                            && !n.ends_with("_null")
                    })
                    .collect();
                let optional: Vec<String> = slots
                    .iter()
                    .filter(|s| !s.required)
                    .map(|s| normalize(&s.name))
                    .collect();
                assert_eq!(setters, optional, "setters of {}", op.id);
                let send = builder
                    .iter()
                    .find(|m| m.sig.ident == "send")
                    .expect("send");
                let syn::ReturnType::Type(_, returned) = &send.sig.output else {
                    panic!("send returns a future");
                };
                assert_eq!(
                    tokens(returned),
                    normalize(&format!(
                        "impl Future<Output = Result<{}, Error>>",
                        return_text(op)
                    )),
                    "send() of {}",
                    op.id
                );
                let stream = builder.iter().any(|m| m.sig.ident == "stream");
                assert_eq!(stream, op.pagination.is_some(), "stream() of {}", op.id);
            }
        }
    }

    const FIXTURE: &str = r#"
openapi: 3.0.3
info: {title: Surface, version: '1'}
servers: [{url: 'https://api.example.com'}]
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
  schemas:
    Pet:
      type: object
      required: [id, kind, owner]
      properties:
        id: {type: integer, format: int32}
        kind: {type: string, enum: [cat, dog]}
        owner: {type: string, nullable: true}
        tags: {type: array, items: {type: string}}
        parent: {$ref: '#/components/schemas/Pet'}
        note: {type: string, nullable: true}
        object: {type: string, enum: [pet]}
    PetList:
      type: object
      required: [data, total_count]
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Pet'}}
        total_count: {type: integer}
    Shape:
      oneOf:
        - {$ref: '#/components/schemas/Pet'}
        - {type: string}
security: [{basic: []}]
paths:
  /pets:
    get:
      operationId: ListPets
      tags: [Pets]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
        - {name: client, in: query, required: true, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/PetList'}}}}
        '204': {description: none}
    post:
      operationId: CreatePet
      tags: [Pets]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name, kind]
              properties:
                name: {type: string}
                kind: {type: string, enum: [cat, dog]}
                body: {type: string}
                note: {type: string, nullable: true}
                shape: {$ref: '#/components/schemas/Shape'}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /pets/{id}:
    put:
      operationId: ReplacePet
      tags: [Pets]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '201': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
"#;

    #[test]
    fn surface_matches_emitted_code_of_a_fixture() {
        check(FIXTURE.as_bytes());
    }

    /// Tuples (`prefixItems`), of one item and of several, in fields, arguments and replies.
    const FIXTURE_31: &str = r#"
openapi: 3.1.0
info: {title: Tuples, version: '1'}
components:
  schemas:
    Track:
      type: object
      required: [start]
      properties:
        start: {type: array, prefixItems: [{type: number}, {type: number}], minItems: 2, items: false}
        label: {type: array, prefixItems: [{type: string}], minItems: 1, maxItems: 1}
        legs:
          type: array
          items: {type: array, prefixItems: [{type: integer}, {$ref: '#/components/schemas/Track'}], minItems: 2, items: false}
paths:
  /tracks:
    post:
      operationId: CreateTrack
      tags: [Tracks]
      parameters:
        - {name: near, in: query, required: true, schema: {type: array, prefixItems: [{type: number}, {type: number}], minItems: 2, items: false}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Track'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, prefixItems: [{type: string}, {$ref: '#/components/schemas/Track'}], minItems: 2, items: false}}}}
"#;

    #[test]
    fn surface_matches_emitted_code_of_a_3_1_fixture_with_tuples() {
        check(FIXTURE_31.as_bytes());
    }

    #[test]
    fn surface_matches_emitted_code_of_the_clerk_fragment() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let spec = std::fs::read(root.join("spec/clerk-organization-memberships.yaml")).unwrap();
        check(&spec);
    }

    #[test]
    fn surface_matches_emitted_code_of_the_whole_clerk_api() {
        let Some(dir) = std::env::var_os("SDKGEN_SHARED_SPECS") else {
            println!("skipping: SDKGEN_SHARED_SPECS is not set");
            return;
        };
        let path = std::path::Path::new(&dir).join("clerk/bapi-2026-05-12.yml");
        match std::fs::read(&path) {
            Ok(spec) => check(&spec),
            Err(e) => println!("skipping: cannot read {}: {e}", path.display()),
        }
    }
}
