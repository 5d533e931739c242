//! A screen as an SVG image, with its colours: `vaultscope snapshot --svg` writes one, and the
//! README's screenshots are made this way from the app itself. Every character is placed at its
//! own cell's x (an `x` list per run), so the picture keeps the terminal's columns whatever
//! font the viewer picks: Hangul and emoji take two cells, box drawing one.

use std::fmt::Write;

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

const CELL_W: f32 = 8.4;
// About the height of a box-drawing glyph at this size, so borders join up.
const CELL_H: f32 = 17.0;
const FONT: f32 = 14.0;
use crate::style::picture::{BACKGROUND as BG, FOREGROUND as FG, rgb};

/// Neighbouring cells of one look.
struct Run {
    col: u16,
    cols: u16,
    look: Look,
    /// Each cell's column and symbol (a wide character's second cell is not there).
    cells: Vec<(u16, String)>,
}

/// The look of a cell: (foreground, background, bold, dim, underline).
#[derive(PartialEq)]
struct Look {
    fg: String,
    bg: Option<String>,
    bold: bool,
    dim: bool,
    underline: bool,
}

fn look(cell: &Cell) -> Look {
    let mut fg = rgb(cell.fg).unwrap_or_else(|| FG.to_owned());
    let mut bg = rgb(cell.bg);
    if cell.modifier.contains(Modifier::REVERSED) {
        let old_fg = fg;
        fg = bg.unwrap_or_else(|| BG.to_owned());
        bg = Some(old_fg);
    }
    Look {
        fg,
        bg,
        bold: cell.modifier.contains(Modifier::BOLD),
        dim: cell.modifier.contains(Modifier::DIM),
        underline: cell.modifier.contains(Modifier::UNDERLINED),
    }
}

/// A coordinate with one decimal at most (`16.8`, `18`).
fn num(v: f32) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

/// Whether XML 1.0 refuses `c` in a document, or allows it but it is best not written: every
/// control character (the buffer should hold none, and C0 but tab, newline and CR is refused),
/// U+FFFE and U+FFFF (refused), and the other noncharacters (U+FDD0..U+FDEF, the last two code
/// points of every plane), which XML "discourages" and some parsers refuse. Surrogates cannot
/// occur in a Rust string.
fn unfit_for_xml(c: char) -> bool {
    let u = c as u32;
    c.is_control() || (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if unfit_for_xml(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The buffer as an SVG document.
pub fn buffer_svg(buf: &Buffer) -> String {
    let area = buf.area;
    let (w, h) = (
        num(f32::from(area.width) * CELL_W),
        num(f32::from(area.height) * CELL_H),
    );
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="'JetBrains Mono','DejaVu Sans Mono','D2Coding','Noto Sans Mono CJK KR',monospace" font-size="{FONT}">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="{BG}"/>"#);
    let _ = writeln!(out, r#"<g xml:space="preserve">"#);
    for y in area.top()..area.bottom() {
        let mut runs: Vec<Run> = Vec::new();
        let mut x = area.left();
        while x < area.right() {
            let cell = &buf[(x, y)];
            let symbol = cell.symbol();
            let width = symbol.width().max(1) as u16;
            let l = look(cell);
            let col = x - area.left();
            match runs.last_mut() {
                Some(run) if run.look == l => {
                    run.cols += width;
                    run.cells.push((col, symbol.to_owned()));
                }
                _ => runs.push(Run {
                    col,
                    cols: width,
                    look: l,
                    cells: vec![(col, symbol.to_owned())],
                }),
            }
            x += width;
        }
        let top = f32::from(y - area.top()) * CELL_H;
        let baseline = num(top + CELL_H * 0.75);
        let top = num(top);
        for run in &runs {
            let l = &run.look;
            let left = num(f32::from(run.col) * CELL_W);
            let span = num(f32::from(run.cols) * CELL_W);
            if let Some(bg) = &l.bg {
                let _ = writeln!(
                    out,
                    r#"<rect x="{left}" y="{top}" width="{span}" height="{CELL_H}" fill="{bg}"/>"#
                );
            }
            // Trailing blanks draw nothing; leading ones are skipped by the x list.
            let cells: Vec<&(u16, String)> = {
                let end = run
                    .cells
                    .iter()
                    .rposition(|(_, s)| s != " ")
                    .map_or(0, |i| i + 1);
                let start = run.cells[..end]
                    .iter()
                    .position(|(_, s)| s != " ")
                    .unwrap_or(end);
                run.cells[start..end].iter().collect()
            };
            if cells.is_empty() {
                continue;
            }
            // One x a character; a cluster of several characters (a combining mark) takes one
            // x for its first and flows after it.
            let mut xs = Vec::new();
            let mut text = String::new();
            for (col, symbol) in &cells {
                xs.push(num(f32::from(*col) * CELL_W));
                text.push_str(symbol);
            }
            let single = cells.iter().all(|(_, s)| s.chars().count() == 1);
            let xs = if single { xs.join(" ") } else { xs[0].clone() };
            let mut attrs = format!(r#"x="{xs}" y="{baseline}" fill="{}""#, l.fg);
            if l.bold {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if l.dim {
                attrs.push_str(r#" opacity="0.6""#);
            }
            if l.underline {
                attrs.push_str(r#" text-decoration="underline""#);
            }
            let _ = writeln!(out, "<text {attrs}>{}</text>", escape(&text));
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};

    #[test]
    fn cells_keep_their_columns_and_colours() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 2));
        buf.set_string(0, 0, "ab한글<&", Style::new().fg(Color::Cyan));
        buf.set_string(0, 1, "sel", Style::new().add_modifier(Modifier::REVERSED));
        let svg = buffer_svg(&buf);
        // Each character at its cell: the Hangul two columns apart, then escaped text.
        assert!(
            svg.contains(
                r##"<text x="0 8.4 16.8 33.6 50.4 58.8" y="12.8" fill="#8ec07c">ab한글&lt;&amp;</text>"##
            ),
            "{svg}"
        );
        // Reversed: the default foreground becomes the background.
        assert!(
            svg.contains(r##"<rect x="0" y="17" width="25.2" height="17" fill="#d5c4a1"/>"##),
            "{svg}"
        );
        assert!(svg.contains(r##"fill="#1d2021">sel</text>"##), "{svg}");
        assert_eq!(svg.matches("<svg").count(), 1);
    }

    #[test]
    fn characters_xml_refuses_or_discourages_become_replacement_characters() {
        // (input, escaped)
        let cases: &[(&str, &str)] = &[
            ("plain 한글 ✅", "plain 한글 ✅"),
            ("<a & \"b\">", "&lt;a &amp; &quot;b&quot;&gt;"),
            ("\u{0}\u{1}\u{1b}\u{1f}", "\u{fffd}\u{fffd}\u{fffd}\u{fffd}"),
            ("\t\n\r", "\u{fffd}\u{fffd}\u{fffd}"),
            ("\u{7f}\u{85}\u{9f}", "\u{fffd}\u{fffd}\u{fffd}"),
            ("a\u{fffe}b\u{ffff}c", "a\u{fffd}b\u{fffd}c"),
            ("\u{fdd0}\u{fdef}", "\u{fffd}\u{fffd}"),
            (
                "\u{fdcf}\u{fdf0}\u{fffd}\u{fffc}",
                "\u{fdcf}\u{fdf0}\u{fffd}\u{fffc}",
            ),
            (
                "\u{1fffe}\u{1ffff}\u{10fffe}\u{10ffff}",
                "\u{fffd}\u{fffd}\u{fffd}\u{fffd}",
            ),
            (
                "\u{1fffd}\u{e0001}\u{10fffd}",
                "\u{1fffd}\u{e0001}\u{10fffd}",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(escape(input), *want, "{input:?}");
        }
    }
}
