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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/robustness")
        .join(name);
    let _ = std::fs::create_dir_all(&dir);
    dir
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
