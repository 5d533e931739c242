//! The parts of a multiple-choice question and their spellings, shared by every form:
//!
//! - an **option** line: `A. text`, `A) text`, `(A) text`, `a) text`, `**B)** text`, `① text`,
//!   with or without a list marker, a normal or a no-break space after the label, or a bare
//!   `A.` whose text follows on the next lines; or a checkbox `- [x] text` / `- [ ] text`;
//! - a **marking** of the right option(s): a key line (`정답: B`, `답: B`, `Answer: B`,
//!   `Correct answer: B`, `The correct answer is: **B. …**`), a key label over the right option
//!   lines (`Correct Options:`, or a nested answer callout), a checked box, or a green
//!   `<mark>`. `My Answer: C` and a mark of another colour are the author's own pick, not the key;
//! - an **explanation**: what follows `Explanation:`, `해설`, `설명`, `💡`.
//!
//! "Choose two" (`2개 선택`, `두 개를 고르시오`) in the prompt caps how many options are right.

use std::borrow::Cow;

use super::{
    CIRCLED, Choice, Question, QuestionFormat, callout_header, heading_text, strip_bold_label,
    strip_label, strip_quote,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OptionKind {
    /// Labelled `A.`, `(A)`, `①`, …
    Letter,
    /// `- [ ]` / `- [x]`, labelled by position.
    Checkbox,
}

/// One option line as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OptionLine<'a> {
    /// `A`..`H`; `None` for a checkbox.
    pub label: Option<char>,
    pub kind: OptionKind,
    /// Empty for a bare label (`A.` alone on its line). Borrowed from the line unless a
    /// `<mark>` had to be cut out of it: the scan asks of every list item whether it is an
    /// option, and keeps few.
    pub text: Cow<'a, str>,
    /// Marked right on the line itself: a checked box or a green `<mark>`.
    pub right: bool,
}

/// Reads an option line (see the module doc for the spellings).
pub(super) fn option_item(t: &str) -> Option<OptionLine<'_>> {
    let t = t.trim();
    let listed = t
        .strip_prefix(['-', '*', '+'])
        .filter(|r| r.starts_with(char::is_whitespace))
        .map(str::trim_start);
    if let Some(item) = listed {
        let checked = match item.get(..3) {
            Some("[x]" | "[X]") => Some(true),
            Some("[ ]") => Some(false),
            _ => None,
        };
        if let Some(checked) = checked {
            let (text, _) = strip_marks(&item[3..]);
            return (!text.is_empty()).then_some(OptionLine {
                label: None,
                kind: OptionKind::Checkbox,
                text,
                right: checked,
            });
        }
    }
    let t = listed.unwrap_or(t);
    // A mark may wrap the whole line (`<mark …>B. text</mark>`) or only its text.
    let (t, green) = strip_marks(t);
    let (label, text) = match &t {
        Cow::Borrowed(t) => {
            let (label, text) = option_text(t)?;
            (label, Cow::Borrowed(text))
        }
        Cow::Owned(t) => {
            let (label, text) = option_text(t)?;
            (label, Cow::Owned(text.to_owned()))
        }
    };
    Some(OptionLine {
        label: Some(label),
        kind: OptionKind::Letter,
        text,
        right: green == Some(true),
    })
}

/// A lettered option's label and text, in a line without its list marker and marks.
fn option_text(t: &str) -> Option<(char, &str)> {
    let bold = t.starts_with("**");
    let (label, rest) = label_prefix(trim_start_stars(t))?;
    let rest = if bold { trim_start_stars(rest) } else { rest };
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let mut text = rest.trim();
    if bold {
        text = trim_end_stars(text).trim_end();
    }
    Some((label, text))
}

/// `t.trim_start_matches("**")`, without the substring searcher a `&str` pattern builds.
fn trim_start_stars(mut t: &str) -> &str {
    while let Some(rest) = t.strip_prefix("**") {
        t = rest;
    }
    t
}

/// `t.trim_end_matches("**")`, likewise.
fn trim_end_stars(mut t: &str) -> &str {
    while let Some(rest) = t.strip_suffix("**") {
        t = rest;
    }
    t
}

/// `A.` `A)` `A:` `(A)` `a)` `①` at the start of `t` → (`A`, the rest).
fn label_prefix(t: &str) -> Option<(char, &str)> {
    let mut chars = t.chars();
    let c = chars.next()?;
    if let Some(n) = CIRCLED.iter().position(|&x| x == c) {
        return Some((char::from(b'A' + n as u8), chars.as_str()));
    }
    let (paren, c, rest) = match c {
        '(' => {
            let c = chars.next()?;
            (true, c, chars.as_str())
        }
        _ => (false, c, chars.as_str()),
    };
    let label = letter(c)?;
    let rest = if paren {
        rest.strip_prefix(')')?
    } else {
        rest.strip_prefix([')', '.', ':'])?
    };
    Some((label, rest))
}

/// `A`..`H` or `a`..`h` → `A`..`H`.
fn letter(c: char) -> Option<char> {
    let u = c.to_ascii_uppercase();
    ('A'..='H').contains(&u).then_some(u)
}

/// The text without its `<mark …>` / `</mark>` tags, trimmed, and whether a mark was green
/// (`None` without a mark). Asked of every list item while a vault loads: a text without a
/// `<` (nearly all) is only trimmed, not copied.
pub(super) fn strip_marks(s: &str) -> (Cow<'_, str>, Option<bool>) {
    if !s.contains('<') {
        return (Cow::Borrowed(s.trim()), None);
    }
    let (out, green) = strip_marks_copying(s);
    (Cow::Owned(out), green)
}

/// [`strip_marks`] the long way, copying every text (the one way before the shortcut; the
/// tests hold the two equal).
pub(super) fn strip_marks_copying(s: &str) -> (String, Option<bool>) {
    let mut out = String::with_capacity(s.len());
    let mut green = None;
    let mut rest = s;
    while let Some(at) = find_ascii_ci(rest, "<mark") {
        out.push_str(&rest[..at]);
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let is_green = mark_colour(&rest[at..tag_end]).is_some_and(|(r, g, b)| is_green(r, g, b));
        green = Some(green.unwrap_or(false) || is_green);
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    let out = out.replace("</mark>", "").replace("</MARK>", "");
    (out.trim().to_owned(), green)
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The background colour of a `<mark style="background: #BBFABBA6;">` tag (`#rgb`, `#rrggbb`,
/// `#rrggbbaa`, `rgb(…)`, `rgba(…)`).
fn mark_colour(tag: &str) -> Option<(u8, u8, u8)> {
    let at = find_ascii_ci(tag, "background")?;
    let value = tag[at..].split_once(':')?.1.trim_start();
    let value = value.split([';', '"', '\'']).next()?.trim();
    if let Some(hex) = value.strip_prefix('#') {
        let hex: String = hex.chars().take_while(char::is_ascii_hexdigit).collect();
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        return match hex.len() {
            3 | 4 => {
                let d = |i: usize| u8::from_str_radix(hex.get(i..=i)?, 16).ok().map(|v| v * 17);
                Some((d(0)?, d(1)?, d(2)?))
            }
            6 | 8 => Some((byte(0)?, byte(2)?, byte(4)?)),
            _ => None,
        };
    }
    let lower = value.to_ascii_lowercase();
    let inner = lower
        .strip_prefix("rgba(")
        .or_else(|| lower.strip_prefix("rgb("))?;
    let mut parts = inner
        .trim_end_matches(')')
        .split([',', ' ', '/'])
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<f32>().ok().map(|v| v.clamp(0.0, 255.0) as u8));
    Some((parts.next()??, parts.next()??, parts.next()??))
}

/// Green by hue (75°-165°) and not a grey: what highlighter palettes call green, from mint
/// to lime, and never their yellow (about 52°) or cyan (180°).
fn is_green(r: u8, g: u8, b: u8) -> bool {
    let (r, g, b) = (f32::from(r), f32::from(g), f32::from(b));
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    if max - min < 24.0 || max != g {
        return false;
    }
    let hue = 60.0 * (2.0 + (b - r) / (max - min));
    (75.0..=165.0).contains(&hue)
}

/// A key line as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AnswerLine {
    /// The option letters it names (may be empty: `정답: Amazon S3`, or a bare label).
    pub labels: Vec<String>,
    /// What follows the label.
    pub text: String,
    /// The author's own pick (`My Answer: C`), not the key.
    pub mine: bool,
}

/// Key labels: (label, whether a colon must follow, the author's own pick).
const ANSWER_LABELS: &[(&str, bool, bool)] = &[
    ("the correct answers are", false, false),
    ("the correct answer is", false, false),
    ("correct answers are", false, false),
    ("correct answer is", false, false),
    ("correct answers", true, false),
    ("correct answer", true, false),
    ("correct options", true, false),
    ("correct option", true, false),
    ("my answers", true, true),
    ("my answer", true, true),
    ("my choice", true, true),
    ("my pick", true, true),
    ("answers", true, false),
    ("answer", true, false),
    ("내가 고른 답", true, true),
    ("내 답", true, true),
    ("내 선택", true, true),
    ("정답", true, false),
    ("답", true, false),
];

/// A key line: `**정답: C) …**`, `정답: A, C`, `**Answer:** B`, `Correct answer: D) …`,
/// `The correct answer is: **B. …**`, or the author's `My Answer: C`.
pub(super) fn answer_line(t: &str) -> Option<AnswerLine> {
    let plain = t
        .trim()
        .trim_start_matches(['-', '*', ' ', '✅'])
        .trim_end_matches(['*', ' ']);
    // Most lines asked are not key lines and hold no `**`: nothing to copy.
    let plain = if plain.contains("**") {
        Cow::Owned(plain.replace("**", ""))
    } else {
        Cow::Borrowed(plain)
    };
    let plain = plain.trim_start();
    let (after, mine) = ANSWER_LABELS.iter().find_map(|&(label, colon, mine)| {
        let raw = strip_label(plain, label)?;
        let after = raw.trim_start();
        let after = match after.strip_prefix([':', '：']) {
            Some(a) => a,
            // `The correct answer is B`, but not `… isn't`.
            None if !colon && raw.starts_with(char::is_whitespace) => after,
            None => return None,
        };
        Some((after.trim(), mine))
    })?;
    let (text, _) = strip_marks(after);
    Some(AnswerLine {
        labels: answer_labels(&text),
        text: text.into_owned(),
        mine,
    })
}

/// Leading option letters of an answer text: `C) …` → C, `A, C` → A C, `B와 D` → B D, `(b)` → B.
pub(super) fn answer_labels(s: &str) -> Vec<String> {
    // A label is one letter A-H standing alone: `C`, `C)`, `C.`; several are joined by an
    // explicit separator (`A, C`, `B와 D`, `A and C`). A plain space ends the list, so the text of
    // `B) A gateway endpoint` is not read as a second label. A lower-case letter counts only
    // with its `)` or `.` or alone, so `a NAT gateway` is no label.
    fn label(s: &str) -> Option<(char, &str)> {
        if let Some((c, rest)) = s.strip_prefix('(').and_then(label_prefix) {
            return Some((c, rest));
        }
        let mut chars = s.chars();
        let c = chars.next()?;
        if let Some(n) = CIRCLED.iter().position(|&x| x == c) {
            return Some((char::from(b'A' + n as u8), chars.as_str()));
        }
        let u = letter(c)?;
        let after = chars.as_str();
        let alone = if c.is_ascii_uppercase() {
            after.is_empty()
                || after.starts_with([')', '.', ',', ' ', '와', '과', '&', '*'])
                || after.starts_with(" and ")
        } else {
            after.is_empty() || after.starts_with([')', '.', ','])
        };
        alone.then(|| (u, after.strip_prefix([')', '.']).unwrap_or(after)))
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

/// An explanation label: `Explanation:`, `💡 추가 설명:`, `**해설**`, `설명: …`, `💡 …` → the text
/// after it (often empty).
pub(super) fn explanation_label(t: &str) -> Option<String> {
    let t = t.trim();
    let bulb = t.strip_prefix('💡').map(str::trim_start);
    let t = bulb.unwrap_or(t);
    // Asked of every line of a question's block: most hold no `**`, and are not copied.
    let t = if t.contains("**") {
        Cow::Owned(t.replace("**", ""))
    } else {
        Cow::Borrowed(t)
    };
    let t = t.trim();
    for label in ["추가 설명", "설명", "해설", "풀이", "explanation", "why"] {
        if let Some(after) = strip_label(t, label) {
            let after = after.trim_start();
            if after.is_empty() {
                return Some(String::new());
            }
            if let Some(rest) = after.strip_prefix([':', '：']) {
                return Some(rest.trim().to_owned());
            }
        }
    }
    // `💡 text`: the bulb alone says what follows explains.
    bulb.map(|_| t.to_owned())
}

/// Whether a heading names a part of a question (`## 해설`, `### Answer`), so it does not end
/// the question.
pub(super) fn is_part_label(h: &str) -> bool {
    if explanation_label(h).is_some() || answer_line(h).is_some() {
        return true;
    }
    let h = h.trim().trim_end_matches([':', '：']).to_ascii_lowercase();
    ["answer", "answers", "correct answer", "정답", "답"].contains(&h.as_str())
}

/// The count a word after "choose" names (`two`, `3)`, `(Five)`, `다섯`), if it names one.
pub(super) fn count_word(w: &str) -> Option<usize> {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    match w.to_ascii_lowercase().as_str() {
        "two" | "두" | "2" => Some(2),
        "three" | "세" | "3" => Some(3),
        "four" | "네" | "4" => Some(4),
        "five" | "다섯" | "5" => Some(5),
        _ => None,
    }
}

/// How many options the prompt says are right: "Choose two", "(Select 3)", `2개 선택`,
/// `두 개를 고르시오`.
pub(super) fn choose_count(prompt: &str) -> Option<usize> {
    // Asked of every question's prompt: an ASCII one (most) is read as it is, its words
    // compared ignoring ASCII case, which is what lower-casing it first gave.
    let lower = if prompt.is_ascii() {
        Cow::Borrowed(prompt)
    } else {
        Cow::Owned(prompt.to_lowercase())
    };
    let mut words = lower.split_whitespace();
    let mut verb = words.next();
    for next in words {
        let v = verb.unwrap_or_default().trim_start_matches(['(', '[']);
        if ["choose", "select", "pick"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(v))
            && let Some(n) = count_word(next)
        {
            return Some(n);
        }
        verb = Some(next);
    }
    // Korean: a count of `개` followed by choosing: `2개 선택`, `두 개를 고르시오`.
    let mut rest = lower.as_ref();
    while let Some(at) = rest.find('개') {
        let before = rest[..at].trim_end();
        let word = before
            .rsplit(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("");
        let after = rest[at + '개'.len_utf8()..]
            .trim_start_matches(['를', '을', '의'])
            .trim_start();
        let chooses = ["선택", "고르", "골라", "답"]
            .iter()
            .any(|v| after.starts_with(v));
        if chooses && let Some(n) = count_word(word) {
            return Some(n);
        }
        rest = &rest[at + '개'.len_utf8()..];
    }
    None
}

/// Whether a prompt asks: it ends in a question mark (before a `(Choose two.)` or bold), or
/// says how many to choose.
pub(super) fn asks(prompt: &str) -> bool {
    let mut t = prompt.trim().trim_end_matches('*').trim_end();
    while t.ends_with(')')
        && let Some(open) = t.rfind('(')
    {
        t = t[..open].trim_end();
    }
    t.ends_with(['?', '？']) || choose_count(prompt).is_some()
}

#[derive(PartialEq, Clone, Copy)]
enum Part {
    Prompt,
    Options,
    /// Under a key label or in an answer callout: option lines name the right options.
    Answer,
    Explanation,
}

/// Reads prompt, options, marking and explanation from a block's lines (a callout's with one
/// quote level removed; a nested callout is its answer). `first` is prompt text given before
/// the block (the bold label's line, a heading). `None` when there is no prompt: options
/// without a question are not one.
pub(super) fn parse_parts(
    line: usize,
    format: QuestionFormat,
    title: Option<String>,
    first: &str,
    block: &[&str],
) -> Option<Question> {
    let mut prompt: Vec<String> = Vec::new();
    if !first.is_empty() {
        prompt.push(first.to_owned());
    }
    let mut options: Vec<Choice> = Vec::new();
    let mut kind = None;
    // Right by a mark on the option itself; a key line, when there is one, wins.
    let mut marked: Vec<String> = Vec::new();
    let mut key: Option<Vec<String>> = None;
    let mut answer_text = String::new();
    let mut explanation: Vec<String> = Vec::new();
    let mut part = Part::Prompt;
    let mut after_blank = false;
    // The last option was a bare `A.`: its text follows, paragraphs and all.
    let mut bare = false;
    for &line_text in block {
        let mut t = line_text;
        if format == QuestionFormat::Callout && t.trim_start().starts_with('>') {
            t = strip_quote(t);
            if callout_header(t.trim()).is_some() {
                part = Part::Answer;
                after_blank = false;
                continue;
            }
        }
        let mut trimmed = t.trim();
        if trimmed.is_empty() {
            after_blank = true;
            continue;
        }
        // A heading inside the question names a part (`## 해설`): read it as the label.
        if let Some(h) = heading_text(trimmed) {
            trimmed = h;
            if parts_heading_is_key(h) {
                part = Part::Answer;
                continue;
            }
        }
        if let Some(a) = answer_line(trimmed) {
            if a.mine {
                after_blank = false;
                continue;
            }
            if key.is_none() {
                after_blank = false;
                if a.labels.is_empty() && a.text.is_empty() {
                    part = Part::Answer;
                    continue;
                }
                // The option whose whole text the answer repeats wins over a leading letter
                // (`Answer: A VPC gateway endpoint` names option C, not A); then the letters;
                // then option numbers (`정답: 3` under ① ② ③ ④).
                let by_text = labels_by_text(&options, &a.text);
                let labels = if !by_text.is_empty() {
                    by_text
                } else if !a.labels.is_empty() {
                    a.labels
                } else {
                    labels_by_number(&options, &a.text)
                };
                key = Some(labels);
                answer_text = a.text;
                part = Part::Explanation;
                continue;
            }
        }
        if strip_bold_label(trimmed, &["Options", "선택지", "보기"]).is_some() {
            part = Part::Options;
            continue;
        }
        if let Some(rest) = explanation_label(trimmed) {
            part = Part::Explanation;
            if !rest.is_empty() {
                explanation.push(rest);
            }
            after_blank = false;
            continue;
        }
        if part != Part::Explanation
            && let Some(o) = option_item(trimmed)
        {
            after_blank = false;
            if part == Part::Answer {
                let label = o
                    .label
                    .map(String::from)
                    .filter(|l| options.iter().any(|c| c.label == *l))
                    .or_else(|| labels_by_text(&options, &o.text).into_iter().next());
                if let Some(label) = label {
                    let key = key.get_or_insert_with(Vec::new);
                    if !key.contains(&label) {
                        key.push(label);
                        let sep = if answer_text.is_empty() { "" } else { "; " };
                        answer_text = format!("{answer_text}{sep}{}", line_text_of(&o, &options));
                    }
                    continue;
                }
            } else {
                let label = match o.label {
                    Some(c) => c,
                    None if options.len() < 8 => char::from(b'A' + options.len() as u8),
                    None => continue,
                };
                kind.get_or_insert(o.kind);
                if o.right {
                    marked.push(label.to_string());
                }
                bare = o.text.is_empty();
                options.push(Choice {
                    label: label.to_string(),
                    text: o.text.into_owned(),
                });
                part = Part::Options;
                continue;
            }
        }
        match part {
            Part::Prompt => push_paragraph(&mut prompt, trimmed, after_blank),
            Part::Options => match options.last_mut() {
                // A wrapped option continues, and so do the paragraphs under a bare label.
                Some(last) if bare || !after_blank => {
                    if !last.text.is_empty() {
                        last.text.push(' ');
                    }
                    last.text.push_str(trimmed);
                }
                Some(_) => {
                    part = Part::Explanation;
                    push_explanation(&mut explanation, trimmed, true);
                }
                None => push_paragraph(&mut prompt, trimmed, after_blank),
            },
            Part::Answer => {
                part = Part::Explanation;
                push_explanation(&mut explanation, trimmed, true);
            }
            Part::Explanation => push_explanation(&mut explanation, trimmed, after_blank),
        }
        after_blank = false;
    }
    if let Some(t) = &title {
        // The title is the prompt when the body asks nothing, or when it asks itself.
        if prompt.is_empty() {
            prompt.push(t.clone());
        } else if asks(t) {
            prompt.insert(0, t.clone());
        }
    }
    if prompt.is_empty() {
        return None;
    }
    let prompt = prompt.join("\n\n");
    let mut answer = key.unwrap_or(marked);
    answer.dedup();
    if let Some(n) = choose_count(&prompt) {
        answer.truncate(n);
    }
    // A key that names only letters (`답: C`) reads better with the options' texts.
    if answer_text.is_empty() || only_labels(&answer_text) {
        answer_text = answer
            .iter()
            .filter_map(|l| options.iter().find(|c| c.label == *l))
            .map(|c| format!("{}) {}", c.label, c.text))
            .collect::<Vec<_>>()
            .join("; ");
    }
    let format = match (format, kind) {
        (QuestionFormat::Lettered, Some(OptionKind::Checkbox)) => QuestionFormat::Checkbox,
        (f, _) => f,
    };
    Some(Question {
        line,
        format,
        title,
        prompt,
        options,
        answer,
        answer_text: answer_text.trim_end_matches('*').trim().to_owned(),
        explanation,
        answer_note: None,
        deck: None,
    })
}

/// Whether a key's text is letters and separators only (`C`, `A, C`, `B와 D`).
fn only_labels(text: &str) -> bool {
    text.replace(" and ", ",")
        .chars()
        .all(|c| letter(c).is_some() || " ,&()./와과".contains(c))
}

/// A heading that labels the key itself (`## 정답`, `### Answer`), the right options below it.
fn parts_heading_is_key(h: &str) -> bool {
    let h = h.trim().trim_end_matches([':', '：']).to_ascii_lowercase();
    [
        "answer",
        "answers",
        "correct answer",
        "correct answers",
        "정답",
        "답",
    ]
    .contains(&h.as_str())
}

/// `B) text` for an answer option, with the question's own text for it when the key repeats
/// only the label.
fn line_text_of(o: &OptionLine<'_>, options: &[Choice]) -> String {
    let label = o.label.map(String::from).unwrap_or_default();
    let text = if o.text.is_empty() {
        options
            .iter()
            .find(|c| c.label == label)
            .map_or("", |c| c.text.as_str())
    } else {
        &o.text
    };
    format!("{label}) {text}")
}

/// The options an answer names by number, 1 for the first: `3`, `2, 4`, `3번`, `3)`. Empty
/// when the text is not only such numbers or one is past the last option.
pub(super) fn labels_by_number(options: &[Choice], text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split([',', '/', '&']).map(str::trim) {
        let digits = part.trim_end_matches(['번', ')', '.']).trim();
        match digits.parse::<usize>() {
            Ok(n) if (1..=options.len()).contains(&n) => out.push(options[n - 1].label.clone()),
            _ => return Vec::new(),
        }
    }
    out.dedup();
    out
}

/// The labels of the options whose text is `text` (ignoring case and spacing).
pub(super) fn labels_by_text(options: &[Choice], text: &str) -> Vec<String> {
    if text.split_whitespace().next().is_none() {
        return Vec::new();
    }
    options
        .iter()
        .filter(|c| same_words(&c.text, text))
        .map(|c| c.label.clone())
        .collect()
}

/// Whether `normalise(a) == normalise(b)`, word by word without building either: asked of
/// every option of every answered question. Two ASCII words compare ignoring ASCII case (and
/// differ at once when their lengths do); any other pair is lower-cased as [`normalise`] does
/// (a non-ASCII word may lower-case to an ASCII one: the Kelvin sign is `k`).
pub(super) fn same_words(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a.split_whitespace(), b.split_whitespace());
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                let same = if x == y {
                    true
                } else if x.is_ascii() && y.is_ascii() {
                    x.eq_ignore_ascii_case(y)
                } else {
                    x.to_lowercase() == y.to_lowercase()
                };
                if !same {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Lower-cased words joined by one space, for comparing texts written twice. Built in one
/// string: an ASCII word (most) is lower-cased in place, any other by `str::to_lowercase`
/// (which knows the word-final sigma).
pub(super) fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            let from = out.len();
            out.push_str(word);
            out[from..].make_ascii_lowercase();
        } else {
            out.push_str(&word.to_lowercase());
        }
    }
    out
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

/// Explanation items: one per bullet, or one per paragraph.
pub(super) fn push_explanation(explanation: &mut Vec<String>, trimmed: &str, after_blank: bool) {
    let bullet = trimmed
        .strip_prefix(['-', '*', '+'])
        .filter(|r| r.starts_with(' '));
    match bullet {
        Some(item) => explanation.push(item.trim().to_owned()),
        None if after_blank || explanation.is_empty() => explanation.push(trimmed.to_owned()),
        None => {
            if let Some(last) = explanation.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
        }
    }
}
