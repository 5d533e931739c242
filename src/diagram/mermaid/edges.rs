//! Flowchart links: the arrow forms (`-->`, `---`, `==>`, `-.->`, `--o`, `--x`, `<-->`,
//! `o--o`, `x--x`, `~~~` and longer ones), their text (`-->|text|`, `-- text -->`,
//! `--text-->`, `==text==>`, `-.text.->`), and v11 edge ids (`e1@-->`). A link keeps its
//! stroke and its heads.

use super::lex::{Lexer, label};
use crate::diagram::graph::{EdgeStyle, Head};

/// A link between two groups of nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Link {
    /// `~~~`: placement only, no edge.
    pub invisible: bool,
    pub style: EdgeStyle,
    pub head: Head,
    /// A head only at the left end (`<--`): the edge runs right to left.
    pub reversed: bool,
    pub label: Option<String>,
    /// The v11 edge id (`e1@-->`).
    pub id: Option<String>,
}

/// The stroke of a link's body (its run of `-`, `=` and `.`).
fn stroke(body: &str) -> EdgeStyle {
    if body.contains('=') {
        EdgeStyle::Thick
    } else if body.contains('.') {
        EdgeStyle::Dotted
    } else {
        EdgeStyle::Solid
    }
}

/// The heads of a link from the marks at its ends (`<`, `x`, `o` at the tail; `>`, `x`, `o`
/// at the head), and whether it points right to left.
fn heads(tail: Option<char>, head: Option<char>) -> (Head, bool) {
    let kind = |c: char| match c {
        'o' => Head::Circle,
        'x' => Head::Cross,
        _ => Head::Arrow,
    };
    match (tail, head) {
        (None, None) => (Head::None, false),
        (Some('<'), Some('>')) => (Head::Both, false),
        // `o--o`, `x--x`: the same mark at both ends.
        (Some(t), Some(h)) if t == h => (kind(h).at_both_ends(), false),
        (Some('<'), None) => (Head::Arrow, true),
        (Some(t), None) => (kind(t), true),
        (_, Some(h)) => (kind(h), false),
    }
}

impl Lexer {
    /// Whether `i` holds a link head mark (`>`, or `x`/`o` not starting a word).
    fn head_at(&self, i: usize) -> Option<char> {
        match self.chars.get(i).copied()? {
            '>' => Some('>'),
            h @ ('x' | 'o') if !self.chars.get(i + 1).is_some_and(|c| c.is_alphanumeric()) => {
                Some(h)
            }
            _ => None,
        }
    }

    /// Where the closing arrow of an open link's text starts at `i`: (its end, its head).
    /// `open` is the opening body (`--`, `==` or `-.`).
    fn closer_at(&self, i: usize, open: &str) -> Option<(usize, Option<char>)> {
        let run = |from: usize, c: char| {
            let mut j = from;
            while self.chars.get(j) == Some(&c) {
                j += 1;
            }
            j
        };
        let ends = |j: usize| self.chars.get(j).is_none_or(|c| c.is_whitespace());
        match open {
            "-." => {
                if self.chars.get(i) != Some(&'.') {
                    return None;
                }
                let j = run(i, '.');
                if self.chars.get(j) != Some(&'-') {
                    return None;
                }
                match self.head_at(j + 1) {
                    Some(h) => Some((j + 2, Some(h))),
                    None => ends(j + 1).then_some((j + 1, None)),
                }
            }
            _ => {
                let c = if open == "==" { '=' } else { '-' };
                if self.chars.get(i) != Some(&c) || self.chars.get(i + 1) != Some(&c) {
                    return None;
                }
                let j = run(i, c);
                match self.head_at(j) {
                    Some(h) => Some((j + 1, Some(h))),
                    None => (j - i >= 3 && ends(j)).then_some((j, None)),
                }
            }
        }
    }

    /// A link, with its text in any of its forms.
    pub(super) fn link(&mut self) -> Option<Link> {
        let mut id = None;
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
            id = Some(self.chars[self.pos..k].iter().collect());
            self.pos = k + 1;
        }
        let start = self.pos;
        if self.at("~~~") {
            while self.peek() == Some('~') {
                self.pos += 1;
            }
            return Some(Link {
                invisible: true,
                style: EdgeStyle::Solid,
                head: Head::None,
                reversed: false,
                label: None,
                id,
            });
        }
        let tail = match self.peek() {
            Some(c @ '<') => Some(c),
            Some(c @ ('x' | 'o'))
                if matches!(self.chars.get(self.pos + 1), Some('-' | '=' | '.')) =>
            {
                Some(c)
            }
            _ => None,
        };
        if tail.is_some() {
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
        let mut style = stroke(&body);
        let mut head = self.head_at(self.pos);
        if head.is_some() {
            self.pos += 1;
        }
        let mut text = None;
        // An open link, its text, then the closing arrow: `-- text -->`, `==text==>`.
        if head.is_none()
            && matches!(body.as_str(), "--" | "==" | "-.")
            && self.peek().is_some_and(|c| c != '|')
        {
            let text_start = self.pos;
            let mut i = self.pos;
            let mut quoted = false;
            let mut close = None;
            while i < self.chars.len() {
                if self.chars[i] == '"' {
                    quoted = !quoted;
                } else if !quoted && let Some(c) = self.closer_at(i, &body) {
                    close = Some((i, c));
                    break;
                }
                i += 1;
            }
            let (at, (end, h)) = close?;
            text = Some(label(
                &self.chars[text_start..at].iter().collect::<String>(),
            ));
            style = stroke(&body);
            head = h;
            self.pos = end;
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
        let (head, reversed) = heads(tail, head);
        Some(Link {
            invisible: false,
            style,
            head,
            reversed,
            label: text.filter(|t| !t.is_empty()),
            id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(s: &str) -> Option<(EdgeStyle, Head, bool, Option<String>)> {
        let mut lx = Lexer::new(s);
        let l = lx.link()?;
        Some((l.style, l.head, l.reversed, l.label))
    }

    #[test]
    fn strokes_heads_and_text_of_every_link_form() {
        use EdgeStyle::*;
        let t = |s: &str| Some(s.to_owned());
        for (src, want) in [
            ("-->", (Solid, Head::Arrow, false, None)),
            ("--->", (Solid, Head::Arrow, false, None)),
            ("---", (Solid, Head::None, false, None)),
            ("==>", (Thick, Head::Arrow, false, None)),
            ("===", (Thick, Head::None, false, None)),
            ("-.->", (Dotted, Head::Arrow, false, None)),
            ("-.-", (Dotted, Head::None, false, None)),
            ("-..->", (Dotted, Head::Arrow, false, None)),
            ("<-->", (Solid, Head::Both, false, None)),
            ("<==>", (Thick, Head::Both, false, None)),
            ("o--o", (Solid, Head::CircleBoth, false, None)),
            ("--o", (Solid, Head::Circle, false, None)),
            ("x--x", (Solid, Head::CrossBoth, false, None)),
            ("--x", (Solid, Head::Cross, false, None)),
            ("-->|예|", (Solid, Head::Arrow, false, t("예"))),
            ("-- 재시도 -->", (Solid, Head::Arrow, false, t("재시도"))),
            ("--retry-->", (Solid, Head::Arrow, false, t("retry"))),
            ("--re-try-->", (Solid, Head::Arrow, false, t("re-try"))),
            ("==sync==>", (Thick, Head::Arrow, false, t("sync"))),
            ("== 동기 ==>", (Thick, Head::Arrow, false, t("동기"))),
            ("-.async.->", (Dotted, Head::Arrow, false, t("async"))),
            ("-. v1.2 .->", (Dotted, Head::Arrow, false, t("v1.2"))),
            ("-.maybe.-", (Dotted, Head::None, false, t("maybe"))),
            ("-- link ---", (Solid, Head::None, false, t("link"))),
            ("<-- both -->", (Solid, Head::Both, false, t("both"))),
            ("e1@-->", (Solid, Head::Arrow, false, None)),
        ] {
            assert_eq!(link(src), Some(want), "{src}");
        }
        assert_eq!(link("-- never closed"), None);
        assert_eq!(link("-"), None);
        let mut lx = Lexer::new("e7@==>");
        assert_eq!(lx.link().and_then(|l| l.id).as_deref(), Some("e7"));
    }
}
