//! Code highlighting through the real `App` on a test backend: a Rust, a Python, a YAML and a
//! JSON block drawn in the content pane with their colours (snapshots of the styled buffer),
//! `NO_COLOR`'s plain picture, the setting that turns it off, and the fallbacks of a note too
//! large to highlight.

use std::path::Path;

use ratatui::buffer::Buffer;
use ratatui::style::Color;
use vaultscope::markdown::highlight::Budget;
use vaultscope::style::Styles;
use vaultscope::tui::app::App;
use vaultscope::tui::keymap::parse_keys;
use vaultscope::tui::{Display, buffer_text, frame, settle, type_keys};
use vaultscope::vault::Vault;

const NOW: i64 = 1_795_996_800;

fn fixture() -> Vault {
    Vault::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/code-images"))
        .expect("fixture vault")
}

/// The screen after opening `query` and zooming the content pane, with colour and
/// highlighting as given.
fn opened(vault: Vault, (w, h): (u16, u16), query: &str, color: bool, highlight: bool) -> Buffer {
    let mut app = App::new(vault, (w, h));
    app.set_color(color);
    app.set_now(NOW);
    app.set_display(Display {
        highlight,
        budget: Budget::untimed(),
        ..Display::default()
    });
    settle(&mut app);
    type_keys(
        &mut app,
        &parse_keys(&format!("/{query}<Enter>2z")).unwrap(),
    );
    frame(&app, Styles::new(color))
}

/// Each row as text, and under it the runs drawn in a colour (`Magenta "fn"`), so a snapshot
/// shows what is coloured how.
fn styled_rows(buf: &Buffer) -> String {
    let mut out = String::new();
    let text = buffer_text(buf);
    for (y, row) in text.lines().enumerate() {
        out.push_str(row);
        out.push('\n');
        let mut runs: Vec<(Color, String)> = Vec::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buf[(x, y as u16)];
            skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
            let fg = cell.fg;
            match runs.last_mut() {
                Some((c, t)) if *c == fg => t.push_str(cell.symbol()),
                _ => runs.push((fg, cell.symbol().to_owned())),
            }
        }
        let coloured: Vec<String> = runs
            .into_iter()
            .filter(|(c, t)| *c != Color::Reset && !t.trim().is_empty())
            .map(|(c, t)| format!("{c:?} {:?}", t.trim()))
            .collect();
        if !coloured.is_empty() {
            out.push_str(&format!("    = {}\n", coloured.join(" · ")));
        }
    }
    out
}

/// The foreground colours of the cells showing `word` on the screen (the first place it is).
fn colour_of(buf: &Buffer, word: &str) -> Option<Color> {
    let text = buffer_text(buf);
    for (y, row) in text.lines().enumerate() {
        if let Some(at) = row.find(word) {
            let x = unicode_width::UnicodeWidthStr::width(&row[..at]) as u16;
            return Some(buf[(x, y as u16)].fg);
        }
    }
    None
}

#[test]
fn rust_python_yaml_and_json_blocks_are_highlighted_in_the_theme_colours() {
    for (query, name) in [
        ("rust", "highlight_rust_80x24"),
        ("python", "highlight_python_80x24"),
        ("yaml", "highlight_yaml_80x24"),
        ("json", "highlight_json_80x24"),
    ] {
        let buf = opened(fixture(), (80, 24), query, true, true);
        insta::assert_snapshot!(name, styled_rows(&buf));
    }
    use vaultscope::style::Syntax;
    let styles = Styles::new(true);
    let role = |s: Syntax| styles.get(s.role()).fg.unwrap_or(Color::Reset);
    let rust = opened(fixture(), (80, 24), "rust", true, true);
    assert_eq!(colour_of(&rust, "pub fn"), Some(role(Syntax::Keyword)));
    assert_eq!(colour_of(&rust, "count("), Some(role(Syntax::Function)));
    assert_eq!(colour_of(&rust, "/// Counts"), Some(role(Syntax::Comment)));
    let py = opened(fixture(), (80, 24), "python", true, true);
    assert_eq!(colour_of(&py, "def"), Some(role(Syntax::Keyword)));
    assert_eq!(colour_of(&py, "# 하위"), Some(role(Syntax::Comment)));
    let json = opened(fixture(), (80, 24), "json", true, true);
    assert_eq!(colour_of(&json, "1.5"), Some(role(Syntax::Number)));
    assert_eq!(colour_of(&json, "true"), Some(role(Syntax::Constant)));
}

#[test]
fn no_colour_or_the_setting_off_draws_code_plain() {
    let code = Styles::new(true).get(vaultscope::style::Role::Code).fg;
    for (color, highlight) in [(true, false), (false, true)] {
        let buf = opened(fixture(), (80, 24), "rust", color, highlight);
        let want = if color { code } else { None };
        // Every character of the block is in the code role's one colour (none without
        // colour): keywords, comments and strings alike.
        for word in ["pub fn", "count(", "/// Counts", "HashMap::new"] {
            assert_eq!(
                colour_of(&buf, word),
                Some(want.unwrap_or(Color::Reset)),
                "{word} {color} {highlight}"
            );
        }
    }
    // The same code either way.
    let code_rows = |b: &Buffer| -> Vec<String> {
        buffer_text(b)
            .lines()
            .filter(|l| l.starts_with("││"))
            .map(str::to_owned)
            .collect()
    };
    let on = code_rows(&opened(fixture(), (80, 24), "rust", true, true));
    let off = code_rows(&opened(fixture(), (80, 24), "rust", false, true));
    assert_eq!(on.len(), 10);
    assert_eq!(on, off);
}

#[test]
fn a_block_too_large_and_a_note_of_many_blocks_fall_back_to_plain_text_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    // A 1 MB block.
    let line = "let value = \"0123456789abcdef0123456789abcdef\"; // comment\n";
    let big = format!(
        "# big\n\n```rust\n{}```\n",
        line.repeat(1024 * 1024 / line.len() + 1)
    );
    std::fs::write(dir.path().join("big.md"), big).unwrap();
    // 10,000 blocks: the first are highlighted, those past the note's budget plain.
    let many: String = (0..10_000)
        .map(|i| format!("```python\nx{i} = {i}  # n\n```\n\n"))
        .collect();
    std::fs::write(dir.path().join("many.md"), format!("# many\n\n{many}")).unwrap();
    let vault = Vault::load(dir.path()).unwrap();
    let big = opened(vault.clone(), (80, 24), "big", true, true);
    let text = buffer_text(&big);
    assert!(text.contains("╭─ rust · plain: too large ─"), "{text}");
    assert_eq!(
        colour_of(&big, "let value"),
        Styles::new(true).get(vaultscope::style::Role::Code).fg
    );
    // The start of the note is highlighted, its end (past the budget of lines: 200 here, to
    // keep a debug build quick) plain.
    let mut app = App::new(vault, (80, 24));
    app.set_color(true);
    app.set_display(Display {
        budget: Budget {
            note_lines: 200,
            ..Budget::untimed()
        },
        ..Display::default()
    });
    settle(&mut app);
    type_keys(&mut app, &parse_keys("/many<Enter>2z").unwrap());
    let start = frame(&app, Styles::new(true));
    assert!(buffer_text(&start).contains("╭─ python ─"));
    assert_eq!(colour_of(&start, "# n"), Some(Color::DarkGray));
    type_keys(&mut app, &parse_keys("G").unwrap());
    let end = frame(&app, Styles::new(true));
    let text = buffer_text(&end);
    assert!(
        text.contains("╭─ python · plain: note too long ─"),
        "{text}"
    );
    assert_eq!(
        colour_of(&end, "# n"),
        Styles::new(true).get(vaultscope::style::Role::Code).fg
    );
}
