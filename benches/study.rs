//! Study progress at scale: a progress file of 200,000 cards (`CARDS`), and a vault of 40 notes
//! with a multiple-choice question each, in the explorer's `App` with its progress kept in a
//! store in a temporary state folder. One answer is three steps, each timed on its own:
//!
//! - `answer_key`: what the loop thread does for the answer key: `App::update` (the answer
//!   recorded and rescheduled, the save job built) and taking the job out;
//! - `save_job`: the save job on the worker (the file written and synced);
//! - `saved_msg`: the loop thread taking the worker's report (`App::update`).
//!
//! Between answers, untimed: Enter to the next question, a new session after the last.
//! Also the store on its own: loading the 200k file (what the worker does at start) and
//! rewriting it whole (a compaction); and `progress_key`, the `P` key (the progress overlay),
//! which still hands its worker a copy of the whole progress (so does `d`).

#[path = "support/progress.rs"]
mod progress;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use vaultscope::study::session::Phase;
use vaultscope::study::store::Store;
use vaultscope::tui::app::App;
use vaultscope::tui::keymap::parse_keys;
use vaultscope::tui::msg::{Effect, Msg};
use vaultscope::tui::settle;
use vaultscope::vault::Vault;

// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CARDS: usize = 200_000;

fn keys(app: &mut App, keys: &str) {
    for k in parse_keys(keys).expect("keys") {
        app.update(Msg::Key(k));
        settle(app);
    }
}

fn write_vault(dir: &Path) {
    for i in 0..40 {
        let q = format!(
            "# Note {i}\n\n**Question:** Which is {i}?\n\n**Options:**\n\n- A) {i}\n- B) not {i}\n\n**정답: A) {i}**\n"
        );
        std::fs::write(dir.join(format!("n{i:02}.md")), q).expect("note written");
    }
}

/// Times of one answer: the key on the loop, the save job on the worker, its report on the
/// loop.
struct Answer {
    key: Duration,
    job: Duration,
    report: Duration,
}

/// Answers the current question (after getting one ready, untimed).
fn answer(app: &mut App) -> Answer {
    let a = parse_keys("a").expect("key")[0];
    loop {
        let phase = app.study().session().map(|s| s.phase.clone());
        match phase {
            Some(Phase::Asking) if app.popup().is_some() => break,
            Some(Phase::Answered { .. }) => keys(app, "<Enter>"),
            // The summary, or no session: a new one.
            _ => keys(app, "<Esc><Esc>s"),
        }
    }
    let t = Instant::now();
    app.update(Msg::Key(a));
    let effects = app.take_effects();
    let key = t.elapsed();
    let mut job = Duration::ZERO;
    let mut report = Duration::ZERO;
    for e in effects {
        if let Effect::Job(j) = e {
            let t = Instant::now();
            let msg = j.run();
            job += t.elapsed();
            let t = Instant::now();
            app.update(msg);
            report += t.elapsed();
        }
    }
    settle(app);
    black_box(app.progress().cards.len());
    Answer { key, job, report }
}

fn study(c: &mut Criterion) {
    let state = tempfile::tempdir().expect("temp dir");
    let vault_dir = tempfile::tempdir().expect("temp dir");
    write_vault(vault_dir.path());
    let vault = Vault::load(vault_dir.path()).expect("loads");
    let store = Store::new(state.path(), &vault.root);
    let t = Instant::now();
    let big = progress::progress(CARDS);
    store.save(&big).expect("written");
    let bytes: u64 = std::fs::read_dir(state.path())
        .expect("state folder")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    eprintln!(
        "{CARDS} cards, {bytes} bytes in the state folder, made in {:.1?}",
        t.elapsed()
    );
    drop(big);

    let mut g = c.benchmark_group("study_200k");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("load", |b| {
        b.iter(|| black_box(store.load().expect("loads")));
    });
    g.bench_function("rewrite_whole", |b| {
        let empty = vaultscope::study::Progress::default();
        b.iter(|| black_box(store.save(&empty).expect("written")));
    });

    let mut app = App::new(vault, (120, 40));
    app.set_now(progress::T0);
    app.keep_progress_in(Store::new(state.path(), vault_dir.path()));
    settle(&mut app);
    assert!(
        app.progress().cards.len() >= CARDS,
        "the progress is loaded"
    );
    g.sample_size(30).measurement_time(Duration::from_secs(10));
    let mut bench = |name: &str, part: fn(&Answer) -> Duration| {
        g.bench_function(name, |b| {
            b.iter_custom(|n| (0..n).map(|_| part(&answer(&mut app))).sum());
        });
    };
    bench("answer_key", |a| a.key);
    bench("save_job", |a| a.job);
    bench("saved_msg", |a| a.report);
    g.bench_function("progress_key", |b| {
        let p = parse_keys("P").expect("key")[0];
        b.iter_custom(|n| {
            (0..n)
                .map(|_| {
                    keys(&mut app, "<Esc><Esc>");
                    let t = Instant::now();
                    app.update(Msg::Key(p));
                    let effects = app.take_effects();
                    let took = t.elapsed();
                    drop(effects);
                    took
                })
                .sum()
        });
    });
    g.finish();
}

criterion_group!(benches, study);
criterion_main!(benches);
