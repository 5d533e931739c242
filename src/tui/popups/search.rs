//! The search popup: a query over titles, aliases and file names, its ranked hits with the
//! matched characters marked, and the chosen one. Typing only edits the query; the search runs
//! on a worker ([`SearchJob`]) and the hits come back as a message, so keys are answered at
//! once on any vault and keys typed together cost one search (the worker keeps only the
//! newest). Taking a hit before the newest answer came searches there and then, so Enter
//! always opens the best hit for what was typed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use super::super::msg::{HitsDone, SearchJob};
use super::super::panes::Cx;
use super::popup_area;
use crate::catalog::Catalog;
use crate::sanitize;
use crate::search::{Field, Hit};
use crate::style::{Role, Styles};
use crate::vault::NoteId;

/// Most results kept for the popup.
const LIMIT: usize = 50;

#[derive(Debug, Default)]
pub struct SearchPopup {
    query: String,
    hits: Vec<Hit>,
    selected: usize,
    /// The query or the catalog changed since `hits` were found.
    stale: bool,
    /// The catalog generation the hits' note ids belong to.
    generation: u64,
    /// The search in flight: its serial, and the query and generation it is for.
    asked: Option<(u64, String, u64)>,
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
        self.stale = true;
    }

    /// The hits must be found again (a new catalog).
    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    /// The search job for the query, when the hits are out of date and it is not asked yet.
    pub fn want(&mut self, catalog: &Catalog) -> Option<SearchJob> {
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
            index: std::sync::Arc::clone(&catalog.search),
            query: self.query.clone(),
            limit: LIMIT,
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

    /// Searches now when the hits are out of date (before taking one).
    pub fn refresh_now(&mut self, catalog: &Catalog) {
        if self.stale || self.asked.is_some() || self.generation != catalog.generation {
            self.hits = catalog.search.search(&self.query, LIMIT);
            self.generation = catalog.generation;
            self.selected = 0;
            self.stale = false;
            self.asked = None;
        }
    }

    pub fn step(&mut self, forward: bool) {
        self.selected = super::wrap_step(self.selected, forward, self.hits.len());
    }

    /// The chosen hit's note, in the catalog of `generation`.
    pub fn chosen(&self, generation: u64) -> Option<NoteId> {
        (self.generation == generation)
            .then(|| self.hits.get(self.selected).map(|h| h.note))
            .flatten()
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, cx: &Cx) {
        let popup = popup_area(area, 70, 60);
        frame.render_widget(Clear, popup);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(cx.style(Role::BorderFocused))
            .title(Line::styled(
                format!(" Search titles and aliases · {} ", self.hits.len()),
                cx.style(Role::Title),
            ));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let [input, results] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        let query = sanitize::line(&self.query).into_owned();
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("> ", cx.style(Role::Accent)),
                Span::raw(query.clone()),
            ])),
            input,
        );
        let cursor_x = input
            .x
            .saturating_add(2)
            .saturating_add(crate::text::width(&query) as u16);
        if cursor_x < input.right() {
            frame.set_cursor_position((cursor_x, input.y));
        }
        // Hits of another catalog name other notes: none are shown until they are found again.
        let hits: &[Hit] = if self.generation == cx.catalog.generation {
            &self.hits
        } else {
            &[]
        };
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
                Some(ListItem::new(Line::from(spans)))
            })
            .collect();
        let mut state =
            ListState::default().with_selected((!hits.is_empty()).then(|| self.selected - offset));
        frame.render_stateful_widget(
            List::new(items).highlight_style(cx.style(Role::Selected)),
            results,
            &mut state,
        );
    }
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
