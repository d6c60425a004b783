//! Builds the [`Api`] model from a parsed document.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use openapiv3::{Parameter, QueryStyle, ReferenceOr, SecurityScheme};

use super::names::{Scope, field_name, method_name, type_name};
use super::pagination;
use super::schema::{Types, bounds, docs_of};
use super::{
    Api, Auth, AuthKind, Body, BodyKind, Docs, Group, Operation, Param, ParamLocation, Presence,
    Response, ResponseStatus, RetryPolicy, StatusMatch, TypeKind, TypeRef, TypeTable,
};
use crate::config::PagingRule;
use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::load::Document;
use openapiv3::OpenAPI;

/// Methods in the order a path item lists them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Group for operations without tags.
const UNTAGGED: &str = "default";

/// Builds the model. Warnings (and notes) come back with the model; errors instead of it.
/// `paging` holds the `[pagination]` rules of `sdkgen.toml`, by operationId.
///
/// Path items are typed one at a time as they are read (see [`crate::load::PathItems`]), so
/// the document's biggest part is never held typed in full while the model grows.
pub fn build(
    document: Document,
    paging: &BTreeMap<String, PagingRule>,
) -> Result<(Api, Diagnostics), Diagnostics> {
    let Document { openapi, paths } = document;
    let doc = &openapi;
    let mut types = Types::new(doc);
    types.define_components();
    let mut diagnostics = Diagnostics::default();

    let auth = auth(doc, &mut diagnostics);
    let mut groups: Vec<Group> = Vec::new();
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    for item in paths {
        let (path, item) = match item {
            Ok(item) => item,
            Err(invalid) => {
                diagnostics.push(invalid);
                continue;
            }
        };
        let path = path.as_str();
        let item_pointer = Pointer::root().join("paths").join(path);
        let ReferenceOr::Item(item) = item else {
            diagnostics.push(
                Diagnostic::error(
                    &item_pointer,
                    "path items given by `$ref` are not supported",
                )
                .with_help("inline the path item"),
            );
            continue;
        };
        for method in METHODS {
            let Some(op) = operation_of(&item, method) else {
                continue;
            };
            let pointer = item_pointer.join(method);
            let context = OperationContext {
                doc,
                path,
                method,
                path_params: &item.parameters,
                pointer: &pointer,
                default_auth: auth.is_some(),
                paging,
            };
            let (operation, tag) = context.build(op, &mut types, &mut diagnostics);
            if let Some(first) = seen_ids.insert(operation.id.clone(), pointer.to_string()) {
                diagnostics.push(
                    Diagnostic::error(
                        pointer.join("operationId"),
                        format!("operationId `{}` is also used at {first}", operation.id),
                    )
                    .with_help("operationIds must be unique across the document"),
                );
                continue;
            }
            group_for(&mut groups, &tag, doc).operations.push(operation);
        }
    }
    for group in &mut groups {
        name_methods(group);
    }
    let ids = groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|op| op.id.as_str())
        .collect();
    pagination::unused_rules(paging.keys(), &ids, &mut diagnostics);

    let mut api_types = TypeTable::new(std::mem::take(&mut types.defs).into_values().collect());
    settle_directions(&mut api_types, &groups);
    break_alias_cycles(&mut api_types, &mut diagnostics);
    box_recursion(&mut api_types);
    let error_bodies = error_bodies(&groups);

    diagnostics.0.append(&mut types.diagnostics.0);
    let diagnostics = diagnostics.sorted();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers: doc.servers.iter().map(|s| s.url.clone()).collect(),
        auth,
        retry: retry_policy(doc, &mut Diagnostics::default()),
        groups,
        types: api_types,
        error_bodies,
    };
    Ok((api, diagnostics))
}

fn operation_of<'a>(
    item: &'a openapiv3::PathItem,
    method: &str,
) -> Option<&'a openapiv3::Operation> {
    match method {
        "get" => item.get.as_ref(),
        "put" => item.put.as_ref(),
        "post" => item.post.as_ref(),
        "delete" => item.delete.as_ref(),
        "options" => item.options.as_ref(),
        "head" => item.head.as_ref(),
        "patch" => item.patch.as_ref(),
        "trace" => item.trace.as_ref(),
        _ => None,
    }
}

fn group_for<'g>(groups: &'g mut Vec<Group>, tag: &str, doc: &OpenAPI) -> &'g mut Group {
    let index = match groups.iter().position(|g| g.tag == tag) {
        Some(index) => index,
        None => {
            let mut scope = Scope::with_reserved(&["builder", "new", "from_env", "base_url"]);
            for group in groups.iter() {
                scope.claim(group.method.clone());
            }
            // File systems cap names at 255 bytes and the module file is named after this.
            let mut method = field_name(tag);
            if method.len() > 64 {
                let cut = (0..=64)
                    .rev()
                    .find(|&i| method.is_char_boundary(i))
                    .unwrap_or(0);
                method.truncate(cut);
                method = field_name(method.trim_end_matches('_'));
            }
            let method = scope.claim(method);
            groups.push(Group {
                type_name: type_name(&method),
                method,
                tag: tag.to_owned(),
                doc: doc
                    .tags
                    .iter()
                    .find(|t| t.name == tag)
                    .and_then(|t| t.description.clone()),
                operations: Vec::new(),
            });
            groups.len() - 1
        }
    };
    &mut groups[index]
}

/// Everything needed to turn one `openapiv3::Operation` into an [`Operation`].
struct OperationContext<'a> {
    doc: &'a OpenAPI,
    path: &'a str,
    method: &'a str,
    path_params: &'a [ReferenceOr<Parameter>],
    pointer: &'a Pointer,
    default_auth: bool,
    paging: &'a BTreeMap<String, PagingRule>,
}

impl OperationContext<'_> {
    fn build(
        &self,
        op: &openapiv3::Operation,
        types: &mut Types<'_>,
        diagnostics: &mut Diagnostics,
    ) -> (Operation, String) {
        let id = op.operation_id.clone().unwrap_or_else(|| self.derived_id());
        let builder_name = type_name(&id);
        let params = self.params(op, &builder_name, types, diagnostics);
        let body = self.body(op, &builder_name, types, diagnostics);
        let responses = self.responses(op, &builder_name, types, diagnostics);
        let (pagination, list) = pagination::detect(
            &pagination::Input {
                doc: self.doc,
                op,
                id: &id,
                method: self.method,
                pointer: self.pointer,
                params: &params,
                responses: &responses,
                defs: &types.defs,
                rule: self.paging.get(&id),
            },
            diagnostics,
        );
        let authenticated = match &op.security {
            Some(requirements) => !requirements.is_empty() && self.default_auth,
            None => self.default_auth,
        };
        let method_name = op
            .extensions
            .get("x-speakeasy-name-override")
            .and_then(|v| v.as_str())
            .map(method_name)
            .unwrap_or_default();
        let operation = Operation {
            id,
            method_name,
            builder_name,
            http_method: self.method.to_ascii_uppercase(),
            path: self.path.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            params,
            body,
            responses,
            pagination,
            list,
            authenticated,
        };
        let tag = op
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| UNTAGGED.to_owned());
        (operation, tag)
    }

    /// `get /users/{id}/keys` → `get_users_id_keys`, for operations without an operationId.
    fn derived_id(&self) -> String {
        format!("{} {}", self.method, self.path).to_snake_case()
    }

    fn params(
        &self,
        op: &openapiv3::Operation,
        builder: &str,
        types: &mut Types<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<Param> {
        let mut names = Scope::with_reserved(&[
            "client",
            "options",
            "body",
            "send",
            "send_with_response",
            "send_page",
            "stream",
        ]);
        let params: Vec<Param> = self
            .merged_params(op, diagnostics)
            .into_iter()
            .map(|(param, at)| {
                let (location, explode, deep_object) = param_style(&param, &at, diagnostics);
                let data = param.parameter_data_ref();
                let hint = format!("{builder}{}", type_name(&data.name));
                let (ty, docs) = param_type(data, &at, &hint, types, diagnostics);
                if location == ParamLocation::Path {
                    self.check_in_template(&data.name, &at, diagnostics);
                }
                Param {
                    wire_name: data.name.clone(),
                    rust_name: names.claim(field_name(&data.name)),
                    location,
                    required: data.required || location == ParamLocation::Path,
                    ty,
                    explode,
                    deep_object,
                    docs: Docs {
                        description: data.description.clone(),
                        example: data.example.clone().or(docs.example),
                        deprecated: data.deprecated.unwrap_or(false) || docs.deprecated,
                        ..docs
                    },
                }
            })
            .collect();
        self.check_template_declared(&params, diagnostics);
        params
    }

    /// The path item's parameters, then the operation's: an operation-level parameter replaces
    /// a path-level one with the same name and location. Each comes with where it was found.
    fn merged_params(
        &self,
        op: &openapiv3::Operation,
        diagnostics: &mut Diagnostics,
    ) -> Vec<(Parameter, Pointer)> {
        let mut merged: Vec<(Parameter, Pointer)> = Vec::new();
        let levels = [
            (self.path_params, self.pointer.join("..").join("parameters")),
            (op.parameters.as_slice(), self.pointer.join("parameters")),
        ];
        for (list, base) in levels {
            for (i, param) in list.iter().enumerate() {
                let at = base.join(i);
                let Some(param) = self.resolve_param(param, &at, diagnostics) else {
                    continue;
                };
                let key = (
                    param.parameter_data_ref().name.clone(),
                    location_name(&param),
                );
                merged.retain(|(p, _)| {
                    (p.parameter_data_ref().name.clone(), location_name(p)) != key
                });
                merged.push((param, at));
            }
        }
        merged
    }

    /// A path parameter whose `{name}` is not in the template is an error: it could not be sent.
    fn check_in_template(&self, name: &str, at: &Pointer, diagnostics: &mut Diagnostics) {
        if self.path.contains(&format!("{{{name}}}")) {
            return;
        }
        diagnostics.push(
            Diagnostic::error(
                at.join("name"),
                format!(
                    "path parameter `{name}` does not appear in the path template `{}`",
                    self.path
                ),
            )
            .with_help(format!(
                "add `{{{name}}}` to the path or change the parameter's `in`"
            )),
        );
    }

    /// Every `{name}` of the template needs its path parameter, or no URL can be built.
    fn check_template_declared(&self, params: &[Param], diagnostics: &mut Diagnostics) {
        for segment in template_params(self.path) {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == segment)
            {
                diagnostics.push(
                    Diagnostic::error(
                        self.pointer.join("parameters"),
                        format!("the path template has `{{{segment}}}` but no path parameter named `{segment}` is declared"),
                    )
                    .with_help(format!("declare `{{name: {segment}, in: path, required: true, schema: {{type: string}}}}`")),
                );
            }
        }
    }

    fn resolve_param(
        &self,
        param: &ReferenceOr<Parameter>,
        at: &Pointer,
        diagnostics: &mut Diagnostics,
    ) -> Option<Parameter> {
        resolve(
            self.doc,
            param,
            "parameters",
            "a parameter",
            |c| &c.parameters,
            at,
            diagnostics,
        )
        .cloned()
    }

    fn body(
        &self,
        op: &openapiv3::Operation,
        builder: &str,
        types: &mut Types<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Body> {
        let at = self.pointer.join("requestBody");
        let body = resolve(
            self.doc,
            op.request_body.as_ref()?,
            "requestBodies",
            "a request body",
            |c| &c.request_bodies,
            &at,
            diagnostics,
        )?;
        // JSON first, then forms, then anything else as bytes: the richest typing available.
        let picked = json_content(&body.content)
            .map(|(media, content)| (media, content, BodyKind::Json))
            .or_else(|| {
                body.content.iter().find_map(|(media, content)| {
                    let essence = media_essence(media);
                    let kind = match essence.as_str() {
                        "application/x-www-form-urlencoded" => BodyKind::Form,
                        "multipart/form-data" => BodyKind::Multipart,
                        _ => return None,
                    };
                    Some((media.as_str(), content, kind))
                })
            })
            .or_else(|| {
                body.content.iter().next().map(|(media, content)| {
                    (media.as_str(), content, BodyKind::Raw(media_essence(media)))
                })
            });
        let Some((media, content, kind)) = picked else {
            diagnostics.push(
                Diagnostic::warning(
                    at.join("content"),
                    "the request body has no content types; none is sent",
                )
                .with_help("add a media type such as `application/json` under `content`"),
            );
            return None;
        };
        let schema_at = at.join("content").join(media).join("schema");
        let (ty, flattened) = match (&kind, &content.schema) {
            (BodyKind::Multipart, _) => (TypeRef::Multipart, false),
            (BodyKind::Raw(media), _) if media.starts_with("text/") => (TypeRef::String, false),
            (BodyKind::Raw(_), _) => (TypeRef::Bytes, false),
            (_, Some(schema)) => {
                let inline_object = schema.as_item().is_some();
                let converted = types.convert(schema, &schema_at, &format!("{builder}Body"));
                let flattened = inline_object
                    && matches!(&converted.ty, TypeRef::Named(name) if matches!(types.defs.get(name).map(|d| &d.kind), Some(TypeKind::Struct { .. })));
                (converted.ty, flattened)
            }
            (_, None) => (TypeRef::Json, false),
        };
        Some(Body {
            required: body.required,
            kind,
            ty,
            flattened,
            description: body.description.clone(),
        })
    }

    fn responses(
        &self,
        op: &openapiv3::Operation,
        builder: &str,
        types: &mut Types<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<Response> {
        let base = self.pointer.join("responses");
        let entries = op
            .responses
            .responses
            .iter()
            .map(|(status, response)| {
                let matched = match status {
                    openapiv3::StatusCode::Code(code) => StatusMatch::Exact(*code),
                    openapiv3::StatusCode::Range(class) => StatusMatch::Class(*class as u8),
                };
                (
                    ResponseStatus::Status(matched),
                    status.to_string(),
                    response,
                )
            })
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| (ResponseStatus::Default, "default".to_owned(), r)),
            );
        let mut out = Vec::new();
        for (status, key, response) in entries {
            let at = base.join(&key);
            let Some(response) = resolve(
                self.doc,
                response,
                "responses",
                "a response",
                |c| &c.responses,
                &at,
                diagnostics,
            ) else {
                continue;
            };
            // A non-JSON payload (a file, text) is handed over as bytes.
            let non_json = (!response.content.is_empty()
                && json_content(&response.content).is_none())
            .then_some(TypeRef::Bytes);
            let body =
                json_content(&response.content).map(|(media, content)| match &content.schema {
                    Some(schema) => {
                        let hint = format!("{builder}Response{}", key.to_ascii_uppercase());
                        let schema_at = at.join("content").join(media).join("schema");
                        types.convert(schema, &schema_at, &hint).ty
                    }
                    None => TypeRef::Json,
                });
            out.push(Response {
                status,
                description: response.description.clone(),
                body: body.or(non_json),
            });
        }
        out.sort_by_key(|r| r.status);
        out
    }
}

/// Where a parameter goes and how it is serialized: `(location, explode, deep_object)`.
fn param_style(
    param: &Parameter,
    at: &Pointer,
    diagnostics: &mut Diagnostics,
) -> (ParamLocation, bool, bool) {
    match param {
        Parameter::Path { .. } => (ParamLocation::Path, false, false),
        Parameter::Query {
            style,
            parameter_data,
            ..
        } => {
            let deep = matches!(style, QueryStyle::DeepObject);
            if matches!(
                style,
                QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited
            ) {
                diagnostics.push(Diagnostic::warning(
                    at.join("style"),
                    format!("query style {style:?} is not supported yet; the parameter is sent form-style"),
                ));
            }
            (
                ParamLocation::Query,
                parameter_data.explode.unwrap_or(true),
                deep,
            )
        }
        Parameter::Header { .. } => (ParamLocation::Header, false, false),
        Parameter::Cookie { .. } => (ParamLocation::Cookie, false, false),
    }
}

/// A parameter's type, and the docs its schema carries (default, bounds, example).
fn param_type(
    data: &openapiv3::ParameterData,
    at: &Pointer,
    hint: &str,
    types: &mut Types<'_>,
    diagnostics: &mut Diagnostics,
) -> (TypeRef, Docs) {
    match &data.format {
        openapiv3::ParameterSchemaOrContent::Schema(schema) => {
            let converted = types.convert(schema, &at.join("schema"), hint);
            let mut docs = match schema {
                ReferenceOr::Item(s) => docs_of(&s.schema_data),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            if let Some(s) = schema.as_item() {
                (docs.minimum, docs.maximum) = bounds(s);
            }
            (converted.ty, docs)
        }
        openapiv3::ParameterSchemaOrContent::Content(_) => {
            diagnostics.push(Diagnostic::warning(
                at.join("content"),
                "parameters described by `content` are not supported yet; the value is sent as a string",
            ));
            (TypeRef::String, Docs::default())
        }
    }
}

/// Resolves a `$ref` into `components/<section>` (reporting a dangling one at `at`), or returns
/// the inline item.
fn resolve<'d, T>(
    doc: &'d OpenAPI,
    item: &'d ReferenceOr<T>,
    section: &str,
    what: &str,
    pick: fn(&'d openapiv3::Components) -> &'d indexmap::IndexMap<String, ReferenceOr<T>>,
    at: &Pointer,
    diagnostics: &mut Diagnostics,
) -> Option<&'d T> {
    let reference = match item {
        ReferenceOr::Item(item) => return Some(item),
        ReferenceOr::Reference { reference } => reference,
    };
    let found = reference
        .strip_prefix(&format!("#/components/{section}/"))
        .and_then(|key| pick(doc.components.as_ref()?).get(key))
        .and_then(ReferenceOr::as_item);
    if found.is_none() {
        diagnostics.push(
            Diagnostic::error(
                at,
                format!("`$ref: {reference}` does not resolve to {what}"),
            )
            .with_help(format!(
                "define it under components/{section} or fix the reference"
            )),
        );
    }
    found
}

fn location_name(param: &Parameter) -> &'static str {
    match param {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// The `{name}` placeholders of a path template.
fn template_params(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// `Text/Plain; charset=utf-8` → `text/plain`.
fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase()
}

/// The JSON entry of a content map (`application/json`, `application/problem+json`, …).
fn json_content(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    content.iter().find_map(|(media, value)| {
        let essence = media.split(';').next().unwrap_or(media).trim();
        (essence == "application/json" || essence.ends_with("+json"))
            .then_some((media.as_str(), value))
    })
}

/// Names each operation's method on its group: the operationId with the group's own words
/// taken out (`ListOrganizationMemberships` in `Organization Memberships` → `list`), unless the
/// spec author named it (`x-speakeasy-name-override`). Falls back to the whole operationId
/// whenever that would be empty or collide.
fn name_methods(group: &mut Group) {
    let tag_words: Vec<String> = group.method.split('_').map(str::to_owned).collect();
    let singular: Vec<String> = tag_words
        .iter()
        .map(|w| w.strip_suffix('s').unwrap_or(w).to_owned())
        .collect();
    let proposals: Vec<String> = group
        .operations
        .iter()
        .map(|op| {
            if !op.method_name.is_empty() {
                return op.method_name.clone();
            }
            let words: Vec<String> = op
                .id
                .to_snake_case()
                .split('_')
                .map(str::to_owned)
                .collect();
            let stripped = strip_run(&words, &tag_words).or_else(|| strip_run(&words, &singular));
            match stripped {
                Some(rest) if !rest.is_empty() => method_name(&rest.join("_")),
                _ => method_name(&op.id),
            }
        })
        .collect();
    let mut scope = Scope::default();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &proposals {
        *counts.entry(p.as_str()).or_default() += 1;
    }
    let names: Vec<String> = group
        .operations
        .iter()
        .zip(&proposals)
        .map(|(op, proposal)| {
            let name = if counts[proposal.as_str()] > 1 {
                method_name(&op.id)
            } else {
                proposal.clone()
            };
            scope.claim(name)
        })
        .collect();
    // Builders share a module with the group struct: their names must differ from it and
    // from each other (`get-user` and `getUser` both case to `GetUser`).
    let mut builders = Scope::with_reserved(&[group.type_name.as_str()]);
    for (op, name) in group.operations.iter_mut().zip(names) {
        op.method_name = name;
        op.builder_name = builders.claim(op.builder_name.clone());
    }
}

/// `words` without the first contiguous occurrence of `run`, if there is one.
fn strip_run(words: &[String], run: &[String]) -> Option<Vec<String>> {
    if run.is_empty() || run.len() > words.len() {
        return None;
    }
    let start = words.windows(run.len()).position(|w| w == run)?;
    let mut rest = words[..start].to_vec();
    rest.extend_from_slice(&words[start + run.len()..]);
    Some(rest)
}

/// Decides what depends on whether a type is sent, received, or both: optional nullable fields
/// of sent types are tri-state (absent vs `null`), and `additionalProperties: false` is only
/// enforced on types that are never received, so a server adding a field never breaks decoding.
fn settle_directions(types: &mut TypeTable, groups: &[Group]) {
    let mut sent = BTreeSet::new();
    let mut received = BTreeSet::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        if let Some(body) = &op.body {
            reach(&body.ty, types, &mut sent);
        }
        for p in &op.params {
            reach(&p.ty, types, &mut sent);
        }
        for r in &op.responses {
            if let Some(ty) = &r.body {
                reach(ty, types, &mut received);
            }
        }
    }
    for def in types.iter_mut() {
        if let TypeKind::Struct {
            fields,
            deny_unknown_fields,
        } = &mut def.kind
        {
            let is_sent = sent.contains(&def.name);
            *deny_unknown_fields &= is_sent && !received.contains(&def.name);
            for field in fields {
                // Only a sent value needs `null` apart from absent; decoding maps both to `None`.
                if field.presence == Presence::OptionalNullable && !is_sent {
                    field.presence = Presence::Optional;
                }
            }
        }
    }
}

/// Adds the names of every type `ty` reaches to `seen`.
fn reach(ty: &TypeRef, types: &TypeTable, seen: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) => reach(inner, types, seen),
        TypeRef::Named(name) => {
            if !seen.insert(name.clone()) {
                return;
            }
            let Some(def) = types.get(name) else {
                return;
            };
            match &def.kind {
                TypeKind::Struct { fields, .. } => {
                    for f in fields {
                        reach(&f.ty, types, seen);
                    }
                }
                TypeKind::Alias(inner) | TypeKind::Newtype(inner) => reach(inner, types, seen),
                TypeKind::Union { variants, .. } => {
                    for v in variants {
                        reach(&v.ty, types, seen);
                    }
                }
                TypeKind::Enum { .. } => {}
            }
        }
        _ => {}
    }
}

/// Rust type aliases cannot refer to themselves. An alias that contains itself through a
/// `Vec` or map becomes a newtype struct; one that is nothing but itself (`A: {$ref: B}`,
/// `B: {allOf: [{$ref: A}]}`) has no shape at all and is an error.
fn break_alias_cycles(types: &mut TypeTable, diagnostics: &mut Diagnostics) {
    let alias_of = |name: &str| match types.get(name).map(|def| &def.kind) {
        Some(TypeKind::Alias(target)) => Some(target),
        _ => None,
    };
    // Names reachable from `ty` through aliases, and whether only bare aliases were crossed.
    let reaches_itself = |start: &str| -> Option<bool> {
        let mut stack: Vec<(&TypeRef, bool)> =
            alias_of(start).map(|t| (t, true)).into_iter().collect();
        let mut seen = BTreeSet::new();
        while let Some((ty, bare)) = stack.pop() {
            match ty {
                TypeRef::Named(name) if name == start => return Some(bare),
                TypeRef::Named(name) if seen.insert(name.clone()) => {
                    if let Some(target) = alias_of(name) {
                        stack.push((target, bare));
                    }
                }
                TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push((inner, false)),
                _ => {}
            }
        }
        None
    };
    let verdicts: Vec<(usize, bool)> = types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| reaches_itself(&t.name).map(|bare| (i, bare)))
        .collect();
    for (i, bare) in verdicts {
        let Some(def) = types.iter_mut().nth(i) else {
            continue;
        };
        if bare {
            diagnostics.push(
                Diagnostic::error(
                    def.origin.as_str(),
                    format!("`{}` is defined only as a reference to itself (a cycle of `$ref`/`allOf` wrappers)", def.name),
                )
                .with_help("give one schema of the cycle a type or properties"),
            );
        } else if let TypeKind::Alias(target) = &def.kind {
            def.kind = TypeKind::Newtype(target.clone());
        }
    }
}

/// A type cannot contain itself by value: every by-value reference (a field, a union variant)
/// that leads back to the type it is in gets boxed. `Vec` and maps already allocate.
fn box_recursion(types: &mut TypeTable) {
    let by_value = |ty: &TypeRef| match ty {
        TypeRef::Named(name) => types.position(name),
        _ => None,
    };
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct { fields, .. } => {
                fields.iter().filter_map(|f| by_value(&f.ty)).collect()
            }
            TypeKind::Union { variants, .. } => {
                variants.iter().filter_map(|v| by_value(&v.ty)).collect()
            }
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => by_value(ty).into_iter().collect(),
            TypeKind::Enum { .. } => Vec::new(),
        })
        .collect();
    let reaches = |from: usize, to: usize| {
        let mut stack = vec![from];
        let mut seen = vec![false; edges.len()];
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if !std::mem::replace(&mut seen[node], true) {
                stack.extend(&edges[node]);
            }
        }
        false
    };
    let mut boxes: Vec<(usize, usize)> = Vec::new();
    for (owner, def) in types.iter().enumerate() {
        let targets: Vec<Option<usize>> = match &def.kind {
            TypeKind::Struct { fields, .. } => fields.iter().map(|f| by_value(&f.ty)).collect(),
            TypeKind::Union { variants, .. } => variants.iter().map(|v| by_value(&v.ty)).collect(),
            _ => Vec::new(),
        };
        for (slot, target) in targets.into_iter().enumerate() {
            if target.is_some_and(|t| reaches(t, owner)) {
                boxes.push((owner, slot));
            }
        }
    }
    for (owner, slot) in boxes {
        let Some(def) = types.iter_mut().nth(owner) else {
            continue;
        };
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => fields[slot].boxed = true,
            TypeKind::Union { variants, .. } => variants[slot].boxed = true,
            _ => {}
        }
    }
}

/// The named types of non-success responses, i.e. the variants of the generated `ErrorBody`.
fn error_bodies(groups: &[Group]) -> Vec<String> {
    let set: BTreeSet<String> = groups
        .iter()
        .flat_map(|g| &g.operations)
        .flat_map(|op| &op.responses)
        .filter(|r| !r.status.is_success())
        .filter_map(|r| match &r.body {
            Some(TypeRef::Named(name)) => Some(name.clone()),
            _ => None,
        })
        .collect();
    set.into_iter().collect()
}

/// The credential the client sends: the first scheme named by the root `security` (or, when
/// there is none, by the first operation that has one) that can be sent. OAuth 2 and OpenID
/// Connect access tokens are bearer tokens; obtaining them is the caller's business.
fn auth(doc: &OpenAPI, diagnostics: &mut Diagnostics) -> Option<Auth> {
    let schemes = &doc.components.as_ref()?.security_schemes;
    let operation_level = doc
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| METHODS.iter().filter_map(move |m| operation_of(item, m)))
        .find_map(|op| op.security.as_ref().filter(|s| !s.is_empty()));
    let requirements = doc
        .security
        .as_ref()
        .filter(|s| !s.is_empty())
        .or(operation_level)?;
    for requirement in requirements {
        for name in requirement.keys() {
            let at = Pointer::root()
                .join("components")
                .join("securitySchemes")
                .join(name);
            let Some(scheme) = schemes.get(name).and_then(|s| s.as_item()) else {
                diagnostics.push(Diagnostic::error(
                    Pointer::root().join("security"),
                    format!("security requirement names `{name}`, which is not defined under components/securitySchemes"),
                ));
                continue;
            };
            let (kind, doc) = match scheme {
                SecurityScheme::HTTP {
                    scheme,
                    bearer_format,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("bearer") => (
                    AuthKind::Bearer,
                    description.clone().or_else(|| bearer_format.clone()),
                ),
                SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("basic") => (AuthKind::Basic, description.clone()),
                SecurityScheme::HTTP { scheme, .. } => {
                    diagnostics.push(
                        Diagnostic::warning(&at, format!("HTTP authentication scheme `{scheme}` is not supported yet; requests are sent without it"))
                            .with_help("add the credential as a default header on the client builder"),
                    );
                    continue;
                }
                SecurityScheme::APIKey {
                    location,
                    name: key,
                    description,
                    ..
                } => {
                    let kind = match location {
                        openapiv3::APIKeyLocation::Header => AuthKind::ApiKeyHeader(key.clone()),
                        openapiv3::APIKeyLocation::Query => AuthKind::ApiKeyQuery(key.clone()),
                        openapiv3::APIKeyLocation::Cookie => AuthKind::ApiKeyCookie(key.clone()),
                    };
                    (kind, description.clone())
                }
                SecurityScheme::OAuth2 { description, .. }
                | SecurityScheme::OpenIDConnect { description, .. } => {
                    (AuthKind::Bearer, description.clone())
                }
            };
            return Some(Auth {
                scheme: name.clone(),
                kind,
                doc,
            });
        }
    }
    None
}

/// Reads the root `x-speakeasy-retries` extension.
fn retry_policy(doc: &OpenAPI, diagnostics: &mut Diagnostics) -> Option<RetryPolicy> {
    let value = doc.extensions.get("x-speakeasy-retries")?;
    let at = Pointer::root().join("x-speakeasy-retries");
    let backoff = value.get("backoff");
    let number = |key: &str| {
        backoff
            .and_then(|b| b.get(key))
            .and_then(serde_json::Value::as_f64)
    };
    let statuses = value
        .get("statusCodes")
        .and_then(|s| s.as_array())
        .map(|codes| {
            codes
                .iter()
                .filter_map(|code| {
                    let text = match code {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let parsed = status_match(&text);
                    if parsed.is_none() {
                        diagnostics.push(Diagnostic::warning(
                            &at,
                            format!("ignoring status code `{text}`"),
                        ));
                    }
                    parsed
                })
                .collect()
        })
        .unwrap_or_default();
    Some(RetryPolicy {
        initial_interval_ms: number("initialInterval").unwrap_or(500.0) as u64,
        max_interval_ms: number("maxInterval").unwrap_or(60_000.0) as u64,
        max_elapsed_ms: number("maxElapsedTime").unwrap_or(3_600_000.0) as u64,
        exponent: number("exponent").unwrap_or(1.5),
        statuses,
        connection_errors: value
            .get("retryConnectionErrors")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
    })
}

fn status_match(text: &str) -> Option<StatusMatch> {
    let upper = text.to_ascii_uppercase();
    if let Some(class) = upper.strip_suffix("XX") {
        return class
            .parse::<u8>()
            .ok()
            .filter(|c| (1..=5).contains(c))
            .map(StatusMatch::Class);
    }
    upper
        .parse::<u16>()
        .ok()
        .filter(|c| (100..=599).contains(c))
        .map(StatusMatch::Exact)
}
