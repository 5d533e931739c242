//! The workers: one thread per [`Lane`], each running the newest job handed to it and sending
//! the result to the loop. A job waiting when a newer one of its lane arrives is dropped (its
//! result would be thrown away: the app only takes answers to what it asked last), so holding
//! `j` over notes with large diagrams never piles up layouts. One-off jobs get a thread each.
//!
//! A job that panics ends with a message, not a dead lane (the panic hook leaves the terminal
//! alone for every thread but the loop's).

use std::collections::HashMap;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};

use super::msg::{Job, Lane, Msg};

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

    /// Sends `msg` to the loop after `wait` (a thread of its own sleeps it off).
    pub fn after(&self, wait: std::time::Duration, msg: Msg) {
        let out = self.out.clone();
        std::thread::spawn(move || {
            std::thread::sleep(wait);
            let _ = out.send(msg);
        });
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
    let lane = job.lane();
    let mut early = |m: Msg| {
        let _ = out.send(m);
    };
    let msg = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.run_with(&mut early)))
        .unwrap_or_else(|panic| Msg::Failed {
            lane,
            why: crate::sanitize::panic_message(panic.as_ref()),
        });
    out.send(msg).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchIndex;
    use crate::tui::msg::SearchJob;
    use std::time::Duration;

    fn search(serial: u64, index: &Arc<SearchIndex>) -> Job {
        Job::Search(SearchJob {
            serial,
            generation: 1,
            index: Arc::clone(index),
            query: "note".to_owned(),
            limit: 10,
        })
    }

    #[test]
    fn the_newest_job_of_a_lane_is_always_answered_and_older_waiting_ones_may_be_dropped() {
        let index = Arc::new(SearchIndex::build(&[]));
        let (tx, rx) = std::sync::mpsc::channel();
        let mut w = Workers::new(tx);
        for serial in 1..=200 {
            w.submit(search(serial, &index));
        }
        let mut answered = Vec::new();
        while let Ok(m) = rx.recv_timeout(Duration::from_millis(500)) {
            match m {
                Msg::Hits(h) => answered.push(h.serial),
                _ => panic!("not a search answer"),
            }
        }
        // In order, each at most once, and the last one asked among them.
        assert_eq!(answered.last(), Some(&200), "{answered:?}");
        assert!(answered.windows(2).all(|p| p[0] < p[1]), "{answered:?}");
    }

    #[test]
    fn a_job_that_panics_is_reported_and_its_lane_goes_on() {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut w = Workers::new(tx);
        w.submit(Job::Panic);
        let got = rx.recv_timeout(Duration::from_secs(10)).expect("a report");
        assert!(
            matches!(&got, Msg::Failed { lane: Lane::Overview, why } if why == "on purpose"),
            "not a failure report"
        );
        // The same lane still works.
        w.submit(Job::Overview {
            limits: crate::study::Limits::default(),
            vault: Arc::new(crate::vault::Vault::default()),
            progress: crate::study::Progress::default(),
            now: 0,
            days: crate::time::Days::local(),
        });
        let got = rx.recv_timeout(Duration::from_secs(10)).expect("an answer");
        assert!(matches!(got, Msg::Overview(_)));
    }
}
