#![no_main]
//! Fuzzes the question recogniser `questions::extract` over `body::lines`.
//!
//! Input layout: byte 0 -> first line number (1..=256), rest -> body (lossy UTF-8).
//!
//! Properties checked (panic = fuzzer crash):
//!  1. nothing panics; "never loops forever" is libFuzzer's -timeout,
//!  2. questions come in line order, each on a line of the body outside fenced code,
//!  3. option and answer labels are one letter A-H,
//!  4. open (Q:/A:) questions have no options, and `is_right` agrees with `answer`,
//!  5. the same text gives the same questions (no hidden state),
//!  6. Spaced Repetition cards (`cards::flashcards`, in a note tagged `flashcards/fuzz`, with the
//!     plugin's defaults and with `;;` separators and every cloze form on) have no options,
//!     their deck, a line of the body outside code; the plugin's settings file read from the
//!     same bytes never panics.

use libfuzzer_sys::fuzz_target;
use vaultscope::vault::cards::{flashcards, settings::CardSettings};
use vaultscope::vault::{QuestionFormat, body, questions};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let first_line = first as usize + 1;
    let text = String::from_utf8_lossy(rest);
    let lines = body::lines(&text, first_line);
    let found = questions::extract(&lines);
    let last = first_line + lines.len();
    let mut prev = 0;
    for q in &found {
        assert!((first_line..last).contains(&q.line), "question line {} of {first_line}..{last}", q.line);
        assert!(q.line > prev, "questions out of order: {} after {prev}", q.line);
        prev = q.line;
        assert!(!lines[q.line - first_line].in_code, "question in code at line {}", q.line);
        let letter = |l: &str| l.len() == 1 && ("A"..="H").contains(&l);
        for o in &q.options {
            assert!(letter(&o.label), "label {:?} at line {}", o.label, q.line);
        }
        if q.format == QuestionFormat::QAndA {
            assert!(q.options.is_empty(), "Q/A question with options at line {}", q.line);
        }
        for a in &q.answer {
            assert!(q.is_right(a));
            assert!(letter(a), "answer label {a:?} at line {}", q.line);
        }
    }
    assert_eq!(found, questions::extract(&lines), "extract is not deterministic");

    let tags = ["flashcards/fuzz".to_owned()];
    let custom = CardSettings {
        single: ";;".into(),
        single_reversed: ";;;".into(),
        bold: true,
        curly: true,
        ..CardSettings::default()
    };
    for settings in [CardSettings::default(), custom] {
        let cards = flashcards::extract(&lines, &tags, &settings);
        for c in &cards {
            assert!((first_line..last).contains(&c.line), "card line {} of {first_line}..{last}", c.line);
            assert!(!lines[c.line - first_line].in_code, "card in code at line {}", c.line);
            assert!(c.options.is_empty() && c.answer.is_empty(), "card with options at line {}", c.line);
            assert!(matches!(c.format, QuestionFormat::Flashcard | QuestionFormat::Cloze));
            assert_eq!(c.deck.as_deref(), Some("flashcards/fuzz"));
        }
        assert_eq!(cards, flashcards::extract(&lines, &tags, &settings), "cards are not deterministic");
    }
    let _ = CardSettings::from_json(&text);
});
