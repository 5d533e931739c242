//! The loader: a thread that reads the vault and indexes it ([`Catalog`]), the outline first
//! so the list shows at once, then everything; then sets up the watcher, and reads the vault
//! again when it changes on disk (after a quiet spell) or when asked. All it finds reaches the
//! loop as [`Msg`]s: progress for the gauge, catalogs, failures. Nothing here runs on the loop,
//! so a first frame never waits for the disk or for inotify.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use super::msg::{Loading, Msg};
use crate::catalog::Catalog;
use crate::vault::cache::{Cache, Place};
use crate::vault::{Depth, Kept, Progress, TitleRule, Vault};

/// How long the vault must stay quiet after a change before it is read again, and the longest
/// a steady stream of changes (a sync tool at work) can hold a reload back.
const QUIET: Duration = Duration::from_millis(250);
const AT_MOST: Duration = Duration::from_millis(900);
/// How often the gauge moves while a load runs.
const GAUGE_EVERY: Duration = Duration::from_millis(100);

/// `VAULTSCOPE_LOAD_TRACE=<file>`: each step of a load is appended to the file as it ends, in
/// milliseconds since the loader started, to see where a start's time goes (the pty bench
/// measures only the whole). Off (one check of a static) when the variable is not set.
pub mod trace {
    use std::io::Write;
    use std::sync::{Mutex, OnceLock};
    use std::time::Instant;

    static TRACE: OnceLock<Option<(Instant, Mutex<std::fs::File>)>> = OnceLock::new();

    /// Notes that `what` just ended (formatted only when tracing is on).
    pub fn step(what: std::fmt::Arguments) {
        let trace = TRACE.get_or_init(|| {
            let path = std::env::var_os("VAULTSCOPE_LOAD_TRACE")?;
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .ok()?;
            Some((Instant::now(), Mutex::new(file)))
        });
        if let Some((t0, file)) = trace
            && let Ok(mut f) = file.lock()
        {
            let _ = writeln!(f, "{:8.1} ms  {what}", t0.elapsed().as_secs_f64() * 1e3);
        }
    }
}

pub const READING: &str = "reading notes";
/// The gauge's stage while the names' search index is built, between the two stages.
pub const NAMING: &str = "indexing names";
pub const INDEXING: &str = "indexing links and questions";

enum Cmd {
    /// Read the vault again (the user asked).
    Reload,
    /// Something in the vault changed on disk.
    Changed,
}

/// The handle the loop keeps: asks for reloads.
pub struct Loader {
    cmds: Sender<Cmd>,
}

impl Loader {
    /// Starts loading `root` (canonical) on a thread of its own, its titles taken by
    /// `titles`, reporting to `out`, with no metadata cache.
    pub fn start(root: PathBuf, titles: TitleRule, out: Sender<Msg>) -> Loader {
        Loader::start_with(root, titles, Place::Off, out)
    }

    /// [`Loader::start`] with the metadata cache kept at `cache`: every load takes the notes
    /// unchanged since the last one from it, and writes it anew (on this thread, after its
    /// catalog is sent) when something changed.
    pub fn start_with(root: PathBuf, titles: TitleRule, cache: Place, out: Sender<Msg>) -> Loader {
        trace::step(format_args!("loader started"));
        let (cmds, rx) = channel();
        let watch_tx = cmds.clone();
        let fail = out.clone();
        let spawned = std::thread::Builder::new()
            .name("loader".into())
            .spawn(move || serve(&root, titles, &cache, &out, &rx, watch_tx));
        if let Err(e) = spawned {
            // No thread: say so; the explorer shows an empty vault.
            let _ = fail.send(Msg::LoadFailed(format!("cannot start the loader: {e}")));
        }
        Loader { cmds }
    }

    /// Reads the vault again as soon as no load is running.
    pub fn reload(&self) {
        let _ = self.cmds.send(Cmd::Reload);
    }
}

/// Lowers this thread's priority to the least there is (`SCHED_IDLE`, Linux): loading is
/// background work, and on a machine with two cores it must not make the loop (or the workers
/// answering the user) wait for a time slice. Measured at 100k notes: keys answered within
/// 45 ms at worst while loading (nice 10: 60-150 ms), and the load itself no slower. Threads
/// the loader starts (the watcher's) inherit it.
fn yield_to_the_loop() {
    #[cfg(target_os = "linux")]
    {
        use thread_priority::unix::{
            NormalThreadSchedulePolicy, ThreadSchedulePolicy, set_thread_priority_and_policy,
            thread_native_id,
        };
        let idle = ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle);
        let _ = set_thread_priority_and_policy(
            thread_native_id(),
            thread_priority::ThreadPriority::Min,
            idle,
        );
    }
}

/// The loader thread: the first load in two stages, the watcher, then reloads as needed.
fn serve(
    root: &Path,
    titles: TitleRule,
    cache: &Place,
    out: &Sender<Msg>,
    cmds: &Receiver<Cmd>,
    watch_tx: Sender<Cmd>,
) {
    yield_to_the_loop();
    // Reading and parsing fan out on a pool of the loader's own, at the loader's priority
    // (the global pool serves the workers).
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("load-{i}"))
        .start_handler(|_| yield_to_the_loop())
        .build();
    let pool = match pool {
        Ok(p) => p,
        Err(e) => {
            let _ = out.send(Msg::LoadFailed(format!("cannot start the loader: {e}")));
            return;
        }
    };
    run(&pool, (root, titles), cache, out, cmds, watch_tx);
}

fn run(
    pool: &rayon::ThreadPool,
    (root, titles): (&Path, TitleRule),
    place: &Place,
    out: &Sender<Msg>,
    cmds: &Receiver<Cmd>,
    watch_tx: Sender<Cmd>,
) {
    let mut watch: Option<Watch> = None;
    // The first load: the outline, then everything. A load that fails (the folder is gone
    // for a moment) is said and then tried again when asked or when the disk changes; until
    // one succeeds, every load counts as the first.
    let mut first_done = false;
    // A full load through the cache, written anew after when something changed; its indexes
    // those of the catalog sent last when its notes give them the same input.
    let full = |first: bool, before: Option<Catalog>, kept: Option<&Kept>| {
        let cache = (Cache::open(place, root), true, kept);
        stage(
            pool,
            (root, titles),
            (Depth::Full, INDEXING),
            out,
            first,
            None,
            cache,
            before,
        )
    };
    // The catalog sent last (shared with the loop: it costs no memory of its own).
    let mut last: Option<Catalog>;
    let cache = Cache::open(place, root);
    // Its file is read by the first stage, beside that stage's walk.
    trace::step(format_args!("cache opened (not read yet)"));
    if let Some(notice) = cache.notice() {
        let _ = out.send(Msg::Notice(notice.to_owned()));
    }
    // Two stages even when the cache holds every note parsed fully: its outline parts alone
    // make the list several times sooner than the full load (measured at 100k notes, the
    // cache filled, benches/pty.rs second_start: the list on screen after 2.3 s in two
    // stages, 6.2 s in one; fully indexed after 7.1 s and 6.2 s). The outline stage does not
    // write the cache: the full stage right after does. What the outline stage parsed the
    // full stage extends, for each note whose file is unchanged.
    let mut kept = Kept::default();
    match stage(
        pool,
        (root, titles),
        (Depth::Outline, READING),
        out,
        true,
        Some(INDEXING),
        (cache, false, Some(&kept)),
        None,
    ) {
        Stage::Gone => return,
        Stage::Failed => last = None,
        Stage::Sent(folders, outline) => {
            // Watched from here on: a change made while the full stage reads is caught, one
            // made before it is read by it.
            watch = start_watching(root, &watch_tx, out);
            keep_watching(&mut watch, &folders, out);
            kept.outline_loaded(outline.vault.clone());
            trace::step(format_args!("{} notes kept", kept.len()));
            match full(true, Some(outline), Some(&kept)) {
                Stage::Gone => return,
                Stage::Failed => last = None,
                Stage::Sent(folders, catalog) => {
                    last = Some(catalog);
                    first_done = true;
                    keep_watching(&mut watch, &folders, out);
                }
            }
        }
    }
    // What the full stage did not take (files changed since, or gone) is of no more use, nor
    // is the outline it holds.
    trace::step(format_args!("{} notes extended", kept.served()));
    drop(kept);
    let mut changed: Option<(Instant, Instant)> = None;
    loop {
        let cmd = match changed {
            Some((first, last)) => {
                let due = (last + QUIET).min(first + AT_MOST);
                match cmds.recv_timeout(due.saturating_duration_since(Instant::now())) {
                    Ok(c) => Some(c),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            None => match cmds.recv() {
                Ok(c) => Some(c),
                Err(_) => return,
            },
        };
        if let Some(Cmd::Changed) = cmd {
            let now = Instant::now();
            changed = Some((changed.map_or(now, |(f, _)| f), now));
            continue;
        }
        // Asked, or quiet long enough after a change. What queued meanwhile is read by this
        // load too.
        changed = None;
        while cmds.try_recv().is_ok() {}
        match full(!first_done, last.take(), None) {
            Stage::Gone => return,
            Stage::Failed => {}
            Stage::Sent(folders, catalog) => {
                last = Some(catalog);
                first_done = true;
                if watch.is_none() {
                    watch = start_watching(root, &watch_tx, out);
                }
                keep_watching(&mut watch, &folders, out);
            }
        }
    }
}

/// Sets up the watcher (watching nothing yet) and says whether it could be.
fn start_watching(root: &Path, tx: &Sender<Cmd>, out: &Sender<Msg>) -> Option<Watch> {
    match Watch::start(root, tx.clone()) {
        Ok(w) => {
            let _ = out.send(Msg::Watching(Ok(())));
            Some(w)
        }
        Err(e) => {
            let _ = out.send(Msg::Watching(Err(e.to_string())));
            None
        }
    }
}

/// Watches the folders a load read, and says which could not be.
fn keep_watching(watch: &mut Option<Watch>, folders: &[PathBuf], out: &Sender<Msg>) {
    let Some(w) = watch else { return };
    let failed = w.sync(folders);
    if let Some(first) = failed.first() {
        let _ = out.send(Msg::Notice(format!(
            "{} folder(s) cannot be watched ({}: {}); changes there need r",
            failed.len(),
            crate::sanitize::line(&first.0.to_string_lossy()),
            first.1
        )));
    }
}

/// What watches folders: the real watcher, or a stand-in in tests.
trait Watches {
    fn add(&mut self, folder: &Path) -> Result<(), String>;
    fn remove(&mut self, folder: &Path);
}

impl Watches for notify::RecommendedWatcher {
    fn add(&mut self, folder: &Path) -> Result<(), String> {
        self.watch(folder, RecursiveMode::NonRecursive)
            .map_err(|e| match e.kind {
                // The system's own words, without notify's list of paths.
                notify::ErrorKind::Io(io) => io.to_string(),
                other => format!("{other:?}"),
            })
    }

    fn remove(&mut self, folder: &Path) {
        let _ = self.unwatch(folder);
    }
}

/// The watcher and the folders it watches: exactly those the last load read, one watch each
/// (not a recursive watch of the root, which would follow a folder symlink out of the vault,
/// watch hidden folders, and fail whole on one unreadable folder).
struct Watch {
    watcher: notify::RecommendedWatcher,
    folders: HashSet<PathBuf>,
}

impl Watch {
    fn start(root: &Path, tx: Sender<Cmd>) -> notify::Result<Watch> {
        let root: Arc<Path> = root.into();
        let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res
                && is_relevant(&root, &event)
            {
                let _ = tx.send(Cmd::Changed);
            }
        })?;
        Ok(Watch {
            watcher,
            folders: HashSet::new(),
        })
    }

    /// Watches `folders` and no other; returns those that could not be watched, with why.
    fn sync(&mut self, folders: &[PathBuf]) -> Vec<(PathBuf, String)> {
        sync_watches(&mut self.watcher, &mut self.folders, folders)
    }
}

/// Brings `watched` to `want`: unwatches what went, watches what came. A folder that cannot be
/// watched is left out (and returned); the others are watched all the same.
fn sync_watches(
    w: &mut impl Watches,
    watched: &mut HashSet<PathBuf>,
    want: &[PathBuf],
) -> Vec<(PathBuf, String)> {
    let want: HashSet<&PathBuf> = want.iter().collect();
    watched.retain(|f| {
        let keep = want.contains(f);
        if !keep {
            w.remove(f);
        }
        keep
    });
    let mut failed = Vec::new();
    for f in want {
        if !watched.contains(f) {
            match w.add(f) {
                Ok(()) => {
                    watched.insert(f.clone());
                }
                Err(why) => failed.push((f.clone(), why)),
            }
        }
    }
    failed.sort();
    failed
}

/// How a stage went.
enum Stage {
    /// Loaded and sent; the folders it read, and the catalog sent.
    Sent(Vec<PathBuf>, Catalog),
    /// The load failed; the failure was sent.
    Failed,
    /// The loop is gone: nothing left to do.
    Gone,
}

/// Loads and indexes the vault to `depth` through `cache` (and `kept`: see
/// [`Vault::load_keeping`]), moving the gauge as it goes, and
/// sends the result; then writes the cache anew when `write` and something changed. The
/// indexes are those of `before` when they would come out the same.
#[allow(clippy::too_many_arguments)]
fn stage(
    pool: &rayon::ThreadPool,
    (root, titles): (&Path, TitleRule),
    (depth, name): (Depth, &'static str),
    out: &Sender<Msg>,
    initial: bool,
    next: Option<&'static str>,
    (cache, write, kept): (Cache, bool, Option<&Kept>),
    before: Option<Catalog>,
) -> Stage {
    let progress = Progress::default();
    let done = AtomicBool::new(false);
    let mut folders = Vec::new();
    let read_folders = &mut folders;
    let mut sending = None;
    let sent_catalog = &mut sending;
    let mut update = None;
    let cache_update = &mut update;
    let msg = std::thread::scope(|s| {
        let gauge = s.spawn(|| {
            let mut last = (usize::MAX, usize::MAX);
            while !done.load(Ordering::Relaxed) {
                std::thread::park_timeout(GAUGE_EVERY);
                let (read, found) = progress.get();
                if (read, found) != last && !done.load(Ordering::Relaxed) {
                    last = (read, found);
                    let l = Loading {
                        stage: name,
                        read,
                        found,
                    };
                    if out.send(Msg::Loading(l)).is_err() {
                        return;
                    }
                }
            }
        });
        // A panic in the loader (a bug) is a failed load, not a dead loader.
        let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.install(|| {
                Vault::load_keeping(root, depth, &progress, cache, kept).map(|(vault, update)| {
                    trace::step(format_args!("{name}: loaded"));
                    let vault = vault.with_titles(titles);
                    trace::step(format_args!("{name}: titled"));
                    // A stage with another to come sends its list before its search index
                    // is built (the full stage takes it); the last sends everything at once.
                    let catalog = if next.is_some() {
                        Catalog::build_lists_after(vault, before.as_ref())
                    } else {
                        Catalog::build_after(vault, before.as_ref())
                    };
                    trace::step(format_args!("{name}: catalog built"));
                    (catalog, update)
                })
            })
        }));
        let msg = match loaded {
            Ok(Ok((catalog, update))) => {
                *cache_update = Some(update);
                *read_folders = catalog.vault.folders.clone();
                *sent_catalog = Some(catalog.clone());
                Msg::Loaded {
                    catalog,
                    initial,
                    next,
                }
            }
            Ok(Err(e)) => Msg::LoadFailed(format!("{e:#}")),
            Err(p) => Msg::LoadFailed(format!(
                "the loader failed (a bug: {}); r tries again",
                crate::sanitize::panic_message(p.as_ref())
            )),
        };
        done.store(true, Ordering::Relaxed);
        gauge.thread().unpark();
        msg
    });
    let sent = out.send(msg).is_ok();
    // The old catalog's last holder may be this thread: freed before the cache is written,
    // as it was when only the loop held it.
    drop(before);
    trace::step(format_args!("{name}: sent"));
    if let Some(catalog) = sending.as_ref().filter(|_| sent) {
        index_search(pool, catalog, out);
        trace::step(format_args!("{name}: search indexed"));
    }
    // After the catalog went: the loop has it while this thread writes. A cache that cannot
    // be written is no matter (the next load reads the files).
    if let Some(update) = update.filter(|_| write && sent) {
        let _ = update.write();
        trace::step(format_args!("{name}: cache written"));
    }
    match (sent, sending) {
        (false, _) => Stage::Gone,
        // Only a load that succeeded has a catalog to keep.
        (true, Some(catalog)) => Stage::Sent(folders, catalog),
        (true, None) => Stage::Failed,
    }
}

/// Builds the search index of `catalog` (sent without it) and says so to the loop. A panic
/// (a bug) is said, and leaves an empty index in its place (taken by the next catalog of the
/// same notes).
fn index_search(pool: &rayon::ThreadPool, catalog: &Catalog, out: &Sender<Msg>) {
    if catalog.search().is_some() {
        return;
    }
    // Said, or the gauge would show the next stage at 0/0 until it starts.
    let naming = Loading {
        stage: NAMING,
        read: 0,
        found: 0,
    };
    let _ = out.send(Msg::Loading(naming));
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pool.install(|| catalog.index_search())
    }));
    match built {
        Ok(false) => return,
        Ok(true) => {}
        Err(p) => {
            // Else the popup would say it is indexing for good.
            catalog.without_search();
            let _ = out.send(Msg::Notice(format!(
                "the names' search index failed (a bug: {}): names search finds nothing \
                 until the vault changes",
                crate::sanitize::panic_message(p.as_ref())
            )));
        }
    }
    let _ = out.send(Msg::SearchIndexed(catalog.generation));
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

    #[test]
    fn the_first_load_comes_in_two_stages_then_changes_are_read_again() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
        let root = Vault::open_root(dir.path()).unwrap();
        let (tx, rx) = channel();
        let loader = Loader::start(root, TitleRule::FileName, tx);
        let wait = |what: &dyn Fn(&Msg) -> bool| loop {
            let m = rx.recv_timeout(Duration::from_secs(20)).expect("a message");
            if what(&m) {
                return m;
            }
        };
        let first = wait(&|m| matches!(m, Msg::Loaded { .. }));
        let Msg::Loaded { catalog, next, .. } = first else {
            unreachable!()
        };
        assert_eq!(catalog.vault.depth, Depth::Outline);
        assert_eq!(next, Some(INDEXING));
        // The outline's search index comes after its list, before the full stage, which
        // takes it (built once) and has it when it comes.
        let outline = catalog;
        // The gauge names the names' indexing (not the next stage at 0/0) while it runs.
        let naming = wait(&|m| {
            matches!(
                m,
                Msg::Loading(_) | Msg::SearchIndexed(_) | Msg::Loaded { .. }
            )
        });
        assert!(
            matches!(naming, Msg::Loading(l) if l.stage == NAMING),
            "the names' indexing was not said first"
        );
        let indexed = wait(&|m| matches!(m, Msg::SearchIndexed(_) | Msg::Loaded { .. }));
        assert!(
            matches!(indexed, Msg::SearchIndexed(g) if g == outline.generation),
            "no SearchIndexed for the outline before the full stage"
        );
        assert_eq!(outline.search().expect("built").search("a", 5).len(), 1);
        let Msg::Loaded { catalog, next, .. } = wait(&|m| matches!(m, Msg::Loaded { .. })) else {
            unreachable!()
        };
        assert_eq!((catalog.vault.depth, next), (Depth::Full, None));
        assert!(Arc::ptr_eq(
            catalog.search().expect("the full stage's index"),
            outline.search().unwrap()
        ));
        // A new note is picked up without asking; a reload on request too.
        std::fs::write(dir.path().join("b.md"), "# B\n").unwrap();
        let Msg::Loaded {
            catalog, initial, ..
        } = wait(&|m| matches!(m, Msg::Loaded { .. }))
        else {
            unreachable!()
        };
        assert!(!initial);
        assert_eq!(catalog.vault.notes.len(), 2);
        loader.reload();
        assert!(matches!(
            wait(&|m| matches!(m, Msg::Loaded { .. })),
            Msg::Loaded { .. }
        ));
        // The folder goes away for a while: the reload fails and says so; once it is back,
        // the next one works.
        let parked = dir.path().with_extension("parked");
        std::fs::rename(dir.path(), &parked).unwrap();
        loader.reload();
        let failed = wait(&|m| matches!(m, Msg::LoadFailed(_) | Msg::Loaded { .. }));
        assert!(matches!(failed, Msg::LoadFailed(_)));
        std::fs::rename(&parked, dir.path()).unwrap();
        loader.reload();
        let Msg::Loaded { catalog, .. } =
            wait(&|m| matches!(m, Msg::Loaded { .. } | Msg::LoadFailed(_)))
        else {
            panic!("no load after the folder came back")
        };
        assert_eq!(catalog.vault.notes.len(), 2);
    }

    /// With the cache filled or not, the first load comes in two stages whose catalogs are
    /// those of loads without cache; the full stage fills the cache. A cache folder inside the
    /// vault is said once, and nothing is written there.
    #[cfg(target_os = "linux")]
    #[test]
    fn through_the_cache_the_stages_are_those_of_loads_without_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "# A\n[[b]]\nQ: why?\nA: because\n").unwrap();
        std::fs::write(dir.path().join("b.md"), "---\ntags: [x]\n---\n# B\n").unwrap();
        let root = Vault::open_root(dir.path()).unwrap();
        let cache_dir = tempfile::tempdir().unwrap();
        let place = Place::Folder(cache_dir.path().to_path_buf());
        let stages = |place: &Place| {
            let (tx, rx) = channel();
            let loader = Loader::start_with(root.clone(), TitleRule::default(), place.clone(), tx);
            let mut notices = Vec::new();
            let mut catalogs = Vec::new();
            while catalogs.len() < 2 {
                match rx.recv_timeout(Duration::from_secs(20)).expect("a message") {
                    Msg::Loaded { catalog, next, .. } => catalogs.push((catalog, next)),
                    Msg::Notice(n) => notices.push(n),
                    _ => {}
                }
            }
            (catalogs, notices, loader)
        };
        let cold = |depth| format!("{:#?}", Vault::load_to(&root, depth).unwrap());
        let check = |catalogs: &[(Catalog, Option<&str>)]| {
            assert_eq!(catalogs[0].1, Some(INDEXING));
            assert_eq!(format!("{:#?}", catalogs[0].0.vault), cold(Depth::Outline));
            assert_eq!(catalogs[1].1, None);
            assert_eq!(format!("{:#?}", catalogs[1].0.vault), cold(Depth::Full));
        };
        // No cache file yet.
        let (catalogs, _, loader) = stages(&place);
        check(&catalogs);
        drop(loader);
        // A run that filled the cache (as `vaultscope check` does): the same stages.
        let cache = Cache::open(&place, &root);
        let (_, update) =
            Vault::load_with_cache(&root, Depth::Full, &Progress::default(), cache).unwrap();
        update.write().unwrap();
        assert!(Cache::open(&place, &root).warm_for_full());
        let (catalogs, _, _loader) = stages(&place);
        check(&catalogs);
        // The cache folder inside the vault: said, and the vault left as it was.
        let inside = Place::Folder(root.join(".cache"));
        let (catalogs, notices, loader) = stages(&inside);
        check(&catalogs);
        assert!(
            notices.iter().any(|n| n.contains("inside the vault")),
            "{notices:?}"
        );
        drop(loader);
        assert!(!root.join(".cache").exists());
    }

    /// A stand-in watcher that refuses one folder.
    #[derive(Default)]
    struct Fake {
        watched: Vec<PathBuf>,
        refuse: Option<PathBuf>,
    }

    impl Watches for Fake {
        fn add(&mut self, folder: &Path) -> Result<(), String> {
            if self.refuse.as_deref() == Some(folder) {
                return Err("permission denied".into());
            }
            self.watched.push(folder.to_path_buf());
            Ok(())
        }
        fn remove(&mut self, folder: &Path) {
            self.watched.retain(|f| f != folder);
        }
    }

    #[test]
    fn one_folder_that_cannot_be_watched_leaves_the_others_watched() {
        let p = |s: &str| PathBuf::from(s);
        let mut w = Fake {
            refuse: Some(p("/v/locked")),
            ..Fake::default()
        };
        let mut set = HashSet::new();
        let failed = sync_watches(&mut w, &mut set, &[p("/v"), p("/v/locked"), p("/v/a")]);
        assert_eq!(failed, [(p("/v/locked"), "permission denied".to_owned())]);
        let mut watched = w.watched.clone();
        watched.sort();
        assert_eq!(watched, [p("/v"), p("/v/a")]);
        // A folder that went is unwatched; a new one is watched; the refused one is tried again.
        let failed = sync_watches(&mut w, &mut set, &[p("/v"), p("/v/b"), p("/v/locked")]);
        assert_eq!(failed.len(), 1);
        let mut watched = w.watched.clone();
        watched.sort();
        assert_eq!(watched, [p("/v"), p("/v/b")]);
    }

    /// The inodes this process has inotify watches on (from /proc/self/fdinfo).
    #[cfg(target_os = "linux")]
    fn watched_inodes() -> HashSet<u64> {
        let mut out = HashSet::new();
        for fd in std::fs::read_dir("/proc/self/fdinfo").unwrap().flatten() {
            let Ok(text) = std::fs::read_to_string(fd.path()) else {
                continue;
            };
            for line in text.lines().filter(|l| l.starts_with("inotify wd:")) {
                let ino = line
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("ino:"))
                    .and_then(|h| u64::from_str_radix(h, 16).ok());
                out.extend(ino);
            }
        }
        out
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn only_the_folders_the_loader_reads_are_watched() {
        use std::os::unix::fs::MetadataExt;
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        let outside = tempfile::tempdir().unwrap();
        for i in 0..20 {
            std::fs::create_dir_all(outside.path().join(format!("deep/d{i}"))).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let v = dir.path();
        std::fs::create_dir_all(v.join("notes/sub")).unwrap();
        std::fs::create_dir_all(v.join(".git/objects")).unwrap();
        std::fs::write(v.join("notes/sub/a.md"), "# A\n").unwrap();
        std::os::unix::fs::symlink(outside.path(), v.join("ext")).unwrap();
        let root = Vault::open_root(v).unwrap();
        let vault = Vault::load(&root).unwrap();
        let (tx, _rx) = channel();
        let mut w = Watch::start(&root, tx).unwrap();
        assert!(w.sync(&vault.folders).is_empty());
        let watched = watched_inodes();
        for inside in ["", "notes", "notes/sub"] {
            assert!(
                watched.contains(&ino(&root.join(inside))),
                "{inside:?} not watched"
            );
        }
        for not_read in [
            v.join(".git"),
            v.join(".git/objects"),
            outside.path().to_path_buf(),
        ] {
            assert!(
                !watched.contains(&ino(&not_read)),
                "{not_read:?} is watched"
            );
        }
        for i in 0..20 {
            let d = outside.path().join(format!("deep/d{i}"));
            assert!(!watched.contains(&ino(&d)), "{d:?} is watched");
        }
        // A folder that cannot be watched (gone since the walk) leaves the others watched.
        let mut folders = vault.folders.clone();
        folders.push(root.join("vanished"));
        let failed = w.sync(&folders);
        assert_eq!(failed.len(), 1);
        assert!(watched_inodes().contains(&ino(&root.join("notes/sub"))));
    }
}
