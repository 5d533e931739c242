//! The app: the panes and popups, and the one [`App::update`] every change goes through. It
//! routes a message to the popup or pane it concerns, then [`App::derive`]s what follows from
//! it (the visible list, the tag rows, what to read or lay out next) in one place. It does no
//! I/O and never waits: work goes out as [`Effect`]s and comes back as [`Msg`]s.
//!
//! Note ids are only kept within one catalog generation; when another catalog arrives,
//! [`App::take_catalog`] carries over what still makes sense (by path) and drops the rest.

use std::sync::Arc;

use crossterm::event::{KeyEventKind, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::keymap::{self, Context, Resolved};
use super::msg::{Effect, Job, Loading, Msg, SaveJob};
use super::panes::content::ContentPane;
use super::panes::diagram::{DiagramPane, NoteDiagrams};
use super::panes::list::ListPane;
use super::panes::tags::TagsPane;
use super::panes::{Cx, Pane};
use super::popups::study::{Outcome, Study, StudyCx};
use super::popups::{self, Popup, Scroll, search::SearchPopup};
use super::ui::{self, Status, View};
use crate::catalog::Catalog;
use crate::markdown::LinkTarget;
use crate::sanitize;
use crate::search::Searcher;
use crate::study::store::Store;
use crate::study::{self, Progress};
use crate::style::Styles;
use crate::tags::{Combine, TagFilter};
use crate::time::Days;
use crate::vault::{NoteId, Problem, ProblemKind, Resolved as LinkResolved, Vault, same_tag};

/// Notes visited before (by path), for going back, and after, for going forward.
#[derive(Debug, Default)]
struct History {
    back: Vec<String>,
    forward: Vec<String>,
}

/// What is known of the user's answers, and where it is kept.
#[derive(Default)]
struct Answers {
    progress: Progress,
    store: Option<Arc<Store>>,
    /// Answers given (counts up), and the last one known saved.
    rev: u64,
    saved: u64,
}

pub struct App {
    catalog: Catalog,
    searcher: Searcher,
    focus: Pane,
    popup: Option<Popup>,
    zoom: bool,
    filter: TagFilter,
    /// Counts changes of `filter`, for what is derived from it.
    filter_rev: u64,
    list: ListPane,
    content: ContentPane,
    diagram: DiagramPane,
    tags: TagsPane,
    history: History,
    study: Study,
    answers: Answers,
    /// Notes the renderer failed on (the vault's own problems are the catalog's).
    render_problems: Vec<Problem>,
    status: Option<String>,
    loading: Option<Loading>,
    size: (u16, u16),
    /// The content width last rendered for (used while the pane is off screen).
    content_width: u16,
    quit: bool,
    color: bool,
    now: i64,
    days: Days,
    /// An action to apply once the vault is fully read (`vaultscope study`).
    after_load: Option<Action>,
    effects: Vec<Effect>,
    /// Something changed since the last frame.
    dirty: bool,
    /// Changes on disk are watched (else an edit is followed by a reload).
    watching: bool,
}

impl App {
    /// The app on `vault`, indexed here (the explorer hands it catalogs built by the loader).
    pub fn new(vault: Vault, size: (u16, u16)) -> App {
        App::with_catalog(Catalog::build(vault), size)
    }

    pub fn with_catalog(catalog: Catalog, size: (u16, u16)) -> App {
        let mut app = App {
            catalog,
            searcher: Searcher::default(),
            focus: Pane::List,
            popup: None,
            zoom: false,
            filter: TagFilter::default(),
            filter_rev: 0,
            list: ListPane::default(),
            content: ContentPane::default(),
            diagram: DiagramPane::default(),
            tags: TagsPane::default(),
            history: History::default(),
            study: Study::default(),
            answers: Answers::default(),
            render_problems: Vec::new(),
            status: None,
            loading: None,
            size,
            content_width: 80,
            quit: false,
            color: false,
            now: crate::time::now(),
            days: Days::local(),
            after_load: None,
            effects: Vec::new(),
            dirty: true,
            watching: false,
        };
        app.derive();
        app
    }

    // Setting up (before the first message).

    /// Colours on or off for the content (the panes take theirs from the styles drawn with).
    pub fn set_color(&mut self, color: bool) {
        self.color = color;
    }

    /// Now, for the ages in a note's header and the study schedule (fixed in tests).
    pub fn set_now(&mut self, now: i64) {
        self.now = now;
    }

    /// Where study progress is kept; it is read by a worker.
    pub fn keep_progress_in(&mut self, store: Store) {
        let store = Arc::new(store);
        self.effects
            .push(Effect::Job(Job::LoadProgress(Arc::clone(&store))));
        self.answers.store = Some(store);
    }

    /// An action to apply once the vault is fully read.
    pub fn after_load(&mut self, action: Action) {
        self.after_load = Some(action);
    }

    // Reading the state (the loop, tests, benchmarks).

    pub fn vault(&self) -> &Vault {
        &self.catalog.vault
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn selected_note(&self) -> Option<NoteId> {
        self.list.selected_note()
    }

    pub fn list(&self) -> &ListPane {
        &self.list
    }

    pub fn content(&self) -> &ContentPane {
        &self.content
    }

    pub fn diagram(&self) -> &DiagramPane {
        &self.diagram
    }

    pub fn tags(&self) -> &TagsPane {
        &self.tags
    }

    pub fn study(&self) -> &Study {
        &self.study
    }

    pub fn progress(&self) -> &Progress {
        &self.answers.progress
    }

    pub fn popup(&self) -> Option<&Popup> {
        self.popup.as_ref()
    }

    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    pub fn loading(&self) -> Option<Loading> {
        self.loading
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn now(&self) -> i64 {
        self.now
    }

    pub fn quit(&self) -> bool {
        self.quit
    }

    /// Whether changes on disk are watched.
    pub fn watching(&self) -> bool {
        self.watching
    }

    /// The inner sizes of the panes on screen now.
    pub fn view(&self) -> View {
        View::of(self.screen(), self.zoom, self.focus)
    }

    /// The note diagrams of the shown note, for the diagram pane.
    pub fn note_diagrams(&self) -> Option<NoteDiagrams<'_>> {
        let path = &self.catalog.vault.notes.get(self.selected_note()?)?.path;
        let c = self.content.shown_for(path)?;
        Some(NoteDiagrams {
            read_serial: c.read_serial,
            diagrams: &c.diagrams,
        })
    }

    /// The work asked for since the last call.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Whether anything changed since the last frame (and forgets it: a frame follows).
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// The rendering of the selected note is asked for and not here yet.
    pub fn awaits_content(&self) -> bool {
        self.selected_note()
            .and_then(|id| self.catalog.vault.notes.get(id))
            .is_some_and(|n| self.content.shown_for(&n.path).is_none())
    }

    /// Answers not yet saved: the store and what to save, for saving on the way out.
    pub fn unsaved(&self) -> Option<(Arc<Store>, Progress)> {
        let a = &self.answers;
        (a.rev > a.saved)
            .then(|| a.store.clone().map(|s| (s, a.progress.clone())))
            .flatten()
    }

    /// The key context: the popup's, else the focused pane's.
    pub fn context(&self) -> Context {
        self.popup
            .as_ref()
            .map_or(Context::Pane(self.focus), Popup::context)
    }

    fn screen(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    fn selected_path(&self) -> Option<&str> {
        let id = self.selected_note()?;
        self.catalog.vault.notes.get(id).map(|n| n.path.as_str())
    }

    /// Applies a message, then brings everything derived from the state up to date.
    pub fn update(&mut self, msg: Msg) {
        self.dirty = true;
        match msg {
            Msg::Key(key) => {
                if key.kind == KeyEventKind::Release {
                    self.dirty = false;
                    return;
                }
                self.status = None;
                match keymap::resolve(self.context(), &key) {
                    Some(Resolved::Action(a)) => self.on_action(a),
                    Some(Resolved::Text(c)) => self.on_text(c),
                    None => {}
                }
            }
            Msg::Mouse(m) => self.on_mouse(&m),
            Msg::Resize(w, h) => self.size = (w, h),
            Msg::Action(a) => self.on_action(a),
            Msg::Loading(l) => self.loading = Some(l),
            Msg::Loaded {
                catalog,
                initial,
                next,
            } => self.take_catalog(catalog, initial, next),
            Msg::LoadFailed(e) => {
                self.loading = None;
                self.status = Some(format!("cannot read the vault: {e}"));
            }
            Msg::Watching(Ok(())) => self.watching = true,
            Msg::Watching(Err(e)) => {
                self.watching = false;
                self.status = Some(format!(
                    "not watching the vault for changes ({e}); press r to read it again"
                ))
            }
            Msg::Content(done) => {
                if let Some(taken) = self.content.take(*done) {
                    if taken.new_note {
                        self.diagram.new_note();
                    }
                    if let Some(s) = self.content.after_render() {
                        self.status = Some(s);
                    }
                    self.note_render_failure();
                }
            }
            Msg::Drawn(d) => self.diagram.take_drawings(*d),
            Msg::Map(m) => self.diagram.take_map(*m),
            Msg::ProgressLoaded(Ok((p, warning))) => {
                self.answers.progress.merge(p);
                if warning.is_some() {
                    self.status = warning;
                }
            }
            Msg::ProgressLoaded(Err(e)) => {
                self.answers.store = None;
                self.status = Some(format!("study progress not kept: {e}"));
            }
            Msg::Saved { rev, result } => match result {
                Ok((merged, warning)) => {
                    self.answers.progress.merge(merged);
                    self.answers.saved = self.answers.saved.max(rev);
                    if warning.is_some() {
                        self.status = warning;
                    }
                }
                Err(e) => self.status = Some(format!("cannot save study progress: {e}")),
            },
            Msg::Overview(o) => {
                if let Some(Popup::Progress(_, slot)) = &mut self.popup {
                    *slot = Some(o);
                }
            }
            Msg::EditorDone(outcome) => {
                self.status = outcome.err();
                // Show the note as saved now; the vault (its title, tags, links) is read
                // again by the watcher, or by the loop when there is none.
                self.content.invalidate();
            }
            Msg::Failed(why) | Msg::Notice(why) => self.status = Some(why),
            Msg::Stop => self.quit = true,
        }
        self.derive();
    }

    /// Brings what is derived from the state up to date: the list and tag rows for the
    /// catalog and filter, the cursors inside their panes, the search hits for the query, and
    /// the jobs for what the panes need next.
    fn derive(&mut self) {
        let view = self.view();
        self.list.sync(&self.catalog, &self.filter, self.filter_rev);
        self.list.fit(view.list_rows);
        self.tags.sync(&self.catalog);
        self.tags.fit(view.tag_rows);
        if let Some(Popup::Search(s)) = &mut self.popup {
            s.refresh(&mut self.searcher, &self.catalog);
        }
        let width = view.content_cols.unwrap_or(self.content_width).max(1);
        self.content_width = width;
        match self.selected_note() {
            Some(id) => {
                if let Some(job) =
                    self.content
                        .want(&self.catalog, id, width, (self.color, self.now))
                {
                    self.effects.push(Effect::Job(Job::Content(job)));
                }
            }
            None => self.content.clear(),
        }
        self.content.refind();
        self.content.clamp(view.content_rows);
        if let Some(job) =
            self.diagram
                .want_map(&self.catalog, self.list.visible(), self.filter_rev)
        {
            self.effects.push(Effect::Job(Job::Map(job)));
        }
        let note = self.note_diagrams_owned();
        if let Some(job) = self.diagram.want_drawings(&note.as_ref().map(|n| n.view())) {
            self.effects.push(Effect::Job(Job::Draw(job)));
        }
        self.diagram.fit(
            view.diagram_cols,
            view.diagram_rows,
            &note.as_ref().map(|n| n.view()),
        );
        // Overlays stay inside their text.
        let screen = self.screen();
        let problems = self.problems().len();
        match &mut self.popup {
            Some(Popup::Help(s)) => {
                let (lines, rows) = popups::help::extent(screen);
                s.clamp(lines, rows);
            }
            Some(Popup::Problems(s)) => s.clamp(problems, popups::problems::rows(screen)),
            _ => {}
        }
    }

    /// The shown note's diagrams, owned (cheap: shared graphs), so the diagram pane can be
    /// changed while they are read.
    fn note_diagrams_owned(&self) -> Option<OwnedDiagrams> {
        self.note_diagrams().map(|n| OwnedDiagrams {
            read_serial: n.read_serial,
            diagrams: n.diagrams.to_vec(),
        })
    }

    /// Takes a freshly loaded catalog, keeping what still makes sense: the selected note (by
    /// path) with its scroll, the tag filter, the expanded tags, an open search, the study
    /// session (its questions found again by path), the history (paths). Everything holding
    /// note ids of the old catalog is remapped or closed here.
    fn take_catalog(&mut self, catalog: Catalog, initial: bool, next: Option<&'static str>) {
        let keep = self.selected_path().map(str::to_owned);
        let study_paths = self.study.paths(&self.catalog.vault);
        let old = std::mem::replace(&mut self.catalog, catalog);
        // Freeing a large vault takes a while: not on the loop.
        self.effects.push(Effect::Dispose(Box::new(old)));
        self.searcher.reset();
        self.list
            .keep_on_reload(keep.and_then(|p| self.catalog.note_at(&p)));
        self.diagram.forget_map();
        if !self.study.remap(&study_paths, &self.catalog.vault) {
            self.status = Some("the question's note changed on disk: the session ended".to_owned());
        }
        match &mut self.popup {
            Some(Popup::Search(s)) => s.invalidate(),
            Some(Popup::Choose { paths, cursor }) => {
                paths.retain(|p| self.catalog.note_at(p).is_some());
                *cursor = (*cursor).min(paths.len().saturating_sub(1));
                if paths.is_empty() {
                    self.popup = None;
                    self.status = Some("the notes to choose from are gone".to_owned());
                }
            }
            Some(Popup::Backlinks { of, .. }) if self.catalog.note_at(of).is_none() => {
                self.popup = None;
                self.status = Some("the note is gone".to_owned());
            }
            _ => {}
        }
        let notes = &self.catalog.vault.notes;
        self.render_problems
            .retain(|p| notes.iter().any(|n| n.path == p.path));
        self.loading = next.map(|stage| Loading {
            stage,
            read: 0,
            found: 0,
        });
        if next.is_none() {
            if initial {
                if let Some(a) = self.after_load.take() {
                    self.derive();
                    self.on_action(a);
                }
            } else {
                self.status = Some(format!(
                    "read the vault again: {} notes",
                    self.catalog.vault.notes.len()
                ));
            }
        }
    }

    /// The problems to list: the vault's, and the notes the renderer failed on.
    fn problems(&self) -> Vec<&Problem> {
        let mut all: Vec<&Problem> = self.catalog.vault.problems.iter().collect();
        all.extend(&self.render_problems);
        all
    }

    /// A renderer failure is shown as plain text, and listed with the vault's problems.
    fn note_render_failure(&mut self) {
        let Some(c) = self.content.shown() else {
            return;
        };
        let Some(why) = &c.rendered.failure else {
            return;
        };
        let path = c.path.clone();
        let why = why.clone();
        if !self
            .render_problems
            .iter()
            .any(|p| p.kind == ProblemKind::Render && p.path == path)
        {
            self.render_problems
                .push(Problem::new(path, None, ProblemKind::Render, why.clone()));
        }
        self.status = Some(format!("this note could not be rendered: {why}"));
    }

    fn on_text(&mut self, c: char) {
        match &mut self.popup {
            Some(Popup::Search(s)) => s.edit(|q| q.push(c)),
            Some(Popup::Find) => self.content.edit_find(|q| q.push(c)),
            Some(Popup::Study) => {
                let outcome = self.study.on_text(
                    c,
                    &self.catalog.vault,
                    &mut self.answers.progress,
                    self.now,
                );
                self.on_study(outcome);
            }
            _ => {}
        }
    }

    fn on_action(&mut self, action: Action) {
        let screen = self.screen();
        match &mut self.popup {
            Some(Popup::Help(s)) => {
                let (lines, rows) = popups::help::extent(screen);
                if !s.on_action(action, lines, rows) {
                    self.on_overlay_key(action);
                }
                return;
            }
            Some(Popup::Problems(s)) => {
                let lines = self.catalog.vault.problems.len() + self.render_problems.len();
                if !s.on_action(action, lines, popups::problems::rows(screen)) {
                    self.on_overlay_key(action);
                }
                return;
            }
            Some(Popup::Progress(s, _)) => {
                if !s.on_action(action, 0, 0) {
                    self.on_overlay_key(action);
                }
                return;
            }
            _ => {}
        }
        let page = self.view().page(self.focus);
        match action {
            Action::Quit => self.quit = true,
            Action::Suspend => self.effects.push(Effect::Suspend),
            Action::Reload => self.effects.push(Effect::Reload),
            Action::Edit => match self.selected_note() {
                Some(id) => self
                    .effects
                    .push(Effect::Edit(self.catalog.vault.notes[id].file.clone())),
                None => self.status = Some("no note selected to edit".to_owned()),
            },
            Action::NextPane => self.focus = self.focus.step(1),
            Action::PrevPane => self.focus = self.focus.step(-1),
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
                    now: self.now,
                    days: self.days.clone(),
                }));
            }
            Action::ClosePopup => self.popup = None,
            Action::OpenSearch => {
                self.searcher.reset();
                self.popup = Some(Popup::Search(SearchPopup::new(self.catalog.generation)));
            }
            Action::SearchBackspace => {
                if let Some(Popup::Search(s)) = &mut self.popup {
                    s.edit(|q| {
                        q.pop();
                    });
                }
            }
            Action::SearchNext | Action::SearchPrev => {
                if let Some(Popup::Search(s)) = &mut self.popup {
                    s.refresh(&mut self.searcher, &self.catalog);
                    s.step(action == Action::SearchNext);
                }
            }
            Action::SearchAccept => {
                let chosen = match &mut self.popup {
                    Some(Popup::Search(s)) => {
                        s.refresh(&mut self.searcher, &self.catalog);
                        s.chosen(self.catalog.generation)
                    }
                    _ => None,
                };
                self.popup = None;
                if let Some(note) = chosen {
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
            Action::StudySpace => self.study.space(&self.catalog.vault, self.now),
            Action::StudyNext => self.study.next(self.now),
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
                    now: self.now,
                };
                self.study.scroll_by(by, &cx, screen);
            }
            Action::StudyGoToNote => {
                let outcome = self.study.go_to_note();
                self.on_study(outcome);
            }
            Action::StudyEnd => {
                let outcome = self.study.end(self.now);
                self.on_study(outcome);
            }
            Action::StudyRetry => self.study.retry(self.now),
        }
    }

    /// An overlay's key that is not a scroll: quitting and suspending work, anything else
    /// closes it.
    fn on_overlay_key(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::Suspend => self.effects.push(Effect::Suspend),
            _ => self.popup = None,
        }
    }

    fn study_cx(&self, styles: Styles) -> StudyCx<'_> {
        StudyCx {
            vault: &self.catalog.vault,
            styles,
            now: self.now,
        }
    }

    fn on_study(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Nothing => {}
            Outcome::Answered => {
                self.answers.rev += 1;
                if let Some(store) = &self.answers.store {
                    self.effects.push(Effect::Job(Job::Save(SaveJob {
                        store: Arc::clone(store),
                        progress: self.answers.progress.clone(),
                        rev: self.answers.rev,
                    })));
                }
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
    fn start_study(&mut self, kind: Action) {
        if self.study.in_progress() {
            self.popup = Some(Popup::Study);
            return;
        }
        let vault = Arc::clone(&self.catalog.vault);
        if vault.depth != crate::vault::Depth::Full {
            self.status = Some("the questions are still being read; a moment".to_owned());
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
        let mut qs = study::questions(&vault, &notes);
        if kind == Action::StudyDue {
            let due: std::collections::HashSet<String> =
                study::due(&qs, &self.answers.progress, self.now)
                    .into_iter()
                    .map(|q| q.id.clone())
                    .collect();
            qs.retain(|q| due.contains(&q.id));
        }
        if qs.is_empty() {
            self.status = Some(match kind {
                Action::StudyDue => "nothing is due today".to_owned(),
                _ => "no questions here".to_owned(),
            });
            return;
        }
        self.study.start(title, qs, self.now);
        self.popup = Some(Popup::Study);
    }

    fn picker_len(&self) -> usize {
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
    fn pick(&mut self) {
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
            Some(Popup::Choose { paths, cursor }) => {
                if let Some(id) = paths.get(cursor).and_then(|p| self.catalog.note_at(p)) {
                    self.visit(id, None);
                }
            }
            other => self.popup = other,
        }
    }

    /// Opens `note` as a visit: the note shown now goes on the back history.
    fn visit(&mut self, note: NoteId, heading: Option<String>) {
        if let Some(cur) = self.selected_note()
            && cur != note
        {
            let path = self.catalog.vault.notes[cur].path.clone();
            self.history.back.push(path);
            self.history.forward.clear();
        }
        self.open_note(note);
        self.content.show_heading(heading);
        // The note is shown already (a link to a heading of its own): go there now; else when
        // its rendering arrives.
        let path = &self.catalog.vault.notes[note].path;
        if self.content.shown_for(path).is_some()
            && let Some(s) = self.content.after_render()
        {
            self.status = Some(s);
        }
    }

    fn go_history(&mut self, back: bool) {
        let current = self.selected_path().map(str::to_owned);
        let h = &mut self.history;
        let (from, to) = if back {
            (&mut h.back, &mut h.forward)
        } else {
            (&mut h.forward, &mut h.back)
        };
        let Some(path) = from.pop() else {
            self.status = Some(format!(
                "nothing {}",
                if back {
                    "to go back to"
                } else {
                    "to go forward to"
                }
            ));
            return;
        };
        if let Some(cur) = current {
            to.push(cur);
        }
        match self.catalog.note_at(&path) {
            Some(id) => self.open_note(id),
            None => self.status = Some(format!("{} is gone", sanitize::line(&path))),
        }
    }

    /// Selects a note in the list, clearing the tag filter if it hides the note.
    fn open_note(&mut self, note: NoteId) {
        if !self.list.select(note) {
            self.filter.tags.clear();
            self.filter_rev += 1;
            self.list.sync(&self.catalog, &self.filter, self.filter_rev);
            self.list.select(note);
            self.status = Some("tag filter cleared to show the note".to_owned());
        }
        self.focus = Pane::Content;
    }

    /// Follows the chosen link: a wikilink opens its note (at its heading); others say where
    /// they point.
    fn follow_link(&mut self) {
        let Some(target) = self.content.chosen_link().cloned() else {
            self.status = Some("no link chosen: ] and [ pick one".to_owned());
            return;
        };
        match target {
            LinkTarget::Url(url) => {
                self.status = Some(format!("a link out of the vault: {}", sanitize::line(&url)));
            }
            LinkTarget::Wiki { note, heading, .. } if note.trim().is_empty() => {
                if let Some(id) = self.selected_note() {
                    self.visit(id, heading);
                }
            }
            LinkTarget::Wiki { note, heading, .. } => {
                let Some(cur) = self.selected_note() else {
                    return;
                };
                let key = note.trim().to_lowercase();
                let resolved = self.catalog.vault.notes[cur]
                    .links
                    .iter()
                    .find(|l| l.raw.target.trim().to_lowercase() == key)
                    .map(|l| l.resolved.clone());
                match resolved {
                    Some(LinkResolved::Note(id)) => self.visit(id, heading),
                    Some(LinkResolved::Attachment(p)) => {
                        self.status = Some(format!("{} is an attachment", sanitize::line(&p)));
                    }
                    _ => {
                        self.status =
                            Some(format!("no note is called {:?}", sanitize::line(&note)));
                    }
                }
            }
        }
    }

    /// Opens the note the node under the cursor names: at once when one does, from a list
    /// when several do.
    fn open_node(&mut self) {
        let note = self.note_diagrams_owned();
        let Some(label) = self.diagram.node_label(&note.as_ref().map(|n| n.view())) else {
            self.status = Some("no node chosen: the arrow keys walk the diagram".to_owned());
            return;
        };
        // On the map, the notes whose diagrams draw the node; else the notes it names.
        let found: Vec<NoteId> = match self.diagram.map_notes(&self.catalog) {
            Some(ids) => ids.to_vec(),
            None if self.diagram.showing_map() => Vec::new(),
            None => {
                crate::diagram::notes_for_label(&self.catalog.vault, &self.catalog.search, &label)
            }
        };
        match found.as_slice() {
            [] => {
                self.status = Some(format!(
                    "no note is about {:?}",
                    sanitize::line(&label.replace('\n', " "))
                ))
            }
            [one] => self.visit(*one, None),
            _ => {
                let paths = found
                    .iter()
                    .map(|&id| self.catalog.vault.notes[id].path.clone())
                    .collect();
                self.popup = Some(Popup::Choose { paths, cursor: 0 });
            }
        }
    }

    fn move_by(&mut self, pane: Pane, delta: isize) {
        // The cursor stops at the last item; a scroll stops where the last line is at the
        // bottom of the pane (kept there by `derive`).
        match pane {
            Pane::List => self.list.move_by(delta),
            Pane::Tags => self.tags.move_by(delta),
            Pane::Content => self.content.scroll_by(delta),
            Pane::Diagram => {
                let note = self.note_diagrams_owned();
                self.diagram
                    .move_by(delta, &note.as_ref().map(|n| n.view()));
            }
        }
    }

    /// A click focuses the pane under the pointer and picks the row under it; the wheel
    /// scrolls the pane under the pointer.
    fn on_mouse(&mut self, mouse: &MouseEvent) {
        if self.popup.is_some() {
            return;
        }
        let (panes, _) = ui::layout(self.screen(), self.zoom, self.focus);
        let pos = Position::new(mouse.column, mouse.row);
        let Some(&(pane, rect)) = panes.iter().find(|(_, r)| r.contains(pos)) else {
            return;
        };
        let inside = mouse.row > rect.y && mouse.row + 1 < rect.bottom();
        match mouse.kind {
            MouseEventKind::Down(_) => {
                self.focus = pane;
                // A click on the border only focuses.
                if inside {
                    self.click(pane, usize::from(mouse.row - rect.y - 1));
                }
            }
            MouseEventKind::ScrollDown => self.move_by(pane, 3),
            MouseEventKind::ScrollUp => self.move_by(pane, -3),
            _ => self.dirty = false,
        }
    }

    /// A click on the `row`th row inside `pane`.
    pub fn click(&mut self, pane: Pane, row: usize) {
        let view = self.view();
        self.focus = pane;
        match pane {
            Pane::List => self.list.click(row, view.list_rows),
            Pane::Tags => self.tags.click(row, view.tag_rows),
            _ => {}
        }
        self.derive();
    }

    /// Draws the whole screen from the state.
    pub fn draw(&self, frame: &mut Frame, styles: Styles) {
        let area = frame.area();
        let cx = Cx {
            catalog: &self.catalog,
            styles,
            focus: self.focus,
            filter: &self.filter,
            loading: self.loading.is_some(),
        };
        let (panes, status) = ui::layout(area, self.zoom, self.focus);
        let note = self.note_diagrams();
        for (pane, rect) in panes {
            match pane {
                Pane::List => self.list.render(frame, rect, &cx),
                Pane::Content => self.content.render(frame, rect, &cx, self.selected_path()),
                Pane::Diagram => self.diagram.render(frame, rect, &cx, &note),
                Pane::Tags => self.tags.render(frame, rect, &cx),
            }
        }
        let find = match (&self.popup, self.content.find()) {
            (Some(Popup::Find), Some(f)) => Some((f.query.as_str(), f.matches.len())),
            _ => None,
        };
        let problems = self.problems();
        ui::draw_status(
            frame,
            status,
            styles,
            &Status {
                context: self.context(),
                find,
                message: self.status.as_deref(),
                loading: self.loading,
                problems: problems.len(),
            },
        );
        match &self.popup {
            Some(Popup::Search(s)) => s.render(frame, area, &cx),
            Some(Popup::Help(s)) => popups::help::render(frame, area, styles, s.offset),
            Some(Popup::Problems(s)) => {
                popups::problems::render(frame, area, styles, &problems, s.offset)
            }
            Some(Popup::Progress(s, o)) => {
                popups::progress::render(frame, area, styles, o.as_deref(), s.offset)
            }
            Some(Popup::Outline(i)) => {
                if let Some(c) = self.content.shown() {
                    popups::picker::render_outline(frame, area, styles, &c.rendered.headings, *i);
                }
            }
            Some(Popup::Backlinks { of, cursor }) => {
                let vault = &self.catalog.vault;
                if let Some(id) = self.catalog.note_at(of) {
                    let notes: Vec<_> = vault.backlinks[id]
                        .iter()
                        .filter_map(|&n| vault.notes.get(n))
                        .collect();
                    popups::picker::render_notes(
                        frame,
                        area,
                        styles,
                        "Linking here",
                        &notes,
                        *cursor,
                    );
                }
            }
            Some(Popup::Choose { paths, cursor }) => {
                let vault = &self.catalog.vault;
                let notes: Vec<_> = paths
                    .iter()
                    .filter_map(|p| vault.notes.get(self.catalog.note_at(p)?))
                    .collect();
                let title = "Notes about this node";
                popups::picker::render_notes(frame, area, styles, title, &notes, *cursor);
            }
            Some(Popup::Study) => self.study.render(frame, area, &self.study_cx(styles)),
            Some(Popup::Find) | None => {}
        }
        ui::mend_split_wide_chars(frame.buffer_mut());
    }
}

/// The shown note's diagrams, shared.
struct OwnedDiagrams {
    read_serial: u64,
    diagrams: Vec<Arc<crate::diagram::Graph>>,
}

impl OwnedDiagrams {
    fn view(&self) -> NoteDiagrams<'_> {
        NoteDiagrams {
            read_serial: self.read_serial,
            diagrams: &self.diagrams,
        }
    }
}
