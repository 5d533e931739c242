//! Code blocks: framed, with their language on the top border, long lines cut to the frame.
//! A block that may be a diagram (no language, or `text`, `diagram`, `mermaid` …) and has
//! arrows in it is framed as plain text and labelled as the diagram pane's to draw.

use pulldown_cmark::CodeBlockKind;
use ratatui::text::Span;

use super::Renderer;
use crate::sanitize;
use crate::style::Role;
use crate::text::{expand_tabs, hard_wrap, width};

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
        let styles = self.opts.styles;
        let frame = styles.get(Role::CodeFrame);
        let diagram = crate::vault::body::is_diagram_info(lang)
            && code.lines().any(|l| {
                l.contains('→') || l.contains("->") || l.contains('↓') || l.contains("-->")
            });
        let w = self.width.saturating_sub(self.prefix_width()).max(1);
        let label = if diagram {
            " diagram · the diagram pane (3) draws it ".to_owned()
        } else if lang.is_empty() {
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
        let inner = w.saturating_sub(2).max(1);
        let text_style = styles.get(if diagram { Role::Text } else { Role::Code });
        for l in code.lines() {
            let clean = sanitize::line(&expand_tabs(l)).into_owned();
            for part in hard_wrap(&clean, inner) {
                self.emit(vec![
                    Span::styled("│ ", frame),
                    Span::styled(part, text_style),
                ]);
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
        assert!(diagram.contains("diagram pane"), "{diagram}");
    }
}
