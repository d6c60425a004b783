//! The release a report implies under Cargo's semver rules, 0.x versions included.

use serde::Serialize;

use super::change::{Change, Effect};

/// The smallest release that the changes allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Documentation only.
    Patch,
    /// Additions, compatible changes, and wire changes with the Rust API kept (Cargo's rules
    /// are about the API; the report names those changes separately).
    Minor,
    /// The Rust API breaks.
    Major,
}

impl Bump {
    /// The bump the changes need.
    pub fn of(changes: &[Change]) -> Self {
        changes
            .iter()
            .map(|c| match c.effect {
                Effect::Breaking => Bump::Major,
                Effect::Wire | Effect::Compatible => Bump::Minor,
                Effect::Docs => Bump::Patch,
            })
            .max()
            .unwrap_or(Bump::None)
    }

    /// The next version after `version`. Cargo reads `0.y.z` as `y` being the major part and
    /// `z` everything else, and `0.0.z` as every release breaking; pre-release and build parts
    /// are dropped. `None` when `version` is not semver.
    pub fn next(self, version: &str) -> Option<String> {
        let current = ::semver::Version::parse(version).ok()?;
        let (major, minor, patch) = (current.major, current.minor, current.patch);
        if self == Bump::None {
            return Some(version.to_owned());
        }
        // `2.0.0` after `2.0.0-rc.1` is already a major release (over 1.x), `2.1.0` a minor one.
        let release_covers = match (self, major, minor) {
            (_, 0, 0) => true,
            (Bump::Major, 0, _) => patch == 0,
            (_, 0, _) => true,
            (Bump::Major, ..) => minor == 0 && patch == 0,
            (Bump::Minor, ..) => patch == 0,
            _ => true,
        };
        if !current.pre.is_empty() && release_covers {
            return Some(format!("{major}.{minor}.{patch}"));
        }
        let (major, minor, patch) = match (self, major, minor) {
            (_, 0, 0) => (0, 0, patch + 1),
            (Bump::Major, 0, _) => (0, minor + 1, 0),
            (_, 0, _) => (0, minor, patch + 1),
            (Bump::Major, ..) => (major + 1, 0, 0),
            (Bump::Minor, ..) => (major, minor + 1, 0),
            _ => (major, minor, patch + 1),
        };
        Some(format!("{major}.{minor}.{patch}"))
    }

    /// "major", "minor", "patch" or "no".
    pub fn word(self) -> &'static str {
        match self {
            Bump::None => "no",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_versions_follow_cargo_rules() {
        let table = [
            (Bump::Major, "1.2.3", "2.0.0"),
            (Bump::Minor, "1.2.3", "1.3.0"),
            (Bump::Patch, "1.2.3", "1.2.4"),
            (Bump::None, "1.2.3", "1.2.3"),
            // 0.y.z: y is the major part, z everything else.
            (Bump::Major, "0.1.0", "0.2.0"),
            (Bump::Minor, "0.1.0", "0.1.1"),
            (Bump::Patch, "0.1.7", "0.1.8"),
            // 0.0.z: every release breaks.
            (Bump::Major, "0.0.3", "0.0.4"),
            (Bump::Minor, "0.0.3", "0.0.4"),
            // Pre-releases.
            (Bump::Major, "2.0.0-rc.1", "2.0.0"),
            (Bump::Minor, "2.0.0-rc.1", "2.0.0"),
            (Bump::Major, "2.1.0-rc.1", "3.0.0"),
            (Bump::Patch, "2.1.0-rc.1", "2.1.0"),
            (Bump::Major, "0.3.0-alpha", "0.3.0"),
        ];
        for (bump, from, to) in table {
            assert_eq!(bump.next(from).as_deref(), Some(to), "{bump:?} {from}");
        }
        assert_eq!(Bump::Major.next("not a version"), None);
    }
}
