//! A fast path for the front matter that real notes write: `key: value` lines, one-line flow
//! lists `[a, "b"]` and block lists `- item`, with plain or simply quoted scalars.
//!
//! Why: serde_yaml costs about 20 µs per note, which on a 10k-note vault is most of the load
//! time, while nearly every block is this flat subset. [`parse`] reads the subset and returns
//! `None` for anything it is not certain about (anchors, nesting, multi-line or escaped strings,
//! scalars YAML would read as numbers, booleans or null, duplicate keys, tabs ...), and the caller
//! falls back to serde_yaml. The result must equal serde_yaml's for every block it accepts: the
//! tests compare the two on tricky inputs, the starter vault, the fixture and generated vaults.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// A value the fast path reads, borrowed from the block where it can be: what
/// [`super::parse`] coerces straight into the note's fields, without building the JSON value
/// of a title, tag or alias first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field<'a> {
    /// `key:` with nothing after it (and no list items).
    Null,
    /// A scalar.
    Text(Cow<'a, str>),
    /// A flow list `[a, b]` (possibly empty) or a block list (`None`: an empty `-` item).
    List(Items<'a>),
}

/// A list's items; `None` is an empty block-list item (`-`), which YAML reads as null.
pub type Items<'a> = Vec<Option<Cow<'a, str>>>;

impl Field<'_> {
    /// The JSON value serde_yaml reads for this field.
    pub fn into_value(self) -> Value {
        match self {
            Field::Null => Value::Null,
            Field::Text(s) => Value::String(s.into_owned()),
            Field::List(items) => Value::Array(
                items
                    .into_iter()
                    .map(|i| i.map_or(Value::Null, |s| Value::String(s.into_owned())))
                    .collect(),
            ),
        }
    }
}

/// The block as a mapping, or `None` to let serde_yaml decide. Only the space is trimmed
/// anywhere (tabs are left to serde_yaml): YAML's whitespace is not Unicode's, and U+2000 or
/// U+3000 at the edge of a value is part of it.
pub fn parse(yaml: &str) -> Option<Map<String, Value>> {
    fields(yaml).map(|fields| {
        fields
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into_value()))
            .collect()
    })
}

/// [`parse`]'s fields, borrowed, in the order of the keys (the order a [`Map`] iterates in:
/// byte order), each key once; `None` where [`parse`] gives `None`.
pub fn fields(yaml: &str) -> Option<Vec<(&str, Field<'_>)>> {
    let mut out: Vec<(&str, Field<'_>)> = Vec::new();
    // The key whose value is a block list being read, and the list's indentation.
    let mut list: Option<(&str, Items<'_>, Option<usize>)> = None;
    for raw in yaml.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        // Tabs, control characters, Unicode line breaks and the two noncharacters YAML does
        // not allow (U+FFFE, U+FFFF): serde_yaml decides (it refuses some and breaks lines at
        // others).
        if has_unusual(line) {
            return None;
        }
        // `---` and `...` at the start of a line begin or end a YAML document (also with text
        // after a space): serde_yaml reads several documents, or refuses them.
        if line.starts_with("---") || line.starts_with("...") {
            return None;
        }
        let trimmed = line.trim_matches(' ');
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('#') {
            // A comment; `#` right after indentation is still a comment.
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(item) = trimmed
            .strip_prefix('-')
            .filter(|r| r.is_empty() || r.starts_with(' '))
        {
            let (_, items, list_indent) = list.as_mut()?;
            if *list_indent.get_or_insert(indent) != indent {
                return None;
            }
            let item = item.trim_matches(' ');
            items.push(if item.is_empty() {
                None
            } else {
                Some(scalar(item, false)?)
            });
            continue;
        }
        if indent > 0 {
            return None;
        }
        if let Some((key, items, _)) = list.take() {
            out.push((key, block_list(items)));
        }
        let (key, value) = split_key(trimmed)?;
        if value.is_empty() {
            list = Some((key, Vec::new(), None));
        } else if value.starts_with('[') {
            out.push((key, flow_list(value)?));
        } else {
            out.push((key, Field::Text(scalar(value, false)?)));
        }
    }
    if let Some((key, items, _)) = list.take() {
        out.push((key, block_list(items)));
    }
    // A repeated key is left to serde_yaml's path, which keeps the last value and reports it
    // (`repeated_keys`), so both paths read such a block the same way: one of them never does.
    out.sort_unstable_by(|a, b| a.0.cmp(b.0));
    if out.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    Some(out)
}

/// Whether `line` holds a tab, a control character, a Unicode line break, a BOM or U+FFFE /
/// U+FFFF. Asked of every line of every block: a line whose bytes cannot begin any of them
/// (no C0 byte or DEL, no lead byte of C1 (0xC2), of U+2028/U+2029 (0xE2) or of
/// U+FEFF/U+FFFE/U+FFFF (0xEF)) is decided without decoding a character; Hangul (0xEA..0xED)
/// and most other text are such lines.
fn has_unusual(line: &str) -> bool {
    if line
        .bytes()
        .all(|b| b >= 0x20 && !matches!(b, 0x7F | 0xC2 | 0xE2 | 0xEF))
    {
        return false;
    }
    line.contains(is_unusual)
}

fn is_unusual(c: char) -> bool {
    c == '\t'
        || c == '\r'
        || c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// `key:` followed by `- item` lines; with no items, YAML reads `key:` as null.
fn block_list(items: Items<'_>) -> Field<'_> {
    if items.is_empty() {
        Field::Null
    } else {
        Field::List(items)
    }
}

/// libyaml (under serde_yaml) refuses a key whose `:` comes more than 1024 bytes after its
/// start ("could not find expected ':'"); a key of at most this many bytes is safely within.
const MAX_KEY_BYTES: usize = 1000;

/// `key: value` → (`key`, `value`), for plain keys only.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let colon = line
        .match_indices(':')
        .find(|(i, _)| matches!(line.as_bytes().get(i + 1), None | Some(b' ')))?
        .0;
    let key = &line[..colon];
    let value = line[colon + 1..].trim_matches(' ');
    if key.is_empty()
        || key.len() > MAX_KEY_BYTES
        || key != key.trim_matches(' ')
        || !plain_ok(key, false)
        || !reads_as_string(key)
    {
        return None;
    }
    Some((key, value))
}

/// Characters that start something other than a plain scalar.
const INDICATORS: &[char] = &[
    '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
];

/// Whether `s` is a plain scalar this path reads exactly like YAML does: it starts with no
/// indicator, holds no `: ` or ` #` (nor, in a flow list, a bracket or comma) and does not end
/// in `:`. Asked of every key and value: one pass over the bytes (every mark is ASCII, and no
/// byte of a multi-byte character is), where five searches each built a searcher.
fn plain_ok(s: &str, in_flow: bool) -> bool {
    let b = s.as_bytes();
    if b.first()
        .is_some_and(|c| INDICATORS.contains(&char::from(*c)))
        || b.last() == Some(&b':')
    {
        return false;
    }
    let mut prev = 0;
    for &c in b {
        if (prev == b':' && c == b' ')
            || (prev == b' ' && c == b'#')
            || (in_flow && matches!(c, b'[' | b']' | b'{' | b'}' | b','))
        {
            return false;
        }
        prev = c;
    }
    true
}

/// A scalar: double-quoted without escapes, single-quoted, or plain text that YAML reads as a
/// string (not null, a boolean or a number).
fn scalar(s: &str, in_flow: bool) -> Option<Cow<'_, str>> {
    if let Some(inner) = s.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        return (!inner.contains(['"', '\\'])).then_some(Cow::Borrowed(inner));
    }
    if let Some(inner) = s.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'')?;
        // Inside single quotes, `''` is one quote; a lone quote would end the string.
        if inner.replace("''", "").contains('\'') {
            return None;
        }
        if !inner.contains('\'') {
            return Some(Cow::Borrowed(inner));
        }
        return Some(Cow::Owned(inner.replace("''", "'")));
    }
    (plain_ok(s, in_flow) && reads_as_string(s)).then_some(Cow::Borrowed(s))
}

/// serde_yaml's rules for untagged plain scalars: null and boolean words, integers (also
/// `0x`/`0o`/`0b`), finite floats and `.inf`/`.nan` are not strings. Leading-zero digit runs
/// are strings there, but they are rare in front matter, so they are left to serde_yaml too.
fn reads_as_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE", ".inf",
        ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF", ".nan", ".NaN",
        ".NAN",
    ];
    if WORDS.contains(&s) {
        return false;
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if unsigned.starts_with("0x") || unsigned.starts_with("0o") || unsigned.starts_with("0b") {
        return false;
    }
    !matches!(s.parse::<f64>(), Ok(f) if f.is_finite())
}

/// `[a, "b c", 'd']` on one line.
fn flow_list(s: &str) -> Option<Field<'_>> {
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim_matches(' ').is_empty() {
        return Some(Field::List(Vec::new()));
    }
    let mut items = Vec::new();
    let mut start = 0;
    let mut quote: Option<char> = None;
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ',') => {
                items.push(Some(flow_item(&inner[start..i])?));
                start = i + 1;
            }
            _ => {}
        }
    }
    if quote.is_some() {
        return None;
    }
    items.push(Some(flow_item(&inner[start..])?));
    Some(Field::List(items))
}

fn flow_item(s: &str) -> Option<Cow<'_, str>> {
    let t = s.trim_matches(' ');
    if t.is_empty() {
        return None;
    }
    scalar(t, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every input the fast path accepts must give serde_yaml's answer.
    fn agrees(yaml: &str) -> bool {
        let fast = parse(yaml);
        if let Some(fast) = &fast {
            let exact = super::super::parse_bounded(yaml)
                .expect("serde_yaml accepts what the fast path accepts");
            let exact = match exact {
                Value::Null => Map::new(),
                Value::Object(m) => m,
                other => panic!("{yaml:?}: serde_yaml gave {other}"),
            };
            assert_eq!(fast, &exact, "{yaml:?}");
        }
        fast.is_some()
    }

    /// [`plain_ok`] the way it was first written, searches of the text.
    fn plain_ok_slow(s: &str, in_flow: bool) -> bool {
        let special = s.starts_with(INDICATORS)
            || s.contains(": ")
            || s.contains(" #")
            || s.ends_with(':')
            || (in_flow && s.contains(['[', ']', '{', '}', ',']));
        !special
    }

    #[test]
    fn plain_ok_reads_as_the_searches_did() {
        let mut cases: Vec<String> = [
            "",
            "a",
            "plain text",
            "a: b",
            "a:b",
            "a :b",
            "a:",
            ":",
            ": ",
            "a #b",
            "a#b",
            "#a",
            " #",
            "-a",
            "- a",
            "?x",
            "[a",
            "a]",
            "{",
            "a}",
            "a,b",
            "a, b",
            "'q",
            "\"q",
            "%x",
            "@x",
            "`x",
            "!x",
            "&x",
            "*x",
            "|x",
            ">x",
            "보안 그룹",
            "보안: 그룹",
            "보안 #태그",
            "끝:",
            "é",
            "x\u{3000}#",
            "x\u{3000}: y",
            "a::",
            "a:: b",
            "  #",
            "a  # b",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every string of up to three characters from the marks and a letter.
        let alphabet = [':', ' ', '#', '[', ',', '-', 'a', '한'];
        for x in alphabet {
            cases.push(x.to_string());
            for y in alphabet {
                cases.push(format!("{x}{y}"));
                for z in alphabet {
                    cases.push(format!("{x}{y}{z}"));
                }
            }
        }
        for s in &cases {
            for in_flow in [false, true] {
                assert_eq!(
                    plain_ok(s, in_flow),
                    plain_ok_slow(s, in_flow),
                    "{s:?} in_flow={in_flow}"
                );
            }
        }
    }

    #[test]
    fn takes_the_common_shapes() {
        for yaml in [
            "",
            "\n\n",
            "title: sagemaker-vpc-privatelink-security\ncreated: 2025-08-18\nmodified: 2025-08-18\n",
            "tags:\n- service/sagemaker\n- security/vpc-endpoints\naliases: [\"sagemaker-private\", \"vpc-sagemaker\"]\n",
            "\ntitle: x\n\ntags:\n  - a\n  - b\n\n",
            "tags: []\naliases:\n",
            "title: 'It''s fine'\nalias: \"보안 그룹\"\n",
            "제목: 한글 키\n분류: [네트워크, 보안]\n",
            "date: 2025-08-18T09:30:00+09:00\nupdated: 2025-08-18 09:30\n",
            "title: Infinity and beyond\ntags: [inf, nan, yes, no, on, off]\n",
            "# comment line\ntitle: x\r\ntags:\r\n- a\r\n",
            "empty_item:\n-\n- a\n",
        ] {
            assert!(agrees(yaml), "fast path refused {yaml:?}");
        }
    }

    #[test]
    fn defers_everything_else() {
        for yaml in [
            "title: 123",
            "title: 1.5e3",
            "title: 0x1F",
            "title: true",
            "title: ~",
            "title: null",
            "title: .inf",
            "title: 007",
            "tags: [1, 2]",
            "tags: [a, b",
            "tags: [a,, b]",
            "tags: [[a]]",
            "title: {a: b}",
            "title: \"esc\\\"aped\"",
            "title: a: b",
            "title: &anchor x\nother: *anchor",
            "title: !tag x",
            "title: |\n  block\n",
            "title: >\n  folded\n",
            "title: multi\n  line plain",
            "nested:\n  key: value",
            "title: x\ntitle: y",
            "tags:\n- a\n  - b",
            "tags:\n- [a]",
            "\ttitle: tab",
            "? complex key\n: value",
            "title: 'unterminated",
            "- a\n- b",
            "{\"title\": \"JSON 한 줄\"}",
            "title: \"x\" trailing",
            "title: a # trailing comment",
            "title: a\u{1b}b",
            "title: \"a\u{7}b\"",
            "title: a\u{2028}b",
            "title: a\rb",
            "title: a\u{85}b",
            // Found by the `frontmatter` fuzz target: document markers inside the block.
            "title: x\n... more: y",
            "title: x\n--- y: z",
            "title: x\n...",
            "...x: y",
            // Found by the `frontmatter` fuzz target: YAML refuses these two noncharacters.
            "title: a\u{FFFF}b",
            "tags: [\"a\u{FFFE}\"]",
            "1e3: x",
            "~: x",
            "0x1F: x",
        ] {
            assert!(!agrees(yaml), "fast path should defer {yaml:?}");
        }
    }

    /// Found by the `frontmatter` fuzz target: Unicode spaces at the edges of a value were
    /// trimmed (Rust's `trim`), and YAML keeps them.
    #[test]
    fn unicode_spaces_are_not_yaml_whitespace() {
        for yaml in [
            "title:   \u{2000}x",
            "title: x\u{3000}",
            "tags: [\u{A0}a, b\u{2009}]",
            "tags:\n- \u{3000}a\n- b\u{205F}\n",
            "\u{3000}title: x",
            "title\u{2000}: x",
            "title: \u{3000}",
            "tags: [\u{3000}]",
        ] {
            agrees(yaml);
        }
        assert_eq!(
            parse("title: \u{2000}x\u{3000}").unwrap()["title"],
            "\u{2000}x\u{3000}"
        );
    }

    #[test]
    fn what_the_fast_path_defers_for_serde_yaml_refuses() {
        for yaml in [
            "title: a\u{FFFF}b",
            "tags: [\"a\u{FFFE}\"]",
            "title: \"x\u{1}\"",
        ] {
            assert!(parse(yaml).is_none(), "{yaml:?}");
            assert!(super::super::parse_bounded(yaml).is_err(), "{yaml:?}");
        }
        // Other noncharacters are allowed by YAML and read alike.
        assert!(agrees("title: a\u{FDD0}\u{1FFFF}b"));
    }

    /// Found by the `frontmatter` fuzz target: a 2,200-character key taken by the fast path,
    /// refused by serde_yaml.
    #[test]
    fn long_keys_are_left_to_serde_yaml() {
        // (key length in characters, character, whether serde_yaml accepts it): libyaml counts
        // bytes (Hangul is 3 each).
        let cases: &[(usize, char, bool)] = &[
            (1000, 'k', true),
            (1024, 'k', true),
            (1025, 'k', false),
            (2200, 'k', false),
            (333, '한', true),
            (342, '한', false),
        ];
        for &(len, c, valid) in cases {
            let yaml = format!("title: x\n{}: value\n", c.to_string().repeat(len));
            assert_eq!(
                super::super::parse_bounded(&yaml).is_ok(),
                valid,
                "serde_yaml on a {len}-character key"
            );
            let fast = parse(&yaml);
            if !valid {
                assert!(fast.is_none(), "fast path took a {len}-character key");
            }
            if fast.is_some() {
                assert!(agrees(&yaml));
            }
        }
    }
}
