//! The progress files' formats: reading a snapshot (any version this build knows, refusing a
//! newer one) and a journal (its header, its answers, a torn last line, unreadable lines).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::super::{Entry, Progress, ReviewId, VERSION};
use super::Warning;

/// The journal's first line.
#[derive(Serialize, Deserialize)]
pub(super) struct Header {
    pub(super) journal: u32,
    pub(super) id: ReviewId,
}

/// A journal as read.
#[derive(Default)]
pub(super) struct Journal {
    /// Its id; `None` when there is none (no file, or a header never finished).
    pub(super) id: Option<ReviewId>,
    pub(super) entries: Vec<Entry>,
    /// The end of its last complete line.
    pub(super) end: u64,
    /// Complete lines that could not be read (1-based line numbers).
    pub(super) bad: Vec<usize>,
}

/// A file's bytes, or `None` when there is no file.
pub(super) fn read_or_empty(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// The progress in a snapshot's `bytes` and the version it was written in, or why it cannot
/// be used.
pub(super) fn parse(bytes: &[u8]) -> Result<(Progress, u32), String> {
    /// Only the version, read before the rest (a newer file's cards may not fit this one's).
    #[derive(Deserialize)]
    struct Head {
        version: Option<serde_json::Value>,
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty".to_owned());
    }
    let head: Head = serde_json::from_slice(bytes).map_err(|e| format!("not readable ({e})"))?;
    let version = match head.version.as_ref().and_then(serde_json::Value::as_u64) {
        Some(v) if v > u64::from(VERSION) => {
            return Err(format!(
                "written by a newer vaultscope (format {v}, this one reads {VERSION})"
            ));
        }
        Some(v) => v as u32,
        None => return Err("not a progress file (no version)".to_owned()),
    };
    let mut progress: Progress =
        serde_json::from_slice(bytes).map_err(|e| format!("not readable ({e})"))?;
    // Read in any older version, held (and written back) in this one.
    progress.fill_missing_ids();
    progress.version = VERSION;
    Ok((progress, version))
}

/// A journal's answers, or why it cannot be used at all (a header of another kind or a newer
/// version). A torn last line is left out; complete lines that cannot be read are listed.
pub(super) fn parse_journal(bytes: &[u8]) -> Result<Journal, String> {
    let mut lines = bytes.split_inclusive(|&b| b == b'\n');
    let Some(first) = lines.next().filter(|l| l.last() == Some(&b'\n')) else {
        // Empty, or a header never finished: no journal.
        return Ok(Journal::default());
    };
    let header: serde_json::Value =
        serde_json::from_slice(first).map_err(|e| format!("not readable ({e})"))?;
    match header.get("journal").and_then(serde_json::Value::as_u64) {
        Some(v) if v > u64::from(VERSION) => {
            return Err(format!(
                "written by a newer vaultscope (format {v}, this one reads {VERSION})"
            ));
        }
        Some(_) => {}
        None => return Err("not a study journal (no header)".to_owned()),
    }
    let header: Header =
        serde_json::from_value(header).map_err(|e| format!("not readable ({e})"))?;
    let mut j = Journal {
        id: Some(header.id),
        end: first.len() as u64,
        ..Journal::default()
    };
    for (n, line) in lines.enumerate() {
        if line.last() != Some(&b'\n') {
            break;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(e) => j.entries.push(e),
            Err(_) => j.bad.push(n + 2),
        }
        j.end += line.len() as u64;
    }
    Ok(j)
}

/// Line numbers for a message: `lines 3, 7`.
pub(super) fn lines(ns: &[usize]) -> String {
    let shown: Vec<String> = ns.iter().take(5).map(ToString::to_string).collect();
    let more = if ns.len() > 5 { ", …" } else { "" };
    let word = if ns.len() == 1 { "line" } else { "lines" };
    format!("{word} {}{more}", shown.join(", "))
}

pub(super) fn join(warnings: Vec<String>) -> Warning {
    (!warnings.is_empty()).then(|| warnings.join("; "))
}
