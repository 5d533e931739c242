//! Inline text: styled segments, emphasis and the highlight (`==…==`), links and embeds, and
//! HTML and Obsidian comments taken out before the text is shown.

use std::borrow::Cow;

use pulldown_cmark::{LinkType, Tag};
use ratatui::style::{Modifier, Style};

use super::{LinkTarget, Renderer};
use crate::sanitize;
use crate::style::Role;
use crate::text::expand_tabs;

/// A piece of inline text with one style, maybe part of a link.
#[derive(Debug, Clone)]
pub(super) struct Seg {
    pub(super) text: String,
    pub(super) style: Style,
    pub(super) link: Option<usize>,
}

impl Renderer<'_> {
    /// The style of text here: the inline styles in force, over the text's, under a highlight.
    pub(super) fn current_style(&self) -> Style {
        let mut s = self.style(Role::Text);
        for st in &self.inline_styles {
            s = s.patch(*st);
        }
        if self.highlight {
            s = s.patch(self.style(Role::Highlight));
        }
        s
    }

    /// Adds sanitised text to the block being read (to the code block's text inside one).
    pub(super) fn push_seg(&mut self, text: &str, style: Style) {
        if let Some((_, code)) = &mut self.code {
            code.push_str(text);
            return;
        }
        let clean = if text == "\n" {
            Cow::Borrowed("\n")
        } else if text.contains('\t') {
            Cow::Owned(sanitize::line(&expand_tabs(text)).into_owned())
        } else {
            sanitize::line(text)
        };
        let link = self.link;
        match self.inline.last_mut() {
            Some(last) if last.style == style && last.link == link => last.text.push_str(&clean),
            _ => self.inline.push(Seg {
                text: clean.into_owned(),
                style,
                link,
            }),
        }
    }

    /// Text, with `==highlight==` switching the highlight on and off.
    pub(super) fn text(&mut self, t: &str) {
        if self.code.is_some() {
            self.push_seg(t, Style::new());
            return;
        }
        self.keep_option_break(t);
        // `==` opens a highlight only when another `==` closes it in the same text, and closes
        // an open one; an unmatched `==` (`if a == b`) is text.
        let mut rest = t;
        while let Some(i) = rest.find("==") {
            let pairs = self.highlight || rest[i + 2..].contains("==");
            let (before, after) = (&rest[..i], &rest[i + 2..]);
            if !before.is_empty() {
                let style = self.current_style();
                self.push_seg(before, style);
            }
            if pairs {
                self.highlight = !self.highlight;
            } else {
                let style = self.current_style();
                self.push_seg("==", style);
            }
            rest = after;
        }
        if !rest.is_empty() {
            let style = self.current_style();
            self.push_seg(rest, style);
        }
    }

    /// A soft line break: a space, and where a callout's first line ends.
    pub(super) fn soft_break(&mut self) {
        let title_end = self.maybe_callout && self.callout_break.is_none();
        if title_end {
            self.callout_break = Some(self.inline.iter().map(|s| s.text.len()).sum());
        }
        let style = self.current_style();
        self.push_seg(" ", style);
        // The break that ends a callout's title is the header's, not the body's.
        self.soft_break_at = match self.inline.last() {
            Some(last) if !title_end && self.code.is_none() => {
                Some((self.inline.len() - 1, last.text.len() - 1))
            }
            _ => None,
        };
    }

    /// Text right after a soft break that starts like an option (`a) …`, `(B) …`, `① …`)
    /// keeps its line: Obsidian's reader shows the break, and options run together are
    /// unreadable.
    fn keep_option_break(&mut self, t: &str) {
        let Some((seg, at)) = self.soft_break_at.take() else {
            return;
        };
        let last = self.inline.len().wrapping_sub(1);
        let space_last = self
            .inline
            .get(seg)
            .is_some_and(|s| s.text.len() == at + 1 && s.text.ends_with(' '));
        if seg == last && space_last && starts_like_option(t) {
            self.inline[seg].text.replace_range(at.., "\n");
        }
    }

    /// Emphasis, strong, strikethrough (super- and subscripts keep the style they are in).
    pub(super) fn start_emphasis(&mut self, tag: &Tag) {
        let style = match tag {
            Tag::Emphasis => Style::new().add_modifier(Modifier::ITALIC),
            Tag::Strong => Style::new().add_modifier(Modifier::BOLD),
            Tag::Strikethrough => Style::new().add_modifier(Modifier::CROSSED_OUT),
            _ => Style::new(),
        };
        self.inline_styles.push(style);
    }

    pub(super) fn start_link(&mut self, link_type: LinkType, dest: &str) {
        let (style, target) = self.link_target(link_type, dest);
        self.targets.push(target);
        self.link = Some(self.targets.len() - 1);
        self.inline_styles.push(style);
    }

    /// An image or embed shows as `[image: alt]` or `[embed: name]`, a link to its target.
    pub(super) fn start_image(&mut self, link_type: LinkType, dest: &str) {
        let (style, target) = self.link_target(link_type, dest);
        let label = if matches!(link_type, LinkType::WikiLink { .. }) {
            "[embed: "
        } else {
            "[image: "
        };
        self.targets.push(target);
        self.link = Some(self.targets.len() - 1);
        self.inline_styles.push(style);
        let s = self.current_style();
        self.push_seg(label, s);
    }

    /// Closes `[image: alt` with `]`, and with the URL when it is one.
    pub(super) fn end_image(&mut self) {
        let target = self.link.and_then(|i| self.targets.get(i)).cloned();
        let s = self.current_style();
        let tail = match target {
            Some(LinkTarget::Url(u)) => format!("] ({u})"),
            _ => "]".to_owned(),
        };
        self.push_seg(&tail, s);
        self.inline_styles.pop();
        self.link = None;
    }

    fn link_target(&self, link_type: LinkType, dest: &str) -> (Style, LinkTarget) {
        if let LinkType::WikiLink { .. } = link_type {
            let (note, heading) = match dest.split_once('#') {
                Some((n, h)) => (n.to_owned(), Some(h.to_owned())),
                None => (dest.to_owned(), None),
            };
            // `[[#heading]]` points into this note.
            let resolved = note.is_empty() || (self.opts.resolves)(&note);
            let style = if resolved {
                self.style(Role::WikiLink)
            } else {
                self.style(Role::Unresolved)
            };
            (
                style,
                LinkTarget::Wiki {
                    note,
                    heading,
                    resolved,
                },
            )
        } else {
            (self.style(Role::Link), LinkTarget::Url(dest.to_owned()))
        }
    }

    /// Inline HTML (or an HTML event outside a block): its text, without tags and comments.
    pub(super) fn inline_html(&mut self, html: &str) {
        let stripped = strip_tags(html).replace('\n', " ");
        if self.code.is_none() && !stripped.trim().is_empty() {
            let style = self.current_style();
            self.push_seg(&stripped, style);
        }
    }

    pub(super) fn start_html(&mut self) {
        self.flush_inline();
        self.start_block();
        self.html = Some(String::new());
    }

    /// The HTML block gathered since [`Renderer::start_html`], as one paragraph of its text.
    pub(super) fn end_html(&mut self) {
        if let Some(h) = self.html.take() {
            let text = strip_tags(&h).replace('\n', " ");
            if !text.trim().is_empty() {
                let style = self.current_style();
                self.push_seg(text.trim(), style);
            }
        }
        self.flush_inline();
        self.gap = true;
    }
}

/// Whether a line starts with an option marker: `a)`, `B.`, `(C)`, `①`, `3)`, `[ ]`
/// (letters A-H, numbers 1-20), then a space or the end of the text.
fn starts_like_option(t: &str) -> bool {
    let t = t.trim_start();
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    // `①`-`⑳`.
    if ('\u{2460}'..='\u{2473}').contains(&first) {
        return true;
    }
    let rest = match first {
        '(' => {
            let inner = chars.as_str();
            match inner.find(')') {
                Some(close) if is_option_label(&inner[..close]) => &inner[close + 1..],
                _ => return false,
            }
        }
        '[' => match chars
            .as_str()
            .strip_prefix([' ', 'x', 'X'])
            .and_then(|r| r.strip_prefix(']'))
        {
            Some(rest) => rest,
            None => return false,
        },
        _ => {
            let end = t
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(t.len());
            match t[end..].strip_prefix([')', '.']) {
                Some(rest) if is_option_label(&t[..end]) => rest,
                _ => return false,
            }
        }
    };
    rest.is_empty() || rest.starts_with([' ', '\u{a0}', '\t'])
}

/// `a`-`h`, `A`-`H` or `1`-`20`.
fn is_option_label(s: &str) -> bool {
    match s.as_bytes() {
        [c] if matches!(c.to_ascii_uppercase(), b'A'..=b'H') => true,
        _ => !s.starts_with('0') && s.parse::<u8>().is_ok_and(|n| (1..=20).contains(&n)),
    }
}

/// HTML shown as text: comments and tags removed (a `>` inside a quoted attribute does not end
/// a tag), what is between them kept.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let mut chars = rest.chars();
        let c = chars.next().unwrap_or(' ');
        if c == '<'
            && chars
                .next()
                .is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!')
        {
            // Skip to the tag's end, outside quotes.
            let mut quote: Option<char> = None;
            let mut end = rest.len();
            for (i, ch) in rest.char_indices().skip(1) {
                match (quote, ch) {
                    (None, '"' | '\'') => quote = Some(ch),
                    (Some(q), ch) if ch == q => quote = None,
                    (None, '>') => {
                        end = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            rest = &rest[end..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The body without Obsidian `%%comments%%` (inline or spanning lines), outside fenced code.
pub(super) fn strip_comments(body: &str) -> Cow<'_, str> {
    if !body.contains("%%") {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut in_comment = false;
    for l in crate::vault::body::Lines::new(body, 0) {
        if l.fence || (l.in_code && !in_comment) {
            out.push_str(l.text);
            out.push('\n');
            continue;
        }
        let mut rest = l.text;
        let mut kept = String::new();
        loop {
            match rest.find("%%") {
                Some(i) => {
                    if !in_comment {
                        kept.push_str(&rest[..i]);
                    }
                    in_comment = !in_comment;
                    rest = &rest[i + 2..];
                }
                None => {
                    if !in_comment {
                        kept.push_str(rest);
                    }
                    break;
                }
            }
        }
        // A line that was all comment leaves nothing, not a blank line that splits a list.
        if !kept.trim().is_empty() || l.text.trim().is_empty() {
            out.push_str(&kept);
            out.push('\n');
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use ratatui::style::Modifier;
    use ratatui::text::Line;

    use super::super::{LinkTarget, plain_text, render, show, test_options};
    use super::starts_like_option;

    #[test]
    fn obsidian_extras() {
        let text = show(
            "see [[known]] and [[missing|shown]] ==hot== %%hidden%% ![[pic.png]]",
            80,
        );
        assert!(text.contains("see known and shown hot"), "{text}");
        assert!(!text.contains("hidden") && !text.contains("%%"), "{text}");
        assert!(text.contains("[embed: pic.png]"), "{text}");
        let opts = test_options(80, &|t| t == "known");
        let r = render(None, "[[known#Part]] [[missing]]", &opts);
        assert_eq!(r.links.len(), 2);
        assert_eq!(
            r.links[0].target,
            LinkTarget::Wiki {
                note: "known".into(),
                heading: Some("Part".into()),
                resolved: true
            }
        );
        assert_eq!((r.links[0].start, r.links[0].end), (0, 10));
        assert!(matches!(
            r.links[1].target,
            LinkTarget::Wiki {
                resolved: false,
                ..
            }
        ));
    }

    #[test]
    fn option_lines_keep_their_breaks() {
        let text = show(
            "> [!question] 어느 것?\n> 자주 쓰는 것은\n> a) S3\n> **b)** EBS\n> (C) EFS\n> ① 하나\n\nplain text\nwrapped by the author\nA. Smith wrote 2) this",
            40,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1..6],
            [
                "│ 자주 쓰는 것은",
                "│ a) S3",
                "│ b) EBS",
                "│ (C) EFS",
                "│ ① 하나"
            ],
            "{text}"
        );
        // Prose still joins; `A.` starting a line is an option shape, `2)` inside one is not.
        assert_eq!(
            lines[8..],
            ["plain text wrapped by the author", "A. Smith wrote 2) this"],
            "{text}"
        );
        for (t, want) in [
            ("a) x", true),
            ("H.", true),
            ("(12) x", true),
            ("[ ] todo", true),
            ("⑳ x", true),
            ("I. x", false),
            ("a)x", false),
            ("0) x", false),
            ("21. x", false),
            ("(A x", false),
            ("", false),
        ] {
            assert_eq!(starts_like_option(t), want, "{t:?}");
        }
    }

    #[test]
    fn an_unmatched_highlight_mark_is_text_and_no_highlight_leaks() {
        // An unmatched `==` is text, and no highlight leaks into later blocks.
        let opts = test_options(60, &|_| true);
        let r = render(None, "if a == b then\n\n# Next", &opts);
        let text = plain_text(&r.lines);
        assert!(text.contains("if a == b then"), "{text}");
        let reversed = |l: &Line| {
            l.spans
                .iter()
                .any(|s| s.style.add_modifier.contains(Modifier::REVERSED))
        };
        assert!(!r.lines.iter().any(reversed), "{:?}", r.lines);
        assert!(
            render(None, "a ==hot== b", &opts)
                .lines
                .iter()
                .any(reversed)
        );
    }

    #[test]
    fn html_comments_span_lines_and_quoted_attributes_hide_their_gt() {
        // HTML comments over several lines, and `>` in a quoted attribute.
        let text = show(
            "<!--\nsecret draft\n-->\n\n<span title=\"a > b\">x</span>",
            40,
        );
        assert!(!text.contains("secret") && !text.contains("b\""), "{text}");
        assert!(text.contains('x'), "{text}");
    }
}
