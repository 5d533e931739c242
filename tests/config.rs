//! A configuration through the real explorer and the binary: remapped keys change what keys do
//! and what the help and the hints show; a theme changes the styles of the drawn screen and
//! `NO_COLOR` overrides it; the subcommands `config`, `completions`, `man`, and `--version`.

use std::path::{Path, PathBuf};
use std::process::Command;

use ratatui::buffer::Buffer;
use vaultscope::config::parse;
use vaultscope::style::Styles;
use vaultscope::tui::keymap::parse_keys;
use vaultscope::tui::{Settings, buffer_text, snapshot_with};
use vaultscope::vault::Vault;

/// 2026-11-30 00:00 UTC, so the screens' relative dates stay put.
const NOW: i64 = 1_795_996_800;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config-vault")
}

fn vault() -> Vault {
    Vault::load(&fixture()).expect("fixture vault")
}

/// The settings a configuration text makes.
fn settings(text: &str) -> (Settings, Styles) {
    let loaded = parse(text, Path::new("/cfg/config.toml")).unwrap_or_else(|e| panic!("{e}"));
    let s = loaded.settings().unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings {
        theme: s.theme,
        keymap: s.keymap,
        layout: loaded.config.layout.clone(),
        display: vaultscope::tui::Display::configured(&loaded.config.content),
        warnings: loaded.warnings.clone(),
    };
    let styles = Styles::themed(true, settings.theme);
    (settings, styles)
}

fn screen(config: &str, size: (u16, u16), keys: &str, color: bool) -> Buffer {
    let (settings, styles) = settings(config);
    let styles = Styles::themed(color, styles.theme());
    snapshot_with(
        vault(),
        size,
        &parse_keys(keys).unwrap(),
        (styles, &settings),
        NOW,
    )
    .unwrap()
}

fn text(config: &str, size: (u16, u16), keys: &str) -> String {
    buffer_text(&screen(config, size, keys, false))
}

const REMAP: &str = r#"
[keys.global]
"?" = "none"
"ctrl-h" = "toggle-help"
[keys.list]
"ctrl-j" = "down"
"j" = "none"
"#;

#[test]
fn a_remap_changes_what_keys_do() {
    let plain = text("", (100, 30), "");
    // `?` is unbound: nothing opens. Ctrl-H opens the help.
    assert_eq!(text(REMAP, (100, 30), "?"), text(REMAP, (100, 30), ""));
    let help = text(REMAP, (100, 30), "<C-h>");
    assert!(help.contains("Keys ·"), "{help}");
    // Ctrl-J moves down the list as j did; j no longer does.
    let by_j = text("", (100, 30), "j");
    assert_ne!(by_j, plain);
    assert_eq!(
        text(REMAP, (100, 30), "<C-j>").replace("C-h help", "? help"),
        by_j
    );
    assert_eq!(text(REMAP, (100, 30), "j"), text(REMAP, (100, 30), ""));
}

#[test]
fn the_help_and_the_hints_show_the_users_keys() {
    let help = text(REMAP, (100, 40), "<C-h>");
    let help_row = help
        .lines()
        .find(|l| l.contains(" help ") || l.trim_end().ends_with(" help"))
        .unwrap_or_else(|| panic!("no help row in\n{help}"));
    assert!(help_row.contains("C-h"), "{help_row}");
    assert!(!help_row.contains('?'), "{help_row}");
    let down = help
        .lines()
        .find(|l| l.contains("C-j"))
        .unwrap_or_else(|| panic!("no C-j in\n{help}"));
    assert!(down.contains("down"), "{down}");
    // The status bar's hint of the help key follows it.
    let start = text(REMAP, (100, 30), "");
    let status = start.lines().last().unwrap();
    assert!(status.contains("C-h help"), "{status}");
    assert!(!status.contains("? help"), "{status}");
    let default = text("", (100, 30), "");
    assert!(default.lines().last().unwrap().contains("? help"));
    insta::assert_snapshot!("config_remapped_help_100x40", help);
}

/// The screen as text with each run of styled cells marked with its style: what a theme
/// changes, in a form a review can read.
fn styled(buf: &Buffer) -> String {
    let mut out = String::new();
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut runs: Vec<(String, String)> = Vec::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            let cell = &buf[(x, y)];
            if skip > 0 {
                skip -= 1;
                continue;
            }
            skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
            // The terminal's own colours (`reset`) are no colour.
            let mut style = cell.style();
            style.fg = style.fg.filter(|c| *c != ratatui::style::Color::Reset);
            style.bg = style.bg.filter(|c| *c != ratatui::style::Color::Reset);
            style.underline_color = None;
            let look = vaultscope::style::style_text(style);
            match runs.last_mut() {
                Some((l, s)) if *l == look => s.push_str(cell.symbol()),
                _ => runs.push((look, cell.symbol().to_owned())),
            }
        }
        let line: Vec<String> = runs
            .into_iter()
            .filter(|(look, s)| look != "default" && !s.trim().is_empty())
            .map(|(look, s)| format!("{{{look}}}{}", s.trim_end()))
            .collect();
        if !line.is_empty() {
            out.push_str(&format!("{y:2} {}\n", line.join(" ")));
        }
    }
    out
}

#[test]
fn a_theme_changes_the_styles_of_the_screen() {
    // The Korean note, shown in the content pane.
    let keys = "j";
    let terminal = screen("", (100, 24), keys, true);
    let light = screen("theme = \"light\"", (100, 24), keys, true);
    // The same text, in other styles.
    assert_eq!(buffer_text(&terminal), buffer_text(&light));
    assert_ne!(styled(&terminal), styled(&light));
    let light_styles = styled(&light);
    // The light theme's heading and wikilink colours are on the screen.
    assert!(
        light_styles.contains("{bold #d73a49}보안 Security 🔒"),
        "{light_styles}"
    );
    assert!(
        light_styles.contains("{underline #22863a}Network"),
        "{light_styles}"
    );
    // A user theme on top of it changes one role only.
    let mine = screen(
        "theme = \"mine\"\n[themes.mine]\nextends = \"light\"\nheading1 = \"bold italic #ff8800\"",
        (100, 24),
        keys,
        true,
    );
    let mine_styles = styled(&mine);
    assert!(
        mine_styles.contains("{bold italic #ff8800}보안 Security 🔒"),
        "{mine_styles}"
    );
    assert_eq!(
        mine_styles.replace("bold italic #ff8800", "bold #d73a49"),
        light_styles
    );
    insta::assert_snapshot!("config_light_theme_100x24", light_styles);
}

#[test]
fn without_colour_every_theme_draws_alike() {
    let keys = "j";
    let plain = styled(&screen("", (100, 24), keys, false));
    for theme in ["light", "dark", "high-contrast"] {
        let themed = styled(&screen(
            &format!("theme = \"{theme}\""),
            (100, 24),
            keys,
            false,
        ));
        assert_eq!(themed, plain, "{theme}");
    }
    // No style names a colour.
    let looks: Vec<&str> = plain
        .split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .collect();
    assert!(!looks.is_empty());
    assert!(looks.iter().all(|l| !l.contains('#')), "{looks:?}");
}

// The binary.

fn vaultscope(config_home: &Path, args: &[&str], env: &[(&str, &str)]) -> (String, String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vaultscope"));
    cmd.args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .env("HOME", config_home)
        .env_remove("VAULTSCOPE_CONFIG")
        .env_remove("VAULTSCOPE_VAULT")
        .env_remove("NO_COLOR")
        .env("VAULTSCOPE_NO_CACHE", "1")
        .current_dir(config_home);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run vaultscope");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn write_config(home: &Path, text: &str) {
    std::fs::create_dir_all(home.join("vaultscope")).unwrap();
    std::fs::write(home.join("vaultscope/config.toml"), text).unwrap();
}

#[test]
fn config_prints_the_defaults_without_a_file_and_the_file_with_one() {
    let home = tempfile::tempdir().unwrap();
    let (out, err, code) = vaultscope(home.path(), &["config"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# No configuration file at "), "{out}");
    assert!(out.contains("theme = \"terminal\"") && out.contains("new-per-day = 20"));
    write_config(
        home.path(),
        "theme = \"light\"\nextra = 1\n[study]\nnew-per-day = 7\n",
    );
    let (out, err, code) = vaultscope(home.path(), &["config", "--new-per-day", "9"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("theme = \"light\""), "{out}");
    // The flag wins over the file.
    assert!(out.contains("new-per-day = 9"), "{out}");
    assert!(err.contains("config.toml:2: unknown key `extra`"), "{err}");
    let (out, _, _) = vaultscope(home.path(), &["config", "--json"], &[]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["config"]["study"]["new-per-day"], 7);
    assert_eq!(v["config"]["theme"], "light");
    assert_eq!(v["warnings"].as_array().unwrap().len(), 1);
    // A bad value stops every command but the ones that need no configuration.
    write_config(home.path(), "[study]\nshuffle = \"sometimes\"\n");
    let (_, err, code) = vaultscope(home.path(), &["list"], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("config.toml:2: bad value for `study.shuffle`"),
        "{err}"
    );
    let (out, _, code) = vaultscope(home.path(), &["config", "--default"], &[]);
    assert_eq!(code, 0);
    assert!(out.contains("[keys]") && out.contains("# Actions:"));
    // --config names another file, which must exist.
    let other = home.path().join("other.toml");
    std::fs::write(&other, "theme = \"dark\"\n").unwrap();
    let (out, err, code) = vaultscope(
        home.path(),
        &["config", "--config", other.to_str().unwrap()],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("theme = \"dark\""));
    let (out, _, code) = vaultscope(
        home.path(),
        &["config"],
        &[("VAULTSCOPE_CONFIG", other.to_str().unwrap())],
    );
    assert_eq!(code, 0);
    assert!(out.contains("theme = \"dark\""));
    // Empty, it is unset: the usual file is read (the broken one above).
    let (_, err, code) = vaultscope(home.path(), &["config"], &[("VAULTSCOPE_CONFIG", "")]);
    assert_eq!(code, 2);
    assert!(err.contains("`study.shuffle`"), "{err}");
    let (_, err, code) = vaultscope(
        home.path(),
        &["config"],
        &[("VAULTSCOPE_CONFIG", "/no/such/config.toml")],
    );
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/config.toml"), "{err}");
}

#[test]
fn a_vault_by_name_and_the_title_rule_from_the_file() {
    let home = tempfile::tempdir().unwrap();
    write_config(
        home.path(),
        &format!(
            "title-from = \"heading\"\n[vaults]\nexam = {:?}\n",
            fixture().display().to_string()
        ),
    );
    let (out, err, code) = vaultscope(home.path(), &["--vault", "exam", "list"], &[]);
    assert_eq!(code, 0, "{err}");
    // Titles from the first heading, as the file says.
    assert!(out.contains("보안 Security 🔒"), "{out}");
    // The flag wins over the file.
    let (out, _, _) = vaultscope(
        home.path(),
        &["--vault", "exam", "--title-from", "file-name", "list"],
        &[],
    );
    assert!(
        !out.contains("🔒") && out.contains("보안 Security"),
        "{out}"
    );
    // A folder of that name wins over the name.
    std::fs::create_dir(home.path().join("exam")).unwrap();
    std::fs::write(home.path().join("exam/Only here.md"), "# Only here\n").unwrap();
    let (out, _, _) = vaultscope(home.path(), &["--vault", "exam", "list"], &[]);
    assert!(
        out.contains("Only here") && !out.contains("Network"),
        "{out}"
    );
}

#[test]
fn no_color_wins_over_the_theme_in_a_picture() {
    let home = tempfile::tempdir().unwrap();
    write_config(home.path(), "theme = \"light\"\n");
    let vault = fixture();
    let args = [
        "--vault",
        vault.to_str().unwrap(),
        "snapshot",
        "--svg",
        "--keys",
        "j",
    ];
    let (light, _, _) = vaultscope(home.path(), &args, &[]);
    assert!(
        light.contains("#d73a49"),
        "the light theme's heading colour"
    );
    let (plain, _, _) = vaultscope(home.path(), &args, &[("NO_COLOR", "1")]);
    assert!(!plain.contains("#d73a49"));
    write_config(home.path(), "");
    let (default_plain, _, _) = vaultscope(home.path(), &args, &[("NO_COLOR", "1")]);
    assert_eq!(plain, default_plain);
}

#[test]
fn version_completions_and_man_page() {
    let home = tempfile::tempdir().unwrap();
    // Even a broken configuration does not stop these.
    write_config(home.path(), "theme = [\n");
    let (out, _, code) = vaultscope(home.path(), &["--version"], &[]);
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        format!("vaultscope {}", env!("CARGO_PKG_VERSION"))
    );
    for (shell, mark) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef vaultscope"),
        ("fish", "complete -c vaultscope"),
    ] {
        let (out, err, code) = vaultscope(home.path(), &["completions", shell], &[]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(mark), "{shell}: {out}");
        assert!(out.contains("snapshot") && out.contains("vault"), "{shell}");
    }
    let (out, err, code) = vaultscope(home.path(), &["man"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(".TH vaultscope") && out.contains("\\-\\-vault"),
        "{out}"
    );
    let (_, err, code) = vaultscope(home.path(), &["list"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("not valid TOML"), "{err}");
}

#[test]
fn the_layout_chooses_the_panes_and_their_widths() {
    let two = "[layout]\npanes = [\"list\", \"content\"]\nlist-width = 50\ncontent-width = 50";
    let wide = text(two, (200, 50), "");
    let top = wide.lines().next().unwrap();
    assert!(
        !wide.contains("Diagram") && !wide.contains("Tags ("),
        "{top}"
    );
    // Half and half: the content pane's border starts in the middle.
    let content_at = top.find("┐┌").map(|b| top[..b].chars().count() + 1);
    assert_eq!(content_at, Some(100), "{top}");
    // A pane left out takes no focus, and the status bar says why.
    let after = text(two, (200, 50), "3");
    assert!(after.contains("the diagram pane is off"), "{after}");
    assert_eq!(
        after.lines().next(),
        wide.lines().next(),
        "the screen is as it was"
    );
    // Tab goes round the panes shown: list, content, list.
    assert_eq!(text(two, (200, 50), "<Tab><Tab>"), wide);
    // The default shows all four.
    let all = text("", (200, 50), "");
    assert!(all.contains("3 Diagram") && all.contains("4 Tags"), "{all}");
    // Without the list, a narrow screen gives the focused pane all of it.
    let no_list = text("[layout]\npanes = [\"content\", \"tags\"]", (100, 30), "");
    assert!(!no_list.contains("Notes 2/2"), "{no_list}");
    assert!(
        no_list.lines().next().unwrap().starts_with("┌ 2 "),
        "{no_list}"
    );
}

#[test]
fn the_explorer_says_the_configurations_warnings_at_the_start() {
    let start = text("colour = \"red\"\n[study]\nnew-per-dya = 3", (120, 30), "");
    let status = start.lines().last().unwrap();
    assert!(
        status.contains("config.toml:1: unknown key `colour`"),
        "{status}"
    );
    assert!(
        status.contains("(and 1 more: `vaultscope config`)") || status.ends_with('…'),
        "{status}"
    );
    // The next key clears it.
    let after = text("colour = \"red\"", (100, 30), "j");
    assert!(!after.contains("unknown key"), "{after}");
}

#[test]
fn the_help_lists_only_what_works() {
    // `q` unbound in the list pane: it still quits elsewhere, and the help says where not.
    let unbound = "[keys.list]\n\"q\" = \"none\"";
    let help = text(unbound, (100, 40), "?");
    let quit = help
        .lines()
        .find(|l| l.contains(" quit"))
        .unwrap_or_else(|| panic!("no quit row in\n{help}"));
    assert!(quit.contains("(not in List)"), "{quit}");
    // The default: no such note.
    let default = text("", (100, 40), "?");
    let quit = default.lines().find(|l| l.contains(" quit")).unwrap();
    assert!(!quit.contains("not in"), "{quit}");
    // In the list pane the status bar does not offer `q quit`; in the content pane it does.
    let list = text(unbound, (100, 40), "");
    assert!(!list.lines().last().unwrap().contains("q quit"), "{list}");
    let list = text("", (100, 40), "");
    assert!(list.lines().last().unwrap().contains("q quit"), "{list}");
    let content = text(unbound, (100, 40), "2");
    assert!(
        content.lines().last().unwrap().contains("q quit"),
        "{content}"
    );
    // And `q` in the list pane does nothing (the screen is still there).
    assert!(text(unbound, (100, 40), "q").contains("Notes"));

    // Panes turned off: their focus keys and their own keys are not listed.
    let two = "[layout]\npanes = [\"list\", \"content\"]";
    let help = text(two, (200, 50), "?");
    assert!(
        !help.contains("(Diagram)") && !help.contains("(Tags)"),
        "{help}"
    );
    assert!(
        !help.contains("focus diagram") && !help.contains("focus tags"),
        "{help}"
    );
    assert!(help.contains("(Content)"), "{help}");
    // (Two screens of it: the first page and the last.)
    let all = text("", (200, 50), "?") + &text("", (200, 50), "?G");
    assert!(all.contains("(Diagram)") && all.contains("(Tags)"), "{all}");
    assert!(
        all.contains("focus diagram") && all.contains("focus tags"),
        "{all}"
    );
}

#[test]
fn a_note_opened_from_the_map_names_the_users_key_back_to_it() {
    const BACK: &str = r#"
[keys.global]
"esc" = "none"
"ctrl-b" = "map-return"
"#;
    let starter = || Vault::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("notes")).unwrap();
    let run = |config: &str, keys: &str| {
        let (settings, styles) = settings(config);
        let keys = parse_keys(keys).unwrap();
        buffer_text(&snapshot_with(starter(), (120, 40), &keys, (styles, &settings), NOW).unwrap())
    };
    // The seed, the map focused on PrivateLink, an edge chosen, its note opened.
    let open = "/vpcsm<Enter>Mfprivatelink<Enter><Enter>l]<Enter>";
    let default = run("", open);
    assert!(default.contains("· Esc map ·"), "{default}");
    let opened = run(BACK, open);
    assert!(opened.contains("· C-b map ·"), "{opened}");
    assert!(!opened.contains("Esc"), "{opened}");
    let status = opened.lines().last().unwrap();
    assert!(status.contains(" · C-b back to the map · "), "{status}");
    assert!(
        opened.contains("the edge chosen on the map: PrivateLink → "),
        "{opened}"
    );
    // The key named is the key that goes back.
    let back = run(BACK, &format!("{open}<C-b>"));
    assert!(
        back.lines().next().unwrap().contains("focus PrivateLink"),
        "{back}"
    );
    // With no key for it, no key is named.
    let none = run("[keys.global]\n\"esc\" = \"none\"\n", open);
    assert!(
        !none.contains("back to the map") && !none.contains(" map ·"),
        "{none}"
    );
}
