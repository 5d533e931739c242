//! A sequence diagram drawn for a terminal: participants as boxes across the top (actors with
//! rounded corners), lifelines `│` down from them (`┃` while active), each message a row of
//! `──▶` (dotted `┄┄▶`, cross `──x`, async `──)`, no head for `->`) between two lifelines with
//! its text above, a message to oneself as a small hook, notes as boxes, frames as titled
//! rectangles around their rows with `else`/`and`/`option` dividers.
//!
//! Columns are display columns: lifelines are spaced so the widest text between two of them
//! fits, so a Hangul label (two columns a syllable) never pushes a line out of place. Long
//! texts are cut with `…` (the whole text is in the model, the pane's status line and the
//! JSON).

use unicode_width::UnicodeWidthStr;

use super::{Arrow, FrameKind, MessageHead, NotePlace, ParticipantKind, Sequence};
use crate::diagram::canvas::{Canvas, E, N, Role, S, W};
use crate::diagram::layout::{Layout, NodeBox, Route};
use crate::diagram::{Direction, Drawing, MAX_CANVAS_CELLS};

/// Widest participant, message or note text drawn (display columns).
const MAX_TEXT: usize = 40;
/// Lines of one message or note drawn.
const MAX_TEXT_LINES: usize = 4;

/// A text as drawn: its lines, each cut to [`MAX_TEXT`] columns.
fn lines_of(text: &str) -> Vec<String> {
    text.split('\n')
        .filter(|l| !l.trim().is_empty())
        .take(MAX_TEXT_LINES)
        .map(|l| {
            if l.width() <= MAX_TEXT {
                l.to_owned()
            } else {
                crate::text::fit(l, MAX_TEXT).trim_end().to_owned()
            }
        })
        .collect()
}

fn widest(lines: &[String]) -> i64 {
    lines.iter().map(|l| l.width()).max().unwrap_or(0) as i64
}

/// One thing on the time axis, in source order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Message(usize),
    Note(usize),
    Open(usize),
    Section(usize),
    Close(usize),
}

/// What each event needs drawn, worked out before anything is placed.
struct Item {
    ev: Ev,
    /// The block line it comes from.
    line: usize,
    /// Participant indexes (message: from, to; note: the first and last it covers).
    a: usize,
    b: usize,
    lines: Vec<String>,
    row: usize,
    height: usize,
}

/// Draws `seq`; `compact` puts participants on one line (`[Name]`, actors `(Name)`).
pub fn draw(seq: &Sequence, compact: bool) -> Drawing {
    let n = seq.participants.len();
    if n == 0 {
        return Drawing::message("a sequence diagram with no participant", compact);
    }
    let index = |id: &str| seq.participants.iter().position(|p| p.id == id);
    let labels: Vec<String> = seq
        .participants
        .iter()
        .map(|p| lines_of(&p.label).join(" "))
        .collect();
    // Box widths: `│ label │` or `[label]`.
    let bw: Vec<i64> = labels
        .iter()
        .map(|l| l.width() as i64 + if compact { 2 } else { 4 })
        .collect();
    let left_half = |i: usize| bw[i] / 2;
    let right_half = |i: usize| bw[i] - 1 - bw[i] / 2;

    // The events in source order (a frame's close after what it holds, inner ones first).
    let mut evs: Vec<(usize, u8, usize, Ev)> = Vec::new();
    for (i, m) in seq.messages.iter().enumerate() {
        evs.push((m.line, 0, 0, Ev::Message(i)));
    }
    for (i, note) in seq.notes.iter().enumerate() {
        evs.push((note.line, 0, 0, Ev::Note(i)));
    }
    for (i, f) in seq.frames.iter().enumerate() {
        if f.kind.is_section() {
            if f.parent.is_some_and(|p| p < i) {
                evs.push((f.line, 0, 0, Ev::Section(i)));
            }
        } else {
            evs.push((f.line, 0, 0, Ev::Open(i)));
            evs.push((f.end_line, 1, usize::MAX - i, Ev::Close(i)));
        }
    }
    evs.sort();

    // Items with their texts; minimum distances between lifelines (a < b, columns).
    let mut items: Vec<Item> = Vec::new();
    let mut need: Vec<(usize, usize, i64)> = Vec::new();
    let mut number = 0usize;
    for &(line, .., ev) in &evs {
        let (a, b, lines) = match ev {
            Ev::Message(i) => {
                let m = &seq.messages[i];
                let (Some(a), Some(b)) = (index(&m.from), index(&m.to)) else {
                    continue;
                };
                number += 1;
                let mut lines = lines_of(&m.text);
                if seq.autonumber {
                    match lines.first_mut() {
                        Some(l) => *l = format!("{number}. {l}"),
                        None => lines.push(format!("{number}.")),
                    }
                }
                let w = widest(&lines);
                if a == b {
                    if a + 1 < n {
                        need.push((a, a + 1, w + 7 + left_half(a + 1)));
                    }
                } else {
                    need.push((a.min(b), a.max(b), w + 4));
                }
                (a, b, lines)
            }
            Ev::Note(i) => {
                let note = &seq.notes[i];
                let mut ids: Vec<usize> = note.over.iter().filter_map(|id| index(id)).collect();
                ids.sort_unstable();
                let (Some(&a), Some(&b)) = (ids.first(), ids.last()) else {
                    continue;
                };
                let lines = lines_of(&note.text);
                let nw = widest(&lines) + 4;
                match note.place {
                    NotePlace::Right if a + 1 < n => {
                        need.push((a, a + 1, nw + 3 + left_half(a + 1)));
                    }
                    NotePlace::Left if a > 0 => {
                        need.push((a - 1, a, nw + 3 + right_half(a - 1)));
                    }
                    NotePlace::Over if a == b => {
                        if a + 1 < n {
                            need.push((a, a + 1, nw / 2 + 3));
                        }
                        if a > 0 {
                            need.push((a - 1, a, nw / 2 + 3));
                        }
                    }
                    NotePlace::Over => need.push((a, b, nw - 5)),
                    _ => {}
                }
                (a, b, lines)
            }
            Ev::Open(f) | Ev::Section(f) => {
                let label = if seq.frames[f].kind == FrameKind::Rect {
                    String::new()
                } else {
                    lines_of(&seq.frames[f].label).join(" ")
                };
                let word = seq.frames[f].kind.keyword();
                let title = if label.is_empty() {
                    word.to_owned()
                } else {
                    format!("{word} {label}")
                };
                (0, 0, vec![title])
            }
            Ev::Close(_) => (0, 0, Vec::new()),
        };
        items.push(Item {
            ev,
            line,
            a,
            b,
            lines,
            row: 0,
            height: 0,
        });
    }

    // Lifeline columns, left to right: boxes apart, then every text between two lifelines.
    let mut c = vec![0i64; n];
    need.sort_unstable_by_key(|&(_, b, _)| b);
    let mut k = 0;
    for i in 0..n {
        if i > 0 {
            c[i] = c[i - 1] + right_half(i - 1) + left_half(i) + 3;
        }
        while k < need.len() && need[k].1 <= i {
            let (a, b, d) = need[k];
            if b == i {
                c[i] = c[i].max(c[a] + d);
            }
            k += 1;
        }
    }

    // Rows, and the horizontal extent of everything, frames included.
    let head_rows = if compact { 1 } else { 3 };
    let mut y = head_rows + 1;
    let mut lo = (0..n).map(|i| c[i] - left_half(i)).min().unwrap_or(0);
    let mut hi = (0..n).map(|i| c[i] + right_half(i)).max().unwrap_or(0);
    // Per frame: its box (left, right) once closed; the open frames' content.
    let mut boxes: Vec<Option<(i64, i64)>> = vec![None; seq.frames.len()];
    let mut open: Vec<(usize, Option<(i64, i64)>)> = Vec::new();
    let span = |r: Option<(i64, i64)>, l: i64, h: i64| match r {
        Some((a, b)) => Some((a.min(l), b.max(h))),
        None => Some((l, h)),
    };
    for it in &mut items {
        it.row = y;
        let extent = match it.ev {
            Ev::Message(_) => {
                let w = widest(&it.lines);
                it.height = if it.a == it.b {
                    it.lines.len().max(2)
                } else {
                    it.lines.len() + 1
                };
                if it.a == it.b {
                    Some((c[it.a], c[it.a] + 4 + w.max(1)))
                } else {
                    Some((c[it.a].min(c[it.b]), c[it.a].max(c[it.b])))
                }
            }
            Ev::Note(i) => {
                it.height = it.lines.len() + 2;
                let nw = widest(&it.lines) + 4;
                let (ca, cb) = (c[it.a], c[it.b]);
                Some(match seq.notes[i].place {
                    NotePlace::Right => (ca + 2, ca + 1 + nw),
                    NotePlace::Left => (ca - 1 - nw, ca - 2),
                    NotePlace::Over if it.a == it.b => (ca - nw / 2, ca - nw / 2 + nw - 1),
                    NotePlace::Over => (ca - 2, (cb + 2).max(ca - 3 + nw)),
                })
            }
            Ev::Open(f) => {
                it.height = 1;
                open.push((f, None));
                None
            }
            Ev::Section(_) => {
                it.height = 1;
                None
            }
            Ev::Close(f) => {
                it.height = 1;
                let content = match open.last() {
                    Some(&(g, r)) if g == f => {
                        open.pop();
                        r
                    }
                    _ => None,
                };
                let (l, h) = content.unwrap_or((c[0], c[0]));
                let title = items_title_width(seq, f);
                let b = (l - 2, (h + 2).max(l - 2 + title + 5));
                boxes[f] = Some(b);
                Some(b)
            }
        };
        if let Some((l, h)) = extent {
            lo = lo.min(l);
            hi = hi.max(h);
            if let Some(top) = open.last_mut() {
                top.1 = span(top.1, l, h);
            }
        }
        y += it.height;
    }
    let height = y + 1;
    let shift = -lo;
    let width = (hi - lo + 1).max(1) as usize;
    if width.saturating_mul(height) > MAX_CANVAS_CELLS {
        return Drawing::message(
            &format!(
                "{} participants and {} messages are too many to draw here ({width}x{height} \
                 cells); `vaultscope diagram --json` gives the diagram",
                n,
                seq.messages.len()
            ),
            compact,
        );
    }
    let x = |v: i64| (v + shift).max(0) as usize;
    let mut cv = Canvas::new(width, height);

    // Participants and their lifelines.
    let mut nodes = Vec::new();
    for i in 0..n {
        let (bx, cx) = (x(c[i] - left_half(i)), x(c[i]));
        let w = bw[i] as usize;
        let role = Role::Node(i);
        let actor = seq.participants[i].kind == ParticipantKind::Actor;
        if compact {
            let (o, e) = if actor { ("(", ")") } else { ("[", "]") };
            cv.text(bx, 0, &format!("{o}{}{e}", labels[i]), role);
        } else {
            let (tl, tr, bl, br) = if actor {
                ('╭', '╮', '╰', '╯')
            } else {
                ('┌', '┐', '└', '┘')
            };
            let bar = |k: usize| "─".repeat(k);
            cv.text(bx, 0, &format!("{tl}{}{tr}", bar(w - 2)), role);
            cv.text(bx, 1, &format!("│ {} │", labels[i]), role);
            let under = cx - bx;
            cv.text(
                bx,
                2,
                &format!("{bl}{}┬{}{br}", bar(under - 1), bar(w - 2 - under)),
                role,
            );
        }
        nodes.push(NodeBox {
            x: bx,
            y: 0,
            w,
            h: head_rows,
        });
        for row in head_rows..height {
            cv.add_line(cx, row, N | S, role);
        }
    }
    // Activations: the lifeline thick from the row of its first line to that of its last.
    let row_at = |line: usize, last: bool| {
        if last {
            items
                .iter()
                .rev()
                .find(|it| it.line <= line)
                .map(|it| it.row + it.height - 1)
        } else {
            items.iter().find(|it| it.line >= line).map(|it| it.row)
        }
    };
    for a in &seq.activations {
        let Some(p) = index(&a.participant) else {
            continue;
        };
        let from = row_at(a.line, false).unwrap_or(height - 1);
        let to = a
            .end_line
            .and_then(|l| row_at(l, true))
            .unwrap_or(height - 1);
        for row in from..=to.min(height - 1) {
            cv.text(x(c[p]), row, "┃", Role::Node(p));
        }
    }
    // Frames: borders first, then titles, so a title is never crossed by a line.
    for it in &items {
        if let Ev::Open(f) = it.ev
            && let Some((l, h)) = boxes[f]
        {
            let close = items
                .iter()
                .find(|o| o.ev == Ev::Close(f))
                .map_or(height - 1, |o| o.row);
            rect(&mut cv, x(l), it.row, x(h), close);
            cv.text(x(l) + 1, it.row, &format!(" {} ", it.lines[0]), Role::None);
        }
    }
    for it in &items {
        if let Ev::Section(f) = it.ev
            && let Some(Some((l, h))) = seq.frames[f].parent.map(|p| boxes[p])
        {
            for col in x(l)..=x(h) {
                let m = if col > x(l) { W } else { 0 } | if col < x(h) { E } else { 0 };
                cv.add_line(col, it.row, m, Role::None);
            }
            cv.text(x(l) + 1, it.row, &format!(" {} ", it.lines[0]), Role::None);
        }
    }
    // Messages and notes over everything else.
    let mut routes = Vec::new();
    for it in &items {
        match it.ev {
            Ev::Message(i) => {
                let m = &seq.messages[i];
                let role = Role::Edge(i);
                let (ca, cb) = (x(c[it.a]), x(c[it.b]));
                if it.a == it.b {
                    let tail = if m.arrow == Arrow::Dotted {
                        "┄┄┐"
                    } else {
                        "──┐"
                    };
                    cv.add_line(ca, it.row, E, role);
                    cv.text(ca + 1, it.row, tail, role);
                    let head = match m.head {
                        MessageHead::Arrow | MessageHead::Both => "◀",
                        MessageHead::Cross => "x",
                        MessageHead::Async => "(",
                        MessageHead::Open => "─",
                    };
                    let shaft = if m.arrow == Arrow::Dotted {
                        "┄"
                    } else {
                        "─"
                    };
                    cv.text(ca + 1, it.row + 1, &format!("{head}{shaft}┘"), role);
                    for (k, l) in it.lines.iter().enumerate() {
                        cv.text(ca + 5, it.row + k, l, role);
                    }
                    routes.push(Route {
                        edge: i,
                        label: None,
                        points: vec![
                            (ca + 1, it.row),
                            (ca + 3, it.row),
                            (ca + 3, it.row + 1),
                            (ca + 1, it.row + 1),
                        ],
                    });
                    continue;
                }
                let (l, r) = (ca.min(cb) + 1, ca.max(cb) - 1);
                let y = it.row + it.lines.len();
                let mut cells: Vec<&str> = vec![
                    if m.arrow == Arrow::Dotted {
                        "┄"
                    } else {
                        "─"
                    };
                    r + 1 - l
                ];
                let right = cb > ca;
                let (fwd, back) = match m.head {
                    MessageHead::Arrow | MessageHead::Both => ("▶", "◀"),
                    MessageHead::Cross => ("x", "x"),
                    MessageHead::Async => (")", "("),
                    MessageHead::Open => ("", ""),
                };
                let last = cells.len() - 1;
                if !fwd.is_empty() {
                    if right {
                        cells[last] = fwd;
                    } else {
                        cells[0] = back;
                    }
                }
                if m.head == MessageHead::Both {
                    if right {
                        cells[0] = "◀";
                    } else {
                        cells[last] = "▶";
                    }
                }
                cv.text(l, y, &cells.concat(), role);
                let w = widest(&it.lines) as usize;
                let start = (l + r + 1).saturating_sub(w) / 2;
                for (k, t) in it.lines.iter().enumerate() {
                    cv.text(start.max(l), it.row + k, t, role);
                }
                let (from, to) = if right { (l, r) } else { (r, l) };
                routes.push(Route {
                    edge: i,
                    points: vec![(from, y), (to, y)],
                    label: None,
                });
            }
            Ev::Note(i) => {
                let nw = widest(&it.lines) as usize + 4;
                let (ca, cb) = (c[it.a], c[it.b]);
                let (l, h) = match seq.notes[i].place {
                    NotePlace::Right => (x(ca + 2), x(ca + 1) + nw),
                    NotePlace::Left => (x(ca - 1) - nw, x(ca - 2)),
                    NotePlace::Over if it.a == it.b => {
                        let l = x(ca - nw as i64 / 2);
                        (l, l + nw - 1)
                    }
                    NotePlace::Over => (x(ca - 2), x(cb + 2).max(x(ca - 3) + nw)),
                };
                let inner = h - l - 1;
                cv.text(l, it.row, &format!("┌{}┐", "─".repeat(inner)), Role::None);
                for (k, t) in it.lines.iter().enumerate() {
                    let pad = inner.saturating_sub(t.width() + 2);
                    let body = format!("│ {t}{} │", " ".repeat(pad));
                    cv.text(l, it.row + 1 + k, &body, Role::None);
                }
                let bottom = it.row + 1 + it.lines.len();
                cv.text(l, bottom, &format!("└{}┘", "─".repeat(inner)), Role::None);
            }
            _ => {}
        }
    }
    let layout = Layout {
        width,
        height,
        direction: Direction::LR,
        nodes,
        routes,
        crossings: 0,
        compact,
        groups: Vec::new(),
    };
    Drawing { layout, canvas: cv }
}

/// The display width of frame `f`'s title (`loop label`).
fn items_title_width(seq: &Sequence, f: usize) -> i64 {
    let fr = &seq.frames[f];
    let label = if fr.kind == FrameKind::Rect {
        0
    } else {
        lines_of(&fr.label).join(" ").width() as i64 + 1
    };
    fr.kind.keyword().len() as i64 + label
}

/// A rectangle of lines from (x0, y0) to (x1, y1).
fn rect(cv: &mut Canvas, x0: usize, y0: usize, x1: usize, y1: usize) {
    if x1 <= x0 || y1 <= y0 {
        return;
    }
    for col in x0..=x1 {
        let m = if col > x0 { W } else { 0 } | if col < x1 { E } else { 0 };
        cv.add_line(
            col,
            y0,
            m | if col == x0 || col == x1 { S } else { 0 },
            Role::None,
        );
        cv.add_line(
            col,
            y1,
            m | if col == x0 || col == x1 { N } else { 0 },
            Role::None,
        );
    }
    for row in y0 + 1..y1 {
        cv.add_line(x0, row, N | S, Role::None);
        cv.add_line(x1, row, N | S, Role::None);
    }
}
