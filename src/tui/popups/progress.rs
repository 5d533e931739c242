//! The study progress overlay: the streak, questions due in the coming days, accuracy by
//! tag. Counted by a worker when it opens ([`crate::study::overview`]), not every frame.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::sanitize;
use crate::study::Overview;
use crate::style::{Role, Styles};

/// Where the overlay goes on a screen of `area`.
fn place(area: Rect) -> Rect {
    area.centered(
        ratatui::layout::Constraint::Percentage(70),
        ratatui::layout::Constraint::Percentage(80),
    )
}

/// The overlay's extent: (lines of text, rows it shows at once).
pub fn extent(area: Rect, overview: Option<&Overview>) -> (usize, usize) {
    let rows = place(area).height.saturating_sub(2) as usize;
    (
        overview.map_or(1, |o| lines(o, Styles::new(false)).len()),
        rows,
    )
}

/// The overlay's text.
fn lines(o: &Overview, styles: Styles) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::styled(
            format!(
                "Streak: {} day(s) · {} questions",
                o.streak_days, o.questions
            ),
            styles.get(Role::Accent),
        ),
        Line::raw(""),
        Line::styled("Due in the coming days", styles.get(Role::Title)),
    ];
    let row: Vec<String> = o
        .due_by_day
        .iter()
        .enumerate()
        .map(|(d, count)| match d {
            0 => format!("today {count}"),
            1 => format!("tomorrow {count}"),
            _ => format!("+{d}d {count}"),
        })
        .collect();
    lines.push(Line::raw(format!("  {}", row.join(" · "))));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Accuracy by tag", styles.get(Role::Title)));
    let mut any = false;
    for (tag, s) in o.by_tag.iter().filter(|(_, s)| s.answers > 0) {
        any = true;
        lines.push(Line::from(vec![
            Span::styled(
                format!("  #{:<30}", sanitize::line(tag)),
                styles.get(Role::Tag),
            ),
            Span::styled(
                format!("{:>3}% of {} answers", s.right * 100 / s.answers, s.answers),
                Style::new(),
            ),
        ]));
    }
    if !any {
        lines.push(Line::styled(
            "  Nothing answered yet: s starts a session.",
            styles.get(Role::Dim),
        ));
    }
    lines
}

/// The progress overlay: accuracy by tag, due counts for the coming days, streak.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    styles: Styles,
    overview: Option<&Overview>,
    scroll: usize,
) {
    let popup = place(area);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(styles.get(Role::BorderFocused))
        .title(" Study progress · j/k scroll · any other key closes ");
    let Some(o) = overview else {
        let counting = Line::styled("Counting…", styles.get(Role::Dim));
        frame.render_widget(Paragraph::new(counting).block(block), popup);
        return;
    };
    let shown: Vec<Line> = lines(o, styles).into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(shown).block(block), popup);
}
