//! Mermaid diagrams. Flowcharts (`graph`/`flowchart` with a direction; the classic node shapes
//! and v11 `id@{ shape, label }`; links `-->`, `---`, `-.->`, `==>`, `--o`, `--x`, `<-->`,
//! `~~~` and longer forms, each keeping its stroke and heads; labels as `|text|`, `-- text -->`
//! and `--text-->`; chains and `&`; `subgraph … end` with titles and `direction`; edges ending
//! on a subgraph; `;` separators; `%%` comments; style, class and edge-data lines ignored) in
//! `flowchart`, state diagrams in `state`. Any other type (`classDiagram`, `gantt`, `pie` …)
//! gives no nodes, a diagnostic saying it is not drawn, and its source to show instead.
//! Recovery is per statement: one bad statement loses only itself (and says so in a
//! diagnostic).

mod edges;
mod flowchart;
mod lex;
pub mod state;

pub use flowchart::parse as parse_flowchart;

use std::collections::HashSet;

use super::graph::{Diagnostic, Direction, Graph, Syntax};

/// The Mermaid types read as graphs, by their header's first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Flowchart,
    State,
}

/// The headers of the Mermaid types that are not drawn (matched on the first word).
const NOT_DRAWN: &[&str] = &[
    "sequenceDiagram",
    "classDiagram",
    "classDiagram-v2",
    "erDiagram",
    "gantt",
    "pie",
    "journey",
    "gitGraph",
    "mindmap",
    "timeline",
    "quadrantChart",
    "requirementDiagram",
    "C4Context",
    "C4Container",
    "C4Component",
    "C4Dynamic",
    "C4Deployment",
    "sankey",
    "sankey-beta",
    "xychart",
    "xychart-beta",
    "block",
    "block-beta",
    "packet",
    "packet-beta",
    "kanban",
    "architecture",
    "architecture-beta",
    "radar-beta",
    "treemap-beta",
    "zenuml",
    "info",
];

/// The first significant line of a block: past front matter, blank lines, comments and
/// `%%{ … }%%` directives.
fn header_line(text: &str) -> Option<&str> {
    let mut front_matter = false;
    for (n, l) in text.lines().take(super::MAX_LINES).enumerate() {
        let t = l.trim();
        if n == 0 && t == "---" {
            front_matter = true;
            continue;
        }
        if front_matter {
            front_matter = t != "---";
            continue;
        }
        if t.is_empty() || t.starts_with("%%") {
            continue;
        }
        return Some(t);
    }
    None
}

fn first_word(line: &str) -> &str {
    line.split(|c: char| c.is_whitespace() || c == ';')
        .next()
        .unwrap_or("")
}

fn kind(text: &str) -> Option<Kind> {
    match first_word(header_line(text)?) {
        "graph" | "flowchart" | "flowchart-elk" => Some(Kind::Flowchart),
        "stateDiagram" | "stateDiagram-v2" => Some(Kind::State),
        _ => None,
    }
}

/// Whether a block's first significant line is a flowchart or state diagram header (what an
/// untagged fence is read as Mermaid for).
pub fn is_mermaid(text: &str) -> bool {
    kind(text).is_some()
}

/// `Some(direction)` for a header line (`graph LR`, `flowchart`, `graph TD;`).
fn header_direction(line: &str) -> Option<Option<Direction>> {
    let mut words = line.split(|c: char| c.is_whitespace() || c == ';');
    let kw = words.next()?;
    if !matches!(kw, "graph" | "flowchart" | "flowchart-elk") {
        return None;
    }
    Some(words.find(|w| !w.is_empty()).and_then(direction))
}

fn direction(word: &str) -> Option<Direction> {
    match word {
        "TB" | "TD" | "v" => Some(Direction::TB),
        "BT" | "^" => Some(Direction::BT),
        "LR" | ">" => Some(Direction::LR),
        "RL" | "<" => Some(Direction::RL),
        _ => None,
    }
}

/// Parses a Mermaid block: a flowchart or a state diagram as a graph; a type that is not
/// drawn as no nodes and a diagnostic, keeping the source; anything else as a flowchart
/// (which says the header is missing).
pub fn parse(text: &str) -> Graph {
    if let Some(kind) = kind(text) {
        return match kind {
            Kind::Flowchart => flowchart::parse(text),
            Kind::State => state::parse(text),
        };
    }
    if let Some(line) = header_line(text) {
        let word = first_word(line);
        if let Some(name) = NOT_DRAWN.iter().find(|t| t.eq_ignore_ascii_case(word)) {
            let mut g = Graph::new(Syntax::Mermaid);
            let at = text.lines().position(|l| l.trim() == line).unwrap_or(0);
            g.diagnostics.push(Diagnostic {
                line: at,
                message: format!("{name} diagrams are not drawn"),
            });
            g.source = Some(text.to_owned());
            return g;
        }
    }
    flowchart::parse(text)
}

/// Edge ends settled: an id that is a subgraph's is the subgraph (a node of that name made
/// before the subgraph was declared goes), and an edge whose end is neither a node nor a
/// subgraph (a node over the limit) is dropped.
fn settle_ends(g: &mut Graph) {
    let clusters: HashSet<String> = g.subgraphs.iter().map(|s| s.id.clone()).collect();
    if g.nodes.iter().any(|n| clusters.contains(&n.id)) {
        g.nodes.retain(|n| !clusters.contains(&n.id));
        for s in &mut g.subgraphs {
            s.nodes.retain(|n| !clusters.contains(n));
        }
    }
    let nodes: HashSet<String> = g.nodes.iter().map(|n| n.id.clone()).collect();
    let known = |id: &String| nodes.contains(id) || clusters.contains(id);
    g.edges.retain(|e| known(&e.from) && known(&e.to));
}

#[cfg(test)]
mod tests;
