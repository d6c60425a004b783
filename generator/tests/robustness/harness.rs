//! Running the generator under a watchdog, checking what it emits, and running properties in
//! two modes: a bounded run in the test suite, and a time-boxed fuzzing run for
//! `cargo xtask fuzz` (`SDKGEN_FUZZ_SECONDS`).

use std::collections::BTreeSet;
use std::path::{Component, Path};
use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// How a guarded run ended, when it ended at all: `Ok(None)` when a crate was generated (and
/// passed [`check_output`]), `Ok(Some(diagnostics))` when the spec was rejected.
pub type Verdict = Option<String>;

/// The name of the test that, in a child process, runs one case (see [`child_entry`]).
pub const CHILD_TEST: &str = "guarded_child";

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Runs `sdkgen::generate` and [`check_output`] in a child process (this test binary, running
/// only [`CHILD_TEST`]) and waits at most `timeout`. A stack overflow or other abort then
/// fails one case instead of killing the run; a panic, a crash, a hang or invalid output is
/// returned as `Err(description)`.
pub fn generate_guarded(bytes: Vec<u8>, timeout: Duration) -> Result<Verdict, String> {
    let dir = scratch("in-flight");
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let input = dir.join(format!("{}-{n}.input", std::process::id()));
    let verdict = input.with_extension("verdict");
    std::fs::write(&input, &bytes).map_err(|e| format!("cannot write {}: {e}", input.display()))?;
    let _ = std::fs::remove_file(&verdict);
    let stderr_path = input.with_extension("stderr");
    let stderr_file = std::fs::File::create(&stderr_path)
        .map_err(|e| format!("cannot create {}: {e}", stderr_path.display()))?;
    let exe = std::env::current_exe().map_err(|e| format!("no current exe: {e}"))?;
    let mut child = std::process::Command::new(exe)
        .args([
            CHILD_TEST,
            "--exact",
            "--nocapture",
            "--test-threads",
            "1",
            "-q",
        ])
        .env("SDKGEN_CHILD_INPUT", &input)
        .env("SDKGEN_CHILD_VERDICT", &verdict)
        .env_remove("SDKGEN_FUZZ_SECONDS")
        .stdout(std::process::Stdio::null())
        .stderr(stderr_file)
        .spawn()
        .map_err(|e| format!("cannot start the child: {e}"))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the generator did not finish within {timeout:?} (input kept at {})",
                    input.display()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(format!("cannot wait for the child: {e}")),
        }
    };
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    let _ = std::fs::remove_file(&stderr_path);
    let written = std::fs::read_to_string(&verdict).ok();
    let _ = std::fs::remove_file(&verdict);
    match written {
        Some(text) if status.success() => {
            let _ = std::fs::remove_file(&input);
            match text.split_once('\n') {
                Some(("generated", _)) => Ok(None),
                Some(("rejected", diagnostics)) => Ok(Some(diagnostics.to_owned())),
                Some(("invalid", why)) => Err(why.to_owned()),
                _ => Err(format!("unreadable verdict: {text:?}")),
            }
        }
        _ => {
            let tail: String = stderr
                .lines()
                .filter(|l| !l.trim_start().starts_with("at ") && !l.contains(": 0x"))
                .take(12)
                .collect::<Vec<_>>()
                .join("\n  ");
            Err(format!(
                "the generator crashed ({status}; input kept at {}):\n  {tail}",
                input.display()
            ))
        }
    }
}

/// The child side of [`generate_guarded`]: a no-op unless `SDKGEN_CHILD_INPUT` is set.
pub fn child_entry() {
    let (Some(input), Some(verdict)) = (
        std::env::var_os("SDKGEN_CHILD_INPUT"),
        std::env::var_os("SDKGEN_CHILD_VERDICT"),
    ) else {
        return;
    };
    let bytes = std::fs::read(input).expect("the input is readable");
    let text = match sdkgen::generate(&bytes, "fuzz.yaml", &sdkgen::Config::named("robust-sdk")) {
        Ok(output) => match check_output(&output, false) {
            Ok(()) => "generated\n".to_owned(),
            Err(why) => format!("invalid\n{why}"),
        },
        Err(diagnostics) if diagnostics.0.is_empty() => {
            "invalid\ngeneration failed with no diagnostic at all".to_owned()
        }
        Err(diagnostics) if !diagnostics.has_errors() => {
            format!("invalid\ngeneration failed with warnings only:\n{diagnostics}")
        }
        Err(diagnostics) => format!("rejected\n{diagnostics}"),
    };
    std::fs::write(verdict, text).expect("the verdict is written");
}

/// `target/robustness/<name>/`, created.
pub fn scratch(name: &str) -> std::path::PathBuf {
    crate::scratch::dir(name)
}

/// Writes the crate to `target/robustness/<name>/` (with the spec beside it as `spec.json`)
/// and `cargo check`s it, all targets, in a target directory shared by every such check.
/// Fails on a compile error and on any warning in the generated code: computed imports and
/// qualified paths must leave nothing unused or ambiguous.
pub fn cargo_check(name: &str, output: &sdkgen::Output, spec: &[u8]) -> Result<(), String> {
    write_crate(name, output, spec)?;
    cargo(name, &["check"], &[])
}

/// Like [`cargo_check`], with clippy's default lints as errors (as CI lints generated crates).
pub fn cargo_clippy(name: &str, output: &sdkgen::Output, spec: &[u8]) -> Result<(), String> {
    write_crate(name, output, spec)?;
    cargo(name, &["clippy"], &[])
}

/// Like [`cargo_clippy`], then `cargo doc` with rustdoc's warnings denied: the crate's docs
/// (spec prose included) have no broken or ambiguous links, bare URLs or stray HTML.
pub fn cargo_clippy_and_doc(
    name: &str,
    output: &sdkgen::Output,
    spec: &[u8],
) -> Result<(), String> {
    write_crate(name, output, spec)?;
    cargo(name, &["clippy"], &[])?;
    cargo(name, &["doc"], &[])
}

/// Writes the crate like [`cargo_clippy`], then lints it once per entry of `features`, each a
/// `cargo` argument list such as `["--no-default-features", "--features", "pets"]`.
pub fn cargo_clippy_features(
    name: &str,
    output: &sdkgen::Output,
    spec: &[u8],
    features: &[Vec<String>],
) -> Result<(), String> {
    write_crate(name, output, spec)?;
    for args in features {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cargo(name, &["clippy"], &args).map_err(|e| format!("with {}: {e}", args.join(" ")))?;
    }
    Ok(())
}

/// Writes the crate to `target/robustness/<name>/`, its own workspace sharing this one's lock file.
fn write_crate(name: &str, output: &sdkgen::Output, spec: &[u8]) -> Result<(), String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = scratch(name);
    let _ = std::fs::remove_dir_all(&dir);
    sdkgen::output::write(&dir, &output.files).map_err(|e| format!("cannot write: {e}"))?;
    std::fs::write(dir.join("spec.json"), spec).map_err(|e| format!("cannot write: {e}"))?;
    // Not a member of this workspace; share its lock file so no resolution is needed.
    let manifest = dir.join("Cargo.toml");
    let mut cargo_toml = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    cargo_toml.push_str("\n[workspace]\n");
    std::fs::write(&manifest, cargo_toml).map_err(|e| e.to_string())?;
    let _ = std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock"));
    Ok(())
}

fn cargo(name: &str, command: &[&str], extra: &[&str]) -> Result<(), String> {
    let dir = scratch(name);
    let doc = command == ["doc"];
    let run = crate::scratch::cargo(&dir)
        .args(command)
        .args(if doc {
            &["--quiet", "--no-deps", "--message-format", "short"][..]
        } else {
            &["--quiet", "--all-targets", "--message-format", "short"][..]
        })
        .args(extra)
        .env("RUSTDOCFLAGS", "-D warnings")
        .args(if command == ["clippy"] {
            &["--", "-D", "warnings"][..]
        } else {
            &[]
        })
        .output()
        .map_err(|e| format!("cargo does not run: {e}"))?;
    let stderr = String::from_utf8_lossy(&run.stderr);
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains(": error") || line.contains(": warning"))
        .collect();
    println!(
        "{}: cargo {} {}: {}",
        dir.display(),
        command.join(" "),
        extra.join(" "),
        run.status
    );
    if run.status.success() && problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} (spec.json is next to it): {}\n  {}",
        dir.display(),
        run.status,
        if problems.is_empty() {
            stderr.lines().take(20).collect::<Vec<_>>().join("\n  ")
        } else {
            problems.join("\n  ")
        }
    ))
}

/// Checks everything a successful run emitted: every path is a plain relative path inside the
/// crate and unique, every `.rs` file parses with `syn`, `Cargo.toml` is TOML, and every
/// `mod name;` has its file.
pub fn check_output(output: &sdkgen::Output, parse_runtime: bool) -> Result<(), String> {
    let mut paths = BTreeSet::new();
    for file in &output.files {
        let path = Path::new(&file.path);
        if file.path.is_empty() || !path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(format!(
                "emitted a path that is not plain and relative: {:?}",
                file.path
            ));
        }
        if !paths.insert(file.path.clone()) {
            return Err(format!("emitted {:?} twice", file.path));
        }
    }
    for file in &output.files {
        // The runtime is copied verbatim (`include_str!`): parsing it once per run is enough.
        if file.path.starts_with("src/runtime/") && !parse_runtime {
            continue;
        }
        if file.path.ends_with(".rs") {
            // rustc rejects these in comments and literals (deny-by-default lints), so a file
            // that has one parses but does not compile.
            if let Some(c) = file
                .contents
                .chars()
                .find(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
            {
                return Err(format!(
                    "{} contains the bidi control U+{:04X}, which rustc rejects",
                    file.path, c as u32
                ));
            }
            let parsed = syn::parse_file(&file.contents).map_err(|e| {
                let kept = keep_for_inspection(&file.path, &file.contents);
                format!(
                    "{} does not parse as Rust: {e} (the file is kept at {kept})",
                    file.path
                )
            })?;
            check_modules(&file.path, &parsed, &paths)?;
            // The runtime is compiled on its own (and exports a macro and a module of the same
            // name, which this check, knowing nothing of namespaces, would mistake).
            if !file.path.starts_with("src/runtime/") {
                check_unique_names(&file.path, &parsed)?;
                check_docs(&file.path, &file.contents)?;
            }
        } else if file.path.ends_with(".toml") {
            file.contents
                .parse::<toml::Table>()
                .map_err(|e| format!("{} is not valid TOML: {e}", file.path))?;
        }
    }
    if !paths.contains("Cargo.toml") || !paths.contains("src/lib.rs") {
        return Err(format!("Cargo.toml or src/lib.rs missing: {paths:?}"));
    }
    Ok(())
}

/// No name is defined twice where rustc would refuse it: items and imports of a module in the
/// type namespace (E0255, E0428), and the methods and associated items of one type's inherent
/// impls in a file (E0592, E0201).
fn check_unique_names(path: &str, file: &syn::File) -> Result<(), String> {
    let mut types: BTreeSet<String> = BTreeSet::new();
    let mut members: BTreeSet<(String, String)> = BTreeSet::new();
    let mut define = |name: String| {
        let name = name.trim_start_matches("r#").to_owned();
        if types.insert(name.clone()) {
            Ok(())
        } else {
            Err(format!("{path} defines or imports `{name}` twice"))
        }
    };
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => define(s.ident.to_string())?,
            syn::Item::Enum(e) => define(e.ident.to_string())?,
            syn::Item::Union(u) => define(u.ident.to_string())?,
            syn::Item::Type(t) => define(t.ident.to_string())?,
            syn::Item::Trait(t) => define(t.ident.to_string())?,
            syn::Item::Mod(m) => define(m.ident.to_string())?,
            syn::Item::Use(u) => {
                for name in use_names(&u.tree) {
                    define(name)?;
                }
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let self_ty = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
                for member in &i.items {
                    let name = match member {
                        syn::ImplItem::Fn(f) => f.sig.ident.to_string(),
                        syn::ImplItem::Const(c) => c.ident.to_string(),
                        syn::ImplItem::Type(t) => t.ident.to_string(),
                        _ => continue,
                    };
                    let name = name.trim_start_matches("r#").to_owned();
                    if !members.insert((self_ty.clone(), name.clone())) {
                        return Err(format!("{path}: `{self_ty}` has two items named `{name}`"));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Doc comments are `/// text` (with the space), and the only code blocks rustdoc would compile
/// as doctests are the generator's own examples: one in `src/lib.rs`, one in `src/client.rs`.
/// Blocks are found as rustdoc finds them, with pulldown-cmark, so spec prose that would turn
/// into a doctest (and fail `cargo test --doc` of the generated crate) is caught here.
fn check_docs(path: &str, contents: &str) -> Result<(), String> {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut open = false;
    for line in contents.lines() {
        let trimmed = line.trim_start();
        let text = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"));
        match text {
            Some(text) => {
                if !(text.is_empty() || text.starts_with(' ')) {
                    return Err(format!("{path}: a doc line without a space: {line:?}"));
                }
                if !open {
                    blocks.push(Vec::new());
                }
                if let Some(block) = blocks.last_mut() {
                    block.push(text);
                }
                open = true;
            }
            None => open = false,
        }
    }
    let doctests: usize = blocks.iter().map(|block| rust_code_blocks(block)).sum();
    let expected = match path {
        "src/lib.rs" | "src/client.rs" => 1,
        _ => 0,
    };
    if doctests == expected {
        Ok(())
    } else {
        Err(format!(
            "{path} has {doctests} code blocks that rustdoc would compile, {expected} expected"
        ))
    }
}

/// How many code blocks of one doc comment rustdoc treats as Rust: indented blocks, and fences
/// whose info string is empty or has a token rustdoc knows.
fn rust_code_blocks(lines: &[&str]) -> usize {
    // rustdoc removes the indentation common to all lines before reading the Markdown.
    let common = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let text: String = lines
        .iter()
        .map(|l| l.get(common..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    pulldown_cmark::Parser::new(&text)
        .filter(|event| match event {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(kind)) => match kind {
                pulldown_cmark::CodeBlockKind::Indented => true,
                pulldown_cmark::CodeBlockKind::Fenced(info) => {
                    let tokens: Vec<&str> = info
                        .split(|c: char| c == ',' || c.is_whitespace())
                        .filter(|t| !t.is_empty())
                        .collect();
                    let known = |t: &&str| {
                        matches!(
                            *t,
                            "rust"
                                | "should_panic"
                                | "no_run"
                                | "ignore"
                                | "compile_fail"
                                | "test_harness"
                                | "standalone_crate"
                        ) || t.starts_with("edition")
                            || t.starts_with("ignore-")
                    };
                    tokens.iter().all(known) || tokens.iter().any(known)
                }
            },
            _ => false,
        })
        .count()
}

/// The names a `use` brings into scope (globs and `_` bring none by name).
fn use_names(tree: &syn::UseTree) -> Vec<String> {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree),
        syn::UseTree::Name(n) if n.ident == "self" => Vec::new(),
        syn::UseTree::Name(n) => vec![n.ident.to_string()],
        syn::UseTree::Rename(r) if r.rename == "_" => Vec::new(),
        syn::UseTree::Rename(r) => vec![r.rename.to_string()],
        syn::UseTree::Glob(_) => Vec::new(),
        syn::UseTree::Group(g) => g.items.iter().flat_map(use_names).collect(),
    }
}

/// Writes an invalid emitted file under `target/robustness/invalid/` and returns where.
fn keep_for_inspection(path: &str, contents: &str) -> String {
    let dir = scratch("invalid");
    let name = format!("{}-{}", std::process::id(), path.replace('/', "__"));
    let target = dir.join(name);
    let _ = std::fs::write(&target, contents);
    target.display().to_string()
}

/// Every out-of-line `mod name;` in `path` must have its file among `paths`.
fn check_modules(path: &str, file: &syn::File, paths: &BTreeSet<String>) -> Result<(), String> {
    let dir = if path.ends_with("/lib.rs") || path.ends_with("/mod.rs") || path == "lib.rs" {
        path.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned()
    } else {
        path.trim_end_matches(".rs").to_owned()
    };
    for item in &file.items {
        if let syn::Item::Mod(module) = item
            && module.content.is_none()
        {
            let name = module.ident.to_string();
            let name = name.strip_prefix("r#").unwrap_or(&name);
            let flat = format!("{dir}/{name}.rs");
            let nested = format!("{dir}/{name}/mod.rs");
            if !paths.contains(&flat) && !paths.contains(&nested) {
                return Err(format!(
                    "{path} declares `mod {name};` but neither {flat} nor {nested} was emitted"
                ));
            }
        }
    }
    Ok(())
}

/// The number of cases for a bounded run: `PROPTEST_CASES`, else `default`.
fn bounded_config(default: u32) -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default;
    }
    config
}

/// Runs a property. In the test suite: `PROPTEST_CASES` cases (default `default_cases`),
/// failing with the shrunk counterexample. With `SDKGEN_FUZZ_SECONDS=n` (set by
/// `cargo xtask fuzz`): batches of fresh random cases until the time is up, shrinking and
/// printing every failure, then one `fuzz-report:` line with the totals.
pub fn run_property<S>(
    target: &str,
    default_cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let fuzz_seconds = std::env::var("SDKGEN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok());
    let Some(seconds) = fuzz_seconds else {
        let config = bounded_config(default_cases);
        let cases = config.cases;
        let started = Instant::now();
        let mut runner = TestRunner::new(config);
        if let Err(error) = runner.run(&strategy, &test) {
            panic!("{target}: {error}");
        }
        println!(
            "{target}: {cases} cases passed in {} ms",
            started.elapsed().as_millis()
        );
        return;
    };

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let (mut cases, mut failures) = (0u64, 0u64);
    while Instant::now() < deadline {
        let mut tree = match strategy.new_tree(&mut runner) {
            Ok(tree) => tree,
            Err(reason) => {
                println!("{target}: cannot draw a case: {reason}");
                failures += 1;
                break;
            }
        };
        cases += 1;
        let Err(first) = run_case(&test, tree.current()) else {
            continue;
        };
        failures += 1;
        // Shrink (for at most a minute) to the smallest case that still fails, the way
        // proptest's own runner does.
        let (mut minimal, mut reason) = (format!("{:?}", tree.current()), first);
        let shrink_deadline = Instant::now() + Duration::from_secs(60);
        if tree.simplify() {
            while Instant::now() < shrink_deadline {
                let more = match run_case(&test, tree.current()) {
                    Err(r) => {
                        minimal = format!("{:?}", tree.current());
                        reason = r;
                        tree.simplify()
                    }
                    Ok(()) => tree.complicate(),
                };
                if !more {
                    break;
                }
            }
        }
        println!("{target}: FAILURE #{failures}: {reason}\n  minimal input: {minimal}");
    }
    println!("fuzz-report: target={target} cases={cases} failures={failures}");
    assert_eq!(
        failures, 0,
        "{target}: {failures} failing cases (see above)"
    );
}

fn run_case<T>(test: &impl Fn(T) -> Result<(), TestCaseError>, value: T) -> Result<(), String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(value))) {
        Ok(Ok(())) | Ok(Err(TestCaseError::Reject(_))) => Ok(()),
        Ok(Err(TestCaseError::Fail(reason))) => Err(reason.to_string()),
        Err(_) => Err("the test panicked".to_owned()),
    }
}
