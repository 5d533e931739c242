#![no_main]
//! Fuzzes `vaultscope::diagram::mermaid::state::parse` (Mermaid state diagrams), then lays out and draws the graph.
//! See `diagram_common.rs` for the input layout and the properties checked
//! (an edge may also end at a subgraph id).

use libfuzzer_sys::fuzz_target;

#[path = "diagram_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((relayout, compact, text)) = common::split(data) else {
        return;
    };
    let g = vaultscope::diagram::mermaid::state::parse(&text);
    common::check(&g, true, relayout, compact);
});
