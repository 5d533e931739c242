//! The metadata cache through the real binary: every command answers the same with it, warm
//! or after changes, as with `--no-cache`; `--no-cache` writes nothing; a cache folder inside
//! the vault is said by `check` and never written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` into `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// The starter vault, the flashcard fixture (with its plugin settings) and a few notes with
/// problems, in a temporary folder.
fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest().join("notes"), dir.path());
    copy_dir(
        &manifest().join("tests/fixtures/sr-settings"),
        &dir.path().join("cards"),
    );
    // The plugin's settings are the vault's, at its root.
    let settings = "cards/.obsidian";
    if dir.path().join(settings).exists() {
        std::fs::rename(dir.path().join(settings), dir.path().join(".obsidian")).unwrap();
    }
    std::fs::write(
        dir.path().join("broken.md"),
        "---\ntitle: [x\n---\n[[nowhere]]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.md"), "").unwrap();
    dir
}

/// Runs `vaultscope --vault VAULT ARGS` with its cache folder at `cache` (or `--no-cache`).
fn run(vault: &Path, cache: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vaultscope"));
    cmd.arg("--vault").arg(vault).args(args);
    cmd.env_remove("VAULTSCOPE_NO_CACHE")
        .env_remove("NO_COLOR")
        .env("HOME", "/nonexistent");
    match cache {
        Some(c) => cmd.env("XDG_CACHE_HOME", c),
        None => cmd.arg("--no-cache").env_remove("XDG_CACHE_HOME"),
    };
    cmd.output().expect("the binary runs")
}

/// Every file under `dir` with its bytes, sorted.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                todo.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

const COMMANDS: &[&[&str]] = &[
    &["check", "--json"],
    &["check"],
    &["list", "--json"],
    &["list", "--json", "--title-from", "heading"],
    &["check", "--json", "--title-from", "heading"],
    &["tags", "--json"],
    &["search", "vpc", "--json"],
    &["questions", "--json"],
    &["links", "sagemaker-vpc-privatelink-security", "--json"],
    &["snapshot", "--size", "100x30", "--keys", "jj<Enter>"],
];

/// Each command's output and exit code with the cache at `cache` equal those without a cache.
fn answers_agree(vault: &Path, cache: &Path, when: &str) {
    for args in COMMANDS {
        let with = run(vault, Some(cache), args);
        let without = run(vault, None, args);
        assert_eq!(
            (with.status.code(), String::from_utf8_lossy(&with.stdout)),
            (
                without.status.code(),
                String::from_utf8_lossy(&without.stdout)
            ),
            "{when}: {args:?}"
        );
        assert!(
            with.stderr.is_empty(),
            "{when}: {args:?}: {}",
            String::from_utf8_lossy(&with.stderr)
        );
    }
}

#[test]
fn every_command_answers_the_same_with_the_cache_cold_warm_and_after_changes() {
    let vault = vault();
    let v = vault.path();
    let cache = tempfile::tempdir().unwrap();
    // `check` exits 1 here (the vault has problems): the same with and without.
    let first = run(v, Some(cache.path()), &["check", "--json"]);
    assert_eq!(first.status.code(), Some(1));
    let made = files(cache.path());
    assert_eq!(made.len(), 1, "one cache file: {made:?}");
    assert!(made[0].0.starts_with(cache.path().join("vaultscope")));
    let written = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let at = written(&made[0].0);
    answers_agree(v, cache.path(), "warm");
    // Nothing changed: the warm runs took every note from the cache (a note read from its
    // file would have been a new record, and the file written again).
    assert_eq!(files(cache.path()), made);
    assert_eq!(written(&made[0].0), at);

    // An edit, a rename, a deletion, a new note.
    let note = v.join("sagemaker-vpc-privatelink-security.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, text.replacen("SageMaker", "SageMakr", 3)).unwrap();
    std::fs::rename(v.join("broken.md"), v.join("networking/broken-moved.md")).unwrap();
    std::fs::remove_file(v.join("empty.md")).unwrap();
    std::fs::write(
        v.join("new.md"),
        "# New\n[[sagemaker-vpc-privatelink-security]]\n",
    )
    .unwrap();
    answers_agree(v, cache.path(), "after changes");
    // The vault's files are as the test left them: nothing was written into the vault.
    assert!(
        !files(v)
            .iter()
            .any(|(p, _)| p.extension().is_some_and(|x| x == "cache"))
    );
}

#[test]
fn no_cache_writes_nothing() {
    let vault = vault();
    let cache = tempfile::tempdir().unwrap();
    for args in COMMANDS {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vaultscope"));
        let out = cmd
            .arg("--vault")
            .arg(vault.path())
            .args(*args)
            .arg("--no-cache")
            .env("XDG_CACHE_HOME", cache.path())
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}");
        let by_env = Command::new(env!("CARGO_BIN_EXE_vaultscope"))
            .arg("--vault")
            .arg(vault.path())
            .args(*args)
            .env("VAULTSCOPE_NO_CACHE", "1")
            .env("XDG_CACHE_HOME", cache.path())
            .output()
            .unwrap();
        assert_eq!(by_env.stdout, out.stdout, "{args:?}");
    }
    assert!(files(cache.path()).is_empty());
}

#[test]
fn a_cache_folder_inside_the_vault_is_said_and_never_written() {
    let vault = vault();
    let v = vault.path();
    let before = files(v);
    for inside in [v.join(".cache"), v.to_path_buf(), v.join("networking")] {
        for args in COMMANDS {
            let with = run(v, Some(&inside), args);
            let without = run(v, None, args);
            assert_eq!(with.stdout, without.stdout, "{args:?}");
            let said = String::from_utf8_lossy(&with.stderr);
            if args[0] == "check" {
                assert!(said.contains("inside the vault"), "{args:?}: {said}");
            } else {
                assert!(said.is_empty(), "{args:?}: {said}");
            }
        }
    }
    assert_eq!(files(v), before);
}

/// The explorer's app once its loader (the real thread, through the cache at `cache` or
/// without one) has fully indexed `vault`.
#[cfg(target_os = "linux")]
fn explorer_loaded(vault: &Path, cache: Option<&Path>) -> vaultscope::tui::app::App {
    use std::time::Duration;
    use vaultscope::tui::app::App;
    use vaultscope::tui::loader::Loader;
    use vaultscope::tui::msg::Msg;
    use vaultscope::vault::cache::Place;
    use vaultscope::vault::{TitleRule, Vault};

    let root = Vault::open_root(vault).unwrap();
    let place = cache.map_or(Place::Off, |c| Place::Folder(c.join("vaultscope")));
    let (tx, rx) = std::sync::mpsc::channel();
    let _loader = Loader::start_with(root, TitleRule::default(), place, tx);
    let mut app = App::new(Vault::default(), (100, 30));
    loop {
        let msg = rx.recv_timeout(Duration::from_secs(30)).expect("a message");
        let last = matches!(msg, Msg::Loaded { next: None, .. });
        app.update(msg);
        if last {
            return app;
        }
    }
}

/// The problems the explorer lists once its loader (the real thread, through the cache or
/// not) has fully indexed `vault`, as JSON, with the note paths it lists.
#[cfg(target_os = "linux")]
fn explorer_sees(vault: &Path, cache: Option<&Path>) -> (serde_json::Value, Vec<String>) {
    let app = explorer_loaded(vault, cache);
    let problems = serde_json::to_value(&app.vault().problems).unwrap();
    let paths = app.vault().notes.iter().map(|n| n.path.clone()).collect();
    (problems, paths)
}

/// `vaultscope check --json` and the explorer list the same problems of the same notes, with
/// the cache cold, warm and bypassed.
#[cfg(target_os = "linux")]
#[test]
fn check_and_the_explorer_agree_with_and_without_the_cache() {
    let vault = vault();
    let v = vault.path();
    let cache = tempfile::tempdir().unwrap();
    let check = |cache: Option<&Path>| {
        let out = run(v, cache, &["check", "--json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json
    };
    let cold_check = check(None);
    assert!(
        cold_check["problems"]
            .as_array()
            .is_some_and(|p| p.len() >= 2),
        "the fixture has problems to compare: {cold_check}"
    );
    for (when, cache) in [
        ("no cache", None),
        ("cold cache", Some(cache.path())),
        ("warm cache", Some(cache.path())),
    ] {
        let (problems, paths) = explorer_sees(v, cache);
        let checked = check(cache);
        assert_eq!(checked, cold_check, "{when}: check");
        assert_eq!(problems, checked["problems"], "{when}: the explorer");
        assert_eq!(
            Some(paths.len() as u64),
            checked["notes"].as_u64(),
            "{when}"
        );
    }
    // The explorer's full stage wrote the cache the warm runs read.
    assert_eq!(files(cache.path()).len(), 1);
}

/// A note edited between two starts of the explorer: the second start (the cache warm for
/// every other note) shows it, sorts it and finds it by its new title, and its whole vault and
/// indexes are those of a load without the cache.
#[cfg(target_os = "linux")]
#[test]
fn a_note_edited_between_two_starts_is_shown_sorted_and_found_by_its_new_title() {
    use vaultscope::catalog::Catalog;
    use vaultscope::vault::order::Sort;
    use vaultscope::vault::{Depth, Vault};

    let vault = vault();
    let v = vault.path();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(v.join("moving.md"), "---\ntitle: zz Heron\n---\nbody\n").unwrap();
    let titles = |app: &vaultscope::tui::app::App, q: &str| -> Vec<String> {
        let c = app.catalog();
        c.search()
            .expect("the search index")
            .search(q, 5)
            .into_iter()
            .map(|h| c.vault.notes[h.note].title.clone())
            .collect()
    };
    let first = explorer_loaded(v, Some(cache.path()));
    assert_eq!(titles(&first, "heron"), ["zz Heron"]);
    std::fs::write(
        v.join("moving.md"),
        "---\ntitle: 0 Kestrel\ntags: [birds]\n---\nanother body\n",
    )
    .unwrap();
    let second = explorer_loaded(v, Some(cache.path()));
    assert_eq!(titles(&second, "kestrel"), ["0 Kestrel"]);
    assert!(titles(&second, "heron").is_empty());
    let root = Vault::open_root(v).unwrap();
    let cold = Catalog::build(Vault::load_to(&root, Depth::Full).unwrap());
    let c = second.catalog();
    assert_eq!(format!("{:#?}", c.vault), format!("{:#?}", cold.vault));
    assert_eq!(*c.tags, *cold.tags);
    assert!(c.tags.get("birds").is_some());
    for sort in Sort::ALL {
        assert_eq!(c.orders.get(sort), cold.orders.get(sort), "{sort:?}");
    }
    let top = c.orders.get(Sort::Title)[0];
    assert_eq!(c.vault.notes[top].title, "0 Kestrel");
}
