//! A layered (Sugiyama-style) layout in integer cells, deterministic: cycles broken by
//! reversing the back edges of a depth-first search in declaration order, ranks by longest
//! path (sources pulled down next to what they feed), dummy nodes on long edges, crossings
//! reduced by barycenter sweeps with adjacent swaps (the best order kept), positions balanced
//! toward neighbours, and edges routed orthogonally through per-channel tracks so no two share
//! a horizontal run.
//!
//! Everything is computed along two axes: the rank axis (down for TB, right for LR) and the
//! order axis across it; the directions map them onto x and y at the end.

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

/// Ordering passes (each a down and an up sweep with adjacent swaps).
const SWEEPS: usize = 24;

/// The size of a node's box (w, h): a frame around the label's lines, or one `[Label]` line.
pub fn node_size(label: &str, compact: bool) -> (usize, usize) {
    if compact {
        return (label.replace('\n', " ").width() + 2, 1);
    }
    let lines: Vec<&str> = label.split('\n').collect();
    let w = lines.iter().map(|l| l.width()).max().unwrap_or(0);
    (w + 4, lines.len() + 2)
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

fn build(g: &Graph, direction: Direction, compact: bool, fixed: Option<&Fixed>) -> Layout {
    let n = g.nodes.len();
    let horizontal = matches!(direction, Direction::LR | Direction::RL);
    // Edges between nodes of the graph (an edge to a subgraph id has no node to end on).
    let mut edges: Vec<(usize, usize, usize)> = Vec::new();
    for (i, e) in g.edges.iter().enumerate() {
        if let (Some(a), Some(b)) = (g.node(&e.from), g.node(&e.to))
            && a != b
        {
            edges.push((a, b, i));
        }
    }
    // Edges within one rank of a fixed grid are drawn straight across, apart from the layers.
    let mut flat: Vec<(usize, usize, usize)> = Vec::new();
    if let Some(f) = fixed {
        let (same, between): (Vec<_>, Vec<_>) =
            edges.iter().partition(|&&(a, b, _)| f.rank[a] == f.rank[b]);
        flat = same;
        edges = between;
    }
    // 1. Cycles: back edges of a DFS in declaration order are reversed.
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (k, &(a, b, _)) in edges.iter().enumerate() {
        out[a].push((b, k));
    }
    let mut reversed = vec![false; edges.len()];
    let mut state = vec![if fixed.is_some() { 2u8 } else { 0 }; n];
    if let Some(f) = fixed {
        for (k, &(a, b, _)) in edges.iter().enumerate() {
            reversed[k] = f.rank[a] > f.rank[b];
        }
    }
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if let Some(&(w, k)) = out[v].get(*i) {
                *i += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[k] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    let dag: Vec<(usize, usize, usize)> = edges
        .iter()
        .enumerate()
        .map(|(k, &(a, b, e))| if reversed[k] { (b, a, e) } else { (a, b, e) })
        .collect();
    // 2. Ranks: longest path from the sources, then sources pulled down to their successors.
    let mut indeg = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, _) in &dag {
        indeg[b] += 1;
        succ[a].push(b);
    }
    let mut rank = vec![0usize; n];
    let mut queue: std::collections::VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut left = indeg.clone();
    while let Some(v) = queue.pop_front() {
        for &w in &succ[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            left[w] -= 1;
            if left[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    for v in 0..n {
        if indeg[v] == 0 && !succ[v].is_empty() {
            let lowest = succ[v].iter().map(|&w| rank[w]).min().unwrap_or(1);
            rank[v] = rank[v].max(lowest.saturating_sub(1));
        }
    }
    // Shorter edges: each node moves, within what its neighbours allow, to the rank where its
    // edges are shortest in total (the median of the ranks they want), until nothing moves.
    // Fewer long edges means fewer dummies and fewer crossings.
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, _) in &dag {
        pred[b].push(a);
    }
    for _ in 0..32 {
        let mut moved = false;
        for v in 0..n {
            if pred[v].is_empty() && succ[v].is_empty() {
                continue;
            }
            let lo = pred[v].iter().map(|&u| rank[u] + 1).max().unwrap_or(0);
            let hi = succ[v]
                .iter()
                .map(|&w| rank[w].saturating_sub(1))
                .min()
                .unwrap_or(usize::MAX);
            if lo > hi {
                continue;
            }
            // Each in-edge wants v at pred+1, each out-edge at succ-1.
            let mut wants: Vec<usize> = pred[v]
                .iter()
                .map(|&u| rank[u] + 1)
                .chain(succ[v].iter().map(|&w| rank[w].saturating_sub(1)))
                .collect();
            wants.sort_unstable();
            let best = wants[(wants.len() - 1) / 2].clamp(lo, hi);
            if best != rank[v] {
                let cost = |r: usize| wants.iter().map(|&x| x.abs_diff(r)).sum::<usize>();
                if cost(best) < cost(rank[v]) {
                    rank[v] = best;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    // Ranks may start above 0 after the moves.
    let low = rank.iter().copied().min().unwrap_or(0);
    for r in &mut rank {
        *r -= low;
    }
    if let Some(f) = fixed {
        rank = f.rank.clone();
    }
    // 3. Dummies on edges longer than one rank.
    let mut vnodes: Vec<VNode> = (0..n)
        .map(|i| {
            let (w, h) = node_size(&g.nodes[i].label, compact);
            let (size_o, size_r) = if horizontal { (h, w) } else { (w, h) };
            VNode {
                rank: rank[i],
                real: Some(i),
                size_o,
                size_r,
            }
        })
        .collect();
    let mut segs: Vec<Seg> = Vec::new();
    // Per edge: its chain of vnodes from the upper end to the lower.
    let mut chains: Vec<(usize, Vec<usize>, bool)> = Vec::new();
    for (k, &(a, b, e)) in dag.iter().enumerate() {
        let mut chain = vec![a];
        let mut prev = a;
        for r in rank[a] + 1..rank[b] {
            vnodes.push(VNode {
                rank: r,
                real: None,
                size_o: 1,
                size_r: 0,
            });
            let d = vnodes.len() - 1;
            segs.push(Seg {
                from: prev,
                to: d,
                edge: e,
            });
            chain.push(d);
            prev = d;
        }
        segs.push(Seg {
            from: prev,
            to: b,
            edge: e,
        });
        chain.push(b);
        chains.push((e, chain, reversed[k]));
    }
    // Every edge leaving (or entering) a node's side gets a port of its own: a side is at
    // least as long as its edges plus the corners.
    {
        let mut out_n = vec![0usize; vnodes.len()];
        let mut in_n = vec![0usize; vnodes.len()];
        for sg in &segs {
            out_n[sg.from] += 1;
            in_n[sg.to] += 1;
        }
        for (v, vn) in vnodes.iter_mut().enumerate() {
            if vn.real.is_some() && !compact {
                vn.size_o = vn.size_o.max(out_n[v].max(in_n[v]) + 2);
            }
        }
    }
    let ranks = vnodes.iter().map(|v| v.rank + 1).max().unwrap_or(0);
    // 4. Order: first by a DFS in declaration order, then barycenter sweeps with swaps.
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    {
        let mut vsucc: Vec<Vec<usize>> = vec![Vec::new(); vnodes.len()];
        for s in &segs {
            vsucc[s.from].push(s.to);
        }
        let mut seen = vec![false; vnodes.len()];
        for root in 0..vnodes.len() {
            if seen[root] {
                continue;
            }
            let mut stack = vec![root];
            while let Some(v) = stack.pop() {
                if seen[v] {
                    continue;
                }
                seen[v] = true;
                layers[vnodes[v].rank].push(v);
                for &w in vsucc[v].iter().rev() {
                    if !seen[w] {
                        stack.push(w);
                    }
                }
            }
        }
    }
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vnodes.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vnodes.len()];
    for s in &segs {
        down[s.from].push(s.to);
        up[s.to].push(s.from);
    }
    if let Some(f) = fixed {
        for layer in &mut layers {
            layer.sort_by_key(|&v| vnodes[v].real.map_or(0, |i| f.col[i]));
        }
    }
    // Several starts (the DFS order and its mirror; barycenters and medians), each swept and
    // swapped, the fewest crossings kept.
    let (layers, best_crossings) = if fixed.is_some() {
        let c = total_crossings(&layers, &down, vnodes.len());
        (layers, c)
    } else {
        let mirrored: Vec<Vec<usize>> = layers
            .iter()
            .map(|l| l.iter().rev().copied().collect())
            .collect();
        let mut best: Option<(Vec<Vec<usize>>, usize)> = None;
        for (start, median) in [
            (&layers, false),
            (&layers, true),
            (&mirrored, false),
            (&mirrored, true),
        ] {
            let (l, c) = minimize(start.clone(), &up, &down, vnodes.len(), median);
            if best.as_ref().is_none_or(|b| c < b.1) {
                best = Some((l, c));
            }
            if c == 0 {
                break;
            }
        }
        best.expect("one start at least")
    };
    // 5. Positions along the order axis: packed, then pulled toward neighbours' centres.
    // Neighbours joined straight across need room for the arrow (and its label) between them.
    let flat_label = flat
        .iter()
        .filter_map(|&(_, _, e)| g.edges[e].label.as_deref())
        .map(|l| l.replace('\n', " ").width() + 2)
        .max()
        .unwrap_or(0);
    let gap = match (horizontal, flat.is_empty()) {
        (true, true) => 1,
        (false, true) => 2,
        (true, false) => 3,
        (false, false) => 5 + flat_label,
    };
    let mut o = vec![0i64; vnodes.len()];
    for layer in &layers {
        let mut x = 0;
        for &v in layer {
            o[v] = x;
            x += (vnodes[v].size_o + gap) as i64;
        }
    }
    for pass in 0..8 {
        let forward = pass % 2 == 0;
        let order: Vec<usize> = if forward {
            (0..ranks).collect()
        } else {
            (0..ranks).rev().collect()
        };
        for r in order {
            let layer = &layers[r];
            let desired: Vec<f64> = layer
                .iter()
                .map(|&v| {
                    let ns: Vec<usize> = up[v].iter().chain(down[v].iter()).copied().collect();
                    if ns.is_empty() {
                        o[v] as f64 + vnodes[v].size_o as f64 / 2.0
                    } else {
                        ns.iter()
                            .map(|&w| o[w] as f64 + vnodes[w].size_o as f64 / 2.0)
                            .sum::<f64>()
                            / ns.len() as f64
                    }
                })
                .collect();
            place(layer, &desired, &vnodes, &mut o, gap);
        }
    }
    let min_o = o.iter().copied().min().unwrap_or(0);
    let o: Vec<usize> = o.iter().map(|&x| (x - min_o) as usize).collect();
    // 6. Channels: ports and tracks between each pair of ranks.
    let band: Vec<usize> = (0..ranks)
        .map(|r| {
            layers[r]
                .iter()
                .map(|&v| vnodes[v].size_r)
                .max()
                .unwrap_or(1)
                .max(1)
        })
        .collect();
    // Ports: the outgoing (incoming) segments of a node spread along its facing side, in the
    // order of the other ends.
    let mut out_port: Vec<usize> = vec![0; segs.len()];
    let mut in_port: Vec<usize> = vec![0; segs.len()];
    let centre = |v: usize| o[v] + vnodes[v].size_o / 2;
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); vnodes.len()];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); vnodes.len()];
    for (i, sg) in segs.iter().enumerate() {
        outs[sg.from].push(i);
        ins[sg.to].push(i);
    }
    for v in 0..vnodes.len() {
        for (ports, mine, other) in [(&mut out_port, true, false), (&mut in_port, false, true)] {
            let mut ss: Vec<usize> = (if mine { &outs[v] } else { &ins[v] })
                .iter()
                .copied()
                .filter(|&s| {
                    if mine {
                        segs[s].from == v
                    } else {
                        segs[s].to == v
                    }
                })
                .collect();
            if ss.is_empty() {
                continue;
            }
            ss.sort_by_key(|&s| centre(if other { segs[s].from } else { segs[s].to }));
            let size = vnodes[v].size_o;
            let inner = if vnodes[v].real.is_some() && size > 2 {
                (o[v] + 1, size - 2)
            } else {
                (o[v], size.max(1))
            };
            let k = ss.len();
            for (i, &s) in ss.iter().enumerate() {
                let at = if k == 1 {
                    inner.0 + (inner.1 - 1) / 2
                } else {
                    inner.0 + (i * (inner.1 - 1)) / (k - 1).max(1)
                };
                ports[s] = at.min(inner.0 + inner.1 - 1);
            }
        }
    }
    // Tracks: each jog of a channel gets a line of its own where jogs overlap.
    let mut track: Vec<Option<usize>> = vec![None; segs.len()];
    let mut tracks_in: Vec<usize> = vec![0; ranks];
    let mut labelled: Vec<usize> = vec![0; ranks];
    for r in 0..ranks.saturating_sub(1) {
        let mut jogs: Vec<(usize, usize, usize)> = segs
            .iter()
            .enumerate()
            .filter(|(_, s)| vnodes[s.from].rank == r)
            .filter(|(i, _)| out_port[*i] != in_port[*i])
            .map(|(i, _)| {
                let (a, b) = (out_port[i], in_port[i]);
                (a.min(b), a.max(b), i)
            })
            .collect();
        jogs.sort();
        let mut ends: Vec<usize> = Vec::new();
        for (lo, hi, i) in jogs {
            let t = match ends.iter().position(|&e| e + 1 < lo) {
                Some(t) => t,
                None => {
                    ends.push(0);
                    ends.len() - 1
                }
            };
            ends[t] = hi;
            track[i] = Some(t);
        }
        tracks_in[r] = ends.len();
        labelled[r] = segs
            .iter()
            .filter(|s| vnodes[s.from].rank == r)
            .filter_map(|s| g.edges[s.edge].label.as_deref())
            .map(|l| l.replace('\n', " ").width())
            .max()
            .unwrap_or(0);
    }
    // Channel thickness along the rank axis: a line out, the tracks, the arrowhead; room for
    // labels (a row in TB; their width in LR).
    let channel: Vec<usize> = (0..ranks)
        .map(|r| {
            let label = if labelled[r] == 0 {
                0
            } else if horizontal {
                labelled[r] + 2
            } else {
                1
            };
            3 + tracks_in[r] + label
        })
        .collect();
    let mut band_start = vec![0usize; ranks];
    let mut at = 0;
    for r in 0..ranks {
        band_start[r] = at;
        at += band[r] + channel[r];
    }
    let extent_r = at.saturating_sub(channel.last().copied().unwrap_or(0));
    let extent_o = (0..vnodes.len())
        .map(|v| o[v] + vnodes[v].size_o)
        .max()
        .unwrap_or(0);
    // Where a vnode sits along the rank axis: centred in its band; dummies fill it.
    let r_start = |v: usize| {
        let b = vnodes[v].rank;
        if vnodes[v].real.is_some() {
            band_start[b] + (band[b] - vnodes[v].size_r) / 2
        } else {
            band_start[b]
        }
    };
    let r_end = |v: usize| {
        let b = vnodes[v].rank;
        if vnodes[v].real.is_some() {
            r_start(v) + vnodes[v].size_r - 1
        } else {
            band_start[b] + band[b] - 1
        }
    };
    // 7. Routes in (order, rank) coordinates, then mapped onto the canvas.
    let mirror = matches!(direction, Direction::BT | Direction::RL);
    let map = |(oo, rr): (usize, usize)| -> (usize, usize) {
        let rr = if mirror { extent_r - 1 - rr } else { rr };
        if horizontal { (rr, oo) } else { (oo, rr) }
    };
    let seg_of = |a: usize, b: usize, e: usize| {
        outs[a]
            .iter()
            .copied()
            .find(|&s| segs[s].to == b && segs[s].edge == e)
            .expect("every chain step is a segment")
    };
    let mut routes = Vec::new();
    for (e, chain, rev) in &chains {
        let mut pts: Vec<(usize, usize)> = Vec::new();
        for w in chain.windows(2) {
            let s = seg_of(w[0], w[1], *e);
            let (pa, pb) = (out_port[s], in_port[s]);
            let from_r = r_end(w[0]) + 1;
            let to_r = r_start(w[1]).saturating_sub(1);
            let r = vnodes[w[0]].rank;
            let label_rows = if labelled[r] > 0 {
                if horizontal { labelled[r] + 2 } else { 1 }
            } else {
                0
            };
            // The channel after this rank: the exit line, room for labels (a row in TB,
            // their width in LR), the tracks, a line, the arrowhead.
            let c0 = band_start[r] + band[r];
            pts.push((pa, from_r));
            if let Some(t) = track[s] {
                let tr = c0 + label_rows + t + 1;
                pts.push((pa, tr));
                pts.push((pb, tr));
            }
            pts.push((pb, to_r));
        }
        // Join the points into a clean polyline (no zero-length or collinear steps).
        let mut points: Vec<(usize, usize)> = Vec::new();
        for p in pts {
            if points.last() != Some(&p) {
                points.push(p);
            }
        }
        let mut mapped: Vec<(usize, usize)> = points.into_iter().map(map).collect();
        if *rev {
            mapped.reverse();
        }
        routes.push(Route {
            edge: *e,
            points: mapped,
        });
    }
    // Straight across a rank, from one neighbour's side to the other's, at mid height.
    for &(a, b, e) in &flat {
        let mid = r_start(a) + vnodes[a].size_r / 2;
        let (l, r) = if o[a] < o[b] { (a, b) } else { (b, a) };
        let from = (o[l] + vnodes[l].size_o, mid);
        let to = (o[r].saturating_sub(1), mid);
        let mut pts = vec![map(from), map(to)];
        if l != a {
            pts.reverse();
        }
        routes.push(Route {
            edge: e,
            points: pts,
        });
    }
    let mut nodes = vec![
        NodeBox {
            x: 0,
            y: 0,
            w: 0,
            h: 0
        };
        n
    ];
    for (v, vn) in vnodes.iter().enumerate() {
        if let Some(i) = vn.real {
            let (a, b) = map((o[v], r_start(v)));
            let (c, d) = map((o[v] + vn.size_o - 1, r_end(v)));
            nodes[i] = NodeBox {
                x: a.min(c),
                y: b.min(d),
                w: a.abs_diff(c) + 1,
                h: b.abs_diff(d) + 1,
            };
        }
    }
    let (width, height) = if horizontal {
        (extent_r, extent_o)
    } else {
        (extent_o, extent_r)
    };
    Layout {
        width,
        height,
        direction,
        nodes,
        routes,
        crossings: best_crossings,
        compact,
    }
}

fn positions(layer: &[usize], n: usize) -> Vec<usize> {
    let mut pos = vec![0; n];
    for (i, &v) in layer.iter().enumerate() {
        pos[v] = i;
    }
    pos
}

/// Sweeps down and up, sorting each layer by where its neighbours in the layer just done sit
/// (their mean, or with `median` their median), then swaps neighbours; keeps the order with the
/// fewest crossings and goes back to it when a few sweeps bring nothing better.
fn minimize(
    mut layers: Vec<Vec<usize>>,
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    n: usize,
    median: bool,
) -> (Vec<Vec<usize>>, usize) {
    let ranks = layers.len();
    let mut best = layers.clone();
    let mut best_crossings = total_crossings(&layers, down, n);
    let mut stale = 0;
    for sweep in 0..SWEEPS {
        if best_crossings == 0 {
            break;
        }
        let forward = sweep % 2 == 0;
        let order: Vec<usize> = if forward {
            (1..ranks).collect()
        } else {
            (0..ranks.saturating_sub(1)).rev().collect()
        };
        for r in order {
            let other = if forward { r - 1 } else { r + 1 };
            let pos = positions(&layers[other], n);
            let nbrs = if forward { up } else { down };
            let mut keyed: Vec<(f64, usize, usize)> = layers[r]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let mut ps: Vec<usize> = nbrs[v].iter().map(|&w| pos[w]).collect();
                    let key = if ps.is_empty() {
                        i as f64
                    } else if median {
                        ps.sort_unstable();
                        let m = ps.len() / 2;
                        if ps.len() % 2 == 1 {
                            ps[m] as f64
                        } else {
                            (ps[m - 1] + ps[m]) as f64 / 2.0
                        }
                    } else {
                        ps.iter().sum::<usize>() as f64 / ps.len() as f64
                    };
                    (key, i, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[r] = keyed.into_iter().map(|k| k.2).collect();
        }
        transpose(&mut layers, up, down, n, sweep % 4 == 3);
        let c = total_crossings(&layers, down, n);
        if c < best_crossings {
            best_crossings = c;
            best = layers.clone();
            stale = 0;
        } else {
            stale += 1;
            if stale >= 6 {
                layers = best.clone();
                stale = 0;
            }
        }
    }
    (best, best_crossings)
}

/// Crossings between two adjacent layers: pairs of segments whose ends are in opposite order,
/// counted as inversions with a Fenwick tree (O(E log V)).
fn crossings_between(upper: &[usize], lower: &[usize], down: &[Vec<usize>], n: usize) -> usize {
    let pl = positions(lower, n);
    let mut ends: Vec<(usize, usize)> = Vec::new();
    for (i, &v) in upper.iter().enumerate() {
        for &w in &down[v] {
            ends.push((i, pl[w]));
        }
    }
    ends.sort_unstable();
    let size = lower.len() + 1;
    let mut tree = vec![0usize; size + 1];
    let mut crossings = 0;
    for (seen, &(_, p)) in ends.iter().enumerate() {
        // Earlier segments (from further left, or the same node) ending right of p cross it;
        // ties in the upper position never cross.
        let mut at_most = 0;
        let mut i = p + 1;
        while i > 0 {
            at_most += tree[i];
            i -= i & i.wrapping_neg();
        }
        crossings += seen - at_most;
        let mut i = p + 1;
        while i <= size {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    // Segments from the same upper node never cross each other: the sort puts them in
    // order of their lower ends, so none was counted.
    crossings
}

fn total_crossings(layers: &[Vec<usize>], down: &[Vec<usize>], n: usize) -> usize {
    layers
        .windows(2)
        .map(|w| crossings_between(&w[0], &w[1], down, n))
        .sum()
}

/// The crossings between the edges of `u` and of `v` (u left of v) toward a neighbouring layer
/// whose positions are `pos`: pairs where v's end is left of u's.
fn pair_crossings(u: usize, v: usize, nbrs: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut c = 0;
    for &a in &nbrs[u] {
        for &b in &nbrs[v] {
            if pos[b] < pos[a] {
                c += 1;
            }
        }
    }
    c
}

/// Swaps neighbours in a layer while that lowers the crossings with both adjacent layers
/// (each swap judged by the two nodes' own edges only).
fn transpose(
    layers: &mut [Vec<usize>],
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    n: usize,
    ties: bool,
) {
    let ranks = layers.len();
    for pass in 0..8 {
        let mut improved = false;
        for r in 0..ranks {
            let above = (r > 0).then(|| positions(&layers[r - 1], n));
            let below = (r + 1 < ranks).then(|| positions(&layers[r + 1], n));
            for i in 0..layers[r].len().saturating_sub(1) {
                let (u, v) = (layers[r][i], layers[r][i + 1]);
                let cost = |a: usize, b: usize| {
                    above.as_ref().map_or(0, |p| pair_crossings(a, b, up, p))
                        + below.as_ref().map_or(0, |p| pair_crossings(a, b, down, p))
                };
                let (now, swapped) = (cost(u, v), cost(v, u));
                // Equal swaps (on the first pass only, when asked) move along plateaus.
                if swapped < now || (ties && pass == 0 && swapped == now && now > 0) {
                    layers[r].swap(i, i + 1);
                    improved |= swapped < now;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Places a layer's nodes as near their desired centres as their order and gaps allow: packed
/// left to right and right to left, then the whole layer shifted so it sits centred on what
/// its nodes want (so layers do not drift apart pass after pass).
fn place(layer: &[usize], desired: &[f64], vnodes: &[VNode], o: &mut [i64], gap: usize) {
    if layer.is_empty() {
        return;
    }
    let size = |i: usize| vnodes[layer[i]].size_o as f64;
    let want: Vec<f64> = (0..layer.len())
        .map(|i| desired[i] - size(i) / 2.0)
        .collect();
    let mut x: Vec<f64> = Vec::with_capacity(layer.len());
    for i in 0..layer.len() {
        let min = if i == 0 {
            f64::MIN
        } else {
            x[i - 1] + size(i - 1) + gap as f64
        };
        x.push(want[i].max(min));
    }
    for i in (0..layer.len().saturating_sub(1)).rev() {
        let max = x[i + 1] - size(i) - gap as f64;
        if x[i] > max {
            x[i] = max;
        }
    }
    let drift = (0..layer.len()).map(|i| x[i] - want[i]).sum::<f64>() / layer.len() as f64;
    let mut prev_end: Option<i64> = None;
    for i in 0..layer.len() {
        let mut at = (x[i] - drift).round() as i64;
        // Rounding may close a gap: re-open it.
        if let Some(end) = prev_end {
            at = at.max(end + gap as i64);
        }
        o[layer[i]] = at;
        prev_end = Some(at + vnodes[layer[i]].size_o as i64);
    }
}
