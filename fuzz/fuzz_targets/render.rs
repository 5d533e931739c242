#![no_main]
//! Fuzzes `vaultscope::markdown::render`.
//!
//! Input layout: byte 0 -> width (1..=200), byte 1 -> colour flag (low bit),
//! byte 2 -> resolves-everything flag (low bit), rest -> markdown body (lossy UTF-8).
//!
//! Properties checked (panic = fuzzer crash):
//!  1. render never panics (libfuzzer-sys's panic hook aborts even on panics the renderer
//!     catches internally; we also reject `Rendered::failure`),
//!  2. no line is wider than `width` columns (`Line::width()`),
//!  3. no span contains a control character (C0 incl. \n \t ESC, DEL, C1, bidi controls).
//! "Never loops forever" is covered by libFuzzer's -timeout.

use libfuzzer_sys::fuzz_target;
use vaultscope::markdown::{render, RenderOptions};
use vaultscope::style::Styles;

fn is_forbidden(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || u == 0x7f
        || (0x80..=0x9f).contains(&u)
        || (0x202a..=0x202e).contains(&u)
        || (0x2066..=0x2069).contains(&u)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let width = (data[0] % 200) as u16 + 1;
    let color = data[1] & 1 == 1;
    let resolve_all = data[2] & 1 == 1;
    let body = String::from_utf8_lossy(&data[3..]);

    let resolves = move |t: &str| resolve_all || t.len() % 2 == 0;
    let opts = RenderOptions {
        width,
        styles: Styles::new(color),
        resolves: &resolves,
        now: 1_800_000_000,
        diagrams: vaultscope::markdown::DiagramView {
            mode: match (data[2] >> 1) & 3 {
                0 => vaultscope::markdown::DiagramMode::Source,
                1 => vaultscope::markdown::DiagramMode::Drawn,
                _ => vaultscope::markdown::DiagramMode::Auto,
            },
            drawings: None,
        },
    };
    let out = render(None, &body, &opts);

    assert!(
        out.failure.is_none(),
        "renderer fell back to plain text: {:?}",
        out.failure
    );
    for (i, line) in out.lines.iter().enumerate() {
        let w = line.width();
        assert!(
            w <= width as usize,
            "line {i} is {w} columns wide, width is {width}: {line:?}"
        );
        for span in &line.spans {
            if let Some(c) = span.content.chars().find(|&c| is_forbidden(c)) {
                panic!(
                    "line {i} has control char U+{:04X} in span {:?}",
                    c as u32, span.content
                );
            }
        }
    }
});
