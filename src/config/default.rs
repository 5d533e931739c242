//! The commented default configuration that `vaultscope config --default` prints: every key
//! with its default value, and commented examples of the tables that have none. A test checks
//! it parses to [`super::Config::default`].

use crate::style::Role;
use crate::tui::action::Action;
use crate::tui::keymap::Context;

/// The file, less the generated lists of actions and roles at its end.
pub const DEFAULT_FILE: &str = r##"# vaultscope configuration: $XDG_CONFIG_HOME/vaultscope/config.toml
# (else ~/.config/vaultscope/config.toml; --config FILE or VAULTSCOPE_CONFIG name another).
# Every key is optional: this file holds the defaults. Flags on the command line win over it.

# The vault opened without --vault: a folder, or a name from [vaults] below.
# vault = "~/notes"

# The theme: "terminal" (the terminal's own colours), "dark", "light", "high-contrast",
# a [themes.NAME] table below, or a theme file ("mine.toml", beside this file).
# NO_COLOR (or --color never) still turns every colour off.
theme = "terminal"

# Titles of notes without a `title` property: "file-name" (as Obsidian) or "heading"
# (the first `# heading`). --title-from overrides it.
title-from = "file-name"

# Vaults by name: `vaultscope --vault work` opens the folder `work` when there is one here,
# else the vault named work. Relative folders are relative to this file's folder.
[vaults]
# work = "~/work/notes"
# exam = "/srv/notes/aws-exam"

[study]
# New cards and reviews a local day takes (--new-per-day, --reviews-per-day).
new-per-day = 20
reviews-per-day = 200
# Options of choice questions in a shuffled order (--no-shuffle turns it off).
shuffle = true

[layout]
# The panes shown; a pane left out is neither drawn nor focused.
panes = ["list", "content", "diagram", "tags"]
# On a wide screen (160x45 and up), in percent: the list, the content, and the side column
# with the diagram over the tags; and the diagram's share of that column.
list-width = 25
content-width = 45
side-width = 30
diagram-height = 55
# On a narrower screen, the list's share beside the focused pane.
narrow-list-width = 38

[content]
# Fenced code with a language highlighted.
highlight = true
# Embedded pictures: "auto" (the terminal's picture protocol, kitty, iTerm2 or sixel, else
# half-blocks), "halfblocks", "kitty", "sixel", "iterm2", or "off" (the [image: name] text).
images = "auto"

# Keys by context, on top of the built-in ones (`?` in the explorer lists them): a key, then
# an action's name, or "none" to unbind it. Keys: a character ("j", "G"), a name ("enter",
# "esc", "tab", "space", "backspace", "up", "down", "left", "right", "home", "end", "pgup",
# "pgdn"), with modifiers ("ctrl-j", "alt-x", "shift-tab"), or "<C-j>". Contexts: global,
# list, content, diagram, map, tags, search, find, study, picker (outline, backlinks), help.
[keys]
# [keys.list]
# "ctrl-j" = "down"
# "ctrl-k" = "up"
# "x" = "none"

# Your own themes: a style for any role, on top of the theme it extends. A style is words:
# attributes (bold, dim, italic, underline, reverse, crossed-out), a colour (a name like
# cyan or light-red, #rrggbb, or 0-255), and `on COLOUR` for the background.
[themes]
# [themes.mine]
# extends = "dark"
# heading1 = "bold #ff8800"
# selected = "black on light-yellow"
"##;

/// The default file with, as comments at its end, the names of every action and role.
pub fn default_file() -> String {
    let mut out = DEFAULT_FILE.to_owned();
    out.push_str("\n# Actions:\n");
    let names: Vec<String> = Action::ALL.iter().map(|a| a.name()).collect();
    wrap_comment(&mut out, &names);
    out.push_str("# Key contexts: ");
    let contexts: Vec<&str> = Context::NAMED.iter().map(|(n, _)| *n).collect();
    out.push_str(&contexts.join(", "));
    out.push_str("\n# Theme roles:\n");
    let roles: Vec<String> = Role::ALL.iter().map(|r| r.name().to_owned()).collect();
    wrap_comment(&mut out, &roles);
    out
}

/// `words` as comment lines of at most about 95 columns.
fn wrap_comment(out: &mut String, words: &[String]) {
    let mut line = String::from("#  ");
    for w in words {
        if line.len() + w.len() > 95 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from("#  ");
        }
        line.push(' ');
        line.push_str(w);
    }
    out.push_str(line.trim_end());
    out.push('\n');
}
