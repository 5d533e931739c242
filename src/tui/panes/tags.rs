//! The tag pane: the tag tree as rows (collapsed until the user expands a tag), a cursor, and
//! the selection that makes the tag filter. The rows are derived from (catalog generation,
//! expanded tags) and made again only when those change; the expanded tags are kept by path, so
//! they survive a reload.

use std::collections::HashSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use super::{Cursor, Cx, Pane};
use crate::catalog::Catalog;
use crate::sanitize;
use crate::style::Role;
use crate::tags::{Combine, TagRow};
use crate::vault::same_tag;

#[derive(Debug, Default)]
pub struct TagsPane {
    rows: Vec<TagRow>,
    cursor: Cursor,
    /// Paths of the tags the user expanded (as the tree spells them).
    expanded: HashSet<String>,
    /// (generation, expanded revision) `rows` were made for.
    made_for: Option<(u64, u64)>,
    expanded_rev: u64,
}

impl TagsPane {
    pub fn rows(&self) -> &[TagRow] {
        &self.rows
    }

    /// The tag under the cursor.
    pub fn current(&self) -> Option<&TagRow> {
        self.rows.get(self.cursor.at)
    }

    /// Makes the rows again when the catalog or the expanded tags changed.
    pub fn sync(&mut self, catalog: &Catalog) {
        let key = (catalog.generation, self.expanded_rev);
        if self.made_for == Some(key) {
            return;
        }
        self.rows = catalog.tags.rows(&self.expanded);
        self.cursor.at = self.cursor.at.min(self.rows.len().saturating_sub(1));
        self.made_for = Some(key);
    }

    /// Expands or collapses the tag under the cursor, when it has children.
    pub fn toggle_expand(&mut self) {
        if let Some(row) = self.current().filter(|r| r.has_children) {
            let key = row.path.clone();
            if !self.expanded.remove(&key) {
                self.expanded.insert(key);
            }
            self.expanded_rev += 1;
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        self.cursor.move_by(delta, self.rows.len());
    }

    pub fn click(&mut self, row: usize, rows: usize) {
        self.cursor.click(row, rows, self.rows.len());
    }

    pub fn fit(&mut self, rows: usize) {
        self.cursor.fit(rows, self.rows.len());
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, cx: &Cx) {
        let mode = if cx.filter.combine == Combine::All {
            "all"
        } else {
            "any"
        };
        let title = format!(" 4 Tags ({} selected, {mode}) ", cx.filter.tags.len());
        let rows = area.height.saturating_sub(2) as usize;
        let items: Vec<ListItem> = self
            .rows
            .iter()
            .skip(self.cursor.offset)
            .take(rows)
            .map(|r| {
                let chosen = cx.filter.tags.iter().any(|t| same_tag(t, &r.path));
                let marker = if !r.has_children {
                    "  "
                } else if !self.expanded.contains(&r.path) {
                    "▸ "
                } else {
                    "▾ "
                };
                ListItem::new(Line::from(vec![
                    Span::raw("  ".repeat(r.depth)),
                    Span::styled(marker, cx.style(Role::Dim)),
                    Span::styled(
                        if chosen { "[x] " } else { "[ ] " },
                        cx.style(if chosen { Role::Accent } else { Role::Dim }),
                    ),
                    Span::styled(sanitize::line(&r.name).into_owned(), cx.style(Role::Tag)),
                    Span::styled(format!(" {}", r.count), cx.style(Role::Dim)),
                ]))
            })
            .collect();
        let list = List::new(items)
            .block(cx.block(Pane::Tags, Line::styled(title, cx.style(Role::Title))))
            .highlight_style(if cx.focus == Pane::Tags {
                cx.style(Role::Selected)
            } else {
                Style::new()
            });
        let mut state = ListState::default().with_selected(
            (!self.rows.is_empty()).then(|| self.cursor.at.saturating_sub(self.cursor.offset)),
        );
        frame.render_stateful_widget(list, area, &mut state);
    }
}
