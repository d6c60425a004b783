//! `cargo xtask diff`: what the working tree changes in the repository's generated crates since
//! a git revision, as `sdkgen diff` reports it: the model each crate recorded at that revision
//! (`sdkgen-model.json`) against the model the current spec and generator give.

use std::process::Command;

use sdkgen::diff::{Format, Labels};

/// When the command fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FailOn {
    /// On changes that break the Rust API or the wire.
    Breaking,
    /// On any change.
    Any,
}

pub(crate) fn run(base: &str, format: Format, fail_on: Option<FailOn>) -> Result<(), String> {
    let root = crate::root();
    let mut failing = 0;

    let (config, spec) = crate::repository_job()?;
    let relative_spec = spec
        .strip_prefix(&root)
        .unwrap_or(&spec)
        .to_string_lossy()
        .replace('\\', "/");
    // Revisions from before crates recorded their model: rebuild it from the spec at that
    // revision, with today's generator.
    let old = at_revision(base, "generated/sdkgen-model.json", &config)
        .or_else(|| at_revision(base, &relative_spec, &config));
    failing += report(
        "generated",
        base,
        old,
        sdkgen::model_of(&spec, &config),
        &config,
        format,
        fail_on,
    )?;

    match crate::shared_clerk_spec() {
        Some(spec) => {
            let config = crate::full_clerk_config()?;
            let path = format!("{}/sdkgen-model.json", crate::FULL_CRATE);
            let old = at_revision(base, &path, &config);
            failing += report(
                crate::FULL_CRATE,
                base,
                old,
                sdkgen::model_of(&spec, &config),
                &config,
                format,
                fail_on,
            )?;
        }
        None => eprintln!(
            "skipping {}: no clerk/bapi-*.yml under $SDKGEN_SHARED_SPECS or ../shared/specs",
            crate::FULL_CRATE
        ),
    }
    if failing > 0 {
        return Err(format!(
            "cargo xtask diff: failing on {failing} change(s) (--fail-on)"
        ));
    }
    Ok(())
}

/// Prints one crate's report; returns how many of its changes `fail_on` fails on.
fn report(
    name: &str,
    base: &str,
    old: Option<Result<sdkgen::model::Api, String>>,
    new: Result<sdkgen::model::Api, String>,
    config: &sdkgen::Config,
    format: Format,
    fail_on: Option<FailOn>,
) -> Result<usize, String> {
    let Some(old) = old else {
        eprintln!(
            "skipping {name}: {base} has no recorded model of it (and no spec in the repository)"
        );
        return Ok(0);
    };
    let report = sdkgen::diff::diff(&old?, &new?);
    let labels = Labels {
        old: format!("{name} at {base}"),
        new: format!("{name} now"),
        version: Some(config.package.version.clone()),
    };
    print!("{}", report.render(format, &labels));
    if format != Format::Json {
        println!();
    }
    Ok(match fail_on {
        Some(FailOn::Breaking) => report
            .changes
            .iter()
            .filter(|c| c.effect.is_breaking())
            .count(),
        Some(FailOn::Any) => report.changes.len(),
        None => 0,
    })
}

/// The model in `path` at `revision` (a recorded model or a spec), or `None` when git has no
/// such file there.
fn at_revision(
    revision: &str,
    path: &str,
    config: &sdkgen::Config,
) -> Option<Result<sdkgen::model::Api, String>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(crate::root())
        .arg("show")
        .arg(format!("{revision}:{path}"))
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let name = format!("{path} at {revision}");
    Some(sdkgen::model_from(output.stdout, &name, config))
}
