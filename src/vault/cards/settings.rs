//! The Obsidian Spaced Repetition plugin's settings, as far as finding cards needs them: its
//! separators, its flashcard tags and which cloze forms are on. Read once per vault load from
//! `.obsidian/plugins/obsidian-spaced-repetition/data.json` through the vault's safe open; a
//! vault without the file gets the plugin's defaults, and a broken file is a listed problem
//! (the defaults apply).

use std::path::Path;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::vault::open::RootDir;
use crate::vault::{Problem, ProblemKind};

/// Where the plugin keeps its settings, relative to the vault root.
pub const SETTINGS_PATH: &str = ".obsidian/plugins/obsidian-spaced-repetition/data.json";

/// A settings file larger than this is not read (the plugin's own is a few KiB, plus its
/// review history).
const MAX_SETTINGS_BYTES: u64 = 8 * 1024 * 1024;

/// What decides which lines of a note are cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardSettings {
    /// `front::back`.
    pub single: String,
    /// `front:::back`, a card each way.
    pub single_reversed: String,
    /// A line of its own between a multi-line front and back.
    pub multi: String,
    /// The same, a card each way.
    pub multi_reversed: String,
    /// Notes carrying one of these tags (or a child of one) hold cards; without `#`.
    pub tags: Vec<String>,
    /// `==text==` deletions.
    pub highlight: bool,
    /// `**text**` deletions.
    pub bold: bool,
    /// `{{text}}` deletions.
    pub curly: bool,
}

impl Default for CardSettings {
    /// The plugin's defaults.
    fn default() -> Self {
        CardSettings {
            single: "::".into(),
            single_reversed: ":::".into(),
            multi: "?".into(),
            multi_reversed: "??".into(),
            tags: vec!["flashcards".into()],
            highlight: true,
            bold: false,
            curly: false,
        }
    }
}

/// The defaults, shared by every note parsed without a vault.
pub static DEFAULT: LazyLock<CardSettings> = LazyLock::new(CardSettings::default);

/// The keys of the plugin's `settings` object that matter here (camelCase, as the plugin
/// writes them); a missing key keeps its default.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Raw {
    single_line_card_separator: Option<String>,
    single_line_reversed_card_separator: Option<String>,
    multiline_card_separator: Option<String>,
    multiline_reversed_card_separator: Option<String>,
    flashcard_tags: Option<Vec<String>>,
    convert_highlights_to_clozes: Option<bool>,
    convert_bold_text_to_clozes: Option<bool>,
    convert_curly_brackets_to_clozes: Option<bool>,
}

#[derive(Deserialize)]
struct File {
    settings: Option<Raw>,
}

impl CardSettings {
    /// Settings from the text of `data.json` (`{"settings": {...}, ...}`).
    pub fn from_json(text: &str) -> Result<CardSettings, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let raw = file.settings.unwrap_or_default();
        let d = CardSettings::default();
        // An empty separator would make every line a card: the plugin's default stands.
        let sep = |s: Option<String>, d: String| s.filter(|s| !s.trim().is_empty()).unwrap_or(d);
        let tags: Vec<String> = raw
            .flashcard_tags
            .map(|t| {
                t.iter()
                    .map(|t| {
                        t.trim()
                            .trim_start_matches('#')
                            .trim_matches('/')
                            .to_owned()
                    })
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or(d.tags);
        Ok(CardSettings {
            single: sep(raw.single_line_card_separator, d.single),
            single_reversed: sep(raw.single_line_reversed_card_separator, d.single_reversed),
            multi: sep(raw.multiline_card_separator, d.multi).trim().to_owned(),
            multi_reversed: sep(raw.multiline_reversed_card_separator, d.multi_reversed)
                .trim()
                .to_owned(),
            tags,
            highlight: raw.convert_highlights_to_clozes.unwrap_or(d.highlight),
            bold: raw.convert_bold_text_to_clozes.unwrap_or(d.bold),
            curly: raw.convert_curly_brackets_to_clozes.unwrap_or(d.curly),
        })
    }

    /// The vault's settings (see the module doc), and the problem when the file is there but
    /// cannot be used.
    pub(crate) fn load(dir: &RootDir, root: &Path) -> (CardSettings, Option<Problem>) {
        let abs = root.join(SETTINGS_PATH);
        match abs.symlink_metadata() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (CardSettings::default(), None);
            }
            _ => {}
        }
        let problem = |kind, why: String| {
            Some(Problem::new(
                SETTINGS_PATH,
                None,
                kind,
                format!("{why}; the Spaced Repetition plugin's defaults are used"),
            ))
        };
        let mut bytes = Vec::new();
        if let Err(refused) = dir.read(&abs, MAX_SETTINGS_BYTES, &mut bytes) {
            return (
                CardSettings::default(),
                problem(refused.kind, refused.message),
            );
        }
        let text = String::from_utf8_lossy(&bytes);
        match CardSettings::from_json(&text) {
            Ok(s) => (s, None),
            Err(e) => (
                CardSettings::default(),
                problem(
                    ProblemKind::Settings,
                    format!("the settings are not valid: {e}"),
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_from_the_plugin_file() {
        let s = CardSettings::from_json(
            r##"{"settings": {"singleLineCardSeparator": ";;", "singleLineReversedCardSeparator": ";;;",
                "flashcardTags": ["#암기", "#cards/"], "convertBoldTextToClozes": true,
                "multilineCardSeparator": "", "convertHighlightsToClozes": false}, "buryList": []}"##,
        )
        .unwrap();
        assert_eq!(
            (s.single.as_str(), s.single_reversed.as_str()),
            (";;", ";;;")
        );
        assert_eq!(s.multi, "?", "an empty separator keeps the default");
        assert_eq!(s.tags, ["암기", "cards"]);
        assert_eq!((s.highlight, s.bold, s.curly), (false, true, false));
        // A file without settings is the defaults; a broken one is an error.
        assert_eq!(
            CardSettings::from_json("{}").unwrap(),
            CardSettings::default()
        );
        assert!(CardSettings::from_json("{\"settings\": {\"flashcardTags\": 3}}").is_err());
        assert!(CardSettings::from_json("{not json").is_err());
    }
}
