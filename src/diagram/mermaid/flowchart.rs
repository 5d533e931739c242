//! Mermaid flowcharts: the statement loop (subgraphs, `direction`, ignored lines, v11 edge
//! data) and chain statements (`A & B --> C -->|t| D`).

use super::lex::{Lexer, NodeText, data_pairs, label, statements};
use super::{direction, header_direction, settle_ends};
use crate::diagram::graph::{Diagnostic, Direction, Edge, Graph, Subgraph, Syntax};

/// Parses a Mermaid flowchart.
pub fn parse(text: &str) -> Graph {
    let mut g = Graph::new(Syntax::Mermaid);
    g.direction = Some(Direction::TB);
    let mut stack: Vec<usize> = Vec::new();
    let mut seen_header = false;
    let mut edge_ids: Vec<String> = Vec::new();
    // Per subgraph: the nodes its statements mention, claimed when it closes (see `claim`).
    let mut mentioned: Vec<Vec<String>> = Vec::new();
    let mut claimed: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (line, stmt) in statements(text) {
        if !seen_header {
            if let Some(dir) = header_direction(&stmt) {
                seen_header = true;
                g.direction = Some(dir.unwrap_or(Direction::TB));
                continue;
            }
            if stmt.starts_with("%%{") {
                continue;
            }
            seen_header = true;
            g.diagnostics.push(Diagnostic {
                line,
                message: "no `graph` or `flowchart` header; read as top to bottom".to_owned(),
            });
        }
        let first = stmt.split_whitespace().next().unwrap_or("");
        match first {
            "subgraph" => {
                let rest = stmt["subgraph".len()..].trim();
                let (id, title) = match rest.find('[') {
                    Some(i) if rest.ends_with(']') => (
                        rest[..i].trim().to_owned(),
                        label(&rest[i + 1..rest.len() - 1]),
                    ),
                    _ if rest.is_empty() => {
                        (format!("subgraph{}", g.subgraphs.len() + 1), String::new())
                    }
                    _ if !rest.contains(char::is_whitespace) => (rest.to_owned(), rest.to_owned()),
                    _ => (label(rest), label(rest)),
                };
                let title = if title.is_empty() { id.clone() } else { title };
                let id = unique_subgraph_id(&mut g, id, line);
                if let Some(&parent) = stack.last() {
                    g.subgraphs[parent].subgraphs.push(id.clone());
                }
                g.subgraphs.push(Subgraph {
                    id,
                    title,
                    nodes: Vec::new(),
                    subgraphs: Vec::new(),
                    direction: None,
                });
                mentioned.push(Vec::new());
                stack.push(g.subgraphs.len() - 1);
            }
            "end" if stmt == "end" => {
                if let Some(s) = stack.pop() {
                    claim(&mut g, s, &mut mentioned, &mut claimed);
                } else {
                    g.diagnostics.push(Diagnostic {
                        line,
                        message: "`end` without a subgraph".to_owned(),
                    });
                }
            }
            "direction" => {
                let dir = stmt.split_whitespace().nth(1).and_then(direction);
                match stack.last() {
                    Some(&s) => g.subgraphs[s].direction = dir,
                    None => g.direction = dir.or(g.direction),
                }
            }
            "style" | "classDef" | "class" | "linkStyle" | "click" | "accTitle:" | "accDescr:"
            | "accDescr" => {}
            _ if is_edge_data(&stmt, &edge_ids) => {}
            _ => {
                let inside = stack.last().map(|&s| &mut mentioned[s]);
                if let Err(message) = statement(&mut g, &stmt, inside, &mut edge_ids) {
                    g.diagnostics.push(Diagnostic { line, message });
                }
            }
        }
    }
    // Subgraphs left open close at the end, the innermost first.
    while let Some(s) = stack.pop() {
        claim(&mut g, s, &mut mentioned, &mut claimed);
    }
    settle_ends(&mut g);
    g
}

/// Subgraph `s` closing takes as members the nodes its statements mention that no subgraph
/// closed before it took, as Mermaid does: a node first written outside (`c1 --> a2` before
/// `subgraph one ... a1 --> a2 ... end`) belongs to the subgraph that mentions it, and one
/// mentioned in a nested subgraph to the innermost (it closes first).
fn claim(
    g: &mut Graph,
    s: usize,
    mentioned: &mut [Vec<String>],
    claimed: &mut std::collections::HashSet<String>,
) {
    for id in std::mem::take(&mut mentioned[s]) {
        if g.node(&id).is_some() && claimed.insert(id.clone()) {
            g.subgraphs[s].nodes.push(id);
        }
    }
}

/// A subgraph id not used yet: a repeated one is told and numbered, so no subgraph ever
/// contains itself.
pub(super) fn unique_subgraph_id(g: &mut Graph, id: String, line: usize) -> String {
    if g.subgraph(&id).is_none() {
        return id;
    }
    let mut n = 2;
    let new = loop {
        let candidate = format!("{id}~{n}");
        if g.subgraph(&candidate).is_none() {
            break candidate;
        }
        n += 1;
    };
    g.diagnostics.push(Diagnostic {
        line,
        message: format!("subgraph `{id}` is declared again; kept as `{new}`"),
    });
    new
}

/// `e1@{ animate: true }`: data for an edge named earlier (or keys only an edge has), not a
/// node.
fn is_edge_data(stmt: &str, edge_ids: &[String]) -> bool {
    let Some((id, rest)) = stmt.split_once("@{") else {
        return false;
    };
    let Some(body) = rest.trim_end().strip_suffix('}') else {
        return false;
    };
    let id = id.trim();
    if edge_ids.iter().any(|e| e == id) {
        return true;
    }
    let pairs = data_pairs(body);
    !pairs.is_empty()
        && pairs
            .iter()
            .all(|(k, _)| matches!(k.as_str(), "animate" | "animation" | "curve"))
}

/// One chain statement: all of it or nothing.
fn statement(
    g: &mut Graph,
    stmt: &str,
    mut inside: Option<&mut Vec<String>>,
    edge_ids: &mut Vec<String>,
) -> Result<(), String> {
    let mut lx = Lexer::new(stmt);
    let mut groups = Vec::new();
    let mut links = Vec::new();
    lx.skip_ws();
    groups.push(lx.group()?);
    loop {
        lx.skip_ws();
        if lx.done() {
            break;
        }
        let link = lx
            .link()
            .ok_or_else(|| format!("expected a link at {:?}", lx.here()))?;
        lx.skip_ws();
        groups.push(lx.group()?);
        links.push(link);
    }
    for group in &groups {
        for NodeText { id, text, rounded } in group {
            // An id that names a subgraph is the subgraph: an edge to it ends on its frame.
            if g.subgraph(id).is_some() {
                continue;
            }
            let Some(i) = g.add_node(id, text.as_deref()) else {
                continue;
            };
            // As with labels, the last shape written wins.
            if let Some(r) = rounded {
                g.nodes[i].rounded = *r;
            }
            if let Some(m) = inside.as_deref_mut() {
                m.push(id.clone());
            }
        }
    }
    for (i, link) in links.iter().enumerate() {
        edge_ids.extend(link.id.clone());
        if link.invisible {
            continue;
        }
        for a in groups[i].iter().map(|n| &n.id) {
            for b in groups[i + 1].iter().map(|n| &n.id) {
                let (from, to) = if link.reversed { (b, a) } else { (a, b) };
                let mut e = Edge::new(from, to, link.label.clone());
                e.style = link.style;
                e.head = link.head;
                g.push_edge(e);
            }
        }
    }
    Ok(())
}
