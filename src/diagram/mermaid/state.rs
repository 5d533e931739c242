//! Mermaid state diagrams (`stateDiagram`, `stateDiagram-v2`): states and transitions
//! (`s1 --> s2 : label`), `[*]` as a start and an end dot (two nodes per composite state:
//! `[*]start` / `[*]end` at the top, `Outer/[*]start` inside `Outer`, labelled `●` / `◉`),
//! composite states `state X { … }` as subgraphs (a transition to one ends on it), their
//! concurrent regions (split by `--`) as subgraphs inside them (`Outer/1`, `Outer/2`, titled
//! `Outer (1)` …, each with its own dots `Outer/1/[*]start`), `state "Long name" as s1`,
//! `s1 : description` as the label (a composite's title), `<<fork>>`/`<<join>>`/`<<choice>>`
//! states as nodes, and `direction`. Notes, styles and classes are ignored.

use super::lex::{label, statements};
use super::{direction, flowchart::unique_subgraph_id, settle_ends};
use crate::diagram::clean_label;
use crate::diagram::graph::{Diagnostic, Direction, Edge, Graph, Subgraph, Syntax};

/// The label of a start dot.
pub const START: &str = "●";
/// The label of an end dot.
pub const END: &str = "◉";

/// A composite state opened and not closed yet: its subgraph, and the region being read
/// once a `--` has split it.
#[derive(Debug, Clone, Copy)]
struct Open {
    composite: usize,
    region: Option<usize>,
}

struct Parser {
    g: Graph,
    stack: Vec<Open>,
    /// The regions of each composite state that has some (subgraph indices).
    regions: Vec<(usize, Vec<usize>)>,
    /// The line of the statement being read.
    line: usize,
}

/// Parses a state diagram.
pub fn parse(text: &str) -> Graph {
    let mut p = Parser {
        g: Graph::new(Syntax::State),
        stack: Vec::new(),
        regions: Vec::new(),
        line: 0,
    };
    p.g.direction = Some(Direction::TB);
    let mut seen_header = false;
    let mut in_note = false;
    for (line, stmt) in statements(text) {
        if !seen_header {
            if stmt.starts_with("%%{") {
                continue;
            }
            seen_header = true;
            if matches!(
                stmt.split_whitespace().next(),
                Some("stateDiagram" | "stateDiagram-v2")
            ) {
                continue;
            }
        }
        if in_note {
            in_note = !stmt.eq_ignore_ascii_case("end note");
            continue;
        }
        p.line = line;
        if let Err(message) = p.statement(&stmt, &mut in_note) {
            p.g.diagnostics.push(Diagnostic { line, message });
        }
    }
    p.title_regions();
    settle_ends(&mut p.g);
    p.g
}

/// A state id as written: `:::class` dropped.
fn state_id(raw: &str) -> &str {
    let t = raw.trim();
    t.split(":::").next().unwrap_or(t).trim()
}

/// The transition part and the label of `a --> b : label` (a `:::` is not the colon).
fn split_label(stmt: &str) -> (&str, Option<&str>) {
    let b = stmt.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b':' {
            if b[i..].starts_with(b":::") {
                i += 3;
                continue;
            }
            return (&stmt[..i], Some(stmt[i + 1..].trim()));
        }
        i += 1;
    }
    (stmt, None)
}

/// `"Long name" as id` or `id as "Long name"`: (id, label).
fn named(head: &str) -> (String, Option<String>) {
    let head = head.trim();
    // A quoted name may hold ` as ` itself.
    if let Some(quoted) = head.strip_prefix('"')
        && let Some(close) = quoted.find('"')
        && let Some(id) = quoted[close + 1..].trim_start().strip_prefix("as ")
    {
        return (state_id(id).to_owned(), Some(label(&quoted[..close])));
    }
    if let Some((a, b)) = head.split_once(" as ") {
        let (a, b) = (a.trim(), b.trim());
        return if a.starts_with('"') {
            (state_id(b).to_owned(), Some(label(a)))
        } else {
            (state_id(a).to_owned(), Some(label(b)))
        };
    }
    // `X <<fork>>`: the stereotype is not part of the id.
    let id = head.split("<<").next().unwrap_or(head);
    (state_id(id).to_owned(), None)
}

impl Parser {
    fn scope(&self) -> Option<usize> {
        self.stack.last().map(|o| o.region.unwrap_or(o.composite))
    }

    /// `--` in a composite state: what came before is its first region (its states, nested
    /// composites and dots move there), what follows the next.
    fn region(&mut self) -> Result<(), String> {
        let Some(open) = self.stack.last().copied() else {
            return Err("`--` (a concurrent region) outside a composite state".to_owned());
        };
        let c = open.composite;
        if open.region.is_none() {
            let first = self.new_region(c);
            let nodes = std::mem::take(&mut self.g.subgraphs[c].nodes);
            let mut subs = std::mem::take(&mut self.g.subgraphs[c].subgraphs);
            let first_id = self.g.subgraphs[first].id.clone();
            subs.retain(|s| *s != first_id);
            self.g.subgraphs[c].subgraphs.push(first_id.clone());
            self.g.subgraphs[first].nodes = nodes;
            self.g.subgraphs[first].subgraphs = subs;
            let cid = self.g.subgraphs[c].id.clone();
            for end in ["start", "end"] {
                self.rename(&format!("{cid}/[*]{end}"), &format!("{first_id}/[*]{end}"));
            }
        }
        let next = self.new_region(c);
        if let Some(top) = self.stack.last_mut() {
            top.region = Some(next);
        }
        Ok(())
    }

    /// A new region of composite `c`, listed in it; its title is set at the end.
    fn new_region(&mut self, c: usize) -> usize {
        let k = match self.regions.iter().position(|(x, _)| *x == c) {
            Some(r) => r,
            None => {
                self.regions.push((c, Vec::new()));
                self.regions.len() - 1
            }
        };
        let cid = self.g.subgraphs[c].id.clone();
        let mut n = self.regions[k].1.len() + 1;
        let id = loop {
            let id = format!("{cid}/{n}");
            if self.g.subgraph(&id).is_none() && self.g.node(&id).is_none() {
                break id;
            }
            n += 1;
        };
        self.g.subgraphs[c].subgraphs.push(id.clone());
        self.g.subgraphs.push(Subgraph {
            id,
            title: String::new(),
            nodes: Vec::new(),
            subgraphs: Vec::new(),
            direction: None,
        });
        let r = self.g.subgraphs.len() - 1;
        self.regions[k].1.push(r);
        r
    }

    /// Node `from` is `to` from now on (in the groups and edges too).
    fn rename(&mut self, from: &str, to: &str) {
        let Some(i) = self.g.node(from) else {
            return;
        };
        self.g.nodes[i].id = to.to_owned();
        for s in &mut self.g.subgraphs {
            for n in s.nodes.iter_mut().filter(|n| *n == from) {
                *n = to.to_owned();
            }
        }
        for e in &mut self.g.edges {
            if e.from == from {
                e.from = to.to_owned();
            }
            if e.to == from {
                e.to = to.to_owned();
            }
        }
    }

    /// Each region titled after its composite state (`Outer (1)`), now that its title is
    /// known.
    fn title_regions(&mut self) {
        for (c, rs) in &self.regions {
            let title = self.g.subgraphs[*c].title.clone();
            for (k, &r) in rs.iter().enumerate() {
                self.g.subgraphs[r].title = format!("{title} ({})", k + 1);
            }
        }
    }

    /// The id of the start or end dot of the current composite state.
    fn dot(&mut self, start: bool) -> String {
        let prefix = self
            .scope()
            .map(|s| format!("{}/", self.g.subgraphs[s].id))
            .unwrap_or_default();
        let id = format!("{prefix}[*]{}", if start { "start" } else { "end" });
        self.add(&id, Some(if start { START } else { END }));
        id
    }

    /// Adds a state to the current composite (a composite state's id is left to its subgraph).
    fn add(&mut self, id: &str, text: Option<&str>) {
        if let Some(s) = self.g.subgraph(id) {
            // `Outer : description` names the composite state.
            if let Some(t) = text {
                self.g.subgraphs[s].title = t.to_owned();
            }
            return;
        }
        let new = self.g.node(id).is_none();
        // A state named by its id alone shows the id, cleaned like any label.
        let shown = match text {
            Some(t) => Some(t.to_owned()),
            None if new => Some(clean_label(id, false)),
            None => None,
        };
        if self.g.add_node(id, shown.as_deref()).is_some()
            && new
            && let Some(s) = self.scope()
        {
            self.g.subgraphs[s].nodes.push(id.to_owned());
        }
    }

    fn statement(&mut self, stmt: &str, in_note: &mut bool) -> Result<(), String> {
        let first = stmt.split_whitespace().next().unwrap_or("");
        match first {
            "}" if stmt == "}" => {
                if self.stack.pop().is_none() {
                    return Err("`}` without a composite state".to_owned());
                }
                return Ok(());
            }
            "--" if stmt == "--" => return self.region(),
            "direction" => {
                let dir = stmt.split_whitespace().nth(1).and_then(direction);
                match self.scope() {
                    Some(s) => self.g.subgraphs[s].direction = dir,
                    None => self.g.direction = dir.or(self.g.direction),
                }
                return Ok(());
            }
            "note" => {
                // One line (`note right of A : text`) or a block up to `end note`; not drawn,
                // and said so, so that a reader knows the picture leaves it out.
                *in_note = !stmt.contains(':');
                let on = stmt.split(':').next().unwrap_or(stmt).trim();
                return Err(format!(
                    "`{on}` is not drawn (notes are left out of state diagrams)"
                ));
            }
            "classDef" | "class" | "style" | "click" | "scale" | "hide" | "accTitle:"
            | "accDescr:" | "accDescr" => return Ok(()),
            "state" => return self.state(stmt["state".len()..].trim()),
            _ => {}
        }
        let (body, text) = split_label(stmt);
        if !body.contains("-->") {
            let id = state_id(body);
            if id.is_empty() || id.contains(char::is_whitespace) {
                return Err(format!("not a state or a transition: {stmt:?}"));
            }
            let text = text.filter(|t| !t.is_empty()).map(label);
            self.add(id, text.as_deref());
            return Ok(());
        }
        let parts: Vec<&str> = body.split("-->").map(state_id).collect();
        if let Some(bad) = parts
            .iter()
            .find(|p| p.is_empty() || p.contains(char::is_whitespace))
        {
            return Err(format!("expected a state, found {bad:?}"));
        }
        let text = text.map(label).filter(|t| !t.is_empty());
        for pair in parts.windows(2) {
            let from = match pair[0] {
                "[*]" => self.dot(true),
                id => {
                    self.add(id, None);
                    id.to_owned()
                }
            };
            let to = match pair[1] {
                "[*]" => self.dot(false),
                id => {
                    self.add(id, None);
                    id.to_owned()
                }
            };
            self.g.push_edge(Edge::new(&from, &to, text.clone()));
        }
        Ok(())
    }

    /// `state X {`, `state "Long" as X {`, `state "Long" as X`, `state X <<choice>>`.
    fn state(&mut self, rest: &str) -> Result<(), String> {
        let (head, opens) = match rest.strip_suffix('{') {
            Some(h) => (h, true),
            None => (rest, false),
        };
        let (id, text) = named(head);
        if id.is_empty() {
            return Err("`state` without a name".to_owned());
        }
        if !opens {
            self.add(&id, text.as_deref());
            return Ok(());
        }
        // A name given before it opened (`state "Long" as X`, `X : Long`) is its title.
        let text = text.or_else(|| {
            self.g
                .node(&id)
                .map(|i| self.g.nodes[i].label.clone())
                .filter(|l| *l != id)
        });
        let id = unique_subgraph_id(&mut self.g, id, self.line);
        if let Some(p) = self.scope() {
            self.g.subgraphs[p].subgraphs.push(id.clone());
        }
        self.g.subgraphs.push(Subgraph {
            title: text.unwrap_or_else(|| id.clone()),
            id,
            nodes: Vec::new(),
            subgraphs: Vec::new(),
            direction: None,
        });
        self.stack.push(Open {
            composite: self.g.subgraphs.len() - 1,
            region: None,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_hold_what_came_before_and_after_each_separator() {
        let g = parse(
            "stateDiagram-v2\nstate 외부 {\n  state 내부 {\n    a --> b\n  }\n  --\n  c --> d\n}\n--\n",
        );
        let subs: Vec<(&str, &str, Vec<&str>, Vec<&str>)> = g
            .subgraphs
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.title.as_str(),
                    s.nodes.iter().map(String::as_str).collect(),
                    s.subgraphs.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            subs,
            [
                ("외부", "외부", vec![], vec!["외부/1", "외부/2"]),
                ("내부", "내부", vec!["a", "b"], vec![]),
                ("외부/1", "외부 (1)", vec![], vec!["내부"]),
                ("외부/2", "외부 (2)", vec!["c", "d"], vec![]),
            ]
        );
        assert_eq!(g.groups()[1].parent, Some(2));
        // A `--` outside any composite state is told, and makes nothing.
        assert_eq!(g.diagnostics.len(), 1, "{:?}", g.diagnostics);
        assert_eq!(g.nodes.len(), 4);
        // No regions, no region groups: a composite as before.
        let g = parse("stateDiagram-v2\nstate X {\n  [*] --> a\n}\nX : 설명\n");
        assert_eq!(g.subgraphs.len(), 1);
        assert_eq!(g.subgraphs[0].title, "설명");
        assert_eq!(g.subgraphs[0].nodes, ["X/[*]start", "a"]);
    }

    #[test]
    fn a_state_named_by_a_control_character_gets_a_clean_label() {
        // Found by the `state` fuzz target: the id was its own label, NUL and all.
        let g = parse("sta\0stateDiagram-v2\n  a\u{1b}[31m --> b");
        assert!(!g.nodes.is_empty());
        for n in &g.nodes {
            assert!(!n.label.chars().any(char::is_control), "{:?}", n.label);
        }
    }
}
