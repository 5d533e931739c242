//! Code blocks: framed, with their language on the top border. A line wider than the frame
//! is never wrapped (a picture must keep its columns): it is cut with `→` in the frame's last
//! column and kept whole in [`Rendered::wide`], so the pane scrolls it sideways
//! ([`Rendered::shifted`]). A block that is a diagram (the diagram pane would draw it) is
//! drawn in place or framed with a caption (see `diagrams`).

use pulldown_cmark::CodeBlockKind;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use ratatui::style::Style;

use super::highlight::Outcome;
use super::{Rendered, Renderer};
use crate::sanitize;
use crate::style::{Role, Syntax};
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
    /// The code's runs and their styles, when it is highlighted (else empty: the line's one
    /// code span gives the style).
    pub runs: Vec<(Style, String)>,
}

/// `inner` columns of `text` from display column `from`: `→` in the last column when more
/// follows, `←` in the first when some is scrolled off to the left. A wide glyph cut by
/// either edge becomes a blank.
pub fn code_window(text: &str, from: usize, inner: usize) -> String {
    window(text, from, inner).0
}

/// [`code_window`] and whether more follows past its right edge (its last glyph is `→`).
fn window(text: &str, from: usize, inner: usize) -> (String, bool) {
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
    (out, more)
}

/// [`code_window`] of `text`, which the `runs` make up, each grapheme in its run's style (a
/// blank of a glyph cut by an edge in that glyph's); the marks (`←`, `→`) in `base`.
pub fn styled_window(
    text: &str,
    runs: &[(Style, String)],
    from: usize,
    inner: usize,
    base: Style,
) -> Vec<Span<'static>> {
    debug_assert_eq!(
        runs.iter().map(|(_, t)| t.as_str()).collect::<String>(),
        text
    );
    // The style of each display column of the whole text.
    let mut columns: Vec<Style> = Vec::new();
    for (style, t) in runs {
        for g in t.graphemes(true) {
            columns.extend(std::iter::repeat_n(*style, width(g)));
        }
    }
    let (shown, more) = window(text, from, inner);
    let count = shown.graphemes(true).count();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_style = base;
    let mut col = 0;
    for (i, g) in shown.graphemes(true).enumerate() {
        let mark = (i == 0 && from > 0) || (i + 1 == count && more);
        let style = if mark {
            base
        } else {
            columns.get(from + col).copied().unwrap_or(base)
        };
        if style != run_style && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), run_style));
        }
        run_style = style;
        run.push_str(g);
        col += width(g);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, run_style));
    }
    spans
}

impl Rendered {
    /// Line `n` with its code scrolled `from` columns to the right, when it belongs to a
    /// block wider than its frame (else `None`: the line as rendered stands).
    pub fn shifted(&self, n: usize, from: usize) -> Option<Line<'static>> {
        let w = &self.wide[self.wide.binary_search_by_key(&n, |w| w.line).ok()?];
        // A blank line of code lost its code span (and the frame's blank) to the trim of
        // trailing blanks: it stands as rendered, its frame kept.
        if w.text.trim().is_empty() {
            return None;
        }
        let line = self.lines.get(n)?;
        let style = line.spans.get(w.keep)?.style;
        let mut spans: Vec<Span<'static>> = line.spans[..w.keep].to_vec();
        if w.runs.is_empty() {
            spans.push(Span::styled(code_window(&w.text, from, w.inner), style));
        } else {
            let frame = line
                .spans
                .get(w.keep.saturating_sub(1))
                .map_or(style, |s| s.style);
            spans.extend(styled_window(&w.text, &w.runs, from, w.inner, frame));
        }
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
                self.code_block(info.split_whitespace().next().unwrap_or(""), &code, true);
            }
        }
        self.gap = true;
    }

    fn code_block(&mut self, lang: &str, code: &str, highlight: bool) {
        if crate::vault::body::is_diagram_info(lang) && self.diagram_block(lang, code) {
            return;
        }
        self.framed(lang, code, highlight);
    }

    /// `code` in a frame with `lang` on its top border, as written: never a diagram (display
    /// math, a `<pre>` block) nor highlighted.
    pub(super) fn framed_code(&mut self, lang: &str, code: &str) {
        self.framed(lang, code, false);
    }

    /// `code` in a frame with `lang` on its top border, highlighted when `highlight` and the
    /// rendering has highlighting and colour on and a grammar knows `lang`. A block that stays
    /// plain for its size or time says so on the border.
    fn framed(&mut self, lang: &str, code: &str, highlight: bool) {
        let frame = self.style(Role::CodeFrame);
        let w = self.width.saturating_sub(self.prefix_width()).max(1);
        let clean = clean_lines(code);
        let outcome = if highlight && self.opts.highlight.is_some() && self.opts.styles.color() {
            self.highlighter.block(lang, &clean)
        } else {
            Outcome::Unknown
        };
        let label = match (&outcome, lang.is_empty()) {
            (_, true) => String::new(),
            (Outcome::Plain(why), false) => format!(" {} · {} ", sanitize::line(lang), why.label()),
            _ => format!(" {} ", sanitize::line(lang)),
        };
        let top = format!("╭─{label}");
        let fill = w.saturating_sub(width(&top));
        self.emit(vec![
            Span::styled(top, frame),
            Span::styled("─".repeat(fill), frame),
        ]);
        let runs = match outcome {
            Outcome::Lines(lines) => Some(lines),
            _ => None,
        };
        self.write_framed(clean, w, Role::Code, runs);
    }

    /// The lines of a block inside a frame `w` columns wide (its top written already), in
    /// `role`, and the frame's bottom.
    pub(super) fn framed_lines(&mut self, code: &str, w: usize, role: Role) {
        self.write_framed(clean_lines(code), w, role, None);
    }

    /// [`Renderer::framed_lines`] of lines cleaned already, each in the roles of its runs
    /// when `highlighted` (one [`super::highlight::Runs`] a line), else in `role`.
    fn write_framed(
        &mut self,
        clean: Vec<String>,
        w: usize,
        role: Role,
        highlighted: Option<Vec<super::highlight::Runs>>,
    ) {
        let frame = self.style(Role::CodeFrame);
        let inner = w.saturating_sub(2).max(1);
        let text_style = self.style(role);
        let mut highlighted = highlighted.map(Vec::into_iter);
        // One line too wide and the whole block scrolls sideways together, so its columns
        // stay aligned.
        let wide = clean.iter().any(|l| width(l) > inner);
        for mut l in clean {
            let mut runs: Vec<(Style, String)> = highlighted
                .as_mut()
                .and_then(Iterator::next)
                .map(|runs| {
                    runs.into_iter()
                        .map(|(syntax, t)| {
                            let role = syntax.map_or(Role::Text, Syntax::role);
                            (self.style(role), t)
                        })
                        .collect()
                })
                .unwrap_or_default();
            // A line of a block that fits is shown whole; of a wide block, its first window
            // (the line is kept for the pane to scroll).
            let code: Vec<Span<'static>> = match (wide, runs.is_empty()) {
                (true, true) => vec![Span::styled(code_window(&l, 0, inner), text_style)],
                (true, false) => styled_window(&l, &runs, 0, inner, frame),
                (false, true) => vec![Span::styled(std::mem::take(&mut l), text_style)],
                (false, false) => std::mem::take(&mut runs)
                    .into_iter()
                    .map(|(s, t)| Span::styled(t, s))
                    .collect(),
            };
            let code_spans = code.len();
            let mut spans = vec![Span::styled("│ ", frame)];
            spans.extend(code);
            let emitted = self.emit(spans);
            if let (true, Some((line, _))) = (wide, emitted) {
                // The frame's span is the last before the code.
                let keep = self.lines[line].spans.len().saturating_sub(code_spans);
                self.wide.push(WideLine {
                    line,
                    keep,
                    text: l,
                    inner,
                    runs,
                });
            }
        }
        self.emit(vec![Span::styled(
            format!("╰{}", "─".repeat(w.saturating_sub(1))),
            frame,
        )]);
    }
}

/// A block's lines as shown: sanitised, tabs expanded.
fn clean_lines(code: &str) -> Vec<String> {
    code.lines()
        .map(|l| sanitize::line(&expand_tabs(l)).into_owned())
        .collect()
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

    #[test]
    fn a_styled_window_keeps_each_columns_style_and_marks_in_the_base() {
        use super::styled_window;
        use ratatui::style::{Color, Style};
        let (a, b, base) = (
            Style::new().fg(Color::Red),
            Style::new().fg(Color::Green),
            Style::new().fg(Color::Blue),
        );
        let runs = [
            (a, "let ".to_owned()),
            (b, "\"보안 x\"".to_owned()),
            (a, ";".to_owned()),
        ];
        let text: String = runs.iter().map(|(_, t)| t.as_str()).collect();
        let shown = |from, inner| -> Vec<(String, Style)> {
            styled_window(&text, &runs, from, inner, base)
                .into_iter()
                .map(|s| (s.content.into_owned(), s.style))
                .collect()
        };
        let s = |t: &str, st| (t.to_owned(), st);
        // Whole: a blank inside a run is in that run's style.
        assert_eq!(shown(0, 20), [s("let ", a), s("\"보안 x\"", b), s(";", a)]);
        // The blank where 보 has no room before `→` is in 보's style, the mark in the base.
        assert_eq!(shown(0, 7), [s("let ", a), s("\" ", b), s("→", base)]);
        // Scrolled onto 보: `←` takes its first column, its second a blank in its style.
        assert_eq!(shown(5, 6), [s("←", base), s(" 안 ", b), s("→", base)]);
    }

    #[test]
    fn a_highlighted_block_wider_than_its_frame_scrolls_in_its_colours() {
        use crate::style::{Role, Styles, Syntax};
        let resolves = |_: &str| true;
        let mut opts = super::super::test_options(24, &resolves);
        opts.styles = Styles::new(true);
        let md = "```rust\nfn main() { let s = \"a long string that is cut\"; }\n```";
        let r = super::super::render(None, md, &opts);
        let keyword = opts.styles.get(Syntax::Keyword.role());
        let string = opts.styles.get(Syntax::String.role());
        let frame = opts.styles.get(Role::CodeFrame);
        let line = &r.lines[1];
        let text = line.to_string();
        assert_eq!(text, "│ fn main() { let s = \"→");
        assert_eq!(line.spans[1].content, "fn");
        assert_eq!(line.spans[1].style, keyword);
        assert_eq!(line.spans.last().map(|s| s.style), Some(frame));
        // Scrolled: still coloured, the marks in the frame's style.
        let shifted = r.shifted(1, 20).unwrap();
        let text = shifted.to_string();
        assert_eq!(text, "│ ←a long string that i→");
        assert!(
            shifted
                .spans
                .iter()
                .any(|s| s.content.contains("long") && s.style == string)
        );
        assert_eq!(shifted.spans[1].content, "←");
        assert_eq!(shifted.spans[1].style, frame);
        // A blank line of a wide block keeps its frame when the block is scrolled.
        let md = "```rust\nfn main() { let s = \"a long string that is cut\"; }\n\n    \n}\n```";
        let r = super::super::render(None, md, &opts);
        for n in [2, 3] {
            let shown = r.shifted(n, 20).unwrap_or_else(|| r.lines[n].clone());
            let text = shown.to_string();
            assert_eq!(text.trim_end(), "│", "line {n}");
        }
        // Without colour, nothing is highlighted: one span of code a line.
        let plain = super::super::render(None, md, &super::super::test_options(24, &resolves));
        assert_eq!(plain.lines[1].spans.len(), 2);
    }
}
