//! d2 blocks (a fence tagged `d2`): shapes by key, connections `a -> b`, `a <- b`, `a <-> b`,
//! `a -- b` and chains `a -> b -> c` with `: label`, containers written as maps
//! (`vpc: { subnet: { ec2 } }`) or as paths (`vpc.subnet.ec2`), quoted keys, `# comments`,
//! `x: Label` and `label:` keys renaming a shape, `direction:` kept. A shape with children is
//! a subgraph (id: its path joined with `.`); a connection to it ends on it.
//!
//! A connection's map and references to it (`(a -> b)[0].style.stroke-dash: 3`, `[*]` for
//! all) set its attributes: `style.stroke-dash` makes it dotted, a `style.stroke-width` of 3
//! or more thick, `source-arrowhead` / `target-arrowhead` `shape` its heads (`circle`, `cross`,
//! `diamond` (filled with `style.filled: true`), crow's feet `cf-one` / `cf-many` as such,
//! `none` none, any other an arrow; only on an end its arrow has, as d2 does), a
//! `label` its label; the rest (`style.animated`, colours, arrowhead labels) is ignored.
//! `sql_table` and `class` shapes are one shape (their fields are no shapes; a connection to
//! a field ends on the table); a `sequence_diagram` is one shape too, and says its messages
//! are not drawn; a block that is nothing but sequence diagrams is not drawn (its source is
//! shown). Every other reserved key (`style`, `icon`, …) is ignored. Recovery is per
//! statement.

use std::collections::HashMap;

use super::clean_label;
use super::graph::{Diagnostic, Direction, Edge, EdgeStyle, Graph, Head, Subgraph, Syntax};

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
    /// Its `shape`, and the line that set it.
    shape: Option<(String, usize)>,
}

/// Shapes whose children are not shapes of the diagram: drawn as one shape.
const OPAQUE: &[&str] = &["sequence_diagram", "sql_table", "class"];

/// A connection as written: `src` left of the operator, `dst` right of it, and which of
/// them the operator gives an arrow.
#[derive(Debug, Clone, Default)]
struct Conn {
    src: Vec<String>,
    dst: Vec<String>,
    src_arrow: bool,
    dst_arrow: bool,
    label: Option<String>,
    /// `source-arrowhead.shape`, `target-arrowhead.shape`.
    src_shape: Option<String>,
    dst_shape: Option<String>,
    /// `source-arrowhead.style.filled`, `target-arrowhead.style.filled` (a diamond's).
    src_filled: bool,
    dst_filled: bool,
    /// `style.stroke-dash`, `style.stroke-width`.
    dash: Option<f64>,
    width: Option<f64>,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    objs: Vec<Obj>,
    index: HashMap<Vec<String>, usize>,
    conns: Vec<Conn>,
    diagnostics: Vec<Diagnostic>,
    direction: Option<Direction>,
    /// The block's own `shape` (`shape: sequence_diagram` at the top).
    shape: Option<String>,
}

/// Parses a d2 block.
pub fn parse(text: &str) -> Graph {
    let text: String = text
        .lines()
        .take(super::MAX_LINES)
        .collect::<Vec<_>>()
        .join("\n");
    let mut p = Parser::new(&text);
    p.map(&[], 0);
    p.graph(&text)
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
    fn new(text: &str) -> Parser {
        Parser {
            chars: text.chars().collect(),
            pos: 0,
            objs: Vec::new(),
            index: HashMap::new(),
            conns: Vec::new(),
            diagnostics: Vec::new(),
            direction: None,
            shape: None,
        }
    }

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

    /// Whether a connection starts here: `->`, `<-`, `<->`, `--` (longer runs of `-` too):
    /// its length, and whether it has an arrow at its left and at its right end.
    fn arrow_len(&self) -> Option<(usize, bool, bool)> {
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
        (lt || gt || dashes >= 2).then_some((k, lt, gt))
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

    /// The first character of a map's next statement (or its `}`), the blanks, `;`s and `#`
    /// comment lines before it skipped; `None` at the end of the text.
    fn next_in_map(&mut self) -> Option<char> {
        loop {
            while self.peek().is_some_and(|c| c.is_whitespace() || c == ';') {
                self.pos += 1;
            }
            if self.peek() != Some('#') {
                return self.peek();
            }
            self.skip_line();
        }
    }

    /// The statements of a map, up to its `}` (or the end at the top).
    fn map(&mut self, scope: &[String], depth: usize) {
        loop {
            match self.next_in_map() {
                None => return,
                Some('}') => {
                    self.pos += 1;
                    if depth > 0 {
                        return;
                    }
                    self.say("`}` without a map".to_owned());
                }
                // `(a -> b)[0].style…`: a connection's attributes, no shapes.
                Some('(') => {
                    if let Err(m) = self.edge_ref(scope) {
                        self.say(m);
                        self.skip_statement();
                    }
                }
                // `...@import`, globs: imports and styling, not shapes.
                Some('*') => self.skip_line(),
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
            let Some((len, left, right)) = self.arrow_len() else {
                break;
            };
            self.pos += len;
            heads.push((left, right));
            ends.push(self.key_path()?);
        }
        let value = self.colon_value();
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
            if ends.iter().any(|e| reserved(e)) {
                if has_map {
                    self.skip_map();
                }
                return Ok(());
            }
            let paths: Vec<Vec<String>> = ends
                .iter()
                .map(|e| scope.iter().chain(e).cloned().collect())
                .collect();
            let mut made = Vec::new();
            if paths.iter().all(|p| self.object(p).is_some()) {
                for (k, &(left, right)) in heads.iter().enumerate() {
                    made.push(self.conns.len());
                    self.conns.push(Conn {
                        src: paths[k].clone(),
                        dst: paths[k + 1].clone(),
                        src_arrow: left,
                        dst_arrow: right,
                        label: value.clone(),
                        ..Conn::default()
                    });
                }
            }
            // A connection's map holds its attributes (for each link of a chain).
            if has_map {
                self.edge_map(&made, &[], depth);
            }
        }
        self.skip_inline_ws();
        match self.peek() {
            None | Some('\n' | ';' | '}' | '#') => Ok(()),
            _ => Err(format!("unexpected {:?}", self.here())),
        }
    }

    /// Past the rest of a statement that could not be read: its line, and a map it opens.
    fn skip_statement(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                '\n' => return,
                '"' | '\'' => {
                    self.quoted();
                    continue;
                }
                '{' => {
                    self.pos += 1;
                    self.skip_map();
                    return;
                }
                '}' => return,
                _ => self.pos += 1,
            }
        }
    }

    /// The statements of a connection's map up to its `}` (the cursor just inside it), set
    /// on the connections `conns`; `prefix` holds the keys of the maps it is inside
    /// (`style: { stroke-dash: 3 }`, `target-arrowhead: { shape: circle }`).
    fn edge_map(&mut self, conns: &[usize], prefix: &[String], depth: usize) {
        loop {
            match self.next_in_map() {
                None => return,
                Some('}') => {
                    self.pos += 1;
                    return;
                }
                Some(_) => {
                    let start = self.pos;
                    match self.key_path() {
                        Ok(key) => {
                            let key: Vec<String> = prefix.iter().chain(&key).cloned().collect();
                            self.attributes(conns, &key, depth);
                        }
                        Err(m) => {
                            self.say(m);
                            // To the line's end or the map's `}`, which closes it.
                            while self.peek().is_some_and(|c| c != '\n' && c != '}') {
                                self.pos += 1;
                            }
                        }
                    }
                    if self.pos == start {
                        self.pos += 1;
                    }
                }
            }
        }
    }

    /// A `: value` after a key (none when the colon opens a `{ map }` or there is no colon),
    /// the blanks around it skipped.
    fn colon_value(&mut self) -> Option<String> {
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
        value
    }

    /// After a connection's key `key`: its `: value` and `{ map }`, set on `conns`.
    fn attributes(&mut self, conns: &[usize], key: &[String], depth: usize) {
        let value = self.colon_value();
        for &c in conns {
            if let Some(conn) = self.conns.get_mut(c) {
                conn.set(key, value.as_deref());
            }
        }
        if self.peek() == Some('{') {
            self.pos += 1;
            if depth < MAX_DEPTH {
                self.edge_map(conns, key, depth + 1);
            } else {
                self.skip_map();
            }
        }
    }

    /// `(a -> b)[0].style.stroke-dash: 3`, `(a -> b)[*]: { … }`: attributes of the
    /// connections from `a` to `b` written so far in this map (the first, or all; `*` as a
    /// key matches any shape). Never makes a shape.
    fn edge_ref(&mut self, scope: &[String]) -> Result<(), String> {
        let close = self.chars[self.pos..]
            .iter()
            .take_while(|&&c| c != '\n')
            .position(|&c| c == ')')
            .ok_or_else(|| "a connection reference without `)`".to_owned())?;
        let inner: String = self.chars[self.pos + 1..self.pos + close].iter().collect();
        let mut ends = Parser::new(&inner);
        let src = ends.key_path()?;
        ends.skip_inline_ws();
        let (len, _, _) = ends
            .arrow_len()
            .ok_or_else(|| format!("no connection in ({inner})"))?;
        ends.pos += len;
        let dst = ends.key_path()?;
        ends.skip_inline_ws();
        if ends.peek().is_some() {
            return Err(format!("unexpected {:?} in ({inner})", ends.here()));
        }
        self.pos += close + 1;
        self.skip_inline_ws();
        if self.peek() != Some('[') {
            return Err("a connection reference without `[index]`".to_owned());
        }
        let which: String = self.chars[self.pos + 1..]
            .iter()
            .take_while(|&&c| c != ']' && c != '\n')
            .collect();
        self.pos += which.chars().count() + 1;
        if self.peek() != Some(']') {
            return Err("a connection reference without `]`".to_owned());
        }
        self.pos += 1;
        let which = which.trim();
        let nth = match which {
            "*" => None,
            n => Some(
                n.parse::<usize>()
                    .map_err(|_| format!("not a connection index: [{n}]"))?,
            ),
        };
        let key = if self.peek() == Some('.') {
            self.pos += 1;
            self.key_path()?
        } else {
            Vec::new()
        };
        let full = |k: &[String]| -> Vec<String> { scope.iter().chain(k).cloned().collect() };
        let (src, dst) = (full(&src), full(&dst));
        let matches = |want: &[String], got: &[String]| {
            want.last().is_some_and(|w| w == "*") && want.len() == scope.len() + 1 || want == got
        };
        let all: Vec<usize> = (0..self.conns.len())
            .filter(|&c| matches(&src, &self.conns[c].src) && matches(&dst, &self.conns[c].dst))
            .collect();
        let chosen: Vec<usize> = match nth {
            None => all,
            Some(n) => all.get(n).copied().into_iter().collect(),
        };
        self.attributes(&chosen, &key, 0);
        self.skip_inline_ws();
        match self.peek() {
            None | Some('\n' | ';' | '}' | '#') => Ok(()),
            _ => Err(format!("unexpected {:?}", self.here())),
        }
    }

    /// A reserved key: `label` renames its shape, `direction` is kept, `shape` noted (a
    /// sequence diagram or a table is one shape), the rest ignored.
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
            "shape" => {
                let line = self.line();
                if path.is_empty() {
                    self.shape = value;
                } else if let Some(i) = self.object(&path) {
                    self.objs[i].shape = value.map(|v| (v, line));
                }
            }
            _ => {}
        }
    }

    /// The line of the cursor (0-based).
    fn line(&self) -> usize {
        self.chars[..self.pos.min(self.chars.len())]
            .iter()
            .filter(|&&c| c == '\n')
            .count()
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
            shape: None,
        });
        self.index.insert(path.to_vec(), i);
        if let Some(p) = parent {
            self.objs[p].children.push(i);
        }
        Some(i)
    }

    /// The shapes as nodes and subgraphs, the connections as edges; a block that is a
    /// sequence diagram (or nothing but them) as no nodes, a diagnostic and its source.
    fn graph(self, text: &str) -> Graph {
        let mut g = Graph::new(Syntax::D2);
        g.direction = Some(self.direction.unwrap_or(Direction::TB));
        let not_drawn = |mut g: Graph| {
            g.diagnostics = vec![Diagnostic {
                line: 0,
                message: "d2 sequence diagrams are not drawn".to_owned(),
            }];
            g.source = Some(text.to_owned());
            g
        };
        if self.shape.as_deref() == Some("sequence_diagram") {
            return not_drawn(g);
        }
        g.diagnostics = self.diagnostics;
        let id = |o: &Obj| o.path.join(".");
        let opaque = |o: &Obj| {
            o.shape
                .as_ref()
                .is_some_and(|(s, _)| OPAQUE.contains(&s.as_str()))
        };
        // Each shape as drawn: itself, or the outermost table or sequence diagram it is in.
        let shown: Vec<usize> = (0..self.objs.len())
            .map(|i| {
                let path = &self.objs[i].path;
                (1..=path.len())
                    .filter_map(|k| self.index.get(&path[..k]).copied())
                    .find(|&a| opaque(&self.objs[a]))
                    .unwrap_or(i)
            })
            .collect();
        // A map of only reserved keys (`x: { shape: circle }`) leaves a shape a shape.
        let container = |o: &Obj| !o.children.is_empty() && !opaque(o);
        let mut sequences = 0;
        for (i, o) in self.objs.iter().enumerate() {
            if shown[i] != i {
                continue;
            }
            let name = o.path.last().cloned().unwrap_or_default();
            let label = o.label.clone().unwrap_or(name);
            if let Some((shape, line)) = &o.shape
                && shape == "sequence_diagram"
            {
                sequences += 1;
                g.diagnostics.push(Diagnostic {
                    line: *line,
                    message: format!(
                        "`{}` is a d2 sequence diagram, drawn as one shape (its messages are \
                         not drawn)",
                        id(o)
                    ),
                });
            }
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
        for c in &self.conns {
            let (Some(&a), Some(&b)) = (self.index.get(&c.src), self.index.get(&c.dst)) else {
                continue;
            };
            let (written, a, b) = ((a, b), shown[a], shown[b]);
            // A message inside a sequence diagram, a link between a table's fields.
            if a == b && written != (a, b) {
                continue;
            }
            let (forward, head, tail) = c.heads();
            let (a, b) = if forward { (a, b) } else { (b, a) };
            let mut e = Edge::new(&id(&self.objs[a]), &id(&self.objs[b]), c.label.clone());
            e.head = head;
            e.tail = tail;
            e.style = c.style();
            g.push_edge(e);
        }
        if sequences > 0 && sequences == g.nodes.len() && g.edges.is_empty() {
            return not_drawn(Graph {
                nodes: Vec::new(),
                subgraphs: Vec::new(),
                ..g
            });
        }
        g
    }
}

impl Conn {
    /// Sets the attribute `key` (`style.stroke-dash`, `target-arrowhead.shape`, `label`…).
    fn set(&mut self, key: &[String], value: Option<&str>) {
        let keys: Vec<&str> = key.iter().map(String::as_str).collect();
        let number = || value.and_then(|v| v.trim().parse::<f64>().ok());
        match keys.as_slice() {
            ["label"] => self.label = value.map(str::to_owned),
            ["style", "stroke-dash"] => self.dash = number(),
            ["style", "stroke-width"] => self.width = number(),
            ["source-arrowhead", "shape"] => self.src_shape = value.map(str::to_owned),
            ["target-arrowhead", "shape"] => self.dst_shape = value.map(str::to_owned),
            ["source-arrowhead", "style", "filled"] => self.src_filled = value == Some("true"),
            ["target-arrowhead", "style", "filled"] => self.dst_filled = value == Some("true"),
            _ => {}
        }
    }

    /// Dotted when dashed, thick when 3 or wider (d2 draws 2).
    fn style(&self) -> EdgeStyle {
        if self.dash.is_some_and(|d| d > 0.0) {
            EdgeStyle::Dotted
        } else if self.width.is_some_and(|w| w >= 3.0) {
            EdgeStyle::Thick
        } else {
            EdgeStyle::Solid
        }
    }

    /// Whether the edge runs `src` to `dst` (not the other way), its head and the mark at its
    /// tail when `head` cannot say it (see [`Edge::tail`]): an end has a head only where the
    /// operator has an arrow, of the kind its arrowhead `shape` says (a diamond filled with
    /// `style.filled: true`; crow's feet `cf-one`/`cf-many`, required or not; `triangle`,
    /// `arrow`, `box` and the rest an arrow).
    fn heads(&self) -> (bool, Head, Option<Head>) {
        let end = |arrow: bool, shape: &Option<String>, filled: bool| match shape.as_deref() {
            _ if !arrow => None,
            Some("none") => None,
            Some("circle") => Some(Head::Circle),
            Some("cross") => Some(Head::Cross),
            Some("diamond") if filled => Some(Head::FilledDiamond),
            Some("diamond") => Some(Head::Diamond),
            Some("cf-one" | "cf-one-required") => Some(Head::One),
            Some("cf-many" | "cf-many-required") => Some(Head::Many),
            _ => Some(Head::Arrow),
        };
        let both = |h: Head| matches!(h, Head::Arrow | Head::Circle | Head::Cross);
        match (
            end(self.src_arrow, &self.src_shape, self.src_filled),
            end(self.dst_arrow, &self.dst_shape, self.dst_filled),
        ) {
            (None, None) => (true, Head::None, None),
            (None, Some(h)) => (true, h, None),
            (Some(h), None) => (false, h, None),
            (Some(a), Some(b)) if a == b && both(a) => (true, a.at_both_ends(), None),
            (Some(a), Some(b)) => (true, b, Some(a)),
        }
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

    fn styled(g: &Graph) -> Vec<String> {
        g.edges
            .iter()
            .map(|e| {
                let tail = e.tail.map(|t| format!("<{t:?}")).unwrap_or_default();
                format!("{}>{} {:?}/{:?}{tail}", e.from, e.to, e.style, e.head)
            })
            .collect()
    }

    #[test]
    fn connection_attributes_and_references() {
        let cases: &[(&str, &[&str])] = &[
            ("x -> y: {style: {stroke-dash: 3}}", &["x>y Dotted/Arrow"]),
            ("x -> y: {style.stroke-dash: 0}", &["x>y Solid/Arrow"]),
            ("x -> y {style.stroke-width: 2}", &["x>y Solid/Arrow"]),
            (
                "x -> y: {style.stroke-width: 8; style.stroke-dash: 2}",
                &["x>y Dotted/Arrow"],
            ),
            (
                "x -> y -> z: {style.stroke-width: 5}",
                &["x>y Thick/Arrow", "y>z Thick/Arrow"],
            ),
            (
                "x <-> y: {source-arrowhead.shape: circle; target-arrowhead.shape: circle}",
                &["x>y Solid/CircleBoth"],
            ),
            (
                "x <-> y: {target-arrowhead.shape: none}",
                &["y>x Solid/Arrow"],
            ),
            (
                "x -> y: {source-arrowhead.shape: cross}",
                &["x>y Solid/Arrow"],
            ),
            (
                "x -> y: {target-arrowhead.shape: diamond}",
                &["x>y Solid/Diamond"],
            ),
            (
                "x -> y: {target-arrowhead: {shape: diamond; style.filled: true}}",
                &["x>y Solid/FilledDiamond"],
            ),
            (
                "x -- y: {target-arrowhead.shape: diamond}",
                &["x>y Solid/None"],
            ),
            (
                "x <-> y: {source-arrowhead: {shape: diamond; style.filled: true}}",
                &["x>y Solid/Arrow<FilledDiamond"],
            ),
            (
                "x <-> y: {source-arrowhead.shape: diamond; target-arrowhead.shape: diamond}",
                &["x>y Solid/Diamond<Diamond"],
            ),
            (
                "x <-> y: {source-arrowhead.shape: cf-one; target-arrowhead.shape: cf-many-required}",
                &["x>y Solid/Many<One"],
            ),
            (
                "x <- y: {source-arrowhead.shape: cf-many}",
                &["y>x Solid/Many"],
            ),
            // The second of two, then all of them.
            (
                "x -> y: a\nx -> y: b\n(x -> y)[1].style.stroke-dash: 3",
                &["x>y Solid/Arrow", "x>y Dotted/Arrow"],
            ),
            (
                "x -> y: a\nx -> y: b\n(x -> y)[*].style.stroke-width: 6",
                &["x>y Thick/Arrow", "x>y Thick/Arrow"],
            ),
            (
                "x -> y\n(* -> y)[0]: {target-arrowhead.shape: cross}",
                &["x>y Solid/Cross"],
            ),
            (
                "box: {\n  x -> y\n  (x -> y)[0].style.stroke-dash: 4\n}",
                &["box.x>box.y Dotted/Arrow"],
            ),
        ];
        for (text, want) in cases {
            let g = parse(text);
            assert_eq!(styled(&g), *want, "{text:?}");
            assert!(g.diagnostics.is_empty(), "{text:?}: {:?}", g.diagnostics);
        }
        // A reference makes no shape, to a connection that is not there or not read.
        for text in [
            "(a -> b)[0].style.stroke: red",
            "a -> b\n(a -> b)[3].style.stroke-dash: 3",
            "(a -> b.style.stroke: red",
            "(a b)[0].style.stroke: red",
            "(a -> b)[x]: {\n  style.stroke-dash: 3\n}",
        ] {
            let g = parse(text);
            let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
            assert!(
                ids.iter().all(|i| *i == "a" || *i == "b"),
                "{text:?}: {ids:?}"
            );
            assert!(
                g.edges.iter().all(|e| e.style == EdgeStyle::Solid),
                "{text:?}"
            );
        }
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
