//! Drawing diagrams so they can be read (issue 13 §3): fitting the pane (a top-to-bottom
//! layout when left-to-right is too wide, overflow marks and scrolling when nothing fits),
//! edge styles, groups as frames and separable parallel edges. The text of the drawn canvas
//! and of the diagram pane is asserted; insta keeps whole panes.

use std::path::Path;

use vaultscope::diagram::canvas::Role;
use vaultscope::diagram::{self, Direction, Graph};
use vaultscope::tui::{keymap::parse_keys, snapshot_at};
use vaultscope::vault::Vault;

/// 2026-11-30 00:00 UTC.
const NOW: i64 = 1_795_996_800;

fn mermaid(src: &str) -> Graph {
    diagram::mermaid::parse(src)
}

fn text(d: &diagram::Drawing) -> String {
    d.canvas.lines(false).join("\n")
}

fn one_note(name: &str, body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), body).unwrap();
    dir
}

fn pane(dir: &Path, w: u16, h: u16, keys: &str) -> String {
    let vault = Vault::load(dir).expect("vault");
    snapshot_at(vault, w, h, &parse_keys(keys).unwrap(), NOW).expect("snapshot")
}

fn starter() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("notes")
}

/// A left-to-right chain of eight services, far wider than 80 columns.
const WIDE_LR: &str = "flowchart LR\n  a[Load Balancer] --> b[Web Frontend] --> c[Order Service] \
     --> d[Payment Gateway] --> e[Fraud Check] --> f[Ledger Writer] --> g[Notification Hub] \
     --> h[Audit Archive]\n";

fn wide_note() -> tempfile::TempDir {
    one_note(
        "wide.md",
        &format!("# Wide chain\n\n```mermaid\n{WIDE_LR}```\n"),
    )
}

// ---- 1. Fit the pane ----

#[test]
fn a_left_to_right_chain_too_wide_for_the_pane_is_laid_out_top_to_bottom() {
    let g = mermaid(WIDE_LR);
    let own = diagram::draw(&g, false, false);
    assert_eq!(own.layout.direction, Direction::LR);
    assert!(
        own.canvas.width > 120,
        "the LR chain is wide: {}",
        own.canvas.width
    );
    // Room for it: the author's direction stays.
    let roomy = diagram::draw_fitted(&g, false, own.canvas.width);
    assert_eq!(roomy.layout.direction, Direction::LR);
    assert!(!roomy.layout.compact);
    // 80 columns: top to bottom, in boxes, and it fits.
    let narrow = diagram::draw_fitted(&g, false, 80);
    assert_eq!(narrow.layout.direction, Direction::TB);
    assert!(narrow.canvas.width <= 80, "{}", text(&narrow));
    let drawn = text(&narrow);
    for label in ["Load Balancer", "Audit Archive", "Fraud Check"] {
        assert!(drawn.contains(label), "{label} in\n{drawn}");
    }
    // Every label is on its own line, one under the other, in chain order.
    let row = |l: &str| drawn.lines().position(|line| line.contains(l)).unwrap();
    assert!(row("Load Balancer") < row("Web Frontend"));
    assert!(row("Ledger Writer") < row("Audit Archive"));
}

#[test]
fn a_top_to_bottom_graph_is_never_turned() {
    let g = mermaid("flowchart TB\n  a[Alpha] --> b[Beta]\n  a --> c[Gamma]\n");
    assert!(!diagram::fit::turnable(&g, false));
    let d = diagram::draw_fitted(&g, false, 5);
    assert_eq!(d.layout.direction, Direction::TB);
}

#[test]
fn the_diagram_pane_marks_the_sides_that_overflow_and_scrolls_to_them() {
    // The seed's picture at 80x24, the pane zoomed: the top-to-bottom layout fits the width,
    // the height does not: a ▼ on the bottom border, no column cut without a mark.
    let seed = pane(&starter(), 80, 24, "/vpcsm<Enter>3z");
    let lines: Vec<&str> = seed.lines().collect();
    let bottom = lines[lines.len() - 2];
    assert!(bottom.contains('▼'), "{seed}");
    assert!(!lines[0].contains('▲'), "nothing above yet: {seed}");
    // A diagram wider than the pane whatever the layout: ▶ on the right border; walking
    // right past the last node scrolls, and ◀ then shows on the left.
    let dir = one_note(
        "fan.md",
        "# Fan\n\n```mermaid\nflowchart TB\n  hub[Central Message Broker] --> a[Inventory Projection] & \
         b[Customer Timeline] & c[Shipment Tracker] & d[Invoice Renderer]\n```\n",
    );
    let start = pane(dir.path(), 60, 20, "3z");
    let right = |s: &str| s.lines().any(|l| l.ends_with('▶'));
    let left = |s: &str| s.lines().any(|l| l.starts_with('◀'));
    assert!(right(&start) && !left(&start), "{start}");
    let moved = pane(dir.path(), 60, 20, "3zllllllll");
    assert!(left(&moved), "{moved}");
    assert!(moved.contains("Invoice Renderer"), "{moved}");
}

#[test]
fn snapshots_of_fitted_diagrams() {
    let wide = wide_note();
    insta::assert_snapshot!("wide_lr_top_down_80x24", pane(wide.path(), 80, 24, "3z"));
    insta::assert_snapshot!("wide_lr_top_down_120x40", pane(wide.path(), 120, 40, "3z"));
    insta::assert_snapshot!(
        "seed_diagram_80x24",
        pane(&starter(), 80, 24, "/vpcsm<Enter>3z")
    );
    insta::assert_snapshot!(
        "seed_diagram_120x40",
        pane(&starter(), 120, 40, "/vpcsm<Enter>3z")
    );
}

// ---- 2. Code and diagram blocks are never soft-wrapped ----

const WIDE_BLOCKS: &str = "# Wide blocks\n\n```\n[Client Browser] --HTTPS--> [Edge Load Balancer] --gRPC--> [Order Service] --> [Ledger]\n      |                                                               |\n      v                                                               v\n[보안 감사 로그]                                                  [Archive]\n```\n\n```rust\nfn main() { let total: u64 = orders.iter().map(|o| o.amount).sum(); println!(\"{total}\"); }\n```\n";

#[test]
fn a_wide_code_or_diagram_block_is_cut_with_a_marker_never_wrapped() {
    let dir = one_note("wide-blocks.md", WIDE_BLOCKS);
    let screen = pane(dir.path(), 80, 24, "2z");
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains("│ ")).collect();
    // The picture's four lines are four rows; the one wider than the frame is cut with → in
    // its last column.
    let picture: Vec<&&str> = rows
        .iter()
        .filter(|l| {
            l.contains("[Client")
                || l.contains("[보안")
                || l.contains("  |  ")
                || l.contains("  v  ")
        })
        .collect();
    assert_eq!(picture.len(), 4, "{screen}");
    assert!(picture[0].trim_end_matches('│').ends_with('→'), "{screen}");
    assert!(picture[0].contains("[Order Service] →"), "{screen}");
    // Nothing of the picture is wrapped onto a row of its own.
    assert!(
        !screen.contains("│ [Ledger]") && !screen.contains("│ [Archive]"),
        "{screen}"
    );
    assert!(!screen.contains("│ [Order"), "{screen}");
    // The code line too.
    let code = rows.iter().find(|l| l.contains("fn main()")).unwrap();
    assert!(code.trim_end_matches('│').ends_with('→'), "{screen}");
    assert!(!screen.contains("│ println"), "{screen}");
}

#[test]
fn a_wide_block_scrolls_sideways_as_one_so_its_columns_stay() {
    let dir = one_note("wide-blocks.md", WIDE_BLOCKS);
    let start = pane(dir.path(), 80, 24, "2z");
    assert!(!start.contains("[Ledger]"), "{start}");
    let right = pane(dir.path(), 80, 24, "2z>>>>>>");
    assert!(
        right.contains("[Ledger]") && right.contains("[Archive]"),
        "{right}"
    );
    // Scrolled: ← in the first column of every line of both blocks (4 + 1).
    let picture: Vec<&str> = right.lines().filter(|l| l.contains("│ ←")).collect();
    assert_eq!(picture.len(), 5, "{right}");
    // The connector under [Order Service]'s end still stands over [Archive]: the lines moved
    // together (same display column of `|` and of the `[` of [Archive]).
    let col = |line: &str, pat: &str| {
        let at = line.find(pat).unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    let bar = right
        .lines()
        .find(|l| l.contains("│ ←") && l.trim_end_matches(['│', ' ']).ends_with('|'))
        .unwrap();
    let archive = right.lines().find(|l| l.contains("[Archive]")).unwrap();
    let bar_col = bar.trim_end_matches(['│', ' ']).len() - 1;
    let bar_col = unicode_width::UnicodeWidthStr::width(&bar[..bar_col]);
    assert!(
        col(archive, "[Archive]") <= bar_col && bar_col < col(archive, "[Archive]") + 9,
        "{right}"
    );
    // < goes back to the start.
    let back = pane(dir.path(), 80, 24, "2z>>>>>><lt><lt><lt><lt><lt><lt>");
    assert_eq!(back, start);
}

// ---- 3. Edge styles drawn ----

/// The glyphs of the cells only edges drew (not the boxes, not the tees on their borders).
fn edge_glyphs(d: &diagram::Drawing) -> String {
    use vaultscope::diagram::canvas::Role;
    let c = &d.canvas;
    let mut out = String::new();
    for y in 0..c.height {
        for x in 0..c.width {
            if matches!(c.role(x, y), Role::Edge(_))
                && let Some(g) = c.glyph(x, y, false)
            {
                out.push_str(&g);
            }
        }
    }
    out
}

fn styled(direction: Direction, style: diagram::EdgeStyle, head: diagram::Head) -> Graph {
    let mut g = Graph::new(diagram::Syntax::Mermaid);
    g.direction = Some(direction);
    g.add_node("a", Some("Alpha"));
    g.add_node("b", Some("Beta"));
    let mut e = diagram::Edge::new("a", "b", None);
    e.style = style;
    e.head = head;
    g.push_edge(e);
    g
}

#[test]
fn edge_styles_and_heads_are_drawn_with_their_glyphs() {
    use diagram::{EdgeStyle as St, Head as H};
    // (direction, style, head, glyphs that must show, glyphs that must not)
    type Row = (Direction, St, H, &'static [char], &'static [char]);
    let table: &[Row] = &[
        (
            Direction::LR,
            St::Solid,
            H::Arrow,
            &['─', '▶'],
            &['═', '┄', '◀'],
        ),
        (Direction::LR, St::Thick, H::Arrow, &['═', '▶'], &['─', '┄']),
        (Direction::TB, St::Thick, H::Arrow, &['║', '▼'], &['│', '┆']),
        (
            Direction::LR,
            St::Dotted,
            H::Arrow,
            &['┄', '▶'],
            &['─', '═'],
        ),
        (
            Direction::TB,
            St::Dotted,
            H::Arrow,
            &['┆', '▼'],
            &['│', '║'],
        ),
        (
            Direction::LR,
            St::Solid,
            H::None,
            &['─'],
            &['▶', '◀', 'o', 'x'],
        ),
        (Direction::TB, St::Solid, H::None, &['│'], &['▼', '▲']),
        (Direction::LR, St::Solid, H::Both, &['◀', '▶'], &[]),
        (Direction::TB, St::Thick, H::Both, &['▲', '▼', '║'], &[]),
        (Direction::LR, St::Solid, H::Circle, &['o'], &['▶']),
        (Direction::LR, St::Dotted, H::Cross, &['x', '┄'], &['▶']),
    ];
    for &(dir, style, head, want, never) in table {
        let d = diagram::draw(&styled(dir, style, head), false, false);
        let drawn = text(&d);
        let edge = edge_glyphs(&d);
        for c in want {
            assert!(
                edge.contains(*c),
                "{dir:?} {style:?} {head:?}: {c} in\n{drawn}"
            );
        }
        for c in never {
            assert!(
                !edge.contains(*c),
                "{dir:?} {style:?} {head:?}: no {c} in\n{drawn}"
            );
        }
    }
    // With no head the line still reaches the target's border (a tee there).
    let d = diagram::draw(&styled(Direction::LR, St::Solid, H::None), false, false);
    assert!(
        text(&d).contains("├──") && text(&d).contains("─┤"),
        "{}",
        text(&d)
    );
    // ASCII mode keeps the strokes apart.
    let d = diagram::draw(&styled(Direction::LR, St::Thick, H::Arrow), false, false);
    assert!(
        d.canvas.lines(true).join("\n").contains("=>"),
        "{:?}",
        d.canvas.lines(true)
    );
    let d = diagram::draw(&styled(Direction::LR, St::Dotted, H::Cross), false, false);
    assert!(
        d.canvas.lines(true).join("\n").contains(".x"),
        "{:?}",
        d.canvas.lines(true)
    );
}

/// A VPC drawn around its subnets, and a state diagram, as the pane shows them: the frames
/// with their titles around their members, the start and end dots, the labelled transitions.
#[test]
fn snapshots_of_a_vpc_picture_and_a_state_diagram() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagrams");
    let vpc = std::fs::read_to_string(fixtures.join("ascii/vpc-containers.txt")).unwrap();
    let states = std::fs::read_to_string(fixtures.join("mermaid/order-states.mmd")).unwrap();
    let dir = one_note("vpc.md", &format!("# VPC\n\n```\n{vpc}```\n"));
    std::fs::write(
        dir.path().join("states.md"),
        format!("# States\n\n```mermaid\n{states}```\n"),
    )
    .unwrap();
    for (w, h) in [(80, 24), (120, 40)] {
        let shown = pane(dir.path(), w, h, "/vpc<Enter>3z");
        for want in [
            "─ VPC 10.0.0.0/16 ─",
            "─ Public subnet ─",
            "─ Private subnet ─",
            "앱 서버",
        ] {
            assert!(shown.contains(want), "{w}x{h}: no {want:?}\n{shown}");
        }
        insta::assert_snapshot!(format!("vpc_picture_{w}x{h}"), shown);
        let shown = pane(dir.path(), w, h, "/states<Enter>3z");
        for want in ["●", "결제 대기", "timeout", "─ paid ─"] {
            assert!(shown.contains(want), "{w}x{h}: no {want:?}\n{shown}");
        }
        // Left to right with the transitions into and out of `paid` it is wider than 80
        // columns: there it is drawn top to bottom and the end dots are further down.
        if w >= 120 {
            assert!(shown.contains('◉'), "{w}x{h}: no end dot\n{shown}");
        }
        insta::assert_snapshot!(format!("state_diagram_{w}x{h}"), shown);
    }
}

// ---- 4. Parallel edges are separable ----

/// Where edge `e`'s label is drawn: its row and the columns of its first and last cells, its
/// text read back from the canvas. Panics when it is not on the picture in one piece.
fn label_at(d: &diagram::Drawing, e: usize, label: &str) -> (usize, usize, usize) {
    use vaultscope::diagram::canvas::{Cell, Role};
    let c = &d.canvas;
    let mut cells: Vec<(usize, usize)> = Vec::new();
    for y in 0..c.height {
        for x in 0..c.width {
            if matches!(c.cell(x, y), Cell::Text { role: Role::Edge(k), .. } if *k == e) {
                cells.push((x, y));
            }
        }
    }
    let drawn = text(d);
    let (Some(&(x0, y)), Some(&(x1, _))) = (cells.first(), cells.last()) else {
        panic!("no label {label:?} on the picture:\n{drawn}");
    };
    assert!(
        cells.iter().all(|&(_, cy)| cy == y),
        "{label:?} in one row:\n{drawn}"
    );
    let read: String = (x0..=x1).filter_map(|x| c.glyph(x, y, false)).collect();
    assert_eq!(read, label, "{label:?} in one piece:\n{drawn}");
    // The last cell of a wide glyph is its continuation.
    let x1 = x0 + unicode_width::UnicodeWidthStr::width(label) - 1;
    (y, x0, x1)
}

/// Whether the cell is a line drawn by edge `e` alone.
fn only(d: &diagram::Drawing, x: usize, y: usize, e: usize) -> bool {
    use vaultscope::diagram::canvas::Cell;
    let at = d.canvas.edges_at(x, y);
    matches!(d.canvas.cell(x, y), Cell::Line { .. }) && !at.is_empty() && at.iter().all(|&k| k == e)
}

/// Every labelled edge of `src`, drawn in boxes and compact, has its label on the picture (not
/// in the legend) on a run of its own: top to bottom across that edge's line alone (the line
/// goes into the label and on under it), blanks either side; left to right the label inside
/// its run, the edge's own line just before and after it.
fn assert_separable(src: &str) {
    let g = mermaid(src);
    for compact in [false, true] {
        let d = diagram::draw(&g, false, compact);
        let drawn = text(&d);
        let what = format!("compact {compact}, {src}\n{drawn}");
        assert!(d.canvas.legend.is_empty(), "no label in the legend: {what}");
        let across = matches!(d.layout.direction, Direction::TB | Direction::BT);
        for (e, edge) in g.edges.iter().enumerate() {
            let Some(label) = edge.label.as_deref() else {
                continue;
            };
            let (y, x0, x1) = label_at(&d, e, label);
            if across {
                // Written across its own line: the line runs into the label's second column
                // and on under it, a blank either side of the label, so no other line is
                // next to it.
                let x = x0 + usize::from(unicode_width::UnicodeWidthStr::width(label) > 1);
                let has = |y: usize| d.canvas.edges_at(x, y).contains(&e);
                assert!(
                    has(y - 1) && has(y + 1),
                    "{label:?} across its own line: {what}"
                );
                // (The picture's edge is as good as a blank.)
                let blank = |x: Option<usize>| {
                    x.is_none_or(|x| {
                        x >= d.canvas.width || d.canvas.glyph(x, y, false).as_deref() == Some(" ")
                    })
                };
                assert!(
                    blank(x0.checked_sub(1)) && blank(Some(x1 + 1)),
                    "{label:?} alone on its row: {what}"
                );
            } else {
                assert!(
                    only(&d, x0 - 1, y, e) && only(&d, x1 + 1, y, e),
                    "{label:?} on a run of its own: {what}"
                );
            }
        }
    }
}

#[test]
fn parallel_labelled_edges_each_keep_a_run_and_their_label_beside_it() {
    for dir in ["TB", "LR", "BT", "RL"] {
        assert_separable(&format!(
            "flowchart {dir}\n  client[Client] -- HTTPS --> api[API]\n  client -- gRPC --> api\n"
        ));
        assert_separable(&format!(
            "flowchart {dir}\n  app[앱 서버] -- HTTPS 요청 --> db[(Database)]\n  app -- 실패 시 --> db\n  \
             app -- gRPC --> db\n"
        ));
        // Leaving one short side for different nodes: a compact [A] has one cell to leave
        // from, which the labelled edges no longer share a run from.
        assert_separable(&format!(
            "flowchart {dir}\n  A -- HTTPS 요청 --> B\n  A -- gRPC --> C\n  A --> D\n"
        ));
    }
}

/// The starter vault's Studio note: five lines leave `Studio App ENI`, four labelled.
const STUDIO: &str = "graph TD
    U[Data Scientist Browser] -->|Direct Connect or VPN| SE
    subgraph VPC[Customer VPC - Private Subnets]
        SE(Studio Interface Endpoint)
        APP[Studio App ENI] -->|HTTPS 443| API(sagemaker.api Endpoint)
        APP -->|HTTPS 443| STS(sts Endpoint)
        APP -->|HTTPS 443| RT(sagemaker.runtime Endpoint)
        APP -->|NFS 2049| EFS[(Domain EFS Volume)]
        APP --> S3GW{{S3 Gateway Endpoint}}
    end
    SE --> STUDIO[SageMaker Studio Service]
    S3GW --> S3[(Amazon S3)]
";

#[test]
fn fan_out_labels_each_sit_on_their_own_line() {
    // Each label written across its own line, blanks either side: never between two lines.
    assert_separable(STUDIO);
    for dir in ["TB", "BT"] {
        assert_separable(&format!(
            "flowchart {dir}\n  A[게이트웨이] -- 인증 --> B\n  A -- 로그 --> C\n  A --> D\n  A -- x --> E\n  \
             A -- 실패 시 재시도 --> F\n"
        ));
    }
    let d = diagram::draw(&mermaid(STUDIO), false, false);
    assert!(
        text(&d).contains("HTTPS 443  HTTPS 443  HTTPS 443  NFS 2049"),
        "{}",
        text(&d)
    );
}

#[test]
fn parallel_edges_between_boxes_of_one_width_run_straight() {
    // Top to bottom: both boxes as wide as the labels need, the three lines straight down.
    let g = mermaid(
        "flowchart TB\n  app[앱 서버] -- HTTPS 요청 --> db[(Database)]\n  app -- 실패 시 --> db\n  \
         app -- gRPC --> db\n",
    );
    let d = diagram::draw(&g, false, false);
    let (a, b) = (d.layout.nodes[0], d.layout.nodes[1]);
    assert_eq!((a.x, a.w), (b.x, b.w), "{}", text(&d));
    for r in &d.layout.routes {
        assert_eq!(r.points.len(), 2, "a straight line: {}", text(&d));
    }
    assert!(
        text(&d).contains("HTTPS 요청  실패 시  gRPC"),
        "{}",
        text(&d)
    );
}

#[test]
fn unlabelled_edges_may_share_a_short_side_and_a_trunk() {
    // The decision: runs are kept apart for labels. Unlabelled edges fanning out of a compact
    // [A] (one cell to leave from, left to right) share that cell and split further on, a
    // trunk with a junction. Boxes give every edge a port of its own all the same.
    let g = mermaid("flowchart LR\n  A --> B\n  A --> C\n  A -.-> B\n");
    let compact = diagram::draw(&g, false, true);
    let a = compact.layout.nodes[0];
    let exit = (a.x + a.w, a.y);
    let mut at = compact.canvas.edges_at(exit.0, exit.1);
    at.sort_unstable();
    at.dedup();
    assert_eq!(at, [0, 1, 2], "one cell out of [A]:\n{}", text(&compact));
    let cells = |d: &diagram::Drawing, e: usize| -> Vec<(usize, usize)> {
        (0..d.canvas.height)
            .flat_map(|y| (0..d.canvas.width).map(move |x| (x, y)))
            .filter(|&(x, y)| d.canvas.edges_at(x, y).contains(&e))
            .collect()
    };
    let boxes = diagram::draw(&g, false, false);
    for e in 0..3 {
        let own = cells(&boxes, e)
            .into_iter()
            .filter(|&(x, y)| only(&boxes, x, y, e))
            .count();
        assert!(
            own >= 2,
            "edge {e} has a line of its own:\n{}",
            text(&boxes)
        );
    }
}

/// Every edge arrives at a cell of its own, drawn in its own head and stroke: the edges'
/// last route points are distinct, the cell there shows the edge's head glyph and the cell
/// before it a line of that edge alone.
fn assert_own_arrivals(d: &diagram::Drawing, g: &Graph, heads: &[(usize, char)]) {
    let drawn = text(d);
    let ends: Vec<(usize, usize)> = d
        .layout
        .routes
        .iter()
        .map(|r| *r.points.last().unwrap())
        .collect();
    for (i, a) in ends.iter().enumerate() {
        for (j, b) in ends.iter().enumerate().skip(i + 1) {
            let (ei, ej) = (d.layout.routes[i].edge, d.layout.routes[j].edge);
            assert_ne!(a, b, "edges {ei} and {ej} arrive at one cell:\n{drawn}");
        }
    }
    for &(e, glyph) in heads {
        let r = d.layout.routes.iter().find(|r| r.edge == e).unwrap();
        let &(x, y) = r.points.last().unwrap();
        assert_eq!(
            d.canvas.glyph(x, y, false),
            Some(glyph.to_string()),
            "edge {e} ({} → {}) ends in {glyph}:\n{drawn}",
            g.edges[e].from,
            g.edges[e].to
        );
        // The step before the head: its own line (the route's cells next to the end).
        let before = r.points[r.points.len() - 2];
        let (bx, by) = (
            if before.0 < x {
                x - 1
            } else if before.0 > x {
                x + 1
            } else {
                x
            },
            if before.1 < y {
                y - 1
            } else if before.1 > y {
                y + 1
            } else {
                y
            },
        );
        assert!(
            only(d, bx, by, e),
            "edge {e} reaches its head on its own line:\n{drawn}"
        );
    }
}

#[test]
fn edges_arriving_at_a_compact_node_each_have_a_cell_of_their_own() {
    // The d2 fixture's thick 배치 → DB (a circle head) and dotted 웹서버 → DB (an arrow), at
    // 48 columns compact left to right: [DB] is two rows, a tall bracket, one edge each.
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagrams/d2/edge-styles.d2"),
    )
    .unwrap();
    let g = diagram::d2::parse(&src);
    let d = diagram::draw_fitted(&g, false, 48);
    assert!(d.layout.compact && d.canvas.width <= 48, "{}", text(&d));
    let edge = |from: &str, to: &str| {
        g.edges
            .iter()
            .position(|e| e.from == from && e.to == to)
            .unwrap()
    };
    assert_own_arrivals(
        &d,
        &g,
        &[(edge("배치", "DB"), 'o'), (edge("웹서버", "DB"), '▶')],
    );
    let drawn = text(&d);
    assert!(
        drawn.contains("═o⎡DB⎤") && drawn.contains("┄▶⎣  ⎦"),
        "{drawn}"
    );
    // In ASCII the tall bracket is a bracket.
    let ascii = d.canvas.lines(true).join("\n");
    assert!(
        ascii.contains("=o[DB]") && ascii.contains(".>[  ]"),
        "{ascii}"
    );
    // Compact top to bottom the node grows wider; boxes have a port per edge anyway.
    for src in [
        "flowchart TB\n  A --> B\n  A -.-> B\n  C ==> B\n  D --o B\n",
        "flowchart LR\n  A --> B\n  A -.-> B\n  C ==> B\n  D --x B\n",
        "flowchart BT\n  A --> B\n  C -.-> B\n",
        "flowchart RL\n  A --> B\n  C -.-> B\n  D ==> B\n",
    ] {
        let g = mermaid(src);
        for compact in [true, false] {
            let d = diagram::draw(&g, false, compact);
            let dir = d.layout.direction;
            let arrow = match dir {
                Direction::TB => '▼',
                Direction::BT => '▲',
                Direction::LR => '▶',
                Direction::RL => '◀',
            };
            let heads: Vec<(usize, char)> = g
                .edges
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let glyph = match e.head {
                        diagram::Head::Circle => 'o',
                        diagram::Head::Cross => 'x',
                        _ => arrow,
                    };
                    (i, glyph)
                })
                .collect();
            assert_own_arrivals(&d, &g, &heads);
        }
    }
}

/// Cells where one edge's line runs straight across another's (drawn as a hop).
fn hops(d: &diagram::Drawing) -> usize {
    use vaultscope::diagram::canvas::Cell;
    const NS: u8 = 1 | 4;
    const EW: u8 = 2 | 8;
    let c = &d.canvas;
    let mut n = 0;
    for y in 0..c.height {
        for x in 0..c.width {
            if let Cell::Line { parts } = c.cell(x, y) {
                // Each edge's directions in the cell.
                let mut masks: Vec<(usize, u8)> = Vec::new();
                for &(m, role) in parts {
                    if let Role::Edge(e) = role {
                        match masks.iter_mut().find(|(k, _)| *k == e) {
                            Some(at) => at.1 |= m,
                            None => masks.push((e, m)),
                        }
                    }
                }
                if masks.iter().any(|a| a.1 == NS) && masks.iter().any(|b| b.1 == EW) {
                    n += 1;
                }
            }
        }
    }
    n
}

#[test]
fn jogs_that_need_not_cross_do_not() {
    // Edges fanning out to the left or right of their node, each turning at its own track:
    // the one turning further out goes lower, so none crosses another's jog.
    for dir in ["TB", "BT", "LR", "RL"] {
        let g = mermaid(&format!(
            "flowchart {dir}\n  A -- HTTPS 요청 --> B\n  A -- gRPC --> C\n  A --> D\n"
        ));
        for compact in [false, true] {
            let d = diagram::draw(&g, false, compact);
            assert_eq!(hops(&d), 0, "{dir} compact {compact}\n{}", text(&d));
        }
    }
}

/// Two parts of a picture that meet in a rank (a node pulled toward one parent, its
/// neighbours toward another) sit side by side at their gap, however many balancing passes
/// run: the parts used to drift apart a few columns a pass (the starter vault's Studio note
/// was drawn 400 columns wide, its two halves 250 columns apart).
#[test]
fn parts_pulled_apart_meet_at_their_gap_instead_of_drifting() {
    for src in [
        "graph TD\n  U[Data Scientist Browser] -->|Direct Connect or VPN| SE\n  subgraph VPC[Customer VPC]\n    SE(Studio Interface Endpoint)\n    APP[Studio App ENI] -->|HTTPS 443| API(sagemaker.api Endpoint)\n    APP -->|HTTPS 443| STS(sts Endpoint)\n  end\n  SE --> STUDIO[SageMaker Studio Service]\n",
        "graph TD\n  U[브라우저] --> SE[스튜디오 엔드포인트]\n  APP[앱 ENI] --> API[API 엔드포인트]\n  APP --> STS[STS 엔드포인트]\n  SE --> STUDIO[스튜디오]\n",
    ] {
        let d = diagram::draw(&mermaid(src), false, false);
        let all = text(&d);
        let row = all
            .lines()
            .find(|l| l.contains("엔드포인트") && l.contains("API") || l.contains("sagemaker.api"))
            .unwrap_or_else(|| panic!("one row holds both:\n{all}"));
        let (left, right) = if row.contains("sagemaker.api") {
            ("Studio Interface Endpoint", "sagemaker.api Endpoint")
        } else {
            ("스튜디오 엔드포인트", "API 엔드포인트")
        };
        let col = |s: &str| unicode_width::UnicodeWidthStr::width(&row[..row.find(s).unwrap()]);
        let between = col(right) - (col(left) + unicode_width::UnicodeWidthStr::width(left));
        // (The gap itself and the box borders and padding; a column more or less as the
        // halves' middles round.)
        assert!(between <= 9, "{between} columns apart:\n{all}");
        let widest = all
            .lines()
            .map(unicode_width::UnicodeWidthStr::width)
            .max()
            .unwrap();
        assert!(widest <= 110, "{widest} columns wide:\n{all}");
    }
}

// ---- 5. Labels that have no room on their run ----

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/diagrams")
            .join(name),
    )
    .unwrap()
}

#[test]
fn a_label_by_a_line_at_the_pictures_right_edge_is_drawn_there_the_canvas_wider() {
    // `Player --> [*] : 종료` leaves the composite's frame on its right and runs down to the
    // end dot: the run is too short for 종료 and the frame is left of it, so it goes right
    // of the line, past where the picture ended (it was a ① and a legend line).
    let g = diagram::mermaid::parse(&fixture("mermaid/player-regions.mmd"));
    let e = g
        .edges
        .iter()
        .position(|e| e.label.as_deref() == Some("종료"))
        .unwrap();
    for (relayout, compact, top_down) in [
        (false, false, false),
        (false, true, false),
        (false, false, true),
    ] {
        let d = diagram::draw_as(&g, relayout, compact, top_down);
        let drawn = text(&d);
        assert!(d.canvas.legend.is_empty(), "{:?}\n{drawn}", d.canvas.legend);
        let (y, x0, _) = label_at(&d, e, "종료");
        // Beside its own line: a blank, then the edge's cell.
        assert!(x0 >= 2 && only(&d, x0 - 2, y, e), "{drawn}");
        // The drawing says how wide it is now, and every row fits.
        assert!(d.layout.width >= x0 + 4, "{drawn}");
        for l in d.canvas.lines(false).iter().take(d.layout.height) {
            assert!(unicode_width::UnicodeWidthStr::width(l.as_str()) <= d.layout.width);
        }
    }
}

#[test]
fn a_labelled_edge_of_one_cell_with_no_room_beside_it_is_named_in_the_legend() {
    // A container's edge to a container just inside it is its arrowhead alone, between the
    // two frames: no room for 포함 there, so the legend says which edge it is.
    let g = diagram::d2::parse(
        "vpc: 고객 VPC {\n  s: 서브넷 {\n    c: 캐시\n  }\n  a: 앱\n  a -> s.c\n}\nvpc -> vpc.s: 포함\n",
    );
    let d = diagram::draw(&g, false, false);
    let drawn = text(&d);
    assert!(drawn.contains("├▶│"), "{drawn}");
    assert_eq!(
        d.canvas.legend_line(0).as_deref(),
        Some("· 고객 VPC → 서브넷: 포함"),
        "{drawn}"
    );
}

// ---- 6. Straight where it can be ----

#[test]
fn boxes_of_one_column_of_odd_and_even_widths_join_straight() {
    // ● (five wide) over Paused (ten) over Playing (eleven), two labelled edges between the
    // last two: every edge is one straight run (each was a small `└┐` jog).
    let g = diagram::mermaid::parse(
        "stateDiagram-v2\n  [*] --> Paused\n  Paused --> Playing : play\n  Playing --> Paused : pause\n",
    );
    // A chain of boxes of widths 10, 15, 8 and 13 top to bottom, and left to right.
    let chain =
        mermaid("flowchart TB\n  a[Paused] --> b[Web Frontend] --> c[Kiwi] --> d[결제 대기열]\n");
    let lr =
        mermaid("flowchart LR\n  a[Paused] --> b[Web Frontend] --> c[Kiwi] --> d[결제 대기열]\n");
    // (Compact, the state's labelled pair leaves [Paused] on lanes spaced for the labels,
    // one past its end: that one still bends.)
    for (what, g, compacts) in [
        ("state", &g, &[false][..]),
        ("chain", &chain, &[false, true][..]),
        ("lr", &lr, &[false, true][..]),
    ] {
        for &compact in compacts {
            let d = diagram::draw(g, false, compact);
            for r in &d.layout.routes {
                assert_eq!(
                    r.points.len(),
                    2,
                    "{what} compact {compact}: edge {} bends: {:?}\n{}",
                    r.edge,
                    r.points,
                    text(&d)
                );
            }
        }
    }
}

#[test]
fn a_labelled_run_just_past_a_compact_side_leaves_from_its_bracket_straight() {
    // The fixture's player: `pause` back from [Playing] to [Paused] (a reversed edge, its
    // head on the side `play` leaves) used to leave [Paused] under its last letter and turn
    // under its bracket to run down beside: a bend it need not make. The bracket is the
    // node's too, so the run leaves from under it, straight; so does the Korean pair's.
    for src in [
        "stateDiagram-v2\n  Paused --> Playing : play\n  Playing --> Paused : pause\n",
        "stateDiagram-v2\n  음소거 --> 소리켬 : 켜기\n  소리켬 --> 음소거 : 끄기\n",
    ] {
        let g = diagram::parse_block(&vaultscope::vault::body::FencedBlock {
            info: "mermaid".into(),
            text: src.into(),
            line: 0,
        })
        .expect("a state diagram");
        let d = diagram::draw(&g, false, true);
        let drawn = text(&d);
        for r in &d.layout.routes {
            assert_eq!(r.points.len(), 2, "edge {} straight:\n{drawn}", r.edge);
        }
        // Each edge still arrives at a cell of its own and each label is on the picture.
        let ends: Vec<_> = d.layout.routes.iter().map(|r| r.points[0]).collect();
        assert_ne!(ends[0].0, ends[1].0, "{drawn}");
        for e in &g.edges {
            let label = e.label.as_deref().unwrap();
            assert!(drawn.contains(label), "{label}:\n{drawn}");
        }
    }
}

// ---- Round shapes ----

/// A Mermaid flowchart of round shapes (`(round)`, `([stadium])`, `((circle))`, v11
/// `@{ shape: rounded }`) beside square ones.
const ROUND_SHAPES: &str = "flowchart TD\n  a(시작) --> b[검증]\n  b --> c([Stadium])\n  \
     b --> d((Circle))\n  b --> e@{ shape: rounded, label: \"v11 rounded\" }\n  \
     b --> f{Decision}\n  f --> g[(DB)]\n";

/// The four corners of node `i`'s box.
fn corners(d: &diagram::Drawing, i: usize) -> String {
    let b = &d.layout.nodes[i];
    let (x1, y1) = (b.x + b.w - 1, b.y + b.h - 1);
    [(b.x, b.y), (x1, b.y), (b.x, y1), (x1, y1)]
        .iter()
        .map(|&(x, y)| d.canvas.glyph(x, y, false).unwrap_or_default())
        .collect()
}

#[test]
fn round_mermaid_shapes_are_drawn_with_rounded_corners_the_others_square() {
    let g = mermaid(ROUND_SHAPES);
    let d = diagram::draw(&g, false, false);
    let want = [
        ("a", "╭╮╰╯"),
        ("b", "┌┐└┘"),
        ("c", "╭╮╰╯"),
        ("d", "╭╮╰╯"),
        ("e", "╭╮╰╯"),
        ("f", "┌┐└┘"),
        ("g", "┌┐└┘"),
    ];
    for (id, glyphs) in want {
        let i = g.node(id).unwrap();
        assert_eq!(corners(&d, i), glyphs, "{id}\n{}", text(&d));
    }
    // In ASCII a rounded corner is a `+` like any other.
    let ascii = d.canvas.lines(true).join("\n");
    assert!(!ascii.contains(['╭', '╮', '╰', '╯']), "{ascii}");
    let dir = one_note(
        "round.md",
        &format!("# Round\n\n```mermaid\n{ROUND_SHAPES}```\n"),
    );
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(
            format!("round_shapes_{w}x{h}"),
            pane(dir.path(), w, h, "3z")
        );
    }
}

#[test]
fn a_legend_line_wider_than_the_pane_is_marked_and_scrolls_into_view() {
    // A diagram type that is not drawn shows a line saying so, then its source: in the
    // narrow pane at 80x24 (not zoomed) that line is cut, so the right border says so and
    // walking right (no node to walk to) scrolls to the rest of it.
    let dir = one_note(
        "class.md",
        "# Class\n\n```mermaid\nclassDiagram\n  class 주문 {\n    +String id\n  }\n  주문 <|-- 정기주문\n```\n",
    );
    let start = pane(dir.path(), 80, 24, "3");
    let row = |s: &str| {
        s.lines()
            .find(|l| l.contains("classDiagram diagrams"))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    assert!(
        !row(&start).contains("its source:"),
        "cut at 80x24:\n{start}"
    );
    assert!(
        start.lines().any(|l| l.ends_with('▶')),
        "the cut is marked:\n{start}"
    );
    let moved = pane(dir.path(), 80, 24, "3l");
    assert!(row(&moved).contains("its source:"), "{moved}");
    assert!(moved.lines().any(|l| l.contains('◀')), "{moved}");
}

#[test]
fn round_shapes_in_the_compact_view_are_in_parentheses() {
    // As a sequence diagram's actors are: `(시작)` beside `[검증]`.
    let g = mermaid(ROUND_SHAPES);
    let d = diagram::draw(&g, false, true);
    let shown = |id: &str| {
        let b = &d.layout.nodes[g.node(id).unwrap()];
        let mid = b.y + (b.h - 1) / 2;
        (b.x..b.x + b.w)
            .filter_map(|x| d.canvas.glyph(x, mid, false))
            .collect::<String>()
            .trim()
            .to_owned()
    };
    for (id, want) in [
        ("a", "(시작)"),
        ("b", "[검증]"),
        ("c", "(Stadium)"),
        ("d", "(Circle)"),
        ("e", "(v11 rounded)"),
        ("f", "[Decision]"),
    ] {
        let got = shown(id);
        assert!(
            got.starts_with(&want[..1]) && got.ends_with(&want[want.len() - 1..]),
            "{id}: {got:?}, want {want:?}\n{}",
            text(&d)
        );
        assert!(got.contains(&want[1..want.len() - 1]), "{id}: {got:?}");
    }
}
