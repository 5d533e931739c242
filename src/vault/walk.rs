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

/// What a walk finds: note files, other files (attachments links may point at), and problems.
#[derive(Debug, Default)]
pub struct Walk {
    pub notes: Vec<Candidate>,
    pub attachments: Vec<String>,
    pub problems: Vec<Problem>,
}

/// Relative path with `/` separators, whatever the platform.
pub fn rel_string(root: &Path, path: &Path) -> String {
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

/// Walks `root`. `root` must be canonical (so links can be checked against it).
pub fn walk(root: &Path) -> Walk {
    let mut out = Walk::default();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
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
                out.problems.push(Problem::new(
                    path,
                    None,
                    ProblemKind::Unreadable,
                    format!("cannot read folder: {reason}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let rel = rel_string(root, path);
        if ft.is_file() {
            if is_markdown(path) {
                out.notes.push(Candidate {
                    abs: path.to_path_buf(),
                    rel,
                });
            } else {
                out.attachments.push(rel);
            }
        } else if ft.is_symlink() {
            on_symlink(root, path, rel, &mut out);
        } else if is_markdown(path) {
            out.problems.push(Problem::new(
                rel,
                None,
                ProblemKind::NotAFile,
                format!("{} is not a regular file; not read", special_kind(&ft)),
            ));
        }
    }
    out
}

/// errno values (the same on Linux and macOS).
const ENOENT: i32 = 2;
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;

/// A symlink is followed only when it resolves to a regular file inside the vault.
fn on_symlink(root: &Path, path: &Path, rel: String, out: &mut Walk) {
    let md = is_markdown(path);
    let target = match fs::canonicalize(path) {
        Ok(t) => t,
        Err(err) => {
            if md {
                let why = if err.raw_os_error() == Some(40) {
                    "a symlink loop"
                } else {
                    "a broken symlink"
                };
                out.problems.push(Problem::new(
                    rel,
                    None,
                    ProblemKind::Symlink,
                    format!("{why} ({err}); skipped"),
                ));
            }
            return;
        }
    };
    if !target.starts_with(root) {
        out.problems.push(Problem::new(
            rel,
            None,
            ProblemKind::Symlink,
            format!(
                "symlink points outside the vault (to {}); not followed",
                target.display()
            ),
        ));
        return;
    }
    match fs::metadata(&target) {
        Ok(m) if m.is_file() && md => out.notes.push(Candidate { abs: target, rel }),
        Ok(m) if m.is_file() => out.attachments.push(rel),
        // A linked folder inside the vault is already walked where it really is.
        Ok(m) if m.is_dir() => {}
        Ok(m) if md => out.problems.push(Problem::new(
            rel,
            None,
            ProblemKind::NotAFile,
            format!(
                "symlink to {} is not a regular file; not read",
                special_kind(&m.file_type())
            ),
        )),
        _ => {}
    }
}

fn special_kind(ft: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "a FIFO (named pipe)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}
