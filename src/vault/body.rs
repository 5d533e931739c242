//! One pass over a note's body for what the index needs: the first `# H1`, inline `#tags`,
//! `[[wikilinks]]` and markdown links to notes (`[text](Note.md)`), skipping fenced code,
//! `<pre>` blocks, inline code, HTML tags and comments (`<!-- … -->`, `%% … %%`, also over
//! several lines), as Obsidian does.
//!
//! Why not pulldown-cmark here: Obsidian's tag and wikilink rules are not CommonMark's (a
//! `[[a\|b]]` inside a table cell, a `#tag` at the start of a line), and this pass runs over every
//! note while the vault loads, where a line scanner is several times cheaper than a full parse.
//! The content pane renders with pulldown-cmark.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

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
    /// Inside a `<pre>` (or `<script>`, `<style>`, `<textarea>`) block: its closing tag.
    raw_html: Option<&'static str>,
}

impl<'a> Lines<'a> {
    pub fn new(body: &'a str, first_line: usize) -> Self {
        Lines {
            rest: Some(body),
            line: first_line,
            fence: None,
            raw_html: None,
        }
    }
}

/// The closing tag of the HTML block `text` opens whose text is kept as written (CommonMark's
/// first kind: `<pre`, `<script`, `<style`, `<textarea`, after at most three spaces). Inside
/// one, a ```` ``` ```` line is text, not a fence.
fn raw_html_open(text: &str) -> Option<&'static str> {
    let t = text.trim_start_matches(' ');
    if text.len() - t.len() > 3 || !t.starts_with('<') {
        return None;
    }
    let b = t.as_bytes();
    [
        ("pre", "</pre>"),
        ("script", "</script>"),
        ("style", "</style>"),
        ("textarea", "</textarea>"),
    ]
    .into_iter()
    .find(|(name, _)| {
        let n = name.len();
        b.len() > n
            && b[1..=n].eq_ignore_ascii_case(name.as_bytes())
            && matches!(b.get(n + 1), None | Some(b' ' | b'\t' | b'>'))
    })
    .map(|(_, close)| close)
}

/// Whether `text` holds `tag` (lower-case ASCII), ignoring ASCII case.
fn holds_tag(text: &str, tag: &str) -> bool {
    text.as_bytes()
        .windows(tag.len())
        .any(|w| w.eq_ignore_ascii_case(tag.as_bytes()))
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
        if self.fence.is_none()
            && let Some(close) = self.raw_html.or_else(|| raw_html_open(text))
        {
            // A `<pre>` block runs to the line holding `</pre>`; all of it is code.
            self.raw_html = (!holds_tag(text, close)).then_some(close);
            return Some(BodyLine {
                line,
                text,
                in_code: true,
                fence: false,
            });
        }
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

/// How a link was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkForm {
    /// `[[note]]`, `![[embed]]` in the body.
    #[default]
    Wikilink,
    /// `[text](Note.md)`, `![alt](image.png)`: a markdown link or image to a file of the vault.
    Markdown,
    /// `related: "[[note]]"` (or a list of them) in the front matter.
    Property,
}

/// A link as written: a `[[wikilink]]`, an `![[embed]]`, a markdown link to a note, or a
/// wikilink in a property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawLink {
    /// The note part before `#`, as written (may be empty for `[[#heading]]`); a markdown
    /// link's destination with its `%20`s and escapes decoded.
    pub target: String,
    /// `[[a#Heading]]`: the heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// `[[a#^id]]`: the block id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
    /// `[[a|shown text]]`, `[shown text](a.md)`: the text shown instead of the target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    pub embed: bool,
    /// `![[x.png|300]]`, `![[x.png|300x200]]`: the width an embed asks for (never its name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// `![[x.png|300x200]]`: the height.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    #[serde(default)]
    pub form: LinkForm,
    pub line: usize,
}

/// `300` or `300x200` (an embed's size, as Obsidian writes it after `|`): width and height.
pub fn embed_size(s: &str) -> Option<(u32, Option<u32>)> {
    let s = s.trim();
    let number = |t: &str| {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    match s.split_once('x') {
        Some((w, h)) => Some((number(w)?, Some(number(h)?))),
        None => Some((number(s)?, None)),
    }
}

/// Text shown for an embed or image (`alt|300`): the text without a trailing size, and the
/// size.
pub fn split_size(text: &str) -> (&str, Option<(u32, Option<u32>)>) {
    if let Some(size) = embed_size(text) {
        return ("", Some(size));
    }
    match text.rsplit_once('|') {
        Some((rest, last)) => match embed_size(last) {
            Some(size) => (rest.trim_end(), Some(size)),
            None => (text, None),
        },
        None => (text, None),
    }
}

/// `%XX` sequences decoded (when they make UTF-8; else the text as it is).
pub fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('%') {
        return std::borrow::Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => std::borrow::Cow::Owned(decoded),
        Err(_) => std::borrow::Cow::Borrowed(s),
    }
}

/// What a markdown link's destination points at inside the vault: `(target, heading, block)`
/// with `%20`s decoded, or `None` for a URL (`https:`, `mailto:`, `obsidian:`, `//host`) or
/// nothing. `[t](#Heading)` points into the note itself (an empty target).
pub fn note_destination(dest: &str) -> Option<(String, Option<String>, Option<String>)> {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with("//") {
        return None;
    }
    let scheme = dest.find(':').is_some_and(|i| {
        let s = &dest[..i];
        s.len() > 1
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if scheme {
        return None;
    }
    let (target, anchor) = match dest.split_once('#') {
        Some((t, a)) => (t, Some(a)),
        None => (dest, None),
    };
    let target = percent_decode(target).trim().to_owned();
    let anchor = anchor.map(|a| percent_decode(a).trim().to_owned());
    let (heading, block) = match anchor {
        Some(a) if a.starts_with('^') && a.len() > 1 => (None, Some(a[1..].to_owned())),
        Some(a) if !a.is_empty() && !a.starts_with('^') => (Some(a), None),
        _ => (None, None),
    };
    if target.is_empty() && heading.is_none() && block.is_none() {
        return None;
    }
    Some((target, heading, block))
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
    scan_for(lines, true, with_links)
}

/// [`scan`]'s links alone, for a note whose tags and heading are known (an outline's): the
/// same links, without looking for tags or the heading.
pub fn links<'a>(lines: impl IntoIterator<Item = BodyLine<'a>>) -> Vec<RawLink> {
    scan_for(lines, false, true).links
}

/// [`scan`], finding the tags and the heading only when `outline`.
fn scan_for<'a>(
    lines: impl IntoIterator<Item = BodyLine<'a>>,
    outline: bool,
    with_links: bool,
) -> BodyIndex {
    let mut idx = BodyIndex::default();
    // Keeps the tags distinct; a note with 100k distinct tags stays linear.
    let mut seen = super::DistinctTags::default();
    let mut comments = Comments::default();
    // Built once per note: `memmem::find` builds its searcher again on every call, which a
    // cold load paid twice for every line of every note.
    let finders = with_links.then(|| {
        (
            memchr::memmem::Finder::new(b"[["),
            memchr::memmem::Finder::new(b"]("),
        )
    });
    for l in lines.into_iter().filter(|l| !l.in_code) {
        let blanked = comments.blank(l.text);
        let text = blanked.as_ref();
        if outline
            && idx.h1.is_none()
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
        let has_hash = outline && memchr::memchr(b'#', bytes).is_some();
        let (has_link, has_markdown_link) = match &finders {
            Some((wikilink, markdown_link)) => (
                wikilink.find(bytes).is_some(),
                markdown_link.find(bytes).is_some(),
            ),
            None => (false, false),
        };
        if has_hash || has_link || has_markdown_link {
            let wanted = Wanted {
                tags: has_hash,
                wikilinks: has_link,
                markdown_links: has_markdown_link,
            };
            scan_line(text, l.line, wanted, &mut idx, &mut seen);
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
    let mut out = code_spans(b);
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

/// Byte ranges of the code spans of a line, in order. Linear: a backtick run closes at the
/// next run of the same length, found from a per-length queue.
fn code_spans(b: &[u8]) -> Vec<(usize, usize)> {
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
    out
}

/// Comments (`%% … %%` and `<!-- … -->`) open at the end of the lines seen so far: what the
/// next line starts inside.
#[derive(Debug, Default)]
struct Comments {
    /// The closing marker of the comment open, if one is.
    open: Option<&'static str>,
}

impl Comments {
    /// `text` with its comments blanked out (each byte a space, so positions stay and what
    /// follows a comment is not joined to what came before it). Outside code spans, a `%%` or
    /// `<!--` opens a comment that runs to its closing marker, on this line or a later one.
    fn blank<'t>(&mut self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let b = text.as_bytes();
        // Most lines have neither `%` nor `<`: one pass says so.
        if self.open.is_none()
            && (memchr::memchr2(b'%', b'<', b).is_none()
                || (memchr::memmem::find(b, b"%%").is_none()
                    && memchr::memmem::find(b, b"<!--").is_none()))
        {
            return std::borrow::Cow::Borrowed(text);
        }
        let code = code_spans(b);
        let mut code = Spans::new(&code);
        let mut blanked: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        let mut from = 0;
        loop {
            match self.open {
                Some(close) => match memchr::memmem::find(&b[i..], close.as_bytes()) {
                    Some(k) => {
                        let end = i + k + close.len();
                        blanked.push((from, end));
                        self.open = None;
                        i = end;
                    }
                    None => {
                        blanked.push((from, b.len()));
                        break;
                    }
                },
                None => {
                    let next = (i..b.len()).find(|&j| {
                        (b[j..].starts_with(b"%%") || b[j..].starts_with(b"<!--"))
                            && !code.contains(j)
                    });
                    let Some(j) = next else { break };
                    let (marker, close) = if b[j] == b'%' { (2, "%%") } else { (4, "-->") };
                    self.open = Some(close);
                    from = j;
                    i = j + marker;
                }
            }
        }
        if blanked.is_empty() {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut out = b.to_vec();
        for (a, z) in blanked {
            out[a..z].fill(b' ');
        }
        // Only whole characters between ASCII markers (or the line's ends) were blanked.
        std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_owned()))
    }
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

/// What a line may hold that is wanted.
#[derive(Debug, Clone, Copy)]
struct Wanted {
    tags: bool,
    wikilinks: bool,
    markdown_links: bool,
}

fn scan_line(
    text: &str,
    line: usize,
    wanted: Wanted,
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
    // The links of the line with where they start, put in that order at the end.
    let mut found: Vec<(usize, RawLink)> = Vec::new();
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
        if wanted.wikilinks
            && let Some(link) = parse_link(inner, embed, line)
        {
            found.push((open, link));
        }
    }
    if wanted.markdown_links {
        code.rewind();
        let wiki = found.len();
        markdown_links(text, line, &link_spans, &mut code, &mut found);
        if wiki > 0 && found.len() > wiki {
            found.sort_by_key(|(at, _)| *at);
        }
    }
    idx.links.extend(found.into_iter().map(|(_, l)| l));
    if !wanted.tags {
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

/// The wikilinks in a note's properties (`related: "[[Note]]"`, or a list of them: Obsidian
/// links text and list properties), each with the front-matter line that holds it (`yaml`
/// starting on file line `first_line`), in line order.
pub fn property_links(
    properties: &serde_json::Map<String, serde_json::Value>,
    yaml: &str,
    first_line: usize,
) -> Vec<RawLink> {
    fn strings<'v>(v: &'v serde_json::Value, out: &mut Vec<&'v str>) {
        match v {
            serde_json::Value::String(s) if s.contains("[[") => out.push(s),
            serde_json::Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
            serde_json::Value::Object(map) => map.values().for_each(|i| strings(i, out)),
            _ => {}
        }
    }
    let mut texts = Vec::new();
    properties.values().for_each(|v| strings(v, &mut texts));
    let mut out = Vec::new();
    for text in texts {
        let b = text.as_bytes();
        let mut from = 0;
        while let Some(off) = memchr::memmem::find(&b[from..], b"[[") {
            let open = from + off;
            let Some(len) = memchr::memmem::find(&b[open + 2..], b"]]") else {
                break;
            };
            let inner = &text[open + 2..open + 2 + len];
            from = open + 2 + len + 2;
            let embed = open > 0 && b[open - 1] == b'!';
            let line = yaml.find(&text[open..from]).map_or(first_line, |at| {
                first_line + yaml[..at].matches('\n').count()
            });
            if let Some(mut link) = parse_link(inner, embed, line) {
                link.form = LinkForm::Property;
                out.push(link);
            }
        }
    }
    out.sort_by_key(|l| l.line);
    out
}

/// The markdown links and images of a line to files of the vault (`[text](Note.md)`,
/// `[text](<folder/Note Name.md>)`, `![alt](img.png)`; not URLs), outside code spans, HTML tags
/// and wikilinks, pushed with where they start. Brackets are matched with a stack, so a line
/// is read once however its brackets nest.
fn markdown_links(
    text: &str,
    line: usize,
    wikilinks: &[(usize, usize)],
    code: &mut CodeMask,
    out: &mut Vec<(usize, RawLink)>,
) {
    let b = text.as_bytes();
    let mut wiki = Spans::new(wikilinks);
    let mut opens: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr2(b'[', b']', &b[i..]) {
        let at = i + off;
        i = at + 1;
        let escaped = at > 0 && b[at - 1] == b'\\';
        if escaped || wiki.contains(at) || code.contains(at) {
            continue;
        }
        if b[at] == b'[' {
            opens.push(at);
            continue;
        }
        let Some(open) = opens.pop() else { continue };
        if b.get(at + 1) != Some(&b'(') {
            continue;
        }
        let Some((dest, end)) = destination(&text[at + 2..]) else {
            continue;
        };
        // Links do not nest: what was open before this one is text.
        opens.clear();
        i = at + 2 + end;
        let embed = open > 0 && b[open - 1] == b'!';
        let Some((target, heading, block)) = note_destination(&dest) else {
            continue;
        };
        let label = text[open + 1..at].trim();
        let (label, size) = if embed {
            split_size(label)
        } else {
            (label, None)
        };
        out.push((
            open,
            RawLink {
                target,
                heading,
                block,
                display: (!label.is_empty()).then(|| label.to_owned()),
                embed,
                width: size.map(|s| s.0),
                height: size.and_then(|s| s.1),
                form: LinkForm::Markdown,
                line,
            },
        ));
    }
}

/// The destination of a markdown link from just after its `(`: `<…>` or a run without spaces
/// (balanced parentheses, backslash escapes), an optional title, then `)`. Returns the
/// destination with its escapes undone and the bytes read, through the `)`.
fn destination(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| matches!(c, b' ' | b'\t')).count();
    let mut dest = String::new();
    if b.get(i) == Some(&b'<') {
        let close = s[i + 1..].find(['>', '<'])?;
        if b[i + 1 + close] != b'>' {
            return None;
        }
        dest.push_str(&unescape(&s[i + 1..i + 1 + close]));
        i += close + 2;
    } else {
        let start = i;
        let mut depth = 0usize;
        while let Some(&c) = b.get(i) {
            match c {
                b'\\' if b.get(i + 1).is_some_and(u8::is_ascii_punctuation) => i += 2,
                b'(' => {
                    depth += 1;
                    i += 1;
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    i += 1;
                }
                b' ' | b'\t' => break,
                c if c < 0x20 => return None,
                _ => i += 1,
            }
        }
        dest.push_str(&unescape(&s[start..i]));
    }
    i += b[i..]
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count();
    // A title: "…", '…' or (…).
    if let Some(&q) = b.get(i)
        && matches!(q, b'"' | b'\'' | b'(')
    {
        let close = if q == b'(' { b')' } else { q };
        let len = memchr::memchr(close, &b[i + 1..])?;
        i += len + 2;
        i += b[i..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count();
    }
    (b.get(i) == Some(&b')')).then_some((dest, i + 1))
}

/// Backslash escapes of ASCII punctuation undone, as CommonMark reads a destination.
fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\\') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// Splits the inside of `[[…]]`: `target#heading|display`, `target#^block`, with `\|` (the form
/// used inside tables) taken as the `|` separator.
pub(crate) fn parse_link(inner: &str, embed: bool, line: usize) -> Option<RawLink> {
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
    // `![[x.png|300]]`: a size, never the text shown.
    let (display, size) = match display {
        Some(d) if embed => {
            let (text, size) = split_size(&d);
            ((!text.is_empty()).then(|| text.to_owned()), size)
        }
        d => (d, None),
    };
    Some(RawLink {
        target: target.trim().to_owned(),
        heading,
        block,
        display,
        embed,
        width: size.map(|s| s.0),
        height: size.and_then(|s| s.1),
        form: LinkForm::Wikilink,
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
            width: None,
            height: None,
            form: LinkForm::Wikilink,
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
    fn embeds_with_a_size_keep_their_name() {
        let l = |s: &str| index(s).links;
        let sized = |s: &str| {
            let l = &l(s)[0];
            (l.target.clone(), l.display.clone(), l.width, l.height)
        };
        assert_eq!(
            sized("![[x.png|300]]"),
            ("x.png".into(), None, Some(300), None)
        );
        assert_eq!(
            sized("![[x.png|300x200]]"),
            ("x.png".into(), None, Some(300), Some(200))
        );
        assert_eq!(
            sized("![[x.png|a cat|300]]"),
            ("x.png".into(), Some("a cat".into()), Some(300), None)
        );
        // A link (not an embed) shows what it says, digits or not.
        assert_eq!(
            sized("[[x|300]]"),
            ("x".into(), Some("300".into()), None, None)
        );
        assert_eq!(
            sized("![alt|120x80](img/a%20b.png)"),
            (
                "img/a b.png".into(),
                Some("alt".into()),
                Some(120),
                Some(80)
            )
        );
    }

    #[test]
    fn markdown_links_to_notes() {
        // (body, [(target, heading, display, embed)])
        type Want<'a> = &'a [(&'a str, Option<&'a str>, Option<&'a str>, bool)];
        let cases: &[(&str, Want)] = &[
            ("[t](Note.md)", &[("Note.md", None, Some("t"), false)]),
            (
                "[t](folder/Note%20Name.md#Some%20Part)",
                &[("folder/Note Name.md", Some("Some Part"), Some("t"), false)],
            ),
            (
                "[t](<folder/Note Name.md>) and [u](../up.md \"title\")",
                &[
                    ("folder/Note Name.md", None, Some("t"), false),
                    ("../up.md", None, Some("u"), false),
                ],
            ),
            (
                "[self](#Heading)",
                &[("", Some("Heading"), Some("self"), false)],
            ),
            (
                "![d](img/arch.png)",
                &[("img/arch.png", None, Some("d"), true)],
            ),
            (
                "[보안](SAA/%EB%B3%B4%EC%95%88%EA%B7%B8%EB%A3%B9.md)",
                &[("SAA/보안그룹.md", None, Some("보안"), false)],
            ),
            (
                "[a [nested] text](n.md)",
                &[("n.md", None, Some("a [nested] text"), false)],
            ),
            ("[p](a_(b).md)", &[("a_(b).md", None, Some("p"), false)]),
            ("[esc](a\\_b.md)", &[("a_b.md", None, Some("esc"), false)]),
            // Not to notes: URLs, code, escaped brackets, reference links, wikilinks.
            (
                "[w](https://x.com/a.md) [m](mailto:a@b) [o](obsidian://open?x)",
                &[],
            ),
            ("`[c](code.md)` \\[e](x.md) [r][ref] [unclosed](x.md", &[]),
            ("[[wiki]](x.md)", &[("wiki", None, None, false)]),
        ];
        for (body, want) in cases {
            let got: Vec<(String, Option<String>, Option<String>, bool)> = index(body)
                .links
                .into_iter()
                .map(|l| (l.target, l.heading, l.display, l.embed))
                .collect();
            let want: Vec<(String, Option<String>, Option<String>, bool)> = want
                .iter()
                .map(|(t, h, d, e)| ((*t).into(), h.map(Into::into), d.map(Into::into), *e))
                .collect();
            assert_eq!(got, want, "{body:?}");
        }
        let l = index("see [[a]] then [b](b.md) then [[c]]").links;
        let order: Vec<(&str, LinkForm)> = l.iter().map(|l| (l.target.as_str(), l.form)).collect();
        assert_eq!(
            order,
            [
                ("a", LinkForm::Wikilink),
                ("b.md", LinkForm::Markdown),
                ("c", LinkForm::Wikilink)
            ]
        );
    }

    #[test]
    fn comments_hide_tags_and_links() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "<!-- a > #hidden [[gone]] --> #shown [[kept]]",
                &["shown"],
                &["kept"],
            ),
            (
                "<!--\n> quoted #hidden [[gone]]\n-->\n#after [[kept]]",
                &["after"],
                &["kept"],
            ),
            ("%%#hidden [[gone]]%% #shown", &["shown"], &[]),
            ("%%\n#hidden\n[[gone]](x.md)\n%%\n#after", &["after"], &[]),
            (
                "`%%` #code-spans-open-nothing [[kept]]",
                &["code-spans-open-nothing"],
                &["kept"],
            ),
            (
                "```\n%%\n```\n#fenced-percent-opens-nothing",
                &["fenced-percent-opens-nothing"],
                &[],
            ),
            ("<!-- [t](gone.md) -->[u](kept.md)", &[], &["kept.md"]),
        ];
        for (body, tags, links) in cases {
            let i = index(body);
            let got: Vec<&str> = i.links.iter().map(|l| l.target.as_str()).collect();
            assert_eq!(i.tags, *tags, "{body:?}");
            assert_eq!(got, *links, "{body:?}");
        }
        assert_eq!(
            index("%% # Not the title %%\n# Title").h1.as_deref(),
            Some("Title")
        );
    }

    #[test]
    fn a_pre_block_holding_fences_is_code_not_a_fence() {
        let body = "<pre>\n```\n#in-pre [[in-pre]]\n```\n</pre>\n#after [[after]]\n```\nreal\n```";
        let i = index(body);
        assert_eq!(i.tags, ["after"]);
        assert_eq!(i.links.len(), 1);
        let blocks = fenced_blocks(body, 1);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].text, "real\n");
        // One line, and `<PRE class=x>`.
        assert_eq!(index("<pre>```</pre>\n#t").tags, ["t"]);
        assert_eq!(index("<PRE class=x>\n#no\n</PRE>\n#yes").tags, ["yes"]);
        assert!(index("<prefix>\n#yes").tags == ["yes"]);
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
