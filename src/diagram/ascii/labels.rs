//! Edge labels written around a connector: inside a horizontal run (`──mTLS──▶`), across a
//! vertical one (the line stops for `HTTPS 요청` and goes on under it), beside a vertical one
//! (`│ 실패 시`, `▼ HTTPS 요청`), above or below a horizontal one. Text is taken in display
//! cells, so a Hangul label is as wide as it is drawn and never moves the line.

use super::super::clean_label;
use super::grid::{E, Grid, N, S, W, opposite, step};

/// Who a cell belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Free,
    /// A node's rectangle (index into the picture's nodes).
    Node(usize),
    /// A container's border.
    Frame,
}

/// The cells of the picture: owners, and those already taken (by an edge or as a label).
pub struct Cells {
    pub owner: Vec<Vec<Owner>>,
    pub taken: Vec<Vec<bool>>,
}

impl Cells {
    pub fn new(grid: &Grid) -> Cells {
        let w = |l: usize| grid.width(l) + 2;
        Cells {
            owner: (0..grid.height())
                .map(|l| vec![Owner::Free; w(l)])
                .collect(),
            taken: (0..grid.height()).map(|l| vec![false; w(l)]).collect(),
        }
    }

    pub fn owner(&self, line: usize, col: usize) -> Owner {
        self.owner
            .get(line)
            .and_then(|r| r.get(col))
            .copied()
            .unwrap_or(Owner::Free)
    }

    pub fn is_taken(&self, line: usize, col: usize) -> bool {
        self.taken
            .get(line)
            .and_then(|r| r.get(col))
            .copied()
            .unwrap_or(false)
    }

    pub fn take(&mut self, line: usize, from: usize, to: usize) {
        if let Some(r) = self.taken.get_mut(line) {
            for c in from..to.min(r.len()) {
                r[c] = true;
            }
        }
    }

    /// A cell of free text: not a node's, not a line, not blank, not taken.
    pub fn text(&self, grid: &Grid, line: usize, col: usize) -> bool {
        self.owner(line, col) == Owner::Free
            && !self.is_taken(line, col)
            && !grid.blank(line, col)
            && grid.line(line, col).is_none()
    }
}

/// The run of free text from `col` rightwards (words spaced by one): its end, exclusive.
fn run_right(grid: &Grid, cells: &Cells, line: usize, col: usize) -> usize {
    let mut end = col;
    while cells.text(grid, line, end)
        || grid.blank(line, end) && cells.text(grid, line, end + 1) && end > col
    {
        end += 1;
    }
    end
}

/// The run of free text holding `col`: `[start, end)`.
fn run_around(grid: &Grid, cells: &Cells, line: usize, col: usize) -> (usize, usize) {
    let mut start = col;
    while start > 0
        && (cells.text(grid, line, start - 1)
            || start > 1 && grid.blank(line, start - 1) && cells.text(grid, line, start - 2))
    {
        start -= 1;
    }
    (start, run_right(grid, cells, line, col))
}

/// Takes the text `[from, to)` of a line as a label.
fn claim(grid: &Grid, cells: &mut Cells, line: usize, from: usize, to: usize) -> Option<String> {
    let label = clean_label(&grid.text(line, from, to), false);
    if label.is_empty() {
        return None;
    }
    cells.take(line, from, to);
    Some(label)
}

/// The text right of a horizontal line cell up to where the line goes on (`──mTLS──▶`):
/// the label and the cell the line resumes at.
pub fn inline(grid: &Grid, cells: &Cells, line: usize, col: usize) -> Option<(usize, usize)> {
    let mut c = col + 1;
    if grid.blank(line, c) {
        c += 1;
    }
    if !cells.text(grid, line, c) {
        return None;
    }
    let end = run_right(grid, cells, line, c);
    let resume = if grid.blank(line, end) { end + 1 } else { end };
    let joins = grid
        .line(line, resume)
        .is_some_and(|l| l.arms & W != 0 && l.arms & E != 0);
    (joins && cells.owner(line, resume) == Owner::Free && end - c <= 60).then_some((c, end))
}

/// Takes an inline label found by [`inline`].
pub fn take_inline(
    grid: &Grid,
    cells: &mut Cells,
    line: usize,
    (from, to): (usize, usize),
) -> Option<String> {
    claim(grid, cells, line, from, to)
}

/// Lines of text a vertical line may stop for.
const MAX_ACROSS_LINES: usize = 3;

/// A run of text on a line: `(line, from, to)`, `to` exclusive.
pub type Span = (usize, usize, usize);

/// Text written across a vertical line: from the cell after `(line, col)` towards `d` (north
/// or south), one to three lines of free text each covering the column (or a single blank
/// between two of its words), then a line glyph in the same column going on that way. The
/// line it goes on at, and the text's spans `(line, from, to)` top to bottom.
pub fn across(
    grid: &Grid,
    cells: &Cells,
    line: usize,
    col: usize,
    d: u8,
) -> Option<(usize, Vec<Span>)> {
    if d != N && d != S {
        return None;
    }
    let mut spans = Vec::new();
    let mut l = line;
    for _ in 0..=MAX_ACROSS_LINES {
        l = step(l, col, d)?.0;
        if l >= grid.height() {
            return None;
        }
        if let Some(gl) = grid.line(l, col) {
            let goes_on = gl.arms & opposite(d) != 0 && cells.owner(l, col) == Owner::Free;
            if !goes_on || spans.is_empty() {
                return None;
            }
            spans.sort_unstable();
            return Some((l, spans));
        }
        let at = if cells.text(grid, l, col) {
            col
        } else if col > 0
            && grid.blank(l, col)
            && cells.text(grid, l, col - 1)
            && cells.text(grid, l, col + 1)
        {
            col - 1
        } else {
            return None;
        };
        let (a, b) = run_around(grid, cells, l, at);
        if b - a > 60 {
            return None;
        }
        spans.push((l, a, b));
    }
    None
}

/// Takes the spans found by [`across`] as one label (their lines joined by a space).
pub fn take_across(grid: &Grid, cells: &mut Cells, spans: &[Span]) -> Option<String> {
    let text: Vec<String> = spans.iter().map(|&(l, a, b)| grid.text(l, a, b)).collect();
    let label = clean_label(&text.join(" "), false);
    if label.is_empty() {
        return None;
    }
    for &(l, a, b) in spans {
        cells.take(l, a, b);
    }
    Some(label)
}

/// Text one blank right (or, with `left`, left) of a vertical cell of a connector.
pub fn beside(
    grid: &Grid,
    cells: &mut Cells,
    line: usize,
    col: usize,
    left: bool,
) -> Option<String> {
    let l = grid.line(line, col)?;
    let vertical = l.arms == N | S || l.head & (N | S) != 0;
    if !vertical {
        return None;
    }
    if left {
        let c = col.checked_sub(2)?;
        if !grid.blank(line, col - 1) || !cells.text(grid, line, c) {
            return None;
        }
        let (from, to) = run_around(grid, cells, line, c);
        claim(grid, cells, line, from, to)
    } else {
        if !grid.blank(line, col + 1) || !cells.text(grid, line, col + 2) {
            return None;
        }
        let to = run_right(grid, cells, line, col + 2);
        claim(grid, cells, line, col + 2, to)
    }
}

/// Text on the line above or below a horizontal run `[from, to]` of a connector, lying
/// within it (a column of slack each side): the label and the column it starts at.
pub fn over(
    grid: &Grid,
    cells: &mut Cells,
    line: usize,
    (from, to): (usize, usize),
) -> Option<(String, usize)> {
    for c in from..=to {
        if cells.text(grid, line, c) {
            let (a, b) = run_around(grid, cells, line, c);
            if a + 1 >= from && b <= to + 2 {
                return claim(grid, cells, line, a, b).map(|l| (l, a));
            }
            return None;
        }
    }
    None
}

/// Whether a line cell runs east-west.
pub fn horizontal(grid: &Grid, line: usize, col: usize) -> bool {
    grid.line(line, col)
        .is_some_and(|l| l.arms & (E | W) == E | W && l.arms & (N | S) == 0)
}
