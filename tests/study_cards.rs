//! Quiz fences and Spaced Repetition flashcards, loaded through the library from the fixture
//! vaults `tests/fixtures/study-forms/{quiz-fence,flashcards}/` and `tests/fixtures/sr-settings/`
//! (a vault with the plugin's settings changed), and the content pane's rendering of them.

use std::path::{Path, PathBuf};

use vaultscope::markdown::{RenderOptions, plain_text, render};
use vaultscope::style::Styles;
use vaultscope::vault::{ProblemKind, Question, QuestionFormat, Vault};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn load(rel: &str) -> Vault {
    Vault::load(&fixture(rel)).expect("fixture vault loads")
}

fn questions<'a>(vault: &'a Vault, path: &str) -> &'a [Question] {
    let id = vault
        .by_path(path)
        .unwrap_or_else(|| panic!("{path} is in the vault"));
    &vault.notes[id].questions
}

/// One expected question: format, prompt, options `label) text` in order, right labels,
/// answer text, explanation, title, deck.
struct Want {
    format: QuestionFormat,
    prompt: &'static str,
    options: &'static [&'static str],
    answer: &'static [&'static str],
    answer_text: &'static str,
    explanation: &'static [&'static str],
    title: Option<&'static str>,
    deck: Option<&'static str>,
}

fn check(got: &[Question], want: &[Want], what: &str) {
    let prompts: Vec<&str> = got.iter().map(|q| q.prompt.as_str()).collect();
    assert_eq!(got.len(), want.len(), "{what}: {prompts:#?}");
    for (q, w) in got.iter().zip(want) {
        let options: Vec<String> = q
            .options
            .iter()
            .map(|c| format!("{}) {}", c.label, c.text))
            .collect();
        assert_eq!(q.format, w.format, "{what}: {}", q.prompt);
        assert_eq!(q.prompt, w.prompt, "{what}");
        assert_eq!(options, w.options, "{what}: {}", q.prompt);
        assert_eq!(q.answer, w.answer, "{what}: {}", q.prompt);
        assert_eq!(q.answer_text, w.answer_text, "{what}: {}", q.prompt);
        assert_eq!(q.explanation, w.explanation, "{what}: {}", q.prompt);
        assert_eq!(q.title.as_deref(), w.title, "{what}: {}", q.prompt);
        assert_eq!(q.deck.as_deref(), w.deck, "{what}: {}", q.prompt);
    }
}

const NONE: &[&str] = &[];

fn card(
    format: QuestionFormat,
    prompt: &'static str,
    back: &'static str,
    deck: &'static str,
) -> Want {
    Want {
        format,
        prompt,
        options: NONE,
        answer: NONE,
        answer_text: back,
        explanation: NONE,
        title: None,
        deck: Some(deck),
    }
}

#[test]
fn quiz_fences_with_titles() {
    let v = load("study-forms/quiz-fence");
    let fence = QuestionFormat::QuizFence;
    check(
        questions(&v, "iam-점검.md"),
        &[
            Want {
                format: fence,
                prompt: "명시적 Deny와 Allow가 함께 있으면 결과는?",
                options: &[
                    "A) Allow가 이긴다",
                    "B) Deny가 이긴다",
                    "C) 나중에 붙은 정책이 이긴다",
                ],
                answer: &["B"],
                answer_text: "B) Deny가 이긴다",
                explanation: &["명시적 거부는 항상 허용보다 우선한다. Explicit deny always wins."],
                title: Some("지식 점검 · IAM"),
                deck: None,
            },
            Want {
                format: fence,
                prompt: "Which two are global services? (Choose two.)",
                options: &[
                    "A) IAM",
                    "B) Amazon EC2",
                    "C) Amazon CloudFront",
                    "D) Amazon RDS",
                ],
                answer: &["A", "C"],
                answer_text: "A) IAM, C) Amazon CloudFront",
                explanation: &["IAM and CloudFront are not tied to a region."],
                title: Some("지식 점검 · IAM"),
                deck: None,
            },
        ],
        "quiz fence",
    );
    check(
        questions(&v, "vpc-exam.md"),
        &[
            Want {
                format: fence,
                prompt: "A company needs instances in a private subnet to download patches from the internet without being reachable from it. What should it use?",
                options: &[
                    "A) An internet gateway attached to the private subnet",
                    "B) A NAT gateway in a public subnet",
                    "C) A VPC peering connection",
                    "D) A gateway endpoint for S3",
                ],
                answer: &["B"],
                answer_text: "B) A NAT gateway in a public subnet",
                explanation: &[
                    "The NAT gateway sits in a public subnet and forwards outbound traffic only.",
                    "인터넷 게이트웨이만으로는 프라이빗 서브넷이 나갈 수 없다.",
                ],
                title: Some("Mock exam 1 — 네트워크"),
                deck: None,
            },
            Want {
                format: fence,
                prompt: "보안 그룹(Security Group)의 특징은?",
                options: &[
                    "A) 상태 저장(stateful)이다",
                    "B) 거부(deny) 규칙을 쓸 수 있다",
                    "C) 서브넷 단위로 적용된다",
                ],
                answer: &["A"],
                answer_text: "A) 상태 저장(stateful)이다",
                explanation: NONE,
                title: Some("Mock exam 1 — 네트워크"),
                deck: None,
            },
        ],
        "exam fence",
    );
    // Each question points at its `Q` line.
    let lines: Vec<usize> = questions(&v, "iam-점검.md")
        .iter()
        .map(|q| q.line)
        .collect();
    assert_eq!(lines, [9, 16]);
}

#[test]
fn spaced_repetition_cards_with_the_plugin_defaults() {
    let v = load("study-forms/flashcards");
    let (f, c) = (QuestionFormat::Flashcard, QuestionFormat::Cloze);
    let deck = "flashcards/aws/vpc";
    check(
        questions(&v, "vpc-cards.md"),
        &[
            card(f, "VPC에 붙일 수 있는 CIDR 최대 크기", "/16", deck),
            card(f, "NACL", "stateless 서브넷 방화벽", deck),
            card(f, "stateless 서브넷 방화벽", "NACL", deck),
            card(
                f,
                "What does a security group remember\nabout a connection?",
                "Return traffic is allowed automatically.\n상태 저장(stateful)이다.",
                deck,
            ),
            card(f, "IGW", "Internet gateway · 인터넷 게이트웨이", deck),
            card(f, "Internet gateway · 인터넷 게이트웨이", "IGW", deck),
            card(
                c,
                "A [...] has a route to an internet gateway.",
                "public subnet",
                deck,
            ),
            card(
                c,
                "A public subnet has a route to an [...].",
                "internet gateway",
                deck,
            ),
        ],
        "inline-tagged deck",
    );
    // A front-matter tag counts; an image or an embed is the answer as written.
    check(
        questions(&v, "circuits.md"),
        &[
            card(
                f,
                "Draw the full-adder circuit.",
                "![[Circuits#^15c42b]]",
                "flashcards",
            ),
            card(
                f,
                "The schematic symbol of a diode",
                "![diode](diode.png)",
                "flashcards",
            ),
        ],
        "front-matter tag",
    );
    // Without the tag, highlights, `a::b` and a `?` line are only text.
    assert!(questions(&v, "ordinary.md").is_empty());
    assert!(v.problems.is_empty(), "{:?}", v.problems);
}

#[test]
fn the_vaults_plugin_settings_decide() {
    let v = load("sr-settings");
    let (f, c) = (QuestionFormat::Flashcard, QuestionFormat::Cloze);
    let deck = "암기/네트워크";
    check(
        questions(&v, "네트워크.md"),
        &[
            card(f, "서브넷", "subnet", deck),
            card(f, "라우팅 테이블", "route table", deck),
            card(f, "route table", "라우팅 테이블", deck),
            card(c, "[...] is a global DNS service.", "Route 53", deck),
            card(c, "Route 53 is a global [...] service.", "DNS", deck),
        ],
        "`;;` separators, the 암기 tag, bold cloze on",
    );
    // `#flashcards` is not this vault's flashcard tag.
    assert!(questions(&v, "default-tag.md").is_empty());
    assert!(v.problems.is_empty(), "{:?}", v.problems);
}

#[test]
fn a_broken_settings_file_is_a_problem_and_the_defaults_apply() {
    let v = load("sr-settings-broken");
    let p: Vec<_> = v
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.kind))
        .collect();
    assert_eq!(
        p,
        [(
            ".obsidian/plugins/obsidian-spaced-repetition/data.json",
            ProblemKind::Settings
        )]
    );
    let q = questions(&v, "cards.md");
    assert_eq!(
        (q.len(), q[0].prompt.as_str(), q[0].answer_text.as_str()),
        (1, "Default separator still works", "yes")
    );
}

/// A settings file that is a symlink out of the vault is not followed: it is a problem and the
/// defaults apply (what the file outside says never counts).
#[cfg(unix)]
#[test]
fn a_settings_symlink_out_of_the_vault_is_not_followed() {
    let vault = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let settings = outside.path().join("data.json");
    std::fs::write(
        &settings,
        r##"{"settings": {"singleLineCardSeparator": ";;"}}"##,
    )
    .unwrap();
    let dir = vault
        .path()
        .join(".obsidian/plugins/obsidian-spaced-repetition");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(&settings, dir.join("data.json")).unwrap();
    std::fs::write(
        vault.path().join("n.md"),
        "#flashcards\nfront;;back\n\nfront::back\n",
    )
    .unwrap();
    let v = Vault::load(vault.path()).unwrap();
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    assert_eq!(v.problems[0].kind, ProblemKind::Symlink);
    let q = &v.notes[0].questions;
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].prompt, "front");
    assert_eq!(q[0].answer_text, "back");
}

/// The fixture note `rel` rendered as the content pane shows it, as plain text.
fn rendered(rel: &str, width: u16) -> String {
    let path = fixture(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let body = vaultscope::vault::Note::body_of(&text);
    let resolves = |_: &str| true;
    let opts = RenderOptions {
        width,
        styles: Styles::new(false),
        resolves: &resolves,
        now: 0,
        diagrams: vaultscope::markdown::DiagramView::default(),
        highlight: None,
        pictures: None,
    };
    plain_text(&render(None, body, &opts).lines)
}

#[test]
fn the_content_pane_shows_quiz_fences_as_questions_and_options_on_their_lines() {
    let text = rendered("study-forms/quiz-fence/iam-점검.md", 60);
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("╭─ quiz · 지식 점검 · IAM"))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        lines[start + 1..start + 13],
        [
            "│ Q1. 명시적 Deny와 Allow가 함께 있으면 결과는?",
            "│   A. Allow가 이긴다",
            "│   B. Deny가 이긴다",
            "│   C. 나중에 붙은 정책이 이긴다",
            "│   ▸ Answer: B) Deny가 이긴다 · 명시적 거부는 항상 허용보다",
            "│     우선한다. Explicit deny always wins.",
            "│",
            "│ Q2. Which two are global services? (Choose two.)",
            "│   A. IAM",
            "│   B. Amazon EC2",
            "│   C. Amazon CloudFront",
            "│   D. Amazon RDS",
        ],
        "{text}"
    );
    // The `rust` fence of the exam note is still code, its `exam` fence questions.
    let exam = rendered("study-forms/quiz-fence/vpc-exam.md", 60);
    assert!(
        exam.contains("╭─ rust ─") && exam.contains("│ fn main() {}"),
        "{exam}"
    );
    assert!(
        exam.contains("│   B. A NAT gateway in a public subnet"),
        "{exam}"
    );
    assert!(!exam.contains("+ A NAT gateway"), "{exam}");

    let callouts = rendered("study-forms/quiz-fence/callout-options.md", 60);
    let lines: Vec<&str> = callouts.lines().map(str::trim_end).collect();
    for option in [
        "│ a) S3 Standard",
        "│ b) S3 Standard-IA",
        "│ c) S3 Glacier Deep Archive",
        "│ d) S3 One Zone-IA",
        "│ (A) first form",
        "│ (B) second form",
        "│ ① 동그라미 숫자",
        "│ ② 두 번째",
    ] {
        assert!(
            lines.contains(&option),
            "{option:?} on its own line:\n{callouts}"
        );
    }
}

#[test]
fn questions_json_names_the_source_and_keeps_the_written_order() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .arg("--vault")
        .arg(fixture("study-forms/flashcards"))
        .args(["questions", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    let first = &items[0];
    assert_eq!(first["source"], serde_json::json!({"note": "circuits.md"}));
    assert_eq!(first["format"], "flashcard");
    assert_eq!(first["deck"], "flashcards");
    let formats: Vec<&str> = items
        .iter()
        .map(|q| q["format"].as_str().unwrap())
        .collect();
    assert!(formats.contains(&"cloze"), "{formats:?}");
    assert!(items.iter().all(|q| q["source"]["note"] == q["path"]));

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .arg("--vault")
        .arg(fixture("study-forms/quiz-fence"))
        .args(["questions", "iam-점검", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let q = &v[1];
    assert_eq!(q["format"], "quiz-fence");
    assert_eq!(q["title"], "지식 점검 · IAM");
    let labels: Vec<&str> = q["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["A", "B", "C", "D"]);
    assert_eq!(q["answer"], serde_json::json!(["A", "C"]));
    assert!(q.get("deck").is_none(), "no deck outside flashcards");
}
