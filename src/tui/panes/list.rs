//! The note list: the notes passing the tag filter, in the chosen order, with the cursor.
//!
//! The visible list is derived from (catalog generation, filter revision, order) and made again
//! only when one of them changes; the catalog's precomputed orders make that a linear pass. The
//! selection is a position in the list; across a reload the app hands over the note to keep
//! (found again by path), never an old id.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{List, ListItem, ListState};

use super::{Cursor, Cx, Pane};
use crate::catalog::Catalog;
use crate::sanitize;
use crate::style::Role;
use crate::tags::{Combine, TagFilter};
use crate::vault::NoteId;
use crate::vault::order::Sort;

#[derive(Debug, Default)]
pub struct ListPane {
    sort: Sort,
    /// Notes passing the filter, in list order (ids of `made_for`'s generation).
    visible: Vec<NoteId>,
    /// The selection, an index into `visible`.
    cursor: Cursor,
    /// (generation, filter revision, order) `visible` was made for.
    made_for: Option<(u64, u64, Sort)>,
    /// The note to select when the list is next made for a new catalog.
    keep: Option<NoteId>,
}

impl ListPane {
    pub fn selected_note(&self) -> Option<NoteId> {
        self.visible.get(self.cursor.at).copied()
    }

    pub fn selected_index(&self) -> usize {
        self.cursor.at
    }

    pub fn visible(&self) -> &[NoteId] {
        &self.visible
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    pub fn cycle_sort(&mut self) {
        self.sort = self.sort.next();
    }

    /// The note to select once the list is made for a new catalog (found by path by the app).
    pub fn keep_on_reload(&mut self, note: Option<NoteId>) {
        self.keep = note;
        self.made_for = None;
    }

    /// Makes the list again when the catalog, the filter or the order changed, keeping the
    /// selected note selected when it is still visible.
    pub fn sync(&mut self, catalog: &Catalog, filter: &TagFilter, filter_rev: u64) {
        let key = (catalog.generation, filter_rev, self.sort);
        if self.made_for == Some(key) {
            return;
        }
        let keep = match self.made_for {
            Some((g, ..)) if g == catalog.generation => self.selected_note(),
            _ => self.keep.take(),
        };
        let order = catalog.orders.get(self.sort);
        self.visible = if filter.is_empty() {
            order.to_vec()
        } else {
            let notes = &catalog.vault.notes;
            order
                .iter()
                .copied()
                .filter(|&i| filter.matches(&notes[i]))
                .collect()
        };
        self.cursor.at = keep
            .and_then(|k| self.visible.iter().position(|&n| n == k))
            .unwrap_or(0);
        self.made_for = Some(key);
    }

    /// Selects `note` if it is in the list; says whether it is.
    pub fn select(&mut self, note: NoteId) -> bool {
        match self.visible.iter().position(|&n| n == note) {
            Some(i) => {
                self.cursor.at = i;
                true
            }
            None => false,
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        self.cursor.move_by(delta, self.visible.len());
    }

    /// A click on the `row`th row inside the pane, `rows` rows tall.
    pub fn click(&mut self, row: usize, rows: usize) {
        self.cursor.click(row, rows, self.visible.len());
    }

    /// Keeps the cursor in a view of `rows` rows.
    pub fn fit(&mut self, rows: usize) {
        self.cursor.fit(rows, self.visible.len());
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, cx: &Cx) {
        let notes = &cx.catalog.vault.notes;
        let mut title = vec![Span::styled(
            format!(" 1 Notes {}/{} ", self.visible.len(), notes.len()),
            cx.style(Role::Title),
        )];
        if !cx.filter.is_empty() {
            let join = if cx.filter.combine == Combine::All {
                " & "
            } else {
                " | "
            };
            let tags: Vec<String> = cx
                .filter
                .tags
                .iter()
                .map(|t| format!("#{}", sanitize::line(t)))
                .collect();
            title.push(Span::styled(
                format!("{} ", tags.join(join)),
                cx.style(Role::Tag),
            ));
        }
        title.push(Span::styled(
            format!("by {} ", self.sort.name()),
            cx.style(Role::Dim),
        ));
        // Only the rows in view become items: a frame costs the same with 19 notes or 100k.
        let rows = area.height.saturating_sub(2) as usize;
        let window = self
            .visible
            .get(self.cursor.offset..)
            .unwrap_or_default()
            .iter()
            .take(rows);
        let items: Vec<ListItem> = window
            .map(|&id| {
                let n = &notes[id];
                let folder = n.path.rsplit_once('/').map_or("", |(dir, _)| dir);
                let second = if folder.is_empty() {
                    n.tags.first().map(|t| format!("#{t}")).unwrap_or_default()
                } else {
                    format!("{folder}/")
                };
                // A row wider than the pane ends in `…`.
                ListItem::new(crate::text::cut_spans(
                    vec![
                        Span::styled(sanitize::line(&n.title).into_owned(), cx.style(Role::Text)),
                        Span::raw("  "),
                        Span::styled(sanitize::line(&second).into_owned(), cx.style(Role::Dim)),
                    ],
                    usize::from(area.width.saturating_sub(2)),
                ))
            })
            .collect();
        // A title wider than the pane (the tags, the sort) ends in `…`, never mid-word unmarked.
        let title = crate::text::cut_spans(title, usize::from(area.width.saturating_sub(2)));
        let list = List::new(items)
            .block(cx.block(Pane::List, title))
            .highlight_style(cx.style(Role::Selected));
        let mut state = ListState::default().with_selected(
            (!self.visible.is_empty()).then(|| self.cursor.at.saturating_sub(self.cursor.offset)),
        );
        frame.render_stateful_widget(list, area, &mut state);
    }
}
