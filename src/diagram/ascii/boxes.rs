//! Drawn boxes and `[bracket]` nodes, and boxes around boxes (containers).
//!
//! A box is a top-left corner, a top border (which may carry a title, tees and arrow heads:
//! `┌─ VPC ─┐`, `┌───▼───┐`) to a top-right corner, and both sides down to the bottom
//! corners. Authors who count characters rather than columns draw a Hangul row's right side a
//! column or two off; such a row is re-aligned (padding spaces taken out or put in before the
//! side) when the corners otherwise line up, and the boxes are found again.

use super::super::clean_label;
use super::grid::{E, Grid, N, S, W};

/// A node or container as drawn: its rectangle in cells (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub top: usize,
    pub bottom: usize,
    pub left: usize,
    pub right: usize,
    pub label: String,
    /// The title written in the top border (`┌─ VPC ─┐`), if any.
    pub title: Option<String>,
    /// A drawn box (not `[bracket]` text).
    pub boxed: bool,
    /// Drawn with rounded corners (`╭──╮`).
    pub rounded: bool,
}

impl Drawn {
    pub fn contains(&self, line: usize, col: usize) -> bool {
        line >= self.top && line <= self.bottom && col >= self.left && col <= self.right
    }

    /// Strictly inside `self`'s border.
    pub fn encloses(&self, o: &Drawn) -> bool {
        o.top > self.top && o.bottom < self.bottom && o.left > self.left && o.right < self.right
    }

    pub fn on_border(&self, line: usize, col: usize) -> bool {
        self.contains(line, col)
            && (line == self.top || line == self.bottom || col == self.left || col == self.right)
    }
}

const TL: &[&str] = &["┌", "╭", "┏", "╔", "+"];
const TR: &[&str] = &["┐", "╮", "┓", "╗", "+"];
const BL: &[&str] = &["└", "╰", "┗", "╚", "+"];
const BR: &[&str] = &["┘", "╯", "┛", "╝", "+"];

/// A cell a top or bottom border may hold: a horizontal line, a tee, a vertical head, or a
/// vertical line drawn through it.
fn horizontal(grid: &Grid, line: usize, col: usize) -> bool {
    let arms = |l: Option<usize>| l.and_then(|l| grid.line(l, col)).map_or(0, |x| x.arms);
    let here = arms(Some(line));
    here & (E | W) == E | W
        || grid.line(line, col).is_some_and(|x| x.head & (N | S) != 0)
        || here == N | S && arms(line.checked_sub(1)) & S != 0 && arms(Some(line + 1)) & N != 0
}

/// A cell a side may hold: a vertical line, a tee, a horizontal head, or a horizontal line
/// drawn through it.
fn vertical(grid: &Grid, line: usize, col: usize) -> bool {
    let arms = |c: Option<usize>| c.and_then(|c| grid.line(line, c)).map_or(0, |x| x.arms);
    let here = arms(Some(col));
    upright(grid, line, col)
        || here == E | W && arms(col.checked_sub(1)) & E != 0 && arms(Some(col + 1)) & W != 0
}

/// A side drawn as a side: a vertical line, a tee, a horizontal head.
fn upright(grid: &Grid, line: usize, col: usize) -> bool {
    grid.line(line, col)
        .is_some_and(|l| l.arms & (N | S) == N | S || l.head & (E | W) != 0)
}

/// A row whose right side is `delta` columns off where the top corner says it is.
#[derive(Debug, Clone, Copy)]
struct Shift {
    line: usize,
    left: usize,
    right: usize,
    delta: isize,
}

/// The boxes of a grid; with `tolerant`, also the first row whose right side is off by one
/// or two columns (the caller re-aligns it and looks again).
fn scan(grid: &Grid, tolerant: bool) -> (Vec<Drawn>, Option<Shift>) {
    let mut out = Vec::new();
    let mut first_shift: Option<Shift> = None;
    for top in 0..grid.height() {
        for left in 0..grid.width(top) {
            let g = grid.at(top, left);
            if !TL.contains(&g) || !horizontal(grid, top, left + 1) {
                continue;
            }
            let Some((right, title)) = top_border(grid, top, left) else {
                continue;
            };
            let mut shift = None;
            let mut bottom = None;
            for line in top + 1..grid.height() {
                if BL.contains(&grid.at(line, left))
                    && BR.contains(&grid.at(line, right))
                    && (left + 1..right).all(|c| horizontal(grid, line, c))
                {
                    bottom = Some(line);
                    break;
                }
                if !vertical(grid, line, left) {
                    break;
                }
                if vertical(grid, line, right) {
                    continue;
                }
                let off = [1isize, -1, 2, -2].into_iter().find(|&d| {
                    right
                        .checked_add_signed(d)
                        .is_some_and(|c| c > left + 1 && upright(grid, line, c))
                });
                match off {
                    Some(delta) if tolerant && shift.is_none() => {
                        shift = Some(Shift {
                            line,
                            left,
                            right,
                            delta,
                        })
                    }
                    Some(_) if tolerant => {}
                    _ => break,
                }
            }
            let Some(bottom) = bottom else { continue };
            if let Some(s) = shift {
                first_shift = first_shift.or(Some(s));
                continue;
            }
            let label = clean_label(
                &(top + 1..bottom)
                    .map(|l| grid.text(l, left + 1, right))
                    .collect::<Vec<_>>()
                    .join(" "),
                false,
            );
            out.push(Drawn {
                top,
                bottom,
                left,
                right,
                label,
                title,
                boxed: true,
                rounded: g == "╭",
            });
        }
    }
    (out, first_shift)
}

/// Follows a top border right from its corner: the top-right corner's column and the title.
fn top_border(grid: &Grid, top: usize, left: usize) -> Option<(usize, Option<String>)> {
    let mut title_at: Option<(usize, usize)> = None;
    let mut col = left + 1;
    while col < grid.width(top) {
        let g = grid.at(top, col);
        if TR.contains(&g) && (g != "+" || vertical(grid, top + 1, col)) {
            let title = title_at
                .map(|(a, b)| clean_label(&grid.text(top, a, b), false))
                .filter(|t| !t.is_empty());
            return (col > left + 1).then_some((col, title));
        }
        if horizontal(grid, top, col) {
            col += 1;
            continue;
        }
        // A title: one run of words (single spaces) between line glyphs.
        if TL.contains(&g) || grid.blank(top, col) && grid.blank(top, col + 1) {
            return None;
        }
        match title_at {
            None => title_at = Some((col, col + 1)),
            Some((a, b)) if b == col => title_at = Some((a, col + 1)),
            Some(_) => return None,
        }
        col += 1;
    }
    None
}

/// Re-aligns the row of `s`: removes `delta` blank cells inside the box (or inserts them
/// before its side); `None` when there are not enough blanks to take out.
fn realign(grid: &Grid, s: Shift) -> Option<String> {
    let row = grid.rows.get(s.line)?;
    let side = s.right.checked_add_signed(s.delta)?;
    let mut drop = vec![false; row.len()];
    if s.delta > 0 {
        let mut need = s.delta as usize;
        let mut c = side;
        while need > 0 && c > s.left + 1 {
            c -= 1;
            if row[c] == super::grid::Slot::Glyph(" ") {
                drop[c] = true;
                need -= 1;
            }
        }
        if need > 0 {
            return None;
        }
    }
    let mut out = String::new();
    for (c, slot) in row.iter().enumerate() {
        if s.delta < 0 && c == side {
            out.push_str(&" ".repeat(s.delta.unsigned_abs()));
        }
        if let super::grid::Slot::Glyph(g) = slot
            && !drop[c]
        {
            out.push_str(g);
        }
    }
    Some(out)
}

/// The boxes of a block, with the lines re-aligned where a Hangul row's side was off.
pub fn find(mut lines: Vec<String>) -> (Vec<String>, Vec<Drawn>) {
    // Each round re-aligns one row; a picture has few such rows.
    for _ in 0..64 {
        let grid = Grid::new(&lines);
        let (_, shift) = scan(&grid, true);
        let Some(s) = shift else { break };
        match realign(&grid, s) {
            Some(row) => lines[s.line] = row,
            None => break,
        }
    }
    let grid = Grid::new(&lines);
    let boxes = scan(&grid, false).0;
    (lines, boxes)
}

/// `[Label]` nodes outside leaf boxes: a `[` not right after a word (`a[0]` is indexing) and
/// the next `]` on the line, with a label holding a letter and no code punctuation.
pub fn brackets(grid: &Grid, leaves: &[&Drawn]) -> Vec<Drawn> {
    let mut out = Vec::new();
    for line in 0..grid.height() {
        let mut col = 0;
        while col < grid.width(line) {
            let before = col.checked_sub(1).map_or(" ", |c| grid.at(line, c));
            if grid.at(line, col) != "["
                || leaves.iter().any(|b| b.contains(line, col))
                || before
                    .chars()
                    .any(|c| c.is_alphanumeric() || "_)]".contains(c))
            {
                col += 1;
                continue;
            }
            let mut end = col + 1;
            while end < grid.width(line) && !matches!(grid.at(line, end), "]" | "[") {
                end += 1;
            }
            if grid.at(line, end) != "]" {
                col = end;
                continue;
            }
            let label = clean_label(&grid.text(line, col + 1, end), false);
            if label.chars().any(char::is_alphanumeric) && !label.contains([';', '=', '{', '}']) {
                out.push(Drawn {
                    top: line,
                    bottom: line,
                    left: col,
                    right: end,
                    label,
                    title: None,
                    boxed: false,
                    rounded: false,
                });
            }
            col = end + 1;
        }
    }
    out
}

/// A container's label: its border title, else the first text inside it outside the nodes
/// and containers within (with the cells it takes), else "group".
pub fn container_label(
    grid: &Grid,
    c: &Drawn,
    within: &[&Drawn],
) -> (String, Option<(usize, usize, usize)>) {
    if let Some(t) = &c.title {
        return (t.clone(), None);
    }
    for line in c.top + 1..c.bottom {
        let mut col = c.left + 1;
        while col < c.right {
            if grid.blank(line, col)
                || grid.line(line, col).is_some()
                || within.iter().any(|d| d.contains(line, col))
            {
                col += 1;
                continue;
            }
            let start = col;
            while col < c.right
                && !within.iter().any(|d| d.contains(line, col))
                && grid.line(line, col).is_none()
                && !(grid.blank(line, col) && grid.blank(line, col + 1))
            {
                col += 1;
            }
            let label = clean_label(&grid.text(line, start, col), false);
            if label.chars().any(char::is_alphanumeric) {
                return (label, Some((line, start, col)));
            }
        }
    }
    ("group".to_owned(), None)
}
