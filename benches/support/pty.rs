//! Driving the real `vaultscope` binary in a pseudo-terminal, for `tests/pty.rs` and
//! `benches/pty.rs` (included by both with `#[path]`, so it is not part of the library).
//!
//! A [`Session`] spawns a command on the slave side of a fresh pty (portable-pty makes it the
//! session leader with the pty as its controlling terminal) and drains the master into a shared
//! buffer on a reader thread, which also feeds a `vt100` parser: callers wait on the *screen*
//! with [`Session::wait_for`] and a deadline, never on a fixed sleep.
//!
//! Two details of portable-pty shape this file:
//! - its `take_writer()` handle writes `\n` and the EOF character into the pty when dropped, so a
//!   hang-up test would type Enter and Ctrl-D first; keys go through our own duplicate of the
//!   master descriptor instead;
//! - the tty hangs up only when the *last* descriptor of the master closes, so the reader thread
//!   owns its own duplicate, waits in `poll` with a short timeout and closes it on request
//!   ([`Session::hang_up`]); a thread blocked in `read` would keep the pty open for ever.
//!
//! Processes that are not our children (the explorer under `sh`, orphaned when `sh` dies) are
//! watched through `/proc/<pid>/stat`: gone, or a zombie, counts as exited.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use filedescriptor::FileDescriptor;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// The binary under test (cargo builds it for integration tests and benches alike).
pub const BINARY: &str = env!("CARGO_BIN_EXE_vaultscope");

/// How often exit and `/proc` are polled while waiting on a deadline.
const POLL: Duration = Duration::from_millis(2);

/// What the reader thread has seen of the app's output.
pub struct Output {
    /// Every byte the app wrote, in order.
    pub raw: Vec<u8>,
    /// The same bytes applied to a virtual terminal.
    pub parser: vt100::Parser,
    /// When the last chunk arrived.
    pub last_chunk: Option<Instant>,
    /// The master reported end of file or an error (the slave side is gone).
    pub eof: bool,
}

struct Shared {
    out: Mutex<Output>,
    changed: Condvar,
}

/// A command running in a pty, its output drained into a virtual screen.
pub struct Session {
    master: Option<Box<dyn MasterPty + Send>>,
    /// Our own duplicate of the master, for typing.
    keys: Option<FileDescriptor>,
    child: Box<dyn Child + Send + Sync>,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    /// When the command was spawned.
    pub started: Instant,
    pub rows: u16,
    pub cols: u16,
}

/// `AsRawFd` for a bare descriptor number, so `FileDescriptor::dup` (safe) can duplicate the
/// master, whose trait gives only the number.
struct Raw(RawFd);

impl AsRawFd for Raw {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// The explorer's command line on `vault`, with its study progress kept under `state` (not in
/// the user's home) and a usual terminal type.
pub fn explorer(vault: &Path, state: &Path) -> CommandBuilder {
    explorer_of(Path::new(BINARY), vault, state)
}

/// [`explorer`] with another build of the binary (a bench's "before").
pub fn explorer_of(binary: &Path, vault: &Path, state: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(binary);
    cmd.arg("--vault");
    cmd.arg(vault);
    set_env(&mut cmd, vault, state);
    cmd
}

/// `sh -c '<binary> --vault DIR; true'`: `sh` leads the pty's session (and dies on the
/// hang-up), the explorer is its child in the same process group and gets no SIGHUP. The
/// `; true` keeps `sh` from replacing itself with the explorer.
pub fn explorer_under_sh(vault: &Path, state: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new("sh");
    cmd.arg("-c");
    cmd.arg(format!("{} --vault \"$1\"; true", shell_quote(BINARY)));
    cmd.arg("sh");
    cmd.arg(vault);
    set_env(&mut cmd, vault, state);
    cmd
}

fn set_env(cmd: &mut CommandBuilder, vault: &Path, state: &Path) {
    cmd.cwd(vault);
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_STATE_HOME", state);
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("VAULTSCOPE_VAULT");
    // Every run reads the vault from its files (and writes no cache into the user's home),
    // unless a measurement asks for the cache: see `explorer_cached`.
    cmd.env("VAULTSCOPE_NO_CACHE", "1");
}

/// [`explorer`] with the metadata cache kept under `cache` (the `XDG_CACHE_HOME`).
pub fn explorer_cached(vault: &Path, state: &Path, cache: &Path) -> CommandBuilder {
    let mut cmd = explorer(vault, state);
    cmd.env_remove("VAULTSCOPE_NO_CACHE");
    cmd.env("XDG_CACHE_HOME", cache);
    cmd
}

/// The whole list of `notes` notes is on screen: the list pane's title counts them all
/// (` 1 Notes 10000/10000 `), which it does once the first catalog has arrived.
pub fn list_shown(screen: &vt100::Screen, notes: usize) -> bool {
    screen
        .contents()
        .contains(&format!(" 1 Notes {notes}/{notes} "))
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Session {
    /// Spawns `cmd` in a new `cols`×`rows` pty and starts draining its output.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("spawned in the pty");
        // The slave stays open only in the child: when the child side closes, the master
        // reads end of file, and dropping the master hangs the tty up.
        drop(pair.slave);
        let master = pair.master;
        let fd = master.as_raw_fd().expect("a unix pty has a descriptor");
        let read_fd = FileDescriptor::dup(&Raw(fd)).expect("master duplicated");
        let keys = FileDescriptor::dup(&Raw(fd)).expect("master duplicated");
        let shared = Arc::new(Shared {
            out: Mutex::new(Output {
                raw: Vec::new(),
                parser: vt100::Parser::new(nonzero(rows), nonzero(cols), 0),
                last_chunk: None,
                eof: false,
            }),
            changed: Condvar::new(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            std::thread::spawn(move || drain(read_fd, &shared, &stop))
        };
        Session {
            master: Some(master),
            keys: Some(keys),
            child,
            shared,
            stop,
            reader: Some(reader),
            started,
            rows,
            cols,
        }
    }

    /// Resizes the pty (the program gets SIGWINCH); the virtual screen keeps its size.
    #[allow(dead_code)]
    pub fn resize_pty(&self, cols: u16, rows: u16) {
        if let Some(m) = &self.master {
            m.resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("the pty resized");
        }
    }

    /// The spawned process's id (the explorer, or `sh` for [`explorer_under_sh`]).
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a spawned child has a pid")
    }

    /// The output so far, locked.
    pub fn output(&self) -> MutexGuard<'_, Output> {
        lock(&self.shared.out)
    }

    /// The screen as text, rows joined by newlines.
    pub fn screen_text(&self) -> String {
        self.output().parser.screen().contents()
    }

    /// Bytes the app has written so far.
    pub fn bytes_written(&self) -> usize {
        self.output().raw.len()
    }

    /// Waits until `test` holds for the screen, or `deadline` passes. Returns when it held, or
    /// `None`.
    pub fn wait_for(
        &self,
        deadline: Instant,
        mut test: impl FnMut(&vt100::Screen) -> bool,
    ) -> Option<Instant> {
        self.wait_output(deadline, |o| test(o.parser.screen()))
    }

    /// Waits until `test` holds for the output, or `deadline` passes: on every chunk that
    /// arrives, and once at the start.
    pub fn wait_output(
        &self,
        deadline: Instant,
        mut test: impl FnMut(&Output) -> bool,
    ) -> Option<Instant> {
        let mut out = lock(&self.shared.out);
        loop {
            if test(&out) {
                return Some(Instant::now());
            }
            let now = Instant::now();
            if now >= deadline || out.eof {
                return None;
            }
            out = self
                .shared
                .changed
                .wait_timeout(out, deadline - now)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }

    /// Waits until the screen shows `text`; panics with the screen when it does not by
    /// `deadline`.
    pub fn expect_text(&self, text: &str, deadline: Instant) -> Instant {
        self.wait_for(deadline, |s| s.contents().contains(text))
            .unwrap_or_else(|| {
                panic!(
                    "the screen never showed {text:?}; it shows:\n{}",
                    self.screen_text()
                )
            })
    }

    /// Types `bytes` as if at the keyboard.
    pub fn send(&mut self, bytes: &[u8]) {
        let keys = self.keys.as_mut().expect("the pty is still open");
        keys.write_all(bytes).expect("keys written");
        keys.flush().expect("keys flushed");
    }

    /// Closes every descriptor of the master, as a terminal emulator does when its window
    /// closes: the kernel hangs the tty up. Returns when the last one is closed.
    pub fn hang_up(&mut self) -> Instant {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.keys = None;
        self.master = None;
        Instant::now()
    }

    /// The termios of the pty (the slave's, read through the master), while it is open.
    pub fn termios(&self) -> Option<nix::sys::termios::Termios> {
        self.master.as_ref()?.get_termios()
    }

    /// Whether the spawned process has exited (reaping it).
    pub fn exited(&mut self) -> Option<portable_pty::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits until the spawned process exits, or `deadline` passes.
    pub fn wait_exit(&mut self, deadline: Instant) -> Option<(Instant, portable_pty::ExitStatus)> {
        loop {
            if let Some(status) = self.exited() {
                return Some((Instant::now(), status));
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(POLL);
        }
    }

    /// Ends the spawned process (SIGKILL) if it still runs, and reaps it.
    pub fn kill(&mut self) {
        if self.exited().is_none() {
            signal(self.pid(), nix::sys::signal::Signal::SIGKILL);
            let _ = self.child.wait();
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.kill();
        self.hang_up();
    }
}

/// Reads the master until end of file or `stop`, into `shared`.
fn drain(mut fd: FileDescriptor, shared: &Shared, stop: &AtomicBool) {
    let mut buf = vec![0u8; 64 * 1024];
    let mark_eof = || {
        lock(&shared.out).eof = true;
        shared.changed.notify_all();
    };
    while !stop.load(Ordering::Relaxed) {
        let mut pfd = [filedescriptor::pollfd {
            fd: fd.as_raw_fd(),
            events: filedescriptor::POLLIN,
            revents: 0,
        }];
        match filedescriptor::poll(&mut pfd, Some(Duration::from_millis(10))) {
            Ok(0) => continue,
            Ok(_) => {}
            Err(_) => return mark_eof(),
        }
        match fd.read(&mut buf) {
            // EIO: every descriptor of the slave is closed.
            Ok(0) | Err(_) => return mark_eof(),
            Ok(n) => {
                let mut out = lock(&shared.out);
                out.raw.extend_from_slice(&buf[..n]);
                out.parser.process(&buf[..n]);
                out.last_chunk = Some(Instant::now());
                drop(out);
                shared.changed.notify_all();
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a pty is at least one cell")
}

/// Sends `sig` to `pid`; a process already gone is no error.
pub fn signal(pid: u32, sig: nix::sys::signal::Signal) {
    let pid = nix::unistd::Pid::from_raw(i32::try_from(pid).expect("a pid fits i32"));
    let _ = nix::sys::signal::kill(pid, sig);
}

/// One process's line of `/proc/<pid>/stat`, the fields after the command name (which may
/// hold spaces and parentheses, so it is cut at the last `)`): state is `[0]`, ppid `[1]`,
/// utime `[11]`, stime `[12]`. `None` when the process is gone.
fn stat_fields(pid: u32) -> Option<(String, Vec<String>)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text[open + 1..close].to_owned();
    let rest = text[close + 1..]
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    Some((comm, rest))
}

/// Whether `pid` has ended: no such process, or a zombie nobody reaped yet. For processes that
/// are not our children, which `try_wait` cannot see.
pub fn gone(pid: u32) -> bool {
    stat_fields(pid).is_none_or(|(_, f)| f.first().is_none_or(|s| s == "Z" || s == "X"))
}

/// The state letter of `pid` in `/proc` (`R`, `S`, `T` stopped, `Z`…), if it exists.
#[allow(dead_code)]
pub fn process_state(pid: u32) -> Option<char> {
    stat_fields(pid).and_then(|(_, f)| f.first().and_then(|s| s.chars().next()))
}

/// Waits until `pid` is [`gone`], or `deadline` passes.
pub fn wait_gone(pid: u32, deadline: Instant) -> Option<Instant> {
    loop {
        if gone(pid) {
            return Some(Instant::now());
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

/// The live children of `parent` whose command name is `comm`, by their parent-pid field.
pub fn children_named(parent: u32, comm: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| {
            stat_fields(pid).is_some_and(|(c, f)| {
                c == comm && f.get(1).is_some_and(|p| *p == parent.to_string()) && f[0] != "Z"
            })
        })
        .collect()
}

/// CPU time `pid` has used, user plus system, in clock ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let (_, f) = stat_fields(pid)?;
    let tick = |i: usize| f.get(i)?.parse::<u64>().ok();
    Some(tick(11)? + tick(12)?)
}

/// Clock ticks per second (`getconf CLK_TCK`, 100 on Linux when that fails).
pub fn clock_ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100)
}

/// Makes this process the reaper of orphans among its descendants (`PR_SET_CHILD_SUBREAPER`),
/// so an explorer orphaned by a test is reparented here rather than to pid 1 (which, in some
/// containers, never reaps and leaves a zombie behind) and [`KillOnDrop`] can reap it.
pub fn adopt_orphans() {
    let _ = nix::sys::prctl::set_child_subreaper(true);
}

/// Kills a process that is not our child when dropped, if it still runs, and reaps it if it
/// was reparented here ([`adopt_orphans`]): an explorer orphaned by a test must not outlive the
/// test, pass or fail.
pub struct KillOnDrop(pub u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if !gone(self.0) {
            signal(self.0, nix::sys::signal::Signal::SIGKILL);
            let _ = wait_gone(self.0, Instant::now() + Duration::from_secs(2));
        }
        // Blocking: a killed process's threads die after its leader shows `Z`, and only then
        // can it be reaped; ECHILD at once when it is not ours.
        if let Ok(pid) = i32::try_from(self.0) {
            let _ = nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(pid), None);
        }
    }
}

/// A small vault of `n` notes (titles `Note 0` …) written under `dir`.
pub fn write_small_vault(dir: &Path, n: usize) {
    for i in 0..n {
        let text = format!(
            "---\ntitle: Note {i}\ntags:\n- pty/test\n---\n\n# Note {i}\n\nSee [[note-{}]].\n",
            (i + 1) % n
        );
        std::fs::write(dir.join(format!("note-{i}.md")), text).expect("note written");
    }
}

/// The explorer has drawn its frame: the list pane's title is on screen.
pub fn shows_frame(screen: &vt100::Screen) -> bool {
    screen.contents().contains("1 Notes")
}

/// The status bar (the bottom row) as text, when it is on screen whole: not under a popup,
/// nor half redrawn after one (a popup's border or side on the bottom row). A frame reaches
/// the reader in several chunks, so the screen between two of them is a mix of two frames.
pub fn status_bar(screen: &vt100::Screen) -> Option<String> {
    let (rows, cols) = screen.size();
    let bar = screen
        .rows(0, cols.get())
        .nth(usize::from(rows.get()) - 1)?;
    (!bar.contains(['│', '└', '┘', '─', '┌', '┐'])).then_some(bar)
}

/// The loading gauge in the status bar, `reading notes ▰▰▱… 300/1000`: its stage and counts.
pub fn gauge(screen: &vt100::Screen) -> Option<(&'static str, u64, u64)> {
    let bar = status_bar(screen)?;
    let stage = [
        "reading notes",
        "indexing names",
        "indexing links and questions",
    ]
    .into_iter()
    .find(|s| bar.contains(s))?;
    let after = &bar[bar.find(stage)? + stage.len()..];
    // A stage that counts nothing yet is named alone (`indexing names… ·`).
    if after.starts_with('…') {
        return Some((stage, 0, 0));
    }
    let counts = after.split_whitespace().find(|w| w.contains('/'))?;
    let (read, found) = counts.split_once('/')?;
    Some((stage, read.parse().ok()?, found.parse().ok()?))
}

/// The load has finished: the status bar is in view and shows no gauge.
pub fn loaded(screen: &vt100::Screen) -> bool {
    status_bar(screen).is_some() && gauge(screen).is_none()
}

/// The gauge's stage, when the status bar shows one.
pub fn gauge_stage(screen: &vt100::Screen) -> Option<&'static str> {
    gauge(screen).map(|(stage, _, _)| stage)
}
