//! Crossings our layered layout leaves on generated graphs, beside Graphviz `dot`'s.
//!
//! `cargo run --release --example crossings -- 60 7 > g.dot` prints graph 7 of 60 nodes as
//! Graphviz dot and our crossings on stderr (compare with `dot -v -Tplain g.dot`, whose line
//! `mincross g: N crossings` is its own count).
//!
//! `cargo run --release --example crossings -- compare 30 1-20` lays out graphs 1 to 20 of 30
//! nodes, and, when `dot` is on the PATH, runs `dot -v -Tplain` on each of the same graphs,
//! printing one table: crossings of both, their ratio, and the time each took per graph (ours:
//! the whole layered layout, routing included, best of 5; dot: the whole `dot -Tplain`
//! process, which reports its own mincross time only to 10 ms, below which it stays).

#[path = "../benches/support/graphs.rs"]
mod graphs;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vaultscope::diagram::{Direction, Graph, layout};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("compare") {
        let n = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(30);
        let seeds = args
            .get(2)
            .map_or(vec![1, 2, 3, 4, 5, 7], |a| parse_seeds(a));
        compare(n, &seeds);
        return;
    }
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(60);
    let seed: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(7);
    let g = graphs::generate(n, seed, false);
    print!("{}", to_dot(&g));
    let l = layout::layered(&g, Direction::TB, false);
    let mut ys: Vec<usize> = l.nodes.iter().map(|b| b.y).collect();
    ys.sort_unstable();
    ys.dedup();
    let rank = |i: usize| ys.binary_search(&l.nodes[i].y).unwrap_or(0);
    let span: usize = g
        .edges
        .iter()
        .filter_map(|e| Some(rank(g.node(&e.from)?).abs_diff(rank(g.node(&e.to)?))))
        .sum();
    eprintln!(
        "vaultscope crossings: {} (ranks {}, total edge span {span})",
        l.crossings,
        ys.len()
    );
}

/// `1-20` or `1,2,3,5` (or both: `1-4,7`).
fn parse_seeds(s: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for part in s.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<u64>(), b.parse::<u64>()) {
                    out.extend(a..=b);
                }
            }
            None => out.extend(part.parse::<u64>().ok()),
        }
    }
    out
}

fn to_dot(g: &Graph) -> String {
    let mut s = String::from("digraph g {\n");
    for node in &g.nodes {
        s.push_str(&format!("  {} [label=\"{}\"];\n", node.id, node.label));
    }
    for e in &g.edges {
        s.push_str(&format!("  {} -> {};\n", e.from, e.to));
    }
    s.push_str("}\n");
    s
}

/// What `dot -v -Tplain` says of a graph: its crossings, and the whole run's time. `None` when
/// dot cannot be run.
fn run_dot(text: &str) -> Option<(usize, Duration)> {
    let start = Instant::now();
    let mut child = Command::new("dot")
        .args(["-v", "-Tplain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    // "mincross g: 19 crossings, 0.01 secs."
    let line = err.lines().find(|l| l.starts_with("mincross g:"))?;
    let crossings = line.split_whitespace().nth(2)?.parse().ok()?;
    Some((crossings, took))
}

fn compare(n: usize, seeds: &[u64]) {
    let dot_found = Command::new("dot")
        .arg("-V")
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !dot_found {
        println!("(dot is not on the PATH: our side only)");
    }
    println!("| seed | vaultscope | dot | ratio | vaultscope layout | dot run |");
    println!("|---|---|---|---|---|---|");
    let (mut ours_total, mut dot_total) = (0, 0);
    let (mut ours_time, mut dot_time) = (Duration::ZERO, Duration::ZERO);
    for &seed in seeds {
        let g = graphs::generate(n, seed, false);
        let mut best = Duration::MAX;
        let mut crossings = 0;
        for _ in 0..5 {
            let start = Instant::now();
            let l = layout::layered(&g, Direction::TB, false);
            best = best.min(start.elapsed());
            crossings = l.crossings;
        }
        ours_total += crossings;
        ours_time += best;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        match dot_found.then(|| run_dot(&to_dot(&g))).flatten() {
            Some((d, took)) => {
                dot_total += d;
                dot_time += took;
                println!(
                    "| {seed} | {crossings} | {d} | {} | {:.2} ms | {:.1} ms |",
                    ratio(crossings, d),
                    ms(best),
                    ms(took),
                );
            }
            None => println!("| {seed} | {crossings} | | | {:.2} ms | |", ms(best)),
        }
    }
    let k = seeds.len().max(1) as f64;
    println!(
        "| all | {ours_total} | {dot_total} | **{}** | {:.2} ms a graph | {:.1} ms a graph |",
        ratio(ours_total, dot_total),
        ours_time.as_secs_f64() * 1e3 / k,
        dot_time.as_secs_f64() * 1e3 / k
    );
}

fn ratio(a: usize, b: usize) -> String {
    if b == 0 {
        if a == 0 { "1.00".into() } else { "∞".into() }
    } else {
        format!("{:.2}", a as f64 / b as f64)
    }
}
