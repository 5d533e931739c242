//! Routed connectors: lines followed cell by cell through corners, tees and junctions to the
//! nodes they touch. One connected line (a component) pictures the edges from the nodes it
//! leaves (no head there) to those its heads point at: a bus `┌──┼──┐` over three `▼` is a
//! fan-out, `└──┬──┘` into one `▼` a fan-in, a line with no head an undirected link, heads at
//! both ends a two-headed edge.
//!
//! A line crossing a container's border (at `┼` or through it) or another line (straight,
//! with no junction drawn) hops over it, so the border is never read as a node or a label.
//! A `┼` (or `+`) where both lines go straight on is a crossing of two lines when each is
//! whole on its own, a junction otherwise (see [`split_crossings`]).

use std::collections::{HashMap, VecDeque};

use super::boxes::Drawn;
use super::grid::{E, Grid, N, S, Stroke, W, opposite, step};
use super::labels::{self, Cells, Owner};
use crate::diagram::graph::{EdgeStyle, Head};

/// An edge read from the picture, between node indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    pub label: Option<String>,
    pub style: EdgeStyle,
    pub head: Head,
}

/// Edges one component may picture (a bus of many to many is cut there).
const MAX_LINKS: usize = 64;

struct Net {
    pos: Vec<(usize, usize)>,
    adj: Vec<Vec<usize>>,
    /// Nodes each cell touches.
    touches: Vec<Vec<usize>>,
    /// Labels: text and the cell they belong to.
    labels: Vec<(String, usize)>,
    /// (cell, direction) heads pointing away from a node along the line, with that node.
    far_heads: Vec<(usize, u8, Option<usize>)>,
    /// Nodes a head points straight at, by cell.
    heads: Vec<(usize, usize)>,
    /// The head cells that are circles or crosses (`──o│`, `──x│`); the rest are arrows.
    kinds: HashMap<usize, Head>,
}

/// The node at a cell, or one blank further towards `d` when `d` is horizontal.
fn node_at(grid: &Grid, cells: &Cells, line: usize, col: usize, d: u8) -> Option<usize> {
    let (l, c) = step(line, col, d)?;
    if let Owner::Node(i) = cells.owner(l, c) {
        return Some(i);
    }
    if d & (E | W) != 0 && grid.blank(l, c) && cells.owner(l, c) == Owner::Free {
        let (l2, c2) = step(l, c, d)?;
        if let Owner::Node(i) = cells.owner(l2, c2) {
            return Some(i);
        }
    }
    None
}

/// Reads every connector of the picture. `nodes` are the leaf nodes (their cells owned in
/// `cells`); cells already taken (by the arrow rows of bracket pictures) are left alone.
pub fn trace(grid: &Grid, cells: &mut Cells, nodes: &[Drawn]) -> Vec<Link> {
    let free = |cells: &Cells, l: usize, c: usize| {
        cells.owner(l, c) == Owner::Free && !cells.is_taken(l, c)
    };
    let mut index: HashMap<(usize, usize), usize> = HashMap::new();
    let mut net = Net {
        pos: Vec::new(),
        adj: Vec::new(),
        touches: Vec::new(),
        labels: Vec::new(),
        far_heads: Vec::new(),
        heads: Vec::new(),
        kinds: HashMap::new(),
    };
    for line in 0..grid.height() {
        for col in 0..grid.width(line) {
            if free(cells, line, col) && grid.line(line, col).is_some() {
                index.insert((line, col), net.pos.len());
                net.pos.push((line, col));
            }
        }
    }
    let n = net.pos.len();
    net.adj = vec![Vec::new(); n];
    net.touches = vec![Vec::new(); n];
    let arms_at = |l: usize, c: usize| grid.line(l, c).map_or(0, |x| x.arms);
    for a in 0..n {
        let (line, col) = net.pos[a];
        let Some(gl) = grid.line(line, col) else {
            continue;
        };
        for d in [N, E, S, W] {
            if gl.arms & d == 0 {
                continue;
            }
            if let Some(i) = node_at(grid, cells, line, col, d) {
                net.touches[a].push(i);
            }
            if gl.head & d != 0 {
                match node_at(grid, cells, line, col, d) {
                    Some(i) => net.heads.push((a, i)),
                    None => net.far_heads.push((a, d, None)),
                }
            }
            // Links are made looking east and south; the other way is the same link.
            if d != E && d != S {
                continue;
            }
            let Some((l, c)) = step(line, col, d) else {
                continue;
            };
            if let Some(&b) = index.get(&(l, c))
                && arms_at(l, c) & opposite(d) != 0
            {
                link(&mut net.adj, a, b);
                continue;
            }
            // A hop over a frame or a line crossing this one.
            let crossing = cells.owner(l, c) == Owner::Frame
                || index.contains_key(&(l, c)) && arms_at(l, c) & (d | opposite(d)) == 0;
            if crossing {
                if let Some(&b) = step(l, c, d).and_then(|p| index.get(&p))
                    && arms_at(net.pos[b].0, net.pos[b].1) & opposite(d) != 0
                {
                    link(&mut net.adj, a, b);
                }
                continue;
            }
            // A label written across the line: it goes on under the text.
            if d == S
                && let Some((resume, spans)) = labels::across(grid, cells, line, col, S)
            {
                if let Some(&b) = index.get(&(resume, col))
                    && let Some(text) = labels::take_across(grid, cells, &spans)
                {
                    link(&mut net.adj, a, b);
                    net.labels.push((text, a));
                }
                continue;
            }
            if d == E
                && let Some(span) = labels::inline(grid, cells, line, col)
            {
                let resume = if grid.blank(line, span.1) {
                    span.1 + 1
                } else {
                    span.1
                };
                if let Some(&b) = index.get(&(line, resume))
                    && let Some(text) = labels::take_inline(grid, cells, line, span)
                {
                    link(&mut net.adj, a, b);
                    net.labels.push((text, a));
                }
            }
        }
    }
    letter_heads(grid, cells, &mut index, &mut net);
    ports(grid, cells, nodes, &index, &mut net);
    split_crossings(grid, nodes, &mut net);
    let comps = components(&net.adj);
    // Labels beside vertical cells, then over and under horizontal runs.
    for &left in &[false, true] {
        for a in 0..n {
            let (l, c) = net.pos[a];
            if let Some(t) = labels::beside(grid, cells, l, c, left) {
                net.labels.push((t, a));
            }
        }
    }
    for a in 0..n {
        let (l, c) = net.pos[a];
        let starts_run = labels::horizontal(grid, l, c)
            && !(c > 0 && index.contains_key(&(l, c - 1)) && labels::horizontal(grid, l, c - 1));
        if !starts_run {
            continue;
        }
        let mut end = c;
        while index.contains_key(&(l, end + 1)) && labels::horizontal(grid, l, end + 1) {
            end += 1;
        }
        for row in [l.checked_sub(1), Some(l + 1)].into_iter().flatten() {
            if let Some((t, at)) = labels::over(grid, cells, row, (c, end)) {
                let anchor = index.get(&(l, at.clamp(c, end))).copied().unwrap_or(a);
                net.labels.push((t, anchor));
            }
        }
    }
    for &(l, c) in &net.pos {
        cells.take(l, c, c + 1);
    }
    let mut comp_of = vec![0; net.pos.len()];
    for (k, comp) in comps.iter().enumerate() {
        for &a in comp {
            comp_of[a] = k;
        }
    }
    let mut out = Vec::new();
    for (k, comp) in comps.iter().enumerate() {
        out.extend(links_of(grid, nodes, &net, comp, &|a| comp_of[a] == k));
    }
    out
}

/// `──o│`, `──x│`, `│o──`, an `o` between a `│` and the box under it: the letters `o` and
/// `x` right between a line's end and a node are circle and cross heads on that node. Nowhere
/// else: a letter of a word is never next to both (and a word beside a vertical one rules
/// it out).
fn letter_heads(
    grid: &Grid,
    cells: &mut Cells,
    index: &mut HashMap<(usize, usize), usize>,
    net: &mut Net,
) {
    let mut found = Vec::new();
    for line in 0..grid.height() {
        for col in 0..grid.width(line) {
            let kind = match grid.at(line, col) {
                "o" => Head::Circle,
                "x" => Head::Cross,
                _ => continue,
            };
            if cells.owner(line, col) != Owner::Free
                || cells.is_taken(line, col)
                || index.contains_key(&(line, col))
            {
                continue;
            }
            for d in [E, W, N, S] {
                let Some(near) = step(line, col, opposite(d)) else {
                    continue;
                };
                let Some(&b) = index.get(&near) else {
                    continue;
                };
                let runs_in = grid
                    .line(near.0, near.1)
                    .is_some_and(|x| x.arms & d != 0 && x.head == 0);
                let worded = d & (N | S) != 0 && grid.word_beside(line, col);
                if !runs_in || worded {
                    continue;
                }
                if let Some(i) = node_at(grid, cells, line, col, d) {
                    found.push((line, col, b, i, kind));
                    break;
                }
            }
        }
    }
    for (l, c, b, i, kind) in found {
        // Taken now: the head is no label of the line over or under it.
        cells.take(l, c, c + 1);
        let v = net.pos.len();
        index.insert((l, c), v);
        net.pos.push((l, c));
        net.adj.push(Vec::new());
        net.touches.push(vec![i]);
        link(&mut net.adj, v, b);
        net.heads.push((v, i));
        net.kinds.insert(v, kind);
    }
}

fn link(adj: &mut [Vec<usize>], a: usize, b: usize) {
    if a != b && !adj[a].contains(&b) {
        adj[a].push(b);
        adj[b].push(a);
    }
}

/// Tees and heads on a box's own border (`└──┬──┘`, `┌──▼──┐`): the line outside them
/// touches the box (past a label written right against the border); a head pointing in
/// makes the box a head, pointing out the far end.
fn ports(
    grid: &Grid,
    cells: &mut Cells,
    nodes: &[Drawn],
    index: &HashMap<(usize, usize), usize>,
    net: &mut Net,
) {
    for (i, b) in nodes.iter().enumerate().filter(|(_, b)| b.boxed) {
        let mut border = Vec::new();
        for c in b.left..=b.right {
            border.push((b.top, c, N));
            border.push((b.bottom, c, S));
        }
        for l in b.top..=b.bottom {
            border.push((l, b.left, W));
            border.push((l, b.right, E));
        }
        for (l, c, out) in border {
            let Some(gl) = grid.line(l, c) else { continue };
            if gl.arms & out == 0 {
                continue;
            }
            let mut label = None;
            let a = match step(l, c, out).and_then(|p| index.get(&p)) {
                Some(&a) => a,
                None => {
                    let Some((resume, spans)) = labels::across(grid, cells, l, c, out) else {
                        continue;
                    };
                    let Some(&a) = index.get(&(resume, c)) else {
                        continue;
                    };
                    label = Some(spans);
                    a
                }
            };
            let (al, ac) = net.pos[a];
            if grid
                .line(al, ac)
                .is_none_or(|x| x.arms & opposite(out) == 0)
            {
                continue;
            }
            if let Some(spans) = label
                && let Some(text) = labels::take_across(grid, cells, &spans)
            {
                net.labels.push((text, a));
            }
            if !net.touches[a].contains(&i) {
                net.touches[a].push(i);
            }
            if gl.head & opposite(out) != 0 {
                net.heads.push((a, i));
            } else if gl.head & out != 0 {
                net.far_heads.push((a, out, Some(i)));
            }
        }
    }
}

/// Crossings looked at per picture, and the largest line a crossing is looked at in (cells).
const MAX_CROSSINGS: usize = 64;
const MAX_CROSSING_COMPONENT: usize = 20_000;

/// `┼` (or an ASCII `+`) with a line going straight on each way is two lines crossing, not a
/// junction joining them, when each line is whole on its own: cut apart there, each pictures
/// edges of the same kind (both with a tail and a head, or both without heads). Otherwise it
/// is a junction (`┌──┼──┐` under a node's tee is a bus: alone, its ends are all heads).
/// A crossing becomes two cells at one place, one for each line.
fn split_crossings(grid: &Grid, nodes: &[Drawn], net: &mut Net) {
    let crosses: Vec<usize> = (0..net.pos.len())
        .filter(|&a| {
            let (l, c) = net.pos[a];
            grid.line(l, c)
                .is_some_and(|x| x.arms == N | E | S | W && x.head == 0)
                && net.touches[a].is_empty()
                && !net.labels.iter().any(|(_, at)| *at == a)
        })
        .take(MAX_CROSSINGS)
        .collect();
    for a in crosses {
        let (l, c) = net.pos[a];
        let side = |b: usize| {
            let (bl, bc) = net.pos[b];
            match (bl.cmp(&l), bc.cmp(&c)) {
                (std::cmp::Ordering::Less, std::cmp::Ordering::Equal) => N,
                (std::cmp::Ordering::Greater, std::cmp::Ordering::Equal) => S,
                (std::cmp::Ordering::Equal, std::cmp::Ordering::Less) => W,
                (std::cmp::Ordering::Equal, std::cmp::Ordering::Greater) => E,
                _ => 0,
            }
        };
        let sides: Vec<u8> = net.adj[a].iter().map(|&b| side(b)).collect();
        let straight = net.adj[a].len() == 4
            && [N, E, S, W]
                .iter()
                .all(|d| sides.iter().filter(|s| *s == d).count() == 1);
        if !straight {
            continue;
        }
        let vertical: Vec<usize> = net.adj[a]
            .iter()
            .zip(&sides)
            .filter(|(_, d)| **d & (N | S) != 0)
            .map(|(&b, _)| b)
            .collect();
        // Cut: the vertical line goes to a new cell at the same place.
        let v = net.pos.len();
        net.pos.push((l, c));
        net.adj.push(Vec::new());
        net.touches.push(Vec::new());
        for &b in &vertical {
            unlink(&mut net.adj, a, b);
            link(&mut net.adj, v, b);
        }
        if !crossing_holds(grid, nodes, net, a, v) {
            for &b in &vertical {
                unlink(&mut net.adj, v, b);
                link(&mut net.adj, a, b);
            }
            net.pos.pop();
            net.adj.pop();
            net.touches.pop();
        }
    }
}

/// Whether the lines through `h` and `v`, cut apart, are two separate lines each picturing
/// edges of one kind.
fn crossing_holds(grid: &Grid, nodes: &[Drawn], net: &Net, h: usize, v: usize) -> bool {
    let piece = |start: usize| -> Option<Vec<usize>> {
        let mut seen = vec![false; net.adj.len()];
        seen[start] = true;
        let mut comp = vec![start];
        let mut k = 0;
        while k < comp.len() {
            for &b in &net.adj[comp[k]] {
                if !seen[b] {
                    seen[b] = true;
                    comp.push(b);
                }
            }
            k += 1;
            if comp.len() > MAX_CROSSING_COMPONENT {
                return None;
            }
        }
        Some(comp)
    };
    let (Some(ph), Some(pv)) = (piece(h), piece(v)) else {
        return false;
    };
    if ph.contains(&v) {
        return false;
    }
    let kind = |comp: &[usize]| {
        let mut inside = vec![false; net.adj.len()];
        for &a in comp {
            inside[a] = true;
        }
        let links = links_of(grid, nodes, net, comp, &|a| inside[a]);
        let directed = links
            .iter()
            .all(|k| k.head != Head::None && !k.head.is_two_ended());
        let undirected = links.iter().all(|k| k.head == Head::None);
        (!links.is_empty()).then_some((directed, undirected))
    };
    match (kind(&ph), kind(&pv)) {
        (Some(a), Some(b)) => (a.0 && b.0) || (a.1 && b.1),
        _ => false,
    }
}

fn unlink(adj: &mut [Vec<usize>], a: usize, b: usize) {
    adj[a].retain(|&x| x != b);
    adj[b].retain(|&x| x != a);
}

/// The connected components of the cell graph, each a list of cells.
fn components(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut seen = vec![false; adj.len()];
    let mut out = Vec::new();
    for s in 0..adj.len() {
        if seen[s] {
            continue;
        }
        seen[s] = true;
        let mut comp = vec![s];
        let mut k = 0;
        while k < comp.len() {
            for &b in &adj[comp[k]] {
                if !seen[b] {
                    seen[b] = true;
                    comp.push(b);
                }
            }
            k += 1;
        }
        out.push(comp);
    }
    out
}

/// Breadth-first from `start` (not through `blocked`): the path to the nearest cell that
/// touches a node other than `not`, as (node, path of cells).
fn nearest(net: &Net, start: usize, blocked: Option<usize>, not: Option<usize>) -> Option<usize> {
    let mut prev: HashMap<usize, usize> = HashMap::new();
    let mut q = VecDeque::from([start]);
    prev.insert(start, start);
    if let Some(b) = blocked {
        prev.insert(b, b);
    }
    while let Some(a) = q.pop_front() {
        if let Some(&i) = net.touches[a].iter().find(|&&i| Some(i) != not) {
            return Some(i);
        }
        for &b in &net.adj[a] {
            if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(b) {
                e.insert(a);
                q.push_back(b);
            }
        }
    }
    None
}

/// The cells on a shortest path between two sets of cells.
fn path(net: &Net, from: &[usize], to: &[usize]) -> Vec<usize> {
    let mut prev: HashMap<usize, usize> = HashMap::new();
    let mut q: VecDeque<usize> = from.iter().copied().collect();
    for &f in from {
        prev.insert(f, f);
    }
    while let Some(a) = q.pop_front() {
        if to.contains(&a) {
            let mut out = vec![a];
            let mut c = a;
            while prev[&c] != c {
                c = prev[&c];
                out.push(c);
            }
            return out;
        }
        for &b in &net.adj[a] {
            if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(b) {
                e.insert(a);
                q.push_back(b);
            }
        }
    }
    Vec::new()
}

fn links_of(
    grid: &Grid,
    nodes: &[Drawn],
    net: &Net,
    comp: &[usize],
    in_comp: &dyn Fn(usize) -> bool,
) -> Vec<Link> {
    let mut touched: Vec<usize> = Vec::new();
    for &a in comp {
        for &i in &net.touches[a] {
            if !touched.contains(&i) {
                touched.push(i);
            }
        }
    }
    if touched.len() < 2 {
        return Vec::new();
    }
    let mut heads: Vec<usize> = Vec::new();
    for &(_, i) in net.heads.iter().filter(|(a, _)| in_comp(*a)) {
        if !heads.contains(&i) {
            heads.push(i);
        }
    }
    for &(a, d, from) in net.far_heads.iter().filter(|(a, _, _)| in_comp(*a)) {
        // Walk on the way the head points: from the cell beyond it, or from it when the
        // head sits on a node's border.
        let (start, blocked) = match from {
            Some(_) => (a, None),
            None => {
                let (l, c) = net.pos[a];
                let Some(next) = step(l, c, d).and_then(|p| {
                    net.adj[a]
                        .iter()
                        .copied()
                        .find(|&b| toward(net.pos[b], p, d))
                }) else {
                    continue;
                };
                (next, Some(a))
            }
        };
        if let Some(i) = nearest(net, start, blocked, from)
            && !heads.contains(&i)
        {
            heads.push(i);
        }
    }
    // Nodes in the order drawn: top to bottom, left to right.
    touched.sort_by_key(|&i| (nodes[i].top, nodes[i].left));
    heads.sort_by_key(|&i| (nodes[i].top, nodes[i].left));
    let tails: Vec<usize> = touched
        .iter()
        .copied()
        .filter(|i| !heads.contains(i))
        .collect();
    // A head drawn as `o` or `x` is a circle or a cross; any other an arrow.
    let kind_at = |i: usize| {
        net.heads
            .iter()
            .filter(|&&(a, h)| h == i && in_comp(a))
            .find_map(|(a, _)| net.kinds.get(a).copied())
            .unwrap_or(Head::Arrow)
    };
    let mut pairs: Vec<(usize, usize, Head)> = Vec::new();
    if !heads.is_empty() && !tails.is_empty() {
        for &t in &tails {
            for &h in &heads {
                pairs.push((t, h, kind_at(h)));
            }
        }
    } else {
        let kinds: Vec<Head> = heads.iter().map(|&h| kind_at(h)).collect();
        let head = if heads.is_empty() {
            Head::None
        } else if kinds.iter().all(|&k| k == kinds[0]) && kinds[0] != Head::Arrow {
            // `o──o`, `x──x`.
            kinds[0].at_both_ends()
        } else {
            Head::Both
        };
        for &o in &touched[1..] {
            pairs.push((touched[0], o, head));
        }
    }
    pairs.truncate(MAX_LINKS);
    let style = style_of(grid, net, comp);
    let cells_of = |i: usize| -> Vec<usize> {
        comp.iter()
            .copied()
            .filter(|&a| net.touches[a].contains(&i))
            .collect()
    };
    let labels: Vec<&(String, usize)> = net.labels.iter().filter(|(_, a)| in_comp(*a)).collect();
    let paths: Vec<Vec<usize>> = if labels.is_empty() || pairs.len() == 1 {
        Vec::new()
    } else {
        pairs
            .iter()
            .map(|&(f, t, _)| path(net, &cells_of(f), &cells_of(t)))
            .collect()
    };
    pairs
        .iter()
        .enumerate()
        .map(|(k, &(from, to, head))| {
            let mine: Vec<&str> = labels
                .iter()
                .filter(|(_, a)| {
                    paths.is_empty() || paths[k].contains(a) || !paths.iter().any(|p| p.contains(a))
                })
                .map(|(t, _)| t.as_str())
                .collect();
            Link {
                from,
                to,
                label: (!mine.is_empty()).then(|| mine.join(" ")),
                style,
                head,
            }
        })
        .collect()
}

/// Whether `cell` lies from `near` on towards `d` (the next cell, or one hopped to).
fn toward(cell: (usize, usize), near: (usize, usize), d: u8) -> bool {
    match d {
        N | S => {
            cell.1 == near.1
                && (if d == N {
                    cell.0 <= near.0
                } else {
                    cell.0 >= near.0
                })
        }
        _ => {
            cell.0 == near.0
                && (if d == W {
                    cell.1 <= near.1
                } else {
                    cell.1 >= near.1
                })
        }
    }
}

/// Thick when most straight cells are double or heavy, dotted when most are dashed.
fn style_of(grid: &Grid, net: &Net, comp: &[usize]) -> EdgeStyle {
    let (mut solid, mut double, mut dashed) = (0, 0, 0);
    for &a in comp {
        let (l, c) = net.pos[a];
        match grid.line(l, c).map(|x| x.stroke) {
            Some(Stroke::Solid) => solid += 1,
            Some(Stroke::Double) => double += 1,
            Some(Stroke::Dashed) => dashed += 1,
            _ => {}
        }
    }
    if double > solid && double >= dashed {
        EdgeStyle::Thick
    } else if dashed > solid && dashed > double {
        EdgeStyle::Dotted
    } else {
        EdgeStyle::Solid
    }
}
