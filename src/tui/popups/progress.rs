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
    let popup = place(area);
    let rows = popup.height.saturating_sub(2) as usize;
    let width = popup.width.saturating_sub(2) as usize;
    (
        overview.map_or(1, |o| lines(o, Styles::new(false), width).len()),
        rows,
    )
}

/// The overlay's text, wrapped to `width` columns (a line too long for it goes on, indented,
/// on the next: nothing is cut).
fn lines(o: &Overview, styles: Styles, width: usize) -> Vec<Line<'static>> {
    unwrapped(o, styles)
        .into_iter()
        .flat_map(|l| wrap(l, width))
        .collect()
}

/// A line as wide as `width` or less: as it is; wider: its text wrapped between words, in the
/// style of its first part.
fn wrap(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    if line.width() <= width {
        return vec![line];
    }
    let style = line.spans.first().map_or(line.style, |s| s.style);
    let text = line.to_string();
    let opts = textwrap::Options::new(width.max(1)).subsequent_indent("    ");
    textwrap::wrap(&text, opts)
        .into_iter()
        .map(|part| Line::styled(part.into_owned(), style))
        .collect()
}

/// The overlay's text, a line per fact.
fn unwrapped(o: &Overview, styles: Styles) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::styled(
            format!(
                "Streak: {} day(s) · {} questions",
                o.streak_days, o.questions
            ),
            styles.get(Role::Accent),
        ),
        Line::raw(""),
        Line::styled(
            format!(
                "Today: {} to ask ({} new, {} reviews) · {} wait (limits {} new, {} reviews a day)",
                o.today.questions.len(),
                o.today.new,
                o.today.reviews,
                o.today.waiting(),
                o.today.limits.new_per_day,
                o.today.limits.reviews_per_day
            ),
            Style::new(),
        ),
        Line::raw(""),
        Line::styled(
            format!(
                "Due in the next {} days (today counts every new card)",
                o.due_by_day.len()
            ),
            styles.get(Role::Title),
        ),
    ];
    let cells: Vec<String> = o
        .due_by_day
        .iter()
        .enumerate()
        // A day and its count never part at a line's end (a no-break space between them).
        .map(|(d, count)| match d {
            0 => format!("today\u{a0}{count}"),
            _ => format!("+{d}d\u{a0}{count}"),
        })
        .collect();
    // One line, wrapped to the overlay's width.
    lines.push(Line::raw(format!("  {}", cells.join(" · "))));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Retention by tag (right answers)",
        styles.get(Role::Title),
    ));
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
    if !o.hardest.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Hardest cards (most misses) · h opens their notes",
            styles.get(Role::Title),
        ));
        for h in &o.hardest {
            let prompt = crate::text::fit(&sanitize::line(&h.prompt), 60);
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:>2} of {:<3} missed  ", h.lapses, h.reviews),
                    styles.get(Role::Warn),
                ),
                Span::raw(prompt),
                Span::styled(
                    format!("  {}", sanitize::line(&h.note)),
                    styles.get(Role::Dim),
                ),
            ]));
        }
    }
    if !o.suspended.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("{} suspended (vaultscope unsuspend ID)", o.suspended.len()),
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
    let width = popup.width.saturating_sub(2) as usize;
    let all = lines(o, styles, width);
    let total = all.len();
    let shown: Vec<Line> = all.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(shown).block(block), popup);
    let rows = popup.height.saturating_sub(2) as usize;
    crate::tui::ui::scrollbar(
        frame,
        popup,
        (total, rows, scroll),
        styles.get(Role::BorderFocused),
    );
}
