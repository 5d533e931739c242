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
//! and `route` (channels, ports, tracks, the routes and boxes on the canvas); `clusters`
//! keeps each group's members together through them (see there), and `inner` lays out a
//! subgraph with a direction of its own apart.

mod clusters;
mod inner;
mod order;

pub(crate) use clusters::MAX_TITLE;
pub(crate) use route::label_lead;
mod position;
mod rank;
mod route;

use unicode_width::UnicodeWidthStr;

use super::graph::{Direction, Graph};

/// A node's place on the canvas (real coordinates, cells).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
    /// Per subgraph: the box (x0, y0, x1, y1, inclusive: its border cells) the layout made
    /// room for its frame in, when it did.
    pub groups: Vec<Option<(usize, usize, usize, usize)>>,
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
    inner::layered(g, direction, compact)
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
    Some(build(
        g,
        Direction::TB,
        compact,
        Some(&Fixed { rank, col }),
        &[],
    ))
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
    /// Whether edges may use all of its side along the order axis: a compact `[Label]` laid
    /// out left to right, whose side is its rows (its brackets are at the rank axis' ends).
    /// Otherwise a real node's side is between its corners, a dummy's all of it.
    whole: bool,
}

/// One step of an edge between adjacent ranks.
#[derive(Debug, Clone, Copy)]
struct Seg {
    from: usize,
    to: usize,
    edge: usize,
    /// Whether its upper end is where its edge arrives: the first step of a reversed edge,
    /// whose arrowhead is on the side the other edges leave.
    head: bool,
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
    /// Per vnode (none for most): how far along its side facing the top of the canvas its
    /// ports start, the cells before kept for the title of the frame it is (see `inner`).
    titled: Vec<usize>,
    /// Per vnode: the room past its end its labelled edges need (see `route::label_room`),
    /// set once the vnodes are all there.
    room: Vec<usize>,
    /// Whether the real nodes are compact `[Label]`s: a bracket, not a corner, ends a side.
    compact: bool,
}

/// The vnodes of each rank in order, and each vnode's neighbours in the ranks above and
/// below.
struct Ordered {
    layers: Vec<Vec<usize>>,
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    crossings: usize,
}

/// A box's size (w, h) given instead of its label's, and the cells at the start of its top
/// side kept for a title: a group laid out apart (see `inner`).
type Sized = Option<(usize, usize, usize)>;

/// The layered layout of `g`; `sizes` (per node) gives boxes their size.
fn build(
    g: &Graph,
    direction: Direction,
    compact: bool,
    fixed: Option<&Fixed>,
    sizes: &[Sized],
) -> Layout {
    let n = g.nodes.len();
    let horizontal = matches!(direction, Direction::LR | Direction::RL);
    // Edges between nodes; an edge to or from a group is laid out toward one of its members
    // (see `group_end`), and its route is cut at the group's frame once frames are placed.
    let tree = (!g.subgraphs.is_empty()).then(|| clusters::tree(g));
    let ids = g.node_index();
    let node_ends: Vec<(Option<usize>, Option<usize>)> = g
        .edges
        .iter()
        .map(|e| {
            (
                ids.get(e.from.as_str()).copied(),
                ids.get(e.to.as_str()).copied(),
            )
        })
        .collect();
    let mut edges: Vec<Edge> = Vec::new();
    // Per edge to or from a group (index in `g.edges`): the groups at its tail and head.
    let mut via: std::collections::HashMap<usize, (Option<usize>, Option<usize>)> =
        Default::default();
    for (i, e) in g.edges.iter().enumerate() {
        let ends = match &tree {
            None => node_ends[i]
                .0
                .zip(node_ends[i].1)
                .map(|(a, b)| ((a, None), (b, None))),
            Some(t) => group_ends(g, t, &node_ends, &e.from, &e.to),
        };
        if let Some(((a, ga), (b, gb))) = ends
            && a != b
        {
            edges.push((a, b, i));
            if ga.is_some() || gb.is_some() {
                via.insert(i, (ga, gb));
            }
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
    let mut dag: Vec<Edge> = edges
        .iter()
        .enumerate()
        .map(|(k, &(a, b, e))| if reversed[k] { (b, a, e) } else { (a, b, e) })
        .collect();
    // 2. Ranks, unless the grid gives them.
    let mut ranks = match fixed {
        Some(f) => f.rank.clone(),
        None => rank::ranks(n, &dag),
    };
    if fixed.is_none() {
        keep_authors_rows(g, &edges, &flat, &mut ranks);
    }
    // An edge to a group now goes to its member in the group's first rank, one from a group
    // leaves from its last (where the frame's border is), when that keeps it pointing down.
    if let Some(t) = &tree
        && !via.is_empty()
    {
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); g.subgraphs.len()];
        for (k, c) in t.nodes.iter().enumerate() {
            for &s in c {
                members[s].push(k);
            }
        }
        for (k, d) in dag.iter_mut().enumerate() {
            let Some(&(ga, gb)) = via.get(&d.2) else {
                continue;
            };
            if reversed[k] {
                continue;
            }
            let lowest = |s: usize, now: usize| {
                members[s]
                    .iter()
                    .copied()
                    .max_by_key(|&m| (ranks[m], m == now))
                    .unwrap_or(now)
            };
            let highest = |s: usize, now: usize| {
                members[s]
                    .iter()
                    .copied()
                    .min_by_key(|&m| (ranks[m], m != now))
                    .unwrap_or(now)
            };
            let a = ga.map_or(d.0, |s| lowest(s, d.0));
            let b = gb.map_or(d.1, |s| highest(s, d.1));
            if ranks[a] < ranks[b] {
                *d = (a, b, d.2);
            }
        }
    }
    // 3. Dummies on edges longer than one rank; each group's vnodes, placeholders added.
    let mut layered = rank::layered_graph(g, &dag, &reversed, &ranks, compact, horizontal);
    for (v, size) in sizes.iter().enumerate() {
        if let (Some((w, h, title)), Some(vn)) = (size, layered.vnodes.get_mut(v)) {
            let (o, r) = if horizontal { (*h, *w) } else { (*w, *h) };
            vn.size_o = vn.size_o.max(o);
            vn.size_r = r;
            vn.whole = false;
            if !horizontal {
                layered.titled.resize(v + 1, 0);
                layered.titled[v] = *title;
            }
        }
    }
    let groups = clusters::Clusters::new(g, &mut layered);
    layered.room = route::label_room(g, &layered, horizontal);
    // 4. Order within each rank, each group one block.
    let ordered = order::order(&layered, fixed, &groups);
    // 5. Positions along the order axis, and there each group's frame.
    let place = |extra: &[clusters::Extra]| {
        let (o, sides) =
            position::positions(g, &layered, &ordered, &flat, horizontal, &groups, extra);
        // 6 and 7. Channels between the ranks, and the routes, boxes and frames on the canvas.
        let drawn = route::route(g, &layered, &ordered, &o, &flat, direction, &groups, &sides);
        (o, sides, drawn)
    };
    let (o, sides, mut drawn) = place(&[]);
    // Again, once, where edges crossing a frame's top border leave its title no room.
    let extra = groups.title_room(&drawn.crossed, &o, &sides);
    if !extra.is_empty() {
        drawn = place(&extra).2;
    }
    Layout {
        width: drawn.width,
        height: drawn.height,
        direction,
        nodes: drawn.nodes,
        routes: drawn.routes,
        crossings: ordered.crossings,
        compact,
        groups: drawn.groups,
    }
}

/// A node the author drew in a row of a picture with no edge of its own (a box standing beside
/// the flow) keeps its row when the picture is laid out again: the rank of the nodes with
/// edges in that row (the first of them, by rank), instead of the top.
fn keep_authors_rows(g: &Graph, edges: &[Edge], flat: &[Edge], ranks: &mut [usize]) {
    let mut linked = vec![false; g.nodes.len()];
    for &(a, b, _) in edges.iter().chain(flat) {
        linked[a] = true;
        linked[b] = true;
    }
    for k in 0..g.nodes.len() {
        let Some(line) = g.nodes[k].pos.map(|p| p.line).filter(|_| !linked[k]) else {
            continue;
        };
        let mates = (0..g.nodes.len())
            .filter(|&m| linked[m] && g.nodes[m].pos.is_some_and(|p| p.line == line))
            .map(|m| ranks[m])
            .min();
        if let Some(r) = mates {
            ranks[k] = r;
        }
    }
}

/// An edge's end: the node it is laid out to, and the group it ends on (if it does).
type End = (usize, Option<usize>);

/// The nodes an edge between `from` and `to` (node or subgraph ids) is laid out between, or
/// `None` when it has no place: an end that names nothing or an empty group, or a group and
/// something inside it.
fn group_ends(
    g: &Graph,
    t: &clusters::Tree,
    node_ends: &[(Option<usize>, Option<usize>)],
    from: &str,
    to: &str,
) -> Option<(End, End)> {
    // Each end: a node, or a group (with the groups it is in).
    let chain = |id: &str| -> Option<(Option<usize>, Vec<usize>)> {
        match (g.node(id), g.subgraph(id)) {
            (Some(k), _) => Some((Some(k), t.nodes[k].clone())),
            (None, Some(s)) => Some((None, t.groups[s].clone())),
            (None, None) => None,
        }
    };
    let (a, b) = (chain(from)?, chain(to)?);
    // A group's end inside the other end, or the other end inside the group.
    let within = |group: &(Option<usize>, Vec<usize>), other: &(Option<usize>, Vec<usize>)| {
        group.0.is_none() && group.1.last().is_some_and(|s| other.1.contains(s))
    };
    if within(&a, &b) || within(&b, &a) {
        return None;
    }
    let end = |e: (Option<usize>, Vec<usize>), tail: bool| match e.0 {
        Some(k) => Some((k, None)),
        None => {
            let s = *e.1.last()?;
            Some((group_end(g, t, node_ends, s, tail)?, Some(s)))
        }
    };
    Some((end(a, true)?, end(b, false)?))
}

/// The member a group's edge is laid out to (before ranks are known; see `build` for after):
/// for an edge into the group the first member no edge inside the group enters (where the
/// group starts), for one out of it the first that no edge inside it leaves (where it ends);
/// the first member when every one has such edges. An edge inside the group to or from a
/// group nested in it enters or leaves each of that group's members.
fn group_end(
    g: &Graph,
    t: &clusters::Tree,
    node_ends: &[(Option<usize>, Option<usize>)],
    s: usize,
    tail: bool,
) -> Option<usize> {
    let inside = |k: usize| t.nodes[k].contains(&s);
    let members: Vec<usize> = (0..t.nodes.len()).filter(|&k| inside(k)).collect();
    let first = *members.first()?;
    // Each end inside the group: its nodes.
    let nodes_of = |id: &str, node: Option<usize>| -> Vec<usize> {
        match node {
            Some(k) if inside(k) => vec![k],
            Some(_) => Vec::new(),
            None => match g.subgraph(id) {
                Some(u) if u != s && t.groups[u].contains(&s) => members
                    .iter()
                    .copied()
                    .filter(|&k| t.nodes[k].contains(&u))
                    .collect(),
                _ => Vec::new(),
            },
        }
    };
    let mut linked = vec![false; t.nodes.len()];
    for (e, &(a, b)) in g.edges.iter().zip(node_ends) {
        if a.is_some() && b.is_some() && a == b {
            continue;
        }
        let (near, far) = (nodes_of(&e.from, a), nodes_of(&e.to, b));
        if near.is_empty() || far.is_empty() {
            continue;
        }
        for k in if tail { near } else { far } {
            linked[k] = true;
        }
    }
    Some(
        members
            .iter()
            .copied()
            .find(|&k| !linked[k])
            .unwrap_or(first),
    )
}
