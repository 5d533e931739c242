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

struct Entry {
    note: u32,
    field: Field,
    text: String,
    mask: u64,
}

/// The search strings of a vault, built once per vault.
pub struct SearchIndex {
    entries: Vec<Entry>,
    matcher: SkimMatcherV2,
}

/// A bit per character class: letters and digits each their own bit, everything else hashed
/// into the remaining bits. A string can only match if it has every bit of the query.
fn char_mask(s: &str) -> u64 {
    let mut m = 0u64;
    for c in s.chars() {
        m |= 1 << char_bit(c);
    }
    m
}

fn char_bit(c: char) -> u32 {
    match c {
        'a'..='z' => c as u32 - 'a' as u32,
        'A'..='Z' => c as u32 - 'A' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        _ => {
            let lower = c.to_lowercase().next().unwrap_or(c) as u32;
            36 + lower % 28
        }
    }
}

impl SearchIndex {
    pub fn build(notes: &[Note]) -> SearchIndex {
        let mut entries = Vec::with_capacity(notes.len() * 3);
        for (id, n) in notes.iter().enumerate() {
            let mut push = |field, text: &str| {
                if !text.is_empty()
                    && !entries
                        .iter()
                        .rev()
                        .take(8)
                        .any(|e: &Entry| e.note == id as u32 && e.text == text)
                {
                    entries.push(Entry {
                        note: id as u32,
                        field,
                        text: text.to_owned(),
                        mask: char_mask(text),
                    });
                }
            };
            push(Field::Title, &n.title);
            for a in &n.aliases {
                push(Field::Alias, a);
            }
            push(Field::FileName, &n.stem);
        }
        SearchIndex {
            entries,
            matcher: SkimMatcherV2::default().smart_case(),
        }
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

    /// Scores the candidate entries (all, or the given subset) and returns the ranked hits
    /// plus every entry that matched, for narrowing the next search.
    fn search_within(
        &self,
        query: &str,
        within: Option<&[u32]>,
        limit: usize,
    ) -> (Vec<Hit>, Vec<u32>) {
        if query.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let qmask = char_mask(query);
        let score = |i: u32| -> Option<(u32, i64)> {
            let e = &self.entries[i as usize];
            if e.mask & qmask != qmask {
                return None;
            }
            self.matcher.fuzzy_match(&e.text, query).map(|s| (i, s))
        };
        const CHUNK: usize = 4096;
        let matched: Vec<(u32, i64)> = match within {
            Some(ids) => ids
                .par_chunks(CHUNK)
                .flat_map_iter(|c| c.iter().filter_map(|&i| score(i)))
                .collect(),
            None => {
                let n = self.entries.len() as u32;
                (0..n)
                    .into_par_iter()
                    .with_min_len(CHUNK)
                    .filter_map(score)
                    .collect()
            }
        };
        // Best entry per note: entries of a note are contiguous and `matched` is in entry order.
        let mut best: Vec<(u32, i64)> = Vec::new();
        for &(i, s) in &matched {
            let e = &self.entries[i as usize];
            match best.last_mut() {
                Some(last) if self.entries[last.0 as usize].note == e.note => {
                    if s > last.1 {
                        *last = (i, s);
                    }
                }
                _ => best.push((i, s)),
            }
        }
        let order = |a: &(u32, i64), b: &(u32, i64)| {
            let (ea, eb) = (&self.entries[a.0 as usize], &self.entries[b.0 as usize]);
            b.1.cmp(&a.1)
                .then(ea.text.len().cmp(&eb.text.len()))
                .then(ea.field.cmp(&eb.field))
                .then(ea.note.cmp(&eb.note))
        };
        if best.len() > limit {
            best.select_nth_unstable_by(limit, order);
            best.truncate(limit);
        }
        best.sort_unstable_by(order);
        let hits = best
            .into_iter()
            .map(|(i, score)| {
                let e = &self.entries[i as usize];
                let positions = self
                    .matcher
                    .fuzzy_indices(&e.text, query)
                    .map(|(_, p)| p)
                    .unwrap_or_default();
                Hit {
                    note: e.note as NoteId,
                    field: e.field,
                    text: e.text.clone(),
                    score,
                    positions,
                }
            })
            .collect();
        (hits, matched.into_iter().map(|(i, _)| i).collect())
    }
}

/// Incremental search for a query typed one key at a time: when the new query contains the
/// previous one as a subsequence, only the previous matches can match, so only they are scored.
pub struct Searcher<'a> {
    index: &'a SearchIndex,
    last_query: String,
    last_matches: Vec<u32>,
}

impl<'a> Searcher<'a> {
    pub fn new(index: &'a SearchIndex) -> Self {
        Searcher {
            index,
            last_query: String::new(),
            last_matches: Vec::new(),
        }
    }

    pub fn search(&mut self, query: &str, limit: usize) -> Vec<Hit> {
        let narrow = !self.last_query.is_empty() && is_subsequence(&self.last_query, query);
        let within = narrow.then_some(self.last_matches.as_slice());
        let (hits, matches) = self.index.search_within(query, within, limit);
        self.last_query = query.to_owned();
        self.last_matches = matches;
        hits
    }
}

/// Whether every char of `small` appears in `big` in order (exactly, so a case change counts
/// as a different query).
fn is_subsequence(small: &str, big: &str) -> bool {
    let mut it = big.chars();
    small.chars().all(|c| it.any(|b| b == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes() -> Vec<Note> {
        [
            ("sagemaker-vpc-privatelink-security.md", "---\ntitle: sagemaker-vpc-privatelink-security\naliases: [sagemaker-private, vpc-sagemaker, privatelink-ml]\n---\n"),
            ("nat-gateway.md", "---\ntitle: NAT Gateway 정리\naliases: [NAT 게이트웨이, natgw]\n---\n"),
            ("vpc-peering.md", "---\ntitle: VPC Peering\naliases: [VPC 피어링]\n---\n"),
        ]
        .iter()
        .map(|(p, t)| Note::parse(p, t, 0, None).0)
        .collect()
    }

    #[test]
    fn alias_match_ranks_the_note_once_with_the_field() {
        let idx = SearchIndex::build(&notes());
        let hits = idx.search("vpcsm", 10);
        assert_eq!(hits[0].note, 0);
        assert_eq!(hits[0].field, Field::Alias);
        assert_eq!(hits[0].text, "vpc-sagemaker");
        assert_eq!(hits[0].positions, [0, 1, 2, 4, 8]);
        assert_eq!(hits.iter().filter(|h| h.note == 0).count(), 1);
    }

    #[test]
    fn hangul_and_smart_case() {
        let idx = SearchIndex::build(&notes());
        let hits = idx.search("게이트", 10);
        assert_eq!(
            (hits[0].note, hits[0].field, hits[0].text.as_str()),
            (1, Field::Alias, "NAT 게이트웨이")
        );
        assert_eq!(hits[0].positions, [4, 5, 6]);
        assert_eq!(idx.search("피어", 10)[0].note, 2);
        assert!(!idx.search("peering", 10).is_empty());
        assert!(
            idx.search("PEERING", 10).is_empty(),
            "upper case makes the query case-sensitive"
        );
        assert!(idx.search("zzz", 10).is_empty());
        assert!(idx.search("", 10).is_empty());
    }

    #[test]
    fn file_stem_is_searched_but_not_twice() {
        let idx = SearchIndex::build(&notes());
        // Title == stem for the first note: one entry, not two. (1 + 3) + (1 + 2 + 1) + (1 + 1 + 1).
        assert_eq!(idx.len(), 11);
        let hits = idx.search("natgateway", 10);
        assert_eq!((hits[0].note, hits[0].field), (1, Field::FileName));
    }

    #[test]
    fn incremental_search_gives_the_same_answers() {
        let idx = SearchIndex::build(&notes());
        let mut s = Searcher::new(&idx);
        for q in ["v", "vp", "vpc", "vpcs", "vpcsm", "vpc", "p", "pr", "Pr"] {
            assert_eq!(s.search(q, 10), idx.search(q, 10), "query {q:?}");
        }
    }

    #[test]
    fn subsequence() {
        assert!(is_subsequence("vp", "vpc"));
        assert!(is_subsequence("vc", "vpc"));
        assert!(!is_subsequence("cv", "vpc"));
        assert!(is_subsequence("", "x"));
    }
}
