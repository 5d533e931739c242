//! Moving between notes (visits with their history, links, diagram nodes) and the mouse.

use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use super::App;
use crate::markdown::LinkTarget;
use crate::sanitize;
use crate::tui::panes::Pane;
use crate::tui::panes::diagram::MapEnter;
use crate::tui::popups::Popup;
use crate::tui::ui;
use crate::vault::{NoteId, Resolved as LinkResolved};

impl App {
    /// Opens `note` as a visit: the note shown now goes on the back history.
    pub(super) fn visit(&mut self, note: NoteId, heading: Option<String>) {
        if let Some(cur) = self.selected_note()
            && cur != note
        {
            let path = self.catalog.vault.notes[cur].path.clone();
            self.history.back.push(path);
            self.history.forward.clear();
        }
        self.open_note(note);
        self.content.show_heading(heading);
        // The note is shown already (a link to a heading of its own): go there now; else when
        // its rendering arrives.
        let path = &self.catalog.vault.notes[note].path;
        if self.content.shown_for(path).is_some()
            && let Some(s) = self.content.after_render()
        {
            self.status = Some(s);
        }
    }

    pub(super) fn go_history(&mut self, back: bool) {
        let current = self.selected_path().map(str::to_owned);
        let h = &mut self.history;
        let (from, to) = if back {
            (&mut h.back, &mut h.forward)
        } else {
            (&mut h.forward, &mut h.back)
        };
        let Some(path) = from.pop() else {
            self.status = Some(format!(
                "nothing {}",
                if back {
                    "to go back to"
                } else {
                    "to go forward to"
                }
            ));
            return;
        };
        if let Some(cur) = current {
            to.push(cur);
        }
        match self.catalog.note_at(&path) {
            Some(id) => self.open_note(id),
            None => self.status = Some(format!("{} is gone", sanitize::line(&path))),
        }
    }

    /// Selects a note in the list, clearing the tag filter if it hides the note.
    pub(super) fn open_note(&mut self, note: NoteId) {
        if !self.list.select(note) {
            self.filter.tags.clear();
            self.filter_rev += 1;
            self.list.sync(&self.catalog, &self.filter, self.filter_rev);
            self.list.select(note);
            self.status = Some("tag filter cleared to show the note".to_owned());
        }
        self.focus = Pane::Content;
    }

    /// Follows the chosen link: a wikilink opens its note (at its heading); others say where
    /// they point.
    pub(super) fn follow_link(&mut self) {
        let Some(target) = self.content.chosen_link().cloned() else {
            self.status = Some("no link chosen: ] and [ pick one".to_owned());
            return;
        };
        match target {
            LinkTarget::Url(url) => {
                self.status = Some(format!("a link out of the vault: {}", sanitize::line(&url)));
            }
            LinkTarget::Wiki { note, heading, .. } if note.trim().is_empty() => {
                if let Some(id) = self.selected_note() {
                    self.visit(id, heading);
                }
            }
            LinkTarget::Wiki { note, heading, .. } => {
                let Some(cur) = self.selected_note() else {
                    return;
                };
                let key = note.trim().to_lowercase();
                let resolved = self.catalog.vault.notes[cur]
                    .links
                    .iter()
                    .find(|l| l.raw.target.trim().to_lowercase() == key)
                    .map(|l| l.resolved.clone());
                match resolved {
                    Some(LinkResolved::Note(id)) => self.visit(id, heading),
                    Some(LinkResolved::Attachment(p)) => {
                        self.status = Some(format!("{} is an attachment", sanitize::line(&p)));
                    }
                    _ => {
                        self.status =
                            Some(format!("no note is called {:?}", sanitize::line(&note)));
                    }
                }
            }
        }
    }

    /// Opens the note the node under the cursor names: at once when one does, from a list
    /// when several do.
    pub(super) fn open_node(&mut self) {
        if self.diagram.showing_map() {
            return self.map_enter();
        }
        let note = self.note_diagrams_owned();
        let Some(label) = self.diagram.node_label(&note.as_ref().map(|n| n.view())) else {
            self.status = Some("no node chosen: the arrow keys walk the diagram".to_owned());
            return;
        };
        let Some(index) = self.catalog.search() else {
            self.status = Some("still indexing the notes' names: try again in a moment".to_owned());
            return;
        };
        let found: Vec<NoteId> =
            crate::diagram::notes_for_label(&self.catalog.vault, index, &label);
        match found.as_slice() {
            [] => {
                self.status = Some(format!(
                    "no note is about {:?}",
                    sanitize::line(&label.replace('\n', " "))
                ))
            }
            [one] => self.visit(*one, None),
            _ => {
                let paths = found
                    .iter()
                    .map(|&id| self.catalog.vault.notes[id].path.clone())
                    .collect();
                self.popup = Some(Popup::Choose {
                    title: "Notes about this node",
                    paths,
                    cursor: 0,
                });
            }
        }
    }

    /// `Enter` on the map: a component's focus, or the notes about a node or drawing an
    /// edge (one opens at once, at the diagram that draws it; several are offered).
    fn map_enter(&mut self) {
        match self.diagram.map_enter() {
            MapEnter::Shown => {}
            MapEnter::Nothing(why) => self.status = Some(why).filter(|w| !w.is_empty()),
            MapEnter::Notes { title, notes } => match notes.as_slice() {
                [] => self.status = Some("no note draws it".to_owned()),
                [(one, _)] => self.visit_from_map(*one),
                _ => {
                    let paths = notes
                        .iter()
                        .filter_map(|&(id, _)| self.catalog.vault.notes.get(id))
                        .map(|n| n.path.clone())
                        .collect();
                    self.popup = Some(Popup::Choose {
                        title,
                        paths,
                        cursor: 0,
                    });
                }
            },
        }
    }

    /// Opens a note the map offered, showing the diagram that draws what was chosen (its edge
    /// or node chosen), and says so; `Esc` goes back to the map.
    pub(super) fn visit_from_map(&mut self, note: NoteId) {
        self.visit(note, None);
        if let Some(chosen) = self.diagram.landed(note) {
            // The diagram that draws what was chosen, in the pane it was chosen in.
            self.focus = Pane::Diagram;
            self.land_diagram();
            let title = sanitize::line(&self.catalog.vault.notes[note].title).into_owned();
            let what = if chosen.is_empty() {
                String::new()
            } else {
                format!(" · {}", sanitize::line(&chosen))
            };
            let back = crate::tui::panes::diagram::back_to_map(&self.keymap);
            self.status = Some(format!("opened {title}{back}{what}"));
        }
    }

    /// Shows the diagram a map choice asked for, when the note's diagrams are here.
    pub(super) fn land_diagram(&mut self) {
        if let Some(diagrams) = self.note_diagrams().map(|n| n.diagrams.to_vec()) {
            self.diagram.land(&diagrams);
        }
    }

    /// `Esc` in a note opened from the map: the map again, where it was left.
    pub(super) fn return_to_map(&mut self) {
        if self.diagram.return_to_map() {
            self.focus = Pane::Diagram;
        }
    }

    pub(super) fn move_by(&mut self, pane: Pane, delta: isize) {
        // The cursor stops at the last item; a scroll stops where the last line is at the
        // bottom of the pane (kept there by `derive`).
        match pane {
            Pane::List => self.list.move_by(delta),
            Pane::Tags => self.tags.move_by(delta),
            Pane::Content => self.content.scroll_by(delta),
            Pane::Diagram => {
                let note = self.note_diagrams_owned();
                self.diagram
                    .move_by(delta, &note.as_ref().map(|n| n.view()));
            }
        }
    }

    /// A click focuses the pane under the pointer and picks the row under it; the wheel
    /// scrolls the pane under the pointer.
    pub(super) fn on_mouse(&mut self, mouse: &MouseEvent) {
        let acts = matches!(
            mouse.kind,
            MouseEventKind::Down(_) | MouseEventKind::ScrollDown | MouseEventKind::ScrollUp
        );
        // Pointer motion (reported too) and anything over a popup change nothing: no frame.
        if !acts || self.popup.is_some() {
            self.dirty = false;
            return;
        }
        let (panes, _) = ui::layout_with(self.screen(), self.zoom, self.focus, &self.layout);
        let pos = Position::new(mouse.column, mouse.row);
        let Some(&(pane, rect)) = panes.iter().find(|(_, r)| r.contains(pos)) else {
            return;
        };
        let inside = mouse.row > rect.y && mouse.row + 1 < rect.bottom();
        match mouse.kind {
            MouseEventKind::Down(_) => {
                self.focus = pane;
                // A click on the border only focuses.
                if inside {
                    self.click(pane, usize::from(mouse.row - rect.y - 1));
                }
            }
            MouseEventKind::ScrollDown => self.move_by(pane, 3),
            MouseEventKind::ScrollUp => self.move_by(pane, -3),
            _ => {}
        }
    }

    /// A click on the `row`th row inside `pane`.
    pub fn click(&mut self, pane: Pane, row: usize) {
        let view = self.view();
        self.focus = pane;
        match pane {
            Pane::List => self.list.click(row, view.list_rows),
            Pane::Tags => self.tags.click(row, view.tag_rows),
            _ => {}
        }
        self.derive();
    }
}
