//! A study session: questions asked one at a time, answers graded and recorded, a summary at
//! the end (score, time, the tags answered worst) and the missed ones to retry. Pure: time is
//! passed in, and the caller saves the progress.

use rs_fsrs::Rating;

use super::{Entry, Progress, Question, rating_for};
use crate::vault::Vault;
use crate::vault::questions::Question as NoteQuestion;

/// Whether a question is graded by the user: an open one, and a multiple-choice one whose
/// answer is not a single option (several right options, or none written).
pub fn self_graded(q: &NoteQuestion) -> bool {
    q.options.is_empty() || q.answer.len() != 1
}

/// Where the current question stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for an answer (or, for an open question, for the reveal).
    Asking,
    /// An open question's answer is shown; waiting for the user's own grade.
    Revealed,
    /// Answered: what was chosen (a label, or the grade of an open question) and whether it
    /// was right.
    Answered { chosen: String, correct: bool },
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
    /// When the current question was shown (for "fast" answers).
    pub shown: i64,
    pub finished: Option<i64>,
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
            shown: now,
            finished: (n == 0).then_some(now),
        }
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
        let correct = question.is_right(label);
        let taken = now.saturating_sub(self.shown).max(0) as u64;
        let entry = progress.answer(
            &q.id,
            &vault.notes[q.note].path,
            rating_for(correct, taken),
            correct,
            now,
        );
        self.results[self.at] = Some(correct);
        self.phase = Phase::Answered {
            chosen: label.to_ascii_uppercase(),
            correct,
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
        let q = self.current().cloned()?;
        if self.phase != Phase::Revealed {
            return None;
        }
        let correct = rating != Rating::Again;
        let entry = progress.answer(&q.id, &vault.notes[q.note].path, rating, correct, now);
        self.results[self.at] = Some(correct);
        self.phase = Phase::Answered {
            chosen: format!("{rating:?}"),
            correct,
        };
        Some(entry)
    }

    /// On to the next question, or the summary after the last.
    pub fn next(&mut self, now: i64) {
        if !matches!(self.phase, Phase::Answered { .. }) {
            return;
        }
        self.at += 1;
        self.shown = now;
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
