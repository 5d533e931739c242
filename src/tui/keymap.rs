//! The keymap as data: one table drives key handling, the `?` help overlay and the status-bar
//! hints, so they never drift apart. One line per binding, keys written in the notation of
//! `vaultscope snapshot --keys` (`q`, `<C-c>`, `<S-Tab>`, `<PgDn>`), which a configuration can
//! use too; actions by their [`Action`] variant, which has a name for configurations.
//!
//! A context says what it does with keys it does not bind: panes fall back to the global
//! bindings; the search and find lines and a study session take typed characters as text
//! (answers, in a session) and keep only quitting and suspending from the global ones; the
//! help and problems overlays close on any other key.

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
}

/// What a context does with a key it does not bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fallback {
    /// The global bindings apply.
    Global,
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

/// Every binding, in the order the help lists them.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(G,       "q",       Quit,            "quit", Some("quit")),
    b(G,       "<C-c>",   Quit,            "quit", None),
    b(G,       "?",       ToggleHelp,      "help", Some("help")),
    b(G,       "/",       OpenSearch,      "search titles and aliases", Some("search")),
    b(G,       "<C-p>",   OpenSearch,      "search titles and aliases", None),
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
    b(DIAGRAM, "<Enter>", OpenNode,        "open the node's note; map: focus", Some("open")),
    b(DIAGRAM, "c",       ToggleCompact,   "boxes or compact [labels]", None),
    b(DIAGRAM, "t",       ToggleRelayout,  "the author's grid or a new layout", None),
    b(DIAGRAM, "]",       NextDiagram,     "next diagram; map: next edge", Some("next diagram")),
    b(DIAGRAM, "[",       PrevDiagram,     "previous diagram; map: edge", None),
    b(DIAGRAM, "f",       MapFilter,       "map: filter components", None),
    b(DIAGRAM, "+",       MapDeeper,       "map: focus one ring deeper", None),
    b(DIAGRAM, "-",       MapShallower,    "map: focus one ring less", None),
    b(DIAGRAM, "p",       MapPath,         "map: flows from / to here", None),
    b(DIAGRAM, "w",       MapWhole,        "map: whole map by clusters", None),
    b(DIAGRAM, "<Esc>",   MapBack,         "map: back to the components", None),
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
    b(S,       "<Enter>", SearchAccept,    "open the note", Some("open")),
    b(S,       "<Down>",  SearchNext,      "next result", Some("next")),
    b(S,       "<C-n>",   SearchNext,      "next result", None),
    b(S,       "<Up>",    SearchPrev,      "previous result", None),
    b(S,       "<C-p>",   SearchPrev,      "previous result", None),
    b(S,       "<Bksp>",  SearchBackspace, "delete a character", None),
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

/// The action bound to a key in exactly this context.
fn lookup(context: Context, key: &KeyEvent) -> Option<Action> {
    BINDINGS
        .iter()
        .zip(keys())
        .find(|(b, k)| b.context == context && same_key(k, key))
        .map(|(b, _)| b.action)
}

/// What a key does in a context: the context's own bindings first, then typed text where the
/// context takes it, then its fallback.
pub fn resolve(context: Context, key: &KeyEvent) -> Option<Resolved> {
    if let Some(a) = lookup(context, key) {
        return Some(Resolved::Action(a));
    }
    if context.captures_text()
        && let KeyCode::Char(c) = key.code
        && !key.modifiers.intersects(CTRL | ALT)
    {
        return Some(Resolved::Text(c));
    }
    let global = || lookup(Context::Global, key);
    match context.fallback() {
        Fallback::Global => global().map(Resolved::Action),
        Fallback::QuitAndSuspend => global()
            .filter(|a| matches!(a, Action::Quit | Action::Suspend))
            .map(Resolved::Action),
        Fallback::Close => Some(Resolved::Action(Action::ClosePopup)),
        Fallback::Nothing => None,
    }
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
    if key.modifiers.contains(CTRL) {
        format!("C-{base}")
    } else {
        base
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
    fn every_action_a_user_needs_has_a_described_key() {
        for action in [Quit, ToggleHelp, OpenSearch, NextPane, ToggleTag, StudyDue] {
            assert!(BINDINGS.iter().any(|b| b.action == action), "{action:?}");
        }
        assert_eq!(key_name(&parse_keys("<C-p>").unwrap()[0]), "C-p");
        assert_eq!(key_name(&parse_keys("<PgDn>").unwrap()[0]), "PgDn");
    }
}
