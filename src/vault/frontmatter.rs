//! Front matter: find the YAML block at the top of a note, parse it within hard limits, and
//! coerce each known field on its own so one odd field never loses the others.
//!
//! Real vaults write front matter in many shapes (blank lines inside, CRLF, a BOM, one-line JSON,
//! Hangul keys, `tags` as a list or as one string). The block is parsed into a generic value first
//! and every field is read with [`coerce`] rules, recording a [`FieldIssue`] for what it ignores.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::dates::NoteDate;

pub mod simple;

/// Largest front-matter block that is parsed at all.
pub const MAX_BYTES: usize = 64 * 1024;
/// Deepest nesting of lists and mappings that is accepted.
pub const MAX_DEPTH: u32 = 32;
/// Most YAML nodes a block may produce (aliases expanded), so `&a [*b, *b, ...]` cannot explode.
pub const MAX_NODES: usize = 20_000;

/// Where the front matter sits in the file, found by [`split`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block<'a> {
    /// No front matter: the whole text is body.
    None,
    /// A closed block: its YAML text, and where the body starts (byte offset, 1-based line).
    Closed {
        yaml: &'a str,
        body_start: usize,
        body_line: usize,
    },
    /// Opened by `---` on line 1 but never closed: the whole text is read as body.
    Unclosed,
}

/// Finds the front matter at the very start of `text` (a BOM already removed). The opening line
/// is `---` (trailing spaces and CR allowed); the closing line is `---` or `...`.
pub fn split(text: &str) -> Block<'_> {
    let mut lines = LineIter::new(text);
    match lines.next() {
        Some((_, first)) if is_fence(first, false) => {}
        _ => return Block::None,
    }
    let yaml_start = lines.pos;
    let mut line_no = 1;
    while let Some((start, line)) = lines.next() {
        line_no += 1;
        if is_fence(line, true) {
            return Block::Closed {
                yaml: &text[yaml_start..start],
                body_start: lines.pos,
                body_line: line_no + 1,
            };
        }
    }
    Block::Unclosed
}

fn is_fence(line: &str, closing: bool) -> bool {
    let t = line.trim_end_matches([' ', '\t', '\r']);
    t == "---" || (closing && t == "...")
}

/// Lines with their start offsets, without the `\n`.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> LineIter<'a> {
    fn new(text: &'a str) -> Self {
        LineIter { text, pos: 0 }
    }
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (line, advance) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        Some((start, line))
    }
}

/// What a note's front matter says, field by field.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    pub created: Option<NoteDate>,
    pub modified: Option<NoteDate>,
    /// Every key that is not one of the fields above, as written.
    pub properties: Map<String, Value>,
}

/// A field that was present but could not be used as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    /// Line inside the file (1-based) where the key appears, when it could be found.
    pub line: Option<usize>,
    pub message: String,
}

/// Why a block could not be parsed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub line: Option<usize>,
    pub message: String,
}

/// Parses a closed block's YAML. `first_line` is the file line of the YAML's first line, so
/// errors point at the file, not at the block.
pub fn parse(
    yaml: &str,
    first_line: usize,
) -> Result<(FrontMatter, Vec<FieldIssue>), ParseFailure> {
    if yaml.len() > MAX_BYTES {
        return Err(ParseFailure {
            line: None,
            message: format!(
                "front matter is {} KiB, more than the {} KiB that is parsed; ignored",
                yaml.len() / 1024,
                MAX_BYTES / 1024
            ),
        });
    }
    if let Some(depth) = nesting_over_limit(yaml) {
        return Err(ParseFailure {
            line: None,
            message: format!("front matter nests {depth} levels deep (limit {MAX_DEPTH}); ignored"),
        });
    }
    // Most front matter is flat `key: value` lines and simple lists; those are read directly.
    // Anything else goes to serde_yaml, which stays the authority (see `simple`).
    if let Some(map) = simple::parse(yaml) {
        return Ok(coerce(map, yaml, first_line));
    }
    let (value, repeated) = parse_bounded_keys(yaml).map_err(|e| ParseFailure {
        line: e
            .location()
            .map(|l| first_line + l.line().saturating_sub(1)),
        message: format!(
            "invalid YAML in front matter: {}",
            file_lines(&e.to_string(), first_line)
        ),
    })?;
    let map = match value {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            return Err(ParseFailure {
                line: Some(first_line),
                message: format!(
                    "front matter is {}, not a set of `key: value` fields; ignored",
                    describe(&other)
                ),
            });
        }
    };
    let repeats = repeated_keys(&map, &repeated, yaml, first_line);
    let (fm, mut issues) = coerce(map, yaml, first_line);
    if !repeats.is_empty() {
        issues.extend(repeats);
        issues.sort_by_key(|i| i.line);
    }
    Ok((fm, issues))
}

/// One issue per key given more than once, saying where and which value is kept (the last).
/// The fast path never sees these blocks: it leaves any repeated key to serde_yaml.
fn repeated_keys(
    map: &Map<String, Value>,
    repeated: &[String],
    yaml: &str,
    first_line: usize,
) -> Vec<FieldIssue> {
    let mut out: Vec<FieldIssue> = Vec::new();
    let mut done = std::collections::HashSet::new();
    for key in repeated {
        if !done.insert(key.as_str()) {
            continue;
        }
        let times = 1 + repeated.iter().filter(|k| *k == key).count();
        let lines = top_level_key_lines(yaml, key, first_line);
        let at = match lines.as_slice() {
            [] => String::new(),
            ls => format!(
                " (lines {})",
                ls.iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let kept = map.get(key).map_or_else(String::new, shown_value);
        out.push(FieldIssue {
            line: lines.last().copied(),
            message: format!("`{key}` is given {times} times{at}; the last one wins: {kept}"),
        });
    }
    out
}

/// A value as a short line of JSON, for messages.
fn shown_value(v: &Value) -> String {
    const MAX: usize = 60;
    let s = v.to_string();
    if s.chars().count() <= MAX {
        return s;
    }
    let cut: String = s.chars().take(MAX).collect();
    format!("{cut}…")
}

/// File lines of every `key:` written at the start of a line (block mappings; keys of a flow
/// mapping `{a: 1, a: 2}` have no line of their own).
fn top_level_key_lines(yaml: &str, key: &str, first_line: usize) -> Vec<usize> {
    yaml.split('\n')
        .enumerate()
        .filter(|(_, l)| {
            let quoted = |q: char| {
                l.strip_prefix(q)
                    .and_then(|r| r.strip_prefix(key))
                    .and_then(|r| r.strip_prefix(q))
            };
            let rest = quoted('"')
                .or_else(|| quoted('\''))
                .or_else(|| l.strip_prefix(key));
            rest.is_some_and(|r| r.trim_start_matches([' ', '\t']).starts_with(':'))
        })
        .map(|(i, _)| first_line + i)
        .collect()
}

/// serde_yaml counts lines from the start of the block; the Problem talks about the file.
/// Rewrites every `line N` in the message to the file's line.
fn file_lines(msg: &str, first_line: usize) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find("line ") {
        out.push_str(&rest[..i + 5]);
        rest = &rest[i + 5..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(first_line + n.saturating_sub(1)).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

/// A cheap pre-check so a hostile block (`[[[[…` or thousands of indent levels) is refused
/// before the parser sees it.
fn nesting_over_limit(yaml: &str) -> Option<u32> {
    let mut flow: u32 = 0;
    let mut worst: u32 = 0;
    for line in yaml.lines() {
        // Block nesting: indentation, and `- - x` sequence items (a dash and a space each).
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let mut rest = &line[spaces..];
        let mut items = 0;
        while let Some(r) = rest.strip_prefix("- ") {
            items += 1;
            rest = r.trim_start_matches(' ');
        }
        worst = worst.max(spaces as u32 / 2 + items);
        // Flow nesting: brackets outside quoted text.
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '[' | '{') => {
                    flow += 1;
                    worst = worst.max(flow);
                }
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
    }
    (worst > MAX_DEPTH).then_some(worst)
}

/// Parses YAML straight into a JSON value while counting nodes, so alias expansion is bounded.
pub fn parse_bounded(yaml: &str) -> Result<Value, serde_yaml::Error> {
    parse_bounded_keys(yaml).map(|(v, _)| v)
}

/// [`parse_bounded`], also returning the top-level keys given more than once (each repeat,
/// in order): YAML says keys are unique, but serde_yaml keeps the last value without a word.
fn parse_bounded_keys(yaml: &str) -> Result<(Value, Vec<String>), serde_yaml::Error> {
    let budget = Cell::new(MAX_NODES);
    let repeated = RefCell::new(Vec::new());
    let de = serde_yaml::Deserializer::from_str(yaml);
    let seed = Bounded {
        budget: &budget,
        repeated: Some(&repeated),
    };
    match seed.deserialize(de) {
        Ok(v) => Ok((v, repeated.into_inner())),
        // An empty document is "no front matter fields", not an error.
        Err(e) if yaml.trim().is_empty() => {
            let _ = e;
            Ok((Value::Null, Vec::new()))
        }
        Err(e) => Err(e),
    }
}

#[derive(Clone, Copy)]
struct Bounded<'a> {
    budget: &'a Cell<usize>,
    /// Where the top-level mapping records its repeated keys (`None` below the top).
    repeated: Option<&'a RefCell<Vec<String>>>,
}

impl Bounded<'_> {
    fn spend<E: de::Error>(&self) -> Result<(), E> {
        let left = self.budget.get();
        if left == 0 {
            return Err(E::custom(format!(
                "more than {MAX_NODES} values (YAML aliases expanded)"
            )));
        }
        self.budget.set(left - 1);
        Ok(())
    }

    /// The seed for the values inside this one.
    fn inner(self) -> Self {
        Bounded {
            repeated: None,
            ..self
        }
    }
}

impl<'de> DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::from(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.spend()?;
        // Beyond u64: JSON numbers cannot hold it exactly; keep the digits.
        Ok(Value::String(v.to_string()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.spend()?;
        // NaN and infinities have no JSON form; keep them readable.
        Ok(serde_json::Number::from_f64(v)
            .map_or_else(|| Value::String(v.to_string()), Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.spend()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(self.inner())? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.spend()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(self.inner())? {
            let value = map.next_value_seed(self.inner())?;
            // YAML allows any value as a key; properties are keyed by text.
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            if let Some(repeated) = self.repeated
                && out.contains_key(&key)
            {
                repeated.borrow_mut().push(key.clone());
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!custom x`): keep the value, drop the tag.
        use de::VariantAccess;
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// The file line of `key:` inside the block, for messages about that field.
fn key_line(yaml: &str, key: &str, first_line: usize) -> Option<usize> {
    yaml.lines()
        .position(|l| {
            let l = l.trim_start_matches(['"', '\'']);
            l.len() > key.len()
                && l.is_char_boundary(key.len())
                && l[..key.len()].eq_ignore_ascii_case(key)
                && l[key.len()..]
                    .trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
        })
        .map(|i| first_line + i)
}

/// Reads every known field with its own rule; everything else becomes a property.
fn coerce(
    map: Map<String, Value>,
    yaml: &str,
    first_line: usize,
) -> (FrontMatter, Vec<FieldIssue>) {
    let mut fm = FrontMatter::default();
    let mut issues = Vec::new();
    let mut issue = |key: &str, message: String| {
        issues.push(FieldIssue {
            line: key_line(yaml, key, first_line),
            message,
        });
    };
    // `created` wins over `date`, `modified` over `updated`, whatever order they are written in.
    let (mut created, mut date, mut modified, mut updated) = (None, None, None, None);
    // `tags` and `tag` (or `aliases` and `alias`) may both be there; each value counts once.
    let mut seen_tags = super::DistinctTags::default();
    let mut seen_aliases = std::collections::HashSet::new();
    for (key, value) in map {
        match key.to_ascii_lowercase().as_str() {
            "title" => match scalar_text(&value) {
                Some(t) if !crate::sanitize::looks_blank(&t) => fm.title = Some(collapse_ws(&t)),
                Some(t) if !t.trim().is_empty() => issue(
                    &key,
                    format!(
                        "`title` shows as nothing (only invisible characters: {}); the heading or the file name is shown instead",
                        crate::sanitize::invisible_code_points(&t)
                    ),
                ),
                Some(_) => {}
                None if value.is_null() => {}
                None => issue(
                    &key,
                    format!("`title` is {}, expected text; ignored", describe(&value)),
                ),
            },
            "tags" | "tag" => {
                let (tags, bad) = tag_values(&value);
                for b in bad {
                    issue(&key, format!("`{key}`: {b}; ignored"));
                }
                for t in tags {
                    seen_tags.push(&mut fm.tags, t);
                }
            }
            "aliases" | "alias" => {
                let (aliases, bad) = alias_values(&value);
                for b in bad {
                    issue(&key, format!("`{key}`: {b}; ignored"));
                }
                for a in aliases {
                    if seen_aliases.insert(a.clone()) {
                        fm.aliases.push(a);
                    }
                }
            }
            "created" => created = Some((key, value)),
            "date" => date = Some((key, value)),
            "modified" => modified = Some((key, value)),
            "updated" => updated = Some((key, value)),
            _ => {
                fm.properties.insert(key, value);
            }
        }
    }
    let mut read_date = |slot: Option<(String, Value)>, props: &mut Map<String, Value>| {
        let (key, value) = slot?;
        let parsed = match &value {
            Value::String(s) => NoteDate::parse(s),
            Value::Null => return None,
            _ => None,
        };
        if parsed.is_none() {
            issue(
                &key,
                format!(
                    "`{key}` is {}, not a date like 2025-08-18 or 2025-08-18T09:30:00+09:00; ignored",
                    match &value {
                        Value::String(s) => format!("{s:?}"),
                        v => describe(v).to_owned(),
                    }
                ),
            );
        }
        // Keep the raw value visible either way when it is the secondary key.
        if key.eq_ignore_ascii_case("date") || key.eq_ignore_ascii_case("updated") {
            props.insert(key, value);
        }
        parsed
    };
    let c = read_date(created, &mut fm.properties);
    let d = read_date(date, &mut fm.properties);
    let m = read_date(modified, &mut fm.properties);
    let u = read_date(updated, &mut fm.properties);
    fm.created = c.or(d);
    fm.modified = m.or(u);
    issues.sort_by_key(|i| i.line);
    (fm, issues)
}

/// A scalar as text (numbers and booleans written out); `None` for lists, mappings and null.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn collapse_ws(s: &str) -> String {
    let single_spaced = !s.starts_with(' ') && !s.ends_with(' ') && !s.contains("  ");
    if single_spaced && !s.contains(|c: char| c.is_whitespace() && c != ' ') {
        return s.to_owned();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags from a list or one string; returns the tags and a message for each item dropped.
fn tag_values(v: &Value) -> (Vec<String>, Vec<String>) {
    let mut tags = Vec::new();
    let mut bad = Vec::new();
    let mut push = |raw: &str, whole: bool, bad: &mut Vec<String>| match normalize_tag(raw, whole) {
        Ok(Some(t)) => tags.push(t),
        Ok(None) => {}
        Err(msg) => bad.push(msg),
    };
    match v {
        Value::Null => {}
        // One string: Obsidian accepts "a, b" and "a b".
        Value::String(s) => {
            for part in s.split(|c: char| c == ',' || c.is_whitespace()) {
                push(part, false, &mut bad);
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::String(s) => push(s, true, &mut bad),
                    Value::Number(_) | Value::Bool(_) => {
                        push(&scalar_text(item).unwrap_or_default(), true, &mut bad)
                    }
                    Value::Null => {}
                    other => bad.push(format!("an item is {}, expected text", describe(other))),
                }
            }
        }
        Value::Number(n) => bad.push(format!("{n} is a number, not a tag (tags need a letter)")),
        other => bad.push(format!(
            "expected a list or text, found {}",
            describe(other)
        )),
    }
    (tags, bad)
}

/// Normalises one tag: trims, drops leading `#`, collapses inner whitespace of a list item to
/// `-` (a tag has no spaces), and removes empty path segments. Purely numeric tags are refused,
/// as Obsidian does.
pub fn normalize_tag(raw: &str, whole_item: bool) -> Result<Option<String>, String> {
    let t = raw.trim().trim_start_matches('#').trim();
    if t.is_empty() {
        return Ok(None);
    }
    // Already normal (the usual case): no spaces, no empty or padded segments.
    let clean = !t.contains(char::is_whitespace)
        && !t.starts_with('/')
        && !t.ends_with('/')
        && !t.contains("//");
    if clean {
        if t.bytes().all(|b| b.is_ascii_digit() || b == b'/') {
            return Err(format!("`{t}` is only digits, not a tag"));
        }
        return Ok(Some(t.to_owned()));
    }
    let segments: Vec<String> = t
        .split('/')
        .map(|seg| {
            if whole_item {
                seg.split_whitespace().collect::<Vec<_>>().join("-")
            } else {
                seg.trim().to_owned()
            }
        })
        .filter(|s| !s.is_empty())
        .collect();
    if segments.is_empty() {
        return Ok(None);
    }
    let tag = segments.join("/");
    if tag.chars().all(|c| c.is_ascii_digit() || c == '/') {
        return Err(format!("`{tag}` is only digits, not a tag"));
    }
    Ok(Some(tag))
}

fn alias_values(v: &Value) -> (Vec<String>, Vec<String>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let mut push = |s: String| {
        let s = collapse_ws(&s);
        if !s.is_empty() {
            out.push(s);
        }
    };
    match v {
        Value::Null => {}
        Value::String(s) => push(s.clone()),
        Value::Number(_) | Value::Bool(_) => push(scalar_text(v).unwrap_or_default()),
        Value::Array(items) => {
            for item in items {
                match scalar_text(item) {
                    Some(s) => push(s),
                    None if item.is_null() => {}
                    None => bad.push(format!("an item is {}, expected text", describe(item))),
                }
            }
        }
        Value::Object(_) => bad.push("expected a list or text, found a mapping".to_owned()),
    }
    (out, bad)
}

#[cfg(test)]
mod tests;
