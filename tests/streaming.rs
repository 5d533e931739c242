//! The note list streamed onto the screen while a first load goes on: the real `App` taking the
//! partial catalogs the loader sends (the notes so far, sorted), then the full one, keeps the
//! selected note selected, lists each batch in order, and says it is still reading.

use std::path::Path;

use vaultscope::catalog::Catalog;
use vaultscope::style::Styles;
use vaultscope::tui::app::App;
use vaultscope::tui::keymap::parse_keys;
use vaultscope::tui::loader::{INDEXING, READING};
use vaultscope::tui::msg::{Loading, Msg};
use vaultscope::tui::{buffer_text, frame, settle};
use vaultscope::vault::{Note, Vault};

fn starter() -> Vault {
    Vault::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("notes")).expect("starter vault")
}

/// The partial catalog of `notes`, as the loader's lister makes it.
fn partial(root: &Path, notes: &[&Note], next: &'static str) -> Msg {
    let notes = notes.iter().map(|n| n.outline_view()).collect();
    Msg::Loaded {
        catalog: Catalog::build(Vault::outline_of(root.to_path_buf(), notes, Vec::new())),
        initial: true,
        next: Some(next),
    }
}

fn selected_path(app: &App) -> String {
    app.vault().notes[app.selected_note().expect("a selection")]
        .path
        .clone()
}

fn rows_in_list_order(app: &App) -> Vec<String> {
    app.list()
        .visible()
        .iter()
        .map(|&id| app.vault().notes[id].title.clone())
        .collect()
}

#[test]
fn the_selection_stays_on_its_note_while_batches_of_the_list_arrive() {
    let full = starter();
    let root = full.root.clone();
    // The notes in the order a parallel load might hand them out: every third note first,
    // then the others, so each batch brings notes that sort before and after the selection.
    let mut arrival: Vec<&Note> = full.notes.iter().step_by(3).collect();
    arrival.extend(full.notes.iter().skip(1).step_by(3));
    arrival.extend(full.notes.iter().skip(2).step_by(3));
    assert_eq!(arrival.len(), full.notes.len());

    let mut app = App::new(Vault::default(), (120, 30));
    app.update(Msg::Loading(Loading {
        stage: READING,
        read: 0,
        found: 0,
    }));
    app.update(partial(&root, &arrival[..6], READING));
    settle(&mut app);
    for key in parse_keys("jjj").unwrap() {
        app.update(Msg::Key(key));
    }
    settle(&mut app);
    let chosen = selected_path(&app);
    let row_of = |app: &App| {
        app.list()
            .visible()
            .iter()
            .position(|&id| app.vault().notes[id].path == chosen)
    };
    assert_eq!(row_of(&app), Some(3));

    let mut moved_down = false;
    for (n, next) in [(10, READING), (25, READING), (arrival.len(), INDEXING)] {
        let before = row_of(&app).unwrap();
        app.update(Msg::Loading(Loading {
            stage: READING,
            read: n,
            found: full.notes.len(),
        }));
        app.update(partial(&root, &arrival[..n], next));
        settle(&mut app);
        assert_eq!(selected_path(&app), chosen, "after a batch of {n}");
        assert_eq!(app.list().visible().len(), n);
        moved_down |= row_of(&app).unwrap() > before;
        // Each batch is listed sorted (by title, the default order), whatever the arrival.
        let titles = rows_in_list_order(&app);
        let mut sorted = titles.clone();
        sorted.sort_by_key(|t| t.to_lowercase());
        assert_eq!(titles, sorted);
        // The screen says the load goes on, and shows the chosen note's row.
        let screen = buffer_text(&frame(&app, Styles::new(false)));
        let title = &app.vault().notes[app.selected_note().unwrap()].title;
        assert!(screen.contains(title.as_str()), "{screen}");
        let status = screen.lines().last().unwrap_or_default();
        let stage = app.loading().map(|l| l.stage);
        assert_eq!(stage, Some(next));
        assert!(status.contains(next), "{status}");
        if next == READING {
            // The gauge keeps its count across a batch instead of falling back to 0.
            assert!(
                status.contains(&format!("{n}/{}", full.notes.len())),
                "{status}"
            );
        }
    }
    assert!(
        moved_down,
        "no batch brought a note sorting before the chosen one"
    );

    // The full catalog: the same note still selected, the load done.
    app.update(Msg::Loaded {
        catalog: Catalog::build(full),
        initial: true,
        next: None,
    });
    settle(&mut app);
    assert_eq!(selected_path(&app), chosen);
    assert!(app.loading().is_none());
}
