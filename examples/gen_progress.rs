//! Writes a study progress of `--cards N` cards (200,000 unless told) for the vault at VAULT
//! into the state folder STATE (as `XDG_STATE_HOME` names it), for measuring `vaultscope due`
//! and `stats` on a large file:
//!
//! ```sh
//! cargo run --release --example gen_progress -- --cards 200000 /tmp/state notes
//! XDG_STATE_HOME=/tmp/state /usr/bin/time -v target/release/vaultscope --vault notes stats
//! ```

#[path = "../benches/support/progress.rs"]
mod progress;

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut cards = 200_000;
    if let Some(i) = args.iter().position(|a| a == "--cards") {
        cards = args
            .get(i + 1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(cards);
        args.drain(i..(i + 2).min(args.len()));
    }
    let [state, vault] = <[String; 2]>::try_from(args)
        .map_err(|_| anyhow::anyhow!("usage: gen_progress [--cards N] STATE VAULT"))?;
    let root = std::fs::canonicalize(&vault)?;
    let store =
        vaultscope::study::store::Store::new(&PathBuf::from(state).join("vaultscope"), &root);
    store.save(&progress::progress(cards))?;
    println!("{}", store.path.display());
    Ok(())
}
