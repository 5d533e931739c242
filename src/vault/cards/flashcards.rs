//! Cards written for the Obsidian Spaced Repetition plugin, read as the plugin reads them:
//! only in notes carrying a flashcard tag (the tag, or a child of it, is the deck), a card per
//! paragraph (lines up to a blank line):
//!
//! - `front::back` on one line, `front:::back` a card each way;
//! - a front, a line `?` (or `??`, each way), and a back;
//! - cloze deletions `==text==`, `{{text}}`, `**text**` (whichever the settings turn on), one
//!   card per deletion.
//!
//! The plugin's scheduling comments (`<!--SR:!2024-01-01,3,250-->`) are not card text.

use super::settings::CardSettings;
use crate::vault::body::BodyLine;
use crate::vault::questions::{Question, QuestionFormat};
use crate::vault::tag_covers;

/// At most this many cards come from one note (a runaway generated note stays bounded).
const MAX_CARDS: usize = 10_000;
/// Cloze cards made from one paragraph, at most (one per deletion).
const MAX_CLOZE_PER_PARAGRAPH: usize = 100;
/// The text the cloze cards of one paragraph may hold in all (each repeats the paragraph).
const MAX_CLOZE_BYTES: usize = 4 * 1024 * 1024;

/// What a cloze deletion shows in the prompt.
pub const HIDDEN: &str = "[...]";

/// The deck of a note with these tags: its first tag under a flashcard tag.
pub fn deck<'a>(tags: &'a [String], settings: &CardSettings) -> Option<&'a str> {
    tags.iter()
        .find(|t| settings.tags.iter().any(|f| tag_covers(f, t)))
        .map(String::as_str)
}

/// The line without the plugin's `<!--SR:…-->` comments.
fn strip_sr(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains("<!--SR:") {
        return line.into();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("<!--SR:") {
        out.push_str(&rest[..at]);
        rest = match rest[at..].find("-->") {
            Some(end) => &rest[at + end + 3..],
            None => "",
        };
    }
    out.push_str(rest);
    out.into()
}

/// A line of nothing but tags (`#flashcards/aws`): where a deck is named, not card text.
fn only_tags(t: &str) -> bool {
    t.starts_with('#')
        && t.split_whitespace()
            .all(|w| w.len() > 1 && w.starts_with('#') && !w[1..].starts_with('#'))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Cloze,
    /// Multi-line; the index in the paragraph of the separator line, and whether reversed.
    Multi(usize, bool),
}

/// The cards of a note's body, when its `tags` hold a flashcard tag.
pub fn extract(lines: &[BodyLine<'_>], tags: &[String], settings: &CardSettings) -> Vec<Question> {
    let Some(deck) = deck(tags, settings) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut para: Vec<(usize, String)> = Vec::new();
    let mut kind: Option<Kind> = None;
    for l in lines {
        if out.len() >= MAX_CARDS {
            break;
        }
        if l.in_code {
            // Code is card text, never a separator.
            if !para.is_empty() {
                para.push((l.line, l.text.trim_end().to_owned()));
            }
            continue;
        }
        let text = strip_sr(l.text);
        let t = text.trim();
        if t.is_empty() {
            if l.text.trim().is_empty() {
                flush(&mut out, &para, kind, deck, settings);
                para.clear();
                kind = None;
            }
            // A line that was only a scheduling comment belongs to the card before it.
            continue;
        }
        if para.is_empty() && only_tags(t) {
            continue;
        }
        let single = [(&settings.single_reversed, true), (&settings.single, false)]
            .into_iter()
            .find_map(|(sep, rev)| t.find(sep.as_str()).map(|at| (at, sep.len(), rev)));
        if let Some((at, len, reversed)) = single {
            let (front, back) = (t[..at].trim(), t[at + len..].trim());
            if !front.is_empty() && !back.is_empty() {
                push_basic(&mut out, l.line, front, back, reversed, deck);
            }
            para.clear();
            kind = None;
            continue;
        }
        if t == settings.multi_reversed || t == settings.multi {
            if !matches!(kind, Some(Kind::Multi(..))) {
                kind = Some(Kind::Multi(para.len(), t == settings.multi_reversed));
            }
        } else if kind.is_none() && !deletions(t, settings).is_empty() {
            kind = Some(Kind::Cloze);
        }
        para.push((l.line, text.trim_end().to_owned()));
    }
    flush(&mut out, &para, kind, deck, settings);
    out.truncate(MAX_CARDS);
    out
}

fn card(line: usize, format: QuestionFormat, prompt: String, back: String, deck: &str) -> Question {
    Question {
        line,
        format,
        title: None,
        prompt,
        options: Vec::new(),
        answer: Vec::new(),
        answer_text: back,
        explanation: Vec::new(),
        deck: Some(deck.to_owned()),
        answer_note: None,
    }
}

fn push_basic(
    out: &mut Vec<Question>,
    line: usize,
    front: &str,
    back: &str,
    rev: bool,
    deck: &str,
) {
    out.push(card(
        line,
        QuestionFormat::Flashcard,
        front.into(),
        back.into(),
        deck,
    ));
    if rev {
        out.push(card(
            line,
            QuestionFormat::Flashcard,
            back.into(),
            front.into(),
            deck,
        ));
    }
}

/// Turns a finished paragraph into its cards.
fn flush(
    out: &mut Vec<Question>,
    para: &[(usize, String)],
    kind: Option<Kind>,
    deck: &str,
    settings: &CardSettings,
) {
    let Some(&(first, _)) = para.first() else {
        return;
    };
    let join = |part: &[(usize, String)]| {
        part.iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    };
    match kind {
        Some(Kind::Multi(at, rev)) => {
            let (front, back) = (join(&para[..at]), join(&para[at + 1..]));
            if !front.is_empty() && !back.is_empty() {
                push_basic(out, first, &front, &back, rev, deck);
            }
        }
        Some(Kind::Cloze) => {
            let text = join(para);
            let dels = deletions(&text, settings);
            // Each card repeats the paragraph: their number is bounded so a paragraph of
            // thousands of deletions costs at most MAX_CLOZE_BYTES, not its size squared.
            let room = MAX_CARDS.saturating_sub(out.len());
            let cards = dels
                .len()
                .min(MAX_CLOZE_PER_PARAGRAPH)
                .min((MAX_CLOZE_BYTES / text.len().max(1)).max(1))
                .min(room);
            for (i, d) in dels.iter().enumerate().take(cards) {
                let mut prompt = String::with_capacity(text.len());
                let mut from = 0;
                for (j, o) in dels.iter().enumerate() {
                    prompt.push_str(&text[from..o.start]);
                    prompt.push_str(if i == j {
                        HIDDEN
                    } else {
                        &text[o.inner.clone()]
                    });
                    from = o.end;
                }
                prompt.push_str(&text[from..]);
                let answer = text[d.inner.clone()].to_owned();
                out.push(card(first, QuestionFormat::Cloze, prompt, answer, deck));
            }
        }
        None => {}
    }
}

/// One cloze deletion: the byte range of the whole mark and of the text inside.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Deletion {
    start: usize,
    end: usize,
    inner: std::ops::Range<usize>,
}

/// The deletions the settings turn on, in order, none overlapping another, each within a line
/// and holding some text.
fn deletions(text: &str, settings: &CardSettings) -> Vec<Deletion> {
    let mut found = Vec::new();
    let marks: [(&str, &str, bool); 3] = [
        ("==", "==", settings.highlight),
        ("**", "**", settings.bold),
        ("{{", "}}", settings.curly),
    ];
    for (open, close, on) in marks {
        if !on {
            continue;
        }
        let mut from = 0;
        while let Some(off) = text[from..].find(open) {
            let start = from + off;
            let inner_start = start + open.len();
            let line_end = text[inner_start..]
                .find('\n')
                .map_or(text.len(), |i| inner_start + i);
            match text[inner_start..line_end].find(close) {
                Some(len) if !text[inner_start..inner_start + len].trim().is_empty() => {
                    let end = inner_start + len + close.len();
                    found.push(Deletion {
                        start,
                        end,
                        inner: inner_start..inner_start + len,
                    });
                    from = end;
                }
                Some(len) => from = inner_start + len + close.len(),
                None => from = inner_start,
            }
        }
    }
    found.sort_by_key(|d| d.start);
    let mut kept: Vec<Deletion> = Vec::with_capacity(found.len());
    for d in found {
        if kept.last().is_none_or(|k| d.start >= k.end) {
            kept.push(d);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::body::lines;

    fn cards_with(
        body: &str,
        tags: &[&str],
        s: &CardSettings,
    ) -> Vec<(QuestionFormat, String, String)> {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        extract(&lines(body, 1), &tags, s)
            .into_iter()
            .map(|q| (q.format, q.prompt, q.answer_text))
            .collect()
    }

    fn cards(body: &str) -> Vec<(QuestionFormat, String, String)> {
        cards_with(body, &["flashcards/aws"], &CardSettings::default())
    }

    fn basic(front: &str, back: &str) -> (QuestionFormat, String, String) {
        (QuestionFormat::Flashcard, front.into(), back.into())
    }

    fn cloze(front: &str, back: &str) -> (QuestionFormat, String, String) {
        (QuestionFormat::Cloze, front.into(), back.into())
    }

    #[test]
    fn a_paragraph_of_thousands_of_deletions_gives_a_bounded_number_of_cards() {
        // Each card repeats the paragraph: 8,000 deletions would be 8,000 copies of 95 KB.
        let line: String = (0..8_000).map(|i| format!("w =={i}== ")).collect();
        let got = cards(&line);
        assert_eq!(got.len(), MAX_CLOZE_BYTES / line.trim_end().len());
        assert_eq!(got[0].2, "0");
        let bytes: usize = got.iter().map(|c| c.1.len()).sum();
        assert!(bytes <= MAX_CLOZE_BYTES + line.len(), "{bytes}");
        // A short paragraph of many deletions: the first hundred.
        let short: String = (0..150).map(|i| format!("=={i}== ")).collect();
        let got = cards(&short);
        assert_eq!(got.len(), MAX_CLOZE_PER_PARAGRAPH);
        assert_eq!(got[99].2, "99");
        // A long paragraph gives fewer, within the byte budget; a short one all of its cards.
        let long = format!("{} {}", "x".repeat(MAX_CLOZE_BYTES / 10), "==a== ==b==");
        assert_eq!(cards(&long).len(), 2);
        let huge = format!("{} {}", "x".repeat(MAX_CLOZE_BYTES), "==a== ==b==");
        assert_eq!(cards(&huge).len(), 1);
    }

    #[test]
    fn every_card_form() {
        type Card<'a> = (QuestionFormat, &'a str, &'a str);
        let cases: &[(&str, &[Card])] = &[
            (
                "VPC 최대 CIDR::/16",
                &[(QuestionFormat::Flashcard, "VPC 최대 CIDR", "/16")],
            ),
            (
                "NACL:::stateless 방화벽 <!--SR:!2024-01-01,3,250-->",
                &[
                    (QuestionFormat::Flashcard, "NACL", "stateless 방화벽"),
                    (QuestionFormat::Flashcard, "stateless 방화벽", "NACL"),
                ],
            ),
            (
                "What does an SG remember?\nacross two lines\n?\nReturn traffic\n<!--SR:!2024-02-01,10,270-->",
                &[(
                    QuestionFormat::Flashcard,
                    "What does an SG remember?\nacross two lines",
                    "Return traffic",
                )],
            ),
            (
                "IGW\n??\n인터넷 게이트웨이",
                &[
                    (QuestionFormat::Flashcard, "IGW", "인터넷 게이트웨이"),
                    (QuestionFormat::Flashcard, "인터넷 게이트웨이", "IGW"),
                ],
            ),
            (
                "A ==public== subnet routes to an ==IGW==.",
                &[
                    (
                        QuestionFormat::Cloze,
                        "A [...] subnet routes to an IGW.",
                        "public",
                    ),
                    (
                        QuestionFormat::Cloze,
                        "A public subnet routes to an [...].",
                        "IGW",
                    ),
                ],
            ),
            (
                "Circuit diagram?\n?\n![[Circuits#^15c42b]]",
                &[(
                    QuestionFormat::Flashcard,
                    "Circuit diagram?",
                    "![[Circuits#^15c42b]]",
                )],
            ),
            // `{{}}` and bold are off by default; a `::` inside code is no card.
            ("{{off}} and **bold**\n\n```\na::b\n```", &[]),
            ("::no front\nno back::\n====", &[]),
        ];
        for (body, want) in cases {
            let want: Vec<_> = want
                .iter()
                .map(|(f, p, a)| (*f, p.to_string(), a.to_string()))
                .collect();
            assert_eq!(cards(body), want, "{body:?}");
        }
    }

    #[test]
    fn only_in_tagged_notes_and_as_the_settings_say() {
        let body = "A ==highlight== and a::b";
        assert!(cards_with(body, &["aws", "flashcardsx"], &CardSettings::default()).is_empty());
        // A line with a separator is a single-line card, its highlight kept (as the plugin does).
        assert_eq!(
            cards_with(body, &["FlashCards"], &CardSettings::default()),
            [basic("A ==highlight== and a", "b")]
        );
        let s = CardSettings {
            single: ";;".into(),
            single_reversed: ";;;".into(),
            tags: vec!["암기".into()],
            highlight: false,
            bold: true,
            curly: true,
            ..CardSettings::default()
        };
        let got = cards_with(
            "a::b stays text\n\n**S3** is {{global}}, ==not== a card\n\n서브넷;;subnet",
            &["암기/네트워크"],
            &s,
        );
        assert_eq!(
            got,
            [
                cloze("[...] is global, ==not== a card", "S3"),
                cloze("S3 is [...], ==not== a card", "global"),
                basic("서브넷", "subnet"),
            ]
        );
        let tags = ["aws".to_owned(), "암기/네트워크".to_owned()];
        assert_eq!(deck(&tags, &s), Some("암기/네트워크"));
    }

    #[test]
    fn tag_lines_and_comments_are_not_card_text() {
        assert_eq!(
            cards(
                "#flashcards/aws\nSubnet AZ?\n?\n하나의 AZ\n<!--SR:!2024-01-01,1,230-->\n\n\u{1b}[2J::\u{0}"
            ),
            [
                basic("Subnet AZ?", "하나의 AZ"),
                basic("\u{1b}[2J", "\u{0}")
            ]
        );
        assert_eq!(strip_sr("x <!--SR:!1--> y <!--SR:open"), "x  y ");
    }
}
