//! The terminal UI: one event loop (draw, read an event, resolve it through the keymap, update)
//! over the state in [`app`], drawn by [`ui`]. `vaultscope snapshot` runs the same loop on a
//! test backend and prints the final screen.

pub mod action;
pub mod app;
pub mod keymap;
pub mod theme;
pub mod ui;

use anyhow::Result;
use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEvent, KeyEventKind, MouseEvent,
    MouseEventKind,
};
use crossterm::execute;
use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};
use ratatui::buffer::Buffer;

use crate::vault::Vault;
use action::Action;
use app::App;
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

/// Runs the explorer on the terminal until the user quits. The terminal is restored on the
/// way out, and by ratatui's panic hook on a panic.
pub fn run(vault: Vault) -> Result<()> {
    let mut terminal = ratatui::init();
    // Without mouse reporting the app still works; a terminal that refuses it is no error.
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, vault);
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
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
    match mouse.kind {
        MouseEventKind::Down(_) => Some(Action::Click {
            pane,
            row: mouse.row.saturating_sub(rect.y + 1),
            rows: rect.height.saturating_sub(2),
        }),
        MouseEventKind::ScrollDown => Some(Action::Scroll { pane, down: true }),
        MouseEventKind::ScrollUp => Some(Action::Scroll { pane, down: false }),
        _ => None,
    }
}

/// Does what the app asked for that needs I/O: reading a body, reading the vault again.
fn effects(app: &mut App) {
    if app.reload {
        match Vault::load(&app.vault.root) {
            Ok(v) => app.replace_vault(v),
            Err(e) => {
                app.reload = false;
                app.status = Some(format!("cannot read the vault again: {e}"));
            }
        }
    }
    app.load_pending();
    // The content pane's text is wrapped here, once per note and width, not in every frame.
    let screen = ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1);
    let (panes, _) = ui::layout(screen, app);
    if let Some(&(_, rect)) = panes.iter().find(|(p, _)| *p == app::Pane::Content) {
        app.wrap_content(rect.width.saturating_sub(2));
    }
}

fn event_loop<B: Backend>(terminal: &mut Terminal<B>, vault: Vault) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    let mut app = App::new(vault, (size.width, size.height));
    let theme = Theme::from_env();
    loop {
        effects(&mut app);
        terminal.draw(|f| ui::draw(f, &app, &theme))?;
        if app.quit {
            return Ok(());
        }
        match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                app.status = None;
                on_key(&mut app, &key);
            }
            Event::Resize(w, h) => dispatch(&mut app, Action::Resize(w, h)),
            Event::Mouse(mouse) => {
                let size = terminal.size()?;
                let screen = ratatui::layout::Rect::new(0, 0, size.width, size.height);
                if let Some(action) = on_mouse(&app, &mouse, screen) {
                    dispatch(&mut app, action);
                }
            }
            _ => {}
        }
    }
}

/// Runs the app on a `width`×`height` test screen, feeds it `keys`, and returns the final
/// screen as text (one line per row, trailing spaces removed).
pub fn snapshot(vault: Vault, width: u16, height: u16, keys: &[KeyEvent]) -> Result<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    let mut app = App::new(vault, (width, height));
    let theme = Theme::new(false);
    for key in keys {
        if app.quit {
            break;
        }
        effects(&mut app);
        terminal.draw(|f| ui::draw(f, &app, &theme))?;
        app.status = None;
        on_key(&mut app, key);
    }
    effects(&mut app);
    terminal.draw(|f| ui::draw(f, &app, &theme))?;
    Ok(buffer_text(terminal.backend().buffer()))
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
