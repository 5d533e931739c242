//! The terminal UI: one event loop (draw, read an event, resolve it through the keymap, update)
//! over the state in [`app`], drawn by [`ui`]. `vaultscope snapshot` runs the same loop on a
//! test backend and prints the final screen.

pub mod action;
pub mod app;
pub mod event;
pub mod keymap;
pub mod reader;
pub mod study_ui;
pub mod svg;
pub mod theme;
pub mod ui;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Result;
use crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, Event, KeyEvent, KeyEventKind, MouseEvent,
    MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::EnterAlternateScreen;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::{DefaultTerminal, Terminal};

use crate::vault::Vault;
use action::Action;
use app::{App, Request};
use theme::Theme;

/// Applies an action and every follow-up it asks for.
fn dispatch(app: &mut App, action: Action) {
    let mut next = Some(action);
    while let Some(a) = next {
        next = app.update(a);
    }
}

fn on_key(app: &mut App, key: &KeyEvent) {
    if let Some(action) = keymap::resolve(app.context(), key) {
        dispatch(app, action);
    }
}

/// Runs the explorer on the terminal until the user quits, on the vault folder `root`
/// (canonical: see [`Vault::open_root`]). The first frame comes at once; the vault loads
/// behind it. The terminal is restored on the way out, by ratatui's panic hook on a panic, and
/// after SIGTERM, SIGHUP or SIGINT.
pub fn run(root: PathBuf, first: Option<Action>) -> Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    // Not SIGINT: in raw mode Ctrl-C arrives as a key, and while the editor runs, a Ctrl-C
    // meant for the editor must not end the app too.
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        // Failing to register leaves the default action, which only skips the restore.
        let _ = signal_hook::flag::register(signal, Arc::clone(&stop));
    }
    let (mut bg, warning) = event::Background::start(root.clone());
    let mut terminal = ratatui::init();
    // ratatui's panic hook leaves raw mode and the alternate screen; mouse reporting must be
    // switched off too, or the shell receives mouse escapes after a crash.
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A panic inside the markdown renderer is caught there and becomes a listed problem:
        // the app goes on, so the terminal must stay as it is.
        if crate::markdown::is_rendering() {
            return;
        }
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        restore(info);
    }));
    // Without mouse reporting the app still works; a terminal that refuses it is no error.
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    let size = terminal.size()?;
    let mut app = App::new(
        Vault {
            root: root.clone(),
            ..Vault::default()
        },
        (size.width, size.height),
    );
    app.loading = Some(app::Loading {
        stage: "reading notes",
        read: 0,
        found: 0,
    });
    app.status = warning;
    app.color = Theme::from_env().color;
    app.after_load = first;
    // Study progress lives outside the vault; without a place for it, study still works but
    // is not kept.
    let store = match crate::study::store::Store::for_vault(&root) {
        Ok(store) => match store.load() {
            Ok((progress, warning)) => {
                app.progress = progress;
                if warning.is_some() {
                    app.status = warning;
                }
                Some(store)
            }
            Err(e) => {
                app.status = Some(format!("study progress not kept: {e:#}"));
                None
            }
        },
        Err(e) => {
            app.status = Some(format!("study progress not kept: {e:#}"));
            None
        }
    };
    let result = event_loop(&mut terminal, &mut app, &mut bg, &stop, store.as_ref());
    leave_terminal(&mut terminal);
    result
}

/// Gives the terminal back as it was: main screen, cooked mode, cursor shown.
fn leave_terminal(terminal: &mut DefaultTerminal) {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    let _ = terminal.show_cursor();
}

/// Takes the terminal again after [`leave_terminal`], and redraws everything.
fn enter_terminal(terminal: &mut DefaultTerminal) -> Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen)?;
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    terminal.clear()?;
    Ok(())
}

/// The action for a mouse event: a click focuses and selects, the wheel scrolls the pane under
/// the pointer.
fn on_mouse(app: &App, mouse: &MouseEvent, screen: ratatui::layout::Rect) -> Option<Action> {
    if app.popup.is_some() {
        return None;
    }
    let (panes, _) = ui::layout(screen, app);
    let pos = ratatui::layout::Position::new(mouse.column, mouse.row);
    let &(pane, rect) = panes.iter().find(|(_, r)| r.contains(pos))?;
    let inside = mouse.row > rect.y && mouse.row + 1 < rect.bottom();
    match mouse.kind {
        MouseEventKind::Down(_) => Some(Action::Click {
            pane,
            row: inside.then(|| mouse.row - rect.y - 1),
        }),
        MouseEventKind::ScrollDown => Some(Action::Scroll { pane, down: true }),
        MouseEventKind::ScrollUp => Some(Action::Scroll { pane, down: false }),
        _ => None,
    }
}

/// Brings the app up to date before a frame: reads the selected note's body, runs a search
/// whose query changed, wraps the content for its pane and keeps the list cursors in view.
pub fn prepare(app: &mut App) {
    app.refresh_hits();
    app.load_pending();
    app.build_map();
    let screen = ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1);
    let view = ui::view(screen, app);
    // The content pane's text is rendered here, once per note and width, not in every frame.
    if let Some(width) = view.content_cols {
        app.wrap_content(width);
    }
    app.after_render();
    app.ensure_drawing();
    app.set_view(view);
}

/// Most terminal events handled before the next frame: keys that arrive together (a paste,
/// key repeat) are applied together and drawn once.
const EVENTS_PER_FRAME: usize = 64;

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    bg: &mut event::Background,
    stop: &AtomicBool,
    store: Option<&crate::study::store::Store>,
) -> Result<()> {
    let theme = Theme::from_env();
    loop {
        app.now = crate::time::now();
        bg.tick(app);
        if std::mem::take(&mut app.progress_dirty)
            && let Some(store) = store
        {
            match store.save(&app.progress) {
                Ok((merged, warning)) => {
                    app.progress = merged;
                    if warning.is_some() {
                        app.status = warning;
                    }
                }
                Err(e) => app.status = Some(format!("cannot save study progress: {e:#}")),
            }
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        match app.request.take() {
            Some(Request::Reload) => bg.reload(),
            Some(Request::Edit(file)) => {
                leave_terminal(terminal);
                let outcome = edit(&file);
                enter_terminal(terminal)?;
                app.status = outcome.err();
                // Show the note as saved now; the vault (its title, tags, links) is read
                // again by the watcher, or here when there is none.
                app.forget_content();
                if !bg.watching() {
                    bg.reload();
                }
            }
            Some(Request::Suspend) => {
                leave_terminal(terminal);
                // Stops the process here until the shell continues it (`fg`).
                let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
                enter_terminal(terminal)?;
            }
            None => {}
        }
        prepare(app);
        terminal.draw(|f| ui::draw(f, app, &theme))?;
        if app.quit {
            return Ok(());
        }
        if !crossterm::event::poll(bg.timeout())? {
            continue;
        }
        for i in 0..EVENTS_PER_FRAME {
            let ev = crossterm::event::read()?;
            if i > 0 && matches!(ev, Event::Mouse(_)) {
                // A click lands on what is on screen: bring the view up to date first.
                prepare(app);
            }
            on_event(app, ev, terminal.size()?);
            if app.quit || app.request.is_some() || !crossterm::event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
}

fn on_event(app: &mut App, ev: Event, size: ratatui::layout::Size) {
    match ev {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            app.status = None;
            on_key(app, &key);
        }
        Event::Resize(w, h) => dispatch(app, Action::Resize(w, h)),
        Event::Mouse(mouse) => {
            let screen = ratatui::layout::Rect::new(0, 0, size.width, size.height);
            if let Some(action) = on_mouse(app, &mouse, screen) {
                dispatch(app, action);
            }
        }
        _ => {}
    }
}

/// Runs `$VISUAL` or `$EDITOR` (else `vi`) on `file` through the shell, as git does, so an
/// editor given with arguments (`code --wait`) works. Returns what went wrong, for the status
/// bar.
fn edit(file: &std::path::Path) -> Result<(), String> {
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

/// Runs the app on a `width`×`height` test screen, feeds it `keys`, and returns the final
/// screen as text (one line per row, trailing spaces removed).
pub fn snapshot(vault: Vault, width: u16, height: u16, keys: &[KeyEvent]) -> Result<String> {
    snapshot_at(vault, width, height, keys, crate::time::now())
}

/// [`snapshot`] as if the time were `now` (seconds since 1970): the ages in a note's header
/// depend on it, and tests need the same screen every day.
pub fn snapshot_at(
    vault: Vault,
    width: u16,
    height: u16,
    keys: &[KeyEvent],
    now: i64,
) -> Result<String> {
    let buf = snapshot_buffer(vault, (width, height), keys, &Theme::new(false), now)?;
    Ok(buffer_text(&buf))
}

/// [`snapshot_at`]'s final screen as a buffer, drawn with `theme` (for [`svg::buffer_svg`]).
pub fn snapshot_buffer(
    vault: Vault,
    (width, height): (u16, u16),
    keys: &[KeyEvent],
    theme: &Theme,
    now: i64,
) -> Result<Buffer> {
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    let mut app = App::new(vault, (width, height));
    app.color = theme.color;
    app.now = now;
    for key in keys {
        if app.quit {
            break;
        }
        snapshot_requests(&mut app);
        prepare(&mut app);
        terminal.draw(|f| ui::draw(f, &app, theme))?;
        app.status = None;
        on_key(&mut app, key);
    }
    snapshot_requests(&mut app);
    prepare(&mut app);
    // The last frame alone: the backend's buffer keeps cells earlier frames left behind a
    // wide character, which a real terminal would have cleared.
    let frame = terminal.draw(|f| ui::draw(f, &app, theme))?;
    Ok(frame.buffer.clone())
}

/// A snapshot has no terminal to give away: it reloads in place and says what it skipped.
fn snapshot_requests(app: &mut App) {
    match app.request.take() {
        Some(Request::Reload) => match Vault::load(&app.vault.root) {
            Ok(v) => app.replace_vault(v),
            Err(e) => app.status = Some(format!("cannot read the vault: {e:#}")),
        },
        Some(Request::Edit(_)) => app.status = Some("no editor in a snapshot".to_owned()),
        Some(Request::Suspend) => app.status = Some("no suspending a snapshot".to_owned()),
        None => {}
    }
}

/// The screen as text. A wide character fills two cells; the second is skipped.
pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            line.push_str(symbol);
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyModifiers, MouseButton};

    fn click(column: u16, row: u16) -> MouseEvent {
        MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }
    }

    #[test]
    fn a_click_on_a_border_carries_no_row() {
        let app = App::new(Vault::default(), (80, 12));
        let screen = ratatui::layout::Rect::new(0, 0, 80, 12);
        // The list pane spans rows 0..=10: borders at 0 and 10, rows 1..=9 inside.
        let row = |y| match on_mouse(&app, &click(5, y), screen) {
            Some(Action::Click { pane, row }) => {
                assert_eq!(pane, app::Pane::List);
                row
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(row(0), None);
        assert_eq!(row(1), Some(0));
        assert_eq!(row(9), Some(8));
        assert_eq!(row(10), None);
    }
}
