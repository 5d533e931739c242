//! Code highlighting: what it costs and what it must not cost.
//!
//! - `startup/*`: the release binary started to print a note (`show`), with highlighting on
//!   and off (`--no-highlight`, the anchor), for a note without code (the grammars must not
//!   load at all) and for one with a Python block (they load on first use).
//! - `largest_note/*`: the largest note of the generated 10k-note vault rendered at width 100
//!   with colour, highlighting off (the anchor) and on.
//! - `block/*`: one block of each language once its grammar is compiled.

#[path = "support/genvault.rs"]
mod genvault;

use std::process::{Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};
use vaultscope::markdown::highlight::{Budget, Highlighter, Outcome};
use vaultscope::markdown::{DiagramMode, DiagramView, Drawings, RenderOptions, render};
use vaultscope::style::Styles;
use vaultscope::vault::Note;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BINARY: &str = env!("CARGO_BIN_EXE_vaultscope");

const RUST: &str = r#"use std::collections::HashMap;

/// Counts words.
pub fn count(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1; // fast enough
    }
    let n = 0x1f + 42;
    println!("{} words, {n}", counts.len());
    counts
}
"#;

const PYTHON: &str = r#"import os

def walk(root: str) -> list[str]:
    """Every file under root."""
    out = []
    for d, _, files in os.walk(root):  # below too
        out += [os.path.join(d, f) for f in files]
    return out if out else None
"#;

fn show(vault: &std::path::Path, note: &str, highlight: bool) {
    let mut cmd = Command::new(BINARY);
    cmd.args(["--color", "always", "--no-cache", "--vault"])
        .arg(vault)
        .args(["show", note, "--width", "100"]);
    if !highlight {
        cmd.arg("--no-highlight");
    }
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the binary runs");
    assert!(status.success());
}

fn bench(c: &mut Criterion) {
    let vault = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        vault.path().join("prose.md"),
        "# Prose\n\nNo code here, 코드 없음.\n",
    )
    .expect("a note");
    std::fs::write(
        vault.path().join("python.md"),
        format!("# Python\n\n```python\n{PYTHON}```\n"),
    )
    .expect("a note");
    let mut group = c.benchmark_group("startup");
    group.sample_size(30);
    for (note, name) in [("prose", "no_code"), ("python", "python_block")] {
        for (on, state) in [(false, "off"), (true, "on")] {
            group.bench_function(format!("show_{name}_highlight_{state}"), |b| {
                b.iter(|| show(vault.path(), note, on))
            });
        }
    }
    group.finish();

    let notes = genvault::generate(10_000, 42);
    let largest = notes.iter().max_by_key(|n| n.content.len()).expect("notes");
    let (big, _) = Note::parse("big.md", &largest.content, 0, None);
    let body = Note::body_of(&largest.content);
    let drawings = Drawings::of_body(body, 0);
    let resolves = |_: &str| true;
    let opts = |highlight| RenderOptions {
        width: 100,
        styles: Styles::new(true),
        resolves: &resolves,
        now: 1_795_996_800,
        diagrams: DiagramView {
            mode: DiagramMode::Auto,
            drawings: Some(&drawings),
        },
        highlight,
        pictures: None,
    };
    let fences = body.matches("```").count() / 2;
    eprintln!(
        "largest note: {} KB, {fences} fenced blocks",
        largest.content.len() / 1024
    );
    let mut group = c.benchmark_group("largest_note");
    group.sample_size(20);
    for (name, highlight) in [
        ("highlight_off", None),
        ("highlight_on", Some(Budget::default())),
        ("highlight_on_untimed", Some(Budget::untimed())),
    ] {
        let o = opts(highlight);
        group.bench_function(name, |b| b.iter(|| render(Some(&big), body, &o)));
    }
    group.finish();

    let mut group = c.benchmark_group("block");
    for (lang, code) in [("rust", RUST), ("python", PYTHON)] {
        let lines: Vec<String> = code.lines().map(str::to_owned).collect();
        // Compiles the grammar's regexes once, outside the measurement.
        let mut warm = Highlighter::new(Budget::untimed());
        assert!(matches!(warm.block(lang, &lines), Outcome::Lines(_)));
        group.bench_function(format!("{lang}_{}_lines", lines.len()), |b| {
            b.iter(|| Highlighter::new(Budget::untimed()).block(lang, &lines))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
