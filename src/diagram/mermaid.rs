//! Mermaid flowcharts: `graph`/`flowchart` with a direction; the classic node shapes; links
//! `-->`, `---`, `-.->`, `==>`, `--o`, `--x`, `<-->`, `~~~` and longer forms; labels as
//! `|text|` and `-- text -->`; chains and `&`; `subgraph … end` with titles and `direction`;
//! `;` separators; `%%` comments; style and class lines ignored. Recovery is per statement:
//! one bad statement loses only itself (and says so in a diagnostic).

use super::clean_label;
use super::graph::{Diagnostic, Direction, Graph, Subgraph, Syntax};

/// Whether a block's first significant line is a flowchart header.
pub fn is_mermaid(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("%%"))
        .is_some_and(|l| header_direction(l).is_some())
}

/// `Some(direction)` for a header line (`graph LR`, `flowchart`, `graph TD;`).
fn header_direction(line: &str) -> Option<Option<Direction>> {
    let mut words = line.split(|c: char| c.is_whitespace() || c == ';');
    let kw = words.next()?;
    if !matches!(kw, "graph" | "flowchart" | "flowchart-elk") {
        return None;
    }
    Some(words.find(|w| !w.is_empty()).and_then(direction))
}

fn direction(word: &str) -> Option<Direction> {
    match word {
        "TB" | "TD" | "v" => Some(Direction::TB),
        "BT" | "^" => Some(Direction::BT),
        "LR" | ">" => Some(Direction::LR),
        "RL" | "<" => Some(Direction::RL),
        _ => None,
    }
}

/// The statements of a block with their 0-based lines: comments removed, split at `;` and
/// line ends outside quotes and brackets.
fn statements(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_front_matter = false;
    for (n, line) in text.lines().take(super::MAX_LINES).enumerate() {
        let t = line.trim();
        if n == 0 && t == "---" {
            in_front_matter = true;
            continue;
        }
        if in_front_matter {
            in_front_matter = t != "---";
            continue;
        }
        if t.starts_with("%%") {
            continue;
        }
        let mut cur = String::new();
        let mut quote = false;
        let mut pipe = false;
        let mut depth = 0usize;
        let chars: Vec<char> = t.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '"' => quote = !quote,
                // Link text between pipes may hold `;` too.
                '|' if !quote && depth == 0 => pipe = !pipe,
                '[' | '(' | '{' if !quote => depth += 1,
                ']' | ')' | '}' if !quote => depth = depth.saturating_sub(1),
                // A comment to the end of the line (Mermaid wants them on their own line; a
                // trailing one is tolerated).
                '%' if !quote && chars.get(i + 1) == Some(&'%') => break,
                ';' if !quote && !pipe && depth == 0 => {
                    out.push((n, std::mem::take(&mut cur)));
                    i += 1;
                    continue;
                }
                _ => {}
            }
            cur.push(c);
            i += 1;
        }
        out.push((n, cur));
    }
    out.into_iter()
        .map(|(n, s)| (n, s.trim().to_owned()))
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

/// A label as written: quotes removed, `<br>` a line break, entity codes decoded, markdown
/// string markers dropped.
fn label(raw: &str) -> String {
    let mut t = raw.trim();
    if let Some(inner) = t.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        t = inner;
    }
    if let Some(inner) = t.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        t = inner;
    }
    let mut s = String::with_capacity(t.len());
    let lower = t.to_ascii_lowercase();
    let mut i = 0;
    while i < t.len() {
        let rest = &lower[i..];
        if let Some(len) = ["<br/>", "<br />", "<br>"]
            .iter()
            .find(|b| rest.starts_with(**b))
            .map(|b| b.len())
        {
            s.push('\n');
            i += len;
            continue;
        }
        if rest.starts_with('#')
            && let Some(end) = rest.find(';')
            && end <= 8
        {
            let code = &t[i + 1..i + end];
            let decoded = match code {
                "quot" => Some('"'),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some(' '),
                _ => code.parse::<u32>().ok().and_then(char::from_u32),
            };
            if let Some(c) = decoded {
                s.push(c);
                i += end + 1;
                continue;
            }
        }
        let c = t[i..].chars().next().unwrap_or(' ');
        s.push(c);
        i += c.len_utf8();
    }
    let s = s.replace("**", "").replace("__", "");
    clean_label(&s, true)
}

/// The shapes' delimiters, longest first.
const SHAPES: &[(&str, &[&str])] = &[
    ("(((", &[")))"]),
    ("([", &["])"]),
    ("[[", &["]]"]),
    ("[(", &[")]"]),
    ("((", &["))"]),
    ("{{", &["}}"]),
    ("[/", &["/]", "\\]"]),
    ("[\\", &["\\]", "/]"]),
    ("[", &["]"]),
    ("(", &[")"]),
    ("{", &["}"]),
    (">", &["]"]),
];

struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

/// A link between two groups of nodes.
struct Link {
    forward: bool,
    backward: bool,
    invisible: bool,
    label: Option<String>,
}

impl Lexer {
    fn new(s: &str) -> Lexer {
        Lexer {
            chars: s.chars().collect(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn at(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn done(&self) -> bool {
        self.pos >= self.chars.len()
    }

    /// Whether the character at `i` can continue an id (a `-`, `.` or `=` that starts a link
    /// ends it).
    fn id_char(&self, i: usize) -> bool {
        let Some(c) = self.chars.get(i).copied() else {
            return false;
        };
        let next = self.chars.get(i + 1).copied();
        match c {
            '-' => !matches!(next, Some('-' | '>' | '.' | 'x' | 'o')) || self.word_follows(i + 1),
            '.' => !matches!(next, Some('-')),
            '=' => false,
            '_' | '!' | '#' | '$' | '\'' | '*' | '+' | '?' | '/' | '\\' => true,
            c => c.is_alphanumeric(),
        }
    }

    /// `x`/`o` after a `-` inside an id like `db-xray` (a letter follows, not a link head).
    fn word_follows(&self, i: usize) -> bool {
        matches!(self.chars.get(i), Some('x' | 'o'))
            && self.chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())
    }

    /// A node: id, optional shape with its text, optional `:::class`.
    fn node(&mut self) -> Result<(String, Option<String>), String> {
        let start = self.pos;
        while self.id_char(self.pos) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(format!(
                "expected a node at {:?}",
                self.chars[self.pos..].iter().take(12).collect::<String>()
            ));
        }
        let id: String = self.chars[start..self.pos].iter().collect();
        if id == "end" {
            return Err("`end` cannot be a node id".to_owned());
        }
        let mut text = None;
        if self.at("@{") {
            let open = self.pos;
            while self.peek().is_some_and(|c| c != '}') {
                self.pos += 1;
            }
            if self.done() {
                return Err("unclosed `@{`".to_owned());
            }
            let body: String = self.chars[open + 2..self.pos].iter().collect();
            self.pos += 1;
            text = body.split(',').find_map(|kv| {
                let (k, v) = kv.split_once(':')?;
                (k.trim() == "label").then(|| label(v))
            });
        } else if let Some((open, closers)) = SHAPES.iter().find(|(o, _)| self.at(o)) {
            self.pos += open.chars().count();
            text = Some(label(&self.shape_text(closers)?));
        }
        while self.at(":::") {
            self.pos += 3;
            while self.id_char(self.pos) {
                self.pos += 1;
            }
        }
        Ok((id, text))
    }

    /// The text of a shape up to one of its closers (quoted text may hold any delimiter).
    fn shape_text(&mut self, closers: &[&str]) -> Result<String, String> {
        let start = self.pos;
        if self.peek() == Some('"') {
            self.pos += 1;
            while self.peek().is_some_and(|c| c != '"') {
                self.pos += 1;
            }
            if self.done() {
                return Err("unclosed quote".to_owned());
            }
            self.pos += 1;
            let quoted: String = self.chars[start..self.pos].iter().collect();
            self.skip_ws();
            return match closers.iter().find(|c| self.at(c)) {
                Some(c) => {
                    self.pos += c.chars().count();
                    Ok(quoted)
                }
                None => Err("a quoted label must end its shape".to_owned()),
            };
        }
        while !self.done() {
            if let Some(c) = closers.iter().find(|c| self.at(c)) {
                let text: String = self.chars[start..self.pos].iter().collect();
                self.pos += c.chars().count();
                return Ok(text);
            }
            self.pos += 1;
        }
        Err(format!(
            "unclosed shape (expected {})",
            closers.join(" or ")
        ))
    }

    /// Nodes joined by `&`.
    fn group(&mut self) -> Result<Vec<(String, Option<String>)>, String> {
        let mut out = vec![self.node()?];
        loop {
            let save = self.pos;
            self.skip_ws();
            if self.peek() == Some('&') {
                self.pos += 1;
                self.skip_ws();
                out.push(self.node()?);
            } else {
                self.pos = save;
                return Ok(out);
            }
        }
    }

    /// A link, with its text in either form.
    fn link(&mut self) -> Option<Link> {
        // A v11 edge id (`e1@-->`) names the link; it changes nothing here.
        let mut k = self.pos;
        while self
            .chars
            .get(k)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
        {
            k += 1;
        }
        if k > self.pos
            && self.chars.get(k) == Some(&'@')
            && matches!(
                self.chars.get(k + 1),
                Some('-' | '=' | '.' | '<' | '~' | 'x' | 'o')
            )
        {
            self.pos = k + 1;
        }
        let start = self.pos;
        if self.at("~~~") {
            while self.peek() == Some('~') {
                self.pos += 1;
            }
            return Some(Link {
                forward: false,
                backward: false,
                invisible: true,
                label: None,
            });
        }
        // A head at the tail too: `<-->`, `o--o`, `x--x`.
        let backward = match self.peek() {
            Some('<') => true,
            Some('x' | 'o') => matches!(self.chars.get(self.pos + 1), Some('-' | '=' | '.')),
            _ => false,
        };
        if backward {
            self.pos += 1;
        }
        let body_start = self.pos;
        while matches!(self.peek(), Some('-' | '=' | '.')) {
            self.pos += 1;
        }
        let body: String = self.chars[body_start..self.pos].iter().collect();
        if body.len() < 2 || !body.contains(['-', '=']) {
            self.pos = start;
            return None;
        }
        let mut forward = false;
        if let Some(h @ ('>' | 'x' | 'o')) = self.peek() {
            let after = self.chars.get(self.pos + 1).copied();
            if h == '>' || !after.is_some_and(|c| c.is_alphanumeric()) {
                forward = true;
                self.pos += 1;
            }
        }
        let mut text = None;
        // `-- text -->`: an open link, its text, then the closing link.
        if !forward
            && matches!(body.as_str(), "--" | "==" | "-.")
            && self.peek().is_some_and(char::is_whitespace)
        {
            let text_start = self.pos;
            let mut i = self.pos;
            let mut close = None;
            let mut quoted = false;
            while i + 1 < self.chars.len() {
                if self.chars[i] == '"' {
                    quoted = !quoted;
                    i += 1;
                    continue;
                }
                if !quoted
                    && self.chars[i - 1].is_whitespace()
                    && matches!(self.chars[i], '-' | '=' | '.')
                    && matches!(self.chars[i + 1], '-' | '=' | '.' | '>')
                {
                    close = Some(i);
                    break;
                }
                i += 1;
            }
            let close = close?;
            text = Some(label(
                &self.chars[text_start..close].iter().collect::<String>(),
            ));
            self.pos = close;
            while matches!(self.peek(), Some('-' | '=' | '.')) {
                self.pos += 1;
            }
            if let Some('>' | 'x' | 'o') = self.peek() {
                forward = true;
                self.pos += 1;
            }
        }
        self.skip_ws();
        if self.peek() == Some('|') {
            self.pos += 1;
            let s = self.pos;
            let mut quoted = false;
            while self.peek().is_some_and(|c| c != '|' || quoted) {
                if self.peek() == Some('"') {
                    quoted = !quoted;
                }
                self.pos += 1;
            }
            if self.done() {
                return None;
            }
            text = Some(label(&self.chars[s..self.pos].iter().collect::<String>()));
            self.pos += 1;
        }
        // A link without a head (`---`) still reads left to right.
        let forward = forward || !backward;
        Some(Link {
            forward,
            backward,
            invisible: false,
            label: text.filter(|t| !t.is_empty()),
        })
    }
}

/// Parses a Mermaid flowchart.
pub fn parse(text: &str) -> Graph {
    let mut g = Graph::new(Syntax::Mermaid);
    g.direction = Some(Direction::TB);
    let mut stack: Vec<usize> = Vec::new();
    let mut seen_header = false;
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
                stack.push(g.subgraphs.len() - 1);
            }
            "end" if stmt == "end" => {
                if stack.pop().is_none() {
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
            _ => {
                if let Err(message) = statement(&mut g, &stmt, stack.last().copied()) {
                    g.diagnostics.push(Diagnostic { line, message });
                }
            }
        }
    }
    cluster_ends(&mut g);
    g
}

/// Edges to a subgraph end on its first node (depth first), never on a node made up for it;
/// an edge to an empty subgraph is dropped.
fn cluster_ends(g: &mut Graph) {
    fn first_node(g: &Graph, id: &str, depth: usize) -> Option<String> {
        let s = g.subgraphs.iter().find(|s| s.id == id)?;
        if let Some(n) = s.nodes.first() {
            return Some(n.clone());
        }
        if depth > 32 {
            return None;
        }
        s.subgraphs.iter().find_map(|c| first_node(g, c, depth + 1))
    }
    let edges = std::mem::take(&mut g.edges);
    for e in edges {
        let end = |id: &str| {
            if g.node(id).is_some() {
                Some(id.to_owned())
            } else {
                first_node(g, id, 0)
            }
        };
        if let (Some(a), Some(b)) = (end(&e.from), end(&e.to)) {
            g.add_edge(&a, &b, e.label);
        }
    }
}

/// One chain statement: all of it or nothing.
fn statement(g: &mut Graph, stmt: &str, subgraph: Option<usize>) -> Result<(), String> {
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
        let link = lx.link().ok_or_else(|| {
            format!(
                "expected a link at {:?}",
                lx.chars[lx.pos..].iter().take(12).collect::<String>()
            )
        })?;
        lx.skip_ws();
        groups.push(lx.group()?);
        links.push(link);
    }
    let is_cluster = |g: &Graph, id: &str| g.subgraphs.iter().any(|s| s.id == id);
    for group in &groups {
        for (id, text) in group {
            if is_cluster(g, id) {
                continue;
            }
            let new = g.node(id).is_none();
            if g.add_node(id, text.as_deref()).is_some()
                && new
                && let Some(s) = subgraph
            {
                g.subgraphs[s].nodes.push(id.clone());
            }
        }
    }
    for (i, link) in links.iter().enumerate() {
        if link.invisible {
            continue;
        }
        for (a, _) in &groups[i] {
            for (b, _) in &groups[i + 1] {
                if link.forward {
                    g.add_edge(a, b, link.label.clone());
                }
                if link.backward {
                    g.add_edge(b, a, link.label.clone());
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(g: &Graph) -> Vec<String> {
        g.edges
            .iter()
            .map(|e| match &e.label {
                Some(l) => format!("{}-{l}->{}", e.from, e.to),
                None => format!("{}->{}", e.from, e.to),
            })
            .collect()
    }

    fn labels(g: &Graph) -> Vec<String> {
        g.nodes
            .iter()
            .map(|n| format!("{}={}", n.id, n.label))
            .collect()
    }

    #[test]
    fn headers_and_directions() {
        for (head, dir) in [
            ("graph TD", Direction::TB),
            ("graph TB", Direction::TB),
            ("graph BT", Direction::BT),
            ("flowchart LR", Direction::LR),
            ("flowchart RL", Direction::RL),
            ("graph", Direction::TB),
            ("graph LR;", Direction::LR),
        ] {
            let g = parse(&format!("{head}\nA-->B"));
            assert_eq!(g.direction, Some(dir), "{head}");
            assert_eq!(edges(&g), ["A->B"], "{head}");
        }
        assert!(is_mermaid("%% c\n\nflowchart LR\nA-->B"));
        assert!(!is_mermaid("A --> B"));
        assert!(!is_mermaid("graphs are fun"));
    }

    #[test]
    fn shapes_and_labels() {
        let g = parse(
            "graph TD\nA[Rect] --> B(Round)\nC([Stadium]) --> D[[Sub]]\nE[(DB)] --> F((Circle))\n\
             G{Decision} --> H{{Hex}}\nI[/Para/] --> J>Flag]\nK[\"Quoted [brackets] (x)\"] --> L(((Double)))\n\
             M[Line<br>break] --> N[\"#quot;hi#quot; #35;1\"]",
        );
        assert_eq!(
            labels(&g),
            [
                "A=Rect",
                "B=Round",
                "C=Stadium",
                "D=Sub",
                "E=DB",
                "F=Circle",
                "G=Decision",
                "H=Hex",
                "I=Para",
                "J=Flag",
                "K=Quoted [brackets] (x)",
                "L=Double",
                "M=Line\nbreak",
                "N=\"hi\" #1"
            ]
        );
        assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    }

    #[test]
    fn links_and_their_text() {
        let g = parse(
            "graph LR\nA --> B\nB --- C\nC -.-> D\nD ==> E\nE --o F\nF --x G\nG <--> H\nH ~~~ I\n\
             I ---> J\nJ -->|yes| K\nK -- no --> L\nL -. maybe .-> M\nM == big ==> N\nN ---|plain| O",
        );
        assert_eq!(
            edges(&g),
            [
                "A->B",
                "B->C",
                "C->D",
                "D->E",
                "E->F",
                "F->G",
                "G->H",
                "H->G",
                "I->J",
                "J-yes->K",
                "K-no->L",
                "L-maybe->M",
                "M-big->N",
                "N-plain->O"
            ]
        );
        assert!(g.node("I").is_some(), "an invisible link keeps its nodes");
    }

    #[test]
    fn chains_groups_and_separators() {
        let g = parse("graph TD\nA --> B & C --> D; E --> F");
        assert_eq!(edges(&g), ["A->B", "A->C", "B->D", "C->D", "E->F"]);
        let g = parse("graph TD\nA & B --> C & D");
        assert_eq!(edges(&g), ["A->C", "A->D", "B->C", "B->D"]);
    }

    #[test]
    fn subgraphs_comments_and_ignored_lines() {
        let g = parse(
            "flowchart TB\n%% a comment\nsubgraph one [First group]\n  direction LR\n  a1 --> a2\n\
             subgraph inner\n  x --> y\n end\nend\nsubgraph Two words here\n b1\nend\n\
             style a1 fill:#f9f\nclassDef c fill:#f00\nclass a1 c\nlinkStyle 0 stroke:#f00\n\
             a2 --> b1 %% trailing comment\none --> b1",
        );
        assert_eq!(g.subgraphs.len(), 3);
        assert_eq!(g.subgraphs[0].title, "First group");
        assert_eq!(g.subgraphs[0].direction, Some(Direction::LR));
        assert_eq!(g.subgraphs[0].nodes, ["a1", "a2"]);
        assert_eq!(g.subgraphs[0].subgraphs, ["inner"]);
        assert_eq!(g.subgraphs[1].nodes, ["x", "y"]);
        assert_eq!(g.subgraphs[2].title, "Two words here");
        assert!(edges(&g).contains(&"a2->b1".to_owned()));
        // An edge to a subgraph never invents a node: it ends on the subgraph's first node.
        assert!(g.node("one").is_none());
        assert!(edges(&g).contains(&"a1->b1".to_owned()), "{:?}", edges(&g));
        assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    }

    #[test]
    fn heads_at_both_ends_edge_ids_and_quoted_link_text() {
        let g = parse(
            "graph LR\nA o--o B\nC x--x D\nE e1@--> F\nG -->|\"a|b\"| H\nK -- \"quoted -- text\" --> L\nM -->|a;b| N",
        );
        assert_eq!(
            edges(&g),
            [
                "A->B",
                "B->A",
                "C->D",
                "D->C",
                "E->F",
                "G-a|b->H",
                "K-quoted -- text->L",
                "M-a;b->N"
            ]
        );
        assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    }

    #[test]
    fn korean_ids_and_recovery_per_statement() {
        let g = parse("graph LR\n결제 --> 완료\nA[unclosed --> B\nC --> end\nD --> E");
        assert_eq!(edges(&g), ["결제->완료", "D->E"]);
        assert_eq!(g.diagnostics.len(), 2, "{:?}", g.diagnostics);
        assert_eq!(g.diagnostics[0].line, 2);
        let ids = parse("graph TD\ndb-primary --> api_server\napi_server --> db-xray");
        assert_eq!(
            edges(&ids),
            ["db-primary->api_server", "api_server->db-xray"]
        );
        // The last label given wins.
        let relabel = parse("graph TD\nA[Start] --> B\nA[Renamed]");
        assert_eq!(labels(&relabel)[0], "A=Renamed");
    }
}
