//! Writes a deterministic synthetic Obsidian-style vault, for benchmarks and manual testing.
//!
//! ```text
//! cargo run --release --example gen_vault -- --notes 10000 [--seed 42] [--force] OUT_DIR
//! ```
//!
//! The same `(notes, seed)` always yields byte-identical files (see `benches/support/genvault.rs`
//! for the shape of the notes: Korean/English study notes with front matter, tags, aliases,
//! wikilinks, arrow diagrams and multiple-choice questions). 10,000 notes come to about 39 MB.
//!
//! `OUT_DIR` is created if missing. A non-empty `OUT_DIR` is refused unless `--force` is given;
//! with `--force` generated files overwrite same-named ones and nothing else is deleted.

#[path = "../benches/support/genvault.rs"]
mod genvault;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;

/// Generate a synthetic vault of markdown study notes.
#[derive(Parser)]
#[command(name = "gen_vault")]
struct Args {
    /// Number of notes to generate.
    #[arg(long, default_value_t = 10_000)]
    notes: usize,
    /// PRNG seed; the same (notes, seed) always gives the same vault.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Write even if OUT_DIR is not empty (existing files are kept or overwritten, never deleted).
    #[arg(long)]
    force: bool,
    /// Directory to write the vault into.
    out_dir: PathBuf,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints the context chain on one line, without a backtrace.
            eprintln!("gen_vault: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    if args.out_dir.exists() {
        if !args.out_dir.is_dir() {
            bail!("{} exists and is not a directory", args.out_dir.display());
        }
        let non_empty = std::fs::read_dir(&args.out_dir)
            .with_context(|| format!("reading {}", args.out_dir.display()))?
            .next()
            .is_some();
        if non_empty && !args.force {
            bail!(
                "{} is not empty; pass --force to write into it anyway",
                args.out_dir.display()
            );
        }
    }
    let start = Instant::now();
    let bytes = genvault::write_vault(&args.out_dir, args.notes, args.seed)
        .with_context(|| format!("writing vault to {}", args.out_dir.display()))?;
    let elapsed = start.elapsed();
    println!(
        "wrote {} notes, {} bytes ({:.1} MB) to {} in {:.2?} (seed {})",
        args.notes,
        bytes,
        bytes as f64 / 1e6,
        args.out_dir.display(),
        elapsed,
        args.seed
    );
    Ok(())
}
