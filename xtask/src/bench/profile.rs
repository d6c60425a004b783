//! `--profile`: `perf record` of our generator on one spec, with a release build that keeps
//! line tables (in its own target dir, so the normal release binary is left alone), and the
//! top self and inclusive costs from `perf report` written to `target/bench/profile.txt`.

use std::path::Path;
use std::process::Command;

pub fn run(root: &Path, spec: &Path, label: &str) -> Result<String, String> {
    let bench = root.join("target/bench");
    let target = bench.join("profile-target");
    eprintln!("bench: building sdkgen (release + line tables) for profiling");
    let built = super::tools::release_build(root)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_PROFILE_RELEASE_DEBUG", "line-tables-only")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err("profiling build failed".into());
    }
    let binary = target.join("release/sdkgen");
    let data = bench.join("perf.data");
    let out = bench.join("profile-out");
    let _ = std::fs::remove_dir_all(&out);
    eprintln!("bench: perf record on {label}");
    let recorded = Command::new("perf")
        .args([
            "record",
            "-q",
            "-F",
            "4999",
            "--call-graph",
            "dwarf,16384",
            "-o",
        ])
        .arg(&data)
        .arg("--")
        .arg(&binary)
        .arg("generate")
        .arg(spec)
        .arg("--out")
        .arg(&out)
        .arg("--crate-name")
        .arg("bench-profile")
        .output()
        .map_err(|e| format!("perf is not runnable ({e}); install Debian's linux-perf"))?;
    if !recorded.status.success() {
        return Err(format!(
            "perf record failed: {}",
            String::from_utf8_lossy(&recorded.stderr).trim()
        ));
    }
    let mut text = format!(
        "perf profile of `sdkgen generate` on {label} ({})\n",
        spec.display()
    );
    for (title, children) in [
        ("self cost", "--no-children"),
        ("inclusive cost", "--children"),
    ] {
        let report = Command::new("perf")
            .args([
                "report",
                "--stdio",
                "-q",
                "-g",
                "none",
                "--percent-limit",
                "1.5",
            ])
            .arg(children)
            .args(["--sort", "symbol", "-i"])
            .arg(&data)
            .output()
            .map_err(|e| format!("perf report: {e}"))?;
        text.push_str(&format!("\n== {title} (symbols ≥ 1.5%)\n"));
        for line in String::from_utf8_lossy(&report.stdout)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(40)
        {
            // perf pads its columns; keep the percentages and the symbol.
            let line = line.trim_end().trim_end_matches(['-', ' ']);
            let line: String = line.chars().take(200).collect();
            text.push_str(&line);
            text.push('\n');
        }
    }
    std::fs::write(bench.join("profile.txt"), &text).map_err(|e| e.to_string())?;
    Ok(text)
}
