//! Drawing the whole screen: each pane and the open popup draw themselves from the state;
//! this puts them where the layout says.

use ratatui::Frame;

use super::App;
use crate::style::Styles;
use crate::tui::panes::{Cx, Pane};
use crate::tui::popups::{self, Popup};
use crate::tui::ui::{self, Status};

impl App {
    /// Draws the whole screen from the state.
    pub fn draw(&self, frame: &mut Frame, styles: Styles) {
        let area = frame.area();
        let cx = Cx {
            catalog: &self.catalog,
            styles,
            focus: self.focus,
            filter: &self.filter,
            loading: self.loading.is_some(),
            covered: self.popup.is_some(),
            keymap: &self.keymap,
        };
        let (panes, status) = ui::layout_with(area, self.zoom, self.focus, &self.layout);
        let note = self.note_diagrams();
        for (pane, rect) in panes {
            match pane {
                Pane::List => self.list.render(frame, rect, &cx),
                Pane::Content => self.content.render(frame, rect, &cx, self.selected_path()),
                Pane::Diagram => self.diagram.render(frame, rect, &cx, &note),
                Pane::Tags => self.tags.render(frame, rect, &cx),
            }
        }
        let find = match (&self.popup, self.content.find()) {
            (Some(Popup::Find), Some(f)) => Some((f.query.as_str(), f.matches.len())),
            (Some(Popup::MapFilter), _) => self.diagram.map_filter_state(),
            _ => None,
        };
        // A save that fails is said until one works, after what the last key had to say.
        let message = match (self.save_problem(), self.status.as_deref()) {
            (Some(p), Some(s)) => Some(format!("{s} · {p}")),
            (p, s) => p.or(s).map(str::to_owned),
        };
        ui::draw_status(
            frame,
            status,
            styles,
            &Status {
                context: self.context(),
                find,
                message: message.as_deref(),
                loading: self.loading,
                problems: self.problems_len(),
                keymap: &self.keymap,
            },
        );
        let overlay = self.overlay_area();
        match &self.popup {
            Some(Popup::Search(s)) => s.render(frame, area, &cx),
            Some(Popup::Help(s)) => popups::help::render(
                frame,
                overlay,
                styles,
                s.offset,
                (&self.keymap, &self.layout),
            ),
            Some(Popup::Problems(s)) => {
                popups::problems::render(frame, overlay, styles, &self.problems(), s.offset)
            }
            Some(Popup::Progress(s, o)) => {
                popups::progress::render(frame, overlay, styles, o.as_deref(), s.offset)
            }
            Some(Popup::Outline(i)) => {
                if let Some(c) = self.content.shown() {
                    popups::picker::render_outline(frame, area, styles, &c.rendered.headings, *i);
                }
            }
            Some(Popup::Backlinks { of, cursor }) => {
                let vault = &self.catalog.vault;
                if let Some(id) = self.catalog.note_at(of) {
                    let notes: Vec<_> = vault.backlinks[id]
                        .iter()
                        .filter_map(|&n| vault.notes.get(n))
                        .collect();
                    popups::picker::render_notes(
                        frame,
                        area,
                        styles,
                        "Linking here",
                        &notes,
                        *cursor,
                    );
                }
            }
            Some(Popup::Choose {
                title,
                paths,
                cursor,
            }) => {
                let vault = &self.catalog.vault;
                let notes: Vec<_> = paths
                    .iter()
                    .filter_map(|p| vault.notes.get(self.catalog.note_at(p)?))
                    .collect();
                popups::picker::render_notes(frame, area, styles, title, &notes, *cursor);
            }
            Some(Popup::Study) => {
                self.study
                    .render(frame, self.study_area(), &self.study_cx(styles));
            }
            Some(Popup::Find) | Some(Popup::MapFilter) | None => {}
        }
        ui::mend_split_wide_chars(frame.buffer_mut());
    }
}
