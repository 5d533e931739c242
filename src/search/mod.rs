//! Fuzzy search over note titles, aliases and file names. Terminal-free.
//!
//! Every note contributes its title, each alias and its file stem (when different from the
//! title) as search strings. A query is matched against all of them with fuzzy-matcher's
//! `SkimMatcherV2` (smart case: an upper-case letter in the query makes it case-sensitive), and
//! each note appears once, with the field that matched best, the score and the matched
//! character positions.
//!
//! Speed on large vaults (100k notes is about 260k strings) comes from three things:
//! a 64-bit mask of the characters each string contains, which rejects most strings before the
//! matcher runs; [`Searcher`], which narrows the next keystroke's search to the previous
//! query's matches when the query only grew; and rayon, which spreads the matching over cores.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rayon::prelude::*;
use serde::Serialize;

use crate::vault::{Note, NoteId};

pub mod hangul;
pub mod query;
pub mod text;

/// Which string of a note matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    Title,
    Alias,
    FileName,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub note: NoteId,
    pub field: Field,
    /// The string that matched (the title, the alias, or the file stem).
    pub text: String,
    pub score: i64,
    /// Indices of the matched characters in `text`, counted in chars (not bytes).
    pub positions: Vec<usize>,
}

/// A search string: its note, which field it is, where its text sits in
/// [`SearchIndex::texts`], and the mask of its characters.
#[derive(Clone, Copy)]
struct Entry {
    note: u32,
    field: Field,
    start: u32,
    len: u32,
    /// ASCII lower-case letters present (bit 0 = `a`): a lower-case query letter matching
    /// only upper-case ones pays the case-mismatch penalty.
    lower: u32,
    /// The first character, ASCII lower-cased.
    first: char,
    /// Characters at the start of a word (after a space, `/`, brackets ...).
    heads: u128,
    /// Characters after punctuation (`-`, `_`, `.` ...) or at a lower-to-upper case change.
    inner: u128,
    /// Adjacent pairs of characters, by [`pair_bit`].
    pairs: u64,
}

/// The search strings of a vault, built once per vault.
pub struct SearchIndex {
    entries: Vec<Entry>,
    /// Each entry's characters, by [`char_bit`]; apart from the entries so that the pass that
    /// rejects most strings reads 16 bytes an entry.
    masks: Vec<u128>,
    /// The initial consonants of each entry's Hangul (by [`hangul::initial_bit`]), for
    /// rejecting strings before a 초성 query is matched.
    initials: Vec<u32>,
    /// Every entry's text, back to back: one pass over all strings reads memory in order
    /// instead of chasing a pointer per string.
    texts: String,
    matcher: SkimMatcherV2,
    /// Most strings the matcher scores for one search (see [`SearchIndex::with_budget`]).
    budget: usize,
}

/// Longest prefix of a title, alias or file name that is searched, in characters.
pub const MAX_SEARCH_CHARS: usize = 256;

/// The budget the explorer's search popup uses (see [`SearchIndex::with_budget`]): a few
/// milliseconds of matching on two cores. Without one, a search is exact.
pub const SCORING_BUDGET: usize = 4_000;

/// A bit per character class: letters and digits each their own bit, everything else hashed
/// into the remaining bits. A string can only match if it has every bit of the query.
fn char_mask(s: &str) -> u128 {
    // ASCII a byte at a time into the low half (every ASCII bit is below 64), the rest a
    // character at a time: at 100k notes the masks of a search's 300k strings were a tenth of
    // a `vaultscope search`.
    const _: () = assert!(max_ascii_bit() < 64);
    let mut ascii = 0u64;
    let mut m = 0u128;
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            ascii |= 1 << ASCII_BITS[usize::from(b)];
            i += 1;
        } else if let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) {
            m |= 1 << char_bit_by_class(c);
            i += c.len_utf8();
        } else {
            break;
        }
    }
    m | u128::from(ascii)
}

const fn max_ascii_bit() -> u8 {
    let mut most = 0;
    let mut b = 0;
    while b < 128 {
        if ASCII_BITS[b] > most {
            most = ASCII_BITS[b];
        }
        b += 1;
    }
    most
}

fn char_bit(c: char) -> u32 {
    // ASCII from a table: spaces and punctuation, most of a title's characters that are not
    // letters, took `to_lowercase` (a twentieth of a warm `search` at 100k notes).
    match ASCII_BITS.get(c as usize) {
        Some(&bit) => u32::from(bit),
        None => char_bit_by_class(c),
    }
}

/// [`char_bit`] of every ASCII character.
const ASCII_BITS: [u8; 128] = {
    let mut bits = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        bits[b] = match b as u8 {
            c @ b'a'..=b'z' => c - b'a',
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'0'..=b'9' => 26 + c - b'0',
            // Lower case already: as `char_bit_by_class` hashes it.
            c => 36 + c % 28,
        };
        b += 1;
    }
    bits
};

/// [`char_bit`] by the character's class, for any character.
fn char_bit_by_class(c: char) -> u32 {
    match c {
        'a'..='z' => c as u32 - 'a' as u32,
        'A'..='Z' => c as u32 - 'A' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        // Hangul syllables get a half of their own: Korean titles are full of them.
        '\u{AC00}'..='\u{D7A3}' => 64 + (c as u32 - 0xAC00) % 64,
        _ => {
            let lower = c.to_lowercase().next().unwrap_or(c) as u32;
            36 + lower % 28
        }
    }
}

/// The search strings of a run of notes, as [`SearchIndex::build`] makes them on each core:
/// `start` counts from this part's own `texts`, `note` from the vault's first note.
struct Part {
    entries: Vec<Entry>,
    masks: Vec<u128>,
    initials: Vec<u32>,
    texts: String,
}

/// `(e.len, e.field, e.note)` as one number that sorts the same: a searched text is at most
/// [`MAX_SEARCH_CHARS`] characters (under 2^30 bytes), a field takes 2 bits, a note id 32.
fn order_key(e: &Entry) -> u64 {
    (u64::from(e.len) << 34) | ((e.field as u64) << 32) | u64::from(e.note)
}

impl Part {
    /// The strings of `notes`, whose first is the vault's note `first_id`; with `only`, only
    /// those holding every character bit of that mask.
    fn of(notes: &[Note], first_id: usize, only: Option<u128>) -> Part {
        let mut entries: Vec<Entry> = Vec::with_capacity(notes.len() * 3);
        let mut masks: Vec<u128> = Vec::with_capacity(notes.len() * 3);
        let mut initials: Vec<u32> = Vec::with_capacity(notes.len() * 3);
        let mut texts = String::new();
        for (k, n) in notes.iter().enumerate() {
            let id = first_id + k;
            let first = entries.len();
            let mut push = |field, text: &str| {
                // NFC, so that a 초성 query finds a title saved decomposed.
                let nfc: String;
                let text = if !text.is_ascii()
                    && text.chars().any(|c| ('\u{1100}'..='\u{11FF}').contains(&c))
                {
                    use unicode_normalization::UnicodeNormalization;
                    nfc = text.nfc().collect();
                    nfc.as_str()
                } else {
                    text
                };
                // The same string twice in one note (a title that is also the file name) is
                // searched once, as its first field.
                let dup = entries[first..]
                    .iter()
                    .any(|e| &texts[e.start as usize..(e.start + e.len) as usize] == text);
                if text.is_empty() || dup {
                    return;
                }
                // A 9 MB heading is not a title anyone types: search its start only.
                // (A text of no more bytes than that holds no more characters.)
                let cut = (text.len() > MAX_SEARCH_CHARS)
                    .then(|| text.char_indices().nth(MAX_SEARCH_CHARS))
                    .flatten();
                let text = match cut {
                    Some((cut, _)) => &text[..cut],
                    None => text,
                };
                if only.is_some_and(|q| char_mask(text) & q != q) {
                    return;
                }
                let shape = Shape::of(text);
                entries.push(Entry {
                    note: id as u32,
                    field,
                    start: texts.len() as u32,
                    len: text.len() as u32,
                    lower: shape.lower,
                    first: text.chars().next().map_or('\0', |c| c.to_ascii_lowercase()),
                    heads: shape.heads,
                    inner: shape.inner,
                    pairs: shape.pairs,
                });
                masks.push(shape.chars);
                initials.push(shape.initials);
                texts.push_str(text);
            };
            push(Field::Title, &n.title);
            for a in &n.aliases {
                push(Field::Alias, a);
            }
            push(Field::FileName, &n.stem);
        }
        Part {
            entries,
            masks,
            initials,
            texts,
        }
    }
}

impl SearchIndex {
    pub fn build(notes: &[Note]) -> SearchIndex {
        Self::build_only(notes, None)
    }

    /// The index [`SearchIndex::build`] makes, holding only the strings that can match
    /// `query`: for a search of one query (the command line), where making every string's
    /// prefilters took longer than the search itself (at 100k notes, 150 ms of a 620 ms
    /// `vaultscope search`). The answers for `query` are the whole index's: a string without
    /// every character of the query is the first thing a search rejects. A query with a 초성
    /// in it, or ending in a Hangul syllable, gets the whole index: those match strings
    /// without its characters (`ㅂㅇ` finds 보안, `보아` finds 보안 as a syllable being typed).
    pub fn for_query(notes: &[Note], query: &str) -> SearchIndex {
        // The two ways a search leaves the fuzzy matcher's own rules (see `search_within`
        // and `complete_syllable`): a 초성 anywhere, a syllable last.
        let beyond_its_characters = query
            .chars()
            .any(|c| hangul::initial_of_consonant(c).is_some())
            || query.chars().last().is_some_and(hangul::is_hangul);
        let only = (!beyond_its_characters).then(|| char_mask(query));
        Self::build_only(notes, only)
    }

    fn build_only(notes: &[Note], only: Option<u128>) -> SearchIndex {
        // On all cores: each run of notes makes its own entries, joined in note order after
        // (at 100k notes the build was a quarter of a `vaultscope search` process, on one core).
        const NOTES_PER_PART: usize = 2048;
        let parts: Vec<Part> = notes
            .par_chunks(NOTES_PER_PART)
            .enumerate()
            .map(|(k, chunk)| Part::of(chunk, k * NOTES_PER_PART, only))
            .collect();
        let total: usize = parts.iter().map(|p| p.entries.len()).sum();
        let mut entries: Vec<Entry> = Vec::with_capacity(total);
        let mut masks: Vec<u128> = Vec::with_capacity(total);
        let mut initials: Vec<u32> = Vec::with_capacity(total);
        let mut texts = String::with_capacity(parts.iter().map(|p| p.texts.len()).sum());
        for part in parts {
            let shift = texts.len() as u32;
            entries.extend(part.entries.into_iter().map(|mut e| {
                e.start += shift;
                e
            }));
            masks.extend(part.masks);
            initials.extend(part.initials);
            texts.push_str(&part.texts);
        }
        // Stored in the order that breaks ties between equal scores (shorter text, field,
        // note), so a search walks each tier of equal bounds best first without sorting. The
        // three packed in one number beside the entry's place (which keeps the order a stable
        // sort gives): sorted without looking each entry up (the sort by a key read through
        // the entries was 7% of a `vaultscope search` at 100k notes).
        let mut order: Vec<(u64, u32)> = entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| (order_key(e), i as u32))
            .collect();
        order.par_sort_unstable();
        let masks: Vec<u128> = order.par_iter().map(|&(_, i)| masks[i as usize]).collect();
        let initials: Vec<u32> = order
            .par_iter()
            .map(|&(_, i)| initials[i as usize])
            .collect();
        let entries: Vec<Entry> = order
            .par_iter()
            .map(|&(_, i)| entries[i as usize])
            .collect();
        SearchIndex {
            entries,
            masks,
            initials,
            texts,
            matcher: SkimMatcherV2::default().smart_case(),
            budget: usize::MAX,
        }
    }

    /// Caps how many strings one search scores with the matcher (by default there is no cap,
    /// and every answer is the exhaustive one). Within the cap a search gives the exhaustive
    /// answer; when a query matches weakly everywhere and the cap is hit, the hits scoring
    /// above every unscored bound are still exact, and the tail of the list holds the best of
    /// what was scored. The explorer uses [`SCORING_BUDGET`] so every keystroke stays within
    /// a frame; the command line does not.
    pub fn with_budget(mut self, strings: usize) -> Self {
        self.budget = strings.max(1);
        self
    }

    fn text(&self, i: u32) -> &str {
        let e = &self.entries[i as usize];
        &self.texts[e.start as usize..(e.start + e.len) as usize]
    }

    /// Number of search strings.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best `limit` notes for `query` (all of them for `usize::MAX`).
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.search_within(query, None, limit).0
    }

    /// The same answer as [`SearchIndex::search`], found by scoring every matching string with
    /// the fuzzy matcher: the reference the pruned search is tested and benchmarked against.
    pub fn search_exhaustive(&self, query: &str, limit: usize) -> Vec<Hit> {
        if query.is_empty() {
            return Vec::new();
        }
        if query
            .chars()
            .any(|c| hangul::initial_of_consonant(c).is_some())
        {
            return self.search_hangul(query, limit).0;
        }
        let scored: Vec<(u32, i64)> = (0..self.entries.len() as u32)
            .into_par_iter()
            .with_min_len(CHUNK)
            .filter_map(|i| {
                self.matcher
                    .fuzzy_match(self.text(i), query)
                    .map(|s| (i, s))
            })
            .collect();
        let mut hits = self.rank(query, scored, limit);
        self.complete_syllable(query, &mut hits, limit);
        hits
    }

    /// Ranks a query over the candidate entries (all, or a subset known to hold every match)
    /// and returns the hits plus every entry that could match (has all the query's
    /// characters), for narrowing the next search.
    ///
    /// Scoring every string with the fuzzy matcher costs 200-500 ns, too much for a one- or
    /// two-letter query that matches most of 300k strings. So each candidate first gets an
    /// upper bound of its score from masks computed when the index was built
    /// ([`Pattern::bound`], no string is read); strings are scored tier by tier, highest bound
    /// first, and the search stops once the `limit`-th best note's score is above every bound
    /// left. The answer is the exhaustive one (tests compare the two), unless the scoring
    /// budget runs out first (see [`SearchIndex::with_budget`]).
    fn search_within(
        &self,
        query: &str,
        within: Option<&[Vec<u32>]>,
        limit: usize,
    ) -> (Vec<Hit>, Candidates) {
        if query.is_empty() || limit == 0 {
            return (Vec::new(), Vec::new());
        }
        if query
            .chars()
            .any(|c| hangul::initial_of_consonant(c).is_some())
        {
            return self.search_hangul(query, limit);
        }
        let (mut hits, matched) = self.search_skim(query, within, limit);
        self.complete_syllable(query, &mut hits, limit);
        (hits, matched)
    }

    /// After the fuzzy matcher's hits for a query ending in a Hangul syllable, the notes
    /// that only the syllable's completions match (`보아` on its way to 보안), while there is
    /// room under `limit`.
    fn complete_syllable(&self, query: &str, hits: &mut Vec<Hit>, limit: usize) {
        if hits.len() >= limit || !query.chars().last().is_some_and(hangul::is_hangul) {
            return;
        }
        let (more, _) = self.search_hangul(query, limit);
        let seen: std::collections::HashSet<NoteId> = hits.iter().map(|h| h.note).collect();
        let room = limit - hits.len();
        // Only what the matcher cannot match: the others are its to rank (or to leave out,
        // when its budget ran out).
        hits.extend(
            more.into_iter()
                .filter(|h| !seen.contains(&h.note))
                .filter(|h| self.matcher.fuzzy_match(&h.text, query).is_none())
                .take(room),
        );
    }

    /// The fuzzy matcher's search, pruned (see [`SearchIndex::search_within`]).
    fn search_skim(
        &self,
        query: &str,
        within: Option<&[Vec<u32>]>,
        limit: usize,
    ) -> (Vec<Hit>, Candidates) {
        let pattern = Pattern::new(query);
        let qmask = char_mask(query);
        // The entries the masks allow and their bounds, a piece per unit of parallel work,
        // each in index order. Collected piece by piece (an indexed collect): one vector of
        // all of them would be built from pieces anyway, and copied.
        let with_bounds = |ids: Vec<u32>| -> (Vec<u32>, Vec<u16>) {
            let bounds = ids
                .iter()
                .map(|&i| pattern.bound(&self.entries[i as usize]))
                .collect();
            (ids, bounds)
        };
        let pieces: Vec<(Vec<u32>, Vec<u16>)> = match within {
            Some(prev) => prev
                .par_iter()
                .map(|ids| {
                    with_bounds(
                        ids.iter()
                            .copied()
                            .filter(|&i| self.masks[i as usize] & qmask == qmask)
                            .collect(),
                    )
                })
                .filter(|(ids, _)| !ids.is_empty())
                .collect(),
            None => self
                .masks
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(c, masks)| {
                    let base = (c * CHUNK) as u32;
                    with_bounds(
                        masks
                            .iter()
                            .enumerate()
                            .filter(|&(_, &m)| m & qmask == qmask)
                            .map(|(k, _)| base + k as u32)
                            .collect(),
                    )
                })
                .filter(|(ids, _)| !ids.is_empty())
                .collect(),
        };
        // Bounds are small integers: a count per bound, then a counting sort of the entries
        // the search can reach puts each tier in one slice.
        let top = pieces
            .iter()
            .flat_map(|(_, b)| b.iter().copied())
            .max()
            .unwrap_or(0) as usize;
        let mut tiers = vec![0usize; top + 1];
        for (_, bounds) in &pieces {
            for &b in bounds {
                tiers[b as usize] += 1;
            }
        }
        // With a budget, the search scores at most the budget and a chunk's worth of the
        // highest bounds: only the tiers holding those are sorted (the rest only if the
        // tiers above run out without an answer, which the loop below checks).
        let reach = self.budget.saturating_add(CHUNK / 2);
        let mut floor = 0;
        let mut above = 0usize;
        for b in (0..=top).rev() {
            above += tiers[b];
            if above >= reach {
                floor = b;
                break;
            }
        }
        let mut scored: Vec<(u32, i64)> = Vec::new();
        // Each note's best key so far; the `limit`-th best of them is the bar to clear.
        let mut by_note: std::collections::HashMap<u32, Key> = std::collections::HashMap::new();
        let mut kth: Option<Key> = None;
        let mut spent = 0;
        // The tiers `floor..=ceiling`, then (only when those ran out) the ones below.
        let mut ceiling = top;
        'ranges: loop {
            let (by_bound, starts) = sort_tiers(&pieces, &tiers, floor, ceiling);
            for b in (floor..=ceiling).rev() {
                if kth.is_some_and(|k| (b as i64) < k.score()) {
                    break 'ranges;
                }
                // Entries are stored in tie-break order, so within a tier the best come first.
                let tier = &by_bound[starts[b - floor + 1]..starts[b - floor]];
                for chunk in tier.chunks(CHUNK / 2) {
                    if kth.is_some_and(|k| self.key(chunk[0], b as i64) >= k) {
                        break;
                    }
                    if spent >= self.budget {
                        break 'ranges;
                    }
                    spent += chunk.len();
                    let found: Vec<(u32, i64)> = chunk
                        .par_iter()
                        .filter_map(|&i| {
                            self.matcher
                                .fuzzy_match(self.text(i), query)
                                .map(|s| (i, s))
                        })
                        .collect();
                    for &(i, s) in &found {
                        let key = self.key(i, s);
                        let best = by_note.entry(key.note).or_insert(key);
                        *best = (*best).min(key);
                    }
                    scored.extend(found);
                    if by_note.len() >= limit {
                        let mut keys: Vec<Key> = by_note.values().copied().collect();
                        let (_, k, _) = keys.select_nth_unstable(limit - 1);
                        kth = Some(*k);
                    }
                }
            }
            // Below the tiers sorted: only when the bar does not already clear them all.
            if floor == 0 || kth.is_some_and(|k| ((floor - 1) as i64) < k.score()) {
                break;
            }
            ceiling = floor - 1;
            floor = 0;
        }
        let hits = self.rank(query, scored, limit);
        (hits, pieces.into_iter().map(|(ids, _)| ids).collect())
    }

    /// A query with Hangul: matched unit by unit ([`hangul::word`]: 초성, the syllable being
    /// typed), as a subsequence like the fuzzy matcher's, over every string whose masks allow
    /// it. Returns every such string too, for [`Searcher`] (which does not narrow by them:
    /// the last syllable's units change as it is typed).
    fn search_hangul(&self, query: &str, limit: usize) -> (Vec<Hit>, Candidates) {
        use unicode_normalization::UnicodeNormalization;
        let query: String = query.nfc().collect();
        let word = hangul::word(&query, true);
        let case_sensitive = query.chars().any(char::is_uppercase);
        // What each alternative requires of a string's masks.
        let needs: Vec<(u128, u32)> = word
            .alternatives
            .iter()
            .map(|units| {
                units.iter().fold((0u128, 0u32), |(m, i), u| match u {
                    hangul::Unit::Char(c) => (m | 1 << char_bit(*c), i),
                    r => (m, i | hangul::unit_initials(r)),
                })
            })
            .collect();
        // The strings the masks allow, in index order (shorter first, as ties are broken).
        let allowed: Vec<u32> = self
            .masks
            .par_chunks(CHUNK)
            .zip(self.initials.par_chunks(CHUNK))
            .enumerate()
            .flat_map_iter(|(c, (masks, initials))| {
                let needs = &needs;
                masks
                    .iter()
                    .zip(initials)
                    .enumerate()
                    .filter(move |(_, (m, ini))| {
                        needs
                            .iter()
                            .any(|&(qm, qi)| *m & qm == qm && *ini & qi == qi)
                    })
                    .map(move |(k, _)| (c * CHUNK + k) as u32)
            })
            .collect();
        // Within the budget, as the fuzzy matcher's search keeps to it: a one-consonant query
        // allows most Korean strings, and the shortest of them are the best candidates.
        let allowed = &allowed[..allowed.len().min(self.budget)];
        let scored: Vec<(u32, i64, Vec<usize>)> = allowed
            .par_iter()
            .with_min_len(CHUNK / 4)
            .filter_map(|&i| {
                let text = self.text(i);
                word.alternatives
                    .iter()
                    .filter_map(|units| fuzzy_units(text, units, case_sensitive))
                    .max_by_key(|(s, _)| *s)
                    .map(|(s, p)| (i, s, p))
            })
            .collect();
        let mut best: std::collections::HashMap<u32, (Key, Vec<usize>)> = Default::default();
        for (i, s, p) in scored {
            let key = self.key(i, s);
            match best.get(&key.note) {
                Some((k, _)) if *k <= key => {}
                _ => {
                    best.insert(key.note, (key, p));
                }
            }
        }
        let mut best: Vec<(Key, Vec<usize>)> = best.into_values().collect();
        best.sort_unstable_by_key(|(k, _)| *k);
        best.truncate(limit);
        let hits = best
            .into_iter()
            .map(|(key, positions)| {
                let e = &self.entries[key.entry as usize];
                Hit {
                    note: e.note as NoteId,
                    field: e.field,
                    text: self.text(key.entry).to_owned(),
                    score: key.score(),
                    positions,
                }
            })
            .collect();
        (hits, Vec::new())
    }

    /// The order of results, as a key that sorts best first (see [`Key`]).
    fn key(&self, i: u32, score: i64) -> Key {
        let e = &self.entries[i as usize];
        Key {
            neg_score: -score,
            len: e.len,
            field: e.field,
            note: e.note,
            entry: i,
        }
    }

    /// Best entry per note (by [`Key`]), ordered, cut to `limit`, with match positions.
    fn rank(&self, query: &str, scored: Vec<(u32, i64)>, limit: usize) -> Vec<Hit> {
        let mut best: std::collections::HashMap<u32, (Key, u32)> = std::collections::HashMap::new();
        for (i, s) in scored {
            let key = self.key(i, s);
            let slot = best.entry(key.note).or_insert((key, i));
            if key < slot.0 {
                *slot = (key, i);
            }
        }
        let mut best: Vec<(Key, u32)> = best.into_values().collect();
        if best.len() > limit {
            best.select_nth_unstable(limit);
            best.truncate(limit);
        }
        best.sort_unstable();
        best.into_iter()
            .map(|(key, i)| {
                let e = &self.entries[i as usize];
                let text = self.text(i);
                let positions = self
                    .matcher
                    .fuzzy_indices(text, query)
                    .map(|(_, p)| p)
                    .unwrap_or_default();
                Hit {
                    note: e.note as NoteId,
                    field: e.field,
                    text: text.to_owned(),
                    score: key.score(),
                    positions,
                }
            })
            .collect()
    }
}

/// The entries of `pieces` with bounds in `floor..=ceiling`, highest bound first and in
/// index order within a bound, and where each bound's run starts (`starts[b - floor]`, with
/// `starts[ceiling - floor + 1] == 0`).
fn sort_tiers(
    pieces: &[(Vec<u32>, Vec<u16>)],
    tiers: &[usize],
    floor: usize,
    ceiling: usize,
) -> (Vec<u32>, Vec<usize>) {
    let span = ceiling + 1 - floor;
    let mut starts = vec![0usize; span + 1];
    for k in (0..span).rev() {
        starts[k] = starts[k + 1] + tiers[floor + k];
    }
    let mut fill: Vec<usize> = (0..span).map(|k| starts[k + 1]).collect();
    let mut by_bound = vec![0u32; starts[0]];
    for (ids, bounds) in pieces {
        for (&i, &b) in ids.iter().zip(bounds) {
            let b = b as usize;
            if (floor..=ceiling).contains(&b) {
                by_bound[fill[b - floor]] = i;
                fill[b - floor] += 1;
            }
        }
    }
    (by_bound, starts)
}

/// The entries that may match a query (their masks allow it), in index order, in pieces of
/// parallel work: what the next keystroke's search narrows from.
type Candidates = Vec<Vec<u32>>;

/// How results are ordered, best first: higher score, then shorter matched text, then title
/// before alias before file name, then note order, then entry order. A note is shown with its best entry by the
/// same order, so pruning and ranking agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    /// The score, negated so that the best sorts first.
    neg_score: i64,
    len: u32,
    field: Field,
    note: u32,
    /// Last, so that two equal strings of one note have an order too.
    entry: u32,
}

impl Key {
    fn score(&self) -> i64 {
        -self.neg_score
    }
}

const CHUNK: usize = 4096;

/// A query prepared for the cheap per-string pass: does the string match at all (the query is
/// a subsequence of it, ignoring ASCII case unless the query has an upper-case letter, as the
/// matcher does), and what is the most the matcher could score it.
struct Pattern {
    /// Each query character, prepared once per query (the bound runs for every entry).
    chars: Vec<PatternChar>,
    /// Two equal characters in a row (ignoring ASCII case).
    repeats: bool,
}

struct PatternChar {
    /// ASCII lower-cased, to compare with [`Entry::first`].
    folded: char,
    /// Its [`char_bit`], as a mask.
    bit: u128,
    /// The [`pair_bit`] of the previous query character and this one.
    pair: u64,
    /// For a lower-case ASCII letter matched ignoring case: its bit in [`Entry::lower`].
    lower: u32,
}

/// The matcher's scores (fuzzy-matcher's `SkimScoreConfig::default()`).
const SCORE_MATCH: u16 = 16;
const BONUS_HEAD: u16 = 8;
const BONUS_BREAK: u16 = 7;
const BONUS_CAMEL: u16 = 6;
const BONUS_CONSECUTIVE: u16 = 4;
const FIRST_CHAR_MULTIPLIER: u16 = 2;
/// `penalty_case_mismatch`: a letter matched in the other case scores 2 less.
const CASE_PENALTY: u16 = 2;
/// The least a gap costs: `gap_start` (3) plus one `gap_extension` (1).
const GAP_MIN: u16 = 4;

/// The matcher's classes of characters, for its position bonuses.
#[derive(Clone, Copy, PartialEq)]
enum CharClass {
    Empty,
    HardSep,
    SoftSep,
    Number,
    Upper,
    Lower,
}

fn class(c: char) -> CharClass {
    match c {
        '\0' => CharClass::Empty,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => CharClass::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => CharClass::SoftSep,
        '0'..='9' => CharClass::Number,
        'A'..='Z' => CharClass::Upper,
        _ => CharClass::Lower,
    }
}

/// What an entry's prefilters need of its text, found in one walk over its characters (six
/// walks, each decoding the text again, were about a fifth of a warm `vaultscope search` at
/// 100k notes).
#[derive(Default)]
struct Shape {
    /// Every character's bit ([`char_bit`]).
    chars: u128,
    /// The characters at word starts, the first character excluded (it has its own bonus).
    heads: u128,
    /// The characters after punctuation or at a camel-case step, the first excluded.
    inner: u128,
    /// Adjacent pairs ([`pair_bit`]).
    pairs: u64,
    /// The ASCII lower-case letters present, a bit each.
    lower: u32,
    /// The 초성 present ([`hangul::initial_bit`]).
    initials: u32,
}

impl Shape {
    fn of(text: &str) -> Shape {
        let mut shape = Shape::default();
        let mut prev = CharClass::Empty;
        let mut prev_bit = None;
        for (j, c) in text.chars().enumerate() {
            let bit = char_bit(c);
            shape.chars |= 1 << bit;
            if c.is_ascii_lowercase() {
                shape.lower |= 1 << (c as u32 - 'a' as u32);
            }
            if !c.is_ascii() {
                shape.initials |= hangul::initial_bit(c);
            }
            let cur = class(c);
            let bonus = position_bonus(prev, cur);
            prev = cur;
            if let Some(p) = prev_bit {
                shape.pairs |= pair_of_bits(p, bit);
            }
            prev_bit = Some(bit);
            if j == 0 {
                continue;
            }
            match bonus {
                BONUS_HEAD => shape.heads |= 1 << bit,
                0 => {}
                _ => shape.inner |= 1 << bit,
            }
        }
        shape
    }
}

/// A bit for an adjacent pair of characters (ASCII case folded, like [`char_bit`]).
fn pair_bit(a: char, b: char) -> u64 {
    pair_of_bits(char_bit(a), char_bit(b))
}

/// [`pair_bit`] of two characters' [`char_bit`]s.
fn pair_of_bits(a: u32, b: u32) -> u64 {
    1 << ((a * 7 + b * 61) % 64)
}

/// The bonus the matcher gives a match at a position, from the previous character's class.
fn position_bonus(prev: CharClass, cur: CharClass) -> u16 {
    match (prev, cur) {
        (CharClass::Empty | CharClass::HardSep, _) => BONUS_HEAD,
        (CharClass::SoftSep, _) => BONUS_BREAK,
        (CharClass::Lower | CharClass::Number, CharClass::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}

impl Pattern {
    fn new(query: &str) -> Pattern {
        let raw: Vec<char> = query.chars().collect();
        let repeats = raw.windows(2).any(|w| w[0].eq_ignore_ascii_case(&w[1]));
        // An upper-case letter makes matching case-sensitive (smart case): no case penalty.
        let case_sensitive = raw.iter().any(char::is_ascii_uppercase);
        let chars = raw
            .iter()
            .enumerate()
            .map(|(k, &c)| PatternChar {
                folded: c.to_ascii_lowercase(),
                bit: 1 << char_bit(c),
                pair: if k > 0 { pair_bit(raw[k - 1], c) } else { 0 },
                lower: if !case_sensitive && c.is_ascii_lowercase() {
                    1 << (c as u8 - b'a')
                } else {
                    0
                },
            })
            .collect();
        Pattern { chars, repeats }
    }

    /// An upper bound of the matcher's score for an entry (which may not match at all).
    ///
    /// From fuzzy-matcher's scoring (`SkimMatcherV2::build_score_matrix`): each pattern
    /// character scores a match (16, less on a case mismatch) plus a bonus. The first
    /// character is reached through the skip path, which starts from a gap of -1 and adds its
    /// position's bonus (16 at the string's first character: the head bonus, doubled). A later
    /// character either follows the previous one directly, adding the larger of its position's
    /// bonus and the consecutive bonus (4), or comes after a gap, adding its position's bonus
    /// less the gap (at least 4). A letter the text has only in the other case scores 2 less
    /// (smart case). Position bonuses come from the entry's masks: 8 at a word
    /// start, 7 after punctuation or at a camel-case step, else 0; a pair mask tells whether two
    /// characters can be adjacent. Masks share bits between characters, which can only raise
    /// the bound. A test checks the bound against real scores over a generated vault.
    fn bound(&self, e: &Entry) -> u16 {
        // The best bonus a pattern character can have at a position after the first.
        let inner_best = |c: &PatternChar| -> u16 {
            if e.heads & c.bit != 0 {
                BONUS_HEAD
            } else if e.inner & c.bit != 0 {
                BONUS_BREAK
            } else {
                0
            }
        };
        // A lower-case query letter that the text has only in upper case pays the penalty.
        let matched = |c: &PatternChar| -> u16 {
            if c.lower != 0 && e.lower & c.lower == 0 {
                SCORE_MATCH - CASE_PENALTY
            } else {
                SCORE_MATCH
            }
        };
        let Some((first, rest)) = self.chars.split_first() else {
            return 0;
        };
        let first_best = if first.folded == e.first {
            BONUS_HEAD * FIRST_CHAR_MULTIPLIER
        } else {
            inner_best(first)
        };
        let mut total = matched(first) - 1 + first_best;
        for c in rest {
            let own = inner_best(c);
            let step = if self.repeats {
                // A repeated character can read a bonus the matrix kept from an earlier
                // string (fuzzy-matcher reuses it between calls): assume the largest.
                SCORE_MATCH + BONUS_HEAD * FIRST_CHAR_MULTIPLIER
            } else if e.pairs & c.pair != 0 {
                // Possibly right after the previous character: the consecutive bonus.
                matched(c) + own.max(BONUS_CONSECUTIVE)
            } else {
                // After a gap, which costs at least 4 (`gap_start` + `gap_extension`).
                matched(c) + own - GAP_MIN
            };
            total = total.saturating_add(step);
        }
        total
    }
}

/// A subsequence match of `units` in `text`, scored like the fuzzy matcher scores (a point
/// per character, more at word starts and for characters in a row, less for gaps), with the
/// matched char positions: the best of the matches starting at each place the first unit
/// matches, each continued greedily.
fn fuzzy_units(
    text: &str,
    units: &[hangul::Unit],
    case_sensitive: bool,
) -> Option<(i64, Vec<usize>)> {
    thread_local! {
        static CHARS: std::cell::RefCell<Vec<char>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    CHARS.with_borrow_mut(|chars| {
        chars.clear();
        chars.extend(text.chars());
        fuzzy_units_in(chars, units, case_sensitive)
    })
}

fn fuzzy_units_in(
    chars: &[char],
    units: &[hangul::Unit],
    case_sensitive: bool,
) -> Option<(i64, Vec<usize>)> {
    let (first, rest) = units.split_first()?;
    let mut best: Option<(i64, Vec<usize>)> = None;
    for start in (0..chars.len()).filter(|&j| first.matches(chars[j], case_sensitive)) {
        let mut positions = Vec::with_capacity(units.len());
        positions.push(start);
        let mut at = start + 1;
        for u in rest {
            match (at..chars.len()).find(|&j| u.matches(chars[j], case_sensitive)) {
                Some(j) => {
                    positions.push(j);
                    at = j + 1;
                }
                None => break,
            }
        }
        if positions.len() < units.len() {
            // No later start can fit either: the rest only shrinks.
            break;
        }
        let mut score = 0i64;
        for (k, &p) in positions.iter().enumerate() {
            score += i64::from(SCORE_MATCH);
            let head =
                p == 0 || matches!(class(chars[p - 1]), CharClass::HardSep | CharClass::SoftSep);
            if head {
                score += i64::from(BONUS_HEAD) * if k == 0 { 2 } else { 1 };
            }
            if k > 0 {
                let gap = p - positions[k - 1] - 1;
                if gap == 0 {
                    score += i64::from(BONUS_CONSECUTIVE) * 2;
                } else {
                    score -= 3 + gap.min(20) as i64;
                }
            }
        }
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, positions));
        }
    }
    best
}

/// Incremental search for a query typed one key at a time: when the new query contains the
/// previous one as a subsequence, only the previous candidates can match, so only they are
/// looked at. It remembers the previous search, so use one `Searcher` per index (and
/// [`Searcher::reset`] it when the index is rebuilt).
#[derive(Debug, Default)]
pub struct Searcher {
    last_query: String,
    last_matches: Candidates,
}

impl Searcher {
    pub fn search(&mut self, index: &SearchIndex, query: &str, limit: usize) -> Vec<Hit> {
        let narrow = !self.last_query.is_empty() && is_subsequence(&self.last_query, query);
        let within = narrow.then_some(self.last_matches.as_slice());
        let (hits, matches) = index.search_within(query, within, limit);
        self.last_query = query.to_owned();
        self.last_matches = matches;
        hits
    }

    /// Forgets the previous search (the index changed).
    pub fn reset(&mut self) {
        *self = Searcher::default();
    }
}

/// Whether every char of `small` appears in `big` in order (exactly, so a case change counts
/// as a different query).
fn is_subsequence(small: &str, big: &str) -> bool {
    let mut it = big.chars();
    small.chars().all(|c| it.any(|b| b == c))
}

#[cfg(test)]
mod tests;
