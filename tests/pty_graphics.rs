//! The picture-protocol query in a real pseudo-terminal: the explorer asks the terminal what it
//! can draw before it reads a key; a terminal that answers, and one that never does, must leave
//! no reply on the screen nor in the app's input, and a key typed meanwhile still counts.

#![cfg(target_os = "linux")]

#[path = "../benches/support/pty.rs"]
mod pty;

use std::time::{Duration, Instant};

use pty::Session;

/// How long a debug build may take to show its first frame on a loaded machine: a bound on
/// waiting, not a figure under test.
const PATIENCE: Duration = Duration::from_secs(20);

/// The query ends with a status report request: every terminal answers it, last.
const QUERY_END: &[u8] = b"\x1b[5n";

fn queried(s: &Session) {
    s.wait_output(Instant::now() + PATIENCE, |o| {
        o.raw.windows(QUERY_END.len()).any(|w| w == QUERY_END)
    })
    .unwrap_or_else(|| {
        panic!(
            "the explorer never asked the terminal:\n{}",
            s.screen_text()
        )
    });
}

fn vault_with_picture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    pty::write_small_vault(dir.path(), 3);
    let img = image::RgbaImage::from_fn(64, 32, |x, _| {
        image::Rgba(if x < 32 {
            [255, 0, 0, 255]
        } else {
            [0, 0, 255, 255]
        })
    });
    img.save(dir.path().join("pic.png")).expect("png written");
    // Listed first (by title), so it is the note selected at start.
    std::fs::write(
        dir.path().join("a-picture.md"),
        "---\ntitle: A picture\n---\n\n# A picture\n\n![[pic.png]]\n\nBelow it.\n",
    )
    .expect("note written");
    dir
}

fn idle(s: &Session) {
    s.expect_text("1 Notes 4/4", Instant::now() + PATIENCE);
    s.wait_for(Instant::now() + PATIENCE, pty::loaded)
        .unwrap_or_else(|| panic!("never loaded:\n{}", s.screen_text()));
}

/// Nothing of a reply is on screen, and no reply was taken for keys: a `?` in one would have
/// opened the help, its letters would have moved or filtered the list.
fn assert_untouched(s: &Session) {
    let text = s.screen_text();
    for piece in ["62;", "20;10t", "[0n", "Gi=31", "Keys ·"] {
        assert!(!text.contains(piece), "{piece:?} on screen:\n{text}");
    }
    assert!(
        text.contains("2 a-picture.md"),
        "the first note is not selected:\n{text}"
    );
}

#[test]
fn a_terminal_that_answers_leaves_nothing_behind() {
    let (vault, state) = (vault_with_picture(), tempfile::tempdir().expect("temp dir"));
    let mut s = Session::spawn(pty::explorer(vault.path(), state.path()), 100, 30);
    queried(&s);
    // kitty's "no", device attributes without sixel, the cell size, the status report: a
    // terminal without pictures. Sent in two parts, as a slow line delivers them.
    s.send(b"\x1b_Gi=31;ENOTSUPPORTED\x1b\\\x1b[?62;");
    std::thread::sleep(Duration::from_millis(20));
    s.send(b"22c\x1b[6;20;10t\x1b[0n");
    idle(&s);
    assert_untouched(&s);
    // Half blocks for the picture, no sixel.
    s.expect_text("▀", Instant::now() + PATIENCE);
    assert!(!s.output().raw.windows(2).any(|w| w == b"\x1bP"));
    // Keys are read as before.
    s.send(b"?");
    s.expect_text("Keys ·", Instant::now() + PATIENCE);
}

#[test]
fn a_sixel_terminal_gets_the_picture_in_sixels() {
    let (vault, state) = (vault_with_picture(), tempfile::tempdir().expect("temp dir"));
    let mut s = Session::spawn(pty::explorer(vault.path(), state.path()), 100, 30);
    queried(&s);
    let before = s.bytes_written();
    s.send(b"\x1b[?62;4;22c\x1b[6;20;10t\x1b[0n");
    idle(&s);
    // A sixel picture: a DCS that starts sixel data (`ESC P ... q`), written after the answer.
    s.wait_output(Instant::now() + PATIENCE, |o| {
        o.raw[before..].windows(2).any(|w| w == b"\x1bP")
    })
    .unwrap_or_else(|| panic!("no sixel written:\n{}", s.screen_text()));
    assert_untouched(&s);
    // A popup over the pane: the picture is not drawn under it (its half blocks are); the
    // help opens as usual.
    s.send(b"?");
    s.expect_text("Keys ·", Instant::now() + PATIENCE);
}

#[test]
fn a_terminal_that_never_answers_keeps_the_keys_typed_meanwhile() {
    let (vault, state) = (vault_with_picture(), tempfile::tempdir().expect("temp dir"));
    let mut s = Session::spawn(pty::explorer(vault.path(), state.path()), 100, 30);
    queried(&s);
    // The terminal says nothing; the user types `?` at once, while the explorer still waits.
    s.send(b"?");
    s.expect_text("Keys ·", Instant::now() + PATIENCE);
    // The keys typed during the wait reach the app only once it is over (the help is open):
    // from now the explorer reads keys itself, and Esc closes the help.
    s.send(b"\x1b");
    s.wait_for(Instant::now() + PATIENCE, |sc| {
        !sc.contents().contains("Keys ·")
    })
    .unwrap_or_else(|| panic!("the help stayed open:\n{}", s.screen_text()));
    idle(&s);
    let text = s.screen_text();
    assert!(!text.contains("[5n") && !text.contains("Gi=31"), "{text}");
    s.expect_text("▀", Instant::now() + PATIENCE);
}

#[test]
fn half_blocks_asked_for_ask_the_terminal_nothing() {
    let (vault, state) = (vault_with_picture(), tempfile::tempdir().expect("temp dir"));
    let mut cmd = pty::explorer(vault.path(), state.path());
    cmd.arg("--images");
    cmd.arg("halfblocks");
    let s = Session::spawn(cmd, 100, 30);
    idle(&s);
    s.expect_text("▀", Instant::now() + PATIENCE);
    assert!(
        !s.output()
            .raw
            .windows(QUERY_END.len())
            .any(|w| w == QUERY_END),
        "the terminal was asked"
    );
}

/// The half-block cells' upper colours on screen.
fn block_colours(screen: &vt100::Screen) -> Vec<vt100::Color> {
    let (rows, cols) = screen.size();
    let mut out = Vec::new();
    for r in 0..rows.get() {
        for c in 0..cols.get() {
            if let Some(cell) = screen.cell(r, c)
                && cell.contents() == "▀"
            {
                out.push(cell.fgcolor());
            }
        }
    }
    out
}

#[test]
fn a_picture_changed_on_disk_is_drawn_anew_by_itself() {
    drawn_anew(false);
}

#[test]
fn a_picture_changed_on_disk_is_drawn_anew_with_the_metadata_cache() {
    drawn_anew(true);
}

fn drawn_anew(cached: bool) {
    let (vault, state) = (vault_with_picture(), tempfile::tempdir().expect("temp dir"));
    let cache = tempfile::tempdir().expect("temp dir");
    let mut cmd = if cached {
        pty::explorer_cached(vault.path(), state.path(), cache.path())
    } else {
        pty::explorer(vault.path(), state.path())
    };
    cmd.arg("--images");
    cmd.arg("halfblocks");
    let s = Session::spawn(cmd, 100, 30);
    idle(&s);
    let red = vt100::Color::Rgb(255, 0, 0);
    s.wait_for(Instant::now() + PATIENCE, |sc| {
        block_colours(sc).contains(&red)
    })
    .unwrap_or_else(|| panic!("no red picture:\n{}", s.screen_text()));
    // Only the picture changes (the note is as it was): the watcher reads the vault again and
    // the note is rendered with the new picture.
    let green = image::RgbaImage::from_pixel(64, 32, image::Rgba([0, 255, 0, 255]));
    green
        .save(vault.path().join("pic.png"))
        .expect("png written");
    let now_green = vt100::Color::Rgb(0, 255, 0);
    s.wait_for(Instant::now() + PATIENCE, |sc| {
        let c = block_colours(sc);
        !c.is_empty() && c.iter().all(|&x| x == now_green)
    })
    .unwrap_or_else(|| panic!("the picture was not drawn anew:\n{}", s.screen_text()));
}
