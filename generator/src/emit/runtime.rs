//! `src/runtime/`: the HTTP runtime, copied from `generator/runtime/src` (see its README).

use super::GeneratedFile;

/// The runtime's sources, by file name. `lib.rs` becomes the module's `mod.rs`.
pub(crate) const SOURCES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../runtime/src/auth.rs")),
    ("call.rs", include_str!("../../runtime/src/call.rs")),
    ("client.rs", include_str!("../../runtime/src/client.rs")),
    ("decode.rs", include_str!("../../runtime/src/decode.rs")),
    ("encode.rs", include_str!("../../runtime/src/encode.rs")),
    ("error.rs", include_str!("../../runtime/src/error.rs")),
    ("form.rs", include_str!("../../runtime/src/form.rs")),
    ("hooks.rs", include_str!("../../runtime/src/hooks.rs")),
    ("lib.rs", include_str!("../../runtime/src/lib.rs")),
    (
        "link_header.rs",
        include_str!("../../runtime/src/link_header.rs"),
    ),
    (
        "multipart.rs",
        include_str!("../../runtime/src/multipart.rs"),
    ),
    (
        "open_enum.rs",
        include_str!("../../runtime/src/open_enum.rs"),
    ),
    ("options.rs", include_str!("../../runtime/src/options.rs")),
    (
        "pagination.rs",
        include_str!("../../runtime/src/pagination.rs"),
    ),
    ("request.rs", include_str!("../../runtime/src/request.rs")),
    ("response.rs", include_str!("../../runtime/src/response.rs")),
    ("retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("secret.rs", include_str!("../../runtime/src/secret.rs")),
];

pub fn files(preamble: &str) -> Vec<GeneratedFile> {
    SOURCES
        .iter()
        .map(|(name, source)| {
            let name = if *name == "lib.rs" { "mod.rs" } else { name };
            GeneratedFile {
                path: format!("src/runtime/{name}"),
                contents: format!("{preamble}\n{}", without_tests(source)),
            }
        })
        .collect()
}

/// The marker that starts a runtime file's unit tests, which by convention end the file.
const TESTS: &str = "\n#[cfg(test)]\nmod tests {";

/// A runtime source without its unit tests: they run in the runtime crate, and a generated
/// crate has neither the dev-dependencies they need nor a reason to run them again.
fn without_tests(source: &str) -> &str {
    match source.find(TESTS) {
        Some(at) => &source[..=at],
        None => source,
    }
}

#[cfg(test)]
mod tests {
    use super::{SOURCES, TESTS, without_tests};

    #[test]
    fn unit_tests_are_the_last_item_and_are_left_out() {
        for (name, source) in SOURCES {
            let kept = without_tests(source);
            if let Some(at) = source.find(TESTS) {
                // Everything after the marker must be the tests module: one closing brace at
                // the end of the file, at column 0.
                let tail = &source[at + TESTS.len()..];
                assert_eq!(
                    tail.matches("\n}\n").count(),
                    1,
                    "{name}: tests must close the file"
                );
                assert!(tail.ends_with("\n}\n"), "{name}: tests must close the file");
            }
            assert!(
                !kept.contains("#[cfg(test)]"),
                "{name}: test code outside `mod tests`"
            );
            assert!(
                syn::parse_file(kept).is_ok(),
                "{name}: does not parse without its tests"
            );
        }
    }

    #[test]
    fn every_runtime_source_is_copied() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = SOURCES.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            on_disk, listed,
            "update SOURCES in generator/src/emit/runtime.rs"
        );
    }
}
