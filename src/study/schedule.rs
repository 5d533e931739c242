//! The daily limits: how many new cards and how many reviews a local day takes (Anki's
//! defaults, 20 and 200), counted from what was answered today, and the questions a session
//! asks within them. Terminal-free.

use serde::Serialize;

use super::{Progress, Question};
use crate::time::Days;

/// New cards a day, as Anki's default.
pub const NEW_PER_DAY: usize = 20;
/// Reviews a day, as Anki's default.
pub const REVIEWS_PER_DAY: usize = 200;

/// How much a local day takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    pub new_per_day: usize,
    pub reviews_per_day: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            new_per_day: NEW_PER_DAY,
            reviews_per_day: REVIEWS_PER_DAY,
        }
    }
}

/// What the local day of `now` has taken so far: (new cards, cards reviewed). A card is new
/// on the day of its first answer and a review on a later day it was answered again (a retry
/// in the same sitting is neither).
pub fn taken_today(progress: &Progress, now: i64, days: &Days) -> (usize, usize) {
    let today = days.day(now);
    let mut new = 0;
    let mut reviewed = 0;
    for c in progress.cards.values() {
        let Some(first) = c.reviews.iter().find(|r| !r.retry) else {
            continue;
        };
        if days.day(first.at) == today {
            new += 1;
        } else if c
            .reviews
            .iter()
            .any(|r| !r.retry && days.day(r.at) == today)
        {
            reviewed += 1;
        }
    }
    (new, reviewed)
}

/// The questions a session asks, and those the daily limits hold back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Planned {
    #[serde(skip)]
    pub questions: Vec<Question>,
    /// Asked: new cards and reviews.
    pub new: usize,
    pub reviews: usize,
    /// Held back by the limits until another day.
    pub waiting_new: usize,
    pub waiting_reviews: usize,
    /// Left out because suspended.
    pub suspended: usize,
    /// What today had already taken when planning.
    pub new_taken: usize,
    pub reviews_taken: usize,
    pub limits: Limits,
}

impl Planned {
    /// Questions held back by the limits.
    pub fn waiting(&self) -> usize {
        self.waiting_new + self.waiting_reviews
    }
}

/// Of `qs` (in order), those a session asks today: no suspended card, new ones up to what
/// the day's new-card limit has left, answered ones up to what the review limit has left.
pub fn plan(
    qs: Vec<Question>,
    progress: &Progress,
    now: i64,
    days: &Days,
    limits: Limits,
) -> Planned {
    let (new_taken, reviews_taken) = taken_today(progress, now, days);
    let mut new_left = limits.new_per_day.saturating_sub(new_taken);
    let mut reviews_left = limits.reviews_per_day.saturating_sub(reviews_taken);
    let mut out = Planned {
        new_taken,
        reviews_taken,
        limits,
        ..Planned::default()
    };
    for q in qs {
        if progress.is_suspended(&q.id) {
            out.suspended += 1;
            continue;
        }
        let new = progress.due_at(&q.id).is_none();
        let (left, asked, waiting) = if new {
            (&mut new_left, &mut out.new, &mut out.waiting_new)
        } else {
            (
                &mut reviews_left,
                &mut out.reviews,
                &mut out.waiting_reviews,
            )
        };
        if *left > 0 {
            *left -= 1;
            *asked += 1;
            out.questions.push(q);
        } else {
            *waiting += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rs_fsrs::Rating;

    fn q(i: usize) -> Question {
        Question {
            note: 0,
            index: i,
            id: format!("c{i}"),
        }
    }

    fn seoul() -> Days {
        Days::in_zone(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
    }

    /// 2026-12-01 00:00 in Seoul (2026-11-30 15:00 UTC).
    const MIDNIGHT_KST: i64 = 1_796_050_800;

    #[test]
    fn the_new_card_limit_holds_and_says_how_many_wait() {
        let p = Progress::default();
        let qs: Vec<Question> = (0..3_600).map(q).collect();
        let planned = plan(qs, &p, MIDNIGHT_KST, &seoul(), Limits::default());
        assert_eq!(planned.questions.len(), NEW_PER_DAY);
        assert_eq!(planned.waiting_new, 3_600 - NEW_PER_DAY);
        assert_eq!(planned.questions[0].id, "c0", "in order");
    }

    #[test]
    fn what_today_took_counts_against_the_limits_until_local_midnight() {
        let days = seoul();
        let limits = Limits {
            new_per_day: 3,
            reviews_per_day: 2,
        };
        let mut p = Progress::default();
        // Two new cards at 23:50 KST, and three old cards reviewed then.
        let late = MIDNIGHT_KST - 600;
        for i in 0..3 {
            p.answer(
                &format!("old{i}"),
                "n.md",
                Rating::Good,
                true,
                late - 30 * 86_400,
            );
        }
        p.answer("c0", "n.md", Rating::Good, true, late);
        p.answer("c1", "n.md", Rating::Good, true, late);
        p.answer("old0", "n.md", Rating::Again, false, late);
        assert_eq!(taken_today(&p, late + 60, &days), (2, 1));
        // A retry in the same sitting is not another review.
        p.record("old0", "n.md", Rating::Good, true, late + 30, true);
        assert_eq!(taken_today(&p, late + 60, &days), (2, 1));
        let qs: Vec<Question> = (2..10).map(q).collect();
        let at_2359 = plan(qs.clone(), &p, MIDNIGHT_KST - 60, &days, limits);
        assert_eq!((at_2359.new, at_2359.waiting_new), (1, 7));
        let at_0001 = plan(qs, &p, MIDNIGHT_KST + 60, &days, limits);
        assert_eq!((at_0001.new, at_0001.waiting_new), (3, 5));
        // Reviews: the limit of two, one taken at 23:50.
        let old: Vec<Question> = (0..3)
            .map(|i| Question {
                note: 0,
                index: i,
                id: format!("old{i}"),
            })
            .collect();
        let reviews = plan(old.clone(), &p, MIDNIGHT_KST - 60, &days, limits);
        assert_eq!((reviews.reviews, reviews.waiting_reviews), (1, 2));
        let next_day = plan(old, &p, MIDNIGHT_KST + 60, &days, limits);
        assert_eq!((next_day.reviews, next_day.waiting_reviews), (2, 1));
    }
}
