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
//!
//! [pagination]                                   # per operationId; see `PagingRule`
//! ListEvents = "off"
//! ListThings = { strategy = "cursor", param = "after", next = "last_id" }
//! ```

use std::collections::BTreeMap;
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
    /// How the model types are emitted.
    #[serde(default)]
    pub types: TypesConfig,
    /// `[dev-dependencies]` written verbatim into the generated `Cargo.toml` (for the crate's
    /// own tests and examples).
    #[serde(default, rename = "dev-dependencies")]
    pub dev_dependencies: toml::Table,
    /// `[pagination]`: per-operation overrides of pagination detection, by operationId.
    #[serde(default, deserialize_with = "paging_rules")]
    pub pagination: BTreeMap<String, PagingRule>,
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

/// Model type settings.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TypesConfig {
    /// Which of serde's traits each type derives.
    #[serde(default)]
    pub serde: SerdeDerives,
    /// What the places of an inline shape the spec repeats become.
    #[serde(default)]
    pub repeated_shapes: RepeatedShapes,
}

/// What the places of an inline shape the spec repeats become (every list's
/// `direction: {enum: [ASC, DESC]}`, say).
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RepeatedShapes {
    /// One type, which the other places are aliases of: less to compile, and a value of one
    /// place can be passed to another. A value the API adds in only one place then splits the
    /// type, which `diff` reports as breaking for code that mixed them.
    #[default]
    Alias,
    /// A type of its own in every place.
    Separate,
}

/// Which of serde's traits the model types derive.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SerdeDerives {
    /// `Serialize` on the types requests send, `Deserialize` on the types replies bring, both
    /// on schemas no operation uses. Each derive no call needs is compile time every user pays
    /// for, so this is the default.
    #[default]
    ByDirection,
    /// `Serialize` and `Deserialize` on every type: for callers who also read request types
    /// (a mock server, a queue that stores requests) or write reply types (a cache, a proxy).
    Both,
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
            types: TypesConfig::default(),
            dev_dependencies: toml::Table::new(),
            pagination: BTreeMap::new(),
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

/// How one operation pages, when detection should not decide: `"off"`, a strategy name
/// (detection then only looks for that strategy, with its usual names), or a table that also
/// names the parameters and response fields. Field paths are the wire names, dot-separated
/// from the success body (`meta.next_cursor`).
///
/// ```toml
/// [pagination]
/// ListEvents = "off"
/// ListUsers = "offset"
/// ListThings = { strategy = "cursor", param = "after", next = "last_id", has_more = "has_more" }
/// ```
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PagingRule {
    /// `off`, `offset`, `page`, `cursor`, `page-token`, `next-url` or `link-header`.
    pub strategy: String,
    /// The array of items in the success body (`data`); empty for a body that is the array.
    #[serde(default)]
    pub items: Option<String>,
    /// The query parameter that moves: offset, page number, cursor or token.
    #[serde(default)]
    pub param: Option<String>,
    /// The page-size query parameter (`limit`, `per_page`), kept on every page.
    #[serde(default)]
    pub limit: Option<String>,
    /// The response field with the next cursor, token or URL.
    #[serde(default)]
    pub next: Option<String>,
    /// Cursor paging from the last item: this field of the last item is the next cursor.
    #[serde(default)]
    pub last_item: Option<String>,
    /// The boolean response field that says whether more pages follow.
    #[serde(default)]
    pub has_more: Option<String>,
    /// The total item count (offset paging) or page count (page paging).
    #[serde(default)]
    pub total: Option<String>,
}

impl<'de> Deserialize<'de> for PagingRuleOrName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = PagingRuleOrName;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(
                    "a strategy name such as \"cursor\" or \"off\", or a table with `strategy`",
                )
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(PagingRuleOrName(PagingRule {
                    strategy: name.to_owned(),
                    ..PagingRule::default()
                }))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                PagingRule::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(PagingRuleOrName)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A `[pagination]` value: a bare strategy name or a [`PagingRule`] table.
struct PagingRuleOrName(PagingRule);

fn paging_rules<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, PagingRule>, D::Error> {
    let rules = BTreeMap::<String, PagingRuleOrName>::deserialize(deserializer)?;
    Ok(rules.into_iter().map(|(id, rule)| (id, rule.0)).collect())
}

/// The strategy names a [`PagingRule`] accepts.
pub const PAGING_STRATEGIES: &[&str] = &[
    "off",
    "offset",
    "page",
    "cursor",
    "page-token",
    "next-url",
    "link-header",
];

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

/// A crate name for an API title: `Clerk Backend API` → `clerk-backend-api`. Always passes
/// [`check_crate_name`]: a name that would start with a digit or be a keyword gets an `api`
/// word, and a long one is cut at a word break.
pub fn crate_name_for(title: &str) -> String {
    use heck::ToKebabCase;
    let name: String = title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_kebab_case();
    let mut name = match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        Some(_) => format!("api-{name}"),
        None => "api-client".to_owned(),
    };
    while name.len() > MAX_CRATE_NAME {
        match name.rfind('-') {
            Some(cut) => name.truncate(cut),
            None => name.truncate(MAX_CRATE_NAME),
        }
    }
    if crate_name_problem(&name).is_some() {
        name.push_str("-api");
    }
    name
}

/// crates.io's limit on crate names.
const MAX_CRATE_NAME: usize = 64;

/// Names Cargo refuses (or warns about) as package names, because they are Rust's own crates.
const CARGO_RESERVED: &[&str] = &["test", "std", "core", "alloc", "proc_macro", "proc-macro"];

/// Checks a crate name against Cargo's rules: ASCII letters, digits, `-` and `_`, starting with
/// a letter, at most 64 characters, and a library name (`-` → `_`) that is not a Rust keyword
/// or one of Rust's own crates. The error says why and suggests a name that passes.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    match crate_name_problem(name) {
        None => Ok(()),
        Some(problem) => Err(format!(
            "{name:?} is not a valid crate name: {problem}; try {:?}",
            crate_name_for(name)
        )),
    }
}

/// What is wrong with a crate name, if anything (see [`check_crate_name`]).
fn crate_name_problem(name: &str) -> Option<String> {
    let lib = name.replace('-', "_");
    if name.is_empty() {
        Some("it is empty".to_owned())
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(format!(
            "it contains {c:?} (only ASCII letters, digits, `-` and `_` are allowed)"
        ))
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("it does not start with a letter".to_owned())
    } else if name.len() > MAX_CRATE_NAME {
        Some(format!(
            "it is {} characters long (crates.io allows {MAX_CRATE_NAME})",
            name.len()
        ))
    } else if crate::model::names::escape_ident(&lib) != lib || lib == "_" {
        Some(format!("its library name `{lib}` is a Rust keyword"))
    } else if CARGO_RESERVED.contains(&name) {
        Some("Cargo reserves it for one of Rust's own crates".to_owned())
    } else {
        None
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
    fn serde_derives_are_by_direction_unless_asked_for_both() {
        let by_default = Config::parse("[package]\nname = \"x\"\n").unwrap();
        assert_eq!(by_default.types.serde, SerdeDerives::ByDirection);
        let both = Config::parse("[package]\nname = \"x\"\n[types]\nserde = \"both\"\n").unwrap();
        assert_eq!(both.types.serde, SerdeDerives::Both);
        let err =
            Config::parse("[package]\nname = \"x\"\n[types]\nserde = \"some\"\n").unwrap_err();
        assert!(
            err.contains("by-direction") && err.contains("both"),
            "{err}"
        );
    }

    #[test]
    fn repeated_shapes_are_aliases_unless_asked_to_be_separate() {
        let by_default = Config::parse("[package]\nname = \"x\"\n").unwrap();
        assert_eq!(by_default.types.repeated_shapes, RepeatedShapes::Alias);
        let separate =
            Config::parse("[package]\nname = \"x\"\n[types]\nrepeated_shapes = \"separate\"\n")
                .unwrap();
        assert_eq!(separate.types.repeated_shapes, RepeatedShapes::Separate);
        let err = Config::parse("[package]\nname = \"x\"\n[types]\nrepeated_shapes = \"one\"\n")
            .unwrap_err();
        assert!(err.contains("alias") && err.contains("separate"), "{err}");
    }

    #[test]
    fn crate_names_from_titles() {
        assert_eq!(crate_name_for("Clerk Backend API"), "clerk-backend-api");
        assert_eq!(crate_name_for("Swagger Petstore"), "swagger-petstore");
        assert_eq!(crate_name_for("3D — API"), "api-3d-api");
        assert_eq!(crate_name_for("!!!"), "api-client");
        assert_eq!(crate_name_for("Self"), "self-api");
        assert_eq!(crate_name_for("test"), "test-api");
        assert_eq!(crate_name_for(&"word ".repeat(40)).len(), 64);
    }

    /// Every name a user might type: valid ones pass, the others fail with a reason and a
    /// suggestion that itself passes.
    #[test]
    fn crate_names_are_checked() {
        for name in ["petstore", "clerk-backend", "my_crate", "a1", "Petstore"] {
            assert_eq!(check_crate_name(name), Ok(()), "{name}");
        }
        for (name, reason, suggestion) in [
            ("my crate", "contains ' '", "my-crate"),
            ("1petstore", "does not start with a letter", "api-1petstore"),
            ("", "is empty", "api-client"),
            ("-x", "does not start with a letter", "x"),
            ("café", "contains 'é'", "caf"),
            ("self", "is a Rust keyword", "self-api"),
            ("type", "is a Rust keyword", "type-api"),
            ("test", "Cargo reserves it", "test-api"),
            ("a.b", "contains '.'", "a-b"),
        ] {
            let err = check_crate_name(name).unwrap_err();
            assert!(err.contains(reason), "{name}: {err}");
            assert!(
                err.ends_with(&format!("try {suggestion:?}")),
                "{name}: {err}"
            );
            assert_eq!(check_crate_name(suggestion), Ok(()), "{suggestion}");
        }
        let long = "a".repeat(65);
        assert!(
            check_crate_name(&long)
                .unwrap_err()
                .contains("65 characters")
        );
    }

    /// Whatever the title, the derived name is valid.
    #[test]
    fn derived_names_are_always_valid() {
        for title in [
            "",
            "1",
            "Self",
            "crate",
            "_",
            "  x  ",
            "日本語",
            "🙂 API",
            "abstract",
            "proc macro",
        ] {
            let name = crate_name_for(title);
            assert_eq!(check_crate_name(&name), Ok(()), "{title:?} → {name:?}");
        }
    }

    #[test]
    fn paging_rules_are_names_or_tables() {
        let config = Config::parse(
            "[package]\nname = \"x\"\n[pagination]\nA = \"off\"\nB = { strategy = \"cursor\", param = \"after\", next = \"meta.last\" }\n",
        )
        .unwrap();
        assert_eq!(config.pagination["A"].strategy, "off");
        let b = &config.pagination["B"];
        assert_eq!(
            (b.strategy.as_str(), b.param.as_deref(), b.next.as_deref()),
            ("cursor", Some("after"), Some("meta.last"))
        );
        let err = Config::parse(
            "[package]\nname = \"x\"\n[pagination]\nB = { strategy = \"cursor\", nxet = \"a\" }\n",
        )
        .unwrap_err();
        assert!(err.contains("unknown field `nxet`"), "{err}");
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
