//! A subgraph with a `direction` of its own (Mermaid `direction LR` inside a `subgraph`),
//! honoured when it can be, by Mermaid's rule: when no edge joins one of its nodes (or of the
//! groups inside it) to anything outside it. Such a group is laid out on its own in its
//! direction, frames of the groups inside it placed; in the layout around it the group is one
//! node the size of its frame, so the edges to and from the group end on that box, which is
//! where its frame is drawn; the two are then put together.

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use super::clusters::{self, MAX_TITLE};
use super::{Layout, build};
use crate::diagram::frames::{self, MARGIN};
use crate::diagram::graph::{Direction, Graph, Node};

/// A group laid out apart: its index, its layout and frames, and (by their index there) its
/// nodes, the groups inside it and its edges in the whole graph.
type Apart = (
    usize,
    Layout,
    frames::Frames,
    Vec<usize>,
    Vec<usize>,
    Vec<usize>,
);

/// Lays `g` out in layers, each subgraph whose own direction can be honoured laid out in it.
pub(super) fn layered(g: &Graph, direction: Direction, compact: bool) -> Layout {
    let own = honoured(g, direction);
    if own.is_empty() {
        return build(g, direction, compact, None, &[]);
    }
    let tree = clusters::tree(g);
    let inside = |s: usize, k: usize| tree.nodes[k].contains(&s);
    // The graph around them: each such group's nodes replaced by one node with its id.
    let mut outer = Graph::new(g.syntax);
    outer.direction = g.direction;
    let mut node_of: Vec<Option<usize>> = vec![None; g.nodes.len()];
    let mut composite: HashMap<usize, usize> = HashMap::new();
    for (k, n) in g.nodes.iter().enumerate() {
        if !own.iter().any(|&s| inside(s, k)) {
            node_of[k] = Some(outer.nodes.len());
            outer.nodes.push(n.clone());
        }
    }
    for &s in &own {
        composite.insert(s, outer.nodes.len());
        outer.nodes.push(Node {
            id: g.subgraphs[s].id.clone(),
            label: frames::title(g, s),
            pos: None,
            rounded: false,
        });
    }
    // Groups left around them, each composite a node of the group it sat in.
    let gone = |t: usize| own.iter().any(|&s| tree.groups[t].contains(&s));
    let mut group_of: Vec<Option<usize>> = vec![None; g.subgraphs.len()];
    for (t, sub) in g.subgraphs.iter().enumerate() {
        if gone(t) {
            continue;
        }
        group_of[t] = Some(outer.subgraphs.len());
        let mut sub = sub.clone();
        for &s in &own {
            let id = &g.subgraphs[s].id;
            if sub.subgraphs.contains(id) {
                sub.subgraphs.retain(|c| c != id);
                sub.nodes.push(id.clone());
            }
        }
        outer.subgraphs.push(sub);
    }
    // Edges: those inside a composite are its own; the others keep their ends (an end on a
    // composite's id is now its node).
    let end_in = |id: &str, s: usize| match (g.node(id), g.subgraph(id)) {
        (Some(k), _) => inside(s, k),
        (None, Some(t)) => tree.groups[t].contains(&s),
        _ => false,
    };
    let mut outer_edge: Vec<usize> = Vec::new();
    for (i, e) in g.edges.iter().enumerate() {
        if !own.iter().any(|&s| end_in(&e.from, s) && end_in(&e.to, s)) {
            outer_edge.push(i);
            outer.edges.push(e.clone());
        }
    }
    // Each composite laid out on its own, its frames placed.
    let mut inner: Vec<Apart> = Vec::new();
    let mut sizes: Vec<super::Sized> = vec![None; outer.nodes.len()];
    for &s in &own {
        let sub = &g.subgraphs[s];
        let mut ig = Graph::new(g.syntax);
        ig.direction = sub.direction;
        let nodes: Vec<usize> = (0..g.nodes.len()).filter(|&k| inside(s, k)).collect();
        ig.nodes = nodes.iter().map(|&k| g.nodes[k].clone()).collect();
        let groups: Vec<usize> = (0..g.subgraphs.len())
            .filter(|&t| t != s && tree.groups[t].contains(&s))
            .collect();
        ig.subgraphs = groups.iter().map(|&t| g.subgraphs[t].clone()).collect();
        let edges: Vec<usize> = (0..g.edges.len())
            .filter(|&i| {
                let e = &g.edges[i];
                end_in(&e.from, s) && end_in(&e.to, s) && e.from != sub.id && e.to != sub.id
            })
            .collect();
        ig.edges = edges.iter().map(|&i| g.edges[i].clone()).collect();
        let d = sub.direction.unwrap_or(direction);
        let mut il = layered(&ig, d, compact);
        let fr = frames::place(&ig, &mut il);
        // Long enough for the title and, after it, the ports of the edges that cross the
        // border it is on (`─ Title ─` then a port a cell on).
        let title = frames::title(g, s).width().min(MAX_TITLE) + 6;
        let ports = (g.edges.len() - edges.len()).min(16);
        let size = (
            (il.width + 2 * MARGIN).max(title + ports),
            il.height + 2 * MARGIN,
            title - 1,
        );
        sizes[composite[&s]] = Some(size);
        inner.push((s, il, fr, nodes, groups, edges));
    }
    let out = build(&outer, direction, compact, None, &sizes);
    // Put together: the layout around, each composite's inside placed in its box.
    let mut l = Layout {
        width: out.width,
        height: out.height,
        direction,
        nodes: vec![
            super::NodeBox {
                x: 0,
                y: 0,
                w: 0,
                h: 0
            };
            g.nodes.len()
        ],
        routes: Vec::new(),
        crossings: out.crossings,
        compact,
        groups: vec![None; g.subgraphs.len()],
    };
    for (k, at) in node_of.iter().enumerate() {
        if let Some(&i) = at.as_ref() {
            l.nodes[k] = out.nodes[i];
        }
    }
    for r in &out.routes {
        let mut r = r.clone();
        r.edge = outer_edge[r.edge];
        l.routes.push(r);
    }
    for (t, at) in group_of.iter().enumerate() {
        if let Some(&i) = at.as_ref() {
            l.groups[t] = out.groups.get(i).copied().flatten();
        }
    }
    for (s, il, fr, nodes, groups, edges) in inner {
        let b = out.nodes[composite[&s]];
        l.groups[s] = Some((b.x, b.y, b.x + b.w - 1, b.y + b.h - 1));
        // The inside centred in the box, a margin from its border.
        let dx = b.x + MARGIN + (b.w.saturating_sub(2 * MARGIN + il.width)) / 2;
        let dy = b.y + MARGIN + (b.h.saturating_sub(2 * MARGIN + il.height)) / 2;
        for (i, &k) in nodes.iter().enumerate() {
            let n = il.nodes[i];
            l.nodes[k] = super::NodeBox {
                x: n.x + dx,
                y: n.y + dy,
                ..n
            };
        }
        for r in &il.routes {
            l.routes.push(super::Route {
                edge: edges[r.edge],
                points: r.points.iter().map(|&(x, y)| (x + dx, y + dy)).collect(),
                label: r.label.map(|(x, y)| (x + dx, y + dy)),
            });
        }
        for f in &fr.frames {
            l.groups[groups[f.group]] =
                Some((f.x + dx, f.y + dy, f.x + dx + f.w - 1, f.y + dy + f.h - 1));
        }
        l.crossings += il.crossings;
        l.width = l.width.max(b.x + b.w);
        l.height = l.height.max(b.y + b.h);
    }
    l
}

/// The subgraphs of `g` whose own direction differs from `direction` and can be honoured (no
/// edge joins what is inside to what is outside; edges to the group itself may), the
/// outermost of them only.
fn honoured(g: &Graph, direction: Direction) -> Vec<usize> {
    if !g
        .subgraphs
        .iter()
        .any(|s| s.direction.is_some_and(|d| d != direction))
    {
        return Vec::new();
    }
    let tree = clusters::tree(g);
    let mut out: Vec<usize> = Vec::new();
    // Outer groups first, so one inside an honoured one is left to it.
    let mut by_depth: Vec<usize> = (0..g.subgraphs.len()).collect();
    by_depth.sort_by_key(|&s| tree.groups[s].len());
    for s in by_depth {
        let sub = &g.subgraphs[s];
        if !sub.direction.is_some_and(|d| d != direction)
            || tree.groups[s].iter().any(|t| out.contains(t))
            || !tree.nodes.iter().any(|c| c.contains(&s))
        {
            continue;
        }
        // Where an end is: inside the group (a node or group in it), the group itself, or out.
        let inside = |id: &str| match (g.node(id), g.subgraph(id)) {
            (Some(k), _) => Some(tree.nodes[k].contains(&s)),
            (None, Some(t)) if t == s => None,
            (None, Some(t)) => Some(tree.groups[t].contains(&s)),
            _ => Some(false),
        };
        let crossing = g.edges.iter().any(|e| {
            matches!(
                (inside(&e.from), inside(&e.to)),
                (Some(true), Some(false)) | (Some(false), Some(true))
            )
        });
        if !crossing {
            out.push(s);
        }
    }
    out
}
