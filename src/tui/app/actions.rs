//! Routing actions: an overlay's keys, typed text, and each action to the pane or popup it is
//! for; starting study sessions and taking a picker's choice.

use std::sync::Arc;

use super::App;
use crate::style::Styles;
use crate::tags::Combine;
use crate::tui::action::Action;
use crate::tui::msg::{Effect, Job, QuestionsDone, QuestionsJob};
use crate::tui::panes::Pane;
use crate::tui::popups::study::{Outcome, StudyCx};
use crate::tui::popups::{self, Popup, Scroll, search::SearchPopup};
use crate::tui::ui;
use crate::vault::{NoteId, same_tag};

impl App {
    pub(super) fn on_text(&mut self, c: char) {
        let now = self.now();
        match &mut self.popup {
            Some(Popup::Search(s)) => s.edit(|q| q.push(c)),
            Some(Popup::Find) => self.content.edit_find(|q| q.push(c)),
            Some(Popup::MapFilter) => self.diagram.edit_map_filter(|q| q.push(c)),
            Some(Popup::Study) => {
                let outcome =
                    self.study
                        .on_text(c, &self.catalog.vault, &mut self.answers.progress, now);
                self.on_study(outcome);
            }
            _ => {}
        }
    }

    pub(super) fn on_action(&mut self, action: Action) {
        let overlay = self.overlay_area();
        let problems = self.problems_len();
        match &mut self.popup {
            Some(Popup::Help(s)) => {
                let (lines, rows) = popups::help::extent(overlay, &self.keymap, &self.layout);
                if !s.on_action(action, lines, rows) {
                    self.on_overlay_key(action);
                }
                return;
            }
            Some(Popup::Problems(s)) => {
                if !s.on_action(action, problems, popups::problems::rows(overlay)) {
                    self.on_overlay_key(action);
                }
                return;
            }
            Some(Popup::Progress(s, o)) => {
                let (lines, rows) = popups::progress::extent(overlay, o.as_deref());
                if action == Action::OpenHardest {
                    // The notes of the hardest cards, hardest first, each once.
                    let mut paths: Vec<String> = Vec::new();
                    for h in o.iter().flat_map(|o| &o.hardest) {
                        if !paths.contains(&h.note) && self.catalog.note_at(&h.note).is_some() {
                            paths.push(h.note.clone());
                        }
                    }
                    if paths.is_empty() {
                        self.status = Some("no card missed yet".to_owned());
                    } else {
                        self.popup = Some(Popup::Choose {
                            title: "Notes of the hardest cards",
                            paths,
                            cursor: 0,
                        });
                    }
                } else if !s.on_action(action, lines, rows) {
                    self.on_overlay_key(action);
                }
                return;
            }
            _ => {}
        }
        let page = self.view().page(self.focus);
        match action {
            Action::Quit => self.on_quit(),
            Action::Suspend => self.effects.push(Effect::Suspend),
            Action::Reload => self.effects.push(Effect::Reload),
            Action::Edit => match self.selected_note() {
                Some(id) => self
                    .effects
                    .push(Effect::Edit(self.catalog.vault.notes[id].file.clone())),
                None => self.status = Some("no note selected to edit".to_owned()),
            },
            Action::NextPane => {
                self.focus = self.focus.step_within(1, |p| ui::shows(&self.layout, p))
            }
            Action::PrevPane => {
                self.focus = self.focus.step_within(-1, |p| ui::shows(&self.layout, p))
            }
            Action::FocusList => self.focus = Pane::List,
            Action::FocusContent => self.focus = Pane::Content,
            Action::FocusDiagram => self.focus = Pane::Diagram,
            Action::FocusTags => self.focus = Pane::Tags,
            Action::ToggleZoom => self.zoom = !self.zoom,
            Action::Up => self.move_by(self.focus, -1),
            Action::Down => self.move_by(self.focus, 1),
            Action::Top => self.move_by(self.focus, isize::MIN / 2),
            Action::Bottom => self.move_by(self.focus, isize::MAX / 2),
            Action::HalfPageDown => self.move_by(self.focus, page / 2),
            Action::HalfPageUp => self.move_by(self.focus, -page / 2),
            Action::PageDown => self.move_by(self.focus, page),
            Action::PageUp => self.move_by(self.focus, -page),
            Action::ToggleHelp => self.popup = Some(Popup::Help(Scroll::default())),
            Action::ToggleProblems => self.popup = Some(Popup::Problems(Scroll::default())),
            Action::ToggleProgress => {
                self.popup = Some(Popup::Progress(Scroll::default(), None));
                self.effects.push(Effect::Job(Job::Overview {
                    vault: Arc::clone(&self.catalog.vault),
                    progress: self.answers.progress.clone(),
                    now: self.now(),
                    days: self.days.clone(),
                    limits: self.study.limits,
                }));
            }
            Action::ClosePopup => self.popup = None,
            // Only the progress view opens the hardest cards' notes (above).
            Action::OpenHardest => {}
            Action::OpenSearch => {
                self.popup = Some(Popup::Search(Box::new(SearchPopup::new(
                    self.catalog.generation,
                ))));
            }
            Action::SearchBackspace => {
                if let Some(Popup::Search(s)) = &mut self.popup {
                    s.edit(|q| {
                        q.pop();
                    });
                }
            }
            Action::SearchClear => {
                if let Some(Popup::Search(s)) = &mut self.popup {
                    s.edit(String::clear);
                }
            }
            Action::SearchNext | Action::SearchPrev => {
                if let Some(Popup::Search(s)) = &mut self.popup {
                    s.step(action == Action::SearchNext);
                }
            }
            Action::SearchMode => {
                if let Some(Popup::Search(s)) = &mut self.popup {
                    s.toggle_mode();
                }
            }
            Action::SearchAccept if matches!(&self.popup, Some(Popup::Search(s)) if s.mode() == popups::search::Mode::Text) =>
            {
                let chosen = match &self.popup {
                    Some(Popup::Search(s)) => s.chosen_text(self.catalog.generation),
                    _ => None,
                };
                self.popup = None;
                if let Some(c) = chosen {
                    self.visit(c.note, None);
                    let note = &self.catalog.vault.notes[c.note];
                    let (path, first) = (&note.path, note.body_line.max(1));
                    // The new query's matches, never the find left from before in the note.
                    match c.matched {
                        Some(matched) => {
                            let at = c.line.map(|line| (line, c.column, first));
                            self.content.find_at(path, matched, at);
                            self.focus = Pane::Content;
                            if self.content.shown_for(path).is_some() {
                                self.content.refind();
                            }
                        }
                        None => self.content.close_find(true),
                    }
                }
            }
            Action::SearchAccept => {
                if let Some(Popup::Search(s)) = &self.popup
                    && s.mode() == popups::search::Mode::Names
                    && let Some(w) =
                        popups::search::Waiting::of(&self.catalog, self.loading.is_some())
                {
                    // Nothing to choose from yet: the popup stays, its hits come shortly.
                    self.status = Some(w.on_enter().to_owned());
                    return;
                }
                let chosen = match &mut self.popup {
                    Some(Popup::Search(s)) => {
                        s.refresh_now(&self.catalog);
                        s.chosen(self.catalog.generation)
                    }
                    _ => None,
                };
                self.popup = None;
                if let Some(note) = chosen {
                    // A names search finds no text: the find left from before in the note
                    // is not this search's.
                    self.content.close_find(true);
                    self.visit(note, None);
                }
            }
            Action::OpenOutline => {
                let headings = self
                    .content
                    .shown()
                    .map_or(0, |c| c.rendered.headings.len());
                if headings == 0 {
                    self.status = Some("this note has no headings".to_owned());
                } else {
                    self.popup = Some(Popup::Outline(self.content.heading_in_view()));
                }
            }
            Action::OpenBacklinks => match self.selected_note() {
                Some(id) if !self.catalog.vault.backlinks[id].is_empty() => {
                    let of = self.catalog.vault.notes[id].path.clone();
                    self.popup = Some(Popup::Backlinks { of, cursor: 0 });
                }
                Some(_) => self.status = Some("no note links here".to_owned()),
                None => {}
            },
            Action::PickNext | Action::PickPrev => {
                let len = self.picker_len();
                if let Some(
                    Popup::Outline(i)
                    | Popup::Backlinks { cursor: i, .. }
                    | Popup::Choose { cursor: i, .. },
                ) = &mut self.popup
                {
                    *i = popups::wrap_step(*i, action == Action::PickNext, len);
                }
            }
            Action::PickAccept => self.pick(),
            Action::OpenFind => {
                self.content.open_find();
                self.popup = Some(Popup::Find);
            }
            Action::FindBackspace if matches!(self.popup, Some(Popup::MapFilter)) => {
                self.diagram.edit_map_filter(|q| {
                    q.pop();
                })
            }
            Action::FindAccept if matches!(self.popup, Some(Popup::MapFilter)) => self.popup = None,
            Action::FindCancel if matches!(self.popup, Some(Popup::MapFilter)) => {
                self.popup = None;
                self.diagram.edit_map_filter(String::clear);
            }
            Action::FindBackspace => self.content.edit_find(|q| {
                q.pop();
            }),
            Action::FindAccept | Action::FindCancel => {
                self.popup = None;
                self.content.close_find(action == Action::FindCancel);
            }
            Action::FindNext | Action::FindPrev => {
                let rows = self.view().content_rows;
                self.status = self.content.step_match(action == Action::FindNext, rows);
            }
            Action::CodeLeft | Action::CodeRight => {
                // A quarter of the pane's width a press: a picture moves in steps one can follow.
                let by = (self.view().content_cols.unwrap_or(40) / 4).max(1) as isize;
                self.content
                    .shift_code(if action == Action::CodeLeft { -by } else { by });
            }
            Action::ToggleDiagramSource => self.status = self.content.toggle_diagrams(),
            Action::NextLink | Action::PrevLink => {
                let rows = self.view().content_rows;
                self.status = self.content.step_link(action == Action::NextLink, rows);
            }
            Action::FollowLink => self.follow_link(),
            Action::Back => self.go_history(true),
            Action::Forward => self.go_history(false),
            Action::CycleSort => {
                self.list.cycle_sort();
                self.status = Some(format!("sorted by {}", self.list.sort().name()));
            }
            Action::ToggleTag => {
                if let Some(row) = self.tags.current() {
                    let path = row.path.clone();
                    match self.filter.tags.iter().position(|t| same_tag(t, &path)) {
                        Some(i) => {
                            self.filter.tags.remove(i);
                        }
                        None => self.filter.tags.push(path),
                    }
                    self.filter_rev += 1;
                }
            }
            Action::ToggleExpand => self.tags.toggle_expand(),
            Action::ToggleTagMode => {
                self.filter.combine = match self.filter.combine {
                    Combine::All => Combine::Any,
                    Combine::Any => Combine::All,
                };
                self.filter_rev += 1;
            }
            Action::ClearTags => {
                self.filter.tags.clear();
                self.filter_rev += 1;
            }
            Action::NodeLeft | Action::NodeRight => {
                let dx = if action == Action::NodeLeft { -1 } else { 1 };
                let note = self.note_diagrams_owned();
                self.diagram
                    .move_node((dx, 0), &note.as_ref().map(|n| n.view()));
            }
            Action::OpenNode => self.open_node(),
            Action::ToggleCompact => {
                let note = self.note_diagrams_owned();
                self.diagram
                    .toggle_compact(&note.as_ref().map(|n| n.view()));
            }
            Action::ToggleRelayout => self.diagram.toggle_relayout(),
            Action::NextDiagram | Action::PrevDiagram if self.diagram.showing_map() => {
                self.diagram.map_step_edge(action == Action::NextDiagram)
            }
            Action::MapFilter => {
                if self.diagram.map_filter().is_some() {
                    // A new filter each time (as `/` in vim or lazygit): typed from empty.
                    self.diagram.edit_map_filter(String::clear);
                    self.popup = Some(Popup::MapFilter);
                } else {
                    self.status =
                        Some("f filters the map's components: M shows the map".to_owned());
                }
            }
            Action::MapDeeper | Action::MapShallower => {
                self.status = self.diagram.map_depth(action == Action::MapDeeper)
            }
            Action::MapPath => {
                self.status = if self.diagram.showing_map() {
                    self.diagram.map_path()
                } else {
                    Some("p picks the ends of a path on the map: M shows it".to_owned())
                }
            }
            Action::MapBack => self.status = self.diagram.map_back(),
            Action::MapReturn => self.return_to_map(),
            Action::MapWhole => {
                if self.diagram.showing_map() {
                    self.diagram.map_whole()
                } else {
                    self.status = Some("w shows the whole map: M shows the map".to_owned());
                }
            }
            Action::NextDiagram | Action::PrevDiagram => {
                let count = self.note_diagrams().map_or(0, |n| n.diagrams.len());
                self.diagram
                    .step_diagram(action == Action::NextDiagram, count);
            }
            Action::ToggleMap => {
                self.diagram.toggle_map();
                if self.diagram.showing_map() {
                    self.focus = Pane::Diagram;
                }
            }
            Action::StudyView | Action::StudyNote | Action::StudyDue => self.start_study(action),
            Action::StudySpace => self.study.space(&self.catalog.vault, self.now()),
            Action::StudyNext => self.study.next(self.now()),
            Action::StudyLineDown
            | Action::StudyLineUp
            | Action::StudyPageDown
            | Action::StudyPageUp => {
                let by = match action {
                    Action::StudyLineDown => 1,
                    Action::StudyLineUp => -1,
                    Action::StudyPageDown => 10,
                    _ => -10,
                };
                let cx = StudyCx {
                    vault: &self.catalog.vault,
                    styles: Styles::new(false),
                    now: self.now(),
                };
                self.study.scroll_by(by, &cx, self.study_area());
            }
            Action::StudyGoToNote => {
                let outcome = self.study.go_to_note();
                self.on_study(outcome);
            }
            Action::StudyEnd => {
                let outcome = self.study.end(self.now());
                self.on_study(outcome);
            }
            Action::StudyRetry => self.study.retry(self.now()),
            Action::StudyGradeAgain
            | Action::StudyGradeHard
            | Action::StudyGradeGood
            | Action::StudyGradeEasy => {
                let rating = match action {
                    Action::StudyGradeAgain => rs_fsrs::Rating::Again,
                    Action::StudyGradeHard => rs_fsrs::Rating::Hard,
                    Action::StudyGradeGood => rs_fsrs::Rating::Good,
                    _ => rs_fsrs::Rating::Easy,
                };
                let now = self.now();
                let outcome =
                    self.study
                        .grade(rating, &self.catalog.vault, &mut self.answers.progress, now);
                self.on_study(outcome);
            }
            Action::StudyUndo => {
                let now = self.now();
                let outcome = self.study.undo(&mut self.answers.progress, now);
                if outcome == Outcome::Nothing {
                    self.status = Some("nothing to undo in this session".to_owned());
                }
                self.on_study(outcome);
            }
            Action::StudySuspend => {
                let now = self.now();
                let outcome =
                    self.study
                        .suspend(&self.catalog.vault, &mut self.answers.progress, now);
                if outcome != Outcome::Nothing {
                    self.status =
                        Some("card suspended: `vaultscope unsuspend ID` brings it back".to_owned());
                }
                self.on_study(outcome);
            }
        }
    }

    /// An overlay's key that is not a scroll: quitting and suspending work, anything else
    /// closes it.
    pub(super) fn on_overlay_key(&mut self, action: Action) {
        match action {
            Action::Quit => self.on_quit(),
            Action::Suspend => self.effects.push(Effect::Suspend),
            _ => self.popup = None,
        }
    }

    pub(super) fn study_cx(&self, styles: Styles) -> StudyCx<'_> {
        StudyCx {
            vault: &self.catalog.vault,
            styles,
            now: self.now(),
        }
    }

    pub(super) fn on_study(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Nothing => {}
            Outcome::Save(lines) => {
                for line in lines {
                    self.answers.rev += 1;
                    if self.answers.store.is_some() {
                        self.answers.pending.push((self.answers.rev, line));
                    }
                }
                self.save_answers();
            }
            Outcome::Closed => self.popup = None,
            Outcome::GoTo(note) => {
                self.popup = None;
                self.visit(note, None);
                self.status = Some("study paused: s goes back to the question".to_owned());
            }
        }
    }

    /// Starts a study session (or goes back to a paused one).
    pub(super) fn start_study(&mut self, kind: Action) {
        if self.study.in_progress() {
            self.popup = Some(Popup::Study);
            return;
        }
        let vault = Arc::clone(&self.catalog.vault);
        if vault.depth != crate::vault::Depth::Full {
            self.status = Some("the questions are still being read; a moment".to_owned());
            return;
        }
        // Answers scheduled before the progress is read would start from a fresh card and
        // later replace what the progress knew.
        if self.answers.store.is_some() && !self.answers.loaded {
            self.status = Some("the study progress is still being read; a moment".to_owned());
            return;
        }
        let (title, notes): (String, Vec<NoteId>) = match kind {
            Action::StudyNote => match self.selected_note() {
                Some(id) => (vault.notes[id].title.clone(), vec![id]),
                None => return,
            },
            Action::StudyDue => ("due today".to_owned(), (0..vault.notes.len()).collect()),
            _ => {
                let title = if self.filter.is_empty() {
                    "all notes".to_owned()
                } else {
                    self.filter
                        .tags
                        .iter()
                        .map(|t| format!("#{t}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                (title, self.list.visible().to_vec())
            }
        };
        let due = kind == Action::StudyDue;
        self.status = Some("gathering the questions…".to_owned());
        let serial = crate::tui::msg::serial();
        self.study_asked = Some((serial, kind));
        self.effects.push(Effect::Job(Job::Questions(QuestionsJob {
            serial,
            vault,
            generation: self.catalog.generation,
            notes,
            title,
            due,
            progress: self.answers.progress.clone(),
            now: self.now(),
            days: self.days.clone(),
            limits: self.study.limits,
        })));
    }

    /// The questions of a session asked for arrived: the session starts (unless a reload
    /// came in between: its ids would be another catalog's).
    pub(super) fn begin_study(&mut self, q: QuestionsDone) {
        // Only the newest request counts (an older one's answer would replace it).
        let Some((_, kind)) = self.study_asked.take_if(|(s, _)| *s == q.serial) else {
            return;
        };
        if q.generation != self.catalog.generation {
            // The vault was read again meanwhile: the questions are gathered from it again.
            self.start_study(kind);
            return;
        }
        let p = &q.planned;
        if p.questions.is_empty() {
            self.status = Some(if p.waiting() > 0 {
                format!(
                    "today's limits are reached ({} new, {} reviews a day): {} wait for tomorrow",
                    p.limits.new_per_day,
                    p.limits.reviews_per_day,
                    p.waiting()
                )
            } else if q.due {
                "nothing is due today".to_owned()
            } else {
                "no questions here".to_owned()
            });
            return;
        }
        let said = (p.waiting() > 0).then(|| {
            format!(
                "{} questions today (at most {} new, {} reviews a day); {} more wait",
                p.questions.len(),
                p.limits.new_per_day,
                p.limits.reviews_per_day,
                p.waiting()
            )
        });
        self.study.start(q.title, q.planned, self.now());
        if self.popup.is_none() {
            self.status = said;
            self.popup = Some(Popup::Study);
        } else {
            // Something else was opened while the questions were gathered: not taken over.
            self.status = Some("the study session is ready: s opens it".to_owned());
        }
    }

    pub(super) fn picker_len(&self) -> usize {
        match &self.popup {
            Some(Popup::Outline(_)) => self
                .content
                .shown()
                .map_or(0, |c| c.rendered.headings.len()),
            Some(Popup::Backlinks { of, .. }) => self
                .catalog
                .note_at(of)
                .map_or(0, |id| self.catalog.vault.backlinks[id].len()),
            Some(Popup::Choose { paths, .. }) => paths.len(),
            _ => 0,
        }
    }

    /// Takes the picker's choice.
    pub(super) fn pick(&mut self) {
        match self.popup.take() {
            Some(Popup::Outline(i)) => {
                if let Some(h) = self
                    .content
                    .shown()
                    .and_then(|c| c.rendered.headings.get(i))
                {
                    let line = h.line;
                    self.content.jump(line);
                    self.focus = Pane::Content;
                }
            }
            Some(Popup::Backlinks { of, cursor }) => {
                let vault = &self.catalog.vault;
                let from = self
                    .catalog
                    .note_at(&of)
                    .and_then(|id| vault.backlinks[id].get(cursor).copied());
                if let Some(from) = from {
                    self.visit(from, None);
                }
            }
            Some(Popup::Choose { paths, cursor, .. }) => {
                if let Some(id) = paths.get(cursor).and_then(|p| self.catalog.note_at(p)) {
                    self.visit_from_map(id);
                }
            }
            other => self.popup = other,
        }
    }
}
