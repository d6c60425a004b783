//! The `sdkgen` command line: generate an SDK crate from any OpenAPI 3.0 or 3.1 spec, check a spec, or
//! report what a spec change does to the crate.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

/// Generate a Rust SDK crate from an OpenAPI 3.0 or 3.1 document.
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
        /// The OpenAPI 3.0 or 3.1 document (YAML or JSON).
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
        /// The OpenAPI 3.0 or 3.1 document (YAML or JSON).
        spec: PathBuf,
        /// A generator config whose settings (such as `[pagination]`) apply.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Report what changing OLD into NEW does to the generated crate, and the release it needs.
    Diff {
        /// The old spec, or the `sdkgen-model.json` a generated crate recorded.
        old: PathBuf,
        /// The new spec, or a recorded model.
        new: PathBuf,
        /// The generator config (its version names the next release; `spec_prose = false`
        /// leaves documentation changes out).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output format: text, markdown (a pull-request comment) or json.
        #[arg(long, default_value = "text")]
        format: sdkgen::diff::Format,
        /// Exit with status 1 when there is a breaking change (Rust API or wire), or any change.
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
    },
}

/// When `diff` fails.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    /// On changes that break the Rust API or the wire.
    Breaking,
    /// On any change, documentation included.
    Any,
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
        Command::Diff {
            old,
            new,
            config,
            format,
            fail_on,
        } => diff(&old, &new, config.as_deref(), format, fail_on),
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
    // Before writing: the crate there still holds the model it was generated from.
    let summary = sdkgen::regeneration_summary(out, &output.api, &job.config);
    let changed = sdkgen::output::write(out, &output.files)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let lines: usize = output
        .files
        .iter()
        .map(|f| f.contents.lines().count())
        .sum();
    println!(
        "generated {} ({lines} lines, {} changed) into {} in {} ms",
        sdkgen::diagnostics::counted(output.files.len(), "file"),
        changed.len(),
        out.display(),
        started.elapsed().as_millis()
    );
    if let Some(summary) = summary {
        print!("{summary}");
    }
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
        "{}: ok ({}, {})",
        spec.display(),
        sdkgen::diagnostics::counted(output.warnings.0.len() - notes, "warning"),
        sdkgen::diagnostics::counted(notes, "note")
    );
    Ok(())
}

fn diff(
    old: &Path,
    new: &Path,
    config: Option<&Path>,
    format: sdkgen::diff::Format,
    fail_on: Option<FailOn>,
) -> Result<(), String> {
    let config = match config {
        Some(path) => Some(sdkgen::Config::read(path)?),
        None => None,
    };
    let settings = config.clone().unwrap_or_else(|| sdkgen::Config::named(""));
    // The two specs load independently: one thread each.
    let (old_api, new_api) = std::thread::scope(|scope| {
        let old_api = scope.spawn(|| sdkgen::model_of(old, &settings));
        let new_api = sdkgen::model_of(new, &settings);
        let old_api = old_api
            .join()
            .unwrap_or_else(|_| Err("loading the old spec panicked".to_owned()));
        (old_api, new_api)
    });
    let (old_api, new_api) = (old_api?, new_api?);
    let report = sdkgen::diff::diff(&old_api, &new_api);
    let labels = sdkgen::diff::Labels {
        old: old.display().to_string(),
        new: new.display().to_string(),
        version: config.map(|c| c.package.version),
    };
    print!("{}", report.render(format, &labels));
    let failed = match fail_on {
        Some(FailOn::Breaking) => report.has_breaking(),
        Some(FailOn::Any) => !report.changes.is_empty(),
        None => false,
    };
    if failed {
        return Err(format!(
            "sdkgen diff: failing on {} change(s) (--fail-on {})",
            match fail_on {
                Some(FailOn::Breaking) => report
                    .changes
                    .iter()
                    .filter(|c| c.effect.is_breaking())
                    .count(),
                _ => report.changes.len(),
            },
            match fail_on {
                Some(FailOn::Breaking) => "breaking",
                _ => "any",
            }
        ));
    }
    Ok(())
}
