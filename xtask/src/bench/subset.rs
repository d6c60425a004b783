//! A "supported subset" of a spec our generator refuses: the same document minus the
//! operations that its error diagnostics point into (today: non-JSON request bodies).
//!
//! This lets the three generators be compared on a big real-world input before ours handles
//! every construct in it. The subset is written as JSON under `target/bench/specs/` (scratch
//! output, never part of the project) and used by every tool alike. Once our generator accepts
//! the whole spec no subset is made.

use std::path::{Path, PathBuf};

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A subset of `spec` that our generator accepts, with the number of operations dropped; `None`
/// when the spec generates as it is, or when an error is not inside an operation.
pub fn make(spec: &Path, label: &str, out_dir: &Path) -> Result<Option<(PathBuf, usize)>, String> {
    let bytes = std::fs::read(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let mut document = parse(&bytes).map_err(|e| format!("{}: {e}", spec.display()))?;
    let mut dropped = 0;
    // Dropping operations can uncover errors that were not reached before; a few rounds.
    for _ in 0..5 {
        let text = serde_json::to_vec(&document).map_err(|e| e.to_string())?;
        let config = sdkgen::Config::named("bench-subset");
        let errors = match sdkgen::generate(&text, label, &config) {
            Ok(_) if dropped == 0 => return Ok(None),
            Ok(_) => {
                std::fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
                let path = out_dir.join(format!("{label}-subset.json"));
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                return Ok(Some((path, dropped)));
            }
            Err(diagnostics) => diagnostics,
        };
        let mut operations: Vec<(String, String)> = errors
            .0
            .iter()
            .filter(|d| d.severity == sdkgen::Severity::Error)
            .map(|d| operation_of(&d.pointer))
            .collect::<Option<_>>()
            .unwrap_or_default();
        operations.sort();
        operations.dedup();
        if operations.is_empty() {
            return Ok(None);
        }
        for (path, method) in operations {
            let removed = document
                .get_mut("paths")
                .and_then(|p| p.get_mut(&path))
                .and_then(Value::as_object_mut)
                .and_then(|item| item.remove(&method));
            if removed.is_some() {
                dropped += 1;
            }
        }
    }
    Ok(None)
}

fn parse(bytes: &[u8]) -> Result<Value, String> {
    let json = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    if json {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    } else {
        serde_norway::from_slice(bytes).map_err(|e| e.to_string())
    }
}

/// `#/paths/~1a~1{id}/post/requestBody` → `("/a/{id}", "post")`.
fn operation_of(pointer: &str) -> Option<(String, String)> {
    let mut parts = pointer.strip_prefix("#/paths/")?.split('/');
    let path = parts.next()?.replace("~1", "/").replace("~0", "~");
    let method = parts.next()?;
    METHODS.contains(&method).then(|| (path, method.to_owned()))
}
