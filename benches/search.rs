//! Fuzzy search over titles, aliases and file names at 10k and 100k notes, with queries of 3, 6
//! and 12 characters: one full search per query, and a query typed one key at a time (what the
//! search popup does), reported per keystroke.

#[path = "support/genvault.rs"]
mod genvault;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use vaultscope::search::{SearchIndex, Searcher};
use vaultscope::vault::Note;

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

/// Queries of 3, 6 and 12 characters, as a user would type them: Latin and Hangul.
const QUERIES: [&str; 6] = [
    "sag",
    "sgmknt",
    "sagemaker vp",
    "보안",
    "네트워크",
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
        for q in QUERIES {
            group.bench_with_input(BenchmarkId::new("full", q), q, |b, q| {
                b.iter(|| index.search(q, 50))
            });
        }
        // Typing the query key by key; criterion's time is for the whole word.
        for q in ["sagemaker vp", "vpc 엔드포인트 설정"] {
            let keys = q.chars().count();
            group.bench_with_input(
                BenchmarkId::new(format!("typed_{keys}_keys"), q),
                q,
                |b, q| {
                    b.iter(|| {
                        let mut s = Searcher::new(&index);
                        let mut typed = String::new();
                        let mut last = Vec::new();
                        for ch in q.chars() {
                            typed.push(ch);
                            last = s.search(&typed, 50);
                        }
                        last
                    })
                },
            );
        }
        group.finish();
    }
}

fn build(c: &mut Criterion) {
    let notes = notes(100_000);
    c.bench_function("search_index_build_100k", |b| {
        b.iter(|| SearchIndex::build(&notes))
    });
}

criterion_group!(benches, search, build);
criterion_main!(benches);
