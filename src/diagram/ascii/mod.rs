//! 2-D pictures: drawn boxes (`┌──┐`, `╭──╮`, `╔══╗`, `+--+`) and `[Label]` nodes joined by
//! lines and arrows, as people draw them: routed connectors with corners, tees and buses
//! (`connectors`), arrow heads and tees on box borders, boxes drawn around boxes (containers,
//! which become subgraphs), labels inside, beside, above or below a line (`labels`), rows of
//! arrows between lines of bracket nodes (`rows`), and inline arrows between neighbours
//! (`--HTTPS-->`, `──mTLS──▶`, `<->`). An `o` or `x` right between a line's end and a node
//! (`──o│`, `---x [B]`, `o--o`) is a circle or cross head, never a letter of a word.
//!
//! Everything is measured in display cells (`grid`), so Hangul and emoji labels keep the
//! lines where they are drawn. A picture is a diagram only when at least one edge joins two
//! of its nodes.

mod boxes;
mod connectors;
mod grid;
mod labels;
mod rows;

use super::graph::{Edge, EdgeStyle, Graph, Head, Pos, Subgraph, Syntax};
use super::{MAX_LINES, clean_label};
use boxes::Drawn;
use connectors::Link;
use grid::Grid;
use labels::{Cells, Owner};

const RIGHT_HEADS: &[char] = &['>', '→', '▶', '⇒', '⟶', '►', '➜', '➔'];
const LEFT_HEADS: &[char] = &['<', '←', '◀', '⇐', '⟵', '◄'];
const BOTH_HEADS: &[char] = &['↔', '⇔', '⟷'];
const SHAFTS: &[char] = &['-', '=', '─', '━', '═', '.', '~', '┄', '╌'];

/// What the text between two nodes on a line says: `Some((head, style, label))` when it is
/// an arrow (it starts and ends with shaft or head glyphs); `Head::Arrow` points right, a
/// left arrow is reported as `Head::Arrow` with `backward` set by the caller swapping ends,
/// so the result is `(forward, head, style, label)`.
pub fn horizontal_arrow(gap: &str) -> Option<(bool, Head, EdgeStyle, Option<String>)> {
    let t = gap.trim();
    // `---o`, `o--o`, `--x`: a circle or cross end is a letter right against a shaft.
    let (left_mark, t) = match t.strip_prefix(['o', 'x']) {
        Some(r) if r.starts_with(SHAFTS) => (t.chars().next(), r),
        _ => (None, t),
    };
    let (right_mark, t) = match t.strip_suffix(['o', 'x']) {
        Some(r) if r.ends_with(SHAFTS) => (t.chars().next_back(), r),
        _ => (None, t),
    };
    if left_mark.is_some() || right_mark.is_some() {
        let (forward, head, style, label) = horizontal_arrow(t).or_else(|| {
            t.chars().all(|c| SHAFTS.contains(&c)).then_some((
                true,
                Head::None,
                EdgeStyle::Solid,
                None,
            ))
        })?;
        let kind = |m: char| if m == 'o' { Head::Circle } else { Head::Cross };
        // What each end carries: the letter, or the arrow's own head there.
        let at_right = right_mark.map(kind).or_else(|| {
            (matches!(head, Head::Both) || head == Head::Arrow && forward).then_some(Head::Arrow)
        });
        let at_left = left_mark.map(kind).or_else(|| {
            (matches!(head, Head::Both) || head == Head::Arrow && !forward).then_some(Head::Arrow)
        });
        let (forward, head) = match (at_left, at_right) {
            (None, Some(h)) => (true, h),
            (Some(h), None) => (false, h),
            (Some(a), Some(b)) if a == b => (true, a.at_both_ends()),
            _ => (true, Head::Both),
        };
        return Some((forward, head, style, label));
    }
    let is_arrow_glyph = |c: char| {
        SHAFTS.contains(&c)
            || RIGHT_HEADS.contains(&c)
            || LEFT_HEADS.contains(&c)
            || BOTH_HEADS.contains(&c)
    };
    let first = t.chars().next()?;
    let last = t.chars().next_back()?;
    if !is_arrow_glyph(first) || !is_arrow_glyph(last) {
        return None;
    }
    // A lone `-` or `.` between nodes is punctuation, not an arrow.
    if t.chars().count() == 1 && SHAFTS.contains(&first) {
        return None;
    }
    let both = t.chars().any(|c| BOTH_HEADS.contains(&c));
    let right = both || RIGHT_HEADS.contains(&last);
    let left = both || LEFT_HEADS.contains(&first);
    let head = match (right, left) {
        (true, true) => Head::Both,
        (false, false) => Head::None,
        _ => Head::Arrow,
    };
    let style = if t.chars().any(|c| matches!(c, '=' | '═' | '━')) {
        EdgeStyle::Thick
    } else if t.chars().any(|c| matches!(c, '.' | '┄' | '╌' | '~')) {
        EdgeStyle::Dotted
    } else {
        EdgeStyle::Solid
    };
    let label = t
        .trim_start_matches(|c: char| is_arrow_glyph(c) || c.is_whitespace())
        .trim_end_matches(|c: char| is_arrow_glyph(c) || c.is_whitespace());
    let label = clean_label(label, false);
    Some((
        !left || right,
        head,
        style,
        (!label.is_empty()).then_some(label),
    ))
}

/// Parses a block as a 2-D picture; `None` when no edge joins two drawn nodes (then it may
/// be a text chain, or no diagram).
pub fn parse(text: &str) -> Option<Graph> {
    let lines: Vec<String> = text
        .lines()
        .take(MAX_LINES)
        .map(|l| grid::expand_tabs(l.trim_end()))
        .collect();
    let (lines, boxes) = boxes::find(lines);
    let grid = Grid::new(&lines);
    let all_brackets = boxes::brackets(&grid, &[]);
    // A box around another box or a bracket node is a container.
    let is_container = |b: &Drawn| {
        boxes.iter().any(|o| b.encloses(o)) || all_brackets.iter().any(|o| b.encloses(o))
    };
    let (containers, leaves): (Vec<&Drawn>, Vec<&Drawn>) =
        boxes.iter().partition(|b| is_container(b));
    let leaves: Vec<&Drawn> = leaves
        .into_iter()
        .filter(|b| b.label.chars().any(char::is_alphanumeric))
        .collect();
    let mut nodes: Vec<Drawn> = leaves.iter().map(|&b| b.clone()).collect();
    nodes.extend(
        all_brackets
            .into_iter()
            .filter(|k| !leaves.iter().any(|b| b.contains(k.top, k.left))),
    );
    if nodes.is_empty() {
        return None;
    }
    nodes.sort_by_key(|d| (d.top, d.left));
    let mut cells = Cells::new(&grid);
    for (i, d) in nodes.iter().enumerate() {
        for l in d.top..=d.bottom {
            for c in d.left..=d.right {
                if let Some(o) = cells.owner.get_mut(l).and_then(|r| r.get_mut(c)) {
                    *o = Owner::Node(i);
                }
            }
        }
    }
    let mut titles = Vec::new();
    for c in &containers {
        for l in c.top..=c.bottom {
            for col in c.left..=c.right {
                if c.on_border(l, col)
                    && let Some(o) = cells.owner.get_mut(l).and_then(|r| r.get_mut(col))
                {
                    *o = Owner::Frame;
                }
            }
        }
        let within: Vec<&Drawn> = nodes
            .iter()
            .chain(containers.iter().copied())
            .filter(|o| c.encloses(o))
            .collect();
        let (title, span) = boxes::container_label(&grid, c, &within);
        if let Some((l, a, b)) = span {
            cells.take(l, a, b);
        }
        titles.push(title);
    }
    let mut g = Graph::new(Syntax::Ascii);
    for d in &nodes {
        if let Some(i) = g.add_node(&d.label, None)
            && g.nodes[i].pos.is_none()
        {
            g.nodes[i].pos = Some(Pos {
                line: d.top,
                col: d.left,
            });
            g.nodes[i].rounded = d.rounded;
        }
    }
    let mut links = rows::vertical_rows(&grid, &mut cells, &nodes);
    links.extend(connectors::trace(&grid, &mut cells, &nodes));
    links.extend(neighbours(&grid, &cells, &nodes));
    // In reading order: by the rows of both ends, then their columns.
    links.sort_by_key(|k| {
        let (a, b) = (&nodes[k.from], &nodes[k.to]);
        (a.top.min(b.top), a.top.max(b.top), a.left, b.left)
    });
    for k in links {
        let (from, to) = (&nodes[k.from].label, &nodes[k.to].label);
        if from == to {
            continue;
        }
        g.push_edge(Edge {
            from: from.clone(),
            to: to.clone(),
            label: k.label,
            style: k.style,
            head: k.head,
            tail: None,
        });
    }
    g.subgraphs = groups(&nodes, &containers, &titles);
    (!g.edges.is_empty()).then_some(g)
}

/// Inline arrows between neighbouring nodes on a line whose cells no connector took
/// (`[A] ⇒ [B]`, `[A] ~~> [B]`).
fn neighbours(grid: &Grid, cells: &Cells, nodes: &[Drawn]) -> Vec<Link> {
    let mut out = Vec::new();
    for line in 0..grid.height() {
        let mut on: Vec<usize> = (0..nodes.len())
            .filter(|&i| nodes[i].top <= line && line <= nodes[i].bottom)
            .collect();
        on.sort_by_key(|&i| nodes[i].left);
        for pair in on.windows(2) {
            let (a, b) = (&nodes[pair[0]], &nodes[pair[1]]);
            if b.left <= a.right + 1 || (a.right + 1..b.left).any(|c| cells.is_taken(line, c)) {
                continue;
            }
            if let Some((forward, head, style, label)) =
                horizontal_arrow(&grid.text(line, a.right + 1, b.left))
            {
                let (from, to) = if forward {
                    (pair[0], pair[1])
                } else {
                    (pair[1], pair[0])
                };
                out.push(Link {
                    from,
                    to,
                    label,
                    style,
                    head,
                });
            }
        }
    }
    out
}

/// The containers as subgraphs, nested as drawn: each holds the nodes and containers whose
/// smallest enclosing container it is.
fn groups(nodes: &[Drawn], containers: &[&Drawn], titles: &[String]) -> Vec<Subgraph> {
    let area = |d: &Drawn| (d.bottom - d.top + 1) * (d.right - d.left + 1);
    let parent = |d: &Drawn| {
        (0..containers.len())
            .filter(|&k| containers[k].encloses(d))
            .min_by_key(|&k| area(containers[k]))
    };
    let mut ids: Vec<String> = Vec::new();
    for t in titles {
        let mut id = t.clone();
        let mut n = 2;
        while ids.contains(&id) || nodes.iter().any(|d| d.label == id) {
            id = format!("{t} ({n})");
            n += 1;
        }
        ids.push(id);
    }
    let mut out: Vec<Subgraph> = (0..containers.len())
        .map(|k| Subgraph {
            id: ids[k].clone(),
            title: titles[k].clone(),
            nodes: Vec::new(),
            subgraphs: Vec::new(),
            direction: None,
        })
        .collect();
    for d in nodes {
        if let Some(k) = parent(d)
            && !out[k].nodes.contains(&d.label)
        {
            out[k].nodes.push(d.label.clone());
        }
    }
    for (j, c) in containers.iter().enumerate() {
        if let Some(k) = parent(c) {
            let id = ids[j].clone();
            out[k].subgraphs.push(id);
        }
    }
    let mut order: Vec<usize> = (0..containers.len()).collect();
    order.sort_by_key(|&k| (containers[k].top, containers[k].left));
    order.into_iter().map(|k| out[k].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(g: &Graph) -> Vec<(String, String, Option<String>)> {
        g.edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone(), e.label.clone()))
            .collect()
    }

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text).map(|g| g.pairs()).unwrap_or_default()
    }

    fn p(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn horizontal_arrows_and_their_labels() {
        use EdgeStyle::{Dotted, Solid, Thick};
        type Want<'a> = Option<(bool, Head, EdgeStyle, Option<&'a str>)>;
        let cases: &[(&str, Want)] = &[
            (" → ", Some((true, Head::Arrow, Solid, None))),
            (" -> ", Some((true, Head::Arrow, Solid, None))),
            (" ==> ", Some((true, Head::Arrow, Thick, None))),
            (" -.-> ", Some((true, Head::Arrow, Dotted, None))),
            (" ← ", Some((false, Head::Arrow, Solid, None))),
            (" <-- ", Some((false, Head::Arrow, Solid, None))),
            (" ↔ ", Some((true, Head::Both, Solid, None))),
            (" <-> ", Some((true, Head::Both, Solid, None))),
            (
                " --HTTPS--> ",
                Some((true, Head::Arrow, Solid, Some("HTTPS"))),
            ),
            (
                " ──mTLS──▶ ",
                Some((true, Head::Arrow, Solid, Some("mTLS"))),
            ),
            (
                " -- SQL queries --> ",
                Some((true, Head::Arrow, Solid, Some("SQL queries"))),
            ),
            (" ---- ", Some((true, Head::None, Solid, None))),
            (" ---o ", Some((true, Head::Circle, Solid, None))),
            (" --x ", Some((true, Head::Cross, Solid, None))),
            (" o-- ", Some((false, Head::Circle, Solid, None))),
            (" o--o ", Some((true, Head::CircleBoth, Solid, None))),
            (" x==x ", Some((true, Head::CrossBoth, Thick, None))),
            (
                " -- 1:N --o ",
                Some((true, Head::Circle, Solid, Some("1:N"))),
            ),
            (" o--> ", Some((true, Head::Both, Solid, None))),
            // The letters of a word are no heads.
            (" -- to ", None),
            (" also ", None),
            (" --go--> ", Some((true, Head::Arrow, Solid, Some("go")))),
            ("   ", None),
            (" and ", None),
            (" - ", None),
        ];
        for (gap, want) in cases {
            let got = horizontal_arrow(gap);
            let want = want.map(|(f, h, s, l)| (f, h, s, l.map(str::to_owned)));
            assert_eq!(got, want, "{gap:?}");
        }
    }

    #[test]
    fn the_seed_picture() {
        let seed = "\
[Private Subnet] → [VPC Endpoint] → [PrivateLink] → [SageMaker Service]
        ↓               ↓              ↓                    ↓
[SageMaker Notebook] [Interface Endpoint] [AWS Backbone] [SageMaker API]
        ↓               ↓              ↓                    ↓
[Security Groups] → [Route Tables] → [Private DNS] → [Service Access]";
        let g = parse(seed).unwrap();
        assert_eq!(g.nodes.len(), 12);
        let mut got = pairs(seed);
        let mut want = vec![
            p("Private Subnet", "VPC Endpoint"),
            p("VPC Endpoint", "PrivateLink"),
            p("PrivateLink", "SageMaker Service"),
            p("Private Subnet", "SageMaker Notebook"),
            p("VPC Endpoint", "Interface Endpoint"),
            p("PrivateLink", "AWS Backbone"),
            p("SageMaker Service", "SageMaker API"),
            p("SageMaker Notebook", "Security Groups"),
            p("Interface Endpoint", "Route Tables"),
            p("AWS Backbone", "Private DNS"),
            p("SageMaker API", "Service Access"),
            p("Security Groups", "Route Tables"),
            p("Route Tables", "Private DNS"),
            p("Private DNS", "Service Access"),
        ];
        got.sort();
        want.sort();
        assert_eq!(got, want);
        assert_eq!(
            g.nodes[g.node("Interface Endpoint").unwrap()].pos,
            Some(Pos { line: 2, col: 21 })
        );
    }

    #[test]
    fn korean_labels_are_two_columns_wide() {
        // `↓` sits under 보안 그룹 only when Hangul counts two columns.
        let text = "[보안 그룹] → [라우팅]\n     ↓\n[로그]";
        assert_eq!(
            pairs(text),
            vec![p("보안 그룹", "라우팅"), p("보안 그룹", "로그")]
        );
        let under_second = "[보안 그룹] → [라우팅]\n               ↓\n               [로그]";
        assert!(pairs(under_second).contains(&p("라우팅", "로그")));
    }

    #[test]
    fn arrows_up_over_several_lines_and_ascii_heads() {
        assert_eq!(pairs("[A]\n ↑\n[B]"), vec![p("B", "A")]);
        assert_eq!(pairs("[A]\n |\n v\n[B]"), vec![p("A", "B")]);
        assert_eq!(pairs("[A]\n ^\n |\n[B]"), vec![p("B", "A")]);
        assert_eq!(pairs("[A]\n ▼\n[B]"), vec![p("A", "B")]);
        // One node fanning out to two below.
        let fan = pairs("[  Gateway  ]\n  ↓       ↓\n[X]       [Y]");
        assert_eq!(fan, vec![p("Gateway", "X"), p("Gateway", "Y")]);
        // An arrow far from every node dangles.
        assert_eq!(pairs("[A]\n                             ↓\n[B]"), vec![]);
    }

    #[test]
    fn emoji_labels_are_two_columns_wide() {
        // `↓` at column 9 is under [🔐 KMS 키] only when the emoji and Hangul count two columns.
        let text = "[🔐 KMS 키] → [🪣 S3]\n         ↓\n[⚙️ 앱]";
        let g = parse(text).unwrap();
        assert_eq!(g.nodes.len(), 3);
        assert_eq!(
            g.pairs(),
            vec![p("🔐 KMS 키", "🪣 S3"), p("🔐 KMS 키", "⚙️ 앱")]
        );
        assert_eq!(g.nodes[1].pos, Some(Pos { line: 0, col: 14 }));
        let chain = super::super::chain::parse("🔐 KMS → 🪣 S3 → ⚙️ 앱").unwrap();
        assert_eq!(
            chain.pairs(),
            vec![p("🔐 KMS", "🪣 S3"), p("🪣 S3", "⚙️ 앱")]
        );
    }

    #[test]
    fn a_label_beside_a_vertical_arrow() {
        let g = parse("[A]\n │ HTTPS 443\n ▼\n[B]").unwrap();
        assert_eq!(
            edges(&g),
            vec![("A".into(), "B".into(), Some("HTTPS 443".into()))]
        );
        let g = parse("[API]      [DB]\n  ↓ REST    ↑ SQL\n[Web]      [Cache]").unwrap();
        assert_eq!(
            edges(&g),
            vec![
                ("API".into(), "Web".into(), Some("REST".into())),
                ("Cache".into(), "DB".into(), Some("SQL".into())),
            ]
        );
    }

    #[test]
    fn a_label_across_a_vertical_line() {
        type Want<'a> = &'a [(&'a str, &'a str, Option<&'a str>)];
        let cases: &[(&str, Want)] = &[
            ("[A]\n |\n HTTPS\n v\n[B]", &[("A", "B", Some("HTTPS"))]),
            ("[앱]\n │\n요청\n ▼\n[DB]", &[("앱", "DB", Some("요청"))]),
            // A blank under the line's column, between two words.
            (
                "[  A  ]\n    │\n 443 TCP\n    ▼\n[     B     ]",
                &[("A", "B", Some("443 TCP"))],
            ),
            // Text the line does not go on under is no label, and no edge.
            ("[A]\n |\n caption\n\n[B]", &[]),
        ];
        for (text, want) in cases {
            let got = parse(text).map(|g| edges(&g)).unwrap_or_default();
            let want: Vec<_> = want
                .iter()
                .map(|&(a, b, l)| (a.to_owned(), b.to_owned(), l.map(str::to_owned)))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn a_cross_is_a_crossing_when_each_line_is_whole_alone() {
        type Want<'a> = &'a [(&'a str, &'a str, Head)];
        let cases: &[(&str, Want)] = &[
            // Two undirected lines, two directed ones: crossings.
            (
                "    [N]\n     |\n[W]--+--[E]\n     |\n    [S]",
                &[("N", "S", Head::None), ("W", "E", Head::None)],
            ),
            (
                "    [N]\n     │\n[W]──┼──▶[E]\n     ▼\n    [S]",
                &[("N", "S", Head::Arrow), ("W", "E", Head::Arrow)],
            ),
            // A headless line through an arrow: one line, three tails into one head.
            (
                "    [N]\n     |\n[W]--+-->[E]\n     |\n    [S]",
                &[
                    ("N", "E", Head::Arrow),
                    ("W", "E", Head::Arrow),
                    ("S", "E", Head::Arrow),
                ],
            ),
        ];
        for (text, want) in cases {
            let got: Vec<(String, String, Head)> = parse(text)
                .map(|g| {
                    g.edges
                        .iter()
                        .map(|e| (e.from.clone(), e.to.clone(), e.head))
                        .collect()
                })
                .unwrap_or_default();
            let want: Vec<_> = want
                .iter()
                .map(|&(a, b, h)| (a.to_owned(), b.to_owned(), h))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn an_o_or_x_in_a_word_is_no_head() {
        // `o` of `Promo` sits between the line and the box under it, but in a word.
        let word = "┌──────┐\n│ A    │\n└──┬───┘\n   │\n  Promo code\n┌──────┐\n│ B    │\n└──────┘";
        assert!(parse(word).is_none());
        let alone = "┌──────┐\n│ A    │\n└──┬───┘\n   │\n   o\n┌──────┐\n│ B    │\n└──────┘";
        let g = parse(alone).unwrap();
        assert_eq!(
            (g.pairs(), g.edges[0].head),
            (vec![p("A", "B")], Head::Circle)
        );
        // A word ending in `o` against a box, after a line: a label, not a head.
        let demo = "┌───┐         ┌───┐\n│ A │──demo──▶│ B │\n└───┘         └───┘";
        let g = parse(demo).unwrap();
        assert_eq!(
            edges(&g),
            vec![("A".into(), "B".into(), Some("demo".into()))]
        );
        assert_eq!(g.edges[0].head, Head::Arrow);
    }

    #[test]
    fn drawn_boxes() {
        let text = "\
┌────────┐      ┌──────────┐
│ Client │─────▶│  Server  │
└────────┘      └──────────┘
+--------+
| 데이터 |
+--------+";
        let g = parse(text).unwrap();
        let labels: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
        assert!(
            labels.contains(&"Client") && labels.contains(&"Server"),
            "{labels:?}"
        );
        assert!(labels.contains(&"데이터"), "{labels:?}");
        assert_eq!(edges(&g), vec![("Client".into(), "Server".into(), None)]);
        let boxed = "+-----+        +-----+\n| web | --API--> | db |\n+-----+        +-----+";
        let g = parse(boxed);
        // A box side that is not straight is no box; the picture still parses what it can.
        assert!(g.is_none() || g.unwrap().nodes.len() <= 2);
    }

    #[test]
    fn the_same_label_twice_is_one_node_and_junk_is_no_picture() {
        let g = parse("[A] → [B]\n[B] → [A]").unwrap();
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(
            pairs("[A] → [B]\n[B] → [A]"),
            vec![p("A", "B"), p("B", "A")]
        );
        assert!(parse("just text\nmore text").is_none());
        assert!(parse("[only one node]").is_none());
        assert!(parse("[unclosed → [B]").is_none());
    }
}
