//! `cargo xtask corpus`: every spec under the shared corpus through the generator, then
//! `cargo check` and `cargo clippy -D warnings` on each generated crate; prints a table.
//!
//! Each crate is also linted with `--no-default-features` (no group at all) and with single
//! groups' features alone (a sample by default: the first, middle and last group; every group
//! with `--every-group`), so a model or error variant gated on the wrong features shows up as
//! a compile error or an unused-item warning.
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
    /// Which list operations got `stream()` (empty when the spec did not generate).
    pagination: sdkgen::model::Coverage,
    operations: usize,
    types: usize,
    millis: u128,
    lines: usize,
    check: String,
    /// The `--no-default-features` and single-group builds.
    features: String,
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
        use sdkgen::emit::ArgSource;
        use sdkgen::model::{TypeKind, TypeRef};
        let mut stats = Self::default();
        let mut lengths: Vec<usize> = api.types.iter().map(|t| t.name.chars().count()).collect();
        lengths.sort_unstable();
        stats.longest = lengths.last().copied().unwrap_or_default();
        stats.median = lengths.get(lengths.len() / 2).copied().unwrap_or_default();
        let type_names: Vec<Named> = api
            .types
            .iter()
            .map(|t| {
                (
                    t.name.as_str(),
                    t.origin.rsplit('/').next().unwrap_or_default(),
                )
            })
            .collect();
        stats.numbered += numbered(&type_names);
        stats.status_types = type_names
            .iter()
            .filter(|(n, _)| {
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
                    let names: Vec<Named> = variants
                        .iter()
                        .map(|v| {
                            let source = match &v.ty {
                                TypeRef::Named(name) => name.as_str(),
                                _ => "",
                            };
                            (v.rust_name.as_str(), source)
                        })
                        .collect();
                    stats.numbered += numbered(&names);
                }
                TypeKind::Enum { variants } => {
                    stats.symbol_variants += variants
                        .iter()
                        .filter(|v| !v.wire_name.chars().any(char::is_alphanumeric))
                        .filter(|v| v.rust_name.starts_with("Type"))
                        .count();
                    let names: Vec<Named> = variants
                        .iter()
                        .map(|v| (v.rust_name.as_str(), v.wire_name.as_str()))
                        .collect();
                    stats.numbered += numbered(&names);
                }
                _ => {}
            }
        }
        let groups: Vec<Named> = api
            .groups
            .iter()
            .map(|g| (g.method.as_str(), g.tag.as_str()))
            .collect();
        stats.numbered += numbered(&groups);
        for group in &api.groups {
            if group.method == "default" {
                stats.default_group += group.operations.len();
            }
            let methods: Vec<Named> = group
                .operations
                .iter()
                .map(|o| (o.method_name.as_str(), o.id.as_str()))
                .collect();
            stats.numbered += numbered(&methods);
            for op in &group.operations {
                let args = sdkgen::emit::builder_args(op, api);
                let names: Vec<Named> = args
                    .iter()
                    .map(|a| {
                        let source = match &a.source {
                            ArgSource::Param(i) => op.params[*i].wire_name.as_str(),
                            ArgSource::BodyField(wire) => wire.as_str(),
                            ArgSource::Body => "",
                        };
                        (a.name.as_str(), source)
                    })
                    .collect();
                stats.numbered += numbered(&names);
            }
        }
        stats
    }
}

/// A generated name and the spec text it was made from (a wire value, a schema key, an
/// operation id), or `""` when it was made up.
type Named<'a> = (&'a str, &'a str);

/// How many of `names` are another of them plus a number the generator added to tell them
/// apart (`body2` next to `body`). A number the source already ends with is its own
/// (`Gpt4o20240806` for `gpt-4o-2024-08-06` next to `Gpt4o`, the schema `ImageRefParam-2`).
fn numbered(names: &[Named]) -> usize {
    names
        .iter()
        .filter(|(name, source)| {
            let name = name.trim_start_matches("r#");
            let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
            let number = &name[base.len()..];
            let own: String = source.chars().filter(char::is_ascii_alphanumeric).collect();
            !number.is_empty()
                && !base.is_empty()
                && !own.ends_with(number)
                && names
                    .iter()
                    .any(|(other, _)| other.trim_start_matches("r#") == base)
        })
        .count()
}

/// Which groups' features `corpus` builds alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Groups {
    /// The first, middle and last group.
    Sample,
    /// Every group.
    Every,
}

pub fn run(
    specs: Option<PathBuf>,
    only: Option<&str>,
    compile: bool,
    groups: Groups,
) -> Result<(), String> {
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
                    pagination: output.pagination.clone(),
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
                    features: String::new(),
                    diagnostics: summarize(&output.warnings.to_string(), "warning"),
                    names: Some(NameStats::of(&output.api)),
                });
                members.push(crate_name);
            }
            Err(message) => rows.push(Row {
                spec: name,
                pagination: sdkgen::model::Coverage::default(),
                operations: 0,
                types: 0,
                millis,
                lines: 0,
                check: "not generated".into(),
                features: String::new(),
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
            if row.check == "ok" {
                row.features = compile_features(&scratch, &crate_name, groups);
            }
        }
    }

    let table = render(&rows);
    println!("{table}");
    std::fs::write(scratch.join("corpus.md"), &table).map_err(|e| e.to_string())?;
    let paging = render_pagination(&rows);
    println!("{paging}");
    std::fs::write(scratch.join("pagination.md"), &paging).map_err(|e| e.to_string())?;
    // Every list operation and its verdict, for reviewing samples (too long to print).
    let listing = scratch.join("pagination-operations.md");
    std::fs::write(&listing, render_list_operations(&rows)).map_err(|e| e.to_string())?;
    println!(
        "every list operation and its verdict: {}",
        listing.display()
    );
    let failed: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            let compiled = r.check == "ok" && !r.features.contains("failed");
            !(compiled || r.check == "skipped")
        })
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} of {} specs failed", failed.len(), rows.len()))
    }
}

fn compile_crate(scratch: &Path, crate_name: &str) -> String {
    for (step, args) in [
        ("check", vec!["check", "-p", crate_name, "--quiet"]),
        (
            "clippy",
            vec![
                "clippy", "-p", crate_name, "--quiet", "--", "-D", "warnings",
            ],
        ),
    ] {
        if let Err(failure) = cargo(scratch, step, &args) {
            return failure;
        }
    }
    "ok".into()
}

/// Clippy (`-D warnings`) with no group's feature, then with each sampled group's alone.
fn compile_features(scratch: &Path, crate_name: &str, groups: Groups) -> String {
    let manifest =
        std::fs::read_to_string(scratch.join(crate_name).join("Cargo.toml")).unwrap_or_default();
    let features: Vec<String> = manifest
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("features")?.as_table().cloned())
        .map(|table| table.keys().filter(|k| *k != "default").cloned().collect())
        .unwrap_or_default();
    let chosen: Vec<&String> = match groups {
        Groups::Every => features.iter().collect(),
        Groups::Sample => {
            let mut picks: Vec<&String> = [0, features.len() / 2, features.len().wrapping_sub(1)]
                .into_iter()
                .filter_map(|i| features.get(i))
                .collect();
            picks.dedup();
            picks
        }
    };
    let lint = |extra: Option<&str>| {
        let mut args = vec![
            "clippy",
            "-p",
            crate_name,
            "--quiet",
            "--no-default-features",
        ];
        if let Some(feature) = extra {
            args.extend(["--features", feature]);
        }
        args.extend(["--", "-D", "warnings"]);
        args.into_iter().map(str::to_owned).collect::<Vec<String>>()
    };
    if let Err(failure) = cargo(scratch, "--no-default-features", &lint(None)) {
        return failure;
    }
    for feature in &chosen {
        let step = format!("--features {feature}");
        if let Err(failure) = cargo(scratch, &step, &lint(Some(feature))) {
            return failure;
        }
    }
    format!(
        "ok: none, {} of {} groups alone",
        chosen.len(),
        features.len()
    )
}

/// Runs cargo in the scratch workspace; the error names the step and the first diagnostic.
fn cargo(scratch: &Path, step: &str, args: &[impl AsRef<std::ffi::OsStr>]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // One-off checks of big crates: incremental state would only fill the disk.
    match Command::new(&cargo)
        .args(args)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(scratch)
        .output()
    {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => {
            let stderr = String::from_utf8_lossy(&o.stderr);
            let first = stderr
                .lines()
                .find(|l| l.starts_with("error") || l.starts_with("warning"))
                .unwrap_or("failed")
                .to_owned();
            Err(format!("{step} failed: {first}"))
        }
        Err(e) => Err(format!("{step} did not run: {e}")),
    }
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

/// A spec's path as a name for folders and crates: lowercase ASCII, `-` between words.
pub(crate) fn slug(name: &str) -> String {
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
        "| spec | operations | types | generation ms | lines | check | features | names (longest/median type, VariantN, ResponseNNN, name2, symbol `Type`, `default` group ops) | diagnostics |\n|---|---:|---:|---:|---:|---|---|---|---|\n",
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
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.spec,
            r.operations,
            r.types,
            r.millis,
            r.lines,
            r.check,
            r.features,
            names,
            r.diagnostics.replace('|', "\\|")
        );
    }
    out
}

/// The pagination coverage table: per spec, list operations, how many look paged, how many got
/// `stream()` (by strategy), and every paged one left out with the reason.
/// One line per list operation: its shape, and the strategy and what decided it.
fn render_list_operations(rows: &[Row]) -> String {
    use sdkgen::model::ListShape;
    let mut out =
        String::from("| spec | operation | endpoint | list | stream |\n|---|---|---|---|---|\n");
    for row in rows {
        for op in &row.pagination.rows {
            let list = match &op.list {
                ListShape::NotList => "not a list".to_owned(),
                ListShape::Unpaged => "unpaged".to_owned(),
                ListShape::Paged { left_out: None } => "paged".to_owned(),
                ListShape::Paged {
                    left_out: Some(why),
                } => format!("paged, left out: {}", why.replace('|', "\\|")),
            };
            let stream = match (op.strategy, op.source) {
                (Some(strategy), Some(source)) => format!("{strategy} ({source:?})"),
                (Some(strategy), None) => strategy.to_owned(),
                (None, _) => "–".to_owned(),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {list} | {stream} |",
                row.spec, op.operation, op.endpoint
            );
        }
    }
    out
}

fn render_pagination(rows: &[Row]) -> String {
    use sdkgen::model::ListShape;
    let mut out = String::from(
        "## Pagination coverage\n\nList operations return an array or an object holding one; paged ones also show signs of paging (parameters, response fields, extensions, a `Link` header).\n\n| spec | list operations | paged | with `stream()` | % of paged | by strategy |\n|---|---:|---:|---:|---:|---|\n",
    );
    let mut left_out = String::new();
    for row in rows.iter().filter(|r| !r.pagination.rows.is_empty()) {
        let ops = &row.pagination.rows;
        let paged = ops
            .iter()
            .filter(|o| matches!(o.list, ListShape::Paged { .. }))
            .count();
        let streamed = ops.iter().filter(|o| o.strategy.is_some()).count();
        let mut by: std::collections::BTreeMap<&str, usize> = Default::default();
        for strategy in ops.iter().filter_map(|o| o.strategy) {
            *by.entry(strategy).or_default() += 1;
        }
        let by = by
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let percent = if paged == 0 {
            "–".to_owned()
        } else {
            format!("{:.0}%", 100.0 * streamed as f64 / paged as f64)
        };
        let _ = writeln!(
            out,
            "| {} | {} | {paged} | {streamed} | {percent} | {by} |",
            row.spec,
            ops.len()
        );
        for op in ops {
            if let ListShape::Paged {
                left_out: Some(reason),
            } = &op.list
            {
                let _ = writeln!(
                    left_out,
                    "| {} | `{}` | {} | {} |",
                    row.spec,
                    op.operation,
                    op.endpoint,
                    reason.replace('|', "\\|")
                );
            }
        }
    }
    if !left_out.is_empty() {
        out.push_str("\n### Paged operations without `stream()`\n\n| spec | operation | endpoint | reason |\n|---|---|---|---|\n");
        out.push_str(&left_out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn only_numbers_the_generator_added_count() {
        for (names, count) in [
            // `body2` was made up to tell two `body`s apart.
            (&[("body", "body"), ("body2", "")][..], 1),
            (&[("r#type", "type"), ("type2", "type")], 1),
            // Numbers the spec wrote are the names' own.
            (
                &[("Gpt4o", "gpt-4o"), ("Gpt4o20240806", "gpt-4o-2024-08-06")],
                0,
            ),
            (
                &[
                    ("ImageRefParam", "ImageRefParam"),
                    ("ImageRefParam2", "ImageRefParam-2"),
                ],
                0,
            ),
            // A number with nothing to be told apart from is not a suffix.
            (&[("Base64", "base64")], 0),
            (&[("Array2", "")], 0),
        ] {
            assert_eq!(numbered(names), count, "{names:?}");
        }
    }
}
