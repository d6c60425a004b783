//! sdkgen: OpenAPI 3.0 or 3.1 document → intermediate model → formatted Rust SDK crate.
//!
//! The pipeline is [`load`] (text → `openapiv3` types), [`model::build`] (→ [`model::Api`]) and
//! [`emit`] (→ files). [`generate`] runs all three.

pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod load;
pub mod model;
pub mod output;
pub mod record;

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
    /// The model the files were emitted from (also recorded in them, see [`record`]).
    pub api: model::Api,
}

/// Generates a crate from spec text. `spec_name` names the spec in diagnostics and in the
/// "generated, do not edit" preamble.
pub fn generate(spec: &[u8], spec_name: &str, config: &Config) -> Result<Output, Diagnostics> {
    let document = load::load(spec, spec_name)?;
    generate_document(document, spec_name, config)
}

/// Generates a crate from a spec file; references to other files (`common.yaml#/…`) are read
/// relative to it. `spec_name` names the spec in diagnostics and in the preamble.
pub fn generate_file(
    spec: &std::path::Path,
    spec_name: &str,
    config: &Config,
) -> Result<Output, Diagnostics> {
    let bytes = std::fs::read(spec).map_err(|e| {
        Diagnostic::error("#", format!("cannot read {}: {e}", spec.display()))
            .with_help("check the path to the spec")
    })?;
    let document = load::load_file(&bytes, spec_name, Some(spec))?;
    drop(bytes);
    generate_document(document, spec_name, config)
}

/// The pipeline after loading.
fn generate_document(
    document: load::Document,
    spec_name: &str,
    config: &Config,
) -> Result<Output, Diagnostics> {
    // Checked before any work: the name becomes `Cargo.toml`'s and the library's.
    config::check_crate_name(&config.package.name).map_err(|e| {
        Diagnostic::error("#", e).with_help("pass a valid `--crate-name`, or set `[package] name`")
    })?;
    // The model owns what emitting needs; the document is gone before emitting allocates.
    let (mut api, warnings) = model::build(document, &config.pagination)?;
    if let Some(header) = &config.client.idempotency_header {
        // RFC 9110 token characters: anything else would fail every call at run time.
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if header.is_empty() || !header.chars().all(token) {
            return Err(Diagnostic::error(
                "#",
                format!(
                    "the config's `idempotency_header` {header:?} is not a valid HTTP header name"
                ),
            )
            .with_help("use a name such as `Idempotency-Key`")
            .into());
        }
        api.send_idempotency_keys(header);
    }
    apply_config(&mut api, config);
    let pagination = model::Coverage::of(&api);
    let files = emit::emit(&api, config, spec_name)?;
    Ok(Output {
        files,
        warnings,
        pagination,
        api,
    })
}

/// One generation run as a command line describes it: a spec file, and optionally a config
/// file and a crate name that overrides the config's.
#[derive(Clone, Debug)]
pub struct Job {
    /// The spec file.
    pub spec: std::path::PathBuf,
    /// How the spec is named in diagnostics: the path as typed. The generated files name it by
    /// its file name alone (see [`Job::run`]).
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
    ///
    /// The "generated from" preamble of each file names the spec by its file name alone, not
    /// the path as typed: the same spec generated on two machines, or from two folders, gives
    /// byte-identical files.
    pub fn run(&self) -> Result<Output, Diagnostics> {
        let bytes = std::fs::read(&self.spec).map_err(|e| {
            Diagnostic::error("#", format!("cannot read {}: {e}", self.spec.display()))
                .with_help("check the path to the spec")
        })?;
        let document = load::load_file(&bytes, &self.spec_name, Some(&self.spec))?;
        drop(bytes);
        let mut config = self.config.clone();
        if config.package.name.is_empty() {
            config.package.name = config::crate_name_for(&document.openapi.info.title);
        }
        generate_document(document, &self.file_name(), &config)
    }

    /// The spec's file name (`a/b/spec.yaml` → `spec.yaml`), or the name as typed when the path
    /// has none (`..`).
    fn file_name(&self) -> String {
        self.spec.file_name().map_or_else(
            || self.spec_name.clone(),
            |name| name.to_string_lossy().into_owned(),
        )
    }
}

/// The model of `path` as `config` would generate it: a spec (loaded and built as `generate`
/// does) or a model recorded by a generated crate (`sdkgen-model.json`).
pub fn model_of(path: &std::path::Path, config: &Config) -> Result<model::Api, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    model_from(bytes, &path.to_string_lossy().replace('\\', "/"), config)
}

/// What the config changes in the model itself, the same for generating and for comparing:
/// a type per place of a repeated shape, and no spec prose.
fn apply_config(api: &mut model::Api, config: &Config) {
    if config.types.repeated_shapes == config::RepeatedShapes::Separate {
        api.separate_shapes();
    }
    if !config.docs.spec_prose {
        api.strip_prose();
    }
}

/// [`model_of`] for contents already read; `name` names them in messages.
pub fn model_from(bytes: Vec<u8>, name: &str, config: &Config) -> Result<model::Api, String> {
    if record::is_record(&bytes) {
        let text = String::from_utf8(bytes).map_err(|e| format!("{name} is not UTF-8: {e}"))?;
        return record::from_text(&text).map_err(|e| format!("{name}: {e}"));
    }
    let document = load::load(&bytes, name).map_err(|d| d.to_string())?;
    drop(bytes);
    let (mut api, _warnings) =
        model::build(document, &config.pagination).map_err(|d| d.to_string())?;
    apply_config(&mut api, config);
    Ok(api)
}

/// What generating `api` into the crate folder `dir` changes, compared with the model the
/// crate there recorded: the report's summary and its breaking entries, for a terminal. `None`
/// on a first generation (no record yet).
pub fn regeneration_summary(
    dir: &std::path::Path,
    api: &model::Api,
    config: &Config,
) -> Option<String> {
    let old = match record::read(dir)? {
        Ok(old) => old,
        Err(e) => return Some(format!("no summary of changes: {e}\n")),
    };
    let report = diff::diff(&old, api);
    let labels = diff::Labels {
        old: format!("{}/{}", dir.display(), record::FILE),
        new: "this generation".to_owned(),
        version: Some(config.package.version.clone()),
    };
    Some(report.brief(&labels))
}
