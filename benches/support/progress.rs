//! A study progress of any size, for the study benchmark and `examples/gen_progress.rs`: every
//! card answered once, every other one twice (a miss, then right), spread over a month before
//! `T0`, with note paths like a generated vault's.

use rs_fsrs::Rating;
use vaultscope::study::Progress;

/// 2026-11-30 00:00 UTC.
pub const T0: i64 = 1_795_996_800;

pub fn progress(cards: usize) -> Progress {
    let mut p = Progress::default();
    for i in 0..cards {
        let id = format!("{:016x}", (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let note = format!("topic-{:02}/note-{:06}.md", i % 97, i / 4);
        let at = T0 - 30 * 86_400 + (i as i64 % 86_400);
        if i % 2 == 0 {
            let _ = p.answer(&id, &note, Rating::Again, false, at);
        }
        let _ = p.answer(&id, &note, Rating::Good, true, at + 600);
    }
    p
}
