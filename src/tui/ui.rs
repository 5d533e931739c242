//! Drawing: the layout and each pane, from the app's state only. Every string from a note goes
//! through [`crate::sanitize`] before it becomes a `Span`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{
    Block, Borders, Clear, List, ListItem, ListState, Paragraph, Scrollbar, ScrollbarOrientation,
    ScrollbarState,
};

use super::app::{App, Pane, Popup, SearchState, View};
use super::keymap::{BINDINGS, Context, key_name};
use super::theme::Theme;
use crate::sanitize;
use crate::search::Field;
use crate::tags::Combine;
use crate::vault::same_tag;

/// All four panes side by side from this size up.
pub const WIDE: (u16, u16) = (160, 45);

/// Where each visible pane goes on a screen of `area`, and the status bar: used for drawing
/// and to find the pane under the mouse.
pub fn layout(area: Rect, app: &App) -> (Vec<(Pane, Rect)>, Rect) {
    let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let panes = if app.zoom {
        vec![(app.focus, main)]
    } else if area.width >= WIDE.0 && area.height >= WIDE.1 {
        let [list, content, right] = Layout::horizontal([
            Constraint::Percentage(25),
            Constraint::Percentage(45),
            Constraint::Percentage(30),
        ])
        .areas(main);
        let [diagram, tags] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
        vec![
            (Pane::List, list),
            (Pane::Content, content),
            (Pane::Diagram, diagram),
            (Pane::Tags, tags),
        ]
    } else {
        // Narrow: the list, and beside it whichever other pane has (or last had) the focus.
        let [list, right] =
            Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)])
                .areas(main);
        let other = if app.focus == Pane::List {
            Pane::Content
        } else {
            app.focus
        };
        vec![(Pane::List, list), (other, right)]
    };
    (panes, status)
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    let (panes, status) = layout(area, app);
    for (pane, rect) in panes {
        draw_pane(frame, app, theme, pane, rect);
    }
    draw_status(frame, app, theme, status);
    match &app.popup {
        Some(Popup::Search(s)) => draw_search(frame, app, theme, s, area),
        Some(Popup::Help) => draw_help(frame, app, theme, area),
        Some(Popup::Problems) => draw_problems(frame, app, theme, area),
        Some(Popup::Outline(i)) => draw_outline(frame, app, theme, area, *i),
        Some(Popup::Backlinks(i)) => draw_backlinks(frame, app, theme, area, *i),
        Some(Popup::Choose(notes, i)) => draw_choices(frame, app, theme, area, notes, *i),
        Some(Popup::Study) => super::study_ui::draw_study(frame, app, theme, area),
        Some(Popup::Progress(o)) => super::study_ui::draw_progress(frame, app, theme, area, o),
        Some(Popup::Find) => {}
        None => {}
    }
    mend_split_wide_chars(frame.buffer_mut());
}

/// A popup drawn over a pane can cover one half of a two-column character: its other half
/// must not reach the terminal, or the glyph would spill over the popup's border. Each wide
/// character whose second cell was overwritten becomes a space.
pub fn mend_split_wide_chars(buf: &mut ratatui::buffer::Buffer) {
    use unicode_width::UnicodeWidthStr;
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let symbol = buf[(x, y)].symbol();
            // Most cells hold one ASCII byte: no width to measure.
            let width = if symbol.len() == 1 { 1 } else { symbol.width() };
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

fn pane_block<'a>(app: &App, theme: &Theme, pane: Pane, title: Line<'a>) -> Block<'a> {
    let style = if app.focus == pane {
        theme.border_focused
    } else {
        theme.border
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(title)
}

fn draw_pane(frame: &mut Frame, app: &App, theme: &Theme, pane: Pane, area: Rect) {
    match pane {
        Pane::List => draw_list(frame, app, theme, area),
        Pane::Content => draw_content(frame, app, theme, area),
        Pane::Diagram => draw_diagram(frame, app, theme, area),
        Pane::Tags => draw_tags(frame, app, theme, area),
    }
}

fn draw_list(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut title = vec![Span::styled(
        format!(" 1 Notes {}/{} ", app.visible.len(), app.vault.notes.len()),
        theme.title,
    )];
    if !app.filter.is_empty() {
        let join = if app.filter.combine == Combine::All {
            " & "
        } else {
            " | "
        };
        let tags: Vec<String> = app
            .filter
            .tags
            .iter()
            .map(|t| format!("#{}", sanitize::line(t)))
            .collect();
        title.push(Span::styled(format!("{} ", tags.join(join)), theme.tag));
    }
    title.push(Span::styled(format!("by {} ", app.sort.name()), theme.dim));
    // Only the rows in view become items: a frame costs the same with 19 notes or 100k.
    let rows = area.height.saturating_sub(2) as usize;
    let window = app
        .visible
        .get(app.list_offset..)
        .unwrap_or_default()
        .iter()
        .take(rows);
    let items: Vec<ListItem> = window
        .map(|&id| {
            let n = &app.vault.notes[id];
            let folder = n.path.rsplit_once('/').map_or("", |(dir, _)| dir);
            let second = if folder.is_empty() {
                n.tags.first().map(|t| format!("#{t}")).unwrap_or_default()
            } else {
                format!("{folder}/")
            };
            ListItem::new(Line::from(vec![
                Span::styled(sanitize::line(&n.title).into_owned(), theme.text),
                Span::raw("  "),
                Span::styled(sanitize::line(&second).into_owned(), theme.dim),
            ]))
        })
        .collect();
    let list = List::new(items)
        .block(pane_block(app, theme, Pane::List, Line::from(title)))
        .highlight_style(theme.selected);
    let mut state = ListState::default().with_selected(
        (!app.visible.is_empty()).then(|| app.selected.saturating_sub(app.list_offset)),
    );
    frame.render_stateful_widget(list, area, &mut state);
}

fn draw_content(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    // The note is rendered already (once per note and width); only the rows in view are
    // drawn, so a frame of a 20k-line note costs what a short one does.
    let rows = area.height.saturating_sub(2) as usize;
    let mut total = 0;
    let (title, body) = match (&app.content, app.selected_note()) {
        (Some(c), Some(id)) if c.note == id => {
            let n = &app.vault.notes[id];
            total = c.rendered.lines.len();
            // Matches of the find line, and the chosen link, are marked on the lines in view.
            let mut marks: Vec<(usize, usize, usize, Style)> = Vec::new();
            if let Some(f) = &app.find {
                for (i, m) in f.matches.iter().enumerate() {
                    let style = if f.current == Some(i) {
                        theme.selected
                    } else {
                        theme.matched
                    };
                    marks.push((m.line, m.start, m.end, style));
                }
            }
            if let Some(l) = app.link_cursor.and_then(|i| c.rendered.links.get(i)) {
                marks.push((l.line, l.start, l.end, theme.selected));
            }
            let lines: Vec<Line> = c
                .rendered
                .lines
                .iter()
                .enumerate()
                .skip(app.content_scroll)
                .take(rows)
                .map(|(n, line)| {
                    let here: Vec<(usize, usize, Style)> = marks
                        .iter()
                        .filter(|m| m.0 == n)
                        .map(|m| (m.1, m.2, m.3))
                        .collect();
                    if here.is_empty() {
                        line.clone()
                    } else {
                        mark_columns(line, &here)
                    }
                })
                .collect();
            let mut position = if total <= rows {
                String::new()
            } else {
                let last = (app.content_scroll + rows).min(total);
                format!("· {}% ", last * 100 / total.max(1))
            };
            if let Some(f) = app.find.as_ref().filter(|f| !f.query.is_empty()) {
                let at = f.current.map_or("-".to_owned(), |i| (i + 1).to_string());
                position.push_str(&format!("· find {at}/{} ", f.matches.len()));
            }
            (format!(" 2 {} {position}", sanitize::line(&n.path)), lines)
        }
        _ => (
            " 2 Content ".to_owned(),
            vec![Line::styled(
                if app.loading.is_some() && app.vault.notes.is_empty() {
                    "Reading the vault…"
                } else {
                    "No note selected."
                },
                theme.dim,
            )],
        ),
    };
    let para = Paragraph::new(Text::from(body)).block(pane_block(
        app,
        theme,
        Pane::Content,
        Line::styled(title, theme.title),
    ));
    frame.render_widget(para, area);
    if total > rows && area.height > 2 {
        let mut state =
            ScrollbarState::new(total.saturating_sub(rows)).position(app.content_scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .track_symbol(Some("│"))
                .thumb_symbol("┃")
                .style(theme.border),
            area.inner(ratatui::layout::Margin {
                vertical: 1,
                horizontal: 0,
            }),
            &mut state,
        );
    }
}

fn draw_diagram(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    use crate::diagram::canvas::Role;
    let count = app.content.as_ref().map_or(0, |c| c.diagrams.len());
    let (Some(diagram), Some(drawing)) = (app.diagram(), app.current_drawing()) else {
        let msg = if app.show_map {
            "No diagram in the notes in view."
        } else if count == 0 {
            "No diagram in this note."
        } else {
            "Drawing…"
        };
        let para = Paragraph::new(Line::styled(msg, theme.dim)).block(pane_block(
            app,
            theme,
            Pane::Diagram,
            Line::styled(" 3 Diagram ", theme.title),
        ));
        frame.render_widget(para, area);
        return;
    };
    let g = &diagram.graph;
    let selected = app.diagram_node.filter(|&i| i < g.nodes.len());
    let mut title = match (&app.map, app.show_map) {
        (Some(m), true) => format!(
            " 3 Map · {} components from {} notes ",
            g.nodes.len(),
            m.sources
        ),
        _ => format!(" 3 Diagram {}/{count} ", app.diagram_index + 1),
    };
    if let Some(i) = selected {
        title.push_str(&format!(
            "· {} ",
            sanitize::line(&g.nodes[i].label.replace('\n', " "))
        ));
    }
    let block = pane_block(app, theme, Pane::Diagram, Line::styled(title, theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // The selected node's edges: coloured in the drawing and listed on the pane's last line.
    let (out_edges, in_edges): (Vec<usize>, Vec<usize>) = match selected {
        Some(i) => {
            let id = &g.nodes[i].id;
            (
                (0..g.edges.len())
                    .filter(|&e| &g.edges[e].from == id)
                    .collect(),
                (0..g.edges.len())
                    .filter(|&e| &g.edges[e].to == id)
                    .collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let mut rows = inner.height;
    if let Some(i) = selected
        && rows > 2
    {
        let name = |nid: &str| {
            g.node(nid)
                .map_or(nid.to_owned(), |k| g.nodes[k].label.replace('\n', " "))
        };
        let outs: Vec<String> = out_edges.iter().map(|&e| name(&g.edges[e].to)).collect();
        let ins: Vec<String> = in_edges.iter().map(|&e| name(&g.edges[e].from)).collect();
        let text = match (&app.map, app.show_map) {
            (Some(m), true) => {
                let names: Vec<String> = m.notes.get(i).map_or(Vec::new(), |ns| {
                    ns.iter()
                        .map(|&n| app.vault.notes[n].title.clone())
                        .collect()
                });
                format!(
                    "in: {}   → {}   ← {}",
                    list_or_dash(&names),
                    list_or_dash(&outs),
                    list_or_dash(&ins)
                )
            }
            _ => format!(
                "→ {}   ← {}   Enter opens",
                list_or_dash(&outs),
                list_or_dash(&ins)
            ),
        };
        rows -= 1;
        frame.render_widget(
            Paragraph::new(Line::styled(sanitize::line(&text).into_owned(), theme.dim)),
            Rect::new(inner.x, inner.y + rows, inner.width, 1),
        );
    }
    let canvas = &drawing.canvas;
    let style_of = |role: Role| -> Style {
        match (selected, role) {
            (None, _) => theme.text,
            (Some(s), Role::Node(n)) if s == n => theme.border_focused,
            (Some(_), Role::Node(_)) => theme.text,
            (Some(_), Role::Edge(e)) if out_edges.contains(&e) => theme.accent,
            (Some(_), Role::Edge(e)) if in_edges.contains(&e) => theme.tag,
            _ => theme.dim,
        }
    };
    let buf = frame.buffer_mut();
    for y in 0..rows as usize {
        let cy = app.diagram_scroll + y;
        if cy >= canvas.height {
            // The legend of labels that found no room on their edge.
            if let Some(l) = canvas.legend_line(cy - canvas.height) {
                let shown = cut_columns(&l, app.diagram_hscroll);
                buf.set_stringn(
                    inner.x,
                    inner.y + y as u16,
                    shown,
                    inner.width as usize,
                    theme.dim,
                );
            }
            continue;
        }
        let mut x = 0usize;
        while x < inner.width as usize {
            let cx = app.diagram_hscroll + x;
            if cx >= canvas.width {
                break;
            }
            let (px, py) = (inner.x + x as u16, inner.y + y as u16);
            match canvas.glyph(cx, cy, false) {
                // The second half of a wide glyph cut by the left edge: a blank.
                None => {
                    x += 1;
                }
                Some(gl) => {
                    let w = unicode_width::UnicodeWidthStr::width(gl.as_str()).max(1);
                    let style = style_of(canvas.role(cx, cy));
                    if x + w > inner.width as usize {
                        break;
                    }
                    // Labels are sanitised when parsed; every glyph here is printable.
                    buf.set_stringn(px, py, &gl, w, style);
                    x += w;
                }
            }
        }
    }
}

fn list_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "–".to_owned()
    } else {
        items.join(", ")
    }
}

pub use crate::text::cut_columns;

fn draw_tags(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mode = if app.filter.combine == Combine::All {
        "all"
    } else {
        "any"
    };
    let title = format!(" 4 Tags ({} selected, {mode}) ", app.filter.tags.len());
    let rows = area.height.saturating_sub(2) as usize;
    let items: Vec<ListItem> = app
        .tag_rows
        .iter()
        .skip(app.tag_offset)
        .take(rows)
        .map(|r| {
            let chosen = app.filter.tags.iter().any(|t| same_tag(t, &r.path));
            let marker = if !r.has_children {
                "  "
            } else if !app.expanded.contains(&r.path) {
                "▸ "
            } else {
                "▾ "
            };
            ListItem::new(Line::from(vec![
                Span::raw("  ".repeat(r.depth)),
                Span::styled(marker, theme.dim),
                Span::styled(
                    if chosen { "[x] " } else { "[ ] " },
                    if chosen { theme.accent } else { theme.dim },
                ),
                Span::styled(sanitize::line(&r.name).into_owned(), theme.tag),
                Span::styled(format!(" {}", r.count), theme.dim),
            ]))
        })
        .collect();
    let list = List::new(items)
        .block(pane_block(
            app,
            theme,
            Pane::Tags,
            Line::styled(title, theme.title),
        ))
        .highlight_style(if app.focus == Pane::Tags {
            theme.selected
        } else {
            Style::new()
        });
    let mut state = ListState::default().with_selected(
        (!app.tag_rows.is_empty()).then(|| app.tag_cursor.saturating_sub(app.tag_offset)),
    );
    frame.render_stateful_widget(list, area, &mut state);
}

fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let context = app.context();
    let hints: Vec<String> = BINDINGS
        .iter()
        .filter(|b| {
            b.context == context
                || (b.context == Context::Global && matches!(context, Context::Pane(_)))
        })
        .filter_map(|b| Some(format!("{} {}", key_name(b.code, b.mods), b.hint?)))
        .collect();
    let left = match (&app.popup, &app.find, &app.status) {
        (Some(Popup::Find), Some(f), _) => {
            let query = sanitize::line(&f.query).into_owned();
            let count = if query.is_empty() {
                String::new()
            } else {
                format!("   {} matches · Enter keep · Esc cancel", f.matches.len())
            };
            let text = format!("find: {query}");
            let x = area
                .x
                .saturating_add(unicode_width::UnicodeWidthStr::width(text.as_str()) as u16);
            if x < area.right() {
                frame.set_cursor_position((x, area.y));
            }
            Span::styled(format!("{text}{count}"), theme.accent)
        }
        (_, _, Some(msg)) => Span::styled(sanitize::line(msg).into_owned(), theme.warn),
        _ => Span::styled(hints.join(" · "), theme.dim),
    };
    let mut spans = vec![left];
    if let Some(l) = &app.loading {
        spans.insert(0, gauge(l, theme));
    }
    let problems = app.problems_len();
    if problems > 0 {
        spans.insert(
            0,
            Span::styled(format!("{problems} problems (!) · "), theme.warn),
        );
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The loading gauge: `reading notes ▰▰▰▱▱▱ 3,120/10,000 · `.
fn gauge(l: &super::app::Loading, theme: &Theme) -> Span<'static> {
    const CELLS: usize = 10;
    let filled = (l.read * CELLS)
        .checked_div(l.found)
        .unwrap_or(0)
        .min(CELLS);
    Span::styled(
        format!(
            "{} {}{} {}/{} · ",
            l.stage,
            "▰".repeat(filled),
            "▱".repeat(CELLS - filled),
            l.read,
            l.found
        ),
        theme.accent,
    )
}

/// A popup area: a share of the screen, centred, at least a few cells where there is room.
fn popup_area(area: Rect, width_pct: u16, height_pct: u16) -> Rect {
    let share = |len: u16, pct: u16| (u32::from(len) * u32::from(pct) / 100) as u16;
    let w = share(area.width, width_pct).max(area.width.min(30));
    let h = share(area.height, height_pct).max(area.height.min(8));
    area.centered(Constraint::Length(w), Constraint::Length(h))
}

fn draw_search(frame: &mut Frame, app: &App, theme: &Theme, s: &SearchState, area: Rect) {
    let popup = popup_area(area, 70, 60);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Line::styled(
            format!(" Search titles and aliases · {} ", s.hits.len()),
            theme.title,
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [input, results] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let query = sanitize::line(&s.query).into_owned();
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("> ", theme.accent),
            Span::raw(query.clone()),
        ])),
        input,
    );
    let cursor_x = input
        .x
        .saturating_add(2)
        .saturating_add(unicode_width::UnicodeWidthStr::width(query.as_str()) as u16);
    if cursor_x < input.right() {
        frame.set_cursor_position((cursor_x, input.y));
    }
    // Only the results in view become items (the selection kept on the last row, as List
    // would keep it).
    let rows = results.height as usize;
    let offset = (s.selected + 1).saturating_sub(rows.max(1));
    let items: Vec<ListItem> = s
        .hits
        .iter()
        .skip(offset)
        .take(rows)
        .map(|h| {
            let n = &app.vault.notes[h.note];
            let mut spans = Vec::new();
            let marked = marked_spans(&h.text, &h.positions, theme);
            match h.field {
                Field::Title => spans.extend(marked),
                Field::Alias | Field::FileName => {
                    spans.push(Span::styled(
                        sanitize::line(&n.title).into_owned(),
                        theme.text,
                    ));
                    spans.push(Span::styled(
                        if h.field == Field::Alias {
                            "  ← alias "
                        } else {
                            "  ← file "
                        },
                        theme.dim,
                    ));
                    spans.extend(marked);
                }
            }
            let tags: Vec<String> = n
                .tags
                .iter()
                .take(3)
                .map(|t| format!("#{}", sanitize::line(t)))
                .collect();
            spans.push(Span::styled(format!("  {}", tags.join(" ")), theme.tag));
            ListItem::new(Line::from(spans))
        })
        .collect();
    let mut state =
        ListState::default().with_selected((!s.hits.is_empty()).then(|| s.selected - offset));
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme.selected),
        results,
        &mut state,
    );
}

/// `text` with the characters at `positions` (char indices) highlighted. A grapheme is
/// marked whole when any of its characters is, so a combining mark stays with its letter.
fn marked_spans(text: &str, positions: &[usize], theme: &Theme) -> Vec<Span<'static>> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_marked = false;
    let mut char_index = 0;
    let mut flush = |run: &mut String, marked: bool| {
        if !run.is_empty() {
            let style = if marked { theme.matched } else { theme.text };
            spans.push(Span::styled(sanitize::line(run).into_owned(), style));
            run.clear();
        }
    };
    for g in text.graphemes(true) {
        let chars = g.chars().count();
        let marked = (char_index..char_index + chars).any(|i| positions.contains(&i));
        char_index += chars;
        if marked != run_marked {
            flush(&mut run, run_marked);
        }
        run_marked = marked;
        run.push_str(g);
    }
    flush(&mut run, run_marked);
    spans
}

/// A row of the help: the keys, what they do, where.
struct HelpRow {
    keys: String,
    desc: &'static str,
    scope: String,
}

/// The help's rows: per section, each action once with all its keys (`j ↓  down`).
fn help_rows() -> Vec<(&'static str, Vec<HelpRow>)> {
    let section = |c: Context| match c {
        Context::Global => "Everywhere",
        Context::Pane(_) => "In a pane",
        Context::Search => "In the search",
        Context::Overlay => "In this help and the problems list",
        Context::Picker => "In the outline and backlinks lists",
        Context::Find => "In the find line",
        Context::Study => "In a study session",
    };
    let mut out = Vec::new();
    for name in [
        "Everywhere",
        "In a pane",
        "In the search",
        "In the find line",
        "In a study session",
        "In the outline and backlinks lists",
        "In this help and the problems list",
    ] {
        let mut rows: Vec<HelpRow> = Vec::new();
        let mut seen: Vec<(Context, &'static str)> = Vec::new();
        for b in BINDINGS.iter().filter(|b| section(b.context) == name) {
            let key = key_name(b.code, b.mods);
            if let Some(i) = seen.iter().position(|&s| s == (b.context, b.desc)) {
                rows[i].keys.push(' ');
                rows[i].keys.push_str(&key);
                continue;
            }
            seen.push((b.context, b.desc));
            let scope = match b.context {
                Context::Pane(p) => format!(" ({p:?})"),
                _ => String::new(),
            };
            rows.push(HelpRow {
                keys: key,
                desc: b.desc,
                scope,
            });
        }
        out.push((name, rows));
    }
    out
}

/// The help popup's place and its columns of lines.
fn help_layout(area: Rect, theme: &Theme) -> (Rect, Vec<Vec<Line<'static>>>) {
    use unicode_width::UnicodeWidthStr;
    let sections = help_rows();
    let key_w = sections
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|r| r.keys.width()))
        .max()
        .unwrap_or(0);
    let row_w = sections
        .iter()
        .flat_map(|(_, rows)| {
            rows.iter()
                .map(|r| key_w + 3 + r.desc.width() + r.scope.width())
        })
        .max()
        .unwrap_or(0);
    let height: usize = sections
        .iter()
        .map(|(_, rows)| rows.len() + 2)
        .sum::<usize>()
        - 1;
    // Two columns when they fit side by side and one would not fit the screen's height.
    let two = area.width as usize >= 2 * row_w + 5 && height + 2 > area.height as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (name, rows) in &sections {
        lines.push(Line::styled(*name, theme.accent));
        for r in rows {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {}{} ", r.keys, " ".repeat(key_w - r.keys.width())),
                    theme.title,
                ),
                Span::raw(r.desc),
                Span::styled(r.scope.clone(), theme.dim),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.pop();
    let columns: Vec<Vec<Line>> = if two {
        let second = lines.split_off(lines.len().div_ceil(2));
        vec![lines, second]
    } else {
        vec![lines]
    };
    let want_w = (row_w + 3) * columns.len() + 2;
    let want_h = columns.iter().map(Vec::len).max().unwrap_or(0) + 2;
    let popup = area.centered(
        Constraint::Length(want_w.min(area.width as usize) as u16),
        Constraint::Length(want_h.min(area.height as usize) as u16),
    );
    (popup, columns)
}

fn draw_help(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let (popup, columns) = help_layout(area, theme);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(" Keys · j/k scroll · any other key closes ");
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rects = Layout::horizontal(vec![Constraint::Fill(1); columns.len()]).split(inner);
    for (lines, rect) in columns.into_iter().zip(rects.iter()) {
        let shown: Vec<Line> = lines
            .into_iter()
            .skip(app.popup_scroll)
            .take(rect.height as usize)
            .collect();
        frame.render_widget(Paragraph::new(shown), *rect);
    }
}

fn draw_problems(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let popup = popup_area(area, 80, 70);
    frame.render_widget(Clear, popup);
    // One line a problem, cut at the border: `vaultscope check` prints them whole.
    let rows = popup.height.saturating_sub(2) as usize;
    let lines: Vec<Line> = if app.vault.problems.is_empty() {
        vec![Line::styled("No problems found.", theme.dim)]
    } else {
        app.vault
            .problems
            .iter()
            .skip(app.popup_scroll)
            .take(rows)
            .map(|p| Line::raw(sanitize::line(&p.to_string()).into_owned()))
            .collect()
    };
    let title = format!(
        " Problems · {} · vaultscope check prints them whole ",
        app.vault.problems.len()
    );
    let para = Paragraph::new(lines).block(
        Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused)
            .title(title),
    );
    frame.render_widget(para, popup);
}

/// `line` with the display columns of each `(start, end, style)` restyled (patched), split
/// between graphemes.
pub fn mark_columns(line: &Line<'static>, marks: &[(usize, usize, Style)]) -> Line<'static> {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut col = 0;
    for span in &line.spans {
        let mut run = String::new();
        let mut run_style: Option<Style> = None;
        for g in span.content.graphemes(true) {
            let mark = marks.iter().find(|m| col >= m.0 && col < m.1).map(|m| m.2);
            let style = mark.map_or(span.style, |m| span.style.patch(m));
            if run_style.is_some_and(|s| s != style) {
                spans.push(Span::styled(
                    std::mem::take(&mut run),
                    run_style.unwrap_or_default(),
                ));
            }
            run_style = Some(style);
            run.push_str(g);
            col += g.width();
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, run_style.unwrap_or(span.style)));
        }
    }
    Line::from(spans).style(line.style)
}

fn draw_picker(
    frame: &mut Frame,
    theme: &Theme,
    area: Rect,
    title: String,
    items: Vec<ListItem<'static>>,
    selected: usize,
) {
    let popup = popup_area(area, 60, 60);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Line::styled(title, theme.title));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rows = inner.height as usize;
    let offset = (selected + 1).saturating_sub(rows.max(1));
    let shown: Vec<ListItem> = items.into_iter().skip(offset).take(rows).collect();
    let mut state = ListState::default().with_selected(Some(selected - offset));
    frame.render_stateful_widget(
        List::new(shown).highlight_style(theme.selected),
        inner,
        &mut state,
    );
}

fn draw_outline(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, selected: usize) {
    let Some(c) = &app.content else { return };
    let items = c
        .rendered
        .headings
        .iter()
        .map(|h| {
            ListItem::new(Line::from(vec![
                Span::raw("  ".repeat(h.level.saturating_sub(1) as usize)),
                Span::styled(
                    h.text.clone(),
                    if h.level <= 2 {
                        theme.accent
                    } else {
                        theme.text
                    },
                ),
            ]))
        })
        .collect();
    let title = format!(" Outline · {} · Enter jumps ", c.rendered.headings.len());
    draw_picker(frame, theme, area, title, items, selected);
}

/// A picker listing notes (title and path).
fn draw_note_picker(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    area: Rect,
    (title, notes): (&str, &[crate::vault::NoteId]),
    selected: usize,
) {
    let items = notes
        .iter()
        .map(|&n| {
            let note = &app.vault.notes[n];
            ListItem::new(Line::from(vec![
                Span::styled(sanitize::line(&note.title).into_owned(), theme.text),
                Span::styled(format!("  {}", sanitize::line(&note.path)), theme.dim),
            ]))
        })
        .collect();
    let title = format!(" {title} · {} · Enter opens ", notes.len());
    draw_picker(frame, theme, area, title, items, selected);
}

fn draw_backlinks(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, selected: usize) {
    if let Some(id) = app.selected_note() {
        let notes = ("Linking here", app.vault.backlinks[id].as_slice());
        draw_note_picker(frame, app, theme, area, notes, selected);
    }
}

fn draw_choices(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    area: Rect,
    choices: &[crate::vault::NoteId],
    selected: usize,
) {
    let notes = ("Notes about this node", choices);
    draw_note_picker(frame, app, theme, area, notes, selected);
}

/// The panes' inner sizes on a screen of `area`, and the open popup's extent.
pub fn view(area: Rect, app: &App) -> View {
    let (panes, _) = layout(area, app);
    let inner = |pane: Pane| {
        panes
            .iter()
            .find(|(p, _)| *p == pane)
            .map_or((0, 0), |(_, r)| {
                (
                    r.width.saturating_sub(2) as usize,
                    r.height.saturating_sub(2) as usize,
                )
            })
    };
    let (popup_lines, popup_rows) = match &app.popup {
        Some(Popup::Help) => {
            let (popup, columns) = help_layout(area, &Theme::new(false));
            (
                columns.iter().map(Vec::len).max().unwrap_or(0),
                popup.height.saturating_sub(2) as usize,
            )
        }
        Some(Popup::Problems) => (
            app.vault.problems.len(),
            popup_area(area, 80, 70).height.saturating_sub(2) as usize,
        ),
        _ => (0, 0),
    };
    View {
        content_cols: panes
            .iter()
            .find(|(p, _)| *p == Pane::Content)
            .map(|(_, r)| r.width.saturating_sub(2)),
        list_rows: inner(Pane::List).1,
        content_rows: inner(Pane::Content).1,
        diagram_rows: inner(Pane::Diagram).1,
        diagram_cols: inner(Pane::Diagram).0,
        tag_rows: inner(Pane::Tags).1,
        popup_lines,
        popup_rows,
    }
}
