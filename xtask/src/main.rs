//! Repository chores: `cargo xtask generate | check | corpus | conformance` (and more, see
//! `--help`).

mod bench;
mod conformance;
mod corpus;
mod diff;
mod diff_compare;
mod fuzz;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

/// Counts live heap bytes so `cargo xtask bench` can report the generator's peak heap; the
/// bookkeeping is two relaxed atomics per allocation.
#[global_allocator]
static ALLOCATOR: bench::heap::Counting = bench::heap::Counting;

#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the repository's crates (generated/, generated/wire-fixture, generated/parcels,
    /// generated/clerk-full), or any spec into any folder with the flags.
    Generate {
        /// A spec other than the repository's.
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// Where to write the crate (with --spec).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Crate name (with --spec).
        #[arg(long)]
        crate_name: Option<String>,
        /// Generator config (with --spec).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Fail with a diff when a generated crate does not match its spec.
    Check,
    /// What the working tree changes in the repository's generated crates since a git revision:
    /// the `sdkgen diff` report of each crate's recorded model there against its model now.
    Diff {
        /// The revision to compare with.
        #[arg(long, default_value = "HEAD")]
        base: String,
        /// Output format: text, markdown or json.
        #[arg(long, default_value = "text")]
        format: sdkgen::diff::Format,
        /// Fail on breaking changes (Rust API or wire), or on any change.
        #[arg(long)]
        fail_on: Option<diff::FailOn>,
    },
    /// `sdkgen diff` on the Clerk history next to cargo-semver-checks and openapi-diff: what
    /// each finds that the other misses (slow: generates and documents both crates per pair).
    DiffCompare(diff_compare::Args),
    /// Generate, `cargo check` and `cargo clippy` a crate for every spec under ../shared/specs.
    Corpus {
        /// The folder of specs; default $SDKGEN_SHARED_SPECS or ../shared/specs.
        #[arg(long)]
        specs: Option<PathBuf>,
        /// Only specs whose path contains this text.
        #[arg(long)]
        only: Option<String>,
        /// Skip `cargo check`/`clippy` (generation only).
        #[arg(long)]
        no_compile: bool,
        /// Lint every group's feature alone, not just the first, middle and last group's.
        #[arg(long)]
        every_group: bool,
    },
    /// Call every operation of every spec through the generated SDK against Prism (a validating
    /// mock of that spec); writes CONFORMANCE.md. Default: the fragment and every corpus spec
    /// the generator accepts.
    Conformance {
        /// Just this spec (repeatable).
        #[arg(long)]
        spec: Vec<PathBuf>,
        /// The CI subset: the fragment, the newest Clerk Backend API spec and the small specs.
        #[arg(long, conflicts_with = "spec")]
        ci: bool,
        /// The whole corpus, specs the generator refuses included (as rows of the table).
        #[arg(long, conflicts_with_all = ["spec", "ci"])]
        all: bool,
        /// Of the selection, only specs whose name contains this text.
        #[arg(long)]
        only: Option<String>,
    },
    /// Benchmarks: generator speed and memory, and SDK overhead, side by side with peers.
    Bench {
        /// Extra arguments for the benchmark driver.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Long-running fuzzing of the generator and the SDK's response decoding.
    Fuzz {
        /// How long to run.
        #[arg(long, default_value_t = 5)]
        minutes: u64,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate { spec: None, .. } => generate_repository(),
        Command::Generate {
            spec: Some(spec),
            out,
            crate_name,
            config,
        } => generate_any(
            &spec,
            out.as_deref().unwrap_or(Path::new(".")),
            crate_name.as_deref(),
            config.as_deref(),
        ),
        Command::Check => check(),
        Command::Diff {
            base,
            format,
            fail_on,
        } => diff::run(&base, format, fail_on),
        Command::DiffCompare(args) => diff_compare::run(&args),
        Command::Corpus {
            specs,
            only,
            no_compile,
            every_group,
        } => corpus::run(
            specs,
            only.as_deref(),
            !no_compile,
            if every_group {
                corpus::Groups::Every
            } else {
                corpus::Groups::Sample
            },
        ),
        Command::Conformance {
            spec,
            ci,
            all,
            only,
        } => conformance::run(conformance::Selection {
            specs: spec,
            ci,
            all,
            only,
        }),
        Command::Bench { args } => bench::run(&args),
        Command::Fuzz { minutes } => fuzz::run(minutes),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The repository's crate config and spec (`spec/sdkgen.toml`).
pub(crate) fn repository_job() -> Result<(sdkgen::Config, PathBuf), String> {
    let config = sdkgen::Config::read(&root().join("spec/sdkgen.toml"))?;
    let spec = config
        .spec
        .clone()
        .ok_or("spec/sdkgen.toml has no `spec` entry")?;
    Ok((config, spec))
}

/// The crates generated from the repository's own specs: config, and the folder it fills.
/// `generated/` is the hand-reviewed memberships crate; `generated/wire-fixture/` exists for
/// its tests of what generated code puts on the wire, `generated/pagination/` for its tests of
/// every paging strategy over HTTP; `generated/parcels/` is the OpenAPI 3.1 crate (webhooks,
/// tuples, `$ref` siblings) with its HTTP and webhook tests.
const REPOSITORY_CRATES: &[(&str, &str)] = &[
    ("spec/sdkgen.toml", "generated"),
    ("spec/wire-fixture.toml", "generated/wire-fixture"),
    // One list operation per pagination strategy, paged over HTTP by its tests.
    ("spec/pagination.toml", "generated/pagination"),
    ("spec/parcels.toml", "generated/parcels"),
];

/// Runs the generator with the config at `config` (relative to the root): the files and the model.
fn crate_files(config: &str) -> Result<(sdkgen::Output, sdkgen::Config), String> {
    let root = root();
    let config = sdkgen::Config::read(&root.join(config))?;
    let spec = config
        .spec
        .clone()
        .ok_or("the config has no `spec` entry")?;
    let name = spec
        .strip_prefix(&root)
        .unwrap_or(&spec)
        .to_string_lossy()
        .replace('\\', "/");
    let output = sdkgen::generate_file(&spec, &name, &config).map_err(|d| d.to_string())?;
    for warning in &output.warnings.0 {
        eprintln!("{warning}");
    }
    Ok((output, config))
}

fn generate_repository() -> Result<(), String> {
    for (config, out) in REPOSITORY_CRATES {
        let started = Instant::now();
        eprintln!("generating {out} from {config}…");
        let (output, config) = crate_files(config)?;
        write(&root().join(out), &output, &config, started)?;
    }
    let started = Instant::now();
    eprintln!("generating {FULL_CRATE} from the shared Clerk spec…");
    match full_clerk_files()? {
        Some((output, config)) => write(&root().join(FULL_CRATE), &output, &config, started),
        None => Ok(()),
    }
}

/// Where the whole-API crate lives (see spec/clerk-full.toml).
pub(crate) const FULL_CRATE: &str = "generated/clerk-full";

/// The shared spec corpus: `$SDKGEN_SHARED_SPECS`, or `../shared/specs`.
pub(crate) fn shared_specs_dir() -> PathBuf {
    std::env::var_os("SDKGEN_SHARED_SPECS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/specs"))
}

/// The newest Clerk spec in the shared corpus, if it is there.
pub(crate) fn shared_clerk_spec() -> Option<PathBuf> {
    let dir = std::env::var_os("SDKGEN_SHARED_SPECS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/specs"))
        .join("clerk");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with("bapi-") && (name.ends_with(".yml") || name.ends_with(".yaml"))
        })
        .collect();
    specs.sort();
    specs.pop()
}

/// The config of `generated/clerk-full/`.
pub(crate) fn full_clerk_config() -> Result<sdkgen::Config, String> {
    sdkgen::Config::read(&root().join("spec/clerk-full.toml"))
}

/// The files of `generated/clerk-full/`, or `None` (with a note) without the shared spec.
fn full_clerk_files() -> Result<Option<(sdkgen::Output, sdkgen::Config)>, String> {
    let Some(spec) = shared_clerk_spec() else {
        eprintln!(
            "skipping {FULL_CRATE}: no clerk/bapi-*.yml under $SDKGEN_SHARED_SPECS or ../shared/specs"
        );
        return Ok(None);
    };
    let config = full_clerk_config()?;
    let bytes = std::fs::read(&spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let name = format!(
        "Clerk's published {}",
        spec.file_name().and_then(|n| n.to_str()).unwrap_or("spec")
    );
    let output = sdkgen::generate(&bytes, &name, &config).map_err(|d| d.to_string())?;
    Ok(Some((output, config)))
}

fn generate_any(
    spec: &Path,
    out: &Path,
    crate_name: Option<&str>,
    config: Option<&Path>,
) -> Result<(), String> {
    let started = Instant::now();
    let job = sdkgen::Job::new(spec, crate_name, config)?;
    let output = job.run().map_err(|d| d.to_string())?;
    for warning in &output.warnings.0 {
        eprintln!("{warning}");
    }
    write(out, &output, &job.config, started)
}

/// Writes a crate and prints what changed: the files, then what the regeneration does to the
/// crate's users (compared with the model the crate recorded last time).
fn write(
    dir: &Path,
    output: &sdkgen::Output,
    config: &sdkgen::Config,
    started: Instant,
) -> Result<(), String> {
    let files = &output.files;
    let summary = sdkgen::regeneration_summary(dir, &output.api, config);
    let changed = sdkgen::output::write(dir, files)
        .map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
    for path in &changed {
        println!("  updated {}", dir.join(path).display());
    }
    println!(
        "generated {} files ({lines} lines, {} changed) in {} ms",
        files.len(),
        changed.len(),
        started.elapsed().as_millis()
    );
    if let Some(summary) = summary {
        print!("{summary}");
    }
    Ok(())
}

fn check() -> Result<(), String> {
    for (config, out) in REPOSITORY_CRATES {
        let (output, _) = crate_files(config)?;
        sdkgen::output::check(&root().join(out), &output.files).map_err(|diff| {
            format!("{diff}\n{out}/ is stale: run `cargo xtask generate` and commit the result")
        })?;
        println!("{out}/ is up to date");
    }
    if let Some((output, _)) = full_clerk_files()? {
        sdkgen::output::check(&root().join(FULL_CRATE), &output.files).map_err(|diff| {
            format!(
                "{diff}\n{FULL_CRATE} is stale: run `cargo xtask generate` and commit the result"
            )
        })?;
        println!("{FULL_CRATE} is up to date");
    }
    Ok(())
}
