//! The map screen of the diagram pane: the architecture map's components listed (ranked,
//! filtered by typing), a component's focus, the flows between two, or the whole map by
//! clusters. The map and what each view shows are computed by `diagram::map`; this keeps
//! which view is shown, its cursor and the graph it draws, and draws the components list
//! (the other views are drawings, drawn by the diagram pane as any diagram).

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Cursor, Cx, Pane};
use crate::diagram::Graph;
use crate::diagram::map::{ArchMap, Flows};
use crate::sanitize;
use crate::style::Role;
use crate::text::{cut, width};

/// Which view of the map is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapMode {
    /// The components, ranked, filtered by typing.
    Components,
    /// A component and its neighbours to a depth (1 to 3).
    Focus { centre: usize, depth: usize },
    /// The flows from one component to another.
    Path { from: usize, to: usize },
    /// Every component, each cluster (connected group) drawn apart, packed to the pane.
    Whole,
}

/// The graph a view draws: per node the component it is, per edge the link.
#[derive(Debug, Clone)]
pub struct ViewGraph {
    pub graph: Arc<Graph>,
    pub components: Vec<usize>,
    pub links: Vec<usize>,
    pub flows: Option<Flows>,
    /// For the whole map: each cluster's node and edge ranges, and the width to pack them to.
    pub packed: Option<(Arc<Ranges>, usize)>,
}

/// Per cluster, the ranges of its nodes and edges (see `diagram::map::Clustered`).
pub type Ranges = Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>;

/// The deepest focus.
pub const MAX_DEPTH: usize = 3;

#[derive(Debug)]
pub struct MapScreen {
    pub map: ArchMap,
    pub mode: MapMode,
    /// The filter typed over the components list, and the components it keeps.
    pub filter: String,
    shown: Vec<usize>,
    cursor: Cursor,
    /// The first end of a path being picked (`p`).
    pub path_from: Option<usize>,
    /// The view's graph (none for the components list), and a number that changes with it
    /// (its drawings are keyed by it).
    pub view: Option<ViewGraph>,
    pub view_rev: usize,
    /// The chosen edge of the view's graph (`[` `]`).
    pub edge: Option<usize>,
    /// The pane width the view was made for (the whole map is packed to it).
    cols: usize,
    /// While the notes are still read: (read, of).
    pub progress: Option<(usize, usize)>,
}

impl MapScreen {
    pub fn new(map: ArchMap) -> MapScreen {
        let shown = map.ranked.clone();
        MapScreen {
            map,
            mode: MapMode::Components,
            filter: String::new(),
            shown,
            cursor: Cursor::default(),
            path_from: None,
            view: None,
            view_rev: 0,
            edge: None,
            cols: 0,
            progress: None,
        }
    }

    /// The components the list shows (ranked, filtered).
    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// The component under the list's cursor.
    pub fn selected(&self) -> Option<usize> {
        self.shown.get(self.cursor.at).copied()
    }

    /// Puts the list's cursor on component `c` (clearing a filter that hides it).
    pub fn select(&mut self, c: usize) {
        if !self.shown.contains(&c) {
            self.set_filter(String::new());
        }
        if let Some(i) = self.shown.iter().position(|&s| s == c) {
            self.cursor.at = i;
        }
    }

    pub fn set_filter(&mut self, filter: String) {
        self.filter = filter;
        self.shown = self.map.matching(&self.filter);
        self.cursor = Cursor::default();
    }

    pub fn move_by(&mut self, delta: isize) {
        self.cursor.move_by(delta, self.shown.len());
    }

    pub fn to_end(&mut self, last: bool) {
        self.cursor.at = if last {
            self.shown.len().saturating_sub(1)
        } else {
            0
        };
    }

    /// Shows `mode`, making its graph.
    pub fn show(&mut self, mode: MapMode, cols: usize) {
        self.cols = cols;
        self.mode = mode;
        self.edge = None;
        self.view_rev += 1;
        self.view = match mode {
            MapMode::Components => None,
            MapMode::Focus { centre, depth } => {
                let f = self.map.focus(centre, depth);
                let components = f.nodes.iter().map(|&(c, _)| c).collect();
                let mut graph = self.map.focus_graph(&f);
                crate::diagram::map::fit_labels(&mut graph, &[], cols, true);
                Some(ViewGraph {
                    graph: Arc::new(graph),
                    components,
                    links: f.links,
                    flows: None,
                    packed: None,
                })
            }
            MapMode::Path { from, to } => {
                let flows = self.map.flows(from, to);
                let mut rows = self.map.flows_rows(&flows);
                crate::diagram::map::fit_labels(&mut rows.graph, &rows.ranges, cols, false);
                Some(ViewGraph {
                    graph: Arc::new(rows.graph),
                    components: rows.components,
                    links: rows.links,
                    flows: Some(flows),
                    // One flow to a row, whatever the width.
                    packed: Some((Arc::new(rows.ranges), 1)),
                })
            }
            MapMode::Whole => {
                let c = self.map.clustered();
                Some(ViewGraph {
                    graph: Arc::new(c.graph),
                    components: c.components,
                    links: c.links,
                    flows: None,
                    packed: Some((Arc::new(c.ranges), cols.max(20))),
                })
            }
        };
    }

    /// The component of node `i` of the view's graph.
    pub fn component_of(&self, node: usize) -> Option<usize> {
        self.view.as_ref()?.components.get(node).copied()
    }

    /// The node of the view's graph that is component `c`.
    pub fn node_of(&self, c: usize) -> Option<usize> {
        self.view.as_ref()?.components.iter().position(|&k| k == c)
    }

    /// The link of edge `e` of the view's graph.
    pub fn link_of(&self, edge: usize) -> Option<usize> {
        self.view.as_ref()?.links.get(edge).copied()
    }

    /// Steps the chosen edge through the edges at `node` (all edges with no node chosen).
    pub fn step_edge(&mut self, node: Option<usize>, forward: bool) {
        let Some(v) = &self.view else { return };
        let g = &v.graph;
        let at: Vec<usize> = (0..g.edges.len())
            .filter(|&e| {
                node.is_none_or(|n| {
                    let id = &g.nodes[n].id;
                    &g.edges[e].from == id || &g.edges[e].to == id
                })
            })
            .collect();
        if at.is_empty() {
            self.edge = None;
            return;
        }
        let pos = self.edge.and_then(|e| at.iter().position(|&a| a == e));
        let next = match (pos, forward) {
            (None, true) => 0,
            (None, false) => at.len() - 1,
            (Some(p), true) => (p + 1) % at.len(),
            (Some(p), false) => (p + at.len() - 1) % at.len(),
        };
        self.edge = Some(at[next]);
    }

    /// The pane's title for the view.
    pub fn title(&self) -> String {
        let name = |c: usize| sanitize::line(&self.map.components[c].name).into_owned();
        match self.mode {
            MapMode::Components => {
                let filter = if self.filter.is_empty() {
                    String::new()
                } else {
                    format!("· filter {} ", sanitize::line(&self.filter))
                };
                let reading = match self.progress {
                    Some((read, of)) => format!("· reading {read}/{of} notes… "),
                    None => String::new(),
                };
                format!(
                    " 3 Map · {}/{} components from {} notes {filter}{reading}",
                    self.shown.len(),
                    self.map.components.len(),
                    self.map.sources
                )
            }
            MapMode::Focus { centre, depth } => format!(
                " 3 Map · focus {} · depth {depth} · {} components ",
                name(centre),
                self.view.as_ref().map_or(0, |v| v.components.len())
            ),
            MapMode::Path { from, to } => {
                let flows = self
                    .view
                    .as_ref()
                    .and_then(|v| v.flows.as_ref())
                    .map_or(0, |f| f.flows.len());
                format!(" 3 Map · {flows} flows {} → {} ", name(from), name(to))
            }
            MapMode::Whole => format!(
                " 3 Map · {} components from {} notes · by cluster ",
                self.map.components.len(),
                self.map.sources
            ),
        }
    }

    /// The title in short, for a narrow pane: the view without its counts.
    pub fn short_title(&self) -> String {
        let name = |c: usize| sanitize::line(&self.map.components[c].name).into_owned();
        match self.mode {
            MapMode::Components => " 3 Map ".to_owned(),
            MapMode::Focus { centre, .. } => format!(" 3 Map · focus {} ", name(centre)),
            // Already short, and its count is what it shows.
            MapMode::Path { .. } => self.title(),
            MapMode::Whole => " 3 Map · whole ".to_owned(),
        }
    }

    /// Draws the components list: each component's name, how many notes draw it, its links,
    /// the other labels merged into it; the chosen one lit, a `▼`/`▲` on the border when the
    /// list goes on out of view, the keys on the last line.
    /// Keeps the list's cursor in a pane of `rows` inner rows; makes the whole map again for a
    /// pane of another width.
    pub fn fit(&mut self, cols: usize, rows: usize) {
        let hint = self.hint_rows(rows);
        self.cursor.fit(rows - hint, self.shown.len());
        // Another width: the whole map packed again, a focus's or path's labels cut again
        // (the same nodes and edges, so the cursor and the chosen edge stay).
        if self.mode != MapMode::Components && cols != self.cols && cols > 0 {
            let edge = self.edge;
            self.show(self.mode, cols);
            self.edge = edge;
        }
    }

    /// The list's last row says which path is being picked, when one is and rows are many.
    fn hint_rows(&self, rows: usize) -> usize {
        usize::from(rows > 3 && self.path_from.is_some())
    }

    pub fn render_list(&self, frame: &mut Frame, area: Rect, cx: &Cx) {
        let title = cut(&self.title(), (area.width as usize).saturating_sub(2));
        let block = cx.block(Pane::Diagram, Line::styled(title, cx.style(Role::Title)));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let hint_rows = self.hint_rows(inner.height as usize) as u16;
        let rows = (inner.height - hint_rows) as usize;
        let mut cursor = self.cursor;
        cursor.fit(rows, self.shown.len());
        let cols = inner.width as usize;
        if self.shown.is_empty() {
            let msg = if self.map.components.is_empty() {
                "No diagram in the notes in view."
            } else {
                "No component matches the filter."
            };
            frame.render_widget(
                Paragraph::new(Line::styled(msg, cx.style(Role::Dim))),
                Rect::new(inner.x, inner.y, inner.width, 1),
            );
        }
        let name_w = self
            .shown
            .iter()
            .skip(cursor.offset)
            .take(rows)
            .map(|&c| width(&self.map.components[c].name))
            .max()
            .unwrap_or(0)
            .min(cols / 2)
            .max(4);
        for (row, &c) in self.shown.iter().enumerate().skip(cursor.offset).take(rows) {
            let k = &self.map.components[c];
            let mark = if self.path_from == Some(c) {
                "◆"
            } else {
                " "
            };
            let name = crate::text::fit(&cut(&sanitize::line(&k.name), name_w), name_w);
            let counts = format!(
                " {:>3} {} {:>3} {}",
                k.drawing.len(),
                if k.drawing.len() == 1 {
                    "note "
                } else {
                    "notes"
                },
                self.map.degrees[c],
                if self.map.degrees[c] == 1 {
                    "link "
                } else {
                    "links"
                },
            );
            let rest = k.also_drawn_as();
            let used = 1 + name_w + width(&counts);
            let rest = cut(&sanitize::line(&rest), cols.saturating_sub(used));
            let selected = row == cursor.at;
            let base = if selected {
                cx.style(Role::Selected)
            } else {
                cx.style(Role::Text)
            };
            let line = Line::from(vec![
                Span::styled(mark, cx.style(Role::Accent)),
                Span::styled(name, base),
                Span::styled(counts, if selected { base } else { cx.style(Role::Dim) }),
                Span::styled(rest, cx.style(Role::Dim)),
            ]);
            let y = inner.y + (row - cursor.offset) as u16;
            frame.render_widget(Paragraph::new(line), Rect::new(inner.x, y, inner.width, 1));
        }
        // The keys are in the status bar (from the keymap); here only the path being picked.
        if hint_rows == 1
            && let Some(c) = self.path_from
        {
            let hint = format!(
                "◆ path from {}: p on another component shows the flows to it",
                self.map.components[c].name
            );
            frame.render_widget(
                Paragraph::new(Line::styled(
                    cut(&sanitize::line(&hint), cols),
                    cx.style(Role::Accent),
                )),
                Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
            );
        }
        // More above or below: a mark on the border.
        let buf = frame.buffer_mut();
        let x = area.right().saturating_sub(3).max(area.x + 1);
        if cursor.offset > 0 && area.height >= 3 {
            buf.set_stringn(x, area.y, "▲", 1, cx.style(Role::Title));
        }
        if cursor.offset + rows < self.shown.len() && area.height >= 3 {
            buf.set_stringn(x, area.bottom() - 1, "▼", 1, cx.style(Role::Title));
        }
    }
}
