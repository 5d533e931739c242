//! The app: the panes and popups, and the one [`App::update`] every change goes through. It
//! routes a message to the popup or pane it concerns, then `derive`s what follows from
//! it (the visible list, the tag rows, what to read or lay out next) in one place. It does no
//! I/O and never waits: work goes out as [`Effect`]s and comes back as [`Msg`]s.
//!
//! Note ids are only kept within one catalog generation; when another catalog arrives,
//! `App::take_catalog` carries over what still makes sense (by path) and drops the rest.

mod actions;
mod draw;
mod nav;

use std::sync::Arc;

use crossterm::event::KeyEventKind;
use ratatui::layout::Rect;

use super::action::Action;
use super::keymap::{self, Context, Resolved};
use super::msg::{Effect, Job, Lane, Loading, Msg, SaveJob};
use super::panes::Pane;
use super::panes::content::ContentPane;
use super::panes::diagram::{DiagramPane, NoteDiagrams};
use super::panes::list::ListPane;
use super::panes::tags::TagsPane;
use super::popups::study::Study;
use super::popups::{self, Popup};
use super::ui::View;
use crate::catalog::Catalog;
use crate::study::store::{News, Store};
use crate::study::{Entry, Progress};
use crate::style::Styles;
use crate::tags::TagFilter;
use crate::time::Days;
use crate::vault::{NoteId, Problem, ProblemKind, Vault};

/// The notes' text of one catalog, for full-text search (see [`crate::search::text`]).
#[derive(Debug, Default)]
struct Texts {
    /// The catalog generation it was read for, and the text once read.
    generation: u64,
    store: Option<Arc<crate::search::text::TextStore>>,
    /// The vault `store` was read for.
    vault: Option<Arc<Vault>>,
    /// A store of an earlier catalog and its vault, for the next store to keep the text of
    /// the files unchanged since.
    previous: Option<(Arc<crate::search::text::TextStore>, Arc<Vault>)>,
    asked: bool,
}

/// Notes visited before (by path), for going back, and after, for going forward.
#[derive(Debug, Default)]
struct History {
    back: Vec<String>,
    forward: Vec<String>,
}

/// What is known of the user's answers, and where it is kept. The whole progress stays here;
/// a save gets only the answers not known saved (a few lines for the journal), never a copy
/// of the whole.
#[derive(Default)]
struct Answers {
    progress: Progress,
    store: Option<Arc<Store>>,
    /// Answers given and not known saved, oldest first, each with its number.
    pending: Vec<(u64, Entry)>,
    /// Answers given (counts up).
    rev: u64,
    /// The progress was read from the store. Saves wait for it: what they learn of other
    /// instances must not be overtaken by an older reading.
    loaded: bool,
    /// Why answers are not being saved (the last save failed, or the store said it will),
    /// shown in the status bar until a save works.
    problem: Option<String>,
    /// Saves (or loads) failed in a row, for the wait before the next try.
    failures: u32,
    /// A retry is on its way ([`Msg::RetrySave`]).
    retrying: bool,
}

/// The longest wait between two tries of a failing save.
const RETRY_AT_MOST: std::time::Duration = std::time::Duration::from_secs(30);

impl Answers {
    /// Says why saving fails, and has it tried again after a wait that doubles with each
    /// failure (1 s, 2 s, 4 s … at most [`RETRY_AT_MOST`]).
    fn failed(&mut self, why: String, effects: &mut Vec<Effect>) {
        let n = self.pending.len();
        self.problem = Some(match n {
            0 => format!("study progress cannot be saved: {why}"),
            1 => format!("1 answer is not saved, trying again: {why}"),
            n => format!("{n} answers are not saved, trying again: {why}"),
        });
        self.failures = self.failures.saturating_add(1);
        if !self.retrying && self.store.is_some() {
            self.retrying = true;
            let wait = std::time::Duration::from_secs(1 << self.failures.min(6).saturating_sub(1))
                .min(RETRY_AT_MOST);
            effects.push(Effect::After(wait, Box::new(Msg::RetrySave)));
        }
    }
}

pub struct App {
    catalog: Catalog,
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
    /// `q` was pressed with answers not saved: the next `q` quits without them.
    quit_asked: bool,
    /// The styles the content is rendered in (the panes take theirs from the styles drawn with).
    styles: Styles,
    /// How notes are shown (highlighting, pictures): the configuration and the flags.
    display: crate::tui::Display,
    /// The terminal's picture protocol, when it has one.
    graphics: Option<crate::tui::graphics::Graphics>,
    /// The time, when fixed (tests, snapshots); else the clock's.
    fixed_now: Option<i64>,
    days: Days,
    /// An action to apply once the vault is fully read (`vaultscope study`).
    after_load: Option<Action>,
    effects: Vec<Effect>,
    /// Something changed since the last frame.
    dirty: bool,
    /// Changes on disk are watched (else an edit is followed by a reload).
    watching: bool,
    /// The session asked for and not gathered yet: its request's serial and kind.
    study_asked: Option<(u64, Action)>,
    /// The bindings in force (the table, or a configuration's remaps of it).
    keymap: Arc<keymap::Keymap>,
    /// Which panes show, and how wide.
    layout: crate::config::LayoutConfig,
    /// The notes' text for full-text search, read when the search popup first opens.
    texts: Texts,
}

impl App {
    /// The app on `vault`, indexed here (the explorer hands it catalogs built by the loader).
    pub fn new(vault: Vault, size: (u16, u16)) -> App {
        App::with_catalog(Catalog::build(vault), size)
    }

    pub fn with_catalog(catalog: Catalog, size: (u16, u16)) -> App {
        let mut app = App {
            catalog,
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
            quit_asked: false,
            styles: Styles::new(false),
            display: crate::tui::Display::default(),
            graphics: None,
            fixed_now: None,
            days: Days::local(),
            after_load: None,
            effects: Vec::new(),
            dirty: true,
            watching: false,
            study_asked: None,
            keymap: Arc::new(keymap::Keymap::default()),
            layout: crate::config::LayoutConfig::default(),
            texts: Texts::default(),
        };
        app.derive();
        app
    }

    // Setting up (before the first message).

    /// Colours on or off for the content (the panes take theirs from the styles drawn with).
    pub fn set_color(&mut self, color: bool) {
        self.set_styles(Styles::themed(color, self.styles.theme()));
    }

    /// The styles (colour and theme) the content is rendered in; draw with the same.
    pub fn set_styles(&mut self, styles: Styles) {
        self.styles = styles;
        self.rerender();
    }

    /// How notes are shown (highlighting; the settings and flags choose).
    pub fn set_display(&mut self, display: crate::tui::Display) {
        self.display = display;
        self.rerender();
    }

    /// Fixes the time (tests and snapshots need the same screen every day): the ages in a
    /// note's header and the study schedule follow it.
    pub fn set_now(&mut self, now: i64) {
        self.fixed_now = Some(now);
        self.rerender();
    }

    /// The shown note is rendered again (for new colours or a new time).
    fn rerender(&mut self) {
        self.content.invalidate();
        self.derive();
    }

    /// Takes a configuration's keys and layout (the theme comes with the styles, see
    /// [`App::set_styles`]); its warnings become the status message.
    pub fn configure(&mut self, settings: &super::Settings) {
        self.set_keymap(settings.keymap.clone());
        self.layout = settings.layout.clone();
        self.set_display(settings.display);
        if !super::ui::shows(&self.layout, self.focus) {
            self.focus = self
                .focus
                .step_within(1, |p| super::ui::shows(&self.layout, p));
        }
        if let Some(first) = settings.warnings.first() {
            // The file's name is enough here (`config.toml:3: ...`): the bar is one line.
            let first = match first.split_once(": ") {
                Some((place, rest)) => {
                    let place = std::path::Path::new(place)
                        .file_name()
                        .map_or(place.into(), |n| n.to_string_lossy());
                    format!("{place}: {rest}")
                }
                None => first.clone(),
            };
            let more = match settings.warnings.len() {
                1 => String::new(),
                n => format!(" (and {} more: `vaultscope config`)", n - 1),
            };
            self.status = Some(format!("{first}{more}"));
        }
        self.derive();
    }

    /// The bindings keys resolve by, and the help and hints show.
    pub fn set_keymap(&mut self, keymap: impl Into<Arc<keymap::Keymap>>) {
        self.keymap = keymap.into();
    }

    /// The bindings in force.
    pub fn keymap(&self) -> &keymap::Keymap {
        &self.keymap
    }

    /// How the content is rendered now.
    fn look(&self) -> crate::tui::panes::content::Look {
        crate::tui::panes::content::Look {
            styles: self.styles,
            highlight: self.display.highlighting(),
            pictures: self.display.images.shows(),
            graphics: self
                .graphics
                .clone()
                .filter(|_| self.display.images.shows()),
            now: self.now(),
        }
    }

    /// The daily limits study sessions keep, and whether options are shuffled.
    pub fn set_study_options(&mut self, limits: crate::study::Limits, shuffle: bool) {
        self.study.limits = limits;
        self.study.shuffle = shuffle;
    }

    /// The time zone study days are counted in (else the system's).
    pub fn set_days(&mut self, days: Days) {
        self.days = days;
    }

    /// Where study progress is kept; it is read by a worker.
    pub fn keep_progress_in(&mut self, store: impl Into<Arc<Store>>) {
        let store = store.into();
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

    /// The notes' text for full-text search, once read for the catalog shown.
    pub fn text_store(&self) -> Option<&crate::search::text::TextStore> {
        self.texts
            .store
            .as_deref()
            .filter(|_| self.texts.generation == self.catalog.generation)
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

    /// Why answers are not being saved, shown until a save works.
    pub fn save_problem(&self) -> Option<&str> {
        self.answers.problem.as_deref()
    }

    pub fn loading(&self) -> Option<Loading> {
        self.loading
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// Now, in seconds since 1970: the fixed time, else the clock's.
    pub fn now(&self) -> i64 {
        self.fixed_now.unwrap_or_else(crate::time::now)
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
        View::of(self.screen(), self.zoom, self.focus, &self.layout)
    }

    /// The note diagrams of the shown note, for the diagram pane.
    pub fn note_diagrams(&self) -> Option<NoteDiagrams<'_>> {
        let path = &self.catalog.vault.notes.get(self.selected_note()?)?.path;
        let c = self.content.shown_for(path)?;
        Some(NoteDiagrams {
            read_serial: c.read_serial,
            diagrams: c.diagrams.graphs(),
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

    /// Answers not yet saved: the store and the answers, for saving on the way out.
    pub fn unsaved(&self) -> Option<(Arc<Store>, Vec<Entry>)> {
        let a = &self.answers;
        let store = a.store.clone().filter(|_| !a.pending.is_empty())?;
        Some((store, a.pending.iter().map(|(_, e)| e.clone()).collect()))
    }

    /// The key context: the popup's, else the focused pane's.
    pub fn context(&self) -> Context {
        match &self.popup {
            Some(p) => p.context(),
            None if self.focus == Pane::Diagram && self.diagram.showing_map() => Context::Map,
            None => Context::Pane(self.focus),
        }
    }

    fn screen(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    /// Where the overlays (help, problems, progress) go: above the status bar, which shows
    /// their keys.
    fn overlay_area(&self) -> Rect {
        let mut area = self.screen();
        area.height = area.height.saturating_sub(1);
        area
    }

    /// Where the study screen goes: the whole screen, less the status bar while saving fails
    /// (that line must stay in sight).
    fn study_area(&self) -> Rect {
        let mut area = self.screen();
        if self.answers.problem.is_some() {
            area.height = area.height.saturating_sub(1);
        }
        area
    }

    fn selected_path(&self) -> Option<&str> {
        let id = self.selected_note()?;
        self.catalog.vault.notes.get(id).map(|n| n.path.as_str())
    }

    /// Applies a message, then brings everything derived from the state up to date.
    pub fn update(&mut self, msg: Msg) {
        self.dirty = true;
        let focus_before = self.focus;
        match msg {
            Msg::Key(key) => {
                if key.kind == KeyEventKind::Release {
                    self.dirty = false;
                    return;
                }
                self.status = None;
                let quit_asked = std::mem::take(&mut self.quit_asked);
                match self.keymap.resolve(self.context(), &key) {
                    Some(Resolved::Action(Action::Quit)) if quit_asked => self.quit = true,
                    Some(Resolved::Action(a)) => self.on_action(a),
                    Some(Resolved::Text(c)) => self.on_text(c),
                    None => {}
                }
            }
            Msg::Mouse(m) => {
                self.on_mouse(&m);
                if !self.dirty {
                    // Pointer motion: nothing changed, nothing to derive.
                    return;
                }
            }
            Msg::Resize(w, h) => self.size = super::term::cap(w, h),
            Msg::Action(a) => self.on_action(a),
            Msg::Loading(l) => self.loading = Some(l),
            Msg::Loaded {
                catalog,
                initial,
                next,
            } => self.take_catalog(catalog, initial, next),
            // The search popup's jobs are asked for by `derive`, now that they can be.
            Msg::SearchIndexed(_) => {}
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
                    self.land_diagram();
                    if let Some(s) = self.content.after_render() {
                        self.status = Some(s);
                    }
                    self.note_render_failure();
                }
            }
            Msg::Drawn(d) => self.diagram.take_drawings(*d),
            Msg::Map(m) => {
                if let Some(why) = &m.failure {
                    self.status = Some(format!("the map could not be built: {why}"));
                }
                self.diagram.take_map(*m);
            }
            Msg::ProgressLoaded(Ok(loaded)) => {
                self.take_progress(loaded.progress);
                self.answers.loaded = true;
                if loaded.warning.is_some() {
                    self.status = loaded.warning;
                }
                if let Some(why) = loaded.cannot_save {
                    // Said until a save works; tried when there is something to save.
                    self.answers.problem = Some(format!("study progress cannot be saved: {why}"));
                }
                self.save_answers();
            }
            Msg::ProgressLoaded(Err(e)) => {
                // Answers are kept here meanwhile, and reading is tried again.
                self.answers
                    .failed(format!("cannot read the progress: {e}"), &mut self.effects);
            }
            Msg::RetrySave => {
                self.answers.retrying = false;
                match &self.answers.store {
                    Some(store) if !self.answers.loaded => self
                        .effects
                        .push(Effect::Job(Job::LoadProgress(Arc::clone(store)))),
                    _ => self.save_answers(),
                }
            }
            Msg::Saved { rev, result } => match result {
                Ok(synced) => {
                    match synced.news {
                        News::Entries(theirs) => {
                            for e in &theirs {
                                self.answers.progress.apply(e);
                            }
                        }
                        News::Whole(p) => self.take_progress(p),
                    }
                    self.answers.pending.retain(|(r, _)| *r > rev);
                    self.answers.problem = None;
                    self.answers.failures = 0;
                    if std::mem::take(&mut self.quit_asked) {
                        // The question is moot now.
                        self.status = None;
                    }
                    if synced.warning.is_some() {
                        self.status = synced.warning;
                    }
                }
                Err(e) => self.answers.failed(e, &mut self.effects),
            },
            Msg::Hits(h) => {
                if let Some(Popup::Search(s)) = &mut self.popup {
                    s.take(*h);
                }
            }
            Msg::TextIndexed {
                generation,
                store,
                vault,
            } => {
                if generation == self.catalog.generation {
                    self.texts.store = Some(store);
                    self.texts.vault = Some(vault);
                    self.texts.asked = false;
                } else if let Some(old) = self.texts.previous.replace((store, vault)) {
                    // Read for a catalog replaced meanwhile: it lends its text to the next.
                    self.effects.push(Effect::Dispose(Box::new(old)));
                }
            }
            Msg::TextHits(h) => {
                if let Some(Popup::Search(s)) = &mut self.popup {
                    s.take_text(*h);
                }
            }
            Msg::Questions(q) => self.begin_study(*q),
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
            Msg::Failed { lane, why } => self.on_failure(lane, why),
            Msg::Notice(why) => self.status = Some(why),
            Msg::Graphics(g) => {
                self.graphics = g;
                self.rerender();
            }
            Msg::Stop => self.quit = true,
        }
        self.keep_focus_shown(focus_before);
        self.derive();
    }

    /// A pane the layout leaves out takes no focus: the focus stays where it was, and the
    /// status bar says why.
    fn keep_focus_shown(&mut self, before: Pane) {
        let shown = |p| super::ui::shows(&self.layout, p);
        if shown(self.focus) {
            return;
        }
        let wanted = self.focus;
        self.focus = if shown(before) {
            before
        } else {
            before.step_within(1, shown)
        };
        self.status = Some(format!(
            "the {} pane is off in this layout ([layout] panes in the configuration)",
            format!("{wanted:?}").to_lowercase()
        ));
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
        if matches!(self.popup, Some(Popup::Search(_))) {
            self.derive_search();
        }
        let width = view.content_cols.unwrap_or(self.content_width).max(1);
        self.content_width = width;
        match self.selected_note() {
            Some(id) => {
                if let Some(job) = self.content.want(&self.catalog, id, width, self.look()) {
                    self.effects.push(Effect::Job(Job::Content(job)));
                }
            }
            None => self.content.clear(),
        }
        self.content.refind();
        if let Some(s) = self.content.take_notice() {
            self.status = Some(s);
        }
        self.content.clamp(view.content_rows);
        if let Some(job) =
            self.diagram
                .want_map(&self.catalog, self.list.visible(), self.filter_rev)
        {
            self.effects.push(Effect::Job(Job::Map(job)));
        }
        let note = self.note_diagrams_owned();
        // Fitted first: a new width may make the map's view again, whose drawings are then
        // asked for now (not at the next event).
        self.diagram.fit(
            view.diagram_cols,
            view.diagram_rows,
            &note.as_ref().map(|n| n.view()),
        );
        if let Some(job) = self.diagram.want_drawings(&note.as_ref().map(|n| n.view())) {
            self.effects.push(Effect::Job(Job::Draw(job)));
        }
        self.fit_popup();
    }

    /// Keeps the open popup's scroll and cursor inside what it shows now (a reload or a new
    /// rendering may have shortened it); an outline whose note is gone closes.
    fn fit_popup(&mut self) {
        let overlay = self.overlay_area();
        let problems = self.problems_len();
        let headings = self.content.shown().map(|c| c.rendered.headings.len());
        let backlinks = |of: &str| {
            self.catalog
                .note_at(of)
                .map_or(0, |id| self.catalog.vault.backlinks[id].len())
        };
        let last = |len: usize| len.saturating_sub(1);
        match &mut self.popup {
            Some(Popup::Help(s)) => {
                let (lines, rows) = popups::help::extent(overlay, &self.keymap, &self.layout);
                s.clamp(lines, rows);
            }
            Some(Popup::Problems(s)) => s.clamp(problems, popups::problems::rows(overlay)),
            Some(Popup::Progress(s, o)) => {
                let (lines, rows) = popups::progress::extent(overlay, o.as_deref());
                s.clamp(lines, rows);
            }
            Some(Popup::Outline(i)) => match headings {
                Some(n) if n > 0 => *i = (*i).min(last(n)),
                _ => {
                    self.popup = None;
                    self.status = Some("the outline's note is not shown any more".to_owned());
                }
            },
            Some(Popup::Backlinks { of, cursor }) => *cursor = (*cursor).min(last(backlinks(of))),
            Some(Popup::Choose { paths, cursor, .. }) => *cursor = (*cursor).min(last(paths.len())),
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
        self.list
            .keep_on_reload(keep.and_then(|p| self.catalog.note_at(&p)));
        self.diagram.forget_map();
        if !self.study.remap(&study_paths, &self.catalog.vault) {
            self.status = Some(if self.study.in_progress() {
                "the question's note changed on disk: on to the next question".to_owned()
            } else {
                "the question's note changed on disk: the session ended".to_owned()
            });
        }
        match &mut self.popup {
            Some(Popup::Search(s)) => s.invalidate(),
            Some(Popup::Choose { paths, cursor, .. }) => {
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
        let catalog = &self.catalog;
        self.render_problems
            .retain(|p| catalog.note_at(&p.path).is_some());
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
            } else if self.status.is_none() {
                self.status = Some(format!(
                    "read the vault again: {} notes",
                    self.catalog.vault.notes.len()
                ));
            }
        }
    }

    /// Quits, unless answers are not saved and saving is failing: then the user is asked
    /// first, and a second `q` quits without them.
    pub(super) fn on_quit(&mut self) {
        let a = &self.answers;
        let n = a.pending.len();
        if n == 0 || a.problem.is_none() {
            self.quit = true;
            return;
        }
        self.quit_asked = true;
        self.status = Some(if n == 1 {
            "1 answer is not saved: q again quits without it".to_owned()
        } else {
            format!("{n} answers are not saved: q again quits without them")
        });
    }

    /// Takes the progress as read from the store, with the answers not known saved folded in
    /// again; the old copy is freed off the loop (at 200,000 cards that takes a while).
    fn take_progress(&mut self, read: Progress) {
        let a = &mut self.answers;
        let old = std::mem::replace(&mut a.progress, read);
        for (_, e) in &a.pending {
            a.progress.apply(e);
        }
        self.effects.push(Effect::Dispose(Box::new(old)));
    }

    /// Hands the answers not known saved to the save worker (all of them: a newer save job
    /// replaces one still waiting, and the store skips those it has written already).
    pub(super) fn save_answers(&mut self) {
        let a = &self.answers;
        let Some(store) = a
            .store
            .as_ref()
            .filter(|_| a.loaded && !a.pending.is_empty())
        else {
            return;
        };
        self.effects.push(Effect::Job(Job::Save(SaveJob {
            store: Arc::clone(store),
            entries: a.pending.iter().map(|(_, e)| e.clone()).collect(),
            rev: a.rev,
        })));
    }

    /// The search popup's jobs: the notes' text read once per catalog, then the names or
    /// full-text search for the query.
    fn derive_search(&mut self) {
        let generation = self.catalog.generation;
        if self.texts.generation != generation {
            // The old text is kept for the next store to take what did not change.
            let old = self.texts.store.take().zip(self.texts.vault.take());
            let previous = match (old, self.texts.previous.take()) {
                (Some(old), Some(older)) => {
                    self.effects.push(Effect::Dispose(Box::new(older)));
                    Some(old)
                }
                (old, older) => old.or(older),
            };
            self.texts = Texts {
                generation,
                previous,
                ..Texts::default()
            };
        }
        if self.texts.store.is_none() && !self.texts.asked && !self.catalog.vault.notes.is_empty() {
            self.texts.asked = true;
            self.effects.push(Effect::Job(Job::TextIndex {
                generation,
                vault: Arc::clone(&self.catalog.vault),
                previous: self.texts.previous.take(),
            }));
        }
        let Some(Popup::Search(s)) = &mut self.popup else {
            return;
        };
        let ready = self.texts.store.is_some() || self.catalog.vault.notes.is_empty();
        s.set_store_ready(ready);
        // Made only when a search is asked (it clones the study progress for `due:`).
        let due = s.query_mentions("due:");
        let filtering =
            || crate::tui::msg::Filtering {
                vault: Arc::clone(&self.catalog.vault),
                store: self.texts.store.clone().or_else(|| {
                    // An empty vault has no text to wait for.
                    self.catalog.vault.notes.is_empty().then(|| {
                        Arc::new(crate::search::text::TextStore::build_with(&[], |_| None))
                    })
                }),
                progress: due.then(|| {
                    let now = self.fixed_now.unwrap_or_else(crate::time::now);
                    (self.answers.progress.clone(), now, self.days.clone())
                }),
            };
        if let Some(job) = s.want(&self.catalog, filtering) {
            self.effects.push(Effect::Job(Job::Search(job)));
        }
        if let Some(job) = s.want_text(&self.catalog, filtering) {
            self.effects.push(Effect::Job(Job::TextSearch(job)));
        }
    }

    /// A worker's job failed (a bug): whatever waited for it stops waiting, and the status
    /// line says what went wrong.
    fn on_failure(&mut self, lane: Lane, why: String) {
        match lane {
            Lane::Content => self.content.fail(&why),
            Lane::Draw | Lane::DrawMap => self.diagram.fail_drawing(&why),
            Lane::Map => self.diagram.fail_map(),
            Lane::Search | Lane::TextSearch => {
                if let Some(Popup::Search(s)) = &mut self.popup {
                    s.fail();
                }
            }
            Lane::Once if self.texts.asked => self.texts.asked = false,
            Lane::Overview => {
                if let Some(Popup::Progress(_, None)) = self.popup {
                    self.popup = None;
                }
            }
            Lane::Study => self.study_asked = None,
            Lane::Save | Lane::Once => {}
        }
        let what = format!("{lane:?}").to_lowercase();
        self.status = Some(format!("{what} work failed (a bug): {why}"));
    }

    pub(super) fn problems_len(&self) -> usize {
        self.catalog.vault.problems.len() + self.render_problems.len()
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
