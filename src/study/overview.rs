//! What the progress says of the vault: counts by tag, the overview `due`, `stats` and the
//! explorer's progress view show (due today, the 30-day forecast, the streak, suspended and
//! hardest cards), all in local days.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Limits, Planned, Progress, Question, due, is_due, plan, questions};
use crate::time::Days;
use crate::vault::{NoteId, Vault};

/// Per tag: (questions, due now, new, answers, right answers). A note's tags count for each
/// of its questions; a tag counts its descendants' questions too, as the tag tree does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TagStats {
    pub questions: usize,
    pub due: usize,
    pub new: usize,
    pub answers: usize,
    pub right: usize,
    pub suspended: usize,
}

pub fn stats_by_tag(
    vault: &Vault,
    qs: &[Question],
    progress: &Progress,
    now: i64,
    days: &Days,
) -> BTreeMap<String, TagStats> {
    let mut out: BTreeMap<String, TagStats> = BTreeMap::new();
    for q in qs {
        let note = &vault.notes[q.note];
        // The tag and each of its ancestors, once each.
        let mut tags: Vec<String> = Vec::new();
        for t in &note.tags {
            let parts: Vec<&str> = t.split('/').collect();
            for i in 1..=parts.len() {
                let p = parts[..i].join("/");
                if !tags.contains(&p) {
                    tags.push(p);
                }
            }
        }
        if tags.is_empty() {
            tags.push("(untagged)".to_owned());
        }
        let card = progress.cards.get(&q.id);
        let due = is_due(progress, &q.id, now, days);
        for t in tags {
            let s = out.entry(t).or_default();
            s.questions += 1;
            s.due += usize::from(due);
            match card {
                Some(c) if c.suspended => s.suspended += 1,
                Some(c) if !c.reviews.is_empty() => {
                    s.answers += c.reviews.len();
                    s.right += c.reviews.iter().filter(|r| r.correct).count();
                }
                _ => s.new += 1,
            }
        }
    }
    out
}

/// What the progress says of the whole vault at `now`: the numbers `due`, `stats` and the
/// explorer's progress view show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    pub questions: usize,
    /// Questions due now, and how many of those were never answered.
    pub due: usize,
    pub new: usize,
    /// Questions coming due on each of the next [`FORECAST_DAYS`] local days (today first,
    /// with the new ones and those overdue).
    pub due_by_day: Vec<usize>,
    pub by_tag: BTreeMap<String, TagStats>,
    pub streak_days: usize,
    /// What today's session would ask within the daily limits, and what waits beyond them.
    pub today: Planned,
    /// Suspended cards: (card id, note path), by note.
    pub suspended: Vec<(String, String)>,
    /// The cards missed most often: (card id, note path, lapses, reviews), worst first.
    pub hardest: Vec<Hard>,
}

/// A card missed often, for the progress view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hard {
    pub card: String,
    pub note: String,
    pub prompt: String,
    pub lapses: usize,
    pub reviews: usize,
}

/// Days the forecast covers.
pub const FORECAST_DAYS: usize = 30;
/// Hardest cards the overview lists.
pub const HARDEST: usize = 10;

/// The overview at `now`, with days counted in `days` (the user's own, in the app) and the
/// daily `limits`.
pub fn overview(
    vault: &Vault,
    progress: &Progress,
    now: i64,
    days: &Days,
    limits: Limits,
) -> Overview {
    let all: Vec<NoteId> = (0..vault.notes.len()).collect();
    let qs = questions(vault, &all);
    let due_now = due(&qs, progress, now, days);
    let new = due_now
        .iter()
        .filter(|q| progress.due_at(&q.id).is_none())
        .count();
    let mut due_by_day = vec![0; FORECAST_DAYS];
    for q in qs.iter().filter(|q| !progress.is_suspended(&q.id)) {
        let day = match progress.due_at(&q.id) {
            None => Some(0),
            Some(t) => usize::try_from((days.day(t) - days.day(now)).max(0)).ok(),
        };
        if let Some(d) = day.filter(|&d| d < FORECAST_DAYS) {
            due_by_day[d] += 1;
        }
    }
    let suspended = qs
        .iter()
        .filter(|q| progress.is_suspended(&q.id))
        .map(|q| (q.id.clone(), vault.notes[q.note].path.clone()))
        .collect();
    let mut hardest: Vec<Hard> = qs
        .iter()
        .filter_map(|q| {
            let c = progress.cards.get(&q.id)?;
            let lapses = c.reviews.iter().filter(|r| !r.correct).count();
            (lapses > 0).then(|| Hard {
                card: q.id.clone(),
                note: vault.notes[q.note].path.clone(),
                prompt: vault.notes[q.note].questions[q.index].prompt.clone(),
                lapses,
                reviews: c.reviews.len(),
            })
        })
        .collect();
    hardest.sort_by(|a, b| b.lapses.cmp(&a.lapses).then(a.card.cmp(&b.card)));
    hardest.truncate(HARDEST);
    let today = plan(
        due_now.into_iter().cloned().collect(),
        progress,
        now,
        days,
        limits,
    );
    Overview {
        questions: qs.len(),
        due: today.questions.len() + today.waiting(),
        new,
        due_by_day,
        by_tag: stats_by_tag(vault, &qs, progress, now, days),
        streak_days: streak_days(progress, now, days),
        today,
        suspended,
        hardest,
    }
}

/// Days in a row (calendar days of `days`), ending today or yesterday, with at least one
/// answer.
pub fn streak_days(progress: &Progress, now: i64, days: &Days) -> usize {
    let answered: std::collections::BTreeSet<i64> = progress
        .cards
        .values()
        .flat_map(|c| c.reviews.iter().map(|r| days.day(r.at)))
        .collect();
    let today = days.day(now);
    let mut day = if answered.contains(&today) {
        today
    } else {
        today - 1
    };
    let mut n = 0;
    while answered.contains(&day) {
        n += 1;
        day -= 1;
    }
    n
}
