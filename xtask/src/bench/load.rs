//! Loading speed per byte: a YAML spec through the generator's parser (serde-saphyr) and through
//! serde_norway (libyaml translated to Rust), and the same document as JSON through serde_json.
//!
//! The JSON text is the YAML document's value written pretty-printed (as JSON specs are
//! published), so both formats carry the same content; each is timed per byte of its own text.

use std::path::Path;
use std::time::{Duration, Instant};

/// One parser on one document.
pub struct Row {
    pub input: String,
    pub parser: &'static str,
    pub bytes: usize,
    pub median: Duration,
    pub min: Duration,
}

impl Row {
    /// MiB of text per second, at the median.
    pub fn mib_per_s(&self) -> f64 {
        self.bytes as f64 / (1024.0 * 1024.0) / self.median.as_secs_f64().max(1e-9)
    }
}

/// Times each parser `runs` times on `path` (a YAML spec).
pub fn run(label: &str, path: &Path, runs: usize) -> Result<Vec<Row>, String> {
    let yaml = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value = sdkgen::load::parse_value(&yaml, label).map_err(|d| d.to_string())?;
    let json = serde_json::to_vec_pretty(&value).map_err(|e| e.to_string())?;
    drop(value);
    let time = |parse: &dyn Fn() -> Result<(), String>| -> Result<(Duration, Duration), String> {
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs.max(1) {
            let started = Instant::now();
            parse()?;
            times.push(started.elapsed());
        }
        times.sort_unstable();
        Ok((times[times.len() / 2], times[0]))
    };
    let saphyr = || {
        sdkgen::load::parse_value(&yaml, label)
            .map(drop)
            .map_err(|d| d.to_string())
    };
    let norway = || {
        serde_norway::from_slice::<serde_json::Value>(&yaml)
            .map(drop)
            .map_err(|e| e.to_string())
    };
    let serde_json = || {
        sdkgen::load::parse_value(&json, label)
            .map(drop)
            .map_err(|d| d.to_string())
    };
    let mut rows = Vec::new();
    for (parser, bytes, parse) in [
        (
            "YAML: serde-saphyr (the generator's)",
            yaml.len(),
            &saphyr as &dyn Fn() -> Result<(), String>,
        ),
        ("YAML: serde_norway (libyaml)", yaml.len(), &norway),
        (
            "JSON: serde_json (the generator's)",
            json.len(),
            &serde_json,
        ),
    ] {
        let (median, min) = time(parse)?;
        rows.push(Row {
            input: label.to_owned(),
            parser,
            bytes,
            median,
            min,
        });
    }
    Ok(rows)
}

/// The Markdown section: one row per parser and document, and YAML's cost per byte over JSON's.
pub fn render(rows: &[Row]) -> String {
    use std::fmt::Write as _;
    let mut md = String::from(
        "\n## Loading: YAML vs JSON\n\nText → `serde_json::Value`, in process, median / min of the runs; the JSON is the YAML document's value pretty-printed. \
         Per byte = this parser's time per byte over serde_json's on the same document.\n\n\
         | input | parser | KiB | median ms | min ms | MiB/s | per byte vs JSON |\n|---|---|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
        let json = rows
            .iter()
            .find(|r| r.input == row.input && r.parser.starts_with("JSON"));
        let per_byte = json.map_or("—".to_owned(), |json| {
            format!("{:.1}×", json.mib_per_s() / row.mib_per_s())
        });
        let _ = writeln!(
            md,
            "| {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {per_byte} |",
            row.input,
            row.parser,
            row.bytes as f64 / 1024.0,
            row.median.as_secs_f64() * 1000.0,
            row.min.as_secs_f64() * 1000.0,
            row.mib_per_s(),
        );
    }
    md
}
