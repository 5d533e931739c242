//! The metadata cache: what loading found in each note, kept outside the vault so that a
//! second start takes an unchanged note from it instead of reading and parsing the file.
//!
//! - **Where**: `$XDG_CACHE_HOME/vaultscope/<hash of the vault's canonical path>.cache` (else
//!   `~/.cache/vaultscope/…`), one file per vault. When that folder is inside the vault there
//!   is no cache (a load never writes into a vault); [`Cached::notice`] says so.
//! - **What**: a header (magic, format version, the program's version and build, the vault's
//!   canonical path, the flashcard settings the notes were parsed with, the sections' sizes),
//!   then one record per note: the path it was found at, the file it was read from, that file's
//!   [`FileStat`], and the note's outline as parsed (see [`record`]); then, in a second section,
//!   each note's full part (links, questions), which an outline load (`list`) does not read:
//!   at 100k notes the records are about a sixth of the file. In postcard.
//! - **When a note is taken from it**: only for a file the walk found, at the path the walk
//!   found it, when the file's size, modification time, change time, inode and device are all
//!   those recorded (looked up relative to the vault's folder crossing no link, as a read
//!   opens it), and for a full load only when the flashcard settings are the same. Anything
//!   else is read from the file, as without a cache.
//! - **Never trusted**: a file that is not a cache of this format, version, build and vault,
//!   that is truncated, longer than [`MAX_CACHE_BYTES`], or whose records do not decode, is
//!   ignored as a whole (and replaced after the load); a record that does not decode is read
//!   from the file instead. No path in it is ever opened, and no length in it is believed
//!   beyond the bytes actually there.
//! - **Written**: only when something changed, whole, to a temporary file in the same folder
//!   renamed over the old one (a reader sees the old file or the new one), by
//!   [`CacheUpdate::write`], which the caller runs when it suits it (the CLI after its output,
//!   the explorer on its loader thread).
//!
//! The cache is an optimisation only: a vault loads the same with it, without it, or with any
//! file at all in its place. Deleting it is always safe.

mod record;

use foldhash::{HashMap, HashMapExt as _};
use std::io::{Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::open::{FileStat, RootDir};
use super::walk::Candidate;
use super::{CardSettings, Depth, Note, Problem};

/// The first bytes of every cache file.
const MAGIC: &[u8; 8] = b"VSCACHE\n";
/// The layout of the header and the records; raised whenever either changes.
const FORMAT: u32 = 2;
/// A cache file larger than this is not read (100k notes take about 60 MB).
pub const MAX_CACHE_BYTES: u64 = 1 << 30;

/// Where a load keeps its cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Place {
    /// No cache: nothing is read or written (`--no-cache`).
    #[default]
    Off,
    /// The user's cache folder: `$XDG_CACHE_HOME/vaultscope/` (else `~/.cache/vaultscope/`).
    User,
    /// This folder (tests, benchmarks).
    Folder(PathBuf),
}

/// The folder [`Place::User`] means: `$XDG_CACHE_HOME/vaultscope` when that is an absolute path,
/// else `$HOME/.cache/vaultscope`.
pub fn user_dir() -> Option<PathBuf> {
    crate::xdg::dir("XDG_CACHE_HOME", ".cache")
}

/// The cache file of the vault at `root` (canonical), or why there is none: `Ok(None)` when
/// caching is off or has no folder, `Err(notice)` when the folder is inside the vault.
pub fn file_for(place: &Place, root: &Path) -> Result<Option<PathBuf>, String> {
    // Elsewhere a file's change time and identity are not looked up (see `RootDir::stat`):
    // every note would miss, and the cache would only cost.
    if !cfg!(any(target_os = "linux", target_os = "android")) {
        return Ok(None);
    }
    let dir = match place {
        Place::Off => return Ok(None),
        Place::User => match user_dir() {
            Some(d) => d,
            None => return Ok(None),
        },
        Place::Folder(d) => std::path::absolute(d).unwrap_or_else(|_| d.clone()),
    };
    if is_inside(&dir, root) {
        return Err(format!(
            "the cache folder {} is inside the vault, so nothing is cached (set XDG_CACHE_HOME \
             to a folder outside it)",
            crate::sanitize::line(&dir.to_string_lossy())
        ));
    }
    Ok(Some(
        dir.join(format!("{:016x}.cache", fnv(root_bytes(root)))),
    ))
}

/// Whether `dir` (absolute, maybe not made yet) is `root` or inside it, links resolved: the
/// deepest part of it that exists is canonicalised and the rest appended.
fn is_inside(dir: &Path, root: &Path) -> bool {
    let mut existing = dir;
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut full = real;
            full.extend(rest.iter().rev());
            return full.starts_with(root);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            // Nothing of it exists (or it ends in `..`): compare it as written.
            _ => return dir.starts_with(root),
        }
    }
}

fn root_bytes(root: &Path) -> &[u8] {
    root.as_os_str().as_encoded_bytes()
}

/// FNV-1a, 64 bits: a stable name for a vault's cache file (the header holds the path itself,
/// so two vaults whose names collide only take turns).
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The running program's build: its size and modification time. Part of the header, so a cache
/// written by another build (a parser changed without a version bump) is never used.
static BUILD: LazyLock<Option<(u64, i64, u32)>> = LazyLock::new(|| {
    let meta = std::env::current_exe().ok()?.metadata().ok()?;
    let since = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((
        meta.len(),
        i64::try_from(since.as_secs()).ok()?,
        since.subsec_nanos(),
    ))
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Header {
    format: u32,
    version: String,
    build: Option<(u64, i64, u32)>,
    root: Vec<u8>,
    /// The flashcard settings full records were parsed with (`None`: no full records).
    cards: Option<CardSettings>,
    /// Every record has its full part.
    all_full: bool,
    records: u64,
    /// Bytes of the records, which follow the header; then this many bytes of full parts.
    records_len: u64,
    full_len: u64,
}

impl Header {
    fn matches(&self, root: &Path) -> bool {
        self.format == FORMAT
            && self.version == env!("CARGO_PKG_VERSION")
            && self.build.is_some()
            && self.build == *BUILD
            && self.root == root_bytes(root)
    }
}

/// One note's record. `file` is the path read relative to the root when it is not `path` (a
/// symlinked note: its target), as bytes; empty otherwise. The outline part is in the record;
/// the full part lies in the file's second section (which an outline load does not read).
/// Each part carries a CRC-32 of its bytes: a flipped bit there would still decode, as another
/// title. (The other fields guard themselves: a changed path or stat matches no file's.)
#[derive(Serialize, Deserialize)]
struct Record<'a> {
    path: &'a str,
    #[serde(serialize_with = "as_bytes")]
    file: &'a [u8],
    stat: FileStat,
    outline: Part<'a>,
    full: Option<FullAt>,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
struct Part<'a> {
    crc: u32,
    #[serde(serialize_with = "as_bytes")]
    bytes: &'a [u8],
}

/// Bytes written as bytes (one length and a copy), not as serde's default sequence of `u8`s
/// (one call per byte). postcard lays both out alike, and `&[u8]` reads back either way.
fn as_bytes<S: serde::Serializer>(bytes: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(bytes)
}

/// Where a record's full part lies in the second section, and its CRC-32.
#[derive(Clone, Copy, Serialize, Deserialize)]
struct FullAt {
    crc: u32,
    at: u64,
    len: u64,
}

impl<'a> Part<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Part {
            crc: crc32fast::hash(bytes),
            bytes,
        }
    }

    /// The part decoded, when its bytes are those written.
    fn decode<T: Deserialize<'a>>(self) -> Option<T> {
        if crc32fast::hash(self.bytes) != self.crc {
            return None;
        }
        postcard::from_bytes(self.bytes).ok()
    }
}

impl FullAt {
    /// The part in `section`, when it lies within it.
    fn part(self, section: &[u8]) -> Option<Part<'_>> {
        let at = usize::try_from(self.at).ok()?;
        let end = at.checked_add(usize::try_from(self.len).ok()?)?;
        Some(Part {
            crc: self.crc,
            bytes: section.get(at..end)?,
        })
    }
}

/// A cache file as read, checked as far as its framing: header and every record's bounds.
/// The full parts are read only when wanted, from the file as it was opened (a rename over it
/// since does not change what this handle reads).
pub(super) struct Old {
    header: Header,
    /// The records' bytes.
    bytes: Vec<u8>,
    /// Where each record lies in `bytes`.
    records: Vec<Range<usize>>,
    /// Where each record's path lies in `bytes` (found by the same pass that framed the
    /// records, so that an index of them is made without decoding any record again).
    paths: Vec<Range<usize>>,
    file: std::fs::File,
    /// Where the full parts start in the file.
    full_start: u64,
    full: Option<Vec<u8>>,
}

impl Old {
    /// Reads and checks the cache file at `path` for the vault at `root` (its header and
    /// records, not yet its full parts); `None` when it is missing or unusable in any way.
    fn read(path: &Path, root: &Path) -> Option<Old> {
        Opened::open(path, root)?.read()
    }
}

/// A cache file whose header was read and checked, its records not yet.
pub(super) struct Opened {
    header: Header,
    file: std::fs::File,
    /// The file's first bytes as read: the header, and the first records.
    start: Vec<u8>,
    /// Where the records start in the file.
    records_at: u64,
}

impl Opened {
    /// The cache file at `path` for the vault at `root`, its header read and checked.
    fn open(path: &Path, root: &Path) -> Option<Opened> {
        let mut file = open_regular(path)?;
        let size = file.metadata().ok()?.len();
        if size > MAX_CACHE_BYTES {
            return None;
        }
        // The header first (a few hundred bytes), then exactly the records it announces: no
        // length in the file is believed beyond the file's own size.
        let mut start = Vec::new();
        (&mut file).take(64 * 1024).read_to_end(&mut start).ok()?;
        let rest = start.strip_prefix(MAGIC.as_slice())?;
        let (header, after) = postcard::take_from_bytes::<Header>(rest).ok()?;
        if !header.matches(root) {
            return None;
        }
        let records_at = (start.len() - after.len()) as u64;
        let full_start = records_at.checked_add(header.records_len)?;
        if full_start.checked_add(header.full_len)? != size {
            return None;
        }
        Some(Opened {
            header,
            file,
            start,
            records_at,
        })
    }

    /// About how many notes the load will find (as [`Index::size_hint`]).
    pub(super) fn size_hint(&self) -> usize {
        let count = usize::try_from(self.header.records).unwrap_or(usize::MAX);
        let most = usize::try_from(self.header.records_len / 8).unwrap_or(usize::MAX);
        count.min(most).min(Index::SIZE_HINT_MAX)
    }

    /// The records read and framed.
    fn read(self) -> Option<Old> {
        let Opened {
            header,
            mut file,
            start,
            records_at,
        } = self;
        let full_start = records_at.checked_add(header.records_len)?;
        let mut bytes = Vec::with_capacity(usize::try_from(header.records_len).ok()?);
        bytes.extend_from_slice(&start[usize::try_from(records_at).ok()?..]);
        bytes.truncate(usize::try_from(header.records_len).ok()?);
        let missing = header.records_len - bytes.len() as u64;
        (&mut file).take(missing).read_to_end(&mut bytes).ok()?;
        if bytes.len() as u64 != header.records_len {
            return None;
        }
        // Every record takes more than a few bytes: a count beyond that is a lie, and no
        // allocation follows it.
        let count = usize::try_from(header.records).ok()?.min(bytes.len() / 8);
        let mut records = Vec::with_capacity(count);
        let mut paths = Vec::with_capacity(count);
        let mut rest = bytes.as_slice();
        while !rest.is_empty() {
            let at = bytes.len() - rest.len();
            let (r, after) = postcard::take_from_bytes::<Record>(rest).ok()?;
            if r.full
                .is_some_and(|f| f.at.saturating_add(f.len) > header.full_len)
            {
                return None;
            }
            // The path is borrowed from `bytes`: where it lies there.
            let path_at = (r.path.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize)?;
            paths.push(path_at..path_at + r.path.len());
            rest = after;
            records.push(at..bytes.len() - rest.len());
        }
        if records.len() as u64 != header.records {
            return None;
        }
        Some(Old {
            header,
            bytes,
            records,
            paths,
            file,
            full_start,
            full: None,
        })
    }
}

impl Old {
    /// Reads the full parts (once), on all cores; false when they cannot be read.
    fn read_full(&mut self) -> bool {
        self.read_full_on(true)
    }

    /// [`Old::read_full`], on all cores or (beside a walk that has them) on this thread.
    fn read_full_on(&mut self, all_cores: bool) -> bool {
        if self.full.is_some() {
            return true;
        }
        use rayon::prelude::*;
        use std::os::unix::fs::FileExt as _;
        // Read in pieces on all cores: at 100k notes the full parts are 90 MB, whose copy
        // from the page cache into fresh pages took 50 ms on one core before the walk began.
        const PIECE: usize = 4 << 20;
        let Ok(len) = usize::try_from(self.header.full_len) else {
            return false;
        };
        // Zeroed memory this large comes fresh from the system, already zero (no memset on
        // one core): its pages are first touched by the reads. `len` is within the file's
        // size, which `Opened::open` bounded.
        let mut full = vec![0u8; len];
        let file = &self.file;
        let read_piece = |(i, piece): (usize, &mut [u8])| {
            let at = self.full_start + (i * PIECE) as u64;
            file.read_exact_at(piece, at)
        };
        let read = if all_cores {
            full.par_chunks_mut(PIECE)
                .enumerate()
                .try_for_each(read_piece)
        } else {
            full.chunks_mut(PIECE).enumerate().try_for_each(read_piece)
        };
        if read.is_err() {
            return false;
        }
        self.full = Some(full);
        true
    }

    /// The records by the path they were found at, for a load to `depth` (full: with `cards`,
    /// and the full parts read). Only the paths are indexed: a record is decoded when its
    /// note is looked up, by the loading task that looks it up (at 100k notes, decoding every
    /// record here, before the walk starts and on one core, was a tenth of a warm `search`).
    /// Of two records of one path the last is the one found, as when each was decoded here.
    pub(super) fn index(&self, depth: Depth, cards: &CardSettings) -> Index<'_> {
        let full = match depth {
            Depth::Full if self.header.cards.as_ref() == Some(cards) => self.full.as_deref(),
            _ => None,
        };
        let mut by_path = HashMap::with_capacity(self.paths.len());
        for (k, path) in self.paths.iter().enumerate() {
            by_path.insert(&self.bytes[path.clone()], k);
        }
        Index {
            old: self,
            by_path,
            depth,
            full,
        }
    }
}

/// Opens a regular file for reading, without waiting on a FIFO.
fn open_regular(path: &Path) -> Option<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = opts.open(path).ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

struct Entry<'b> {
    file: &'b [u8],
    stat: FileStat,
    outline: Part<'b>,
    full: Option<FullAt>,
    range: Range<usize>,
}

/// The records of an old cache, looked up by the loading tasks.
///
/// Looked up only by the paths the walk found, which are plain (relative, `/`-separated, no
/// empty, `.` or `..` part): a record of any other path in a hostile cache is never found.
pub(super) struct Index<'b> {
    old: &'b Old,
    /// Each record's number in `old.records`, by its path's bytes.
    by_path: HashMap<&'b [u8], usize>,
    depth: Depth,
    /// The full parts, for a full load whose flashcard settings they were parsed with.
    full: Option<&'b [u8]>,
}

/// `c`'s file relative to `root` as a record holds it (empty when it is `c.rel`).
fn file_key<'c>(root: &Path, c: &'c Candidate) -> &'c [u8] {
    // As bytes: `Path::strip_prefix` compares component by component, a cost per note.
    let read = c
        .abs
        .as_os_str()
        .as_encoded_bytes()
        .strip_prefix(root.as_os_str().as_encoded_bytes())
        .and_then(|r| r.strip_prefix(b"/"))
        .unwrap_or_default();
    if read == c.rel.as_bytes() { &[] } else { read }
}

/// A path as the walk writes them: relative, `/`-separated, no empty, `.` or `..` part. Any
/// other in a cache is not looked at (the walk never finds it anyway).
fn plain_relative(p: &str) -> bool {
    !p.is_empty() && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

impl<'b> Index<'b> {
    /// How many records the cache holds: about how many notes the load will find, for sizing
    /// what collects them (at most [`Index::SIZE_HINT_MAX`]: a hostile cache's count reserves
    /// no more than that, and the load gives back what it did not fill).
    pub(super) fn size_hint(&self) -> usize {
        self.old.records.len().min(Self::SIZE_HINT_MAX)
    }

    /// The largest [`Index::size_hint`]: as many notes as fit in 256 MiB (over four times the
    /// largest vault measured), so that what a hostile count reserves is bounded in bytes.
    pub(super) const SIZE_HINT_MAX: usize = (256 << 20) / std::mem::size_of::<Note>();

    /// The record of the note found at `rel`, decoded.
    fn entry(&self, rel: &str) -> Option<Entry<'b>> {
        let &k = self.by_path.get(rel.as_bytes())?;
        let range = self.old.records.get(k)?.clone();
        // Checked when read; a record that fails now is simply not there.
        let r = postcard::from_bytes::<Record>(self.old.bytes.get(range.clone())?).ok()?;
        if !plain_relative(r.path) {
            return None;
        }
        Some(Entry {
            file: r.file,
            stat: r.stat,
            outline: r.outline,
            full: r.full,
            range,
        })
    }

    /// The note found as `c`, from its record, when its file is unchanged (`stat` gives its
    /// identity: looked up now in the folder handle the walk holds, or as the walk looked it up
    /// for a note found before the cache was read; asked only for a note the cache has a
    /// record of): the note, its problems and its item.
    pub(super) fn reuse(
        &self,
        stat: impl FnOnce() -> Option<FileStat>,
        root: &Path,
        c: &Candidate,
    ) -> Option<(Note, Vec<Problem>, Item)> {
        let e = self.entry(&c.rel)?;
        let full = match self.depth {
            Depth::Full => Some(e.full?.part(self.full?)?),
            Depth::Outline => None,
        };
        if e.file != file_key(root, c) || stat()? != e.stat {
            return None;
        }
        let outline = e.outline.decode()?;
        let full = match full {
            Some(part) => Some(part.decode()?),
            None => None,
        };
        let (note, problems) = record::note(&c.rel, &c.abs, outline, full)?;
        // The size recorded is the file's, and the note's is what was read of it.
        let kept = Item::Kept {
            range: e.range.clone(),
            full: e.full.is_some(),
        };
        (note.size == e.stat.size).then_some((note, problems, kept))
    }
}

/// What one note gives the next cache.
pub(super) enum Item {
    /// Its record in the old cache, as it was (`full`: with its full part).
    Kept { range: Range<usize>, full: bool },
    /// A new record: the record without its full part, and the full part.
    New {
        record: Vec<u8>,
        full: Option<(u32, Vec<u8>)>,
    },
    /// Nothing (it could not be read, or not kept).
    None,
}

/// The record of a note just read from `c`, whose opened file had `stat` before it was read.
pub(super) fn new_record(
    root: &Path,
    c: &Candidate,
    stat: FileStat,
    note: &Note,
    problems: &[Problem],
    depth: Depth,
) -> Item {
    let Some((outline, full)) = record::parts(note, problems, depth == Depth::Full) else {
        return Item::None;
    };
    let Ok(outline) = postcard::to_allocvec(&outline) else {
        return Item::None;
    };
    let full = match full.map(|f| postcard::to_allocvec(&f)) {
        Some(Ok(f)) => Some((crc32fast::hash(&f), f)),
        Some(Err(_)) => return Item::None,
        None => None,
    };
    let rec = Record {
        path: &c.rel,
        file: file_key(root, c),
        stat,
        outline: Part::new(&outline),
        full: None,
    };
    match postcard::to_allocvec(&rec) {
        Ok(record) => Item::New { record, full },
        Err(_) => Item::None,
    }
}

/// How a load used its cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Notes taken from the cache.
    pub hits: usize,
    /// Notes read from their files (all of them without a usable cache).
    pub misses: usize,
}

/// What a cached load found of its cache, and the new cache to write when something changed.
#[derive(Default)]
pub struct CacheUpdate {
    pub counts: Counts,
    write: Option<Pending>,
}

impl std::fmt::Debug for CacheUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CacheUpdate")
            .field("counts", &self.counts)
            .field("to_write", &self.write.as_ref().map(|p| &p.path))
            .finish()
    }
}

struct Pending {
    path: PathBuf,
    header: Header,
    old: Option<Old>,
    items: Vec<Item>,
}

impl CacheUpdate {
    /// Whether [`CacheUpdate::write`] has anything to write.
    pub fn is_pending(&self) -> bool {
        self.write.is_some()
    }

    /// Writes the new cache (a temporary file renamed over the old one); nothing when nothing
    /// changed. Returns whether a file was written.
    pub fn write(self) -> std::io::Result<bool> {
        match self.write {
            Some(p) => p.write().map(|()| true),
            None => Ok(false),
        }
    }
}

impl Pending {
    fn write(mut self) -> std::io::Result<()> {
        let dir = self
            .path
            .parent()
            .ok_or_else(|| std::io::Error::other("a cache file has a folder"))?
            .to_path_buf();
        // Private: the cache holds the notes' titles and questions.
        crate::study::store::private_dir(&dir)?;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(
            ".{name}.tmp-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let written = self
            .write_to(&tmp)
            .and_then(|()| std::fs::rename(&tmp, &self.path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        remove_leftovers(&dir, &name);
        if written.is_ok() && self.old.is_none() {
            remove_caches_of_gone_vaults(&dir, &self.path);
        }
        written
    }

    /// Lays the new file out: the records (each kept one with its full part moved to where it
    /// now lies), then the full parts.
    fn write_to(&mut self, tmp: &Path) -> std::io::Result<()> {
        // Kept records of an outline load bring their full parts along when they can be read;
        // else they are kept without them.
        let keeps_full = self
            .items
            .iter()
            .any(|i| matches!(i, Item::Kept { full: true, .. }));
        let full_read = match &mut self.old {
            Some(old) if keeps_full => old.read_full(),
            _ => false,
        };
        let old = self.old.as_ref();
        let full_old = old.filter(|_| full_read).and_then(|o| o.full.as_deref());
        let mut records = Vec::new();
        let mut fulls: Vec<&[u8]> = Vec::new();
        let mut full_len = 0u64;
        let mut count = 0u64;
        let mut all_full = true;
        // The next full part goes after those placed so far.
        let mut place = |crc: u32, bytes: &'_ [u8]| {
            let at = FullAt {
                crc,
                at: full_len,
                len: bytes.len() as u64,
            };
            full_len += bytes.len() as u64;
            at
        };
        for item in &self.items {
            match item {
                Item::Kept { range, .. } => {
                    let Some(old) = old else { continue };
                    let Ok(mut r) = postcard::from_bytes::<Record>(&old.bytes[range.clone()])
                    else {
                        continue;
                    };
                    r.full = match (r.full, full_old) {
                        (Some(f), Some(section)) => f.part(section).map(|p| {
                            fulls.push(p.bytes);
                            place(p.crc, p.bytes)
                        }),
                        _ => None,
                    };
                    all_full &= r.full.is_some();
                    records = postcard::to_extend(&r, records).map_err(std::io::Error::other)?;
                    count += 1;
                }
                Item::New { record, full } => {
                    let Ok(mut r) = postcard::from_bytes::<Record>(record) else {
                        continue;
                    };
                    r.full = full.as_ref().map(|(crc, bytes)| {
                        fulls.push(bytes);
                        place(*crc, bytes)
                    });
                    all_full &= r.full.is_some();
                    records = postcard::to_extend(&r, records).map_err(std::io::Error::other)?;
                    count += 1;
                }
                Item::None => {}
            }
        }
        let mut header = self.header.clone();
        header.records = count;
        header.records_len = records.len() as u64;
        header.full_len = full_len;
        header.all_full = all_full && header.cards.is_some();
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut out = std::io::BufWriter::with_capacity(1 << 20, opts.open(tmp)?);
        out.write_all(MAGIC)?;
        let header = postcard::to_allocvec(&header).map_err(std::io::Error::other)?;
        out.write_all(&header)?;
        out.write_all(&records)?;
        for f in fulls {
            out.write_all(f)?;
        }
        out.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    }
}

/// Removes the caches of vaults that are no longer there (a vault deleted or moved, a test's
/// temporary vault), so the folder does not grow without end. Run when a cache is made anew,
/// not on every write; a file whose header does not read as this format's is left alone.
fn remove_caches_of_gone_vaults(dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path == keep || path.extension().is_none_or(|x| x != "cache") {
            continue;
        }
        if let Some(root) = root_of(&path)
            && root.is_absolute()
            && matches!(root.try_exists(), Ok(false))
        {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The vault a cache file is of, from its header (read from its first 64 KiB).
fn root_of(path: &Path) -> Option<PathBuf> {
    let mut start = Vec::new();
    open_regular(path)?
        .take(64 * 1024)
        .read_to_end(&mut start)
        .ok()?;
    let rest = start.strip_prefix(MAGIC.as_slice())?;
    let (header, _) = postcard::take_from_bytes::<Header>(rest).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(&header.root)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(header.root).ok().map(PathBuf::from)
    }
}

/// Removes temporary files of this cache left by writes killed midway, once they are old
/// enough not to be another instance's write in progress.
fn remove_leftovers(dir: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 600);
        if stale && e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A vault's cache, opened before a load that uses it, and read (and checked) by that load, or
/// when first asked: see [`crate::vault::Vault::load_with_cache`].
pub struct Cache {
    root: PathBuf,
    path: Option<PathBuf>,
    /// The file as read, once it is (see [`Cache::take_old`]).
    old: Option<Old>,
    /// Whether the file was read (or there is none): it is read when first needed, by a load
    /// beside its walk.
    read: bool,
    notice: Option<String>,
}

/// The old cache file for a load ([`Cache::take_old`]).
pub(super) enum OldFile {
    /// Read already: what it held.
    Read(Option<Old>),
    /// Its header read, its records not yet: [`OldFile::read`] reads them.
    Unread(Opened),
}

impl OldFile {
    /// The file for a load to `depth` (a full load: with its full parts, read on this
    /// thread), read now if it was not.
    pub(super) fn read(self, depth: Depth) -> Option<Old> {
        match self {
            OldFile::Read(old) => old,
            OldFile::Unread(opened) => {
                let mut old = opened.read()?;
                (depth == Depth::Outline || old.read_full_on(false)).then_some(old)
            }
        }
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("path", &self.path)
            // Not known until the file is read.
            .field("usable", &self.read.then_some(self.old.is_some()))
            .field("notice", &self.notice)
            .finish()
    }
}

impl Cache {
    /// No cache.
    pub fn off(root: &Path) -> Cache {
        Cache {
            root: root.to_path_buf(),
            path: None,
            old: None,
            read: true,
            notice: None,
        }
    }

    /// The cache of the vault at `root` (canonical: see [`crate::vault::Vault::open_root`])
    /// kept at `place`. Its file is read when first needed: by a load, on a thread of its own
    /// beside the walk (at 100k notes, reading and indexing it on one core before the walk
    /// began was a tenth of a warm `search`), or when asked whether it is usable.
    pub fn open(place: &Place, root: &Path) -> Cache {
        let mut cache = Cache::off(root);
        match file_for(place, root) {
            Ok(Some(path)) => {
                cache.path = Some(path);
                cache.read = false;
            }
            Ok(None) => {}
            Err(notice) => cache.notice = Some(notice),
        }
        cache
    }

    /// The old file, read now if it was not.
    fn old(&mut self) -> Option<&mut Old> {
        if !self.read {
            self.read = true;
            self.old = self.path.as_deref().and_then(|p| Old::read(p, &self.root));
        }
        self.old.as_mut()
    }

    /// The old file for a load to `depth` with `cards`, taken out until [`Cache::put_old`]
    /// puts it back: as read (with its full parts for a full load; a cache whose full parts
    /// cannot be read is none), or how to read it. For a full load, a file whose full parts
    /// were parsed with other flashcard settings (or that has none) is none: no note could be
    /// taken from it, and its records are not read for nothing.
    pub(super) fn take_old(&mut self, depth: Depth, cards: &CardSettings) -> OldFile {
        let serves = |h: &Header| depth == Depth::Outline || h.cards.as_ref() == Some(cards);
        if !self.read {
            self.read = true;
            // The header now (the file's first 64 KiB at most); the rest beside the walk.
            let opened = self
                .path
                .as_deref()
                .and_then(|p| Opened::open(p, &self.root));
            return match opened {
                Some(o) if serves(&o.header) => OldFile::Unread(o),
                _ => OldFile::Read(None),
            };
        }
        let mut old = self.old.take().filter(|o| serves(&o.header));
        if depth == Depth::Full && old.as_mut().is_some_and(|o| !o.read_full()) {
            old = None;
        }
        OldFile::Read(old)
    }

    /// Puts back what [`Cache::take_old`] took (read), for [`Cache::finish`].
    pub(super) fn put_old(&mut self, old: Option<Old>) {
        self.read = true;
        self.old = old;
    }

    /// Why there is no cache, when the user should hear it (its folder is inside the vault).
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The cache file, when caching is on.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether the cache file is usable. It is read to know (its records, not its full
    /// parts), on this thread: a load after this one takes it as read instead of reading it
    /// beside its walk.
    pub fn is_usable(&mut self) -> bool {
        self.old().is_some()
    }

    /// Whether the last load kept every note parsed fully, with the vault's flashcard settings
    /// as they are now: a full load will then read only the files changed since, and can be the
    /// first one.
    pub fn warm_for_full(&mut self) -> bool {
        let root = self.root.clone();
        let Some(old) = self.old() else {
            return false;
        };
        if !old.header.all_full {
            return false;
        }
        let Ok(dir) = RootDir::open(&root) else {
            return false;
        };
        let (cards, _) = CardSettings::load(&dir, &root);
        old.header.cards.as_ref() == Some(&cards)
    }

    pub(super) fn root(&self) -> &Path {
        &self.root
    }

    /// Whether new records should be made.
    pub(super) fn records(&self) -> bool {
        self.path.is_some()
    }

    /// The update after a load to `depth` with `cards` that gave `items`.
    pub(super) fn finish(
        self,
        depth: Depth,
        cards: &CardSettings,
        items: Vec<Item>,
    ) -> CacheUpdate {
        let mut counts = Counts::default();
        let mut all_full = true;
        let mut records = 0u64;
        for item in &items {
            match item {
                Item::Kept { full, .. } => {
                    counts.hits += 1;
                    records += 1;
                    all_full &= *full;
                }
                Item::New { full, .. } => {
                    counts.misses += 1;
                    records += 1;
                    all_full &= full.is_some();
                }
                Item::None => counts.misses += 1,
            }
        }
        let Some(path) = self.path else {
            return CacheUpdate {
                counts,
                write: None,
            };
        };
        let cards = match depth {
            Depth::Full => Some(cards.clone()),
            // An outline load does not read the settings: the full records it keeps are those
            // of the old cache.
            Depth::Outline => self.old.as_ref().and_then(|o| o.header.cards.clone()),
        };
        let header = Header {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            build: *BUILD,
            root: root_bytes(&self.root).to_vec(),
            all_full: all_full && cards.is_some(),
            cards,
            records,
            // Laid out when written.
            records_len: 0,
            full_len: 0,
        };
        let laid_out_aside = |h: &Header| Header {
            records_len: 0,
            full_len: 0,
            ..h.clone()
        };
        let changed = self
            .old
            .as_ref()
            .is_none_or(|old| laid_out_aside(&old.header) != header)
            || items.iter().any(|i| matches!(i, Item::New { .. }));
        let write = (changed && header.build.is_some()).then_some(Pending {
            path,
            header,
            old: self.old,
            items,
        });
        CacheUpdate { counts, write }
    }
}

#[cfg(test)]
mod tests;
