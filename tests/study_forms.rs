//! The question forms people write, loaded through the library from a fixture vault
//! (`tests/fixtures/study-forms`): per form, every question's whole prompt, its options in
//! written order, the right option(s), the explanation, the format, and for questions split
//! over two notes, the answer note.

use std::path::Path;
use std::sync::OnceLock;

use vaultscope::study;
use vaultscope::vault::{QuestionFormat, Vault};

fn vault() -> &'static Vault {
    static VAULT: OnceLock<Vault> = OnceLock::new();
    VAULT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/study-forms");
        // Its notes are named by their first headings, as some vaults are.
        Vault::load(&root)
            .unwrap()
            .with_titles(vaultscope::vault::TitleRule::Heading)
    })
}

/// One question as the table expects it.
struct Want {
    path: &'static str,
    format: QuestionFormat,
    prompt: &'static str,
    options: &'static [(&'static str, &'static str)],
    answer: &'static [&'static str],
    explanation: &'static [&'static str],
    answer_note: Option<&'static str>,
}

/// Every question of the notes under `folder`, in vault order, against the table.
fn check(folder: &str, want: &[Want]) {
    let got: Vec<_> = vault()
        .notes
        .iter()
        .filter(|n| n.path.starts_with(&format!("{folder}/")))
        .flat_map(|n| n.questions.iter().map(move |q| (n.path.as_str(), q)))
        .collect();
    let paths: Vec<_> = got.iter().map(|(p, q)| (*p, q.line)).collect();
    assert_eq!(got.len(), want.len(), "{folder}: {paths:?}");
    for ((path, q), w) in got.iter().zip(want) {
        let at = format!("{path}:{}", q.line);
        assert_eq!(*path, w.path, "{at}");
        assert_eq!(q.format, w.format, "{at}");
        assert_eq!(q.prompt, w.prompt, "{at}");
        let options: Vec<(&str, &str)> = q
            .options
            .iter()
            .map(|c| (c.label.as_str(), c.text.as_str()))
            .collect();
        assert_eq!(options, w.options, "{at}");
        assert_eq!(q.answer, w.answer, "{at}");
        assert_eq!(q.explanation, w.explanation, "{at}");
        assert_eq!(q.answer_note.as_deref(), w.answer_note, "{at}");
    }
}

#[test]
fn callout_with_the_prompt_in_its_title() {
    use QuestionFormat::Callout;
    check(
        "callout-title",
        &[
            Want {
                path: "callout-title/iam-정책.md",
                format: Callout,
                prompt: "IAM 정책을 평가할 때 가장 우선하는 것은?",
                options: &[
                    ("A", "명시적 허용 (explicit allow)"),
                    ("B", "기본 거부 (implicit deny)"),
                    ("C", "명시적 거부 (explicit deny)"),
                    ("D", "세션 정책"),
                ],
                answer: &["C"],
                explanation: &[
                    "어떤 허용보다도 명시적 거부가 먼저다",
                    "SCP의 거부도 마찬가지",
                ],
                answer_note: None,
            },
            Want {
                path: "callout-title/iam-정책.md",
                format: Callout,
                prompt: "다음 중 리전 서비스가 아닌 것을 2개 선택하시오.",
                options: &[
                    ("A", "Amazon VPC"),
                    ("B", "AWS IAM"),
                    ("C", "Amazon Route 53"),
                    ("D", "Amazon EC2"),
                ],
                answer: &["B", "C"],
                explanation: &["IAM과 Route 53은 글로벌 서비스다."],
                answer_note: None,
            },
            Want {
                path: "callout-title/s3-durability.md",
                format: Callout,
                prompt: "A media company keeps original video masters that must survive the loss of an entire Availability Zone and must be retrievable within a few hours at the lowest storage cost. Which storage options meet these requirements? (Choose two.)",
                options: &[
                    ("A", "Amazon S3 Standard"),
                    ("B", "Amazon EBS Provisioned IOPS volume"),
                    ("C", "Amazon S3 Glacier Flexible Retrieval"),
                    ("D", "EC2 instance store"),
                ],
                answer: &["A", "C"],
                explanation: &[
                    "Both keep copies across at least three AZs; EBS and instance store live in one AZ.",
                    "EBS와 인스턴스 스토어는 단일 AZ에 묶여 있다.",
                ],
                answer_note: None,
            },
            Want {
                path: "callout-title/vpc-endpoint.md",
                format: Callout,
                prompt: "An application in private subnets reads objects from Amazon S3 in the same Region, and the security team forbids any traffic over the internet or through a NAT device. What should a solutions architect do?",
                options: &[
                    ("A", "Add a NAT gateway in each Availability Zone"),
                    (
                        "B",
                        "Create a gateway VPC endpoint for Amazon S3 and update the route tables",
                    ),
                    (
                        "C",
                        "Attach an internet gateway and restrict it with a network ACL",
                    ),
                ],
                answer: &["B"],
                explanation: &[
                    "A gateway endpoint adds a prefix-list route; traffic stays on the AWS network.",
                ],
                answer_note: None,
            },
        ],
    );
}

#[test]
fn lettered_options_with_a_marked_answer() {
    use QuestionFormat::Lettered;
    check(
        "lettered",
        &[
            Want {
                path: "lettered/cloudfront-multi.md",
                format: Lettered,
                prompt: "Which TWO features help protect an origin behind Amazon CloudFront? (Choose two.)",
                options: &[
                    ("A", "Origin access control for an S3 origin"),
                    ("B", "Enabling S3 Transfer Acceleration"),
                    ("C", "AWS WAF web ACL on the distribution"),
                    ("D", "Increasing the default TTL"),
                ],
                answer: &["A", "C"],
                explanation: &["OAC는 버킷을 CloudFront만 읽게 하고, WAF는 요청을 걸러낸다."],
                answer_note: None,
            },
            Want {
                path: "lettered/ec2-pricing.md",
                format: Lettered,
                prompt: "중단되어도 되는 배치 작업을 가장 저렴하게 돌리려면?",
                options: &[
                    ("A", "온디맨드 인스턴스"),
                    ("B", "예약 인스턴스"),
                    ("C", "스팟 인스턴스"),
                    ("D", "전용 호스트"),
                ],
                answer: &["C"],
                explanation: &[],
                answer_note: None,
            },
            // No marking at all: kept, with an empty answer (graded by the learner).
            Want {
                path: "lettered/ec2-pricing.md",
                format: Lettered,
                prompt: "Which option gives a capacity reservation in a specific AZ without a long-term commitment?",
                options: &[
                    ("A", "On-Demand Capacity Reservations"),
                    ("B", "Savings Plans"),
                    ("C", "Spot Fleet"),
                ],
                answer: &[],
                explanation: &[],
                answer_note: None,
            },
            Want {
                path: "lettered/kms-암호화.md",
                format: Lettered,
                prompt: "S3 버킷의 객체를 고객 관리형 키로 암호화하고, 키 사용 기록을 감사해야 한다. 어떤 방식이 가장 적절한가?",
                options: &[
                    ("A", "SSE-S3"),
                    ("B", "SSE-KMS with a customer managed key"),
                    ("C", "클라이언트 측 암호화 후 키를 로컬에 보관"),
                    ("D", "SSE-C"),
                ],
                answer: &["B"],
                explanation: &[
                    "SSE-KMS는 CloudTrail에 키 사용이 기록된다. 고객 관리형 키는 키 정책으로 통제한다.",
                ],
                answer_note: None,
            },
            Want {
                path: "lettered/route53.md",
                format: Lettered,
                prompt: "Users in Korea and Japan must be sent to the Region that answers them fastest. Which routing policy fits?",
                options: &[
                    ("A", "Simple"),
                    ("B", "Weighted"),
                    ("C", "Geolocation"),
                    ("D", "Latency-based"),
                ],
                answer: &["D"],
                explanation: &["지연 시간 기반 라우팅은 측정된 지연이 가장 낮은 리전으로 보낸다."],
                answer_note: None,
            },
            // `My Answer: B` comes first; the key is `Correct answer: A`.
            Want {
                path: "lettered/route53.md",
                format: Lettered,
                prompt: "Which record type maps a zone apex to an Application Load Balancer?",
                options: &[("A", "Alias"), ("B", "CNAME"), ("C", "MX")],
                answer: &["A"],
                explanation: &["CNAME은 zone apex에 둘 수 없다."],
                answer_note: None,
            },
            // No-break spaces after the dots; the green mark is the key, the yellow one the
            // author's pick (as is `My Answer: C`).
            Want {
                path: "lettered/saa-q12-nat.md",
                format: Lettered,
                prompt: "A company runs a web tier in public subnets and an application tier in private subnets across two Availability Zones. The application tier must download patches from the internet.\n\nWhich solution is the MOST highly available?",
                options: &[
                    ("A", "Deploy one NAT instance in the first public subnet"),
                    (
                        "B",
                        "Deploy a NAT gateway in each public subnet and route each private subnet to the NAT gateway in its own AZ",
                    ),
                    (
                        "C",
                        "Deploy one NAT gateway and route both private subnets to it",
                    ),
                    ("D", "Attach an egress-only internet gateway"),
                ],
                answer: &["B"],
                explanation: &[
                    "A NAT gateway is zonal, so one per AZ removes the single point of failure.",
                    "NAT 게이트웨이는 AZ 단위 리소스라서 AZ마다 하나씩 둬야 한다.",
                ],
                answer_note: None,
            },
        ],
    );
}

#[test]
fn checkbox_options() {
    use QuestionFormat::Checkbox;
    // The note's to-do list (`## 오늘 할 일`) asks nothing and is no question.
    check(
        "checkbox",
        &[
            Want {
                path: "checkbox/security-groups.md",
                format: Checkbox,
                prompt: "Which statements about security groups are true? (Choose two.)",
                options: &[
                    (
                        "A",
                        "They are stateful: return traffic is allowed automatically",
                    ),
                    ("B", "They support explicit deny rules"),
                    ("C", "They apply to elastic network interfaces"),
                    ("D", "They are evaluated in rule-number order"),
                ],
                answer: &["A", "C"],
                explanation: &["NACLs are the stateless, numbered, allow-and-deny layer."],
                answer_note: None,
            },
            Want {
                path: "checkbox/스토리지-클래스.md",
                format: Checkbox,
                prompt: "접근 빈도를 모르는 데이터에 자동으로 비용을 맞춰 주는 클래스는?",
                options: &[
                    ("A", "S3 Standard-IA"),
                    ("B", "S3 Intelligent-Tiering"),
                    ("C", "S3 One Zone-IA"),
                ],
                answer: &["B"],
                explanation: &["Intelligent-Tiering은 접근 패턴에 따라 계층을 옮긴다."],
                answer_note: None,
            },
        ],
    );
}

#[test]
fn question_and_answer_in_two_notes() {
    use QuestionFormat::Split;
    check(
        "split",
        &[
            Want {
                path: "split/q001-s3-upload/문제.md",
                format: Split,
                prompt: "Users around the world upload large files to a single S3 bucket in us-east-1 and complain that uploads are slow. Which change improves upload speed with the least effort?\n\n전 세계 사용자가 us-east-1의 S3 버킷 하나에 큰 파일을 올리는데 업로드가 느리다. 가장 적은 노력으로 업로드 속도를 높이는 방법은?",
                options: &[
                    (
                        "A",
                        "Create a bucket in every Region and replicate the objects. 리전마다 버킷을 만들고 객체를 복제한다.",
                    ),
                    (
                        "B",
                        "Put an Application Load Balancer in front of the bucket. 버킷 앞에 ALB를 둔다.",
                    ),
                    (
                        "C",
                        "Enable S3 Transfer Acceleration and use the accelerate endpoint. S3 Transfer Acceleration을 켜고 가속 엔드포인트를 쓴다.",
                    ),
                    (
                        "D",
                        "Increase the bucket's request rate limit. 버킷의 요청 한도를 올린다.",
                    ),
                ],
                answer: &["C"],
                explanation: &[
                    "Transfer Acceleration routes uploads through the nearest CloudFront edge location over the AWS backbone.",
                    "엣지 로케이션에서 AWS 백본을 타므로 먼 거리 업로드가 빨라진다.",
                ],
                answer_note: Some("split/q001-s3-upload/해설.md"),
            },
            Want {
                path: "split/q002-dynamodb/문제.md",
                format: Split,
                prompt: "DynamoDB 테이블의 읽기 지연을 마이크로초 수준으로 줄이려면?",
                options: &[
                    ("A", "Add a global secondary index."),
                    (
                        "B",
                        "Put DynamoDB Accelerator (DAX) in front of the table. DAX를 테이블 앞에 둔다.",
                    ),
                    ("C", "Switch the table to on-demand capacity."),
                ],
                answer: &["B"],
                explanation: &[
                    "DAX is an in-memory cache for DynamoDB.",
                    "GSI는 조회 패턴을 바꿀 뿐 지연을 줄이지 않는다",
                    "온디맨드는 용량 방식일 뿐이다",
                ],
                answer_note: Some("split/q002-dynamodb/해설.md"),
            },
            Want {
                path: "split/q003-lambda/question.md",
                format: Split,
                prompt: "A Lambda function that writes to a relational database exhausts the database's connections during traffic spikes. Which TWO actions help? (Choose two.)",
                options: &[
                    (
                        "A",
                        "Use Amazon RDS Proxy between the function and the database.",
                    ),
                    ("B", "Set reserved concurrency on the function."),
                    ("C", "Increase the function's memory."),
                    ("D", "Move the function into a public subnet."),
                ],
                answer: &["A", "B"],
                explanation: &[
                    "RDS Proxy pools and reuses connections; reserved concurrency caps how many copies of the function run at once.",
                    "Memory and subnets do not change the number of connections.",
                ],
                answer_note: Some("split/q003-lambda/answer.md"),
            },
            Want {
                path: "split/q004-sqs/Q.md",
                format: Split,
                prompt: "메시지를 정확히 한 번, 순서대로 처리해야 한다. 어떤 큐를 쓰는가?",
                options: &[
                    ("A", "SQS Standard queue"),
                    ("B", "SQS FIFO queue"),
                    ("C", "Amazon SNS topic"),
                ],
                answer: &["B"],
                explanation: &["FIFO 큐는 순서와 정확히 한 번 처리를 보장한다."],
                answer_note: Some("split/q004-sqs/A.md"),
            },
        ],
    );
}

#[test]
fn a_split_card_belongs_to_its_question_note() {
    let v = vault();
    let all: Vec<usize> = (0..v.notes.len()).collect();
    let cards = study::questions(v, &all);
    for answer in ["해설.md", "answer.md", "A.md"] {
        let notes: Vec<_> = v
            .notes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.path.starts_with("split/") && n.path.ends_with(answer))
            .collect();
        assert!(!notes.is_empty(), "{answer}");
        for (id, n) in notes {
            assert!(n.questions.is_empty(), "{} asks nothing", n.path);
            assert!(cards.iter().all(|c| c.note != id), "{}", n.path);
        }
    }
    let split: Vec<_> = cards
        .iter()
        .filter(|c| v.notes[c.note].questions[c.index].format == QuestionFormat::Split)
        .map(|c| v.notes[c.note].stem.as_str())
        .collect();
    assert_eq!(split, ["문제", "문제", "question", "Q"]);
}

#[test]
fn the_json_names_the_new_formats_and_the_answer_note() {
    let q = &vault().notes[vault().by_path("split/q004-sqs/Q.md").unwrap()].questions[0];
    let v = serde_json::to_value(q).unwrap();
    assert_eq!(v["format"], "split");
    assert_eq!(v["answer_note"], "split/q004-sqs/A.md");
    let lettered = &vault().notes[vault().by_path("lettered/route53.md").unwrap()].questions[0];
    let v = serde_json::to_value(lettered).unwrap();
    assert_eq!(v["format"], "lettered");
    assert!(
        v.get("answer_note").is_none(),
        "only split questions name one"
    );
}

/// The study screen for a question of each new kind, at 80x24 and 120x40: the whole prompt
/// (wrapped, never cut), then the options on their own lines, or a card's front alone.
#[test]
fn the_study_screen_shows_each_form_whole() {
    // 2026-12-01 10:00 UTC: the screens do not depend on the day they are drawn.
    const NOW: i64 = 1_796_119_200;
    // A card is revealed (Space), graded Good (3) and left (Space): six of them come before
    // the note's first cloze deletion.
    let to_cloze = format!("/VPC 카드<Enter>a{}", "<Space>3<Space>".repeat(6));
    let cases: [(&str, &str, &[&str]); 4] = [
        (
            "callout_title",
            "/S3 내구성<Enter>a",
            &["(Choose two.)", "C) Amazon S3 Glacier Flexible Retrieval"],
        ),
        (
            "quiz_fence",
            "/VPC mock<Enter>a",
            &["What should it use?", "B) A NAT gateway in a public subnet"],
        ),
        (
            "split",
            "/Q001<Enter>a",
            &[
                "least effort?",
                "가장 적은 노력으로",
                "D) Increase the bucket",
            ],
        ),
        (
            "cloze",
            &to_cloze,
            &["A [...] has a route to an internet gateway."],
        ),
    ];
    for (name, keys, wanted) in cases {
        for (w, h) in [(80, 24), (120, 40)] {
            let keys = vaultscope::tui::keymap::parse_keys(keys).unwrap();
            let text = vaultscope::tui::snapshot_at(vault().clone(), w, h, &keys, NOW).unwrap();
            // The prompt may wrap anywhere: compare with the frame's text joined up.
            let joined: String = text
                .lines()
                .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
                .collect::<Vec<_>>()
                .join(" ");
            for want in wanted {
                assert!(joined.contains(want), "{name} {w}x{h}: no {want:?}\n{text}");
            }
            insta::assert_snapshot!(format!("study_{name}_{w}x{h}"), text);
        }
    }
}

/// "Choose two" is answered by picking two options: one pick is not an answer yet, picking
/// it again takes it back, and the answer is right only when both picks are.
#[test]
fn a_choose_two_question_is_answered_by_picking_two() {
    const NOW: i64 = 1_796_119_200;
    let screen = |keys: &str| {
        let keys =
            vaultscope::tui::keymap::parse_keys(&format!("/S3 내구성<Enter>a{keys}")).unwrap();
        vaultscope::tui::snapshot_at(vault().clone(), 100, 40, &keys, NOW).unwrap()
    };
    let one = screen("a");
    assert!(one.contains("▸ A) Amazon S3 Standard"), "{one}");
    assert!(one.contains("pick 2 (1/2"), "{one}");
    assert!(!one.contains("Right") && !one.contains("Wrong"), "{one}");
    let back = screen("aa");
    assert!(
        back.contains("pick 2 (0/2") && !back.contains('▸'),
        "{back}"
    );
    let right = screen("aac");
    assert!(
        right.contains("pick 2 (1/2") && !right.contains("Right"),
        "{right}"
    );
    let right = screen("ac");
    assert!(right.contains("✓ Right"), "{right}");
    let wrong = screen("ab");
    assert!(
        wrong.contains("✗ Wrong (A, B) · the answer is A, C"),
        "{wrong}"
    );
    assert!(wrong.contains("✗ B) Amazon EBS"), "{wrong}");
}
