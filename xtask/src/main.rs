//! Repository chores: `cargo xtask generate` and `cargo xtask check`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  generate   regenerate generated/ from spec/sdkgen.toml
  check      fail with a diff when generated/ does not match the spec";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(),
        Some("check") => check(),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Runs the generator on the repository's spec and returns the files for `generated/`.
fn files() -> Result<Vec<sdkgen::GeneratedFile>, String> {
    let root = root();
    let config = sdkgen::Config::read(&root.join("spec/sdkgen.toml"))?;
    let spec = config
        .spec
        .clone()
        .ok_or("spec/sdkgen.toml has no `spec` entry")?;
    let bytes = std::fs::read(&spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let name = spec
        .strip_prefix(&root)
        .unwrap_or(&spec)
        .to_string_lossy()
        .replace('\\', "/");
    let output = sdkgen::generate(&bytes, &name, &config).map_err(|d| d.to_string())?;
    for warning in &output.warnings.0 {
        eprintln!("{warning}");
    }
    Ok(output.files)
}

fn generate() -> Result<(), String> {
    let started = Instant::now();
    let files = files()?;
    let changed = sdkgen::output::write(&root().join("generated"), &files)
        .map_err(|e| format!("cannot write generated/: {e}"))?;
    let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
    for path in &changed {
        println!("  updated generated/{path}");
    }
    println!(
        "generated {} files ({lines} lines, {} changed) in {} ms",
        files.len(),
        changed.len(),
        started.elapsed().as_millis()
    );
    Ok(())
}

fn check() -> Result<(), String> {
    let files = files()?;
    sdkgen::output::check(&root().join("generated"), &files).map_err(|diff| {
        format!("{diff}\ngenerated/ is stale: run `cargo xtask generate` and commit the result")
    })?;
    println!("generated/ is up to date");
    Ok(())
}
