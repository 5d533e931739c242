//! The query language of both search modes and `vaultscope grep`. Terminal-free.
//!
//! A query is words and filters separated by spaces:
//!
//! | form | finds |
//! |---|---|
//! | `word` | the word anywhere (smart case: any upper-case letter makes it case-sensitive); Hangul as typed: `ㅂㅇㄱㄹ` finds 보안그룹 (see [`super::hangul`]) |
//! | `"a phrase"` | the words in this order, any run of spaces between them |
//! | `re:PATTERN`, `/PATTERN/` | a regular expression (the `regex` crate's syntax; smart case) |
//! | `tag:a/b`, `-tag:a/b` | only notes with (without) the tag or one under it |
//! | `path:dir/`, `-path:dir/` | only notes whose path contains (does not contain) the text |
//! | `has:diagram`, `has:question` | only notes with a diagram, with questions |
//! | `due:today` | only notes with a question due for study today (local day) |
//!
//! A note matches when it has every word (anywhere in it) and passes every filter.

use regex::{Regex, RegexBuilder};
use unicode_normalization::UnicodeNormalization;

use super::hangul;

/// The query language, a line per form, for the help overlay (`?`).
pub const SYNTAX: &[(&str, &str)] = &[
    ("word", "the word (smart case); every word must match"),
    (
        "ㅂㅇㄱㄹ",
        "초성, half-typed Hangul: 보안그룹, 엔ㄷ 엔드포인트",
    ),
    ("\"a b\"", "a phrase: these words in this order"),
    ("/re/", "a regular expression (or re:RE)"),
    ("tag:a/b", "with the tag or one under it (-tag: without)"),
    ("path:p/", "whose path contains p/ (-path: does not)"),
    ("has:…", "has:diagram, has:question"),
    ("due:…", "due:today: a question due today"),
];

/// The most a compiled pattern may take (`RegexBuilder::size_limit`): a hostile pattern
/// (`(a{1000}){1000}`) is refused instead of growing without end. The regex crate runs in
/// time linear in the text, so a pattern that compiles cannot stall a search.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// The lazy DFA's cache per search (`RegexBuilder::dfa_size_limit`): a 초성 word is a class of
/// hundreds of syllables, whose UTF-8 automaton needs room, or the search falls back to a
/// slower engine.
pub const REGEX_DFA_LIMIT: usize = 1 << 24;
/// Longest pattern accepted, in bytes.
pub const MAX_PATTERN: usize = 1024;

/// What kind of term a word of the query is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermKind {
    Word,
    Phrase,
    Regex,
}

/// One thing to find.
#[derive(Debug, Clone)]
pub struct Term {
    pub kind: TermKind,
    /// As written (without quotes, `re:` or slashes), NFC.
    pub source: String,
    pub case_sensitive: bool,
    /// The compiled pattern: a word's Hangul-aware units, a phrase's words, or the regex.
    pub regex: Regex,
    /// A Hangul-aware word's needles in the initial-consonant stream
    /// ([`hangul::shadow_needles`]): a note whose stream holds none of them is not scanned.
    /// `None` for the rest (their regex has a literal to skip by).
    pub shadow: Option<Vec<Vec<u8>>>,
}

/// Which notes may match at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub tags: Vec<String>,
    pub not_tags: Vec<String>,
    /// Lower-cased.
    pub paths: Vec<String>,
    pub not_paths: Vec<String>,
    pub has_diagram: bool,
    pub has_question: bool,
    pub due_today: bool,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// A parsed query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub terms: Vec<Term>,
    pub filters: Filters,
    /// The words and phrases (not regexes or filters), space-separated: what names mode
    /// matches against titles, aliases and file names.
    pub names_text: String,
}

/// What a query of filters alone says: they narrow, they find nothing by themselves.
pub const FILTERS_ONLY: &str =
    "the query has no word, phrase or pattern to find (filters only narrow)";

/// What names mode says of a query that is only a regular expression.
pub const REGEX_IS_TEXT: &str =
    "a regular expression searches the notes' text (Tab switches to text)";

/// A query that cannot be run, with a message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

/// Smart case: a query with an upper-case letter is case-sensitive. In a regex, the letter
/// after a backslash is syntax (`\S`, `\W`, `\p{Lu}`), not text.
fn has_upper(s: &str, regex: bool) -> bool {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if regex && c == '\\' {
            if let Some(n) = chars.next()
                && (n == 'p' || n == 'P')
            {
                // \p{Lu}: skip the class name too.
                for c in chars.by_ref() {
                    if c == '}' || c.is_whitespace() {
                        break;
                    }
                }
            }
            continue;
        }
        if c.is_uppercase() {
            return true;
        }
    }
    false
}

fn compile(pattern: &str, case_sensitive: bool) -> Result<Regex, QueryError> {
    if pattern.len() > MAX_PATTERN {
        return Err(QueryError(format!(
            "the pattern is {} bytes long; at most {MAX_PATTERN} are taken",
            pattern.len()
        )));
    }
    RegexBuilder::new(pattern)
        .case_insensitive(!case_sensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => QueryError(format!(
                "the regular expression /{pattern}/ is too big (over {} KiB compiled)",
                REGEX_SIZE_LIMIT / 1024
            )),
            other => QueryError(format!(
                "bad regular expression /{pattern}/: {}",
                // The crate's message spans lines with a caret under the place.
                other.to_string().lines().last().unwrap_or("").trim()
            )),
        })
}

impl Term {
    /// A literal word, Hangul-aware (`composing`: its last syllable may still be typed).
    pub fn word(text: &str, composing: bool) -> Result<Term, QueryError> {
        let source: String = text.nfc().collect();
        let case_sensitive = has_upper(&source, false);
        let word = hangul::word(&source, composing);
        let pattern = hangul::regex_source(&word);
        Ok(Term {
            kind: TermKind::Word,
            regex: compile(&pattern, case_sensitive)?,
            shadow: hangul::shadow_needles(&word),
            source,
            case_sensitive,
        })
    }

    pub fn phrase(text: &str) -> Result<Term, QueryError> {
        let source: String = text.nfc().collect();
        let case_sensitive = has_upper(&source, false);
        let pattern = source
            .split_whitespace()
            .map(regex::escape)
            .collect::<Vec<_>>()
            .join(r"\s+");
        Ok(Term {
            kind: TermKind::Phrase,
            regex: compile(&pattern, case_sensitive)?,
            shadow: None,
            source,
            case_sensitive,
        })
    }

    pub fn regex(pattern: &str) -> Result<Term, QueryError> {
        let source: String = pattern.nfc().collect();
        let case_sensitive = has_upper(&source, true);
        let regex = compile(&source, case_sensitive)?;
        if regex.is_match("") {
            return Err(QueryError(format!(
                "the regular expression /{source}/ matches nothing at all (an empty match everywhere)"
            )));
        }
        Ok(Term {
            kind: TermKind::Regex,
            regex,
            shadow: None,
            source,
            case_sensitive,
        })
    }
}

/// Splits a query into its tokens: quoted phrases, `/regexes/` and space-separated words.
#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Plain(&'a str),
    Quoted(&'a str),
    Slashed(&'a str),
}

fn tokens(q: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = q;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            break;
        };
        match first {
            '"' => {
                let body = &rest[1..];
                let end = body.find('"').unwrap_or(body.len());
                out.push(Token::Quoted(&body[..end]));
                rest = body.get(end + 1..).unwrap_or("");
            }
            '/' => {
                // Up to the next slash not escaped by a backslash (or the end, while typing).
                let body = &rest[1..];
                let bytes = body.as_bytes();
                let mut end = body.len();
                let mut i = 0;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'/' => {
                            end = i;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                out.push(Token::Slashed(&body[..end]));
                rest = body.get(end + 1..).unwrap_or("");
            }
            _ => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                out.push(Token::Plain(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    out
}

impl Query {
    /// Parses a query. `composing`: the query is being typed (the explorer), so the last
    /// syllable of each word matches what it may still become.
    pub fn parse(q: &str, composing: bool) -> Result<Query, QueryError> {
        let mut query = Query::default();
        let mut names: Vec<String> = Vec::new();
        let toks = tokens(q);
        let count = toks.len();
        for (i, tok) in toks.into_iter().enumerate() {
            // Only the last word is still being typed.
            let composing = composing && i + 1 == count;
            match tok {
                Token::Quoted(p) if p.trim().is_empty() => {}
                Token::Quoted(p) => {
                    names.push(p.to_owned());
                    query.terms.push(Term::phrase(p)?);
                }
                Token::Slashed("") => {}
                Token::Slashed(p) => query.terms.push(Term::regex(p)?),
                Token::Plain(w) => {
                    if let Some(p) = w.strip_prefix("re:") {
                        let p = p.strip_prefix('"').map_or(p, |p| p.trim_end_matches('"'));
                        if !p.is_empty() {
                            query.terms.push(Term::regex(p)?);
                        }
                    } else if !query.filter(w)? {
                        names.push(w.to_owned());
                        query.terms.push(Term::word(w, composing)?);
                    }
                }
            }
        }
        query.names_text = names.join(" ");
        Ok(query)
    }

    /// Takes a filter word (`tag:x` ...): true when it was one.
    fn filter(&mut self, w: &str) -> Result<bool, QueryError> {
        let (negated, w) = match w.strip_prefix('-') {
            Some(rest) if rest.contains(':') => (true, rest),
            _ => (false, w),
        };
        let Some((key, value)) = w.split_once(':') else {
            return Ok(false);
        };
        let value = value.trim_matches('"');
        let need = |what: &str| {
            if value.is_empty() {
                Err(QueryError(format!(
                    "`{key}:` needs {what}, like {key}:{}",
                    example(key)
                )))
            } else {
                Ok(())
            }
        };
        let f = &mut self.filters;
        match (key, negated) {
            ("tag", _) => {
                need("a tag")?;
                let tag = value.trim_start_matches('#').to_owned();
                if negated {
                    &mut f.not_tags
                } else {
                    &mut f.tags
                }
                .push(tag);
            }
            ("path", _) => {
                need("part of a path")?;
                let p = value.to_lowercase();
                if negated {
                    &mut f.not_paths
                } else {
                    &mut f.paths
                }
                .push(p);
            }
            ("has", false) => match value {
                "diagram" | "diagrams" => f.has_diagram = true,
                "question" | "questions" => f.has_question = true,
                _ => {
                    return Err(QueryError(format!(
                        "`has:{value}` is not a filter; has:diagram and has:question are"
                    )));
                }
            },
            ("due", false) => match value {
                "today" => f.due_today = true,
                _ => {
                    return Err(QueryError(format!(
                        "`due:{value}` is not a filter; due:today is"
                    )));
                }
            },
            // `http://x`, `12:30`, `-has:...`: words, not filters.
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Whether the query has anything to find in text (not only filters).
    pub fn has_terms(&self) -> bool {
        !self.terms.is_empty()
    }

    /// Why names mode finds nothing for this query although text mode might: it has only a
    /// regular expression, which names mode does not take.
    pub fn names_hint(&self) -> Option<&'static str> {
        (self.names_text.trim().is_empty() && self.terms.iter().any(|t| t.kind == TermKind::Regex))
            .then_some(REGEX_IS_TEXT)
    }
}

fn example(key: &str) -> &'static str {
    match key {
        "tag" => "security/vpc",
        "path" => "networking/",
        _ => "…",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(q: &str, text: &str) -> Option<(usize, usize)> {
        let query = Query::parse(q, false).unwrap();
        query.terms[0]
            .regex
            .find(text)
            .map(|m| (m.start(), m.end()))
    }

    #[test]
    fn tokens_of_words_phrases_and_regexes() {
        assert_eq!(
            tokens(r#"  vpc "private link"  /a b\/c/ re:x+ tag:a/b "#),
            vec![
                Token::Plain("vpc"),
                Token::Quoted("private link"),
                Token::Slashed(r"a b\/c"),
                Token::Plain("re:x+"),
                Token::Plain("tag:a/b"),
            ]
        );
        // Unclosed while typing: to the end.
        assert_eq!(tokens(r#""half"#), vec![Token::Quoted("half")]);
        assert_eq!(tokens("/ab"), vec![Token::Slashed("ab")]);
    }

    #[test]
    fn table_of_terms_and_their_matches() {
        // (query, text, expected byte range of the first match)
        type Case = (&'static str, &'static str, Option<(usize, usize)>);
        let table: &[Case] = &[
            ("privatelink", "AWS PrivateLink here", Some((4, 15))),
            ("PrivateLink", "privatelink, PrivateLink", Some((13, 24))),
            ("PrivateLink", "privatelink only", None),
            (r#""private link""#, "a Private   Link b", Some((2, 16))),
            (r#""private link""#, "private-link", None),
            ("re:vpc-[0-9]+", "id vpc-42 x", Some((3, 9))),
            ("/end(point)?s/", "VPC endpoints", Some((4, 13))),
            (r"/\S+@\S+/", "mail a@b now", Some((5, 8))),
            ("보안그룹", "EC2 보안그룹 규칙", Some((4, 16))),
            ("ㅂㅇㄱㄹ", "EC2 보안그룹 규칙", Some((4, 16))),
            ("엔ㄷ", "VPC 엔드포인트", Some((4, 10))),
            // NFD text is not matched by an NFC query; the store keeps text NFC (see text.rs).
            ("café", "le café", Some((3, 8))),
            ("ΣΊΣΥΦΟΣ", "σίσυφος ΣΊΣΥΦΟΣ", Some((15, 29))),
            ("σίσυφος", "ΣΊΣΥΦΟΣ", Some((0, 14))),
        ];
        for &(q, text, want) in table {
            assert_eq!(finds(q, text), want, "{q:?} in {text:?}");
        }
    }

    #[test]
    fn smart_case_ignores_regex_syntax() {
        assert!(!has_upper(r"\S+\W\p{Lu}x", true));
        assert!(has_upper(r"\S+X", true));
        assert!(has_upper("Vpc", false));
        assert!(!has_upper("vpc 보안", false));
    }

    #[test]
    fn filters_and_names_text() {
        let q = Query::parse(
            r#"tag:security/vpc -tag:draft path:Networking/ -path:old has:diagram has:question due:today vpc "end point" re:x"#,
            false,
        )
        .unwrap();
        assert_eq!(q.filters.tags, ["security/vpc"]);
        assert_eq!(q.filters.not_tags, ["draft"]);
        assert_eq!(q.filters.paths, ["networking/"]);
        assert_eq!(q.filters.not_paths, ["old"]);
        assert!(q.filters.has_diagram && q.filters.has_question && q.filters.due_today);
        assert_eq!(q.names_text, "vpc end point");
        assert_eq!(
            q.terms.iter().map(|t| t.kind).collect::<Vec<_>>(),
            [TermKind::Word, TermKind::Phrase, TermKind::Regex]
        );
        // Words with a colon that are no filter stay words.
        let q = Query::parse("http://x 12:30", false).unwrap();
        assert_eq!(q.terms.len(), 2);
        assert!(q.filters.is_empty());
    }

    #[test]
    fn bad_queries_say_why() {
        let table = [
            ("re:(", "bad regular expression /(/"),
            ("/a{1000}{1000}/", "too big"),
            ("has:pictures", "has:diagram and has:question are"),
            ("due:tomorrow", "due:today is"),
            ("tag:", "`tag:` needs a tag"),
            ("re:x*", "empty match"),
        ];
        for (q, want) in table {
            let err = Query::parse(q, false).unwrap_err();
            assert!(err.0.contains(want), "{q:?}: {err}");
        }
        let long = format!("re:{}", "a".repeat(MAX_PATTERN + 1));
        assert!(
            Query::parse(&long, false)
                .unwrap_err()
                .0
                .contains("at most")
        );
    }

    #[test]
    fn a_hostile_regex_compiles_small_or_is_refused() {
        // Nested counted repetitions blow up compiled size; the limit refuses them.
        assert!(Query::parse("/((a{100}){100}){100}/", false).is_err());
        // Catastrophic backtracking patterns run in linear time in this engine.
        let q = Query::parse("/(a+)+$/", false).unwrap();
        let text = format!("{}b", "a".repeat(50_000));
        assert!(!q.terms[0].regex.is_match(&text));
    }
}
