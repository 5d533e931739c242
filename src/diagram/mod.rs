//! Architecture flow diagrams: the diagram blocks of a note parsed into graphs (three syntaxes:
//! 2-D arrow pictures, text chains, Mermaid flowcharts), with no terminal code. Layout and
//! drawing come after; see `../shared/DIAGRAMS.md` for the design these follow.
//!
//! The conventions every parser keeps: labels are NFC, trimmed, whitespace runs collapsed;
//! ASCII and chain nodes are identified by their label (the same label twice is one node),
//! Mermaid nodes by id; an edge runs from tail to arrowhead, a two-headed arrow is two edges;
//! columns are display columns (Hangul and emoji 2, arrows and box drawing 1). Every loop is
//! bounded and a malformed block gives a partial graph, never a panic.

pub mod ascii;
pub mod canvas;
pub mod chain;
pub mod graph;
pub mod layout;
pub mod map;
pub mod mermaid;
pub mod sequence;

pub use graph::{Diagnostic, Direction, Edge, EdgeStyle, Graph, Head, Node, Pos, Subgraph, Syntax};

use crate::vault::body::{FencedBlock, is_diagram_info};

/// Blocks larger than this are cut before parsing (a diagram is a picture, not a data set).
pub const MAX_BLOCK_BYTES: usize = 1024 * 1024;
/// Lines and columns of a block considered.
pub const MAX_LINES: usize = 2_000;
pub const MAX_COLUMNS: usize = 400;
/// Nodes kept per diagram.
pub const MAX_NODES: usize = 1_000;

/// Parses one fenced block into a graph, or `None` when it is not a diagram (code, prose).
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
    } else if lang == "mermaid" || mermaid::is_mermaid(text) {
        mermaid::parse(text)
    } else if let Some(g) = ascii::parse(text) {
        g
    } else {
        chain::parse(text)?
    };
    graph.line = block.line;
    (!graph.nodes.is_empty()).then_some(graph)
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
    if let Some(s) = &g.sequence {
        return sequence::draw(s, compact);
    }
    let grid = (g.syntax == Syntax::Ascii && !relayout)
        .then(|| layout::grid(g, compact))
        .flatten();
    let layout =
        grid.unwrap_or_else(|| layout::layered(g, g.direction.unwrap_or(Direction::TB), compact));
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
    let canvas = canvas::draw(g, &layout);
    Drawing { layout, canvas }
}

impl Drawing {
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
            },
            canvas: canvas::Canvas::message(text),
        }
    }
}

/// The largest canvas drawn (cells).
pub const MAX_CANVAS_CELLS: usize = 2_000_000;
