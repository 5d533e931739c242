//! The configuration file: `$XDG_CONFIG_HOME/vaultscope/config.toml`, else
//! `~/.config/vaultscope/config.toml`; `--config FILE` and `VAULTSCOPE_CONFIG` name another.
//! TOML, every key optional. An unknown key is a warning naming it and its line; a bad value an
//! error naming the key, the file, the line and the form expected; a missing file at the usual
//! place is the defaults, a file that cannot be read (or a missing one named on purpose) an
//! error. Command-line flags override the file.
//!
//! [`Config`] is the file as written (what `vaultscope config` prints, with every default);
//! [`Loaded::settings`] checks what plain types cannot (themes, keys, names) and gives what the
//! explorer runs with. Terminal-free: the keymap and styles are data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use ratatui::style::Style;

use crate::style::{Role, Theme, parse_style};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap, Remap, parse_key};
use crate::vault::TitleRule;

mod default;
#[cfg(test)]
mod tests;

pub use default::{DEFAULT_FILE, default_file};

/// The configuration file as written, every key with its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Config {
    /// The vault opened without `--vault`: a folder, or a name from `[vaults]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vault: Option<String>,
    /// The theme: a built-in one, a `[themes.NAME]` table, or a theme file.
    pub theme: String,
    /// Where the titles of notes without a `title` property come from.
    pub title_from: TitleFrom,
    /// Vaults by name, for `--vault NAME` and `vault = "NAME"`.
    pub vaults: BTreeMap<String, String>,
    pub study: StudyConfig,
    pub layout: LayoutConfig,
    pub content: ContentConfig,
    /// Remapped keys by context (`[keys.list] "ctrl-j" = "down"`).
    pub keys: BTreeMap<String, BTreeMap<String, String>>,
    /// User themes: role = style, and `extends` a built-in or another user theme.
    pub themes: BTreeMap<String, BTreeMap<String, String>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            vault: None,
            theme: Theme::BUILTIN[0].to_owned(),
            title_from: TitleFrom::FileName,
            vaults: BTreeMap::new(),
            study: StudyConfig::default(),
            layout: LayoutConfig::default(),
            content: ContentConfig::default(),
            keys: BTreeMap::new(),
            themes: BTreeMap::new(),
        }
    }
}

/// Where titles come from (`title-from`, and `--title-from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum TitleFrom {
    /// The `title` property, else the file name (as Obsidian shows them).
    FileName,
    /// The `title` property, else the first `# heading`, else the file name.
    Heading,
}

impl TitleFrom {
    pub fn rule(self) -> TitleRule {
        match self {
            TitleFrom::FileName => TitleRule::FileName,
            TitleFrom::Heading => TitleRule::Heading,
        }
    }
}

/// How study sessions are planned (`[study]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct StudyConfig {
    /// New cards a local day takes.
    pub new_per_day: usize,
    /// Reviews a local day takes.
    pub reviews_per_day: usize,
    /// Options of a choice question shown shuffled.
    pub shuffle: bool,
}

impl Default for StudyConfig {
    fn default() -> StudyConfig {
        StudyConfig {
            new_per_day: crate::study::schedule::NEW_PER_DAY,
            reviews_per_day: crate::study::schedule::REVIEWS_PER_DAY,
            shuffle: true,
        }
    }
}

/// A pane, as `[layout] panes` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaneName {
    List,
    Content,
    Diagram,
    Tags,
}

/// Which panes the explorer shows and how wide (`[layout]`), in percent of the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct LayoutConfig {
    /// The panes shown; the others are off (not drawn, not focused).
    pub panes: Vec<PaneName>,
    /// On a wide screen: the note list's column, the content's, and the column of the
    /// diagram over the tags.
    pub list_width: u16,
    pub content_width: u16,
    pub side_width: u16,
    /// The diagram's share of the side column's height.
    pub diagram_height: u16,
    /// On a narrow screen: the list's share beside the focused pane.
    pub narrow_list_width: u16,
}

impl Default for LayoutConfig {
    fn default() -> LayoutConfig {
        LayoutConfig {
            panes: vec![
                PaneName::List,
                PaneName::Content,
                PaneName::Diagram,
                PaneName::Tags,
            ],
            list_width: 25,
            content_width: 45,
            side_width: 30,
            diagram_height: 55,
            narrow_list_width: 38,
        }
    }
}

/// How the content pane shows code and pictures (`[content]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct ContentConfig {
    /// Fenced code with a language is highlighted.
    pub highlight: bool,
    /// Embedded pictures: shown by the terminal's protocol when it has one, else in
    /// half-blocks (`auto`); always in half-blocks; or not at all (the `[image: x]` text).
    pub images: Images,
}

impl Default for ContentConfig {
    fn default() -> ContentConfig {
        ContentConfig {
            highlight: true,
            images: Images::Auto,
        }
    }
}

/// `[content] images`: the explorer's picture mode.
pub use crate::images::Mode as Images;

/// A configuration that cannot be used: what is wrong, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Where the configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// This file.
    File(PathBuf),
    /// No file at the usual place (this one, when there is a home to look in): the defaults.
    Missing(Option<PathBuf>),
}

/// A configuration read and parsed, with the warnings it raised.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub source: Source,
    /// Unknown keys, each with its line.
    pub warnings: Vec<String>,
    /// Where each key is, for warnings and errors.
    lines: Lines,
}

/// What the explorer runs with, checked: the theme and the keymap.
#[derive(Debug, Clone)]
pub struct Settings {
    pub theme: &'static Theme,
    pub keymap: Arc<Keymap>,
}

/// The file named by `--config` or `VAULTSCOPE_CONFIG` (`explicit`), else the usual place.
pub fn default_path() -> Option<PathBuf> {
    crate::xdg::dir("XDG_CONFIG_HOME", ".config").map(|d| d.join("config.toml"))
}

/// Reads the configuration: `explicit` (from `--config` or `VAULTSCOPE_CONFIG`), which must
/// exist, else the usual place, which may not.
pub fn load(explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
    let (path, must_exist) = match explicit {
        Some(p) => (Some(p.to_path_buf()), true),
        None => (default_path(), false),
    };
    let Some(path) = path else {
        return Ok(Loaded::defaults(Source::Missing(None)));
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|e| {
                ConfigError(format!(
                    "{}: not UTF-8 text (byte {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                ))
            })?;
            parse(&text, &path)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
            Ok(Loaded::defaults(Source::Missing(Some(path))))
        }
        Err(e) => Err(ConfigError(format!(
            "cannot read the configuration {}: {e}",
            path.display()
        ))),
    }
}

/// Parses the text of configuration `file`.
pub fn parse(text: &str, file: &Path) -> Result<Loaded, ConfigError> {
    let name = file.display();
    let de = toml::Deserializer::parse(text)
        .map_err(|e| ConfigError(format!("{name}: not valid TOML: {e}")))?;
    let mut unknown: Vec<String> = Vec::new();
    let mut note = |path: serde_ignored::Path<'_>| unknown.push(path.to_string());
    let ignoring = serde_ignored::Deserializer::new(de, &mut note);
    let lines = Lines::new(text);
    let config: Config = serde_path_to_error::deserialize(ignoring).map_err(|e| {
        // `layout.panes[1]` is found, and explained, as `layout.panes`.
        let key = e.path().to_string();
        let key = key.split('[').next().unwrap_or_default().to_owned();
        let form = expected(&key)
            .map(|f| format!(". Expected {f}"))
            .unwrap_or_default();
        ConfigError(format!(
            "{}: bad value for `{key}`: {}{form}",
            place(&name, lines.of(&key)),
            e.inner().message()
        ))
    })?;
    let mut loaded = Loaded {
        config,
        source: Source::File(file.to_path_buf()),
        warnings: Vec::new(),
        lines,
    };
    for key in unknown {
        loaded.warn_unknown(&key);
    }
    // Unknown names inside the free-form tables are unknown keys too.
    let mut more = Vec::new();
    for context in loaded.config.keys.keys() {
        if Context::from_name(context).is_none() {
            more.push(format!("keys.{context}"));
        }
    }
    for (theme, roles) in &loaded.config.themes {
        for role in roles.keys() {
            if role != "extends" && Role::from_name(role).is_none() {
                more.push(format!("themes.{theme}.{role}"));
            }
        }
    }
    for key in more {
        loaded.warn_unknown(&key);
    }
    loaded.check_plain()?;
    Ok(loaded)
}

/// `file:line`, as compilers place a message, or `file` alone.
fn place(file: &impl std::fmt::Display, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{file}:{l}"),
        None => file.to_string(),
    }
}

/// The form a key's value takes, for errors.
fn expected(key: &str) -> Option<&'static str> {
    Some(match key {
        "vault" => "a folder or a name from [vaults], in quotes",
        "theme" => "a theme's name in quotes, like \"light\"",
        "title-from" => "\"file-name\" or \"heading\"",
        "study.new-per-day" | "study.reviews-per-day" => "a whole number, like 20",
        "study.shuffle" | "content.highlight" => "true or false",
        "content.images" => "\"auto\", \"halfblocks\", \"kitty\", \"sixel\", \"iterm2\" or \"off\"",
        "layout.panes" => "a list of \"list\", \"content\", \"diagram\", \"tags\"",
        k if k.starts_with("layout.") => "a percentage from 5 to 90, like 30",
        k if k.starts_with("themes.") && k.ends_with(".extends") => {
            "a built-in theme's name or another [themes.NAME]'s, like \"dark\""
        }
        k if k.starts_with("keys.") => "an action's name in quotes, like \"down\", or \"none\"",
        k if k.starts_with("themes.") => "a style in quotes, like \"bold cyan on black\"",
        k if k.starts_with("vaults.") => "a folder in quotes",
        _ => return None,
    })
}

impl Loaded {
    fn defaults(source: Source) -> Loaded {
        Loaded {
            config: Config::default(),
            source,
            warnings: Vec::new(),
            lines: Lines::default(),
        }
    }

    /// The configuration file, when there is one.
    pub fn file(&self) -> Option<&Path> {
        match &self.source {
            Source::File(p) => Some(p),
            Source::Missing(_) => None,
        }
    }

    fn file_name(&self) -> String {
        match &self.source {
            Source::File(p) => p.display().to_string(),
            Source::Missing(_) => "the configuration".to_owned(),
        }
    }

    /// Where `key` is: `file:line`, or the file when the line is not known.
    fn at(&self, key: &str) -> String {
        place(&self.file_name(), self.lines.of(key))
    }

    fn warn_unknown(&mut self, key: &str) {
        let at = self.at(key);
        self.warnings
            .push(format!("{at}: unknown key `{key}` (ignored)"));
    }

    /// An error about `key`'s value.
    fn error(&self, key: &str, problem: impl std::fmt::Display) -> ConfigError {
        let form = expected(key)
            .map(|f| format!(". Expected {f}"))
            .unwrap_or_default();
        ConfigError(format!(
            "{}: bad value for `{key}`: {problem}{form}",
            self.at(key)
        ))
    }

    /// The checks of plain values serde's types do not make: ranges, names, duplicates.
    fn check_plain(&self) -> Result<(), ConfigError> {
        let c = &self.config;
        let l = &c.layout;
        for (key, value) in [
            ("layout.list-width", l.list_width),
            ("layout.content-width", l.content_width),
            ("layout.side-width", l.side_width),
            ("layout.diagram-height", l.diagram_height),
            ("layout.narrow-list-width", l.narrow_list_width),
        ] {
            if !(5..=90).contains(&value) {
                return Err(self.error(key, format!("{value} is out of range")));
            }
        }
        if l.panes.is_empty() {
            return Err(self.error("layout.panes", "no pane is shown"));
        }
        for (i, p) in l.panes.iter().enumerate() {
            if l.panes[..i].contains(p) {
                return Err(self.error("layout.panes", format!("{p:?} is listed twice")));
            }
        }
        if c.vault.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(self.error("vault", "it is empty"));
        }
        for (name, dir) in &c.vaults {
            if dir.trim().is_empty() {
                return Err(self.error(&format!("vaults.{name}"), "it is empty"));
            }
        }
        Ok(())
    }

    /// The theme and keymap the configuration makes, checked.
    pub fn settings(&self) -> Result<Settings, ConfigError> {
        Ok(Settings {
            theme: self.theme()?,
            keymap: Arc::new(self.keymap()?),
        })
    }

    /// The keymap: the table with `[keys.*]` applied.
    pub fn keymap(&self) -> Result<Keymap, ConfigError> {
        let mut remaps = Vec::new();
        for (context_name, keys) in &self.config.keys {
            let Some(context) = Context::from_name(context_name) else {
                continue; // warned about
            };
            for (written, action_name) in keys {
                let key_path = format!("keys.{context_name}.{written}");
                let line = self.lines.of(&key_path);
                // The key is what is wrong here, not the action.
                let key = parse_key(written).map_err(|e| {
                    ConfigError(format!(
                        "{}: bad key in [keys.{context_name}]: {e}",
                        self.at(&key_path)
                    ))
                })?;
                let action = match action_name.as_str() {
                    "none" => None,
                    name => Some(Action::from_name(name).ok_or_else(|| {
                        self.error(
                            &key_path,
                            format!(
                                "no action is called {name:?} (`vaultscope config --default` \
                                 lists them)"
                            ),
                        )
                    })?),
                };
                let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
                remaps.push((
                    line,
                    Remap {
                        context,
                        key,
                        action,
                        origin: format!("{written:?}{at}"),
                    },
                ));
            }
        }
        // In the file's order, so a clash names the first binding first.
        remaps.sort_by_key(|(line, _)| *line);
        let remaps: Vec<Remap> = remaps.into_iter().map(|(_, r)| r).collect();
        Keymap::with_remaps(&remaps).map_err(|e| ConfigError(format!("{}: {e}", self.file_name())))
    }

    /// The theme `theme` names: a `[themes.NAME]` table, a built-in theme, or a theme file
    /// (a path ending in `.toml`, relative to the configuration's folder, holding a table of
    /// roles like `[themes.NAME]`).
    pub fn theme(&self) -> Result<&'static Theme, ConfigError> {
        let name = self.config.theme.as_str();
        if self.config.themes.contains_key(name) {
            return self.user_theme(name, &mut Vec::new()).map(Theme::leak);
        }
        if let Some(t) = Theme::builtin(name) {
            return Ok(t);
        }
        if name.ends_with(".toml") {
            return self.theme_file(name).map(Theme::leak);
        }
        Err(self.error(
            "theme",
            format!(
                "no theme is called {name:?} (built in: {}; or a [themes.{name}] table, or \
                 a .toml theme file)",
                Theme::BUILTIN.join(", ")
            ),
        ))
    }

    fn user_theme(&self, name: &str, seen: &mut Vec<String>) -> Result<Theme, ConfigError> {
        if seen.iter().any(|s| s == name) {
            return Err(self.error(
                &format!("themes.{name}.extends"),
                format!(
                    "the themes extend each other in a circle ({})",
                    seen.join(" → ")
                ),
            ));
        }
        seen.push(name.to_owned());
        let roles = &self.config.themes[name];
        let base = match roles.get("extends").map(String::as_str) {
            None => Theme::terminal().clone(),
            // `[themes.dark]` with `extends = "dark"` tweaks the built-in one.
            Some(b) if b != name && self.config.themes.contains_key(b) => {
                self.user_theme(b, seen)?
            }
            Some(b) => Theme::builtin(b).cloned().ok_or_else(|| {
                self.error(
                    &format!("themes.{name}.extends"),
                    format!(
                        "no theme is called {b:?} (built in: {})",
                        Theme::BUILTIN.join(", ")
                    ),
                )
            })?,
        };
        let styles = self.role_styles(roles, |role| format!("themes.{name}.{role}"))?;
        Ok(Theme::extend(&base, name, &styles))
    }

    fn role_styles(
        &self,
        roles: &BTreeMap<String, String>,
        key: impl Fn(&str) -> String,
    ) -> Result<Vec<(Role, Style)>, ConfigError> {
        let mut out = Vec::new();
        for (role_name, written) in roles {
            let Some(role) = Role::from_name(role_name) else {
                continue; // "extends", or warned about
            };
            let style = parse_style(written).map_err(|e| self.error(&key(role_name), e))?;
            out.push((role, style));
        }
        Ok(out)
    }

    /// A theme file: `extends = "..."` (a built-in theme) and role = style lines.
    fn theme_file(&self, written: &str) -> Result<Theme, ConfigError> {
        let path = self.relative(written);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            self.error(
                "theme",
                format!("cannot read the theme file {}: {e}", path.display()),
            )
        })?;
        let roles: BTreeMap<String, String> = toml::from_str(&text).map_err(|e| {
            ConfigError(format!(
                "{}: a theme file is role = \"style\" lines: {}",
                path.display(),
                e.message()
            ))
        })?;
        let base = match roles.get("extends") {
            None => Theme::terminal(),
            Some(b) => Theme::builtin(b).ok_or_else(|| {
                ConfigError(format!(
                    "{}: bad value for `extends`: no built-in theme is called {b:?} \
                     (built in: {})",
                    path.display(),
                    Theme::BUILTIN.join(", ")
                ))
            })?,
        };
        let mut styles = Vec::new();
        for (role_name, style) in &roles {
            if role_name == "extends" {
                continue;
            }
            let role = Role::from_name(role_name).ok_or_else(|| {
                ConfigError(format!("{}: unknown role `{role_name}`", path.display()))
            })?;
            let style = parse_style(style).map_err(|e| {
                ConfigError(format!(
                    "{}: bad value for `{role_name}`: {e}",
                    path.display()
                ))
            })?;
            styles.push((role, style));
        }
        Ok(Theme::extend(base, written, &styles))
    }

    /// A path written in the configuration: `~/` is the home folder, a relative path is
    /// relative to the configuration's folder.
    pub fn relative(&self, written: &str) -> PathBuf {
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
        if let (Some(rest), Some(home)) = (written.strip_prefix("~/"), &home) {
            return PathBuf::from(home).join(rest);
        }
        let p = PathBuf::from(written);
        match (&self.source, p.is_relative()) {
            (Source::File(f), true) => f.parent().map_or(p.clone(), |d| d.join(&p)),
            _ => p,
        }
    }

    /// The vault folder `--vault` (`explicit`) means: a folder that exists is that folder;
    /// else a name from `[vaults]` is that vault; else the folder as written (which the
    /// explorer then says is missing). Without `--vault`: `$VAULTSCOPE_VAULT`, else the
    /// file's `vault` (a name or a folder), else `./notes` when it exists, else `.`.
    pub fn vault_dir(&self, explicit: Option<&Path>) -> PathBuf {
        let from_env = std::env::var_os("VAULTSCOPE_VAULT")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let named = |p: &Path| -> Option<PathBuf> {
            if p.is_dir() {
                return None;
            }
            let dir = self.config.vaults.get(p.to_str()?)?;
            Some(self.relative(dir))
        };
        if let Some(p) = explicit.map(Path::to_path_buf).or(from_env) {
            return named(&p).unwrap_or(p);
        }
        if let Some(v) = &self.config.vault {
            return match self.config.vaults.get(v) {
                Some(dir) => self.relative(dir),
                None => self.relative(v),
            };
        }
        if Path::new("notes").is_dir() {
            PathBuf::from("notes")
        } else {
            PathBuf::from(".")
        }
    }
}

/// The line of every key of a TOML text, found once by walking its parsed tables.
#[derive(Debug, Clone, Default)]
struct Lines {
    /// Dotted key (`study.new-per-day`, `keys.list.ctrl-j`) → its 1-based line.
    of: std::collections::HashMap<String, usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut lines = Lines::default();
        if let Ok(root) = toml::de::DeTable::parse(text) {
            // Line starts, to turn a byte offset into a line by a binary search.
            let starts: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            let line = |pos: usize| starts.partition_point(|&s| s <= pos);
            lines.walk(root.get_ref(), "", &line);
        }
        lines
    }

    fn walk(&mut self, table: &toml::de::DeTable<'_>, prefix: &str, line: &dyn Fn(usize) -> usize) {
        for (k, v) in table {
            let key = if prefix.is_empty() {
                k.get_ref().to_string()
            } else {
                format!("{prefix}.{}", k.get_ref())
            };
            self.of.insert(key.clone(), line(k.span().start));
            if let toml::de::DeValue::Table(t) = v.get_ref() {
                self.walk(t, &key, line);
            }
        }
    }

    /// The line of the dotted `key`, or of the deepest table of it that is there.
    fn of(&self, key: &str) -> Option<usize> {
        let mut key = key;
        loop {
            if let Some(&l) = self.of.get(key) {
                return Some(l);
            }
            key = &key[..key.rfind('.')?];
        }
    }
}

/// The effective configuration as TOML (what `vaultscope config` prints).
pub fn to_toml(config: &Config) -> String {
    toml::to_string(config).unwrap_or_else(|e| format!("# cannot write the configuration: {e}\n"))
}
