//! A new user's first hour with the repository: the README's first snippet works when pasted,
//! and `cargo xtask` shows what it is doing on a cold build.

use std::collections::BTreeSet;

/// Crate roots a Rust snippet uses: the first segment of `use a::…` and of `a::b` paths, minus
/// what needs no dependency.
fn crates_used(code: &str) -> BTreeSet<String> {
    let builtin = ["std", "core", "alloc", "crate", "self", "super", "Self"];
    let mut used = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start_matches('#').trim();
        if line.starts_with("//") {
            continue;
        }
        let bytes: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_alphabetic() || bytes[i] == '_' {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == '_') {
                    i += 1;
                }
                let word: String = bytes[start..i].iter().collect();
                let path_start = start == 0 || !matches!(bytes[start - 1], ':' | '.' | '"');
                let followed = bytes.get(i) == Some(&':') && bytes.get(i + 1) == Some(&':');
                // Lower-case roots are crates or modules; `Client::new` is a type.
                if path_start
                    && followed
                    && word.starts_with(|c: char| c.is_ascii_lowercase())
                    && !builtin.contains(&word.as_str())
                {
                    used.insert(word);
                }
            } else {
                i += 1;
            }
        }
    }
    used
}

#[test]
fn first_snippet_declares_every_crate_it_uses() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let toml_start = readme
        .find("```toml\n[dependencies]")
        .expect("a [dependencies] block");
    let toml_block = &readme[toml_start + 7..];
    let toml_block = &toml_block[..toml_block.find("```").unwrap()];
    let deps: toml::Table = toml::from_str(toml_block).unwrap();
    let deps = deps["dependencies"].as_table().unwrap();
    let rust_start = toml_start
        + readme[toml_start..]
            .find("```rust")
            .expect("a Rust snippet");
    let rust_block = &readme[rust_start..];
    let rust_block = &rust_block[rust_block.find('\n').unwrap()..];
    let rust_block = &rust_block[..rust_block.find("```").unwrap()];
    let used = crates_used(rust_block);
    assert!(used.contains("clerk_backend"), "{used:?}");
    // Cargo names `futures-util` the crate `futures_util`.
    let declared: BTreeSet<String> = deps.keys().map(|k| k.replace('-', "_")).collect();
    let missing: Vec<_> = used.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "the README's first snippet uses {missing:?} without declaring them"
    );
}

#[test]
fn crate_roots_are_found() {
    let used = crates_used(
        "use a_b::C;\nlet x = serde_json::json!(1);\nClient::new(); x.y::<z>();\n// c::d\nstd::mem::drop(1);",
    );
    assert_eq!(used.into_iter().collect::<Vec<_>>(), ["a_b", "serde_json"]);
}

/// `cargo xtask …` compiles the generator first (minutes when cold): a `--quiet` alias would hide
/// cargo's progress for all that time.
#[test]
fn xtask_alias_shows_build_progress() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join(".cargo/config.toml")).unwrap()).unwrap();
    let alias = config["alias"]["xtask"].as_str().unwrap();
    assert!(alias.starts_with("run --package xtask"), "{alias}");
    assert!(
        !alias.contains("quiet") && !alias.contains(" -q"),
        "{alias}"
    );
}

/// A crate name Cargo would refuse is a clear error that suggests one it accepts, never a panic;
/// a title that makes a bad name is fixed up when no name is given.
#[test]
fn bad_crate_names_are_errors_with_a_suggestion() {
    let spec = b"openapi: 3.0.3\ninfo: {title: '1 self', version: '1'}\npaths: {}\n";
    for (name, suggestion) in [
        ("my crate", "my-crate"),
        ("1petstore", "api-1petstore"),
        ("self", "self-api"),
        ("", "api-client"),
    ] {
        let config = sdkgen::Config::named(name);
        let err = sdkgen::generate(spec, "spec.yaml", &config)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("error: {name:?} is not a valid crate name: "))
                && err.contains(&format!("try {suggestion:?}")),
            "{err}"
        );
    }
    let dir = std::env::temp_dir().join(format!("sdkgen-first-hour-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("spec.yaml");
    std::fs::write(&path, spec).unwrap();
    let output = sdkgen::Job::new(&path, None, None).unwrap().run();
    std::fs::remove_dir_all(&dir).unwrap();
    let cargo = output
        .unwrap()
        .files
        .into_iter()
        .find(|f| f.path == "Cargo.toml")
        .unwrap();
    assert!(
        cargo.contents.contains("name = \"api-1-self\""),
        "{}",
        cargo.contents
    );
}

/// Every generated crate has a usage guide: install (with the group features), client with its
/// credentials, a call per group, pagination where there is some, errors; its code is compiled
/// as the crate's doctests (the checked-in crates' doctests run in `cargo test --workspace`). A
/// README someone wrote is left alone.
#[test]
fn every_crate_gets_a_usage_guide() {
    let spec = br#"openapi: 3.0.3
info: {title: Pets, version: '2'}
servers: [{url: 'https://pets.example.com'}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security: [{key: []}]
paths:
  /v1/pets:
    get:
      responses: {'200': {description: ok}}
  /v1/pets/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    delete:
      responses: {'204': {description: ok}}
  /v1/owners:
    post:
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, required: [tags], properties: {tags: {type: array, items: {type: string}}}}}}
      responses: {'204': {description: ok}}
"#;
    let output = sdkgen::generate(spec, "pets.yaml", &sdkgen::Config::named("pets")).unwrap();
    let readme = &output
        .files
        .iter()
        .find(|f| f.path == "README.md")
        .unwrap()
        .contents;
    assert!(
        readme.starts_with("<!-- This file is @generated by sdkgen from pets.yaml."),
        "{readme}"
    );
    for expected in [
        "# pets",
        "pets = { path = \"pets\" }",
        "`Client::from_env()` reads the API key from `PETS_API_KEY`",
        "let client = pets::Client::from_env()?;",
        "let _ = client.pets().list().send().await?;",
        "Groups whose operations need structured arguments: `client.owners()`.",
        "Err(pets::Error::Api(api))",
        "pets = { path = \"pets\", default-features = false, features = [\"pets\", \"owners\"] }",
    ] {
        assert!(readme.contains(expected), "{expected}\n---\n{readme}");
    }
    let lib = &output
        .files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .unwrap()
        .contents;
    assert!(
        lib.contains("#[doc = include_str!(\"../README.md\")]"),
        "{lib}"
    );

    let dir = std::env::temp_dir().join(format!("sdkgen-guide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("README.md"), "# My own words\n").unwrap();
    sdkgen::output::write(&dir, &output.files).unwrap();
    let kept = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let check = sdkgen::output::check(&dir, &output.files);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(kept, "# My own words\n");
    assert_eq!(check, Ok(()));
}
