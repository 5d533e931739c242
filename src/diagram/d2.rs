//! d2 blocks (a fence tagged `d2`): shapes by key, connections `a -> b`, `a <- b`, `a <-> b`,
//! `a -- b` and chains `a -> b -> c` with `: label`, containers written as maps
//! (`vpc: { subnet: { ec2 } }`) or as paths (`vpc.subnet.ec2`), quoted keys, `# comments`,
//! `x: Label` and `label:` keys renaming a shape, `direction:` kept, every other reserved key
//! (`shape`, `style`, `icon`, …) ignored. A shape with children is a subgraph (id: its path
//! joined with `.`); a connection to it ends on it. Recovery is per statement.

use std::collections::HashMap;

use super::clean_label;
use super::graph::{Diagnostic, Direction, Edge, Graph, Head, Subgraph, Syntax};

/// Maps nested deeper than this are skipped (a picture, not a data structure).
const MAX_DEPTH: usize = 32;
/// Diagnostics kept per block.
const MAX_DIAGNOSTICS: usize = 100;

/// The keys d2 reserves: not shapes.
const RESERVED: &[&str] = &[
    "label",
    "shape",
    "icon",
    "style",
    "near",
    "width",
    "height",
    "direction",
    "tooltip",
    "link",
    "class",
    "classes",
    "vars",
    "constraint",
    "grid-rows",
    "grid-columns",
    "grid-gap",
    "vertical-gap",
    "horizontal-gap",
    "source-arrowhead",
    "target-arrowhead",
    "top",
    "left",
    "layers",
    "scenarios",
    "steps",
    "filled",
];

/// A shape or container met in the block.
struct Obj {
    path: Vec<String>,
    label: Option<String>,
    children: Vec<usize>,
    direction: Option<Direction>,
}

/// A connection: (from path, to path, head, label).
type Conn = (Vec<String>, Vec<String>, Head, Option<String>);

struct Parser {
    chars: Vec<char>,
    pos: usize,
    objs: Vec<Obj>,
    index: HashMap<Vec<String>, usize>,
    conns: Vec<Conn>,
    diagnostics: Vec<Diagnostic>,
    direction: Option<Direction>,
}

/// Parses a d2 block.
pub fn parse(text: &str) -> Graph {
    let text: String = text
        .lines()
        .take(super::MAX_LINES)
        .collect::<Vec<_>>()
        .join("\n");
    let mut p = Parser {
        chars: text.chars().collect(),
        pos: 0,
        objs: Vec::new(),
        index: HashMap::new(),
        conns: Vec::new(),
        diagnostics: Vec::new(),
        direction: None,
    };
    p.map(&[], 0);
    p.graph()
}

fn direction(word: &str) -> Option<Direction> {
    match word {
        "right" => Some(Direction::LR),
        "left" => Some(Direction::RL),
        "down" => Some(Direction::TB),
        "up" => Some(Direction::BT),
        _ => None,
    }
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos + k).copied()
    }

    fn skip_inline_ws(&mut self) {
        while self.peek().is_some_and(|c| c != '\n' && c.is_whitespace()) {
            self.pos += 1;
        }
    }

    /// To the end of the line (the newline left for the map loop).
    fn skip_line(&mut self) {
        while self.peek().is_some_and(|c| c != '\n') {
            self.pos += 1;
        }
    }

    fn say(&mut self, message: String) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            let line = self.chars[..self.pos.min(self.chars.len())]
                .iter()
                .filter(|&&c| c == '\n')
                .count();
            self.diagnostics.push(Diagnostic { line, message });
        }
    }

    /// Whether a connection starts here: `->`, `<-`, `<->`, `--` (longer runs of `-` too).
    fn arrow_len(&self) -> Option<(usize, Head, bool)> {
        let mut k = 0;
        let lt = self.peek() == Some('<');
        if lt {
            k += 1;
        }
        let dashes = {
            let mut d = 0;
            while self.peek_at(k + d) == Some('-') {
                d += 1;
            }
            d
        };
        if dashes == 0 {
            return None;
        }
        k += dashes;
        let gt = self.peek_at(k) == Some('>');
        if gt {
            k += 1;
        }
        match (lt, gt) {
            (true, true) => Some((k, Head::Both, false)),
            (false, true) => Some((k, Head::Arrow, false)),
            (true, false) => Some((k, Head::Arrow, true)),
            (false, false) => (dashes >= 2).then_some((k, Head::None, false)),
        }
    }

    /// A quoted string (`"…"` or `'…'`, `\` escaping the next character), the cursor on
    /// its opening quote.
    fn quoted(&mut self) -> Option<String> {
        let q = self.peek()?;
        self.pos += 1;
        let mut s = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                '\\' => {
                    if let Some(n) = self.peek() {
                        s.push(n);
                        self.pos += 1;
                    }
                }
                c if c == q => return Some(s),
                '\n' => return None,
                c => s.push(c),
            }
        }
        None
    }

    /// A key path: parts split at `.`, each quoted or bare (bare keys may hold spaces).
    fn key_path(&mut self) -> Result<Vec<String>, String> {
        let mut parts = Vec::new();
        loop {
            self.skip_inline_ws();
            let part = match self.peek() {
                Some('"' | '\'') => self
                    .quoted()
                    .ok_or_else(|| "unclosed quote in a key".to_owned())?,
                _ => {
                    let start = self.pos;
                    while let Some(c) = self.peek() {
                        let stop = matches!(c, '\n' | ';' | ':' | '{' | '}' | '.' | '"' | '\'')
                            || (c == '#' && self.pos > start)
                            || (c == '-' && matches!(self.peek_at(1), Some('-' | '>')))
                            || (c == '<' && self.peek_at(1) == Some('-'));
                        if stop {
                            break;
                        }
                        self.pos += 1;
                    }
                    self.chars[start..self.pos].iter().collect()
                }
            };
            let part = clean_label(&part, false);
            if part.is_empty() {
                return Err(format!("expected a key at {:?}", self.here()));
            }
            parts.push(part);
            if parts.len() > MAX_DEPTH {
                return Err("a key path nested too deep".to_owned());
            }
            self.skip_inline_ws();
            if self.peek() == Some('.') {
                self.pos += 1;
            } else {
                return Ok(parts);
            }
        }
    }

    fn here(&self) -> String {
        self.chars[self.pos.min(self.chars.len())..]
            .iter()
            .take_while(|&&c| c != '\n')
            .take(12)
            .collect()
    }

    /// The value after `:` up to the line's end, `;`, a brace or a comment; a block string
    /// (`|md … |`) is skipped and gives none.
    fn value(&mut self) -> Option<String> {
        self.skip_inline_ws();
        match self.peek() {
            Some('"' | '\'') => self.quoted().map(|s| clean_label(&s, true)),
            Some('|') => {
                let mut n = 0;
                while self.peek() == Some('|') {
                    n += 1;
                    self.pos += 1;
                }
                // Up to the same run of pipes.
                while self.pos < self.chars.len() {
                    if (0..n).all(|k| self.peek_at(k) == Some('|')) {
                        self.pos += n;
                        break;
                    }
                    self.pos += 1;
                }
                None
            }
            _ => {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if matches!(c, '\n' | ';' | '{' | '}')
                        || (c == '#' && self.chars[self.pos - 1].is_whitespace())
                    {
                        break;
                    }
                    self.pos += 1;
                }
                let v: String = self.chars[start..self.pos].iter().collect();
                let v = clean_label(&v, true);
                (!v.is_empty()).then_some(v)
            }
        }
    }

    /// Past a map's closing brace (the cursor just inside it), ignoring what it holds.
    fn skip_map(&mut self) {
        let mut depth = 1usize;
        while let Some(c) = self.peek() {
            match c {
                '"' | '\'' => {
                    // Braces inside a string are text (an unclosed one ends at its line).
                    self.quoted();
                    continue;
                }
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// The statements of a map, up to its `}` (or the end at the top).
    fn map(&mut self, scope: &[String], depth: usize) {
        loop {
            while self.peek().is_some_and(|c| c.is_whitespace() || c == ';') {
                self.pos += 1;
            }
            match self.peek() {
                None => return,
                Some('#') => self.skip_line(),
                Some('}') => {
                    self.pos += 1;
                    if depth > 0 {
                        return;
                    }
                    self.say("`}` without a map".to_owned());
                }
                // `(a -> b)[0].style…`, `...@import`, globs: styling and imports, not shapes.
                Some('(' | '*') => self.skip_line(),
                Some('.') if self.peek_at(1) == Some('.') => self.skip_line(),
                Some(_) => {
                    let start = self.pos;
                    if let Err(m) = self.statement(scope, depth) {
                        self.say(m);
                        self.skip_line();
                    }
                    if self.pos == start {
                        self.pos += 1;
                    }
                }
            }
        }
    }

    /// One statement: a shape (with a label, a map, or both) or a chain of connections.
    fn statement(&mut self, scope: &[String], depth: usize) -> Result<(), String> {
        let mut ends = vec![self.key_path()?];
        let mut heads = Vec::new();
        loop {
            self.skip_inline_ws();
            let Some((len, head, reversed)) = self.arrow_len() else {
                break;
            };
            self.pos += len;
            heads.push((head, reversed));
            ends.push(self.key_path()?);
        }
        self.skip_inline_ws();
        let mut value = None;
        if self.peek() == Some(':') {
            self.pos += 1;
            self.skip_inline_ws();
            if self.peek() != Some('{') {
                value = self.value();
            }
        }
        self.skip_inline_ws();
        let has_map = self.peek() == Some('{');
        if has_map {
            self.pos += 1;
        }
        let reserved = |p: &[String]| p.iter().any(|k| RESERVED.contains(&k.as_str()));
        if heads.is_empty() {
            let key = &ends[0];
            if reserved(key) {
                self.reserved(scope, key, value);
                if has_map {
                    self.skip_map();
                }
            } else {
                let path: Vec<String> = scope.iter().chain(key).cloned().collect();
                if let Some(i) = self.object(&path)
                    && value.is_some()
                {
                    self.objs[i].label = value;
                }
                if has_map {
                    if depth < MAX_DEPTH && self.index.contains_key(&path) {
                        self.map(&path, depth + 1);
                    } else {
                        self.skip_map();
                    }
                }
            }
        } else {
            // A connection's map holds its style; it is not read.
            if has_map {
                self.skip_map();
            }
            if ends.iter().any(|e| reserved(e)) {
                return Ok(());
            }
            let paths: Vec<Vec<String>> = ends
                .iter()
                .map(|e| scope.iter().chain(e).cloned().collect())
                .collect();
            if paths.iter().all(|p| self.object(p).is_some()) {
                for (k, &(head, reversed)) in heads.iter().enumerate() {
                    let (a, b) = (paths[k].clone(), paths[k + 1].clone());
                    let (a, b) = if reversed { (b, a) } else { (a, b) };
                    self.conns.push((a, b, head, value.clone()));
                }
            }
        }
        self.skip_inline_ws();
        match self.peek() {
            None | Some('\n' | ';' | '}' | '#') => Ok(()),
            _ => Err(format!("unexpected {:?}", self.here())),
        }
    }

    /// A reserved key: `label` renames its shape, `direction` is kept, the rest ignored.
    fn reserved(&mut self, scope: &[String], key: &[String], value: Option<String>) {
        let Some((last, owner)) = key.split_last() else {
            return;
        };
        if owner.iter().any(|k| RESERVED.contains(&k.as_str())) {
            return;
        }
        let path: Vec<String> = scope.iter().chain(owner).cloned().collect();
        match last.as_str() {
            "label" if !path.is_empty() => {
                if let Some(i) = self.object(&path) {
                    self.objs[i].label = value;
                }
            }
            "direction" => {
                let dir = value.as_deref().and_then(direction);
                if path.is_empty() {
                    self.direction = dir.or(self.direction);
                } else if let Some(i) = self.object(&path) {
                    self.objs[i].direction = dir;
                }
            }
            _ => {}
        }
    }

    /// The shape at `path`, made (with its parents) when new; `None` past the node limit.
    fn object(&mut self, path: &[String]) -> Option<usize> {
        if let Some(&i) = self.index.get(path) {
            return Some(i);
        }
        let parent = match path.split_last() {
            Some((_, p)) if !p.is_empty() => Some(self.object(p)?),
            _ => None,
        };
        if self.objs.len() >= super::MAX_NODES {
            return None;
        }
        let i = self.objs.len();
        self.objs.push(Obj {
            path: path.to_vec(),
            label: None,
            children: Vec::new(),
            direction: None,
        });
        self.index.insert(path.to_vec(), i);
        if let Some(p) = parent {
            self.objs[p].children.push(i);
        }
        Some(i)
    }

    /// The shapes as nodes and subgraphs, the connections as edges.
    fn graph(self) -> Graph {
        let mut g = Graph::new(Syntax::D2);
        g.direction = Some(self.direction.unwrap_or(Direction::TB));
        g.diagnostics = self.diagnostics;
        let id = |o: &Obj| o.path.join(".");
        // A map of only reserved keys (`x: { shape: circle }`) leaves a shape a shape.
        let container = |o: &Obj| !o.children.is_empty();
        for o in &self.objs {
            let name = o.path.last().cloned().unwrap_or_default();
            let label = o.label.clone().unwrap_or(name);
            if container(o) {
                let (subs, nodes): (Vec<usize>, Vec<usize>) =
                    o.children.iter().partition(|&&c| container(&self.objs[c]));
                g.subgraphs.push(Subgraph {
                    id: id(o),
                    title: label,
                    nodes: nodes.iter().map(|&c| id(&self.objs[c])).collect(),
                    subgraphs: subs.iter().map(|&c| id(&self.objs[c])).collect(),
                    direction: o.direction,
                });
            } else {
                g.add_node(&id(o), Some(&label));
            }
        }
        for (a, b, head, label) in self.conns {
            let (Some(&a), Some(&b)) = (self.index.get(&a), self.index.get(&b)) else {
                continue;
            };
            let mut e = Edge::new(&id(&self.objs[a]), &id(&self.objs[b]), label);
            e.head = head;
            g.push_edge(e);
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(g: &Graph) -> Vec<String> {
        g.edges
            .iter()
            .map(|e| {
                let l = e
                    .label
                    .as_deref()
                    .map(|l| format!(":{l}"))
                    .unwrap_or_default();
                format!("{}>{}{l} {:?}", e.from, e.to, e.head)
            })
            .collect()
    }

    #[test]
    fn arrows_chains_and_labels() {
        let g = parse("a -> b: 요청\nc <- d\ne <-> f\ng -- h\nx -> y -> z: hop\n");
        assert_eq!(
            edges(&g),
            [
                "a>b:요청 Arrow",
                "d>c Arrow",
                "e>f Both",
                "g>h None",
                "x>y:hop Arrow",
                "y>z:hop Arrow"
            ]
        );
        assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    }

    #[test]
    fn keys_with_spaces_dashes_and_quotes() {
        let g = parse("api-server -> my db\n\"a.b\" -> 'c d'\nweb: 웹 서버 # comment\n");
        let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["api-server", "my db", "a.b", "c d", "web"]);
        assert_eq!(g.nodes[4].label, "웹 서버");
    }

    #[test]
    fn unclosed_and_stray_parts_are_told_not_fatal() {
        let g = parse("a -> \"b\n}\nc -> d\nx: {\n y");
        assert!(edges(&g).contains(&"c>d Arrow".to_owned()));
        assert!(!g.diagnostics.is_empty());
        // An unclosed map still keeps what it holds.
        assert_eq!(g.subgraphs[0].nodes, ["x.y"]);
    }
}
