//! The workers: one thread per [`Lane`], each running the newest job handed to it and sending
//! the result to the loop. A job waiting when a newer one of its lane arrives is dropped (its
//! result would be thrown away: the app only takes answers to what it asked last), so holding
//! `j` over notes with large diagrams never piles up layouts. One-off jobs get a thread each.
//!
//! A job that panics ends with a message, not a dead lane, and leaves the terminal alone: the
//! panic hook asks [`in_worker`] before restoring the screen.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};

use super::msg::{Job, Lane, Msg};

thread_local! {
    static WORKER: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread is a worker, whose panics are caught and reported.
pub fn in_worker() -> bool {
    WORKER.with(Cell::get)
}

/// The newest job waiting for a lane's thread.
#[derive(Default)]
struct Slot {
    job: Mutex<Option<Job>>,
    ready: Condvar,
}

pub struct Workers {
    out: Sender<Msg>,
    lanes: HashMap<Lane, Arc<Slot>>,
}

impl Workers {
    pub fn new(out: Sender<Msg>) -> Workers {
        Workers {
            out,
            lanes: HashMap::new(),
        }
    }

    /// Hands `job` to its lane (replacing a job still waiting there).
    pub fn submit(&mut self, job: Job) {
        let lane = job.lane();
        if lane == Lane::Once {
            let out = self.out.clone();
            std::thread::spawn(move || run(job, &out));
            return;
        }
        let out = &self.out;
        let slot = self.lanes.entry(lane).or_insert_with(|| {
            let slot = Arc::new(Slot::default());
            let (s, out) = (Arc::clone(&slot), out.clone());
            std::thread::Builder::new()
                .name(format!("{lane:?}").to_lowercase())
                .spawn(move || serve(&s, &out))
                .ok();
            slot
        });
        let mut waiting = slot.job.lock().unwrap_or_else(|p| p.into_inner());
        *waiting = Some(job);
        slot.ready.notify_one();
    }
}

/// A lane's thread: takes the newest job, runs it, reports, waits for the next.
fn serve(slot: &Slot, out: &Sender<Msg>) {
    loop {
        let job = {
            let mut waiting = slot.job.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                if let Some(job) = waiting.take() {
                    break job;
                }
                waiting = slot.ready.wait(waiting).unwrap_or_else(|p| p.into_inner());
            }
        };
        if !run(job, out) {
            return;
        }
    }
}

/// Runs a job and sends its result; a panic becomes a message. False when the loop is gone.
fn run(job: Job, out: &Sender<Msg>) -> bool {
    WORKER.with(|w| w.set(true));
    let lane = job.lane();
    let msg = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.run())).unwrap_or_else(
        |panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".to_owned());
            Msg::Failed(format!("{lane:?} work failed: {why}").to_lowercase())
        },
    );
    out.send(msg).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::Progress;
    use crate::time::Days;
    use crate::vault::Vault;

    fn overview_job() -> Job {
        Job::Overview {
            vault: Arc::new(Vault::default()),
            progress: Progress::default(),
            now: 0,
            days: Days::local(),
        }
    }

    #[test]
    fn jobs_run_off_the_caller_and_report_back() {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut w = Workers::new(tx);
        w.submit(overview_job());
        let msg = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("a result");
        assert!(matches!(msg, Msg::Overview(_)));
        // Many jobs in a row on one lane: at least the last one is answered, maybe fewer
        // than all of them.
        for _ in 0..50 {
            w.submit(overview_job());
        }
        let mut got = 0;
        while let Ok(m) = rx.recv_timeout(std::time::Duration::from_millis(500)) {
            assert!(matches!(m, Msg::Overview(_)));
            got += 1;
        }
        assert!((1..=50).contains(&got), "{got}");
    }
}
