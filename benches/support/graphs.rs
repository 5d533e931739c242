//! Deterministic graphs for the layout's tests, benchmark and comparison with Graphviz: each
//! node fed by an earlier one, a third of them with an edge back to an earlier node (cycles to
//! break), optionally a label on some of those.

use vaultscope::diagram::graph::Edge;
use vaultscope::diagram::{Graph, Syntax};

pub fn generate(n: usize, mut seed: u64, labels: bool) -> Graph {
    let mut next = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    let mut g = Graph::new(Syntax::Mermaid);
    for i in 0..n {
        g.add_node(&format!("n{i}"), Some(&format!("Node {i}")));
    }
    for v in 1..n {
        let u = next(v);
        g.edges
            .push(Edge::new(&format!("n{u}"), &format!("n{v}"), None));
        if next(3) == 0 {
            let w = next(v);
            let label = (labels && next(2) == 0).then(|| "calls".to_owned());
            g.edges
                .push(Edge::new(&format!("n{v}"), &format!("n{w}"), label));
        }
    }
    g
}
