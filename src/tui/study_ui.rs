//! Drawing study mode: the question screen (prompt as markdown, options, feedback with the
//! explanation), the summary, and the progress overlay. State only; every string from a note is
//! rendered by [`crate::markdown`] (sanitised) or passed through [`crate::sanitize`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::App;
use super::theme::Theme;
use crate::markdown::{RenderOptions, render};
use crate::sanitize;
use crate::study::session::{Phase, Session};

/// Markdown text as lines for `width`, with no header.
fn md(text: &str, width: u16, color: bool) -> Vec<Line<'static>> {
    let opts = RenderOptions {
        width: width.max(1),
        styles: crate::style::Styles::new(color),
        resolves: &|_| true,
        now: 0,
    };
    render(None, text, &opts).lines
}

fn mmss(secs: i64) -> String {
    let s = secs.max(0);
    format!("{}:{:02}", s / 60, s % 60)
}

pub fn draw_study(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let Some(s) = &app.study else { return };
    frame.render_widget(Clear, area);
    let (right, answered) = s.score();
    let title = if s.phase == Phase::Done {
        format!(" Study · {} · done ", sanitize::line(&s.title))
    } else {
        format!(
            " Study · {} · {}/{} · ✓ {right} ✗ {} ",
            sanitize::line(&s.title),
            s.at + 1,
            s.questions.len(),
            answered - right
        )
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Line::styled(title, theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width.saturating_sub(2);
    let (lines, anchor) = if s.phase == Phase::Done {
        (summary(app, s, theme), None)
    } else {
        question(app, s, theme, width)
    };
    let body = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    let (base, last) = placement(lines.len(), anchor, body.height as usize);
    let rows = body.height as usize;
    let top = (base as isize + app.study_scroll).clamp(0, last as isize) as usize;
    let shown: Vec<Line> = lines.into_iter().skip(top).take(rows).collect();
    frame.render_widget(Paragraph::new(Text::from(shown)), body);
}

/// Where the study screen starts (`base`) and the last start there is (`last`): when the
/// feedback would fall below the screen, a little above it.
fn placement(lines: usize, anchor: Option<usize>, rows: usize) -> (usize, usize) {
    let last = lines.saturating_sub(rows);
    let base = match anchor {
        Some(a) if lines > rows => a.saturating_sub(rows / 3).min(last),
        _ => 0,
    };
    (base, last)
}

/// How far the study screen on `area` may scroll from where it places itself: (up, down).
pub fn scroll_range(app: &App, area: Rect) -> (isize, isize) {
    let Some(s) = &app.study else { return (0, 0) };
    let inner = Rect::new(
        0,
        0,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    let theme = Theme::new(false);
    let (lines, anchor) = if s.phase == Phase::Done {
        (summary(app, s, &theme), None)
    } else {
        question(app, s, &theme, inner.width.saturating_sub(2))
    };
    let (base, last) = placement(lines.len(), anchor, inner.height as usize);
    (-(base as isize), (last - base) as isize)
}

/// The question screen's lines, and where the feedback starts (to keep it in view).
fn question(
    app: &App,
    s: &Session,
    theme: &Theme,
    width: u16,
) -> (Vec<Line<'static>>, Option<usize>) {
    let mut out = Vec::new();
    let mut anchor = None;
    let Some(q) = s.current() else {
        return (out, None);
    };
    let note = &app.vault.notes[q.note];
    let question = &note.questions[q.index];
    out.push(Line::styled(
        format!("from {}", sanitize::line(&note.title)),
        theme.dim,
    ));
    out.push(Line::raw(""));
    out.extend(md(&question.prompt, width, app.color));
    out.push(Line::raw(""));
    let answered = match &s.phase {
        Phase::Answered { chosen, correct } => Some((chosen.clone(), *correct)),
        _ => None,
    };
    for o in &question.options {
        let is_answer = question.is_right(&o.label);
        let (mark, style) = match &answered {
            Some(_) if is_answer => ("✓ ", theme.accent),
            Some((chosen, false)) if chosen.eq_ignore_ascii_case(&o.label) => ("✗ ", theme.warn),
            Some(_) => ("  ", theme.dim),
            None => ("  ", theme.text),
        };
        let text = format!("{}) {}", sanitize::line(&o.label), o.text);
        let clean = sanitize::line(&text);
        let wrap =
            textwrap::Options::new(width.saturating_sub(5).max(1) as usize).break_words(true);
        for (i, part) in textwrap::wrap(&clean, wrap).into_iter().enumerate() {
            let lead = if i == 0 { mark } else { "  " };
            let indent = if i == 0 { "" } else { "   " };
            out.push(Line::from(vec![
                Span::styled(lead, style),
                Span::styled(format!("{indent}{part}"), style),
            ]));
        }
    }
    let open = crate::study::session::self_graded(question);
    match &s.phase {
        Phase::Asking if open => {
            out.push(Line::raw(""));
            out.push(Line::styled(
                "Space shows the answer, then you grade yourself.",
                theme.dim,
            ));
        }
        Phase::Asking => {
            out.push(Line::raw(""));
            let labels: Vec<String> = question
                .options
                .iter()
                .map(|o| sanitize::line(&o.label).to_lowercase())
                .collect();
            let keys = match (labels.first(), labels.last()) {
                (Some(a), Some(z)) if labels.len() > 1 => format!("{a}-{z}"),
                (Some(a), _) => a.clone(),
                _ => String::new(),
            };
            let digits = if labels.len() <= 9 {
                format!(" or 1-{}", labels.len())
            } else {
                String::new()
            };
            out.push(Line::styled(
                format!("{keys}{digits} answers · Tab the note · Esc ends"),
                theme.dim,
            ));
        }
        Phase::Revealed | Phase::Answered { .. } => {
            out.push(Line::raw(""));
            anchor = Some(out.len());
            if let Some((chosen, correct)) = &answered {
                let verdict = match (correct, open) {
                    (true, _) => Span::styled("✓ Right".to_owned(), theme.accent),
                    (false, true) => Span::styled("✗ Again".to_owned(), theme.warn),
                    (false, false) => Span::styled(
                        format!(
                            "✗ Wrong ({}) · the answer is {}",
                            sanitize::line(chosen),
                            sanitize::line(&question.answer.join(", "))
                        ),
                        theme.warn,
                    ),
                };
                out.push(Line::from(verdict));
            }
            if !question.answer_text.is_empty() {
                out.extend(md(&question.answer_text, width, app.color));
            }
            if !question.explanation.is_empty() {
                out.push(Line::raw(""));
                let bullets: Vec<String> = question
                    .explanation
                    .iter()
                    .map(|e| format!("- {e}"))
                    .collect();
                out.extend(md(&bullets.join("\n"), width, app.color));
            }
            out.push(Line::raw(""));
            out.push(Line::styled(
                if s.phase == Phase::Revealed {
                    "1 again · 2 hard · 3 good · 4 easy"
                } else {
                    "Enter or Space: next · Tab the note · Esc ends"
                },
                theme.dim,
            ));
        }
        Phase::Done => {}
    }
    (out, anchor)
}

fn summary(app: &App, s: &Session, theme: &Theme) -> Vec<Line<'static>> {
    let (right, answered) = s.score();
    let secs = s.finished.unwrap_or(app.now) - s.started;
    let mut out = vec![
        Line::styled(
            format!("{right} of {answered} right · {}", mmss(secs)),
            theme.accent,
        ),
        Line::raw(""),
    ];
    let worst = s.worst_tags(&app.vault);
    if worst.is_empty() {
        out.push(Line::styled("No tag had a wrong answer.", theme.dim));
    } else {
        out.push(Line::styled("Answered worst:", theme.title));
        for (tag, wrong, asked) in worst.iter().take(5) {
            out.push(Line::from(vec![
                Span::styled(format!("  #{}", sanitize::line(tag)), theme.tag),
                Span::styled(format!("  {wrong} of {asked} wrong"), theme.dim),
            ]));
        }
    }
    out.push(Line::raw(""));
    let missed = s.missed().len();
    out.push(Line::styled(
        if missed > 0 {
            format!("r retries the {missed} missed · Esc closes")
        } else {
            "Esc closes".to_owned()
        },
        theme.dim,
    ));
    out
}

/// The progress overlay: accuracy by tag, due counts for the coming days, streak.
pub fn draw_progress(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    area: Rect,
    o: &crate::study::Overview,
) {
    let popup = area.centered(
        ratatui::layout::Constraint::Percentage(70),
        ratatui::layout::Constraint::Percentage(80),
    );
    frame.render_widget(Clear, popup);
    // `o` was counted when the view opened, not every frame.
    let mut lines = vec![
        Line::styled(
            format!(
                "Streak: {} day(s) · {} questions",
                o.streak_days, o.questions
            ),
            theme.accent,
        ),
        Line::raw(""),
        Line::styled("Due in the coming days", theme.title),
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
    lines.push(Line::styled("Accuracy by tag", theme.title));
    let mut any = false;
    for (tag, s) in o.by_tag.iter().filter(|(_, s)| s.answers > 0) {
        any = true;
        lines.push(Line::from(vec![
            Span::styled(format!("  #{:<30}", sanitize::line(tag)), theme.tag),
            Span::styled(
                format!("{:>3}% of {} answers", s.right * 100 / s.answers, s.answers),
                Style::new(),
            ),
        ]));
    }
    if !any {
        lines.push(Line::styled(
            "  Nothing answered yet: s starts a session.",
            theme.dim,
        ));
    }
    let shown: Vec<Line> = lines.into_iter().skip(app.popup_scroll).collect();
    frame.render_widget(
        Paragraph::new(shown).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border_focused)
                .title(" Study progress · any key closes "),
        ),
        popup,
    );
}
