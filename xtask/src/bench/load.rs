//! Loading speed per byte: a YAML spec through the generator's parser (serde-saphyr), through
//! serde_norway (libyaml translated to Rust) and through yaml-rust2 (its tree converted to a
//! `serde_json::Value`, as the generator would have to), and the same document as JSON through
//! serde_json.
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
    /// Median and min of the runs, or why the parser refused the document.
    pub times: Result<(Duration, Duration), String>,
}

impl Row {
    /// MiB of text per second, at the median.
    pub fn mib_per_s(&self) -> Option<f64> {
        let (median, _) = self.times.as_ref().ok()?;
        Some(self.bytes as f64 / (1024.0 * 1024.0) / median.as_secs_f64().max(1e-9))
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
    let yaml_rust2 = || {
        let text = std::str::from_utf8(&yaml).map_err(|e| e.to_string())?;
        let docs = yaml_rust2::YamlLoader::load_from_str(text).map_err(|e| e.to_string())?;
        let doc = docs.into_iter().next().ok_or("no YAML document")?;
        yaml_rust2_value(doc).map(drop)
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
        ("YAML: yaml-rust2", yaml.len(), &yaml_rust2),
        (
            "JSON: serde_json (the generator's)",
            json.len(),
            &serde_json,
        ),
    ] {
        rows.push(Row {
            input: label.to_owned(),
            parser,
            bytes,
            times: time(parse),
        });
    }
    Ok(rows)
}

/// yaml-rust2's tree as the `serde_json::Value` the generator reads; scalar keys become
/// strings, and anchors were resolved by the loader.
fn yaml_rust2_value(yaml: yaml_rust2::Yaml) -> Result<serde_json::Value, String> {
    use serde_json::Value;
    use yaml_rust2::Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::from(i),
        Yaml::Real(text) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::String(text), Value::Number),
        Yaml::String(text) => Value::String(text),
        Yaml::Array(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_rust2_value)
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Hash(entries) => Value::Object(
            entries
                .into_iter()
                .map(|(key, value)| {
                    // Unquoted `200:` is an integer key; JSON has only strings.
                    let key = match key {
                        Yaml::String(key) | Yaml::Real(key) => key,
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        other => return Err(format!("a key that is not a scalar: {other:?}")),
                    };
                    Ok((key, yaml_rust2_value(value)?))
                })
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Alias(_) | Yaml::BadValue => return Err("an unresolved alias or a bad value".into()),
    })
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
        let kib = row.bytes as f64 / 1024.0;
        let (median, min) = match &row.times {
            Ok(times) => times,
            Err(why) => {
                let why = why.replace('|', "\\|");
                let _ = writeln!(
                    md,
                    "| {} | {} | {kib:.0} | fails: {why} | | | |",
                    row.input, row.parser
                );
                continue;
            }
        };
        let json = rows
            .iter()
            .find(|r| r.input == row.input && r.parser.starts_with("JSON"))
            .and_then(Row::mib_per_s);
        let speed = row.mib_per_s().unwrap_or_default();
        let per_byte = json.map_or("—".to_owned(), |json| format!("{:.1}×", json / speed));
        let _ = writeln!(
            md,
            "| {} | {} | {kib:.0} | {:.1} | {:.1} | {speed:.1} | {per_byte} |",
            row.input,
            row.parser,
            median.as_secs_f64() * 1000.0,
            min.as_secs_f64() * 1000.0,
        );
    }
    md
}
