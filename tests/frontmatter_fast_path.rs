//! The front-matter fast path must read every block it accepts exactly as serde_yaml does.
//! Compared here on every note of the starter vault, the broken-vault fixture and a generated
//! vault, and it must accept nearly all of them (or it would not be a fast path).

#[path = "../benches/support/genvault.rs"]
mod genvault;

use std::path::Path;

use serde_json::{Map, Value};
use vaultscope::vault::frontmatter::{self, Block};

/// Returns whether the fast path took the block; panics if it disagrees with serde_yaml.
fn check(name: &str, text: &str) -> Option<bool> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let Block::Closed { yaml, .. } = frontmatter::split(text) else {
        return None;
    };
    let fast = frontmatter::simple::parse(yaml)?;
    let exact = match frontmatter::parse_bounded(yaml) {
        Ok(Value::Object(m)) => m,
        Ok(Value::Null) => Map::new(),
        other => panic!("{name}: fast path accepted what serde_yaml reads as {other:?}"),
    };
    assert_eq!(fast, exact, "{name}");
    Some(true)
}

fn md_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        let ft = e.file_type().unwrap();
        if ft.is_dir() {
            md_files(&p, out);
        } else if ft.is_file() && p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

#[test]
fn starter_vault_and_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut starter = Vec::new();
    md_files(&root.join("notes"), &mut starter);
    assert!(starter.len() >= 16);
    for p in &starter {
        let text = std::fs::read_to_string(p).unwrap();
        assert_eq!(
            check(&p.display().to_string(), &text),
            Some(true),
            "{} should take the fast path",
            p.display()
        );
    }
    let mut fixture = Vec::new();
    md_files(&root.join("tests/fixtures/broken-vault"), &mut fixture);
    for p in &fixture {
        let text = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        check(&p.display().to_string(), &text);
    }
}

#[test]
fn generated_vault() {
    let notes = genvault::generate(3_000, 7);
    let taken = notes
        .iter()
        .filter(|n| check(&n.rel_path.display().to_string(), &n.content) == Some(true))
        .count();
    assert!(
        taken * 100 >= notes.len() * 95,
        "fast path took only {taken} of {}",
        notes.len()
    );
}
