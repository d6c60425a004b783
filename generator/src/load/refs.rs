//! `$ref`s to anything, brought to one form before typing: afterwards every reference is
//! `#/components/<section>/<name>` and names an object of the kind its place expects.
//!
//! - A pointer anywhere else in the document (`#/components/schemas/A/properties/b`,
//!   `#/paths/~1a/get/responses/200/content/application~1json/schema`) moves its target into
//!   `components` under a name made from the pointer (`A b`, which the model types as `AB`, the
//!   name the inline schema would have had) and leaves a `$ref` in its place, so the place and
//!   every reference to it share one type.
//! - `#name` finds the schema with `$anchor: name` (`$dynamicRef` the one with
//!   `$dynamicAnchor`, statically, with a warning).
//! - `common.yaml#/components/schemas/X` and `./schemas/x.json` are read from disk next to the
//!   file that refers to them; their target is copied into `components`, named after the
//!   pointer's last segment or the file. URLs are refused.
//! - A path item given by `$ref` (`components/pathItems` in 3.1) is replaced by a copy of its
//!   target, so its operations generate like inline ones; in 3.1 a reference's `description`
//!   and `summary` siblings override its target's the same way.
//! - A reference to the wrong kind of object (a request body used as a response) is an error
//!   at the reference.
//!
//! Every move is recorded in [`Origins`], so diagnostics still point at the user's text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::Version;
use super::origins::Origins;
use super::walk::{self, Kind, METHODS};
use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};

/// Where a reference leads: a file (`None`: the spec itself) and unescaped pointer segments.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    file: Option<PathBuf>,
    segments: Vec<String>,
}

/// A `$ref` (or `$dynamicRef`) found in the document.
struct Site {
    at: Pointer,
    kind: Kind,
    reference: String,
    dynamic: bool,
}

/// Resolves, moves and copies; see the module docs.
struct Bundler {
    /// The spec file, canonical, when it was read from disk.
    spec: Option<PathBuf>,
    /// The spec's folder: relative file references start there.
    dir: Option<PathBuf>,
    /// Other files read so far, parsed.
    files: BTreeMap<PathBuf, Result<Value, String>>,
    /// Targets that have a place in `components` already, with the reference naming it.
    placed: BTreeMap<Target, String>,
    /// Targets in the spec to move into `components`: (segments, section, key).
    moves: Vec<(Vec<String>, &'static str, String)>,
    /// `components` keys in use, per section.
    taken: BTreeMap<&'static str, BTreeSet<String>>,
    /// Copies of other files' objects: (their reference, where they came from).
    imports: Vec<(String, String)>,
    /// `$anchor` → the schema's segments; `$dynamicAnchor` likewise.
    anchors: BTreeMap<String, Vec<String>>,
    dynamic_anchors: BTreeMap<String, Vec<String>>,
    diagnostics: Diagnostics,
}

/// Brings every `$ref` of `root` to the `#/components/<section>/<name>` form (see the module
/// docs). `spec` is the spec file when it was read from disk. Diagnostics point into the
/// user's files already.
pub(super) fn bundle(
    root: &mut Value,
    spec: Option<&Path>,
    version: Version,
    origins: &mut Origins,
) -> Diagnostics {
    let mut sites = Vec::new();
    let mut mappings = Vec::new();
    let mut anchors = BTreeMap::new();
    let mut dynamic_anchors = BTreeMap::new();
    walk::walk(
        root,
        &Pointer::root(),
        Kind::Document,
        &mut |value, at, kind| {
            collect(value, at, kind, &mut sites);
            if kind != Kind::Schema {
                return;
            }
            for (keyword, table) in [
                ("$anchor", &mut anchors),
                ("$dynamicAnchor", &mut dynamic_anchors),
            ] {
                if let Some(name) = value.get(keyword).and_then(Value::as_str) {
                    table
                        .entry(name.to_owned())
                        .or_insert_with(|| segments_of(at.as_str()));
                }
            }
            if let Some(mapping) = value
                .pointer("/discriminator/mapping")
                .and_then(Value::as_object)
            {
                for (tag, target) in mapping {
                    if let Some(target) = target.as_str().filter(|t| t.contains('#')) {
                        let at = at.join("discriminator").join("mapping").join(tag);
                        mappings.push((at, target.to_owned()));
                    }
                }
            }
        },
    );
    let needs_work = !sites.is_empty()
        && (sites
            .iter()
            .any(|s| !is_component_ref(&s.reference, s.kind) || s.dynamic)
            || sites.iter().any(|s| s.kind == Kind::PathItem)
            || version == Version::V3_1);
    if !needs_work {
        return Diagnostics::default();
    }

    let spec = spec.and_then(|p| p.canonicalize().ok());
    let mut bundler = Bundler {
        dir: spec
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf),
        spec,
        files: BTreeMap::new(),
        placed: BTreeMap::new(),
        moves: Vec::new(),
        imports: Vec::new(),
        taken: BTreeMap::new(),
        anchors,
        dynamic_anchors,
        diagnostics: Diagnostics::default(),
    };
    if let Some(components) = root.get("components").and_then(Value::as_object) {
        for (section, entries) in components {
            let Some(section) = Kind::of_section(section).and_then(Kind::section) else {
                continue;
            };
            if let Some(entries) = entries.as_object() {
                bundler
                    .taken
                    .entry(section)
                    .or_default()
                    .extend(entries.keys().cloned());
            }
        }
    }

    let mut rewrites = Vec::new();
    for site in &sites {
        if let Some(new) = bundler.resolve(root, site, None) {
            rewrites.push((site.at.clone(), site.dynamic, new));
        }
    }
    // Discriminator mappings name their targets like references do; they follow a moved
    // target, and are left alone when they do not resolve (a mapping may be a bare name).
    for (at, target) in &mappings {
        let site = Site {
            at: at.clone(),
            kind: Kind::Schema,
            reference: target.clone(),
            dynamic: false,
        };
        let quiet = bundler.diagnostics.0.len();
        let new = bundler.resolve(root, &site, None);
        bundler.diagnostics.0.truncate(quiet);
        if let Some(new) = new.filter(|new| new != target)
            && let Some(slot) = root.pointer_mut(&json_pointer(at))
        {
            *slot = Value::String(new);
        }
    }
    for (at, dynamic, new) in rewrites {
        if let Some(Value::Object(object)) = root.pointer_mut(&json_pointer(&at)) {
            if dynamic {
                object.remove("$dynamicRef");
            }
            object.insert("$ref".to_owned(), Value::String(new));
        }
    }
    bundler.apply_moves(root, origins);

    bundler.inline_path_items(root, origins);
    if version == Version::V3_1 {
        bundler.apply_reference_siblings(root, origins);
    }
    bundler.diagnostics
}

/// Records the references of one object.
fn collect(value: &Value, at: &Pointer, kind: Kind, sites: &mut Vec<Site>) {
    for (keyword, dynamic) in [("$ref", false), ("$dynamicRef", true)] {
        if dynamic && kind != Kind::Schema {
            continue;
        }
        if let Some(reference) = value.get(keyword).and_then(Value::as_str) {
            sites.push(Site {
                at: at.clone(),
                kind,
                reference: reference.to_owned(),
                dynamic,
            });
            return;
        }
    }
}

/// Whether `reference` is already `#/components/<section>/<key>` for `kind`'s section.
fn is_component_ref(reference: &str, kind: Kind) -> bool {
    let Some(section) = kind.section() else {
        return false;
    };
    reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.strip_prefix(section))
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|key| !key.contains('/') && !key.contains('%'))
}

impl Bundler {
    /// The reference that replaces `site.reference`, or `None` after reporting why there is
    /// none. `from` is the file the site is in (`None`: the spec).
    fn resolve(&mut self, root: &mut Value, site: &Site, from: Option<&Path>) -> Option<String> {
        let reference = site.reference.as_str();
        let keyword = if site.dynamic { "$dynamicRef" } else { "$ref" };
        let at = site_pointer(from, &site.at, self.dir.as_deref());
        let error = |message: String, help: &str| {
            Diagnostic::error(at.as_str(), format!("`{keyword}: {reference}` {message}"))
                .with_help(help)
        };
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let Ok(fragment) = percent_encoding::percent_decode_str(fragment).decode_utf8() else {
            self.diagnostics.push(error(
                "is not valid UTF-8 once percent-decoded".into(),
                "fix the reference",
            ));
            return None;
        };
        if site.dynamic {
            self.diagnostics.push(
                Diagnostic::warning(
                    at.as_str(),
                    "`$dynamicRef` is resolved statically, like a `$ref` to the schema with the same `$dynamicAnchor`; dynamic scopes are not followed",
                )
                .with_help("use `$ref` unless the schema is meant to be extended"),
            );
        }

        // Which file.
        let file = if file.is_empty() {
            from.map(Path::to_path_buf)
        } else if file.contains("://") || file.starts_with("//") || file.starts_with("urn:") {
            self.diagnostics.push(error(
                "is a URL; remote references are not fetched".into(),
                "download the document next to the spec and refer to it by a relative path (`./common.yaml#/components/schemas/X`)",
            ));
            return None;
        } else {
            let base = match from {
                Some(file) => file.parent().map(Path::to_path_buf),
                None => self.dir.clone(),
            };
            let Some(base) = base else {
                self.diagnostics.push(error(
                    "refers to another file, but the spec was not read from a file".into(),
                    "generate from the spec's path (`sdkgen generate path/to/spec.yaml`) so that files next to it are found",
                ));
                return None;
            };
            let path = base.join(file);
            match path.canonicalize() {
                Ok(path) if Some(&path) == self.spec.as_ref() => None,
                Ok(path) => Some(path),
                Err(e) => {
                    self.diagnostics.push(error(
                        format!("refers to {}, which cannot be read: {e}", path.display()),
                        "put the file next to the spec, or fix the path",
                    ));
                    return None;
                }
            }
        };

        // Which object in it.
        let segments = if fragment.is_empty() {
            Vec::new()
        } else if let Some(pointer) = fragment.strip_prefix('/') {
            pointer.split('/').map(unescape).collect()
        } else {
            let found = if site.dynamic {
                self.dynamic_anchors.get(fragment.as_ref())
            } else {
                None
            }
            .or_else(|| self.anchors.get(fragment.as_ref()));
            match (found, &file) {
                (Some(segments), None) => segments.clone(),
                _ => {
                    let anchor = if site.dynamic {
                        "$dynamicAnchor"
                    } else {
                        "$anchor"
                    };
                    self.diagnostics.push(error(
                        format!("names the anchor `{fragment}`, but no schema of the spec has `{anchor}: {fragment}`"),
                        "add the anchor to the schema, or use a JSON pointer (`#/components/schemas/Name`)",
                    ));
                    return None;
                }
            }
        };
        let Some(section) = site.kind.section() else {
            self.diagnostics.push(error(
                format!("stands where {} must be written out", site.kind.described()),
                "write the object here instead of referring to it",
            ));
            return None;
        };
        if file.is_none() {
            match segments.as_slice() {
                [] => {
                    self.diagnostics.push(error(
                        "points to the whole document".into(),
                        "point it at a component, such as `#/components/schemas/Name`",
                    ));
                    return None;
                }
                // A component of the expected kind: the model reports one that is missing.
                [components, s, key] if components == "components" && s == section => {
                    return Some(component_ref(section, key));
                }
                _ => {}
            }
        }
        let target = Target { file, segments };
        if let Some(placed) = self.placed.get(&target) {
            return Some(placed.clone());
        }

        let (document, doc_name) = match &target.file {
            None => (&*root, "the spec".to_owned()),
            Some(path) => {
                let name = display(path, self.dir.as_deref());
                match self.read(path) {
                    Ok(value) => (value, name),
                    Err(why) => {
                        self.diagnostics
                            .push(error(why, "fix the file, or the reference"));
                        return None;
                    }
                }
            }
        };
        let Some(found) = get(document, &target.segments) else {
            let d = error(
                format!(
                    "points to nothing: {doc_name} has no `{}`",
                    pointer_of(&target.segments)
                ),
                "fix the pointer, or define what it points to",
            );
            self.diagnostics.push(d);
            return None;
        };
        let is_openapi = target.file.is_none() || document.get("openapi").is_some();
        let found_kind = match target.segments.as_slice() {
            [components, section, _] if components == "components" => Kind::of_section(section),
            _ if is_openapi => walk::kind_at(document, Kind::Document, &target.segments),
            _ => None,
        };
        // Only a copy of another file's object is needed; the spec's own is moved later.
        let copy = target.file.is_some().then(|| found.clone());
        if let Some(found_kind) = found_kind.filter(|k| *k != site.kind) {
            let d = error(
                format!(
                    "points to {}, but {} is expected here",
                    found_kind.described(),
                    site.kind.described()
                ),
                &format!(
                    "point it at {} (under components/{section})",
                    site.kind.described()
                ),
            );
            self.diagnostics.push(d);
            return None;
        }

        let Some((path, mut copy)) = target.file.clone().zip(copy) else {
            let key = self.claim(section, &hoisted_words(root, &target.segments));
            let new = component_ref(section, &key);
            self.placed.insert(target.clone(), new.clone());
            self.moves.push((target.segments, section, key));
            return Some(new);
        };
        let words = match target.segments.last() {
            Some(last) => vec![last.clone()],
            None => vec![
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "external".to_owned()),
            ],
        };
        let key = self.claim(section, &words);
        let new = component_ref(section, &key);
        self.placed.insert(target.clone(), new.clone());
        self.imports.push((
            new.clone(),
            format!(
                "{}#{}",
                display(&path, self.dir.as_deref()),
                pointer_of(&target.segments)
            ),
        ));
        // The copy's own references are relative to its file.
        let copy_at = Pointer::from_ref(&format!("#{}", pointer_of(&target.segments)));
        let mut inner = Vec::new();
        walk::walk(&copy, &copy_at, site.kind, &mut |value, at, kind| {
            collect(value, at, kind, &mut inner);
        });
        let mut rewrites = Vec::new();
        for inner_site in &inner {
            if let Some(new) = self.resolve(root, inner_site, Some(&path)) {
                let relative = inner_site.at.as_str()[copy_at.as_str().len()..].to_owned();
                rewrites.push((relative, inner_site.dynamic, new));
            }
        }
        for (relative, dynamic, new) in rewrites {
            if let Some(Value::Object(object)) = copy.pointer_mut(&relative) {
                if dynamic {
                    object.remove("$dynamicRef");
                }
                object.insert("$ref".to_owned(), Value::String(new));
            }
        }
        insert_component(root, section, &key, copy);
        Some(new)
    }

    /// Reads and parses another file, once.
    fn read(&mut self, path: &Path) -> Result<&Value, String> {
        if !self.files.contains_key(path) {
            let parsed = std::fs::read(path)
                .map_err(|e| format!("refers to {}, which cannot be read: {e}", path.display()))
                .and_then(|bytes| {
                    let name = display(path, self.dir.as_deref());
                    super::text::parse_value(&bytes, &name).map_err(|d| {
                        format!(
                            "refers to {name}, which cannot be read: {}",
                            d.0.first().map(|d| d.message.as_str()).unwrap_or("?")
                        )
                    })
                });
            self.files.insert(path.to_path_buf(), parsed);
        }
        match &self.files[path] {
            Ok(value) => Ok(value),
            Err(why) => Err(why.clone()),
        }
    }

    /// A fresh key in `components/<section>` made of `words`.
    fn claim(&mut self, section: &'static str, words: &[String]) -> String {
        let base: String = words
            .iter()
            .map(|w| w.replace(['/', '~', '%', '#'], " ").trim().to_owned())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let base = if base.is_empty() {
            "Shared".to_owned()
        } else {
            base
        };
        let taken = self.taken.entry(section).or_default();
        let mut key = base.clone();
        let mut n = 2;
        while taken.contains(&key) {
            key = format!("{base} {n}");
            n += 1;
        }
        taken.insert(key.clone());
        key
    }

    /// Moves the targets of pointers into `components`, deepest first so that a target inside
    /// another one moves before its container does, leaving a `$ref` in each place.
    fn apply_moves(&mut self, root: &mut Value, origins: &mut Origins) {
        for (now, before) in std::mem::take(&mut self.imports) {
            origins.moved(now, before);
        }
        let mut moves = std::mem::take(&mut self.moves);
        moves.sort_by_key(|(segments, ..)| std::cmp::Reverse(segments.len()));
        for (segments, section, key) in moves {
            let new = component_ref(section, &key);
            let Some(slot) = root.pointer_mut(&json_pointer_of(&segments)) else {
                continue;
            };
            let mut reference = Map::new();
            reference.insert("$ref".to_owned(), Value::String(new.clone()));
            let value = std::mem::replace(slot, Value::Object(reference));
            insert_component(root, section, &key, value);
            origins.moved(new, format!("#{}", pointer_of(&segments)));
        }
    }

    /// Replaces each path item given by `$ref` (outside `components/pathItems`) with a copy of
    /// its target; the reference's own fields win.
    fn inline_path_items(&mut self, root: &mut Value, origins: &mut Origins) {
        let mut sites = Vec::new();
        walk::walk(
            root,
            &Pointer::root(),
            Kind::Document,
            &mut |value, at, kind| {
                if kind == Kind::PathItem && !at.as_str().starts_with("#/components/pathItems/") {
                    collect(value, at, kind, &mut sites);
                }
            },
        );
        for site in sites {
            let Some((target_at, target)) = self.follow(root, &site, Kind::PathItem) else {
                continue;
            };
            let Some(Value::Object(slot)) = root.pointer_mut(&json_pointer(&site.at)) else {
                continue;
            };
            let mut item = target;
            for (key, value) in std::mem::take(slot) {
                if key != "$ref" {
                    item.insert(key, value);
                }
            }
            *slot = item;
            origins.moved(site.at.as_str(), target_at);
        }
    }

    /// OpenAPI 3.1: a reference's `description` (and an example's `summary`) override the
    /// target's, so the reference becomes a copy of its target with them applied.
    fn apply_reference_siblings(&mut self, root: &mut Value, origins: &mut Origins) {
        let mut sites = Vec::new();
        walk::walk(
            root,
            &Pointer::root(),
            Kind::Document,
            &mut |value, at, kind| {
                let overrides = value.get("description").is_some()
                    || (kind == Kind::Example && value.get("summary").is_some());
                if kind != Kind::Schema && kind != Kind::PathItem && overrides {
                    collect(value, at, kind, &mut sites);
                }
            },
        );
        for site in sites {
            let Some((target_at, mut target)) = self.follow(root, &site, site.kind) else {
                continue;
            };
            let Some(Value::Object(slot)) = root.pointer_mut(&json_pointer(&site.at)) else {
                continue;
            };
            for key in ["description", "summary"] {
                if let Some(value) = slot.remove(key)
                    && (key == "description" || site.kind == Kind::Example)
                {
                    target.insert(key.to_owned(), value);
                }
            }
            *slot = target;
            origins.moved(site.at.as_str(), target_at);
        }
    }

    /// The object a component reference leads to, through references to references, with
    /// where it is; reports references that lead nowhere or in a circle.
    fn follow(
        &mut self,
        root: &Value,
        site: &Site,
        kind: Kind,
    ) -> Option<(String, Map<String, Value>)> {
        let section = kind.section()?;
        let mut reference = site.reference.clone();
        let mut seen = BTreeSet::new();
        loop {
            // References that are not in component form were reported while resolving.
            let key = reference
                .strip_prefix("#/components/")?
                .strip_prefix(section)?
                .strip_prefix('/')?;
            let target_at = reference.clone();
            if !seen.insert(target_at.clone()) {
                self.diagnostics.push(
                    Diagnostic::error(
                        site.at.as_str(),
                        format!(
                            "`$ref: {}` leads back to itself through other references",
                            site.reference
                        ),
                    )
                    .with_help(format!(
                        "give one of the {section} in the cycle its content"
                    )),
                );
                return None;
            }
            let found = root
                .get("components")
                .and_then(|c| c.get(section))
                .and_then(|s| s.get(unescape(key)));
            match found {
                Some(Value::Object(object)) => match object.get("$ref").and_then(Value::as_str) {
                    Some(next) => reference = next.to_owned(),
                    None => return Some((target_at, object.clone())),
                },
                _ => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            site.at.as_str(),
                            format!(
                                "`$ref: {}` points to {} that does not exist",
                                site.reference,
                                kind.described()
                            ),
                        )
                        .with_help(format!(
                            "define it under components/{section}, or fix the reference"
                        )),
                    );
                    return None;
                }
            }
        }
    }
}

/// Words for the name of a moved target, after its place: `components/schemas/A/properties/b`
/// → `A b`; `paths/~1a/get/requestBody/…/schema` → `<operationId> Body`.
fn hoisted_words(root: &Value, segments: &[String]) -> Vec<String> {
    let mut words = Vec::new();
    let rest: &[String] = match segments {
        [components, _, key, rest @ ..] if components == "components" => {
            words.push(key.clone());
            rest
        }
        [paths, path, method, rest @ ..]
            if (paths == "paths" || paths == "webhooks") && METHODS.contains(&method.as_str()) =>
        {
            let id = root
                .get(paths.as_str())
                .and_then(|p| p.get(path.as_str()))
                .and_then(|p| p.get(method.as_str()))
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str);
            match id {
                Some(id) => words.push(id.to_owned()),
                None => {
                    words.push(method.clone());
                    words.push(path.clone());
                }
            }
            rest
        }
        [paths, path, rest @ ..] if paths == "paths" || paths == "webhooks" => {
            words.push(path.clone());
            rest
        }
        other => other,
    };
    let mut i = 0;
    while i < rest.len() {
        let (segment, next) = (rest[i].as_str(), rest.get(i + 1));
        let pair = |word: String| (word, 2);
        let (word, step) = match (segment, next) {
            (
                "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
                | "headers" | "callbacks" | "encoding" | "links" | "examples",
                Some(name),
            ) => pair(name.clone()),
            ("items" | "prefixItems", Some(index)) if index.parse::<usize>().is_ok() => {
                pair(format!("Item{index}"))
            }
            ("allOf" | "anyOf" | "oneOf", Some(index)) => pair(format!("{segment}{index}")),
            ("responses", Some(code)) => pair(format!("Response{}", code.to_ascii_uppercase())),
            ("parameters", Some(index)) => {
                let name = get(root, &segments[..segments.len() - rest.len() + i + 2])
                    .and_then(|p| p.get("name"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("Param{index}"));
                pair(name)
            }
            ("content", Some(_)) => (String::new(), 2),
            ("schema", _) => (String::new(), 1),
            ("items", _) => ("Item".to_owned(), 1),
            ("additionalProperties", _) => ("Value".to_owned(), 1),
            ("requestBody", _) => ("Body".to_owned(), 1),
            (other, _) => (other.to_owned(), 1),
        };
        if !word.is_empty() {
            words.push(word);
        }
        i += step;
    }
    words
}

fn insert_component(root: &mut Value, section: &str, key: &str, value: Value) {
    let Some(object) = root.as_object_mut() else {
        return;
    };
    let components = object
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        return;
    }
    let entries = components.as_object_mut().map(|c| {
        c.entry(section)
            .or_insert_with(|| Value::Object(Map::new()))
    });
    if let Some(Value::Object(entries)) = entries {
        entries.insert(key.to_owned(), value);
    }
}

/// `#/components/<section>/<key>`, the key escaped.
fn component_ref(section: &str, key: &str) -> String {
    Pointer::root()
        .join("components")
        .join(section)
        .join(key)
        .to_string()
}

/// The value at unescaped `segments`.
fn get<'v>(value: &'v Value, segments: &[String]) -> Option<&'v Value> {
    segments
        .iter()
        .try_fold(value, |value, segment| match value {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
}

/// RFC 6901: `~1` → `/`, `~0` → `~`.
pub(super) fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The unescaped segments of a `#/a/b` pointer.
fn segments_of(pointer: &str) -> Vec<String> {
    pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(unescape)
        .collect()
}

/// `/a/b~1c` from unescaped segments.
fn pointer_of(segments: &[String]) -> String {
    segments
        .iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// The form `serde_json::Value::pointer` takes: the pointer without its `#`.
fn json_pointer(at: &Pointer) -> String {
    at.as_str().trim_start_matches('#').to_owned()
}

fn json_pointer_of(segments: &[String]) -> String {
    pointer_of(segments)
}

/// Where a site is, for a diagnostic: in the spec, or `file#/pointer` in another file.
fn site_pointer(file: Option<&Path>, at: &Pointer, dir: Option<&Path>) -> String {
    match file {
        None => at.to_string(),
        Some(file) => format!("{}{}", display(file, dir), at),
    }
}

/// A file's path relative to the spec's folder when it is inside it, with `/` separators.
fn display(path: &Path, dir: Option<&Path>) -> String {
    let shown = dir
        .and_then(|dir| path.strip_prefix(dir).ok())
        .unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}
