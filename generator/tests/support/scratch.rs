//! Scratch crates that tests generate and build: their folder under `target/robustness/`, and
//! cargo commands that build them all into one target dir, so dependencies are built once.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `target/robustness/<name>/`, created.
pub fn dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/robustness")
        .join(name);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// `cargo` in the scratch crate at `crate_dir`, building into `target/robustness/target`.
///
/// Cargo gives the test running this command variables about the test's own package; a build
/// script that reads one (ring's reads `CARGO_MANIFEST_DIR`) would rerun, and every crate above
/// it rebuild, each time the target dir is used from another test or by hand. They are removed.
pub fn cargo(crate_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", dir("target"));
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else {
            continue;
        };
        let per_package = name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_BIN_")
            || matches!(
                name,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
                    | "CARGO_RUSTC_CURRENT_DIR"
            );
        if per_package {
            command.env_remove(name);
        }
    }
    command
}
