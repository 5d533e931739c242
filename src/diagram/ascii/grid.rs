//! The block as display cells, and what each glyph connects to.
//!
//! A cell is a grapheme or the second column of a wide one (Hangul, emoji), so columns are
//! display columns throughout. A line glyph has arms (north, east, south, west) and maybe a
//! head; the ASCII letters that double as lines (`- | + v ^ < > . =`) are lines only beside
//! another line glyph or away from letters, so `re-try`, `via` and `a+b` stay words.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::super::{MAX_COLUMNS, MAX_LINES};

pub const N: u8 = 1;
pub const E: u8 = 2;
pub const S: u8 = 4;
pub const W: u8 = 8;

/// The arm opposite `d`.
pub fn opposite(d: u8) -> u8 {
    match d {
        N => S,
        S => N,
        E => W,
        _ => E,
    }
}

/// The cell one step from `(line, col)` towards `d`, if on the grid's side of zero.
pub fn step(line: usize, col: usize, d: u8) -> Option<(usize, usize)> {
    match d {
        N => Some((line.checked_sub(1)?, col)),
        S => Some((line + 1, col)),
        E => Some((line, col + 1)),
        _ => Some((line, col.checked_sub(1)?)),
    }
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stroke {
    Solid,
    /// Double or heavy (`═ ║ ━ ┃`, ASCII `=`).
    Double,
    /// `┄ ┆ ╌ ╎ ┈ ┊`, ASCII `.`.
    Dashed,
    /// Corners, tees and heads: no say in the style.
    Neutral,
}

/// A line glyph: its arms, the way its head points (0 for none; two bits for `↔`), its stroke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub arms: u8,
    pub head: u8,
    pub stroke: Stroke,
}

const fn line(arms: u8, head: u8, stroke: Stroke) -> Option<Line> {
    Some(Line { arms, head, stroke })
}

/// The line glyphs that mean nothing else.
fn fixed(g: &str) -> Option<Line> {
    use Stroke::*;
    match g {
        "─" => line(E | W, 0, Solid),
        "│" => line(N | S, 0, Solid),
        "━" | "═" => line(E | W, 0, Double),
        "┃" | "║" => line(N | S, 0, Double),
        "┄" | "╌" | "┈" => line(E | W, 0, Dashed),
        "┆" | "╎" | "┊" => line(N | S, 0, Dashed),
        "┌" | "╭" | "┏" | "╔" => line(E | S, 0, Neutral),
        "┐" | "╮" | "┓" | "╗" => line(W | S, 0, Neutral),
        "└" | "╰" | "┗" | "╚" => line(N | E, 0, Neutral),
        "┘" | "╯" | "┛" | "╝" => line(N | W, 0, Neutral),
        "├" | "┣" | "╠" | "╟" | "╞" => line(N | S | E, 0, Neutral),
        "┤" | "┫" | "╣" | "╢" | "╡" => line(N | S | W, 0, Neutral),
        "┬" | "┳" | "╦" | "╤" | "╥" => line(E | W | S, 0, Neutral),
        "┴" | "┻" | "╩" | "╧" | "╨" => line(E | W | N, 0, Neutral),
        "┼" | "╋" | "╬" | "╪" | "╫" => line(N | E | S | W, 0, Neutral),
        "▶" | "►" | "→" | "➜" | "➔" | "⟶" | "⇒" => line(E | W, E, Neutral),
        "◀" | "◄" | "←" | "⟵" | "⇐" => line(E | W, W, Neutral),
        "▼" | "↓" | "⇓" | "⬇" => line(N | S, S, Neutral),
        "▲" | "↑" | "⇑" | "⬆" => line(N | S, N, Neutral),
        "↔" | "⇔" | "⟷" => line(E | W, E | W, Neutral),
        "↕" => line(N | S, N | S, Neutral),
        _ => None,
    }
}

/// Glyphs a horizontal ASCII line can continue into.
const H_JOIN: &[&str] = &[
    "-", "=", ".", "+", "<", ">", "─", "━", "═", "┄", "╌", "┈", "┼", "┬", "┴", "├", "┤", "┌", "┐",
    "└", "┘", "╭", "╮", "╰", "╯",
];

/// One display cell of the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot<'a> {
    Glyph(&'a str),
    /// The second column of a wide glyph.
    Cont,
}

pub struct Grid<'a> {
    pub rows: Vec<Vec<Slot<'a>>>,
}

impl<'a> Grid<'a> {
    pub fn new(lines: &'a [String]) -> Grid<'a> {
        let rows = lines
            .iter()
            .take(MAX_LINES)
            .map(|l| {
                let mut row = Vec::new();
                for g in l.graphemes(true) {
                    if row.len() >= MAX_COLUMNS {
                        break;
                    }
                    row.push(Slot::Glyph(g));
                    for _ in 1..g.width() {
                        row.push(Slot::Cont);
                    }
                }
                row
            })
            .collect();
        Grid { rows }
    }

    pub fn height(&self) -> usize {
        self.rows.len()
    }

    pub fn at(&self, line: usize, col: usize) -> &'a str {
        match self.rows.get(line).and_then(|r| r.get(col)) {
            Some(Slot::Glyph(g)) => g,
            _ => " ",
        }
    }

    /// Whether the cell holds nothing (a space, past the end of its line).
    pub fn blank(&self, line: usize, col: usize) -> bool {
        match self.rows.get(line).and_then(|r| r.get(col)) {
            Some(Slot::Glyph(g)) => g.trim().is_empty(),
            Some(Slot::Cont) => false,
            None => true,
        }
    }

    pub fn width(&self, line: usize) -> usize {
        self.rows.get(line).map_or(0, Vec::len)
    }

    /// The text of columns `[from, to)` of a line.
    pub fn text(&self, line: usize, from: usize, to: usize) -> String {
        let mut out = String::new();
        if let Some(r) = self.rows.get(line) {
            for slot in r.iter().take(to).skip(from) {
                if let Slot::Glyph(g) = slot {
                    out.push_str(g);
                }
            }
        }
        out
    }

    fn alnum(&self, line: usize, col: Option<usize>) -> bool {
        col.is_some_and(|c| {
            matches!(self.rows.get(line).and_then(|r| r.get(c)), Some(Slot::Cont))
                || self.at(line, c).chars().any(char::is_alphanumeric)
        })
    }

    /// Whether a letter or a wide glyph sits right left or right of a cell.
    pub fn word_beside(&self, line: usize, col: usize) -> bool {
        self.alnum(line, col.checked_sub(1)) || self.alnum(line, Some(col + 1))
    }

    /// The line glyph at a cell, read with its neighbours for the ASCII letters.
    pub fn line(&self, line: usize, col: usize) -> Option<Line> {
        let g = self.at(line, col);
        if let Some(l) = fixed(g) {
            return Some(l);
        }
        let left = col.checked_sub(1);
        let (l, r) = (
            left.map_or(" ", |c| self.at(line, c)),
            self.at(line, col + 1),
        );
        let joins = |s: &str| H_JOIN.contains(&s);
        let words_beside = self.alnum(line, left) || self.alnum(line, Some(col + 1));
        match g {
            // A shaft needs another line glyph beside it: one `-` is a minus or a dash.
            "-" if joins(l) || joins(r) => line_of(E | W, 0, Stroke::Solid),
            "=" if joins(l) || joins(r) => line_of(E | W, 0, Stroke::Double),
            "." if matches!(l, "-" | ">" | "<" | ".") && matches!(r, "-" | ">" | "<" | ".") => {
                line_of(E | W, 0, Stroke::Dashed)
            }
            ">" if joins(l) && l != ">" => line_of(E | W, E, Stroke::Neutral),
            "<" if joins(r) && r != "<" => line_of(E | W, W, Stroke::Neutral),
            "|" if !(self.alnum(line, left) && self.alnum(line, Some(col + 1))) => {
                line_of(N | S, 0, Stroke::Solid)
            }
            "+" if !words_beside => line_of(N | E | S | W, 0, Stroke::Neutral),
            "v" | "V" if !words_beside => line_of(N | S, S, Stroke::Neutral),
            "^" if !words_beside => line_of(N | S, N, Stroke::Neutral),
            _ => None,
        }
    }
}

fn line_of(arms: u8, head: u8, stroke: Stroke) -> Option<Line> {
    Some(Line { arms, head, stroke })
}

/// Tabs to the next multiple of 4 columns.
pub fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_owned();
    }
    let mut out = String::new();
    let mut col = 0;
    for g in line.graphemes(true) {
        if g == "\t" {
            let n = 4 - col % 4;
            out.push_str(&" ".repeat(n));
            col += n;
        } else {
            out.push_str(g);
            col += g.width();
        }
    }
    out
}
