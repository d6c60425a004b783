//! The `sdkgen` command line: generate an SDK crate from any OpenAPI 3.0 spec, or check a spec.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

/// Generate a Rust SDK crate from an OpenAPI 3.0 document.
#[derive(Parser)]
#[command(name = "sdkgen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a complete crate for SPEC into DIR.
    Generate {
        /// The OpenAPI 3.0 document (YAML or JSON).
        spec: PathBuf,
        /// The crate folder to write (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Crate name; defaults to the config's, else the spec title in kebab-case.
        #[arg(long)]
        crate_name: Option<String>,
        /// A generator config (TOML: [package], [client], [dev-dependencies]).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Report the spec's diagnostics (errors, warnings, notes) without writing anything.
    Check {
        /// The OpenAPI 3.0 document (YAML or JSON).
        spec: PathBuf,
        /// A generator config whose settings (such as `[pagination]`) apply.
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            spec,
            out,
            crate_name,
            config,
        } => generate(&spec, &out, crate_name.as_deref(), config.as_deref()),
        Command::Check { spec, config } => check(&spec, config.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn generate(
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
    let changed = sdkgen::output::write(out, &output.files)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let lines: usize = output
        .files
        .iter()
        .map(|f| f.contents.lines().count())
        .sum();
    println!(
        "generated {} files ({lines} lines, {} changed) into {} in {} ms",
        output.files.len(),
        changed.len(),
        out.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}

fn check(spec: &Path, config: Option<&Path>) -> Result<(), String> {
    let job = sdkgen::Job::new(spec, None, config)?;
    let output = job.run().map_err(|d| d.to_string())?;
    for warning in &output.warnings.0 {
        println!("{warning}");
    }
    let notes = output
        .warnings
        .0
        .iter()
        .filter(|d| d.severity == sdkgen::Severity::Note)
        .count();
    println!(
        "{}: ok ({} warnings, {notes} notes)",
        spec.display(),
        output.warnings.0.len() - notes
    );
    Ok(())
}
