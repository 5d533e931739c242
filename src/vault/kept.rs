//! What an outline load parsed, kept for the full load right after it, so that a two-stage
//! load (the explorer's first: the list from the outline, then everything) parses each note's
//! front matter, tags and heading once. The full load still reads each file (measured: reading
//! it again from the page cache costs what keeping its bytes would, BENCHMARKS.md "Each file
//! read once"), and when the file it opened is still the one the outline load read (the same
//! [`FileStat`]), it takes that note's outline and parses only what a full parse adds: links,
//! questions, cards, the answer sheet ([`super::Note::extend_to_full`]). Any other file is
//! parsed whole, as it would be without any of this.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::open::FileStat;
use super::{Note, Problem, Vault};

/// A note as the outline load read it: the identity of the file it opened, and the problems
/// reading and parsing it gave (its note is in the outline's vault, at `id` once known).
pub(super) struct Read {
    stat: FileStat,
    problems: Vec<Problem>,
    id: Option<usize>,
}

impl Read {
    pub(super) fn new(stat: FileStat, problems: Vec<Problem>) -> Read {
        Read {
            stat,
            problems,
            id: None,
        }
    }
}

/// The notes an outline load read from their files, and (once it is loaded) the outline's
/// vault that holds them.
#[derive(Default)]
pub struct Kept {
    /// As the outline load read them.
    read: Mutex<Vec<(String, Read)>>,
    /// By path, with each note's place in the outline, once it is loaded.
    by_path: Mutex<HashMap<String, Read>>,
    outline: Option<Arc<Vault>>,
    /// Notes extended instead of parsed whole.
    served: AtomicUsize,
}

impl Kept {
    /// What the outline load read, by path: collected by the load with its notes, under the
    /// lock it holds for them anyway (a lock and a map of their own, filled as the notes came,
    /// made the list 6% later at 100k notes).
    pub(super) fn read(&self, read: Vec<(String, Read)>) {
        *lock(&self.read) = read;
    }

    /// The outline load is done, and this is its vault (with its titles applied or not: the
    /// full load applies them again): what it read is indexed by path for the full load.
    pub fn outline_loaded(&mut self, vault: Arc<Vault>) {
        let read = std::mem::take(self.read.get_mut().unwrap_or_else(PoisonError::into_inner));
        let mut by_path: HashMap<String, Read> = read.into_iter().collect();
        for (id, note) in vault.notes.iter().enumerate() {
            if let Some(r) = by_path.get_mut(note.path.as_str()) {
                r.id = Some(id);
            }
        }
        *self
            .by_path
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner) = by_path;
        self.outline = Some(vault);
    }

    /// The outline of the note at `rel` and its problems, when the file the full load opened
    /// there (`stat`) is the one the outline load read; `None` (the note is parsed whole)
    /// otherwise, or before [`Kept::outline_loaded`].
    pub(super) fn take(&self, rel: &str, stat: FileStat) -> Option<(Note, Vec<Problem>)> {
        let outline = self.outline.as_ref()?;
        let read = lock(&self.by_path).remove(rel)?;
        if read.stat != stat {
            return None;
        }
        let note = outline.notes.get(read.id?)?.clone();
        self.served.fetch_add(1, Ordering::Relaxed);
        Some((note, read.problems))
    }

    /// How many notes the outline load read (and the full load has not taken).
    pub fn len(&self) -> usize {
        lock(&self.read).len() + lock(&self.by_path).len()
    }

    /// Whether no note is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many notes were extended from their outline instead of parsed whole.
    pub fn served(&self) -> usize {
        self.served.load(Ordering::Relaxed)
    }
}

/// A panic while holding the lock leaves what it guards whole (a push, an insert or a remove
/// either happened or not): taken as it is.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
