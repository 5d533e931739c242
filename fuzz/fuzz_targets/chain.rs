#![no_main]
//! Fuzzes `vaultscope::diagram::chain::parse`, then lays out and draws the graph.
//! See `diagram_common.rs` for the input layout and the properties checked.

use libfuzzer_sys::fuzz_target;

#[path = "diagram_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((relayout, compact, text)) = common::split(data) else {
        return;
    };
    if let Some(g) = vaultscope::diagram::chain::parse(&text) {
        common::check(&g, false, relayout, compact);
    }
});
