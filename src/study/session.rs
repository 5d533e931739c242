//! A study session: questions asked one at a time, answers graded and recorded, a summary at
//! the end (score, time, the tags answered worst) and the missed ones to retry. Pure: time is
//! passed in, and the caller saves the progress.
//!
//! A right answer to a multiple-choice question is recorded at once as Good, so a killed
//! session keeps it; the learner may grade it otherwise before going on ([`Session::regrade`]:
//! the answer is taken back and recorded again with that grade). Every answer of the sitting
//! can be undone, last first ([`Session::undo`]). A card answered earlier in the sitting (a
//! retry of a missed one) is recorded without moving its schedule.

use std::collections::HashSet;

use rs_fsrs::Rating;

use super::{CardProgress, Entry, Progress, Question, ReviewId, default_rating, shuffle};
use crate::vault::Vault;
use crate::vault::questions::{Choice, Question as NoteQuestion};

/// Whether a question is graded by the user: an open one (a card), and a multiple-choice one
/// whose answer is not written. One with several right options ("Choose two") is answered by
/// picking that many.
pub fn self_graded(q: &NoteQuestion) -> bool {
    q.options.is_empty() || q.answer.is_empty()
}

/// Where the current question stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for an answer (or, for an open question, for the reveal).
    Asking,
    /// An open question's answer is shown; waiting for the user's own grade.
    Revealed,
    /// Answered: what was chosen (an option's own label, or the grade of an open question),
    /// whether it was right, and the grade recorded (1 Again … 4 Easy).
    Answered {
        chosen: String,
        correct: bool,
        grade: u8,
    },
    /// Every question asked: the summary.
    Done,
}

#[derive(Debug, Clone)]
pub struct Session {
    /// What the session covers, for its title (`notes in view`, a note's title, `due today`).
    pub title: String,
    pub questions: Vec<Question>,
    pub at: usize,
    pub phase: Phase,
    /// Per question: answered right?
    pub results: Vec<Option<bool>>,
    pub started: i64,
    pub finished: Option<i64>,
    /// The seed options are shuffled with (`None`: shown in their written order).
    pub shuffle: Option<u64>,
    /// Questions shown so far (each showing shuffles anew).
    pub showing: usize,
    /// Cards answered in this sitting: asked again, they are retries.
    pub seen: HashSet<String>,
    /// The answers of the session, last last, to undo.
    history: Vec<Step>,
    /// Questions the daily limits held back (said on the screen).
    pub waiting: usize,
    /// The options picked so far (their own labels) of a question with several right ones;
    /// it is answered when as many are picked as are right.
    pub picked: Vec<String>,
}

/// An answer given in the session, enough to take it back.
#[derive(Debug, Clone)]
struct Step {
    at: usize,
    result: Option<bool>,
    card: String,
    review: ReviewId,
    /// The card before the answer (`None`: new).
    before: Option<CardProgress>,
    /// The card had been answered earlier in the sitting.
    retry: bool,
}

impl Session {
    pub fn new(title: String, questions: Vec<Question>, now: i64) -> Session {
        let n = questions.len();
        Session {
            title,
            questions,
            at: 0,
            phase: if n == 0 { Phase::Done } else { Phase::Asking },
            results: vec![None; n],
            started: now,
            finished: (n == 0).then_some(now),
            shuffle: Some(now as u64),
            showing: 0,
            seen: HashSet::new(),
            history: Vec::new(),
            waiting: 0,
            picked: Vec::new(),
        }
    }

    /// A session of the questions missed here, in the same sitting (they are retries).
    pub fn retry_missed(&self, now: i64) -> Session {
        let mut s = Session::new("the missed ones".to_owned(), self.missed(), now);
        s.shuffle = self.shuffle.map(|x| x.wrapping_add(1));
        s.seen = self.seen.clone();
        s
    }

    /// The options of `q` as shown now: (the label shown, the option), in the order shown.
    /// Labels are given out in the written sequence, so the screen reads A, B, C… whatever
    /// the order; answers are kept by the option's own label.
    pub fn shown_options<'q>(&self, q: &'q NoteQuestion) -> Vec<(&'q str, &'q Choice)> {
        // An explanation that names options by letter would point at others once shuffled.
        let seed = self
            .shuffle
            .filter(|_| !shuffle::explained_by_letter(&q.options, &q.explanation))
            .map(|s| shuffle::showing_seed(s, self.showing));
        shuffle::order(&q.options, seed)
            .into_iter()
            .enumerate()
            .map(|(place, i)| (q.options[place].label.as_str(), &q.options[i]))
            .collect()
    }

    /// The question being asked, as written in its note.
    pub fn note_question<'v>(&self, vault: &'v Vault) -> Option<&'v NoteQuestion> {
        let q = self.current()?;
        vault.notes.get(q.note)?.questions.get(q.index)
    }

    /// The option a key picks (the label shown on the screen): its own label.
    pub fn label_for_key(&self, vault: &Vault, key: &str) -> Option<String> {
        let q = self.note_question(vault)?;
        self.shown_options(q)
            .into_iter()
            .find(|(shown, _)| shown.eq_ignore_ascii_case(key))
            .map(|(_, o)| o.label.clone())
    }

    /// Records an answer to the current question and keeps what undoing it needs.
    fn record(
        &mut self,
        vault: &Vault,
        progress: &mut Progress,
        rating: Rating,
        correct: bool,
        now: i64,
    ) -> Option<Entry> {
        let q = self.current().cloned()?;
        let path = &vault.notes.get(q.note)?.path;
        let before = progress.cards.get(&q.id).cloned();
        let retry = self.seen.contains(&q.id);
        let entry = progress.record(&q.id, path, rating, correct, now, retry);
        self.history.push(Step {
            at: self.at,
            result: self.results[self.at],
            card: q.id.clone(),
            review: entry.review.id,
            before,
            retry,
        });
        self.seen.insert(q.id);
        self.results[self.at] = Some(correct);
        Some(entry)
    }

    /// Takes back the last answer of the session: the card as it was before (in `progress`,
    /// and the line returned for the journal), the session back at that question. `None`
    /// when there is nothing to undo.
    pub fn undo(&mut self, progress: &mut Progress, now: i64) -> Option<Entry> {
        let step = self.history.pop()?;
        let line = progress.undo(&step.card, step.review, step.before.as_ref(), now);
        if !step.retry {
            self.seen.remove(&step.card);
        }
        self.at = step.at.min(self.questions.len().saturating_sub(1));
        if let Some(r) = self.results.get_mut(self.at) {
            *r = step.result;
        }
        self.phase = if self.questions.is_empty() {
            Phase::Done
        } else {
            Phase::Asking
        };
        self.finished = None;
        self.showing += 1;
        self.picked.clear();
        line
    }

    /// Grades a right answer to a multiple-choice question otherwise than Good: the answer
    /// is taken back and recorded again with `rating`. Returns the journal lines (the undo,
    /// the answer); none when the question was not answered right here.
    pub fn regrade(
        &mut self,
        vault: &Vault,
        progress: &mut Progress,
        rating: Rating,
        now: i64,
    ) -> Vec<Entry> {
        let Phase::Answered {
            chosen,
            correct: true,
            grade,
        } = self.phase.clone()
        else {
            return Vec::new();
        };
        if grade == rating as u8
            || self.history.last().is_none_or(|s| s.at != self.at)
            || self.note_question(vault).is_none_or(self_graded)
        {
            return Vec::new();
        }
        let Some(undo) = self.undo(progress, now) else {
            return Vec::new();
        };
        let correct = rating != Rating::Again;
        let mut out = vec![undo];
        out.extend(self.record(vault, progress, rating, correct, now));
        self.phase = Phase::Answered {
            chosen,
            correct,
            grade: rating as u8,
        };
        self.showing -= 1;
        out
    }

    /// Suspends the current card (never asked again until unsuspended) and goes on to the
    /// next question. Returns the journal line.
    pub fn suspend(&mut self, vault: &Vault, progress: &mut Progress, now: i64) -> Option<Entry> {
        let q = self.current().cloned()?;
        let path = &vault.notes.get(q.note)?.path;
        let line = progress.suspend(&q.id, path, true, now);
        // The card leaves the session: not asked again in it, whether by moving on after an
        // undo or as a retry of the missed ones.
        let at = self.at;
        self.questions.remove(at);
        self.results.remove(at);
        self.history.retain(|s| s.at != at);
        for step in &mut self.history {
            if step.at > at {
                step.at -= 1;
            }
        }
        self.show(now);
        line
    }

    pub fn current(&self) -> Option<&Question> {
        (self.phase != Phase::Done)
            .then(|| self.questions.get(self.at))
            .flatten()
    }

    /// Answers a multiple-choice question with an option's label (`A`…); records it, and
    /// returns the answer recorded (none when the label does not answer it).
    pub fn choose(
        &mut self,
        vault: &Vault,
        progress: &mut Progress,
        label: &str,
        now: i64,
    ) -> Option<Entry> {
        let q = self.current().cloned()?;
        if self.phase != Phase::Asking {
            return None;
        }
        let question = vault
            .notes
            .get(q.note)
            .and_then(|n| n.questions.get(q.index))?;
        if self_graded(question)
            || !question
                .options
                .iter()
                .any(|o| o.label.eq_ignore_ascii_case(label))
        {
            return None;
        }
        let label = label.to_ascii_uppercase();
        let (chosen, correct) = if question.answer.len() > 1 {
            // Picking again takes the pick back; the answer is given with the last one needed.
            if let Some(at) = self.picked.iter().position(|p| *p == label) {
                self.picked.remove(at);
                return None;
            }
            self.picked.push(label);
            if self.picked.len() < question.answer.len() {
                return None;
            }
            let picked = std::mem::take(&mut self.picked);
            let correct = picked.iter().all(|p| question.is_right(p));
            (picked.join(","), correct)
        } else {
            let correct = question.is_right(&label);
            (label, correct)
        };
        let rating = default_rating(correct);
        let entry = self.record(vault, progress, rating, correct, now)?;
        self.phase = Phase::Answered {
            chosen,
            correct,
            grade: rating as u8,
        };
        Some(entry)
    }

    /// Shows an open question's answer.
    pub fn reveal(&mut self, vault: &Vault) {
        if let Some(q) = self.current()
            && self.phase == Phase::Asking
            && vault
                .notes
                .get(q.note)
                .and_then(|n| n.questions.get(q.index))
                .is_some_and(self_graded)
        {
            self.phase = Phase::Revealed;
        }
    }

    /// After the vault was read again: finds each question again by its note's path and its
    /// card, drops the ones that are gone. Returns false when the question being asked is gone:
    /// the session goes on with the next one not answered yet (at its summary when there is
    /// none).
    pub fn remap(&mut self, old_paths: &[String], vault: &Vault) -> bool {
        // The answers' places change: what was answered before the reload stays answered.
        self.history.clear();
        let asking = self.current().is_some();
        // Each note's questions are found once, however many of them the session has.
        let mut by_note: std::collections::HashMap<&str, Vec<super::Question>> =
            std::collections::HashMap::new();
        let mut kept = Vec::new();
        let mut results = Vec::new();
        let mut at = None;
        // Where the session goes when the question being asked is gone: the first question
        // after it that is kept and not answered.
        let mut next_open = None;
        for (i, q) in self.questions.iter().enumerate() {
            let Some(path) = old_paths.get(i) else {
                continue;
            };
            let found = by_note.entry(path.as_str()).or_insert_with(|| {
                vault
                    .by_path(path)
                    .map_or(Vec::new(), |note| super::questions(vault, &[note]))
            });
            if let Some(nq) = found.iter().find(|x| x.id == q.id) {
                if i == self.at {
                    at = Some(kept.len());
                }
                if i > self.at && self.results[i].is_none() && next_open.is_none() {
                    next_open = Some(kept.len());
                }
                kept.push(nq.clone());
                results.push(self.results[i]);
            }
        }
        self.questions = kept;
        self.results = results;
        match (at, next_open) {
            (Some(a), _) => self.at = a,
            (None, Some(n)) if asking => {
                self.at = n;
                self.phase = Phase::Asking;
                self.picked.clear();
            }
            _ => {
                self.at = self.results.iter().filter(|r| r.is_some()).count();
                self.phase = Phase::Done;
            }
        }
        !asking || at.is_some()
    }

    /// Grades an open question after the reveal (Again counts as wrong); returns the answer
    /// recorded.
    pub fn grade(
        &mut self,
        vault: &Vault,
        progress: &mut Progress,
        rating: Rating,
        now: i64,
    ) -> Option<Entry> {
        if self.phase != Phase::Revealed {
            return None;
        }
        let correct = rating != Rating::Again;
        let entry = self.record(vault, progress, rating, correct, now)?;
        self.phase = Phase::Answered {
            chosen: format!("{rating:?}"),
            correct,
            grade: rating as u8,
        };
        Some(entry)
    }

    /// On to the next question, or the summary after the last.
    pub fn next(&mut self, now: i64) {
        if !matches!(self.phase, Phase::Answered { .. }) {
            return;
        }
        self.advance(now);
    }

    /// On to the next question, or the summary after the last.
    fn advance(&mut self, now: i64) {
        self.at += 1;
        self.show(now);
    }

    /// Shows the question at `at` afresh (shuffled anew, nothing picked), or the summary when
    /// there is none.
    fn show(&mut self, now: i64) {
        self.showing += 1;
        self.picked.clear();
        if self.at >= self.questions.len() {
            self.phase = Phase::Done;
            self.finished = Some(now);
        } else {
            self.phase = Phase::Asking;
        }
    }

    /// Ends the session early: the summary of what was answered.
    pub fn finish(&mut self, now: i64) {
        self.phase = Phase::Done;
        self.finished.get_or_insert(now);
    }

    /// (right, answered).
    pub fn score(&self) -> (usize, usize) {
        let answered = self.results.iter().flatten().count();
        let right = self.results.iter().flatten().filter(|r| **r).count();
        (right, answered)
    }

    /// The questions answered wrong.
    pub fn missed(&self) -> Vec<Question> {
        self.questions
            .iter()
            .zip(&self.results)
            .filter(|(_, r)| **r == Some(false))
            .map(|(q, _)| q.clone())
            .collect()
    }

    /// Tags with the most wrong answers in this session, worst first: (tag, wrong, asked).
    pub fn worst_tags(&self, vault: &Vault) -> Vec<(String, usize, usize)> {
        let mut by: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for (q, r) in self.questions.iter().zip(&self.results) {
            let Some(right) = r else { continue };
            for t in &vault.notes[q.note].tags {
                let e = by.entry(t.clone()).or_default();
                e.1 += 1;
                if !right {
                    e.0 += 1;
                }
            }
        }
        let mut v: Vec<(String, usize, usize)> = by
            .into_iter()
            .filter(|(_, (wrong, _))| *wrong > 0)
            .map(|(t, (w, a))| (t, w, a))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}
