//! Studying: the questions of the notes as review cards, scheduled with FSRS (the `rs-fsrs`
//! crate), and the progress kept in a file outside the vault ([`store`]). Terminal-free.
//!
//! A card is a question of a note. Its identity is a hash of the note's path and its
//! normalised prompt, so it survives edits elsewhere in the note, and a reworded prompt starts
//! fresh. A wrong answer to a multiple-choice question counts as Again; a right one as Good
//! unless the learner grades it otherwise (Again/Hard/Good/Easy); an open question takes the
//! learner's own grade. Nothing is inferred from how fast an answer came.
//!
//! A card asked again in the same sitting (the retry of a missed one) is recorded but does not
//! move the card's schedule. Undoing an answer and suspending a card are journal lines too
//! ([`Change`]): an undone answer is remembered by its id ([`Progress::undone`]) so that no copy
//! of the progress brings it back.
//!
//! FSRS runs in its long-term form (intervals in days, no same-day learning steps): exam
//! questions answered right should not come back ten minutes later. A question answered
//! Again is due again at once, so a missed question is in the next session; its stability and
//! difficulty still follow FSRS.

pub mod anki;
mod changes;
mod overview;
pub mod schedule;
pub mod session;
pub mod shuffle;
pub mod store;

pub use overview::{
    FORECAST_DAYS, HARDEST, Hard, Overview, TagStats, overview, stats_by_tag, streak_days,
};
pub use schedule::{Limits, Planned, plan};

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rs_fsrs::{Card, FSRS, Parameters, Rating};
use serde::{Deserialize, Serialize};

use crate::time::Days;
use crate::vault::{NoteId, Vault};

/// The progress file's format version; a file with a higher one is never overwritten.
/// Version 2 gives every review an identity ([`ReviewId`]); a version 1 file is read and its
/// reviews given identities that depend only on what they are, so two instances migrating
/// the same file agree. Version 3 adds undone answers, suspended cards and retries (an older
/// build must not read such a file: it would bring undone answers back).
pub const VERSION: u32 = 3;

/// A card's identity: FNV-1a (64 bits) of the note's path and the normalised prompt.
pub fn card_id(note_path: &str, prompt: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let prompt: String = prompt.nfc().collect::<String>();
    let prompt = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in note_path
        .as_bytes()
        .iter()
        .chain(&[0u8])
        .chain(prompt.as_bytes())
    {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A review's identity: 128 bits that no two processes give out. The high half is random per
/// process (std's OS-seeded hasher keys over the pid and the time), the low half counts up
/// within it. Reviews are merged by it: two instances answering the same card in the same
/// second with the same rating keep both answers. Written as 32 hex digits; 0 means "none yet"
/// (a review read from a version 1 file, before [`Progress::fill_missing_ids`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReviewId(pub u128);

impl ReviewId {
    /// An identity no other review of any process has.
    pub fn new() -> ReviewId {
        use std::sync::OnceLock;
        use std::sync::atomic::{AtomicU64, Ordering};
        static PROCESS: OnceLock<u64> = OnceLock::new();
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let process = *PROCESS.get_or_init(|| {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u32(std::process::id());
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            h.write_u128(nanos);
            h.finish()
        });
        let n = COUNT.fetch_add(1, Ordering::Relaxed) + 1;
        ReviewId((u128::from(process) << 64) | u128::from(n))
    }

    /// The identity of a version 1 review: from the card, what the review says, and which of
    /// the card's identical reviews it is.
    fn migrated(card: &str, r: &Review, nth: u64) -> ReviewId {
        let what = format!("{card}\u{0}{}\u{0}{}\u{0}{}", r.at, r.rating, r.correct);
        let h = u64::from_str_radix(&card_id("v1", &what), 16).unwrap_or(0);
        ReviewId((u128::from(h) << 64) | u128::from(nth + 1))
    }

    pub fn is_none(&self) -> bool {
        self.0 == 0
    }
}

impl Serialize for ReviewId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:032x}", self.0))
    }
}

impl<'de> Deserialize<'de> for ReviewId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ReviewId, D::Error> {
        struct Hex;
        impl serde::de::Visitor<'_> for Hex {
            type Value = ReviewId;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a review id (32 hex digits)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ReviewId, E> {
                u128::from_str_radix(v, 16)
                    .map(ReviewId)
                    .map_err(|_| E::custom(format!("not a review id: {v:?}")))
            }
        }
        d.deserialize_str(Hex)
    }
}

/// One answer given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Unique to this answer (absent in version 1 files).
    #[serde(default)]
    pub id: ReviewId,
    /// Seconds since 1970.
    pub at: i64,
    /// 1 Again, 2 Hard, 3 Good, 4 Easy (0 on a line that is not an answer).
    pub rating: u8,
    pub correct: bool,
    /// A card asked again in the same sitting: recorded, the schedule left as it was.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retry: bool,
}

/// What a journal line does besides answering. An undo or a suspension is a line of its own,
/// its `review` giving only its identity and time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// An answer (the line's review).
    #[default]
    Answer,
    /// The answer `review` taken back: the card gets the line's schedule and note again (or
    /// is new again, `was_new`).
    Undo {
        review: ReviewId,
        was_new: bool,
    },
    /// The card is not asked until unsuspended.
    Suspend,
    Unsuspend,
}

impl Change {
    fn is_answer(&self) -> bool {
        *self == Change::Answer
    }
}

/// One answer as the journal keeps it (one JSON line): the card, its note, the review, and the
/// schedule it led to, so folding it in needs no scheduler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub card: String,
    pub note: String,
    pub review: Review,
    pub schedule: Card,
    /// Absent on an answer (and in version 2 journals).
    #[serde(default, skip_serializing_if = "Change::is_answer")]
    pub change: Change,
}

/// What is known of one card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardProgress {
    /// The note's path when last answered (for stats by tag and to find it again).
    pub note: String,
    pub card: Card,
    pub reviews: Vec<Review>,
    /// Never asked until unsuspended.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspended: bool,
}

/// Everything the progress file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    pub cards: BTreeMap<String, CardProgress>,
    /// Answers taken back: never folded in again, from any copy.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub undone: std::collections::BTreeSet<ReviewId>,
}

impl Default for Progress {
    fn default() -> Progress {
        Progress {
            version: VERSION,
            cards: BTreeMap::new(),
            undone: Default::default(),
        }
    }
}

fn time(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// The grade a multiple-choice answer gets before the learner changes it: Good when right,
/// Again when wrong.
pub fn default_rating(correct: bool) -> Rating {
    if correct { Rating::Good } else { Rating::Again }
}

impl Progress {
    /// Records an answer at `now` (seconds since 1970) and reschedules the card; returns the
    /// answer as the journal keeps it.
    pub fn answer(
        &mut self,
        id: &str,
        note: &str,
        rating: Rating,
        correct: bool,
        now: i64,
    ) -> Entry {
        self.record(id, note, rating, correct, now, false)
    }

    /// Records an answer; a `retry` (the card asked again in the same sitting) keeps the
    /// card's schedule as it was.
    pub fn record(
        &mut self,
        id: &str,
        note: &str,
        rating: Rating,
        correct: bool,
        now: i64,
        retry: bool,
    ) -> Entry {
        let entry = self
            .cards
            .entry(id.to_owned())
            .or_insert_with(|| CardProgress {
                note: note.to_owned(),
                card: Card {
                    due: time(now),
                    last_review: time(now),
                    ..Card::default()
                },
                reviews: Vec::new(),
                suspended: false,
            });
        let retry = retry && !entry.reviews.is_empty();
        let fsrs = FSRS::new(Parameters {
            enable_short_term: false,
            ..Parameters::default()
        });
        // A clock set back must not give FSRS a negative interval (it answers NaN).
        let at = now.max(entry.card.last_review.timestamp());
        if !retry {
            let next = fsrs.next(entry.card.clone(), time(at), rating);
            entry.card = next.card;
            if !(entry.card.stability.is_finite() && entry.card.difficulty.is_finite()) {
                entry.card = Card {
                    due: time(at),
                    last_review: time(at),
                    ..Card::default()
                };
            }
            if rating == Rating::Again {
                entry.card.due = time(at);
            }
        }
        entry.note = note.to_owned();
        let review = Review {
            id: ReviewId::new(),
            at: now,
            rating: rating as u8,
            correct,
            retry,
        };
        let place = entry.reviews.partition_point(|r| r.at <= now);
        entry.reviews.insert(place, review.clone());
        Entry {
            card: id.to_owned(),
            note: note.to_owned(),
            review,
            schedule: entry.card.clone(),
            change: Change::Answer,
        }
    }

    /// Folds one answer in (read from the journal, or given by this process): a review
    /// already known (by id) changes nothing, and the card takes the answer's schedule when
    /// it is the card's latest (by the time FSRS stamped; on a tie, the one folded in last).
    /// Returns whether anything changed.
    pub fn apply(&mut self, e: &Entry) -> bool {
        if !e.change.is_answer() {
            return self.apply_change(e);
        }
        if self.undone.contains(&e.review.id) {
            return false;
        }
        match self.cards.get_mut(&e.card) {
            None => {
                self.cards.insert(
                    e.card.clone(),
                    CardProgress {
                        note: e.note.clone(),
                        card: e.schedule.clone(),
                        reviews: vec![e.review.clone()],
                        suspended: false,
                    },
                );
            }
            Some(c) => {
                if c.reviews.iter().any(|r| r.id == e.review.id) {
                    return false;
                }
                let place = c.reviews.partition_point(|r| r.at <= e.review.at);
                c.reviews.insert(place, e.review.clone());
                if e.schedule.last_review >= c.card.last_review {
                    c.card = e.schedule.clone();
                    c.note = e.note.clone();
                }
            }
        }
        true
    }

    /// When a card is due (seconds since 1970), or `None` for a card never answered (new).
    pub fn due_at(&self, id: &str) -> Option<i64> {
        self.cards
            .get(id)
            .filter(|c| !c.reviews.is_empty())
            .map(|c| c.card.due.timestamp())
    }

    /// Whether a card is suspended.
    pub fn is_suspended(&self, id: &str) -> bool {
        self.cards.get(id).is_some_and(|c| c.suspended)
    }

    /// Folds another copy of the progress in (written meanwhile by another instance): every
    /// review is kept once (by its id), and a card's schedule comes from the copy whose last
    /// review is later.
    pub fn merge(&mut self, other: Progress) {
        self.undone.extend(other.undone.iter().copied());
        let undone = &self.undone;
        // A copy that still has an answer since undone has a schedule made by it: the other
        // copy's schedule stands.
        let tainted = |c: &CardProgress| c.reviews.iter().any(|r| undone.contains(&r.id));
        for (id, mut theirs) in other.cards {
            let theirs_tainted = tainted(&theirs);
            theirs.reviews.retain(|r| !undone.contains(&r.id));
            match self.cards.get_mut(&id) {
                None if theirs_tainted && theirs.reviews.is_empty() && !theirs.suspended => {}
                None if theirs_tainted => {
                    // Its schedule came from an undone answer: kept, but due at once.
                    theirs.card.due = theirs.card.last_review;
                    self.cards.insert(id, theirs);
                }
                None => {
                    self.cards.insert(id, theirs);
                }
                Some(mine) => {
                    let mine_tainted = tainted(mine);
                    let last = |c: &CardProgress| (c.card.last_review, c.reviews.len());
                    // The newer schedule wins; on a tie, the one being merged in (the copy in
                    // memory, which saw every answer of this session).
                    let take_theirs = match (mine_tainted, theirs_tainted) {
                        (false, true) => false,
                        (true, false) => true,
                        _ => last(&theirs) >= last(mine),
                    };
                    let before = mine.reviews.len();
                    for r in theirs.reviews {
                        if !mine.reviews[..before].iter().any(|x| x.id == r.id) {
                            mine.reviews.push(r);
                        }
                    }
                    if mine.reviews.len() > before {
                        mine.reviews.sort_by_key(|r| r.at);
                    }
                    if take_theirs {
                        mine.card = theirs.card;
                        mine.note = theirs.note;
                        mine.suspended = theirs.suspended;
                    }
                }
            }
        }
        if !self.undone.is_empty() {
            let undone = &self.undone;
            for c in self.cards.values_mut() {
                c.reviews.retain(|r| !undone.contains(&r.id));
            }
        }
    }

    /// Gives the reviews of a version 1 file their identities: the same ones on every
    /// reading, so a file migrated twice (or by two instances) merges into one.
    pub fn fill_missing_ids(&mut self) {
        for (id, card) in &mut self.cards {
            for i in 0..card.reviews.len() {
                if !card.reviews[i].id.is_none() {
                    continue;
                }
                let r = &card.reviews[i];
                let same = |x: &Review| (x.at, x.rating, x.correct) == (r.at, r.rating, r.correct);
                let nth = card.reviews[..i].iter().filter(|x| same(x)).count() as u64;
                let new = ReviewId::migrated(id, r, nth);
                card.reviews[i].id = new;
            }
        }
    }
}

/// A question of the vault as a card: its note, its index among the note's questions, its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub note: NoteId,
    pub index: usize,
    pub id: String,
}

/// The questions of the given notes, in note order.
pub fn questions(vault: &Vault, notes: &[NoteId]) -> Vec<Question> {
    notes
        .iter()
        .flat_map(|&note| {
            let n = &vault.notes[note];
            // The same prompt twice in a note: the later ones are told apart by their place
            // among the repeats.
            let mut seen: std::collections::HashMap<String, usize> =
                std::collections::HashMap::new();
            n.questions
                .iter()
                .enumerate()
                .map(|(index, q)| {
                    let base = card_id(&n.path, &q.prompt);
                    let count = seen.entry(base.clone()).or_default();
                    let repeat = *count;
                    *count += 1;
                    let id = if repeat == 0 {
                        base
                    } else {
                        card_id(&n.path, &format!("{}\u{0}#{}", q.prompt, repeat + 1))
                    };
                    Question { note, index, id }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether a card is due on the local day of `now` (a card due at 09:00 is due from local
/// midnight on): a new one is; a suspended one never is.
pub fn is_due(progress: &Progress, id: &str, now: i64, days: &Days) -> bool {
    !progress.is_suspended(id)
        && progress
            .due_at(id)
            .is_none_or(|d| days.day(d) <= days.day(now))
}

/// Questions due today (the local day of `now`): answered ones whose day has come, and new
/// ones; never suspended ones. The daily limits are [`plan`]'s.
pub fn due<'a>(
    qs: &'a [Question],
    progress: &Progress,
    now: i64,
    days: &Days,
) -> Vec<&'a Question> {
    qs.iter()
        .filter(|q| is_due(progress, &q.id, now, days))
        .collect()
}

/// The notes with a question due today (the local day of `now`), by [`due`]: what the query
/// language's `due:today` keeps, for the explorer's search and the command line alike.
pub fn due_notes(
    vault: &crate::vault::Vault,
    progress: &Progress,
    now: i64,
    days: &Days,
) -> std::collections::HashSet<crate::vault::NoteId> {
    let all: Vec<crate::vault::NoteId> = (0..vault.notes.len()).collect();
    let qs = questions(vault, &all);
    due(&qs, progress, now, days)
        .into_iter()
        .map(|q| q.note)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_795_996_800; // 2026-11-30 00:00 UTC

    #[test]
    fn identity_follows_the_prompt_not_the_rest_of_the_note() {
        let a = card_id("n.md", "Which  endpoint\nworks?");
        assert_eq!(a, card_id("n.md", "Which endpoint works?"));
        assert_ne!(a, card_id("n.md", "Which endpoint works best?"));
        assert_ne!(a, card_id("other.md", "Which endpoint works?"));
        // NFC and NFD Hangul are one prompt.
        assert_eq!(
            card_id("n.md", "보안"),
            card_id("n.md", "\u{1107}\u{1169}\u{110b}\u{1161}\u{11ab}")
        );
    }

    #[test]
    fn the_scheduler_with_a_fixed_clock() {
        let mut p = Progress::default();
        p.answer("good", "n.md", Rating::Good, true, T0);
        p.answer("again", "n.md", Rating::Again, false, T0);
        p.answer("easy", "n.md", Rating::Easy, true, T0);
        let good = p.due_at("good").unwrap();
        let again = p.due_at("again").unwrap();
        let easy = p.due_at("easy").unwrap();
        // A miss is due again at once, a right answer in days, an easy one later still.
        assert_eq!(again, T0);
        assert!(good - T0 >= 86_400, "good is a day or more: {}", good - T0);
        assert!(easy > good, "{} {}", easy - T0, good - T0);
        // Right again on the due day pushes it further out.
        p.answer("good", "n.md", Rating::Good, true, good);
        assert!(p.due_at("good").unwrap() - good > good - T0);
        assert_eq!(p.cards["good"].reviews.len(), 2);
        assert_eq!(default_rating(true), Rating::Good);
        assert_eq!(default_rating(false), Rating::Again);
    }

    fn seoul() -> Days {
        Days::in_zone(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
    }
    /// 2026-12-01 00:00 in Seoul (2026-11-30 15:00 UTC).
    const MIDNIGHT_KST: i64 = 1_796_050_800;

    #[test]
    fn good_and_easy_land_on_different_local_days_and_a_retry_keeps_the_due_date() {
        let days = seoul();
        let at = MIDNIGHT_KST + 10 * 3_600; // 10:00 KST
        let mut p = Progress::default();
        p.answer("g", "n.md", Rating::Good, true, at);
        p.answer("e", "n.md", Rating::Easy, true, at);
        let (g, e) = (p.due_at("g").unwrap(), p.due_at("e").unwrap());
        assert!(days.day(e) > days.day(g), "easy later than good: {g} {e}");
        assert!(days.day(g) > days.day(at), "good is due another day");
        // Missed, then right in the retry of the same sitting: recorded, due date kept.
        p.answer("m", "n.md", Rating::Again, false, at);
        let missed = p.cards["m"].clone();
        p.record("m", "n.md", Rating::Good, true, at + 300, true);
        assert_eq!(p.cards["m"].card, missed.card, "the schedule did not move");
        assert_eq!(p.cards["m"].reviews.len(), 2);
        assert!(p.cards["m"].reviews[1].retry);
        assert!(is_due(&p, "m", at + 600, &days));
    }

    #[test]
    fn due_today_turns_over_at_local_midnight() {
        let mut p = Progress::default();
        p.answer(
            "x",
            "n.md",
            Rating::Good,
            true,
            MIDNIGHT_KST - 86_400 + 10 * 3_600,
        );
        // Due some day at some hour; the day before it at 23:59 it is not due, at 00:01
        // of its day it is, though its hour has not come.
        let due = p.due_at("x").unwrap();
        let seoul = seoul();
        let day_start = MIDNIGHT_KST + (seoul.day(due) - seoul.day(MIDNIGHT_KST)) * 86_400;
        assert!(
            due > day_start + 60,
            "due later than 00:01: {}",
            due - day_start
        );
        assert!(!is_due(&p, "x", day_start - 60, &seoul), "23:59 KST");
        assert!(is_due(&p, "x", day_start + 60, &seoul), "00:01 KST");
        // In UTC days the same two instants (14:59 and 15:01 UTC) are one day.
        let utc = Days::in_zone(jiff::tz::TimeZone::UTC);
        assert_eq!(
            is_due(&p, "x", day_start - 60, &utc),
            is_due(&p, "x", day_start + 60, &utc)
        );
        // Suspended: never due.
        p.suspend("x", "n.md", true, day_start).unwrap();
        assert!(!is_due(&p, "x", day_start + 60, &seoul));
    }

    #[test]
    fn streaks_count_days_in_a_row() {
        let utc = Days::in_zone(jiff::tz::TimeZone::UTC);
        let mut p = Progress::default();
        assert_eq!(streak_days(&p, T0, &utc), 0);
        for d in [0, 1, 2, 4] {
            p.answer("x", "n.md", Rating::Good, true, T0 - d * 86_400);
        }
        assert_eq!(streak_days(&p, T0, &utc), 3);
        assert_eq!(
            streak_days(&p, T0 + 86_400, &utc),
            3,
            "yesterday still counts"
        );
        assert_eq!(streak_days(&p, T0 + 2 * 86_400, &utc), 0);
        // Days are the user's: answers at 23:30 and 00:30 local time are two days in a row,
        // though both fall on one UTC day.
        let seoul = Days::in_zone(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)));
        let midnight_seoul = 1_796_050_800; // 2026-12-01 00:00 +09:00
        let mut q = Progress::default();
        q.answer("y", "n.md", Rating::Good, true, midnight_seoul - 1_800);
        q.answer("z", "n.md", Rating::Good, true, midnight_seoul + 1_800);
        assert_eq!(streak_days(&q, midnight_seoul + 3_600, &seoul), 2);
        assert_eq!(streak_days(&q, midnight_seoul + 3_600, &utc), 1);
    }

    #[test]
    fn merging_keeps_every_answer_once() {
        let mut a = Progress::default();
        a.answer("x", "n.md", Rating::Good, true, T0);
        let mut b = a.clone();
        b.answer("x", "n.md", Rating::Again, false, T0 + 100);
        b.answer("y", "n.md", Rating::Good, true, T0 + 100);
        a.answer("z", "n.md", Rating::Good, true, T0 + 50);
        a.merge(b.clone());
        assert_eq!(a.cards["x"].reviews.len(), 2);
        assert_eq!(
            a.cards["x"].card, b.cards["x"].card,
            "the later schedule wins"
        );
        assert!(a.cards.contains_key("y") && a.cards.contains_key("z"));
        let before = a.clone();
        a.merge(before.clone());
        assert_eq!(a, before, "merging twice changes nothing");
    }
}
