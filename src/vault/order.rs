//! The orders of the note list: by title, or newest first by created or modified date. The
//! command line sorts once; the explorer keeps all three orders, made by the loader off the
//! event loop, so changing the order or the tag filter on 100k notes is a linear pass.

use serde::{Deserialize, Serialize};

use super::{Note, NoteId};

/// How the note list is ordered.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Sort {
    /// By title, ignoring case.
    #[default]
    Title,
    /// Newest created first.
    Created,
    /// Newest modified first.
    Modified,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Title, Sort::Created, Sort::Modified];

    /// As `--sort` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Title => "title",
            Sort::Created => "created",
            Sort::Modified => "modified",
        }
    }

    /// The order after this one, for a key that cycles through them.
    pub fn next(self) -> Sort {
        match self {
            Sort::Title => Sort::Created,
            Sort::Created => Sort::Modified,
            Sort::Modified => Sort::Title,
        }
    }
}

/// Sorts note ids: by title (case-insensitive), or newest first by created/modified; notes
/// without the date last; ties by path (the ids' order).
///
/// On all cores (at 100k notes, lowering every title and sorting them on one was a twentieth
/// of a warm `list`): every key ends in the id, so no two are equal and an unstable sort gives
/// the one order there is.
pub fn sort_notes(notes: &[Note], ids: &mut [NoteId], sort: Sort) {
    use rayon::prelude::*;
    match sort {
        Sort::Title => {
            let mut keyed: Vec<(String, NoteId)> = ids
                .par_iter()
                .map(|&i| (notes[i].title.to_lowercase(), i))
                .collect();
            keyed.par_sort_unstable();
            for (id, (_, i)) in ids.iter_mut().zip(keyed) {
                *id = i;
            }
        }
        Sort::Created | Sort::Modified => ids.par_sort_unstable_by_key(|&i| {
            let d = if sort == Sort::Created {
                &notes[i].created
            } else {
                &notes[i].modified
            };
            (d.as_ref().map_or(i64::MAX, |d| -d.sort_key), i)
        }),
    }
}

/// Every note of a vault in each order.
#[derive(Debug, Clone, Default)]
pub struct Orders {
    by: [Vec<NoteId>; 3],
}

impl Orders {
    pub fn build(notes: &[Note]) -> Orders {
        let sorted = |sort| {
            let mut ids: Vec<NoteId> = (0..notes.len()).collect();
            sort_notes(notes, &mut ids, sort);
            ids
        };
        // Side by side: three independent sorts.
        let (title, (created, modified)) = rayon::join(
            || sorted(Sort::Title),
            || rayon::join(|| sorted(Sort::Created), || sorted(Sort::Modified)),
        );
        debug_assert_eq!(Sort::ALL, [Sort::Title, Sort::Created, Sort::Modified]);
        Orders {
            by: [title, created, modified],
        }
    }

    /// Every note, in `sort`'s order.
    pub fn get(&self, sort: Sort) -> &[NoteId] {
        let i = Sort::ALL.iter().position(|&s| s == sort).unwrap_or(0);
        &self.by[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::Vault;

    fn vault(files: &[(&str, &str)]) -> Vault {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        Vault::load(dir.path()).unwrap()
    }

    #[test]
    fn orders_by_title_and_newest_first() {
        let v = vault(&[
            ("a.md", "---\ntitle: beta\ncreated: 2025-01-02\n---\n"),
            ("b.md", "---\ntitle: Alpha\ncreated: 2025-03-01\n---\n"),
            ("c.md", "---\ntitle: 가나\n---\n"),
        ]);
        let titles = |sort| -> Vec<&str> {
            Orders::build(&v.notes)
                .get(sort)
                .iter()
                .map(|&i| v.notes[i].title.as_str())
                .collect()
        };
        assert_eq!(titles(Sort::Title), ["Alpha", "beta", "가나"]);
        // Newest first; the note without a date last.
        assert_eq!(titles(Sort::Created), ["Alpha", "beta", "가나"]);
        let mut ids = vec![2, 0, 1];
        sort_notes(&v.notes, &mut ids, Sort::Title);
        assert_eq!(ids, [1, 0, 2]);
        assert_eq!(Sort::Modified.next(), Sort::Title);
    }
}
