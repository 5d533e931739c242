//! Loading a vault: walk, read, parse front matter and bodies, resolve links, on generated
//! vaults of 1k and 10k notes (see `support/genvault.rs`); and a second start through the
//! metadata cache.

#[path = "support/genvault.rs"]
mod genvault;

use criterion::{Criterion, criterion_group, criterion_main};
use vaultscope::vault::{Depth, Vault};

// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for notes in [1_000, 10_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        let bytes = genvault::write_vault(dir.path(), notes, 42).expect("vault written");
        group.throughput(criterion::Throughput::Bytes(bytes));
        for depth in [Depth::Outline, Depth::Full] {
            group.bench_function(format!("{notes}_notes_{depth:?}").to_lowercase(), |b| {
                b.iter(|| Vault::load_to(dir.path(), depth).expect("loads"))
            });
        }
    }
    group.finish();
}

/// Parsing one note already in memory (front matter, body index, questions), no I/O.
fn parse(c: &mut Criterion) {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/notes/sagemaker-vpc-privatelink-security.md"
    ))
    .expect("seed note");
    let notes = genvault::generate(1_000, 42);
    let largest = notes.iter().max_by_key(|n| n.content.len()).expect("notes");
    let mut group = c.benchmark_group("parse_note");
    group.bench_function("seed", |b| {
        b.iter(|| vaultscope::vault::Note::parse("seed.md", &seed, 0, None))
    });
    group.bench_function(
        format!("largest_of_1k_{}KB", largest.content.len() / 1024),
        |b| b.iter(|| vaultscope::vault::Note::parse("big.md", &largest.content, 0, None)),
    );
    group.finish();
}

/// Resolving 50k links containing `/` over 100k note paths whose file names repeat across
/// 1,000 folders: half name a note by folder and file (`[[q7/note3]]`), half a title with a
/// slash (`[[A/B Testing 12]]`, as real vaults write `[[CI/CD for ML]]`), which no path ends
/// with (each was a scan of every path per link before the suffix index).
fn resolve(c: &mut Criterion) {
    use vaultscope::vault::{Note, resolve::resolve_links};
    let mut notes: Vec<Note> = (0..100_000)
        .map(|i| {
            let path = format!("p{}/q{}/note{}.md", i % 10, (i / 10) % 100, i / 1000);
            let text = match i % 4 {
                0 => format!("[[q{}/note{}]]", (i / 7) % 100, (i / 3) % 100),
                2 => format!("[[A/B Testing {}]]", (i / 4) % 1000),
                1 if i % 100 < 10 => format!("---\ntitle: A/B Testing {}\n---\n", i / 100),
                _ => String::new(),
            };
            Note::parse(&path, &text, 0, None).0
        })
        .collect();
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    let links: usize = notes.iter().map(|n| n.links.len()).sum();
    assert_eq!(links, 50_000);
    let mut group = c.benchmark_group("resolve");
    group.sample_size(10);
    group.bench_function("50k_slash_links_over_100k_paths", |b| {
        b.iter(|| resolve_links(&mut notes, &[]))
    });
    group.finish();
}

/// A second start of the 10k generated vault, nothing changed: the load taking every note from
/// a filled metadata cache (reading and checking the cache file included), beside the load
/// reading every file; and the first start with the cache on (every note read, the cache
/// recorded and written).
fn cached(c: &mut Criterion) {
    use vaultscope::vault::Progress;
    use vaultscope::vault::cache::{Cache, Place};
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = genvault::write_vault(dir.path(), 10_000, 42).expect("vault written");
    let root = Vault::open_root(dir.path()).expect("a folder");
    let cache_dir = tempfile::tempdir().expect("temp dir");
    let place = Place::Folder(cache_dir.path().to_path_buf());
    let load = |depth, place: &Place| {
        let cache = Cache::open(place, &root);
        Vault::load_with_cache(&root, depth, &Progress::default(), cache).expect("loads")
    };
    let (_, update) = load(Depth::Full, &place);
    assert!(update.write().expect("cache written"));
    let mut group = c.benchmark_group("load_cached");
    group.sample_size(10);
    group.throughput(criterion::Throughput::Bytes(bytes));
    for depth in [Depth::Outline, Depth::Full] {
        let name = format!("{depth:?}").to_lowercase();
        group.bench_function(format!("10000_notes_{name}_files"), |b| {
            b.iter(|| Vault::load_to(&root, depth).expect("loads"))
        });
        group.bench_function(format!("10000_notes_{name}_warm_cache"), |b| {
            b.iter(|| {
                let (vault, update) = load(depth, &place);
                assert_eq!(update.counts.misses, 0);
                vault
            })
        });
    }
    group.bench_function("10000_notes_full_cold_cache_written", |b| {
        b.iter(|| {
            let empty = tempfile::tempdir().expect("temp dir");
            let (vault, update) = load(Depth::Full, &Place::Folder(empty.path().to_path_buf()));
            assert!(update.write().expect("cache written"));
            vault
        })
    });
    group.finish();
}

criterion_group!(benches, load, parse, resolve, cached);
criterion_main!(benches);
