//! Pagination: which operations get `stream()`, by which strategy, and why the others do not.
//!
//! An operation's strategy comes, in this order, from `[pagination]` in `sdkgen.toml`, from its
//! `x-speakeasy-pagination` extension, or from detection. Detection is deliberately
//! conservative: it looks at GET operations whose success body is a list (an array, or an
//! object holding one) and needs both halves of a strategy, a query parameter that moves
//! and what moves it (a response field of the same type, a total, a page size, a `Link`
//! header). An operation that shows signs of paging but does not qualify gets no `stream()`
//! and a note naming the override that would give it one.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use super::{
    Api, CursorSource, Field, FieldPath, ListShape, Pagination, PaginationSource, Param,
    ParamLocation, Response, Strategy, Success, TypeDef, TypeKind, TypeRef,
};
use crate::config::{PAGING_STRATEGIES, PagingRule};
use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};

type Defs = BTreeMap<String, TypeDef>;

/// Query parameters that move an offset.
const OFFSET: &[&str] = &["offset", "skip"];
/// Query parameters that set the page size.
const LIMIT: &[&str] = &[
    "limit",
    "pagesize",
    "perpage",
    "pagelimit",
    "maxresults",
    "maxitems",
];
/// Query parameters that number pages (integers).
const PAGE: &[&str] = &["page", "pagenumber", "pagenum", "pageno"];
/// Query parameters that take a cursor.
const CURSOR: &[&str] = &[
    "after",
    "startingafter",
    "cursor",
    "marker",
    "continuation",
    "continuationtoken",
    "nexttoken",
];
/// Query parameters that take a page token (and `page` when it is a string).
const TOKEN: &[&str] = &["pagetoken", "nextpagetoken"];
/// Response fields with the next page token.
const NEXT_TOKEN: &[&str] = &["nextpage", "nextpagetoken", "nexttoken"];
/// Response fields with the next cursor, besides `next<param>` and `<param>` under `cursors`.
const NEXT_CURSOR: &[&str] = &[
    "nextcursor",
    "endcursor",
    "nextpagetoken",
    "nexttoken",
    "next",
];
/// Response fields with the next page's URL.
const NEXT_URL: &[&str] = &[
    "next",
    "nexturl",
    "nextpageurl",
    "nextpageuri",
    "nextlink",
    "odatanextlink",
    "nexthref",
];
/// Response booleans that say whether another page follows.
const HAS_MORE: &[&str] = &["hasmore", "hasnextpage", "hasnext", "moreavailable"];
/// Response fields with the total number of items. Not `count`: some APIs mean the page's.
const TOTAL: &[&str] = &[
    "total",
    "totalcount",
    "totalresults",
    "totalitems",
    "totalsize",
    "totalentries",
];
/// Response fields with the number of pages.
const TOTAL_PAGES: &[&str] = &["totalpages", "pagecount", "numpages", "pages"];
/// Names that mark the array of results when a body holds several arrays.
const ITEM_NAMES: &[&str] = &[
    "items", "data", "entries", "results", "records", "values", "elements", "content", "list",
    "nodes", "rows", "objects", "hits",
];

/// What one operation brings to detection.
pub(super) struct Input<'a> {
    pub doc: &'a OpenAPI,
    pub op: &'a openapiv3::Operation,
    pub id: &'a str,
    pub method: &'a str,
    pub pointer: &'a Pointer,
    pub params: &'a [Param],
    pub responses: &'a [Response],
    pub defs: &'a Defs,
    pub rule: Option<&'a PagingRule>,
}

/// Decides an operation's pagination, and reports what it left out (notes) or could not use
/// (warnings, errors for a broken `sdkgen.toml` rule).
pub(super) fn detect(
    input: &Input<'_>,
    diagnostics: &mut Diagnostics,
) -> (Option<Pagination>, ListShape) {
    let extension = input.op.extensions.get("x-speakeasy-pagination");
    let body = success_body(input.responses);
    let list = match body {
        Some(body) => find_list(body, input.defs, None),
        None => Found::NotList,
    };
    let ctx = body.map(|body| Ctx::new(input, body, &list));

    if let Some(rule) = input.rule.filter(|r| r.strategy == "off") {
        let _ = rule;
        return (
            None,
            ListShape::Paged {
                left_out: Some("turned off in sdkgen.toml".to_owned()),
            },
        );
    }
    if let Some(rule) = input.rule {
        let rule_at = format!("sdkgen.toml [pagination] {}", input.id);
        let result = match &ctx {
            None => Err("its success responses do not have one JSON body".to_owned()),
            Some(ctx) => ctx.follow_rule(rule),
        };
        return match result {
            Ok(pagination) => (pagination, ListShape::Paged { left_out: None }),
            Err(why) => {
                diagnostics.push(
                    Diagnostic::error(
                        input.pointer,
                        format!("{rule_at}: cannot page `{}`: {why}", input.id),
                    )
                    .with_help(format!(
                        "fix the rule (strategy one of {}; items, param, limit, next, last_item, has_more, total name wire parameters and dot-separated response fields), or remove it",
                        PAGING_STRATEGIES.join(", ")
                    )),
                );
                (
                    None,
                    ListShape::Paged {
                        left_out: Some(why),
                    },
                )
            }
        };
    }

    if let Some(value) = extension {
        let at = input.pointer.join("x-speakeasy-pagination");
        let result = match &ctx {
            None => Err("the success responses do not have one JSON body".to_owned()),
            Some(ctx) => ctx.follow_extension(value),
        };
        return match result {
            Ok(pagination) => (Some(pagination), ListShape::Paged { left_out: None }),
            Err(why) => {
                diagnostics.push(
                    Diagnostic::warning(
                        at,
                        format!("x-speakeasy-pagination cannot be followed: {why}; `{}` gets no `stream()`", input.id),
                    )
                    .with_help(format!(
                        "fix the extension, or describe the paging in sdkgen.toml under [pagination] {}",
                        input.id
                    )),
                );
                (
                    None,
                    ListShape::Paged {
                        left_out: Some(why),
                    },
                )
            }
        };
    }

    let Some(ctx) = ctx else {
        return (None, ListShape::NotList);
    };
    let signals = ctx.signals();
    let list = match &list {
        Found::List(list) => list,
        Found::NotList => return (None, ListShape::NotList),
        Found::Ambiguous(why) if !signals.is_empty() => {
            let why = why.clone();
            note(input, &ctx, &signals, &why, diagnostics);
            return (
                None,
                ListShape::Paged {
                    left_out: Some(why),
                },
            );
        }
        Found::Ambiguous(_) => return (None, ListShape::NotList),
    };
    if signals.is_empty() {
        return (None, ListShape::Unpaged);
    }
    if !input.method.eq_ignore_ascii_case("get") {
        let why = format!(
            "it is a {} operation, and repeating one to fetch pages is not assumed to be safe",
            input.method.to_ascii_uppercase()
        );
        note(input, &ctx, &signals, &why, diagnostics);
        return (
            None,
            ListShape::Paged {
                left_out: Some(why),
            },
        );
    }
    match ctx.detect() {
        Ok(strategy) => (
            Some(Pagination {
                strategy,
                items: list.items.clone(),
                item_ty: list.item_ty.clone(),
                source: PaginationSource::Detected,
            }),
            ListShape::Paged { left_out: None },
        ),
        Err(why) => {
            note(input, &ctx, &signals, &why, diagnostics);
            (
                None,
                ListShape::Paged {
                    left_out: Some(why),
                },
            )
        }
    }
}

/// The note for a list that looks paged but gets no `stream()`.
fn note(
    input: &Input<'_>,
    ctx: &Ctx<'_>,
    signals: &[String],
    why: &str,
    diagnostics: &mut Diagnostics,
) {
    diagnostics.push(
        Diagnostic::note(
            input.pointer,
            format!(
                "`{}` looks paged ({}) but gets no `stream()`: {why}",
                input.id,
                signals.join(", ")
            ),
        )
        .with_help(format!(
            "if it pages, describe how in sdkgen.toml, e.g. `[pagination] {id} = {{ {} }}` (strategies: {}); `{id} = \"off\"` silences this note",
            ctx.suggestion(),
            PAGING_STRATEGIES[1..].join(", "),
            id = input.id,
        )),
    );
}

/// The success body type, when every success response has the same one.
fn success_body(responses: &[Response]) -> Option<&TypeRef> {
    match Success::of(responses) {
        Success::One(body) => Some(body),
        _ => None,
    }
}

/// `ty` with aliases followed (a bounded number of times: alias cycles are errors elsewhere).
fn resolve<'d>(mut ty: &'d TypeRef, defs: &'d Defs) -> &'d TypeRef {
    for _ in 0..32 {
        match ty {
            TypeRef::Named(name) => match defs.get(name).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// The fields of a struct type (through aliases).
fn fields_of<'d>(ty: &'d TypeRef, defs: &'d Defs) -> Option<&'d [Field]> {
    match resolve(ty, defs) {
        TypeRef::Named(name) => match &defs.get(name)?.kind {
            TypeKind::Struct { fields, .. } => Some(fields),
            _ => None,
        },
        _ => None,
    }
}

/// `PageToken`, `page_token`, `page-token` → `pagetoken`.
fn norm(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// An integer, or a `number`: some specs type counts and offsets so (Clerk's `offset`,
/// `limit` and `total_count` on its API key lists); `stream()` converts them.
fn is_count(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::I64 | TypeRef::I32 | TypeRef::F64)
}

/// Where the items are, if the body is a list.
#[derive(Clone, Debug)]
struct List {
    items: FieldPath,
    item_ty: TypeRef,
}

#[derive(Clone, Debug)]
enum Found {
    List(List),
    NotList,
    /// Several arrays, none of them clearly the results.
    Ambiguous(String),
}

/// The array of results in `body`: the body itself, its only array field (or the one named
/// like results when there are several), or that of its only field that holds such an object
/// (Spotify's `{albums: {items: […]}}`). `wanted` (wire path) skips the search.
fn find_list(body: &TypeRef, defs: &Defs, wanted: Option<&str>) -> Found {
    if let Some(wanted) = wanted {
        if wanted.is_empty() {
            return match resolve(body, defs) {
                TypeRef::Array(item) => Found::List(List {
                    items: FieldPath::default(),
                    item_ty: (**item).clone(),
                }),
                _ => Found::Ambiguous("the body is not an array".to_owned()),
            };
        }
        return match field_path(body, wanted, defs) {
            Some((path, TypeRef::Array(item))) => Found::List(List {
                items: path,
                item_ty: (*item).clone(),
            }),
            Some(_) => Found::Ambiguous(format!("`{wanted}` is not an array")),
            None => Found::Ambiguous(format!("the body has no field `{wanted}`")),
        };
    }
    if let TypeRef::Array(item) = resolve(body, defs) {
        return Found::List(List {
            items: FieldPath::default(),
            item_ty: (**item).clone(),
        });
    }
    let Some(fields) = fields_of(body, defs) else {
        return Found::NotList;
    };
    // An object with an `id` is a resource (an album with its images, a folder with its
    // tags), not a page of results, unless its array is named like results.
    let resource = fields.iter().any(|f| f.wire_name == "id");
    match pick_array(fields, defs) {
        Pick::One(field, item, named) if named || !resource => Found::List(List {
            items: FieldPath::of(&[field]),
            item_ty: item,
        }),
        Pick::One(..) | Pick::Many => Found::NotList,
        Pick::None if resource => Found::NotList,
        Pick::None => {
            let nested: Vec<(List, bool)> = fields
                .iter()
                .filter_map(|outer| {
                    let inner = fields_of(&outer.ty, defs)?;
                    match pick_array(inner, defs) {
                        Pick::One(field, item, named) => Some((
                            List {
                                items: FieldPath::of(&[outer, field]),
                                item_ty: item,
                            },
                            named,
                        )),
                        _ => None,
                    }
                })
                .collect();
            let named: Vec<&List> = nested.iter().filter(|(_, n)| *n).map(|(l, _)| l).collect();
            // `{albums: {items: […]}}` is a wrapped list; in `{response: …, client: {sessions:
            // […]}}` the sessions are a side dish, unless named like results.
            let objects = fields
                .iter()
                .filter(|f| match resolve(&f.ty, defs) {
                    TypeRef::Named(name) => matches!(
                        defs.get(name).map(|d| &d.kind),
                        Some(TypeKind::Struct { .. } | TypeKind::Union { .. })
                    ),
                    _ => false,
                })
                .count();
            match (nested.as_slice(), named.as_slice()) {
                ([], _) => Found::NotList,
                ([(one, named)], _) if *named || objects == 1 => Found::List(one.clone()),
                ([_], _) => Found::NotList,
                (_, [one]) => Found::List((*one).clone()),
                (several, _) => Found::Ambiguous(format!(
                    "the body holds several lists ({})",
                    several
                        .iter()
                        .map(|(l, _)| format!("`{}`", l.items.wire))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
    }
}

enum Pick<'d> {
    None,
    /// The array, its item type, and whether it is named like results.
    One(&'d Field, TypeRef, bool),
    /// Several arrays, none (or more than one) named like results.
    Many,
}

fn pick_array<'d>(fields: &'d [Field], defs: &Defs) -> Pick<'d> {
    let arrays: Vec<(&Field, &TypeRef)> = fields
        .iter()
        .filter_map(|f| match resolve(&f.ty, defs) {
            TypeRef::Array(item) => Some((f, &**item)),
            _ => None,
        })
        .collect();
    let named: Vec<&(&Field, &TypeRef)> = arrays
        .iter()
        .filter(|(f, _)| ITEM_NAMES.contains(&norm(&f.wire_name).as_str()))
        .collect();
    match (arrays.as_slice(), named.as_slice()) {
        ([], _) => Pick::None,
        ([(f, item)], _) => Pick::One(
            f,
            (*item).clone(),
            ITEM_NAMES.contains(&norm(&f.wire_name).as_str()),
        ),
        (_, [(f, item)]) => Pick::One(f, (*item).clone(), true),
        _ => Pick::Many,
    }
}

impl FieldPath {
    fn of(fields: &[&Field]) -> Self {
        FieldPath {
            rust: fields.iter().map(|f| f.rust_name.clone()).collect(),
            wire: fields
                .iter()
                .map(|f| f.wire_name.as_str())
                .collect::<Vec<_>>()
                .join("."),
        }
    }
}

/// The field at a dot-separated wire path from `ty`, and its (resolved) type.
fn field_path(ty: &TypeRef, wire: &str, defs: &Defs) -> Option<(FieldPath, TypeRef)> {
    let mut current = ty;
    let mut fields = Vec::new();
    for segment in wire.split('.') {
        let field = fields_of(current, defs)?
            .iter()
            .find(|f| f.wire_name == segment)?;
        fields.push(field);
        current = &field.ty;
    }
    Some((FieldPath::of(&fields), resolve(current, defs).clone()))
}

/// A scalar response field that may steer paging.
#[derive(Clone, Debug)]
struct Leaf {
    path: FieldPath,
    /// Normalized name of the field's parent object (`cursors`), empty at the top.
    parent: String,
    norm: String,
    ty: TypeRef,
    /// Absent or `null` is allowed (how a next-page field says "no more").
    may_be_absent: bool,
}

/// Scalar fields of the body up to three levels deep, outside arrays, shallowest first.
fn leaves(body: &TypeRef, defs: &Defs) -> Vec<Leaf> {
    fn walk<'d>(
        ty: &'d TypeRef,
        defs: &'d Defs,
        prefix: &mut Vec<&'d Field>,
        parent: &str,
        out: &mut Vec<Leaf>,
    ) {
        let Some(fields) = fields_of(ty, defs) else {
            return;
        };
        for field in fields {
            prefix.push(field);
            match resolve(&field.ty, defs) {
                scalar @ (TypeRef::String
                | TypeRef::I64
                | TypeRef::I32
                | TypeRef::Bool
                | TypeRef::F64
                | TypeRef::F32) => out.push(Leaf {
                    path: FieldPath::of(prefix),
                    parent: parent.to_owned(),
                    norm: norm(&field.wire_name),
                    ty: scalar.clone(),
                    may_be_absent: !field.presence.always_present(),
                }),
                TypeRef::Named(_) if prefix.len() < 3 => {
                    walk(&field.ty, defs, prefix, &norm(&field.wire_name), out)
                }
                _ => {}
            }
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    walk(body, defs, &mut Vec::new(), "", &mut out);
    out.sort_by_key(|leaf| leaf.path.rust.len());
    out
}

/// Everything detection looks at for one operation.
struct Ctx<'a> {
    input: &'a Input<'a>,
    body: &'a TypeRef,
    list: Option<List>,
    leaves: Vec<Leaf>,
    link_header: bool,
    /// `x-dropshot-pagination`: scan parameters go in the first request only.
    dropshot: bool,
}

impl<'a> Ctx<'a> {
    fn new(input: &'a Input<'a>, body: &'a TypeRef, list: &Found) -> Self {
        Ctx {
            input,
            body,
            list: match list {
                Found::List(list) => Some(list.clone()),
                _ => None,
            },
            leaves: leaves(body, input.defs),
            link_header: declares_link_header(input.doc, input.op),
            dropshot: input.op.extensions.contains_key("x-dropshot-pagination"),
        }
    }

    fn ty(&self, ty: &'a TypeRef) -> &'a TypeRef {
        resolve(ty, self.input.defs)
    }

    /// The query parameter whose normalized name is one of `names` and whose type fits.
    fn param(&self, names: &[&str], fits: impl Fn(&TypeRef) -> bool) -> Option<&'a Param> {
        self.input.params.iter().find(|p| {
            p.location == ParamLocation::Query
                && names.contains(&norm(&p.wire_name).as_str())
                && fits(self.ty(&p.ty))
        })
    }

    /// The query parameter with this wire name.
    fn named_param(&self, wire: &str) -> Result<&'a Param, String> {
        self.input
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.wire_name == wire)
            .ok_or_else(|| format!("it has no query parameter `{wire}`"))
    }

    /// The first leaf (shallowest) whose name is one of `names` and whose type fits.
    fn leaf(&self, names: &[&str], fits: impl Fn(&Leaf) -> bool) -> Option<&Leaf> {
        self.leaves
            .iter()
            .find(|l| names.contains(&l.norm.as_str()) && fits(l))
    }

    /// The response field at this wire path, checked with `fits` (which says what it wants).
    fn named_field(
        &self,
        wire: &str,
        fits: impl Fn(&TypeRef) -> bool,
        wants: &str,
    ) -> Result<FieldPath, String> {
        match field_path(self.body, wire, self.input.defs) {
            Some((path, ty)) if fits(&ty) => Ok(path),
            Some(_) => Err(format!("response field `{wire}` is not {wants}")),
            None => Err(format!("the response has no field `{wire}`")),
        }
    }

    /// What makes the operation look paged: parameter and field names, extensions, headers.
    fn signals(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .input
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
            .filter(|p| {
                let n = norm(&p.wire_name);
                [OFFSET, PAGE, CURSOR, TOKEN]
                    .iter()
                    .any(|names| names.contains(&n.as_str()))
            })
            .map(|p| format!("query parameter `{}`", p.wire_name))
            .collect();
        out.extend(
            self.leaves
                .iter()
                .filter(|l| {
                    [NEXT_TOKEN, NEXT_CURSOR, NEXT_URL, HAS_MORE]
                        .iter()
                        .any(|names| names.contains(&l.norm.as_str()))
                        || l.norm.starts_with("next")
                })
                .map(|l| format!("response field `{}`", l.path.wire)),
        );
        if self.link_header {
            out.push("a `Link` response header".to_owned());
        }
        if self.dropshot {
            out.push("`x-dropshot-pagination`".to_owned());
        }
        out
    }

    /// A `[pagination]` rule to start from, for a note: the moving parameter it saw, and a
    /// placeholder for what it could not find.
    fn suggestion(&self) -> String {
        let moving = self.input.params.iter().find_map(|p| {
            let n = norm(&p.wire_name);
            let strategy = if OFFSET.contains(&n.as_str()) {
                "offset"
            } else if PAGE.contains(&n.as_str()) && is_count(self.ty(&p.ty)) {
                "page"
            } else if CURSOR.contains(&n.as_str()) {
                "cursor"
            } else if TOKEN.contains(&n.as_str()) || n == "page" {
                "page-token"
            } else {
                return None;
            };
            (p.location == ParamLocation::Query).then_some((strategy, p.wire_name.as_str()))
        });
        let items = match &self.list {
            Some(_) => String::new(),
            None => ", items = \"…\"".to_owned(),
        };
        match moving {
            Some(("offset" | "page", param)) => {
                let strategy = moving.map_or("offset", |m| m.0);
                format!("strategy = \"{strategy}\", param = \"{param}\", total = \"…\"{items}")
            }
            Some((strategy, param)) => {
                format!("strategy = \"{strategy}\", param = \"{param}\", next = \"…\"{items}")
            }
            None => format!("strategy = \"next-url\", next = \"…\"{items}"),
        }
    }

    /// Tries each strategy in order of how exact it is about the next page.
    fn detect(&self) -> Result<Strategy, String> {
        self.page_token(None, None)
            .or_else(|| self.offset(None, None, None))
            .or_else(|| self.cursor(None, None, None, None))
            .or_else(|| self.next_url(None))
            .or_else(|| self.link_header.then_some(Strategy::LinkHeader))
            .or_else(|| self.page_number(None, None, None))
            .ok_or_else(|| self.why_not())
    }

    /// Why no strategy fits, from what is there.
    fn why_not(&self) -> String {
        let moving: Vec<&Param> = self
            .input
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
            .filter(|p| {
                let n = norm(&p.wire_name);
                [OFFSET, PAGE, CURSOR, TOKEN]
                    .iter()
                    .any(|names| names.contains(&n.as_str()))
            })
            .collect();
        match moving.as_slice() {
            [] => {
                "no query parameter takes the next page's position (offset, page, cursor or token)"
                    .to_owned()
            }
            params => format!(
                "no response field says where the next page is for {}, or its type differs",
                params
                    .iter()
                    .map(|p| format!("`{}`", p.wire_name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn page_token(&self, param: Option<&'a Param>, next: Option<FieldPath>) -> Option<Strategy> {
        let param = param.or_else(|| {
            self.param(TOKEN, |t| *t == TypeRef::String)
                .or_else(|| self.param(&["page"], |t| *t == TypeRef::String))
        })?;
        let next = match next {
            Some(next) => next,
            None => self
                .leaf(NEXT_TOKEN, |l| l.ty == TypeRef::String && l.may_be_absent)?
                .path
                .clone(),
        };
        let first_page_only = if self.dropshot {
            self.input
                .params
                .iter()
                .filter(|p| p.location == ParamLocation::Query && !p.required)
                .filter(|p| p.wire_name != param.wire_name)
                .filter(|p| !LIMIT.contains(&norm(&p.wire_name).as_str()))
                .map(|p| p.rust_name.clone())
                .collect()
        } else {
            Vec::new()
        };
        Some(Strategy::PageToken {
            param: param.rust_name.clone(),
            next,
            first_page_only,
        })
    }

    fn offset(
        &self,
        offset: Option<&'a Param>,
        limit: Option<&'a Param>,
        total: Option<FieldPath>,
    ) -> Option<Strategy> {
        let offset = offset.or_else(|| self.param(OFFSET, is_count))?;
        let limit = limit.or_else(|| self.param(LIMIT, is_count));
        let total = total.or_else(|| {
            self.leaf(TOTAL, |l| is_count(&l.ty))
                .map(|l| l.path.clone())
        });
        let step_names: Vec<String> = limit
            .map(|l| norm(&l.wire_name))
            .into_iter()
            .chain(["limit".to_owned()])
            .collect();
        let step_names: Vec<&str> = step_names.iter().map(String::as_str).collect();
        let items_depth = self.list.as_ref().map_or(0, |l| l.items.rust.len());
        let step = self
            .leaf(&step_names, |l| {
                is_count(&l.ty) && l.path.rust.len() == items_depth.max(1)
            })
            .map(|l| l.path.clone());
        if limit.is_none() && total.is_none() && step.is_none() {
            return None;
        }
        Some(Strategy::Offset {
            offset: offset.rust_name.clone(),
            limit: limit.map(|l| l.rust_name.clone()),
            total,
            step,
        })
    }

    fn cursor(
        &self,
        param: Option<&'a Param>,
        next: Option<FieldPath>,
        last_item: Option<String>,
        has_more: Option<FieldPath>,
    ) -> Option<Strategy> {
        let cursor_type = |t: &TypeRef| matches!(t, TypeRef::String | TypeRef::I64 | TypeRef::I32);
        let param = param.or_else(|| self.param(CURSOR, cursor_type))?;
        let ty = self.ty(&param.ty);
        let n = norm(&param.wire_name);
        let has_more = has_more.or_else(|| {
            self.leaf(HAS_MORE, |l| l.ty == TypeRef::Bool)
                .map(|l| l.path.clone())
        });
        let next = match (next, last_item) {
            (Some(field), _) => CursorSource::Field(field),
            (None, Some(field)) => CursorSource::LastItem(field),
            (None, None) => {
                let same = |l: &Leaf| &l.ty == ty;
                let under_cursors = self.leaves.iter().find(|l| {
                    l.norm == n
                        && (l.parent.contains("cursor") || l.parent.contains("pag"))
                        && same(l)
                });
                let next_named = format!("next{n}");
                let last_id = ["after", "startingafter"].contains(&n.as_str());
                let found = under_cursors
                    .or_else(|| self.leaf(&[next_named.as_str()], same))
                    .or_else(|| {
                        last_id
                            .then(|| self.leaf(&["lastid"], |l| same(l) && has_more.is_some()))
                            .flatten()
                    })
                    .or_else(|| self.leaf(NEXT_CURSOR, |l| same(l) && l.may_be_absent));
                match found {
                    Some(leaf) => CursorSource::Field(leaf.path.clone()),
                    // Stripe's style: `starting_after` the last item's id, while `has_more`.
                    None if last_id && has_more.is_some() => {
                        let item = &self.list.as_ref()?.item_ty;
                        let id = fields_of(item, self.input.defs)?
                            .iter()
                            .find(|f| f.wire_name == "id" && self.ty(&f.ty) == ty)?;
                        CursorSource::LastItem(id.rust_name.clone())
                    }
                    None => return None,
                }
            }
        };
        Some(Strategy::Cursor {
            param: param.rust_name.clone(),
            next,
            has_more,
        })
    }

    fn next_url(&self, next: Option<FieldPath>) -> Option<Strategy> {
        let next = match next {
            Some(next) => next,
            None => self
                .leaves
                .iter()
                .find(|l| {
                    l.ty == TypeRef::String
                        && l.may_be_absent
                        && (NEXT_URL.contains(&l.norm.as_str())
                            || (l.norm == "href" && l.parent == "next"))
                })?
                .path
                .clone(),
        };
        Some(Strategy::NextUrl { next })
    }

    fn page_number(
        &self,
        page: Option<&'a Param>,
        size: Option<&'a Param>,
        total_pages: Option<FieldPath>,
    ) -> Option<Strategy> {
        let forced = page.is_some();
        let page = page.or_else(|| self.param(PAGE, is_count))?;
        let size = size.or_else(|| self.param(LIMIT, is_count));
        let total_pages = total_pages.or_else(|| {
            self.leaf(TOTAL_PAGES, |l| is_count(&l.ty))
                .map(|l| l.path.clone())
        });
        let has_more = self
            .leaf(HAS_MORE, |l| l.ty == TypeRef::Bool)
            .map(|l| l.path.clone());
        // A page number alone proves little (Twilio's `Page` needs a token past page 0): the
        // response must also speak of pages, unless a rule says so.
        let hint = forced
            || total_pages.is_some()
            || has_more.is_some()
            || self
                .leaf(
                    &["page", "currentpage", "pagenumber", "perpage", "pagesize"],
                    |l| is_count(&l.ty),
                )
                .is_some()
            || self.leaf(TOTAL, |l| is_count(&l.ty)).is_some();
        if !hint || (size.is_none() && total_pages.is_none() && has_more.is_none()) {
            return None;
        }
        // The first page is the default, else the minimum, else 1.
        let first = page
            .docs
            .default
            .as_ref()
            .and_then(serde_json::Value::as_i64)
            .or(page.docs.minimum.map(|m| m as i64))
            .filter(|first| (0..=1).contains(first))
            .unwrap_or(1);
        Some(Strategy::PageNumber {
            page: page.rust_name.clone(),
            size: size.map(|s| s.rust_name.clone()),
            first,
            total_pages,
            has_more,
        })
    }

    /// A `[pagination]` rule from `sdkgen.toml`: `Ok(None)` for `off`.
    fn follow_rule(&self, rule: &PagingRule) -> Result<Option<Pagination>, String> {
        if rule.strategy == "off" {
            return Ok(None);
        }
        let list = match find_list(self.body, self.input.defs, rule.items.as_deref()) {
            Found::List(list) => list,
            Found::NotList => return Err("its success body holds no array".to_owned()),
            Found::Ambiguous(why) => return Err(format!("{why}; name it with `items`")),
        };
        let param = rule
            .param
            .as_deref()
            .map(|p| self.named_param(p))
            .transpose()?;
        let limit = rule
            .limit
            .as_deref()
            .map(|p| self.named_param(p))
            .transpose()?;
        let integer = |wire: &Option<String>| {
            wire.as_deref()
                .map(|w| self.named_field(w, is_count, "a number"))
                .transpose()
        };
        let string = |wire: &Option<String>| {
            wire.as_deref()
                .map(|w| self.named_field(w, |t| *t == TypeRef::String, "a string"))
                .transpose()
        };
        let missing = |what: &str| {
            format!(
                "nothing fits the `{}` strategy; name the {what} in the rule",
                rule.strategy
            )
        };
        let strategy = match rule.strategy.as_str() {
            "offset" => self
                .offset(param, limit, integer(&rule.total)?)
                .ok_or_else(|| missing("`param` (and `limit` or `total`)"))?,
            "page" => self
                .page_number(param, limit, integer(&rule.total)?)
                .ok_or_else(|| missing("`param` (and `limit` or `total`)"))?,
            "cursor" => {
                let next = match &rule.next {
                    Some(wire) => {
                        let ty = param.map(|p| self.ty(&p.ty).clone());
                        Some(self.named_field(
                            wire,
                            |t| ty.as_ref().is_none_or(|ty| ty == t),
                            "of the cursor parameter's type",
                        )?)
                    }
                    None => None,
                };
                let has_more = rule
                    .has_more
                    .as_deref()
                    .map(|w| self.named_field(w, |t| *t == TypeRef::Bool, "a boolean"))
                    .transpose()?;
                let last_item = match &rule.last_item {
                    Some(wire) => Some(
                        fields_of(&list.item_ty, self.input.defs)
                            .and_then(|fields| fields.iter().find(|f| &f.wire_name == wire))
                            .map(|f| f.rust_name.clone())
                            .ok_or_else(|| format!("the items have no field `{wire}`"))?,
                    ),
                    None => None,
                };
                self.cursor(param, next, last_item, has_more)
                    .ok_or_else(|| missing("`param` and `next` (or `last_item`)"))?
            }
            "page-token" => self
                .page_token(param, string(&rule.next)?)
                .ok_or_else(|| missing("`param` and `next`"))?,
            "next-url" => self
                .next_url(string(&rule.next)?)
                .ok_or_else(|| missing("`next`"))?,
            "link-header" => Strategy::LinkHeader,
            other => {
                return Err(format!(
                    "unknown strategy `{other}` (one of {})",
                    PAGING_STRATEGIES.join(", ")
                ));
            }
        };
        Ok(Some(Pagination {
            strategy,
            items: list.items,
            item_ty: list.item_ty,
            source: PaginationSource::Config,
        }))
    }

    /// Speakeasy's `x-speakeasy-pagination`: `type` offsetLimit / cursor / url, `inputs`
    /// naming operation parameters, `outputs` as JSONPath into the response body.
    fn follow_extension(&self, value: &serde_json::Value) -> Result<Pagination, String> {
        let kind = value
            .get("type")
            .and_then(|t| t.as_str())
            .ok_or("it has no `type`")?;
        let mut inputs: BTreeMap<&str, &Param> = BTreeMap::new();
        for input in value
            .get("inputs")
            .and_then(|i| i.as_array())
            .into_iter()
            .flatten()
        {
            let name = input
                .get("name")
                .and_then(|n| n.as_str())
                .ok_or("an input has no `name`")?;
            let role = input
                .get("type")
                .and_then(|n| n.as_str())
                .ok_or("an input has no `type`")?;
            match input.get("in").and_then(|n| n.as_str()) {
                Some("parameters") | None => {}
                Some(other) => {
                    return Err(format!(
                        "input `{name}` is in `{other}`; only inputs in `parameters` are supported"
                    ));
                }
            }
            inputs.insert(role, self.named_param(name)?);
        }
        let outputs = value.get("outputs");
        let output = |key: &str| -> Result<Option<String>, String> {
            match outputs.and_then(|o| o.get(key)).and_then(|v| v.as_str()) {
                None => Ok(None),
                Some(path) => json_path(path).map(Some),
            }
        };
        let results = output("results")?;
        let list = match find_list(self.body, self.input.defs, results.as_deref()) {
            Found::List(list) => list,
            Found::NotList => return Err("the success body holds no array".to_owned()),
            Found::Ambiguous(why) => return Err(format!("{why}; set `outputs.results`")),
        };
        let integer = |wire: Option<String>| {
            wire.map(|w| self.named_field(&w, is_count, "a number"))
                .transpose()
        };
        let strategy = match kind {
            "offsetLimit" => match (inputs.get("offset"), inputs.get("page")) {
                (Some(offset), _) => Strategy::Offset {
                    offset: offset.rust_name.clone(),
                    limit: inputs.get("limit").map(|l| l.rust_name.clone()),
                    total: None,
                    step: None,
                },
                (None, Some(page)) => Strategy::PageNumber {
                    page: page.rust_name.clone(),
                    size: inputs.get("limit").map(|l| l.rust_name.clone()),
                    first: 1,
                    total_pages: integer(output("numPages")?)?,
                    has_more: None,
                },
                (None, None) => return Err("offsetLimit needs an `offset` or `page` input".into()),
            },
            "cursor" => {
                let param = inputs
                    .get("cursor")
                    .ok_or("cursor needs a `cursor` input")?;
                let next = output("nextCursor")?.ok_or("cursor needs `outputs.nextCursor`")?;
                let ty = self.ty(&param.ty).clone();
                // `$.data[-1].id`: a field of the last item.
                let next = match next.split_once("[-1].") {
                    Some((items, field)) if items == list.items.wire => CursorSource::LastItem(
                        fields_of(&list.item_ty, self.input.defs)
                            .and_then(|fs| fs.iter().find(|f| f.wire_name == field))
                            .filter(|f| self.ty(&f.ty) == &ty)
                            .map(|f| f.rust_name.clone())
                            .ok_or_else(|| {
                                format!("the items have no field `{field}` of the cursor's type")
                            })?,
                    ),
                    Some(_) => return Err(format!("`{next}` is not a field of the results")),
                    None => CursorSource::Field(self.named_field(
                        &next,
                        |t| *t == ty,
                        "of the cursor parameter's type",
                    )?),
                };
                Strategy::Cursor {
                    param: param.rust_name.clone(),
                    next,
                    has_more: None,
                }
            }
            "url" => {
                let next = output("nextUrl")?.ok_or("url needs `outputs.nextUrl`")?;
                Strategy::NextUrl {
                    next: self.named_field(&next, |t| *t == TypeRef::String, "a string")?,
                }
            }
            other => return Err(format!("unknown type `{other}`")),
        };
        Ok(Pagination {
            strategy,
            items: list.items,
            item_ty: list.item_ty,
            source: PaginationSource::Extension,
        })
    }
}

/// `$.data.items` → `data.items`; `$` → `` (the body); `$.data[-1].id` keeps `[-1]`.
fn json_path(path: &str) -> Result<String, String> {
    let rest = path
        .trim()
        .strip_prefix('$')
        .ok_or_else(|| format!("`{path}` is not a JSONPath starting at `$`"))?;
    // `..` (recursive descent) is checked before the leading `.` is dropped: `$..id` is one.
    if rest.contains(['*', '?', '(']) || rest.contains("..") {
        return Err(format!("`{path}` is not a plain field path"));
    }
    Ok(rest.strip_prefix('.').unwrap_or(rest).to_owned())
}

/// Whether a success response declares a `Link` header (any case).
fn declares_link_header(doc: &OpenAPI, op: &openapiv3::Operation) -> bool {
    op.responses
        .responses
        .iter()
        .filter(|(status, _)| match status {
            openapiv3::StatusCode::Code(code) => (200..300).contains(code),
            openapiv3::StatusCode::Range(class) => *class == 2,
        })
        .filter_map(|(_, response)| match response {
            ReferenceOr::Item(response) => Some(response),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/responses/")
                .and_then(|key| doc.components.as_ref()?.responses.get(key))
                .and_then(ReferenceOr::as_item),
        })
        .any(|response| {
            response
                .headers
                .keys()
                .any(|name| name.eq_ignore_ascii_case("link"))
        })
}

/// The `[pagination]` rules that name no operation, as warnings.
pub(super) fn unused_rules<'r>(
    rules: impl IntoIterator<Item = &'r String>,
    operation_ids: &std::collections::BTreeSet<&str>,
    diagnostics: &mut Diagnostics,
) {
    for id in rules {
        if !operation_ids.contains(id.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    "#/paths",
                    format!("sdkgen.toml [pagination] names `{id}`, which is no operationId of this spec"),
                )
                .with_help("check the spelling; rules are keyed by operationId"),
            );
        }
    }
}

/// Pagination coverage of one API (for `cargo xtask corpus`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// One row per operation that returns a list.
    pub rows: Vec<CoverageRow>,
}

/// What pagination did with one list operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageRow {
    /// The operationId.
    pub operation: String,
    /// `METHOD /path`.
    pub endpoint: String,
    /// Whether it looks paged, and why it has no `stream()` if it does not.
    pub list: ListShape,
    /// The strategy of its `stream()`, if it has one.
    pub strategy: Option<&'static str>,
    /// What decided the strategy.
    pub source: Option<PaginationSource>,
}

impl Coverage {
    /// The list operations of `api` and what pagination made of them.
    pub fn of(api: &Api) -> Self {
        let rows = api
            .groups
            .iter()
            .flat_map(|g| &g.operations)
            .filter(|op| op.list != ListShape::NotList || op.pagination.is_some())
            .map(|op| CoverageRow {
                operation: op.id.clone(),
                endpoint: format!("{} {}", op.http_method, op.path),
                list: op.list.clone(),
                strategy: op.pagination.as_ref().map(|p| p.strategy.name()),
                source: op.pagination.as_ref().map(|p| p.source),
            })
            .collect();
        Coverage { rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalized() {
        assert_eq!(norm("PageToken"), "pagetoken");
        assert_eq!(norm("page_token"), "pagetoken");
        assert_eq!(norm("@odata.nextLink"), "odatanextlink");
    }

    #[test]
    fn json_paths() {
        assert_eq!(json_path("$.data.items").unwrap(), "data.items");
        assert_eq!(json_path("$").unwrap(), "");
        assert_eq!(json_path("$.data[-1].id").unwrap(), "data[-1].id");
        assert!(json_path("data").is_err());
        assert!(json_path("$..id").is_err());
        assert!(json_path("$.data[*].id").is_err());
    }
}
