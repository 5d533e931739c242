//! The graph a diagram block becomes.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Syntax {
    /// A 2-D picture: `[Label]` nodes or drawn boxes joined by arrows.
    Ascii,
    /// `A -> B -> C` lines.
    TextChain,
    Mermaid,
    /// A Mermaid `sequenceDiagram` (the graph's `sequence` holds it).
    Sequence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    TB,
    BT,
    LR,
    RL,
}

/// Where a node sits in the block: 0-based line inside the block and display column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// The label for ASCII and chains; the Mermaid id.
    pub id: String,
    pub label: String,
    /// ASCII only: the first place it is drawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pos: Option<Pos>,
}

/// How an edge's line is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeStyle {
    /// `-->`, `──▶`.
    #[default]
    Solid,
    /// `==>`, `═══▶`.
    Thick,
    /// `-.->`, `┄┄▶`.
    Dotted,
}

/// What an edge's ends look like: the direction it pictures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Head {
    /// An arrow head at `to` (`-->`, `──▶`).
    #[default]
    Arrow,
    /// No head at either end: an undirected link (`---`, `──`).
    None,
    /// Heads at both ends (`<-->`), kept as one edge.
    Both,
    /// `--o` / `o--o`: circles.
    Circle,
    /// `--x` / `x--x`: crosses.
    Cross,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Node ids.
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    pub style: EdgeStyle,
    pub head: Head,
}

impl Edge {
    /// A solid edge with an arrow head at `to`.
    pub fn new(from: &str, to: &str, label: Option<String>) -> Edge {
        Edge {
            from: from.to_owned(),
            to: to.to_owned(),
            label,
            style: EdgeStyle::Solid,
            head: Head::Arrow,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subgraph {
    pub id: String,
    pub title: String,
    /// Node ids directly inside.
    pub nodes: Vec<String>,
    /// Ids of subgraphs directly inside.
    pub subgraphs: Vec<String>,
    pub direction: Option<Direction>,
}

/// Something a parser skipped, with its place in the block (0-based line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Graph {
    pub syntax: Syntax,
    pub direction: Option<Direction>,
    /// The file line of the block's opening fence.
    pub line: usize,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub subgraphs: Vec<Subgraph>,
    pub diagnostics: Vec<Diagnostic>,
    /// A sequence diagram's participants, messages, frames and notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence: Option<super::sequence::Sequence>,
}

impl Graph {
    pub fn new(syntax: Syntax) -> Graph {
        Graph {
            syntax,
            direction: None,
            line: 0,
            nodes: Vec::new(),
            edges: Vec::new(),
            subgraphs: Vec::new(),
            diagnostics: Vec::new(),
            sequence: None,
        }
    }

    /// The index of node `id`.
    pub fn node(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// Adds node `id` unless it exists; returns its index. A later label replaces an earlier
    /// one (Mermaid's rule) when `label` is given.
    pub fn add_node(&mut self, id: &str, label: Option<&str>) -> Option<usize> {
        if let Some(i) = self.node(id) {
            if let Some(l) = label {
                self.nodes[i].label = l.to_owned();
            }
            return Some(i);
        }
        if self.nodes.len() >= super::MAX_NODES {
            return None;
        }
        self.nodes.push(Node {
            id: id.to_owned(),
            label: label.unwrap_or(id).to_owned(),
            pos: None,
        });
        Some(self.nodes.len() - 1)
    }

    /// The edges as (from, to) ids, in order.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone()))
            .collect()
    }

    /// Adds an edge unless the same one (same ends and label) is there.
    pub fn add_edge(&mut self, from: &str, to: &str, label: Option<String>) {
        self.push_edge(Edge::new(from, to, label));
    }

    /// Adds `e` (its empty label dropped) unless the same edge is there.
    pub fn push_edge(&mut self, mut e: Edge) {
        e.label = e.label.filter(|l| !l.is_empty());
        if !self.edges.contains(&e) {
            self.edges.push(e);
        }
    }
}
