//! Reading a rendered note: finding text in it (matches in display columns, case-insensitive)
//! and walking its links. Pure functions over [`crate::markdown::Rendered`].

use ratatui::text::Line;

/// A match of the find line: rendered line, display columns `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Text folded as [`find`] folds it, a character for a character (`İ` is `i`, not `i` and a
/// combining dot): whatever counts the find's matches outside it folds with this.
pub fn fold_str(s: &str) -> String {
    s.chars().map(fold).collect()
}

/// Every place `query` occurs in `lines`, ignoring case, in reading order. Matches do not
/// span lines (a wrapped phrase is found on the line where it is whole).
pub fn find(lines: &[Line], query: &str) -> Vec<Match> {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    let needle: Vec<String> = query.graphemes(true).map(fold_str).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let text = line.to_string();
        // Graphemes and their display columns, measured as the screen measures them.
        let mut gs: Vec<String> = Vec::new();
        let mut cols = Vec::new();
        let mut col = 0;
        for g in text.graphemes(true) {
            gs.push(fold_str(g));
            cols.push(col);
            col += g.width();
        }
        cols.push(col);
        let mut at = 0;
        while at + needle.len() <= gs.len() {
            if gs[at..at + needle.len()] == needle[..] {
                out.push(Match {
                    line: i,
                    start: cols[at],
                    end: cols[at + needle.len()],
                });
                at += needle.len();
            } else {
                at += 1;
            }
        }
    }
    out
}

/// The first row to show so that line `target` is in a view of `rows` lines now starting at
/// `scroll`: unchanged when it is in view already, else with the target a third of the way
/// down.
pub fn scroll_to(scroll: usize, target: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    if target >= scroll && target < scroll + rows {
        scroll
    } else {
        target.saturating_sub(rows / 3)
    }
}

/// The next (or previous) item after `current` among `lines` (each item's line), starting
/// from the view when there is no current one; wraps around.
pub fn step(
    lines: &[usize],
    current: Option<usize>,
    view_top: usize,
    forward: bool,
) -> Option<usize> {
    if lines.is_empty() {
        return None;
    }
    let n = lines.len();
    Some(match (current, forward) {
        (Some(i), true) => (i + 1) % n,
        (Some(i), false) => (i + n - 1) % n,
        (None, true) => lines.iter().position(|&l| l >= view_top).unwrap_or(0),
        (None, false) => lines.iter().rposition(|&l| l < view_top).unwrap_or(n - 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ignoring_case_in_display_columns() {
        let lines = vec![
            Line::raw("보안 그룹 and Security"),
            Line::raw("nothing"),
            Line::raw("SECURITY security"),
        ];
        let m = find(&lines, "security");
        assert_eq!(
            m,
            vec![
                Match {
                    line: 0,
                    start: 14,
                    end: 22
                },
                Match {
                    line: 2,
                    start: 0,
                    end: 8
                },
                Match {
                    line: 2,
                    start: 9,
                    end: 17
                },
            ]
        );
        assert_eq!(
            find(&lines, "그룹")[0],
            Match {
                line: 0,
                start: 5,
                end: 9
            }
        );
        assert!(find(&lines, "").is_empty());
        // An emoji with a variation selector takes two columns, as drawn.
        let emoji = vec![Line::raw("⚙\u{fe0f} config")];
        assert_eq!(
            find(&emoji, "config")[0],
            Match {
                line: 0,
                start: 3,
                end: 9
            }
        );
    }

    #[test]
    fn stepping_wraps_and_starts_from_the_view() {
        let lines = [2, 10, 30];
        assert_eq!(step(&lines, None, 5, true), Some(1));
        assert_eq!(step(&lines, None, 5, false), Some(0));
        assert_eq!(step(&lines, Some(2), 0, true), Some(0));
        assert_eq!(step(&lines, Some(0), 0, false), Some(2));
        assert_eq!(step(&[], None, 0, true), None);
        assert_eq!(scroll_to(0, 5, 10), 0);
        assert_eq!(scroll_to(0, 40, 12), 36);
    }
}
