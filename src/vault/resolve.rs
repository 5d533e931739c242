//! Link resolution, backlinks, and the vault-wide checks that need every note at once
//! (unresolved links, links only a title or alias would reach, file names shared by several
//! notes, duplicate aliases).
//!
//! A link resolves as Obsidian resolves it: by path and file name only, never by title or
//! alias (Obsidian's help on aliases: `[[AI]]` does not reach a note whose alias is AI, which is
//! why it writes `[[Artificial Intelligence|AI]]`). Case is ignored, and so is the Unicode
//! normalisation form (a Korean name written on macOS is decomposed on disk). In order:
//!
//! - `./x` and `../x` are relative to the linking note's folder, and nothing else.
//! - A target with a folder (`SAA/보안그룹`) is a path from the vault's root, else from the
//!   linking note's folder, else a trailing part of a path.
//! - A file name (`보안그룹`) is the note of that name in the linking note's folder, else the
//!   one with the shortest path, else the first in path order.
//!
//! `.md` may be written or not. Attachments (`![[diagram.png]]`) resolve by the same rules
//! among the vault's other files. Every lookup is one or two hash lookups, however many notes
//! share a name: each trailing part of a path keeps its nearest note from the start. Targets
//! are only ever looked up among the loaded notes and files, so nothing resolves outside the
//! vault. Titles and aliases are matched only for what a user types ([`Resolver::note`]).

use foldhash::{HashMap, HashMapExt as _, HashSet};
use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use std::borrow::Cow;
use std::hash::BuildHasher as _;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::{Link, LinkForm, Note, NoteId, Problem, ProblemKind, Resolved, TitleSource};

pub struct Resolver<'a> {
    notes: PathIndex,
    files: PathIndex,
    attachments: &'a [String],
    /// Titles and aliases, for [`Resolver::note`] only ([`Resolver::with_names`]): links
    /// never need them.
    by_title: HashMap<String, NoteId>,
    by_alias: HashMap<String, NoteId>,
}

/// A set of paths found by the whole path, and by every trailing part of it (`c`, `b/c` and
/// `a/b/c` of `a/b/c`), each part keeping the path nearest by default: the shortest, then the
/// first in path order.
///
/// The paths are kept one after the other in one string, which both tables point into: not
/// a string per path and part (at 100k notes about 450k strings fewer to allocate, hash into
/// place and free again, all of it on the way from the parsed notes to the resolved vault,
/// where nothing else runs beside it), and a lookup compares what it finds one memory access
/// from the table entry, not through a `String` (the two cache misses of that were a tenth of
/// a warm `check` at 100k notes).
#[derive(Default)]
struct PathIndex {
    /// The normalised paths, in path order, one after the other.
    joined: String,
    /// Where each path starts in `joined`, and after the last, where it ends.
    bounds: Vec<usize>,
    hasher: foldhash::fast::RandomState,
    /// The index of each path (the first, should two be equal).
    exact: HashTable<usize>,
    trailing: HashTable<Shared>,
}

/// A trailing part (`joined[at..at + len]`) and the nearest path it names by default.
#[derive(Debug, Clone, Copy)]
struct Shared {
    at: usize,
    len: usize,
    best: usize,
    /// Characters of the best one's path.
    chars: usize,
    /// Whether more than one path ends with this part.
    shared: bool,
}

/// Path `j` of a [`PathIndex`]'s `joined` and `bounds`.
fn nth<'a>(joined: &'a str, bounds: &[usize], j: usize) -> &'a str {
    &joined[bounds[j]..bounds[j + 1]]
}

impl PathIndex {
    /// Indexes `keys` (normalised paths, in path order), the whole paths and the trailing
    /// parts side by side.
    fn build(keys: Vec<String>) -> PathIndex {
        let hasher = foldhash::fast::RandomState::default();
        let mut bounds = Vec::with_capacity(keys.len() + 1);
        bounds.push(0);
        let mut joined = String::with_capacity(keys.iter().map(String::len).sum());
        for k in &keys {
            joined.push_str(k);
            bounds.push(joined.len());
        }
        drop(keys);
        let count = bounds.len() - 1;
        let key = |j: usize| nth(&joined, &bounds, j);
        let (exact, trailing) = rayon::join(
            || {
                let mut exact = HashTable::with_capacity(count);
                for i in 0..count {
                    let k = key(i);
                    let entry = exact.entry(
                        hasher.hash_one(k),
                        |&j: &usize| key(j) == k,
                        |&j: &usize| hasher.hash_one(key(j)),
                    );
                    if let Entry::Vacant(v) = entry {
                        v.insert(i);
                    }
                }
                exact
            },
            || {
                let part_of = |s: &Shared| &joined[s.at..s.at + s.len];
                let mut trailing = HashTable::with_capacity(count * 2);
                for (i, w) in bounds.windows(2).enumerate() {
                    let k = &joined[w[0]..w[1]];
                    let chars = k.chars().count();
                    let starts =
                        std::iter::once(0).chain(k.match_indices('/').map(|(at, _)| at + 1));
                    for start in starts {
                        let part = &k[start..];
                        if part.is_empty() {
                            continue;
                        }
                        let entry = trailing.entry(
                            hasher.hash_one(part),
                            |s: &Shared| part_of(s) == part,
                            |s: &Shared| hasher.hash_one(part_of(s)),
                        );
                        match entry {
                            // Paths come in order: a later one wins only by being shorter.
                            Entry::Occupied(mut o) => {
                                let s = o.get_mut();
                                s.shared = true;
                                if chars < s.chars {
                                    s.best = i;
                                    s.chars = chars;
                                }
                            }
                            Entry::Vacant(v) => {
                                v.insert(Shared {
                                    at: w[0] + start,
                                    len: part.len(),
                                    best: i,
                                    chars,
                                    shared: false,
                                });
                            }
                        }
                    }
                }
                trailing
            },
        );
        PathIndex {
            joined,
            bounds,
            hasher,
            exact,
            trailing,
        }
    }

    /// The index of the path `path`.
    fn exact(&self, path: &str) -> Option<usize> {
        self.exact
            .find(self.hasher.hash_one(path), |&j| {
                nth(&self.joined, &self.bounds, j) == path
            })
            .copied()
    }

    /// The entry of the paths that `part` is a trailing part of.
    fn trailing(&self, part: &str) -> Option<&Shared> {
        self.trailing.find(self.hasher.hash_one(part), |s| {
            self.joined.as_bytes().get(s.at..s.at + s.len) == Some(part.as_bytes())
        })
    }

    /// The path `target` names from a note in `folder` (normalised, `""` for the root), by
    /// the rules in the module's documentation. `scratch` is reused for joined paths.
    fn find(&self, target: &Target, folder: &str, scratch: &mut String) -> Option<usize> {
        let mut in_folder = |path: &str| {
            if folder.is_empty() {
                return self.exact(path);
            }
            scratch.clear();
            scratch.push_str(folder);
            scratch.push('/');
            scratch.push_str(path);
            self.exact(scratch)
        };
        // Every path that the whole path or the folder's path would find ends with `path`,
        // so when no path or only one does, the trailing part's entry is the answer by
        // itself: most links (a unique file name) cost one lookup, not three.
        match target {
            Target::Relative(path) => in_folder_relative(self, folder, path, scratch),
            Target::Path(path) => match self.trailing(path)? {
                s if !s.shared => Some(s.best),
                s => self
                    .exact(path)
                    .or_else(|| in_folder(path))
                    .or(Some(s.best)),
            },
            Target::Name(name) => match self.trailing(name)? {
                s if !s.shared => Some(s.best),
                s => in_folder(name).or(Some(s.best)),
            },
        }
    }
}

/// `path` (with `.` and `..` segments) from `folder`; `None` when it leaves the vault.
fn in_folder_relative(
    index: &PathIndex,
    folder: &str,
    path: &str,
    scratch: &mut String,
) -> Option<usize> {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    scratch.clear();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            scratch.push('/');
        }
        scratch.push_str(p);
    }
    index.exact(scratch)
}

/// A link target, normalised ([`key`]; `/` as the separator).
///
/// Borrowed from the link as written when that is already normalised, else owned: asked of
/// every link of the vault, most of them plain names, so a plain target costs at most the one
/// allocation lower-casing it takes (before, two: the key, then its copy into the target).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target<'a> {
    /// `./x`, `../x`: from the linking note's folder.
    Relative(Cow<'a, str>),
    /// `folder/name`.
    Path(Cow<'a, str>),
    /// `name`.
    Name(Cow<'a, str>),
}

impl Target<'_> {
    /// `raw` as a target, keeping a trailing `.md` unless `strip_md`; `None` when empty or
    /// when `..` would climb out of the vault.
    fn parse(raw: &str, strip_md: bool) -> Option<Target<'_>> {
        let mut k = key(raw.trim());
        // Most targets are already a plain name or path (no `\\`, no `.`, `..` or empty
        // segment), which segment by segment come back as they are, in four allocations.
        let plain = !k.contains('\\')
            && !k.starts_with('/')
            && !k.ends_with('/')
            && k.split('/').all(|s| !s.is_empty() && s != "." && s != "..");
        if !plain {
            return Target::parse_segments(&k, strip_md);
        }
        if strip_md && let Some(len) = k.strip_suffix(".md").map(str::len) {
            match &mut k {
                Cow::Borrowed(b) => *b = &b[..len],
                Cow::Owned(o) => o.truncate(len),
            }
        }
        match k.as_ref() {
            "" => None,
            s if s.contains('/') => Some(Target::Path(k)),
            _ => Some(Target::Name(k)),
        }
    }

    /// [`Target::parse`] of a normalised `k`, segment by segment.
    fn parse_segments(k: &str, strip_md: bool) -> Option<Target<'static>> {
        let k = k.replace('\\', "/");
        let strip = |s: &str| -> String {
            let s = s.trim_end_matches('/');
            if strip_md {
                s.strip_suffix(".md").unwrap_or(s).to_owned()
            } else {
                s.to_owned()
            }
        };
        if k.starts_with("./") || k.starts_with("../") || k == "." || k == ".." {
            return Some(Target::Relative(strip(&k).into()));
        }
        let mut parts: Vec<&str> = Vec::new();
        for seg in k.split('/') {
            match seg {
                "" | "." => {}
                // `a/../b` folds inside the target; it never climbs above the vault's root.
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        let joined = strip(&parts.join("/"));
        // `/name` is a path from the vault's root.
        match joined.as_str() {
            "" => None,
            p if p.contains('/') || k.starts_with('/') => Some(Target::Path(joined.into())),
            _ => Some(Target::Name(joined.into())),
        }
    }
}

/// A name or path as compared: lower case, composed (NFC). Borrowed when it is both already.
///
/// Asked of every link target, path, title and alias while a vault loads, and nearly all of
/// them are ASCII: an ASCII string is lower-cased byte by byte (for ASCII, `to_lowercase` is
/// `to_ascii_lowercase`, and ASCII is always NFC) without decoding a `char`.
///
/// The names of Korean vaults are ASCII and Hangul syllables (U+AC00..=U+D7A3), which have no
/// case and which NFC leaves as they are (each is composed, of combining class 0, and none
/// composes with the character before it): such a string too only needs its ASCII
/// lower-cased, without the case and normalisation tables.
fn key(s: &str) -> Cow<'_, str> {
    if ascii_or_syllables(s) {
        return if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        };
    }
    key_unicode(s)
}

/// Whether `s` needs only its ASCII lower-cased to be a [`key`].
fn ascii_or_syllables(s: &str) -> bool {
    s.is_ascii()
        || s.chars()
            .all(|c| c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// [`key`] written into `buf` when it is not `s` itself: for a key only looked up, asked of
/// every name of the vault, without an allocation each.
fn key_in<'a>(s: &'a str, buf: &'a mut String) -> &'a str {
    if ascii_or_syllables(s) {
        if !s.bytes().any(|b| b.is_ascii_uppercase()) {
            return s;
        }
        buf.clear();
        buf.push_str(s);
        buf.make_ascii_lowercase();
        return buf;
    }
    match key_unicode(s) {
        Cow::Borrowed(b) => b,
        Cow::Owned(o) => {
            *buf = o;
            buf
        }
    }
}

/// [`key`] the general way, for any string (the one way before the ASCII shortcut, kept for
/// the non-ASCII strings and as the reference the tests hold the shortcut to).
fn key_unicode(s: &str) -> Cow<'_, str> {
    let lowered = if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    };
    if s.is_ascii()
        || unicode_normalization::is_nfc_quick(lowered.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        lowered
    } else {
        Cow::Owned(lowered.nfc().collect())
    }
}

/// A note's path as indexed: [`key`], without `.md`.
fn note_key(path: &str) -> String {
    let k = key(path);
    k.strip_suffix(".md").unwrap_or(&k).to_owned()
}

/// The folder of a normalised path (`""` at the root).
fn folder_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

impl<'a> Resolver<'a> {
    pub fn new(notes: &[Note], attachments: &'a [String]) -> Self {
        let (notes_ix, files) = rayon::join(
            || PathIndex::build(notes.par_iter().map(|n| note_key(&n.path)).collect()),
            || PathIndex::build(attachments.iter().map(|a| key(a).into_owned()).collect()),
        );
        Resolver {
            notes: notes_ix,
            files,
            attachments,
            by_title: HashMap::new(),
            by_alias: HashMap::new(),
        }
    }

    /// The resolver with the titles and aliases of `notes` (the same notes) indexed too, for
    /// [`Resolver::note`].
    pub fn with_names(mut self, notes: &[Note]) -> Self {
        self.by_title.reserve(notes.len());
        for (id, n) in notes.iter().enumerate() {
            self.by_title
                .entry(key(&n.title).into_owned())
                .or_insert(id);
            for a in &n.aliases {
                self.by_alias.entry(key(a).into_owned()).or_insert(id);
            }
        }
        self
    }

    /// The note a user's query names (a note argument on the command line): a path or file
    /// name as a link from the vault's root would find it, else a title, else an alias (with
    /// [`Resolver::with_names`]).
    pub fn note(&self, query: &str) -> Option<NoteId> {
        let query = query.trim();
        if query.is_empty() {
            return None;
        }
        let mut scratch = String::new();
        Target::parse(query, true)
            .and_then(|t| self.notes.find(&t, "", &mut scratch))
            .or_else(|| {
                let k = key(query);
                self.by_title
                    .get(k.as_ref())
                    .or_else(|| self.by_alias.get(k.as_ref()))
                    .copied()
            })
    }

    /// What a link target written in a note in `folder` (its normalised folder, see
    /// [`Resolver::folder`]) resolves to.
    pub fn link(&self, target: &str, folder: &str, scratch: &mut String) -> Resolved {
        if let Some(id) =
            Target::parse(target, true).and_then(|t| self.notes.find(&t, folder, scratch))
        {
            return Resolved::Note(id);
        }
        match Target::parse(target, false).and_then(|t| self.files.find(&t, folder, scratch)) {
            Some(i) => Resolved::Attachment(self.attachments[i].clone()),
            None => Resolved::Unresolved,
        }
    }

    /// The folder of note `path` as [`Resolver::link`] takes it.
    pub fn folder(path: &str) -> String {
        folder_of(&note_key(path)).to_owned()
    }
}

/// Resolves every link in place and returns the backlinks of each note.
pub fn resolve_links(notes: &mut [Note], attachments: &[String]) -> Vec<Vec<NoteId>> {
    resolve_in_place(notes, attachments);
    backlinks(notes)
}

/// Resolves every link in place.
pub fn resolve_in_place(notes: &mut [Note], attachments: &[String]) {
    let r = Resolver::new(notes, attachments);
    // In place: the resolver keeps no borrow of the notes.
    notes.par_iter_mut().enumerate().for_each(|(id, n)| {
        let folder = Resolver::folder(&n.path);
        let mut scratch = String::new();
        for l in &mut n.links {
            l.resolved = if l.raw.target.is_empty() {
                Resolved::Note(id)
            } else {
                r.link(&l.raw.target, &folder, &mut scratch)
            };
        }
    });
}

/// The notes that link to each note, in order, each once, from the links as resolved. On one
/// core; a load runs it beside the vault-wide checks, which need the resolved links too.
pub fn backlinks(notes: &[Note]) -> Vec<Vec<NoteId>> {
    let mut backlinks = vec![Vec::new(); notes.len()];
    for (from, note) in notes.iter().enumerate() {
        for link in &note.links {
            if let Resolved::Note(to) = link.resolved
                && to != from
            {
                backlinks[to].push(from);
            }
        }
    }
    for b in &mut backlinks {
        b.sort_unstable();
        b.dedup();
    }
    backlinks
}

/// A link as written, for messages.
fn describe(l: &Link) -> String {
    let anchor = match (&l.raw.heading, &l.raw.block) {
        (Some(h), _) => format!("#{h}"),
        (None, Some(b)) => format!("#^{b}"),
        (None, None) => String::new(),
    };
    let bang = if l.raw.embed { "!" } else { "" };
    match l.raw.form {
        LinkForm::Markdown => {
            let text = l.raw.display.as_deref().unwrap_or("");
            format!("{bang}[{text}]({}{anchor})", l.raw.target)
        }
        LinkForm::Wikilink | LinkForm::Property => {
            format!("{bang}[[{}{anchor}]]", l.raw.target)
        }
    }
}

/// Where a link was written, for messages: "" in the body, " in a property" in front matter.
fn written_in(l: &Link) -> &'static str {
    match l.raw.form {
        LinkForm::Property => " (in a property)",
        _ => "",
    }
}

/// What names a note besides its path and file name: what a link that reaches no note may
/// have meant.
/// In the order a name is suggested from: an alias first, then a title, then a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum OtherName {
    Alias,
    Title,
    Heading,
}

/// Unresolved links, each once; a link that only a title or alias would reach says which note
/// it may mean and how to write the link to it.
pub fn link_problems(notes: &[Note]) -> Vec<Problem> {
    // Found in one pass over every link of the vault (a few among them), on all cores, in
    // the notes' order. Every pass below over all the notes is parallel too: this check is
    // the longest of the three that run side by side at the end of a load.
    let unresolved: Vec<(&Note, &Link)> = notes
        .par_iter()
        .flat_map_iter(|n| {
            n.links
                .iter()
                .filter(|l| l.resolved == Resolved::Unresolved)
                .map(move |l| (n, l))
        })
        .collect();
    if unresolved.is_empty() {
        return Vec::new();
    }
    // Built only when some link is unresolved, and only of the names some unresolved link
    // wrote (a few among all the vault's aliases, titles and headings): aliases first, then
    // title properties, then first headings (the first note of each in path order), each with
    // the note's spelling.
    let wanted: HashSet<String> = unresolved
        .iter()
        .map(|(_, l)| key(l.raw.target.trim()).into_owned())
        .collect();
    // Every name some unresolved link wrote, in the notes' order; sorted (stably) by kind,
    // the first of each name is then the one the rule above keeps.
    let mut offered: Vec<(OtherName, NoteId, String, &str)> = notes
        .par_iter()
        .enumerate()
        .map_init(String::new, |buf, (id, n)| {
            let title = (n.title_source == TitleSource::FrontMatter).then_some(&n.title);
            let names = n.aliases.iter().map(|a| (OtherName::Alias, a));
            let names = names
                .chain(title.map(|t| (OtherName::Title, t)))
                .chain(n.heading.iter().map(|h| (OtherName::Heading, h)));
            names
                .filter_map(|(what, name)| {
                    let k = key_in(name, buf);
                    wanted
                        .contains(k)
                        .then(|| (what, id, k.to_owned(), name.as_str()))
                })
                .collect::<Vec<_>>()
        })
        .flatten_iter()
        .collect();
    offered.sort_by_key(|&(what, ..)| what);
    let mut other: HashMap<String, (NoteId, OtherName, &str)> = HashMap::new();
    for (what, id, k, spelt) in offered {
        other.entry(k).or_insert((id, what, spelt));
    }
    // How many notes have the file name of each note a suggestion names.
    let mut names: HashMap<String, usize> = other
        .values()
        .map(|&(id, _, _)| (key(&notes[id].stem).into_owned(), 0))
        .collect();
    let found: Vec<String> = notes
        .par_iter()
        .map_init(String::new, |buf, n| {
            let k = key_in(&n.stem, buf);
            names.contains_key(k).then(|| k.to_owned())
        })
        .flatten_iter()
        .collect();
    for k in found {
        if let Some(c) = names.get_mut(&k) {
            *c += 1;
        }
    }
    let mut out = Vec::new();
    for &(n, l) in &unresolved {
        let link = describe(l);
        let problem = match other.get(key(l.raw.target.trim()).as_ref()) {
            Some(&(id, what, name)) => {
                let to = &notes[id];
                let what = match what {
                    OtherName::Alias => "alias",
                    OtherName::Title => "title",
                    OtherName::Heading => "first heading",
                };
                // The shortest link that reaches it: its file name, unless another note has it.
                let unique = names.get(key(&to.stem).as_ref()) == Some(&1);
                let reach = if unique {
                    to.stem.as_str()
                } else {
                    to.path.strip_suffix(".md").unwrap_or(&to.path)
                };
                Problem::new(
                    n.path.clone(),
                    Some(l.raw.line),
                    ProblemKind::AliasOnlyLink,
                    format!(
                        "unresolved link {link}{}: no note has that path or file name; did you mean the note with {what} {name:?} ({})? Links reach notes by file name: [[{reach}|{}]]",
                        written_in(l),
                        to.path,
                        l.raw.target.trim(),
                    ),
                )
            }
            None => Problem::new(
                n.path.clone(),
                Some(l.raw.line),
                ProblemKind::UnresolvedLink,
                format!(
                    "unresolved link {link}{}: no note or file has that path or file name",
                    written_in(l)
                ),
            ),
        };
        out.push(problem);
    }
    out
}

fn same_file(a: &Note, b: &Note) -> bool {
    !a.file.as_os_str().is_empty() && a.file == b.file
}

/// File names that several notes share (ignoring case), once each, on the first of them: a
/// link by that name opens the nearest (informational; see the module's documentation).
pub fn ambiguous_names(notes: &[Note]) -> Vec<Problem> {
    // Each note's file name as compared, with its id, sorted on all cores: the notes that share
    // a name are then one run, in path order. (A map from each name to a list of its notes made
    // one string and one list for every note of the vault, on one core, to find a few.)
    let mut keyed: Vec<(Cow<'_, str>, NoteId)> = notes
        .par_iter()
        .enumerate()
        .map(|(id, n)| (key(&n.stem), id))
        .collect();
    keyed.par_sort_unstable();
    let runs: Vec<&[(Cow<'_, str>, NoteId)]> = keyed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .collect();
    // A symlink to a note inside the vault is the same file, not a second note: only the
    // first path to each file counts. Looked for only among the files of the runs.
    let files: HashSet<&std::path::Path> = runs
        .iter()
        .flat_map(|run| run.iter())
        .map(|&(_, id)| notes[id].file.as_path())
        .filter(|f| !f.as_os_str().is_empty())
        .collect();
    let mut first_of: HashMap<&std::path::Path, NoteId> = HashMap::new();
    if !files.is_empty() {
        let found: Vec<(&std::path::Path, NoteId)> = notes
            .par_iter()
            .enumerate()
            .filter(|(_, n)| files.contains(n.file.as_path()))
            .map(|(id, n)| (n.file.as_path(), id))
            .collect();
        for (f, id) in found {
            first_of.entry(f).or_insert(id);
        }
    }
    let counted = |id: NoteId| {
        let f = notes[id].file.as_path();
        f.as_os_str().is_empty() || first_of.get(f) == Some(&id)
    };
    let mut shared: Vec<Vec<NoteId>> = runs
        .into_iter()
        .map(|run| {
            run.iter()
                .map(|&(_, id)| id)
                .filter(|&id| counted(id))
                .collect::<Vec<_>>()
        })
        .filter(|ids| ids.len() > 1)
        .collect();
    shared.sort_unstable_by_key(|ids| ids[0]);
    shared
        .into_iter()
        .map(|ids| {
            const LISTED: usize = 5;
            let first = &notes[ids[0]];
            let listed = ids
                .iter()
                .take(LISTED)
                .map(|&i| notes[i].path.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let more = ids.len().saturating_sub(LISTED);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let nearest = ids
                .iter()
                .min_by_key(|&&i| (notes[i].path.chars().count(), i))
                .map_or("", |&i| notes[i].path.as_str());
            Problem::new(
                first.path.clone(),
                None,
                ProblemKind::AmbiguousName,
                format!(
                    "the file name {:?} is shared by {} notes ({listed}{more}): [[{}]] opens the one in the linking note's folder, else {nearest}",
                    first.stem,
                    ids.len(),
                    first.stem,
                ),
            )
        })
        .collect()
}

pub fn duplicate_aliases(notes: &[Note]) -> Vec<Problem> {
    let mut first: HashMap<String, NoteId> =
        HashMap::with_capacity(notes.iter().map(|n| n.aliases.len()).sum());
    let mut out = Vec::new();
    let mut buf = String::new();
    for (id, n) in notes.iter().enumerate() {
        for a in &n.aliases {
            let k = key_in(a, &mut buf);
            match first.get(k) {
                // A symlink to a note inside the vault is the same file, not a second owner.
                Some(&other) if other != id && !same_file(&notes[other], n) => {
                    out.push(Problem::new(
                        n.path.clone(),
                        None,
                        ProblemKind::DuplicateAlias,
                        format!("alias {a:?} is also an alias of {}", notes[other].path),
                    ))
                }
                Some(_) => {}
                None => {
                    first.insert(k.to_owned(), id);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
