//! The three generators: ours (the release `sdkgen` binary) and the peers, `cargo-progenitor`
//! and `openapi-generator-cli -g rust`. Peers are installed once under `target/bench/tools/`
//! through their registries and reused afterwards.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Which generator a row is about.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Ours,
    Progenitor,
    OpenApiGenerator,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Ours, Tool::Progenitor, Tool::OpenApiGenerator];

    pub fn name(self) -> &'static str {
        match self {
            Tool::Ours => "sdkgen (ours)",
            Tool::Progenitor => "cargo-progenitor",
            Tool::OpenApiGenerator => "openapi-generator -g rust",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Tool::Ours => "ours",
            Tool::Progenitor => "progenitor",
            Tool::OpenApiGenerator => "oag",
        }
    }

    /// The package name the tool is asked to give the crate for `label`.
    pub fn crate_name(self, label: &str) -> String {
        match self {
            Tool::Ours => format!("bench-ours-{label}"),
            Tool::Progenitor => format!("bench-progenitor-{label}"),
            // openapi-generator's rust templates want an identifier-like name.
            Tool::OpenApiGenerator => format!("bench_oag_{}", label.replace('-', "_")),
        }
    }
}

/// Where each generator is, or why it is unavailable.
pub struct Tools {
    pub ours: PathBuf,
    pub ours_version: String,
    pub progenitor: Result<PathBuf, String>,
    pub progenitor_version: String,
    /// `(java, jar)`.
    pub oag: Result<(PathBuf, PathBuf), String>,
    pub oag_version: String,
}

impl Tools {
    pub fn available(&self, tool: Tool) -> Result<(), String> {
        match tool {
            Tool::Ours => Ok(()),
            Tool::Progenitor => self.progenitor.as_ref().map(|_| ()).map_err(Clone::clone),
            Tool::OpenApiGenerator => self.oag.as_ref().map(|_| ()).map_err(Clone::clone),
        }
    }

    pub fn version(&self, tool: Tool) -> &str {
        match tool {
            Tool::Ours => &self.ours_version,
            Tool::Progenitor => &self.progenitor_version,
            Tool::OpenApiGenerator => &self.oag_version,
        }
    }

    /// The command that generates a crate for `spec` into `out`.
    pub fn command(&self, tool: Tool, spec: &Path, out: &Path, crate_name: &str) -> Command {
        match tool {
            Tool::Ours => {
                let mut cmd = Command::new(&self.ours);
                cmd.arg("generate")
                    .arg(spec)
                    .arg("--out")
                    .arg(out)
                    .arg("--crate-name")
                    .arg(crate_name);
                cmd
            }
            Tool::Progenitor => {
                // What `cargo progenitor …` runs, minus cargo's own start-up.
                let mut cmd = Command::new(self.progenitor.as_ref().expect("checked"));
                cmd.arg("progenitor")
                    .arg("-i")
                    .arg(spec)
                    .arg("-o")
                    .arg(out)
                    .arg("-n")
                    .arg(crate_name)
                    .arg("-v")
                    .arg("0.1.0")
                    // Builder-style methods, like ours.
                    .args(["--interface", "builder"]);
                cmd
            }
            Tool::OpenApiGenerator => {
                // The PyPI wrapper only execs `java -jar` on its bundled jar; call it directly.
                let (java, jar) = self.oag.as_ref().expect("checked");
                let mut cmd = Command::new(java);
                cmd.arg("-jar")
                    .arg(jar)
                    .arg("generate")
                    .arg("-i")
                    .arg(spec)
                    .arg("-g")
                    .arg("rust")
                    .arg("-o")
                    .arg(out)
                    .arg("--package-name")
                    .arg(crate_name)
                    // The version we give the others too (the spec's `info.version` need not
                    // be semver, e.g. Clerk's `2026-05-12`, which cargo then refuses).
                    .arg("--additional-properties=packageVersion=0.1.0")
                    // Its validator refuses some real specs (OpenAI's 3.1) that it then
                    // generates fine; skipping it only makes the peer faster.
                    .arg("--skip-validate-spec");
                cmd
            }
        }
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// `cargo build --release` of our `sdkgen` binary, run from `root`; callers may add `env`s.
pub fn release_build(root: &Path) -> Command {
    let mut command = Command::new(cargo());
    command
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "sdkgen",
            "--bin",
            "sdkgen",
        ])
        .current_dir(root);
    command
}

/// Builds our release binary and finds (installing if asked) the peers.
pub fn prepare(root: &Path, peers: bool, install: bool) -> Result<Tools, String> {
    eprintln!("bench: building the release sdkgen binary");
    let status = release_build(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --release -p sdkgen failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let ours = target.join("release/sdkgen");
    let ours_version = version_of(Command::new(&ours).arg("--version"));

    let tools_dir = root.join("target/bench/tools");
    let (progenitor, progenitor_version, oag, oag_version) = if peers {
        let progenitor = progenitor(&tools_dir, install);
        let progenitor_version = match &progenitor {
            Ok(_) => installed_version(&tools_dir, "cargo-progenitor"),
            Err(_) => "unavailable".into(),
        };
        let oag = openapi_generator(&tools_dir, install);
        let oag_version = match &oag {
            Ok((java, jar)) => {
                let mut cmd = Command::new(java);
                cmd.arg("-jar").arg(jar).arg("version");
                format!(
                    "{} ({})",
                    version_of(&mut cmd),
                    version_of(Command::new(java).arg("-version"))
                )
            }
            Err(_) => "unavailable".into(),
        };
        (progenitor, progenitor_version, oag, oag_version)
    } else {
        let why = "skipped (--no-peers)".to_owned();
        (
            Err(why.clone()),
            "skipped".into(),
            Err(why),
            "skipped".into(),
        )
    };
    Ok(Tools {
        ours,
        ours_version,
        progenitor,
        progenitor_version,
        oag,
        oag_version,
    })
}

/// The first line a command prints (stdout, else stderr), or why it did not run.
pub fn version_of(cmd: &mut Command) -> String {
    match cmd.output() {
        Ok(o) => {
            let text = if o.stdout.is_empty() {
                String::from_utf8_lossy(&o.stderr).into_owned()
            } else {
                String::from_utf8_lossy(&o.stdout).into_owned()
            };
            text.lines().next().unwrap_or("").trim().to_owned()
        }
        Err(e) => format!("not runnable: {e}"),
    }
}

/// The version `cargo install` recorded for `krate` under `root`.
fn installed_version(root: &Path, krate: &str) -> String {
    let text = std::fs::read_to_string(root.join(".crates.toml")).unwrap_or_default();
    text.lines()
        .find_map(|l| {
            let rest = l.trim().strip_prefix('"')?.strip_prefix(krate)?;
            let rest = rest.strip_prefix(' ')?;
            Some(format!("{krate} {}", rest.split(' ').next()?))
        })
        .unwrap_or_else(|| krate.to_owned())
}

/// `cargo install cargo-progenitor --locked --root target/bench/tools`, once.
fn progenitor(tools: &Path, install: bool) -> Result<PathBuf, String> {
    let bin = tools.join("bin/cargo-progenitor");
    if bin.is_file() {
        return Ok(bin);
    }
    if !install {
        return Err("not installed (run without --no-install)".into());
    }
    eprintln!(
        "bench: installing cargo-progenitor into {} (once; slow)",
        tools.display()
    );
    let status = Command::new(cargo())
        .args(["install", "cargo-progenitor", "--locked", "--root"])
        .arg(tools)
        .status()
        .map_err(|e| format!("cargo install did not run: {e}"))?;
    if status.success() && bin.is_file() {
        Ok(bin)
    } else {
        Err("`cargo install cargo-progenitor --locked` failed".into())
    }
}

/// The jar bundled in the PyPI package `openapi-generator-cli`, installed in a venv once, and
/// a Java runtime to run it.
fn openapi_generator(tools: &Path, install: bool) -> Result<(PathBuf, PathBuf), String> {
    let java = PathBuf::from("java");
    let java_ok = Command::new(&java)
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !java_ok {
        return Err(
            "no Java runtime (`java -version` fails); openapi-generator needs Java 11+".into(),
        );
    }
    let venv = tools.join("venv");
    if let Some(jar) = find_jar(&venv) {
        return Ok((java, jar));
    }
    if !install {
        return Err("not installed (run without --no-install)".into());
    }
    eprintln!(
        "bench: installing openapi-generator-cli from PyPI into {}",
        venv.display()
    );
    let created = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success());
    if !created {
        return Err("`python3 -m venv` failed".into());
    }
    let installed = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "openapi-generator-cli"])
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        return Err("`pip install openapi-generator-cli` failed".into());
    }
    find_jar(&venv).map(|jar| (java, jar)).ok_or_else(|| {
        "the openapi-generator-cli wheel has no bundled openapi-generator.jar (it would have to \
         be downloaded from Maven Central, which is not reachable)"
            .into()
    })
}

fn find_jar(venv: &Path) -> Option<PathBuf> {
    let lib = std::fs::read_dir(venv.join("lib")).ok()?;
    lib.flatten()
        .map(|python| {
            python
                .path()
                .join("site-packages/openapi_generator_cli/openapi-generator.jar")
        })
        .find(|jar| jar.is_file())
}
