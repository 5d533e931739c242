//! Drawing diagrams so they can be read (issue 13 §3): fitting the pane (a top-to-bottom
//! layout when left-to-right is too wide, overflow marks and scrolling when nothing fits),
//! edge styles, groups as frames and separable parallel edges. The text of the drawn canvas
//! and of the diagram pane is asserted; insta keeps whole panes.

use std::path::Path;

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
        let shown = pane(dir.path(), w, h, "/VPC<Enter>3z");
        for want in [
            "─ VPC 10.0.0.0/16 ─",
            "─ Public subnet ─",
            "─ Private subnet ─",
            "앱 서버",
        ] {
            assert!(shown.contains(want), "{w}x{h}: no {want:?}\n{shown}");
        }
        insta::assert_snapshot!(format!("vpc_picture_{w}x{h}"), shown);
        let shown = pane(dir.path(), w, h, "/States<Enter>3z");
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
