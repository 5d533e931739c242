//! Order within the ranks, after Graphviz dot's mincross (Gansner, Koutsofios, North and Vo,
//! "A technique for drawing directed graphs", 1993). Four start orders: depth first in
//! declaration order (the author's left-to-right intent, which wins ties), breadth first from a
//! source and from a sink (as dot starts), and the first one's mirror. Each is swept a few
//! times; a sweep sorts each rank by the weighted median of its neighbours in the rank just
//! done, then swaps neighbours while that removes crossings (on alternate sweeps also when it
//! leaves them equal, to move along plateaus). The best starts are then swept up to 24 times and
//! each node sifted to its best place in its rank; a small graph affords all four and shuffled
//! starts besides (deterministic), a large one only the best start. The order with the fewest
//! crossings is kept. A fixed grid keeps the author's order.
//!
//! Every change of order goes through two places: [`Orderer::sort_layer`] re-sorts a rank and
//! [`Orderer::swap`] exchanges two neighbours (which [`Orderer::may_swap`] allows or not);
//! sifting moves a node by such swaps. Groups stay together through both: every start is made
//! group-wise ([`Clusters::restore_all`]), a re-sorted rank is put back into its groups'
//! blocks ([`Clusters::restore`]) and only neighbours of one block may swap.

use super::clusters::Clusters;
use super::{Fixed, Layered, Ordered};

/// Sweeps from each start before the best start is refined (dot's passes 0 and 1: 4).
const START_SWEEPS: usize = 4;
/// Sweeps refining the best order (dot's MaxIter), stopping after `QUIT` sweeps that bring
/// less than half a percent (dot's MinQuit and Convergence).
const SWEEPS: usize = 24;
const QUIT: usize = 8;
/// Rounds of sifting every rank's nodes (each round stops early when nothing moved).
const SIFT_ROUNDS: usize = 4;
/// Full runs the ordering affords: this many divided by the number of segments (at least
/// one, at most `MAX_RUNS`). About 22 runs for 30 nodes, 7 for 60, one from 200 on; a run
/// costs about as much as its segments, so the work stays about the same whatever the size,
/// until a single run.
const RUN_BUDGET: usize = 1200;
const MAX_RUNS: usize = 24;

/// The vnodes of `graph` in order in their ranks, with the crossings left.
pub(super) fn order(graph: &Layered, fixed: Option<&Fixed>, clusters: &Clusters) -> Ordered {
    let (vnodes, segs) = (&graph.vnodes, &graph.segs);
    let n = vnodes.len();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    for s in segs {
        down[s.from].push(s.to);
        up[s.to].push(s.from);
    }
    let rank = |v: usize| vnodes[v].rank;
    let dfs = depth_first(n, graph.ranks, &down, rank);
    let (layers, crossings) = if let Some(f) = fixed {
        let mut layers = dfs;
        for layer in &mut layers {
            layer.sort_by_key(|&v| vnodes[v].real.map_or(0, |i| f.col[i]));
        }
        clusters.restore_all(&mut layers, vnodes, fixed);
        let c = Orderer::new(layers.clone(), &up, &down, clusters).crossings();
        (layers, c)
    } else {
        let mirrored: Vec<Vec<usize>> = dfs
            .iter()
            .map(|l| l.iter().rev().copied().collect())
            .collect();
        let starts = [
            dfs,
            breadth_first(n, graph.ranks, &down, &up, rank),
            breadth_first(n, graph.ranks, &up, &down, rank),
            mirrored,
        ];
        // What the graph's size affords: full runs (swept to the end and sifted) for as
        // many starts as fit in the budget, more than the four when it is small.
        let runs = (RUN_BUDGET / segs.len().max(1)).clamp(1, MAX_RUNS);
        let mut swept: Vec<(usize, Vec<Vec<usize>>)> = Vec::new();
        for mut start in starts {
            clusters.restore_all(&mut start, vnodes, None);
            let mut o = Orderer::new(start, &up, &down, clusters);
            o.transpose(false);
            let c = o.run(START_SWEEPS, START_SWEEPS);
            swept.push((c, o.layers));
            if c == 0 {
                break;
            }
        }
        // The best first; equal ones in the order of the starts.
        swept.sort_by_key(|s| s.0);
        let mut best: Option<(usize, Vec<Vec<usize>>)> = None;
        let mut keep = |c: usize, layers: Vec<Vec<usize>>| {
            if best.as_ref().is_none_or(|b| c < b.0) {
                best = Some((c, layers));
            }
            best.as_ref().map_or(0, |b| b.0)
        };
        let mut left = runs;
        for (_, layers) in swept.into_iter().take(runs) {
            let (c, layers) = refine(layers, &up, &down, clusters);
            left -= 1;
            if keep(c, layers) == 0 {
                left = 0;
                break;
            }
        }
        // Shuffled starts (the same every time) for the runs left.
        let mut shuffle = Shuffle(0x9e37_79b9_7f4a_7c15);
        for _ in 0..left {
            let mut start = depth_first(n, graph.ranks, &down, rank);
            for layer in &mut start {
                shuffle.layer(layer);
            }
            clusters.restore_all(&mut start, vnodes, None);
            let (c, layers) = refine(start, &up, &down, clusters);
            if keep(c, layers) == 0 {
                break;
            }
        }
        let (c, layers) = best.expect("one start at least");
        (layers, c)
    };
    Ordered {
        layers,
        up,
        down,
        crossings,
    }
}

/// A start swept to the end: swaps, sweeps, sifting, swaps. Its crossings and order.
fn refine(
    start: Vec<Vec<usize>>,
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    clusters: &Clusters,
) -> (usize, Vec<Vec<usize>>) {
    let mut o = Orderer::new(start, up, down, clusters);
    o.transpose(false);
    o.run(SWEEPS, QUIT);
    o.sift();
    o.transpose(false);
    (o.crossings(), o.layers)
}

/// Deterministic shuffles (xorshift64).
struct Shuffle(u64);

impl Shuffle {
    fn below(&mut self, m: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % m as u64) as usize
    }

    /// Fisher-Yates.
    fn layer(&mut self, layer: &mut [usize]) {
        for i in (1..layer.len()).rev() {
            let j = self.below(i + 1);
            layer.swap(i, j);
        }
    }
}

/// Ranks filled in the order a depth-first search along the edges meets the vnodes, roots
/// in declaration order.
fn depth_first(
    n: usize,
    ranks: usize,
    down: &[Vec<usize>],
    rank: impl Fn(usize) -> usize,
) -> Vec<Vec<usize>> {
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    let mut seen = vec![false; n];
    for root in 0..n {
        if seen[root] {
            continue;
        }
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            layers[rank(v)].push(v);
            for &w in down[v].iter().rev() {
                if !seen[w] {
                    stack.push(w);
                }
            }
        }
    }
    layers
}

/// Ranks filled in the order a breadth-first search meets the vnodes (dot's `build_ranks`):
/// from the first vnode with no `back` neighbours, each node's `ahead` neighbours queued
/// before its `back` ones, so with `ahead` the edges down it starts at a source and with the
/// edges up at a sink. Vnodes it does not reach (other components) start searches of their
/// own, in declaration order.
fn breadth_first(
    n: usize,
    ranks: usize,
    ahead: &[Vec<usize>],
    back: &[Vec<usize>],
    rank: impl Fn(usize) -> usize,
) -> Vec<Vec<usize>> {
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    let mut queued = vec![false; n];
    let roots = (0..n)
        .filter(|&v| back[v].is_empty())
        .chain(0..n)
        .collect::<Vec<_>>();
    let mut queue = std::collections::VecDeque::new();
    for root in roots {
        if queued[root] {
            continue;
        }
        queued[root] = true;
        queue.push_back(root);
        while let Some(v) = queue.pop_front() {
            layers[rank(v)].push(v);
            for &w in ahead[v].iter().chain(&back[v]) {
                if !queued[w] {
                    queued[w] = true;
                    queue.push_back(w);
                }
            }
        }
    }
    layers
}

/// The weighted median of sorted positions (Gansner et al.): the middle one for an odd count;
/// for an even count the two middle ones weighted toward the side where the others are
/// closer together. `None` without positions.
fn weighted_median(ps: &[usize]) -> Option<f64> {
    let k = ps.len();
    Some(match k {
        0 => return None,
        1 => ps[0] as f64,
        2 => (ps[0] + ps[1]) as f64 / 2.0,
        _ if k % 2 == 1 => ps[k / 2] as f64,
        _ => {
            let (lm, rm) = (k / 2 - 1, k / 2);
            let left = (ps[lm] - ps[0]) as f64;
            let right = (ps[k - 1] - ps[rm]) as f64;
            if left + right == 0.0 {
                (ps[lm] + ps[rm]) as f64 / 2.0
            } else {
                (ps[lm] as f64 * right + ps[rm] as f64 * left) / (left + right)
            }
        }
    })
}

/// An order being improved: the ranks, where each vnode sits in its rank, and each vnode's
/// neighbours in the ranks above and below.
struct Orderer<'a> {
    layers: Vec<Vec<usize>>,
    pos: Vec<usize>,
    up: &'a [Vec<usize>],
    down: &'a [Vec<usize>],
    clusters: &'a Clusters,
}

impl<'a> Orderer<'a> {
    fn new(
        layers: Vec<Vec<usize>>,
        up: &'a [Vec<usize>],
        down: &'a [Vec<usize>],
        clusters: &'a Clusters,
    ) -> Self {
        let mut pos = vec![0; up.len()];
        for layer in &layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
        Orderer {
            layers,
            pos,
            up,
            down,
            clusters,
        }
    }

    /// Sweeps the order `sweeps` times, stopping after `quit` sweeps without a gain of half a
    /// percent, and keeps the best order met (a later one as good replaces it, as dot does,
    /// so a run can move along a plateau). Gives its crossings.
    fn run(&mut self, sweeps: usize, quit: usize) -> usize {
        let mut best = self.layers.clone();
        let mut best_crossings = self.crossings();
        let mut trying = 0;
        for sweep in 0..sweeps {
            if best_crossings == 0 || trying >= quit {
                break;
            }
            trying += 1;
            self.sweep(sweep);
            let c = self.crossings();
            if c <= best_crossings {
                if (c as f64) < 0.995 * best_crossings as f64 {
                    trying = 0;
                }
                best_crossings = c;
                best.clone_from(&self.layers);
            }
        }
        if self.layers != best {
            *self = Orderer::new(best, self.up, self.down, self.clusters);
        }
        best_crossings
    }

    /// One sweep (dot's `mincross_step`): down the ranks on even sweeps, each sorted by the
    /// medians of its neighbours above, up them on odd ones, by those below; then neighbours
    /// swapped. Sweeps 0, 1 (mod 4) put nodes of equal medians in reverse order and swap only
    /// for fewer crossings; sweeps 2, 3 keep equal medians in order and also swap for as many.
    fn sweep(&mut self, sweep: usize) {
        let ranks = self.layers.len();
        let reverse = sweep % 4 < 2;
        let downward = sweep.is_multiple_of(2);
        let order: Vec<usize> = if downward {
            (1..ranks).collect()
        } else {
            (0..ranks.saturating_sub(1)).rev().collect()
        };
        for r in order {
            let nbrs = if downward { self.up } else { self.down };
            let keys: Vec<Option<f64>> = self.layers[r]
                .iter()
                .map(|&v| {
                    let mut ps: Vec<usize> = nbrs[v].iter().map(|&w| self.pos[w]).collect();
                    ps.sort_unstable();
                    weighted_median(&ps)
                })
                .collect();
            self.sort_layer(r, &keys, reverse);
        }
        self.transpose(!reverse);
    }

    /// Re-sorts rank `r` by `keys` (one per node in its current order): nodes with a key move
    /// among the places of nodes with one, in key order (ties in their current order, or
    /// reversed with `reverse`); a node without (no neighbour on the side swept from) keeps
    /// its place, as dot keeps it.
    fn sort_layer(&mut self, r: usize, keys: &[Option<f64>], reverse: bool) {
        let slots: Vec<usize> = (0..keys.len()).filter(|&i| keys[i].is_some()).collect();
        let mut moving: Vec<(f64, usize)> =
            slots.iter().map(|&i| (keys[i].unwrap_or(0.0), i)).collect();
        moving.sort_by(|a, b| {
            a.0.total_cmp(&b.0).then(if reverse {
                b.1.cmp(&a.1)
            } else {
                a.1.cmp(&b.1)
            })
        });
        let old = self.layers[r].clone();
        for (&slot, &(_, i)) in slots.iter().zip(&moving) {
            self.layers[r][slot] = old[i];
        }
        self.clusters.restore(&mut self.layers, r);
        for (i, &v) in self.layers[r].iter().enumerate() {
            self.pos[v] = i;
        }
    }

    /// Exchanges the nodes at `i` and `i + 1` of rank `r`.
    fn swap(&mut self, r: usize, i: usize) {
        let layer = &mut self.layers[r];
        layer.swap(i, i + 1);
        self.pos[layer[i]] = i;
        self.pos[layer[i + 1]] = i + 1;
    }

    /// Whether neighbours `u` and `v` may change places: when they are in one group's block.
    fn may_swap(&self, u: usize, v: usize) -> bool {
        self.clusters.swappable(u, v)
    }

    /// The crossings among the edges of `u` and `v` (both of one rank), with `u` left of `v`.
    fn pair(&self, u: usize, v: usize) -> usize {
        let mut c = 0;
        for nbrs in [self.up, self.down] {
            for &a in &nbrs[u] {
                for &b in &nbrs[v] {
                    if self.pos[b] < self.pos[a] {
                        c += 1;
                    }
                }
            }
        }
        c
    }

    /// Swaps neighbours while that lowers the crossings (dot's `transpose`), rank after rank
    /// until no rank changes; with `ties`, also swaps a pair that crosses as much either way
    /// (but not none), which lets a node drift along a plateau. Ends because every round
    /// that goes on removed a crossing.
    fn transpose(&mut self, ties: bool) {
        let ranks = self.layers.len();
        let mut candidate = vec![true; ranks];
        loop {
            let mut gained = 0;
            for r in 0..ranks {
                if !candidate[r] {
                    continue;
                }
                candidate[r] = false;
                for i in 0..self.layers[r].len().saturating_sub(1) {
                    let (v, w) = (self.layers[r][i], self.layers[r][i + 1]);
                    if !self.may_swap(v, w) {
                        continue;
                    }
                    let (now, swapped) = (self.pair(v, w), self.pair(w, v));
                    if swapped < now || (ties && now > 0 && swapped == now) {
                        self.swap(r, i);
                        gained += now - swapped;
                        for c in &mut candidate[r.saturating_sub(1)..(r + 2).min(ranks)] {
                            *c = true;
                        }
                    }
                }
            }
            if gained == 0 {
                break;
            }
        }
    }

    /// Moves each node of each rank to the place in its rank where its edges cross fewest
    /// (the nearest such place to where it is), as far as swaps are allowed; rounds until
    /// nothing moves.
    fn sift(&mut self) {
        for _ in 0..SIFT_ROUNDS {
            let mut moved = false;
            for r in 0..self.layers.len() {
                let nodes = self.layers[r].clone();
                for v in nodes {
                    moved |= self.sift_node(r, v);
                }
            }
            if !moved {
                break;
            }
        }
    }

    /// Sifts `v` in rank `r`; whether it moved.
    fn sift_node(&mut self, r: usize, v: usize) -> bool {
        let layer = &self.layers[r];
        let at = self.pos[v];
        // The places v can reach by allowed swaps.
        let mut lo = at;
        while lo > 0 && self.may_swap(layer[lo - 1], v) {
            lo -= 1;
        }
        let mut hi = at;
        while hi + 1 < layer.len() && self.may_swap(v, layer[hi + 1]) {
            hi += 1;
        }
        // Crossings of v's edges with those of the others at each place, relative to now:
        // passing a node u to its left turns pair(u, v) into pair(v, u), and back.
        let mut best = (0i64, 0usize, at);
        let mut delta = 0i64;
        for (j, &u) in layer[lo..at].iter().enumerate().rev() {
            let k = lo + j;
            delta += self.pair(v, u) as i64 - self.pair(u, v) as i64;
            best = best.min((delta, at - k, k));
        }
        delta = 0;
        for (j, &u) in layer[at + 1..=hi].iter().enumerate() {
            let k = at + 1 + j;
            delta += self.pair(u, v) as i64 - self.pair(v, u) as i64;
            best = best.min((delta, k - at, k));
        }
        let to = best.2;
        if to == at {
            return false;
        }
        if to < at {
            for i in (to..at).rev() {
                self.swap(r, i);
            }
        } else {
            for i in at..to {
                self.swap(r, i);
            }
        }
        true
    }

    /// Crossings between adjacent ranks, in total.
    fn crossings(&self) -> usize {
        self.layers
            .windows(2)
            .map(|w| crossings_between(&w[0], &w[1], self.down, &self.pos))
            .sum()
    }
}

/// Crossings between two adjacent ranks: pairs of segments whose ends are in opposite order,
/// counted as inversions with a Fenwick tree (O(E log V)); `pos` is where each vnode sits in
/// its rank.
fn crossings_between(
    upper: &[usize],
    lower: &[usize],
    down: &[Vec<usize>],
    pos: &[usize],
) -> usize {
    let mut ends: Vec<(usize, usize)> = Vec::new();
    for (i, &v) in upper.iter().enumerate() {
        for &w in &down[v] {
            ends.push((i, pos[w]));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossings_are_counted_between_adjacent_layers() {
        // Nodes 0 1 above 2 3: 0 → 3 and 1 → 2 cross once; 0 → 2 and 1 → 3 do not.
        let crossed = [vec![3], vec![2], vec![], vec![]];
        let straight = [vec![2], vec![3], vec![], vec![]];
        let pos = [0, 1, 0, 1];
        assert_eq!(crossings_between(&[0, 1], &[2, 3], &crossed, &pos), 1);
        assert_eq!(crossings_between(&[0, 1], &[2, 3], &straight, &pos), 0);
        // Edges from one node never cross each other.
        let fan = [vec![1, 2, 3], vec![], vec![], vec![]];
        assert_eq!(crossings_between(&[0], &[3, 1, 2], &fan, &[0, 1, 2, 0]), 0);
        // A sweep untangles the crossed pair.
        let up = [vec![], vec![], vec![1], vec![0]];
        let none = Clusters::default();
        let mut o = Orderer::new(vec![vec![0, 1], vec![2, 3]], &up, &crossed, &none);
        let c = o.run(SWEEPS, QUIT);
        assert_eq!(c, 0, "{:?}", o.layers);
    }

    #[test]
    fn the_weighted_median_leans_toward_the_closer_pair() {
        assert_eq!(weighted_median(&[]), None);
        assert_eq!(weighted_median(&[4]), Some(4.0));
        assert_eq!(weighted_median(&[2, 5]), Some(3.5));
        assert_eq!(weighted_median(&[1, 3, 9]), Some(3.0));
        // 0 1 | 2 10: the left pair is closer together (1 apart, against 8), so the median
        // sits near 1's end: (1 * 8 + 2 * 1) / 9.
        assert_eq!(weighted_median(&[0, 1, 2, 10]), Some(10.0 / 9.0));
    }

    #[test]
    fn sifting_moves_a_node_to_its_best_place() {
        // 0 1 2 above 3 4 5, edges 0→5, 1→3, 2→4: node 5 at the right end crosses both
        // other edges, at the left end none.
        let down = [vec![5], vec![3], vec![4], vec![], vec![], vec![]];
        let up = [vec![], vec![], vec![], vec![1], vec![2], vec![0]];
        let none = Clusters::default();
        let mut o = Orderer::new(vec![vec![0, 1, 2], vec![3, 4, 5]], &up, &down, &none);
        assert_eq!(o.crossings(), 2);
        o.sift();
        assert_eq!(o.crossings(), 0, "{:?}", o.layers);
    }
}
