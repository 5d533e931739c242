//! Finding a vault's notes: a recursive walk that reads only `*.md` regular files, skips hidden
//! folders (`.obsidian`, `.git`, `.trash`, …), follows no link out of the vault and opens no
//! FIFO, socket or device.
//!
//! On Linux the walk runs on the rayon pool, a task per folder and a task per note, so both
//! cores walk and read as `rg` does. Each folder is opened once, by its name in its parent's
//! handle crossing no link, its entries read from that handle (`getdents`, with the type the
//! kernel gives), and its notes are opened in it by name (see `open` for why that is as safe
//! as a path from the root). Elsewhere the folders are walked one at a time with `walkdir`,
//! and each note still read in a task of its own.

use std::fs;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::open::{FileStat, Folder, Refused, RootDir};
use super::{Problem, ProblemKind};

/// A note file to read, and its path relative to the vault root.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub abs: PathBuf,
    pub rel: String,
    /// The handle on the folder the walk found it in (named `abs`'s file name there), when it
    /// holds one; else the note is opened by its path from the root.
    pub(super) at: Option<Arc<Folder>>,
}

impl Candidate {
    /// Reads the note as [`RootDir::read`] does: by name in the walk's folder handle when there
    /// is one, else by its path from `dir`.
    pub(super) fn read(
        &self,
        dir: &RootDir,
        limit: u64,
        bytes: &mut Vec<u8>,
    ) -> Result<Metadata, Refused> {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if let (Some(at), Some(name)) = (&self.at, self.abs.file_name()) {
            return at.read(name, &self.abs, limit, bytes);
        }
        dir.read(&self.abs, limit, bytes)
    }

    /// The note's identity without reading it ([`Folder::stat`]), looked up in the walk's
    /// folder handle, else in one opened from `dir` for it.
    pub(super) fn stat(&self, dir: &RootDir) -> Option<FileStat> {
        let name = self.abs.file_name()?;
        match &self.at {
            Some(at) => at.stat(name),
            None => dir.folder(self.abs.parent()?)?.stat(name),
        }
    }
}

/// What a walk finds, one at a time.
#[derive(Debug)]
pub enum Found {
    /// A note file to read.
    Note(Candidate),
    /// Any other file (links may point at it), relative path.
    Attachment(String),
    /// A folder the walk reads (the root among them): what a watcher should watch.
    Folder(PathBuf),
    Problem(Problem),
}

/// Relative path with `/` separators, whatever the platform.
pub fn rel_string(root: &Path, path: &Path) -> String {
    // What the walk gives (the root joined with names, in UTF-8) is already that: taken as
    // it is, without splitting it into components and joining them again.
    #[cfg(unix)]
    if let Some(rest) = path
        .as_os_str()
        .as_encoded_bytes()
        .strip_prefix(root.as_os_str().as_encoded_bytes())
        .and_then(|r| r.strip_prefix(b"/"))
        && let Ok(rest) = std::str::from_utf8(rest)
        && !rest.is_empty()
        && rest
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
    {
        return rest.to_owned();
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Walks the vault of `dir`, handing each find to `found` as soon as it is seen, from
/// whichever thread of the rayon pool saw it; each note in a task of its own, so reading it
/// (in `found`) overlaps the walk and the other reads. Each note is counted in `seen` when the
/// walk sees it, before its task runs (the total of a progress gauge). Returns when every
/// find was handed.
pub fn walk(dir: &RootDir, seen: &AtomicUsize, found: &(dyn Fn(Found) + Sync)) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let root = dir.path();
        found(Found::Folder(root.to_path_buf()));
        match dir.walk_handle() {
            Ok(at) => rayon::scope(|s| {
                let to = Hand { root, seen, found };
                read_folder(s, to, Arc::new(at), root.to_path_buf(), String::new());
            }),
            Err(e) => found(unreadable_folder(String::new(), e)),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    rayon::scope(|s| {
        walk_serial(dir.path(), |f| match f {
            Found::Note(c) => {
                seen.fetch_add(1, Ordering::Relaxed);
                s.spawn(move |_| found(Found::Note(c)));
            }
            f => found(f),
        });
    });
}

/// The problem of a folder whose entries cannot be read.
fn unreadable_folder(rel: String, err: impl std::fmt::Display) -> Found {
    Found::Problem(Problem::new(
        rel,
        None,
        ProblemKind::Unreadable,
        format!("cannot read folder: {err}"),
    ))
}

/// `name` appended to the relative path of its folder, as [`rel_string`] gives it.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn child_rel(rel: &str, name: &std::ffi::OsStr) -> String {
    let name = name.to_string_lossy();
    if rel.is_empty() {
        return name.into_owned();
    }
    let mut s = String::with_capacity(rel.len() + 1 + name.len());
    s.push_str(rel);
    s.push('/');
    s.push_str(&name);
    s
}

/// Where the parallel walk hands what it finds: the vault's root, the count of notes seen and
/// the caller's `found`.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[derive(Clone, Copy)]
struct Hand<'s> {
    root: &'s Path,
    seen: &'s AtomicUsize,
    found: &'s (dyn Fn(Found) + Sync),
}

/// Reads the entries of the folder `at` (at `abs`, `rel` from the root) and hands them on:
/// notes in tasks of their own, subfolders each in a task that opens it in `at`.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn read_folder<'s>(s: &rayon::Scope<'s>, to: Hand<'s>, at: Arc<Folder>, abs: PathBuf, rel: String) {
    let Hand { root, seen, found } = to;
    use rustix::fs::{AtFlags, FileType, RawDir};
    use std::os::unix::ffi::OsStrExt;
    // Entries are at most 280 bytes or so (names at most 255): a few hundred per call.
    let mut buf = Vec::with_capacity(32 * 1024);
    let mut entries = RawDir::new(at.fd(), buf.spare_capacity_mut());
    // Opened once this folder's entries are read, so its handle is read from one task at a time.
    let mut folders = Vec::new();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                found(unreadable_folder(rel.clone(), std::io::Error::from(err)));
                break;
            }
        };
        let name = std::ffi::OsStr::from_bytes(entry.file_name().to_bytes());
        // `.` and `..` among them.
        if is_hidden(name) {
            continue;
        }
        let path = abs.join(name);
        let mut ft = entry.file_type();
        if ft == FileType::Unknown {
            match rustix::fs::statat(at.fd(), entry.file_name(), AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => ft = FileType::from_raw_mode(st.st_mode),
                Err(err) => {
                    found(unreadable_folder(
                        child_rel(&rel, name),
                        std::io::Error::from(err),
                    ));
                    continue;
                }
            }
        }
        match ft {
            FileType::Directory => {
                found(Found::Folder(path.clone()));
                folders.push((path, child_rel(&rel, name)));
            }
            FileType::RegularFile if is_markdown(&path) => {
                let c = Candidate {
                    abs: path,
                    rel: child_rel(&rel, name),
                    at: Some(at.clone()),
                };
                seen.fetch_add(1, Ordering::Relaxed);
                s.spawn(move |_| found(Found::Note(c)));
            }
            FileType::RegularFile => found(Found::Attachment(child_rel(&rel, name))),
            FileType::Symlink => match on_symlink(root, &path, child_rel(&rel, name)) {
                // A link to a note in the vault: read in a task of its own as any note.
                Some(Found::Note(c)) => {
                    seen.fetch_add(1, Ordering::Relaxed);
                    s.spawn(move |_| found(Found::Note(c)));
                }
                Some(f) => found(f),
                None => {}
            },
            ft if is_markdown(&path) => found(Found::Problem(Problem::new(
                child_rel(&rel, name),
                None,
                ProblemKind::NotAFile,
                format!("{} is not a regular file; not read", special_kind_of(ft)),
            ))),
            _ => {}
        }
    }
    for (path, sub_rel) in folders {
        let parent = at.clone();
        s.spawn(move |s| {
            // Its own name, as the entry read above gave it (`path` ends in it).
            let opened = parent.open_in(path.file_name().unwrap_or_default());
            // The parent's handle is let go as soon as it is not needed.
            drop(parent);
            match opened {
                Ok(sub) => read_folder(s, to, Arc::new(sub), path, sub_rel),
                Err(err) => found(unreadable_folder(sub_rel, std::io::Error::from(err))),
            }
        });
    }
}

/// What a file that is not a regular file nor a folder is, for messages, from the type its
/// folder's entry gives.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn special_kind_of(ft: rustix::fs::FileType) -> &'static str {
    use rustix::fs::FileType;
    match ft {
        FileType::Symlink => "a symlink",
        FileType::Fifo => "a FIFO (named pipe)",
        FileType::Socket => "a socket",
        FileType::BlockDevice | FileType::CharacterDevice => "a device",
        _ => "a special file",
    }
}

/// The walk of [`walk`] one folder at a time with `walkdir`, by paths: where there is no
/// `getdents`, and in tests as what the parallel walk must find the same.
/// `root` must be canonical (so links can be checked against it).
#[cfg(any(test, not(any(target_os = "linux", target_os = "android"))))]
fn walk_serial(root: &Path, mut found: impl FnMut(Found)) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map(|p| rel_string(root, p)).unwrap_or_default();
                let reason = err
                    .io_error()
                    .map_or_else(|| err.to_string(), ToString::to_string);
                found(Found::Problem(Problem::new(
                    path,
                    None,
                    ProblemKind::Unreadable,
                    format!("cannot read folder: {reason}"),
                )));
                continue;
            }
        };
        let path = entry.path();
        let ft = entry.file_type();
        if ft.is_dir() {
            found(Found::Folder(path.to_path_buf()));
            continue;
        }
        let rel = rel_string(root, path);
        if ft.is_file() {
            if is_markdown(path) {
                let abs = path.to_path_buf();
                found(Found::Note(Candidate { abs, rel, at: None }));
            } else {
                found(Found::Attachment(rel));
            }
        } else if ft.is_symlink() {
            if let Some(f) = on_symlink(root, path, rel) {
                found(f);
            }
        } else if is_markdown(path) {
            found(Found::Problem(Problem::new(
                rel,
                None,
                ProblemKind::NotAFile,
                format!("{} is not a regular file; not read", special_kind(&ft)),
            )));
        }
    }
}

/// errno values (the same on Linux and macOS).
const ENOENT: i32 = 2;
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;

/// A symlink is followed only when it resolves to a regular file inside the vault.
fn on_symlink(root: &Path, path: &Path, rel: String) -> Option<Found> {
    let md = is_markdown(path);
    let target = match fs::canonicalize(path) {
        Ok(t) => t,
        Err(err) => {
            if md {
                let why = match err.raw_os_error() {
                    Some(ELOOP) => "a symlink loop",
                    Some(ENOENT) => "a broken symlink",
                    _ => "an unreadable symlink",
                };
                return Some(Found::Problem(Problem::new(
                    rel,
                    None,
                    ProblemKind::Symlink,
                    format!("{why} ({err}); skipped"),
                )));
            }
            return None;
        }
    };
    if !target.starts_with(root) {
        return Some(Found::Problem(Problem::new(
            rel,
            None,
            ProblemKind::Symlink,
            format!(
                "symlink points outside the vault (to {}); not followed",
                target.display()
            ),
        )));
    }
    // A link into `.trash`, `.git` or another hidden folder reads what the walk skips.
    let hidden = target
        .strip_prefix(root)
        .is_ok_and(|r| r.components().any(|c| is_hidden(c.as_os_str())));
    if hidden {
        return None;
    }
    match fs::metadata(&target) {
        Ok(m) if m.is_file() && md => Some(Found::Note(Candidate {
            abs: target,
            rel,
            at: None,
        })),
        Ok(m) if m.is_file() => Some(Found::Attachment(rel)),
        // A linked folder inside the vault is already walked where it really is.
        Ok(m) if m.is_dir() => None,
        Ok(m) if md => Some(Found::Problem(Problem::new(
            rel,
            None,
            ProblemKind::NotAFile,
            format!(
                "symlink to {} is not a regular file; not read",
                special_kind(&m.file_type())
            ),
        ))),
        _ => None,
    }
}

/// What a file that is not a regular file nor a folder is, for messages.
#[cfg(unix)]
pub(super) fn special_kind(ft: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_symlink() {
        "a symlink"
    } else if ft.is_fifo() {
        "a FIFO (named pipe)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
pub(super) fn special_kind(ft: &fs::FileType) -> &'static str {
    if ft.is_symlink() {
        "a symlink"
    } else {
        "a special file"
    }
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;
    use std::sync::Mutex;

    /// Everything a walk found, sorted: notes (rel, abs, whether held in a folder handle),
    /// attachments, folders, problems (path, kind, message).
    #[derive(Debug, Default, PartialEq)]
    struct Finds {
        notes: Vec<(String, PathBuf, bool)>,
        attachments: Vec<String>,
        folders: Vec<PathBuf>,
        problems: Vec<(String, ProblemKind, String)>,
        /// Each note's bytes as its candidate reads them.
        read: Vec<(String, Vec<u8>)>,
    }

    impl Finds {
        fn add(&mut self, dir: &RootDir, f: Found) {
            match f {
                Found::Note(c) => {
                    let mut bytes = Vec::new();
                    c.read(dir, 1 << 20, &mut bytes).unwrap();
                    self.read.push((c.rel.clone(), bytes));
                    self.notes.push((c.rel, c.abs, c.at.is_some()));
                }
                Found::Attachment(a) => self.attachments.push(a),
                Found::Folder(f) => self.folders.push(f),
                Found::Problem(p) => self.problems.push((p.path, p.kind, p.message)),
            }
        }

        fn sorted(mut self) -> Finds {
            self.notes.sort();
            self.attachments.sort();
            self.folders.sort();
            self.problems
                .sort_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
            self.read.sort();
            self
        }
    }

    /// A vault with every kind of entry the walk tells apart, and a folder outside it.
    fn hostile_tree() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("outside");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("o.md"), "outside").unwrap();
        let root = dir.path().join("vault");
        for d in ["sub/deep", ".hidden", "sub/.git", "many"] {
            fs::create_dir_all(root.join(d)).unwrap();
        }
        let root = root.canonicalize().unwrap();
        let mut deep = root.clone();
        for i in 0..20 {
            deep.push(format!("level{i}"));
        }
        fs::create_dir_all(&deep).unwrap();
        fs::write(deep.join("bottom.md"), "bottom").unwrap();
        for (path, text) in [
            ("a.md", "a"),
            ("B.MD", "upper"),
            ("b.txt", "attachment"),
            ("sub/c.md", "c"),
            ("sub/deep/d.md", "d"),
            ("sub/deep/pic.png", "png"),
            (".hidden/e.md", "hidden"),
            (".hidden.md", "hidden file"),
            ("sub/.git/f.md", "in .git"),
            ("noext", "attachment"),
        ] {
            fs::write(root.join(path), text).unwrap();
        }
        // More entries than one `getdents` call returns.
        for i in 0..2500 {
            fs::write(
                root.join(format!("many/note number {i}.md")),
                format!("{i}"),
            )
            .unwrap();
        }
        // Names that are not UTF-8: a folder and a note.
        let bad_dir = root.join(OsStr::from_bytes(b"caf\xff"));
        fs::create_dir(&bad_dir).unwrap();
        fs::write(bad_dir.join("n.md"), "in a non-UTF-8 folder").unwrap();
        fs::write(root.join(OsStr::from_bytes(b"x\xfe.md")), "non-UTF-8 name").unwrap();
        // Links in, out, to folders, in loops, broken, into a hidden folder.
        for (link, to) in [
            ("link-in.md", root.join("sub/c.md")),
            ("link-att", root.join("b.txt")),
            ("link-dir", root.join("sub")),
            ("sub/link-up", root.clone()),
            ("link-out.md", out.join("o.md")),
            ("link-outdir", out.clone()),
            ("loop.md", root.join("loop.md")),
            ("broken.md", root.join("nowhere.md")),
            ("link-hidden.md", root.join(".hidden/e.md")),
        ] {
            symlink(to, root.join(link)).unwrap();
        }
        let mode = rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR;
        rustix::fs::mkfifoat(rustix::fs::CWD, root.join("fifo.md"), mode).unwrap();
        rustix::fs::mkfifoat(rustix::fs::CWD, root.join("sub/pipe"), mode).unwrap();
        std::os::unix::net::UnixListener::bind(root.join("sock.md")).unwrap();
        (dir, root)
    }

    /// The parallel walk finds what the walk by paths finds, entry for entry, and every note it
    /// found in a folder reads through that folder's handle as the file's bytes.
    #[test]
    fn parallel_walk_finds_what_the_walk_by_paths_finds() {
        let (_dir, root) = hostile_tree();
        let dir = RootDir::open(&root).unwrap();
        let par = Mutex::new(Finds::default());
        let seen = AtomicUsize::new(0);
        walk(&dir, &seen, &|f| par.lock().unwrap().add(&dir, f));
        let par = par.into_inner().unwrap().sorted();
        let mut serial = Finds::default();
        walk_serial(&root, |f| serial.add(&dir, f));
        let mut serial = serial.sorted();
        // The walk by paths holds no folder handle: the notes it reads from the root are the
        // ones the parallel walk holds a handle for, all but those reached by a link.
        for n in &mut serial.notes {
            n.2 = !n.0.starts_with("link-");
        }
        assert_eq!(par, serial);
        // What it is made of, so an empty walk on both sides fails.
        assert_eq!(par.notes.len(), 2500 + 8);
        assert_eq!(seen.into_inner(), par.notes.len());
        let rel = |r: &str| par.notes.iter().find(|n| n.0 == r).map(|n| n.1.clone());
        assert_eq!(rel("link-in.md"), Some(root.join("sub/c.md")));
        assert!(rel("caf\u{fffd}/n.md").is_some());
        assert!(rel("x\u{fffd}.md").is_some());
        assert!(par.read.iter().all(|(r, bytes)| {
            let abs = rel(r).unwrap();
            fs::read(abs).unwrap() == *bytes
        }));
        let problems: Vec<_> = par.problems.iter().map(|p| (p.0.as_str(), p.1)).collect();
        assert_eq!(
            problems,
            [
                ("broken.md", ProblemKind::Symlink),
                ("fifo.md", ProblemKind::NotAFile),
                ("link-out.md", ProblemKind::Symlink),
                ("link-outdir", ProblemKind::Symlink),
                ("loop.md", ProblemKind::Symlink),
                ("sock.md", ProblemKind::NotAFile),
            ]
        );
        let hidden = |f: &PathBuf| {
            f.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .contains('.')
        };
        assert!(!par.folders.iter().any(hidden));
        assert_eq!(par.folders[0], root);
        assert_eq!(par.folders.len(), 1 + 2 + 1 + 1 + 20);
    }
}
