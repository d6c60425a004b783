//! `src/runtime/`: the HTTP runtime, copied from `generator/runtime/src` (see its README).

use super::GeneratedFile;

/// The runtime's sources, by file name. `lib.rs` becomes the module's `mod.rs`.
pub(crate) const SOURCES: &[(&str, &str)] = &[
    ("client.rs", include_str!("../../runtime/src/client.rs")),
    (
        "double_option.rs",
        include_str!("../../runtime/src/double_option.rs"),
    ),
    ("error.rs", include_str!("../../runtime/src/error.rs")),
    ("lib.rs", include_str!("../../runtime/src/lib.rs")),
    ("multipart.rs", include_str!("../../runtime/src/multipart.rs")),
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
                contents: format!("{preamble}\n{source}"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_runtime_source_is_copied() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = super::SOURCES.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            on_disk, listed,
            "update SOURCES in generator/src/emit/runtime.rs"
        );
    }
}
