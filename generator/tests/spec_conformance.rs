//! Structural conformance of our hand-written OpenAPI fragment
//! (`spec/clerk-organization-memberships.yaml`) with the published Clerk
//! Backend API document it was derived from.
//!
//! For every operation of the fragment the same `operationId` must exist in the
//! real document with the same method and path, the same parameters, request
//! body and responses; JSON schemas are compared recursively after resolving
//! `$ref`s. Prose (`description`, `summary`, `title`), `example(s)` and `x-*`
//! extensions inside operations and schemas are ignored. The root retry
//! extension, the server URL, the security requirements and schemes are
//! compared too.
//!
//! The real document is looked up in `$SDKGEN_SHARED_SPECS/clerk/bapi-*.yml`
//! (the newest by file name), falling back to `<workspace>/../shared/specs`.
//! When neither exists the conformance test prints `skipping: …` and passes;
//! the unit tests of the comparison itself always run, against in-memory
//! copies of the fragment.
//!
//! This file depends only on external crates, not on the `sdkgen` library.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

/// Environment variable naming the directory of shared reference specs.
const SHARED_SPECS_ENV: &str = "SDKGEN_SHARED_SPECS";
/// Our fragment, relative to the workspace root.
const FRAGMENT: &str = "spec/clerk-organization-memberships.yaml";
/// HTTP methods an OpenAPI 3.0 path item can hold, in document order.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fragment_path() -> PathBuf {
    workspace_root().join(FRAGMENT)
}

/// Converts a YAML value to JSON. Mapping keys that are not strings (e.g. an
/// unquoted `200:` status code) become their textual form, as OpenAPI means.
fn yaml_to_json(value: serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (yaml_key(k), yaml_to_json(v)))
                .collect(),
        ),
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

fn yaml_key(key: serde_norway::Value) -> String {
    match key {
        serde_norway::Value::String(s) => s,
        other => match yaml_to_json(other) {
            Value::String(s) => s,
            v => v.to_string(),
        },
    }
}

fn parse_yaml(text: &str) -> Result<Value, String> {
    serde_norway::from_str::<serde_norway::Value>(text)
        .map(yaml_to_json)
        .map_err(|e| e.to_string())
}

fn load_yaml(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_yaml(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))
}

/// Our fragment, parsed once.
fn ours() -> &'static Value {
    static OURS: OnceLock<Value> = OnceLock::new();
    OURS.get_or_init(|| load_yaml(&fragment_path()).unwrap_or_else(|e| panic!("{e}")))
}

/// The newest `clerk/bapi-*.yml` below `dir`, by file name (the names carry
/// the ISO date of the API version, so the greatest name is the newest).
fn newest_clerk_spec(dir: &Path) -> Result<PathBuf, String> {
    let clerk = dir.join("clerk");
    let entries = std::fs::read_dir(&clerk)
        .map_err(|e| format!("no readable directory {}: {e}", clerk.display()))?;
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && path
                    .file_name()
                    .and_then(OsStr::to_str)
                    .is_some_and(|name| {
                        name.starts_with("bapi-")
                            && (name.ends_with(".yml") || name.ends_with(".yaml"))
                    })
        })
        .max_by(|a, b| a.file_name().cmp(&b.file_name()))
        .ok_or_else(|| format!("no clerk/bapi-*.yml in {}", dir.display()))
}

/// Where the real spec is: `env_dir` (the value of `SDKGEN_SHARED_SPECS`) when
/// set and non-empty, else `fallback_dir`. `Err` carries the reason to skip.
fn locate_real_spec(env_dir: Option<&OsStr>, fallback_dir: &Path) -> Result<PathBuf, String> {
    match env_dir.filter(|dir| !dir.is_empty()) {
        Some(dir) => newest_clerk_spec(Path::new(dir))
            .map_err(|e| format!("{SHARED_SPECS_ENV} is set, but: {e}")),
        None => newest_clerk_spec(fallback_dir).map_err(|e| {
            format!("{SHARED_SPECS_ENV} is not set and the fallback does not hold the spec: {e}")
        }),
    }
}

/// The real Clerk spec, located and parsed once (700 KB of YAML).
fn real_spec() -> &'static Result<(PathBuf, Value), String> {
    static REAL: OnceLock<Result<(PathBuf, Value), String>> = OnceLock::new();
    REAL.get_or_init(|| {
        let env_dir = std::env::var_os(SHARED_SPECS_ENV);
        let path = locate_real_spec(
            env_dir.as_deref(),
            &workspace_root().join("..").join("shared").join("specs"),
        )?;
        let doc = load_yaml(&path)?;
        Ok((path, doc))
    })
}

// ---------------------------------------------------------------------------
// Differences
// ---------------------------------------------------------------------------

/// One structural difference between our fragment and the real spec.
#[derive(Debug, Clone, PartialEq)]
struct Difference {
    /// Operation (or `<root>` / `components.…`) the difference belongs to.
    scope: String,
    /// JSON-pointer-like location inside the scope.
    path: String,
    ours: String,
    theirs: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}\n      ours:   {}\n      theirs: {}",
            self.scope, self.path, self.ours, self.theirs
        )
    }
}

fn render(differences: &[Difference]) -> String {
    differences
        .iter()
        .map(|d| format!("  - {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

const ABSENT: &str = "(absent)";

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| ABSENT.to_owned(), Value::to_string)
}

/// A set with the part the other side lacks; small sets are shown whole.
fn describe_set(set: &BTreeSet<String>, only_here: &BTreeSet<String>, label: &str) -> String {
    let whole = (set.len() <= 8).then(|| format!("{set:?}"));
    match (whole, only_here.is_empty()) {
        (Some(whole), true) => whole,
        (Some(whole), false) => format!("{whole}; {label}: {only_here:?}"),
        (None, true) => format!("{} entries, none {label}", set.len()),
        (None, false) => format!("{} entries; {label}: {only_here:?}", set.len()),
    }
}

/// Equality with numbers compared by value (`10` equals `10.0`).
fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || matches!((x.as_f64(), y.as_f64()), (Some(p), Some(q)) if p == q)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w)))
        }
        _ => a == b,
    }
}

fn options_equal(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => values_equal(x, y),
        _ => false,
    }
}

/// Escapes one JSON-pointer segment.
fn seg(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Keys ignored inside schemas, parameters and the like.
fn is_prose_key(key: &str) -> bool {
    matches!(
        key,
        "description" | "summary" | "title" | "example" | "examples" | "externalDocs" | "xml"
    ) || key.starts_with("x-")
}

/// Keys of JSON-schema booleans whose absence means `false`.
fn is_false_by_default(key: &str) -> bool {
    matches!(
        key,
        "nullable"
            | "deprecated"
            | "readOnly"
            | "writeOnly"
            | "uniqueItems"
            | "exclusiveMinimum"
            | "exclusiveMaximum"
    )
}

fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

fn ref_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// Resolves a local `$ref` (`#/a/b/c`) in `doc`.
fn pointer<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let fragment = reference.strip_prefix('#')?;
    doc.pointer(fragment)
}

/// Follows `$ref` chains; `None` when a reference dangles (or loops).
fn deref<'a>(doc: &'a Value, value: &'a Value) -> Option<&'a Value> {
    let mut current = value;
    for _ in 0..32 {
        match ref_of(current) {
            Some(reference) => current = pointer(doc, reference)?,
            None => return Some(current),
        }
    }
    None
}

fn string_set(value: Option<&Value>) -> BTreeSet<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn object_keys(value: Option<&Value>) -> BTreeSet<String> {
    value
        .and_then(Value::as_object)
        .map(|map| map.keys().cloned().collect())
        .unwrap_or_default()
}

/// One operation found in a document.
struct Operation<'a> {
    method: &'a str,
    path: &'a str,
    op: &'a Value,
    path_item: &'a Value,
}

/// Operations by `operationId`; a second operation with the same id is
/// reported in `duplicates`.
fn operations(doc: &Value) -> (BTreeMap<String, Operation<'_>>, Vec<String>) {
    let mut found = BTreeMap::new();
    let mut duplicates = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return (found, duplicates);
    };
    for (path, item) in paths {
        let item = deref(doc, item).unwrap_or(item);
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op.get("operationId").and_then(Value::as_str).map_or_else(
                || format!("<no operationId: {method} {path}>"),
                str::to_owned,
            );
            let entry = Operation {
                method,
                path,
                op,
                path_item: item,
            };
            if found.insert(id.clone(), entry).is_some() {
                duplicates.push(id);
            }
        }
    }
    (found, duplicates)
}

/// Compares two OpenAPI documents: `ours` must be a structurally faithful
/// subset of `theirs`.
struct Comparison<'a> {
    ours: &'a Value,
    theirs: &'a Value,
    differences: Vec<Difference>,
    /// `$ref` pairs already compared, so shared schemas are reported once.
    compared_refs: HashSet<(String, String)>,
}

impl<'a> Comparison<'a> {
    fn new(ours: &'a Value, theirs: &'a Value) -> Self {
        Self {
            ours,
            theirs,
            differences: Vec::new(),
            compared_refs: HashSet::new(),
        }
    }

    fn differ(&mut self, scope: &str, path: &str, ours: String, theirs: String) {
        self.differences.push(Difference {
            scope: scope.to_owned(),
            path: path.to_owned(),
            ours,
            theirs,
        });
    }

    fn check_equal(
        &mut self,
        scope: &str,
        path: &str,
        ours: Option<&Value>,
        theirs: Option<&Value>,
    ) {
        if !options_equal(ours, theirs) {
            self.differ(scope, path, show(ours), show(theirs));
        }
    }

    /// Compares a boolean whose absence means `default`.
    fn check_flag(
        &mut self,
        scope: &str,
        path: &str,
        ours: Option<&Value>,
        theirs: Option<&Value>,
        default: bool,
    ) {
        let o = ours.and_then(Value::as_bool).unwrap_or(default);
        let t = theirs.and_then(Value::as_bool).unwrap_or(default);
        let malformed =
            ours.is_some_and(|v| !v.is_boolean()) || theirs.is_some_and(|v| !v.is_boolean());
        if o != t || malformed {
            self.differ(scope, path, show(ours), show(theirs));
        }
    }

    fn check_key_sets(
        &mut self,
        scope: &str,
        path: &str,
        ours: &BTreeSet<String>,
        theirs: &BTreeSet<String>,
    ) {
        if ours != theirs {
            let extra: BTreeSet<_> = ours.difference(theirs).cloned().collect();
            let missing: BTreeSet<_> = theirs.difference(ours).cloned().collect();
            self.differ(
                scope,
                path,
                describe_set(ours, &extra, "only in ours"),
                describe_set(theirs, &missing, "missing from ours"),
            );
        }
    }

    /// When either side is a `$ref`, both must be and name the same target.
    fn check_refs(&mut self, scope: &str, path: &str, ours: &Value, theirs: &Value) {
        match (ref_of(ours), ref_of(theirs)) {
            (None, None) => {}
            (o, t) => {
                let same = matches!((o, t), (Some(a), Some(b)) if ref_name(a) == ref_name(b));
                if !same {
                    self.differ(
                        scope,
                        &format!("{path}/$ref"),
                        o.map_or_else(|| "(inline)".to_owned(), str::to_owned),
                        t.map_or_else(|| "(inline)".to_owned(), str::to_owned),
                    );
                }
            }
        }
    }

    /// Resolves both sides, reporting dangling references.
    fn resolve_both<'b>(
        &mut self,
        scope: &str,
        path: &str,
        ours: &'b Value,
        theirs: &'b Value,
    ) -> Option<(&'b Value, &'b Value)>
    where
        'a: 'b,
    {
        let o = deref(self.ours, ours);
        let t = deref(self.theirs, theirs);
        if o.is_none() {
            self.differ(
                scope,
                path,
                format!("dangling {}", show(ours.get("$ref"))),
                "-".into(),
            );
        }
        if t.is_none() {
            self.differ(
                scope,
                path,
                "-".into(),
                format!("dangling {}", show(theirs.get("$ref"))),
            );
        }
        Some((o?, t?))
    }

    // -- root -------------------------------------------------------------

    fn compare_root(&mut self) {
        let scope = "<root>";
        let (ours, theirs) = (self.ours, self.theirs);
        self.check_equal(
            scope,
            "/openapi",
            ours.get("openapi"),
            theirs.get("openapi"),
        );
        self.check_equal(
            scope,
            "/info/version",
            ours.pointer("/info/version"),
            theirs.pointer("/info/version"),
        );
        let urls = |doc: &Value| -> Value {
            Value::Array(
                doc.get("servers")
                    .and_then(Value::as_array)
                    .map(|servers| {
                        servers
                            .iter()
                            .filter_map(|s| s.get("url").cloned())
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        };
        self.check_equal(
            scope,
            "/servers/*/url",
            Some(&urls(ours)),
            Some(&urls(theirs)),
        );
        self.check_equal(
            scope,
            "/security",
            ours.get("security"),
            theirs.get("security"),
        );
        self.check_equal(
            scope,
            "/x-speakeasy-retries",
            ours.get("x-speakeasy-retries"),
            theirs.get("x-speakeasy-retries"),
        );

        // Security schemes used by our root requirement must exist on both
        // sides and agree on everything but prose.
        let mut used = BTreeSet::new();
        for requirement in ours
            .get("security")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            used.extend(object_keys(Some(requirement)));
        }
        used.extend(object_keys(ours.pointer("/components/securitySchemes")));
        for name in used {
            let path = format!("/components/securitySchemes/{}", seg(&name));
            let (o, t) = (ours.pointer(&path), theirs.pointer(&path));
            match (o, t) {
                (Some(o), Some(t)) => {
                    for key in union_keys(o, t) {
                        if !is_prose_key(&key) {
                            self.check_equal(
                                scope,
                                &format!("{path}/{}", seg(&key)),
                                o.get(&key),
                                t.get(&key),
                            );
                        }
                    }
                }
                _ => self.differ(scope, &path, presence(o), presence(t)),
            }
        }
    }

    // -- components -------------------------------------------------------

    /// Every component of ours must exist in theirs and match, and must be
    /// used (reachable from the paths).
    fn compare_components(&mut self) {
        let reachable = reachable_refs(self.ours);
        for kind in [
            "schemas",
            "parameters",
            "responses",
            "requestBodies",
            "headers",
        ] {
            for name in object_keys(self.ours.pointer(&format!("/components/{kind}"))) {
                let reference = format!("#/components/{kind}/{}", seg(&name));
                let scope = format!("components.{kind}.{name}");
                if !reachable.contains(&reference) {
                    self.differ(
                        &scope,
                        "",
                        "defined but never referenced".into(),
                        "-".into(),
                    );
                }
                let ref_value = serde_json::json!({ "$ref": reference });
                let Some(theirs) = pointer(self.theirs, &reference) else {
                    self.differ(&scope, "", "present".into(), ABSENT.into());
                    continue;
                };
                let ours = pointer(self.ours, &reference).expect("listed key exists");
                match kind {
                    "schemas" => self.compare_schema(&scope, "", &ref_value, &ref_value),
                    "parameters" => self.compare_parameter(&scope, "", ours, theirs),
                    "responses" => self.compare_response(&scope, "", ours, theirs),
                    "requestBodies" => self.compare_request_body(&scope, "", ours, theirs),
                    _ => self.compare_generic(&scope, "", ours, theirs),
                }
            }
        }
    }

    // -- operations -------------------------------------------------------

    fn compare_operations(&mut self) {
        let (ours, duplicates) = operations(self.ours);
        for id in duplicates {
            self.differ(
                &id,
                "/operationId",
                "used more than once".into(),
                "-".into(),
            );
        }
        let (theirs, _) = operations(self.theirs);
        for (id, o) in &ours {
            let Some(t) = theirs.get(id) else {
                self.differ(
                    id,
                    "",
                    format!("{} {}", o.method.to_uppercase(), o.path),
                    "(no such operationId)".into(),
                );
                continue;
            };
            let scope = format!("{id} ({} {})", o.method.to_uppercase(), o.path);
            if o.method != t.method || o.path != t.path {
                self.differ(
                    &scope,
                    "/(method, path)",
                    format!("{} {}", o.method.to_uppercase(), o.path),
                    format!("{} {}", t.method.to_uppercase(), t.path),
                );
            }
            self.compare_operation(&scope, o, t);
        }
    }

    fn compare_operation(&mut self, scope: &str, o: &Operation<'a>, t: &Operation<'a>) {
        self.check_equal(scope, "/tags", o.op.get("tags"), t.op.get("tags"));
        self.check_flag(
            scope,
            "/deprecated",
            o.op.get("deprecated"),
            t.op.get("deprecated"),
            false,
        );
        self.check_equal(
            scope,
            "/security",
            o.op.get("security"),
            t.op.get("security"),
        );

        // Parameters: path-level ones, overridden by operation-level ones.
        let ours = self.effective_parameters(scope, self.ours, o);
        let theirs = self.effective_parameters(scope, self.theirs, t);
        let ours_keys: BTreeSet<String> = ours.keys().cloned().collect();
        let theirs_keys: BTreeSet<String> = theirs.keys().cloned().collect();
        self.check_key_sets(scope, "/parameters", &ours_keys, &theirs_keys);
        for (key, ours_param) in &ours {
            if let Some(theirs_param) = theirs.get(key) {
                self.compare_parameter(
                    scope,
                    &format!("/parameters/{key}"),
                    ours_param,
                    theirs_param,
                );
            }
        }

        // Request body.
        match (o.op.get("requestBody"), t.op.get("requestBody")) {
            (None, None) => {}
            (Some(ob), Some(tb)) => self.compare_request_body(scope, "/requestBody", ob, tb),
            (ob, tb) => self.differ(scope, "/requestBody", presence(ob), presence(tb)),
        }

        // Responses.
        let (or, tr) = (o.op.get("responses"), t.op.get("responses"));
        self.check_key_sets(scope, "/responses", &object_keys(or), &object_keys(tr));
        if let (Some(or), Some(tr)) = (or, tr) {
            for status in object_keys(Some(or)).intersection(&object_keys(Some(tr))) {
                self.compare_response(
                    scope,
                    &format!("/responses/{}", seg(status)),
                    &or[status],
                    &tr[status],
                );
            }
        }
    }

    /// Parameters keyed `in:name`, refs kept (the caller compares them).
    fn effective_parameters(
        &mut self,
        scope: &str,
        doc: &'a Value,
        op: &Operation<'a>,
    ) -> BTreeMap<String, &'a Value> {
        let mut params = BTreeMap::new();
        let lists = [op.path_item.get("parameters"), op.op.get("parameters")];
        for list in lists.into_iter().flatten() {
            for param in list.as_array().into_iter().flatten() {
                let Some(resolved) = deref(doc, param) else {
                    let side = if std::ptr::eq(doc, self.ours) {
                        "ours"
                    } else {
                        "theirs"
                    };
                    self.differ(
                        scope,
                        "/parameters",
                        format!("{side}: dangling {}", show(param.get("$ref"))),
                        "-".into(),
                    );
                    continue;
                };
                let key = format!(
                    "{}:{}",
                    resolved.get("in").and_then(Value::as_str).unwrap_or("?"),
                    resolved.get("name").and_then(Value::as_str).unwrap_or("?"),
                );
                params.insert(key, param);
            }
        }
        params
    }

    fn compare_parameter(&mut self, scope: &str, path: &str, ours: &Value, theirs: &Value) {
        self.check_refs(scope, path, ours, theirs);
        let Some((o, t)) = self.resolve_both(scope, path, ours, theirs) else {
            return;
        };
        for key in ["name", "in", "style", "allowReserved"] {
            self.check_equal(scope, &format!("{path}/{key}"), o.get(key), t.get(key));
        }
        self.check_equal(
            scope,
            &format!("{path}/explode"),
            o.get("explode"),
            t.get("explode"),
        );
        for key in ["required", "deprecated", "allowEmptyValue"] {
            self.check_flag(
                scope,
                &format!("{path}/{key}"),
                o.get(key),
                t.get(key),
                false,
            );
        }
        match (o.get("schema"), t.get("schema")) {
            (Some(os), Some(ts)) => self.compare_schema(scope, &format!("{path}/schema"), os, ts),
            (os, ts) => {
                if os.is_some() || ts.is_some() {
                    self.differ(scope, &format!("{path}/schema"), presence(os), presence(ts));
                }
            }
        }
        if o.get("content").is_some() || t.get("content").is_some() {
            self.compare_content(
                scope,
                &format!("{path}/content"),
                o.get("content"),
                t.get("content"),
            );
        }
    }

    fn compare_request_body(&mut self, scope: &str, path: &str, ours: &Value, theirs: &Value) {
        self.check_refs(scope, path, ours, theirs);
        let Some((o, t)) = self.resolve_both(scope, path, ours, theirs) else {
            return;
        };
        self.check_flag(
            scope,
            &format!("{path}/required"),
            o.get("required"),
            t.get("required"),
            false,
        );
        self.compare_content(
            scope,
            &format!("{path}/content"),
            o.get("content"),
            t.get("content"),
        );
    }

    fn compare_response(&mut self, scope: &str, path: &str, ours: &Value, theirs: &Value) {
        self.check_refs(scope, path, ours, theirs);
        let Some((o, t)) = self.resolve_both(scope, path, ours, theirs) else {
            return;
        };
        self.check_key_sets(
            scope,
            &format!("{path}/headers"),
            &object_keys(o.get("headers")),
            &object_keys(t.get("headers")),
        );
        self.compare_content(
            scope,
            &format!("{path}/content"),
            o.get("content"),
            t.get("content"),
        );
    }

    fn compare_content(
        &mut self,
        scope: &str,
        path: &str,
        ours: Option<&Value>,
        theirs: Option<&Value>,
    ) {
        self.check_key_sets(scope, path, &object_keys(ours), &object_keys(theirs));
        let (Some(ours), Some(theirs)) = (ours, theirs) else {
            return;
        };
        for media in object_keys(Some(ours)).intersection(&object_keys(Some(theirs))) {
            let media_path = format!("{path}/{}", seg(media));
            match (ours[media].get("schema"), theirs[media].get("schema")) {
                (Some(os), Some(ts)) => {
                    self.compare_schema(scope, &format!("{media_path}/schema"), os, ts)
                }
                (None, None) => {}
                (os, ts) => self.differ(
                    scope,
                    &format!("{media_path}/schema"),
                    presence(os),
                    presence(ts),
                ),
            }
        }
    }

    // -- schemas ----------------------------------------------------------

    fn compare_schema(&mut self, scope: &str, path: &str, ours: &Value, theirs: &Value) {
        if let (Some(o), Some(t)) = (ref_of(ours), ref_of(theirs)) {
            let first_time = self.compared_refs.insert((o.to_owned(), t.to_owned()));
            if !first_time {
                return; // already compared (or being compared: recursion)
            }
        }
        self.check_refs(scope, path, ours, theirs);
        let Some((o, t)) = self.resolve_both(scope, path, ours, theirs) else {
            return;
        };
        let (Some(om), Some(tm)) = (o.as_object(), t.as_object()) else {
            self.check_equal(scope, path, Some(o), Some(t));
            return;
        };
        let keys: BTreeSet<&String> = om.keys().chain(tm.keys()).collect();
        for key in keys {
            if is_prose_key(key) || key == "$ref" {
                continue;
            }
            let key_path = format!("{path}/{}", seg(key));
            let (ov, tv) = (om.get(key), tm.get(key));
            match key.as_str() {
                "properties" => {
                    self.check_key_sets(scope, &key_path, &object_keys(ov), &object_keys(tv));
                    if let (Some(ov), Some(tv)) = (ov, tv) {
                        for name in object_keys(Some(ov)).intersection(&object_keys(Some(tv))) {
                            self.compare_schema(
                                scope,
                                &format!("{key_path}/{}", seg(name)),
                                &ov[name],
                                &tv[name],
                            );
                        }
                    }
                }
                "required" => {
                    let (os, ts) = (string_set(ov), string_set(tv));
                    if os != ts {
                        self.check_key_sets(scope, &key_path, &os, &ts);
                    }
                }
                "allOf" | "anyOf" | "oneOf" => {
                    match (ov.and_then(Value::as_array), tv.and_then(Value::as_array)) {
                        (Some(oa), Some(ta)) if oa.len() == ta.len() => {
                            for (i, (os, ts)) in oa.iter().zip(ta).enumerate() {
                                self.compare_schema(scope, &format!("{key_path}/{i}"), os, ts);
                            }
                        }
                        _ => self.differ(scope, &key_path, shape(ov), shape(tv)),
                    }
                }
                "items" | "not" | "additionalProperties"
                    if ov.is_some_and(Value::is_object) && tv.is_some_and(Value::is_object) =>
                {
                    if let (Some(ov), Some(tv)) = (ov, tv) {
                        self.compare_schema(scope, &key_path, ov, tv);
                    }
                }
                k if is_false_by_default(k) => self.check_flag(scope, &key_path, ov, tv, false),
                _ => self.check_equal(scope, &key_path, ov, tv),
            }
        }
    }

    /// Anything else: equal apart from prose.
    fn compare_generic(&mut self, scope: &str, path: &str, ours: &Value, theirs: &Value) {
        let (Some(om), Some(tm)) = (ours.as_object(), theirs.as_object()) else {
            self.check_equal(scope, path, Some(ours), Some(theirs));
            return;
        };
        let keys: BTreeSet<&String> = om.keys().chain(tm.keys()).collect();
        for key in keys {
            if !is_prose_key(key) {
                match (om.get(key), tm.get(key)) {
                    (Some(o), Some(t)) => {
                        self.compare_generic(scope, &format!("{path}/{}", seg(key)), o, t)
                    }
                    (o, t) => self.differ(scope, &format!("{path}/{}", seg(key)), show(o), show(t)),
                }
            }
        }
    }
}

fn presence(value: Option<&Value>) -> String {
    if value.is_some() {
        "present".into()
    } else {
        ABSENT.into()
    }
}

fn shape(value: Option<&Value>) -> String {
    match value {
        Some(Value::Array(items)) => format!(
            "{} subschema(s): {}",
            items.len(),
            Value::Array(items.clone())
        ),
        other => show(other),
    }
}

fn union_keys(a: &Value, b: &Value) -> BTreeSet<String> {
    let mut keys = object_keys(Some(a));
    keys.extend(object_keys(Some(b)));
    keys
}

/// Every `$ref` reachable from the document's paths, following references.
fn reachable_refs(doc: &Value) -> BTreeSet<String> {
    fn collect(value: &Value, into: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("$ref", Value::String(s)) => into.push(s.clone()),
                        // Examples are data, not structure.
                        ("example" | "examples", _) => {}
                        _ => collect(v, into),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, into)),
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    let mut pending = Vec::new();
    if let Some(paths) = doc.get("paths") {
        collect(paths, &mut pending);
    }
    while let Some(reference) = pending.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        if let Some(target) = pointer(doc, &reference) {
            collect(target, &mut pending);
        }
    }
    seen
}

/// All differences of `ours` against `theirs`.
fn compare_documents(ours: &Value, theirs: &Value) -> Vec<Difference> {
    let mut comparison = Comparison::new(ours, theirs);
    comparison.compare_root();
    // Components first, so a difference in a shared schema is reported once,
    // under the component's name.
    comparison.compare_components();
    comparison.compare_operations();
    comparison.differences
}

// ---------------------------------------------------------------------------
// The conformance test
// ---------------------------------------------------------------------------

#[test]
fn fragment_conforms_to_real_clerk_spec() {
    let (real_path, real) = match real_spec() {
        Ok(found) => found,
        Err(reason) => {
            eprintln!("skipping: real Clerk spec not found ({reason}); {FRAGMENT} not checked");
            return;
        }
    };
    let ours = ours();
    let (ops, _) = operations(ours);
    assert!(!ops.is_empty(), "{FRAGMENT} has no operations");
    let differences = compare_documents(ours, real);
    assert!(
        differences.is_empty(),
        "{} difference(s) between {FRAGMENT} (ours) and {} (theirs):\n{}",
        differences.len(),
        real_path.display(),
        render(&differences)
    );
    eprintln!(
        "{FRAGMENT}: {} operation(s) conform to {}",
        ops.len(),
        real_path.display()
    );
}

// ---------------------------------------------------------------------------
// Tests of the fragment on its own and of the comparison itself
// ---------------------------------------------------------------------------

const CREATE: &str = "/paths/~1organizations~1{organization_id}~1memberships/post";
const LIST: &str = "/paths/~1organizations~1{organization_id}~1memberships/get";

fn altered(edit: impl FnOnce(&mut Value)) -> Value {
    let mut copy = ours().clone();
    edit(&mut copy);
    copy
}

fn at<'v>(doc: &'v mut Value, path: &str) -> &'v mut Value {
    doc.pointer_mut(path)
        .unwrap_or_else(|| panic!("fragment has no {path}"))
}

/// Differences of an altered copy against the original fragment (and, to be
/// sure the direction does not matter, of the original against the copy).
fn diffs_after(edit: impl FnOnce(&mut Value)) -> Vec<Difference> {
    let copy = altered(edit);
    let forward = compare_documents(&copy, ours());
    let backward = compare_documents(ours(), &copy);
    assert_eq!(
        forward.is_empty(),
        backward.is_empty(),
        "comparison is not symmetric:\nforward:\n{}\nbackward:\n{}",
        render(&forward),
        render(&backward)
    );
    forward
}

fn assert_reported(differences: &[Difference], scope_part: &str, path_part: &str) {
    assert!(
        differences
            .iter()
            .any(|d| d.scope.contains(scope_part) && d.path.contains(path_part)),
        "expected a difference in {scope_part} at …{path_part}, got:\n{}",
        render(differences)
    );
}

#[test]
fn fragment_is_a_valid_openapi_3_0_document() {
    let text = std::fs::read_to_string(fragment_path()).expect("fragment readable");
    let doc: openapiv3::OpenAPI = serde_norway::from_str(&text)
        .unwrap_or_else(|e| panic!("{FRAGMENT} is not OpenAPI 3.0: {e}"));
    assert_eq!(doc.openapi, "3.0.3");
    let ids: BTreeSet<String> = doc
        .operations()
        .filter_map(|(_, _, op)| op.operation_id.clone())
        .collect();
    let expected: BTreeSet<String> = [
        "CreateOrganizationMembership",
        "ListOrganizationMemberships",
        "UpdateOrganizationMembership",
        "DeleteOrganizationMembership",
        "UpdateOrganizationMembershipMetadata",
        "InstanceGetOrganizationMemberships",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(ids, expected);
    for (path, method, op) in doc.operations() {
        assert!(op.summary.is_some(), "{method} {path} has no summary");
        assert!(
            op.description.is_some(),
            "{method} {path} has no description"
        );
    }
}

#[test]
fn every_parameter_and_property_of_the_fragment_is_described() {
    fn walk(value: &Value, path: &str, missing: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                let is_parameter = map.contains_key("in") && map.contains_key("name");
                let is_property = path.rsplit('/').nth(1) == Some("properties");
                if (is_parameter || is_property)
                    && !map.contains_key("description")
                    && !map.contains_key("$ref")
                {
                    missing.push(path.to_owned());
                }
                for (key, v) in map {
                    if key != "example" && key != "examples" {
                        walk(v, &format!("{path}/{}", seg(key)), missing);
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{path}/{i}"), missing);
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    walk(ours(), "", &mut missing);
    assert!(
        missing.is_empty(),
        "no description at:\n{}",
        missing.join("\n")
    );
}

#[test]
fn fragment_matches_itself() {
    let differences = compare_documents(ours(), ours());
    assert!(differences.is_empty(), "{}", render(&differences));
}

#[test]
fn prose_and_examples_are_ignored() {
    let differences = diffs_after(|doc| {
        *at(doc, &format!("{CREATE}/summary")) = "something else".into();
        *at(
            doc,
            &format!(
                "{CREATE}/requestBody/content/application~1json/schema/properties/role/description"
            ),
        ) = "changed".into();
        *at(
            doc,
            &format!(
                "{CREATE}/requestBody/content/application~1json/schema/properties/role/example"
            ),
        ) = "org:owner".into();
        *at(
            doc,
            "/components/schemas/Organization/properties/name/example",
        ) = "Other".into();
        *at(doc, "/info/description") = "changed".into();
    });
    assert!(differences.is_empty(), "{}", render(&differences));
}

#[test]
fn changed_request_body_required_list_is_reported() {
    let differences = diffs_after(|doc| {
        let required = at(
            doc,
            &format!("{CREATE}/requestBody/content/application~1json/schema/required"),
        );
        *required = serde_json::json!(["user_id"]);
    });
    assert_reported(
        &differences,
        "CreateOrganizationMembership",
        "/requestBody/content/application~1json/schema/required",
    );
}

#[test]
fn changed_request_body_required_flag_is_reported() {
    let differences = diffs_after(|doc| {
        *at(doc, &format!("{CREATE}/requestBody/required")) = false.into();
    });
    assert_reported(
        &differences,
        "CreateOrganizationMembership",
        "/requestBody/required",
    );
}

#[test]
fn changed_parameter_required_flag_is_reported() {
    let differences = diffs_after(|doc| {
        let params = at(doc, &format!("{LIST}/parameters"));
        let order_by = params
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|p| p.get("name") == Some(&"order_by".into()))
            .expect("order_by parameter");
        order_by["required"] = true.into();
    });
    assert_reported(
        &differences,
        "ListOrganizationMemberships",
        "/parameters/query:order_by/required",
    );
}

#[test]
fn changed_parameter_item_type_is_reported() {
    let differences = diffs_after(|doc| {
        let params = at(doc, &format!("{LIST}/parameters"));
        let role = params
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|p| p.get("name") == Some(&"role".into()))
            .expect("role parameter");
        role["schema"]["items"]["type"] = "integer".into();
    });
    assert_reported(
        &differences,
        "ListOrganizationMemberships",
        "/parameters/query:role/schema/items/type",
    );
}

#[test]
fn missing_parameter_is_reported() {
    let differences = diffs_after(|doc| {
        let params = at(doc, &format!("{LIST}/parameters"));
        params
            .as_array_mut()
            .unwrap()
            .retain(|p| p.get("name") != Some(&"name_query".into()));
    });
    assert_reported(&differences, "ListOrganizationMemberships", "/parameters");
    assert!(render(&differences).contains("query:name_query"));
}

#[test]
fn changed_shared_parameter_bound_is_reported() {
    let differences = diffs_after(|doc| {
        *at(doc, "/components/parameters/LimitParameter/schema/maximum") = 100.into();
    });
    assert_reported(
        &differences,
        "components.parameters.LimitParameter",
        "/schema/maximum",
    );
}

#[test]
fn removed_response_status_is_reported() {
    let differences = diffs_after(|doc| {
        at(doc, &format!("{CREATE}/responses"))
            .as_object_mut()
            .unwrap()
            .remove("403");
    });
    assert_reported(&differences, "CreateOrganizationMembership", "/responses");
    assert!(render(&differences).contains("\"403\""));
}

#[test]
fn retargeted_response_ref_is_reported() {
    let differences = diffs_after(|doc| {
        *at(doc, &format!("{CREATE}/responses/404/$ref")) =
            "#/components/responses/ClerkErrors".into();
    });
    assert_reported(
        &differences,
        "CreateOrganizationMembership",
        "/responses/404/$ref",
    );
}

#[test]
fn changed_nested_nullable_is_reported() {
    let differences = diffs_after(|doc| {
        *at(
            doc,
            "/components/schemas/Organization/properties/role_set_key/nullable",
        ) = false.into();
    });
    assert_reported(
        &differences,
        "components.schemas",
        "/properties/role_set_key/nullable",
    );
}

#[test]
fn nested_schema_reached_only_through_an_operation_is_compared() {
    // Compare only the operations (no component pass), so the difference must
    // be found by following 200 → OrganizationMembership → allOf → Organization.
    let copy = altered(|doc| {
        *at(
            doc,
            "/components/schemas/Organization/properties/created_at/format",
        ) = "int32".into();
    });
    let mut comparison = Comparison::new(&copy, ours());
    comparison.compare_operations();
    assert_reported(
        &comparison.differences,
        "CreateOrganizationMembership",
        "/responses/200/content/application~1json/schema/properties/organization/allOf/0/properties/created_at/format",
    );
}

#[test]
fn unwrapped_all_of_is_reported() {
    let differences = diffs_after(|doc| {
        let organization = at(
            doc,
            "/components/schemas/OrganizationMembership/properties/organization",
        );
        *organization = serde_json::json!({ "$ref": "#/components/schemas/Organization" });
    });
    assert_reported(
        &differences,
        "components.schemas",
        "/properties/organization",
    );
}

#[test]
fn changed_additional_properties_and_enum_are_reported() {
    let differences = diffs_after(|doc| {
        at(doc, "/components/schemas/OrganizationMemberships")
            .as_object_mut()
            .unwrap()
            .remove("additionalProperties");
        *at(
            doc,
            "/components/schemas/OrganizationMembership/properties/object/enum",
        ) = serde_json::json!(["membership"]);
    });
    assert_reported(&differences, "components.schemas", "/additionalProperties");
    assert_reported(
        &differences,
        "components.schemas",
        "/properties/object/enum",
    );
}

#[test]
fn changed_retry_policy_and_server_are_reported() {
    let differences = diffs_after(|doc| {
        *at(doc, "/x-speakeasy-retries/backoff/exponent") = 2.0.into();
        *at(doc, "/servers/0/url") = "https://api.example.com/v1".into();
        *at(doc, "/components/securitySchemes/bearerAuth/scheme") = "basic".into();
    });
    assert_reported(&differences, "<root>", "/x-speakeasy-retries");
    assert_reported(&differences, "<root>", "/servers");
    assert_reported(
        &differences,
        "<root>",
        "/components/securitySchemes/bearerAuth/scheme",
    );
}

#[test]
fn unknown_operation_and_moved_operation_are_reported() {
    let copy = altered(|doc| {
        *at(doc, &format!("{CREATE}/operationId")) = "AddMember".into();
        let paths = at(doc, "/paths").as_object_mut().unwrap();
        let instance = paths.remove("/organization_memberships").unwrap();
        paths.insert("/memberships".into(), instance);
    });
    let differences = compare_documents(&copy, ours());
    assert_reported(&differences, "AddMember", "");
    assert_reported(
        &differences,
        "InstanceGetOrganizationMemberships",
        "/(method, path)",
    );
}

#[test]
fn unused_and_dangling_components_are_reported() {
    let copy = altered(|doc| {
        at(doc, "/components/schemas")
            .as_object_mut()
            .unwrap()
            .insert("Unused".into(), serde_json::json!({ "type": "string" }));
        *at(doc, &format!("{CREATE}/responses/422/$ref")) = "#/components/responses/Nope".into();
    });
    let differences = compare_documents(&copy, ours());
    assert_reported(&differences, "components.schemas.Unused", "");
    assert!(
        render(&differences).contains("dangling"),
        "{}",
        render(&differences)
    );
}

#[test]
fn report_names_scope_path_and_both_values() {
    let difference = Difference {
        scope: "ListOrganizationMemberships".into(),
        path: "/parameters/query:limit/schema/maximum".into(),
        ours: "100".into(),
        theirs: "500".into(),
    };
    let text = render(&[difference]);
    assert!(text.contains("ListOrganizationMemberships /parameters/query:limit/schema/maximum"));
    assert!(text.contains("ours:   100"));
    assert!(text.contains("theirs: 500"));
}

#[test]
fn numbers_compare_by_value_and_yaml_keys_become_strings() {
    assert!(values_equal(
        &serde_json::json!(10),
        &serde_json::json!(10.0)
    ));
    assert!(!values_equal(
        &serde_json::json!(10),
        &serde_json::json!(11)
    ));
    let doc =
        parse_yaml("responses:\n  200: {description: ok}\n  '404': {description: no}\n").unwrap();
    assert_eq!(
        object_keys(doc.get("responses")),
        ["200", "404"].map(String::from).into()
    );
}

#[test]
fn locator_picks_the_newest_spec_by_file_name() {
    let dir = std::env::temp_dir().join(format!("sdkgen-spec-conformance-{}", std::process::id()));
    let clerk = dir.join("clerk");
    std::fs::create_dir_all(&clerk).unwrap();
    for name in [
        "bapi-2024-10-01.yml",
        "bapi-2026-05-12.yml",
        "bapi-2025-04-10.yml",
        "fapi-2027-01-01.yml",
        "README.md",
    ] {
        std::fs::write(clerk.join(name), "openapi: 3.0.3\n").unwrap();
    }
    let nowhere = dir.join("nowhere");

    let found = locate_real_spec(Some(dir.as_os_str()), &nowhere).unwrap();
    assert_eq!(found.file_name().unwrap(), "bapi-2026-05-12.yml");
    // An unset or empty variable falls back.
    let found = locate_real_spec(Some(OsStr::new("")), &dir).unwrap();
    assert_eq!(found.file_name().unwrap(), "bapi-2026-05-12.yml");
    let found = locate_real_spec(None, &dir).unwrap();
    assert_eq!(found.file_name().unwrap(), "bapi-2026-05-12.yml");
    // Nothing there: a reason to skip, naming the variable.
    let reason = locate_real_spec(Some(nowhere.as_os_str()), &dir).unwrap_err();
    assert!(reason.contains(SHARED_SPECS_ENV), "{reason}");
    assert!(locate_real_spec(None, &nowhere).is_err());

    std::fs::remove_dir_all(&dir).unwrap();
}
