//! Pictures: what drawing one in a terminal protocol costs beside half blocks (the anchor),
//! for a 1600×800 picture embedded in a note, drawn 100×25 cells (a 200-column pane).
//!
//! - `picture/halfblocks`: the picture in half-block lines (what every terminal gets);
//! - `picture/sixel`, `picture/kitty`, `picture/iterm2`: the same picture encoded for the
//!   protocol at a 10×20-pixel cell, which the rendering's worker does once per note and
//!   width (never the loop);
//! - `decode/png`: reading the PNG file itself, within the bounds (`images::decode`).

use criterion::{Criterion, criterion_group, criterion_main};
use vaultscope::images::{self, Mode};
use vaultscope::tui::graphics::Detection;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A picture with gradients and edges (a flat one compresses to nothing).
fn png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(1600, 800, |x, y| {
        let edge = if (x / 100 + y / 100) % 2 == 0 { 40 } else { 0 };
        image::Rgba([
            (x % 256) as u8,
            (y % 256) as u8,
            ((x + y) % 200) as u8 + edge,
            255,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png encoded");
    out.into_inner()
}

fn pictures(c: &mut Criterion) {
    let bytes = png();
    let p = images::decode(&bytes).expect("decoded");
    let (cols, rows) = images::cells(&p, None, 100);
    assert_eq!((cols, rows), (100, 25));
    let mut g = c.benchmark_group("picture");
    g.sample_size(20);
    g.bench_function("halfblocks", |b| {
        b.iter(|| images::halfblocks(&p, cols, rows))
    });
    let mut answers = Detection::default();
    answers.push(b"\x1b[6;20;10t\x1b[0n");
    for (name, mode) in [
        ("sixel", Mode::Sixel),
        ("kitty", Mode::Kitty),
        ("iterm2", Mode::Iterm2),
    ] {
        let graphics = answers.graphics(mode, None).expect("a protocol");
        assert_eq!(graphics.name(), name);
        g.bench_function(name, |b| {
            b.iter(|| graphics.encode(&p, cols, rows).expect("encoded"))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("decode");
    g.sample_size(20);
    g.bench_function("png", |b| {
        b.iter(|| images::decode(&bytes).expect("decoded"))
    });
    g.finish();
}

criterion_group!(benches, pictures);
criterion_main!(benches);
