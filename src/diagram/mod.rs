//! Architecture flow diagrams: the diagram blocks of a note parsed into graphs (2-D arrow
//! pictures, text chains, Mermaid flowcharts and state diagrams, d2), with no terminal code.
//! Layout and drawing come after; see `../shared/DIAGRAMS.md` for the design these follow.
//!
//! The conventions every parser keeps: labels are NFC, trimmed, whitespace runs collapsed;
//! ASCII and chain nodes are identified by their label (the same label twice is one node),
//! Mermaid and d2 nodes by id; an edge runs from tail to arrowhead (Mermaid and d2 keep a
//! two-headed link as one edge with `Head::Both`; ASCII pictures give two edges), and may end
//! on a subgraph (see [`Edge`]);
//! columns are display columns (Hangul and emoji 2, arrows and box drawing 1). Every loop is
//! bounded and a malformed block gives a partial graph, never a panic.

pub mod ascii;
pub mod canvas;
pub mod chain;
pub mod d2;
pub mod fit;
pub mod frames;
pub mod graph;
pub mod layout;
pub mod map;
pub mod mermaid;
pub mod sequence;
pub mod sniff;

pub use graph::{
    Diagnostic, Direction, Edge, EdgeStyle, Graph, Group, Head, Node, Pos, Subgraph, Syntax,
};

use crate::vault::body::{FencedBlock, is_diagram_info};

/// Blocks larger than this are cut before parsing (a diagram is a picture, not a data set).
pub const MAX_BLOCK_BYTES: usize = 1024 * 1024;
/// Lines and columns of a block considered.
pub const MAX_LINES: usize = 2_000;
pub const MAX_COLUMNS: usize = 400;
/// Nodes kept per diagram.
pub const MAX_NODES: usize = 1_000;

/// Parses one fenced block into a graph, or `None` when it is not a diagram (code, prose). A
/// Mermaid type that is not drawn gives a graph with no nodes, a diagnostic and its source.
pub fn parse_block(block: &FencedBlock) -> Option<Graph> {
    if !is_diagram_info(&block.info) {
        return None;
    }
    let mut text = block.text.as_str();
    if text.len() > MAX_BLOCK_BYTES {
        let mut end = MAX_BLOCK_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text = &text[..end];
    }
    let lang = block
        .info
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut graph = if sequence::is_sequence(text) {
        sequence::parse(text)
    } else if lang == "d2" {
        d2::parse(text)
    } else if lang == "mermaid" || mermaid::is_mermaid(text) {
        mermaid::parse(text)
    } else if sniff::looks_like_code(text) {
        return None;
    } else if let Some(g) = ascii::parse(text) {
        g
    } else {
        chain::parse(text)?
    };
    graph.line = block.line;
    (!graph.nodes.is_empty() || !graph.subgraphs.is_empty() || graph.source.is_some())
        .then_some(graph)
}

/// Every diagram of a note body (`first_line` is the body's first line in the file).
pub fn diagrams(body: &str, first_line: usize) -> Vec<Graph> {
    crate::vault::body::fenced_blocks(body, first_line)
        .iter()
        .filter_map(parse_block)
        .collect()
}

/// A label as the graph keeps it: NFC, trimmed, whitespace runs collapsed to one space
/// (line breaks kept when `keep_breaks`), control characters made visible.
pub fn clean_label(raw: &str, keep_breaks: bool) -> String {
    use unicode_normalization::UnicodeNormalization;
    let nfc: String = raw.nfc().collect();
    let lines: Vec<String> = nfc
        .split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    let joined = if keep_breaks {
        lines.join("\n")
    } else {
        lines.join(" ")
    };
    crate::sanitize::text(&joined).into_owned()
}

/// A label or title as compared for "the same name": lower case, `-` and `_` as spaces,
/// whitespace collapsed.
fn name_key(s: &str) -> String {
    s.to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The notes a node's label names: those whose title, alias or file stem is the label (case,
/// `-` and spaces aside); failing that, the best fuzzy matches of the search (at most 5).
pub fn notes_for_label(
    vault: &crate::vault::Vault,
    index: &crate::search::SearchIndex,
    label: &str,
) -> Vec<crate::vault::NoteId> {
    let key = name_key(label);
    if key.is_empty() {
        return Vec::new();
    }
    let exact: Vec<_> = vault
        .notes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            name_key(&n.title) == key
                || name_key(&n.stem) == key
                || n.aliases.iter().any(|a| name_key(a) == key)
        })
        .map(|(i, _)| i)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    // The search matches characters in order; a space in the label would have to be one in
    // the note's name too, so the words are joined.
    let query: String = key.split_whitespace().collect();
    let mut hits: Vec<_> = index
        .search(&query, 5)
        .into_iter()
        .map(|h| h.note)
        .collect();
    hits.dedup();
    hits
}

/// A diagram drawn: laid out and put on a canvas.
#[derive(Debug, Clone)]
pub struct Drawing {
    pub layout: layout::Layout,
    pub canvas: canvas::Canvas,
}

/// Draws a graph: a 2-D ASCII picture keeps the author's grid (each line of nodes a row, in
/// their order) unless `relayout`; anything else, or a picture that does not fit a grid, is
/// laid out in layers.
pub fn draw(g: &Graph, relayout: bool, compact: bool) -> Drawing {
    draw_as(g, relayout, compact, false)
}

/// [`draw`], or with `top_down` laid out in layers top to bottom whatever the author's
/// direction or grid (what a pane too narrow for a left-to-right picture shows).
pub fn draw_as(g: &Graph, relayout: bool, compact: bool, top_down: bool) -> Drawing {
    if let Some(s) = &g.sequence {
        return sequence::draw(s, compact);
    }
    if let Some(source) = g.source.as_deref().filter(|_| g.nodes.is_empty()) {
        return Drawing::not_drawn(g, source, compact);
    }
    let grid = (g.syntax == Syntax::Ascii && !relayout && !top_down)
        .then(|| layout::grid(g, compact))
        .flatten();
    let direction = match g.direction.unwrap_or(Direction::TB) {
        Direction::LR | Direction::RL if top_down => Direction::TB,
        d => d,
    };
    let mut layout = grid.unwrap_or_else(|| layout::layered(g, direction, compact));
    let frames = frames::place(g, &mut layout);
    // A canvas is cells in memory: a huge one (hundreds of nodes fanned out) is not drawn.
    if layout.width.saturating_mul(layout.height) > MAX_CANVAS_CELLS {
        let canvas = canvas::Canvas::message(&format!(
            "{} nodes and {} edges are too many to draw here ({}x{} cells); \
             `vaultscope diagram` (or `map`) with `--json` or `--dot` gives the graph",
            g.nodes.len(),
            g.edges.len(),
            layout.width,
            layout.height
        ));
        return Drawing { layout, canvas };
    }
    let canvas = canvas::draw_framed(g, &layout, &frames);
    // (A label beside a line at the right edge may have widened the canvas.)
    layout.width = layout.width.max(canvas.width);
    Drawing { layout, canvas }
}

impl Drawing {
    /// What a graph that is not drawn shows instead: its diagnostics, then its source.
    fn not_drawn(g: &Graph, source: &str, compact: bool) -> Drawing {
        /// Source lines shown.
        const MAX_SOURCE_LINES: usize = 200;
        let said: Vec<&str> = g.diagnostics.iter().map(|d| d.message.as_str()).collect();
        let mut d = Drawing::message(&format!("{}; its source:", said.join("; ")), compact);
        let lines: Vec<&str> = source.lines().collect();
        for l in lines.iter().take(MAX_SOURCE_LINES) {
            let l = crate::sanitize::line(&l.replace('\t', "    ")).into_owned();
            d.canvas.legend.push((' ', 0, l));
        }
        if lines.len() > MAX_SOURCE_LINES {
            let more = format!("… {} more lines", lines.len() - MAX_SOURCE_LINES);
            d.canvas.legend.push((' ', 0, more));
        }
        d
    }

    /// A drawing of nothing but a line of text (what went wrong).
    pub fn message(text: &str, compact: bool) -> Drawing {
        Drawing {
            layout: layout::Layout {
                width: 1,
                height: 1,
                direction: Direction::TB,
                nodes: Vec::new(),
                routes: Vec::new(),
                crossings: 0,
                compact,
                groups: Vec::new(),
            },
            canvas: canvas::Canvas::message(text),
        }
    }
}

/// The drawing that fits `cols` columns best (see [`fit`]), made here and now: what
/// `vaultscope diagram --width` prints; the pane makes the same choice from drawings its
/// workers made.
pub fn draw_fitted(g: &Graph, relayout: bool, cols: usize) -> Drawing {
    let turnable = fit::turnable(g, relayout);
    let made: Vec<(fit::Fit, Drawing)> = fit::candidates(None, turnable)
        .into_iter()
        .map(|f| (f, draw_as(g, relayout, f.compact, f.top_down)))
        .collect();
    let chosen = fit::choose(None, turnable, cols, |f| {
        made.iter()
            .find(|(m, _)| *m == f)
            .map(|(_, d)| d.canvas.width)
    });
    made.into_iter()
        .find(|(m, _)| *m == chosen)
        .map(|(_, d)| d)
        .unwrap_or_else(|| draw(g, relayout, false))
}

/// The largest canvas drawn (cells).
pub const MAX_CANVAS_CELLS: usize = 2_000_000;
