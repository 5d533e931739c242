//! Questions whose answer lives in another note: a folder per question holding a question
//! note and an answer note (`문제.md` + `해설.md`, `question.md` + `answer.md`, `Q.md` + `A.md`).
//! The question note reads as a lettered question with no marking; the answer note starts with
//! the right option (`C.` and its text, or `정답: C`) and goes on to explain. A pass over the
//! loaded vault joins the two: the card is the question note's, and the answer note asks
//! nothing of its own.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::parts::{answer_line, explanation_label, normalise, option_item, push_explanation};
use super::{QuestionFormat, heading_text};
use crate::vault::Note;
use crate::vault::body::BodyLine;

/// File stems (compared ignoring case) of a question note and of an answer note.
const QUESTION_STEMS: &[&str] = &["문제", "질문", "question", "q"];
const ANSWER_STEMS: &[&str] = &["해설", "정답", "답", "풀이", "answer", "solution", "a"];

/// What an answer note says, in order: the right option(s) first (`C.` and its text, or
/// `정답: C`), then the explanation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub items: Vec<SheetItem>,
}

/// One line or paragraph of an answer note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SheetItem {
    /// An option line (`C. text`, or a bare `C.`), or the labels of a key line.
    Options(Vec<String>, String),
    /// A paragraph or a bullet.
    Text(String),
}

fn is_stem(stem: &str, names: &[&str]) -> bool {
    // Asked of every note of the vault on one core while a load ends: trimmed once.
    let stem = stem.trim();
    names.iter().any(|n| n.eq_ignore_ascii_case(stem))
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
    let mut sheet = Sheet::default();
    match (option_item(first), answer_line(first)) {
        (Some(o), _) if o.label.is_some() => sheet.items.push(SheetItem::Options(
            o.label.map(String::from).into_iter().collect(),
            o.text.into_owned(),
        )),
        (_, Some(a)) if !a.mine && !a.labels.is_empty() => sheet
            .items
            .push(SheetItem::Options(a.labels, String::new())),
        _ => return None,
    }
    let mut after_blank = true;
    let mut paragraphs = Vec::new();
    for t in body {
        if t.is_empty() {
            after_blank = true;
            continue;
        }
        let t = heading_text(t).unwrap_or(t);
        if let Some(o) = option_item(t).filter(|o| o.label.is_some()) {
            flush(&mut sheet, &mut paragraphs);
            let label = o.label.map(String::from).into_iter().collect();
            sheet
                .items
                .push(SheetItem::Options(label, o.text.into_owned()));
            after_blank = true;
            continue;
        }
        match explanation_label(t) {
            Some(rest) if rest.is_empty() => {}
            Some(rest) => paragraphs.push(rest),
            None => push_explanation(&mut paragraphs, t, after_blank),
        }
        after_blank = false;
    }
    flush(&mut sheet, &mut paragraphs);
    Some(sheet)
}

fn flush(sheet: &mut Sheet, paragraphs: &mut Vec<String>) {
    sheet
        .items
        .extend(paragraphs.drain(..).map(SheetItem::Text));
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
        // The sheet names the right options, each maybe with its text (and translation)
        // repeated; what follows them explains.
        let mut right: Vec<String> = Vec::new();
        let mut repeated = String::new();
        let mut rest = sheet.items.as_slice();
        while let Some((item, tail)) = rest.split_first() {
            match item {
                SheetItem::Options(labels, text) => {
                    for l in labels {
                        if let Some(c) = question.options.iter().find(|c| c.label == *l) {
                            right.push(l.clone());
                            repeated = format!("{repeated} {}", normalise(&c.text));
                        }
                    }
                    repeated = format!("{repeated} {}", normalise(text));
                }
                SheetItem::Text(p) => {
                    let p = normalise(p);
                    if p.is_empty() || !repeated.contains(&p) {
                        break;
                    }
                }
            }
            rest = tail;
        }
        if question.answer.is_empty() {
            right.dedup();
            if let Some(n) = super::parts::choose_count(&question.prompt) {
                right.truncate(n);
            }
            question.answer = right;
        }
        let explanation: Vec<String> = rest
            .iter()
            .map(|item| match item {
                SheetItem::Text(p) => p.clone(),
                SheetItem::Options(labels, text) => format!("{}. {text}", labels.join(", ")),
            })
            .collect();
        question.answer_text = question
            .options
            .iter()
            .filter(|c| question.answer.contains(&c.label))
            .map(|c| format!("{}) {}", c.label, c.text))
            .collect::<Vec<_>>()
            .join("; ");
        if !explanation.is_empty() {
            question.explanation = explanation;
        }
    }
}
