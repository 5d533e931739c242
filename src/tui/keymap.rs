//! The keymap as data: one table drives key handling, the `?` help overlay and the status-bar
//! hints, so they never drift apart. One line per binding, keys written in the notation of
//! `vaultscope snapshot --keys` (`q`, `<C-c>`, `<S-Tab>`, `<PgDn>`), which a configuration can
//! use too; actions by their [`Action`] variant, which has a name for configurations.
//!
//! A context says what it does with keys it does not bind: panes fall back to the global
//! bindings; the search and find lines and a study session take typed characters as text
//! (answers, in a session) and keep only quitting and suspending from the global ones; the
//! help and problems overlays close on any other key.

use std::borrow::Cow;
use std::sync::OnceLock;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::panes::Pane;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Anywhere without a popup.
    Global,
    /// When this pane has the focus.
    Pane(Pane),
    /// In the search popup.
    Search,
    /// In the help or problems overlay: scrolling keys scroll, any other key closes it.
    Overlay,
    /// In a list to pick from: the outline, the backlinks, the notes about a node.
    Picker,
    /// Typing in the find line.
    Find,
    /// In a study session.
    Study,
    /// In the diagram pane while it shows the architecture map: its own keys first, then the
    /// diagram pane's (walking, compact boxes), then the global ones.
    Map,
}

/// What a context does with a key it does not bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fallback {
    /// The global bindings apply.
    Global,
    /// This pane's bindings apply, then the global ones.
    PaneThenGlobal(Pane),
    /// Only quitting and suspending still work (a popup that takes most keys).
    QuitAndSuspend,
    /// Any other key closes the popup.
    Close,
    /// Nothing.
    Nothing,
}

impl Context {
    /// Whether characters typed here are text (a query, an answer) rather than commands.
    pub fn captures_text(self) -> bool {
        matches!(self, Context::Search | Context::Find | Context::Study)
    }

    fn fallback(self) -> Fallback {
        match self {
            Context::Pane(_) => Fallback::Global,
            Context::Map => Fallback::PaneThenGlobal(Pane::Diagram),
            Context::Search | Context::Find | Context::Study | Context::Picker => {
                Fallback::QuitAndSuspend
            }
            Context::Overlay => Fallback::Close,
            Context::Global => Fallback::Nothing,
        }
    }
}

pub struct Binding {
    pub context: Context,
    /// The key, in `--keys` notation.
    pub key: &'static str,
    pub action: Action,
    /// For the help overlay.
    pub desc: &'static str,
    /// Shown in the status bar, in this shorter form.
    pub hint: Option<&'static str>,
}

const fn b(
    context: Context,
    key: &'static str,
    action: Action,
    desc: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        context,
        key,
        action,
        desc,
        hint,
    }
}

use Action::*;
use Context::{Find as F, Global as G, Overlay as O, Picker as P, Search as S, Study as ST};

const TAGS: Context = Context::Pane(Pane::Tags);
const LIST: Context = Context::Pane(Pane::List);
const DIAGRAM: Context = Context::Pane(Pane::Diagram);
const CONTENT: Context = Context::Pane(Pane::Content);
const MAP: Context = Context::Map;

/// Every binding, in the order the help lists them.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(G,       "q",       Quit,            "quit", Some("quit")),
    b(G,       "<C-c>",   Quit,            "quit", None),
    b(G,       "?",       ToggleHelp,      "help", Some("help")),
    b(G,       "/",       OpenSearch,      "search names or text (Tab switches)", Some("search")),
    b(G,       "<C-p>",   OpenSearch,      "search names or text (Tab switches)", None),
    b(G,       "<Tab>",   NextPane,        "next pane", Some("next pane")),
    b(G,       "<S-Tab>", PrevPane,        "previous pane", None),
    b(G,       "1",       FocusList,       "focus notes", None),
    b(G,       "2",       FocusContent,    "focus content", None),
    b(G,       "3",       FocusDiagram,    "focus diagram", None),
    b(G,       "4",       FocusTags,       "focus tags", None),
    b(G,       "z",       ToggleZoom,      "zoom the focused pane", None),
    b(G,       "!",       ToggleProblems,  "problems found in the vault", None),
    b(G,       "r",       Reload,          "read the vault again", None),
    b(G,       "e",       Edit,            "open the note in $EDITOR", Some("edit")),
    b(G,       "<C-z>",   Suspend,         "suspend (fg resumes)", None),
    b(G,       "o",       OpenOutline,     "outline: jump to a heading", None),
    b(G,       "M",       ToggleMap,       "architecture map of the notes in view", None),
    b(G,       "s",       StudyView,       "study the questions of the notes in view", Some("study")),
    b(G,       "a",       StudyNote,       "study this note's questions", None),
    b(G,       "d",       StudyDue,        "study what is due today", None),
    b(G,       "P",       ToggleProgress,  "study progress: accuracy, due, streak", None),
    b(G,       "b",       OpenBacklinks,   "notes linking here", None),
    b(G,       "H",       Back,            "back to the note before", None),
    b(G,       "L",       Forward,         "forward again", None),
    b(G,       "j",       Down,            "down", None),
    b(G,       "<Down>",  Down,            "down", None),
    b(G,       "k",       Up,              "up", None),
    b(G,       "<Up>",    Up,              "up", None),
    b(G,       "g",       Top,             "first line", None),
    b(G,       "<Home>",  Top,             "first line", None),
    b(G,       "G",       Bottom,          "last line", None),
    b(G,       "<End>",   Bottom,          "last line", None),
    b(G,       "<C-d>",   HalfPageDown,    "half a page down", None),
    b(G,       "<C-u>",   HalfPageUp,      "half a page up", None),
    b(G,       "<PgDn>",  PageDown,        "page down", None),
    b(G,       "<PgUp>",  PageUp,          "page up", None),
    b(LIST,    "S",       CycleSort,       "sort by title / created / modified", Some("sort")),
    b(DIAGRAM, "h",       NodeLeft,        "node to the left", Some("walk nodes")),
    b(DIAGRAM, "<Left>",  NodeLeft,        "node to the left", None),
    b(DIAGRAM, "l",       NodeRight,       "node to the right", None),
    b(DIAGRAM, "<Right>", NodeRight,       "node to the right", None),
    b(DIAGRAM, "<Enter>", OpenNode,        "open the note the node names", Some("open")),
    b(DIAGRAM, "c",       ToggleCompact,   "boxes or compact [labels]", None),
    b(DIAGRAM, "t",       ToggleRelayout,  "the author's grid or a new layout", None),
    b(DIAGRAM, "]",       NextDiagram,     "next diagram", Some("next diagram")),
    b(DIAGRAM, "[",       PrevDiagram,     "previous diagram", None),
    b(MAP,     "<Enter>", OpenNode,        "focus; open a node's or an edge's notes", Some("focus/open")),
    b(MAP,     "f",       MapFilter,       "filter the components (초성 too)", Some("filter")),
    b(MAP,     "]",       NextDiagram,     "next edge at the node", Some("edges")),
    b(MAP,     "[",       PrevDiagram,     "previous edge", None),
    b(MAP,     "+",       MapDeeper,       "focus one ring deeper (to 3)", Some("depth")),
    b(MAP,     "-",       MapShallower,    "focus one ring less", None),
    b(MAP,     "p",       MapPath,         "flows from here, then to here", Some("path")),
    b(MAP,     "w",       MapWhole,        "whole map by clusters and frames", Some("whole")),
    b(MAP,     "<Esc>",   MapBack,         "back: the components list", Some("back")),
    b(G,       "<Esc>",   MapReturn,       "back to the map a note was opened from", None),
    b(O,       "j",       Down,            "scroll down", Some("scroll")),
    b(O,       "<Down>",  Down,            "scroll down", None),
    b(CONTENT, "f",       OpenFind,        "find in the note", Some("find")),
    b(CONTENT, "n",       FindNext,        "next match", None),
    b(CONTENT, "N",       FindPrev,        "previous match", None),
    b(CONTENT, "]",       NextLink,        "choose the next link", Some("links")),
    b(CONTENT, "[",       PrevLink,        "choose the previous link", None),
    b(CONTENT, "<Enter>", FollowLink,      "follow the chosen link", None),
    b(CONTENT, ">",       CodeRight,       "scroll wide code and diagrams right", Some("code sideways")),
    b(CONTENT, "<lt>",    CodeLeft,        "scroll wide code and diagrams left", None),
    b(CONTENT, "D",       ToggleDiagramSource, "diagram blocks: drawings or sources", Some("drawing/source")),
    b(P,       "<Down>",  PickNext,        "next", Some("move")),
    b(P,       "j",       PickNext,        "next", None),
    b(P,       "<C-n>",   PickNext,        "next", None),
    b(P,       "<Up>",    PickPrev,        "previous", None),
    b(P,       "k",       PickPrev,        "previous", None),
    b(P,       "<C-p>",   PickPrev,        "previous", None),
    b(P,       "<Enter>", PickAccept,      "go there", Some("go")),
    b(P,       "<Esc>",   ClosePopup,      "close", Some("close")),
    b(P,       "q",       ClosePopup,      "close", None),
    b(ST,      "<Esc>",   StudyEnd,        "end the session / close", Some("end")),
    b(ST,      "<Enter>", StudyNext,       "next question", Some("next")),
    b(ST,      "<Space>", StudySpace,      "reveal / next", None),
    b(ST,      "<Down>",  StudyLineDown,   "scroll down", None),
    b(ST,      "<Up>",    StudyLineUp,     "scroll up", None),
    b(ST,      "<PgDn>",  StudyPageDown,   "page down", None),
    b(ST,      "<PgUp>",  StudyPageUp,     "page up", None),
    b(ST,      "<Tab>",   StudyGoToNote,   "go to the question's note (s returns)", Some("note")),
    b(ST,      "r",       StudyRetry,      "retry the missed ones (summary)", None),
    b(ST,      "1",       StudyGradeAgain, "grade: again (after answering)", Some("grade")),
    b(ST,      "2",       StudyGradeHard,  "grade: hard", None),
    b(ST,      "3",       StudyGradeGood,  "grade: good (Enter / Space)", None),
    b(ST,      "4",       StudyGradeEasy,  "grade: easy", None),
    b(ST,      "u",       StudyUndo,       "undo the last answer", Some("undo")),
    b(ST,      "x",       StudySuspend,    "suspend the card (vaultscope unsuspend ID)", None),
    b(F,       "<Enter>", FindAccept,      "keep the matches (n / N move)", Some("done")),
    b(F,       "<Esc>",   FindCancel,      "cancel", Some("cancel")),
    b(F,       "<Bksp>",  FindBackspace,   "delete a character", None),
    b(O,       "k",       Up,              "scroll up", None),
    b(O,       "<Up>",    Up,              "scroll up", None),
    b(O,       "<PgDn>",  PageDown,        "page down", None),
    b(O,       "<PgUp>",  PageUp,          "page up", None),
    b(O,       "g",       Top,             "top", None),
    b(O,       "G",       Bottom,          "bottom", None),
    b(O,       "h",       OpenHardest,     "hardest cards' notes (progress)", None),
    b(O,       "<Esc>",   ClosePopup,      "close (so does any other key)", Some("close")),
    b(O,       "q",       Quit,            "quit", None),
    b(O,       "<C-c>",   Quit,            "quit", None),
    b(O,       "<C-z>",   Suspend,         "suspend (fg resumes)", None),
    b(TAGS,    "<Space>", ToggleTag,       "select tag (filters the list)", Some("select")),
    b(TAGS,    "<Enter>", ToggleExpand,    "expand / collapse", Some("expand")),
    b(TAGS,    "m",       ToggleTagMode,   "all selected tags / any", Some("all/any")),
    b(TAGS,    "c",       ClearTags,       "clear the tag filter", Some("clear")),
    b(S,       "<Esc>",   ClosePopup,      "close", Some("close")),
    b(S,       "<Enter>", SearchAccept,    "open the note (text: at its line)", Some("open")),
    b(S,       "<Tab>",   SearchMode,      "names / full text", Some("names/text")),
    b(S,       "<C-t>",   SearchMode,      "names / full text", None),
    b(S,       "<Down>",  SearchNext,      "next result", Some("next")),
    b(S,       "<C-n>",   SearchNext,      "next result", None),
    b(S,       "<Up>",    SearchPrev,      "previous result", None),
    b(S,       "<C-p>",   SearchPrev,      "previous result", None),
    b(S,       "<Bksp>",  SearchBackspace, "delete a character", None),
    b(S,       "<C-u>",   SearchClear,     "clear the query", None),
];

/// What a key does in a context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Action(Action),
    /// A character typed into a context that takes text.
    Text(char),
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const ALT: KeyModifiers = KeyModifiers::ALT;

/// Each binding's key, parsed once.
fn keys() -> &'static [KeyEvent] {
    static KEYS: OnceLock<Vec<KeyEvent>> = OnceLock::new();
    KEYS.get_or_init(|| {
        BINDINGS
            .iter()
            .map(|b| match parse_keys(b.key).as_deref() {
                Ok([k]) => *k,
                // The table is checked by a test; a bad entry binds nothing.
                _ => KeyEvent::new(KeyCode::Null, NONE),
            })
            .collect()
    })
}

/// Every binding with its key as an event.
pub fn with_keys() -> impl Iterator<Item = (&'static Binding, KeyEvent)> {
    BINDINGS.iter().zip(keys().iter().copied())
}

/// Whether a key event is the key `bound` (Shift is implied by upper-case characters, which
/// terminals report with or without the modifier).
fn same_key(bound: &KeyEvent, key: &KeyEvent) -> bool {
    if bound.code != key.code {
        return false;
    }
    let mods = key.modifiers & (CTRL | ALT | SHIFT);
    match bound.code {
        KeyCode::Char(c) if !c.is_ascii_lowercase() => (mods - SHIFT) == (bound.modifiers - SHIFT),
        KeyCode::BackTab => true,
        _ => mods == bound.modifiers,
    }
}

/// One binding in force: a row of [`BINDINGS`], or one a configuration made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub context: Context,
    pub key: KeyEvent,
    /// `None` where a configuration unbound the key: it does nothing here, not even what the
    /// context's fallback would do.
    pub action: Option<Action>,
    pub desc: Cow<'static, str>,
    pub hint: Option<&'static str>,
}

/// A configuration's binding: in `context`, `key` does `action` (`None` unbinds it).
/// `origin` names it in an error (`"ctrl-j" (line 3)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remap {
    pub context: Context,
    pub key: KeyEvent,
    pub action: Option<Action>,
    pub origin: String,
}

/// The bindings in force: [`BINDINGS`] with a configuration's remaps applied. Key handling,
/// the help overlay and the status hints all read this, so they show the user's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bound: Vec<Bound>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            bound: with_keys()
                .map(|(b, key)| Bound {
                    context: b.context,
                    key,
                    action: Some(b.action),
                    desc: Cow::Borrowed(b.desc),
                    hint: b.hint,
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// The table with `remaps` applied: a remapped key leaves the table's binding of that key
    /// in that context; a user's binding takes the place of the table's first binding of its
    /// action there (so the help lists the user's key first and keeps its order), and an
    /// action's status hint goes with its first key. Two remaps of one key in one context
    /// are an error naming both.
    pub fn with_remaps(remaps: &[Remap]) -> Result<Keymap, String> {
        for (i, a) in remaps.iter().enumerate() {
            if let Some(b) = remaps[..i]
                .iter()
                .find(|b| b.context == a.context && same_key(&b.key, &a.key))
            {
                return Err(format!(
                    "{} and {} are the same key in [keys.{}]",
                    b.origin,
                    a.origin,
                    a.context.name()
                ));
            }
        }
        let table = Keymap::default();
        let hints: Vec<(Context, Action, &'static str)> = table
            .bound
            .iter()
            .filter_map(|b| Some((b.context, b.action?, b.hint?)))
            .collect();
        let bound: Vec<Bound> = table
            .bound
            .iter()
            .filter(|b| {
                !remaps
                    .iter()
                    .any(|r| r.context == b.context && same_key(&r.key, &b.key))
            })
            .cloned()
            .collect();
        // Each binding's place: a table row keeps its own; a user's binding goes where the
        // table first bound its action in its context (else at the context's start), ahead
        // of the rows there, so the help and hints keep their order.
        let place = |context: Context, action: Option<Action>| {
            let rows = || BINDINGS.iter().enumerate();
            rows()
                .find(|(_, b)| b.context == context && Some(b.action) == action)
                .or_else(|| rows().find(|(_, b)| b.context == context))
                .map_or(BINDINGS.len(), |(i, _)| i)
        };
        let mut placed: Vec<((usize, bool), Bound)> = bound
            .into_iter()
            .map(|b| {
                let i = with_keys()
                    .position(|(t, k)| t.context == b.context && k == b.key)
                    .unwrap_or(BINDINGS.len());
                ((i, true), b)
            })
            .collect();
        for r in remaps {
            let desc = match r.action {
                Some(a) => table
                    .bound
                    .iter()
                    .filter(|b| b.action == Some(a))
                    .min_by_key(|b| b.context != r.context)
                    .map_or_else(|| Cow::Owned(a.name()), |b| b.desc.clone()),
                None => Cow::Borrowed("unbound"),
            };
            let new = Bound {
                context: r.context,
                key: r.key,
                action: r.action,
                desc,
                hint: None,
            };
            placed.push(((place(r.context, r.action), false), new));
        }
        // Stable: the user's bindings of one place keep the file's order.
        placed.sort_by_key(|(at, _)| *at);
        let mut bound: Vec<Bound> = placed.into_iter().map(|(_, b)| b).collect();
        for b in &mut bound {
            b.hint = None;
        }
        for (context, action, hint) in hints {
            if let Some(b) = bound
                .iter_mut()
                .find(|b| b.context == context && b.action == Some(action))
            {
                b.hint = Some(hint);
            }
        }
        Ok(Keymap { bound })
    }

    /// The bindings that do something, in the help's order.
    pub fn bindings(&self) -> impl Iterator<Item = (&Bound, Action)> {
        self.bound.iter().filter_map(|b| Some((b, b.action?)))
    }

    /// The name of the first key that does `action` in `context` (a binding of its own or
    /// one it falls back to), for a hint that names the key: `None` when no key does.
    pub fn key_for(&self, context: Context, action: Action) -> Option<String> {
        self.bindings()
            .filter(|&(_, a)| a == action)
            .map(|(b, _)| &b.key)
            .find(|k| self.resolve(context, k) == Some(Resolved::Action(action)))
            .map(key_name)
    }

    /// Whether a configuration unbound `key` in `context` (it does nothing there, not even
    /// what the context falls back to).
    pub fn unbinds(&self, context: Context, key: &KeyEvent) -> bool {
        self.lookup(context, key) == Some(None)
    }

    /// Whether `context` has a binding of its own for `key` (an action, or unbound): a global
    /// binding of that key does not reach it.
    pub fn shadows(&self, context: Context, key: &KeyEvent) -> bool {
        let own = || self.lookup(context, key).is_some();
        // The fallback [`Keymap::resolve`] takes: a pane's keys (the map's, then the diagram
        // pane's) come before the global ones.
        match context.fallback() {
            Fallback::Nothing => false,
            Fallback::PaneThenGlobal(pane) => {
                own() || self.lookup(Context::Pane(pane), key).is_some()
            }
            Fallback::Global | Fallback::QuitAndSuspend | Fallback::Close => own(),
        }
    }

    /// The binding of a key in exactly this context: `Some(None)` when it is unbound there.
    fn lookup(&self, context: Context, key: &KeyEvent) -> Option<Option<Action>> {
        self.bound
            .iter()
            .find(|b| b.context == context && same_key(&b.key, key))
            .map(|b| b.action)
    }

    /// What a key does in a context: the context's own bindings first, then typed text where
    /// the context takes it, then its fallback.
    pub fn resolve(&self, context: Context, key: &KeyEvent) -> Option<Resolved> {
        match self.lookup(context, key) {
            Some(Some(a)) => return Some(Resolved::Action(a)),
            Some(None) => return None,
            None => {}
        }
        if context.captures_text()
            && let KeyCode::Char(c) = key.code
            && !key.modifiers.intersects(CTRL | ALT)
        {
            return Some(Resolved::Text(c));
        }
        let global = || self.lookup(Context::Global, key).flatten();
        match context.fallback() {
            Fallback::Global => global().map(Resolved::Action),
            Fallback::PaneThenGlobal(pane) => match self.lookup(Context::Pane(pane), key) {
                Some(Some(a)) => Some(Resolved::Action(a)),
                Some(None) => None,
                None => global().map(Resolved::Action),
            },
            Fallback::QuitAndSuspend => global()
                .filter(|a| matches!(a, Action::Quit | Action::Suspend))
                .map(Resolved::Action),
            Fallback::Close => Some(Resolved::Action(Action::ClosePopup)),
            Fallback::Nothing => None,
        }
    }
}

/// The table's keymap, built once.
pub fn default_keymap() -> &'static Keymap {
    static MAP: OnceLock<Keymap> = OnceLock::new();
    MAP.get_or_init(Keymap::default)
}

impl Context {
    /// Every context a configuration can name, with its name (`[keys.list]`).
    pub const NAMED: [(&'static str, Context); 11] = [
        ("global", Context::Global),
        ("list", Context::Pane(Pane::List)),
        ("content", Context::Pane(Pane::Content)),
        ("diagram", Context::Pane(Pane::Diagram)),
        ("map", Context::Map),
        ("tags", Context::Pane(Pane::Tags)),
        ("search", Context::Search),
        ("find", Context::Find),
        ("study", Context::Study),
        ("picker", Context::Picker),
        ("help", Context::Overlay),
    ];

    /// The context's name in a configuration.
    pub fn name(self) -> &'static str {
        Context::NAMED
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("global", |(n, _)| n)
    }

    /// The context a configuration calls `name`.
    pub fn from_name(name: &str) -> Option<Context> {
        Context::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
    }
}

/// One key as a configuration writes it: `j`, `G`, `ctrl-j`, `alt-x`, `shift-tab`, `enter`,
/// `space`, `pgdn`, or the `--keys` notation (`<C-j>`).
pub fn parse_key(written: &str) -> Result<KeyEvent, String> {
    let key = parse_written_key(written)?;
    // A control character (ESC above all) would reach the terminal raw where the help and the
    // hints write the key, and a terminal sends none of them as a character.
    match key.code {
        KeyCode::Char(c) if crate::sanitize::is_invisible(c) => Err(format!(
            "{written:?} is {}, which shows as nothing: no key (expected {KEY_FORM})",
            crate::sanitize::invisible_code_points(&c.to_string())
        )),
        _ => Ok(key),
    }
}

/// What a configuration may write as a key, for errors.
const KEY_FORM: &str = "a character, a name like `enter`, `ctrl-x`, `alt-x`, or `<C-x>`";

fn parse_written_key(written: &str) -> Result<KeyEvent, String> {
    let form = KEY_FORM;
    let one = |keys: Vec<KeyEvent>| match keys.as_slice() {
        [k] => Ok(*k),
        _ => Err(format!("{written:?} is not one key (expected {form})")),
    };
    if written.chars().count() == 1 || written.starts_with('<') {
        return one(parse_keys(written)?);
    }
    let mut parts: Vec<&str> = written.split('-').collect();
    // `ctrl--` is Ctrl and the minus key.
    if written.ends_with("--") {
        parts.pop();
        parts.pop();
        parts.push("-");
    }
    let name = parts.pop().unwrap_or_default();
    let mut mods = NONE;
    for m in parts {
        mods |= match m.to_ascii_lowercase().as_str() {
            "ctrl" | "c" | "control" => CTRL,
            "alt" | "a" | "m" | "meta" => ALT,
            "shift" | "s" => SHIFT,
            _ => {
                return Err(format!(
                    "unknown modifier {m:?} in {written:?} (expected {form})"
                ));
            }
        };
    }
    let mut key = if name.chars().count() == 1 {
        one(parse_keys(name)?)?
    } else {
        let alias = match name.to_ascii_lowercase().as_str() {
            "pageup" => "pgup".to_owned(),
            "pagedown" => "pgdn".to_owned(),
            "escape" => "esc".to_owned(),
            other => other.to_owned(),
        };
        named_key(&alias)
            .filter(|k| k.modifiers == NONE)
            .ok_or_else(|| format!("unknown key {name:?} in {written:?} (expected {form})"))?
    };
    if mods.contains(SHIFT) && key.code == KeyCode::Tab {
        key = KeyEvent::new(KeyCode::BackTab, SHIFT);
        mods -= SHIFT;
    }
    if let KeyCode::Char(c) = key.code
        && mods.contains(SHIFT)
        && c.is_ascii_lowercase()
    {
        key.code = KeyCode::Char(c.to_ascii_uppercase());
    }
    key.modifiers |= mods;
    Ok(key)
}

/// A key as the help overlay and hints write it.
pub fn key_name(key: &KeyEvent) -> String {
    use KeyCode::*;
    let base = match key.code {
        Char(' ') => "Space".to_owned(),
        Char(c) => c.to_string(),
        Enter => "Enter".to_owned(),
        Esc => "Esc".to_owned(),
        Tab => "Tab".to_owned(),
        BackTab => "S-Tab".to_owned(),
        Backspace => "Bksp".to_owned(),
        Up => "↑".to_owned(),
        Down => "↓".to_owned(),
        Left => "←".to_owned(),
        Right => "→".to_owned(),
        Home => "Home".to_owned(),
        End => "End".to_owned(),
        PageUp => "PgUp".to_owned(),
        PageDown => "PgDn".to_owned(),
        other => format!("{other:?}"),
    };
    let alt = if key.modifiers.contains(ALT) {
        "A-"
    } else {
        ""
    };
    if key.modifiers.contains(CTRL) {
        format!("C-{alt}{base}")
    } else {
        format!("{alt}{base}")
    }
}

/// Parses the key notation of `--keys`: characters stand for themselves; `<Enter>`, `<Esc>`,
/// `<Tab>`, `<S-Tab>`, `<Space>`, `<Bksp>`, `<Up>`, `<Down>`, `<Left>`, `<Right>`, `<Home>`,
/// `<End>`, `<PgUp>`, `<PgDn>`, `<C-x>` (Ctrl) and `<lt>` (a literal `<`) name the others.
pub fn parse_keys(notation: &str) -> Result<Vec<KeyEvent>, String> {
    let mut out = Vec::new();
    let mut rest = notation;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let end = rest
                .find('>')
                .ok_or_else(|| format!("unclosed `<` in {notation:?}"))?;
            let name = &rest[1..end];
            out.push(named_key(name).ok_or_else(|| format!("unknown key <{name}>"))?);
            rest = &rest[end + 1..];
        } else {
            let mods = if c.is_ascii_uppercase() { SHIFT } else { NONE };
            out.push(KeyEvent::new(KeyCode::Char(c), mods));
            rest = &rest[c.len_utf8()..];
        }
    }
    Ok(out)
}

fn named_key(name: &str) -> Option<KeyEvent> {
    use KeyCode::*;
    let key = |code| Some(KeyEvent::new(code, NONE));
    match name.to_ascii_lowercase().as_str() {
        "enter" | "cr" => key(Enter),
        "esc" => key(Esc),
        "tab" => key(Tab),
        "s-tab" | "backtab" => Some(KeyEvent::new(BackTab, SHIFT)),
        "space" => key(Char(' ')),
        "bksp" | "bs" | "backspace" => key(Backspace),
        "up" => key(Up),
        "down" => key(Down),
        "left" => key(Left),
        "right" => key(Right),
        "home" => key(Home),
        "end" => key(End),
        "pgup" => key(PageUp),
        "pgdn" => key(PageDown),
        "lt" => key(Char('<')),
        other => {
            let c = other.strip_prefix("c-")?;
            let mut chars = c.chars();
            let ch = chars.next()?;
            chars
                .next()
                .is_none()
                .then(|| KeyEvent::new(Char(ch), CTRL))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a key does in a context with the table's bindings.
    fn resolve(context: Context, key: &KeyEvent) -> Option<Resolved> {
        default_keymap().resolve(context, key)
    }
    use KeyCode::*;

    #[test]
    fn key_notation() {
        let keys = parse_keys("/vp<Enter><C-d><S-Tab>G<lt>").unwrap();
        let codes: Vec<(KeyCode, KeyModifiers)> =
            keys.iter().map(|k| (k.code, k.modifiers)).collect();
        assert_eq!(
            codes,
            [
                (Char('/'), NONE),
                (Char('v'), NONE),
                (Char('p'), NONE),
                (Enter, NONE),
                (Char('d'), CTRL),
                (BackTab, SHIFT),
                (Char('G'), SHIFT),
                (Char('<'), NONE),
            ]
        );
        assert!(parse_keys("<Nope>").is_err());
        assert!(parse_keys("<Enter").is_err());
    }

    #[test]
    fn every_binding_is_one_key_and_no_key_is_bound_twice_in_a_context() {
        let mut seen: Vec<(Context, KeyEvent)> = Vec::new();
        for (b, key) in with_keys() {
            let parsed = parse_keys(b.key).unwrap_or_else(|e| panic!("{}: {e}", b.key));
            assert_eq!(parsed.len(), 1, "{:?} is not one key", b.key);
            assert_eq!(key, parsed[0]);
            assert!(
                !seen
                    .iter()
                    .any(|(c, k)| *c == b.context && same_key(k, &key)),
                "{:?} is bound twice in {:?}",
                b.key,
                b.context
            );
            seen.push((b.context, key));
            assert!(!b.desc.is_empty());
        }
    }

    #[test]
    fn resolution_by_context() {
        let k = |c| KeyEvent::new(Char(c), NONE);
        let act = |a| Some(Resolved::Action(a));
        assert_eq!(resolve(Context::Pane(Pane::Tags), &k(' ')), act(ToggleTag));
        assert_eq!(resolve(Context::Pane(Pane::List), &k(' ')), None);
        assert_eq!(
            resolve(Context::Pane(Pane::List), &k('j')),
            act(Action::Down)
        );
        assert_eq!(resolve(Context::Search, &k('j')), Some(Resolved::Text('j')));
        assert_eq!(
            resolve(Context::Search, &k('한')),
            Some(Resolved::Text('한'))
        );
        assert_eq!(resolve(Context::Study, &k('b')), Some(Resolved::Text('b')));
        // In a session digits grade and letters answer: no key does both.
        assert_eq!(resolve(Context::Study, &k('1')), act(StudyGradeAgain));
        assert_eq!(resolve(Context::Study, &k('4')), act(StudyGradeEasy));
        assert_eq!(resolve(Context::Study, &k('u')), act(StudyUndo));
        assert_eq!(resolve(Context::Study, &k('x')), act(StudySuspend));
        assert_eq!(resolve(Context::Study, &k('d')), Some(Resolved::Text('d')));
        assert_eq!(
            resolve(Context::Search, &KeyEvent::new(Char('n'), CTRL)),
            act(SearchNext)
        );
        // A popup that takes text still quits on Ctrl-C, and ignores other global keys.
        assert_eq!(
            resolve(Context::Find, &KeyEvent::new(Char('c'), CTRL)),
            act(Quit)
        );
        assert_eq!(resolve(Context::Picker, &k('/')), None);
        // The overlay closes on anything it does not bind.
        assert_eq!(resolve(Context::Overlay, &k('x')), act(ClosePopup));
        assert_eq!(resolve(Context::Overlay, &k('j')), act(Action::Down));
        assert_eq!(
            resolve(Context::Global, &KeyEvent::new(Char('G'), NONE)),
            act(Bottom)
        );
        assert_eq!(
            resolve(Context::Global, &KeyEvent::new(Char('G'), SHIFT)),
            act(Bottom)
        );
    }

    #[test]
    fn configuration_key_notation() {
        let k = |s| parse_key(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        let ev = KeyEvent::new;
        assert_eq!(k("j"), ev(Char('j'), NONE));
        assert_eq!(k("G"), ev(Char('G'), SHIFT));
        assert_eq!(k("shift-g"), ev(Char('G'), SHIFT));
        assert_eq!(k("ctrl-j"), ev(Char('j'), CTRL));
        assert_eq!(k("C-j"), ev(Char('j'), CTRL));
        assert_eq!(k("<C-j>"), ev(Char('j'), CTRL));
        assert_eq!(k("alt-x"), ev(Char('x'), ALT));
        assert_eq!(k("ctrl-alt-x"), ev(Char('x'), CTRL | ALT));
        assert_eq!(k("shift-tab"), ev(BackTab, SHIFT));
        assert_eq!(k("enter"), ev(Enter, NONE));
        assert_eq!(k("PageDown"), ev(KeyCode::PageDown, NONE));
        assert_eq!(k("ctrl--"), ev(Char('-'), CTRL));
        assert_eq!(k("-"), ev(Char('-'), NONE));
        assert_eq!(k("한"), ev(Char('한'), NONE));
        for bad in [
            "",
            "jk",
            "hyper-j",
            "ctrl-",
            "ctrl-nope",
            "<C-j><C-k>",
            "<Nope>",
            // Nothing that shows as nothing: a control, a bidi override, a zero-width space.
            "\u{1b}",
            "\u{9b}",
            "\u{202e}",
            "ctrl-\u{200b}",
        ] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
        let why = parse_key("\u{1b}").unwrap_err();
        assert!(why.contains("U+001B") && !why.contains('\u{1b}'), "{why}");
        assert_eq!(key_name(&k("alt-x")), "A-x");
        assert_eq!(key_name(&k("ctrl-alt-x")), "C-A-x");
    }

    #[test]
    fn the_map_takes_its_keys_then_the_diagram_panes_then_the_global_ones() {
        let key = |c: KeyCode| KeyEvent::new(c, NONE);
        let on_map = |k: KeyEvent| resolve(Context::Map, &k);
        let act = |a: Action| Some(Resolved::Action(a));
        // Its own: Esc goes back a view, ] steps the edges.
        assert_eq!(on_map(key(Esc)), act(Action::MapBack));
        assert_eq!(on_map(key(Char(']'))), act(Action::NextDiagram));
        // The diagram pane's: h walks, c toggles boxes.
        assert_eq!(on_map(key(Char('h'))), act(Action::NodeLeft));
        assert_eq!(on_map(key(Char('c'))), act(Action::ToggleCompact));
        // The global ones.
        assert_eq!(on_map(key(Char('q'))), act(Action::Quit));
        assert_eq!(on_map(key(Char('M'))), act(Action::ToggleMap));
        // Off the map, Esc in a pane goes back to the map a note was opened from.
        let diagram = Context::Pane(Pane::Diagram);
        assert_eq!(resolve(diagram, &key(Esc)), act(Action::MapReturn));
        assert_eq!(
            resolve(Context::Pane(Pane::Content), &key(Esc)),
            act(Action::MapReturn)
        );
        // A key unbound in the diagram pane is unbound on the map too.
        let unbound = Keymap::with_remaps(&[Remap {
            context: diagram,
            key: key(Char('h')),
            action: None,
            origin: "h".into(),
        }])
        .unwrap();
        assert_eq!(unbound.resolve(Context::Map, &key(Char('h'))), None);
        // The status hints leave out a global key the map or the diagram pane binds (or
        // unbinds) itself, and keep the others.
        let keymap = default_keymap();
        assert!(keymap.shadows(Context::Map, &key(Esc)));
        assert!(keymap.shadows(Context::Map, &key(Char('c'))));
        assert!(!keymap.shadows(Context::Map, &key(Char('q'))));
        assert!(unbound.shadows(Context::Map, &key(Char('h'))));
        assert!(!keymap.shadows(Context::Global, &key(Char('q'))));
    }

    #[test]
    fn the_key_named_for_an_action_is_one_that_does_it_there() {
        let diagram = Context::Pane(Pane::Diagram);
        let keymap = default_keymap();
        assert_eq!(
            keymap.key_for(diagram, Action::MapReturn).as_deref(),
            Some("Esc")
        );
        // Esc moved to ctrl-b: the hint names ctrl-b; with no key left, none.
        let moved = Keymap::with_remaps(&[
            Remap {
                context: Context::Global,
                key: KeyEvent::new(Esc, NONE),
                action: None,
                origin: "esc".into(),
            },
            Remap {
                context: Context::Global,
                key: KeyEvent::new(Char('b'), CTRL),
                action: Some(Action::MapReturn),
                origin: "ctrl-b".into(),
            },
        ])
        .unwrap();
        assert_eq!(
            moved.key_for(diagram, Action::MapReturn).as_deref(),
            Some("C-b")
        );
        let none = Keymap::with_remaps(&[Remap {
            context: Context::Global,
            key: KeyEvent::new(Esc, NONE),
            action: None,
            origin: "esc".into(),
        }])
        .unwrap();
        assert_eq!(none.key_for(diagram, Action::MapReturn), None);
        // A global key the pane binds to something else is not named for the global action.
        let shadowed = Keymap::with_remaps(&[Remap {
            context: diagram,
            key: KeyEvent::new(Esc, NONE),
            action: Some(Action::Down),
            origin: "esc".into(),
        }])
        .unwrap();
        assert_eq!(shadowed.key_for(diagram, Action::MapReturn), None);
    }

    #[test]
    fn a_remap_replaces_the_key_in_its_context_only() {
        let ctrl_j = KeyEvent::new(Char('j'), CTRL);
        let map = Keymap::with_remaps(&[Remap {
            context: Context::Pane(Pane::List),
            key: KeyEvent::new(Char('j'), NONE),
            action: Some(Action::Up),
            origin: "j".into(),
        }])
        .unwrap();
        let j = KeyEvent::new(Char('j'), NONE);
        assert_eq!(
            map.resolve(Context::Pane(Pane::List), &j),
            Some(Resolved::Action(Action::Up))
        );
        assert_eq!(
            map.resolve(Context::Pane(Pane::Tags), &j),
            Some(Resolved::Action(Action::Down))
        );
        assert_eq!(map.resolve(Context::Pane(Pane::List), &ctrl_j), None);
        // Nothing else moved.
        assert_eq!(
            map.bindings().count(),
            Keymap::default().bindings().count() + 1
        );
        assert_eq!(default_keymap(), &Keymap::with_remaps(&[]).unwrap());
    }

    #[test]
    fn every_action_a_user_needs_has_a_described_key() {
        for action in [Quit, ToggleHelp, OpenSearch, NextPane, ToggleTag, StudyDue] {
            assert!(BINDINGS.iter().any(|b| b.action == action), "{action:?}");
        }
        assert_eq!(key_name(&parse_keys("<C-p>").unwrap()[0]), "C-p");
        assert_eq!(key_name(&parse_keys("<PgDn>").unwrap()[0]), "PgDn");
    }
}
