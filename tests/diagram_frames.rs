//! Groups drawn as frames (issue 13 §3): a subgraph, d2 container or drawn container is a
//! titled frame around its members, nested frames nest, in the layered layout and the
//! author's grid; a group whose box would hold a node not in it is a legend line instead.
//! The drawn text is asserted in display columns; insta keeps the diagram pane.

use std::path::Path;

use unicode_width::UnicodeWidthStr;
use vaultscope::diagram::{self, Graph};
use vaultscope::tui::{keymap::parse_keys, snapshot_at};
use vaultscope::vault::Vault;

/// 2026-11-30 00:00 UTC.
const NOW: i64 = 1_795_996_800;

const NESTED: &str = "flowchart TB
  subgraph VPC
    subgraph Public
      alb[ALB]
    end
    subgraph Private
      app[App Server]
      db[(Database)]
    end
  end
  internet[Internet] --> alb
  alb --> app
  app --> db
";

fn text(g: &Graph) -> Vec<String> {
    diagram::draw(g, false, false).canvas.lines(false)
}

/// A line as cells by display column (the second column of a wide character is `\0`).
fn cells(line: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in line.chars() {
        out.push(c);
        out.extend(std::iter::repeat_n(
            '\0',
            c.to_string().width().saturating_sub(1),
        ));
    }
    out
}

/// Where `needle` is written: (column, row) of its first cell, the first match.
fn find(lines: &[String], needle: &str) -> Option<(usize, usize)> {
    lines
        .iter()
        .enumerate()
        .find_map(|(y, l)| l.find(needle).map(|b| (l[..b].width(), y)))
}

/// The frame titled `title`: the title on a top border between `┌` and `┐`, the left side
/// down to `└`; returns (x0, y0, x1, y1), inclusive.
fn frame(lines: &[String], title: &str) -> (usize, usize, usize, usize) {
    let (tx, y0) = find(lines, &format!("─ {title} ─"))
        .unwrap_or_else(|| panic!("no border titled {title}:\n{}", lines.join("\n")));
    let row = cells(&lines[y0]);
    let x0 = (0..tx)
        .rev()
        .find(|&x| row[x] == '┌')
        .unwrap_or_else(|| panic!("no ┌ left of {title}"));
    let x1 = (tx..row.len())
        .find(|&x| row[x] == '┐')
        .unwrap_or_else(|| panic!("no ┐ right of {title}"));
    let at = |x: usize, y: usize| cells(&lines[y]).get(x).copied().unwrap_or(' ');
    let y1 = (y0 + 1..lines.len())
        .find(|&y| at(x0, y) == '└')
        .unwrap_or_else(|| panic!("no └ under {title}:\n{}", lines.join("\n")));
    // A side is a line, crossed by an edge (`┼`, `╪`) or left by one (a tee).
    for y in y0 + 1..y1 {
        assert!("│┼╪├┤".contains(at(x0, y)), "{title}: left side at row {y}");
        assert!(
            "│┼╪├┤".contains(at(x1, y)),
            "{title}: right side at row {y}"
        );
    }
    assert_eq!(at(x1, y1), '┘', "{title}: bottom right corner");
    (x0, y0, x1, y1)
}

fn inside(r: (usize, usize, usize, usize), lines: &[String], label: &str) -> bool {
    let (x, y) = find(lines, label).unwrap_or_else(|| panic!("no {label} drawn"));
    x > r.0 && x + label.width() <= r.2 && y > r.1 && y < r.3
}

fn within(outer: (usize, usize, usize, usize), inner: (usize, usize, usize, usize)) -> bool {
    outer.0 < inner.0 && inner.2 < outer.2 && outer.1 < inner.1 && inner.3 < outer.3
}

#[test]
fn nested_mermaid_subgraphs_are_nested_frames() {
    let lines = text(&diagram::mermaid::parse(NESTED));
    let all = lines.join("\n");
    let (vpc, public, private) = (
        frame(&lines, "VPC"),
        frame(&lines, "Public"),
        frame(&lines, "Private"),
    );
    assert!(within(vpc, public) && within(vpc, private), "{all}");
    assert!(inside(public, &lines, "ALB"), "{all}");
    assert!(!inside(private, &lines, "ALB"), "{all}");
    for m in ["App Server", "Database"] {
        assert!(inside(private, &lines, m), "{m}: {all}");
        assert!(!inside(public, &lines, m), "{m}: {all}");
        assert!(inside(vpc, &lines, m), "{m}: {all}");
    }
    assert!(!inside(vpc, &lines, "Internet"), "{all}");
    // The edges are still drawn: every node is reached by an arrowhead but the source.
    assert_eq!(all.matches('▼').count(), 3, "{all}");
    assert!(!all.contains("group "), "all framed, none listed: {all}");
}

#[test]
fn the_ascii_containers_keep_the_authors_grid_inside_their_frames() {
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/diagrams/ascii/vpc-containers.txt"),
    )
    .unwrap();
    let g = diagram::ascii::parse(&src).expect("a picture");
    assert_eq!(g.subgraphs.len(), 3);
    let d = diagram::draw(&g, false, false);
    let lines = d.canvas.lines(false);
    let all = lines.join("\n");
    let vpc = frame(&lines, "VPC 10.0.0.0/16");
    let public = frame(&lines, "Public subnet");
    let private = frame(&lines, "Private subnet");
    assert!(within(vpc, public) && within(vpc, private), "{all}");
    assert!(public.2 < private.0, "side by side, apart: {all}");
    assert!(inside(public, &lines, "ALB") && !inside(private, &lines, "ALB"));
    assert!(inside(private, &lines, "앱 서버") && !inside(public, &lines, "앱 서버"));
    assert!(inside(vpc, &lines, "RDS"), "{all}");
    assert!(!inside(public, &lines, "RDS") && !inside(private, &lines, "RDS"));
    // The author's grid: ALB and the app server on one row, RDS under them.
    let (alb, app, rds) = (
        find(&lines, "ALB").unwrap(),
        find(&lines, "앱 서버").unwrap(),
        find(&lines, "RDS").unwrap(),
    );
    assert_eq!(alb.1, app.1, "{all}");
    assert!(rds.1 > app.1, "{all}");
    // The arrow from ALB into the app server crosses both frames' sides and is kept.
    assert!(lines[alb.1].contains('▶'), "{all}");
}

#[test]
fn a_d2_container_in_a_container_is_a_frame_in_a_frame() {
    let g = diagram::d2::parse("vpc: { subnet: { ec2 } }\nuser -> vpc.subnet.ec2\n");
    let lines = text(&g);
    let all = lines.join("\n");
    let (vpc, subnet) = (frame(&lines, "vpc"), frame(&lines, "subnet"));
    assert!(within(vpc, subnet), "{all}");
    assert!(inside(subnet, &lines, "ec2"), "{all}");
    assert!(!inside(vpc, &lines, "user"), "{all}");
    assert!(all.contains('▼'), "the edge into ec2 is drawn: {all}");
}

#[test]
fn a_node_beside_a_group_is_kept_out_of_its_frame() {
    // The cache sits beside the database, under the app server: the order keeps it out of
    // Private's block and the frame's sides, so Private is framed, not listed.
    let g = diagram::mermaid::parse(&format!("{NESTED}  app --> cache[Cache]\n"));
    let d = diagram::draw(&g, false, false);
    let lines = d.canvas.lines(false);
    let all = lines.join("\n");
    assert!(!all.contains("□ group"), "{all}");
    let (vpc, private) = (frame(&lines, "VPC"), frame(&lines, "Private"));
    assert!(!inside(private, &lines, "Cache") && !inside(vpc, &lines, "Cache"));
    assert!(inside(private, &lines, "Database"), "{all}");
    assert_framed(&g, &d);
}

#[test]
fn a_node_in_two_groups_is_listed_in_the_legend() {
    // Nothing can frame both: the second group, whose box would hold the first's frame,
    // is a legend line; the first is still framed.
    let mut g = diagram::mermaid::parse(
        "flowchart TB\n  subgraph one [First]\n    a --> b\n  end\n  subgraph two [Second]\n    \
         c\n  end\n  b --> c\n",
    );
    g.subgraphs[1].nodes.push("a".into());
    let lines = text(&g);
    let all = lines.join("\n");
    frame(&lines, "First");
    assert!(
        lines.iter().any(|l| l.starts_with("□ group Second: ")),
        "{all}"
    );
}

#[test]
fn hangul_titles_are_measured_in_columns_and_odd_groups_never_panic() {
    let g = diagram::mermaid::parse(
        "flowchart LR\n  subgraph pub [공개 서브넷]\n    a[웹 서버] --> b[앱]\n  end\n  c --> a\n",
    );
    let lines = text(&g);
    let f = frame(&lines, "공개 서브넷");
    assert!(inside(f, &lines, "웹 서버") && inside(f, &lines, "앱"));
    assert!(!inside(f, &lines, "c"), "{}", lines.join("\n"));
    // Groups nested in each other, in themselves, empty, naming nodes that are not there.
    let mut g = diagram::mermaid::parse("flowchart TB\n  a --> b --> c\n");
    for (id, nodes, subs) in [
        ("x", vec!["a", "zz"], vec!["y", "x"]),
        ("y", vec!["b"], vec!["x"]),
        ("e", vec![], vec![]),
        ("", vec!["c", "c"], vec!["nope"]),
    ] {
        g.subgraphs.push(diagram::Subgraph {
            id: id.into(),
            title: "긴 제목 ".repeat(30),
            nodes: nodes.into_iter().map(String::from).collect(),
            subgraphs: subs.into_iter().map(String::from).collect(),
            direction: Some(diagram::Direction::LR),
        });
    }
    // Edges to them: a group nested in itself, an empty one, one that is not there, a group
    // to a node inside it.
    for (from, to) in [
        ("a", "x"),
        ("x", "e"),
        ("e", "c"),
        ("y", "x"),
        ("x", "a"),
        ("nope", "y"),
    ] {
        g.edges.push(diagram::Edge::new(from, to, None));
    }
    for (relayout, compact, top_down) in [(false, false, false), (true, true, true)] {
        let d = diagram::draw_as(&g, relayout, compact, top_down);
        assert!(!d.canvas.lines(true).is_empty());
    }
}

#[test]
fn a_frame_widens_for_its_title_and_keeps_off_its_neighbours() {
    let g = diagram::mermaid::parse(
        "flowchart LR\n  subgraph VPC\n    subgraph Public [공개 서브넷]\n      alb[ALB]\n    end\n    \
         subgraph Private\n      app[App Server] -->|SQL| db[(Database)]\n    end\n  end\n  \
         internet[Internet] --> alb\n  alb --> app\n",
    );
    let d = diagram::draw(&g, false, false);
    let lines = d.canvas.lines(false);
    let all = lines.join("\n");
    // The title is longer than ALB's box: the frame is as long as the title, whole.
    let public = frame(&lines, "공개 서브넷");
    assert!(
        public.2 - public.0 + 1 >= "┌─ 공개 서브넷 ─┐".width(),
        "{all}"
    );
    let (vpc, private) = (frame(&lines, "VPC"), frame(&lines, "Private"));
    assert!(!all.contains("□ group"), "{all}");
    let internet = find(&lines, "Internet").unwrap();
    assert!(vpc.0 > internet.0 + "Internet".width() + 2, "{all}");
    assert!(public.2 + 1 < private.0, "a blank column between: {all}");
    assert!(within(vpc, public) && within(vpc, private), "{all}");
    assert_framed(&g, &d);
}

/// A box as (x0, y0, x1, y1), inclusive.
type Rect = (usize, usize, usize, usize);

/// The groups holding node `id` at any depth (indices in `g.subgraphs`).
fn groups_of(g: &Graph, id: &str) -> Vec<usize> {
    let mut out: Vec<usize> = g
        .subgraphs
        .iter()
        .enumerate()
        .filter(|(_, s)| s.nodes.iter().any(|n| n == id))
        .map(|(i, _)| i)
        .collect();
    let mut k = 0;
    while k < out.len() {
        let id = g.subgraphs[out[k]].id.clone();
        for (p, s) in g.subgraphs.iter().enumerate() {
            if s.subgraphs.contains(&id) && !out.contains(&p) {
                out.push(p);
            }
        }
        k += 1;
    }
    out
}

/// Whether `a` is nested in `b` at any depth.
fn nested_in(g: &Graph, a: usize, b: usize) -> bool {
    let mut at = a;
    for _ in 0..g.subgraphs.len() {
        match g
            .subgraphs
            .iter()
            .position(|s| s.subgraphs.contains(&g.subgraphs[at].id))
        {
            Some(p) if p == b => return true,
            Some(p) => at = p,
            None => return false,
        }
    }
    false
}

/// Apart with a blank cell between.
fn apart(a: Rect, b: Rect) -> bool {
    a.2 + 1 < b.0 || b.2 + 1 < a.0 || a.3 + 1 < b.1 || b.3 + 1 < a.1
}

/// Inside with a blank cell between (the inner box's cells off the outer's border and the
/// cells next to it).
fn inside_with_gap(outer: Rect, inner: Rect) -> bool {
    outer.0 + 1 < inner.0 && inner.2 + 1 < outer.2 && outer.1 + 1 < inner.1 && inner.3 + 1 < outer.3
}

/// Every group framed under its title (none in the legend); frames pairwise apart or nested
/// with a blank cell between; each node's box inside exactly the frames of its groups, with
/// a blank cell, and apart from every other frame.
fn assert_framed(g: &Graph, d: &diagram::Drawing) {
    let lines = d.canvas.lines(false);
    let all = lines.join("\n");
    assert!(!all.contains("□ group"), "every group framed: {all}");
    let rects: Vec<Rect> = g
        .subgraphs
        .iter()
        .map(|s| frame(&lines, if s.title.is_empty() { &s.id } else { &s.title }))
        .collect();
    for (a, &ra) in rects.iter().enumerate() {
        for (b, &rb) in rects.iter().enumerate().skip(a + 1) {
            let ok = if nested_in(g, a, b) {
                inside_with_gap(rb, ra)
            } else if nested_in(g, b, a) {
                inside_with_gap(ra, rb)
            } else {
                apart(ra, rb)
            };
            assert!(
                ok,
                "frames {} and {}: {ra:?} {rb:?}\n{all}",
                g.subgraphs[a].title, g.subgraphs[b].title
            );
        }
    }
    for (k, n) in g.nodes.iter().enumerate() {
        let b = d.layout.nodes[k];
        let rb = (b.x, b.y, b.x + b.w - 1, b.y + b.h - 1);
        let mine = groups_of(g, &n.id);
        for (s, &r) in rects.iter().enumerate() {
            if mine.contains(&s) {
                assert!(
                    inside_with_gap(r, rb),
                    "{} in {}:\n{all}",
                    n.label,
                    g.subgraphs[s].title
                );
            } else {
                assert!(
                    apart(r, rb),
                    "{} out of {}:\n{all}",
                    n.label,
                    g.subgraphs[s].title
                );
            }
        }
    }
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/diagrams")
            .join(name),
    )
    .unwrap()
}

#[test]
fn interleaved_nested_subgraphs_stay_together_in_every_drawing() {
    // Declared group by group, linked out of order: the edges' depth-first order puts
    // CloudWatch Logs between the web and API servers and S3 between RDS and Redis, and the
    // NAT gateway (Public) in the same rank as RDS (Private, data).
    let g = diagram::mermaid::parse(&fixture("mermaid/nested-interleaved.mmd"));
    assert_eq!(g.subgraphs.len(), 4);
    for (relayout, compact, top_down) in [
        (false, false, false),
        (false, true, false),
        (true, false, true),
    ] {
        let d = diagram::draw_as(&g, relayout, compact, top_down);
        assert_framed(&g, &d);
    }
    // Left to right too.
    let lr = diagram::mermaid::parse(
        &fixture("mermaid/nested-interleaved.mmd").replace("flowchart TB", "flowchart LR"),
    );
    assert_framed(&lr, &diagram::draw(&lr, false, false));
    assert_framed(&lr, &diagram::draw(&lr, false, true));
}

#[test]
fn every_fixture_group_is_framed() {
    for (name, g) in [
        (
            "subgraph-ends",
            diagram::mermaid::parse(&fixture("mermaid/subgraph-ends.mmd")),
        ),
        (
            "subgraph-edges",
            diagram::mermaid::parse(&fixture("mermaid/subgraph-edges.mmd")),
        ),
        (
            "d2 containers",
            diagram::d2::parse(&fixture("d2/containers.d2")),
        ),
        (
            "ascii containers",
            diagram::ascii::parse(&fixture("ascii/vpc-containers.txt")).unwrap(),
        ),
        (
            "ascii regions",
            diagram::ascii::parse(&fixture("ascii/region-azs.txt")).unwrap(),
        ),
    ] {
        for relayout in [false, true] {
            let d = diagram::draw(&g, relayout, false);
            let all = d.canvas.lines(false).join("\n");
            assert!(!all.contains("□ group"), "{name}: {all}");
            assert_framed(&g, &d);
        }
    }
}

/// The route drawn for edge `from` → `to`.
fn route_of<'a>(g: &Graph, d: &'a diagram::Drawing, from: &str, to: &str) -> &'a [(usize, usize)] {
    let e = g
        .edges
        .iter()
        .position(|e| e.from == from && e.to == to)
        .unwrap_or_else(|| panic!("no edge {from} → {to}"));
    &d.layout
        .routes
        .iter()
        .find(|r| r.edge == e)
        .unwrap_or_else(|| panic!("{from} → {to} not drawn"))
        .points
}

/// The glyph at (x, y).
fn glyph(lines: &[String], (x, y): (usize, usize)) -> char {
    cells(&lines[y]).get(x).copied().unwrap_or(' ')
}

/// Whether (x, y) is on the border of `r`.
fn on_border(r: Rect, (x, y): (usize, usize)) -> bool {
    (r.0..=r.2).contains(&x)
        && (r.1..=r.3).contains(&y)
        && (x == r.0 || x == r.2 || y == r.1 || y == r.3)
}

/// The cell next to `p` that an arrowhead at `p` points at.
fn pointed(lines: &[String], p: (usize, usize)) -> (usize, usize) {
    match glyph(lines, p) {
        '▼' => (p.0, p.1 + 1),
        '▲' => (p.0, p.1 - 1),
        '▶' => (p.0 + 1, p.1),
        '◀' => (p.0 - 1, p.1),
        other => panic!("no arrowhead at {p:?} but {other:?}:\n{}", lines.join("\n")),
    }
}

/// An edge between a group and a node or group inside it is drawn inside the group's frame:
/// from a tee on the border to the arrowhead at the member, or from the member to an
/// arrowhead at the border (a tee there when it has no head); never dropped.
fn assert_inner_edges(g: &Graph, title: &str, inner: &[(&str, &str)]) {
    for compact in [false, true] {
        for relayout in [false, true] {
            let d = diagram::draw(g, relayout, compact);
            let lines = d.canvas.lines(false);
            let all = lines.join("\n");
            let what = format!("compact {compact}:\n{all}");
            assert!(!all.contains("not drawn"), "{what}");
            let outer = frame(&lines, title);
            for &(from, to) in inner {
                let pts = route_of(g, &d, from, to);
                let (first, last) = (pts[0], pts[pts.len() - 1]);
                let near = |p: (usize, usize)| {
                    [
                        (p.0, p.1.wrapping_sub(1)),
                        (p.0, p.1 + 1),
                        (p.0.wrapping_sub(1), p.1),
                        (p.0 + 1, p.1),
                    ]
                    .into_iter()
                    .filter(|&q| on_border(outer, q))
                    .collect::<Vec<_>>()
                };
                let group_first =
                    g.end_is_subgraph(from) && g.subgraph(from) == g.subgraph(title_id(g, title));
                let (at_frame, at_member) = if group_first {
                    (first, last)
                } else {
                    (last, first)
                };
                let border = near(at_frame);
                assert_eq!(
                    border.len(),
                    1,
                    "{from} → {to}: just inside the frame: {what}"
                );
                let b = glyph(&lines, border[0]);
                let e = g
                    .edges
                    .iter()
                    .find(|e| e.from == from && e.to == to)
                    .unwrap();
                if group_first || e.head == diagram::Head::None {
                    assert!(
                        "┬┴├┤".contains(b),
                        "{from} → {to}: a tee on the border, {b:?}: {what}"
                    );
                } else {
                    assert_eq!(
                        pointed(&lines, at_frame),
                        border[0],
                        "{from} → {to}: {what}"
                    );
                }
                if group_first {
                    // The head at the member: its box, or a nested group's frame.
                    let p = pointed(&lines, at_member);
                    let hit = match g.node(to) {
                        Some(k) => {
                            let b = d.layout.nodes[k];
                            (b.x..b.x + b.w).contains(&p.0) && (b.y..b.y + b.h).contains(&p.1)
                        }
                        None => {
                            let t = &g.subgraphs[g.subgraph(to).unwrap()].title;
                            on_border(frame(&lines, t), p)
                        }
                    };
                    assert!(hit, "{from} → {to}: into {to}: {what}");
                }
            }
        }
    }
}

/// The id of the group titled `title`.
fn title_id<'a>(g: &'a Graph, title: &str) -> &'a str {
    &g.subgraphs.iter().find(|s| s.title == title).unwrap().id
}

#[test]
fn an_edge_between_a_group_and_its_own_member_is_drawn_inside_the_frame() {
    let g = diagram::mermaid::parse(&fixture("mermaid/group-to-member.mmd"));
    assert_inner_edges(
        &g,
        "고객 VPC",
        &[("VPC", "A"), ("B", "VPC"), ("VPC", "S"), ("C", "VPC")],
    );
    let mut tb = g.clone();
    tb.direction = Some(diagram::Direction::TB);
    assert_inner_edges(
        &tb,
        "고객 VPC",
        &[("VPC", "A"), ("B", "VPC"), ("VPC", "S"), ("C", "VPC")],
    );
    let g = diagram::d2::parse(&fixture("d2/group-to-member.d2"));
    assert_inner_edges(&g, "고객 VPC", &[("vpc", "vpc.a"), ("vpc.b", "vpc")]);
    // Its label is on the picture, the head kept.
    let lines = text(&g);
    let all = lines.join("\n");
    for label in ["시작", "반환"] {
        assert!(all.contains(label), "{label}: {all}");
    }
}

#[test]
fn an_edge_between_a_group_that_cannot_be_framed_and_its_member_is_said_not_drawn() {
    let mut g = diagram::mermaid::parse(
        "flowchart TB\n  subgraph one [First]\n    a --> b\n  end\n  subgraph two [Second]\n    \
         c\n  end\n  b --> c\n  two --> c\n",
    );
    g.subgraphs[1].nodes.push("a".into());
    let lines = text(&g);
    let all = lines.join("\n");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("□ Second → c: not drawn")),
        "{all}"
    );
}

/// Jogs crossing a frame's top border everywhere (as left to right, where they bend through
/// the title's row) never cut its title: it moves along the top border to a free stretch, and
/// with none there to the bottom border, whole.
#[test]
fn a_title_with_no_room_between_jogs_moves_whole() {
    use diagram::canvas::draw_framed;
    use diagram::frames::{Frame, Frames};
    use diagram::layout::{Layout, NodeBox, Route};
    let mut g = diagram::mermaid::parse(
        "flowchart LR\n  subgraph G[보안 그룹]\n    m[앱]\n  end\n  a --> m\n  b --> m\n  c --> m\n  d --> m\n",
    );
    g.direction = Some(diagram::Direction::LR);
    let frame = |w: usize| Frame {
        group: 0,
        x: 0,
        y: 2,
        w,
        h: 7,
        title: "보안 그룹".into(),
        listing: "group 보안 그룹: 앱".into(),
    };
    // Four vertical lines through the top border, `gap` columns apart.
    let drawn = |gap: usize| {
        let width = 30;
        let mut nodes = vec![NodeBox {
            x: 10,
            y: 4,
            w: 6,
            h: 3,
        }];
        let mut routes = Vec::new();
        for k in 0..4 {
            nodes.push(NodeBox {
                x: 1 + k * gap,
                y: 0,
                w: 1,
                h: 1,
            });
            routes.push(Route {
                edge: k,
                points: vec![(2 + k * gap, 1), (2 + k * gap, 3)],
                label: None,
            });
        }
        // (The graph's order: m first, then a..d.)
        let layout = Layout {
            width,
            height: 10,
            direction: diagram::Direction::LR,
            nodes,
            routes,
            crossings: 0,
            compact: false,
            groups: vec![None],
        };
        let frames = Frames {
            frames: vec![frame(width)],
            listed: Vec::new(),
            undrawn: Vec::new(),
        };
        let c = draw_framed(&g, &layout, &frames);
        (c.lines(false), c.legend.clone())
    };
    // Room between the jogs: on the top border, past them.
    let (lines, legend) = drawn(3);
    let all = lines.join("\n");
    assert!(
        lines[2].contains("─ 보안 그룹 ─") && legend.is_empty(),
        "{all}"
    );
    // Jogs every 5 columns and through the end: no stretch of the top border holds it.
    let (lines, legend) = drawn(6);
    let all = lines.join("\n");
    assert!(!lines[2].contains("보안"), "not cut on the top: {all}");
    assert!(
        lines[8].contains("└─ 보안 그룹 ─"),
        "on the bottom border: {all}"
    );
    assert!(legend.is_empty(), "{legend:?}");
}

/// A label kept room for on the part of a route a frame cut off is put on what is left of
/// its line (or its marker is), never where the cut part was.
#[test]
fn a_label_stays_by_the_part_of_its_edge_left_after_the_frame() {
    use vaultscope::diagram::canvas::{Cell, Role};
    let g = diagram::mermaid::parse(&fixture("mermaid/player-regions.mmd"));
    for compact in [false, true] {
        let d = diagram::draw(&g, false, compact);
        let all = d.canvas.lines(false).join("\n");
        for (e, edge) in g.edges.iter().enumerate() {
            if edge.label.is_none() {
                continue;
            }
            let Some(route) = d.layout.routes.iter().find(|r| r.edge == e) else {
                continue;
            };
            let mut line: Vec<(usize, usize)> = Vec::new();
            for w in route.points.windows(2) {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                for x in x0.min(x1)..=x0.max(x1) {
                    for y in y0.min(y1)..=y0.max(y1) {
                        line.push((x, y));
                    }
                }
            }
            let text: Vec<(usize, usize)> = (0..d.canvas.height)
                .flat_map(|y| (0..d.canvas.width).map(move |x| (x, y)))
                .filter(|&(x, y)| matches!(d.canvas.cell(x, y), Cell::Text { role: Role::Edge(k), .. } if *k == e))
                .collect();
            let near = text.iter().any(|&(x, y)| {
                line.iter()
                    .any(|&(lx, ly)| lx.abs_diff(x) + ly.abs_diff(y) <= 2)
            });
            assert!(
                near,
                "{} → {} ({:?}): its label or marker by its line, compact {compact}:\n{all}",
                edge.from, edge.to, edge.label
            );
        }
    }
}

/// A label kept room for where a frame's border crosses its run goes further along the run,
/// on the picture, not to the legend.
#[test]
fn a_label_moves_along_its_run_past_a_frame_border() {
    let g = diagram::d2::parse(&fixture("d2/sequence-inside.d2"));
    let d = diagram::draw(&g, false, false);
    let lines = d.canvas.lines(false);
    let all = lines.join("\n");
    assert!(d.canvas.legend.is_empty(), "{all}");
    let row = lines.iter().find(|l| l.contains("user_id")).unwrap();
    assert!(row.contains("├─┼─FK─"), "{all}");
}

#[test]
fn an_edge_to_or_from_a_subgraph_ends_on_its_frame() {
    let g = diagram::mermaid::parse(&fixture("mermaid/subgraph-edges.mmd"));
    for end in ["edge", "vpc", "priv"] {
        assert!(g.end_is_subgraph(end), "{end}");
    }
    for direction in ["TB", "LR", "BT"] {
        let g = diagram::mermaid::parse(
            &fixture("mermaid/subgraph-edges.mmd")
                .replace("flowchart TB", &format!("flowchart {direction}")),
        );
        let d = diagram::draw(&g, false, false);
        let lines = d.canvas.lines(false);
        let all = lines.join("\n");
        assert_framed(&g, &d);
        let edge = frame(&lines, "Edge 엣지");
        let vpc = frame(&lines, "VPC");
        let private = frame(&lines, "프라이빗 서브넷");
        // Into a group: the arrowhead just outside the frame, pointing at its border, never
        // at a member.
        for (from, to, r) in [
            ("user", "edge", edge),
            ("edge", "vpc", vpc),
            ("admin", "priv", private),
        ] {
            let pts = route_of(&g, &d, from, to);
            let last = *pts.last().unwrap();
            assert!(!on_border(r, last), "{direction} {from} → {to}: {all}");
            assert!(
                on_border(r, pointed(&lines, last)),
                "{direction} {from} → {to}: {all}"
            );
        }
        // Out of a group: the route starts just outside the frame, the border a tee there.
        for (from, to, r) in [("edge", "vpc", edge), ("vpc", "monitor", vpc)] {
            let pts = route_of(&g, &d, from, to);
            let (first, next) = (pts[0], pts[1]);
            // The cell behind the first one, away from where the route goes.
            let b = if first.0 == next.0 {
                (
                    first.0,
                    if next.1 > first.1 {
                        first.1 - 1
                    } else {
                        first.1 + 1
                    },
                )
            } else {
                (
                    if next.0 > first.0 {
                        first.0 - 1
                    } else {
                        first.0 + 1
                    },
                    first.1,
                )
            };
            assert!(
                !on_border(r, first) && on_border(r, b),
                "{direction} {from} → {to}: {all}"
            );
            assert!(
                "┬┴├┤".contains(glyph(&lines, b)),
                "{direction} {from} → {to} leaves through a tee: {all}"
            );
        }
        // Where an edge crosses a frame's border, the border shows the crossing.
        assert!(all.contains('┼'), "{direction}: {all}");
    }
}

#[test]
fn a_d2_edge_to_a_container_ends_on_its_frame() {
    let g = diagram::d2::parse(
        "vpc: VPC {\n  subnet: 서브넷 {\n    ec2\n    rds\n  }\n}\nuser -> vpc\nvpc.subnet -> logs\n",
    );
    assert!(g.end_is_subgraph("vpc"));
    let d = diagram::draw(&g, false, false);
    let lines = d.canvas.lines(false);
    let all = lines.join("\n");
    assert_framed(&g, &d);
    let vpc = frame(&lines, "VPC");
    let pts = route_of(&g, &d, "user", "vpc");
    assert!(
        on_border(vpc, pointed(&lines, *pts.last().unwrap())),
        "{all}"
    );
    let subnet_id = g.subgraphs[1].id.clone();
    let out = route_of(&g, &d, &subnet_id, "logs");
    assert!(!on_border(frame(&lines, "서브넷"), out[0]), "{all}");
}

#[test]
fn diagram_json_keeps_a_subgraph_end_as_the_group_id() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("edges.md"),
        format!(
            "# Edges\n\n```mermaid\n{}```\n",
            fixture("mermaid/subgraph-edges.mmd")
        ),
    )
    .unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .args(["--vault", ".", "diagram", "edges", "--json"])
        .current_dir(dir.path())
        .env_remove("VAULTSCOPE_VAULT")
        .output()
        .expect("the binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let edges: Vec<(String, String)> = v["diagrams"][0]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_owned(),
                e["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (from, to) in [
        ("user", "edge"),
        ("edge", "vpc"),
        ("vpc", "monitor"),
        ("admin", "priv"),
    ] {
        assert!(
            edges.contains(&(from.to_owned(), to.to_owned())),
            "{from} → {to} in {edges:?}"
        );
    }
    let ids: Vec<&str> = v["diagrams"][0]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|gr| gr["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["edge", "vpc", "pub", "priv"]);
}

/// The row a label is drawn on.
fn row(lines: &[String], label: &str) -> usize {
    find(lines, label)
        .unwrap_or_else(|| panic!("no {label}:\n{}", lines.join("\n")))
        .1
}

#[test]
fn a_subgraph_direction_is_honoured_when_no_edge_crosses_its_border() {
    // `edge` is LR in a TB chart, and only edges to the group itself cross its border.
    let g = diagram::mermaid::parse(&fixture("mermaid/subgraph-ends.mmd"));
    for compact in [false, true] {
        let d = diagram::draw(&g, false, compact);
        let lines = d.canvas.lines(false);
        let all = lines.join("\n");
        assert_framed(&g, &d);
        assert_eq!(
            row(&lines, "CDN"),
            row(&lines, "WAF"),
            "side by side: {all}"
        );
        assert!(row(&lines, "App") > row(&lines, "CDN"), "{all}");
        // user → edge still ends on the frame, the title whole beside it.
        let edge = frame(&lines, "엣지 계층");
        let pts = route_of(&g, &d, "user", "edge");
        assert!(
            on_border(edge, pointed(&lines, *pts.last().unwrap())),
            "{all}"
        );
    }
    // A TB pipeline in an LR chart, with an LR group inside it whose edge in crosses its
    // border (so that one follows the pipeline's TB), and a TB group whose node has an edge
    // out (so it follows the chart's LR).
    let g = diagram::mermaid::parse(
        "flowchart LR\n  subgraph pipeline [빌드 파이프라인]\n    direction TB\n    \
         checkout[Checkout] --> build[Build] --> test[Test]\n    subgraph deploy [배포]\n      \
         direction LR\n      stage[Staging] --> prod[Production]\n    end\n    test --> stage\n  \
         end\n  dev[Developer] --> pipeline\n  pipeline --> users[Users]\n  subgraph mixed [Mixed]\n    \
         direction TB\n    a[Alpha] --> b[Beta]\n  end\n  b --> users\n",
    );
    let d = diagram::draw(&g, false, false);
    let lines = d.canvas.lines(false);
    let all = lines.join("\n");
    assert_framed(&g, &d);
    assert!(row(&lines, "Checkout") < row(&lines, "Build"), "{all}");
    assert!(row(&lines, "Build") < row(&lines, "Test"), "{all}");
    assert!(
        row(&lines, "Staging") < row(&lines, "Production"),
        "deploy follows TB: {all}"
    );
    assert_eq!(
        row(&lines, "Alpha"),
        row(&lines, "Beta"),
        "mixed follows LR: {all}"
    );
    let pipeline = frame(&lines, "빌드 파이프라인");
    let pts = route_of(&g, &d, "dev", "pipeline");
    assert!(
        on_border(pipeline, pointed(&lines, *pts.last().unwrap())),
        "{all}"
    );
}

fn pane(dir: &Path, w: u16, h: u16, keys: &str) -> String {
    let vault = Vault::load(dir).expect("vault");
    snapshot_at(vault, w, h, &parse_keys(keys).unwrap(), NOW).expect("snapshot")
}

#[test]
fn snapshots_of_nested_frames() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("vpc.md"),
        format!("# VPC\n\n```mermaid\n{NESTED}```\n"),
    )
    .unwrap();
    insta::assert_snapshot!("nested_frames_80x24", pane(dir.path(), 80, 24, "3z"));
    insta::assert_snapshot!("nested_frames_120x40", pane(dir.path(), 120, 40, "3z"));
}

#[test]
fn snapshots_of_subgraph_edges() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("edges.md"),
        format!(
            "# 엣지와 VPC\n\n```mermaid\n{}```\n",
            fixture("mermaid/subgraph-edges.mmd")
        ),
    )
    .unwrap();
    insta::assert_snapshot!("subgraph_edges_80x24", pane(dir.path(), 80, 24, "3z"));
    insta::assert_snapshot!("subgraph_edges_120x40", pane(dir.path(), 120, 40, "3z"));
}
