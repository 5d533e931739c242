#![no_main]
//! Fuzzes `vaultscope::diagram::sequence::parse`, then draws the diagram.
//! See `diagram_common.rs` for the input layout and the shared properties; also checked:
//! every message and note names participants, edge `i` is message `i`, frames point at
//! messages and parents that exist, and every drawn line fits the drawing's width.

use libfuzzer_sys::fuzz_target;
use vaultscope::diagram::sequence;

#[path = "diagram_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((relayout, compact, body)) = common::split(data) else {
        return;
    };
    let text = format!("sequenceDiagram\n{body}");
    let g = sequence::parse(&text);
    let s = g.sequence.as_ref().expect("a sequence");
    let known = |id: &str| s.participants.iter().any(|p| p.id == id);
    assert_eq!(s.participants.len(), g.nodes.len());
    assert_eq!(s.messages.len(), g.edges.len());
    for (m, e) in s.messages.iter().zip(&g.edges) {
        assert!(known(&m.from) && known(&m.to), "{m:?}");
        assert_eq!((&m.from, &m.to), (&e.from, &e.to));
    }
    for n in &s.notes {
        assert!(!n.over.is_empty() && n.over.iter().all(|id| known(id)), "{n:?}");
    }
    for (i, f) in s.frames.iter().enumerate() {
        assert!(f.parent.is_none_or(|p| p < i), "frame {i}: {f:?}");
        assert!(f.last_message.is_none_or(|m| m < s.messages.len()));
        assert!(f.first_message <= f.last_message);
    }
    common::check(&g, false, relayout, compact);
});
