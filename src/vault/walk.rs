//! Finding a vault's notes: a recursive walk that reads only `*.md` regular files, skips hidden
//! folders (`.obsidian`, `.git`, `.trash`, …), follows no link out of the vault and opens no
//! FIFO, socket or device.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Problem, ProblemKind};

/// A note file to read, and its path relative to the vault root.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub abs: PathBuf,
    pub rel: String,
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

/// Walks `root`, handing each find to `found` as soon as it is seen, so reading can start
/// while the walk goes on. `root` must be canonical (so links can be checked against it).
pub fn walk(root: &Path, mut found: impl FnMut(Found)) {
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
                found(Found::Note(Candidate { abs, rel }));
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
        Ok(m) if m.is_file() && md => Some(Found::Note(Candidate { abs: target, rel })),
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
