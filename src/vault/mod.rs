//! The vault: every note of a folder with its front matter, tags, aliases, links and questions,
//! plus the problems found while loading. Terminal-free: the TUI and the headless subcommands
//! both read from here.
//!
//! Loading never stops at a bad file: each one becomes a [`Problem`], and a note that is
//! readable at all still loads.

pub mod body;
pub mod cache;
pub mod cards;
pub mod dates;
mod decode;
pub mod frontmatter;
mod kept;
pub(crate) mod open;
pub mod order;
pub mod questions;
pub mod resolve;
pub mod walk;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use body::{LinkForm, RawLink};
pub use cards::CardSettings;
pub use dates::NoteDate;
pub use kept::Kept;
pub use questions::{Choice, Question, QuestionFormat};

/// Index of a note in [`Vault::notes`].
pub type NoteId = usize;

/// Notes larger than this are not read (a vault of study notes has no reason for them).
pub const MAX_NOTE_BYTES: u64 = 64 * 1024 * 1024;

/// What kind of trouble a [`Problem`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// The file or folder could not be read.
    Unreadable,
    /// A FIFO, socket or device with a `.md` name.
    NotAFile,
    /// A symlink that is broken, loops, or points outside the vault.
    Symlink,
    /// Bytes that are not valid UTF-8 (the note loads with replacement characters).
    Encoding,
    /// A binary file named `.md`.
    Binary,
    /// A file over [`MAX_NOTE_BYTES`].
    TooLarge,
    /// The file is empty.
    Empty,
    /// Front matter that is unclosed, invalid or too large (the note loads without it).
    FrontMatter,
    /// One front-matter field that could not be used (the others still apply).
    Field,
    /// A `[[link]]` to no note or file of the vault.
    UnresolvedLink,
    /// A `[[link]]` to no note or file that only a title or alias would reach: unresolved in
    /// Obsidian, which links by path and file name (`[[File name|alias]]` reaches it).
    AliasOnlyLink,
    /// A file name that several notes share: a link by that name opens the nearest
    /// (informational: not counted as a failure by `check`).
    AmbiguousName,
    /// The same alias on several notes.
    DuplicateAlias,
    /// The note's markdown could not be rendered (the explorer shows it as plain text).
    Render,
    /// The first heading would be the title but shows as nothing (only invisible characters);
    /// a later heading or the file name is the title instead.
    Title,
    /// A plugin's settings file that cannot be used (its defaults apply).
    Settings,
}

/// Something wrong with one file, located as precisely as known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Path relative to the vault root.
    pub path: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub kind: ProblemKind,
    pub message: String,
}

impl ProblemKind {
    /// Whether the kind only informs (nothing is wrong): `check` does not fail for it.
    pub fn is_informational(self) -> bool {
        matches!(self, ProblemKind::AmbiguousName)
    }
}

impl Problem {
    pub fn new(
        path: impl Into<String>,
        line: Option<usize>,
        kind: ProblemKind,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            line,
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Where a note's displayed title came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TitleSource {
    FrontMatter,
    Heading,
    FileName,
}

/// Where the titles of notes without a `title` property come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TitleRule {
    /// The file name, as Obsidian shows it.
    #[default]
    FileName,
    /// The first `# heading`, else the file name (for vaults written that way).
    Heading,
}

/// What a link points at once resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "to", rename_all = "kebab-case")]
pub enum Resolved {
    Note(NoteId),
    /// A non-note file of the vault (an image, a PDF), by relative path.
    Attachment(String),
    Unresolved,
}

/// A wikilink as written and what it resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    #[serde(flatten)]
    pub raw: RawLink,
    pub resolved: Resolved,
}

/// One note.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    /// Path relative to the vault root, `/`-separated.
    pub path: String,
    /// File name without `.md`.
    pub stem: String,
    pub title: String,
    pub title_source: TitleSource,
    /// Front-matter tags then inline `#tags`, without `#`, each once (case-insensitively).
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    pub created: Option<NoteDate>,
    /// From front matter, else the file's modification time.
    pub modified: Option<NoteDate>,
    /// Front-matter keys other than the known fields.
    pub properties: Map<String, Value>,
    pub links: Vec<Link>,
    /// The first `# heading` that shows (the title under [`TitleRule::Heading`]).
    pub heading: Option<String>,
    /// The line of a `# heading` before [`Note::heading`] that shows as nothing (only
    /// invisible characters): a problem under [`TitleRule::Heading`].
    pub blank_heading: Option<usize>,
    pub questions: Vec<Question>,
    /// What the note answers, when it is the answer note of a split question (`해설.md`);
    /// joined to its question note when the vault loads.
    #[serde(skip)]
    pub answer_sheet: Option<questions::split::Sheet>,
    /// Size of the file in bytes.
    pub size: u64,
    /// File line (1-based) on which the body (the text after the front matter) starts.
    #[serde(skip)]
    pub body_line: usize,
    /// The file that was read (a symlink's target), so two paths to one file are known as one.
    #[serde(skip)]
    pub file: PathBuf,
}

/// How much of each note a load indexes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Depth {
    /// Front matter, title and inline tags: what a note list, the tag tree and search need.
    /// Links and questions are left empty, and only problems found reading a file are listed
    /// (no unresolved links or duplicate aliases).
    Outline,
    /// Everything: also links (resolved, with backlinks and link problems) and questions.
    #[default]
    Full,
}

impl Note {
    /// Reads a note from its text, fully. Pure: `mtime` stands in for the file system. Returns
    /// the note and the problems found in its text.
    pub fn parse(
        rel_path: &str,
        text: &str,
        size: u64,
        mtime: Option<NoteDate>,
    ) -> (Note, Vec<Problem>) {
        Note::parse_to(rel_path, text, size, mtime, Depth::Full)
    }

    /// [`Note::parse`] to the given depth.
    pub fn parse_to(
        rel_path: &str,
        text: &str,
        size: u64,
        mtime: Option<NoteDate>,
        depth: Depth,
    ) -> (Note, Vec<Problem>) {
        Note::parse_with(
            rel_path,
            text,
            size,
            mtime,
            depth,
            &cards::settings::DEFAULT,
        )
    }

    /// [`Note::parse_to`] with the vault's flashcard settings.
    pub fn parse_with(
        rel_path: &str,
        text: &str,
        size: u64,
        mtime: Option<NoteDate>,
        depth: Depth,
        cards: &CardSettings,
    ) -> (Note, Vec<Problem>) {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut problems = Vec::new();
        let stem = stem_of(rel_path);
        let mut yaml_text = None;
        let (fm, body_start, body_line) = match frontmatter::split(text) {
            frontmatter::Block::None => (None, 0, 1),
            frontmatter::Block::Unclosed => {
                problems.push(Problem::new(
                    rel_path,
                    Some(1),
                    ProblemKind::FrontMatter,
                    "front matter opened with `---` on line 1 is never closed (no `---` or `...` line); read as body",
                ));
                (None, 0, 1)
            }
            frontmatter::Block::Closed {
                yaml,
                body_start,
                body_line,
            } => {
                yaml_text = Some(yaml);
                match frontmatter::parse(yaml, 2) {
                    Ok((fm, issues)) => {
                        problems.extend(issues.into_iter().map(|i| {
                            Problem::new(rel_path, i.line, ProblemKind::Field, i.message)
                        }));
                        (Some(fm), body_start, body_line)
                    }
                    Err(fail) => {
                        problems.push(Problem::new(
                            rel_path,
                            fail.line,
                            ProblemKind::FrontMatter,
                            fail.message,
                        ));
                        (None, body_start, body_line)
                    }
                }
            }
        };
        let body = &text[body_start..];
        let lines = (depth == Depth::Full).then(|| body::lines(body, body_line));
        let mut index = match &lines {
            Some(lines) => body::scan(lines.iter().copied(), true),
            None => body::scan(body::Lines::new(body, body_line), false),
        };
        let fm = fm.unwrap_or_default();
        // The title property, else the file name; [`Vault::with_titles`] may take the
        // heading instead.
        let (title, title_source) = match fm.title {
            Some(t) => (t, TitleSource::FrontMatter),
            None => (file_title(rel_path, &stem), TitleSource::FileName),
        };
        let mut tags = fm.tags;
        let mut distinct = DistinctTags::default();
        for t in index.tags {
            distinct.push(&mut tags, t);
        }
        let (links, questions, answer_sheet) = match &lines {
            Some(lines) => {
                let found = std::mem::take(&mut index.links);
                let of = Outlined {
                    stem: &stem,
                    tags: &tags,
                    properties: &fm.properties,
                };
                full_parts(&of, lines, found, yaml_text, cards)
            }
            None => (Vec::new(), Vec::new(), None),
        };
        let note = Note {
            path: rel_path.to_owned(),
            stem,
            title,
            title_source,
            tags,
            aliases: fm.aliases,
            created: fm.created,
            modified: fm.modified.or(mtime),
            properties: fm.properties,
            links,
            heading: index.h1,
            blank_heading: index.blank_h1,
            questions,
            answer_sheet,
            size,
            body_line,
            file: PathBuf::new(),
        };
        (note, problems)
    }

    /// This note, parsed to [`Depth::Outline`] from `text`, parsed fully from the same text:
    /// what a full parse of `text` gives, without parsing its front matter again (the
    /// outline's fields are the full parse's) and without looking for its tags and heading.
    fn extend_to_full(&mut self, text: &str, cards: &CardSettings) {
        let (yaml, body) = Note::split_text(text);
        let lines = body::lines(body, self.body_line);
        let found = body::links(lines.iter().copied());
        let of = Outlined {
            stem: &self.stem,
            tags: &self.tags,
            properties: &self.properties,
        };
        (self.links, self.questions, self.answer_sheet) =
            full_parts(&of, &lines, found, yaml, cards);
    }

    /// The markdown after the front matter in `text` (the file's text).
    pub fn body_of(text: &str) -> &str {
        Note::split_text(text).1
    }

    /// The front matter's YAML in `text` (the file's text), when a closed block opens it, and
    /// the markdown after it (all of the text, a byte order mark aside, without one).
    fn split_text(text: &str) -> (Option<&str>, &str) {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        match frontmatter::split(text) {
            frontmatter::Block::Closed {
                yaml, body_start, ..
            } => (Some(yaml), &text[body_start..]),
            frontmatter::Block::None | frontmatter::Block::Unclosed => (None, text),
        }
    }

    /// Whether the note carries `tag` or one of its descendants (`service` covers
    /// `service/sagemaker`), case-insensitively.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| tag_covers(tag, t))
    }
}

/// The title a note without a `title` property shows by its file name: the stem, or the path
/// when the stem is invisible characters only (it at least shows `.md`).
fn file_title(rel_path: &str, stem: &str) -> String {
    if crate::sanitize::looks_blank(stem) {
        rel_path.to_owned()
    } else {
        stem.to_owned()
    }
}

/// A note's file name without `.md`, from its relative path.
pub(crate) fn stem_of(rel_path: &str) -> String {
    Path::new(rel_path)
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// A tag (or segment) as compared: Obsidian treats tags without regard to case, in any script.
pub fn fold_tag(tag: &str) -> std::borrow::Cow<'_, str> {
    if tag.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(tag.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(tag)
    }
}

/// Whether two tags are the same tag (equal after lower-casing each character, which is what
/// [`fold_tag`] gives but for a word-final `Σ`: `str::to_lowercase` makes it `ς`, a character's
/// own lower case is `σ`), without allocating. Two
/// ASCII tags (nearly all) compare by bytes ignoring ASCII case, which is what lower-casing
/// their characters gives, and differ at once when their lengths do.
pub fn same_tag(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a == b
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
}

/// Keeps a list of tags distinct (by [`fold_tag`]): a short list is searched in place, and a
/// long one gets a hash set, so a note with thousands of tags stays linear.
#[derive(Default)]
pub(crate) struct DistinctTags {
    folded: Option<std::collections::HashSet<String>>,
}

impl DistinctTags {
    const SMALL: usize = 32;

    /// Pushes `tag` onto `list` unless the list has it already; true when pushed.
    pub(crate) fn push(&mut self, list: &mut Vec<String>, tag: String) -> bool {
        if list.len() < Self::SMALL {
            if list.iter().any(|t| same_tag(t, &tag)) {
                return false;
            }
        } else {
            let set = self
                .folded
                .get_or_insert_with(|| list.iter().map(|t| fold_tag(t).into_owned()).collect());
            if !set.insert(fold_tag(&tag).into_owned()) {
                return false;
            }
        }
        list.push(tag);
        true
    }
}

/// `ancestor` equals `tag` or is one of its parent paths, ignoring case.
///
/// Asked of every tag of every note when the list is filtered (on the explorer's thread, at
/// each change of the filter): two ASCII tags (nearly all) compare by bytes ignoring ASCII
/// case, which is what lower-casing their characters gives, without decoding a character
/// (at 100k notes, 17 ms less for a filter that no note matches).
pub fn tag_covers(ancestor: &str, tag: &str) -> bool {
    let ancestor = ancestor.trim_matches('/');
    if ancestor.is_ascii() && tag.is_ascii() {
        let (a, t) = (ancestor.as_bytes(), tag.as_bytes());
        return t.len() >= a.len()
            && t[..a.len()].eq_ignore_ascii_case(a)
            && (t.len() == a.len() || t[a.len()] == b'/');
    }
    let a = fold_tag(ancestor);
    let t = fold_tag(tag);
    t.len() >= a.len()
        && t.starts_with(a.as_ref())
        && (t.len() == a.len() || t.as_bytes()[a.len()] == b'/')
}

/// How far a load has come, shared with another thread (relaxed counters: a gauge needs no
/// more).
#[derive(Debug, Default)]
pub struct Progress {
    /// Note files the walk has found so far.
    pub found: AtomicUsize,
    /// Note files read and parsed so far.
    pub read: AtomicUsize,
}

impl Progress {
    /// (read, found) at this moment.
    pub fn get(&self) -> (usize, usize) {
        let read = self.read.load(Ordering::Relaxed);
        (read, self.found.load(Ordering::Relaxed).max(read))
    }

    pub fn reset(&self) {
        self.found.store(0, Ordering::Relaxed);
        self.read.store(0, Ordering::Relaxed);
    }
}

/// A loaded vault.
#[derive(Debug, Default, Clone)]
pub struct Vault {
    /// The folder, canonicalised.
    pub root: PathBuf,
    /// Sorted by path.
    pub notes: Vec<Note>,
    /// For each note, the notes linking to it (sorted, each once).
    pub backlinks: Vec<Vec<NoteId>>,
    /// Non-note files, relative paths.
    pub attachments: Vec<String>,
    /// The folders the load read (absolute, the root first): what to watch for changes.
    pub folders: Vec<PathBuf>,
    pub problems: Vec<Problem>,
    /// How much was indexed.
    pub depth: Depth,
    /// Where the titles came from ([`Vault::with_titles`]).
    pub titles: TitleRule,
}

/// What a load's walk collected (see `Vault::load_from`).
struct Found {
    notes: Vec<Note>,
    items: Vec<cache::Item>,
    /// What an outline load read of each note, by path, for [`Kept`].
    kept: Vec<(String, kept::Read)>,
    attachments: Vec<String>,
    folders: Vec<PathBuf>,
    problems: Vec<Problem>,
}

/// The notes a load found before its cache file was read, each with its identity as found,
/// and the folders whose handles they hold (by address).
#[derive(Default)]
struct Early {
    notes: Vec<(walk::Candidate, Option<open::FileStat>)>,
    folders: Vec<usize>,
}

impl Vault {
    /// Loads and fully indexes every note under `root`, in parallel. Fails only when `root`
    /// itself is not a readable folder; everything else becomes a [`Problem`].
    pub fn load(root: &Path) -> anyhow::Result<Vault> {
        Vault::load_to(root, Depth::Full)
    }

    /// [`Vault::load`] to the given depth.
    pub fn load_to(root: &Path, depth: Depth) -> anyhow::Result<Vault> {
        Vault::load_counting(root, depth, &Progress::default())
    }

    /// The vault folder as loading sees it: canonical, and a folder. Checked before a load
    /// so that a wrong path is an error up front, not on a screen.
    pub fn open_root(root: &Path) -> anyhow::Result<PathBuf> {
        let canonical = root
            .canonicalize()
            .map_err(|e| anyhow::anyhow!("cannot open vault folder {}: {e}", root.display()))?;
        if !canonical.is_dir() {
            anyhow::bail!("{} is not a folder", root.display());
        }
        Ok(canonical)
    }

    /// [`Vault::load_to`], counting the notes found and read in `progress` as it goes, for a
    /// progress gauge in another thread.
    pub fn load_counting(root: &Path, depth: Depth, progress: &Progress) -> anyhow::Result<Vault> {
        let root = Vault::open_root(root)?;
        Vault::load_from(&root, depth, progress, None, None).map(|(vault, _, _)| vault)
    }

    /// [`Vault::load_counting`] taking each unchanged note from `cache` instead of its file
    /// (see [`cache`]): the same vault as without it. Returns the new cache to write.
    pub fn load_with_cache(
        root: &Path,
        depth: Depth,
        progress: &Progress,
        cache: cache::Cache,
    ) -> anyhow::Result<(Vault, cache::CacheUpdate)> {
        Vault::load_keeping(root, depth, progress, cache, None)
    }

    /// [`Vault::load_with_cache`] in two stages that parse each note's front matter, tags and
    /// heading once: an outline load notes in `kept` what it read, and the full load after it
    /// (once [`Kept::outline_loaded`]) extends the outline of each note whose file is unchanged
    /// since instead of parsing it whole. The vault is the same as without `kept`.
    pub fn load_keeping(
        root: &Path,
        depth: Depth,
        progress: &Progress,
        cache: cache::Cache,
        kept: Option<&Kept>,
    ) -> anyhow::Result<(Vault, cache::CacheUpdate)> {
        let root = Vault::open_root(root)?;
        // A cache opened for another folder is none.
        let mut cache = if cache.root() == root {
            cache
        } else {
            cache::Cache::off(&root)
        };
        let (vault, items, cards) =
            Vault::load_from(&root, depth, progress, Some(&mut cache), kept)?;
        let update = cache.finish(depth, &cards, items);
        Ok((vault, update))
    }

    /// The load itself, from the canonical `root`: the vault, what each note gives the next
    /// cache (when there is one), and the flashcard settings the notes were parsed with.
    fn load_from(
        root: &Path,
        depth: Depth,
        progress: &Progress,
        mut cache: Option<&mut cache::Cache>,
        kept: Option<&Kept>,
    ) -> anyhow::Result<(Vault, Vec<cache::Item>, CardSettings)> {
        // Every note is opened relative to this handle, or to the handle the walk reached its
        // folder by from this one (see `open`).
        let dir = open::RootDir::open(root)
            .map_err(|e| anyhow::anyhow!("cannot open vault folder {}: {e}", root.display()))?;
        let dir = &dir;
        let (cards, settings_problem) = match depth {
            Depth::Full => CardSettings::load(dir, root),
            Depth::Outline => (CardSettings::default(), None),
        };
        let cards_ref = &cards;
        let recording = cache.as_deref().is_some_and(cache::Cache::records);
        let caching = cache.is_some();
        // The old cache file, and its records by path once it is read: a file not read yet is
        // read on a thread of its own while the walk starts.
        let old_file = cache.as_deref_mut().map(|c| c.take_old(depth, cards_ref));
        let old: OnceLock<Option<cache::Old>> = OnceLock::new();
        let index: OnceLock<Option<cache::Index<'_>>> = OnceLock::new();
        let mut hint = 0;
        let reader = match old_file {
            Some(cache::OldFile::Unread(o)) => {
                hint = o.size_hint();
                Some(cache::OldFile::Unread(o))
            }
            Some(f @ cache::OldFile::Read(_)) => {
                let o = old.get_or_init(|| f.read(depth));
                let _ = index.set(o.as_ref().map(|o| o.index(depth, cards_ref)));
                None
            }
            None => {
                let _ = index.set(None);
                None
            }
        };
        if let Some(Some(i)) = index.get() {
            hint = i.size_hint();
        }
        // Only a hint: when the memory is not to be had, the lists grow as they fill.
        fn sized<T>(n: usize) -> Vec<T> {
            let mut v = Vec::new();
            let _ = v.try_reserve_exact(n);
            v
        }
        // What the walk finds, from whichever thread found it: a note read (or taken from
        // the cache) in the walk's task for it, so reading and parsing overlap the walk, and
        // put straight where the load keeps it, under a lock held only for that push. (Sent
        // through a channel and collected after the walk, every note of the vault waited in
        // the channel first: at 100k notes, 50 MB of fresh memory touched for nothing; drained
        // by another thread as it went, each send woke it.) The notes are sized up front from
        // the cache's header, about the notes found last time: grown by doubling, those of a
        // large vault were copied and their fresh pages touched about twice.
        let found = std::sync::Mutex::new(Found {
            notes: sized(hint),
            items: sized(if caching { hint } else { 0 }),
            attachments: Vec::new(),
            folders: Vec::new(),
            problems: settings_problem.into_iter().collect(),
            kept: Vec::new(),
        });
        // A panic while holding the lock is the load's panic anyway: what was collected is
        // taken as it is.
        fn locked<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
            m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
        }
        let collect = || locked(&found);
        // A note, its record looked up in `index` (`stat`: its identity as the walk found it,
        // else looked up now).
        let take_note = |c: walk::Candidate,
                         index: Option<&cache::Index>,
                         stat: Option<Option<open::FileStat>>| {
            let mut read = None;
            // The identity is looked up now in the folder handle the walk holds, unless the
            // walk looked it up already.
            let stat_now = || stat.unwrap_or_else(|| c.stat(dir));
            let (note, probs, item) = match index.and_then(|i| i.reuse(stat_now, root, &c)) {
                Some((note, probs, item)) => (Some(note), probs, item),
                None => {
                    let (note, probs, stat) = read_note(dir, &c, depth, cards_ref, kept);
                    let item = match (&note, stat) {
                        (Some(n), Some(stat)) if recording => {
                            cache::new_record(root, &c, stat, n, &probs, depth)
                        }
                        _ => cache::Item::None,
                    };
                    // What an outline load read, for the full load after it.
                    read = match (kept, &note, stat) {
                        (Some(_), Some(_), Some(stat)) if depth == Depth::Outline => {
                            Some(kept::Read::new(stat, probs.clone()))
                        }
                        _ => None,
                    };
                    (note, probs, item)
                }
            };
            {
                let mut got = collect();
                got.problems.extend(probs);
                got.notes.extend(note);
                if caching {
                    got.items.push(item);
                }
                if let Some(r) = read {
                    got.kept.push((c.rel, r));
                }
            }
            progress.read.fetch_add(1, Ordering::Relaxed);
        };
        // Notes found while the cache is still being read: each with its identity as the walk
        // found it, looked up after the walk. Each keeps its folder's handle, to be read in it
        // if it must be, for the first 256 folders; beyond them a note is read by
        // its path from the root (as safely: see `open`), so that a vault of many small
        // folders does not hold a handle open for each.
        let early_folders = read_cache_after_walk().unwrap_or(256);
        let early = std::sync::Mutex::new(Early::default());
        let on_found = |f: walk::Found| match f {
            walk::Found::Note(mut c) => match index.get() {
                Some(i) => take_note(c, i.as_ref(), None),
                None => {
                    let stat = c.stat(dir);
                    let mut e = locked(&early);
                    if let Some(at) = &c.at {
                        let folder = std::sync::Arc::as_ptr(at) as usize;
                        // A folder kept is held by its notes: its address is not reused.
                        if !e.folders.contains(&folder) {
                            if e.folders.len() < early_folders {
                                e.folders.push(folder);
                            } else {
                                c.at = None;
                            }
                        }
                    }
                    e.notes.push((c, stat));
                }
            },
            walk::Found::Attachment(a) => collect().attachments.push(a),
            walk::Found::Folder(f) => collect().folders.push(f),
            walk::Found::Problem(p) => collect().problems.push(p),
        };
        // Reads the file, on whichever thread takes it first: its own beside the walk, else
        // this one after the walk (the thread could not be made, or has not started yet).
        let reader = std::sync::Mutex::new(reader);
        let read = || {
            let file = locked(&reader).take();
            if let Some(file) = file {
                let o = old.get_or_init(|| file.read(depth));
                let _ = index.set(o.as_ref().map(|o| o.index(depth, cards_ref)));
            }
        };
        std::thread::scope(|s| {
            if locked(&reader).is_some() && read_cache_after_walk().is_none() {
                let _ = std::thread::Builder::new()
                    .name("cache reader".into())
                    .spawn_scoped(s, read);
            }
            walk::walk(dir, &progress.found, &on_found);
            read();
        });
        {
            use rayon::prelude::*;
            let early = early
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let i = index.get().and_then(Option::as_ref);
            early
                .notes
                .into_par_iter()
                .for_each(|(c, stat)| take_note(c, i, Some(stat)));
        }
        drop(index);
        if let Some(c) = cache {
            c.put_old(old.into_inner().flatten());
        }
        let Found {
            mut notes,
            items,
            attachments,
            mut folders,
            problems,
            kept: read,
        } = found
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(k) = kept.filter(|_| depth == Depth::Outline) {
            k.read(read);
        }
        // A cache of a larger vault (or a forged count) sized the notes beyond what was found:
        // the vault keeps them as long as it lives, so what is far too much is given back.
        if notes.capacity() > notes.len() * 2 + 1024 {
            notes.shrink_to_fit();
        }
        // Found in no set order by the threads of the walk: the root sorts first.
        folders.sort_unstable();
        let mut vault =
            Vault::from_notes_to(root.to_path_buf(), notes, attachments, problems, depth);
        vault.folders = folders;
        Ok((vault, items, cards))
    }

    /// Builds the indexes over fully parsed notes (used by tests and tools).
    pub fn from_notes(
        root: PathBuf,
        notes: Vec<Note>,
        attachments: Vec<String>,
        problems: Vec<Problem>,
    ) -> Vault {
        Vault::from_notes_to(root, notes, attachments, problems, Depth::Full)
    }

    fn from_notes_to(
        root: PathBuf,
        mut notes: Vec<Note>,
        mut attachments: Vec<String>,
        mut problems: Vec<Problem>,
        depth: Depth,
    ) -> Vault {
        sort_by_path(&mut notes);
        attachments.sort();
        let backlinks = if depth == Depth::Full {
            resolve::resolve_in_place(&mut notes, &attachments);
            questions::split::join(&mut notes);
            // Four independent passes over all the notes, side by side: the backlinks (on one
            // core) and the three vault-wide checks.
            let ((back, links), (names, aliases)) = rayon::join(
                || {
                    rayon::join(
                        || resolve::backlinks(&notes),
                        || resolve::link_problems(&notes),
                    )
                },
                || {
                    rayon::join(
                        || resolve::ambiguous_names(&notes),
                        || resolve::duplicate_aliases(&notes),
                    )
                },
            );
            problems.extend(links);
            problems.extend(names);
            problems.extend(aliases);
            back
        } else {
            vec![Vec::new(); notes.len()]
        };
        problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Vault {
            root,
            notes,
            backlinks,
            attachments,
            folders: Vec::new(),
            problems,
            depth,
            titles: TitleRule::FileName,
        }
    }

    /// The vault with its titles taken by `rule` (a `title` property always wins). Links do
    /// not depend on titles, so nothing else changes but the problems about titles.
    pub fn with_titles(mut self, rule: TitleRule) -> Vault {
        self.titles = rule;
        self.problems.retain(|p| p.kind != ProblemKind::Title);
        for n in &mut self.notes {
            if n.title_source == TitleSource::FrontMatter {
                continue;
            }
            (n.title, n.title_source) = match (rule, &n.heading) {
                (TitleRule::Heading, Some(h)) => (h.clone(), TitleSource::Heading),
                _ => (file_title(&n.path, &n.stem), TitleSource::FileName),
            };
            if rule == TitleRule::Heading
                && let Some(line) = n.blank_heading
            {
                self.problems.push(Problem::new(
                    n.path.clone(),
                    Some(line),
                    ProblemKind::Title,
                    format!(
                        "the heading shows as nothing (only invisible characters); {} is the title instead",
                        if n.heading.is_some() { "the next heading" } else { "the file name" }
                    ),
                ));
            }
        }
        self.problems
            .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        self
    }

    /// Finds a note by what a user would type: a path (with or without `.md`), a file stem
    /// (the shortest path of those sharing it), a title or an alias, case-insensitively, in
    /// that order of preference. Links never resolve by title or alias; a user's query does.
    pub fn find(&self, query: &str) -> Option<NoteId> {
        resolve::Resolver::new(&self.notes, &[])
            .with_names(&self.notes)
            .note(query.trim())
    }

    /// The note whose path (relative, as [`Note::path`] spells it) is `path`.
    pub fn by_path(&self, path: &str) -> Option<NoteId> {
        // `notes` is sorted by path.
        self.notes
            .binary_search_by(|n| n.path.as_str().cmp(path))
            .ok()
    }

    /// The note with this id.
    pub fn note(&self, id: NoteId) -> &Note {
        &self.notes[id]
    }

    /// Reads a note's markdown body from disk (the vault keeps the index, not the text).
    /// Invalid UTF-8 and NULs are replaced, as when loading. The file is opened as when loading: inside
    /// the vault, no link followed, a regular file within the size limit, or an error.
    pub fn read_body(&self, id: NoteId) -> std::io::Result<String> {
        self.read_body_stat(id).map(|(body, _)| body)
    }

    /// [`Vault::read_body`], with the identity of the file read (from the opened file), for
    /// knowing later whether it changed ([`Vault::stat_note`]).
    pub(crate) fn read_body_stat(
        &self,
        id: NoteId,
    ) -> std::io::Result<(String, Option<open::FileStat>)> {
        let dir = open::RootDir::open(&self.root)?;
        let mut bytes = Vec::new();
        let meta = match dir.read(&self.notes[id].file, MAX_NOTE_BYTES, &mut bytes) {
            Ok(meta) => meta,
            Err(refused) => return Err(std::io::Error::other(refused.message)),
        };
        match decode::decode(&bytes) {
            decode::Decoded::Text { text, .. } => {
                Ok((Note::body_of(&text).to_owned(), open::FileStat::of(&meta)))
            }
            decode::Decoded::Binary(why) => Err(std::io::Error::other(why)),
        }
    }

    /// The identity a note's file has now (size, times, inode), looked up without reading it.
    pub(crate) fn stat_note(&self, id: NoteId) -> Option<open::FileStat> {
        open::FileStat::of(&std::fs::metadata(&self.notes.get(id)?.file).ok()?)
    }
}

/// Sorts notes by path. A note is a few hundred bytes: sorting them moves each one about
/// log2(n) times, so their order is found on (path, index) pairs and each moved once. The
/// pairs are sorted on all cores (no two are equal, so an unstable sort has one result).
fn sort_by_path(notes: &mut [Note]) {
    use rayon::slice::ParallelSliceMut as _;
    let mut order: Vec<(&str, usize)> = notes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.path.as_str(), i))
        .collect();
    order.par_sort_unstable();
    // Position k takes the note at order[k]: follow each cycle of the permutation with swaps.
    let mut order: Vec<usize> = order.into_iter().map(|(_, i)| i).collect();
    for start in 0..order.len() {
        let mut k = start;
        while order[k] != start {
            let from = order[k];
            notes.swap(k, from);
            order[k] = k;
            k = from;
        }
        order[k] = k;
    }
}

/// What the parts only a full parse finds are found with, of a note's outline.
struct Outlined<'a> {
    stem: &'a str,
    /// Front matter and inline tags.
    tags: &'a [String],
    properties: &'a Map<String, Value>,
}

/// The parts only a full parse finds, from the body's `lines`, the links found in them
/// (`found`), and the front matter's text (`yaml`, `None` without one): the links (those of
/// the properties first), the questions and cards, and the answer sheet.
fn full_parts(
    of: &Outlined<'_>,
    lines: &[body::BodyLine<'_>],
    found: Vec<RawLink>,
    yaml: Option<&str>,
    cards: &CardSettings,
) -> (Vec<Link>, Vec<Question>, Option<questions::split::Sheet>) {
    let mut questions = questions::extract(lines);
    let answer_sheet = questions::split::answer_sheet(of.stem, lines);
    // Flashcards need the note's tags (front matter and inline): only tagged notes hold them.
    let cards = cards::flashcards::extract(lines, of.tags, cards);
    if !cards.is_empty() {
        questions.extend(cards);
        questions.sort_by_key(|q| q.line);
    }
    let property_links = match yaml {
        Some(yaml) => body::property_links(of.properties, yaml, 2),
        None => Vec::new(),
    };
    let links = property_links
        .into_iter()
        .chain(found)
        .map(|raw| Link {
            raw,
            resolved: Resolved::Unresolved,
        })
        .collect();
    (links, questions, answer_sheet)
}

#[cfg(test)]
thread_local! {
    /// Tests: a load on this thread reads its cache file only after its walk, so that every
    /// note is one found while the file is being read, and those notes keep the handles of at
    /// most this many folders.
    pub(crate) static READ_CACHE_AFTER_WALK: std::cell::Cell<Option<usize>> =
        const { std::cell::Cell::new(None) };
}

/// When a load reads its cache file after its walk instead of beside it (tests only): how
/// many folders' handles the notes found before keep.
fn read_cache_after_walk() -> Option<usize> {
    #[cfg(test)]
    return READ_CACHE_AFTER_WALK.get();
    #[cfg(not(test))]
    None
}

/// Reads one candidate file into a note, or problems saying why it cannot be; with the read
/// file's identity, taken before its bytes were.
fn read_note(
    dir: &open::RootDir,
    c: &walk::Candidate,
    depth: Depth,
    cards: &CardSettings,
    kept: Option<&Kept>,
) -> (Option<Note>, Vec<Problem>, Option<open::FileStat>) {
    // One buffer per worker thread, reused for every file: the vault keeps the index, not the
    // text (a note's body is read again when it is shown), so loading allocates little.
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with_borrow_mut(|bytes| {
        let meta = match c.read(dir, MAX_NOTE_BYTES, bytes) {
            Ok(meta) => meta,
            Err(refused) => return (None, failed(c, refused.kind, refused.message), None),
        };
        let stat = open::FileStat::of(&meta);
        // A full load after an outline load: the outline of a note whose file is the one it
        // read, extended.
        if depth == Depth::Full
            && let (Some(k), Some(stat)) = (kept, stat)
            && let Some((mut note, problems)) = k.take(&c.rel, stat)
            && let decode::Decoded::Text { text, .. } = decode::decode(bytes)
        {
            note.extend_to_full(&text, cards);
            return (Some(note), problems, Some(stat));
        }
        let mtime = meta.modified().ok().and_then(NoteDate::from_system_time);
        let (note, problems) = parse_note(c, bytes, mtime, depth, cards);
        (note, problems, stat)
    })
}

/// A note that could not be read, or not as text: the problem that says why.
fn failed(c: &walk::Candidate, kind: ProblemKind, msg: String) -> Vec<Problem> {
    vec![Problem::new(c.rel.clone(), None, kind, msg)]
}

/// The note `c` from the bytes read of its file (modified at `mtime`), and its problems.
fn parse_note(
    c: &walk::Candidate,
    bytes: &[u8],
    mtime: Option<NoteDate>,
    depth: Depth,
    cards: &CardSettings,
) -> (Option<Note>, Vec<Problem>) {
    let size = bytes.len() as u64;
    let mut problems = Vec::new();
    if bytes.is_empty() {
        problems.push(Problem::new(
            c.rel.clone(),
            None,
            ProblemKind::Empty,
            "the file is empty",
        ));
    }
    let text = match decode::decode(bytes) {
        decode::Decoded::Binary(why) => return (None, failed(c, ProblemKind::Binary, why)),
        decode::Decoded::Text { text, replaced } => {
            problems.extend(replaced.into_iter().map(|(line, message)| {
                Problem::new(c.rel.clone(), Some(line), ProblemKind::Encoding, message)
            }));
            text
        }
    };
    let (mut note, more) = Note::parse_with(&c.rel, &text, size, mtime, depth, cards);
    note.file = c.abs.clone();
    problems.extend(more);
    (Some(note), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ordered pair of a table of tags: ASCII and not, in both cases, with and without
    /// `/`s, and the characters whose lower case is not one character of the same length
    /// (final sigma, the Kelvin sign, dotted I, sharp s).
    fn for_each_pair(check: impl Fn(&str, &str)) {
        const TAGS: &[&str] = &[
            "",
            "/",
            "a",
            "A",
            "ab",
            "aB",
            "Ab",
            "abc",
            "s",
            "S",
            "service",
            "Service",
            "SERVICE/",
            "/service",
            "services",
            "service-x",
            "service/kms",
            "Service/KMS",
            "service/km",
            "service/kmz",
            "service/SageMaker",
            "service/sagemaker/endpoint",
            "service/sagemakerx",
            "Service/SAGEMAKER/Endpoint",
            "주제/데이터",
            "주제/데이터A",
            "주제/데이터a",
            "서비스",
            "서비스/베드록",
            "ΣΑΣ",
            "σας",
            "σασ",
            "Σ/x",
            "σ/X",
            "\u{212A}",
            "\u{212A}/x",
            "k",
            "K",
            "k/x",
            "İ",
            "i̇",
            "i",
            "ß",
            "SS",
            "ss",
            "a-b_c/d",
            "A-B_C/D",
        ];
        for a in TAGS {
            for b in TAGS {
                check(a, b);
            }
        }
    }

    /// [`same_tag`] gives what lower-casing every character of both gives, the ASCII
    /// shortcut included.
    #[test]
    fn same_tag_is_equality_of_lower_cased_characters() {
        let slow = |a: &str, b: &str| {
            a.chars()
                .flat_map(char::to_lowercase)
                .eq(b.chars().flat_map(char::to_lowercase))
        };
        for_each_pair(|a, b| assert_eq!(same_tag(a, b), slow(a, b), "{a:?} {b:?}"));
    }

    /// A note's title, where it came from and the problem kinds, read by `rule`.
    fn titled(path: &str, text: &str, rule: TitleRule) -> (String, TitleSource, Vec<ProblemKind>) {
        let (n, p) = Note::parse(path, text, 0, None);
        let v = Vault::from_notes(PathBuf::new(), vec![n], Vec::new(), p).with_titles(rule);
        let kinds = v.problems.iter().map(|p| p.kind).collect();
        let n = &v.notes[0];
        (n.title.clone(), n.title_source, kinds)
    }

    #[test]
    fn the_title_is_the_property_else_the_file_name_or_the_heading_when_asked() {
        use TitleRule::{FileName, Heading};
        // (text, rule, title, source)
        let cases = [
            (
                "---\ntitle: FM\n---\n# H\n",
                FileName,
                "FM",
                TitleSource::FrontMatter,
            ),
            (
                "---\ntitle: FM\n---\n# H\n",
                Heading,
                "FM",
                TitleSource::FrontMatter,
            ),
            ("intro\n# 제목 H1\n", FileName, "x", TitleSource::FileName),
            (
                "intro\n# 제목 H1\n",
                Heading,
                "제목 H1",
                TitleSource::Heading,
            ),
            ("## only a section\n", Heading, "x", TitleSource::FileName),
            ("", FileName, "x", TitleSource::FileName),
            ("", Heading, "x", TitleSource::FileName),
        ];
        for (text, rule, title, source) in cases {
            let (t, s, kinds) = titled("a/x.md", text, rule);
            assert_eq!((t.as_str(), s), (title, source), "{text:?} {rule:?}");
            assert!(kinds.is_empty(), "{text:?}: {kinds:?}");
        }
        // The heading is kept either way, and the rule can change back.
        let (n, _) = Note::parse("a/x.md", "# Head\n", 0, None);
        assert_eq!(n.heading.as_deref(), Some("Head"));
        let v = Vault::from_notes(PathBuf::new(), vec![n], Vec::new(), Vec::new());
        let v = v.with_titles(Heading).with_titles(FileName);
        assert_eq!((v.notes[0].title.as_str(), v.titles), ("x", FileName));
    }

    #[test]
    fn invisible_titles_fall_back_and_are_reported() {
        // (path, text, title, source, problem kinds), titles from headings.
        let cases: &[(&str, &str, &str, TitleSource, &[ProblemKind])] = &[
            (
                "a/x.md",
                "---\ntitle: \"\\u200B\\u200D\"\n---\n# Heading\n",
                "Heading",
                TitleSource::Heading,
                &[ProblemKind::Field],
            ),
            (
                "a/x.md",
                "---\ntitle: \u{3164}\n---\nno heading\n",
                "x",
                TitleSource::FileName,
                &[ProblemKind::Field],
            ),
            (
                "a/x.md",
                "# \u{E0041}\u{E0042}\u{200F}\n",
                "x",
                TitleSource::FileName,
                &[ProblemKind::Title],
            ),
            (
                "a/x.md",
                "# \u{2060}\n# Second\n",
                "Second",
                TitleSource::Heading,
                &[ProblemKind::Title],
            ),
            (
                "a/x.md",
                "---\ntitle: T\n---\n# \u{200B}\n",
                "T",
                TitleSource::FrontMatter,
                &[],
            ),
            (
                "a/\u{200B}.md",
                "",
                "a/\u{200B}.md",
                TitleSource::FileName,
                &[],
            ),
        ];
        for &(path, text, title, source, kinds) in cases {
            let (t, s, got) = titled(path, text, TitleRule::Heading);
            assert_eq!((t.as_str(), s), (title, source), "{text:?}");
            assert_eq!(got, kinds, "{text:?}");
        }
        // By file name, a blank heading is no title, so no problem.
        let (_, _, got) = titled("a/x.md", "# \u{2060}\n# Second\n", TitleRule::FileName);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn bom_crlf_front_matter_and_body_line() {
        let (n, p) = Note::parse(
            "n.md",
            "\u{FEFF}---\r\ntitle: T\r\ntags: [a]\r\n---\r\nline #b\r\n",
            0,
            None,
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(n.title, "T");
        assert_eq!(n.tags, ["a", "b"]);
        assert_eq!(n.body_line, 5);
        assert_eq!(
            Note::body_of("\u{FEFF}---\r\ntitle: T\r\n---\r\nline #b\r\n"),
            "line #b\r\n"
        );
    }

    #[test]
    fn unclosed_and_invalid_front_matter_become_problems() {
        let (n, p) = Note::parse("n.md", "---\ntitle: T\n# Heading\n", 0, None);
        assert_eq!(
            (n.title.as_str(), n.heading.as_deref()),
            ("n", Some("Heading"))
        );
        assert_eq!(p[0].kind, ProblemKind::FrontMatter);
        assert!(p[0].message.contains("never closed"));
        let (n, p) = Note::parse("n.md", "---\ntitle: [unclosed\n---\nbody\n", 0, None);
        assert_eq!(n.title, "n");
        assert_eq!(n.body_line, 4);
        assert_eq!(p[0].kind, ProblemKind::FrontMatter);
        assert!(p[0].message.contains("invalid YAML"), "{}", p[0].message);
    }

    #[test]
    fn modified_falls_back_to_mtime() {
        let mtime = NoteDate::parse("2020-01-01T00:00:00Z");
        let (n, _) = Note::parse("n.md", "x", 0, mtime.clone());
        assert_eq!(n.modified, mtime);
        let (n, _) = Note::parse("n.md", "---\nmodified: 2025-01-01\n---\n", 0, mtime);
        assert_eq!(n.modified.unwrap().text, "2025-01-01");
    }

    #[test]
    fn notes_sort_by_path_whatever_their_order() {
        let paths = [
            "b.md",
            "a/z.md",
            "c.md",
            "a.md",
            "노트.md",
            "a/b.md",
            "B.md",
        ];
        let mut want: Vec<&str> = paths.to_vec();
        want.sort();
        // Every rotation and its reverse: cycles of every length.
        for r in 0..paths.len() {
            for rev in [false, true] {
                let mut order: Vec<&str> = paths.to_vec();
                order.rotate_left(r);
                if rev {
                    order.reverse();
                }
                let mut notes: Vec<Note> = order
                    .iter()
                    .map(|p| Note::parse(p, "", 0, None).0)
                    .collect();
                sort_by_path(&mut notes);
                let got: Vec<&str> = notes.iter().map(|n| n.path.as_str()).collect();
                assert_eq!(got, want, "{order:?}");
            }
        }
    }

    #[test]
    fn tag_coverage() {
        assert!(tag_covers("service", "service/sagemaker"));
        assert!(tag_covers("Service/SageMaker", "service/sagemaker"));
        assert!(tag_covers("service/", "service"));
        assert!(!tag_covers("serv", "service/sagemaker"));
        assert!(!tag_covers("service/sagemaker", "service"));
        assert!(tag_covers("서비스", "서비스/베드록"));
        assert!(!tag_covers("서비", "서비스/베드록"));
    }

    /// The ASCII comparison of `tag_covers` answers what lower-casing both tags and comparing
    /// them answers, for every pair of a table of tags in both cases, at and off the `/`s.
    #[test]
    fn tag_coverage_by_bytes_is_coverage_by_lower_case() {
        let by_lower_case = |a: &str, t: &str| {
            let (a, t) = (a.trim_matches('/').to_lowercase(), t.to_lowercase());
            t.starts_with(&a) && (t.len() == a.len() || t.as_bytes()[a.len()] == b'/')
        };
        for_each_pair(|a, t| {
            assert_eq!(tag_covers(a, t), by_lower_case(a, t), "{a:?} covers {t:?}");
        });
    }

    #[test]
    fn outline_load_has_the_full_load_fields_without_links_and_questions() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("notes");
        let full = Vault::load(&root).unwrap();
        let outline = Vault::load_to(&root, Depth::Outline).unwrap();
        assert_eq!((full.depth, outline.depth), (Depth::Full, Depth::Outline));
        assert_eq!(full.notes.len(), outline.notes.len());
        for (f, o) in full.notes.iter().zip(&outline.notes) {
            assert_eq!(
                (&f.path, &f.title, &f.tags, &f.aliases),
                (&o.path, &o.title, &o.tags, &o.aliases)
            );
            assert_eq!((&f.created, &f.modified), (&o.created, &o.modified));
            assert!(o.links.is_empty() && o.questions.is_empty());
        }
        assert!(full.notes.iter().all(|n| !n.questions.is_empty()));
        assert!(full.backlinks.iter().any(|b| !b.is_empty()));
        assert!(outline.backlinks.iter().all(Vec::is_empty));
    }
}
