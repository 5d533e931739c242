//! Table tests of the search: ranking, fields, positions, budgets, incremental narrowing.

use super::*;

fn notes() -> Vec<Note> {
    [
        ("sagemaker-vpc-privatelink-security.md", "---\ntitle: sagemaker-vpc-privatelink-security\naliases: [sagemaker-private, vpc-sagemaker, privatelink-ml]\n---\n"),
        ("nat-gateway.md", "---\ntitle: NAT Gateway 정리\naliases: [NAT 게이트웨이, natgw]\n---\n"),
        ("vpc-peering.md", "---\ntitle: VPC Peering\naliases: [VPC 피어링]\n---\n"),
    ]
    .iter()
    .map(|(p, t)| Note::parse(p, t, 0, None).0)
    .collect()
}

#[test]
fn alias_match_ranks_the_note_once_with_the_field() {
    let idx = SearchIndex::build(&notes());
    let hits = idx.search("vpcsm", 10);
    assert_eq!(hits[0].note, 0);
    assert_eq!(hits[0].field, Field::Alias);
    assert_eq!(hits[0].text, "vpc-sagemaker");
    assert_eq!(hits[0].positions, [0, 1, 2, 4, 8]);
    assert_eq!(hits.iter().filter(|h| h.note == 0).count(), 1);
}

#[test]
fn hangul_and_smart_case() {
    let idx = SearchIndex::build(&notes());
    let hits = idx.search("게이트", 10);
    assert_eq!(
        (hits[0].note, hits[0].field, hits[0].text.as_str()),
        (1, Field::Alias, "NAT 게이트웨이")
    );
    assert_eq!(hits[0].positions, [4, 5, 6]);
    assert_eq!(idx.search("피어", 10)[0].note, 2);
    assert!(!idx.search("peering", 10).is_empty());
    assert!(
        idx.search("PEERING", 10).is_empty(),
        "upper case makes the query case-sensitive"
    );
    assert!(idx.search("zzz", 10).is_empty());
    assert!(idx.search("", 10).is_empty());
}

#[test]
fn file_stem_is_searched_but_not_twice() {
    let idx = SearchIndex::build(&notes());
    // Title == stem for the first note: one entry, not two. (1 + 3) + (1 + 2 + 1) + (1 + 1 + 1).
    assert_eq!(idx.len(), 11);
    let hits = idx.search("natgateway", 10);
    assert_eq!((hits[0].note, hits[0].field), (1, Field::FileName));
}

#[test]
fn incremental_search_gives_the_same_answers() {
    let idx = SearchIndex::build(&notes());
    let mut s = Searcher::default();
    for q in ["v", "vp", "vpc", "vpcs", "vpcsm", "vpc", "p", "pr", "Pr"] {
        assert_eq!(s.search(&idx, q, 10), idx.search(q, 10), "query {q:?}");
    }
}

#[test]
fn subsequence() {
    assert!(is_subsequence("vp", "vpc"));
    assert!(is_subsequence("vc", "vpc"));
    assert!(!is_subsequence("cv", "vpc"));
    assert!(is_subsequence("", "x"));
}

use crate::genvault;

/// Queries of every kind: single letters and digits, upper case, Hangul, prefixes and
/// words from the titles, spaces, punctuation and repeated letters.
fn queries(index: &SearchIndex) -> Vec<String> {
    let mut qs: Vec<String> = ('a'..='z').chain('0'..='9').map(String::from).collect();
    qs.extend(
        [
            "S",
            "V",
            "NAT",
            "Sag",
            "ss",
            "aa",
            "sess",
            "-",
            "s3",
            "ec2",
            "보",
            "보안",
            "네트워크",
            "보안 설정",
            "nat ",
            "nat g",
            "vpc e",
            "kms key",
            "엔드포인트",
        ]
        .map(String::from),
    );
    for i in (0..index.len() as u32).step_by(97).take(40) {
        let words: Vec<&str> = index.text(i).split_whitespace().collect();
        if let Some(w) = words.first() {
            let w: String = w.chars().take(4).collect();
            qs.push(w.to_lowercase());
            qs.push(w);
        }
        if words.len() > 1 {
            let two: String = format!("{} {}", words[0], words[1])
                .chars()
                .take(7)
                .collect();
            qs.push(two);
        }
    }
    qs.sort();
    qs.dedup();
    qs
}

fn generated_notes() -> Vec<Note> {
    genvault::names(800, 11)
        .into_iter()
        .map(|(stem, title, aliases)| {
            let fm = serde_json::json!({ "title": title, "aliases": aliases });
            Note::parse(&format!("{stem}.md"), &format!("---\n{fm}\n---\n"), 0, None).0
        })
        .collect()
}

fn generated() -> SearchIndex {
    SearchIndex::build(&generated_notes())
}

/// The index of one query's possible strings answers that query as the whole index does,
/// for every query of [`queries`] (Hangul among them) and some the masks hash together; and
/// it is smaller for a query most strings cannot match.
#[test]
fn an_index_of_one_querys_strings_answers_it_as_the_whole_index() {
    let mut all = generated_notes();
    all.extend(notes());
    let notes = all;
    let whole = SearchIndex::build(&notes);
    let mut qs = queries(&whole);
    qs.extend(
        [
            "é", "Ü", "★", "🎯", "a-b", "NAT 게", "ㅂㅇ", "보아", "S3 ", " ",
        ]
        .map(String::from),
    );
    for q in qs {
        let one = SearchIndex::for_query(&notes, &q);
        for limit in [1, 10, usize::MAX] {
            assert_eq!(
                one.search(&q, limit),
                whole.search(&q, limit),
                "{q:?} limit {limit}"
            );
        }
    }
    assert!(SearchIndex::for_query(&notes, "natgw").len() * 10 < whole.len());
    assert_eq!(SearchIndex::for_query(&notes, "보안").len(), whole.len());
}

#[test]
fn the_bound_is_never_below_the_real_score() {
    let index = generated();
    for q in queries(&index) {
        let pattern = Pattern::new(&q);
        for (i, e) in index.entries.iter().enumerate() {
            if let Some(score) = index.matcher.fuzzy_match(index.text(i as u32), &q) {
                let bound = pattern.bound(e) as i64;
                assert!(
                    bound >= score,
                    "{q:?} on {:?}: bound {bound} < score {score}",
                    index.text(i as u32)
                );
                assert!(
                    index.masks[i] & char_mask(&q) == char_mask(&q),
                    "mask rejects a match"
                );
            }
        }
    }
}

#[test]
fn a_spent_budget_still_gives_real_scores_in_order() {
    let index = generated().with_budget(1);
    for q in ["s", "nat ", "보안"] {
        let all = index.search(q, 50);
        assert!(!all.is_empty());
        // A query ending in a syllable is followed by the notes only its completions match
        // (`보안` on the way to `보안그룹`), scored by the Hangul matcher, after the others.
        let real = all
            .iter()
            .take_while(|h| index.matcher.fuzzy_match(&h.text, q).is_some())
            .count();
        assert!(
            all[real..]
                .iter()
                .all(|h| index.matcher.fuzzy_match(&h.text, q).is_none())
        );
        let hits = &all[..real];
        for h in hits {
            assert_eq!(
                index.matcher.fuzzy_match(&h.text, q),
                Some(h.score),
                "{q:?}"
            );
        }
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score), "{q:?}");
        // Every hit is a real match of its note, scored no higher than the note can score.
        let exhaustive = index.search_exhaustive(q, usize::MAX);
        for h in hits {
            assert!(
                exhaustive
                    .iter()
                    .any(|x| x.note == h.note && x.score >= h.score),
                "{q:?}: {h:?}"
            );
        }
    }
}

#[test]
fn pruned_search_equals_exhaustive_search() {
    let index = generated();
    for q in queries(&index) {
        for limit in [1, 10, 50] {
            assert_eq!(
                index.search(&q, limit),
                index.search_exhaustive(&q, limit),
                "{q:?} limit {limit}"
            );
        }
    }
    // Typed a key at a time, narrowing from the previous answer.
    for q in ["sagemaker vp", "nat gateway", "보안 그룹", "VPC endpoint"] {
        let mut s = Searcher::default();
        let mut typed = String::new();
        for ch in q.chars() {
            typed.push(ch);
            assert_eq!(
                s.search(&index, &typed, 20),
                index.search_exhaustive(&typed, 20),
                "typed {typed:?}"
            );
        }
    }
}

#[test]
fn narrowing_from_the_previous_answer_gives_a_fresh_search_s_hits() {
    // With the popup's budget (and a tight one) as without: the candidates a keystroke
    // narrows from are the previous query's, so the tiers scored are the same.
    let (mut asked, mut found) = (0, 0);
    for budget in [usize::MAX, SCORING_BUDGET, 64] {
        let index = generated().with_budget(budget);
        let table: &[&[&str]] = &[
            &["p", "pr", "pri", "priv", "priva", "privat", "private"],
            &[
                "s", "sa", "sag", "sage", "sagem", "sagema", "sagemak", "sagemake",
            ],
            &["n", "na", "nat", "nat ", "nat g", "nat ga"],
            &["v", "vp", "vpc", "vpc ", "vpc e", "vpc en", "vpc end"],
            // Back to a shorter query, then a case change: a fresh search each.
            &["vpc", "vp", "Vp", "VPC"],
            &["a", "aw", "aws", "aws-", "aws-k", "aws-km", "aws-kms"],
            &["ㅂ", "ㅂㅇ", "ㅂㅇㄱ", "ㅂㅇㄱㄹ"],
            &[
                "보",
                "보아",
                "보안",
                "보안 ",
                "보안 ㄱ",
                "보안 그",
                "보안 그루",
                "보안 그룹",
            ],
        ];
        for typing in table {
            let mut s = Searcher::default();
            for q in *typing {
                for limit in [1, 20] {
                    let fresh = Searcher::default().search(&index, q, limit);
                    (asked, found) = (asked + 1, found + usize::from(!fresh.is_empty()));
                    assert_eq!(s.search(&index, q, limit), fresh, "budget {budget}, {q:?}");
                }
            }
        }
    }
    // Not a table of empty answers.
    assert!(found * 4 > asked * 3, "{found} of {asked} found something");
}

#[test]
fn hangul_initials_and_syllables_being_typed_in_names() {
    let notes: Vec<Note> = [
        (
            "networking/security-groups-vs-nacls.md",
            "---\ntitle: Security Groups vs NACLs\naliases: [보안그룹 vs NACL]\n---\n",
        ),
        (
            "vpc-endpoints.md",
            "---\ntitle: VPC 엔드포인트\naliases: [프라이빗 링크]\n---\n",
        ),
        ("bohum.md", "---\ntitle: 보험 정리\n---\n"),
    ]
    .iter()
    .map(|(p, t)| Note::parse(p, t, 0, None).0)
    .collect();
    let idx = SearchIndex::build(&notes);
    // (query, note path, field, matched text, positions)
    let table: &[(&str, &str, Field, &str, &[usize])] = &[
        (
            "ㅂㅇㄱㄹ",
            "networking/security-groups-vs-nacls.md",
            Field::Alias,
            "보안그룹 vs NACL",
            &[0, 1, 2, 3],
        ),
        (
            "ㅍㄹㅇㅂ",
            "vpc-endpoints.md",
            Field::Alias,
            "프라이빗 링크",
            &[0, 1, 2, 3],
        ),
        (
            "vpc 엔ㄷ",
            "vpc-endpoints.md",
            Field::Title,
            "VPC 엔드포인트",
            &[0, 1, 2, 3, 4, 5],
        ),
        (
            "프라이ㅂ",
            "vpc-endpoints.md",
            Field::Alias,
            "프라이빗 링크",
            &[0, 1, 2, 3],
        ),
        (
            "프라입",
            "vpc-endpoints.md",
            Field::Alias,
            "프라이빗 링크",
            &[0, 1, 2, 3],
        ),
        (
            "보ㅇ",
            "networking/security-groups-vs-nacls.md",
            Field::Alias,
            "보안그룹 vs NACL",
            &[0, 1],
        ),
        ("보험", "bohum.md", Field::Title, "보험 정리", &[0, 1]),
    ];
    for &(q, path, field, text, positions) in table {
        let hits = idx.search(q, 10);
        let h = hits
            .first()
            .unwrap_or_else(|| panic!("{q:?} found nothing"));
        assert_eq!(
            (
                notes[h.note].path.as_str(),
                h.field,
                h.text.as_str(),
                h.positions.as_slice()
            ),
            (path, field, text, positions),
            "{q:?}"
        );
    }
    // 보ㅇ is 보 then a syllable starting with ㅇ: not 보험.
    assert!(
        idx.search("보ㅇ", 10)
            .iter()
            .all(|h| notes[h.note].path != "bohum.md")
    );
    assert!(idx.search("ㅎㅎㅎ", 10).is_empty());
}

/// The index is built in parts on all cores; it must be the one a single pass over the notes
/// and a stable sort make: same strings, same note ids and fields, same masks, same order.
#[test]
fn an_index_built_in_parts_equals_one_built_in_one_piece() {
    let notes: Vec<Note> = genvault::names(5000, 7)
        .into_iter()
        .map(|(stem, title, aliases)| {
            let fm = serde_json::json!({ "title": title, "aliases": aliases });
            Note::parse(&format!("{stem}.md"), &format!("---\n{fm}\n---\n"), 0, None).0
        })
        .collect();
    let index = SearchIndex::build(&notes);
    let one = Part::of(&notes, 0, None);
    let mut order: Vec<usize> = (0..one.entries.len()).collect();
    order.sort_by_key(|&i| {
        (
            one.entries[i].len,
            one.entries[i].field,
            one.entries[i].note,
        )
    });
    assert!(
        index.entries.len() > 3 * 5000 / 2,
        "several parts were built"
    );
    assert_eq!(index.entries.len(), order.len());
    for (k, &i) in order.iter().enumerate() {
        let (got, want) = (&index.entries[k], &one.entries[i]);
        let want_text = &one.texts[want.start as usize..(want.start + want.len) as usize];
        assert_eq!(
            (got.note, got.field, index.text(k as u32)),
            (want.note, want.field, want_text),
            "entry {k}"
        );
        assert_eq!(
            (got.lower, got.first, got.heads, got.inner, got.pairs),
            (want.lower, want.first, want.heads, want.inner, want.pairs)
        );
        assert_eq!(index.masks[k], one.masks[i]);
        assert_eq!(index.initials[k], one.initials[i]);
    }
}

/// [`Shape::of`] walks a text once for what six walks found before; each of those walks,
/// written out again here as it was, is the oracle.
#[test]
fn an_entrys_shape_is_what_each_mask_finds_on_its_own() {
    fn positions(text: &str) -> (u128, u128, u64) {
        let (mut heads, mut inner, mut pairs) = (0u128, 0u128, 0u64);
        let mut prev = CharClass::Empty;
        let mut prev_char = None;
        for (j, c) in text.chars().enumerate() {
            let cur = class(c);
            let bonus = position_bonus(prev, cur);
            prev = cur;
            if let Some(p) = prev_char {
                pairs |= pair_bit(p, c);
            }
            prev_char = Some(c);
            if j == 0 {
                continue;
            }
            match bonus {
                BONUS_HEAD => heads |= 1 << char_bit(c),
                0 => {}
                _ => inner |= 1 << char_bit(c),
            }
        }
        (heads, inner, pairs)
    }
    let texts = [
        "",
        "a",
        "NAT Gateway 정리",
        "sagemaker-vpc-privatelink-security",
        "camelCaseTitle v2.0 (draft)",
        "보안 그룹 vs NACL",
        "ㅂㅇㄱㄹ 초성만",
        // Decomposed Hangul (conjoining jamo), as a Mac saves a file name.
        "\u{1107}\u{1169}\u{110B}\u{1161}\u{11AB}",
        "🔐 PrivateLink ✅ 끝",
        "ÀÉÎ straße İstanbul",
        "[[link]] {x} |y| \\z/ ~q ^w `e`",
    ];
    for text in texts {
        let shape = Shape::of(text);
        let (heads, inner, pairs) = positions(text);
        let lower = text
            .bytes()
            .filter(u8::is_ascii_lowercase)
            .fold(0u32, |m, b| m | 1 << (b - b'a'));
        let initials = text.chars().fold(0, |m, c| m | hangul::initial_bit(c));
        assert_eq!(
            (
                shape.chars,
                shape.heads,
                shape.inner,
                shape.pairs,
                shape.lower,
                shape.initials
            ),
            (char_mask(text), heads, inner, pairs, lower, initials),
            "{text:?}"
        );
    }
    assert_ne!(Shape::of("보안").initials, 0, "the test reaches the 초성");
}

#[test]
fn an_ascii_characters_bit_from_the_table_is_its_bit_by_class() {
    for b in 0u8..128 {
        let c = char::from(b);
        assert_eq!(char_bit(c), char_bit_by_class(c), "{c:?}");
    }
    // Beyond ASCII the class decides: Hangul, a capital with a lower case, anything else.
    for c in ['보', '안', 'É', 'é', 'Ω', '中', '🦀', '\u{80}'] {
        assert_eq!(char_bit(c), char_bit_by_class(c), "{c:?}");
        assert!(char_bit(c) < 128);
    }
    assert_eq!(char_bit('É'), char_bit('é'));
    assert_eq!(char_bit('-'), 36 + u32::from(b'-') % 28);
}

#[test]
fn a_strings_mask_holds_the_bit_of_each_of_its_characters() {
    let by_char = |s: &str| s.chars().fold(0u128, |m, c| m | 1 << char_bit(c));
    let notes = generated_notes();
    let strings = notes
        .iter()
        .flat_map(|n| [&n.title, &n.stem].into_iter().chain(&n.aliases))
        .map(String::as_str)
        .chain([
            "",
            "a",
            "Z9",
            "보안 VPC-엔드포인트 🦀 É.",
            "ㅂㅇ",
            "\u{80}x",
            "naïve",
        ]);
    let mut hangul = 0;
    for s in strings {
        assert_eq!(char_mask(s), by_char(s), "{s:?}");
        hangul += usize::from(s.chars().any(hangul::is_hangul));
    }
    assert!(hangul > 100, "the generated titles hold Hangul: {hangul}");
}
