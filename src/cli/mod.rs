//! The command line: `vaultscope [--vault DIR] [COMMAND]`. Every subcommand prints the same
//! answers the TUI shows, as text (with colour only on a terminal) or as JSON with `--json`.
//! Everything that came from a note is passed through [`crate::sanitize`] before printing.
//!
//! This file holds the arguments, the dispatch and what the commands share; the commands live
//! by subject: `notes` (list, tags, search), `note` (links, questions, show, check), `graph`
//! (diagram, map, dot) and `study` (due, stats).

mod graph;
mod note;
mod notes;
mod study;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::sanitize;
use crate::search::SearchIndex;
use crate::style::{Styles, no_color_unset};
use crate::tags::{Combine, TagFilter};
use crate::vault::cache::{Cache, Place};
use crate::vault::order::Sort;
use crate::vault::{Depth, NoteId, Progress, TitleRule, Vault};

use graph::{cmd_diagram, cmd_map};
use note::{cmd_check, cmd_links, cmd_questions, cmd_show};
use notes::{cmd_list, cmd_search, cmd_tags};
use study::{cmd_anki, cmd_due, cmd_stats, cmd_unsuspend};

#[derive(Debug, Parser)]
#[command(
    name = "vaultscope",
    version,
    about = "Explore and study a folder of Obsidian-style markdown notes"
)]
pub struct Cli {
    /// The vault folder [default: $VAULTSCOPE_VAULT, else ./notes when present, else .]
    #[arg(long, global = true, value_name = "DIR")]
    pub vault: Option<PathBuf>,
    /// When to colour text output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Where the titles of notes without a `title` property come from: the file name (as
    /// Obsidian shows them) or the first `# heading`.
    #[arg(long, global = true, value_enum, value_name = "FROM", default_value_t = TitleFrom::FileName)]
    pub title_from: TitleFrom,
    /// Read every note from its file, and keep no metadata cache
    /// ($XDG_CACHE_HOME/vaultscope/, else ~/.cache/vaultscope/).
    #[arg(long, global = true, env = "VAULTSCOPE_NO_CACHE",
          value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,
    #[command(flatten)]
    pub study: StudyArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How study sessions are planned and shown (the explorer, `study`, `due`, `stats`).
#[derive(Debug, Clone, clap::Args)]
pub struct StudyArgs {
    /// New cards a local day takes.
    #[arg(long, global = true, value_name = "N", default_value_t = crate::study::schedule::NEW_PER_DAY)]
    pub new_per_day: usize,
    /// Reviews a local day takes.
    #[arg(long, global = true, value_name = "N", default_value_t = crate::study::schedule::REVIEWS_PER_DAY)]
    pub reviews_per_day: usize,
    /// Show options in their written order instead of shuffled.
    #[arg(long, global = true)]
    pub no_shuffle: bool,
}

impl StudyArgs {
    pub fn limits(&self) -> crate::study::Limits {
        crate::study::Limits {
            new_per_day: self.new_per_day,
            reviews_per_day: self.reviews_per_day,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

/// Where titles come from (`--title-from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TitleFrom {
    /// The `title` property, else the file name.
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

/// How `show` writes diagram blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramsArg {
    /// Drawn when the drawing fits the width, except ASCII pictures, kept as their author
    /// drew them (what the content pane shows first).
    Auto,
    /// Every diagram drawn when its drawing fits the width.
    Drawn,
    /// Every diagram as its source.
    Source,
}

impl DiagramsArg {
    fn mode(self) -> crate::markdown::DiagramMode {
        use crate::markdown::DiagramMode;
        match self {
            DiagramsArg::Auto => DiagramMode::Auto,
            DiagramsArg::Drawn => DiagramMode::Drawn,
            DiagramsArg::Source => DiagramMode::Source,
        }
    }
}

/// A tag filter on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct TagArgs {
    /// Only notes with this tag or a descendant of it (repeat to require several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// With several --tag, keep notes that have any of them instead of all.
    #[arg(long)]
    pub any: bool,
}

impl TagArgs {
    pub fn filter(&self) -> TagFilter {
        TagFilter::new(
            self.tags.iter().cloned(),
            if self.any { Combine::Any } else { Combine::All },
        )
    }
}

/// How a graph is printed: drawn (in ASCII only with `--ascii`), or as JSON or dot.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct GraphFormat {
    #[arg(long, conflicts_with = "dot")]
    pub json: bool,
    #[arg(long)]
    pub dot: bool,
    /// Draw with ASCII characters only.
    #[arg(long)]
    pub ascii: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List notes, optionally filtered by tags.
    List {
        #[command(flatten)]
        filter: TagArgs,
        #[arg(long, value_enum, default_value_t = Sort::Title)]
        sort: Sort,
        #[arg(long)]
        json: bool,
    },
    /// The tag tree with note counts (a tag counts its descendants).
    Tags {
        #[arg(long)]
        json: bool,
    },
    /// Fuzzy search over titles, aliases and file names.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// A note's outgoing links, backlinks and unresolved links.
    Links {
        /// A path, file name, title or alias.
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// The exam questions of one note, or of the whole vault.
    Questions {
        /// A path, file name, title or alias.
        note: Option<String>,
        #[arg(long)]
        json: bool,
        /// Write the questions to FILE in Anki's plain-text import format (outside the vault).
        #[arg(long, value_name = "FILE")]
        anki: Option<PathBuf>,
    },
    /// A note rendered as the content pane shows it: properties header, markdown, callouts,
    /// tables, code, links.
    Show {
        /// A path, file name, title or alias.
        note: String,
        /// Columns to lay the note out in [default: the terminal's width, else 80].
        #[arg(long)]
        width: Option<u16>,
        /// How diagram blocks show, as the content pane's `D` key chooses.
        #[arg(long, value_enum, default_value_t = DiagramsArg::Auto)]
        diagrams: DiagramsArg,
    },
    /// A note's diagrams: drawn, or as a graph in JSON or Graphviz dot.
    Diagram {
        /// A path, file name, title or alias.
        note: String,
        #[command(flatten)]
        format: GraphFormat,
        /// Lay a 2-D picture out again instead of showing it as drawn.
        #[arg(long)]
        relayout: bool,
        /// Fit the drawing to this many columns as the diagram pane does: compact labels,
        /// then a top-to-bottom layout when the author's left-to-right one is too wide.
        #[arg(long)]
        width: Option<usize>,
    },
    /// The architecture map: the diagrams of the (filtered) notes merged, a component named
    /// alike in several of them being one node.
    Map {
        #[command(flatten)]
        filter: TagArgs,
        #[command(flatten)]
        format: GraphFormat,
        #[command(flatten)]
        view: graph::MapView,
    },
    /// Open the explorer straight in a study session of what is due today.
    Study,
    /// Questions due for review now, by tag (study progress lives outside the vault).
    Due {
        #[arg(long)]
        json: bool,
    },
    /// Study results by tag: answers, right answers, accuracy; and the daily streak.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Ask a suspended card again (its id, as `due` lists it).
    Unsuspend {
        /// The card's id.
        id: String,
    },
    /// Every problem in the vault; exits with status 1 when there is any.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Run the explorer on an off-screen terminal, type KEYS, and print the final screen.
    Snapshot {
        /// Screen size, WIDTHxHEIGHT.
        #[arg(long, default_value = "120x40", value_parser = parse_size)]
        size: (u16, u16),
        /// Keys to type: characters as they are, and <Enter> <Esc> <Tab> <S-Tab> <Space>
        /// <Bksp> <Up> <Down> <Left> <Right> <Home> <End> <PgUp> <PgDn> <C-x> <lt>.
        #[arg(long, default_value = "")]
        keys: String,
        /// Print the screen as an SVG image with its colours instead of plain text.
        #[arg(long)]
        svg: bool,
    },
}

fn parse_size(s: &str) -> std::result::Result<(u16, u16), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or("expected WIDTHxHEIGHT, like 120x40")?;
    let w: u16 = w.trim().parse().map_err(|_| format!("bad width {w:?}"))?;
    let h: u16 = h.trim().parse().map_err(|_| format!("bad height {h:?}"))?;
    if w == 0 || h == 0 || w > 1000 || h > 1000 {
        return Err("width and height must be 1 to 1000".into());
    }
    Ok((w, h))
}

/// The vault folder: `--vault`, else `$VAULTSCOPE_VAULT` (an empty one counts as unset), else
/// `./notes` when it exists, else `.`.
pub fn vault_dir(explicit: Option<&Path>) -> PathBuf {
    let from_env = std::env::var_os("VAULTSCOPE_VAULT")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    match explicit.map(Path::to_path_buf).or(from_env) {
        Some(p) => p,
        None if Path::new("notes").is_dir() => PathBuf::from("notes"),
        None => PathBuf::from("."),
    }
}

/// The styles for `--color`: always, never, or (auto) when stdout is a terminal and
/// `NO_COLOR` is not set.
pub fn styles(choice: ColorChoice, is_terminal: bool) -> Styles {
    Styles::new(match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color_unset(),
    })
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let stdout = std::io::stdout();
    let styles = styles(cli.color, stdout.is_terminal());
    // Stdout flushes at every newline; a 10k-line list would be 10k writes.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let code = execute(&cli, styles, &mut out)?;
    out.flush()?;
    Ok(code)
}

/// Runs a parsed command line, writing to `out`. Loading errors of the vault folder itself are
/// errors; everything wrong inside the vault is reported by `check`.
pub fn execute(cli: &Cli, styles: Styles, out: &mut dyn Write) -> Result<i32> {
    let dir = vault_dir(cli.vault.as_deref());
    // Lists, tags and search need no links or questions: skip that work (most of a load).
    let depth = match &cli.command {
        Some(Command::List { .. } | Command::Tags { .. } | Command::Search { .. }) => {
            Depth::Outline
        }
        // Without a terminal, no subcommand only prints the list.
        None if !std::io::stdout().is_terminal() => Depth::Outline,
        _ => Depth::Full,
    };
    let place = if cli.no_cache {
        Place::Off
    } else {
        Place::User
    };
    if matches!(cli.command, Some(Command::Study)) {
        if !std::io::stdout().is_terminal() {
            anyhow::bail!("study needs a terminal; `vaultscope due` lists what is due");
        }
        crate::tui::run(
            Vault::open_root(&dir)?,
            Some(crate::tui::action::Action::StudyDue),
            (cli.study.limits(), !cli.study.no_shuffle),
            cli.title_from.rule(),
            place,
        )?;
        return Ok(0);
    }
    if cli.command.is_none() && std::io::stdout().is_terminal() {
        // A wrong folder is an error here, before the screen changes; the notes load behind
        // the first frame.
        crate::tui::run(
            Vault::open_root(&dir)?,
            None,
            (cli.study.limits(), !cli.study.no_shuffle),
            cli.title_from.rule(),
            place,
        )?;
        return Ok(0);
    }
    let root = Vault::open_root(&dir)?;
    let cache = Cache::open(&place, &root);
    if let (Some(notice), Some(Command::Check { .. })) = (cache.notice(), &cli.command) {
        eprintln!("vaultscope: {notice}");
    }
    let (loaded, update) = Vault::load_with_cache(&root, depth, &Progress::default(), cache)?;
    let loaded = loaded.with_titles(cli.title_from.rule());
    // The process ends after one command: freeing every string of a large vault one by one
    // would take longer than answering, and the OS takes the memory back at exit anyway.
    let vault = std::mem::ManuallyDrop::new(loaded);
    let vault: &Vault = &vault;
    let w = &mut Writer { out, styles };
    let code = answer(cli, vault, w);
    // The answer is out before the cache is written; a cache that cannot be written is no
    // matter (the next run reads the files).
    w.out.flush()?;
    let _ = update.write();
    code
}

/// Runs the command on the loaded vault.
fn answer(cli: &Cli, vault: &Vault, w: &mut Writer) -> Result<i32> {
    match &cli.command {
        None => {
            cmd_list(w, vault, &TagFilter::default(), Sort::Title, false)?;
            eprintln!(
                "vaultscope: stdout is not a terminal, so the explorer cannot start; \
                 the subcommands answer without one (see `vaultscope --help`)"
            );
            Ok(0)
        }
        Some(Command::Snapshot { size, keys, svg }) => {
            let keys = crate::tui::keymap::parse_keys(keys).map_err(anyhow::Error::msg)?;
            // The app owns its vault; a snapshot's vault is small enough to copy.
            if *svg {
                let buf = crate::tui::snapshot_buffer(
                    vault.clone(),
                    *size,
                    &keys,
                    Styles::new(true),
                    crate::time::now(),
                )?;
                w.out
                    .write_all(crate::tui::svg::buffer_svg(&buf).as_bytes())?;
            } else {
                let screen = crate::tui::snapshot(vault.clone(), size.0, size.1, &keys)?;
                w.out.write_all(sanitize::text(&screen).as_bytes())?;
            }
            Ok(0)
        }
        Some(Command::List { filter, sort, json }) => {
            cmd_list(w, vault, &filter.filter(), *sort, *json)
        }
        Some(Command::Tags { json }) => cmd_tags(w, vault, *json),
        Some(Command::Search { query, limit, json }) => cmd_search(w, vault, query, *limit, *json),
        Some(Command::Links { note, json }) => cmd_links(w, vault, note, *json),
        Some(Command::Questions {
            anki: Some(file), ..
        }) => cmd_anki(w, vault, file),
        Some(Command::Questions { note, json, .. }) => {
            cmd_questions(w, vault, note.as_deref(), *json)
        }
        Some(Command::Check { json }) => cmd_check(w, vault, *json),
        Some(Command::Show {
            note,
            width,
            diagrams,
        }) => cmd_show(w, vault, note, *width, diagrams.mode()),
        Some(Command::Diagram {
            note,
            format,
            relayout,
            width,
        }) => cmd_diagram(w, vault, note, *format, *relayout, *width),
        Some(Command::Study) => unreachable!("handled before loading"),
        Some(Command::Due { json }) => cmd_due(w, vault, cli.study.limits(), *json),
        Some(Command::Stats { json }) => cmd_stats(w, vault, cli.study.limits(), *json),
        Some(Command::Unsuspend { id }) => cmd_unsuspend(w, vault, id),
        Some(Command::Map {
            filter,
            format,
            view,
        }) => cmd_map(w, vault, &filter.filter(), *format, view),
    }
}

/// Where a command writes, and how it colours.
struct Writer<'a> {
    out: &'a mut dyn Write,
    styles: Styles,
}

impl Writer<'_> {
    /// Prints a JSON value after neutralising control characters from notes.
    fn json(&mut self, value: impl Serialize) -> Result<i32> {
        let mut v = serde_json::to_value(value)?;
        sanitize::json(&mut v);
        serde_json::to_writer_pretty(&mut *self.out, &v)?;
        writeln!(self.out)?;
        Ok(0)
    }
}

/// A one-line field from a note, safe to print.
fn line(s: &str) -> std::borrow::Cow<'_, str> {
    sanitize::line(s)
}

/// The note `query` names (a path, file name, title or alias), or an error that suggests the
/// closest ones.
fn find_note(vault: &Vault, query: &str) -> Result<NoteId> {
    vault.find(query).with_context(|| {
        let hint = SearchIndex::build(&vault.notes)
            .search(query, 3)
            .into_iter()
            .map(|h| format!("`{}`", line(&vault.notes[h.note].path)))
            .collect::<Vec<_>>();
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", hint.join(", "))
        };
        format!(
            "no note has the path, file name, title or alias {:?}{hint}",
            line(query)
        )
    })
}
