//! `cargo xtask diff-compare`: `sdkgen diff` on the Clerk history next to cargo-semver-checks
//! (ground truth for the Rust API of the generated crates) and Atlassian's openapi-diff (the
//! spec-level view), with what each finds that the other misses; also the speed section of
//! `cargo xtask bench`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sdkgen::diff::{Effect, Report};

/// The pairs of the task, oldest first: `(label, old, new)`; `history:` names a file of
/// `spec-history/clerk`, `specs:` one of `specs/clerk`.
pub(crate) const PAIRS: [(&str, &str, &str); 4] = [
    (
        "2026-05-28 → 2026-06-16",
        "history:bapi-2026-05-12@2026-05-28.yml",
        "history:bapi-2026-05-12@2026-06-16.yml",
    ),
    (
        "2026-06-16 → 2026-07-06",
        "history:bapi-2026-05-12@2026-06-16.yml",
        "history:bapi-2026-05-12@2026-07-06.yml",
    ),
    (
        "2026-07-06 → 2026-08-14",
        "history:bapi-2026-05-12@2026-07-06.yml",
        "specs:bapi-2026-05-12.yml",
    ),
    (
        "2025-11-10 → 2026-05-12",
        "history:bapi-2025-11-10.yml",
        "specs:bapi-2026-05-12.yml",
    ),
];

#[derive(clap::Args, Clone, Debug)]
pub(crate) struct Args {
    /// Only pairs whose label contains this text (e.g. `2026-07-06`).
    #[arg(long)]
    only: Option<String>,
    /// Skip cargo-semver-checks.
    #[arg(long)]
    no_semver_checks: bool,
    /// Skip openapi-diff.
    #[arg(long)]
    no_openapi_diff: bool,
    /// Do not install missing tools (report them as unavailable).
    #[arg(long)]
    no_install: bool,
    /// Give up on one openapi-diff run after this many seconds (it is slow on big specs).
    #[arg(long, default_value_t = 1800)]
    openapi_diff_timeout: u64,
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let work = crate::root().join("target/diff-compare");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let semver_checks = if args.no_semver_checks {
        Err("skipped (--no-semver-checks)".to_owned())
    } else {
        semver_checks_binary(!args.no_install)
    };
    let openapi_diff = if args.no_openapi_diff {
        Err("skipped (--no-openapi-diff)".to_owned())
    } else {
        openapi_diff_script(!args.no_install)
    };
    let mut out = String::from("# `sdkgen diff` next to cargo-semver-checks and openapi-diff\n");
    for (label, old, new) in PAIRS {
        if args
            .only
            .as_ref()
            .is_some_and(|o| !label.contains(o.as_str()))
        {
            continue;
        }
        let (old, new) = match (locate(old), locate(new)) {
            (Ok(o), Ok(n)) => (o, n),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("skipping {label}: {e}");
                continue;
            }
        };
        eprintln!("diff-compare: {label}");
        let section = compare(
            label,
            &old,
            &new,
            &work.join(slug(label)),
            semver_checks.as_ref(),
            openapi_diff.as_ref(),
            Duration::from_secs(args.openapi_diff_timeout),
        )?;
        println!("{section}");
        out.push_str(&section);
    }
    let path = work.join("compare.md");
    std::fs::write(&path, &out).map_err(|e| e.to_string())?;
    eprintln!("diff-compare: wrote {}", path.display());
    Ok(())
}

/// Where a `history:` or `specs:` name is.
pub(crate) fn locate(name: &str) -> Result<PathBuf, String> {
    let specs = crate::shared_specs_dir();
    let path = match name.split_once(':') {
        Some(("history", file)) => specs
            .parent()
            .unwrap_or(Path::new(".."))
            .join("spec-history/clerk")
            .join(file),
        Some(("specs", file)) => specs.join("clerk").join(file),
        _ => return Err(format!("unknown spec name {name}")),
    };
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("{} is absent", path.display()))
    }
}

fn slug(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Our report of a pair, and how long loading both specs and diffing took.
pub(crate) fn ours(old: &Path, new: &Path) -> Result<(Report, Duration), String> {
    let config = sdkgen::Config::named("clerk");
    let started = Instant::now();
    let old = sdkgen::model_of(old, &config)?;
    let new = sdkgen::model_of(new, &config)?;
    let report = sdkgen::diff::diff(&old, &new);
    Ok((report, started.elapsed()))
}

fn compare(
    label: &str,
    old: &Path,
    new: &Path,
    work: &Path,
    semver_checks: Result<&PathBuf, &String>,
    openapi_diff: Result<&PathBuf, &String>,
    timeout: Duration,
) -> Result<String, String> {
    let (report, took) = ours(old, new)?;
    let mut out = String::new();
    let _ = writeln!(out, "\n## {label}\n");
    let _ = writeln!(
        out,
        "`sdkgen diff` ({:.0} ms, this build): {} breaking, {} wire, {} compatible, {} docs; bump {:?}.\n",
        took.as_secs_f64() * 1e3,
        report.count(Effect::Breaking),
        report.count(Effect::Wire),
        report.count(Effect::Compatible),
        report.count(Effect::Docs),
        report.bump()
    );

    match semver_checks {
        Err(why) => {
            let _ = writeln!(out, "cargo-semver-checks: unavailable: {why}\n");
        }
        Ok(binary) => match run_semver_checks(binary, old, new, work) {
            Err(e) => {
                let _ = writeln!(out, "cargo-semver-checks: failed: {e}\n");
            }
            Ok((findings, took)) => out.push_str(&semver_section(&report, &findings, took)),
        },
    }
    match openapi_diff {
        Err(why) => {
            let _ = writeln!(out, "openapi-diff: unavailable: {why}\n");
        }
        Ok(script) => match run_openapi_diff(script, old, new, timeout) {
            Err(e) => {
                let _ = writeln!(out, "openapi-diff: {e}\n");
            }
            Ok((json, took)) => out.push_str(&openapi_diff_section(&report, &json, took)),
        },
    }
    Ok(out)
}

// ---------------------------------------------------------------- cargo-semver-checks

/// The cached `cargo-semver-checks` (installed under `target/tools` when asked).
pub(crate) fn semver_checks_binary(install: bool) -> Result<PathBuf, String> {
    let root = crate::root().join("target/tools");
    let binary = root.join("bin/cargo-semver-checks");
    if binary.is_file() {
        return Ok(binary);
    }
    if !install {
        return Err(format!("{} is not installed", binary.display()));
    }
    eprintln!("diff-compare: cargo install --locked cargo-semver-checks (once, cached)");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["install", "--locked", "cargo-semver-checks", "--root"])
        .arg(&root)
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if status.success() && binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "cargo install cargo-semver-checks failed ({status})"
        ))
    }
}

/// One lint failure: the lint and the item line it names.
pub(crate) struct Finding {
    lint: String,
    item: String,
}

/// Generates both crates under `work` and runs cargo-semver-checks on them as a patch release
/// (so that everything needing a new 0.x minor version is reported).
pub(crate) fn run_semver_checks(
    binary: &Path,
    old: &Path,
    new: &Path,
    work: &Path,
) -> Result<(Vec<Finding>, Duration), String> {
    for (spec, side) in [(old, "old"), (new, "new")] {
        let job = sdkgen::Job::new(spec, Some("clerk-diff"), None)?;
        let output = job.run().map_err(|d| d.to_string())?;
        let dir = work.join(side);
        sdkgen::output::write(&dir, &output.files)
            .map_err(|e| format!("cannot write {}: {e}", work.display()))?;
        // Under `target/` the crate would belong to this repository's workspace.
        let manifest = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
        if !text.contains("\n[workspace]") {
            std::fs::write(&manifest, format!("{text}\n[workspace]\n"))
                .map_err(|e| e.to_string())?;
        }
    }
    // One target folder for every pair: dependencies are built once.
    let target = crate::root().join("target/diff-compare/target");
    let started = Instant::now();
    let output = Command::new(binary)
        .arg("semver-checks")
        .arg("check-release")
        .arg("--manifest-path")
        .arg(work.join("new/Cargo.toml"))
        .arg("--baseline-root")
        .arg(work.join("old"))
        .args(["--release-type", "patch", "--color", "never"])
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .map_err(|e| format!("cannot run cargo-semver-checks: {e}"))?;
    let took = started.elapsed();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(work.join("semver-checks.log"), &text).map_err(|e| e.to_string())?;
    let findings = parse_semver_checks(&text);
    if !output.status.success() && findings.is_empty() {
        return Err(format!(
            "exit {} without lint failures; see {}",
            output.status,
            work.join("semver-checks.log").display()
        ));
    }
    Ok((findings, took))
}

/// The `Failed in:` items of each `--- failure <lint>: … ---` block.
fn parse_semver_checks(text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut lint = None;
    let mut in_items = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("--- failure ") {
            lint = rest.split(':').next().map(str::to_owned);
            in_items = false;
        } else if let Some(rest) = line.strip_prefix("--- warning ") {
            lint = rest.split(':').next().map(|l| format!("warning {l}"));
            in_items = false;
        } else if line.trim() == "Failed in:" {
            in_items = true;
        } else if in_items && line.starts_with("  ") && !line.starts_with("   ") {
            // Items are indented by two spaces; cargo's status lines by more.
            if let Some(lint) = &lint {
                findings.push(Finding {
                    lint: lint.clone(),
                    item: line.trim().to_owned(),
                });
            }
        } else {
            in_items = false;
        }
    }
    findings
}

/// The names a finding is about: its identifiers, without tool words and file locations.
fn finding_names(item: &str) -> Vec<String> {
    const WORDS: &[&str] = &[
        "struct",
        "enum",
        "field",
        "of",
        "variant",
        "method",
        "function",
        "now",
        "takes",
        "parameters",
        "parameter",
        "instead",
        "in",
        "file",
        "previously",
        "clerk_diff",
        "models",
        "pub",
        "type",
        "trait",
        "impl",
        "the",
        "is",
        "no",
        "longer",
        "a",
        "an",
        "for",
        "with",
        "which",
        "was",
        "removed",
        "renamed",
        "inherent",
        "associated",
        "const",
        "fn",
    ];
    let item = item
        .split(", previously in file")
        .next()
        .unwrap_or(item)
        .split(" in file ")
        .next()
        .unwrap_or(item);
    let item = item.split(" in /").next().unwrap_or(item);
    item.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty() && !WORDS.contains(w) && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect()
}

/// Whether a breaking entry of ours names everything the finding names.
fn covered(report: &Report, finding: &Finding) -> bool {
    let names = finding_names(&finding.item);
    let snake = |s: &str| {
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    };
    report
        .changes
        .iter()
        .filter(|c| c.effect == Effect::Breaking)
        .any(|c| {
            let text = format!("{} {}", c.item, c.detail);
            let lower = text.to_ascii_lowercase();
            // A builder type (`ListUsersRequest`) is named in our report by its call
            // (`users().list()`); its words are enough.
            names.iter().all(|n| {
                text.contains(n.as_str())
                    || snake(n.trim_end_matches("Request"))
                        .split('_')
                        .all(|w| lower.contains(w))
            })
        })
}

fn semver_section(report: &Report, findings: &[Finding], took: Duration) -> String {
    let mut out = String::new();
    let missed: Vec<&Finding> = findings.iter().filter(|f| !covered(report, f)).collect();
    let mut lints: Vec<&str> = findings.iter().map(|f| f.lint.as_str()).collect();
    lints.sort_unstable();
    lints.dedup();
    let _ = writeln!(
        out,
        "cargo-semver-checks ({:.1} s): {} failure(s) in {} lint(s) ({}); verdict {}; ours {}. \
         In our report: {}/{}.\n",
        took.as_secs_f64(),
        findings.len(),
        lints.len(),
        lints.join(", "),
        if findings.is_empty() {
            "no major bump"
        } else {
            "major bump"
        },
        if report.count(Effect::Breaking) > 0 {
            "major bump"
        } else {
            "no major bump"
        },
        findings.len() - missed.len(),
        findings.len()
    );
    for f in &missed {
        let _ = writeln!(out, "- not in ours: `{}`: {}", f.lint, f.item);
    }
    let wire: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.effect == Effect::Wire)
        .collect();
    let _ = writeln!(
        out,
        "\nWire breaks it cannot see (Rust API unchanged): {}",
        wire.len()
    );
    for c in wire {
        let _ = writeln!(out, "- {} — {}: {}", c.item, c.kind.label(), c.detail);
    }
    out.push('\n');
    out
}

// ---------------------------------------------------------------- openapi-diff

/// The pinned openapi-diff (`npm ci --prefix .ci/openapi-diff` when asked).
pub(crate) fn openapi_diff_script(install: bool) -> Result<PathBuf, String> {
    let dir = crate::root().join(".ci/openapi-diff");
    let script = dir.join("node_modules/openapi-diff/bin/openapi-diff");
    if script.is_file() {
        return Ok(script);
    }
    if !install {
        return Err(format!("{} is not installed", script.display()));
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .status()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if status.success() && script.is_file() {
        Ok(script)
    } else {
        Err(format!(
            "npm ci --prefix .ci/openapi-diff failed ({status})"
        ))
    }
}

/// openapi-diff's JSON result and how long it took, or why there is none.
pub(crate) fn run_openapi_diff(
    script: &Path,
    old: &Path,
    new: &Path,
    timeout: Duration,
) -> Result<(serde_json::Value, Duration), String> {
    let started = Instant::now();
    let out_file =
        std::env::temp_dir().join(format!("sdkgen-openapi-diff-{}.json", std::process::id()));
    let mut child = Command::new("node")
        .arg(script)
        .arg(old)
        .arg(new)
        .stdout(
            std::fs::File::create(&out_file)
                .map_err(|e| format!("cannot create {}: {e}", out_file.display()))?,
        )
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run node: {e}"))?;
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if started.elapsed() > timeout {
            // Only the child this function started.
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("did not finish in {} s", timeout.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let took = started.elapsed();
    let text = std::fs::read_to_string(&out_file).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&out_file);
    // The CLI prints a line of prose before the JSON.
    let json = text
        .find('{')
        .map(|i| &text[i..])
        .ok_or_else(|| format!("no JSON in its output: {}", text.trim()))?;
    let value = serde_json::from_str(json).map_err(|e| format!("unreadable JSON: {e}"))?;
    Ok((value, took))
}

/// `paths./users/{id}.patch.requestBody…` as the operation pointer `#/paths/~1users~1{id}/patch`,
/// `components.schemas.User…` as `#/components/schemas/User`.
fn operation_pointer(location: &str) -> Option<String> {
    const KEYS: [&str; 9] = [
        "get",
        "put",
        "post",
        "delete",
        "patch",
        "head",
        "options",
        "trace",
        "parameters",
    ];
    if let Some(rest) = location.strip_prefix("paths.") {
        let parts: Vec<&str> = rest.split('.').collect();
        // Path templates may hold dots; the path ends where an operation key follows.
        let at = (1..parts.len())
            .find(|&i| KEYS.contains(&parts[i]))
            .unwrap_or(parts.len());
        let path = parts[..at].join(".").replace('~', "~0").replace('/', "~1");
        return Some(match parts.get(at) {
            Some(method) => format!("#/paths/{path}/{method}"),
            None => format!("#/paths/{path}"),
        });
    }
    let rest = location.strip_prefix("components.schemas.")?;
    Some(format!(
        "#/components/schemas/{}",
        rest.split('.').next().unwrap_or(rest)
    ))
}

fn openapi_diff_section(report: &Report, json: &serde_json::Value, took: Duration) -> String {
    let mut out = String::new();
    let list = |key: &str| json[key].as_array().cloned().unwrap_or_default();
    let (breaking, non_breaking, unclassified) = (
        list("breakingDifferences"),
        list("nonBreakingDifferences"),
        list("unclassifiedDifferences"),
    );
    let _ = writeln!(
        out,
        "openapi-diff ({:.1} s): {} breaking, {} non-breaking, {} unclassified.\n",
        took.as_secs_f64(),
        breaking.len(),
        non_breaking.len(),
        unclassified.len()
    );
    let pointers: Vec<&str> = report
        .changes
        .iter()
        .flat_map(|c| c.old.iter().chain(c.new.iter()))
        .map(String::as_str)
        .collect();
    let location = |d: &serde_json::Value| {
        d["sourceSpecEntityDetails"][0]["location"]
            .as_str()
            .or_else(|| d["destinationSpecEntityDetails"][0]["location"].as_str())
            .unwrap_or("")
            .to_owned()
    };
    let mut theirs_only = Vec::new();
    let mut their_ops = Vec::new();
    for d in breaking.iter().chain(&non_breaking).chain(&unclassified) {
        let loc = location(d);
        let Some(op) = operation_pointer(&loc) else {
            continue;
        };
        their_ops.push(op.clone());
        if !pointers.iter().any(|p| p.starts_with(op.as_str())) {
            theirs_only.push(format!(
                "{} `{}` at {loc}",
                d["type"].as_str().unwrap_or("?"),
                d["code"].as_str().unwrap_or("?")
            ));
        }
    }
    theirs_only.sort();
    theirs_only.dedup();
    let ours_only: Vec<String> = report
        .changes
        .iter()
        .filter(|c| c.effect != Effect::Docs)
        .filter(|c| {
            !c.old.iter().chain(c.new.iter()).any(|p| {
                their_ops
                    .iter()
                    .any(|op| p.starts_with(op.as_str()) || op.starts_with(p.as_str()))
            })
        })
        .map(|c| format!("{:?} {} — {}", c.effect, c.item, c.kind.label()))
        .collect();
    let _ = writeln!(
        out,
        "Reported by openapi-diff, at an operation or schema where ours has no entry: {}",
        theirs_only.len()
    );
    for line in theirs_only.iter().take(40) {
        let _ = writeln!(out, "- {line}");
    }
    let _ = writeln!(
        out,
        "\nReported by ours (not docs), at an operation or schema openapi-diff does not mention: {}",
        ours_only.len()
    );
    for line in ours_only.iter().take(40) {
        let _ = writeln!(out, "- {line}");
    }
    out.push('\n');
    out
}

// ---------------------------------------------------------------- bench

/// The speed section of `cargo xtask bench`: diffing two full Clerk specs (2026-07-06 →
/// 2026-08-14) with ours (median of `runs`, in this process), cargo-semver-checks (once,
/// crates generated beforehand, dependencies warm after the first pair) and openapi-diff (once).
pub(crate) fn bench(runs: usize, install: bool, timeout: Duration) -> Result<String, String> {
    let (label, old, new) = PAIRS[2];
    let (old, new) = (locate(old)?, locate(new)?);
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| ours(&old, &new).map(|(_, t)| t))
        .collect::<Result<_, _>>()?;
    times.sort();
    let ours_t = times[times.len() / 2];
    let mut out = format!(
        "\n## Diff speed: two full Clerk specs ({label})\n\n| tool | time | vs ours |\n|---|---:|---:|\n| sdkgen diff (load both + diff, median of {}) | {:.3} s | 1× |\n",
        times.len(),
        ours_t.as_secs_f64()
    );
    let row = |name: &str, r: Result<Duration, String>| match r {
        Ok(t) => format!(
            "| {name} | {:.1} s | {:.0}× |\n",
            t.as_secs_f64(),
            t.as_secs_f64() / ours_t.as_secs_f64()
        ),
        Err(e) => format!("| {name} | {e} | |\n"),
    };
    let work = crate::root().join("target/diff-compare/bench");
    let semver = semver_checks_binary(install)
        .and_then(|b| run_semver_checks(&b, &old, &new, &work).map(|(_, t)| t));
    out.push_str(&row(
        "cargo-semver-checks (rustdoc JSON of both crates + lints)",
        semver,
    ));
    let oad = openapi_diff_script(install)
        .and_then(|s| run_openapi_diff(&s, &old, &new, timeout).map(|(_, t)| t));
    out.push_str(&row("openapi-diff 0.24.1 (node)", oad));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_become_operation_pointers() {
        assert_eq!(
            operation_pointer("paths./users/{user_id}.patch.requestBody.content").as_deref(),
            Some("#/paths/~1users~1{user_id}/patch")
        );
        assert_eq!(
            operation_pointer("paths./users.get.parameters.0").as_deref(),
            Some("#/paths/~1users/get")
        );
        assert_eq!(
            operation_pointer("components.schemas.User.properties.id").as_deref(),
            Some("#/components/schemas/User")
        );
    }

    #[test]
    fn semver_checks_output_is_parsed() {
        let text = "--- failure struct_missing: pub struct removed or renamed ---\n\nDescription:\nx\n\nFailed in:\n  struct clerk_diff::models::Foo, previously in file /a/models.rs:3\n  struct clerk_diff::models::Bar, previously in file /a/models.rs:9\n    Building clerk-diff v0.1.0 (current)\n\n--- failure enum_variant_missing: pub enum variant removed ---\nFailed in:\n  variant Kind::Cat, previously in file /a/models.rs:12\n--- warning partial_ord_enum_variants_reordered: x ---\nFailed in:\n  Kind::Unknown moved from position 1 to 2, in /a/models.rs:12\n";
        let found = parse_semver_checks(text);
        assert_eq!(found.len(), 4);
        assert_eq!(found[3].lint, "warning partial_ord_enum_variants_reordered");
        assert_eq!(found[2].lint, "enum_variant_missing");
        assert_eq!(finding_names(&found[0].item), ["Foo"]);
        assert_eq!(finding_names(&found[2].item), ["Kind", "Cat"]);
    }
}
