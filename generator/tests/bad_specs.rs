//! The bad-spec table: every small broken spec in `tests/bad_specs/` with what the generator
//! says about it, asserted verbatim through insta snapshots (`snapshots/bad_specs__*.snap`),
//! plus a 50 MB spec written at test time (too big to check in).
//!
//! Review a changed snapshot by reading it before accepting it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_specs")
}

/// What the generator makes of `bytes`: its diagnostics, or a summary of the crate it emitted
/// (warnings and `src/models.rs`, where the interesting decisions about odd specs show).
fn outcome(bytes: &[u8], name: &str) -> String {
    match sdkgen::generate(bytes, name, &sdkgen::Config::named("bad-spec")) {
        Err(diagnostics) => diagnostics.to_string(),
        Ok(output) => {
            let mut text = "generated a crate\n".to_owned();
            for warning in &output.warnings.0 {
                text.push_str(&format!("{warning}\n"));
            }
            if let Some(models) = output.files.iter().find(|f| f.path == "src/models.rs") {
                text.push_str("--- src/models.rs ---\n");
                text.push_str(&models.contents);
            }
            text
        }
    }
}

fn check(file: &str) {
    let bytes = std::fs::read(dir().join(file)).expect("the bad spec exists");
    let name = format!("bad_specs/{file}");
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    insta::assert_snapshot!(stem, outcome(&bytes, &name));
}

/// Every file in the folder has its test below.
const FILES: &[&str] = &[
    "binary.bin",
    "dangling-ref.yaml",
    "duplicate-operation-id.yaml",
    "empty.yaml",
    "invalid-json.json",
    "invalid-yaml.yaml",
    "not-an-object.yaml",
    "oas31-unknown-type-in-list.yaml",
    "openapi-3.2.yaml",
    "path-item-ref-cycle.yaml",
    "path-param-not-in-template.yaml",
    "ref-anchor-missing.yaml",
    "ref-cycle-bare.yaml",
    "ref-cycle-required.yaml",
    "ref-file-without-folder.yaml",
    "ref-pointer-to-nothing.yaml",
    "ref-url.yaml",
    "ref-wrong-kind.yaml",
    "swagger-2.0.json",
    "unknown-type.yaml",
    "wrong-shape-operation.yaml",
];

#[test]
fn every_bad_spec_is_in_the_table() {
    let mut found: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/bad_specs exists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, FILES, "add new files to FILES and give them a test");
}

#[test]
fn binary() {
    check("binary.bin");
}

#[test]
fn dangling_ref() {
    check("dangling-ref.yaml");
}

#[test]
fn duplicate_operation_id() {
    check("duplicate-operation-id.yaml");
}

#[test]
fn empty() {
    check("empty.yaml");
}

#[test]
fn invalid_json() {
    check("invalid-json.json");
}

#[test]
fn invalid_yaml() {
    check("invalid-yaml.yaml");
}

#[test]
fn not_an_object() {
    check("not-an-object.yaml");
}

#[test]
fn openapi_3_2() {
    check("openapi-3.2.yaml");
}

/// The error points at the property in the user's 3.1 text, not at the `oneOf` member the
/// type list became.
#[test]
fn oas31_unknown_type_in_list() {
    check("oas31-unknown-type-in-list.yaml");
}

#[test]
fn path_item_ref_cycle() {
    check("path-item-ref-cycle.yaml");
}

#[test]
fn ref_anchor_missing() {
    check("ref-anchor-missing.yaml");
}

#[test]
fn ref_file_without_folder() {
    check("ref-file-without-folder.yaml");
}

#[test]
fn ref_pointer_to_nothing() {
    check("ref-pointer-to-nothing.yaml");
}

#[test]
fn ref_url() {
    check("ref-url.yaml");
}

/// A request body used as a response is an error at the reference.
#[test]
fn ref_wrong_kind() {
    check("ref-wrong-kind.yaml");
}

#[test]
fn path_param_not_in_template() {
    check("path-param-not-in-template.yaml");
}

/// No type can be built from a cycle of bare wrappers; today the generator emits
/// `pub type A = B; pub type B = A;`. Once it reports a diagnostic instead, remove the
/// `#[ignore]` and review the snapshot.
#[test]
fn ref_cycle_bare() {
    let bytes = std::fs::read(dir().join("ref-cycle-bare.yaml")).expect("the bad spec exists");
    assert!(
        sdkgen::generate(
            &bytes,
            "bad_specs/ref-cycle-bare.yaml",
            &sdkgen::Config::named("b")
        )
        .is_err(),
        "a cycle of bare wrappers must be a diagnostic"
    );
    check("ref-cycle-bare.yaml");
}

#[test]
fn ref_cycle_required() {
    check("ref-cycle-required.yaml");
}

#[test]
fn swagger_2_0() {
    check("swagger-2.0.json");
}

#[test]
fn unknown_type() {
    check("unknown-type.yaml");
}

#[test]
fn wrong_shape_operation() {
    check("wrong-shape-operation.yaml");
}

/// 50 MB of YAML (a huge `x-padding` list) with a syntax error on its last line: the error is
/// found, with its line and column, in bounded time.
#[test]
fn fifty_megabytes_with_an_error_at_the_end() {
    let mut text = String::with_capacity(50 * 1024 * 1024 + 1024);
    text.push_str("openapi: 3.0.3\ninfo: {title: Huge, version: '1'}\npaths: {}\nx-padding:\n");
    let line = format!("  - {}\n", "p".repeat(96));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    text.push_str("broken: [unclosed\n");
    let started = Instant::now();
    let result = outcome(text.as_bytes(), "bad_specs/fifty-megabytes.yaml");
    let elapsed = started.elapsed();
    println!("50 MB YAML: {} ms", elapsed.as_millis());
    assert!(
        elapsed < Duration::from_secs(120),
        "took {elapsed:?} to report an error"
    );
    insta::assert_snapshot!("fifty_megabytes", result);
}
