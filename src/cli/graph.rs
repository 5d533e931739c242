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
use crate::vault::{NoteId, Vault};

pub(super) fn cmd_diagram(
    w: &mut Writer,
    vault: &Vault,
    query: &str,
    GraphFormat { json, dot, ascii }: GraphFormat,
    relayout: bool,
    width: Option<usize>,
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
                        if n.rounded {
                            v["rounded"] = json!(true);
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
                    "groups": g.groups(),
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
        let drawing = match width {
            Some(cols) => crate::diagram::draw_fitted(g, relayout, cols),
            None => crate::diagram::draw(g, relayout, false),
        };
        for l in drawing.canvas.lines(ascii) {
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

/// A graph in Graphviz dot, every string quoted and escaped: its direction as `rankdir`,
/// subgraphs as nested `cluster_N`s, each edge's stroke as `style` and heads as `arrowhead` /
/// `dir`. An edge that ends on a subgraph ends on an invisible point inside its cluster,
/// clipped at the frame (`compound`, `lhead`/`ltail`).
fn write_dot(w: &mut Writer, name: &str, g: &crate::diagram::Graph) -> Result<()> {
    use crate::diagram::{Direction, EdgeStyle, Head};
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
    if let Some(d) = g.direction {
        let dir = match d {
            Direction::TB => "TB",
            Direction::BT => "BT",
            Direction::LR => "LR",
            Direction::RL => "RL",
        };
        writeln!(w.out, "  rankdir={dir};")?;
    }
    let ends: std::collections::HashSet<&str> = g
        .edges
        .iter()
        .flat_map(|e| [e.from.as_str(), e.to.as_str()])
        .filter(|id| g.end_is_subgraph(id))
        .collect();
    if !ends.is_empty() {
        writeln!(w.out, "  compound=true;")?;
    }
    let groups = g.groups();
    let mut written = vec![false; g.subgraphs.len()];
    let mut inside: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for s in &g.subgraphs {
        inside.extend(s.nodes.iter().map(String::as_str));
    }
    // Clusters from the outermost in, each at most once (a stack, not recursion).
    for root in (0..groups.len()).filter(|&i| groups[i].parent.is_none()) {
        let mut stack = vec![(root, 1usize, false)];
        while let Some((i, depth, closing)) = stack.pop() {
            let pad = "  ".repeat(depth);
            if closing {
                writeln!(w.out, "{pad}}}")?;
                continue;
            }
            if written[i] {
                continue;
            }
            written[i] = true;
            let s = &g.subgraphs[i];
            writeln!(w.out, "{pad}subgraph cluster_{i} {{")?;
            writeln!(w.out, "{pad}  label={};", q(&s.title))?;
            if ends.contains(s.id.as_str()) {
                writeln!(
                    w.out,
                    "{pad}  {} [shape=point, style=invis, label=\"\"];",
                    q(&s.id)
                )?;
            }
            for n in &s.nodes {
                if let Some(k) = g.node(n) {
                    writeln!(w.out, "{pad}  {} [label={}];", q(n), q(&g.nodes[k].label))?;
                }
            }
            stack.push((i, depth, true));
            for c in s.subgraphs.iter().rev() {
                if let Some(k) = g.subgraph(c).filter(|&k| !written[k]) {
                    stack.push((k, depth + 1, false));
                }
            }
        }
    }
    for n in g.nodes.iter().filter(|n| !inside.contains(n.id.as_str())) {
        writeln!(w.out, "  {} [label={}];", q(&n.id), q(&n.label))?;
    }
    for e in &g.edges {
        let mut attrs: Vec<String> = Vec::new();
        if let Some(l) = &e.label {
            attrs.push(format!("label={}", q(l)));
        }
        match e.style {
            EdgeStyle::Solid => {}
            EdgeStyle::Thick => attrs.push("style=bold".to_owned()),
            EdgeStyle::Dotted => attrs.push("style=dotted".to_owned()),
        }
        // Graphviz's names for the marks; it has no cross, a bar is the nearest.
        let dot_arrow = |h: Head| match h {
            Head::Circle | Head::CircleBoth => "odot",
            Head::Cross | Head::CrossBoth => "tee",
            Head::Diamond => "odiamond",
            Head::FilledDiamond => "diamond",
            Head::One => "teetee",
            Head::Many => "crow",
            Head::Arrow | Head::Both | Head::None => "normal",
        };
        match (e.head, e.tail_mark()) {
            (Head::Arrow, None) => {}
            (Head::None, None) => attrs.push("dir=none".to_owned()),
            (Head::Both, _) => attrs.push("dir=both".to_owned()),
            (h, None) => attrs.push(format!("arrowhead={}", dot_arrow(h))),
            (h, Some(t)) => attrs.extend([
                "dir=both".to_owned(),
                format!("arrowhead={}", dot_arrow(h)),
                format!("arrowtail={}", dot_arrow(t)),
            ]),
        }
        for (key, id) in [("ltail", &e.from), ("lhead", &e.to)] {
            if let Some(k) = g.subgraph(id).filter(|_| g.end_is_subgraph(id)) {
                attrs.push(format!("{key}=cluster_{k}"));
            }
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        writeln!(w.out, "  {} -> {}{attrs};", q(&e.from), q(&e.to))?;
    }
    writeln!(w.out, "}}")?;
    Ok(())
}

/// Which view of the map `vaultscope map` prints (the whole map without one).
#[derive(Debug, Clone, clap::Args)]
pub struct MapView {
    /// The components: the labels merged into each, the notes that define it (by title or
    /// alias) and draw it, and how many others it links with; most drawn first.
    #[arg(long, conflicts_with_all = ["focus", "path"])]
    pub components: bool,
    /// A component and its neighbours, each link with the notes that draw it.
    #[arg(long, value_name = "LABEL", conflicts_with = "path")]
    pub focus: Option<String>,
    /// How many links away from the focus (1 to 3).
    #[arg(long, default_value_t = 1, requires = "focus",
          value_parser = clap::value_parser!(u8).range(1..=3))]
    pub depth: u8,
    /// The flows from one component to another: the shortest ways along the arrows (and a
    /// little longer ones through other components), each with its notes.
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    pub path: Option<Vec<String>>,
    /// The columns the whole map's drawing is packed to (clusters side by side up to it), as
    /// the explorer packs it to its pane.
    #[arg(long, default_value_t = 120, conflicts_with_all = ["components", "focus", "path"],
          value_parser = clap::value_parser!(u16).range(20..))]
    pub width: u16,
}

pub(super) fn cmd_map(
    w: &mut Writer,
    vault: &Vault,
    filter: &TagFilter,
    GraphFormat { json, dot, ascii }: GraphFormat,
    view: &MapView,
) -> Result<i32> {
    let (map, unreadable) = ArchMap::build(vault, &filter.apply(&vault.notes));
    for (id, e) in unreadable {
        eprintln!(
            "vaultscope: cannot read {}: {e}",
            line(&vault.notes[id].path)
        );
    }
    let path = |id: NoteId| vault.notes[id].path.as_str();
    let paths = |ids: &[NoteId]| -> Vec<&str> { ids.iter().map(|&i| path(i)).collect() };
    let link_json = |i: usize| {
        let l = &map.links[i];
        let notes: Vec<Value> = l
            .notes
            .iter()
            .map(|&(n, at)| json!({"note": path(n), "line": at}))
            .collect();
        json!({
            "from": map.components[l.from].name,
            "to": map.components[l.to].name,
            "both_ways": l.both_ways,
            "notes": notes,
        })
    };
    let draw = |w: &mut Writer, g: &crate::diagram::Graph| -> Result<()> {
        for l in crate::diagram::draw(g, false, false).canvas.lines(ascii) {
            writeln!(w.out, "{}", sanitize::line(&l))?;
        }
        Ok(())
    };
    if view.components {
        let (degrees, ranked) = (&map.degrees, &map.ranked);
        if json {
            let list: Vec<Value> = ranked
                .iter()
                .map(|&c| {
                    let k = &map.components[c];
                    json!({
                        "component": k.name,
                        "labels": k.labels,
                        "defining": paths(&k.defining),
                        "drawing": paths(&k.drawing),
                        "degree": degrees[c],
                        "group": k.group,
                    })
                })
                .collect();
            return w.json(json!({"sources": map.sources, "components": list}));
        }
        if dot {
            write_dot(
                w,
                "map",
                &map.subgraph(ranked, &(0..map.links.len()).collect::<Vec<_>>()),
            )?;
            return Ok(0);
        }
        writeln!(
            w.out,
            "{}",
            w.styles.paint(
                Role::Dim,
                &format!(
                    "{} components from {} notes · drawn by · links · also drawn as · about it",
                    map.components.len(),
                    map.sources
                )
            )
        )?;
        for &c in ranked {
            let k = &map.components[c];
            let about: Vec<&str> = k
                .defining
                .iter()
                .map(|&n| vault.notes[n].title.as_str())
                .collect();
            let n = |count: usize, one: &str| match count {
                1 => format!("1 {one}"),
                _ => format!("{count} {one}s"),
            };
            writeln!(
                w.out,
                "{}  {}  {}{}{}",
                sanitize::line(&k.name),
                n(k.drawing.len(), "note"),
                n(degrees[c], "link"),
                sanitize::line(&k.also_drawn_as()),
                if about.is_empty() {
                    String::new()
                } else {
                    format!("  → {}", sanitize::line(&about.join(", ")))
                },
            )?;
        }
        return Ok(0);
    }
    // The vault's names, made only when a label is looked up (the whole map, JSON and dot
    // look none up).
    let names = std::cell::OnceCell::new();
    let component = |label: &str| -> Result<usize> {
        let named = names
            .get_or_init(|| crate::diagram::map::Names::of(vault))
            .of_key(&crate::diagram::map::component_key(label));
        map.find(label, named).with_context(|| {
            format!(
                "no component is named {:?} (vaultscope map --components lists them)",
                sanitize::line(label)
            )
        })
    };
    if let Some(label) = &view.focus {
        let f = map.focus(component(label)?, view.depth as usize);
        let g = map.focus_graph(&f);
        if json {
            let nodes: Vec<Value> = f
                .nodes
                .iter()
                .map(|&(c, d)| {
                    let k = &map.components[c];
                    json!({
                        "component": k.name,
                        "distance": d,
                        "defining": paths(&k.defining),
                        "drawing": paths(&k.drawing),
                    })
                })
                .collect();
            let links: Vec<Value> = f.links.iter().map(|&i| link_json(i)).collect();
            return w.json(json!({
                "focus": map.components[f.centre].name,
                "depth": f.depth,
                "nodes": nodes,
                "links": links,
            }));
        }
        if dot {
            write_dot(w, "focus", &g)?;
            return Ok(0);
        }
        draw(w, &g)?;
        writeln!(w.out)?;
        for &i in &f.links {
            let l = &map.links[i];
            let notes: Vec<&str> = l.notes.iter().map(|&(n, _)| path(n)).collect();
            writeln!(
                w.out,
                "{} {} {}  ({})",
                sanitize::line(&map.components[l.from].name),
                if l.both_ways { "↔" } else { "→" },
                sanitize::line(&map.components[l.to].name),
                sanitize::line(&notes.join(", "))
            )?;
        }
        return Ok(0);
    }
    if let Some([from, to]) = view.path.as_deref() {
        let (a, b) = (component(from)?, component(to)?);
        let flows = map.flows(a, b);
        if json {
            let list: Vec<Value> = flows
                .flows
                .iter()
                .map(|f| {
                    let names: Vec<&str> = f
                        .nodes
                        .iter()
                        .map(|&c| map.components[c].name.as_str())
                        .collect();
                    let links: Vec<Value> = f.links.iter().map(|&i| link_json(i)).collect();
                    json!({"components": names, "links": links, "notes": paths(&f.notes)})
                })
                .collect();
            return w.json(json!({
                "from": map.components[a].name,
                "to": map.components[b].name,
                "directed": flows.directed,
                "flows": list,
            }));
        }
        if dot {
            write_dot(w, "flows", &map.flows_graph(&flows))?;
            return Ok(0);
        }
        if flows.flows.is_empty() {
            writeln!(
                w.out,
                "no flow joins {} and {}",
                sanitize::line(&map.components[a].name),
                sanitize::line(&map.components[b].name)
            )?;
            return Ok(0);
        }
        if !flows.directed {
            writeln!(
                w.out,
                "{}",
                w.styles.paint(
                    Role::Dim,
                    "no flow follows the arrows; these go against some"
                )
            )?;
        }
        for (i, f) in flows.flows.iter().enumerate() {
            let names: Vec<&str> = f
                .nodes
                .iter()
                .map(|&c| map.components[c].name.as_str())
                .collect();
            writeln!(w.out, "{}. {}", i + 1, sanitize::line(&names.join(" → ")))?;
            writeln!(
                w.out,
                "   {}",
                w.styles
                    .paint(Role::Dim, &sanitize::line(&paths(&f.notes).join(", ")))
            )?;
        }
        return Ok(0);
    }
    let (g, notes) = (&map.graph, &map.notes);
    if json {
        let nodes: Vec<Value> = g
            .nodes
            .iter()
            .zip(notes)
            .zip(&map.components)
            .map(|((n, ns), k)| {
                json!({"id": n.id, "label": n.label, "notes": paths(ns), "group": k.group})
            })
            .collect();
        return w.json(json!({"nodes": nodes, "edges": g.edges, "groups": g.groups()}));
    }
    if dot {
        write_dot(w, "map", g)?;
        return Ok(0);
    }
    if g.nodes.is_empty() {
        writeln!(w.out, "no diagram in the notes")?;
        return Ok(0);
    }
    // By clusters and their groups' frames, packed to the width: the explorer's whole map.
    let c = map.clustered();
    let d = crate::diagram::map::draw_packed(&c.graph, &c.ranges, false, view.width as usize);
    for l in d.canvas.lines(ascii) {
        writeln!(w.out, "{}", sanitize::line(&l))?;
    }
    Ok(0)
}
