//! Spec prose → rustdoc attributes that neither break rustdoc nor turn into doctests.
//!
//! Every doc comment of the generated crate is written here: [`doc_attrs`] and
//! [`inner_doc_attrs`] for prose, [`Doc`] for prose with a code example. Prose, the spec's or
//! the generator's, always goes through [`sanitize`]; only [`Doc::example`] writes a block that
//! rustdoc compiles.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Docs;

/// `#[doc = "…"]` attributes, one per line, so prettyplease prints them as `/// …` lines.
pub fn doc_attrs(text: &str) -> TokenStream {
    Doc::new().prose(text).outer()
}

/// Like [`doc_attrs`], with `fallback` when `text` has nothing to show (the generated crate
/// denies missing docs).
pub fn doc_attrs_or(text: &str, fallback: &str) -> TokenStream {
    if sanitize(text).is_empty() {
        doc_attrs(fallback)
    } else {
        doc_attrs(text)
    }
}

/// `#![doc = "…"]` attributes (module and crate docs), printed as `//! …` lines.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    Doc::new().prose(text).inner()
}

/// Documentation built from paragraphs of prose and code examples.
#[derive(Debug, Default)]
pub struct Doc {
    lines: Vec<String>,
}

impl Doc {
    pub fn new() -> Self {
        Self::default()
    }

    /// A paragraph (or several) of prose, sanitized; nothing when it is empty.
    pub fn prose(mut self, text: &str) -> Self {
        let lines = sanitize(text);
        if !lines.is_empty() {
            self.separate();
            self.lines.extend(lines);
        }
        self
    }

    /// A `no_run` code example that `cargo test --doc` compiles: the generator's own code,
    /// never the spec's.
    pub fn example(mut self, code: &str) -> Self {
        self.separate();
        self.lines.push("```no_run".to_owned());
        self.lines.extend(code.lines().map(str::to_owned));
        self.lines.push("```".to_owned());
        self
    }

    fn separate(&mut self) {
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
    }

    /// As `///` lines.
    pub fn outer(&self) -> TokenStream {
        let attrs = self.spaced().map(|line| quote!(#[doc = #line]));
        quote!(#(#attrs)*)
    }

    /// As `//!` lines.
    pub fn inner(&self) -> TokenStream {
        let attrs = self.spaced().map(|line| quote!(#![doc = #line]));
        quote!(#(#attrs)*)
    }

    /// Each line with the space that follows `///` (none on an empty line).
    fn spaced(&self) -> impl Iterator<Item = String> + '_ {
        self.lines.iter().map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
    }
}

/// `text` as a Markdown code span: backticks inside would end it early.
pub fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

/// Joins paragraphs, skipping empty ones.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The prose for a field or parameter: description, then default, bounds and example.
pub fn describe(docs: &Docs) -> String {
    let mut facts = Vec::new();
    if let Some(default) = &docs.default {
        facts.push(format!("Default: `{}`.", compact(default)));
    }
    match (docs.minimum, docs.maximum) {
        (Some(min), Some(max)) => facts.push(format!("Range: {}..={}.", number(min), number(max))),
        (Some(min), None) => facts.push(format!("Minimum: {}.", number(min))),
        (None, Some(max)) => facts.push(format!("Maximum: {}.", number(max))),
        (None, None) => {}
    }
    if let Some(example) = &docs.example {
        facts.push(format!("Example: `{}`.", compact(example)));
    }
    let facts = facts.join(" ");
    paragraphs([
        docs.summary.as_deref(),
        docs.description.as_deref(),
        Some(facts.as_str()),
    ])
}

fn compact(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.replace('`', "'"),
        other => other.to_string().replace('`', "'"),
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Cleans Markdown for rustdoc: code fences whose info string rustdoc reads as Rust (none, or
/// `rust`, `no_run`, `ignore`, …) become `text` (rustdoc would compile them as doctests), deep
/// indentation is capped (four spaces would start an indented code block, also a doctest),
/// and trailing whitespace goes.
fn sanitize(text: &str) -> Vec<String> {
    let mut fence: Option<(char, usize)> = None;
    let mut list_indent: Option<usize> = None;
    let mut out = Vec::new();
    // Tabs go first, so indentation is measured in spaces (clippy's `tabs_in_doc_comments`
    // refuses them anyway).
    let text = text.replace('\t', "    ");
    for line in text.trim_end().lines() {
        let trimmed = line.trim_start();
        if let Some((marker, len)) = fence {
            let run = trimmed.chars().take_while(|&c| c == marker).count();
            if run >= len && trimmed[run * marker.len_utf8()..].trim().is_empty() {
                fence = None;
                out.push(trimmed.trim_end().to_owned());
            } else {
                out.push(line.trim_end().to_owned());
            }
            continue;
        }
        if let Some((marker, len, info)) = fence_opening(trimmed) {
            fence = Some((marker, len));
            let info = if rustdoc_tests(info) {
                "text"
            } else {
                info.trim()
            };
            out.push(format!("{}{info}", marker.to_string().repeat(len)));
            continue;
        }
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() {
            list_indent = None;
        } else if let Some(marker) = list_marker(trimmed) {
            list_indent = Some(indent.min(3) + marker);
        } else if let Some(needed) = list_indent {
            // A continuation of a list item, lazy or indented by the item's own indentation:
            // indent it exactly under the item's text, as rustdoc (and clippy's
            // `doc_lazy_continuation`) expect; other indentation is clamped below.
            out.push(format!("{}{}", " ".repeat(needed), trimmed.trim_end()));
            continue;
        }
        out.push(format!(
            "{}{}",
            " ".repeat(indent.min(3)),
            trimmed.trim_end()
        ));
    }
    if let Some((marker, len)) = fence {
        out.push(marker.to_string().repeat(len));
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

/// A CommonMark fence opening (three or more `` ` `` or `~`): its character, length and info
/// string.
fn fence_opening(line: &str) -> Option<(char, usize, &str)> {
    let marker = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = line.chars().take_while(|&c| c == marker).count();
    let info = &line[len..];
    // A backtick in a backtick fence's info string makes the line inline code instead.
    (len >= 3 && !(marker == '`' && info.contains('`'))).then_some((marker, len, info))
}

/// Whether rustdoc compiles a fenced block with this info string: when it has no tokens, or
/// any token rustdoc knows (so `rust,json` is tested but `json` is not).
fn rustdoc_tests(info: &str) -> bool {
    let mut tokens = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .peekable();
    tokens.peek().is_none()
        || tokens.any(|token| {
            matches!(
                token,
                "rust"
                    | "should_panic"
                    | "no_run"
                    | "ignore"
                    | "compile_fail"
                    | "test_harness"
                    | "standalone_crate"
            ) || token.starts_with("edition")
                || token.starts_with("ignore-")
        })
}

/// The width of a Markdown list marker with its space (`- `, `* `, `+ `, `12. `), if any.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_indentation_cannot_become_doctests() {
        let lines = sanitize("Call it:\n```\nfoo()\n```\n        indented\n```json\n{}\n");
        assert_eq!(
            lines,
            [
                "Call it:",
                "```text",
                "foo()",
                "```",
                "   indented",
                "```json",
                "{}",
                "```"
            ]
        );
    }

    #[test]
    fn tabs_become_spaces_before_indentation_is_read() {
        assert_eq!(sanitize("a\tb\n\tindented"), ["a    b", "   indented"]);
    }

    #[test]
    fn every_fence_rustdoc_would_test_becomes_text() {
        let text = "a\n```no_run\nx\n```\n~~~\ny\n~~~\n````rust,ignore\n```\nz\n````\n```json\n{}\n```\n``` should_panic\n";
        assert_eq!(
            sanitize(text),
            [
                "a", "```text", "x", "```", "~~~text", "y", "~~~", "````text", "```", "z", "````",
                "```json", "{}", "```", "```text", "```"
            ]
        );
        // Inline code is no fence.
        assert_eq!(sanitize("```a``` b"), ["```a``` b"]);
    }

    #[test]
    fn examples_stay_doctests_and_prose_is_separated() {
        let doc = Doc::new()
            .prose("Intro.\n```\nspec code\n```")
            .prose("   ")
            .example("let x = 1;")
            .prose("After.");
        assert_eq!(
            doc.lines,
            [
                "Intro.",
                "```text",
                "spec code",
                "```",
                "",
                "```no_run",
                "let x = 1;",
                "```",
                "",
                "After."
            ]
        );
    }

    #[test]
    fn lazy_list_continuations_are_indented() {
        let lines = sanitize("Options:\n- first\ncontinued\n10. tenth\nmore\n\nafter");
        assert_eq!(
            lines,
            [
                "Options:",
                "- first",
                "  continued",
                "10. tenth",
                "    more",
                "",
                "after"
            ]
        );
        // An indented item whose continuation is indented by the item's own indentation
        // (the OpenAI spec's event docs): the clamp to 3 spaces must not leave it lazy.
        let lines = sanitize("Cases:\n  - one\n    more\n  - two\n     deeper");
        assert_eq!(
            lines,
            ["Cases:", "  - one", "    more", "  - two", "    deeper"]
        );
    }

    #[test]
    fn facts_follow_the_description() {
        let docs = Docs {
            description: Some("How many.".into()),
            default: Some(10.into()),
            minimum: Some(1.0),
            maximum: Some(500.0),
            ..Docs::default()
        };
        assert_eq!(
            describe(&docs),
            "How many.\n\nDefault: `10`. Range: 1..=500."
        );
    }
}
