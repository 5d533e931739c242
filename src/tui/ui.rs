//! The screen's layout (which panes go where, for drawing and for finding the pane under the
//! mouse), the status bar, and the guard that keeps a popup from splitting a wide character.
//! Each pane and popup draws itself (see [`super::panes`], [`super::popups`]); every string
//! from a note goes through [`crate::sanitize`] before it becomes a `Span`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::keymap::{Context, Keymap, key_name};
use super::msg::Loading;
use super::panes::Pane;
use crate::config::{LayoutConfig, PaneName};
use crate::sanitize;
use crate::style::{Role, Styles};

/// All four panes side by side from this size up.
pub const WIDE: (u16, u16) = (160, 45);

/// Where each visible pane goes on a screen of `area`, and the status bar: used for drawing
/// and to find the pane under the mouse. The default layout; see [`layout_with`].
pub fn layout(area: Rect, zoom: bool, focus: Pane) -> (Vec<(Pane, Rect)>, Rect) {
    layout_with(area, zoom, focus, &LayoutConfig::default())
}

/// Whether a configuration's layout shows `pane`.
pub fn shows(panes: &LayoutConfig, pane: Pane) -> bool {
    panes.panes.iter().any(|&p| pane_of(p) == pane)
}

fn pane_of(name: PaneName) -> Pane {
    match name {
        PaneName::List => Pane::List,
        PaneName::Content => Pane::Content,
        PaneName::Diagram => Pane::Diagram,
        PaneName::Tags => Pane::Tags,
    }
}

/// [`layout`] with a configuration's panes and widths: on a wide screen the list, the
/// content and the side column (the diagram over the tags), each as wide as its share of the
/// columns shown; on a narrow one the list beside the focused pane; zoomed, the focused pane.
pub fn layout_with(
    area: Rect,
    zoom: bool,
    focus: Pane,
    panes: &LayoutConfig,
) -> (Vec<(Pane, Rect)>, Rect) {
    let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let shown = |p: Pane| shows(panes, p);
    let panes = if zoom {
        vec![(focus, main)]
    } else if area.width >= WIDE.0 && area.height >= WIDE.1 {
        let side = [Pane::Diagram, Pane::Tags]
            .into_iter()
            .filter(|&p| shown(p))
            .collect::<Vec<_>>();
        let mut columns: Vec<(Option<Pane>, u16)> = Vec::new();
        if shown(Pane::List) {
            columns.push((Some(Pane::List), panes.list_width));
        }
        if shown(Pane::Content) {
            columns.push((Some(Pane::Content), panes.content_width));
        }
        if !side.is_empty() {
            columns.push((None, panes.side_width));
        }
        let rects =
            Layout::horizontal(columns.iter().map(|&(_, w)| Constraint::Fill(w))).split(main);
        let mut out = Vec::new();
        for (&(pane, _), &rect) in columns.iter().zip(rects.iter()) {
            match (pane, side.as_slice()) {
                (Some(p), _) => out.push((p, rect)),
                (None, [one]) => out.push((*one, rect)),
                (None, _) => {
                    let [diagram, tags] = Layout::vertical([
                        Constraint::Percentage(panes.diagram_height),
                        Constraint::Fill(1),
                    ])
                    .areas(rect);
                    out.push((Pane::Diagram, diagram));
                    out.push((Pane::Tags, tags));
                }
            }
        }
        out
    } else {
        // Narrow: the list, and beside it whichever other pane has (or last had) the focus.
        let other = if focus == Pane::List {
            [Pane::Content, Pane::Diagram, Pane::Tags]
                .into_iter()
                .find(|&p| shown(p))
        } else {
            Some(focus)
        };
        match (shown(Pane::List), other) {
            (true, Some(other)) => {
                let [list, right] = Layout::horizontal([
                    Constraint::Percentage(panes.narrow_list_width),
                    Constraint::Fill(1),
                ])
                .areas(main);
                vec![(Pane::List, list), (other, right)]
            }
            (true, None) => vec![(Pane::List, main)],
            (false, other) => vec![(other.unwrap_or(focus), main)],
        }
    };
    (panes, status)
}

/// The inner size (columns, rows) of each pane on screen; 0 for the ones that are not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct View {
    pub list_rows: usize,
    pub content_rows: usize,
    pub diagram_rows: usize,
    pub diagram_cols: usize,
    pub tag_rows: usize,
    /// The content pane's inner width, when it is on screen.
    pub content_cols: Option<u16>,
}

impl View {
    pub fn of(area: Rect, zoom: bool, focus: Pane, layout: &LayoutConfig) -> View {
        let (panes, _) = layout_with(area, zoom, focus, layout);
        let rect = |pane: Pane| panes.iter().find(|(p, _)| *p == pane).map(|(_, r)| *r);
        let inner = |pane: Pane| {
            rect(pane).map_or((0, 0), |r| {
                (
                    r.width.saturating_sub(2) as usize,
                    r.height.saturating_sub(2) as usize,
                )
            })
        };
        View {
            content_cols: rect(Pane::Content).map(|r| r.width.saturating_sub(2)),
            list_rows: inner(Pane::List).1,
            content_rows: inner(Pane::Content).1,
            diagram_rows: inner(Pane::Diagram).1,
            diagram_cols: inner(Pane::Diagram).0,
            tag_rows: inner(Pane::Tags).1,
        }
    }

    /// A page of `pane`: its height (at least 2).
    pub fn page(&self, pane: Pane) -> isize {
        match pane {
            Pane::List => self.list_rows,
            Pane::Content => self.content_rows,
            Pane::Diagram => self.diagram_rows,
            Pane::Tags => self.tag_rows,
        }
        .max(2) as isize
    }
}

/// What the status bar shows besides the hints.
pub struct Status<'a> {
    pub context: Context,
    /// The find line being typed: its query and match count.
    pub find: Option<(&'a str, usize)>,
    pub message: Option<&'a str>,
    pub loading: Option<Loading>,
    pub problems: usize,
    /// The bindings in force, whose keys the hints show.
    pub keymap: &'a Keymap,
}

pub fn draw_status(frame: &mut Frame, area: Rect, styles: Styles, s: &Status) {
    let context = s.context;
    let hints: Vec<Hint> = s
        .keymap
        .bindings()
        .filter(|(b, _)| {
            b.context == context
                || (b.context == Context::Global
                    && matches!(context, Context::Pane(_) | Context::Map)
                    && !s.keymap.shadows(context, &b.key))
        })
        .filter_map(|(b, action)| {
            Some(Hint {
                text: format!("{} {}", key_name(&b.key), b.hint?),
                rank: rank(b.context, action),
            })
        })
        .collect();
    let mut spans = Vec::new();
    if s.problems > 0 {
        spans.push(Span::styled(
            format!("{} problems (!) · ", s.problems),
            styles.get(Role::Warn),
        ));
    }
    if let Some(l) = &s.loading {
        spans.push(gauge(l, styles));
    }
    let used: usize = spans.iter().map(|s| crate::text::width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(used);
    match (s.find, s.message) {
        (Some((query, matches)), _) => {
            let query = sanitize::line(query).into_owned();
            let count = if query.is_empty() {
                String::new()
            } else {
                format!("   {matches} matches · Enter keep · Esc cancel")
            };
            let text = format!("find: {query}");
            let x = area
                .x
                .saturating_add((used + crate::text::width(&text)) as u16);
            if x < area.right() {
                frame.set_cursor_position((x, area.y));
            }
            spans.push(Span::styled(
                crate::text::cut(&format!("{text}{count}"), room),
                styles.get(Role::Accent),
            ));
        }
        (_, Some(msg)) => {
            // The message first; the help key after it when it is bound here and there is room.
            let help = hints.iter().find(|h| h.rank == Rank::Help);
            let tail = help.map(|h| format!(" · {}", h.text)).unwrap_or_default();
            let msg = sanitize::line(msg);
            let tail_w = crate::text::width(&tail);
            let (shown, tail) = if crate::text::width(&msg) + tail_w <= room || tail_w * 3 <= room {
                (crate::text::cut(&msg, room.saturating_sub(tail_w)), tail)
            } else {
                (crate::text::cut(&msg, room), String::new())
            };
            spans.push(Span::styled(shown, styles.get(Role::Warn)));
            spans.push(Span::styled(tail, styles.get(Role::Dim)));
        }
        _ => spans.push(Span::styled(fit_hints(&hints, room), styles.get(Role::Dim))),
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A hint of the status bar: `? help`, and how much it matters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub text: String,
    pub rank: Rank,
}

/// Which hints stay when the bar is too narrow for all: the help key always (it lists the
/// rest), then what the focused pane or popup does, then quitting, then the other global
/// keys in the table's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    Help,
    Context,
    Quit,
    Global,
}

fn rank(context: Context, action: super::action::Action) -> Rank {
    use super::action::Action;
    match (context, action) {
        (_, Action::ToggleHelp) => Rank::Help,
        (Context::Global, Action::Quit) => Rank::Quit,
        (Context::Global, _) => Rank::Global,
        _ => Rank::Context,
    }
}

/// The hints that fit `room` columns, whole, in the table's order, joined by ` · `. When
/// some must go, the least needed go first (see [`Rank`]) and the help key moves to the
/// end after `…`, saying there is more: `q quit · f find · … ? help`.
pub fn fit_hints(hints: &[Hint], room: usize) -> String {
    const SEP: &str = " · ";
    let width = crate::text::width;
    let all: Vec<&str> = hints.iter().map(|h| h.text.as_str()).collect();
    let joined = all.join(SEP);
    if width(&joined) <= room {
        return joined;
    }
    let help = hints.iter().find(|h| h.rank == Rank::Help);
    let end = match help {
        Some(h) => format!("… {}", h.text),
        None => "…".to_owned(),
    };
    // The rest by how much they matter (the table's order within a rank), kept while they fit.
    let mut order: Vec<usize> = (0..hints.len())
        .filter(|&i| hints[i].rank != Rank::Help)
        .collect();
    order.sort_by_key(|&i| hints[i].rank);
    let mut keep = vec![false; hints.len()];
    let mut used = width(&end);
    for i in order {
        let w = width(&hints[i].text) + width(SEP);
        if used + w <= room {
            used += w;
            keep[i] = true;
        }
    }
    let mut parts: Vec<&str> = (0..hints.len())
        .filter(|&i| keep[i])
        .map(|i| hints[i].text.as_str())
        .collect();
    parts.push(&end);
    // Not even the help key fits: as much of it as does, cut with `…`.
    crate::text::cut(&parts.join(SEP), room)
}

/// The loading gauge: `reading notes ▰▰▰▱▱▱ 3,120/10,000 · `; a stage that counts nothing
/// (yet) is named alone: `indexing names… · `.
fn gauge(l: &Loading, styles: Styles) -> Span<'static> {
    const CELLS: usize = 10;
    let text = match (l.read * CELLS).checked_div(l.found) {
        None => format!("{}… · ", l.stage),
        Some(filled) => {
            let filled = filled.min(CELLS);
            format!(
                "{} {}{} {}/{} · ",
                l.stage,
                "▰".repeat(filled),
                "▱".repeat(CELLS - filled),
                l.read,
                l.found
            )
        }
    };
    Span::styled(text, styles.get(Role::Accent))
}

/// A popup drawn over a pane can cover one half of a two-column character: its other half
/// must not reach the terminal, or the glyph would spill over the popup's border. Each wide
/// character whose second cell was overwritten becomes a space.
pub fn mend_split_wide_chars(buf: &mut ratatui::buffer::Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            // A terminal picture's cell (its escape sequence, its width forced): no glyph.
            if buf[(x, y)].diff_option != ratatui::buffer::CellDiffOption::None {
                x += 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            // Most cells hold one ASCII byte: no width to measure.
            let width = if symbol.len() == 1 {
                1
            } else {
                crate::text::width(symbol)
            };
            if width >= 2 {
                // Its continuation cells were reset to " " when it was drawn; anything else
                // there was drawn over it afterwards.
                let end = x.saturating_add(width as u16);
                let intact =
                    end <= area.right() && (x + 1..end).all(|cx| buf[(cx, y)].symbol() == " ");
                if !intact {
                    buf[(x, y)].set_symbol(" ");
                    x += 1;
                    continue;
                }
                x = end;
            } else {
                x += 1;
            }
        }
    }
}

/// A scrollbar on the right border of `area` (a pane or a popup) when its `total` lines do not
/// fit its `rows`: the sign that there is more, and where the view is.
pub fn scrollbar(
    frame: &mut ratatui::Frame,
    area: Rect,
    (total, rows, offset): (usize, usize, usize),
    style: ratatui::style::Style,
) {
    use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState};
    if total <= rows || area.height <= 2 {
        return;
    }
    let mut state = ScrollbarState::new(total.saturating_sub(rows)).position(offset);
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some("│"))
            .thumb_symbol("┃")
            .style(style),
        area.inner(ratatui::layout::Margin {
            vertical: 1,
            horizontal: 0,
        }),
        &mut state,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(table: &[(&str, Rank)]) -> Vec<Hint> {
        table
            .iter()
            .map(|(t, r)| Hint {
                text: (*t).to_owned(),
                rank: *r,
            })
            .collect()
    }

    /// A stage that counts nothing yet is named alone: `0/0` and an empty bar would read as
    /// a vault of no notes.
    #[test]
    fn the_gauge_counts_only_what_it_has_counted() {
        let text = |read, found| {
            let l = Loading {
                stage: "indexing names",
                read,
                found,
            };
            gauge(&l, Styles::new(false)).content.into_owned()
        };
        assert_eq!(text(0, 0), "indexing names… · ");
        assert_eq!(text(3, 10), "indexing names ▰▰▰▱▱▱▱▱▱▱ 3/10 · ");
        assert_eq!(text(12, 10), "indexing names ▰▰▰▰▰▰▰▰▰▰ 12/10 · ");
    }

    #[test]
    fn hints_that_do_not_fit_go_whole_least_needed_first_and_help_stays() {
        use Rank::*;
        let h = hints(&[
            ("q quit", Quit),
            ("? help", Help),
            ("/ search", Global),
            ("e edit", Global),
            ("f find", Context),
            ("] links", Context),
        ]);
        let all = "q quit · ? help · / search · e edit · f find · ] links";
        assert_eq!(fit_hints(&h, 200), all);
        assert_eq!(fit_hints(&h, crate::text::width(all)), all);
        // One column short: the last global hint goes, help moves to the end.
        assert_eq!(
            fit_hints(&h, crate::text::width(all) - 1),
            "q quit · / search · f find · ] links · … ? help"
        );
        assert_eq!(fit_hints(&h, 40), "q quit · f find · ] links · … ? help");
        assert_eq!(fit_hints(&h, 30), "f find · ] links · … ? help");
        assert_eq!(fit_hints(&h, 8), "… ? help");
        assert_eq!(fit_hints(&h, 5), "… ? …");
        assert_eq!(fit_hints(&h, 0), "");
        for room in 0..80 {
            assert!(crate::text::width(&fit_hints(&h, room)) <= room, "{room}");
        }
    }
}
