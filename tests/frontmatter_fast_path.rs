//! The front-matter fast path must read every block it accepts exactly as serde_yaml does.
//! Compared here on every note of the starter vault, the broken-vault fixture and a generated
//! vault, and it must accept nearly all of them (or it would not be a fast path). And what
//! `frontmatter::parse` makes of the fast path's fields directly (borrowed text, no JSON value
//! for a title, tag or alias) must equal what the reference makes of them through a JSON map,
//! issues included.

#[path = "../benches/support/genvault.rs"]
mod genvault;

use std::path::Path;

use serde_json::{Map, Value};
use vaultscope::vault::frontmatter::{self, Block};

/// Returns whether the fast path took the block; panics if it disagrees with serde_yaml, or
/// the direct coercion with the one through a map.
fn check(name: &str, text: &str) -> Option<bool> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let Block::Closed { yaml, .. } = frontmatter::split(text) else {
        return None;
    };
    same_coercion(name, yaml);
    let fast = frontmatter::simple::parse(yaml)?;
    let exact = match frontmatter::parse_bounded(yaml) {
        Ok(Value::Object(m)) => m,
        Ok(Value::Null) => Map::new(),
        other => panic!("{name}: fast path accepted what serde_yaml reads as {other:?}"),
    };
    assert_eq!(fast, exact, "{name}");
    Some(true)
}

fn same_coercion(name: &str, yaml: &str) {
    assert_eq!(
        frontmatter::parse(yaml, 2),
        frontmatter::parse_through_map(yaml, 2),
        "{name}: {yaml:?}"
    );
}

/// Blocks the fast path takes whose fields the direct coercion reads by its own code (title,
/// tags, aliases in every shape) or hands on (dates, properties), with the issues they raise:
/// both ways must agree.
#[test]
fn direct_coercion_equals_the_map_one() {
    let blocks = [
        "title: plain\ntags: [a, b]\naliases: [\"x\", 'y']\n",
        "title:  padded  \ntags: a, b c,,d\naliases: one alias\n",
        "title: '  two   spaces '\ntags:\n- a b\n- \n- '#c'\n- '123'\n- x//y\n",
        "Title: upper\nTAGS: [A]\ntag: [a, B]\nTags: b\n",
        "alias: [x, y]\naliases: [y, z, x]\nAliases: z\n",
        "title: \"\u{200B}\"\ntags: [\"123\", 4/5]\n",
        "title: \"\"\ntags: \"\"\naliases: \"\"\n",
        "title:\ntags:\naliases:\n",
        "title: []\ntags: []\naliases: []\n",
        "title: [a, b]\n",
        "created: 2024-07-16\nmodified: not a date\ndate: 2024-01-01\nupdated: later\n",
        "Created: 2024-07-16\nDATE: yesterday\nModified:\n",
        "note: free\n분류: [네트워크, 보안]\nempty:\nlist:\n- a\n-\n",
        "tags: '#a, #b'\naliases:\n  - \"  spaced   alias  \"\n  - ''\n",
        "tags: [\u{3000}]\naliases: [\u{3000}x]\ntitle: \u{3000}\n",
        "tag: '/a//b/'\ntags: ' / '\n",
    ];
    for yaml in blocks {
        assert!(
            frontmatter::simple::parse(yaml).is_some(),
            "the fast path should take {yaml:?}"
        );
        same_coercion("table", yaml);
    }
    // Many aliases: past the few compared one by one.
    let many: String = (0..100).map(|i| format!("- a{}\n", i % 70)).collect();
    let yaml = format!("aliases:\n{many}alias: [a1, a99, b]\n");
    same_coercion("many aliases", &yaml);
    let (fm, _) = frontmatter::parse(&yaml, 2).unwrap();
    assert_eq!(fm.aliases.len(), 72);
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
