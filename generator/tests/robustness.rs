//! The generator never panics, never hangs and never emits broken code.
//!
//! - Random but valid OpenAPI 3.0 documents (`robustness/strategies.rs`): every call returns
//!   `Ok` or diagnostics, and every emitted `.rs` file parses with `syn`.
//! - Mutations of the corpus specs (`$SDKGEN_SHARED_SPECS`, default `../shared/specs`): dropped
//!   and altered fields, broken `$ref`s, reference cycles — a result, never a panic or a hang.
//! - Extreme inputs: nesting far beyond any parser's limit, long `$ref` chains.
//!
//! Bounded here (`PROPTEST_CASES`, default 32 random documents and 64 mutations, each case in
//! a child process so that even a stack overflow is caught and shrunk); `cargo xtask fuzz --minutes N`
//! runs the same properties for N minutes (`SDKGEN_FUZZ_SECONDS`). The sampled compile check
//! (`cargo check` of generated crates) is `#[ignore]`d: `cargo test -p sdkgen --test robustness
//! -- --ignored` runs it.

#[path = "robustness/harness.rs"]
mod harness;
#[path = "robustness/mutations.rs"]
mod mutations;
#[path = "support/scratch.rs"]
mod scratch;
#[path = "robustness/strategies.rs"]
mod strategies;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use proptest::prelude::*;
use serde_json::{Value, json};

use harness::{Verdict, generate_guarded, run_property};

/// Generous: the biggest corpus spec takes about a second in a debug build.
const TIMEOUT: Duration = Duration::from_secs(60);

fn to_bytes(doc: &Value, yaml: bool) -> Vec<u8> {
    if yaml {
        serde_norway::to_string(doc)
            .expect("a JSON value serializes as YAML")
            .into_bytes()
    } else {
        serde_json::to_vec_pretty(doc).expect("a JSON value serializes")
    }
}

/// Tallies how runs ended, so a strategy that only ever produces rejected specs shows up.
#[derive(Default)]
struct Tally(Mutex<BTreeMap<String, usize>>);

impl Tally {
    fn add(&self, outcome: &str) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry(outcome.to_owned()).or_default() += 1;
    }

    fn print(&self, target: &str) {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut top: Vec<_> = map.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1));
        println!("{target}: outcomes:");
        for (outcome, count) in top.into_iter().take(12) {
            println!("  {count:>6}  {outcome}");
        }
    }
}

/// A verdict for the tally: `ok`, or the first diagnostic without the names in backticks.
fn outcome(verdict: &Verdict) -> String {
    let Some(diagnostics) = verdict else {
        return "ok".to_owned();
    };
    let first = diagnostics.lines().next().unwrap_or_default();
    let message = first.splitn(3, ": ").nth(2).unwrap_or(first);
    let mut shape = String::new();
    for (i, part) in message.split('`').enumerate() {
        shape.push_str(if i % 2 == 0 { part } else { "…" });
    }
    format!("error: {}", shape.chars().take(90).collect::<String>())
}

/// The child side of every guarded run (a no-op when run as a test).
#[test]
fn guarded_child() {
    harness::child_entry();
}

#[test]
fn random_documents_never_panic_and_emit_valid_rust() {
    let tally = Tally::default();
    run_property(
        "random-documents",
        32,
        (strategies::document(), any::<bool>()),
        |(doc, yaml)| {
            let verdict =
                generate_guarded(to_bytes(&doc, yaml), TIMEOUT).map_err(TestCaseError::fail)?;
            tally.add(&outcome(&verdict));
            Ok(())
        },
    );
    tally.print("random-documents");
}

/// The runtime files, which the properties skip, parse too.
#[test]
fn emitted_runtime_parses() {
    let spec = b"openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";
    let output = sdkgen::generate(spec, "t.yaml", &sdkgen::Config::named("t")).expect("generates");
    assert!(
        output
            .files
            .iter()
            .any(|f| f.path.starts_with("src/runtime/"))
    );
    harness::check_output(&output, true).expect("the emitted crate parses");
}

/// Deep `allOf`/`$ref` chains and nesting: still a result.
#[test]
fn long_reference_chains_and_wrappers_are_handled() {
    for length in [10usize, 200, 1000] {
        for style in ["ref", "allOf", "property", "array"] {
            let mut schemas = serde_json::Map::new();
            for i in 0..length {
                let next = json!({ "$ref": format!("#/components/schemas/S{}", i + 1) });
                let schema = match style {
                    "ref" => next,
                    "allOf" => json!({ "allOf": [next] }),
                    "property" => json!({
                        "type": "object", "required": ["next"], "properties": { "next": next },
                    }),
                    _ => json!({ "type": "array", "items": next }),
                };
                schemas.insert(format!("S{i}"), schema);
            }
            schemas.insert(format!("S{length}"), json!({ "type": "string" }));
            let doc = json!({
                "openapi": "3.0.3",
                "info": { "title": "Chain", "version": "1" },
                "paths": { "/a": { "get": { "operationId": "GetA", "responses": {
                    "200": { "description": "ok", "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/S0" } } } } } } } },
                "components": { "schemas": schemas },
            });
            if let Err(failure) = generate_guarded(to_bytes(&doc, false), TIMEOUT) {
                panic!("{style} chain of {length}: {failure}");
            }
        }
    }
}

/// Nesting far deeper than any real document, in JSON and YAML: a diagnostic, not a stack
/// overflow.
#[test]
fn extreme_nesting_is_a_diagnostic() {
    let depth = 100_000;
    let inputs = [
        ("JSON arrays", "[".repeat(depth)),
        (
            "JSON objects",
            format!("{{\"openapi\":\"3.0.3\",\"x\":{}", "{\"a\":".repeat(depth)),
        ),
        (
            "YAML flow sequences",
            format!("openapi: 3.0.3\nx: {}", "[".repeat(depth)),
        ),
        (
            "YAML block mappings",
            (0..2_000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect::<String>(),
        ),
    ];
    for (what, text) in inputs {
        match generate_guarded(text.into_bytes(), TIMEOUT) {
            Ok(Some(diagnostics)) => println!("{what}: {diagnostics}"),
            Ok(None) => panic!("{what}: generated a crate from nonsense"),
            Err(failure) => panic!("{what}: {failure}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Corpus mutations
// ---------------------------------------------------------------------------------------------

struct CorpusSpec {
    name: String,
    doc: Value,
    nodes: Vec<String>,
}

fn shared_specs() -> PathBuf {
    match std::env::var_os("SDKGEN_SHARED_SPECS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs"),
    }
}

fn collect_specs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_specs(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

/// The corpus, parsed once. Without `SDKGEN_FUZZ_SECONDS` or `SDKGEN_MUTATE_ALL`, only specs
/// under 100 KB, to keep the suite fast.
fn corpus() -> &'static [CorpusSpec] {
    static CORPUS: OnceLock<Vec<CorpusSpec>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let all = std::env::var_os("SDKGEN_FUZZ_SECONDS").is_some()
            || std::env::var_os("SDKGEN_MUTATE_ALL").is_some();
        let mut paths = Vec::new();
        collect_specs(&shared_specs(), &mut paths);
        paths
            .into_iter()
            .filter_map(|path| {
                let bytes = std::fs::read(&path).ok()?;
                if !all && bytes.len() > 100_000 {
                    return None;
                }
                let doc: Value = if path.extension().is_some_and(|e| e == "json") {
                    serde_json::from_slice(&bytes).ok()?
                } else {
                    serde_norway::from_slice(&bytes).ok()?
                };
                let nodes = mutations::pointers(&doc);
                Some(CorpusSpec {
                    name: path.display().to_string(),
                    doc,
                    nodes,
                })
            })
            .collect()
    })
}

#[test]
fn corpus_mutations_never_panic_or_hang() {
    let specs = corpus();
    if specs.is_empty() {
        println!(
            "skipping: no specs under {} (set SDKGEN_SHARED_SPECS)",
            shared_specs().display()
        );
        return;
    }
    let tally = Tally::default();
    run_property(
        "corpus-mutations",
        64,
        (0..specs.len(), mutations::mutations(), any::<bool>()),
        |(index, mutations, yaml)| {
            let spec = &specs[index];
            let mut doc = spec.doc.clone();
            for mutation in mutations {
                mutations::apply(&mut doc, &spec.nodes, mutation);
            }
            let verdict = generate_guarded(to_bytes(&doc, yaml), TIMEOUT)
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", spec.name)))?;
            tally.add(&outcome(&verdict));
            Ok(())
        },
    );
    tally.print("corpus-mutations");
}

// ---------------------------------------------------------------------------------------------
// Sampled compile check
// ---------------------------------------------------------------------------------------------

/// `cargo check`s crates generated from a few random documents (fixed seed; the count is
/// `SDKGEN_COMPILE_SAMPLES`, default 2) in a scratch directory under `target/`.
#[test]
#[ignore = "slow: compiles generated crates; run with --ignored"]
fn sampled_random_documents_compile() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    let samples: usize = std::env::var("SDKGEN_COMPILE_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let seed = std::env::var("SDKGEN_COMPILE_SEED")
        .ok()
        .and_then(|s| s.parse::<u8>().ok())
        .unwrap_or(7);
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    );
    let strategy = strategies::document();
    let mut compiled = 0;
    let mut failures = Vec::new();
    for attempt in 0..200 {
        if compiled == samples {
            break;
        }
        let doc = strategy
            .new_tree(&mut runner)
            .expect("a document")
            .current();
        let bytes = to_bytes(&doc, false);
        let Ok(output) =
            sdkgen::generate(&bytes, "fuzz.json", &sdkgen::Config::named("robust-sdk"))
        else {
            continue;
        };
        // Only documents with operations and types are worth compiling.
        if !output
            .files
            .iter()
            .any(|f| f.path.starts_with("src/operations/") && !f.path.ends_with("mod.rs"))
        {
            continue;
        }
        compiled += 1;
        if let Err(failure) = harness::cargo_check(&format!("case-{attempt}"), &output, &bytes) {
            failures.push(failure);
        }
    }
    assert_eq!(
        compiled, samples,
        "could not draw enough generating documents"
    );
    assert!(
        failures.is_empty(),
        "generated crates that do not compile cleanly:\n{}",
        failures.join("\n")
    );
}

/// A document that uses every name of the pool (`strategies::name_pool`: odd names, Rust's
/// prelude, and every name the generated code reserves) as a tag, an operationId, a schema, a
/// property, a query parameter and an enum value, with error bodies and `oneOf` members
/// named after them too. Each tag's group also has the operations whose code calls std items
/// (a constant body field's `Default::default()`, a raw body's `Clone::clone`, a header
/// array's `ToString::to_string`), so a group type named after one of them would show.
fn every_name_in_every_role(pool: &[&str]) -> Value {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    let schema_ref = |name: &str| json!({ "$ref": format!("#/components/schemas/{}", strategies::escape(name)) });
    for (i, name) in pool.iter().enumerate() {
        // Cycles of eight: recursive types, but not one cycle through every type (rustc's
        // drop check gives up on a cycle of a hundred types through `Vec`).
        let next = pool[(i / 8 * 8 + (i + 1) % 8).min(pool.len() - 1)];
        paths.insert(
            format!("/n{i}"),
            json!({ "get": {
                "operationId": name,
                "tags": [name],
                "responses": {
                    "200": { "description": "ok", "content": { "application/json": {
                        "schema": schema_ref(name) } } },
                    "404": { "description": "missing", "content": { "application/json": {
                        "schema": schema_ref(next) } } },
                },
            },
            "post": {
                "operationId": format!("{name} post"),
                "tags": [name],
                "parameters": [{ "name": name, "in": "header",
                    "schema": { "type": "array", "items": { "type": "string" } } }],
                "requestBody": { "required": true, "content": { "application/json": {
                    "schema": { "type": "object", "required": [name], "properties": {
                        "kind": { "type": "string", "enum": ["constant"] },
                        *name: { "type": "string" } } } } } },
                "responses": { "204": { "description": "done" } },
            },
            "put": {
                "operationId": format!("{name} put"),
                "tags": [name],
                "requestBody": { "required": true, "content": { "text/plain": {
                    "schema": { "type": "string" } } } },
                "responses": { "204": { "description": "done" } },
            } }),
        );
        schemas.insert(
            (*name).to_owned(),
            json!({
                "type": "object",
                "required": [name],
                "properties": {
                    *name: { "type": "string" },
                    "next": { "type": "array", "items": schema_ref(next) },
                    "maybe": { "type": "string", "nullable": true },
                },
            }),
        );
    }
    let properties: serde_json::Map<String, Value> = pool
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let schema = match i % 3 {
                0 => json!({ "type": "string" }),
                1 => json!({ "type": "string", "nullable": true }),
                _ => json!({ "type": "integer" }),
            };
            ((*name).to_owned(), schema)
        })
        .collect();
    let required: Vec<&str> = pool.iter().step_by(4).copied().collect();
    let parameters: Vec<Value> = pool
        .iter()
        .map(|name| json!({ "name": name, "in": "query", "schema": { "type": "string" } }))
        .collect();
    paths.insert(
        "/everything".to_owned(),
        json!({ "post": {
            "operationId": "Everything",
            "tags": ["Everything"],
            "parameters": parameters,
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object", "required": required, "properties": properties } } } },
            "responses": { "204": { "description": "done" } },
        } }),
    );
    schemas.insert(
        "AllValues".to_owned(),
        json!({ "type": "string", "enum": pool }),
    );
    schemas.insert(
        "AnyOfThem".to_owned(),
        json!({ "oneOf": pool.iter().take(12).map(|n| schema_ref(n)).collect::<Vec<_>>() }),
    );
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Names", "version": "1" },
        "servers": [{ "url": "https://api.example.com" }],
        "components": { "schemas": schemas },
        "paths": paths,
    })
}

/// Every name a spec could take from the generated code, in every role at once: the crate
/// compiles, and clippy finds nothing (`-D warnings`). Slow, hence `#[ignore]` (CI runs it).
#[test]
#[ignore = "slow: compiles a generated crate; run with --ignored"]
fn every_reserved_and_prelude_name_compiles() {
    let doc = every_name_in_every_role(&strategies::name_pool());
    let bytes = to_bytes(&doc, false);
    let output = sdkgen::generate(&bytes, "names.json", &sdkgen::Config::named("names-sdk"))
        .unwrap_or_else(|d| panic!("generation failed:\n{d}"));
    if let Err(failure) = harness::cargo_clippy("every-name", &output, &bytes) {
        panic!("{failure}");
    }
}

/// Markdown that real specs carry in their prose, each piece a known way to break `clippy -D
/// warnings` or `rustdoc -D warnings` when copied into doc comments.
pub const HOSTILE_PROSE: &[&str] = &[
    "- a list item\nwith a lazy continuation line",
    "1. numbered\n2. items\nlazily continued",
    "> a quote\nlazily continued",
    "* outer\n  * inner\n      over-indented continuation",
    "Implements [`Default`] and [`Clone`] and [Option].",
    "See [the docs] or [optional] or [1] or [a, b] or [x][y].",
    "Refer to http://example.com/path?q=1 and https://example.com.",
    "Types like Vec<T> and <div> or <br> and <unknown-tag attr=1> or </p>",
    "An unclosed `code span and <!-- a comment",
    "```\nfn main() { panic!() }\n```",
    "    indented code that rustdoc would compile",
    "\ttabbed\tprose",
    "Footnote[^1].\n\n[^1]: The note.",
    "[ref]: http://example.com\nUses [ref].",
    "# A heading\n## Another\n",
    "Trailing spaces   \nand CRLF\r\nlines\r\n",
    "Emoji 🙂 and ünïcödé and \u{202e}bidi",
    "`Default` and [`crate::Client`] and [`self`]",
    "Use `foo` | `bar` | table\n|---|---|\n| a | b |",
    "HTML entity &amp; &lt;T&gt; &nbsp;",
];

/// Any spec prose, in every place prose lands (API, tags, operations, parameters, bodies,
/// responses, schemas, properties): the crate passes clippy and rustdoc with warnings denied.
/// Slow, hence `#[ignore]` (CI runs it).
#[test]
#[ignore = "slow: compiles and documents a generated crate; run with --ignored"]
fn hostile_prose_stays_clippy_and_rustdoc_clean() {
    let prose = HOSTILE_PROSE.join("\n\n");
    let one = |i: usize| HOSTILE_PROSE[i % HOSTILE_PROSE.len()].to_owned();
    let mut properties = serde_json::Map::new();
    for (i, _) in HOSTILE_PROSE.iter().enumerate() {
        properties.insert(
            format!("p{i}"),
            serde_json::json!({"type": "string", "description": one(i)}),
        );
    }
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Prose", "version": "1", "description": prose},
        "servers": [{"url": "https://api.example.com"}],
        "tags": [{"name": "things", "description": prose}],
        "components": {"schemas": {
            "Thing": {"type": "object", "description": prose, "properties": properties},
            "Kind": {"type": "string", "description": one(4), "enum": ["a", "b"]},
        }},
        "paths": {"/things/{id}": {"post": {
            "operationId": "makeThing",
            "tags": ["things"],
            "summary": one(0),
            "description": prose,
            "parameters": [
                {"name": "id", "in": "path", "required": true, "description": prose, "schema": {"type": "string"}},
                {"name": "q", "in": "query", "description": one(5), "schema": {"type": "string"}},
            ],
            "requestBody": {"description": prose, "required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
            "responses": {
                "200": {"description": prose, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "404": {"description": one(6), "content": {"application/json": {"schema": {"type": "object", "description": prose, "properties": {"m": {"type": "string", "description": one(7)}}}}}},
            },
        }}},
    });
    let bytes = to_bytes(&doc, false);
    let output = sdkgen::generate(&bytes, "prose.json", &sdkgen::Config::named("prose-sdk"))
        .unwrap_or_else(|d| panic!("generation failed:\n{d}"));
    if let Err(failure) = harness::cargo_clippy_and_doc("hostile-prose", &output, &bytes) {
        panic!("{failure}");
    }
}

/// Issue 15: every group's feature alone, and no feature at all, compiles clippy-clean. The spec
/// shares types between some groups and not others, through fields, arrays, unions, aliases,
/// parameters and error bodies (one error body for every group, one for a single group), has an
/// untagged operation whose path names its group `default` (Cargo's own feature name, so the
/// group's is `default_group`), a paged list, and a schema no operation uses
/// that contains one group's reply (so that reply compiles always, and decodes and encodes). Slow, hence `#[ignore]`
/// (CI runs it).
#[test]
#[ignore = "slow: compiles a generated crate once per feature; run with --ignored"]
fn each_group_alone_compiles() {
    let spec = r##"
openapi: 3.0.3
info: {title: Groups, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /pets:
    get:
      tags: [Pets]
      operationId: listPets
      parameters:
        - {name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/PetPage'}}}}
        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
    post:
      tags: [Pets]
      operationId: createPet
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}
      responses:
        '201': {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '409': {description: taken, content: {application/json: {schema: {$ref: '#/components/schemas/Conflict'}}}}
  /owners/{id}:
    get:
      tags: [Owners]
      operationId: getOwner
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Owner'}}}}
        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /events:
    get:
      tags: [Events]
      operationId: listEvents
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Events'}}}}
        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /default/health:
    get:
      operationId: health
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {up: {type: boolean}}}}}}
        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
components:
  schemas:
    Kind: {type: string, enum: [cat, dog]}
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string}
        kind: {$ref: '#/components/schemas/Kind'}
        owner: {$ref: '#/components/schemas/Owner'}
        note: {type: string, nullable: true}
    NewPet:
      type: object
      additionalProperties: false
      required: [name]
      properties:
        name: {type: string}
        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
        note: {type: string, nullable: true}
    Tag: {type: object, properties: {label: {type: string}}}
    PetPage:
      type: object
      required: [data, total_count]
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Pet'}}
        total_count: {type: integer}
    Owner:
      type: object
      properties:
        name: {type: string}
        address: {$ref: '#/components/schemas/Address'}
    Address: {type: object, properties: {city: {type: string}}}
    Events: {type: array, items: {$ref: '#/components/schemas/Event'}}
    Event:
      oneOf:
        - {$ref: '#/components/schemas/PetEvent'}
        - {$ref: '#/components/schemas/OwnerEvent'}
      discriminator: {propertyName: type}
    PetEvent:
      type: object
      required: [type]
      properties: {type: {type: string}, pet: {$ref: '#/components/schemas/Pet'}}
    OwnerEvent:
      type: object
      required: [type]
      properties: {type: {type: string}, owner: {$ref: '#/components/schemas/Owner'}}
    Problem: {type: object, properties: {message: {type: string}}}
    Conflict: {type: object, properties: {existing: {type: string}}}
    Unused: {type: object, properties: {pet: {$ref: '#/components/schemas/Pet'}}}
"##;
    let output = sdkgen::generate(
        spec.as_bytes(),
        "groups.yaml",
        &sdkgen::Config::named("groups-sdk"),
    )
    .unwrap_or_else(|d| panic!("generation failed:\n{d}"));
    let manifest = output
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("a Cargo.toml");
    let table: toml::Table = manifest.contents.parse().expect("Cargo.toml is TOML");
    let mut groups: Vec<String> = table["features"]
        .as_table()
        .expect("[features]")
        .keys()
        .filter(|k| *k != "default")
        .cloned()
        .collect();
    groups.sort();
    assert_eq!(groups, ["default_group", "events", "owners", "pets"]);
    let mut builds = vec![vec!["--no-default-features".to_owned()]];
    builds.extend(groups.iter().map(|group| {
        ["--no-default-features", "--features", group]
            .map(str::to_owned)
            .to_vec()
    }));
    if let Err(failure) =
        harness::cargo_clippy_features("each-group", &output, spec.as_bytes(), &builds)
    {
        panic!("{failure}");
    }
}

/// Structs callers build, each way `new` can take or fill a field: a raw-identifier name, a
/// single-value enum (filled in), strings, an array and a map, a required nullable field
/// (`Option` argument), a required field boxed because `Expr` contains itself through a union,
/// more than seven arguments, and a deprecated optional field. `Style` has no required field
/// (`Default`); `Receipt` is only received (neither).
const CONSTRUCTORS: &str = r##"
openapi: 3.0.3
info: {title: Constructors, version: '1'}
paths:
  /things:
    post:
      tags: [Things]
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
      responses:
        '201': {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Receipt'}}}}
components:
  schemas:
    Thing:
      type: object
      required: [type, kind, name, tags, counts, expr, note, created_at, active]
      properties:
        type: {type: string}
        kind: {type: string, enum: [thing]}
        name: {type: string}
        tags: {type: array, items: {type: string}}
        counts: {type: object, additionalProperties: {type: integer}}
        expr: {$ref: '#/components/schemas/Expr'}
        note: {type: string, nullable: true}
        created_at: {type: integer}
        active: {type: boolean}
        style: {$ref: '#/components/schemas/Style'}
        legacy: {type: string, deprecated: true}
    Expr:
      type: object
      required: [op, left]
      properties:
        op: {type: string}
        left: {$ref: '#/components/schemas/Operand'}
    Operand:
      oneOf: [{type: number}, {$ref: '#/components/schemas/Expr'}]
    Style: {type: object, properties: {color: {type: string}}}
    Receipt:
      type: object
      required: [id]
      properties: {id: {type: string}}
"##;

fn constructors_crate() -> sdkgen::Output {
    sdkgen::generate(
        CONSTRUCTORS.as_bytes(),
        "constructors.yaml",
        &sdkgen::Config::named("constructors-sdk"),
    )
    .unwrap_or_else(|d| panic!("generation failed:\n{d}"))
}

#[test]
fn structs_callers_build_get_new_or_default() {
    let output = constructors_crate();
    let models = &output
        .files
        .iter()
        .find(|f| f.path == "src/models.rs")
        .expect("models.rs")
        .contents;
    for expected in [
        "#[allow(clippy::too_many_arguments)]\n    pub fn new(\n        r#type: impl Into<String>,",
        "tags: impl IntoIterator<Item = impl Into<String>>,",
        "counts: std::collections::BTreeMap<String, i64>,",
        "expr: impl Into<Expr>,",
        "note: Option<String>,",
        "kind: ::core::default::Default::default(),",
        "tags: tags.into_iter().map(Into::into).collect(),",
        "legacy: None,",
        "pub fn new(op: impl Into<String>, left: impl Into<Operand>) -> Self",
        "left: Box::new(left.into()),",
        "#[derive(Clone, Debug, Default, PartialEq)]\npub struct Style {",
    ] {
        assert!(
            models.contains(expected),
            "models.rs lacks {expected:?}:\n{models}"
        );
    }
    assert_eq!(models.matches("pub fn new(").count(), 2, "{models}");
    assert!(
        !models.contains("impl Receipt"),
        "a reply gets no constructor"
    );
}

/// The constructors above compile, and clippy finds nothing. Slow, hence `#[ignore]` (CI runs it).
#[test]
#[ignore = "slow: compiles a generated crate; run with --ignored"]
fn constructors_compile() {
    let output = constructors_crate();
    if let Err(failure) = harness::cargo_clippy("constructors", &output, CONSTRUCTORS.as_bytes()) {
        panic!("{failure}");
    }
}

// ---------------------------------------------------------------------------------------------
// Bugs found by the properties above, each pinned by its minimal input
// ---------------------------------------------------------------------------------------------

fn minimal(schemas_yaml: &str, paths_yaml: &str) -> Vec<u8> {
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:{paths_yaml}\ncomponents:\n  schemas:\n{schemas_yaml}"
    )
    .into_bytes()
}

/// Found by `random_documents_generate_the_same_as_their_upgrade` (a stack overflow): asking
/// whether a union's members are all strings followed references from union to union.
#[test]
fn unions_whose_members_refer_to_each_other_terminate() {
    let spec = minimal(
        "    A: {oneOf: [{$ref: '#/components/schemas/B'}, {type: string}]}
    B: {anyOf: [{$ref: '#/components/schemas/A'}, {allOf: [{$ref: '#/components/schemas/B'}]}, {type: string, enum: [b]}]}
    C: {allOf: [{$ref: '#/components/schemas/C'}]}
    D: {oneOf: [{$ref: '#/components/schemas/C'}, {type: string}]}
",
        " {}",
    );
    if let Err(failure) = generate_guarded(spec, TIMEOUT) {
        panic!("{failure}");
    }
}

/// Found by `random_documents_never_panic_and_emit_valid_rust`.
#[test]
fn self_reference_in_composite_all_of_becomes_a_recursive_type() {
    let spec = minimal(
        "    A:\n      type: object\n      properties:\n        p: {allOf: [{$ref: '#/components/schemas/A'}, {type: object}]}\n",
        " {}",
    );
    if let Err(failure) = generate_guarded(spec, TIMEOUT) {
        panic!("{failure}");
    }
    // The same through a wrapper: `B: {allOf: [{$ref: A}]}` (found by `cargo xtask fuzz`).
    let spec = minimal(
        "    A:\n      properties:\n        p: {allOf: [{$ref: '#/components/schemas/B'}, {properties: {q: {}}}]}\n    B: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
        " {}",
    );
    if let Err(failure) = generate_guarded(spec, TIMEOUT) {
        panic!("{failure}");
    }
}

/// Found by `random_documents_never_panic_and_emit_valid_rust`.
#[test]
fn self_wrapping_schema_as_parameter_is_a_diagnostic() {
    let spec = minimal(
        "    A: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
        "\n  /a:\n    get:\n      parameters: [{name: q, in: query, schema: {$ref: '#/components/schemas/A'}}]\n      responses: {'204': {description: ok}}",
    );
    if let Err(failure) = generate_guarded(spec, TIMEOUT) {
        panic!("{failure}");
    }
    // The same through `anyOf` and a second wrapper, used by a header (found by
    // `cargo xtask fuzz`).
    let spec = minimal(
        "    A: {anyOf: [{$ref: '#/components/schemas/A'}]}\n    B: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
        "\n  /a:\n    post:\n      parameters: [{name: h, in: header, schema: {$ref: '#/components/schemas/B'}}]\n      responses: {'204': {description: ok}}",
    );
    if let Err(failure) = generate_guarded(spec, TIMEOUT) {
        panic!("{failure}");
    }
    // Nested single-member wrappers, used by a path parameter (found by `cargo xtask fuzz`).
    let spec = minimal(
        "    A: {allOf: [{allOf: [{$ref: '#/components/schemas/A'}]}]}\n",
        "\n  /a/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {$ref: '#/components/schemas/A'}}]\n      responses: {'204': {description: ok}}",
    );
    if let Err(failure) = generate_guarded(spec, TIMEOUT) {
        panic!("{failure}");
    }
}

/// Issue 18, defect 3: the crate's front page took `info.description` as it was, so an indented
/// block or a bare fence in it became a doctest that failed `cargo test --doc`.
#[test]
fn code_in_the_api_description_is_no_doctest() {
    let spec = b"openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n  description: \"Call it:\\n\\n    panic!()\\n\\n```\\nloop {}\\n```\"\npaths: {}\n";
    assert_eq!(generate_guarded(spec.to_vec(), TIMEOUT), Ok(None));
}

/// Issue 18, defect 6: a tag named `Core` gave `Client` a second `core` method (E0592).
#[test]
fn tag_named_core_keeps_clear_of_client_core() {
    let spec = minimal(
        "    A: {type: string}\n",
        "\n  /a:\n    get:\n      operationId: GetA\n      tags: [Core]\n      responses: {'204': {description: ok}}",
    );
    assert_eq!(generate_guarded(spec, TIMEOUT), Ok(None));
}

/// Issue 18, defect 7: an operationId `requestOptions` gave a builder `RequestOptions` next to
/// the module's import of the runtime's `RequestOptions` (E0255).
#[test]
fn operation_named_request_options_keeps_clear_of_the_import() {
    let spec = minimal(
        "    A: {type: string}\n",
        "\n  /a:\n    get:\n      operationId: requestOptions\n      tags: [Things]\n      responses: {'204': {description: ok}}",
    );
    assert_eq!(generate_guarded(spec, TIMEOUT), Ok(None));
}

/// Every name of the pool in every role (the document `every_reserved_and_prelude_name_compiles`
/// compiles): nothing is defined twice. Fast, so it runs with every `cargo test`.
#[test]
fn every_reserved_and_prelude_name_is_claimed_around() {
    let pool: Vec<&str> = strategies::name_pool();
    let doc = every_name_in_every_role(&pool);
    assert_eq!(generate_guarded(to_bytes(&doc, false), TIMEOUT), Ok(None));
}

/// Found by `extreme_nesting_is_a_diagnostic` with an earlier YAML parser, which refused deep
/// nesting only after a scan that was quadratic in the depth.
#[test]
fn deep_yaml_flow_nesting_is_refused_before_parsing() {
    let text = format!("openapi: 3.0.3\nx: {}", "[".repeat(100_000));
    // `generate_guarded` fails the case when it runs past TIMEOUT.
    let verdict = generate_guarded(text.into_bytes(), TIMEOUT);
    assert!(matches!(verdict, Ok(Some(_))), "{verdict:?}");
}

/// Found by `random_documents_never_panic_and_emit_valid_rust`.
#[test]
fn bare_carriage_return_in_summary_is_dropped_from_docs() {
    let spec = br#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "GetA", "summary": "one\rtwo",
        "responses": {"204": {"description": "ok"}}}}}}"#;
    if let Err(failure) = generate_guarded(spec.to_vec(), TIMEOUT) {
        panic!("{failure}");
    }
}

/// Found by `random_documents_never_panic_and_emit_valid_rust`.
#[test]
fn crlf_in_body_property_description_is_dropped_from_docs() {
    let spec = br#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"post": {"operationId": "PostA",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {
            "type": "object", "required": ["name"],
            "properties": {"name": {"type": "string", "description": "one\r\ntwo"}}}}}},
        "responses": {"204": {"description": "ok"}}}}}}"#;
    if let Err(failure) = generate_guarded(spec.to_vec(), TIMEOUT) {
        panic!("{failure}");
    }
}

/// Found by `sampled_random_documents_compile`.
#[test]
fn bidi_control_in_description_is_escaped() {
    let spec = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T\", \"version\": \"1\"}, \
        \"paths\": {}, \"components\": {\"schemas\": {\"A\": {\"type\": \"object\", \
        \"description\": \"abc \\u202e def\"}}}}";
    if let Err(failure) = generate_guarded(spec.as_bytes().to_vec(), TIMEOUT) {
        panic!("{failure}");
    }
}

fn generated_file(spec: &[u8], path: &str) -> String {
    let output = sdkgen::generate(spec, "t.yaml", &sdkgen::Config::named("t")).expect("generates");
    output
        .files
        .into_iter()
        .find(|f| f.path == path)
        .map(|f| f.contents)
        .unwrap_or_else(|| panic!("{path} was not generated"))
}

/// Found by `sampled_random_documents_compile` (seed 3).
#[test]
fn self_referential_array_is_a_newtype() {
    let models = generated_file(
        &minimal(
            "    A: {type: array, items: {$ref: '#/components/schemas/A'}}\n",
            " {}",
        ),
        "src/models.rs",
    );
    assert!(!models.contains("pub type A = Vec<A>;"), "{models}");
}

/// Found by `sampled_random_documents_compile` (seed 3).
#[test]
fn empty_property_name_is_documented() {
    let models = generated_file(
        &minimal(
            "    A:\n      type: object\n      properties:\n        '': {type: string}\n",
            " {}",
        ),
        "src/models.rs",
    );
    let file = syn::parse_file(&models).expect("parses");
    let is_doc = |attrs: &[syn::Attribute]| attrs.iter().any(|a| a.path().is_ident("doc"));
    for item in &file.items {
        if let syn::Item::Struct(s) = item {
            for field in &s.fields {
                assert!(
                    is_doc(&field.attrs),
                    "field {:?} of {} has no docs",
                    field.ident.as_ref().map(ToString::to_string),
                    s.ident
                );
            }
        }
    }
}

/// Found by `sampled_random_documents_compile` (seed 3): writing the crate failed.
#[test]
fn long_tag_gives_a_short_file_name() {
    let tag = "a_b".repeat(100);
    let spec = minimal(
        "    A: {type: string}\n",
        &format!(
            "\n  /a:\n    get:\n      operationId: GetA\n      tags: ['{tag}']\n      responses: {{'204': {{description: ok}}}}"
        ),
    );
    let output = sdkgen::generate(&spec, "t.yaml", &sdkgen::Config::named("t")).expect("generates");
    for file in &output.files {
        for part in file.path.split('/') {
            assert!(part.len() <= 255, "{} bytes: {}", part.len(), file.path);
        }
    }
}
