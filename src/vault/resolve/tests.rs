use super::*;

fn note(path: &str, text: &str) -> Note {
    Note::parse(path, text, 0, None).0
}

/// Notes from `(path, text)`, sorted by path as a vault keeps them, resolved; with the path
/// each link of each note reached (`None` when unresolved, `@file` for an attachment).
fn resolved(files: &[(&str, &str)], attachments: &[&str]) -> (Vec<Note>, Vec<Vec<NoteId>>) {
    let mut notes: Vec<Note> = files.iter().map(|(p, t)| note(p, t)).collect();
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    let attachments: Vec<String> = attachments.iter().map(|a| (*a).to_owned()).collect();
    let back = resolve_links(&mut notes, &attachments);
    (notes, back)
}

fn reached(notes: &[Note], path: &str) -> Vec<Option<String>> {
    let n = notes.iter().find(|n| n.path == path).expect("note");
    n.links
        .iter()
        .map(|l| match &l.resolved {
            Resolved::Note(id) => Some(notes[*id].path.clone()),
            Resolved::Attachment(a) => Some(format!("@{a}")),
            Resolved::Unresolved => None,
        })
        .collect()
}

fn some(p: &str) -> Option<String> {
    Some(p.to_owned())
}

#[test]
fn links_resolve_by_path_and_file_name_never_by_title_or_alias() {
    let (notes, back) = resolved(
        &[
            (
                "a/one.md",
                "---\ntitle: First Note\naliases: [첫째, uno]\n---\n[[two]] [[B/Two]] [[#self]] [[nowhere]] ![[pic.png]]",
            ),
            (
                "b/two.md",
                "# Second heading\n[[first note]] [[첫째]] [[../../etc/passwd]] [[one.md]] [[a/one]] [[Second heading]]",
            ),
            ("c/deep/three.md", "[[deep/three]] [[UNO|x]]"),
        ],
        &["img/pic.png"],
    );
    assert_eq!(
        reached(&notes, "a/one.md"),
        [
            some("b/two.md"),
            some("b/two.md"),
            some("a/one.md"),
            None,
            some("@img/pic.png")
        ]
    );
    assert_eq!(
        reached(&notes, "b/two.md"),
        [None, None, None, some("a/one.md"), some("a/one.md"), None]
    );
    assert_eq!(
        reached(&notes, "c/deep/three.md"),
        [some("c/deep/three.md"), None]
    );
    assert_eq!(back, [vec![1], vec![0], vec![]]);
    // What a user types still finds notes by title and alias.
    let r = Resolver::new(&notes, &[]).with_names(&notes);
    assert_eq!(r.note("first note"), Some(0));
    assert_eq!(r.note("UNO"), Some(0));
    assert_eq!(r.note("b/two.md"), Some(1));
    assert_eq!(r.note("three"), Some(2));
}

#[test]
fn a_shared_file_name_resolves_to_the_nearest() {
    let files = [
        ("SAA/보안그룹.md", ""),
        (
            "SAA/문제.md",
            "[[보안그룹]] [[SAP/보안그룹]] [[보안그룹#규칙]]",
        ),
        ("SAP/보안그룹.md", ""),
        (
            "SAP/문제.md",
            "[[보안그룹]] [[SAA/보안그룹]] [[./보안그룹]] [[../SAA/보안그룹.md]]",
        ),
        // No copy in its own folder: the shortest path wins, then the first in path order.
        ("other/문제.md", "[[보안그룹]] [[vpc]] [[note]]"),
        ("zz/vpc.md", ""),
        ("aa/long-folder/vpc.md", ""),
        ("x/note.md", ""),
        ("y/note.md", ""),
    ];
    let (notes, _) = resolved(&files, &[]);
    assert_eq!(
        reached(&notes, "SAA/문제.md"),
        [
            some("SAA/보안그룹.md"),
            some("SAP/보안그룹.md"),
            some("SAA/보안그룹.md")
        ]
    );
    assert_eq!(
        reached(&notes, "SAP/문제.md"),
        [
            some("SAP/보안그룹.md"),
            some("SAA/보안그룹.md"),
            some("SAP/보안그룹.md"),
            some("SAA/보안그룹.md")
        ]
    );
    assert_eq!(
        reached(&notes, "other/문제.md"),
        [
            some("SAA/보안그룹.md"),
            some("zz/vpc.md"),
            some("x/note.md")
        ]
    );
}

#[test]
fn a_note_at_the_root_is_the_shortest_but_the_own_folder_comes_first() {
    let (notes, _) = resolved(
        &[
            ("index.md", "[[topic]]"),
            ("topic.md", ""),
            ("a/topic.md", ""),
            ("a/b.md", "[[topic]] [[/topic]]"),
            ("c/d.md", "[[topic]]"),
        ],
        &[],
    );
    assert_eq!(
        reached(&notes, "a/b.md"),
        [some("a/topic.md"), some("topic.md")]
    );
    assert_eq!(reached(&notes, "c/d.md"), [some("topic.md")]);
    assert_eq!(reached(&notes, "index.md"), [some("topic.md")]);
}

#[test]
fn folder_targets_from_the_root_then_the_own_folder_then_as_a_trailing_path() {
    let (notes, _) = resolved(
        &[
            ("x/sub/n.md", ""),
            ("y/sub/n.md", ""),
            ("y/link.md", "[[sub/n]] [[y/sub/n]]"),
            (
                "z/link.md",
                "[[sub/n]] [[./sub/n]] [[../x/sub/n]] [[../../x/sub/n]]",
            ),
            ("sub/n.md", ""),
        ],
        &[],
    );
    // `sub/n` is a path from the root first.
    assert_eq!(
        reached(&notes, "y/link.md"),
        [some("sub/n.md"), some("y/sub/n.md")]
    );
    assert_eq!(
        reached(&notes, "z/link.md"),
        [some("sub/n.md"), None, some("x/sub/n.md"), None]
    );
    let (notes, _) = resolved(
        &[
            ("x/sub/n.md", ""),
            ("y/sub/n.md", ""),
            ("y/link.md", "[[sub/n]]"),
            ("q/link.md", "[[sub/n]]"),
        ],
        &[],
    );
    // No `sub/n.md` at the root: the linking note's folder, else the first trailing match.
    assert_eq!(reached(&notes, "y/link.md"), [some("y/sub/n.md")]);
    assert_eq!(reached(&notes, "q/link.md"), [some("x/sub/n.md")]);
}

#[test]
fn attachments_resolve_to_the_nearest_too() {
    let (notes, _) = resolved(
        &[
            ("a/n.md", "![[d.png]] ![[img/d.png]] ![[D.PNG|300]]"),
            ("b/n.md", "![[d.png]]"),
        ],
        &["a/d.png", "b/img/d.png", "c/d.png"],
    );
    assert_eq!(
        reached(&notes, "a/n.md"),
        [some("@a/d.png"), some("@b/img/d.png"), some("@a/d.png")]
    );
    assert_eq!(reached(&notes, "b/n.md"), [some("@a/d.png")]);
}

#[test]
fn names_match_whatever_their_unicode_form() {
    // 보안 decomposed (as macOS writes file names) and composed (as typed).
    let nfd: String = "보안".nfd().collect();
    assert_ne!(nfd, "보안");
    let path = format!("{nfd}.md");
    let (notes, _) = resolved(&[(&path, ""), ("n.md", "[[보안]] [[보안.md]]")], &[]);
    assert_eq!(reached(&notes, "n.md"), [some(&path), some(&path)]);
}

#[test]
fn markdown_and_property_links_resolve_like_wikilinks() {
    let (notes, back) = resolved(
        &[
            ("SAA/보안그룹.md", ""),
            ("SAP/보안그룹.md", ""),
            (
                "SAP/x.md",
                "---\nrelated: \"[[보안그룹]]\"\nsee:\n  - \"[[SAA/보안그룹]]\"\n---\n[a](보안그룹.md) [b](../SAA/%EB%B3%B4%EC%95%88%EA%B7%B8%EB%A3%B9.md) [c](<SAA/보안그룹.md#규칙>)",
            ),
        ],
        &[],
    );
    assert_eq!(
        reached(&notes, "SAP/x.md"),
        [
            some("SAP/보안그룹.md"),
            some("SAA/보안그룹.md"),
            some("SAP/보안그룹.md"),
            some("SAA/보안그룹.md"),
            some("SAA/보안그룹.md"),
        ]
    );
    // In path order: SAA/보안그룹.md, SAP/x.md, SAP/보안그룹.md.
    let x = &notes[1];
    let forms: Vec<LinkForm> = x.links.iter().map(|l| l.raw.form).collect();
    assert_eq!(
        forms,
        [
            LinkForm::Property,
            LinkForm::Property,
            LinkForm::Markdown,
            LinkForm::Markdown,
            LinkForm::Markdown
        ]
    );
    assert_eq!(
        x.links.iter().map(|l| l.raw.line).collect::<Vec<_>>(),
        [2, 4, 6, 6, 6]
    );
    assert_eq!(back, [vec![1], vec![], vec![1]]);
}

/// `folder/note` targets over 100k paths whose file names repeat in 1,000 folders each:
/// every target resolves as a scan of all paths by suffix would (the shortest, then the first
/// in path order).
#[test]
fn folder_suffix_targets_resolve_as_a_scan_would_over_100k_paths() {
    let mut notes: Vec<Note> = (0..100_000)
        .map(|i| {
            let path = format!("p{}/q{}/note{}.md", i % 10, (i / 10) % 100, i / 1000);
            note(&path, "")
        })
        .collect();
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    let r = Resolver::new(&notes, &[]);
    let targets: Vec<String> = (0..50_000)
        .map(|k| match k % 4 {
            0 => format!("q{}/note{}", k % 100, k % 97),
            1 => format!("P{}/Q{}/Note{}.md", k % 10, k % 100, k % 89),
            2 => format!("q{}/note{}/", k % 100, k % 83),
            _ => format!("q{}/missing{}", k % 100, k),
        })
        .collect();
    let mut scratch = String::new();
    let id = |res: Resolved| match res {
        Resolved::Note(id) => Some(id),
        _ => None,
    };
    let got: Vec<Option<NoteId>> = targets
        .iter()
        .map(|t| id(r.link(t, "elsewhere", &mut scratch)))
        .collect();
    let lowered: Vec<String> = notes
        .iter()
        .map(|n| {
            n.path
                .to_lowercase()
                .strip_suffix(".md")
                .unwrap()
                .to_owned()
        })
        .collect();
    let scan = |t: &str| {
        let path = t.trim_end_matches('/').to_lowercase();
        let path = path.strip_suffix(".md").unwrap_or(&path);
        let suffix = format!("/{path}");
        lowered
            .iter()
            .enumerate()
            .filter(|(_, p)| *p == path || p.ends_with(&suffix))
            .min_by_key(|(i, p)| (p.chars().count(), *i))
            .map(|(i, _)| i)
    };
    for (t, g) in targets.iter().zip(&got).step_by(250) {
        assert_eq!(*g, scan(t), "{t}");
    }
    // The first folder in path order wins among the ten `pN/q7/note3` that end alike.
    assert_eq!(notes[r.note("q7/note3").unwrap()].path, "p0/q7/note3.md");
    assert_eq!(got.iter().filter(|g| g.is_some()).count(), 37_500);
}

/// One file name in 50,000 folders, each folder's note linking to it: every link opens its
/// own folder's copy, in one or two lookups (a scan of the candidates per link would be 2.5
/// billion comparisons).
#[test]
fn a_name_shared_by_fifty_thousand_notes_resolves_in_linear_time() {
    let mut notes: Vec<Note> = Vec::with_capacity(100_000);
    for i in 0..50_000 {
        notes.push(note(&format!("f{i}/index.md"), ""));
        notes.push(note(&format!("f{i}/page.md"), "[[index]] [[index.md]]"));
    }
    notes.push(note("lonely/page.md", "[[index]]"));
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    let started = std::time::Instant::now();
    resolve_links(&mut notes, &[]);
    let elapsed = started.elapsed();
    for n in notes.iter().filter(|n| n.path.ends_with("page.md")) {
        let folder = n.path.rsplit_once('/').unwrap().0;
        for l in &n.links {
            let Resolved::Note(to) = l.resolved else {
                panic!("{}: unresolved", n.path)
            };
            if folder == "lonely" {
                // The shortest path, then the first in path order: f0/index.md.
                assert_eq!(notes[to].path, "f0/index.md");
            } else {
                assert_eq!(notes[to].path, format!("{folder}/index.md"));
            }
        }
    }
    // Generous for a debug build on a busy machine; a quadratic pass takes minutes.
    assert!(elapsed.as_secs() < 20, "{elapsed:?}");
    assert_eq!(ambiguous_names(&notes).len(), 2);
}

#[test]
fn links_only_a_title_or_alias_reaches_are_told_apart() {
    let (notes, _) = resolved(
        &[
            (
                "Artificial Intelligence.md",
                "---\naliases: [AI]\n---\n# Machines that think\n",
            ),
            ("calculus.md", "# Basic\n"),
            ("t.md", "---\ntitle: Titled\n---\n"),
            (
                "n.md",
                "---\nup: \"[[AI]]\"\n---\n[[AI]] [[BASIC]] [[titled#x]] [[ghost]] [[Artificial Intelligence|AI]]",
            ),
        ],
        &[],
    );
    let p = link_problems(&notes);
    let got: Vec<(ProblemKind, usize)> = p.iter().map(|p| (p.kind, p.line.unwrap())).collect();
    assert_eq!(
        got,
        [
            (ProblemKind::AliasOnlyLink, 2),
            (ProblemKind::AliasOnlyLink, 4),
            (ProblemKind::AliasOnlyLink, 4),
            (ProblemKind::AliasOnlyLink, 4),
            (ProblemKind::UnresolvedLink, 4),
        ]
    );
    assert!(p[0].message.contains("(in a property)"), "{}", p[0].message);
    assert!(
        p[1].message.contains("did you mean the note with alias \"AI\" (Artificial Intelligence.md)? Links reach notes by file name: [[Artificial Intelligence|AI]]"),
        "{}",
        p[1].message
    );
    // The note's own spelling, and the shortest link that reaches it.
    assert!(
        p[2].message
            .contains("first heading \"Basic\" (calculus.md)")
            && p[2].message.ends_with("[[calculus|BASIC]]"),
        "{}",
        p[2].message
    );
    assert!(
        p[3].message.contains("with title \"Titled\" (t.md)")
            && p[3].message.ends_with("[[t|titled]]"),
        "{}",
        p[3].message
    );
    assert!(p[4].message.contains("[[ghost]]"), "{}", p[4].message);
}

/// A name that several notes carry is suggested from an alias before a title before a first
/// heading, whatever the notes' order, and of two notes alike from the first in path order.
#[test]
fn an_alias_is_suggested_before_a_title_before_a_heading() {
    let (notes, _) = resolved(
        &[
            ("a-heading.md", "# Shared\n\n# Other\n"),
            ("b-title.md", "---\ntitle: Shared\n---\n# Other\n"),
            ("c-alias.md", "---\naliases: [Shared, Other]\n---\n"),
            ("d-alias.md", "---\naliases: [shared]\n---\n"),
            ("e-title.md", "---\ntitle: Lone\n---\n"),
            ("f-heading.md", "# Lone\n"),
            ("n.md", "[[SHARED]] [[lone]] [[other]]"),
        ],
        &[],
    );
    let said: Vec<String> = link_problems(&notes)
        .into_iter()
        .map(|p| p.message)
        .collect();
    assert_eq!(said.len(), 3, "{said:#?}");
    assert!(
        said[0].contains("alias \"Shared\" (c-alias.md)"),
        "{}",
        said[0]
    );
    assert!(
        said[1].contains("title \"Lone\" (e-title.md)"),
        "{}",
        said[1]
    );
    assert!(
        said[2].contains("alias \"Other\" (c-alias.md)"),
        "{}",
        said[2]
    );
}

#[test]
fn shared_file_names_are_reported_once_each() {
    let (notes, _) = resolved(
        &[
            ("SAA/보안그룹.md", ""),
            ("SAP/보안그룹.md", ""),
            ("x/Index.md", ""),
            ("index.md", ""),
            ("y/index.md", ""),
            ("unique.md", ""),
        ],
        &[],
    );
    let p = ambiguous_names(&notes);
    let got: Vec<(&str, ProblemKind)> = p.iter().map(|p| (p.path.as_str(), p.kind)).collect();
    assert_eq!(
        got,
        [
            ("SAA/보안그룹.md", ProblemKind::AmbiguousName),
            ("index.md", ProblemKind::AmbiguousName)
        ]
    );
    assert!(
        p[1].message
            .contains("shared by 3 notes (index.md, x/Index.md, y/index.md)")
            && p[1].message.ends_with("else index.md"),
        "{}",
        p[1].message
    );
    assert!(ProblemKind::AmbiguousName.is_informational());
    assert!(!ProblemKind::AliasOnlyLink.is_informational());
}

#[test]
fn duplicate_alias_is_reported_once_per_extra_note() {
    let notes = vec![
        note("a.md", "---\naliases: [X, y]\n---\n"),
        note("b.md", "---\naliases: [x]\n---\n"),
    ];
    let p = duplicate_aliases(&notes);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].path, "b.md");
    assert!(p[0].message.contains("a.md"));
}

#[test]
fn a_symlinked_copy_of_a_note_is_not_a_duplicate_owner() {
    let mut a = note("a.md", "---\naliases: [X]\n---\n");
    let mut b = note("link-to-a.md", "---\naliases: [X]\n---\n");
    a.file = "/v/a.md".into();
    b.file = "/v/a.md".into();
    assert!(duplicate_aliases(&[a.clone(), b.clone()]).is_empty());
    let mut c = note("sub/a.md", "");
    c.file = "/v/a.md".into();
    assert!(ambiguous_names(&[a.clone(), c]).is_empty());
    // A second path to a note under another file name counts under neither name: `link` is
    // then the name of one note only.
    let mut d = note("link.md", "");
    d.file = "/v/a.md".into();
    let mut e = note("other/link.md", "");
    e.file = "/v/other/link.md".into();
    assert!(ambiguous_names(&[a.clone(), d.clone(), e.clone()]).is_empty());
    d.file = "/v/link.md".into();
    let p = ambiguous_names(&[a.clone(), d, e]);
    assert_eq!(p.len(), 1);
    assert!(
        p[0].message
            .contains("shared by 2 notes (link.md, other/link.md)"),
        "{}",
        p[0].message
    );
    b.file = "/v/other.md".into();
    assert_eq!(duplicate_aliases(&[a, b]).len(), 1);
}

/// The plain-target shortcut of `Target::parse` gives what parsing segment by segment gives.
#[test]
fn plain_targets_parse_as_segment_by_segment() {
    let targets = [
        "",
        " ",
        "a",
        "A",
        "a.md",
        "a.MD",
        ".md",
        "a/.md",
        "a/b",
        "A/B.md",
        "a//b",
        "/a",
        "a/",
        "./a",
        "../a",
        "a/./b",
        "a/../b",
        "..",
        ".",
        "a\\b",
        "CI/CD for ML",
        "보안그룹",
        "SAA/보안그룹.md",
        "a.b/c.d",
        "...",
        "a/...",
        "x/y/z",
        "Ａ",
        "e\u{301}",
        "é/x",
    ];
    for t in targets {
        for strip in [true, false] {
            assert_eq!(
                Target::parse(t, strip),
                Target::parse_segments(&key(t.trim()), strip),
                "{t:?} strip {strip}"
            );
        }
    }
}

/// The shortcuts of `key` (ASCII; ASCII and Hangul syllables) give what the general way gives:
/// on hand-picked names and on every path, title, alias, heading and link target of the
/// fixture vault and of 300 generated notes.
#[test]
fn the_ascii_key_agrees_with_the_unicode_key() {
    let mut corpus: Vec<String> = [
        "",
        " ",
        "a",
        "A",
        "MiXeD Case/Path.MD",
        "CI/CD for ML",
        "\u{7f}~@[`{",
        "ÀB",
        "İstanbul",
        "Straße",
        "ΣΑΣ",
        "e\u{301}",
        "보안그룹",
        "Ａ",
        "Ǆ",
        // Around the Hangul shortcut: syllables with ASCII, the range's ends and just past
        // them, conjoining jamo (which compose into syllables), a decomposed syllable, a
        // syllable followed by a trailing jamo (NFC makes them one), and full-width letters.
        "SAA/보안 그룹 Group",
        "가힣",
        "\u{ABFF}\u{D7A4}",
        "\u{1100}\u{1161}",
        "\u{1100}\u{1161}\u{11A8}",
        "가\u{11A8}",
        "한Ａ",
        "ㅂㅇㄱㄹ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut notes: Vec<Note> = crate::genvault::generate(300, 7)
        .into_iter()
        .map(|g| note(&g.rel_path.to_string_lossy(), &g.content))
        .collect();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/obsidian");
    notes.extend(crate::vault::Vault::load(&fixture).unwrap().notes);
    for n in &notes {
        corpus.extend([n.path.clone(), n.title.clone(), n.stem.clone()]);
        corpus.extend(n.aliases.iter().cloned());
        corpus.extend(n.heading.iter().cloned());
        corpus.extend(n.links.iter().map(|l| l.raw.target.clone()));
    }
    assert!(corpus.len() > 3_000, "{}", corpus.len());
    let (mut lowered, mut hangul) = (0, 0);
    // One buffer for all, as the checks reuse theirs: what an earlier key left in it never
    // shows in a later one.
    let mut buf = String::new();
    for s in &corpus {
        assert_eq!(key(s), key_unicode(s), "{s:?}");
        assert_eq!(key_in(s, &mut buf), key_unicode(s), "{s:?}");
        lowered += usize::from(s.is_ascii() && matches!(key(s), Cow::Owned(_)));
        hangul += usize::from(
            !s.is_ascii()
                && s.chars()
                    .all(|c| c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c)),
        );
    }
    assert!(lowered > 100, "{lowered}");
    // The Hangul shortcut is taken by many of them (aliases, titles, headings).
    assert!(hangul > 300, "{hangul}");
}
