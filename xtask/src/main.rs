//! Repository chores: `cargo xtask generate | check | corpus` (and more, see `--help`).

mod bench;
mod corpus;
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
    /// Regenerate generated/ from spec/sdkgen.toml, or any spec into any folder with the flags.
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
    /// Fail with a diff when generated/ does not match the spec.
    Check,
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
        Command::Corpus {
            specs,
            only,
            no_compile,
        } => corpus::run(specs, only.as_deref(), !no_compile),
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

/// The crates generated from specs in this repository: their config, and their folder.
const REPOSITORY_CRATES: &[(&str, &str)] = &[
    ("spec/sdkgen.toml", "generated"),
    // One list operation per pagination strategy, paged over HTTP by its tests.
    ("spec/pagination.toml", "generated/pagination"),
];

/// Runs the generator on a repository spec (named by its config) and returns the crate's files.
fn repository_files(config: &str) -> Result<Vec<sdkgen::GeneratedFile>, String> {
    let root = root();
    let config = sdkgen::Config::read(&root.join(config))?;
    let spec = config
        .spec
        .clone()
        .ok_or("the config has no `spec` entry")?;
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

fn generate_repository() -> Result<(), String> {
    for (config, dir) in REPOSITORY_CRATES {
        let started = Instant::now();
        let files = repository_files(config)?;
        write(&root().join(dir), &files, started)?;
    }
    let started = Instant::now();
    match full_clerk_files()? {
        Some(files) => write(&root().join(FULL_CRATE), &files, started),
        None => Ok(()),
    }
}

/// Where the whole-API crate lives (see spec/clerk-full.toml).
const FULL_CRATE: &str = "generated/clerk-full";

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

/// The files of `generated/clerk-full/`, or `None` (with a note) without the shared spec.
fn full_clerk_files() -> Result<Option<Vec<sdkgen::GeneratedFile>>, String> {
    let Some(spec) = shared_clerk_spec() else {
        eprintln!(
            "skipping {FULL_CRATE}: no clerk/bapi-*.yml under $SDKGEN_SHARED_SPECS or ../shared/specs"
        );
        return Ok(None);
    };
    let config = sdkgen::Config::read(&root().join("spec/clerk-full.toml"))?;
    let bytes = std::fs::read(&spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let name = format!(
        "Clerk's published {}",
        spec.file_name().and_then(|n| n.to_str()).unwrap_or("spec")
    );
    let output = sdkgen::generate(&bytes, &name, &config).map_err(|d| d.to_string())?;
    Ok(Some(output.files))
}

fn generate_any(
    spec: &Path,
    out: &Path,
    crate_name: Option<&str>,
    config: Option<&Path>,
) -> Result<(), String> {
    let started = Instant::now();
    let output = sdkgen::Job::new(spec, crate_name, config)?
        .run()
        .map_err(|d| d.to_string())?;
    for warning in &output.warnings.0 {
        eprintln!("{warning}");
    }
    write(out, &output.files, started)
}

fn write(dir: &Path, files: &[sdkgen::GeneratedFile], started: Instant) -> Result<(), String> {
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
    Ok(())
}

fn check() -> Result<(), String> {
    for (config, dir) in REPOSITORY_CRATES {
        let files = repository_files(config)?;
        sdkgen::output::check(&root().join(dir), &files).map_err(|diff| {
            format!("{diff}\n{dir}/ is stale: run `cargo xtask generate` and commit the result")
        })?;
        println!("{dir}/ is up to date");
    }
    if let Some(files) = full_clerk_files()? {
        sdkgen::output::check(&root().join(FULL_CRATE), &files).map_err(|diff| {
            format!(
                "{diff}\n{FULL_CRATE} is stale: run `cargo xtask generate` and commit the result"
            )
        })?;
        println!("{FULL_CRATE} is up to date");
    }
    Ok(())
}
