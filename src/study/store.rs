//! The progress file: outside the vault, under `$XDG_STATE_HOME/vaultscope/` (else
//! `~/.local/state/vaultscope/`), one file per vault, named after a hash of the vault's
//! canonical path.
//!
//! - Written atomically: a temporary file in the same folder, fsync, rename over the old one,
//!   fsync the folder. A crash or a kill at any moment leaves the old file or the new one, whole.
//! - Never silently overwritten when it cannot be read: a corrupt, truncated or newer-version file
//!   is moved aside with a timestamp in its name, the caller gets a message for the user, and
//!   study starts fresh.
//! - Another running instance never interleaves: saving takes an exclusive lock on a lock file,
//!   reads what is on disk again, merges it in (every review kept once), and only then writes.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{Progress, VERSION};

pub struct Store {
    pub path: PathBuf,
    lock: PathBuf,
}

/// The folder progress files live in.
pub fn state_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    xdg.or_else(|| {
        std::env::var_os("HOME")
            .filter(|v| !v.is_empty())
            .map(|h| PathBuf::from(h).join(".local/state"))
    })
    .map(|d| d.join("vaultscope"))
}

/// What loading found besides the progress: a message for the user, when there is one.
pub type Warning = Option<String>;

impl Store {
    /// The store of the vault at `root` (canonical), in `dir` (see [`state_dir`]).
    pub fn new(dir: &Path, root: &Path) -> Store {
        let name = format!(
            "progress-{}.json",
            super::card_id(&root.to_string_lossy(), "")
        );
        Store {
            path: dir.join(&name),
            lock: dir.join(format!("{name}.lock")),
        }
    }

    /// The store for the vault at `root` in the user's state folder.
    pub fn for_vault(root: &Path) -> Result<Store> {
        let dir = state_dir().context("no state folder: set XDG_STATE_HOME or HOME")?;
        Ok(Store::new(&dir, root))
    }

    /// Reads the progress. A missing file is a fresh start; one that cannot be used is moved
    /// aside (never deleted) and the warning says where. Takes the lock: another instance may
    /// be writing.
    pub fn load(&self) -> Result<(Progress, Warning)> {
        let _lock = self.lock()?;
        self.load_locked()
    }

    /// Reads the progress without changing anything on disk (for reports): a file that cannot
    /// be used is left where it is, and the warning says so.
    pub fn peek(&self) -> Result<(Progress, Warning)> {
        match self.read()? {
            Ok(p) => Ok((p, None)),
            Err(why) => Ok((
                Progress::default(),
                Some(format!(
                    "the study progress file {} is {why}; the explorer will move it aside",
                    self.path.display()
                )),
            )),
        }
    }

    /// The lock file, held exclusively until the returned file is dropped.
    fn lock(&self) -> Result<File> {
        let dir = self.path.parent().context("a progress file has a folder")?;
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock)
            .with_context(|| format!("cannot open {}", self.lock.display()))?;
        lock.lock()
            .with_context(|| format!("cannot lock {}", self.lock.display()))?;
        Ok(lock)
    }

    /// The file's progress, or why it cannot be used (`Ok(Err(..))`); a missing file is empty.
    fn read(&self) -> Result<Result<Progress, String>> {
        match fs::read(&self.path) {
            Ok(b) => Ok(parse(&b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ok(Progress::default())),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", self.path.display())),
        }
    }

    /// [`Store::load`] with the lock held.
    fn load_locked(&self) -> Result<(Progress, Warning)> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Progress::default(), None));
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", self.path.display()));
            }
        };
        match parse(&bytes) {
            Ok(p) => Ok((p, None)),
            Err(why) => {
                let aside = self.move_aside()?;
                Ok((
                    Progress::default(),
                    Some(format!(
                        "the study progress file was {why}; it was moved to {} and study starts fresh",
                        aside.display()
                    )),
                ))
            }
        }
    }

    fn move_aside(&self) -> Result<PathBuf> {
        let stamp = jiff::Timestamp::now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let mut aside = self.path.with_extension(format!("json.bad-{stamp}"));
        let mut n = 1;
        while aside.exists() {
            aside = self.path.with_extension(format!("json.bad-{stamp}-{n}"));
            n += 1;
        }
        match fs::rename(&self.path, &aside) {
            Ok(()) => Ok(aside),
            // Gone meanwhile: nothing left to keep.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(aside),
            Err(e) => Err(e).with_context(|| format!("cannot move {} aside", self.path.display())),
        }
    }

    /// Saves `progress`, merged with what another instance may have saved meanwhile; returns
    /// the progress as written. A file on disk that cannot be read is moved aside first.
    pub fn save(&self, progress: &Progress) -> Result<(Progress, Warning)> {
        let dir = self.path.parent().context("a progress file has a folder")?;
        let lock = self.lock()?;
        let (on_disk, warning) = self.load_locked()?;
        let mut merged = on_disk;
        merged.merge(progress.clone());
        merged.version = VERSION;
        if let Err(e) = self.write_atomically(dir, &merged) {
            // The user must still hear that the old file was moved aside.
            return Err(match warning {
                Some(w) => e.context(w),
                None => e,
            });
        }
        // Dropping the file releases the lock.
        drop(lock);
        Ok((merged, warning))
    }

    fn write_atomically(&self, dir: &Path, progress: &Progress) -> Result<()> {
        let json = serde_json::to_vec_pretty(progress)?;
        let tmp = dir.join(format!(
            ".{}.tmp-{}",
            self.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        {
            let mut f =
                File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
            f.write_all(&json)?;
            f.write_all(b"\n")?;
            f.sync_all()?;
        }
        fs::rename(&tmp, &self.path)
            .with_context(|| format!("cannot replace {}", self.path.display()))?;
        // The rename itself must reach the disk.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// The progress in `bytes`, or why it cannot be used.
fn parse(bytes: &[u8]) -> Result<Progress, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty".to_owned());
    }
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not readable ({e})"))?;
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    match version {
        Some(v) if v > u64::from(VERSION) => {
            return Err(format!(
                "written by a newer vaultscope (format {v}, this one reads {VERSION})"
            ));
        }
        None => return Err("not a progress file (no version)".to_owned()),
        _ => {}
    }
    let mut progress: Progress =
        serde_json::from_value(value).map_err(|e| format!("not readable ({e})"))?;
    // Read in any older version, held (and written back) in this one.
    progress.fill_missing_ids();
    progress.version = VERSION;
    Ok(progress)
}
