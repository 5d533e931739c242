//! Exam questions written inside notes, in the three shapes the vault uses:
//!
//! 1. the seed's bold labels: `**Question:**`, `**Options:**` with `- A) …` items,
//!    `**정답: C) …**`, then `💡 추가 설명:` and its bullets;
//! 2. an Obsidian callout `> [!question] Title` whose nested `> > [!success]- Answer` callout
//!    holds the answer and explanation;
//! 3. `Q:` / `A:` pairs (open questions, no options).

use serde::Serialize;

use super::body::BodyLine;

/// How a question was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionFormat {
    /// `**Question:**` … `**정답: X)**` (the seed's format).
    Bold,
    /// `> [!question]` with a nested answer callout.
    Callout,
    /// `Q:` / `A:`.
    QAndA,
    /// A question of a ```` ```quiz ```` / ```` ```exam ```` fence (see `cards::quiz_fence`).
    QuizFence,
    /// A Spaced Repetition plugin card: `front::back`, or a front and back around `?`.
    Flashcard,
    /// A Spaced Repetition plugin cloze deletion (`==text==`, `{{text}}`).
    Cloze,
}

/// One option of a multiple-choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// `A`, `B`, …
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
    /// Empty for an open question.
    pub options: Vec<Choice>,
    /// Labels of the correct options (`["C"]`); empty for an open question.
    pub answer: Vec<String>,
    /// The answer as written after the label (`C) Disable internet access …`, or an open answer).
    pub answer_text: String,
    /// Explanation items: one per bullet, or one per paragraph.
    pub explanation: Vec<String>,
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
        let t = l.text.trim();
        // Every question shape starts with one of these; most lines are skipped here.
        let maybe = match t.as_bytes().first() {
            Some(b'*' | b'>' | b'Q') => true,
            // `- Q: …`: a list item is a question only when it starts with `Q`.
            Some(b'-') => t[1..].trim_start().starts_with('Q'),
            _ => false,
        };
        if !maybe {
            i += 1;
            continue;
        }
        if let Some(rest) = strip_bold_label(t, &["Question", "문제", "질문"]) {
            let end = block_end(lines, i + 1, |t| {
                strip_bold_label(t, &["Question", "문제", "질문"]).is_some()
            });
            let block: Vec<&str> = lines[i + 1..end].iter().map(|l| l.text).collect();
            out.push(parse_parts(
                l.line,
                QuestionFormat::Bold,
                None,
                rest,
                &block,
            ));
            i = end;
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
            out.push(parse_parts(
                l.line,
                QuestionFormat::Callout,
                title,
                "",
                &block,
            ));
            i = end;
        } else if let Some(q) = strip_qa(t, 'Q') {
            match parse_qa(lines, i, q) {
                Some((question, end)) => {
                    out.push(question);
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    out
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
    let n = t.bytes().take_while(|&c| c == b'#').count();
    (1..=6).contains(&n) && matches!(t.as_bytes().get(n), Some(b' ') | None)
}

fn is_rule(t: &str) -> bool {
    let c: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
    c.len() >= 3
        && (c.iter().all(|&x| x == '-')
            || c.iter().all(|&x| x == '*')
            || c.iter().all(|&x| x == '_'))
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

/// `- A) text`, `A. text`, `**B)** text`, `(C) text` → `("C", "text")`.
fn option_item(t: &str) -> Option<(String, String)> {
    let t = t.trim();
    let t = t
        .strip_prefix(['-', '*', '+'])
        .filter(|r| r.starts_with(' '))
        .map(str::trim_start)
        .unwrap_or(t);
    let bold = t.starts_with("**");
    let t = t.trim_start_matches("**").trim_start_matches('(');
    let mut chars = t.chars();
    let letter = chars
        .next()
        .filter(|c| c.is_ascii_uppercase() && *c <= 'H')?;
    let rest = chars.as_str();
    let rest = rest.strip_prefix([')', '.', ':'])?;
    let rest = if bold {
        rest.trim_start_matches("**")
    } else {
        rest
    };
    let text = rest.trim();
    (!text.is_empty()).then(|| (letter.to_string(), text.to_owned()))
}

/// An answer line: `**정답: C) …**`, `정답: A, C`, `**Answer:** B`, `Correct answer: D) …`.
/// Returns the correct labels and the text after the label.
fn answer_line(t: &str) -> Option<(Vec<String>, String)> {
    let plain = t
        .trim()
        .trim_start_matches(['-', '*', ' '])
        .trim_end_matches(['*', ' ']);
    let plain = plain.replace("**", "");
    let after = ["정답", "correct answer", "answer", "답"]
        .iter()
        .find_map(|label| strip_label(&plain, label))?
        .trim_start();
    let after = after.strip_prefix([':', '：'])?.trim();
    Some((answer_labels(after), after.to_owned()))
}

/// Leading option letters of an answer text: `C) …` → C, `A, C` → A C, `B와 D` → B D.
fn answer_labels(s: &str) -> Vec<String> {
    // A label is one letter A-H standing alone: `C`, `C)`, `C.`; several are joined by an
    // explicit separator (`A, C`, `B와 D`, `A and C`). A plain space ends the list, so the text of
    // `B) A gateway endpoint` is not read as a second label.
    fn label(s: &str) -> Option<(char, &str)> {
        let mut chars = s.chars();
        let c = chars
            .next()
            .filter(|c| c.is_ascii_uppercase() && *c <= 'H')?;
        let after = chars.as_str();
        let alone = after.is_empty()
            || after.starts_with([')', '.', ',', ' ', '와', '과', '&', '*'])
            || after.starts_with(" and ");
        alone.then(|| (c, after.strip_prefix([')', '.']).unwrap_or(after)))
    }
    fn separator(s: &str) -> Option<&str> {
        let t = s.trim_start();
        let rest = t
            .strip_prefix(',')
            .or_else(|| t.strip_prefix('와'))
            .or_else(|| t.strip_prefix('과'))
            .or_else(|| t.strip_prefix('&'))
            .or_else(|| t.strip_prefix("and "))?;
        Some(rest.trim_start())
    }
    let mut labels = Vec::new();
    let mut rest = s.trim();
    while let Some((c, after)) = label(rest) {
        labels.push(c.to_string());
        match separator(after) {
            Some(next) if label(next).is_some() && labels.len() < 8 => rest = next,
            _ => break,
        }
    }
    labels
}

fn is_explanation_label(t: &str) -> bool {
    let t = t.trim().trim_start_matches("💡").trim().replace("**", "");
    let t = t.trim_end_matches([':', '：', ' ']);
    ["추가 설명", "설명", "해설", "explanation", "why"]
        .iter()
        .any(|l| t.eq_ignore_ascii_case(l))
}

#[derive(PartialEq, Clone, Copy)]
enum Part {
    Prompt,
    Options,
    Explanation,
}

/// Reads prompt, options, answer and explanation from a block's lines (quote prefix removed).
/// A nested answer callout (`> [!success]- Answer`) contributes its answer and explanation.
fn parse_parts(
    line: usize,
    format: QuestionFormat,
    title: Option<String>,
    first: &str,
    block: &[&str],
) -> Question {
    let mut prompt: Vec<String> = Vec::new();
    if !first.is_empty() {
        prompt.push(first.to_owned());
    }
    let mut options: Vec<Choice> = Vec::new();
    let mut answer = Vec::new();
    let mut answer_text = String::new();
    let mut explanation: Vec<String> = Vec::new();
    let mut part = Part::Prompt;
    let mut after_blank = false;
    let mut answered = false;
    for &line_text in block {
        let mut t = line_text;
        // Inside a nested answer callout, read the lines without their extra `>`.
        if format == QuestionFormat::Callout && t.trim_start().starts_with('>') {
            t = strip_quote(t);
            if callout_header(t.trim()).is_some() {
                part = Part::Explanation;
                continue;
            }
        }
        let trimmed = t.trim();
        if trimmed.is_empty() {
            after_blank = true;
            continue;
        }
        if !answered && let Some((labels, text)) = answer_line(trimmed) {
            answer = labels;
            answer_text = text;
            answered = true;
            part = Part::Explanation;
            after_blank = false;
            continue;
        }
        if strip_bold_label(trimmed, &["Options", "선택지", "보기"]).is_some() {
            part = Part::Options;
            continue;
        }
        if part != Part::Explanation
            && let Some((label, text)) = option_item(trimmed)
        {
            part = Part::Options;
            options.push(Choice { label, text });
            after_blank = false;
            continue;
        }
        match part {
            Part::Prompt => push_paragraph(&mut prompt, trimmed, after_blank),
            Part::Options => {
                // A wrapped option continues; anything after a blank line ends the options.
                match options.last_mut() {
                    Some(last) if !after_blank => {
                        last.text.push(' ');
                        last.text.push_str(trimmed);
                    }
                    _ => push_paragraph(&mut prompt, trimmed, true),
                }
            }
            Part::Explanation => {
                if is_explanation_label(trimmed) {
                    after_blank = false;
                    continue;
                }
                // Callout answers often state the correct option on its own line: `**D) …**`.
                if !answered && let Some((label, text)) = option_item(trimmed) {
                    answer = vec![label.clone()];
                    answer_text = format!("{label}) {text}");
                    answered = true;
                    continue;
                }
                let bullet = trimmed
                    .strip_prefix(['-', '*', '+'])
                    .filter(|r| r.starts_with(' '));
                match bullet {
                    Some(item) => explanation.push(item.trim().to_owned()),
                    None if after_blank || explanation.is_empty() => {
                        explanation.push(trimmed.to_owned())
                    }
                    None => {
                        if let Some(last) = explanation.last_mut() {
                            last.push(' ');
                            last.push_str(trimmed);
                        }
                    }
                }
            }
        }
        after_blank = false;
    }
    // A title-only callout question: the title is the prompt.
    if prompt.is_empty()
        && let Some(t) = &title
    {
        prompt.push(t.clone());
    }
    Question {
        line,
        format,
        title,
        prompt: prompt.join("\n\n"),
        options,
        answer,
        answer_text: answer_text.trim_end_matches('*').trim().to_owned(),
        explanation,
        deck: None,
    }
}

fn push_paragraph(paras: &mut Vec<String>, text: &str, new_paragraph: bool) {
    match paras.last_mut() {
        Some(last) if !new_paragraph => {
            last.push(' ');
            last.push_str(text);
        }
        _ => paras.push(text.to_owned()),
    }
}

/// `Q: text` / `**Q:** text` → `text`.
fn strip_qa(t: &str, letter: char) -> Option<&str> {
    let l = letter.to_string();
    let t = t
        .strip_prefix(['-', '*'])
        .map(str::trim_start)
        .filter(|_| !t.starts_with("**"))
        .unwrap_or(t);
    strip_bold_label(t, &[&l]).or_else(|| {
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
                deck: None,
            };
            return Some((q, k));
        }
        prompt.push(t.to_owned());
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::body::lines;

    fn qs(body: &str) -> Vec<Question> {
        extract(&lines(body, 1))
    }

    const BOLD: &str = "## 📝 관련 문제\n\n**Question:** Which one?\nSecond line.\n\n**Options:**\n\n- A) First\n- B) Second\n  wrapped\n- C) Third\n- D) Fourth\n\n**정답: C) Third**\n\n💡 추가 설명:\n\n- **A** - no\n- **B** - no\n  really\n- **D** - no\n";

    #[test]
    fn bold_format() {
        let q = &qs(BOLD)[0];
        assert_eq!(q.format, QuestionFormat::Bold);
        assert_eq!(q.line, 3);
        assert_eq!(q.prompt, "Which one? Second line.");
        let labels: Vec<_> = q.options.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["A", "B", "C", "D"]);
        assert_eq!(q.options[1].text, "Second wrapped");
        assert_eq!(q.answer, ["C"]);
        assert_eq!(q.answer_text, "C) Third");
        assert_eq!(
            q.explanation,
            ["**A** - no", "**B** - no really", "**D** - no"]
        );
    }

    #[test]
    fn callout_format() {
        let body = "> [!question] Endpoint types\n> Which service has a gateway endpoint?\n>\n> - A) SQS\n> - B) S3\n> - C) SNS\n>\n> > [!success]- Answer\n> > **정답: B) S3**\n> >\n> > - S3와 DynamoDB만 gateway\n> > - 나머지는 interface\n\nafter";
        let q = &qs(body)[0];
        assert_eq!(q.format, QuestionFormat::Callout);
        assert_eq!(q.title.as_deref(), Some("Endpoint types"));
        assert_eq!(q.prompt, "Which service has a gateway endpoint?");
        assert_eq!(q.options.len(), 3);
        assert_eq!(q.answer, ["B"]);
        assert_eq!(q.answer_text, "B) S3");
        assert_eq!(
            q.explanation,
            ["S3와 DynamoDB만 gateway", "나머지는 interface"]
        );
    }

    #[test]
    fn callout_answer_given_as_bold_option() {
        let body = "> [!QUESTION]+ Pick\n> - A) x\n> - B) y\n> > [!check] Answer\n> > **B) y**\n> > because.";
        let q = &qs(body)[0];
        assert_eq!(q.prompt, "Pick");
        assert_eq!(q.answer, ["B"]);
        assert_eq!(q.explanation, ["because."]);
    }

    #[test]
    fn qa_pairs() {
        let got = qs(
            "### 빠른 복습\nQ: What is stateful?\nA: Security groups.\nReturn traffic is allowed.\n\nQ: no answer here\n\n**Q:** Bold?\n**A:** Yes",
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].format, QuestionFormat::QAndA);
        assert_eq!(got[0].prompt, "What is stateful?");
        assert_eq!(
            got[0].answer_text,
            "Security groups. Return traffic is allowed."
        );
        assert!(got[0].options.is_empty() && got[0].answer.is_empty());
        assert_eq!(got[1].prompt, "Bold?");
        assert_eq!(got[1].line, 8);
    }

    #[test]
    fn answer_lines() {
        let cases: &[(&str, &[&str])] = &[
            ("**정답: C) text**", &["C"]),
            ("정답: A, C", &["A", "C"]),
            ("**Answer:** B", &["B"]),
            ("Correct answer: B and D", &["B", "D"]),
            ("정답: B와 D", &["B", "D"]),
            ("**정답: Amazon S3**", &[]),
            ("**정답: B) A gateway endpoint**", &["B"]),
            ("**Answer:** D) A NAT gateway in each AZ", &["D"]),
            ("정답: C) H/W acceleration", &["C"]),
            ("정답: A) 첫째, C) 셋째", &["A"]),
            ("정답: A & C", &["A", "C"]),
        ];
        for (line, want) in cases {
            assert_eq!(
                answer_line(line).map(|a| a.0).unwrap_or_default(),
                *want,
                "{line}"
            );
        }
        assert!(answer_line("Answers vary").is_none());
    }

    #[test]
    fn questions_end_at_headings_and_code_is_skipped() {
        let body = "```\n**Question:** in code\n```\n**Question:** Open one?\n**정답: it depends**\n## Next\n- A) not an option\n";
        let got = qs(body);
        assert_eq!(got.len(), 1);
        assert!(got[0].options.is_empty());
        assert_eq!(got[0].answer_text, "it depends");
        assert!(got[0].explanation.is_empty());
    }
}
