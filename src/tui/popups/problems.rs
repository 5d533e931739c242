//! The problems popup: one line a problem found in the vault (or in rendering a note), cut at
//! the border; `vaultscope check` prints them whole.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::popup_area;
use crate::sanitize;
use crate::style::{Role, Styles};
use crate::vault::Problem;

/// Rows the popup shows at once on a screen of `area`.
pub fn rows(area: Rect) -> usize {
    popup_area(area, 80, 70).height.saturating_sub(2) as usize
}

pub fn render(frame: &mut Frame, area: Rect, styles: Styles, problems: &[&Problem], scroll: usize) {
    let popup = popup_area(area, 80, 70);
    frame.render_widget(Clear, popup);
    let rows = popup.height.saturating_sub(2) as usize;
    let lines: Vec<Line> = if problems.is_empty() {
        vec![Line::styled("No problems found.", styles.get(Role::Dim))]
    } else {
        problems
            .iter()
            .skip(scroll)
            .take(rows)
            .map(|p| Line::raw(sanitize::line(&p.to_string()).into_owned()))
            .collect()
    };
    let title = format!(
        " Problems · {} · vaultscope check prints them whole ",
        problems.len()
    );
    let para = Paragraph::new(lines).block(
        Block::default()
            .borders(Borders::ALL)
            .border_style(styles.get(Role::BorderFocused))
            .title(title),
    );
    frame.render_widget(para, popup);
    crate::tui::ui::scrollbar(
        frame,
        popup,
        (problems.len(), rows, scroll),
        styles.get(Role::BorderFocused),
    );
}
