//! The lexing shared by the Mermaid parsers: statements (split at `;` and line ends outside
//! quotes and brackets, a `@{ … }` block allowed to run over several lines), labels as
//! written, and the node forms of a flowchart (id, shape, v11 shape data, `:::class`).

use super::super::clean_label;

/// The statements of a block with their 0-based lines: comments and front matter removed,
/// split at `;` and line ends outside quotes and brackets. A `@{` left open at a line's end
/// continues on the next lines (v11 shape data written as a block).
pub(super) fn statements(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_front_matter = false;
    // A statement whose `@{` is still open: its first line and its text so far. One left
    // open for more than `MAX_DATA_LINES` lines ends there (the rest is not swallowed).
    const MAX_DATA_LINES: usize = 16;
    let mut open: Option<(usize, String)> = None;
    for (n, line) in text.lines().take(super::super::MAX_LINES).enumerate() {
        let t = line.trim();
        if n == 0 && t == "---" {
            in_front_matter = true;
            continue;
        }
        if in_front_matter {
            in_front_matter = t != "---";
            continue;
        }
        if t.starts_with("%%") && open.is_none() {
            continue;
        }
        let (first, mut cur) = match open.take() {
            Some((l, mut s)) => {
                s.push('\n');
                (l, s)
            }
            None => (n, String::new()),
        };
        let mut quote = false;
        let mut pipe = false;
        let mut depth = 0usize;
        // Inside a `@{ … }` (counted again from what is carried over).
        let mut data = cur.contains("@{");
        if data {
            depth = 1;
        }
        let chars: Vec<char> = t.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '"' => quote = !quote,
                // Link text between pipes may hold `;` too.
                '|' if !quote && depth == 0 => pipe = !pipe,
                '{' if !quote && i > 0 && chars[i - 1] == '@' => {
                    data = true;
                    depth += 1;
                }
                '[' | '(' | '{' if !quote => depth += 1,
                ']' | ')' | '}' if !quote => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        data = false;
                    }
                }
                // A comment to the end of the line (Mermaid wants them on their own line; a
                // trailing one is tolerated).
                '%' if !quote && chars.get(i + 1) == Some(&'%') => break,
                ';' if !quote && !pipe && depth == 0 => {
                    out.push((first, std::mem::take(&mut cur)));
                    i += 1;
                    continue;
                }
                _ => {}
            }
            cur.push(c);
            i += 1;
        }
        if data && depth > 0 && n - first < MAX_DATA_LINES {
            open = Some((first, cur));
        } else {
            out.push((first, cur));
        }
    }
    if let Some(rest) = open {
        out.push(rest);
    }
    out.into_iter()
        .map(|(n, s)| (n, s.trim().to_owned()))
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

/// A label as written: quotes removed, `<br>` a line break, entity codes decoded, markdown
/// string markers dropped.
pub(super) fn label(raw: &str) -> String {
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

/// The `key: value` pairs of v11 shape or edge data (`shape: rect, label: "a, b"`), split at
/// commas and line ends outside quotes; values as labels.
pub(super) fn data_pairs(body: &str) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quote = false;
    for c in body.chars() {
        match c {
            '"' => {
                quote = !quote;
                cur.push(c);
            }
            ',' | '\n' if !quote => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    parts
        .iter()
        .filter_map(|p| {
            let (k, v) = p.split_once(':')?;
            Some((k.trim().to_owned(), label(v)))
        })
        .collect()
}

/// The shapes' delimiters, longest first, and whether the shape is round (drawn with rounded
/// corners: `(round)`, `([stadium])`, `((circle))`, `(((double circle)))`).
const SHAPES: &[(&str, &[&str], bool)] = &[
    ("(((", &[")))"], true),
    ("([", &["])"], true),
    ("[[", &["]]"], false),
    ("[(", &[")]"], false),
    ("((", &["))"], true),
    ("{{", &["}}"], false),
    ("[/", &["/]", "\\]"], false),
    ("[\\", &["\\]", "/]"], false),
    ("[", &["]"], false),
    ("(", &[")"], true),
    ("{", &["}"], false),
    (">", &["]"], false),
];

/// The v11 shape names (`A@{ shape: … }`, with their aliases) of round shapes: the rounded
/// rectangle, the stadium and the circles.
const ROUND_SHAPE_NAMES: &[&str] = &[
    "rounded",
    "event",
    "stadium",
    "pill",
    "terminal",
    "circle",
    "circ",
    "dbl-circ",
    "double-circle",
    "sm-circ",
    "small-circle",
    "start",
    "fr-circ",
    "framed-circle",
    "stop",
    "f-circ",
    "filled-circle",
    "junction",
    "cross-circ",
    "summary",
];

/// A node as a statement writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NodeText {
    pub(super) id: String,
    /// The label its shape (or v11 `label:`) gives, if any.
    pub(super) text: Option<String>,
    /// Whether the shape it is written with is round; `None` when no shape is written.
    pub(super) rounded: Option<bool>,
}

/// A statement as characters with a cursor.
pub(super) struct Lexer {
    pub(super) chars: Vec<char>,
    pub(super) pos: usize,
}

impl Lexer {
    pub(super) fn new(s: &str) -> Lexer {
        Lexer {
            chars: s.chars().collect(),
            pos: 0,
        }
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    pub(super) fn at(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    pub(super) fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    pub(super) fn done(&self) -> bool {
        self.pos >= self.chars.len()
    }

    /// A few characters from the cursor, for a diagnostic.
    pub(super) fn here(&self) -> String {
        self.chars[self.pos.min(self.chars.len())..]
            .iter()
            .take(12)
            .collect()
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

    /// A node: id, optional shape with its text (or v11 `@{ … }` data), optional `:::class`.
    pub(super) fn node(&mut self) -> Result<NodeText, String> {
        let start = self.pos;
        while self.id_char(self.pos) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(format!("expected a node at {:?}", self.here()));
        }
        let id: String = self.chars[start..self.pos].iter().collect();
        if id == "end" {
            return Err("`end` cannot be a node id".to_owned());
        }
        let mut text = None;
        let mut rounded = None;
        if self.at("@{") {
            let open = self.pos + 2;
            self.pos = open;
            let mut quoted = false;
            while self.peek().is_some_and(|c| c != '}' || quoted) {
                if self.peek() == Some('"') {
                    quoted = !quoted;
                }
                self.pos += 1;
            }
            if self.done() {
                return Err("unclosed `@{`".to_owned());
            }
            let body: String = self.chars[open..self.pos].iter().collect();
            self.pos += 1;
            let pairs = data_pairs(&body);
            let last = |key: &str| {
                pairs
                    .iter()
                    .rev()
                    .find_map(|(k, v)| (k == key).then(|| v.clone()))
            };
            text = last("label");
            rounded = last("shape").map(|s| ROUND_SHAPE_NAMES.contains(&s.as_str()));
        } else if let Some((open, closers, round)) = SHAPES.iter().find(|(o, ..)| self.at(o)) {
            self.pos += open.chars().count();
            text = Some(label(&self.shape_text(closers)?));
            rounded = Some(*round);
        }
        while self.at(":::") {
            self.pos += 3;
            while self.id_char(self.pos) {
                self.pos += 1;
            }
        }
        Ok(NodeText { id, text, rounded })
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
    pub(super) fn group(&mut self) -> Result<Vec<NodeText>, String> {
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
}
