//! Graphs on the command line: a note's diagrams (`diagram`) and the architecture map
//! (`map`), drawn, as JSON, or in Graphviz dot.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::{GraphFormat, Writer, find_note, line};
use crate::diagram::map::ArchMap;
use crate::sanitize;
use crate::search::SearchIndex;
use crate::style::Role;
use crate::tags::TagFilter;
use crate::vault::Vault;

pub(super) fn cmd_diagram(
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
                let mut v = json!({
                    "index": i,
                    "syntax": g.syntax,
                    "direction": g.direction,
                    "line": g.line,
                    "nodes": nodes,
                    "edges": g.edges,
                    "subgraphs": g.subgraphs,
                    "diagnostics": g.diagnostics,
                });
                if let Some(s) = &g.sequence {
                    v["sequence"] = json!(s);
                }
                v
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
                w.styles.paint(
                    Role::Dim,
                    &format!("diagram {}/{} (line {})", i + 1, blocks.len(), block.line)
                )
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

pub(super) fn cmd_map(
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
