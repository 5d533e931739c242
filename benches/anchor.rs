//! Issue 14's table: each headless command measured side by side with its anchor, runs
//! alternated (anchor, then every command of its group, over and over), medians and ratios.
//!
//! ```text
//! cargo bench --bench anchor                      # the 10k vault
//! ANCHOR_BENCH_100K=1 cargo bench --bench anchor  # and the 100k vault
//! ANCHOR_BENCH_RUNS=9 cargo bench --bench anchor  # runs per command (default 5)
//! ```
//!
//! Every command's output is read through a pipe and dropped (never `/dev/null`: ripgrep
//! notices one and stops early). "Warm" runs use a cache folder of their own, filled by one
//! `check` first; "cold" runs pass `--no-cache`. Peak memory comes from `/usr/bin/time -f %M`
//! when it is installed. A missing anchor (`rg`, `fzf`) skips its rows, saying so. Vaults are
//! those of `benches/pty.rs`: generated (seed 42) under `<target>/bench-vaults/`.
//!
//! Not criterion: a sample is a whole process, and what is wanted is the ratio to another
//! program measured in the same moments on a shared machine.
//!
//! Beside the second start, the floor of any start that checks each note against a cache: this
//! bench run again as `anchor --stat-walk`, which walks the vault on all cores and `statx`es
//! every note, printing only their count (no goal; it shows what the rest of a warm start costs).

#[path = "support/genvault.rs"]
mod genvault;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_vaultscope");
/// What `search` looks for, in both programs.
const QUERY: &str = "sagemaker";

/// One command line of a group: what it is called, its program and arguments, its goal as a
/// ratio to the group's anchor (`None` for the anchor).
struct Cmd {
    name: String,
    argv: Vec<String>,
    stdin: Option<PathBuf>,
    goal: Option<f64>,
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--stat-walk") {
        stat_walk();
        return;
    }
    let runs: usize = std::env::var("ANCHOR_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut sizes = vec![10_000];
    if std::env::var_os("ANCHOR_BENCH_100K").is_some() {
        sizes.push(100_000);
    }
    let target = Path::new(BINARY)
        .ancestors()
        .nth(2)
        .expect("the binary lives in <target>/<profile>/")
        .to_path_buf();
    println!(
        "anchor bench: {BINARY}, {runs} runs each, alternated; {}",
        load()
    );
    for notes in sizes {
        let t = Instant::now();
        // `VAULTSCOPE_BENCH_VAULTS` names another folder of kept vaults (another worktree's).
        let kept = std::env::var_os("VAULTSCOPE_BENCH_VAULTS")
            .map_or_else(|| target.join("bench-vaults"), PathBuf::from);
        let (vault, made) = genvault::kept_vault(&kept, notes).expect("vault written");
        if made {
            println!("generated {} in {:.1?}", vault.display(), t.elapsed());
        }
        bench_vault(&vault, notes, runs);
    }
}

fn bench_vault(vault: &Path, notes: usize, runs: usize) {
    let scratch = tempfile::tempdir().expect("temp dir");
    let cache = scratch.path().join("cache");
    let on_disk = size_on_disk(vault);
    println!(
        "\n== {notes} notes: {} ({:.1} MB of files)",
        vault.display(),
        on_disk as f64 / 1e6
    );
    // The cache filled by a full load, as after a first start.
    timed(vault, &cache, &vs(vault, &["check", "--json"]));

    let vaultscope = |name: &str, args: &[&str], warm: bool, goal: f64| {
        let mut args = args.to_vec();
        if !warm {
            args.push("--no-cache");
        }
        Cmd {
            name: name.to_owned(),
            argv: vs(vault, &args).argv,
            stdin: None,
            goal: Some(goal),
        }
    };
    // An anchor of ripgrep's, when it is installed.
    let rg = |args: &[&str]| {
        has("rg").then(|| Cmd {
            name: args.join(" "),
            argv: argv(args),
            stdin: None,
            goal: None,
        })
    };
    group(
        vault,
        &cache,
        runs,
        rg(&["rg", "-c", "--no-ignore", "."]),
        vec![
            vaultscope("list --json, cold", &["list", "--json"], false, 1.3),
            vaultscope("list --json, warm", &["list", "--json"], true, 1.3),
            vaultscope("check --json, cold", &["check", "--json"], false, 1.5),
            vaultscope("check --json, warm", &["check", "--json"], true, 1.5),
        ],
    );
    group(
        vault,
        &cache,
        runs,
        rg(&["rg", "--files"]),
        vec![
            vaultscope(
                "second start: list --json, warm",
                &["list", "--json"],
                true,
                1.0,
            ),
            Cmd {
                name: "floor: walk + statx of every note".to_owned(),
                argv: vec![
                    std::env::current_exe()
                        .expect("the bench's own path")
                        .display()
                        .to_string(),
                    "--stat-walk".to_owned(),
                ],
                stdin: None,
                goal: None,
            },
        ],
    );
    // fzf filters a file of the same titles and aliases the search index holds.
    let names = scratch.path().join("names.txt");
    let mut text = String::new();
    for (title, aliases) in genvault::titles_and_aliases(notes, 42) {
        text.push_str(&title);
        text.push('\n');
        for a in aliases {
            text.push_str(&a);
            text.push('\n');
        }
    }
    std::fs::write(&names, text).expect("names written");
    let fzf = Cmd {
        name: format!("fzf --filter {QUERY} < titles+aliases"),
        argv: argv(&["fzf", "--filter", QUERY]),
        stdin: Some(names),
        goal: None,
    };
    group(
        vault,
        &cache,
        runs,
        if has("fzf") { Some(fzf) } else { None },
        vec![vaultscope(
            &format!("search {QUERY}, warm"),
            &["search", QUERY],
            true,
            1.0,
        )],
    );
    memory(vault, &cache, on_disk);
}

/// The anchor and its commands, alternated `runs` times after a warm-up round; prints the
/// medians and each command's ratio to the anchor against its goal.
fn group(vault: &Path, cache: &Path, runs: usize, anchor: Option<Cmd>, cmds: Vec<Cmd>) {
    let Some(anchor) = anchor else {
        println!(
            "(anchor for {} not installed: skipped)",
            cmds.iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return;
    };
    let all: Vec<&Cmd> = std::iter::once(&anchor).chain(&cmds).collect();
    let mut times = vec![Vec::with_capacity(runs); all.len()];
    for round in 0..=runs {
        for (i, c) in all.iter().enumerate() {
            let t = timed(vault, cache, c);
            if round > 0 {
                times[i].push(t);
            }
        }
    }
    let base = median(&mut times[0]);
    println!(
        "{:<42} {:>10}   (anchor)   $ {}",
        anchor.name,
        ms(base),
        anchor.argv.join(" ")
    );
    for (c, t) in cmds.iter().zip(&mut times[1..]) {
        let m = median(t);
        let ratio = m.as_secs_f64() / base.as_secs_f64();
        let verdict = match c.goal {
            Some(goal) if ratio <= goal => format!("goal ≤ {goal}x met"),
            Some(goal) => format!("goal ≤ {goal}x NOT met"),
            None => "(no goal)".to_owned(),
        };
        println!(
            "{:<42} {:>10} {:>6.2}x  {verdict}   $ {}",
            c.name,
            ms(m),
            ratio,
            c.argv.join(" ")
        );
    }
    println!("  ({})", load());
}

/// Peak resident memory of each vaultscope command against the vault's size on disk (goal:
/// under 2x).
fn memory(vault: &Path, cache: &Path, on_disk: u64) {
    if !Path::new("/usr/bin/time").exists() {
        println!("(/usr/bin/time not installed: peak memory skipped)");
        return;
    }
    for args in [
        &["list", "--json"][..],
        &["list", "--json", "--no-cache"],
        &["check", "--json"],
        &["check", "--json", "--no-cache"],
    ] {
        let c = vs(vault, args);
        let out = Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%M")
            .args(&c.argv)
            .current_dir(vault)
            .env("XDG_CACHE_HOME", cache)
            .env_remove("VAULTSCOPE_NO_CACHE")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("/usr/bin/time runs");
        let err = String::from_utf8_lossy(&out.stderr);
        let kb: u64 = err
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or(0);
        let bytes = kb * 1024;
        println!(
            "peak memory {:<28} {:>8.1} MB = {:.2}x the vault on disk (goal < 2x)",
            args.join(" "),
            bytes as f64 / 1e6,
            bytes as f64 / on_disk as f64
        );
    }
}

/// `vaultscope --vault VAULT ARGS` with the bench's cache folder.
fn vs(vault: &Path, args: &[&str]) -> Cmd {
    let mut v = vec![
        BINARY.to_owned(),
        "--vault".into(),
        vault.display().to_string(),
    ];
    v.extend(args.iter().map(|a| (*a).to_owned()));
    Cmd {
        name: args.join(" "),
        argv: v,
        stdin: None,
        goal: None,
    }
}

fn argv(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| (*s).to_owned()).collect()
}

/// Spawn to exit, the output read through a pipe and dropped.
fn timed(vault: &Path, cache: &Path, c: &Cmd) -> Duration {
    let mut cmd = Command::new(&c.argv[0]);
    cmd.args(&c.argv[1..])
        .current_dir(vault)
        .env("XDG_CACHE_HOME", cache)
        .env("XDG_STATE_HOME", cache)
        .env_remove("VAULTSCOPE_NO_CACHE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    match &c.stdin {
        Some(f) => cmd.stdin(std::fs::File::open(f).expect("stdin file")),
        None => cmd.stdin(Stdio::null()),
    };
    let t = Instant::now();
    let mut child = cmd.spawn().expect("spawns");
    let mut out = child.stdout.take().expect("piped");
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0usize;
    loop {
        match out.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
    let status = child.wait().expect("waits");
    let took = t.elapsed();
    // `check` exits 1 when it finds problems, which the generated vaults have on purpose.
    assert!(
        status.code().is_some_and(|c| c <= 1) && total > 0,
        "{} failed ({status}, {total} bytes)",
        c.argv.join(" ")
    );
    took
}

fn median(t: &mut [Duration]) -> Duration {
    t.sort();
    t[t.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "load average unknown".to_owned(),
        |l| {
            let l: Vec<&str> = l.split_whitespace().take(3).collect();
            format!("load average {}", l.join(" "))
        },
    )
}

/// The bytes of the vault's files.
fn size_on_disk(vault: &Path) -> u64 {
    walkdir::WalkDir::new(vault)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// `anchor --stat-walk`, run in a vault: its folders walked on all cores (hidden ones skipped,
/// as the load skips them), each `*.md` regular file's identity taken (`statx` by name in its
/// folder, as a warm load takes it), and only their count printed.
fn stat_walk() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    fn visit<'s>(s: &rayon::Scope<'s>, dir: PathBuf, found: &'s AtomicUsize) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            match e.file_type() {
                Ok(t) if t.is_dir() => {
                    let sub = e.path();
                    s.spawn(move |s| visit(s, sub, found));
                }
                Ok(t)
                    if t.is_file()
                        && name.as_encoded_bytes().ends_with(b".md")
                        && e.metadata().is_ok() =>
                {
                    found.fetch_add(1, Ordering::Relaxed);
                }
                _ => {}
            }
        }
    }
    let found = AtomicUsize::new(0);
    rayon::scope(|s| visit(s, PathBuf::from("."), &found));
    println!("{}", found.load(Ordering::Relaxed));
}
