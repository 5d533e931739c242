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
    parse_by(yaml, first_line, true)
}

/// [`parse`] the reference way: the fast path's fields made into a JSON map first, then
/// coerced as serde_yaml's map would be. Only for tests (and the fuzz target), which hold
/// [`parse`] equal to it.
#[doc(hidden)]
pub fn parse_through_map(
    yaml: &str,
    first_line: usize,
) -> Result<(FrontMatter, Vec<FieldIssue>), ParseFailure> {
    parse_by(yaml, first_line, false)
}

fn parse_by(
    yaml: &str,
    first_line: usize,
    direct: bool,
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
    if direct {
        if let Some(fields) = simple::fields(yaml) {
            return Ok(coerce_fields(fields, yaml, first_line));
        }
    } else if let Some(map) = simple::parse(yaml) {
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
        // Flow nesting: brackets outside quoted text. Read by bytes: every mark is ASCII,
        // and no byte of a multi-byte character is.
        let mut quote: Option<u8> = None;
        for c in line.bytes() {
            match (quote, c) {
                (None, b'"' | b'\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, b'[' | b'{') => {
                    flow += 1;
                    worst = worst.max(flow);
                }
                (None, b']' | b'}') => flow = flow.saturating_sub(1),
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

/// The fields [`coerce`] reads with their own rule (keys ignore ASCII case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Title,
    Tags,
    Aliases,
    Created,
    Date,
    Modified,
    Updated,
}

impl Known {
    /// The known field `key` names, ignoring ASCII case (as `to_ascii_lowercase` would, with
    /// no allocation).
    fn of(key: &str) -> Option<Known> {
        const KEYS: [(&str, Known); 9] = [
            ("title", Known::Title),
            ("tags", Known::Tags),
            ("tag", Known::Tags),
            ("aliases", Known::Aliases),
            ("alias", Known::Aliases),
            ("created", Known::Created),
            ("date", Known::Date),
            ("modified", Known::Modified),
            ("updated", Known::Updated),
        ];
        KEYS.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|&(_, known)| known)
    }
}

/// Reads every known field with its own rule; everything else becomes a property. The
/// fields come in the order of their keys (a [`Map`]'s), which decides which of `tags` and
/// `tag` lists a tag first.
fn coerce(
    map: Map<String, Value>,
    yaml: &str,
    first_line: usize,
) -> (FrontMatter, Vec<FieldIssue>) {
    let mut c = Coercer::new(yaml, first_line);
    for (key, value) in map {
        c.field(key, value);
    }
    c.finish()
}

/// [`coerce`] of the fast path's fields ([`simple::fields`], in the same key order), reading a
/// title, tags and aliases from the borrowed text: the same result as [`coerce`] of
/// [`simple::parse`]'s map, without a JSON value or a lower-cased key for each field.
fn coerce_fields(
    fields: Vec<(&str, simple::Field<'_>)>,
    yaml: &str,
    first_line: usize,
) -> (FrontMatter, Vec<FieldIssue>) {
    use simple::Field;
    let mut c = Coercer::new(yaml, first_line);
    for (key, value) in fields {
        match (Known::of(key), value) {
            (Some(Known::Title), Field::Text(t)) if !crate::sanitize::looks_blank(&t) => {
                c.fm.title = Some(collapse_ws(&t));
            }
            (Some(Known::Tags), value) => {
                let mut v = TagValues::default();
                match &value {
                    Field::Null => {}
                    Field::Text(s) => v.text(s),
                    Field::List(items) => items.iter().flatten().for_each(|s| v.item(s)),
                }
                c.tags(key, v);
            }
            (Some(Known::Aliases), value) => {
                let mut v = AliasValues::default();
                match &value {
                    Field::Null => {}
                    Field::Text(s) => v.push(s),
                    Field::List(items) => items.iter().flatten().for_each(|s| v.push(s)),
                }
                c.aliases(key, v);
            }
            (_, value) => c.field(key.to_owned(), value.into_value()),
        }
    }
    c.finish()
}

/// [`coerce`]'s state: the fields read so far, the issues, and the dates, which are read
/// last (`created` wins over `date`, `modified` over `updated`, whatever order they are
/// written in).
struct Coercer<'y> {
    yaml: &'y str,
    first_line: usize,
    fm: FrontMatter,
    issues: Vec<FieldIssue>,
    dates: [Option<(String, Value)>; 4],
    /// `tags` and `tag` (or `aliases` and `alias`) may both be there; each value counts once.
    seen_tags: super::DistinctTags,
    /// The aliases of `fm.aliases`, folded into a set once there are many.
    seen_aliases: Option<std::collections::HashSet<String>>,
}

impl<'y> Coercer<'y> {
    fn new(yaml: &'y str, first_line: usize) -> Self {
        Coercer {
            yaml,
            first_line,
            fm: FrontMatter::default(),
            issues: Vec::new(),
            dates: [None, None, None, None],
            seen_tags: super::DistinctTags::default(),
            seen_aliases: None,
        }
    }

    fn issue(&mut self, key: &str, message: String) {
        self.issues.push(FieldIssue {
            line: key_line(self.yaml, key, self.first_line),
            message,
        });
    }

    /// One field, by the rule of its key.
    fn field(&mut self, key: String, value: Value) {
        match Known::of(&key) {
            Some(Known::Title) => match scalar_text(&value) {
                Some(t) if !crate::sanitize::looks_blank(&t) => {
                    self.fm.title = Some(collapse_ws(&t))
                }
                Some(t) if !t.trim().is_empty() => self.issue(
                    &key,
                    format!(
                        "`title` shows as nothing (only invisible characters: {}); the heading or the file name is shown instead",
                        crate::sanitize::invisible_code_points(&t)
                    ),
                ),
                Some(_) => {}
                None if value.is_null() => {}
                None => self.issue(
                    &key,
                    format!("`title` is {}, expected text; ignored", describe(&value)),
                ),
            },
            Some(Known::Tags) => {
                let v = tag_values(&value);
                self.tags(&key, v);
            }
            Some(Known::Aliases) => {
                let v = alias_values(&value);
                self.aliases(&key, v);
            }
            Some(Known::Created) => self.dates[0] = Some((key, value)),
            Some(Known::Date) => self.dates[1] = Some((key, value)),
            Some(Known::Modified) => self.dates[2] = Some((key, value)),
            Some(Known::Updated) => self.dates[3] = Some((key, value)),
            None => {
                self.fm.properties.insert(key, value);
            }
        }
    }

    fn tags(&mut self, key: &str, v: TagValues) {
        for b in v.bad {
            self.issue(key, format!("`{key}`: {b}; ignored"));
        }
        for t in v.tags {
            self.seen_tags.push(&mut self.fm.tags, t);
        }
    }

    fn aliases(&mut self, key: &str, v: AliasValues) {
        for b in v.bad {
            self.issue(key, format!("`{key}`: {b}; ignored"));
        }
        for a in v.aliases {
            // Compared one by one while there are few (nearly always), as a set beyond.
            let new = match &mut self.seen_aliases {
                None if self.fm.aliases.len() < 32 => !self.fm.aliases.contains(&a),
                seen => seen
                    .get_or_insert_with(|| self.fm.aliases.iter().cloned().collect())
                    .insert(a.clone()),
            };
            if new {
                self.fm.aliases.push(a);
            }
        }
    }

    /// A date field read, its issue recorded; the secondary keys' raw values stay visible as
    /// properties either way.
    fn date(&mut self, slot: Option<(String, Value)>) -> Option<NoteDate> {
        let (key, value) = slot?;
        let parsed = match &value {
            Value::String(s) => NoteDate::parse(s),
            Value::Null => return None,
            _ => None,
        };
        if parsed.is_none() {
            self.issue(
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
        if key.eq_ignore_ascii_case("date") || key.eq_ignore_ascii_case("updated") {
            self.fm.properties.insert(key, value);
        }
        parsed
    }

    fn finish(mut self) -> (FrontMatter, Vec<FieldIssue>) {
        let [created, date, modified, updated] = std::mem::take(&mut self.dates);
        let c = self.date(created);
        let d = self.date(date);
        let m = self.date(modified);
        let u = self.date(updated);
        self.fm.created = c.or(d);
        self.fm.modified = m.or(u);
        self.issues.sort_by_key(|i| i.line);
        (self.fm, self.issues)
    }
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

/// Tags read from a field, and a message for each item dropped.
#[derive(Default)]
struct TagValues {
    tags: Vec<String>,
    bad: Vec<String>,
}

impl TagValues {
    fn push(&mut self, raw: &str, whole: bool) {
        match normalize_tag(raw, whole) {
            Ok(Some(t)) => self.tags.push(t),
            Ok(None) => {}
            Err(msg) => self.bad.push(msg),
        }
    }

    /// One string: Obsidian accepts "a, b" and "a b".
    fn text(&mut self, s: &str) {
        for part in s.split(|c: char| c == ',' || c.is_whitespace()) {
            self.push(part, false);
        }
    }

    /// One item of a list.
    fn item(&mut self, s: &str) {
        self.push(s, true);
    }
}

/// Tags from a list or one string.
fn tag_values(v: &Value) -> TagValues {
    let mut out = TagValues::default();
    match v {
        Value::Null => {}
        Value::String(s) => out.text(s),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::String(s) => out.item(s),
                    Value::Number(_) | Value::Bool(_) => {
                        out.item(&scalar_text(item).unwrap_or_default())
                    }
                    Value::Null => {}
                    other => out
                        .bad
                        .push(format!("an item is {}, expected text", describe(other))),
                }
            }
        }
        Value::Number(n) => out
            .bad
            .push(format!("{n} is a number, not a tag (tags need a letter)")),
        other => out.bad.push(format!(
            "expected a list or text, found {}",
            describe(other)
        )),
    }
    out
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

/// Aliases read from a field, and a message for each item dropped.
#[derive(Default)]
struct AliasValues {
    aliases: Vec<String>,
    bad: Vec<String>,
}

impl AliasValues {
    fn push(&mut self, s: &str) {
        let s = collapse_ws(s);
        if !s.is_empty() {
            self.aliases.push(s);
        }
    }
}

fn alias_values(v: &Value) -> AliasValues {
    let mut out = AliasValues::default();
    match v {
        Value::Null => {}
        Value::String(s) => out.push(s),
        Value::Number(_) | Value::Bool(_) => out.push(&scalar_text(v).unwrap_or_default()),
        Value::Array(items) => {
            for item in items {
                match scalar_text(item) {
                    Some(s) => out.push(&s),
                    None if item.is_null() => {}
                    None => out
                        .bad
                        .push(format!("an item is {}, expected text", describe(item))),
                }
            }
        }
        Value::Object(_) => out
            .bad
            .push("expected a list or text, found a mapping".to_owned()),
    }
    out
}

#[cfg(test)]
mod tests;
