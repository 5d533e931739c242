//! Fuzzy search over titles, aliases and file names at 10k and 100k notes (36k and 365k search
//! strings): one search per query of 3, 6 and 12 characters, the same through the exhaustive
//! reference, and single keystrokes of a query typed one key at a time (the search popup's
//! case: each key narrows from the previous answer; only the key being measured is timed).

#[path = "support/genvault.rs"]
mod genvault;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use vaultscope::search::{SCORING_BUDGET, SearchIndex, Searcher};
use vaultscope::vault::Note;

// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Notes with just the front matter the index reads.
fn notes(n: usize) -> Vec<Note> {
    genvault::names(n, 42)
        .into_iter()
        .map(|(stem, title, aliases)| {
            let fm = serde_json::json!({ "title": title, "aliases": aliases });
            Note::parse(&format!("{stem}.md"), &format!("---\n{fm}\n---\n"), 0, None).0
        })
        .collect()
}

/// The same notes named after their titles, so the file name adds no search string: the
/// issue's target counts titles and aliases only (about 263k strings at 100k notes).
fn notes_titles_and_aliases(n: usize) -> Vec<Note> {
    genvault::names(n, 42)
        .into_iter()
        .map(|(_, title, aliases)| {
            let fm = serde_json::json!({ "title": title, "aliases": aliases });
            Note::parse(
                &format!("{title}.md"),
                &format!("---\n{fm}\n---\n"),
                0,
                None,
            )
            .0
        })
        .collect()
}

/// Queries of 3, 6 and 12 characters, Latin and Hangul.
const QUERIES: [&str; 6] = [
    "sag",
    "sgmknt",
    "sagemaker vp",
    "보안그",
    "네트워크 보안",
    "vpc 엔드포인트 설정",
];

fn search(c: &mut Criterion) {
    for n in [10_000, 100_000] {
        let notes = notes(n);
        let index = SearchIndex::build(&notes);
        let mut group = c.benchmark_group(format!(
            "search_{}k_notes_{}_strings",
            n / 1000,
            index.len()
        ));
        group.sample_size(20);
        for q in QUERIES {
            group.bench_with_input(BenchmarkId::new("pruned", q), q, |b, q| {
                b.iter(|| index.search(q, 50))
            });
            group.bench_with_input(BenchmarkId::new("exhaustive", q), q, |b, q| {
                b.iter(|| index.search_exhaustive(q, 50))
            });
        }
        group.finish();
    }
}

/// One keystroke at a time: the time of `search(prefix + key)` after `search(prefix)`.
fn keystrokes(c: &mut Criterion) {
    for (name, notes) in [
        ("titles_aliases_files", notes(100_000)),
        ("titles_aliases", notes_titles_and_aliases(100_000)),
    ] {
        // As the explorer's search popup builds it.
        let index = SearchIndex::build(&notes).with_budget(SCORING_BUDGET);
        keystrokes_on(
            c,
            &format!("keystroke_100k_notes_{}k_{name}", index.len() / 1000),
            &index,
        );
    }
}

fn keystrokes_on(c: &mut Criterion, group_name: &str, index: &SearchIndex) {
    let mut group = c.benchmark_group(group_name);
    group.sample_size(30);
    // Latin words a letter at a time; Hangul as an IME shows it (a syllable grows, and its
    // last consonant may move on to the next one).
    let by_char = |w: &str| -> Vec<String> {
        let chars: Vec<char> = w.chars().collect();
        (1..=chars.len())
            .map(|k| chars[..k].iter().collect())
            .collect()
    };
    let typings: Vec<Vec<String>> = vec![
        by_char("sagemaker vp"),
        by_char("nat gateway"),
        by_char("private"),
        [
            "보",
            "봉",
            "보아",
            "보안",
            "보안ㄱ",
            "보안그",
            "보안그루",
            "보안그룹",
        ]
        .map(String::from)
        .to_vec(),
        ["ㅂ", "ㅂㅇ", "ㅂㅇㄱ", "ㅂㅇㄱㄹ"]
            .map(String::from)
            .to_vec(),
    ];
    for typing in &typings {
        for k in 0..typing.len() {
            let typed = typing[k].clone();
            let before = if k == 0 {
                String::new()
            } else {
                typing[k - 1].clone()
            };
            group.bench_with_input(BenchmarkId::from_parameter(&typed), &typed, |b, typed| {
                b.iter_batched(
                    || {
                        let mut s = Searcher::default();
                        if !before.is_empty() {
                            s.search(index, &before, 50);
                        }
                        s
                    },
                    |mut s| s.search(index, typed, 50),
                    BatchSize::LargeInput,
                )
            });
        }
    }
    group.finish();
}

fn build(c: &mut Criterion) {
    let notes = notes(100_000);
    let mut group = c.benchmark_group("index_build");
    group.sample_size(10);
    group.bench_function("100k_notes", |b| b.iter(|| SearchIndex::build(&notes)));
    group.finish();
}

criterion_group!(benches, search, keystrokes, build);
criterion_main!(benches);
