//! The progress files: outside the vault, under `$XDG_STATE_HOME/vaultscope/` (else
//! `~/.local/state/vaultscope/`), two per vault, named after a hash of the vault's canonical
//! path:
//!
//! - `progress-<hash>.json`, the snapshot: every card and review. Written whole only now and
//!   then (a compaction), atomically: a temporary file, fsync, rename over the old one, fsync
//!   of the folder. A crash or a kill at any moment leaves the old file or the new one, whole.
//! - `progress-<hash>.journal`, the answers since: a header line naming this journal, then one
//!   JSON line per answer ([`Entry`]). A save appends its answers and fsyncs, so an answer
//!   costs a line, not a rewrite of the whole history. A writer killed mid-line leaves a torn
//!   last line, which was never reported saved: reading ignores it and the next save cuts it
//!   off.
//!
//! Reading is the snapshot with the journal folded in. Reviews are kept by id, so folding an
//! answer twice changes nothing: a compaction writes the snapshot first and starts a new
//! journal after, and a crash between them leaves a journal whose answers are already in the
//! snapshot, harmless. Read without the lock (`peek`), the journal is read before the
//! snapshot for the same reason: a compaction meanwhile is seen as a newer snapshot, never as
//! a lost journal.
//!
//! - Never silently overwritten when it cannot be read: a corrupt, truncated or newer-version
//!   file is moved aside with a timestamp in its name, the caller gets a message for the user,
//!   and study starts fresh (a journal's readable answers are kept in the snapshot first).
//! - Another running instance never interleaves: every change is made under an exclusive lock
//!   on a lock file. Each save also reads what other instances appended since this store last
//!   looked, so the caller can fold their answers in.
//! - A file the user made read-only (`chmod 444`) is never replaced: saving fails, says why,
//!   and works again once it is writable. A folder that cannot be written still has its
//!   progress read, and the caller hears that saving will fail ([`Loaded::cannot_save`]).
//! - Temporary files left by a killed save are removed by the next save that works.
//! - Private: the folder is made 0700 and the files 0600 (a study history is nobody else's
//!   business, and a lock file others cannot open is one they cannot hold). A folder or file
//!   of an older version with looser modes is tightened (a read-only file is left as it is).
//! - The lock is waited for at most [`LOCK_WAIT`]: a save that cannot have it fails with a
//!   message (the caller tries again later), and loading reads without it.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};

mod format;

use super::{Entry, Progress, ReviewId, VERSION};
use format::{Header, Journal, join, lines, parse, parse_journal, read_or_empty};

/// Answers in the journal beyond which a save folds it into the snapshot. At 200,000 cards a
/// compaction takes about a second on the worker; at this many answers it is rare.
pub const COMPACT_AT: usize = 2_000;
/// The longest a save or a load waits for another program's lock.
pub const LOCK_WAIT: Duration = Duration::from_secs(1);

pub struct Store {
    /// The snapshot.
    pub path: PathBuf,
    /// The journal of answers since the snapshot.
    pub journal: PathBuf,
    /// The lock file.
    pub lock: PathBuf,
    /// What this store knows of the journal; held while a save runs (saves of one process
    /// run one at a time).
    seen: Mutex<Seen>,
    /// Writes made to fail, for tests ([`Store::fail_writes`]).
    fault: Mutex<Option<Fault>>,
}

/// A failing disk to pretend, for tests of what the explorer does then (a full disk or a
/// read-only folder cannot be had as any user on any machine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Writing data fails as on a full disk (ENOSPC); making and renaming files works.
    Full,
    /// Everything that changes the folder fails as on a read-only file system (EROFS).
    ReadOnly,
}

/// What a write is, for [`Fault`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Making, opening for writing, renaming, truncating.
    Change,
    /// Writing bytes.
    Write,
}

/// What a store knows of the journal on disk.
#[derive(Default)]
struct Seen {
    /// The journal read last (its id) and how far: the end of its last complete line.
    journal: Option<(ReviewId, u64)>,
    /// Answers in it.
    lines: usize,
    /// When a compaction is next due (after one failed, later than [`COMPACT_AT`]).
    compact_at: usize,
    /// Reviews this store appended (a save that failed may come back with them again).
    written: HashSet<ReviewId>,
}

/// Makes `dir` (and the folders above it that are missing) readable by its owner only, or
/// tightens it to that when it is not (for any per-user folder: state, cache).
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    tighten(dir);
    Ok(())
}

/// Takes the group's and others' bits off a folder or file of ours that has them. A file
/// that is not writable (the user made it read-only) is left as it is; so is one that cannot
/// be changed (not ours).
fn tighten(path: &Path) {
    let Ok(m) = fs::metadata(path) else { return };
    let mode = m.permissions().mode();
    if mode & 0o077 != 0 && mode & 0o200 != 0 {
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode & !0o077));
    }
}

/// Why the lock could not be had.
enum LockError {
    /// Another program holds it (past [`LOCK_WAIT`]).
    Busy(anyhow::Error),
    /// The folder or the lock file cannot be made or opened.
    Unusable(anyhow::Error),
}

impl From<LockError> for anyhow::Error {
    fn from(e: LockError) -> anyhow::Error {
        match e {
            LockError::Busy(e) | LockError::Unusable(e) => e,
        }
    }
}

/// The folder progress files live in.
pub fn state_dir() -> Option<PathBuf> {
    crate::xdg::dir("XDG_STATE_HOME", ".local/state")
}

/// An error for the status bar: what went wrong first (`No space left on device`), then
/// where (`cannot write …/progress-….journal`), so a narrow line still says the cause.
pub fn describe(e: &anyhow::Error) -> String {
    let cause = e.root_cause().to_string();
    let outer = e.to_string();
    if cause == outer {
        cause
    } else {
        format!("{cause} ({outer})")
    }
}

/// What loading found besides the progress: a message for the user, when there is one.
pub type Warning = Option<String>;

/// The progress as loaded.
#[derive(Debug)]
pub struct Loaded {
    pub progress: Progress,
    /// What the user should hear (a file moved aside).
    pub warning: Warning,
    /// Why saving will fail (the folder or a file cannot be written), when it will: the
    /// progress was read all the same.
    pub cannot_save: Option<String>,
}

/// The progress read under the lock, and what could not be written meanwhile (a
/// compaction, a journal started): the reading stands either way.
struct OnDisk {
    progress: Progress,
    warning: Warning,
    unsaved: Option<anyhow::Error>,
}

/// What a save learnt of other instances' answers.
#[derive(Debug)]
pub enum News {
    /// Answers they appended since this store last looked (none when not asked for).
    Entries(Vec<Entry>),
    /// The journal was started anew by another instance (a compaction), or could not be
    /// followed: the whole progress as read now (without the answers just saved).
    Whole(Progress),
}

/// A save done.
#[derive(Debug)]
pub struct Synced {
    pub news: News,
    pub warning: Warning,
}

impl Store {
    /// The store of the vault at `root` (canonical), in `dir` (see [`state_dir`]).
    pub fn new(dir: &Path, root: &Path) -> Store {
        let name = format!("progress-{}", super::card_id(&root.to_string_lossy(), ""));
        Store {
            path: dir.join(format!("{name}.json")),
            journal: dir.join(format!("{name}.journal")),
            lock: dir.join(format!("{name}.json.lock")),
            seen: Mutex::new(Seen {
                compact_at: COMPACT_AT,
                ..Seen::default()
            }),
            fault: Mutex::new(None),
        }
    }

    /// Makes this store's writes fail as `fault` says from now on (`None`: as the disk says).
    /// For tests.
    pub fn fail_writes(&self, fault: Option<Fault>) {
        *self.fault.lock().unwrap_or_else(|p| p.into_inner()) = fault;
    }

    /// Fails as the pretended fault says a write of this kind would.
    fn check(&self, op: Op) -> std::io::Result<()> {
        let fault = *self.fault.lock().unwrap_or_else(|p| p.into_inner());
        match (fault, op) {
            (Some(Fault::ReadOnly), _) => Err(std::io::Error::from_raw_os_error(30)),
            (Some(Fault::Full), Op::Write) => Err(std::io::Error::from_raw_os_error(28)),
            _ => Ok(()),
        }
    }

    /// Why the files must not be written: one the user made read-only is left as it is.
    fn refusal(&self) -> Option<anyhow::Error> {
        [&self.path, &self.journal].into_iter().find_map(|p| {
            let mode = fs::metadata(p).ok()?.permissions().mode();
            (mode & 0o200 == 0).then(|| {
                anyhow!(
                    "{} is read-only (mode {:o}), so it is left as it is; `chmod u+w` lets saving go on",
                    p.display(),
                    mode & 0o7777
                )
            })
        })
    }

    /// Removes the temporary files a killed save left behind. With the lock held no save of
    /// any instance is writing one.
    fn remove_leftovers(&self) {
        let (Ok(dir), Some(stem)) = (self.dir(), self.path.file_stem()) else {
            return;
        };
        let prefix = format!(".{}.", stem.to_string_lossy());
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&prefix) && name.contains(".tmp-") {
                let _ = fs::remove_file(e.path());
            }
        }
    }

    /// The store for the vault at `root` in the user's state folder.
    pub fn for_vault(root: &Path) -> Result<Store> {
        let dir = state_dir().context("no state folder: set XDG_STATE_HOME or HOME")?;
        Ok(Store::new(&dir, root))
    }

    fn dir(&self) -> Result<&Path> {
        self.path.parent().context("a progress file has a folder")
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads the progress. Missing files are a fresh start; one that cannot be used is moved
    /// aside (never deleted) and the warning says where. Takes the lock: another instance may
    /// be writing. A journal grown long, or a snapshot of an older version, is compacted.
    pub fn load(&self) -> Result<Loaded> {
        let _lock = match self.lock() {
            Ok(lock) => lock,
            Err(LockError::Busy(e)) => {
                // Another program holds it: read without it (the journal first, see above);
                // the first save reads again.
                let (progress, warning) = self.peek()?;
                let busy = format!("{}: read without it", describe(&e));
                return Ok(Loaded {
                    progress,
                    warning: Some(warning.map_or(busy.clone(), |w| format!("{w}; {busy}"))),
                    cannot_save: None,
                });
            }
            Err(LockError::Unusable(e)) => {
                // The folder cannot be written (read-only): the progress is read all the same,
                // and saving is said to fail until it can be done.
                let (progress, warning) = self.peek()?;
                return Ok(Loaded {
                    progress,
                    warning,
                    cannot_save: Some(describe(&e)),
                });
            }
        };
        for p in [&self.path, &self.journal, &self.lock] {
            tighten(p);
        }
        let mut seen = self.seen();
        let read = self.read_locked(&mut seen)?;
        if read.unsaved.is_none() {
            self.remove_leftovers();
        }
        Ok(Loaded {
            progress: read.progress,
            warning: read.warning,
            cannot_save: read.unsaved.as_ref().map(describe),
        })
    }

    /// Reads the progress without changing anything on disk (for reports): a file that cannot
    /// be used is left where it is, and the warning says so.
    pub fn peek(&self) -> Result<(Progress, Warning)> {
        // The journal first: see the module's doc.
        let journal = read_or_empty(&self.journal)?;
        let snapshot = read_or_empty(&self.path)?;
        let mut warnings = Vec::new();
        let mut progress = match snapshot.as_deref().map(parse) {
            None => Progress::default(),
            Some(Ok((p, _))) => p,
            Some(Err(why)) => {
                warnings.push(format!(
                    "the study progress file {} is {why}; the explorer will move it aside",
                    self.path.display()
                ));
                Progress::default()
            }
        };
        match journal.as_deref().map(parse_journal) {
            None => {}
            Some(Ok(j)) => {
                for e in &j.entries {
                    progress.apply(e);
                }
                if !j.bad.is_empty() {
                    warnings.push(format!(
                        "{} has unreadable lines ({}); the explorer will move it aside",
                        self.journal.display(),
                        lines(&j.bad)
                    ));
                }
            }
            Some(Err(why)) => warnings.push(format!(
                "the study journal {} is {why}; the explorer will move it aside",
                self.journal.display()
            )),
        }
        Ok((progress, join(warnings)))
    }

    /// Appends `entries` to the journal (those this store has not appended before), under the
    /// lock, and syncs it. With `news`, says what other instances appended since this store
    /// last looked (else an empty list, and no more reading than appending needs).
    pub fn append(&self, entries: &[Entry], news: bool) -> Result<Synced> {
        let _lock = self.lock()?;
        if let Some(why) = self.refusal() {
            return Err(why);
        }
        let mut seen = self.seen();
        let mut warnings = Vec::new();
        let (theirs, end) = match self.follow(&seen)? {
            Some(followed) => followed,
            None => {
                // Not the journal this store read last: everything is read again (and a
                // journal that cannot be followed is repaired).
                let read = self.read_locked(&mut seen)?;
                if let Some(e) = read.unsaved {
                    return Err(e);
                }
                let whole = read.progress;
                warnings.extend(read.warning);
                // Reading started a journal where there was none.
                let end = seen.journal.map_or(0, |(_, end)| end);
                (News::Whole(whole), end)
            }
        };
        seen.journal = seen.journal.map(|(id, _)| (id, end));
        let theirs = match theirs {
            News::Entries(e) if !news => {
                seen.lines += e.len();
                News::Entries(Vec::new())
            }
            News::Entries(e) => {
                seen.lines += e.len();
                News::Entries(e)
            }
            whole => whole,
        };
        let fresh: Vec<&Entry> = entries
            .iter()
            .filter(|e| !seen.written.contains(&e.review.id))
            .collect();
        let mut f = self
            .check(Op::Change)
            .and_then(|()| {
                OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(&self.journal)
            })
            .with_context(|| format!("cannot open {}", self.journal.display()))?;
        // A torn last line (a writer killed mid-line) is cut off: it was never reported saved.
        let len = f.metadata()?.len();
        if len != end {
            f.set_len(end)
                .with_context(|| format!("cannot write {}", self.journal.display()))?;
        }
        if !fresh.is_empty() {
            let mut buf = Vec::new();
            for e in &fresh {
                serde_json::to_writer(&mut buf, e)?;
                buf.push(b'\n');
            }
            f.seek(SeekFrom::Start(end))?;
            let written = self
                .check(Op::Write)
                .and_then(|()| f.write_all(&buf))
                .and_then(|()| f.sync_data());
            if let Err(e) = written {
                // Nothing half-written stays behind.
                let _ = f.set_len(end);
                return Err(e).with_context(|| format!("cannot write {}", self.journal.display()));
            }
            let end = end + buf.len() as u64;
            seen.journal = seen.journal.map(|(id, _)| (id, end));
            seen.lines += fresh.len();
            seen.written.extend(fresh.iter().map(|e| e.review.id));
        }
        if seen.lines >= seen.compact_at
            && let Err(e) = self.compact_locked(&mut seen, None)
        {
            // The answers are safe in the journal; the next compaction is tried later.
            seen.compact_at = seen.lines + COMPACT_AT;
            warnings.push(format!("{e:#}"));
        }
        self.remove_leftovers();
        Ok(Synced {
            news: theirs,
            warning: join(warnings),
        })
    }

    /// Saves `progress` whole, merged with what is on disk (a compaction with more in it);
    /// returns the progress as written. A file on disk that cannot be read is moved aside
    /// first.
    pub fn save(&self, progress: &Progress) -> Result<(Progress, Warning)> {
        let _lock = self.lock()?;
        if let Some(why) = self.refusal() {
            return Err(why);
        }
        let mut seen = self.seen();
        let saved = self.compact_locked(&mut seen, Some(progress))?;
        self.remove_leftovers();
        Ok(saved)
    }

    /// The answers appended since this store last looked, and where the journal now ends;
    /// `None` when the journal is not the one it read (or cannot be followed).
    fn follow(&self, seen: &Seen) -> Result<Option<(News, u64)>> {
        let Some((id, from)) = seen.journal else {
            return Ok(None);
        };
        let mut f = match File::open(&self.journal) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", self.journal.display()));
            }
        };
        let mut head = Vec::new();
        (&mut f).take(256).read_to_end(&mut head)?;
        let same = head
            .split(|&b| b == b'\n')
            .next()
            .filter(|_| head.contains(&b'\n'))
            .and_then(|line| serde_json::from_slice::<Header>(line).ok())
            .is_some_and(|h| h.journal == VERSION && h.id == id);
        let len = f.metadata()?.len();
        if !same || len < from {
            return Ok(None);
        }
        f.seek(SeekFrom::Start(from))?;
        let mut tail = Vec::new();
        f.read_to_end(&mut tail)?;
        let mut entries = Vec::new();
        let mut end = from;
        for line in tail.split_inclusive(|&b| b == b'\n') {
            if line.last() != Some(&b'\n') {
                break;
            }
            match serde_json::from_slice::<Entry>(line) {
                Ok(e) => entries.push(e),
                Err(_) => return Ok(None),
            }
            end += line.len() as u64;
        }
        Ok(Some((News::Entries(entries), end)))
    }

    /// The lock file, held exclusively until the returned file is dropped. Another program's
    /// lock is waited for at most [`LOCK_WAIT`] (this runs on a worker, never on the loop).
    fn lock(&self) -> Result<File, LockError> {
        let dir = self.dir().map_err(LockError::Unusable)?;
        self.check(Op::Change)
            .and_then(|()| private_dir(dir))
            .with_context(|| format!("cannot create {}", dir.display()))
            .map_err(LockError::Unusable)?;
        let lock = self
            .check(Op::Change)
            .and_then(|()| {
                OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .mode(0o600)
                    .open(&self.lock)
            })
            .with_context(|| format!("cannot open {}", self.lock.display()))
            .map_err(LockError::Unusable)?;
        let start = Instant::now();
        loop {
            match lock.try_lock() {
                Ok(()) => return Ok(lock),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(LockError::Busy(anyhow!(
                        "{} is locked by another program (waited {} s)",
                        self.lock.display(),
                        LOCK_WAIT.as_secs_f32()
                    )));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(LockError::Unusable(
                        anyhow::Error::new(e)
                            .context(format!("cannot lock {}", self.lock.display())),
                    ));
                }
            }
        }
    }

    /// The snapshot with the journal folded in, with the lock held. What cannot be used is
    /// moved aside (a journal's readable answers first kept in the snapshot). A journal grown
    /// long, or a snapshot of an older version, is compacted; a missing journal is started.
    /// Those writes failing (a full disk, a file made read-only) leave the reading as it is.
    fn read_locked(&self, seen: &mut Seen) -> Result<OnDisk> {
        self.read_locked_then(seen, true)
    }

    /// [`Store::read_locked`], compacting only when `compact` (a compaction follows anyway).
    fn read_locked_then(&self, seen: &mut Seen, compact: bool) -> Result<OnDisk> {
        let journal = read_or_empty(&self.journal)?;
        let snapshot = read_or_empty(&self.path)?;
        let mut warnings = Vec::new();
        let (mut progress, old) = match snapshot.as_deref().map(parse) {
            None => (Progress::default(), false),
            Some(Ok((p, version))) => (p, version < VERSION),
            Some(Err(why)) => {
                let aside = self.move_aside(&self.path)?;
                warnings.push(format!(
                    "the study progress file was {why}; it was moved to {} and study starts fresh",
                    aside.display()
                ));
                (Progress::default(), false)
            }
        };
        let (j, unusable) = match journal.as_deref().map(parse_journal) {
            None => (Journal::default(), None),
            Some(Ok(j)) => {
                let why = (!j.bad.is_empty()).then(|| format!("unreadable at {}", lines(&j.bad)));
                (j, why)
            }
            Some(Err(why)) => (Journal::default(), Some(why)),
        };
        for e in &j.entries {
            progress.apply(e);
        }
        seen.journal = j.id.map(|id| (id, j.end));
        seen.lines = j.entries.len();
        let written = match self.refusal() {
            Some(why) => Err(why),
            None if unusable.is_some() => {
                // Its readable answers go into the snapshot before it is moved aside; until
                // then appending waits (nothing follows a journal that cannot be read).
                seen.journal = None;
                self.write_snapshot(&progress).and_then(|()| {
                    let aside = self.move_aside(&self.journal)?;
                    warnings.push(format!(
                        "the study journal was {}; its readable answers were kept and it was moved to {}",
                        unusable.as_deref().unwrap_or_default(),
                        aside.display()
                    ));
                    self.start_journal(seen)
                })
            }
            None if compact && (old || seen.lines >= seen.compact_at) => {
                self.compact_with(seen, &progress)
            }
            None if seen.journal.is_none() => self.start_journal(seen),
            None => Ok(()),
        };
        Ok(OnDisk {
            progress,
            warning: join(warnings),
            unsaved: written.err(),
        })
    }

    /// Folds the journal into the snapshot (with `extra` merged in), with the lock held.
    fn compact_locked(
        &self,
        seen: &mut Seen,
        extra: Option<&Progress>,
    ) -> Result<(Progress, Warning)> {
        let read = self.read_locked_then(seen, false)?;
        if let Some(e) = read.unsaved {
            return Err(e);
        }
        let mut progress = read.progress;
        if let Some(extra) = extra {
            progress.merge(extra.clone());
        }
        self.compact_with(seen, &progress)?;
        Ok((progress, read.warning))
    }

    /// Writes `progress` (everything on disk and more) as the snapshot, then starts a new
    /// journal.
    fn compact_with(&self, seen: &mut Seen, progress: &Progress) -> Result<()> {
        self.write_snapshot(progress)?;
        self.start_journal(seen)?;
        seen.compact_at = COMPACT_AT;
        Ok(())
    }

    fn write_snapshot(&self, progress: &Progress) -> Result<()> {
        let mut json = serde_json::to_vec(progress)?;
        json.push(b'\n');
        self.write_atomically(&self.path, &json)
    }

    /// Replaces the journal with an empty one of a new id.
    fn start_journal(&self, seen: &mut Seen) -> Result<()> {
        let id = ReviewId::new();
        let mut header = serde_json::to_vec(&Header {
            journal: VERSION,
            id,
        })?;
        header.push(b'\n');
        self.write_atomically(&self.journal, &header)?;
        seen.journal = Some((id, header.len() as u64));
        seen.lines = 0;
        Ok(())
    }

    /// Writes `bytes` to `path` through a temporary file beside it: a crash leaves the old
    /// file or the new one.
    fn write_atomically(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let dir = self.dir()?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let written = (|| -> std::io::Result<()> {
            self.check(Op::Change)?;
            let mut f = OpenOptions::new()
                .create(true)
                .truncate(true)
                .write(true)
                .mode(0o600)
                .open(&tmp)?;
            self.check(Op::Write)?;
            f.write_all(bytes)?;
            f.sync_all()
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e).with_context(|| format!("cannot write {}", tmp.display()));
        }
        self.check(Op::Change)
            .and_then(|()| fs::rename(&tmp, path))
            .with_context(|| format!("cannot replace {}", path.display()))?;
        // The rename itself must reach the disk.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Moves `path` aside, with the time in its name; returns where to.
    fn move_aside(&self, path: &Path) -> Result<PathBuf> {
        let stamp = jiff::Timestamp::now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut aside = path.with_file_name(format!("{name}.bad-{stamp}"));
        let mut n = 1;
        while aside.exists() {
            aside = path.with_file_name(format!("{name}.bad-{stamp}-{n}"));
            n += 1;
        }
        match self
            .check(Op::Change)
            .and_then(|()| fs::rename(path, &aside))
        {
            Ok(()) => Ok(aside),
            // Gone meanwhile: nothing left to keep.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(aside),
            Err(e) => Err(e).with_context(|| format!("cannot move {} aside", path.display())),
        }
    }
}
