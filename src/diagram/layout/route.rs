//! Routes: the channel between each pair of ranks gets ports on the nodes' facing sides and a
//! track for each jog (so no two edges share a horizontal run) and room for labels; then every
//! edge becomes an orthogonal polyline and every node a box, mapped from the rank and order
//! axes onto the canvas.
//!
//! Labelled edges are kept apart so each label sits by its own edge (parallel edges too): the
//! runs leaving a side are spaced for their labels (boxes grow for it, see `rank`), a side too
//! short for them (a compact `[Label]`) sends them on lanes past its end, and each route says
//! where the room for its label was kept. Unlabelled edges leaving a short side may share its
//! cells, a trunk that splits further on.

use unicode_width::UnicodeWidthStr;

use super::clusters::Clusters;
use super::{Edge, Layered, NodeBox, Ordered, Route, VNode};
use crate::diagram::graph::{Direction, Graph};

/// What routing gives the layout: the canvas size, the node boxes and the routes.
pub(super) struct Drawn {
    pub(super) width: usize,
    pub(super) height: usize,
    pub(super) nodes: Vec<NodeBox>,
    pub(super) routes: Vec<Route>,
    /// Per group: its frame's box, when the layout made room for one.
    pub(super) groups: Vec<Option<(usize, usize, usize, usize)>>,
    /// Per group, top to bottom: the edges crossing the frame's top border (where its title
    /// goes), as (vnode, offset from its start) of the port they cross at.
    pub(super) crossed: Vec<Vec<(usize, usize)>>,
}

/// The bands of the ranks and the channels between them, along the rank axis, and the ports
/// and tracks of each segment.
struct Channels<'a> {
    vnodes: &'a [VNode],
    /// Per rank: its thickness, where it starts, the widest label leaving it.
    band: Vec<usize>,
    band_start: Vec<usize>,
    labelled: Vec<usize>,
    /// Per rank: the room the bottom borders of the frames closing after it take.
    closing: Vec<usize>,
    /// Per group: where its frame's borders are along the rank axis.
    frame_r: Vec<Option<(usize, usize)>>,
    /// Per segment: where it leaves and enters along the order axis, and its track; and
    /// the cell of its node's side it leaves from (its port, unless its run is a lane past
    /// the end of a short side, reached along the exit line).
    out_port: Vec<usize>,
    out_cell: Vec<usize>,
    /// Per segment: how far along its run (rank axis) its label starts, left to right.
    lead: Vec<usize>,
    in_port: Vec<usize>,
    track: Vec<Option<usize>>,
    /// Per segment (none for most): a step its jog takes, to a line between its ends and on
    /// along it to a second track, where it first turns off its line on `track`.
    step: Vec<Option<(usize, usize)>>,
    /// Per vnode: the segments leaving it.
    outs: Vec<Vec<usize>>,
    /// The extents along the rank and the order axis.
    extent_r: usize,
    extent_o: usize,
}

/// Lays the routes of `graph` (ordered, its vnodes at `o` along the order axis) and the
/// straight `flat` edges of a grid, and maps everything onto the canvas for `direction`,
/// with the frames of the groups whose sides along the order axis are `sides`.
#[allow(clippy::too_many_arguments)]
pub(super) fn route(
    g: &Graph,
    graph: &Layered,
    ordered: &Ordered,
    o: &[usize],
    flat: &[Edge],
    direction: Direction,
    clusters: &Clusters,
    sides: &[Option<(usize, usize)>],
) -> Drawn {
    let horizontal = matches!(direction, Direction::LR | Direction::RL);
    let vnodes = &graph.vnodes[..];
    let segs = &graph.segs;
    let mirror = matches!(direction, Direction::BT | Direction::RL);
    let ch = channels(
        g,
        graph,
        &ordered.layers,
        o,
        (horizontal, mirror),
        clusters,
        sides,
    );
    let (band, band_start, labelled) = (&ch.band, &ch.band_start, &ch.labelled);
    let extent_r = ch.extent_r;
    // Routes in (order, rank) coordinates, then mapped onto the canvas.
    let map = |(oo, rr): (usize, usize)| -> (usize, usize) {
        let rr = if mirror { extent_r - 1 - rr } else { rr };
        if horizontal { (rr, oo) } else { (oo, rr) }
    };
    let seg_of = |a: usize, b: usize, e: usize| {
        ch.outs[a]
            .iter()
            .copied()
            .find(|&s| segs[s].to == b && segs[s].edge == e)
            .expect("every chain step is a segment")
    };
    let mut routes = Vec::new();
    for (e, chain, rev) in &graph.chains {
        let mut pts: Vec<(usize, usize)> = Vec::new();
        let mut label = None;
        for (k, w) in chain.windows(2).enumerate() {
            let s = seg_of(w[0], w[1], *e);
            let (pa, pb) = (ch.out_port[s], ch.in_port[s]);
            let from_r = ch.r_end(w[0]) + 1;
            let to_r = ch.r_start(w[1]).saturating_sub(1);
            let r = vnodes[w[0]].rank;
            let label_rows = if labelled[r] > 0 {
                if horizontal { labelled[r] + 2 } else { 1 }
            } else {
                0
            };
            // The channel after this rank: the exit line, room for labels (a row in TB,
            // their width in LR), the tracks, a line, the arrowhead.
            let c0 = band_start[r] + band[r] + ch.closing[r];
            pts.push((ch.out_cell[s], from_r));
            pts.push((pa, from_r));
            // The label where its room was kept: in the channel below the upper end, across
            // its line top to bottom (see `label_lead`), on the run left to right.
            let width = label_width(g, *e);
            if k == 0 && width > 0 {
                label = Some(if horizontal {
                    let first = from_r + ch.lead[s];
                    let (a, b) = (map((pa, first)), map((pa, first + width - 1)));
                    (a.0.min(b.0), a.1)
                } else {
                    map((pa.saturating_sub(label_lead(width)), c0 + 1))
                });
            }
            if let Some(t) = ch.track[s] {
                let tr = c0 + label_rows + t + 1;
                pts.push((pa, tr));
                if let Some((m, t2)) = ch.step[s] {
                    let tr2 = c0 + label_rows + t2 + 1;
                    pts.push((m, tr));
                    pts.push((m, tr2));
                    pts.push((pb, tr2));
                } else {
                    pts.push((pb, tr));
                }
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
            label,
        });
    }
    // Straight across a rank, from one neighbour's side to the other's, at mid height.
    for &(a, b, e) in flat {
        let mid = ch.r_start(a) + vnodes[a].size_r / 2;
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
            label: None,
        });
    }
    let mut nodes = vec![NodeBox::default(); g.nodes.len()];
    for (v, vn) in vnodes.iter().enumerate() {
        if let Some(i) = vn.real {
            let (a, b) = map((o[v], ch.r_start(v)));
            let (c, d) = map((o[v] + vn.size_o - 1, ch.r_end(v)));
            nodes[i] = NodeBox {
                x: a.min(c),
                y: b.min(d),
                w: a.abs_diff(c) + 1,
                h: b.abs_diff(d) + 1,
            };
        }
    }
    let (width, height) = if horizontal {
        (extent_r, ch.extent_o)
    } else {
        (ch.extent_o, extent_r)
    };
    let groups = ch
        .frame_r
        .iter()
        .enumerate()
        .map(|(s, fr)| {
            let ((l, r), (lo, hi)) = (sides.get(s).copied().flatten()?, (*fr)?);
            let (a, b) = (map((l, lo)), map((r, hi)));
            Some((a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)))
        })
        .collect();
    // The top border on the canvas: where a group starts (TB) or ends (BT); segments from
    // outside into its first rank cross it (or out of its last rank, mirrored).
    let mut crossed: Vec<Vec<(usize, usize)>> = vec![Vec::new(); clusters.count()];
    if !horizontal {
        for (i, sg) in segs.iter().enumerate() {
            let (inner, outer, port) = if mirror {
                (sg.from, sg.to, ch.out_port[i])
            } else {
                (sg.to, sg.from, ch.in_port[i])
            };
            for (s, c) in crossed.iter_mut().enumerate() {
                if clusters.edge_of(s, vnodes[inner].rank, mirror)
                    && clusters.holds(s, inner)
                    && !clusters.holds(s, outer)
                {
                    c.push((inner, port.saturating_sub(o[inner])));
                }
            }
        }
    }
    Drawn {
        width,
        height,
        nodes,
        routes,
        groups,
        crossed,
    }
}

/// Ports and tracks between each pair of ranks, and the bands and channels they make.
fn channels<'a>(
    g: &Graph,
    graph: &'a Layered,
    layers: &[Vec<usize>],
    o: &[usize],
    (horizontal, mirror): (bool, bool),
    clusters: &Clusters,
    sides: &[Option<(usize, usize)>],
) -> Channels<'a> {
    let (vnodes, segs, ranks) = (&graph.vnodes, &graph.segs, graph.ranks);
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
    let mut out_cell: Vec<usize> = vec![0; segs.len()];
    let mut lead: Vec<usize> = vec![1; segs.len()];
    let centre = |v: usize| o[v] + vnodes[v].size_o / 2;
    // Per side (in, out) and vnode: the cells its ports may move along, when they were
    // spread evenly (no label's spacing to keep).
    let mut free_side: [Vec<Option<(usize, usize)>>; 2] =
        [vec![None; vnodes.len()], vec![None; vnodes.len()]];
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
            // A frame's ports on its title's side start after the title (that side is the
            // top of the canvas: where edges come in top to bottom, go out bottom to top).
            let titled = graph.titled.get(v).copied().unwrap_or(0);
            let title_side = !horizontal && mine == mirror;
            let inner = if titled > 0 && title_side && size > titled + 1 {
                (o[v] + titled, size - titled - 1)
            } else {
                let (start, len) = side(&vnodes[v]);
                (o[v] + start, len)
            };
            let k = ss.len();
            let last = inner.0 + inner.1 - 1;
            let widths: Vec<usize> = ss.iter().map(|&s| label_width(g, segs[s].edge)).collect();
            // Labelled edges keep their runs apart; unlabelled ones leaving a short side may
            // share its cells (a trunk that splits further on, parallel ones one line).
            if mine && widths.iter().any(|&w| w > 0) {
                // A compact `[Label]`'s closing bracket is the node as much as its letters: a
                // run may leave from under it (so a lane just past the side runs straight
                // down, not under the last letter and round the bracket); a box's corner
                // takes no run.
                let end = if bracketed(graph, v) {
                    o[v] + size - 1
                } else {
                    last
                };
                let (lanes, cells) = out_ports(inner, end, &widths, horizontal);
                for (i, &s) in ss.iter().enumerate() {
                    ports[s] = lanes[i];
                    out_cell[s] = cells[i];
                }
                // A label on a run written left to right starts a cell further on when its
                // run begins at a junction (a cell shared with another edge, or a turn).
                if horizontal {
                    for (i, &s) in ss.iter().enumerate() {
                        let shared = cells.iter().filter(|&&c| c == cells[i]).count() > 1;
                        if shared || cells[i] != lanes[i] {
                            lead[s] = 2;
                        }
                    }
                }
                continue;
            }
            // Parallel labelled edges arriving: their ports as far apart as they left, so
            // that between boxes of one width they run straight.
            let froms: Vec<usize> = ss.iter().map(|&s| segs[s].from).collect();
            // (Unless the side is too short for that: then each still arrives at a cell of its
            // own, spread evenly.)
            if !mine && widths.iter().any(|&w| w > 0) && parallel(&froms) {
                let (_, cells) = out_ports(inner, last, &widths, horizontal);
                if cells.windows(2).all(|w| w[0] != w[1]) {
                    for (i, &s) in ss.iter().enumerate() {
                        ports[s] = cells[i];
                    }
                    if vnodes[v].real.is_some() {
                        free_side[0][v] = Some((inner.0, last));
                    }
                    continue;
                }
            }
            // Spread evenly; on a side too short for one cell each, the edges leaving share
            // cells, but an arrowhead there (a reversed edge's) keeps one of its own (the
            // side was made long enough for that, see `rank`).
            let mut slot: Vec<usize> = (0..k).collect();
            if mine && k > inner.1 && ss.iter().any(|&s| segs[s].head) {
                let mut at = 0;
                for i in 1..k {
                    if segs[ss[i]].head || segs[ss[i - 1]].head {
                        at += 1;
                    }
                    slot[i] = at;
                }
            }
            let slots = slot.last().map_or(1, |&l| l + 1);
            // A real node's side of one cell per edge may put a port where its other end is
            // (see below).
            if vnodes[v].real.is_some() && k <= inner.1 {
                free_side[usize::from(mine)][v] = Some((inner.0, last));
            }
            for (i, &s) in ss.iter().enumerate() {
                let at = if slots == 1 {
                    inner.0 + (inner.1 - 1) / 2
                } else {
                    inner.0 + (slot[i] * (inner.1 - 1)) / (slots - 1).max(1)
                };
                ports[s] = at.min(last);
                if mine {
                    out_cell[s] = ports[s];
                }
            }
        }
    }
    // Straight where it can be: a port spread evenly moves to where its edge's other end is
    // when that is on its side and keeps the side's order (so boxes of one column whose
    // widths differ do not make a small jog); arrivals first, then departures; then once more
    // with a compact `[Label]`'s brackets on its side, for the ends no letter lined up.
    for (brackets, mine) in [(false, false), (false, true), (true, false), (true, true)] {
        for v in 0..vnodes.len() {
            let Some((lo, hi)) = free_side[usize::from(mine)][v] else {
                continue;
            };
            // A compact `[Label]`'s brackets are the node's too (a run may leave from under
            // one, see above): an end there lines up with it, once no letter would.
            let (lo, hi) = if brackets && bracketed(graph, v) {
                (o[v], o[v] + vnodes[v].size_o - 1)
            } else if brackets {
                continue;
            } else {
                (lo, hi)
            };
            let list = if mine { &outs[v] } else { &ins[v] };
            let mut ss: Vec<usize> = list.clone();
            let port = |s: usize, out: &[usize], inp: &[usize]| if mine { out[s] } else { inp[s] };
            ss.sort_by_key(|&s| port(s, &out_port, &in_port));
            for i in 0..ss.len() {
                let s = ss[i];
                let there = if mine { in_port[s] } else { out_port[s] };
                let prev = i.checked_sub(1).map(|j| port(ss[j], &out_port, &in_port));
                let next = ss.get(i + 1).map(|&n| port(n, &out_port, &in_port));
                let fits = (lo..=hi).contains(&there)
                    && prev.is_none_or(|p| p < there)
                    && next.is_none_or(|n| there < n);
                if fits {
                    if mine {
                        out_port[s] = there;
                        out_cell[s] = there;
                    } else {
                        in_port[s] = there;
                    }
                }
            }
        }
    }
    // Tracks: each jog of a channel gets a line of its own where jogs overlap; jogs into one
    // port cell from the same side (a short side's edges meeting at its one cell) share a
    // line and join on it, as a fan-in.
    let mut track: Vec<Option<usize>> = vec![None; segs.len()];
    let mut step: Vec<Option<(usize, usize)>> = vec![None; segs.len()];
    let mut tracks_in: Vec<usize> = vec![0; ranks];
    let mut labelled: Vec<usize> = vec![0; ranks];
    for r in 0..ranks.saturating_sub(1) {
        let mut jogs: Vec<(usize, usize, Vec<usize>)> = Vec::new();
        let mut joined: std::collections::HashMap<(usize, bool), usize> = Default::default();
        for (i, _) in segs
            .iter()
            .enumerate()
            .filter(|(_, s)| vnodes[s.from].rank == r)
            .filter(|(i, _)| out_port[*i] != in_port[*i])
        {
            let (a, b) = (out_port[i], in_port[i]);
            let (lo, hi) = (a.min(b), a.max(b));
            match joined.entry((b, a < b)) {
                std::collections::hash_map::Entry::Occupied(at) => {
                    let j = &mut jogs[*at.get()];
                    j.0 = j.0.min(lo);
                    j.1 = j.1.max(hi);
                    j.2.push(i);
                }
                std::collections::hash_map::Entry::Vacant(at) => {
                    at.insert(jogs.len());
                    jogs.push((lo, hi, vec![i]));
                }
            }
        }
        // Jogs one way must not cross needlessly: of two overlapping jogs to the right the
        // one leaving further left goes lower (else its line down crosses the other's jog),
        // of two to the left the one leaving further right. So the jogs right are placed from
        // the one leaving furthest right, then the jogs left from the one leaving furthest
        // left, each on the highest track free of overlaps and below the jogs its way that
        // it overlaps. Jogs of opposite ways that overlap cross anyway (their ends are in
        // opposite orders), but where one leaves from the line the other arrives on, the one
        // leaving must turn off that line before the other reaches it: it goes higher.
        let right = |i: usize| out_port[i] < in_port[i];
        jogs.sort_by_key(|j| {
            if right(j.2[0]) {
                (0, usize::MAX - j.0, j.1)
            } else {
                (1, j.1, j.0)
            }
        });
        let mut placed = place_tracks(&jogs, &out_port, &in_port);
        // Two jogs that swap lines exactly share a stretch of one whatever their tracks: the
        // one turning second takes a step instead, off its line on a track of its own before
        // the other's, along a line between that no other run of the channel touches, and
        // onto its line after the other's.
        let on_line = |m: usize| {
            segs.iter()
                .enumerate()
                .filter(|(_, sg)| vnodes[sg.from].rank == r)
                .any(|(i, _)| out_port[i] == m || in_port[i] == m)
        };
        let single = |j: usize| match jogs[j].2[..] {
            [s] => Some(s),
            _ => None,
        };
        for a in 0..jogs.len() {
            for b in 0..jogs.len() {
                let (Some(sa), Some(sb)) = (single(a), single(b)) else {
                    continue;
                };
                let swap = out_port[sa] == in_port[sb] && in_port[sa] == out_port[sb];
                if a == b || !swap || placed[a] <= placed[b] || step[sa].is_some() {
                    continue;
                }
                let (lo, hi) = (jogs[a].0, jogs[a].1);
                let mid = (lo + hi) / 2;
                let Some(m) = (lo + 1..hi)
                    .filter(|&m| !on_line(m))
                    .min_by_key(|&m| m.abs_diff(mid))
                else {
                    continue;
                };
                // A new track where the other's was: everything from there on moves one on.
                let tb = placed[b];
                for (j, t) in placed.iter_mut().enumerate() {
                    if *t >= tb && j != a {
                        *t += 1;
                    }
                }
                for st in step.iter_mut().flatten() {
                    if st.1 >= tb {
                        st.1 += 1;
                    }
                }
                step[sa] = Some((m, placed[a] + 1));
                placed[a] = tb;
            }
        }
        let count = placed
            .iter()
            .map(|&t| t + 1)
            .chain(step.iter().flatten().map(|st| st.1 + 1))
            .max()
            .unwrap_or(0);
        for ((_, _, members), t) in jogs.iter().zip(placed) {
            for &i in members {
                track[i] = Some(t);
            }
        }
        tracks_in[r] = count;
        labelled[r] = segs
            .iter()
            .filter(|s| vnodes[s.from].rank == r)
            .filter_map(|s| g.edges[s.edge].label.as_deref())
            .map(|l| l.replace('\n', " ").width())
            .max()
            .unwrap_or(0);
    }
    // Frames along the rank axis, rank by rank: a group starting at a rank has its top
    // border a margin before its members' boxes and nested frames, which the channel before
    // the rank makes room for; one ending at a rank has its bottom border a margin after
    // them (left to right, far enough for its title), which the channel after it makes room
    // for. The channel: that room, a line out, the tracks, labels (a row in TB, their width
    // in LR), a line and the arrowhead.
    let margin = crate::diagram::frames::MARGIN as i64;
    let groups = clusters.count();
    let mut frame_lo: Vec<Option<usize>> = vec![None; groups];
    let mut frame_r: Vec<Option<(usize, usize)>> = vec![None; groups];
    let mut closing = vec![0usize; ranks];
    let mut band_start = vec![0usize; ranks];
    let mut at = 0usize;
    let label_room = |r: usize| match labelled[r] {
        0 => 0,
        w if horizontal => w + 2,
        _ => 1,
    };
    let real_end = |v: usize, band_start: &[usize]| {
        let r = vnodes[v].rank;
        band_start[r] + (band[r] - vnodes[v].size_r) / 2 + vnodes[v].size_r - 1
    };
    for r in 0..ranks {
        let mut top: Vec<(usize, i64)> = Vec::new();
        for s in clusters.starting(r) {
            let own = layers[r]
                .iter()
                .filter(|&&v| vnodes[v].real.is_some() && clusters.directly_in(v, s))
                .map(|&v| ((band[r] - vnodes[v].size_r) / 2) as i64 - margin);
            let nested = top
                .iter()
                .filter(|&&(c, _)| clusters.parent(c) == Some(s))
                .map(|&(_, t)| t - margin);
            if let Some(t) = own.chain(nested).min() {
                top.push((s, t));
            }
        }
        let opening = top.iter().map(|&(_, t)| (-t).max(0)).max().unwrap_or(0) as usize;
        band_start[r] = at + opening;
        for &(s, t) in &top {
            frame_lo[s] = Some((band_start[r] as i64 + t).max(0) as usize);
        }
        let band_end = band_start[r] + band[r] - 1;
        for s in clusters.ending(r) {
            let Some(lo) = frame_lo[s] else { continue };
            let own = (0..vnodes.len())
                .filter(|&v| vnodes[v].real.is_some() && clusters.directly_in(v, s))
                .map(|v| real_end(v, &band_start) + margin as usize);
            let nested = (0..groups)
                .filter(|&c| clusters.parent(c) == Some(s))
                .filter_map(|c| frame_r[c].map(|(_, h)| h + margin as usize));
            let title = horizontal.then(|| lo + clusters.title(s).saturating_sub(1));
            let hi = own.chain(nested).chain(title).max().unwrap_or(band_end);
            frame_r[s] = Some((lo, hi));
            closing[r] = closing[r].max(hi.saturating_sub(band_end));
        }
        at = band_start[r] + band[r] + 3 + tracks_in[r] + label_room(r) + closing[r];
    }
    let extent_r = ranks
        .checked_sub(1)
        .map_or(0, |l| band_start[l] + band[l] + closing[l]);
    let room = &graph.room;
    let extent_o = (0..vnodes.len())
        .map(|v| o[v] + vnodes[v].size_o + room[v])
        .chain(sides.iter().flatten().map(|&(_, r)| r + 1))
        .max()
        .unwrap_or(0);
    Channels {
        vnodes,
        band,
        band_start,
        labelled,
        closing,
        frame_r,
        out_port,
        in_port,
        out_cell,
        lead,
        track,
        step,
        outs,
        extent_r,
        extent_o,
    }
}

/// The track of each jog of a channel (`jogs`: its extent along the order axis and its
/// segments, in the order of preference, see `channels`), 0 the first after the exit line.
/// Overlapping jogs get tracks of their own; one that must turn before another (see
/// [`turns_first`]) gets a lower track, where such musts do not contradict each other (two
/// jogs that swap lines exactly must share a stretch of one whatever their tracks; the
/// first in preference order turns first then).
fn place_tracks(
    jogs: &[(usize, usize, Vec<usize>)],
    out_port: &[usize],
    in_port: &[usize],
) -> Vec<usize> {
    let n = jogs.len();
    let overlaps = |a: usize, b: usize| {
        let ((alo, ahi), (blo, bhi)) = ((jogs[a].0, jogs[a].1), (jogs[b].0, jogs[b].1));
        !(ahi + 1 < blo || bhi + 1 < alo)
    };
    // before[b]: the jogs that must be on a lower track than b.
    let mut before: Vec<Vec<usize>> = vec![Vec::new(); n];
    for a in 0..n {
        for b in 0..n {
            if a != b
                && overlaps(a, b)
                && turns_first(&jogs[a].2, &jogs[b].2, a < b, out_port, in_port)
            {
                before[b].push(a);
            }
        }
    }
    let mut track: Vec<Option<usize>> = vec![None; n];
    for _ in 0..n {
        // The first in preference order whose musts are placed (or, in a contradiction, the
        // first unplaced: its musts still placed count).
        let ready = |j: usize| track[j].is_none() && before[j].iter().all(|&a| track[a].is_some());
        let Some(j) = (0..n)
            .find(|&j| ready(j))
            .or_else(|| (0..n).find(|&j| track[j].is_none()))
        else {
            break;
        };
        let below = before[j]
            .iter()
            .filter_map(|&a| track[a])
            .map(|t| t + 1)
            .max()
            .unwrap_or(0);
        let t = (below..)
            .find(|&t| !(0..n).any(|k| track[k] == Some(t) && overlaps(j, k)))
            .unwrap_or(below);
        track[j] = Some(t);
    }
    track.into_iter().map(|t| t.unwrap_or(0)).collect()
}

/// Whether jog `a` (its segments) must take a lower track than the overlapping jog `b`:
/// jogs one way, when `a` comes first in preference order; jogs of opposite ways, when `a`
/// leaves from the line `b` arrives on (else `b`'s arrival would run along `a`'s departure),
/// unless `b` also leaves from the line `a` arrives on (a swap: then by preference order).
fn turns_first(
    a: &[usize],
    b: &[usize],
    a_first: bool,
    out_port: &[usize],
    in_port: &[usize],
) -> bool {
    let right = |s: usize| out_port[s] < in_port[s];
    if right(a[0]) == right(b[0]) {
        return a_first;
    }
    let leaves_onto = |x: &[usize], y: &[usize]| {
        x.iter()
            .any(|&s| y.iter().any(|&u| out_port[s] == in_port[u]))
    };
    match (leaves_onto(a, b), leaves_onto(b, a)) {
        (true, false) => true,
        (true, true) => a_first,
        _ => false,
    }
}

/// The display width of edge `e`'s label (0 without one): what its run keeps room for.
pub(super) fn label_width(g: &Graph, e: usize) -> usize {
    g.edges
        .get(e)
        .and_then(|e| e.label.as_deref())
        .map_or(0, |l| l.replace('\n', " ").width())
}

/// How far apart along the order axis two neighbouring runs leaving one side start, given
/// their label widths (0: none). Top to bottom a label is written across its own line (the
/// line stops for it and goes on under it, see [`LABEL_LEAD`]), so a labelled run keeps two
/// blanks between its label and the next line or label; left to right a label is written on
/// its run, which then needs a row of its own. Two unlabelled runs may `share` a cell (a
/// trunk, splitting further on).
pub(super) fn spacing(left: usize, right: usize, horizontal: bool, share: bool) -> usize {
    if horizontal {
        return if left == 0 && right == 0 && share {
            0
        } else {
            1
        };
    }
    // The cells of a label left of its line, and right of it (the line's own included).
    let before = |w: usize| label_lead(w);
    let after = |w: usize| w.saturating_sub(label_lead(w));
    match (left > 0, right > 0) {
        (false, false) if share => 0,
        (false, false) => 1,
        (true, _) | (_, true) => {
            let l = if left > 0 { after(left) } else { 1 };
            let r = if right > 0 { before(right) } else { 0 };
            l + 2 + r
        }
    }
}

/// Top to bottom, how many cells of a label of width `w` are left of its line: the line runs
/// into its second column (so the label reads as written across that line, not beside it),
/// the first for a one-column label.
pub(crate) fn label_lead(w: usize) -> usize {
    LABEL_LEAD.min(w.saturating_sub(1))
}

/// See [`label_lead`].
const LABEL_LEAD: usize = 1;

/// The most room along the order axis that runs with these label widths need from the first
/// to the last, in whatever order they leave their side.
pub(super) fn side_need(widths: &[usize], horizontal: bool) -> usize {
    let labels = widths.iter().any(|&w| w > 0);
    // The most a run may need to its next neighbour, whatever that is.
    let term = |w: usize| {
        let to_labelled = if labels {
            widths
                .iter()
                .map(|&r| spacing(w, r, horizontal, false))
                .max()
                .unwrap_or(1)
        } else {
            1
        };
        to_labelled.max(spacing(w, 0, horizontal, false))
    };
    let terms: Vec<usize> = widths.iter().map(|&w| term(w)).collect();
    terms.iter().sum::<usize>() - terms.iter().copied().min().unwrap_or(0)
}

/// Where the runs of segments with these label widths (in their order along the side) leave
/// a side of `len` cells from `start`, and from which cell of the side each leaves: each run
/// apart from the next by what its label needs (see [`spacing`]), spread evenly when they
/// fit (one alone in the middle). Unlabelled neighbours share a cell only when the side is
/// too short otherwise; runs that still do not fit are lanes packed from the start on past
/// the side's end, each leaving from the last cell a run may leave from (`end`: the side's
/// last, or a compact `[Label]`'s bracket just past it) and reaching its lane along the exit
/// line (a compact `[Label]` cannot grow as a box does).
fn out_ports(
    (start, len): (usize, usize),
    end: usize,
    widths: &[usize],
    horizontal: bool,
) -> (Vec<usize>, Vec<usize>) {
    let k = widths.len();
    let last = end.max(start);
    if k == 1 {
        let at = start + len.saturating_sub(1) / 2;
        return (vec![at], vec![at]);
    }
    let gaps = |share: bool| -> Vec<usize> {
        widths
            .windows(2)
            .map(|w| spacing(w[0], w[1], horizontal, share))
            .collect()
    };
    let mut between = gaps(false);
    if between.iter().sum::<usize>() >= len {
        between = gaps(true);
    }
    let slack = len
        .saturating_sub(1)
        .saturating_sub(between.iter().sum::<usize>());
    let mut at = start;
    let mut lanes = vec![start];
    for (i, g) in between.iter().enumerate() {
        at += g;
        lanes.push(at + ((i + 1) * slack) / (k - 1));
    }
    let cells = lanes.iter().map(|&p| p.min(last)).collect();
    (lanes, cells)
}

/// Whether vnode `v` is a compact `[Label]` whose brackets end its side along the order axis:
/// one row top to bottom (not a box, nor a group's frame laid out as one vnode, nor a compact
/// node left to right, whose side is its rows).
fn bracketed(graph: &Layered, v: usize) -> bool {
    let vn = &graph.vnodes[v];
    graph.compact && vn.real.is_some() && !vn.whole && vn.size_r == 1
}

/// Whether two of these upper ends are one node: parallel edges.
pub(super) fn parallel(froms: &[usize]) -> bool {
    (1..froms.len()).any(|i| froms[..i].contains(&froms[i]))
}

/// The side of vnode `vn` its edges leave and enter along the order axis, from its start: a
/// box's or a compact node's between its corners (brackets), a compact node's rows left to
/// right or a dummy's all of it.
pub(super) fn side(vn: &VNode) -> (usize, usize) {
    if vn.real.is_some() && !vn.whole && vn.size_o > 2 {
        (1, vn.size_o - 2)
    } else {
        (0, vn.size_o.max(1))
    }
}

/// Per vnode: the room along the order axis past its end that its labelled edges need, kept
/// free by the positions: top to bottom, the last label running on past its line (and a
/// blank after it); both ways, lanes past the end of a side too short for them.
pub(super) fn label_room(g: &Graph, graph: &Layered, horizontal: bool) -> Vec<usize> {
    let vnodes = &graph.vnodes;
    let mut widths: Vec<Vec<usize>> = vec![Vec::new(); vnodes.len()];
    for sg in &graph.segs {
        if let Some(w) = widths.get_mut(sg.from) {
            w.push(label_width(g, sg.edge));
        }
    }
    vnodes
        .iter()
        .zip(&widths)
        .map(|(vn, ws)| {
            if vn.real.is_none() || !ws.iter().any(|&w| w > 0) {
                return 0;
            }
            let (start, len) = side(vn);
            // The last run's place: the side's end, or further when lanes go past it (the
            // most they may need in any order).
            let last = if ws.len() == 1 {
                start + (len - 1) / 2
            } else {
                start + (len - 1).max(side_need(ws, horizontal))
            };
            // Top to bottom the last label runs on past its line, a blank kept after it.
            let label = if horizontal {
                0
            } else {
                ws.iter()
                    .map(|&w| w.saturating_sub(label_lead(w)) + 1)
                    .max()
                    .unwrap_or(0)
            };
            (last + 1 + label).saturating_sub(vn.size_o)
        })
        .collect()
}

impl Channels<'_> {
    /// Where vnode `v` starts along the rank axis: centred in its band; dummies fill it.
    fn r_start(&self, v: usize) -> usize {
        let b = self.vnodes[v].rank;
        if self.vnodes[v].real.is_some() {
            self.band_start[b] + (self.band[b] - self.vnodes[v].size_r) / 2
        } else {
            self.band_start[b]
        }
    }

    /// Where vnode `v` ends along the rank axis (its last cell).
    fn r_end(&self, v: usize) -> usize {
        let b = self.vnodes[v].rank;
        if self.vnodes[v].real.is_some() {
            self.r_start(v) + self.vnodes[v].size_r - 1
        } else {
            self.band_start[b] + self.band[b] - 1
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagram::graph::{Direction, Edge, Graph, Node, Syntax};
    use crate::diagram::layout::layered;

    fn chain(labels: &[&str]) -> Graph {
        let mut g = Graph::new(Syntax::TextChain);
        g.nodes = labels
            .iter()
            .map(|l| Node {
                id: (*l).into(),
                label: (*l).into(),
                pos: None,
                rounded: false,
            })
            .collect();
        g.edges = labels
            .windows(2)
            .map(|w| Edge::new(w[0], w[1], None))
            .collect();
        g
    }

    #[test]
    fn an_edge_runs_from_outside_its_tail_to_outside_its_head() {
        let g = chain(&["A", "B"]);
        for dir in [Direction::TB, Direction::BT, Direction::LR, Direction::RL] {
            let l = layered(&g, dir, false);
            let (a, b) = (l.nodes[0], l.nodes[1]);
            let points = &l.routes[0].points;
            let (first, last) = (points[0], points[points.len() - 1]);
            let expected = match dir {
                Direction::TB => ((first.0, a.y + a.h), (last.0, b.y - 1)),
                Direction::BT => ((first.0, a.y - 1), (last.0, b.y + b.h)),
                Direction::LR => ((a.x + a.w, first.1), (b.x - 1, last.1)),
                Direction::RL => ((a.x - 1, first.1), (b.x + b.w, last.1)),
            };
            assert_eq!((first, last), expected, "{dir:?}: {l:?}");
            // Boxes of one width in a line: the edge is straight.
            assert_eq!(points.len(), 2, "{dir:?}: {points:?}");
        }
    }
}
