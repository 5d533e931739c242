#![no_main]
//! Fuzzes the body scanner: `body::lines` / `body::Lines` (fenced code), `body::scan` (the
//! first H1, inline tags, wikilinks) and `body::fenced_blocks`.
//!
//! Input layout: byte 0 -> first line number (1..=256), rest -> body (lossy UTF-8).
//!
//! Properties checked (panic = fuzzer crash):
//!  1. nothing panics; "never loops forever" is libFuzzer's -timeout,
//!  2. the `Lines` iterator and `lines` agree, number lines one by one from `first_line`, and
//!     their texts put back together give the body,
//!  3. a scan without links finds the same H1 and tags as one with links,
//!  4. tags are distinct (ignoring case), non-empty, without `#` or whitespace; links name a
//!     line of the body, and targets hold no `[[`, `]]` or line break,
//!  5. fenced blocks start on a line of the body, on a fence line.

use libfuzzer_sys::fuzz_target;
use vaultscope::vault::body;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let first_line = first as usize + 1;
    let text = String::from_utf8_lossy(rest);

    let lines = body::lines(&text, first_line);
    let iterated: Vec<_> = body::Lines::new(&text, first_line).collect();
    assert_eq!(lines.len(), iterated.len());
    for (i, (a, b)) in lines.iter().zip(&iterated).enumerate() {
        assert_eq!(a.line, first_line + i, "line numbers skip at {i}");
        assert_eq!((a.line, a.text, a.in_code, a.fence), (b.line, b.text, b.in_code, b.fence));
        assert!(!a.text.contains('\n'), "line {} holds a newline", a.line);
        assert!(!a.fence || a.in_code, "fence line {} outside code", a.line);
    }
    let joined: String = lines.iter().map(|l| l.text).collect::<Vec<_>>().join("\n");
    // `Lines` drops a `\r` before each `\n`; compare without them.
    assert_eq!(
        joined.replace('\r', ""),
        text.replace('\r', ""),
        "lines do not put the body back together"
    );
    let last = first_line + lines.len();

    let full = body::scan(lines.iter().copied(), true);
    let outline = body::scan(body::Lines::new(&text, first_line), false);
    assert_eq!(full.h1, outline.h1);
    assert_eq!(full.tags, outline.tags);
    assert!(outline.links.is_empty());
    for (i, t) in full.tags.iter().enumerate() {
        assert!(!t.is_empty() && !t.starts_with('#'), "tag {t:?}");
        assert!(!t.contains(char::is_whitespace), "tag {t:?} has whitespace");
        for u in &full.tags[..i] {
            assert!(!vaultscope::vault::same_tag(t, u), "tags {u:?} and {t:?} repeat");
        }
    }
    if let Some(h) = &full.h1 {
        assert!(!h.is_empty() && !h.contains('\n'), "h1 {h:?}");
    }
    for l in &full.links {
        assert!((first_line..last).contains(&l.line), "link line {} of {first_line}..{last}", l.line);
        assert!(!l.target.contains("[[") && !l.target.contains("]]"), "target {:?}", l.target);
        assert!(!l.target.contains('\n'), "target {:?}", l.target);
    }

    for b in body::fenced_blocks(&text, first_line) {
        assert!((first_line..last).contains(&b.line), "block line {} of {first_line}..{last}", b.line);
        let opening = &lines[b.line - first_line];
        assert!(opening.fence, "block at line {} does not start on a fence", b.line);
    }
});
