//! The model → the files of a crate: token streams built with `quote`, printed by prettyplease.
//!
//! Each submodule writes one file (or one kind of file); this module holds what they share:
//! how a [`TypeRef`] is spelled. [`format`] turns the token streams into text.

mod cargo;
mod client;
mod crate_root;
mod docs;
mod errors;
mod format;
mod models;
mod operations;
mod pagination;
mod readme;
mod runtime;
mod webhooks;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Api, Scope, TypeRef};
use format::{RustFiles, piece};

/// The names generated code defines or spells unqualified, by the place spec-derived names go.
/// Each list is owned by the emitter that writes that code; `model::names::places` builds the
/// model's name scopes from them, so a spec name never shadows or duplicates one.
#[derive(Clone, Copy, Debug)]
pub struct Reserved {
    /// Items of `Client`: group accessors avoid them.
    pub client: &'static [&'static str],
    /// File names under `src/operations/` that are not groups: group modules avoid them.
    pub operations_dir: &'static [&'static str],
    /// Items of a group type: operation methods avoid them.
    pub group: &'static [&'static str],
    /// Fields and methods of every request builder: parameters and body properties avoid them.
    pub builder: &'static [&'static str],
    /// What an operations module imports or spells unqualified: group types and builders
    /// avoid them.
    pub operations_module: &'static [&'static [&'static str]],
    /// What `models.rs` imports or spells unqualified, and the crate root's exports: schema
    /// types avoid them.
    pub models_module: &'static [&'static [&'static str]],
    /// Variants every string enum and union has.
    pub variants: &'static [&'static str],
}

impl Reserved {
    /// Every name, once, sorted: a name pool for tests.
    pub fn all(&self) -> Vec<&'static str> {
        let lists = [
            self.client,
            self.operations_dir,
            self.group,
            self.builder,
            self.variants,
        ];
        let mut all: Vec<&'static str> = lists
            .into_iter()
            .chain(self.operations_module.iter().copied())
            .chain(self.models_module.iter().copied())
            .flatten()
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// The one table of reserved names (see [`Reserved`]).
pub const RESERVED: Reserved = Reserved {
    client: client::CLIENT_MEMBERS,
    operations_dir: operations::DIR_FILES,
    group: operations::GROUP_MEMBERS,
    builder: operations::BUILDER_MEMBERS,
    operations_module: &[
        operations::RUNTIME_IMPORTS,
        operations::CRATE_IMPORTS,
        PRELUDE_IN_USE,
    ],
    models_module: &[models::IMPORTS, crate_root::EXPORTS, PRELUDE_IN_USE],
    variants: models::ENUM_MEMBERS,
};

/// The prelude names generated code spells unqualified (`Option<T>`, `Vec<T>`, `Ok(…)`,
/// `impl Into<String>`). Any other std item is written with its full path
/// (`::core::default::Default::default()`), so a schema or tag named `Default`, `Clone` or
/// `Send` keeps its name and still cannot shadow what the code means.
pub const PRELUDE_IN_USE: &[&str] = &[
    "Box",
    "Err",
    "Future",
    "Into",
    "IntoIterator",
    "None",
    "Ok",
    "Option",
    "Result",
    "Some",
    "String",
    "Vec",
];

pub use operations::{ArgSource, BuilderArg, builder_args};
pub use readme::FILE as README;

/// One file of the generated crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    /// File contents.
    pub contents: String,
}

/// Every file of the crate for `api`, sorted by path. Fails only on a generator bug: an emitter
/// that built tokens which are not valid Rust.
pub fn emit(
    api: &Api,
    config: &Config,
    spec_name: &str,
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let mut rust = RustFiles::default();
    rust.add(
        "src/lib.rs".to_owned(),
        [piece(|| crate_root::lib_rs(api, config))],
    );
    rust.add(
        "src/client.rs".to_owned(),
        [piece(|| client::client_rs(api, config))],
    );
    rust.add(
        "src/models.rs".to_owned(),
        models::models_rs(api, config.types.serde),
    );
    rust.add(
        "src/errors.rs".to_owned(),
        [piece(|| errors::errors_rs(api))],
    );
    rust.add(
        "src/operations/mod.rs".to_owned(),
        [piece(|| operations::mod_rs(api))],
    );
    if !api.webhooks.is_empty() {
        rust.add(
            "src/webhooks.rs".to_owned(),
            [piece(|| webhooks::webhooks_rs(api))],
        );
    }
    for group in &api.groups {
        let path = format!(
            "src/operations/{}.rs",
            group.method.trim_start_matches("r#")
        );
        rust.add(path, operations::group_rs(api, group));
    }

    let preamble = preamble(spec_name);
    let mut invalid = Diagnostics::default();
    let mut files = vec![
        GeneratedFile {
            path: "Cargo.toml".to_owned(),
            contents: cargo::manifest(api, config, spec_name),
        },
        GeneratedFile {
            path: crate::record::FILE.to_owned(),
            contents: crate::record::to_text(api, spec_name),
        },
        GeneratedFile {
            path: readme::FILE.to_owned(),
            contents: readme::readme(api, config, spec_name),
        },
    ];
    for (path, text) in rust.print(&preamble) {
        match text {
            Ok(contents) => files.push(GeneratedFile { path, contents }),
            Err(error) => invalid.push(
                Diagnostic::error(
                    "#",
                    format!("internal error: sdkgen built invalid Rust for {path}: {error}"),
                )
                .with_help("this is a bug in sdkgen; please report it with the spec"),
            ),
        }
    }
    if invalid.has_errors() {
        return Err(invalid);
    }
    files.extend(runtime::files(&preamble));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The first line of every generated Rust file.
fn preamble(spec_name: &str) -> String {
    format!(
        "// This file is @generated by sdkgen from {spec_name}. Do not edit it by hand: change the spec and regenerate.\n"
    )
}

/// The Cargo feature of each group, in [`Api::groups`] order: its accessor's name (which is also
/// its module's), except where that is a feature the crate defines itself (`default`, for a tag
/// or first path segment of that name), which gets `_group` (`default_group`).
pub fn feature_names(api: &Api) -> Vec<String> {
    let mut scope = Scope::reserving(cargo::FEATURES.iter().copied(), "_group");
    api.groups
        .iter()
        .map(|g| scope.claim(g.method.trim_start_matches("r#").to_owned()))
        .collect()
}

/// The features of the given groups (indexes into [`Api::groups`]) for [`feature_cfg`].
fn features_of(features: &[String], groups: Option<&[usize]>) -> Option<Vec<String>> {
    groups.map(|groups| groups.iter().map(|&g| features[g].clone()).collect())
}

/// `#[cfg(feature = …)]` for an item that compiles with any of `features`; nothing for an item
/// that compiles always (see [`crate::model::GroupReach`]).
fn feature_cfg(features: Option<&[String]>) -> Option<TokenStream> {
    Some(match features? {
        [one] => quote!(#[cfg(feature = #one)]),
        names => quote!(#[cfg(any(#(feature = #names),*))]),
    })
}

/// An identifier, raw (`r#type`) when the model escaped a keyword that way.
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// The Rust spelling of a type; `models` prefixes named types (`models::Foo`) outside models.rs.
fn type_tokens(ty: &TypeRef, models_prefix: bool) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Bytes => quote!(bytes::Bytes),
        TypeRef::Multipart => quote!(crate::runtime::Multipart),
        TypeRef::Array(inner) => {
            let inner = type_tokens(inner, models_prefix);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, models_prefix);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|item| type_tokens(item, models_prefix));
            quote!((#(#items,)*))
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner, models_prefix);
            quote!(Option<#inner>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            if models_prefix {
                quote!(models::#name)
            } else {
                quote!(#name)
            }
        }
    }
}
