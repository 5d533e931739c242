#![no_main]
//! Fuzzes the front matter: `frontmatter::split` on the whole input, then `frontmatter::parse`
//! on the block it finds and on the whole input read as a block.
//!
//! Input: the bytes as (lossy) UTF-8 text.
//!
//! Properties checked (panic = fuzzer crash):
//!  1. nothing panics; "never loops forever" is libFuzzer's -timeout,
//!  2. `split`'s offsets are inside the text and on char boundaries, and the YAML is the text
//!     between the fences,
//!  3. the fast path (`simple::parse`) agrees with serde_yaml on every block it accepts,
//!  4. every issue's line is inside the block,
//!  5. `parse` (the fast path's fields coerced directly) equals `parse_through_map` (through a
//!     JSON map, as serde_yaml's).

use libfuzzer_sys::fuzz_target;
use vaultscope::vault::frontmatter::{self, Block};

fn check_block(yaml: &str, first_line: usize) {
    let lines = yaml.split('\n').count();
    if let Some(fast) = frontmatter::simple::parse(yaml) {
        let exact = frontmatter::parse_bounded(yaml)
            .unwrap_or_else(|e| panic!("fast path took {yaml:?}, serde_yaml refused it: {e}"));
        let exact = match exact {
            serde_json::Value::Null => serde_json::Map::new(),
            serde_json::Value::Object(m) => m,
            other => panic!("fast path took {yaml:?}, serde_yaml read {other}"),
        };
        assert_eq!(fast, exact, "fast path and serde_yaml disagree on {yaml:?}");
    }
    let parsed = frontmatter::parse(yaml, first_line);
    assert_eq!(
        parsed,
        frontmatter::parse_through_map(yaml, first_line),
        "direct and through-map coercion disagree on {yaml:?}"
    );
    if let Ok((_, issues)) = parsed {
        for i in issues {
            if let Some(l) = i.line {
                assert!(
                    (first_line..first_line + lines).contains(&l),
                    "issue line {l} outside the block ({first_line}, {lines} lines): {i:?}"
                );
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match frontmatter::split(&text) {
        Block::Closed {
            yaml,
            body_start,
            body_line,
        } => {
            assert!(body_start <= text.len() && text.is_char_boundary(body_start));
            assert!(body_line >= 3);
            let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
            assert!(start + yaml.len() <= body_start);
            check_block(yaml, 2);
        }
        Block::None | Block::Unclosed => {}
    }
    check_block(&text, 1);
});
