//! Token streams → Rust text: each item is printed on its own, on worker threads.
//!
//! Printing a whole file at once keeps its token stream, syn's copy of it and the syntax tree
//! alive together; for a large spec's `models.rs` that was most of the generator's peak memory.
//! Here a file is a list of [`Piece`]s (usually one item each), and a piece's tokens and tree
//! live only while that piece is printed. prettyplease prints top-level items independently of
//! their neighbours, so the concatenated pieces are the text the whole file would have given;
//! the blank lines between items are added afterwards, over the whole file.
//!
//! Token streams are not `Send`, so a piece is a closure that *builds* its tokens, run on the
//! thread that prints them. Pieces are handed out in order and their texts are put back in order,
//! so the output does not depend on the number of threads or on scheduling.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;

/// Builds the tokens of one or more consecutive items of a file (the first piece of a file may
/// start with its inner attributes, `//!` docs included).
pub(super) type Piece<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// Wraps a closure as a [`Piece`].
pub(super) fn piece<'a>(build: impl Fn() -> TokenStream + Send + Sync + 'a) -> Piece<'a> {
    Box::new(build)
}

/// The Rust files of a crate, as pieces not printed yet.
#[derive(Default)]
pub(super) struct RustFiles<'a> {
    /// Path of each file, and how many of `pieces` (taken in order) make it up.
    files: Vec<(String, usize)>,
    pieces: Vec<Piece<'a>>,
}

impl<'a> RustFiles<'a> {
    /// Adds a file made of `pieces`, in order.
    pub(super) fn add(&mut self, path: String, pieces: impl IntoIterator<Item = Piece<'a>>) {
        let before = self.pieces.len();
        self.pieces.extend(pieces);
        self.files.push((path, self.pieces.len() - before));
    }

    /// Prints every file: its path and text (starting with the line `preamble`), or the first
    /// piece that did not parse as Rust (a generator bug). Files keep the order they were added
    /// in.
    pub(super) fn print(self, preamble: &str) -> Vec<(String, Result<String, syn::Error>)> {
        let mut texts = print_all(&self.pieces).into_iter();
        self.files
            .into_iter()
            .map(|(path, count)| {
                let mut file = String::new();
                let mut error = None;
                for text in texts.by_ref().take(count) {
                    match text {
                        Ok(text) => file.push_str(&text),
                        Err(e) => error = error.or(Some(e)),
                    }
                }
                // One buffer, preamble first, so the file is not copied again on its way out:
                // for a big models.rs each copy was a visible share of the peak memory.
                let result = match error {
                    Some(error) => Err(error),
                    None => {
                        let mut text = String::with_capacity(
                            preamble.len() + 1 + file.len() + file.len() / 20,
                        );
                        text.push_str(preamble);
                        text.push('\n');
                        space_items(&file, &mut text);
                        drop(file);
                        Ok(clean_text(text))
                    }
                };
                (path, result)
            })
            .collect()
    }
}

/// Prints each piece, in parallel; the texts come back in the order of `pieces`.
fn print_all(pieces: &[Piece<'_>]) -> Vec<Result<String, syn::Error>> {
    // syn::Error is not Send either (it holds spans), so workers send its message.
    let slots: Vec<Mutex<Option<Result<String, String>>>> =
        pieces.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = pieces.get(index) else {
                break;
            };
            let text = print(piece()).map_err(|e| e.to_string());
            *slots[index].lock().unwrap_or_else(|e| e.into_inner()) = Some(text);
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(pieces.len());
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    slots
        .into_iter()
        .map(|slot| {
            match slot.into_inner().unwrap_or_else(|e| e.into_inner()) {
                Some(Ok(text)) => Ok(text),
                Some(Err(message)) => Err(syn::Error::new(proc_macro2::Span::call_site(), message)),
                // Only reachable if a worker panicked, and then the scope re-raises the panic.
                None => Err(syn::Error::new(
                    proc_macro2::Span::call_site(),
                    "a piece was not printed",
                )),
            }
        })
        .collect()
}

/// Pretty-prints the tokens of one piece. Parsing takes `tokens` by value: a shared stream
/// would make syn deep-copy it first.
fn print(tokens: TokenStream) -> Result<String, syn::Error> {
    let mut file = syn::parse2::<syn::File>(tokens)?;
    // prettyplease fills a macro's tokens like a paragraph, which breaks entries anywhere
    // (`PhoneNumber =⏎"phone_number"`) and reflows them all when one changes. The runtime's list
    // macros are laid out here instead: each body becomes a placeholder that prettyplease
    // prints as is, then is replaced by the entries, broken only between two of them.
    let mut lists = Vec::new();
    for item in &mut file.items {
        if let syn::Item::Macro(item) = item
            && item
                .mac
                .path
                .segments
                .last()
                .is_some_and(|s| LIST_MACROS.contains(&s.ident.to_string().as_str()))
        {
            let placeholder = quote::format_ident!("__sdkgen_list_{}", lists.len());
            let body = std::mem::replace(&mut item.mac.tokens, quote::quote!(#placeholder));
            lists.push((placeholder.to_string(), body));
        }
    }
    let mut text = prettyplease::unparse(&file);
    for (placeholder, body) in lists {
        // As the macro's whole body: a doc comment above it may quote anything.
        let Some(at) = text.find(&format!("!({placeholder})")).map(|at| at + 2) else {
            continue;
        };
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let (before, after) = (
            &text[line_start..at],
            &text[at + placeholder.len()..line_end],
        );
        let laid_out = list_call(before, &body, after);
        text.replace_range(line_start..line_end, &laid_out);
    }
    Ok(text)
}

/// The runtime macros whose calls are a name and a braced list of entries:
/// `open_enum!(Status { Active = "active", … })`, `decode_object!(Pet { id, … })`,
/// `encode_object!`, `decode_untagged!(Payment { Card, … })`, `encode_union!`.
const LIST_MACROS: &[&str] = &[
    "open_enum",
    "decode_object",
    "encode_object",
    "decode_untagged",
    "encode_union",
];

/// Widest line prettyplease writes.
const MARGIN: usize = 100;

/// A list macro's call, `before` and `after` being the text around its body
/// (`crate::runtime::open_enum!(` and `);`): on one line when it fits, otherwise the body on
/// lines of its own, filled up to the margin, each break between two entries. A body that is
/// not a name and a braced list is printed as tokens.
fn list_call(before: &str, body: &TokenStream, after: &str) -> String {
    let tokens: Vec<proc_macro2::TokenTree> = body.clone().into_iter().collect();
    let (name, entries, rest) = match tokens.as_slice() {
        [
            proc_macro2::TokenTree::Ident(name),
            proc_macro2::TokenTree::Group(group),
            rest @ ..,
        ] if group.delimiter() == proc_macro2::Delimiter::Brace => (name, group.stream(), rest),
        _ => return format!("{before}{body}{after}"),
    };
    let mut list: Vec<String> = vec![String::new()];
    for token in entries {
        match &token {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ',' => list.push(String::new()),
            _ => {
                let entry = list.last_mut().expect("starts with one entry");
                let tight =
                    matches!(&token, proc_macro2::TokenTree::Punct(p) if p.as_char() == ':');
                if !entry.is_empty() && !tight {
                    entry.push(' ');
                }
                entry.push_str(&token.to_string());
            }
        }
    }
    list.retain(|entry| !entry.is_empty());
    let rest: Vec<String> = rest.iter().map(ToString::to_string).collect();
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!(" {}", rest.join(" "))
    };
    let one_line = if list.is_empty() {
        format!("{before}{name} {{}}{rest}{after}")
    } else {
        format!("{before}{name} {{ {} }}{rest}{after}", list.join(", "))
    };
    if one_line.len() <= MARGIN {
        return one_line;
    }
    // Filled, breaking only between entries: a list of many short entries stays a few lines.
    let indent = " ".repeat(before.len() - before.trim_start().len());
    let mut text = format!("{before}\n");
    let mut line = format!("{indent}    {name} {{");
    for (i, entry) in list.iter().enumerate() {
        let piece = if i + 1 == list.len() {
            format!("{entry} }}{rest}")
        } else {
            format!("{entry},")
        };
        if i > 0 && line.len() + 1 + piece.len() > MARGIN {
            text.push_str(&line);
            text.push('\n');
            line = format!("{indent}       ");
        }
        line.push(' ');
        line.push_str(&piece);
    }
    text.push_str(&line);
    text.push_str(&format!("\n{indent}{}", after.trim_start()));
    text
}

/// Spec prose lands in `///` comments verbatim, so characters that are harmless in YAML but
/// not in Rust source are taken out: a bare carriage return ends a doc comment in a way the
/// parser rejects, and bidirectional-override characters are denied by rustc (they can make
/// code read differently from how it compiles). Those are written as `\u{…}` text instead.
fn clean_text(text: String) -> String {
    const BIDI: &[char] = &[
        '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
        '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
    ];
    if !text.contains(|c| c == '\r' || BIDI.contains(&c)) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => {}
            c if BIDI.contains(&c) => out.push_str(&format!("\\u{{{:04x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// Appends `text` to `out` with a blank line between items, which prettyplease leaves out:
/// between the module docs and the code, and before an item (or its docs) that follows the end
/// of another.
fn space_items(text: &str, out: &mut String) {
    const STARTS: &[&str] = &[
        "///", "#[", "pub ", "pub(", "fn ", "impl", "const ", "mod ", "use ", "struct ", "enum ",
        "type ", "async ",
    ];
    let mut previous = "";
    for line in text.lines() {
        let current = line.trim_start();
        let in_docs = previous.starts_with("//");
        let ends_item = !in_docs && (previous.ends_with('}') || previous.ends_with(';'));
        let declaration = |l: &str| {
            let l = l.strip_prefix("pub ").unwrap_or(l);
            ["use ", "mod "].into_iter().find(|k| l.starts_with(k))
        };
        let after_imports =
            declaration(previous).is_some() && declaration(previous) == declaration(current);
        let after_module_docs = (previous.starts_with("//!") && !current.starts_with("//!"))
            || (previous.starts_with("#![") && !current.starts_with("#!["));
        // An unindented path starts a macro call at the top level (`crate::runtime::open_enum!`).
        let starts_item =
            STARTS.iter().any(|s| current.starts_with(s)) || line.starts_with("crate::");
        if after_module_docs || (ends_item && starts_item && !after_imports) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = current;
    }
}

#[cfg(test)]
mod tests {
    use quote::{format_ident, quote};

    use super::*;

    fn print_files(
        files: Vec<(&str, Vec<Piece<'static>>)>,
    ) -> Vec<(String, Result<String, String>)> {
        let mut rust = RustFiles::default();
        for (path, pieces) in files {
            rust.add(path.to_owned(), pieces);
        }
        rust.print("// preamble\n")
            .into_iter()
            .map(|(path, text)| {
                let text = text.map(|t| {
                    let body = t.strip_prefix("// preamble\n\n");
                    body.expect("every file starts with the preamble")
                        .to_owned()
                });
                (path, text.map_err(|e| e.to_string()))
            })
            .collect()
    }

    #[test]
    fn pieces_print_as_the_whole_file_would() {
        let header = || {
            quote! {
                //! Module docs.
                #![allow(deprecated)]
                use serde::Serialize;
            }
        };
        let first = || {
            quote! {
                /// A thing.
                #[derive(Serialize)]
                pub struct Thing { pub id: String }
                impl Thing { pub fn id(&self) -> &str { &self.id } }
            }
        };
        let second = || {
            quote!(
                pub type Things = Vec<Thing>;
            )
        };
        let (a, b, c) = (header(), first(), second());
        let whole = print(quote!(#a #b #c)).unwrap();
        let mut expected = String::new();
        space_items(&whole, &mut expected);
        let files = print_files(vec![(
            "src/x.rs",
            vec![piece(header), piece(first), piece(second)],
        )]);
        assert_eq!(files[0].1, Ok(expected));
    }

    #[test]
    fn pieces_keep_their_order_across_threads() {
        let pieces: Vec<Piece<'static>> = (0..500)
            .map(|i| {
                piece(move || {
                    let name = format_ident!("C{i}");
                    let value = proc_macro2::Literal::u32_unsuffixed(i);
                    quote!(pub const #name: u32 = #value;)
                })
            })
            .collect();
        let files = print_files(vec![
            ("a.rs", pieces),
            (
                "b.rs",
                vec![piece(|| {
                    quote!(
                        pub fn b() {}
                    )
                })],
            ),
        ]);
        let text = files[0].1.as_ref().unwrap();
        let expected: Vec<String> = (0..500)
            .map(|i| format!("pub const C{i}: u32 = {i};\n"))
            .collect();
        // Not assert_eq: a mismatch would print both 500-line texts.
        assert!(
            *text == expected.join("\n"),
            "out of order: {:?}",
            text.get(..200)
        );
        assert_eq!(
            files[1],
            ("b.rs".to_owned(), Ok("pub fn b() {}\n".to_owned()))
        );
    }

    #[test]
    fn an_invalid_piece_fails_only_its_file() {
        let files = print_files(vec![
            (
                "bad.rs",
                vec![
                    piece(|| {
                        quote!(
                            pub fn ok() {}
                        )
                    }),
                    piece(|| quote!(struct {})),
                ],
            ),
            (
                "good.rs",
                vec![piece(|| {
                    quote!(
                        pub struct Good;
                    )
                })],
            ),
        ]);
        assert!(
            files[0]
                .1
                .as_ref()
                .is_err_and(|e| e.starts_with("expected identifier")),
            "{files:?}"
        );
        assert_eq!(files[1].1, Ok("pub struct Good;\n".to_owned()));
    }

    #[test]
    fn list_macros_break_only_between_entries() {
        let print_one = |tokens: TokenStream| print(tokens).unwrap();
        assert_eq!(
            print_one(quote!(crate::runtime::decode_object!(Pet { id, kind: default });)),
            "crate::runtime::decode_object!(Pet { id, kind: default });\n"
        );
        assert_eq!(
            print_one(quote!(crate::runtime::decode_object!(Empty {});)),
            "crate::runtime::decode_object!(Empty {});\n"
        );
        // Docs that happen to spell the placeholder are left alone.
        assert_eq!(
            print_one(quote! {
                /// Mentions __sdkgen_list_0.
                pub struct Pet {}
                crate::runtime::decode_object!(Pet {});
            }),
            "/// Mentions __sdkgen_list_0.\npub struct Pet {}\ncrate::runtime::decode_object!(Pet {});\n"
        );
        let entries = (0..12).map(|i| {
            let variant = format_ident!("PhoneNumber{i}");
            let wire = format!("phone_number_{i}");
            quote!(#variant = #wire)
        });
        let text = print_one(quote! {
            #[cfg(feature = "users")]
            crate::runtime::open_enum!(Kind { #(#entries),* } deny_unknown_fields);
        });
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "#[cfg(feature = \"users\")]");
        assert_eq!(lines[1], "crate::runtime::open_enum!(");
        assert!(lines[2].starts_with("    Kind { PhoneNumber0 = \"phone_number_0\","));
        assert!(lines.last() == Some(&");"), "{text}");
        assert!(
            lines[lines.len() - 2].ends_with("} deny_unknown_fields"),
            "{text}"
        );
        for line in &lines[2..lines.len() - 1] {
            assert!(line.len() <= MARGIN, "{line}");
            // Each line holds whole entries: `Name = "wire"` is never split.
            assert_eq!(
                line.matches(" = ").count(),
                line.matches('"').count() / 2,
                "{line}"
            );
        }
        // Every entry is there once, in order.
        let joined = lines[2..lines.len() - 1].join(" ");
        let mut at = 0;
        for i in 0..12 {
            let entry = format!("PhoneNumber{i} = \"phone_number_{i}\"");
            let found = joined[at..].find(&entry).expect(&entry);
            at += found + entry.len();
        }
    }

    #[test]
    fn carriage_returns_go_and_bidi_controls_are_spelled_out() {
        assert_eq!(
            clean_text("/// a\r\n/// b\u{202E}c\n".to_owned()),
            "/// a\n/// b\\u{202e}c\n"
        );
        assert_eq!(clean_text("/// plain\n".to_owned()), "/// plain\n");
    }
}
