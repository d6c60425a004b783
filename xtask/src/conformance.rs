//! `cargo xtask conformance`: every operation of every spec, called through the generated SDK
//! against Stoplight Prism serving that spec with request validation.
//!
//! Per spec: generate the crate into `target/conformance/<spec>/sdk`, write a smoke program
//! beside it (`…/smoke`, see [`smoke`]) that calls every operation with values from the spec's
//! examples or synthesized from its schemas ([`values`]), build it, start Prism on a free port
//! of 127.0.0.1 ([`prism`]), run the program and read what happened to each call ([`report`]):
//! whether Prism accepted the request (no `sl-violations` about it), and whether the SDK decoded
//! the static example and three seeded generated replies; a reply that does not decode is
//! checked against the spec's own response schema ([`reply_schema`]). All scratch crates share one
//! workspace and target dir, so dependencies are compiled once; the next spec builds while the
//! current one runs.

mod mock_spec;
mod pattern;
mod prism;
mod reply_schema;
mod report;
mod smoke;
mod twins;
mod undefined;
mod values;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use report::{SpecReport, Status};

/// `Application/JSON; charset=utf-8` → `application/json`: how a spec's media type keys and a
/// reply's `Content-Type` are compared.
fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase()
}

/// The longest one smoke program may run (all its calls together).
const RUN_TIMEOUT: Duration = Duration::from_secs(45 * 60);

/// Which specs to run.
pub struct Selection {
    /// `--spec FILE` (repeatable): just these.
    pub specs: Vec<PathBuf>,
    /// `--ci`: the fragment, the newest Clerk Backend API spec, and corpus specs under 64 KiB.
    pub ci: bool,
    /// `--all`: the fragment and every corpus spec; refused specs are rows of the table.
    pub all: bool,
    /// `--only TEXT`: of the selection, specs whose name contains this.
    pub only: Option<String>,
}

/// A spec to run, by the name the table shows.
struct SpecInput {
    name: String,
    path: PathBuf,
}

/// The corpus specs `--ci` takes besides the fragment and Clerk's: the small ones.
const CI_MAX_BYTES: u64 = 64 * 1024;

pub fn run(selection: Selection) -> Result<(), String> {
    let started = Instant::now();
    let root = super::root();
    let inputs = select(&root, &selection)?;
    if inputs.is_empty() {
        return Err("no spec selected".into());
    }
    let whole_corpus = selection.specs.is_empty() && !selection.ci && selection.only.is_none();
    let prism_bin = prism::install(&root)?;
    let scratch = root.join("target/conformance");
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;

    // Generate every crate and program first: the workspace lists them all.
    let mut prepared = Vec::new();
    let mut reports = Vec::new();
    for input in &inputs {
        let slug = slug(&input.name);
        let started = Instant::now();
        match prepare(&scratch, input, &slug) {
            Ok((program, mock_spec)) => {
                prepared.push((input, slug, program, mock_spec, started.elapsed()))
            }
            Err(message) => {
                eprintln!("== {}: not generated", input.name);
                // Specs the generator refuses are part of the table only when asked for.
                if selection.all || !selection.specs.is_empty() {
                    reports.push(SpecReport::failed(
                        &input.name,
                        Status::NotGenerated(message),
                    ));
                }
            }
        }
    }
    write_workspace(
        &root,
        &scratch,
        prepared.iter().map(|(_, slug, _, _, _)| slug.as_str()),
    )?;

    // Build on a thread, one smoke program after another, while the main thread runs the
    // ones already built.
    let (built_tx, built_rx) = mpsc::channel();
    let builds: Vec<(String, String)> = prepared
        .iter()
        .map(|(input, slug, _, _, _)| (input.name.clone(), slug.clone()))
        .collect();
    let build_dir = scratch.clone();
    let builder = std::thread::spawn(move || {
        for (name, slug) in builds {
            let started = Instant::now();
            let result = build(&build_dir, &slug);
            eprintln!(
                "== {name}: smoke program {} in {} s",
                if result.is_ok() {
                    "built"
                } else {
                    "failed to build"
                },
                started.elapsed().as_secs()
            );
            if built_tx.send((slug, result)).is_err() {
                break;
            }
        }
    });
    for (input, slug, program, mock_spec, _) in &prepared {
        let Ok((built_slug, result)) = built_rx.recv() else {
            return Err("the build thread stopped early".into());
        };
        debug_assert_eq!(&built_slug, slug);
        let report = match result {
            Err(message) => SpecReport::failed(&input.name, Status::NotBuilt(message)),
            Ok(binary) => {
                let started = Instant::now();
                let report = exercise(&prism_bin, input, mock_spec, &binary, program);
                eprintln!(
                    "== {}: {} operations exercised in {} s",
                    input.name,
                    program.operations.len(),
                    started.elapsed().as_secs()
                );
                report
            }
        };
        reports.push(report);
    }
    let _ = builder.join();

    reports.sort_by(|a, b| a.spec.cmp(&b.spec));
    let prism_version = prism_version(&prism_bin);
    let text = report::render(&reports, &prism_version);
    println!("{}", report::summary_table(&reports));
    std::fs::write(scratch.join("CONFORMANCE.md"), &text).map_err(|e| e.to_string())?;
    if whole_corpus {
        std::fs::write(root.join("CONFORMANCE.md"), &text).map_err(|e| e.to_string())?;
        println!("wrote CONFORMANCE.md");
    } else {
        println!("wrote {}", scratch.join("CONFORMANCE.md").display());
    }
    println!("conformance run took {} s", started.elapsed().as_secs());
    let failing: Vec<&str> = reports
        .iter()
        .filter(|r| !r.is_clean())
        .map(|r| r.spec.as_str())
        .collect();
    if failing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} of {} specs have operations that do not work on the wire: {}",
            failing.len(),
            reports.len(),
            failing.join(", ")
        ))
    }
}

/// The specs of the selection, named relative to the corpus (the fragment by its repository path).
fn select(root: &Path, selection: &Selection) -> Result<Vec<SpecInput>, String> {
    let fragment = SpecInput {
        name: "spec/clerk-organization-memberships.yaml".into(),
        path: root.join("spec/clerk-organization-memberships.yaml"),
    };
    let corpus = std::env::var_os("SDKGEN_SHARED_SPECS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/specs"));
    let mut inputs = Vec::new();
    if !selection.specs.is_empty() {
        for path in &selection.specs {
            if !path.is_file() {
                return Err(format!("no spec at {}", path.display()));
            }
            // Named relative to the corpus or the repository when inside one, as in the table.
            let absolute = path.canonicalize().unwrap_or_else(|_| path.clone());
            let name = [&corpus, root]
                .iter()
                .filter_map(|base| base.canonicalize().ok())
                .find_map(|base| absolute.strip_prefix(base).ok().map(Path::to_path_buf))
                .unwrap_or_else(|| path.clone());
            inputs.push(SpecInput {
                name: name.to_string_lossy().replace('\\', "/"),
                path: path.clone(),
            });
        }
    } else {
        inputs.push(fragment);
        if corpus.is_dir() {
            let mut files = Vec::new();
            super::corpus::collect(&corpus, &mut files);
            files.sort();
            let newest_clerk = super::shared_clerk_spec();
            for path in files {
                let small = std::fs::metadata(&path).is_ok_and(|m| m.len() <= CI_MAX_BYTES);
                if selection.ci && !small && newest_clerk.as_ref() != Some(&path) {
                    continue;
                }
                let name = path
                    .strip_prefix(&corpus)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                inputs.push(SpecInput { name, path });
            }
        } else {
            eprintln!(
                "skipping the corpus: no specs at {} (set SDKGEN_SHARED_SPECS)",
                corpus.display()
            );
        }
    }
    if let Some(only) = &selection.only {
        inputs.retain(|i| i.name.contains(only.as_str()));
    }
    Ok(inputs)
}

/// Generates the SDK and writes the smoke program of one spec.
/// Generates the crate and its smoke program; the program, and the spec file Prism serves
/// (see [`mock_spec`]).
fn prepare(
    scratch: &Path,
    input: &SpecInput,
    slug: &str,
) -> Result<(smoke::Program, PathBuf), String> {
    let crate_name = format!("conformance-{slug}");
    let mut job = sdkgen::Job::new(&input.path, Some(&crate_name), None)?;
    // The smoke program reads request values from JSON (`serde_json::from_str`), so the types
    // that requests send need `Deserialize` too; the SDK is otherwise the one users get.
    job.config.types.serde = sdkgen::config::SerdeDerives::Both;
    let output = job.run().map_err(|d| first_line(&d.to_string()))?;
    let dir = scratch.join(slug);
    sdkgen::output::write(&dir.join("sdk"), &output.files)
        .map_err(|e| format!("cannot write the crate: {e}"))?;

    // The model the crate was emitted from for the call surface, the raw document for values.
    let api = output.api;
    let bytes = std::fs::read(&input.path).map_err(|e| e.to_string())?;
    let spec = sdkgen::load::parse_value(&bytes, &input.name).map_err(|d| d.to_string())?;
    let program = smoke::program(&api, &spec);
    let mut mock = spec.clone();
    let mock_spec = if mock_spec::adapt_for_prism(&mut mock) > 0 {
        let path = dir.join("mock-spec.json");
        let text = serde_json::to_string(&mock).map_err(|e| e.to_string())?;
        write_if_changed(&path, &text)?;
        path
    } else {
        input.path.clone()
    };

    let smoke_dir = dir.join("smoke");
    std::fs::create_dir_all(smoke_dir.join("src")).map_err(|e| e.to_string())?;
    write_if_changed(
        &smoke_dir.join("Cargo.toml"),
        &smoke::manifest(&format!("smoke-{slug}"), &crate_name),
    )?;
    write_if_changed(&smoke_dir.join("src/main.rs"), &program.main_rs)?;
    Ok((program, mock_spec))
}

/// Writes a file unless it already holds `contents` (keeps cargo's fingerprints fresh).
fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The scratch workspace: every prepared SDK and smoke crate, one target dir, the
/// repository's lock file as the starting point so versions match what the repository tests.
fn write_workspace<'a>(
    root: &Path,
    scratch: &Path,
    slugs: impl Iterator<Item = &'a str>,
) -> Result<(), String> {
    let members: Vec<String> = slugs
        .flat_map(|slug| [format!("\"{slug}/sdk\""), format!("\"{slug}/smoke\"")])
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask conformance`.\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        members.join(", ")
    );
    write_if_changed(&scratch.join("Cargo.toml"), &manifest)?;
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Builds one smoke program; its binary, or the first compiler error.
fn build(scratch: &Path, slug: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let package = format!("smoke-{slug}");
    let output = Command::new(cargo)
        .args(["build", "--quiet", "-p", &package])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .skip_while(|l| !l.starts_with("error"))
            .take(12)
            .collect::<Vec<_>>()
            .join("\n");
        return Err(if first.is_empty() {
            stderr.chars().take(2000).collect()
        } else {
            first
        });
    }
    Ok(scratch.join("target/debug").join(&package))
}

/// Runs one smoke program against a fresh Prism serving the spec.
fn exercise(
    prism_bin: &Path,
    input: &SpecInput,
    mock_spec: &Path,
    binary: &Path,
    program: &smoke::Program,
) -> SpecReport {
    // A document without operations (OpenAPI 3.1 webhooks only) sends nothing, and Prism
    // refuses to serve a document without paths: the built SDK is the whole result.
    if program.operations.is_empty() {
        return SpecReport::failed(&input.name, Status::Ran);
    }
    let prism = match prism::Prism::start(prism_bin, mock_spec) {
        Ok(prism) => prism,
        Err(message) => {
            return SpecReport::failed(&input.name, Status::MockFailed(first_line(&message)));
        }
    };
    let child = Command::new(binary)
        .arg(&prism.url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            return SpecReport::failed(
                &input.name,
                Status::NotBuilt(format!("cannot run {}: {e}", binary.display())),
            );
        }
    };
    // Read output on threads so a chatty program never blocks on a full pipe.
    let stdout = child.stdout.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut s, &mut text);
            text
        })
    });
    let stderr = child.stderr.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut s, &mut text);
            text
        })
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > RUN_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => {
                prism.drain();
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(_) => break None,
        }
    };
    let stdout = stdout.and_then(|t| t.join().ok()).unwrap_or_default();
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    drop(prism);
    // Every call's line, for reading a failure in full.
    let _ = std::fs::write(binary_dir_calls(binary), &stdout);
    // The spec's own document, to check replies that do not decode against it.
    let document = std::fs::read(&input.path)
        .ok()
        .and_then(|bytes| sdkgen::load::parse_value(&bytes, &input.name).ok())
        .unwrap_or_default();
    let schemas = reply_schema::ReplySchemas::new(document);
    let mut report = report::analyze(&input.name, program, &stdout, &schemas);
    match status {
        Some(status) if status.success() => {}
        Some(status) => report.note(format!(
            "the smoke program ended with {status}: {}",
            first_line(&stderr)
        )),
        None => report.note(format!(
            "the smoke program did not finish within {} minutes",
            RUN_TIMEOUT.as_secs() / 60
        )),
    }
    report
}

/// `target/conformance/<slug>/calls.jsonl` for the smoke binary `…/target/debug/smoke-<slug>`.
fn binary_dir_calls(binary: &Path) -> PathBuf {
    let slug = binary
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("smoke-"))
        .unwrap_or("unknown");
    let scratch = binary
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    scratch.join(slug).join("calls.jsonl")
}

fn prism_version(bin: &Path) -> String {
    Command::new(bin)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn first_line(text: &str) -> String {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect()
}

/// A crate-name-safe folder name for a spec: `clerk/bapi-2026-05-12.yml` → `clerk-bapi-2026-05-12`.
fn slug(name: &str) -> String {
    let stem = name
        .trim_start_matches("spec/")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml");
    let json = stem.ends_with(".json");
    let stem = stem.trim_end_matches(".json");
    let mut slug: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if json {
        slug.push_str("-json");
    }
    // A leading `-` would read as an option to rustc.
    slug.trim_start_matches('-').to_owned()
}
