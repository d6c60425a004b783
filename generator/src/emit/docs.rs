//! Spec prose → rustdoc attributes that neither break rustdoc nor turn into doctests.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Docs;

/// `#[doc = "…"]` attributes, one per line, so prettyplease prints them as `///` lines.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = sanitize(text);
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
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

/// Cleans spec Markdown for rustdoc: untyped code fences become `text` (rustdoc would compile
/// them as Rust doctests), deep indentation is capped (four spaces would start a code block,
/// i.e. a doctest), and trailing whitespace goes.
fn sanitize(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut list_indent: Option<usize> = None;
    let mut out = Vec::new();
    for line in text.trim_end().lines() {
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            if in_fence {
                in_fence = false;
                out.push("```".to_owned());
            } else {
                in_fence = true;
                let lang = lang.trim();
                let lang = if lang.is_empty() || lang == "rust" {
                    "text"
                } else {
                    lang
                };
                out.push(format!("```{lang}"));
            }
            continue;
        }
        if in_fence {
            out.push(line.trim_end().to_owned());
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
    if in_fence {
        out.push("```".to_owned());
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
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
