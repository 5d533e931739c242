//! Mermaid state diagrams (`stateDiagram`, `stateDiagram-v2`): states and transitions
//! (`s1 --> s2 : label`), `[*]` as a start and an end dot (two nodes per composite state:
//! `[*]start` / `[*]end` at the top, `Outer/[*]start` inside `Outer`, labelled `●` / `◉`),
//! composite states `state X { … }` as subgraphs (a transition to one ends on it),
//! `state "Long name" as s1`, `s1 : description` as the label, `<<fork>>`/`<<join>>`/
//! `<<choice>>` states as nodes, and `direction`. Notes, styles and classes are ignored.

use super::lex::{label, statements};
use super::{direction, flowchart::unique_subgraph_id, settle_ends};
use crate::diagram::clean_label;
use crate::diagram::graph::{Diagnostic, Direction, Edge, Graph, Subgraph, Syntax};

/// The label of a start dot.
pub const START: &str = "●";
/// The label of an end dot.
pub const END: &str = "◉";

/// Composite states opened and not closed yet (subgraph indices).
struct Parser {
    g: Graph,
    stack: Vec<usize>,
    /// The line of the statement being read.
    line: usize,
}

/// Parses a state diagram.
pub fn parse(text: &str) -> Graph {
    let mut p = Parser {
        g: Graph::new(Syntax::State),
        stack: Vec::new(),
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
        self.stack.last().copied()
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
        if self.g.subgraph(id).is_some() {
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
            "direction" => {
                let dir = stmt.split_whitespace().nth(1).and_then(direction);
                match self.scope() {
                    Some(s) => self.g.subgraphs[s].direction = dir,
                    None => self.g.direction = dir.or(self.g.direction),
                }
                return Ok(());
            }
            "note" => {
                // One line (`note right of A : text`) or a block up to `end note`.
                *in_note = !stmt.contains(':');
                return Ok(());
            }
            "--" | "classDef" | "class" | "style" | "click" | "scale" | "hide" | "accTitle:"
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
        self.stack.push(self.g.subgraphs.len() - 1);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
