//! Embedded pictures through the real `App` on a test backend, in half-block mode: a small PNG
//! made here drawn under its placeholder in its colours, at the embed's width; found by file
//! name anywhere in the vault, never outside it nor through a symlink; and hostile files (a
//! truncated PNG, a decompression bomb, a header of 20,000 × 20,000, a `.png` that is text)
//! each leaving a notice and no panic.

use std::path::Path;

use image::{Rgba, RgbaImage};
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use vaultscope::images::Mode;
use vaultscope::markdown::highlight::Budget;
use vaultscope::style::Styles;
use vaultscope::tui::app::App;
use vaultscope::tui::keymap::parse_keys;
use vaultscope::tui::{Display, buffer_text, frame, settle, type_keys};
use vaultscope::vault::Vault;

const RED: Color = Color::Rgb(255, 0, 0);
const BLUE: Color = Color::Rgb(0, 0, 255);

/// A PNG `w`×`h`, its left half red and its right half blue.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            Rgba([255, 0, 0, 255])
        } else {
            Rgba([0, 0, 255, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A PNG chunk with its length and CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    out
}

/// A well-formed PNG header that says `w`×`h` RGBA, with a few bytes of pixels.
fn header_only(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A vault of `diagram.png` (200 × 80 px, red then blue) and `arch.md` embedding it, then
/// "After it." and `more`.
fn arch_vault(more: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "diagram.png", png(200, 80));
    write(
        dir.path(),
        "arch.md",
        format!("# Arch\n\n![[diagram.png]]\n\nAfter it.\n{more}"),
    );
    dir
}

/// A sixel terminal's answers: device attributes with 4, 10 × 20 px cells, the status report.
const SIXEL_TERMINAL: &[u8] = b"\x1b[?62;4;22c\x1b[6;20;10t\x1b[0n";

/// The explorer on the vault in `dir`, `size` cells, pictures in `mode`, highlighting on.
fn app_on(dir: &Path, size: (u16, u16), mode: Mode, color: bool) -> App {
    let mut app = App::new(Vault::load(dir).unwrap(), size);
    app.set_color(color);
    app.set_display(Display {
        highlight: true,
        budget: Budget::untimed(),
        images: mode,
    });
    app
}

/// The screen after opening `query`, zoomed, with colour, in `mode`.
fn opened(dir: &Path, size: (u16, u16), query: &str, mode: Mode, color: bool) -> Buffer {
    let mut app = app_on(dir, size, mode, color);
    settle(&mut app);
    type_keys(
        &mut app,
        &parse_keys(&format!("/{query}<Enter>2z")).unwrap(),
    );
    frame(&app, Styles::new(color))
}

/// The half-block cells on the screen: (row, column, upper colour, lower colour).
fn blocks(buf: &Buffer) -> Vec<(u16, u16, Color, Color)> {
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            if c.symbol() == "▀" {
                out.push((y, x, c.fg, c.bg));
            }
        }
    }
    out
}

fn row_of(buf: &Buffer, text: &str) -> Option<u16> {
    buffer_text(buf)
        .lines()
        .position(|l| l.contains(text))
        .map(|y| y as u16)
}

#[test]
fn a_small_png_is_drawn_in_half_blocks_under_its_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    // 200 × 80 px: 20 columns at 10 px a column, 4 rows (two pixels a cell, twice as tall).
    write(dir.path(), "attachments/diagram.png", png(200, 80));
    write(
        dir.path(),
        "arch.md",
        "# Arch\n\nThe picture, found by its name:\n\n![[diagram.png]]\n\nAfter it.\n",
    );
    let buf = opened(dir.path(), (80, 24), "arch", Mode::Halfblocks, true);
    let text = buffer_text(&buf);
    let placeholder = row_of(&buf, "[embed: diagram.png]").expect(&text);
    let cells = blocks(&buf);
    assert_eq!(cells.len(), 20 * 4, "{text}");
    // Right under the placeholder, four rows, left half red and right half blue.
    let rows: std::collections::BTreeSet<u16> = cells.iter().map(|c| c.0).collect();
    assert_eq!(
        rows.into_iter().collect::<Vec<_>>(),
        (placeholder + 1..placeholder + 5).collect::<Vec<_>>()
    );
    let left = cells.iter().map(|c| c.1).min().unwrap();
    for &(_, x, fg, bg) in &cells {
        // The two columns at the seam are scaled from both halves.
        match x - left {
            9 | 10 => {
                assert!(matches!(fg, Color::Rgb(r, 0, b) if u16::from(r) + u16::from(b) >= 250))
            }
            c => {
                let want = if c < 10 { RED } else { BLUE };
                assert_eq!((fg, bg), (want, want), "column {x}");
            }
        }
    }
    // The text after it follows the picture.
    assert!(
        row_of(&buf, "After it.").unwrap() > placeholder + 4,
        "{text}"
    );
}

#[test]
fn the_embed_width_and_the_pane_width_scale_the_picture() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "wide.png", png(1000, 100));
    write(dir.path(), "sized.md", "# Sized\n\n![[wide.png|300]]\n");
    write(
        dir.path(),
        "markdown.md",
        "# Markdown\n\n![a wide one](wide.png)\n",
    );
    write(dir.path(), "boxed.md", "# Boxed\n\n![[wide.png|500x40]]\n");
    // `|300`: 30 columns, the aspect kept (100 px of 1000 at 30 columns: 3 px, 2 rows).
    let sized = blocks(&opened(
        dir.path(),
        (80, 24),
        "sized",
        Mode::Halfblocks,
        true,
    ));
    assert_eq!(sized.len(), 30 * 2);
    // 1000 px is wider than the pane: as wide as the pane's text (78 columns) allows.
    let buf = opened(dir.path(), (80, 24), "markdown", Mode::Halfblocks, true);
    let cells = blocks(&buf);
    let cols: std::collections::BTreeSet<u16> = cells.iter().map(|c| c.1).collect();
    assert_eq!(cols.len(), 78, "{}", buffer_text(&buf));
    assert!(buffer_text(&buf).contains("[image: a wide one] (wide.png)"));
    // `|500x40`: at most 40 px tall (two rows), narrower to keep the aspect.
    let boxed = blocks(&opened(
        dir.path(),
        (80, 24),
        "boxed",
        Mode::Halfblocks,
        true,
    ));
    let rows: std::collections::BTreeSet<u16> = boxed.iter().map(|c| c.0).collect();
    assert_eq!(rows.len(), 2);
    assert!(boxed.len() < 50 * 2);
}

#[test]
fn off_no_colour_and_show_keep_the_placeholder_only() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.png", png(40, 20));
    write(dir.path(), "n.md", "# N\n\n![[p.png]]\n");
    for (mode, color) in [(Mode::Off, true), (Mode::Halfblocks, false)] {
        let buf = opened(dir.path(), (80, 24), "n", mode, color);
        assert!(blocks(&buf).is_empty(), "{mode:?} {color}");
        assert!(buffer_text(&buf).contains("[embed: p.png]"));
    }
    assert!(!blocks(&opened(dir.path(), (80, 24), "n", Mode::Auto, true)).is_empty());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .args(["--color", "always", "--no-cache", "--vault"])
        .arg(dir.path())
        .args(["show", "n", "--width", "60"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[embed: p.png]"), "{text}");
    assert!(!text.contains('▀'), "{text}");
}

#[test]
fn nothing_outside_the_vault_is_shown() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.png", png(40, 20));
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    std::fs::create_dir(&vault).unwrap();
    let rel = format!(
        "../{}/secret.png",
        outside.path().file_name().unwrap().to_string_lossy()
    );
    let abs = outside.path().join("secret.png");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&abs, vault.join("linked.png")).unwrap();
    write(
        &vault,
        "n.md",
        format!(
            "# N\n\n![up]({rel})\n\n![abs]({})\n\n![[linked.png]]\n\n![[secret.png]]\n",
            abs.display()
        ),
    );
    let buf = opened(&vault, (100, 30), "n", Mode::Halfblocks, true);
    assert!(blocks(&buf).is_empty(), "{}", buffer_text(&buf));
}

#[test]
fn hostile_pictures_leave_a_notice_and_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let good = png(64, 64);
    write(dir.path(), "truncated.png", &good[..good.len() / 2]);
    write(dir.path(), "huge.png", header_only(20_000, 20_000));
    // A decompression bomb: 17 megapixels of one grey, a few KB in the file.
    let bomb = image::GrayImage::from_pixel(4200, 4200, image::Luma([7]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    bomb.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    let bomb = bytes.into_inner();
    assert!(bomb.len() < 200 * 1024, "{}", bomb.len());
    write(dir.path(), "bomb.png", &bomb);
    write(
        dir.path(),
        "text.png",
        b"# this is markdown, not a picture\n",
    );
    write(dir.path(), "empty.png", b"");
    for (name, why) in [
        ("truncated", "damaged"),
        ("huge", "too large"),
        ("bomb", "megapixels"),
        ("text", "not a picture"),
        ("empty", "not a picture"),
    ] {
        write(
            dir.path(),
            &format!("{name}-note.md"),
            format!("# {name}\n\n![[{name}.png]]\n"),
        );
        let buf = opened(
            dir.path(),
            (100, 30),
            &format!("{name}-note"),
            Mode::Halfblocks,
            true,
        );
        let text = buffer_text(&buf);
        assert!(blocks(&buf).is_empty(), "{name}: {text}");
        assert!(
            text.contains(&format!("(picture {name}.png not shown:")),
            "{name}: {text}"
        );
        assert!(text.contains(why), "{name} should say {why:?}: {text}");
    }
}

/// The screen after opening `query` with the terminal's answers `replies` to the picture query
/// (as the input thread reads them at start), in `mode`.
fn opened_on_terminal(dir: &Path, query: &str, replies: &[u8], mode: Mode) -> Buffer {
    opened_on_terminal_then(dir, query, replies, mode, "")
}

/// [`opened_on_terminal`], then `keys` typed.
fn opened_on_terminal_then(
    dir: &Path,
    query: &str,
    replies: &[u8],
    mode: Mode,
    keys: &str,
) -> Buffer {
    let mut app = app_on(dir, (100, 30), mode, true);
    let mut found = vaultscope::tui::graphics::Detection::default();
    found.push(replies);
    app.update(vaultscope::tui::msg::Msg::Graphics(
        found.graphics(mode, None),
    ));
    settle(&mut app);
    type_keys(
        &mut app,
        &parse_keys(&format!("/{query}<Enter>2z{keys}")).unwrap(),
    );
    frame(&app, Styles::new(true))
}

#[test]
fn a_sixel_terminal_gets_the_picture_in_sixels_over_its_cells() {
    let dir = arch_vault("");
    let sixel = SIXEL_TERMINAL;
    let buf = opened_on_terminal(dir.path(), "arch", sixel, Mode::Auto);
    let text = buffer_text(&buf);
    let placeholder = row_of(&buf, "[embed: diagram.png]").expect(&text);
    let first = (0..buf.area.width)
        .map(|x| &buf[(x, placeholder + 1)])
        .find(|c| c.symbol().contains("\x1bP"))
        .unwrap_or_else(|| panic!("no sixel under the placeholder:\n{text}"));
    assert!(first.symbol().ends_with("\x1b\\"), "a whole sixel");
    // No half block is left beside or under it.
    assert!(blocks(&buf).is_empty(), "{text}");
    // Without a protocol (a terminal that says no sixel): half blocks, no sixel.
    let plain = opened_on_terminal(dir.path(), "arch", b"\x1b[?62;22c\x1b[0n", Mode::Auto);
    assert_eq!(blocks(&plain).len(), 20 * 4);
    // `--images halfblocks` over a sixel terminal: half blocks.
    let forced = opened_on_terminal(dir.path(), "arch", sixel, Mode::Halfblocks);
    assert_eq!(blocks(&forced).len(), 20 * 4);
}

/// The cells a terminal protocol draws (its escape in the first, the others skipped).
fn protocol_cells(buf: &Buffer) -> usize {
    buf.content
        .iter()
        .filter(|c| c.diff_option != ratatui::buffer::CellDiffOption::None)
        .count()
}

#[test]
fn a_sixel_picture_scrolled_partly_out_of_view_or_left_leaves_no_stale_cells() {
    let long: String = (0..60).map(|i| format!("Line {i}.\n\n")).collect();
    let dir = arch_vault(&format!("\n{long}"));
    write(dir.path(), "other.md", "# Other\n\nNo picture.\n");
    let sixel = SIXEL_TERMINAL;
    let whole = opened_on_terminal(dir.path(), "arch", sixel, Mode::Auto);
    assert_eq!(protocol_cells(&whole), 20 * 4, "{}", buffer_text(&whole));
    // Scrolled so that its first row is above the pane: half blocks for the rows still in
    // view, no sixel (it cannot be cut), so no cell of it is skipped by the diff.
    let cut = opened_on_terminal_then(dir.path(), "arch", sixel, Mode::Auto, "jjjjjjjj");
    let text = buffer_text(&cut);
    assert_eq!(protocol_cells(&cut), 0, "{text}");
    let rows: std::collections::BTreeSet<u16> = blocks(&cut).iter().map(|c| c.0).collect();
    assert!(!rows.is_empty() && rows.len() < 4, "{rows:?}\n{text}");
    // Another note: nothing of the picture.
    let other = opened_on_terminal(dir.path(), "other", sixel, Mode::Auto);
    assert_eq!(protocol_cells(&other), 0);
    assert!(blocks(&other).is_empty());
    // A popup over the pane: no sixel under it (it would show through), half blocks.
    let covered = opened_on_terminal_then(dir.path(), "arch", sixel, Mode::Auto, "?");
    assert_eq!(protocol_cells(&covered), 0);
}

#[test]
fn a_picture_changed_on_disk_is_drawn_anew_when_the_vault_is_read_again() {
    let dir = arch_vault("");
    let mut app = app_on(dir.path(), (80, 24), Mode::Halfblocks, true);
    settle(&mut app);
    type_keys(&mut app, &parse_keys("/arch<Enter>2z").unwrap());
    let before = blocks(&frame(&app, Styles::new(true)));
    assert!(before.iter().any(|c| c.2 == RED));
    // The same size, another colour: only the picture changed, not the note.
    let green = RgbaImage::from_pixel(200, 80, Rgba([0, 255, 0, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    green.write_to(&mut out, image::ImageFormat::Png).unwrap();
    write(dir.path(), "diagram.png", out.into_inner());
    // What the watcher does on a change in the vault.
    app.update(vaultscope::tui::msg::Msg::Action(
        vaultscope::tui::action::Action::Reload,
    ));
    settle(&mut app);
    let after = blocks(&frame(&app, Styles::new(true)));
    assert_eq!(after.len(), before.len());
    assert!(
        after.iter().all(|c| c.2 == Color::Rgb(0, 255, 0)),
        "{:?}",
        &after[..3]
    );
}
