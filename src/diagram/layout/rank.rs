//! Ranks: cycles broken by reversing the back edges of a depth-first search in declaration
//! order, ranks by longest path with sources pulled down to what they feed and nodes moved to
//! where their edges are shortest, then dummy nodes on edges longer than one rank.

use super::{Edge, Fixed, Layered, Seg, VNode, node_size};
use crate::diagram::graph::Graph;

/// Which of `edges` (between `n` nodes) are reversed to make the graph acyclic: the back
/// edges of a DFS in declaration order, or in a fixed grid those that point up.
pub(super) fn reversed_edges(n: usize, edges: &[Edge], fixed: Option<&Fixed>) -> Vec<bool> {
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
    reversed
}

/// The rank of each of `n` nodes of the acyclic `dag`, the first rank 0.
pub(super) fn ranks(n: usize, dag: &[Edge]) -> Vec<usize> {
    // Longest path from the sources, then sources pulled down to their successors.
    let mut indeg = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, _) in dag {
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
    for &(a, b, _) in dag {
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
    rank
}

/// The layered graph of `g`: its nodes at their `rank`s, sized, and a dummy at every rank a
/// `dag` edge passes over; `reversed` says which edges were turned to make it acyclic.
pub(super) fn layered_graph(
    g: &Graph,
    dag: &[Edge],
    reversed: &[bool],
    rank: &[usize],
    compact: bool,
    horizontal: bool,
) -> Layered {
    let mut vnodes: Vec<VNode> = (0..g.nodes.len())
        .map(|i| {
            let (w, h) = node_size(&g.nodes[i].label, compact);
            let (size_o, size_r) = if horizontal { (h, w) } else { (w, h) };
            VNode {
                rank: rank[i],
                real: Some(i),
                size_o,
                size_r,
                whole: compact && horizontal,
            }
        })
        .collect();
    let mut segs: Vec<Seg> = Vec::new();
    // Per edge: its chain of vnodes from the upper end to the lower.
    let mut chains: Vec<(usize, Vec<usize>, bool)> = Vec::new();
    for (k, &(a, b, e)) in dag.iter().enumerate() {
        let mut chain = vec![a];
        let mut prev = a;
        let head = reversed[k];
        for r in rank[a] + 1..rank[b] {
            vnodes.push(VNode {
                rank: r,
                real: None,
                size_o: 1,
                size_r: 0,
                whole: false,
            });
            let d = vnodes.len() - 1;
            segs.push(Seg {
                from: prev,
                to: d,
                edge: e,
                head: head && prev == a,
            });
            chain.push(d);
            prev = d;
        }
        segs.push(Seg {
            from: prev,
            to: b,
            edge: e,
            head: head && prev == a,
        });
        chain.push(b);
        chains.push((e, chain, reversed[k]));
    }
    // Every edge leaving (or entering) a node's side gets a port of its own: a side is at
    // least as long as its edges plus the corners; top to bottom, labelled edges leaving it
    // are also kept far enough apart for each label to sit beside its own line.
    {
        let mut out_w: Vec<Vec<usize>> = vec![Vec::new(); vnodes.len()];
        let mut in_w: Vec<Vec<usize>> = vec![Vec::new(); vnodes.len()];
        let mut in_from: Vec<Vec<usize>> = vec![Vec::new(); vnodes.len()];
        // Per vnode: the cells its edges leaving a short side need, each arrowhead there
        // (a reversed edge's) one of its own and the rest, between and around them, cells
        // they may share.
        let mut out_cells: Vec<(usize, usize)> = vec![(0, 0); vnodes.len()];
        for sg in &segs {
            if sg.head {
                out_cells[sg.from].0 += 1;
            } else {
                out_cells[sg.from].1 += 1;
            }
            let w = super::route::label_width(g, sg.edge);
            out_w[sg.from].push(w);
            in_w[sg.to].push(w);
            in_from[sg.to].push(sg.from);
        }
        let side = |ws: &[usize], labels: bool| match ws.len() {
            0 => 0,
            k if !labels => k + 2,
            _ => super::route::side_need(ws, horizontal) + 3,
        };
        for (v, vn) in vnodes.iter_mut().enumerate() {
            if vn.real.is_some() && !compact {
                // The side parallel labelled edges arrive on is as long as the one they
                // leave, so that they can run straight.
                let parallel =
                    in_w[v].iter().any(|&w| w > 0) && super::route::parallel(&in_from[v]);
                let need = side(&out_w[v], true).max(side(&in_w[v], parallel));
                vn.size_o = vn.size_o.max(need);
            } else if vn.real.is_some() {
                // A compact `[Label]` cannot grow for labels (those edges leave on lanes past
                // its end, see `route`), but every edge arriving gets a cell of its own, so
                // their strokes and heads stay apart: taller left to right (a bracket over
                // several rows), wider top to bottom (the label padded between the brackets).
                // So does an arrowhead on the side edges leave (a reversed edge's): else the
                // head would sit on the other edges' trunk and seem to be theirs.
                let corners = if vn.whole { 0 } else { 2 };
                let (heads, rest) = out_cells[v];
                let leaving = if heads > 0 {
                    heads + rest.min(heads + 1)
                } else {
                    0
                };
                vn.size_o = vn.size_o.max(in_w[v].len().max(leaving) + corners);
            }
        }
    }
    let ranks = vnodes.iter().map(|v| v.rank + 1).max().unwrap_or(0);
    Layered {
        titled: Vec::new(),
        room: Vec::new(),
        compact,
        vnodes,
        segs,
        chains,
        ranks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_loses_one_edge_and_ranks_follow_the_longest_path() {
        // a → b → c → a: the DFS from a meets a again on c → a, the one edge turned.
        let cycle = [(0, 1, 0), (1, 2, 1), (2, 0, 2)];
        assert_eq!(reversed_edges(3, &cycle, None), [false, false, true]);
        // a → b → c and a → c: c sits below b, not beside it.
        assert_eq!(ranks(3, &[(0, 1, 0), (1, 2, 1), (0, 2, 2)]), [0, 1, 2]);
        // A source that only feeds the deepest node is pulled down next to it.
        assert_eq!(ranks(4, &[(0, 1, 0), (1, 2, 1), (3, 2, 2)]), [0, 1, 2, 1]);
    }
}
