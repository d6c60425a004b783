//! Generator settings that the spec cannot carry: crate metadata and client defaults.
//!
//! Read from a small TOML file (for this repository `spec/sdkgen.toml`):
//!
//! ```toml
//! spec = "clerk-organization-memberships.yaml"   # relative to this file
//!
//! [package]
//! name = "clerk-backend"
//! version = "0.1.0"
//! description = "Typed async client for the Clerk Backend API"
//!
//! [client]
//! secret_env_var = "CLERK_SECRET_KEY"
//! idempotency_header = "Idempotency-Key"   # sent by every POST and PATCH (optional)
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Settings for one generated crate.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The spec, relative to the config file.
    #[serde(default)]
    pub spec: Option<PathBuf>,
    /// `[package]` of the generated `Cargo.toml`.
    pub package: Package,
    /// Client defaults.
    #[serde(default)]
    pub client: ClientConfig,
    /// What goes into the generated rustdoc.
    #[serde(default)]
    pub docs: DocsConfig,
    /// `[dev-dependencies]` written verbatim into the generated `Cargo.toml` (for the crate's
    /// own tests and examples).
    #[serde(default, rename = "dev-dependencies")]
    pub dev_dependencies: toml::Table,
}

/// Crate metadata.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Crate name (kebab-case as on crates.io).
    pub name: String,
    /// Crate version.
    #[serde(default = "default_version")]
    pub version: String,
    /// One-line description.
    #[serde(default)]
    pub description: Option<String>,
    /// A Markdown file, relative to the crate folder, whose Rust code blocks are compiled as
    /// the crate's doctests (so a README's examples cannot rot).
    #[serde(default)]
    pub readme_doctests: Option<String>,
}

/// Client defaults baked into the generated crate.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// Environment variable `Client::from_env` reads the credential from; when unset, one is
    /// derived from the crate name (see [`derived_env_var`]).
    #[serde(default)]
    pub secret_env_var: Option<String>,
    /// A header every POST and PATCH operation sends an idempotency key in (a fresh random one
    /// per call, the same on each retry), for APIs whose spec does not declare it per
    /// operation.
    #[serde(default)]
    pub idempotency_header: Option<String>,
    /// Product token for `User-Agent`; the crate name when unset. The version is appended.
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// Rustdoc settings.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DocsConfig {
    /// Copy the spec's prose (summaries, descriptions, examples) into rustdoc. Turn it off to
    /// generate from a spec whose text may not be redistributed: docs then come from the
    /// structure alone (paths, names, types, defaults, ranges).
    #[serde(default = "yes")]
    pub spec_prose: bool,
}

impl Default for DocsConfig {
    fn default() -> Self {
        Self { spec_prose: true }
    }
}

fn yes() -> bool {
    true
}

fn default_version() -> String {
    "0.1.0".to_owned()
}

impl Config {
    /// A config with only a crate name.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            spec: None,
            package: Package {
                name: name.into(),
                version: default_version(),
                description: None,
                readme_doctests: None,
            },
            client: ClientConfig::default(),
            docs: DocsConfig::default(),
            dev_dependencies: toml::Table::new(),
        }
    }

    /// Parses a config file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// Reads a config file; `spec` comes back resolved against the file's folder.
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut config = Self::parse(&text)
            .map_err(|e| format!("{} is not a valid config: {e}", path.display()))?;
        if let (Some(spec), Some(dir)) = (&config.spec, path.parent()) {
            config.spec = Some(dir.join(spec));
        }
        Ok(config)
    }

    /// The Rust library name: `clerk-backend` → `clerk_backend`.
    pub fn lib_name(&self) -> String {
        self.package.name.replace('-', "_")
    }
}

/// The environment variable for an API's credential when the config names none: the crate
/// name in upper snake case without a trailing `API` word, then what the variable holds
/// (`suffix`: `TOKEN`, `API_KEY` or `CREDENTIALS`). `clerk-backend-api` with a bearer token →
/// `CLERK_BACKEND_TOKEN`; `petstore` with an API key → `PETSTORE_API_KEY`.
pub fn derived_env_var(crate_name: &str, suffix: &str) -> String {
    use heck::ToShoutySnakeCase;
    let name = crate_name.to_shouty_snake_case();
    let name = name
        .strip_suffix("_API")
        .filter(|rest| !rest.is_empty())
        .unwrap_or(&name);
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match name.chars().next() {
        None => suffix.to_owned(),
        Some(c) if c.is_ascii_digit() => format!("API_{name}_{suffix}"),
        Some(_) => format!("{name}_{suffix}"),
    }
}

/// A crate name for an API title: `Clerk Backend API` → `clerk-backend-api`.
pub fn crate_name_for(title: &str) -> String {
    use heck::ToKebabCase;
    let name: String = title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_kebab_case();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        Some(_) => format!("api-{name}"),
        None => "api-client".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_defaults() {
        let config = Config::parse("[package]\nname = \"clerk-backend\"\n").unwrap();
        assert_eq!(config, Config::named("clerk-backend"));
        assert_eq!(config.lib_name(), "clerk_backend");
    }

    #[test]
    fn crate_names_from_titles() {
        assert_eq!(crate_name_for("Clerk Backend API"), "clerk-backend-api");
        assert_eq!(crate_name_for("Swagger Petstore"), "swagger-petstore");
        assert_eq!(crate_name_for("3D — API"), "api-3d-api");
        assert_eq!(crate_name_for("!!!"), "api-client");
    }

    #[test]
    fn env_vars_from_crate_names() {
        for (crate_name, suffix, var) in [
            ("clerk-backend-api", "TOKEN", "CLERK_BACKEND_TOKEN"),
            ("petstore", "API_KEY", "PETSTORE_API_KEY"),
            (
                "twilio_api_v2010",
                "CREDENTIALS",
                "TWILIO_API_V2010_CREDENTIALS",
            ),
            ("api", "TOKEN", "API_TOKEN"),
            ("3d-api", "TOKEN", "API_3D_TOKEN"),
            ("", "TOKEN", "TOKEN"),
        ] {
            assert_eq!(derived_env_var(crate_name, suffix), var, "{crate_name}");
        }
    }

    #[test]
    fn rejects_unknown_keys() {
        let err = Config::parse("[package]\nname = \"x\"\nnmae = \"y\"\n").unwrap_err();
        assert!(err.contains("unknown field `nmae`"), "{err}");
    }
}
