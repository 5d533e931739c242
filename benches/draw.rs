//! Drawing the explorer at 200x50 with the generated 10k-note vault loaded (the four panes, a
//! note with a diagram selected). Each case is what the loop does for one message: the update
//! (with everything derived from it), the work it hands out run inline (reading and rendering
//! a note, laying out its diagram), and the frame drawn into ratatui's TestBackend, so
//! terminal I/O is not in the figure; everything the app computes for a frame is.
//!
//! - `frame`: a redraw after a message that changes nothing (a resize to the same size);
//! - `scroll_content_and_frame`: one line down in the content;
//! - `next_note_read_wrap_and_frame`: the next note of the list, a different one every
//!   iteration (back to the first after the last), read, rendered and drawn;
//! - `frame_with_search_popup`: a redraw with the search popup open on a query;
//! - `catalog_arrives_and_frame`: a reload's catalog (built by the loader, off the loop)
//!   taken by the app: the list, tag rows and search hits made again for it, the selected
//!   note found again by path and read, the old catalog handed away, and the frame.

#[path = "support/genvault.rs"]
mod genvault;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vaultscope::catalog::Catalog;
use vaultscope::style::Styles;
use vaultscope::tui::app::App;
use vaultscope::tui::keymap::parse_keys;
use vaultscope::tui::msg::Msg;
use vaultscope::tui::settle;
use vaultscope::vault::Vault;

// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Types `keys` (in `--keys` notation) and does the work they hand out.
fn keys(app: &mut App, keys: &str) {
    for k in parse_keys(keys).expect("keys") {
        app.update(Msg::Key(k));
        settle(app);
    }
}

fn draw(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    genvault::write_vault(dir.path(), 10_000, 42).expect("vault written");
    let vault = Vault::load(dir.path()).expect("loads");
    let (w, h) = (200, 50);
    let mut app = App::new(vault, (w, h));
    app.set_color(true);
    settle(&mut app);
    // Half-way down the list, on a note with a diagram, so every pane has work.
    keys(&mut app, "<PgDn>");
    while app.list().selected_index() < app.list().visible().len() / 2
        || app.note_diagrams().is_none_or(|d| d.diagrams.is_empty())
    {
        keys(&mut app, "j");
    }
    let styles = Styles::new(true);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    // Catalogs as the loader sends them, made before the clock runs.
    let catalogs: Vec<Catalog> = (0..3)
        .map(|_| Catalog::build(Vault::load(dir.path()).expect("loads")))
        .collect();
    let mut frame = |app: &mut App| {
        app.take_dirty();
        terminal.draw(|f| app.draw(f, styles)).expect("draws");
    };
    let mut group = c.benchmark_group("draw_200x50_10k_notes");
    group.bench_function("frame", |b| {
        b.iter(|| {
            app.update(Msg::Resize(w, h));
            settle(&mut app);
            frame(&mut app);
        })
    });
    keys(&mut app, "2");
    group.bench_function("scroll_content_and_frame", |b| {
        b.iter(|| {
            keys(&mut app, "j");
            if app.content().scroll() > 40 {
                keys(&mut app, "g");
            }
            frame(&mut app);
        })
    });
    keys(&mut app, "1");
    let last = app.list().visible().len() - 1;
    group.bench_function("next_note_read_wrap_and_frame", |b| {
        b.iter(|| {
            let before = app.selected_note();
            if app.list().selected_index() == last {
                keys(&mut app, "g");
            } else {
                keys(&mut app, "j");
            }
            assert_ne!(app.selected_note(), before, "a new note every time");
            assert!(!app.awaits_content(), "the note is read and rendered");
            frame(&mut app);
        })
    });
    keys(&mut app, "/sagemaker");
    group.bench_function("frame_with_search_popup", |b| {
        b.iter(|| {
            app.update(Msg::Resize(w, h));
            settle(&mut app);
            frame(&mut app);
        })
    });
    let mut next = 0;
    group.bench_function("catalog_arrives_and_frame", |b| {
        b.iter(|| {
            let catalog = catalogs[next % catalogs.len()].clone();
            next += 1;
            app.update(Msg::Loaded {
                catalog,
                initial: false,
                next: None,
            });
            settle(&mut app);
            frame(&mut app);
        })
    });
    group.finish();
}

criterion_group!(benches, draw);
criterion_main!(benches);
