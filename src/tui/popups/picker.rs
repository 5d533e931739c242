//! Lists to pick from: the note's outline (jump to a heading), and lists of notes (the
//! backlinks, the notes a diagram node names).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState};

use super::popup_area;
use crate::markdown::Heading;
use crate::sanitize;
use crate::style::{Role, Styles};
use crate::vault::Note;

fn render_list(
    frame: &mut Frame,
    styles: Styles,
    area: Rect,
    title: String,
    items: Vec<ListItem<'static>>,
    selected: usize,
) {
    let popup = popup_area(area, 60, 60);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(styles.get(Role::BorderFocused))
        .title(Line::styled(title, styles.get(Role::Title)));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rows = inner.height as usize;
    let selected = selected.min(items.len().saturating_sub(1));
    let offset = (selected + 1).saturating_sub(rows.max(1));
    let shown: Vec<ListItem> = items.into_iter().skip(offset).take(rows).collect();
    let mut state = ListState::default().with_selected(Some(selected - offset));
    frame.render_stateful_widget(
        List::new(shown).highlight_style(styles.get(Role::Selected)),
        inner,
        &mut state,
    );
}

pub fn render_outline(
    frame: &mut Frame,
    area: Rect,
    styles: Styles,
    headings: &[Heading],
    selected: usize,
) {
    let items = headings
        .iter()
        .map(|h| {
            ListItem::new(Line::from(vec![
                Span::raw("  ".repeat(h.level.saturating_sub(1) as usize)),
                Span::styled(
                    h.text.clone(),
                    styles.get(if h.level <= 2 {
                        Role::Accent
                    } else {
                        Role::Text
                    }),
                ),
            ]))
        })
        .collect();
    let title = format!(" Outline · {} · Enter jumps ", headings.len());
    render_list(frame, styles, area, title, items, selected);
}

/// A list of notes (title and path).
pub fn render_notes(
    frame: &mut Frame,
    area: Rect,
    styles: Styles,
    title: &str,
    notes: &[&Note],
    selected: usize,
) {
    let items = notes
        .iter()
        .map(|note| {
            ListItem::new(Line::from(vec![
                Span::styled(
                    sanitize::line(&note.title).into_owned(),
                    styles.get(Role::Text),
                ),
                Span::styled(
                    format!("  {}", sanitize::line(&note.path)),
                    styles.get(Role::Dim),
                ),
            ]))
        })
        .collect();
    let title = format!(" {title} · {} · Enter opens ", notes.len());
    render_list(frame, styles, area, title, items, selected);
}
