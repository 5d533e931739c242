//! The benchmark vaults link as Obsidian resolves links, so `check` on them reports only the
//! problems the generator seeds on purpose (a benchmark of `check` must not measure thousands
//! of spurious problems being printed).

#[path = "../benches/support/genvault.rs"]
mod genvault;

use vaultscope::vault::{ProblemKind, Vault};

#[test]
fn check_on_a_generated_vault_finds_only_the_seeded_problems() {
    const NOTES: usize = 1_500;
    const SEED: u64 = 42;
    let dir = tempfile::tempdir().unwrap();
    genvault::write_vault(dir.path(), NOTES, SEED).unwrap();
    let vault = Vault::load(dir.path()).unwrap();
    assert_eq!(vault.notes.len(), NOTES);

    let mut unresolved = 0;
    let mut duplicates = 0;
    for p in &vault.problems {
        match p.kind {
            ProblemKind::UnresolvedLink => {
                let seeded = format!("[[{}", genvault::UNRESOLVED_PREFIX);
                assert!(p.message.contains(&seeded), "not seeded: {p:?}");
                unresolved += 1;
            }
            ProblemKind::DuplicateAlias => duplicates += 1,
            _ => panic!("not seeded: {p:?}"),
        }
    }
    assert_eq!(
        duplicates,
        genvault::seeded_duplicate_aliases(NOTES, SEED),
        "duplicate aliases"
    );
    assert!(duplicates > 0, "the seeded duplicates are there");

    // About 3% of the links are left unresolved on purpose; the rest, by file name, by path
    // and by folder/name, all resolve.
    let links: usize = vault.notes.iter().map(|n| n.links.len()).sum();
    assert!(links > 10 * NOTES / 2, "{links} links");
    let share = unresolved as f64 / links as f64;
    assert!((0.01..0.06).contains(&share), "{unresolved} of {links}");
    let by_path = vault
        .notes
        .iter()
        .flat_map(|n| &n.links)
        .filter(|l| l.raw.target.contains('/'))
        .count();
    assert!(by_path > links / 20, "{by_path} links by path of {links}");
}
