//! The vault's notes on the command line: the list (`list`), the tag tree (`tags`) and fuzzy
//! search over titles, aliases and file names (`search`).

use std::borrow::Cow;

use anyhow::Result;
use serde::Serialize;

use super::{Writer, line};
use crate::search::{Field, SearchIndex};
use crate::style::{Role, Styles};
use crate::tags::{TagFilter, TagNode, TagTree};
use crate::text::width;
use crate::vault::Vault;
use crate::vault::order::{Sort, sort_notes};

/// A note of `list --json`, its text made safe to print ([`crate::sanitize::text`], as
/// [`Writer::json`] does): serialised as it is, not through a `serde_json::Value` (copying every
/// string of 100k notes into a tree was a third of a warm `list --json`). The fields are in the
/// order a JSON object of them prints its keys (sorted), so the output is the same.
#[derive(Serialize)]
struct ListItem<'a> {
    aliases: SafeStrings<'a>,
    created: Option<&'a str>,
    modified: Option<&'a str>,
    path: Cow<'a, str>,
    tags: SafeStrings<'a>,
    title: Cow<'a, str>,
}

/// A list of a note's strings, each made safe as it is serialised (no list of copies made
/// first: two allocations a note fewer).
struct SafeStrings<'a>(&'a [String]);

impl Serialize for SafeStrings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|t| crate::sanitize::text(t)))
    }
}

pub(super) fn cmd_list(
    w: &mut Writer,
    vault: &Vault,
    filter: &TagFilter,
    sort: Sort,
    json: bool,
) -> Result<i32> {
    let mut ids = filter.apply(&vault.notes);
    sort_notes(&vault.notes, &mut ids, sort);
    if json {
        write_list_json(w, vault, &ids)?;
        return Ok(0);
    }
    // Measured once: the widest title sets the column (at most 48 display columns).
    let titles: Vec<(std::borrow::Cow<str>, usize)> = ids
        .iter()
        .map(|&i| {
            let t = line(&vault.notes[i].title);
            let width = width(&t);
            (t, width)
        })
        .collect();
    let title_w = titles.iter().map(|t| t.1).max().unwrap_or(0).min(48);
    let mut tags = String::new();
    for (&i, (title, width)) in ids.iter().zip(&titles) {
        let n = &vault.notes[i];
        tags.clear();
        for (k, t) in n.tags.iter().take(4).enumerate() {
            if k > 0 {
                tags.push(' ');
            }
            tags.push('#');
            tags.push_str(&line(t));
        }
        let title = if *width <= title_w {
            format!("{title}{:pad$}", "", pad = title_w - width)
        } else {
            crate::text::fit(title, title_w)
        };
        writeln!(
            w.out,
            "{}  {}  {}",
            w.styles.paint(Role::Title, &title),
            w.styles.paint(Role::Dim, &line(&n.path)),
            w.styles.paint(Role::Tag, &tags)
        )?;
    }
    let total = vault.notes.len();
    let shown = if filter.is_empty() {
        format!("{total} notes")
    } else {
        format!("{} of {total} notes", ids.len())
    };
    writeln!(w.out, "{}", w.styles.paint(Role::Dim, &shown))?;
    Ok(0)
}

/// Prints the notes `ids` as `serde_json::to_writer_pretty` prints a JSON array of
/// [`ListItem`]s, the items made on all cores: each chunk of them pretty-printed as an array of
/// its own, written in order without its brackets. At 100k notes this is 39 MB of JSON: it is
/// made a window of chunks at a time into the same buffers, so it never all sits in memory
/// (fresh pages of memory were a tenth of a warm list's time). The next window is made while
/// this thread writes the last one: written window after window, the pool waited on each
/// write, which waits on the reader of a pipe (a fifth of a warm `list --json | jq` at 100k).
fn write_list_json(w: &mut Writer, vault: &Vault, ids: &[usize]) -> Result<()> {
    use rayon::prelude::*;
    use std::sync::mpsc::{channel, sync_channel};
    const CHUNK: usize = 1024;
    const WINDOW: usize = 8;
    if ids.is_empty() {
        writeln!(w.out, "[]")?;
        return Ok(());
    }
    w.out.write_all(b"[\n")?;
    type Made = serde_json::Result<(Vec<Vec<u8>>, usize)>;
    // A window of items into `bufs`, on the pool: the buffers and how many it filled.
    let make = |window: &[usize], mut bufs: Vec<Vec<u8>>| -> Made {
        bufs.par_iter_mut()
            .zip(window.par_chunks(CHUNK))
            .try_for_each(|(out, chunk)| list_items_json(vault, chunk, out))?;
        Ok((bufs, window.len().div_ceil(CHUNK)))
    };
    let mut first = true;
    let mut write = |bufs: &[Vec<u8>]| -> Result<()> {
        for chunk in bufs {
            if !first {
                w.out.write_all(b",\n")?;
            }
            first = false;
            w.out.write_all(unbracketed(chunk))?;
        }
        Ok(())
    };
    // Two sets of buffers: one being written, one being made.
    let (made_tx, made) = sync_channel::<Made>(0);
    let (spare, spare_rx) = channel::<Vec<Vec<u8>>>();
    for _ in 0..2 {
        let _ = spare.send(vec![Vec::new(); WINDOW]);
    }
    let make_ref = &make;
    std::thread::scope(|s| {
        let maker = std::thread::Builder::new().spawn_scoped(s, move || {
            for window in ids.chunks(CHUNK * WINDOW) {
                // None when the writer stopped (a write failed).
                let Ok(bufs) = spare_rx.recv() else {
                    return;
                };
                if made_tx.send(make_ref(window, bufs)).is_err() {
                    return;
                }
            }
        });
        if maker.is_err() {
            // No thread to be had: a window made, then written, in turn.
            for window in ids.chunks(CHUNK * WINDOW) {
                let (bufs, used) = make(window, vec![Vec::new(); WINDOW])?;
                write(&bufs[..used])?;
            }
            return anyhow::Ok(());
        }
        // Returning (on an error too) drops `made` and `spare`, which stops the maker.
        let (made, spare) = (made, spare);
        for window in made {
            let (bufs, used) = window?;
            write(&bufs[..used])?;
            let _ = spare.send(bufs);
        }
        anyhow::Ok(())
    })?;
    w.out.write_all(b"\n]\n")?;
    Ok(())
}

/// The notes `chunk` pretty-printed as a JSON array into `out` (emptied): without its brackets
/// ([`unbracketed`]) that is exactly those items of the whole list's array, one level in.
fn list_items_json(vault: &Vault, chunk: &[usize], out: &mut Vec<u8>) -> serde_json::Result<()> {
    use crate::sanitize::text;
    out.clear();
    // Dates are normalised ISO 8601, nothing to make safe.
    let items = chunk.iter().map(|&i| {
        let n = &vault.notes[i];
        ListItem {
            aliases: SafeStrings(&n.aliases),
            created: n.created.as_ref().map(|d| d.text.as_str()),
            modified: n.modified.as_ref().map(|d| d.text.as_str()),
            path: text(&n.path),
            tags: SafeStrings(&n.tags),
            title: text(&n.title),
        }
    });
    serde_json::to_writer_pretty(&mut *out, &Items(std::cell::Cell::new(Some(items))))
}

/// What [`list_items_json`] made, without the brackets of its array (`[\n` … `\n]`).
fn unbracketed(array: &[u8]) -> &[u8] {
    array
        .get(2..array.len().saturating_sub(2))
        .unwrap_or_default()
}

/// An iterator serialised as a JSON array, once.
struct Items<I>(std::cell::Cell<Option<I>>);

impl<'a, I: Iterator<Item = ListItem<'a>>> Serialize for Items<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.take() {
            Some(items) => s.collect_seq(items),
            None => s.collect_seq(std::iter::empty::<ListItem>()),
        }
    }
}

pub(super) fn cmd_tags(w: &mut Writer, vault: &Vault, json: bool) -> Result<i32> {
    let tree = TagTree::build(&vault.notes);
    if json {
        return w.json(&tree);
    }
    fn walk(w: &mut Writer, nodes: &[TagNode], prefix: &str, root: bool) -> Result<()> {
        for (i, n) in nodes.iter().enumerate() {
            let last = i + 1 == nodes.len();
            let (branch, cont) = match (root, last) {
                (true, _) => ("", ""),
                (false, true) => ("└─ ", "   "),
                (false, false) => ("├─ ", "│  "),
            };
            let count = w.styles.paint(Role::Dim, &format!("({})", n.count));
            writeln!(
                w.out,
                "{prefix}{branch}{} {count}",
                w.styles.paint(Role::Tag, &line(&n.name))
            )?;
            walk(w, &n.children, &format!("{prefix}{cont}"), false)?;
        }
        Ok(())
    }
    walk(w, &tree.roots, "", true)?;
    Ok(0)
}

#[derive(Serialize)]
struct SearchItem<'a> {
    path: &'a str,
    title: &'a str,
    field: Field,
    matched: &'a str,
    score: i64,
    positions: &'a [usize],
    tags: &'a [String],
}

pub(super) fn cmd_search(
    w: &mut Writer,
    vault: &Vault,
    query: &str,
    limit: usize,
    json: bool,
) -> Result<i32> {
    // The query language's filters apply to names too (`nat tag:networking`).
    // A query that is no valid query (`re:(`) is still a name to look for.
    let parsed = crate::search::query::Query::parse(query, false).unwrap_or_default();
    let hits = if parsed.filters.is_empty() {
        SearchIndex::for_query(&vault.notes, query).search(query, limit)
    } else {
        let index = SearchIndex::build(&vault.notes);
        use crate::search::text::{FilterCx, TextStore, filtered_names};
        let f = &parsed.filters;
        let store = f.has_diagram.then(|| TextStore::build(vault));
        let due = if f.due_today {
            Some(super::grep::due_notes(vault)?)
        } else {
            None
        };
        let cx = FilterCx { due: due.as_ref() };
        let words = &parsed.names_text;
        filtered_names(&index, &vault.notes, words, (f, store.as_ref(), cx), limit)
    };
    if json {
        let items: Vec<SearchItem> = hits
            .iter()
            .map(|h| {
                let n = &vault.notes[h.note];
                SearchItem {
                    path: &n.path,
                    title: &n.title,
                    field: h.field,
                    matched: &h.text,
                    score: h.score,
                    positions: &h.positions,
                    tags: &n.tags,
                }
            })
            .collect();
        // Like grep: exit 1 when nothing matched.
        w.json(items)?;
        return Ok(i32::from(hits.is_empty()));
    }
    if hits.is_empty() {
        writeln!(w.out, "no note matches {:?}", line(query))?;
        if parsed.names_hint().is_some() {
            eprintln!(
                "vaultscope: names search takes no regular expression; \
                 `vaultscope grep` searches the notes' text with one"
            );
        }
        return Ok(1);
    }
    for (rank, h) in hits.iter().enumerate() {
        let n = &vault.notes[h.note];
        let field = match h.field {
            Field::Title => "title",
            Field::Alias => "alias",
            Field::FileName => "file",
        };
        let matched = marked(w.styles, &line(&h.text), &h.positions);
        let how = if h.field == Field::Title {
            format!("title {matched}")
        } else {
            format!(
                "{} ← {field} {matched}",
                w.styles.paint(Role::Title, &line(&n.title))
            )
        };
        let tags: Vec<String> = n
            .tags
            .iter()
            .take(3)
            .map(|t| format!("#{}", line(t)))
            .collect();
        writeln!(
            w.out,
            "{:>3}. {how}  {}  {}",
            rank + 1,
            w.styles.paint(Role::Dim, &line(&n.path)),
            w.styles.paint(Role::Tag, &tags.join(" "))
        )?;
    }
    Ok(0)
}

/// `s` with the chars at `positions` (a search's matches) in the matched style.
fn marked(styles: Styles, s: &str, positions: &[usize]) -> String {
    if !styles.color() {
        return s.to_owned();
    }
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            let c = c.to_string();
            if positions.contains(&i) {
                styles.paint(Role::Matched, &c)
            } else {
                c
            }
        })
        .collect()
}
