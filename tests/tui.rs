//! The explorer driven headless: the real `App` on a test backend with scripted keys (the same
//! path as `vaultscope snapshot`), on the starter vault and on small vaults made per test.

use std::path::Path;

use vaultscope::catalog::Catalog;
use vaultscope::style::Styles;
use vaultscope::tui::app::App;
use vaultscope::tui::msg::{Effect, Loading, Msg};
use vaultscope::tui::{buffer_text, frame, keymap::parse_keys, settle, snapshot_at};

/// 2026-11-30 00:00 UTC: the screens' relative dates are computed from this.
const NOW: i64 = 1_795_996_800;

fn snapshot(
    vault: Vault,
    w: u16,
    h: u16,
    keys: &[crossterm::event::KeyEvent],
) -> anyhow::Result<String> {
    snapshot_at(vault, w, h, keys, NOW)
}
use vaultscope::vault::Vault;

fn starter() -> Vault {
    Vault::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("notes")).expect("starter vault")
}

fn screen(w: u16, h: u16, keys: &str) -> String {
    snapshot(starter(), w, h, &parse_keys(keys).expect("keys")).expect("snapshot")
}

fn width(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

#[test]
fn no_size_panics_and_rows_never_overflow() {
    let vault = starter();
    let sizes = [
        (1, 1),
        (2, 2),
        (5, 3),
        (10, 4),
        (20, 6),
        (40, 10),
        (79, 23),
        (80, 24),
        (120, 40),
        (159, 44),
        (160, 45),
        (200, 50),
        (500, 200),
    ];
    for (w, h) in sizes {
        for keys in [
            "",
            "/vp",
            "/vpcsm<Enter>",
            "?",
            "4<Enter><Space>",
            "z",
            "!",
            "<Tab><Tab><Tab>jjj",
        ] {
            let text = snapshot(vault.clone(), w, h, &parse_keys(keys).unwrap()).unwrap();
            assert_eq!(text.lines().count(), h as usize, "{w}x{h} {keys:?}");
            for line in text.lines() {
                assert!(width(line) <= w as usize, "{w}x{h} {keys:?}: {line:?}");
            }
        }
    }
}

#[test]
fn wide_layout_shows_four_panes_and_narrow_two() {
    let wide = screen(200, 50, "");
    for title in ["1 Notes 42/42", "2 ", "3 Diagram", "4 Tags"] {
        assert!(wide.contains(title), "{title} missing:\n{wide}");
    }
    let narrow = screen(80, 24, "");
    assert!(narrow.contains("1 Notes 42/42") && narrow.contains(" 2 "));
    assert!(!narrow.contains("4 Tags"));
    // Tab moves the focus on and the right side follows it.
    assert!(screen(80, 24, "<Tab><Tab><Tab>").contains("4 Tags"));
    assert!(screen(80, 24, "3").contains("3 Diagram"));
}

#[test]
fn search_by_alias_opens_the_note_with_its_diagram() {
    let popup = screen(100, 30, "/vpcsm");
    assert!(popup.contains("> vpcsm"), "{popup}");
    assert!(
        popup.contains("sagemaker-vpc-privatelink-security  ← alias vpc-sagemaker"),
        "{popup}"
    );
    let opened = screen(200, 50, "/vpcsm<Enter>");
    assert!(!opened.contains("> vpcsm"), "the popup closes");
    assert!(
        opened.contains(" 2 sagemaker-vpc-privatelink-security.md "),
        "{opened}"
    );
    assert!(opened.contains("3 Diagram 1/1"), "{opened}");
    assert!(
        opened.contains("[Private Subnet] → [VPC Endpoint] → [PrivateLink] → [SageMaker Service]"),
        "{opened}"
    );
    // A Korean alias, typed as characters (an IME delivers them so).
    let korean = screen(100, 30, "/게이트웨이");
    assert!(korean.contains("← alias NAT 게이트웨이"), "{korean}");
}

#[test]
fn a_list_title_too_wide_for_its_pane_ends_in_an_ellipsis() {
    // Two tags selected at 80x24: the title (count, tags, sort) is wider than the list pane.
    let text = screen(80, 24, "4<Space>j<Space>");
    let top = text.lines().next().unwrap();
    let title = &top[..top.find('┐').expect("the list pane's corner")];
    assert!(title.contains("1 Notes 13/42 #connectivit"), "{top}");
    assert!(title.ends_with('…'), "cut without a sign: {top}");
    // Wide enough, nothing is cut.
    let wide = screen(200, 50, "4<Space>");
    assert!(
        wide.contains("1 Notes 24/42 #connectivity by title ─"),
        "{wide}"
    );
}

#[test]
fn the_tag_filter_narrows_the_list() {
    // Focus tags; the first root is `connectivity`; Space selects it.
    let filtered = screen(200, 50, "4<Space>");
    assert!(filtered.contains("#connectivity"), "{filtered}");
    let count = |s: &str| -> usize {
        let at = s.find("1 Notes ").unwrap() + "1 Notes ".len();
        s[at..].split('/').next().unwrap().parse().unwrap()
    };
    let n = count(&filtered);
    assert!(n > 0 && n < 42, "{n}");
    assert_eq!(
        count(&screen(200, 50, "4<Space>c")),
        42,
        "c clears the filter"
    );
    // Expanding shows the children.
    let expanded = screen(200, 50, "4<Enter>");
    assert!(
        expanded.contains("▾ [ ] connectivity") && expanded.contains("privatelink"),
        "{expanded}"
    );
}

#[test]
fn help_lists_the_keymap() {
    let help = screen(200, 100, "?");
    for text in [
        "Keys",
        "quit",
        "search names or text",
        "next pane",
        "select tag",
    ] {
        assert!(help.contains(text), "{text} missing:\n{help}");
    }
    assert!(
        !screen(120, 40, "?x").contains("Keys"),
        "any key closes the help"
    );
}

#[test]
fn q_quits_and_nothing_after_it_is_read() {
    // After q the loop stops: the search key that follows is never applied.
    assert!(!screen(80, 24, "q/vp").contains("> vp"));
}

#[test]
fn control_characters_from_notes_never_reach_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("evil\u{1b}]0;x\u{7}.md"),
        "---\ntitle: \"Evil\\e[2J\\u202e\"\naliases: [\"\\e[31mred\"]\ntags: [\"x\\ey\"]\n---\nbody \u{1b}[5m blink\u{9b}\n```\n[A\u{1b}] → [B]\n```\n",
    )
    .unwrap();
    let vault = Vault::load(dir.path()).unwrap();
    for keys in ["", "/red", "/red<Enter>", "4<Enter>", "!"] {
        let text = snapshot(vault.clone(), 120, 30, &parse_keys(keys).unwrap()).unwrap();
        for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!text.contains(bad), "{keys:?} let {bad:?} through:\n{text}");
        }
        assert!(
            text.contains('␛'),
            "{keys:?}: the escape is shown as ␛\n{text}"
        );
    }
}

#[test]
fn the_main_states_read_well() {
    insta::assert_snapshot!("start_100x30", screen(100, 30, ""));
    insta::assert_snapshot!("search_100x30", screen(100, 30, "/privat"));
    insta::assert_snapshot!("start_80x24", screen(80, 24, ""));
    insta::assert_snapshot!("start_200x50", screen(200, 50, ""));
    // The seed note opened through its alias: Korean and emoji headings in the content.
    insta::assert_snapshot!("seed_200x50", screen(200, 50, "/vpcsm<Enter>"));
    insta::assert_snapshot!("search_korean_80x24", screen(80, 24, "/보안"));
    // The fifth root tag is `security`.
    insta::assert_snapshot!("tag_security_200x50", screen(200, 50, "4jjjj<Space>"));
    insta::assert_snapshot!("help_80x24", screen(80, 24, "?"));
    insta::assert_snapshot!("help_200x50", screen(200, 50, "?"));
}

#[test]
fn choosing_the_security_tag_keeps_only_security_notes() {
    let vault = starter();
    let text = screen(200, 50, "4jjjj<Space>");
    assert!(text.contains("[x] security"), "{text}");
    let expected = vault
        .notes
        .iter()
        .filter(|n| {
            n.tags
                .iter()
                .any(|t| t == "security" || t.starts_with("security/"))
        })
        .count();
    assert!(expected > 0 && expected < vault.notes.len());
    assert!(
        text.contains(&format!(
            "1 Notes {expected}/{} #security",
            vault.notes.len()
        )),
        "{text}"
    );
}

/// A vault of `n` notes named `note-000.md` …, each with enough lines to scroll.
fn numbered_vault(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        let body: String = (0..60)
            .map(|l| format!("line {l} of note {i}\n\n"))
            .collect();
        std::fs::write(
            dir.path().join(format!("note-{i:03}.md")),
            format!("---\ntitle: note {i:03}\n---\n{body}"),
        )
        .unwrap();
    }
    dir
}

#[test]
fn the_list_scrolls_only_when_the_cursor_leaves_it() {
    let dir = numbered_vault(100);
    let vault = Vault::load(dir.path()).unwrap();
    // 80x24: the list shows 21 rows. Going down 30 scrolls; coming back up 5 keeps the view.
    let down = snapshot(vault.clone(), 80, 24, &parse_keys(&"j".repeat(30)).unwrap()).unwrap();
    let first_row = |s: &str| s.lines().nth(1).unwrap().to_owned();
    assert!(first_row(&down).contains("note 010"), "{down}");
    let keys = format!("{}{}", "j".repeat(30), "k".repeat(5));
    let up = snapshot(vault.clone(), 80, 24, &parse_keys(&keys).unwrap()).unwrap();
    assert!(first_row(&up).contains("note 010"), "{up}");
    assert!(
        up.contains("note-025.md"),
        "the content follows the cursor:\n{up}"
    );
    // A click picks the row under the pointer in the scrolled list.
    let mut app = new_app(vault, (80, 24));
    let keys = parse_keys(&"j".repeat(30)).unwrap();
    for key in &keys {
        on_key(&mut app, key);
        settle(&mut app);
    }
    // The list's first row inside its border is screen row 1.
    click(&mut app, 5, 1);
    assert_eq!(selected_title(&app), "note 010");
}

fn on_key(app: &mut App, key: &crossterm::event::KeyEvent) {
    app.update(Msg::Key(*key));
}

/// A click at a screen cell.
fn click(app: &mut App, column: u16, row: u16) {
    app.update(Msg::Mouse(crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column,
        row,
        modifiers: crossterm::event::KeyModifiers::NONE,
    }));
}

/// The catalog of a vault read again, as the loader sends it.
fn reload(app: &mut App, vault: Vault) {
    app.update(Msg::Loaded {
        catalog: Catalog::build(vault),
        initial: false,
        next: None,
    });
    settle(app);
}

fn selected_title(app: &App) -> String {
    app.vault().notes[app.selected_note().unwrap()]
        .title
        .clone()
}

#[test]
fn keys_typed_together_search_once_and_open_the_right_note() {
    // No frame between the keys (a paste): Enter must still open the best hit for the
    // whole query, not for what was typed when the last search ran.
    let mut app = new_app(starter(), (100, 30));
    for key in parse_keys("/vpcsm<Enter>").unwrap() {
        on_key(&mut app, &key);
    }
    assert_eq!(
        app.vault().notes[app.selected_note().unwrap()].stem,
        "sagemaker-vpc-privatelink-security"
    );
}

#[test]
fn reading_the_vault_again_keeps_the_note_and_its_place() {
    let dir = numbered_vault(5);
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (80, 24));
    keys_then_prepare(&mut app, "jj2<C-d>");
    let scroll = app.content().scroll();
    assert!(scroll > 0);
    // A note sorted before the selected one appears, and the selected one grows.
    std::fs::write(
        dir.path().join("a-first.md"),
        "---\ntitle: a first\n---\nhi\n",
    )
    .unwrap();
    let mut grown = std::fs::read_to_string(dir.path().join("note-002.md")).unwrap();
    grown.push_str("a new last line\n");
    std::fs::write(dir.path().join("note-002.md"), grown).unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    assert_eq!(selected_title(&app), "note 002");
    assert_eq!(app.content().scroll(), scroll);
    assert!(
        app.content()
            .shown()
            .unwrap()
            .text
            .contains("a new last line")
    );
    // When the selected note is removed, the selection stays in range.
    std::fs::remove_file(dir.path().join("note-002.md")).unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    assert!(app.list().selected_index() < app.list().visible().len());
    assert_eq!(app.content().scroll(), 0);
}

#[test]
fn the_first_frame_shows_a_gauge_while_the_vault_loads() {
    let mut app = new_app(Vault::default(), (100, 10));
    app.update(Msg::Loading(Loading {
        stage: "reading notes",
        read: 300,
        found: 1000,
    }));
    let text = fresh_frame(&mut app);
    assert!(text.contains("reading notes ▰▰▰▱▱▱▱▱▱▱ 300/1000"), "{text}");
    assert!(text.contains("Reading the vault…"), "{text}");
}

#[test]
fn a_note_written_outside_the_app_shows_up() {
    let dir = numbered_vault(3);
    let root = Vault::open_root(dir.path()).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let _loader = vaultscope::tui::loader::Loader::start(
        root.clone(),
        vaultscope::vault::TitleRule::FileName,
        tx,
    );
    let mut app = new_app(
        Vault {
            root,
            ..Vault::default()
        },
        (80, 24),
    );
    app.update(Msg::Loading(Loading {
        stage: "reading notes",
        read: 0,
        found: 0,
    }));
    // What the loop does: every message the loader sends goes into the app.
    let wait_for = |app: &mut App, what: &dyn Fn(&App) -> bool| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !what(app) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let msg = rx.recv_timeout(left).expect("timed out");
            app.update(msg);
            settle(app);
        }
    };
    wait_for(&mut app, &|a| {
        a.loading().is_none() && a.vault().depth == vaultscope::vault::Depth::Full
    });
    assert_eq!(app.vault().notes.len(), 3);
    assert!(app.watching());
    on_key(&mut app, &parse_keys("j").unwrap()[0]);
    std::fs::write(dir.path().join("new.md"), "---\ntitle: brand new\n---\n").unwrap();
    wait_for(&mut app, &|a| a.vault().notes.len() == 4);
    assert!(app.vault().notes.iter().any(|n| n.title == "brand new"));
    assert_eq!(selected_title(&app), "note 001");
    std::fs::remove_file(dir.path().join("note-000.md")).unwrap();
    wait_for(&mut app, &|a| a.vault().notes.len() == 3);
    assert_eq!(selected_title(&app), "note 001");
}

// Regressions found by review.

fn keys_then_prepare(app: &mut App, keys: &str) {
    for key in parse_keys(keys).unwrap() {
        on_key(app, &key);
        settle(app);
    }
}

fn fresh_frame(app: &mut App) -> String {
    settle(app);
    buffer_text(&frame(app, Styles::new(false)))
}

fn one_note(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    dir
}

#[test]
fn a_snapshot_is_the_last_frame_alone() {
    // Wide characters scrolled away must not leave cells behind in the printed screen.
    let keys = "/vpcsm<Enter>G";
    let multi = snapshot(starter(), 100, 20, &parse_keys(keys).unwrap()).unwrap();
    let mut app = new_app(starter(), (100, 20));
    keys_then_prepare(&mut app, keys);
    assert_eq!(multi, fresh_frame(&mut app));
}

#[test]
fn an_edit_names_the_file_so_a_reload_cannot_misdirect_it() {
    let dir = numbered_vault(5);
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (80, 24));
    keys_then_prepare(&mut app, "G");
    on_key(&mut app, &parse_keys("e").unwrap()[0]);
    let edit = app.take_effects().into_iter().find_map(|e| match e {
        Effect::Edit(file) => Some(file),
        _ => None,
    });
    let file = edit.expect("an edit request");
    // The request names the file: a reload before the loop gets to it changes nothing.
    std::fs::remove_file(dir.path().join("note-000.md")).unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    assert!(file.ends_with("note-004.md"), "{file:?}");
    assert_eq!(selected_title(&app), "note 004");
}

#[test]
fn a_scroll_kept_over_a_reload_stays_with_its_note() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        let body: String = (0..60).map(|l| format!("line {l}\n\n")).collect();
        std::fs::write(
            dir.path().join(format!("note-{i:03}.md")),
            format!("---\ntitle: note {i:03}\ntags: [t]\n---\n{body}"),
        )
        .unwrap();
    }
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (80, 24));
    keys_then_prepare(&mut app, "4<Space>1jj2<C-d><C-d>");
    assert!(app.content().scroll() > 0);
    // note-002 loses the tag: the filter hides it, note 000 is selected, from its top.
    let p = dir.path().join("note-002.md");
    let t = std::fs::read_to_string(&p)
        .unwrap()
        .replace("tags: [t]", "tags: [u]");
    std::fs::write(&p, t).unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    assert_eq!(selected_title(&app), "note 000");
    assert_eq!(app.content().scroll(), 0);
}

#[test]
fn diagram_scrolls_stay_inside_the_diagram() {
    // A chain of 40 nodes laid out top to bottom is far taller than the pane.
    let chain: Vec<String> = (0..40).map(|i| format!("n{i}")).collect();
    let dir = one_note(
        "d.md",
        &format!("---\ntitle: d\n---\n```\n{}\n```\n", chain.join(" -> ")),
    );
    let p = dir.path().join("d.md");
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (80, 24));
    keys_then_prepare(&mut app, &format!("3{}", "<PgDn>".repeat(60)));
    let (_, d) = app.diagram().current(&app.note_diagrams()).unwrap();
    let max = d.canvas.height + d.canvas.legend.len() - app.view().diagram_rows;
    assert_eq!(app.diagram().scroll(), max, "stops at the end");
    assert!(fresh_frame(&mut app).contains("n39"));
    // The cursor brings its node into view.
    keys_then_prepare(&mut app, "<Home>j");
    assert!(app.diagram().scroll() < 5, "{}", app.diagram().scroll());
    // The diagram shrinks on disk: the kept scroll is clamped, the pane not blank.
    keys_then_prepare(&mut app, &"<PgDn>".repeat(60));
    std::fs::write(&p, "---\ntitle: d\n---\n```\nshort -> chain\n```\n").unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    assert!(fresh_frame(&mut app).contains("short"));
}

#[test]
fn horizontal_scroll_keeps_columns_under_wide_characters() {
    let dir = one_note(
        "w.md",
        "---\ntitle: w\n---\n```mermaid\ngraph LR\nA[가나다라마바사아] --> B[보안 그룹 설정] --> C[라우팅 테이블] --> D[프라이빗 DNS]\n```\n",
    );
    let vault = Vault::load(dir.path()).unwrap();
    // Walk the chain (laid out top to bottom, as 50 columns cannot hold it left to right) so
    // the view moves over the Korean labels; 14 columns cannot hold its boxes either, and the
    // view pans sideways over them.
    for cols in [50, 14] {
        for keys in ["3z", "3zj", "3zjj", "3zjjj", "3zjjjl", "3zjjjll"] {
            let text = snapshot(vault.clone(), cols, 12, &parse_keys(keys).unwrap()).unwrap();
            for line in text.lines() {
                assert!(width(line) <= cols as usize, "{keys}: {line:?}");
                assert!(!line.contains('\u{fffd}'), "{keys}: {line:?}");
            }
        }
    }
    let last = snapshot(vault, 50, 12, &parse_keys("3zjjj").unwrap()).unwrap();
    assert!(last.contains("프라이빗 DNS"), "{last}");
}

#[test]
fn a_highlighted_match_keeps_combining_marks() {
    let dir = one_note("a.md", "---\ntitle: \"e\u{301}cole\"\n---\n");
    let s = snapshot(
        Vault::load(dir.path()).unwrap(),
        60,
        12,
        &parse_keys("/ec").unwrap(),
    )
    .unwrap();
    let hit = s.lines().find(|l| l.contains("cole") && !l.contains('#'));
    assert!(
        s.lines().all(|l| !l.contains("│ecole")),
        "the accent was dropped:\n{s}"
    );
    assert!(hit.is_some(), "{s}");
}

#[test]
fn clicks_on_borders_only_focus() {
    let dir = numbered_vault(100);
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (80, 24));
    // 80x24: the list's border is rows 0 and 22, its 21 rows inside are 1..=21.
    click(&mut app, 5, 0);
    assert_eq!(app.list().selected_index(), 0);
    click(&mut app, 5, 22);
    assert_eq!(app.list().selected_index(), 0);
    // A row past the pane's last (a stale click) selects nothing.
    app.click(vaultscope::tui::panes::Pane::List, 21);
    assert_eq!(app.list().selected_index(), 0);
    click(&mut app, 5, 21);
    assert_eq!(app.list().selected_index(), 20);
}

#[test]
fn popups_scroll_to_their_end_and_no_further() {
    let mut app = new_app(starter(), (100, 30));
    keys_then_prepare(&mut app, &format!("?{}", "j".repeat(200)));
    let screen = fresh_frame(&mut app);
    assert!(
        screen.contains("close (so does any other key)"),
        "the help's last line shows:\n{screen}"
    );
    keys_then_prepare(&mut app, "g");
    assert!(fresh_frame(&mut app).contains("Everywhere"));
    // The overlay's hints are the overlay's keys.
    let status = fresh_frame(&mut app).lines().last().unwrap().to_owned();
    assert!(
        status.contains("j scroll") && status.contains("Esc close") && !status.contains("search"),
        "{status}"
    );
}

#[test]
fn ctrl_c_quits_from_the_search_popup() {
    assert!(!screen(80, 24, "/vp<C-c>/zz").contains("> zz"));
    let mut app = new_app(starter(), (80, 24));
    keys_then_prepare(&mut app, "/vp<C-c>");
    assert!(app.quit());
}

#[test]
fn the_diagram_pane_walks_a_notes_diagrams() {
    let dir = one_note(
        "two.md",
        "---\ntitle: two\n---\n```\n[A] → [B]\n```\ntext\n```mermaid\ngraph LR\nX-->Y\n```\n",
    );
    let vault = Vault::load(dir.path()).unwrap();
    let first = snapshot(vault.clone(), 200, 50, &parse_keys("3").unwrap()).unwrap();
    assert!(
        first.contains("3 Diagram 1/2") && first.contains("[A] → [B]"),
        "{first}"
    );
    let second = snapshot(vault.clone(), 200, 50, &parse_keys("3]").unwrap()).unwrap();
    // The content pane draws the Mermaid block in place, numbered as the diagram pane is.
    assert!(
        second.contains("3 Diagram 2/2") && second.contains("◆ diagram 2/2 · D source"),
        "{second}"
    );
    let wrapped = snapshot(vault, 200, 50, &parse_keys("3[").unwrap()).unwrap();
    assert!(wrapped.contains("3 Diagram 2/2"), "{wrapped}");
}

#[test]
fn tags_start_collapsed_when_the_vault_arrives_after_the_first_frame() {
    // The explorer starts on an empty vault and gets the notes from the loader.
    let mut app = new_app(Vault::default(), (200, 50));
    reload(&mut app, starter());
    let roots = app.tags().rows().iter().filter(|r| r.depth == 0).count();
    assert_eq!(app.tags().rows().len(), roots, "only the roots show");
    // Expanding one survives a reload.
    keys_then_prepare(&mut app, "4<Enter>");
    let open = app.tags().rows().len();
    assert!(open > roots);
    reload(&mut app, starter());
    assert_eq!(app.tags().rows().len(), open);
}

fn new_app(vault: Vault, size: (u16, u16)) -> App {
    let mut app = App::new(vault, size);
    app.set_now(NOW);
    settle(&mut app);
    app
}

#[test]
fn the_outline_jumps_to_a_heading() {
    let outline = screen(100, 30, "/vpcsm<Enter>o");
    assert!(outline.contains("Outline · 10"), "{outline}");
    // The fourth heading; Enter puts it at the top of the content.
    let jumped = screen(100, 30, "/vpcsm<Enter>ojjj<Enter>");
    let first_content_row = jumped.lines().nth(1).unwrap();
    assert!(
        first_content_row.contains("PrivateLink가 금융 서비스 보안 요구사항에 적합한 이유"),
        "{jumped}"
    );
}

#[test]
fn find_in_the_note_counts_and_walks_matches() {
    let typed = screen(100, 30, "/vpcsm<Enter>fprivatelink");
    assert!(typed.contains("find: privatelink   13 matches"), "{typed}");
    let walked = screen(100, 30, "/vpcsm<Enter>fprivatelink<Enter>nnn");
    assert!(walked.contains("· find 3/13 "), "{walked}");
    let back = screen(100, 30, "/vpcsm<Enter>fprivatelink<Enter>nnnN");
    assert!(back.contains("· find 2/13 "), "{back}");
    // Esc forgets the matches.
    let cancelled = screen(100, 30, "/vpcsm<Enter>fprivatelink<Esc>");
    assert!(
        !cancelled.lines().next().unwrap().contains("find"),
        "{cancelled}"
    );
    let mut app = new_app(starter(), (100, 30));
    keys_then_prepare(&mut app, "/vpcsm<Enter>fsagemaker<Enter>n");
    let f = app.content().find().unwrap();
    let m = f.matches[f.current.unwrap()];
    assert!(m.end - m.start == "sagemaker".len());
}

#[test]
fn links_are_followed_and_history_goes_back_and_forth() {
    // The first note's first link is [[kms-key-policy]].
    let path = |s: &str| s.lines().next().unwrap().to_owned();
    assert!(path(&screen(100, 30, "2]<Enter>")).contains("kms-key-policy.md"));
    assert!(path(&screen(100, 30, "2]<Enter>H")).contains("amazon-s3.md"));
    assert!(path(&screen(100, 30, "2]<Enter>HL")).contains("kms-key-policy.md"));
    assert!(screen(100, 30, "H").contains("nothing to go back to"));
    // The chosen link is shown reversed; Enter without one says how to choose.
    assert!(screen(100, 30, "2<Enter>").contains("no link chosen"));
}

#[test]
fn backlinks_list_the_notes_linking_here_and_open_them() {
    let vault = starter();
    let id = vault.find("privatelink").unwrap();
    let n = vault.backlinks[id].len();
    assert!(n > 0);
    let list = screen(100, 30, "/privatelink<Enter>b");
    assert!(list.contains(&format!("Linking here · {n}")), "{list}");
    let first = &vault.notes[vault.backlinks[id][0]].path;
    let opened = screen(100, 30, "/privatelink<Enter>b<Enter>");
    assert!(
        opened.lines().next().unwrap().contains(first.as_str()),
        "{opened}"
    );
}

#[test]
fn marks_land_on_display_columns() {
    use ratatui::style::{Modifier, Style};
    use ratatui::text::{Line, Span};
    let line = Line::from(vec![Span::raw("보안 "), Span::raw("abc def")]);
    let hot = Style::new().add_modifier(Modifier::REVERSED);
    // 보 is columns 0-1, 안 2-3, the space 4, then a b c at 5, 6, 7.
    let marked = vaultscope::tui::panes::content::mark_columns(&line, &[(5, 8, hot)]);
    let reversed: String = marked
        .spans
        .iter()
        .filter(|s| s.style.add_modifier.contains(Modifier::REVERSED))
        .map(|s| s.content.as_ref())
        .collect();
    assert_eq!(reversed, "abc");
    let all = marked.to_string();
    assert_eq!(all, "보안 abc def");
}

#[test]
fn the_seed_diagram_is_drawn_walked_and_opens_notes() {
    // Boxes and arrows in the zoomed diagram pane.
    let drawn = screen(120, 30, "/vpcsm<Enter>3z");
    for box_line in [
        "│ Private Subnet ├",
        "│ VPC Endpoint ├",
        "│ Service Access │",
    ] {
        assert!(drawn.contains(box_line), "{box_line}:\n{drawn}");
    }
    assert!(drawn.contains("▶") && drawn.contains("▼"), "{drawn}");
    // The cursor starts top left and walks along edges.
    let walked = screen(120, 30, "/vpcsm<Enter>3zjl");
    assert!(walked.contains("3 Diagram 1/1 · VPC Endpoint"), "{walked}");
    assert!(
        walked.contains("→ PrivateLink, Interface Endpoint   ← Private Subnet"),
        "{walked}"
    );
    let down = screen(120, 30, "/vpcsm<Enter>3zjlj");
    assert!(down.contains("· Interface Endpoint"), "{down}");
    // Enter opens the note about the node. (Zoomed, so the author's grid fits: unzoomed the
    // pane is too narrow for it and shows the picture laid out top to bottom.)
    let opened = screen(120, 30, "/vpcsm<Enter>3zjl<Enter>");
    assert!(
        opened
            .lines()
            .next()
            .unwrap()
            .contains("interface-vs-gateway-endpoints.md"),
        "{opened}"
    );
    // Private Subnet has a note of its own (its alias).
    let subnet = screen(120, 30, "/vpcsm<Enter>3j<Enter>");
    assert!(
        subnet.lines().next().unwrap().contains("private-subnet.md"),
        "{subnet}"
    );
    // A node no note is about says so.
    let none = screen(120, 30, "/vpcsm<Enter>3zjlll<Enter>");
    assert!(
        none.contains("no note is about \"SageMaker Service\""),
        "{none}"
    );
    // c switches to compact [labels]; at 80x24 compact is chosen on its own.
    assert!(screen(120, 30, "/vpcsm<Enter>3zc").contains("[Private Subnet]"));
    assert!(screen(80, 24, "/vpcsm<Enter>3").contains("[Private Subnet]"));
}

#[test]
fn a_look_chosen_with_c_holds_for_its_diagram_and_the_next_note_is_fitted_again() {
    // 200x50: the seed's boxes overflow the diagram pane, so compact is chosen on its own;
    // c c on it ends on compact [labels] again, chosen by hand.
    let seed = screen(200, 50, "/vpcsm<Enter>3cc");
    assert!(seed.contains("[Private Subnet]"), "{seed}");
    // The next note's boxes fit the pane: they show, the hand-made choice gone with its
    // diagram (it used to hold and force [labels] on every note after).
    let next = screen(200, 50, "/vpcsm<Enter>3cc/amazon-vpc<Enter>3");
    assert!(next.contains("│ Private Subnet │"), "{next}");
    assert!(!next.contains("[Private Subnet]"), "{next}");
    // Forced boxes do not follow either: at 80x24 a note whose boxes overflow is fitted
    // with [labels] although the seed was switched to boxes.
    let fitted = screen(80, 24, "/vpcsm<Enter>3c/centralized<Enter>3");
    assert!(fitted.contains("[SageMaker Notebook]"), "{fitted}");
    // On the same diagram c still switches, and switching back returns its first look.
    assert!(screen(80, 24, "/centralized<Enter>3c").contains("│ SageMaker Notebook │"));
    assert!(screen(80, 24, "/centralized<Enter>3cc").contains("[SageMaker Notebook]"));
}

#[test]
fn the_architecture_map_follows_the_tag_filter() {
    let all = screen(200, 50, "M");
    assert!(all.contains("3 Map · "), "{all}");
    let security = screen(200, 50, "4jjjj<Space>M");
    let count = |s: &str| -> usize {
        let at = s.find("3 Map · ").unwrap() + "3 Map · ".len();
        s[at..].split('/').next().unwrap().parse().unwrap()
    };
    assert!(count(&security) < count(&all), "the filter narrows the map");
    // The focus on a component lists the notes whose diagrams draw it.
    let walked = screen(200, 50, "M<Enter>");
    assert!(walked.contains("in: "), "{walked}");
    // M again shows the note's diagrams.
    assert!(screen(200, 50, "MM").contains("3 Diagram"));
}

#[test]
fn study_screens_read_well() {
    insta::assert_snapshot!("study_question_100x40", screen(100, 40, "/vpcsm<Enter>a"));
    insta::assert_snapshot!("study_feedback_100x40", screen(100, 40, "/vpcsm<Enter>ab"));
    insta::assert_snapshot!(
        "study_summary_100x24",
        screen(100, 24, "/vpcsm<Enter>ab<Enter>")
    );
    // On a small screen the feedback scrolls into view, C marked and the explanation shown.
    let small = screen(80, 24, "/vpcsm<Enter>ab");
    insta::assert_snapshot!("study_feedback_80x24", small);
    assert!(small.contains("✓ C)") && small.contains("✗ Wrong (B)") && small.contains("경"));
    // The arrows scroll back up to the prompt.
    let up = screen(80, 24, &format!("/vpcsm<Enter>ab{}", "<Up>".repeat(12)));
    assert!(up.contains("A financial services firm"), "{up}");
}

#[test]
fn a_study_session_follows_the_filter_grades_and_schedules() {
    // The tag filter decides the questions: security has 16 of them... at least the seed's.
    let filtered = screen(100, 24, "4jjjj<Space>s");
    assert!(filtered.contains("Study · #security · 1/"), "{filtered}");
    // Right answer.
    let right = screen(100, 40, "/vpcsm<Enter>ac");
    assert!(right.contains("✓ Right"), "{right}");
    // The missed one is due again minutes later; a right one is not.
    let vault = starter();
    let mut app = new_app(vault, (100, 40));
    keys_then_prepare(&mut app, "/vpcsm<Enter>ab<Enter><Esc>");
    assert!(app.study().session().is_none() && app.popup().is_none());
    keys_then_prepare(&mut app, "/nat-gateway<Enter>a");
    let nat_q = app.study().session().unwrap().current().unwrap().clone();
    let nq = &app.vault().notes[nat_q.note].questions[nat_q.index].clone();
    let answer = nq.answer.first().cloned().unwrap_or_else(|| "A".into());
    if nq.options.is_empty() {
        keys_then_prepare(&mut app, "<Space>3<Enter><Esc>");
    } else {
        keys_then_prepare(&mut app, &format!("{}<Enter><Esc>", answer.to_lowercase()));
    }
    app.set_now(app.now() + 5 * 60);
    keys_then_prepare(&mut app, "d");
    let due: Vec<String> = app
        .study()
        .session()
        .unwrap()
        .questions
        .iter()
        .map(|q| q.id.clone())
        .collect();
    let seed = app
        .vault()
        .find("sagemaker-vpc-privatelink-security")
        .unwrap();
    let seed_id = vaultscope::study::card_id(
        &app.vault().notes[seed].path,
        &app.vault().notes[seed].questions[0].prompt,
    );
    assert!(due.contains(&seed_id), "the missed question is due");
    assert!(!due.contains(&nat_q.id), "the right one is not");
    // Nothing was written anywhere: snapshots and App tests keep progress in memory.
    assert!(app.progress().cards.len() >= 2);
}

#[test]
fn open_questions_reveal_then_take_a_grade_and_sessions_pause_for_the_note() {
    let vault = starter();
    let (note, idx) = vault
        .notes
        .iter()
        .enumerate()
        .find_map(|(i, n)| {
            n.questions
                .iter()
                .position(|q| q.options.is_empty())
                .map(|q| (i, q))
        })
        .expect("an open question in the starter vault");
    let path = vault.notes[note].path.clone();
    let mut app = new_app(vault, (100, 40));
    keys_then_prepare(&mut app, &format!("/{}<Enter>a", vault_stem(&path)));
    for _ in 0..idx {
        // A multiple-choice one: c answers and 3 grades (and goes on); an open one: Space
        // reveals, 3 grades, Enter goes on.
        keys_then_prepare(&mut app, "<Space>c3<Enter>");
    }
    let before = fresh_frame(&mut app);
    assert!(before.contains("Space shows the answer"), "{before}");
    keys_then_prepare(&mut app, "<Space>");
    assert!(fresh_frame(&mut app).contains("1 again · 2 hard · 3 good · 4 easy"));
    keys_then_prepare(&mut app, "3");
    assert!(fresh_frame(&mut app).contains("✓ Right"));
    // Tab leaves for the note; s comes back to the same question.
    keys_then_prepare(&mut app, "<Tab>");
    assert!(app.popup().is_none());
    assert!(fresh_frame(&mut app).contains("study paused"));
    keys_then_prepare(&mut app, "s");
    assert!(fresh_frame(&mut app).contains("✓ Right"));
    // The progress overlay counts the answer.
    keys_then_prepare(&mut app, "<Esc><Esc>P");
    let progress = fresh_frame(&mut app);
    assert!(
        progress.contains("Streak: 1 day(s)") && progress.contains("answers"),
        "{progress}"
    );
}

fn vault_stem(path: &str) -> String {
    path.rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".md")
        .to_owned()
}

#[test]
fn a_reload_during_a_session_finds_its_questions_again() {
    let dir = tempfile::tempdir().unwrap();
    let q = |n: usize| {
        format!(
            "**Question:** Which {n}?\n\n**Options:**\n\n- A) one\n- B) two\n\n**정답: A) one**\n\n"
        )
    };
    std::fs::write(dir.path().join("a.md"), format!("# A\n\n{}{}", q(1), q(2))).unwrap();
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (100, 30));
    keys_then_prepare(&mut app, "s");
    assert_eq!(app.study().session().unwrap().questions.len(), 2);
    keys_then_prepare(&mut app, "a<Enter>");
    // A question is inserted above the one being asked: the session follows it by its card.
    std::fs::write(
        dir.path().join("a.md"),
        format!("# A\n\n{}{}{}", q(0), q(1), q(2)),
    )
    .unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    let s = app.study().session().unwrap();
    let cur = s.current().unwrap();
    assert_eq!(
        app.vault().notes[cur.note].questions[cur.index].prompt,
        "Which 2?"
    );
    assert!(fresh_frame(&mut app).contains("Which 2?"));
    // The question being asked disappears: the session ends, nothing panics.
    std::fs::write(dir.path().join("a.md"), format!("# A\n\n{}", q(0))).unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    let frame = fresh_frame(&mut app);
    assert!(
        frame.contains("done") || frame.contains("session ended"),
        "{frame}"
    );
}

/// A vault of `n` notes that link to each other, draw diagrams naming each other, carry a
/// question each, and two of which share an alias that a diagram node names (so Enter on that
/// node offers a choice).
fn linked_vault(dir: &Path, n: usize) {
    for i in 0..n {
        let next = (i + 1) % n;
        let alias = if i < 2 { "aliases: [shared]\n" } else { "" };
        let body: String = (0..30).map(|l| format!("line {l} of {i}\n\n")).collect();
        std::fs::write(
            dir.join(format!("note-{i:02}.md")),
            format!(
                "---\ntitle: note {i:02}\ntags: [t/{}]\n{alias}---\n# Head {i}\n\nSee [[note-{next:02}]].\n\n\
                 ```\n[note {i:02}] -> [note {next:02}] -> [shared]\n```\n\n{body}\
                 **Question:** Which {i}?\n\n**Options:**\n\n- A) one\n- B) two\n\n**정답: A) one**\n",
                i % 3
            ),
        )
        .unwrap();
    }
}

/// What a view must look like after a reload.
enum After {
    /// Still open, showing this.
    Open(&'static str),
    /// Closed, the status line saying this.
    Closed(&'static str),
    /// The map still shown in the diagram pane.
    Map,
    /// No popup, but the study session still there (`s` goes back to it).
    Paused,
}

#[test]
fn a_vault_that_shrinks_or_empties_under_every_open_view_breaks_nothing() {
    use After::*;
    // Each view: the keys that open it, and what it must be after a reload that keeps two
    // notes (00 and 01) and after one that keeps none.
    let views: &[(&str, &str, After, After)] = &[
        ("map with a node chosen", "Mjl", Map, Map),
        (
            "chooser",
            "3jll<Enter>",
            Open("Notes about this node · 2"),
            Closed("the notes to choose from are gone"),
        ),
        (
            "search",
            "/note",
            Open("Search names · 2"),
            Open("Search names · 0"),
        ),
        ("find", "2fline", Open("find: line"), Open("find: line")),
        ("study", "s", Open("Which 0?"), Open("done")),
        (
            "study paused on a note",
            "sa<Tab>",
            Paused,
            Closed("the session ended"),
        ),
        (
            "backlinks",
            "G2b",
            Closed("the note is gone"),
            Closed("the note is gone"),
        ),
        (
            "outline",
            "2o",
            Open("Outline · 1"),
            Closed("the outline's note is not shown any more"),
        ),
        ("help", "?", Open("Keys ·"), Open("Keys ·")),
        ("problems", "!", Open("Problems ·"), Open("Problems ·")),
        (
            "progress",
            "P",
            Open("Study progress"),
            Open("Study progress"),
        ),
        ("tag filter and map", "4<Space>M", Map, Map),
    ];
    // Every cursor key, in whatever is open, then in every pane after closing it.
    let walk = "jkhl<Down><Up><Left><Right>gG<PgDn><PgUp><C-d><C-u>";
    let after = format!(
        "{walk}<Esc><Esc>1{walk}2{walk}]<Enter>[3{walk}<Enter>][c t4{walk}<Enter><Space>M{walk}M"
    );
    for (keep, which) in [(2, 0), (0, 1)] {
        for (name, keys, two, none) in views {
            let expect = if which == 0 { two } else { none };
            let dir = tempfile::tempdir().unwrap();
            linked_vault(dir.path(), 12);
            let mut app = new_app(Vault::load(dir.path()).unwrap(), (120, 36));
            keys_then_prepare(&mut app, keys);
            let open = app.popup().is_some() || app.study().session().is_some();
            assert!(open || app.diagram().showing_map(), "{name}: not open");
            for i in keep..12 {
                std::fs::remove_file(dir.path().join(format!("note-{i:02}.md"))).unwrap();
            }
            reload(&mut app, Vault::load(dir.path()).unwrap());
            let screen = fresh_frame(&mut app);
            let status = app.status().unwrap_or_default().to_owned();
            let what = format!("{name} ({keep} left), status {status:?}:\n{screen}");
            assert_eq!(app.vault().notes.len(), keep);
            match expect {
                Open(marker) => {
                    assert!(app.popup().is_some(), "closed: {what}");
                    assert!(screen.contains(marker), "no {marker:?}: {what}");
                }
                Closed(why) => {
                    assert!(app.popup().is_none(), "still open: {what}");
                    assert!(status.contains(why), "no {why:?}: {what}");
                }
                Map => {
                    assert!(app.diagram().showing_map(), "{what}");
                    assert!(screen.contains("3 Map · "), "{what}");
                }
                Paused => {
                    assert!(app.popup().is_none() && app.study().in_progress(), "{what}");
                    keys_then_prepare(&mut app, "s");
                    assert!(
                        fresh_frame(&mut app).contains("Study · all notes"),
                        "{what}"
                    );
                    keys_then_prepare(&mut app, "<Esc><Esc>");
                }
            }
            for key in parse_keys(&after).unwrap() {
                on_key(&mut app, &key);
                settle(&mut app);
                let screen = fresh_frame(&mut app);
                assert_eq!(screen.lines().count(), 36, "{name}");
            }
        }
    }
}

#[test]
fn answers_that_arrive_after_a_reload_are_not_taken_for_the_new_vault() {
    // Work handed out for one catalog, finished only after the next one arrived: a note's
    // rendering, its diagram, the map, search hits, a session's questions.
    let dir = tempfile::tempdir().unwrap();
    linked_vault(dir.path(), 12);
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (200, 50));
    keys_then_prepare(&mut app, "G");
    app.update(Msg::Key(parse_keys("M").unwrap()[0]));
    app.update(Msg::Key(parse_keys("k").unwrap()[0]));
    let mut stale: Vec<_> = app.take_effects();
    app.update(Msg::Key(parse_keys("s").unwrap()[0]));
    stale.extend(app.take_effects());
    for k in parse_keys("/note 1").unwrap() {
        app.update(Msg::Key(k));
    }
    stale.extend(app.take_effects());
    assert!(stale.len() >= 4, "{} jobs", stale.len());
    // Ten notes go; the new catalog arrives before any of that work is done.
    for i in 2..12 {
        std::fs::remove_file(dir.path().join(format!("note-{i:02}.md"))).unwrap();
    }
    app.update(Msg::Loaded {
        catalog: Catalog::build(Vault::load(dir.path()).unwrap()),
        initial: false,
        next: None,
    });
    // Now the old answers come in, then the new work is done.
    for e in stale {
        if let Effect::Job(job) = e {
            app.update(job.run());
        }
    }
    settle(&mut app);
    let screen = fresh_frame(&mut app);
    // The search is for the new vault (notes 00 and 01 match "note 1"? only note 01, and
    // note 10/11 are gone), the map is the new vault's, the list holds two notes.
    assert!(screen.contains("1 Notes 2/2"), "{screen}");
    assert!(screen.contains("Search names · 1"), "{screen}");
    assert!(!screen.contains("note 11"), "{screen}");
    keys_then_prepare(&mut app, "<Enter>");
    assert_eq!(selected_title(&app), "note 01");
    // The session asked for before the reload was gathered again from the new vault.
    keys_then_prepare(&mut app, "<Esc>s");
    let study = fresh_frame(&mut app);
    assert!(study.contains("Study · all notes · 1/2"), "{study}");
}

#[test]
fn a_late_answer_of_a_closed_search_is_not_the_next_searchs() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["alpha", "charlie"] {
        std::fs::write(dir.path().join(format!("{name}.md")), "x\n").unwrap();
    }
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (100, 30));
    for k in parse_keys("/a").unwrap() {
        app.update(Msg::Key(k));
    }
    let old = app.take_effects();
    for k in parse_keys("<Esc>/c").unwrap() {
        app.update(Msg::Key(k));
    }
    let new = app.take_effects();
    for e in old.into_iter().chain(new) {
        if let Effect::Job(job) = e {
            app.update(job.run());
        }
    }
    keys_then_prepare(&mut app, "<Enter>");
    assert_eq!(selected_title(&app), "charlie");
}

#[test]
fn a_session_that_arrives_while_something_else_is_open_waits_for_s() {
    let mut app = new_app(starter(), (100, 30));
    app.update(Msg::Key(parse_keys("s").unwrap()[0]));
    let gather = app.take_effects();
    keys_then_prepare(&mut app, "/vp");
    for e in gather {
        if let Effect::Job(job) = e {
            app.update(job.run());
        }
    }
    settle(&mut app);
    assert!(fresh_frame(&mut app).contains("> vp"), "the search stays");
    assert_eq!(app.status(), Some("the study session is ready: s opens it"));
    keys_then_prepare(&mut app, "<Esc>s");
    assert!(fresh_frame(&mut app).contains("Study · all notes · 1/"));
}

#[test]
fn the_progress_overlay_scrolls() {
    let mut app = new_app(starter(), (60, 10));
    keys_then_prepare(&mut app, "P");
    let top = fresh_frame(&mut app);
    assert!(top.contains("Streak"), "{top}");
    keys_then_prepare(&mut app, "jjj");
    let down = fresh_frame(&mut app);
    assert!(
        !down.contains("Streak") && down.contains("Study progress"),
        "{down}"
    );
}

#[test]
fn a_chosen_link_is_forgotten_when_the_note_is_read_again() {
    let dir = one_note("a.md", "# A\n\nsee [[bbb]] and [[ccc]]\n");
    std::fs::write(dir.path().join("bbb.md"), "# bbb\n").unwrap();
    std::fs::write(dir.path().join("ccc.md"), "# ccc\n").unwrap();
    std::fs::write(dir.path().join("aaa.md"), "# aaa\n").unwrap();
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (100, 30));
    // a.md sorts first by title ("A"); choose its first link, [[bbb]].
    keys_then_prepare(&mut app, "2]");
    assert!(app.content().link_cursor().is_some());
    // A link is added in front of it: the old index would now be [[aaa]].
    std::fs::write(
        dir.path().join("a.md"),
        "# A\n\nsee [[aaa]], [[bbb]] and [[ccc]]\n",
    )
    .unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    assert_eq!(app.content().link_cursor(), None);
    keys_then_prepare(&mut app, "<Enter>");
    assert!(fresh_frame(&mut app).contains("no link chosen"));
}

#[test]
fn a_reload_maps_what_it_can_and_closes_what_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    linked_vault(dir.path(), 12);
    // The chooser lists note 00 and note 01 (both are "shared").
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (120, 36));
    keys_then_prepare(&mut app, "3jll<Enter>");
    let chooser = fresh_frame(&mut app);
    assert!(chooser.contains("Notes about this node · 2"), "{chooser}");
    assert!(chooser.contains("note 00  note-00.md") && chooser.contains("note 01  note-01.md"));
    // One of them goes: the chooser keeps the other, and Enter opens it.
    std::fs::remove_file(dir.path().join("note-01.md")).unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    let one = fresh_frame(&mut app);
    assert!(one.contains("Notes about this node · 1"), "{one}");
    assert!(
        one.contains("note 00  note-00.md") && !one.contains("note-01.md"),
        "{one}"
    );
    // Both go: it closes and says so.
    std::fs::remove_file(dir.path().join("note-00.md")).unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    assert!(app.popup().is_none());
    assert!(fresh_frame(&mut app).contains("the notes to choose from are gone"));
    // The map is built again for the new vault, the cursor on the same component.
    keys_then_prepare(&mut app, "Mj<Enter>");
    let map = fresh_frame(&mut app);
    let title = map.lines().next().unwrap().to_owned();
    assert!(
        title.contains("3 Map · focus ") && map.contains("in: note"),
        "{map}"
    );
    let chosen = app.diagram().map_selected().expect("a component chosen");
    for i in 2..10 {
        std::fs::remove_file(dir.path().join(format!("note-{i:02}.md"))).unwrap();
    }
    reload(&mut app, Vault::load(dir.path()).unwrap());
    let smaller = fresh_frame(&mut app);
    assert!(
        smaller.contains("3 Map · 4/4 components from 2 notes"),
        "{smaller}"
    );
    if app.diagram().map_has_label(&chosen) {
        assert_eq!(
            app.diagram().map_selected(),
            Some(chosen.clone()),
            "{smaller}"
        );
    } else {
        assert!(!smaller.contains("in: note"), "{smaller}");
    }
    // Enter focuses a component, Enter again opens one of the notes drawing it at its
    // diagram (or offers them).
    keys_then_prepare(&mut app, "<Enter><Enter>");
    let opened = fresh_frame(&mut app);
    assert!(
        opened.contains("Notes drawing this component") || opened.contains(" 3 Diagram 1/1 "),
        "{opened}"
    );
}

#[test]
fn a_coloured_snapshot_renders_the_note_in_colour_at_the_given_time() {
    // The colours and the time are set after the app starts: the first note, asked for at the
    // start, is rendered again with them. A year on, it was created two years ago.
    let buf = vaultscope::tui::snapshot_buffer(
        starter(),
        (120, 30),
        &[],
        Styles::new(true),
        NOW + 365 * 86_400,
    )
    .unwrap();
    let text = buffer_text(&buf);
    assert!(text.contains("created 2025-09-09 (2 years ago)"), "{text}");
    // Inside the content pane's border (columns 46-117 at 120x30; the borders are coloured
    // anyway) the text is coloured: headings, tags, links.
    let coloured = (1..28)
        .flat_map(|y| (46..118).map(move |x| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].fg != ratatui::style::Color::Reset)
        .count();
    assert!(coloured > 100, "{coloured} coloured cells");
}

#[test]
fn an_svg_snapshot_of_noncharacters_and_controls_in_titles_is_well_formed_xml() {
    // The list, the content header and the heading all show these titles.
    let dir = tempfile::tempdir().expect("temp dir");
    let titles = [
        "non\u{FFFF}char\u{FFFE}acters",
        "more \u{FDD0}\u{FDEF} and \u{1FFFF}\u{10FFFE} <&>",
        "ctl \u{1}\u{1b}[31m\u{7f}\u{9b} end",
    ];
    for (i, t) in titles.iter().enumerate() {
        // YAML escapes, so the front matter carries what a file could not.
        let yaml: String = t
            .chars()
            .map(|c| match c {
                ' '..='~' => c.to_string(),
                c if (c as u32) < 0x10000 => format!("\\u{:04X}", c as u32),
                c => format!("\\U{:08X}", c as u32),
            })
            .collect();
        let fm = format!("---\ntitle: \"{yaml}\"\naliases: [\"{yaml}\"]\n---\n# {t}\n");
        std::fs::write(dir.path().join(format!("n{i}.md")), fm).expect("write note");
    }
    std::fs::write(
        dir.path().join("h.md"),
        format!("# {}\n\nbody {}\n", titles[0], titles[1]),
    )
    .expect("write note");
    // h.md is titled by its heading.
    let vault = Vault::load(dir.path())
        .expect("vault")
        .with_titles(vaultscope::vault::TitleRule::Heading);
    let shown: Vec<&str> = vault.notes.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(
        shown,
        [titles[0], titles[0], titles[1], titles[2]],
        "{}",
        vault
            .problems
            .iter()
            .map(|p| format!("\n{p}"))
            .collect::<String>()
    );
    for keys in ["", "j", "jj", "/non<Enter>"] {
        let buf = vaultscope::tui::snapshot_buffer(
            vault.clone(),
            (100, 24),
            &parse_keys(keys).expect("keys"),
            Styles::new(true),
            NOW,
        )
        .expect("snapshot");
        let svg = vaultscope::tui::svg::buffer_svg(&buf);
        if let Err(e) = roxmltree::Document::parse(&svg) {
            panic!("keys {keys:?}: the SVG is not well-formed XML: {e}\n{svg}");
        }
        assert!(
            svg.contains("non\u{FFFD}char\u{FFFD}acters"),
            "keys {keys:?}: {svg}"
        );
    }
}

#[test]
fn tag_characters_in_aliases_never_reach_the_screen() {
    // "seen" then tags spelling "hidden", in an alias and a title.
    let hidden = "seen\u{E0068}\u{E0069}\u{E0064}\u{E0064}\u{E0065}\u{E006E}";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tagged.md"),
        format!("---\ntitle: Tag{hidden}\naliases: [\"{hidden}\"]\n---\nbody\n"),
    )
    .unwrap();
    let vault = Vault::load(dir.path()).unwrap();
    // The list and the content header, the search popup, and the note opened from it.
    for keys in ["", "/seen", "/seen<Enter>"] {
        let text = snapshot(vault.clone(), 120, 30, &parse_keys(keys).unwrap()).unwrap();
        assert!(
            !text
                .chars()
                .any(|c| ('\u{E0000}'..='\u{E007F}').contains(&c)),
            "{keys:?} let tag characters through:\n{text}"
        );
        assert!(text.contains("seen\u{FFFD}"), "{keys:?}:\n{text}");
    }
}

// Diagram blocks drawn in the content pane.

/// A vault of one note, a Mermaid flowchart with Korean and emoji labels between two
/// paragraphs (also the README's screenshot of it).
fn mermaid_vault() -> Vault {
    Vault::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inline-diagrams"))
        .expect("fixture vault")
}

/// The content pane's columns of a screen at `w` columns with the narrow layout (the list
/// takes the left 38%).
fn content_part(screen: &str, w: usize) -> String {
    let list = w * 38 / 100;
    screen
        .lines()
        .map(|l| {
            let cut = vaultscope::text::cut_columns(l, list);
            format!("{}\n", cut.trim_end())
        })
        .collect()
}

#[test]
fn a_mermaid_flowchart_is_drawn_in_the_content_pane() {
    let vault = mermaid_vault();
    // At 80x24 the drawing is laid out top down, taller than the pane: scrolled to it.
    for (w, h, keys, name) in [
        (80, 24, "2jjjjjjjjjjj", "inline_mermaid_80x24"),
        (120, 40, "2", "inline_mermaid_120x40"),
    ] {
        let text = snapshot(vault.clone(), w, h, &parse_keys(keys).unwrap()).unwrap();
        let content = content_part(&text, w as usize);
        // Drawn: the caption, boxes around the Korean labels, no Mermaid text.
        assert!(content.contains("◆ diagram 1/1 · D source"), "{text}");
        assert!(content.contains("│ 사용자 "), "{text}");
        assert!(content.contains('┌') && content.contains('┘'), "{text}");
        assert!(!text.contains("flowchart"), "{text}");
        for line in text.lines() {
            assert!(width(line) <= w as usize, "{line:?}");
        }
        insta::assert_snapshot!(name, text);
    }
    // At 120 columns the author's left-to-right layout fits; at 80 it is laid out top down.
    let wide = snapshot(vault.clone(), 120, 40, &parse_keys("2").unwrap()).unwrap();
    assert!(
        wide.contains("│ 사용자 ├──▶│ 로드 밸런서 ├──▶│ API 서버 ├"),
        "{wide}"
    );
    assert!(
        wide.contains("│ 데이터베이스 │") && wide.contains("│ 캐시 🚀 │"),
        "{wide}"
    );
}

#[test]
fn d_toggles_the_notes_diagrams_between_drawings_and_sources() {
    let vault = mermaid_vault();
    let keys = |k: &str| snapshot(vault.clone(), 80, 24, &parse_keys(k).unwrap()).unwrap();
    let drawn = content_part(&keys("2"), 80);
    assert!(
        drawn.contains("┌────────┐") && !drawn.contains("flowchart"),
        "{drawn}"
    );
    let source = content_part(&keys("2D"), 80);
    assert!(source.contains("│ flowchart LR"), "{source}");
    assert!(source.contains("╭─ ◆ diagram 1/1 · D drawing"), "{source}");
    assert!(
        source.contains("│   U[사용자] --> LB[로드 밸런서]"),
        "{source}"
    );
    assert!(!source.contains("┌────────┐"), "{source}");
    let again = content_part(&keys("2DD"), 80);
    assert_eq!(again, drawn, "D again draws it again");
    // The key is the content pane's: in the list it does nothing.
    assert!(!keys("D").contains("flowchart"));
}

#[test]
fn the_view_stays_on_a_diagram_when_it_turns_to_source() {
    let mut note = String::from("---\ntitle: long\n---\n");
    for i in 0..30 {
        note.push_str(&format!("paragraph {i}\n\n"));
    }
    note.push_str("```mermaid\nflowchart TB\n  A[시작] --> B[끝]\n```\n\nafter the diagram\n");
    let dir = one_note("long.md", &note);
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (80, 24));
    keys_then_prepare(&mut app, "2G");
    let before = fresh_frame(&mut app);
    assert!(
        before.contains("after the diagram") && before.contains("│ 시작 │"),
        "{before}"
    );
    keys_then_prepare(&mut app, "D");
    let after = fresh_frame(&mut app);
    assert!(after.contains("│ flowchart TB"), "{after}");
    assert!(after.contains("after the diagram"), "{after}");
}

#[test]
fn a_diagram_too_wide_for_the_pane_stays_source_and_says_where_it_is_drawn() {
    // Twelve boxes side by side under one: no drawing of it is narrower than the pane.
    let edges: String = (0..12)
        .map(|i| format!("  A[게이트웨이] --> S{i}[서비스 {i}]\n"))
        .collect();
    let note = format!("---\ntitle: wide\n---\n```mermaid\nflowchart TB\n{edges}```\n");
    let dir = one_note("wide.md", &note);
    let vault = Vault::load(dir.path()).unwrap();
    let text = snapshot(vault.clone(), 80, 24, &parse_keys("2").unwrap()).unwrap();
    let content = content_part(&text, 80);
    assert!(content.contains("│ flowchart TB"), "{text}");
    assert!(
        content.contains("╭─ ◆ diagram 1/1 · too wide: drawn in pane 3 ─"),
        "{text}"
    );
    // The key has nothing to draw and says why; the diagram pane draws it.
    let pressed = snapshot(vault.clone(), 80, 24, &parse_keys("2D").unwrap()).unwrap();
    assert!(
        pressed.contains("no diagram here fits the pane: the diagram pane (3) draws them · ? help"),
        "{pressed}"
    );
    assert!(
        content_part(&pressed, 80).contains("│ flowchart TB"),
        "{pressed}"
    );
    let pane = snapshot(vault, 80, 24, &parse_keys("3").unwrap()).unwrap();
    assert!(
        pane.contains("3 Diagram 1/1") && pane.contains("서비스 0"),
        "{pane}"
    );
}

#[test]
fn an_ascii_picture_shows_as_drawn_until_drawings_are_asked_for() {
    let note = "---\ntitle: pic\n---\n```\n[보안 그룹] ──▶ [VPC] ──▶ [서브넷]\n```\n";
    let dir = one_note("pic.md", note);
    let vault = Vault::load(dir.path()).unwrap();
    let first = content_part(
        &snapshot(vault.clone(), 80, 24, &parse_keys("2").unwrap()).unwrap(),
        80,
    );
    assert!(first.contains("╭─ ◆ diagram 1/1 · D drawing"), "{first}");
    assert!(
        first.contains("│ [보안 그룹] ──▶ [VPC] ──▶ [서브넷]"),
        "{first}"
    );
    let drawn = content_part(
        &snapshot(vault, 80, 24, &parse_keys("2D").unwrap()).unwrap(),
        80,
    );
    assert!(drawn.contains("◆ diagram 1/1 · D source"), "{drawn}");
    assert!(drawn.contains("│ 보안 그룹 ├────▶│ VPC ├"), "{drawn}");
}

#[test]
fn the_hint_line_keeps_whole_hints_and_always_the_help_key() {
    let last = |s: &str| s.lines().last().unwrap_or_default().to_owned();
    for focus in ["1", "2", "3", "4"] {
        // 200 columns hold every hint of the pane, in the keymap's order.
        let wide = last(&screen(200, 50, focus));
        assert!(wide.starts_with("q quit · ? help · / search"), "{wide}");
        assert!(!wide.contains('…'), "{wide}");
        let all: Vec<&str> = wide.split(" · ").collect();
        // At 80 those that do not fit go whole, and `? help` ends the line after `…`.
        let narrow = last(&screen(80, 24, focus));
        assert!(width(&narrow) <= 80, "{narrow}");
        if narrow.contains('…') {
            let (kept, end) = narrow.rsplit_once(" · ").unwrap();
            assert_eq!(end, "… ? help", "{focus}: {narrow}");
            for hint in kept.split(" · ") {
                assert!(
                    all.contains(&hint),
                    "{focus}: {hint:?} is cut in {narrow:?}"
                );
            }
        } else {
            assert!(all.join(" · ") == narrow, "{focus}: {narrow}");
        }
    }
    // The content pane's own keys stay before the global ones.
    assert_eq!(
        last(&screen(80, 24, "2")),
        "q quit · f find · ] links · > code sideways · D drawing/source · … ? help"
    );
    // A message in Korean too long for the line is cut at a syllable with `…`, and the help
    // key stays after it.
    let query = "존재하지않는아주긴한국어검색어를끝까지입력해보면줄이모자란다";
    let said = last(&screen(80, 24, &format!("2f{query}<Enter>n")));
    assert!(width(&said) <= 80, "{said}");
    assert!(said.starts_with("no match for \"존재하지"), "{said}");
    assert!(said.ends_with("… · ? help"), "{said}");
    let short = last(&screen(80, 24, "2f없는말<Enter>n"));
    assert_eq!(short, "no match for \"없는말\" · ? help");
}

#[test]
fn a_reload_keeps_the_text_of_unchanged_notes_for_full_text_search() {
    let dir = numbered_vault(3);
    let mut app = new_app(Vault::load(dir.path()).unwrap(), (100, 30));
    // The search popup asks for the text; a text search finds note 1's body.
    keys_then_prepare(&mut app, "/<Tab>\"line 7 of note 1\"");
    let store = app.text_store().expect("the text is read for the popup");
    assert_eq!((store.len(), store.kept), (3, 0));
    let screen = fresh_frame(&mut app);
    assert!(screen.contains("1 note, 1 line"), "{screen}");
    keys_then_prepare(&mut app, "<Esc>");
    // One note grows; the others' files are as they were.
    let path = dir.path().join("note-001.md");
    let mut grown = std::fs::read_to_string(&path).unwrap();
    grown.push_str("a new last line\n");
    std::fs::write(&path, grown).unwrap();
    reload(&mut app, Vault::load(dir.path()).unwrap());
    keys_then_prepare(&mut app, "/<Tab>\"new last line\"");
    let store = app.text_store().expect("read again for the new catalog");
    // Two notes' text kept from the store before, the changed one read again.
    assert_eq!((store.len(), store.kept), (3, 2));
    for id in 0..3 {
        let file = std::fs::read_to_string(dir.path().join(&app.vault().notes[id].path)).ok();
        assert!(file.is_some_and(|f| f.ends_with(&*store.body(id))), "{id}");
    }
    let screen = fresh_frame(&mut app);
    assert!(screen.contains("1 note, 1 line"), "{screen}");
    assert!(screen.contains("note-001.md"), "{screen}");
}
