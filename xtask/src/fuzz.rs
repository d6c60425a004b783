//! `cargo xtask fuzz --minutes N`: the robustness properties of the test suite, run for N
//! minutes instead of a bounded number of cases.
//!
//! Each target is one proptest property that also runs (bounded) in `cargo test`; here its test
//! binary is started with `SDKGEN_FUZZ_SECONDS`, which switches the property to batches of
//! fresh random cases until the time is up, shrinking and printing every failure and ending
//! with a `fuzz-report: target=… cases=… failures=…` line. The minutes are shared between the
//! targets by weight. Builds use the release profile (more cases per minute) unless
//! `SDKGEN_FUZZ_PROFILE=debug`; build time is not counted.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

struct Target {
    name: &'static str,
    package: &'static str,
    test: &'static str,
    property: &'static str,
    /// Share of the time budget, in percent.
    weight: u64,
}

const TARGETS: &[Target] = &[
    Target {
        name: "generator: random OpenAPI documents",
        package: "sdkgen",
        test: "robustness",
        property: "random_documents_never_panic_and_emit_valid_rust",
        weight: 50,
    },
    Target {
        name: "generator: mutated corpus specs",
        package: "sdkgen",
        test: "robustness",
        property: "corpus_mutations_never_panic_or_hang",
        weight: 30,
    },
    Target {
        name: "SDK: hostile replies",
        package: "clerk-backend",
        test: "hostile_replies",
        property: "random_replies_give_a_value_or_a_typed_error",
        weight: 20,
    },
];

/// What one target's run reported.
struct Report {
    name: &'static str,
    cases: u64,
    failures: u64,
    passed: bool,
}

pub fn run(minutes: u64) -> Result<(), String> {
    if minutes == 0 {
        return Err("--minutes must be at least 1".into());
    }
    let release = std::env::var("SDKGEN_FUZZ_PROFILE").map_or(true, |p| p != "debug");
    let root = crate::root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let profile: &[&str] = if release { &["--release"] } else { &[] };

    println!(
        "fuzz: building the test binaries ({} profile)",
        if release { "release" } else { "debug" }
    );
    let mut build = Command::new(&cargo);
    build
        .current_dir(&root)
        .args(["test", "--no-run"])
        .args(profile)
        .args(["-p", "sdkgen", "--test", "robustness"])
        .args(["-p", "clerk-backend", "--test", "hostile_replies"]);
    let status = build
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building the fuzz targets failed ({status})"));
    }

    let budget = minutes * 60;
    let started = Instant::now();
    let mut reports = Vec::new();
    for target in TARGETS {
        let seconds = (budget * target.weight / 100).max(10);
        println!(
            "\nfuzz: {} for {seconds} s ({} {} {})",
            target.name, target.package, target.test, target.property
        );
        let mut child = Command::new(&cargo)
            .current_dir(&root)
            .args(["test", "-q"])
            .args(profile)
            .args(["-p", target.package, "--test", target.test, "--"])
            .args([target.property, "--exact", "--nocapture"])
            .env("SDKGEN_FUZZ_SECONDS", seconds.to_string())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let mut report = Report {
            name: target.name,
            cases: 0,
            failures: 0,
            passed: false,
        };
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("  {line}");
                if let Some(fields) = line.strip_prefix("fuzz-report: ") {
                    for field in fields.split_whitespace() {
                        if let Some(n) = field.strip_prefix("cases=") {
                            report.cases += n.parse::<u64>().unwrap_or(0);
                        } else if let Some(n) = field.strip_prefix("failures=") {
                            report.failures += n.parse::<u64>().unwrap_or(0);
                        }
                    }
                }
            }
        }
        let status = child
            .wait()
            .map_err(|e| format!("cannot wait for cargo: {e}"))?;
        report.passed = status.success() && report.failures == 0 && report.cases > 0;
        if !status.success() && report.failures == 0 {
            // A crash of the test binary itself, or a build problem: count it.
            report.failures = 1;
        }
        reports.push(report);
    }

    println!(
        "\nfuzz: {} min budget, {} s spent",
        minutes,
        started.elapsed().as_secs()
    );
    println!("{:<40} {:>10} {:>9}", "target", "cases", "failures");
    for r in &reports {
        println!("{:<40} {:>10} {:>9}", r.name, r.cases, r.failures);
    }
    let cases: u64 = reports.iter().map(|r| r.cases).sum();
    let failures: u64 = reports.iter().map(|r| r.failures).sum();
    println!("{:<40} {:>10} {:>9}", "total", cases, failures);
    if reports.iter().all(|r| r.passed) {
        Ok(())
    } else {
        Err(format!(
            "fuzz: {failures} failure(s); the shrunk inputs are printed above, and crashing \
             generator inputs are kept under target/robustness/in-flight/"
        ))
    }
}
