//! Drawing the explorer: one full frame at 200x50 with the generated 10k-note vault loaded
//! (the four panes, a note with a diagram selected), the same with the search popup open, a
//! frame after scrolling the content, and moving to the next note (reading and wrapping its
//! body, then drawing). The frame is drawn into ratatui's TestBackend, so terminal I/O is not
//! in the figure; everything the app computes for a frame is.

#[path = "support/genvault.rs"]
mod genvault;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vaultscope::tui::action::Action;
use vaultscope::tui::app::App;
use vaultscope::tui::theme::Theme;
use vaultscope::tui::{prepare, ui};
use vaultscope::vault::Vault;

// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn apply(app: &mut App, action: Action) {
    let mut next = Some(action);
    while let Some(a) = next {
        next = app.update(a);
    }
}

fn draw(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    genvault::write_vault(dir.path(), 10_000, 42).expect("vault written");
    let vault = Vault::load(dir.path()).expect("loads");
    let (w, h) = (200, 50);
    let mut app = App::new(vault, (w, h));
    // Half-way down the list, on a note with a diagram, so every pane has work.
    apply(&mut app, Action::PageDown);
    while app.selected < app.visible.len() / 2 || !has_diagram(&mut app) {
        apply(&mut app, Action::Down);
    }
    prepare(&mut app);
    let theme = Theme::new(true);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let mut group = c.benchmark_group("draw_200x50_10k_notes");
    group.bench_function("frame", |b| {
        b.iter(|| {
            terminal.draw(|f| ui::draw(f, &app, &theme)).expect("draws");
        })
    });
    group.bench_function("scroll_content_and_frame", |b| {
        apply(&mut app, Action::Focus(vaultscope::tui::app::Pane::Content));
        b.iter(|| {
            apply(&mut app, Action::Down);
            if app.content_scroll > 40 {
                apply(&mut app, Action::Top);
            }
            prepare(&mut app);
            terminal.draw(|f| ui::draw(f, &app, &theme)).expect("draws");
        })
    });
    group.bench_function("next_note_read_wrap_and_frame", |b| {
        apply(&mut app, Action::Focus(vaultscope::tui::app::Pane::List));
        b.iter(|| {
            apply(&mut app, Action::Down);
            prepare(&mut app);
            terminal.draw(|f| ui::draw(f, &app, &theme)).expect("draws");
        })
    });
    apply(&mut app, Action::OpenSearch);
    for ch in "sagemaker".chars() {
        apply(&mut app, Action::SearchInput(ch));
    }
    prepare(&mut app);
    group.bench_function("frame_with_search_popup", |b| {
        b.iter(|| {
            terminal.draw(|f| ui::draw(f, &app, &theme)).expect("draws");
        })
    });
    group.finish();
}

fn has_diagram(app: &mut App) -> bool {
    prepare(app);
    app.content.as_ref().is_some_and(|c| !c.diagrams.is_empty())
}

criterion_group!(benches, draw);
criterion_main!(benches);
