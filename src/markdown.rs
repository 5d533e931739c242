//! A note's markdown as styled terminal lines: pulldown-cmark events laid out for a width, with
//! Obsidian's extras (wikilinks, embeds, callouts, `==highlight==`, `%%comments%%`). Pure: the
//! same lines go to the content pane and to `vaultscope show`.
//!
//! Every string that reaches a `Span` is sanitised first (control characters and bidi controls
//! become visible placeholders, entities that decode to them too), and every line is measured
//! in display columns: Hangul and emoji take two, Korean may break between syllables and
//! English between words (UAX #14), a run too long for a line is cut between graphemes.
//!
//! The renderer is total: input that is too large is cut with a notice, nesting deeper than
//! the width allows stops indenting, and [`render`] catches a panic and falls back to plain
//! text, reporting it, so one bad note never takes the app down.

use std::borrow::Cow;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::sanitize;
use crate::vault::Note;

/// Bodies longer than this are cut (with a notice): a 20 MB note still opens at once.
pub const MAX_RENDER_BYTES: usize = 2 * 1024 * 1024;
/// Containers (quotes, lists, callouts) deeper than this stop indenting further.
const MAX_INDENT_DEPTH: usize = 16;

/// The styles of rendered markdown. With `color` false only bold, italic, dim, underline,
/// reverse and crossed-out remain (for `NO_COLOR` and for plain text output).
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub text: Style,
    pub dim: Style,
    pub h1: Style,
    pub h2: Style,
    pub h3: Style,
    pub h4: Style,
    pub code: Style,
    pub code_frame: Style,
    pub link: Style,
    pub wikilink: Style,
    pub unresolved: Style,
    pub highlight: Style,
    pub quote: Style,
    pub tag: Style,
    pub rule: Style,
    pub color: bool,
}

impl Palette {
    pub fn new(color: bool) -> Palette {
        let p = Style::new();
        let c = |s: Style, col: Color| if color { s.fg(col) } else { s };
        Palette {
            text: p,
            dim: p.add_modifier(Modifier::DIM),
            h1: c(p.add_modifier(Modifier::BOLD), Color::Cyan),
            h2: c(p.add_modifier(Modifier::BOLD), Color::Cyan),
            h3: c(p.add_modifier(Modifier::BOLD), Color::Blue),
            h4: p.add_modifier(Modifier::BOLD),
            code: c(p, Color::Yellow),
            code_frame: c(p.add_modifier(Modifier::DIM), Color::Gray),
            link: c(p.add_modifier(Modifier::UNDERLINED), Color::Blue),
            wikilink: c(p.add_modifier(Modifier::UNDERLINED), Color::Cyan),
            unresolved: p.add_modifier(Modifier::DIM | Modifier::UNDERLINED),
            highlight: if color {
                p.fg(Color::Black).bg(Color::Yellow)
            } else {
                p.add_modifier(Modifier::REVERSED)
            },
            quote: c(p.add_modifier(Modifier::DIM), Color::Gray),
            tag: c(p, Color::Blue),
            rule: c(p.add_modifier(Modifier::DIM), Color::Gray),
            color,
        }
    }

    fn callout(&self, kind: &CalloutKind) -> Style {
        let base = Style::new().add_modifier(Modifier::BOLD);
        if !self.color {
            return base;
        }
        base.fg(kind.color)
    }
}

/// What a rendering is for.
pub struct RenderOptions<'a> {
    /// Columns available (at least 1).
    pub width: u16,
    pub palette: Palette,
    /// Whether a wikilink's note part (`[[target]]`, `[[target#h]]`) resolves to a note or an
    /// attachment; unresolved ones are dimmed.
    pub resolves: &'a dyn Fn(&str) -> bool,
    /// Now, in seconds since 1970, for the relative ages in the properties header.
    pub now: i64,
}

/// A heading of the rendered note, for the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// The rendered line it starts on.
    pub line: usize,
}

/// Where a link sits on screen and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSpot {
    pub line: usize,
    /// Display columns `[start, end)` on that line (the first part, if it wraps).
    pub start: usize,
    pub end: usize,
    pub target: LinkTarget,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `[[note#heading]]` or `![[embed]]`: the note part and the heading.
    Wiki {
        note: String,
        heading: Option<String>,
        resolved: bool,
    },
    /// A URL or a relative markdown link.
    Url(String),
}

/// A note as lines for a width.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkSpot>,
    /// Set when the renderer failed and the lines are the plain text instead.
    pub failure: Option<String>,
}

/// Renders `note`'s properties header and `body` (the markdown after the front matter).
/// Never panics: a failure inside gives the body as plain wrapped text and says why.
pub fn render(note: Option<&Note>, body: &str, opts: &RenderOptions) -> Rendered {
    RENDERING.with(|r| r.set(true));
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut r = Renderer::new(opts);
        if let Some(n) = note {
            r.properties(n);
        }
        r.body(body);
        r.finish()
    }));
    RENDERING.with(|r| r.set(false));
    match attempt {
        Ok(r) => r,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".to_owned());
            let mut lines = vec![Line::styled(
                "(this note could not be rendered; shown as plain text)",
                opts.palette.dim,
            )];
            for l in body.lines().take(100_000) {
                for part in crate::text::hard_wrap(
                    &sanitize::line(&expand_tabs(l)),
                    opts.width.max(1) as usize,
                ) {
                    lines.push(Line::raw(part));
                }
            }
            Rendered {
                lines,
                failure: Some(format!("the renderer failed: {why}")),
                ..Rendered::default()
            }
        }
    }
}

thread_local! {
    static RENDERING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is inside [`render`], whose panics are caught: a panic hook uses it to
/// leave the terminal alone (the explorer keeps running and shows the note as plain text).
pub fn is_rendering() -> bool {
    RENDERING.with(|r| r.get())
}

/// Renders note `id` of `vault` (its header and `body`, read by the caller) for a width. Links
/// are dimmed when the vault could not resolve them.
pub fn render_note(
    vault: &crate::vault::Vault,
    id: crate::vault::NoteId,
    body: &str,
    width: u16,
    palette: Palette,
    now: i64,
) -> Rendered {
    use crate::vault::Resolved;
    let note = &vault.notes[id];
    let resolved: std::collections::HashMap<String, bool> = note
        .links
        .iter()
        .map(|l| {
            (
                l.raw.target.trim().to_lowercase(),
                !matches!(l.resolved, Resolved::Unresolved),
            )
        })
        .collect();
    // An outline load has no resolved links yet: nothing is dimmed until it is known.
    let unknown = vault.depth != crate::vault::Depth::Full;
    let resolves = |target: &str| {
        unknown
            || resolved
                .get(&target.trim().to_lowercase())
                .copied()
                .unwrap_or(false)
    };
    let opts = RenderOptions {
        width,
        palette,
        resolves: &resolves,
        now,
    };
    render(Some(note), body, &opts)
}

/// A piece of inline text with one style, maybe part of a link.
#[derive(Debug, Clone)]
struct Seg {
    text: String,
    style: Style,
    link: Option<usize>,
}

/// A callout's type as it looks.
#[derive(Debug, Clone)]
struct CalloutKind {
    icon: &'static str,
    color: Color,
}

fn callout_kind(name: &str) -> CalloutKind {
    let (icon, color) = match name.to_lowercase().as_str() {
        "note" => ("✎", Color::Blue),
        "abstract" | "summary" | "tldr" => ("≡", Color::Cyan),
        "info" => ("ℹ", Color::Blue),
        "todo" => ("☐", Color::Blue),
        "tip" | "hint" | "important" => ("✦", Color::Cyan),
        "success" | "check" | "done" => ("✔", Color::Green),
        "question" | "help" | "faq" => ("?", Color::Yellow),
        "warning" | "caution" | "attention" => ("⚠", Color::Yellow),
        "failure" | "fail" | "missing" => ("✘", Color::Red),
        "danger" | "error" => ("⚡", Color::Red),
        "bug" => ("✱", Color::Red),
        "example" => ("▸", Color::Magenta),
        "quote" | "cite" => ("❝", Color::Gray),
        _ => ("●", Color::Gray),
    };
    CalloutKind { icon, color }
}

#[derive(Debug)]
enum Container {
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

struct Table {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<Vec<Seg>>>,
    header_rows: usize,
}

struct Renderer<'a> {
    opts: &'a RenderOptions<'a>,
    width: usize,
    lines: Vec<Line<'static>>,
    headings: Vec<Heading>,
    links: Vec<LinkSpot>,
    targets: Vec<LinkTarget>,
    stack: Vec<Container>,
    /// Inline text of the block being read.
    inline: Vec<Seg>,
    /// Active inline styles (emphasis, strong, links …), innermost last.
    styles: Vec<Style>,
    link: Option<usize>,
    highlight: bool,
    /// A blockquote whose first paragraph may turn it into a callout.
    maybe_callout: bool,
    /// Where in that paragraph's text its first line ends.
    callout_break: Option<usize>,
    code: Option<(String, String)>,
    table: Option<Table>,
    /// A blank line is due before the next block.
    gap: bool,
    /// Lines written inside footnote definitions, printed at the end.
    footnotes: Vec<Line<'static>>,
    in_footnote: usize,
    /// A footnote label waits for the definition's first paragraph.
    footnote_label: bool,
    /// The text of the HTML block being read.
    html: Option<String>,
}

impl<'a> Renderer<'a> {
    fn new(opts: &'a RenderOptions<'a>) -> Renderer<'a> {
        Renderer {
            opts,
            width: opts.width.max(1) as usize,
            lines: Vec::new(),
            headings: Vec::new(),
            links: Vec::new(),
            targets: Vec::new(),
            stack: Vec::new(),
            inline: Vec::new(),
            styles: Vec::new(),
            link: None,
            highlight: false,
            maybe_callout: false,
            callout_break: None,
            code: None,
            table: None,
            gap: false,
            footnotes: Vec::new(),
            in_footnote: 0,
            footnote_label: false,
            html: None,
        }
    }

    fn pal(&self) -> &Palette {
        &self.opts.palette
    }

    /// The header from the front matter: title, dates with their age, tags, aliases.
    fn properties(&mut self, n: &Note) {
        let pal = *self.pal();
        let title = vec![Seg {
            text: sanitize::line(&n.title).into_owned(),
            style: pal.h1,
            link: None,
        }];
        self.emit_wrapped(&title);
        let mut dates = Vec::new();
        for (label, date) in [("created", &n.created), ("modified", &n.modified)] {
            if let Some(d) = date {
                dates.push(format!(
                    "{label} {} ({})",
                    sanitize::line(&d.text),
                    crate::time::age(self.opts.now - d.sort_key)
                ));
            }
        }
        if !dates.is_empty() {
            let segs = vec![Seg {
                text: dates.join(" · "),
                style: pal.dim,
                link: None,
            }];
            self.emit_wrapped(&segs);
        }
        if !n.tags.is_empty() {
            let chip = if pal.color {
                pal.tag.add_modifier(Modifier::REVERSED)
            } else {
                pal.tag.add_modifier(Modifier::BOLD)
            };
            // Chips are packed whole, line by line: a tag never breaks at its `/` or `-`.
            let pad = if pal.color { " " } else { "" };
            let w = self.width;
            let mut line: Vec<Span<'static>> = Vec::new();
            let mut used = 0;
            for t in &n.tags {
                let text = format!("{pad}#{}{pad}", sanitize::line(t));
                let tw = text.width();
                if used > 0 && used + 1 + tw > w {
                    self.emit(std::mem::take(&mut line));
                    used = 0;
                }
                if used > 0 {
                    line.push(Span::raw(" "));
                    used += 1;
                }
                used += tw;
                line.push(Span::styled(text, chip));
            }
            self.emit(line);
        }
        if !n.aliases.is_empty() {
            let aliases: Vec<String> = n.aliases.iter().map(|a| sanitize::line(a).into()).collect();
            let segs = vec![
                Seg {
                    text: "aka ".into(),
                    style: pal.dim,
                    link: None,
                },
                Seg {
                    text: aliases.join(" · "),
                    style: pal.text.add_modifier(Modifier::ITALIC),
                    link: None,
                },
            ];
            self.emit_wrapped(&segs);
        }
        let rule = "─".repeat(self.width);
        self.lines.push(Line::styled(rule, pal.rule));
        self.gap = false;
    }

    fn body(&mut self, body: &str) {
        let (body, cut) = if body.len() > MAX_RENDER_BYTES {
            let mut end = MAX_RENDER_BYTES;
            while !body.is_char_boundary(end) {
                end -= 1;
            }
            (&body[..end], true)
        } else {
            (body, false)
        };
        let cleaned = strip_comments(body);
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
            | Options::ENABLE_WIKILINKS;
        let mut in_metadata = false;
        for event in Parser::new_ext(&cleaned, options) {
            match event {
                // Front matter never renders (the header shows it).
                Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
                Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
                _ if in_metadata => {}
                Event::Start(tag) => self.start(tag),
                Event::End(tag) => self.end(tag),
                Event::Text(t) => self.text(&t),
                Event::Code(t) => {
                    let style = self.pal().code;
                    self.push_seg(&t, style);
                }
                Event::InlineMath(t) | Event::DisplayMath(t) => {
                    let style = self.pal().code;
                    self.push_seg(&t, style);
                }
                // An HTML block comes line by line: gathered, then shown without its tags and
                // comments.
                Event::Html(t) if self.html.is_some() => {
                    if let Some(h) = &mut self.html {
                        h.push_str(&t);
                    }
                }
                Event::Html(t) | Event::InlineHtml(t) => {
                    let stripped = strip_tags(&t).replace('\n', " ");
                    if self.code.is_none() && !stripped.trim().is_empty() {
                        let style = self.current_style();
                        self.push_seg(&stripped, style);
                    }
                }
                Event::FootnoteReference(label) => {
                    let style = self.pal().link;
                    self.push_seg(&format!("[^{label}]"), style);
                }
                Event::SoftBreak => {
                    if self.maybe_callout && self.callout_break.is_none() {
                        self.callout_break = Some(self.inline.iter().map(|s| s.text.len()).sum());
                    }
                    let style = self.current_style();
                    self.push_seg(" ", style);
                }
                Event::HardBreak => {
                    let style = self.current_style();
                    self.push_seg("\n", style);
                }
                Event::Rule => {
                    self.flush_inline();
                    self.start_block();
                    let w = self.width.saturating_sub(self.prefix_width());
                    let rule = vec![Span::styled("─".repeat(w.max(1)), self.pal().rule)];
                    self.emit(rule);
                    self.gap = true;
                }
                Event::TaskListMarker(done) => {
                    if let Some(Container::Item { marker, .. }) = self.stack.last_mut() {
                        *marker = if done { "☑ " } else { "☐ " }.to_owned();
                    }
                }
            }
        }
        self.flush_inline();
        if cut {
            let notice = format!(
                "(the note is longer than {} MB; the rest is not shown)",
                MAX_RENDER_BYTES / (1024 * 1024)
            );
            let dim = self.pal().dim;
            self.lines.push(Line::styled(notice, dim));
        }
    }

    fn finish(mut self) -> Rendered {
        if !self.footnotes.is_empty() {
            let pal = *self.pal();
            self.lines.push(Line::raw(""));
            let w = self.width;
            self.lines
                .push(Line::styled("─".repeat(w.min(20)), pal.rule));
            let notes = std::mem::take(&mut self.footnotes);
            self.lines.extend(notes);
        }
        // A trailing blank line says nothing.
        while self.lines.last().is_some_and(|l| l.width() == 0) {
            self.lines.pop();
        }
        Rendered {
            lines: self.lines,
            headings: self.headings,
            links: self.links,
            failure: None,
        }
    }

    fn current_style(&self) -> Style {
        let mut s = self.pal().text;
        for st in &self.styles {
            s = s.patch(*st);
        }
        if self.highlight {
            s = s.patch(self.pal().highlight);
        }
        s
    }

    fn push_seg(&mut self, text: &str, style: Style) {
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
    fn text(&mut self, t: &str) {
        if self.code.is_some() {
            self.push_seg(t, Style::new());
            return;
        }
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

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => {
                // A footnote's first paragraph follows its label on the same line.
                if !std::mem::take(&mut self.footnote_label) {
                    self.flush_inline();
                    self.start_block();
                }
            }
            Tag::Heading { level, .. } => {
                self.flush_inline();
                self.start_block();
                let style = match level {
                    HeadingLevel::H1 => self.pal().h1,
                    HeadingLevel::H2 => self.pal().h2,
                    HeadingLevel::H3 => self.pal().h3,
                    _ => self.pal().h4,
                };
                self.styles.push(style);
            }
            Tag::BlockQuote(_) => {
                self.flush_inline();
                self.start_block();
                self.stack.push(Container::Quote);
                self.maybe_callout = true;
                self.callout_break = None;
            }
            Tag::CodeBlock(kind) => {
                self.flush_inline();
                self.start_block();
                let info = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((info, String::new()));
            }
            Tag::HtmlBlock => {
                self.flush_inline();
                self.start_block();
                self.html = Some(String::new());
            }
            Tag::List(first) => {
                self.flush_inline();
                // A list inside an item follows its text directly.
                if !matches!(self.stack.last(), Some(Container::Item { .. })) {
                    self.start_block();
                }
                self.stack.push(Container::List { next: first });
            }
            Tag::Item => {
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
            Tag::FootnoteDefinition(label) => {
                self.flush_inline();
                self.in_footnote += 1;
                self.stack.push(Container::Footnote);
                let style = self.pal().link;
                self.push_seg(&format!("[^{label}] "), style);
                self.footnote_label = true;
            }
            Tag::Table(aligns) => {
                self.flush_inline();
                self.start_block();
                self.table = Some(Table {
                    aligns,
                    rows: Vec::new(),
                    header_rows: 0,
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.inline.clear(),
            Tag::Emphasis => self
                .styles
                .push(Style::new().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.styles.push(Style::new().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self
                .styles
                .push(Style::new().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Superscript | Tag::Subscript => self.styles.push(Style::new()),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let (style, target) = self.link_target(link_type, &dest_url);
                self.targets.push(target);
                self.link = Some(self.targets.len() - 1);
                self.styles.push(style);
            }
            Tag::Image {
                link_type,
                dest_url,
                ..
            } => {
                let (style, target) = self.link_target(link_type, &dest_url);
                let label = if matches!(link_type, LinkType::WikiLink { .. }) {
                    "[embed: "
                } else {
                    "[image: "
                };
                self.targets.push(target);
                self.link = Some(self.targets.len() - 1);
                self.styles.push(style);
                let s = self.current_style();
                self.push_seg(label, s);
            }
            Tag::MetadataBlock(_) => {}
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                self.flush_inline();
                self.start_block();
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                if self.maybe_callout {
                    self.maybe_callout = false;
                    self.callout_header();
                }
                // A callout header that was the whole paragraph leaves no gap before the body.
                let header_only = self.inline.is_empty()
                    && matches!(self.stack.last(), Some(Container::Callout(_)));
                self.flush_inline();
                self.gap = !header_only;
            }
            TagEnd::Heading(level) => {
                self.styles.pop();
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
                    let rule = self.pal().h1;
                    self.emit(vec![Span::styled("═".repeat(w.max(1)), rule)]);
                }
                self.headings.push(Heading {
                    level: level as u8,
                    text: text.trim().to_owned(),
                    line,
                });
                self.gap = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush_inline();
                self.maybe_callout = false;
                if let Some(Container::Callout(kind)) = self.stack.last() {
                    let style = self.pal().callout(kind);
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
            TagEnd::CodeBlock => {
                if let Some((lang, code)) = self.code.take() {
                    self.code_block(&lang, &code);
                }
                self.gap = true;
            }
            TagEnd::HtmlBlock => {
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
            TagEnd::List(_) => {
                self.flush_inline();
                self.stack.pop();
                self.gap = true;
            }
            TagEnd::Item => {
                self.flush_inline();
                // An empty item still shows its marker.
                if let Some(Container::Item { shown: false, .. }) = self.stack.last() {
                    self.emit(Vec::new());
                }
                self.stack.pop();
                self.gap = false;
            }
            TagEnd::FootnoteDefinition => {
                self.flush_inline();
                self.stack.pop();
                self.in_footnote = self.in_footnote.saturating_sub(1);
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.table_block(t);
                }
                self.gap = true;
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header_rows = t.rows.len();
                }
            }
            TagEnd::TableRow => {}
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(cell);
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {
                self.styles.pop();
            }
            TagEnd::Link => {
                self.styles.pop();
                self.link = None;
            }
            TagEnd::Image => {
                let target = self.link.and_then(|i| self.targets.get(i)).cloned();
                let s = self.current_style();
                let tail = match target {
                    Some(LinkTarget::Url(u)) => format!("] ({u})"),
                    _ => "]".to_owned(),
                };
                self.push_seg(&tail, s);
                self.styles.pop();
                self.link = None;
            }
            TagEnd::MetadataBlock(_) => {}
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
                self.flush_inline();
                self.gap = true;
            }
        }
    }

    fn link_target(&self, link_type: LinkType, dest: &str) -> (Style, LinkTarget) {
        let pal = self.pal();
        if let LinkType::WikiLink { .. } = link_type {
            let (note, heading) = match dest.split_once('#') {
                Some((n, h)) => (n.to_owned(), Some(h.to_owned())),
                None => (dest.to_owned(), None),
            };
            // `[[#heading]]` points into this note.
            let resolved = note.is_empty() || (self.opts.resolves)(&note);
            let style = if resolved {
                pal.wikilink
            } else {
                pal.unresolved
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
            (pal.link, LinkTarget::Url(dest.to_owned()))
        }
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
        let style = self.pal().callout(&kind);
        let w = self
            .width
            .saturating_sub(self.prefix_width_without_last())
            .max(1);
        let head = format!("╭─ {} {} ", kind.icon, title);
        let fill = w.saturating_sub(head.width());
        let mut spans = vec![Span::styled(head, style)];
        if fill > 0 {
            spans.push(Span::styled("─".repeat(fill), style));
        }
        // The header replaces the quote's own bar on its line.
        let saved = self.stack.pop();
        self.emit(spans);
        if let Some(c) = saved {
            self.stack.push(c);
        }
        self.inline = body_segs;
    }

    fn code_block(&mut self, lang: &str, code: &str) {
        let pal = *self.pal();
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
        let fill = w.saturating_sub(top.width());
        self.emit(vec![
            Span::styled(top, pal.code_frame),
            Span::styled("─".repeat(fill), pal.code_frame),
        ]);
        let inner = w.saturating_sub(2).max(1);
        let text_style = if diagram { pal.text } else { pal.code };
        for l in code.lines() {
            let clean = sanitize::line(&expand_tabs(l)).into_owned();
            for part in crate::text::hard_wrap(&clean, inner) {
                self.emit(vec![
                    Span::styled("│ ", pal.code_frame),
                    Span::styled(part, text_style),
                ]);
            }
        }
        self.emit(vec![Span::styled(
            format!("╰{}", "─".repeat(w.saturating_sub(1))),
            pal.code_frame,
        )]);
    }

    fn table_block(&mut self, t: Table) {
        let pal = *self.pal();
        let cols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        if cols == 0 {
            return;
        }
        let plain = |cell: &[Seg]| -> String { cell.iter().map(|s| s.text.as_str()).collect() };
        let mut natural = vec![1usize; cols];
        for row in &t.rows {
            for (i, cell) in row.iter().enumerate() {
                natural[i] = natural[i].max(plain(cell).width());
            }
        }
        let avail = self.width.saturating_sub(self.prefix_width());
        let chrome = 3 * cols + 1;
        if avail < chrome + cols {
            // Too narrow for a grid: each row as `a · b · c`.
            for row in &t.rows {
                let mut segs = Vec::new();
                for (i, cell) in row.iter().enumerate() {
                    if i > 0 {
                        segs.push(Seg {
                            text: " · ".into(),
                            style: pal.dim,
                            link: None,
                        });
                    }
                    segs.extend(cell.iter().cloned());
                }
                self.emit_wrapped(&segs);
            }
            return;
        }
        let widths = fit_columns(&natural, avail - chrome);
        let border = |l: &str, m: &str, r: &str| -> String {
            let mut s = l.to_owned();
            for (i, w) in widths.iter().enumerate() {
                s.push_str(&"─".repeat(w + 2));
                s.push_str(if i + 1 == widths.len() { r } else { m });
            }
            s
        };
        self.emit(vec![Span::styled(border("┌", "┬", "┐"), pal.rule)]);
        for (r, row) in t.rows.iter().enumerate() {
            let header = r < t.header_rows;
            let cells: Vec<Vec<Vec<Seg>>> = (0..cols)
                .map(|i| {
                    let cell = row.get(i).map(Vec::as_slice).unwrap_or(&[]);
                    let cell: Vec<Seg> = cell
                        .iter()
                        .map(|s| Seg {
                            style: if header {
                                s.style.add_modifier(Modifier::BOLD)
                            } else {
                                s.style
                            },
                            ..s.clone()
                        })
                        .collect();
                    wrap_segs(&cell, widths[i])
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            for line in 0..height {
                let mut spans = vec![Span::styled("│", pal.rule)];
                let mut col = 1;
                let mut spots: Vec<(usize, usize, usize)> = Vec::new();
                for (i, cell) in cells.iter().enumerate() {
                    let segs = cell.get(line).map(Vec::as_slice).unwrap_or(&[]);
                    let used: usize = segs.iter().map(|s| s.text.width()).sum();
                    let free = widths[i].saturating_sub(used);
                    let (left, right) = match t.aligns.get(i) {
                        Some(Alignment::Right) => (free, 0),
                        Some(Alignment::Center) => (free / 2, free - free / 2),
                        _ => (0, free),
                    };
                    spans.push(Span::raw(" ".repeat(left + 1)));
                    col += left + 1;
                    for s in segs {
                        let w = s.text.width();
                        if let Some(l) = s.link {
                            spots.push((col, col + w, l));
                        }
                        col += w;
                        spans.push(Span::styled(s.text.clone(), s.style));
                    }
                    spans.push(Span::raw(" ".repeat(right + 1)));
                    spans.push(Span::styled("│", pal.rule));
                    col += right + 2;
                }
                self.emit_with_links(spans, spots);
            }
            if header && r + 1 == t.header_rows && t.rows.len() > t.header_rows {
                self.emit(vec![Span::styled(border("├", "┼", "┤"), pal.rule)]);
            }
        }
        self.emit(vec![Span::styled(border("└", "┴", "┘"), pal.rule)]);
    }

    /// Before a block: a blank line when one is due and the container has lines already.
    fn start_block(&mut self) {
        if self.gap && (!self.lines.is_empty() || self.in_footnote > 0) {
            self.emit(Vec::new());
        }
        self.gap = false;
    }

    fn flush_inline(&mut self) {
        // A highlight never runs past its block.
        self.highlight = false;
        if self.inline.is_empty() {
            return;
        }
        let segs = std::mem::take(&mut self.inline);
        // Hard breaks split the text into lines wrapped on their own.
        let mut part: Vec<Seg> = Vec::new();
        let mut parts = Vec::new();
        for s in segs {
            if s.text.contains('\n') {
                for (i, piece) in s.text.split('\n').enumerate() {
                    if i > 0 {
                        parts.push(std::mem::take(&mut part));
                    }
                    if !piece.is_empty() {
                        part.push(Seg {
                            text: piece.to_owned(),
                            ..s.clone()
                        });
                    }
                }
            } else {
                part.push(s);
            }
        }
        parts.push(part);
        for p in parts {
            self.emit_wrapped(&p);
        }
    }

    /// Wraps inline text to the width left after the prefixes and writes it.
    fn emit_wrapped(&mut self, segs: &[Seg]) {
        let w = self.width.saturating_sub(self.prefix_width()).max(1);
        for line in wrap_segs(segs, w) {
            let mut spans = Vec::with_capacity(line.len());
            let mut spots = Vec::new();
            let mut col = 0;
            for s in line {
                let sw = s.text.width();
                if let Some(l) = s.link {
                    spots.push((col, col + sw, l));
                }
                col += sw;
                spans.push(Span::styled(s.text, s.style));
            }
            self.emit_with_links(spans, spots);
        }
    }

    /// [`Renderer::emit`]s a line and records where its links landed (`spots`: display
    /// columns of the content, and the link).
    fn emit_with_links(&mut self, spans: Vec<Span<'static>>, spots: Vec<(usize, usize, usize)>) {
        if let Some((line, offset)) = self.emit(spans) {
            for (start, end, l) in spots {
                if let Some(target) = self.targets.get(l) {
                    self.links.push(LinkSpot {
                        line,
                        start: start + offset,
                        end: end + offset,
                        target: target.clone(),
                    });
                }
            }
        }
    }

    fn prefix_width(&self) -> usize {
        self.stack
            .iter()
            .take(MAX_INDENT_DEPTH)
            .map(Container::width)
            .sum::<usize>()
            .min(self.width.saturating_sub(1))
    }

    fn prefix_width_without_last(&self) -> usize {
        let n = self.stack.len().saturating_sub(1).min(MAX_INDENT_DEPTH);
        self.stack[..n]
            .iter()
            .map(Container::width)
            .sum::<usize>()
            .min(self.width.saturating_sub(1))
    }

    /// Writes one line under the current prefixes; returns its number and the prefix width
    /// (in footnotes, `None`: those lines are moved to the end).
    fn emit(&mut self, content: Vec<Span<'static>>) -> Option<(usize, usize)> {
        let pal = *self.pal();
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut used = 0;
        let limit = self.width.saturating_sub(1);
        for c in self.stack.iter_mut().take(MAX_INDENT_DEPTH) {
            let (text, style): (Cow<'static, str>, Style) = match c {
                Container::Quote => ("▎ ".into(), pal.quote),
                Container::Callout(kind) => ("│ ".into(), pal.callout(kind)),
                Container::Item { marker, shown } => {
                    if *shown {
                        (" ".repeat(marker.width()).into(), pal.text)
                    } else {
                        *shown = true;
                        (marker.clone().into(), pal.dim)
                    }
                }
                Container::List { .. } | Container::Footnote => continue,
            };
            let w = text.width();
            if used + w > limit {
                break;
            }
            used += w;
            spans.push(Span::styled(text, style));
        }
        spans.extend(content);
        // Nothing may pass the width (a prefix, a frame, a long word cut by wrap_segs).
        let line = clip_line(spans, self.width);
        if self.in_footnote > 0 {
            self.footnotes.push(line);
            return None;
        }
        self.lines.push(line);
        Some((self.lines.len() - 1, used))
    }
}

impl Container {
    fn width(&self) -> usize {
        match self {
            Container::Quote | Container::Callout(_) => 2,
            Container::Item { marker, .. } => marker.width(),
            Container::List { .. } | Container::Footnote => 0,
        }
    }
}

/// A line cut at `width` display columns (trailing blanks dropped).
fn clip_line(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let total: usize = spans.iter().map(|s| s.content.width()).sum();
    if total <= width {
        let mut line = Line::from(spans);
        trim_end(&mut line);
        return line;
    }
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let w = s.content.width();
        if used + w <= width {
            used += w;
            out.push(s);
            continue;
        }
        let mut cut = String::new();
        for g in s.content.graphemes(true) {
            let gw = g.width();
            if used + gw > width {
                break;
            }
            used += gw;
            cut.push_str(g);
        }
        out.push(Span::styled(cut, s.style));
        break;
    }
    let mut line = Line::from(out);
    trim_end(&mut line);
    line
}

fn trim_end(line: &mut Line<'static>) {
    while let Some(last) = line.spans.last_mut() {
        let trimmed = last.content.trim_end();
        if trimmed.is_empty() && last.style.bg.is_none() {
            line.spans.pop();
        } else {
            if trimmed.len() != last.content.len() && last.style.bg.is_none() {
                last.content = trimmed.to_owned().into();
            }
            break;
        }
    }
}

/// Splits styled text into lines of at most `width` columns: UAX #14 break opportunities (so
/// Korean breaks between syllables, English between words), a word longer than a line cut
/// between graphemes. Styles and links stay with their text.
fn wrap_segs(segs: &[Seg], width: usize) -> Vec<Vec<Seg>> {
    let plain: String = segs.iter().map(|s| s.text.as_str()).collect();
    if plain.is_empty() {
        return Vec::new();
    }
    let width = width.max(1);
    let opts = textwrap::Options::new(width)
        .break_words(false)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    let mut out = Vec::new();
    let base = plain.as_ptr() as usize;
    for line in textwrap::wrap(&plain, opts) {
        let start = (line.as_ptr() as usize).wrapping_sub(base);
        let in_place = matches!(line, Cow::Borrowed(_)) && start + line.len() <= plain.len();
        if !in_place {
            out.push(vec![Seg {
                text: line.into_owned(),
                style: segs.first().map_or(Style::new(), |s| s.style),
                link: None,
            }]);
            continue;
        }
        // A run still too wide (one long word, a URL) is cut between graphemes.
        let mut pieces = Vec::new();
        if line.width() > width {
            let mut piece_start = start;
            let mut col = 0;
            for (i, g) in line.grapheme_indices(true) {
                let gw = g.width();
                if col + gw > width && col > 0 {
                    pieces.push((piece_start, start + i));
                    piece_start = start + i;
                    col = 0;
                }
                col += gw;
            }
            pieces.push((piece_start, start + line.len()));
        } else {
            pieces.push((start, start + line.len()));
        }
        for (a, b) in pieces {
            out.push(slice_segs(segs, a, b));
        }
    }
    out
}

/// The segments covering bytes `[a, b)` of their concatenation.
fn slice_segs(segs: &[Seg], a: usize, b: usize) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut pos = 0;
    for s in segs {
        let (s0, s1) = (pos, pos + s.text.len());
        pos = s1;
        let (from, to) = (a.max(s0), b.min(s1));
        if from < to {
            out.push(Seg {
                text: s.text[from - s0..to - s0].to_owned(),
                style: s.style,
                link: s.link,
            });
        }
    }
    out
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

/// Column widths that fit `avail`: narrow columns keep their natural width, wide ones share
/// what is left equally (so no column is squeezed below what it needs while another has
/// room to spare).
fn fit_columns(natural: &[usize], avail: usize) -> Vec<usize> {
    let total: usize = natural.iter().sum();
    if total <= avail {
        return natural.to_vec();
    }
    let mut widths = vec![0; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = avail;
    loop {
        let share = (left / open.len().max(1)).max(1);
        let (fits, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| natural[i] <= share);
        if fits.is_empty() {
            let mut extra = left.saturating_sub(share * wide.len());
            for &i in &wide {
                widths[i] = share + usize::from(extra > 0);
                extra = extra.saturating_sub(1);
            }
            break;
        }
        for &i in &fits {
            widths[i] = natural[i];
            left = left.saturating_sub(natural[i]);
        }
        open = wide;
        if open.is_empty() {
            break;
        }
    }
    widths
}

fn expand_tabs(s: &str) -> String {
    s.replace('\t', "    ")
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
fn strip_comments(body: &str) -> Cow<'_, str> {
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

/// The lines as plain text (one per line, trailing blanks removed), for tests and `show`.
pub fn plain_text(lines: &[Line]) -> String {
    let mut out = String::new();
    for l in lines {
        for s in &l.spans {
            out.push_str(&s.content);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(md: &str, width: u16) -> String {
        let opts = RenderOptions {
            width,
            palette: Palette::new(false),
            resolves: &|t| t == "known",
            now: 0,
        };
        plain_text(&render(None, md, &opts).lines)
    }

    #[test]
    fn paragraphs_wrap_by_display_width() {
        let text = show("가나다라 마바사아 자차카타 파하", 10);
        for l in text.lines() {
            assert!(l.width() <= 10, "{l:?}");
        }
        assert_eq!(text.lines().count(), 4, "{text}");
        // One long word is cut between graphemes, never past the width.
        let long = show(&"한".repeat(30), 7);
        assert!(
            long.lines().all(|l| l.width() <= 7 && l.width() >= 6),
            "{long}"
        );
    }

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
    fn tables_measure_korean_in_columns() {
        let text = show(
            "| 이름 | value |\n|:--|--:|\n| 보안그룹 | 1 |\n| x | 22 |",
            40,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "┌──────────┬───────┐", "{text}");
        assert_eq!(lines[1], "│ 이름     │ value │");
        assert_eq!(lines[3], "│ 보안그룹 │     1 │");
        let widths: Vec<usize> = lines.iter().map(|l| l.width()).collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{text}");
        // Too wide: cells wrap inside their columns, and no line passes the width.
        let wide = show(
            &format!("| a | b |\n|--|--|\n| {} | {} |", "word ".repeat(20), "x"),
            30,
        );
        assert!(wide.lines().all(|l| l.width() <= 30), "{wide}");
        assert!(wide.lines().count() > 5, "{wide}");
    }

    #[test]
    fn obsidian_extras() {
        let text = show(
            "see [[known]] and [[missing|shown]] ==hot== %%hidden%% ![[pic.png]]",
            80,
        );
        assert!(text.contains("see known and shown hot"), "{text}");
        assert!(!text.contains("hidden") && !text.contains("%%"), "{text}");
        assert!(text.contains("[embed: pic.png]"), "{text}");
        let opts = RenderOptions {
            width: 80,
            palette: Palette::new(false),
            resolves: &|t| t == "known",
            now: 0,
        };
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

    #[test]
    fn footnotes_gather_at_the_end_and_html_loses_its_tags() {
        let text = show("text[^1] <b>bold</b>\n\n[^1]: the note\n\nafter", 40);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("text[^1] bold"), "{text}");
        assert!(lines.last().unwrap().contains("the note"), "{text}");
        assert!(text.find("after").unwrap() < text.find("the note").unwrap());
    }

    #[test]
    fn hostile_text_is_neutralised() {
        let text = show("a\u{1b}[2J b &#27; c \u{202e}d\u{9b}", 40);
        for bad in ['\u{1b}', '\u{202e}', '\u{9b}'] {
            assert!(!text.contains(bad), "{text:?}");
        }
        assert!(text.contains('␛'));
    }

    #[test]
    fn review_regressions() {
        // An unmatched `==` is text, and no highlight leaks into later blocks.
        let opts = RenderOptions {
            width: 60,
            palette: Palette::new(false),
            resolves: &|_| true,
            now: 0,
        };
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
        // Links in table cells are link spots, at their columns.
        let r = render(None, "| a | b |\n|--|--|\n| x | [[known]] |", &opts);
        assert_eq!(r.links.len(), 1);
        let line = plain_text(&r.lines[r.links[0].line..=r.links[0].line]);
        let col = UnicodeWidthStr::width(&line[..line.find("known").unwrap()]);
        assert_eq!((r.links[0].start, r.links[0].end), (col, col + 5), "{line}");
        // A callout whose body starts with a list has no blank line after its header.
        let text = show("> [!note] Title\n> - x", 30);
        assert_eq!(text.lines().nth(1), Some("│ • x"), "{text}");
        // HTML comments over several lines, and `>` in a quoted attribute.
        let text = show(
            "<!--\nsecret draft\n-->\n\n<span title=\"a > b\">x</span>",
            40,
        );
        assert!(!text.contains("secret") && !text.contains("b\""), "{text}");
        assert!(text.contains('x'), "{text}");
    }
}
