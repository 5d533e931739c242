//! Everything a key can ask of the app, as data: the keymap turns keys into `Action`s, and
//! [`crate::tui::app::App::update`] applies them. Every variant has a name (`next-pane`,
//! `study-due`, ...) by which a configuration can bind a key to it: `Action` deserialises
//! from that name, and [`Action::ALL`] lists them.
//!
//! What is not a key binding is not here: typed text, mouse clicks, resizes and everything
//! background work reports are [`crate::tui::msg::Msg`]s.

use serde::{Deserialize, Serialize};

macro_rules! actions {
    ($( $(#[doc = $doc:literal])+ $name:ident ),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Action {
            $( $(#[doc = $doc])+ $name, )+
        }

        impl Action {
            /// Every action, in declaration order.
            pub const ALL: &[Action] = &[$(Action::$name),+];
        }
    };
}

actions! {
    /// Leave the app.
    Quit,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Focus the note list.
    FocusList,
    /// Focus the content pane.
    FocusContent,
    /// Focus the diagram pane.
    FocusDiagram,
    /// Focus the tag pane.
    FocusTags,
    /// Move the selection (or scroll) up one line.
    Up,
    /// Move the selection (or scroll) down one line.
    Down,
    /// Go to the first line.
    Top,
    /// Go to the last line.
    Bottom,
    /// Down half a page.
    HalfPageDown,
    /// Up half a page.
    HalfPageUp,
    /// Down a page.
    PageDown,
    /// Up a page.
    PageUp,
    /// Cycle the note list's order: title, created, modified.
    CycleSort,
    /// Select or unselect the tag under the cursor.
    ToggleTag,
    /// Expand or collapse the tag under the cursor.
    ToggleExpand,
    /// Require all selected tags, or any.
    ToggleTagMode,
    /// Clear the tag filter.
    ClearTags,
    /// Give the focused pane the whole screen, or give it back.
    ToggleZoom,
    /// Open the search over titles, aliases and file names.
    OpenSearch,
    /// Delete the character before the cursor in the search line.
    SearchBackspace,
    /// Clear the search line.
    SearchClear,
    /// Move the search selection down.
    SearchNext,
    /// Move the search selection up.
    SearchPrev,
    /// Open the selected search result.
    SearchAccept,
    /// Switch the search between names (titles, aliases, file names) and the notes' text.
    SearchMode,
    /// Show the key help.
    ToggleHelp,
    /// Show the problems found in the vault.
    ToggleProblems,
    /// Close the open popup.
    ClosePopup,
    /// Read the vault again from disk.
    Reload,
    /// Open the selected note in `$VISUAL` / `$EDITOR`, then read it again.
    Edit,
    /// Give the terminal back to the shell until `fg` (Ctrl-Z).
    Suspend,
    /// Move the diagram cursor left.
    NodeLeft,
    /// Move the diagram cursor right.
    NodeRight,
    /// Scroll the content's wide code and diagram lines left.
    CodeLeft,
    /// Scroll the content's wide code and diagram lines right.
    CodeRight,
    /// Show the note's diagram blocks as their sources when any is drawn, else as drawings.
    ToggleDiagramSource,
    /// Show the note's next diagram.
    NextDiagram,
    /// Show the note's previous diagram.
    PrevDiagram,
    /// List the note's headings to jump to one.
    OpenOutline,
    /// List the notes that link to this one.
    OpenBacklinks,
    /// Move down a picker list (outline, backlinks, choices).
    PickNext,
    /// Move up a picker list.
    PickPrev,
    /// Take the picker's choice.
    PickAccept,
    /// Open the find line for the note.
    OpenFind,
    /// Delete the last character of the find line.
    FindBackspace,
    /// Close the find line, keeping its matches for n / N.
    FindAccept,
    /// Close the find line and forget the matches.
    FindCancel,
    /// Show the next match.
    FindNext,
    /// Show the previous match.
    FindPrev,
    /// Choose the next link of the note.
    NextLink,
    /// Choose the previous link of the note.
    PrevLink,
    /// Follow the chosen link.
    FollowLink,
    /// Go back to the note shown before.
    Back,
    /// Go forward again.
    Forward,
    /// Open the note the node under the diagram cursor names.
    OpenNode,
    /// Draw the diagram's nodes as boxes or as one-line `[Label]`s.
    ToggleCompact,
    /// Lay a 2-D picture out again, or keep the author's grid.
    ToggleRelayout,
    /// Show the architecture map of the notes in view in the diagram pane, or the note's
    /// diagrams again.
    ToggleMap,
    /// On the map: type to filter the components list.
    MapFilter,
    /// On a map focus: one ring of neighbours more.
    MapDeeper,
    /// On a map focus: one ring fewer.
    MapShallower,
    /// On the map: the component is one end of a path; on the second, show the flows.
    MapPath,
    /// On the map: back to the components list.
    MapBack,
    /// On the map: the whole map by clusters, or the components list again.
    MapWhole,
    /// In a note opened from the map: the map again, in the view and at the place left.
    MapReturn,
    /// Study the questions of the notes in view (the tag filter applies).
    StudyView,
    /// Study the questions of the selected note.
    StudyNote,
    /// Study what is due today, in the whole vault.
    StudyDue,
    /// Reveal an open question's answer, or go on after an answer.
    StudySpace,
    /// The next question.
    StudyNext,
    /// Scroll the study screen down a line.
    StudyLineDown,
    /// Scroll the study screen up a line.
    StudyLineUp,
    /// Scroll the study screen down ten lines.
    StudyPageDown,
    /// Scroll the study screen up ten lines.
    StudyPageUp,
    /// Leave the session for its question's note (s comes back).
    StudyGoToNote,
    /// End the session (its summary), or close the summary.
    StudyEnd,
    /// Study the questions missed in the session just ended.
    StudyRetry,
    /// Grade the answer Again (a right one changes from Good; an open one after the reveal).
    StudyGradeAgain,
    /// Grade the answer Hard.
    StudyGradeHard,
    /// Grade the answer Good.
    StudyGradeGood,
    /// Grade the answer Easy.
    StudyGradeEasy,
    /// Take back the last answer of the session.
    StudyUndo,
    /// Suspend the card: never asked again until unsuspended.
    StudySuspend,
    /// Show the study progress: accuracy by tag, due counts, streak.
    ToggleProgress,
    /// In the progress view: the notes of the hardest cards, to open one.
    OpenHardest,
}

impl Action {
    /// The action's name, as a configuration writes it (`next-pane`).
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The action called `name` (`"study-due"`), if there is one.
    pub fn from_name(name: &str) -> Option<Action> {
        serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_by_name() {
        for &a in Action::ALL {
            let name = a.name();
            assert!(!name.is_empty() && name == name.to_lowercase(), "{a:?}");
            assert_eq!(Action::from_name(&name), Some(a), "{name}");
        }
        assert_eq!(Action::from_name("next-pane"), Some(Action::NextPane));
        assert_eq!(Action::from_name("study-due"), Some(Action::StudyDue));
        assert_eq!(Action::from_name("no-such-thing"), None);
    }
}
