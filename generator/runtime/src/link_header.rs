//! The `rel="next"` target of HTTP `Link` headers (RFC 8288, section 3).
//!
//! Written here rather than taken from a crate: `parse_link_header` strips every quote and
//! splits on commas, which breaks on targets or quoted parameters that contain commas, and
//! pulls `regex` into every SDK; `http-link` is unmaintained; `nom-rfc8288` pulls `nom`. This
//! parser reads the grammar as the RFC gives it and never fails: a malformed link-value is
//! skipped, not fatal.

use http::HeaderMap;

/// The target of the first link whose relation types include `next` (case-insensitive), in
/// all `Link` headers in order; unresolved (relative references stay relative).
pub(super) fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(links)
        .find(|link| {
            link.params.iter().any(|(name, value)| {
                name.eq_ignore_ascii_case("rel")
                    && value
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        })
        .map(|link| link.target)
}

/// One link-value: `<target>; name=value; name="quoted value"`.
#[derive(Debug, PartialEq)]
struct Link {
    target: String,
    params: Vec<(String, String)>,
}

/// The link-values of one header value, in order; malformed ones are left out.
fn links(value: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || is_ows(c));
        if rest.is_empty() {
            return out;
        }
        match link(rest) {
            Some((parsed, after)) => {
                out.push(parsed);
                rest = after;
            }
            None => rest = skip_value(rest),
        }
    }
}

/// Parses one link-value at the start of `s`; returns it and what follows (at the `,` that
/// separates it from the next one, or the end).
fn link(s: &str) -> Option<(Link, &str)> {
    let s = s.strip_prefix('<')?;
    let end = s.find('>')?;
    let target = s[..end].trim().to_owned();
    let mut rest = &s[end + 1..];
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start_matches(is_ows);
        if rest.is_empty() || rest.starts_with(',') {
            return Some((Link { target, params }, rest));
        }
        rest = rest.strip_prefix(';')?.trim_start_matches(is_ows);
        let name_end = rest
            .find(|c: char| c == '=' || c == ';' || c == ',' || is_ows(c))
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_owned();
        rest = rest[name_end..].trim_start_matches(is_ows);
        let value = match rest.strip_prefix('=') {
            Some(after) => {
                let (value, after) = param_value(after.trim_start_matches(is_ows))?;
                rest = after;
                value
            }
            None => String::new(),
        };
        if !name.is_empty() {
            params.push((name, value));
        }
    }
}

/// A token or a quoted-string (with `\` escapes) at the start of `s`, and what follows.
fn param_value(s: &str) -> Option<(String, &str)> {
    let Some(quoted) = s.strip_prefix('"') else {
        let end = s
            .find(|c: char| c == ';' || c == ',' || is_ows(c))
            .unwrap_or(s.len());
        return Some((s[..end].to_owned(), &s[end..]));
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &quoted[i + 1..])),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

/// Skips a malformed link-value: everything up to the next `,` outside `<…>` and quotes.
fn skip_value(s: &str) -> &str {
    let mut in_target = false;
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' if !in_target => in_quotes = !in_quotes,
            '<' if !in_quotes => in_target = true,
            '>' if !in_quotes => in_target = false,
            ',' if !in_quotes && !in_target => return &s[i + 1..],
            _ => {}
        }
    }
    ""
}

fn is_ows(c: char) -> bool {
    c == ' ' || c == '\t'
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn next_of(values: &[&str]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(http::header::LINK, HeaderValue::from_str(value).unwrap());
        }
        next_link(&headers)
    }

    #[test]
    fn github_style_links() {
        let value = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=14>; rel="last""#;
        assert_eq!(
            next_of(&[value]).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
    }

    #[test]
    fn commas_and_semicolons_inside_targets_and_quotes() {
        let value = r#"<https://x.test/a?ids=1,2;3>; title="a, b; c", <https://x.test/b?ids=4,5>; rel=next"#;
        assert_eq!(
            next_of(&[value]).as_deref(),
            Some("https://x.test/b?ids=4,5")
        );
        let links = links(value);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].params, vec![("title".into(), "a, b; c".into())]);
    }

    #[test]
    fn relation_lists_case_and_several_headers() {
        assert_eq!(
            next_of(&[r#"</p/2>; REL="prefetch Next""#]).as_deref(),
            Some("/p/2")
        );
        assert_eq!(
            next_of(&[r#"</first>; rel="first""#, r#"</p/3>;rel=next"#]).as_deref(),
            Some("/p/3")
        );
        assert_eq!(next_of(&[r#"</p/3>; rel="nextish""#]), None);
        assert_eq!(next_of(&[r#"</p/3>; rel="prev""#]), None);
        assert_eq!(next_of(&[]), None);
    }

    #[test]
    fn escaped_quotes_and_valueless_params() {
        let value = r#"</a>; title="say \"hi\", then go"; crossorigin; rel=next"#;
        let links = links(value);
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].params,
            vec![
                ("title".into(), "say \"hi\", then go".into()),
                ("crossorigin".into(), String::new()),
                ("rel".into(), "next".into()),
            ]
        );
    }

    #[test]
    fn malformed_values_are_skipped_not_fatal() {
        for value in [
            "garbage, </ok>; rel=next",
            "<unterminated; rel=next, </ok>; rel=next",
            r#"</bad>; title="open, </ok>; rel=next"#,
        ] {
            // Whatever is recovered, nothing panics and a later good link can still be found.
            let _ = links(value);
        }
        assert_eq!(
            next_of(&["garbage, </ok>; rel=next"]).as_deref(),
            Some("/ok")
        );
        assert_eq!(next_of(&[r#"</a> rel=next"#]), None);
    }

    #[test]
    fn arbitrary_input_never_panics() {
        // Link headers come from servers: any text must be survivable.
        let alphabet: Vec<char> = "<>;,=\"\\ \trelnext/é?".chars().collect();
        let mut rng = fastrand::Rng::with_seed(8288);
        for _ in 0..20_000 {
            let len = rng.usize(0..40);
            let text: String = (0..len)
                .map(|_| alphabet[rng.usize(0..alphabet.len())])
                .collect();
            let _ = links(&text);
        }
    }
}
