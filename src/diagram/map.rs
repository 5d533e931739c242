//! The architecture map: the diagrams of many notes merged into one graph of *components*.
//! A component is the set of diagram nodes that mean the same thing: labels equal after
//! normalising case, spacing, punctuation and simple plurals ([`component_key`]), and labels
//! that name the same note by its title, file name or an alias (`VPC 엔드포인트` and `VPC
//! Endpoint` when one note has both). Each component knows the notes that define it (by name)
//! and the notes whose diagrams draw it; each link between two components knows the notes
//! (and their diagram's line) that draw it.
//!
//! On top of the merged graph: the components ranked ([`ArchMap::ranked`]), a component's
//! neighbourhood to a depth ([`ArchMap::focus`]), and the flows between two components
//! ([`ArchMap::flows`]). The command line prints them (`vaultscope map --components`,
//! `--focus`, `--path`) and the explorer shows them (`M`); both build them here.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};

use super::graph::{Direction, Edge, Graph, Head, Syntax};
use crate::vault::{NoteId, Vault};

/// The key labels of one component share: lower case, anything but letters and digits a
/// space, runs of spaces one, and each ASCII word's simple plural made singular (`ENIs` →
/// `eni`, `Policies` → `policy`; `Access`, `Status`, `DNS` stay). Hangul is kept as written.
pub fn component_key(label: &str) -> String {
    let spaced: String = label
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<String> = spaced
        .split_whitespace()
        .map(|w| match acronym_plural(w) {
            Some(one) => one.to_lowercase(),
            None => singular(&w.to_lowercase()).into_owned(),
        })
        .collect();
    words.join(" ")
}

/// `ENIs`, `VPCs`, `AZs`: an upper-case acronym with a plural `s`, without it.
fn acronym_plural(w: &str) -> Option<&str> {
    let stem = w.strip_suffix('s')?;
    (stem.len() >= 2
        && stem
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && stem.chars().any(|c| c.is_ascii_uppercase()))
    .then_some(stem)
}

/// A lower-case word's singular, for the plurals a diagram label uses.
fn singular(w: &str) -> Cow<'_, str> {
    let keep = !w.is_ascii()
        || w.len() <= 3
        || !w.ends_with('s')
        || ["ss", "us", "is"].iter().any(|e| w.ends_with(e));
    if keep {
        return Cow::Borrowed(w);
    }
    if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() >= 2) {
        return Cow::Owned(format!("{stem}y"));
    }
    for ending in ["sses", "xes", "ches", "shes"] {
        if w.ends_with(ending) {
            return Cow::Borrowed(&w[..w.len() - 2]);
        }
    }
    Cow::Borrowed(&w[..w.len() - 1])
}

/// One component of the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// The label most of its drawing notes use (the first seen of those).
    pub name: String,
    /// Every label merged into it, as drawn (first seen first).
    pub labels: Vec<String>,
    /// The notes whose title, file name or an alias names it.
    pub defining: Vec<NoteId>,
    /// The notes whose diagrams draw it.
    pub drawing: Vec<NoteId>,
    /// The group (a diagram's subgraph or frame, the outermost holding it: `Customer VPC`)
    /// most of the notes that draw it inside one draw it in, as first drawn; none when no
    /// note draws it inside a group.
    pub group: Option<String>,
}

impl Component {
    /// The labels it is also drawn as, besides its name: `  = a, b`, or nothing.
    pub fn also_drawn_as(&self) -> String {
        let others: Vec<&str> = self
            .labels
            .iter()
            .filter(|l| **l != self.name)
            .map(String::as_str)
            .collect();
        if others.is_empty() {
            String::new()
        } else {
            format!("  = {}", others.join(", "))
        }
    }
}

/// A link between two components, drawn by one or more notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    /// Drawn with heads at both ends, or none, in some note: it goes both ways.
    pub both_ways: bool,
    /// The notes drawing it, each with the file line of the diagram's fence (first seen).
    pub notes: Vec<(NoteId, usize)>,
}

/// The merged graph of a set of notes' diagrams.
#[derive(Debug, Clone)]
pub struct ArchMap {
    /// Node `i` is component `i` (its id the key of its name, its label the name); edge `j`
    /// is link `j`.
    pub graph: Graph,
    /// Per node of `graph`, the notes whose diagrams draw it (`components[i].drawing`).
    pub notes: Vec<Vec<NoteId>>,
    pub components: Vec<Component>,
    pub links: Vec<Link>,
    /// How many notes had a diagram.
    pub sources: usize,
    /// Per component, how many others it links with (either way).
    pub degrees: Vec<usize>,
    /// The components, most drawing notes first, then most connected, then by name.
    pub ranked: Vec<usize>,
    /// Per component, the keys of its labels joined by ` | ` (what a filter matches).
    pub keys: Vec<String>,
}

/// A component's neighbourhood: the components within `depth` links of it (either way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    pub centre: usize,
    pub depth: usize,
    /// (component, distance), nearest first; the centre is first at distance 0.
    pub nodes: Vec<(usize, usize)>,
    /// The links from one ring to the next (indices into [`ArchMap::links`]).
    pub links: Vec<usize>,
}

/// One way from a component to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// The components along it, first to last.
    pub nodes: Vec<usize>,
    /// The links taken (indices into [`ArchMap::links`]).
    pub links: Vec<usize>,
    /// The notes drawing any of its links, most links first.
    pub notes: Vec<NoteId>,
}

/// The flows between two components, and whether they follow the arrows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flows {
    pub flows: Vec<Flow>,
    /// `false` when no way follows the arrows and these go against some of them.
    pub directed: bool,
}

/// Notes read between two looks at the clock while building: the first chunk, and the most
/// (each chunk twice the one before).
const FIRST_CHUNK: usize = 64;
const CHUNK: usize = 512;
/// When the first partial map of a large set is handed out, and then how often.
pub const FIRST_PARTIAL: std::time::Duration = std::time::Duration::from_millis(300);
pub const NEXT_PARTIAL: std::time::Duration = std::time::Duration::from_millis(1000);

/// At most this many flows are given.
pub const MAX_FLOWS: usize = 8;
/// Flows at most this many links longer than the shortest are given.
const SLACK: usize = 2;
/// Steps the search for flows may take (a bound on a dense map).
const MAX_STEPS: usize = 200_000;

/// A union-find over label keys and notes.
struct Sets(Vec<usize>);

impl Sets {
    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            // The smaller index stays the root, so components come in order of first sight.
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.0[hi] = lo;
        }
    }
}

impl ArchMap {
    /// A map of nothing.
    pub fn empty() -> ArchMap {
        ArchMap {
            graph: Graph::new(Syntax::Mermaid),
            notes: Vec::new(),
            components: Vec::new(),
            links: Vec::new(),
            sources: 0,
            degrees: Vec::new(),
            ranked: Vec::new(),
            keys: Vec::new(),
        }
    }

    /// The map of `notes` of `vault`: reads each note's body (I/O: off the event loop in the
    /// explorer) and merges its diagrams, naming components by every note of the vault.
    /// Notes that cannot be read are left out and returned with the reason.
    pub fn build(vault: &Vault, notes: &[NoteId]) -> (ArchMap, Vec<(NoteId, std::io::Error)>) {
        ArchMap::build_with(vault, notes, FIRST_PARTIAL, |_, _| {})
    }

    /// [`ArchMap::build`], handing `partial` the map of the notes read so far (and how many
    /// that is) now and then while a large set is read: first once `first` has passed (the
    /// explorer gives [`FIRST_PARTIAL`]), then every [`NEXT_PARTIAL`], so a caller can show
    /// the map growing.
    pub fn build_with(
        vault: &Vault,
        notes: &[NoteId],
        first: std::time::Duration,
        mut partial: impl FnMut(ArchMap, usize),
    ) -> (ArchMap, Vec<(NoteId, std::io::Error)>) {
        use rayon::prelude::*;
        let started = std::time::Instant::now();
        let mut next = first;
        let mut diagrams = Vec::new();
        let mut unreadable = Vec::new();
        // Every name of the vault's notes by key, once: each partial map looks its keys up.
        let names = Names::of(vault);
        // Reading and parsing on every core, a chunk at a time (small ones first, so a first
        // map comes soon); merged in the notes' order.
        let (mut at, mut size) = (0, FIRST_CHUNK);
        while at < notes.len() {
            let chunk = &notes[at..(at + size).min(notes.len())];
            at += chunk.len();
            size = (size * 2).min(CHUNK);
            let read: Vec<(NoteId, std::io::Result<Vec<Graph>>)> = chunk
                .par_iter()
                .map(|&id| {
                    let graphs = vault
                        .read_body(id)
                        .map(|body| super::diagrams(&body, vault.notes[id].body_line));
                    (id, graphs)
                })
                .collect();
            for (id, graphs) in read {
                match graphs {
                    Ok(gs) => diagrams.extend(gs.into_iter().map(|g| (id, g))),
                    Err(e) => unreadable.push((id, e)),
                }
            }
            let done = at;
            if done < notes.len() && started.elapsed() >= next {
                partial(ArchMap::merge(&diagrams, |keys| names.among(keys)), done);
                next = started.elapsed() + NEXT_PARTIAL;
            }
        }
        let map = ArchMap::merge(&diagrams, |keys| names.among(keys));
        (map, unreadable)
    }

    /// Merges `diagrams` (each with its note). `names` gives, for the label keys drawn, the
    /// notes each names (by title, file name or alias).
    pub fn merge(
        diagrams: &[(NoteId, Graph)],
        names: impl FnOnce(&HashSet<String>) -> HashMap<String, Vec<NoteId>>,
    ) -> ArchMap {
        // Every label key, in order of first sight.
        let mut key_index: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<String> = Vec::new();
        let mut node_keys: Vec<Vec<Option<usize>>> = Vec::with_capacity(diagrams.len());
        for (_, d) in diagrams {
            let per: Vec<Option<usize>> = d
                .nodes
                .iter()
                .map(|n| {
                    let k = component_key(&n.label);
                    if k.is_empty() {
                        return None;
                    }
                    Some(*key_index.entry(k.clone()).or_insert_with(|| {
                        keys.push(k);
                        keys.len() - 1
                    }))
                })
                .collect();
            node_keys.push(per);
        }
        let drawn: HashSet<String> = keys.iter().cloned().collect();
        let named = names(&drawn);
        // Keys naming one note are one component.
        let mut note_slot: HashMap<NoteId, usize> = HashMap::new();
        let mut sets = Sets((0..keys.len()).collect());
        let mut defining_of_key: Vec<&[NoteId]> = vec![&[]; keys.len()];
        for (k, key) in keys.iter().enumerate() {
            if let Some(ns) = named.get(key) {
                defining_of_key[k] = ns;
                for &n in ns {
                    let slot = *note_slot.entry(n).or_insert_with(|| {
                        sets.0.push(sets.0.len());
                        sets.0.len() - 1
                    });
                    sets.join(k, slot);
                }
            }
        }
        let mut comp_of_root: HashMap<usize, usize> = HashMap::new();
        let mut comp_of_key = vec![0usize; keys.len()];
        for (k, comp) in comp_of_key.iter_mut().enumerate() {
            let r = sets.root(k);
            let next = comp_of_root.len();
            *comp = *comp_of_root.entry(r).or_insert(next);
        }
        let count = comp_of_root.len();
        let mut components: Vec<Component> = (0..count)
            .map(|_| Component {
                name: String::new(),
                labels: Vec::new(),
                defining: Vec::new(),
                drawing: Vec::new(),
                group: None,
            })
            .collect();
        for (k, ns) in defining_of_key.iter().enumerate() {
            let c = &mut components[comp_of_key[k]];
            for n in ns.iter() {
                if !c.defining.contains(n) {
                    c.defining.push(*n);
                }
            }
        }
        // Labels as drawn, and how many notes draw each, for the name.
        let mut label_notes: Vec<Vec<(String, Vec<NoteId>)>> = vec![Vec::new(); count];
        // Per component, the groups it is drawn in: (key, title as first drawn, notes).
        let mut group_notes: Vec<Vec<(String, String, Vec<NoteId>)>> = vec![Vec::new(); count];
        let mut links: Vec<Link> = Vec::new();
        let mut link_index: HashMap<(usize, usize), usize> = HashMap::new();
        let mut sources: Vec<NoteId> = Vec::new();
        for ((note, d), per) in diagrams.iter().zip(&node_keys) {
            if !sources.contains(note) {
                sources.push(*note);
            }
            let mut comp_of_id: HashMap<&str, usize> = HashMap::new();
            let outermost = outermost_groups(d);
            for (n, k) in d.nodes.iter().zip(per) {
                let Some(k) = *k else { continue };
                let c = comp_of_key[k];
                comp_of_id.insert(n.id.as_str(), c);
                if let Some(title) = outermost.get(n.id.as_str()) {
                    let key = component_key(title);
                    let slot = match group_notes[c].iter().position(|(k, ..)| *k == key) {
                        Some(i) => i,
                        None => {
                            group_notes[c].push((key, title.clone(), Vec::new()));
                            group_notes[c].len() - 1
                        }
                    };
                    if !group_notes[c][slot].2.contains(note) {
                        group_notes[c][slot].2.push(*note);
                    }
                }
                let comp = &mut components[c];
                if !comp.drawing.contains(note) {
                    comp.drawing.push(*note);
                }
                let label = n.label.replace('\n', " ");
                let slot = match label_notes[c].iter().position(|(l, _)| *l == label) {
                    Some(i) => i,
                    None => {
                        label_notes[c].push((label, Vec::new()));
                        label_notes[c].len() - 1
                    }
                };
                if !label_notes[c][slot].1.contains(note) {
                    label_notes[c][slot].1.push(*note);
                }
            }
            for e in &d.edges {
                let (Some(&a), Some(&b)) = (
                    comp_of_id.get(e.from.as_str()),
                    comp_of_id.get(e.to.as_str()),
                ) else {
                    continue;
                };
                if a == b {
                    continue;
                }
                let i = *link_index.entry((a, b)).or_insert_with(|| {
                    links.push(Link {
                        from: a,
                        to: b,
                        both_ways: false,
                        notes: Vec::new(),
                    });
                    links.len() - 1
                });
                let l = &mut links[i];
                l.both_ways |= matches!(e.head, Head::Both | Head::None);
                if !l.notes.iter().any(|(n, _)| n == note) {
                    l.notes.push((*note, d.line));
                }
            }
        }
        for (c, groups) in components.iter_mut().zip(&group_notes) {
            c.group = groups
                .iter()
                .enumerate()
                .filter(|(_, (k, ..))| !k.is_empty())
                .max_by_key(|(i, (.., ns))| (ns.len(), std::cmp::Reverse(*i)))
                .map(|(_, (_, title, _))| title.clone());
        }
        for (c, labels) in components.iter_mut().zip(label_notes) {
            let best = labels
                .iter()
                .enumerate()
                .max_by_key(|(i, (_, ns))| (ns.len(), std::cmp::Reverse(*i)))
                .map(|(i, _)| i)
                .unwrap_or(0);
            c.name = labels.get(best).map(|l| l.0.clone()).unwrap_or_default();
            c.labels = labels.into_iter().map(|l| l.0).collect();
        }
        let mut graph = Graph::new(Syntax::Mermaid);
        graph.direction = Some(Direction::LR);
        for c in &components {
            graph.nodes.push(super::Node {
                id: component_key(&c.name),
                label: c.name.clone(),
                pos: None,
                rounded: false,
            });
        }
        for l in &links {
            let mut e = Edge::new(&graph.nodes[l.from].id, &graph.nodes[l.to].id, None);
            if l.both_ways {
                e.head = Head::Both;
            }
            graph.edges.push(e);
        }
        let notes = components.iter().map(|c| c.drawing.clone()).collect();
        let keys = components
            .iter()
            .map(|c| {
                let ks: Vec<String> = c.labels.iter().map(|l| component_key(l)).collect();
                ks.join(" | ")
            })
            .collect();
        let mut map = ArchMap {
            graph,
            notes,
            components,
            links,
            sources: sources.len(),
            degrees: Vec::new(),
            ranked: Vec::new(),
            keys,
        };
        map.degrees = map.count_degrees();
        map.ranked = map.rank();
        map
    }

    /// How many other components component `c` is linked with (either way).
    pub fn degree(&self, c: usize) -> usize {
        self.degrees.get(c).copied().unwrap_or(0)
    }

    /// The components linked with `c` (either way), each once, in link order.
    pub fn neighbours(&self, c: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for l in &self.links {
            let other = if l.from == c {
                l.to
            } else if l.to == c {
                l.from
            } else {
                continue;
            };
            if !out.contains(&other) {
                out.push(other);
            }
        }
        out
    }

    /// Every component's degree, at once (one pass over the links).
    fn count_degrees(&self) -> Vec<usize> {
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        let mut deg = vec![0; self.components.len()];
        for l in &self.links {
            let pair = (l.from.min(l.to), l.from.max(l.to));
            if seen.insert(pair) {
                deg[pair.0] += 1;
                deg[pair.1] += 1;
            }
        }
        deg
    }

    fn rank(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.components.len()).collect();
        order.sort_by_cached_key(|&c| {
            (
                std::cmp::Reverse(self.components[c].drawing.len()),
                std::cmp::Reverse(self.degrees[c]),
                self.components[c].name.to_lowercase(),
            )
        });
        order
    }

    /// The components whose labels' keys contain the key of `query`, in rank order (all of
    /// them for an empty query).
    /// A query with 초성 or a syllable still being typed matches Hangul-aware, spaces aside
    /// (`ㅂㅇㄱㄹ` finds `보안 그룹`, `vpc 엔ㄷ` finds `VPC 엔드포인트`).
    pub fn matching(&self, query: &str) -> Vec<usize> {
        use crate::search::hangul;
        let key = component_key(query);
        if key.is_empty() {
            return self.ranked.clone();
        }
        let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
        let word = hangul::word(&squeeze(query), true);
        if !word.is_plain() {
            return self
                .ranked
                .iter()
                .copied()
                .filter(|&c| hangul::contains(&squeeze(&self.keys[c]), &word))
                .collect();
        }
        self.ranked
            .iter()
            .copied()
            .filter(|&c| self.keys[c].contains(&key))
            .collect()
    }

    /// The component a label names: one whose labels have its key; else one a note defines
    /// that has the label as its title or an alias (given as `named`, the notes with that
    /// name); else the best ranked whose name contains it.
    pub fn find(&self, label: &str, named: &[NoteId]) -> Option<usize> {
        let key = component_key(label);
        if key.is_empty() {
            return None;
        }
        // `keys[c]` holds its labels' keys, joined by ` | ` (a key has no `|`).
        if let Some(c) = self
            .keys
            .iter()
            .position(|ks| ks.split(" | ").any(|k| k == key))
        {
            return Some(c);
        }
        if let Some(c) = self
            .components
            .iter()
            .position(|c| c.defining.iter().any(|n| named.contains(n)))
        {
            return Some(c);
        }
        // A node's id is the key of its component's name.
        self.ranked
            .iter()
            .copied()
            .find(|&c| self.graph.nodes[c].id.contains(&key))
    }

    /// The neighbourhood of `centre` to `depth` links (at least 1), either way along them:
    /// each ring of components, and the links from one ring to the next (a star at depth 1,
    /// so it lays out without crossings).
    pub fn focus(&self, centre: usize, depth: usize) -> Focus {
        let depth = depth.max(1);
        let mut dist: HashMap<usize, usize> = HashMap::from([(centre, 0)]);
        let mut nodes = vec![(centre, 0)];
        let mut queue = VecDeque::from([centre]);
        let adjacent = self.adjacency(false);
        while let Some(c) = queue.pop_front() {
            let d = dist[&c];
            if d == depth {
                continue;
            }
            for &(n, _) in &adjacent[c] {
                if let std::collections::hash_map::Entry::Vacant(v) = dist.entry(n) {
                    v.insert(d + 1);
                    nodes.push((n, d + 1));
                    queue.push_back(n);
                }
            }
        }
        let links = (0..self.links.len())
            .filter(|&i| {
                let l = &self.links[i];
                match (dist.get(&l.from), dist.get(&l.to)) {
                    (Some(&a), Some(&b)) => a.abs_diff(b) == 1,
                    _ => false,
                }
            })
            .collect();
        Focus {
            centre,
            depth,
            nodes,
            links,
        }
    }

    /// A focus as a graph to lay out: its components (the centre first) and links, each link
    /// labelled with how many notes draw it (`×2`).
    pub fn focus_graph(&self, f: &Focus) -> Graph {
        let nodes: Vec<usize> = f.nodes.iter().map(|&(c, _)| c).collect();
        self.subgraph(&nodes, &f.links)
    }

    /// The components `nodes` and links `links` as a graph of their own (ids as in
    /// [`ArchMap::graph`]), each link labelled with how many notes draw it.
    pub fn subgraph(&self, nodes: &[usize], links: &[usize]) -> Graph {
        let mut g = Graph::new(Syntax::Mermaid);
        g.direction = Some(Direction::LR);
        for &c in nodes {
            g.add_node(&self.graph.nodes[c].id, Some(&self.components[c].name));
        }
        for &i in links {
            let l = &self.links[i];
            let mut e = Edge::new(
                &self.graph.nodes[l.from].id,
                &self.graph.nodes[l.to].id,
                Some(format!("×{}", l.notes.len())),
            );
            if l.both_ways {
                e.head = Head::Both;
            }
            g.push_edge(e);
        }
        g
    }

    /// Per component, its links as (other component, link): following the arrows only
    /// (`directed`, a both-ways link either way), or either way.
    fn adjacency(&self, directed: bool) -> Vec<Vec<(usize, usize)>> {
        let mut adj = vec![Vec::new(); self.components.len()];
        for (i, l) in self.links.iter().enumerate() {
            adj[l.from].push((l.to, i));
            if !directed || l.both_ways {
                adj[l.to].push((l.from, i));
            }
        }
        adj
    }

    /// The flows from `from` to `to`: the shortest ways along the arrows, and those up to two
    /// links longer, each through a different set of components (at most [`MAX_FLOWS`],
    /// shortest first, then those more notes draw). When no way follows the arrows, the ways
    /// either way along them.
    pub fn flows(&self, from: usize, to: usize) -> Flows {
        if from == to {
            return Flows {
                flows: Vec::new(),
                directed: true,
            };
        }
        let found = self.ways(from, to, true);
        if !found.is_empty() {
            return Flows {
                flows: found,
                directed: true,
            };
        }
        Flows {
            flows: self.ways(from, to, false),
            directed: false,
        }
    }

    fn ways(&self, from: usize, to: usize, directed: bool) -> Vec<Flow> {
        let adj = self.adjacency(directed);
        // Distances to `to` against the arrows, to prune the search.
        let mut back = vec![Vec::new(); self.components.len()];
        for (c, out) in adj.iter().enumerate() {
            for &(n, _) in out {
                back[n].push(c);
            }
        }
        let mut to_dist = vec![usize::MAX; self.components.len()];
        to_dist[to] = 0;
        let mut queue = VecDeque::from([to]);
        while let Some(c) = queue.pop_front() {
            for &p in &back[c] {
                if to_dist[p] == usize::MAX {
                    to_dist[p] = to_dist[c] + 1;
                    queue.push_back(p);
                }
            }
        }
        if to_dist[from] == usize::MAX {
            return Vec::new();
        }
        let limit = to_dist[from] + SLACK;
        let mut found: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        let mut path = vec![from];
        let mut taken: Vec<usize> = Vec::new();
        let mut steps = 0usize;
        // Depth-first with an explicit stack of (node, next neighbour to try).
        let mut stack: Vec<(usize, usize)> = vec![(from, 0)];
        while let Some(&mut (c, ref mut next)) = stack.last_mut() {
            steps += 1;
            if steps > MAX_STEPS || found.len() >= 500 {
                break;
            }
            if c == to {
                found.push((path.clone(), taken.clone()));
                stack.pop();
                path.pop();
                taken.pop();
                continue;
            }
            let Some(&(n, link)) = adj[c].get(*next) else {
                stack.pop();
                path.pop();
                taken.pop();
                continue;
            };
            *next += 1;
            let fits = to_dist[n] != usize::MAX && taken.len() + 1 + to_dist[n] <= limit;
            if fits && !path.contains(&n) {
                path.push(n);
                taken.push(link);
                stack.push((n, 0));
            }
        }
        let mut flows: Vec<Flow> = found
            .into_iter()
            .map(|(nodes, links)| {
                let mut count: Vec<(NoteId, usize)> = Vec::new();
                for &l in &links {
                    for &(n, _) in &self.links[l].notes {
                        match count.iter_mut().find(|(m, _)| *m == n) {
                            Some(e) => e.1 += 1,
                            None => count.push((n, 1)),
                        }
                    }
                }
                count.sort_by_key(|c| std::cmp::Reverse(c.1));
                Flow {
                    nodes,
                    links,
                    notes: count.into_iter().map(|(n, _)| n).collect(),
                }
            })
            .collect();
        let support =
            |f: &Flow| -> usize { f.links.iter().map(|&l| self.links[l].notes.len()).sum() };
        flows.sort_by(|a, b| {
            a.links
                .len()
                .cmp(&b.links.len())
                .then(support(b).cmp(&support(a)))
        });
        // Distinct flows: each through a set of components no earlier one went through.
        let mut seen: Vec<Vec<usize>> = Vec::new();
        flows.retain(|f| {
            let mut inner: Vec<usize> = f.nodes.clone();
            inner.sort_unstable();
            if seen.contains(&inner) {
                false
            } else {
                seen.push(inner);
                true
            }
        });
        flows.truncate(MAX_FLOWS);
        flows
    }

    /// The flows as one graph to lay out: every component and link on any of them.
    pub fn flows_graph(&self, flows: &Flows) -> Graph {
        let mut nodes: Vec<usize> = Vec::new();
        let mut links: Vec<usize> = Vec::new();
        for f in &flows.flows {
            for &c in &f.nodes {
                if !nodes.contains(&c) {
                    nodes.push(c);
                }
            }
            for &l in &f.links {
                if !links.contains(&l) {
                    links.push(l);
                }
            }
        }
        self.subgraph(&nodes, &links)
    }

    /// The flows one under another, each drawn as a chain of its own (a component on two
    /// flows is drawn on both): read flow by flow, with no wire running past other boxes.
    /// Per node its component, per edge its link, and per flow its nodes' and edges' ranges,
    /// for [`draw_packed`] with one flow to a row.
    pub fn flows_rows(&self, flows: &Flows) -> Clustered {
        let mut g = Graph::new(Syntax::Mermaid);
        g.direction = Some(Direction::LR);
        let (mut components, mut links, mut ranges) = (Vec::new(), Vec::new(), Vec::new());
        for (k, f) in flows.flows.iter().enumerate() {
            let (n0, e0) = (g.nodes.len(), g.edges.len());
            let id = |c: usize| format!("{}#{k}", self.graph.nodes[c].id);
            for &c in &f.nodes {
                g.nodes.push(super::Node {
                    id: id(c),
                    label: self.components[c].name.clone(),
                    pos: None,
                    rounded: false,
                });
                components.push(c);
            }
            for (w, &l) in f.nodes.windows(2).zip(&f.links) {
                let link = &self.links[l];
                let mut e = Edge::new(&id(w[0]), &id(w[1]), Some(format!("×{}", link.notes.len())));
                // Drawn the way the flow goes; a link drawn the other way keeps its heads.
                if link.both_ways {
                    e.head = Head::Both;
                } else if link.from != w[0] {
                    e.head = Head::None;
                    e.tail = Some(Head::Arrow);
                }
                g.edges.push(e);
                links.push(l);
            }
            ranges.push((n0..g.nodes.len(), e0..g.edges.len()));
        }
        Clustered {
            graph: g,
            components,
            links,
            ranges,
        }
    }

    /// The connected groups of components (either way along the links), largest first: what
    /// the whole map is drawn as, one cluster beside another.
    pub fn clusters(&self) -> Vec<Vec<usize>> {
        self.clusters_by(&self.adjacency(false))
    }

    /// [`ArchMap::clusters`] along `adj`, the links either way.
    fn clusters_by(&self, adj: &[Vec<(usize, usize)>]) -> Vec<Vec<usize>> {
        let mut seen = vec![false; self.components.len()];
        let mut out: Vec<Vec<usize>> = Vec::new();
        for start in 0..self.components.len() {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut group = vec![start];
            let mut i = 0;
            while i < group.len() {
                for &(n, _) in &adj[group[i]] {
                    if !seen[n] {
                        seen[n] = true;
                        group.push(n);
                    }
                }
                i += 1;
            }
            out.push(group);
        }
        out.sort_by_key(|g| std::cmp::Reverse(g.len()));
        out
    }

    /// The whole map as one graph of its clusters, one after another (each cluster's nodes
    /// and edges together, largest cluster first), with per node its component, per edge its
    /// link, and per cluster its nodes' and edges' ranges: what [`draw_packed`] draws.
    pub fn clustered(&self) -> Clustered {
        let mut nodes: Vec<usize> = Vec::new();
        let mut links: Vec<usize> = Vec::new();
        let mut ranges = Vec::new();
        // Per cluster, its components in each group: (title, components).
        let mut framed: Vec<Vec<(String, Vec<usize>)>> = Vec::new();
        let adj = self.adjacency(false);
        let clusters = self.clusters_by(&adj);
        // Each cluster's links, in one pass over the links (a link's ends share a cluster).
        let mut cluster_of = vec![0usize; self.components.len()];
        for (k, group) in clusters.iter().enumerate() {
            for &c in group {
                cluster_of[c] = k;
            }
        }
        let mut links_of: Vec<Vec<usize>> = vec![Vec::new(); clusters.len()];
        for (i, l) in self.links.iter().enumerate() {
            links_of[cluster_of[l.from]].push(i);
        }
        for (group, among) in clusters.into_iter().zip(links_of) {
            // Given to the layout from the hub outward (its first order follows the input's):
            // fewer crossings than the order of first sight (156 against 214 on the starter
            // vault's whole map, frames and all).
            let group = self.hub_order(&group, &adj);
            let (n0, l0) = (nodes.len(), links.len());
            links.extend(among);
            let mut frames: Vec<(String, Vec<usize>)> = Vec::new();
            for &c in &group {
                if let Some(title) = &self.components[c].group {
                    match frames.iter_mut().find(|(t, _)| t == title) {
                        Some((_, cs)) => cs.push(c),
                        None => frames.push((title.clone(), vec![c])),
                    }
                }
            }
            framed.push(frames);
            nodes.extend(group);
            ranges.push((n0..nodes.len(), l0..links.len()));
        }
        let mut graph = self.subgraph(&nodes, &links);
        // The groups as frames, one per group and cluster (its members are all in one
        // cluster, so the cluster's layout can frame them).
        for (k, frames) in framed.into_iter().enumerate() {
            for (i, (title, cs)) in frames.into_iter().enumerate() {
                graph.subgraphs.push(super::graph::Subgraph {
                    id: format!("group {k}.{i}"),
                    title,
                    nodes: cs.iter().map(|&c| self.graph.nodes[c].id.clone()).collect(),
                    subgraphs: Vec::new(),
                    direction: None,
                });
            }
        }
        Clustered {
            graph,
            components: nodes,
            links,
            ranges,
        }
    }

    /// `group`, a cluster (every neighbour along `adj` of a member is a member), in
    /// breadth-first order from its most linked component, the most linked neighbours first.
    fn hub_order(&self, group: &[usize], adj: &[Vec<(usize, usize)>]) -> Vec<usize> {
        let Some(&hub) = group
            .iter()
            .max_by_key(|&&c| (self.degrees[c], std::cmp::Reverse(c)))
        else {
            return Vec::new();
        };
        let mut seen: HashSet<usize> = HashSet::from([hub]);
        let mut out = vec![hub];
        let mut i = 0;
        while i < out.len() {
            let mut next: Vec<usize> = adj[out[i]]
                .iter()
                .map(|&(n, _)| n)
                .filter(|n| !seen.contains(n))
                .collect();
            next.sort_by_key(|&n| (std::cmp::Reverse(self.degrees[n]), n));
            for n in next {
                if seen.insert(n) {
                    out.push(n);
                }
            }
            i += 1;
        }
        out
    }
}

/// The whole map by clusters (see [`ArchMap::clustered`]).
#[derive(Debug, Clone)]
pub struct Clustered {
    pub graph: Graph,
    pub components: Vec<usize>,
    pub links: Vec<usize>,
    /// Per cluster, the range of its nodes and of its edges in `graph`.
    pub ranges: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
}

/// Columns and rows between two packed clusters.
const PACK_GAP: (usize, usize) = (3, 1);

/// Draws a clustered graph (see [`ArchMap::clustered`]) with each cluster laid out apart and
/// the clusters packed in rows no wider than `width` (a cluster wider than that gets a row of
/// its own): never one endless row of disjoint pictures.
pub fn draw_packed(
    g: &Graph,
    ranges: &[(std::ops::Range<usize>, std::ops::Range<usize>)],
    compact: bool,
    width: usize,
) -> super::Drawing {
    use super::frames::Frames;
    use super::layout::{Layout, NodeBox};
    let mut nodes: Vec<NodeBox> = vec![NodeBox::default(); g.nodes.len()];
    let mut routes = Vec::new();
    let mut groups = vec![None; g.subgraphs.len()];
    let mut framed = Frames::default();
    let mut crossings = 0;
    let (mut x, mut y, mut row_h, mut total_w) = (0usize, 0usize, 0usize, 0usize);
    for (nr, er) in ranges {
        let mut sub = Graph::new(Syntax::Mermaid);
        sub.direction = Some(Direction::LR);
        sub.nodes = g.nodes.get(nr.clone()).unwrap_or_default().to_vec();
        sub.edges = g.edges.get(er.clone()).unwrap_or_default().to_vec();
        // The cluster's groups: those whose members are its nodes.
        let ids: HashSet<&str> = sub.nodes.iter().map(|n| n.id.as_str()).collect();
        let mine: Vec<usize> = (0..g.subgraphs.len())
            .filter(|&s| {
                g.subgraphs[s]
                    .nodes
                    .first()
                    .is_some_and(|id| ids.contains(id.as_str()))
            })
            .collect();
        sub.subgraphs = mine.iter().map(|&s| g.subgraphs[s].clone()).collect();
        let (mut l, f) = lay_out_cluster(&sub, compact, width);
        if x > 0 && x + l.width > width {
            x = 0;
            y += row_h + PACK_GAP.1;
            row_h = 0;
        }
        for (i, b) in l.nodes.iter().enumerate() {
            if let Some(slot) = nodes.get_mut(nr.start + i) {
                *slot = NodeBox {
                    x: b.x + x,
                    y: b.y + y,
                    ..*b
                };
            }
        }
        for mut r in std::mem::take(&mut l.routes) {
            r.edge += er.start;
            for p in &mut r.points {
                *p = (p.0 + x, p.1 + y);
            }
            r.label = r.label.map(|(a, b)| (a + x, b + y));
            routes.push(r);
        }
        for (i, b) in l.groups.iter().enumerate() {
            if let (Some(&s), Some((x0, y0, x1, y1))) = (mine.get(i), b) {
                groups[s] = Some((x0 + x, y0 + y, x1 + x, y1 + y));
            }
        }
        for mut fr in f.frames {
            let Some(&s) = mine.get(fr.group) else {
                continue;
            };
            fr.group = s;
            fr.x += x;
            fr.y += y;
            framed.frames.push(fr);
        }
        framed.listed.extend(f.listed);
        framed
            .undrawn
            .extend(f.undrawn.into_iter().map(|e| e + er.start));
        crossings += l.crossings;
        total_w = total_w.max(x + l.width);
        row_h = row_h.max(l.height);
        x += l.width + PACK_GAP.0;
    }
    let layout = Layout {
        width: total_w,
        height: y + row_h,
        direction: Direction::LR,
        nodes,
        routes,
        crossings,
        compact,
        groups,
    };
    let canvas = super::canvas::draw_framed(g, &layout, &framed);
    super::Drawing { layout, canvas }
}

/// Columns an edge between two ranks of a left-to-right drawing takes, its `×N` with it.
const CHANNEL: usize = 8;
/// Labels are never cut shorter than this to make a view fit.
const MIN_LABEL: usize = 10;
/// Views of more nodes than this are not fitted (their drawing is big whatever the labels).
const FIT_UP_TO: usize = 60;

/// Cuts the labels of a focus or path view (each of `parts`, its nodes and edges, laid out
/// apart) with `…` to the longest width at which its drawing of one-line `[labels]` (left
/// to right, or top down when `turnable`) is estimated to fit `cols` columns, never shorter
/// than [`MIN_LABEL`] (when that does not fit either, the labels stay whole): so a small
/// view fits a narrow pane where it can. The full names stay in the map (the pane's
/// title says the chosen one's).
pub fn fit_labels(
    g: &mut Graph,
    parts: &[(std::ops::Range<usize>, std::ops::Range<usize>)],
    cols: usize,
    turnable: bool,
) {
    use unicode_width::UnicodeWidthStr;
    if g.nodes.is_empty() || g.nodes.len() > FIT_UP_TO || cols == 0 {
        return;
    }
    let whole = [(0..g.nodes.len(), 0..g.edges.len())];
    let parts = if parts.is_empty() { &whole[..] } else { parts };
    let ranks = lr_ranks(g);
    let widest = g.nodes.iter().map(|n| n.label.width()).max().unwrap_or(0);
    let estimate = |cap: usize| -> usize {
        parts
            .iter()
            .map(|(nr, _)| {
                // Left to right: the ranks side by side, each as wide as its widest label.
                // Top down: each rank's labels side by side, two columns apart.
                let mut widest_of: HashMap<usize, usize> = HashMap::new();
                let mut row_of: HashMap<usize, usize> = HashMap::new();
                for i in nr.clone() {
                    let w = g.nodes[i].label.width().min(cap) + 2;
                    let e = widest_of.entry(ranks[i]).or_default();
                    *e = (*e).max(w);
                    let r = row_of.entry(ranks[i]).or_default();
                    *r += w + if *r > 0 { 2 } else { 0 };
                }
                let across =
                    widest_of.values().sum::<usize>() + widest_of.len().saturating_sub(1) * CHANNEL;
                let down = row_of.values().copied().max().unwrap_or(0);
                if turnable { across.min(down) } else { across }
            })
            .max()
            .unwrap_or(0)
    };
    if estimate(widest) <= cols {
        return;
    }
    // Cut labels and still no fit would be the worst of both: whole labels, panned then.
    let Some(cap) = (MIN_LABEL..widest).rev().find(|&c| estimate(c) <= cols) else {
        return;
    };
    for n in &mut g.nodes {
        let one_line = n.label.replace('\n', " ");
        if one_line.width() > cap {
            n.label = crate::text::cut(&one_line, cap);
        }
    }
}

/// Each node's rank in a left-to-right layered drawing, estimated: the longest way to it
/// from a node nothing points at (edges closing a cycle set aside by the bound on rounds).
fn lr_ranks(g: &Graph) -> Vec<usize> {
    let index = g.node_index();
    let ends: Vec<(usize, usize)> = g
        .edges
        .iter()
        .filter_map(|e| Some((*index.get(e.from.as_str())?, *index.get(e.to.as_str())?)))
        .filter(|(a, b)| a != b)
        .collect();
    let mut rank = vec![0usize; g.nodes.len()];
    for _ in 0..g.nodes.len() {
        let mut changed = false;
        for &(a, b) in &ends {
            if rank[b] < rank[a] + 1 && rank[a] + 1 < g.nodes.len() {
                rank[b] = rank[a] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    rank
}

/// Clusters up to this many nodes are laid out both ways to keep the better.
const BOTH_WAYS_UP_TO: usize = 200;

/// One cluster of the whole map laid out and framed: left to right, or top down when that
/// crosses fewer edges (or as few, and fits `width` when the other does not, or is smaller).
fn lay_out_cluster(
    sub: &Graph,
    compact: bool,
    width: usize,
) -> (super::layout::Layout, super::frames::Frames) {
    let lay = |d: Direction| {
        let mut l = super::layout::layered(sub, d, compact);
        let f = super::frames::place(sub, &mut l);
        (l, f)
    };
    let across = lay(Direction::LR);
    // A chain reads best left to right.
    let chain = sub.edges.len() + 1 == sub.nodes.len() && {
        let mut degree = vec![0usize; sub.nodes.len()];
        let index = sub.node_index();
        for e in &sub.edges {
            for id in [&e.from, &e.to] {
                if let Some(&i) = index.get(id.as_str()) {
                    degree[i] += 1;
                }
            }
        }
        degree.iter().all(|&d| d <= 2)
    };
    if chain || sub.nodes.len() < 3 || sub.nodes.len() > BOTH_WAYS_UP_TO {
        return across;
    }
    let down = lay(Direction::TB);
    let score = |l: &super::layout::Layout| {
        (
            l.crossings,
            l.width > width.max(1),
            l.width.saturating_mul(l.height),
        )
    };
    if score(&down.0) < score(&across.0) {
        down
    } else {
        across
    }
}

/// Per node id of `d`, the title of the outermost group (subgraph, frame) holding it.
fn outermost_groups(d: &Graph) -> HashMap<&str, String> {
    let mut out = HashMap::new();
    if d.subgraphs.is_empty() {
        return out;
    }
    let groups = d.groups();
    for i in 0..groups.len() {
        // Up to the outermost (a cycle of nesting is cut after as many steps as groups).
        let mut top = i;
        for _ in 0..groups.len() {
            match groups[top].parent {
                Some(p) => top = p,
                None => break,
            }
        }
        let title = super::frames::title(d, top);
        for m in &d.subgraphs[i].nodes {
            out.insert(m.as_str(), title.clone());
        }
    }
    out
}

/// The notes of a vault by the key of each of their names (title, file name, aliases).
pub struct Names(HashMap<String, Vec<NoteId>>);

impl Names {
    /// Every note's names, keyed (one pass over the vault).
    pub fn of(vault: &Vault) -> Names {
        let mut out: HashMap<String, Vec<NoteId>> = HashMap::new();
        for (id, n) in vault.notes.iter().enumerate() {
            let names = std::iter::once(n.title.as_str())
                .chain(std::iter::once(n.stem.as_str()))
                .chain(n.aliases.iter().map(String::as_str));
            for name in names {
                let key = component_key(name);
                if key.is_empty() {
                    continue;
                }
                let ids = out.entry(key).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        Names(out)
    }

    /// For the label keys drawn, the notes each names.
    pub fn among(&self, keys: &HashSet<String>) -> HashMap<String, Vec<NoteId>> {
        keys.iter()
            .filter_map(|k| Some((k.clone(), self.0.get(k)?.clone())))
            .collect()
    }

    /// The notes one key names.
    pub fn of_key(&self, key: &str) -> &[NoteId] {
        self.0.get(key).map_or(&[], Vec::as_slice)
    }
}

/// The architecture map of diagrams alone (no note names them): components are labels equal
/// after [`component_key`]. Returns the merged graph and, per node, the notes drawing it.
pub fn merge(diagrams: &[(NoteId, Graph)]) -> (Graph, Vec<Vec<NoteId>>) {
    let map = ArchMap::merge(diagrams, |_| HashMap::new());
    (map.graph, map.notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_keys_merge_case_spacing_punctuation_and_plurals() {
        let same = [
            ("Interface Endpoint ENIs", "Interface Endpoint ENI"),
            ("VPC Endpoint", "vpc-endpoint"),
            ("VPC  Endpoint", "vpc_endpoint"),
            ("Security Groups", "security group"),
            ("Route Tables", "Route Table"),
            ("sagemaker.api", "SageMaker API"),
            ("Site-to-Site VPN", "site to site vpn"),
            ("Endpoint Policies", "Endpoint Policy"),
            ("CloudWatch Logs", "cloudwatch log"),
            ("보안 그룹", "보안  그룹"),
            ("NAT Gateway(s)", "nat gateway s"),
            ("VPCs", "VPC"),
            ("Analysis", "analysis"),
        ];
        for (a, b) in same {
            assert_eq!(component_key(a), component_key(b), "{a} = {b}");
        }
        let apart = [
            ("S3", "S3 Gateway Endpoint"),
            ("VPC Endpoint", "Interface Endpoint"),
            ("Access", "Acces"),
            ("DNS", "DN"),
            ("Status", "Statu"),
            ("Private Subnet", "Public Subnet"),
            ("NAT Gateway", "Internet Gateway"),
        ];
        for (a, b) in apart {
            assert_ne!(component_key(a), component_key(b), "{a} ≠ {b}");
        }
        assert_eq!(component_key("  --  "), "");
        assert_eq!(component_key("Policies"), "policy");
        assert_eq!(component_key("Boxes"), "box");
    }

    fn chain(text: &str) -> Graph {
        crate::diagram::chain::parse(text).unwrap()
    }

    /// A map of chains, one note each, where `names` says which keys name which notes.
    fn map_of(chains: &[&str], names: &[(&str, NoteId)]) -> ArchMap {
        let diagrams: Vec<(NoteId, Graph)> = chains
            .iter()
            .enumerate()
            .map(|(i, c)| (i, chain(c)))
            .collect();
        let names: HashMap<String, Vec<NoteId>> =
            names.iter().fold(HashMap::new(), |mut m, (k, n)| {
                m.entry(component_key(k)).or_default().push(*n);
                m
            });
        ArchMap::merge(&diagrams, |keys| {
            names
                .into_iter()
                .filter(|(k, _)| keys.contains(k))
                .collect()
        })
    }

    fn id(map: &ArchMap, name: &str) -> usize {
        map.find(name, &[])
            .unwrap_or_else(|| panic!("no component {name}"))
    }

    #[test]
    fn labels_naming_one_note_are_one_component_and_others_stay_apart() {
        // Note 9 is about the VPC endpoint, by two names; note 8 about S3.
        let map = map_of(
            &[
                "Notebook -> VPC 엔드포인트 -> S3",
                "Notebook -> VPC Endpoint -> S3 Gateway Endpoint -> S3",
                "Notebooks -> Interface Endpoint ENIs",
            ],
            &[("VPC 엔드포인트", 9), ("VPC Endpoint", 9), ("S3", 8)],
        );
        let names: Vec<&str> = map.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Notebook",
                "VPC 엔드포인트",
                "S3",
                "S3 Gateway Endpoint",
                "Interface Endpoint ENIs"
            ]
        );
        let vpce = &map.components[id(&map, "VPC Endpoint")];
        assert_eq!(vpce.labels, ["VPC 엔드포인트", "VPC Endpoint"]);
        assert_eq!(vpce.defining, [9]);
        assert_eq!(vpce.drawing, [0, 1]);
        let s3 = &map.components[id(&map, "S3")];
        assert_eq!(
            (s3.defining.as_slice(), s3.drawing.as_slice()),
            (&[8][..], &[0, 1][..])
        );
        assert_ne!(id(&map, "S3"), id(&map, "S3 Gateway Endpoint"));
        // Plural and singular labels are one, and drawn by all three notes.
        assert_eq!(map.components[id(&map, "Notebook")].drawing, [0, 1, 2]);
        // The link Notebook → VPC endpoint is drawn by two notes, at their diagrams' lines.
        let l = map
            .links
            .iter()
            .find(|l| l.from == id(&map, "Notebook") && l.to == id(&map, "VPC Endpoint"))
            .unwrap();
        assert_eq!(l.notes, [(0, 0), (1, 0)]);
        assert_eq!(map.degree(id(&map, "VPC Endpoint")), 3);
        assert_eq!(map.sources, 3);
        // Ranked: most drawing notes, then most links.
        let ranked: Vec<&str> = map
            .ranked
            .iter()
            .map(|&c| map.components[c].name.as_str())
            .collect();
        assert_eq!(ranked[0], "Notebook");
        assert_eq!(ranked[1], "VPC 엔드포인트");
        // The filter takes 초성 and a syllable being typed, as the search does.
        let vpce = id(&map, "VPC Endpoint");
        for query in ["ㅇㄷㅍㅇㅌ", "vpc 엔ㄷ", "엔드포이", "엔드포ㅇ", "ENDPOINT"] {
            assert!(map.matching(query).contains(&vpce), "{query}");
        }
        assert!(map.matching("ㅂㅇㄱㄹ").is_empty());
        assert_eq!(map.matching("ㄴㅌ"), Vec::<usize>::new());
    }

    #[test]
    fn a_note_naming_two_labels_joins_them_but_a_shared_word_does_not() {
        let map = map_of(
            &["A -> NAT Gateway -> Internet", "B -> natgw", "C -> NAT"],
            &[("NAT Gateway", 5), ("natgw", 5)],
        );
        assert_eq!(id(&map, "natgw"), id(&map, "NAT Gateway"));
        assert_ne!(id(&map, "NAT"), id(&map, "NAT Gateway"));
        assert_eq!(
            map.components[id(&map, "NAT Gateway")].labels,
            ["NAT Gateway", "natgw"]
        );
    }

    #[test]
    fn focus_rings_by_depth() {
        let map = map_of(
            &[
                "A -> B -> C -> D",
                "E -> B",
                "B -> F",
                "C -> F", // a link inside ring 1 and 2 only
            ],
            &[],
        );
        let name = |c: usize| map.components[c].name.as_str();
        let f1 = map.focus(id(&map, "B"), 1);
        let ring1: Vec<(&str, usize)> = f1.nodes.iter().map(|&(c, d)| (name(c), d)).collect();
        assert_eq!(ring1, [("B", 0), ("A", 1), ("C", 1), ("E", 1), ("F", 1)]);
        // A star: only the links to the centre (C -> F joins two of ring 1).
        assert_eq!(f1.links.len(), 4);
        assert!(
            f1.links
                .iter()
                .all(|&l| map.links[l].from == f1.centre || map.links[l].to == f1.centre)
        );
        let f2 = map.focus(id(&map, "B"), 2);
        assert_eq!(f2.nodes.last().map(|&(c, d)| (name(c), d)), Some(("D", 2)));
        assert_eq!(f2.links.len(), 5);
        // Depth 0 means 1; a lone node is its own focus.
        assert_eq!(map.focus(id(&map, "B"), 0), f1);
        let g = map.focus_graph(&f1);
        assert_eq!(g.nodes.len(), 5);
        assert!(g.edges.iter().all(|e| e.label.as_deref() == Some("×1")));
    }

    #[test]
    fn flows_are_the_shortest_ways_and_a_little_longer_each_through_other_components() {
        let map = map_of(
            &[
                "Notebook -> Subnet -> S3 Gateway Endpoint -> S3",
                "Notebook -> Subnet -> NAT -> IGW -> S3",
                "Notebook -> Subnet -> S3 Gateway Endpoint",
                "Notebook -> TGW -> Shared VPC -> Interface -> Other -> Far -> S3",
                "S3 -> Back",
            ],
            &[],
        );
        let (nb, s3) = (id(&map, "Notebook"), id(&map, "S3"));
        let flows = map.flows(nb, s3);
        assert!(flows.directed);
        let names: Vec<Vec<&str>> = flows
            .flows
            .iter()
            .map(|f| {
                f.nodes
                    .iter()
                    .map(|&c| map.components[c].name.as_str())
                    .collect()
            })
            .collect();
        // The shortest (3 links), one longer (4); the 6-link way is past the slack.
        assert_eq!(
            names,
            [
                vec!["Notebook", "Subnet", "S3 Gateway Endpoint", "S3"],
                vec!["Notebook", "Subnet", "NAT", "IGW", "S3"],
            ]
        );
        // Each flow's notes, those drawing most of its links first.
        assert_eq!(flows.flows[0].notes, [0, 2, 1]);
        assert_eq!(flows.flows[1].notes, [1, 0, 2]);
        // Against the arrows there is no directed way: the undirected ones are given.
        let back = map.flows(id(&map, "Back"), nb);
        assert!(!back.directed);
        assert_eq!(back.flows[0].nodes.len(), 5);
        assert!(map.flows(nb, nb).flows.is_empty());
        // A component with no link at all: no flow.
        let lone = map_of(&["A -> B", "C -> C"], &[]);
        assert!(lone.flows(id(&lone, "A"), id(&lone, "C")).flows.is_empty());
    }

    #[test]
    fn clusters_are_the_connected_groups_largest_first() {
        let map = map_of(&["A -> B", "C -> D -> E", "F -> F"], &[]);
        let sizes: Vec<usize> = map.clusters().iter().map(Vec::len).collect();
        assert_eq!(sizes, [3, 2, 1]);
    }

    #[test]
    fn a_large_set_hands_out_the_map_of_what_is_read_so_far() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..CHUNK + 10 {
            let body = format!("```\nNotebook -> Endpoint {}\n```\n", i % 7);
            std::fs::write(dir.path().join(format!("n{i:05}.md")), body).unwrap();
        }
        let vault = Vault::load(dir.path()).unwrap();
        let all: Vec<NoteId> = (0..vault.notes.len()).collect();
        let mut partials = Vec::new();
        let (map, _) = ArchMap::build_with(&vault, &all, std::time::Duration::ZERO, |m, read| {
            partials.push((m.sources, m.components.len(), read))
        });
        // A partial after the first chunk (later ones a second apart, however slow the
        // machine), each of more notes, none of them all; then the whole.
        assert_eq!(partials[0], (FIRST_CHUNK, 8, FIRST_CHUNK));
        assert!(partials.windows(2).all(|w| w[0].2 < w[1].2), "{partials:?}");
        assert!(partials.iter().all(|p| p.0 == p.2 && p.2 < CHUNK + 10));
        assert_eq!((map.sources, map.components.len()), (CHUNK + 10, 8));
        // Given a moment to pass first, a set read sooner hands out nothing.
        let mut none = 0;
        ArchMap::build_with(&vault, &all[..10], std::time::Duration::ZERO, |_, _| {
            none += 1
        });
        assert_eq!(none, 0);
    }

    #[test]
    fn components_named_alike_are_one_node_knowing_its_notes() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &str| std::fs::write(dir.path().join(name), body).unwrap();
        write("a.md", "```\n[VPC Endpoint] -> [S3]\n```\n");
        write(
            "b.md",
            "```mermaid\ngraph LR\nx[vpc-endpoint] --> y[보안 그룹]\n```\n",
        );
        write(
            "c.md",
            "---\naliases: [보안 그룹, SG]\n---\nno diagram here\n",
        );
        write("d.md", "```\nSG -> S3\n```\n");
        let vault = Vault::load(dir.path()).unwrap();
        let all: Vec<NoteId> = (0..vault.notes.len()).collect();
        let (map, unreadable) = ArchMap::build(&vault, &all);
        assert!(unreadable.is_empty());
        assert_eq!(map.sources, 3);
        let labels: Vec<&str> = map.graph.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["VPC Endpoint", "S3", "보안 그룹"]);
        assert_eq!(map.notes, [vec![0, 1], vec![0, 3], vec![1, 3]]);
        // c.md names 보안 그룹 and SG: one component, defined by it.
        assert_eq!(map.components[2].labels, ["보안 그룹", "SG"]);
        assert_eq!(map.components[2].defining, [2]);
        assert_eq!(map.graph.edges.len(), 3);
        // Only the notes asked for.
        let (just_a, _) = ArchMap::build(&vault, &[0]);
        assert_eq!(just_a.graph.nodes.len(), 2);
    }
}
