//! Quiz fences (```` ```quiz 지식 점검 ````, ```` ```exam ````) drawn as questions, not code: a
//! framed box titled with the block's title, each question's prompt, its options one per line
//! (wrapped under their own text), and the answer dimmed below them, as a folded answer would
//! look. The questions come from the same parser the index uses
//! ([`crate::vault::cards::quiz_fence`]); a block with no question in it stays code.

use ratatui::style::Style;
use ratatui::text::Span;

use super::Renderer;
use super::inline::Seg;
use super::lines::wrap_segs;
use crate::sanitize;
use crate::style::Role;
use crate::text::width;
use crate::vault::Question;

impl Renderer<'_> {
    /// Draws the quiz block; false (nothing drawn) when it holds no question.
    pub(super) fn quiz_block(&mut self, title: &str, code: &str) -> bool {
        let questions = crate::vault::cards::quiz_fence::parse(Some(title), 1, 0, code.lines());
        if questions.is_empty() {
            return false;
        }
        let frame = self.style(Role::CodeFrame);
        let w = self.width.saturating_sub(self.prefix_width()).max(1);
        let label = if title.is_empty() {
            " quiz ".to_owned()
        } else {
            format!(" quiz · {} ", sanitize::line(title))
        };
        let top = format!("╭─{label}");
        let fill = w.saturating_sub(width(&top));
        self.emit(vec![
            Span::styled(top, self.style(Role::Title)),
            Span::styled("─".repeat(fill), frame),
        ]);
        let inner = w.saturating_sub(2).max(1);
        for (n, q) in questions.iter().enumerate() {
            if n > 0 {
                self.emit(vec![Span::styled("│", frame)]);
            }
            self.quiz_question(n + 1, q, inner);
        }
        self.emit(vec![Span::styled(
            format!("╰{}", "─".repeat(w.saturating_sub(1))),
            frame,
        )]);
        true
    }

    fn quiz_question(&mut self, n: usize, q: &Question, inner: usize) {
        let (text, title, dim) = (
            self.style(Role::Text),
            self.style(Role::Title),
            self.style(Role::Dim),
        );
        for (i, para) in q.prompt.split("\n\n").enumerate() {
            let head = if i == 0 {
                format!("Q{n}. ")
            } else {
                String::new()
            };
            self.quiz_item(&head, title, para, text, inner);
        }
        for c in &q.options {
            self.quiz_item(&format!("  {}. ", c.label), dim, &c.text, text, inner);
        }
        let mut answer = if q.answer.is_empty() {
            "no option is marked right".to_owned()
        } else {
            format!("Answer: {}", q.answer_text)
        };
        for e in &q.explanation {
            answer.push_str(" · ");
            answer.push_str(e);
        }
        self.quiz_item("  ▸ ", dim, &answer, dim, inner);
    }

    /// One wrapped item inside the frame: `head` on its first line, the text hanging under
    /// itself on the others.
    fn quiz_item(&mut self, head: &str, head_style: Style, body: &str, style: Style, inner: usize) {
        let frame = self.style(Role::CodeFrame);
        let hang = width(head).min(inner.saturating_sub(1));
        let seg = Seg {
            text: sanitize::line(body).into_owned(),
            style,
            link: None,
        };
        for (i, line) in wrap_segs(&[seg], inner.saturating_sub(hang).max(1))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                Span::styled(head.to_owned(), head_style)
            } else {
                Span::raw(" ".repeat(hang))
            };
            let mut spans = vec![Span::styled("│ ", frame), lead];
            spans.extend(line.into_iter().map(|s| Span::styled(s.text, s.style)));
            self.emit(spans);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::show;

    #[test]
    fn a_quiz_fence_is_drawn_as_questions() {
        let md = "```quiz 지식 점검\nQ. 리전 서비스는?\n- IAM\n+ Amazon S3 bucket names are global but buckets are regional\n> 버킷은 리전에 있다.\n```";
        let text = show(md, 40);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "╭─ quiz · 지식 점검 ────────────────────",
                "│ Q1. 리전 서비스는?",
                "│   A. IAM",
                "│   B. Amazon S3 bucket names are global",
                "│      but buckets are regional",
                "│   ▸ Answer: B) Amazon S3 bucket names",
                "│     are global but buckets are",
                "│     regional · 버킷은 리전에 있다.",
                "╰───────────────────────────────────────",
            ],
            "{text}"
        );
        // A quiz block with no question stays code.
        assert!(show("```quiz\njust text\n```", 30).contains("│ just text"));
    }
}
