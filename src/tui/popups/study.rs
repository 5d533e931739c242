//! A study session: its state beside the app's (kept while the user looks at a note), its keys
//! (letters answer, Space reveals, `1`-`4` grade, Enter goes on, `u` undoes, `x` suspends),
//! and its screen: the question (the whole prompt, wrapped, then the options as shuffled for
//! this showing), the feedback with the right option and the explanation, and the summary. Every string from a note is rendered by [`crate::markdown`] (sanitised) or
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
    /// The progress changed: these journal lines (answers, an undo, a suspension) are to be
    /// saved.
    Save(Vec<study::Entry>),
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
    /// The daily limits sessions are planned with.
    pub limits: study::Limits,
    /// Options are shuffled per showing. Off unless asked for ([`crate::tui::run`] asks
    /// unless `--no-shuffle`), so snapshots and tests show the written order.
    pub shuffle: bool,
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

    pub fn start(&mut self, title: String, planned: study::Planned, now: i64) {
        let mut s = Session::new(title, planned.questions.clone(), now);
        s.waiting = planned.waiting();
        self.begin(s);
    }

    fn begin(&mut self, mut s: Session) {
        if !self.shuffle {
            s.shuffle = None;
        }
        self.session = Some(s);
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

    /// A character: the option shown with that label, while asking.
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
        if s.phase != Phase::Asking {
            return Outcome::Nothing;
        }
        let Some(label) = s.label_for_key(vault, &c.to_string()) else {
            return Outcome::Nothing;
        };
        let entry = s.choose(vault, progress, &label, now);
        self.scroll = 0;
        saved(entry.into_iter().collect())
    }

    /// `1`-`4`: grades an open question after the reveal, or a right answer otherwise than
    /// Good; either way the session goes on.
    pub fn grade(
        &mut self,
        rating: rs_fsrs::Rating,
        vault: &Vault,
        progress: &mut Progress,
        now: i64,
    ) -> Outcome {
        let Some(s) = &mut self.session else {
            return Outcome::Nothing;
        };
        let lines = match &s.phase {
            Phase::Revealed => s.grade(vault, progress, rating, now).into_iter().collect(),
            Phase::Answered { .. } => {
                let lines = s.regrade(vault, progress, rating, now);
                s.next(now);
                lines
            }
            _ => return Outcome::Nothing,
        };
        self.scroll = 0;
        saved(lines)
    }

    /// `u`: takes back the last answer; the session is back at its question.
    pub fn undo(&mut self, progress: &mut Progress, now: i64) -> Outcome {
        let Some(s) = &mut self.session else {
            return Outcome::Nothing;
        };
        self.scroll = 0;
        saved(s.undo(progress, now).into_iter().collect())
    }

    /// `x`: suspends the card asked, and goes on.
    pub fn suspend(&mut self, vault: &Vault, progress: &mut Progress, now: i64) -> Outcome {
        let Some(s) = &mut self.session else {
            return Outcome::Nothing;
        };
        self.scroll = 0;
        saved(s.suspend(vault, progress, now).into_iter().collect())
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
        let retry = self
            .session
            .as_ref()
            .filter(|s| s.phase == Phase::Done && !s.missed().is_empty())
            .map(|s| s.retry_missed(now));
        if let Some(s) = retry {
            self.begin(s);
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
            let waiting = match s.waiting {
                0 => String::new(),
                n => format!(" · {n} more wait (daily limits)"),
            };
            format!(
                " Study · {} · {}/{} · ✓ {right} ✗ {}{waiting} ",
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

/// Journal lines to save, when there are any.
fn saved(lines: Vec<study::Entry>) -> Outcome {
    if lines.is_empty() {
        Outcome::Nothing
    } else {
        Outcome::Save(lines)
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
fn md(text: &str, width: u16, styles: Styles) -> Vec<Line<'static>> {
    let opts = RenderOptions {
        width: width.max(1),
        styles,
        resolves: &|_| true,
        now: 0,
        // Rendered in every frame: diagram blocks stay source, nothing is laid out.
        diagrams: crate::markdown::DiagramView {
            mode: crate::markdown::DiagramMode::Source,
            drawings: None,
        },
        // Drawn every frame: not worth a grammar's time.
        highlight: None,
        pictures: None,
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

/// The prompt's lines for `width`: as markdown, or, when that shows nothing of it (a prompt
/// markdown reads as something else), as plain text wrapped by display width.
fn prompt_lines(prompt: &str, width: u16, styles: Styles) -> Vec<Line<'static>> {
    let rendered = md(prompt, width, styles);
    let shows = rendered
        .iter()
        .any(|l| l.spans.iter().any(|s| !s.content.trim().is_empty()));
    if shows || prompt.trim().is_empty() {
        return rendered;
    }
    let wrap = textwrap::Options::new(width.max(1) as usize).break_words(true);
    prompt
        .lines()
        .flat_map(|l| {
            textwrap::wrap(&sanitize::line(l), &wrap)
                .into_iter()
                .map(|p| Line::raw(p.into_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
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
    out.extend(prompt_lines(&question.prompt, width, cx.styles));
    out.push(Line::raw(""));
    let answered = match &s.phase {
        Phase::Answered {
            chosen, correct, ..
        } => Some((chosen.clone(), *correct)),
        _ => None,
    };
    let revealed = answered.is_some() || s.phase == Phase::Revealed;
    let shown = s.shown_options(question);
    // The right options by the labels shown.
    let right_shown: Vec<String> = shown
        .iter()
        .filter(|(_, o)| question.is_right(&o.label))
        .map(|(l, _)| sanitize::line(l).into_owned())
        .collect();
    // An answer of several options is kept as their labels joined by commas.
    let was_chosen =
        |chosen: &str, label: &str| chosen.split(',').any(|c| c.eq_ignore_ascii_case(label));
    let picked = |label: &str| s.picked.iter().any(|p| p.eq_ignore_ascii_case(label));
    for (label, o) in &shown {
        let is_answer = question.is_right(&o.label);
        let (mark, style) = match &answered {
            _ if revealed && is_answer => ("✓ ", cx.styles.get(Role::Accent)),
            Some((chosen, false)) if was_chosen(chosen, &o.label) => {
                ("✗ ", cx.styles.get(Role::Warn))
            }
            _ if revealed => ("  ", cx.styles.get(Role::Dim)),
            None if picked(&o.label) => ("▸ ", cx.styles.get(Role::Selected)),
            _ => ("  ", cx.styles.get(Role::Text)),
        };
        let text = format!("{}) {}", sanitize::line(label), o.text);
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
                "Space shows the answer, then you grade yourself · u undoes · x suspends",
                cx.styles.get(Role::Dim),
            ));
        }
        Phase::Asking => {
            out.push(Line::raw(""));
            let labels: Vec<String> = shown
                .iter()
                .map(|(l, _)| sanitize::line(l).to_lowercase())
                .collect();
            let keys = match (labels.first(), labels.last()) {
                (Some(a), Some(z)) if labels.len() > 1 => format!("{a}-{z}"),
                (Some(a), _) => a.clone(),
                _ => String::new(),
            };
            let pick = match question.answer.len() {
                n if n > 1 => format!("pick {n} ({}/{n}, again to unpick)", s.picked.len()),
                _ => "answers".to_owned(),
            };
            let hint = format!("{keys} {pick} · u undoes · x suspends · Tab the note · Esc ends");
            let wrap = textwrap::Options::new(width.max(1) as usize);
            for part in textwrap::wrap(&hint, wrap) {
                out.push(Line::styled(part.into_owned(), cx.styles.get(Role::Dim)));
            }
        }
        Phase::Revealed | Phase::Answered { .. } => {
            out.push(Line::raw(""));
            anchor = Some(out.len());
            if let Some((chosen, correct)) = &answered {
                let chosen_shown = shown
                    .iter()
                    .filter(|(_, o)| was_chosen(chosen, &o.label))
                    .map(|(l, _)| sanitize::line(l).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ");
                let verdict = match (correct, open) {
                    (true, _) => Span::styled("✓ Right".to_owned(), cx.styles.get(Role::Accent)),
                    (false, true) => Span::styled("✗ Again".to_owned(), cx.styles.get(Role::Warn)),
                    (false, false) => Span::styled(
                        format!(
                            "✗ Wrong ({chosen_shown}) · the answer is {}",
                            right_shown.join(", ")
                        ),
                        cx.styles.get(Role::Warn),
                    ),
                };
                out.push(Line::from(verdict));
            }
            // A multiple-choice answer is told by the marks and the verdict, in the labels
            // shown: the answer as written names the options by their written labels, which
            // shuffling changed.
            let marked = !question.options.is_empty() && !question.answer.is_empty();
            if !marked && !question.answer_text.is_empty() {
                out.extend(prompt_lines(&question.answer_text, width, cx.styles));
            } else if open && !right_shown.is_empty() {
                out.push(Line::raw(format!("Answer: {}", right_shown.join(", "))));
            }
            if !question.explanation.is_empty() {
                out.push(Line::raw(""));
                let bullets: Vec<String> = question
                    .explanation
                    .iter()
                    .map(|e| format!("- {e}"))
                    .collect();
                out.extend(md(&bullets.join("\n"), width, cx.styles));
            }
            out.push(Line::raw(""));
            let hint = match &s.phase {
                Phase::Revealed => "1 again · 2 hard · 3 good · 4 easy".to_owned(),
                Phase::Answered {
                    correct: true,
                    grade,
                    ..
                } if !open => format!(
                    "graded {} · 1-4 again/hard/good/easy · Enter next · u undoes",
                    grade_name(*grade)
                ),
                _ => "Enter or Space: next · u undoes · Tab the note · Esc ends".to_owned(),
            };
            out.push(Line::styled(hint, cx.styles.get(Role::Dim)));
        }
        Phase::Done => {}
    }
    (out, anchor)
}

fn grade_name(grade: u8) -> &'static str {
    match grade {
        1 => "again",
        2 => "hard",
        3 => "good",
        _ => "easy",
    }
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
    if s.waiting > 0 {
        out.push(Line::styled(
            format!("{} more wait for the next days (daily limits)", s.waiting),
            cx.styles.get(Role::Dim),
        ));
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
