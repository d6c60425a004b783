//! A report as text (terminals), Markdown (pull-request comments) or JSON (tools), each opening
//! with the same one-paragraph summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::Report;
use super::change::{Change, Effect, Kind};
use super::semver::Bump;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text for a terminal.
    Text,
    /// GitHub-flavoured Markdown for a pull-request comment.
    Markdown,
    /// JSON for tools.
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "text" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!(
                "unknown format `{other}`: use text, markdown or json"
            )),
        }
    }
}

/// How a report names what it compares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labels {
    /// The old side, e.g. a spec path.
    pub old: String,
    /// The new side.
    pub new: String,
    /// The crate's current version, to name the next one.
    pub version: Option<String>,
}

/// GitHub refuses comments over 65,536 characters; stay well under.
const MARKDOWN_BUDGET: usize = 60_000;

/// Sections longer than this are folded into `<details>` in Markdown.
const FOLD_AFTER: usize = 10;

pub(super) fn render(report: &Report, format: Format, labels: &Labels) -> String {
    match format {
        Format::Text => text(report, labels),
        Format::Markdown => markdown(report, labels),
        Format::Json => json(report, labels),
    }
}

/// The opening paragraph: the release needed, then what breaks, what breaks only on the wire,
/// what is compatible and what is documentation, each with its most frequent kinds.
pub(super) fn summary(report: &Report, labels: &Labels) -> String {
    let bump = report.bump();
    if bump == Bump::None {
        return "No change: the generated crate's API, its requests and replies, and its \
                documentation stay the same."
            .to_owned();
    }
    let version = labels
        .version
        .as_deref()
        .and_then(|v| bump.next(v).map(|next| format!(" ({v} → {next})")))
        .unwrap_or_default();
    let mut text = format!("This change needs a {} release{version}.", bump.word());
    for effect in Effect::ALL {
        let changes: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.effect == effect)
            .collect();
        let n = changes.len();
        if n == 0 {
            continue;
        }
        let kinds = top_kinds(&changes);
        let sentence = match effect {
            Effect::Breaking => format!(
                "{} code that uses the crate ({kinds}).",
                counted(n, "change breaks", "changes break")
            ),
            Effect::Wire => format!(
                "{} what goes over the wire while the Rust API stays the same ({kinds}): a \
                 client built from one spec can fail against a server that follows the other, \
                 which Cargo's rules do not cover, so say it in the release notes.",
                counted(n, "change alters", "changes alter")
            ),
            Effect::Compatible => format!(
                "{} compatible ({kinds}).",
                counted(n, "change is", "changes are")
            ),
            Effect::Docs => format!(
                "{} only the documentation.",
                counted(n, "change touches", "changes touch")
            ),
        };
        text.push(' ');
        text.push_str(&sentence);
    }
    text
}

/// "1 change breaks", "3 changes break".
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The most frequent kinds: "operation removed ×2, field removed".
fn top_kinds(changes: &[&Change]) -> String {
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    for change in changes {
        *counts.entry(change.kind).or_default() += 1;
    }
    let mut counts: Vec<(Kind, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let shown: Vec<String> = counts
        .iter()
        .take(4)
        .map(|(kind, n)| match n {
            1 => kind.label().to_owned(),
            n => format!("{} ×{n}", kind.label()),
        })
        .collect();
    let rest = counts.len().saturating_sub(4);
    match rest {
        0 => shown.join(", "),
        n => format!("{}, and {n} more kinds", shown.join(", ")),
    }
}

fn sections(report: &Report) -> Vec<(Effect, Vec<&Change>)> {
    Effect::ALL
        .iter()
        .map(|&effect| {
            let changes = report
                .changes
                .iter()
                .filter(|c| c.effect == effect)
                .collect();
            (effect, changes)
        })
        .filter(|(_, changes): &(Effect, Vec<&Change>)| !changes.is_empty())
        .collect()
}

/// Where an entry is in the specs: one pointer when both sides agree.
fn location(change: &Change, quote: fn(&str) -> String) -> String {
    match (&change.old, &change.new) {
        (Some(old), Some(new)) if old == new => quote(old),
        (Some(old), Some(new)) => format!("{} → {}", quote(old), quote(new)),
        (Some(old), None) => format!("{} → none", quote(old)),
        (None, Some(new)) => format!("none → {}", quote(new)),
        (None, None) => String::new(),
    }
}

fn text(report: &Report, labels: &Labels) -> String {
    let mut out = format!("sdkgen diff: {} → {}\n\n", labels.old, labels.new);
    out.push_str(&wrap(&summary(report, labels), 100));
    out.push('\n');
    for (effect, changes) in sections(report) {
        let _ = write!(out, "\n{} ({})\n", effect.heading(), changes.len());
        for change in changes {
            let detail = if change.detail.is_empty() {
                String::new()
            } else {
                format!(": {}", change.detail)
            };
            let _ = writeln!(out, "  - {} — {}{detail}", change.item, change.kind.label());
            let _ = writeln!(out, "      {}", location(change, str::to_owned));
        }
    }
    out
}

/// How many breaking entries [`brief`] lists.
const BRIEF_ENTRIES: usize = 20;

pub(super) fn brief(report: &Report, labels: &Labels) -> String {
    let mut out = format!(
        "what changed ({} → {}):
",
        labels.old, labels.new
    );
    for line in wrap(&summary(report, labels), 96).lines() {
        let _ = writeln!(out, "  {line}");
    }
    let breaking: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.effect.is_breaking())
        .collect();
    for change in breaking.iter().take(BRIEF_ENTRIES) {
        let tag = match change.effect {
            Effect::Breaking => "breaking",
            _ => "wire",
        };
        let detail = if change.detail.is_empty() {
            String::new()
        } else {
            format!(": {}", change.detail)
        };
        let _ = writeln!(
            out,
            "  - {tag}: {} — {}{detail}",
            change.item,
            change.kind.label()
        );
    }
    if breaking.len() > BRIEF_ENTRIES {
        let _ = writeln!(
            out,
            "  … and {} more; `sdkgen diff OLD NEW` prints every entry",
            breaking.len() - BRIEF_ENTRIES
        );
    }
    out
}

/// Greedy word wrap.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + 1 + word.chars().count() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.chars().count();
    }
    out
}

fn markdown(report: &Report, labels: &Labels) -> String {
    // Shorten the longest sections until the comment fits.
    for limit in [usize::MAX, 400, 200, 100, 50, 20] {
        let text = markdown_with(report, labels, limit);
        if text.len() <= MARKDOWN_BUDGET {
            return text;
        }
    }
    markdown_with(report, labels, 10)
}

fn markdown_with(report: &Report, labels: &Labels, limit: usize) -> String {
    let mut out = format!(
        "### sdkgen diff: `{}` → `{}`\n\n{}\n",
        labels.old,
        labels.new,
        summary(report, labels)
    );
    for (effect, changes) in sections(report) {
        let _ = write!(out, "\n#### {} ({})\n\n", effect.heading(), changes.len());
        let fold = changes.len() > FOLD_AFTER || effect == Effect::Docs;
        if fold {
            let _ = write!(
                out,
                "<details><summary>{} {}</summary>\n\n",
                changes.len(),
                if changes.len() == 1 {
                    "change"
                } else {
                    "changes"
                }
            );
        }
        out.push_str("| Change | Item | Detail | In the spec |\n|---|---|---|---|\n");
        for change in changes.iter().take(limit) {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} |",
                change.kind.label(),
                cell(&change.item),
                cell(&change.detail),
                cell(&location(change, |p| format!("`{p}`")))
            );
        }
        if changes.len() > limit {
            let _ = writeln!(
                out,
                "| … | {} more | | run `sdkgen diff --format text` for every entry |",
                changes.len() - limit
            );
        }
        if fold {
            out.push_str("\n</details>\n");
        }
    }
    out
}

/// Table cells cannot hold `|` or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    old: &'a str,
    new: &'a str,
    bump: Bump,
    version: Option<Versions<'a>>,
    summary: String,
    counts: BTreeMap<Effect, usize>,
    changes: &'a [Change],
}

#[derive(Serialize)]
struct Versions<'a> {
    from: &'a str,
    to: String,
}

fn json(report: &Report, labels: &Labels) -> String {
    let bump = report.bump();
    let version = labels
        .version
        .as_deref()
        .and_then(|from| bump.next(from).map(|to| Versions { from, to }));
    let counts = Effect::ALL.iter().map(|&e| (e, report.count(e))).collect();
    let value = JsonReport {
        old: &labels.old,
        new: &labels.new,
        bump,
        version,
        summary: summary(report, labels),
        counts,
        changes: &report.changes,
    };
    // Plain data with string keys: serializing cannot fail.
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
