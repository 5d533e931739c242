//! Diagram layout: a layered layout (with routing) of generated graphs of 30 and 200 nodes,
//! drawing included; and parsing the seed's picture. Targets: 30 nodes under 5 ms, 200 under
//! 50 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use vaultscope::diagram::graph::Edge;
use vaultscope::diagram::{Direction, Graph, Syntax, ascii, canvas, layout};

// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A connected graph of `n` nodes: each node fed by an earlier one, a third with an extra edge
/// (some of them back edges, so there are cycles to break), deterministic.
fn graph(n: usize) -> Graph {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    let mut g = Graph::new(Syntax::Mermaid);
    for i in 0..n {
        g.add_node(&format!("n{i}"), Some(&format!("Service {i}")));
    }
    for v in 1..n {
        let u = next(v);
        g.edges.push(Edge {
            from: format!("n{u}"),
            to: format!("n{v}"),
            label: None,
        });
        if next(3) == 0 {
            let w = next(n);
            if w != v {
                g.edges.push(Edge {
                    from: format!("n{v}"),
                    to: format!("n{w}"),
                    label: (next(2) == 0).then(|| "calls".to_owned()),
                });
            }
        }
    }
    g
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("diagram");
    for n in [30, 200] {
        let g = graph(n);
        group.bench_function(format!("layout_and_draw_{n}_nodes"), |b| {
            b.iter(|| {
                let l = layout::layered(&g, Direction::TB, false);
                canvas::draw(&g, &l)
            })
        });
    }
    let seed = "\
[Private Subnet] → [VPC Endpoint] → [PrivateLink] → [SageMaker Service]
        ↓               ↓              ↓                    ↓
[SageMaker Notebook] [Interface Endpoint] [AWS Backbone] [SageMaker API]
        ↓               ↓              ↓                    ↓
[Security Groups] → [Route Tables] → [Private DNS] → [Service Access]";
    group.bench_function("parse_seed_picture", |b| b.iter(|| ascii::parse(seed)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
