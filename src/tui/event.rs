//! The event loop's work off the terminal: the vault loads in a background thread (the
//! outline first, so the list shows at once, then everything) and a watcher reports changes
//! on disk. Both reach the loop as a [`Msg`] on one channel, drained between terminal events,
//! so drawing never waits on the disk.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::vault::{Depth, Progress, Vault};

use super::app::{App, Loading};

/// What background work tells the loop.
pub enum Msg {
    /// A load finished; `last` when no further stage follows.
    Loaded { vault: Vault, last: bool },
    /// A load failed (the folder went away, …).
    LoadFailed(String),
    /// Something in the vault changed on disk.
    Changed,
}

/// How long the vault must stay quiet after a change before it is read again, and the longest
/// a steady stream of changes (a sync tool at work) can hold a reload back.
const QUIET: Duration = Duration::from_millis(250);
const AT_MOST: Duration = Duration::from_millis(900);

pub struct Background {
    root: PathBuf,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    progress: Arc<Progress>,
    /// The stage of the load running now, if one is.
    running: Option<&'static str>,
    /// Changes seen and not yet read: (first, latest).
    changed: Option<(Instant, Instant)>,
    /// A reload asked for while another load ran.
    again: bool,
    /// The first load (outline, then everything) is still running.
    initial: bool,
    watcher: Option<notify::RecommendedWatcher>,
}

impl Background {
    /// Starts loading `root` (canonical) in the background and watching it. A watcher that
    /// cannot be set up (too many folders for the system's limit, …) costs only live reload:
    /// the returned message says so.
    pub fn start(root: PathBuf) -> (Background, Option<String>) {
        let (tx, rx) = channel();
        let mut bg = Background {
            root,
            tx,
            rx,
            progress: Arc::new(Progress::default()),
            running: None,
            changed: None,
            again: false,
            initial: true,
            watcher: None,
        };
        let warning = match bg.watch() {
            Ok(w) => {
                bg.watcher = Some(w);
                None
            }
            Err(e) => Some(format!(
                "not watching the vault for changes ({e}); press r to read it again"
            )),
        };
        bg.spawn_load(&[Depth::Outline, Depth::Full]);
        (bg, warning)
    }

    fn watch(&self) -> notify::Result<notify::RecommendedWatcher> {
        let tx = self.tx.clone();
        let root = self.root.clone();
        let mut watcher =
            notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                if let Ok(event) = res
                    && is_relevant(&root, &event)
                {
                    let _ = tx.send(Msg::Changed);
                }
            })?;
        watcher.watch(&self.root, RecursiveMode::Recursive)?;
        Ok(watcher)
    }

    /// Loads the vault to each depth in turn on a new thread, sending each result.
    fn spawn_load(&mut self, stages: &'static [Depth]) {
        self.progress.reset();
        self.running = Some(stage_name(stages[0], stages.len() > 1));
        let (root, tx, progress) = (
            self.root.clone(),
            self.tx.clone(),
            Arc::clone(&self.progress),
        );
        std::thread::spawn(move || {
            for (i, &depth) in stages.iter().enumerate() {
                progress.reset();
                let msg = match Vault::load_counting(&root, depth, &progress) {
                    Ok(vault) => Msg::Loaded {
                        vault,
                        last: i + 1 == stages.len(),
                    },
                    Err(e) => Msg::LoadFailed(format!("{e:#}")),
                };
                let failed = matches!(msg, Msg::LoadFailed(_));
                // The loop has gone when the send fails: nothing left to do.
                if tx.send(msg).is_err() || failed {
                    return;
                }
            }
        });
    }

    /// Whether changes on disk are being watched.
    pub fn watching(&self) -> bool {
        self.watcher.is_some()
    }

    /// Reads the vault again as soon as no load is running.
    pub fn reload(&mut self) {
        if self.running.is_some() {
            self.again = true;
        } else {
            self.changed = None;
            self.spawn_load(&[Depth::Full]);
        }
    }

    /// Applies what background work has sent, starts a reload when the vault has been quiet
    /// long enough after a change, and puts the load's progress on the app.
    pub fn tick(&mut self, app: &mut App) {
        while let Ok(msg) = self.rx.try_recv() {
            match msg {
                Msg::Loaded { vault, last } => {
                    app.replace_vault(vault);
                    if !last {
                        self.running = Some(stage_name(Depth::Full, false));
                    } else {
                        self.running = None;
                        if self.initial
                            && let Some(a) = app.after_load.take()
                        {
                            let mut next = Some(a);
                            while let Some(a) = next {
                                next = app.update(a);
                            }
                        }
                        if !std::mem::take(&mut self.initial) {
                            app.status = Some(format!(
                                "read the vault again: {} notes",
                                app.vault.notes.len()
                            ));
                        }
                    }
                }
                Msg::LoadFailed(e) => {
                    self.running = None;
                    self.initial = false;
                    app.status = Some(format!("cannot read the vault: {e}"));
                }
                Msg::Changed => {
                    let now = Instant::now();
                    let first = self.changed.map_or(now, |(f, _)| f);
                    self.changed = Some((first, now));
                }
            }
        }
        if self.running.is_none() {
            let due = self
                .changed
                .is_some_and(|(first, last)| last.elapsed() >= QUIET || first.elapsed() >= AT_MOST);
            if due || std::mem::take(&mut self.again) {
                self.reload();
            }
        }
        app.loading = self.running.map(|stage| {
            let (read, found) = self.progress.get();
            Loading { stage, read, found }
        });
    }

    /// How long the loop may wait for a terminal event before looking here again.
    pub fn timeout(&self) -> Duration {
        if self.running.is_some() {
            // The gauge moves.
            Duration::from_millis(50)
        } else if let Some((first, last)) = self.changed {
            (last + QUIET)
                .min(first + AT_MOST)
                .saturating_duration_since(Instant::now())
        } else {
            // Signals set a flag; this bounds how long leaving can take.
            Duration::from_millis(250)
        }
    }
}

fn stage_name(depth: Depth, more: bool) -> &'static str {
    match (depth, more) {
        (Depth::Outline, _) => "reading notes",
        (Depth::Full, false) => "indexing links and questions",
        (Depth::Full, true) => "reading notes",
    }
}

/// Whether a file-system event can change what the app shows: a change to a note, an
/// attachment (links resolve to them) or a folder, outside hidden folders. Opening and reading
/// files (the app's own reads among them) are not changes.
fn is_relevant(root: &Path, event: &notify::Event) -> bool {
    use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
    let kind_matters = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    };
    kind_matters
        && event.paths.iter().any(|p| {
            p.strip_prefix(root).is_ok_and(|rel| {
                !rel.components().any(|c| match c {
                    Component::Normal(name) => name.to_string_lossy().starts_with('.'),
                    _ => false,
                })
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};

    fn event(kind: EventKind, path: &str) -> notify::Event {
        notify::Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn relevant_changes() {
        let root = Path::new("/v");
        let create = EventKind::Create(CreateKind::File);
        assert!(is_relevant(root, &event(create, "/v/a.md")));
        assert!(is_relevant(root, &event(create, "/v/img/x.png")));
        assert!(!is_relevant(
            root,
            &event(create, "/v/.obsidian/workspace.json")
        ));
        assert!(!is_relevant(root, &event(create, "/v/sub/.git/index")));
        assert!(!is_relevant(root, &event(create, "/elsewhere/a.md")));
        assert!(!is_relevant(
            root,
            &event(EventKind::Access(AccessKind::Read), "/v/a.md")
        ));
        assert!(is_relevant(
            root,
            &event(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                "/v/a.md"
            )
        ));
        assert!(is_relevant(
            root,
            &event(EventKind::Modify(ModifyKind::Any), "/v/a.md")
        ));
    }
}
