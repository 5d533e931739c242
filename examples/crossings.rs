//! Prints a generated graph as Graphviz dot and the crossings our layered layout leaves on it,
//! to compare with `dot -v` (which prints its own crossing count): `cargo run --example
//! crossings -- 60 > g.dot` then `dot -v -Tplain g.dot 2>&1 | grep crossings`.

#[path = "../benches/support/graphs.rs"]
mod graphs;

use vaultscope::diagram::{Direction, layout};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(60);
    let seed: u64 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7);
    let g = graphs::generate(n, seed, false);
    println!("digraph g {{");
    for node in &g.nodes {
        println!("  {} [label=\"{}\"];", node.id, node.label);
    }
    for e in &g.edges {
        println!("  {} -> {};", e.from, e.to);
    }
    println!("}}");
    let l = layout::layered(&g, Direction::TB, false);
    let mut ys: Vec<usize> = l.nodes.iter().map(|b| b.y).collect();
    ys.sort_unstable();
    ys.dedup();
    let rank = |i: usize| ys.binary_search(&l.nodes[i].y).unwrap_or(0);
    let span: usize = g
        .edges
        .iter()
        .filter_map(|e| Some(rank(g.node(&e.from)?).abs_diff(rank(g.node(&e.to)?))))
        .sum();
    eprintln!(
        "vaultscope crossings: {} (ranks {}, total edge span {span})",
        l.crossings,
        ys.len()
    );
}
