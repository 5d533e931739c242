//! Opening a note file without trusting that it is still what the folder walk saw.
//!
//! Between the walk (which checks each entry's type) and the read, anyone who can write to the
//! vault can swap a note for a FIFO (a plain open would block the loader forever), for a symlink
//! to a file outside the vault (which would be read and shown), or swap a *folder* on the note's
//! path for a symlink out of the vault. So a note is opened like this (unix):
//!
//! 1. relative to a handle on the vault's root folder, never by its absolute path, and without
//!    following any symlink on the way: on Linux with `openat2(RESOLVE_BENEATH |
//!    RESOLVE_NO_SYMLINKS)`, which the kernel checks for every component in one call; where
//!    that call is missing (kernels before 5.6, some sandboxes) and on other unixes, one
//!    component at a time with `openat(O_NOFOLLOW | O_DIRECTORY)` from the root's handle, so
//!    each folder is the one found inside the previous one and none is a link. Either way the
//!    file opened is inside the vault whatever was swapped on its path: nothing outside can be
//!    reached without crossing a symlink (or `..`, which the walk's relative paths never hold);
//! 2. with `O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC`: a FIFO opens at once instead of
//!    waiting for a writer, and a last-moment symlink is refused;
//! 3. the *opened* handle is checked (`fstat`): only a regular file is read, and at most the size
//!    limit plus one byte, so a file that grows past the limit meanwhile is still refused.
//!
//! The symlinks the walk accepts (to notes inside the vault) were resolved by it to their
//! canonical targets, so the path opened here is the target's, which holds no link.
//!
//! On Linux the walk (see `walk`) holds a handle on every folder it reads, and a note found in
//! a folder is opened by its name in that folder's handle ([`Folder::read`]) instead of by its
//! path from the root, with the same flags and the same check of the opened handle. This is as
//! safe as the path from the root:
//!
//! - the root's handle is the one above; every other folder's handle was opened by its name in
//!   its parent's handle with `O_DIRECTORY | O_NOFOLLOW` (a symlink there fails to open),
//!   and a name read from a folder is one component (never `.`, `..` or holding a `/`). So each
//!   handle is on a folder reached from the root crossing no link, exactly what `openat2`
//!   checks component by component for a path;
//! - the note's own name is opened with `O_NOFOLLOW`, so a last-moment symlink is refused as
//!   before, and a FIFO or device is caught by `O_NONBLOCK` and the `fstat` of the handle;
//! - a handle follows its folder if the folder is renamed: one moved out of the vault during a
//!   load is still read as the walk saw it, as if the load had run a moment earlier. Nothing
//!   new is reachable that way: a file read through it is an entry of a folder that was in the
//!   vault, and whoever can put an entry in that folder could put it there while it was in the
//!   vault. A path opened from the root instead fails to find it, the only difference.
//!
//! Elsewhere (no `openat`), the file is opened by its path and checked the same way after.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::ProblemKind;

/// Why a file was not read: the problem kind and a message for the list of problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub kind: ProblemKind,
    pub message: String,
}

impl Refused {
    fn new(kind: ProblemKind, message: impl Into<String>) -> Self {
        Refused {
            kind,
            message: message.into(),
        }
    }

    fn io(err: &std::io::Error) -> Self {
        Refused::new(ProblemKind::Unreadable, format!("cannot read: {err}"))
    }
}

/// What identifies a file's contents without reading them: a metadata cache entry is used only
/// while all of it is unchanged. The change time (`ctime`) is set by the kernel on every write,
/// rename and `touch`, and no tool can set it back, so a file edited to the same size and given
/// its old modification time again (`touch -d`, a clock set back) still differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileStat {
    pub size: u64,
    /// Seconds and nanoseconds since 1970.
    pub mtime: (i64, u32),
    pub ctime: (i64, u32),
    pub ino: u64,
    pub dev: u64,
}

impl FileStat {
    /// The identity of an opened file, from its metadata (unix; `None` elsewhere).
    pub fn of(meta: &Metadata) -> Option<FileStat> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileStat {
                size: meta.len(),
                mtime: (meta.mtime(), u32::try_from(meta.mtime_nsec()).ok()?),
                ctime: (meta.ctime(), u32::try_from(meta.ctime_nsec()).ok()?),
                ino: meta.ino(),
                dev: meta.dev(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

/// The vault's root folder, held open while a load reads its notes, so every note is opened
/// relative to this one folder.
#[derive(Debug)]
pub struct RootDir {
    path: PathBuf,
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
}

impl RootDir {
    /// Opens the (canonical) root folder.
    pub fn open(path: &Path) -> std::io::Result<RootDir> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let fd = rustix::fs::open(
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            Ok(RootDir {
                path: path.to_owned(),
                fd,
            })
        }
        #[cfg(not(unix))]
        {
            if !std::fs::metadata(path)?.is_dir() {
                return Err(std::io::Error::other("not a folder"));
            }
            Ok(RootDir {
                path: path.to_owned(),
            })
        }
    }

    /// Reads the regular file at `abs` (a path under this root, as the walk gives it) into
    /// `bytes`, at most `limit` bytes. Returns the opened file's metadata.
    pub fn read(&self, abs: &Path, limit: u64, bytes: &mut Vec<u8>) -> Result<Metadata, Refused> {
        let rel = self.inside(abs)?;
        let file = self.open_file(rel)?;
        #[cfg(test)]
        reads::record(&file, &self.path.join(rel));
        read_bounded(file, limit, bytes)
    }

    /// The identity of the regular file at `abs` (a path under this root, as the walk gives
    /// it), looked up as [`RootDir::read`] opens it, crossing no link, without reading it.
    /// `None` when it is not a regular file that `read` would open, or where there is no such
    /// lookup (then nothing is taken from a cache). A load looks its notes up in the
    /// [`Folder`] handles its walk holds instead.
    #[cfg(test)]
    pub fn stat(&self, abs: &Path) -> Option<FileStat> {
        self.folder(abs.parent()?)?.stat(abs.file_name()?)
    }

    /// A handle on the folder `abs` (the root or a folder under it), reached from the root
    /// crossing no link (`openat2` with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS`, as a read
    /// resolves a note's folders), for looking up the files in it.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn folder(&self, abs: &Path) -> Option<Folder> {
        use rustix::fs::{Mode, OFlags, ResolveFlags};
        let rel = abs.strip_prefix(&self.path).ok()?;
        if rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return None;
        }
        let rel = if rel.as_os_str().is_empty() {
            Path::new(".")
        } else {
            rel
        };
        // Where openat2 is missing the read's fallback is not mirrored here: no handle, and
        // the cache is simply not used.
        let fd = rustix::fs::openat2(
            &self.fd,
            rel,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
            ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS,
        )
        .ok()?;
        Some(Folder { fd })
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub fn folder(&self, _abs: &Path) -> Option<Folder> {
        None
    }

    /// The (canonical) path this root was opened at.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// A handle of its own on the root folder, for reading its entries (a folder's handle
    /// keeps the position its entries are read at, so the walk reads from its own).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(super) fn walk_handle(&self) -> rustix::io::Result<Folder> {
        use rustix::fs::{Mode, OFlags};
        let fd = rustix::fs::openat(
            &self.fd,
            c".",
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(Folder { fd })
    }

    /// `abs` relative to the root, when it is a plain path inside it (no `..`, not the root).
    fn inside<'p>(&self, abs: &'p Path) -> Result<&'p Path, Refused> {
        let Ok(rel) = abs.strip_prefix(&self.path) else {
            return Err(Refused::new(
                ProblemKind::Symlink,
                "the file is outside the vault; not read",
            ));
        };
        if rel.as_os_str().is_empty()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(Refused::new(
                ProblemKind::Unreadable,
                "not a path to a file inside the vault; not read",
            ));
        }
        Ok(rel)
    }

    #[cfg(unix)]
    fn open_file(&self, rel: &Path) -> Result<File, Refused> {
        openat_beneath(&self.fd, rel)
            .map(File::from)
            .map_err(|e| self.refusal(rel, e))
    }

    /// What a failed open of `rel` means for the list of problems.
    #[cfg(unix)]
    fn refusal(&self, rel: &Path, err: rustix::io::Errno) -> Refused {
        use rustix::io::Errno;
        match err {
            Errno::LOOP | Errno::NOTDIR | Errno::XDEV => self.explain(rel, err),
            Errno::NXIO => socket_refusal(),
            e => Refused::io(&e.into()),
        }
    }

    #[cfg(not(unix))]
    fn open_file(&self, rel: &Path) -> Result<File, Refused> {
        let path = self.path.join(rel);
        let link = std::fs::symlink_metadata(&path).map_err(|e| Refused::io(&e))?;
        if link.file_type().is_symlink() {
            return Err(Refused::new(
                ProblemKind::Symlink,
                "the file is now a symlink; not followed",
            ));
        }
        File::open(&path).map_err(|e| Refused::io(&e))
    }

    /// Says which part of `rel` made the open fail: a folder or the file that is now a symlink
    /// (or no longer a folder).
    #[cfg(unix)]
    fn explain(&self, rel: &Path, err: rustix::io::Errno) -> Refused {
        use rustix::fs::{AtFlags, FileType};
        let mut at = PathBuf::new();
        let parts: Vec<_> = rel.components().collect();
        for (i, part) in parts.iter().enumerate() {
            at.push(part);
            let last = i + 1 == parts.len();
            let Ok(st) = rustix::fs::statat(&self.fd, &at, AtFlags::SYMLINK_NOFOLLOW) else {
                break;
            };
            let ft = FileType::from_raw_mode(st.st_mode);
            if ft == FileType::Symlink {
                return Refused::new(
                    ProblemKind::Symlink,
                    if last {
                        "the file was replaced by a symlink after the folder was read; not followed"
                            .to_owned()
                    } else {
                        format!(
                            "folder {} on its path is now a symlink; not followed",
                            at.display()
                        )
                    },
                );
            }
            if !last && ft != FileType::Directory {
                return Refused::new(
                    ProblemKind::NotAFile,
                    format!(
                        "{} on its path is no longer a folder; not read",
                        at.display()
                    ),
                );
            }
        }
        // The path changed again since; say what the kernel said.
        Refused::new(
            ProblemKind::Symlink,
            format!(
                "a symlink or a changed folder on its path ({}); not followed",
                std::io::Error::from(err)
            ),
        )
    }
}

/// A folder of the vault, held to look up the files in it: see [`RootDir::folder`]. The walk
/// holds one on each folder it reads ([`RootDir::walk_handle`], [`Folder::open_in`]) and opens
/// the notes found there in it.
#[derive(Debug)]
pub struct Folder {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fd: std::os::fd::OwnedFd,
}

impl Folder {
    /// The identity of the regular file `name` in this folder: one `statx` that follows no
    /// link (the folder itself was reached crossing none). `None` for anything else.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn stat(&self, name: &std::ffi::OsStr) -> Option<FileStat> {
        use rustix::fs::{AtFlags, FileType, StatxFlags};
        if !plain_name(name) {
            return None;
        }
        let st = rustix::fs::statx(
            &self.fd,
            name,
            AtFlags::SYMLINK_NOFOLLOW | AtFlags::NO_AUTOMOUNT,
            StatxFlags::BASIC_STATS,
        )
        .ok()?;
        let want = StatxFlags::TYPE
            | StatxFlags::SIZE
            | StatxFlags::MTIME
            | StatxFlags::CTIME
            | StatxFlags::INO;
        if !StatxFlags::from_bits_retain(st.stx_mask).contains(want)
            || FileType::from_raw_mode(u32::from(st.stx_mode)) != FileType::RegularFile
        {
            return None;
        }
        Some(FileStat {
            size: st.stx_size,
            mtime: (st.stx_mtime.tv_sec, st.stx_mtime.tv_nsec),
            ctime: (st.stx_ctime.tv_sec, st.stx_ctime.tv_nsec),
            ino: st.stx_ino,
            // As `st_dev` encodes it (std's `MetadataExt::dev`).
            dev: rustix::fs::makedev(st.stx_dev_major, st.stx_dev_minor),
        })
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub fn stat(&self, _name: &std::ffi::OsStr) -> Option<FileStat> {
        None
    }

    /// The folder `name` in this one, opened to read its entries and the files in it, without
    /// following a link (`O_NOFOLLOW | O_DIRECTORY`: a symlink, or anything else not a folder,
    /// fails with `ENOTDIR` or `ELOOP`). See the top of this file for why a file opened in
    /// it is inside the vault.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(super) fn open_in(&self, name: &std::ffi::OsStr) -> rustix::io::Result<Folder> {
        use rustix::fs::{Mode, OFlags};
        if !plain_name(name) {
            return Err(rustix::io::Errno::INVAL);
        }
        let fd = rustix::fs::openat(
            &self.fd,
            name,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(Folder { fd })
    }

    /// The handle, for reading the folder's entries.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(super) fn fd(&self) -> std::os::fd::BorrowedFd<'_> {
        use std::os::fd::AsFd;
        self.fd.as_fd()
    }

    /// Reads the regular file `name` in this folder (whose path is `abs`) as [`RootDir::read`]
    /// reads one: opened with the same flags, its handle checked, at most `limit` bytes.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(super) fn read(
        &self,
        name: &std::ffi::OsStr,
        abs: &Path,
        limit: u64,
        bytes: &mut Vec<u8>,
    ) -> Result<Metadata, Refused> {
        use rustix::io::Errno;
        if !plain_name(name) {
            return Err(Refused::new(
                ProblemKind::Unreadable,
                "not a path to a file inside the vault; not read",
            ));
        }
        let file = match rustix::fs::openat(&self.fd, name, file_flags(), rustix::fs::Mode::empty())
        {
            Ok(fd) => File::from(fd),
            Err(Errno::LOOP) => {
                return Err(Refused::new(
                    ProblemKind::Symlink,
                    "the file was replaced by a symlink after the folder was read; not followed",
                ));
            }
            Err(Errno::NXIO) => return Err(socket_refusal()),
            Err(e) => return Err(Refused::io(&e.into())),
        };
        #[cfg(test)]
        reads::record(&file, abs);
        #[cfg(not(test))]
        let _ = abs;
        read_bounded(file, limit, bytes)
    }
}

/// A name of an entry in a folder: one component, neither `.` nor `..`.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn plain_name(name: &std::ffi::OsStr) -> bool {
    !(name.is_empty() || name == ".." || name == "." || name.as_encoded_bytes().contains(&b'/'))
}

/// Opening a socket fails with `ENXIO`.
#[cfg(unix)]
fn socket_refusal() -> Refused {
    Refused::new(
        ProblemKind::NotAFile,
        "the file is now a socket or a device, not a regular file; not read",
    )
}

/// Flags for the note itself: no link followed, no wait on a FIFO, no controlling terminal
/// taken from a device, and not inherited by the editor or any other child.
#[cfg(unix)]
fn file_flags() -> rustix::fs::OFlags {
    use rustix::fs::OFlags;
    OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC
}

/// Opens `rel` under `root` crossing no symlink: one `openat2` call on Linux when the kernel
/// has it, else component by component.
#[cfg(unix)]
fn openat_beneath(
    root: &std::os::fd::OwnedFd,
    rel: &Path,
) -> rustix::io::Result<std::os::fd::OwnedFd> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        static NO_OPENAT2: AtomicBool = AtomicBool::new(false);
        if !NO_OPENAT2.load(Ordering::Relaxed) {
            use rustix::fs::{Mode, ResolveFlags};
            use rustix::io::Errno;
            match rustix::fs::openat2(
                root,
                rel,
                file_flags(),
                Mode::empty(),
                ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS,
            ) {
                // Missing (old kernel) or filtered (a seccomp sandbox): walk by hand from now on.
                Err(e) if e == Errno::NOSYS || e == Errno::PERM => {
                    NO_OPENAT2.store(true, Ordering::Relaxed);
                }
                other => return other,
            }
        }
    }
    openat_by_component(root, rel)
}

/// The portable way: every folder opened inside the previous one with `O_NOFOLLOW |
/// O_DIRECTORY` (a symlink there fails with `ELOOP` or `ENOTDIR`), then the file.
#[cfg(unix)]
fn openat_by_component(
    root: &std::os::fd::OwnedFd,
    rel: &Path,
) -> rustix::io::Result<std::os::fd::OwnedFd> {
    use rustix::fs::{Mode, OFlags};
    use std::os::fd::AsFd;
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str()).collect();
    let Some((name, folders)) = parts.split_last() else {
        return Err(rustix::io::Errno::INVAL);
    };
    let dir_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let mut held: Option<std::os::fd::OwnedFd> = None;
    for folder in folders {
        let next = {
            let at = held.as_ref().map_or_else(|| root.as_fd(), |d| d.as_fd());
            rustix::fs::openat(at, *folder, dir_flags, Mode::empty())?
        };
        held = Some(next);
    }
    let at = held.as_ref().map_or_else(|| root.as_fd(), |d| d.as_fd());
    rustix::fs::openat(at, *name, file_flags(), Mode::empty())
}

/// Checks the opened handle (a regular file within the limit) and reads it to the size it had
/// then (so what grows after the check is not read: the note is the file as it was when its
/// identity was taken). A file whose size says 0 is read to its end, at most `limit + 1`
/// bytes, so one longer than the limit is refused.
fn read_bounded(mut file: File, limit: u64, bytes: &mut Vec<u8>) -> Result<Metadata, Refused> {
    let meta = file.metadata().map_err(|e| Refused::io(&e))?;
    if !meta.is_file() {
        return Err(Refused::new(
            ProblemKind::NotAFile,
            format!(
                "the file is now {}, not a regular file; not read",
                super::walk::special_kind(&meta.file_type())
            ),
        ));
    }
    let too_large = |len: u64| {
        Refused::new(
            ProblemKind::TooLarge,
            format!(
                "{} MiB is over the {} MiB limit for a note; not read",
                len >> 20,
                limit >> 20
            ),
        )
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    bytes.clear();
    bytes.reserve(meta.len() as usize);
    // The size the file had when opened, and no more: its end is then known without another
    // read that finds nothing there (one `read` a note instead of two), and the bytes are those
    // of the identity recorded with them. A file that says it is empty is read to its end, as
    // some file systems say so of files that are not.
    let most = match meta.len() {
        0 => limit.saturating_add(1),
        len => len,
    };
    (&mut file)
        .take(most)
        .read_to_end(bytes)
        .map_err(|e| Refused::io(&e))?;
    if bytes.len() as u64 > limit {
        bytes.clear();
        return Err(too_large(limit + 1));
    }
    Ok(meta)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("vault");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/n.md"), "note").unwrap();
        std::fs::write(dir.path().join("outside.md"), "outside").unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    /// A file is read to the size it had when opened, in full (its end known from that size),
    /// and one that says it is empty (as `/proc` files do) is read to its end all the same,
    /// within the limit.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_is_read_to_its_size_and_one_that_says_it_is_empty_to_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let text = "한국어 note\n".repeat(1000);
        std::fs::write(dir.path().join("n.md"), &text).unwrap();
        let mut bytes = Vec::new();
        let meta = read_bounded(
            File::open(dir.path().join("n.md")).unwrap(),
            1 << 20,
            &mut bytes,
        )
        .unwrap();
        assert_eq!(meta.len(), text.len() as u64);
        assert_eq!(bytes, text.as_bytes());
        let said = File::open("/proc/self/status").unwrap();
        assert_eq!(said.metadata().unwrap().len(), 0);
        let meta = read_bounded(said, 1 << 20, &mut bytes).unwrap();
        assert_eq!(meta.len(), 0);
        assert!(
            std::str::from_utf8(&bytes).unwrap().contains("Name:"),
            "{bytes:?}"
        );
        let refused = read_bounded(File::open("/proc/self/status").unwrap(), 10, &mut bytes);
        assert_eq!(refused.unwrap_err().kind, ProblemKind::TooLarge);
    }

    /// The identity looked up without reading is the one the read's open file has, and only a
    /// regular file reached crossing no link has one.
    #[cfg(target_os = "linux")]
    #[test]
    fn stat_without_reading_matches_the_opened_file() {
        let (dir, root) = setup();
        let rd = RootDir::open(&root).unwrap();
        let mut bytes = Vec::new();
        let meta = rd.read(&root.join("sub/n.md"), 100, &mut bytes).unwrap();
        assert_eq!(rd.stat(&root.join("sub/n.md")), FileStat::of(&meta));
        assert!(rd.stat(&root.join("sub/n.md")).is_some());
        let outside = dir.path().canonicalize().unwrap();
        std::os::unix::fs::symlink(root.join("sub/n.md"), root.join("link.md")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("linked")).unwrap();
        let mode = rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR;
        rustix::fs::mkfifoat(rustix::fs::CWD, root.join("fifo.md"), mode).unwrap();
        for not in ["link.md", "linked/outside.md", "fifo.md", "sub", "gone.md"] {
            assert_eq!(rd.stat(&root.join(not)), None, "{not}");
        }
        assert_eq!(rd.stat(&outside.join("outside.md")), None);
        assert_eq!(rd.stat(&root.join("sub/../sub/n.md")), None);
    }

    /// A note opened by name in a folder's handle, as the walk opens it, is refused for what
    /// the path from the root is refused for: a symlink (even to a note inside the vault), a
    /// FIFO, a socket, growth past the limit, a name that is not one component; and a folder
    /// that is a link is not opened as a folder.
    #[cfg(target_os = "linux")]
    #[test]
    fn folder_handle_reads_refuse_what_the_root_refuses() {
        use std::ffi::OsStr;
        let (dir, root) = setup();
        let outside = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("sub/big.md"), "x".repeat(11)).unwrap();
        std::os::unix::fs::symlink(outside.join("outside.md"), root.join("sub/out.md")).unwrap();
        std::os::unix::fs::symlink(root.join("sub/n.md"), root.join("sub/in.md")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("linked")).unwrap();
        let mode = rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR;
        rustix::fs::mkfifoat(rustix::fs::CWD, root.join("sub/fifo.md"), mode).unwrap();
        std::os::unix::net::UnixListener::bind(root.join("sub/sock.md")).unwrap();
        let rd = RootDir::open(&root).unwrap();
        let top = rd.walk_handle().unwrap();
        // `O_DIRECTORY` with `O_NOFOLLOW` on a link: ENOTDIR (ELOOP on some kernels).
        let err = top.open_in(OsStr::new("linked")).unwrap_err();
        assert!(
            [rustix::io::Errno::NOTDIR, rustix::io::Errno::LOOP].contains(&err),
            "{err:?}"
        );
        assert_eq!(
            top.open_in(OsStr::new("..")).unwrap_err(),
            rustix::io::Errno::INVAL
        );
        let sub = top.open_in(OsStr::new("sub")).unwrap();
        type Want = Result<&'static str, (ProblemKind, &'static str)>;
        let cases: &[(&str, u64, Want)] = &[
            ("n.md", 100, Ok("note")),
            ("big.md", 11, Ok("xxxxxxxxxxx")),
            ("big.md", 10, Err((ProblemKind::TooLarge, "limit"))),
            (
                "out.md",
                100,
                Err((ProblemKind::Symlink, "replaced by a symlink")),
            ),
            (
                "in.md",
                100,
                Err((ProblemKind::Symlink, "replaced by a symlink")),
            ),
            ("fifo.md", 100, Err((ProblemKind::NotAFile, "FIFO"))),
            ("sock.md", 100, Err((ProblemKind::NotAFile, "socket"))),
            (
                "gone.md",
                100,
                Err((ProblemKind::Unreadable, "cannot read")),
            ),
            (
                "../sub/n.md",
                100,
                Err((ProblemKind::Unreadable, "inside the vault")),
            ),
            (
                "..",
                100,
                Err((ProblemKind::Unreadable, "inside the vault")),
            ),
        ];
        for (name, limit, want) in cases {
            let mut bytes = Vec::new();
            let abs = root.join("sub").join(name);
            match (sub.read(OsStr::new(name), &abs, *limit, &mut bytes), want) {
                (Ok(meta), Ok(text)) => {
                    assert_eq!(bytes, text.as_bytes(), "{name}");
                    assert_eq!(sub.stat(OsStr::new(name)), FileStat::of(&meta), "{name}");
                }
                (Err(r), Err((kind, msg))) => {
                    assert_eq!(r.kind, *kind, "{name}: {r:?}");
                    assert!(r.message.contains(msg), "{name}: {r:?}");
                }
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
        // Only what is in the folder was opened (n.md, big.md twice, the FIFO without
        // waiting), and nothing outside.
        let opened = reads::under(&outside);
        assert!(
            opened.iter().all(|p| p.starts_with(root.join("sub"))),
            "{opened:?}"
        );
        assert_eq!(opened.len(), 4, "{opened:?}");
    }

    /// Every way a path can be wrong, through both ways of opening.
    #[test]
    fn refuses_links_fifos_and_growth_by_both_ways() {
        let (dir, root) = setup();
        let outside = dir.path().canonicalize().unwrap();
        std::os::unix::fs::symlink(outside.join("outside.md"), root.join("link.md")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("linked")).unwrap();
        let mode = rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR;
        rustix::fs::mkfifoat(rustix::fs::CWD, root.join("fifo.md"), mode).unwrap();
        std::fs::write(root.join("big.md"), "x".repeat(11)).unwrap();
        let rd = RootDir::open(&root).unwrap();
        // (path under the root, limit, Ok(text) or Err(kind, part of the message))
        type Want = Result<&'static str, (ProblemKind, &'static str)>;
        let cases: &[(&str, u64, Want)] = &[
            ("sub/n.md", 100, Ok("note")),
            (
                "link.md",
                100,
                Err((ProblemKind::Symlink, "replaced by a symlink")),
            ),
            (
                "linked/outside.md",
                100,
                Err((ProblemKind::Symlink, "folder linked")),
            ),
            ("fifo.md", 100, Err((ProblemKind::NotAFile, "FIFO"))),
            ("big.md", 11, Ok("xxxxxxxxxxx")),
            ("big.md", 10, Err((ProblemKind::TooLarge, "limit"))),
            (
                "gone.md",
                100,
                Err((ProblemKind::Unreadable, "cannot read")),
            ),
            (
                "sub/n.md/x.md",
                100,
                Err((ProblemKind::NotAFile, "no longer a folder")),
            ),
        ];
        for way in ["openat2 or fallback", "by component"] {
            for (rel, limit, want) in cases {
                let mut bytes = Vec::new();
                let got = if way == "by component" {
                    openat_by_component(&rd.fd, Path::new(rel))
                        .map_err(|e| rd.refusal(Path::new(rel), e))
                        .and_then(|fd| read_bounded(File::from(fd), *limit, &mut bytes))
                } else {
                    rd.read(&root.join(rel), *limit, &mut bytes)
                };
                match (got, want) {
                    (Ok(_), Ok(text)) => assert_eq!(bytes, text.as_bytes(), "{way}: {rel}"),
                    (Err(r), Err((kind, msg))) => {
                        assert_eq!(r.kind, *kind, "{way}: {rel}: {r:?}");
                        assert!(r.message.contains(msg), "{way}: {rel}: {r:?}");
                    }
                    (got, want) => panic!("{way}: {rel}: got {got:?}, want {want:?}"),
                }
            }
        }
        assert_eq!(
            rd.read(&outside.join("outside.md"), 100, &mut Vec::new())
                .unwrap_err()
                .kind,
            ProblemKind::Symlink
        );
    }
}

/// Every file [`RootDir::read`] opened in this test process, by the path the kernel gives the
/// opened file: what tests count to prove a file is read once, or never.
/// Tests run side by side in one process, so each looks only at the paths of its own folders.
#[cfg(test)]
pub(crate) mod reads {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    static OPENED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// Records the file `file` really is, as the kernel names it (so a path that escaped the
    /// vault would show as where it went), else `asked`.
    pub(super) fn record(file: &std::fs::File, asked: &Path) {
        #[cfg(target_os = "linux")]
        let real = {
            use std::os::fd::AsRawFd;
            std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))
                .unwrap_or_else(|_| asked.to_path_buf())
        };
        #[cfg(not(target_os = "linux"))]
        let real = {
            let _ = file;
            asked.to_path_buf()
        };
        OPENED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(real);
    }

    /// The files opened so far under `dir`, each as often as it was opened.
    pub(crate) fn under(dir: &Path) -> Vec<PathBuf> {
        OPENED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .filter(|p| p.starts_with(dir))
            .cloned()
            .collect()
    }
}
