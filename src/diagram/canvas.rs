//! A laid-out diagram drawn into a grid of cells: boxes and lines in box drawing (`─│┌┐└┘├┤┬┴┼`),
//! arrowheads (`▶▼◀▲`), labels on their edges, wide characters as a head cell and a
//! continuation cell. Each cell remembers what it shows (a node, an edge, a label) so a view can
//! style the selection; `lines` gives the plain text, optionally in ASCII only.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::frames::{Frame, Frames};
use super::graph::{Edge, EdgeStyle, Graph, Head};
use super::layout::{Layout, NodeBox};

/// The directions a line leaves a cell in, as the bits of the masks [`Canvas::add_line`] takes.
pub(crate) const N: u8 = 1;
pub(crate) const E: u8 = 2;
pub(crate) const S: u8 = 4;
pub(crate) const W: u8 = 8;

/// What a cell belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    None,
    Node(usize),
    Edge(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Empty,
    /// A grapheme of text (a label), `width` columns.
    Text {
        g: String,
        role: Role,
    },
    /// The second column of a wide grapheme.
    Cont,
    /// Line directions meeting here, and which edges (or node border) drew them.
    Line {
        parts: Vec<(u8, Role)>,
    },
    Head {
        glyph: char,
        role: Role,
    },
}

#[derive(Debug, Clone)]
pub struct Canvas {
    pub width: usize,
    pub height: usize,
    cells: Vec<Cell>,
    /// Edge labels that found no room on their edge: (marker, edge, text).
    pub legend: Vec<(char, usize, String)>,
    /// Each edge's stroke (solid when unknown).
    strokes: Vec<EdgeStyle>,
    /// Whether each node is round (its corners drawn `╭╮╰╯`).
    rounded: Vec<bool>,
}

impl Canvas {
    /// A canvas holding no picture, only a line of text (for a diagram too large to draw).
    pub fn message(text: &str) -> Canvas {
        let mut c = Canvas::new(1, 1);
        c.legend.push(('!', 0, text.to_owned()));
        c
    }

    pub(super) fn new(width: usize, height: usize) -> Canvas {
        Canvas {
            width,
            height,
            cells: vec![Cell::Empty; width * height],
            legend: Vec::new(),
            strokes: Vec::new(),
            rounded: Vec::new(),
        }
    }

    pub fn cell(&self, x: usize, y: usize) -> &Cell {
        &self.cells[y * self.width + x]
    }

    fn cell_mut(&mut self, x: usize, y: usize) -> Option<&mut Cell> {
        (x < self.width && y < self.height).then(|| &mut self.cells[y * self.width + x])
    }

    pub(super) fn add_line(&mut self, x: usize, y: usize, mask: u8, role: Role) {
        if let Some(c) = self.cell_mut(x, y) {
            match c {
                Cell::Line { parts } => parts.push((mask, role)),
                Cell::Empty => {
                    *c = Cell::Line {
                        parts: vec![(mask, role)],
                    }
                }
                // Text and heads win over lines.
                _ => {}
            }
        }
    }

    /// Makes the canvas `width` columns wide (never narrower), the new columns empty: room
    /// for a label beside a line at the picture's right edge.
    fn widen(&mut self, width: usize) {
        if width <= self.width {
            return;
        }
        let mut cells = vec![Cell::Empty; width * self.height];
        for y in 0..self.height {
            for x in 0..self.width {
                cells[y * width + x] =
                    std::mem::replace(&mut self.cells[y * self.width + x], Cell::Empty);
            }
        }
        self.cells = cells;
        self.width = width;
    }

    /// Whether a label `w` columns wide fits beside (x, y), right of it with a blank
    /// between, on cells free up to the canvas edge and past it: the columns it would need
    /// past the edge (0 when it fits inside).
    fn free_past_edge(&self, x: usize, y: usize, w: usize) -> Option<usize> {
        (y < self.height && (x..self.width).all(|cx| *self.cell(cx, y) == Cell::Empty))
            .then(|| (x + w + 1).saturating_sub(self.width))
    }

    /// The column a label `w` wide starts at left of column `x` on row `y`, a blank between
    /// it and `x` and a blank (or the canvas edge) before it, all free.
    fn free_left_of(&self, x: usize, y: usize, w: usize) -> Option<usize> {
        let start = x.checked_sub(w + 1)?;
        let from = start.saturating_sub(1);
        self.free(from, y, x - from).then_some(start)
    }

    fn free(&self, x: usize, y: usize, w: usize) -> bool {
        x + w <= self.width
            && y < self.height
            && (x..x + w).all(|cx| *self.cell(cx, y) == Cell::Empty)
    }

    /// Writes text from (x, y), cut at the canvas edge between graphemes.
    pub(super) fn text(&mut self, x: usize, y: usize, s: &str, role: Role) {
        let mut cx = x;
        for g in s.graphemes(true) {
            let w = g.width();
            if w == 0 || cx + w > self.width || y >= self.height {
                continue;
            }
            self.cells[y * self.width + cx] = Cell::Text {
                g: g.to_owned(),
                role,
            };
            for k in 1..w {
                self.cells[y * self.width + cx + k] = Cell::Cont;
            }
            cx += w;
        }
    }

    /// The character a cell shows, in box drawing or (with `ascii`) in `- | + > v < ^`.
    pub fn glyph(&self, x: usize, y: usize, ascii: bool) -> Option<String> {
        match self.cell(x, y) {
            Cell::Empty => Some(" ".to_owned()),
            Cell::Cont => None,
            Cell::Text { g, .. } if ascii => Some(ascii_text(g)),
            Cell::Text { g, .. } => Some(g.clone()),
            Cell::Head { glyph, .. } => Some(
                if ascii {
                    match glyph {
                        '▶' => '>',
                        '◀' => '<',
                        '▲' => '^',
                        '▼' => 'v',
                        '◇' => '*',
                        '◆' => '#',
                        '‖' => '|',
                        '═' => '=',
                        '∧' => 'M',
                        '∨' => 'W',
                        other => *other,
                    }
                } else {
                    *glyph
                }
                .to_string(),
            ),
            Cell::Line { parts } => Some(
                self.round_corner(parts, ascii)
                    .unwrap_or_else(|| line_glyph(parts, ascii, self.stroke(parts)))
                    .to_string(),
            ),
        }
    }

    /// A corner of a round node's box that nothing else drew (an edge leaving from the corner
    /// makes it a tee as on any box): `╭╮╰╯`.
    fn round_corner(&self, parts: &[(u8, Role)], ascii: bool) -> Option<char> {
        if ascii
            || !parts.iter().all(|p| match p.1 {
                Role::Node(i) => self.rounded.get(i).copied().unwrap_or(false),
                _ => false,
            })
        {
            return None;
        }
        match parts.iter().fold(0, |m, p| m | p.0) {
            m if m == S | E => Some('╭'),
            m if m == S | W => Some('╮'),
            m if m == N | E => Some('╰'),
            m if m == N | W => Some('╯'),
            _ => None,
        }
    }

    /// The stroke a line cell is drawn in: thick or dotted when only edges of that stroke
    /// drew it, else solid (a node's border, or edges of different strokes meeting).
    fn stroke(&self, parts: &[(u8, Role)]) -> EdgeStyle {
        let mut stroke = None;
        // A frame's border crossed by an edge: the edge's stroke says the crossing's glyph.
        let crossing = parts.iter().any(|p| p.1 == Role::None)
            && parts.iter().fold(0, |m, p| m | p.0) == N | E | S | W;
        for p in parts {
            let Role::Edge(e) = p.1 else {
                if crossing && p.1 == Role::None {
                    continue;
                }
                return EdgeStyle::Solid;
            };
            let s = self.strokes.get(e).copied().unwrap_or_default();
            if stroke.is_some_and(|t| t != s) {
                return EdgeStyle::Solid;
            }
            stroke = Some(s);
        }
        stroke.unwrap_or_default()
    }

    /// What a cell belongs to (for a line, the first edge or node that drew it).
    pub fn role(&self, x: usize, y: usize) -> Role {
        match self.cell(x, y) {
            Cell::Text { role, .. } | Cell::Head { role, .. } => *role,
            Cell::Line { parts } => parts
                .iter()
                .map(|p| p.1)
                .find(|r| matches!(r, Role::Node(_)))
                .or_else(|| parts.first().map(|p| p.1))
                .unwrap_or(Role::None),
            _ => Role::None,
        }
    }

    /// Whether only edges (no node border) drew a cell.
    fn role_is_edge_only(&self, x: usize, y: usize) -> bool {
        match self.cell(x, y) {
            Cell::Line { parts } => parts.iter().all(|p| matches!(p.1, Role::Edge(_))),
            _ => false,
        }
    }

    /// Every edge that drew part of a cell.
    pub fn edges_at(&self, x: usize, y: usize) -> Vec<usize> {
        match self.cell(x, y) {
            Cell::Line { parts } => parts
                .iter()
                .filter_map(|p| match p.1 {
                    Role::Edge(e) => Some(e),
                    _ => None,
                })
                .collect(),
            Cell::Head {
                role: Role::Edge(e),
                ..
            }
            | Cell::Text {
                role: Role::Edge(e),
                ..
            } => {
                vec![*e]
            }
            _ => Vec::new(),
        }
    }

    /// The picture as text lines (trailing blanks removed), then the legend.
    pub fn lines(&self, ascii: bool) -> Vec<String> {
        let mut out: Vec<String> = (0..self.height)
            .map(|y| {
                let mut s = String::new();
                for x in 0..self.width {
                    if let Some(g) = self.glyph(x, y, ascii) {
                        s.push_str(&g);
                    }
                }
                s.trim_end().to_owned()
            })
            .collect();
        out.extend((0..self.legend.len()).filter_map(|i| self.legend_line(i)));
        out
    }

    /// The columns the picture and its legend lines take: what a view scrolls across (a
    /// legend line, such as the message of a diagram that is not drawn, may be the widest).
    pub fn shown_width(&self) -> usize {
        // As wide as `legend_line` writes it: the mark, a space, the text.
        self.legend
            .iter()
            .map(|(mark, _, text)| mark.width().unwrap_or(0) + 1 + text.width())
            .fold(self.width, usize::max)
    }

    /// Line `i` of the legend (labels that found no room on their edge, self-loops).
    pub fn legend_line(&self, i: usize) -> Option<String> {
        self.legend
            .get(i)
            .map(|(mark, _, text)| format!("{mark} {text}"))
    }
}

/// Box drawing and arrows written as text (sequence diagrams draw their arrows so) in ASCII.
fn ascii_text(g: &str) -> String {
    let c = match g {
        "─" | "┄" => '-',
        "│" | "┃" | "┆" => '|',
        "┌" | "┐" | "└" | "┘" | "┬" | "╭" | "╮" | "╰" | "╯" => '+',
        "⎡" | "⎢" | "⎣" => '[',
        "⎤" | "⎥" | "⎦" => ']',
        "⎛" | "⎜" | "⎝" => '(',
        "⎞" | "⎟" | "⎠" => ')',
        "▶" => '>',
        "◀" => '<',
        _ => return g.to_owned(),
    };
    c.to_string()
}

/// The glyph for the directions meeting in a cell. Two edges crossing straight (one across,
/// one along) show as an unbroken vertical line: a hop, not a junction they do not share.
/// An edge crossing a frame's border shows as `┼` (as people draw a line through a
/// container's side), `╫`/`╪` for a thick edge.
fn line_glyph(parts: &[(u8, Role)], ascii: bool, stroke: EdgeStyle) -> char {
    let mut mask = parts.iter().fold(0, |m, p| m | p.0);
    let edges: Vec<Role> = parts.iter().map(|p| p.1).collect();
    let distinct = edges.iter().any(|r| *r != edges[0]);
    let straight = |m: u8| m & (N | S) == 0 || m & (E | W) == 0;
    let frame = edges.contains(&Role::None);
    if distinct && mask == N | E | S | W && parts.iter().all(|p| straight(p.0)) {
        if frame {
            return match stroke {
                _ if ascii => '+',
                EdgeStyle::Thick => {
                    // Which way the edge runs: across a side or through the top or bottom.
                    let along = parts
                        .iter()
                        .find(|p| p.1 != Role::None)
                        .map_or(N | S, |p| p.0);
                    if along & (N | S) != 0 { '╫' } else { '╪' }
                }
                _ => '┼',
            };
        }
        // The hop: the vertical line is drawn.
        mask = N | S;
    }
    let vertical = mask & (N | S) != 0 && mask & (E | W) == 0;
    let horizontal = mask & (N | S) == 0;
    if ascii {
        return match (stroke, mask) {
            (_, m) if m & (N | S) != 0 && m & (E | W) != 0 => '+',
            (EdgeStyle::Dotted, _) if vertical => ':',
            (EdgeStyle::Dotted, _) => '.',
            (EdgeStyle::Thick, _) if horizontal => '=',
            (_, m) if m & (N | S) != 0 => '|',
            _ => '-',
        };
    }
    match stroke {
        EdgeStyle::Dotted if vertical => return '┆',
        EdgeStyle::Dotted if horizontal => return '┄',
        EdgeStyle::Thick => return thick_glyph(mask),
        _ => {}
    }
    match mask {
        m if m == N | S || m == N || m == S => '│',
        m if m == E | W || m == E || m == W => '─',
        m if m == S | E => '┌',
        m if m == S | W => '┐',
        m if m == N | E => '└',
        m if m == N | W => '┘',
        m if m == N | S | E => '├',
        m if m == N | S | W => '┤',
        m if m == E | W | S => '┬',
        m if m == E | W | N => '┴',
        _ => '┼',
    }
}

/// The double-line glyph for the directions meeting in a cell (a thick edge).
fn thick_glyph(mask: u8) -> char {
    match mask {
        m if m == N | S || m == N || m == S => '║',
        m if m == E | W || m == E || m == W => '═',
        m if m == S | E => '╔',
        m if m == S | W => '╗',
        m if m == N | E => '╚',
        m if m == N | W => '╝',
        m if m == N | S | E => '╠',
        m if m == N | S | W => '╣',
        m if m == E | W | S => '╦',
        m if m == E | W | N => '╩',
        _ => '╬',
    }
}

/// The glyph of an edge's end pointing `dir` (`N E S W`) into its node, or `None` for a
/// plain end.
fn end_glyph(head: Head, dir: char) -> Option<char> {
    match head {
        Head::None => None,
        Head::Circle | Head::CircleBoth => Some('o'),
        Head::Cross | Head::CrossBoth => Some('x'),
        Head::Arrow | Head::Both => Some(match dir {
            'S' => '▼',
            'N' => '▲',
            'E' => '▶',
            _ => '◀',
        }),
        Head::Diamond => Some('◇'),
        Head::FilledDiamond => Some('◆'),
        // A double bar across the line: "exactly one".
        Head::One => Some(if matches!(dir, 'E' | 'W') {
            '‖'
        } else {
            '═'
        }),
        // A fork opening into the node, as Mermaid's `|{` writes it.
        Head::Many => Some(match dir {
            'S' => '∧',
            'N' => '∨',
            'E' => '{',
            _ => '}',
        }),
    }
}

/// Draws a laid-out graph.
pub fn draw(g: &Graph, layout: &Layout) -> Canvas {
    draw_framed(g, layout, &Frames::default())
}

/// Draws a laid-out graph with its groups' frames (placed by [`super::frames::place`]): the
/// frames go on after the boxes and edges (a frame line crossing an edge is a hop) and before
/// the edge labels (which keep off them); groups not framed are legend lines.
pub fn draw_framed(g: &Graph, layout: &Layout, frames: &Frames) -> Canvas {
    let mut c = Canvas::new(layout.width.max(1), layout.height.max(1));
    c.strokes = g.edges.iter().map(|e| e.style).collect();
    c.rounded = g.nodes.iter().map(|n| n.rounded).collect();
    for (i, b) in layout.nodes.iter().enumerate() {
        let n = &g.nodes[i];
        draw_node(
            &mut c,
            b,
            &n.label,
            n.rounded,
            Role::Node(i),
            layout.compact,
        );
    }
    for route in &layout.routes {
        let role = Role::Edge(route.edge);
        for ((x, y), m) in route_cells(&route.points) {
            c.add_line(x, y, m, role);
        }
        // The tail leaves its node's border through a tee; the head points into its node
        // (an end with no head joins the border with a tee too).
        let head = g.edges.get(route.edge).map_or(Head::Arrow, |e| e.head);
        if let (Some(&first), Some(&last)) = (route.points.first(), route.points.last()) {
            // Toward the tail's box: back against the first step, unless the route first runs
            // along the box (a lane reached along its side).
            let tail = g
                .edges
                .get(route.edge)
                .and_then(|e| g.node(&e.from))
                .and_then(|i| layout.nodes.get(i));
            // An edge between a group and a node inside it: its group's end is just inside
            // the frame, which that end faces.
            let (tail_frame, head_frame) = inner_ends(g, layout, frames, route);
            let start_dir = tail_frame
                .or_else(|| tail.and_then(|b| facing(first, b)))
                .or_else(|| {
                    route
                        .points
                        .get(1)
                        .and_then(|&next| toward(first, next))
                        .map(opposite)
                });
            let edge = g.edges.get(route.edge);
            let two_ended = edge.is_some_and(Edge::two_ended);
            if let Some(d) = start_dir
                && !two_ended
            {
                tee_into_border(&mut c, first, d, role);
            }
            let before = route
                .points
                .len()
                .checked_sub(2)
                .and_then(|i| route.points.get(i))
                .copied();
            // Into the head's box: along the last step, unless the route last runs along the
            // box (from a lane).
            let into = g
                .edges
                .get(route.edge)
                .and_then(|e| g.node(&e.to))
                .and_then(|i| layout.nodes.get(i))
                .and_then(|b| facing(last, b));
            let dir = into
                .or(head_frame)
                .or_else(|| before.and_then(|b| toward(b, last)))
                .unwrap_or(match layout.direction {
                    super::Direction::TB => 'S',
                    super::Direction::BT => 'N',
                    super::Direction::LR => 'E',
                    super::Direction::RL => 'W',
                });
            match end_glyph(head, dir) {
                Some(glyph) => {
                    if let Some(cell) = c.cell_mut(last.0, last.1) {
                        *cell = Cell::Head { glyph, role };
                    }
                }
                None => tee_into_border(&mut c, last, dir, role),
            }
            // Two heads: the tail end points back into its node.
            if let Some(tail) = edge.and_then(Edge::tail_mark)
                && let Some(d) = start_dir
                && let Some(glyph) = end_glyph(tail, d)
                && route.points.len() >= 2
                && let Some(cell) = c.cell_mut(first.0, first.1)
            {
                *cell = Cell::Head { glyph, role };
            }
        }
    }
    for f in &frames.frames {
        if !draw_frame(&mut c, f) {
            c.legend.push(('□', 0, f.listing.clone()));
        }
    }
    // An edge leaving a group's frame leaves its border through a tee, as from a node; one
    // with no head ends on the border the same way.
    for route in &layout.routes {
        let Some(e) = g.edges.get(route.edge) else {
            continue;
        };
        let role = Role::Edge(route.edge);
        let framed = |id: &str| {
            g.end_is_subgraph(id)
                && g.subgraph(id)
                    .is_some_and(|s| frames.frames.iter().any(|f| f.group == s))
        };
        let pts = &route.points;
        let (tail_frame, head_frame) = inner_ends(g, layout, frames, route);
        if framed(&e.from)
            && !e.two_ended()
            && let (Some(&first), Some(&next)) = (pts.first(), pts.get(1))
            && let Some(d) = tail_frame.or_else(|| toward(first, next).map(opposite))
        {
            tee_onto_frame(&mut c, first, d, role);
        }
        if framed(&e.to)
            && e.head == Head::None
            && let (Some(&last), Some(&before)) = (
                pts.last(),
                pts.len().checked_sub(2).and_then(|i| pts.get(i)),
            )
            && let Some(d) = head_frame.or_else(|| toward(before, last))
        {
            tee_onto_frame(&mut c, last, d, role);
        }
    }
    for l in &frames.listed {
        c.legend.push(('□', 0, l.clone()));
    }
    // An edge between a group and something inside it that had no room: said, not dropped.
    for &i in &frames.undrawn {
        let Some(e) = g.edges.get(i) else { continue };
        let name = |id: &str| match (g.node(id), g.subgraph(id)) {
            (Some(k), _) => g.nodes[k].label.replace('\n', " "),
            (None, Some(s)) => super::frames::title(g, s),
            _ => id.to_owned(),
        };
        let text = format!(
            "{} → {}{}: not drawn (a group and what is inside it, no room for a line)",
            name(&e.from),
            name(&e.to),
            e.label
                .as_deref()
                .map(|l| format!(" ({})", l.replace('\n', " ")))
                .unwrap_or_default()
        );
        c.legend.push(('□', i, text));
    }
    // An edge from a node to itself has no route: the legend says it.
    for (i, e) in g.edges.iter().enumerate() {
        if e.from == e.to {
            let name = g
                .node(&e.from)
                .map_or(e.from.clone(), |k| g.nodes[k].label.replace('\n', " "));
            let text = match &e.label {
                Some(l) => format!("{name} → itself: {}", l.replace('\n', " ")),
                None => format!("{name} → itself"),
            };
            c.legend.push(('↻', i, text));
        }
    }
    // Labels on their edge: over a straight horizontal run long enough, else beside a
    // vertical run where the cells are free; else a numbered marker and a legend line.
    let mut marks = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".chars();
    for route in &layout.routes {
        let Some(text) = g.edges[route.edge].label.as_deref() else {
            continue;
        };
        let text = text.replace('\n', " ");
        let w = text.width();
        let mine = |c: &Canvas, x: usize, y: usize| {
            matches!(c.cell(x, y), Cell::Line { .. })
                && c.edges_at(x, y).iter().all(|&e| e == route.edge)
                && c.role_is_edge_only(x, y)
        };
        // Where the layout kept room for it, when nothing else came there (a frame).
        let mut spot = route.label.filter(|&(x, y)| {
            x + w <= c.width
                && y < c.height
                && (x..x + w).all(|cx| *c.cell(cx, y) == Cell::Empty || mine(&c, cx, y))
        });
        for seg in route.points.windows(2) {
            if spot.is_some() {
                break;
            }
            let ((x0, y0), (x1, y1)) = (seg[0], seg[1]);
            if y0 == y1 {
                let (a, b) = (x0.min(x1), x0.max(x1));
                // Leave a line cell at each end so the run still reads as a line: the first
                // stretch of its own line (past a frame it crosses, say) long enough.
                // (Which cells are its own, looked at once.)
                if b >= a + w + 2 {
                    let own: Vec<bool> = (a..=b).map(|x| mine(&c, x, y0)).collect();
                    let at = |x: usize| own[x - a];
                    spot = (a + 1..=b - w - 1)
                        .find(|&x| (x..x + w).all(at) && (x == a + 1 || (at(x - 1) && at(x + w))))
                        .map(|x| (x, y0));
                }
                if spot.is_some() {
                    break;
                }
            } else {
                // Across the line (it stops for the label and goes on under it, as the
                // layout places labels), a blank either side; else beside it, right.
                let (a, b) = (y0.min(y1), y0.max(y1));
                let lead = super::layout::label_lead(w);
                let across = |y: usize| {
                    let x = x0.checked_sub(lead + 1)?;
                    (x..x + w + 2)
                        .all(|cx| {
                            cx < c.width
                                && (*c.cell(cx, y) == Cell::Empty || (cx == x0 && mine(&c, cx, y)))
                        })
                        .then_some((x + 1, y))
                };
                spot = (a + 1..b).find_map(across);
                if spot.is_some() {
                    break;
                }
                for y in a + 1..b {
                    if c.free(x0 + 1, y, w + 1) {
                        spot = Some((x0 + 2, y));
                        break;
                    }
                }
                if spot.is_some() {
                    break;
                }
                // Else beside it, left; else right, past the picture's edge (the canvas
                // grows for it).
                spot = (a + 1..b)
                    .find_map(|y| c.free_left_of(x0, y, w).map(|x| (x, y)))
                    .or_else(|| {
                        let y = (a + 1..b).find(|&y| c.free_past_edge(x0 + 1, y, w).is_some())?;
                        c.widen(x0 + 2 + w);
                        Some((x0 + 2, y))
                    });
                if spot.is_some() {
                    break;
                }
            }
        }
        // A route of one cell (a group's line to a node inside it): beside that cell.
        // (Right, else left, else right past the picture's edge.)
        if spot.is_none()
            && let Some(&(x, y)) = route.points.first()
            && route.points.iter().all(|&p| p == (x, y))
        {
            spot = if c.free(x + 1, y, w + 1) {
                Some((x + 2, y))
            } else if let Some(left) = c.free_left_of(x, y, w) {
                Some((left, y))
            } else if c.free_past_edge(x + 1, y, w).is_some() {
                c.widen(x + 2 + w);
                Some((x + 2, y))
            } else {
                None
            };
        }
        match spot {
            Some((x, y)) => c.text(x, y, &text, Role::Edge(route.edge)),
            None => {
                // The marker on a cell of the edge's own line, nearest its middle; else on
                // the first cell of its route.
                let mark = marks.next().unwrap_or('*');
                let cells: Vec<(usize, usize)> =
                    route_cells(&route.points).map(|(cell, _)| cell).collect();
                let mid = cells.len() / 2;
                // (A route with no line of its own, all head: beside its first cell, so the
                // head stays; with no room there, the legend names the edge instead.)
                let beside = |&(x, y): &(usize, usize)| {
                    [(x + 1, y), (x.wrapping_sub(1), y)]
                        .into_iter()
                        .find(|&(bx, by)| bx < c.width && *c.cell(bx, by) == Cell::Empty)
                };
                let at = (0..cells.len())
                    .map(|k| cells[(mid + k) % cells.len()])
                    .find(|&(x, y)| mine(&c, x, y))
                    .or_else(|| route.points.first().and_then(beside));
                match at {
                    Some((x, y)) => {
                        if let Some(cell) = c.cell_mut(x, y) {
                            *cell = Cell::Text {
                                g: mark.to_string(),
                                role: Role::Edge(route.edge),
                            };
                        }
                        c.legend.push((mark, route.edge, text));
                    }
                    None => {
                        let e = &g.edges[route.edge];
                        let name = |id: &str| match (g.node(id), g.subgraph(id)) {
                            (Some(k), _) => g.nodes[k].label.replace('\n', " "),
                            (None, Some(s)) => super::frames::title(g, s),
                            _ => id.to_owned(),
                        };
                        let named = format!("{} → {}: {text}", name(&e.from), name(&e.to));
                        c.legend.push(('·', route.edge, named));
                    }
                }
            }
        }
    }
    c
}

/// For a route of an edge between a framed group and a node inside it (see
/// `frames::inner`): the direction from its tail's end, and from its head's end, to the
/// group's frame border next to it, for whichever end is the group. The border is where the
/// route points away from its other end (or, for a route of one cell, away from the node).
fn inner_ends(
    g: &Graph,
    layout: &Layout,
    frames: &Frames,
    route: &super::layout::Route,
) -> (Option<char>, Option<char>) {
    let Some(e) = g.edges.get(route.edge) else {
        return (None, None);
    };
    let frame = |id: &str| {
        g.end_is_subgraph(id)
            .then(|| g.subgraph(id))
            .flatten()
            .and_then(|s| frames.frames.iter().find(|f| f.group == s))
    };
    // The inner end's box: a node's, or a framed group's frame.
    let node = |id: &str| -> Option<NodeBox> {
        match g.node(id) {
            Some(k) => layout.nodes.get(k).copied(),
            None => frame(id).map(|f| NodeBox {
                x: f.x,
                y: f.y,
                w: f.w,
                h: f.h,
            }),
        }
    };
    let inside = |f: &Frame, b: &NodeBox| {
        f.x < b.x && b.x + b.w < f.x + f.w && f.y < b.y && b.y + b.h < f.y + f.h
    };
    let on_border = |(x, y): (usize, usize), f: &Frame| {
        let (x0, y0, x1, y1) = (f.x, f.y, f.x + f.w - 1, f.y + f.h - 1);
        ((x == x0 || x == x1) && (y0..=y1).contains(&y))
            || ((y == y0 || y == y1) && (x0..=x1).contains(&x))
    };
    let side = |end: (usize, usize), other: Option<(usize, usize)>, b: &NodeBox, f: &Frame| {
        other
            .filter(|&o| o != end)
            .and_then(|o| toward(o, end))
            .or_else(|| facing(end, b).map(opposite))
            .filter(|&d| on_border(step(end, d), f))
    };
    let pts = &route.points;
    let (Some(&first), Some(&last)) = (pts.first(), pts.last()) else {
        return (None, None);
    };
    let before = pts.len().checked_sub(2).and_then(|i| pts.get(i)).copied();
    let (from, to) = (node(&e.from), node(&e.to));
    // The outer group's end faces its border; a nested group's end faces its frame.
    match (frame(&e.from), frame(&e.to)) {
        (Some(f), _) if to.is_some_and(|b| inside(f, &b)) => {
            let b = to.unwrap_or_default();
            let head = g.end_is_subgraph(&e.to).then(|| facing(last, &b)).flatten();
            (side(first, pts.get(1).copied(), &b, f), head)
        }
        (_, Some(f)) if from.is_some_and(|b| inside(f, &b)) => {
            let b = from.unwrap_or_default();
            let tail = g
                .end_is_subgraph(&e.from)
                .then(|| facing(first, &b))
                .flatten();
            (tail, side(last, before, &b, f))
        }
        _ => (None, None),
    }
}

/// Joins an edge's end cell `at` to the node border next to it in direction `d`: the end
/// reaches toward the border, and the border shows a tee where the border is a node's line.
fn tee_into_border(c: &mut Canvas, at: (usize, usize), d: char, role: Role) {
    c.add_line(at.0, at.1, bit(d), role);
    let (bx, by) = step(at, d);
    let on_border = bx < c.width
        && by < c.height
        && matches!(c.cell(bx, by), Cell::Line { parts } if parts.iter().any(|p| matches!(p.1, Role::Node(_))));
    if on_border {
        c.add_line(bx, by, bit(opposite(d)), role);
    }
}

/// Joins an edge's end cell `at` to the frame border next to it in direction `d`.
fn tee_onto_frame(c: &mut Canvas, at: (usize, usize), d: char, role: Role) {
    let (bx, by) = step(at, d);
    let on_frame = bx < c.width
        && by < c.height
        && matches!(c.cell(bx, by), Cell::Line { parts } if parts.iter().any(|p| p.1 == Role::None));
    if on_frame {
        c.add_line(at.0, at.1, bit(d), role);
        c.add_line(bx, by, bit(opposite(d)), role);
    }
}

/// The cells of a route's straight steps, each with the directions its line takes there.
fn route_cells(points: &[(usize, usize)]) -> impl Iterator<Item = ((usize, usize), u8)> + '_ {
    points.windows(2).flat_map(|w| {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let across = y0 == y1;
        let (a, b) = if across {
            (x0.min(x1), x0.max(x1))
        } else {
            (y0.min(y1), y0.max(y1))
        };
        let (back, on) = if across { (W, E) } else { (N, S) };
        (a..=b).map(move |k| {
            let mask = if k > a { back } else { 0 } | if k < b { on } else { 0 };
            (if across { (k, y0) } else { (x0, k) }, mask)
        })
    })
}

fn bit(d: char) -> u8 {
    match d {
        'N' => N,
        'S' => S,
        'E' => E,
        _ => W,
    }
}

fn opposite(d: char) -> char {
    match d {
        'N' => 'S',
        'S' => 'N',
        'E' => 'W',
        _ => 'E',
    }
}

/// The direction from cell `p` into box `b` when `p` is just outside one of its sides.
fn facing(p: (usize, usize), b: &NodeBox) -> Option<char> {
    let (x, y) = p;
    let across = x >= b.x && x < b.x + b.w;
    let along = y >= b.y && y < b.y + b.h;
    if across && y == b.y + b.h {
        Some('N')
    } else if across && y + 1 == b.y {
        Some('S')
    } else if along && x == b.x + b.w {
        Some('W')
    } else if along && x + 1 == b.x {
        Some('E')
    } else {
        None
    }
}

/// The direction from `a` toward `b` along a straight run.
fn toward(a: (usize, usize), b: (usize, usize)) -> Option<char> {
    use std::cmp::Ordering::*;
    match (b.0.cmp(&a.0), b.1.cmp(&a.1)) {
        (Equal, Greater) => Some('S'),
        (Equal, Less) => Some('N'),
        (Greater, Equal) => Some('E'),
        (Less, Equal) => Some('W'),
        _ => None,
    }
}

/// The neighbouring cell in direction `d` (wrapping off the canvas, which no cell matches).
fn step(p: (usize, usize), d: char) -> (usize, usize) {
    match d {
        'S' => (p.0, p.1.wrapping_add(1)),
        'N' => (p.0, p.1.wrapping_sub(1)),
        'E' => (p.0.wrapping_add(1), p.1),
        _ => (p.0.wrapping_sub(1), p.1),
    }
}

fn draw_node(c: &mut Canvas, b: &NodeBox, label: &str, rounded: bool, role: Role, compact: bool) {
    if compact {
        // `[Label]`, padded when it is wider for the edges arriving; over several rows (when
        // as many edges arrive from the side) a tall bracket, the label on the middle row.
        // A round node in parentheses, `(Label)` (as a sequence diagram's actors).
        let ends = if rounded {
            [('(', ')'), ('⎛', '⎞'), ('⎜', '⎟'), ('⎝', '⎠')]
        } else {
            [('[', ']'), ('⎡', '⎤'), ('⎢', '⎥'), ('⎣', '⎦')]
        };
        let label = label.replace('\n', " ");
        let inner = b.w.saturating_sub(2);
        let pad = inner.saturating_sub(label.width());
        let text = format!(
            "{}{label}{}",
            " ".repeat(pad / 2),
            " ".repeat(pad - pad / 2)
        );
        if b.h <= 1 {
            let (l, r) = ends[0];
            c.text(b.x, b.y, &format!("{l}{text}{r}"), role);
            return;
        }
        let mid = (b.h - 1) / 2;
        for row in 0..b.h {
            let (l, r) = match row {
                0 => ends[1],
                _ if row + 1 == b.h => ends[3],
                _ => ends[2],
            };
            let inside = if row == mid {
                text.clone()
            } else {
                " ".repeat(inner)
            };
            c.text(b.x, b.y + row, &format!("{l}{inside}{r}"), role);
        }
        return;
    }
    let (x0, y0, x1, y1) = (b.x, b.y, b.x + b.w - 1, b.y + b.h - 1);
    for x in x0..=x1 {
        let left = if x > x0 { W } else { 0 };
        let right = if x < x1 { E } else { 0 };
        c.add_line(
            x,
            y0,
            left | right | if x == x0 || x == x1 { S } else { 0 },
            role,
        );
        c.add_line(
            x,
            y1,
            left | right | if x == x0 || x == x1 { N } else { 0 },
            role,
        );
    }
    for y in y0 + 1..y1 {
        c.add_line(x0, y, N | S, role);
        c.add_line(x1, y, N | S, role);
    }
    // The label centred both ways (a box grows taller when many edges leave its side).
    let lines: Vec<&str> = label.split('\n').collect();
    let top = (b.h.saturating_sub(2).saturating_sub(lines.len())) / 2;
    for (i, line) in lines.iter().enumerate() {
        let inner = b.w.saturating_sub(4);
        let pad = inner.saturating_sub(line.width()) / 2;
        c.text(x0 + 2 + pad, y0 + 1 + top + i, line, role);
    }
}

/// A group's frame: its border (no role, so an edge crossing it hops) and its title in the
/// top border, `┌─ Title ─┐`, moved right past edges crossing the border there (to the
/// bottom border when they leave the top no room).
/// Whether the title found room (or there is none to show).
fn draw_frame(c: &mut Canvas, f: &Frame) -> bool {
    if f.w < 2 || f.h < 2 {
        return false;
    }
    let (x0, y0, x1, y1) = (f.x, f.y, f.x + f.w - 1, f.y + f.h - 1);
    for x in x0..=x1 {
        let left = if x > x0 { W } else { 0 };
        let right = if x < x1 { E } else { 0 };
        let end = x == x0 || x == x1;
        c.add_line(x, y0, left | right | if end { S } else { 0 }, Role::None);
        c.add_line(x, y1, left | right | if end { N } else { 0 }, Role::None);
    }
    for y in y0 + 1..y1 {
        c.add_line(x0, y, N | S, Role::None);
        c.add_line(x1, y, N | S, Role::None);
    }
    if f.title.is_empty() {
        return true;
    }
    let text = format!(" {} ", f.title);
    let w = text.width();
    // Border cells only, with no edge ending on them: no arrowhead pointing at them from
    // outside (an edge ending on the frame), no arrowhead or line reaching them from inside
    // (an edge inside the frame, see `frames::inner`).
    let frame_only = |c: &Canvas, x: usize, y: usize, top: bool| {
        let (out, inn) = if top {
            (y.checked_sub(1), Some(y + 1))
        } else {
            (Some(y + 1), y.checked_sub(1))
        };
        let toward = if top { N } else { S };
        let head = |y: Option<usize>| {
            y.is_some_and(|y| y < c.height && matches!(c.cell(x, y), Cell::Head { .. }))
        };
        x < c.width
            && y < c.height
            && matches!(c.cell(x, y), Cell::Line { parts } if parts.iter().all(|p| p.1 == Role::None))
            && !head(out)
            && !head(inn)
            && !inn.is_some_and(|y| {
                y < c.height
                    && matches!(c.cell(x, y), Cell::Line { parts } if parts.iter().any(|p| p.0 & toward != 0 && p.1 != Role::None))
            })
    };
    // On the top border, moved right past edges crossing it; where they leave no room (a
    // jog on every stretch), on the bottom border (`└─ Title ─┘`).
    let last = (x1 + 1).saturating_sub(w + 2);
    for (y, top) in [(y0, true), (y1, false)] {
        if let Some(at) =
            (x0 + 2..=last).find(|&at| (at - 1..=at + w).all(|x| frame_only(c, x, y, top)))
        {
            c.text(at, y, &text, Role::None);
            return true;
        }
    }
    false
}
