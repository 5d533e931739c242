//! The content renderer through the library and `vaultscope show`: the seed note at three
//! widths, a fixture with every construct, hostile text, pathological input.

use std::path::Path;
use std::process::Command;

use vaultscope::markdown::{DiagramView, RenderOptions, plain_text, render, render_note};
use vaultscope::style::Styles;
use vaultscope::vault::Vault;

/// 2026-11-30 00:00 UTC, so the ages in the header do not change from day to day.
const NOW: i64 = 1_795_996_800;

fn starter() -> Vault {
    Vault::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("notes")).unwrap()
}

fn rendered(vault: &Vault, query: &str, width: u16) -> String {
    let id = vault.find(query).expect("note");
    let body = vault.read_body(id).unwrap();
    let r = render_note(
        vault,
        id,
        &body,
        width,
        Styles::new(false),
        NOW,
        DiagramView::default(),
        None,
        false,
    );
    assert_eq!(r.failure, None);
    for l in &r.lines {
        assert!(l.width() <= width as usize, "{width}: {l:?}");
    }
    plain_text(&r.lines)
}

#[test]
fn the_seed_note_reads_well_at_40_80_120() {
    let vault = starter();
    for width in [40, 80, 120] {
        let text = rendered(&vault, "sagemaker-vpc-privatelink-security", width);
        insta::assert_snapshot!(format!("seed_{width}"), text);
        // The question, its options and the answer line are all there.
        assert!(text.contains("Question:"));
        for option in ["• A)", "• B)", "• C)", "• D)"] {
            assert!(text.contains(option), "{option} at {width}");
        }
        assert!(text.contains("정답: C)"));
        assert!(
            text.contains("╭─ ◆ diagram 1/1 · "),
            "the diagram block is framed, captioned"
        );
    }
}

#[test]
fn the_answer_line_is_bold() {
    let vault = starter();
    let id = vault.find("vpc-sagemaker").unwrap();
    let body = vault.read_body(id).unwrap();
    let r = render_note(
        &vault,
        id,
        &body,
        80,
        Styles::new(true),
        NOW,
        DiagramView::default(),
        None,
        false,
    );
    let answer = r
        .lines
        .iter()
        .find(|l| l.spans.iter().any(|s| s.content.contains("정답")))
        .unwrap();
    assert!(answer.spans.iter().all(|s| {
        s.content.trim().is_empty()
            || s.style
                .add_modifier
                .contains(ratatui::style::Modifier::BOLD)
    }));
}

#[test]
fn every_construct_of_the_showcase() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render");
    let vault = Vault::load(&dir).unwrap();
    for width in [60, 100] {
        let text = rendered(&vault, "showcase", width);
        insta::assert_snapshot!(format!("showcase_{width}"), text);
    }
    let text = rendered(&vault, "showcase", 100);
    for expected in [
        "#test/render #한국어",
        "created 2026-11-02 (28 days ago) · modified 2026-11-29T10:00:00Z (14 hours ago)",
        "│ VPC Endpoint   │  443 │  프라이빗 연결  │",
        "☑ 인터페이스 엔드포인트 만들기",
        "╭─ ✎ 참고",
        "│ ╭─ ⚠ Nested warning",
        "│ │ Inner text with code.",
        "│ ╭─ bash",
        "▎ A plain quote.",
        "╭─ python",
        "│ def handler(event, context):",
        "│     return {\"status\": 200}",
        "[image: diagram] (img/arch.png)",
        "HTML shown as text",
        "[1] The footnote's text.",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    assert!(!text.contains("hidden") && !text.contains("%%"));
    assert!(!text.contains("<b>") && !text.contains("title:"));
    // A footnote's reference and its entry in the list carry the same marker.
    assert!(
        text.contains("footnote[1]") && !text.contains("[^"),
        "{text}"
    );
}

#[test]
fn show_never_prints_an_escape_from_a_note() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("evil.md"),
        "---\ntitle: \"ev\\e]0;pwned\\ail\"\ntags: [\"x\\e[31m\"]\n---\n\
         # \u{1b}[2J head\n\ntext \u{1b}]52;c;Zm9v\u{7} \u{9b}31m &#27;[5m &#x1b; \u{202e}gnp.exe\n\n\
         | a\u{1b}[1m | b |\n|--|--|\n| \u{1b}c | d |\n\n```\ncode \u{1b}[?1049h\n```\n",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_vaultscope");
    let run = |color: &str| {
        let out = Command::new(bin)
            .args(["--vault"])
            .arg(dir.path())
            .args(["show", "evil", "--width", "60", "--color", color])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        out.stdout
    };
    let plain = run("never");
    assert!(
        !plain.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&plain)
    );
    let text = String::from_utf8(plain).unwrap();
    assert!(text.contains('␛') && text.contains("head"), "{text}");
    for bad in ['\u{9b}', '\u{202e}', '\u{7}'] {
        assert!(!text.contains(bad), "{bad:?} in {text}");
    }
    // With colour, every ESC written is the start of a colour code (`ESC [ digits ; … m`).
    let colored = String::from_utf8(run("always")).unwrap();
    for (i, _) in colored.match_indices('\u{1b}') {
        let rest = &colored[i + 1..];
        let end = rest.find('m').expect("an SGR sequence ends with m");
        let params = &rest[..end];
        assert!(
            params.starts_with('[') && params[1..].chars().all(|c| c.is_ascii_digit() || c == ';'),
            "not a colour code: {:?}",
            &rest[..end.min(20)]
        );
    }
}

fn opts(width: u16) -> RenderOptions<'static> {
    RenderOptions {
        width,
        styles: Styles::new(false),
        resolves: &|_| true,
        now: NOW,
        diagrams: DiagramView::default(),
        highlight: None,
        pictures: None,
    }
}

#[test]
fn pathological_input_renders_in_bounded_time() {
    let cases: Vec<(&str, String)> = vec![
        (
            "10k nested quotes",
            format!("{} deep\n", ">".repeat(10_000)),
        ),
        (
            "10k nested lists",
            (0..10_000)
                .map(|i| format!("{}- item\n", "  ".repeat(i)))
                .collect(),
        ),
        ("100k [", "[".repeat(100_000)),
        ("100k [[", "[[".repeat(50_000)),
        ("a 1 MB line", "가나다 abc ".repeat(80_000)),
        ("a 20 MB note", "word ".repeat(4_000_000)),
        ("100k emphasis", "*a **b ".repeat(30_000)),
        (
            "100k table cells",
            format!("|{}\n|{}\n", "a|".repeat(20_000), "-|".repeat(20_000)),
        ),
    ];
    for (name, body) in cases {
        let started = std::time::Instant::now();
        let r = render(None, &body, &opts(80));
        // Bounded, generously for a debug build on a slow machine; the benches measure speed.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{name} took {:?}",
            started.elapsed()
        );
        assert_eq!(r.failure, None, "{name}");
        for l in &r.lines {
            assert!(l.width() <= 80, "{name}: {:?}", l);
        }
    }
    let huge = render(None, &"word ".repeat(4_000_000), &opts(80));
    let last = plain_text(&huge.lines[huge.lines.len() - 1..]);
    assert!(last.contains("longer than"), "{last}");
}

#[test]
fn every_width_from_1_fits() {
    let vault = starter();
    let id = vault.find("vpc-sagemaker").unwrap();
    let body = vault.read_body(id).unwrap();
    for width in 1..=130 {
        let r = render_note(
            &vault,
            id,
            &body,
            width,
            Styles::new(true),
            NOW,
            DiagramView::default(),
            None,
            false,
        );
        for l in &r.lines {
            assert!(l.width() <= width as usize, "{width}: {l:?}");
        }
    }
    let _ = vaultscope::time::age(0);
}
