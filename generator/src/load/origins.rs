//! Where things came from: loading moves parts of a document (a `$ref` target into
//! `components`, a file's schema into this document, a 3.1 construct into its 3.0 shape), and
//! diagnostics about a moved part must still point at the user's own text.

/// A side table of moves, as `(now, before)` pointer prefixes. Moves are undone from last to
/// first, so a part moved twice is traced back through both moves; moves made at the same
/// time (members of one list shifting down) form one batch, of which at most one applies.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    batches: Vec<Vec<(String, String)>>,
}

impl Origins {
    /// Records that what is now at `now` (and below it) was at `before`.
    pub fn moved(&mut self, now: impl Into<String>, before: impl Into<String>) {
        self.moved_together([(now.into(), before.into())]);
    }

    /// Records moves made at the same time.
    pub fn moved_together(&mut self, moves: impl IntoIterator<Item = (String, String)>) {
        let batch: Vec<(String, String)> = moves.into_iter().filter(|(a, b)| a != b).collect();
        if !batch.is_empty() {
            self.batches.push(batch);
        }
    }

    /// True when nothing was moved.
    pub fn is_empty(&self) -> bool {
        self.batches.iter().all(Vec::is_empty)
    }

    /// Where `pointer` (in the loaded document) was in the user's files.
    pub fn original(&self, pointer: &str) -> String {
        let mut pointer = pointer.to_owned();
        for batch in self.batches.iter().rev() {
            // The longest matching prefix wins: a move inside a moved part is more precise.
            let found = batch
                .iter()
                .filter(|(now, _)| is_prefix(now, &pointer))
                .max_by_key(|(now, _)| now.len());
            if let Some((now, before)) = found {
                pointer = format!("{before}{}", &pointer[now.len()..]);
            }
        }
        pointer
    }
}

/// Whether `prefix` is `pointer` or one of its ancestors (whole segments only).
fn is_prefix(prefix: &str, pointer: &str) -> bool {
    pointer
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_are_undone_last_first_and_by_whole_segments() {
        let mut origins = Origins::default();
        origins.moved(
            "#/components/schemas/AB",
            "#/components/schemas/A/properties/b",
        );
        // Two members of one `anyOf` shift down together; neither rewrites the other.
        origins.moved_together([
            (
                "#/components/schemas/AB/anyOf/0".into(),
                "#/components/schemas/AB/anyOf/1".into(),
            ),
            (
                "#/components/schemas/AB/anyOf/1".into(),
                "#/components/schemas/AB/anyOf/2".into(),
            ),
        ]);
        let table = [
            (
                "#/components/schemas/AB/anyOf/0/type",
                "#/components/schemas/A/properties/b/anyOf/1/type",
            ),
            (
                "#/components/schemas/AB/anyOf/1",
                "#/components/schemas/A/properties/b/anyOf/2",
            ),
            ("#/components/schemas/ABC", "#/components/schemas/ABC"),
            (
                "#/components/schemas/AB",
                "#/components/schemas/A/properties/b",
            ),
        ];
        for (now, before) in table {
            assert_eq!(origins.original(now), before, "{now}");
        }
    }
}
