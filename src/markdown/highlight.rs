//! Syntax highlighting of fenced code with a language: syntect's Sublime grammars (the ones
//! bat ships, compiled with fancy-regex, so no C build) parse each line into scopes, and the
//! scopes become the theme's code roles ([`Syntax`]): the colours are the theme's, not a
//! TextMate theme's.
//!
//! The grammars load on first use, on the thread that renders (the content worker in the
//! explorer), never at start-up. Highlighting is bounded ([`Budget`]): a block too large, a
//! line too long for the grammar, a block that takes too long, and what a note asks beyond
//! its budget of lines and time stay plain text, the frame saying why ([`Plain`]). A grammar
//! that fails or panics on a line leaves that block plain too.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

use crate::style::Syntax;

/// How much highlighting a note may ask for. The explorer renders on a worker, so these are
/// not what keeps keys answered; they keep a note with a pathological block showing its text
/// within a few frames instead of after seconds. The first block of a language in a process
/// compiles its grammar's regexes (about 85 ms for Python in a release build, ten times that
/// in a debug one): that block may take up to 2 s (20 times `block_time`, if less), and its
/// time is not counted in the note's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// A block larger than this (bytes) stays plain.
    pub block_bytes: usize,
    /// A block with a line longer than this (bytes) stays plain: a grammar's regexes are
    /// run over each line, and a minified line makes them crawl.
    pub line_bytes: usize,
    /// Lines highlighted per note; the blocks after stay plain.
    pub note_lines: usize,
    /// Time one block may take; one that overruns stays plain.
    pub block_time: Duration,
    /// Time a note's blocks may take together; the blocks after stay plain.
    pub note_time: Duration,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            block_bytes: 256 * 1024,
            line_bytes: 4 * 1024,
            note_lines: 5_000,
            block_time: Duration::from_millis(100),
            note_time: Duration::from_millis(150),
        }
    }
}

impl Budget {
    /// No limits of time, only of size: the same picture on every machine (tests,
    /// snapshots).
    pub fn untimed() -> Budget {
        Budget {
            block_time: Duration::MAX,
            note_time: Duration::MAX,
            ..Budget::default()
        }
    }
}

/// Why a block with a known language is shown plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plain {
    /// Larger than [`Budget::block_bytes`].
    TooLarge,
    /// A line longer than [`Budget::line_bytes`].
    LongLine,
    /// It took longer than [`Budget::block_time`], or the grammar failed on it.
    Slow,
    /// The note's budget was spent on the blocks before.
    NoteBudget,
}

impl Plain {
    /// What the frame says.
    pub fn label(self) -> &'static str {
        match self {
            Plain::TooLarge => "plain: too large",
            Plain::LongLine => "plain: long line",
            Plain::Slow => "plain: too slow",
            Plain::NoteBudget => "plain: note too long",
        }
    }
}

/// A line as runs of text and their role (`None`: ordinary text).
pub type Runs = Vec<(Option<Syntax>, String)>;

/// What highlighting a block gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No grammar for the language (or plain text): shown as code always was.
    Unknown,
    /// A grammar, but the block stays plain, for this reason.
    Plain(Plain),
    /// One [`Runs`] per line.
    Lines(Vec<Runs>),
}

/// The highlighting of one note: its budget and what it has spent.
#[derive(Debug)]
pub struct Highlighter {
    budget: Budget,
    lines: usize,
    spent: Duration,
}

/// The most a grammar's first block may take (its regexes compile then).
const FIRST_USE: Duration = Duration::from_secs(2);

/// Whether the grammar `name` has highlighted a block in this process; marks it so.
fn warm(name: &str) -> bool {
    static WARM: OnceLock<std::sync::Mutex<std::collections::HashSet<String>>> = OnceLock::new();
    let mut warm = WARM
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    !warm.insert(name.to_owned())
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The grammar for a fence's language, by name or extension (`rust`, `rs`, `Python`, `yml`).
fn grammar(lang: &str) -> Option<&'static SyntaxReference> {
    let lang = lang.trim().to_lowercase();
    // Names notes use that the grammars do not list.
    let lang = match lang.as_str() {
        "shell" | "zsh" | "console" | "shellscript" => "sh",
        "c++" => "cpp",
        "golang" => "go",
        "jsonc" | "json5" => "json",
        "py3" | "python3" => "py",
        other => other,
    };
    if lang.is_empty() {
        return None;
    }
    let set = syntaxes();
    let found = set.find_syntax_by_token(lang).or_else(|| {
        set.syntaxes()
            .iter()
            .find(|s| s.name.to_lowercase() == lang)
    })?;
    (found.name != "Plain Text").then_some(found)
}

/// Whether `lang` has a grammar (loads the grammars on first call).
pub fn knows(lang: &str) -> bool {
    grammar(lang).is_some()
}

/// Scope prefixes and the role each gives, most specific first within a family.
fn selectors() -> &'static [(Scope, Syntax)] {
    static SEL: OnceLock<Vec<(Scope, Syntax)>> = OnceLock::new();
    SEL.get_or_init(|| {
        [
            ("comment", Syntax::Comment),
            ("punctuation.definition.comment", Syntax::Comment),
            ("constant.numeric", Syntax::Number),
            ("constant.character.escape", Syntax::Constant),
            ("constant", Syntax::Constant),
            ("string", Syntax::String),
            ("punctuation.definition.string", Syntax::String),
            ("entity.name.function", Syntax::Function),
            ("support.function", Syntax::Function),
            ("variable.function", Syntax::Function),
            ("entity.name.tag", Syntax::Type),
            ("entity.name", Syntax::Type),
            ("support.type", Syntax::Type),
            ("support.class", Syntax::Type),
            ("entity.other.inherited-class", Syntax::Type),
            ("storage.type.primitive", Syntax::Type),
            ("storage.type.numeric", Syntax::Type),
            ("keyword.operator", Syntax::Operator),
            ("keyword", Syntax::Keyword),
            ("storage", Syntax::Keyword),
            ("variable.language", Syntax::Keyword),
        ]
        .into_iter()
        .filter_map(|(s, role)| Scope::new(s).ok().map(|s| (s, role)))
        .collect()
    })
}

/// The role of text under `stack`: the innermost scope that any selector covers decides,
/// except that a mapping's key (JSON's quoted keys) is a name, as YAML's are.
fn role_of(stack: &[Scope]) -> Option<Syntax> {
    static KEYS: OnceLock<Vec<Scope>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        ["meta.mapping.key", "meta.structure.dictionary.key"]
            .into_iter()
            .filter_map(|s| Scope::new(s).ok())
            .collect()
    });
    if stack
        .iter()
        .any(|&s| keys.iter().any(|k| k.is_prefix_of(s)))
    {
        return Some(Syntax::Type);
    }
    let sel = selectors();
    stack.iter().rev().find_map(|&scope| {
        sel.iter()
            .find(|(prefix, _)| prefix.is_prefix_of(scope))
            .map(|&(_, role)| role)
    })
}

impl Highlighter {
    pub fn new(budget: Budget) -> Highlighter {
        Highlighter {
            budget,
            lines: 0,
            spent: Duration::ZERO,
        }
    }

    /// Highlights a block of `lang` whose lines are `lines` (sanitised, tabs expanded).
    pub fn block(&mut self, lang: &str, lines: &[String]) -> Outcome {
        let Some(grammar) = grammar(lang) else {
            return Outcome::Unknown;
        };
        let b = self.budget;
        let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
        if bytes > b.block_bytes {
            return Outcome::Plain(Plain::TooLarge);
        }
        if lines.iter().any(|l| l.len() > b.line_bytes) {
            return Outcome::Plain(Plain::LongLine);
        }
        if self.lines + lines.len() > b.note_lines || self.spent >= b.note_time {
            return Outcome::Plain(Plain::NoteBudget);
        }
        let start = Instant::now();
        let mut left = b.block_time.min(b.note_time.saturating_sub(self.spent));
        // A grammar's first block compiles its regexes (once per process): that block may
        // take up to FIRST_USE, and the time is not the note's.
        let first = !warm(&grammar.name);
        if first {
            left = left.max(FIRST_USE.min(b.block_time.saturating_mul(20)));
        }
        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            parse(grammar, lines, start, left)
        }));
        let took = start.elapsed();
        if !first {
            self.spent += took;
        }
        self.lines += lines.len();
        match parsed {
            Ok(Some(lines)) => Outcome::Lines(lines),
            // Overran the note's time rather than the block's own: say so.
            Ok(None) if left < b.block_time && took >= left => Outcome::Plain(Plain::NoteBudget),
            Ok(None) | Err(_) => Outcome::Plain(Plain::Slow),
        }
    }
}

/// Each line as runs, or `None` when the time since `start` passes `left` or the grammar
/// fails.
fn parse(
    grammar: &SyntaxReference,
    lines: &[String],
    start: Instant,
    left: Duration,
) -> Option<Vec<Runs>> {
    let set = syntaxes();
    let mut state = ParseState::new(grammar);
    let mut stack = ScopeStack::new();
    let mut out = Vec::with_capacity(lines.len());
    let mut buf = String::new();
    for line in lines {
        if start.elapsed() > left {
            return None;
        }
        // The grammars expect each line with its newline.
        buf.clear();
        buf.push_str(line);
        buf.push('\n');
        let ops = state.parse_line(&buf, set).ok()?;
        let mut runs: Runs = Vec::new();
        let mut at = 0;
        let push = |runs: &mut Runs, role: Option<Syntax>, text: &str| {
            if text.is_empty() {
                return;
            }
            match runs.last_mut() {
                Some((r, t)) if *r == role => t.push_str(text),
                _ => runs.push((role, text.to_owned())),
            }
        };
        for (pos, op) in ops {
            let pos = pos.min(line.len());
            if pos > at && line.is_char_boundary(pos) {
                push(&mut runs, role_of(stack.as_slice()), &line[at..pos]);
                at = pos;
            }
            stack.apply(&op).ok()?;
        }
        push(&mut runs, role_of(stack.as_slice()), &line[at..]);
        out.push(runs);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_owned).collect()
    }

    fn roles_of(outcome: &Outcome, word: &str) -> Vec<Option<Syntax>> {
        let Outcome::Lines(ls) = outcome else {
            panic!("not highlighted: {outcome:?}")
        };
        ls.iter()
            .flatten()
            .filter(|(_, t)| t.contains(word))
            .map(|(r, _)| *r)
            .collect()
    }

    #[test]
    fn scopes_become_the_theme_roles() {
        let mut h = Highlighter::new(Budget::untimed());
        let rust = h.block(
            "rust",
            &lines("// note\nfn main() {\n    let x = \"hi\";\n    let n = 42;\n}"),
        );
        assert_eq!(roles_of(&rust, "// note"), [Some(Syntax::Comment)]);
        assert_eq!(roles_of(&rust, "fn"), [Some(Syntax::Keyword)]);
        assert_eq!(roles_of(&rust, "main"), [Some(Syntax::Function)]);
        assert!(roles_of(&rust, "hi").contains(&Some(Syntax::String)));
        assert_eq!(roles_of(&rust, "42"), [Some(Syntax::Number)]);
        // The text of every line comes back whole, in order.
        let Outcome::Lines(ls) = &rust else { panic!() };
        let joined: Vec<String> = ls
            .iter()
            .map(|r| r.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(
            joined,
            lines("// note\nfn main() {\n    let x = \"hi\";\n    let n = 42;\n}")
        );
        let py = h.block("Python", &lines("def f(x):\n    return None  # done"));
        assert_eq!(roles_of(&py, "def"), [Some(Syntax::Keyword)]);
        assert_eq!(roles_of(&py, "# done"), [Some(Syntax::Comment)]);
        assert_eq!(roles_of(&py, "None"), [Some(Syntax::Constant)]);
    }

    #[test]
    fn unknown_languages_and_plain_text_are_not_highlighted() {
        let mut h = Highlighter::new(Budget::default());
        for lang in ["", "text", "no-such-language", "mermaid"] {
            assert_eq!(h.block(lang, &lines("a b c")), Outcome::Unknown, "{lang}");
        }
        for lang in ["rs", "yml", "JSON", "shell", "py"] {
            assert!(knows(lang), "{lang}");
        }
    }

    #[test]
    fn a_block_too_large_stays_plain() {
        let mut h = Highlighter::new(Budget::default());
        let big: Vec<String> = (0..20_000)
            .map(|i| format!("let x{i} = {i}; // {i:040}"))
            .collect();
        assert!(big.iter().map(String::len).sum::<usize>() > 1024 * 1024);
        assert_eq!(h.block("rust", &big), Outcome::Plain(Plain::TooLarge));
    }

    #[test]
    fn a_pathological_line_stays_plain() {
        let mut h = Highlighter::new(Budget::default());
        // One minified line of nested brackets and quotes, 100 KB.
        let line = "[{\"a\":(\"".repeat(100 * 1024 / 8);
        assert_eq!(h.block("json", &[line]), Outcome::Plain(Plain::LongLine));
    }

    #[test]
    fn a_block_that_overruns_its_time_stays_plain_and_the_next_still_highlights() {
        let mut h = Highlighter::new(Budget {
            block_time: Duration::ZERO,
            ..Budget::default()
        });
        let code = lines("fn main() {}\nfn other() {}");
        assert_eq!(h.block("rust", &code), Outcome::Plain(Plain::Slow));
        let mut h = Highlighter::new(Budget::untimed());
        assert!(matches!(h.block("rust", &code), Outcome::Lines(_)));
    }

    #[test]
    fn a_note_spends_its_budget_then_its_blocks_stay_plain() {
        let mut h = Highlighter::new(Budget {
            note_lines: 10,
            ..Budget::untimed()
        });
        let block = lines("x = 1\ny = 2\nz = 3\n");
        let outcomes: Vec<Outcome> = (0..5).map(|_| h.block("python", &block)).collect();
        assert!(outcomes[..3].iter().all(|o| matches!(o, Outcome::Lines(_))));
        assert_eq!(outcomes[3], Outcome::Plain(Plain::NoteBudget));
        assert_eq!(outcomes[4], Outcome::Plain(Plain::NoteBudget));
        let mut h = Highlighter::new(Budget {
            note_time: Duration::ZERO,
            ..Budget::default()
        });
        assert_eq!(h.block("python", &block), Outcome::Plain(Plain::NoteBudget));
    }
}
