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
//!
//! This file holds the public face and the event loop; the renderer's work is split by
//! job: `blocks` (paragraphs, lists, quotes, callouts, headings, rules, footnotes), `lines`
//! (prefixes, wrapping, writing lines), `inline` (styled text, links, highlights, HTML),
//! `tables`, `code` (framed code and diagram blocks), `quiz` (quiz fences drawn as questions)
//! and `header` (the properties header).

mod blocks;
pub mod code;
pub mod diagrams;
mod header;
pub mod highlight;
mod inline;
mod lines;
mod pictures;
mod quiz;
mod tables;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::Line;

use crate::sanitize;
use crate::style::{Role, Styles};
use crate::text::{expand_tabs, hard_wrap};
use crate::vault::Note;

use blocks::Container;
pub use diagrams::{DiagramMode, DiagramSpot, DiagramView, Drawings};
use inline::{Seg, strip_comments};
use tables::Table;

/// Bodies longer than this are cut (with a notice): a 20 MB note still opens at once.
pub const MAX_RENDER_BYTES: usize = 2 * 1024 * 1024;

/// What a rendering is for.
pub struct RenderOptions<'a> {
    /// Columns available (at least 1).
    pub width: u16,
    /// The styles of the roles; with colour off only bold, italic, dim, underline, reverse and
    /// crossed-out remain (for `NO_COLOR` and for plain text output).
    pub styles: Styles,
    /// Whether a wikilink's note part (`[[target]]`, `[[target#h]]`) resolves to a note or an
    /// attachment; unresolved ones are dimmed.
    pub resolves: &'a dyn Fn(&str) -> bool,
    /// Now, in seconds since 1970, for the relative ages in the properties header.
    pub now: i64,
    /// How diagram blocks show: drawn in place or as their source (see [`diagrams`]).
    pub diagrams: DiagramView<'a>,
    /// Whether fenced code with a language is highlighted (when colour is on; see
    /// [`highlight`]), and within what budget.
    pub highlight: Option<highlight::Budget>,
    /// Where embedded pictures come from, when they are drawn (with colour on): the picture
    /// an embed's target (as `resolves` takes it) names, or `None` when it names none.
    pub pictures: Option<&'a Pictures<'a>>,
}

/// What finds an embed's picture: see [`RenderOptions::pictures`].
pub type Pictures<'a> = dyn Fn(&str) -> Option<Result<std::sync::Arc<crate::images::Picture>, crate::images::Refusal>>
    + 'a;

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
    /// `[[note#heading]]`, `![[embed]]` or a markdown link to a file of the vault
    /// (`[t](Note%20Name.md#Part)`): the note part (decoded, as the vault indexed it) and the
    /// heading.
    Wiki {
        note: String,
        heading: Option<String>,
        resolved: bool,
        /// Written as a markdown link or image.
        markdown: bool,
        /// The destination as written.
        source: String,
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
    /// The lines of code and diagram blocks wider than their frame, in line order: cut with
    /// `→` in `lines`, kept whole here so the pane scrolls each such block sideways as one
    /// ([`Rendered::shifted`]).
    pub wide: Vec<code::WideLine>,
    /// The diagram blocks, in line order: where each landed and how it shows.
    pub diagrams: Vec<DiagramSpot>,
    /// The pictures drawn in half blocks, in line order: where, for a terminal protocol to
    /// draw them over their lines.
    pub pictures: Vec<PictureSpot>,
    /// Set when the renderer failed and the lines are the plain text instead.
    pub failure: Option<String>,
}

/// A picture in the rendering: its half-block lines start at `line`, `col` columns in, and
/// take `cols`×`rows` cells.
#[derive(Clone)]
pub struct PictureSpot {
    pub line: usize,
    pub col: usize,
    pub cols: usize,
    pub rows: usize,
    pub picture: std::sync::Arc<crate::images::Picture>,
    /// The picture in the terminal's protocol, when it has one (the explorer encodes it).
    pub encoded: Option<std::sync::Arc<ratatui_image::protocol::Protocol>>,
}

impl std::fmt::Debug for PictureSpot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PictureSpot")
            .field("line", &self.line)
            .field("col", &self.col)
            .field("cols", &self.cols)
            .field("rows", &self.rows)
            .field("encoded", &self.encoded.is_some())
            .finish()
    }
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
            let why = sanitize::panic_message(panic.as_ref());
            let mut lines = vec![Line::styled(
                "(this note could not be rendered; shown as plain text)",
                opts.styles.get(Role::Dim),
            )];
            for l in body.lines().take(100_000) {
                for part in hard_wrap(&sanitize::line(&expand_tabs(l)), opts.width.max(1) as usize)
                {
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
/// are dimmed when the vault could not resolve them; diagram blocks show as `diagrams` says.
// The options a [`RenderOptions`] holds, besides `resolves`, which this builds from the vault.
#[allow(clippy::too_many_arguments)]
pub fn render_note(
    vault: &crate::vault::Vault,
    id: crate::vault::NoteId,
    body: &str,
    width: u16,
    styles: Styles,
    now: i64,
    diagrams: DiagramView,
    highlight: Option<highlight::Budget>,
    pictures: bool,
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
    // An embed's picture: the attachment the vault resolved its target to.
    let attachments: std::collections::HashMap<String, &str> = note
        .links
        .iter()
        .filter_map(|l| match &l.resolved {
            Resolved::Attachment(rel) if crate::images::is_picture(rel) => {
                Some((l.raw.target.trim().to_lowercase(), rel.as_str()))
            }
            _ => None,
        })
        .collect();
    let find = |target: &str| {
        let rel = attachments.get(&target.trim().to_lowercase())?;
        Some(crate::images::load(&vault.root, rel))
    };
    let opts = RenderOptions {
        width,
        styles,
        resolves: &resolves,
        now,
        diagrams,
        highlight,
        pictures: pictures.then_some(&find as &Pictures),
    };
    render(Some(note), body, &opts)
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

/// One rendering in progress. Its fields are shared by the job files (child modules see them);
/// each job adds its methods in an `impl Renderer` block of its own.
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
    inline_styles: Vec<Style>,
    link: Option<usize>,
    highlight: bool,
    /// Inside `<mark>…</mark>`: shown as a highlight.
    marked: bool,
    /// The text of the image or embed being read (its alt, or an embed's `|300` size), shown
    /// when it ends.
    image_text: Option<String>,
    /// A blockquote whose first paragraph may turn it into a callout.
    maybe_callout: bool,
    /// Where in that paragraph's text its first line ends.
    callout_break: Option<usize>,
    /// The space a soft line break just wrote (segment, byte): made a line break again when
    /// the next line is an option (`a) …`), so options keep their own lines.
    soft_break_at: Option<(usize, usize)>,
    code: Option<(String, String)>,
    table: Option<Table>,
    /// A blank line is due before the next block.
    gap: bool,
    /// Lines written inside footnote definitions, printed at the end.
    footnotes: Vec<Line<'static>>,
    /// Where each definition's lines start in `footnotes`, with its number: the list is
    /// printed in the numbers' order.
    footnote_starts: Vec<(usize, usize)>,
    /// Footnote numbers by label, in the order of the first references (as Obsidian numbers
    /// them); a definition never referenced takes the next.
    footnote_numbers: std::collections::HashMap<String, usize>,
    in_footnote: usize,
    /// A footnote label waits for the definition's first paragraph.
    footnote_label: bool,
    /// The text of the HTML block being read.
    html: Option<String>,
    /// Code lines wider than their frame (see [`Rendered::wide`]).
    wide: Vec<code::WideLine>,
    /// The body's diagrams, when the options bring none.
    own_drawings: Drawings,
    /// The first of the note's diagrams not met yet.
    next_diagram: usize,
    /// Diagram blocks written (see [`Rendered::diagrams`]).
    diagrams: Vec<DiagramSpot>,
    pictures: Vec<PictureSpot>,
    /// Captions finished when the whole note is rendered.
    pending: Vec<diagrams::Pending>,
    /// The note's code highlighting and what it has spent of its budget.
    highlighter: highlight::Highlighter,
    /// Pictures embedded in the block being read (target, size), drawn under it.
    pictures_due: Vec<(String, Option<crate::images::Size>)>,
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
            inline_styles: Vec::new(),
            link: None,
            highlight: false,
            marked: false,
            image_text: None,
            maybe_callout: false,
            callout_break: None,
            soft_break_at: None,
            code: None,
            table: None,
            gap: false,
            footnotes: Vec::new(),
            footnote_starts: Vec::new(),
            footnote_numbers: std::collections::HashMap::new(),
            in_footnote: 0,
            footnote_label: false,
            html: None,
            wide: Vec::new(),
            own_drawings: Drawings::default(),
            next_diagram: 0,
            diagrams: Vec::new(),
            pictures: Vec::new(),
            pending: Vec::new(),
            highlighter: highlight::Highlighter::new(opts.highlight.unwrap_or_default()),
            pictures_due: Vec::new(),
        }
    }

    /// The style of `role` in this rendering.
    fn style(&self, role: Role) -> Style {
        self.opts.styles.get(role)
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
        if self.opts.diagrams.drawings.is_none() && self.opts.diagrams.mode != DiagramMode::Source {
            self.own_drawings = Drawings::of_body(body, 0);
        }
        let cleaned = strip_comments(body);
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
            | Options::ENABLE_WIKILINKS
            // Math keeps its source: `\\` inside `$…$` is not a markdown escape.
            | Options::ENABLE_MATH;
        if cleaned.contains("[^") {
            self.number_footnotes(&cleaned, options);
        }
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
                    let style = self.style(Role::Code);
                    self.push_seg(&t, style);
                }
                // Math as written, with its dollars (the terminal cannot typeset it).
                Event::InlineMath(t) => {
                    let style = self.style(Role::Code);
                    self.push_seg(&format!("${t}$"), style);
                }
                Event::DisplayMath(t) => self.display_math(&t),
                // An HTML block comes line by line: gathered, then shown without its tags and
                // comments.
                Event::Html(t) if self.html.is_some() => {
                    if let Some(h) = &mut self.html {
                        h.push_str(&t);
                    }
                }
                Event::Html(t) | Event::InlineHtml(t) => self.inline_html(&t),
                Event::FootnoteReference(label) => {
                    let style = self.style(Role::Link);
                    let marker = self.footnote_marker(&label);
                    self.push_seg(&marker, style);
                }
                Event::SoftBreak => self.soft_break(),
                Event::HardBreak => {
                    let style = self.current_style();
                    self.push_seg("\n", style);
                }
                Event::Rule => self.rule(),
                Event::TaskListMarker(done) => self.task_marker(done),
            }
        }
        self.flush_inline();
        if cut {
            let notice = format!(
                "(the note is longer than {} MB; the rest is not shown)",
                MAX_RENDER_BYTES / (1024 * 1024)
            );
            let dim = self.style(Role::Dim);
            self.lines.push(Line::styled(notice, dim));
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => self.start_paragraph(),
            Tag::Heading { level, .. } => self.start_heading(level),
            Tag::BlockQuote(_) => self.start_quote(),
            Tag::CodeBlock(kind) => self.start_code(kind),
            Tag::HtmlBlock => self.start_html(),
            Tag::List(first) => self.start_list(first),
            Tag::Item => self.start_item(),
            Tag::FootnoteDefinition(label) => self.start_footnote(&label),
            Tag::Table(aligns) => self.start_table(aligns),
            Tag::TableHead | Tag::TableRow => self.start_row(),
            Tag::TableCell => self.inline.clear(),
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => self.start_emphasis(&tag),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => self.start_link(link_type, &dest_url),
            Tag::Image {
                link_type,
                dest_url,
                ..
            } => self.start_image(link_type, &dest_url),
            Tag::MetadataBlock(_) => {}
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                self.flush_inline();
                self.start_block();
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.end_paragraph(),
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::BlockQuote(_) => self.end_quote(),
            TagEnd::CodeBlock => self.end_code(),
            TagEnd::HtmlBlock => self.end_html(),
            TagEnd::List(_) => {
                self.flush_inline();
                self.stack.pop();
                self.gap = true;
            }
            TagEnd::Item => self.end_item(),
            TagEnd::FootnoteDefinition => {
                self.flush_inline();
                self.stack.pop();
                self.in_footnote = self.in_footnote.saturating_sub(1);
            }
            TagEnd::Table => self.end_table(),
            TagEnd::TableHead => self.end_table_head(),
            TagEnd::TableRow => {}
            TagEnd::TableCell => self.end_cell(),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {
                self.inline_styles.pop();
            }
            TagEnd::Link => {
                self.inline_styles.pop();
                self.link = None;
            }
            TagEnd::Image => self.end_image(),
            TagEnd::MetadataBlock(_) => {}
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
                self.flush_inline();
                self.gap = true;
            }
        }
    }

    fn finish(mut self) -> Rendered {
        self.settle_captions();
        if !self.footnotes.is_empty() {
            self.lines.push(Line::raw(""));
            let rule = self.style(Role::Rule);
            self.lines
                .push(Line::styled("─".repeat(self.width.min(20)), rule));
            let notes = self.footnotes_in_order();
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
            wide: self.wide,
            diagrams: self.diagrams,
            pictures: self.pictures,
            failure: None,
        }
    }
}

/// `md` as plain text at `width`, colour off, only `known` resolving: what the tests beside
/// each job read.
#[cfg(test)]
fn show(md: &str, width: u16) -> String {
    let opts = test_options(width, &|t| t == "known");
    plain_text(&render(None, md, &opts).lines)
}

/// Options for the tests: `width`, colour off, `resolves`, 1970 as now.
#[cfg(test)]
fn test_options<'a>(width: u16, resolves: &'a dyn Fn(&str) -> bool) -> RenderOptions<'a> {
    RenderOptions {
        width,
        styles: Styles::new(false),
        resolves,
        now: 0,
        diagrams: DiagramView::default(),
        highlight: Some(highlight::Budget::untimed()),
        pictures: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_neutralised() {
        let text = show("a\u{1b}[2J b &#27; c \u{202e}d\u{9b}", 40);
        for bad in ['\u{1b}', '\u{202e}', '\u{9b}'] {
            assert!(!text.contains(bad), "{text:?}");
        }
        assert!(text.contains('␛'));
    }
}
