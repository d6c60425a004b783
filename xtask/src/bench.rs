//! `cargo xtask bench`: generator speed and memory, and SDK overhead, side by side with peers.
//!
//! 1. Generation: our release `sdkgen` binary, `cargo-progenitor` and `openapi-generator -g rust`
//!    on the memberships fragment and big real-world specs; each run is a fresh child process
//!    measured with `wait4` (wall time, `ru_maxrss`, CPU). Median and min of `--runs`. Ours
//!    also runs once in-process under a counting allocator for its peak heap, and once on a
//!    one-operation spec for the fixed cost of any run.
//! 2. Each output: lines of Rust and `cargo check` (deps warm in a shared target dir, the crate
//!    itself from scratch, `CARGO_INCREMENTAL=0`).
//! 3. SDK overhead: the generated client against bare reqwest + serde on 127.0.0.1.
//! 4. `--profile`: `perf record` of our generator on the biggest input it handles.
//!
//! A spec our generator refuses is a row `failed: <first diagnostic>`; when the refusal is
//! confined to some operations, a `<spec>-subset` row (those operations dropped) compares all
//! generators on the rest. Results: a table on stdout, `target/bench/bench.{json,md}`.

pub mod heap;
mod load;
mod measure;
mod profile;
mod sdk;
mod subset;
mod tools;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};

use tools::{Tool, Tools};

#[derive(Parser)]
#[command(
    name = "cargo xtask bench",
    about = "Generator speed/memory and SDK overhead, side by side with cargo-progenitor and openapi-generator"
)]
struct Args {
    /// Generation runs per spec and tool (median and min are reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Timed `cargo check` runs per generated crate (median and min are reported: one run
    /// varies by ±20% on a shared VM).
    #[arg(long, default_value_t = 3)]
    check_runs: usize,
    /// Only inputs whose label contains this text (repeatable): memberships, clerk, nexus,
    /// box, spotify, openai.
    #[arg(long)]
    only: Vec<String>,
    /// The spec corpus; default $SDKGEN_SHARED_SPECS or ../shared/specs.
    #[arg(long)]
    specs: Option<PathBuf>,
    /// Also every other spec of the corpus, labelled by its path (`--only` still applies).
    #[arg(long)]
    corpus: bool,
    /// Our generator only.
    #[arg(long)]
    no_peers: bool,
    /// Do not install missing peers (report them as unavailable).
    #[arg(long)]
    no_install: bool,
    /// Skip generation (and so `cargo check`).
    #[arg(long)]
    no_generation: bool,
    /// Skip `cargo check` of the outputs.
    #[arg(long)]
    no_check: bool,
    /// Skip the SDK overhead benchmark.
    #[arg(long)]
    no_sdk: bool,
    /// Skip the spec diff benchmark (`sdkgen diff`, cargo-semver-checks, openapi-diff).
    #[arg(long)]
    no_diff: bool,
    /// Spec diff benchmark: give up on openapi-diff after this many seconds.
    #[arg(long, default_value_t = 1800)]
    openapi_diff_timeout: u64,
    /// Do not make `-subset` inputs for specs our generator refuses.
    #[arg(long)]
    no_subsets: bool,
    /// Also `perf record` our generator on the biggest input it handles.
    #[arg(long)]
    profile: bool,
    /// SDK benchmark: warm-up requests per client and mode.
    #[arg(long, default_value_t = 2_000)]
    warmup: usize,
    /// SDK benchmark: measured requests per client and mode.
    #[arg(long, default_value_t = 20_000)]
    requests: usize,
    /// Run in this build even when it is unoptimized (`cargo xtask` builds in debug; by default
    /// the bench re-runs itself with `cargo run --release` so the SDK numbers mean something).
    #[arg(long)]
    allow_debug: bool,
    /// SDK benchmark: requests in flight in the concurrent mode (1 = sequential only).
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
}

/// One spec file to generate from.
struct Input {
    label: String,
    path: PathBuf,
    bytes: u64,
    note: String,
}

/// One `cargo check` of a generated crate.
struct Check {
    ok: bool,
    first_error: String,
    /// The first check (dependencies possibly still being compiled), seconds.
    first_secs: f64,
    /// The crate alone with dependencies built, median seconds (when it compiles).
    crate_secs: Option<f64>,
    /// … and the fastest of those runs.
    crate_min_secs: Option<f64>,
    /// Our output only: the crate alone with one group's feature (`--no-default-features
    /// --features <group>`), `organization_memberships` where there is one.
    one_group: Option<GroupCheck>,
}

/// `cargo check` of a generated crate with a single group's feature.
struct GroupCheck {
    feature: String,
    median_secs: f64,
    min_secs: f64,
}

/// Successful generation runs of one tool on one input.
struct Generated {
    runs: usize,
    median: Duration,
    min: Duration,
    cpu_median: Duration,
    max_rss_kib: u64,
    /// Our generator only: peak live heap of an in-process run, in bytes.
    peak_heap: Option<u64>,
    out: PathBuf,
    crate_name: String,
    files: usize,
    lines: usize,
    /// Our output only: how many operations it has (the same for every tool's output).
    operations: Option<usize>,
    check: Option<Check>,
}

enum Outcome {
    Unavailable(String),
    Failed(String),
    Done(Box<Generated>),
}

struct Row {
    input: usize,
    tool: Tool,
    outcome: Outcome,
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some((first, rest)) = args.split_first()
        && first == measure::HELPER
    {
        return measure::helper(rest);
    }
    let parsed = match Args::try_parse_from(
        std::iter::once("cargo xtask bench".to_owned()).chain(args.iter().cloned()),
    ) {
        Ok(args) => args,
        Err(e) if !e.use_stderr() => {
            print!("{e}");
            return Ok(());
        }
        Err(e) => return Err(e.to_string()),
    };
    let root = super::root();
    if cfg!(debug_assertions) && !parsed.allow_debug {
        eprintln!("bench: re-running in release (`cargo run --release -p xtask -- bench`)");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args([
                "run",
                "--release",
                "--quiet",
                "-p",
                "xtask",
                "--",
                "bench",
                "--",
            ])
            .args(args)
            .current_dir(&root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        return if status.success() {
            Ok(())
        } else {
            Err(format!("the release bench failed ({status})"))
        };
    }
    let args = parsed;
    let bench = root.join("target/bench");
    std::fs::create_dir_all(&bench).map_err(|e| format!("{}: {e}", bench.display()))?;
    measure::install_helper(&bench.join("tools"))?;
    let result = bench_all(&args, &root, &bench);
    measure::remove_helper();
    result
}

fn bench_all(args: &Args, root: &Path, bench: &Path) -> Result<(), String> {
    let started = Instant::now();

    let needs_tools = !args.no_generation || args.profile;
    let tools = if needs_tools {
        Some(tools::prepare(root, !args.no_peers, !args.no_install)?)
    } else {
        None
    };

    let mut inputs = if needs_tools {
        inputs(args, root)?
    } else {
        Vec::new()
    };
    let mut rows = Vec::new();
    if let (Some(tools), false) = (&tools, args.no_generation) {
        let mut index = 0;
        while index < inputs.len() {
            let input = &inputs[index];
            let mut ours_failed = false;
            for tool in Tool::ALL {
                let outcome = generate(tools, tool, input, args.runs.max(1), bench);
                eprintln!(
                    "bench: {:<22} {:<26} {}",
                    input.label,
                    tool.name(),
                    summary(&outcome)
                );
                ours_failed |= tool == Tool::Ours && matches!(outcome, Outcome::Failed(_));
                rows.push(Row {
                    input: index,
                    tool,
                    outcome,
                });
            }
            if ours_failed && !args.no_subsets && input.note.is_empty() {
                if let Some(subset) = subset_of(input, bench)? {
                    inputs.insert(index + 1, subset);
                }
            }
            index += 1;
        }
        if !args.no_check {
            for row in &mut rows {
                if let Outcome::Done(generated) = &mut row.outcome {
                    eprintln!("bench: cargo check {}", generated.crate_name);
                    generated.check = Some(check(generated, bench, args.check_runs.max(1)));
                }
            }
        }
    }
    let fixed = tools
        .as_ref()
        .map_or_else(FixedCost::default, |t| fixed_cost(t, bench));

    let sdk = if args.no_sdk {
        None
    } else {
        Some(sdk::run(
            args.warmup,
            args.requests.max(2),
            args.concurrency.max(1),
        )?)
    };

    let profile = match (&tools, args.profile) {
        (Some(_), true) => {
            // The biggest input our generator handles.
            let biggest = rows
                .iter()
                .filter(|r| r.tool == Tool::Ours && matches!(r.outcome, Outcome::Done(_)))
                .map(|r| &inputs[r.input])
                .chain(if args.no_generation {
                    inputs.iter().collect::<Vec<_>>()
                } else {
                    Vec::new()
                })
                .max_by_key(|i| i.bytes);
            match biggest {
                Some(input) => Some(profile::run(root, &input.path, &input.label)?),
                None => Some("no input generated successfully; nothing to profile".to_owned()),
            }
        }
        _ => None,
    };

    // Diffing two full Clerk specs, side by side with cargo-semver-checks and openapi-diff.
    let diff = if args.no_diff {
        None
    } else {
        eprintln!("bench: spec diff (sdkgen diff, cargo-semver-checks, openapi-diff)");
        Some(
            crate::diff_compare::bench(
                args.runs.max(1),
                !args.no_install,
                Duration::from_secs(args.openapi_diff_timeout),
            )
            .unwrap_or_else(|e| format!("\n## Diff speed\n\nnot measured: {e}\n")),
        )
    };

    // YAML inputs: the generator's parser against libyaml's and against JSON, per byte.
    let mut load_rows = Vec::new();
    if !args.no_generation {
        for input in inputs.iter().filter(|i| {
            i.path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml")
        }) {
            eprintln!("bench: loading speed of {}", input.label);
            match load::run(&input.label, &input.path, args.runs.max(1)) {
                Ok(rows) => load_rows.extend(rows),
                Err(e) => eprintln!("bench: loading speed of {} failed: {e}", input.label),
            }
        }
    }
    let machine = machine(tools.as_ref());
    let mut markdown = render(
        &inputs,
        &rows,
        sdk.as_ref(),
        &fixed,
        &machine,
        profile.as_deref(),
        started.elapsed(),
    );
    if !load_rows.is_empty() {
        markdown.push_str(&load::render(&load_rows));
    }
    if let Some(diff) = &diff {
        markdown.push_str(diff);
    }
    println!("{markdown}");
    let json = to_json(&inputs, &rows, sdk.as_ref(), &fixed, &machine);
    std::fs::write(bench.join("bench.md"), &markdown).map_err(|e| e.to_string())?;
    std::fs::write(
        bench.join("bench.json"),
        serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    eprintln!(
        "bench: wrote {} and {}",
        bench.join("bench.md").display(),
        bench.join("bench.json").display()
    );
    Ok(())
}

/// A `-subset` input for a spec our generator refuses, when the refusal is confined to
/// operations.
fn subset_of(input: &Input, bench: &Path) -> Result<Option<Input>, String> {
    eprintln!(
        "bench: making a subset of {} that our generator accepts",
        input.label
    );
    let Some((path, dropped)) = subset::make(&input.path, &input.label, &bench.join("specs"))?
    else {
        return Ok(None);
    };
    Ok(Some(Input {
        label: format!("{}-subset", input.label),
        bytes: std::fs::metadata(&path).map_or(0, |m| m.len()),
        path,
        note: format!(
            "{} as JSON minus the {dropped} operation(s) our generator refuses today",
            input.label
        ),
    }))
}

/// The specs, in a fixed order.
fn inputs(args: &Args, root: &Path) -> Result<Vec<Input>, String> {
    let corpus = args
        .specs
        .clone()
        .or_else(|| std::env::var_os("SDKGEN_SHARED_SPECS").map(PathBuf::from))
        .unwrap_or_else(|| root.join("../shared/specs"));
    let all = [
        (
            "memberships",
            root.join("spec/clerk-organization-memberships.yaml"),
        ),
        ("clerk", corpus.join("clerk/bapi-2026-05-12.yml")),
        ("nexus", corpus.join("progenitor/nexus.json")),
        ("box", corpus.join("box/openapi.json")),
        ("spotify", corpus.join("spotify/fixed-spotify-open-api.yml")),
        // OpenAPI 3.1: progenitor refuses it, which the table records as a row. The largest
        // YAML input (issue 15: generation ≥ 10× faster than openapi-generator).
        ("openai", corpus.join("openai/openapi.yaml")),
    ];
    let mut all: Vec<(String, PathBuf)> = all
        .into_iter()
        .map(|(label, path)| (label.to_owned(), path))
        .collect();
    if args.corpus {
        let mut files = Vec::new();
        crate::corpus::collect(&corpus, &mut files);
        files.sort();
        for path in files {
            if all.iter().any(|(_, known)| *known == path) {
                continue;
            }
            let relative = path.strip_prefix(&corpus).unwrap_or(&path);
            let label = crate::corpus::slug(&relative.to_string_lossy());
            all.push((label, path));
        }
    }
    let mut inputs = Vec::new();
    for (label, path) in all {
        if !args.only.is_empty() && !args.only.iter().any(|o| label.contains(o.as_str())) {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            eprintln!(
                "bench: skipping {label}: {} not found (set SDKGEN_SHARED_SPECS)",
                path.display()
            );
            continue;
        };
        inputs.push(Input {
            label,
            path: path.clone(),
            bytes: meta.len(),
            note: String::new(),
        });
    }
    Ok(inputs)
}

/// `runs` fresh-process generations of `input` by `tool` into a clean folder each time.
fn generate(tools: &Tools, tool: Tool, input: &Input, runs: usize, bench: &Path) -> Outcome {
    if let Err(why) = tools.available(tool) {
        return Outcome::Unavailable(why);
    }
    let out = bench.join("out").join(tool.slug()).join(&input.label);
    let logs = bench.join("logs");
    let crate_name = tool.crate_name(&input.label);
    let mut samples = Vec::new();
    for run in 0..runs {
        let _ = std::fs::remove_dir_all(&out);
        let cmd = tools.command(tool, &input.path, &out, &crate_name);
        let tag = format!("{}-{}-{run}", tool.slug(), input.label);
        let sample = match measure::run(&cmd, &logs, &tag) {
            Ok(sample) => sample,
            Err(e) => return Outcome::Failed(e),
        };
        if !sample.success {
            let text = format!("{}\n{}", sample.stderr, sample.stdout);
            return Outcome::Failed(measure::first_diagnostic(&text));
        }
        samples.push(sample);
    }
    let mut walls: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
    let mut cpus: Vec<Duration> = samples.iter().map(|s| s.cpu).collect();
    walls.sort_unstable();
    cpus.sort_unstable();
    let peak_heap = (tool == Tool::Ours)
        .then(|| heap::peak_of_generation(&input.path, &out, &crate_name))
        .and_then(|result| {
            result
                .map_err(|e| eprintln!("bench: heap count of {} failed: {e}", input.label))
                .ok()
        });
    let (files, lines) = rust_lines(&out);
    let operations = (tool == Tool::Ours).then(|| operations_in(&out));
    Outcome::Done(Box::new(Generated {
        runs,
        median: median(&walls),
        min: walls[0],
        cpu_median: median(&cpus),
        max_rss_kib: samples.iter().map(|s| s.max_rss_kib).max().unwrap_or(0),
        peak_heap,
        out,
        crate_name,
        files,
        lines,
        operations,
        check: None,
    }))
}

/// Operations in our generated crate, as its model record (`sdkgen-model.json`) lists them.
fn operations_in(dir: &Path) -> usize {
    let Ok(text) = std::fs::read_to_string(dir.join("sdkgen-model.json")) else {
        return 0;
    };
    let Ok(record) = serde_json::from_str::<Value>(&text) else {
        return 0;
    };
    record["api"]["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|group| group["operations"].as_array())
        .map(Vec::len)
        .sum()
}

/// The group feature to time alone: `organization_memberships` (issue 15's target for Clerk),
/// else the first group's; `None` for crates without group features (the peers').
fn group_feature(manifest: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let table: toml::Table = text.parse().ok()?;
    let features: Vec<&String> = table
        .get("features")?
        .as_table()?
        .keys()
        .filter(|k| *k != "default")
        .collect();
    features
        .iter()
        .find(|f| f.as_str() == "organization_memberships")
        .or(features.first())
        .map(|f| (*f).clone())
}

fn median(sorted: &[Duration]) -> Duration {
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// What our generator costs whatever the input: peak RSS (code pages, C runtime, malloc arenas,
/// thread stacks) and peak heap (mostly the runtime sources copied into every crate), measured
/// on a spec with one operation and one schema.
#[derive(Default)]
struct FixedCost {
    rss_kib: u64,
    heap_bytes: u64,
}

fn fixed_cost(tools: &Tools, bench: &Path) -> FixedCost {
    const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: Minimal, version: '1'}\npaths:\n  /things/{id}:\n    get:\n      operationId: getThing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: The thing.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        id: {type: string}\n";
    let spec = bench.join("specs/minimal.yaml");
    let out = bench.join("out/minimal");
    let _ = std::fs::create_dir_all(bench.join("specs"));
    if std::fs::write(&spec, MINIMAL).is_err() {
        return FixedCost::default();
    }
    let _ = std::fs::remove_dir_all(&out);
    let cmd = tools.command(Tool::Ours, &spec, &out, "minimal");
    let rss_kib = measure::run(&cmd, &bench.join("logs"), "ours-baseline")
        .ok()
        .filter(|s| s.success)
        .map_or(0, |s| s.max_rss_kib);
    let heap_bytes = heap::peak_of_generation(&spec, &out, "minimal").unwrap_or(0);
    FixedCost {
        rss_kib,
        heap_bytes,
    }
}

/// `.rs` files and their lines under `dir`.
fn rust_lines(dir: &Path) -> (usize, usize) {
    let mut files = 0;
    let mut lines = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                lines += std::fs::read_to_string(&path).map_or(0, |t| t.lines().count());
            }
        }
    }
    (files, lines)
}

/// `cargo check` of a generated crate as its own workspace, with a target dir shared by all
/// outputs so common dependencies are compiled once.
fn check(generated: &Generated, bench: &Path, runs: usize) -> Check {
    let manifest = generated.out.join("Cargo.toml");
    // Outputs live under this workspace's target/; make each its own workspace root.
    if let Ok(text) = std::fs::read_to_string(&manifest)
        && !text.lines().any(|l| l.trim() == "[workspace]")
    {
        let _ = std::fs::write(&manifest, format!("{text}\n[workspace]\n"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = bench.join("check-target");
    let package = package_name(&manifest).unwrap_or_else(|| generated.crate_name.clone());
    let cargo_check_with = |extra: &[&str]| {
        let started = Instant::now();
        let output = Command::new(&cargo)
            .args(["check", "--quiet"])
            .args(extra)
            .arg("--manifest-path")
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0")
            .output();
        (started.elapsed().as_secs_f64(), output)
    };
    let cargo_check = || cargo_check_with(&[]);
    let (first_secs, output) = cargo_check();
    match output {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            let stderr = String::from_utf8_lossy(&o.stderr);
            let errors = stderr.lines().filter(|l| l.starts_with("error")).count();
            return Check {
                ok: false,
                first_error: format!(
                    "{errors} error line(s); first: {}",
                    measure::first_diagnostic(&stderr)
                ),
                first_secs,
                crate_secs: None,
                crate_min_secs: None,
                one_group: None,
            };
        }
        Err(e) => {
            return Check {
                ok: false,
                first_error: format!("cargo did not run: {e}"),
                first_secs,
                crate_secs: None,
                crate_min_secs: None,
                one_group: None,
            };
        }
    }
    // Crate-alone timings: `cargo clean -p` then `cargo check`, `runs` times, sorted.
    let timed = |extra: &[&str]| {
        let mut times = Vec::new();
        for _ in 0..runs {
            let _ = Command::new(&cargo)
                .args(["clean", "--quiet", "-p", &package, "--manifest-path"])
                .arg(&manifest)
                .env("CARGO_TARGET_DIR", &target)
                .status();
            let (secs, output) = cargo_check_with(extra);
            if output.is_ok_and(|o| o.status.success()) {
                times.push(Duration::from_secs_f64(secs));
            }
        }
        times.sort_unstable();
        times
    };
    let times = timed(&[]);
    let one_group = group_feature(&manifest).and_then(|feature| {
        let times = timed(&["--no-default-features", "--features", &feature]);
        Some(GroupCheck {
            median_secs: median(&times).as_secs_f64(),
            min_secs: times.first()?.as_secs_f64(),
            feature,
        })
    });
    Check {
        ok: true,
        first_error: String::new(),
        first_secs,
        crate_secs: (!times.is_empty()).then(|| median(&times).as_secs_f64()),
        crate_min_secs: times.first().map(Duration::as_secs_f64),
        one_group,
    }
}

/// `[package] name` of a manifest.
fn package_name(manifest: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let mut in_package = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(value) = line.strip_prefix("name") {
            let value = value
                .trim_start()
                .strip_prefix('=')?
                .trim()
                .trim_matches('"');
            return Some(value.to_owned());
        }
    }
    None
}

fn summary(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Unavailable(why) => format!("unavailable: {why}"),
        Outcome::Failed(why) => format!("failed: {why}"),
        Outcome::Done(g) => format!(
            "median {} ms, min {} ms, peak {:.1} MiB, {} lines",
            g.median.as_millis(),
            g.min.as_millis(),
            mib(g.max_rss_kib),
            g.lines
        ),
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Ours for the same input, when it succeeded.
fn ours_for(rows: &[Row], input: usize) -> Option<&Generated> {
    rows.iter()
        .filter(|r| r.input == input && r.tool == Tool::Ours)
        .find_map(|r| match &r.outcome {
            Outcome::Done(g) => Some(&**g),
            _ => None,
        })
}

/// The machine, compiler and tool versions.
fn machine(tools: Option<&Tools>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lscpu = tools::version_of(Command::new("sh").args([
        "-c",
        "lscpu | grep -E '^(Model name|Architecture|CPU\\(s\\)|Thread\\(s\\) per core|Core\\(s\\) per socket|L3 cache|Hypervisor vendor):' | sed 's/  */ /g' | paste -sd ';' -",
    ]));
    out.push(("cpu (lscpu)".into(), lscpu));
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_default();
    out.push(("memory".into(), memory));
    out.push((
        "kernel".into(),
        tools::version_of(Command::new("uname").args(["-sr"])),
    ));
    out.push((
        "rustc".into(),
        tools::version_of(Command::new("rustc").arg("-V")),
    ));
    if let Some(tools) = tools {
        for tool in Tool::ALL {
            out.push((tool.name().into(), tools.version(tool).to_owned()));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn render(
    inputs: &[Input],
    rows: &[Row],
    sdk: Option<&sdk::Report>,
    fixed: &FixedCost,
    machine: &[(String, String)],
    profile: Option<&str>,
    elapsed: Duration,
) -> String {
    let mut md = String::from("# cargo xtask bench\n\n");
    for (key, value) in machine {
        let _ = writeln!(md, "- {key}: {value}");
    }
    let _ = writeln!(md, "- total bench time: {:.0} s\n", elapsed.as_secs_f64());

    if !rows.is_empty() {
        md.push_str("## Generation\n\n");
        md.push_str(
            "Wall time per fresh-process run (median / min), peak RSS (max over runs), CPU (median, user+sys), \
             ratio = our median / this tool's median (< 1: ours is faster), Rust lines of the output, \
             `cargo check` of the crate alone (dependencies already built; median / min), and of ours with one group's feature only \
             (`--no-default-features --features <group>`: `organization_memberships` where there is one, else the first group). \
             Lines per operation: the output's Rust lines (types included) over the spec's operations.\n\n",
        );
        md.push_str("| input | KiB | tool | median ms | min ms | CPU ms | peak RSS MiB | RSS / input | peak heap MiB | heap / input | ours/theirs | .rs lines | lines / op | check s | one group: check s | compiles |\n");
        md.push_str(
            "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n",
        );
        for row in rows {
            let input = &inputs[row.input];
            let kib = input.bytes as f64 / 1024.0;
            let label = &input.label;
            match &row.outcome {
                Outcome::Unavailable(why) => {
                    let _ = writeln!(
                        md,
                        "| {label} | {kib:.0} | {} | unavailable: {} |||||||||||||",
                        row.tool.name(),
                        why.replace('|', "\\|")
                    );
                }
                Outcome::Failed(why) => {
                    let _ = writeln!(
                        md,
                        "| {label} | {kib:.0} | {} | failed: {why} |||||||||||||",
                        row.tool.name()
                    );
                }
                Outcome::Done(g) => {
                    let ratio = match (row.tool, ours_for(rows, row.input)) {
                        (Tool::Ours, _) => "—".to_owned(),
                        (_, Some(ours)) => format!("{:.3}", ms(ours.median) / ms(g.median)),
                        (_, None) => "n/a".to_owned(),
                    };
                    let (check_s, compiles) = match &g.check {
                        None => ("—".to_owned(), "not checked".to_owned()),
                        Some(c) if c.ok => (
                            match (c.crate_secs, c.crate_min_secs) {
                                (Some(median), Some(min)) => format!("{median:.1} / {min:.1}"),
                                _ => "—".to_owned(),
                            },
                            "yes".to_owned(),
                        ),
                        Some(c) => ("—".to_owned(), format!("no: {}", c.first_error)),
                    };
                    let one_group = match g.check.as_ref().and_then(|c| c.one_group.as_ref()) {
                        Some(one) => format!(
                            "{:.1} / {:.1} (`{}`)",
                            one.median_secs, one.min_secs, one.feature
                        ),
                        None => "—".to_owned(),
                    };
                    let per_op = match ours_for(rows, row.input).and_then(|o| o.operations) {
                        Some(ops) if ops > 0 => format!("{:.0}", g.lines as f64 / ops as f64),
                        _ => "—".to_owned(),
                    };
                    let (heap, heap_ratio) = match g.peak_heap {
                        Some(bytes) => (
                            format!("{:.1}", bytes as f64 / (1024.0 * 1024.0)),
                            format!("{:.1}×", bytes as f64 / input.bytes.max(1) as f64),
                        ),
                        None => ("—".to_owned(), "—".to_owned()),
                    };
                    let _ = writeln!(
                        md,
                        "| {label} | {kib:.0} | {} | {:.1} | {:.1} | {:.0} | {:.1} | {:.1}× | {heap} | {heap_ratio} | {ratio} | {} | {per_op} | {check_s} | {one_group} | {compiles} |",
                        row.tool.name(),
                        ms(g.median),
                        ms(g.min),
                        ms(g.cpu_median),
                        mib(g.max_rss_kib),
                        g.max_rss_kib as f64 * 1024.0 / input.bytes.max(1) as f64,
                        g.lines,
                    );
                }
            }
        }
        for input in inputs.iter().filter(|i| !i.note.is_empty()) {
            let _ = writeln!(md, "\n`{}`: {}.", input.label, input.note);
        }
        let _ = writeln!(
            md,
            "\nPeak heap: bytes requested by live allocations at their highest during one in-process run of our generator \
             (a counting global allocator; like massif's useful heap, malloc's own overhead is not included — RSS shows it). \
             Our fixed cost, generating a one-operation spec: {:.1} MiB peak RSS, {:.2} MiB peak heap. Runs per tool and input: {}.\n",
            mib(fixed.rss_kib),
            fixed.heap_bytes as f64 / (1024.0 * 1024.0),
            rows.iter()
                .find_map(|r| match &r.outcome {
                    Outcome::Done(g) => Some(g.runs),
                    _ => None,
                })
                .unwrap_or(0)
        );
    }

    if let Some(sdk) = sdk {
        let _ = writeln!(
            md,
            "## SDK per-request overhead\n\nGET of a {}-membership list page ({} bytes of JSON) from an in-process axum server on 127.0.0.1, \
             decoded into `clerk_backend::models::OrganizationMemberships`; {} warm-up + the measured requests per client, ABBA order. \
             CPU = client thread user+sys per call. Ratio = generated / bare.\n",
            100, sdk.body_bytes, sdk.warmup
        );
        md.push_str("| concurrency | client | requests | median µs | p99 µs | req/s | CPU µs/call |\n|---:|---|---:|---:|---:|---:|---:|\n");
        for mode in &sdk.modes {
            for (name, s) in [
                ("generated clerk-backend", &mode.generated),
                ("bare reqwest + serde", &mode.bare),
            ] {
                let _ = writeln!(
                    md,
                    "| {} | {name} | {} | {:.0} | {:.0} | {:.0} | {:.0} |",
                    mode.concurrency,
                    s.requests,
                    s.median_us,
                    s.p99_us,
                    s.per_second,
                    s.cpu_us_per_call
                );
            }
            let _ = writeln!(
                md,
                "| {} | **ratio** | | **{:.3}** | **{:.3}** | **{:.3}** | **{:.3}** |",
                mode.concurrency,
                mode.generated.median_us / mode.bare.median_us,
                mode.generated.p99_us / mode.bare.p99_us,
                mode.generated.per_second / mode.bare.per_second,
                mode.generated.cpu_us_per_call / mode.bare.cpu_us_per_call,
            );
        }
        md.push('\n');
    }

    md.push_str("## Targets\n\n");
    for line in targets(inputs, rows, sdk, fixed) {
        let _ = writeln!(md, "- {line}");
    }
    if let Some(profile) = profile {
        let _ = write!(md, "\n## Profile\n\n```text\n{profile}```\n");
    }
    md
}

/// The issue's targets, each with its verdict.
fn targets(
    inputs: &[Input],
    rows: &[Row],
    sdk: Option<&sdk::Report>,
    fixed: &FixedCost,
) -> Vec<String> {
    let mut out = Vec::new();
    let done = |input: usize, tool: Tool| {
        rows.iter()
            .filter(|r| r.input == input && r.tool == tool)
            .find_map(|r| match &r.outcome {
                Outcome::Done(g) => Some(&**g),
                _ => None,
            })
    };
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    // Issues 13 and 15: every spec, the largest YAML included.
    for (index, input) in inputs.iter().enumerate() {
        match (done(index, Tool::Ours), done(index, Tool::OpenApiGenerator)) {
            (Some(ours), Some(oag)) => {
                let speedup = ms(oag.median) / ms(ours.median);
                out.push(format!(
                    "{}: ≥10× faster than openapi-generator: {speedup:.1}× — {}",
                    input.label,
                    verdict(speedup >= 10.0)
                ));
            }
            (None, _) => out.push(format!("{}: ≥10× faster than openapi-generator: not measurable, our generator fails", input.label)),
            (_, None) => out.push(format!("{}: ≥10× faster than openapi-generator: not measurable, openapi-generator unavailable or failing", input.label)),
        }
    }
    for (index, input) in inputs.iter().enumerate() {
        if let (Some(ours), Some(progenitor)) =
            (done(index, Tool::Ours), done(index, Tool::Progenitor))
        {
            let ratio = ms(ours.median) / ms(progenitor.median);
            out.push(format!(
                "{}: at least as fast as cargo-progenitor: ours/theirs {ratio:.2} — {}",
                input.label,
                verdict(ratio <= 1.0)
            ));
            // Issue 15: peak RSS below cargo-progenitor's.
            out.push(format!(
                "{}: peak RSS below cargo-progenitor's: {:.1} MiB vs {:.1} MiB — {}",
                input.label,
                ours.max_rss_kib as f64 / 1024.0,
                progenitor.max_rss_kib as f64 / 1024.0,
                verdict(ours.max_rss_kib < progenitor.max_rss_kib)
            ));
        }
    }
    // Issue 15: crate-alone `cargo check` of our output (median), against fixed budgets and
    // against openapi-generator's output of the same spec.
    let check_secs = |g: &Generated| g.check.as_ref().and_then(|c| c.crate_secs);
    for (index, input) in inputs.iter().enumerate() {
        let Some(ours) = done(index, Tool::Ours) else {
            continue;
        };
        let budget = match input.label.as_str() {
            "clerk" => Some(7.0),
            "box" => Some(10.0),
            "nexus" => Some(4.0),
            _ => None,
        };
        if let (Some(budget), Some(secs)) = (budget, check_secs(ours)) {
            out.push(format!(
                "{}: crate-alone `cargo check` ≤ {budget:.0} s: {secs:.1} s — {}",
                input.label,
                verdict(secs <= budget)
            ));
        }
        if let (Some(secs), Some(theirs)) = (
            check_secs(ours),
            done(index, Tool::OpenApiGenerator).and_then(check_secs),
        ) {
            out.push(format!(
                "{}: `cargo check` no slower than openapi-generator's output: {secs:.1} s vs {theirs:.1} s — {}",
                input.label,
                verdict(secs <= theirs)
            ));
        }
        if let Some(one) = ours.check.as_ref().and_then(|c| c.one_group.as_ref())
            && input.label.starts_with("clerk")
            && one.feature == "organization_memberships"
        {
            out.push(format!(
                "{}: `cargo check` with only `organization_memberships` ≤ 2 s: {:.1} s — {}",
                input.label,
                one.median_secs,
                verdict(one.median_secs <= 2.0)
            ));
        }
    }
    if let Some(sdk) = sdk {
        for mode in &sdk.modes {
            let median = mode.generated.median_us / mode.bare.median_us;
            let throughput = mode.bare.per_second / mode.generated.per_second;
            out.push(format!(
                "SDK overhead within 10% of bare reqwest (concurrency {}): median latency {median:.3}×, throughput cost {throughput:.3}× — {}",
                mode.concurrency,
                verdict(median <= 1.10 && throughput <= 1.10)
            ));
        }
    }
    for (index, input) in inputs.iter().enumerate() {
        if let Some(ours) = done(index, Tool::Ours) {
            let bytes = input.bytes.max(1) as f64;
            let rss = ours.max_rss_kib as f64 * 1024.0 / bytes;
            let rss_above = ours.max_rss_kib.saturating_sub(fixed.rss_kib) as f64 * 1024.0 / bytes;
            let heap = match ours.peak_heap {
                Some(heap) => {
                    let ratio = heap as f64 / bytes;
                    let above = heap.saturating_sub(fixed.heap_bytes) as f64 / bytes;
                    format!(
                        "peak heap {ratio:.1}× — {} ({above:.1}× above the fixed cost)",
                        verdict(ratio < 10.0)
                    )
                }
                None => "peak heap not measured".to_owned(),
            };
            out.push(format!(
                "{}: peak memory < 10× input: {heap}; peak RSS {rss:.1}× — {} ({rss_above:.1}× above the fixed cost)",
                input.label,
                verdict(rss < 10.0),
            ));
        }
    }
    out
}

fn to_json(
    inputs: &[Input],
    rows: &[Row],
    sdk: Option<&sdk::Report>,
    fixed: &FixedCost,
    machine: &[(String, String)],
) -> Value {
    let generation: Vec<Value> = rows
        .iter()
        .map(|row| {
            let input = &inputs[row.input];
            let mut value = json!({
                "input": input.label,
                "spec": input.path.display().to_string(),
                "input_bytes": input.bytes,
                "tool": row.tool.name(),
            });
            match &row.outcome {
                Outcome::Unavailable(why) => value["unavailable"] = json!(why),
                Outcome::Failed(why) => value["failed"] = json!(why),
                Outcome::Done(g) => {
                    value["runs"] = json!(g.runs);
                    value["median_ms"] = json!(ms(g.median));
                    value["min_ms"] = json!(ms(g.min));
                    value["cpu_median_ms"] = json!(ms(g.cpu_median));
                    value["peak_rss_kib"] = json!(g.max_rss_kib);
                    if let Some(heap) = g.peak_heap {
                        value["peak_heap_bytes"] = json!(heap);
                    }
                    value["rust_files"] = json!(g.files);
                    value["rust_lines"] = json!(g.lines);
                    if let Some(operations) = g.operations {
                        value["operations"] = json!(operations);
                    }
                    if row.tool != Tool::Ours
                        && let Some(ours) = ours_for(rows, row.input)
                    {
                        value["ours_over_theirs"] = json!(ms(ours.median) / ms(g.median));
                    }
                    if let Some(c) = &g.check {
                        value["check"] = json!({
                            "compiles": c.ok,
                            "first_error": c.first_error,
                            "first_check_secs": c.first_secs,
                            "crate_check_secs": c.crate_secs,
                            "crate_check_min_secs": c.crate_min_secs,
                            "one_group": c.one_group.as_ref().map(|one| json!({
                                "feature": one.feature,
                                "median_secs": one.median_secs,
                                "min_secs": one.min_secs,
                            })),
                        });
                    }
                }
            }
            value
        })
        .collect();
    let targets = targets(inputs, rows, sdk, fixed);
    let sdk = sdk.map(|sdk| {
        let stats = |s: &sdk::Stats| {
            json!({
                "requests": s.requests,
                "median_us": s.median_us,
                "p99_us": s.p99_us,
                "requests_per_second": s.per_second,
                "cpu_us_per_call": s.cpu_us_per_call,
            })
        };
        json!({
            "body_bytes": sdk.body_bytes,
            "warmup": sdk.warmup,
            "modes": sdk.modes.iter().map(|m| json!({
                "concurrency": m.concurrency,
                "generated": stats(&m.generated),
                "bare_reqwest": stats(&m.bare),
                "median_ratio": m.generated.median_us / m.bare.median_us,
                "p99_ratio": m.generated.p99_us / m.bare.p99_us,
                "throughput_ratio": m.generated.per_second / m.bare.per_second,
                "cpu_ratio": m.generated.cpu_us_per_call / m.bare.cpu_us_per_call,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "machine": machine.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "fixed_cost": { "peak_rss_kib": fixed.rss_kib, "peak_heap_bytes": fixed.heap_bytes },
        "generation": generation,
        "sdk": sdk,
        "targets": targets,
    })
}
