//! Full-text search: every note's body in memory, searched by the query's patterns on rayon's
//! threads, ranked. Terminal-free.
//!
//! The vault keeps the index of each note, not its text, so [`TextStore::build`] reads the
//! bodies once more (the explorer does it on a worker after a load; `grep` before answering).
//! The text sits in segments of [`SEGMENT`] notes, each one string with the notes back to back,
//! so a search reads memory in order, a segment is a unit of parallel work, and building
//! needs no second copy of the text. Text is kept NFC, as queries are. Beside its text, a
//! segment keeps the stream of its characters' initial consonants ([`hangul::shadow`], about
//! a fifth of the text's size): a 초성 or half-typed word, which has no literal for the regex to
//! skip by, is looked for there first, and only the notes that can match are scanned.
//!
//! A note matches when every term of the query is found in it (in a line of the body, or in
//! its title, an alias or a tag) and it passes the filters. Results are ranked: notes whose
//! title or an alias matched, then notes with a matching heading, then the rest; within a
//! tier, by the sum over terms of `idf × (1 + ln count)`, so more matches and rarer words
//! rank higher.

use std::collections::HashSet;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::hangul;
use super::query::{Filters, Query};
use crate::vault::{Note, NoteId, Vault};

/// Notes per segment of the store.
pub const SEGMENT: usize = 1024;
/// Matches of one term kept per note (the rest are not looked for: a word on every line of a
/// 9 MB note says no more about it after this many).
pub const MAX_MATCHES_PER_NOTE: usize = 200;
/// A line longer than this (in bytes) is cut to this much around its first match.
pub const MAX_LINE_BYTES: usize = 400;

struct Segment {
    text: String,
    /// Start of each note in `text`, and the end of the last.
    starts: Vec<usize>,
    /// Each note's title, aliases and tags, a line each: scanned like the bodies, so that
    /// finding the notes a name matches costs one pass, not a match per string.
    names: String,
    name_starts: Vec<usize>,
    /// The initial-consonant streams of `text` and of `names`, for the words that need one.
    shadow: Shadow,
    names_shadow: Shadow,
}

/// The initial-consonant stream ([`hangul::shadow`]) of a segment's notes, one after another:
/// about a byte per Hangul syllable. A 초성 or half-typed word has no literal for the regex to
/// skip by, so the regex would read every byte of the text through its automaton; instead
/// its needles are looked for here with `memmem`, and only the notes whose stream holds one
/// are scanned (the stream is a necessary condition, so what is found is the same).
struct Shadow {
    bytes: Vec<u8>,
    /// Start of each note's stream in `bytes`, and the end of the last.
    starts: Vec<usize>,
}

impl Shadow {
    /// The stream of the notes of `text` starting at `starts` (and the end of the last).
    fn build(text: &str, starts: &[usize]) -> Shadow {
        // Korean text is 3 bytes a syllable: about a third, grown if need be.
        let mut bytes = Vec::with_capacity(text.len() / 3 + starts.len());
        let mut out = Vec::with_capacity(starts.len());
        for w in starts.windows(2) {
            out.push(bytes.len());
            hangul::shadow(text.get(w[0]..w[1]).unwrap_or(""), &mut bytes);
        }
        out.push(bytes.len());
        bytes.shrink_to_fit();
        Shadow { bytes, starts: out }
    }

    /// Bytes it holds.
    fn size(&self) -> usize {
        self.bytes.len() + self.starts.len() * std::mem::size_of::<usize>()
    }

    /// For each note, whether its stream holds one of the needles.
    fn notes(&self, needles: &[Vec<u8>]) -> Vec<bool> {
        let count = self.starts.len().saturating_sub(1);
        let mut out = vec![false; count];
        for needle in needles {
            let finder = memchr::memmem::Finder::new(needle);
            let mut pos = 0;
            while let Some(i) = self.bytes.get(pos..).and_then(|b| finder.find(b)) {
                let at = pos + i;
                let note = self.starts.partition_point(|&s| s <= at) - 1;
                if note >= count {
                    break;
                }
                out[note] = true;
                // One is enough: on from the next note.
                pos = self.starts[note + 1];
            }
        }
        out
    }
}

/// The bodies of a vault's notes, for full-text search.
pub struct TextStore {
    segments: Vec<Segment>,
    /// Each note's first body line in its file.
    first_lines: Vec<usize>,
    /// Each note's file as it was when its body was read ([`stamp`]; 0 when not known), so
    /// that a store built after a reload keeps the text of the files that did not change.
    stamps: Vec<u64>,
    diagrams: OnceLock<Vec<bool>>,
    /// The folder the text was moved to by [`TextStore::spill`].
    spilled: Option<std::path::PathBuf>,
    /// Whether searches use the segments' initial-consonant streams ([`Shadow`]); off only
    /// to compare with the plain scan ([`TextStore::set_prefilter`]).
    prefilter: bool,
    /// Notes whose body could not be read again (changed or gone since the load).
    pub unreadable: usize,
    /// Notes whose text was kept from the store built before ([`TextStore::build_reusing`]),
    /// not read again.
    pub kept: usize,
}

impl std::fmt::Debug for TextStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextStore")
            .field("notes", &self.len())
            .field("bytes", &self.bytes())
            .finish_non_exhaustive()
    }
}

fn nfc(s: String) -> String {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => s,
        _ => s.nfc().collect(),
    }
}

/// Where a note's body comes from when a store is built.
pub enum Body<'a> {
    /// Read now.
    Read(String),
    /// Kept from the store built before (NFC already).
    Kept(std::borrow::Cow<'a, str>),
    /// Could not be read.
    Unreadable,
}

/// A segment built, its notes' stamps, and how many were unreadable and kept.
type Built = (Segment, Vec<u64>, (usize, usize));

/// An empty store: what a build that cannot fail (nothing written) gives on the error it
/// never has.
fn empty_store() -> TextStore {
    TextStore {
        segments: Vec::new(),
        first_lines: Vec::new(),
        stamps: Vec::new(),
        diagrams: OnceLock::new(),
        spilled: None,
        prefilter: true,
        unreadable: 0,
        kept: 0,
    }
}

/// A file's identity (size, times, inode) as one number: equal stamps, an unchanged file.
fn stamp(stat: &crate::vault::open::FileStat) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (stat.size, stat.mtime, stat.ctime, stat.ino, stat.dev).hash(&mut h);
    // 0 stands for "not known".
    h.finish().max(1)
}

impl TextStore {
    /// Reads every note's body from the vault's files, in parallel.
    pub fn build(vault: &Vault) -> TextStore {
        TextStore::build_reusing(vault, None)
    }

    /// [`TextStore::build`], keeping the text of `previous` (a store and the vault it was
    /// built for) for every note whose file has the same path and the same identity (size,
    /// times, inode) as when `previous` read it: a reload reads only the files that changed.
    pub fn build_reusing(vault: &Vault, previous: Option<(&TextStore, &Vault)>) -> TextStore {
        let body = |id: NoteId| -> (Body<'_>, u64) {
            if let Some((old, old_vault)) = previous
                && let Some(old_id) = old_vault.by_path(&vault.notes[id].path)
                && old.stamps.get(old_id).is_some_and(|&s| s != 0)
                && vault.stat_note(id).map(|s| stamp(&s)) == Some(old.stamps[old_id])
            {
                return (Body::Kept(old.body(old_id)), old.stamps[old_id]);
            }
            match vault.read_body_stat(id) {
                Ok((text, stat)) => (Body::Read(text), stat.as_ref().map_or(0, stamp)),
                Err(_) => (Body::Unreadable, 0),
            }
        };
        TextStore::build_from(&vault.notes, body, None).unwrap_or_else(|_| empty_store())
    }

    /// [`TextStore::build`] with the text written to files in `dir` as each segment is read,
    /// never all of it in memory (see [`TextStore::spill`]).
    pub fn build_spilled(vault: &Vault, dir: &std::path::Path) -> std::io::Result<TextStore> {
        std::fs::create_dir_all(dir)?;
        let body = |id: NoteId| -> (Body<'_>, u64) {
            match vault.read_body_stat(id) {
                Ok((text, stat)) => (Body::Read(text), stat.as_ref().map_or(0, stamp)),
                Err(_) => (Body::Unreadable, 0),
            }
        };
        TextStore::build_from(&vault.notes, body, Some(dir))
    }

    /// A store of the given bodies (`body(id)`: `None` when unreadable).
    pub fn build_with(notes: &[Note], body: impl Fn(NoteId) -> Option<String> + Sync) -> TextStore {
        TextStore::build_from(
            notes,
            |id| (body(id).map_or(Body::Unreadable, Body::Read), 0),
            None,
        )
        .unwrap_or_else(|_| empty_store())
    }

    /// Builds a store; with `spill`, each segment's text is written to a file there as soon as
    /// it is made (the only way this fails).
    fn build_from<'a>(
        notes: &[Note],
        body: impl Fn(NoteId) -> (Body<'a>, u64) + Sync,
        spill: Option<&std::path::Path>,
    ) -> std::io::Result<TextStore> {
        let ids: Vec<NoteId> = (0..notes.len()).collect();
        let built: Vec<std::io::Result<Built>> = ids
            .par_chunks(SEGMENT)
            .enumerate()
            .map(|(k, chunk)| {
                // The files' sizes bound the bodies' (less their front matter; NFC and a
                // replaced byte may add a little): one allocation of about the right size,
                // not a doubling buffer and a shrinking copy, whose freed pages would stay
                // with the allocator.
                let room: u64 = chunk.iter().map(|&id| notes[id].size + 1).sum();
                let mut text = String::with_capacity(usize::try_from(room).unwrap_or(0));
                let mut starts = Vec::with_capacity(chunk.len() + 1);
                let mut stamps = Vec::with_capacity(chunk.len());
                let (mut unreadable, mut kept) = (0, 0);
                let mut names = String::new();
                let mut name_starts = Vec::with_capacity(chunk.len() + 1);
                for &id in chunk {
                    name_starts.push(names.len());
                    let n = &notes[id];
                    for s in std::iter::once(&n.title).chain(&n.aliases).chain(&n.tags) {
                        names.push_str(&nfc(s.replace('\n', " ")));
                        names.push('\n');
                    }
                    starts.push(text.len());
                    let (b, st) = body(id);
                    match b {
                        Body::Read(b) => text.push_str(&nfc(b)),
                        Body::Kept(b) => {
                            text.push_str(&b);
                            kept += 1;
                        }
                        Body::Unreadable => unreadable += 1,
                    }
                    stamps.push(st);
                    // Lines never run from one note into the next.
                    if !text.ends_with('\n') {
                        text.push('\n');
                    }
                }
                starts.push(text.len());
                name_starts.push(names.len());
                names.shrink_to_fit();
                let shadow = Shadow::build(&text, &starts);
                let names_shadow = Shadow::build(&names, &name_starts);
                if let Some(dir) = spill {
                    std::fs::write(dir.join(format!("{k}.txt")), &text)?;
                    text = String::new();
                }
                Ok((
                    Segment {
                        text,
                        starts,
                        names,
                        name_starts,
                        shadow,
                        names_shadow,
                    },
                    stamps,
                    (unreadable, kept),
                ))
            })
            .collect();
        let built = built.into_iter().collect::<std::io::Result<Vec<_>>>()?;
        let unreadable = built.iter().map(|(_, _, (u, _))| u).sum();
        let kept = built.iter().map(|(_, _, (_, k))| k).sum();
        let mut stamps = Vec::with_capacity(notes.len());
        let mut segments = Vec::with_capacity(built.len());
        for (seg, st, _) in built {
            segments.push(seg);
            stamps.extend(st);
        }
        Ok(TextStore {
            segments,
            first_lines: notes.iter().map(|n| n.body_line.max(1)).collect(),
            stamps,
            diagrams: OnceLock::new(),
            spilled: spill.map(std::path::Path::to_owned),
            prefilter: true,
            unreadable,
            kept,
        })
    }

    pub fn len(&self) -> usize {
        self.first_lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.first_lines.is_empty()
    }

    /// Bytes of text kept (in memory, or in the files of [`TextStore::spill`]).
    pub fn bytes(&self) -> usize {
        self.segments
            .iter()
            .map(|s| s.starts.last().copied().unwrap_or(0))
            .sum()
    }

    /// Bytes the initial-consonant streams take (beside [`TextStore::bytes`]).
    pub fn prefilter_bytes(&self) -> usize {
        self.segments
            .iter()
            .map(|s| s.shadow.size() + s.names_shadow.size())
            .sum()
    }

    /// Whether searches skip, by the initial-consonant streams, the notes a 초성 or half-typed
    /// word cannot match (on by default). Off, every such search reads all the text through
    /// the regex: what the tests and the bench compare with.
    pub fn set_prefilter(&mut self, on: bool) {
        self.prefilter = on;
    }

    /// A segment's text: in memory, or read from its file ([`TextStore::spill`]; empty when
    /// that fails, as if its notes had no text).
    fn segment_text(&self, s: usize) -> std::borrow::Cow<'_, str> {
        match &self.spilled {
            None => std::borrow::Cow::Borrowed(self.segments[s].text.as_str()),
            Some(dir) => std::borrow::Cow::Owned(
                std::fs::read_to_string(dir.join(format!("{s}.txt")))
                    .ok()
                    .filter(|t| Some(&t.len()) == self.segments[s].starts.last())
                    .unwrap_or_default(),
            ),
        }
    }

    /// A note's body as stored (NFC, ending in a newline).
    pub fn body(&self, id: NoteId) -> std::borrow::Cow<'_, str> {
        let seg = &self.segments[id / SEGMENT];
        let i = id % SEGMENT;
        let range = seg.starts[i]..seg.starts[i + 1];
        match self.segment_text(id / SEGMENT) {
            std::borrow::Cow::Borrowed(t) => std::borrow::Cow::Borrowed(&t[range]),
            std::borrow::Cow::Owned(t) => {
                std::borrow::Cow::Owned(t.get(range).unwrap_or("").to_owned())
            }
        }
    }

    /// The text kept in files, a segment a file, in `dir` (made if need be) instead of in
    /// memory: each search reads it again. The alternative to keeping it in memory that
    /// issue 15 asks to measure (`benches/grep.rs`; see BENCHMARKS.md for the choice).
    /// Memory mapping is not open to us (`unsafe_code = "forbid"`), so it is read.
    pub fn spill(mut self, dir: &std::path::Path) -> std::io::Result<TextStore> {
        std::fs::create_dir_all(dir)?;
        for (k, seg) in self.segments.iter_mut().enumerate() {
            std::fs::write(dir.join(format!("{k}.txt")), &seg.text)?;
            seg.text = String::new();
        }
        self.spilled = Some(dir.to_owned());
        Ok(self)
    }

    /// Whether the note has a diagram the diagram pane draws (found on first use, for all).
    pub fn has_diagram(&self, id: NoteId) -> bool {
        let all = self.diagrams.get_or_init(|| {
            let per_segment: Vec<Vec<bool>> = (0..self.segments.len())
                .into_par_iter()
                .map(|s| {
                    let text = self.segment_text(s);
                    let starts = &self.segments[s].starts;
                    starts
                        .windows(2)
                        .enumerate()
                        .map(|(i, w)| {
                            let body = text.get(w[0]..w[1]).unwrap_or("");
                            (body.contains("```") || body.contains("~~~"))
                                && !crate::diagram::diagrams(
                                    body,
                                    self.first_lines[s * SEGMENT + i],
                                )
                                .is_empty()
                        })
                        .collect()
                })
                .collect();
            per_segment.concat()
        });
        all.get(id).copied().unwrap_or(false)
    }
}

/// What the filters need beyond the notes: the notes due today (for `due:today`).
#[derive(Debug, Clone, Copy, Default)]
pub struct FilterCx<'a> {
    pub due: Option<&'a HashSet<NoteId>>,
}

/// The names hits of `words` over `index` that pass the filters `f`, best first, at most
/// `limit`; with no words, every note that passes, by title.
pub fn filtered_names(
    index: &super::SearchIndex,
    notes: &[Note],
    words: &str,
    (f, store, cx): (&Filters, Option<&TextStore>, FilterCx),
    limit: usize,
) -> Vec<super::Hit> {
    let keep = |id: NoteId| notes.get(id).is_some_and(|n| passes(f, id, n, store, cx));
    if words.trim().is_empty() {
        let mut ids: Vec<NoteId> = (0..notes.len()).filter(|&id| keep(id)).collect();
        ids.sort_by(|&a, &b| notes[a].title.cmp(&notes[b].title));
        return ids
            .into_iter()
            .take(limit)
            .map(|id| super::Hit {
                note: id,
                field: super::Field::Title,
                text: notes[id].title.clone(),
                score: 0,
                positions: Vec::new(),
            })
            .collect();
    }
    index
        .search(words, usize::MAX)
        .into_iter()
        .filter(|h| keep(h.note))
        .take(limit)
        .collect()
}

/// Whether a note passes the filters. `store` answers `has:diagram` (without one, no note
/// has a diagram).
pub fn passes(
    f: &Filters,
    id: NoteId,
    note: &Note,
    store: Option<&TextStore>,
    cx: FilterCx,
) -> bool {
    f.tags.iter().all(|t| note.has_tag(t))
        && !f.not_tags.iter().any(|t| note.has_tag(t))
        && ((f.paths.is_empty() && f.not_paths.is_empty()) || {
            let p = note.path.to_lowercase();
            f.paths.iter().all(|x| p.contains(x.as_str()))
                && !f.not_paths.iter().any(|x| p.contains(x.as_str()))
        })
        && (!f.has_question || !note.questions.is_empty())
        && (!f.due_today || cx.due.is_some_and(|d| d.contains(&id)))
        && (!f.has_diagram || store.is_some_and(|s| s.has_diagram(id)))
}

/// Where a match was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    Title,
    Alias,
    Tag,
    Heading,
    Body,
}

/// A title, alias or tag that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldHit {
    pub place: Place,
    pub text: String,
    /// Byte ranges of the matches in `text`.
    pub ranges: Vec<(usize, usize)>,
}

/// A line of a body that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineHit {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based byte column of the first match in the line.
    pub column: usize,
    /// The line (cut around the first match when longer than [`MAX_LINE_BYTES`], with `…`).
    pub text: String,
    /// Byte ranges of the matches in `text`.
    pub ranges: Vec<(usize, usize)>,
    /// [`Place::Heading`] or [`Place::Body`].
    pub place: Place,
}

/// The ranking tier of a note (lower first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// Its title or an alias matched.
    Name,
    /// A heading matched.
    Heading,
    Body,
}

/// One note that matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextHit {
    pub note: NoteId,
    pub tier: Tier,
    pub score: f64,
    pub fields: Vec<FieldHit>,
    pub lines: Vec<LineHit>,
    /// Matches found per term (each capped at [`MAX_MATCHES_PER_NOTE`]).
    #[serde(skip)]
    counts: Vec<usize>,
}

/// A finished search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextResult {
    /// Ranked, best first.
    pub hits: Vec<TextHit>,
}

impl TextResult {
    pub fn lines(&self) -> usize {
        self.hits.iter().map(|h| h.lines.len()).sum()
    }
}

/// A match of term `term` at bytes `start..end` of its segment.
#[derive(Clone, Copy)]
struct Raw {
    note: usize,
    start: usize,
    end: usize,
}

/// Notes of a segment whose every term matched, unranked; and for each term, how many
/// notes of the segment have it (whether or not they have the others), for its weight.
fn scan_segment(
    store: &TextStore,
    seg_index: usize,
    query: &Query,
    keep: &dyn Fn(NoteId) -> bool,
    notes: &[Note],
) -> (Vec<TextHit>, Vec<usize>) {
    let seg = &store.segments[seg_index];
    let base = seg_index * SEGMENT;
    let count = seg.starts.len() - 1;
    let text = store.segment_text(seg_index);
    let text = &*text;
    let bytes = text.as_bytes();
    let kept: Vec<bool> = (0..count).map(|i| keep(base + i)).collect();
    let terms = query.terms.len();
    if !kept.iter().any(|&k| k) {
        return (Vec::new(), vec![0; terms]);
    }
    let mut raws: Vec<Raw> = Vec::new();
    let mut found = vec![0usize; count * terms];
    // The notes each term can match at all, by the initial-consonant streams (`None`: all).
    // The byte ranges of `len` bytes (notes starting at `starts`) to scan for term `t`: all of
    // them, or the notes the stream `sh` allows. A match never crosses a line, so a note
    // scanned alone gives the matches it gives in the whole.
    let ranges = |sh: &Shadow, starts: &[usize], len: usize, t: usize| -> Vec<(usize, usize)> {
        let needles = query.terms[t].shadow.as_ref().filter(|_| store.prefilter);
        match needles.map(|n| sh.notes(n)) {
            None => vec![(0, len)],
            Some(may) => (0..count)
                .filter(|&i| may[i] && kept[i])
                .map(|i| (starts[i], starts[i + 1]))
                .collect(),
        }
    };
    for (t, term) in query.terms.iter().enumerate() {
        for (from, to) in ranges(&seg.shadow, &seg.starts, text.len(), t) {
            let text = &text[..to];
            let mut pos = from;
            while pos < text.len() {
                let Some(m) = term.regex.find_at(text, pos) else {
                    break;
                };
                let note = seg.starts.partition_point(|&s| s <= m.start()) - 1;
                let note_end = seg.starts[note + 1];
                if !kept[note] || found[note * terms + t] >= MAX_MATCHES_PER_NOTE {
                    pos = note_end;
                    continue;
                }
                if m.start() == m.end()
                    || memchr::memchr(b'\n', &bytes[m.start()..m.end()]).is_some()
                {
                    // Empty, or across lines: not a match of a line. Go on from the next char.
                    pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
                    continue;
                }
                found[note * terms + t] += 1;
                raws.push(Raw {
                    note,
                    start: m.start(),
                    end: m.end(),
                });
                pos = m.end();
            }
        }
    }
    // Notes whose title, aliases or tags hold a term count too.
    let mut named = vec![false; count];
    let mut named_term = vec![false; count * terms];
    for (t, term) in query.terms.iter().enumerate() {
        for (from, to) in ranges(&seg.names_shadow, &seg.name_starts, seg.names.len(), t) {
            // A word's match never crosses a line: a note's names alone give its matches.
            for m in term.regex.find_iter(&seg.names[from..to]) {
                let (start, end) = (from + m.start(), from + m.end());
                let note = seg.name_starts.partition_point(|&s| s <= start) - 1;
                if note < count && kept[note] && start < end {
                    named[note] = true;
                    named_term[note * terms + t] = true;
                }
            }
        }
    }
    let df: Vec<usize> = (0..terms)
        .map(|t| {
            (0..count)
                .filter(|&i| found[i * terms + t] > 0 || named_term[i * terms + t])
                .count()
        })
        .collect();
    let mut by_note: std::collections::BTreeMap<usize, Vec<Raw>> = Default::default();
    for r in raws {
        by_note.entry(r.note).or_default().push(r);
    }
    for (i, &n) in named.iter().enumerate() {
        if n {
            by_note.entry(i).or_default();
        }
    }
    let mut out = Vec::new();
    let candidates: Vec<(usize, Vec<Raw>)> = by_note.into_iter().collect();
    for (local, mut rs) in candidates {
        let id = base + local;
        let note = &notes[id];
        let fields = if named[local] {
            field_hits(note, query)
        } else {
            Vec::new()
        };
        let mut counts: Vec<usize> = (0..terms).map(|t| found[local * terms + t]).collect();
        for f in &fields {
            for (t, term) in query.terms.iter().enumerate() {
                counts[t] += term.regex.find_iter(&f.text).count();
            }
        }
        if counts.contains(&0) {
            continue;
        }
        rs.sort_by_key(|r| (r.start, r.end));
        let lines = line_hits(bytes, text, seg.starts[local], store.first_lines[id], &rs);
        let tier = if fields
            .iter()
            .any(|f| matches!(f.place, Place::Title | Place::Alias))
        {
            Tier::Name
        } else if lines.iter().any(|l| l.place == Place::Heading) {
            Tier::Heading
        } else {
            Tier::Body
        };
        out.push(TextHit {
            note: id,
            tier,
            score: 0.0,
            fields,
            lines,
            counts,
        });
    }
    (out, df)
}

/// The title, aliases and tags of a note that any term matches.
fn field_hits(note: &Note, query: &Query) -> Vec<FieldHit> {
    let mut out = Vec::new();
    let mut push = |place, text: &str| {
        let text = nfc(text.to_owned());
        let mut ranges: Vec<(usize, usize)> = query
            .terms
            .iter()
            .flat_map(|t| t.regex.find_iter(&text).map(|m| (m.start(), m.end())))
            .filter(|(a, b)| a < b)
            .collect();
        if !ranges.is_empty() {
            ranges = merge(ranges);
            out.push(FieldHit {
                place,
                text,
                ranges,
            });
        }
    };
    push(Place::Title, &note.title);
    for a in &note.aliases {
        push(Place::Alias, a);
    }
    for t in &note.tags {
        push(Place::Tag, t);
    }
    out
}

/// Sorted, overlapping ranges joined.
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The matched lines of one note from its matches (sorted by start).
fn line_hits(
    bytes: &[u8],
    text: &str,
    note_start: usize,
    first_line: usize,
    raws: &[Raw],
) -> Vec<LineHit> {
    let mut out: Vec<LineHit> = Vec::new();
    let mut line = first_line;
    let mut counted_to = note_start;
    let mut i = 0;
    while i < raws.len() {
        let start = raws[i].start;
        line += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count();
        counted_to = start;
        let line_start = memchr::memrchr(b'\n', &bytes[note_start..start])
            .map_or(note_start, |p| note_start + p + 1);
        let line_end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
        let mut ranges = Vec::new();
        while i < raws.len() && raws[i].start < line_end {
            ranges.push((raws[i].start - line_start, raws[i].end - line_start));
            i += 1;
        }
        let ranges = merge(ranges);
        let full = &text[line_start..line_end];
        let place = if is_heading(full) && !in_code(bytes, note_start, line_start) {
            Place::Heading
        } else {
            Place::Body
        };
        let column = ranges[0].0 + 1;
        let (cut, ranges) = context(full, ranges);
        out.push(LineHit {
            line,
            column,
            text: cut,
            ranges,
            place,
        });
    }
    out
}

/// An ATX heading: one to six `#` then a space (or nothing).
fn is_heading(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(t.as_bytes().get(hashes), None | Some(b' ' | b'\t'))
}

/// Whether a line start is inside a fenced code block: an odd number of fence lines before it.
fn in_code(bytes: &[u8], note_start: usize, line_start: usize) -> bool {
    let region = &bytes[note_start..line_start];
    let fences = |f: &[u8]| {
        let mut n = memchr::memmem::find_iter(region, &[b"\n", f].concat()).count();
        if region.starts_with(f) {
            n += 1;
        }
        n
    };
    (fences(b"```") + fences(b"~~~")) % 2 == 1
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A long line cut to [`MAX_LINE_BYTES`] around its first match, `…` where it was cut, and
/// the ranges moved to the cut text (those outside it dropped, those across its ends clipped).
fn context(line: &str, ranges: Vec<(usize, usize)>) -> (String, Vec<(usize, usize)>) {
    if line.len() <= MAX_LINE_BYTES {
        return (line.to_owned(), ranges);
    }
    let first = ranges[0].0;
    let from = floor_boundary(line, first.saturating_sub(MAX_LINE_BYTES / 4));
    let to = floor_boundary(line, from + MAX_LINE_BYTES);
    let mut out = String::with_capacity(to - from + 6);
    let shift = if from > 0 {
        out.push('…');
        '…'.len_utf8()
    } else {
        0
    };
    out.push_str(&line[from..to]);
    if to < line.len() {
        out.push('…');
    }
    let ranges = ranges
        .into_iter()
        .filter(|&(a, b)| b > from && a < to)
        .map(|(a, b)| (a.max(from) - from + shift, b.min(to) - from + shift))
        .collect();
    (out, ranges)
}

/// `text` made safe to show or print, with `ranges` (byte ranges) moved to the safe text:
/// each piece between range ends is sanitised on its own, so a replaced control character
/// cannot shift a range.
pub fn safe_with_ranges(text: &str, ranges: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut moved = Vec::with_capacity(ranges.len());
    let mut at = 0;
    for &(a, b) in ranges {
        let (a, b) = (a.clamp(at, text.len()), b.clamp(at, text.len()));
        if !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        out.push_str(&crate::sanitize::line(&text[at..a]));
        let start = out.len();
        out.push_str(&crate::sanitize::line(&text[a..b]));
        moved.push((start, out.len()));
        at = b;
    }
    out.push_str(&crate::sanitize::line(&text[at..]));
    (out, moved)
}

/// Orders hits best first (see the module doc); `idf` per term.
fn rank(hits: &mut [TextHit], idf: &[f64], notes: &[Note]) {
    for h in hits.iter_mut() {
        h.score = h
            .counts
            .iter()
            .zip(idf)
            .map(|(&c, w)| w * (1.0 + (c.max(1) as f64).ln()))
            .sum();
    }
    hits.sort_by(|a, b| {
        a.tier
            .cmp(&b.tier)
            .then(b.score.total_cmp(&a.score))
            .then_with(|| notes[a.note].path.cmp(&notes[b.note].path))
    });
}

/// Weights of the terms: `ln(1 + notes / notes with the term)`.
fn idf(df: &[usize], notes: usize) -> Vec<f64> {
    df.iter()
        .map(|&d| (1.0 + notes as f64 / d.max(1) as f64).ln())
        .collect()
}

/// What a search calls with the hits found so far.
pub type OnPartial<'a> = &'a mut dyn FnMut(&[TextHit]);

/// How a search goes: streaming partial results, and when to give up.
pub struct Run<'a> {
    /// Set by another thread to stop the search (it then returns `None`).
    pub cancel: &'a AtomicBool,
    /// Called with the hits found so far, ranked among themselves, as segments finish
    /// (first after a few segments, so the first screen comes early).
    pub partial: Option<OnPartial<'a>>,
}

/// Searches the store for a query (its terms; filters applied). `None` when cancelled.
pub fn search(
    store: &TextStore,
    vault: &Vault,
    query: &Query,
    cx: FilterCx,
    limit: usize,
    run: Run,
) -> Option<TextResult> {
    let Run {
        cancel,
        mut partial,
    } = run;
    let notes = &vault.notes;
    if !query.has_terms() || notes.is_empty() {
        return Some(TextResult::default());
    }
    let filters = &query.filters;
    let keep = |id: NoteId| {
        filters.is_empty()
            || notes
                .get(id)
                .is_some_and(|n| passes(filters, id, n, Some(store), cx))
    };
    let segments = store.segments.len().min(notes.len().div_ceil(SEGMENT));
    let mut hits: Vec<TextHit> = Vec::new();
    let mut df = vec![0usize; query.terms.len()];
    // Waves of segments, doubling: the first wave answers the first screen.
    let mut next = 0;
    let mut wave = if partial.is_some() { 2 } else { segments };
    while next < segments {
        let end = (next + wave).min(segments);
        let found: Vec<(Vec<TextHit>, Vec<usize>)> = (next..end)
            .into_par_iter()
            .map(|s| {
                if cancel.load(Ordering::Relaxed) {
                    (Vec::new(), Vec::new())
                } else {
                    scan_segment(store, s, query, &keep, notes)
                }
            })
            .collect();
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        for (h, d) in found {
            hits.extend(h);
            for (total, d) in df.iter_mut().zip(d) {
                *total += d;
            }
        }
        next = end;
        wave *= 2;
        if let Some(p) = partial.as_deref_mut()
            && next < segments
        {
            // Ranked in place (the final ranking sorts again): no copy of what was found.
            let weights = idf(&df, next * SEGMENT);
            rank(&mut hits, &weights, notes);
            p(&hits[..hits.len().min(limit)]);
        }
    }
    let weights = idf(&df, notes.len());
    rank(&mut hits, &weights, notes);
    hits.truncate(limit);
    Some(TextResult { hits })
}

/// [`search`] to the end, without streaming or cancelling.
pub fn search_all(
    store: &TextStore,
    vault: &Vault,
    query: &Query,
    cx: FilterCx,
    limit: usize,
) -> TextResult {
    let never = AtomicBool::new(false);
    search(
        store,
        vault,
        query,
        cx,
        limit,
        Run {
            cancel: &never,
            partial: None,
        },
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vault of (path, file text) notes, with their bodies in a store.
    fn vault(files: &[(&str, &str)]) -> (Vault, TextStore) {
        let notes: Vec<Note> = files
            .iter()
            .map(|(p, t)| Note::parse(p, t, t.len() as u64, None).0)
            .collect();
        let vault = Vault::from_notes(
            std::path::PathBuf::from("/v"),
            notes,
            Vec::new(),
            Vec::new(),
        );
        let body = |id: NoteId| {
            let path = &vault.notes[id].path;
            let (_, text) = files.iter().find(|(p, _)| p == path)?;
            Some(Note::body_of(text).to_owned())
        };
        let store = TextStore::build_with(&vault.notes, body);
        (vault, store)
    }

    /// Each note's path with its lines: (line, column, ranges).
    type Found = Vec<(String, Vec<(usize, usize, Vec<(usize, usize)>)>)>;

    fn find(v: &(Vault, TextStore), q: &str) -> Found {
        let query = Query::parse(q, false).unwrap();
        search_all(&v.1, &v.0, &query, FilterCx::default(), usize::MAX)
            .hits
            .iter()
            .map(|h| {
                (
                    v.0.notes[h.note].path.clone(),
                    h.lines
                        .iter()
                        .map(|l| (l.line, l.column, l.ranges.clone()))
                        .collect(),
                )
            })
            .collect()
    }

    const FILES: &[(&str, &str)] = &[
        (
            "networking/security-groups.md",
            "---\ntitle: Security Groups\naliases: [보안그룹]\ntags: [security/vpc]\n---\n# Security Groups\n\nA 보안그룹 is stateful.\nNACLs are stateless; the 보안그룹 is not.\n",
        ),
        (
            "ml/privatelink.md",
            "---\ntags: [security/vpc-endpoints, draft]\n---\n# 프라이빗 링크\n\nPrivateLink keeps traffic private.\n```\n# not a heading: privatelink\n```\nVPC 엔드포인트 uses privatelink.\n",
        ),
        (
            "ml/hipaa.md",
            "# Compliance\n\n## HIPAA\n\nHIPAA needs encryption; encryption everywhere.\n",
        ),
    ];

    #[test]
    fn lines_columns_and_ranges_are_file_positions() {
        let v = vault(FILES);
        // Front matter is 5 lines: the body starts on line 6.
        assert_eq!(
            find(&v, "stateful"),
            [(
                "networking/security-groups.md".to_owned(),
                vec![(8, 19, vec![(18, 26)])]
            )]
        );
        // Korean: byte columns, whole syllables.
        let hits = find(&v, "보안그룹");
        assert_eq!(
            hits[0].1,
            vec![(8, 3, vec![(2, 14)]), (9, 26, vec![(25, 37)])]
        );
        // 초성 finds the same.
        assert_eq!(find(&v, "ㅂㅇㄱㄹ"), hits);
        // Mixed Latin and Hangul, the last syllable incomplete.
        assert_eq!(
            find(&v, "vpc 엔ㄷ"),
            [(
                "ml/privatelink.md".to_owned(),
                vec![(10, 1, vec![(0, 3), (4, 10)])]
            )]
        );
    }

    #[test]
    fn smart_case_phrases_and_regexes() {
        let v = vault(FILES);
        let lines = |q| {
            find(&v, q)
                .into_iter()
                .flat_map(|(_, l)| l.into_iter().map(|x| x.0))
                .collect::<Vec<_>>()
        };
        assert_eq!(lines("privatelink"), [6, 8, 10]);
        assert_eq!(lines("PrivateLink"), [6]);
        assert_eq!(lines(r#""keeps traffic""#), [6]);
        assert_eq!(lines("/encrypt(ion)?;/"), [5]);
        assert_eq!(lines("re:HIP+A"), [3, 5]);
    }

    #[test]
    fn every_word_must_match_somewhere_in_the_note() {
        let v = vault(FILES);
        assert_eq!(find(&v, "stateless privatelink"), []);
        // One word in a tag, the other in the body.
        let hits = find(&v, "draft keeps");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, "ml/privatelink.md");
    }

    #[test]
    fn filters_narrow_the_notes() {
        let v = vault(FILES);
        let paths = |q| find(&v, q).into_iter().map(|(p, _)| p).collect::<Vec<_>>();
        assert_eq!(paths("is tag:security"), ["networking/security-groups.md"]);
        assert_eq!(
            paths("private tag:security/vpc-endpoints"),
            ["ml/privatelink.md"]
        );
        assert_eq!(paths("private -tag:draft"), Vec::<String>::new());
        assert_eq!(paths("encryption path:ML/"), ["ml/hipaa.md"]);
        assert_eq!(paths("encryption -path:ml/"), Vec::<String>::new());
        // The seed's flowchart-less notes have no diagram; has:question without questions.
        assert_eq!(paths("encryption has:question"), Vec::<String>::new());
        assert_eq!(paths("privatelink has:diagram"), Vec::<String>::new());
    }

    #[test]
    fn ranking_names_then_headings_then_body_then_counts_and_rarity() {
        let files = [
            ("a-body.md", "vpc vpc vpc vpc\n"),
            ("b-heading.md", "# About vpc\n"),
            ("c-name.md", "---\naliases: [VPC]\n---\nnothing here\n"),
            ("d-body-once.md", "one vpc\n"),
        ];
        let v = vault(&files);
        let paths: Vec<String> = find(&v, "vpc").into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            ["c-name.md", "b-heading.md", "a-body.md", "d-body-once.md"]
        );
        // A code comment is not a heading.
        let v2 = vault(FILES);
        let q = Query::parse("privatelink", false).unwrap();
        let r = search_all(&v2.1, &v2.0, &q, FilterCx::default(), 10);
        // (Its title, the file name, matches: the name tier.)
        assert_eq!(r.hits[0].tier, Tier::Name);
        assert!(r.hits[0].lines.iter().all(|l| l.place == Place::Body));
        // Rarer words weigh more: both notes have both words; the one with more of the rare
        // word wins though it has fewer matches in all.
        let files = [
            ("common.md", "aws aws aws aws aws aws kms\n"),
            ("rare.md", "aws kms kms kms\n"),
            ("x1.md", "aws\n"),
            ("x2.md", "aws\n"),
            ("x3.md", "aws\n"),
        ];
        let v = vault(&files);
        let paths: Vec<String> = find(&v, "aws kms").into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["rare.md", "common.md"]);
    }

    #[test]
    fn long_lines_are_cut_around_the_match() {
        let long = format!("{}needle{}\n", "가".repeat(500), "b".repeat(1000));
        let files = [("long.md", long.as_str())];
        let v = vault(&files);
        let q = Query::parse("needle", false).unwrap();
        let r = search_all(&v.1, &v.0, &q, FilterCx::default(), 10);
        let l = &r.hits[0].lines[0];
        assert_eq!(l.column, 1501);
        assert!(l.text.starts_with('…') && l.text.ends_with('…'));
        assert!(l.text.len() <= MAX_LINE_BYTES + 6);
        let (a, b) = l.ranges[0];
        assert_eq!(&l.text[a..b], "needle");
    }

    #[test]
    fn a_cancelled_search_returns_nothing() {
        let v = vault(FILES);
        let q = Query::parse("is", false).unwrap();
        let cancel = AtomicBool::new(true);
        let run = Run {
            cancel: &cancel,
            partial: None,
        };
        assert!(search(&v.1, &v.0, &q, FilterCx::default(), 10, run).is_none());
    }

    #[test]
    fn a_store_built_after_a_reload_keeps_the_text_of_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("a.md", "---\ntitle: A\n---\nalpha 보안그룹\n");
        write("b.md", "beta\n");
        write("c.md", "gamma\n");
        let v1 = Vault::load(dir.path()).unwrap();
        let s1 = TextStore::build(&v1);
        assert_eq!(s1.kept, 0);
        // One file changes, one goes, one comes.
        write("b.md", "beta, longer now\n");
        std::fs::remove_file(dir.path().join("c.md")).unwrap();
        write("d.md", "delta\n");
        let v2 = Vault::load(dir.path()).unwrap();
        let s2 = TextStore::build_reusing(&v2, Some((&s1, &v1)));
        // Only a.md is the same file as before.
        assert_eq!(s2.kept, 1);
        let fresh = TextStore::build(&v2);
        for id in 0..v2.notes.len() {
            assert_eq!(s2.body(id), fresh.body(id), "{}", v2.notes[id].path);
        }
        let a = v2.by_path("a.md").unwrap();
        assert_eq!(s2.body(a), "alpha 보안그룹\n");
        // Searches see the new text.
        let q = Query::parse("longer", false).unwrap();
        let r = search_all(&s2, &v2, &q, FilterCx::default(), 10);
        assert_eq!(r.hits.len(), 1);
        assert_eq!(v2.notes[r.hits[0].note].path, "b.md");
        // Kept text is kept again by the next store.
        let s3 = TextStore::build_reusing(&v2, Some((&s2, &v2)));
        assert_eq!(s3.kept, v2.notes.len());
    }

    #[test]
    fn a_store_spilled_to_files_finds_what_one_in_memory_finds() {
        let v = vault(FILES);
        let dir = tempfile::tempdir().unwrap();
        let (vault, store) = v;
        let bytes = store.bytes();
        let spilled = vault_and(
            &vault,
            TextStore::build_with(&vault.notes, |id| {
                let path = &vault.notes[id].path;
                let (_, text) = FILES.iter().find(|(p, _)| p == path)?;
                Some(Note::body_of(text).to_owned())
            })
            .spill(dir.path())
            .unwrap(),
        );
        assert_eq!(spilled.1.bytes(), bytes);
        let memory = (vault, store);
        for q in [
            "stateful",
            "보안그룹",
            "ㅂㅇㄱㄹ",
            "vpc 엔ㄷ",
            "privatelink",
            "draft keeps",
        ] {
            assert_eq!(find(&spilled, q), find(&memory, q), "{q:?}");
        }
        assert_eq!(spilled.1.body(2), memory.1.body(2));
        // A file gone: its notes have no text, and nothing fails.
        std::fs::remove_file(dir.path().join("0.txt")).unwrap();
        assert_eq!(find(&spilled, "stateful"), []);
    }

    /// A vault's copy beside a store (the test vaults are small).
    fn vault_and(vault: &Vault, store: TextStore) -> (Vault, TextStore) {
        (vault.clone(), store)
    }

    /// The fixture vault of Korean, English and mixed notes (`tests/fixtures/search`).
    fn fixture() -> Vault {
        Vault::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/search"
        )))
        .unwrap()
    }

    /// A word's initial consonants as typed (compatibility jamo), other characters kept.
    fn initials(w: &str) -> String {
        const COMPAT: [char; 19] = [
            'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ',
            'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
        ];
        w.chars()
            .map(|c| hangul::Syllable::of(c).map_or(c, |s| COMPAT[s.initial as usize]))
            .collect()
    }

    #[test]
    fn the_initial_consonant_prefilter_finds_what_the_plain_scan_finds() {
        let vault = fixture();
        let filtered = TextStore::build(&vault);
        let mut plain = TextStore::build(&vault);
        plain.set_prefilter(false);
        let run = |store: &TextStore, q: &str, composing: bool| {
            let query = Query::parse(q, composing).unwrap();
            let r = search_all(store, &vault, &query, FilterCx::default(), usize::MAX);
            r.hits
                .iter()
                .map(|h| {
                    (
                        vault.notes[h.note].path.clone(),
                        h.fields.clone(),
                        h.lines.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        // The issue's queries, with the positions they must give: whole syllables.
        let lines = |q: &str| {
            run(&filtered, q, true)
                .into_iter()
                .flat_map(|(p, _, l)| l.into_iter().map(move |l| (p.clone(), l.line, l.ranges)))
                .collect::<Vec<_>>()
        };
        let sg = "networking/security-groups-vs-nacls.md".to_owned();
        assert_eq!(
            lines("ㅂㅇㄱㄹ"),
            [
                (sg.clone(), 8, vec![(2, 14)]),
                (sg.clone(), 10, vec![(0, 12)]),
                (sg.clone(), 13, vec![(3, 15)]),
                (sg.clone(), 16, vec![(2, 14)]),
            ]
        );
        let ep = "networking/vpc-endpoints.md".to_owned();
        // 엔ㄷ: 엔드 of 엔드포인트 (6 bytes), after `# VPC ` and `인터페이스 ` (vpc is in the
        // title: the note has both words).
        assert_eq!(
            lines("vpc 엔ㄷ"),
            [
                (ep.clone(), 8, vec![(2, 5), (6, 12)]),
                (ep.clone(), 10, vec![(16, 22)])
            ]
        );
        let hits = run(&filtered, "ㅍㄹㅇㅂ", true);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, ep);
        assert_eq!(hits[0].1[0].text, "프라이빗 링크");
        assert_eq!(hits[0].1[0].ranges, [(0, 12)]);
        // Every word of every body, as 초성, half-typed and being typed: the same answers
        // with the prefilter as without.
        let mut words: Vec<String> = Vec::new();
        for id in 0..vault.notes.len() {
            for w in filtered.body(id).split_whitespace() {
                if !w.chars().any(hangul::is_hangul) {
                    continue;
                }
                let chars: Vec<char> = w.chars().collect();
                words.push(initials(w));
                for cut in 1..chars.len() {
                    let head: String = chars[..cut].iter().collect();
                    let tail: String = chars[cut..].iter().collect();
                    words.push(format!("{head}{}", initials(&tail)));
                    words.push(format!("{}{tail}", initials(&head)));
                    words.push(head);
                }
            }
        }
        words.sort();
        words.dedup();
        let mut found = 0;
        for w in &words {
            for composing in [false, true] {
                let a = run(&filtered, w, composing);
                assert_eq!(a, run(&plain, w, composing), "{w:?} composing={composing}");
                found += usize::from(!a.is_empty());
            }
        }
        // The words come from the notes: (nearly) all of them find something.
        assert!(
            found * 10 >= words.len() * 2 * 9,
            "{found} of {}",
            words.len() * 2
        );
    }

    #[test]
    fn the_stream_rules_out_the_notes_without_the_initials() {
        let vault = fixture();
        let store = TextStore::build(&vault);
        let seg = &store.segments[0];
        let needles = |q: &str| {
            Query::parse(q, false).unwrap().terms[0]
                .shadow
                .clone()
                .unwrap()
        };
        let may = |q: &str| -> Vec<&str> {
            seg.shadow
                .notes(&needles(q))
                .iter()
                .enumerate()
                .filter(|&(_, &m)| m)
                .map(|(i, _)| vault.notes[i].path.as_str())
                .collect()
        };
        assert_eq!(may("ㅂㅇㄱㄹ"), ["networking/security-groups-vs-nacls.md"]);
        assert_eq!(may("ㅇㄷㅍㅇㅌ"), ["networking/vpc-endpoints.md"]);
        assert_eq!(may("ㅎㅎㅎㅎ"), Vec::<&str>::new());
        assert!(store.prefilter_bytes() > 0);
    }

    #[test]
    fn nfd_bodies_are_kept_nfc() {
        let nfd: String = "보안그룹".nfd().collect();
        let text = format!("{nfd} rules\n");
        let files = [("nfd.md", text.as_str())];
        let v = vault(&files);
        assert_eq!(find(&v, "보안그룹")[0].1[0].0, 1);
    }
}
