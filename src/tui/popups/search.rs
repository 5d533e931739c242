//! The search popup, in two modes (`Tab` / `Ctrl-T` switches): *names*, a query over titles,
//! aliases and file names, its ranked hits with the matched characters marked; and *text*, a
//! full-text query over the notes' text, its matching lines grouped by note, streamed in as
//! they are found ([`TextSearchJob`]; a changed query cancels the running one). Both take the
//! query language of [`crate::search::query`] (filters such as `tag:` apply to both). Typing only edits the query; the search runs
//! on a worker ([`SearchJob`]) and the hits come back as a message, so keys are answered at
//! once on any vault and keys typed together cost one search (the worker keeps only the
//! newest). Taking a hit before the newest answer came searches there and then, so Enter
//! always opens the best hit for what was typed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::super::msg::{Filtering, HitsDone, SearchJob, TextHitsDone, TextSearchJob};
use super::super::panes::Cx;
use super::popup_area;
use crate::catalog::Catalog;
use crate::sanitize;
use crate::search::text::{Place, TextHit, safe_with_ranges};
use crate::search::{Field, Hit};
use crate::style::{Role, Styles};
use crate::text::cut_spans;
use crate::vault::NoteId;

/// Most results kept for the popup.
const LIMIT: usize = 50;
/// Most notes a full-text search lists.
const TEXT_LIMIT: usize = 200;
/// Matching lines listed under a note (the rest are counted; `n` walks them all in the note).
const LINES_PER_NOTE: usize = 3;

/// What the popup searches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Titles, aliases and file names.
    #[default]
    Names,
    /// The notes' text.
    Text,
}

/// A row of the text mode's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    /// A note: `hits[i]`.
    Note(usize),
    /// Its `j`-th matching line.
    Line(usize, usize),
    /// How many more lines matched in note `i`.
    More(usize, usize),
}

/// The text mode's state.
#[derive(Debug, Default)]
struct TextState {
    hits: Vec<TextHit>,
    rows: Vec<Row>,
    /// Index into `rows` (a `Line` row, or a `Note` row of a note without lines).
    selected: usize,
    /// The hits are all there is (not streaming).
    done: bool,
    error: Option<String>,
    stale: bool,
    generation: u64,
    /// The search in flight: serial, query, generation, and its cancel flag.
    asked: Option<(u64, String, u64, Arc<AtomicBool>)>,
}

impl TextState {
    fn layout(&mut self) {
        self.rows.clear();
        for (i, h) in self.hits.iter().enumerate() {
            self.rows.push(Row::Note(i));
            for j in 0..h.lines.len().min(LINES_PER_NOTE) {
                self.rows.push(Row::Line(i, j));
            }
            if h.lines.len() > LINES_PER_NOTE {
                self.rows.push(Row::More(i, h.lines.len() - LINES_PER_NOTE));
            }
        }
    }

    fn selectable(&self, r: usize) -> bool {
        match self.rows.get(r) {
            Some(Row::Line(..)) => true,
            Some(Row::Note(i)) => self.hits[*i].lines.is_empty(),
            _ => false,
        }
    }

    /// The first selectable row at or after `from` (wrapping), if any.
    fn settle_selection(&mut self) {
        let n = self.rows.len();
        self.selected = (0..n)
            .map(|k| (self.selected + k) % n.max(1))
            .find(|&r| self.selectable(r))
            .unwrap_or(0);
    }

    fn step(&mut self, forward: bool) {
        let n = self.rows.len();
        for k in 1..=n {
            let r = if forward {
                (self.selected + k) % n
            } else {
                (self.selected + n * 2 - k) % n
            };
            if self.selectable(r) {
                self.selected = r;
                return;
            }
        }
    }

    fn cancel(&mut self) {
        if let Some((.., cancel)) = self.asked.take() {
            cancel.store(true, Ordering::Relaxed);
        }
    }
}

impl Drop for TextState {
    /// A popup closed mid-search stops its search.
    fn drop(&mut self) {
        self.cancel();
    }
}

/// The note, file line and matched text of the chosen text-mode row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChoice {
    pub note: NoteId,
    pub line: Option<usize>,
    /// The text the line's first match covers (what to find in the shown note); without a
    /// line, the first match in the note's title, aliases or tags.
    pub matched: Option<String>,
    /// Byte column of that match in the line (1-based).
    pub column: usize,
}

#[derive(Debug, Default)]
pub struct SearchPopup {
    mode: Mode,
    text: TextState,
    /// The notes' text is read (else text mode says it is being read).
    store_ready: bool,
    query: String,
    /// Why names mode cannot answer the query, if so (found when it is typed, not per frame:
    /// parsing compiles its patterns).
    names_hint: Option<&'static str>,
    hits: Vec<Hit>,
    selected: usize,
    /// The query or the catalog changed since `hits` were found.
    stale: bool,
    /// The catalog generation the hits' note ids belong to.
    generation: u64,
    /// The search in flight: its serial, and the query and generation it is for.
    asked: Option<(u64, String, u64)>,
}

/// What the names popup waits for before it can answer: the first notes (the vault shown
/// meanwhile is empty) or, after them, their names' index (the list shows before it is built).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    Reading,
    Indexing,
}

impl Waiting {
    /// What `catalog` still lacks for a names search, while a load is running or not.
    pub fn of(catalog: &Catalog, loading: bool) -> Option<Waiting> {
        if loading && catalog.vault.notes.is_empty() {
            Some(Waiting::Reading)
        } else if catalog.search().is_none() {
            Some(Waiting::Indexing)
        } else {
            None
        }
    }

    /// In the popup's title, where the count of hits goes.
    fn count(self) -> &'static str {
        match self {
            Waiting::Reading => "reading…",
            Waiting::Indexing => "indexing…",
        }
    }

    /// In the popup, where the hits go.
    fn says(self) -> &'static str {
        match self {
            Waiting::Reading => {
                "reading the notes… the hits for what is typed come when they are in"
            }
            Waiting::Indexing => {
                "indexing the notes' names… the hits for what is typed come when it is done"
            }
        }
    }

    /// In the status line, when Enter has nothing to open yet.
    pub fn on_enter(self) -> &'static str {
        match self {
            Waiting::Reading => "still reading the notes: Enter again in a moment",
            Waiting::Indexing => "still indexing the notes' names: Enter again in a moment",
        }
    }
}

impl SearchPopup {
    /// An empty query over the catalog of `generation` (nothing is listed until typing).
    pub fn new(generation: u64) -> SearchPopup {
        SearchPopup {
            generation,
            ..SearchPopup::default()
        }
    }

    pub fn edit(&mut self, edit: impl FnOnce(&mut String)) {
        edit(&mut self.query);
        self.names_hint = crate::search::query::Query::parse(&self.query, true)
            .ok()
            .and_then(|q| q.names_hint());
        self.stale = true;
        self.text.stale = true;
        // Typing cancels the running full-text search: its answer is for another query.
        self.text.cancel();
    }

    /// The hits must be found again (a new catalog).
    pub fn invalidate(&mut self) {
        self.stale = true;
        self.text.stale = true;
        self.text.cancel();
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Names → text → names.
    pub fn toggle_mode(&mut self) {
        self.mode = match self.mode {
            Mode::Names => Mode::Text,
            Mode::Text => Mode::Names,
        };
    }

    /// The full-text search job for the query, when its hits are out of date and it is not
    /// asked yet (and the notes' text is read).
    pub fn want_text(
        &mut self,
        catalog: &Catalog,
        filtering: impl FnOnce() -> Filtering,
    ) -> Option<TextSearchJob> {
        if self.mode != Mode::Text || !self.store_ready {
            return None;
        }
        let t = &mut self.text;
        let current = !t.stale && t.generation == catalog.generation;
        let asked = t
            .asked
            .as_ref()
            .is_some_and(|(_, q, g, _)| *q == self.query && *g == catalog.generation);
        if current || asked {
            return None;
        }
        t.cancel();
        let serial = super::super::msg::serial();
        let cancel = Arc::new(AtomicBool::new(false));
        t.asked = Some((
            serial,
            self.query.clone(),
            catalog.generation,
            Arc::clone(&cancel),
        ));
        Some(TextSearchJob {
            serial,
            generation: catalog.generation,
            query: self.query.clone(),
            limit: TEXT_LIMIT,
            filtering: filtering(),
            cancel,
        })
    }

    /// Takes full-text hits that answer the newest search asked (streamed or final).
    pub fn take_text(&mut self, done: TextHitsDone) {
        let t = &mut self.text;
        if t.asked.as_ref().is_none_or(|(s, ..)| *s != done.serial) {
            return;
        }
        let first = t.stale || t.generation != done.generation;
        t.hits = done.hits;
        t.error = done.error;
        t.generation = done.generation;
        t.done = done.done;
        t.stale = false;
        if done.done {
            t.asked = None;
        }
        t.layout();
        if first {
            t.selected = 0;
        }
        t.selected = t.selected.min(t.rows.len().saturating_sub(1));
        t.settle_selection();
    }

    /// Whether the query has this text (a filter that needs more than the notes).
    pub fn query_mentions(&self, what: &str) -> bool {
        self.query.contains(what)
    }

    /// Tells the popup whether the notes' text is read.
    pub fn set_store_ready(&mut self, ready: bool) {
        self.store_ready = ready;
    }

    /// The chosen text-mode row, in the catalog of `generation`.
    pub fn chosen_text(&self, generation: u64) -> Option<TextChoice> {
        let t = &self.text;
        if t.generation != generation {
            return None;
        }
        let (i, j) = match t.rows.get(t.selected)? {
            Row::Note(i) => (*i, None),
            Row::Line(i, j) => (*i, Some(*j)),
            Row::More(..) => return None,
        };
        let h = t.hits.get(i)?;
        // The note's row opens at its first line, as the first line's row does.
        let line = j.map_or(h.lines.first(), |j| h.lines.get(j));
        let first = |text: &str, ranges: &[(usize, usize)]| {
            let &(a, b) = ranges.first()?;
            text.get(a..b).map(str::to_owned)
        };
        Some(TextChoice {
            note: h.note,
            line: line.map(|l| l.line),
            // With no line (only its title, an alias or a tag matched), what matched there:
            // the note's header shows those.
            matched: match line {
                Some(l) => first(&l.text, &l.ranges),
                None => h.fields.iter().find_map(|f| first(&f.text, &f.ranges)),
            },
            column: line.map_or(1, |l| l.column),
        })
    }

    /// The search job for the query, when the hits are out of date and it is not asked yet.
    pub fn want(
        &mut self,
        catalog: &Catalog,
        filtering: impl FnOnce() -> Filtering,
    ) -> Option<SearchJob> {
        if self.mode != Mode::Names {
            return None;
        }
        // Asked again once the index is built (the loop hears of it).
        let index = catalog.search()?;
        let current = !self.stale && self.generation == catalog.generation;
        let asked = self
            .asked
            .as_ref()
            .is_some_and(|(_, q, g)| *q == self.query && *g == catalog.generation);
        if current || asked {
            return None;
        }
        let serial = super::super::msg::serial();
        self.asked = Some((serial, self.query.clone(), catalog.generation));
        Some(SearchJob {
            serial,
            generation: catalog.generation,
            index: std::sync::Arc::clone(index),
            query: self.query.clone(),
            limit: LIMIT,
            filtering: filtering(),
        })
    }

    /// Takes hits that answer the newest search asked.
    pub fn take(&mut self, done: HitsDone) {
        if self.asked.as_ref().is_some_and(|(s, ..)| *s == done.serial) {
            self.asked = None;
            self.hits = done.hits;
            self.generation = done.generation;
            self.selected = 0;
            self.stale = false;
        }
    }

    /// The search asked for failed (a bug): no hits, and no asking again until the query
    /// changes.
    pub fn fail(&mut self) {
        if let Some((_, _, generation)) = self.asked.take() {
            self.hits.clear();
            self.stale = false;
            self.generation = generation;
        }
    }

    /// Searches now when the hits are out of date (before taking one). Names mode only: a
    /// query with filters is answered by its worker.
    pub fn refresh_now(&mut self, catalog: &Catalog) {
        if self.mode == Mode::Names
            && (self.stale || self.asked.is_some() || self.generation != catalog.generation)
            && let Ok(q) = crate::search::query::Query::parse(&self.query, true)
            && q.filters.is_empty()
            && let Some(index) = catalog.search()
        {
            self.hits = index.search(&q.names_text, LIMIT);
            self.generation = catalog.generation;
            self.selected = 0;
            self.stale = false;
            self.asked = None;
        }
    }

    pub fn step(&mut self, forward: bool) {
        match self.mode {
            Mode::Names => {
                self.selected = super::wrap_step(self.selected, forward, self.hits.len());
            }
            Mode::Text => self.text.step(forward),
        }
    }

    /// The chosen hit's note, in the catalog of `generation`.
    pub fn chosen(&self, generation: u64) -> Option<NoteId> {
        (self.generation == generation)
            .then(|| self.hits.get(self.selected).map(|h| h.note))
            .flatten()
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, cx: &Cx) {
        if self.mode == Mode::Text {
            return self.render_text(frame, area, cx);
        }
        let popup = popup_area(area, 70, 60);
        frame.render_widget(Clear, popup);
        // Before the notes or their index are in, the popup says so (a count of 0 would say
        // nothing matched).
        let waiting = Waiting::of(cx.catalog, cx.loading);
        // Hits of another catalog name other notes: none are shown until they are found again.
        let hits: &[Hit] = if self.generation == cx.catalog.generation {
            &self.hits
        } else {
            &[]
        };
        // No hits yet for what is typed, and its answer on the way: not "0" either.
        let searching = hits.is_empty()
            && !self.query.trim().is_empty()
            && (self.stale || self.asked.is_some() || self.generation != cx.catalog.generation);
        let count = if let Some(w) = waiting {
            w.count().to_owned()
        } else if searching {
            "searching…".to_owned()
        } else {
            hits.len().to_string()
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(cx.style(Role::BorderFocused))
            .title(Line::styled(
                format!(" Search names · {count} "),
                cx.style(Role::Title),
            ))
            .title_bottom(mode_hint(cx, Mode::Names));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let [input, results] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        self.render_input(frame, input, cx);
        if let Some(w) = waiting {
            frame.render_widget(
                Paragraph::new(Span::styled(w.says(), cx.style(Role::Dim)))
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                results,
            );
            return;
        }
        // Only the results in view become items (the selection kept on the last row, as List
        // would keep it).
        let rows = results.height as usize;
        let offset = (self.selected + 1).saturating_sub(rows.max(1));
        let notes = &cx.catalog.vault.notes;
        let items: Vec<ListItem> = hits
            .iter()
            .skip(offset)
            .take(rows)
            .filter_map(|h| {
                let n = notes.get(h.note)?;
                let mut spans = Vec::new();
                let marked = marked_spans(&h.text, &h.positions, cx.styles);
                match h.field {
                    Field::Title => spans.extend(marked),
                    Field::Alias | Field::FileName => {
                        spans.push(Span::styled(
                            sanitize::line(&n.title).into_owned(),
                            cx.style(Role::Text),
                        ));
                        spans.push(Span::styled(
                            if h.field == Field::Alias {
                                "  ← alias "
                            } else {
                                "  ← file "
                            },
                            cx.style(Role::Dim),
                        ));
                        spans.extend(marked);
                    }
                }
                let tags: Vec<String> = n
                    .tags
                    .iter()
                    .take(3)
                    .map(|t| format!("#{}", sanitize::line(t)))
                    .collect();
                spans.push(Span::styled(
                    format!("  {}", tags.join(" ")),
                    cx.style(Role::Tag),
                ));
                Some(ListItem::new(cut_spans(spans, usize::from(results.width))))
            })
            .collect();
        if hits.is_empty()
            && let Some(hint) = self.names_hint
        {
            frame.render_widget(
                Paragraph::new(Span::styled(hint, cx.style(Role::Dim))),
                results,
            );
            return;
        }
        if searching {
            frame.render_widget(
                Paragraph::new(Span::styled("searching…", cx.style(Role::Dim))),
                results,
            );
            return;
        }
        let mut state =
            ListState::default().with_selected((!hits.is_empty()).then(|| self.selected - offset));
        frame.render_stateful_widget(
            List::new(items).highlight_style(cx.style(Role::Selected)),
            results,
            &mut state,
        );
    }
}

impl SearchPopup {
    /// The query line, with the cursor at its end (the query's end kept in view).
    fn render_input(&self, frame: &mut Frame, input: Rect, cx: &Cx) {
        let query = sanitize::line(&self.query).into_owned();
        let room = usize::from(input.width).saturating_sub(3);
        let shown = if crate::text::width(&query) > room {
            // The end is what is being typed: cut the start, with a sign.
            let mut tail: Vec<char> = Vec::new();
            let mut w = 1;
            for c in query.chars().rev() {
                let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if w + cw > room {
                    break;
                }
                w += cw;
                tail.push(c);
            }
            std::iter::once('…').chain(tail.into_iter().rev()).collect()
        } else {
            query
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("> ", cx.style(Role::Accent)),
                Span::raw(shown.clone()),
            ])),
            input,
        );
        let cursor_x = input
            .x
            .saturating_add(2)
            .saturating_add(crate::text::width(&shown) as u16);
        if cursor_x < input.right() {
            frame.set_cursor_position((cursor_x, input.y));
        }
    }

    fn render_text(&self, frame: &mut Frame, area: Rect, cx: &Cx) {
        let popup = popup_area(area, 80, 70);
        frame.render_widget(Clear, popup);
        let t = &self.text;
        let current = t.generation == cx.catalog.generation && !self.query.trim().is_empty();
        let lines: usize = t.hits.iter().map(|h| h.lines.len()).sum();
        let count = if !current {
            String::new()
        } else {
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            format!(
                " · {}, {}{}",
                plural(t.hits.len(), "note", "notes"),
                plural(lines, "line", "lines"),
                if t.done { "" } else { " …" }
            )
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(cx.style(Role::BorderFocused))
            .title(Line::styled(
                format!(" Search text{count} "),
                cx.style(Role::Title),
            ))
            .title_bottom(mode_hint(cx, Mode::Text));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let [input, results] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        self.render_input(frame, input, cx);
        let say = |frame: &mut Frame, text: &str, role| {
            frame.render_widget(
                Paragraph::new(Line::styled(text.to_owned(), cx.style(role)))
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                results,
            );
        };
        if self.query.trim().is_empty() {
            return say(
                frame,
                "words, \"a phrase\", /regex/, 초성 like ㅂㅇㄱㄹ; filters tag: path: has:diagram has:question due:today (? lists them)",
                Role::Dim,
            );
        }
        if let Some(e) = t.error.as_ref().filter(|_| current) {
            return say(frame, &sanitize::line(e), Role::Warn);
        }
        if !current {
            let what = if self.store_ready {
                "searching…"
            } else {
                "reading the notes' text…"
            };
            return say(frame, what, Role::Dim);
        }
        if t.hits.is_empty() {
            return say(
                frame,
                if t.done {
                    "no note matches"
                } else {
                    "searching…"
                },
                Role::Dim,
            );
        }
        let rows = usize::from(results.height);
        let offset = (t.selected + 1).saturating_sub(rows.max(1));
        // Keep a note's header above its first line when there is room.
        let offset = match t.rows.get(offset) {
            Some(Row::Line(_, 0)) if offset > 0 && t.selected > offset => offset - 1,
            _ => offset,
        };
        let width = usize::from(results.width);
        let notes = &cx.catalog.vault.notes;
        let items: Vec<ListItem> = t
            .rows
            .iter()
            .skip(offset)
            .take(rows)
            .filter_map(|row| {
                Some(ListItem::new(match *row {
                    Row::Note(i) => {
                        let h = t.hits.get(i)?;
                        let n = notes.get(h.note)?;
                        note_line(h, n, width, cx)
                    }
                    Row::Line(i, j) => {
                        let l = t.hits.get(i)?.lines.get(j)?;
                        match_line(l.line, &l.text, &l.ranges, l.place, width, cx)
                    }
                    Row::More(_, more) => Line::styled(
                        format!(
                            "        … {more} more {} in this note (n walks them all)",
                            if more == 1 { "line" } else { "lines" }
                        ),
                        cx.style(Role::Dim),
                    ),
                }))
            })
            .collect();
        let selected = (t.selectable(t.selected)).then(|| t.selected - offset);
        let mut state = ListState::default().with_selected(selected);
        frame.render_stateful_widget(
            List::new(items).highlight_style(cx.style(Role::Selected)),
            results,
            &mut state,
        );
    }
}

/// The popup's bottom line: the mode and the key that switches it, from the key table.
fn mode_hint(cx: &Cx, mode: Mode) -> Line<'static> {
    let keys: Vec<String> = crate::tui::keymap::with_keys()
        .filter(|(b, _)| b.action == crate::tui::action::Action::SearchMode)
        .map(|(_, k)| crate::tui::keymap::key_name(&k))
        .collect();
    let other = match mode {
        Mode::Names => "text",
        Mode::Text => "names",
    };
    Line::styled(
        format!(" {} {other} · Enter open ", keys.join("/")),
        cx.style(Role::Dim),
    )
}

/// A note's header row: its title (matched words marked when it matched), where it is and
/// how many lines matched.
fn note_line(h: &TextHit, n: &crate::vault::Note, width: usize, cx: &Cx) -> Line<'static> {
    let mut spans = Vec::new();
    match h.fields.iter().find(|f| f.place == Place::Title) {
        Some(f) => spans.extend(marked_byte_spans(
            &f.text,
            &f.ranges,
            cx.styles,
            Role::Title,
        )),
        None => spans.push(Span::styled(
            sanitize::line(&n.title).into_owned(),
            cx.style(Role::Title),
        )),
    }
    if let Some(f) = h.fields.iter().find(|f| f.place == Place::Alias) {
        spans.push(Span::styled("  ← alias ", cx.style(Role::Dim)));
        spans.extend(marked_byte_spans(&f.text, &f.ranges, cx.styles, Role::Text));
    }
    if let Some(f) = h.fields.iter().find(|f| f.place == Place::Tag) {
        spans.push(Span::styled("  #", cx.style(Role::Tag)));
        spans.extend(marked_byte_spans(&f.text, &f.ranges, cx.styles, Role::Tag));
    }
    spans.push(Span::styled(
        format!("  {}", sanitize::line(&n.path)),
        cx.style(Role::Dim),
    ));
    cut_spans(spans, width)
}

/// A matching line's row: its line number, and the line cut to the width around its first
/// match (`…` where cut), the matches marked.
fn match_line(
    line: usize,
    text: &str,
    ranges: &[(usize, usize)],
    place: Place,
    width: usize,
    cx: &Cx,
) -> Line<'static> {
    let (text, ranges) = safe_with_ranges(&crate::text::expand_tabs(text), ranges);
    let number = format!("  {line:>5}  ");
    let room = width.saturating_sub(crate::text::width(&number));
    let (from, to) = window(&text, ranges.first().copied(), room);
    let mut spans = vec![Span::styled(number, cx.style(Role::Dim))];
    if from > 0 {
        spans.push(Span::styled("…", cx.style(Role::Dim)));
    }
    let base = if place == Place::Heading {
        Role::H2
    } else {
        Role::Text
    };
    let clipped: Vec<(usize, usize)> = ranges
        .iter()
        .filter(|&&(a, b)| b > from && a < to)
        .map(|&(a, b)| (a.max(from) - from, b.min(to) - from))
        .collect();
    spans.extend(marked_byte_spans(
        &text[from..to],
        &clipped,
        cx.styles,
        base,
    ));
    if to < text.len() {
        spans.push(Span::styled("…", cx.style(Role::Dim)));
    }
    Line::from(spans)
}

/// The byte range of `text` to show in `room` columns: all of it when it fits; else from a
/// little before the first match (a third of the room), leaving a column for each `…`.
fn window(text: &str, first: Option<(usize, usize)>, room: usize) -> (usize, usize) {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    if crate::text::width(text) <= room {
        return (0, text.len());
    }
    let gs: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
    let at = first.map_or(0, |(a, _)| a);
    let first_g = gs.iter().position(|&(i, _)| i >= at).unwrap_or(0);
    // Back from the match by up to a third of the room.
    let mut start = first_g;
    let mut before = 0;
    while start > 0 && before + gs[start - 1].1.width() <= room / 3 {
        start -= 1;
        before += gs[start].1.width();
    }
    let lead = usize::from(start > 0);
    let mut used = lead;
    let mut end = start;
    while end < gs.len() {
        let w = gs[end].1.width();
        // Room for a trailing `…` unless this is the last grapheme.
        let tail = usize::from(end + 1 < gs.len());
        if used + w + tail > room {
            break;
        }
        used += w;
        end += 1;
    }
    // The end reached with room to spare: show more of the start instead.
    if end == gs.len() {
        while start > 0 {
            let w = gs[start - 1].1.width();
            let lead = usize::from(start > 1);
            // `used` counts a `…` for the current start already when it is not 0.
            let without = used - usize::from(start > 0);
            if without + w + lead > room {
                break;
            }
            start -= 1;
            used = without + w + lead;
        }
    }
    let from = gs.get(start).map_or(text.len(), |g| g.0);
    let to = gs.get(end).map_or(text.len(), |g| g.0);
    (from, to)
}

/// `text` (already safe) with the byte `ranges` marked, the rest in `base`.
fn marked_byte_spans(
    text: &str,
    ranges: &[(usize, usize)],
    styles: Styles,
    base: Role,
) -> Vec<Span<'static>> {
    let (text, ranges) = safe_with_ranges(text, ranges);
    let mut spans = Vec::new();
    let mut at = 0;
    for &(a, b) in &ranges {
        if a > at {
            spans.push(Span::styled(text[at..a].to_owned(), styles.get(base)));
        }
        spans.push(Span::styled(
            text[a..b].to_owned(),
            styles.get(Role::Matched),
        ));
        at = b;
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_owned(), styles.get(base)));
    }
    spans
}

/// `text` with the characters at `positions` (char indices) highlighted. A grapheme is
/// marked whole when any of its characters is, so a combining mark stays with its letter.
fn marked_spans(text: &str, positions: &[usize], styles: Styles) -> Vec<Span<'static>> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_marked = false;
    let mut char_index = 0;
    let mut flush = |run: &mut String, marked: bool| {
        if !run.is_empty() {
            let role = if marked { Role::Matched } else { Role::Text };
            spans.push(Span::styled(
                sanitize::line(run).into_owned(),
                styles.get(role),
            ));
            run.clear();
        }
    };
    for g in text.graphemes(true) {
        let chars = g.chars().count();
        let marked = (char_index..char_index + chars).any(|i| positions.contains(&i));
        char_index += chars;
        if marked != run_marked {
            flush(&mut run, run_marked);
        }
        run_marked = marked;
        run.push_str(g);
    }
    flush(&mut run, run_marked);
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_cut_around_its_match_by_display_width() {
        // Fits: whole.
        assert_eq!(window("보안 그룹", Some((0, 6)), 20), (0, 13));
        // The match near the end: as much of the start as fits, a column kept for the `…`.
        let text = "가나다라마바사아자차 HIPAA";
        let (from, to) = window(text, Some((31, 36)), 16);
        assert_eq!(to, text.len());
        // `…` + 4 syllables + " HIPAA" = 15: a fifth syllable (2 columns) would not fit.
        assert_eq!(crate::text::width(&text[from..to]) + 1, 15);
        // The match in the middle of a long line: cut both ends, the match shown.
        let long = format!("{}needle{}", "ㄱ".repeat(40), "b".repeat(40));
        let (from, to) = window(&long, Some((120, 126)), 30);
        assert!(from > 0 && to < long.len() && from <= 120 && to >= 126);
        assert!(crate::text::width(&long[from..to]) + 2 <= 30);
    }
}
