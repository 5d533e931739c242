//! Rows of vertical arrows between lines of `[bracket]` nodes (`↓`, `│ ▼`, `^ |`), matched to
//! the nodes above and below as a whole, left to right: arrows drawn by eye sit only roughly
//! under the node they leave, so a monotone assignment that prefers one arrow per node reads
//! them better than each arrow's nearest node. In the seed note the third `↓` lies inside
//! `[Interface Endpoint]`, yet it joins PrivateLink to AWS Backbone.

use super::super::clean_label;
use super::boxes::Drawn;
use super::connectors::Link;
use super::grid::{Grid, Slot};
use super::labels::Cells;
use crate::diagram::graph::{EdgeStyle, Head};

/// The cost of two arrows of one row sharing a node, in columns.
const SHARE_PENALTY: usize = 8;
/// How far (in columns) an arrow may sit from the node it is given to.
const MAX_DISTANCE: usize = 12;

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

/// The label written right of the arrow at `col` on a connector line, if any, with its cells.
fn arrow_label(grid: &Grid, line: usize, col: usize) -> Option<(String, usize, usize, usize)> {
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
    (!label.is_empty()).then_some((label, line, start, end))
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

/// The edges of the arrow rows between lines of bracket nodes; their cells are taken.
pub fn vertical_rows(grid: &Grid, cells: &mut Cells, nodes: &[Drawn]) -> Vec<Link> {
    let mut out = Vec::new();
    let brackets: Vec<(usize, &Drawn)> =
        nodes.iter().enumerate().filter(|(_, d)| !d.boxed).collect();
    let mut line = 0;
    while line < grid.height() {
        if !is_connector_line(grid, line) {
            line += 1;
            continue;
        }
        let start = line;
        while line < grid.height() && is_connector_line(grid, line) {
            line += 1;
        }
        let (above, below) = (start.checked_sub(1), line);
        let row = |pick: &dyn Fn(&Drawn) -> bool| {
            let mut v: Vec<(usize, &Drawn)> =
                brackets.iter().copied().filter(|(_, d)| pick(d)).collect();
            v.sort_by_key(|(_, d)| d.left);
            v
        };
        let upper = row(&|d| Some(d.bottom) == above);
        let lower = row(&|d| d.top == below);
        if upper.is_empty() || lower.is_empty() {
            continue;
        }
        // Each column with a glyph is one arrow: down unless it has an up head.
        let width = (start..line).map(|l| grid.width(l)).max().unwrap_or(0);
        let mut arrows = Vec::new();
        let mut labels: Vec<Option<(String, usize, usize, usize)>> = Vec::new();
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
            let label = (start..line).find_map(|l| arrow_label(grid, l, col));
            // The label's own cells are no arrows.
            let skip = label.as_ref().map_or(0, |t| t.3 - t.2 + 2);
            labels.push(label);
            col += 1 + skip;
        }
        let xs: Vec<usize> = arrows.iter().map(|a| a.0).collect();
        let spans = |ds: &[(usize, &Drawn)]| {
            ds.iter()
                .map(|(_, d)| (d.left, d.right))
                .collect::<Vec<_>>()
        };
        let tops = assign(&xs, &spans(&upper));
        let bottoms = assign(&xs, &spans(&lower));
        for (i, &(x, up, both)) in arrows.iter().enumerate() {
            let (Some(t), Some(b)) = (tops[i], bottoms[i]) else {
                continue;
            };
            // A run that goes on into a corner or a line is a routed connector's.
            let goes_on = |l: Option<usize>| l.is_some_and(|l| grid.line(l, x).is_some());
            if goes_on(above) || goes_on(Some(below)) {
                continue;
            }
            let (a, z) = (upper[t].0, lower[b].0);
            let (from, to) = if up { (z, a) } else { (a, z) };
            let label = labels[i].as_ref().map(|(t, l, from, to)| {
                cells.take(*l, *from, *to);
                t.clone()
            });
            for l in start..line {
                cells.take(l, x, x + 1);
            }
            out.push(Link {
                from,
                to,
                label,
                style: EdgeStyle::Solid,
                head: if both { Head::Both } else { Head::Arrow },
            });
        }
    }
    out
}
