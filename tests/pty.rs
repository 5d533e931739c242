//! The explorer in a real pseudo-terminal, through its command line only: it must end when its
//! terminal goes away (hang-up, with or without a SIGHUP reaching it) and on SIGTERM, within a
//! second, giving the terminal back as it found it.
//!
//! The helpers (spawning in a pty, the virtual screen, `/proc` watching) are shared with
//! `benches/pty.rs` in `benches/support/pty.rs`.

#![cfg(target_os = "linux")]

#[path = "../benches/support/genvault.rs"]
mod genvault;
#[path = "../benches/support/pty.rs"]
mod pty;

use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use nix::sys::termios::LocalFlags;
use pty::{KillOnDrop, Session};

/// How long the explorer may take to end once its terminal or a signal tells it to.
const LIMIT: Duration = Duration::from_secs(1);

/// How long a debug build may take to show its first frame on a loaded machine: a bound on
/// waiting, not a figure under test.
const PATIENCE: Duration = Duration::from_secs(20);

fn small_vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    pty::write_small_vault(dir.path(), 3);
    dir
}

/// Waits until the small vault is on screen and fully loaded (its three notes counted, no
/// gauge), so the app is idle.
/// The help is closed and the screen drawn again: the status bar's hints are back. (A screen
/// cleared for a redraw shows no help either, but no status bar: a key sent then could reach
/// the explorer with the Esc before it, and be read as Alt and that key.)
fn help_closed(screen: &vt100::Screen) -> bool {
    let text = screen.contents();
    !text.contains("Keys ·") && text.contains("? help")
}

fn wait_idle(s: &Session) {
    s.expect_text("1 Notes 3/3", Instant::now() + PATIENCE);
    s.wait_for(Instant::now() + PATIENCE, pty::loaded)
        .unwrap_or_else(|| panic!("the gauge never went away:\n{}", s.screen_text()));
}

#[test]
fn closing_the_terminal_ends_the_explorer() {
    let (vault, state) = (small_vault(), tempfile::tempdir().expect("temp dir"));

    // (a) The explorer leads the pty's session: the hang-up sends it SIGHUP.
    let mut s = Session::spawn(pty::explorer(vault.path(), state.path()), 80, 24);
    wait_idle(&s);
    let explorer = s.pid();
    let ticks = pty::cpu_ticks(explorer);
    let closed = s.hang_up();
    let a = match s.wait_exit(closed + LIMIT) {
        Some((at, status)) => Ok(format!("ended after {:?} ({status})", at - closed)),
        None => Err(still_running(explorer, ticks)),
    };
    drop(s);

    // (b) `sh` leads the session and dies on the hang-up; the explorer, its child, gets no
    // SIGHUP and must notice by itself that the terminal is gone (crossterm issue #793).
    pty::adopt_orphans();
    let mut s = Session::spawn(pty::explorer_under_sh(vault.path(), state.path()), 80, 24);
    wait_idle(&s);
    let sh = s.pid();
    let explorer = only_child(sh);
    let _guard = KillOnDrop(explorer);
    assert_eq!(
        session_of(explorer),
        Some(sh),
        "the premise: sh leads the explorer's session"
    );
    let ticks = pty::cpu_ticks(explorer);
    let closed = s.hang_up();
    let sh_ended = s.wait_exit(closed + LIMIT).map(|(at, _)| at - closed);
    let b = match pty::wait_gone(explorer, closed + LIMIT) {
        Some(at) => Ok(format!("ended after {:?}", at - closed)),
        None => Err(format!(
            "{} (sh ended {sh_ended:?} after the hang-up)",
            still_running(explorer, ticks)
        )),
    };
    eprintln!("(a) session leader: {a:?}\n(b) orphan under sh: {b:?}");
    assert!(
        a.is_ok() && b.is_ok(),
        "(a) session leader: {a:?}; (b) orphan under sh: {b:?}"
    );
}

/// What a process still running [`LIMIT`] after the hang-up did meanwhile: CPU time since
/// `ticks` (taken at the hang-up), which tells a busy loop from a wait.
fn still_running(pid: u32, ticks: Option<u64>) -> String {
    let used = pty::cpu_ticks(pid)
        .zip(ticks)
        .map(|(now, then)| now.saturating_sub(then));
    let per_second = pty::clock_ticks_per_second();
    let share = used.map_or_else(
        || "unknown".to_owned(),
        |t| format!("{}% of a core", t * 100 / per_second),
    );
    format!(
        "pid {pid} still running {LIMIT:?} after the hang-up, using {share} meanwhile \
         ({used:?} ticks at {per_second}/s)"
    )
}

/// The one `vaultscope` child of `parent`, waiting for `sh` to have started it.
fn only_child(parent: u32) -> u32 {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match pty::children_named(parent, "vaultscope").as_slice() {
            [pid] => return *pid,
            [] if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            other => panic!("children of sh {parent}: {other:?}"),
        }
    }
}

/// The session id of `pid` (field 6 of `/proc/<pid>/stat`).
fn session_of(pid: u32) -> Option<u32> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    text[text.rfind(')')? + 1..]
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()
}

/// Sends SIGTERM, asserts the explorer ends within [`LIMIT`], and that what it wrote after the
/// signal gives the terminal back: main screen, cursor shown, mouse reporting off, and the
/// pty in cooked mode again.
fn assert_sigterm_ends_and_restores(s: &mut Session) {
    assert_signal_ends_and_restores(s, Signal::SIGTERM);
}

/// [`assert_sigterm_ends_and_restores`] for any signal that must end the explorer.
fn assert_signal_ends_and_restores(s: &mut Session, signal: Signal) {
    let raw = s.termios().expect("the pty's termios");
    assert!(
        !raw.local_flags.contains(LocalFlags::ICANON),
        "the premise: the explorer put the pty in raw mode"
    );
    let before = s.bytes_written();
    let sent = Instant::now();
    pty::signal(s.pid(), signal);
    let (at, status) = s.wait_exit(sent + LIMIT).unwrap_or_else(|| {
        panic!(
            "still running {LIMIT:?} after {signal}; the screen:\n{}",
            s.screen_text()
        )
    });
    eprintln!("ended {:?} after {signal} ({status})", at - sent);
    // Everything it wrote is read once the master reports end of file.
    s.wait_output(Instant::now() + LIMIT, |o| o.eof);
    let out = s.output();
    let after = String::from_utf8_lossy(&out.raw[before..]).into_owned();
    let screen = out.parser.screen();
    let mut missing = Vec::new();
    for (what, seq) in [
        ("leave the alternate screen", "\x1b[?1049l"),
        ("show the cursor", "\x1b[?25h"),
        ("mouse reporting off", "\x1b[?1000l"),
    ] {
        if !after.contains(seq) {
            missing.push(format!("{what} ({seq:?})"));
        }
    }
    if screen.alternate_screen() {
        missing.push("the virtual terminal is still on the alternate screen".to_owned());
    }
    if screen.hide_cursor() {
        missing.push("the virtual terminal's cursor is still hidden".to_owned());
    }
    if screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None {
        missing.push(format!(
            "mouse reporting still on ({:?})",
            screen.mouse_protocol_mode()
        ));
    }
    drop(out);
    match s.termios() {
        Some(t) => {
            for flag in [LocalFlags::ICANON, LocalFlags::ECHO] {
                if !t.local_flags.contains(flag) {
                    missing.push(format!("termios {flag:?} not set again"));
                }
            }
        }
        None => missing.push("the pty's termios cannot be read".to_owned()),
    }
    assert!(
        missing.is_empty(),
        "ended ({status}) but did not restore the terminal: {missing:?}; it wrote after the \
         signal: {after:?}"
    );
}

#[test]
fn sigterm_ends_the_explorer_and_restores_the_terminal() {
    let (vault, state) = (small_vault(), tempfile::tempdir().expect("temp dir"));
    let mut s = Session::spawn(pty::explorer(vault.path(), state.path()), 80, 24);
    wait_idle(&s);
    assert_sigterm_ends_and_restores(&mut s);
}

/// Notes in the vault for the loading case: a debug build on two busy cores reads them for
/// about a second and indexes them for about half a second more, and generating them takes
/// about a second.
const LOADING_NOTES: usize = 2_000;

#[test]
fn sigterm_while_loading_ends_the_explorer() {
    let (vault, state) = (
        tempfile::tempdir().expect("temp dir"),
        tempfile::tempdir().expect("temp dir"),
    );
    genvault::write_vault(vault.path(), LOADING_NOTES, 42).expect("vault written");
    let mut s = Session::spawn(pty::explorer(vault.path(), state.path()), 80, 24);
    // The second stage under way: the notes' outline is on screen, links and questions are
    // still being indexed.
    let under_way = |screen: &vt100::Screen| {
        pty::gauge(screen).is_some_and(|(stage, read, found)| {
            stage == "indexing links and questions" && read < found
        })
    };
    s.wait_for(Instant::now() + PATIENCE, under_way)
        .unwrap_or_else(|| panic!("never saw the indexing under way:\n{}", s.screen_text()));
    eprintln!(
        "loading when signalled: {:?}",
        pty::gauge(s.output().parser.screen())
    );
    assert_sigterm_ends_and_restores(&mut s);
}

#[test]
fn a_sigint_from_outside_ends_the_explorer_and_restores_the_terminal() {
    let (vault, state) = (small_vault(), tempfile::tempdir().expect("temp dir"));
    let mut s = Session::spawn(pty::explorer(vault.path(), state.path()), 80, 24);
    wait_idle(&s);
    assert_signal_ends_and_restores(&mut s, Signal::SIGINT);
}

#[test]
fn ctrl_c_in_the_editor_is_the_editors() {
    let (vault, state) = (small_vault(), tempfile::tempdir().expect("temp dir"));
    // An "editor" that waits to be interrupted, as an editor's own Ctrl-C handling would.
    let editor = state.path().join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\necho editing; sleep 10\n").expect("editor written");
    let mut perms = std::fs::metadata(&editor).expect("editor").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&editor, perms).expect("editor made runnable");
    let mut cmd = pty::explorer(vault.path(), state.path());
    cmd.env("VISUAL", &editor);
    let mut s = Session::spawn(cmd, 80, 24);
    wait_idle(&s);
    s.send(b"e");
    s.expect_text("editing", Instant::now() + PATIENCE);
    // Ctrl-C on the terminal, which is in cooked mode while the editor has it: SIGINT to the
    // terminal's foreground process group, the explorer included.
    s.send(b"\x03");
    let back = s.wait_for(Instant::now() + PATIENCE, |screen| {
        screen.contents().contains("the editor")
    });
    assert!(
        back.is_some(),
        "no word of the editor:\n{}",
        s.screen_text()
    );
    std::thread::sleep(LIMIT);
    assert!(
        s.exited().is_none(),
        "the explorer ended with the editor's Ctrl-C"
    );
    // Still answering keys.
    s.send(b"?");
    s.expect_text("Keys ·", Instant::now() + PATIENCE);
    // (Esc and q written together would read as Alt-q.)
    s.send(b"\x1b");
    s.wait_for(Instant::now() + PATIENCE, help_closed);
    s.send(b"q");
    assert!(
        s.wait_exit(Instant::now() + PATIENCE).is_some(),
        "q did not quit"
    );
}

#[test]
fn resuming_after_ctrl_z_redraws_without_asking_the_terminal_anything() {
    // The virtual terminal here never answers a cursor-position query, as some do not.
    let (vault, state) = (small_vault(), tempfile::tempdir().expect("temp dir"));
    let mut s = Session::spawn(pty::explorer(vault.path(), state.path()), 80, 24);
    wait_idle(&s);
    // Ctrl-Z: the explorer gives the terminal back and stops itself. (Here, alone in its
    // session with no shell to continue it, the kernel does not stop it: the same path as
    // `fg`, at once.)
    let before = s.bytes_written();
    s.send(b"\x1a");
    if pty::process_state(s.pid()) == Some('T') {
        pty::signal(s.pid(), Signal::SIGCONT);
    }
    // Redrawn whole, and answering keys.
    s.wait_output(Instant::now() + PATIENCE, |o| {
        o.raw.len() > before && o.parser.screen().contents().contains("1 Notes 3/3")
    });
    std::thread::sleep(LIMIT);
    assert!(s.exited().is_none(), "the explorer ended after resuming");
    s.send(b"?");
    s.expect_text("Keys ·", Instant::now() + PATIENCE);
}

#[test]
fn an_absurd_window_size_under_a_memory_limit_does_not_abort() {
    let (vault, state) = (small_vault(), tempfile::tempdir().expect("temp dir"));
    // The explorer under a 2 GB address-space limit (what a screen of 10000x3000 cells would
    // take twice over, as ratatui keeps two buffers of it).
    let mut cmd = portable_pty::CommandBuilder::new("sh");
    cmd.arg("-c");
    cmd.arg("ulimit -v 2000000 && exec \"$0\" --vault \"$1\"");
    cmd.arg(env!("CARGO_BIN_EXE_vaultscope"));
    cmd.arg(vault.path());
    let template = pty::explorer(vault.path(), state.path());
    for (k, v) in template.iter_full_env_as_str() {
        cmd.env(k, v);
    }
    let mut s = Session::spawn(cmd, 80, 24);
    wait_idle(&s);
    s.resize_pty(10_000, 3_000);
    std::thread::sleep(LIMIT * 2);
    assert!(
        s.exited().is_none(),
        "ended after the resize: {:?}",
        s.exited()
    );
    // Back to a sane size: drawn again, keys answered, and it quits normally.
    s.resize_pty(80, 24);
    s.send(b"?");
    s.expect_text("Keys ·", Instant::now() + PATIENCE);
    s.send(b"\x1b");
    s.wait_for(Instant::now() + PATIENCE, help_closed);
    s.send(b"q");
    let (_, status) = s.wait_exit(Instant::now() + PATIENCE).expect("q quits");
    assert!(status.success(), "{status}");
}

#[test]
fn a_key_typed_as_the_window_resizes_is_answered_at_once() {
    // The resize's signal and the key can reach the reader in one wake-up; the key must not
    // wait for the next one (crossterm's default reader dropped it). Nothing here can make the
    // two arrive in one wake-up for sure, so many rounds make it likely (with crossterm's default
    // reader, 2 of 3 runs lost a key, at rounds 7 and 133): each round a new size and `?` at once,
    // then the help must show, and a new size and Esc at once must close it, with no other
    // key sent.
    let (vault, state) = (small_vault(), tempfile::tempdir().expect("temp dir"));
    let mut s = Session::spawn(pty::explorer(vault.path(), state.path()), 80, 24);
    wait_idle(&s);
    for round in 0..200u16 {
        s.resize_pty(81 + round % 2, 24);
        s.send(b"?");
        s.wait_for(Instant::now() + PATIENCE, |screen| {
            screen.contents().contains("Keys ·")
        })
        .unwrap_or_else(|| panic!("round {round}: ? not answered:\n{}", s.screen_text()));
        s.resize_pty(80, 24);
        s.send(b"\x1b");
        s.wait_for(Instant::now() + PATIENCE, help_closed)
            .unwrap_or_else(|| panic!("round {round}: Esc not answered:\n{}", s.screen_text()));
    }
    s.send(b"q");
    let (_, status) = s.wait_exit(Instant::now() + PATIENCE).expect("q quits");
    assert!(status.success(), "{status}");
}
