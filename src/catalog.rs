//! A vault with everything derived from it that the explorer needs: the tag tree and the list
//! orders at once, the search index at once or just after (see [`Catalog::search`]). The
//! loader builds a [`Catalog`] off the event loop, so a vault that arrives costs the loop
//! nothing but taking it. Terminal-free.
//!
//! Each catalog has a *generation*, unique in the process: note ids ([`NoteId`], indexes into
//! `vault.notes`) are only meaningful within one generation, so state that outlives a reload
//! keeps paths, or an id with the generation it came from.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use crate::search::{SCORING_BUDGET, SearchIndex};
use crate::tags::TagTree;
use crate::vault::order::Orders;
use crate::vault::{NoteId, Vault};

/// A loaded vault and its indexes, shared (cheaply cloned) between the loop and its workers.
#[derive(Clone)]
pub struct Catalog {
    pub vault: Arc<Vault>,
    /// The search index, once built: shared by every clone, so the loader can build it after
    /// sending the catalog (the list shows without waiting for it) and the loop sees it set.
    search: Arc<OnceLock<Arc<SearchIndex>>>,
    pub tags: Arc<TagTree>,
    pub orders: Arc<Orders>,
    /// Unique per catalog built in this process.
    pub generation: u64,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("notes", &self.vault.notes.len())
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

static GENERATIONS: AtomicU64 = AtomicU64::new(1);

/// Whether the notes of `a` and `b` give the indexes of a catalog the same input: the same
/// notes in the same order (the indexes hold note ids), with every field that
/// [`SearchIndex::build`] (title, aliases, file stem), [`TagTree::build`] (tags) and
/// [`Orders::build`] (title, dates) read. A field one of them comes to read belongs here too.
fn same_input(a: &Vault, b: &Vault) -> bool {
    use rayon::prelude::*;
    a.notes.len() == b.notes.len()
        && a.notes.par_iter().zip(&b.notes).all(|(x, y)| {
            x.path == y.path
                && x.title == y.title
                && x.stem == y.stem
                && x.aliases == y.aliases
                && x.tags == y.tags
                && x.created == y.created
                && x.modified == y.modified
        })
}

impl Catalog {
    /// Indexes `vault` (the search index, the tag tree and the three list orders).
    pub fn build(vault: Vault) -> Catalog {
        Catalog::build_after(vault, None)
    }

    /// [`Catalog::build`], taking the indexes of `before` (the catalog of an earlier load of
    /// the same vault) as they are when its notes give them the same input as `vault`'s: the
    /// explorer's full stage, after its outline stage, finds the same titles, aliases, tags
    /// and dates (unless a note changed between the two), and building the indexes again took
    /// it seconds at 100k notes.
    pub fn build_after(vault: Vault, before: Option<&Catalog>) -> Catalog {
        let catalog = Catalog::build_lists_after(vault, before);
        catalog.index_search();
        catalog
    }

    /// [`Catalog::build_after`] without building the search index (unless it is taken from
    /// `before`): what the list and the tags pane need, to be shown before the index is
    /// there. [`Catalog::index_search`] builds it after (at 100k notes it was half of the
    /// catalog's time, measured by the load trace).
    pub fn build_lists_after(vault: Vault, before: Option<&Catalog>) -> Catalog {
        let (search, (tags, orders)) = match before.filter(|b| same_input(&b.vault, &vault)) {
            // The cell itself: an index being built for `before` is this catalog's too.
            Some(b) => (b.search.clone(), (b.tags.clone(), b.orders.clone())),
            // Two independent builds, side by side.
            None => (
                Arc::default(),
                rayon::join(
                    || Arc::new(TagTree::build(&vault.notes)),
                    || Arc::new(Orders::build(&vault.notes)),
                ),
            ),
        };
        Catalog {
            vault: Arc::new(vault),
            search,
            tags,
            orders,
            generation: GENERATIONS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Builds the search index when it is not built yet; says whether it built it.
    pub fn index_search(&self) -> bool {
        let mut built = false;
        self.search.get_or_init(|| {
            built = true;
            Arc::new(SearchIndex::build(&self.vault.notes).with_budget(SCORING_BUDGET))
        });
        built
    }

    /// After the index's build failed (a bug): an empty index in its place, so that the names
    /// popup answers, with nothing, instead of saying it is indexing for an index not coming.
    pub fn without_search(&self) {
        let _ = self.search.set(Arc::new(
            SearchIndex::build(&[]).with_budget(SCORING_BUDGET),
        ));
    }

    /// The search index over titles, aliases and file names; `None` while it is being built
    /// (see [`Catalog::build_lists_after`]).
    pub fn search(&self) -> Option<&Arc<SearchIndex>> {
        self.search.get()
    }

    /// The note at `path` (as [`crate::vault::Note::path`] spells it), in this generation.
    pub fn note_at(&self, path: &str) -> Option<NoteId> {
        self.vault.by_path(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_is_a_new_generation_and_finds_notes_by_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.md"), "# B\n#tag/x\n").unwrap();
        std::fs::write(dir.path().join("sub/a.md"), "# A\n").unwrap();
        let a = Catalog::build(Vault::load(dir.path()).unwrap());
        let b = Catalog::build(Vault::load(dir.path()).unwrap());
        assert_ne!(a.generation, b.generation);
        let id = a.note_at("sub/a.md").unwrap();
        assert_eq!(a.vault.notes[id].title, "a");
        assert_eq!(a.note_at("nope.md"), None);
        assert_eq!(a.search().unwrap().len(), b.search().unwrap().len());
        assert_eq!(a.tags.roots[0].path, "tag");
        assert_eq!(a.orders.get(crate::vault::order::Sort::Title).len(), 2);
    }

    /// The full load after an outline load takes the outline's indexes when nothing they read
    /// changed (links and questions are not among it), and builds its own when a title did.
    #[test]
    fn indexes_are_taken_from_the_catalog_before_only_when_they_would_be_the_same() {
        use crate::vault::Depth;
        use crate::vault::order::Sort;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "# A\n[[b]]\nQ: why?\nA: so\n").unwrap();
        std::fs::write(dir.path().join("b.md"), "---\ntags: [x/y]\n---\n# B\n").unwrap();
        let load = |depth| Vault::load_to(dir.path(), depth).unwrap();
        let outline = Catalog::build(load(Depth::Outline));
        let full = Catalog::build_after(load(Depth::Full), Some(&outline));
        assert!(Arc::ptr_eq(&outline.search, &full.search));
        assert!(Arc::ptr_eq(&outline.tags, &full.tags));
        assert!(Arc::ptr_eq(&outline.orders, &full.orders));
        assert_ne!(outline.generation, full.generation);
        assert_eq!(full.vault.depth, Depth::Full);
        // A note edited between the two loads: its new title, tag and date are indexed.
        std::fs::write(
            dir.path().join("b.md"),
            "---\ntitle: 7 Zebra\ntags: [z]\ncreated: 2020-01-01\n---\n",
        )
        .unwrap();
        let edited = Catalog::build_after(load(Depth::Full), Some(&full));
        assert!(!Arc::ptr_eq(&full.search, &edited.search));
        let fresh = Catalog::build(load(Depth::Full));
        let hits = |c: &Catalog, q: &str| -> Vec<String> {
            c.search()
                .unwrap()
                .search(q, 10)
                .into_iter()
                .map(|h| c.vault.notes[h.note].title.clone())
                .collect()
        };
        assert_eq!(hits(&edited, "zebra"), ["7 Zebra"]);
        assert_eq!(hits(&edited, "zebra"), hits(&fresh, "zebra"));
        assert_eq!(*edited.tags, *fresh.tags);
        let roots: Vec<&str> = edited.tags.roots.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(roots, ["z"]);
        for sort in Sort::ALL {
            assert_eq!(edited.orders.get(sort), fresh.orders.get(sort));
        }
        assert_eq!(full.orders.get(Sort::Title), [0, 1]);
        assert_eq!(edited.orders.get(Sort::Title), [1, 0]);
    }

    /// A catalog built without its search index shows the lists at once; the index built
    /// after is seen by every clone (the loop's), and by a later catalog that took the cell.
    #[test]
    fn the_search_index_built_after_is_seen_by_every_clone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("heron.md"), "# Heron\n").unwrap();
        std::fs::write(dir.path().join("b.md"), "---\ntags: [x]\n---\n").unwrap();
        let lists = Catalog::build_lists_after(Vault::load(dir.path()).unwrap(), None);
        assert!(lists.search().is_none());
        assert_eq!(lists.tags.roots[0].path, "x");
        assert_eq!(lists.orders.get(crate::vault::order::Sort::Title).len(), 2);
        let sent = lists.clone();
        let next = Catalog::build_lists_after(Vault::load(dir.path()).unwrap(), Some(&lists));
        assert!(next.search().is_none());
        assert!(lists.index_search());
        assert!(!lists.index_search(), "built twice");
        for c in [&sent, &next] {
            let hits = c
                .search()
                .expect("the index, built after")
                .search("heron", 5);
            assert_eq!(hits.len(), 1);
            assert_eq!(c.vault.notes[hits[0].note].title, "heron");
        }
        // An index whose build failed is an empty one, not one still to come.
        let failed = Catalog::build_lists_after(Vault::load(dir.path()).unwrap(), None);
        failed.without_search();
        assert_eq!(failed.search().map(|i| i.search("heron", 5).len()), Some(0));
        assert!(!failed.index_search(), "built after all");
        // Built whole, the index is there at once.
        assert!(
            Catalog::build(Vault::load(dir.path()).unwrap())
                .search()
                .is_some()
        );
    }

    /// Each field an index reads, changed alone, makes the input differ (so the indexes are
    /// built again); a field none reads (links, questions, size) does not.
    #[test]
    fn every_field_the_indexes_read_is_compared_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "---\naliases: [al]\ntags: [t]\ncreated: 2020-01-01\nmodified: 2020-01-02\n---\n# A\n[[b]]\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.md"), "# B\n").unwrap();
        let vault = Vault::load(dir.path()).unwrap();
        assert!(vault.notes[0].created.is_some() && vault.notes[0].modified.is_some());
        assert!(same_input(&vault, &vault.clone()));
        type Edit = fn(&mut crate::vault::Note);
        let edits: [(&str, Edit); 7] = [
            ("path", |n| n.path.push('x')),
            ("title", |n| n.title.push('x')),
            ("stem", |n| n.stem.push('x')),
            ("aliases", |n| n.aliases.push("x".into())),
            ("tags", |n| n.tags.push("x".into())),
            ("created", |n| n.created = None),
            ("modified", |n| n.modified = None),
        ];
        for (field, edit) in edits {
            let mut other = vault.clone();
            edit(&mut other.notes[0]);
            assert!(
                !same_input(&vault, &other),
                "{field} changed alone went unseen"
            );
        }
        let mut other = vault.clone();
        other.notes[0].links.clear();
        other.notes[0].size += 1;
        assert!(same_input(&vault, &other));
        other.notes.pop();
        assert!(!same_input(&vault, &other));
    }
}
