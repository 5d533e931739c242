//! Rendering a note for the content pane: the seed note at widths 40 / 80 / 120, and the
//! largest note of the generated 10k-note vault (about 200 KB) at width 100. Also one frame
//! of scrolling a rendered note, which must not render again.

#[path = "support/genvault.rs"]
mod genvault;

use criterion::{Criterion, criterion_group, criterion_main};
use vaultscope::markdown::{DiagramMode, DiagramView, Drawings, RenderOptions, render};
use vaultscope::style::Styles;
use vaultscope::vault::Note;

// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let seed_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/notes/sagemaker-vpc-privatelink-security.md"
    ))
    .expect("seed note");
    let (seed, _) = Note::parse("seed.md", &seed_text, 0, None);
    let seed_body = Note::body_of(&seed_text);
    let notes = genvault::generate(10_000, 42);
    let largest = notes.iter().max_by_key(|n| n.content.len()).expect("notes");
    let (big, _) = Note::parse("big.md", &largest.content, 0, None);
    let big_body = Note::body_of(&largest.content);
    let resolves = |_: &str| true;
    // The explorer keeps a note's diagrams and their drawings with its reading: a width
    // change renders again from drawings already made (the first iteration makes them).
    let seed_drawings = Drawings::of_body(seed_body, 0);
    let big_drawings = Drawings::of_body(big_body, 0);
    let opts = |width, drawings| RenderOptions {
        width,
        styles: Styles::new(true),
        resolves: &resolves,
        now: 1_795_996_800,
        diagrams: DiagramView {
            mode: DiagramMode::Auto,
            drawings: Some(drawings),
        },
        highlight: None,
        pictures: None,
    };
    let mut group = c.benchmark_group("render");
    for width in [40, 80, 120] {
        group.bench_function(format!("seed_width_{width}"), |b| {
            let o = opts(width, &seed_drawings);
            b.iter(|| render(Some(&seed), seed_body, &o))
        });
    }
    group.bench_function(
        format!(
            "largest_of_10k_{}KB_width_100",
            largest.content.len() / 1024
        ),
        |b| {
            let o = opts(100, &big_drawings);
            b.iter(|| render(Some(&big), big_body, &o))
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
