//! `vaultscope grep`, run as a user would on a fixture vault of Korean, English and mixed notes
//! (`tests/fixtures/search/`): the lines found, their order, exit codes, the JSON shape, and
//! that nothing a note holds reaches the terminal raw.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn vault() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search")
}

/// Runs `vaultscope --vault FIXTURE --no-cache grep ARGS` with its own empty study state.
fn grep(args: &[&str]) -> Output {
    let state = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .arg("--vault")
        .arg(vault())
        .arg("--no-cache")
        .arg("grep")
        .args(args)
        .env_remove("VAULTSCOPE_VAULT")
        .env("XDG_STATE_HOME", state.path())
        .output()
        .expect("the binary runs")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

#[test]
fn lines_like_rg_best_notes_first() {
    let o = grep(&["보안그룹"]);
    assert_eq!(o.status.code(), Some(0));
    // Piped: no colour. The body's lines (the alias matched ranks the note, as a name).
    assert_eq!(
        out(&o),
        "networking/security-groups-vs-nacls.md:8: # 보안그룹 vs 네트워크 ACL\n\
         networking/security-groups-vs-nacls.md:10: 보안그룹은 상태 저장(stateful) 방화벽이다.\n\
         networking/security-groups-vs-nacls.md:13: ## 보안그룹 규칙\n\
         networking/security-groups-vs-nacls.md:16: - 보안그룹끼리 참조할 수 있다.\n"
    );
    // 초성 finds the same lines.
    assert_eq!(out(&grep(&["ㅂㅇㄱㄹ"])), out(&o));
}

#[test]
fn ranking_title_hits_first_then_more_matches() {
    let o = out(&grep(&["privatelink"]));
    let paths: Vec<&str> = o.lines().map(|l| l.split(':').next().unwrap()).collect();
    // The endpoints note has PrivateLink as an alias: first.
    assert_eq!(paths, ["networking/vpc-endpoints.md", "ml/mixed.md"]);
    // Smart case: upper case is exact.
    let o = out(&grep(&["PrivateLink"]));
    assert_eq!(
        o,
        "networking/vpc-endpoints.md:10: 인터페이스 엔드포인트는 PrivateLink로 만든다.\n"
    );
}

#[test]
fn filters_phrases_and_regexes() {
    let lines = |args: &[&str]| {
        out(&grep(args))
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(&["encryption", "-tag:draft"]), Vec::<String>::new());
    assert_eq!(lines(&["encryption", "tag:compliance"]).len(), 2);
    assert_eq!(lines(&["endpoint", "has:diagram"]).len(), 2);
    assert_eq!(lines(&["encryption", "has:diagram"]), Vec::<String>::new());
    assert_eq!(
        lines(&["KMS", "has:question"]),
        [
            "ml/hipaa-compliance.md:10: Use KMS keys; encryption everywhere.",
            "ml/hipaa-compliance.md:13: > - a) KMS",
        ]
    );
    // Every question is new in an empty study state: due today.
    assert_eq!(lines(&["kms", "due:today"]).len(), 2);
    assert_eq!(
        lines(&["vpc", "path:ml/"]),
        ["ml/mixed.md:7: SageMaker 노트북은 VPC 안에서 돌린다: privatelink 필수."]
    );
    assert_eq!(
        lines(&["\"at rest and\""]),
        ["ml/hipaa-compliance.md:9: HIPAA workloads need encryption at rest and in transit."]
    );
    assert_eq!(
        lines(&["/S3 and Dynamo[A-Z]B/"]),
        ["networking/vpc-endpoints.md:11: Gateway endpoints serve S3 and DynamoDB only."]
    );
    assert_eq!(lines(&["vpc", "엔ㄷ"]).len(), 2);
    assert_eq!(lines(&["--limit", "1", "vpc"]).len(), 1);
}

#[test]
fn exit_codes() {
    assert_eq!(grep(&["보안그룹"]).status.code(), Some(0));
    let none = grep(&["zzqqx"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(none.stdout.is_empty());
    for (bad, says) in [
        ("re:(", "bad regular expression"),
        ("/((a{100}){100}){100}/", "too big"),
        ("has:pictures", "has:diagram and has:question are"),
        ("tag:security", "no word"),
    ] {
        let o = grep(&[bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{bad}: {err}");
    }
    assert_eq!(grep(&["--json", "zzqqx"]).status.code(), Some(1));
}

#[test]
fn json_shape() {
    let o = grep(&["--json", "보안"]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let items = v.as_array().unwrap();
    let mixed = items.iter().find(|i| i["path"] == "ml/mixed.md").unwrap();
    assert_eq!(mixed["line"], 8);
    assert_eq!(mixed["text"], "Emoji 🔒 and 보안 in one line.");
    // Bytes: "Emoji " 6 + 🔒 4 + " and " 5 = 15.
    assert_eq!(mixed["column"], 16);
    assert_eq!(mixed["ranges"], serde_json::json!([[15, 21]]));
    assert_eq!(mixed["place"], "body");
    let heading = items.iter().find(|i| i["line"] == 8).unwrap();
    assert_eq!(heading["place"], "heading");
    for i in items {
        let text = i["text"].as_str().unwrap();
        for r in i["ranges"].as_array().unwrap() {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            assert!(text.get(a..b).is_some_and(|m| m.contains("보안")), "{i}");
        }
    }
}

#[test]
fn no_control_bytes_from_notes() {
    let sgr = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
    for args in [
        &["secret"][..],
        &["--json", "secret"],
        &["--color", "always", "secret"],
    ] {
        let o = if args[0] == "--color" {
            // --color is global: before the subcommand.
            let state = tempfile::tempdir().unwrap();
            Command::new(env!("CARGO_BIN_EXE_vaultscope"))
                .args(["--vault"])
                .arg(vault())
                .args(["--no-cache", "--color", "always", "grep", "secret"])
                .env("XDG_STATE_HOME", state.path())
                .output()
                .unwrap()
        } else {
            grep(args)
        };
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let s = out(&o);
        assert!(s.contains("secret"), "{s}");
        // Only our own colour sequences (ESC [ ... m) may appear; none from the note.
        let stripped = sgr.replace_all(&s, "");
        assert!(
            !stripped.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?}: {s:?}"
        );
        assert!(!s.contains("\x1b]0;") && !s.contains("\x1b[2J"), "{s:?}");
    }
}

#[test]
fn names_search_takes_initials_and_filters() {
    let state = tempfile::tempdir().unwrap();
    let search = |q: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_vaultscope"))
            .arg("--vault")
            .arg(vault())
            .args(["--no-cache", "search", "--json", q])
            .env("XDG_STATE_HOME", state.path())
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["path"].as_str().unwrap().to_owned(),
                    h["matched"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        search("ㅂㅇㄱㄹ"),
        [(
            "networking/security-groups-vs-nacls.md".to_owned(),
            "보안그룹 규칙".to_owned()
        )]
    );
    assert_eq!(search("ㅂㅇㄱㄹ -tag:networking"), []);
    let paths: Vec<String> = search("tag:networking")
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        paths,
        [
            "networking/security-groups-vs-nacls.md",
            "networking/vpc-endpoints.md"
        ]
    );
    assert_eq!(search("has:question").len(), 1);
}
