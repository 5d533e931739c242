//! Shared by the `ascii`, `chain`, `mermaid`, `state`, `d2` and `sequence` fuzz targets (included with `#[path]`).
//!
//! Input layout: byte 0 -> draw flags (bit 0 = `relayout`, bit 1 = `compact`),
//! rest -> the diagram block text (lossy UTF-8).
//!
//! Properties checked (panic = fuzzer crash):
//!  1. parsing, layout and drawing never panic,
//!  2. every edge's `from`/`to` is a node id (Mermaid: or a subgraph id),
//!  3. no node or edge label has a control character other than '\n'
//!     (C0 except \n, DEL, C1 U+0080..U+009F),
//!  4. every route point of the layout lies inside `layout.width` x `layout.height`,
//!  5. each of the first `layout.height` lines of `canvas.lines(false)` is at most
//!     `layout.width` display columns wide.
//! "Never loops forever" is covered by libFuzzer's -timeout.

use unicode_width::UnicodeWidthStr;
use vaultscope::diagram::{draw, Graph};

/// Splits an input into (relayout, compact, text).
pub fn split(data: &[u8]) -> Option<(bool, bool, String)> {
    let (&flags, rest) = data.split_first()?;
    Some((
        flags & 1 == 1,
        flags & 2 == 2,
        String::from_utf8_lossy(rest).into_owned(),
    ))
}

fn is_forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n') || u == 0x7f || (0x80..=0x9f).contains(&u)
}

/// Checks the graph's invariants, then draws it and checks the drawing.
pub fn check(g: &Graph, subgraph_ends: bool, relayout: bool, compact: bool) {
    for (i, e) in g.edges.iter().enumerate() {
        for end in [&e.from, &e.to] {
            let ok = g.nodes.iter().any(|n| &n.id == end)
                || (subgraph_ends && g.subgraphs.iter().any(|s| &s.id == end));
            assert!(ok, "edge {i} {:?} -> {:?}: end {end:?} is no node", e.from, e.to);
        }
    }
    for n in &g.nodes {
        if let Some(c) = n.label.chars().find(|&c| is_forbidden(c)) {
            panic!(
                "node {:?} label has control char U+{:04X}: {:?}",
                n.id, c as u32, n.label
            );
        }
    }
    for e in &g.edges {
        if let Some(l) = &e.label {
            if let Some(c) = l.chars().find(|&c| is_forbidden(c)) {
                panic!(
                    "edge {:?} -> {:?} label has control char U+{:04X}: {l:?}",
                    e.from, e.to, c as u32
                );
            }
        }
    }

    let d = draw(g, relayout, compact);
    let (w, h) = (d.layout.width, d.layout.height);
    for (i, r) in d.layout.routes.iter().enumerate() {
        for &(x, y) in &r.points {
            assert!(
                x < w && y < h,
                "route {i} (edge {}) point ({x}, {y}) outside {w}x{h}: {:?}",
                r.edge,
                r.points
            );
        }
    }
    for (y, line) in d.canvas.lines(false).iter().take(h).enumerate() {
        let lw = UnicodeWidthStr::width(line.as_str());
        assert!(lw <= w, "line {y} is {lw} columns wide, layout width is {w}: {line:?}");
    }
}
