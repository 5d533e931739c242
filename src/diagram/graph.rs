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
    /// A Mermaid `stateDiagram` / `stateDiagram-v2`.
    State,
    /// A `d2` block.
    D2,
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
    /// A round shape (Mermaid's `(round)`, `([stadium])`, `((circle))`, v11 `rounded`…):
    /// drawn with rounded corners.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub rounded: bool,
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
    /// `--o`: a circle at `to`.
    Circle,
    /// `--x`: a cross at `to`.
    Cross,
    /// `o--o`: circles at both ends.
    CircleBoth,
    /// `x--x`: crosses at both ends.
    CrossBoth,
    /// An open diamond at `to` (d2's `shape: diamond`), `◇`.
    Diamond,
    /// A filled diamond at `to` (d2's `shape: diamond; style.filled: true`), `◆`.
    FilledDiamond,
    /// A crow's foot "one" at `to` (d2's `cf-one`, `cf-one-required`), a bar across the line.
    One,
    /// A crow's foot "many" at `to` (d2's `cf-many`, `cf-many-required`), a fork opening
    /// into the node.
    Many,
}

impl Head {
    /// The same kind of head at both ends: `Arrow` gives `Both`, `Circle` `CircleBoth`,
    /// `Cross` `CrossBoth`.
    pub fn at_both_ends(self) -> Head {
        match self {
            Head::Arrow | Head::Both => Head::Both,
            Head::Circle | Head::CircleBoth => Head::CircleBoth,
            Head::Cross | Head::CrossBoth => Head::CrossBoth,
            Head::None => Head::None,
            // No variant holds these at both ends: an edge keeps its tail's in `tail`.
            h @ (Head::Diamond | Head::FilledDiamond | Head::One | Head::Many) => h,
        }
    }

    /// Whether the edge has a head at its tail too.
    pub fn is_two_ended(self) -> bool {
        matches!(self, Head::Both | Head::CircleBoth | Head::CrossBoth)
    }
}

/// An edge between two nodes, or between a node and a group.
///
/// `from` and `to` are node ids, except that a Mermaid, state or d2 edge may end on a
/// subgraph: an end whose id is a subgraph's id (and no node's; a parser never gives a node
/// and a subgraph the same id) ends on the subgraph itself, drawn on its frame
/// ([`Graph::end_is_subgraph`] tells them apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Node or subgraph ids.
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    pub style: EdgeStyle,
    pub head: Head,
    /// The end at `from` when it has a mark of its own that `head` cannot say (d2's
    /// `source-arrowhead` of another shape than the target's, or a diamond or crow's foot
    /// at both ends): `head` is then the end at `to` only. A one-ended kind (`arrow`,
    /// `circle`, `cross`, `diamond`, `filled-diamond`, `one`, `many`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tail: Option<Head>,
}

impl Edge {
    /// Whether the edge has a mark at its `from` end too.
    pub fn two_ended(&self) -> bool {
        self.tail.is_some() || self.head.is_two_ended()
    }

    /// The mark at the `from` end, if any: `tail`, else what a two-ended `head` puts there.
    pub fn tail_mark(&self) -> Option<Head> {
        self.tail.or(match self.head {
            Head::Both => Some(Head::Arrow),
            Head::CircleBoth => Some(Head::Circle),
            Head::CrossBoth => Some(Head::Cross),
            _ => None,
        })
    }

    /// A solid edge with an arrow head at `to`.
    pub fn new(from: &str, to: &str, label: Option<String>) -> Edge {
        Edge {
            from: from.to_owned(),
            to: to.to_owned(),
            label,
            style: EdgeStyle::Solid,
            head: Head::Arrow,
            tail: None,
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
    /// The block's text when there is nothing to draw (a Mermaid type that is not drawn), so
    /// the drawing can say so and show the source instead.
    #[serde(skip)]
    pub source: Option<String>,
    /// A sequence diagram's participants, messages, frames and notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence: Option<super::sequence::Sequence>,
}

/// A subgraph as `--json` lists it: its title, the nodes directly inside, and the index of
/// the group it sits in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub id: String,
    pub label: String,
    /// Node ids directly inside (those of nested groups are theirs).
    pub members: Vec<String>,
    /// Index in the list of the group this one is nested in.
    pub parent: Option<usize>,
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
            source: None,
            sequence: None,
        }
    }

    /// The index of subgraph `id`.
    /// Each node's index by its id (the first of a repeated id), for many lookups at once.
    pub fn node_index(&self) -> std::collections::HashMap<&str, usize> {
        first_index(self.nodes.iter().map(|n| n.id.as_str()))
    }

    /// Each subgraph's index by its id (the first of a repeated id).
    pub fn subgraph_index(&self) -> std::collections::HashMap<&str, usize> {
        first_index(self.subgraphs.iter().map(|s| s.id.as_str()))
    }

    pub fn subgraph(&self, id: &str) -> Option<usize> {
        self.subgraphs.iter().position(|s| s.id == id)
    }

    /// Whether an edge end names a subgraph rather than a node.
    pub fn end_is_subgraph(&self, id: &str) -> bool {
        self.node(id).is_none() && self.subgraph(id).is_some()
    }

    /// The subgraphs as groups, in the same order: each with the index of its parent (the
    /// first subgraph that lists it).
    pub fn groups(&self) -> Vec<Group> {
        self.subgraphs
            .iter()
            .map(|s| Group {
                id: s.id.clone(),
                label: s.title.clone(),
                members: s.nodes.clone(),
                parent: self
                    .subgraphs
                    .iter()
                    .position(|p| p.id != s.id && p.subgraphs.contains(&s.id)),
            })
            .collect()
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
            rounded: false,
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

/// Where each id first occurs.
fn first_index<'a>(
    ids: impl Iterator<Item = &'a str>,
) -> std::collections::HashMap<&'a str, usize> {
    let mut out = std::collections::HashMap::new();
    for (i, id) in ids.enumerate() {
        out.entry(id).or_insert(i);
    }
    out
}
