//! Questions whose answer lives in another note: a folder per question holding a question
//! note and an answer note (`문제.md` + `해설.md`, `question.md` + `answer.md`, `Q.md` + `A.md`).
//! The question note reads as a lettered question with no marking; the answer note starts with
//! the right option (`C.` and its text, or `정답: C`) and goes on to explain. A pass over the
//! loaded vault joins the two: the card is the question note's, and the answer note asks
//! nothing of its own.

use std::collections::HashMap;

use super::parts::{answer_line, explanation_label, normalise, option_item, push_explanation};
use super::{QuestionFormat, heading_text};
use crate::vault::Note;
use crate::vault::body::BodyLine;

/// File stems (compared ignoring case) of a question note and of an answer note.
const QUESTION_STEMS: &[&str] = &["문제", "질문", "question", "q"];
const ANSWER_STEMS: &[&str] = &["해설", "정답", "답", "풀이", "answer", "solution", "a"];

/// What an answer note says: the right option(s) and what follows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    /// The labels it names first (`C`).
    pub labels: Vec<String>,
    /// The text written with the label (`C. Use S3 …`), if any.
    pub text: String,
    /// The paragraphs (and bullets) after it: the option's text repeated, then the explanation.
    pub paragraphs: Vec<String>,
}

fn is_stem(stem: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(stem.trim()))
}

/// The answer sheet of a note named like an answer note (`해설.md`), read from its body.
pub fn answer_sheet(stem: &str, lines: &[BodyLine<'_>]) -> Option<Sheet> {
    if !is_stem(stem, ANSWER_STEMS) {
        return None;
    }
    let mut body = lines
        .iter()
        .filter(|l| !l.in_code)
        .map(|l| l.text.trim())
        .skip_while(|t| t.is_empty() || heading_text(t).is_some());
    let first = body.next()?;
    let mut sheet = match (option_item(first), answer_line(first)) {
        (Some(o), _) => Sheet {
            labels: o.label.map(String::from).into_iter().collect(),
            text: o.text,
            paragraphs: Vec::new(),
        },
        (None, Some(a)) if !a.mine && !a.labels.is_empty() => Sheet {
            labels: a.labels,
            text: String::new(),
            paragraphs: Vec::new(),
        },
        _ => return None,
    };
    let mut after_blank = true;
    for t in body {
        if t.is_empty() {
            after_blank = true;
            continue;
        }
        let t = heading_text(t).unwrap_or(t);
        match explanation_label(t) {
            Some(rest) if rest.is_empty() => {}
            Some(rest) => sheet.paragraphs.push(rest),
            None => push_explanation(&mut sheet.paragraphs, t, after_blank),
        }
        after_blank = false;
    }
    Some(sheet)
}

/// Joins each answer note to the question note of its folder (`notes` at full depth).
pub fn join(notes: &mut [Note]) {
    let folder = |path: &str| path.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
    let mut asks: HashMap<String, usize> = HashMap::new();
    for (i, n) in notes.iter().enumerate() {
        if is_stem(&n.stem, QUESTION_STEMS) && n.questions.iter().any(|q| !q.options.is_empty()) {
            asks.insert(folder(&n.path), i);
        }
    }
    for a in 0..notes.len() {
        let Some(sheet) = notes[a].answer_sheet.clone() else {
            continue;
        };
        let Some(&q) = asks.get(&folder(&notes[a].path)) else {
            continue;
        };
        let answer_path = notes[a].path.clone();
        notes[a].questions.clear();
        let Some(question) = notes[q]
            .questions
            .iter_mut()
            .find(|x| !x.options.is_empty())
        else {
            continue;
        };
        question.format = QuestionFormat::Split;
        question.answer_note = Some(answer_path);
        let right: Vec<String> = sheet
            .labels
            .iter()
            .filter(|l| question.options.iter().any(|c| c.label == **l))
            .cloned()
            .collect();
        if question.answer.is_empty() {
            question.answer = right;
        }
        // The sheet repeats the right option's text (and its translation) before explaining.
        let repeated: String = question
            .options
            .iter()
            .filter(|c| question.answer.contains(&c.label))
            .map(|c| normalise(&c.text))
            .collect::<Vec<_>>()
            .join(" ");
        let mut paragraphs = sheet.paragraphs.as_slice();
        while let Some((p, rest)) = paragraphs.split_first() {
            let p = normalise(p);
            if p.is_empty() || !repeated.contains(&p) {
                break;
            }
            paragraphs = rest;
        }
        question.answer_text = question
            .options
            .iter()
            .filter(|c| question.answer.contains(&c.label))
            .map(|c| format!("{}) {}", c.label, c.text))
            .collect::<Vec<_>>()
            .join("; ");
        if question.answer_text.is_empty() {
            question.answer_text = sheet.text.clone();
        }
        if !paragraphs.is_empty() {
            question.explanation = paragraphs.to_vec();
        }
    }
}
