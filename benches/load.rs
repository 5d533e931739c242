//! Loading a vault: walk, read, parse front matter and bodies, resolve links, on generated
//! vaults of 1k and 10k notes (see `support/genvault.rs`).

#[path = "support/genvault.rs"]
mod genvault;

use criterion::{Criterion, criterion_group, criterion_main};
use vaultscope::vault::{Depth, Vault};

// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for notes in [1_000, 10_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        let bytes = genvault::write_vault(dir.path(), notes, 42).expect("vault written");
        group.throughput(criterion::Throughput::Bytes(bytes));
        for depth in [Depth::Outline, Depth::Full] {
            group.bench_function(format!("{notes}_notes_{depth:?}").to_lowercase(), |b| {
                b.iter(|| Vault::load_to(dir.path(), depth).expect("loads"))
            });
        }
    }
    group.finish();
}

/// Parsing one note already in memory (front matter, body index, questions), no I/O.
fn parse(c: &mut Criterion) {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/notes/sagemaker-vpc-privatelink-security.md"
    ))
    .expect("seed note");
    let notes = genvault::generate(1_000, 42);
    let largest = notes.iter().max_by_key(|n| n.content.len()).expect("notes");
    let mut group = c.benchmark_group("parse_note");
    group.bench_function("seed", |b| {
        b.iter(|| vaultscope::vault::Note::parse("seed.md", &seed, 0, None))
    });
    group.bench_function(
        format!("largest_of_1k_{}KB", largest.content.len() / 1024),
        |b| b.iter(|| vaultscope::vault::Note::parse("big.md", &largest.content, 0, None)),
    );
    group.finish();
}

criterion_group!(benches, load, parse);
criterion_main!(benches);
