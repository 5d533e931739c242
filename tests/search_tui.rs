//! The search popup driven headless through the real `App` (as `vaultscope snapshot` does) on
//! the search fixture vault (`tests/fixtures/search/`: Korean, English and mixed notes): both
//! modes at 80x24 and 120x40, and a full-text hit opened at its line with `n` walking on.

use std::path::Path;

use vaultscope::tui::{keymap::parse_keys, snapshot_at};
use vaultscope::vault::Vault;

/// 2026-11-30 00:00 UTC: the screens' relative dates are computed from this.
const NOW: i64 = 1_795_996_800;

fn vault() -> Vault {
    Vault::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search"))
        .expect("fixture vault")
}

fn screen(w: u16, h: u16, keys: &str) -> String {
    snapshot_at(vault(), w, h, &parse_keys(keys).expect("keys"), NOW).expect("snapshot")
}

#[test]
fn names_mode_finds_by_initial_consonants() {
    let s = screen(80, 24, "/ㅂㅇㄱㄹ");
    assert!(s.contains("Search names · 1"), "{s}");
    assert!(s.contains("보안그룹"), "{s}");
    insta::assert_snapshot!("names_choseong_80x24", s);
    insta::assert_snapshot!("names_mixed_120x40", screen(120, 40, "/vpc 엔ㄷ"));
}

#[test]
fn text_mode_lists_lines_grouped_by_note() {
    let s = screen(80, 24, "/<Tab>보안");
    assert!(s.contains("Search text · 2 notes"), "{s}");
    insta::assert_snapshot!("text_korean_80x24", s);
    let s = screen(120, 40, "/<C-t>privatelink");
    assert!(s.contains("Search text · 2 notes"), "{s}");
    insta::assert_snapshot!("text_privatelink_120x40", s);
    // Tab again: back to names, the same query.
    let s = screen(80, 24, "/<Tab>보안<Tab>");
    assert!(s.contains("Search names"), "{s}");
}

#[test]
fn a_bad_query_says_why_in_the_popup() {
    let s = screen(80, 24, "/<Tab>re:(");
    assert!(s.contains("bad regular expression"), "{s}");
}

#[test]
fn enter_opens_the_note_at_the_line_and_n_walks_its_matches() {
    // The third line row of the security-groups note: line 13, `## 보안그룹 규칙`. The pane
    // finds 보안그룹 five times: the alias in the header, then the body's four lines.
    let s = screen(120, 40, "/<Tab>보안그룹<Down><Down><Enter>");
    assert!(s.contains("find 4/5"), "{s}");
    assert!(s.contains("보안그룹끼리 참조할 수 있다"), "{s}");
    let s = screen(120, 40, "/<Tab>보안그룹<Down><Down><Enter>n");
    assert!(s.contains("find 5/5"), "{s}");
    // The first line row: line 8, the second match; N goes back to the header's.
    let s = screen(120, 40, "/<Tab>보안그룹<Enter>");
    assert!(s.contains("find 2/5"), "{s}");
    let s = screen(120, 40, "/<Tab>보안그룹<Enter>N");
    assert!(s.contains("find 1/5"), "{s}");
}

#[test]
fn no_size_panics_and_rows_never_overflow_in_either_mode() {
    for (w, h) in [(1, 1), (5, 3), (20, 6), (40, 10), (79, 23), (200, 50)] {
        for keys in [
            "/ㅂ",
            "/<Tab>보안",
            "/<Tab>ㅂ<Down><Down>",
            "/<Tab>re:(",
            "/<Tab>secret<Enter>",
        ] {
            let s = screen(w, h, keys);
            for line in s.lines() {
                let cols = unicode_width::UnicodeWidthStr::width(line);
                assert!(
                    cols <= usize::from(w),
                    "{keys} at {w}x{h}: {cols} columns: {line:?}"
                );
            }
            // The hostile note's escape sequences show as placeholders, never raw.
            assert!(!s.contains('\u{1b}'), "{keys} at {w}x{h}");
        }
    }
}

#[test]
fn queries_a_mode_cannot_answer_say_why_and_ctrl_u_clears_the_line() {
    // A regular expression alone: names mode points to text mode, text mode finds it.
    let names = screen(100, 30, "/re:priv.*link");
    assert!(names.contains("Search names · 0"), "{names}");
    assert!(
        names.contains("regular expression searches the notes' text"),
        "{names}"
    );
    let text = screen(100, 30, "/<Tab>re:priv.*link");
    assert!(text.contains("Search text · 2 notes"), "{text}");
    // Filters alone narrow: text mode says so instead of "no note matches".
    let filters = screen(100, 30, "/<Tab>tag:security");
    assert!(filters.contains("filters only narrow"), "{filters}");
    assert!(!filters.contains("no note matches"), "{filters}");
    // Ctrl-U empties the line, and the next query is typed afresh.
    let cleared = screen(80, 24, "/ㅂㅇㄱㄹ<C-u>vpc 엔ㄷ");
    assert!(cleared.contains("> vpc 엔ㄷ"), "{cleared}");
    assert!(!cleared.contains("ㅂㅇㄱㄹ"), "{cleared}");
}
