//! What flows through the explorer's one loop: every [`Msg`] goes into
//! [`crate::tui::app::App::update`] (keys, mouse, resizes, what the loader and the workers
//! report), and what the app needs done goes out as an [`Effect`]: work for a worker
//! ([`Job`]), or something only the loop can do (the terminal, the loader).
//!
//! A job is plain data with a [`Job::run`] that does the work, so the same job runs on a worker
//! thread in the explorer and inline in `vaultscope snapshot` and the tests.

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{KeyEvent, MouseEvent};

use super::action::Action;
use crate::catalog::Catalog;
use crate::diagram::map::ArchMap;
use crate::diagram::{Drawing, Graph};
use crate::markdown::{DiagramMode, Drawings, Rendered};
use crate::sanitize;
use crate::search::text::{TextHit, TextStore};
use crate::search::{Hit, SearchIndex, Searcher};
use crate::study::store::{Loaded, Store, Synced};
use crate::study::{Entry, Overview, Progress};
use crate::time::Days;
use crate::vault::{NoteId, Vault};

/// A number no other request of this process has: a result names the request it answers, so
/// a late one (from a popup since closed, a note since left) is never taken for a newer one.
pub fn serial() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A load running in the background, for the status bar's gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loading {
    pub stage: &'static str,
    pub read: usize,
    pub found: usize,
}

/// Everything that can change the app.
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// An action, as if its key had been pressed (`vaultscope study` starts with one).
    Action(Action),
    /// How far the running load has come.
    Loading(Loading),
    /// A vault read and indexed. `initial` for the stages of the first load; `next` names the
    /// stage still to come, if one is.
    Loaded {
        catalog: Catalog,
        initial: bool,
        next: Option<&'static str>,
    },
    /// The search index of the catalog of this generation is built (it was sent without it,
    /// so the list showed sooner; see [`Catalog::search`]).
    SearchIndexed(u64),
    /// A load failed (the folder went away, ...).
    LoadFailed(String),
    /// Whether changes on disk are watched; why not, when not.
    Watching(Result<(), String>),
    /// A note's body read and rendered.
    Content(Box<ContentDone>),
    /// A diagram laid out and drawn.
    Drawn(Box<DrawDone>),
    /// The architecture map built.
    Map(Box<MapDone>),
    /// The study progress read from its files at start.
    ProgressLoaded(Result<Loaded, String>),
    /// The answers up to `rev` saved, with what other instances saved meanwhile.
    Saved {
        rev: u64,
        result: Result<Synced, String>,
    },
    /// Time to try a failed save (or load) of the study progress again.
    RetrySave,
    /// The study overview counted.
    Overview(Box<Overview>),
    /// Search hits for a query.
    Hits(Box<HitsDone>),
    /// The notes' text read for full-text search.
    TextIndexed {
        generation: u64,
        store: Arc<TextStore>,
        /// The vault it was read for (a store read for a catalog since replaced still lends
        /// its text to the next one).
        vault: Arc<Vault>,
    },
    /// Full-text hits for a query: found so far (`done` false), or all.
    TextHits(Box<TextHitsDone>),
    /// The questions of a study session gathered.
    Questions(Box<QuestionsDone>),
    /// The editor returned (what went wrong, if anything).
    EditorDone(Result<(), String>),
    /// Work on a worker failed (a bug: the app goes on without its result).
    Failed {
        lane: Lane,
        why: String,
    },
    /// Something to tell the user in the status bar.
    Notice(String),
    /// The terminal's picture protocol, found at start (`None`: half blocks).
    Graphics(Option<super::graphics::Graphics>),
    /// The terminal went away or a signal asked the app to end: leave now.
    Stop,
}

/// What the app asks of the loop.
pub enum Effect {
    /// Work for a worker; its result comes back as a [`Msg`].
    Job(Job),
    /// Read the vault again.
    Reload,
    /// Run the editor on this file (a path, not an id: the vault may be read again before the
    /// loop gets to it).
    Edit(PathBuf),
    /// Stop the process until the shell continues it.
    Suspend,
    /// Something large to free off the loop (an old catalog).
    Dispose(Box<dyn Send>),
    /// This message, after a while (a failed save tried again). Not in a snapshot or a test
    /// (`settle`): there, the test sends it when it wants.
    After(std::time::Duration, Box<Msg>),
}

/// The worker a job runs on. Each keeps only the newest job waiting: an older one's result
/// would be thrown away anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    Content,
    /// Layouts of the note's diagrams.
    Draw,
    /// Layouts of the map (long ones must not hold up a note's).
    DrawMap,
    Map,
    Save,
    Overview,
    Search,
    /// Full-text searches (apart from names searches, which must never wait behind one).
    TextSearch,
    Study,
    /// One-off work that nothing replaces.
    Once,
}

/// Work the app hands out.
pub enum Job {
    Content(ContentJob),
    Draw(DrawJob),
    Map(MapJob),
    Save(SaveJob),
    LoadProgress(Arc<Store>),
    Search(SearchJob),
    /// Read every note's text for full-text search.
    TextIndex {
        generation: u64,
        vault: Arc<Vault>,
        /// The store read before and its vault: the text of the files unchanged since is
        /// kept, not read again.
        previous: Option<(Arc<TextStore>, Arc<Vault>)>,
    },
    TextSearch(TextSearchJob),
    Questions(QuestionsJob),
    Overview {
        vault: Arc<Vault>,
        progress: Progress,
        now: i64,
        days: Days,
        limits: crate::study::Limits,
    },
    /// A job that fails, for the tests of what a failure does.
    #[cfg(test)]
    Panic,
}

/// Read a note's body (unless it is given), find its diagrams, render it for a width.
pub struct ContentJob {
    /// Tells this request's result from an older one's.
    pub serial: u64,
    /// The request that read the body: this one, or the one whose reading `read` reuses.
    pub read_serial: u64,
    pub vault: Arc<Vault>,
    pub generation: u64,
    pub note: NoteId,
    pub width: u16,
    /// Colours, highlighting, the time.
    pub look: super::panes::content::Look,
    /// How diagram blocks show.
    pub mode: DiagramMode,
    /// The body and diagrams already read (with the drawings made so far), when only the
    /// width or the mode changed.
    pub read: Option<(Arc<str>, Arc<Drawings>)>,
}

pub struct ContentDone {
    pub serial: u64,
    pub read_serial: u64,
    pub path: String,
    pub width: u16,
    pub mode: DiagramMode,
    pub text: Arc<str>,
    pub diagrams: Arc<Drawings>,
    pub rendered: Rendered,
}

/// What a drawing belongs to: a note's rendering (by its serial) or a map (by its serial).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Note(u64),
    Map(u64),
}

/// Which drawing of a graph: the author's grid or a re-layout, boxes or compact labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Look {
    pub relayout: bool,
    pub compact: bool,
    /// Laid out top to bottom whatever the author's direction (a pane too narrow for it).
    pub top_down: bool,
}

/// Lay out and draw one graph in each of `looks`.
pub struct DrawJob {
    pub owner: Owner,
    pub index: usize,
    pub graph: Arc<Graph>,
    pub looks: Vec<Look>,
    /// The whole map: its clusters drawn apart and packed to this width (see
    /// `diagram::map::draw_packed`).
    pub packed: Option<(Arc<super::panes::map::Ranges>, usize)>,
}

pub struct DrawDone {
    pub owner: Owner,
    pub index: usize,
    pub drawings: Vec<(Look, Arc<Drawing>)>,
}

/// Merge the diagrams of these notes into the architecture map.
pub struct MapJob {
    pub serial: u64,
    pub vault: Arc<Vault>,
    pub notes: Vec<NoteId>,
}

pub struct MapDone {
    pub serial: u64,
    pub map: ArchMap,
    /// A map of the notes read so far, while the rest are read: (read, of).
    pub partial: Option<(usize, usize)>,
    /// Why the map could not be built (a bug), when it could not.
    pub failure: Option<String>,
}

/// Append the answers not known saved, the last of them answer `rev`, to the journal.
pub struct SaveJob {
    pub store: Arc<Store>,
    pub entries: Vec<Entry>,
    pub rev: u64,
}

/// Search the catalog of `generation` for `query` (its filters applied to the hits).
pub struct SearchJob {
    pub serial: u64,
    pub generation: u64,
    pub index: Arc<SearchIndex>,
    pub query: String,
    pub limit: usize,
    pub filtering: Filtering,
}

/// What a query's filters need: the vault, its text (for `has:diagram`), the progress (for
/// `due:today`, only when the query has it).
#[derive(Clone)]
pub struct Filtering {
    pub vault: Arc<Vault>,
    pub store: Option<Arc<TextStore>>,
    pub progress: Option<(Progress, i64, Days)>,
}

impl Filtering {
    /// The notes with a question due today, when the progress was given.
    fn due(&self) -> Option<std::collections::HashSet<NoteId>> {
        let (progress, now, days) = self.progress.as_ref()?;
        Some(crate::study::due_notes(&self.vault, progress, *now, days))
    }
}

/// Search the text of the catalog of `generation` for `query`, streaming what is found.
pub struct TextSearchJob {
    pub serial: u64,
    pub generation: u64,
    pub query: String,
    pub limit: usize,
    pub filtering: Filtering,
    /// Set when the query changed: the search stops where it is.
    pub cancel: Arc<std::sync::atomic::AtomicBool>,
}

pub struct TextHitsDone {
    pub serial: u64,
    pub generation: u64,
    pub hits: Vec<TextHit>,
    /// All found (else more are coming).
    pub done: bool,
    /// Why the query cannot run.
    pub error: Option<String>,
}

pub struct HitsDone {
    pub serial: u64,
    pub generation: u64,
    pub hits: Vec<Hit>,
}

/// Gather the questions of `notes` for a session (only those due today when `due` is set),
/// within the daily limits.
pub struct QuestionsJob {
    pub serial: u64,
    pub vault: Arc<Vault>,
    pub generation: u64,
    pub notes: Vec<NoteId>,
    pub title: String,
    pub due: bool,
    pub progress: Progress,
    pub now: i64,
    pub days: Days,
    pub limits: crate::study::Limits,
}

pub struct QuestionsDone {
    pub serial: u64,
    pub generation: u64,
    pub title: String,
    pub due: bool,
    /// The questions to ask, and how many the limits held back.
    pub planned: crate::study::Planned,
}

thread_local! {
    /// A search worker's incremental searcher: a query typed one key further only looks at
    /// what the previous one matched (per catalog generation).
    static SEARCHER: std::cell::RefCell<(u64, Searcher)> = std::cell::RefCell::default();
}

impl Job {
    pub fn lane(&self) -> Lane {
        match self {
            Job::Content(_) => Lane::Content,
            Job::Draw(j) => match j.owner {
                Owner::Note(_) => Lane::Draw,
                Owner::Map(_) => Lane::DrawMap,
            },
            Job::Map(_) => Lane::Map,
            Job::Save(_) => Lane::Save,
            Job::Overview { .. } => Lane::Overview,
            Job::LoadProgress(_) => Lane::Once,
            Job::Search(_) => Lane::Search,
            Job::TextIndex { .. } => Lane::Once,
            Job::TextSearch(_) => Lane::TextSearch,
            Job::Questions(_) => Lane::Study,
            #[cfg(test)]
            Job::Panic => Lane::Overview,
        }
    }

    /// Does the work (reading, rendering, laying out, writing) and says how it went.
    pub fn run(self) -> Msg {
        self.run_streaming(&mut |_| {})
    }

    /// [`Job::run`], handing what a job finds on the way (a full-text search's first hits, the
    /// map's partial maps while a large vault is read) to `early` before the final message.
    pub fn run_streaming(self, early: &mut dyn FnMut(Msg)) -> Msg {
        match self {
            Job::TextIndex {
                generation,
                vault,
                previous,
            } => {
                let previous = previous.as_ref().map(|(s, v)| (&**s, &**v));
                Msg::TextIndexed {
                    generation,
                    store: Arc::new(TextStore::build_reusing(&vault, previous)),
                    vault,
                }
            }
            Job::TextSearch(j) => j.run(early),
            Job::Content(j) => Msg::Content(Box::new(j.run())),
            Job::Draw(j) => {
                let drawings = j
                    .looks
                    .iter()
                    .map(|&look| {
                        let d = match &j.packed {
                            Some((ranges, width)) => {
                                draw_packed_or_say(&j.graph, ranges, look, *width)
                            }
                            None => draw_or_say(&j.graph, look),
                        };
                        (look, Arc::new(d))
                    })
                    .collect();
                Msg::Drawn(Box::new(DrawDone {
                    owner: j.owner,
                    index: j.index,
                    drawings,
                }))
            }
            Job::Map(j) => {
                let (serial, of) = (j.serial, j.notes.len());
                let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let first = crate::diagram::map::FIRST_PARTIAL;
                    ArchMap::build_with(&j.vault, &j.notes, first, |map, read| {
                        early(Msg::Map(Box::new(MapDone {
                            serial,
                            map,
                            partial: Some((read, of)),
                            failure: None,
                        })))
                    })
                    .0
                }));
                let (map, failure) = match built {
                    Ok(map) => (map, None),
                    Err(p) => (ArchMap::empty(), Some(sanitize::panic_message(p.as_ref()))),
                };
                Msg::Map(Box::new(MapDone {
                    serial,
                    map,
                    partial: None,
                    failure,
                }))
            }
            Job::Save(j) => Msg::Saved {
                rev: j.rev,
                result: j
                    .store
                    .append(&j.entries, true)
                    .map_err(|e| crate::study::store::describe(&e)),
            },
            Job::Search(j) => {
                let query = crate::search::query::Query::parse(&j.query, true).ok();
                let filters = query.as_ref().map(|q| &q.filters).filter(|f| !f.is_empty());
                let hits = match (query.as_ref(), filters) {
                    (Some(q), Some(f)) => filtered_names(&j, &q.names_text, f),
                    _ => SEARCHER.with_borrow_mut(|(generation, searcher)| {
                        if *generation != j.generation {
                            searcher.reset();
                            *generation = j.generation;
                        }
                        let text = query.as_ref().map_or(j.query.as_str(), |q| &q.names_text);
                        searcher.search(&j.index, text, j.limit)
                    }),
                };
                Msg::Hits(Box::new(HitsDone {
                    serial: j.serial,
                    generation: j.generation,
                    hits,
                }))
            }
            Job::Questions(j) => {
                let mut questions = crate::study::questions(&j.vault, &j.notes);
                if j.due {
                    questions.retain(|q| crate::study::is_due(&j.progress, &q.id, j.now, &j.days));
                }
                let planned = crate::study::plan(questions, &j.progress, j.now, &j.days, j.limits);
                Msg::Questions(Box::new(QuestionsDone {
                    serial: j.serial,
                    generation: j.generation,
                    title: j.title,
                    due: j.due,
                    planned,
                }))
            }
            Job::LoadProgress(store) => {
                Msg::ProgressLoaded(store.load().map_err(|e| crate::study::store::describe(&e)))
            }
            Job::Overview {
                vault,
                progress,
                now,
                days,
                limits,
            } => Msg::Overview(Box::new(crate::study::overview(
                &vault, &progress, now, &days, limits,
            ))),
            #[cfg(test)]
            Job::Panic => panic!("on purpose"),
        }
    }
}

/// Names hits that pass the query's filters (see [`crate::search::text::filtered_names`]).
fn filtered_names(j: &SearchJob, words: &str, f: &crate::search::query::Filters) -> Vec<Hit> {
    let due = j.filtering.due();
    let cx = crate::search::text::FilterCx { due: due.as_ref() };
    let store = j.filtering.store.as_deref();
    let notes = &j.filtering.vault.notes;
    crate::search::text::filtered_names(&j.index, notes, words, (f, store, cx), j.limit)
}

impl TextSearchJob {
    fn run(self, early: &mut dyn FnMut(Msg)) -> Msg {
        use crate::search::text::{FilterCx, Run, search};
        let (serial, generation) = (self.serial, self.generation);
        let answer = |hits, done, error| {
            Msg::TextHits(Box::new(TextHitsDone {
                serial,
                generation,
                hits,
                done,
                error,
            }))
        };
        let query = match crate::search::query::Query::parse(&self.query, true) {
            Ok(q) => q,
            Err(e) => return answer(Vec::new(), true, Some(e.0)),
        };
        if !query.has_terms() && !query.filters.is_empty() {
            let why = crate::search::query::FILTERS_ONLY.to_owned();
            return answer(Vec::new(), true, Some(why));
        }
        let Some(store) = self.filtering.store.as_deref() else {
            return answer(
                Vec::new(),
                true,
                Some("the notes' text is not read yet".into()),
            );
        };
        let due = self.filtering.due();
        let cx = FilterCx { due: due.as_ref() };
        let mut partial = |hits: &[TextHit]| early(answer(hits.to_vec(), false, None));
        let run = Run {
            cancel: &self.cancel,
            partial: Some(&mut partial),
        };
        match search(store, &self.filtering.vault, &query, cx, self.limit, run) {
            Some(r) => answer(r.hits, true, None),
            // Cancelled: a newer query is on its way; this answer is not taken.
            None => answer(Vec::new(), true, None),
        }
    }
}

/// The whole map drawn by clusters, or a drawing that says why not.
fn draw_packed_or_say(
    g: &Graph,
    ranges: &super::panes::map::Ranges,
    look: Look,
    width: usize,
) -> Drawing {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::diagram::map::draw_packed(g, ranges, look.compact, width)
    }))
    .unwrap_or_else(|p| {
        crate::diagram::Drawing::message(
            &format!(
                "the map could not be drawn: {}",
                sanitize::panic_message(p.as_ref())
            ),
            look.compact,
        )
    })
}

/// A graph drawn, or, when drawing it fails (a bug), a drawing that says so: the pane that
/// asked gets an answer either way.
fn draw_or_say(g: &Graph, look: Look) -> Drawing {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::diagram::draw_as(g, look.relayout, look.compact, look.top_down)
    }))
    .unwrap_or_else(|p| {
        crate::diagram::Drawing::message(
            &format!(
                "this diagram could not be drawn: {}",
                sanitize::panic_message(p.as_ref())
            ),
            look.compact,
        )
    })
}

impl ContentJob {
    /// Reads and renders the note; a failure inside (a bug) gives a rendering that says so.
    fn run(self) -> ContentDone {
        let (serial, read_serial, width, mode) =
            (self.serial, self.read_serial, self.width, self.mode);
        let path = self.vault.notes[self.note].path.clone();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.read_and_render()))
            .unwrap_or_else(|p| {
                let why = format!(
                    "this note could not be shown: {}",
                    sanitize::panic_message(p.as_ref())
                );
                ContentDone {
                    serial,
                    read_serial,
                    path,
                    width,
                    mode,
                    text: Arc::from(""),
                    diagrams: Arc::default(),
                    rendered: Rendered {
                        lines: vec![ratatui::text::Line::raw(why.clone())],
                        failure: Some(why),
                        ..Rendered::default()
                    },
                }
            })
    }

    fn read_and_render(self) -> ContentDone {
        let n = &self.vault.notes[self.note];
        let (text, diagrams) = self.read.unwrap_or_else(|| {
            let text: Arc<str> = match self.vault.read_body(self.note) {
                Ok(t) => t.into(),
                Err(e) => format!("(cannot read {}: {e})", n.path).into(),
            };
            let diagrams = Arc::new(Drawings::of_body(&text, n.body_line));
            (text, diagrams)
        });
        // Drawing the diagram blocks is part of this job: the drawings are made here, on the
        // worker, and kept with the reading for the next width or mode.
        let rendered = super::panes::content::render(
            &self.vault,
            self.note,
            &text,
            self.width,
            self.look,
            crate::markdown::DiagramView {
                mode: self.mode,
                drawings: Some(&diagrams),
            },
        );
        ContentDone {
            serial: self.serial,
            read_serial: self.read_serial,
            path: n.path.clone(),
            width: self.width,
            mode: self.mode,
            text,
            diagrams,
            rendered,
        }
    }
}
