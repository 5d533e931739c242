//! Quiz blocks written as a fence: ```` ```quiz 지식 점검 · IAM ```` (or `exam`), holding
//! several questions, each a `Q.` prompt, `+ right` / `- wrong` option lines and `> explanation`
//! lines, separated by blank lines.
//!
//! The same parser serves the index (through [`crate::vault::questions::extract`]) and the
//! content pane, which draws the block as questions instead of as code.

use crate::vault::body::BodyLine;
use crate::vault::questions::{Choice, Question, QuestionFormat};

/// Options past this many (`A`..`Z`) are not labelled and are dropped.
const MAX_OPTIONS: usize = 26;

/// The title of a quiz fence from its info string: `Some("")` for a bare `quiz`, `None` when
/// the block is no quiz (`rust`, `quizzes`).
pub fn info_title(info: &str) -> Option<&str> {
    let info = info.trim();
    let end = info.find(char::is_whitespace).unwrap_or(info.len());
    let word = &info[..end];
    (word.eq_ignore_ascii_case("quiz") || word.eq_ignore_ascii_case("exam"))
        .then(|| info[end..].trim())
}

/// The info string of an opening fence line (quote and indentation before it skipped).
pub fn fence_info(line: &str) -> &str {
    let t = line.trim_start_matches(['>', ' ', '\t']);
    t.trim_start_matches(['`', '~'])
}

/// How many `>` quote markers stand before the fence on its line.
pub fn quote_depth(line: &str) -> usize {
    line.chars()
        .take_while(|c| *c == '>' || *c == ' ' || *c == '\t')
        .filter(|c| *c == '>')
        .count()
}

/// Removes `depth` quote markers (each with the space after it) from a line inside the block.
fn unquote(mut s: &str, depth: usize) -> &str {
    for _ in 0..depth {
        let t = s.trim_start();
        match t.strip_prefix('>') {
            Some(rest) => s = rest.strip_prefix(' ').unwrap_or(rest),
            None => break,
        }
    }
    s
}

/// `Q. text`, `Q: text`, `Q1. text`, `Q) text` → `text`.
fn prompt_line(t: &str) -> Option<&str> {
    let rest = t.strip_prefix(['Q', 'q'])?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(['.', ':', ')', '：'])?;
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| rest.trim())
}

/// `+ text` (right) or `- text` (wrong) → `(right, text)`.
fn option_line(t: &str) -> Option<(bool, &str)> {
    let right = match t.as_bytes().first()? {
        b'+' => true,
        b'-' => false,
        _ => return None,
    };
    let rest = &t[1..];
    rest.starts_with([' ', '\t'])
        .then(|| (right, rest.trim()))
        .filter(|(_, text)| !text.is_empty())
}

/// A question being read.
#[derive(Default)]
struct Draft {
    line: usize,
    prompt: Vec<String>,
    options: Vec<(bool, String)>,
    explanation: Vec<String>,
    /// The last explanation line ended its paragraph (`>` alone).
    explanation_break: bool,
    /// A blank line came after the options or explanation: the question is over.
    closed: bool,
}

impl Draft {
    fn started(&self) -> bool {
        !self.prompt.is_empty() || !self.options.is_empty()
    }

    fn finish(self, title: Option<&str>) -> Option<Question> {
        if self.options.is_empty() {
            return None;
        }
        let options: Vec<Choice> = self
            .options
            .iter()
            .take(MAX_OPTIONS)
            .zip('A'..='Z')
            .map(|((_, text), label)| Choice {
                label: label.to_string(),
                text: text.clone(),
            })
            .collect();
        let right: Vec<&Choice> = self
            .options
            .iter()
            .zip(&options)
            .filter(|((right, _), _)| *right)
            .map(|(_, c)| c)
            .collect();
        Some(Question {
            line: self.line,
            format: QuestionFormat::QuizFence,
            title: title.filter(|t| !t.is_empty()).map(str::to_owned),
            prompt: self.prompt.join("\n\n"),
            answer: right.iter().map(|c| c.label.clone()).collect(),
            answer_text: right
                .iter()
                .map(|c| format!("{}) {}", c.label, c.text))
                .collect::<Vec<_>>()
                .join(", "),
            options,
            explanation: self.explanation,
            deck: None,
            answer_note: None,
        })
    }
}

/// When `lines[at]` opens a quiz fence, pushes its questions onto `out` and returns the index
/// past its closing fence (or the end, for an unclosed one).
pub fn extract_at(lines: &[BodyLine<'_>], at: usize, out: &mut Vec<Question>) -> Option<usize> {
    let open = lines[at];
    let title = info_title(fence_info(open.text))?;
    let mut end = at + 1;
    while end < lines.len() && lines[end].in_code && !lines[end].fence {
        end += 1;
    }
    let inner = &lines[at + 1..end];
    out.extend(parse(
        Some(title),
        open.line + 1,
        quote_depth(open.text),
        inner.iter().map(|l| l.text),
    ));
    Some((end + 1).min(lines.len()))
}

/// The questions of one quiz block: `title` from the info string, `first_line` the file line of
/// the block's first inner line, `quote` the `>` depth of the fence (see [`quote_depth`]).
pub fn parse<'a>(
    title: Option<&str>,
    first_line: usize,
    quote: usize,
    lines: impl IntoIterator<Item = &'a str>,
) -> Vec<Question> {
    let mut out = Vec::new();
    let mut draft = Draft::default();
    let mut after_blank = false;
    for (n, raw) in lines.into_iter().enumerate() {
        let t = unquote(raw, quote).trim();
        let line = first_line + n;
        if t.is_empty() {
            if !draft.options.is_empty() {
                draft.closed = true;
            }
            after_blank = true;
            continue;
        }
        let prompt = prompt_line(t);
        // After a blank line that followed the options, anything but another option or an
        // explanation line starts the next question.
        let continues =
            t.starts_with('>') || (option_line(t).is_some() && draft.explanation.is_empty());
        if prompt.is_some() || (draft.closed && !continues) {
            let done = std::mem::take(&mut draft);
            out.extend(done.finish(title));
            draft.line = line;
            if let Some(p) = prompt {
                if !p.is_empty() {
                    draft.prompt.push(p.to_owned());
                }
                after_blank = false;
                continue;
            }
        }
        if !draft.started() {
            draft.line = line;
        }
        if let Some(rest) = t.strip_prefix('>') {
            let rest = rest.trim();
            match draft.explanation.last_mut() {
                _ if rest.is_empty() => draft.explanation_break = true,
                Some(last) if !draft.explanation_break && !after_blank => {
                    last.push(' ');
                    last.push_str(rest);
                }
                _ => {
                    draft.explanation.push(rest.to_owned());
                    draft.explanation_break = false;
                }
            }
        } else if let Some((right, text)) = option_line(t).filter(|_| draft.explanation.is_empty())
        {
            draft.closed = false;
            draft.options.push((right, text.to_owned()));
        } else if let Some((_, last)) = draft
            .options
            .last_mut()
            .filter(|_| !after_blank && draft.explanation.is_empty())
        {
            // A wrapped option goes on.
            last.push(' ');
            last.push_str(t);
        } else if draft.options.is_empty() {
            match draft.prompt.last_mut() {
                Some(last) if !after_blank => {
                    last.push(' ');
                    last.push_str(t);
                }
                _ => draft.prompt.push(t.to_owned()),
            }
        } else {
            // Text after the options that is not quoted still explains.
            draft.explanation.push(t.to_owned());
        }
        after_blank = false;
    }
    out.extend(draft.finish(title));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qs(text: &str) -> Vec<Question> {
        parse(Some("지식 점검"), 10, 0, text.lines())
    }

    #[test]
    fn info_strings() {
        let cases: &[(&str, Option<&str>)] = &[
            ("quiz", Some("")),
            ("quiz 지식 점검 · IAM", Some("지식 점검 · IAM")),
            ("EXAM  Final ", Some("Final")),
            ("quizzes", None),
            ("rust", None),
            ("", None),
        ];
        for (info, want) in cases {
            assert_eq!(info_title(info), *want, "{info:?}");
        }
        assert_eq!(fence_info("> ```quiz IAM"), "quiz IAM");
        assert_eq!(quote_depth("> > ```quiz"), 2);
    }

    #[test]
    fn questions_with_options_answers_and_explanations() {
        let text = "Q. Which IAM entity is assumed for temporary credentials?\n- IAM user\n+ IAM role\n- Access key\n> Roles hand out STS credentials.\n> 임시 자격 증명입니다.\n>\n> Users have long-term keys.\n\nQ: 두 개 고르세요: 전역 서비스는?\n+ IAM\n- EC2\n+ Route 53\n  (DNS)\n";
        let got = qs(text);
        assert_eq!(got.len(), 2);
        let q = &got[0];
        assert_eq!(
            (q.line, q.format, q.title.as_deref()),
            (10, QuestionFormat::QuizFence, Some("지식 점검"))
        );
        assert_eq!(
            q.prompt,
            "Which IAM entity is assumed for temporary credentials?"
        );
        let opts: Vec<(&str, &str)> = q
            .options
            .iter()
            .map(|c| (c.label.as_str(), c.text.as_str()))
            .collect();
        assert_eq!(
            opts,
            [("A", "IAM user"), ("B", "IAM role"), ("C", "Access key")]
        );
        assert_eq!(
            (q.answer.as_slice(), q.answer_text.as_str()),
            (&["B".to_owned()][..], "B) IAM role")
        );
        assert_eq!(
            q.explanation,
            [
                "Roles hand out STS credentials. 임시 자격 증명입니다.",
                "Users have long-term keys."
            ]
        );
        let q = &got[1];
        assert_eq!(q.line, 19);
        assert_eq!(q.answer, ["A", "C"]);
        assert_eq!(q.options[2].text, "Route 53 (DNS)");
        assert!(q.explanation.is_empty());
    }

    #[test]
    fn blocks_without_prefix_quoted_or_broken() {
        // No `Q.`: the first lines are the prompt; a blank line after options starts the next.
        let got = qs("Pick the\nregional one\n+ S3 bucket\n- IAM\n\nNext one?\n- a\n+ b");
        let prompts: Vec<&str> = got.iter().map(|q| q.prompt.as_str()).collect();
        assert_eq!(prompts, ["Pick the regional one", "Next one?"]);
        assert_eq!(got[1].line, 15);
        // Inside a callout the fence's `>` is removed from its lines.
        let quoted = parse(
            None,
            1,
            1,
            ["> Q. 리전?", "> + ap-northeast-2", "> - us-east-9"],
        );
        assert_eq!(quoted[0].options[0].text, "ap-northeast-2");
        assert_eq!(quoted[0].title, None);
        // A question without options is no question; nothing panics on junk.
        assert!(qs("Q. only a prompt\n> and a note").is_empty());
        assert!(qs("+\n-\n>\nQ.\n\u{1b}[2J").is_empty());
    }
}
