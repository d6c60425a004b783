//! `cargo xtask corpus`: every spec under the shared corpus through the generator, then
//! `cargo check` and `cargo clippy -D warnings` on each generated crate; prints a table.
//!
//! The crates share one scratch workspace (`target/corpus/`) so the runtime's dependencies are
//! compiled once for all of them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One spec's row in the table.
struct Row {
    spec: String,
    operations: usize,
    types: usize,
    millis: u128,
    lines: usize,
    check: String,
    diagnostics: String,
    names: Option<NameStats>,
}

/// How hand-written the generated names read: the figures issue 19 asked to watch.
#[derive(Default)]
struct NameStats {
    /// Longest and median type name, in characters.
    longest: usize,
    median: usize,
    /// Union variants named by position (`Variant0`).
    positional_variants: usize,
    /// Types named after a status code (`…Response200`).
    status_types: usize,
    /// Names that only differ from another of the same place by a trailing number (`name2`).
    numbered: usize,
    /// Enum variants for values without letters or digits (`""`, `*`) named `Type`-like.
    symbol_variants: usize,
    /// Operations in the catch-all `default` group.
    default_group: usize,
}

impl NameStats {
    fn of(api: &sdkgen::model::Api) -> Self {
        use sdkgen::model::TypeKind;
        let mut stats = Self::default();
        let mut lengths: Vec<usize> = api.types.iter().map(|t| t.name.chars().count()).collect();
        lengths.sort_unstable();
        stats.longest = lengths.last().copied().unwrap_or_default();
        stats.median = lengths.get(lengths.len() / 2).copied().unwrap_or_default();
        let type_names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        stats.numbered += numbered(&type_names);
        stats.status_types = type_names
            .iter()
            .filter(|n| {
                n.match_indices("Response").any(|(i, w)| {
                    let rest = &n[i + w.len()..];
                    rest.len() >= 3 && rest[..3].chars().all(|c| c.is_ascii_digit())
                })
            })
            .count();
        for def in &api.types {
            match &def.kind {
                TypeKind::Union { variants, .. } => {
                    stats.positional_variants += variants
                        .iter()
                        .filter(|v| {
                            v.rust_name.strip_prefix("Variant").is_some_and(|rest| {
                                !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
                            })
                        })
                        .count();
                    let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
                    stats.numbered += numbered(&names);
                }
                TypeKind::Enum { variants } => {
                    stats.symbol_variants += variants
                        .iter()
                        .filter(|v| !v.wire_name.chars().any(char::is_alphanumeric))
                        .filter(|v| v.rust_name.starts_with("Type"))
                        .count();
                    let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
                    stats.numbered += numbered(&names);
                }
                _ => {}
            }
        }
        let groups: Vec<&str> = api.groups.iter().map(|g| g.method.as_str()).collect();
        stats.numbered += numbered(&groups);
        for group in &api.groups {
            if group.method == "default" {
                stats.default_group += group.operations.len();
            }
            let methods: Vec<&str> = group
                .operations
                .iter()
                .map(|o| o.method_name.as_str())
                .collect();
            stats.numbered += numbered(&methods);
            for op in &group.operations {
                let args = sdkgen::emit::builder_args(op, api);
                let names: Vec<&str> = args.iter().map(|a| a.name.as_str()).collect();
                stats.numbered += numbered(&names);
            }
        }
        stats
    }
}

/// How many of `names` are another of them plus a number (`body2` next to `body`).
fn numbered(names: &[&str]) -> usize {
    names
        .iter()
        .filter(|name| {
            let name = name.trim_start_matches("r#");
            let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
            base.len() < name.len()
                && !base.is_empty()
                && names
                    .iter()
                    .any(|other| other.trim_start_matches("r#") == base)
        })
        .count()
}

pub fn run(specs: Option<PathBuf>, only: Option<&str>, compile: bool) -> Result<(), String> {
    let dir = specs
        .or_else(|| std::env::var_os("SDKGEN_SHARED_SPECS").map(PathBuf::from))
        .unwrap_or_else(|| super::root().join("../shared/specs"));
    if !dir.is_dir() {
        return Err(format!(
            "no spec corpus at {} (set SDKGEN_SHARED_SPECS)",
            dir.display()
        ));
    }
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    files.retain(|f| only.is_none_or(|o| f.to_string_lossy().contains(o)));

    let scratch = super::root().join("target/corpus");
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    let mut members = Vec::new();
    for file in &files {
        let name = file
            .strip_prefix(&dir)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let crate_name = format!("corpus-{}", slug(&name));
        let started = Instant::now();
        let result = sdkgen::Job::new(file, Some(&crate_name), None)
            .and_then(|job| job.run().map_err(|d| d.to_string()));
        let millis = started.elapsed().as_millis();
        match result {
            Ok(output) => {
                let out = scratch.join(&crate_name);
                sdkgen::output::write(&out, &output.files).map_err(|e| e.to_string())?;
                let models = output.files.iter().find(|f| f.path == "src/models.rs");
                rows.push(Row {
                    spec: name,
                    operations: output
                        .files
                        .iter()
                        .map(|f| {
                            f.contents
                                .matches("let raw = self.client.core().execute(")
                                .count()
                        })
                        .sum(),
                    types: models.map_or(0, |m| {
                        m.contents.matches("\npub struct ").count()
                            + m.contents.matches("\npub enum ").count()
                            + m.contents.matches("\npub type ").count()
                    }),
                    millis,
                    lines: output
                        .files
                        .iter()
                        .map(|f| f.contents.lines().count())
                        .sum(),
                    check: if compile {
                        "pending".into()
                    } else {
                        "skipped".into()
                    },
                    diagnostics: summarize(&output.warnings.to_string(), "warning"),
                    names: Some(NameStats::of(&output.api)),
                });
                members.push(crate_name);
            }
            Err(message) => rows.push(Row {
                spec: name,
                operations: 0,
                types: 0,
                millis,
                lines: 0,
                check: "not generated".into(),
                diagnostics: summarize(&message, "error"),
                names: None,
            }),
        }
    }

    if compile && !members.is_empty() {
        let manifest = format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members
                .iter()
                .map(|m| format!("{m:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        std::fs::write(scratch.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        for row in rows.iter_mut().filter(|r| r.check == "pending") {
            let crate_name = format!("corpus-{}", slug(&row.spec));
            row.check = compile_crate(&scratch, &crate_name);
        }
    }

    let table = render(&rows);
    println!("{table}");
    std::fs::write(scratch.join("corpus.md"), &table).map_err(|e| e.to_string())?;
    let failed: Vec<&Row> = rows
        .iter()
        .filter(|r| !(r.check == "ok" || r.check == "skipped"))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} of {} specs failed", failed.len(), rows.len()))
    }
}

fn compile_crate(scratch: &Path, crate_name: &str) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for (step, args) in [
        ("check", vec!["check", "-p", crate_name, "--quiet"]),
        (
            "clippy",
            vec![
                "clippy", "-p", crate_name, "--quiet", "--", "-D", "warnings",
            ],
        ),
    ] {
        let output = Command::new(&cargo)
            .args(&args)
            .current_dir(scratch)
            .output();
        match output {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                let stderr = String::from_utf8_lossy(&o.stderr);
                let first = stderr
                    .lines()
                    .find(|l| l.starts_with("error") || l.starts_with("warning"))
                    .unwrap_or("failed")
                    .to_owned();
                return format!("{step} failed: {first}");
            }
            Err(e) => return format!("{step} did not run: {e}"),
        }
    }
    "ok".into()
}

pub(crate) fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

fn slug(name: &str) -> String {
    let s: String = name
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .trim_end_matches(".json")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let ext = if name.ends_with(".json") { "-json" } else { "" };
    format!("{s}{ext}")
}

/// Counts diagnostics of a kind and keeps the first one's text.
fn summarize(text: &str, kind: &str) -> String {
    let count = text.lines().filter(|l| l.starts_with(kind)).count();
    match text.lines().find(|l| l.starts_with(kind)) {
        Some(first) if count > 0 => {
            let first: String = first.chars().take(110).collect();
            format!("{count} {kind}(s); first: {first}")
        }
        _ => String::new(),
    }
}

fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "| spec | operations | types | generation ms | lines | check | names (longest/median type, VariantN, ResponseNNN, name2, symbol `Type`, `default` group ops) | diagnostics |\n|---|---:|---:|---:|---:|---|---|---|\n",
    );
    for r in rows {
        let names = r.names.as_ref().map_or_else(String::new, |n| {
            format!(
                "{}/{}, {}, {}, {}, {}, {}",
                n.longest,
                n.median,
                n.positional_variants,
                n.status_types,
                n.numbered,
                n.symbol_variants,
                n.default_group
            )
        });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.spec,
            r.operations,
            r.types,
            r.millis,
            r.lines,
            r.check,
            names,
            r.diagnostics.replace('|', "\\|")
        );
    }
    out
}
