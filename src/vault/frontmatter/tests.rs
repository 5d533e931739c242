use super::*;

fn fm(src: &str) -> (FrontMatter, Vec<FieldIssue>) {
    match split(src) {
        Block::Closed { yaml, .. } => parse(yaml, 2).expect("parses"),
        other => panic!("not closed: {other:?}"),
    }
}

#[test]
fn split_finds_the_block() {
    // (source, yaml, body start offset, body start line)
    let cases: &[(&str, &str, usize, usize)] = &[
        ("---\ntitle: a\n---\nbody", "title: a\n", 17, 4),
        ("---\r\ntitle: a\r\n---\r\nbody", "title: a\r\n", 20, 4),
        ("---\ntitle: a\n...\nbody", "title: a\n", 17, 4),
        ("---  \n\ntitle: a\n\n---", "\ntitle: a\n\n", 20, 6),
        ("---\n---\n", "", 8, 3),
    ];
    for &(src, yaml, body_start, body_line) in cases {
        let want = Block::Closed {
            yaml,
            body_start,
            body_line,
        };
        assert_eq!(split(src), want, "{src:?}");
    }
    assert_eq!(split("# no front matter\n---\n"), Block::None);
    assert_eq!(split(" ---\na: b\n---\n"), Block::None);
    assert_eq!(split("----\na: b\n----\n"), Block::None);
    assert_eq!(split("---\ntitle: never closed\n"), Block::Unclosed);
    assert_eq!(split(""), Block::None);
}

#[test]
fn the_seed_shape_parses() {
    let (f, issues) = fm(
        "---\n\ntitle: sagemaker-vpc\ncreated: 2025-08-18\nmodified: 2025-08-18\ntags:\n- service/sagemaker\n- security/vpc-endpoints\naliases: [\"sagemaker-private\", \"vpc-sagemaker\"]\n\n---\n",
    );
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(f.title.as_deref(), Some("sagemaker-vpc"));
    assert_eq!(f.tags, ["service/sagemaker", "security/vpc-endpoints"]);
    assert_eq!(f.aliases, ["sagemaker-private", "vpc-sagemaker"]);
    assert_eq!(f.created.unwrap().text, "2025-08-18");
}

#[test]
fn tag_shapes() {
    let cases: &[(&str, &[&str])] = &[
        ("tags:\n- a\n- b/c", &["a", "b/c"]),
        ("tags: [a, '#b', c/d/e]", &["a", "b", "c/d/e"]),
        ("tags:", &[]),
        ("tags: null", &[]),
        ("tags: []", &[]),
        ("tags: a, b c", &["a", "b", "c"]),
        ("tags: '#x #y'", &["x", "y"]),
        ("tag: 네트워크/보안", &["네트워크/보안"]),
        (
            "tags:\n- machine learning\n- ' spaced / path '",
            &["machine-learning", "spaced/path"],
        ),
        ("tags: [A, a]", &["A"]),
        ("tags: [2024, y2024]", &["y2024"]),
    ];
    for (yaml, want) in cases {
        let (f, _) = fm(&format!("---\n{yaml}\n---\n"));
        assert_eq!(f.tags, *want, "{yaml}");
    }
}

#[test]
fn alias_shapes() {
    let cases: &[(&str, &[&str])] = &[
        ("aliases: [a, b]", &["a", "b"]),
        ("aliases:\n  - 보안 그룹\n  - SG", &["보안 그룹", "SG"]),
        ("alias: one alias, with comma", &["one alias, with comma"]),
        ("aliases:", &[]),
        ("aliases: ~", &[]),
        ("aliases: [a, a, 12]", &["a", "12"]),
    ];
    for (yaml, want) in cases {
        let (f, _) = fm(&format!("---\n{yaml}\n---\n"));
        assert_eq!(f.aliases, *want, "{yaml}");
    }
}

#[test]
fn one_odd_field_keeps_the_others() {
    let (f, issues) =
        fm("---\ntitle: {a: b}\ntags: 123\naliases: [ok]\ncreated: 2025-01-02\n---\n");
    assert_eq!(f.title, None);
    assert!(f.tags.is_empty());
    assert_eq!(f.aliases, ["ok"]);
    assert_eq!(f.created.unwrap().text, "2025-01-02");
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert_eq!(issues[0].line, Some(2));
    assert!(
        issues[0].message.contains("`title` is a mapping"),
        "{}",
        issues[0].message
    );
    assert_eq!(issues[1].line, Some(3));
    assert!(
        issues[1].message.contains("123 is a number"),
        "{}",
        issues[1].message
    );
}

#[test]
fn json_one_liner_hangul_keys_and_properties() {
    let (f, issues) = fm(
        "---\n{\"title\": \"JSON 노트\", \"tags\": [\"x\"], \"분류\": \"네트워크\", \"rating\": 3}\n---\n",
    );
    assert!(issues.is_empty());
    assert_eq!(f.title.as_deref(), Some("JSON 노트"));
    assert_eq!(f.tags, ["x"]);
    assert_eq!(f.properties["분류"], "네트워크");
    assert_eq!(f.properties["rating"], 3);
}

#[test]
fn dates_and_fallback_keys() {
    let (f, issues) = fm("---\ndate: 2025-03-04T10:20:00+09:00\nupdated: 2025-03-05 08:00\n---\n");
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(f.created.unwrap().text, "2025-03-04T10:20:00+09:00");
    assert_eq!(f.modified.unwrap().text, "2025-03-05T08:00:00");
    let (f, issues) = fm("---\ncreated: yesterday\nmodified: 2025-13-01\n---\n");
    assert_eq!((f.created, f.modified), (None, None));
    assert_eq!(issues.len(), 2);
    assert!(issues[0].message.contains("\"yesterday\""));
}

#[test]
fn invalid_yaml_is_reported_with_its_file_line() {
    let err = parse("title: ok\ntags: [a, b\n", 2).unwrap_err();
    assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
    assert!(
        err.message.contains("flow sequence at line 3 column 7"),
        "{}",
        err.message
    );
    assert!(err.line.is_some_and(|l| l >= 3), "{err:?}");
    let err = parse("- just\n- a list\n", 2).unwrap_err();
    assert!(err.message.contains("a list"), "{}", err.message);
}

#[test]
fn deep_looking_but_valid_blocks_parse() {
    let dashes = format!("title: T\ndescription: |\n  {}\n", "-".repeat(70));
    assert_eq!(parse(&dashes, 2).unwrap().0.title.as_deref(), Some("T"));
    let quoted = format!("title: T\nnote: \"{}\"\n", "[".repeat(40));
    assert_eq!(parse(&quoted, 2).unwrap().0.title.as_deref(), Some("T"));
    let items = format!("deep:\n{}x\n", "- ".repeat(40));
    assert!(parse(&items, 2).unwrap_err().message.contains("nests"));
}

/// The limit is exact for brackets whether or not the bytes are walked: 32 nested lists are
/// read, 33 are refused, and 33 side by side (as many brackets, none deeper than 1) are read.
#[test]
fn the_flow_nesting_limit_is_exact() {
    let nested = |n: usize| format!("title: T\na: {}{}\n", "[".repeat(n), "]".repeat(n));
    assert_eq!(parse(&nested(32), 2).unwrap().0.title.as_deref(), Some("T"));
    let err = parse(&nested(33), 2).unwrap_err();
    assert!(err.message.contains("nests 33 levels"), "{}", err.message);
    let flat = format!("title: T\na: [{}]\n", vec!["[x]"; 33].join(", "));
    assert_eq!(parse(&flat, 2).unwrap().0.title.as_deref(), Some("T"));
    let mixed = format!("title: T\na: {{b: {}{}}}\n", "[".repeat(32), "]".repeat(32));
    assert!(
        parse(&mixed, 2)
            .unwrap_err()
            .message
            .contains("nests 33 levels")
    );
}

#[test]
fn hostile_blocks_are_refused_quickly() {
    let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(parse(&deep, 2).unwrap_err().message.contains("nests"));
    let big = format!("a: \"{}\"", "x".repeat(MAX_BYTES));
    assert!(parse(&big, 2).unwrap_err().message.contains("KiB"));
    // Billion laughs: nine levels of ten aliases each would be 10^9 values.
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        laughs.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let err = parse(&laughs, 2).unwrap_err();
    assert!(err.message.contains("values"), "{}", err.message);
}

#[test]
fn repeated_keys_are_reported_with_the_value_that_wins() {
    // (block, title, tags, the issue's line, what its message says)
    type Case = (
        &'static str,
        Option<&'static str>,
        &'static [&'static str],
        Option<usize>,
        &'static str,
    );
    let cases: &[Case] = &[
        (
            "title: first\ntitle: second\n",
            Some("second"),
            &[],
            Some(3),
            "`title` is given 2 times (lines 2, 3); the last one wins: \"second\"",
        ),
        (
            "tags: [a]\nother: x\ntags:\n- b\n- c\n",
            None,
            &["b", "c"],
            Some(4),
            "`tags` is given 2 times (lines 2, 4); the last one wins: [\"b\",\"c\"]",
        ),
        (
            "x: 1\nx: 2\n\"x\": 3\n",
            None,
            &[],
            Some(4),
            "`x` is given 3 times (lines 2, 3, 4); the last one wins: 3",
        ),
        (
            "{title: a, title: b}",
            Some("b"),
            &[],
            None,
            "`title` is given 2 times; the last one wins: \"b\"",
        ),
        (
            "title: 'quoted'\ntitle: |\n  block\n",
            Some("block"),
            &[],
            Some(3),
            "the last one wins: \"block\\n\"",
        ),
    ];
    for &(yaml, title, tags, line, msg) in cases {
        assert_eq!(simple::parse(yaml), None, "the fast path takes {yaml:?}");
        let (f, issues) = parse(yaml, 2).expect("parses");
        assert_eq!(f.title.as_deref(), title, "{yaml:?}");
        assert_eq!(f.tags, tags, "{yaml:?}");
        assert_eq!(issues.len(), 1, "{yaml:?}: {issues:?}");
        assert_eq!(issues[0].line, line, "{yaml:?}");
        assert!(
            issues[0].message.contains(msg),
            "{yaml:?}: {}",
            issues[0].message
        );
    }
    // Repeats below the top are not fields: only the top level is checked.
    let (_, issues) = parse("a:\n  x: 1\nb: [{y: 1}]\n", 2).unwrap();
    assert!(issues.is_empty(), "{issues:?}");
    let long = format!("title: a\ntitle: {}\n", "y".repeat(100));
    let (_, issues) = parse(&long, 2).unwrap();
    assert!(issues[0].message.ends_with("…"), "{}", issues[0].message);
}

#[test]
fn an_invisible_title_is_not_used() {
    // (title as written in YAML, whether it is used)
    let cases: &[(&str, bool)] = &[
        ("\"\\u200B\\u200C\"", false),
        ("\"\\u200E\\u202E \\u2066\"", false),
        ("\u{3164}\u{3164}", false),
        ("\"\\U000E0074\\U000E0065\"", false),
        ("\"\\uFEFF\\u2060\"", false),
        ("\u{3164}제목", true),
        ("\"a\\u200B\"", true),
    ];
    for &(yaml, used) in cases {
        let (f, issues) = parse(&format!("title: {yaml}\n"), 2).expect("parses");
        assert_eq!(f.title.is_some(), used, "{yaml}: {f:?}");
        if used {
            assert!(issues.is_empty(), "{yaml}: {issues:?}");
        } else {
            assert_eq!(issues.len(), 1, "{yaml}: {issues:?}");
            assert_eq!(issues[0].line, Some(2));
            assert!(
                issues[0].message.contains("shows as nothing"),
                "{}",
                issues[0].message
            );
            assert!(issues[0].message.contains("U+"), "{}", issues[0].message);
        }
    }
    // Blank is no title and no issue, as before.
    let (f, issues) = parse("title: \"  \"\n", 2).unwrap();
    assert_eq!((f.title, issues.len()), (None, 0));
}
