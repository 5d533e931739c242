//! A vault with everything derived from it that the explorer needs at once: the search index,
//! the tag tree and the list orders. The loader builds a [`Catalog`] off the event loop, so a
//! vault that arrives costs the loop nothing but taking it. Terminal-free.
//!
//! Each catalog has a *generation*, unique in the process: note ids ([`NoteId`], indexes into
//! `vault.notes`) are only meaningful within one generation, so state that outlives a reload
//! keeps paths, or an id with the generation it came from.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::search::{SCORING_BUDGET, SearchIndex};
use crate::tags::TagTree;
use crate::vault::order::Orders;
use crate::vault::{NoteId, Vault};

/// A loaded vault and its indexes, shared (cheaply cloned) between the loop and its workers.
#[derive(Clone)]
pub struct Catalog {
    pub vault: Arc<Vault>,
    pub search: Arc<SearchIndex>,
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

impl Catalog {
    /// Indexes `vault` (the search index, the tag tree and the three list orders).
    pub fn build(vault: Vault) -> Catalog {
        let search = SearchIndex::build(&vault.notes).with_budget(SCORING_BUDGET);
        let tags = TagTree::build(&vault.notes);
        let orders = Orders::build(&vault.notes);
        Catalog {
            vault: Arc::new(vault),
            search: Arc::new(search),
            tags: Arc::new(tags),
            orders: Arc::new(orders),
            generation: GENERATIONS.fetch_add(1, Ordering::Relaxed),
        }
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
        assert_eq!(a.search.len(), b.search.len());
        assert_eq!(a.tags.roots[0].path, "tag");
        assert_eq!(a.orders.get(crate::vault::order::Sort::Title).len(), 2);
    }
}
