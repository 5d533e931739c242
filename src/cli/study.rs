//! Study on the command line: what is due (`due`) and the results so far (`stats`), from the
//! progress file, which is only read here.

use anyhow::Result;
use serde_json::{Value, json};

use super::{Writer, line};
use crate::style::Role;
use crate::vault::Vault;

/// Where the vault's study stands now, with what loading the progress had to say on stderr.
fn overview(vault: &Vault) -> Result<crate::study::Overview> {
    let store = crate::study::store::Store::for_vault(&vault.root)?;
    let (progress, warning) = store.peek()?;
    if let Some(w) = warning {
        eprintln!("vaultscope: {w}");
    }
    Ok(crate::study::overview(
        vault,
        &progress,
        crate::time::now(),
        &crate::time::Days::local(),
    ))
}

pub(super) fn cmd_due(w: &mut Writer, vault: &Vault, json: bool) -> Result<i32> {
    let o = overview(vault)?;
    if json {
        let by_tag: serde_json::Map<String, Value> = o
            .by_tag
            .iter()
            .map(|(t, s)| {
                let v = json!({"questions": s.questions, "due": s.due, "new": s.new});
                (t.clone(), v)
            })
            .collect();
        return w
            .json(json!({"questions": o.questions, "due": o.due, "new": o.new, "by_tag": by_tag}));
    }
    writeln!(
        w.out,
        "{} of {} questions due ({} never answered)",
        w.styles.paint(Role::Title, &o.due.to_string()),
        o.questions,
        o.new
    )?;
    for (tag, s) in o.by_tag.iter().filter(|(_, s)| s.due > 0) {
        let new = w.styles.paint(Role::Dim, &format!("{} new", s.new));
        writeln!(w.out, "  {:<32} {:>4} due  {new}", line(tag), s.due)?;
    }
    Ok(0)
}

pub(super) fn cmd_stats(w: &mut Writer, vault: &Vault, json: bool) -> Result<i32> {
    let o = overview(vault)?;
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
        return w.json(json!({"streak_days": o.streak_days, "by_tag": by_tag}));
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
