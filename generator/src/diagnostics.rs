//! Problems found in a spec, each tied to the JSON pointer where it was found.

use std::fmt;

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Information about a choice the generator made that the user may want to change (for
    /// example an operation left without `stream()`), with the setting that changes it.
    Note,
    /// Generation went on with a documented fallback (for example `serde_json::Value`).
    Warning,
    /// The spec cannot be turned into an SDK until this is fixed.
    Error,
}

/// One problem with a spec: where it is, what is wrong, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether generation could go on.
    pub severity: Severity,
    /// JSON pointer into the document, e.g. `#/paths/~1organizations/post/requestBody`.
    pub pointer: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What the user can do about it, when there is something to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            pointer: pointer.into(),
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(pointer, message)
        }
    }

    /// A note at `pointer`.
    pub fn note(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(pointer, message)
        }
    }

    /// Adds advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        // A problem with the whole file (unreadable, empty, not YAML) or with the settings has
        // no place inside the document to point at: `#` would only look like one.
        if self.pointer.is_empty() || self.pointer == "#" {
            write!(f, "{level}: {}", self.message)?;
        } else {
            write!(f, "{level}: {}: {}", self.pointer, self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The diagnostics of one run; generation fails when any of them is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// The diagnostics in a stable order: by pointer, then message.
    pub fn sorted(mut self) -> Self {
        self.0
            .sort_by(|a, b| (&a.pointer, &a.message).cmp(&(&b.pointer, &b.message)));
        self.0.dedup();
        self
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// `1 warning`, `2 warnings`: a count with its noun, for messages.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A JSON pointer (RFC 6901) in URI-fragment form, built one segment at a time.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// `#`, the document root.
    pub fn root() -> Self {
        Self("#".to_owned())
    }

    /// Parses a local reference such as `#/components/schemas/Foo`.
    pub fn from_ref(reference: &str) -> Self {
        Self(reference.to_owned())
    }

    /// This pointer with one more segment, escaped (`~` → `~0`, `/` → `~1`).
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{segment}", self.0))
    }

    /// The pointer text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Pointer> for String {
    fn from(pointer: Pointer) -> Self {
        pointer.0
    }
}

impl From<&Pointer> for String {
    fn from(pointer: &Pointer) -> Self {
        pointer.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slash_and_tilde() {
        let p = Pointer::root()
            .join("paths")
            .join("/organizations/{organization_id}/memberships")
            .join("post")
            .join("a~b");
        assert_eq!(
            p.as_str(),
            "#/paths/~1organizations~1{organization_id}~1memberships/post/a~0b"
        );
    }

    #[test]
    fn display_includes_help() {
        let d = Diagnostic::error("#/paths", "no paths").with_help("add one");
        assert_eq!(d.to_string(), "error: #/paths: no paths\n  help: add one");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(counted(0, "warning"), "0 warnings");
        assert_eq!(counted(1, "warning"), "1 warning");
        assert_eq!(counted(2, "file"), "2 files");
    }

    #[test]
    fn file_level_problems_print_no_pointer() {
        let d = Diagnostic::error("#", "spec.yaml is empty");
        assert_eq!(d.to_string(), "error: spec.yaml is empty");
        let d = Diagnostic::warning("", "x");
        assert_eq!(d.to_string(), "warning: x");
    }
}
