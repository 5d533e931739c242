//! Study on the command line: what is due (`due`), the results so far (`stats`), from the
//! progress file, which only `unsuspend` writes; and the questions exported for Anki
//! (`questions --anki FILE`, never into the vault).

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::{Writer, line};
use crate::study::Limits;
use crate::study::store::Store;
use crate::style::Role;
use crate::vault::Vault;

/// Where the vault's study stands now, with what loading the progress had to say on stderr.
fn overview(vault: &Vault, limits: Limits) -> Result<crate::study::Overview> {
    let store = Store::for_vault(&vault.root)?;
    let (progress, warning) = store.peek()?;
    if let Some(w) = warning {
        eprintln!("vaultscope: {w}");
    }
    Ok(crate::study::overview(
        vault,
        &progress,
        crate::time::now(),
        &crate::time::Days::local(),
        limits,
    ))
}

pub(super) fn cmd_due(w: &mut Writer, vault: &Vault, limits: Limits, json: bool) -> Result<i32> {
    let o = overview(vault, limits)?;
    let t = &o.today;
    if json {
        let by_tag: serde_json::Map<String, Value> = o
            .by_tag
            .iter()
            .map(|(t, s)| {
                let v = json!({"questions": s.questions, "due": s.due, "new": s.new,
                    "suspended": s.suspended});
                (t.clone(), v)
            })
            .collect();
        let suspended: Vec<Value> = o
            .suspended
            .iter()
            .map(|(id, note)| json!({"id": id, "note": note}))
            .collect();
        return w.json(json!({
            "questions": o.questions, "due": o.due, "new": o.new,
            "today": {"asked": t.questions.len(), "new": t.new, "reviews": t.reviews,
                "waiting_new": t.waiting_new, "waiting_reviews": t.waiting_reviews,
                "new_taken": t.new_taken, "reviews_taken": t.reviews_taken,
                "limits": t.limits},
            "suspended": suspended,
            "by_tag": by_tag}));
    }
    writeln!(
        w.out,
        "{} of {} questions due ({} never answered)",
        w.styles.paint(Role::Title, &o.due.to_string()),
        o.questions,
        o.new
    )?;
    writeln!(
        w.out,
        "today: {} ({} new, {} reviews; limits {} new, {} reviews a day); {} wait for later days",
        t.questions.len(),
        t.new,
        t.reviews,
        t.limits.new_per_day,
        t.limits.reviews_per_day,
        t.waiting()
    )?;
    for (tag, s) in o.by_tag.iter().filter(|(_, s)| s.due > 0) {
        let new = w.styles.paint(Role::Dim, &format!("{} new", s.new));
        writeln!(w.out, "  {:<32} {:>4} due  {new}", line(tag), s.due)?;
    }
    if !o.suspended.is_empty() {
        writeln!(
            w.out,
            "{} suspended (vaultscope unsuspend ID):",
            o.suspended.len()
        )?;
        for (id, note) in &o.suspended {
            writeln!(w.out, "  {id}  {}", line(note))?;
        }
    }
    Ok(0)
}

pub(super) fn cmd_stats(w: &mut Writer, vault: &Vault, limits: Limits, json: bool) -> Result<i32> {
    let o = overview(vault, limits)?;
    let answered = || o.by_tag.iter().filter(|(_, s)| s.answers > 0);
    if json {
        let by_tag: serde_json::Map<String, Value> = o
            .by_tag
            .iter()
            .map(|(t, s)| {
                let accuracy = (s.answers > 0).then(|| s.right as f64 / s.answers as f64);
                let v = json!({"answers": s.answers, "right": s.right, "accuracy": accuracy});
                (t.clone(), v)
            })
            .collect();
        return w.json(
            json!({"streak_days": o.streak_days, "forecast": o.due_by_day,
            "hardest": o.hardest, "by_tag": by_tag}),
        );
    }
    writeln!(w.out, "streak: {} day(s)", o.streak_days)?;
    for (tag, s) in answered() {
        let pct = s.right * 100 / s.answers;
        writeln!(
            w.out,
            "  {:<32} {pct:>3}% of {} answers right",
            line(tag),
            s.answers
        )?;
    }
    Ok(0)
}

/// `unsuspend ID`: the card is asked again. Exits 1 when no such card is suspended.
pub(super) fn cmd_unsuspend(w: &mut Writer, vault: &Vault, id: &str) -> Result<i32> {
    let store = Store::for_vault(&vault.root)?;
    let loaded = store.load()?;
    if let Some(why) = loaded.cannot_save {
        anyhow::bail!("the study progress cannot be saved: {why}");
    }
    let mut progress = loaded.progress;
    let note = progress.cards.get(id).map(|c| c.note.clone());
    let Some(e) = note.and_then(|n| progress.suspend(id, &n, false, crate::time::now())) else {
        eprintln!("vaultscope: no suspended card {}", line(id));
        return Ok(1);
    };
    store.append(&[e], false)?;
    writeln!(w.out, "{} is asked again", line(id))?;
    Ok(0)
}

/// `questions --anki FILE`: every question in Anki's import format. A file inside the vault
/// is refused: nothing is ever written there.
pub(super) fn cmd_anki(w: &mut Writer, vault: &Vault, file: &std::path::Path) -> Result<i32> {
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let dir = parent
        .canonicalize()
        .with_context(|| format!("cannot find the folder {}", parent.display()))?;
    let root = vault
        .root
        .canonicalize()
        .unwrap_or_else(|_| vault.root.clone());
    if dir.starts_with(&root) {
        anyhow::bail!(
            "{} is inside the vault; vaultscope never writes there: give a file outside it",
            file.display()
        );
    }
    let (text, n) = crate::study::anki::export(vault);
    // Written beside the file and renamed over it: the name is replaced, never what it
    // pointed at, so a symlink or a hard link to a note of the vault is never written through.
    let name = file
        .file_name()
        .with_context(|| format!("{} names no file", file.display()))?;
    let temp = dir.join(format!(
        ".{}.vaultscope-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut f| {
            use std::io::Write as _;
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, dir.join(name)));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e).with_context(|| format!("cannot write {}", file.display()));
    }
    writeln!(
        w.out,
        "{n} cards written to {}",
        line(&file.to_string_lossy())
    )?;
    Ok(0)
}
