//! A screen as an SVG image, with its colours: `vaultscope snapshot --svg` writes one, and the
//! README's screenshots are made this way from the app itself. Every cell sits on a fixed grid;
//! a run of wide characters (Hangul, emoji) is stretched to exactly two columns a character,
//! so the picture keeps the terminal's alignment whatever font the viewer picks.

use std::fmt::Write;

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 18.0;
const FONT: f32 = 14.0;
const BG: &str = "#1d2021";
const FG: &str = "#d5c4a1";

/// A dark palette for the 16 named colours (gruvbox-like, readable on `BG`).
fn rgb(color: Color) -> Option<String> {
    let hex = match color {
        Color::Reset => return None,
        Color::Black => "#282828",
        Color::Red => "#fb4934",
        Color::Green => "#b8bb26",
        Color::Yellow => "#fabd2f",
        Color::Blue => "#83a598",
        Color::Magenta => "#d3869b",
        Color::Cyan => "#8ec07c",
        Color::Gray => "#a89984",
        Color::DarkGray => "#665c54",
        Color::LightRed => "#fb4934",
        Color::LightGreen => "#b8bb26",
        Color::LightYellow => "#fabd2f",
        Color::LightBlue => "#83a598",
        Color::LightMagenta => "#d3869b",
        Color::LightCyan => "#8ec07c",
        Color::White => "#fbf1c7",
        Color::Rgb(r, g, b) => return Some(format!("#{r:02x}{g:02x}{b:02x}")),
        Color::Indexed(i) => return Some(format!("#{0:02x}{0:02x}{0:02x}", i)),
    };
    Some(hex.to_owned())
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

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 allows no other control characters (the buffer should hold none).
            c if c.is_control() => out.push('\u{fffd}'),
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
        // Runs of cells with one look and one character width: (start column, columns, look, text).
        let mut runs: Vec<(u16, u16, Look, String, bool)> = Vec::new();
        let mut x = area.left();
        while x < area.right() {
            let cell = &buf[(x, y)];
            let symbol = cell.symbol();
            let width = symbol.width().max(1) as u16;
            let l = look(cell);
            let wide = width > 1;
            match runs.last_mut() {
                Some(run) if run.2 == l && run.4 == wide => {
                    run.1 += width;
                    run.3.push_str(symbol);
                }
                _ => runs.push((x - area.left(), width, l, symbol.to_owned(), wide)),
            }
            x += width;
        }
        let top = f32::from(y - area.top()) * CELL_H;
        let baseline = num(top + CELL_H * 0.75);
        let top = num(top);
        for (col, cols, l, text, wide) in &runs {
            let left = num(f32::from(*col) * CELL_W);
            let span = num(f32::from(*cols) * CELL_W);
            if let Some(bg) = &l.bg {
                let _ = writeln!(
                    out,
                    r#"<rect x="{left}" y="{top}" width="{span}" height="{CELL_H}" fill="{bg}"/>"#
                );
            }
            if text.trim().is_empty() && !l.underline {
                continue;
            }
            let mut attrs = format!(r#"x="{left}" y="{baseline}" fill="{}""#, l.fg);
            if l.bold {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if l.dim {
                attrs.push_str(r#" opacity="0.6""#);
            }
            if l.underline {
                attrs.push_str(r#" text-decoration="underline""#);
            }
            if *wide || !text.is_ascii() {
                // Fonts disagree on the width of Hangul, emoji and box drawing: pin the run.
                let _ = write!(
                    attrs,
                    r#" textLength="{span}" lengthAdjust="spacingAndGlyphs""#
                );
            }
            let _ = writeln!(out, "<text {attrs}>{}</text>", escape(text));
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn cells_keep_their_columns_and_colours() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 2));
        buf.set_string(0, 0, "ab한글<&", Style::new().fg(Color::Cyan));
        buf.set_string(0, 1, "sel", Style::new().add_modifier(Modifier::REVERSED));
        let svg = buffer_svg(&buf);
        // ASCII, then the Hangul pinned to four columns at column 2, then escaped text.
        assert!(
            svg.contains(r##"x="0" y="13.5" fill="#8ec07c">ab</text>"##),
            "{svg}"
        );
        assert!(
            svg.contains(r##"x="16.8" y="13.5" fill="#8ec07c" textLength="33.6" lengthAdjust="spacingAndGlyphs">한글</text>"##),
            "{svg}"
        );
        assert!(svg.contains("&lt;&amp;"), "{svg}");
        // Reversed: the default foreground becomes the background.
        assert!(
            svg.contains(r##"width="25.2" height="18" fill="#d5c4a1""##),
            "{svg}"
        );
        assert_eq!(svg.matches("<svg").count(), 1);
    }
}
