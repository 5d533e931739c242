//! Exam questions written inside notes. One recogniser reads the family of multiple-choice
//! forms: a question is a *prompt*, a run of *options*, a *marking* of the right option(s) and
//! an optional *explanation*, and each part has a few common spellings (see [`parts`]). What
//! differs between the forms is only where a question starts and ends:
//!
//! 1. the seed's bold labels: `**Question:**`, `**Options:**` with `- A) …` items, `**정답: C) …**`,
//!    then `💡 추가 설명:` and its bullets ([`QuestionFormat::Bold`]);
//! 2. an Obsidian callout `> [!question] Title`: the title is the prompt when the body has none
//!    (or ends in `?`), and a nested `> > [!success]- Answer` callout holds the answer, as a
//!    `정답:` line or as the right option line(s) repeated ([`QuestionFormat::Callout`]);
//! 3. a run of lettered options (`A. …`, `(B) …`, `①`) or checkboxes (`- [x] …`) under the
//!    paragraph(s) that ask ([`QuestionFormat::Lettered`], [`QuestionFormat::Checkbox`]);
//! 4. `Q:` / `A:` pairs (open questions, no options);
//! 5. a question note and an answer note side by side in a folder ([`split`], a vault pass).

mod parts;
pub mod split;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use super::body::BodyLine;
use parts::{OptionKind, option_item, parse_parts};

/// How a question was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionFormat {
    /// `**Question:**` … `**정답: X)**` (the seed's format).
    Bold,
    /// `> [!question]` with a nested answer callout.
    Callout,
    /// `Q:` / `A:`.
    QAndA,
    /// A prompt and a run of `A.` / `A)` / `(A)` / `①` options, the answer marked below or by a
    /// green `<mark>`.
    Lettered,
    /// A prompt and `- [x]` / `- [ ]` options (QuizMD).
    Checkbox,
    /// The question in one note, its answer in another beside it (`문제.md` + `해설.md`).
    Split,
    /// A question of a ```` ```quiz ```` / ```` ```exam ```` fence (see `cards::quiz_fence`).
    QuizFence,
    /// A Spaced Repetition plugin card: `front::back`, or a front and back around `?`.
    Flashcard,
    /// A Spaced Repetition plugin cloze deletion (`==text==`, `{{text}}`).
    Cloze,
}

/// One option of a multiple-choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// `A`, `B`, … (normalised: `a)`, `(A)` and `①` are all `A`).
    pub label: String,
    pub text: String,
}

/// A question found in a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    /// File line (1-based) where the question starts.
    pub line: usize,
    pub format: QuestionFormat,
    /// The callout's title, for callout questions that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub prompt: String,
    /// In their written order; empty for an open question.
    pub options: Vec<Choice>,
    /// Labels of the correct options (`["C"]`); empty for an open question, or when no marking
    /// was found (the learner then grades themself).
    pub answer: Vec<String>,
    /// The answer as written after the label (`C) Disable internet access …`, or an open answer).
    pub answer_text: String,
    /// Explanation items: one per bullet, or one per paragraph.
    pub explanation: Vec<String>,
    /// For a [`QuestionFormat::Split`] question, the note holding its answer (vault-relative).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_note: Option<String>,
    /// The flashcard deck (the note's flashcard tag, `flashcards/aws/vpc`), for cards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deck: Option<String>,
}

impl Question {
    /// Whether the option labelled `label` is a right answer (labels compare ignoring case:
    /// `b` answers `B`).
    pub fn is_right(&self, label: &str) -> bool {
        self.answer.iter().any(|a| a.eq_ignore_ascii_case(label))
    }
}

/// At most this many lines are taken into one question, so a runaway block stays bounded.
const MAX_LINES: usize = 400;

/// Finds every question in the body lines (fenced code is skipped).
pub fn extract(lines: &[BodyLine<'_>]) -> Vec<Question> {
    let mut out = Vec::new();
    // Where the paragraphs that may ask the next lettered question begin: after the last
    // heading, rule or question. `heading` is that heading, the prompt when nothing follows it.
    let mut floor = 0;
    let mut heading: Option<(usize, &str)> = None;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.fence
            && let Some(end) = super::cards::quiz_fence::extract_at(lines, i, &mut out)
        {
            i = end;
            continue;
        }
        if l.in_code {
            i += 1;
            continue;
        }
        if !may_start_question(l.text) {
            i += 1;
            continue;
        }
        let t = l.text.trim();
        if let Some(h) = heading_text(t) {
            floor = i + 1;
            heading = Some((l.line, h));
            i += 1;
        } else if is_rule(t) {
            floor = i + 1;
            heading = None;
            i += 1;
        } else if let Some(rest) = strip_bold_label(t, &["Question", "문제", "질문"]) {
            let end = block_end(lines, i + 1, |t| {
                strip_bold_label(t, &["Question", "문제", "질문"]).is_some()
            });
            let block: Vec<&str> = texts(&lines[i + 1..end]).collect();
            out.extend(parse_parts(
                l.line,
                QuestionFormat::Bold,
                None,
                rest,
                &block,
            ));
            (i, floor, heading) = (end, end, None);
        } else if let Some(title) = question_callout_title(t) {
            let mut end = i + 1;
            while end < lines.len()
                && lines[end].text.trim_start().starts_with('>')
                && end - i < MAX_LINES
            {
                end += 1;
            }
            let block: Vec<&str> = lines[i + 1..end]
                .iter()
                .map(|l| strip_quote(l.text))
                .collect();
            let title = (!title.is_empty()).then(|| title.to_owned());
            out.extend(parse_parts(
                l.line,
                QuestionFormat::Callout,
                title,
                "",
                &block,
            ));
            (i, floor, heading) = (end, end, None);
        } else if let Some(q) = strip_qa(t, 'Q') {
            match parse_qa(lines, i, q) {
                Some((question, end)) => {
                    out.push(question);
                    (i, floor, heading) = (end, end, None);
                }
                None => i += 1,
            }
        } else if let Some(kind) = run_start(lines, i) {
            let end = lettered_end(lines, i);
            let block: Vec<&str> = texts(&lines[floor..end]).collect();
            let first_line = lines[floor..i]
                .iter()
                .find(|l| !l.in_code && !l.text.trim().is_empty())
                .map(|l| l.line);
            let (line, first) = match (first_line, heading) {
                (Some(line), _) => (line, ""),
                // Nothing between the heading and the options: the heading asks.
                (None, Some((line, h))) => (line, h),
                (None, None) => (l.line, ""),
            };
            let q = parse_parts(line, QuestionFormat::Lettered, None, first, &block);
            // A checklist is a question only when its prompt asks: a to-do list is not.
            out.extend(q.filter(|q| kind == OptionKind::Letter || parts::asks(&q.prompt)));
            (i, floor, heading) = (end, end, None);
        } else {
            i += 1;
        }
    }
    out
}

/// Whether a question shape may start on this line: its first character after whitespace is
/// one they all start with. Most lines are skipped here, so a line that starts (after ASCII
/// whitespace) with an ASCII character is decided by that byte without trimming the line;
/// only one that starts with a non-ASCII character (a circled number, or Unicode whitespace
/// before one of the ASCII markers) is trimmed the Unicode way.
fn may_start_question(text: &str) -> bool {
    // `char::is_whitespace` of an ASCII byte: tab, line feed, vertical tab, form feed,
    // carriage return and space.
    match text.bytes().find(|b| !matches!(b, b'\t'..=b'\r' | b' ')) {
        Some(b) if b < 0x80 => is_question_start(b),
        Some(_) => match text.trim_start().as_bytes().first() {
            Some(&b) if b < 0x80 => is_question_start(b),
            Some(_) => text.trim_start().starts_with(CIRCLED),
            None => false,
        },
        None => false,
    }
}

/// The ASCII bytes a question shape starts with.
fn is_question_start(b: u8) -> bool {
    matches!(
        b,
        b'*' | b'>' | b'Q' | b'A' | b'a' | b'(' | b'+' | b'<' | b'#' | b'-'
    )
}

/// The circled numbers `①`..`⑧` that label options like `A`..`H`.
const CIRCLED: [char; 8] = ['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧'];

/// The texts of lines outside fenced code.
fn texts<'a>(lines: &'a [BodyLine<'a>]) -> impl Iterator<Item = &'a str> {
    lines.iter().filter(|l| !l.in_code).map(|l| l.text)
}

/// Whether a run of options starts at line `i`: an option labelled `A` (or a checkbox) whose
/// next option, within a few lines of its own text, is `B` (or another checkbox).
fn run_start(lines: &[BodyLine<'_>], i: usize) -> Option<OptionKind> {
    let first = option_item(lines[i].text)?;
    if first.label != Some('A') && first.kind != OptionKind::Checkbox {
        return None;
    }
    // A bare `A.` is followed by its text (and often a translation) before `B.`.
    for l in lines.iter().skip(i + 1).take(24) {
        if l.in_code {
            continue;
        }
        let t = l.text.trim();
        if heading_text(t).is_some() || is_rule(t) {
            return None;
        }
        if let Some(next) = option_item(t) {
            let follows = match first.kind {
                OptionKind::Checkbox => next.kind == OptionKind::Checkbox,
                OptionKind::Letter => next.label == Some('B'),
            };
            return follows.then_some(first.kind);
        }
        // A wrapped lettered option is one paragraph; a checklist item is one line.
        if first.kind == OptionKind::Checkbox || (t.is_empty() && !first.text.is_empty()) {
            return None;
        }
    }
    None
}

/// The end (exclusive) of a lettered question whose options start at `from`: the next heading
/// (one that names its answer or explanation, `## 해설`, does not end it), rule, another kind
/// of question, or the paragraph that asks the next run of options.
fn lettered_end(lines: &[BodyLine<'_>], from: usize) -> usize {
    let mut j = from + 1;
    let mut last_blank = None;
    let mut in_options = true;
    while j < lines.len() && j - from < MAX_LINES {
        let l = lines[j];
        let t = l.text.trim();
        if l.in_code {
            j += 1;
            continue;
        }
        if let Some(h) = heading_text(t) {
            if !parts::is_part_label(h) {
                return j;
            }
        } else if is_rule(t)
            || strip_bold_label(t, &["Question", "문제", "질문"]).is_some()
            || question_callout_title(t).is_some()
        {
            return j;
        }
        if t.is_empty() {
            last_blank = Some(j);
        } else if option_item(t).is_none() {
            in_options = false;
        } else if !in_options && run_start(lines, j).is_some() && !after_answer_label(lines, j) {
            // The next question: its prompt is the paragraph just above its options.
            return match last_blank {
                Some(b) if b > from => b + 1,
                _ => j,
            };
        }
        j += 1;
    }
    j
}

/// Whether the line before `j` (skipping blanks) is a bare answer label such as
/// `Correct Options:`, so that the options at `j` are the key, not a new question.
fn after_answer_label(lines: &[BodyLine<'_>], j: usize) -> bool {
    lines[..j]
        .iter()
        .rev()
        .find(|l| !l.text.trim().is_empty())
        .and_then(|l| parts::answer_line(l.text.trim()))
        .is_some_and(|a| a.labels.is_empty() && a.text.is_empty())
}

/// `**Label:** rest` or `**Label**: rest` → `rest`.
fn strip_bold_label<'a>(t: &'a str, labels: &[&str]) -> Option<&'a str> {
    let inner = t.strip_prefix("**")?;
    for label in labels {
        if let Some(after) = strip_label(inner, label) {
            let rest = after
                .strip_prefix(":**")
                .or_else(|| after.strip_prefix("**:"))
                .or_else(|| after.strip_prefix("：**"));
            if let Some(rest) = rest {
                return Some(rest.trim());
            }
        }
    }
    None
}

/// `s` without a leading `label`, ignoring ASCII case (labels are English or Hangul words).
fn strip_label<'a>(s: &'a str, label: &str) -> Option<&'a str> {
    let head = s.get(..label.len())?;
    head.eq_ignore_ascii_case(label).then(|| &s[label.len()..])
}

/// The end (exclusive) of a bold-format question: the next heading, thematic break, next
/// question, or [`MAX_LINES`].
fn block_end(lines: &[BodyLine<'_>], from: usize, is_next: impl Fn(&str) -> bool) -> usize {
    let mut j = from;
    while j < lines.len() && j - from < MAX_LINES {
        let t = lines[j].text.trim();
        if !lines[j].in_code && (is_heading(t) || is_rule(t) || is_next(t)) {
            break;
        }
        j += 1;
    }
    j
}

fn is_heading(t: &str) -> bool {
    heading_text(t).is_some()
}

/// `## Text` → `Text` (an ATX heading of level 1 to 6).
fn heading_text(t: &str) -> Option<&str> {
    let n = t.bytes().take_while(|&c| c == b'#').count();
    match t.as_bytes().get(n) {
        Some(b' ') | None if (1..=6).contains(&n) => {
            Some(t[n..].trim().trim_end_matches('#').trim())
        }
        _ => None,
    }
}

/// A thematic break: three or more of one of `-`, `*`, `_`, and nothing else but whitespace.
/// Asked of nearly every line a question scan looks at, so it reads the line once and
/// allocates nothing.
fn is_rule(t: &str) -> bool {
    let mut mark = None;
    let mut count = 0usize;
    for c in t.chars().filter(|c| !c.is_whitespace()) {
        match mark {
            None if matches!(c, '-' | '*' | '_') => mark = Some(c),
            Some(m) if m == c => {}
            _ => return false,
        }
        count += 1;
    }
    count >= 3
}

/// `> [!question] Title` (also `[!quiz]`, `[!faq]`, `[!help]`, any case, with a fold marker).
fn question_callout_title(t: &str) -> Option<&str> {
    let (kind, title) = callout_header(t.strip_prefix('>')?.trim_start())?;
    ["question", "quiz", "faq", "help", "exam"]
        .iter()
        .any(|k| kind.eq_ignore_ascii_case(k))
        .then_some(title)
}

/// `[!type]± Title` → `(type, Title)`.
fn callout_header(t: &str) -> Option<(&str, &str)> {
    let rest = t.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let kind = &rest[..close];
    let title = rest[close + 1..].trim_start_matches(['+', '-']).trim();
    Some((kind, title))
}

/// Removes one level of `>` (and the space after it).
fn strip_quote(s: &str) -> &str {
    let t = s.trim_start();
    match t.strip_prefix('>') {
        Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
        None => s,
    }
}

/// `Q: text` / `**Q:** text` → `text`.
fn strip_qa(t: &str, letter: char) -> Option<&str> {
    // Asked of every line that may start a question: the label without an allocation.
    let mut buf = [0; 4];
    let l: &str = letter.encode_utf8(&mut buf);
    let t = t
        .strip_prefix(['-', '*'])
        .map(str::trim_start)
        .filter(|_| !t.starts_with("**"))
        .unwrap_or(t);
    strip_bold_label(t, &[l]).or_else(|| {
        let rest = t.strip_prefix(letter)?;
        rest.strip_prefix([':', '：']).map(str::trim)
    })
}

/// A `Q:` line followed (after its continuation lines) by an `A:` line.
fn parse_qa(lines: &[BodyLine<'_>], start: usize, first: &str) -> Option<(Question, usize)> {
    let mut prompt = vec![first.to_owned()];
    let mut j = start + 1;
    while j < lines.len() && j - start < MAX_LINES {
        let l = lines[j];
        let t = l.text.trim();
        // A blank line, code, or the next question ends this one unanswered.
        if l.in_code || t.is_empty() || strip_qa(t, 'Q').is_some() {
            return None;
        }
        if let Some(a) = strip_qa(t, 'A') {
            let mut answer = vec![a.to_owned()];
            let mut k = j + 1;
            while k < lines.len() && k - start < MAX_LINES {
                let t = lines[k].text.trim();
                if lines[k].in_code || t.is_empty() || strip_qa(t, 'Q').is_some() || is_heading(t) {
                    break;
                }
                answer.push(t.to_owned());
                k += 1;
            }
            let q = Question {
                line: lines[start].line,
                format: QuestionFormat::QAndA,
                title: None,
                prompt: prompt.join(" "),
                options: Vec::new(),
                answer: Vec::new(),
                answer_text: answer.join(" "),
                explanation: Vec::new(),
                answer_note: None,
                deck: None,
            };
            return Some((q, k));
        }
        prompt.push(t.to_owned());
        j += 1;
    }
    None
}
