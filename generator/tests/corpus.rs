//! Every spec of the shared corpus (OpenAPI 3.0 and 3.1) generates without a panic or an error,
//! and every emitted Rust file parses. `cargo xtask corpus` also compiles and lints each crate.

use std::path::{Path, PathBuf};

fn specs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            specs(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_spec_generates_parseable_rust() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::var_os("SDKGEN_SHARED_SPECS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/specs"));
    let mut files = Vec::new();
    specs(&dir, &mut files);
    files.sort();
    if files.is_empty() {
        eprintln!(
            "skipping: no specs under {} (set SDKGEN_SHARED_SPECS)",
            dir.display()
        );
        return;
    }
    let mut generated = 0;
    for file in &files {
        let job = sdkgen::Job::new(file, Some("corpus-crate"), None).unwrap();
        match job.run() {
            Ok(output) => {
                generated += 1;
                for f in output.files.iter().filter(|f| f.path.ends_with(".rs")) {
                    if let Err(e) = syn::parse_file(&f.contents) {
                        panic!("{}: {} does not parse: {e}", file.display(), f.path);
                    }
                }
            }
            Err(diagnostics) => {
                panic!("{}: refused:\n{diagnostics}", file.display());
            }
        }
    }
    eprintln!("{generated} of {} corpus specs generated", files.len());
}
