//! Every style vaultscope shows, by role: the explorer's panes, rendered markdown, the command
//! line's colours and the SVG screenshots all read them here, so one table decides the look.
//!
//! With colour off (`NO_COLOR`, `--color never`, plain output) a role keeps only bold, dim,
//! italic, underline and reverse, which read on dark and light terminals alike. Pure: ratatui's
//! style types only, no terminal.

use std::sync::OnceLock;

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
    /// Highlighted code, by token kind: keywords, strings, comments, numbers and constants,
    /// types, function names.
    CodeKeyword,
    CodeString,
    CodeComment,
    CodeNumber,
    CodeType,
    CodeFunction,
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

impl Syntax {
    /// The theme's role for a token of this kind (an operator is drawn as text).
    pub fn role(self) -> Role {
        match self {
            Syntax::Keyword => Role::CodeKeyword,
            Syntax::Operator => Role::Text,
            Syntax::String => Role::CodeString,
            Syntax::Comment => Role::CodeComment,
            Syntax::Number | Syntax::Constant => Role::CodeNumber,
            Syntax::Type => Role::CodeType,
            Syntax::Function => Role::CodeFunction,
        }
    }
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

impl Role {
    /// Every role, in the order themes and `vaultscope config` list them.
    pub const ALL: [Role; 40] = [
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
        Role::H2,
        Role::H3,
        Role::H4,
        Role::Code,
        Role::CodeFrame,
        Role::CodeKeyword,
        Role::CodeString,
        Role::CodeComment,
        Role::CodeNumber,
        Role::CodeType,
        Role::CodeFunction,
        Role::Link,
        Role::WikiLink,
        Role::Unresolved,
        Role::Highlight,
        Role::Quote,
        Role::Rule,
        Role::Callout(Tint::Blue),
        Role::Callout(Tint::Cyan),
        Role::Callout(Tint::Green),
        Role::Callout(Tint::Yellow),
        Role::Callout(Tint::Red),
        Role::Callout(Tint::Magenta),
        Role::Callout(Tint::Gray),
        Role::DiagramNode,
        Role::DiagramSelected,
        Role::EdgeOut,
        Role::EdgeIn,
        Role::EdgeOther,
    ];

    /// The role's name in a theme (`wiki-link`, `callout-red`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Dim => "dim",
            Role::Title => "title",
            Role::Accent => "accent",
            Role::Tag => "tag",
            Role::Selected => "selected",
            Role::Border => "border",
            Role::BorderFocused => "border-focused",
            Role::Matched => "matched",
            Role::Warn => "warn",
            Role::H1 => "heading1",
            Role::H2 => "heading2",
            Role::H3 => "heading3",
            Role::H4 => "heading4",
            Role::Code => "code",
            Role::CodeFrame => "code-frame",
            Role::CodeKeyword => "code-keyword",
            Role::CodeString => "code-string",
            Role::CodeComment => "code-comment",
            Role::CodeNumber => "code-number",
            Role::CodeType => "code-type",
            Role::CodeFunction => "code-function",
            Role::Link => "link",
            Role::WikiLink => "wiki-link",
            Role::Unresolved => "unresolved-link",
            Role::Highlight => "highlight",
            Role::Quote => "quote",
            Role::Rule => "rule",
            Role::Callout(Tint::Blue) => "callout-blue",
            Role::Callout(Tint::Cyan) => "callout-cyan",
            Role::Callout(Tint::Green) => "callout-green",
            Role::Callout(Tint::Yellow) => "callout-yellow",
            Role::Callout(Tint::Red) => "callout-red",
            Role::Callout(Tint::Magenta) => "callout-magenta",
            Role::Callout(Tint::Gray) => "callout-gray",
            Role::DiagramNode => "diagram-node",
            Role::DiagramSelected => "diagram-selected",
            Role::EdgeOut => "edge-out",
            Role::EdgeIn => "edge-in",
            Role::EdgeOther => "edge-other",
        }
    }

    /// The role a theme calls `name`.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Its place in [`Role::ALL`] (and in a theme's styles), by the enum: every styled span
    /// asks for one, so no search.
    const fn index(self) -> usize {
        match self {
            Role::Text => 0,
            Role::Dim => 1,
            Role::Title => 2,
            Role::Accent => 3,
            Role::Tag => 4,
            Role::Selected => 5,
            Role::Border => 6,
            Role::BorderFocused => 7,
            Role::Matched => 8,
            Role::Warn => 9,
            Role::H1 => 10,
            Role::H2 => 11,
            Role::H3 => 12,
            Role::H4 => 13,
            Role::Code => 14,
            Role::CodeFrame => 15,
            Role::CodeKeyword => 16,
            Role::CodeString => 17,
            Role::CodeComment => 18,
            Role::CodeNumber => 19,
            Role::CodeType => 20,
            Role::CodeFunction => 21,
            Role::Link => 22,
            Role::WikiLink => 23,
            Role::Unresolved => 24,
            Role::Highlight => 25,
            Role::Quote => 26,
            Role::Rule => 27,
            // The tints in their declared order, as `ALL` lists them.
            Role::Callout(t) => 28 + t as usize,
            Role::DiagramNode => 35,
            Role::DiagramSelected => 36,
            Role::EdgeOut => 37,
            Role::EdgeIn => 38,
            Role::EdgeOther => 39,
        }
    }
}

/// A theme: a style for every role. The built-in ones are [`Theme::BUILTIN`]; a configuration
/// makes others by extending one ([`Theme::extend`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    name: String,
    styles: Vec<Style>,
}

impl Theme {
    /// The built-in themes' names; the first is the default.
    pub const BUILTIN: [&'static str; 4] = ["terminal", "dark", "light", "high-contrast"];

    /// The built-in theme called `name`.
    pub fn builtin(name: &str) -> Option<&'static Theme> {
        static THEMES: OnceLock<Vec<Theme>> = OnceLock::new();
        let all = THEMES.get_or_init(|| {
            Theme::BUILTIN
                .iter()
                .map(|&name| Theme {
                    name: name.to_owned(),
                    styles: Role::ALL.iter().map(|&r| builtin_style(name, r)).collect(),
                })
                .collect()
        });
        all.iter().find(|t| t.name == name)
    }

    /// The default theme: the terminal's own palette.
    pub fn terminal() -> &'static Theme {
        Theme::builtin("terminal").unwrap_or_else(|| unreachable!("a built-in theme"))
    }

    /// `base` with some roles' styles replaced, called `name`.
    pub fn extend(base: &Theme, name: &str, styles: &[(Role, Style)]) -> Theme {
        let mut theme = Theme {
            name: name.to_owned(),
            styles: base.styles.clone(),
        };
        for &(role, style) in styles {
            theme.styles[role.index()] = style;
        }
        theme
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The style of `role` in colour.
    pub fn style(&self, role: Role) -> Style {
        self.styles.get(role.index()).copied().unwrap_or_default()
    }

    /// The theme kept for the rest of the process (styles are copied everywhere and borrow
    /// it): configurations make one or two a run.
    pub fn leak(self) -> &'static Theme {
        Box::leak(Box::new(self))
    }
}

/// Parses a style as a theme writes it: words for attributes (`bold`, `dim`, `italic`,
/// `underline`, `reverse`, `crossed-out`), a foreground colour (`cyan`, `light-red`,
/// `#83a598`, `208`), and `on` a background colour; `default` alone for no style.
pub fn parse_style(written: &str) -> Result<Style, String> {
    let form = "expected words like `bold`, `italic`, a colour (`cyan`, `#83a598`, `208`) \
                and `on COLOUR`";
    let mut style = Style::new();
    let mut words = written.split_whitespace().peekable();
    if words.peek().is_none() {
        return Err(format!("an empty style ({form}, or `default`)"));
    }
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        let modifier = match lower.as_str() {
            "default" | "none" | "plain" => Some(Modifier::empty()),
            "bold" => Some(Modifier::BOLD),
            "dim" => Some(Modifier::DIM),
            "italic" => Some(Modifier::ITALIC),
            "underline" | "underlined" => Some(Modifier::UNDERLINED),
            "reverse" | "reversed" => Some(Modifier::REVERSED),
            "crossed-out" | "strikethrough" => Some(Modifier::CROSSED_OUT),
            _ => None,
        };
        if let Some(m) = modifier {
            style = style.add_modifier(m);
        } else if lower == "on" {
            let bg = words
                .next()
                .ok_or_else(|| format!("`on` with no colour after it in {written:?}"))?;
            style = style.bg(parse_color(bg)
                .ok_or_else(|| format!("unknown colour {bg:?} in {written:?} ({form})"))?);
        } else if let Some(fg) = parse_color(word) {
            style = style.fg(fg);
        } else {
            return Err(format!("unknown word {word:?} in {written:?} ({form})"));
        }
    }
    Ok(style)
}

fn parse_color(word: &str) -> Option<Color> {
    word.parse::<Color>().ok()
}

/// A style written as [`parse_style`] reads it.
pub fn style_text(style: Style) -> String {
    let mut words: Vec<String> = Vec::new();
    for (flag, word) in [
        (Modifier::BOLD, "bold"),
        (Modifier::DIM, "dim"),
        (Modifier::ITALIC, "italic"),
        (Modifier::UNDERLINED, "underline"),
        (Modifier::REVERSED, "reverse"),
        (Modifier::CROSSED_OUT, "crossed-out"),
    ] {
        if style.add_modifier.contains(flag) {
            words.push(word.to_owned());
        }
    }
    let color = |c: Color| match c {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
        other => {
            // `LightRed` as `light-red`.
            let name = format!("{other:?}");
            let mut out = String::new();
            for (i, ch) in name.chars().enumerate() {
                if ch.is_ascii_uppercase() && i > 0 {
                    out.push('-');
                }
                out.push(ch.to_ascii_lowercase());
            }
            out
        }
    };
    if let Some(fg) = style.fg {
        words.push(color(fg));
    }
    if let Some(bg) = style.bg {
        words.push(format!("on {}", color(bg)));
    }
    if words.is_empty() {
        "default".to_owned()
    } else {
        words.join(" ")
    }
}

/// The styles of every role, with colour on or off, from a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Styles {
    color: bool,
    theme: &'static Theme,
}

impl Styles {
    /// The default theme's styles, in colour or not.
    pub fn new(color: bool) -> Styles {
        Styles::themed(color, Theme::terminal())
    }

    /// `theme`'s styles in colour; without colour every theme looks the same (`NO_COLOR`
    /// wins over any theme).
    pub fn themed(color: bool, theme: &'static Theme) -> Styles {
        Styles { color, theme }
    }

    /// The theme drawn with in colour.
    pub fn theme(self) -> &'static Theme {
        self.theme
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
        if self.color {
            self.theme.style(role)
        } else {
            terminal_style(false, role)
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

/// The `terminal` theme, today's look: the terminal's own named colours; without colour,
/// the attributes that tell roles apart.
fn terminal_style(color: bool, role: Role) -> Style {
    let p = Style::new();
    let bold = p.add_modifier(Modifier::BOLD);
    let dim = p.add_modifier(Modifier::DIM);
    let c = |s: Style, fg: Color| if color { s.fg(fg) } else { s };
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
        Role::CodeString => c(p, Color::Green),
        Role::CodeKeyword => c(bold, Color::Magenta),
        Role::CodeComment => c(p.add_modifier(Modifier::ITALIC), Color::DarkGray),
        Role::CodeNumber => c(p, Color::Red),
        Role::CodeType => c(p, Color::Cyan),
        Role::CodeFunction => c(p, Color::Blue),
        Role::CodeFrame | Role::Quote | Role::Rule => c(dim, Color::Gray),
        Role::Link => c(p.add_modifier(Modifier::UNDERLINED), Color::Blue),
        Role::WikiLink => c(p.add_modifier(Modifier::UNDERLINED), Color::Cyan),
        Role::Unresolved => p.add_modifier(Modifier::DIM | Modifier::UNDERLINED),
        Role::Highlight if color => p.fg(Color::Black).bg(Color::Yellow),
        Role::Highlight => p.add_modifier(Modifier::REVERSED),
        Role::Callout(tint) => c(bold, tint.color()),
    }
}

/// A built-in theme's style of `role`. `dark` and `light` are written in 24-bit colours for
/// dark and light backgrounds; `high-contrast` in the bright named colours, without `dim`.
fn builtin_style(theme: &str, role: Role) -> Style {
    let written = match theme {
        "dark" => dark(role),
        "light" => light(role),
        "high-contrast" => high_contrast(role),
        _ => return terminal_style(true, role),
    };
    // Checked by a test: every built-in style parses.
    parse_style(written).unwrap_or_default()
}

fn dark(role: Role) -> &'static str {
    match role {
        Role::Text | Role::DiagramNode => "#ebdbb2",
        Role::Dim => "#928374",
        Role::Title => "bold #fbf1c7",
        Role::Accent => "bold #8ec07c",
        Role::Tag => "#83a598",
        Role::Selected => "bold #fbf1c7 on #504945",
        Role::Border | Role::CodeFrame | Role::Rule | Role::EdgeOther => "#665c54",
        Role::BorderFocused | Role::DiagramSelected => "bold #fabd2f",
        Role::Matched => "bold underline #fe8019",
        Role::Warn => "#fabd2f",
        Role::H1 => "bold #fe8019",
        Role::H2 => "bold #fabd2f",
        Role::H3 => "bold #b8bb26",
        Role::H4 => "bold #8ec07c",
        Role::Code => "#d3869b",
        Role::CodeKeyword => "bold #fb4934",
        Role::CodeString => "#b8bb26",
        Role::CodeComment => "italic #928374",
        Role::CodeNumber => "#d3869b",
        Role::CodeType => "#fabd2f",
        Role::CodeFunction => "#8ec07c",
        Role::Link => "underline #83a598",
        Role::WikiLink => "underline #8ec07c",
        Role::Unresolved => "italic underline #fb4934",
        Role::Highlight => "#282828 on #fabd2f",
        Role::Quote => "italic #a89984",
        Role::Callout(Tint::Blue) => "bold #83a598",
        Role::Callout(Tint::Cyan) => "bold #8ec07c",
        Role::Callout(Tint::Green) => "bold #b8bb26",
        Role::Callout(Tint::Yellow) => "bold #fabd2f",
        Role::Callout(Tint::Red) => "bold #fb4934",
        Role::Callout(Tint::Magenta) => "bold #d3869b",
        Role::Callout(Tint::Gray) => "bold #a89984",
        Role::EdgeOut => "bold #8ec07c",
        Role::EdgeIn => "#83a598",
    }
}

fn light(role: Role) -> &'static str {
    match role {
        Role::Text | Role::DiagramNode => "#24292e",
        Role::Dim => "#6a737d",
        Role::Title => "bold #24292e",
        Role::Accent => "bold #005cc5",
        Role::Tag => "#6f42c1",
        Role::Selected => "#24292e on #c8e1ff",
        Role::Border | Role::CodeFrame | Role::Rule | Role::EdgeOther => "#959da5",
        Role::BorderFocused => "bold #005cc5",
        Role::DiagramSelected => "bold #d73a49",
        Role::Matched => "bold underline #b35900",
        Role::Warn => "#b08800",
        Role::H1 => "bold #d73a49",
        Role::H2 => "bold #005cc5",
        Role::H3 => "bold #22863a",
        Role::H4 => "bold #6f42c1",
        Role::Code => "#032f62",
        Role::CodeKeyword => "bold #d73a49",
        Role::CodeString => "#032f62",
        Role::CodeComment => "italic #6a737d",
        Role::CodeNumber => "#005cc5",
        Role::CodeType => "#6f42c1",
        Role::CodeFunction => "#6f42c1",
        Role::Link => "underline #0366d6",
        Role::WikiLink => "underline #22863a",
        Role::Unresolved => "italic underline #cb2431",
        Role::Highlight => "#24292e on #fff5b1",
        Role::Quote => "italic #6a737d",
        Role::Callout(Tint::Blue) => "bold #0366d6",
        Role::Callout(Tint::Cyan) => "bold #1b7c83",
        Role::Callout(Tint::Green) => "bold #22863a",
        Role::Callout(Tint::Yellow) => "bold #b08800",
        Role::Callout(Tint::Red) => "bold #cb2431",
        Role::Callout(Tint::Magenta) => "bold #6f42c1",
        Role::Callout(Tint::Gray) => "bold #6a737d",
        Role::EdgeOut => "bold #005cc5",
        Role::EdgeIn => "#6f42c1",
    }
}

fn high_contrast(role: Role) -> &'static str {
    match role {
        Role::Text | Role::DiagramNode => "white",
        Role::Dim | Role::EdgeOther => "gray",
        Role::Title => "bold white",
        Role::Accent => "bold light-yellow",
        Role::Tag => "bold light-cyan",
        Role::Selected | Role::DiagramSelected => "bold black on light-yellow",
        Role::Border | Role::CodeFrame | Role::Rule => "white",
        Role::BorderFocused => "bold light-yellow",
        Role::Matched => "bold underline black on light-cyan",
        Role::Warn => "bold light-red",
        Role::H1 => "bold underline light-yellow",
        Role::H2 => "bold light-yellow",
        Role::H3 => "bold light-cyan",
        Role::H4 => "bold light-green",
        Role::Code | Role::CodeString => "light-green",
        Role::CodeKeyword => "bold light-magenta",
        Role::CodeComment => "italic gray",
        Role::CodeNumber => "light-cyan",
        Role::CodeType => "light-yellow",
        Role::CodeFunction => "bold light-cyan",
        Role::Link => "underline light-cyan",
        Role::WikiLink => "bold underline light-cyan",
        Role::Unresolved => "underline light-red",
        Role::Highlight => "black on light-yellow",
        Role::Quote => "italic white",
        Role::Callout(Tint::Blue) => "bold light-blue",
        Role::Callout(Tint::Cyan) => "bold light-cyan",
        Role::Callout(Tint::Green) => "bold light-green",
        Role::Callout(Tint::Yellow) => "bold light-yellow",
        Role::Callout(Tint::Red) => "bold light-red",
        Role::Callout(Tint::Magenta) => "bold light-magenta",
        Role::Callout(Tint::Gray) => "bold white",
        Role::EdgeOut => "bold light-green",
        Role::EdgeIn => "bold light-magenta",
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
    fn every_role_indexes_its_own_place() {
        for (i, r) in Role::ALL.iter().enumerate() {
            assert_eq!(r.index(), i, "{r:?}");
        }
    }

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
            Syntax::Keyword.role(),
            Syntax::Comment.role(),
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
    fn every_builtin_theme_styles_every_role_and_round_trips_as_text() {
        for name in Theme::BUILTIN {
            let theme = Theme::builtin(name).unwrap();
            assert_eq!(theme.name(), name);
            for role in Role::ALL {
                assert_eq!(Role::from_name(role.name()), Some(role));
                let style = theme.style(role);
                assert_eq!(
                    parse_style(&style_text(style)),
                    Ok(style),
                    "{name} {role:?}"
                );
            }
            if name != "terminal" {
                // Written in the theme's table, not left to the default.
                for role in Role::ALL {
                    let written = match name {
                        "dark" => dark(role),
                        "light" => light(role),
                        _ => high_contrast(role),
                    };
                    assert!(parse_style(written).is_ok(), "{name} {role:?}: {written}");
                }
            }
        }
        assert_eq!(
            Theme::terminal().style(Role::Accent),
            Styles::new(true).get(Role::Accent)
        );
        assert_ne!(
            Theme::builtin("light").unwrap().style(Role::H1),
            Theme::builtin("dark").unwrap().style(Role::H1)
        );
    }

    #[test]
    fn styles_are_written_in_words() {
        let s = parse_style("bold underline #83a598 on black").unwrap();
        assert_eq!(
            s,
            Style::new()
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
                .fg(Color::Rgb(0x83, 0xa5, 0x98))
                .bg(Color::Black)
        );
        assert_eq!(parse_style("light-red").unwrap().fg, Some(Color::LightRed));
        assert_eq!(parse_style("208").unwrap().fg, Some(Color::Indexed(208)));
        assert_eq!(parse_style("default").unwrap(), Style::new());
        for bad in ["", "bold blurple", "on", "#12345"] {
            assert!(parse_style(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn without_colour_a_theme_changes_nothing() {
        let light = Theme::builtin("light").unwrap();
        for role in Role::ALL {
            assert_eq!(
                Styles::themed(false, light).get(role),
                Styles::new(false).get(role)
            );
            assert_eq!(Styles::themed(true, light).get(role), light.style(role));
        }
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
