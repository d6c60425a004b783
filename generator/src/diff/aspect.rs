//! The table-driven comparison: each item kind lists its aspects (how to read one, what a
//! change of it means), and one loop compares them all. A new model field is one more row.

use std::collections::{BTreeMap, VecDeque};

use super::change::{Change, Effect, Kind};

/// One comparable property of an item, read from a view `T` of it.
pub(super) struct Aspect<T> {
    /// The kind of change when the property differs.
    pub kind: Kind,
    /// The property as the report shows it (empty when absent).
    pub read: fn(&T) -> String,
    /// What a difference means, given the item on both sides; `None` when another aspect
    /// already reports it (a presence change that shows in the Rust type, say).
    pub effect: fn(&T, &T) -> Option<Effect>,
    /// Prose from the spec: the report says only that it changed.
    pub prose: bool,
}

/// The Rust item an entry is about, and where it is in both specs.
#[derive(Clone, Debug, Default)]
pub(super) struct Place {
    pub item: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Place {
    /// An item present on both sides.
    pub fn both(item: impl Into<String>, old: impl Into<String>, new: impl Into<String>) -> Self {
        Self {
            item: item.into(),
            old: Some(old.into()),
            new: Some(new.into()),
        }
    }

    /// An item only in the old spec.
    pub fn old(item: impl Into<String>, old: impl Into<String>) -> Self {
        Self {
            item: item.into(),
            old: Some(old.into()),
            new: None,
        }
    }

    /// An item only in the new spec.
    pub fn new(item: impl Into<String>, new: impl Into<String>) -> Self {
        Self {
            item: item.into(),
            old: None,
            new: Some(new.into()),
        }
    }
}

/// The entries found so far, in the order they were found.
#[derive(Debug, Default)]
pub(super) struct Changes(pub Vec<Change>);

impl Changes {
    /// Records one entry.
    pub fn push(&mut self, kind: Kind, effect: Effect, place: &Place, detail: impl Into<String>) {
        self.0.push(Change {
            kind,
            effect,
            item: place.item.clone(),
            detail: detail.into(),
            old: place.old.clone(),
            new: place.new.clone(),
        });
    }

    /// Compares every aspect of an item present on both sides.
    pub fn compare<T>(&mut self, aspects: &[Aspect<T>], old: &T, new: &T, place: &Place) {
        for aspect in aspects {
            let (before, after) = ((aspect.read)(old), (aspect.read)(new));
            if before == after {
                continue;
            }
            let Some(effect) = (aspect.effect)(old, new) else {
                continue;
            };
            let detail = if aspect.prose {
                "the spec's prose (not shown)".to_owned()
            } else {
                transition(&before, &after)
            };
            self.push(aspect.kind, effect, place, detail);
        }
    }
}

/// "`a` → `b`", with "none" for an empty side.
pub(super) fn transition(before: &str, after: &str) -> String {
    format!("{} → {}", shown(before), shown(after))
}

/// A value in backticks, or "none".
pub(super) fn shown(value: &str) -> String {
    if value.is_empty() {
        "none".to_owned()
    } else {
        format!("`{value}`")
    }
}

/// `yes`/empty, so a flag reads as present or absent.
pub(super) fn flag(on: bool) -> String {
    if on { "yes".to_owned() } else { String::new() }
}

/// Items of `old` and `new` paired by `key` (first unpaired match wins), then the leftovers of
/// each side, all in the order they appear (old side first).
pub(super) fn pair<'a, T, K: Ord>(
    old: &[&'a T],
    new: &[&'a T],
    key: impl Fn(&T) -> K,
) -> (Vec<(&'a T, &'a T)>, Vec<&'a T>, Vec<&'a T>) {
    let mut waiting: BTreeMap<K, VecDeque<usize>> = BTreeMap::new();
    for (i, n) in new.iter().enumerate() {
        waiting.entry(key(n)).or_default().push_back(i);
    }
    let mut taken = vec![false; new.len()];
    let mut pairs = Vec::new();
    let mut removed = Vec::new();
    for &o in old {
        match waiting.get_mut(&key(o)).and_then(VecDeque::pop_front) {
            Some(i) => {
                taken[i] = true;
                pairs.push((o, new[i]));
            }
            None => removed.push(o),
        }
    }
    (pairs, removed, untaken(new, &taken))
}

/// The items of `new` that `taken` does not mark, in order: what no old item was paired with.
fn untaken<'a, T>(new: &[&'a T], taken: &[bool]) -> Vec<&'a T> {
    new.iter()
        .zip(taken)
        .filter(|(_, taken)| !**taken)
        .map(|(n, _)| *n)
        .collect()
}

/// Items of `old` and `new` paired by keys read differently on each side, only where a key
/// belongs to exactly one item on each side (several candidates are no evidence of which is
/// which); items without a key stay unpaired. Then the leftovers, in order, as [`pair`].
pub(super) fn pair_unique<'a, T, K: Ord + Clone>(
    old: &[&'a T],
    new: &[&'a T],
    old_key: impl Fn(&T) -> Option<K>,
    new_key: impl Fn(&T) -> Option<K>,
) -> (Vec<(&'a T, &'a T)>, Vec<&'a T>, Vec<&'a T>) {
    // Per key: how many items of each side have it, and the last of each.
    let mut keys: BTreeMap<K, ([usize; 2], [usize; 2])> = BTreeMap::new();
    let old_keys: Vec<Option<K>> = old.iter().map(|o| old_key(o)).collect();
    let new_keys: Vec<Option<K>> = new.iter().map(|n| new_key(n)).collect();
    for (side, list) in [&old_keys, &new_keys].into_iter().enumerate() {
        for (i, key) in list.iter().enumerate() {
            if let Some(key) = key {
                let entry = keys.entry(key.clone()).or_insert(([0; 2], [0; 2]));
                entry.0[side] += 1;
                entry.1[side] = i;
            }
        }
    }
    let mut taken = vec![false; new.len()];
    let mut pairs = Vec::new();
    let mut removed = Vec::new();
    for (o, key) in old.iter().zip(&old_keys) {
        match key.as_ref().and_then(|k| keys.get(k)) {
            Some(([1, 1], [_, i])) => {
                taken[*i] = true;
                pairs.push((*o, new[*i]));
            }
            _ => removed.push(*o),
        }
    }
    (pairs, removed, untaken(new, &taken))
}
