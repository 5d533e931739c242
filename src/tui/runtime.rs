//! The explorer on a real terminal: one loop that waits on one channel and feeds what arrives
//! into the app, then draws if anything changed. Around it, threads that never block it:
//!
//! - input: reads the terminal (crossterm) and sends keys, mouse and resizes; it pauses while
//!   the editor or the shell has the terminal;
//! - signals: SIGTERM and SIGHUP end the loop;
//! - a watchdog: when the terminal is gone (a closed pty: reads hang up, and crossterm's reader
//!   spins instead of failing, crossterm issue #793) it ends the loop within half a second;
//! - the loader and the workers (see [`super::loader`], [`super::workers`]).
//!
//! On the way out the progress is saved first, then the terminal restored as far as it still
//! can be.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use crossterm::terminal::EnterAlternateScreen;

use super::term::{self, Capped, Term};

use super::action::Action;
use super::app::App;
use super::loader::{self, Loader};
use super::msg::{Effect, Loading, Msg};
use super::workers::Workers;
use crate::catalog::Catalog;
use crate::style::Styles;
use crate::vault::Vault;

/// Most messages applied before a frame: keys that arrive together (a paste, key repeat) are
/// applied together and drawn once.
const MESSAGES_PER_FRAME: usize = 64;
/// How long a frame may wait for the note just selected to be rendered, so it shows with its
/// text rather than a placeholder (rendering takes well under this).
const CONTENT_GRACE: Duration = Duration::from_millis(15);
/// How often the watchdog looks whether the terminal is still there.
const WATCHDOG_EVERY: Duration = Duration::from_millis(250);

/// Runs the explorer on the terminal until the user quits, on the vault folder `root`
/// (canonical: see [`Vault::open_root`]), its titles taken by `titles`. The first frame comes
/// at once; the vault loads behind it. The terminal is restored on the way out, by ratatui's
/// panic hook on a panic, and after SIGTERM, SIGHUP or a SIGINT from outside. Notes unchanged
/// since the last run come from the metadata cache at `cache`.
pub fn run(
    root: PathBuf,
    first: Option<Action>,
    (limits, shuffle): (crate::study::Limits, bool),
    titles: crate::vault::TitleRule,
    cache: crate::vault::cache::Place,
    settings: super::Settings,
) -> Result<()> {
    let (tx, rx) = channel();
    watch_signals(&tx);
    let loader = Loader::start_with(root.clone(), titles, cache, tx.clone());
    install_panic_hook();
    let mut terminal = take_terminal()?;
    // Without mouse reporting the app still works; a terminal that refuses it is no error.
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    let size = terminal.size()?;
    let styles = Styles::themed(Styles::from_env().color(), settings.theme);
    let mut app = App::with_catalog(
        Catalog::build(Vault {
            root: root.clone(),
            ..Vault::default()
        }),
        (size.width, size.height),
    );
    app.configure(&settings);
    app.set_styles(styles);
    app.set_study_options(limits, shuffle);
    app.update(Msg::Loading(Loading {
        stage: loader::READING,
        read: 0,
        found: 0,
    }));
    if let Some(a) = first {
        app.after_load(a);
    }
    // Study progress lives outside the vault; without a place for it, study still works but
    // is not kept.
    match crate::study::store::Store::for_vault(&root) {
        Ok(store) => app.keep_progress_in(store),
        Err(e) => app.update(Msg::Notice(format!("study progress not kept: {e:#}"))),
    }
    // The terminal is asked for its picture protocol before the input thread reads a key:
    // that thread reads the replies first (see `super::graphics`).
    let images = settings.display.images;
    let detect = (super::graphics::asks(images)
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal())
    .then(|| {
        use std::io::Write;
        let query = super::graphics::query();
        let mut out = std::io::stdout();
        let sent = out.write_all(query.as_bytes()).and_then(|()| out.flush());
        sent.ok()
            .map(|()| (Instant::now() + super::graphics::LIMIT, images))
    })
    .flatten();
    let input = Input::start(tx.clone(), detect);
    watch_terminal(tx.clone());
    let mut workers = Workers::new(tx);
    let mut cx = Loop {
        terminal: &mut terminal,
        app: &mut app,
        workers: &mut workers,
        loader: &loader,
        input: &input,
        styles,
    };
    let result = cx.run(&rx);
    // Answers first: the terminal may be gone, the disk is not.
    let lost = app.unsaved().and_then(|(store, answers)| {
        let n = answers.len();
        store
            .append(&answers, false)
            .err()
            .map(|e| format!("{n} study answer(s) could not be saved: {e:#}"))
    });
    leave_terminal(&mut terminal);
    if let Some(lost) = lost {
        eprintln!("vaultscope: {lost}");
    }
    result
}

struct Loop<'a> {
    terminal: &'a mut Term,
    app: &'a mut App,
    workers: &'a mut Workers,
    loader: &'a Loader,
    input: &'a Input,
    styles: Styles,
}

impl Loop<'_> {
    fn run(&mut self, rx: &Receiver<Msg>) -> Result<()> {
        // A catalog arrived since the last frame (for the load trace).
        let mut traced = false;
        loop {
            self.dispatch()?;
            if self.app.quit() {
                return Ok(());
            }
            if self.app.take_dirty() {
                let (app, styles) = (&*self.app, self.styles);
                if let Err(e) = self.terminal.draw(|f| app.draw(f, styles)) {
                    // A terminal that went away is the end, not an error.
                    return if std::io::stdout().is_terminal() {
                        Err(e.into())
                    } else {
                        Ok(())
                    };
                }
                if std::mem::take(&mut traced) {
                    loader::trace::step(format_args!("drawn after a catalog"));
                }
            }
            // Nothing to do until something arrives: no timer, no idle frames.
            let Ok(msg) = rx.recv() else { return Ok(()) };
            traced |= catalog_received(&msg);
            self.app.update(msg);
            let mut n = 1;
            while n < MESSAGES_PER_FRAME
                && let Ok(msg) = rx.try_recv()
            {
                traced |= catalog_received(&msg);
                self.app.update(msg);
                n += 1;
            }
            // A note just selected: give its rendering a moment to arrive.
            let grace = Instant::now() + CONTENT_GRACE;
            while self.app.awaits_content() && !self.app.quit() {
                self.dispatch()?;
                match rx.recv_timeout(grace.saturating_duration_since(Instant::now())) {
                    Ok(msg) => self.app.update(msg),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                }
            }
        }
    }

    /// Hands out what the app asked for.
    fn dispatch(&mut self) -> Result<()> {
        for effect in self.app.take_effects() {
            match effect {
                Effect::Job(job) => self.workers.submit(job),
                Effect::Reload => self.loader.reload(),
                Effect::Dispose(old) => {
                    std::thread::spawn(move || drop(old));
                }
                Effect::After(wait, msg) => self.workers.after(wait, *msg),
                Effect::Edit(file) => {
                    let outcome = self.away(|| edit(&file))?;
                    self.app.update(Msg::EditorDone(outcome));
                    if !self.app.watching() {
                        self.loader.reload();
                    }
                }
                Effect::Suspend => {
                    // Stops the process here until the shell continues it (`fg`).
                    self.away(|| {
                        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
                    })?;
                    let size = self.terminal.size()?;
                    self.app.update(Msg::Resize(size.width, size.height));
                }
            }
        }
        Ok(())
    }

    /// Gives the terminal to `f` (the editor, the shell) and takes it back.
    fn away<T>(&mut self, f: impl FnOnce() -> T) -> Result<T> {
        self.input.pause();
        leave_terminal(self.terminal);
        AWAY.store(true, Ordering::SeqCst);
        let out = f();
        if let Ok(mut b) = BACK.lock() {
            *b = Some(Instant::now());
        }
        AWAY.store(false, Ordering::SeqCst);
        enter_terminal(self.terminal)?;
        self.input.resume();
        Ok(out)
    }
}

/// Whether `msg` brings a catalog (noted in the load trace).
fn catalog_received(msg: &Msg) -> bool {
    let is = matches!(msg, Msg::Loaded { .. });
    if is {
        loader::trace::step(format_args!("catalog received"));
    }
    is
}

/// Whether the terminal belongs to a program the explorer started (the editor): its Ctrl-C is
/// the program's, not ours.
static AWAY: AtomicBool = AtomicBool::new(false);
/// When the terminal came back from that program: a Ctrl-C that ended it may reach the signal
/// thread a moment later, and is still the program's.
static BACK: Mutex<Option<Instant>> = Mutex::new(None);
/// How long after the program ended its Ctrl-C is still taken for its own.
const BACK_GRACE: Duration = Duration::from_millis(500);

/// Whether a SIGINT now is meant for a program the explorer started.
fn sigint_is_the_childs() -> bool {
    AWAY.load(Ordering::SeqCst)
        || BACK
            .lock()
            .map(|b| b.is_some_and(|t| t.elapsed() < BACK_GRACE))
            .unwrap_or(false)
}

/// SIGTERM, SIGHUP and SIGINT end the loop (after saving and restoring). In raw mode Ctrl-C is
/// a key, so a SIGINT comes from outside (`kill -INT`) and is obeyed like SIGTERM, except
/// while the editor runs: then it is the user's Ctrl-C for the editor (which shares the
/// terminal's process group), and the explorer lets it pass. A handler, not "ignore", so the
/// editor starts with the default action.
fn watch_signals(tx: &Sender<Msg>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    // Failing to register leaves the default action, which only skips the restore.
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for signal in signals.forever() {
                if signal == SIGINT && sigint_is_the_childs() {
                    continue;
                }
                let _ = tx.send(Msg::Stop);
                return;
            }
        });
    }
}

/// A closed terminal hangs up: reading it fails at once, and so does asking whether it is one.
/// Looked at a few times a second; ends the loop when it is gone.
fn watch_terminal(tx: Sender<Msg>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(WATCHDOG_EVERY);
            if !std::io::stdout().is_terminal() {
                let _ = tx.send(Msg::Stop);
                return;
            }
        }
    });
}

/// The terminal in raw mode and the alternate screen, drawn through the capped backend.
fn take_terminal() -> Result<Term> {
    crossterm::terminal::enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen)?;
    Ok(ratatui::Terminal::new(Capped(
        ratatui::backend::CrosstermBackend::new(std::io::stdout()),
    ))?)
}

/// A panic on the loop's thread gives the terminal back before it is reported: raw mode off,
/// the main screen, and mouse reporting off too, or the shell receives mouse escapes after a
/// crash.
fn install_panic_hook() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Off the loop's thread (a worker, the loader, their pools) a panic is caught and
        // reported, and so is one in the renderer: the app goes on, so the terminal stays as
        // it is.
        if std::thread::current().name() != Some("main") || crate::markdown::is_rendering() {
            return;
        }
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        ratatui::restore();
        report(info);
    }));
}

/// Gives the terminal back as it was: main screen, cooked mode, cursor shown.
fn leave_terminal(terminal: &mut Term) {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    let _ = terminal.show_cursor();
}

/// Takes the terminal again after [`leave_terminal`], and redraws everything. Not with
/// ratatui's `clear`, which asks the terminal where its cursor is and fails on one that does
/// not answer: the screen is cleared, and an empty frame makes what ratatui knows of it blank
/// too, so the next frame is drawn whole.
fn enter_terminal(terminal: &mut Term) -> Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    terminal.draw(|_| {})?;
    Ok(())
}

/// Runs `$VISUAL` or `$EDITOR` (else `vi`) on `file` through the shell, as git does, so an
/// editor given with arguments (`code --wait`) works. Returns what went wrong, for the status
/// bar.
fn edit(file: &Path) -> Result<(), String> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
        .map_or_else(|| "vi".to_owned(), |v| v.to_string_lossy().into_owned());
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(file)
        .status();
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("the editor `{editor}` ended with {s}")),
        Err(e) => Err(format!("cannot run the editor `{editor}`: {e}")),
    }
}

/// The input thread's state, shared with the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InputState {
    Reading,
    /// The loop wants the terminal for someone else.
    PauseAsked,
    /// The thread is not reading, until resumed.
    Paused,
}

/// Terminal input on a thread of its own: a terminal that hangs or spins cannot wedge the loop.
struct Input {
    state: Arc<(Mutex<InputState>, Condvar)>,
}

/// How long the input thread waits for a key before it looks whether it should pause.
const INPUT_POLL: Duration = Duration::from_millis(100);

impl Input {
    /// Starts reading keys; first, with `detect`, the replies to the picture query written
    /// (until when, and the `--images` asked), keeping the keys typed meanwhile.
    fn start(tx: Sender<Msg>, detect: Option<(Instant, crate::images::Mode)>) -> Input {
        let state = Arc::new((Mutex::new(InputState::Reading), Condvar::new()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            if let Some((deadline, mode)) = detect {
                let found = super::graphics::read_replies(deadline);
                for key in &found.keys {
                    let _ = tx.send(Msg::Key(*key));
                }
                let window = super::graphics::cell_from_window();
                let _ = tx.send(Msg::Graphics(found.graphics(mode, window)));
            }
            read_terminal(&tx, &shared);
        });
        Input { state }
    }

    /// Stops reading the terminal (before the editor or the shell gets it): returns once the
    /// thread is not reading, or after a second if it does not answer.
    fn pause(&self) {
        let (lock, cv) = &*self.state;
        let mut s = lock.lock().unwrap_or_else(|p| p.into_inner());
        *s = InputState::PauseAsked;
        let deadline = Instant::now() + Duration::from_secs(1);
        while *s != InputState::Paused {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            s = cv
                .wait_timeout(s, left)
                .map_or_else(|p| p.into_inner().0, |r| r.0);
        }
    }

    fn resume(&self) {
        let (lock, cv) = &*self.state;
        *lock.lock().unwrap_or_else(|p| p.into_inner()) = InputState::Reading;
        cv.notify_all();
    }
}

fn read_terminal(tx: &Sender<Msg>, state: &(Mutex<InputState>, Condvar)) {
    let (lock, cv) = state;
    loop {
        {
            let mut s = lock.lock().unwrap_or_else(|p| p.into_inner());
            if *s == InputState::PauseAsked {
                *s = InputState::Paused;
                cv.notify_all();
            }
            while *s == InputState::Paused {
                s = cv.wait(s).unwrap_or_else(|p| p.into_inner());
            }
        }
        let msg = match crossterm::event::poll(INPUT_POLL) {
            Ok(false) => continue,
            Ok(true) => match crossterm::event::read() {
                Ok(Event::Key(k)) => Msg::Key(k),
                Ok(Event::Mouse(m)) => Msg::Mouse(m),
                Ok(Event::Resize(w, h)) => {
                    let (w, h) = term::cap(w, h);
                    Msg::Resize(w, h)
                }
                Ok(_) => continue,
                Err(_) => Msg::Stop,
            },
            // The terminal is gone.
            Err(_) => Msg::Stop,
        };
        let stop = matches!(msg, Msg::Stop);
        if tx.send(msg).is_err() || stop {
            return;
        }
    }
}
