//! `stream()` on request builders of paged operations: one closure per strategy that sends a
//! page and says where the next one is; `runtime::paginate` does the rest (see
//! `generator/runtime/src/pagination.rs`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::{ident, type_tokens};
use crate::model::{
    Api, CursorSource, Field, FieldPath, Operation, Pagination, Presence, Strategy, TypeKind,
    TypeRef,
};

/// Whether the builder needs `send_page`, the `send_with_response` that can follow a
/// next-page URL instead of its own path and query.
pub(super) fn follows_urls(op: &Operation) -> bool {
    matches!(
        op.pagination.as_ref().map(|p| &p.strategy),
        Some(Strategy::NextUrl { .. } | Strategy::LinkHeader)
    )
}

/// A builder field for a parameter: its name and whether it is required (not an `Option`).
pub(super) struct ParamSlot {
    pub name: Ident,
    pub required: bool,
}

/// The `stream()` method, or `None` for an operation without pagination. `body` is the success
/// type `send()` returns; `slot` finds the builder field of a parameter by its Rust name.
pub(super) fn stream(
    op: &Operation,
    api: &Api,
    body: &TypeRef,
    slot_of: impl Fn(&str) -> Option<ParamSlot>,
) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let id = &op.id;
    let item_ty = type_tokens(&pagination.item_ty, true);
    let items = owned(api, body, &pagination.items)?;
    let (setup, set, read) = match &pagination.strategy {
        Strategy::Offset {
            offset,
            total,
            step,
            ..
        } => {
            let slot = slot_of(offset)?;
            let (first, set) = position(&slot, param_type(op, offset)?, api);
            let (total_let, total) = local("total", integer(api, body, total.as_ref())?);
            let (step_let, step) = local("step", integer(api, body, step.as_ref())?);
            (
                quote!(let first = #first;),
                set,
                quote! {
                    #total_let
                    #step_let
                    let items = #items;
                    let next = crate::runtime::Next::offset(at, items.len(), #step, #total);
                },
            )
        }
        Strategy::PageNumber {
            page,
            first,
            total_pages,
            has_more,
            ..
        } => {
            let slot = slot_of(page)?;
            let (start, set) = position(&slot, param_type(op, page)?, api);
            let start = if slot.required {
                start
            } else {
                let name = &slot.name;
                match resolve(param_type(op, page)?, api) {
                    TypeRef::I32 => quote!(self.#name.map(i64::from).unwrap_or(#first)),
                    TypeRef::F64 => quote!(self.#name.map(|page| page as i64).unwrap_or(#first)),
                    _ => quote!(self.#name.unwrap_or(#first)),
                }
            };
            let (pages_let, total_pages) =
                local("total_pages", integer(api, body, total_pages.as_ref())?);
            let (more_let, has_more) = local("has_more", boolean(api, body, has_more.as_ref())?);
            (
                quote!(let first = #start;),
                set,
                quote! {
                    #pages_let
                    #more_let
                    let items = #items;
                    let next = crate::runtime::Next::page(at, #first, items.len(), #total_pages, #has_more);
                },
            )
        }
        Strategy::Cursor {
            param,
            next,
            has_more,
        } => {
            let slot = slot_of(param)?;
            let (first, set) = cursor_position(&slot);
            let (more_let, has_more) = local("has_more", boolean(api, body, has_more.as_ref())?);
            let (cursor_before, cursor_after, wire) = match next {
                CursorSource::Field(path) => (
                    cloned(api, quote!(page), body, &path.rust)?,
                    None,
                    path.wire.clone(),
                ),
                CursorSource::LastItem(field) => {
                    let item = field_of(api, &pagination.item_ty, field)?;
                    let f = ident(field);
                    let last = match wrap(item) {
                        Wrap::Plain if is_copy(&item.ty, api) => {
                            quote!(items.last().map(|item| item.#f))
                        }
                        Wrap::Plain => quote!(items.last().map(|item| item.#f.clone())),
                        _ => {
                            let access = cloned(
                                api,
                                quote!(item),
                                &pagination.item_ty,
                                std::slice::from_ref(field),
                            )?;
                            quote!(items.last().and_then(|item| #access))
                        }
                    };
                    (
                        quote!(()),
                        Some(quote!(let cursor = #last;)),
                        format!(
                            "{}[-1].{}",
                            pagination.items.wire,
                            wire_of(api, pagination, field)
                        ),
                    )
                }
            };
            let cursor_before = match cursor_after {
                Some(_) => quote!(),
                None => quote!(let cursor = #cursor_before;),
            };
            let cursor_after = cursor_after.unwrap_or_default();
            (
                quote!(let first = #first;),
                set,
                quote! {
                    #more_let
                    #cursor_before
                    let items = #items;
                    #cursor_after
                    let next = crate::runtime::Next::cursor(cursor, #has_more, #wire);
                },
            )
        }
        Strategy::PageToken {
            param,
            next,
            first_page_only,
        } => {
            let slot = slot_of(param)?;
            let (first, set) = cursor_position(&slot);
            let clear: Vec<TokenStream> = first_page_only
                .iter()
                .filter_map(|name| slot_of(name))
                .filter(|s| !s.required)
                .map(|s| {
                    let name = s.name;
                    quote!(request.#name = None;)
                })
                .collect();
            let cursor = cloned(api, quote!(page), body, &next.rust)?;
            let wire = &next.wire;
            let set = if clear.is_empty() {
                set
            } else {
                quote! {
                    // The token carries the first request's scan parameters; the server
                    // rejects them next to it.
                    if at.is_some() {
                        #(#clear)*
                    }
                    #set
                }
            };
            (
                quote!(let first = #first;),
                set,
                quote! {
                    let cursor = #cursor;
                    let items = #items;
                    let next = crate::runtime::Next::cursor(cursor, None, #wire);
                },
            )
        }
        Strategy::NextUrl { next } => {
            let url = cloned(api, quote!(page), body, &next.rust)?;
            return Some(url_stream(
                op,
                pagination,
                &item_ty,
                quote! {
                    let page = response.into_body();
                    let next = crate::runtime::Next::url(&base_url, #url.as_deref());
                    let items = #items;
                },
            ));
        }
        Strategy::LinkHeader => {
            return Some(url_stream(
                op,
                pagination,
                &item_ty,
                quote! {
                    let next = crate::runtime::Next::link(&base_url, response.headers());
                    let page = response.into_body();
                    let items = #items;
                },
            ));
        }
    };
    let doc = doc_attrs(&describe(pagination));
    Some(quote! {
        #doc
        pub fn stream(self) -> impl futures_core::Stream<Item = Result<#item_ty, Error>> {
            #setup
            crate::runtime::paginate(#id, first, move |at| {
                let mut request = self.clone();
                #set
                crate::runtime::read_page(request.send(), move |page| {
                    #read
                    crate::runtime::Page { items, next }
                })
            })
        }
    })
}

/// `stream()` for strategies that follow URLs: the first page is the builder's request, the
/// next ones go to the URL the last page gave (through `send_page`).
fn url_stream(
    op: &Operation,
    pagination: &Pagination,
    item_ty: &TokenStream,
    read: TokenStream,
) -> TokenStream {
    let id = &op.id;
    let doc = doc_attrs(&describe(pagination));
    quote! {
        #doc
        pub fn stream(self) -> impl futures_core::Stream<Item = Result<#item_ty, Error>> {
            crate::runtime::paginate(#id, None::<String>, move |at| {
                let request = self.clone();
                let base_url = request.client.core().base_url().to_owned();
                crate::runtime::read_page(request.send_page(at), move |response| {
                    #read
                    crate::runtime::Page { items, next }
                })
            })
        }
    }
}

/// The first position and how a page request sets it, for offsets and page numbers (`i64` in
/// the runtime, narrowed to the parameter's own integer type).
fn position(slot: &ParamSlot, ty: &TypeRef, api: &Api) -> (TokenStream, TokenStream) {
    let name = &slot.name;
    let narrow = match resolve(ty, api) {
        TypeRef::I32 => quote!(i32::try_from(at).unwrap_or(i32::MAX)),
        TypeRef::F64 => quote!(at as f64),
        _ => quote!(at),
    };
    if slot.required {
        let first = widen(ty, api, quote!(self.#name));
        (first, quote!(request.#name = #narrow;))
    } else {
        let first = match resolve(ty, api) {
            TypeRef::I32 => quote!(self.#name.map(i64::from).unwrap_or(0)),
            TypeRef::F64 => quote!(self.#name.map(|at| at as i64).unwrap_or(0)),
            _ => quote!(self.#name.unwrap_or(0)),
        };
        (first, quote!(request.#name = Some(#narrow);))
    }
}

/// `value` as an `i64` (a `number` is a whole one in practice; `as` saturates).
fn widen(ty: &TypeRef, api: &Api, value: TokenStream) -> TokenStream {
    match resolve(ty, api) {
        TypeRef::I32 => quote!(i64::from(#value)),
        TypeRef::F64 => quote!((#value as i64)),
        _ => value,
    }
}

/// The first cursor and how a page request sets it (`None`: the builder's own, or none).
fn cursor_position(slot: &ParamSlot) -> (TokenStream, TokenStream) {
    let name = &slot.name;
    if slot.required {
        (
            quote!(Some(self.#name.clone())),
            quote! {
                if let Some(cursor) = at {
                    request.#name = cursor;
                }
            },
        )
    } else {
        (quote!(self.#name.clone()), quote!(request.#name = at;))
    }
}

/// The builder type's parameter of this Rust name.
fn param_type<'a>(op: &'a Operation, rust: &str) -> Option<&'a TypeRef> {
    op.params
        .iter()
        .find(|p| p.rust_name == rust)
        .map(|p| &p.ty)
}

/// A field's wire name, for messages.
fn wire_of(api: &Api, pagination: &Pagination, rust: &str) -> String {
    field_of(api, &pagination.item_ty, rust)
        .map(|f| f.wire_name.clone())
        .unwrap_or_else(|| rust.trim_start_matches("r#").to_owned())
}

/// `ty` with aliases followed.
fn resolve<'a>(mut ty: &'a TypeRef, api: &'a Api) -> &'a TypeRef {
    for _ in 0..32 {
        let TypeRef::Named(name) = ty else {
            return ty;
        };
        match api.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(inner)) => ty = inner,
            _ => return ty,
        }
    }
    ty
}

/// The field of struct type `ty` with this Rust name.
fn field_of<'a>(api: &'a Api, ty: &TypeRef, rust: &str) -> Option<&'a Field> {
    let TypeRef::Named(name) = resolve(ty, api) else {
        return None;
    };
    match &api.type_def(name)?.kind {
        TypeKind::Struct { fields, .. } => fields.iter().find(|f| f.rust_name == rust),
        _ => None,
    }
}

/// How a field is wrapped in its struct (see `emit/models.rs`).
enum Wrap {
    /// `T`.
    Plain,
    /// `Option<T>`.
    Optional,
    /// `Option<Option<T>>` (absent vs `null`).
    Double,
}

fn wrap(field: &Field) -> Wrap {
    match field.presence {
        Presence::Required | Presence::Constant => Wrap::Plain,
        Presence::OptionalNullable => Wrap::Double,
        Presence::RequiredNullable | Presence::Optional => Wrap::Optional,
    }
}

/// An expression of type `Option<T>` cloning the field at `path` from the value `root` (of
/// type `ty`), through optional fields on the way.
fn cloned(api: &Api, root: TokenStream, ty: &TypeRef, path: &[String]) -> Option<TokenStream> {
    // `place` is a place expression of the current type; once a step is optional it becomes
    // an `Option<&T>` chain.
    let mut expr = root;
    let mut optional = false;
    let mut current = ty.clone();
    for name in path {
        let field = field_of(api, &current, name)?;
        let f = ident(name);
        expr = match (optional, wrap(field)) {
            (false, Wrap::Plain) => quote!(#expr.#f),
            (false, Wrap::Optional) => quote!(#expr.#f.as_ref()),
            (false, Wrap::Double) => quote!(#expr.#f.as_ref().and_then(Option::as_ref)),
            (true, Wrap::Plain) => quote!(#expr.map(|v| &v.#f)),
            (true, Wrap::Optional) => quote!(#expr.and_then(|v| v.#f.as_ref())),
            (true, Wrap::Double) => {
                quote!(#expr.and_then(|v| v.#f.as_ref()).and_then(Option::as_ref))
            }
        };
        optional |= !matches!(wrap(field), Wrap::Plain);
        current = field.ty.clone();
    }
    Some(match (optional, is_copy(&current, api)) {
        (false, true) => quote!(Some(#expr)),
        (false, false) => quote!(Some(#expr.clone())),
        (true, true) => quote!(#expr.copied()),
        (true, false) => quote!(#expr.cloned()),
    })
}

/// Whether values of `ty` are `Copy` (cloning them is a lint).
fn is_copy(ty: &TypeRef, api: &Api) -> bool {
    matches!(
        resolve(ty, api),
        TypeRef::I64 | TypeRef::I32 | TypeRef::Bool | TypeRef::F64 | TypeRef::F32
    )
}

/// A `let` binding `name` for `value` and the name, or nothing and `None` without a value.
fn local(name: &str, value: Option<TokenStream>) -> (TokenStream, TokenStream) {
    match value {
        Some(value) => {
            let name = ident(name);
            (quote!(let #name = #value;), quote!(#name))
        }
        None => (quote!(), quote!(None)),
    }
}

/// An `Option<bool>` expression for a boolean field (`Some(None)` without one: nothing to read).
fn boolean(api: &Api, body: &TypeRef, path: Option<&FieldPath>) -> Option<Option<TokenStream>> {
    match path {
        Some(path) => cloned(api, quote!(page), body, &path.rust).map(Some),
        None => Some(None),
    }
}

/// An `Option<i64>` expression for an integer (or `number`) field (`Some(None)` without one).
fn integer(api: &Api, body: &TypeRef, path: Option<&FieldPath>) -> Option<Option<TokenStream>> {
    let Some(path) = path else {
        return Some(None);
    };
    let value = cloned(api, quote!(page), body, &path.rust)?;
    let leaf = path.rust.iter().try_fold(body.clone(), |ty, name| {
        field_of(api, &ty, name).map(|f| f.ty.clone())
    })?;
    Some(Some(match resolve(&leaf, api) {
        TypeRef::I32 => quote!(#value.map(i64::from)),
        TypeRef::F64 => quote!(#value.map(|count| count as i64)),
        _ => value,
    }))
}

/// An expression of type `Vec<T>` moving the items at `path` out of `page`; absent is empty.
fn owned(api: &Api, body: &TypeRef, path: &FieldPath) -> Option<TokenStream> {
    let mut expr = quote!(page);
    let mut optional = false;
    let mut current = body.clone();
    for name in &path.rust {
        let field = field_of(api, &current, name)?;
        let f = ident(name);
        expr = match (optional, wrap(field)) {
            (false, Wrap::Plain) => quote!(#expr.#f),
            (false, Wrap::Optional) => quote!(#expr.#f),
            (false, Wrap::Double) => quote!(#expr.#f.flatten()),
            (true, Wrap::Plain) => quote!(#expr.map(|v| v.#f)),
            (true, Wrap::Optional) => quote!(#expr.and_then(|v| v.#f)),
            (true, Wrap::Double) => quote!(#expr.and_then(|v| v.#f.flatten())),
        };
        optional |= !matches!(wrap(field), Wrap::Plain);
        current = field.ty.clone();
    }
    Some(if optional {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    })
}

/// The rustdoc of `stream()`.
fn describe(pagination: &Pagination) -> String {
    let unraw = |s: &str| s.trim_start_matches("r#").to_owned();
    let how = match &pagination.strategy {
        Strategy::Offset {
            offset,
            limit,
            total,
            step,
        } => format!(
            "Pages by offset: starts at the `{}` set on this builder (else 0){} and moves by {}. Ends {}.",
            unraw(offset),
            limit
                .as_deref()
                .map(|l| format!(", keeps `{}` as the page size,", unraw(l)))
                .unwrap_or_default(),
            step.as_ref()
                .map(|s| format!("the page size the response reports (`{}`)", s.wire))
                .unwrap_or_else(|| "the number of items received".to_owned()),
            total
                .as_ref()
                .map(|t| format!("at the total (`{}`) or at an empty page", t.wire))
                .unwrap_or_else(|| "at an empty page".to_owned()),
        ),
        Strategy::PageNumber {
            page,
            size,
            first,
            total_pages,
            has_more,
        } => format!(
            "Pages by number: starts at the `{}` set on this builder (else {first}){} and counts up. Ends at an empty page{}{}.",
            unraw(page),
            size.as_deref()
                .map(|s| format!(", keeps `{}` as the page size,", unraw(s)))
                .unwrap_or_default(),
            total_pages
                .as_ref()
                .map(|t| format!(", after the last page (`{}`)", t.wire))
                .unwrap_or_default(),
            has_more
                .as_ref()
                .map(|h| format!(" or when `{}` is false", h.wire))
                .unwrap_or_default(),
        ),
        Strategy::Cursor {
            param,
            next,
            has_more,
        } => format!(
            "Pages by cursor: each request sets `{}` to {}. Ends {}.",
            unraw(param),
            match next {
                CursorSource::Field(path) => format!("the previous page's `{}`", path.wire),
                CursorSource::LastItem(field) =>
                    format!("the `{}` of the previous page's last item", unraw(field)),
            },
            has_more
                .as_ref()
                .map(|h| format!("when `{}` is false", h.wire))
                .unwrap_or_else(|| "when the response has no next cursor".to_owned()),
        ),
        Strategy::PageToken {
            param,
            next,
            first_page_only,
        } => format!(
            "Pages by token: each request sets `{}` to the previous page's `{}`{}. Ends when the response has no token.",
            unraw(param),
            next.wire,
            if first_page_only.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} {} sent with the first request only (the token carries {})",
                    first_page_only
                        .iter()
                        .map(|p| format!("`{}`", unraw(p)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if first_page_only.len() == 1 { "is" } else { "are" },
                    if first_page_only.len() == 1 { "it" } else { "them" },
                )
            },
        ),
        Strategy::NextUrl { next } => format!(
            "Follows the next-page URL in the response (`{}`), resolved against the client's base URL; one on another host is refused. Ends when there is none.",
            next.wire
        ),
        Strategy::LinkHeader => "Follows the `Link: <…>; rel=\"next\"` response header (RFC 8288), resolved against the client's base URL; one on another host is refused. Ends when there is none.".to_owned(),
    };
    let kept = match &pagination.strategy {
        Strategy::NextUrl { .. } | Strategy::LinkHeader => {
            "Later pages are requested exactly as the server's URL says (it carries the filters); headers and options set on this builder are sent with each."
        }
        Strategy::PageToken {
            first_page_only, ..
        } if !first_page_only.is_empty() => {
            "Every other parameter set on this builder is sent with each page."
        }
        _ => {
            "Every other parameter set on this builder (filters, page size) is sent with each page."
        }
    };
    format!(
        "Every item across all pages, fetched lazily, one request per page.\n\n{how} {kept}\n\nA failed page is yielded as an error and ends the stream, and so does a server that would make it loop (a repeated cursor or URL, a page identical to the previous one): [`Error::Pagination`](crate::Error)."
    )
}
