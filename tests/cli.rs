//! The headless subcommands, run as a user would: the real binary on the starter vault and on
//! small vaults made for each test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `vaultscope ARGS` in `dir` with no vault set in the environment.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .args(args)
        .current_dir(dir)
        .env_remove("VAULTSCOPE_VAULT")
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// Runs on the starter vault (found as `./notes` from the project folder).
fn run(args: &[&str]) -> Output {
    run_in(&manifest(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 output")
}

fn json(args: &[&str]) -> Value {
    let o = run(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

fn vault(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn check_finds_no_problem_in_the_starter_vault() {
    let o = run(&["check"]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("no problems"), "{}", stdout(&o));
    let v = json(&["check", "--json"]);
    assert_eq!(v["problems"], Value::Array(vec![]));
    assert!(v["notes"].as_u64().unwrap() >= 16);
}

#[test]
fn tags_put_the_seed_tags_under_their_parents_with_counts() {
    let v = json(&["tags", "--json"]);
    let roots = v.as_array().unwrap();
    for tag in [
        "service/sagemaker",
        "security/vpc-endpoints",
        "connectivity/privatelink",
        "constraint/no-internet",
        "industry/financial",
    ] {
        let (parent, child) = tag.split_once('/').unwrap();
        let p = roots
            .iter()
            .find(|r| r["name"] == parent)
            .unwrap_or_else(|| panic!("no {parent}"));
        let c = p["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == child)
            .unwrap();
        assert_eq!(c["path"], tag);
        let (pc, cc) = (p["count"].as_u64().unwrap(), c["count"].as_u64().unwrap());
        assert!(cc >= 1 && pc >= cc, "{tag}: parent {pc}, child {cc}");
        let sum: u64 = p["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_u64().unwrap())
            .sum();
        assert!(
            pc <= sum + p["own"].as_u64().unwrap(),
            "a parent counts each note once"
        );
    }
    let text = stdout(&run(&["tags"]));
    assert!(text.contains("service ("), "{text}");
    assert!(
        text.contains("├─ sagemaker (") || text.contains("└─ sagemaker ("),
        "{text}"
    );
}

#[test]
fn search_ranks_the_seed_first_via_its_alias() {
    let v = json(&["search", "vpcsm", "--json"]);
    let top = &v[0];
    assert_eq!(top["path"], "sagemaker-vpc-privatelink-security.md");
    assert_eq!(top["field"], "alias");
    assert_eq!(top["matched"], "vpc-sagemaker");
    assert_eq!(top["positions"], serde_json::json!([0, 1, 2, 4, 8]));
    let paths: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap())
        .collect();
    let mut unique = paths.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(paths.len(), unique.len(), "a note appears once");
}

#[test]
fn search_exits_1_when_nothing_matches_as_grep_does() {
    for args in [
        &["search", "zzqqxxnothing"][..],
        &["search", "zzqqxxnothing", "--json"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
    }
    let o = run(&["search", "zzqqxxnothing", "--json"]);
    assert_eq!(stdout(&o).trim(), "[]");
    // A regular expression alone: names search says where regexes go.
    let o = run(&["search", "re:priv.*link"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("vaultscope grep"));
    assert_eq!(run(&["search", "vpcsm"]).status.code(), Some(0));
}

#[test]
fn a_korean_query_finds_a_korean_alias() {
    let v = json(&["search", "보안그룹", "--json"]);
    let top = &v[0];
    assert_eq!(top["field"], "alias", "{v:#}");
    let matched = top["matched"].as_str().unwrap();
    assert!(
        matched.chars().any(|c| ('가'..='힣').contains(&c)),
        "{matched}"
    );
    assert_eq!(top["path"], "networking/security-groups-vs-nacls.md");
}

#[test]
fn questions_of_the_seed_note() {
    let v = json(&["questions", "sagemaker-vpc-privatelink-security", "--json"]);
    let qs = v.as_array().unwrap();
    assert_eq!(qs.len(), 1);
    let q = &qs[0];
    assert_eq!(q["format"], "bold");
    assert!(
        q["prompt"]
            .as_str()
            .unwrap()
            .starts_with("A financial services firm")
    );
    let labels: Vec<&str> = q["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["A", "B", "C", "D"]);
    assert_eq!(q["answer"], serde_json::json!(["C"]));
    assert!(
        q["answer_text"]
            .as_str()
            .unwrap()
            .ends_with("through PrivateLink")
    );
    let expl: Vec<&str> = q["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(expl.len(), 3);
    assert!(expl[0].starts_with("**NAT Gateway (A)**"));
    assert!(expl[1].starts_with("**VPC Peering (B)**"));
    assert!(expl[2].starts_with("**AWS Client VPN (D)**"));
    // The same note by alias and by path.
    assert_eq!(json(&["questions", "vpc-sagemaker", "--json"]), v);
    assert_eq!(
        json(&[
            "questions",
            "sagemaker-vpc-privatelink-security.md",
            "--json"
        ]),
        v
    );
}

#[test]
fn every_starter_note_has_a_question_with_an_answer() {
    let list = json(&["list", "--json"]);
    let qs = json(&["questions", "--json"]);
    for note in list.as_array().unwrap() {
        let path = note["path"].as_str().unwrap();
        let mine: Vec<&Value> = qs
            .as_array()
            .unwrap()
            .iter()
            .filter(|q| q["path"] == path)
            .collect();
        assert!(!mine.is_empty(), "{path} has no question");
        for q in mine {
            if q["format"] != "q-and-a" {
                let options = q["options"].as_array().unwrap();
                assert_eq!(options.len(), 4, "{path}");
                let answer = q["answer"][0]
                    .as_str()
                    .unwrap_or_else(|| panic!("{path}: no answer"));
                assert!(options.iter().any(|o| o["label"] == answer), "{path}");
                assert!(!q["explanation"].as_array().unwrap().is_empty(), "{path}");
            }
        }
    }
}

#[test]
fn list_filters_and_sorts() {
    let all = json(&["list", "--json"]);
    let n = all.as_array().unwrap().len();
    let titles: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["title"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);

    let sec = json(&["list", "--tag", "security", "--json"]);
    let sec = sec.as_array().unwrap();
    assert!(!sec.is_empty() && sec.len() < n);
    for x in sec {
        assert!(
            x["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t.as_str().unwrap().starts_with("security"))
        );
    }
    let both = json(&[
        "list",
        "--tag",
        "security",
        "--tag",
        "industry/financial",
        "--json",
    ]);
    let either = json(&[
        "list",
        "--tag",
        "security",
        "--tag",
        "industry/financial",
        "--any",
        "--json",
    ]);
    let (b, e) = (
        both.as_array().unwrap().len(),
        either.as_array().unwrap().len(),
    );
    assert!(b >= 1 && b <= sec.len() && e >= sec.len(), "{b} {e}");

    let by_mod = json(&["list", "--sort", "modified", "--json"]);
    let dates: Vec<&str> = by_mod
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["modified"].as_str().unwrap())
        .collect();
    let mut newest_first = dates.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first);
}

#[test]
fn links_outgoing_backlinks_and_unresolved() {
    let dir = vault(&[
        (
            "a.md",
            "---\naliases: [에이]\n---\n[[b]] [[b#Part|see b]] [[ghost]]",
        ),
        ("sub/b.md", "# B title\n[[a]] [[에이]]"),
    ]);
    let o = run_in(dir.path(), &["--vault", ".", "links", "a", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["outgoing"][0]["to"], "sub/b.md");
    assert_eq!(v["outgoing"][0]["form"], "wikilink");
    assert_eq!(v["outgoing"][1]["heading"], "Part");
    assert_eq!(v["outgoing"][1]["display"], "see b");
    assert_eq!(v["unresolved"][0]["target"], "ghost");
    assert_eq!(v["backlinks"], serde_json::json!(["sub/b.md"]));
    // A link by alias reaches nothing (as in Obsidian); a note argument by alias finds it.
    let o = run_in(dir.path(), &["--vault", ".", "links", "에이", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["path"], "a.md");
    let o = run_in(dir.path(), &["--vault", ".", "links", "b", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["unresolved"][0]["target"], "에이");
    // By title: the heading is one only with --title-from heading.
    let o = run_in(dir.path(), &["--vault", ".", "links", "B title"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run_in(
        dir.path(),
        &[
            "--vault",
            ".",
            "--title-from",
            "heading",
            "links",
            "B title",
        ],
    );
    let text = stdout(&o);
    assert!(
        text.starts_with("B title  sub/b.md")
            && text.contains("Backlinks (1)")
            && text.contains("a.md"),
        "{text}"
    );
    // An unknown note is an error with a hint.
    let o = run_in(dir.path(), &["--vault", ".", "links", "bb"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no note has"),
        "{o:?}"
    );
}

#[test]
fn titles_come_from_the_property_else_the_file_name_or_the_heading_when_asked() {
    let dir = vault(&[
        ("DREAD.md", "# Damage Potential\n"),
        ("titled.md", "---\ntitle: A Title\n---\n# Heading\n"),
    ]);
    let titles = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["--vault", "."];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["list", "--json"]);
        let o = run_in(dir.path(), &args);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(titles(&[]), ["A Title", "DREAD"]);
    assert_eq!(titles(&["--title-from", "file-name"]), ["A Title", "DREAD"]);
    assert_eq!(
        titles(&["--title-from", "heading"]),
        ["A Title", "Damage Potential"]
    );
}

#[test]
fn check_exits_1_and_names_each_problem() {
    let dir = vault(&[
        ("ok.md", "[[missing]]"),
        ("bad.md", "---\ntags: [a\n---\n"),
        ("x.md", "---\naliases: [ok]\n---\n"),
        ("y.md", "---\naliases: [OK]\n---\n"),
    ]);
    let o = run_in(dir.path(), &["--vault", ".", "check"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.contains("bad.md:3: invalid YAML"), "{text}");
    assert!(
        text.contains("ok.md:1: unresolved link [[missing]]"),
        "{text}"
    );
    assert!(
        text.contains("y.md: alias \"OK\" is also an alias of x.md"),
        "{text}"
    );
    let o = run_in(dir.path(), &["--vault", ".", "check", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let kinds: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["front-matter", "unresolved-link", "duplicate-alias"]
    );
}

#[test]
fn control_characters_from_notes_never_reach_the_output() {
    let dir = vault(&[(
        "evil\u{1b}[31m.md",
        "---\ntitle: \"Owned\\e]0;title\\a\\u202Egnp\"\naliases: [\"\\e[2J\"]\ntags: [\"x\\u202Ey\"]\n---\n**Question:** why\\\u{1b}[1A?\n- A) \u{9b}1m\n**정답: A) \u{9b}1m**\n[[\u{1b}[5m]]\n",
    )]);
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["search", "Owned"],
        &["search", "Owned", "--json"],
        &["questions"],
        &["questions", "--json"],
        &["check"],
        &["tags"],
        &["tags", "--json"],
        &["links", "Owned\u{1b}]0;title\u{7}\u{202e}gnp"],
    ] {
        let mut full = vec!["--vault", "."];
        full.extend_from_slice(args);
        let o = run_in(dir.path(), &full);
        let text = stdout(&o);
        for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202E}'] {
            assert!(!text.contains(bad), "{args:?} printed {bad:?}: {text:?}");
        }
        assert!(
            o.status.success() || args[0] == "check",
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            text.contains('␛') || text.contains('\u{FFFD}'),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn piped_output_is_plain_unless_colour_is_forced() {
    let plain = stdout(&run(&["list"]));
    assert!(!plain.contains('\u{1b}'));
    let forced = stdout(&run(&["--color", "always", "list"]));
    assert!(forced.contains("\u{1b}["));
    let never = stdout(&run(&["--color", "never", "search", "vpcsm"]));
    assert!(!never.contains('\u{1b}'));
}

#[test]
fn the_vault_comes_from_the_flag_the_environment_or_notes() {
    let dir = vault(&[("only-here.md", "# Only here")]);
    let via_env = Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .args(["list", "--json"])
        .current_dir(manifest())
        .env("VAULTSCOPE_VAULT", dir.path())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&via_env.stdout).unwrap();
    // No title property: the file name is the title, as Obsidian lists it.
    assert_eq!(v[0]["title"], "only-here");
    assert_eq!(v.as_array().unwrap().len(), 1);
    // An empty variable counts as unset.
    let empty = Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .args(["list", "--json"])
        .current_dir(manifest())
        .env("VAULTSCOPE_VAULT", "")
        .output()
        .unwrap();
    assert!(
        empty.status.success(),
        "{}",
        String::from_utf8_lossy(&empty.stderr)
    );
    // No flag, no variable: ./notes from the project folder, else the current folder.
    let from_notes = json(&["list", "--json"]);
    assert!(from_notes.as_array().unwrap().len() >= 16);
    let o = run_in(dir.path(), &["list", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["path"], "only-here.md");
}

#[test]
fn without_a_terminal_the_explorer_says_so_and_lists() {
    let o = run(&[]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("sagemaker-vpc-privatelink-security"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not a terminal") && err.contains("vaultscope --help"),
        "{err}"
    );
}

/// Tag characters (U+E0000..U+E007F) spell a hidden text; none is printed, wherever aliases
/// are.
#[test]
fn tag_characters_in_aliases_never_reach_the_output() {
    // "visible" followed by tags spelling "run rm", then the cancel tag.
    let hidden = "visible\u{E0072}\u{E0075}\u{E006E}\u{E0020}\u{E0072}\u{E006D}\u{E007F}";
    let dir = vault(&[(
        "tagged.md",
        &format!(
            "---\ntitle: Tagged{hidden}\naliases: [\"{hidden}\", other]\ntags: [t]\n---\nbody\n"
        ),
    )]);
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["search", "visible"],
        &["search", "visible", "--json"],
        &["search", "Tagged"],
        &["show", "tagged"],
    ] {
        let mut full = vec!["--vault", "."];
        full.extend_from_slice(args);
        let o = run_in(dir.path(), &full);
        let text = stdout(&o);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            !text
                .chars()
                .any(|c| ('\u{E0000}'..='\u{E007F}').contains(&c)),
            "{args:?} printed tag characters: {text:?}"
        );
        assert!(
            text.contains("visible") || text.contains("Tagged"),
            "{args:?}: {text}"
        );
    }
    let o = run_in(dir.path(), &["--vault", ".", "search", "visible"]);
    assert!(
        stdout(&o).contains("visible\u{FFFD}\u{FFFD}"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn show_draws_diagram_blocks_as_the_content_pane_does_or_prints_their_sources() {
    let note = "---\ntitle: flow\n---\n```mermaid\nflowchart LR\n  A[사용자] --> B[서버]\n```\n\n\
```\n[보안] ──▶ [VPC]\n```\n";
    let dir = vault(&[("flow.md", note)]);
    let show = |mode: &str| {
        let o = run_in(
            dir.path(),
            &[
                "--vault",
                ".",
                "show",
                "flow",
                "--width",
                "60",
                "--diagrams",
                mode,
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        stdout(&o)
    };
    // auto (the default): the Mermaid block drawn, the ASCII picture as its author drew it.
    let auto = show("auto");
    assert!(auto.contains("◆ diagram 1/2 · D source"), "{auto}");
    assert!(
        auto.contains("│ 사용자 ├") && !auto.contains("flowchart"),
        "{auto}"
    );
    assert!(
        auto.contains("╭─ ◆ diagram 2/2 · as its author drew it"),
        "{auto}"
    );
    assert!(auto.contains("│ [보안] ──▶ [VPC]"), "{auto}");
    let default = run_in(
        dir.path(),
        &["--vault", ".", "show", "flow", "--width", "60"],
    );
    assert_eq!(stdout(&default), auto);
    // drawn: both drawn; source: both as written.
    let drawn = show("drawn");
    assert!(
        drawn.contains("◆ diagram 2/2 · D source") && drawn.contains("│ 보안 ├"),
        "{drawn}"
    );
    let source = show("source");
    assert!(
        source.contains("│ flowchart LR") && source.contains("│ [보안] ──▶ [VPC]"),
        "{source}"
    );
    assert!(source.contains("╭─ ◆ diagram 1/2 · D drawing"), "{source}");
}
