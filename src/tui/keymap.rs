//! The keymap as data: one table drives key handling, the `?` help overlay and the status-bar
//! hints, so they never drift apart. Also the key notation of `vaultscope snapshot --keys`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::Pane;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Anywhere without a popup.
    Global,
    /// When this pane has the focus.
    Pane(Pane),
    /// In the search popup.
    Search,
    /// In the help or problems overlay: scrolling keys scroll, any other key closes it.
    Overlay,
    /// In a list to pick from: the outline, the backlinks.
    Picker,
    /// Typing in the find line.
    Find,
    /// In a study session.
    Study,
}

pub struct Binding {
    pub context: Context,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    /// For the help overlay.
    pub desc: &'static str,
    /// Shown in the status bar, in this shorter form.
    pub hint: Option<&'static str>,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

const fn b(
    context: Context,
    code: KeyCode,
    mods: KeyModifiers,
    action: Action,
    desc: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        context,
        code,
        mods,
        action,
        desc,
        hint,
    }
}

use Context::{Find as F, Global as G, Overlay as O, Picker as P, Search as S, Study as ST};
use KeyCode::{
    BackTab, Backspace, Char, Down as KDown, End, Enter, Esc, Home, Left as KLeft,
    PageDown as KPageDown, PageUp as KPageUp, Right as KRight, Tab, Up as KUp,
};

const TAGS: Context = Context::Pane(Pane::Tags);
const LIST: Context = Context::Pane(Pane::List);
const DIAGRAM: Context = Context::Pane(Pane::Diagram);
const CONTENT: Context = Context::Pane(Pane::Content);

pub const BINDINGS: &[Binding] = &[
    b(G, Char('q'), NONE, Action::Quit, "quit", Some("quit")),
    b(G, Char('c'), CTRL, Action::Quit, "quit", None),
    b(G, Char('?'), NONE, Action::ToggleHelp, "help", Some("help")),
    b(
        G,
        Char('/'),
        NONE,
        Action::OpenSearch,
        "search titles and aliases",
        Some("search"),
    ),
    b(
        G,
        Char('p'),
        CTRL,
        Action::OpenSearch,
        "search titles and aliases",
        None,
    ),
    b(
        G,
        Tab,
        NONE,
        Action::NextPane,
        "next pane",
        Some("next pane"),
    ),
    b(G, BackTab, SHIFT, Action::PrevPane, "previous pane", None),
    b(
        G,
        Char('1'),
        NONE,
        Action::Focus(Pane::List),
        "focus notes",
        None,
    ),
    b(
        G,
        Char('2'),
        NONE,
        Action::Focus(Pane::Content),
        "focus content",
        None,
    ),
    b(
        G,
        Char('3'),
        NONE,
        Action::Focus(Pane::Diagram),
        "focus diagram",
        None,
    ),
    b(
        G,
        Char('4'),
        NONE,
        Action::Focus(Pane::Tags),
        "focus tags",
        None,
    ),
    b(
        G,
        Char('z'),
        NONE,
        Action::ToggleZoom,
        "zoom the focused pane",
        None,
    ),
    b(
        G,
        Char('!'),
        NONE,
        Action::ToggleProblems,
        "problems found in the vault",
        None,
    ),
    b(
        G,
        Char('r'),
        NONE,
        Action::Reload,
        "read the vault again",
        None,
    ),
    b(
        G,
        Char('e'),
        NONE,
        Action::Edit,
        "open the note in $EDITOR",
        Some("edit"),
    ),
    b(
        G,
        Char('z'),
        CTRL,
        Action::Suspend,
        "suspend (fg resumes)",
        None,
    ),
    b(
        G,
        Char('o'),
        NONE,
        Action::OpenOutline,
        "outline: jump to a heading",
        None,
    ),
    b(
        G,
        Char('M'),
        SHIFT,
        Action::ToggleMap,
        "architecture map of the notes in view",
        None,
    ),
    b(
        G,
        Char('s'),
        NONE,
        Action::StudyView,
        "study the questions of the notes in view",
        Some("study"),
    ),
    b(
        G,
        Char('a'),
        NONE,
        Action::StudyNote,
        "study this note's questions",
        None,
    ),
    b(
        G,
        Char('d'),
        NONE,
        Action::StudyDue,
        "study what is due today",
        None,
    ),
    b(
        G,
        Char('P'),
        SHIFT,
        Action::ToggleProgress,
        "study progress: accuracy, due, streak",
        None,
    ),
    b(
        G,
        Char('b'),
        NONE,
        Action::OpenBacklinks,
        "notes linking here",
        None,
    ),
    b(
        G,
        Char('H'),
        SHIFT,
        Action::Back,
        "back to the note before",
        None,
    ),
    b(G, Char('L'), SHIFT, Action::Forward, "forward again", None),
    b(G, Char('j'), NONE, Action::Down, "down", None),
    b(G, KDown, NONE, Action::Down, "down", None),
    b(G, Char('k'), NONE, Action::Up, "up", None),
    b(G, KUp, NONE, Action::Up, "up", None),
    b(G, Char('g'), NONE, Action::Top, "first line", None),
    b(G, Home, NONE, Action::Top, "first line", None),
    b(G, Char('G'), SHIFT, Action::Bottom, "last line", None),
    b(G, End, NONE, Action::Bottom, "last line", None),
    b(
        G,
        Char('d'),
        CTRL,
        Action::HalfPageDown,
        "half a page down",
        None,
    ),
    b(
        G,
        Char('u'),
        CTRL,
        Action::HalfPageUp,
        "half a page up",
        None,
    ),
    b(G, KPageDown, NONE, Action::PageDown, "page down", None),
    b(G, KPageUp, NONE, Action::PageUp, "page up", None),
    b(
        LIST,
        Char('S'),
        SHIFT,
        Action::CycleSort,
        "sort by title / created / modified",
        Some("sort"),
    ),
    b(
        DIAGRAM,
        Char('h'),
        NONE,
        Action::ScrollLeft,
        "node to the left",
        Some("walk nodes"),
    ),
    b(
        DIAGRAM,
        KLeft,
        NONE,
        Action::ScrollLeft,
        "node to the left",
        None,
    ),
    b(
        DIAGRAM,
        Char('l'),
        NONE,
        Action::ScrollRight,
        "node to the right",
        None,
    ),
    b(
        DIAGRAM,
        KRight,
        NONE,
        Action::ScrollRight,
        "node to the right",
        None,
    ),
    b(
        DIAGRAM,
        Enter,
        NONE,
        Action::OpenNode,
        "open the note about the node",
        Some("open"),
    ),
    b(
        DIAGRAM,
        Char('c'),
        NONE,
        Action::ToggleCompact,
        "boxes or compact [labels]",
        None,
    ),
    b(
        DIAGRAM,
        Char('t'),
        NONE,
        Action::ToggleRelayout,
        "the author's grid or a new layout",
        None,
    ),
    b(
        DIAGRAM,
        Char(']'),
        NONE,
        Action::NextDiagram,
        "next diagram of the note",
        Some("next diagram"),
    ),
    b(
        DIAGRAM,
        Char('['),
        NONE,
        Action::PrevDiagram,
        "previous diagram of the note",
        None,
    ),
    b(
        O,
        Char('j'),
        NONE,
        Action::Down,
        "scroll down",
        Some("scroll"),
    ),
    b(O, KDown, NONE, Action::Down, "scroll down", None),
    b(
        CONTENT,
        Char('f'),
        NONE,
        Action::OpenFind,
        "find in the note",
        Some("find"),
    ),
    b(
        CONTENT,
        Char('n'),
        NONE,
        Action::FindNext,
        "next match",
        None,
    ),
    b(
        CONTENT,
        Char('N'),
        SHIFT,
        Action::FindPrev,
        "previous match",
        None,
    ),
    b(
        CONTENT,
        Char(']'),
        NONE,
        Action::NextLink,
        "choose the next link",
        Some("links"),
    ),
    b(
        CONTENT,
        Char('['),
        NONE,
        Action::PrevLink,
        "choose the previous link",
        None,
    ),
    b(
        CONTENT,
        Enter,
        NONE,
        Action::FollowLink,
        "follow the chosen link",
        None,
    ),
    b(P, KDown, NONE, Action::PickNext, "next", Some("move")),
    b(P, Char('j'), NONE, Action::PickNext, "next", None),
    b(P, Char('n'), CTRL, Action::PickNext, "next", None),
    b(P, KUp, NONE, Action::PickPrev, "previous", None),
    b(P, Char('k'), NONE, Action::PickPrev, "previous", None),
    b(P, Char('p'), CTRL, Action::PickPrev, "previous", None),
    b(P, Enter, NONE, Action::PickAccept, "go there", Some("go")),
    b(P, Esc, NONE, Action::ClosePopup, "close", Some("close")),
    b(P, Char('q'), NONE, Action::ClosePopup, "close", None),
    b(
        ST,
        Esc,
        NONE,
        Action::StudyEnd,
        "end the session / close",
        Some("end"),
    ),
    b(
        ST,
        Enter,
        NONE,
        Action::StudyNext,
        "next question",
        Some("next"),
    ),
    b(
        ST,
        Char(' '),
        NONE,
        Action::StudySpace,
        "reveal / next",
        None,
    ),
    b(ST, KDown, NONE, Action::StudyScroll(1), "scroll down", None),
    b(ST, KUp, NONE, Action::StudyScroll(-1), "scroll up", None),
    b(
        ST,
        KPageDown,
        NONE,
        Action::StudyScroll(10),
        "page down",
        None,
    ),
    b(ST, KPageUp, NONE, Action::StudyScroll(-10), "page up", None),
    b(
        ST,
        Tab,
        NONE,
        Action::StudyGoToNote,
        "go to the question's note (s returns)",
        Some("note"),
    ),
    b(
        ST,
        Char('r'),
        NONE,
        Action::StudyRetry,
        "retry the missed ones (summary)",
        None,
    ),
    b(
        F,
        Enter,
        NONE,
        Action::FindAccept,
        "keep the matches (n / N move)",
        Some("done"),
    ),
    b(F, Esc, NONE, Action::FindCancel, "cancel", Some("cancel")),
    b(
        F,
        Backspace,
        NONE,
        Action::FindBackspace,
        "delete a character",
        None,
    ),
    b(O, Char('k'), NONE, Action::Up, "scroll up", None),
    b(O, KUp, NONE, Action::Up, "scroll up", None),
    b(O, KPageDown, NONE, Action::PageDown, "page down", None),
    b(O, KPageUp, NONE, Action::PageUp, "page up", None),
    b(O, Char('g'), NONE, Action::Top, "top", None),
    b(O, Char('G'), SHIFT, Action::Bottom, "bottom", None),
    b(
        O,
        Esc,
        NONE,
        Action::ClosePopup,
        "close (so does any other key)",
        Some("close"),
    ),
    b(O, Char('q'), NONE, Action::Quit, "quit", None),
    b(O, Char('c'), CTRL, Action::Quit, "quit", None),
    b(
        O,
        Char('z'),
        CTRL,
        Action::Suspend,
        "suspend (fg resumes)",
        None,
    ),
    b(
        TAGS,
        Char(' '),
        NONE,
        Action::ToggleTag,
        "select tag (filters the list)",
        Some("select"),
    ),
    b(
        TAGS,
        Enter,
        NONE,
        Action::ToggleExpand,
        "expand / collapse",
        Some("expand"),
    ),
    b(
        TAGS,
        Char('m'),
        NONE,
        Action::ToggleTagMode,
        "all selected tags / any",
        Some("all/any"),
    ),
    b(
        TAGS,
        Char('c'),
        NONE,
        Action::ClearTags,
        "clear the tag filter",
        Some("clear"),
    ),
    b(S, Esc, NONE, Action::ClosePopup, "close", Some("close")),
    b(
        S,
        Enter,
        NONE,
        Action::SearchAccept,
        "open the note",
        Some("open"),
    ),
    b(
        S,
        KDown,
        NONE,
        Action::SearchNext,
        "next result",
        Some("next"),
    ),
    b(S, Char('n'), CTRL, Action::SearchNext, "next result", None),
    b(S, KUp, NONE, Action::SearchPrev, "previous result", None),
    b(
        S,
        Char('p'),
        CTRL,
        Action::SearchPrev,
        "previous result",
        None,
    ),
    b(
        S,
        Backspace,
        NONE,
        Action::SearchBackspace,
        "delete a character",
        None,
    ),
];

/// Whether a key event matches a binding (Shift is implied by upper-case characters, which
/// terminals report with or without the modifier).
fn matches(binding: &Binding, key: &KeyEvent) -> bool {
    if binding.code != key.code {
        return false;
    }
    let mods = key.modifiers & (CTRL | KeyModifiers::ALT | SHIFT);
    match binding.code {
        Char(c) if !c.is_ascii_lowercase() => (mods - SHIFT) == (binding.mods - SHIFT),
        BackTab => true,
        _ => mods == binding.mods,
    }
}

/// The action for a key in a context: the context's own bindings first, then global ones.
pub fn resolve(context: Context, key: &KeyEvent) -> Option<Action> {
    let find = |ctx: Context| {
        BINDINGS
            .iter()
            .find(|b| b.context == ctx && matches(b, key))
            .map(|b| b.action)
    };
    match context {
        // Typing goes into the query; Ctrl-C and Ctrl-Z still quit and suspend.
        Context::Search => find(Context::Search)
            .or_else(|| match key.code {
                Char(c) if !key.modifiers.intersects(CTRL | KeyModifiers::ALT) => {
                    Some(Action::SearchInput(c))
                }
                _ => None,
            })
            .or_else(|| {
                find(Context::Global).filter(|a| matches!(a, Action::Quit | Action::Suspend))
            }),
        Context::Find => find(Context::Find)
            .or_else(|| match key.code {
                Char(c) if !key.modifiers.intersects(CTRL | KeyModifiers::ALT) => {
                    Some(Action::FindInput(c))
                }
                _ => None,
            })
            .or_else(|| {
                find(Context::Global).filter(|a| matches!(a, Action::Quit | Action::Suspend))
            }),
        // Letters and digits answer; Ctrl-C and Ctrl-Z still quit and suspend.
        Context::Study => find(Context::Study)
            .or_else(|| match key.code {
                Char(c) if !key.modifiers.intersects(CTRL | KeyModifiers::ALT) => {
                    Some(Action::StudyKey(c))
                }
                _ => None,
            })
            .or_else(|| {
                find(Context::Global).filter(|a| matches!(a, Action::Quit | Action::Suspend))
            }),
        Context::Picker => find(Context::Picker).or_else(|| {
            find(Context::Global).filter(|a| matches!(a, Action::Quit | Action::Suspend))
        }),
        Context::Overlay => find(Context::Overlay).or(Some(Action::ClosePopup)),
        ctx => find(ctx).or_else(|| find(Context::Global)),
    }
}

/// A key as the help overlay and hints write it.
pub fn key_name(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        Char(' ') => "Space".to_owned(),
        Char(c) => c.to_string(),
        Enter => "Enter".to_owned(),
        Esc => "Esc".to_owned(),
        Tab => "Tab".to_owned(),
        BackTab => "S-Tab".to_owned(),
        Backspace => "Bksp".to_owned(),
        KUp => "↑".to_owned(),
        KDown => "↓".to_owned(),
        KLeft => "←".to_owned(),
        KRight => "→".to_owned(),
        Home => "Home".to_owned(),
        End => "End".to_owned(),
        KPageUp => "PgUp".to_owned(),
        KPageDown => "PgDn".to_owned(),
        other => format!("{other:?}"),
    };
    if mods.contains(CTRL) {
        format!("C-{base}")
    } else {
        base
    }
}

/// Parses the key notation of `--keys`: characters stand for themselves; `<Enter>`, `<Esc>`,
/// `<Tab>`, `<S-Tab>`, `<Space>`, `<Bksp>`, `<Up>`, `<Down>`, `<Left>`, `<Right>`, `<Home>`, `<End>`, `<PgUp>`,
/// `<PgDn>`, `<C-x>` (Ctrl) and `<lt>` (a literal `<`) name the others.
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
            out.push(KeyEvent::new(Char(c), mods));
            rest = &rest[c.len_utf8()..];
        }
    }
    Ok(out)
}

fn named_key(name: &str) -> Option<KeyEvent> {
    let key = |code| Some(KeyEvent::new(code, NONE));
    match name.to_ascii_lowercase().as_str() {
        "enter" | "cr" => key(Enter),
        "esc" => key(Esc),
        "tab" => key(Tab),
        "s-tab" | "backtab" => Some(KeyEvent::new(BackTab, SHIFT)),
        "space" => key(Char(' ')),
        "bksp" | "bs" | "backspace" => key(Backspace),
        "up" => key(KUp),
        "down" => key(KDown),
        "left" => key(KLeft),
        "right" => key(KRight),
        "home" => key(Home),
        "end" => key(End),
        "pgup" => key(KPageUp),
        "pgdn" => key(KPageDown),
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
    fn resolution_by_context() {
        let k = |c| KeyEvent::new(Char(c), NONE);
        assert_eq!(
            resolve(Context::Pane(Pane::Tags), &k(' ')),
            Some(Action::ToggleTag)
        );
        assert_eq!(resolve(Context::Pane(Pane::List), &k(' ')), None);
        assert_eq!(
            resolve(Context::Pane(Pane::List), &k('j')),
            Some(Action::Down)
        );
        assert_eq!(
            resolve(Context::Search, &k('j')),
            Some(Action::SearchInput('j'))
        );
        assert_eq!(
            resolve(Context::Search, &k('한')),
            Some(Action::SearchInput('한'))
        );
        assert_eq!(
            resolve(Context::Search, &KeyEvent::new(Char('n'), CTRL)),
            Some(Action::SearchNext)
        );
        assert_eq!(
            resolve(Context::Global, &KeyEvent::new(Char('G'), NONE)),
            Some(Action::Bottom)
        );
        assert_eq!(
            resolve(Context::Global, &KeyEvent::new(Char('G'), SHIFT)),
            Some(Action::Bottom)
        );
    }

    #[test]
    fn every_action_a_user_needs_has_a_described_key() {
        for b in BINDINGS {
            assert!(!b.desc.is_empty());
        }
        for action in [
            Action::Quit,
            Action::ToggleHelp,
            Action::OpenSearch,
            Action::NextPane,
            Action::ToggleTag,
        ] {
            assert!(BINDINGS.iter().any(|b| b.action == action), "{action:?}");
        }
    }
}
