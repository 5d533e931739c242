//! The terminal UI. Data flows one way: the loop ([`runtime`]) feeds every [`msg::Msg`] into
//! [`app::App::update`], which routes it to the pane or popup it concerns and hands out work
//! as [`msg::Effect`]s; the loop draws only when something changed. The same app runs
//! headless in `vaultscope snapshot` and the tests, with its work done inline ([`settle`]).
//!
//! - [`app`]: the routing and the one `update`; [`panes`] and [`popups`]: state, keys and
//!   drawing of each part; [`ui`]: the layout and the status bar.
//! - [`action`], [`keymap`]: what keys mean; [`msg`]: messages, effects and jobs.
//! - [`runtime`], [`loader`], [`workers`]: the loop on a real terminal and the threads that do
//!   its work; [`reader`]: finding text in a rendered note; [`svg`]: screenshots.

pub mod action;
pub mod app;
pub mod graphics;
pub mod keymap;
pub mod loader;
pub mod msg;
pub mod panes;
pub mod popups;
pub mod reader;
pub mod runtime;
pub mod svg;
pub mod term;
pub mod ui;
pub mod workers;

use anyhow::Result;

use crossterm::event::KeyEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::catalog::Catalog;
use crate::style::Styles;
use crate::vault::Vault;
use app::App;
use msg::{Effect, Msg};

pub use runtime::run;

/// How notes are shown: what the settings (and the flags) choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Display {
    /// Fenced code with a language highlighted (with colour on).
    pub highlight: bool,
    /// What highlighting a note may spend (tests take [`Budget::untimed`] for the same
    /// picture on every machine).
    pub budget: crate::markdown::highlight::Budget,
    /// How embedded pictures show.
    pub images: crate::images::Mode,
}

impl Default for Display {
    fn default() -> Display {
        Display {
            highlight: true,
            budget: crate::markdown::highlight::Budget::default(),
            images: crate::images::Mode::default(),
        }
    }
}

impl Display {
    /// As the configuration's `[content]` says.
    pub fn configured(content: &crate::config::ContentConfig) -> Display {
        Display {
            highlight: content.highlight,
            images: content.images,
            ..Display::default()
        }
    }

    /// The highlighting a rendering does: its budget, or `None` when off.
    pub fn highlighting(self) -> Option<crate::markdown::highlight::Budget> {
        self.highlight.then_some(self.budget)
    }
}

/// Does the app's work inline until none is left: each job runs here and its result goes
/// back in, a reload reads the vault here. What the workers and the loader do on a terminal,
/// done synchronously, so a snapshot or a test sees the finished state.
pub fn settle(app: &mut App) {
    loop {
        let effects = app.take_effects();
        if effects.is_empty() {
            return;
        }
        for effect in effects {
            let msg = match effect {
                Effect::Job(job) => {
                    let mut early = Vec::new();
                    let last = job.run_streaming(&mut |m| early.push(m));
                    for m in early {
                        app.update(m);
                    }
                    last
                }
                Effect::Reload => match Vault::load(&app.vault().root) {
                    Ok(v) => Msg::Loaded {
                        catalog: Catalog::build(v.with_titles(app.vault().titles)),
                        initial: false,
                        next: None,
                    },
                    Err(e) => Msg::LoadFailed(format!("{e:#}")),
                },
                Effect::Edit(_) => Msg::Notice("no editor in a snapshot".to_owned()),
                Effect::Suspend => Msg::Notice("no suspending a snapshot".to_owned()),
                Effect::Dispose(old) => {
                    drop(old);
                    continue;
                }
                // No timers here: a test sends the message itself when it wants it.
                Effect::After(..) => continue,
            };
            app.update(msg);
        }
    }
}

/// Feeds `keys` to the app, settling after each.
pub fn type_keys(app: &mut App, keys: &[KeyEvent]) {
    for key in keys {
        if app.quit() {
            break;
        }
        app.update(Msg::Key(*key));
        settle(app);
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
    let buf = snapshot_buffer(vault, (width, height), keys, Styles::new(false), now)?;
    Ok(buffer_text(&buf))
}

/// [`snapshot_at`]'s final screen as a buffer, drawn with `styles` (for [`svg::buffer_svg`]).
pub fn snapshot_buffer(
    vault: Vault,
    size: (u16, u16),
    keys: &[KeyEvent],
    styles: Styles,
    now: i64,
) -> Result<Buffer> {
    snapshot_with(vault, size, keys, (styles, &Settings::default()), now)
}

/// [`snapshot_buffer`] with a configuration's keys and layout.
pub fn snapshot_with(
    vault: Vault,
    (width, height): (u16, u16),
    keys: &[KeyEvent],
    (styles, settings): (Styles, &Settings),
    now: i64,
) -> Result<Buffer> {
    let mut app = App::new(vault, (width, height));
    app.configure(settings);
    app.set_styles(styles);
    app.set_now(now);
    settle(&mut app);
    type_keys(&mut app, keys);
    Ok(frame(&app, styles))
}

/// What a configuration changes in the explorer: the theme, the keys, the panes, and the
/// warnings it raised (said in the status bar at the start).
#[derive(Debug, Clone)]
pub struct Settings {
    pub theme: &'static crate::style::Theme,
    pub keymap: std::sync::Arc<keymap::Keymap>,
    pub layout: crate::config::LayoutConfig,
    /// Highlighting and pictures in the content pane (`[content]`, then the flags).
    pub display: Display,
    pub warnings: Vec<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            theme: crate::style::Theme::terminal(),
            keymap: std::sync::Arc::new(keymap::Keymap::default()),
            layout: crate::config::LayoutConfig::default(),
            display: Display::default(),
            warnings: Vec::new(),
        }
    }
}

/// The app's screen now, drawn on a test backend of its size.
pub fn frame(app: &App, styles: Styles) -> Buffer {
    let (w, h) = app.size();
    let mut terminal = match Terminal::new(TestBackend::new(w, h)) {
        Ok(t) => t,
        Err(never) => match never {},
    };
    match terminal.draw(|f| app.draw(f, styles)) {
        Ok(frame) => frame.buffer.clone(),
        Err(never) => match never {},
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
            skip = crate::text::width(symbol).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

    fn click(column: u16, row: u16) -> Msg {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    }

    #[test]
    fn a_click_on_a_border_only_focuses() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..30 {
            std::fs::write(dir.path().join(format!("n{i:02}.md")), "x\n").unwrap();
        }
        let mut app = App::new(Vault::load(dir.path()).unwrap(), (80, 12));
        settle(&mut app);
        // The list pane spans rows 0..=10: borders at 0 and 10, rows 1..=9 inside.
        app.update(click(5, 0));
        assert_eq!(app.list().selected_index(), 0);
        app.update(click(5, 10));
        assert_eq!(app.list().selected_index(), 0);
        app.update(click(5, 9));
        assert_eq!(app.list().selected_index(), 8);
        app.update(click(5, 1));
        assert_eq!(app.list().selected_index(), 0);
    }
}
