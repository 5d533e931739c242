//! The diagram pane: one of the note's diagrams, or the architecture map of the notes in view,
//! drawn as boxes (or compact labels), with a node cursor that walks the graph and a scroll in
//! both directions.
//!
//! Layouts and the map are made by workers: the pane asks for the drawings it lacks
//! ([`DrawJob`]) and the map ([`MapJob`]), keeps what comes back for what it shows now, and
//! says `Drawing…` meanwhile. Drawings are keyed by their owner (the note's reading, or the
//! map) so a late one for something else is never shown; the map's note ids belong to one
//! catalog generation and the map is dropped when another arrives.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::super::action::Action;
use super::super::keymap::{Context, Keymap};
use super::super::msg::{DrawDone, DrawJob, Look, MapDone, MapJob, Owner};
use super::map::{MAX_DEPTH, MapMode, MapScreen};
use super::{Cx, Pane, step};
use crate::catalog::Catalog;
use crate::diagram::canvas::Role as CanvasRole;
use crate::diagram::fit::{self, Fit, Overflow};
use crate::diagram::map::ArchMap;
use crate::diagram::{Drawing, Graph};
use crate::sanitize;
use crate::style::Role;
use crate::vault::NoteId;

/// The user's key that goes back to the map a note was opened from (`None` when none does).
fn map_return_key(keymap: &Keymap) -> Option<String> {
    keymap.key_for(Context::Pane(Pane::Diagram), Action::MapReturn)
}

/// ` · Esc back to the map`, with the user's key; empty when no key goes back.
pub fn back_to_map(keymap: &Keymap) -> String {
    map_return_key(keymap)
        .map(|k| format!(" · {k} back to the map"))
        .unwrap_or_default()
}

/// What the pane can draw from: the note's diagrams (from its reading) or nothing.
pub struct NoteDiagrams<'a> {
    /// The reading the diagrams came from.
    pub read_serial: u64,
    pub diagrams: &'a [Arc<Graph>],
}

/// The architecture map of the notes in view, as built for one catalog and filter, and the
/// view of it shown.
#[derive(Debug)]
struct MapView {
    screen: MapScreen,
    serial: u64,
    /// (generation, filter revision) it was built for.
    made_for: (u64, u64),
}

#[derive(Debug, Default)]
pub struct DiagramPane {
    /// Which of the note's diagrams is shown.
    index: usize,
    /// Rows and columns scrolled.
    scroll: usize,
    hscroll: usize,
    /// The node under the cursor (an index into the graph's nodes).
    node: Option<usize>,
    /// In a sequence diagram, the message under the cursor instead (an index into its
    /// messages, which are also the graph's edges).
    message: Option<usize>,
    /// Compact `[Label]` nodes: `None` picks them when boxes do not fit the pane. A choice
    /// made with `c` holds for the diagram it was made on: the next one is fitted again
    /// (a choice that followed would force boxes that overflow, or `[Label]`s where boxes
    /// fit, on every diagram after).
    compact: Option<bool>,
    /// Lay a 2-D picture out again instead of keeping the author's grid.
    relayout: bool,
    show_map: bool,
    map: Option<MapView>,
    /// The map asked for: its serial and (generation, filter revision).
    map_asked: Option<(u64, (u64, u64))>,
    /// The component under the cursor when the map was last dropped for a new catalog.
    map_node_label: Option<String>,
    /// Notes the map offered to open, with the line of the diagram to show in each: the one
    /// opened shows that diagram.
    landing: Vec<(NoteId, Option<usize>)>,
    /// The line of the diagram to show when the note's diagrams arrive, and what to choose
    /// in it: the labels' keys of the edge's ends (or of the node) chosen on the map.
    land_line: Option<usize>,
    land_ends: Option<LandEnds>,
    /// Once the drawing of a landed diagram is here, scroll its chosen node into view.
    follow_pending: bool,
    /// In a note's diagram, the edge chosen (the one a map choice landed on).
    note_edge: Option<usize>,
    /// Where the map was left when a note was opened from it: `Esc` goes back there.
    map_return: Option<Place>,
    /// Drawings of what is shown now.
    drawings: Vec<(Owner, usize, Look, Arc<Drawing>)>,
    draw_asked: Option<(Owner, usize, Vec<Look>)>,
    /// The pane's inner size at the last layout.
    cols: usize,
    rows: usize,
}

/// What a map choice asks to be chosen in the diagram it opens: the keys of the labels of
/// the edge's first end (or of the node), and of its other end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LandEnds {
    pub from: Vec<String>,
    pub to: Vec<String>,
}

/// The diagram scroll of one note, kept across a reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    index: usize,
    scroll: usize,
    hscroll: usize,
    node: Option<usize>,
    message: Option<usize>,
}

impl DiagramPane {
    pub fn showing_map(&self) -> bool {
        self.show_map
    }

    pub fn scroll(&self) -> usize {
        self.scroll
    }

    pub fn place(&self) -> Place {
        Place {
            index: self.index,
            scroll: self.scroll,
            hscroll: self.hscroll,
            node: self.node,
            message: self.message,
        }
    }

    /// Back at a place kept over a reload (clamped once the drawing is known).
    pub fn restore(&mut self, p: Place) {
        self.index = p.index;
        self.scroll = p.scroll;
        self.hscroll = p.hscroll;
        self.node = p.node;
        self.message = p.message;
    }

    /// Another note is shown: its first diagram, from the top, no node chosen, fitted to
    /// the pane.
    pub fn new_note(&mut self) {
        self.note_edge = None;
        self.compact = None;
        self.restore(Place {
            index: 0,
            scroll: 0,
            hscroll: 0,
            node: None,
            message: None,
        });
    }

    /// A new catalog arrived: the map's note ids are another generation's, so it goes (the
    /// pane asks for a new one while it shows the map).
    pub fn forget_map(&mut self) {
        if let Some(m) = self.map.take() {
            // The cursor finds its component again in the new map, by name.
            let s = &m.screen;
            let at = match s.mode {
                MapMode::Components => s.selected(),
                _ => self.node.and_then(|i| s.component_of(i)),
            };
            self.map_node_label = at.map(|c| s.map.components[c].name.clone());
            self.node = None;
        }
        self.map_asked = None;
    }

    pub fn toggle_map(&mut self) {
        self.show_map = !self.show_map;
        self.map_return = None;
        self.note_edge = None;
        self.node = None;
        self.message = None;
        self.scroll = 0;
        self.hscroll = 0;
    }

    pub fn toggle_compact(&mut self, note: &Option<NoteDiagrams>) {
        let now = self.look(note).compact;
        self.compact = Some(!now);
        self.scroll = 0;
        self.hscroll = 0;
    }

    pub fn toggle_relayout(&mut self) {
        self.relayout = !self.relayout;
        self.scroll = 0;
        self.hscroll = 0;
    }

    /// Steps through the note's diagrams (wrapping around).
    pub fn step_diagram(&mut self, forward: bool, count: usize) {
        if count > 1 {
            let step = if forward { 1 } else { count - 1 };
            self.index = (self.index + step) % count;
            self.compact = None;
            self.scroll = 0;
            self.hscroll = 0;
            self.node = None;
            self.message = None;
        }
    }

    /// What is shown: the owner of its drawings and its graph.
    fn source(&self, note: &Option<NoteDiagrams>) -> Option<(Owner, usize, Arc<Graph>)> {
        if self.show_map {
            let m = self.map.as_ref()?;
            let v = m.screen.view.as_ref()?;
            return Some((
                Owner::Map(m.serial),
                m.screen.view_rev,
                Arc::clone(&v.graph),
            ));
        }
        let n = note.as_ref()?;
        let g = n.diagrams.get(self.index)?;
        Some((Owner::Note(n.read_serial), self.index, Arc::clone(g)))
    }

    fn drawing_for(&self, owner: Owner, index: usize, look: Look) -> Option<&Drawing> {
        self.drawings
            .iter()
            .find(|(o, i, l, _)| *o == owner && *i == index && *l == look)
            .map(|(_, _, _, d)| d.as_ref())
    }

    /// Which drawing shows: the first of the author's direction, compact `[Label]`s and a
    /// top-to-bottom layout that fits the pane's width (the choice is the core's, see
    /// `diagram::fit`).
    fn look(&self, note: &Option<NoteDiagrams>) -> Look {
        let relayout = self.relayout;
        let look = |f: Fit| Look {
            relayout,
            compact: f.compact,
            top_down: f.top_down,
        };
        let Some((owner, index, graph)) = self.source(note) else {
            return Look {
                relayout,
                compact: self.compact.unwrap_or(false),
                top_down: false,
            };
        };
        let turnable = fit::turnable(&graph, relayout);
        look(fit::choose(self.compact, turnable, self.cols, |f| {
            self.drawing_for(owner, index, look(f))
                .map(|d| d.canvas.width)
        }))
    }

    /// The graph and drawing the pane shows, when its drawing is made.
    pub fn current(&self, note: &Option<NoteDiagrams>) -> Option<(Arc<Graph>, &Drawing)> {
        let (owner, index, graph) = self.source(note)?;
        let d = self.drawing_for(owner, index, self.look(note))?;
        Some((graph, d))
    }

    /// The drawing job for what is shown, when drawings are missing and not asked for yet.
    pub fn want_drawings(&mut self, note: &Option<NoteDiagrams>) -> Option<DrawJob> {
        let Some((owner, index, graph)) = self.source(note) else {
            self.draw_asked = None;
            return None;
        };
        // Keep only what belongs to what is shown.
        self.drawings
            .retain(|(o, i, ..)| *o == owner && *i == index);
        let relayout = self.relayout;
        let mut looks: Vec<Look> = fit::candidates(self.compact, fit::turnable(&graph, relayout))
            .into_iter()
            .map(|f| Look {
                relayout,
                compact: f.compact,
                top_down: f.top_down,
            })
            .collect();
        looks.retain(|&l| self.drawing_for(owner, index, l).is_none());
        if looks.is_empty() {
            self.draw_asked = None;
            return None;
        }
        let ask = (owner, index, looks);
        if self.draw_asked.as_ref() == Some(&ask) {
            return None;
        }
        self.draw_asked = Some(ask.clone());
        let packed = match owner {
            Owner::Map(_) => self
                .map
                .as_ref()
                .and_then(|m| m.screen.view.as_ref())
                .and_then(|v| v.packed.clone()),
            Owner::Note(_) => None,
        };
        Some(DrawJob {
            owner,
            index,
            graph,
            looks: ask.2,
            packed,
        })
    }

    /// The drawings asked for failed (a bug): they say so instead, so they are not asked for
    /// again and again.
    pub fn fail_drawing(&mut self, why: &str) {
        if let Some((owner, index, looks)) = self.draw_asked.take() {
            let text = format!("this diagram could not be drawn: {why}");
            let drawings = looks
                .into_iter()
                .map(|l| (l, Arc::new(Drawing::message(&text, l.compact))))
                .collect();
            self.take_drawings(DrawDone {
                owner,
                index,
                drawings,
            });
        }
    }

    /// The map asked for failed (a bug): an empty one stands in for it.
    pub fn fail_map(&mut self) {
        if let Some((serial, _)) = self.map_asked {
            self.take_map(MapDone {
                serial,
                map: ArchMap::empty(),
                partial: None,
                failure: None,
            });
        }
    }

    /// Keeps drawings that belong to what is shown.
    pub fn take_drawings(&mut self, done: DrawDone) {
        if self
            .draw_asked
            .as_ref()
            .is_some_and(|(o, i, _)| *o == done.owner && *i == done.index)
        {
            self.draw_asked = None;
        }
        let keep = self
            .drawings
            .first()
            .is_none_or(|(o, i, ..)| *o == done.owner && *i == done.index);
        if !keep {
            return;
        }
        for (look, d) in done.drawings {
            if self.drawing_for(done.owner, done.index, look).is_none() {
                self.drawings.push((done.owner, done.index, look, d));
            }
        }
    }

    /// The map job for the notes in view, when the map is shown and not built or asked for
    /// this catalog and filter.
    pub fn want_map(
        &mut self,
        catalog: &Catalog,
        visible: &[NoteId],
        filter_rev: u64,
    ) -> Option<MapJob> {
        if !self.show_map {
            return None;
        }
        let key = (catalog.generation, filter_rev);
        if self.map.as_ref().is_some_and(|m| m.made_for == key)
            || self.map_asked.is_some_and(|(_, k)| k == key)
        {
            return None;
        }
        let serial = super::super::msg::serial();
        self.map_asked = Some((serial, key));
        Some(MapJob {
            serial,
            vault: Arc::clone(&catalog.vault),
            notes: visible.to_vec(),
        })
    }

    /// Takes the map if it answers the request in flight. The cursor stays on its component
    /// when the map was built again for a reload; else a new map starts with no node chosen.
    pub fn take_map(&mut self, done: MapDone) {
        let Some((serial, made_for)) = (match done.partial {
            // A partial map answers the request without ending it.
            Some(_) => self.map_asked.filter(|(s, _)| *s == done.serial),
            None => self.map_asked.take_if(|(s, _)| *s == done.serial),
        }) else {
            return;
        };
        // A map growing while it is read keeps the list's filter and cursor.
        let growing = self
            .map
            .as_ref()
            .filter(|m| m.serial == serial && m.screen.mode == MapMode::Components)
            .map(|m| {
                (
                    m.screen.filter.clone(),
                    m.screen
                        .selected()
                        .map(|c| m.screen.map.components[c].name.clone()),
                )
            });
        if let Some((_, Some(name))) = &growing {
            self.map_node_label = Some(name.clone());
        }
        // A view other than the list, of a map that grew: the same view (by names) of the
        // grown one.
        let name = |m: &MapView, c: usize| m.screen.map.components[c].name.clone();
        let view = self
            .map
            .as_ref()
            .filter(|m| m.serial == serial)
            .and_then(|m| match m.screen.mode {
                MapMode::Components => None,
                MapMode::Focus { centre, depth } => Some((name(m, centre), None, depth)),
                MapMode::Path { from, to } => Some((name(m, from), Some(name(m, to)), 0)),
                MapMode::Whole => Some((String::new(), None, usize::MAX)),
            });
        let mut screen = MapScreen::new(done.map);
        screen.progress = done.partial;
        if let Some((filter, _)) = growing.filter(|(f, _)| !f.is_empty()) {
            screen.set_filter(filter);
        }
        let find = |s: &MapScreen, n: &str| s.map.components.iter().position(|c| c.name == n);
        let again_view = view.and_then(|(a, b, depth)| {
            if depth == usize::MAX {
                return Some(MapMode::Whole);
            }
            let a = find(&screen, &a)?;
            Some(match b {
                Some(b) => MapMode::Path {
                    from: a,
                    to: find(&screen, &b)?,
                },
                None => MapMode::Focus { centre: a, depth },
            })
        });
        if let Some(mode) = again_view {
            let node = self.node.and_then(|i| {
                self.map
                    .as_ref()?
                    .screen
                    .component_of(i)
                    .map(|c| self.map.as_ref().map(|m| name(m, c)).unwrap_or_default())
            });
            screen.show(mode, self.cols);
            let at = node
                .and_then(|n| find(&screen, &n))
                .and_then(|c| screen.node_of(c));
            self.map = Some(MapView {
                screen,
                serial,
                made_for,
            });
            self.node = at;
            self.drawings.clear();
            self.draw_asked = None;
            return;
        }
        let again = self
            .map_node_label
            .take()
            .and_then(|l| screen.map.components.iter().position(|c| c.name == l));
        if let Some(c) = again {
            screen.select(c);
        }
        self.map = Some(MapView {
            screen,
            serial,
            made_for,
        });
        self.node = None;
        self.scroll = 0;
        self.hscroll = 0;
    }

    /// The map's screen, when the map shown belongs to `catalog`.
    fn screen_for(&self, catalog: &Catalog) -> Option<&MapScreen> {
        self.map
            .as_ref()
            .filter(|m| self.show_map && m.made_for.0 == catalog.generation)
            .map(|m| &m.screen)
    }

    fn screen_mut(&mut self) -> Option<&mut MapScreen> {
        let show = self.show_map;
        self.map.as_mut().filter(|_| show).map(|m| &mut m.screen)
    }

    /// Whether the map shown has a component named `label`.
    pub fn map_has_label(&self, label: &str) -> bool {
        self.map
            .as_ref()
            .is_some_and(|m| m.screen.map.components.iter().any(|c| c.name == label))
    }

    /// The map's view shown, when the map is shown and built.
    pub fn map_mode(&self) -> Option<MapMode> {
        self.map
            .as_ref()
            .filter(|_| self.show_map)
            .map(|m| m.screen.mode)
    }

    /// The map's components filter, when the map is shown.
    pub fn map_filter(&self) -> Option<&str> {
        self.map
            .as_ref()
            .filter(|_| self.show_map)
            .map(|m| m.screen.filter.as_str())
    }

    /// The components filter and how many components it keeps.
    pub fn map_filter_state(&self) -> Option<(&str, usize)> {
        let s = &self.map.as_ref().filter(|_| self.show_map)?.screen;
        Some((s.filter.as_str(), s.shown().len()))
    }

    /// Changes the components filter (and shows the components list).
    pub fn edit_map_filter(&mut self, edit: impl FnOnce(&mut String)) {
        let cols = self.cols;
        if let Some(s) = self.screen_mut() {
            let mut f = s.filter.clone();
            edit(&mut f);
            if s.mode != MapMode::Components {
                s.show(MapMode::Components, cols);
            }
            s.set_filter(f);
        }
    }

    /// The name of the component the map's cursor is on.
    pub fn map_selected(&self) -> Option<String> {
        let s = &self.map.as_ref()?.screen;
        self.map_component()
            .map(|c| s.map.components[c].name.clone())
    }

    /// The component the map's cursor is on: the list's, or the node's in a drawing.
    fn map_component(&self) -> Option<usize> {
        let s = &self.map.as_ref().filter(|_| self.show_map)?.screen;
        match s.mode {
            MapMode::Components => s.selected(),
            _ => s.component_of(self.node?),
        }
    }

    /// Shows another view of the map; the cursor on `at` in it when it has that component.
    fn show_view(&mut self, mode: MapMode, at: Option<usize>) {
        let cols = self.cols;
        let Some(s) = self.screen_mut() else { return };
        s.show(mode, cols);
        let node = match mode {
            MapMode::Components => {
                if let Some(c) = at {
                    s.select(c);
                }
                None
            }
            _ => at.and_then(|c| s.node_of(c)),
        };
        self.node = node;
        self.message = None;
        self.scroll = 0;
        self.hscroll = 0;
        self.drawings.clear();
        self.draw_asked = None;
    }

    /// `Enter` on the map: in the list, focus the component; on an edge, the notes drawing
    /// it; on a node, the notes about it (else those drawing it). The notes come with the
    /// line of the diagram each draws it in, for [`DiagramPane::landed`].
    pub fn map_enter(&mut self) -> MapEnter {
        let Some(mode) = self.map_mode() else {
            return MapEnter::Nothing("the map is not built yet".to_owned());
        };
        if mode == MapMode::Components {
            return match self.map_component() {
                Some(c) => {
                    self.show_view(
                        MapMode::Focus {
                            centre: c,
                            depth: 1,
                        },
                        Some(c),
                    );
                    MapEnter::Shown
                }
                None => MapEnter::Nothing("no component chosen".to_owned()),
            };
        }
        let Some(s) = self.map.as_ref().map(|m| &m.screen) else {
            return MapEnter::Nothing(String::new());
        };
        let map = &s.map;
        let (title, notes): (&'static str, Vec<(NoteId, Option<usize>)>) =
            match s.edge.and_then(|e| s.link_of(e)) {
                Some(l) => (
                    "Notes drawing this edge",
                    map.links[l]
                        .notes
                        .iter()
                        .map(|&(n, at)| (n, Some(at)))
                        .collect(),
                ),
                None => {
                    let Some(c) = self.map_component() else {
                        return MapEnter::Nothing(
                            "no node chosen: the arrow keys walk the map, [ ] its edges".to_owned(),
                        );
                    };
                    let k = &map.components[c];
                    // Where each drawing note draws it: the diagram of a link at it.
                    let line_in = |n: NoteId| {
                        map.links
                            .iter()
                            .filter(|l| l.from == c || l.to == c)
                            .flat_map(|l| l.notes.iter())
                            .find(|(m, _)| *m == n)
                            .map(|&(_, at)| at)
                    };
                    if k.defining.is_empty() {
                        (
                            "Notes drawing this component",
                            k.drawing.iter().map(|&n| (n, line_in(n))).collect(),
                        )
                    } else {
                        (
                            "Notes about this component",
                            k.defining.iter().map(|&n| (n, None)).collect(),
                        )
                    }
                }
            };
        self.landing = notes.clone();
        MapEnter::Notes { title, notes }
    }

    /// A note the map offered was opened: the pane shows its diagrams, at the one that draws
    /// what was chosen, and keeps where the map was left for `Esc`. The name of what was
    /// chosen (`A → B`, or the node's) when it was one of those offered.
    pub fn landed(&mut self, note: NoteId) -> Option<String> {
        let &(_, line) = self.landing.iter().find(|(n, _)| *n == note)?;
        self.landing.clear();
        let chosen = self.map_choice();
        self.land_ends = chosen.as_ref().map(|(ends, _)| ends.clone());
        self.map_return = Some(self.place());
        self.show_map = false;
        self.node = None;
        self.message = None;
        self.note_edge = None;
        self.land_line = line;
        Some(chosen.map(|(_, name)| name).unwrap_or_default())
    }

    /// What is chosen on the map: an edge (its ends' label keys, `A → B`) or else a node.
    fn map_choice(&self) -> Option<(LandEnds, String)> {
        let s = &self.map.as_ref()?.screen;
        let keys = |c: usize| -> Vec<String> {
            s.map.components[c]
                .labels
                .iter()
                .map(|l| crate::diagram::map::component_key(l))
                .collect()
        };
        if let Some(l) = s.edge.and_then(|e| s.link_of(e)) {
            let link = &s.map.links[l];
            let name = format!(
                "{} → {}",
                s.map.components[link.from].name, s.map.components[link.to].name
            );
            return Some((
                LandEnds {
                    from: keys(link.from),
                    to: keys(link.to),
                },
                name,
            ));
        }
        let c = self.map_component()?;
        Some((
            LandEnds {
                from: keys(c),
                to: Vec::new(),
            },
            s.map.components[c].name.clone(),
        ))
    }

    /// `Esc` in a note opened from the map: the map again, in the view, at the node and edge
    /// and scroll it was left at. False when no note was opened from the map.
    pub fn return_to_map(&mut self) -> bool {
        let Some(place) = self.map_return.take() else {
            return false;
        };
        if self.map.is_none() && self.map_asked.is_none() {
            return false;
        }
        self.show_map = true;
        self.note_edge = None;
        self.land_ends = None;
        self.follow_pending = false;
        self.restore(place);
        true
    }

    /// Whether `Esc` goes back to the map (a note was opened from it).
    pub fn can_return_to_map(&self) -> bool {
        self.map_return.is_some() && !self.show_map
    }

    /// The note's diagrams arrived: shows the one a map choice asked for, with the edge it
    /// chose (or its first end, or the node) chosen and, once drawn, scrolled into view.
    pub fn land(&mut self, diagrams: &[Arc<Graph>]) {
        let Some(line) = self.land_line.take() else {
            if let Some(ends) = self.land_ends.take() {
                // No diagram line (a defining note): the first diagram drawing the node.
                if let Some(i) = diagrams
                    .iter()
                    .position(|g| find_node(g, &ends.from).is_some())
                {
                    self.index = i;
                    self.choose_landed(&diagrams[i], &ends);
                }
            }
            return;
        };
        self.index = diagrams.iter().position(|g| g.line == line).unwrap_or(0);
        self.scroll = 0;
        self.hscroll = 0;
        if let Some(ends) = self.land_ends.take()
            && let Some(g) = diagrams.get(self.index)
        {
            self.choose_landed(g, &ends);
        }
    }

    fn choose_landed(&mut self, g: &Graph, ends: &LandEnds) {
        let from = find_node(g, &ends.from);
        let to = find_node(g, &ends.to);
        self.node = from;
        self.note_edge = match (from, to) {
            (Some(a), Some(b)) => {
                let (a, b) = (&g.nodes[a].id, &g.nodes[b].id);
                g.edges
                    .iter()
                    .position(|e| &e.from == a && &e.to == b)
                    .or_else(|| g.edges.iter().position(|e| &e.from == b && &e.to == a))
            }
            _ => None,
        };
        self.follow_pending = self.node.is_some();
    }

    /// `+` / `-` on a focus: one ring more or less (1 to 3).
    pub fn map_depth(&mut self, deeper: bool) -> Option<String> {
        let Some(MapMode::Focus { centre, depth }) = self.map_mode() else {
            return Some("+ and - change the depth of a focus (Enter on a component)".to_owned());
        };
        let next = if deeper {
            (depth + 1).min(MAX_DEPTH)
        } else {
            depth.saturating_sub(1).max(1)
        };
        if next == depth {
            return Some(format!("the focus is at depth {depth} (1 to {MAX_DEPTH})"));
        }
        let at = self.map_component().or(Some(centre));
        self.show_view(
            MapMode::Focus {
                centre,
                depth: next,
            },
            at,
        );
        None
    }

    /// `p`: the first end of a path, then the second (which shows the flows).
    pub fn map_path(&mut self) -> Option<String> {
        let c = self.map_component()?;
        let s = self.screen_mut()?;
        match s.path_from {
            Some(from) if from != c => {
                s.path_from = None;
                self.show_view(MapMode::Path { from, to: c }, Some(from));
                None
            }
            Some(_) => {
                s.path_from = None;
                Some("the path's first end is forgotten".to_owned())
            }
            None => {
                s.path_from = Some(c);
                Some(format!(
                    "path from {}: p on another component shows the flows to it",
                    sanitize::line(&s.map.components[c].name)
                ))
            }
        }
    }

    /// `Esc` on the map: back to the components list (on the component shown), or forget
    /// the path's first end.
    pub fn map_back(&mut self) -> Option<String> {
        let mode = self.map_mode()?;
        if mode == MapMode::Components {
            let s = self.screen_mut()?;
            if s.path_from.take().is_some() {
                return Some("the path's first end is forgotten".to_owned());
            }
            if !s.filter.is_empty() {
                s.set_filter(String::new());
            }
            return None;
        }
        let at = self.map_component().or(match mode {
            MapMode::Focus { centre, .. } => Some(centre),
            MapMode::Path { from, .. } => Some(from),
            _ => None,
        });
        self.show_view(MapMode::Components, at);
        None
    }

    /// `w`: the whole map, by clusters (again: the components list).
    pub fn map_whole(&mut self) {
        let at = self.map_component();
        let mode = if self.map_mode() == Some(MapMode::Whole) {
            MapMode::Components
        } else {
            MapMode::Whole
        };
        self.show_view(mode, at);
    }

    /// `]` / `[` on the map: the next or previous edge at the node (any edge with none).
    pub fn map_step_edge(&mut self, forward: bool) {
        let node = self.node;
        if let Some(s) = self.screen_mut() {
            s.step_edge(node, forward);
        }
    }

    /// The label of the node under the cursor.
    pub fn node_label(&self, note: &Option<NoteDiagrams>) -> Option<String> {
        let (g, d) = self.current(note)?;
        let i = self.node.filter(|&i| i < d.layout.nodes.len())?;
        g.nodes.get(i).map(|n| n.label.clone())
    }

    /// Takes the pane's inner size and keeps every scroll and the cursor in range.
    pub fn fit(&mut self, cols: usize, rows: usize, note: &Option<NoteDiagrams>) {
        self.cols = cols;
        self.rows = rows;
        if let Some(s) = self.screen_mut() {
            s.fit(cols, rows);
        }
        let count = note.as_ref().map_or(0, |n| n.diagrams.len());
        if !self.show_map {
            self.index = self.index.min(count.saturating_sub(1));
        }
        let size = self.current(note).map(|(_, d)| {
            (
                d.canvas.shown_width(),
                d.canvas.height + d.canvas.legend.len(),
                d.layout.nodes.len(),
            )
        });
        let (w, h, nodes) = size.unwrap_or((0, 0, 0));
        if let Some((g, _)) = self.current(note) {
            let messages = g.sequence.as_ref().map_or(0, |s| s.messages.len());
            self.message = self.message.filter(|&m| m < messages);
        }
        if size.is_some() {
            self.node = self.node.filter(|&i| i < nodes);
        }
        self.scroll = self.scroll.min(h.saturating_sub(rows.max(1)));
        self.hscroll = self.hscroll.min(w.saturating_sub(cols.max(1)));
        if self.follow_pending && size.is_some() && cols > 0 {
            self.follow_pending = false;
            self.follow_landed(note);
        }
    }

    /// One step moves the node cursor; a page scrolls.
    pub fn move_by(&mut self, delta: isize, note: &Option<NoteDiagrams>) {
        if self.map_mode() == Some(MapMode::Components) {
            if let Some(s) = self.screen_mut() {
                s.move_by(delta);
            }
            return;
        }
        if delta.abs() == 1 {
            self.move_node((0, delta as i64), note);
        } else {
            self.scroll = step(self.scroll, delta, usize::MAX / 4);
        }
    }

    /// Moves the cursor to the node in direction `(dx, dy)`: a connected one if there is one
    /// that way, else the nearest that way. With no cursor yet, it starts top left.
    pub fn move_node(&mut self, (dx, dy): (i64, i64), note: &Option<NoteDiagrams>) {
        self.note_edge = None;
        let Some((g, d)) = self.current(note) else {
            return;
        };
        // A sequence diagram is walked message by message, either key direction.
        if let Some(s) = &g.sequence {
            self.message = s.step(self.message, dx > 0 || dy > 0);
            self.follow_message(note);
            return;
        }
        let boxes = &d.layout.nodes;
        // Nothing to walk (a diagram that is not drawn: its message and source): the keys
        // scroll it, so a line cut at the pane's edge can be read.
        if boxes.is_empty() {
            self.scroll_toward((dx, dy), note);
            return;
        }
        let centre = |i: usize| {
            let b = boxes[i];
            // A row is about two columns tall: weigh columns half.
            ((b.x * 2 + b.w) as f64 / 4.0, (b.y * 2 + b.h) as f64 / 2.0)
        };
        let Some(cur) = self.node.filter(|&i| i < boxes.len()) else {
            let first = (0..boxes.len()).min_by_key(|&i| (boxes[i].y, boxes[i].x));
            self.node = first;
            self.follow_node(note);
            return;
        };
        let id = &g.nodes[cur].id;
        let linked = |j: usize| {
            let other = &g.nodes[j].id;
            g.edges
                .iter()
                .any(|e| (&e.from == id && &e.to == other) || (&e.to == id && &e.from == other))
        };
        let (cx, cy) = centre(cur);
        let mut best: Option<(u8, f64, usize)> = None;
        for j in 0..boxes.len() {
            if j == cur {
                continue;
            }
            let (x, y) = centre(j);
            let (vx, vy) = (x - cx, y - cy);
            let along = vx * dx as f64 + vy * dy as f64;
            if along <= 0.0 {
                continue;
            }
            let across = (vx * dy as f64 - vy * dx as f64).abs();
            // Within about 60 degrees of the key's direction, connected nodes first.
            let tier = match (across <= along * 1.8, linked(j)) {
                (true, true) => 0,
                (true, false) => 1,
                _ => 2,
            };
            let score = along + 2.0 * across;
            if best.is_none_or(|b| (tier, score) < (b.0, b.1)) {
                best = Some((tier, score, j));
            }
        }
        match best {
            Some((_, _, j)) => {
                self.node = Some(j);
                self.follow_node(note);
            }
            // No node that way: the drawing scrolls that way, so every part of it can be
            // reached (labels, the legend, edges past the last node).
            None => self.scroll_toward((dx, dy), note),
        }
    }

    /// Scrolls a step in direction `(dx, dy)`: a quarter of the pane's width, two rows.
    fn scroll_toward(&mut self, (dx, dy): (i64, i64), note: &Option<NoteDiagrams>) {
        let across = (self.cols / 4).max(1) as isize;
        self.hscroll = step(self.hscroll, dx as isize * across, usize::MAX / 4);
        self.scroll = step(self.scroll, dy as isize * 2, usize::MAX / 4);
        self.fit(self.cols, self.rows, note);
    }

    /// Scrolls so the message under the cursor (its text and arrow) is in view.
    fn follow_message(&mut self, note: &Option<NoteDiagrams>) {
        let Some(m) = self.message else {
            return;
        };
        let Some((x0, x1, y)) = self.current(note).and_then(|(_, d)| {
            let r = d.layout.routes.iter().find(|r| r.edge == m)?;
            let xs = r.points.iter().map(|p| p.0);
            let y = r.points.iter().map(|p| p.1).max()?;
            Some((xs.clone().min()?, xs.max()?, y))
        }) else {
            return;
        };
        let (cols, rows) = (self.cols.max(1), self.rows.max(1));
        // Keep a row of text above the arrow and one below it in view.
        if y < self.scroll + 2 || y + 2 > self.scroll + rows {
            self.scroll = y.saturating_sub(rows / 2);
        }
        // Sideways only as far as needed, so the lifelines on the left stay when they can.
        if x0 < self.hscroll || x1 + 1 > self.hscroll + cols {
            let right = (x1 + 3).saturating_sub(cols);
            self.hscroll = if right < x0 {
                right
            } else {
                x0.saturating_sub(2)
            };
        }
        self.fit(self.cols, self.rows, note);
    }

    /// Scrolls a landed diagram so its chosen edge's two ends are in view when they fit
    /// together, else its first end (the node under the cursor).
    fn follow_landed(&mut self, note: &Option<NoteDiagrams>) {
        let ends = self.current(note).and_then(|(g, d)| {
            let e = g.edges.get(self.note_edge?)?;
            let a = d.layout.nodes.get(g.node(&e.from)?).copied()?;
            let b = d.layout.nodes.get(g.node(&e.to)?).copied()?;
            Some((a, b))
        });
        let (cols, rows) = (self.cols.max(1), self.rows.max(1));
        match ends {
            Some((a, b)) => {
                let (x0, x1) = (a.x.min(b.x), (a.x + a.w).max(b.x + b.w));
                let (y0, y1) = (a.y.min(b.y), (a.y + a.h).max(b.y + b.h));
                if x1 - x0 > cols || y1 - y0 > rows {
                    return self.follow_node(note);
                }
                if x0 < self.hscroll || x1 > self.hscroll + cols {
                    self.hscroll = ((x0 + x1) / 2).saturating_sub(cols / 2).min(x0);
                }
                if y0 < self.scroll || y1 > self.scroll + rows {
                    self.scroll = ((y0 + y1) / 2).saturating_sub(rows / 2).min(y0);
                }
                self.fit(self.cols, self.rows, note);
            }
            None => self.follow_node(note),
        }
    }

    /// Scrolls so the node under the cursor is in view.
    fn follow_node(&mut self, note: &Option<NoteDiagrams>) {
        let Some(b) = self
            .current(note)
            .and_then(|(_, d)| d.layout.nodes.get(self.node?).copied())
        else {
            return;
        };
        let (cols, rows) = (self.cols.max(1), self.rows.max(1));
        if b.x < self.hscroll || b.x + b.w > self.hscroll + cols {
            self.hscroll = (b.x + b.w / 2).saturating_sub(cols / 2);
        }
        if b.y < self.scroll || b.y + b.h > self.scroll + rows {
            self.scroll = (b.y + b.h / 2).saturating_sub(rows / 2);
        }
        self.fit(self.cols, self.rows, note);
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, cx: &Cx, note: &Option<NoteDiagrams>) {
        if let Some(s) = self
            .screen_for(cx.catalog)
            .filter(|s| s.mode == MapMode::Components)
        {
            s.render_list(frame, area, cx);
            return;
        }
        let count = note.as_ref().map_or(0, |n| n.diagrams.len());
        let Some((g, drawing)) = self.current(note) else {
            let msg = if self.show_map && self.map.is_none() && self.map_asked.is_some() {
                "Building the map…"
            } else if self.show_map
                && self
                    .map
                    .as_ref()
                    .is_some_and(|m| m.screen.map.components.is_empty())
            {
                "No diagram in the notes in view."
            } else if !self.show_map && count == 0 {
                "No diagram in this note."
            } else {
                "Drawing…"
            };
            // On the map, its view's title while the view is drawn.
            let title = match self.screen_for(cx.catalog) {
                Some(s) => crate::text::cut(&s.title(), (area.width as usize).saturating_sub(2)),
                None => " 3 Diagram ".to_owned(),
            };
            let para = Paragraph::new(Line::styled(msg, cx.style(Role::Dim)))
                .block(cx.block(Pane::Diagram, Line::styled(title, cx.style(Role::Title))));
            frame.render_widget(para, area);
            return;
        };
        let selected = self.node.filter(|&i| i < g.nodes.len());
        let map = self.screen_for(cx.catalog);
        let mut title = match map {
            Some(s) => s.title(),
            None => format!(" 3 Diagram {}/{count} ", self.index + 1),
        };
        let walked = self
            .message
            .and_then(|m| Some((m, g.sequence.as_ref()?.ends(m)?)));
        if let Some((m, _)) = walked {
            title.push_str(&format!("· message {}/{} ", m + 1, g.edges.len()));
        }
        if self.can_return_to_map()
            && let Some(k) = map_return_key(cx.keymap)
        {
            title.push_str(&format!("· {k} map "));
        }
        let room = (area.width as usize).saturating_sub(2);
        if let Some(i) = selected {
            // On the map, the component's whole name (a view may cut its labels to fit).
            let label = map
                .and_then(|s| Some(s.map.components[s.component_of(i)?].name.clone()))
                .unwrap_or_else(|| g.nodes[i].label.replace('\n', " "));
            let chosen = format!("· {} ", sanitize::line(&label));
            // The node under the cursor matters most: a narrow pane shows the map's view in
            // short before it.
            if let Some(s) = map
                && crate::text::width(&title) + crate::text::width(&chosen) > room
            {
                title = s.short_title();
            }
            title.push_str(&chosen);
        }
        // A title wider than the border is cut with `…`, not silently.
        let title = crate::text::cut(&title, room);
        let block = cx.block(Pane::Diagram, Line::styled(title, cx.style(Role::Title)));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        // The selected node's edges: coloured in the drawing and listed on the pane's last line.
        let (out_edges, in_edges): (Vec<usize>, Vec<usize>) = match selected {
            Some(i) => {
                let id = &g.nodes[i].id;
                (
                    (0..g.edges.len())
                        .filter(|&e| &g.edges[e].from == id)
                        .collect(),
                    (0..g.edges.len())
                        .filter(|&e| &g.edges[e].to == id)
                        .collect(),
                )
            }
            None => (Vec::new(), Vec::new()),
        };
        // The pane's last lines: the walked message, then the selected node's edges.
        let mut footer: Vec<String> = Vec::new();
        if let Some((m, _)) = walked
            && let Some(text) = g.sequence.as_ref().and_then(|s| s.describe(m))
        {
            footer.push(text);
        }
        let title_of = |ns: &mut dyn Iterator<Item = NoteId>| -> Vec<String> {
            ns.filter_map(|n| cx.catalog.vault.notes.get(n))
                .map(|n| n.title.clone())
                .collect()
        };
        // On the map: the flows of a path, the chosen edge.
        let chosen_edge = match map {
            Some(s) => s.edge,
            None => self.note_edge,
        }
        .filter(|&e| e < g.edges.len());
        if let Some(s) = map {
            if let Some(flows) = s.view.as_ref().and_then(|v| v.flows.as_ref()) {
                let shown = flows.flows.len().min(3);
                if flows.flows.is_empty() {
                    footer.push("no flow joins them".to_owned());
                }
                for (i, f) in flows.flows.iter().take(shown).enumerate() {
                    let names: Vec<&str> = f
                        .nodes
                        .iter()
                        .map(|&c| s.map.components[c].name.as_str())
                        .collect();
                    footer.push(format!(
                        "{}. {} · {} notes",
                        i + 1,
                        names.join(" → "),
                        f.notes.len()
                    ));
                }
                if flows.flows.len() > shown {
                    footer.push(format!(
                        "… {} more (vaultscope map --path)",
                        flows.flows.len() - shown
                    ));
                }
                if !flows.directed {
                    footer.push("no flow follows the arrows: these go against some".to_owned());
                }
            }
            if let Some(l) = chosen_edge.and_then(|e| s.link_of(e)) {
                let link = &s.map.links[l];
                let names = title_of(&mut link.notes.iter().map(|&(n, _)| n));
                footer.push(format!(
                    "{} → {} · ×{}: {} · Enter lists them",
                    s.map.components[link.from].name,
                    s.map.components[link.to].name,
                    link.notes.len(),
                    list_or_dash(&names)
                ));
            }
        }
        if let (None, Some(e)) = (map, chosen_edge) {
            let name = |nid: &str| {
                g.node(nid)
                    .map_or(nid.to_owned(), |k| g.nodes[k].label.replace('\n', " "))
            };
            let edge = &g.edges[e];
            let label = edge
                .label
                .as_deref()
                .map(|l| format!(" ({})", l.replace('\n', " ")))
                .unwrap_or_default();
            let back = back_to_map(cx.keymap);
            footer.push(format!(
                "the edge chosen on the map: {} → {}{label}{back}",
                name(&edge.from),
                name(&edge.to)
            ));
        }
        if let Some(i) = selected.filter(|_| chosen_edge.is_none()) {
            let name = |nid: &str| {
                g.node(nid)
                    .map_or(nid.to_owned(), |k| g.nodes[k].label.replace('\n', " "))
            };
            let outs: Vec<String> = out_edges.iter().map(|&e| name(&g.edges[e].to)).collect();
            let ins: Vec<String> = in_edges.iter().map(|&e| name(&g.edges[e].from)).collect();
            let text = match map.and_then(|s| Some((s, s.component_of(i)?))) {
                Some((s, c)) => {
                    let k = &s.map.components[c];
                    let names = title_of(&mut k.drawing.iter().copied());
                    let about = title_of(&mut k.defining.iter().copied());
                    format!(
                        "in: {}   → {}   ← {}   Enter opens {}",
                        list_or_dash(&names),
                        list_or_dash(&outs),
                        list_or_dash(&ins),
                        if about.is_empty() {
                            "a note drawing it".to_owned()
                        } else {
                            about.join(", ")
                        }
                    )
                }
                None => format!(
                    "→ {}   ← {}   Enter opens",
                    list_or_dash(&outs),
                    list_or_dash(&ins)
                ),
            };
            footer.push(text);
        }
        let mut rows = inner.height;
        // Bottom up, the last first: the node's or edge's line stays when rows are few.
        for text in footer.iter().rev() {
            if rows <= 2 {
                break;
            }
            rows -= 1;
            frame.render_widget(
                Paragraph::new(Line::styled(
                    crate::text::cut(&sanitize::line(text), inner.width as usize),
                    cx.style(Role::Dim),
                )),
                Rect::new(inner.x, inner.y + rows, inner.width, 1),
            );
        }
        let canvas = &drawing.canvas;
        let style_of = |role: CanvasRole| -> Style {
            if let Some((m, (a, b))) = walked {
                return cx.style(match role {
                    CanvasRole::Edge(e) if e == m => Role::EdgeOut,
                    CanvasRole::Node(n) if n == a || n == b => Role::DiagramSelected,
                    CanvasRole::Node(_) => Role::DiagramNode,
                    _ => Role::EdgeOther,
                });
            }
            if let Some(e) = chosen_edge {
                let ends = (g.node(&g.edges[e].from), g.node(&g.edges[e].to));
                return cx.style(match role {
                    CanvasRole::Edge(x) if x == e => Role::EdgeOut,
                    CanvasRole::Node(n) if Some(n) == ends.0 || Some(n) == ends.1 => {
                        Role::DiagramSelected
                    }
                    CanvasRole::Node(_) => Role::DiagramNode,
                    _ => Role::EdgeOther,
                });
            }
            let r = match (selected, role) {
                (None, _) => Role::DiagramNode,
                (Some(s), CanvasRole::Node(n)) if s == n => Role::DiagramSelected,
                (Some(_), CanvasRole::Node(_)) => Role::DiagramNode,
                (Some(_), CanvasRole::Edge(e)) if out_edges.contains(&e) => Role::EdgeOut,
                (Some(_), CanvasRole::Edge(e)) if in_edges.contains(&e) => Role::EdgeIn,
                _ => Role::EdgeOther,
            };
            cx.style(r)
        };
        let buf = frame.buffer_mut();
        for y in 0..rows as usize {
            let cy = self.scroll + y;
            if cy >= canvas.height {
                // The legend of labels that found no room on their edge.
                if let Some(l) = canvas.legend_line(cy - canvas.height) {
                    let shown = crate::text::cut_columns(&l, self.hscroll);
                    buf.set_stringn(
                        inner.x,
                        inner.y + y as u16,
                        shown,
                        inner.width as usize,
                        cx.style(Role::Dim),
                    );
                }
                continue;
            }
            let mut x = 0usize;
            while x < inner.width as usize {
                let cx_ = self.hscroll + x;
                if cx_ >= canvas.width {
                    break;
                }
                let (px, py) = (inner.x + x as u16, inner.y + y as u16);
                match canvas.glyph(cx_, cy, false) {
                    // The second half of a wide glyph cut by the left edge: a blank.
                    None => {
                        x += 1;
                    }
                    Some(gl) => {
                        let w = crate::text::width(&gl).max(1);
                        let style = style_of(canvas.role(cx_, cy));
                        if x + w > inner.width as usize {
                            break;
                        }
                        // Labels are sanitised when parsed; every glyph here is printable.
                        buf.set_stringn(px, py, &gl, w, style);
                        x += w;
                    }
                }
            }
        }
        let overflow = Overflow::of(
            (canvas.shown_width(), canvas.height + canvas.legend.len()),
            (self.hscroll, self.scroll),
            (inner.width as usize, rows as usize),
        );
        if map.is_some() {
            render_map_overflow(buf, area, overflow, cx.style(Role::Title));
        } else {
            render_overflow(buf, area, overflow, cx.style(Role::Title));
        }
    }
}

/// The map's marks where its drawing goes on out of view: `«` `»` on the left and right
/// borders (drawings are full of `◀ ▶` arrowheads, which a mark must not look like), `▲` `▼`
/// on the top and bottom ones, and on the bottom border what is cut and how to see it:
/// `╴more » ▼ · arrows pan╶`.
fn render_map_overflow(buf: &mut ratatui::buffer::Buffer, area: Rect, o: Overflow, style: Style) {
    if area.width < 3 || area.height < 3 {
        return;
    }
    let (right, bottom) = (area.right() - 1, area.bottom() - 1);
    let at = area.right().saturating_sub(3).max(area.x + 1);
    for y in [area.y + area.height / 3, area.y + area.height * 2 / 3] {
        if y > area.y && y < bottom {
            if o.left {
                buf.set_stringn(area.x, y, "«", 1, style);
            }
            if o.right {
                buf.set_stringn(right, y, "»", 1, style);
            }
        }
    }
    if o.up {
        buf.set_stringn(at, area.y, "▲", 1, style);
    }
    if o.down {
        buf.set_stringn(at, bottom, "▼", 1, style);
    }
    let marks: Vec<&str> = [(o.left, "«"), (o.right, "»"), (o.up, "▲"), (o.down, "▼")]
        .into_iter()
        .filter_map(|(on, m)| on.then_some(m))
        .collect();
    if marks.is_empty() {
        return;
    }
    let long = format!("╴more {} · arrows pan╶", marks.join(" "));
    let short = format!("╴more {}╶", marks.join(" "));
    // Left of the `▼`, clear of the corner; the short form when the border is narrow.
    let room = (at.saturating_sub(area.x + 2)) as usize;
    let text = [long, short]
        .into_iter()
        .find(|t| crate::text::width(t) <= room);
    if let Some(t) = text {
        let x = at - 1 - crate::text::width(&t) as u16;
        buf.set_stringn(x, bottom, &t, room, style);
    }
}

/// Marks on the pane's border the sides where the drawing goes on out of view: `◀ ▶` half-way
/// down the left and right borders, `▲ ▼` near the right end of the top and bottom ones (the
/// title sits at the left).
fn render_overflow(buf: &mut ratatui::buffer::Buffer, area: Rect, o: Overflow, style: Style) {
    if area.width < 3 || area.height < 3 {
        return;
    }
    let mid = area.y + area.height / 2;
    let (right, bottom) = (area.right() - 1, area.bottom() - 1);
    let at = area.right().saturating_sub(3).max(area.x + 1);
    for (show, x, y, mark) in [
        (o.left, area.x, mid, "◀"),
        (o.right, right, mid, "▶"),
        (o.up, at, area.y, "▲"),
        (o.down, at, bottom, "▼"),
    ] {
        if show {
            buf.set_stringn(x, y, mark, 1, style);
        }
    }
}

/// What `Enter` on the map does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapEnter {
    /// Another view is shown.
    Shown,
    /// Nothing, and why.
    Nothing(String),
    /// These notes are offered (each with the line of the diagram to show in it).
    Notes {
        title: &'static str,
        notes: Vec<(NoteId, Option<usize>)>,
    },
}

/// The first node of `g` whose label's key is one of `keys`.
fn find_node(g: &Graph, keys: &[String]) -> Option<usize> {
    if keys.is_empty() {
        return None;
    }
    g.nodes
        .iter()
        .position(|n| keys.contains(&crate::diagram::map::component_key(&n.label)))
}

fn list_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "–".to_owned()
    } else {
        items.join(", ")
    }
}
