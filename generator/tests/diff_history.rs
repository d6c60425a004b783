//! `sdkgen diff` on the real history of Clerk's Backend API (`spec-history/clerk`, next to
//! `$SDKGEN_SHARED_SPECS`): the full report of each consecutive revision, as a reviewed
//! snapshot. The specs are read at test time; the snapshots hold names and JSON pointers from
//! them, never their prose (the report says "docs changed" only).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sdkgen::Config;
use sdkgen::diff::{Effect, Format, Labels, Report};

/// The revisions, oldest first: 2026-05-28 → 2026-06-16 → 2026-07-06 → 2026-08-14 (the current
/// file under `specs/clerk`), and the previous API version 2025-11-10 → 2026-05-12.
const PAIRS: [(&str, &str, &str); 4] = [
    (
        "2026-05-28_to_2026-06-16",
        "history:bapi-2026-05-12@2026-05-28.yml",
        "history:bapi-2026-05-12@2026-06-16.yml",
    ),
    (
        "2026-06-16_to_2026-07-06",
        "history:bapi-2026-05-12@2026-06-16.yml",
        "history:bapi-2026-05-12@2026-07-06.yml",
    ),
    (
        "2026-07-06_to_2026-08-14",
        "history:bapi-2026-05-12@2026-07-06.yml",
        "specs:bapi-2026-05-12.yml",
    ),
    (
        "2025-11-10_to_2026-05-12",
        "history:bapi-2025-11-10.yml",
        "specs:bapi-2026-05-12.yml",
    ),
];

/// Where a `history:` or `specs:` name is, or why the test cannot run.
fn locate(name: &str) -> Result<PathBuf, String> {
    let specs = std::env::var_os("SDKGEN_SHARED_SPECS").ok_or("SDKGEN_SHARED_SPECS is not set")?;
    let specs = PathBuf::from(specs);
    let path = match name.split_once(':') {
        Some(("history", file)) => specs
            .parent()
            .map(|p| p.join("spec-history/clerk").join(file))
            .ok_or("SDKGEN_SHARED_SPECS has no parent folder")?,
        Some(("specs", file)) => specs.join("clerk").join(file),
        _ => unreachable!("{name}"),
    };
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("{} is absent", path.display()))
    }
}

fn model(path: &Path) -> sdkgen::model::Api {
    sdkgen::model_of(path, &Config::named("clerk"))
        .unwrap_or_else(|e| panic!("{} does not build: {e}", path.display()))
}

/// The report of one pair, or `None` (with a printed reason) when the specs are absent. Built
/// once per test binary: each model build of a full Clerk spec takes seconds in debug.
fn pair(old: &str, new: &str) -> Option<&'static (Report, Labels)> {
    static REPORTS: OnceLock<Vec<Option<(Report, Labels)>>> = OnceLock::new();
    let reports = REPORTS.get_or_init(|| PAIRS.iter().map(|(_, o, n)| build(o, n)).collect());
    let at = PAIRS
        .iter()
        .position(|(_, o, n)| (*o, *n) == (old, new))
        .expect("a pair of PAIRS");
    let found = reports[at].as_ref();
    if found.is_none() {
        println!("skipping: the specs of {old} → {new} are absent");
    }
    found
}

fn build(old: &str, new: &str) -> Option<(Report, Labels)> {
    let (old_path, new_path) = match (locate(old), locate(new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            println!("skipping: {e}");
            return None;
        }
    };
    let report = sdkgen::diff::diff(&model(&old_path), &model(&new_path));
    let file = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let labels = Labels {
        old: file(&old_path),
        new: file(&new_path),
        version: Some("0.1.0".to_owned()),
    };
    Some((report, labels))
}

#[test]
fn reports_of_the_clerk_history() {
    for (name, old, new) in PAIRS {
        let Some((report, labels)) = pair(old, new) else {
            return;
        };
        insta::assert_snapshot!(
            format!("diff_history_{name}"),
            report.render(Format::Text, labels)
        );
    }
}

#[test]
fn markdown_of_the_new_api_version_fits_a_pull_request_comment() {
    let (_, old, new) = PAIRS[3];
    let Some((report, labels)) = pair(old, new) else {
        return;
    };
    let markdown = report.render(Format::Markdown, labels);
    // GitHub refuses comments over 65,536 characters.
    assert!(markdown.len() < 65_536, "{} characters", markdown.len());
    assert!(markdown.contains("<details>"), "long sections fold");
    // Every breaking entry is named, even when sections fold.
    let breaking = report.count(Effect::Breaking);
    assert!(breaking > 0);
    assert!(markdown.contains(&format!("({breaking})")), "{markdown}");
}

#[test]
fn json_of_the_history_round_trips_its_counts() {
    for (_, old, new) in PAIRS {
        let Some((report, labels)) = pair(old, new) else {
            return;
        };
        let json: serde_json::Value =
            serde_json::from_str(&report.render(Format::Json, labels)).expect("valid JSON");
        let changes = json["changes"].as_array().expect("a changes array");
        assert_eq!(changes.len(), report.changes.len());
        for change in changes {
            for key in ["kind", "effect", "item", "detail"] {
                assert!(change.get(key).is_some(), "{key} missing in {change}");
            }
        }
    }
}

#[test]
fn the_history_keeps_the_specs_prose_out() {
    // A description sentence from the spec would show up as a long run of words; the report
    // only ever names items, types, pointers and values.
    for (_, old, new) in PAIRS {
        let Some((report, _)) = pair(old, new) else {
            return;
        };
        for change in &report.changes {
            let words = change.detail.split_whitespace().count();
            assert!(
                words <= 24,
                "{}: {} reads like prose: {}",
                change.item,
                change.kind.label(),
                change.detail
            );
        }
    }
}
