//! Questions written in the study tools' own forms, beside the exam-note forms of
//! [`super::questions`]: quiz fences (```` ```quiz ````) and the Obsidian Spaced Repetition
//! plugin's flashcards, with that plugin's settings.

pub mod flashcards;
pub mod quiz_fence;
pub mod settings;

pub use settings::CardSettings;
