//! Places along the order axis: each rank packed in its order, then pulled toward the centres
//! of its neighbours in the ranks around it, sweep after sweep, without drifting apart; then
//! moved apart where a group's frame needs room (see `clusters`).

use unicode_width::UnicodeWidthStr;

use super::clusters::{Clusters, Extra};
use super::{Edge, Layered, Ordered, VNode};
use crate::diagram::graph::Graph;

/// Where each vnode starts along the order axis, the leftmost at 0, and where each group's
/// frame has its sides (border cells, inclusive). Neighbours joined straight across (`flat`
/// edges of a grid) keep room for the arrow and its label.
pub(super) fn positions(
    g: &Graph,
    graph: &Layered,
    ordered: &Ordered,
    flat: &[Edge],
    horizontal: bool,
    clusters: &Clusters,
    extra: &[Extra],
) -> (Vec<usize>, Vec<Option<(usize, usize)>>) {
    let (vnodes, ranks) = (&graph.vnodes, graph.ranks);
    let (layers, up, down) = (&ordered.layers, &ordered.up, &ordered.down);
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
    // Neighbours in different groups keep room for the frames' borders between them.
    // Labels beside the last line leaving a node, and lanes past a short side, take room
    // past its end.
    let room = &graph.room;
    let gaps: Vec<Vec<usize>> = layers
        .iter()
        .map(|layer| {
            layer
                .windows(2)
                .map(|w| {
                    room[w[0]]
                        + gap
                        + crate::diagram::frames::MARGIN * clusters.borders_between(w[0], w[1])
                })
                .collect()
        })
        .collect();
    let mut o = vec![0i64; vnodes.len()];
    for (layer, gaps) in layers.iter().zip(&gaps) {
        let mut x = 0;
        for (i, &v) in layer.iter().enumerate() {
            o[v] = x;
            x += (vnodes[v].size_o + gaps.get(i).copied().unwrap_or(gap)) as i64;
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
                        o[v] as f64 + mid(&vnodes[v])
                    } else {
                        ns.iter()
                            .map(|&w| o[w] as f64 + mid(&vnodes[w]))
                            .sum::<f64>()
                            / ns.len() as f64
                    }
                })
                .collect();
            place(layer, &desired, vnodes, &mut o, &gaps[r]);
        }
    }
    let sides = clusters.legalize(
        layers,
        vnodes,
        (&up[..], &down[..]),
        &mut o,
        &gaps,
        horizontal,
        extra,
    );
    let min_o = o
        .iter()
        .copied()
        .chain(sides.iter().flatten().map(|s| s.0))
        .min()
        .unwrap_or(0);
    (
        o.iter().map(|&x| (x - min_o) as usize).collect(),
        sides
            .iter()
            .map(|s| s.map(|(a, b)| ((a - min_o) as usize, (b - min_o) as usize)))
            .collect(),
    )
}

/// Where along the order axis a vnode's middle is, from its start: the middle of the cell a
/// lone edge leaves or enters it by (see `route`), so that nodes of one column, odd and
/// even widths alike, put their ports in line and a straight chain draws straight.
pub(super) fn mid(vn: &VNode) -> f64 {
    let (start, len) = super::route::side(vn);
    (start + len.saturating_sub(1) / 2) as f64 + 0.5
}

/// Places a layer's nodes as near their desired centres as their order and gaps allow, in
/// the least-squares sense: nodes pushed together form blocks that sit at the mean of what
/// their members want (pool-adjacent-violators), so a group of nodes pulled one way and
/// another pulled the other way meet at their gap instead of each layer shifting them all and
/// the passes driving them apart.
fn place(layer: &[usize], desired: &[f64], vnodes: &[VNode], o: &mut [i64], gaps: &[usize]) {
    let n = layer.len();
    if n == 0 {
        return;
    }
    let gap = |i: usize| gaps.get(i).copied().unwrap_or(0) as f64;
    let size = |i: usize| vnodes[layer[i]].size_o as f64;
    let mid = |i: usize| mid(&vnodes[layer[i]]);
    // A block: its first node, the sum and count of (wanted start - offset in the block) of
    // its nodes, and its extent from its first node's start to its last node's end.
    struct Block {
        first: usize,
        sum: f64,
        count: f64,
        width: f64,
    }
    let mut off = vec![0.0f64; n];
    let mut blocks: Vec<Block> = Vec::new();
    for i in 0..n {
        let mut b = Block {
            first: i,
            sum: desired[i] - mid(i),
            count: 1.0,
            width: size(i),
        };
        while let Some(p) = blocks.last() {
            let shift = p.width + gap(b.first - 1);
            if b.sum / b.count >= p.sum / p.count + shift {
                break;
            }
            for x in &mut off[b.first..=i] {
                *x += shift;
            }
            b = Block {
                first: p.first,
                sum: p.sum + b.sum - shift * b.count,
                count: p.count + b.count,
                width: shift + b.width,
            };
            blocks.pop();
        }
        blocks.push(b);
    }
    let mut start = vec![0.0f64; n];
    for (k, b) in blocks.iter().enumerate() {
        let end = blocks.get(k + 1).map_or(n, |next| next.first);
        for i in b.first..end {
            start[i] = b.sum / b.count + off[i];
        }
    }
    let mut prev_end: Option<i64> = None;
    for i in 0..n {
        let mut at = start[i].round() as i64;
        // Rounding may close a gap: re-open it.
        if let Some(end) = prev_end {
            at = at.max(end + gap(i - 1) as i64);
        }
        o[layer[i]] = at;
        prev_end = Some(at + vnodes[layer[i]].size_o as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_sits_as_near_its_wishes_as_its_gaps_allow() {
        let vnodes: Vec<VNode> = (0..2)
            .map(|_| VNode {
                rank: 0,
                real: Some(0),
                size_o: 5,
                size_r: 3,
                whole: false,
            })
            .collect();
        let mut o = vec![0i64; 2];
        // Both want the same centre: they share it, the gap kept between them (a box five
        // wide has its middle in the middle of its third cell).
        place(&[0, 1], &[10.0, 10.0], &vnodes, &mut o, &[2]);
        assert_eq!(o[1] - o[0], 7, "{o:?}");
        assert_eq!(o[0] + o[1] + 5, 20, "centred on what they want: {o:?}");
        // Far apart wishes are met exactly.
        place(&[0, 1], &[2.5, 30.5], &vnodes, &mut o, &[2]);
        assert_eq!(o, [0, 28]);
    }

    #[test]
    fn a_box_s_middle_is_the_cell_its_lone_port_is_on() {
        let vn = |size_o: usize, real: bool| VNode {
            rank: 0,
            real: real.then_some(0),
            size_o,
            size_r: 3,
            whole: false,
        };
        // Odd widths: the middle cell; even ones: the left of the two middle cells, where
        // `route` puts a lone port, so a 5-wide ● over a 10-wide box lines their ports up.
        assert_eq!(mid(&vn(5, true)), 2.5);
        assert_eq!(mid(&vn(10, true)), 4.5);
        assert_eq!(mid(&vn(11, true)), 5.5);
        assert_eq!(mid(&vn(1, false)), 0.5);
    }
}
