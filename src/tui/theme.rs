//! Every style the TUI uses, in one place. With `NO_COLOR` set, only bold, dim, reverse and
//! underline remain, which read on dark and light terminals alike.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub accent: Style,
    pub tag: Style,
    pub selected: Style,
    pub border: Style,
    pub border_focused: Style,
    pub matched: Style,
    pub warn: Style,
    /// Whether colours are on (the content's markdown palette follows).
    pub color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        let plain = Style::new();
        let c = |style: Style, color_: Color| if color { style.fg(color_) } else { style };
        Theme {
            text: plain,
            dim: plain.add_modifier(Modifier::DIM),
            title: plain.add_modifier(Modifier::BOLD),
            accent: c(plain.add_modifier(Modifier::BOLD), Color::Cyan),
            tag: c(plain, Color::Blue),
            selected: plain.add_modifier(Modifier::REVERSED),
            border: c(plain.add_modifier(Modifier::DIM), Color::Gray),
            border_focused: c(plain.add_modifier(Modifier::BOLD), Color::Cyan),
            matched: c(
                plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                Color::Yellow,
            ),
            warn: c(plain, Color::Yellow),
            color,
        }
    }

    /// Colour unless `NO_COLOR` is set (to anything but empty).
    pub fn from_env() -> Theme {
        Theme::new(std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()))
    }
}
