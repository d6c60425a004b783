//! A short string that a schema's `pattern` matches, built from the regex's syntax tree.
//!
//! Each repetition is taken `min + extra` times (capped at its maximum), alternations take their
//! first branch and classes their first letter or digit, so the result is predictable. It is
//! returned only when the regex really matches it; JavaScript-only syntax (look-around) that
//! `regex-syntax` refuses gives `None`.

use regex_syntax::hir::{Class, Hir, HirKind};

/// A string of `min_len..=max_len` characters that `pattern` matches, if a simple one exists.
pub fn matching(pattern: &str, min_len: usize, max_len: Option<usize>) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let regex = regex::Regex::new(pattern).ok()?;
    // Longer repetitions until the length fits; patterns like `^[a-z]*$` need the help.
    for extra in 0..=min_len.max(1) as u32 {
        let mut out = String::new();
        build(&hir, extra, &mut out);
        let len = out.chars().count();
        if max_len.is_some_and(|max| len > max) {
            return None;
        }
        if len >= min_len && regex.is_match(&out) {
            return Some(out);
        }
    }
    None
}

fn build(hir: &Hir, extra: u32, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(class) => {
            if let Some(c) = pick(class) {
                out.push(c);
            }
        }
        HirKind::Repetition(rep) => {
            let times = rep
                .min
                .saturating_add(extra)
                .min(rep.max.unwrap_or(u32::MAX));
            // A repetition that may be empty is left empty unless length is wanted.
            let times = if rep.min == 0 && extra == 0 { 0 } else { times };
            for _ in 0..times {
                build(&rep.sub, extra, out);
            }
        }
        HirKind::Capture(capture) => build(&capture.sub, extra, out),
        HirKind::Concat(parts) => parts.iter().for_each(|p| build(p, extra, out)),
        HirKind::Alternation(branches) => {
            if let Some(first) = branches.first() {
                build(first, extra, out);
            }
        }
    }
}

/// A letter or digit of the class when it has one, else its first character.
fn pick(class: &Class) -> Option<char> {
    let ranges: Vec<(char, char)> = match class {
        Class::Unicode(u) => u.ranges().iter().map(|r| (r.start(), r.end())).collect(),
        Class::Bytes(b) => b
            .ranges()
            .iter()
            .filter(|r| r.start().is_ascii())
            .map(|r| (char::from(r.start()), char::from(r.end().min(0x7f))))
            .collect(),
    };
    let preferred = ['a', 'A', '0']
        .into_iter()
        .chain('b'..='z')
        .chain('1'..='9');
    for want in preferred {
        if ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&want)) {
            return Some(want);
        }
    }
    ranges
        .iter()
        .map(|(lo, _)| *lo)
        .find(|c| !c.is_control())
        .or_else(|| ranges.first().map(|(lo, _)| *lo))
}

#[cfg(test)]
mod tests {
    use super::matching;

    #[test]
    fn builds_strings_that_match() {
        for (pattern, min, max) in [
            ("^AC[0-9a-fA-F]{32}$", 0, None),
            ("^[a-z]+(-[a-z]+)*$", 0, None),
            ("^\\d{3}-\\d{4}$", 0, None),
            ("^[a-z]*$", 5, Some(10)),
            ("^(foo|bar)_[A-Z]{2,}$", 0, None),
            ("[[:alpha:]]", 0, None),
            ("^\\+[1-9]\\d{1,14}$", 0, None),
        ] {
            let s =
                matching(pattern, min, max).unwrap_or_else(|| panic!("no string for {pattern}"));
            assert!(
                regex::Regex::new(pattern).unwrap().is_match(&s),
                "{pattern}: {s}"
            );
            assert!(s.chars().count() >= min, "{pattern}: {s}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_satisfy() {
        // Look-ahead is JavaScript syntax the Rust parser refuses.
        assert_eq!(matching("^(?=a)a$", 0, None), None);
        // Too long for maxLength.
        assert_eq!(matching("^a{10}$", 0, Some(3)), None);
    }
}
