//! Order within the ranks: a depth-first order in declaration order to start, then
//! barycenter (or median) sweeps with adjacent swaps from several starts, the order with the
//! fewest crossings kept. A fixed grid keeps the author's order.

use super::clusters::Clusters;
use super::{Fixed, Layered, Ordered};

/// Ordering passes (each a down and an up sweep with adjacent swaps).
const SWEEPS: usize = 24;

/// The vnodes of `l` in order in their ranks, with the crossings left.
pub(super) fn order(graph: &Layered, fixed: Option<&Fixed>, clusters: &Clusters) -> Ordered {
    let (vnodes, segs) = (&graph.vnodes, &graph.segs);
    // First by a DFS in declaration order, then barycenter sweeps with swaps.
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); graph.ranks];
    {
        let mut vsucc: Vec<Vec<usize>> = vec![Vec::new(); vnodes.len()];
        for s in segs {
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
    for s in segs {
        down[s.from].push(s.to);
        up[s.to].push(s.from);
    }
    if let Some(f) = fixed {
        for layer in &mut layers {
            layer.sort_by_key(|&v| vnodes[v].real.map_or(0, |i| f.col[i]));
        }
    }
    clusters.restore_all(&mut layers, vnodes, fixed);
    // Several starts (the DFS order and its mirror; barycenters and medians), each swept and
    // swapped, the fewest crossings kept.
    let (layers, crossings) = if fixed.is_some() {
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
            let (l, c) = minimize(start.clone(), &up, &down, vnodes.len(), median, clusters);
            if best.as_ref().is_none_or(|b| c < b.1) {
                best = Some((l, c));
            }
            if c == 0 {
                break;
            }
        }
        best.expect("one start at least")
    };
    Ordered {
        layers,
        up,
        down,
        crossings,
    }
}

/// Where each of `n` vnodes sits in `layer` (0 for those not in it).
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
    clusters: &Clusters,
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
            clusters.restore(&mut layers, r);
        }
        transpose(&mut layers, up, down, n, sweep % 4 == 3, clusters);
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
    clusters: &Clusters,
) {
    let ranks = layers.len();
    for pass in 0..8 {
        let mut improved = false;
        for r in 0..ranks {
            let above = (r > 0).then(|| positions(&layers[r - 1], n));
            let below = (r + 1 < ranks).then(|| positions(&layers[r + 1], n));
            for i in 0..layers[r].len().saturating_sub(1) {
                let (u, v) = (layers[r][i], layers[r][i + 1]);
                if !clusters.swappable(u, v) {
                    continue;
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossings_are_counted_between_adjacent_layers() {
        // Nodes 0 1 above 2 3: 0 → 3 and 1 → 2 cross once; 0 → 2 and 1 → 3 do not.
        let crossed = [vec![3], vec![2], vec![], vec![]];
        let straight = [vec![2], vec![3], vec![], vec![]];
        assert_eq!(crossings_between(&[0, 1], &[2, 3], &crossed, 4), 1);
        assert_eq!(crossings_between(&[0, 1], &[2, 3], &straight, 4), 0);
        // Edges from one node never cross each other.
        let fan = [vec![1, 2, 3], vec![], vec![], vec![]];
        assert_eq!(crossings_between(&[0], &[3, 1, 2], &fan, 4), 0);
        // A sweep untangles the crossed pair.
        let up = [vec![], vec![], vec![1], vec![0]];
        let none = Clusters::default();
        let (layers, c) = minimize(vec![vec![0, 1], vec![2, 3]], &up, &crossed, 4, false, &none);
        assert_eq!(c, 0, "{layers:?}");
    }
}
