//! The architecture map: the diagrams of many notes merged into one graph, a component named
//! alike in several of them (case, `-` and spaces aside) being one node, each node knowing the
//! notes whose diagrams draw it. The command line prints it (`vaultscope map`) and the
//! explorer shows it (`M`); both build it here.

use std::collections::HashMap;

use super::graph::{Direction, Graph, Syntax};
use super::name_key;
use crate::vault::{NoteId, Vault};

/// The merged graph of a set of notes' diagrams.
#[derive(Debug, Clone)]
pub struct ArchMap {
    pub graph: Graph,
    /// Per node of `graph`, the notes whose diagrams draw it (in the order given).
    pub notes: Vec<Vec<NoteId>>,
    /// How many notes had a diagram.
    pub sources: usize,
}

impl ArchMap {
    /// A map of nothing.
    pub fn empty() -> ArchMap {
        ArchMap {
            graph: Graph::new(Syntax::Mermaid),
            notes: Vec::new(),
            sources: 0,
        }
    }

    /// The map of `notes` of `vault`: reads each note's body (I/O: off the event loop in the
    /// explorer) and merges its diagrams. Notes that cannot be read are left out and returned
    /// with the reason.
    pub fn build(vault: &Vault, notes: &[NoteId]) -> (ArchMap, Vec<(NoteId, std::io::Error)>) {
        let mut diagrams = Vec::new();
        let mut unreadable = Vec::new();
        for &id in notes {
            match vault.read_body(id) {
                Ok(body) => {
                    for g in super::diagrams(&body, vault.notes[id].body_line) {
                        diagrams.push((id, g));
                    }
                }
                Err(e) => unreadable.push((id, e)),
            }
        }
        let sources = {
            let mut ids: Vec<NoteId> = diagrams.iter().map(|d| d.0).collect();
            ids.dedup();
            ids.len()
        };
        let (graph, notes) = merge(&diagrams);
        (
            ArchMap {
                graph,
                notes,
                sources,
            },
            unreadable,
        )
    }
}

/// The architecture map: the diagrams of many notes merged, a component named alike in several
/// of them (case, `-` and spaces aside) being one node. Returns the merged graph and, per node,
/// the notes whose diagrams mention it.
pub fn merge(diagrams: &[(NoteId, Graph)]) -> (Graph, Vec<Vec<NoteId>>) {
    let mut g = Graph::new(Syntax::Mermaid);
    g.direction = Some(Direction::LR);
    let mut notes: Vec<Vec<NoteId>> = Vec::new();
    let mut keys: HashMap<String, String> = HashMap::new();
    for (note, d) in diagrams {
        let mut id_of: HashMap<&str, String> = HashMap::new();
        for n in &d.nodes {
            let key = name_key(&n.label);
            if key.is_empty() {
                continue;
            }
            let id = keys
                .entry(key.clone())
                .or_insert_with(|| key.clone())
                .clone();
            let Some(i) = g.add_node(&id, None) else {
                continue;
            };
            if g.nodes[i].label == id {
                g.nodes[i].label = n.label.replace('\n', " ");
            }
            if notes.len() <= i {
                notes.resize(i + 1, Vec::new());
            }
            if !notes[i].contains(note) {
                notes[i].push(*note);
            }
            id_of.insert(n.id.as_str(), id);
        }
        for e in &d.edges {
            if let (Some(a), Some(b)) = (id_of.get(e.from.as_str()), id_of.get(e.to.as_str()))
                && a != b
            {
                g.add_edge(a, b, None);
            }
        }
    }
    notes.resize(g.nodes.len(), Vec::new());
    (g, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_named_alike_are_one_node_knowing_its_notes() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &str| std::fs::write(dir.path().join(name), body).unwrap();
        write("a.md", "```\n[VPC Endpoint] -> [S3]\n```\n");
        write(
            "b.md",
            "```mermaid\ngraph LR\nx[vpc-endpoint] --> y[보안 그룹]\n```\n",
        );
        write("c.md", "no diagram here\n");
        let vault = Vault::load(dir.path()).unwrap();
        let all: Vec<NoteId> = (0..vault.notes.len()).collect();
        let (map, unreadable) = ArchMap::build(&vault, &all);
        assert!(unreadable.is_empty());
        assert_eq!(map.sources, 2);
        let labels: Vec<&str> = map.graph.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["VPC Endpoint", "S3", "보안 그룹"]);
        assert_eq!(map.notes, [vec![0, 1], vec![0], vec![1]]);
        assert_eq!(map.graph.edges.len(), 2);
        // Only the notes asked for.
        let (just_a, _) = ArchMap::build(&vault, &[0]);
        assert_eq!(just_a.graph.nodes.len(), 2);
    }
}
