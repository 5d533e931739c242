//! Scheduling through the library and the command line: undo kept on disk, suspended cards,
//! the daily limits and local days in the headless commands, the Anki export's shape.

use std::path::Path;
use std::process::Command;

use rs_fsrs::Rating;
use vaultscope::study::store::Store;
use vaultscope::study::{self, Progress};
use vaultscope::vault::Vault;

/// 2026-12-01 00:00 in Seoul.
const MIDNIGHT_KST: i64 = 1_796_050_800;

/// A vault of `n` notes with one multiple-choice question each (A is right).
fn quiz_vault(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        let q = format!(
            "---\ntags: [aws/vpc, 시험]\n---\n# Note {i}\n\n**Question:** Which is <{i}> & \"{i}\"?\n\n**Options:**\n\n- A) {i}\n- B) not {i}\n\n**정답: A) {i}**\n\n**Explanation:** because {i}\n"
        );
        std::fs::write(dir.path().join(format!("n{i:02}.md")), q).unwrap();
    }
    dir
}

fn run(vault: &Path, state: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env("XDG_STATE_HOME", state)
        .env("TZ", "Asia/Seoul")
        .output()
        .unwrap()
}

#[test]
fn an_undone_answer_stays_undone_on_disk_after_reloads_and_compactions() {
    let state = tempfile::tempdir().unwrap();
    let store = Store::new(state.path(), Path::new("/some/vault"));
    let mut p = Progress::default();
    let first = p.answer("x", "n.md", Rating::Good, true, MIDNIGHT_KST);
    store.append(&[first], false).unwrap();
    let before = p.clone();
    let e = p.answer("x", "n.md", Rating::Easy, true, MIDNIGHT_KST + 3 * 86_400);
    let new = p.answer("y", "n.md", Rating::Good, true, MIDNIGHT_KST + 3 * 86_400);
    store.append(&[e.clone(), new.clone()], false).unwrap();
    let stale = p.clone();
    let u1 = p.undo(
        "x",
        e.review.id,
        before.cards.get("x"),
        MIDNIGHT_KST + 3 * 86_400,
    );
    let u2 = p.undo("y", new.review.id, None, MIDNIGHT_KST + 3 * 86_400);
    store.append(&[u1.unwrap(), u2.unwrap()], false).unwrap();
    assert_eq!(
        p.cards, before.cards,
        "in memory: the whole cards as before"
    );
    let loaded = Store::new(state.path(), Path::new("/some/vault"))
        .load()
        .unwrap()
        .progress;
    assert_eq!(loaded.cards, before.cards, "from the journal");
    // A copy from before the undo merged in (another instance's save) does not bring the
    // answers back, and neither does a compaction.
    let (saved, _) = store.save(&stale).unwrap();
    assert_eq!(saved.cards, before.cards);
    let again = Store::new(state.path(), Path::new("/some/vault"))
        .load()
        .unwrap()
        .progress;
    assert_eq!(again.cards, before.cards, "after the compaction");
}

#[test]
fn suspended_cards_are_not_asked_and_due_lists_them_until_unsuspended() {
    let dir = quiz_vault(3);
    let state = tempfile::tempdir().unwrap();
    let vault = Vault::load(dir.path()).unwrap();
    let qs = study::questions(&vault, &[0, 1, 2]);
    let root = dir.path().canonicalize().unwrap();
    let store = Store::new(&state.path().join("vaultscope"), &root);
    let mut p = Progress::default();
    let line = p
        .suspend(&qs[1].id, &vault.notes[qs[1].note].path, true, MIDNIGHT_KST)
        .unwrap();
    store.append(&[line], false).unwrap();
    let days = vaultscope::time::Days::local();
    let planned = study::plan(qs.clone(), &p, MIDNIGHT_KST, &days, Default::default());
    assert_eq!(planned.questions.len(), 2);
    assert!(planned.questions.iter().all(|q| q.id != qs[1].id));
    assert_eq!(planned.suspended, 1);
    let out = run(dir.path(), state.path(), &["due", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let due: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(due["due"], 2);
    assert_eq!(due["suspended"][0]["id"], qs[1].id.as_str());
    assert_eq!(due["suspended"][0]["note"], "n01.md");
    let text = run(dir.path(), state.path(), &["due"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("1 suspended") && text.contains(&qs[1].id),
        "{text}"
    );
    // Unsuspended from the command line: asked again.
    let out = run(dir.path(), state.path(), &["unsuspend", &qs[1].id]);
    assert!(out.status.success(), "{out:?}");
    let out = run(dir.path(), state.path(), &["unsuspend", &qs[1].id]);
    assert_eq!(out.status.code(), Some(1), "not suspended any more");
    let due: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), state.path(), &["due", "--json"]).stdout).unwrap();
    assert_eq!(due["due"], 3);
    assert_eq!(due["suspended"].as_array().map(Vec::len), Some(0));
}

#[test]
fn due_honours_the_new_card_limit() {
    let dir = quiz_vault(30);
    let state = tempfile::tempdir().unwrap();
    let due: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), state.path(), &["due", "--json"]).stdout).unwrap();
    assert_eq!(due["today"]["asked"], 20, "{due}");
    assert_eq!(due["today"]["waiting_new"], 10);
    let due: serde_json::Value = serde_json::from_slice(
        &run(
            dir.path(),
            state.path(),
            &["due", "--json", "--new-per-day", "5"],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(due["today"]["asked"], 5);
    assert_eq!(due["today"]["limits"]["new_per_day"], 5);
}

#[test]
fn the_anki_export_has_anki_s_shape_and_is_never_written_into_the_vault() {
    let dir = quiz_vault(3);
    let state = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("cards.txt");
    let out = run(
        dir.path(),
        state.path(),
        &["questions", "--anki", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        &lines[..4],
        &[
            "#separator:tab",
            "#html:true",
            "#columns:Front\tBack\tTags",
            "#tags column:3"
        ]
    );
    let cards = &lines[4..];
    assert_eq!(cards.len(), 3);
    for (i, card) in cards.iter().enumerate() {
        let fields: Vec<&str> = card.split('\t').collect();
        assert_eq!(fields.len(), 3, "two tabs a line: {card}");
        assert_eq!(
            fields[0],
            format!("Which is &lt;{i}&gt; &amp; &quot;{i}&quot;?<br><br>A) {i}<br>B) not {i}")
        );
        assert!(
            fields[1].starts_with(&format!("<b>A) {i}</b>")),
            "{}",
            fields[1]
        );
        assert!(fields[1].contains(&format!("because {i}")), "{}", fields[1]);
        assert_eq!(fields[2], "aws::vpc 시험");
    }
    // Inside the vault: refused, nothing written.
    let inside = dir.path().join("cards.txt");
    let out = run(
        dir.path(),
        state.path(),
        &["questions", "--anki", inside.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the vault"));
    assert!(!inside.exists());
    // Outside, but a symlink and a hard link to a note: the links are replaced, the note is
    // untouched.
    let note = dir.path().join("n00.md");
    let before = std::fs::read(&note).unwrap();
    let sym = out_dir.path().join("sym.txt");
    std::os::unix::fs::symlink(&note, &sym).unwrap();
    let hard = out_dir.path().join("hard.txt");
    std::fs::hard_link(&note, &hard).unwrap();
    for link in [&sym, &hard] {
        let out = run(
            dir.path(),
            state.path(),
            &["questions", "--anki", link.to_str().unwrap()],
        );
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            std::fs::read(&note).unwrap(),
            before,
            "{link:?} wrote into the vault"
        );
        assert!(
            std::fs::read_to_string(link)
                .unwrap()
                .starts_with("#separator:tab")
        );
    }
    assert!(
        !std::fs::symlink_metadata(&sym)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
