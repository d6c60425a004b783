//! `sdkgen diff`: what a spec change does to the generated crate, item by item, with the
//! semver bump it implies.
//!
//! The comparison reads two [`Api`] models only (no YAML, no tokens): what the crate exposes
//! (types, fields, builder arguments and setters, return types, spelled as the emitter spells
//! them, see [`surface`]) and what it sends and expects on the wire (wire names, paths,
//! statuses, encodings). Each item kind compares a table of aspects ([`aspect`]); a change of
//! the model is a new row there.

mod aspect;
mod change;
mod client;
mod operations;
mod render;
mod security;
mod semver;
mod surface;
mod types;
mod webhooks;

use std::collections::BTreeMap;

use crate::model::{Api, Docs, Usage};

pub use self::change::{Change, Effect, Kind};
pub use self::render::{Format, Labels};
pub use self::semver::Bump;

/// Every change between two models, most severe first (then in the order found: the client,
/// groups and operations in document order, types by name, webhooks in document order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The entries.
    pub changes: Vec<Change>,
}

impl Report {
    /// The release this change needs under Cargo's semver rules.
    pub fn bump(&self) -> Bump {
        Bump::of(&self.changes)
    }

    /// How many entries have this effect.
    pub fn count(&self, effect: Effect) -> usize {
        self.changes.iter().filter(|c| c.effect == effect).count()
    }

    /// Whether any entry breaks users, at compile time or on the wire.
    pub fn has_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.effect.is_breaking())
    }

    /// The report as text, Markdown or JSON.
    pub fn render(&self, format: Format, labels: &Labels) -> String {
        render::render(self, format, labels)
    }

    /// The one-paragraph summary that opens every format.
    pub fn summary(&self, labels: &Labels) -> String {
        render::summary(self, labels)
    }

    /// The summary and the breaking entries (up to 20), for `generate` to print.
    pub fn brief(&self, labels: &Labels) -> String {
        render::brief(self, labels)
    }
}

/// Compares the model a crate was generated from with the model of its next version.
pub fn diff(old: &Api, new: &Api) -> Report {
    let old = Side::new(old);
    let new = Side::new(new);
    let mut found = aspect::Changes::default();
    let schemes = security::Schemes::of(old.api, new.api);
    client::compare(&old, &new, &mut found);
    security::compare(old.api, new.api, &schemes, &mut found);
    operations::compare(&old, &new, &schemes, &mut found);
    let renamed = types::compare(&old, &new, &mut found);
    webhooks::compare(old.api, new.api, &mut found);
    let mut changes = found.0;
    changes.retain(|c| !follows_renames(c, &renamed));
    changes.sort_by_key(|c| c.effect);
    Report { changes }
}

/// One side of the comparison: the model and who builds which of its types.
struct Side<'a> {
    api: &'a Api,
    usage: Usage,
}

impl<'a> Side<'a> {
    fn new(api: &'a Api) -> Self {
        Self {
            api,
            usage: Usage::of(api),
        }
    }
}

/// Whether an entry's type change is only that the types it names were renamed (`Option<A>` →
/// `Option<B>` with `A` renamed `B`): the rename's own entry says it, once.
fn follows_renames(change: &Change, renamed: &BTreeMap<String, String>) -> bool {
    if renamed.is_empty()
        || !matches!(
            change.kind,
            Kind::TypeChanged | Kind::ReturnTypeChanged | Kind::StreamChanged
        )
    {
        return false;
    }
    let Some((before, after)) = change.detail.split_once(" → ") else {
        return false;
    };
    let unquote = |s: &str| s.strip_prefix('`')?.strip_suffix('`').map(str::to_owned);
    let (Some(before), Some(after)) = (unquote(before), unquote(after)) else {
        return false;
    };
    // The old type spelled with the new names, identifier by identifier.
    let mut spelled = String::with_capacity(before.len());
    let mut word = String::new();
    for c in before.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        spelled.push_str(renamed.get(&word).map_or(&word, |n| n));
        word.clear();
        spelled.push(c);
    }
    spelled.pop();
    spelled == after
}

/// The spec's prose of an item, compared but never shown.
fn prose(docs: &Docs) -> String {
    format!("{:?}{:?}{:?}", docs.summary, docs.description, docs.example)
}

/// Defaults and documented bounds, shown when they change.
fn documented_values(docs: &Docs) -> String {
    let mut parts = Vec::new();
    if let Some(default) = &docs.default {
        parts.push(format!("default {default}"));
    }
    if let Some(min) = docs.minimum {
        parts.push(format!("minimum {min}"));
    }
    if let Some(max) = docs.maximum {
        parts.push(format!("maximum {max}"));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_change_is_left_out_only_when_renames_explain_all_of_it() {
        let renamed: BTreeMap<String, String> = [("Tag", "Label"), ("Kind", "Species")]
            .into_iter()
            .map(|(o, n)| (o.to_owned(), n.to_owned()))
            .collect();
        let change = |kind, detail: &str| Change {
            kind,
            effect: Effect::Breaking,
            item: "models::Pet::tags".to_owned(),
            detail: detail.to_owned(),
            old: None,
            new: None,
        };
        let explained = |kind, detail| follows_renames(&change(kind, detail), &renamed);
        assert!(explained(
            Kind::TypeChanged,
            "`Option<Tag>` → `Option<Label>`"
        ));
        assert!(explained(
            Kind::ReturnTypeChanged,
            "`BTreeMap<String, (Tag, Kind)>` → `BTreeMap<String, (Label, Species)>`"
        ));
        // A rename and another change; a name that only starts like a renamed one; another kind.
        assert!(!explained(
            Kind::TypeChanged,
            "`Option<Tag>` → `Vec<Label>`"
        ));
        assert!(!explained(Kind::TypeChanged, "`TagList` → `LabelList`"));
        assert!(!explained(Kind::RustNameChanged, "`Tag` → `Label`"));
        assert!(!follows_renames(
            &change(Kind::TypeChanged, "`Tag` → `Label`"),
            &BTreeMap::new()
        ));
    }
}
