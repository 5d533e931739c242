//! Groups drawn as frames: after layout, deepest group first, the box the layout made room
//! for (at least the bounding box of the group's member boxes and nested frames, grown by a
//! margin) becomes a titled frame, unless it would hold a node that is not a member or come
//! within a cell of another frame (what the layered layout never gives; a group nested in
//! two places may); such a group is listed in the legend instead. Then an edge to or from a
//! group, laid out toward one of its members, is cut where it meets the group's frame.

use unicode_width::UnicodeWidthStr;

use super::graph::Graph;
use super::layout::Layout;

/// Cells a frame adds on each side of what it holds: a blank line and the border.
pub const MARGIN: usize = 2;

/// A frame on the canvas: its group (index in `g.subgraphs`), its outer box and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub group: usize,
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
    pub title: String,
    /// The legend line listing the group, for when the title finds no room on the border.
    pub listing: String,
}

/// The frames of a drawing, and the groups that could not be framed, as legend lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frames {
    pub frames: Vec<Frame>,
    pub listed: Vec<String>,
    /// Edges between a group and something inside it that found no straight line from the
    /// frame's border to it (the legend says so): their indices in `g.edges`.
    pub undrawn: Vec<usize>,
}

/// Per subgraph: the subgraphs nested in it at any depth (not itself), cycles cut.
fn descendants(g: &Graph) -> Vec<Vec<usize>> {
    let n = g.subgraphs.len();
    let ids = g.subgraph_index();
    (0..n)
        .map(|s| {
            let mut seen = vec![false; n];
            seen[s] = true;
            let mut stack = vec![s];
            let mut out = Vec::new();
            while let Some(t) = stack.pop() {
                for c in &g.subgraphs[t].subgraphs {
                    if let Some(&k) = ids.get(c.as_str())
                        && !seen[k]
                    {
                        seen[k] = true;
                        out.push(k);
                        stack.push(k);
                    }
                }
            }
            out.sort_unstable();
            out
        })
        .collect()
}

/// Per node: the subgraphs holding it at any depth, sorted (its groups as the graph says,
/// which the frames are checked against).
fn paths(g: &Graph) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); g.nodes.len()];
    if g.subgraphs.is_empty() {
        return out;
    }
    let ids = g.node_index();
    for (s, below) in descendants(g).iter().enumerate() {
        for t in std::iter::once(s).chain(below.iter().copied()) {
            for id in &g.subgraphs[t].nodes {
                if let Some(&k) = ids.get(id.as_str())
                    && out[k].last() != Some(&s)
                    && !out[k].contains(&s)
                {
                    out[k].push(s);
                }
            }
        }
    }
    for p in &mut out {
        p.sort_unstable();
    }
    out
}

/// A box as (x0, y0, x1, y1), inclusive.
type Rect = (usize, usize, usize, usize);

/// The title a group's frame shows: its title on one line, or its id when it has none.
pub fn title(g: &Graph, s: usize) -> String {
    let sub = &g.subgraphs[s];
    let t = sub.title.replace('\n', " ");
    if t.trim().is_empty() {
        sub.id.clone()
    } else {
        t
    }
}

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 <= b.2 && b.0 <= a.2 && a.1 <= b.3 && b.1 <= a.3
}

/// Places the frames of `g`'s groups around their members, moving the layout right and down
/// (and growing it) so every frame fits on the canvas.
pub fn place(g: &Graph, layout: &mut Layout) -> Frames {
    let mut out = Frames::default();
    let n = g.subgraphs.len();
    if n == 0 || layout.nodes.len() != g.nodes.len() {
        return out;
    }
    let below = descendants(g);
    let paths = paths(g);
    let members: Vec<Vec<usize>> = (0..n)
        .map(|s| {
            (0..g.nodes.len())
                .filter(|&k| paths[k].contains(&s))
                .collect()
        })
        .collect();
    // Depth: the longest chain of groups nested inside (a leaf is 0); deepest framed first.
    let mut height = vec![0usize; n];
    for _ in 0..n.min(64) {
        let mut changed = false;
        for s in 0..n {
            let h = below[s]
                .iter()
                .map(|&c| height[c] + 1)
                .max()
                .unwrap_or(0)
                .min(n);
            if h > height[s] {
                height[s] = h;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Room to move frames into: their margins, and a title's width (a frame widens to show
    // its title where nothing is in the way).
    let widest = g
        .subgraphs
        .iter()
        .map(|s| s.title.width().max(s.id.width()) + 6)
        .max()
        .unwrap_or(0)
        .min(super::MAX_COLUMNS);
    let shift = MARGIN * (height.iter().copied().max().unwrap_or(0) + 1) + widest;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&s| height[s]);
    let boxes: Vec<Rect> = layout
        .nodes
        .iter()
        .map(|b| {
            (
                b.x + shift,
                b.y + shift,
                b.x + shift + b.w.max(1) - 1,
                b.y + shift + b.h.max(1) - 1,
            )
        })
        .collect();
    // Per group: the groups around it.
    let around: Vec<Vec<usize>> = (0..n)
        .map(|t| (0..n).filter(|&a| below[a].contains(&t)).collect())
        .collect();
    let mut edge_cells: std::collections::HashSet<(usize, usize)> = Default::default();
    for route in &layout.routes {
        for w in route.points.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            for x in x0.min(x1)..=x0.max(x1) {
                for y in y0.min(y1)..=y0.max(y1) {
                    edge_cells.insert((x + shift, y + shift));
                }
            }
        }
    }
    let mut placed: Vec<(usize, Rect)> = Vec::new();
    for &s in &order {
        let title = title(g, s);
        let names: Vec<String> = members[s]
            .iter()
            .take(20)
            .map(|&k| g.nodes[k].label.replace('\n', " "))
            .collect();
        let more = if members[s].len() > names.len() {
            ", …"
        } else {
            ""
        };
        let listing = format!("group {title}: {}{more}", names.join(", "));
        let mut rect: Option<Rect> = None;
        let mut grow = |r: Rect| {
            rect = Some(match rect {
                None => r,
                Some(a) => (a.0.min(r.0), a.1.min(r.1), a.2.max(r.2), a.3.max(r.3)),
            });
        };
        for &k in &members[s] {
            grow(boxes[k]);
        }
        for &(f, r) in &placed {
            if below[s].contains(&f) {
                grow(r);
            }
        }
        let Some(r) = rect else {
            out.listed.push(format!("group {title}: (no nodes)"));
            continue;
        };
        let r = (
            r.0.saturating_sub(MARGIN),
            r.1.saturating_sub(MARGIN),
            r.2 + MARGIN,
            r.3 + MARGIN,
        );
        // The room the layout made for the frame (its title's width among it).
        let r = match layout.groups.get(s).copied().flatten() {
            Some(b) => (
                r.0.min(b.0 + shift),
                r.1.min(b.1 + shift),
                r.2.max(b.2 + shift),
                r.3.max(b.3 + shift),
            ),
            None => r,
        };
        // Clear: no stranger's box or other frame in the box or next to it (a blank cell
        // between); with `room`, also the borders of the groups around that one is not in,
        // kept between them (what widening for a title must not eat).
        let clear = |r: Rect, room: bool| {
            let grown = |r: Rect, by: usize| {
                (
                    r.0.saturating_sub(by),
                    r.1.saturating_sub(by),
                    r.2 + by,
                    r.3 + by,
                )
            };
            let pad = |outside: usize| if room { 1 + MARGIN * outside } else { 1 };
            !(0..boxes.len()).any(|k| {
                !paths[k].contains(&s)
                    && overlaps(
                        grown(
                            boxes[k],
                            pad(around[s].iter().filter(|a| !paths[k].contains(a)).count()),
                        ),
                        r,
                    )
            }) && !placed.iter().any(|&(f, fr)| {
                !below[s].contains(&f) && {
                    let (theirs, mine) = (&around[f], &around[s]);
                    let apart = mine.iter().filter(|a| !theirs.contains(a)).count()
                        + theirs.iter().filter(|a| !mine.contains(a)).count();
                    overlaps(grown(fr, pad(apart)), r)
                }
            })
        };
        if !clear(r, false) {
            out.listed.push(listing);
            continue;
        }
        // The title in the top border, `┌─ Title ─┐`: the frame widens for it to the right,
        // the left or both where that is clear; else the title is cut with `…`.
        // An edge crossing the top border takes a cell the title cannot have.
        let crossed: Vec<usize> = (r.0..=r.2)
            .filter(|&x| edge_cells.contains(&(x, r.1)))
            .collect();
        let tw = title.width().min(crate::diagram::layout::MAX_TITLE) + 2;
        let fits = |w: Rect| {
            w.2 >= w.0 + tw + 3
                && (w.0 + 2..=w.2 + 1 - (tw + 2))
                    .any(|at| !crossed.iter().any(|&x| x + 1 >= at && x <= at + tw))
        };
        let r = if fits(r) {
            r
        } else {
            let step = tw + 4 + crossed.len();
            (1..=step)
                .flat_map(|k| {
                    [
                        (r.0, r.2 + k),
                        (r.0.saturating_sub(k), r.2),
                        (r.0.saturating_sub(k / 2), r.2 + k - k / 2),
                    ]
                })
                .map(|(a, b)| (a, r.1, b, r.3))
                .find(|&w| fits(w) && clear(w, true))
                .unwrap_or(r)
        };
        let room = (r.2 - r.0 + 1).saturating_sub(6);
        let shown = crate::text::cut(&title, room);
        if shown != title {
            out.listed.push(listing.clone());
        }
        placed.push((s, r));
        out.frames.push(Frame {
            group: s,
            x: r.0,
            y: r.1,
            w: r.2 - r.0 + 1,
            h: r.3 - r.1 + 1,
            title: shown,
            listing,
        });
    }
    if out.frames.is_empty() {
        return out;
    }
    // Move everything by `shift`, then back by what the frames leave unused.
    let min_x = out
        .frames
        .iter()
        .map(|f| f.x)
        .min()
        .unwrap_or(shift)
        .min(shift);
    let min_y = out
        .frames
        .iter()
        .map(|f| f.y)
        .min()
        .unwrap_or(shift)
        .min(shift);
    let right = out
        .frames
        .iter()
        .map(|f| f.x + f.w)
        .max()
        .unwrap_or(0)
        .max(layout.width + shift);
    let bottom = out
        .frames
        .iter()
        .map(|f| f.y + f.h)
        .max()
        .unwrap_or(0)
        .max(layout.height + shift);
    let (dx, dy) = (shift - min_x, shift - min_y);
    for b in &mut layout.nodes {
        b.x += dx;
        b.y += dy;
    }
    for route in &mut layout.routes {
        for p in route.points.iter_mut().chain(&mut route.label) {
            p.0 += dx;
            p.1 += dy;
        }
    }
    for f in &mut out.frames {
        f.x -= min_x;
        f.y -= min_y;
    }
    layout.width = right - min_x;
    layout.height = bottom - min_y;
    clip(g, layout, &out);
    inner(g, layout, &mut out, &paths);
    out
}

/// A straight line from a frame's border inward: the border cell, and the line's cells from
/// just inside it.
type Line = ((usize, usize), Vec<(usize, usize)>);

/// Routes each edge between a framed group and a node inside it (Mermaid `VPC --> A` with A
/// in VPC, d2 `vpc -> vpc.a`), which the layers leave out: a straight line inside the frame
/// from its border to the node, on the free side nearest the node (the top first top to
/// bottom, the left first left to right; never through the title, a box, another line or
/// label). The canvas draws it as any route, a tee where it leaves a border and the head
/// where it arrives. An edge that finds no such line, or joins a group to a group inside
/// it, is listed in `undrawn`, for the legend.
fn inner(g: &Graph, layout: &mut Layout, frames: &mut Frames, paths: &[Vec<usize>]) {
    use std::collections::HashSet;
    let ids = g.node_index();
    let nested = descendants(g);
    // Per edge: (its outer group, what inside it the line goes to (a node, or a group nested
    // in it), whether the outer group is its tail).
    enum Inside {
        Node(usize),
        Group(usize),
    }
    let mut todo: Vec<(usize, usize, Inside, bool)> = Vec::new();
    for (i, e) in g.edges.iter().enumerate() {
        let group = |id: &str| g.end_is_subgraph(id).then(|| g.subgraph(id)).flatten();
        let node = |id: &str| ids.get(id).copied();
        let inside = |s: usize, id: &str| match (group(id), node(id)) {
            (Some(t), _) if nested[s].contains(&t) => Some(Inside::Group(t)),
            (None, Some(k)) if paths.get(k).is_some_and(|p| p.contains(&s)) => {
                Some(Inside::Node(k))
            }
            _ => None,
        };
        let found = match (group(&e.from), group(&e.to)) {
            (Some(s), _) if inside(s, &e.to).is_some() => inside(s, &e.to).map(|x| (s, x, true)),
            (_, Some(s)) if inside(s, &e.from).is_some() => {
                inside(s, &e.from).map(|x| (s, x, false))
            }
            _ => None,
        };
        if let Some((s, x, tail)) = found {
            todo.push((i, s, x, tail));
        }
    }
    if todo.is_empty() {
        return;
    }
    // What a line may not run through: boxes, other routes and their labels, frame borders
    // (a frame inside the group may be crossed straight through, see below).
    let mut taken: HashSet<(usize, usize)> = HashSet::new();
    for b in &layout.nodes {
        for x in b.x..b.x + b.w {
            for y in b.y..b.y + b.h {
                taken.insert((x, y));
            }
        }
    }
    let mut routed: HashSet<(usize, usize)> = HashSet::new();
    for r in &layout.routes {
        routed.extend(cells(&r.points));
        taken.extend(cells(&r.points));
        if let (Some((x, y)), Some(w)) = (
            r.label,
            g.edges
                .get(r.edge)
                .and_then(|e| e.label.as_deref())
                .map(|l| l.replace('\n', " ").width()),
        ) {
            taken.extend((x.saturating_sub(1)..x + w + 1).map(|x| (x, y)));
        }
    }
    // Frame borders: per cell, whether it is on a bottom side (not a corner), where a
    // vertical line may cross; on a left or right one, where a horizontal line may.
    let mut borders: std::collections::HashMap<(usize, usize), Option<bool>> = Default::default();
    for f in &frames.frames {
        let (x0, y0, x1, y1) = (f.x, f.y, f.x + f.w - 1, f.y + f.h - 1);
        // (Not its top side: that is where its title goes.)
        for x in x0..=x1 {
            borders.insert((x, y0), None);
            borders.insert((x, y1), (x != x0 && x != x1).then_some(true));
        }
        for y in y0 + 1..y1 {
            for x in [x0, x1] {
                borders.insert((x, y), Some(false));
            }
        }
    }
    let horizontal = matches!(
        layout.direction,
        super::Direction::LR | super::Direction::RL
    );
    for (i, s, what, tail) in todo {
        let Some(f) = frames.frames.iter().find(|f| f.group == s) else {
            // Not framed: the legend lists the group; the edge is said not drawn too.
            frames.undrawn.push(i);
            continue;
        };
        let label = g
            .edges
            .get(i)
            .and_then(|e| e.label.as_deref())
            .map_or(0, |l| l.replace('\n', " ").width());
        let boxed_frame = matches!(what, Inside::Group(_));
        let (b, boxed) = match what {
            Inside::Node(k) => (layout.nodes[k], !layout.compact),
            Inside::Group(t) => match frames.frames.iter().find(|f| f.group == t) {
                Some(n) => (
                    super::layout::NodeBox {
                        x: n.x,
                        y: n.y,
                        w: n.w,
                        h: n.h,
                    },
                    true,
                ),
                None => {
                    frames.undrawn.push(i);
                    continue;
                }
            },
        };
        let own = (f.x, f.y, f.x + f.w - 1, f.y + f.h - 1);
        let (fx0, fy0, fx1, fy1) = (f.x, f.y, f.x + f.w - 1, f.y + f.h - 1);
        let (bx1, by1) = (b.x + b.w - 1, b.y + b.h - 1);
        // The cells along a box's side an edge may meet (between the corners of a box).
        let along = |lo: usize, len: usize, inset: bool| -> Vec<usize> {
            let (a, n) = if inset && len > 2 {
                (lo + 1, len - 2)
            } else {
                (lo, len)
            };
            let mid = a + (n.max(1) - 1) / 2;
            let mut v: Vec<usize> = (a..a + n.max(1)).collect();
            v.sort_by_key(|&c| c.abs_diff(mid));
            v
        };
        // The title's cells on the top border where nothing moves it (see `canvas`, which
        // keeps it off the cell a line leaves from).
        let title_end = fx0 + 3 + f.title.width() + 1;
        // Candidates: (the cells from just inside the border to just outside the box, the
        // border cell), per side.
        let mut sides: Vec<Vec<Line>> = Vec::new();
        let xs = along(b.x, b.w, boxed);
        let ys = along(b.y, b.h, boxed);
        let top = xs
            .iter()
            // (A nested frame's top side holds its title: not there.)
            .filter(|&&x| x > fx0 && x < fx1 && b.y >= fy0 + 2 && !boxed_frame)
            .map(|&x| ((x, fy0), (fy0 + 1..b.y).map(|y| (x, y)).collect()))
            .collect();
        let bottom = xs
            .iter()
            .filter(|&&x| x > fx0 && x < fx1 && fy1 >= by1 + 2)
            .map(|&x| ((x, fy1), (by1 + 1..fy1).rev().map(|y| (x, y)).collect()))
            .collect();
        let left = ys
            .iter()
            .filter(|&&y| y > fy0 && y < fy1 && b.x >= fx0 + 2)
            .map(|&y| ((fx0, y), (fx0 + 1..b.x).map(|x| (x, y)).collect()))
            .collect();
        let right = ys
            .iter()
            .filter(|&&y| y > fy0 && y < fy1 && fx1 >= bx1 + 2)
            .map(|&y| ((fx1, y), (bx1 + 1..fx1).rev().map(|x| (x, y)).collect()))
            .collect();
        if horizontal {
            sides.extend([left, top, right, bottom]);
        } else {
            sides.extend([top, left, bottom, right]);
        }
        // Outside the border cell and beside it, no other edge arrives or leaves: the line
        // must not read as going on through the border.
        let alone = |(bx, by): (usize, usize)| {
            let out = if by == fy0 || by == fy1 {
                let y = if by == fy0 {
                    by.checked_sub(1)
                } else {
                    Some(by + 1)
                };
                y.map(|y| [(bx.wrapping_sub(1), y), (bx, y), (bx + 1, y)])
            } else {
                let x = if bx == fx0 {
                    bx.checked_sub(1)
                } else {
                    Some(bx + 1)
                };
                x.map(|x| [(x, by.wrapping_sub(1)), (x, by), (x, by + 1)])
            };
            out.is_none_or(|cells| cells.iter().all(|c| !routed.contains(c)))
        };
        // The shortest free line, the preferred side first among equals.
        let best = sides
            .into_iter()
            .flatten()
            .enumerate()
            .filter(|(_, (at, line)): &(usize, Line)| {
                let vertical = line.first().map(|c| c.0) == line.last().map(|c| c.0);
                // Another frame's border is crossed straight through, never run along; this
                // frame's own border only where the line leaves it.
                let free = |c: &(usize, usize)| match borders.get(c) {
                    Some(&across) => {
                        let (x, y) = *c;
                        let mine = x == own.0 || x == own.2 || y == own.1 || y == own.3;
                        !mine && across == Some(vertical) && !routed.contains(c)
                    }
                    None => !taken.contains(c),
                };
                !line.is_empty() && line.iter().all(free) && alone(*at)
            })
            .min_by_key(|(n, (at, line))| {
                // A labelled edge wants a line its label can sit on (across a vertical one,
                // or inside a horizontal one with a line cell either side).
                let vertical = line.first().map(|c| c.0) == line.last().map(|c| c.0);
                let short = label > 0 && line.len() < if vertical { 3 } else { label + 2 };
                // Leaving the top border where its title would go moves the title on.
                (short, at.1 == fy0 && at.0 <= title_end, line.len(), *n)
            })
            .map(|(_, c)| c);
        let Some((_, line)) = best else {
            frames.undrawn.push(i);
            continue;
        };
        taken.extend(line.iter().copied());
        // From the border inward; the other way round when the node is the tail.
        let (first, last) = (line[0], line[line.len() - 1]);
        let points = if tail {
            vec![first, last]
        } else {
            vec![last, first]
        };
        layout.routes.push(super::layout::Route {
            edge: i,
            points,
            label: None,
        });
    }
}

/// Cuts each route of an edge to or from a framed group where it meets the frame: the head
/// end stops in the cell before the route first touches the frame (the arrowhead there,
/// pointing at the border), the tail end starts in the cell after it last leaves it. A
/// group without a frame keeps the route to its member.
fn clip(g: &Graph, layout: &mut Layout, frames: &Frames) {
    let rect = |id: &str| {
        if !g.end_is_subgraph(id) {
            return None;
        }
        let s = g.subgraph(id)?;
        frames
            .frames
            .iter()
            .find(|f| f.group == s)
            .map(|f| (f.x, f.y, f.x + f.w - 1, f.y + f.h - 1))
    };
    let on = |r: Rect, (x, y): (usize, usize)| r.0 <= x && x <= r.2 && r.1 <= y && y <= r.3;
    for route in &mut layout.routes {
        let Some(e) = g.edges.get(route.edge) else {
            continue;
        };
        let (tail, head) = (rect(&e.from), rect(&e.to));
        if tail.is_none() && head.is_none() {
            continue;
        }
        let mut cells = cells(&route.points);
        if let Some(r) = head
            && let Some(i) = cells.iter().position(|&c| on(r, c))
            && i > 0
        {
            cells.truncate(i);
        }
        if let Some(r) = tail
            && let Some(i) = cells.iter().rposition(|&c| on(r, c))
            && i + 1 < cells.len()
        {
            cells.drain(..=i);
        }
        // The room kept for the label, when the part it was on is gone: the label finds a
        // place on what is left (never a spot away from its line).
        if let Some((x, y)) = route.label {
            let w = e
                .label
                .as_deref()
                .map_or(1, |l| l.replace('\n', " ").width().max(1));
            if !(x..x + w).any(|cx| cells.contains(&(cx, y))) {
                route.label = None;
            }
        }
        route.points = corners(&cells);
    }
}

/// The cells of a polyline, one by one.
fn cells(points: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let steps = x0.abs_diff(x1).max(y0.abs_diff(y1));
        for k in 0..=steps {
            let x = if x1 >= x0 {
                x0 + k.min(x1 - x0)
            } else {
                x0 - k.min(x0 - x1)
            };
            let y = if y1 >= y0 {
                y0 + k.min(y1 - y0)
            } else {
                y0 - k.min(y0 - y1)
            };
            if out.last() != Some(&(x, y)) {
                out.push((x, y));
            }
        }
    }
    if points.len() == 1 {
        out.extend(points.first().copied());
    }
    out
}

/// The polyline through consecutive cells: their ends and the cells where they turn.
fn corners(cells: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, &c) in cells.iter().enumerate() {
        let turns = match (i.checked_sub(1).map(|j| cells[j]), cells.get(i + 1)) {
            (Some(a), Some(&b)) => (a.0 == c.0) != (c.0 == b.0) || (a.1 == c.1) != (c.1 == b.1),
            _ => true,
        };
        if turns {
            out.push(c);
        }
    }
    // One cell left: a route from it to itself.
    if out.len() == 1 {
        out.push(out[0]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polyline_goes_to_cells_and_back() {
        let pts = vec![(1, 1), (1, 4), (5, 4), (5, 2)];
        let c = cells(&pts);
        assert_eq!(c.len(), 4 + 4 + 2);
        assert_eq!(corners(&c), pts);
        assert_eq!(corners(&c[..2]), [(1, 1), (1, 2)]);
        assert_eq!(corners(&c[..1]), [(1, 1), (1, 1)]);
    }

    #[test]
    fn a_title_is_cut_in_display_columns() {
        assert_eq!(crate::text::cut("VPC", 3), "VPC");
        assert_eq!(crate::text::cut("공개서브넷", 5), "공개…");
        assert_eq!(crate::text::cut("abc", 0), "");
    }
}
