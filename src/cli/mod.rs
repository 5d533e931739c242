//! The command line: `vaultscope [--vault DIR] [COMMAND]`. Every subcommand prints the same
//! answers the TUI shows, as text (with colour only on a terminal) or as JSON with `--json`.
//! Everything that came from a note is passed through [`crate::sanitize`] before printing.
//!
//! This file holds the arguments, the dispatch and what the commands share; the commands live
//! by subject: `notes` (list, tags, search), `note` (links, questions, show, check), `graph`
//! (diagram, map, dot) and `study` (due, stats).

mod graph;
mod grep;
mod note;
mod notes;
mod study;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::config::{Loaded, Settings, StudyConfig};
use crate::sanitize;
use crate::search::SearchIndex;
use crate::style::{Styles, no_color_unset};
use crate::tags::{Combine, TagFilter};
use crate::vault::cache::{Cache, Place};
use crate::vault::order::Sort;
use crate::vault::{Depth, NoteId, Progress, Vault};

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
    /// The vault folder, or the name of a vault in the configuration's [vaults] (a folder
    /// of that name wins) [default: $VAULTSCOPE_VAULT, else the configuration's `vault`,
    /// else ./notes when present, else .]
    #[arg(long, global = true, value_name = "DIR")]
    pub vault: Option<PathBuf>,
    /// The configuration file [default: $VAULTSCOPE_CONFIG, else
    /// $XDG_CONFIG_HOME/vaultscope/config.toml, else ~/.config/vaultscope/config.toml]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When to colour text output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Where the titles of notes without a `title` property come from: the file name (as
    /// Obsidian shows them) or the first `# heading` [default: the configuration's
    /// `title-from`, else file-name]
    #[arg(long, global = true, value_enum, value_name = "FROM")]
    pub title_from: Option<TitleFrom>,
    /// Read every note from its file, and keep no metadata cache
    /// ($XDG_CACHE_HOME/vaultscope/, else ~/.cache/vaultscope/).
    #[arg(long, global = true, env = "VAULTSCOPE_NO_CACHE",
          value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,
    /// Show fenced code plain instead of highlighted (the explorer and `show`).
    #[arg(long, global = true)]
    pub no_highlight: bool,
    /// How the explorer shows pictures embedded in notes (`show` prints their placeholders).
    /// [default: the configuration's `[content] images`, else auto]
    #[arg(long, global = true, value_enum, value_name = "MODE")]
    pub images: Option<crate::images::Mode>,
    #[command(flatten)]
    pub study: StudyArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// How notes are shown: the configuration's `[content]`, overridden by the flags.
    pub fn display(&self, content: &crate::config::ContentConfig) -> crate::tui::Display {
        let mut display = crate::tui::Display::configured(content);
        display.highlight &= !self.no_highlight;
        if let Some(images) = self.images {
            display.images = images;
        }
        display
    }
}

/// How study sessions are planned and shown (the explorer, `study`, `due`, `stats`).
#[derive(Debug, Clone, clap::Args)]
pub struct StudyArgs {
    /// New cards a local day takes [default: the configuration's, else 20]
    #[arg(long, global = true, value_name = "N")]
    pub new_per_day: Option<usize>,
    /// Reviews a local day takes [default: the configuration's, else 200]
    #[arg(long, global = true, value_name = "N")]
    pub reviews_per_day: Option<usize>,
    /// Show options in their written order instead of shuffled.
    #[arg(long, global = true)]
    pub no_shuffle: bool,
}

impl StudyArgs {
    /// The configuration's study settings with these flags applied.
    pub fn over(&self, file: &StudyConfig) -> StudyConfig {
        StudyConfig {
            new_per_day: self.new_per_day.unwrap_or(file.new_per_day),
            reviews_per_day: self.reviews_per_day.unwrap_or(file.reviews_per_day),
            shuffle: file.shuffle && !self.no_shuffle,
        }
    }
}

fn limits(study: &StudyConfig) -> crate::study::Limits {
    crate::study::Limits {
        new_per_day: study.new_per_day,
        reviews_per_day: study.reviews_per_day,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

/// Where titles come from (`--title-from`): the configuration's `title-from`, one type.
pub use crate::config::TitleFrom;

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
    /// Fuzzy search over titles, aliases and file names (초성 too: ㅂㅇㄱㄹ); the query's
    /// filters (tag: path: has: due:today, see `grep`) narrow the notes.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search: every matching line as `path:line: text`, best notes first; exits 1
    /// when nothing matched. Words (smart case; 초성 like ㅂㅇㄱㄹ find 보안그룹), "a phrase",
    /// re:REGEX or /REGEX/, and filters: tag:T -tag:T path:P -path:P has:diagram has:question
    /// due:today.
    Grep {
        /// The query (several words are joined with spaces).
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        query: Vec<String>,
        /// Print at most N lines.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print a JSON array of {path, line, column, text, ranges, place}; `column` and
        /// `ranges` are byte offsets (1-based column, half-open ranges into `text`).
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
    /// The effective configuration (the file's, every default, the flags given), or with
    /// --default a commented file of the defaults to start one from.
    Config {
        /// Print the commented default file instead.
        #[arg(long, conflicts_with = "json")]
        default: bool,
        #[arg(long)]
        json: bool,
    },
    /// Shell completions for bash, zsh, fish, elvish or PowerShell, on stdout.
    Completions { shell: clap_complete::Shell },
    /// The manual page (roff), on stdout: `vaultscope man | man -l -`.
    Man,
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
    // Stdout flushes at every newline; a 10k-line list would be 10k writes.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    if let Some(code) = without_config(&cli, &mut out)? {
        out.flush()?;
        return Ok(code);
    }
    // An empty VAULTSCOPE_CONFIG counts as unset, as VAULTSCOPE_VAULT does.
    let explicit = cli.config.clone().or_else(|| {
        std::env::var_os("VAULTSCOPE_CONFIG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let loaded = crate::config::load(explicit.as_deref())?;
    for w in &loaded.warnings {
        eprintln!("vaultscope: warning: {w}");
    }
    let settings = loaded.settings()?;
    let styles = Styles::themed(
        styles(cli.color, std::io::stdout().is_terminal()).color(),
        settings.theme,
    );
    let code = execute(&cli, (&loaded, &settings), styles, &mut out)?;
    out.flush()?;
    Ok(code)
}

/// The commands that read no configuration (so a broken one cannot stop them): completions,
/// the manual page, the default configuration file.
fn without_config(cli: &Cli, out: &mut dyn Write) -> Result<Option<i32>> {
    use clap::CommandFactory;
    match &cli.command {
        Some(Command::Completions { shell }) => {
            clap_complete::generate(*shell, &mut Cli::command(), "vaultscope", out);
        }
        Some(Command::Man) => clap_mangen::Man::new(Cli::command()).render(out)?,
        Some(Command::Config { default: true, .. }) => {
            out.write_all(crate::config::default_file().as_bytes())?
        }
        _ => return Ok(None),
    }
    Ok(Some(0))
}

/// `vaultscope config`: the file's configuration with the flags given applied.
fn cmd_config(cli: &Cli, loaded: &Loaded, json: bool, out: &mut dyn Write) -> Result<i32> {
    let mut config = loaded.config.clone();
    if let Some(t) = cli.title_from {
        config.title_from = t;
    }
    config.study = cli.study.over(&config.study);
    if cli.vault.is_some() {
        config.vault = Some(loaded.vault_dir(cli.vault.as_deref()).display().to_string());
    }
    let file = loaded.file().map(|f| f.display().to_string());
    if json {
        let v = serde_json::json!({
            "file": file,
            "warnings": loaded.warnings,
            "config": config,
        });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(0);
    }
    match (&loaded.source, file) {
        (_, Some(f)) => writeln!(out, "# The configuration of {f}, with every default.")?,
        (crate::config::Source::Missing(Some(p)), None) => writeln!(
            out,
            "# No configuration file at {}: the defaults.",
            p.display()
        )?,
        _ => writeln!(
            out,
            "# No configuration file (no home folder): the defaults."
        )?,
    }
    writeln!(
        out,
        "# `vaultscope config --default` prints a commented file to start from."
    )?;
    if config.vault.is_none() {
        writeln!(
            out,
            "# vault: not set, so the vault is $VAULTSCOPE_VAULT, else ./notes, else . \
             (now {})",
            loaded.vault_dir(None).display()
        )?;
    }
    writeln!(out)?;
    out.write_all(sanitize::text(&crate::config::to_toml(&config)).as_bytes())?;
    Ok(0)
}

/// Runs a parsed command line, writing to `out`, with a configuration and what it makes.
/// Loading errors of the vault folder itself are errors; everything wrong inside the vault is
/// reported by `check`.
pub fn execute(
    cli: &Cli,
    (loaded, settings): (&Loaded, &Settings),
    styles: Styles,
    out: &mut dyn Write,
) -> Result<i32> {
    if let Some(Command::Config { json, .. }) = &cli.command {
        return cmd_config(cli, loaded, *json, out);
    }
    let dir = loaded.vault_dir(cli.vault.as_deref());
    let study = cli.study.over(&loaded.config.study);
    let titles = cli
        .title_from
        .map_or(loaded.config.title_from.rule(), TitleFrom::rule);
    let tui_settings = crate::tui::Settings {
        theme: settings.theme,
        keymap: settings.keymap.clone(),
        layout: loaded.config.layout.clone(),
        display: cli.display(&loaded.config.content),
        warnings: loaded.warnings.clone(),
    };
    // A bad grep query is an error before the vault loads; parsed once, for the depth and
    // for the search.
    let grep = match &cli.command {
        Some(Command::Grep { query, .. }) => Some(grep_query(query)?),
        _ => None,
    };
    // Lists, tags and search need no links or questions: skip that work (most of a load).
    let depth = match &cli.command {
        Some(Command::Search { query, .. })
            if query.contains("has:question") || query.contains("due:") =>
        {
            Depth::Full
        }
        Some(Command::List { .. } | Command::Tags { .. } | Command::Search { .. }) => {
            Depth::Outline
        }
        // Questions are read in a full load only.
        Some(Command::Grep { .. }) => match &grep {
            Some(q) if q.filters.has_question || q.filters.due_today => Depth::Full,
            _ => Depth::Outline,
        },
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
            (limits(&study), study.shuffle),
            titles,
            place,
            tui_settings,
        )?;
        return Ok(0);
    }
    if cli.command.is_none() && std::io::stdout().is_terminal() {
        // A wrong folder is an error here, before the screen changes; the notes load behind
        // the first frame.
        crate::tui::run(
            Vault::open_root(&dir)?,
            None,
            (limits(&study), study.shuffle),
            titles,
            place,
            tui_settings,
        )?;
        return Ok(0);
    }
    let root = Vault::open_root(&dir)?;
    let cache = Cache::open(&place, &root);
    if let (Some(notice), Some(Command::Check { .. })) = (cache.notice(), &cli.command) {
        eprintln!("vaultscope: {notice}");
    }
    let (vault, update) = Vault::load_with_cache(&root, depth, &Progress::default(), cache)?;
    let vault = vault.with_titles(titles);
    // The process ends after one command: freeing every string of a large vault one by one
    // would take longer than answering, and the OS takes the memory back at exit anyway.
    let vault = std::mem::ManuallyDrop::new(vault);
    let vault: &Vault = &vault;
    let w = &mut Writer { out, styles };
    let code = answer(cli, vault, w, (&tui_settings, &study), grep.as_ref());
    // The answer is out before the cache is written; a cache that cannot be written is no
    // matter (the next run reads the files).
    w.out.flush()?;
    let _ = update.write();
    code
}

/// Runs the command on the loaded vault.
fn answer(
    cli: &Cli,
    vault: &Vault,
    w: &mut Writer,
    (settings, study): (&crate::tui::Settings, &StudyConfig),
    grep: Option<&crate::search::query::Query>,
) -> Result<i32> {
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
            // In colour for a picture, unless NO_COLOR (or --color never) says otherwise.
            let color = *svg && cli.color != ColorChoice::Never && no_color_unset();
            let buf = crate::tui::snapshot_with(
                vault.clone(),
                *size,
                &keys,
                (Styles::themed(color, settings.theme), settings),
                crate::time::now(),
            )?;
            if *svg {
                w.out
                    .write_all(crate::tui::svg::buffer_svg(&buf).as_bytes())?;
            } else {
                let screen = crate::tui::buffer_text(&buf);
                w.out.write_all(sanitize::text(&screen).as_bytes())?;
            }
            Ok(0)
        }
        Some(Command::List { filter, sort, json }) => {
            cmd_list(w, vault, &filter.filter(), *sort, *json)
        }
        Some(Command::Tags { json }) => cmd_tags(w, vault, *json),
        Some(Command::Search { query, limit, json }) => cmd_search(w, vault, query, *limit, *json),
        Some(Command::Grep { limit, json, .. }) => {
            let query = grep.ok_or_else(|| anyhow::anyhow!("grep's query was not parsed"))?;
            grep::cmd_grep(w, vault, query, *limit, *json)
        }
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
        }) => cmd_show(w, vault, note, *width, diagrams.mode(), settings.display),
        Some(Command::Diagram {
            note,
            format,
            relayout,
            width,
        }) => cmd_diagram(w, vault, note, *format, *relayout, *width),
        Some(Command::Study) => unreachable!("handled before loading"),
        Some(Command::Config { .. } | Command::Completions { .. } | Command::Man) => {
            unreachable!("handled before loading")
        }
        Some(Command::Due { json }) => cmd_due(w, vault, limits(study), *json),
        Some(Command::Stats { json }) => cmd_stats(w, vault, limits(study), *json),
        Some(Command::Unsuspend { id }) => cmd_unsuspend(w, vault, id),
        Some(Command::Map {
            filter,
            format,
            view,
        }) => cmd_map(w, vault, &filter.filter(), *format, view),
    }
}

/// The query of `grep` (a bad one is an error: exit status 2, with the reason).
fn grep_query(words: &[String]) -> Result<crate::search::query::Query> {
    let q = crate::search::query::Query::parse(&words.join(" "), false)?;
    if !q.has_terms() {
        anyhow::bail!(crate::search::query::FILTERS_ONLY);
    }
    Ok(q)
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
