//! The app's state and its one `update`: pure apart from [`App::load_pending`], which reads the
//! selected note's body from disk (the only I/O, done by the event loop between updates).

use std::collections::HashSet;

use crate::diagram::{Drawing, Graph};
use crate::markdown::{self, Rendered};
use crate::search::{Hit, SCORING_BUDGET, SearchIndex, Searcher};
use crate::study::session::{Phase, Session};
use crate::study::{self, Progress};
use crate::tags::{Combine, TagFilter, TagRow, TagTree};
use crate::vault::body::fenced_blocks;
use crate::vault::order::{Sort, sort_notes};
use crate::vault::{NoteId, Problem, ProblemKind, Vault, same_tag};

use super::action::Action;
use super::keymap::Context;
use super::reader;

/// The panes, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    List,
    Content,
    Diagram,
    Tags,
}

impl Pane {
    const ORDER: [Pane; 4] = [Pane::List, Pane::Content, Pane::Diagram, Pane::Tags];

    fn step(self, by: isize) -> Pane {
        let i = Pane::ORDER.iter().position(|&p| p == self).unwrap_or(0) as isize;
        Pane::ORDER[(i + by).rem_euclid(4) as usize]
    }
}

/// A popup takes every key while it is open.
#[derive(Debug)]
pub enum Popup {
    Search(SearchState),
    Help,
    Problems,
    /// The note's headings; the index of the chosen one.
    Outline(usize),
    /// The notes linking to this one; the index of the chosen one.
    Backlinks(usize),
    /// The find line being typed.
    Find,
    /// Notes to choose from (a diagram node several notes fit); the index of the chosen one.
    Choose(Vec<NoteId>, usize),
    /// The study session (`App::study`).
    Study,
    /// Study progress: accuracy by tag, due counts, streak, counted when it opened.
    Progress(Box<study::Overview>),
}

/// Text being found in the note, and where it is.
#[derive(Debug, Clone, Default)]
pub struct FindState {
    pub query: String,
    pub matches: Vec<reader::Match>,
    pub current: Option<usize>,
    /// The rendering the matches were found in (note path and width).
    pub for_content: Option<(String, u16)>,
}

#[derive(Debug, Default)]
pub struct SearchState {
    pub query: String,
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// The query changed since `hits` were computed: typing only edits the query, and the
    /// search runs once before the next frame (or when a result is picked), so keys that
    /// arrive together cost one search, not one each.
    pub stale: bool,
}

/// Work the app asks of the event loop because it needs the terminal or the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Read the vault again.
    Reload,
    /// Run the editor on this file (a path, not an id: the vault may be read again before
    /// the loop gets to it).
    Edit(std::path::PathBuf),
    /// Stop the process until the shell continues it.
    Suspend,
}

/// A load running in the background, for the status bar's gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loading {
    pub stage: &'static str,
    pub read: usize,
    pub found: usize,
}

/// The body of the selected note, read from disk, with its diagram blocks.
#[derive(Debug, Clone)]
pub struct Content {
    pub note: NoteId,
    /// The note's path: ids change when the vault is read again, paths do not.
    pub note_path: String,
    pub text: String,
    pub diagrams: Vec<Diagram>,
    /// The note rendered for the pane's width (properties header and markdown), made when the
    /// note or the width changes, not every frame.
    pub rendered: Rendered,
    /// The width `lines` were wrapped for.
    pub width: u16,
}

/// The architecture map: every diagram of the notes in view merged, and per node the notes
/// whose diagrams mention it.
#[derive(Debug, Clone)]
pub struct MapView {
    pub diagram: Diagram,
    pub notes: Vec<Vec<NoteId>>,
    /// How many notes had diagrams.
    pub sources: usize,
}

/// A diagram of the note: its graph, and its drawings as they are asked for (the author's
/// grid or a re-layout, boxes or compact `[Label]`s).
#[derive(Debug, Clone)]
pub struct Diagram {
    pub graph: Graph,
    drawings: Vec<((bool, bool), Drawing)>,
}

impl Diagram {
    pub fn new(graph: Graph) -> Diagram {
        Diagram {
            graph,
            drawings: Vec::new(),
        }
    }

    /// The drawing for (relayout, compact), made once.
    fn ensure(&mut self, key: (bool, bool)) {
        if !self.drawings.iter().any(|(k, _)| *k == key) {
            let d = crate::diagram::draw(&self.graph, key.0, key.1);
            self.drawings.push((key, d));
        }
    }

    pub fn drawing(&self, key: (bool, bool)) -> Option<&Drawing> {
        self.drawings
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, d)| d)
    }
}

pub struct App {
    pub vault: Vault,
    pub index: SearchIndex,
    searcher: Searcher,
    tree: TagTree,
    pub focus: Pane,
    pub popup: Option<Popup>,
    pub zoom: bool,
    pub sort: Sort,
    /// Notes passing the tag filter, in list order.
    pub visible: Vec<NoteId>,
    /// Index into `visible`.
    pub selected: usize,
    pub filter: TagFilter,
    /// Paths of the tags the user expanded (as the tree spells them). Every tag with children
    /// starts collapsed, so the tree fits, and a reload keeps what was opened.
    pub expanded: HashSet<String>,
    pub tag_rows: Vec<TagRow>,
    pub tag_cursor: usize,
    pub content: Option<Content>,
    /// First line of the content shown.
    pub content_scroll: usize,
    /// Which of the note's diagrams the diagram pane shows, and its scroll (rows, columns).
    pub diagram_index: usize,
    pub diagram_scroll: usize,
    pub diagram_hscroll: usize,
    /// The node under the diagram cursor.
    pub diagram_node: Option<usize>,
    /// Compact `[Label]` nodes: `None` picks them when boxes do not fit the pane.
    pub diagram_compact: Option<bool>,
    /// Lay a 2-D picture out again instead of keeping the author's grid.
    pub diagram_relayout: bool,
    /// The panes' inner sizes in the last layout, for paging and for keeping scrolls in range.
    pub view: View,
    /// First rows shown of the note list and the tag pane: kept across frames so the view
    /// only moves when the cursor would leave it.
    pub list_offset: usize,
    pub tag_offset: usize,
    /// Scroll positions to restore when the same note is read again after a reload.
    restore_scroll: Option<Scrolls>,
    /// Scroll of the help and problems popups.
    pub popup_scroll: usize,
    pub status: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
    /// What the event loop should do next that `update` cannot (I/O, the terminal).
    pub request: Option<Request>,
    /// A load in the background, while there is one.
    pub loading: Option<Loading>,
    /// Whether the content is rendered with colours (else bold, dim and reverse only).
    pub color: bool,
    /// Text found in the note (kept after the find line closes, for n / N).
    pub find: Option<FindState>,
    /// The link chosen in the content, an index into its rendered links.
    pub link_cursor: Option<usize>,
    /// Notes visited before (by path), for going back, and after, for going forward.
    pub back: Vec<String>,
    pub forward: Vec<String>,
    /// A heading to show once the note being opened is rendered.
    pending_heading: Option<String>,
    /// The architecture map of the notes in view, while it is shown (or asked for).
    pub map: Option<MapView>,
    pub show_map: bool,
    /// What is known of the user's answers (loaded and saved by the event loop).
    pub progress: Progress,
    /// Answers were given since the progress was last saved.
    pub progress_dirty: bool,
    /// The study session, also while it is paused to look at a note.
    pub study: Option<Session>,
    /// Scroll of the study screen from where it places itself (signed: up from there too).
    pub study_scroll: isize,
    /// An action to apply once the vault is fully read (`vaultscope study`).
    pub after_load: Option<Action>,
    /// Now, in seconds since 1970, for the ages in a note's header (fixed in tests).
    pub now: i64,
}

/// The inner size of each pane (0 when it is not on screen) and of an open help or problems
/// popup, as of the last layout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct View {
    pub list_rows: usize,
    pub content_rows: usize,
    pub diagram_rows: usize,
    pub diagram_cols: usize,
    pub tag_rows: usize,
    /// Lines of the open help or problems popup, and how many it shows at once.
    pub popup_lines: usize,
    pub popup_rows: usize,
    /// The content pane's inner width, when it is on screen.
    pub content_cols: Option<u16>,
}

/// The content and diagram scroll of one note, kept across a reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scrolls {
    content: usize,
    diagram_index: usize,
    diagram: usize,
    diagram_h: usize,
    diagram_node: Option<usize>,
}

/// Most search results kept for the popup.
const SEARCH_LIMIT: usize = 50;

impl App {
    pub fn new(vault: Vault, size: (u16, u16)) -> App {
        let index = SearchIndex::build(&vault.notes).with_budget(SCORING_BUDGET);
        let tree = TagTree::build(&vault.notes);
        let mut app = App {
            vault,
            index,
            searcher: Searcher::default(),
            tree,
            focus: Pane::List,
            popup: None,
            zoom: false,
            sort: Sort::Title,
            visible: Vec::new(),
            selected: 0,
            filter: TagFilter::default(),
            expanded: HashSet::new(),
            tag_rows: Vec::new(),
            tag_cursor: 0,
            content: None,
            content_scroll: 0,
            diagram_index: 0,
            diagram_scroll: 0,
            diagram_hscroll: 0,
            diagram_node: None,
            diagram_compact: None,
            diagram_relayout: false,
            view: View::default(),
            list_offset: 0,
            tag_offset: 0,
            restore_scroll: None,
            popup_scroll: 0,
            status: None,
            size,
            quit: false,
            request: None,
            loading: None,
            color: false,
            find: None,
            link_cursor: None,
            back: Vec::new(),
            forward: Vec::new(),
            pending_heading: None,
            map: None,
            show_map: false,
            progress: Progress::default(),
            progress_dirty: false,
            study: None,
            study_scroll: 0,
            after_load: None,
            now: crate::time::now(),
        };
        app.refresh_list(None);
        app.refresh_tags();
        app
    }

    /// The key context: the popup's, else the focused pane's.
    pub fn context(&self) -> Context {
        match self.popup {
            Some(Popup::Search(_)) => Context::Search,
            Some(Popup::Help | Popup::Problems | Popup::Progress(_)) => Context::Overlay,
            Some(Popup::Study) => Context::Study,
            Some(Popup::Outline(_) | Popup::Backlinks(_) | Popup::Choose(..)) => Context::Picker,
            Some(Popup::Find) => Context::Find,
            None => Context::Pane(self.focus),
        }
    }

    pub fn selected_note(&self) -> Option<NoteId> {
        self.visible.get(self.selected).copied()
    }

    /// Applies an action. No I/O; may return a follow-up action.
    pub fn update(&mut self, action: Action) -> Option<Action> {
        // Help and problems close on any key but scrolling.
        if matches!(
            self.popup,
            Some(Popup::Help | Popup::Problems | Popup::Progress(_))
        ) {
            let max = self.view.popup_lines.saturating_sub(self.view.popup_rows);
            let page = self.view.popup_rows.max(1);
            let scroll = &mut self.popup_scroll;
            match action {
                Action::Down => *scroll = (*scroll + 1).min(max),
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::PageDown | Action::HalfPageDown => *scroll = (*scroll + page).min(max),
                Action::PageUp | Action::HalfPageUp => *scroll = scroll.saturating_sub(page),
                Action::Top => *scroll = 0,
                Action::Bottom => *scroll = max,
                Action::Resize(w, h) => self.size = (w, h),
                Action::Quit => self.quit = true,
                Action::Suspend => self.request = Some(Request::Suspend),
                _ => self.popup = None,
            }
            return None;
        }
        // A page is the focused pane's height.
        let page = match self.focus {
            Pane::List => self.view.list_rows,
            Pane::Content => self.view.content_rows,
            Pane::Diagram => self.view.diagram_rows,
            Pane::Tags => self.view.tag_rows,
        }
        .max(2) as isize;
        match action {
            Action::Quit => self.quit = true,
            Action::NextPane => self.focus = self.focus.step(1),
            Action::PrevPane => self.focus = self.focus.step(-1),
            Action::Focus(p) => self.focus = p,
            Action::Up => self.move_by(self.focus, -1),
            Action::Down => self.move_by(self.focus, 1),
            Action::Top => self.move_by(self.focus, isize::MIN / 2),
            Action::Bottom => self.move_by(self.focus, isize::MAX / 2),
            Action::HalfPageDown => self.move_by(self.focus, page / 2),
            Action::HalfPageUp => self.move_by(self.focus, -page / 2),
            Action::PageDown => self.move_by(self.focus, page),
            Action::PageUp => self.move_by(self.focus, -page),
            Action::Click { pane, row } => {
                self.focus = pane;
                // `None`: the border, which only focuses.
                let row = row.map(usize::from);
                match (pane, row) {
                    (Pane::List, Some(r))
                        if r < self.view.list_rows && self.list_offset + r < self.visible.len() =>
                    {
                        self.selected = self.list_offset + r
                    }
                    (Pane::Tags, Some(r))
                        if r < self.view.tag_rows && self.tag_offset + r < self.tag_rows.len() =>
                    {
                        self.tag_cursor = self.tag_offset + r
                    }
                    _ => {}
                }
            }
            Action::Scroll { pane, down } => self.move_by(pane, if down { 3 } else { -3 }),
            Action::Reload => self.request = Some(Request::Reload),
            Action::Edit => match self.selected_note() {
                Some(id) => {
                    self.request = Some(Request::Edit(self.vault.notes[id].file.clone()));
                }
                None => self.status = Some("no note selected to edit".to_owned()),
            },
            Action::Suspend => self.request = Some(Request::Suspend),
            Action::ScrollLeft => self.move_node((-1, 0)),
            Action::ScrollRight => self.move_node((1, 0)),
            Action::OpenNode => self.open_node(),
            Action::StudyView | Action::StudyNote | Action::StudyDue => self.start_study(action),
            Action::StudyKey(c) => self.study_key(c),
            Action::StudySpace => {
                let phase = self.study.as_ref().map(|s| s.phase.clone());
                match phase {
                    Some(Phase::Asking) => {
                        if let Some(s) = &mut self.study {
                            s.reveal(&self.vault);
                        }
                    }
                    Some(Phase::Answered { .. }) => return Some(Action::StudyNext),
                    _ => {}
                }
            }
            Action::StudyNext => {
                let now = self.now;
                if let Some(s) = &mut self.study {
                    s.next(now);
                    self.study_scroll = 0;
                }
            }
            Action::StudyScroll(by) => {
                // Measured when a scroll key comes, not in every frame.
                let screen = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
                let (low, high) = super::study_ui::scroll_range(self, screen);
                self.study_scroll = (self.study_scroll + by as isize).clamp(low, high);
            }
            Action::StudyGoToNote => {
                if let Some(q) = self.study.as_ref().and_then(|s| s.current().cloned()) {
                    self.popup = None;
                    self.visit(q.note, None);
                    self.status = Some("study paused: s goes back to the question".to_owned());
                }
            }
            Action::StudyEnd => {
                let now = self.now;
                match self.study.as_mut().map(|s| {
                    let done = s.phase == Phase::Done;
                    s.finish(now);
                    done
                }) {
                    Some(true) | None => {
                        self.study = None;
                        self.popup = None;
                    }
                    Some(false) => {}
                }
            }
            Action::StudyRetry => {
                let missed = self
                    .study
                    .as_ref()
                    .filter(|s| s.phase == Phase::Done)
                    .map(Session::missed)
                    .unwrap_or_default();
                if !missed.is_empty() {
                    self.study = Some(Session::new("the missed ones".to_owned(), missed, self.now));
                }
            }
            Action::ToggleProgress => {
                self.popup_scroll = 0;
                let o = study::overview(
                    &self.vault,
                    &self.progress,
                    self.now,
                    &crate::time::Days::local(),
                );
                self.popup = Some(Popup::Progress(Box::new(o)));
            }
            Action::ToggleMap => {
                self.show_map = !self.show_map;
                // Built again for the notes in view now (by the event loop: it reads bodies).
                self.map = None;
                self.diagram_node = None;
                self.diagram_scroll = 0;
                self.diagram_hscroll = 0;
                if self.show_map {
                    self.focus = Pane::Diagram;
                }
            }
            Action::ToggleCompact => {
                let now = self.diagram_key().1;
                self.diagram_compact = Some(!now);
                self.diagram_scroll = 0;
                self.diagram_hscroll = 0;
            }
            Action::ToggleRelayout => {
                self.diagram_relayout = !self.diagram_relayout;
                self.diagram_scroll = 0;
                self.diagram_hscroll = 0;
            }
            Action::NextDiagram | Action::PrevDiagram => {
                let n = self.content.as_ref().map_or(0, |c| c.diagrams.len());
                if n > 1 {
                    let step = if action == Action::NextDiagram {
                        1
                    } else {
                        n - 1
                    };
                    self.diagram_index = (self.diagram_index + step) % n;
                    self.diagram_scroll = 0;
                    self.diagram_hscroll = 0;
                    self.diagram_node = None;
                }
            }
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.refresh_list(self.selected_note());
                self.status = Some(format!("sorted by {}", self.sort.name()));
            }
            Action::ToggleTag => {
                if let Some(row) = self.tag_rows.get(self.tag_cursor) {
                    let path = row.path.clone();
                    match self.filter.tags.iter().position(|t| same_tag(t, &path)) {
                        Some(i) => {
                            self.filter.tags.remove(i);
                        }
                        None => self.filter.tags.push(path),
                    }
                    self.refresh_list(self.selected_note());
                }
            }
            Action::ToggleExpand => {
                if let Some(row) = self
                    .tag_rows
                    .get(self.tag_cursor)
                    .filter(|r| r.has_children)
                {
                    let key = row.path.clone();
                    if !self.expanded.remove(&key) {
                        self.expanded.insert(key);
                    }
                    self.refresh_tags();
                }
            }
            Action::ToggleTagMode => {
                self.filter.combine = match self.filter.combine {
                    Combine::All => Combine::Any,
                    Combine::Any => Combine::All,
                };
                self.refresh_list(self.selected_note());
            }
            Action::ClearTags => {
                self.filter.tags.clear();
                self.refresh_list(self.selected_note());
            }
            Action::ToggleZoom => self.zoom = !self.zoom,
            Action::OpenSearch => {
                self.searcher.reset();
                self.popup = Some(Popup::Search(SearchState::default()));
            }
            Action::SearchInput(c) => self.edit_query(|q| q.push(c)),
            Action::SearchBackspace => self.edit_query(|q| {
                q.pop();
            }),
            Action::SearchNext | Action::SearchPrev => {
                self.refresh_hits();
                if let Some(Popup::Search(s)) = &mut self.popup {
                    let n = s.hits.len();
                    if n > 0 {
                        let step = if action == Action::SearchNext {
                            1
                        } else {
                            n - 1
                        };
                        s.selected = (s.selected + step) % n;
                    }
                }
            }
            Action::SearchAccept => {
                self.refresh_hits();
                let chosen = match &self.popup {
                    Some(Popup::Search(s)) => s.hits.get(s.selected).map(|h| h.note),
                    _ => None,
                };
                self.popup = None;
                if let Some(note) = chosen {
                    self.visit(note, None);
                }
            }
            Action::ToggleHelp => {
                self.popup_scroll = 0;
                self.popup = Some(Popup::Help);
            }
            Action::ToggleProblems => {
                self.popup_scroll = 0;
                self.popup = Some(Popup::Problems);
            }
            Action::ClosePopup => self.popup = None,
            Action::Resize(w, h) => self.size = (w, h),
            Action::OpenOutline => {
                let headings = self
                    .content
                    .as_ref()
                    .map_or(0, |c| c.rendered.headings.len());
                if headings == 0 {
                    self.status = Some("this note has no headings".to_owned());
                } else {
                    // Start on the heading at the top of the view.
                    let at = self.content.as_ref().map_or(0, |c| {
                        c.rendered
                            .headings
                            .iter()
                            .rposition(|h| h.line <= self.content_scroll)
                            .unwrap_or(0)
                    });
                    self.popup = Some(Popup::Outline(at));
                }
            }
            Action::OpenBacklinks => match self.selected_note() {
                Some(id) if !self.vault.backlinks[id].is_empty() => {
                    self.popup = Some(Popup::Backlinks(0));
                }
                Some(_) => self.status = Some("no note links here".to_owned()),
                None => {}
            },
            Action::PickNext | Action::PickPrev => {
                let len = self.picker_len();
                let forward = action == Action::PickNext;
                if let Some(Popup::Outline(i) | Popup::Backlinks(i) | Popup::Choose(_, i)) =
                    &mut self.popup
                    && len > 0
                {
                    *i = if forward {
                        (*i + 1) % len
                    } else {
                        (*i + len - 1) % len
                    };
                }
            }
            Action::PickAccept => match self.popup.take() {
                Some(Popup::Outline(i)) => {
                    if let Some(h) = self
                        .content
                        .as_ref()
                        .and_then(|c| c.rendered.headings.get(i))
                    {
                        self.content_scroll = h.line;
                        self.focus = Pane::Content;
                        self.clamp_scrolls();
                    }
                }
                Some(Popup::Backlinks(i)) => {
                    let from = self
                        .selected_note()
                        .and_then(|id| self.vault.backlinks[id].get(i).copied());
                    if let Some(from) = from {
                        self.visit(from, None);
                    }
                }
                Some(Popup::Choose(notes, i)) => {
                    if let Some(&id) = notes.get(i) {
                        self.visit(id, None);
                    }
                }
                other => self.popup = other,
            },
            Action::OpenFind => {
                self.find = Some(FindState::default());
                self.popup = Some(Popup::Find);
            }
            Action::FindInput(c) => {
                if let Some(f) = &mut self.find {
                    f.query.push(c);
                    f.for_content = None;
                }
            }
            Action::FindBackspace => {
                if let Some(f) = &mut self.find {
                    f.query.pop();
                    f.for_content = None;
                }
            }
            Action::FindAccept => {
                self.popup = None;
                if self.find.as_ref().is_some_and(|f| f.query.is_empty()) {
                    self.find = None;
                }
            }
            Action::FindCancel => {
                self.popup = None;
                self.find = None;
            }
            Action::FindNext | Action::FindPrev => self.step_match(action == Action::FindNext),
            Action::NextLink | Action::PrevLink => self.step_link(action == Action::NextLink),
            Action::FollowLink => self.follow_link(),
            Action::Back => self.go_history(true),
            Action::Forward => self.go_history(false),
        }
        None
    }

    fn edit_query(&mut self, edit: impl FnOnce(&mut String)) {
        if let Some(Popup::Search(s)) = &mut self.popup {
            edit(&mut s.query);
            s.stale = true;
        }
    }

    /// Runs the search when the query changed since the last run.
    pub fn refresh_hits(&mut self) {
        if let Some(Popup::Search(s)) = &mut self.popup
            && s.stale
        {
            s.hits = self.searcher.search(&self.index, &s.query, SEARCH_LIMIT);
            s.selected = 0;
            s.stale = false;
        }
    }

    fn picker_len(&self) -> usize {
        match &self.popup {
            Some(Popup::Outline(_)) => self
                .content
                .as_ref()
                .map_or(0, |c| c.rendered.headings.len()),
            Some(Popup::Backlinks(_)) => self
                .selected_note()
                .map_or(0, |id| self.vault.backlinks[id].len()),
            Some(Popup::Choose(notes, _)) => notes.len(),
            _ => 0,
        }
    }

    /// Opens `note` as a visit: the note shown now goes on the back history.
    fn visit(&mut self, note: NoteId, heading: Option<String>) {
        if let Some(cur) = self.selected_note()
            && cur != note
        {
            self.back.push(self.vault.notes[cur].path.clone());
            self.forward.clear();
        }
        self.open_note(note);
        self.pending_heading = heading;
    }

    fn go_history(&mut self, back: bool) {
        let (from, to) = if back {
            (&mut self.back, &mut self.forward)
        } else {
            (&mut self.forward, &mut self.back)
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
        if let Some(cur) = self.visible.get(self.selected).copied() {
            to.push(self.vault.notes[cur].path.clone());
        }
        match self.vault.notes.iter().position(|n| n.path == path) {
            Some(id) => self.open_note(id),
            None => self.status = Some(format!("{} is gone", crate::sanitize::line(&path))),
        }
    }

    fn step_match(&mut self, forward: bool) {
        let rows = self.view.content_rows;
        let top = self.content_scroll;
        let Some(f) = &mut self.find else {
            self.status = Some("nothing to find: f opens the find line".to_owned());
            return;
        };
        let lines: Vec<usize> = f.matches.iter().map(|m| m.line).collect();
        f.current = reader::step(&lines, f.current, top, forward);
        if let Some(m) = f.current.and_then(|i| f.matches.get(i)) {
            self.content_scroll = reader::scroll_to(top, m.line, rows);
            self.clamp_scrolls();
        } else {
            self.status = Some(format!(
                "no match for {:?}",
                crate::sanitize::line(&f.query)
            ));
        }
    }

    fn step_link(&mut self, forward: bool) {
        let Some(c) = &self.content else { return };
        let lines: Vec<usize> = c.rendered.links.iter().map(|l| l.line).collect();
        self.link_cursor = reader::step(&lines, self.link_cursor, self.content_scroll, forward);
        match self.link_cursor.and_then(|i| lines.get(i)) {
            Some(&line) => {
                self.content_scroll =
                    reader::scroll_to(self.content_scroll, line, self.view.content_rows);
                self.clamp_scrolls();
            }
            None => self.status = Some("no links in this note".to_owned()),
        }
    }

    /// Follows the chosen link: a wikilink opens its note (at its heading); others say where
    /// they point.
    fn follow_link(&mut self) {
        use crate::markdown::LinkTarget;
        let Some(target) = self
            .content
            .as_ref()
            .zip(self.link_cursor)
            .and_then(|(c, i)| c.rendered.links.get(i))
            .map(|l| l.target.clone())
        else {
            self.status = Some("no link chosen: ] and [ pick one".to_owned());
            return;
        };
        match target {
            LinkTarget::Url(url) => {
                self.status = Some(format!(
                    "a link out of the vault: {}",
                    crate::sanitize::line(&url)
                ));
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
                let resolved = self.vault.notes[cur]
                    .links
                    .iter()
                    .find(|l| l.raw.target.trim().to_lowercase() == key)
                    .map(|l| l.resolved.clone());
                match resolved {
                    Some(crate::vault::Resolved::Note(id)) => self.visit(id, heading),
                    Some(crate::vault::Resolved::Attachment(p)) => {
                        self.status =
                            Some(format!("{} is an attachment", crate::sanitize::line(&p)));
                    }
                    _ => {
                        self.status = Some(format!(
                            "no note is called {:?}",
                            crate::sanitize::line(&note)
                        ));
                    }
                }
            }
        }
    }

    /// After a rendering: finds the query again if the text changed, and shows a heading a
    /// link asked for.
    pub fn after_render(&mut self) {
        let Some(c) = &self.content else { return };
        if let Some(h) = self.pending_heading.take() {
            let want = h.trim().to_lowercase();
            match c
                .rendered
                .headings
                .iter()
                .find(|x| x.text.to_lowercase() == want)
            {
                Some(x) => self.content_scroll = x.line,
                None => {
                    self.status = Some(format!("no heading {:?} here", crate::sanitize::line(&h)))
                }
            }
        }
        // Found again only when the rendering changed (this runs before every frame).
        if let Some(f) = &mut self.find
            && f.for_content
                .as_ref()
                .is_none_or(|(path, width)| *path != c.note_path || *width != c.width)
        {
            f.matches = reader::find(&c.rendered.lines, &f.query);
            f.current = None;
            f.for_content = Some((c.note_path.clone(), c.width));
        }
    }

    /// Selects a note in the list, clearing the tag filter if it hides the note.
    fn open_note(&mut self, note: NoteId) {
        if !self.visible.contains(&note) {
            self.filter.tags.clear();
            self.refresh_list(Some(note));
            self.status = Some("tag filter cleared to show the note".to_owned());
        }
        if let Some(i) = self.visible.iter().position(|&n| n == note) {
            self.selected = i;
        }
        self.focus = Pane::Content;
    }

    fn move_by(&mut self, pane: Pane, delta: isize) {
        // The cursor stops at the last item; a scroll stops where the last line is at the
        // bottom of the pane (`clamp_scrolls`).
        let step = |pos: usize, last: usize| -> usize {
            (pos as isize).saturating_add(delta).clamp(0, last as isize) as usize
        };
        match pane {
            Pane::List => self.selected = step(self.selected, self.visible.len().saturating_sub(1)),
            Pane::Tags => {
                self.tag_cursor = step(self.tag_cursor, self.tag_rows.len().saturating_sub(1))
            }
            Pane::Content => self.content_scroll = step(self.content_scroll, usize::MAX / 4),
            // One step moves the node cursor; a page scrolls.
            Pane::Diagram if delta.abs() == 1 => self.move_node((0, delta as i64)),
            Pane::Diagram => self.diagram_scroll = step(self.diagram_scroll, usize::MAX / 4),
        }
        self.clamp_scrolls();
    }

    /// Which drawing of the diagram shows: (relayout, compact). Compact on its own when boxes
    /// would not fit the pane's width.
    pub fn diagram_key(&self) -> (bool, bool) {
        let compact = self.diagram_compact.unwrap_or_else(|| {
            self.diagram()
                .and_then(|d| d.drawing((self.diagram_relayout, false)))
                .is_some_and(|d| d.canvas.width > self.view.diagram_cols.max(1))
        });
        (self.diagram_relayout, compact)
    }

    /// The drawing the diagram pane shows.
    pub fn current_drawing(&self) -> Option<&Drawing> {
        self.diagram()?.drawing(self.diagram_key())
    }

    /// Makes the drawings the pane needs (before a frame).
    pub fn ensure_drawing(&mut self) {
        let relayout = self.diagram_relayout;
        let explicit = self.diagram_compact;
        let idx = self.diagram_index;
        let d = if self.show_map {
            self.map.as_mut().map(|m| &mut m.diagram)
        } else {
            self.content.as_mut().and_then(|c| c.diagrams.get_mut(idx))
        };
        if let Some(d) = d {
            d.ensure((relayout, false));
            if explicit != Some(false) {
                d.ensure((relayout, true));
            }
        }
    }

    /// Moves the diagram cursor to the node in direction `(dx, dy)`: a connected one if there
    /// is one that way, else the nearest that way. With no cursor yet, it starts top left.
    fn move_node(&mut self, (dx, dy): (i64, i64)) {
        let Some(d) = self.current_drawing() else {
            return;
        };
        let boxes = &d.layout.nodes;
        if boxes.is_empty() {
            return;
        }
        let centre = |i: usize| {
            let b = boxes[i];
            // A row is about two columns tall: weigh columns half.
            ((b.x * 2 + b.w) as f64 / 4.0, (b.y * 2 + b.h) as f64 / 2.0)
        };
        let Some(cur) = self.diagram_node.filter(|&i| i < boxes.len()) else {
            self.diagram_node = (0..boxes.len()).min_by_key(|&i| (boxes[i].y, boxes[i].x));
            self.follow_node();
            return;
        };
        let g = &self.diagram().expect("a drawing has its diagram").graph;
        let id = &g.nodes[cur].id;
        let linked = |j: usize| {
            let other = &g.nodes[j].id;
            g.edges
                .iter()
                .any(|e| (&e.from == id && &e.to == other) || (&e.to == id && &e.from == other))
        };
        let (cx, cy) = centre(cur);
        let mut best: Option<(u8, f64, usize)> = None;
        for j in 0..boxes.len() {
            if j == cur {
                continue;
            }
            let (x, y) = centre(j);
            let (vx, vy) = (x - cx, y - cy);
            let along = vx * dx as f64 + vy * dy as f64;
            if along <= 0.0 {
                continue;
            }
            let across = (vx * dy as f64 - vy * dx as f64).abs();
            // Within about 60 degrees of the key's direction, connected nodes first.
            let tier = match (across <= along * 1.8, linked(j)) {
                (true, true) => 0,
                (true, false) => 1,
                _ => 2,
            };
            let score = along + 2.0 * across;
            if best.is_none_or(|b| (tier, score) < (b.0, b.1)) {
                best = Some((tier, score, j));
            }
        }
        if let Some((_, _, j)) = best {
            self.diagram_node = Some(j);
            self.follow_node();
        }
    }

    /// Scrolls the diagram so the node under the cursor is in view.
    fn follow_node(&mut self) {
        let Some(b) = self
            .diagram_node
            .and_then(|i| self.current_drawing()?.layout.nodes.get(i).copied())
        else {
            return;
        };
        let (cols, rows) = (self.view.diagram_cols.max(1), self.view.diagram_rows.max(1));
        if b.x < self.diagram_hscroll || b.x + b.w > self.diagram_hscroll + cols {
            self.diagram_hscroll = (b.x + b.w / 2).saturating_sub(cols / 2);
        }
        if b.y < self.diagram_scroll || b.y + b.h > self.diagram_scroll + rows {
            self.diagram_scroll = (b.y + b.h / 2).saturating_sub(rows / 2);
        }
        self.clamp_scrolls();
    }

    /// Opens the note the node under the cursor names: at once when one does, from a list
    /// when several do.
    fn open_node(&mut self) {
        let Some(label) = self
            .diagram_node
            .and_then(|i| Some(self.diagram()?.graph.nodes.get(i)?.label.clone()))
        else {
            self.status = Some("no node chosen: the arrow keys walk the diagram".to_owned());
            return;
        };
        // On the map, the notes whose diagrams mention the node; else the notes it names.
        let found = match (&self.map, self.show_map, self.diagram_node) {
            (Some(m), true, Some(i)) => m.notes.get(i).cloned().unwrap_or_default(),
            _ => crate::diagram::notes_for_label(&self.vault, &self.index, &label),
        };
        match found.as_slice() {
            [] => {
                self.status = Some(format!(
                    "no note is about {:?}",
                    crate::sanitize::line(&label.replace('\n', " "))
                ))
            }
            [one] => self.visit(*one, None),
            _ => {
                self.popup = Some(Popup::Choose(found, 0));
            }
        }
    }

    /// The diagram the diagram pane shows, if the note has one.
    pub fn diagram(&self) -> Option<&Diagram> {
        if self.show_map {
            return self.map.as_ref().map(|m| &m.diagram);
        }
        self.content.as_ref()?.diagrams.get(self.diagram_index)
    }

    /// Keeps every scroll inside its text for the panes' sizes in [`App::view`]: the content
    /// and diagram stop with their last line at the bottom, the diagram with its widest line's
    /// end in view, popups at their last line.
    pub fn clamp_scrolls(&mut self) {
        let v = self.view;
        let content_lines = self.content.as_ref().map_or(0, |c| c.rendered.lines.len());
        self.content_scroll = self
            .content_scroll
            .min(content_lines.saturating_sub(v.content_rows.max(1)));
        let diagrams = self.content.as_ref().map_or(0, |c| c.diagrams.len());
        self.diagram_index = self.diagram_index.min(diagrams.saturating_sub(1));
        let (cols, rows) = self.current_drawing().map_or((0, 0), |d| {
            (d.canvas.width, d.canvas.height + d.canvas.legend.len())
        });
        self.diagram_scroll = self
            .diagram_scroll
            .min(rows.saturating_sub(v.diagram_rows.max(1)));
        self.diagram_hscroll = self
            .diagram_hscroll
            .min(cols.saturating_sub(v.diagram_cols.max(1)));
        self.popup_scroll = self
            .popup_scroll
            .min(v.popup_lines.saturating_sub(v.popup_rows));
    }

    /// Re-applies filter and order, keeping `keep` selected when it is still visible.
    fn refresh_list(&mut self, keep: Option<NoteId>) {
        self.visible = self.filter.apply(&self.vault.notes);
        sort_notes(&self.vault.notes, &mut self.visible, self.sort);
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&n| n == k))
            .unwrap_or(0);
    }

    fn refresh_tags(&mut self) {
        let rows = self.tree.rows(&self.expanded);
        self.tag_rows = rows;
        self.tag_cursor = self.tag_cursor.min(self.tag_rows.len().saturating_sub(1));
    }

    /// Reads the selected note's body when it is not the one shown yet: the app's only I/O,
    /// called by the event loop after updates.
    pub fn load_pending(&mut self) {
        let Some(note) = self.selected_note() else {
            self.content = None;
            return;
        };
        if self.content.as_ref().is_some_and(|c| c.note == note) {
            return;
        }
        let n = &self.vault.notes[note];
        let text = match self.vault.read_body(note) {
            Ok(t) => t,
            Err(e) => format!("(cannot read {}: {e})", n.path),
        };
        let diagrams = fenced_blocks(&text, n.body_line)
            .iter()
            .filter_map(crate::diagram::parse_block)
            .map(Diagram::new)
            .collect();
        self.content = Some(Content {
            note,
            note_path: n.path.clone(),
            text,
            diagrams,
            rendered: Rendered::default(),
            width: 0,
        });
        self.link_cursor = None;
        // After a reload the same note keeps its place (clamped once it is wrapped).
        let s = self.restore_scroll.take();
        self.content_scroll = s.map_or(0, |s| s.content);
        self.diagram_index = s.map_or(0, |s| s.diagram_index);
        self.diagram_scroll = s.map_or(0, |s| s.diagram);
        self.diagram_hscroll = s.map_or(0, |s| s.diagram_h);
        self.diagram_node = s.and_then(|s| s.diagram_node);
        // Clamped by `set_view`, once the text is wrapped for its pane.
    }

    fn scrolls(&self) -> Scrolls {
        Scrolls {
            content: self.content_scroll,
            diagram_index: self.diagram_index,
            diagram: self.diagram_scroll,
            diagram_h: self.diagram_hscroll,
            diagram_node: self.diagram_node,
        }
    }

    /// Starts a study session (or goes back to a paused one).
    fn start_study(&mut self, kind: Action) {
        if self.study.as_ref().is_some_and(|s| s.phase != Phase::Done) {
            self.popup = Some(Popup::Study);
            return;
        }
        if self.vault.depth != crate::vault::Depth::Full {
            self.status = Some("the questions are still being read; a moment".to_owned());
            return;
        }
        let (title, notes): (String, Vec<NoteId>) = match kind {
            Action::StudyNote => match self.selected_note() {
                Some(id) => (self.vault.notes[id].title.clone(), vec![id]),
                None => return,
            },
            Action::StudyDue => (
                "due today".to_owned(),
                (0..self.vault.notes.len()).collect(),
            ),
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
                (title, self.visible.clone())
            }
        };
        let mut qs = study::questions(&self.vault, &notes);
        if kind == Action::StudyDue {
            let due: Vec<String> = study::due(&qs, &self.progress, self.now)
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
        self.study = Some(Session::new(title, qs, self.now));
        self.popup = Some(Popup::Study);
    }

    /// A letter or digit in a session: an option (a-d, 1-4) or, after a reveal, a grade (1-4).
    fn study_key(&mut self, c: char) {
        let now = self.now;
        let Some(s) = &mut self.study else { return };
        match s.phase {
            Phase::Asking => {
                let label = match c {
                    '1'..='9' => ((b'A' + (c as u8 - b'1')) as char).to_string(),
                    c if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
                    _ => return,
                };
                s.choose(&self.vault, &mut self.progress, &label, now);
            }
            Phase::Revealed => {
                let rating = match c {
                    '1' => rs_fsrs::Rating::Again,
                    '2' => rs_fsrs::Rating::Hard,
                    '3' => rs_fsrs::Rating::Good,
                    '4' => rs_fsrs::Rating::Easy,
                    _ => return,
                };
                s.grade(&self.vault, &mut self.progress, rating, now);
            }
            _ => return,
        }
        if matches!(s.phase, Phase::Answered { .. }) {
            self.progress_dirty = true;
        }
        self.study_scroll = 0;
    }

    /// Builds the architecture map of the notes in view when it was asked for: reads their
    /// bodies (I/O, called by the event loop before a frame).
    pub fn build_map(&mut self) {
        if !self.show_map || self.map.is_some() {
            return;
        }
        let (map, _) = crate::diagram::map::ArchMap::build(&self.vault, &self.visible);
        let (graph, notes, sources) = (map.graph, map.notes, map.sources);
        self.map = Some(MapView {
            diagram: Diagram::new(graph),
            notes,
            sources,
        });
    }

    /// Drops the shown body so that it is read from disk again before the next frame, at the
    /// same scroll.
    pub fn forget_content(&mut self) {
        if self.content.take().is_some() {
            self.restore_scroll = Some(self.scrolls());
        }
    }

    /// Takes the panes' sizes of a new layout, keeps the list and tag cursors inside their
    /// panes (moving each view only as far as needed) and every scroll in range.
    pub fn set_view(&mut self, view: View) {
        self.view = view;
        fn fit(offset: usize, cursor: usize, rows: usize, len: usize) -> usize {
            let rows = rows.max(1);
            let offset = offset.min(len.saturating_sub(rows));
            if cursor < offset {
                cursor
            } else if cursor >= offset + rows {
                cursor + 1 - rows
            } else {
                offset
            }
        }
        self.list_offset = fit(
            self.list_offset,
            self.selected,
            view.list_rows,
            self.visible.len(),
        );
        self.tag_offset = fit(
            self.tag_offset,
            self.tag_cursor,
            view.tag_rows,
            self.tag_rows.len(),
        );
        self.clamp_scrolls();
    }

    /// Puts a freshly loaded vault in place, keeping what still makes sense: the selected
    /// note (by path) with its scroll, the tag filter, the expanded tags, an open search.
    pub fn replace_vault(&mut self, vault: Vault) {
        let keep = self
            .selected_note()
            .map(|id| self.vault.notes[id].path.clone());
        // A session names its questions by note index: remember the paths to find them again.
        let study_paths: Vec<String> = self.study.as_ref().map_or(Vec::new(), |s| {
            s.questions
                .iter()
                .map(|q| {
                    self.vault
                        .notes
                        .get(q.note)
                        .map_or(String::new(), |n| n.path.clone())
                })
                .collect()
        });
        self.vault = vault;
        if let Some(s) = &mut self.study
            && !s.remap(&study_paths, &self.vault)
        {
            self.status = Some("the question's note changed on disk: the session ended".to_owned());
        }
        self.index = SearchIndex::build(&self.vault.notes).with_budget(SCORING_BUDGET);
        self.searcher.reset();
        self.tree = TagTree::build(&self.vault.notes);
        let keep = keep.and_then(|p| self.vault.notes.iter().position(|n| n.path == p));
        self.refresh_list(keep);
        self.refresh_tags();
        // The scroll stays only with the note it belongs to, if it is still the one selected.
        let still_shown = keep.is_some()
            && self.selected_note() == keep
            && self
                .content
                .as_ref()
                .zip(keep)
                .is_some_and(|(c, id)| c.note_path == self.vault.notes[id].path);
        self.restore_scroll = still_shown.then(|| self.scrolls());
        self.content = None;
        // Hits name notes by index, which the new vault may have changed.
        if let Some(Popup::Search(s)) = &mut self.popup {
            s.stale = true;
        }
        self.refresh_hits();
    }

    /// Wraps the content for a pane `width` columns wide, when that is not done yet, and keeps
    /// its scroll inside the text.
    pub fn wrap_content(&mut self, width: u16) {
        if let Some(c) = &mut self.content
            && c.width != width
        {
            let width = width.max(1);
            c.rendered = markdown::render_note(
                &self.vault,
                c.note,
                &c.text,
                width,
                crate::style::Styles::new(self.color),
                self.now,
            );
            // A renderer failure is shown as plain text, and listed with the vault's problems.
            if let Some(why) = &c.rendered.failure {
                let path = self.vault.notes[c.note].path.clone();
                let known = self
                    .vault
                    .problems
                    .iter()
                    .any(|p| p.kind == ProblemKind::Render && p.path == path);
                if !known {
                    self.vault.problems.push(Problem::new(
                        path,
                        None,
                        ProblemKind::Render,
                        why.clone(),
                    ));
                }
                self.status = Some(format!("this note could not be rendered: {why}"));
            }
            c.width = width;
        }
    }

    pub fn problems_len(&self) -> usize {
        self.vault.problems.len()
    }
}
