//! A layered (Sugiyama-style) layout in integer cells, deterministic: cycles broken by
//! reversing the back edges of a depth-first search in declaration order, ranks by longest
//! path (sources pulled down next to what they feed), dummy nodes on long edges, crossings
//! reduced as Graphviz dot does (weighted-median sweeps with adjacent swaps from several
//! starts, the best order kept, then sifting), positions balanced toward neighbours, and edges
//! routed orthogonally through per-channel tracks so no two share a horizontal run.
//!
//! Everything is computed along two axes: the rank axis (down for TB, right for LR) and the
//! order axis across it; the directions map them onto x and y at the end.
//!
//! This file holds the public API and runs the phases in turn, one file each: `rank` (cycles,
//! ranks, dummies), `order` (crossing reduction), `position` (places along the order axis)
//! and `route` (channels, ports, tracks, the routes and boxes on the canvas).

mod order;
mod position;
mod rank;
mod route;

use unicode_width::UnicodeWidthStr;

use super::graph::{Direction, Graph};

/// A node's place on the canvas (real coordinates, cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeBox {
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
}

/// The route of one edge: a polyline of axis-aligned steps in canvas cells, from the cell just
/// outside its tail's border to the cell just outside its head's (where the arrowhead goes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub edge: usize,
    pub points: Vec<(usize, usize)>,
    /// Where the layout kept room for the edge's label: the cell of its first column.
    pub label: Option<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    pub height: usize,
    pub direction: Direction,
    /// Per graph node.
    pub nodes: Vec<NodeBox>,
    pub routes: Vec<Route>,
    /// Edge crossings left after ordering (between adjacent ranks).
    pub crossings: usize,
    /// Whether nodes are one-line `[Label]` (compact) rather than boxes.
    pub compact: bool,
}

/// The size of a node's box (w, h): a frame around the label's lines, or one `[Label]` line.
pub fn node_size(label: &str, compact: bool) -> (usize, usize) {
    if compact {
        return (label.replace('\n', " ").width() + 2, 1);
    }
    let lines: Vec<&str> = label.split('\n').collect();
    let w = lines.iter().map(|l| l.width()).max().unwrap_or(0);
    (w + 4, lines.len() + 2)
}

/// Lays `g` out in layers.
pub fn layered(g: &Graph, direction: Direction, compact: bool) -> Layout {
    build(g, direction, compact, None)
}

/// The author's own grid for a 2-D picture: each line of nodes in the source is a rank, in the
/// source's left-to-right order, drawn as boxes with the arrows routed between them. `None`
/// when the picture does not fit that mould (a node without a place, an edge that skips a row
/// or jumps over a neighbour); lay it out with [`layered`] then.
pub fn grid(g: &Graph, compact: bool) -> Option<Layout> {
    let pos: Vec<super::Pos> = g.nodes.iter().map(|n| n.pos).collect::<Option<_>>()?;
    let mut lines: Vec<usize> = pos.iter().map(|p| p.line).collect();
    lines.sort_unstable();
    lines.dedup();
    let rank: Vec<usize> = pos
        .iter()
        .map(|p| lines.binary_search(&p.line).unwrap_or(0))
        .collect();
    let col: Vec<usize> = pos.iter().map(|p| p.col).collect();
    for e in &g.edges {
        let (a, b) = (g.node(&e.from)?, g.node(&e.to)?);
        if rank[a] == rank[b] {
            // Only neighbours on a line: nothing may sit between them.
            let (lo, hi) = (col[a].min(col[b]), col[a].max(col[b]));
            if (0..g.nodes.len()).any(|k| rank[k] == rank[a] && col[k] > lo && col[k] < hi) {
                return None;
            }
        } else if rank[a].abs_diff(rank[b]) != 1 {
            return None;
        }
    }
    Some(build(g, Direction::TB, compact, Some(&Fixed { rank, col })))
}

/// Ranks and orders given instead of computed.
struct Fixed {
    rank: Vec<usize>,
    col: Vec<usize>,
}

/// A node of the layered graph: a real node or a dummy on a long edge.
#[derive(Debug, Clone)]
struct VNode {
    rank: usize,
    /// Graph node index, or `None` for a dummy.
    real: Option<usize>,
    /// Size along the order axis and the rank axis.
    size_o: usize,
    size_r: usize,
}

/// One step of an edge between adjacent ranks.
#[derive(Debug, Clone, Copy)]
struct Seg {
    from: usize,
    to: usize,
    edge: usize,
}

/// An edge of the graph between two of its nodes: (tail, head, index in `g.edges`).
type Edge = (usize, usize, usize);

/// The graph in layers: real nodes and dummies, the one-rank steps between them, and each
/// edge's chain of vnodes from its upper end to its lower (with whether it was reversed).
struct Layered {
    vnodes: Vec<VNode>,
    segs: Vec<Seg>,
    chains: Vec<(usize, Vec<usize>, bool)>,
    ranks: usize,
}

/// The vnodes of each rank in order, and each vnode's neighbours in the ranks above and
/// below.
struct Ordered {
    layers: Vec<Vec<usize>>,
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    crossings: usize,
}

fn build(g: &Graph, direction: Direction, compact: bool, fixed: Option<&Fixed>) -> Layout {
    let n = g.nodes.len();
    let horizontal = matches!(direction, Direction::LR | Direction::RL);
    // Edges between nodes of the graph (an edge to a subgraph id has no node to end on).
    let mut edges: Vec<Edge> = Vec::new();
    for (i, e) in g.edges.iter().enumerate() {
        if let (Some(a), Some(b)) = (g.node(&e.from), g.node(&e.to))
            && a != b
        {
            edges.push((a, b, i));
        }
    }
    // Edges within one rank of a fixed grid are drawn straight across, apart from the layers.
    let mut flat: Vec<Edge> = Vec::new();
    if let Some(f) = fixed {
        let (same, between): (Vec<_>, Vec<_>) =
            edges.iter().partition(|&&(a, b, _)| f.rank[a] == f.rank[b]);
        flat = same;
        edges = between;
    }
    // 1. Cycles: back edges of a DFS in declaration order are reversed.
    let reversed = rank::reversed_edges(n, &edges, fixed);
    let dag: Vec<Edge> = edges
        .iter()
        .enumerate()
        .map(|(k, &(a, b, e))| if reversed[k] { (b, a, e) } else { (a, b, e) })
        .collect();
    // 2. Ranks, unless the grid gives them.
    let ranks = match fixed {
        Some(f) => f.rank.clone(),
        None => rank::ranks(n, &dag),
    };
    // 3. Dummies on edges longer than one rank.
    let layered = rank::layered_graph(g, &dag, &reversed, &ranks, compact, horizontal);
    // 4. Order within each rank.
    let ordered = order::order(&layered, fixed);
    // 5. Positions along the order axis.
    // Neighbours in different groups (and ranks where groups start or end) keep room for
    // the frames drawn around groups afterwards.
    let paths = super::frames::paths(g);
    let o = position::positions(g, &layered, &ordered, &flat, horizontal, &paths);
    // 6 and 7. Channels between the ranks, and the routes and boxes on the canvas.
    let drawn = route::route(g, &layered, &ordered, &o, &flat, direction, &paths);
    Layout {
        width: drawn.width,
        height: drawn.height,
        direction,
        nodes: drawn.nodes,
        routes: drawn.routes,
        crossings: ordered.crossings,
        compact,
    }
}
