//! The four panes, each with its state, its handling of keys and its drawing in one file:
//! [`list`], [`content`], [`diagram`], [`tags`]. A pane never reaches into another; the app
//! routes between them and hands each what it needs to draw ([`Cx`]).

pub mod content;
pub mod diagram;
pub mod list;
pub mod map;
pub mod tags;

use ratatui::text::Line;
use ratatui::widgets::{Block, Borders};

use crate::catalog::Catalog;
use crate::style::{Role, Styles};
use crate::tags::TagFilter;

/// The panes, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    List,
    Content,
    Diagram,
    Tags,
}

impl Pane {
    const ORDER: [Pane; 4] = [Pane::List, Pane::Content, Pane::Diagram, Pane::Tags];

    /// The pane `by` steps after this one in focus order, wrapping around.
    pub fn step(self, by: isize) -> Pane {
        let i = Pane::ORDER.iter().position(|&p| p == self).unwrap_or(0) as isize;
        Pane::ORDER[(i + by).rem_euclid(4) as usize]
    }

    /// The first pane `by` steps on (and on again) for which `shown` holds; this one when
    /// none does.
    pub fn step_within(self, by: isize, shown: impl Fn(Pane) -> bool) -> Pane {
        (1..=4)
            .map(|n| self.step(by * n))
            .find(|&p| shown(p))
            .unwrap_or(self)
    }
}

/// What every pane's drawing may read besides its own state.
pub struct Cx<'a> {
    pub catalog: &'a Catalog,
    pub styles: Styles,
    pub focus: Pane,
    pub filter: &'a TagFilter,
    /// A load is running (the panes say so while the vault is still empty).
    pub loading: bool,
    /// A popup is drawn over the panes: pictures in a terminal protocol are not drawn under
    /// it (a sixel would show through), their half blocks are.
    pub covered: bool,
    /// The keys in force, for a hint that names one.
    pub keymap: &'a crate::tui::keymap::Keymap,
}

impl Cx<'_> {
    pub fn style(&self, role: Role) -> ratatui::style::Style {
        self.styles.get(role)
    }

    /// A pane's frame, its border lit when it has the focus.
    pub fn block<'l>(&self, pane: Pane, title: Line<'l>) -> Block<'l> {
        let role = if self.focus == pane {
            Role::BorderFocused
        } else {
            Role::Border
        };
        Block::default()
            .borders(Borders::ALL)
            .border_style(self.style(role))
            .title(title)
    }
}

/// A position moved by `delta` and kept on `0..=last`.
pub fn step(pos: usize, delta: isize, last: usize) -> usize {
    (pos as isize).saturating_add(delta).clamp(0, last as isize) as usize
}

/// The cursor of a list pane and the first row it shows, kept across frames so the view
/// moves only when the cursor would leave it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub at: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves by `delta` rows, stopping at the ends of a list of `len`.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        self.at = step(self.at, delta, len.saturating_sub(1));
    }

    /// A click on the `row`th row inside a pane `rows` tall: the row under it, if any.
    pub fn click(&mut self, row: usize, rows: usize, len: usize) {
        if row < rows && self.offset + row < len {
            self.at = self.offset + row;
        }
    }

    /// Keeps the cursor in a view of `rows` rows of a list of `len`.
    pub fn fit(&mut self, rows: usize, len: usize) {
        let rows = rows.max(1);
        let offset = self.offset.min(len.saturating_sub(rows));
        self.offset = if self.at < offset {
            self.at
        } else if self.at >= offset + rows {
            self.at + 1 - rows
        } else {
            offset
        };
    }
}
