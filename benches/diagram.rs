//! Diagram layout: a layered layout (with routing) of generated graphs of 30 and 200 nodes,
//! drawing included; and parsing the seed's picture. Targets: 30 nodes under 5 ms, 200 under
//! 50 ms.

#[path = "support/graphs.rs"]
mod graphs;

use criterion::{Criterion, criterion_group, criterion_main};
use vaultscope::diagram::{Direction, ascii, canvas, layout};

// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("diagram");
    for n in [30, 200] {
        let g = graphs::generate(n, 7, true);
        group.bench_function(format!("layout_and_draw_{n}_nodes"), |b| {
            b.iter(|| {
                let l = layout::layered(&g, Direction::TB, false);
                canvas::draw(&g, &l)
            })
        });
    }
    let note = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/notes/sagemaker-vpc-privatelink-security.md"
    ))
    .expect("seed note");
    let block = vaultscope::vault::body::fenced_blocks(&note, 0)
        .into_iter()
        .next()
        .expect("the seed's diagram block");
    let seed = block.text.as_str();
    group.bench_function("parse_seed_picture", |b| b.iter(|| ascii::parse(seed)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
