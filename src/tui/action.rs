//! Everything the user can ask of the app, as data: keys and mouse become `Action`s through the
//! keymap, and [`crate::tui::app::App::update`] applies them.

use super::app::Pane;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave the app.
    Quit,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Focus one pane.
    Focus(Pane),
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
    /// Open the alias search.
    OpenSearch,
    /// A character typed into the search line.
    SearchInput(char),
    /// Delete the character before the cursor in the search line.
    SearchBackspace,
    /// Move the search selection down.
    SearchNext,
    /// Move the search selection up.
    SearchPrev,
    /// Open the selected search result.
    SearchAccept,
    /// Show or hide the key help.
    ToggleHelp,
    /// Show or hide the list of problems found in the vault.
    ToggleProblems,
    /// Close the open popup.
    ClosePopup,
    /// The terminal has a new size.
    Resize(u16, u16),
    /// A mouse click on a pane: on the `row`th line inside it, or on its border (`None`).
    Click { pane: Pane, row: Option<u16> },
    /// The mouse wheel over a pane.
    Scroll { pane: Pane, down: bool },
    /// Read the vault again from disk.
    Reload,
    /// Open the selected note in `$VISUAL` / `$EDITOR`, then read it again.
    Edit,
    /// Give the terminal back to the shell until `fg` (Ctrl-Z).
    Suspend,
    /// Move the diagram cursor left.
    ScrollLeft,
    /// Move the diagram cursor right.
    ScrollRight,
    /// Show the note's next diagram.
    NextDiagram,
    /// Show the note's previous diagram.
    PrevDiagram,
    /// List the note's headings to jump to one.
    OpenOutline,
    /// List the notes that link to this one.
    OpenBacklinks,
    /// Move down a picker list (outline, backlinks).
    PickNext,
    /// Move up a picker list.
    PickPrev,
    /// Take the picker's choice.
    PickAccept,
    /// Open the find line for the note.
    OpenFind,
    /// A character typed into the find line.
    FindInput(char),
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
    /// Study the questions of the notes in view (the tag filter applies).
    StudyView,
    /// Study the questions of the selected note.
    StudyNote,
    /// Study what is due today, in the whole vault.
    StudyDue,
    /// A key in a study session: an option's letter or number, or a grade.
    StudyKey(char),
    /// Reveal an open question's answer, or go on after an answer.
    StudySpace,
    /// The next question.
    StudyNext,
    /// Scroll the study screen by this many lines.
    StudyScroll(i16),
    /// Leave the session for its question's note (s comes back).
    StudyGoToNote,
    /// End the session (its summary), or close the summary.
    StudyEnd,
    /// Study the questions missed in the session just ended.
    StudyRetry,
    /// Show the study progress: accuracy by tag, due counts, streak.
    ToggleProgress,
}
