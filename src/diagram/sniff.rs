//! Whether an unlabelled block is code rather than a picture: `->` and `=>` are everywhere in
//! type signatures, grammars, shell sessions, logs and programs, so the decision rests on the
//! block's structure. One line that reads as code (a prompt, a statement ending in `;` or `{`,
//! a keyword opening a line, `::`, an assignment, a call, a log's timestamp or level, a
//! grammar's alternatives, a `tree` listing) makes the block code. Lines of a drawn picture
//! (with box-drawing glyphs, framed by `|` / `+`, or nothing but ASCII line glyphs like
//! `|      |      v`) are the picture's own and not judged.

/// Words that open a line of code in the languages notes quote.
const KEYWORDS: &[&str] = &[
    "fn", "pub", "let", "const", "var", "def", "func", "impl", "import", "#include", "#define",
    "typedef", "newtype", "sudo",
];

/// Whether the block reads as code (or a shell session, log, listing) rather than a diagram.
pub fn looks_like_code(text: &str) -> bool {
    text.lines().take(super::MAX_LINES).any(code_line)
}

fn drawn(line: &str) -> bool {
    let t = line.trim();
    line.chars()
        .any(|c| ('\u{2500}'..='\u{257F}').contains(&c) && !tree_line(t))
        || (t.starts_with(['|', '+']) && t.ends_with(['|', '+']) && t.len() > 1)
        || ascii_connectors(t)
}

/// A line of nothing but ASCII lines and heads between pictured boxes (`|      |      v`):
/// its ` | ` is no shell pipe.
fn ascii_connectors(t: &str) -> bool {
    t.contains(['|', '+']) && t.chars().all(|c| c == ' ' || "|+-<>^v".contains(c))
}

/// `├── src/`, `│   └── main.rs`, `|-- lib`, `` `-- bin ``.
fn tree_line(t: &str) -> bool {
    let rest = t.trim_start_matches(['│', '|', ' ', '\u{a0}']);
    ["├", "└", "|--", "`--", "+--"].iter().any(|p| {
        rest.strip_prefix(p).is_some_and(|r| {
            let name = r.trim_start_matches(['─', '-']);
            name.len() < r.len() && name.starts_with(' ') && !name.trim().is_empty()
        })
    })
}

fn code_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    if tree_line(t) {
        return true;
    }
    if drawn(line) {
        return false;
    }
    let lower = t.to_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    let prompt = ["$ ", "% ", "# ", ">>> ", "... ", "❯ ", "PS ", "λ ", "> "]
        .iter()
        .any(|p| t.starts_with(p));
    let ends = t.ends_with([';', '{', '}', ',', '\\', '(', '['])
        || t.ends_with(':') && (t.contains('(') || KEYWORDS.contains(&first));
    let opens = KEYWORDS.contains(&first)
        || ["//", "/*", "-- ", "<!--", "#!", "@"]
            .iter()
            .any(|p| t.starts_with(p))
        || t.starts_with('<') && t[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
    let punct = t.contains("::")
        || t.contains(":=")
        || t.contains(" = ")
        || t.contains("!=")
        || t.contains("&&")
        || t.contains("||")
        || t.contains(" == ")
        || t.contains(" | ")
        || t.contains(")*")
        || t.contains(")+")
        || t.contains(")?")
        || quoted_char(t)
        || t.contains('`')
        || t.contains('{') && t.contains('}');
    prompt || ends || opens || punct || call(t) || log_line(t)
}

/// A grammar's terminal: `'+'`, `'('`, `'if'`.
fn quoted_char(t: &str) -> bool {
    let c: Vec<char> = t.chars().collect();
    (0..c.len()).any(|i| {
        c[i] == '\''
            && (2..=4).any(|k| {
                c.get(i + k) == Some(&'\'') && c[i + 1..i + k].iter().all(|x| !x.is_whitespace())
            })
    })
}

/// `name(args)`: an identifier right before `(` with something inside.
fn call(t: &str) -> bool {
    let b = t.as_bytes();
    b.windows(2).enumerate().any(|(i, w)| {
        w[1] == b'(' && (w[0].is_ascii_alphanumeric() || w[0] == b'_') && {
            let rest = &t[i + 2..];
            rest.find(')')
                .is_some_and(|j| j > 0 || rest.starts_with(')'))
        }
    })
}

/// A timestamp at the start (`2024-05-01`, `12:00:01`) or a level word (`INFO`, `[WARN]`).
fn log_line(t: &str) -> bool {
    let d: Vec<char> = t.chars().take(10).collect();
    let digits = |r: std::ops::Range<usize>| {
        r.clone()
            .all(|i| d.get(i).is_some_and(char::is_ascii_digit))
    };
    let date = d.len() >= 10 && digits(0..4) && d[4] == '-' && digits(5..7) && d[7] == '-';
    let time = d.len() >= 8 && digits(0..2) && d[2] == ':' && digits(3..5) && d[5] == ':';
    let level = t.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
        matches!(
            w,
            "INFO" | "WARN" | "WARNING" | "ERROR" | "DEBUG" | "TRACE" | "FATAL"
        )
    });
    date || time || level
}
