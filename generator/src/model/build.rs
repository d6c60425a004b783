//! Builds the [`Api`] model from a parsed document.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use openapiv3::{Parameter, ReferenceOr};

use super::components::resolve;
use super::names::{field_name, method_name, places, type_name};
use super::pagination;
use super::paths;
use super::schema::Types;
use super::security::Schemes;
use super::{
    Api, Body, BodyKind, Docs, Group, Operation, Param, ParamLocation, Presence, QueryStyle,
    Response, ResponseStatus, RetryPolicy, StatusMatch, TypeDef, TypeKind, TypeRef, TypeTable,
    idempotency,
};
use crate::config::PagingRule;
use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::load::Document;
use openapiv3::OpenAPI;

/// Methods in the order a path item lists them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Builds the model. Warnings (and notes) come back with the model; errors instead of it.
/// `paging` holds the `[pagination]` rules of `sdkgen.toml`, by operationId.
///
/// Path items are typed one at a time as they are read (see [`crate::load::PathItems`]), so
/// the document's biggest part is never held typed in full while the model grows.
pub fn build(
    document: Document,
    paging: &BTreeMap<String, PagingRule>,
) -> Result<(Api, Diagnostics), Diagnostics> {
    let Document {
        openapi,
        paths,
        webhooks,
        origins,
        warnings,
        ..
    } = document;
    let doc = &openapi;
    let mut types = Types::new(doc);
    types.define_components();
    let mut diagnostics = warnings;

    let mut schemes = Schemes::new(doc);
    let root_security = doc.security.as_ref().map(|requirements| {
        schemes.requirements(
            requirements,
            &Pointer::root().join("security"),
            &mut diagnostics,
        )
    });
    let mut groups: Vec<Group> = Vec::new();
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    // Groups named after paths (operations without tags), by tag.
    let mut path_groups: BTreeSet<String> = BTreeSet::new();
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
                paging,
            };
            let (mut operation, tag, from_path) = context.build(op, &mut types, &mut diagnostics);
            operation.security = op.security.as_ref().map(|requirements| {
                schemes.requirements(requirements, &pointer.join("security"), &mut diagnostics)
            });
            idempotency::detect(&mut operation);
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
            // A group named after a path joins a tag group of the same Rust name (`Widgets`
            // and `/widgets`).
            let tag = match groups
                .iter()
                .find(|g| from_path && g.method == field_name(&tag))
            {
                Some(group) => group.tag.clone(),
                None => tag,
            };
            if from_path {
                path_groups.insert(tag.clone());
            }
            group_for(&mut groups, &tag, doc).operations.push(operation);
        }
    }
    merge_singular_groups(&mut groups, &path_groups);
    for group in &mut groups {
        name_methods(group);
    }
    let ids = groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|op| op.id.as_str())
        .collect();
    pagination::unused_rules(paging.keys(), &ids, &mut diagnostics);
    let (webhooks, webhook_tag) =
        super::webhooks::build(webhooks, doc, &mut types, &mut diagnostics);
    let (security_schemes, security) = schemes.settle(root_security, &mut groups);
    let retry = retry_policy(doc, &mut diagnostics);

    let mut api_types = TypeTable::new(std::mem::take(&mut types.defs).into_values().collect());
    settle_directions(&mut api_types, &groups);
    received_as_webhooks(&mut api_types, &webhooks);
    break_alias_cycles(&mut api_types, &mut diagnostics);
    box_recursion(&mut api_types);
    super::shapes::alias_same_shapes(&mut api_types, &groups);
    let error_bodies = error_bodies(&groups);

    diagnostics.0.append(&mut types.diagnostics.0);
    // Pointers so far are into the loaded document; the user wrote another one when loading
    // moved parts of it (see `load::Origins`).
    if !origins.is_empty() {
        for diagnostic in &mut diagnostics.0 {
            diagnostic.pointer = origins.original(&diagnostic.pointer);
        }
        for def in api_types.iter_mut() {
            def.origin = origins.original(&def.origin);
        }
    }
    let diagnostics = diagnostics.sorted();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers: doc.servers.iter().map(|s| s.url.clone()).collect(),
        security_schemes,
        security,
        retry,
        groups,
        types: api_types,
        error_bodies,
        webhooks,
        webhook_tag,
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

/// Path-derived groups in singular and plural (`/task/{id}` and `/tasks`) are one resource:
/// the singular group's operations join the plural one.
fn merge_singular_groups(groups: &mut Vec<Group>, path_groups: &BTreeSet<String>) {
    let mut i = 0;
    while i < groups.len() {
        let singular = &groups[i];
        let plural = path_groups.contains(&singular.tag).then(|| {
            groups.iter().position(|g| {
                g.method != singular.method
                    && path_groups.contains(&g.tag)
                    && paths::singular(&g.method) == singular.method
            })
        });
        match plural.flatten() {
            Some(target) => {
                let moved = groups.remove(i);
                let target = if target > i { target - 1 } else { target };
                groups[target].operations.extend(moved.operations);
            }
            None => i += 1,
        }
    }
}

fn group_for<'g>(groups: &'g mut Vec<Group>, tag: &str, doc: &OpenAPI) -> &'g mut Group {
    let index = match groups.iter().position(|g| g.tag == tag) {
        Some(index) => index,
        None => {
            let mut methods = places::accessors();
            let mut types = places::group_types();
            for group in groups.iter() {
                methods.claim(group.method.clone());
                types.claim(group.type_name.clone());
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
            let method = methods.claim(method);
            groups.push(Group {
                type_name: types.claim(type_name(method.trim_start_matches("r#"))),
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
pub(super) struct OperationContext<'a> {
    pub doc: &'a OpenAPI,
    pub path: &'a str,
    pub method: &'a str,
    pub path_params: &'a [ReferenceOr<Parameter>],
    pub pointer: &'a Pointer,
    /// The config's `[pagination]` rules, by operationId.
    pub paging: &'a BTreeMap<String, PagingRule>,
}

impl OperationContext<'_> {
    fn build(
        &self,
        op: &openapiv3::Operation,
        types: &mut Types<'_>,
        diagnostics: &mut Diagnostics,
    ) -> (Operation, String, bool) {
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
        // Without tags, the group comes from the path (`/v1/widgets/{id}` → `widgets`).
        let (tag, from_path) = match op.tags.first() {
            Some(tag) => (tag.clone(), false),
            None => (paths::group_of(self.path), true),
        };
        // An operationId that only restates the request (or none at all) gives way to a
        // REST-style name (`list`, `retrieve`, `create_part`) where the group is the path's.
        let restated =
            op.operation_id.is_none() || paths::id_restates_path(&id, self.method, self.path);
        let rest_name = (restated && field_name(&tag) == field_name(&paths::group_of(self.path)))
            .then(|| paths::rest_method(self.method, self.path, &paths::group_of(self.path)));
        let method_name = op
            .extensions
            .get("x-speakeasy-name-override")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .or(rest_name)
            .map(|name| method_name(&name))
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
            security: None,
            idempotency_key: None,
        };
        (operation, tag, from_path)
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
        let mut params: Vec<Param> = self
            .merged_params(op, diagnostics)
            .into_iter()
            .map(|(param, at)| {
                let (location, style) = param_style(&param);
                let data = param.parameter_data_ref();
                let hint = format!("{builder}{}", type_name(&data.name));
                let (ty, docs) = param_type(data, &at, &hint, types, diagnostics);
                if location == ParamLocation::Path {
                    self.check_in_template(&data.name, &at, diagnostics);
                }
                if location == ParamLocation::Query
                    && let Some(warning) = undefined_query_items(&data.name, &ty, style, &types.defs)
                {
                    diagnostics.push(Diagnostic::warning(at.clone(), warning).with_help(format!(
                        "check what the server reads; `style: deepObject` sends `{0}[0][key]=value` instead, and items typed as strings are sent as given",
                        data.name
                    )));
                }
                Param {
                    wire_name: data.name.clone(),
                    rust_name: String::new(),
                    location,
                    required: data.required || location == ParamLocation::Path,
                    ty,
                    style,
                    docs: Docs {
                        description: data.description.clone(),
                        example: data.example.clone().or(docs.example),
                        deprecated: data.deprecated.unwrap_or(false) || docs.deprecated,
                        ..docs
                    },
                }
            })
            .collect();
        // Deprecated parameters name themselves last: the plain name goes to the one to use.
        let mut names = places::builder_members();
        for deprecated in [false, true] {
            for param in params
                .iter_mut()
                .filter(|p| p.docs.deprecated == deprecated)
            {
                let name = field_name(&param.wire_name);
                param.rust_name = if deprecated {
                    names.claim_deprecated(name)
                } else {
                    names.claim(name)
                };
            }
        }
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
        resolve(self.doc, param, at, diagnostics).cloned()
    }

    pub(super) fn body(
        &self,
        op: &openapiv3::Operation,
        builder: &str,
        types: &mut Types<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Body> {
        let at = self.pointer.join("requestBody");
        let body = resolve(self.doc, op.request_body.as_ref()?, &at, diagnostics)?;
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
        let encoding = match kind {
            BodyKind::Form => form_encoding(content, &at.join("content").join(media), diagnostics),
            _ => Vec::new(),
        };
        Some(Body {
            required: body.required,
            kind,
            ty,
            flattened,
            encoding,
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
        let entries: Vec<_> = entries.collect();
        // With one success body, it is `…Response`; several are told apart by status.
        let success_bodies = entries
            .iter()
            .filter(|(status, _, r)| {
                status.is_success() && r.as_item().is_none_or(|r| !r.content.is_empty())
            })
            .count();
        let has_success = entries.iter().any(|(status, _, _)| status.is_success());
        let mut out = Vec::new();
        for (status, key, response) in entries {
            let at = base.join(&key);
            let Some(response) = resolve(self.doc, response, &at, diagnostics) else {
                continue;
            };
            // A non-JSON payload (a file, text) is handed over as bytes.
            let non_json = (!response.content.is_empty()
                && json_content(&response.content).is_none())
            .then_some(TypeRef::Bytes);
            let body =
                json_content(&response.content).map(|(media, content)| match &content.schema {
                    Some(schema) => {
                        let hint =
                            response_type_name(builder, status, &key, success_bodies, has_success);
                        let schema_at = at.join("content").join(media).join("schema");
                        types.convert(schema, &schema_at, &hint).ty
                    }
                    None => TypeRef::Json,
                });
            let mut media_types: Vec<String> = Vec::new();
            for media in response.content.keys().map(|m| media_essence(m)) {
                if !media_types.contains(&media) {
                    media_types.push(media);
                }
            }
            out.push(Response {
                status,
                description: response.description.clone(),
                body: body.or(non_json),
                media_types,
            });
        }
        // `default` covers every status the operation does not list, success included: with no
        // 2XX (or documented redirect) listed, it is also what a 2XX reply carries (`responses: {default: …}` alone is
        // how some specs document success).
        if !out.iter().any(|r| r.status.is_ok()) {
            if let Some(default) = out.iter().find(|r| r.status == ResponseStatus::Default) {
                out.push(Response {
                    status: ResponseStatus::Status(StatusMatch::Class(2)),
                    ..default.clone()
                });
            }
        }
        out.sort_by_key(|r| r.status);
        out
    }
}

/// The name of an inline response body type: `{Builder}Response` for the one success body
/// (`…Response201` when there are several), `{Builder}NotFound` after the status's reason
/// phrase, `{Builder}ClientError` / `ServerError` for ranges, `{Builder}Error` for `default`
/// (or `{Builder}Response` when `default` is also what success carries).
fn response_type_name(
    builder: &str,
    status: ResponseStatus,
    key: &str,
    success_bodies: usize,
    has_success: bool,
) -> String {
    let suffix = match status {
        _ if status.is_success() && success_bodies <= 1 => "Response".to_owned(),
        _ if status.is_success() => format!("Response{}", key.to_ascii_uppercase()),
        ResponseStatus::Default if has_success => "Error".to_owned(),
        ResponseStatus::Default => "Response".to_owned(),
        ResponseStatus::Status(StatusMatch::Class(4)) => "ClientError".to_owned(),
        ResponseStatus::Status(StatusMatch::Class(5)) => "ServerError".to_owned(),
        ResponseStatus::Status(StatusMatch::Exact(code)) => {
            match http::StatusCode::from_u16(code)
                .ok()
                .and_then(|code| code.canonical_reason())
            {
                Some(reason) => type_name(reason),
                None => format!("Status{code}"),
            }
        }
        ResponseStatus::Status(StatusMatch::Class(class)) => format!("Status{class}XX"),
    };
    format!("{builder}{suffix}")
}

/// Where a parameter goes and how it is serialized.
fn param_style(param: &Parameter) -> (ParamLocation, QueryStyle) {
    let single = QueryStyle::Form { explode: false };
    match param {
        Parameter::Path { .. } => (ParamLocation::Path, single),
        Parameter::Query {
            style,
            parameter_data,
            ..
        } => (
            ParamLocation::Query,
            query_style(style, parameter_data.explode),
        ),
        Parameter::Header { .. } => (ParamLocation::Header, single),
        Parameter::Cookie { .. } => (ParamLocation::Cookie, single),
    }
}

/// What OpenAPI leaves undefined about a query parameter, and how the SDK sends it: an array
/// whose items are objects or arrays in `form`, `spaceDelimited` or `pipeDelimited` style,
/// which OpenAPI defines for arrays of primitive values only. Each item goes out as its JSON
/// text (`name={"a":1}`), which a server may or may not read.
fn undefined_query_items(
    name: &str,
    ty: &TypeRef,
    style: QueryStyle,
    defs: &BTreeMap<String, TypeDef>,
) -> Option<String> {
    let TypeRef::Array(items) = follow(ty, defs) else {
        return None;
    };
    let what = match follow(items, defs) {
        TypeRef::Array(_) | TypeRef::Tuple(_) => "arrays",
        TypeRef::Map(_) | TypeRef::JsonObject => "objects",
        TypeRef::Named(item) => match defs.get(item).map(|d| &d.kind) {
            Some(TypeKind::Struct { .. }) => "objects",
            _ => return None,
        },
        _ => return None,
    };
    let (style_name, how) = match style {
        QueryStyle::Form { explode: true } => (
            "form",
            format!("in a pair of its own (`{name}={{\"…\":…}}&{name}=…`)"),
        ),
        QueryStyle::Form { explode: false } => (
            "form",
            format!("the items joined by `,` in one pair (`{name}={{…}},{{…}}`)"),
        ),
        QueryStyle::SpaceDelimited => (
            "spaceDelimited",
            format!("the items joined by spaces in one pair (`{name}={{…}}%20{{…}}`)"),
        ),
        QueryStyle::PipeDelimited => (
            "pipeDelimited",
            format!("the items joined by `|` in one pair (`{name}={{…}}|{{…}}`)"),
        ),
        QueryStyle::DeepObject => return None,
    };
    Some(format!(
        "query parameter `{name}` is an array of {what}, which OpenAPI does not define for `{style_name}` style; the SDK sends each item as its JSON text, {how}"
    ))
}

/// `ty` through nullability, aliases and newtypes.
fn follow<'t>(mut ty: &'t TypeRef, defs: &'t BTreeMap<String, TypeDef>) -> &'t TypeRef {
    for _ in 0..32 {
        ty = match ty {
            TypeRef::Nullable(inner) => inner,
            TypeRef::Named(name) => match defs.get(name).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner) | TypeKind::Newtype(inner)) => inner,
                _ => return ty,
            },
            _ => return ty,
        };
    }
    ty
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
            let docs = match schema {
                ReferenceOr::Item(s) => types.value_docs(s),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
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

/// A query parameter's `style` and `explode` as one value. `explode` defaults to true for
/// `form` only; an exploded `spaceDelimited` or `pipeDelimited` array is written as repeated
/// keys, exactly as `form` writes it.
fn query_style(style: &openapiv3::QueryStyle, explode: Option<bool>) -> QueryStyle {
    use openapiv3::QueryStyle as Spec;
    let explode = explode.unwrap_or(matches!(style, Spec::Form));
    match style {
        Spec::Form => QueryStyle::Form { explode },
        Spec::SpaceDelimited | Spec::PipeDelimited if explode => QueryStyle::Form { explode },
        Spec::SpaceDelimited => QueryStyle::SpaceDelimited,
        Spec::PipeDelimited => QueryStyle::PipeDelimited,
        Spec::DeepObject => QueryStyle::DeepObject,
    }
}

/// The styles a form body's Encoding Object gives its properties. (`openapiv3` reads an
/// absent `explode` as `false`; an Encoding Object that names `style: form` is taken to mean
/// what it says about `explode`, one without `style` gets OpenAPI's default, exploded `form`.)
fn form_encoding(
    content: &openapiv3::MediaType,
    at: &Pointer,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, QueryStyle)> {
    let mut styles = Vec::new();
    for (property, encoding) in &content.encoding {
        if let Some(media) = encoding
            .content_type
            .as_deref()
            .filter(|m| media_essence(m) != "text/plain")
        {
            diagnostics.push(
                Diagnostic::warning(
                    at.join("encoding").join(property).join("contentType"),
                    format!("form property `{property}` with content type `{media}` is not supported yet; it is sent form-encoded"),
                )
                .with_help("remove `contentType`, or send the value pre-encoded as a string"),
            );
        }
        let style = match &encoding.style {
            Some(style) => query_style(style, Some(encoding.explode)),
            None => QueryStyle::Form { explode: true },
        };
        styles.push((property.clone(), style));
    }
    styles
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
    let mut scope = places::operation_methods();
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
    let mut builders = places::builders(&group.type_name);
    for (op, name) in group.operations.iter_mut().zip(names) {
        op.method_name = name;
        op.builder_name = builders.claim(op.builder_name.clone());
    }
}

/// Words that only make sense next to the group's words: left dangling once those are taken
/// out (`getAnAccount` → `get_an`, `listUsersForOrg` → `list_users_for`), they go too.
const DANGLING: &[&str] = &[
    "a", "an", "the", "for", "by", "of", "in", "on", "to", "from", "with", "and", "or",
];

/// Words that name the caller (`save_tracks_user`, `get_playlists_me`), not what a call acts on.
const CALLER: &[&str] = &["user", "me", "my", "current", "self", "current_user"];

/// `words` without an occurrence of `run` at their start, at their end or right after a
/// leading verb (and the words left dangling by it), if there is one. A run elsewhere stays.
fn strip_run(words: &[String], run: &[String]) -> Option<Vec<String>> {
    if run.is_empty() || run.len() > words.len() {
        return None;
    }
    let mut rest = if words.ends_with(run) {
        let mut rest = words[..words.len() - run.len()].to_vec();
        while rest.len() > 1 && rest.last().is_some_and(|w| DANGLING.contains(&w.as_str())) {
            rest.pop();
        }
        rest
    } else if words.starts_with(run) {
        words[run.len()..].to_vec()
    } else {
        // Right after a leading verb (`update_organization_membership_metadata` →
        // `update_metadata`, `get_users_by_id` → `get_by_id`). A word naming the caller left
        // at the end goes too: `save_tracks_user` saves tracks for the user, it does not save
        // a user.
        let (verb, object) = words.split_first()?;
        if !object.starts_with(run) {
            return None;
        }
        let mut rest = vec![verb.clone()];
        rest.extend_from_slice(&object[run.len()..]);
        if rest.len() == 2 && CALLER.contains(&rest[1].as_str()) {
            rest.pop();
        }
        rest
    };
    if words.starts_with(run) {
        while rest.len() > 1 && rest.first().is_some_and(|w| DANGLING.contains(&w.as_str())) {
            rest.remove(0);
        }
    }
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
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            reach(inner, types, seen)
        }
        TypeRef::Tuple(items) => {
            for item in items {
                reach(item, types, seen);
            }
        }
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

/// Webhook payloads are received (decoded from the API's requests): like response bodies,
/// they must not refuse a field the API adds.
fn received_as_webhooks(types: &mut TypeTable, webhooks: &[super::Webhook]) {
    let mut received = BTreeSet::new();
    for payload in webhooks.iter().filter_map(|w| w.payload.as_ref()) {
        reach(payload, types, &mut received);
    }
    for def in types.iter_mut().filter(|d| received.contains(&d.name)) {
        if let TypeKind::Struct {
            deny_unknown_fields,
            ..
        } = &mut def.kind
        {
            *deny_unknown_fields = false;
        }
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
                // `Option<T>` holds its value in place, like `T`.
                TypeRef::Nullable(inner) => stack.push((inner, bare)),
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
    // The types a value holds in place: a named type, or those of a tuple's items.
    fn by_value(ty: &TypeRef, types: &TypeTable) -> Vec<usize> {
        match ty {
            TypeRef::Named(name) => types.position(name).into_iter().collect(),
            TypeRef::Tuple(items) => items.iter().flat_map(|t| by_value(t, types)).collect(),
            TypeRef::Nullable(inner) => by_value(inner, types),
            _ => Vec::new(),
        }
    }
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct { fields, .. } => {
                fields.iter().flat_map(|f| by_value(&f.ty, types)).collect()
            }
            TypeKind::Union { variants, .. } => variants
                .iter()
                .flat_map(|v| by_value(&v.ty, types))
                .collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => by_value(ty, types),
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
        let targets: Vec<Vec<usize>> = match &def.kind {
            TypeKind::Struct { fields, .. } => {
                fields.iter().map(|f| by_value(&f.ty, types)).collect()
            }
            TypeKind::Union { variants, .. } => {
                variants.iter().map(|v| by_value(&v.ty, types)).collect()
            }
            _ => Vec::new(),
        };
        for (slot, target) in targets.into_iter().enumerate() {
            if target.into_iter().any(|t| reaches(t, owner)) {
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
        .filter(|r| !r.status.is_ok())
        .filter_map(|r| match &r.body {
            Some(TypeRef::Named(name)) => Some(name.clone()),
            _ => None,
        })
        .collect();
    set.into_iter().collect()
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

#[cfg(test)]
mod tests {
    use super::build;
    use crate::model::{Api, Presence, TypeKind};

    fn api(paths: &str, schemas: &str) -> Api {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:{paths}\ncomponents:\n  schemas:{schemas}\n"
        );
        let document = crate::load::load(spec.as_bytes(), "t.yaml").expect("the spec loads");
        build(document, &Default::default())
            .expect("the model builds")
            .0
    }

    /// `(operationId, method, builder)` of each operation of the group tagged `tag`.
    fn names(api: &Api, tag: &str) -> Vec<(String, String, String)> {
        let group = api.groups.iter().find(|g| g.tag == tag).expect("the group");
        group
            .operations
            .iter()
            .map(|op| {
                (
                    op.id.clone(),
                    op.method_name.clone(),
                    op.builder_name.clone(),
                )
            })
            .collect()
    }

    fn get(path: &str, id: &str, tag: &str, extra: &str) -> String {
        format!(
            "\n  {path}:\n    get:\n      operationId: {id}\n      tags: ['{tag}']{extra}\n      responses: {{'204': {{description: ok}}}}"
        )
    }

    #[test]
    fn name_methods_takes_the_group_words_out() {
        let paths = [
            get(
                "/a",
                "ListOrganizationMemberships",
                "Organization Memberships",
                "",
            ),
            get(
                "/b",
                "GetOrganizationMembership",
                "Organization Memberships",
                "",
            ),
            get(
                "/c",
                "organizationMembershipsMerge",
                "Organization Memberships",
                "",
            ),
            get(
                "/d",
                "OrganizationMemberships",
                "Organization Memberships",
                "",
            ),
            get(
                "/e",
                "DeleteOrganizationMembership",
                "Organization Memberships",
                "\n      x-speakeasy-name-override: remove",
            ),
        ]
        .concat();
        let api = api(&paths, " {}");
        let methods: Vec<String> = names(&api, "Organization Memberships")
            .into_iter()
            .map(|(_, method, _)| method)
            .collect();
        // Plural and singular runs go; nothing left means the whole operationId; an override
        // wins.
        assert_eq!(
            methods,
            ["list", "get", "merge", "organization_memberships", "remove"]
        );
    }

    #[test]
    fn name_methods_falls_back_to_the_operation_id_on_collisions_and_reserved_names() {
        let paths = [
            get("/a", "GetUsers", "Users", ""),
            get("/b", "GetUser", "Users", ""),
            get("/c", "newUser", "Users", ""),
            get("/d", "cloneUsers", "Users", ""),
            get("/e", "get-thing", "Users", ""),
            get("/f", "getThing", "Users", ""),
            get("/g", "Users", "Users", ""),
        ]
        .concat();
        let api = api(&paths, " {}");
        assert_eq!(
            names(&api, "Users"),
            [
                // Both strip to `get`: both keep their whole operationId.
                ("GetUsers", "get_users", "GetUsers"),
                ("GetUser", "get_user", "GetUser"),
                // `new` and `clone` are the group type's own.
                ("newUser", "new2", "NewUser"),
                ("cloneUsers", "clone2", "CloneUsers"),
                // Two ids that case alike: methods and builders get numbered.
                ("get-thing", "get_thing", "GetThing"),
                ("getThing", "get_thing2", "GetThing2"),
                // The builder cannot share the group type's name.
                ("Users", "users", "Users2"),
            ]
            .map(|(id, method, builder)| (
                id.to_owned(),
                method.to_owned(),
                builder.to_owned()
            ))
        );
    }

    /// Tag words go from the start or the end of an operationId or right after its verb, with
    /// the little words they leave dangling; a run elsewhere stays.
    #[test]
    fn name_methods_strips_tag_words_only_where_the_rest_still_reads() {
        let paths = [
            get("/a", "getAnAccount", "Accounts", ""),
            get("/b", "listAccountsForUser", "Accounts", ""),
            get("/c", "saveAccountsUser", "Accounts", ""),
            get("/g", "refreshAccountsToken", "Accounts", ""),
            get("/h", "getUserAccountsCount", "Accounts", ""),
            get("/d", "getAccountsByEmail", "Accounts", ""),
            get("/e", "accountsSearch", "Accounts", ""),
            get("/f", "getTheAccount", "Accounts", ""),
        ]
        .concat();
        let api = api(&paths, " {}");
        let methods: Vec<String> = names(&api, "Accounts")
            .into_iter()
            .map(|(_, method, _)| method)
            .collect();
        assert_eq!(
            methods,
            [
                // Both would be `get`: both keep their whole operationId.
                "get_an_account",
                "list_for_user",
                "save",
                "refresh_token",
                // A run after two words stays.
                "get_user_accounts_count",
                "get_by_email",
                "search",
                "get_the_account"
            ]
        );
        // Alone in their group, the first and the last strip cleanly.
        let api = super::tests::api(
            &[
                get("/a", "getAnAccount", "Accounts", ""),
                get("/f", "listTheAccounts", "Accounts", ""),
            ]
            .concat(),
            " {}",
        );
        let methods: Vec<String> = names(&api, "Accounts")
            .into_iter()
            .map(|(_, method, _)| method)
            .collect();
        assert_eq!(methods, ["get", "list"]);
    }

    /// Operations without tags are grouped by their first literal path segment (versions
    /// skipped, singular and plural together) and, without a telling operationId, named
    /// REST-style; never one `default` group.
    #[test]
    fn untagged_operations_are_grouped_by_path() {
        const ID: &str =
            "\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}]";
        let op = |method: &str, id: Option<&str>| {
            let id = id.map_or_else(String::new, |id| format!("\n      operationId: {id}"));
            format!("\n    {method}:{id}\n      responses: {{'204': {{description: ok}}}}")
        };
        let paths = [
            format!(
                "\n  /v1/widgets:{}{}",
                op("get", None),
                op("post", Some("PostWidgets"))
            ),
            format!(
                "\n  /v1/widgets/{{id}}:{ID}{}{}",
                op("get", None),
                op("delete", None)
            ),
            format!(
                "\n  /v1/widget/{{id}}/parts:{ID}{}",
                op("post", Some("post_widget_id_parts"))
            ),
            format!("\n  /v1/widgets/{{id}}/cancel:{ID}{}", op("post", None)),
            format!("\n  /v2beta/orders:{}", op("get", Some("findOrders"))),
            format!("\n  /:{}", op("get", None)),
        ]
        .concat();
        let api = api(&paths, " {}");
        let groups: Vec<(&str, Vec<&str>)> = api
            .groups
            .iter()
            .map(|g| {
                (
                    g.method.as_str(),
                    g.operations
                        .iter()
                        .map(|o| o.method_name.as_str())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            groups,
            [
                (
                    "widgets",
                    vec![
                        "list",
                        "create",
                        "retrieve",
                        "delete",
                        "cancel",
                        "create_part"
                    ]
                ),
                ("orders", vec!["find"]),
                ("api", vec!["retrieve"]),
            ]
        );
    }

    /// Inline response bodies are named by their role, union members by what they say about
    /// themselves, enum values without letters by their symbols; long names are capped.
    #[test]
    fn inline_types_are_named_by_role() {
        let obj = "{type: object, properties: {a: {type: string}}}";
        let json = |schema: &str| {
            format!("{{content: {{application/json: {{schema: {schema}}}}}, description: x}}")
        };
        let long = "Very".repeat(20);
        let paths = format!(
            "\n  /a:\n    get:\n      operationId: getThing\n      tags: [t]\n      responses: {{'200': {ok}, '404': {nf}, '4XX': {ce}, default: {de}}}\n  /b:\n    get:\n      operationId: twoKinds\n      tags: [t]\n      responses: {{'200': {ok}, '201': {ok}}}\n  /c:\n    get:\n      operationId: {long}\n      tags: [t]\n      responses: {{'200': {nested}}}",
            ok = json(obj),
            nf = json(obj),
            ce = json(obj),
            de = json(obj),
            nested = json(
                "{type: object, properties: {someLongPropertyName: {type: object, properties: {x: {type: string}}}}}"
            ),
        );
        let schemas = "\n    U:\n      oneOf:\n        - {type: object, properties: {type: {type: string, enum: [range_to]}, end: {type: number}}}\n        - {type: object, properties: {ok: {type: string}}}\n        - {type: string, enum: [none]}\n        - {type: object, title: Custom Thing}\n        - {type: object, properties: {p: {type: string}, q: {type: string}}}\n    E: {type: string, enum: ['', '*', '>=', '-1', '1']}";
        let api = api(&paths, schemas);
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        for expected in [
            "GetThingResponse",
            "GetThingNotFound",
            "GetThingClientError",
            "GetThingError",
            "TwoKindsResponse200",
            "TwoKindsResponse201",
        ] {
            assert!(names.contains(&expected), "{expected} in {names:?}");
        }
        assert!(
            names
                .iter()
                .all(|n| n.len() <= crate::model::names::MAX_TYPE_NAME),
            "{names:?}"
        );
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("VeryVery") && n.ends_with("SomeLongPropertyName")),
            "{names:?}"
        );
        let variants = |name: &str| -> Vec<String> {
            match &api.type_def(name).expect("the type").kind {
                TypeKind::Union { variants, .. } => {
                    variants.iter().map(|v| v.rust_name.clone()).collect()
                }
                TypeKind::Enum { variants } => {
                    variants.iter().map(|v| v.rust_name.clone()).collect()
                }
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(
            variants("U"),
            ["RangeTo", "Ok", "None", "CustomThing", "Variant4"]
        );
        assert_eq!(
            variants("E"),
            ["Empty", "Asterisk", "GreaterThanEquals", "Minus1", "T1"]
        );
    }

    /// `(presence, deny_unknown_fields)` of the type `name`'s field `field`.
    fn settled(api: &Api, name: &str, field: &str) -> (Presence, bool) {
        let def = api.type_def(name).expect("the type");
        let TypeKind::Struct {
            fields,
            deny_unknown_fields,
        } = &def.kind
        else {
            panic!("{name} is not a struct: {:?}", def.kind)
        };
        let field = fields
            .iter()
            .find(|f| f.wire_name == field)
            .expect("the field");
        (field.presence, *deny_unknown_fields)
    }

    #[test]
    fn settle_directions_keeps_tri_states_and_closed_objects_for_sent_types_only() {
        let schema = |name: &str| {
            format!(
                "\n    {name}:\n      type: object\n      additionalProperties: false\n      properties:\n        note: {{type: string, nullable: true}}"
            )
        };
        let schemas = [
            schema("Sent"),
            schema("Received"),
            schema("Both"),
            schema("Unused"),
            schema("Inner"),
            schema("InUnion"),
            "\n    SentWrapper:\n      type: object\n      properties:\n        items: {type: array, items: {$ref: '#/components/schemas/Inner'}}\n        either: {oneOf: [{$ref: '#/components/schemas/InUnion'}, {type: string}]}".to_owned(),
        ]
        .concat();
        let response = |name: &str| {
            format!(
                "\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{name}'}}"
            )
        };
        let body = |name: &str| {
            format!(
                "\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/{name}'}}"
            )
        };
        let op = |path: &str, id: &str, sends: Option<&str>, receives: &str| {
            format!(
                "\n  {path}:\n    post:\n      operationId: {id}{}{}",
                sends.map(body).unwrap_or_default(),
                response(receives)
            )
        };
        let paths = [
            op("/a", "a", Some("Sent"), "Received"),
            op("/b", "b", Some("Both"), "Both"),
            op("/c", "c", Some("SentWrapper"), "Received"),
        ]
        .concat();
        let api = api(&paths, &schemas);
        // Sent only: `null` and absent stay apart, unknown fields are refused.
        assert_eq!(
            settled(&api, "Sent", "note"),
            (Presence::OptionalNullable, true)
        );
        // Received (also) or never used: both decode as `None`, and a server adding a field
        // must not break decoding.
        assert_eq!(
            settled(&api, "Received", "note"),
            (Presence::Optional, false)
        );
        assert_eq!(
            settled(&api, "Both", "note"),
            (Presence::OptionalNullable, false)
        );
        assert_eq!(settled(&api, "Unused", "note"), (Presence::Optional, false));
        // Reached through an array and a union of a sent type: sent.
        assert_eq!(
            settled(&api, "Inner", "note"),
            (Presence::OptionalNullable, true)
        );
        assert_eq!(
            settled(&api, "InUnion", "note"),
            (Presence::OptionalNullable, true)
        );
    }
}
