//! The explorer driven headless: the real `App` on a test backend with scripted keys (the same
//! path as `vaultscope snapshot`), on the starter vault and on small vaults made per test.

use std::path::Path;

use vaultscope::tui::{keymap::parse_keys, snapshot};
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
    for title in ["1 Notes 19/19", "2 ", "3 Diagram", "4 Tags"] {
        assert!(wide.contains(title), "{title} missing:\n{wide}");
    }
    let narrow = screen(80, 24, "");
    assert!(narrow.contains("1 Notes 19/19") && narrow.contains(" 2 "));
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
fn the_tag_filter_narrows_the_list() {
    // Focus tags; the first root is `connectivity`; Space selects it.
    let filtered = screen(200, 50, "4<Space>");
    assert!(filtered.contains("#connectivity"), "{filtered}");
    let count = |s: &str| -> usize {
        let at = s.find("1 Notes ").unwrap() + "1 Notes ".len();
        s[at..].split('/').next().unwrap().parse().unwrap()
    };
    let n = count(&filtered);
    assert!(n > 0 && n < 19, "{n}");
    assert_eq!(
        count(&screen(200, 50, "4<Space>c")),
        19,
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
    let help = screen(120, 40, "?");
    for text in [
        "Keys",
        "quit",
        "search titles and aliases",
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
fn the_start_screen_reads_well() {
    insta::assert_snapshot!("start_100x30", screen(100, 30, ""));
    insta::assert_snapshot!("search_100x30", screen(100, 30, "/privat"));
}
