//! One note on the command line: its links and backlinks (`links`), its questions
//! (`questions`, also the whole vault's) and the note rendered as the content pane shows it
//! (`show`); and the vault's problems (`check`).

use std::io::IsTerminal;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::{Writer, find_note, line};
use crate::sanitize;
use crate::style::Role;
use crate::vault::{NoteId, Resolved, Vault};

pub(super) fn cmd_show(
    w: &mut Writer,
    vault: &Vault,
    query: &str,
    width: Option<u16>,
    mode: crate::markdown::DiagramMode,
    display: crate::tui::Display,
) -> Result<i32> {
    use ratatui::backend::IntoCrossterm;
    let id = find_note(vault, query)?;
    let body = vault
        .read_body(id)
        .with_context(|| format!("cannot read {}", line(&vault.notes[id].path)))?;
    let width = width
        .or_else(|| {
            std::io::stdout()
                .is_terminal()
                .then(|| crossterm::terminal::size().ok().map(|(c, _)| c))
                .flatten()
        })
        .unwrap_or(80)
        .max(1);
    // The note's diagrams as the explorer finds them, so captions number them as it does.
    let drawings = crate::markdown::Drawings::of_body(&body, vault.notes[id].body_line);
    let view = crate::markdown::DiagramView {
        mode,
        drawings: Some(&drawings),
    };
    // Highlighted only where it shows: with colour (a terminal, or --color always).
    let rendered = crate::markdown::render_note(
        vault,
        id,
        &body,
        width,
        w.styles,
        crate::time::now(),
        view,
        display.highlighting(),
        // Pictures are for the explorer: `show` keeps the placeholder.
        false,
    );
    if let Some(why) = &rendered.failure {
        eprintln!("vaultscope: {why}");
    }
    for l in &rendered.lines {
        for span in &l.spans {
            // The renderer sanitised every string; colour codes are the only escapes written.
            if w.styles.color() {
                let style: crossterm::style::ContentStyle = span.style.into_crossterm();
                write!(w.out, "{}", style.apply(&*span.content))?;
            } else {
                w.out.write_all(span.content.as_bytes())?;
            }
        }
        writeln!(w.out)?;
    }
    Ok(0)
}

fn resolved_path<'a>(vault: &'a Vault, r: &'a Resolved) -> Option<&'a str> {
    match r {
        Resolved::Note(id) => Some(&vault.notes[*id].path),
        Resolved::Attachment(p) => Some(p),
        Resolved::Unresolved => None,
    }
}

pub(super) fn cmd_links(w: &mut Writer, vault: &Vault, query: &str, json: bool) -> Result<i32> {
    let id = find_note(vault, query)?;
    let note = &vault.notes[id];
    let backlinks: Vec<&str> = vault.backlinks[id]
        .iter()
        .map(|&b| vault.notes[b].path.as_str())
        .collect();
    if json {
        let link_json = |l: &crate::vault::Link| {
            let mut v = serde_json::to_value(&l.raw).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                let kind = match l.resolved {
                    Resolved::Note(_) => "note",
                    Resolved::Attachment(_) => "attachment",
                    Resolved::Unresolved => "unresolved",
                };
                m.insert("resolved".into(), json!(kind));
                m.insert("to".into(), json!(resolved_path(vault, &l.resolved)));
            }
            v
        };
        let outgoing: Vec<Value> = note
            .links
            .iter()
            .filter(|l| l.resolved != Resolved::Unresolved)
            .map(link_json)
            .collect();
        let unresolved: Vec<Value> = note
            .links
            .iter()
            .filter(|l| l.resolved == Resolved::Unresolved)
            .map(link_json)
            .collect();
        return w.json(json!({
            "path": note.path,
            "title": note.title,
            "outgoing": outgoing,
            "backlinks": backlinks,
            "unresolved": unresolved,
        }));
    }
    writeln!(
        w.out,
        "{}  {}",
        w.styles.paint(Role::Title, &line(&note.title)),
        w.styles.paint(Role::Dim, &line(&note.path))
    )?;
    let (resolved, unresolved): (Vec<_>, Vec<_>) = note
        .links
        .iter()
        .partition(|l| l.resolved != Resolved::Unresolved);
    section(w, "Outgoing", resolved.len())?;
    for l in &resolved {
        let anchor = l
            .raw
            .heading
            .as_deref()
            .map(|h| format!("#{h}"))
            .unwrap_or_default();
        let to = resolved_path(vault, &l.resolved).unwrap_or_default();
        writeln!(
            w.out,
            "  {} → {}{}  {}",
            line(&l.raw.target),
            w.styles.paint(Role::Accent, &line(to)),
            line(&anchor),
            w.styles.paint(Role::Dim, &format!("line {}", l.raw.line))
        )?;
    }
    section(w, "Backlinks", backlinks.len())?;
    for b in &backlinks {
        writeln!(w.out, "  {}", w.styles.paint(Role::Accent, &line(b)))?;
    }
    section(w, "Unresolved", unresolved.len())?;
    for l in &unresolved {
        writeln!(
            w.out,
            "  {}  {}",
            w.styles
                .paint(Role::Warn, &format!("[[{}]]", line(&l.raw.target))),
            w.styles.paint(Role::Dim, &format!("line {}", l.raw.line))
        )?;
    }
    Ok(0)
}

/// A section of the links: its name and count, bold, after a blank line.
fn section(w: &mut Writer, name: &str, count: usize) -> Result<()> {
    let title = format!("{name} ({count})");
    writeln!(w.out, "\n{}", w.styles.paint(Role::Title, &title))?;
    Ok(())
}

pub(super) fn cmd_questions(
    w: &mut Writer,
    vault: &Vault,
    query: Option<&str>,
    json: bool,
) -> Result<i32> {
    let ids: Vec<NoteId> = match query {
        Some(q) => vec![find_note(vault, q)?],
        None => (0..vault.notes.len()).collect(),
    };
    if json {
        let items: Vec<Value> = ids
            .iter()
            .flat_map(|&i| {
                let n = &vault.notes[i];
                n.questions.iter().map(move |q| {
                    let mut v = serde_json::to_value(q).unwrap_or(Value::Null);
                    if let Value::Object(m) = &mut v {
                        m.insert("path".into(), json!(n.path));
                        let mut source = json!({ "note": n.path });
                        if let Some(a) = &q.answer_note {
                            source["answer"] = json!(a);
                        }
                        m.insert("source".into(), source);
                    }
                    v
                })
            })
            .collect();
        return w.json(items);
    }
    let mut count = 0;
    for &i in &ids {
        let n = &vault.notes[i];
        for q in &n.questions {
            count += 1;
            writeln!(
                w.out,
                "{}",
                w.styles
                    .paint(Role::Dim, &format!("{}:{}", line(&n.path), q.line))
            )?;
            writeln!(
                w.out,
                "{} {}",
                w.styles.paint(Role::Title, "Q."),
                sanitize::text(&q.prompt)
            )?;
            for c in &q.options {
                let text = format!("  {}) {}", line(&c.label), line(&c.text));
                let right = q.is_right(&c.label);
                writeln!(
                    w.out,
                    "{}",
                    if right {
                        w.styles.paint(Role::Accent, &text)
                    } else {
                        text
                    }
                )?;
            }
            if !q.answer_text.is_empty() {
                writeln!(
                    w.out,
                    "{} {}",
                    w.styles.paint(Role::Title, "A."),
                    w.styles.paint(Role::Accent, &line(&q.answer_text))
                )?;
            }
            for e in &q.explanation {
                writeln!(w.out, "  - {}", sanitize::text(e))?;
            }
            writeln!(w.out)?;
        }
    }
    writeln!(
        w.out,
        "{}",
        w.styles.paint(
            Role::Dim,
            &format!(
                "{count} questions in {} notes",
                ids.iter()
                    .filter(|&&i| !vault.notes[i].questions.is_empty())
                    .count()
            )
        )
    )?;
    Ok(0)
}

pub(super) fn cmd_check(w: &mut Writer, vault: &Vault, json: bool) -> Result<i32> {
    // File names shared by several notes inform; they are not failures.
    let failures = vault
        .problems
        .iter()
        .filter(|p| !p.kind.is_informational())
        .count();
    let code = i32::from(failures > 0);
    if json {
        w.json(json!({ "notes": vault.notes.len(), "problems": vault.problems }))?;
        return Ok(code);
    }
    for p in &vault.problems {
        let kind = serde_json::to_value(p.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(
            w.out,
            "{}  {}",
            line(&p.to_string()),
            w.styles.paint(Role::Dim, &format!("[{kind}]"))
        )?;
    }
    let files = {
        let mut paths: Vec<&str> = vault
            .problems
            .iter()
            .filter(|p| !p.kind.is_informational())
            .map(|p| p.path.as_str())
            .collect();
        paths.dedup();
        paths.len()
    };
    let notes = vault.notes.len();
    let infos = vault.problems.len() - failures;
    let infos = match infos {
        0 => String::new(),
        1 => " (and 1 shared file name)".to_owned(),
        n => format!(" (and {n} shared file names)"),
    };
    let summary = match failures {
        0 => format!("{notes} notes, no problems{infos}"),
        _ => format!("{notes} notes, {failures} problems in {files} files{infos}"),
    };
    writeln!(
        w.out,
        "{}",
        if code == 0 {
            w.styles.paint(Role::Accent, &summary)
        } else {
            w.styles.paint(Role::Warn, &summary)
        }
    )?;
    Ok(code)
}
