//! Parsing the configuration: every key, bad values, unknown keys, files that are missing or
//! cannot be read, themes and keys made from it.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::tui::keymap::Resolved;
use crate::tui::panes::Pane;

fn parsed(text: &str) -> Loaded {
    parse(text, Path::new("/cfg/config.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn error(text: &str) -> String {
    match parse(text, Path::new("/cfg/config.toml")).and_then(|l| l.settings().map(|_| l)) {
        Ok(_) => panic!("no error for {text:?}"),
        Err(e) => e.0,
    }
}

#[test]
fn the_default_file_parses_to_the_defaults_and_writes_every_key() {
    let loaded = parsed(&default_file());
    assert_eq!(loaded.config, Config::default());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    // Every key of the effective configuration is in the default file, with its value.
    for line in to_toml(&Config::default()).lines() {
        assert!(
            DEFAULT_FILE.contains(line),
            "{line:?} is not in the default file"
        );
    }
    // And the effective configuration reads back as itself.
    assert_eq!(
        parsed(&to_toml(&Config::default())).config,
        Config::default()
    );
}

#[test]
fn an_empty_file_is_the_defaults() {
    assert_eq!(parsed("").config, Config::default());
}

#[test]
fn every_key_is_read() {
    let loaded = parsed(
        r#"
vault = "work"
theme = "mine"
title-from = "heading"
[vaults]
work = "~/work/notes"
[study]
new-per-day = 5
reviews-per-day = 50
shuffle = false
[layout]
panes = ["list", "content"]
list-width = 30
content-width = 70
side-width = 10
diagram-height = 40
narrow-list-width = 50
[content]
highlight = false
images = "halfblocks"
[keys.list]
"ctrl-j" = "down"
[themes.mine]
extends = "light"
heading1 = "bold #ff8800"
"#,
    );
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let c = &loaded.config;
    assert_eq!(c.vault.as_deref(), Some("work"));
    assert_eq!(c.theme, "mine");
    assert_eq!(c.title_from, TitleFrom::Heading);
    assert_eq!(c.title_from.rule(), TitleRule::Heading);
    assert_eq!(c.vaults["work"], "~/work/notes");
    assert_eq!(
        c.study,
        StudyConfig {
            new_per_day: 5,
            reviews_per_day: 50,
            shuffle: false
        }
    );
    assert_eq!(
        c.layout,
        LayoutConfig {
            panes: vec![PaneName::List, PaneName::Content],
            list_width: 30,
            content_width: 70,
            side_width: 10,
            diagram_height: 40,
            narrow_list_width: 50,
        }
    );
    assert_eq!(
        c.content,
        ContentConfig {
            highlight: false,
            images: Images::Halfblocks
        }
    );
    let settings = loaded.settings().unwrap();
    assert_eq!(settings.theme.name(), "mine");
    let light = Theme::builtin("light").unwrap();
    assert_eq!(
        settings.theme.style(Role::H1),
        parse_style("bold #ff8800").unwrap()
    );
    assert_eq!(settings.theme.style(Role::H2), light.style(Role::H2));
    let ctrl_j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL);
    assert_eq!(
        settings.keymap.resolve(Context::Pane(Pane::List), &ctrl_j),
        Some(Resolved::Action(Action::Down))
    );
}

#[test]
fn unknown_keys_are_warnings_with_their_lines() {
    let loaded = parsed(
        "theme = \"dark\"\ncolour = \"red\"\n[study]\nnew-per-dya = 3\n[keys.lsit]\n\"j\" = \"up\"\n\
         [themes.t]\nheadline = \"bold\"\n[extra]\n",
    );
    let w = &loaded.warnings;
    assert_eq!(w.len(), 5, "{w:?}");
    for (key, line) in [
        ("colour", 2),
        ("study.new-per-dya", 4),
        ("keys.lsit", 5),
        ("themes.t.headline", 8),
        ("extra", 9),
    ] {
        let expected = format!("/cfg/config.toml:{line}: unknown key `{key}`");
        assert!(
            w.iter().any(|x| x.starts_with(&expected)),
            "{expected} in {w:?}"
        );
    }
    // The keys it knows still apply.
    assert_eq!(loaded.config.theme, "dark");
}

#[test]
fn bad_values_name_the_key_the_file_the_line_and_the_form() {
    for (text, key, line, form) in [
        (
            "[study]\nnew-per-day = \"x\"",
            "study.new-per-day",
            2,
            "a whole number",
        ),
        (
            "[study]\n\nreviews-per-day = -1",
            "study.reviews-per-day",
            3,
            "a whole number",
        ),
        ("[study]\nshuffle = 1", "study.shuffle", 2, "true or false"),
        ("title-from = \"h1\"", "title-from", 1, "\"heading\""),
        ("theme = 3", "theme", 1, "a theme's name"),
        ("theme = \"nope\"", "theme", 1, "a theme's name"),
        (
            "[content]\nimages = \"sixels\"",
            "content.images",
            2,
            "\"kitty\", \"sixel\", \"iterm2\" or \"off\"",
        ),
        (
            "[content]\nhighlight = \"yes\"",
            "content.highlight",
            2,
            "true or false",
        ),
        (
            "[layout]\nlist-width = 200",
            "layout.list-width",
            2,
            "a percentage",
        ),
        (
            "[layout]\npanes = [\"list\", \"tree\"]",
            "layout.panes",
            2,
            "\"diagram\"",
        ),
        ("[layout]\npanes = []", "layout.panes", 2, "\"diagram\""),
        (
            "[layout]\npanes = [\"list\", \"list\"]",
            "layout.panes",
            2,
            "\"diagram\"",
        ),
        ("vault = \"\"", "vault", 1, "a folder"),
        ("[vaults]\nwork = 3", "vaults.work", 2, "a folder"),
        (
            "[keys.list]\n\"j\" = \"dwn\"",
            "keys.list.j",
            2,
            "an action's name",
        ),
        (
            "[keys.list]\n\"j\" = 3",
            "keys.list.j",
            2,
            "an action's name",
        ),
        (
            "theme = \"t\"\n[themes.t]\ntag = \"bold blurple\"",
            "themes.t.tag",
            3,
            "a style",
        ),
        (
            "theme = \"t\"\n[themes.t]\nextends = \"drak\"",
            "themes.t.extends",
            3,
            "a built-in",
        ),
    ] {
        let e = error(text);
        let want = format!("/cfg/config.toml:{line}: bad value for `{key}`");
        assert!(e.starts_with(&want), "{text:?}: {e}");
        assert!(e.contains(form), "{text:?}: {e}");
    }
}

#[test]
fn bad_keys_clashes_and_circles_are_errors() {
    let e = error("[keys.list]\n\"hyper-j\" = \"down\"");
    assert!(
        e.starts_with("/cfg/config.toml:2: bad key in [keys.list]"),
        "{e}"
    );
    assert!(e.contains("hyper"), "{e}");
    // A key that shows as nothing (ESC) is refused: the help would write it raw.
    let e = error("[keys.global]\n\"\\u001b\" = \"quit\"");
    assert!(e.contains("bad key in [keys.global]"), "{e}");
    assert!(e.contains("U+001B") && !e.contains('\u{1b}'), "{e}");
    // Two spellings of one key in one context: both named, in the file's order.
    let e = error("[keys.list]\n\"ctrl-j\" = \"down\"\n\"<C-j>\" = \"up\"");
    assert_eq!(
        e,
        "/cfg/config.toml: \"ctrl-j\" (line 2) and \"<C-j>\" (line 3) are the same key in \
         [keys.list]"
    );
    let e = error("[keys.global]\n\"G\" = \"top\"\n\"shift-g\" = \"bottom\"");
    assert!(e.contains("\"G\" (line 2) and \"shift-g\" (line 3)"), "{e}");
    // The same key in two contexts is no clash.
    parsed("[keys.list]\n\"ctrl-j\" = \"down\"\n[keys.tags]\n\"ctrl-j\" = \"down\"")
        .settings()
        .unwrap();
    let e = error("theme = \"a\"\n[themes.a]\nextends = \"b\"\n[themes.b]\nextends = \"a\"");
    assert!(e.contains("circle"), "{e}");
    // A user theme named like a built-in one extends that one.
    let dark = parsed("theme = \"dark\"\n[themes.dark]\nextends = \"dark\"\ntag = \"red\"");
    let theme = dark.theme().unwrap();
    assert_eq!(theme.style(Role::Tag), parse_style("red").unwrap());
    assert_eq!(
        theme.style(Role::H1),
        Theme::builtin("dark").unwrap().style(Role::H1)
    );
    let e = error("x = [");
    assert!(e.starts_with("/cfg/config.toml: not valid TOML"), "{e}");
}

#[test]
fn missing_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    // Named on purpose and missing: an error.
    let missing = dir.path().join("nope.toml");
    let e = load(Some(&missing)).unwrap_err().0;
    assert!(
        e.contains("cannot read the configuration") && e.contains("nope.toml"),
        "{e}"
    );
    // A folder where the file should be cannot be read.
    let e = load(Some(dir.path())).unwrap_err().0;
    assert!(e.contains("cannot read the configuration"), "{e}");
    // Not text.
    let binary = dir.path().join("bin.toml");
    std::fs::write(&binary, b"theme = \"\xff\xfe\"").unwrap();
    let e = load(Some(&binary)).unwrap_err().0;
    assert!(e.contains("not UTF-8"), "{e}");
    // A readable one.
    let good = dir.path().join("config.toml");
    std::fs::write(&good, "theme = \"light\"\n").unwrap();
    let loaded = load(Some(&good)).unwrap();
    assert_eq!(loaded.config.theme, "light");
    assert_eq!(loaded.file(), Some(good.as_path()));
}

#[test]
fn theme_files_and_vaults_are_found_beside_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        "extends = \"high-contrast\"\ntag = \"italic red\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("work")).unwrap();
    let file = dir.path().join("config.toml");
    let loaded = parse(
        "theme = \"mine.toml\"\nvault = \"work\"\n[vaults]\nwork = \"work\"\nexam = \"/srv/exam\"",
        &file,
    )
    .unwrap();
    let theme = loaded.theme().unwrap();
    assert_eq!(theme.style(Role::Tag), parse_style("italic red").unwrap());
    assert_eq!(
        theme.style(Role::H1),
        Theme::builtin("high-contrast").unwrap().style(Role::H1)
    );
    // A name from [vaults] (a relative folder is beside the file); a folder that exists wins.
    assert_eq!(loaded.vault_dir(None), dir.path().join("work"));
    assert_eq!(
        loaded.vault_dir(Some(Path::new("exam"))),
        Path::new("/srv/exam")
    );
    let here = dir.path().join("work");
    assert_eq!(loaded.vault_dir(Some(&here)), here);
    assert_eq!(
        loaded.vault_dir(Some(Path::new("/no/such/folder"))),
        Path::new("/no/such/folder")
    );
    // A bad theme file is an error naming it.
    std::fs::write(dir.path().join("bad.toml"), "tag = \"blurple\"\n").unwrap();
    let bad = parse("theme = \"bad.toml\"", &file).unwrap();
    let e = bad.theme().unwrap_err().0;
    assert!(e.contains("bad.toml") && e.contains("`tag`"), "{e}");
}

#[test]
fn remaps_unbind_and_carry_the_hint() {
    let loaded = parsed(
        "[keys.global]\n\"q\" = \"none\"\n\"ctrl-q\" = \"quit\"\n[keys.list]\n\"j\" = \"none\"\n",
    );
    let keymap = loaded.keymap().unwrap();
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    let list = Context::Pane(Pane::List);
    assert_eq!(keymap.resolve(list, &key('q')), None);
    assert_eq!(
        keymap.resolve(list, &ctrl('q')),
        Some(Resolved::Action(Action::Quit))
    );
    // Unbound in the list, j does not fall back to the global "down"; elsewhere it still does.
    assert_eq!(keymap.resolve(list, &key('j')), None);
    assert_eq!(
        keymap.resolve(Context::Pane(Pane::Tags), &key('j')),
        Some(Resolved::Action(Action::Down))
    );
    // The status hint of quitting moved to the new key.
    let hint: Vec<_> = keymap
        .bindings()
        .filter(|(b, a)| *a == Action::Quit && b.context == Context::Global && b.hint.is_some())
        .map(|(b, _)| b.key)
        .collect();
    assert_eq!(hint, [ctrl('q')]);
}

#[test]
fn every_picture_mode_is_read() {
    for (written, mode) in [
        ("auto", Images::Auto),
        ("halfblocks", Images::Halfblocks),
        ("kitty", Images::Kitty),
        ("sixel", Images::Sixel),
        ("iterm2", Images::Iterm2),
        ("off", Images::Off),
    ] {
        let loaded = parsed(&format!("[content]\nimages = \"{written}\""));
        assert_eq!(loaded.config.content.images, mode, "{written}");
        assert_eq!(mode.shows(), written != "off");
    }
}
