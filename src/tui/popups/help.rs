//! The key help: every binding of the keymap, by section, each action once with all its keys,
//! in one or two columns, scrolled with j/k.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::super::keymap::{Bound, Context, Keymap, key_name};
use super::super::panes::Pane;
use crate::config::LayoutConfig;
use crate::style::{Role, Styles};
use crate::tui::action::Action;

/// A row of the help: the keys, what they do, where.
struct HelpRow {
    keys: String,
    desc: String,
    scope: String,
}

const SECTIONS: [&str; 8] = [
    "Everywhere",
    "In a pane",
    "On the map",
    "In the search",
    "In the find line",
    "In a study session",
    "In the outline and backlinks lists",
    "In this help and the problems list",
];

fn section(c: Context) -> &'static str {
    match c {
        Context::Global => SECTIONS[0],
        Context::Pane(_) => SECTIONS[1],
        Context::Map => SECTIONS[2],
        Context::Search => SECTIONS[3],
        Context::Find => SECTIONS[4],
        Context::Study => SECTIONS[5],
        Context::Picker => SECTIONS[6],
        Context::Overlay => SECTIONS[7],
    }
}

const PANES: [Pane; 4] = [Pane::List, Pane::Content, Pane::Diagram, Pane::Tags];

/// Whether a binding does something with the panes of `layout`: not a pane's own key, nor a
/// key that focuses a pane, where the pane is turned off.
fn works(b: &Bound, action: Action, layout: &LayoutConfig) -> bool {
    let shown = |p| crate::tui::ui::shows(layout, p);
    let focuses = match action {
        Action::FocusList => Some(Pane::List),
        Action::FocusContent => Some(Pane::Content),
        Action::FocusDiagram => Some(Pane::Diagram),
        Action::FocusTags => Some(Pane::Tags),
        _ => None,
    };
    let own = match b.context {
        Context::Pane(p) => Some(p),
        // The map is shown in the diagram pane.
        Context::Map => Some(Pane::Diagram),
        _ => None,
    };
    focuses.is_none_or(shown) && own.is_none_or(shown)
}

/// The help's rows: per section, each action once with all its keys (`j ↓  down`), only what
/// works with `layout`'s panes. A key of "Everywhere" that a pane unbound says where it does
/// nothing (`q  quit (not in List)`).
fn help_rows(keymap: &Keymap, layout: &LayoutConfig) -> Vec<(String, Vec<HelpRow>)> {
    SECTIONS
        .iter()
        .map(|&name| {
            let mut rows: Vec<HelpRow> = Vec::new();
            let mut seen: Vec<(Context, &str, String)> = Vec::new();
            for (b, _) in keymap
                .bindings()
                .filter(|(b, a)| section(b.context) == name && works(b, *a, layout))
            {
                let key = key_name(&b.key);
                let scope = match b.context {
                    Context::Pane(p) => format!(" ({p:?})"),
                    Context::Global => {
                        let shown = |p| crate::tui::ui::shows(layout, p);
                        // The panes, and the map (in the diagram pane), that unbound the key.
                        let off: Vec<String> = PANES
                            .into_iter()
                            .filter(|&p| shown(p))
                            .map(|p| (Context::Pane(p), format!("{p:?}")))
                            .chain(shown(Pane::Diagram).then(|| (Context::Map, "Map".to_owned())))
                            .filter(|(c, _)| keymap.unbinds(*c, &b.key))
                            .map(|(_, name)| name)
                            .collect();
                        if off.is_empty() {
                            String::new()
                        } else {
                            format!(" (not in {})", off.join(", "))
                        }
                    }
                    _ => String::new(),
                };
                if let Some(i) = seen
                    .iter()
                    .position(|s| (s.0, s.1, &s.2) == (b.context, &*b.desc, &scope))
                {
                    rows[i].keys.push(' ');
                    rows[i].keys.push_str(&key);
                    continue;
                }
                seen.push((b.context, &b.desc, scope.clone()));
                rows.push(HelpRow {
                    keys: key,
                    desc: b.desc.to_string(),
                    scope,
                });
            }
            (heading(name, keymap), rows)
        })
        .chain(std::iter::once((
            "Search queries (names and text)".to_owned(),
            crate::search::query::SYNTAX
                .iter()
                .map(|&(form, desc)| HelpRow {
                    keys: form.to_owned(),
                    desc: desc.to_owned(),
                    scope: String::new(),
                })
                .collect(),
        )))
        .collect()
}

/// A section's heading; the map's says which key of the user's keymap shows it.
fn heading(name: &str, keymap: &Keymap) -> String {
    if name != section(Context::Map) {
        return name.to_owned();
    }
    let key = keymap
        .key_for(Context::Global, Action::ToggleMap)
        .map(|k| format!("{k}, "));
    format!("{name} ({}in the diagram pane)", key.unwrap_or_default())
}

/// The help popup's place and its columns of lines.
fn help_layout(
    area: Rect,
    styles: Styles,
    (keymap, layout): (&Keymap, &LayoutConfig),
) -> (Rect, Vec<Vec<Line<'static>>>) {
    use crate::text::width;
    let sections = help_rows(keymap, layout);
    let key_w = sections
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|r| width(&r.keys)))
        .max()
        .unwrap_or(0);
    let row_w = sections
        .iter()
        .flat_map(|(_, rows)| {
            rows.iter()
                .map(|r| key_w + 3 + width(&r.desc) + width(&r.scope))
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
        lines.push(Line::styled(name.clone(), styles.get(Role::Accent)));
        for r in rows {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {}{} ", r.keys, " ".repeat(key_w - width(&r.keys))),
                    styles.get(Role::Title),
                ),
                Span::raw(r.desc.clone()),
                Span::styled(r.scope.clone(), styles.get(Role::Dim)),
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

/// The popup's title, with the keys that scroll it in the user's keymap.
fn title(keymap: &Keymap) -> String {
    let first = |action| {
        keymap
            .bindings()
            .find(|(b, a)| b.context == Context::Overlay && *a == action)
            .map(|(b, _)| key_name(&b.key))
    };
    match (first(Action::Down), first(Action::Up)) {
        (Some(d), Some(u)) => format!(" Keys · {d}/{u} scroll · any other key closes "),
        _ => " Keys · any other key closes ".to_owned(),
    }
}

/// The help's extent on a screen of `area`: (lines in its longest column, rows it shows).
pub fn extent(area: Rect, keymap: &Keymap, layout: &LayoutConfig) -> (usize, usize) {
    let (popup, columns) = help_layout(area, Styles::new(false), (keymap, layout));
    (
        columns.iter().map(Vec::len).max().unwrap_or(0),
        popup.height.saturating_sub(2) as usize,
    )
}

/// Draws the help for the keys of `keymap` with the panes of `layout`.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    styles: Styles,
    scroll: usize,
    (keymap, layout): (&Keymap, &LayoutConfig),
) {
    let (popup, columns) = help_layout(area, styles, (keymap, layout));
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(styles.get(Role::BorderFocused))
        .title(title(keymap));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rects = Layout::horizontal(vec![Constraint::Fill(1); columns.len()]).split(inner);
    let total = columns.iter().map(Vec::len).max().unwrap_or(0);
    crate::tui::ui::scrollbar(
        frame,
        popup,
        (total, inner.height as usize, scroll),
        styles.get(Role::BorderFocused),
    );
    for (lines, rect) in columns.into_iter().zip(rects.iter()) {
        let shown: Vec<Line> = lines
            .into_iter()
            .skip(scroll)
            .take(rect.height as usize)
            .collect();
        frame.render_widget(Paragraph::new(shown), *rect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{Remap, parse_key};

    fn headings(keymap: &Keymap) -> Vec<String> {
        help_rows(keymap, &LayoutConfig::default())
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    #[test]
    fn the_maps_heading_names_the_key_that_shows_it() {
        let map = |keymap: &Keymap| {
            headings(keymap)
                .into_iter()
                .find(|h| h.starts_with("On the map"))
                .expect("a map section")
        };
        let default = crate::tui::keymap::default_keymap();
        assert_eq!(map(default), "On the map (M, in the diagram pane)");
        let remap = |key: &str, action| Remap {
            context: Context::Global,
            key: parse_key(key).unwrap(),
            action,
            origin: key.into(),
        };
        let moved =
            Keymap::with_remaps(&[remap("M", None), remap("ctrl-m", Some(Action::ToggleMap))])
                .unwrap();
        assert_eq!(map(&moved), "On the map (C-m, in the diagram pane)");
        let gone = Keymap::with_remaps(&[remap("M", None)]).unwrap();
        assert_eq!(map(&gone), "On the map (in the diagram pane)");
    }

    #[test]
    fn a_global_key_unbound_on_the_map_says_so() {
        let quit_scope = |keymap: &Keymap| {
            help_rows(keymap, &LayoutConfig::default())
                .into_iter()
                .flat_map(|(_, rows)| rows)
                .find(|r| r.desc == "quit")
                .map(|r| r.scope)
        };
        let default = crate::tui::keymap::default_keymap();
        assert_eq!(quit_scope(default).as_deref(), Some(""));
        let unbound = Keymap::with_remaps(&[Remap {
            context: Context::Map,
            key: parse_key("q").unwrap(),
            action: None,
            origin: "q".into(),
        }])
        .unwrap();
        assert_eq!(quit_scope(&unbound).as_deref(), Some(" (not in Map)"));
    }
}
