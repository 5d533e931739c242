//! Table tests of the sequence parser.

use super::*;

fn seq(src: &str) -> (Graph, Sequence) {
    let g = parse(src);
    let s = g.sequence.clone().expect("a sequence");
    (g, s)
}

#[test]
fn arrows_are_read_longest_first() {
    let cases = [
        ("A->>B: x", Arrow::Solid, MessageHead::Arrow),
        ("A-->>B: x", Arrow::Dotted, MessageHead::Arrow),
        ("A->B: x", Arrow::Solid, MessageHead::Open),
        ("A-->B: x", Arrow::Dotted, MessageHead::Open),
        ("A-xB: x", Arrow::Solid, MessageHead::Cross),
        ("A--xB: x", Arrow::Dotted, MessageHead::Cross),
        ("A-)B: x", Arrow::Solid, MessageHead::Async),
        ("A--)B: x", Arrow::Dotted, MessageHead::Async),
        ("A<<->>B: x", Arrow::Solid, MessageHead::Both),
        ("A<<-->>B: x", Arrow::Dotted, MessageHead::Both),
    ];
    for (line, arrow, head) in cases {
        let (g, s) = seq(&format!("sequenceDiagram\n{line}\n"));
        let m = &s.messages[0];
        assert_eq!((m.from.as_str(), m.to.as_str()), ("A", "B"), "{line}");
        assert_eq!((m.arrow, m.head), (arrow, head), "{line}");
        assert!(g.diagnostics.is_empty(), "{line}: {:?}", g.diagnostics);
    }
}

#[test]
fn ids_keep_inner_dashes_and_spaces() {
    let (_, s) = seq("sequenceDiagram\ndb-primary->>read replica: 복제\n");
    let m = &s.messages[0];
    assert_eq!(
        (m.from.as_str(), m.to.as_str()),
        ("db-primary", "read replica")
    );
    assert_eq!(m.text, "복제");
}

#[test]
fn aliases_actors_and_redeclaration() {
    let (g, s) = seq(
        "sequenceDiagram\nparticipant A as Alice 앨리스\nactor U\nB->>A: 안녕\n\
         participant B as 밥\nactor C@{ \"type\": \"x\" }\n",
    );
    let got: Vec<(&str, &str, ParticipantKind)> = s
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p.label.as_str(), p.kind))
        .collect();
    use ParticipantKind::*;
    assert_eq!(
        got,
        [
            ("A", "Alice 앨리스", Participant),
            ("U", "U", Actor),
            ("B", "밥", Participant),
            ("C", "C", Actor),
        ]
    );
    assert_eq!(g.nodes[2].label, "밥");
}

#[test]
fn activations_by_keyword_and_shorthand() {
    let (g, s) =
        seq("sequenceDiagram\nactivate A\nA->>+B: x\nB-->>-A: y\ndeactivate A\ndeactivate A\n");
    let got: Vec<(&str, usize, Option<usize>)> = s
        .activations
        .iter()
        .map(|a| (a.participant.as_str(), a.line, a.end_line))
        .collect();
    assert_eq!(got, [("A", 1, Some(4)), ("B", 2, Some(3))]);
    // The second `deactivate A` has nothing to end.
    assert_eq!(g.diagnostics.len(), 1);
    assert_eq!(g.diagnostics[0].line, 5);
}

#[test]
fn note_places_and_spans() {
    let (_, s) = seq(
        "sequenceDiagram\nNote left of A: l\nnote right of B: r\nNote over A, B: 둘\nNote over C,C: 하나\n",
    );
    let got: Vec<(Vec<&str>, NotePlace, &str)> = s
        .notes
        .iter()
        .map(|n| {
            (
                n.over.iter().map(String::as_str).collect(),
                n.place,
                n.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (vec!["A"], NotePlace::Left, "l"),
            (vec!["B"], NotePlace::Right, "r"),
            (vec!["A", "B"], NotePlace::Over, "둘"),
            (vec!["C"], NotePlace::Over, "하나"),
        ]
    );
    assert!(s.notes.iter().all(|n| n.after_message.is_none()));
}

#[test]
fn walking_steps_and_describes_messages() {
    let (_, s) = seq("sequenceDiagram\nparticipant A as 앨리스\nA->>B: 첫째\nB-->>A: 둘째\n");
    assert_eq!(s.step(None, true), Some(0));
    assert_eq!(s.step(None, false), Some(1));
    assert_eq!(s.step(Some(1), true), Some(1));
    assert_eq!(s.step(Some(0), false), Some(0));
    assert_eq!(s.describe(1).as_deref(), Some("2/2 B → 앨리스: 둘째"));
    assert_eq!(s.describe(2), None);
    let empty = parse("sequenceDiagram\n").sequence.unwrap();
    assert_eq!(empty.step(None, true), None);
}

#[test]
fn text_may_hold_arrows_and_colons() {
    let (_, s) = seq("sequenceDiagram\nA->>B: a -> b: c\n");
    assert_eq!(s.messages[0].text, "a -> b: c");
}

#[test]
fn stray_lines_are_diagnostics() {
    let (g, s) = seq("sequenceDiagram\nhello there\nend\nelse x\nNote A: x\nA->>B: ok\n");
    assert_eq!(s.messages.len(), 1);
    let lines: Vec<usize> = g.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [1, 2, 3, 4]);
}

#[test]
fn open_frames_close_at_the_end() {
    let (g, s) = seq("sequenceDiagram\nloop a\nopt b\nA->>B: x\n");
    assert_eq!(s.frames.len(), 2);
    assert!(s.frames.iter().all(|f| f.last_message == Some(0)));
    assert_eq!(g.diagnostics.len(), 2);
}

#[test]
fn deep_nesting_is_cut() {
    let src = format!(
        "sequenceDiagram\n{}A->>B: x\n{}",
        "loop l\n".repeat(40),
        "end\n".repeat(40)
    );
    let (g, s) = seq(&src);
    assert_eq!(s.frames.len(), MAX_DEPTH);
    assert_eq!(s.messages.len(), 1);
    assert!(!g.diagnostics.is_empty());
}
