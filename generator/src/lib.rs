//! sdkgen: OpenAPI 3.0 document → intermediate model → formatted Rust SDK crate.
//!
//! The pipeline is [`load`] (text → `openapiv3` types), [`model::build`] (→ [`model::Api`]) and
//! [`emit`] (→ files). [`generate`] runs all three.

pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod load;
pub mod model;
pub mod output;

pub use config::Config;
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use emit::GeneratedFile;

/// The result of a successful run: the files of the crate, and the warnings met on the way.
#[derive(Debug)]
pub struct Output {
    /// Files, with paths relative to the crate root, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Warnings (constructs that were generated with a fallback) and notes (choices the
    /// config can change, such as an operation left without `stream()`).
    pub warnings: Diagnostics,
    /// Which list operations got `stream()`, by which strategy, and why the others did not.
    pub pagination: model::Coverage,
}

/// Generates a crate from spec text. `spec_name` names the spec in diagnostics and in the
/// "generated, do not edit" preamble.
pub fn generate(spec: &[u8], spec_name: &str, config: &Config) -> Result<Output, Diagnostics> {
    let document = load::load(spec, spec_name)?;
    generate_document(document, spec_name, config)
}

/// The pipeline after loading.
fn generate_document(
    document: load::Document,
    spec_name: &str,
    config: &Config,
) -> Result<Output, Diagnostics> {
    // The model owns what emitting needs; the document is gone before emitting allocates.
    let (mut api, warnings) = model::build(document, &config.pagination)?;
    if !config.docs.spec_prose {
        api.strip_prose();
    }
    let pagination = model::Coverage::of(&api);
    let files = emit::emit(&api, config, spec_name)?;
    Ok(Output {
        files,
        warnings,
        pagination,
    })
}

/// One generation run as a command line describes it: a spec file, and optionally a config
/// file and a crate name that overrides the config's.
#[derive(Clone, Debug)]
pub struct Job {
    /// The spec file.
    pub spec: std::path::PathBuf,
    /// How the spec is named in diagnostics and in the generated preamble.
    pub spec_name: String,
    /// The settings.
    pub config: Config,
}

impl Job {
    /// Reads the config (when given); without one, the crate is named `crate_name` or, failing
    /// that, after the spec's title once it is loaded.
    pub fn new(
        spec: &std::path::Path,
        crate_name: Option<&str>,
        config: Option<&std::path::Path>,
    ) -> Result<Self, String> {
        let mut config = match config {
            Some(path) => Config::read(path)?,
            None => Config::named(""),
        };
        if let Some(name) = crate_name {
            config.package.name = name.to_owned();
        }
        Ok(Self {
            spec: spec.to_path_buf(),
            spec_name: spec.to_string_lossy().replace('\\', "/"),
            config,
        })
    }

    /// Reads the spec and generates the crate.
    pub fn run(&self) -> Result<Output, Diagnostics> {
        let bytes = std::fs::read(&self.spec).map_err(|e| {
            Diagnostic::error("#", format!("cannot read {}: {e}", self.spec.display()))
                .with_help("check the path to the spec")
        })?;
        let document = load::load(&bytes, &self.spec_name)?;
        drop(bytes);
        let mut config = self.config.clone();
        if config.package.name.is_empty() {
            config.package.name = config::crate_name_for(&document.openapi.info.title);
        }
        generate_document(document, &self.spec_name, &config)
    }
}
