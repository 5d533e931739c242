//! Groups (subgraphs, containers) in the layered layout, kept together as Graphviz keeps its
//! clusters, so each can be drawn as one frame around its members and nothing else.
//!
//! Every vnode gets a *chain*: the groups holding it, outermost first. A real node's is its
//! group's and that group's ancestors'; a dummy on a long edge is in the groups of an end
//! whose frame spans its rank (so an edge leaving a group runs inside the frame down to its
//! border); a group with no vnode in a rank it spans gets a placeholder there (an empty vnode
//! in the group), so in every rank of its span a group is one block and everything else is
//! on one side of it or the other.
//!
//! The phases consult this file through a few hooks:
//! - ordering: [`Clusters::restore_all`] on the start order, [`Clusters::restore`] after each
//!   layer is sorted (each group's vnodes back into one block, nested blocks inside it, and
//!   sibling groups in the same order in every rank they share), and [`Clusters::swappable`]
//!   for adjacent swaps (only within one block);
//! - positions: [`Clusters::borders_between`] for the gaps, [`Clusters::legalize`] for the
//!   frames' sides (each frame one column range across all its ranks, a blank cell between it
//!   and anything outside, long enough for its title), found as longest paths over difference
//!   constraints and then balanced inside them (`System`);
//! - routing: [`Clusters::starting`], [`Clusters::ending`], [`Clusters::directly_in`] for the
//!   room above and below frames along the rank axis, and [`Clusters::title_room`] for titles
//!   the edges crossing their border leave no room for (one more positions pass).

use std::collections::{HashMap, HashSet};

use unicode_width::UnicodeWidthStr;

use super::{Fixed, Layered, VNode};
use crate::diagram::frames::MARGIN;
use crate::diagram::graph::Graph;

/// The widest title a frame is widened for (display columns); a longer one is cut with `…`.
pub(crate) const MAX_TITLE: usize = 60;

/// The groups of a layered graph: their tree, each vnode's chain, each group's ranks.
#[derive(Debug, Clone, Default)]
pub(super) struct Clusters {
    /// Per vnode: the groups holding it, outermost first.
    chain: Vec<Vec<usize>>,
    /// Per group: the group it is nested in.
    parent: Vec<Option<usize>>,
    /// Per group: the ranks of its real members, nested ones included.
    span: Vec<Option<(usize, usize)>>,
    /// Per group: the frame's length its title needs (`┌─ Title ─┐`).
    title: Vec<usize>,
    /// The first placeholder vnode (those after it are placeholders).
    placeholders: usize,
}

/// What puts the groups of one level of a rank in order: (key, group) in, reordered.
type GroupOrder<'a> = dyn FnMut(&mut Vec<(f64, usize)>) + 'a;

/// A constraint added for a title between the edges crossing its border.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Extra {
    /// Vnode `v` starts at least `d` after group `s`'s left border.
    After { s: usize, v: usize, d: i64 },
    /// Group `s`'s right border is at least `d` after vnode `v`'s start.
    Before { v: usize, s: usize, d: i64 },
}

/// The group tree of `g`: each subgraph's parent (the first subgraph listing it, cycles cut),
/// each subgraph's chain (its ancestors and itself, outermost first) and each node's chain
/// (a node listed in several groups is in the deepest of them).
pub(super) struct Tree {
    pub(super) parent: Vec<Option<usize>>,
    pub(super) groups: Vec<Vec<usize>>,
    pub(super) nodes: Vec<Vec<usize>>,
}

pub(super) fn tree(g: &Graph) -> Tree {
    let n = g.subgraphs.len();
    let ids = g.subgraph_index();
    let mut parent: Vec<Option<usize>> = vec![None; n];
    for (p, s) in g.subgraphs.iter().enumerate() {
        for c in &s.subgraphs {
            if let Some(&k) = ids.get(c.as_str())
                && k != p
                && parent[k].is_none()
            {
                parent[k] = Some(p);
            }
        }
    }
    // A group nested in itself through others: cut where the walk comes back.
    for s in 0..n {
        let mut at = parent[s];
        for _ in 0..n {
            match at {
                Some(p) if p == s => {
                    parent[s] = None;
                    break;
                }
                Some(p) => at = parent[p],
                None => break,
            }
        }
    }
    let chain_of = |s: usize| {
        let mut c = vec![s];
        while let Some(p) = parent[*c.last().expect("not empty")] {
            if c.len() > n {
                break;
            }
            c.push(p);
        }
        c.reverse();
        c
    };
    let chains: Vec<Vec<usize>> = (0..n).map(chain_of).collect();
    let nodes = g.node_index();
    let mut of_node: Vec<Vec<usize>> = vec![Vec::new(); g.nodes.len()];
    for (s, sub) in g.subgraphs.iter().enumerate() {
        for id in &sub.nodes {
            if let Some(&k) = nodes.get(id.as_str())
                && chains[s].len() > of_node[k].len()
            {
                of_node[k] = chains[s].clone();
            }
        }
    }
    Tree {
        parent,
        groups: chains,
        nodes: of_node,
    }
}

/// The length of the common start of two chains.
fn common(a: &[usize], b: &[usize]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

impl Clusters {
    /// The groups of `g` in its layered graph, with placeholders added to `graph` where a
    /// group has no vnode in a rank it spans. No groups, nothing to do.
    pub(super) fn new(g: &Graph, graph: &mut Layered) -> Clusters {
        let groups = g.subgraphs.len();
        if groups == 0 {
            return Clusters::default();
        }
        let Tree {
            parent,
            groups: chains,
            nodes: of_node,
        } = tree(g);
        let vnodes = &mut graph.vnodes;
        let mut chain: Vec<Vec<usize>> = vnodes
            .iter()
            .map(|v| v.real.map_or_else(Vec::new, |k| of_node[k].clone()))
            .collect();
        let mut span: Vec<Option<(usize, usize)>> = vec![None; groups];
        for (v, vn) in vnodes.iter().enumerate() {
            if vn.real.is_some() {
                for &s in &chain[v] {
                    let r = vn.rank;
                    span[s] = Some(span[s].map_or((r, r), |(a, b)| (a.min(r), b.max(r))));
                }
            }
        }
        let spans = |s: usize, r: usize| span[s].is_some_and(|(a, b)| a <= r && r <= b);
        // Dummies: in the groups of the end whose frames span their rank (the longer chain).
        for (_, vs, _) in &graph.chains {
            let (Some(&u), Some(&w)) = (vs.first(), vs.last()) else {
                continue;
            };
            for &d in &vs[1..vs.len().saturating_sub(1)] {
                let r = vnodes[d].rank;
                let cu = chain[u].iter().take_while(|&&s| spans(s, r)).count();
                let cw = chain[w].iter().take_while(|&&s| spans(s, r)).count();
                chain[d] = if cw > cu {
                    chain[w][..cw].to_vec()
                } else {
                    chain[u][..cu].to_vec()
                };
            }
        }
        // Placeholders: the deepest groups first, so a nested group's count for its parent.
        let placeholders = vnodes.len();
        let mut present: HashSet<(usize, usize)> = HashSet::new();
        for (v, c) in chain.iter().enumerate() {
            for &s in c {
                present.insert((s, vnodes[v].rank));
            }
        }
        let mut deepest: Vec<usize> = (0..groups).collect();
        deepest.sort_by_key(|&s| std::cmp::Reverse(chains[s].len()));
        for &s in &deepest {
            let Some((a, b)) = span[s] else { continue };
            for r in a..=b {
                if present.contains(&(s, r)) {
                    continue;
                }
                vnodes.push(VNode {
                    rank: r,
                    real: None,
                    size_o: 0,
                    size_r: 0,
                    whole: false,
                });
                chain.push(chains[s].clone());
                for &t in &chains[s] {
                    present.insert((t, r));
                }
            }
        }
        let title = (0..groups)
            .map(|s| crate::diagram::frames::title(g, s).width().min(MAX_TITLE) + 6)
            .collect();
        Clusters {
            chain,
            parent,
            span,
            title,
            placeholders,
        }
    }

    fn groups(&self) -> usize {
        self.parent.len()
    }

    /// Whether two neighbours in a rank may be swapped: only within one block.
    pub(super) fn swappable(&self, u: usize, v: usize) -> bool {
        self.chain.get(u) == self.chain.get(v)
    }

    /// How many frame borders lie between two neighbours in a rank.
    pub(super) fn borders_between(&self, u: usize, v: usize) -> usize {
        let (Some(a), Some(b)) = (self.chain.get(u), self.chain.get(v)) else {
            return 0;
        };
        let c = common(a, b);
        a.len() + b.len() - 2 * c
    }

    /// The start order made group-wise for every rank: each group's vnodes one block, in
    /// the order the groups take on average over the ranks (so sibling groups come in the
    /// same order in every rank); a fixed grid orders by the author's columns.
    pub(super) fn restore_all(
        &self,
        layers: &mut [Vec<usize>],
        vnodes: &[VNode],
        fixed: Option<&Fixed>,
    ) {
        if self.groups() == 0 {
            return;
        }
        // Per group: where it sits on average (a column in a grid, else a fraction of the
        // rank), placeholders aside; and per vnode its own key.
        let mut sum = vec![(0.0f64, 0usize); self.groups()];
        let mut key = vec![f64::NAN; vnodes.len()];
        for layer in layers.iter() {
            for (i, &v) in layer.iter().enumerate() {
                if v >= self.placeholders {
                    continue;
                }
                let k = match fixed {
                    Some(f) => match vnodes[v].real {
                        Some(r) => f.col[r] as f64,
                        None => continue,
                    },
                    None => (i as f64 + 0.5) / layer.len() as f64,
                };
                key[v] = k;
                for &s in &self.chain[v] {
                    sum[s].0 += k;
                    sum[s].1 += 1;
                }
            }
        }
        let global: Vec<f64> = sum
            .iter()
            .map(|&(t, c)| if c == 0 { 0.0 } else { t / c as f64 })
            .collect();
        for layer in layers.iter_mut() {
            let len = layer.len() as f64;
            let items: Vec<(f64, usize)> = layer
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    // A placeholder sits where its group does on average; in a grid a
                    // vnode that is not a node keeps its place among the columns.
                    let own = if v >= self.placeholders {
                        let at = self.chain[v].last().map_or(0.0, |&s| global[s]);
                        if fixed.is_some() { at } else { at * len }
                    } else if fixed.is_some() {
                        key[v]
                    } else {
                        i as f64
                    };
                    (if own.is_nan() { i as f64 } else { own }, v)
                })
                .collect();
            let mut out = Vec::with_capacity(layer.len());
            self.arrange(&items, 0, &mut out, &mut |gs: &mut Vec<(f64, usize)>| {
                gs.sort_by(|a, b| global[a.1].total_cmp(&global[b.1]).then(a.1.cmp(&b.1)));
            });
            *layer = out;
        }
    }

    /// Rank `r` made group-wise again after a sort: blocks where the sort put their vnodes
    /// on average, sibling groups that share another rank in the order they have there.
    pub(super) fn restore(&self, layers: &mut [Vec<usize>], r: usize) {
        if self.groups() == 0 {
            return;
        }
        let items: Vec<(f64, usize)> = layers[r]
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64, v))
            .collect();
        let others: &[Vec<usize>] = layers;
        // Where each group starts in every rank, made when two groups meet.
        let mut first: Option<Vec<Vec<Option<usize>>>> = None;
        let mut out = Vec::with_capacity(items.len());
        self.arrange(&items, 0, &mut out, &mut |gs: &mut Vec<(f64, usize)>| {
            if gs.len() < 2 {
                return;
            }
            let first = first.get_or_insert_with(|| {
                others
                    .iter()
                    .map(|layer| {
                        let mut f = vec![None; self.groups()];
                        for (i, &v) in layer.iter().enumerate() {
                            for &t in &self.chain[v] {
                                f[t].get_or_insert(i);
                            }
                        }
                        f
                    })
                    .collect()
            });
            // Whether group a comes before b in a rank they share (other than r).
            let before = |a: usize, b: usize| -> bool {
                first
                    .iter()
                    .enumerate()
                    .any(|(l, f)| l != r && matches!((f[a], f[b]), (Some(x), Some(y)) if x < y))
            };
            let mut left: Vec<(f64, usize)> = gs.clone();
            left.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut done: Vec<(f64, usize)> = Vec::with_capacity(gs.len());
            while !left.is_empty() {
                // The first by key that nothing left must precede; a cycle takes the first.
                let pick = (0..left.len())
                    .find(|&i| !(0..left.len()).any(|j| j != i && before(left[j].1, left[i].1)))
                    .unwrap_or(0);
                done.push(left.remove(pick));
            }
            *gs = done;
        });
        layers[r] = out;
    }

    /// Orders `items` (key, vnode) at nesting `depth`: each group of that depth one entry
    /// keyed by the mean of its vnodes' keys, the entries sorted by key, then the groups put
    /// in the order `order_groups` gives them (in the places groups took), each arranged
    /// inside the same way.
    fn arrange(
        &self,
        items: &[(f64, usize)],
        depth: usize,
        out: &mut Vec<usize>,
        order_groups: &mut GroupOrder<'_>,
    ) {
        enum Entry {
            Node(f64, usize),
            Group(usize, f64, Vec<(f64, usize)>),
        }
        let mut entries: Vec<Entry> = Vec::new();
        let mut slot: HashMap<usize, usize> = HashMap::new();
        for &(k, v) in items {
            match self.chain[v].get(depth) {
                None => entries.push(Entry::Node(k, v)),
                Some(&s) => {
                    let i = *slot.entry(s).or_insert_with(|| {
                        entries.push(Entry::Group(s, 0.0, Vec::new()));
                        entries.len() - 1
                    });
                    if let Entry::Group(_, _, inner) = &mut entries[i] {
                        inner.push((k, v));
                    }
                }
            }
        }
        for e in &mut entries {
            if let Entry::Group(_, key, inner) = e {
                *key = inner.iter().map(|x| x.0).sum::<f64>() / inner.len().max(1) as f64;
            }
        }
        let key = |e: &Entry| match e {
            Entry::Node(k, _) | Entry::Group(_, k, _) => *k,
        };
        // Stable: equal keys keep their order of first appearance.
        entries.sort_by(|a, b| key(a).total_cmp(&key(b)));
        let slots: Vec<usize> = (0..entries.len())
            .filter(|&i| matches!(entries[i], Entry::Group(..)))
            .collect();
        let mut gs: Vec<(f64, usize)> = slots
            .iter()
            .map(|&i| match &entries[i] {
                Entry::Group(s, k, _) => (*k, *s),
                Entry::Node(..) => unreachable!("slots hold groups"),
            })
            .collect();
        order_groups(&mut gs);
        let mut inner: HashMap<usize, Vec<(f64, usize)>> = HashMap::new();
        for e in &mut entries {
            if let Entry::Group(s, _, vs) = e {
                inner.insert(*s, std::mem::take(vs));
            }
        }
        let mut placed = gs.into_iter();
        for e in &entries {
            match e {
                Entry::Node(_, v) => out.push(*v),
                Entry::Group(..) => {
                    if let Some((_, s)) = placed.next() {
                        let vs = inner.remove(&s).unwrap_or_default();
                        self.arrange(&vs, depth + 1, out, order_groups);
                    }
                }
            }
        }
    }

    /// Moves vnodes along the order axis until every group's frame is one range
    /// `[left, right]` of border cells across all its ranks: its members and nested frames
    /// inside with a blank cell, everything else in its ranks outside with a blank cell, and
    /// (with the title along the order axis, top to bottom) long enough for its title, plus
    /// the `extra` constraints. `gaps[r][i]` is the room kept between the i-th vnode of rank
    /// r and the next. First pushed right (longest paths), contents then centred in room made
    /// for a title, then each vnode moved toward its neighbours (`up`, `down`) as far as the
    /// constraints allow. Returns each group's range, or nothing when the constraints cannot
    /// all hold; the frames then fall back on their members' box.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn legalize(
        &self,
        layers: &[Vec<usize>],
        vnodes: &[VNode],
        (up, down): (&[Vec<usize>], &[Vec<usize>]),
        o: &mut [i64],
        gaps: &[Vec<usize>],
        horizontal: bool,
        extra: &[Extra],
    ) -> Vec<Option<(i64, i64)>> {
        let groups = self.groups();
        if groups == 0 {
            return Vec::new();
        }
        let n = vnodes.len();
        let (left, right) = (|s: usize| n + 2 * s, |s: usize| n + 2 * s + 1);
        let margin = MARGIN as i64;
        // (a, b, d): b ≥ a + d.
        let mut cons: Vec<(usize, usize, i64)> = Vec::new();
        let mut used = vec![false; groups];
        for (v, vn) in vnodes.iter().enumerate() {
            if let Some(&s) = self.chain[v].last() {
                let size = vn.size_o as i64;
                cons.push((left(s), v, margin));
                cons.push((v, right(s), size + margin - 1));
                for &t in &self.chain[v] {
                    used[t] = true;
                }
            }
        }
        for s in (0..groups).filter(|&s| used[s]) {
            if let Some(p) = self.parent[s] {
                cons.push((left(p), left(s), margin));
                cons.push((right(s), right(p), margin));
            }
            if !horizontal {
                cons.push((left(s), right(s), self.title[s] as i64 - 1));
            }
        }
        for &x in extra {
            cons.push(match x {
                Extra::After { s, v, d } => (left(s), v, d),
                Extra::Before { v, s, d } => (v, right(s), d),
            });
        }
        for (layer, gaps) in layers.iter().zip(gaps) {
            for (i, w) in layer.windows(2).enumerate() {
                let (u, v) = (w[0], w[1]);
                let size = vnodes[u].size_o as i64;
                let gap = gaps.get(i).copied().unwrap_or(0) as i64;
                cons.push((u, v, size + gap));
                let (a, b) = (&self.chain[u], &self.chain[v]);
                let c = common(a, b);
                match (a.get(c), b.get(c)) {
                    (Some(&x), Some(&y)) => cons.push((right(x), left(y), margin)),
                    (Some(&x), None) => cons.push((right(x), v, margin)),
                    (None, Some(&y)) => cons.push((u, left(y), size + margin - 1)),
                    (None, None) => {}
                }
            }
        }
        // Longest paths in topological order (Kahn); a cycle leaves everything as it was.
        let total = n + 2 * groups;
        let mut succ: Vec<Vec<(usize, i64)>> = vec![Vec::new(); total];
        let mut indeg = vec![0usize; total];
        for &(a, b, d) in &cons {
            succ[a].push((b, d));
            indeg[b] += 1;
        }
        let unset = i64::MIN / 4;
        let mut value: Vec<i64> = (0..total)
            .map(|x| if x < n { o[x] } else { unset })
            .collect();
        let mut queue: Vec<usize> = (0..total).filter(|&x| indeg[x] == 0).collect();
        let mut topo: Vec<usize> = Vec::with_capacity(total);
        while let Some(x) = queue.pop() {
            topo.push(x);
            for &(y, d) in &succ[x] {
                if value[x] != unset {
                    value[y] = value[y].max(value[x] + d);
                }
                indeg[y] -= 1;
                if indeg[y] == 0 {
                    queue.push(y);
                }
            }
        }
        if topo.len() < total {
            return vec![None; groups];
        }
        // A left border with nothing pushing it sits as far right as its contents allow.
        for &x in topo.iter().rev() {
            if x >= n && (x - n).is_multiple_of(2) {
                let tight = succ[x]
                    .iter()
                    .filter(|&&(y, _)| value[y] != unset)
                    .map(|&(y, d)| value[y] - d)
                    .min();
                if let Some(t) = tight
                    && (value[x] == unset || t > value[x])
                {
                    value[x] = t;
                }
            }
        }
        // Contents centred in a frame wider than they are (a title's room): each group's
        // vnodes and nested borders moved together, as far as every constraint between them
        // and the rest allows, outer groups first.
        let mut outer_first: Vec<usize> = (0..groups).filter(|&s| used[s]).collect();
        outer_first.sort_by_key(|&s| self.depth(s));
        for s in outer_first {
            let mut ins = vec![false; total];
            for (v, c) in ins.iter_mut().enumerate().take(n) {
                *c = self.holds(s, v);
            }
            for t in (0..groups).filter(|&t| t != s && self.chain_of(t).contains(&s)) {
                ins[left(t)] = true;
                ins[right(t)] = true;
            }
            let inside = |x: usize| ins[x];
            let (mut lo, mut hi) = (i64::MIN, i64::MAX);
            for &(a, b, d) in &cons {
                if value[a] == unset || value[b] == unset {
                    continue;
                }
                match (inside(a), inside(b)) {
                    (false, true) => lo = lo.max(value[a] + d - value[b]),
                    (true, false) => hi = hi.min(value[b] - d - value[a]),
                    _ => {}
                }
            }
            if lo > 0 || hi < 0 || lo == i64::MIN || hi == i64::MAX {
                continue;
            }
            let delta = (lo + hi).div_euclid(2);
            if delta != 0 {
                for (x, at) in value.iter_mut().enumerate() {
                    if inside(x) && *at != unset {
                        *at += delta;
                    }
                }
            }
        }
        // Then toward their neighbours again, inside the constraints.
        let mut system = System {
            n,
            preds: vec![Vec::new(); total],
            succs: succ,
            value,
        };
        for (a, s) in system.succs.iter().enumerate() {
            for &(b, d) in s {
                system.preds[b].push((a, d));
            }
        }
        for x in n..total {
            if system.value[x] == unset {
                // A border with no contents (cannot be: every used group has a vnode).
                system.value[x] = 0;
            }
        }
        system.balance(self, layers, vnodes, up, down);
        let value = system.value;
        o.copy_from_slice(&value[..n]);
        (0..groups)
            .map(|s| {
                (used[s] && value[left(s)] != unset && value[right(s)] != unset)
                    .then(|| (value[left(s)], value[right(s)]))
            })
            .collect()
    }

    /// How deep group `s` is nested (0 at the top).
    fn depth(&self, s: usize) -> usize {
        self.chain_of(s).len().saturating_sub(1)
    }

    /// Group `s` and the groups around it, innermost first.
    fn chain_of(&self, s: usize) -> Vec<usize> {
        let mut out = vec![s];
        let mut at = self.parent.get(s).copied().flatten();
        while let Some(p) = at {
            if out.len() > self.groups() {
                break;
            }
            out.push(p);
            at = self.parent[p];
        }
        out
    }

    /// The groups whose span starts (ends) at rank `r`, deepest first.
    pub(super) fn starting(&self, r: usize) -> Vec<usize> {
        self.at_end(r, |(a, _)| a)
    }

    pub(super) fn ending(&self, r: usize) -> Vec<usize> {
        self.at_end(r, |(_, b)| b)
    }

    fn at_end(&self, r: usize, end: impl Fn((usize, usize)) -> usize) -> Vec<usize> {
        let mut out: Vec<usize> = (0..self.groups())
            .filter(|&s| self.span[s].is_some_and(|sp| end(sp) == r))
            .collect();
        out.sort_by_key(|&s| std::cmp::Reverse(self.depth(s)));
        out
    }

    /// Whether vnode `v` is in group `s` (or one nested in it).
    pub(super) fn holds(&self, s: usize, v: usize) -> bool {
        self.chain.get(v).is_some_and(|c| c.contains(&s))
    }

    /// Whether rank `r` is group `s`'s first (with `last`, its last).
    pub(super) fn edge_of(&self, s: usize, r: usize, last: bool) -> bool {
        self.span
            .get(s)
            .copied()
            .flatten()
            .is_some_and(|(a, b)| if last { b == r } else { a == r })
    }

    /// What makes room for the titles that the edges crossing their border (`crossed`, per
    /// group: vnode and offset of each crossing) leave no room for, with the vnodes at `o`
    /// and the frames' sides at `sides`: the crossings moved right of the title, or the
    /// frame's right side right of the crossings, whichever widens less.
    pub(super) fn title_room(
        &self,
        crossed: &[Vec<(usize, usize)>],
        o: &[usize],
        sides: &[Option<(usize, usize)>],
    ) -> Vec<Extra> {
        let mut out = Vec::new();
        for (s, cs) in crossed.iter().enumerate() {
            let Some((l, r)) = sides.get(s).copied().flatten() else {
                continue;
            };
            let need = self.title(s).saturating_sub(2);
            let mut at: Vec<(usize, usize, usize)> = cs
                .iter()
                .map(|&(v, off)| (o[v] + off, v, off))
                .filter(|&(c, _, _)| l < c && c < r)
                .collect();
            if at.is_empty() {
                continue;
            }
            at.sort_unstable();
            let mut prev = l;
            let mut fits = false;
            for &(c, _, _) in at.iter().chain(std::iter::once(&(r, 0, 0))) {
                fits |= c - prev > need;
                prev = c;
            }
            if fits {
                continue;
            }
            let (first, last) = (at[0], at[at.len() - 1]);
            let title = self.title(s) as i64;
            let push_crossing = l as i64 + title - 1 - first.0 as i64;
            let push_side = last.0 as i64 + title - 1 - r as i64;
            out.push(if push_crossing <= push_side {
                Extra::After {
                    s,
                    v: first.1,
                    d: title - 1 - first.2 as i64,
                }
            } else {
                Extra::Before {
                    v: last.1,
                    s,
                    d: last.2 as i64 + title - 1,
                }
            });
        }
        out
    }

    /// Whether vnode `v` is directly in group `s` (not only in a group nested in it).
    pub(super) fn directly_in(&self, v: usize, s: usize) -> bool {
        self.chain.get(v).and_then(|c| c.last()) == Some(&s)
    }

    pub(super) fn parent(&self, s: usize) -> Option<usize> {
        self.parent.get(s).copied().flatten()
    }

    /// The frame's length its title needs (`┌─ Title ─┐`, the title cut at [`MAX_TITLE`]).
    pub(super) fn title(&self, s: usize) -> usize {
        self.title.get(s).copied().unwrap_or(0)
    }

    /// How many groups there are.
    pub(super) fn count(&self) -> usize {
        self.groups()
    }
}

/// The frames' constraints as a graph over the vnodes and the borders (`n + 2s` the left
/// border of group s, `n + 2s + 1` its right), with the values that satisfy them.
struct System {
    n: usize,
    /// Per variable: (other, d) with self ≥ other + d, and with other ≥ self + d.
    preds: Vec<Vec<(usize, i64)>>,
    succs: Vec<Vec<(usize, i64)>>,
    value: Vec<i64>,
}

/// Balancing passes inside the constraints.
const BALANCE_PASSES: usize = 8;

impl System {
    fn is_left(&self, x: usize) -> bool {
        x >= self.n && (x - self.n).is_multiple_of(2)
    }

    fn is_right(&self, x: usize) -> bool {
        x >= self.n && (x - self.n) % 2 == 1
    }

    /// How far left `x` may go: its predecessors where they are, a left border as far left
    /// as its own predecessors let it go (it moves with what it holds).
    fn lower(&self, x: usize, depth: usize) -> i64 {
        self.preds[x]
            .iter()
            .map(|&(p, d)| {
                let at = if self.is_left(p) && depth < 64 {
                    self.lower(p, depth + 1)
                } else {
                    self.value[p]
                };
                at.saturating_add(d)
            })
            .max()
            .unwrap_or(i64::MIN / 4)
    }

    /// How far right `x` may go (the mirror of [`System::lower`]).
    fn upper(&self, x: usize, depth: usize) -> i64 {
        self.succs[x]
            .iter()
            .map(|&(s, d)| {
                let at = if self.is_right(s) && depth < 64 {
                    self.upper(s, depth + 1)
                } else {
                    self.value[s]
                };
                at.saturating_sub(d)
            })
            .min()
            .unwrap_or(i64::MAX / 4)
    }

    /// Puts `x` at `t` (within its bounds), moving the borders around it out of the way.
    fn put(&mut self, x: usize, t: i64, depth: usize) {
        self.value[x] = t;
        if depth > 64 {
            return;
        }
        for k in 0..self.preds[x].len() {
            let (p, d) = self.preds[x][k];
            if self.is_left(p) && self.value[p] + d > t {
                self.put(p, t - d, depth + 1);
            }
        }
        for k in 0..self.succs[x].len() {
            let (s, d) = self.succs[x][k];
            if self.is_right(s) && t + d > self.value[s] {
                self.put(s, t + d, depth + 1);
            }
        }
    }

    /// Draws the borders of the groups holding `v` back to their contents, innermost first.
    fn tighten(&mut self, clusters: &Clusters, v: usize) {
        let n = self.n;
        for &s in clusters.chain[v].iter().rev() {
            let (l, r) = (n + 2 * s, n + 2 * s + 1);
            if let Some(t) = self.succs[l].iter().map(|&(y, d)| self.value[y] - d).min() {
                self.value[l] = t.max(self.lower(l, 64));
            }
            if let Some(t) = self.preds[r].iter().map(|&(y, d)| self.value[y] + d).max() {
                self.value[r] = t.min(self.upper(r, 64));
            }
        }
    }

    /// Sweeps down and up the ranks moving each vnode toward the mean centre of its
    /// neighbours, as far as the constraints allow: the ones that want to go left from the
    /// left, then the ones that want to go right from the right.
    fn balance(
        &mut self,
        clusters: &Clusters,
        layers: &[Vec<usize>],
        vnodes: &[VNode],
        up: &[Vec<usize>],
        down: &[Vec<usize>],
    ) {
        let ranks = layers.len();
        for pass in 0..BALANCE_PASSES {
            let mut moved = false;
            let order: Vec<usize> = if pass % 2 == 0 {
                (0..ranks).collect()
            } else {
                (0..ranks).rev().collect()
            };
            for r in order {
                let layer = &layers[r];
                let want: Vec<Option<i64>> = layer
                    .iter()
                    .map(|&v| {
                        let ns: Vec<usize> = up[v].iter().chain(down[v].iter()).copied().collect();
                        (!ns.is_empty()).then(|| {
                            let c = ns
                                .iter()
                                .map(|&w| self.value[w] as f64 + super::position::mid(&vnodes[w]))
                                .sum::<f64>()
                                / ns.len() as f64;
                            (c - super::position::mid(&vnodes[v])).round() as i64
                        })
                    })
                    .collect();
                let mut step = |this: &mut System, i: usize, left: bool| {
                    let v = layer[i];
                    let Some(w) = want[i] else { return };
                    let now = this.value[v];
                    let t = if left && w < now {
                        w.max(this.lower(v, 0))
                    } else if !left && w > now {
                        w.min(this.upper(v, 0))
                    } else {
                        return;
                    };
                    if t != now {
                        this.put(v, t, 0);
                        this.tighten(clusters, v);
                        moved = true;
                    }
                };
                for i in 0..layer.len() {
                    step(self, i, true);
                }
                for i in (0..layer.len()).rev() {
                    step(self, i, false);
                }
            }
            if !moved {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vnode(rank: usize, size_o: usize) -> VNode {
        VNode {
            rank,
            real: Some(0),
            size_o,
            size_r: 3,
            whole: false,
        }
    }

    /// Groups 0 and 1 side by side, 2 nested in 1; `chain` per vnode.
    fn clusters(chain: Vec<Vec<usize>>) -> Clusters {
        Clusters {
            placeholders: chain.len(),
            chain,
            parent: vec![None, None, Some(1)],
            span: vec![Some((0, 1)); 3],
            title: vec![0; 3],
        }
    }

    #[test]
    fn a_sorted_layer_is_made_group_wise_with_siblings_in_the_order_of_the_other_ranks() {
        // Rank 0: 0 (g0) 1 (g1) ; rank 1 sorted as 2 (g1/g2), 3 (none), 4 (g0), 5 (g1).
        let c = clusters(vec![vec![0], vec![1], vec![1, 2], vec![], vec![0], vec![1]]);
        let mut layers = vec![vec![0, 1], vec![2, 3, 4, 5]];
        c.restore(&mut layers, 1);
        // g0 before g1 as in rank 0, g1's vnodes together with g2's block inside, the
        // stranger outside both.
        let r1 = &layers[1];
        let at = |v: usize| r1.iter().position(|&x| x == v).unwrap();
        assert!(at(4) < at(2) && at(4) < at(5), "{r1:?}");
        assert_eq!(at(2).abs_diff(at(5)), 1, "g1 is one block: {r1:?}");
        assert!(at(3) == 0 || at(3) == 3, "the stranger outside: {r1:?}");
        // Swaps only within a block.
        assert!(c.swappable(1, 5) && !c.swappable(2, 5) && !c.swappable(3, 4));
        assert_eq!(c.borders_between(2, 4), 3);
        assert_eq!(c.borders_between(1, 5), 0);
    }

    #[test]
    fn the_constraints_keep_everything_else_outside_a_frame_across_its_ranks() {
        // Group 0 holds a (rank 0) and b (rank 1); x is right of it in rank 0, y left of it
        // in rank 1, all packed tight where the ranks were placed apart.
        let c = Clusters {
            chain: vec![vec![0], vec![], vec![], vec![0]],
            parent: vec![None],
            span: vec![Some((0, 1))],
            title: vec![12],
            placeholders: 4,
        };
        let vnodes = [vnode(0, 5), vnode(0, 4), vnode(1, 4), vnode(1, 5)];
        let layers = vec![vec![0, 1], vec![2, 3]];
        let mut o = vec![0, 7, 0, 6];
        let none: Vec<Vec<usize>> = vec![Vec::new(); 4];
        let sides = c.legalize(
            &layers,
            &vnodes,
            (&none, &none),
            &mut o,
            &[vec![2], vec![2]],
            false,
            &[],
        );
        let (l, r) = sides[0].expect("a frame");
        // Members inside with a blank cell, strangers outside with one, the title's length.
        for (v, size) in [(0, 5), (3, 5)] {
            assert!(l + 2 <= o[v] && o[v] + size < r, "{o:?} {l} {r}");
        }
        assert!(r + 2 <= o[1], "x right of the frame: {o:?} {l} {r}");
        assert!(o[2] + 4 < l, "y left of it: {o:?} {l} {r}");
        assert!(r - l + 1 >= 12, "long enough for the title: {l} {r}");
    }

    #[test]
    fn a_group_nested_in_itself_is_cut_loose_and_a_node_is_in_its_deepest_group() {
        let mut g = crate::diagram::mermaid::parse(
            "flowchart TB\n  subgraph a\n    subgraph b\n      n\n    end\n  end\n",
        );
        g.subgraphs[1].subgraphs.push("a".into());
        g.subgraphs[0].nodes.push("n".into());
        let t = tree(&g);
        assert_eq!(t.parent.len(), 2);
        assert!(
            t.parent[0].is_none() || t.parent[1].is_none(),
            "{:?}",
            t.parent
        );
        assert_eq!(t.nodes[0].len(), 2, "n in b inside a: {:?}", t.nodes);
    }
}
