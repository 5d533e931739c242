//! 2-D arrow pictures: `[Label]` nodes and drawn boxes (`┌──┐`, `+--+`) joined by horizontal
//! arrows (`→ ← ↔ -> --> <-> ==> ⇒`, with inline labels like `--HTTPS-->` or `──mTLS──▶`) and by
//! vertical arrows (`↓ ↑ ▼ ▲`, `v`/`^` under `|`), possibly over several lines.
//!
//! Vertical arrows drawn by eye sit only roughly under the node they leave, so a row of arrows
//! is matched to the nodes above and below as a whole, left to right (a monotone assignment
//! that prefers one arrow per node), not each arrow to its nearest node: in the seed note the
//! third `↓` lies inside `[Interface Endpoint]`, yet it joins PrivateLink to AWS Backbone.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::graph::{Graph, Pos, Syntax};
use super::{MAX_COLUMNS, MAX_LINES, clean_label};

/// The cost of two arrows of one row sharing a node, in columns.
const SHARE_PENALTY: usize = 8;
/// How far (in columns) an arrow may sit from the node it is given to.
const MAX_DISTANCE: usize = 12;

/// One display cell of the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot<'a> {
    Glyph(&'a str),
    /// The second column of a wide glyph.
    Cont,
}

struct Grid<'a> {
    rows: Vec<Vec<Slot<'a>>>,
}

impl<'a> Grid<'a> {
    fn new(lines: &'a [String]) -> Grid<'a> {
        let rows = lines
            .iter()
            .take(MAX_LINES)
            .map(|l| {
                let mut row = Vec::new();
                for g in l.graphemes(true) {
                    if row.len() >= MAX_COLUMNS {
                        break;
                    }
                    let w = g.width();
                    if w == 0 {
                        // A combining mark on nothing; keep it in its own cell.
                        row.push(Slot::Glyph(g));
                        continue;
                    }
                    row.push(Slot::Glyph(g));
                    for _ in 1..w {
                        row.push(Slot::Cont);
                    }
                }
                row
            })
            .collect();
        Grid { rows }
    }

    fn at(&self, line: usize, col: usize) -> &'a str {
        match self.rows.get(line).and_then(|r| r.get(col)) {
            Some(Slot::Glyph(g)) => g,
            _ => " ",
        }
    }

    fn width(&self, line: usize) -> usize {
        self.rows.get(line).map_or(0, Vec::len)
    }

    /// The text of columns `[from, to)` of a line.
    fn text(&self, line: usize, from: usize, to: usize) -> String {
        let mut out = String::new();
        if let Some(r) = self.rows.get(line) {
            for slot in r.iter().take(to).skip(from) {
                match slot {
                    Slot::Glyph(g) => out.push_str(g),
                    Slot::Cont => {}
                }
            }
        }
        out
    }
}

/// A node as drawn: its place and size in cells, and the node it stands for.
#[derive(Debug, Clone)]
struct Drawn {
    top: usize,
    bottom: usize,
    left: usize,
    /// Inclusive.
    right: usize,
    label: String,
}

const TL: &[&str] = &["┌", "╭", "┏", "╔", "+"];
const TR: &[&str] = &["┐", "╮", "┓", "╗", "+"];
const BL: &[&str] = &["└", "╰", "┗", "╚", "+"];
const BR: &[&str] = &["┘", "╯", "┛", "╝", "+"];
const HORIZONTAL: &[&str] = &["─", "━", "═", "-", "┬", "┴", "+", "┼"];
const VERTICAL: &[&str] = &["│", "┃", "║", "|", "├", "┤", "+", "┼"];

/// Drawn boxes: a top-left corner, a top border to a top-right corner, both sides down to
/// the bottom corners. The label is the text inside, lines joined by a space.
fn find_boxes(grid: &Grid) -> Vec<Drawn> {
    let mut out: Vec<Drawn> = Vec::new();
    for top in 0..grid.rows.len() {
        for left in 0..grid.width(top) {
            let g = grid.at(top, left);
            if !TL.contains(&g) || out.iter().any(|b| inside(b, top, left)) {
                continue;
            }
            // An ASCII `+` corner needs a `-` after it, or every `+` would start a box.
            if g == "+" && grid.at(top, left + 1) != "-" {
                continue;
            }
            let mut right = left + 1;
            while right < grid.width(top) && HORIZONTAL.contains(&grid.at(top, right)) {
                if TR.contains(&grid.at(top, right)) && grid.at(top, right) != "+" {
                    break;
                }
                // `+` can be a corner too: stop at one with a side going down.
                if grid.at(top, right) == "+" && VERTICAL.contains(&grid.at(top + 1, right)) {
                    break;
                }
                right += 1;
            }
            if right <= left + 1 || !TR.contains(&grid.at(top, right)) {
                continue;
            }
            let mut bottom = top + 1;
            while bottom < grid.rows.len()
                && VERTICAL.contains(&grid.at(bottom, left))
                && VERTICAL.contains(&grid.at(bottom, right))
                && !(BL.contains(&grid.at(bottom, left)) && grid.at(bottom, left) != "+")
            {
                if grid.at(bottom, left) == "+" {
                    break;
                }
                bottom += 1;
            }
            if bottom >= grid.rows.len()
                || bottom == top + 1 && !BL.contains(&grid.at(bottom, left))
                || !BL.contains(&grid.at(bottom, left))
                || !BR.contains(&grid.at(bottom, right))
            {
                continue;
            }
            let label = clean_label(
                &(top + 1..bottom)
                    .map(|l| grid.text(l, left + 1, right))
                    .collect::<Vec<_>>()
                    .join(" "),
                false,
            );
            if label.is_empty() {
                continue;
            }
            out.push(Drawn {
                top,
                bottom,
                left,
                right,
                label,
            });
        }
    }
    out
}

fn inside(b: &Drawn, line: usize, col: usize) -> bool {
    line >= b.top && line <= b.bottom && col >= b.left && col <= b.right
}

/// `[Label]` nodes outside boxes: a `[` and the next `]` on the line, with no `[` between.
fn find_brackets(grid: &Grid, boxes: &[Drawn]) -> Vec<Drawn> {
    let mut out = Vec::new();
    for line in 0..grid.rows.len() {
        let mut col = 0;
        while col < grid.width(line) {
            if grid.at(line, col) != "[" || boxes.iter().any(|b| inside(b, line, col)) {
                col += 1;
                continue;
            }
            let mut end = col + 1;
            while end < grid.width(line) && !matches!(grid.at(line, end), "]" | "[") {
                end += 1;
            }
            if grid.at(line, end) != "]" {
                col = end;
                continue;
            }
            let label = clean_label(&grid.text(line, col + 1, end), false);
            if !label.is_empty() {
                out.push(Drawn {
                    top: line,
                    bottom: line,
                    left: col,
                    right: end,
                    label,
                });
            }
            col = end + 1;
        }
    }
    out
}

const RIGHT_HEADS: &[char] = &['>', '→', '▶', '⇒', '⟶', '►', '➜', '➔'];
const LEFT_HEADS: &[char] = &['<', '←', '◀', '⇐', '⟵', '◄'];
const BOTH_HEADS: &[char] = &['↔', '⇔', '⟷'];
const SHAFTS: &[char] = &['-', '=', '─', '━', '═', '.', '~', '┄', '╌'];

/// What the text between two nodes on a line says: `Some((forward, backward, label))` when it
/// is an arrow (it starts and ends with shaft or head glyphs).
pub fn horizontal_arrow(gap: &str) -> Option<(bool, bool, Option<String>)> {
    let t = gap.trim();
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
    let forward = both || RIGHT_HEADS.contains(&last);
    let backward = both || LEFT_HEADS.contains(&first);
    let label = t
        .trim_start_matches(|c: char| is_arrow_glyph(c) || c.is_whitespace())
        .trim_end_matches(|c: char| is_arrow_glyph(c) || c.is_whitespace());
    let label = clean_label(label, false);
    // Undirected (`---`) reads left to right.
    let forward = forward || !backward;
    Some((forward, backward, (!label.is_empty()).then_some(label)))
}

const DOWN: &[&str] = &["↓", "▼", "v", "⇓", "⬇"];
const UP: &[&str] = &["↑", "▲", "^", "⇑", "⬆"];
const STEM: &[&str] = &["|", "│", "┃", "╎", "┆", "║"];

fn is_arrow_glyph(g: &str) -> bool {
    DOWN.contains(&g) || UP.contains(&g) || STEM.contains(&g)
}

/// A line made only of vertical arrow glyphs and spaces (with at least one), where text may
/// follow an arrow after one space: the label of that arrow (`│ HTTPS`).
fn is_connector_line(grid: &Grid, line: usize) -> bool {
    let mut any = false;
    let mut col = 0;
    while col < grid.width(line) {
        match grid.rows[line][col] {
            Slot::Glyph(g) if g.trim().is_empty() => {}
            Slot::Glyph(g) if is_arrow_glyph(g) => any = true,
            Slot::Glyph(_) | Slot::Cont => {
                if col >= 2
                    && grid.at(line, col - 1) == " "
                    && is_arrow_glyph(grid.at(line, col - 2))
                {
                    // A label: skip to the end of its run (words may be spaced by one).
                    while col < grid.width(line)
                        && !(grid.at(line, col) == " " && grid.at(line, col + 1) == " ")
                    {
                        col += 1;
                    }
                    continue;
                }
                return false;
            }
        }
        col += 1;
    }
    any
}

/// The label written right of the arrow at `col` on a connector line, if any.
fn arrow_label(grid: &Grid, line: usize, col: usize) -> Option<String> {
    if grid.at(line, col + 1) != " " || grid.at(line, col + 2).trim().is_empty() {
        return None;
    }
    let start = col + 2;
    if is_arrow_glyph(grid.at(line, start)) {
        return None;
    }
    let mut end = start;
    while end < grid.width(line) && !(grid.at(line, end) == " " && grid.at(line, end + 1) == " ") {
        end += 1;
    }
    let label = clean_label(&grid.text(line, start, end), false);
    (!label.is_empty()).then_some(label)
}

/// Gives each arrow (by column, sorted) a node (by span, sorted by left edge), monotonically:
/// later arrows never go to earlier nodes; sharing a node costs [`SHARE_PENALTY`]; an arrow
/// outside a node costs its distance to it. `None` for an arrow no node is near.
fn assign(arrows: &[usize], nodes: &[(usize, usize)]) -> Vec<Option<usize>> {
    let cost = |x: usize, (l, r): (usize, usize)| -> Option<usize> {
        let d = l.saturating_sub(x).max(x.saturating_sub(r));
        (d <= MAX_DISTANCE).then_some(d)
    };
    let mut result = vec![None; arrows.len()];
    // Arrows no node is near are dangling; the rest are matched together.
    let live: Vec<usize> = (0..arrows.len())
        .filter(|&i| nodes.iter().any(|&n| cost(arrows[i], n).is_some()))
        .collect();
    if live.is_empty() || nodes.is_empty() {
        return result;
    }
    const INF: usize = usize::MAX / 4;
    let k = nodes.len();
    // f[i][j]: the best cost of the first i+1 live arrows with arrow i on node j.
    let mut f = vec![vec![INF; k]; live.len()];
    let mut from = vec![vec![usize::MAX; k]; live.len()];
    for j in 0..k {
        if let Some(c) = cost(arrows[live[0]], nodes[j]) {
            f[0][j] = c;
        }
    }
    for i in 1..live.len() {
        // The best earlier node strictly left of j, kept as we go.
        let mut best_left = (INF, usize::MAX);
        for j in 0..k {
            if let Some(c) = cost(arrows[live[i]], nodes[j]) {
                let share = f[i - 1][j].saturating_add(SHARE_PENALTY);
                let (prev, pj) = if best_left.0 <= share {
                    best_left
                } else {
                    (share, j)
                };
                if prev < INF {
                    f[i][j] = prev + c;
                    from[i][j] = pj;
                }
            }
            if f[i - 1][j] < best_left.0 {
                best_left = (f[i - 1][j], j);
            }
        }
    }
    let last = live.len() - 1;
    let Some((mut j, _)) = f[last]
        .iter()
        .enumerate()
        .filter(|(_, c)| **c < INF)
        .min_by_key(|(_, c)| **c)
    else {
        return result;
    };
    for i in (0..live.len()).rev() {
        result[live[i]] = Some(j);
        if i > 0 {
            j = from[i][j];
            if j == usize::MAX {
                break;
            }
        }
    }
    result
}

/// Parses a block as a 2-D picture; `None` when it has no drawn nodes with an arrow between
/// them (then it may be a text chain).
pub fn parse(text: &str) -> Option<Graph> {
    let lines: Vec<String> = text
        .lines()
        .take(MAX_LINES)
        .map(|l| expand_tabs(l.trim_end()))
        .collect();
    let grid = Grid::new(&lines);
    let boxes = find_boxes(&grid);
    let mut drawn = boxes.clone();
    drawn.extend(find_brackets(&grid, &boxes));
    if drawn.is_empty() {
        return None;
    }
    drawn.sort_by_key(|d| (d.top, d.left));
    let mut g = Graph::new(Syntax::Ascii);
    for d in &drawn {
        if let Some(i) = g.add_node(&d.label, None)
            && g.nodes[i].pos.is_none()
        {
            g.nodes[i].pos = Some(Pos {
                line: d.top,
                col: d.left,
            });
        }
    }
    // Horizontal arrows: between neighbouring nodes on each line.
    for line in 0..grid.rows.len() {
        let mut on: Vec<&Drawn> = drawn
            .iter()
            .filter(|d| d.top <= line && line <= d.bottom)
            .collect();
        on.sort_by_key(|d| d.left);
        for pair in on.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if b.left <= a.right + 1 {
                continue;
            }
            if let Some((fwd, back, label)) =
                horizontal_arrow(&grid.text(line, a.right + 1, b.left))
            {
                if fwd {
                    g.add_edge(&a.label, &b.label, label.clone());
                }
                if back {
                    g.add_edge(&b.label, &a.label, label);
                }
            }
        }
    }
    // Vertical arrows: runs of connector lines between a line of nodes above and one below.
    let mut line = 0;
    while line < grid.rows.len() {
        if !is_connector_line(&grid, line) {
            line += 1;
            continue;
        }
        let start = line;
        while line < grid.rows.len() && is_connector_line(&grid, line) {
            line += 1;
        }
        let (above, below) = (start.checked_sub(1), line);
        let upper: Vec<&Drawn> = sorted(drawn.iter().filter(|d| Some(d.bottom) == above));
        let lower: Vec<&Drawn> = sorted(drawn.iter().filter(|d| d.top == below));
        // Each column with a glyph is one arrow: down unless it has an up head.
        let width = (start..line).map(|l| grid.width(l)).max().unwrap_or(0);
        let mut arrows = Vec::new();
        let mut labels: Vec<Option<String>> = Vec::new();
        let mut col = 0;
        while col < width {
            let glyphs: Vec<&str> = (start..line).map(|l| grid.at(l, col)).collect();
            if !glyphs.iter().any(|g| is_arrow_glyph(g)) {
                col += 1;
                continue;
            }
            let up = glyphs.iter().any(|g| UP.contains(g));
            let down = glyphs.iter().any(|g| DOWN.contains(g));
            arrows.push((col, up && !down, up && down));
            let label = (start..line).find_map(|l| arrow_label(&grid, l, col));
            // The label's own cells are no arrows.
            let skip = label.as_ref().map_or(0, |t| t.width() + 2);
            labels.push(label);
            col += 1 + skip;
        }
        let xs: Vec<usize> = arrows.iter().map(|a| a.0).collect();
        let spans = |ds: &[&Drawn]| ds.iter().map(|d| (d.left, d.right)).collect::<Vec<_>>();
        let tops = assign(&xs, &spans(&upper));
        let bottoms = assign(&xs, &spans(&lower));
        for (i, &(_, up, both)) in arrows.iter().enumerate() {
            if let (Some(t), Some(b)) = (tops[i], bottoms[i]) {
                let (a, z) = (&upper[t].label, &lower[b].label);
                if up || both {
                    g.add_edge(z, a, labels[i].clone());
                }
                if !up || both {
                    g.add_edge(a, z, labels[i].clone());
                }
            }
        }
    }
    (!g.edges.is_empty() || !boxes.is_empty()).then_some(g)
}

fn sorted<'a>(it: impl Iterator<Item = &'a Drawn>) -> Vec<&'a Drawn> {
    let mut v: Vec<&Drawn> = it.collect();
    v.sort_by_key(|d| d.left);
    v
}

/// Tabs to the next multiple of 4 columns.
fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_owned();
    }
    let mut out = String::new();
    let mut col = 0;
    for g in line.graphemes(true) {
        if g == "\t" {
            let n = 4 - col % 4;
            out.push_str(&" ".repeat(n));
            col += n;
        } else {
            out.push_str(g);
            col += g.width();
        }
    }
    out
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
        type Want<'a> = Option<(bool, bool, Option<&'a str>)>;
        let cases: &[(&str, Want)] = &[
            (" → ", Some((true, false, None))),
            (" -> ", Some((true, false, None))),
            (" --> ", Some((true, false, None))),
            (" ==> ", Some((true, false, None))),
            (" ⇒ ", Some((true, false, None))),
            (" ← ", Some((false, true, None))),
            (" <-- ", Some((false, true, None))),
            (" ↔ ", Some((true, true, None))),
            (" <-> ", Some((true, true, None))),
            (" --HTTPS--> ", Some((true, false, Some("HTTPS")))),
            (" ──mTLS──▶ ", Some((true, false, Some("mTLS")))),
            (
                " -- SQL queries --> ",
                Some((true, false, Some("SQL queries"))),
            ),
            (" ---- ", Some((true, false, None))),
            ("   ", None),
            (" and ", None),
            (" - ", None),
        ];
        for (gap, want) in cases {
            let got = horizontal_arrow(gap);
            let want = want.map(|(f, b, l)| (f, b, l.map(str::to_owned)));
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
