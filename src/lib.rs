//! vaultscope: a terminal explorer for Obsidian-style markdown study notes.
//!
//! Module map (data flows one way, files → [`vault::Vault`] → indexes → output):
//! - [`vault`]: loading a folder of notes: front matter, tags, links, questions, problems.
//!   Terminal-free.
//! - [`catalog`]: a vault with its search index, tag tree and list orders, built off the
//!   event loop; generations tell reloads apart. Terminal-free.
//! - [`tags`]: the tag tree with counts and tag filters. Terminal-free.
//! - [`search`]: fuzzy search over titles, aliases and file names. Terminal-free.
//! - [`sanitize`]: making note text safe to print.
//! - [`style`]: every style by role (the panes, rendered markdown, the command line's colours,
//!   the SVG screenshots). [`text`]: display widths and cutting between graphemes. [`time`]:
//!   now, ages, the user's calendar days.
//! - [`diagram`]: diagram blocks parsed into graphs (ASCII pictures, text chains, Mermaid).
//!   Terminal-free.
//! - [`markdown`]: a note's markdown as styled lines for a width (pure; ratatui text types
//!   only, no terminal).
//! - [`images`]: pictures embedded in notes, read from inside the vault and decoded within
//!   bounds; half blocks of them (ratatui text types only, no terminal).
//! - [`study`]: questions as review cards, FSRS scheduling, the progress file. Terminal-free.
//! - [`tui`]: the terminal UI on the core above: one update for every message, panes and
//!   popups each with their state, keys and drawing, work on worker threads.
//! - [`config`]: the configuration file: theme, keys, layout, study limits, vaults by name.
//! - [`cli`]: the command line and the headless subcommands.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod diagram;
pub mod images;
pub mod markdown;
pub mod sanitize;
pub mod search;
pub mod study;
pub mod style;
pub mod tags;
pub mod text;
pub mod time;
pub mod tui;
pub mod vault;
pub mod xdg;

/// The benchmark vault generator, for tests that need a realistic corpus.
#[cfg(test)]
#[path = "../benches/support/genvault.rs"]
mod genvault;
