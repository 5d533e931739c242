//! `vaultscope grep QUERY`: full-text search of the notes, printed like rg: `path:line: text`,
//! ranked by note (see [`crate::search::text`]), the matches coloured on a terminal only. Exits
//! 1 when nothing matched, and 2 (with the reason) on a query that cannot run.

use std::collections::HashSet;

use anyhow::Result;
use serde::Serialize;

use super::Writer;
use crate::sanitize;
use crate::search::query::Query;
use crate::search::text::{FilterCx, Place, TextStore, safe_with_ranges, search_all};
use crate::style::Role;
use crate::vault::{NoteId, Vault};

#[derive(Serialize)]
struct GrepLine<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    text: String,
    /// Byte ranges of the matches in `text`.
    ranges: Vec<(usize, usize)>,
    place: Place,
}

/// The notes with a question due today, from the study progress (outside the vault).
pub(super) fn due_notes(vault: &Vault) -> Result<HashSet<NoteId>> {
    let store = crate::study::store::Store::for_vault(&vault.root)?;
    let (progress, warning) = store.peek()?;
    if let Some(w) = warning {
        eprintln!("vaultscope: {w}");
    }
    Ok(crate::study::due_notes(
        vault,
        &progress,
        crate::time::now(),
        &crate::time::Days::local(),
    ))
}

pub(super) fn cmd_grep(
    w: &mut Writer,
    vault: &Vault,
    query: &Query,
    limit: Option<usize>,
    json: bool,
) -> Result<i32> {
    let store = TextStore::build(vault);
    let due = if query.filters.due_today {
        Some(due_notes(vault)?)
    } else {
        None
    };
    let cx = FilterCx { due: due.as_ref() };
    let result = search_all(&store, vault, query, cx, usize::MAX);
    let limit = limit.unwrap_or(usize::MAX);
    let lines = result
        .hits
        .iter()
        .flat_map(|h| h.lines.iter().map(move |l| (&vault.notes[h.note].path, l)))
        .take(limit);
    if json {
        let items: Vec<GrepLine> = lines
            .map(|(path, l)| {
                let (text, ranges) = safe_with_ranges(&l.text, &l.ranges);
                GrepLine {
                    path,
                    line: l.line,
                    column: l.column,
                    text,
                    ranges,
                    place: l.place,
                }
            })
            .collect();
        let code = if items.is_empty() { 1 } else { 0 };
        w.json(items)?;
        return Ok(code);
    }
    let mut printed = 0usize;
    for (path, l) in lines {
        let (text, ranges) = safe_with_ranges(&l.text, &l.ranges);
        let mut shown = String::with_capacity(text.len());
        let mut at = 0;
        for &(a, b) in &ranges {
            shown.push_str(&text[at..a]);
            shown.push_str(&w.styles.paint(Role::Matched, &text[a..b]));
            at = b;
        }
        shown.push_str(&text[at..]);
        writeln!(
            w.out,
            "{}:{}: {shown}",
            w.styles.paint(Role::Accent, &sanitize::line(path)),
            w.styles.paint(Role::Dim, &l.line.to_string()),
        )?;
        printed += 1;
    }
    Ok(if printed == 0 { 1 } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_the_sanitised_text() {
        let (t, r) = safe_with_ranges("\u{1b}[31m보안 x", &[(5, 11)]);
        assert_eq!(&t[r[0].0..r[0].1], "보안");
        assert!(!t.contains('\u{1b}'));
    }
}
