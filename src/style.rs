//! Every style vaultscope shows, by role: the explorer's panes, rendered markdown, the command
//! line's colours and the SVG screenshots all read them here, so one table decides the look.
//!
//! With colour off (`NO_COLOR`, `--color never`, plain output) a role keeps only bold, dim,
//! italic, underline and reverse, which read on dark and light terminals alike. Pure: ratatui's
//! style types only, no terminal.

use ratatui::style::{Color, Modifier, Style};

/// What a piece of text is, which decides how it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Ordinary text.
    Text,
    /// Secondary text: paths, counts, hints.
    Dim,
    /// Pane and popup titles, names that lead a line.
    Title,
    /// What the eye should find first: a section name, a prompt, a good result.
    Accent,
    /// A tag.
    Tag,
    /// The row or item under the cursor.
    Selected,
    /// A pane's border.
    Border,
    /// The focused pane's border, and a popup's.
    BorderFocused,
    /// The characters a search or find matched.
    Matched,
    /// Warnings and problems.
    Warn,
    /// Headings, by level (`H4` for 4 and deeper).
    H1,
    H2,
    H3,
    H4,
    /// Inline and block code.
    Code,
    /// The frame around a code block, and its language.
    CodeFrame,
    /// A token of highlighted code, by what the grammar says it is.
    Syntax(Syntax),
    /// A URL or markdown link.
    Link,
    /// A wikilink or embed that resolves.
    WikiLink,
    /// A wikilink that leads nowhere.
    Unresolved,
    /// `==highlighted==` text.
    Highlight,
    /// A block quote's bar and text.
    Quote,
    /// A horizontal rule.
    Rule,
    /// A callout's frame and title, by its kind's colour.
    Callout(Tint),
    /// A diagram's nodes and the edges when no node is chosen.
    DiagramNode,
    /// The node under the diagram cursor.
    DiagramSelected,
    /// Edges leaving the chosen node.
    EdgeOut,
    /// Edges entering the chosen node.
    EdgeIn,
    /// Edges that do not touch the chosen node.
    EdgeOther,
}

/// What a token of highlighted code is (the grammar's scopes, grouped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Syntax {
    Keyword,
    /// `+`, `=>`, `and`: operators (shown as text unless a theme says otherwise).
    Operator,
    String,
    Comment,
    Number,
    /// `true`, `None`, escapes and other constants.
    Constant,
    /// Type, class and tag names.
    Type,
    /// Function names, where defined and called.
    Function,
}

/// The colour family of a callout type (Obsidian colours its callouts by type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tint {
    Blue,
    Cyan,
    Green,
    Yellow,
    Red,
    Magenta,
    Gray,
}

impl Tint {
    fn color(self) -> Color {
        match self {
            Tint::Blue => Color::Blue,
            Tint::Cyan => Color::Cyan,
            Tint::Green => Color::Green,
            Tint::Yellow => Color::Yellow,
            Tint::Red => Color::Red,
            Tint::Magenta => Color::Magenta,
            Tint::Gray => Color::Gray,
        }
    }
}

/// The styles of every role, with colour on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Styles {
    color: bool,
}

impl Styles {
    pub fn new(color: bool) -> Styles {
        Styles { color }
    }

    /// Colour unless `NO_COLOR` is set (to anything but empty).
    pub fn from_env() -> Styles {
        Styles::new(no_color_unset())
    }

    /// Whether colours are on.
    pub fn color(self) -> bool {
        self.color
    }

    /// The style of `role`.
    pub fn get(self, role: Role) -> Style {
        let p = Style::new();
        let bold = p.add_modifier(Modifier::BOLD);
        let dim = p.add_modifier(Modifier::DIM);
        let c = |s: Style, color: Color| if self.color { s.fg(color) } else { s };
        match role {
            Role::Text | Role::DiagramNode => p,
            Role::Dim | Role::EdgeOther => dim,
            Role::Title | Role::H4 => bold,
            Role::Accent | Role::EdgeOut => c(bold, Color::Cyan),
            Role::Tag | Role::EdgeIn => c(p, Color::Blue),
            Role::Selected => p.add_modifier(Modifier::REVERSED),
            Role::Border => c(dim, Color::Gray),
            Role::BorderFocused | Role::DiagramSelected => c(bold, Color::Cyan),
            Role::Matched => c(bold.add_modifier(Modifier::UNDERLINED), Color::Yellow),
            Role::Warn => c(p, Color::Yellow),
            Role::H1 | Role::H2 => c(bold, Color::Cyan),
            Role::H3 => c(bold, Color::Blue),
            Role::Code => c(p, Color::Yellow),
            Role::CodeFrame | Role::Quote | Role::Rule => c(dim, Color::Gray),
            Role::Link => c(p.add_modifier(Modifier::UNDERLINED), Color::Blue),
            Role::WikiLink => c(p.add_modifier(Modifier::UNDERLINED), Color::Cyan),
            Role::Unresolved => p.add_modifier(Modifier::DIM | Modifier::UNDERLINED),
            Role::Highlight if self.color => p.fg(Color::Black).bg(Color::Yellow),
            Role::Highlight => p.add_modifier(Modifier::REVERSED),
            Role::Callout(tint) => c(bold, tint.color()),
            // Without colour, highlighted code is code.
            Role::Syntax(_) if !self.color => p,
            Role::Syntax(Syntax::Keyword) => p.fg(Color::Magenta),
            Role::Syntax(Syntax::Operator) => p,
            Role::Syntax(Syntax::String) => p.fg(Color::Green),
            Role::Syntax(Syntax::Comment) => p.fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
            Role::Syntax(Syntax::Number | Syntax::Constant) => p.fg(Color::Red),
            Role::Syntax(Syntax::Type) => p.fg(Color::Cyan),
            Role::Syntax(Syntax::Function) => p.fg(Color::Blue),
        }
    }

    /// `text` in `role`'s style for a terminal: SGR codes around it when colour is on, the
    /// text alone when off. For the command line's output.
    pub fn paint(self, role: Role, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let style = self.get(role);
        let mut codes: Vec<String> = Vec::new();
        let m = style.add_modifier;
        for (flag, code) in [
            (Modifier::BOLD, "1"),
            (Modifier::DIM, "2"),
            (Modifier::ITALIC, "3"),
            (Modifier::UNDERLINED, "4"),
            (Modifier::REVERSED, "7"),
            (Modifier::CROSSED_OUT, "9"),
        ] {
            if m.contains(flag) {
                codes.push(code.to_owned());
            }
        }
        if let Some(fg) = style.fg.and_then(|c| sgr_color(c, false)) {
            codes.push(fg);
        }
        if let Some(bg) = style.bg.and_then(|c| sgr_color(c, true)) {
            codes.push(bg);
        }
        if codes.is_empty() {
            return text.to_owned();
        }
        format!("\x1b[{}m{text}\x1b[0m", codes.join(";"))
    }
}

/// Whether `NO_COLOR` is unset (or empty), the convention of no-color.org.
pub fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The SGR parameter of a colour, foreground or background.
fn sgr_color(color: Color, background: bool) -> Option<String> {
    let base = if background { 40 } else { 30 };
    let named = |n: u8| Some((base + n).to_string());
    let bright = |n: u8| Some((base + 60 + n).to_string());
    match color {
        Color::Reset => None,
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => bright(0),
        Color::LightRed => bright(1),
        Color::LightGreen => bright(2),
        Color::LightYellow => bright(3),
        Color::LightBlue => bright(4),
        Color::LightMagenta => bright(5),
        Color::LightCyan => bright(6),
        Color::White => bright(7),
        Color::Indexed(i) => Some(format!("{};5;{i}", base + 8)),
        Color::Rgb(r, g, b) => Some(format!("{};2;{r};{g};{b}", base + 8)),
    }
}

/// How the named colours look in a picture of the screen (the SVG screenshots): a dark
/// palette, and its background and default foreground.
pub mod picture {
    use ratatui::style::Color;

    /// The picture's background and default text colour.
    pub const BACKGROUND: &str = "#1d2021";
    pub const FOREGROUND: &str = "#d5c4a1";

    /// A colour as `#rrggbb`; `None` for the default colour.
    pub fn rgb(color: Color) -> Option<String> {
        let hex = match color {
            Color::Reset => return None,
            Color::Black => "#282828",
            Color::Red | Color::LightRed => "#fb4934",
            Color::Green | Color::LightGreen => "#b8bb26",
            Color::Yellow | Color::LightYellow => "#fabd2f",
            Color::Blue | Color::LightBlue => "#83a598",
            Color::Magenta | Color::LightMagenta => "#d3869b",
            Color::Cyan | Color::LightCyan => "#8ec07c",
            Color::Gray => "#a89984",
            Color::DarkGray => "#665c54",
            Color::White => "#fbf1c7",
            Color::Rgb(r, g, b) => return Some(format!("#{r:02x}{g:02x}{b:02x}")),
            Color::Indexed(i) => return Some(format!("#{0:02x}{0:02x}{0:02x}", i)),
        };
        Some(hex.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_colour_only_attributes_remain() {
        let plain = Styles::new(false);
        let all = [
            Role::Text,
            Role::Dim,
            Role::Title,
            Role::Accent,
            Role::Tag,
            Role::Selected,
            Role::Border,
            Role::BorderFocused,
            Role::Matched,
            Role::Warn,
            Role::H1,
            Role::H3,
            Role::Code,
            Role::Link,
            Role::WikiLink,
            Role::Unresolved,
            Role::Highlight,
            Role::Callout(Tint::Red),
            Role::EdgeOut,
            Role::Syntax(Syntax::Keyword),
            Role::Syntax(Syntax::Comment),
        ];
        for role in all {
            let s = plain.get(role);
            assert_eq!((s.fg, s.bg), (None, None), "{role:?}");
            assert_eq!(plain.paint(role, "x"), "x");
        }
        // Roles stay told apart without colour.
        assert_ne!(plain.get(Role::Selected), plain.get(Role::Text));
        assert_ne!(plain.get(Role::Unresolved), plain.get(Role::WikiLink));
        assert_ne!(plain.get(Role::Highlight), plain.get(Role::Text));
    }

    #[test]
    fn painted_text_is_one_sgr_sequence_and_a_reset() {
        let s = Styles::new(true);
        assert_eq!(s.paint(Role::Title, "t"), "\x1b[1mt\x1b[0m");
        assert_eq!(s.paint(Role::Accent, "a"), "\x1b[1;36ma\x1b[0m");
        assert_eq!(s.paint(Role::Highlight, "h"), "\x1b[30;43mh\x1b[0m");
        assert_eq!(s.paint(Role::Text, "plain"), "plain");
    }
}
