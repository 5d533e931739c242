//! What the cache keeps of one note: everything [`Note::parse_with`] and the read around it
//! produce, in two parts, so that an outline load decodes only the first.
//!
//! - [`Outline`]: what every depth needs (title, tags, aliases, dates, properties, the
//!   problems found reading and parsing the file);
//! - [`Full`]: links (unresolved: resolution is a vault pass, made again on every load),
//!   questions as the note itself gives them (before the split-question join, another vault
//!   pass) and the answer sheet that join reads.
//!
//! These are the cache's own types, not the note's: the note's `Serialize` is its JSON output
//! (fields left out when empty, flattened links, dates as text), which a compact positional
//! format cannot read back. Each conversion destructures the note's types field by field, so a
//! field added to a note is a compile error here until the cache keeps it.
//!
//! Every path comes from the walk that found the file, never from the cache: a record holds
//! no path of its own except as the key it was found under.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::vault::questions::split::Sheet;
use crate::vault::{
    Choice, Link, LinkForm, Note, NoteDate, Problem, ProblemKind, Question, QuestionFormat,
    RawLink, Resolved, TitleSource,
};

/// A date as the note holds it (its text and its sort key).
#[derive(Serialize, Deserialize)]
struct Date<'a> {
    text: Cow<'a, str>,
    sort_key: i64,
}

impl<'a> Date<'a> {
    fn of(d: &'a NoteDate) -> Self {
        Date {
            text: Cow::Borrowed(&d.text),
            sort_key: d.sort_key,
        }
    }

    fn into_date(self) -> NoteDate {
        NoteDate {
            text: self.text.into_owned(),
            sort_key: self.sort_key,
        }
    }
}

/// A problem of the note's own file (its path is the note's).
#[derive(Serialize, Deserialize)]
struct FileProblem<'a> {
    line: Option<u64>,
    kind: ProblemKind,
    message: Cow<'a, str>,
}

/// The part every load uses.
#[derive(Serialize, Deserialize)]
pub(super) struct Outline<'a> {
    title: Cow<'a, str>,
    title_source: TitleSource,
    tags: Cow<'a, [String]>,
    aliases: Cow<'a, [String]>,
    created: Option<Date<'a>>,
    modified: Option<Date<'a>>,
    /// The front matter's other keys as JSON text (empty when there are none). JSON rather
    /// than the values themselves: a `serde_json::Value` needs a self-describing format, and
    /// serde_json's nesting limit keeps a hostile cache from recursing without end.
    properties: Cow<'a, str>,
    size: u64,
    body_line: u64,
    problems: Vec<FileProblem<'a>>,
    /// The first `# heading` that shows, and the line of a blank one before it (the title
    /// rule is applied after loading, from these).
    heading: Option<Cow<'a, str>>,
    blank_heading: Option<u64>,
}

#[derive(Serialize, Deserialize)]
struct CachedLink<'a> {
    target: Cow<'a, str>,
    heading: Option<Cow<'a, str>>,
    block: Option<Cow<'a, str>>,
    display: Option<Cow<'a, str>>,
    embed: bool,
    line: u64,
    width: Option<u32>,
    height: Option<u32>,
    form: LinkForm,
}

#[derive(Serialize, Deserialize)]
struct CachedQuestion<'a> {
    line: u64,
    format: QuestionFormat,
    title: Option<Cow<'a, str>>,
    prompt: Cow<'a, str>,
    options: Cow<'a, [Choice]>,
    answer: Cow<'a, [String]>,
    answer_text: Cow<'a, str>,
    explanation: Cow<'a, [String]>,
    answer_note: Option<Cow<'a, str>>,
    deck: Option<Cow<'a, str>>,
}

/// The part only a full load uses.
#[derive(Serialize, Deserialize)]
pub(super) struct Full<'a> {
    links: Vec<CachedLink<'a>>,
    questions: Vec<CachedQuestion<'a>>,
    answer_sheet: Option<Cow<'a, Sheet>>,
}

fn opt(s: &Option<String>) -> Option<Cow<'_, str>> {
    s.as_deref().map(Cow::Borrowed)
}

fn owned(s: Option<Cow<'_, str>>) -> Option<String> {
    s.map(Cow::into_owned)
}

fn line_of(n: u64) -> Option<usize> {
    usize::try_from(n).ok()
}

/// The parts of a parsed note (`full` only when it was parsed fully), or `None` when the note
/// cannot be kept as it is: a problem about another path, a property JSON cannot hold.
pub(super) fn parts<'a>(
    note: &'a Note,
    problems: &'a [Problem],
    full: bool,
) -> Option<(Outline<'a>, Option<Full<'a>>)> {
    let Note {
        path,
        stem: _,
        title,
        title_source,
        tags,
        aliases,
        created,
        modified,
        properties,
        links,
        heading,
        blank_heading,
        questions,
        answer_sheet,
        size,
        body_line,
        file: _,
    } = note;
    let problems = problems
        .iter()
        .map(|p| {
            let Problem {
                path: at,
                line,
                kind,
                message,
            } = p;
            (at == path).then(|| FileProblem {
                line: line.map(|l| l as u64),
                kind: *kind,
                message: Cow::Borrowed(message),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let properties = if properties.is_empty() {
        Cow::Borrowed("")
    } else {
        Cow::Owned(serde_json::to_string(properties).ok()?)
    };
    let outline = Outline {
        title: Cow::Borrowed(title),
        title_source: *title_source,
        tags: Cow::Borrowed(tags),
        aliases: Cow::Borrowed(aliases),
        created: created.as_ref().map(Date::of),
        modified: modified.as_ref().map(Date::of),
        properties,
        size: *size,
        body_line: *body_line as u64,
        problems,
        heading: opt(heading),
        blank_heading: blank_heading.map(|l| l as u64),
    };
    if !full {
        return Some((outline, None));
    }
    let links = links
        .iter()
        .map(|l| {
            let Link { raw, resolved: _ } = l;
            let RawLink {
                target,
                heading,
                block,
                display,
                embed,
                line,
                width,
                height,
                form,
            } = raw;
            CachedLink {
                target: Cow::Borrowed(target),
                heading: opt(heading),
                block: opt(block),
                display: opt(display),
                embed: *embed,
                line: *line as u64,
                width: *width,
                height: *height,
                form: *form,
            }
        })
        .collect();
    let questions = questions
        .iter()
        .map(|q| {
            let Question {
                line,
                format,
                title,
                prompt,
                options,
                answer,
                answer_text,
                explanation,
                answer_note,
                deck,
            } = q;
            CachedQuestion {
                line: *line as u64,
                format: *format,
                title: opt(title),
                prompt: Cow::Borrowed(prompt),
                options: Cow::Borrowed(options),
                answer: Cow::Borrowed(answer),
                answer_text: Cow::Borrowed(answer_text),
                explanation: Cow::Borrowed(explanation),
                answer_note: opt(answer_note),
                deck: opt(deck),
            }
        })
        .collect();
    let full = Full {
        links,
        questions,
        answer_sheet: answer_sheet.as_ref().map(Cow::Borrowed),
    };
    Some((outline, Some(full)))
}

/// The note (and its file's problems) the parts describe, for the note found at `rel` and read
/// from `file`; `None` when the parts do not make a note (a line number out of range, broken
/// properties): the file is then read instead.
pub(super) fn note(
    rel: &str,
    file: &std::path::Path,
    outline: Outline<'_>,
    full: Option<Full<'_>>,
) -> Option<(Note, Vec<Problem>)> {
    let Outline {
        title,
        title_source,
        tags,
        aliases,
        created,
        modified,
        properties,
        size,
        body_line,
        problems,
        heading,
        blank_heading,
    } = outline;
    let properties: Map<String, Value> = if properties.is_empty() {
        Map::new()
    } else {
        serde_json::from_str(&properties).ok()?
    };
    let problems = problems
        .into_iter()
        .map(|p| {
            let line = match p.line {
                Some(l) => Some(line_of(l)?),
                None => None,
            };
            Some(Problem {
                path: rel.to_owned(),
                line,
                kind: p.kind,
                message: p.message.into_owned(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let (links, questions, answer_sheet) = match full {
        None => (Vec::new(), Vec::new(), None),
        Some(Full {
            links,
            questions,
            answer_sheet,
        }) => {
            let links = links
                .into_iter()
                .map(|l| {
                    Some(Link {
                        raw: RawLink {
                            target: l.target.into_owned(),
                            heading: owned(l.heading),
                            block: owned(l.block),
                            display: owned(l.display),
                            embed: l.embed,
                            line: line_of(l.line)?,
                            width: l.width,
                            height: l.height,
                            form: l.form,
                        },
                        resolved: Resolved::Unresolved,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            let questions = questions
                .into_iter()
                .map(|q| {
                    Some(Question {
                        line: line_of(q.line)?,
                        format: q.format,
                        title: owned(q.title),
                        prompt: q.prompt.into_owned(),
                        options: q.options.into_owned(),
                        answer: q.answer.into_owned(),
                        answer_text: q.answer_text.into_owned(),
                        explanation: q.explanation.into_owned(),
                        answer_note: owned(q.answer_note),
                        deck: owned(q.deck),
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            (links, questions, answer_sheet.map(Cow::into_owned))
        }
    };
    let note = Note {
        path: rel.to_owned(),
        stem: crate::vault::stem_of(rel),
        title: title.into_owned(),
        title_source,
        tags: tags.into_owned(),
        aliases: aliases.into_owned(),
        created: created.map(Date::into_date),
        modified: modified.map(Date::into_date),
        properties,
        links,
        heading: owned(heading),
        blank_heading: match blank_heading {
            Some(l) => Some(line_of(l)?),
            None => None,
        },
        questions,
        answer_sheet,
        size,
        body_line: line_of(body_line)?,
        file: file.to_path_buf(),
    };
    Some((note, problems))
}
