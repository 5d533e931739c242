//! The study screen's new keys through the real `App` (headless): grading a right answer,
//! undoing, suspending, and shuffled options answered by what they say.

use rs_fsrs::Rating;
use vaultscope::study::{Limits, Progress};
use vaultscope::tui::app::App;
use vaultscope::vault::Vault;

/// 2026-12-01 10:00 in Seoul.
const NOW: i64 = 1_796_050_800 + 10 * 3_600;

/// Notes with one question each: A is right, B wrong (C, D more wrong ones).
fn quiz_vault(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        let q = format!(
            "# Note {i}\n\n**Question:** 질문 {i}: which is right?\n\n**Options:**\n\n- A) right {i}\n- B) wrong one {i}\n- C) wrong two {i}\n- D) wrong three {i}\n\n**정답: A) right {i}**\n"
        );
        std::fs::write(dir.path().join(format!("n{i:02}.md")), q).unwrap();
    }
    dir
}

fn app_for(dir: &tempfile::TempDir, shuffle: bool) -> App {
    let mut app = App::new(Vault::load(dir.path()).unwrap(), (100, 40));
    app.set_now(NOW);
    app.set_days(vaultscope::time::Days::in_zone(jiff::tz::TimeZone::fixed(
        jiff::tz::offset(9),
    )));
    app.set_study_options(Limits::default(), shuffle);
    vaultscope::tui::settle(&mut app);
    app
}

fn press(app: &mut App, keys: &str) {
    let keys = vaultscope::tui::keymap::parse_keys(keys).unwrap();
    vaultscope::tui::type_keys(app, &keys);
}

fn frame(app: &App) -> String {
    vaultscope::tui::buffer_text(&vaultscope::tui::frame(
        app,
        vaultscope::style::Styles::new(false),
    ))
}

fn card_of(app: &App, at: usize) -> String {
    app.study().session().unwrap().questions[at].id.clone()
}

#[test]
fn a_right_answer_is_good_unless_graded_otherwise() {
    let dir = quiz_vault(3);
    let mut app = app_for(&dir, false);
    press(&mut app, "s");
    let first = card_of(&app, 0);
    let second = card_of(&app, 1);
    press(&mut app, "a");
    let screen = frame(&app);
    assert!(
        screen.contains("✓ Right") && screen.contains("graded good"),
        "{screen}"
    );
    // 4: easy, and on to the next question.
    press(&mut app, "4");
    assert_eq!(app.study().session().unwrap().at, 1);
    let easy = app.progress().cards[&first].clone();
    assert_eq!(easy.reviews.len(), 1, "the good answer was taken back");
    assert_eq!(easy.reviews[0].rating, Rating::Easy as u8);
    // Enter keeps good.
    press(&mut app, "a<Enter>");
    let good = app.progress().cards[&second].clone();
    assert_eq!(good.reviews[0].rating, Rating::Good as u8);
    assert!(
        easy.card.due > good.card.due,
        "easy comes back later than good"
    );
    // A wrong answer is again, whatever digit follows.
    press(&mut app, "b");
    assert!(frame(&app).contains("✗ Wrong (B) · the answer is A"));
    press(&mut app, "4");
    let third = app.study().session().unwrap().questions[2].id.clone();
    assert_eq!(app.progress().cards[&third].reviews[0].rating, 1);
}

#[test]
fn undo_puts_the_card_and_the_session_back() {
    let dir = quiz_vault(2);
    let mut app = app_for(&dir, false);
    press(&mut app, "s");
    let before: Progress = app.progress().clone();
    press(&mut app, "a<Enter>b");
    assert_eq!(app.study().session().unwrap().score(), (1, 2));
    press(&mut app, "u");
    let s = app.study().session().unwrap();
    assert_eq!(
        (s.at, s.score()),
        (1, (1, 1)),
        "back at the second question"
    );
    assert!(frame(&app).contains("a-d answers"));
    press(&mut app, "u");
    assert_eq!(app.study().session().unwrap().at, 0);
    assert_eq!(app.progress().cards, before.cards, "both cards new again");
    press(&mut app, "u");
    assert_eq!(app.status(), Some("nothing to undo in this session"));
}

#[test]
fn a_suspended_card_is_skipped_and_never_asked_again() {
    let dir = quiz_vault(2);
    let mut app = app_for(&dir, false);
    press(&mut app, "s");
    let first = card_of(&app, 0);
    press(&mut app, "x");
    assert!(app.progress().is_suspended(&first));
    // It leaves the session; the next question is asked.
    let session = app.study().session().unwrap();
    assert_eq!((session.at, session.questions.len()), (0, 1));
    assert_ne!(card_of(&app, 0), first);
    press(&mut app, "a<Enter><Esc>");
    press(&mut app, "s");
    let ids: Vec<String> = app
        .study()
        .session()
        .unwrap()
        .questions
        .iter()
        .map(|q| q.id.clone())
        .collect();
    assert!(!ids.contains(&first), "{ids:?}");
}

#[test]
fn shuffled_options_are_answered_by_what_they_say() {
    let dir = quiz_vault(6);
    let mut app = app_for(&dir, true);
    press(&mut app, "s");
    let mut moved = false;
    for i in 0..6 {
        let screen = frame(&app);
        // The key shown beside "right {i}".
        let line = screen
            .lines()
            .find(|l| l.contains(&format!(") right {i}")))
            .unwrap_or_else(|| panic!("{screen}"));
        let key = line
            .split(") right")
            .next()
            .and_then(|s| s.trim_end().chars().last())
            .unwrap()
            .to_ascii_lowercase();
        moved |= key != 'a';
        press(&mut app, &key.to_string());
        assert!(frame(&app).contains("✓ Right"), "{}", frame(&app));
        press(&mut app, "<Enter>");
    }
    assert!(moved, "some right option was shown elsewhere than first");
    assert_eq!(app.study().session().unwrap().score(), (6, 6));
}

#[test]
fn the_progress_view_opens_a_hardest_cards_note() {
    let dir = quiz_vault(3);
    let mut app = app_for(&dir, false);
    // Miss the second question (B is wrong), get the others right, end the session.
    press(&mut app, "sa<Enter>b<Enter>a<Enter><Esc>");
    press(&mut app, "P");
    let shown = frame(&app);
    assert!(shown.contains("h opens their notes"), "{shown}");
    press(&mut app, "h");
    let picker = frame(&app);
    assert!(picker.contains("Notes of the hardest cards"), "{picker}");
    press(&mut app, "<Enter>");
    let id = app.selected_note().expect("a note is selected");
    assert_eq!(app.catalog().vault.notes[id].path, "n01.md");
    assert!(app.popup().is_none());
}

#[test]
fn the_progress_view_wraps_what_is_wider_than_it_and_shows_there_is_more() {
    let dir = quiz_vault(3);
    let mut app = app_for(&dir, false);
    press(&mut app, "sb<Enter>b<Enter>b<Enter><Esc>P");
    let shown = frame(&app);
    // The overlay is 70 of 100 columns: the day's line and the 30 days wrap, nothing is cut.
    let joined = shown
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        joined.contains("(limits 20 new, 200 reviews a day)"),
        "{shown}"
    );
    assert!(joined.contains("+29d"), "{shown}");
    // A small screen scrolls it, with a scrollbar on its border.
    app.update(vaultscope::tui::msg::Msg::Resize(80, 24));
    vaultscope::tui::settle(&mut app);
    assert!(frame(&app).contains('┃'), "{}", frame(&app));
}

#[test]
fn a_suspended_card_is_not_asked_again_in_the_same_sitting() {
    // Missed, then suspended: the retry of the missed ones leaves it out.
    let dir = quiz_vault(2);
    let mut app = app_for(&dir, false);
    press(&mut app, "s");
    let first = card_of(&app, 0);
    press(&mut app, "bx");
    press(&mut app, "b<Enter>");
    let summary = frame(&app);
    assert!(summary.contains("retries the 1 missed"), "{summary}");
    press(&mut app, "r");
    let retry = app.study().session().unwrap();
    assert_eq!(retry.questions.len(), 1);
    assert_ne!(retry.questions[0].id, first);
    // Suspended after an answer to the one before, then that answer undone: moving on does
    // not come back to the suspended card.
    let dir = quiz_vault(3);
    let mut app = app_for(&dir, false);
    press(&mut app, "sa<Enter>");
    let second = card_of(&app, 1);
    press(&mut app, "x");
    press(&mut app, "u");
    assert_eq!(app.study().session().unwrap().at, 0);
    press(&mut app, "a<Enter>");
    let s = app.study().session().unwrap();
    assert!(s.questions.iter().all(|q| q.id != second));
    assert_eq!(s.at, 1, "on to the third question");
}
