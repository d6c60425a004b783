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
    /// Warnings (constructs that were generated with a fallback).
    pub warnings: Diagnostics,
}

/// Generates a crate from spec text. `spec_name` names the spec in diagnostics and in the
/// "generated, do not edit" preamble.
pub fn generate(spec: &[u8], spec_name: &str, config: &Config) -> Result<Output, Diagnostics> {
    let document = load::load(spec, spec_name)?;
    let (api, warnings) = model::build(&document)?;
    let files = emit::emit(&api, config, spec_name);
    Ok(Output { files, warnings })
}
