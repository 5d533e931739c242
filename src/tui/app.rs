//! The app's state and its one `update`: pure apart from [`App::load_pending`], which reads the
//! selected note's body from disk (the only I/O, done by the event loop between updates).

use std::collections::HashSet;

use crate::cli::{Sort, sort_notes};
use crate::search::{Hit, SCORING_BUDGET, SearchIndex, Searcher};
use crate::tags::{Combine, TagFilter, TagTree};
use crate::vault::body::fenced_blocks;
use crate::vault::{NoteId, Vault, same_tag};

use super::action::Action;
use super::keymap::Context;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Read the vault again.
    Reload,
    /// Run the editor on this note.
    Edit(NoteId),
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

/// A row of the tag pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRow {
    pub depth: usize,
    pub path: String,
    pub name: String,
    pub count: usize,
    pub has_children: bool,
}

/// The body of the selected note, read from disk, with its diagram blocks.
#[derive(Debug, Clone)]
pub struct Content {
    pub note: NoteId,
    /// The note's path: ids change when the vault is read again, paths do not.
    pub note_path: String,
    pub text: String,
    pub diagrams: Vec<String>,
    /// `text` as display lines for the pane's width, wrapped when the note or the width
    /// changes (not every frame): tabs expanded, control characters made visible.
    pub lines: Vec<String>,
    /// The width `lines` were wrapped for.
    pub width: u16,
}

/// Display lines of note text: tabs expanded, every control character made visible, and with
/// a width, wrapped by display columns (Hangul and emoji take two; Korean may break between
/// syllables, English between words; a run too long for a line is cut).
pub fn display_lines(text: &str, width: Option<u16>) -> Vec<String> {
    let mut out = Vec::new();
    for l in text.lines() {
        let clean = crate::sanitize::line(&l.replace('\t', "    ")).into_owned();
        match width {
            Some(w) if w > 0 => {
                let opts = textwrap::Options::new(w as usize).break_words(true);
                out.extend(
                    textwrap::wrap(&clean, opts)
                        .into_iter()
                        .map(|c| c.into_owned()),
                );
            }
            _ => out.push(clean),
        }
    }
    out
}

pub struct App {
    pub vault: Vault,
    index: SearchIndex,
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
    /// Paths of the collapsed tags (as the tree spells them).
    pub collapsed: HashSet<String>,
    pub tag_rows: Vec<TagRow>,
    pub tag_cursor: usize,
    pub content: Option<Content>,
    pub content_scroll: u16,
    pub diagram_scroll: u16,
    pub diagram_hscroll: u16,
    /// First rows shown of the note list and the tag pane: kept across frames so the view
    /// only moves when the cursor would leave it.
    pub list_offset: usize,
    pub tag_offset: usize,
    /// Scroll positions to restore when the same note is read again after a reload.
    restore_scroll: Option<(u16, u16, u16)>,
    /// Scroll of the help and problems popups.
    pub popup_scroll: u16,
    pub status: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
    /// What the event loop should do next that `update` cannot (I/O, the terminal).
    pub request: Option<Request>,
    /// A load in the background, while there is one.
    pub loading: Option<Loading>,
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
            collapsed: HashSet::new(),
            tag_rows: Vec::new(),
            tag_cursor: 0,
            content: None,
            content_scroll: 0,
            diagram_scroll: 0,
            diagram_hscroll: 0,
            list_offset: 0,
            tag_offset: 0,
            restore_scroll: None,
            popup_scroll: 0,
            status: None,
            size,
            quit: false,
            request: None,
            loading: None,
        };
        // Top-level tags start collapsed so the tree fits; Enter opens one.
        app.collapsed = app
            .tree
            .roots
            .iter()
            .filter(|r| !r.children.is_empty())
            .map(|r| r.path.clone())
            .collect();
        app.refresh_list(None);
        app.refresh_tags();
        app
    }

    /// The key context: the popup's, else the focused pane's.
    pub fn context(&self) -> Context {
        match self.popup {
            Some(Popup::Search(_)) => Context::Search,
            Some(Popup::Help | Popup::Problems) => Context::Overlay,
            None => Context::Pane(self.focus),
        }
    }

    pub fn selected_note(&self) -> Option<NoteId> {
        self.visible.get(self.selected).copied()
    }

    /// Applies an action. No I/O; may return a follow-up action.
    pub fn update(&mut self, action: Action) -> Option<Action> {
        // Help and problems close on any key but scrolling.
        if matches!(self.popup, Some(Popup::Help | Popup::Problems)) {
            match action {
                Action::Down => self.popup_scroll = self.popup_scroll.saturating_add(1),
                Action::Up => self.popup_scroll = self.popup_scroll.saturating_sub(1),
                Action::Resize(w, h) => self.size = (w, h),
                Action::Quit => self.quit = true,
                _ => self.popup = None,
            }
            return None;
        }
        let page = self.size.1.saturating_sub(4).max(1) as isize;
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
                match pane {
                    Pane::List if self.list_offset + (row as usize) < self.visible.len() => {
                        self.selected = self.list_offset + row as usize
                    }
                    Pane::Tags if self.tag_offset + (row as usize) < self.tag_rows.len() => {
                        self.tag_cursor = self.tag_offset + row as usize
                    }
                    _ => {}
                }
            }
            Action::Scroll { pane, down } => self.move_by(pane, if down { 3 } else { -3 }),
            Action::Reload => self.request = Some(Request::Reload),
            Action::Edit => match self.selected_note() {
                Some(id) => self.request = Some(Request::Edit(id)),
                None => self.status = Some("no note selected to edit".to_owned()),
            },
            Action::Suspend => self.request = Some(Request::Suspend),
            Action::ScrollLeft => {
                self.diagram_hscroll = self.diagram_hscroll.saturating_sub(4);
            }
            Action::ScrollRight => {
                let widest = self
                    .content
                    .as_ref()
                    .and_then(|c| c.diagrams.first())
                    .map_or(0, |d| {
                        d.lines()
                            .map(unicode_width::UnicodeWidthStr::width)
                            .max()
                            .unwrap_or(0)
                    });
                let max = widest.saturating_sub(1).min(u16::MAX as usize) as u16;
                self.diagram_hscroll = self.diagram_hscroll.saturating_add(4).min(max);
            }
            Action::CycleSort => {
                self.sort = match self.sort {
                    Sort::Title => Sort::Created,
                    Sort::Created => Sort::Modified,
                    Sort::Modified => Sort::Title,
                };
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
                    if !self.collapsed.remove(&key) {
                        self.collapsed.insert(key);
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
                    self.open_note(note);
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
        let step = |pos: usize, len: usize| -> usize {
            let max = len.saturating_sub(1) as isize;
            (pos as isize).saturating_add(delta).clamp(0, max.max(0)) as usize
        };
        match pane {
            Pane::List => self.selected = step(self.selected, self.visible.len()),
            Pane::Tags => self.tag_cursor = step(self.tag_cursor, self.tag_rows.len()),
            Pane::Content => {
                let lines = self.content.as_ref().map_or(0, |c| c.lines.len());
                self.content_scroll =
                    step(self.content_scroll as usize, lines).min(u16::MAX as usize) as u16;
            }
            Pane::Diagram => {
                let lines = self
                    .content
                    .as_ref()
                    .and_then(|c| c.diagrams.first())
                    .map_or(0, |d| d.lines().count());
                self.diagram_scroll =
                    step(self.diagram_scroll as usize, lines).min(u16::MAX as usize) as u16;
            }
        }
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
        let mut rows = Vec::new();
        let mut hidden_below: Option<usize> = None;
        for (depth, node) in self.tree.flatten() {
            if hidden_below.is_some_and(|d| depth > d) {
                continue;
            }
            hidden_below = None;
            let collapsed = self.collapsed.contains(&node.path);
            if collapsed {
                hidden_below = Some(depth);
            }
            rows.push(TagRow {
                depth,
                path: node.path.clone(),
                name: node.name.clone(),
                count: node.count,
                has_children: !node.children.is_empty(),
            });
        }
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
            .into_iter()
            .filter(|b| b.may_be_diagram())
            .map(|b| b.text)
            .collect();
        self.content = Some(Content {
            note,
            note_path: n.path.clone(),
            text,
            diagrams,
            lines: Vec::new(),
            width: 0,
        });
        // After a reload the same note keeps its place (clamped once it is wrapped).
        (
            self.content_scroll,
            self.diagram_scroll,
            self.diagram_hscroll,
        ) = self.restore_scroll.take().unwrap_or_default();
    }

    /// Drops the shown body so that it is read from disk again before the next frame, at the
    /// same scroll.
    pub fn forget_content(&mut self) {
        if self.content.take().is_some() {
            self.restore_scroll = Some((
                self.content_scroll,
                self.diagram_scroll,
                self.diagram_hscroll,
            ));
        }
    }

    /// Keeps the list and tag cursors inside their panes, `list_rows` and `tag_rows` high,
    /// moving each view only as far as needed.
    pub fn keep_in_view(&mut self, list_rows: u16, tag_rows: u16) {
        fn fit(offset: usize, cursor: usize, rows: u16, len: usize) -> usize {
            let rows = rows.max(1) as usize;
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
            list_rows,
            self.visible.len(),
        );
        self.tag_offset = fit(
            self.tag_offset,
            self.tag_cursor,
            tag_rows,
            self.tag_rows.len(),
        );
    }

    /// Puts a freshly loaded vault in place, keeping what still makes sense: the selected
    /// note (by path) with its scroll, the tag filter, the collapsed tags, an open search.
    pub fn replace_vault(&mut self, vault: Vault) {
        let keep = self
            .selected_note()
            .map(|id| self.vault.notes[id].path.clone());
        self.vault = vault;
        self.index = SearchIndex::build(&self.vault.notes).with_budget(SCORING_BUDGET);
        self.searcher.reset();
        self.tree = TagTree::build(&self.vault.notes);
        let keep = keep.and_then(|p| self.vault.notes.iter().position(|n| n.path == p));
        self.restore_scroll = match (keep, &self.content) {
            (Some(id), Some(c)) if c.note_path == self.vault.notes[id].path => Some((
                self.content_scroll,
                self.diagram_scroll,
                self.diagram_hscroll,
            )),
            _ => None,
        };
        self.content = None;
        self.refresh_list(keep);
        self.refresh_tags();
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
            c.lines = display_lines(&c.text, Some(width));
            c.width = width;
            let last = c.lines.len().saturating_sub(1).min(u16::MAX as usize) as u16;
            self.content_scroll = self.content_scroll.min(last);
            let last = c
                .diagrams
                .first()
                .map_or(0, |d| d.lines().count().saturating_sub(1))
                .min(u16::MAX as usize) as u16;
            self.diagram_scroll = self.diagram_scroll.min(last);
        }
    }

    pub fn problems_len(&self) -> usize {
        self.vault.problems.len()
    }
}
