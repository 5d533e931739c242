//! One pass over a note's body for what the index needs: the first `# H1`, inline `#tags` and
//! `[[wikilinks]]`, skipping fenced code, inline code and HTML tags.
//!
//! Why not pulldown-cmark here: Obsidian's tag and wikilink rules are not CommonMark's (a
//! `[[a\|b]]` inside a table cell, a `#tag` at the start of a line), and this pass runs over every
//! note while the vault loads, where a line scanner is several times cheaper than a full parse.
//! The content pane renders with pulldown-cmark.

use std::collections::HashMap;

use serde::Serialize;

/// A line of the body with its file line number and whether it is inside fenced code.
#[derive(Debug, Clone, Copy)]
pub struct BodyLine<'a> {
    pub line: usize,
    pub text: &'a str,
    pub in_code: bool,
    /// The line is a fence (` ``` ` or `~~~`) that opens or closes a code block.
    pub fence: bool,
}

/// Splits a body into lines, marking fenced code (```` ``` ```` or `~~~`, also inside `>`
/// quotes and list indentation). An unclosed fence runs to the end, as in CommonMark.
pub fn lines(body: &str, first_line: usize) -> Vec<BodyLine<'_>> {
    let mut out = Vec::with_capacity(body.len() / 40 + 1);
    out.extend(Lines::new(body, first_line));
    out
}

/// The lines of [`lines`], one at a time.
pub struct Lines<'a> {
    rest: Option<&'a str>,
    line: usize,
    fence: Option<(u8, usize)>,
}

impl<'a> Lines<'a> {
    pub fn new(body: &'a str, first_line: usize) -> Self {
        Lines {
            rest: Some(body),
            line: first_line,
            fence: None,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = BodyLine<'a>;

    fn next(&mut self) -> Option<BodyLine<'a>> {
        let rest = self.rest?;
        let (raw, next) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        self.rest = next;
        let text = raw.strip_suffix('\r').unwrap_or(raw);
        let line = self.line;
        self.line += 1;
        // Only a line starting (after quotes and indentation) with ` or ~ can be a fence.
        let (in_code, fence) = match (self.fence, fence_marker(text)) {
            (None, Some((ch, len, _))) => {
                self.fence = Some((ch, len));
                (true, true)
            }
            (Some((ch, len)), Some((c2, l2, info_empty)))
                if c2 == ch && l2 >= len && info_empty =>
            {
                self.fence = None;
                (true, true)
            }
            (Some(_), _) => (true, false),
            (None, None) => (false, false),
        };
        Some(BodyLine {
            line,
            text,
            in_code,
            fence,
        })
    }
}

/// `(fence char, run length, nothing after the run)` when the line opens or closes a fence.
pub fn fence_marker(text: &str) -> Option<(u8, usize, bool)> {
    let t = text.trim_start_matches(['>', ' ', '\t']);
    let b = t.as_bytes();
    let ch = *b.first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = b.iter().take_while(|&&c| c == ch).count();
    if len < 3 {
        return None;
    }
    let rest = &t[len..];
    // A backtick fence's info string may not contain a backtick (that is inline code).
    if ch == b'`' && rest.contains('`') {
        return None;
    }
    Some((ch, len, rest.trim().is_empty()))
}

/// A fenced code block: its info string (`mermaid`, `rust`, or empty), its text, and the file
/// line of its opening fence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FencedBlock {
    pub info: String,
    pub text: String,
    pub line: usize,
}

impl FencedBlock {
    /// Whether the block may be a diagram: no info string or a diagram-like one. Code in a
    /// programming language never is (Haskell signatures are full of `->`).
    pub fn may_be_diagram(&self) -> bool {
        is_diagram_info(&self.info)
    }
}

/// Whether a fence's info string leaves the block free to be a diagram: none, or a
/// diagram-like one (`text`, `ascii`, `diagram`, `mermaid` …), never a programming language.
pub fn is_diagram_info(info: &str) -> bool {
    let lang = info
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        lang.as_str(),
        "" | "text" | "txt" | "ascii" | "plaintext" | "diagram" | "mermaid" | "d2"
    )
}

/// The fenced code blocks of a body, in order (an unclosed one runs to the end).
pub fn fenced_blocks(body: &str, first_line: usize) -> Vec<FencedBlock> {
    let mut out: Vec<FencedBlock> = Vec::new();
    let mut open: Option<FencedBlock> = None;
    for l in Lines::new(body, first_line) {
        match (l.fence, open.as_mut()) {
            (true, None) => {
                let t = l.text.trim_start_matches(['>', ' ', '\t']);
                let info = t.trim_start_matches(['`', '~']).trim().to_owned();
                open = Some(FencedBlock {
                    info,
                    text: String::new(),
                    line: l.line,
                });
            }
            (true, Some(_)) => out.extend(open.take()),
            (false, Some(b)) => {
                b.text.push_str(l.text);
                b.text.push('\n');
            }
            (false, None) => {}
        }
    }
    out.extend(open);
    out
}

/// A `[[wikilink]]` or `![[embed]]` as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawLink {
    /// The note part before `#`, as written (may be empty for `[[#heading]]`).
    pub target: String,
    /// `[[a#Heading]]`: the heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// `[[a#^id]]`: the block id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
    /// `[[a|shown text]]`: the text shown instead of the target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    pub embed: bool,
    pub line: usize,
}

/// What a body pass finds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BodyIndex {
    /// The first level-1 ATX heading, for notes without a front-matter title.
    pub h1: Option<String>,
    /// The line of a level-1 heading before [`BodyIndex::h1`] that shows as nothing (only
    /// invisible characters), skipped for the title.
    pub blank_h1: Option<usize>,
    /// Inline tags, normalised (no `#`), each once, in order of first appearance.
    pub tags: Vec<String>,
    pub links: Vec<RawLink>,
}

/// Scans the body lines (from [`lines`]); `with_links: false` leaves [`BodyIndex::links`] empty.
pub fn scan<'a>(lines: impl IntoIterator<Item = BodyLine<'a>>, with_links: bool) -> BodyIndex {
    let mut idx = BodyIndex::default();
    // Keeps the tags distinct; a note with 100k distinct tags stays linear.
    let mut seen = super::DistinctTags::default();
    for l in lines.into_iter().filter(|l| !l.in_code) {
        let text = l.text;
        if idx.h1.is_none()
            && let Some(h) = h1_text(text)
        {
            if crate::sanitize::looks_blank(h) {
                idx.blank_h1.get_or_insert(l.line);
            } else {
                idx.h1 = Some(h.to_owned());
            }
        }
        // Quick rejects: most lines have neither marker.
        let bytes = text.as_bytes();
        let has_hash = memchr::memchr(b'#', bytes).is_some();
        let has_link = with_links && memchr::memmem::find(bytes, b"[[").is_some();
        if has_hash || has_link {
            scan_line(text, l.line, has_hash, has_link, &mut idx, &mut seen);
        }
    }
    idx
}

/// The text of a `# Heading` line (level 1 only), without a closing run of `#`s (which needs
/// a space before it, as in CommonMark: `# C#` is "C#").
fn h1_text(line: &str) -> Option<&str> {
    let t = line
        .strip_prefix("# ")
        .or_else(|| line.strip_prefix("#\t"))?
        .trim();
    let without_closing = t.trim_end_matches('#');
    let t = if without_closing.is_empty() || without_closing.ends_with([' ', '\t']) {
        without_closing.trim_end()
    } else {
        t
    };
    (!t.is_empty()).then_some(t)
}

/// Byte ranges of a line that are inline code or an HTML tag: nothing in them is indexed.
/// Linear in the line: a backtick run closes at the next run of the same length, found from a
/// per-length queue; once a `<` finds no `>`, no later one can.
fn masked_ranges(line: &str) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    // Every backtick run, and for each length the runs of that length in order.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'`', &b[i..]) {
        let start = i + off;
        let len = b[start..].iter().take_while(|&&c| c == b'`').count();
        runs.push((start, len));
        i = start + len;
    }
    let mut by_len: HashMap<usize, std::collections::VecDeque<usize>> = HashMap::new();
    for (k, &(_, len)) in runs.iter().enumerate() {
        by_len.entry(len).or_default().push_back(k);
    }
    let mut out = Vec::new();
    let mut code_end = 0;
    for (k, &(start, len)) in runs.iter().enumerate() {
        let queue = by_len.entry(len).or_default();
        while queue.front().is_some_and(|&q| q <= k) {
            queue.pop_front();
        }
        if start < code_end {
            continue;
        }
        if let Some(&close) = queue.front() {
            let end = runs[close].0 + len;
            out.push((start, end));
            code_end = end;
        }
    }
    // HTML tags outside code spans.
    let mut html = Vec::new();
    let mut i = 0;
    let mut spans = Spans::new(&out);
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let at = i + off;
        i = at + 1;
        let opens = b
            .get(at + 1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/' || *c == b'!');
        if !opens || spans.contains(at) {
            continue;
        }
        match memchr::memchr(b'>', &b[at..]) {
            Some(k) => {
                html.push((at, at + k + 1));
                i = at + k + 1;
            }
            None => break,
        }
    }
    out.extend(html);
    out.sort_unstable();
    out
}

/// The code spans and HTML tags of a line, found on the first question, then asked about
/// positions that only grow (until [`CodeMask::rewind`]).
struct CodeMask<'t> {
    text: &'t str,
    ranges: Option<Vec<(usize, usize)>>,
    cursor: usize,
}

impl CodeMask<'_> {
    fn contains(&mut self, pos: usize) -> bool {
        let ranges = self.ranges.get_or_insert_with(|| masked_ranges(self.text));
        let mut spans = Spans {
            ranges,
            cursor: self.cursor,
        };
        let inside = spans.contains(pos);
        self.cursor = spans.cursor;
        inside
    }

    fn rewind(&mut self) {
        self.cursor = 0;
    }
}

/// Sorted byte ranges, asked about positions that only grow: a cursor makes each answer O(1)
/// amortised.
struct Spans<'r> {
    ranges: &'r [(usize, usize)],
    cursor: usize,
}

impl<'r> Spans<'r> {
    fn new(ranges: &'r [(usize, usize)]) -> Self {
        Spans { ranges, cursor: 0 }
    }

    fn contains(&mut self, pos: usize) -> bool {
        while self.cursor < self.ranges.len() && self.ranges[self.cursor].1 <= pos {
            self.cursor += 1;
        }
        self.ranges
            .get(self.cursor)
            .is_some_and(|&(s, e)| pos >= s && pos < e)
    }
}

fn scan_line(
    text: &str,
    line: usize,
    has_hash: bool,
    has_link: bool,
    idx: &mut BodyIndex,
    seen: &mut super::DistinctTags,
) {
    // Code spans and HTML tags are found only once a candidate needs the answer: most lines
    // with a `#` are headings, whose marker is skipped without it.
    let mut code = CodeMask {
        text,
        ranges: None,
        cursor: 0,
    };
    let b = text.as_bytes();
    // Wikilinks first, remembering their spans so `[[a#h]]` is not read as a tag.
    let mut link_spans: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    // Without links wanted, `[[` spans are still skipped for tags (`[[a#h]]` is no tag).
    while let Some(off) = memchr::memmem::find(&b[from..], b"[[") {
        let open = from + off;
        from = open + 2;
        if code.contains(open) {
            continue;
        }
        let Some(len) = memchr::memmem::find(&b[open + 2..], b"]]") else {
            break;
        };
        let inner = &text[open + 2..open + 2 + len];
        let end = open + 2 + len + 2;
        from = end;
        if inner.contains("[[") {
            continue;
        }
        let embed = open > 0 && b[open - 1] == b'!';
        link_spans.push((open, end));
        if has_link && let Some(link) = parse_link(inner, embed, line) {
            idx.links.push(link);
        }
    }
    if !has_hash {
        return;
    }
    // A heading's leading `#`s are a marker, not a tag.
    let start = {
        let hashes = b.iter().take_while(|&&c| c == b'#').count();
        if (1..=6).contains(&hashes) && matches!(b.get(hashes), Some(b' ' | b'\t') | None) {
            hashes
        } else {
            0
        }
    };
    let mut links = Spans::new(&link_spans);
    code.rewind();
    let mut pos = start;
    while let Some(off) = memchr::memchr(b'#', &b[pos..]) {
        let at = pos + off;
        pos = at + 1;
        let preceded_ok = at == 0
            || text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
        if !preceded_ok || links.contains(at) {
            continue;
        }
        if code.contains(at) {
            continue;
        }
        let rest = &text[at + 1..];
        let len: usize = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '/')))
            .map_or(rest.len(), |(i, _)| i);
        let raw = rest[..len].trim_end_matches('/');
        if raw.is_empty() {
            continue;
        }
        if let Ok(Some(tag)) = super::frontmatter::normalize_tag(raw, false) {
            seen.push(&mut idx.tags, tag);
        }
        pos = at + 1 + len;
    }
}

/// Splits the inside of `[[…]]`: `target#heading|display`, `target#^block`, with `\|` (the form
/// used inside tables) taken as the `|` separator.
fn parse_link(inner: &str, embed: bool, line: usize) -> Option<RawLink> {
    let (dest, display) = match inner.find('|') {
        Some(i) => {
            let dest = inner[..i].strip_suffix('\\').unwrap_or(&inner[..i]);
            (
                dest,
                Some(inner[i + 1..].trim().to_owned()).filter(|d| !d.is_empty()),
            )
        }
        None => (inner, None),
    };
    let (target, anchor) = match dest.find('#') {
        Some(i) => (&dest[..i], Some(dest[i + 1..].trim())),
        None => (dest, None),
    };
    let (heading, block) = match anchor {
        Some(a) if a.starts_with('^') && a.len() > 1 => (None, Some(a[1..].to_owned())),
        Some(a) if a.starts_with('^') => (None, None),
        Some(a) if !a.is_empty() => (Some(a.to_owned()), None),
        _ => (None, None),
    };
    let target = target.trim();
    // `[[|]]`, `[[#]]`, `[[ | x]]`: nothing to point at.
    if target.is_empty() && heading.is_none() && block.is_none() {
        return None;
    }
    Some(RawLink {
        target: target.trim().to_owned(),
        heading,
        block,
        display,
        embed,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(body: &str) -> BodyIndex {
        scan(lines(body, 1), true)
    }

    fn tags(body: &str) -> Vec<String> {
        index(body).tags
    }

    #[test]
    fn inline_tags_follow_obsidian_rules() {
        let cases: &[(&str, &[&str])] = &[
            ("#tag at start", &["tag"]),
            ("text #one and #two/nested", &["one", "two/nested"]),
            ("# Heading #intitle", &["intitle"]),
            ("## Heading", &[]),
            ("#123 digits only and #2024y", &["2024y"]),
            ("한글 #네트워크/보안 태그", &["네트워크/보안"]),
            ("no#tag inside a word", &[]),
            ("`#code` span and ``x #y`` too", &[]),
            ("<span style=\"color: #ff0000\">red</span> #real", &["real"]),
            ("<font color= #fff>x</font>", &[]),
            ("url http://x.com/#frag and [l](#anchor)", &[]),
            ("[[note#heading]] #after", &["after"]),
            ("#dup #DUP #dup", &["dup"]),
            ("#Ärger #ärger #İx", &["Ärger", "İx"]),
            ("`a` #t `b` #u <b>#v</b> #w", &["t", "u", "w"]),
            ("<a <b #x", &["x"]),
            ("#trailing/ slash", &["trailing"]),
            ("#with_under-score.", &["with_under-score"]),
            ("```\n#in-fence\n```\n#out", &["out"]),
            ("> ```\n> #in-quoted-fence\n> ```", &[]),
            ("~~~~\n#x\n~~~\n#still-code\n~~~~\n#y", &["y"]),
        ];
        for (body, want) in cases {
            assert_eq!(tags(body), *want, "{body:?}");
        }
    }

    #[test]
    fn wikilink_forms() {
        let l = |s: &str| index(s).links;
        let one = |target: &str,
                   heading: Option<&str>,
                   block: Option<&str>,
                   display: Option<&str>,
                   embed| RawLink {
            target: target.into(),
            heading: heading.map(Into::into),
            block: block.map(Into::into),
            display: display.map(Into::into),
            embed,
            line: 1,
        };
        assert_eq!(l("see [[a]]"), [one("a", None, None, None, false)]);
        assert_eq!(
            l("[[a|Shown]]"),
            [one("a", None, None, Some("Shown"), false)]
        );
        assert_eq!(
            l("[[a#Head ing]]"),
            [one("a", Some("Head ing"), None, None, false)]
        );
        assert_eq!(l("[[#local]]"), [one("", Some("local"), None, None, false)]);
        assert_eq!(
            l("[[a#^blk1]]"),
            [one("a", None, Some("blk1"), None, false)]
        );
        assert_eq!(l("![[img.png]]"), [one("img.png", None, None, None, true)]);
        assert_eq!(l("| [[a\\|b]] |"), [one("a", None, None, Some("b"), false)]);
        assert_eq!(
            l("[[dir/note.md#h|x]]"),
            [one("dir/note.md", Some("h"), None, Some("x"), false)]
        );
        assert!(l("`[[code]]` and [[]] and [[ ]]").is_empty());
        assert!(
            l("[[|]] [[#]] [[ | x]] [[#^]]").is_empty(),
            "links to nothing are dropped"
        );
        assert_eq!(l("[[a#^]]"), [one("a", None, None, None, false)]);
        assert!(l("```\n[[in fence]]\n```").is_empty());
        assert!(l("[[unclosed").is_empty());
        assert_eq!(l("[[a]] [[b]]").len(), 2);
        assert_eq!(index("x\n\n[[c]]").links[0].line, 3);
    }

    #[test]
    fn fenced_blocks_with_their_info() {
        let body = "a\n```\n[A] → [B]\n```\n```rust\nfn x() -> u8 {}\n```\n> ```mermaid\n> graph LR\n> ```\n~~~\nopen";
        let blocks = fenced_blocks(body, 10);
        let got: Vec<(&str, &str, usize, bool)> = blocks
            .iter()
            .map(|b| (b.info.as_str(), b.text.as_str(), b.line, b.may_be_diagram()))
            .collect();
        assert_eq!(
            got,
            [
                ("", "[A] → [B]\n", 11, true),
                ("rust", "fn x() -> u8 {}\n", 14, false),
                ("mermaid", "> graph LR\n", 17, true),
                ("", "open\n", 20, true),
            ]
        );
    }

    #[test]
    fn first_h1_outside_code() {
        assert_eq!(
            index("```\n# not\n```\n## two\n# Real Title #\n# later")
                .h1
                .as_deref(),
            Some("Real Title")
        );
        assert_eq!(index("#nospace").h1, None);
        assert_eq!(index("# C#").h1.as_deref(), Some("C#"));
        assert_eq!(index("# Title ##").h1.as_deref(), Some("Title"));
        // A heading of invisible characters is skipped, and its line kept.
        let i = index("# \u{200B}\u{3164}\n\n# Real\n");
        assert_eq!((i.h1.as_deref(), i.blank_h1), (Some("Real"), Some(1)));
        let i = index("# Real\n# \u{200B}\n");
        assert_eq!((i.h1.as_deref(), i.blank_h1), (Some("Real"), None));
        assert_eq!(index("# #").h1, None);
    }
}
