//! Changes to a card that are not answers, each a journal line ([`Change`]): an answer taken
//! back, a card suspended or unsuspended.

use rs_fsrs::Card;

use super::{CardProgress, Change, Entry, Progress, Review, ReviewId};

/// A line's identity and time, for a line that is not an answer.
fn stamp(now: i64) -> Review {
    Review {
        id: ReviewId::new(),
        at: now,
        rating: 0,
        correct: false,
        retry: false,
    }
}

impl Progress {
    /// Takes back the answer `review` of card `id`: `before` is the card as it was before that
    /// answer (`None`: it was new). Returns the line to save, `None` when there is no such
    /// answer.
    pub fn undo(
        &mut self,
        id: &str,
        review: ReviewId,
        before: Option<&CardProgress>,
        now: i64,
    ) -> Option<Entry> {
        let c = self.cards.get(id)?;
        if !c.reviews.iter().any(|r| r.id == review) {
            return None;
        }
        let e = Entry {
            card: id.to_owned(),
            note: before.map_or_else(|| c.note.clone(), |b| b.note.clone()),
            review: stamp(now),
            schedule: before.map_or_else(Card::default, |b| b.card.clone()),
            change: Change::Undo {
                review,
                was_new: before.is_none(),
            },
        };
        self.apply_change(&e);
        Some(e)
    }

    /// Suspends (or unsuspends) card `id` of note `note`; returns the line to save, `None`
    /// when it already was.
    pub fn suspend(&mut self, id: &str, note: &str, on: bool, now: i64) -> Option<Entry> {
        if self.is_suspended(id) == on {
            return None;
        }
        let schedule = self
            .cards
            .get(id)
            .map_or_else(Card::default, |c| c.card.clone());
        let e = Entry {
            card: id.to_owned(),
            note: note.to_owned(),
            review: stamp(now),
            schedule,
            change: if on {
                Change::Suspend
            } else {
                Change::Unsuspend
            },
        };
        self.apply_change(&e);
        Some(e)
    }

    /// Folds in a line that is not an answer. An undo removes the answer and, when it was the
    /// card's latest, gives the card back its schedule and note from before it; an undo seen
    /// before changes nothing.
    pub(super) fn apply_change(&mut self, e: &Entry) -> bool {
        match &e.change {
            Change::Answer => false,
            Change::Undo { review, was_new } => {
                if !self.undone.insert(*review) {
                    return false;
                }
                let Some(c) = self.cards.get_mut(&e.card) else {
                    return true;
                };
                let Some(at) = c.reviews.iter().position(|r| r.id == *review) else {
                    return true;
                };
                let latest = at + 1 == c.reviews.len();
                c.reviews.remove(at);
                if latest {
                    if *was_new && c.reviews.is_empty() && !c.suspended {
                        self.cards.remove(&e.card);
                    } else {
                        c.card = e.schedule.clone();
                        c.note = e.note.clone();
                    }
                }
                true
            }
            Change::Suspend | Change::Unsuspend => {
                let on = e.change == Change::Suspend;
                let c = self
                    .cards
                    .entry(e.card.clone())
                    .or_insert_with(|| CardProgress {
                        note: e.note.clone(),
                        card: e.schedule.clone(),
                        reviews: Vec::new(),
                        suspended: false,
                    });
                let changed = c.suspended != on;
                c.suspended = on;
                if !on && c.reviews.is_empty() {
                    // Never answered: new again, as before.
                    self.cards.remove(&e.card);
                }
                changed
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rs_fsrs::Rating;

    const T0: i64 = 1_796_050_800;

    #[test]
    fn undo_restores_the_card_exactly() {
        let mut p = Progress::default();
        p.answer("x", "n.md", Rating::Good, true, T0);
        let before = p.clone();
        let e = p.answer("x", "moved.md", Rating::Easy, true, T0 + 86_400 * 3);
        let u = p
            .undo("x", e.review.id, before.cards.get("x"), T0 + 86_400 * 3)
            .unwrap();
        assert_eq!(p.cards, before.cards);
        // A new card is new again.
        let e = p.answer("y", "n.md", Rating::Good, true, T0);
        p.undo("y", e.review.id, None, T0).unwrap();
        assert_eq!(p.cards, before.cards);
        // Folding the answer in again (another copy) does not bring it back; nor does the
        // undo twice.
        assert!(!p.apply(&e));
        assert!(!p.apply(&u));
        assert_eq!(p.cards, before.cards);
    }

    #[test]
    fn suspending_and_unsuspending() {
        let mut p = Progress::default();
        p.suspend("new", "n.md", true, T0).unwrap();
        assert!(p.is_suspended("new") && p.due_at("new").is_none());
        assert!(p.suspend("new", "n.md", true, T0).is_none());
        p.suspend("new", "n.md", false, T0).unwrap();
        assert!(p.cards.is_empty(), "a new card is new again");
    }
}
