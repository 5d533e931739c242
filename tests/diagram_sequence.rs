//! Mermaid sequence diagrams through the library: the fixtures under
//! `tests/fixtures/diagrams/sequence/` parsed (participants, messages, frames, notes), drawn
//! (every label present, each arrow between its own two lifelines, Hangul never shifting a
//! column), shown and walked in the diagram pane, and given by `diagram --json`.

use std::path::Path;
use std::process::Command;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;
use vaultscope::diagram::sequence::{
    self, Arrow, FrameKind, MessageHead, NotePlace, ParticipantKind, Sequence,
};
use vaultscope::diagram::{Drawing, Graph, Syntax};
use vaultscope::tui::{keymap::parse_keys, snapshot_at};
use vaultscope::vault::Vault;

const NOW: i64 = 1_795_996_800;

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diagrams/sequence")
        .join(format!("{name}.mmd"));
    std::fs::read_to_string(p).expect("fixture")
}

fn parsed(name: &str) -> (Graph, Sequence) {
    let g = sequence::parse(&fixture(name));
    let s = g.sequence.clone().expect("a sequence");
    (g, s)
}

fn messages(s: &Sequence) -> Vec<(&str, &str, &str, Arrow, MessageHead)> {
    s.messages
        .iter()
        .map(|m| {
            (
                m.from.as_str(),
                m.to.as_str(),
                m.text.as_str(),
                m.arrow,
                m.head,
            )
        })
        .collect()
}

#[test]
fn login_participants_messages_and_alt_else() {
    let (g, s) = parsed("login");
    assert_eq!(g.syntax, Syntax::Sequence);
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    let people: Vec<(&str, &str, ParticipantKind)> = s
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p.label.as_str(), p.kind))
        .collect();
    use ParticipantKind::*;
    assert_eq!(
        people,
        [
            ("U", "User", Actor),
            ("W", "Web app", Participant),
            ("A", "Auth service", Participant),
            ("D", "Session store", Participant),
        ]
    );
    use Arrow::*;
    use MessageHead as H;
    assert_eq!(
        messages(&s),
        [
            ("U", "W", "open /login", Solid, H::Arrow),
            ("W", "A", "check password", Solid, H::Arrow),
            ("A", "D", "create session", Solid, H::Arrow),
            ("D", "A", "session id", Dotted, H::Arrow),
            ("A", "W", "200 + cookie", Dotted, H::Arrow),
            ("W", "U", "dashboard", Dotted, H::Arrow),
            ("A", "W", "401", Dotted, H::Cross),
            ("W", "U", "try again", Dotted, H::Arrow),
        ]
    );
    let frames: Vec<_> = s
        .frames
        .iter()
        .map(|f| {
            (
                f.kind,
                f.label.as_str(),
                f.first_message,
                f.last_message,
                f.parent,
            )
        })
        .collect();
    assert_eq!(
        frames,
        [
            (FrameKind::Alt, "password matches", Some(2), Some(7), None),
            (FrameKind::Else, "wrong password", Some(6), Some(7), Some(0)),
        ]
    );
    // `+` on the request, `-` on the reply: Auth is active in between.
    assert_eq!(s.activations.len(), 1);
    let a = &s.activations[0];
    assert_eq!(
        (a.participant.as_str(), a.line, a.end_line),
        ("A", 7, Some(11))
    );
    // The rest of the app sees participants as nodes and messages as edges, one for one.
    assert_eq!(g.nodes.len(), 4);
    assert_eq!(g.nodes[0].label, "User");
    assert_eq!(g.edges.len(), 8);
    assert_eq!(g.edges[6].label.as_deref(), Some("401"));
    assert_eq!(g.edges[6].head, vaultscope::diagram::Head::Cross);
    assert_eq!(g.edges[3].style, vaultscope::diagram::EdgeStyle::Dotted);
}

#[test]
fn korean_payment_with_loop_notes_and_autonumber() {
    let (g, s) = parsed("payment");
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    assert!(s.autonumber);
    let labels: Vec<&str> = s.participants.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["고객", "쇼핑 앱", "결제 대행사", "은행"]);
    let texts: Vec<(&str, &str, &str)> = messages(&s)
        .into_iter()
        .map(|(f, t, x, ..)| (f, t, x))
        .collect();
    assert_eq!(
        texts,
        [
            ("고객", "앱", "주문하기"),
            ("앱", "PG", "결제 요청"),
            ("PG", "은행", "승인 요청"),
            ("은행", "PG", "승인 결과"),
            ("PG", "앱", "결제 완료"),
            ("앱", "고객", "주문 확인 알림"),
        ]
    );
    assert_eq!(s.messages[5].head, MessageHead::Async);
    assert_eq!(s.frames.len(), 1);
    let f = &s.frames[0];
    assert_eq!(
        (f.kind, f.label.as_str(), f.first_message, f.last_message),
        (FrameKind::Loop, "승인될 때까지 최대 3번", Some(2), Some(3))
    );
    let notes: Vec<(Vec<&str>, NotePlace, &str, Option<usize>)> = s
        .notes
        .iter()
        .map(|n| {
            (
                n.over.iter().map(String::as_str).collect(),
                n.place,
                n.text.as_str(),
                n.after_message,
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            (vec!["고객"], NotePlace::Right, "장바구니 3개", Some(0)),
            (
                vec!["앱", "PG"],
                NotePlace::Over,
                "영수증은 메일로 보냄",
                Some(4)
            ),
        ]
    );
    let a = &s.activations[0];
    assert_eq!((a.participant.as_str(), a.end_line.is_some()), ("PG", true));
}

#[test]
fn every_arrow_kind_actors_self_messages_and_nested_frames() {
    let (g, s) = parsed("arrows");
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    let kinds: Vec<_> = s.participants.iter().map(|p| p.kind).collect();
    use ParticipantKind::*;
    assert_eq!(kinds, [Actor, Actor, Participant]);
    assert_eq!(s.participants[0].label, "김민지");
    use Arrow::*;
    use MessageHead as H;
    let forms: Vec<(Arrow, MessageHead)> = s.messages.iter().map(|m| (m.arrow, m.head)).collect();
    assert_eq!(
        forms[..8],
        [
            (Solid, H::Arrow),
            (Dotted, H::Arrow),
            (Solid, H::Open),
            (Dotted, H::Open),
            (Solid, H::Cross),
            (Dotted, H::Cross),
            (Solid, H::Async),
            (Dotted, H::Async),
        ]
    );
    assert_eq!(
        (s.messages[8].from.as_str(), s.messages[8].to.as_str()),
        ("Bot", "Bot")
    );
    let frames: Vec<_> = s
        .frames
        .iter()
        .map(|f| (f.kind, f.first_message, f.last_message, f.parent))
        .collect();
    assert_eq!(
        frames,
        [
            (FrameKind::Opt, Some(9), Some(10), None),
            (FrameKind::Par, Some(9), Some(10), Some(0)),
            (FrameKind::And, Some(10), Some(10), Some(1)),
        ]
    );
    assert_eq!(s.notes[0].place, NotePlace::Left);
    assert_eq!(s.notes[0].after_message, Some(10));
}

#[test]
fn implicit_participants_comments_and_unknown_lines() {
    let src = "%% 머리말\nsequenceDiagram\n  %% 주석\n  철수->>영희: 안녕\n  영희-->>철수: 반가워\n  \
               this is not a statement\n  Note over 민수: 새 사람\n  end\n";
    let g = sequence::parse(src);
    let s = g.sequence.as_ref().unwrap();
    let ids: Vec<&str> = s.participants.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["철수", "영희", "민수"]);
    assert_eq!(s.messages.len(), 2);
    let lines: Vec<usize> = g.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [5, 7], "{:?}", g.diagnostics);
}

#[test]
fn hostile_blocks_parse_and_draw_without_panic() {
    let long = "가".repeat(500);
    let cases = [
        String::new(),
        "sequenceDiagram".to_owned(),
        "sequenceDiagram\n->>: \n-x\n<<->>\n::::".to_owned(),
        "sequenceDiagram\nA->>A: \u{1b}[31m빨강\u{7}".to_owned(),
        format!("sequenceDiagram\n{long}->>B: {long}\nNote left of {long}: {long}"),
        "sequenceDiagram\nelse\nand\noption\nend\nend\nloop\nalt\nelse\nelse\nand".to_owned(),
        "sequenceDiagram\ndeactivate A\nactivate\nA->>-B: x\nA->>+A: y".to_owned(),
        format!("sequenceDiagram\n{}", "loop\nA->>B: x\n".repeat(300)),
    ];
    for src in &cases {
        let g = sequence::parse(src);
        let s = g.sequence.as_ref().unwrap();
        for compact in [false, true] {
            let d = sequence::draw(s, compact);
            for line in d.canvas.lines(false).iter().take(d.layout.height) {
                assert!(line.width() <= d.layout.width, "{src:?}: {line}");
                assert!(!line.contains('\u{1b}') && !line.contains('\u{7}'));
            }
        }
    }
}

/// The display column of each `┬` under the participant boxes: the lifelines.
fn lifelines(d: &Drawing) -> Vec<usize> {
    (0..d.canvas.width)
        .filter(|&x| d.canvas.glyph(x, 2, false).as_deref() == Some("┬"))
        .collect()
}

fn glyph(d: &Drawing, x: usize, y: usize) -> String {
    d.canvas.glyph(x, y, false).unwrap_or_default()
}

/// Where `needle` starts in `line`, in display columns.
fn column_of(line: &str, needle: &str) -> Option<usize> {
    let i = line.find(needle)?;
    Some(line[..i].width())
}

#[test]
fn drawing_shows_every_label_and_puts_arrows_between_their_lifelines() {
    for name in ["login", "payment", "arrows"] {
        let (_, s) = parsed(name);
        let d = sequence::draw(&s, false);
        let text = d.canvas.lines(false).join("\n");
        for p in &s.participants {
            assert!(
                text.contains(&p.label),
                "{name}: {} missing\n{text}",
                p.label
            );
        }
        for m in &s.messages {
            assert!(text.contains(&m.text), "{name}: {} missing\n{text}", m.text);
        }
        for n in &s.notes {
            assert!(text.contains(&n.text), "{name}: note {} missing", n.text);
        }
        let cols = lifelines(&d);
        assert_eq!(cols.len(), s.participants.len(), "{name}\n{text}");
        for (i, m) in s.messages.iter().enumerate() {
            let (a, b) = s.ends(i).unwrap();
            let route = d.layout.routes.iter().find(|r| r.edge == i).unwrap();
            let y = route.points[0].1;
            if a == b {
                assert_eq!(glyph(&d, cols[a], y), "├", "{name}: self message {i}");
                continue;
            }
            let (l, r) = (cols[a].min(cols[b]), cols[a].max(cols[b]));
            // The arrow fills the gap between the two lifelines exactly.
            let shaft = if m.arrow == Arrow::Dotted {
                "┄"
            } else {
                "─"
            };
            let row: String = (l + 1..r).map(|x| glyph(&d, x, y)).collect();
            let (head, at) = match (m.head, b > a) {
                (MessageHead::Arrow, true) => ("▶", r - 1),
                (MessageHead::Arrow, false) => ("◀", l + 1),
                (MessageHead::Cross, true) => ("x", r - 1),
                (MessageHead::Cross, false) => ("x", l + 1),
                (MessageHead::Async, true) => (")", r - 1),
                (MessageHead::Async, false) => ("(", l + 1),
                _ => (shaft, r - 1),
            };
            assert_eq!(glyph(&d, at, y), head, "{name}: message {i}: {row}");
            assert!(row.contains(shaft), "{name}: message {i}: {row}");
            // Its text sits right above, between the same lifelines.
            let above = &d.canvas.lines(false)[y - 1];
            let first = m.text.split('\n').next().unwrap();
            let c = column_of(above, first).unwrap_or_else(|| panic!("{name}: {above}"));
            assert!(c > l && c + first.width() < r, "{name}: {above}");
        }
    }
}

#[test]
fn hangul_text_never_shifts_a_lifeline() {
    let (_, s) = parsed("payment");
    let d = sequence::draw(&s, false);
    let cols = lifelines(&d);
    let lines = d.canvas.lines(false);
    // On the row of `1. 주문하기` (between 고객 and 앱), the other lifelines still stand
    // where the boxes put them, as a terminal shows the line.
    let row = lines.iter().find(|l| l.contains("1. 주문하기")).unwrap();
    let bars: Vec<usize> = {
        let mut col = 0;
        let mut out = Vec::new();
        for g in row.graphemes(true) {
            if g == "│" || g == "┃" {
                out.push(col);
            }
            col += g.width();
        }
        out
    };
    assert_eq!(bars, cols, "{row}");
    // The loop frame's right border is one column on every row it spans.
    let top = lines
        .iter()
        .position(|l| l.contains("loop 승인될"))
        .unwrap();
    let right = lines[top].width() - 1;
    let bottom = (top + 1..lines.len())
        .find(|&y| lines[y].contains('┘'))
        .unwrap();
    for l in &lines[top + 1..bottom] {
        assert_eq!(l.width() - 1, right, "{l}");
    }
}

#[test]
fn frames_are_labelled_rectangles_and_ascii_mode_has_no_box_drawing() {
    let (_, s) = parsed("login");
    let d = sequence::draw(&s, false);
    let lines = d.canvas.lines(false);
    assert!(lines.iter().any(|l| l.contains("┌ alt password matches ─")));
    assert!(lines.iter().any(|l| l.contains("├ else wrong password ─")));
    assert!(
        lines
            .iter()
            .any(|l| l.trim_start().starts_with('└') && l.ends_with('┘'))
    );
    let ascii = d.canvas.lines(true).join("\n");
    assert!(ascii.is_ascii(), "{ascii}");
    assert!(ascii.contains("open /login") && ascii.contains("------>|"));
    // Compact: participants on one line, the same messages.
    let c = sequence::draw(&s, true);
    let top = &c.canvas.lines(false)[0];
    assert!(top.contains("(User)") && top.contains("[Web app]"), "{top}");
    assert!(c.canvas.height < d.canvas.height);
}

fn vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    for (name, title) in [("login", "로그인 흐름"), ("payment", "결제 흐름")] {
        let text = format!(
            "---\ntitle: {title}\n---\n# {title}\n\n```mermaid\n{}```\n",
            fixture(name)
        );
        std::fs::write(dir.path().join(format!("{name}.md")), text).unwrap();
    }
    let v = Vault::load(dir.path()).unwrap();
    (dir, v)
}

fn screen(w: u16, h: u16, keys: &str) -> String {
    let (_dir, v) = vault();
    snapshot_at(v, w, h, &parse_keys(keys).unwrap(), NOW).unwrap()
}

#[test]
fn the_pane_walks_message_by_message() {
    let first = screen(120, 40, "/로그인<Enter>3j");
    assert!(first.contains("· message 1/8"), "{first}");
    assert!(first.contains("1/8 User → Web app: open /login"), "{first}");
    let third = screen(120, 40, "/로그인<Enter>3jjj");
    assert!(third.contains("3/8 Auth service → Session store: create session"));
    // Back with k, and the arrow keys walk too; the ends hold.
    let back = screen(120, 40, "/로그인<Enter>3jjjk<Right><Left><Left>");
    assert!(back.contains("1/8 User → Web app"), "{back}");
    let end = screen(120, 40, &format!("/로그인<Enter>3{}", "j".repeat(12)));
    assert!(end.contains("8/8 Web app → User: try again"), "{end}");
}

#[test]
fn walking_scrolls_to_the_message_in_a_small_pane() {
    let last = screen(80, 24, &format!("/결제<Enter>3{}", "j".repeat(6)));
    assert!(
        last.contains("6/6 쇼핑 앱 → 고객: 주문 확인 알림"),
        "{last}"
    );
    assert!(last.contains("6. 주문 확인 알림"), "{last}");
}

#[test]
fn pane_snapshots() {
    insta::assert_snapshot!(
        "sequence_login_120x40",
        screen(120, 40, "/로그인<Enter>3jj")
    );
    insta::assert_snapshot!("sequence_login_80x24", screen(80, 24, "/로그인<Enter>3"));
    insta::assert_snapshot!("sequence_payment_120x40", screen(120, 40, "/결제<Enter>3"));
    insta::assert_snapshot!("sequence_payment_80x24", screen(80, 24, "/결제<Enter>3jjj"));
}

#[test]
fn json_carries_the_sequence() {
    let (dir, _) = vault();
    let out = Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .args(["diagram", "결제 흐름", "--json", "--vault"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["diagrams"][0];
    assert_eq!(d["syntax"], "sequence");
    let s = &d["sequence"];
    assert_eq!(s["participants"][1]["label"], "쇼핑 앱");
    assert_eq!(s["participants"][0]["kind"], "participant");
    assert_eq!(s["messages"][1]["text"], "결제 요청");
    assert_eq!(s["messages"][3]["arrow"], "dotted");
    assert_eq!(s["messages"][5]["head"], "async");
    assert_eq!(s["frames"][0]["kind"], "loop");
    assert_eq!(s["frames"][0]["first_message"], 2);
    assert_eq!(s["notes"][1]["over"], serde_json::json!(["앱", "PG"]));
    assert_eq!(d["edges"].as_array().unwrap().len(), 6);
}
