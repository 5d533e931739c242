//! Code blocks: framed, with their language on the top border. A line wider than the frame
//! is never wrapped (a picture must keep its columns): it is cut with `→` in the frame's last
//! column and kept whole in [`Rendered::wide`], so the pane scrolls it sideways
//! ([`Rendered::shifted`]). A block that is a diagram (the diagram pane would draw it) is
//! drawn in place or framed with a caption (see `diagrams`).

use pulldown_cmark::CodeBlockKind;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use super::{Rendered, Renderer};
use crate::sanitize;
use crate::style::Role;
use crate::text::{cut_columns, expand_tabs, width};

/// A line of a code block with a line wider than its frame, kept whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WideLine {
    /// The rendered line it is.
    pub line: usize,
    /// How many spans of that line come before the code (containers' prefixes, the frame).
    pub keep: usize,
    /// The code, sanitised, tabs expanded.
    pub text: String,
    /// Columns inside the frame.
    pub inner: usize,
}

/// `inner` columns of `text` from display column `from`: `→` in the last column when more
/// follows, `←` in the first when some is scrolled off to the left. A wide glyph cut by
/// either edge becomes a blank.
pub fn code_window(text: &str, from: usize, inner: usize) -> String {
    let inner = inner.max(1);
    let rest = cut_columns(text, from);
    let mut out = String::new();
    let mut used = 0;
    let more = width(&rest) > inner;
    let room = if more { inner - 1 } else { inner };
    for g in rest.graphemes(true) {
        let w = width(g);
        if used + w > room {
            break;
        }
        out.push_str(g);
        used += w;
    }
    if more {
        out.push_str(&" ".repeat(room - used));
        out.push('→');
    }
    if from > 0 && !out.is_empty() {
        let tail = cut_columns(&out, 1).into_owned();
        out = format!("←{tail}");
    }
    out
}

impl Rendered {
    /// Line `n` with its code scrolled `from` columns to the right, when it belongs to a
    /// block wider than its frame (else `None`: the line as rendered stands).
    pub fn shifted(&self, n: usize, from: usize) -> Option<Line<'static>> {
        let w = &self.wide[self.wide.binary_search_by_key(&n, |w| w.line).ok()?];
        let line = self.lines.get(n)?;
        let style = line.spans.get(w.keep)?.style;
        let mut spans: Vec<Span<'static>> = line.spans[..w.keep].to_vec();
        spans.push(Span::styled(code_window(&w.text, from, w.inner), style));
        Some(Line::from(spans).style(line.style))
    }

    /// How far the widest code line can scroll until its end shows.
    pub fn max_shift(&self) -> usize {
        self.wide
            .iter()
            .map(|w| width(&w.text).saturating_sub(w.inner))
            .max()
            .unwrap_or(0)
    }
}

impl Renderer<'_> {
    /// The text until the block ends is gathered (see [`Renderer::push_seg`]), not shown.
    pub(super) fn start_code(&mut self, kind: CodeBlockKind) {
        self.flush_inline();
        self.start_block();
        let info = match kind {
            // The whole info string: a quiz fence's title follows its first word.
            CodeBlockKind::Fenced(info) => info.trim().to_owned(),
            CodeBlockKind::Indented => String::new(),
        };
        self.code = Some((info, String::new()));
    }

    pub(super) fn end_code(&mut self) {
        if let Some((info, code)) = self.code.take() {
            let quiz = crate::vault::cards::quiz_fence::info_title(&info)
                .is_some_and(|title| self.quiz_block(title, &code));
            if !quiz {
                self.code_block(info.split_whitespace().next().unwrap_or(""), &code);
            }
        }
        self.gap = true;
    }

    fn code_block(&mut self, lang: &str, code: &str) {
        if crate::vault::body::is_diagram_info(lang) && self.diagram_block(lang, code) {
            return;
        }
        self.framed_code(lang, code);
    }

    /// `code` in a frame with `lang` on its top border, as written: never a diagram (display
    /// math, a `<pre>` block).
    pub(super) fn framed_code(&mut self, lang: &str, code: &str) {
        let frame = self.style(Role::CodeFrame);
        let w = self.width.saturating_sub(self.prefix_width()).max(1);
        let label = if lang.is_empty() {
            String::new()
        } else {
            format!(" {} ", sanitize::line(lang))
        };
        let top = format!("╭─{label}");
        let fill = w.saturating_sub(width(&top));
        self.emit(vec![
            Span::styled(top, frame),
            Span::styled("─".repeat(fill), frame),
        ]);
        self.framed_lines(code, w, Role::Code);
    }

    /// The lines of a block inside a frame `w` columns wide (its top written already), in
    /// `role`, and the frame's bottom.
    pub(super) fn framed_lines(&mut self, code: &str, w: usize, role: Role) {
        let frame = self.style(Role::CodeFrame);
        let inner = w.saturating_sub(2).max(1);
        let text_style = self.style(role);
        let clean: Vec<String> = code
            .lines()
            .map(|l| sanitize::line(&expand_tabs(l)).into_owned())
            .collect();
        // One line too wide and the whole block scrolls sideways together, so its columns
        // stay aligned.
        let wide = clean.iter().any(|l| width(l) > inner);
        for l in clean {
            if !wide {
                self.emit(vec![Span::styled("│ ", frame), Span::styled(l, text_style)]);
                continue;
            }
            let shown = code_window(&l, 0, inner);
            if let Some((line, _)) = self.emit(vec![
                Span::styled("│ ", frame),
                Span::styled(shown, text_style),
            ]) {
                // The frame's span is the last before the code.
                let keep = self.lines[line].spans.len().saturating_sub(1);
                self.wide.push(WideLine {
                    line,
                    keep,
                    text: l,
                    inner,
                });
            }
        }
        self.emit(vec![Span::styled(
            format!("╰{}", "─".repeat(w.saturating_sub(1))),
            frame,
        )]);
    }
}

#[cfg(test)]
mod tests {
    use super::super::show;

    #[test]
    fn code_is_framed_and_front_matter_never_shows() {
        let text = show("```rust\nfn main() {}\n```", 30);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("╭─ rust ─"), "{text}");
        assert_eq!(lines[1], "│ fn main() {}");
        assert!(lines[2].starts_with("╰─"));
        let fm = show("---\ntitle: x\n---\n# Head", 30);
        assert_eq!(fm.trim(), "Head\n════", "{fm}");
        let diagram = show("```\n[A] → [B]\n```", 60);
        assert!(diagram.starts_with("╭─ ◆ diagram 1/1 ·"), "{diagram}");
    }

    #[test]
    fn a_window_of_code_marks_what_is_cut_on_either_side() {
        use super::code_window;
        assert_eq!(code_window("abcdefghij", 0, 20), "abcdefghij");
        assert_eq!(code_window("abcdefghij", 0, 6), "abcde→");
        assert_eq!(code_window("abcdefghij", 3, 6), "←efgh→");
        assert_eq!(code_window("abcdefghij", 4, 6), "←fghij");
        // Hangul is two columns a syllable; a syllable cut by an edge is a blank.
        assert_eq!(code_window("[보안]──▶[VPC]", 0, 6), "[보안→");
        assert_eq!(code_window("[보안]──▶[VPC]", 0, 5), "[보 →");
        assert_eq!(code_window("[보안]──▶[VPC]", 2, 6), "←안]─→");
        assert_eq!(code_window("[보안]──▶[VPC]", 1, 6), "← 안]→");
        for from in 0..16 {
            for inner in 1..16 {
                let w = crate::text::width(&code_window("[보안]──▶[VPC] 끝", from, inner));
                assert!(w <= inner, "{from} {inner}: {w}");
            }
        }
    }
}
