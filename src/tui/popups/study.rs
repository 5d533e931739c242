//! A study session: its state beside the app's (kept while the user looks at a note), its keys
//! (letters and digits answer, Space reveals, Enter goes on), and its screen: the question
//! (prompt as markdown, options), the feedback with the right option and the explanation, and
//! the summary. Every string from a note is rendered by [`crate::markdown`] (sanitised) or
//! passed through [`crate::sanitize`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::markdown::{RenderOptions, render};
use crate::sanitize;
use crate::study::session::{Phase, Session};
use crate::study::{self, Progress};
use crate::style::{Role, Styles};
use crate::vault::{NoteId, Vault};

/// What a study key did, for the app to follow up.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing beyond the session itself.
    Nothing,
    /// An answer was recorded: the progress changed, and this answer is to be saved.
    Answered(Box<study::Entry>),
    /// The session is over and its screen closes.
    Closed,
    /// The user leaves for this note (the session pauses).
    GoTo(NoteId),
}

#[derive(Debug, Default)]
pub struct Study {
    session: Option<Session>,
    /// Scroll from where the screen places itself (signed: up from there too).
    scroll: isize,
}

/// What the study screen draws from besides the session.
pub struct StudyCx<'a> {
    pub vault: &'a Vault,
    pub styles: Styles,
    pub now: i64,
}

impl Study {
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// A session is under way (not at its summary).
    pub fn in_progress(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.phase != Phase::Done)
    }

    pub fn start(&mut self, title: String, questions: Vec<study::Question>, now: i64) {
        self.session = Some(Session::new(title, questions, now));
        self.scroll = 0;
    }

    /// After a reload: finds the session's questions again by their notes' `old_paths`.
    /// False when the question being asked is gone (the session ends at its summary).
    pub fn remap(&mut self, old_paths: &[String], vault: &Vault) -> bool {
        self.session
            .as_mut()
            .is_none_or(|s| s.remap(old_paths, vault))
    }

    /// The paths of the session's questions' notes in `vault` (to find them after a reload).
    pub fn paths(&self, vault: &Vault) -> Vec<String> {
        self.session.as_ref().map_or(Vec::new(), |s| {
            s.questions
                .iter()
                .map(|q| {
                    vault
                        .notes
                        .get(q.note)
                        .map_or(String::new(), |n| n.path.clone())
                })
                .collect()
        })
    }

    /// A letter or digit: an option (a-d, 1-4) or, after a reveal, a grade (1-4).
    pub fn on_text(
        &mut self,
        c: char,
        vault: &Vault,
        progress: &mut Progress,
        now: i64,
    ) -> Outcome {
        let Some(s) = &mut self.session else {
            return Outcome::Nothing;
        };
        let entry = match s.phase {
            Phase::Asking => {
                let label = match c {
                    '1'..='9' => ((b'A' + (c as u8 - b'1')) as char).to_string(),
                    c if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
                    _ => return Outcome::Nothing,
                };
                s.choose(vault, progress, &label, now)
            }
            Phase::Revealed => {
                let rating = match c {
                    '1' => rs_fsrs::Rating::Again,
                    '2' => rs_fsrs::Rating::Hard,
                    '3' => rs_fsrs::Rating::Good,
                    '4' => rs_fsrs::Rating::Easy,
                    _ => return Outcome::Nothing,
                };
                s.grade(vault, progress, rating, now)
            }
            _ => return Outcome::Nothing,
        };
        self.scroll = 0;
        match entry {
            Some(e) => Outcome::Answered(Box::new(e)),
            None => Outcome::Nothing,
        }
    }

    /// Space: reveals an open question's answer, or goes on after an answer.
    pub fn space(&mut self, vault: &Vault, now: i64) {
        let Some(s) = &mut self.session else { return };
        match s.phase {
            Phase::Asking => s.reveal(vault),
            Phase::Answered { .. } => self.next(now),
            _ => {}
        }
    }

    pub fn next(&mut self, now: i64) {
        if let Some(s) = &mut self.session {
            s.next(now);
            self.scroll = 0;
        }
    }

    /// Scrolls by `by` lines, within what the screen of `area` can show.
    pub fn scroll_by(&mut self, by: isize, cx: &StudyCx, area: Rect) {
        let (low, high) = self.scroll_range(cx, area);
        self.scroll = (self.scroll + by).clamp(low, high);
    }

    /// The note of the question asked, to go and look at it.
    pub fn go_to_note(&self) -> Outcome {
        match self.session.as_ref().and_then(Session::current) {
            Some(q) => Outcome::GoTo(q.note),
            None => Outcome::Nothing,
        }
    }

    /// Esc: ends the session at its summary, or closes the summary.
    pub fn end(&mut self, now: i64) -> Outcome {
        let Some(s) = &mut self.session else {
            return Outcome::Closed;
        };
        let done = s.phase == Phase::Done;
        s.finish(now);
        if done {
            self.session = None;
            Outcome::Closed
        } else {
            Outcome::Nothing
        }
    }

    /// At the summary: a new session of the questions missed.
    pub fn retry(&mut self, now: i64) {
        let missed = self
            .session
            .as_ref()
            .filter(|s| s.phase == Phase::Done)
            .map(Session::missed)
            .unwrap_or_default();
        if !missed.is_empty() {
            self.start("the missed ones".to_owned(), missed, now);
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, cx: &StudyCx) {
        let Some(s) = &self.session else { return };
        let styles = cx.styles;
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
            .border_style(styles.get(Role::BorderFocused))
            .title(Line::styled(title, styles.get(Role::Title)));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = inner.width.saturating_sub(2);
        let (lines, anchor) = screen_lines(cx, s, width);
        let body = Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        );
        let (base, last) = placement(lines.len(), anchor, body.height as usize);
        let rows = body.height as usize;
        let top = (base as isize + self.scroll).clamp(0, last as isize) as usize;
        let shown: Vec<Line> = lines.into_iter().skip(top).take(rows).collect();
        frame.render_widget(Paragraph::new(Text::from(shown)), body);
    }

    /// How far the screen on `area` may scroll from where it places itself: (up, down).
    fn scroll_range(&self, cx: &StudyCx, area: Rect) -> (isize, isize) {
        let Some(s) = &self.session else {
            return (0, 0);
        };
        let inner = Rect::new(
            0,
            0,
            area.width.saturating_sub(2),
            area.height.saturating_sub(2),
        );
        let plain = StudyCx {
            styles: Styles::new(false),
            ..*cx
        };
        let (lines, anchor) = screen_lines(&plain, s, inner.width.saturating_sub(2));
        let (base, last) = placement(lines.len(), anchor, inner.height as usize);
        (-(base as isize), (last - base) as isize)
    }
}

/// The screen's lines (the question or the summary), and where the feedback starts.
fn screen_lines(cx: &StudyCx, s: &Session, width: u16) -> (Vec<Line<'static>>, Option<usize>) {
    if s.phase == Phase::Done {
        (summary(cx, s), None)
    } else {
        question(cx, s, width)
    }
}

/// Markdown text as lines for `width`, with no header.
fn md(text: &str, width: u16, color: bool) -> Vec<Line<'static>> {
    let opts = RenderOptions {
        width: width.max(1),
        styles: Styles::new(color),
        resolves: &|_| true,
        now: 0,
    };
    render(None, text, &opts).lines
}

fn mmss(secs: i64) -> String {
    let s = secs.max(0);
    format!("{}:{:02}", s / 60, s % 60)
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

/// The question screen's lines, and where the feedback starts (to keep it in view).
fn question(cx: &StudyCx, s: &Session, width: u16) -> (Vec<Line<'static>>, Option<usize>) {
    let mut out = Vec::new();
    let mut anchor = None;
    let Some(q) = s.current() else {
        return (out, None);
    };
    let note = &cx.vault.notes[q.note];
    let question = &note.questions[q.index];
    out.push(Line::styled(
        format!("from {}", sanitize::line(&note.title)),
        cx.styles.get(Role::Dim),
    ));
    out.push(Line::raw(""));
    out.extend(md(&question.prompt, width, cx.styles.color()));
    out.push(Line::raw(""));
    let answered = match &s.phase {
        Phase::Answered { chosen, correct } => Some((chosen.clone(), *correct)),
        _ => None,
    };
    for o in &question.options {
        let is_answer = question.is_right(&o.label);
        let (mark, style) = match &answered {
            Some(_) if is_answer => ("✓ ", cx.styles.get(Role::Accent)),
            Some((chosen, false)) if chosen.eq_ignore_ascii_case(&o.label) => {
                ("✗ ", cx.styles.get(Role::Warn))
            }
            Some(_) => ("  ", cx.styles.get(Role::Dim)),
            None => ("  ", cx.styles.get(Role::Text)),
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
                cx.styles.get(Role::Dim),
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
                cx.styles.get(Role::Dim),
            ));
        }
        Phase::Revealed | Phase::Answered { .. } => {
            out.push(Line::raw(""));
            anchor = Some(out.len());
            if let Some((chosen, correct)) = &answered {
                let verdict = match (correct, open) {
                    (true, _) => Span::styled("✓ Right".to_owned(), cx.styles.get(Role::Accent)),
                    (false, true) => Span::styled("✗ Again".to_owned(), cx.styles.get(Role::Warn)),
                    (false, false) => Span::styled(
                        format!(
                            "✗ Wrong ({}) · the answer is {}",
                            sanitize::line(chosen),
                            sanitize::line(&question.answer.join(", "))
                        ),
                        cx.styles.get(Role::Warn),
                    ),
                };
                out.push(Line::from(verdict));
            }
            if !question.answer_text.is_empty() {
                out.extend(md(&question.answer_text, width, cx.styles.color()));
            }
            if !question.explanation.is_empty() {
                out.push(Line::raw(""));
                let bullets: Vec<String> = question
                    .explanation
                    .iter()
                    .map(|e| format!("- {e}"))
                    .collect();
                out.extend(md(&bullets.join("\n"), width, cx.styles.color()));
            }
            out.push(Line::raw(""));
            out.push(Line::styled(
                if s.phase == Phase::Revealed {
                    "1 again · 2 hard · 3 good · 4 easy"
                } else {
                    "Enter or Space: next · Tab the note · Esc ends"
                },
                cx.styles.get(Role::Dim),
            ));
        }
        Phase::Done => {}
    }
    (out, anchor)
}

fn summary(cx: &StudyCx, s: &Session) -> Vec<Line<'static>> {
    let (right, answered) = s.score();
    let secs = s.finished.unwrap_or(cx.now) - s.started;
    let mut out = vec![
        Line::styled(
            format!("{right} of {answered} right · {}", mmss(secs)),
            cx.styles.get(Role::Accent),
        ),
        Line::raw(""),
    ];
    let worst = s.worst_tags(cx.vault);
    if worst.is_empty() {
        out.push(Line::styled(
            "No tag had a wrong answer.",
            cx.styles.get(Role::Dim),
        ));
    } else {
        out.push(Line::styled("Answered worst:", cx.styles.get(Role::Title)));
        for (tag, wrong, asked) in worst.iter().take(5) {
            out.push(Line::from(vec![
                Span::styled(
                    format!("  #{}", sanitize::line(tag)),
                    cx.styles.get(Role::Tag),
                ),
                Span::styled(
                    format!("  {wrong} of {asked} wrong"),
                    cx.styles.get(Role::Dim),
                ),
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
        cx.styles.get(Role::Dim),
    ));
    out
}
