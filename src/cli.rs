//! The command line: `vaultscope [--vault DIR] [COMMAND]`. Every subcommand prints the same
//! answers the TUI shows, as text (with colour only on a terminal) or as JSON with `--json`.
//! Everything that came from a note is passed through [`crate::sanitize`] before printing.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use crossterm::style::Stylize;
use serde::Serialize;
use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

use crate::diagram::map::ArchMap;
use crate::sanitize;
use crate::search::{Field, SearchIndex};
use crate::tags::{Combine, TagFilter, TagNode, TagTree};
use crate::vault::order::{Sort, sort_notes};
use crate::vault::{Depth, NoteId, Resolved, Vault};

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
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
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
    },
    /// A note rendered as the content pane shows it: properties header, markdown, callouts,
    /// tables, code, links.
    Show {
        /// A path, file name, title or alias.
        note: String,
        /// Columns to lay the note out in [default: the terminal's width, else 80].
        #[arg(long)]
        width: Option<u16>,
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
    },
    /// The architecture map: the diagrams of the (filtered) notes merged, a component named
    /// alike in several of them being one node.
    Map {
        #[command(flatten)]
        filter: TagArgs,
        #[command(flatten)]
        format: GraphFormat,
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

/// Text styling, on or off.
#[derive(Clone, Copy)]
pub struct Paint(bool);

impl Paint {
    pub fn new(choice: ColorChoice, is_terminal: bool) -> Paint {
        Paint(match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        })
    }
    fn paint(self, s: &str, style: fn(&str) -> crossterm::style::StyledContent<&str>) -> String {
        if self.0 {
            style(s).to_string()
        } else {
            s.to_owned()
        }
    }
    fn bold(self, s: &str) -> String {
        self.paint(s, |s| s.bold())
    }
    fn dim(self, s: &str) -> String {
        self.paint(s, |s| s.dim())
    }
    fn accent(self, s: &str) -> String {
        self.paint(s, |s| s.cyan())
    }
    fn warn(self, s: &str) -> String {
        self.paint(s, |s| s.yellow())
    }
    /// `s` with the chars at `positions` highlighted.
    fn marked(self, s: &str, positions: &[usize]) -> String {
        if !self.0 {
            return s.to_owned();
        }
        s.chars()
            .enumerate()
            .map(|(i, c)| {
                if positions.contains(&i) {
                    c.to_string().yellow().bold().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    }
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let stdout = std::io::stdout();
    let paint = Paint::new(cli.color, stdout.is_terminal());
    // Stdout flushes at every newline; a 10k-line list would be 10k writes.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let code = execute(&cli, paint, &mut out)?;
    out.flush()?;
    Ok(code)
}

/// Runs a parsed command line, writing to `out`. Loading errors of the vault folder itself are
/// errors; everything wrong inside the vault is reported by `check`.
pub fn execute(cli: &Cli, paint: Paint, out: &mut dyn Write) -> Result<i32> {
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
    if matches!(cli.command, Some(Command::Study)) {
        if !std::io::stdout().is_terminal() {
            anyhow::bail!("study needs a terminal; `vaultscope due` lists what is due");
        }
        crate::tui::run(
            Vault::open_root(&dir)?,
            Some(crate::tui::action::Action::StudyDue),
        )?;
        return Ok(0);
    }
    if cli.command.is_none() && std::io::stdout().is_terminal() {
        // A wrong folder is an error here, before the screen changes; the notes load behind
        // the first frame.
        crate::tui::run(Vault::open_root(&dir)?, None)?;
        return Ok(0);
    }
    let loaded = Vault::load_to(&dir, depth)?;
    // The process ends after one command: freeing every string of a large vault one by one
    // would take longer than answering, and the OS takes the memory back at exit anyway.
    let vault = std::mem::ManuallyDrop::new(loaded);
    let vault: &Vault = &vault;
    let w = &mut Writer { out, paint };
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
                let theme = crate::tui::theme::Theme::new(true);
                let buf = crate::tui::snapshot_buffer(
                    vault.clone(),
                    *size,
                    &keys,
                    &theme,
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
        Some(Command::Questions { note, json }) => cmd_questions(w, vault, note.as_deref(), *json),
        Some(Command::Check { json }) => cmd_check(w, vault, *json),
        Some(Command::Show { note, width }) => cmd_show(w, vault, note, *width),
        Some(Command::Diagram {
            note,
            format,
            relayout,
        }) => cmd_diagram(w, vault, note, *format, *relayout),
        Some(Command::Study) => unreachable!("handled before loading"),
        Some(Command::Due { json }) => cmd_due(w, vault, *json),
        Some(Command::Stats { json }) => cmd_stats(w, vault, *json),
        Some(Command::Map { filter, format }) => cmd_map(w, vault, &filter.filter(), *format),
    }
}

struct Writer<'a> {
    out: &'a mut dyn Write,
    paint: Paint,
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

fn cmd_diagram(
    w: &mut Writer,
    vault: &Vault,
    query: &str,
    GraphFormat { json, dot, ascii }: GraphFormat,
    relayout: bool,
) -> Result<i32> {
    let id = find_note(vault, query)?;
    let note = &vault.notes[id];
    let body = vault
        .read_body(id)
        .with_context(|| format!("cannot read {}", line(&note.path)))?;
    let blocks: Vec<_> = crate::vault::body::fenced_blocks(&body, note.body_line)
        .into_iter()
        .filter_map(|b| crate::diagram::parse_block(&b).map(|g| (b, g)))
        .collect();
    if json {
        let index = SearchIndex::build(&vault.notes);
        let diagrams: Vec<Value> = blocks
            .iter()
            .enumerate()
            .map(|(i, (_, g))| {
                let nodes: Vec<Value> = g
                    .nodes
                    .iter()
                    .map(|n| {
                        let notes: Vec<&str> =
                            crate::diagram::notes_for_label(vault, &index, &n.label)
                                .into_iter()
                                .map(|id| vault.notes[id].path.as_str())
                                .collect();
                        let mut v = json!({"id": n.id, "label": n.label, "notes": notes});
                        if let Some(p) = n.pos {
                            v["pos"] = json!({"line": p.line, "col": p.col});
                        }
                        v
                    })
                    .collect();
                json!({
                    "index": i,
                    "syntax": g.syntax,
                    "direction": g.direction,
                    "line": g.line,
                    "nodes": nodes,
                    "edges": g.edges,
                    "subgraphs": g.subgraphs,
                    "diagnostics": g.diagnostics,
                })
            })
            .collect();
        return w.json(json!({"note": note.path, "diagrams": diagrams}));
    }
    if blocks.is_empty() {
        writeln!(w.out, "{} has no diagram", line(&note.path))?;
        return Ok(0);
    }
    for (i, (block, g)) in blocks.iter().enumerate() {
        if dot {
            write_dot(w, &format!("diagram{}", i + 1), g)?;
            continue;
        }
        if blocks.len() > 1 {
            writeln!(
                w.out,
                "{}",
                w.paint.dim(&format!(
                    "diagram {}/{} (line {})",
                    i + 1,
                    blocks.len(),
                    block.line
                ))
            )?;
        }
        for l in crate::diagram::draw(g, relayout, false).canvas.lines(ascii) {
            writeln!(w.out, "{}", sanitize::line(&l))?;
        }
        for d in &g.diagnostics {
            eprintln!(
                "vaultscope: diagram {} line {}: {}",
                i + 1,
                d.line + 1,
                sanitize::line(&d.message)
            );
        }
    }
    Ok(0)
}

/// A graph in Graphviz dot, every string quoted and escaped.
fn write_dot(w: &mut Writer, name: &str, g: &crate::diagram::Graph) -> Result<()> {
    let q = |s: &str| {
        let clean = sanitize::text(s).replace('\t', " ");
        format!(
            "\"{}\"",
            clean
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n")
        )
    };
    writeln!(w.out, "digraph {name} {{")?;
    for n in &g.nodes {
        writeln!(w.out, "  {} [label={}];", q(&n.id), q(&n.label))?;
    }
    for e in &g.edges {
        match &e.label {
            Some(l) => writeln!(w.out, "  {} -> {} [label={}];", q(&e.from), q(&e.to), q(l))?,
            None => writeln!(w.out, "  {} -> {};", q(&e.from), q(&e.to))?,
        }
    }
    writeln!(w.out, "}}")?;
    Ok(())
}

fn cmd_map(
    w: &mut Writer,
    vault: &Vault,
    filter: &TagFilter,
    GraphFormat { json, dot, ascii }: GraphFormat,
) -> Result<i32> {
    let (map, unreadable) = ArchMap::build(vault, &filter.apply(&vault.notes));
    for (id, e) in unreadable {
        eprintln!(
            "vaultscope: cannot read {}: {e}",
            line(&vault.notes[id].path)
        );
    }
    let (g, notes) = (map.graph, map.notes);
    if json {
        let nodes: Vec<Value> = g
            .nodes
            .iter()
            .zip(&notes)
            .map(|(n, ns)| {
                let paths: Vec<&str> = ns.iter().map(|&i| vault.notes[i].path.as_str()).collect();
                json!({"id": n.id, "label": n.label, "notes": paths})
            })
            .collect();
        return w.json(json!({"nodes": nodes, "edges": g.edges}));
    }
    if dot {
        write_dot(w, "map", &g)?;
        return Ok(0);
    }
    if g.nodes.is_empty() {
        writeln!(w.out, "no diagram in the notes")?;
        return Ok(0);
    }
    for l in crate::diagram::draw(&g, false, false).canvas.lines(ascii) {
        writeln!(w.out, "{}", sanitize::line(&l))?;
    }
    Ok(0)
}

/// The study progress of the vault, with what loading had to say on stderr.
fn study_progress(vault: &Vault) -> Result<crate::study::Progress> {
    let store = crate::study::store::Store::for_vault(&vault.root)?;
    let (progress, warning) = store.peek()?;
    if let Some(w) = warning {
        eprintln!("vaultscope: {w}");
    }
    Ok(progress)
}

fn cmd_due(w: &mut Writer, vault: &Vault, json: bool) -> Result<i32> {
    let o = crate::study::overview(
        vault,
        &study_progress(vault)?,
        crate::time::now(),
        &crate::time::Days::local(),
    );
    if json {
        let by_tag: serde_json::Map<String, Value> = o
            .by_tag
            .iter()
            .map(|(t, s)| {
                let v = json!({"questions": s.questions, "due": s.due, "new": s.new});
                (t.clone(), v)
            })
            .collect();
        return w
            .json(json!({"questions": o.questions, "due": o.due, "new": o.new, "by_tag": by_tag}));
    }
    writeln!(
        w.out,
        "{} of {} questions due ({} never answered)",
        w.paint.bold(&o.due.to_string()),
        o.questions,
        o.new
    )?;
    for (tag, s) in o.by_tag.iter().filter(|(_, s)| s.due > 0) {
        let new = w.paint.dim(&format!("{} new", s.new));
        writeln!(w.out, "  {:<32} {:>4} due  {new}", line(tag), s.due)?;
    }
    Ok(0)
}

fn cmd_stats(w: &mut Writer, vault: &Vault, json: bool) -> Result<i32> {
    let o = crate::study::overview(
        vault,
        &study_progress(vault)?,
        crate::time::now(),
        &crate::time::Days::local(),
    );
    let answered = || o.by_tag.iter().filter(|(_, s)| s.answers > 0);
    if json {
        let by_tag: serde_json::Map<String, Value> = o
            .by_tag
            .iter()
            .map(|(t, s)| {
                let accuracy = (s.answers > 0).then(|| s.right as f64 / s.answers as f64);
                let v = json!({"answers": s.answers, "right": s.right, "accuracy": accuracy});
                (t.clone(), v)
            })
            .collect();
        return w.json(json!({"streak_days": o.streak_days, "by_tag": by_tag}));
    }
    writeln!(w.out, "streak: {} day(s)", o.streak_days)?;
    for (tag, s) in answered() {
        let pct = s.right * 100 / s.answers;
        writeln!(
            w.out,
            "  {:<32} {pct:>3}% of {} answers right",
            line(tag),
            s.answers
        )?;
    }
    Ok(0)
}

fn cmd_show(w: &mut Writer, vault: &Vault, query: &str, width: Option<u16>) -> Result<i32> {
    use ratatui::backend::IntoCrossterm;
    let id = find_note(vault, query)?;
    let body = vault
        .read_body(id)
        .with_context(|| format!("cannot read {}", line(&vault.notes[id].path)))?;
    let width = width
        .or_else(|| {
            std::io::stdout()
                .is_terminal()
                .then(|| crossterm::terminal::size().ok().map(|(c, _)| c))
                .flatten()
        })
        .unwrap_or(80)
        .max(1);
    let rendered = crate::markdown::render_note(
        vault,
        id,
        &body,
        width,
        crate::style::Styles::new(w.paint.0),
        crate::time::now(),
    );
    if let Some(why) = &rendered.failure {
        eprintln!("vaultscope: {why}");
    }
    for l in &rendered.lines {
        for span in &l.spans {
            // The renderer sanitised every string; colour codes are the only escapes written.
            if w.paint.0 {
                let style: crossterm::style::ContentStyle = span.style.into_crossterm();
                write!(w.out, "{}", style.apply(&*span.content))?;
            } else {
                w.out.write_all(span.content.as_bytes())?;
            }
        }
        writeln!(w.out)?;
    }
    Ok(0)
}

fn line(s: &str) -> std::borrow::Cow<'_, str> {
    sanitize::line(s)
}

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

#[derive(Serialize)]
struct ListItem<'a> {
    path: &'a str,
    title: &'a str,
    tags: &'a [String],
    aliases: &'a [String],
    created: Option<&'a str>,
    modified: Option<&'a str>,
}

fn cmd_list(
    w: &mut Writer,
    vault: &Vault,
    filter: &TagFilter,
    sort: Sort,
    json: bool,
) -> Result<i32> {
    let mut ids = filter.apply(&vault.notes);
    sort_notes(&vault.notes, &mut ids, sort);
    if json {
        let items: Vec<ListItem> = ids
            .iter()
            .map(|&i| {
                let n = &vault.notes[i];
                ListItem {
                    path: &n.path,
                    title: &n.title,
                    tags: &n.tags,
                    aliases: &n.aliases,
                    created: n.created.as_ref().map(|d| d.text.as_str()),
                    modified: n.modified.as_ref().map(|d| d.text.as_str()),
                }
            })
            .collect();
        return w.json(items);
    }
    // Measured once: the widest title sets the column (at most 48 display columns).
    let titles: Vec<(std::borrow::Cow<str>, usize)> = ids
        .iter()
        .map(|&i| {
            let t = line(&vault.notes[i].title);
            let width = t.width();
            (t, width)
        })
        .collect();
    let title_w = titles.iter().map(|t| t.1).max().unwrap_or(0).min(48);
    let mut tags = String::new();
    for (&i, (title, width)) in ids.iter().zip(&titles) {
        let n = &vault.notes[i];
        tags.clear();
        for (k, t) in n.tags.iter().take(4).enumerate() {
            if k > 0 {
                tags.push(' ');
            }
            tags.push('#');
            tags.push_str(&line(t));
        }
        let title = if *width <= title_w {
            format!("{title}{:pad$}", "", pad = title_w - width)
        } else {
            crate::text::fit(title, title_w)
        };
        writeln!(
            w.out,
            "{}  {}  {}",
            w.paint.bold(&title),
            w.paint.dim(&line(&n.path)),
            w.paint.accent(&tags)
        )?;
    }
    let total = vault.notes.len();
    let shown = if filter.is_empty() {
        format!("{total} notes")
    } else {
        format!("{} of {total} notes", ids.len())
    };
    writeln!(w.out, "{}", w.paint.dim(&shown))?;
    Ok(0)
}

fn cmd_tags(w: &mut Writer, vault: &Vault, json: bool) -> Result<i32> {
    let tree = TagTree::build(&vault.notes);
    if json {
        return w.json(&tree);
    }
    fn walk(w: &mut Writer, nodes: &[TagNode], prefix: &str, root: bool) -> Result<()> {
        for (i, n) in nodes.iter().enumerate() {
            let last = i + 1 == nodes.len();
            let (branch, cont) = match (root, last) {
                (true, _) => ("", ""),
                (false, true) => ("└─ ", "   "),
                (false, false) => ("├─ ", "│  "),
            };
            let count = w.paint.dim(&format!("({})", n.count));
            writeln!(
                w.out,
                "{prefix}{branch}{} {count}",
                w.paint.accent(&line(&n.name))
            )?;
            walk(w, &n.children, &format!("{prefix}{cont}"), false)?;
        }
        Ok(())
    }
    walk(w, &tree.roots, "", true)?;
    Ok(0)
}

#[derive(Serialize)]
struct SearchItem<'a> {
    path: &'a str,
    title: &'a str,
    field: Field,
    matched: &'a str,
    score: i64,
    positions: &'a [usize],
    tags: &'a [String],
}

fn cmd_search(w: &mut Writer, vault: &Vault, query: &str, limit: usize, json: bool) -> Result<i32> {
    let hits = SearchIndex::build(&vault.notes).search(query, limit);
    if json {
        let items: Vec<SearchItem> = hits
            .iter()
            .map(|h| {
                let n = &vault.notes[h.note];
                SearchItem {
                    path: &n.path,
                    title: &n.title,
                    field: h.field,
                    matched: &h.text,
                    score: h.score,
                    positions: &h.positions,
                    tags: &n.tags,
                }
            })
            .collect();
        return w.json(items);
    }
    if hits.is_empty() {
        writeln!(w.out, "no note matches {:?}", line(query))?;
        return Ok(0);
    }
    for (rank, h) in hits.iter().enumerate() {
        let n = &vault.notes[h.note];
        let field = match h.field {
            Field::Title => "title",
            Field::Alias => "alias",
            Field::FileName => "file",
        };
        let matched = w.paint.marked(&line(&h.text), &h.positions);
        let how = if h.field == Field::Title {
            format!("title {matched}")
        } else {
            format!("{} ← {field} {matched}", w.paint.bold(&line(&n.title)))
        };
        let tags: Vec<String> = n
            .tags
            .iter()
            .take(3)
            .map(|t| format!("#{}", line(t)))
            .collect();
        writeln!(
            w.out,
            "{:>3}. {how}  {}  {}",
            rank + 1,
            w.paint.dim(&line(&n.path)),
            w.paint.accent(&tags.join(" "))
        )?;
    }
    Ok(0)
}

fn resolved_path<'a>(vault: &'a Vault, r: &'a Resolved) -> Option<&'a str> {
    match r {
        Resolved::Note(id) => Some(&vault.notes[*id].path),
        Resolved::Attachment(p) => Some(p),
        Resolved::Unresolved => None,
    }
}

fn cmd_links(w: &mut Writer, vault: &Vault, query: &str, json: bool) -> Result<i32> {
    let id = find_note(vault, query)?;
    let note = &vault.notes[id];
    let backlinks: Vec<&str> = vault.backlinks[id]
        .iter()
        .map(|&b| vault.notes[b].path.as_str())
        .collect();
    if json {
        let link_json = |l: &crate::vault::Link| {
            let mut v = serde_json::to_value(&l.raw).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                let kind = match l.resolved {
                    Resolved::Note(_) => "note",
                    Resolved::Attachment(_) => "attachment",
                    Resolved::Unresolved => "unresolved",
                };
                m.insert("resolved".into(), json!(kind));
                m.insert("to".into(), json!(resolved_path(vault, &l.resolved)));
            }
            v
        };
        let outgoing: Vec<Value> = note
            .links
            .iter()
            .filter(|l| l.resolved != Resolved::Unresolved)
            .map(link_json)
            .collect();
        let unresolved: Vec<Value> = note
            .links
            .iter()
            .filter(|l| l.resolved == Resolved::Unresolved)
            .map(link_json)
            .collect();
        return w.json(json!({
            "path": note.path,
            "title": note.title,
            "outgoing": outgoing,
            "backlinks": backlinks,
            "unresolved": unresolved,
        }));
    }
    writeln!(
        w.out,
        "{}  {}",
        w.paint.bold(&line(&note.title)),
        w.paint.dim(&line(&note.path))
    )?;
    let (resolved, unresolved): (Vec<_>, Vec<_>) = note
        .links
        .iter()
        .partition(|l| l.resolved != Resolved::Unresolved);
    writeln!(
        w.out,
        "\n{}",
        w.paint.bold(&format!("Outgoing ({})", resolved.len()))
    )?;
    for l in &resolved {
        let anchor = l
            .raw
            .heading
            .as_deref()
            .map(|h| format!("#{h}"))
            .unwrap_or_default();
        let to = resolved_path(vault, &l.resolved).unwrap_or_default();
        writeln!(
            w.out,
            "  {} → {}{}  {}",
            line(&l.raw.target),
            w.paint.accent(&line(to)),
            line(&anchor),
            w.paint.dim(&format!("line {}", l.raw.line))
        )?;
    }
    writeln!(
        w.out,
        "\n{}",
        w.paint.bold(&format!("Backlinks ({})", backlinks.len()))
    )?;
    for b in &backlinks {
        writeln!(w.out, "  {}", w.paint.accent(&line(b)))?;
    }
    writeln!(
        w.out,
        "\n{}",
        w.paint.bold(&format!("Unresolved ({})", unresolved.len()))
    )?;
    for l in &unresolved {
        writeln!(
            w.out,
            "  {}  {}",
            w.paint.warn(&format!("[[{}]]", line(&l.raw.target))),
            w.paint.dim(&format!("line {}", l.raw.line))
        )?;
    }
    Ok(0)
}

fn cmd_questions(w: &mut Writer, vault: &Vault, query: Option<&str>, json: bool) -> Result<i32> {
    let ids: Vec<NoteId> = match query {
        Some(q) => vec![find_note(vault, q)?],
        None => (0..vault.notes.len()).collect(),
    };
    if json {
        let items: Vec<Value> = ids
            .iter()
            .flat_map(|&i| {
                let n = &vault.notes[i];
                n.questions.iter().map(move |q| {
                    let mut v = serde_json::to_value(q).unwrap_or(Value::Null);
                    if let Value::Object(m) = &mut v {
                        m.insert("path".into(), json!(n.path));
                    }
                    v
                })
            })
            .collect();
        return w.json(items);
    }
    let mut count = 0;
    for &i in &ids {
        let n = &vault.notes[i];
        for q in &n.questions {
            count += 1;
            writeln!(
                w.out,
                "{}",
                w.paint.dim(&format!("{}:{}", line(&n.path), q.line))
            )?;
            writeln!(
                w.out,
                "{} {}",
                w.paint.bold("Q."),
                sanitize::text(&q.prompt)
            )?;
            for c in &q.options {
                let text = format!("  {}) {}", line(&c.label), line(&c.text));
                let right = q.is_right(&c.label);
                writeln!(
                    w.out,
                    "{}",
                    if right { w.paint.accent(&text) } else { text }
                )?;
            }
            if !q.answer_text.is_empty() {
                writeln!(
                    w.out,
                    "{} {}",
                    w.paint.bold("A."),
                    w.paint.accent(&line(&q.answer_text))
                )?;
            }
            for e in &q.explanation {
                writeln!(w.out, "  - {}", sanitize::text(e))?;
            }
            writeln!(w.out)?;
        }
    }
    writeln!(
        w.out,
        "{}",
        w.paint.dim(&format!(
            "{count} questions in {} notes",
            ids.iter()
                .filter(|&&i| !vault.notes[i].questions.is_empty())
                .count()
        ))
    )?;
    Ok(0)
}

fn cmd_check(w: &mut Writer, vault: &Vault, json: bool) -> Result<i32> {
    let code = i32::from(!vault.problems.is_empty());
    if json {
        w.json(json!({ "notes": vault.notes.len(), "problems": vault.problems }))?;
        return Ok(code);
    }
    for p in &vault.problems {
        let kind = serde_json::to_value(p.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(
            w.out,
            "{}  {}",
            line(&p.to_string()),
            w.paint.dim(&format!("[{kind}]"))
        )?;
    }
    let files = {
        let mut paths: Vec<&str> = vault.problems.iter().map(|p| p.path.as_str()).collect();
        paths.dedup();
        paths.len()
    };
    let summary = if vault.problems.is_empty() {
        format!("{} notes, no problems", vault.notes.len())
    } else {
        format!(
            "{} notes, {} problems in {files} files",
            vault.notes.len(),
            vault.problems.len()
        )
    };
    writeln!(
        w.out,
        "{}",
        if code == 0 {
            w.paint.accent(&summary)
        } else {
            w.paint.warn(&summary)
        }
    )?;
    Ok(code)
}
