//! The content pane: the selected note rendered for the pane's width, its scroll, text found
//! in it (`f`, `n`/`N`) and the link chosen in it (`]`/`[`).
//!
//! The body is read and rendered by a worker ([`crate::tui::msg::ContentJob`]), asked for when
//! the selected note, the width or the catalog changes; until the answer comes the pane keeps
//! showing what it had. Results carry the serial of their request, so a late answer for a note
//! the user has already left is dropped.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::Paragraph;

use super::super::msg::{ContentDone, ContentJob};
use super::super::reader;
use super::{Cx, Pane, step};
use crate::catalog::Catalog;
use crate::markdown::{
    self, DiagramMode, DiagramSpot, DiagramView, Drawings, LinkTarget, Rendered,
};
use crate::sanitize;
use crate::style::{Role, Styles};
use crate::vault::{NoteId, Vault};

/// A note read and rendered for a width.
#[derive(Debug, Clone)]
pub struct Content {
    /// The request this answers.
    pub serial: u64,
    /// The request that read the body (the same, unless only the width changed since).
    pub read_serial: u64,
    pub path: String,
    pub generation: u64,
    pub width: u16,
    /// How its diagram blocks show.
    pub mode: DiagramMode,
    pub text: Arc<str>,
    /// The note's diagrams (the diagram pane's), with the drawings made of them so far.
    pub diagrams: Arc<Drawings>,
    pub rendered: Rendered,
}

/// Text being found in the note, and where it is.
#[derive(Debug, Clone, Default)]
pub struct FindState {
    pub query: String,
    pub matches: Vec<reader::Match>,
    pub current: Option<usize>,
    /// The rendering the matches were found in.
    for_serial: Option<u64>,
    /// A full-text search's match to go to once the note is rendered.
    target: Option<Target>,
    /// The note it finds in: another note opening ends it.
    path: Option<String>,
}

/// Where a full-text search found its match: the file's line and byte column, and the
/// file line the body starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Target {
    line: usize,
    column: usize,
    first_line: usize,
}

/// A request in flight: its serial and what it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Asked {
    serial: u64,
    path: String,
    generation: u64,
    width: u16,
    mode: DiagramMode,
}

/// What taking a rendering changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    /// Another note than the one shown before (scrolls start over, unless restored).
    pub new_note: bool,
    /// The body was read again (its diagrams may differ).
    pub read_again: bool,
}

#[derive(Debug, Default)]
pub struct ContentPane {
    shown: Option<Content>,
    /// First line shown.
    scroll: usize,
    /// Columns the wide code and diagram lines are scrolled sideways (`<` `>`).
    code_shift: usize,
    find: Option<FindState>,
    /// The link chosen, an index into the rendering's links.
    link_cursor: Option<usize>,
    /// A heading to show once the note being opened is rendered.
    pending_heading: Option<String>,
    asked: Option<Asked>,
    /// Diagram blocks drawn or as their source (`D`), for every note.
    mode: DiagramMode,
    /// Something the find has to say (for the status line).
    notice: Option<String>,
}

/// How the content is rendered, besides the width: colours, highlighting, the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    /// Colour and theme.
    pub styles: Styles,
    /// Fenced code with a language highlighted (with colour on), within this budget.
    pub highlight: Option<crate::markdown::highlight::Budget>,
    /// Embedded pictures drawn (with colour on).
    pub pictures: bool,
    /// The terminal's picture protocol, when it has one: the pictures are encoded for it too.
    pub graphics: Option<crate::tui::graphics::Graphics>,
    /// Now, for the ages in the header.
    pub now: i64,
}

/// Renders note `id` (its properties header and `body`) for a width, its diagram blocks as
/// `diagrams` says.
pub fn render(
    vault: &Vault,
    id: NoteId,
    body: &str,
    width: u16,
    look: Look,
    diagrams: DiagramView,
) -> Rendered {
    let mut rendered = markdown::render_note(
        vault,
        id,
        body,
        width.max(1),
        look.styles,
        look.now,
        diagrams,
        look.highlight,
        look.pictures,
    );
    if let Some(g) = &look.graphics {
        for spot in &mut rendered.pictures {
            spot.encoded = g.encode(&spot.picture, spot.cols, spot.rows).map(Arc::new);
        }
    }
    rendered
}

impl ContentPane {
    pub fn shown(&self) -> Option<&Content> {
        self.shown.as_ref()
    }

    /// The shown content, if it is the note at `path`.
    pub fn shown_for(&self, path: &str) -> Option<&Content> {
        self.shown.as_ref().filter(|c| c.path == path)
    }

    pub fn scroll(&self) -> usize {
        self.scroll
    }

    pub fn find(&self) -> Option<&FindState> {
        self.find.as_ref()
    }

    pub fn link_cursor(&self) -> Option<usize> {
        self.link_cursor
    }

    /// The shown note changed on disk (the editor saved it): read it again, at the same place.
    pub fn invalidate(&mut self) {
        if let Some(c) = &mut self.shown {
            // No catalog has generation 0: the rendering no longer counts as current.
            c.generation = 0;
        }
        self.asked = None;
    }

    /// Forgets the note (none is selected).
    pub fn clear(&mut self) {
        self.shown = None;
        self.asked = None;
    }

    /// The job to read and render note `id` of `catalog` for `width`, unless the pane shows
    /// that already or has asked for it. `read_again` asks even then (the file changed).
    pub fn want(
        &mut self,
        catalog: &Catalog,
        id: NoteId,
        width: u16,
        look: Look,
    ) -> Option<ContentJob> {
        let path = &catalog.vault.notes[id].path;
        let generation = catalog.generation;
        // Another note's rendering is never shown for this one, nor acted on (the outline,
        // links, find): it goes.
        if self.shown.as_ref().is_some_and(|c| c.path != *path) {
            self.shown = None;
            self.link_cursor = None;
        }
        // A find belongs to its note: `find -/0` in another note's title says nothing true.
        if self
            .find
            .as_ref()
            .is_some_and(|f| f.path.as_deref() != Some(path))
        {
            self.find = None;
        }
        let mode = self.mode;
        let current = |c: &Content| {
            c.path == *path && c.generation == generation && c.width == width && c.mode == mode
        };
        if self.shown.as_ref().is_some_and(current) {
            // Whatever is in flight is for something the user has left.
            self.asked = None;
            return None;
        }
        let asked = |a: &Asked| {
            a.path == *path && a.generation == generation && a.width == width && a.mode == mode
        };
        if self.asked.as_ref().is_some_and(asked) {
            return None;
        }
        let serial = super::super::msg::serial();
        // Only the width or the mode changed: render the body already read, from the
        // drawings already made.
        let read = self
            .shown
            .as_ref()
            .filter(|c| c.path == *path && c.generation == generation)
            .map(|c| (Arc::clone(&c.text), Arc::clone(&c.diagrams), c.read_serial));
        self.asked = Some(Asked {
            serial,
            path: path.clone(),
            generation,
            width,
            mode,
        });
        Some(ContentJob {
            serial,
            read_serial: read.as_ref().map_or(serial, |r| r.2),
            vault: Arc::clone(&catalog.vault),
            generation,
            note: id,
            width,
            look,
            mode,
            read: read.map(|(t, d, _)| (t, d)),
        })
    }

    /// The request in flight failed (a bug): its note shows what went wrong instead, so it is
    /// not asked for again and again.
    pub fn fail(&mut self, why: &str) {
        let Some(a) = self.asked.take() else { return };
        let new_note = self.shown.as_ref().is_none_or(|c| c.path != a.path);
        if new_note {
            self.scroll = 0;
            self.code_shift = 0;
            self.link_cursor = None;
        }
        self.shown = Some(Content {
            serial: a.serial,
            read_serial: a.serial,
            path: a.path,
            generation: a.generation,
            width: a.width,
            mode: a.mode,
            text: Arc::from(""),
            diagrams: Arc::default(),
            rendered: Rendered {
                lines: vec![Line::raw(format!("(this note could not be shown: {why})"))],
                ..Rendered::default()
            },
        });
    }

    /// Takes a finished rendering if it answers the request in flight.
    pub fn take(&mut self, done: ContentDone) -> Option<Taken> {
        let asked = self.asked.take_if(|a| a.serial == done.serial)?;
        let new_note = self.shown.as_ref().is_none_or(|c| c.path != done.path);
        let read_again = self
            .shown
            .as_ref()
            .is_none_or(|c| c.read_serial != done.read_serial);
        if new_note {
            self.scroll = 0;
            self.code_shift = 0;
        } else if let Some(old) = self.shown.as_ref().filter(|c| c.mode != done.mode) {
            // Drawings and sources take other heights: the view stays on what it showed.
            self.scroll = keep_place(&old.rendered.diagrams, &done.rendered.diagrams, self.scroll);
        }
        // The chosen link is an index into the links: another text has other links.
        if new_note || read_again {
            self.link_cursor = None;
        }
        self.shown = Some(Content {
            serial: done.serial,
            read_serial: done.read_serial,
            path: done.path,
            generation: asked.generation,
            width: done.width,
            mode: done.mode,
            text: done.text,
            diagrams: done.diagrams,
            rendered: done.rendered,
        });
        Some(Taken {
            new_note,
            read_again,
        })
    }

    /// Puts the view at `scroll` (a place kept over a reload).
    pub fn restore(&mut self, scroll: usize) {
        self.scroll = scroll;
    }

    /// Shows `heading` once the note being opened is rendered.
    pub fn show_heading(&mut self, heading: Option<String>) {
        self.pending_heading = heading;
    }

    /// After a rendering: shows a heading a link asked for, and finds the query again.
    /// Returns a message for the status bar.
    pub fn after_render(&mut self) -> Option<String> {
        let c = self.shown.as_ref()?;
        let mut status = None;
        if let Some(h) = self.pending_heading.take() {
            let want = h.trim().to_lowercase();
            match c
                .rendered
                .headings
                .iter()
                .find(|x| x.text.to_lowercase() == want)
            {
                Some(x) => self.scroll = x.line,
                None => status = Some(format!("no heading {:?} here", sanitize::line(&h))),
            }
        }
        self.refind();
        status
    }

    /// Finds the find line's text again when it or the rendering changed since; then goes to
    /// the full-text search's match it was opened for, if any.
    pub fn refind(&mut self) {
        if let (Some(f), Some(c)) = (&mut self.find, &self.shown)
            && f.for_serial != Some(c.serial)
        {
            f.matches = reader::find(&c.rendered.lines, &f.query);
            f.current = None;
            f.for_serial = Some(c.serial);
            // Kept until the user moves on: a rendering again (the drawings came, the pane's
            // width or the diagram mode changed) goes to the match again.
            if let Some(t) = f.target {
                let drawn = drawn_diagrams(c, t.first_line);
                let in_picture = |line: usize| drawn.iter().any(|d| d.shown.contains(&line));
                if let Some(d) = drawn.iter().find(|d| d.source.contains(&t.line)) {
                    // Its line is in a diagram's source, which shows as a picture: the view
                    // goes to the picture, on the match when a label shows it, and says how
                    // to see the line.
                    self.scroll = d.shown.start;
                    f.current = f.matches.iter().position(|m| d.shown.contains(&m.line));
                    self.notice = Some(format!(
                        "{:?} is in this diagram's source, drawn here: D shows the source",
                        sanitize::line(&f.query)
                    ));
                } else {
                    // Counted from the last match outside the pictures (the header before the
                    // body has matches too), as the body counts them.
                    let outside: Vec<usize> = (0..f.matches.len())
                        .filter(|&i| !in_picture(f.matches[i].line))
                        .collect();
                    let back = matches_after(&c.text, t, &f.query, &drawn);
                    if let Some(&i) = outside.get(outside.len().saturating_sub(back + 1)) {
                        f.current = Some(i);
                        // A few lines of context above the match.
                        self.scroll = f.matches[i].line.saturating_sub(3);
                    }
                }
            }
        }
    }

    /// What the find had to say since asked last (for the status line).
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// Finds `query` in note `path` (a new find: the one before ends) and goes to the match a
    /// full-text search found at file line `line`, byte column `column` (the body starting on
    /// file line `first_line`), when given; `n` / `N` walk the others.
    pub fn find_at(&mut self, path: &str, query: String, at: Option<(usize, usize, usize)>) {
        self.find = Some(FindState {
            query,
            target: at.map(|(line, column, first_line)| Target {
                line,
                column,
                first_line,
            }),
            path: Some(path.to_owned()),
            ..FindState::default()
        });
    }

    /// Keeps the scroll inside the text for a view of `rows` rows.
    pub fn clamp(&mut self, rows: usize) {
        let lines = self.shown.as_ref().map_or(0, |c| c.rendered.lines.len());
        self.scroll = self.scroll.min(lines.saturating_sub(rows.max(1)));
        let most = self.shown.as_ref().map_or(0, |c| c.rendered.max_shift());
        self.code_shift = self.code_shift.min(most);
    }

    /// Scrolls the code and diagram lines wider than the pane sideways, by `delta` columns
    /// (kept between the start and where the widest line's end shows).
    pub fn shift_code(&mut self, delta: isize) {
        let most = self.shown.as_ref().map_or(0, |c| c.rendered.max_shift());
        self.code_shift = step(self.code_shift, delta, most);
    }

    pub fn mode(&self) -> DiagramMode {
        self.mode
    }

    /// `D`: the note's diagram blocks as their sources when any is drawn, else drawn (all of
    /// them, the author's pictures too). The mode holds for the notes shown next, as a
    /// view's toggle does. Returns a message when the key changes nothing.
    pub fn toggle_diagrams(&mut self) -> Option<String> {
        let spots = self
            .shown
            .as_ref()
            .map_or(&[][..], |c| &c.rendered.diagrams[..]);
        if spots.is_empty() {
            return Some("no diagram in this note".to_owned());
        }
        let any_drawn = spots.iter().any(|d| d.drawn);
        let any_fits = spots.iter().any(|d| d.fits);
        self.mode = if any_drawn {
            DiagramMode::Source
        } else {
            DiagramMode::Drawn
        };
        (!any_drawn && !any_fits)
            .then(|| "no diagram here fits the pane: the diagram pane (3) draws them".to_owned())
    }

    pub fn code_shift(&self) -> usize {
        self.code_shift
    }

    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = step(self.scroll, delta, usize::MAX / 4);
    }

    /// Jumps to rendered line `line` (a heading of the outline).
    pub fn jump(&mut self, line: usize) {
        self.scroll = line;
    }

    /// The heading at the top of the view, for the outline to start on.
    pub fn heading_in_view(&self) -> usize {
        self.shown.as_ref().map_or(0, |c| {
            c.rendered
                .headings
                .iter()
                .rposition(|h| h.line <= self.scroll)
                .unwrap_or(0)
        })
    }

    pub fn open_find(&mut self) {
        self.find = Some(FindState {
            path: self.shown.as_ref().map(|c| c.path.clone()),
            ..FindState::default()
        });
    }

    /// Edits the find line; the matches are found again before the next frame.
    pub fn edit_find(&mut self, edit: impl FnOnce(&mut String)) {
        if let Some(f) = &mut self.find {
            edit(&mut f.query);
            f.for_serial = None;
            f.target = None;
        }
    }

    /// Closes the find line: keeps the matches, or forgets them all (`cancel`, or nothing
    /// typed).
    pub fn close_find(&mut self, cancel: bool) {
        if cancel || self.find.as_ref().is_some_and(|f| f.query.is_empty()) {
            self.find = None;
        }
    }

    /// The next (or previous) match, scrolled into a view of `rows`. Returns a message when
    /// there is none.
    pub fn step_match(&mut self, forward: bool, rows: usize) -> Option<String> {
        let top = self.scroll;
        let Some(f) = &mut self.find else {
            return Some("nothing to find: f opens the find line".to_owned());
        };
        f.target = None;
        let lines: Vec<usize> = f.matches.iter().map(|m| m.line).collect();
        f.current = reader::step(&lines, f.current, top, forward);
        match f.current.and_then(|i| f.matches.get(i)) {
            Some(m) => {
                self.scroll = reader::scroll_to(top, m.line, rows);
                None
            }
            None => Some(format!("no match for {:?}", sanitize::line(&f.query))),
        }
    }

    /// Chooses the next (or previous) link, scrolled into a view of `rows`.
    pub fn step_link(&mut self, forward: bool, rows: usize) -> Option<String> {
        let c = self.shown.as_ref()?;
        let lines: Vec<usize> = c.rendered.links.iter().map(|l| l.line).collect();
        self.link_cursor = reader::step(&lines, self.link_cursor, self.scroll, forward);
        match self.link_cursor.and_then(|i| lines.get(i)) {
            Some(&line) => {
                self.scroll = reader::scroll_to(self.scroll, line, rows);
                None
            }
            None => Some("no links in this note".to_owned()),
        }
    }

    /// Where the chosen link points.
    pub fn chosen_link(&self) -> Option<&LinkTarget> {
        let c = self.shown.as_ref()?;
        c.rendered.links.get(self.link_cursor?).map(|l| &l.target)
    }

    /// Draws the note at `path` (the selected one), or a placeholder.
    pub fn render(&self, frame: &mut Frame, area: Rect, cx: &Cx, path: Option<&str>) {
        // The note is rendered already (once per note and width); only the rows in view are
        // drawn, so a frame of a 20k-line note costs what a short one does.
        let rows = area.height.saturating_sub(2) as usize;
        let shown = path.and_then(|p| self.shown_for(p));
        let mut total = 0;
        let (title, body) = match (shown, path) {
            (Some(c), Some(path)) => {
                total = c.rendered.lines.len();
                let lines = self.lines_in_view(c, rows, cx.styles);
                let mut position = if total <= rows {
                    String::new()
                } else {
                    let last = (self.scroll + rows).min(total);
                    format!("· {}% ", last * 100 / total.max(1))
                };
                if let Some(f) = self.find.as_ref().filter(|f| !f.query.is_empty()) {
                    let at = f.current.map_or("-".to_owned(), |i| (i + 1).to_string());
                    position.push_str(&format!("· find {at}/{} ", f.matches.len()));
                }
                // The position and the find counter stay whole: the path gives way, cut
                // at its start (the file name is the part that tells notes apart).
                let room = (area.width as usize)
                    .saturating_sub(2 + " 2  ".len() + crate::text::width(&position));
                let path = crate::text::cut_front(&sanitize::line(path), room);
                (format!(" 2 {path} {position}"), lines)
            }
            (None, Some(path)) => (
                format!(" 2 {} ", sanitize::line(path)),
                vec![Line::styled("Reading the note…", cx.style(Role::Dim))],
            ),
            _ => (
                " 2 Content ".to_owned(),
                vec![Line::styled(
                    if cx.loading && cx.catalog.vault.notes.is_empty() {
                        "Reading the vault…"
                    } else {
                        "No note selected."
                    },
                    cx.style(Role::Dim),
                )],
            ),
        };
        let para = Paragraph::new(Text::from(body))
            .block(cx.block(Pane::Content, Line::styled(title, cx.style(Role::Title))));
        frame.render_widget(para, area);
        if let Some(c) = shown.filter(|_| !cx.covered) {
            self.render_pictures(frame, area, c, rows);
        }
        crate::tui::ui::scrollbar(
            frame,
            area,
            (total, rows, self.scroll),
            cx.style(Role::Border),
        );
    }

    /// Pictures in the terminal's protocol over their half-block lines, each wholly in view
    /// (one cut by the pane's edge stays in half blocks as it scrolls). Lines redrawn as text
    /// where a picture was clear it: the protocols draw in place of cells (kitty's
    /// placeholders; sixel and iTerm2 under cells ratatui skips), so none is left behind.
    fn render_pictures(&self, frame: &mut Frame, area: Rect, c: &Content, rows: usize) {
        // Inside the pane's border.
        let inner = area.inner(Margin::new(1, 1));
        for spot in &c.rendered.pictures {
            let Some(proto) = &spot.encoded else { continue };
            if spot.line < self.scroll || spot.line + spot.rows > self.scroll + rows {
                continue;
            }
            let size = proto.size();
            let (Ok(col), Ok(row)) = (
                u16::try_from(spot.col),
                u16::try_from(spot.line - self.scroll),
            ) else {
                continue;
            };
            let at = Rect {
                x: inner.x.saturating_add(col),
                y: inner.y.saturating_add(row),
                width: size.width,
                height: size.height,
            };
            if at.right() > inner.right() || at.bottom() > inner.bottom() {
                continue;
            }
            // The half blocks go first: the protocol's picture may be narrower (its aspect
            // at the terminal's real cell size), and nothing of them may show beside it.
            let whole = Rect {
                width: u16::try_from(spot.cols).unwrap_or(u16::MAX),
                height: u16::try_from(spot.rows).unwrap_or(u16::MAX),
                ..at
            }
            .intersection(inner);
            frame.render_widget(ratatui::widgets::Clear, whole);
            frame.render_widget(ratatui_image::Image::new(proto), at);
        }
    }

    /// The rows in view, with the find line's matches and the chosen link marked.
    fn lines_in_view(&self, c: &Content, rows: usize, styles: Styles) -> Vec<Line<'static>> {
        let mut marks: Vec<(usize, usize, usize, Style)> = Vec::new();
        if let Some(f) = &self.find {
            for (i, m) in f.matches.iter().enumerate() {
                let role = if f.current == Some(i) {
                    Role::Selected
                } else {
                    Role::Matched
                };
                marks.push((m.line, m.start, m.end, styles.get(role)));
            }
        }
        if let Some(l) = self.link_cursor.and_then(|i| c.rendered.links.get(i)) {
            marks.push((l.line, l.start, l.end, styles.get(Role::Selected)));
        }
        c.rendered
            .lines
            .iter()
            .enumerate()
            .skip(self.scroll)
            .take(rows)
            .map(|(n, line)| {
                let here: Vec<(usize, usize, Style)> = marks
                    .iter()
                    .filter(|m| m.0 == n)
                    .map(|m| (m.1, m.2, m.3))
                    .collect();
                let shifted = (self.code_shift > 0)
                    .then(|| c.rendered.shifted(n, self.code_shift))
                    .flatten();
                match shifted {
                    // Marks are in the columns of the line as rendered: not on a shifted one.
                    Some(l) => l,
                    None if here.is_empty() => line.clone(),
                    None => mark_columns(line, &here),
                }
            })
            .collect()
    }
}

/// The first line of a view at `scroll` over the rendering whose diagram blocks were `old`,
/// in the rendering whose blocks are `new` (the same blocks, drawn or not): inside a block it
/// stays in that block, after one it keeps its distance from the block's end.
fn keep_place(old: &[DiagramSpot], new: &[DiagramSpot], scroll: usize) -> usize {
    let Some((i, o)) = old.iter().enumerate().rfind(|(_, d)| d.start <= scroll) else {
        return scroll;
    };
    let Some(n) = new.get(i).filter(|_| old.len() == new.len()) else {
        return scroll;
    };
    if scroll < o.end {
        n.start + (scroll - o.start).min(n.end.saturating_sub(n.start + 1))
    } else {
        n.end + (scroll - o.end)
    }
}

/// `line` with the display columns of each `(start, end, style)` restyled (patched), split
/// between graphemes.
pub fn mark_columns(line: &Line<'static>, marks: &[(usize, usize, Style)]) -> Line<'static> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut col = 0;
    for span in &line.spans {
        let mut run = String::new();
        let mut run_style: Option<Style> = None;
        for g in span.content.graphemes(true) {
            let mark = marks.iter().find(|m| col >= m.0 && col < m.1).map(|m| m.2);
            let style = mark.map_or(span.style, |m| span.style.patch(m));
            if run_style.is_some_and(|s| s != style) {
                spans.push(Span::styled(
                    std::mem::take(&mut run),
                    run_style.unwrap_or_default(),
                ));
            }
            run_style = Some(style);
            run.push_str(g);
            col += crate::text::width(g);
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, run_style.unwrap_or(span.style)));
        }
    }
    Line::from(spans).style(line.style)
}

/// A diagram block of a shown note drawn as a picture.
struct Drawn {
    /// Its file lines, fences included.
    source: std::ops::RangeInclusive<usize>,
    /// The rendered lines of its picture.
    shown: std::ops::Range<usize>,
}

/// The diagram blocks of a shown note drawn as pictures (their source lines are not text on
/// the screen; the pictures show labels instead).
fn drawn_diagrams(c: &Content, first_line: usize) -> Vec<Drawn> {
    let mut out = Vec::new();
    let mut k = 0;
    for b in crate::vault::body::fenced_blocks(&c.text, first_line) {
        if crate::diagram::parse_block(&b).is_none() {
            continue;
        }
        if let Some(spot) = c
            .rendered
            .diagrams
            .iter()
            .find(|d| d.drawn && d.index == Some(k))
        {
            out.push(Drawn {
                source: b.line..=b.line + b.text.lines().count() + 1,
                shown: spot.start..spot.end,
            });
        }
        k += 1;
    }
    out
}

/// How many times `query` occurs (ignoring case as the find does) in `body` after the match at `t`, leaving out
/// the lines of `drawn` diagrams (not shown as text): the match's place counted from the last
/// of the matches the find line sees.
fn matches_after(body: &str, t: Target, query: &str, drawn: &[Drawn]) -> usize {
    // The find's own folding: its matches are what is counted.
    let fold = reader::fold_str;
    let needle = fold(query);
    if needle.is_empty() {
        return 0;
    }
    let mut count = 0usize;
    for (k, line) in body.lines().enumerate() {
        let n = t.first_line + k;
        if n < t.line || drawn.iter().any(|d| d.source.contains(&n)) {
            continue;
        }
        let from = if n == t.line {
            line.get(t.column.saturating_sub(1)..).unwrap_or("")
        } else {
            line
        };
        count += fold(from).matches(needle.as_str()).count();
    }
    count.saturating_sub(1)
}
