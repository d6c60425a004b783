//! Same spec in, same bytes out: generating twice gives identical files, and so does
//! generating from the same document with its keys reordered where JSON order means nothing.
//!
//! What order means, as the generator reads a document:
//! - `paths`, and the methods inside each path item: operations keep document order, which
//!   decides method order in the emitted code. Not shuffled.
//! - `properties`: field order in structs and request-builder argument order. Not shuffled.
//! - Everything else — `components` maps (types are sorted by name), the keywords inside any
//!   object (`type`/`description`/`required`...), `responses` and `content` maps — carries no
//!   meaning, so reordering it must not change a byte.

#[path = "robustness/strategies.rs"]
mod strategies;

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value};

fn clerk() -> (Value, sdkgen::Config) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config = sdkgen::Config::read(&root.join("spec/sdkgen.toml")).expect("the config reads");
    let text = std::fs::read(config.spec.as_ref().expect("a spec entry")).expect("spec");
    let doc: Value = serde_norway::from_slice(&text).expect("the Clerk fragment is YAML");
    (doc, config)
}

/// The files of a run, as `(path, contents)`, or the diagnostics as text.
fn run(doc: &Value, config: &sdkgen::Config) -> Result<Vec<(String, String)>, String> {
    let bytes = serde_json::to_vec(doc).expect("serializes");
    sdkgen::generate(&bytes, "spec/clerk-organization-memberships.yaml", config)
        .map(|output| {
            output
                .files
                .into_iter()
                .map(|f| (f.path, f.contents))
                .collect()
        })
        .map_err(|d| d.to_string())
}

/// A small deterministic RNG (xorshift64*), so that a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

fn shuffle_map(map: &mut Map<String, Value>, rng: &mut Rng) {
    let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
    rng.shuffle(&mut entries);
    map.extend(entries);
}

/// Reorders every object whose order carries no meaning (see the module docs), recursively.
/// `kind` says what `value` is: a path-item map, a `properties` map, or anything else.
fn shuffle(value: &mut Value, rng: &mut Rng, kind: Kind) {
    match value {
        Value::Object(map) => {
            if matches!(kind, Kind::Root | Kind::Other) {
                shuffle_map(map, rng);
            }
            for (key, child) in map.iter_mut() {
                let child_kind = match (kind, key.as_str()) {
                    (Kind::Root, "paths") => Kind::Paths,
                    (Kind::Paths, _) => Kind::PathItem,
                    (Kind::Properties, _) => Kind::Other,
                    (_, "properties") => Kind::Properties,
                    _ => Kind::Other,
                };
                shuffle(child, rng, child_kind);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| shuffle(v, rng, Kind::Other)),
        _ => {}
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Root,
    Paths,
    PathItem,
    Properties,
    Other,
}

/// Objects named `properties` inside `properties` are property *names*, not the keyword:
/// `Kind::Properties` children are schemas (`Other`), so that case is handled above.
fn shuffled(doc: &Value, seed: u64) -> Value {
    let mut doc = doc.clone();
    let mut rng = Rng(seed.max(1));
    shuffle(&mut doc, &mut rng, Kind::Root);
    doc
}

fn first_difference(a: &[(String, String)], b: &[(String, String)]) -> String {
    if a.len() != b.len() || a.iter().zip(b).any(|(x, y)| x.0 != y.0) {
        let names =
            |files: &[(String, String)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        return format!("different files: {:?} vs {:?}", names(a), names(b));
    }
    for ((path, x), (_, y)) in a.iter().zip(b) {
        if x != y {
            let line = x
                .lines()
                .zip(y.lines())
                .position(|(l, r)| l != r)
                .unwrap_or(0);
            return format!(
                "{path} differs from line {}:\n  {}\n  {}",
                line + 1,
                x.lines().nth(line).unwrap_or(""),
                y.lines().nth(line).unwrap_or("")
            );
        }
    }
    String::new()
}

#[test]
fn generating_twice_is_byte_identical() {
    let (doc, config) = clerk();
    let first = run(&doc, &config).expect("the Clerk fragment generates");
    let second = run(&doc, &config).expect("the Clerk fragment generates");
    assert!(first == second, "{}", first_difference(&first, &second));
    // And from the YAML text as `cargo xtask generate` reads it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read(root.join("spec/clerk-organization-memberships.yaml")).unwrap();
    let name = "spec/clerk-organization-memberships.yaml";
    let a = sdkgen::generate(&text, name, &config).unwrap().files;
    let b = sdkgen::generate(&text, name, &config).unwrap().files;
    assert_eq!(a, b);
}

#[test]
fn shuffled_unordered_maps_give_identical_output() {
    let (doc, config) = clerk();
    let expected = run(&doc, &config).expect("the Clerk fragment generates");
    for seed in 1..=16u64 {
        let doc = shuffled(&doc, seed);
        let got = run(&doc, &config).expect("the shuffled fragment generates");
        assert!(
            got == expected,
            "seed {seed}: {}",
            first_difference(&expected, &got)
        );
    }
}

/// The shuffle really moves things (or the test above would prove nothing).
#[test]
fn the_shuffle_reorders_components_and_keywords_but_not_paths_or_properties() {
    let (doc, _) = clerk();
    let keys = |v: &Value| -> Vec<String> {
        v.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let moved = (1..=16u64).any(|seed| {
        let s = shuffled(&doc, seed);
        keys(&s["components"]["schemas"]) != keys(&doc["components"]["schemas"])
    });
    assert!(moved, "no seed reordered components/schemas");
    for seed in 1..=16u64 {
        let s = shuffled(&doc, seed);
        assert_eq!(keys(&s["paths"]), keys(&doc["paths"]));
        for (path, item) in doc["paths"].as_object().unwrap() {
            assert_eq!(keys(&s["paths"][path]), keys(item));
        }
        for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
            assert_eq!(
                keys(&s["components"]["schemas"][name]["properties"]),
                keys(&schema["properties"])
            );
        }
    }
}

/// Random documents (odd and colliding names included): twice gives the same bytes, and so
/// does a shuffled copy.
#[test]
fn random_documents_are_deterministic_under_reordering() {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 32;
    }
    let sdk = sdkgen::Config::named("robust-sdk");
    let mut runner = TestRunner::new(config);
    let result = runner.run(&(strategies::document(), 1..u64::MAX), |(doc, seed)| {
        let first = run(&doc, &sdk);
        let second = run(&doc, &sdk);
        prop_assert_eq!(&first, &second, "two runs differ");
        let reordered = run(&shuffled(&doc, seed), &sdk);
        match (&first, &reordered) {
            (Ok(a), Ok(b)) => prop_assert!(a == b, "{}", first_difference(a, b)),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "one run failed: {:?} vs {:?}", a.is_ok(), b.is_ok()),
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

/// Issue 12, class 7: the preamble named the spec by its path as typed, absolute paths
/// included, so the same spec generated from two folders gave different files. Generating one
/// spec through [`sdkgen::Job`] from two folders, by absolute and by relative path, gives the
/// same bytes, and no file mentions either folder.
#[test]
fn the_same_spec_in_two_folders_gives_identical_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = std::fs::read(root.join("spec/clerk-organization-memberships.yaml")).expect("spec");
    let scratch = root.join("target/determinism");
    let runs: Vec<Vec<(String, String)>> = ["machine-a/home/me/specs", "machine-b/srv/x"]
        .iter()
        .enumerate()
        .map(|(i, folder)| {
            let dir = scratch.join(folder);
            std::fs::create_dir_all(&dir).expect("a scratch folder");
            let path = dir.join("memberships.yaml");
            std::fs::write(&path, &spec).expect("the spec is written");
            // The first by absolute path, the second as a relative one.
            let path = if i == 0 {
                path
            } else {
                Path::new("../target/determinism")
                    .join(folder)
                    .join("memberships.yaml")
            };
            let output = sdkgen::Job::new(&path, Some("memberships"), None)
                .expect("a job")
                .run()
                .unwrap_or_else(|d| panic!("generation failed:\n{d}"));
            output
                .files
                .into_iter()
                .map(|f| (f.path, f.contents))
                .collect()
        })
        .collect();
    assert!(
        runs[0] == runs[1],
        "{}",
        first_difference(&runs[0], &runs[1])
    );
    for (path, contents) in &runs[0] {
        for folder in ["machine-a", "machine-b", "determinism", "home/me"] {
            assert!(!contents.contains(folder), "{path} mentions {folder}");
        }
    }
    let lib = &runs[0]
        .iter()
        .find(|(path, _)| path == "src/lib.rs")
        .expect("lib.rs")
        .1;
    assert!(
        lib.starts_with("// This file is @generated by sdkgen from memberships.yaml."),
        "{}",
        lib.lines().next().unwrap_or_default()
    );
}
