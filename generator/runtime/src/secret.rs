//! The API credential, wrapped so it cannot leak through formatting.

use std::fmt;

/// A bearer token (or other credential) that never prints its value.
///
/// `Debug` and `Display` both render `[REDACTED]`, so a `Secret` can sit inside structs that
/// derive `Debug`, be logged by accident, or end up in a panic message without exposing the key.
/// Call [`Secret::expose`] at the single place the raw value is genuinely needed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the raw credential. Keep the result out of logs and error messages.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the credential is empty (an empty token is always a configuration mistake).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn formatting_never_shows_the_value() {
        let secret = Secret::from("sk_live_abc123");
        assert_eq!(format!("{secret:?}"), "[REDACTED]");
        assert_eq!(format!("{secret}"), "[REDACTED]");
        assert_eq!(
            format!("{:#?}", Some(secret.clone())),
            "Some(\n    [REDACTED],\n)"
        );
        assert_eq!(secret.expose(), "sk_live_abc123");
    }

    #[test]
    fn conversions() {
        assert_eq!(Secret::from(String::from("a")).expose(), "a");
        assert_eq!(Secret::new("b").expose(), "b");
        assert!(Secret::from("").is_empty());
    }
}
