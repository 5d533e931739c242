//! The vault read as Obsidian reads it, on the fixture `tests/fixtures/obsidian/`: the expected
//! resolution of every link is written out below and checked through `links --json` and through
//! the content pane's link following; `check --json` lists the links only an alias or heading
//! would reach and the shared file names; `show` renders every note at 40 and 100 columns.
//!
//! The cases, by note:
//! - `SAA/문제-1.md`, `SAP/문제-1.md`, `기타/메모.md`: a file name in two parallel (Korean)
//!   folders opens the copy in the linking note's folder, else the shortest path, else the
//!   first in path order; `folder/name` and `../folder/name.md` reach the other copy.
//! - `links.md`: links by alias, by title-like first heading (`[[BASIC]]`) and by heading text
//!   reach nothing; by file name, with a heading, and markdown links (`%20`, `<…>`, `#Part`).
//! - `properties.md`: links in a text property and in a list property.
//! - `embeds.md`: `|300` and `|300x200` are sizes, never names.
//! - `math.md`, `comments.md`, `reading.md`: math with `\\`, comments with `>` inside, a long
//!   Korean callout title, `<mark>`, footnotes, a `<pre>` holding a fence.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use vaultscope::markdown::{DiagramView, Drawings, plain_text, render_note};
use vaultscope::style::Styles;
use vaultscope::tui::app::App;
use vaultscope::tui::keymap::parse_keys;
use vaultscope::tui::msg::Msg;
use vaultscope::tui::{buffer_text, frame, settle};
use vaultscope::vault::{NoteId, Vault};

/// 2026-11-30 00:00 UTC, so the ages in the header stay the same from day to day.
const NOW: i64 = 1_795_996_800;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/obsidian")
}

fn vault() -> Vault {
    Vault::load(&fixture()).expect("the fixture loads")
}

/// `vaultscope --vault <fixture> ARGS`.
fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .arg("--vault")
        .arg(fixture())
        .args(["--color", "never"])
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// Where a link should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum To {
    Note(&'static str),
    File(&'static str),
    Nothing,
}

/// One link as written and where it should go: line, form, target, heading, to.
type Expected = (usize, &'static str, &'static str, Option<&'static str>, To);

/// Every link of every note of the fixture, in the order written.
const LINKS: &[(&str, &[Expected])] = &[
    ("DREAD.md", &[]),
    ("Artificial Intelligence.md", &[]),
    ("calculus/limits.md", &[]),
    ("SAA/보안그룹.md", &[]),
    ("SAP/보안그룹.md", &[]),
    (
        "SAA/문제-1.md",
        &[
            // Its own folder's copy, its heading, and the other exam's by folder.
            (6, "wikilink", "보안그룹", None, To::Note("SAA/보안그룹.md")),
            (
                6,
                "wikilink",
                "보안그룹",
                Some("인바운드 규칙"),
                To::Note("SAA/보안그룹.md"),
            ),
            (
                6,
                "wikilink",
                "SAP/보안그룹",
                None,
                To::Note("SAP/보안그룹.md"),
            ),
        ],
    ),
    (
        "SAP/문제-1.md",
        &[
            (6, "wikilink", "보안그룹", None, To::Note("SAP/보안그룹.md")),
            (
                6,
                "wikilink",
                "SAA/보안그룹",
                None,
                To::Note("SAA/보안그룹.md"),
            ),
            (
                8,
                "markdown",
                "../SAA/보안그룹.md",
                None,
                To::Note("SAA/보안그룹.md"),
            ),
            (
                8,
                "markdown",
                "보안그룹.md",
                Some("인바운드 규칙"),
                To::Note("SAP/보안그룹.md"),
            ),
        ],
    ),
    (
        "기타/메모.md",
        // No copy in its folder; both paths are as long: the first in path order.
        &[(6, "wikilink", "보안그룹", None, To::Note("SAA/보안그룹.md"))],
    ),
    (
        "links.md",
        &[
            (6, "wikilink", "AI", None, To::Nothing),
            (
                7,
                "wikilink",
                "Artificial Intelligence",
                None,
                To::Note("Artificial Intelligence.md"),
            ),
            (
                8,
                "wikilink",
                "Artificial Intelligence",
                Some("History"),
                To::Note("Artificial Intelligence.md"),
            ),
            (9, "wikilink", "Machines that think", None, To::Nothing),
            (10, "wikilink", "BASIC", None, To::Nothing),
            (11, "wikilink", "DREAD", None, To::Note("DREAD.md")),
            (11, "wikilink", "Damage Potential", None, To::Nothing),
            (12, "wikilink", "인공지능", None, To::Nothing),
            (13, "wikilink", "nowhere", None, To::Nothing),
            (
                17,
                "markdown",
                "Artificial Intelligence.md",
                None,
                To::Note("Artificial Intelligence.md"),
            ),
            (
                17,
                "markdown",
                "Artificial Intelligence.md",
                Some("History"),
                To::Note("Artificial Intelligence.md"),
            ),
            (17, "markdown", "DREAD.md", None, To::Note("DREAD.md")),
            (
                17,
                "markdown",
                "SAA/보안그룹.md",
                None,
                To::Note("SAA/보안그룹.md"),
            ),
            (
                17,
                "markdown",
                "",
                Some("Links by name, not by alias"),
                To::Note("links.md"),
            ),
        ],
    ),
    (
        "properties.md",
        &[
            (
                3,
                "property",
                "Artificial Intelligence",
                None,
                To::Note("Artificial Intelligence.md"),
            ),
            (5, "property", "DREAD", None, To::Note("DREAD.md")),
            (
                6,
                "property",
                "SAA/보안그룹",
                None,
                To::Note("SAA/보안그룹.md"),
            ),
            (7, "property", "AI", None, To::Nothing),
        ],
    ),
    (
        "embeds.md",
        &[
            (
                6,
                "wikilink",
                "diagram.png",
                None,
                To::File("attachments/diagram.png"),
            ),
            (
                8,
                "wikilink",
                "diagram.png",
                None,
                To::File("attachments/diagram.png"),
            ),
            (
                10,
                "wikilink",
                "attachments/diagram.png",
                None,
                To::File("attachments/diagram.png"),
            ),
            (
                12,
                "markdown",
                "attachments/diagram.png",
                None,
                To::File("attachments/diagram.png"),
            ),
            (
                14,
                "wikilink",
                "Artificial Intelligence",
                Some("History"),
                To::Note("Artificial Intelligence.md"),
            ),
        ],
    ),
    ("math.md", &[]),
    // Only the link outside the comments.
    (
        "comments.md",
        &[(6, "wikilink", "DREAD", None, To::Note("DREAD.md"))],
    ),
    // Only the link after the `<pre>` block.
    (
        "reading.md",
        &[(22, "wikilink", "DREAD", None, To::Note("DREAD.md"))],
    ),
];

/// The sizes the embeds of `embeds.md` ask for, in order: (width, height).
const SIZES: &[(Option<u64>, Option<u64>)] = &[
    (Some(300), None),
    (Some(300), Some(200)),
    (Some(400), None),
    (Some(120), None),
    (None, None),
];

/// A path from the output, for a [`To`] (the test's few strings live to its end anyway).
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn expected(path: &str) -> &'static [Expected] {
    LINKS
        .iter()
        .find(|(p, _)| *p == path)
        .unwrap_or_else(|| panic!("{path} is not in LINKS"))
        .1
}

#[test]
fn the_table_covers_every_note_and_every_link() {
    let v = vault();
    let mut paths: Vec<&str> = v.notes.iter().map(|n| n.path.as_str()).collect();
    let mut listed: Vec<&str> = LINKS.iter().map(|(p, _)| *p).collect();
    paths.sort_unstable();
    listed.sort_unstable();
    assert_eq!(paths, listed);
    for n in &v.notes {
        assert_eq!(n.links.len(), expected(&n.path).len(), "{}", n.path);
    }
    assert_eq!(v.attachments, ["attachments/diagram.png"]);
}

#[test]
fn links_json_resolves_every_link_as_written_out() {
    for (path, want) in LINKS {
        let o = run(&["links", path, "--json"]);
        assert!(o.status.success(), "{path}: {o:?}");
        let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
        assert_eq!(v["path"], *path);
        let mut got: Vec<Value> = v["outgoing"].as_array().unwrap().clone();
        got.extend(v["unresolved"].as_array().unwrap().iter().cloned());
        // `outgoing` then `unresolved`: put them back in the order written.
        got.sort_by_key(|l| l["line"].as_u64());
        let to_text = |to: To| match to {
            To::Note(p) => format!("note {p}"),
            To::File(p) => format!("file {p}"),
            To::Nothing => "nothing".to_owned(),
        };
        let mut got_rows: Vec<String> = got
            .iter()
            .map(|l| {
                let to = match (l["resolved"].as_str(), l["to"].as_str()) {
                    (Some("note"), Some(p)) => To::Note(leak(p)),
                    (Some("attachment"), Some(p)) => To::File(leak(p)),
                    (Some("unresolved"), None) => To::Nothing,
                    other => panic!("{path}: {other:?}"),
                };
                format!(
                    "{} {} {:?} {:?} -> {}",
                    l["line"],
                    l["form"].as_str().unwrap(),
                    l["target"].as_str().unwrap(),
                    l["heading"].as_str(),
                    to_text(to)
                )
            })
            .collect();
        let mut want_rows: Vec<String> = want
            .iter()
            .map(|&(line, form, target, heading, to)| {
                format!("{line} {form} {target:?} {heading:?} -> {}", to_text(to))
            })
            .collect();
        got_rows.sort();
        want_rows.sort();
        assert_eq!(got_rows, want_rows, "{path}");
        if *path == "embeds.md" {
            // In line order (one embed a line).
            let sizes: Vec<(Option<u64>, Option<u64>)> = got
                .iter()
                .map(|l| (l["width"].as_u64(), l["height"].as_u64()))
                .collect();
            assert_eq!(sizes, SIZES, "{path}");
            // A size is never the text shown.
            assert!(got.iter().all(|l| l["display"].as_str() != Some("300")));
        }
    }
}

#[test]
fn backlinks_count_property_and_markdown_links() {
    let o = run(&["links", "DREAD", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["backlinks"],
        serde_json::json!(["comments.md", "links.md", "properties.md", "reading.md"])
    );
    let o = run(&["links", "SAA/보안그룹", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["backlinks"],
        serde_json::json!([
            "SAA/문제-1.md",
            "SAP/문제-1.md",
            "links.md",
            "properties.md",
            "기타/메모.md"
        ])
    );
}

#[test]
fn check_lists_the_alias_only_links_and_the_shared_names() {
    let o = run(&["check", "--json"]);
    // Links that reach nothing fail the check; shared names only inform.
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let got: Vec<(String, Option<u64>, String)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_owned(),
                p["line"].as_u64(),
                p["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, Option<u64>, String)> = [
        ("SAA/문제-1.md", None, "ambiguous-name"),
        ("SAA/보안그룹.md", None, "ambiguous-name"),
        ("links.md", Some(6), "alias-only-link"),
        ("links.md", Some(9), "alias-only-link"),
        ("links.md", Some(10), "alias-only-link"),
        ("links.md", Some(11), "alias-only-link"),
        ("links.md", Some(12), "alias-only-link"),
        ("links.md", Some(13), "unresolved-link"),
        ("properties.md", Some(7), "alias-only-link"),
    ]
    .iter()
    .map(|&(p, l, k)| (p.to_owned(), l, k.to_owned()))
    .collect();
    assert_eq!(got, want);
    let messages: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    for (i, needle) in [
        (
            0,
            "the file name \"문제-1\" is shared by 2 notes (SAA/문제-1.md, SAP/문제-1.md)",
        ),
        (
            1,
            "[[보안그룹]] opens the one in the linking note's folder, else SAA/보안그룹.md",
        ),
        (
            2,
            "did you mean the note with alias \"AI\" (Artificial Intelligence.md)? Links reach notes by file name: [[Artificial Intelligence|AI]]",
        ),
        (
            3,
            "the note with first heading \"Machines that think\" (Artificial Intelligence.md)",
        ),
        (
            4,
            "first heading \"Basic\" (calculus/limits.md)? Links reach notes by file name: [[limits|BASIC]]",
        ),
        (5, "first heading \"Damage Potential\" (DREAD.md)"),
        (6, "alias \"인공지능\""),
        (7, "unresolved link [[nowhere]]: no note or file"),
        (8, "unresolved link [[AI]] (in a property)"),
    ] {
        assert!(messages[i].contains(needle), "{}", messages[i]);
    }
    let text = String::from_utf8(run(&["check"]).stdout).unwrap();
    assert!(
        text.ends_with("14 notes, 7 problems in 2 files (and 2 shared file names)\n"),
        "{text}"
    );
}

#[test]
fn shared_names_alone_do_not_fail_the_check() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["a/x.md", "b/x.md"] {
        let p = dir.path().join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "[[x]]\n").unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .args(["--vault"])
        .arg(dir.path())
        .args(["check", "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["problems"][0]["kind"], "ambiguous-name");
}

#[test]
fn titles_are_file_names_unless_a_heading_is_asked_for() {
    let titles = |extra: &[&str]| -> Vec<(String, String)> {
        let mut args = extra.to_vec();
        args.extend(["list", "--json"]);
        let v: Value = serde_json::from_slice(&run(&args).stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["path"].as_str().unwrap().to_owned(),
                    n["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let by_name = titles(&[]);
    let by_heading = titles(&["--title-from", "heading"]);
    let title = |list: &[(String, String)], path: &str| {
        list.iter().find(|(p, _)| p == path).unwrap().1.clone()
    };
    assert_eq!(title(&by_name, "DREAD.md"), "DREAD");
    assert_eq!(title(&by_heading, "DREAD.md"), "Damage Potential");
    assert_eq!(title(&by_name, "SAA/보안그룹.md"), "보안그룹");
    assert_eq!(title(&by_heading, "SAA/보안그룹.md"), "SAA 보안그룹");
    assert_eq!(
        title(&by_name, "Artificial Intelligence.md"),
        "Artificial Intelligence"
    );
    // A note argument still finds a note by its alias, and by its heading when that is the
    // title.
    let o = run(&["links", "인공지능", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["path"], "Artificial Intelligence.md");
    assert_eq!(run(&["links", "Damage Potential"]).status.code(), Some(2));
    assert!(
        run(&["--title-from", "heading", "links", "Damage Potential"])
            .status
            .success()
    );
}

#[test]
fn comments_and_pre_blocks_hide_their_tags() {
    let v = vault();
    let tags = |path: &str| v.notes[v.by_path(path).unwrap()].tags.clone();
    assert_eq!(tags("comments.md"), ["visible", "after"]);
    assert_eq!(tags("reading.md"), ["after-pre"]);
}

/// An app on the fixture with `path` selected and the content pane focused.
fn app_at(v: &Vault, path: &str) -> App {
    // Small, so a heading further down is out of view until a link goes to it.
    let mut app = App::new(v.clone(), (80, 12));
    app.set_now(NOW);
    settle(&mut app);
    let id = v.by_path(path).unwrap();
    let row = app
        .list()
        .visible()
        .iter()
        .position(|&n| n == id)
        .expect("listed");
    keys(&mut app, &format!("1g{}2", "j".repeat(row)));
    assert_eq!(app.selected_note(), Some(id), "{path}");
    app
}

fn keys(app: &mut App, keys: &str) {
    for key in parse_keys(keys).unwrap() {
        app.update(Msg::Key(key));
        settle(app);
    }
}

fn path_of(app: &App, id: Option<NoteId>) -> String {
    app.vault().notes[id.unwrap()].path.clone()
}

#[test]
fn the_content_pane_follows_every_link_where_links_json_says() {
    use vaultscope::markdown::LinkTarget;
    let v = vault();
    let mut followed = 0;
    let mut scrolled = 0;
    for (path, want) in LINKS {
        let app = app_at(&v, path);
        let all = &app.content().shown().expect("rendered").rendered.links;
        // A link wrapped over two lines is a spot on each (`]` stops at both): followed once,
        // from its first.
        let spots: Vec<(usize, LinkTarget)> = all
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                *i == 0 || {
                    let before = &all[i - 1];
                    !(before.target == l.target && before.line + 1 == l.line)
                }
            })
            .map(|(i, l)| (i, l.target.clone()))
            .collect();
        // The web link of links.md is no note's, and says so when followed.
        let (urls, spots): (Vec<_>, Vec<_>) = spots
            .into_iter()
            .partition(|(_, t)| matches!(t, LinkTarget::Url(_)));
        assert_eq!(urls.len(), usize::from(*path == "links.md"), "{path}");
        for (i, _) in &urls {
            let mut app = app_at(&v, path);
            keys(&mut app, &format!("{}<Enter>", "]".repeat(i + 1)));
            assert!(
                app.status().is_some_and(
                    |s| s.contains("a link out of the vault: https://help.obsidian.md")
                ),
                "{:?}",
                app.status()
            );
        }
        // Every note link shown is one of the note's (embeds too), each followed once.
        assert_eq!(spots.len(), want.len(), "{path}: {spots:?}");
        for (i, spot) in &spots {
            let i = *i;
            let LinkTarget::Wiki { note, heading, .. } = spot else {
                panic!("{path}: a URL among the note links: {spot:?}");
            };
            // The row the spot is: the note part and heading as the vault indexed them.
            let row = want
                .iter()
                .find(|w| {
                    w.2.eq_ignore_ascii_case(note.trim())
                        && w.3.map(str::to_lowercase) == heading.as_deref().map(str::to_lowercase)
                })
                .unwrap_or_else(|| panic!("{path}: no row for {note:?}#{heading:?}"));
            let mut app = app_at(&v, path);
            keys(&mut app, &format!("{}<Enter>", "]".repeat(i + 1)));
            let status = app.status().unwrap_or("").to_owned();
            match row.4 {
                To::Note(to) => {
                    assert_eq!(path_of(&app, app.selected_note()), to, "{path} link {i}");
                    if let Some(h) = row.3 {
                        let c = app.content().shown().expect("rendered");
                        let line = c
                            .rendered
                            .headings
                            .iter()
                            .find(|x| x.text.eq_ignore_ascii_case(h))
                            .unwrap_or_else(|| panic!("{to} has no heading {h}"))
                            .line;
                        // Scrolled to the heading (as far as the note goes), which shows.
                        let screen = buffer_text(&frame(&app, Styles::new(false)));
                        assert!(screen.contains(h), "{path} link {i}: {h}\n{screen}");
                        let rows = 12 - 3;
                        assert!(
                            app.content().scroll() > 0 || line < rows,
                            "{path} link {i}: {h} at {line}\n{screen}"
                        );
                        scrolled += usize::from(app.content().scroll() > 0);
                    }
                    assert!(!status.contains("no heading"), "{path} link {i}: {status}");
                }
                To::File(file) => {
                    assert_eq!(path_of(&app, app.selected_note()), *path);
                    assert!(
                        status.contains(&format!("{file} is an attachment")),
                        "{path} link {i}: {status}"
                    );
                }
                To::Nothing => {
                    assert_eq!(path_of(&app, app.selected_note()), *path);
                    assert!(
                        status.contains("no note is called"),
                        "{path} link {i}: {status}"
                    );
                }
            }
            followed += 1;
        }
    }
    assert_eq!(followed, LINKS.iter().map(|(_, w)| w.len()).sum::<usize>());
    // Every heading link scrolled to its heading: 인바운드 규칙 twice, History three times, and
    // links.md's own first heading (below the properties header).
    assert_eq!(scrolled, 6);
}

/// Note `path` as `show` renders it, at `width`, colour off (with `color`, the lines).
fn shown(v: &Vault, path: &str, width: u16, color: bool) -> vaultscope::markdown::Rendered {
    let id = v.by_path(path).unwrap();
    let body = v.read_body(id).unwrap();
    let drawings = Drawings::of_body(&body, v.notes[id].body_line);
    let view = DiagramView {
        drawings: Some(&drawings),
        ..DiagramView::default()
    };
    let r = render_note(
        v,
        id,
        &body,
        width,
        Styles::new(color),
        NOW,
        view,
        None,
        false,
    );
    assert_eq!(r.failure, None);
    for l in &r.lines {
        assert!(l.width() <= width as usize, "{path} at {width}: {l:?}");
    }
    r
}

#[test]
fn show_renders_every_note_at_40_and_100() {
    let v = vault();
    let mut paths: Vec<&str> = LINKS.iter().map(|(p, _)| *p).collect();
    paths.sort_unstable();
    for width in [40, 100] {
        let mut all = String::new();
        for path in &paths {
            let text = plain_text(&shown(&v, path, width, false).lines);
            all.push_str(&format!("=== {path} ===\n{text}\n"));
            // `show` prints the same (after the header, whose ages depend on the day).
            let o = run(&["show", path, "--width", &width.to_string()]);
            let printed = String::from_utf8(o.stdout).unwrap();
            let body = |s: &str| -> String {
                s.lines()
                    .skip_while(|l| !l.starts_with('─'))
                    .map(|l| format!("{}\n", l.trim_end()))
                    .collect()
            };
            assert_eq!(body(&printed), body(&text), "{path} at {width}");
        }
        insta::assert_snapshot!(format!("obsidian_fixture_{width}"), all);
        // No raw footnote label; the reference and the list share their marker.
        assert!(!all.contains("[^"), "{all}");
        // Sizes are never names.
        for bad in ["[embed: 300", "[embed: 400", "300x200]", "|120"] {
            assert!(!all.contains(bad), "{bad}: {all}");
        }
        assert_eq!(all.matches("[embed: diagram.png]").count(), 2, "{all}");
        // Comments never show.
        for hidden in ["hidden", "Hidden", "%%", "<!--"] {
            assert!(!all.contains(hidden), "{hidden}: {all}");
        }
        // The fence inside `<pre>` is text in a frame, and what follows it is not code.
        assert!(all.contains("│ ```\n"), "{all}");
        assert!(all.contains("\npre 다음의 #after-pre"), "{all}");
    }
}

#[test]
fn math_comes_out_byte_for_byte() {
    let v = vault();
    let source = std::fs::read_to_string(fixture().join("math.md")).unwrap();
    for width in [40, 100] {
        let text = plain_text(&shown(&v, "math.md", width, false).lines);
        let joined = text.replace('\n', " ");
        assert!(joined.contains("$a \\\\ b$"), "{text}");
        assert!(
            joined.contains("$\\frac{1}{2} \\cdot") && joined.contains("x_{i}^{2}$"),
            "{text}"
        );
        // The display block's lines as written, inside a frame.
        let start = source.find("$$\n").unwrap() + 3;
        let end = source[start..].find("$$").unwrap() + start;
        for line in source[start..end].lines() {
            assert!(text.contains(&format!("│ {line}\n")), "{line:?}: {text}");
        }
        assert!(text.contains("╭─ math "), "{text}");
    }
}

#[test]
fn the_long_callout_title_wraps_in_full() {
    let v = vault();
    let source = std::fs::read_to_string(fixture().join("reading.md")).unwrap();
    let title = source
        .lines()
        .find_map(|l| l.strip_prefix("> [!question] "))
        .unwrap();
    let letters = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for width in [40, 100] {
        let text = plain_text(&shown(&v, "reading.md", width, false).lines);
        let header: String = text
            .lines()
            .skip_while(|l| !l.starts_with("╭─ ?"))
            .take_while(|l| !l.contains("보기 중"))
            .map(|l| {
                l.trim_start_matches(['╭', '─', '?', '│', ' '])
                    .trim_end_matches(['─', ' '])
            })
            .collect();
        assert_eq!(letters(&header), letters(title), "{width}: {text}");
        if width == 40 {
            assert!(text.matches("\n│    ").count() >= 3, "{text}");
        }
    }
}

#[test]
fn mark_shows_as_a_highlight() {
    let v = vault();
    let r = shown(&v, "reading.md", 100, true);
    let highlight = Styles::new(true).get(vaultscope::style::Role::Highlight);
    let marked: String = r
        .lines
        .iter()
        .flat_map(|l| l.spans.iter())
        .filter(|s| s.style.bg.is_some() && s.style.bg == highlight.bg)
        .map(|s| s.content.to_string())
        .collect();
    assert_eq!(marked, "형광펜으로 칠한 문장");
}
