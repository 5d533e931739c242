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

/// A vault of its own (written to a temporary folder) for the cases the shared fixtures do
/// not hold.
fn screen_of(files: &[(&str, &str)], w: u16, h: u16, keys: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("folder");
        std::fs::write(p, text).expect("note written");
    }
    let vault = Vault::load(dir.path()).expect("vault");
    snapshot_at(vault, w, h, &parse_keys(keys).expect("keys"), NOW).expect("snapshot")
}

const FLOW: &str = "# Egress\n\nTraffic leaves through the gateway.\n\n```mermaid\nflowchart LR\n  SUBNETA[Subnet] --> NATGW[NAT gateway]\n```\n\nThe gateway costs by the hour.\n";

#[test]
fn a_match_in_a_drawn_diagram_s_source_lands_on_the_picture_and_says_so() {
    let files = [("egress.md", FLOW), ("other.md", "# Other\n\nnothing\n")];
    // `NATGW` (a node's id) is only in the source: the view goes to the picture and says how
    // to see the line.
    let s = screen_of(&files, 120, 40, "/<Tab>NATGW<Enter>");
    assert!(
        s.contains("is in this diagram's source, drawn here: D shows the source"),
        "{s}"
    );
    assert!(s.contains("NAT gateway"), "the picture is in view: {s}");
    // D shows the sources as text: the find finds the line there.
    let s = screen_of(&files, 120, 40, "/<Tab>NATGW<Enter>D");
    assert!(s.contains("find 1/1"), "{s}");
    assert!(s.contains("SUBNETA[Subnet] --> NATGW"), "{s}");
    // A body line after the diagram: counted past the source's match (not on the screen as
    // text); the picture's label `NAT gateway` is a match the find line sees.
    let s = screen_of(&files, 120, 40, "/<Tab>gateway<Down><Down><Enter>");
    assert!(s.contains("costs by the hour"), "{s}");
    assert!(s.contains("find 3/3"), "{s}");
    // The first body line: the first of the three.
    let s = screen_of(&files, 120, 40, "/<Tab>gateway<Enter>");
    assert!(s.contains("find 1/3"), "{s}");
    // The source line with the label: on the label in the picture, and said so.
    let s = screen_of(&files, 120, 40, "/<Tab>gateway<Down><Enter>");
    assert!(s.contains("find 2/3"), "{s}");
    assert!(s.contains("D shows the source"), "{s}");
}

#[test]
fn the_find_counter_stays_in_a_narrow_title_and_ends_with_its_note() {
    // At 80x24 the content pane's title has no room for the whole path: it gives way.
    let s = screen(80, 24, "/<Tab>보안그룹<Down><Down><Enter>");
    assert!(s.contains("find 4/5"), "{s}");
    assert!(s.contains('…'), "{s}");
    // Another note opened: the find is over.
    let s = screen(80, 24, "/<Tab>보안그룹<Down><Down><Enter>1j");
    assert!(!s.contains("find "), "{s}");
}

#[test]
fn a_new_search_opening_the_same_note_finds_its_own_query() {
    // 보안그룹 opened at its fourth match, then a new search for a word of the same note:
    // the find is the new word's (one match in the body, line 10), not the old one's.
    let first = "/<Tab>보안그룹<Down><Down><Enter>";
    assert!(screen(120, 40, first).contains("find 4/5"));
    let s = screen(120, 40, &format!("{first}/<Tab>stateful<Enter>"));
    assert!(s.contains("find 1/1"), "{s}");
    assert!(!s.contains("find 4/5"), "{s}");
    // And n walks the new query's matches (one: it stays).
    let s = screen(120, 40, &format!("{first}/<Tab>stateful<Enter>n"));
    assert!(s.contains("find 1/1"), "{s}");
    // The same query again from its first line: the counter starts over there.
    let s = screen(120, 40, &format!("{first}/<Tab>보안그룹<Enter>"));
    assert!(s.contains("find 2/5"), "{s}");
}

#[test]
fn a_search_opening_the_note_again_never_keeps_the_old_find() {
    let first = "/<Tab>보안그룹<Down><Down><Enter>";
    // A names search for the same note: it finds no text, and the old find is gone.
    let s = screen(120, 40, &format!("{first}/보안그룹<Enter>"));
    assert!(s.contains("security-groups-vs-nacls.md"), "{s}");
    assert!(!s.contains("· find "), "{s}");
    assert!(screen(120, 40, &format!("{first}/보안그룹<Enter>n")).contains("nothing to find"));
    // A text search whose only match in the note is its title: the title's match is found
    // (the header shows it), not the old query's.
    let s = screen(120, 40, &format!("{first}/<Tab>NACLs<Enter>"));
    assert!(s.contains("find -/1"), "{s}");
    let s = screen(120, 40, &format!("{first}/<Tab>NACLs<Enter>n"));
    assert!(s.contains("find 1/1"), "{s}");
}

#[test]
fn a_hit_is_counted_among_the_find_s_matches_with_the_find_s_case_folding() {
    // The find folds `İ` to `i`, as it folds every letter to one: the find sees three
    // matches, and the search's hit (line 2 of the body, `İ` is upper case: exact) is the
    // second of them, not the last.
    let files = [(
        "cities.md",
        "# Cities\n\nistanbul first\nİstanbul second\nistanbul third\n",
    )];
    let s = screen_of(&files, 120, 40, "/<Tab>İstanbul<Enter>");
    assert!(s.contains("find 2/3"), "{s}");
    let s = screen_of(&files, 120, 40, "/<Tab>İstanbul<Enter>n");
    assert!(s.contains("find 3/3"), "{s}");
}

/// The list comes before the search index (the loader sends it first): meanwhile the names
/// popup says it is indexing rather than "0" hits, Enter keeps it open, and once the index is
/// built the hits for what was typed come without typing again.
#[test]
fn names_typed_while_indexing_are_answered_once_the_index_is_built() {
    use vaultscope::catalog::Catalog;
    use vaultscope::style::Styles;
    use vaultscope::tui::app::App;
    use vaultscope::tui::msg::Msg;
    use vaultscope::tui::{buffer_text, frame, settle, type_keys};

    let catalog = Catalog::build_lists_after(vault(), None);
    let mut app = App::with_catalog(catalog.clone(), (80, 24));
    app.set_now(NOW);
    settle(&mut app);
    let screen = |app: &App| buffer_text(&frame(app, Styles::new(false)));
    type_keys(&mut app, &parse_keys("/ㅂㅇㄱㄹ<Enter>").expect("keys"));
    let s = screen(&app);
    assert!(s.contains("Search names · indexing…"), "{s}");
    assert!(s.contains("indexing the notes' names"), "{s}");
    assert!(!s.contains("보안그룹"), "{s}");
    assert!(s.contains("Enter again in a moment"), "{s}");
    assert!(catalog.index_search());
    app.update(Msg::SearchIndexed(catalog.generation));
    // The search is asked for (its answer not in yet): not "0" hits either.
    let s = screen(&app);
    assert!(s.contains("Search names · searching…"), "{s}");
    settle(&mut app);
    let s = screen(&app);
    assert!(s.contains("Search names · 1"), "{s}");
    assert!(s.contains("보안그룹"), "{s}");
    // Enter now opens the hit.
    type_keys(&mut app, &parse_keys("<Enter>").expect("keys"));
    let s = screen(&app);
    assert!(!s.contains("Search names"), "{s}");
    assert_eq!(
        app.vault().notes[app.selected_note().expect("a note opened")].title,
        app.vault().notes[catalog.search().unwrap().search("ㅂㅇㄱㄹ", 1)[0].note].title
    );
}

/// Before the first notes arrive the vault shown is empty: the names popup says it is reading
/// rather than "0" hits, Enter keeps it open, and the notes once in answer what was typed.
#[test]
fn names_typed_before_the_notes_arrive_are_answered_when_they_do() {
    use vaultscope::catalog::Catalog;
    use vaultscope::style::Styles;
    use vaultscope::tui::app::App;
    use vaultscope::tui::msg::{Loading, Msg};
    use vaultscope::tui::{buffer_text, frame, settle, type_keys};

    let empty = tempfile::tempdir().expect("temp dir");
    let mut app = App::with_catalog(
        Catalog::build(Vault::load(empty.path()).expect("empty vault")),
        (80, 24),
    );
    app.set_now(NOW);
    app.update(Msg::Loading(Loading {
        stage: "reading notes",
        read: 10,
        found: 100,
    }));
    settle(&mut app);
    let screen = |app: &App| buffer_text(&frame(app, Styles::new(false)));
    type_keys(&mut app, &parse_keys("/ㅂㅇㄱㄹ<Enter>").expect("keys"));
    settle(&mut app);
    let s = screen(&app);
    assert!(s.contains("Search names · reading…"), "{s}");
    assert!(s.contains("reading the notes…"), "{s}");
    assert!(s.contains("still reading the notes"), "{s}");
    app.update(Msg::Loaded {
        catalog: Catalog::build(vault()),
        initial: true,
        next: None,
    });
    settle(&mut app);
    let s = screen(&app);
    assert!(s.contains("Search names · 1"), "{s}");
    assert!(s.contains("보안그룹"), "{s}");
}

/// A query that matches nothing, once answered, says 0 (not that it is still searching).
#[test]
fn a_query_answered_with_nothing_says_0() {
    let s = screen(80, 24, "/zqxjzqxj");
    assert!(s.contains("Search names · 0"), "{s}");
    assert!(!s.contains("searching"), "{s}");
}
