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
    let room = super::route::label_room(g, graph, horizontal);
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
                        o[v] as f64 + vnodes[v].size_o as f64 / 2.0
                    } else {
                        ns.iter()
                            .map(|&w| o[w] as f64 + vnodes[w].size_o as f64 / 2.0)
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

/// Places a layer's nodes as near their desired centres as their order and gaps allow: packed
/// left to right and right to left, then the whole layer shifted so it sits centred on what
/// its nodes want (so layers do not drift apart pass after pass).
fn place(layer: &[usize], desired: &[f64], vnodes: &[VNode], o: &mut [i64], gaps: &[usize]) {
    let gap = |i: usize| gaps.get(i).copied().unwrap_or(0) as f64;
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
            x[i - 1] + size(i - 1) + gap(i - 1)
        };
        x.push(want[i].max(min));
    }
    for i in (0..layer.len().saturating_sub(1)).rev() {
        let max = x[i + 1] - size(i) - gap(i);
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
                size_o: 4,
                size_r: 3,
            })
            .collect();
        let mut o = vec![0i64; 2];
        // Both want the same centre: they share it, the gap kept between them.
        place(&[0, 1], &[10.0, 10.0], &vnodes, &mut o, &[2]);
        assert_eq!(o[1] - o[0], 6, "{o:?}");
        assert_eq!(o[0] + o[1] + 4, 20, "centred on what they want: {o:?}");
        // Far apart wishes are met exactly.
        place(&[0, 1], &[2.0, 30.0], &vnodes, &mut o, &[2]);
        assert_eq!(o, [0, 28]);
    }
}
