//! The popups, each with its state, its keys' handling and its drawing: [`search`], [`help`],
//! [`problems`], [`picker`] (outline, backlinks, the notes about a diagram node), [`study`]
//! and [`progress`]. A popup takes every key while it is open and is drawn last, over `Clear`.

pub mod help;
pub mod picker;
pub mod problems;
pub mod progress;
pub mod search;
pub mod study;

use ratatui::layout::{Constraint, Rect};

use super::action::Action;
use super::keymap::Context;

/// The open popup.
#[derive(Debug)]
pub enum Popup {
    Search(Box<search::SearchPopup>),
    /// The key help, scrolled.
    Help(Scroll),
    /// The problems found in the vault, scrolled.
    Problems(Scroll),
    /// Study progress, counted by a worker when it opened (`None` until it is).
    Progress(Scroll, Option<Box<crate::study::Overview>>),
    /// The note's headings; the chosen one.
    Outline(usize),
    /// The notes linking to the note at `of`; the chosen one.
    Backlinks {
        of: String,
        cursor: usize,
    },
    /// Notes to choose from (a diagram node several notes fit, the hardest cards' notes), by
    /// path, under `title`; the chosen one.
    Choose {
        title: &'static str,
        paths: Vec<String>,
        cursor: usize,
    },
    /// The find line being typed (its state is the content pane's).
    Find,
    /// The map's components filter being typed (its state is the diagram pane's).
    MapFilter,
    /// The study session (its state is the app's, kept while the popup is closed).
    Study,
}

impl Popup {
    /// Where its keys are looked up.
    pub fn context(&self) -> Context {
        match self {
            Popup::Search(_) => Context::Search,
            Popup::Help(_) | Popup::Problems(_) | Popup::Progress(..) => Context::Overlay,
            Popup::Study => Context::Study,
            Popup::Outline(_) | Popup::Backlinks { .. } | Popup::Choose { .. } => Context::Picker,
            Popup::Find | Popup::MapFilter => Context::Find,
        }
    }
}

/// The scroll of an overlay that shows `lines` lines, `rows` at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub offset: usize,
}

impl Scroll {
    /// Applies a scrolling action; false for any other (which closes the overlay).
    pub fn on_action(&mut self, action: Action, lines: usize, rows: usize) -> bool {
        let max = lines.saturating_sub(rows);
        let page = rows.max(1);
        let o = &mut self.offset;
        match action {
            Action::Down => *o = (*o + 1).min(max),
            Action::Up => *o = o.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => *o = (*o + page).min(max),
            Action::PageUp | Action::HalfPageUp => *o = o.saturating_sub(page),
            Action::Top => *o = 0,
            Action::Bottom => *o = max,
            _ => return false,
        }
        true
    }

    pub fn clamp(&mut self, lines: usize, rows: usize) {
        self.offset = self.offset.min(lines.saturating_sub(rows));
    }
}

/// A popup area: a share of the screen, centred, at least a few cells where there is room.
pub fn popup_area(area: Rect, width_pct: u16, height_pct: u16) -> Rect {
    let share = |len: u16, pct: u16| (u32::from(len) * u32::from(pct) / 100) as u16;
    let w = share(area.width, width_pct).max(area.width.min(30));
    let h = share(area.height, height_pct).max(area.height.min(8));
    area.centered(Constraint::Length(w), Constraint::Length(h))
}

/// A moved picker cursor: one down or up, wrapping around `len` items.
pub fn wrap_step(i: usize, forward: bool, len: usize) -> usize {
    if len == 0 {
        0
    } else if forward {
        (i + 1) % len
    } else {
        (i + len - 1) % len
    }
}
