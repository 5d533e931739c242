//! A vault full of broken notes loads: every good note is listed, every broken file is a
//! `Problem` with its path, kind, line and a reason, nothing panics or hangs, and nothing in the
//! vault (or outside it) is written.
//!
//! The committed fixture `tests/fixtures/broken-vault/` holds what git can store byte for byte
//! (`tests/fixtures/.gitattributes` turns off line-ending conversion for it). What git cannot
//! hold is added to a temporary copy at test time: symlinks out of the vault, into it and onto
//! themselves, a FIFO, a mode-000 file and a mode-000 folder.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use tempfile::TempDir;
use vaultscope::vault::{
    Note, NoteId, ProblemKind, QuestionFormat, Resolved, TitleRule, TitleSource, Vault,
};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken-vault");
const STARTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/notes");

/// A temporary copy of the fixture plus the entries made at test time, and a second temporary
/// folder outside the vault that some symlinks point into.
struct Fixture {
    vault: TempDir,
    outside: TempDir,
    /// `pipe.md` was made (`mkfifo` exists).
    has_fifo: bool,
    /// `unreadable.md` (mode 000) can still be opened: the tests run as root.
    unreadable_is_readable: bool,
    /// `locked/` (mode 000) can still be listed: the tests run as root.
    locked_is_listable: bool,
}

impl Fixture {
    fn new() -> Fixture {
        let vault = TempDir::new().expect("temp vault");
        let outside = TempDir::new().expect("temp outside folder");
        copy_dir(Path::new(FIXTURE), vault.path());
        let v = vault.path();
        let o = outside.path();

        fs::write(
            o.join("secret.md"),
            "# Secret\n\nOutside the vault; must not load.\n",
        )
        .expect("write secret.md");
        fs::create_dir(o.join("folder")).expect("mkdir outside/folder");
        fs::write(o.join("folder/also-secret.md"), "# Also Secret\n")
            .expect("write also-secret.md");

        symlink(o.join("secret.md"), v.join("outside.md")).expect("symlink outside.md");
        symlink("self-loop.md", v.join("self-loop.md")).expect("symlink self-loop.md");
        symlink("projects/deep/deep-note.md", v.join("inside-link.md"))
            .expect("symlink inside-link.md");
        symlink("does-not-exist.md", v.join("broken-link.md")).expect("symlink broken-link.md");
        symlink(o.join("folder"), v.join("outside-dir")).expect("symlink outside-dir");
        // A folder linked inside the vault: its notes are already walked where they really are.
        symlink("projects", v.join("projects-link")).expect("symlink projects-link");

        // A FIFO must never be opened: opening one for reading blocks until a writer appears,
        // so a loader that opened it would hang (`load` below turns that into a failure).
        let has_fifo = match std::process::Command::new("mkfifo")
            .arg(v.join("pipe.md"))
            .status()
        {
            Ok(s) if s.success() => true,
            Ok(s) => panic!("mkfifo failed: {s}"),
            Err(e) => {
                eprintln!("mkfifo is not available ({e}); skipping the FIFO case");
                false
            }
        };

        let unreadable = v.join("unreadable.md");
        fs::write(&unreadable, "# Unreadable\n\nMode 000.\n").expect("write unreadable.md");
        fs::set_permissions(&unreadable, fs::Permissions::from_mode(0o000))
            .expect("chmod 000 unreadable.md");
        // Root ignores file modes, so as root the file is readable and must load; as anyone
        // else it must be an `unreadable` problem. Ask the OS rather than guess from the uid.
        let unreadable_is_readable = fs::File::open(&unreadable).is_ok();

        let locked = v.join("locked");
        fs::create_dir(&locked).expect("mkdir locked");
        fs::write(locked.join("inner.md"), "# Inner\n").expect("write locked/inner.md");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod 000 locked");
        let locked_is_listable = fs::read_dir(&locked).is_ok();

        Fixture {
            vault,
            outside,
            has_fifo,
            unreadable_is_readable,
            locked_is_listable,
        }
    }

    fn root(&self) -> &Path {
        self.vault.path()
    }

    fn load(&self) -> Vault {
        load_with_watchdog(self.root())
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        // Give the folder its modes back so TempDir can delete it when not running as root.
        let _ = fs::set_permissions(
            self.vault.path().join("locked"),
            fs::Permissions::from_mode(0o755),
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create copy folder");
    for entry in fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        let ft = entry.file_type().expect("fixture file type");
        let dest = to.join(entry.file_name());
        if ft.is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            assert!(
                ft.is_file(),
                "the committed fixture holds only files and folders: {:?}",
                entry.path()
            );
            fs::copy(entry.path(), &dest).expect("copy fixture file");
        }
    }
}

/// `Vault::load` on another thread, failed after a minute instead of hanging the suite (a
/// loader that opens `pipe.md` blocks forever).
fn load_with_watchdog(root: &Path) -> Vault {
    let (tx, rx) = mpsc::channel();
    let path = root.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(Vault::load(&path));
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(loaded) => loaded.expect("Vault::load fails only when the root folder is unreadable"),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("Vault::load did not return within 60 s: did it open the FIFO pipe.md?")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("Vault::load panicked"),
    }
}

fn id(v: &Vault, path: &str) -> NoteId {
    v.notes
        .iter()
        .position(|n| n.path == path)
        .unwrap_or_else(|| {
            let paths: Vec<&str> = v.notes.iter().map(|n| n.path.as_str()).collect();
            panic!("{path} did not load; notes: {paths:?}")
        })
}

fn note<'v>(v: &'v Vault, path: &str) -> &'v Note {
    v.note(id(v, path))
}

/// The body as the app reads it back from disk.
fn body(v: &Vault, path: &str) -> String {
    v.read_body(id(v, path)).expect("body readable")
}

fn paths(v: &Vault, ids: &[NoteId]) -> Vec<String> {
    ids.iter().map(|&i| v.note(i).path.clone()).collect()
}

fn dump_problems(v: &Vault) -> String {
    v.problems
        .iter()
        .map(|p| format!("\n  [{:?}] {p}", p.kind))
        .collect()
}

#[test]
fn loads_exactly_the_good_and_the_salvageable_notes() {
    let fx = Fixture::new();
    let v = fx.load();
    let mut want = vec![
        "bom-crlf.md",
        "dangling.md",
        "empty.md",
        "index.md",
        "inside-link.md",
        "invalid-utf8.md",
        "invalid-yaml.md",
        "loop-a.md",
        "loop-b.md",
        "no-closing.md",
        "odd-shapes.md",
        "odd-tags.md",
        "projects/deep/deep-note.md",
        "quiz.md",
        "same-alias.md",
        "네트워크-기초.md",
    ];
    if fx.locked_is_listable {
        want.push("locked/inner.md");
    }
    if fx.unreadable_is_readable {
        want.push("unreadable.md");
    }
    want.sort_unstable();
    let got: Vec<&str> = v.notes.iter().map(|n| n.path.as_str()).collect();
    assert_eq!(got, want, "problems:{}", dump_problems(&v));
    assert_eq!(v.backlinks.len(), v.notes.len());
    assert_eq!(
        v.attachments,
        ["img/diagram.png"],
        "non-note files outside hidden folders"
    );
    assert_eq!(v.root, fx.root().canonicalize().expect("canonical root"));
}

#[test]
fn every_broken_file_is_a_problem_with_path_kind_line_and_reason() {
    use ProblemKind::*;
    let fx = Fixture::new();
    let v = fx.load();
    let mut want: Vec<(&str, Option<usize>, ProblemKind, &str)> = vec![
        ("binary.md", None, Binary, "binary data (a PNG image)"),
        ("broken-link.md", None, Symlink, "a broken symlink"),
        (
            "dangling.md",
            Some(6),
            UnresolvedLink,
            "unresolved link [[missing-note]]",
        ),
        ("empty.md", None, Empty, "the file is empty"),
        (
            "invalid-utf8.md",
            Some(6),
            Encoding,
            "not valid UTF-8 (first bad byte at offset 73)",
        ),
        (
            "invalid-yaml.md",
            Some(4),
            FrontMatter,
            "invalid YAML in front matter",
        ),
        ("no-closing.md", Some(1), FrontMatter, "never closed"),
        // Obsidian links by file name: an alias does not reach its note.
        (
            "quiz.md",
            Some(9),
            AliasOnlyLink,
            "did you mean the note with alias \"네트워크\" (네트워크-기초.md)?",
        ),
        (
            "odd-tags.md",
            Some(2),
            Field,
            "`title` is a mapping, expected text; ignored",
        ),
        (
            "odd-tags.md",
            Some(3),
            Field,
            "`tags`: 123 is a number, not a tag",
        ),
        (
            "outside-dir",
            None,
            Symlink,
            "symlink points outside the vault",
        ),
        (
            "outside.md",
            None,
            Symlink,
            "symlink points outside the vault",
        ),
        (
            "same-alias.md",
            None,
            DuplicateAlias,
            "alias \"home\" is also an alias of index.md",
        ),
        ("self-loop.md", None, Symlink, "a symlink loop"),
    ];
    if fx.has_fifo {
        want.push((
            "pipe.md",
            None,
            NotAFile,
            "a FIFO (named pipe) is not a regular file; not read",
        ));
    }
    if !fx.unreadable_is_readable {
        want.push((
            "unreadable.md",
            None,
            Unreadable,
            "cannot read: Permission denied",
        ));
    }
    if !fx.locked_is_listable {
        want.push((
            "locked",
            None,
            Unreadable,
            "cannot read folder: Permission denied",
        ));
    }
    want.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));

    let got: Vec<(&str, Option<usize>, ProblemKind)> = v
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.line, p.kind))
        .collect();
    let expected: Vec<(&str, Option<usize>, ProblemKind)> =
        want.iter().map(|w| (w.0, w.1, w.2)).collect();
    assert_eq!(got, expected, "problems:{}", dump_problems(&v));
    for (p, w) in v.problems.iter().zip(&want) {
        assert!(
            p.message.contains(w.3),
            "{}: message {:?} lacks {:?}",
            p.path,
            p.message,
            w.3
        );
    }
    // The outside targets are named, so the user can see where the link goes.
    let outside = fx.outside.path().canonicalize().expect("canonical outside");
    let named = |path: &str, target: PathBuf| {
        let p = v
            .problems
            .iter()
            .find(|p| p.path == path)
            .expect("problem present");
        assert!(
            p.message.contains(&target.display().to_string()),
            "{path}: {:?}",
            p.message
        );
    };
    named("outside.md", outside.join("secret.md"));
    named("outside-dir", outside.join("folder"));
}

#[test]
fn good_notes_keep_their_titles_tags_aliases_and_dates() {
    let fx = Fixture::new();
    // Titles from headings where there is no title property (`--title-from heading`).
    let v = fx.load().with_titles(TitleRule::Heading);

    let n = note(&v, "index.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        ("Vault Index", TitleSource::FrontMatter)
    );
    assert_eq!(n.tags, ["meta/index", "english"]);
    assert_eq!(n.aliases, ["Home", "start page"]);
    assert_eq!(
        n.created.as_ref().map(|d| d.text.as_str()),
        Some("2025-08-18")
    );
    assert!(n.questions.is_empty());

    let n = note(&v, "네트워크-기초.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        ("네트워크 기초", TitleSource::FrontMatter)
    );
    assert_eq!(n.stem, "네트워크-기초");
    assert_eq!(n.tags, ["네트워크/기초", "korean", "복습"]);
    assert_eq!(n.aliases, ["네트워크", "network basics"]);
    assert_eq!(
        n.created.as_ref().map(|d| d.text.as_str()),
        Some("2025-08-19T09:30:00+09:00")
    );

    let n = note(&v, "projects/deep/deep-note.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        ("Deep Note", TitleSource::Heading)
    );
    // By file name (the default, as Obsidian lists notes), the heading is only kept.
    let by_name = fx.load();
    let n2 = note(&by_name, "projects/deep/deep-note.md");
    assert_eq!(
        (n2.title.as_str(), n2.title_source, n2.heading.as_deref()),
        ("deep-note", TitleSource::FileName, Some("Deep Note"))
    );
    assert_eq!(n.stem, "deep-note");
    assert_eq!(n.tags, ["nested/deep"]);
    assert!(n.aliases.is_empty());

    // A symlink to a note inside the vault loads under its own path with the target's text.
    let n = note(&v, "inside-link.md");
    assert_eq!(
        (n.title.as_str(), n.stem.as_str()),
        ("Deep Note", "inside-link")
    );
    assert_eq!(n.tags, ["nested/deep"]);

    for (path, title) in [("loop-a.md", "Loop A"), ("loop-b.md", "Loop B")] {
        let n = note(&v, path);
        assert_eq!(
            (n.title.as_str(), n.title_source),
            (title, TitleSource::Heading)
        );
    }
    assert_eq!(note(&v, "dangling.md").title, "Dangling");
    assert_eq!(note(&v, "same-alias.md").aliases, ["home"]);

    let n = note(&v, "empty.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        ("empty", TitleSource::FileName)
    );
    assert_eq!((n.size, body(&v, "empty.md").as_str()), (0, ""));
    assert!(n.tags.is_empty() && n.links.is_empty() && n.questions.is_empty());

    if fx.unreadable_is_readable {
        assert_eq!(note(&v, "unreadable.md").title, "Unreadable");
    }
    if fx.locked_is_listable {
        assert_eq!(note(&v, "locked/inner.md").title, "Inner");
    }
}

#[test]
fn bold_question_with_korean_answer_is_extracted() {
    let fx = Fixture::new();
    let v = fx.load();
    let n = note(&v, "quiz.md");
    assert_eq!(n.title, "퀴즈 - VPC Endpoints");
    assert_eq!(n.tags, ["quiz", "service/vpc"]);
    assert_eq!(n.aliases, ["endpoint quiz"]);
    assert_eq!(n.questions.len(), 1, "{:#?}", n.questions);
    let q = &n.questions[0];
    assert_eq!((q.line, q.format), (11, QuestionFormat::Bold));
    assert_eq!(
        q.prompt,
        "Which option keeps traffic from a private subnet to Amazon S3 off the internet?"
    );
    let options: Vec<(&str, &str)> = q
        .options
        .iter()
        .map(|c| (c.label.as_str(), c.text.as_str()))
        .collect();
    assert_eq!(
        options,
        [
            ("A", "A NAT gateway with a route to the internet gateway"),
            (
                "B",
                "A gateway VPC endpoint for S3 in the subnet's route table"
            ),
            ("C", "VPC peering with an AWS-owned VPC"),
            ("D", "A public IP on every instance"),
        ]
    );
    assert_eq!(q.answer, ["B"]);
    assert_eq!(
        q.answer_text,
        "B) A gateway VPC endpoint for S3 in the subnet's route table"
    );
    assert_eq!(
        q.explanation,
        [
            "**NAT Gateway (A)** - 트래픽이 인터넷을 경유한다",
            "**VPC Peering (C)** - AWS 서비스에 연결할 수 없다"
        ]
    );
}

#[test]
fn answer_text_starting_with_a_capital_word_is_one_label() {
    let fx = Fixture::new();
    let v = fx.load();
    let mut wrong = Vec::new();
    let quiz = &note(&v, "quiz.md").questions[0].answer;
    if quiz != &["B"] {
        wrong.push(format!("quiz.md: {quiz:?}"));
    }
    // The same through the parser alone. The list forms must keep working.
    let cases: &[(&str, &[&str])] = &[
        ("**정답: B) A gateway endpoint**", &["B"]),
        ("**Answer:** D) A NAT gateway in each AZ", &["D"]),
        ("정답: C) H/W acceleration", &["C"]),
        ("정답: A, C", &["A", "C"]),
        ("정답: B와 D", &["B", "D"]),
        ("**정답: C) Disable internet access**", &["C"]),
    ];
    for (answer_line, want) in cases {
        let text = format!("**Question:** Q?\n\n- A) x\n- B) y\n- C) z\n- D) w\n\n{answer_line}\n");
        let (n, _) = Note::parse("q.md", &text, 0, None);
        let got = &n.questions[0].answer;
        if got != want {
            wrong.push(format!("{answer_line:?}: {got:?}, want {want:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "wrong answer labels:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn bom_and_crlf_do_not_hide_the_front_matter() {
    let fx = Fixture::new();
    let v = fx.load();
    let n = note(&v, "bom-crlf.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        ("BOM CRLF 노트", TitleSource::FrontMatter)
    );
    assert_eq!(n.tags, ["crlf", "인코딩", "inline"]);
    assert_eq!(n.aliases, ["bom note"]);
    assert_eq!(n.body_line, 6);
    let b = body(&v, "bom-crlf.md");
    assert!(b.starts_with("# Ignored Heading\r\n"), "{b:?}");
    assert_eq!(n.links.len(), 1);
    assert_eq!(
        (n.links[0].raw.target.as_str(), n.links[0].raw.line),
        ("index", 7)
    );
    assert_eq!(n.links[0].resolved, Resolved::Note(id(&v, "index.md")));
    assert!(
        !v.problems.iter().any(|p| p.path == "bom-crlf.md"),
        "problems:{}",
        dump_problems(&v)
    );
}

#[test]
fn invalid_utf8_note_loads_with_replacement_characters() {
    let fx = Fixture::new();
    let v = fx.load();
    let n = note(&v, "invalid-utf8.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        ("Bad Bytes", TitleSource::FrontMatter)
    );
    assert_eq!(n.tags, ["encoding"]);
    let b = body(&v, "invalid-utf8.md");
    assert!(
        b.contains("line six has \u{FFFD}\u{FFFD} bad bytes"),
        "{b:?}"
    );
    // The size is the file's, not the repaired text's.
    assert_eq!(
        n.size,
        fs::metadata(fx.root().join("invalid-utf8.md"))
            .expect("stat")
            .len()
    );
    // Lines after the bad bytes are still indexed.
    assert_eq!(n.links.len(), 1);
    assert_eq!(
        (n.links[0].raw.line, &n.links[0].resolved),
        (7, &Resolved::Note(id(&v, "loop-a.md")))
    );
}

#[test]
fn broken_front_matter_falls_back_and_odd_fields_drop_one_by_one() {
    let fx = Fixture::new();
    // A broken title property falls back to the heading (`--title-from heading`).
    let v = fx.load().with_titles(TitleRule::Heading);

    let n = note(&v, "invalid-yaml.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        ("Invalid YAML Heading", TitleSource::Heading)
    );
    assert!(n.tags.is_empty(), "{:?}", n.tags);
    assert_eq!(
        n.body_line, 5,
        "the body still starts after the closing fence"
    );
    assert!(body(&v, "invalid-yaml.md").starts_with("# Invalid YAML Heading\n"));

    let n = note(&v, "no-closing.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        ("No Closing Heading", TitleSource::Heading)
    );
    assert_eq!(n.body_line, 1, "an unclosed block is read as body");
    assert!(body(&v, "no-closing.md").starts_with("---\ntitle: Never Closed\n"));
    assert!(n.tags.is_empty() && n.aliases.is_empty());

    let n = note(&v, "odd-tags.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        ("Odd Tags Heading", TitleSource::Heading)
    );
    assert!(n.tags.is_empty(), "{:?}", n.tags);
    assert_eq!(n.aliases, ["just one alias"]);
    assert_eq!(
        n.created.as_ref().map(|d| d.text.as_str()),
        Some("2025-01-02")
    );

    let n = note(&v, "odd-shapes.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        ("Odd Shapes", TitleSource::FrontMatter)
    );
    assert_eq!(
        n.tags,
        ["a", "b", "c", "hashed", "과목/네트워크/보안", "본문/태그"]
    );
    assert!(n.aliases.is_empty());
    assert!(
        !v.problems.iter().any(|p| p.path == "odd-shapes.md"),
        "problems:{}",
        dump_problems(&v)
    );
}

#[test]
fn links_loops_aliases_and_attachments_resolve() {
    let fx = Fixture::new();
    let v = fx.load();
    let back = |path: &str| paths(&v, &v.backlinks[id(&v, path)]);

    assert_eq!(back("loop-a.md"), ["invalid-utf8.md", "loop-b.md"]);
    assert_eq!(back("loop-b.md"), ["loop-a.md"]);
    assert_eq!(
        back("index.md"),
        [
            "bom-crlf.md",
            "inside-link.md",
            "projects/deep/deep-note.md",
            "same-alias.md",
            "네트워크-기초.md"
        ]
    );
    // quiz.md's `[[네트워크]]` names an alias, which links do not reach.
    assert_eq!(back("네트워크-기초.md"), ["index.md"]);
    assert_eq!(back("quiz.md"), ["index.md"]);
    assert_eq!(back("projects/deep/deep-note.md"), ["index.md"]);
    assert!(back("inside-link.md").is_empty());

    let resolved = |path: &str| -> Vec<(String, Resolved)> {
        note(&v, path)
            .links
            .iter()
            .map(|l| (l.raw.target.clone(), l.resolved.clone()))
            .collect()
    };
    assert_eq!(
        resolved("index.md"),
        [
            (
                "네트워크-기초".to_owned(),
                Resolved::Note(id(&v, "네트워크-기초.md"))
            ),
            (
                "projects/deep/deep-note".to_owned(),
                Resolved::Note(id(&v, "projects/deep/deep-note.md"))
            ),
            ("quiz".to_owned(), Resolved::Note(id(&v, "quiz.md"))),
            (
                "diagram.png".to_owned(),
                Resolved::Attachment("img/diagram.png".to_owned())
            ),
        ]
    );
    let embed = &note(&v, "index.md").links[3];
    assert!(embed.raw.embed);
    // `[[네트워크]]` is an alias of the Korean note: unresolved, as in Obsidian.
    assert_eq!(
        resolved("quiz.md"),
        [("네트워크".to_owned(), Resolved::Unresolved)]
    );
    assert_eq!(
        resolved("dangling.md"),
        [("missing-note".to_owned(), Resolved::Unresolved)]
    );

    // The duplicated alias still finds the first note by path order.
    assert_eq!(v.find("HOME"), Some(id(&v, "index.md")));
    assert_eq!(v.find("network basics"), Some(id(&v, "네트워크-기초.md")));
}

#[test]
fn hidden_folders_and_links_out_of_the_vault_contribute_nothing() {
    let fx = Fixture::new();
    let v = fx.load();
    for n in &v.notes {
        assert!(
            !n.path.split('/').any(|seg| seg.starts_with('.')),
            "hidden note loaded: {}",
            n.path
        );
        assert!(
            !n.path.starts_with("outside-dir/") && !n.path.starts_with("projects-link/"),
            "{}",
            n.path
        );
        assert!(
            !["Workspace", "Old", "Secret", "Also Secret"].contains(&n.title.as_str()),
            "{}",
            n.title
        );
    }
    for p in &v.problems {
        assert!(
            !p.path.contains(".obsidian") && !p.path.contains(".trash"),
            "{p}"
        );
        // `.obsidian/workspace.md` links to [[nowhere]], `.trash/old.md` to [[gone]].
        assert!(
            !p.message.contains("nowhere") && !p.message.contains("gone"),
            "{p}"
        );
        assert!(
            !p.path.starts_with("projects-link"),
            "an inside folder link is not a problem: {p}"
        );
    }
    // workspace.md also has the alias "Home": only same-alias.md duplicates it.
    assert_eq!(
        v.problems
            .iter()
            .filter(|p| p.kind == ProblemKind::DuplicateAlias)
            .count(),
        1
    );
    assert!(
        !v.attachments
            .iter()
            .any(|a| a.contains("app.json") || a.starts_with("outside-dir"))
    );
    assert_eq!(v.find("Workspace"), None);
    assert_eq!(v.find("Secret"), None);
    assert_eq!(v.find("Also Secret"), None);
}

/// Everything observable about a tree, walked without following links. Access times are left
/// out: reading a file may update them, and reading is allowed.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    kind: &'static str,
    ino: u64,
    mode: u32,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    content: Result<Vec<u8>, String>,
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    fn visit(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Entry>) {
        let meta = fs::symlink_metadata(dir).expect("stat");
        let listing = fs::read_dir(dir).and_then(|rd| {
            rd.map(|e| e.map(|e| e.file_name()))
                .collect::<Result<Vec<_>, _>>()
        });
        let content = listing.as_ref().map(|names| {
            let mut names: Vec<String> = names
                .iter()
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            names.sort();
            names.join("\n").into_bytes()
        });
        out.insert(
            dir.strip_prefix(root).expect("under root").to_path_buf(),
            entry("dir", &meta, content.map_err(|e| e.to_string())),
        );
        for name in listing.unwrap_or_default() {
            let path = dir.join(&name);
            let meta = fs::symlink_metadata(&path).expect("stat");
            let ft = meta.file_type();
            let rel = path.strip_prefix(root).expect("under root").to_path_buf();
            if ft.is_dir() {
                visit(root, &path, out);
            } else if ft.is_symlink() {
                let target = fs::read_link(&path).map(|t| t.into_os_string().into_encoded_bytes());
                out.insert(
                    rel,
                    entry("symlink", &meta, target.map_err(|e| e.to_string())),
                );
            } else if ft.is_file() {
                out.insert(
                    rel,
                    entry("file", &meta, fs::read(&path).map_err(|e| e.to_string())),
                );
            } else {
                // FIFOs and the like: never opened here either.
                out.insert(rel, entry("special", &meta, Ok(Vec::new())));
            }
        }
    }
    fn entry(kind: &'static str, m: &fs::Metadata, content: Result<Vec<u8>, String>) -> Entry {
        Entry {
            kind,
            ino: m.ino(),
            mode: m.mode(),
            len: m.len(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
            content,
        }
    }
    let mut out = BTreeMap::new();
    visit(root, root, &mut out);
    out
}

#[test]
fn loading_writes_nothing_and_is_repeatable() {
    let fx = Fixture::new();
    let before = (snapshot(fx.root()), snapshot(fx.outside.path()));
    // Self-check: the snapshot sees the test-time entries, so a change to them would show.
    assert_eq!(before.0[Path::new("self-loop.md")].kind, "symlink");
    assert_eq!(before.0[Path::new("bom-crlf.md")].kind, "file");
    assert!(before.0.contains_key(Path::new(".obsidian/workspace.md")));
    if fx.has_fifo {
        assert_eq!(before.0[Path::new("pipe.md")].kind, "special");
    }

    let first = fx.load();
    let second = fx.load();
    let after = (snapshot(fx.root()), snapshot(fx.outside.path()));
    assert_eq!(before.0.len(), after.0.len());
    for (path, was) in &before.0 {
        assert_eq!(Some(was), after.0.get(path), "{} changed", path.display());
    }
    assert_eq!(before, after);

    let summary = |v: &Vault| {
        let notes: Vec<(String, String, Vec<String>)> = v
            .notes
            .iter()
            .map(|n| (n.path.clone(), n.title.clone(), n.tags.clone()))
            .collect();
        (
            notes,
            v.problems.clone(),
            v.backlinks.clone(),
            v.attachments.clone(),
        )
    };
    assert_eq!(
        summary(&first),
        summary(&second),
        "two loads of the same vault differ"
    );
}

#[test]
fn snapshot_sees_every_kind_of_write() {
    // The check above is only as good as the snapshot: each of these must show up.
    let fx = Fixture::new();
    let v = fx.root();
    let changes: [(&str, &dyn Fn()); 5] = [
        ("content", &|| {
            fs::write(v.join("loop-a.md"), "# Loop A\n\nGoes to [[loop-c]].\n").expect("write")
        }),
        ("new file", &|| {
            fs::write(v.join(".obsidian/cache.md"), "").expect("write")
        }),
        ("mode", &|| {
            fs::set_permissions(v.join("empty.md"), fs::Permissions::from_mode(0o600))
                .expect("chmod")
        }),
        ("symlink target", &|| {
            fs::remove_file(v.join("inside-link.md")).expect("rm");
            symlink("quiz.md", v.join("inside-link.md")).expect("symlink");
        }),
        ("removal", &|| {
            fs::remove_file(v.join("img/diagram.png")).expect("rm")
        }),
    ];
    for (what, change) in changes {
        let before = snapshot(v);
        change();
        assert_ne!(before, snapshot(v), "a {what} change went unseen");
    }
}

#[test]
fn committed_fixture_keeps_its_exact_bytes() {
    // Guards against git or an editor normalising the files this test depends on.
    let read = |name: &str| fs::read(Path::new(FIXTURE).join(name)).expect("read fixture file");
    let bom = read("bom-crlf.md");
    assert!(
        bom.starts_with(b"\xEF\xBB\xBF---\r\n"),
        "{:?}",
        &bom[..8.min(bom.len())]
    );
    let bare_lf = bom
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' && (i == 0 || bom[i - 1] != b'\r'))
        .count();
    assert_eq!(bare_lf, 0, "bom-crlf.md has bare LF line endings");
    let bad = read("invalid-utf8.md");
    assert!(bad.windows(2).any(|w| w == b"\xFF\xFE"));
    assert!(std::str::from_utf8(&bad).is_err());
    let bin = read("binary.md");
    assert!(bin.starts_with(b"\x89PNG\r\n\x1a\n") && bin.contains(&0));
    assert_eq!(read("empty.md").len(), 0);
    assert_eq!(read("img/diagram.png"), bin);
}

#[test]
fn starter_vault_loads_cleanly() {
    let v = load_with_watchdog(Path::new(STARTER));
    assert!(
        v.problems.is_empty(),
        "starter vault problems:{}",
        dump_problems(&v)
    );
    assert!(v.notes.len() >= 16, "only {} notes", v.notes.len());

    let n = note(&v, "sagemaker-vpc-privatelink-security.md");
    assert_eq!(
        (n.title.as_str(), n.title_source),
        (
            "sagemaker-vpc-privatelink-security",
            TitleSource::FrontMatter
        )
    );
    assert_eq!(
        n.tags,
        [
            "service/sagemaker",
            "security/vpc-endpoints",
            "connectivity/privatelink",
            "constraint/no-internet",
            "industry/financial"
        ]
    );
    assert_eq!(
        n.aliases,
        ["sagemaker-private", "vpc-sagemaker", "privatelink-ml"]
    );
    assert_eq!(n.questions.len(), 1, "{:#?}", n.questions);
    let q = &n.questions[0];
    assert_eq!(q.format, QuestionFormat::Bold);
    assert!(
        q.prompt
            .starts_with("A financial services firm is leveraging Amazon SageMaker"),
        "{}",
        q.prompt
    );
    let labels: Vec<&str> = q.options.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["A", "B", "C", "D"]);
    assert!(
        q.options
            .iter()
            .all(|c| c.text.starts_with("Disable internet access for SageMaker")),
        "{:?}",
        q.options
    );
    assert_eq!(q.answer, ["C"]);
    assert!(
        q.answer_text.starts_with("C) Disable internet access"),
        "{}",
        q.answer_text
    );
    assert_eq!(q.explanation.len(), 3, "{:#?}", q.explanation);
    assert!(
        q.explanation[0].starts_with("**NAT Gateway (A)**"),
        "{}",
        q.explanation[0]
    );
}

/// Between the walk and the read, a note is swapped for a FIFO and for a symlink out of the
/// vault, and a folder on a note's path for a symlink to a folder outside, back and forth, while
/// the vault is loaded (and bodies are read) a few hundred times: nothing hangs, and not one
/// byte of the outside files reaches a note, a problem or a body.
#[cfg(target_os = "linux")]
#[test]
fn notes_swapped_between_the_walk_and_the_read_are_never_trusted() {
    use rustix::fs::{CWD, Mode, RenameFlags, mkfifoat, renameat_with};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::Instant;

    // Only the outside files' *contents* hold the marker: problems may name paths.
    const SECRET: &str = "MARKER-b7e2-outside-content";
    const LOADS: usize = 300;
    let tmp = TempDir::new().expect("temp dir");
    let vault = tmp.path().join("vault");
    let outside = tmp.path().join("elsewhere");
    let stage = tmp.path().join("stage");
    for d in [vault.join("sub"), outside.join("sub"), stage.clone()] {
        fs::create_dir_all(d).expect("create folder");
    }
    fs::write(vault.join("note.md"), "# Note\n\nplain text\n").expect("note.md");
    fs::write(vault.join("sub/inner.md"), "# Inner\n\ninside\n").expect("sub/inner.md");
    fs::write(vault.join("keep.md"), "# Keep\n").expect("keep.md");
    let passwd = format!("root:x:0:0:{SECRET}\n# {SECRET}\n[[{SECRET}]] #{SECRET}\n");
    fs::write(outside.join("passwd"), &passwd).expect("outside file");
    fs::write(outside.join("sub/inner.md"), &passwd).expect("outside note");
    mkfifoat(CWD, stage.join("fifo"), Mode::RUSR | Mode::WUSR).expect("mkfifo");
    symlink(outside.join("passwd"), stage.join("link")).expect("symlink to a file outside");
    symlink(outside.join("sub"), stage.join("sublink")).expect("symlink to a folder outside");
    let at_rest = Vault::load(&vault).expect("load at rest");
    assert_eq!(at_rest.notes.len(), 3, "{}", dump_problems(&at_rest));

    // Each swap exchanges two names atomically, so every path always holds something.
    let stop = Arc::new(AtomicBool::new(false));
    let swaps = Arc::new(AtomicUsize::new(0));
    let swapper = {
        let (stop, swaps) = (stop.clone(), swaps.clone());
        let pairs = [
            (vault.join("note.md"), stage.join("fifo")),
            (vault.join("note.md"), stage.join("link")),
            (vault.join("sub"), stage.join("sublink")),
        ];
        std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let (a, b) = &pairs[i / 2 % pairs.len()];
                renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).expect("exchange");
                swaps.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
            // Put everything back (an even number of exchanges per pair).
            if i % 2 == 1 {
                let (a, b) = &pairs[(i - 1) / 2 % pairs.len()];
                renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).expect("exchange back");
            }
        })
    };

    let (tx, rx) = mpsc::channel();
    let root = vault.clone();
    std::thread::spawn(move || {
        let leaked = |what: &str, text: &str| {
            assert!(
                !text.contains(SECRET),
                "outside bytes reached {what}: {text}"
            );
        };
        let mut refused = 0;
        for _ in 0..LOADS {
            let v = Vault::load(&root).expect("load");
            leaked(
                "a note",
                &serde_json::to_string(&v.notes).expect("notes as json"),
            );
            for p in &v.problems {
                leaked("a problem", &p.to_string());
                refused += usize::from(matches!(
                    p.kind,
                    ProblemKind::NotAFile | ProblemKind::Symlink
                ));
            }
            for id in 0..v.notes.len() {
                if let Ok(b) = v.read_body(id) {
                    leaked("a body", &b);
                }
            }
            for id in 0..at_rest.notes.len() {
                match at_rest.read_body(id) {
                    Ok(b) => leaked("a body read later", &b),
                    Err(e) => leaked("a body's error", &e.to_string()),
                }
            }
        }
        let _ = tx.send(refused);
    });
    let started = Instant::now();
    let result = rx.recv_timeout(Duration::from_secs(60));
    stop.store(true, Ordering::Relaxed);
    let refused = match result {
        Ok(n) => n,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{LOADS} loads did not end within 60 s: a FIFO was opened and blocks")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the loader thread failed (above)"),
    };
    swapper.join().expect("swapper");
    eprintln!(
        "{LOADS} loads in {:?}, {} swaps, {refused} swapped files refused",
        started.elapsed(),
        swaps.load(Ordering::Relaxed)
    );
    assert!(
        swaps.load(Ordering::Relaxed) > LOADS,
        "the swapper barely ran"
    );
    let after = Vault::load(&vault).expect("load after");
    assert_eq!(after.notes.len(), 3, "{}", dump_problems(&after));
}

/// A vault of the given files (relative path, bytes) in a temporary folder.
fn vault_of(files: &[(&str, &[u8])]) -> (TempDir, Vault) {
    let tmp = TempDir::new().expect("temp dir");
    for (rel, bytes) in files {
        let path = tmp.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        fs::write(path, bytes).expect("write");
    }
    let v = load_with_watchdog(tmp.path());
    (tmp, v)
}

fn problems_of<'v>(v: &'v Vault, path: &str) -> Vec<&'v vaultscope::vault::Problem> {
    v.problems.iter().filter(|p| p.path == path).collect()
}

#[test]
fn a_key_given_twice_in_front_matter_is_a_field_problem_naming_the_value_kept() {
    let (_tmp, v) = vault_of(&[
        (
            "twice.md",
            b"---\ntitle: First\ntags: [a]\ntitle: Second\n---\nbody\n",
        ),
        ("once.md", b"---\ntitle: Once\n---\n"),
    ]);
    assert_eq!(note(&v, "twice.md").title, "Second");
    let p = problems_of(&v, "twice.md");
    assert_eq!(p.len(), 1, "{}", dump_problems(&v));
    assert_eq!((p[0].kind, p[0].line), (ProblemKind::Field, Some(4)));
    assert_eq!(
        p[0].message,
        "`title` is given 2 times (lines 2, 4); the last one wins: \"Second\""
    );
    assert!(
        problems_of(&v, "once.md").is_empty(),
        "{}",
        dump_problems(&v)
    );
}

#[test]
fn titles_of_invisible_characters_fall_back_to_a_heading_or_the_file_name_and_are_reported() {
    let (_tmp, v) = vault_of(&[
        // Zero-width space, joiner and an RLM in the front matter; a heading to fall back to.
        (
            "zw.md",
            "---\ntitle: \"\u{200B}\u{200D}\u{200F}\"\n---\n# Heading kept\n".as_bytes(),
        ),
        // Hangul fillers and tag characters: no heading, so the file name.
        (
            "filler.md",
            "---\ntitle: \u{3164}\u{3164}\n---\nbody\n".as_bytes(),
        ),
        (
            "tags.md",
            "# \u{E0041}\u{E0042}\u{2060}\n\nbody\n".as_bytes(),
        ),
    ]);
    // Titles from headings (`--title-from heading`): by file name, no heading is a title.
    let v = v.with_titles(TitleRule::Heading);
    let titles: Vec<(&str, &str, TitleSource)> = v
        .notes
        .iter()
        .map(|n| (n.path.as_str(), n.title.as_str(), n.title_source))
        .collect();
    assert_eq!(
        titles,
        [
            ("filler.md", "filler", TitleSource::FileName),
            ("tags.md", "tags", TitleSource::FileName),
            ("zw.md", "Heading kept", TitleSource::Heading),
        ]
    );
    let found: Vec<(&str, ProblemKind, Option<usize>)> = v
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.kind, p.line))
        .collect();
    assert_eq!(
        found,
        [
            ("filler.md", ProblemKind::Field, Some(2)),
            ("tags.md", ProblemKind::Title, Some(1)),
            ("zw.md", ProblemKind::Field, Some(2)),
        ],
        "{}",
        dump_problems(&v)
    );
    assert!(
        v.problems[0].message.contains("U+3164"),
        "{}",
        dump_problems(&v)
    );
    assert!(
        v.problems[2].message.contains("U+200B, U+200D, U+200F"),
        "{}",
        dump_problems(&v)
    );
}

#[test]
fn text_notes_with_a_few_nuls_load_and_real_binaries_stay_out() {
    let mut early =
        b"---\ntitle: Pasted from a terminal\ntags: [ops]\n---\n# Log\n\nA\0B\0C\0\n".to_vec();
    early.extend("more text [[late]] #kept\n".repeat(400).bytes());
    let mut late = "# Late\n".repeat(2000).into_bytes();
    late.extend_from_slice(b"tail\0end\n");
    let utf16: Vec<u8> = "# Notes in UTF-16\n\nsome text here\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let png = fs::read(Path::new(FIXTURE).join("binary.md")).expect("the fixture's PNG");
    let mut object = b"\x7fELF\x02\x01\x01\0".to_vec();
    object.extend_from_slice(&[0; 56]);
    let mut object_no_magic = vec![0u8; 40];
    object_no_magic.extend_from_slice(b"\xe8\x00\x00\x00\x00\xc3main");
    let (_tmp, v) = vault_of(&[
        ("early.md", &early),
        ("late.md", &late),
        ("utf16.md", &utf16),
        ("png.md", &png),
        ("pdf.md", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 4 >>\nstream\n\x00\x01\x02\x03\nendstream\n"),
        ("elf.md", &object),
        ("obj.md", &object_no_magic),
    ]);
    let listed: Vec<&str> = v.notes.iter().map(|n| n.path.as_str()).collect();
    assert_eq!(listed, ["early.md", "late.md"], "{}", dump_problems(&v));
    let n = note(&v, "early.md");
    assert_eq!(n.title, "Pasted from a terminal");
    assert_eq!(n.tags, ["ops", "kept"]);
    assert_eq!(n.links.len(), 400);
    let b = body(&v, "early.md");
    assert!(
        b.contains("A\u{FFFD}B\u{FFFD}C\u{FFFD}") && !b.contains('\0'),
        "{b:.80}"
    );
    assert!(body(&v, "late.md").contains("tail\u{FFFD}end"));
    let kinds: Vec<(&str, ProblemKind, Option<usize>)> = v
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.kind, p.line))
        .collect();
    assert_eq!(
        kinds,
        [
            ("early.md", ProblemKind::Encoding, Some(7)),
            ("elf.md", ProblemKind::Binary, None),
            ("late.md", ProblemKind::Encoding, Some(2001)),
            ("obj.md", ProblemKind::Binary, None),
            ("pdf.md", ProblemKind::Binary, None),
            ("png.md", ProblemKind::Binary, None),
            ("utf16.md", ProblemKind::Binary, None),
        ],
        "{}",
        dump_problems(&v)
    );
    assert!(
        v.problems[0].message.contains("3 NUL bytes"),
        "{}",
        dump_problems(&v)
    );
}
