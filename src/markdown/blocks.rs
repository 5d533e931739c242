//! Blocks and the containers they nest in: paragraphs, headings, block quotes and the callouts
//! they may become, lists and their items, horizontal rules and footnote definitions.

use pulldown_cmark::HeadingLevel;
use ratatui::text::{Line, Span};

use super::inline::Seg;
use super::{Heading, Renderer};
use crate::style::{Role, Tint};
use crate::text::width;

/// A block that indents what it holds, by a prefix on each of its lines.
#[derive(Debug)]
pub(super) enum Container {
    Quote,
    Callout(CalloutKind),
    /// A list item: its marker shows on its first line, blanks of the same width after.
    Item {
        marker: String,
        shown: bool,
    },
    List {
        next: Option<u64>,
    },
    Footnote,
}

impl Container {
    /// The width of its prefix.
    pub(super) fn width(&self) -> usize {
        match self {
            Container::Quote | Container::Callout(_) => 2,
            Container::Item { marker, .. } => width(marker),
            Container::List { .. } | Container::Footnote => 0,
        }
    }
}

/// A callout's type as it looks.
#[derive(Debug, Clone)]
pub(super) struct CalloutKind {
    icon: &'static str,
    pub(super) tint: Tint,
}

fn callout_kind(name: &str) -> CalloutKind {
    let (icon, tint) = match name.to_lowercase().as_str() {
        "note" => ("✎", Tint::Blue),
        "abstract" | "summary" | "tldr" => ("≡", Tint::Cyan),
        "info" => ("ℹ", Tint::Blue),
        "todo" => ("☐", Tint::Blue),
        "tip" | "hint" | "important" => ("✦", Tint::Cyan),
        "success" | "check" | "done" => ("✔", Tint::Green),
        "question" | "help" | "faq" => ("?", Tint::Yellow),
        "warning" | "caution" | "attention" => ("⚠", Tint::Yellow),
        "failure" | "fail" | "missing" => ("✘", Tint::Red),
        "danger" | "error" => ("⚡", Tint::Red),
        "bug" => ("✱", Tint::Red),
        "example" => ("▸", Tint::Magenta),
        "quote" | "cite" => ("❝", Tint::Gray),
        _ => ("●", Tint::Gray),
    };
    CalloutKind { icon, tint }
}

impl Renderer<'_> {
    pub(super) fn start_paragraph(&mut self) {
        // A footnote's first paragraph follows its label on the same line.
        if !std::mem::take(&mut self.footnote_label) {
            self.flush_inline();
            self.start_block();
        }
    }

    pub(super) fn end_paragraph(&mut self) {
        if self.maybe_callout {
            self.maybe_callout = false;
            self.callout_header();
        }
        // A callout header that was the whole paragraph leaves no gap before the body.
        let header_only =
            self.inline.is_empty() && matches!(self.stack.last(), Some(Container::Callout(_)));
        self.flush_inline();
        self.gap = !header_only;
    }

    pub(super) fn start_heading(&mut self, level: HeadingLevel) {
        self.flush_inline();
        self.start_block();
        let style = match level {
            HeadingLevel::H1 => self.style(Role::H1),
            HeadingLevel::H2 => self.style(Role::H2),
            HeadingLevel::H3 => self.style(Role::H3),
            _ => self.style(Role::H4),
        };
        self.inline_styles.push(style);
    }

    pub(super) fn end_heading(&mut self, level: HeadingLevel) {
        self.inline_styles.pop();
        let text: String = self.inline.iter().map(|s| s.text.as_str()).collect();
        let line = self.lines.len();
        self.flush_inline();
        // A top heading is underlined, so it stands out in plain text too.
        if level == HeadingLevel::H1 && self.in_footnote == 0 {
            let prefix = self.prefix_width();
            let w = self.lines[line.min(self.lines.len())..]
                .iter()
                .map(|l| l.width().saturating_sub(prefix))
                .max()
                .unwrap_or(0);
            let rule = self.style(Role::H1);
            self.emit(vec![Span::styled("═".repeat(w.max(1)), rule)]);
        }
        self.headings.push(Heading {
            level: level as u8,
            text: text.trim().to_owned(),
            line,
        });
        self.gap = true;
    }

    pub(super) fn start_quote(&mut self) {
        self.flush_inline();
        self.start_block();
        self.stack.push(Container::Quote);
        self.maybe_callout = true;
        self.callout_break = None;
    }

    pub(super) fn end_quote(&mut self) {
        self.flush_inline();
        self.maybe_callout = false;
        if let Some(Container::Callout(kind)) = self.stack.last() {
            let style = self.style(Role::Callout(kind.tint));
            let w = self
                .width
                .saturating_sub(self.prefix_width_without_last())
                .max(1);
            let bottom = format!("╰{}", "─".repeat(w.saturating_sub(1)));
            self.stack.pop();
            self.emit(vec![Span::styled(bottom, style)]);
        } else {
            self.stack.pop();
        }
        self.gap = true;
    }

    /// Turns the quote just started into a callout when its first line is `[!type]`, with an
    /// optional `+`/`-` fold marker and a title.
    fn callout_header(&mut self) {
        let first: String = self.inline.iter().map(|s| s.text.as_str()).collect();
        let Some(rest) = first.strip_prefix("[!") else {
            return;
        };
        let Some(close) = rest.find(']') else {
            return;
        };
        let name = &rest[..close];
        if name.is_empty() || name.contains(char::is_whitespace) {
            return;
        }
        // The title runs to the first line break; the rest is the callout's first paragraph.
        let title_start = 2 + close + 1;
        let head_end = self
            .callout_break
            .filter(|&b| b >= title_start)
            .unwrap_or(first.len());
        let title = first[title_start..head_end]
            .trim_start_matches(['+', '-'])
            .trim();
        let kind = callout_kind(name);
        let title = if title.is_empty() {
            let mut t = name.to_lowercase();
            if let Some(f) = t.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            t
        } else {
            title.to_owned()
        };
        // The body keeps its segments (their styles and links) after the header line.
        let body_start = if head_end < first.len() {
            head_end + 1
        } else {
            first.len()
        };
        let body_segs = split_segs_at(&self.inline, body_start);
        // The quote container becomes the callout.
        if let Some(last) = self.stack.last_mut() {
            *last = Container::Callout(kind.clone());
        }
        let style = self.style(Role::Callout(kind.tint));
        let w = self
            .width
            .saturating_sub(self.prefix_width_without_last())
            .max(1);
        // A long title (a whole question, as many notes write) wraps under itself; its first
        // line replaces the quote's own bar, the others go under the callout's.
        let lead = format!("╭─ {} ", kind.icon);
        let indent = width(&lead).saturating_sub(2);
        let room = w.saturating_sub(width(&lead) + 1).max(1);
        let title_seg = [Seg {
            text: title,
            style,
            link: None,
        }];
        let parts: Vec<String> = super::lines::wrap_segs(&title_seg, room)
            .into_iter()
            .map(|line| line.into_iter().map(|s| s.text).collect())
            .collect();
        let saved = self.stack.pop();
        let head = format!("{lead}{} ", parts.first().map_or("", String::as_str));
        let fill = w.saturating_sub(width(&head));
        let mut spans = vec![Span::styled(head, style)];
        if fill > 0 {
            spans.push(Span::styled("─".repeat(fill), style));
        }
        self.emit(spans);
        if let Some(c) = saved {
            self.stack.push(c);
        }
        for part in parts.iter().skip(1) {
            let line = format!("{}{part}", " ".repeat(indent));
            self.emit(vec![Span::styled(line, style)]);
        }
        self.inline = body_segs;
    }

    pub(super) fn start_list(&mut self, first: Option<u64>) {
        self.flush_inline();
        // A list inside an item follows its text directly.
        if !matches!(self.stack.last(), Some(Container::Item { .. })) {
            self.start_block();
        }
        self.stack.push(Container::List { next: first });
    }

    pub(super) fn start_item(&mut self) {
        self.flush_inline();
        self.gap = false;
        let depth = self
            .stack
            .iter()
            .filter(|c| matches!(c, Container::List { .. }))
            .count();
        let marker = match self.stack.last_mut() {
            Some(Container::List { next: Some(n) }) => {
                let m = format!("{n}. ");
                *n += 1;
                m
            }
            _ => match depth {
                0 | 1 => "• ",
                2 => "◦ ",
                _ => "▪ ",
            }
            .to_owned(),
        };
        self.stack.push(Container::Item {
            marker,
            shown: false,
        });
    }

    pub(super) fn end_item(&mut self) {
        self.flush_inline();
        // An empty item still shows its marker.
        if let Some(Container::Item { shown: false, .. }) = self.stack.last() {
            self.emit(Vec::new());
        }
        self.stack.pop();
        self.gap = false;
    }

    /// `- [x]` and `- [ ]`: the item's marker becomes a box.
    pub(super) fn task_marker(&mut self, done: bool) {
        if let Some(Container::Item { marker, .. }) = self.stack.last_mut() {
            *marker = if done { "☑ " } else { "☐ " }.to_owned();
        }
    }

    /// A footnote definition: its lines go to the end, after its marker.
    pub(super) fn start_footnote(&mut self, label: &str) {
        self.flush_inline();
        if self.in_footnote == 0 {
            let number = self.footnote_number(label);
            self.footnote_starts.push((number, self.footnotes.len()));
        }
        self.in_footnote += 1;
        self.stack.push(Container::Footnote);
        let style = self.style(Role::Link);
        let marker = self.footnote_marker(label);
        self.push_seg(&format!("{marker} "), style);
        self.footnote_label = true;
    }

    /// Numbers the footnotes of `body` in the order of their first references, as Obsidian
    /// does, before the rendering (a definition may come before its reference).
    pub(super) fn number_footnotes(&mut self, body: &str, options: pulldown_cmark::Options) {
        for event in pulldown_cmark::Parser::new_ext(body, options) {
            if let pulldown_cmark::Event::FootnoteReference(label) = event {
                let next = self.footnote_numbers.len() + 1;
                self.footnote_numbers
                    .entry(label.into_string())
                    .or_insert(next);
            }
        }
    }

    /// The number of footnote `label` (the next one for a label never referenced).
    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnote_numbers.len() + 1;
        *self
            .footnote_numbers
            .entry(label.to_owned())
            .or_insert(next)
    }

    /// A footnote's marker, the same at the reference and in the list: `[1]`.
    pub(super) fn footnote_marker(&mut self, label: &str) -> String {
        format!("[{}]", self.footnote_number(label))
    }

    /// The footnotes' lines, the definitions in the order of their numbers.
    pub(super) fn footnotes_in_order(&mut self) -> Vec<Line<'static>> {
        let mut lines = std::mem::take(&mut self.footnotes);
        let starts = std::mem::take(&mut self.footnote_starts);
        if starts.windows(2).all(|w| w[0].0 <= w[1].0) {
            return lines;
        }
        // Each definition is its lines up to the next one's start.
        let mut groups = Vec::with_capacity(starts.len());
        for &(number, start) in starts.iter().rev() {
            groups.push((number, lines.split_off(start.min(lines.len()))));
        }
        groups.reverse();
        groups.sort_by_key(|g| g.0);
        for (_, group) in groups {
            lines.extend(group);
        }
        lines
    }

    /// A horizontal rule across what the containers leave.
    pub(super) fn rule(&mut self) {
        self.flush_inline();
        self.start_block();
        let w = self.width.saturating_sub(self.prefix_width());
        let rule = vec![Span::styled("─".repeat(w.max(1)), self.style(Role::Rule))];
        self.emit(rule);
        self.gap = true;
    }
}

/// The segments after byte `at` of their concatenation.
fn split_segs_at(segs: &[Seg], at: usize) -> Vec<Seg> {
    let total: usize = segs.iter().map(|s| s.text.len()).sum();
    let mut at = at.min(total);
    let mut pos = 0;
    // Never split inside a character.
    let plain: String = segs.iter().map(|s| s.text.as_str()).collect();
    while !plain.is_char_boundary(at) {
        at += 1;
    }
    let mut out = Vec::new();
    for s in segs {
        let (s0, s1) = (pos, pos + s.text.len());
        pos = s1;
        if s1 <= at {
            continue;
        }
        let from = at.max(s0) - s0;
        out.push(Seg {
            text: s.text[from..].to_owned(),
            ..s.clone()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::show;

    #[test]
    fn lists_hang_and_nest() {
        let text = show(
            "- one two three four five\n  - nested item here\n- [x] done\n- [ ] todo\n1. first\n2. second",
            14,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "• one two");
        assert_eq!(lines[1], "  three four");
        assert!(lines.iter().any(|l| l.starts_with("  ◦ nested")), "{text}");
        assert!(text.contains("☑ done") && text.contains("☐ todo"), "{text}");
        assert!(
            text.contains("1. first") && text.contains("2. second"),
            "{text}"
        );
    }

    #[test]
    fn callouts_become_titled_boxes() {
        let text = show(
            "> [!warning]- Mind the gap\n> body text\n> > [!tip]\n> > inner",
            30,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("╭─ ⚠ Mind the gap ─"), "{text}");
        assert_eq!(lines[1], "│ body text");
        assert!(lines.iter().any(|l| l.starts_with("│ ╭─ ✦ Tip")), "{text}");
        assert!(lines.iter().any(|l| l.starts_with("│ │ inner")), "{text}");
        assert!(lines.last().unwrap().starts_with("╰─"), "{text}");
        // A plain quote keeps its bar.
        assert_eq!(show("> just a quote", 30).trim_end(), "▎ just a quote");
    }

    #[test]
    fn a_callout_whose_body_starts_with_a_list_has_no_gap() {
        // A callout whose body starts with a list has no blank line after its header.
        let text = show("> [!note] Title\n> - x", 30);
        assert_eq!(text.lines().nth(1), Some("│ • x"), "{text}");
    }

    #[test]
    fn footnotes_gather_at_the_end_and_html_loses_its_tags() {
        let text = show("text[^1] <b>bold</b>\n\n[^1]: the note\n\nafter", 40);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("text[1] bold"), "{text}");
        assert_eq!(*lines.last().unwrap(), "[1] the note", "{text}");
        assert!(text.find("after").unwrap() < text.find("the note").unwrap());
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference_and_listed_in_that_order() {
        // The definitions come first and in another order; named labels get numbers too.
        let text = show(
            "[^z]: zed\n\n[^a]: ay\n\nfirst[^a] then[^z] again[^a] none[^missing]\n\n[^x]: never cited",
            60,
        );
        assert!(
            text.starts_with("first[1] then[2] again[1] none[^missing]"),
            "{text}"
        );
        let tail: Vec<&str> = text.lines().rev().take(3).collect();
        assert_eq!(tail, ["[3] never cited", "[2] zed", "[1] ay"], "{text}");
        assert!(!text.contains("[^a]") && !text.contains("[^z]"), "{text}");
    }

    #[test]
    fn a_long_callout_title_wraps_in_full() {
        let title = "다음 중 프라이빗 서브넷의 인스턴스가 인터넷을 거치지 않고 S3에 접근하는 방법은 무엇입니까?";
        let text = show(&format!("> [!question] {title}\n> body"), 40);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("╭─ ? 다음 중"), "{text}");
        assert!(lines.len() > 3, "{text}");
        for l in &lines {
            assert!(crate::text::width(l) <= 40, "{l:?}");
        }
        // Every word of the title is there, in order, under the header's first line.
        let joined: String = lines
            .iter()
            .take_while(|l| !l.contains("body"))
            .map(|l| {
                l.trim_start_matches(['╭', '─', '?', '│', ' '])
                    .trim_end_matches(['─', ' '])
            })
            .collect::<Vec<_>>()
            .join(" ");
        // Korean may break between syllables: compare without the spaces.
        let letters = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(letters(&joined), letters(title), "{text}");
        assert!(lines[1].starts_with("│   "), "{text}");
        assert_eq!(*lines.iter().rev().nth(1).unwrap(), "│ body", "{text}");
    }
}
