//! Text chains: `A -> B -> C`, `진단 → 보강 → 실전`, labels of several words. A line with no
//! arrow is prose and skipped; a line holding only `↓` joins the last node of the chain above
//! to the first of the chain below.

use super::clean_label;
use super::graph::{Edge, Graph, Head, Syntax};

/// An arrow word: `Some((forward, backward))`.
fn arrow(word: &str) -> Option<(bool, bool)> {
    match word {
        "→" | "⇒" | "⟶" | "➜" | "➔" | "▶" => return Some((true, false)),
        "←" | "⇐" | "⟵" | "◀" => return Some((false, true)),
        "↔" | "⇔" | "⟷" => return Some((true, true)),
        _ => {}
    }
    let back = word.starts_with('<');
    let fwd = word.ends_with('>');
    let shaft = word.trim_start_matches('<').trim_end_matches('>');
    let is_shaft = shaft.len() >= if back || fwd { 1 } else { 2 }
        && (shaft.chars().all(|c| c == '-') || shaft.chars().all(|c| c == '='));
    (is_shaft && (back || fwd)).then_some((fwd, back))
}

/// Parses a block of text chains; `None` when no line has an arrow between two labels.
/// A line ending in an arrow goes on at the next line's first label (and a line opening
/// with one goes on from the last label above); a `caption:` before a chain is no label.
pub fn parse(text: &str) -> Option<Graph> {
    let mut g = Graph::new(Syntax::TextChain);
    // The last node of the previous chain line, and a pending `↓` below it.
    let mut last: Option<String> = None;
    let mut down_from: Option<String> = None;
    // An arrow ending the previous line, waiting for its target.
    let mut open: Option<(bool, bool)> = None;
    for (line_no, line) in text.lines().take(super::MAX_LINES).enumerate() {
        let t = line.trim();
        if matches!(t, "↓" | "v" | "|" | "▼") {
            down_from = last.clone();
            continue;
        }
        let mut segments: Vec<String> = vec![String::new()];
        let mut arrows: Vec<(bool, bool)> = Vec::new();
        for word in t.split_whitespace() {
            match arrow(word) {
                Some(a) => {
                    arrows.push(a);
                    segments.push(String::new());
                }
                None => {
                    let s = segments.last_mut().expect("one segment at least");
                    // `caption:` before the first label.
                    if arrows.is_empty() && word.ends_with(':') && word.len() > 1 {
                        s.clear();
                        continue;
                    }
                    if !s.is_empty() {
                        s.push(' ');
                    }
                    s.push_str(word);
                }
            }
        }
        let mut labels: Vec<String> = segments.iter().map(|s| label(s)).collect();
        // Box drawing (a tree listing) or brackets left open (`(a -> b)`) is no chain.
        let drawn = labels.iter().any(|l| {
            l.chars().any(|c| ('\u{2500}'..='\u{257F}').contains(&c))
                || l.matches('(').count() != l.matches(')').count()
                || l.matches('[').count() != l.matches(']').count()
        });
        // Going on from the line above: a leading arrow, or the arrow it ended with.
        let mut from_above = None;
        if !arrows.is_empty() && labels[0].is_empty() && last.is_some() {
            labels[0] = last.clone().unwrap_or_default();
        } else if let (Some(a), Some(l)) = (open.take(), last.as_ref())
            && !labels[0].is_empty()
        {
            from_above = Some((l.clone(), a));
        }
        let trailing = !arrows.is_empty() && labels.last().is_some_and(String::is_empty);
        if trailing {
            open = arrows.pop();
            labels.pop();
        }
        if let Some((l, a)) = from_above.take() {
            labels.insert(0, l);
            arrows.insert(0, a);
        }
        if arrows.is_empty() && !trailing || drawn || labels.iter().any(String::is_empty) {
            if !arrows.is_empty() && !drawn {
                g.diagnostics.push(super::Diagnostic {
                    line: line_no,
                    message: "an arrow with nothing on one side".to_owned(),
                });
            }
            last = None;
            down_from = None;
            open = None;
            continue;
        }
        for l in &labels {
            g.add_node(l, None);
        }
        if let Some(from) = down_from.take() {
            g.add_edge(&from, &labels[0], None);
        }
        for (i, &(fwd, back)) in arrows.iter().enumerate() {
            let (from, to) = if fwd || !back {
                (&labels[i], &labels[i + 1])
            } else {
                (&labels[i + 1], &labels[i])
            };
            let mut e = Edge::new(from, to, None);
            if fwd && back {
                e.head = Head::Both;
            }
            g.push_edge(e);
        }
        last = labels.last().cloned();
    }
    (!g.edges.is_empty()).then_some(g)
}

/// A segment as a label: brackets and quotes around it removed.
fn label(segment: &str) -> String {
    let t = segment.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .or_else(|| t.strip_prefix('(').and_then(|s| s.strip_suffix(')')))
        .or_else(|| t.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
        .unwrap_or(t);
    clean_label(t, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text).map(|g| g.pairs()).unwrap_or_default()
    }

    fn p(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn chains() {
        assert_eq!(pairs("A -> B -> C"), vec![p("A", "B"), p("B", "C")]);
        assert_eq!(
            pairs("진단 → 보강 → 실전"),
            vec![p("진단", "보강"), p("보강", "실전")]
        );
        assert_eq!(
            pairs("User Browser --> Load  Balancer ==> App Server"),
            vec![
                p("User Browser", "Load Balancer"),
                p("Load Balancer", "App Server")
            ]
        );
        assert_eq!(pairs("A <- B"), vec![p("B", "A")]);
        let both = parse("A <-> B").unwrap();
        assert_eq!(both.pairs(), vec![p("A", "B")]);
        assert_eq!(both.edges[0].head, Head::Both);
        assert_eq!(
            pairs("A -> B\n↓\nC -> D"),
            vec![p("A", "B"), p("B", "C"), p("C", "D")]
        );
        // The same label twice is one node.
        let g = parse("A -> B\nB -> A").unwrap();
        assert_eq!(g.nodes.len(), 2);
    }

    #[test]
    fn chains_over_several_lines_and_captions() {
        let want = vec![
            p("요청", "인증"),
            p("인증", "권한 확인"),
            p("권한 확인", "응답"),
        ];
        assert_eq!(pairs("흐름: 요청 → 인증 →\n권한 확인 → 응답"), want);
        assert_eq!(pairs("흐름: 요청 → 인증\n→ 권한 확인 → 응답"), want);
        // A blank line or prose in between ends the chain: the last arrow dangles.
        assert_eq!(
            pairs("A → B →\n\nsome words\nC → D"),
            vec![p("A", "B"), p("C", "D")]
        );
    }

    #[test]
    fn prose_and_code_are_not_chains() {
        assert!(parse("just some words\nand more").is_none());
        assert!(parse("x = a - b").is_none());
        assert!(parse("-> dangling").is_none());
        // Hyphenated words are words.
        assert!(parse("well-known long-term").is_none());
    }
}
