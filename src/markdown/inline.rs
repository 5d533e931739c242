//! Inline text: styled segments, emphasis and the highlights (`==…==`, `<mark>`), links (to
//! notes also in markdown, `[t](Note%20Name.md)`) and embeds (a `|300` size is no name), math
//! as written, and HTML and Obsidian comments taken out before the text is shown (a `<pre>`
//! block shows as code).

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
        if self.highlight || self.marked {
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
        if let Some(alt) = &mut self.image_text {
            alt.push_str(t);
            return;
        }
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
    /// Its text is gathered until it ends: an embed's `|300` (or an image's `alt|300`) is a
    /// width, never the name shown.
    pub(super) fn start_image(&mut self, link_type: LinkType, dest: &str) {
        let (style, target) = self.link_target(link_type, dest);
        self.targets.push(target);
        self.link = Some(self.targets.len() - 1);
        self.inline_styles.push(style);
        self.image_text = Some(String::new());
    }

    /// `[embed: name]`, `[image: alt]` and, for a URL or a file, where it is.
    pub(super) fn end_image(&mut self) {
        let text = self.image_text.take().unwrap_or_default();
        let target = self.link.and_then(|i| self.targets.get(i)).cloned();
        let (text, size) = crate::vault::body::split_size(&text);
        if let Some(LinkTarget::Wiki { note, .. }) = &target {
            self.picture_due(note, size);
        }
        let shown = match &target {
            Some(LinkTarget::Wiki {
                note,
                heading,
                markdown: false,
                ..
            }) => {
                // `![[x.png|300]]`: the name; `![[x|Shown]]`: what it says.
                let name = match heading {
                    Some(h) => format!("{note}#{h}"),
                    None => note.clone(),
                };
                let shown = if text.trim().is_empty() || text == name {
                    name
                } else {
                    text.trim().to_owned()
                };
                format!("[embed: {shown}]")
            }
            Some(LinkTarget::Wiki { source, .. }) => {
                format!("[image: {}] ({source})", text.trim())
            }
            Some(LinkTarget::Url(u)) => format!("[image: {}] ({u})", text.trim()),
            None => format!("[image: {}]", text.trim()),
        };
        let s = self.current_style();
        self.push_seg(&shown, s);
        self.inline_styles.pop();
        self.link = None;
    }

    /// Where a link goes: a wikilink, or a markdown link to a file of the vault (its `%20`s
    /// decoded as the vault indexed it), is a note; anything else a URL.
    fn link_target(&self, link_type: LinkType, dest: &str) -> (Style, LinkTarget) {
        let (note, heading, markdown) = match link_type {
            LinkType::WikiLink { .. } => match dest.split_once('#') {
                Some((n, h)) => (n.to_owned(), Some(h.to_owned()), false),
                None => (dest.to_owned(), None, false),
            },
            LinkType::Autolink | LinkType::Email => {
                return (self.style(Role::Link), LinkTarget::Url(dest.to_owned()));
            }
            _ => match crate::vault::body::note_destination(dest) {
                Some((note, heading, block)) => {
                    (note, heading.or(block.map(|b| format!("^{b}"))), true)
                }
                None => return (self.style(Role::Link), LinkTarget::Url(dest.to_owned())),
            },
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
                markdown,
                source: dest.to_owned(),
            },
        )
    }

    /// Inline HTML (or an HTML event outside a block): its text, without tags and comments;
    /// `<mark>` switches the highlight on, `</mark>` off.
    pub(super) fn inline_html(&mut self, html: &str) {
        let (pieces, marked) = html_text(html, self.marked);
        for (text, marked) in pieces {
            let stripped = text.replace('\n', " ");
            self.marked = marked;
            if self.code.is_none() && !stripped.trim().is_empty() {
                let style = self.current_style();
                self.push_seg(&stripped, style);
            }
        }
        self.marked = marked;
    }

    /// `$$ … $$`: the source as written, framed like code.
    pub(super) fn display_math(&mut self, math: &str) {
        self.flush_inline();
        let math = math.strip_prefix('\n').unwrap_or(math);
        let math = math.strip_suffix('\n').unwrap_or(math);
        self.framed_code("math", math);
    }

    pub(super) fn start_html(&mut self) {
        self.flush_inline();
        self.html = Some(String::new());
    }

    /// The HTML block gathered since [`Renderer::start_html`], as one paragraph of its text
    /// (`<mark>`ed parts highlighted); a `<pre>` block as framed code, its lines as written.
    pub(super) fn end_html(&mut self) {
        let Some(h) = self.html.take() else {
            return;
        };
        // A block that shows nothing (a comment) leaves no blank lines either.
        if let Some((code, after)) = pre_block(&h) {
            self.start_block();
            self.framed_code("", &code);
            let after = strip_tags(after);
            if !after.trim().is_empty() {
                let style = self.current_style();
                self.push_seg(after.trim(), style);
            }
        } else {
            let (pieces, _) = html_text(&h, false);
            let pieces: Vec<(String, bool)> = pieces
                .into_iter()
                .map(|(t, m)| (t.replace('\n', " "), m))
                .collect();
            if pieces.iter().all(|(t, _)| t.trim().is_empty()) {
                return;
            }
            self.start_block();
            let last = pieces.len() - 1;
            for (i, (mut text, marked)) in pieces.into_iter().enumerate() {
                if i == 0 {
                    text = text.trim_start().to_owned();
                }
                if i == last {
                    text = text.trim_end().to_owned();
                }
                self.marked = marked;
                if !text.is_empty() {
                    let style = self.current_style();
                    self.push_seg(&text, style);
                }
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
    html_text(html, false)
        .0
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

/// The text of some HTML, comments and tags removed (a `>` inside a quoted attribute does not
/// end a tag), in pieces with whether each is inside `<mark>` (`marked`: at the start), and
/// whether a `<mark>` is open at the end.
fn html_text(html: &str, mut marked: bool) -> (Vec<(String, bool)>, bool) {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut text = String::with_capacity(html.len());
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
            let tag = &rest[..end];
            let mark = match tag_name(tag) {
                Some((true, name)) if name.eq_ignore_ascii_case("mark") => Some(true),
                Some((false, name)) if name.eq_ignore_ascii_case("mark") => Some(false),
                _ => None,
            };
            if let Some(on) = mark
                && on != marked
            {
                out.push((std::mem::take(&mut text), marked));
                marked = on;
            }
            rest = &rest[end..];
            continue;
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.push((text, marked));
    out.retain(|(t, _)| !t.is_empty());
    (out, marked)
}

/// `<name …>` as `(true, name)`, `</name>` as `(false, name)`.
fn tag_name(tag: &str) -> Option<(bool, &str)> {
    let inner = tag.strip_prefix('<')?;
    let (opens, inner) = match inner.strip_prefix('/') {
        Some(rest) => (false, rest),
        None => (true, inner),
    };
    let end = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    (end > 0).then(|| (opens, &inner[..end]))
}

/// A `<pre>` block's text as written (its inner tags out, `&lt;` and the like decoded), and
/// what follows its `</pre>`; `None` for other HTML.
fn pre_block(html: &str) -> Option<(String, &str)> {
    let t = html.trim_start();
    if !matches!(tag_name(t.split('>').next().unwrap_or("")), Some((true, n)) if n.eq_ignore_ascii_case("pre"))
    {
        return None;
    }
    let open_end = t.find('>')? + 1;
    let body = &t[open_end..];
    let lower = body.to_ascii_lowercase();
    let (inner, after) = match lower.find("</pre>") {
        Some(i) => (&body[..i], &body[i + "</pre>".len()..]),
        None => (body, ""),
    };
    let inner = inner.strip_prefix('\n').unwrap_or(inner);
    let text = decode_entities(&strip_tags(inner));
    let text = text.strip_suffix('\n').unwrap_or(&text).to_owned();
    Some((text, after))
}

/// The HTML entities a `<pre>` block uses to write `<`, `>`, `&` and quotes.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
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
                resolved: true,
                markdown: false,
                source: "known#Part".into(),
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
    fn embeds_with_a_size_show_their_name() {
        let text = show(
            "![[diagram.png|300]] ![[x.png|300x200]] ![[note#Part]] ![[a.png|a cat|120]] ![alt|50](y%20z.png)",
            100,
        );
        assert_eq!(
            text.trim_end(),
            "[embed: diagram.png] [embed: x.png] [embed: note#Part] [embed: a cat] [image: alt] (y%20z.png)"
        );
    }

    #[test]
    fn markdown_links_to_notes_are_note_links() {
        let opts = test_options(80, &|t| t == "folder/Note Name.md");
        let r = render(
            None,
            "[a](folder/Note%20Name.md#Part) [b](<missing note.md>) [c](https://x.com) [d](#Here)",
            &opts,
        );
        let targets: Vec<&LinkTarget> = r.links.iter().map(|l| &l.target).collect();
        assert_eq!(
            targets[0],
            &LinkTarget::Wiki {
                note: "folder/Note Name.md".into(),
                heading: Some("Part".into()),
                resolved: true,
                markdown: true,
                source: "folder/Note%20Name.md#Part".into(),
            }
        );
        assert!(matches!(
            targets[1],
            LinkTarget::Wiki { note, resolved: false, .. } if note == "missing note.md"
        ));
        assert_eq!(targets[2], &LinkTarget::Url("https://x.com".into()));
        assert!(matches!(
            targets[3],
            LinkTarget::Wiki { note, heading: Some(h), resolved: true, .. } if note.is_empty() && h == "Here"
        ));
    }

    #[test]
    fn math_keeps_its_source_byte_for_byte() {
        let text = show(
            "inline $a \\\\ b_{1}^{*}$ and\n\n$$\n\\begin{aligned} x &= 1 \\\\\ny &= 2\n\\end{aligned}\n$$\n\nafter",
            60,
        );
        assert!(text.contains("$a \\\\ b_{1}^{*}$"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let top = lines
            .iter()
            .position(|l| l.starts_with("╭─ math ─"))
            .unwrap();
        assert_eq!(lines[top + 1], "│ \\begin{aligned} x &= 1 \\\\", "{text}");
        assert_eq!(lines[top + 2], "│ y &= 2", "{text}");
        assert_eq!(lines[top + 3], "│ \\end{aligned}", "{text}");
        assert!(lines[top + 4].starts_with("╰─"), "{text}");
        assert!(text.contains("after"), "{text}");
    }

    #[test]
    fn mark_is_a_highlight() {
        let opts = test_options(60, &|_| true);
        let hot = |md: &str| -> String {
            render(None, md, &opts)
                .lines
                .iter()
                .flat_map(|l| l.spans.iter())
                .filter(|s| s.style.add_modifier.contains(Modifier::REVERSED))
                .map(|s| s.content.to_string())
                .collect()
        };
        assert_eq!(hot("plain <mark>marked text</mark> plain"), "marked text");
        assert_eq!(hot("<mark class=\"x\">a</mark> b <mark>c</mark>"), "ac");
        // A `<mark>` never runs past its block.
        assert_eq!(hot("<mark>open\n\nnext paragraph"), "open");
        let text = show("x <mark>y</mark> z", 40);
        assert_eq!(text.trim_end(), "x y z");
    }

    #[test]
    fn a_pre_block_is_code_and_its_fences_are_text() {
        let text = show("<pre>\n```\nlet a = 1 &lt; 2;\n```\n</pre>\n\n# After", 40);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("╭──"), "{text}");
        assert_eq!(
            lines[1..4],
            ["│ ```", "│ let a = 1 < 2;", "│ ```"],
            "{text}"
        );
        assert!(lines[4].starts_with("╰─"), "{text}");
        assert!(text.contains("After"), "{text}");
    }

    #[test]
    fn comments_with_gt_inside_never_show() {
        let text = show(
            "a <!-- x > #y --> b\n\n<!--\n> quoted\n#tag\n-->\n\nc %%hidden > too%% d",
            40,
        );
        let lines: Vec<String> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(lines, ["a b", "", "c d"], "{text}");
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
