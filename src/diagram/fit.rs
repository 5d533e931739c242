//! Fitting a drawing to a pane: which of a graph's drawings to show in so many columns, and
//! which sides of it a view cut off. Terminal-free, so the pane and `vaultscope diagram
//! --width` make the same choice.
//!
//! The order of preference: the author's direction (or 2-D grid) in boxes, then in compact
//! `[Label]`s, then laid out top to bottom in boxes, then top to bottom compact; the first
//! that fits wins. When none fits, the author's compact drawing stays unless the top-down one
//! is much narrower (two thirds of its width or less): a slightly narrower picture that still
//! overflows is not worth losing the author's arrangement.

use super::graph::{Direction, Graph, Syntax};

/// Which drawing of a graph: compact `[Label]`s or boxes; the author's direction or top down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fit {
    pub compact: bool,
    pub top_down: bool,
}

/// Whether laying `g` out top to bottom can give a different (narrower) drawing than its own:
/// a left-to-right flowchart or chain, or a 2-D picture drawn as its author's grid.
pub fn turnable(g: &Graph, relayout: bool) -> bool {
    matches!(g.direction, Some(Direction::LR | Direction::RL))
        || (g.syntax == Syntax::Ascii && !relayout)
}

/// The drawings worth making for a pane: `compact` forced or not (`None`), turned or not.
pub fn candidates(compact: Option<bool>, turnable: bool) -> Vec<Fit> {
    let compacts: &[bool] = match compact {
        Some(true) => &[true],
        Some(false) => &[false],
        None => &[false, true],
    };
    let mut out = Vec::new();
    for top_down in [false, true] {
        if top_down && !turnable {
            continue;
        }
        for &c in compacts {
            out.push(Fit {
                compact: c,
                top_down,
            });
        }
    }
    // Preference order: the author's direction first, boxes before compact within it.
    out.sort_by_key(|f| (f.top_down, f.compact));
    out
}

/// The drawing to show in `cols` columns, given the width of each candidate made so far
/// (`None` for one not made yet). A candidate not made is never chosen over one that is,
/// except the first (the pane shows "Drawing…" until it comes).
pub fn choose(
    compact: Option<bool>,
    turnable: bool,
    cols: usize,
    width_of: impl Fn(Fit) -> Option<usize>,
) -> Fit {
    let all = candidates(compact, turnable);
    let first = all[0];
    let made: Vec<(Fit, usize)> = all
        .iter()
        .filter_map(|&f| width_of(f).map(|w| (f, w)))
        .collect();
    if let Some(&(f, _)) = made.iter().find(|(_, w)| *w <= cols.max(1)) {
        return f;
    }
    // Nothing fits: the narrowest look of the author's direction, unless turning is much
    // narrower.
    let narrowest = |top_down: bool| {
        made.iter()
            .filter(|(f, _)| f.top_down == top_down)
            .min_by_key(|(f, w)| (*w, !f.compact))
            .copied()
    };
    match (narrowest(false), narrowest(true)) {
        (Some((a, aw)), Some((t, tw))) => {
            if tw * 3 <= aw * 2 {
                t
            } else {
                a
            }
        }
        (Some((a, _)), None) => a,
        (None, Some((t, _))) => t,
        (None, None) => first,
    }
}

/// The sides of a `width` x `height` drawing a view of `cols` x `rows` from (`x`, `y`) leaves
/// out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overflow {
    pub left: bool,
    pub right: bool,
    pub up: bool,
    pub down: bool,
}

impl Overflow {
    pub fn of(
        (width, height): (usize, usize),
        (x, y): (usize, usize),
        (cols, rows): (usize, usize),
    ) -> Overflow {
        Overflow {
            left: x > 0,
            right: x + cols < width,
            up: y > 0,
            down: y + rows < height,
        }
    }

    pub fn any(self) -> bool {
        self.left || self.right || self.up || self.down
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(table: &[(bool, bool, usize)]) -> impl Fn(Fit) -> Option<usize> + '_ {
        |f| {
            table
                .iter()
                .find(|(c, t, _)| *c == f.compact && *t == f.top_down)
                .map(|t| t.2)
        }
    }

    #[test]
    fn the_first_drawing_that_fits_is_chosen_in_preference_order() {
        let fit = |compact, top_down| Fit { compact, top_down };
        // (compact, top_down, width)
        let t = [
            (false, false, 120),
            (true, false, 90),
            (false, true, 60),
            (true, true, 40),
        ];
        for (cols, want) in [
            (130, fit(false, false)),
            (100, fit(true, false)),
            (80, fit(false, true)),
            (50, fit(true, true)),
        ] {
            assert_eq!(choose(None, true, cols, widths(&t)), want, "{cols} columns");
        }
        // Nothing fits 30: top-down compact (40) is much narrower than 90.
        assert_eq!(choose(None, true, 30, widths(&t)), fit(true, true));
        // Not turnable: only the author's direction.
        assert_eq!(choose(None, false, 80, widths(&t)), fit(true, false));
        // Forced boxes.
        assert_eq!(choose(Some(false), true, 100, widths(&t)), fit(false, true));
    }

    #[test]
    fn a_turn_that_still_overflows_and_is_not_much_narrower_keeps_the_author_direction() {
        let t = [
            (false, false, 120),
            (true, false, 100),
            (false, true, 110),
            (true, true, 90),
        ];
        assert_eq!(
            choose(None, true, 80, widths(&t)),
            Fit {
                compact: true,
                top_down: false
            }
        );
        // Nothing made yet: the first candidate.
        assert_eq!(
            choose(None, true, 80, |_| None),
            Fit {
                compact: false,
                top_down: false
            }
        );
    }

    #[test]
    fn overflow_names_the_sides_left_out() {
        let o = Overflow::of((100, 30), (0, 0), (80, 20));
        assert!(o.right && o.down && !o.left && !o.up);
        let o = Overflow::of((100, 30), (20, 10), (80, 20));
        assert!(o.left && o.up && !o.right && !o.down);
        assert!(!Overflow::of((80, 20), (0, 0), (80, 20)).any());
    }
}
