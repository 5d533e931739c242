//! Table tests of the question forms and of each part's spellings.

use super::parts::{
    answer_line, choose_count, explanation_label, normalise, option_item, same_words, strip_marks,
    strip_marks_copying,
};
use super::*;
use crate::vault::body::lines;

fn qs(body: &str) -> Vec<Question> {
    extract(&lines(body, 1))
}

fn labels(q: &Question) -> Vec<(&str, &str)> {
    q.options
        .iter()
        .map(|c| (c.label.as_str(), c.text.as_str()))
        .collect()
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
    let body =
        "> [!QUESTION]+ Pick\n> - A) x\n> - B) y\n> > [!check] Answer\n> > **B) y**\n> > because.";
    let q = &qs(body)[0];
    assert_eq!(q.prompt, "Pick");
    assert_eq!(q.answer, ["B"]);
    assert_eq!(q.explanation, ["because."]);
}

#[test]
fn callout_title_prompt_with_the_right_options_repeated() {
    // Both nestings (`>>` and `> >`), lower-case labels without a list marker, Choose two.
    for nest in [">>", "> >"] {
        let body = format!(
            "> [!question] Which two services store objects durably? (Choose two.)\n> a) Amazon S3\n> b) Amazon EC2 instance store\n> c) Amazon S3 Glacier\n> d) Amazon ElastiCache\n>\n{nest} [!success]- Answer\n{nest} a) Amazon S3\n{nest} c) Amazon S3 Glacier\n{nest}\n{nest} Instance store와 ElastiCache는 휘발성입니다.\n"
        );
        let q = &qs(&body)[0];
        assert_eq!(q.format, QuestionFormat::Callout, "{nest}");
        assert_eq!(
            q.prompt,
            "Which two services store objects durably? (Choose two.)"
        );
        assert_eq!(labels(q)[3], ("D", "Amazon ElastiCache"));
        assert_eq!(q.answer, ["A", "C"], "{nest}");
        assert_eq!(
            q.explanation,
            ["Instance store와 ElastiCache는 휘발성입니다."]
        );
    }
}

#[test]
fn choose_count_caps_the_marking() {
    let body = "> [!question] 다음 중 옳은 것을 고르시오 (1개 선택)\n> (A) 하나\n> (B) 둘\n> > [!tip] 정답\n> > (A) 하나\n> > (B) 둘\n";
    // `1개` is no count (only 2-5 are), so both stay; with `2개 선택` and three marked, two stay.
    assert_eq!(qs(body)[0].answer, ["A", "B"]);
    let body = "Which are regional? Select TWO.\n\n- [x] VPC\n- [x] S3 bucket\n- [x] Subnet\n- [ ] IAM role\n";
    assert_eq!(qs(body)[0].answer, ["A", "B"]);
    let cases: &[(&str, Option<usize>)] = &[
        ("Which ... ? (Choose two.)", Some(2)),
        ("(Choose THREE)", Some(3)),
        ("Select 2 answers", Some(2)),
        ("옳은 것을 2개 선택하시오", Some(2)),
        ("옳은 것 두 개를 고르시오", Some(2)),
        ("세 개를 고르세요", Some(3)),
        ("세 개의 가용 영역에 배포할 때 맞는 것은?", None),
        ("Choose the best option", None),
        // Lower-cased, the Kelvin sign is an ASCII `k`: `PIC\u{212A}` is `pick`.
        ("PIC\u{212A} two", Some(2)),
        ("결과: Choose   FOUR (정답 4개 선택)", Some(4)),
        ("choose", None),
        ("", None),
    ];
    for (prompt, want) in cases {
        assert_eq!(choose_count(prompt), *want, "{prompt}");
    }
}

/// `choose_count` reads an ASCII prompt as it is; the way before lower-cased every prompt and
/// collected its words. The two agree on every prompt, ASCII or not.
#[test]
fn choose_count_of_an_ascii_prompt_is_that_of_its_lower_case() {
    // The old way of finding the verb and its word; the word read as a count the same way.
    fn old(prompt: &str) -> Option<usize> {
        let lower = prompt.to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        for pair in words.windows(2) {
            let verb = pair[0].trim_start_matches(['(', '[']);
            if ["choose", "select", "pick"].contains(&verb)
                && let Some(n) = parts::count_word(pair[1])
            {
                return Some(n);
            }
        }
        // The Korean half (`2개 선택`) is the same code in both.
        lower.contains('개').then(|| choose_count(&lower)).flatten()
    }
    let verbs = [
        "Choose",
        "SELECT",
        "(pick",
        "[Select",
        "chOOse",
        "PIC\u{212A}",
        "choice",
    ];
    let counts = [
        "two", "TWO.", "3)", "four", "Five", "six", "2", "다섯", "(two)",
    ];
    let mut n = 0;
    for v in verbs {
        for c in counts {
            for p in [
                format!("{v} {c}"),
                format!("Which is right? ({v} {c})"),
                format!("{v}\t{c} of these"),
                format!("보기 중 {v} {c}"),
            ] {
                assert_eq!(choose_count(&p), old(&p), "{p:?}");
                n += usize::from(choose_count(&p).is_some());
            }
        }
    }
    assert!(
        n > 50,
        "only {n} prompts counted: the cases do not test the counting"
    );
}

#[test]
fn option_spellings() {
    let cases: &[(&str, Option<(char, &str)>)] = &[
        ("A. Amazon S3", Some(('A', "Amazon S3"))),
        ("A.\u{a0}Amazon S3", Some(('A', "Amazon S3"))),
        ("- B) Amazon S3", Some(('B', "Amazon S3"))),
        ("(C) 보안 그룹", Some(('C', "보안 그룹"))),
        ("d) lower case", Some(('D', "lower case"))),
        ("③ 세 번째", Some(('C', "세 번째"))),
        ("**B)** bold label", Some(('B', "bold label"))),
        ("C.", Some(('C', ""))),
        ("A company wants", None),
        ("A.B. testing", None),
        ("I. Roman", None),
        (
            "<mark style=\"background: #BBFABBA6;\">B. green</mark>",
            Some(('B', "green")),
        ),
    ];
    for (line, want) in cases {
        let got = option_item(line).map(|o| (o.label.unwrap_or('?'), o.text));
        assert_eq!(got.as_ref().map(|(c, t)| (*c, t.as_ref())), *want, "{line}");
    }
    let boxed = option_item("- [x] 정답인 항목").unwrap();
    assert!(boxed.right && boxed.label.is_none());
    assert!(!option_item("- [ ] 아닌 항목").unwrap().right);
}

#[test]
fn marks_are_right_by_their_hue() {
    let cases: &[(&str, Option<bool>)] = &[
        (
            "<mark style=\"background: #BBFABBA6;\">x</mark>",
            Some(true),
        ),
        (
            "<mark style=\"background: #FFF3A3A6;\">x</mark>",
            Some(false),
        ),
        (
            "<mark style=\"background-color: rgb(120, 220, 120)\">x</mark>",
            Some(true),
        ),
        (
            "<mark style=\"background: #ABF7F7A6;\">x</mark>",
            Some(false),
        ),
        (
            "<mark style=\"background: #CACFD9A6;\">x</mark>",
            Some(false),
        ),
        ("<mark style=\"background: #8f8;\">x</mark>", Some(true)),
        ("<mark>x</mark>", Some(false)),
        ("x", None),
    ];
    for (line, want) in cases {
        let (text, green) = strip_marks(line);
        assert_eq!(text, "x");
        assert_eq!(green, *want, "{line}");
    }
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
        ("The correct answer is: **B. Use a VPC endpoint**", &["B"]),
        ("The correct answer is B", &["B"]),
        ("답: D", &["D"]),
        ("정답: (b)", &["B"]),
        ("Correct answer: a NAT gateway", &[]),
        ("Correct Options:", &[]),
    ];
    for (line, want) in cases {
        let got = answer_line(line).unwrap_or_else(|| panic!("{line}"));
        assert!(!got.mine, "{line}");
        assert_eq!(got.labels, *want, "{line}");
    }
    assert!(answer_line("My Answer: C").unwrap().mine);
    assert!(answer_line("내 답: C").unwrap().mine);
    assert!(answer_line("Answers vary").is_none());
    assert!(answer_line("답변은 다양하다").is_none());
}

#[test]
fn explanation_labels() {
    let cases: &[(&str, Option<&str>)] = &[
        ("Explanation:", Some("")),
        ("**Explanation:** S3 is regional.", Some("S3 is regional.")),
        ("해설", Some("")),
        (
            "설명: 게이트웨이 엔드포인트는 무료",
            Some("게이트웨이 엔드포인트는 무료"),
        ),
        ("💡 추가 설명:", Some("")),
        ("💡 NAT는 AZ마다 둔다", Some("NAT는 AZ마다 둔다")),
        ("설명서를 읽었다", None),
    ];
    for (line, want) in cases {
        assert_eq!(explanation_label(line).as_deref(), *want, "{line}");
    }
}

#[test]
fn lettered_with_marks_my_answer_and_explanation() {
    let body = "## Q1\nA company needs private access to S3 from a VPC.\n\nWhich is cheapest?\n\n- A. NAT gateway\n- <mark style=\"background: #BBFABBA6;\">B. Gateway endpoint</mark>\n- <mark style=\"background: #FFF3A3A6;\">C. Interface endpoint</mark>\n- D. Internet gateway\n\nMy Answer: C\n\nExplanation:\nGateway endpoints cost nothing.\n\n게이트웨이 엔드포인트는 무료.\n\n## Notes\n- A. not an option\n";
    let got = qs(body);
    assert_eq!(got.len(), 1);
    let q = &got[0];
    assert_eq!(q.format, QuestionFormat::Lettered);
    assert_eq!(q.line, 2);
    assert_eq!(
        q.prompt,
        "A company needs private access to S3 from a VPC.\n\nWhich is cheapest?"
    );
    assert_eq!(labels(q)[2], ("C", "Interface endpoint"));
    assert_eq!(q.answer, ["B"]);
    assert_eq!(
        q.explanation,
        [
            "Gateway endpoints cost nothing.",
            "게이트웨이 엔드포인트는 무료."
        ]
    );
}

#[test]
fn two_lettered_questions_in_a_row_and_a_heading_prompt() {
    let body = "1. 가장 저렴한 것은?\nA) NAT\nB) 게이트웨이 엔드포인트\n정답: B\n\n2. Which one is global?\nA) IAM\nB) VPC\nCorrect answer: A\n\n### Which region is Seoul?\nA. ap-northeast-2\nB. us-east-1\n";
    let got = qs(body);
    let seen: Vec<(&str, &[String])> = got
        .iter()
        .map(|q| (q.prompt.as_str(), q.answer.as_slice()))
        .collect();
    assert_eq!(
        seen,
        [
            ("1. 가장 저렴한 것은?", &["B".to_owned()][..]),
            ("2. Which one is global?", &["A".to_owned()][..]),
            ("Which region is Seoul?", &[][..]),
        ]
    );
}

#[test]
fn options_without_a_prompt_or_a_checklist_that_asks_nothing_are_no_question() {
    assert!(qs("A. alpha\nB. beta\n").is_empty());
    assert!(qs("## 할 일\n- [x] 장보기\n- [ ] 빨래\n").is_empty());
    let q = &qs("Which are stateful?\n- [x] Security group\n- [ ] Network ACL\n")[0];
    assert_eq!(q.format, QuestionFormat::Checkbox);
    assert_eq!(labels(q), [("A", "Security group"), ("B", "Network ACL")]);
    assert_eq!(q.answer, ["A"]);
}

#[test]
fn correct_options_label_over_the_right_lines() {
    let body = "Which two are serverless? (Choose two.)\nA. Lambda\nB. EC2\nC. Fargate\nD. EBS\n\nCorrect Options:\nA. Lambda\nC. Fargate\n\n해설: 서버를 관리하지 않는다.\n";
    let got = qs(body);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].answer, ["A", "C"]);
    assert_eq!(got[0].explanation, ["서버를 관리하지 않는다."]);
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
fn questions_end_at_headings_and_code_is_skipped() {
    let body = "```\n**Question:** in code\n```\n**Question:** Open one?\n**정답: it depends**\n## Next\n- A) not an option\n";
    let got = qs(body);
    assert_eq!(got.len(), 1);
    assert!(got[0].options.is_empty());
    assert_eq!(got[0].answer_text, "it depends");
    assert!(got[0].explanation.is_empty());
}

#[test]
fn an_answer_sheet_names_its_option_then_explains() {
    let body = "C.\nUse S3 Transfer Acceleration.\n\nS3 Transfer Acceleration을 사용한다.\n\n엣지 로케이션을 거쳐 업로드가 빨라진다.\n";
    use split::SheetItem::{Options, Text};
    let sheet = split::answer_sheet("해설", &lines(body, 1)).unwrap();
    assert_eq!(
        sheet.items,
        [
            Options(vec!["C".into()], String::new()),
            Text("Use S3 Transfer Acceleration.".into()),
            Text("S3 Transfer Acceleration을 사용한다.".into()),
            Text("엣지 로케이션을 거쳐 업로드가 빨라진다.".into()),
        ]
    );
    let key = split::answer_sheet("A", &lines("## 풀이\n정답: B, D\n\n이유.", 1)).unwrap();
    assert_eq!(
        key.items,
        [
            Options(vec!["B".into(), "D".into()], String::new()),
            Text("이유.".into())
        ]
    );
    assert!(split::answer_sheet("notes", &lines(body, 1)).is_none());
    assert!(split::answer_sheet("answer", &lines("Just prose.", 1)).is_none());
}

#[test]
fn an_answer_repeating_an_options_text_or_naming_its_number() {
    // `A VPC gateway endpoint` begins with the word "A": the text names option C.
    let body = "Which keeps S3 traffic private?\n\nA. An internet gateway\nB. A NAT gateway\nC. A VPC gateway endpoint\n\nAnswer: A VPC gateway endpoint\n";
    assert_eq!(qs(body)[0].answer, ["C"]);
    // A letter with its own mark still wins over nothing.
    let body = "Which keeps S3 traffic private?\n\nA. An internet gateway\nB. A NAT gateway\nC. A VPC gateway endpoint\n\nAnswer: C) A VPC gateway endpoint\n";
    assert_eq!(qs(body)[0].answer, ["C"]);
    // Numbers under circled options, as Korean exams write the key.
    for (key, want) in [("3", &["C"][..]), ("3번", &["C"]), ("2, 4", &["B", "D"])] {
        let body = format!("가장 알맞은 것은?\n\n① 하나\n② 둘\n③ 셋\n④ 넷\n\n정답: {key}\n");
        assert_eq!(qs(&body)[0].answer, want, "{key}");
    }
    // A number past the last option names none: graded by the learner.
    let body = "가장 알맞은 것은?\n\n① 하나\n② 둘\n\n정답: 7\n";
    assert!(qs(body)[0].answer.is_empty());
}

/// The line tests of the question scan, written the slow way they were before their
/// shortcuts, must answer as the fast ones do: on hand-picked lines and on every line of the
/// starter vault and of 300 generated notes.
#[test]
fn the_line_shortcuts_agree_with_the_slow_ways() {
    fn is_rule_slow(t: &str) -> bool {
        let c: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
        c.len() >= 3
            && (c.iter().all(|&x| x == '-')
                || c.iter().all(|&x| x == '*')
                || c.iter().all(|&x| x == '_'))
    }
    fn may_start_question_slow(l: &str) -> bool {
        let t = l.trim();
        match t.as_bytes().first() {
            Some(b'*' | b'>' | b'Q' | b'A' | b'a' | b'(' | b'+' | b'<' | b'#') => true,
            Some(b'-') => true,
            Some(&b) => b >= 0x80 && t.starts_with(CIRCLED),
            None => false,
        }
    }
    fn explanation_label_slow(t: &str) -> Option<String> {
        let t = t.trim();
        let bulb = t.strip_prefix('💡').map(str::trim_start);
        let t = bulb.unwrap_or(t).replace("**", "");
        let t = t.trim();
        for label in ["추가 설명", "설명", "해설", "풀이", "explanation", "why"] {
            if let Some(after) = t
                .get(..label.len())
                .filter(|h| h.eq_ignore_ascii_case(label))
                .map(|_| &t[label.len()..])
            {
                let after = after.trim_start();
                if after.is_empty() {
                    return Some(String::new());
                }
                if let Some(rest) = after.strip_prefix([':', '：']) {
                    return Some(rest.trim().to_owned());
                }
            }
        }
        bulb.map(|_| t.to_owned())
    }
    fn normalise_slow(s: &str) -> String {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    }
    let mut corpus: Vec<String> = [
        "",
        " ",
        "---",
        "***",
        "___",
        "- - -",
        "* * *",
        "_ _ _",
        "--",
        "-*-",
        "---x",
        " --- ",
        "\u{3000}-\u{3000}-\u{3000}-",
        "----------",
        "-\t-\t-",
        "—",
        "___\u{a0}",
        "**",
        "- A) text",
        "  * [x] <mark>done</mark>  ",
        "<MARK>B. x</MARK>",
        "a <b>c</b>",
        "ΣΑΣ ΟΔΟΣ",
        "Straße  Ǆ  İstanbul",
        "  Mixed CASE\twords  ",
        "**정답: C) S3**",
        "<mark style=\"background: #BBFABBA6;\">A. x</mark>",
        "x</mark>",
        "<",
        "< mark",
        "\u{3000}- A) x",
        "\u{a0}Q: x",
        "\u{85}#",
        "\u{b}* x",
        "\u{c}\t\r> x",
        "\u{3000}",
        "  ③ 셋",
        "\u{3000}① 하나",
        "Ｑ: x",
        "b) x",
        "💡 **해설**: x",
        "💡",
        "**Explanation**",
        "설명: **x**",
        "Why",
        "whyever",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let starter = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("notes");
    for entry in walkdir::WalkDir::new(starter) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            corpus.extend(text.lines().map(str::to_owned));
        }
    }
    for note in crate::genvault::generate(300, 7) {
        corpus.extend(note.content.lines().map(str::to_owned));
    }
    assert!(corpus.len() > 10_000, "{}", corpus.len());
    let (mut rules, mut starts, mut labels) = (0, 0, 0);
    for line in &corpus {
        let l = line.as_str();
        assert_eq!(is_rule(l), is_rule_slow(l), "{l:?}");
        rules += usize::from(is_rule(l));
        let (fast, fast_green) = strip_marks(l);
        let (slow, slow_green) = strip_marks_copying(l);
        assert_eq!(
            (fast.as_ref(), fast_green),
            (slow.as_str(), slow_green),
            "{l:?}"
        );
        assert_eq!(normalise(l), normalise_slow(l), "{l:?}");
        // Each line against its neighbours' spellings: itself, upper-cased, re-spaced, cut.
        for other in [
            l.to_owned(),
            l.to_uppercase(),
            l.split_whitespace().collect::<Vec<_>>().join("\t "),
            l.chars().take(l.chars().count() / 2).collect(),
            format!("{l} \u{212A}"),
            format!("{l} k"),
        ] {
            assert_eq!(
                same_words(l, &other),
                normalise(l) == normalise(&other),
                "{l:?} / {other:?}"
            );
        }
        assert_eq!(may_start_question(l), may_start_question_slow(l), "{l:?}");
        starts += usize::from(may_start_question(l));
        assert_eq!(explanation_label(l), explanation_label_slow(l), "{l:?}");
        labels += usize::from(explanation_label(l).is_some());
    }
    assert!(rules > 5, "{rules}");
    // Both kinds of line occur, so the comparison covers each answer.
    assert!(starts > 1_000 && starts < corpus.len() / 2, "{starts}");
    assert!(labels > 5, "{labels}");
}
