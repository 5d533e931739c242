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
    for y in y0 + 1..y1 {
        assert_eq!(at(x0, y), '│', "{title}: left side at row {y}");
        assert_eq!(at(x1, y), '│', "{title}: right side at row {y}");
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
fn a_group_whose_box_holds_a_stranger_is_listed_instead() {
    // The cache sits beside the database, under the app server: Private's box would hold it.
    let g = diagram::mermaid::parse(&format!("{NESTED}  app --> cache[Cache]\n"));
    let lines = text(&g);
    let all = lines.join("\n");
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("group Private: App Server, Database")),
        "{all}"
    );
    // Nothing drawn around the cache's row holds it.
    assert!(frame(&lines, "Public").3 < find(&lines, "App Server").unwrap().1);
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
            direction: None,
        });
    }
    for (relayout, compact, top_down) in [(false, false, false), (true, true, true)] {
        let d = diagram::draw_as(&g, relayout, compact, top_down);
        assert!(!d.canvas.lines(true).is_empty());
    }
}

#[test]
fn a_frame_widened_for_its_title_keeps_off_its_neighbours() {
    let g = diagram::mermaid::parse(
        "flowchart LR\n  subgraph VPC\n    subgraph Public [공개 서브넷]\n      alb[ALB]\n    end\n    \
         subgraph Private\n      app[App Server] -->|SQL| db[(Database)]\n    end\n  end\n  \
         internet[Internet] --> alb\n  alb --> app\n",
    );
    let lines = text(&g);
    let all = lines.join("\n");
    let vpc = frame(&lines, "VPC");
    let private = frame(&lines, "Private");
    // The title has no room between the Internet box and the Private frame: it is cut, and
    // the group is in the legend; nothing touches.
    let public = frame(&lines, "공개…");
    assert!(
        lines.iter().any(|l| l == "□ group 공개 서브넷: ALB"),
        "{all}"
    );
    let internet = find(&lines, "Internet").unwrap();
    assert!(vpc.0 > internet.0 + "Internet".width() + 2, "{all}");
    assert!(public.2 + 1 < private.0, "{all}");
    assert!(within(vpc, public) && within(vpc, private), "{all}");
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
