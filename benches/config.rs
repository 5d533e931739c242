//! What the configuration costs at start-up, beside the anchor the issue names (start-up may
//! not grow by more than 5 ms):
//!
//! - `parse_settings`: the full commented default file plus two remapped contexts and a user
//!   theme parsed, checked, and made into the keymap and theme (what every run does before
//!   anything else);
//! - `keymap_default`: the built-in keymap alone, for comparison;
//! - `process/version`, `process/config_no_file` and `process/config`: the binary started
//!   with no configuration read (`--version`), with none there (`config` on an empty config
//!   folder), and with that file read, parsed and printed back (`config`); the last two's
//!   difference is the file's share of a start.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use vaultscope::config::{default_file, parse};
use vaultscope::tui::keymap::Keymap;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn text() -> String {
    let mut text = default_file();
    text.push_str(
        "\n[keys.list]\n\"ctrl-j\" = \"down\"\n\"ctrl-k\" = \"up\"\n[keys.global]\n\"?\" = \"none\"\n\
         \"ctrl-h\" = \"toggle-help\"\n[themes.mine]\nextends = \"light\"\nheading1 = \"bold #ff8800\"\n",
    );
    text.replace("theme = \"terminal\"", "theme = \"mine\"")
}

fn bench(c: &mut Criterion) {
    let text = text();
    let file = Path::new("/bench/config.toml");
    c.bench_function("parse_settings", |b| {
        b.iter(|| {
            let loaded = parse(black_box(&text), file).expect("parses");
            black_box(loaded.settings().expect("settings"))
        })
    });
    c.bench_function("keymap_default", |b| {
        b.iter(|| black_box(Keymap::default()))
    });

    let home = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(home.path().join("vaultscope")).expect("config dir");
    std::fs::write(home.path().join("vaultscope/config.toml"), &text).expect("config");
    let empty = tempfile::tempdir().expect("temp dir");
    let run_in = |home: &Path, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_vaultscope"))
            .args(args)
            .env("XDG_CONFIG_HOME", home)
            .env_remove("VAULTSCOPE_CONFIG")
            .output()
            .expect("runs");
        assert!(out.status.success());
        black_box(out.stdout.len())
    };
    let mut g = c.benchmark_group("process");
    g.bench_function("version", |b| {
        b.iter(|| run_in(home.path(), &["--version"]))
    });
    g.bench_function("config_no_file", |b| {
        b.iter(|| run_in(empty.path(), &["config"]))
    });
    g.bench_function("config", |b| b.iter(|| run_in(home.path(), &["config"])));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
