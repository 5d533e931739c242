//! Timings of the real binary in a pseudo-terminal, read off its screen (`vt100`): the first
//! frame, how soon keys are answered while a 100k-note vault loads, a key right after opening a
//! 500-node Mermaid diagram, and what the explorer costs while idle.
//!
//! `cargo bench --bench pty` runs everything; `cargo bench --bench pty -- idle mermaid` runs
//! only the named measurements (`first_frame`, `cold`, `second_start`, `keys`, `mermaid`, `map`, `idle`). `PTY_BENCH_RUNS`
//! sets the runs per measurement (default 5); `PTY_BENCH_BEFORE=<binary>` adds another build's
//! rows to `cold`, alternated with this one's. Generated vaults (seed 42) are kept under
//! `<target>/bench-vaults/<notes>` and made only when missing.
//!
//! Not criterion: each sample is a whole process run of seconds, and the figures wanted are
//! medians and worst cases of user-visible waits, printed as one table.

#[cfg(target_os = "linux")]
#[path = "support/genvault.rs"]
mod genvault;
#[cfg(target_os = "linux")]
#[path = "support/pty.rs"]
mod pty;

#[cfg(target_os = "linux")]
fn main() {
    linux::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("benches/pty.rs watches processes through /proc: Linux only");
}

#[cfg(target_os = "linux")]
mod linux {
    use crate::{genvault, pty};
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use pty::Session;

    /// The terminal for every measurement but the diagram one.
    const SIZE: (u16, u16) = (120, 40);
    /// Wide enough for all four panes side by side, so the diagram pane is on screen.
    const WIDE: (u16, u16) = (200, 50);
    /// A key not answered by then counts as this long, and the run goes on.
    const ANSWER_CAP: Duration = Duration::from_secs(5);
    /// The load counts as finished once the gauge has been gone this long.
    const SETTLED: Duration = Duration::from_secs(1);
    /// Presses near a stage change: those whose wait overlaps the change (somewhere between the
    /// last screen showing the old stage and the first showing the new) or this long after it.
    const NEAR_CHANGE: Duration = Duration::from_millis(300);
    /// How long the idle measurement watches.
    const IDLE: Duration = Duration::from_secs(10);
    /// Bounds on waiting for a load, generous for a 100k vault on a busy machine.
    const LOAD_PATIENCE: Duration = Duration::from_secs(300);

    pub fn main() {
        let wanted: Vec<String> = std::env::args()
            .skip(1)
            .filter(|a| !a.starts_with('-'))
            .collect();
        let runs: usize = std::env::var("PTY_BENCH_RUNS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5)
            .max(1);
        let on = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
        let started = Instant::now();
        println!("pty bench: {}", pty::BINARY);
        println!(
            "  terminal {}x{} (mermaid {}x{}), TERM=xterm-256color, {runs} runs each, {} cores",
            SIZE.0,
            SIZE.1,
            WIDE.0,
            WIDE.1,
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        pty::adopt_orphans();
        let mut table = Table::default();
        if on("first_frame") {
            for notes in [10_000, 100_000] {
                first_frame(&mut table, &vault(notes), notes, runs);
            }
        }
        if on("cold") {
            for notes in [10_000, 100_000] {
                cold_start(&mut table, &vault(notes), notes, runs);
            }
        }
        if on("second_start") {
            for notes in [10_000, 100_000] {
                second_start(&mut table, &vault(notes), notes, runs);
            }
        }
        if on("keys") {
            keys_while_loading(&mut table, &vault(100_000), 100_000, runs);
        }
        if on("mermaid") {
            mermaid(&mut table, runs);
        }
        if on("map") {
            for notes in [10_000, 100_000] {
                map_view(&mut table, &vault(notes), notes, runs);
            }
        }
        if on("idle") {
            idle(&mut table, &vault(10_000), 10_000, runs);
        }
        println!();
        table.print();
        println!("\n(whole bench: {:.1?})", started.elapsed());
    }

    /// The generated vault of `notes` notes, made if missing or from an older generator.
    fn vault(notes: usize) -> PathBuf {
        let target = Path::new(pty::BINARY)
            .ancestors()
            .nth(2)
            .expect("the binary lives in <target>/<profile>/")
            .to_path_buf();
        let t = Instant::now();
        // `VAULTSCOPE_BENCH_VAULTS` names another folder of kept vaults (another worktree's).
        let kept = std::env::var_os("VAULTSCOPE_BENCH_VAULTS")
            .map_or_else(|| target.join("bench-vaults"), PathBuf::from);
        let (dir, made) = genvault::kept_vault(&kept, notes).expect("vault written");
        if made {
            println!(
                "  generated {} ({notes} notes) in {:.1?}",
                dir.display(),
                t.elapsed()
            );
        }
        dir
    }

    fn command_line(vault: &Path) -> String {
        format!("vaultscope --vault {}", vault.display())
    }

    /// Spawn → the first screen with the explorer's frame (the list pane's title).
    fn first_frame(table: &mut Table, vault: &Path, notes: usize, runs: usize) {
        let state = tempfile::tempdir().expect("temp dir");
        let mut times = Vec::new();
        for _ in 0..runs {
            let s = Session::spawn(pty::explorer(vault, state.path()), SIZE.0, SIZE.1);
            let at = s
                .wait_for(s.started + LOAD_PATIENCE, pty::shows_frame)
                .expect("a first frame");
            times.push(at - s.started);
        }
        table.row(
            format!("first frame, {notes} notes"),
            command_line(vault),
            &times,
            "",
        );
    }

    /// A start with nothing cached (`VAULTSCOPE_NO_CACHE`): spawn → the whole list on screen
    /// and → fully indexed (links and questions; the gauge gone), alternated with the anchor
    /// `rg -c --no-ignore .` run in the vault folder (every byte read, as the explorer must),
    /// its output read through a pipe and dropped.
    ///
    /// The explorer's loader runs at the idle priority (`SCHED_IDLE`, so that it never takes a
    /// time slice from the loop); on a machine busy with other work that is most of its time.
    /// So the anchor is also run at that priority (`chrt --idle 0`, when `chrt` is there),
    /// alternated the same way: on a quiet machine both anchors take the same time.
    fn cold_start(table: &mut Table, vault: &Path, notes: usize, runs: usize) {
        let state = tempfile::tempdir().expect("temp dir");
        let (mut rg, mut rg_idle, mut shown, mut indexed) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let chrt = std::process::Command::new("chrt")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        let rg_run = |idle: bool| {
            let mut cmd = if idle {
                let mut c = std::process::Command::new("chrt");
                c.args(["--idle", "0", "rg"]);
                c
            } else {
                std::process::Command::new("rg")
            };
            let t = Instant::now();
            let out = cmd
                .args(["-c", "--no-ignore", "."])
                .current_dir(vault)
                .stdout(std::process::Stdio::piped())
                .output()
                .expect("rg runs");
            assert!(!out.stdout.is_empty());
            t.elapsed()
        };
        // `PTY_BENCH_BEFORE=<binary>`: another build measured the same way, alternated too.
        let before = std::env::var_os("PTY_BENCH_BEFORE").map(PathBuf::from);
        let (mut before_shown, mut before_indexed) = (Vec::new(), Vec::new());
        let explorer = |cmd, shown: &mut Vec<Duration>, indexed: &mut Vec<Duration>| {
            let mut s = Session::spawn(cmd, SIZE.0, SIZE.1);
            let at = s
                .wait_for(s.started + LOAD_PATIENCE, |sc| pty::list_shown(sc, notes))
                .expect("the list shown");
            shown.push(at - s.started);
            let done = s
                .wait_for(s.started + LOAD_PATIENCE, |sc| {
                    pty::list_shown(sc, notes) && pty::loaded(sc)
                })
                .expect("the load finished");
            indexed.push(done - s.started);
            s.kill();
        };
        for _ in 0..runs {
            rg.push(rg_run(false));
            if chrt {
                rg_idle.push(rg_run(true));
            }
            explorer(pty::explorer(vault, state.path()), &mut shown, &mut indexed);
            if let Some(b) = &before {
                let cmd = pty::explorer_of(b, vault, state.path());
                explorer(cmd, &mut before_shown, &mut before_indexed);
            }
        }
        let m = |v: &[Duration]| {
            let mut v = v.to_vec();
            v.sort();
            v[v.len() / 2].as_secs_f64()
        };
        table.row(
            format!("rg -c --no-ignore ., {notes} notes"),
            format!("cd {} && rg -c --no-ignore .", vault.display()),
            &rg,
            "the anchor, alternated with the rows below",
        );
        let idle = !rg_idle.is_empty();
        if idle {
            table.row(
                format!("chrt --idle 0 rg -c --no-ignore ., {notes} notes"),
                format!(
                    "cd {} && chrt --idle 0 rg -c --no-ignore .",
                    vault.display()
                ),
                &rg_idle,
                "the anchor at the loader's priority",
            );
        }
        let ratios = |v: &[Duration], goal: &str| {
            let mut r = format!("{:.2}x rg", m(v) / m(&rg));
            if idle {
                r += &format!(", {:.2}x idle rg", m(v) / m(&rg_idle));
            }
            format!("{r} (goal {goal})")
        };
        table.row(
            format!("cold start, {notes} notes, nothing cached: list on screen"),
            format!("VAULTSCOPE_NO_CACHE=1 {}", command_line(vault)),
            &shown,
            &ratios(&shown, "≤ 1.5x"),
        );
        table.row(
            "  … fully indexed".to_owned(),
            String::new(),
            &indexed,
            &ratios(&indexed, "at 100k ≤ 2x"),
        );
        if let Some(b) = &before {
            table.row(
                format!("  before ({}): list on screen", b.display()),
                String::new(),
                &before_shown,
                &ratios(&before_shown, "≤ 1.5x"),
            );
            table.row(
                "  before: fully indexed".to_owned(),
                String::new(),
                &before_indexed,
                &ratios(&before_indexed, "at 100k ≤ 2x"),
            );
        }
    }

    /// The second start of the same vault, nothing changed since the first: spawn → the whole
    /// list on screen (the first catalog) and → fully indexed, with the metadata cache filled
    /// (by `vaultscope check`, which keeps every note parsed fully) and without it
    /// (`VAULTSCOPE_NO_CACHE`), alternated with the anchor `rg --files` (its output read through
    /// a pipe and dropped).
    fn second_start(table: &mut Table, vault: &Path, notes: usize, runs: usize) {
        let state = tempfile::tempdir().expect("temp dir");
        let cache = state.path().join("cache");
        let filled = std::process::Command::new(pty::BINARY)
            .arg("--vault")
            .arg(vault)
            .arg("check")
            .env("XDG_CACHE_HOME", &cache)
            .env("XDG_STATE_HOME", state.path())
            .env_remove("VAULTSCOPE_NO_CACHE")
            .output()
            .expect("check runs");
        assert!(filled.status.code().is_some_and(|c| c <= 1), "check failed");
        let mut rg = Vec::new();
        let mut shown = [Vec::new(), Vec::new()];
        let mut indexed = [Vec::new(), Vec::new()];
        for _ in 0..runs {
            let t = Instant::now();
            let out = std::process::Command::new("rg")
                .arg("--files")
                .arg(vault)
                .stdout(std::process::Stdio::piped())
                .output()
                .expect("rg runs");
            assert!(!out.stdout.is_empty());
            rg.push(t.elapsed());
            for (i, warm) in [true, false].into_iter().enumerate() {
                let cmd = if warm {
                    pty::explorer_cached(vault, state.path(), &cache)
                } else {
                    pty::explorer(vault, state.path())
                };
                let mut s = Session::spawn(cmd, SIZE.0, SIZE.1);
                let at = s
                    .wait_for(s.started + LOAD_PATIENCE, |sc| pty::list_shown(sc, notes))
                    .expect("the list shown");
                shown[i].push(at - s.started);
                let done = s
                    .wait_for(s.started + LOAD_PATIENCE, |sc| {
                        pty::list_shown(sc, notes) && pty::loaded(sc)
                    })
                    .expect("the load finished");
                indexed[i].push(done - s.started);
                s.kill();
            }
        }
        table.row(
            format!("rg --files, {notes} notes"),
            format!("rg --files {}", vault.display()),
            &rg,
            "the anchor, alternated with the two rows below",
        );
        for (i, how) in ["cache filled", "--no-cache"].into_iter().enumerate() {
            table.row(
                format!("second start, {notes} notes, {how}: list on screen"),
                command_line(vault),
                &shown[i],
                "",
            );
            table.row(
                "  … fully indexed".to_owned(),
                String::new(),
                &indexed[i],
                "",
            );
        }
    }

    /// `M` once the list is on screen → the map's components view on screen (the first part of
    /// the map, built from the notes read so far) and → the whole map built (its title no longer
    /// says it is reading). The map is built on a worker from the notes' diagrams.
    fn map_view(table: &mut Table, vault: &Path, notes: usize, runs: usize) {
        let state = tempfile::tempdir().expect("temp dir");
        let components = |sc: &vt100::Screen| sc.contents().contains("components from");
        let (mut first, mut whole) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let mut s = Session::spawn(pty::explorer(vault, state.path()), WIDE.0, WIDE.1);
            s.wait_for(s.started + LOAD_PATIENCE, |sc| pty::list_shown(sc, notes))
                .expect("the list shown");
            let at = Instant::now();
            s.send(b"M");
            let shown = s
                .wait_for(at + LOAD_PATIENCE, components)
                .expect("the components view");
            first.push(shown - at);
            let built = s
                .wait_for(at + LOAD_PATIENCE, |sc| {
                    components(sc) && !sc.contents().contains("· reading ")
                })
                .expect("the whole map");
            whole.push(built - at);
            s.kill();
        }
        table.row(
            format!("map, {notes} notes: M → components view on screen"),
            format!(
                "{} (M once the list shows, {}x{})",
                command_line(vault),
                WIDE.0,
                WIDE.1
            ),
            &first,
            "goal ≤ 1 s at 100k",
        );
        table.row("  … whole map built".to_owned(), String::new(), &whole, "");
    }

    /// What the keys loop saw of the load. The stage is read from the status bar, which the
    /// help popup covers, so a change is known to lie between the last screen showing the old
    /// stage and the first showing the new one.
    #[derive(Default)]
    struct Stages {
        current: Option<&'static str>,
        /// When `current` was last seen.
        seen: Option<Instant>,
        changes: Vec<Change>,
        gone_since: Option<Instant>,
    }

    struct Change {
        /// The old stage was last seen then (the spawn for the first)…
        after: Option<Instant>,
        /// …and the new one first seen then.
        by: Instant,
        /// The stage now; `None` once the gauge is gone.
        stage: Option<&'static str>,
    }

    impl Change {
        /// Whether a press waiting from `at` for `took` overlapped the change or the
        /// [`NEAR_CHANGE`] after it.
        fn near(&self, at: Instant, took: Duration) -> bool {
            at < self.by + NEAR_CHANGE && at + took >= self.after.unwrap_or(self.by)
        }
    }

    impl Stages {
        fn observe(&mut self, screen: &vt100::Screen) {
            // A popup can cover the status bar: the stage is unknown while it does.
            if shows_help(screen) || pty::status_bar(screen).is_none() {
                return;
            }
            let stage = pty::gauge_stage(screen);
            let now = Instant::now();
            // Until the first gauge, a screen without one is only the screen before the
            // first frame.
            if stage != self.current && !(self.changes.is_empty() && stage.is_none()) {
                self.changes.push(Change {
                    after: self.seen,
                    by: now,
                    stage,
                });
                self.current = stage;
                self.gone_since = stage.is_none().then_some(now);
            }
            self.seen = Some(now);
        }

        fn settled(&self) -> bool {
            self.gone_since.is_some_and(|t| t.elapsed() >= SETTLED)
        }
    }

    /// One key press and how long its answer took (capped at [`ANSWER_CAP`]).
    struct Press {
        at: Instant,
        took: Duration,
        timed_out: bool,
        /// The gauge's stage when the key was pressed.
        stage: Option<&'static str>,
    }

    /// Presses `key` and waits until `answered` holds for the screen, observing the stages
    /// meanwhile. After a time-out, waits on (unrecorded) until the answer comes, so the next
    /// press starts from a known screen.
    fn press(
        s: &mut Session,
        stages: &mut Stages,
        key: &[u8],
        answered: impl Fn(&vt100::Screen) -> bool,
    ) -> Press {
        let at = Instant::now();
        let stage = stages.current;
        s.send(key);
        let mut watch = |screen: &vt100::Screen| {
            stages.observe(screen);
            answered(screen)
        };
        match s.wait_for(at + ANSWER_CAP, &mut watch) {
            Some(when) => Press {
                at,
                took: when - at,
                timed_out: false,
                stage,
            },
            None => {
                s.wait_for(Instant::now() + LOAD_PATIENCE, &mut watch)
                    .expect("the key is answered at last");
                Press {
                    at,
                    took: ANSWER_CAP,
                    timed_out: true,
                    stage,
                }
            }
        }
    }

    fn shows_help(screen: &vt100::Screen) -> bool {
        screen.contents().contains("Keys ·")
    }

    /// From spawn until the load has settled: `?` until the help shows, Esc until it is gone,
    /// again and again, each timed.
    fn keys_while_loading(table: &mut Table, vault: &Path, notes: usize, runs: usize) {
        let state = tempfile::tempdir().expect("temp dir");
        let mut all = Vec::new();
        let mut near: [Vec<Duration>; 2] = Default::default();
        let mut loads = Vec::new();
        let mut timeouts = 0;
        let mut worst: Option<(Duration, String)> = None;
        for _ in 0..runs {
            let mut s = Session::spawn(pty::explorer(vault, state.path()), SIZE.0, SIZE.1);
            let mut stages = Stages::default();
            s.wait_for(s.started + LOAD_PATIENCE, |screen| {
                stages.observe(screen);
                pty::shows_frame(screen)
            })
            .expect("a first frame");
            let mut presses = Vec::new();
            let deadline = s.started + LOAD_PATIENCE;
            while !stages.settled() && Instant::now() < deadline {
                presses.push(press(&mut s, &mut stages, b"?", shows_help));
                presses.push(press(&mut s, &mut stages, b"\x1b", |sc| !shows_help(sc)));
                // A breath between rounds, still watching the screen.
                s.wait_for(Instant::now() + Duration::from_millis(25), |screen| {
                    stages.observe(screen);
                    false
                });
            }
            assert!(stages.settled(), "the load never finished");
            // The changes after the first stage: to indexing, and the gauge's last going.
            let to_indexing = stages
                .changes
                .iter()
                .find(|c| c.stage == Some("indexing links and questions"));
            let to_loaded = stages.changes.last().filter(|c| c.stage.is_none());
            if let Some(done) = to_loaded {
                loads.push(done.by - s.started);
            }
            for (i, change) in [to_indexing, to_loaded].into_iter().enumerate() {
                if let Some(change) = change {
                    near[i].extend(
                        presses
                            .iter()
                            .filter(|p| change.near(p.at, p.took))
                            .map(|p| p.took),
                    );
                }
            }
            if let Some(p) = presses.iter().max_by_key(|p| p.took)
                && worst.as_ref().is_none_or(|(took, _)| p.took > *took)
            {
                worst = Some((
                    p.took,
                    format!(
                        "pressed {:.1?} after spawn, gauge {:?}",
                        p.at - s.started,
                        p.stage.unwrap_or("gone")
                    ),
                ));
            }
            timeouts += presses.iter().filter(|p| p.timed_out).count();
            all.extend(presses.iter().map(|p| p.took));
        }
        let line = command_line(vault);
        table.row(
            format!("key answered while loading, {notes} notes"),
            line.clone(),
            &all,
            &format!(
                "{timeouts} presses unanswered within {ANSWER_CAP:?}; worst {}",
                worst.map_or_else(String::new, |(_, at)| at)
            ),
        );
        for (i, name) in ["→ indexing", "→ loaded"].into_iter().enumerate() {
            table.row(
                format!("  … within {NEAR_CHANGE:?} of {name}"),
                String::new(),
                &near[i],
                "presses whose wait overlaps the change or the window after it",
            );
        }
        table.row(
            format!("load finished (gauge gone), {notes} notes"),
            line,
            &loads,
            "while the keys were pressed",
        );
    }

    /// A Mermaid flowchart of `nodes` nodes: a random tree (every node reachable) plus `extra`
    /// forward edges, deterministic for the seed.
    fn mermaid_chart(nodes: usize, extra: usize, mut seed: u64) -> String {
        let mut next = move |below: usize| {
            // splitmix64
            seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = seed;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) % below as u64) as usize
        };
        let mut text = String::from("flowchart TD\n");
        for i in 0..nodes {
            text.push_str(&format!("  n{i}[Service {i}]\n"));
        }
        for i in 1..nodes {
            text.push_str(&format!("  n{} --> n{i}\n", next(i)));
        }
        for _ in 0..extra {
            let a = next(nodes - 1);
            let b = a + 1 + next(nodes - 1 - a);
            text.push_str(&format!("  n{a} --> n{b}\n"));
        }
        text
    }

    /// Sorted after the small vault's `Note N` titles, so it is not the note selected at start.
    const MERMAID_TITLE: &str = "Zoo of five hundred services";

    /// `/` + the note's title + Enter, then `?` at once: how long until the help shows, and until
    /// the diagram pane shows the drawing (and whether it ever said `Drawing…`).
    fn mermaid(table: &mut Table, runs: usize) {
        let vault = tempfile::tempdir().expect("temp dir");
        let state = tempfile::tempdir().expect("temp dir");
        pty::write_small_vault(vault.path(), 5);
        let chart = mermaid_chart(500, 100, 42);
        let edges = chart.lines().filter(|l| l.contains("-->")).count();
        std::fs::write(
            vault.path().join("mermaid-500.md"),
            format!(
                "---\ntitle: {MERMAID_TITLE}\n---\n\n# Architecture\n\n```mermaid\n{chart}```\n"
            ),
        )
        .expect("note written");
        let (mut help, mut drawn) = (Vec::new(), Vec::new());
        let mut said_drawing = 0;
        for _ in 0..runs {
            let mut s = Session::spawn(pty::explorer(vault.path(), state.path()), WIDE.0, WIDE.1);
            s.expect_text("1 Notes 6/6", s.started + LOAD_PATIENCE);
            s.wait_for(s.started + LOAD_PATIENCE, pty::loaded)
                .expect("loaded");
            s.send(b"/");
            s.expect_text("Search titles and aliases", Instant::now() + ANSWER_CAP);
            s.send(MERMAID_TITLE.as_bytes());
            s.expect_text(&format!("> {MERMAID_TITLE}"), Instant::now() + ANSWER_CAP);
            s.expect_text(
                "Search titles and aliases · 1 ",
                Instant::now() + ANSWER_CAP,
            );
            let enter = Instant::now();
            s.send(b"\r");
            s.send(b"?");
            let (mut help_at, mut drawn_at, mut drawing) = (None, None, false);
            s.wait_for(enter + LOAD_PATIENCE, |screen| {
                let text = screen.contents();
                let now = Instant::now();
                drawing |= text.contains("Drawing…");
                if help_at.is_none() && text.contains("Keys ·") {
                    help_at = Some(now);
                }
                if drawn_at.is_none()
                    && text.contains("3 Diagram 1/1")
                    && !text.contains("Drawing…")
                {
                    drawn_at = Some(now);
                }
                help_at.is_some() && drawn_at.is_some()
            })
            .unwrap_or_else(|| panic!("never showed help and diagram:\n{}", s.screen_text()));
            help.extend(help_at.map(|t| t - enter));
            drawn.extend(drawn_at.map(|t| t - enter));
            said_drawing += usize::from(drawing);
        }
        let line = format!("vaultscope --vault <temp dir>, then keys: / {MERMAID_TITLE} Enter ?");
        table.row(
            "Enter on the diagram note → help shown".into(),
            line,
            &help,
            &format!("5 small notes + one with a 500-node, {edges}-edge Mermaid flowchart"),
        );
        table.row(
            "Enter on the diagram note → diagram drawn".into(),
            String::new(),
            &drawn,
            &format!("`Drawing…` seen in {said_drawing} of {runs} runs"),
        );
    }

    /// After the load, 10 s of nothing: the process's CPU time and the bytes it wrote.
    fn idle(table: &mut Table, vault: &Path, notes: usize, runs: usize) {
        let state = tempfile::tempdir().expect("temp dir");
        let per_second = pty::clock_ticks_per_second();
        let (mut cpu, mut bytes, mut frames) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            let s = Session::spawn(pty::explorer(vault, state.path()), SIZE.0, SIZE.1);
            s.expect_text(
                &format!("1 Notes {notes}/{notes}"),
                s.started + LOAD_PATIENCE,
            );
            s.wait_for(s.started + LOAD_PATIENCE, pty::loaded)
                .expect("loaded");
            // Let the last frames of the load go out first.
            s.wait_for(Instant::now() + Duration::from_millis(500), |_| false);
            let (t0, b0, w0) = (
                pty::cpu_ticks(s.pid()).expect("running"),
                s.bytes_written(),
                Instant::now(),
            );
            s.wait_for(w0 + IDLE, |_| false);
            let (t1, b1, elapsed) = (
                pty::cpu_ticks(s.pid()).expect("running"),
                s.bytes_written(),
                w0.elapsed(),
            );
            cpu.push((t1 - t0) as f64 * 100.0 / (per_second as f64 * elapsed.as_secs_f64()));
            bytes.push(b1 - b0);
            frames.push(frame_ends(&s.output().raw[b0..b1]));
        }
        let cpu_text = cpu
            .iter()
            .map(|c| format!("{c:.1}"))
            .collect::<Vec<_>>()
            .join(", ");
        table.text_row(
            format!("idle {IDLE:?} after load, {notes} notes: CPU % of a core"),
            command_line(vault),
            format!(
                "median {:.1} max {:.1}",
                median_f(&cpu),
                cpu.iter().copied().fold(0.0, f64::max)
            ),
            format!("runs: {cpu_text} (CLK_TCK {per_second})"),
        );
        bytes.sort_unstable();
        frames.sort_unstable();
        table.text_row(
            format!("idle {IDLE:?} after load, {notes} notes: bytes written"),
            String::new(),
            format!(
                "median {} max {}",
                bytes[bytes.len() / 2],
                bytes[bytes.len() - 1]
            ),
            format!(
                "0 = no frame drawn; frames (cursor hide/show, which ratatui writes at the end \
                 of every draw): median {} max {}",
                frames[frames.len() / 2],
                frames[frames.len() - 1]
            ),
        );
    }

    /// How many frames `bytes` holds, counted by the cursor hide (`ESC[?25l`) or show
    /// (`ESC[?25h`) that ratatui writes after every draw, even one that changed no cell.
    fn frame_ends(bytes: &[u8]) -> usize {
        bytes
            .windows(6)
            .filter(|w| *w == b"\x1b[?25l" || *w == b"\x1b[?25h")
            .count()
    }

    fn median_f(v: &[f64]) -> f64 {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    }

    /// The figures, printed together at the end (progress lines come first).
    #[derive(Default)]
    struct Table {
        rows: Vec<[String; 4]>,
    }

    impl Table {
        fn row(&mut self, what: String, command: String, times: &[Duration], note: &str) {
            let figures = if times.is_empty() {
                "no samples".to_owned()
            } else {
                let mut t = times.to_vec();
                t.sort_unstable();
                format!(
                    "median {} p99 {} max {} (n={})",
                    ms(t[t.len() / 2]),
                    ms(t[(t.len() * 99 / 100).min(t.len() - 1)]),
                    ms(t[t.len() - 1]),
                    t.len()
                )
            };
            self.text_row(what, command, figures, note.to_owned());
        }

        fn text_row(&mut self, what: String, command: String, figures: String, note: String) {
            println!("  {what}: {figures} {note}");
            self.rows.push([what, figures, note, command]);
        }

        fn print(&self) {
            println!("| measurement | figures | notes | command |");
            println!("|---|---|---|---|");
            for [what, figures, note, command] in &self.rows {
                let command = if command.is_empty() {
                    String::new()
                } else {
                    format!("`{command}`")
                };
                println!("| {what} | {figures} | {note} | {command} |");
            }
        }
    }

    fn ms(d: Duration) -> String {
        format!("{:.1} ms", d.as_secs_f64() * 1000.0)
    }
}
