//! The cache changes nothing a load gives: cold, warm, after edits, renames, deletions, a
//! clock set back and new flashcard settings, and with any file at all where the cache goes.
//! Nor does a full load that extends what an outline load before it parsed
//! ([`crate::vault::Kept`]).

use std::path::{Path, PathBuf};

use super::*;
use crate::vault::{Kept, Progress, TitleRule, Vault};

/// A vault with a bit of everything a load reads: front matter with nested properties, links
/// between notes and to an attachment, questions of several forms, a split question, cards,
/// a symlinked note, problems of several kinds, a hidden folder.
fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path();
    let w = |rel: &str, text: &[u8]| {
        let p = v.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w(
        "index.md",
        "---\ntitle: 색인 Index\ntags: [home, aws/vpc]\naliases: [start]\ncreated: 2024-01-02\n\
         owner: {name: me, ids: [1, 2.5, -3]}\nflag: true\n---\n# Ignored\nSee [[notes/vpc|VPC]], \
         [[missing]], ![[img/pic.png]] and [[notes/vpc#Subnets]]. #inline 🎉\n"
            .as_bytes(),
    );
    w(
        "notes/vpc.md",
        "# VPC 노트\n\n**Question:** Which?\n**Options:**\n- A) one\n- B) two\n**정답: B) two**\n\n\
         💡 추가 설명:\n- because\n\nQ: open?\nA: yes\n\n#flashcards/aws\nfront::back\n"
            .as_bytes(),
    );
    w(
        "quiz/1/문제.md",
        b"# Q1\nWhich one?\n\nA. first\nB. second\nC. third\n",
    );
    w("quiz/1/해설.md", b"C. third\n\nBecause it is.\n");
    w("broken.md", b"---\ntitle: [unclosed\n---\nbody\n");
    // A byte order mark before the front matter, and a link in a property.
    w(
        "bom.md",
        "\u{FEFF}---\ntitle: 비오엠\nrelated: \"[[index]]\"\n---\nsee [[notes/vpc]] #b\n"
            .as_bytes(),
    );
    w("unclosed.md", b"---\ntitle: x\n# Heading\n");
    w("latin1.md", b"# caf\xe9\n");
    w("empty.md", b"");
    w("binary.md", b"\x00\x01\x02\x03PK\x00\x00");
    w("img/pic.png", b"\x89PNG");
    w(".obsidian/app.json", b"{}");
    w(".hidden/n.md", b"# hidden\n");
    w(
        ".obsidian/plugins/obsidian-spaced-repetition/data.json",
        br#"{"settings": {"flashcardTags": ["flashcards"]}}"#,
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(v.join("notes/vpc.md"), v.join("link.md")).unwrap();
    dir
}

/// Everything a vault holds, as text: the whole `Vault` (notes with every field, backlinks,
/// attachments, folders, problems, depth).
fn whole(v: &Vault) -> String {
    format!("{v:#?}")
}

fn cold(root: &Path, depth: Depth) -> String {
    whole(&Vault::load_to(root, depth).unwrap())
}

/// A load through the cache at `place`, its cache written; the vault and the counts.
fn warm(root: &Path, depth: Depth, place: &Place) -> (String, Counts, bool) {
    let root = Vault::open_root(root).unwrap();
    let cache = Cache::open(place, &root);
    let (v, update) = Vault::load_with_cache(&root, depth, &Progress::default(), cache).unwrap();
    let counts = update.counts;
    let wrote = update.write().unwrap();
    (whole(&v), counts, wrote)
}

fn notes_in(root: &Path) -> usize {
    Vault::load_to(root, Depth::Outline).unwrap().notes.len()
}

/// Both depths load the same through the cache as without it; returns the full load's counts.
fn same_both_ways(root: &Path, place: &Place) -> Counts {
    let (outline, _, _) = warm(root, Depth::Outline, place);
    assert_eq!(outline, cold(root, Depth::Outline));
    let (full, counts, _) = warm(root, Depth::Full, place);
    assert_eq!(full, cold(root, Depth::Full));
    counts
}

#[cfg(target_os = "linux")]
#[test]
fn cold_warm_and_after_every_kind_of_change_load_the_same_vault() {
    every_kind_of_change();
}

/// Loads on this thread read their cache file after their walk while this lives, the notes
/// found before keeping the handles of at most `folders` folders (see `Vault::load_from`).
struct ReadAfterWalk;

impl ReadAfterWalk {
    fn keeping(folders: usize) -> ReadAfterWalk {
        crate::vault::READ_CACHE_AFTER_WALK.set(Some(folders));
        ReadAfterWalk
    }
}

impl Drop for ReadAfterWalk {
    fn drop(&mut self) {
        crate::vault::READ_CACHE_AFTER_WALK.set(None);
    }
}

/// The same with every note found before the cache file is read: looked up after the walk,
/// by the identity the walk saw, and read when it changed in its folder's handle, or by its
/// path from the root beyond the folders whose handles are kept.
#[cfg(target_os = "linux")]
#[test]
fn notes_found_while_the_cache_is_read_load_the_same_vault() {
    for folders in [0, 1, 256] {
        let _after = ReadAfterWalk::keeping(folders);
        every_kind_of_change();
    }
}

#[cfg(target_os = "linux")]
fn every_kind_of_change() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());
    let n = notes_in(&root);

    // Cold: nothing cached yet; the load writes the cache.
    let (full, counts, wrote) = warm(&root, Depth::Full, &place);
    assert_eq!(full, cold(&root, Depth::Full));
    assert_eq!((counts.hits, wrote), (0, true));
    // Warm: every note that was read comes from the cache, and nothing is written again.
    let (full, counts, wrote) = warm(&root, Depth::Full, &place);
    assert_eq!(full, cold(&root, Depth::Full));
    // The binary note gives no note, so it is read each time.
    assert_eq!((counts.hits, counts.misses, wrote), (n, 1, false));
    // An outline load takes the outline part of the same records.
    let (outline, counts, wrote) = warm(&root, Depth::Outline, &place);
    assert_eq!(outline, cold(&root, Depth::Outline));
    assert_eq!((counts.hits, wrote), (n, false));

    // An edit of the same length, its modification time set back to the old one (a clock
    // going backwards, `touch -d`): the change time still tells.
    let p = root.join("notes/vpc.md");
    let before = std::fs::metadata(&p).unwrap();
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("Which?", "Whose?");
    std::fs::write(&p, &text).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();
    assert_eq!(std::fs::metadata(&p).unwrap().len(), before.len());
    let counts = same_both_ways(&root, &place);
    // The note and the link to it.
    assert_eq!(counts.hits, n - 2);
    assert!(cold(&root, Depth::Full).contains("Whose?"));

    // The answer note of a split question changes: the question note, taken from the cache,
    // is joined to the new answer.
    std::fs::write(root.join("quiz/1/해설.md"), "A. first\n\nNow the first.\n").unwrap();
    same_both_ways(&root, &place);
    // A rename, a deletion, a new note, a new attachment (links now resolve to it).
    std::fs::rename(root.join("unclosed.md"), root.join("notes/renamed.md")).unwrap();
    std::fs::remove_file(root.join("broken.md")).unwrap();
    std::fs::write(root.join("missing.md"), "# Now here\n[[index]]\n").unwrap();
    same_both_ways(&root, &place);
    // The symlink now points at another note.
    std::fs::remove_file(root.join("link.md")).unwrap();
    std::os::unix::fs::symlink(root.join("index.md"), root.join("link.md")).unwrap();
    same_both_ways(&root, &place);
    // A file swapped for another of the same name, size and times (a new inode).
    let p = root.join("missing.md");
    let meta = std::fs::metadata(&p).unwrap();
    std::fs::remove_file(&p).unwrap();
    std::fs::write(&p, "# Now HERE\n[[index]]\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    same_both_ways(&root, &place);
    assert!(cold(&root, Depth::Full).contains("Now HERE"));
    // New flashcard settings change which lines are cards: no full record is used.
    std::fs::write(
        root.join(".obsidian/plugins/obsidian-spaced-repetition/data.json"),
        r#"{"settings": {"flashcardTags": ["flashcards"], "singleLineCardSeparator": "=>"}}"#,
    )
    .unwrap();
    let (full, counts, wrote) = warm(&root, Depth::Full, &place);
    assert_eq!(full, cold(&root, Depth::Full));
    assert_eq!((counts.hits, wrote), (0, true));
    // And afterwards everything is warm again.
    let n = notes_in(&root);
    let counts = same_both_ways(&root, &place);
    assert_eq!(counts.hits, n);
}

/// A cache kept after an outline load (the CLI's `list`) serves an outline load, and a full
/// load reads every note and then keeps full records.
#[cfg(target_os = "linux")]
#[test]
fn an_outline_cache_is_filled_in_by_a_full_load() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());
    let n = notes_in(&root);
    let (_, _, wrote) = warm(&root, Depth::Outline, &place);
    assert!(wrote);
    let open = |root: &Path| Cache::open(&place, root);
    assert!(open(&root).is_usable() && !open(&root).warm_for_full());
    let (outline, counts, _) = warm(&root, Depth::Outline, &place);
    assert_eq!((outline, counts.hits), (cold(&root, Depth::Outline), n));
    let (full, counts, wrote) = warm(&root, Depth::Full, &place);
    assert_eq!(
        (full, counts.hits, wrote),
        (cold(&root, Depth::Full), 0, true)
    );
    assert!(open(&root).warm_for_full());
    let (_, counts, wrote) = warm(&root, Depth::Full, &place);
    assert_eq!((counts.hits, wrote), (n, false));
    // An outline load that rewrites the cache (a note changed) keeps the other notes' full
    // parts, read then from the file it opened: the next full load reads only that note.
    std::fs::write(root.join("index.md"), "# Changed\n[[notes/vpc]]\n").unwrap();
    let (outline, counts, wrote) = warm(&root, Depth::Outline, &place);
    assert_eq!(
        (outline, counts.hits, wrote),
        (cold(&root, Depth::Outline), n - 1, true)
    );
    assert!(!open(&root).warm_for_full());
    let (full, counts, wrote) = warm(&root, Depth::Full, &place);
    assert_eq!(
        (full, counts.hits, wrote),
        (cold(&root, Depth::Full), n - 1, true)
    );
    assert!(open(&root).warm_for_full());
}

/// The cache file of `root` at `place`.
fn cache_file(place: &Place, root: &Path) -> PathBuf {
    file_for(place, &root.canonicalize().unwrap())
        .unwrap()
        .unwrap()
}

/// Loads `root` with `bytes` as its cache file: the same vault as without a cache, at both
/// depths, and a usable cache written in its place.
fn survives(root: &Path, place: &Place, bytes: &[u8], what: &str) {
    let file = cache_file(place, root);
    std::fs::write(&file, bytes).unwrap();
    let (outline, _, _) = warm(root, Depth::Outline, place);
    assert!(
        outline == cold(root, Depth::Outline),
        "{what}: outline differs"
    );
    std::fs::write(&file, bytes).unwrap();
    let (full, _, _) = warm(root, Depth::Full, place);
    assert!(full == cold(root, Depth::Full), "{what}: full differs");
    assert!(
        Old::read(&file, &root.canonicalize().unwrap()).is_some(),
        "{what}: not replaced"
    );
}

/// A small deterministic generator (xorshift), for random bytes.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn random_truncated_and_lying_cache_files_change_nothing() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());
    warm(&root, Depth::Full, &place);
    let valid = std::fs::read(cache_file(&place, &root)).unwrap();
    assert!(Old::read(&cache_file(&place, &root), &root).is_some());

    for seed in 1..4 {
        survives(&root, &place, &noise(seed, 4096), "random bytes");
        // Random bytes after a valid magic, and after a valid header.
        let mut b = MAGIC.to_vec();
        b.extend(noise(seed, 2048));
        survives(&root, &place, &b, "magic then random bytes");
    }
    let header_len = {
        let rest = &valid[MAGIC.len()..];
        let (_, after) = postcard::take_from_bytes::<Header>(rest).unwrap();
        valid.len() - after.len()
    };
    let mut b = valid[..header_len].to_vec();
    b.extend(noise(9, 4096));
    survives(&root, &place, &b, "header then random bytes");
    // Cut short at every few bytes.
    let step = (valid.len() / 150).max(1);
    for cut in (0..valid.len()).step_by(step) {
        survives(&root, &place, &valid[..cut], &format!("cut at {cut}"));
    }
    // One byte flipped here and there (a record that no longer decodes is read instead).
    for at in (header_len..valid.len()).step_by(step * 3) {
        let mut b = valid.clone();
        b[at] ^= 0x5a;
        survives(&root, &place, &b, &format!("byte {at} flipped"));
    }
    // Huge lengths: a header claiming 2^62 records, a record claiming a 2^62-byte path.
    let old = Old::read(&cache_file(&place, &root), &root).unwrap();
    let mut header = old.header.clone();
    header.records = 1 << 62;
    let mut b = MAGIC.to_vec();
    b.extend(postcard::to_allocvec(&header).unwrap());
    b.extend(&valid[header_len..]);
    survives(&root, &place, &b, "2^62 records");
    let mut huge = vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f];
    huge.extend(noise(3, 64));
    let mut h = old.header.clone();
    (h.records, h.records_len, h.full_len) = (1, huge.len() as u64, 0);
    let mut b = MAGIC.to_vec();
    b.extend(postcard::to_allocvec(&h).unwrap());
    b.extend(&huge);
    survives(&root, &place, &b, "a 2^62-byte path");
    // A full part said to lie far beyond the file's end.
    let far = Record {
        path: "index.md",
        file: b"",
        stat: FileStat {
            size: 1,
            mtime: (0, 0),
            ctime: (0, 0),
            ino: 1,
            dev: 1,
        },
        outline: Part::new(b""),
        full: Some(FullAt {
            crc: 0,
            at: 1 << 62,
            len: 1 << 62,
        }),
    };
    let far = postcard::to_allocvec(&far).unwrap();
    let mut h = old.header.clone();
    (h.records, h.records_len, h.full_len) = (1, far.len() as u64, 0);
    let mut b = MAGIC.to_vec();
    b.extend(postcard::to_allocvec(&h).unwrap());
    b.extend(&far);
    survives(&root, &place, &b, "a full part beyond the end");
    // Another format version, another program version or build.
    for change in 0..3 {
        let mut h = old.header.clone();
        match change {
            0 => h.format += 1,
            1 => h.version.push_str("-other"),
            _ => h.build = h.build.map(|(size, s, ns)| (size + 1, s, ns)),
        }
        let mut b = MAGIC.to_vec();
        b.extend(postcard::to_allocvec(&h).unwrap());
        b.extend(&valid[header_len..]);
        let file = cache_file(&place, &root);
        std::fs::write(&file, &b).unwrap();
        let (full, counts, wrote) = warm(&root, Depth::Full, &place);
        assert_eq!(full, cold(&root, Depth::Full));
        assert_eq!((counts.hits, wrote), (0, true), "header change {change}");
    }
}

/// Builds a cache file from `records` and the full parts `full` under a header for `root`,
/// with the flashcard settings a load of it would have.
fn forged(root: &Path, records: &[Vec<u8>], full: &[u8]) -> Vec<u8> {
    let dir = RootDir::open(root).unwrap();
    let header = Header {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        build: *BUILD,
        root: root_bytes(root).to_vec(),
        cards: Some(CardSettings::load(&dir, root).0),
        all_full: true,
        records: records.len() as u64,
        records_len: records.iter().map(|r| r.len() as u64).sum(),
        full_len: full.len() as u64,
    };
    let mut b = MAGIC.to_vec();
    b.extend(postcard::to_allocvec(&header).unwrap());
    for r in records {
        b.extend(r);
    }
    b.extend(full);
    b
}

/// A cache file for `root` (see [`forged`]) of one record per `(path, file, stat)`, each
/// carrying `note`'s outline and its full part.
fn forged_of(root: &Path, note: &Note, rows: &[(&str, &[u8], FileStat)]) -> Vec<u8> {
    let (o, f) = record::parts(note, &[], true).unwrap();
    let (o, f) = (
        postcard::to_allocvec(&o).unwrap(),
        postcard::to_allocvec(&f.unwrap()).unwrap(),
    );
    let records: Vec<Vec<u8>> = rows
        .iter()
        .map(|&(path, file, stat)| record_of(path, file, stat, &o, &f))
        .collect();
    forged(root, &records, &f)
}

/// One record's bytes: `outline` in it, `full` as the first full part.
fn record_of(path: &str, file: &[u8], stat: FileStat, outline: &[u8], full: &[u8]) -> Vec<u8> {
    postcard::to_allocvec(&Record {
        path,
        file,
        stat,
        outline: Part::new(outline),
        full: Some(FullAt {
            crc: crc32fast::hash(full),
            at: 0,
            len: full.len() as u64,
        }),
    })
    .unwrap()
}

/// A record whose bytes and CRC agree but one of whose texts (title, tag, alias, heading, a
/// link's target) is not UTF-8 is not taken: the note is read from its file. The same record
/// with its texts intact is taken, so it is the text that is refused.
#[cfg(target_os = "linux")]
#[test]
fn a_record_holding_text_that_is_not_utf8_is_read_from_the_file() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());
    let stat = FileStat::of(&std::fs::metadata(root.join("index.md")).unwrap()).unwrap();
    let (note, _) = Note::parse(
        "index.md",
        "---\ntitle: TITLE-MARK\ntags: [tag-mark]\naliases: [alias-mark]\n---\n\
         # HEAD-MARK\n[[LINK-MARK]]\n",
        stat.size,
        None,
    );
    let (o, f) = record::parts(&note, &[], true).unwrap();
    let (o, f) = (
        postcard::to_allocvec(&o).unwrap(),
        postcard::to_allocvec(&f.unwrap()).unwrap(),
    );
    let file_with =
        |o: &[u8], f: &[u8]| forged(&root, &[record_of("index.md", b"", stat, o, f)], f);
    let spoilt = |bytes: &[u8], mark: &[u8]| {
        let at = bytes.windows(mark.len()).position(|w| w == mark).unwrap();
        let mut bytes = bytes.to_vec();
        bytes[at] = 0xFF;
        bytes
    };
    std::fs::create_dir_all(cache_dir.path()).unwrap();
    std::fs::write(cache_file(&place, &root), file_with(&o, &f)).unwrap();
    let (full, counts, _) = warm(&root, Depth::Full, &place);
    assert!(full.contains("TITLE-MARK") && full.contains("LINK-MARK"));
    assert!(counts.hits >= 1);
    let cold_full = cold(&root, Depth::Full);
    for mark in ["TITLE-MARK", "tag-mark", "alias-mark", "HEAD-MARK"] {
        let bytes = file_with(&spoilt(&o, mark.as_bytes()), &f);
        std::fs::write(cache_file(&place, &root), &bytes).unwrap();
        let (outline, _, _) = warm(&root, Depth::Outline, &place);
        assert_eq!(outline, cold(&root, Depth::Outline), "{mark}");
        std::fs::write(cache_file(&place, &root), &bytes).unwrap();
        let (full, _, _) = warm(&root, Depth::Full, &place);
        assert_eq!(full, cold_full, "{mark}");
    }
    let bytes = file_with(&o, &spoilt(&f, b"LINK-MARK"));
    std::fs::write(cache_file(&place, &root), &bytes).unwrap();
    let (full, _, _) = warm(&root, Depth::Full, &place);
    assert_eq!(full, cold_full, "a link's target");
}

#[cfg(target_os = "linux")]
#[test]
fn a_cache_of_another_vault_or_naming_paths_outside_changes_nothing() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());

    // Another vault with the same files (so the same paths, other inodes), cached.
    let other = tempfile::tempdir().unwrap();
    let copy = other.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for e in walkdir::WalkDir::new(&root).min_depth(1) {
        let e = e.unwrap();
        let to = copy.join(e.path().strip_prefix(&root).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let copy = copy.canonicalize().unwrap();
    warm(&copy, Depth::Full, &place);
    let theirs = std::fs::read(cache_file(&place, &copy)).unwrap();
    // Its file as ours: another vault's header.
    survives(&root, &place, &theirs, "another vault's cache");
    // Its records under our header: no file of ours has their identity.
    let mut old = Old::read(&cache_file(&place, &copy), &copy).unwrap();
    assert!(old.read_full());
    let mut header = old.header.clone();
    header.root = root_bytes(&root).to_vec();
    let mut b = MAGIC.to_vec();
    b.extend(postcard::to_allocvec(&header).unwrap());
    b.extend(&old.bytes);
    b.extend(old.full.as_deref().unwrap());
    std::fs::write(cache_file(&place, &root), &b).unwrap();
    let (full, counts, _) = warm(&root, Depth::Full, &place);
    assert_eq!(full, cold(&root, Depth::Full));
    assert_eq!(counts.hits, 0);

    // Records naming files outside the vault, carrying the real identity of such a file and
    // a note of their own; and one for a note of the vault carrying the outside file's
    // identity. None is used, and the outside file is never read.
    let outside = other.path().join("outside.md");
    std::fs::write(&outside, "# outside\n").unwrap();
    let stat = FileStat::of(&std::fs::metadata(&outside).unwrap()).unwrap();
    let (secret, _) = Note::parse("x.md", "# SECRET\n[[index]]\n", stat.size, None);
    let abs = outside.to_string_lossy().into_owned();
    let rel_out = format!("../{}", outside.file_name().unwrap().to_string_lossy());
    let bytes = forged_of(
        &root,
        &secret,
        &[
            (rel_out.as_str(), &b""[..], stat),
            (abs.as_str(), &b""[..], stat),
            ("index.md", abs.as_bytes(), stat),
            ("index.md", &b"../outside.md"[..], stat),
            ("notes/vpc.md", &b""[..], stat),
        ],
    );
    survives(&root, &place, &bytes, "paths outside");
    let (full, _, _) = warm(&root, Depth::Full, &place);
    assert!(!full.contains("SECRET"));
    let outside_dir = other.path().canonicalize().unwrap();
    let read = crate::vault::open::reads::under(&outside_dir.join("outside.md"));
    assert!(read.is_empty(), "read outside the vault: {read:?}");
}

/// Cache records for notes reached through symlinks out of the vault (a note linked to a file
/// outside, a folder linked to a folder outside), carrying those files' real identities and a
/// note of their own, and a record for the vault's own symlinked note naming the outside file
/// as the file it was read from: the vault loads as without a cache, the outside files are
/// never opened (by the load, nor by reading every note's body as the content pane does), and
/// nothing of the forged notes shows.
#[cfg(target_os = "linux")]
#[test]
fn a_cache_naming_files_behind_symlinks_out_of_the_vault_reads_none_of_them() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());
    let outside = tempfile::tempdir().unwrap();
    let out = outside.path().canonicalize().unwrap();
    std::fs::create_dir(out.join("folder")).unwrap();
    std::fs::write(out.join("secret.md"), "# outside\n").unwrap();
    std::fs::write(out.join("folder/n.md"), "# outside too\n").unwrap();
    std::os::unix::fs::symlink(out.join("secret.md"), root.join("out.md")).unwrap();
    std::os::unix::fs::symlink(out.join("folder"), root.join("outdir")).unwrap();
    // A cache as a real load leaves it, so the forged records sit among valid ones.
    warm(&root, Depth::Full, &place);

    let stat_of = |p: &Path| FileStat::of(&std::fs::metadata(p).unwrap()).unwrap();
    let (secret, _) = Note::parse("x.md", "# SECRET\n[[index]]\nQ: SECRETQ?\nA: x\n", 11, None);
    let secret_abs = out.join("secret.md").to_string_lossy().into_owned();
    let (secret_at, n_at) = (
        stat_of(&out.join("secret.md")),
        stat_of(&out.join("folder/n.md")),
    );
    let bytes = forged_of(
        &root,
        &secret,
        &[
            ("out.md", &b""[..], secret_at),
            ("out.md", secret_abs.as_bytes(), secret_at),
            ("outdir/n.md", &b""[..], n_at),
            ("link.md", secret_abs.as_bytes(), secret_at),
            ("link.md", &b"../secret.md"[..], secret_at),
        ],
    );
    survives(&root, &place, &bytes, "symlinks out");

    std::fs::write(cache_file(&place, &root), &bytes).unwrap();
    let root_c = Vault::open_root(&root).unwrap();
    let (v, _) = Vault::load_with_cache(
        &root_c,
        Depth::Full,
        &Progress::default(),
        Cache::open(&place, &root_c),
    )
    .unwrap();
    assert!(!whole(&v).contains("SECRET"));
    // The links out are what a load without a cache says of them: problems, not notes.
    for p in ["out.md", "outdir"] {
        assert!(v.by_path(p).is_none(), "{p} is a note");
        assert!(
            v.problems
                .iter()
                .any(|x| x.path == p && x.kind == crate::vault::ProblemKind::Symlink),
            "{p}: no problem said"
        );
    }
    for id in 0..v.notes.len() {
        if let Ok(body) = v.read_body(id) {
            assert!(!body.contains("outside"), "{}", v.notes[id].path);
        }
    }
    let read = crate::vault::open::reads::under(&out);
    assert!(read.is_empty(), "read outside the vault: {read:?}");
    // The reads this test made were all of the vault's own files.
    assert!(!crate::vault::open::reads::under(&root).is_empty());
}

#[cfg(target_os = "linux")]
#[test]
fn a_cache_folder_inside_the_vault_is_never_written() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let files = |root: &Path| {
        let mut all: Vec<PathBuf> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .collect();
        all.sort();
        all
    };
    let before = files(&root);
    // The vault itself, a folder inside it (made or not yet), and a link into it.
    let link_parent = tempfile::tempdir().unwrap();
    let link = link_parent.path().join("to-vault");
    std::os::unix::fs::symlink(&root, &link).unwrap();
    for place in [
        root.clone(),
        root.join(".cache"),
        root.join("notes/deeper/cache"),
        link.join("cache"),
    ] {
        let place = Place::Folder(place);
        let cache = Cache::open(&place, &root);
        assert!(
            cache
                .notice()
                .is_some_and(|n| n.contains("inside the vault"))
        );
        assert!(cache.path().is_none());
        let (v, update) =
            Vault::load_with_cache(&root, Depth::Full, &Progress::default(), cache).unwrap();
        assert_eq!(whole(&v), cold(&root, Depth::Full));
        assert!(!update.write().unwrap());
    }
    assert_eq!(files(&root), before);
    // Off: nothing anywhere.
    let cache = Cache::open(&Place::Off, &root);
    assert!(cache.path().is_none() && cache.notice().is_none());
}

#[cfg(target_os = "linux")]
#[test]
fn a_fifo_or_a_folder_where_the_cache_goes_is_ignored() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());
    let file = cache_file(&place, &root);
    let mode = rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR;
    rustix::fs::mkfifoat(rustix::fs::CWD, &file, mode).unwrap();
    let (full, _, wrote) = warm(&root, Depth::Full, &place);
    assert_eq!((full, wrote), (cold(&root, Depth::Full), true));
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    let root2 = root.clone();
    assert!(!Cache::open(&place, &root2).is_usable());
    let cache = Cache::open(&place, &root2);
    let (v, update) =
        Vault::load_with_cache(&root, Depth::Full, &Progress::default(), cache).unwrap();
    assert_eq!(whole(&v), cold(&root, Depth::Full));
    // Cannot be replaced: an error for the caller to ignore, and no temporary file left.
    assert!(update.write().is_err());
    let left: Vec<_> = std::fs::read_dir(cache_dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn the_file_is_named_after_the_vault_and_a_relative_xdg_is_ignored() {
    let a = file_for(&Place::Folder("/c".into()), Path::new("/v/a"));
    let b = file_for(&Place::Folder("/c".into()), Path::new("/v/b"));
    if cfg!(target_os = "linux") {
        let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.parent(), Some(Path::new("/c")));
        assert!(a.to_string_lossy().ends_with(".cache"));
    }
    assert!(plain_relative("a/b.md") && plain_relative("노트.md"));
    for bad in [
        "",
        "/etc/passwd",
        "../x.md",
        "a/../x.md",
        "a//b.md",
        "./a.md",
        "a/",
    ] {
        assert!(!plain_relative(bad), "{bad:?}");
    }
}

/// A new cache removes those of vaults that are gone, and leaves the others and any file it
/// cannot read as a cache.
#[cfg(target_os = "linux")]
#[test]
fn making_a_cache_removes_those_of_vaults_gone() {
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());
    let (kept, gone, new) = (vault(), vault(), vault());
    for v in [&kept, &gone] {
        warm(v.path(), Depth::Outline, &place);
    }
    let kept_file = cache_file(&place, kept.path());
    let gone_file = cache_file(&place, gone.path());
    let other = cache_dir.path().join("not-ours.cache");
    std::fs::write(&other, b"something else").unwrap();
    // A FIFO named like a cache is not waited on.
    let fifo = cache_dir.path().join("fifo.cache");
    let mode = rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR;
    rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, mode).unwrap();
    drop(gone);
    assert!(gone_file.exists());
    // Rewriting an existing cache does not look around; making a new one does.
    std::fs::write(kept.path().join("more.md"), "# More\n").unwrap();
    warm(kept.path(), Depth::Outline, &place);
    assert!(gone_file.exists());
    warm(new.path(), Depth::Outline, &place);
    assert!(!gone_file.exists());
    assert!(kept_file.exists() && other.exists() && fifo.exists());
    assert!(cache_file(&place, new.path()).exists());
}

/// Of two records of one path, both with its file's identity, a load takes the last (records
/// are looked up by path when a note is loaded, not decoded into a map up front: the order of
/// the file still decides).
#[cfg(target_os = "linux")]
#[test]
fn of_two_records_of_one_path_the_last_is_taken() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());
    let stat = FileStat::of(&std::fs::metadata(root.join("empty.md")).unwrap()).unwrap();
    let outline = |tag: &str| {
        let (note, _) = Note::parse("empty.md", &format!("#{tag}\n"), stat.size, None);
        postcard::to_allocvec(&record::parts(&note, &[], false).unwrap().0).unwrap()
    };
    let (first, second) = (outline("first"), outline("second"));
    let record = |o: &[u8]| {
        postcard::to_allocvec(&Record {
            path: "empty.md",
            file: b"",
            stat,
            outline: Part::new(o),
            full: None,
        })
        .unwrap()
    };
    for (records, want) in [
        ([record(&first), record(&second)], "second"),
        ([record(&second), record(&first)], "first"),
    ] {
        std::fs::write(cache_file(&place, &root), forged(&root, &records, b"")).unwrap();
        // Read by the load (beside its walk), and read before it.
        let mut read_first = Cache::open(&place, &root);
        assert!(read_first.is_usable());
        for cache in [Cache::open(&place, &root), read_first] {
            let (v, update) =
                Vault::load_with_cache(&root, Depth::Outline, &Progress::default(), cache).unwrap();
            assert_eq!(update.counts.hits, 1);
            let note = &v.notes[v.by_path("empty.md").unwrap()];
            assert_eq!(note.tags, [want]);
        }
    }
}

/// The notes are sized up front from the cache's records, but no further than
/// [`Index::SIZE_HINT_MAX`]: a cache of more records than any vault (here of paths no walk
/// finds) reserves no more than that, the vault does not keep what it did not fill, and
/// nothing a load gives changes.
#[cfg(target_os = "linux")]
#[test]
fn a_cache_of_too_many_records_reserves_no_more_than_the_cap() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());
    let stat = FileStat::of(&std::fs::metadata(root.join("empty.md")).unwrap()).unwrap();
    let (note, _) = Note::parse("empty.md", "", 0, None);
    let outline = postcard::to_allocvec(&record::parts(&note, &[], false).unwrap().0).unwrap();
    let many = Index::SIZE_HINT_MAX + 1000;
    let records: Vec<Vec<u8>> = (0..many)
        .map(|k| {
            postcard::to_allocvec(&Record {
                path: &format!("gone/{k}.md"),
                file: b"",
                stat,
                outline: Part::new(&outline),
                full: None,
            })
            .unwrap()
        })
        .collect();
    std::fs::write(cache_file(&place, &root), forged(&root, &records, b"")).unwrap();
    assert!(Cache::open(&place, &root).is_usable());
    // The load sizes its notes by the header, before the records are read (beside its walk);
    // the index of the records bounds its hint alike.
    let cache = Cache::open(&place, &root);
    let file = cache_file(&place, &root);
    let hint = Opened::open(&file, &root).unwrap().size_hint();
    assert_eq!(hint, Index::SIZE_HINT_MAX);
    let old = Old::read(&file, &root).unwrap();
    let index = old.index(Depth::Outline, &CardSettings::default());
    assert_eq!(index.size_hint(), hint);
    let (v, update) =
        Vault::load_with_cache(&root, Depth::Outline, &Progress::default(), cache).unwrap();
    assert_eq!(update.counts.hits, 0);
    assert!(v.notes.capacity() <= Index::SIZE_HINT_MAX);
    // What was reserved for notes not found is given back.
    assert!(v.notes.capacity() < 1024, "{}", v.notes.capacity());
    assert_eq!(whole(&v), cold(&root, Depth::Outline));
    // A cache of this vault's own records sizes the notes to them.
    let (_, _, wrote) = warm(&root, Depth::Outline, &place);
    assert!(wrote);
    let file = cache_file(&place, &root);
    let hint = Opened::open(&file, &root).map(|o| o.size_hint());
    assert_eq!(hint, Some(notes_in(&root)));
}

/// A load of `root` to `depth` through `kept` and the cache at `place` (`None`: no cache),
/// which a full load writes, as the explorer's loader does; the vault with its titles taken by
/// `titles`.
fn keeping(
    root: &Path,
    depth: Depth,
    place: Option<&Place>,
    kept: &Kept,
    titles: TitleRule,
) -> Vault {
    let root = Vault::open_root(root).unwrap();
    let cache = place.map_or_else(|| Cache::off(&root), |p| Cache::open(p, &root));
    let (v, update) =
        Vault::load_keeping(&root, depth, &Progress::default(), cache, Some(kept)).unwrap();
    if place.is_some() && depth == Depth::Full {
        update.write().unwrap();
    }
    v.with_titles(titles)
}

/// The explorer's first load: an outline load, then a full load extending it; the whole full
/// vault, and the vault a cold full load gives.
fn staged(root: &Path, place: Option<&Place>, titles: TitleRule, kept: &mut Kept) -> String {
    let outline = keeping(root, Depth::Outline, place, kept, titles);
    let cold_outline = Vault::load_to(root, Depth::Outline)
        .unwrap()
        .with_titles(titles);
    assert_eq!(whole(&outline), whole(&cold_outline));
    kept.outline_loaded(std::sync::Arc::new(outline));
    whole(&keeping(root, Depth::Full, place, kept, titles))
}

fn cold_titled(root: &Path, titles: TitleRule) -> String {
    whole(
        &Vault::load_to(root, Depth::Full)
            .unwrap()
            .with_titles(titles),
    )
}

/// Without a cache, every note the outline load read is extended by the full load, which
/// makes the vault a full load from the files makes, under either title rule (the outline's
/// titles, taken from headings, are taken again).
#[cfg(target_os = "linux")]
#[test]
fn a_full_load_extends_every_note_the_outline_load_read() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let n = notes_in(&root);
    for titles in [TitleRule::FileName, TitleRule::Heading] {
        let mut kept = Kept::default();
        let full = staged(&root, None, titles, &mut kept);
        assert_eq!(full, cold_titled(&root, titles), "{titles:?}");
        assert_eq!((kept.served(), kept.len()), (n, 0), "{titles:?}");
    }
}

/// Files changed between the two stages are parsed whole, whatever the change: the full load
/// is the one the files as they are now give. Each change that could be missed is here: an
/// edit of the same length with the old modification time put back, a file swapped for another
/// of the same name, size and times, a symlink pointed elsewhere, a rename, a deletion.
#[cfg(target_os = "linux")]
#[test]
fn notes_changed_between_the_stages_are_parsed_whole() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let n = notes_in(&root);
    let mut kept = Kept::default();
    let outline = keeping(&root, Depth::Outline, None, &kept, TitleRule::FileName);
    let same_times = |p: &Path, like: &std::fs::Metadata| {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(like.modified().unwrap())
            .unwrap();
    };
    let p = root.join("notes/vpc.md");
    let before = std::fs::metadata(&p).unwrap();
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("Which?", "Whose?")).unwrap();
    same_times(&p, &before);
    let p = root.join("quiz/1/해설.md");
    let before = std::fs::metadata(&p).unwrap();
    std::fs::remove_file(&p).unwrap();
    std::fs::write(&p, "B. secnd\n\nBecause it is.\n").unwrap();
    same_times(&p, &before);
    assert_eq!(std::fs::metadata(&p).unwrap().len(), before.len());
    std::fs::remove_file(root.join("link.md")).unwrap();
    std::os::unix::fs::symlink(root.join("index.md"), root.join("link.md")).unwrap();
    std::fs::rename(root.join("unclosed.md"), root.join("notes/renamed.md")).unwrap();
    std::fs::remove_file(root.join("broken.md")).unwrap();
    kept.outline_loaded(std::sync::Arc::new(outline));
    let full = whole(&keeping(
        &root,
        Depth::Full,
        None,
        &kept,
        TitleRule::FileName,
    ));
    assert_eq!(full, cold_titled(&root, TitleRule::FileName));
    assert!(full.contains("Whose?") && full.contains("secnd"));
    // The three changed notes parsed whole (and the renamed one, new to the outline); the
    // renamed and the deleted one never asked for, so left; the rest extended.
    assert_eq!((kept.served(), kept.len()), (n - 5, 2));
}

/// With the cache on (the explorer's usual start: a cold cache, then a warm one), the notes
/// the cache holds are taken from it and not kept, and the vault is the same all the same.
#[cfg(target_os = "linux")]
#[test]
fn a_full_load_after_an_outline_load_through_the_cache_is_the_same() {
    let dir = vault();
    let root = dir.path().canonicalize().unwrap();
    let n = notes_in(&root);
    let cache_dir = tempfile::tempdir().unwrap();
    let place = Place::Folder(cache_dir.path().to_path_buf());
    for warm in [false, true] {
        let mut kept = Kept::default();
        let full = staged(&root, Some(&place), TitleRule::FileName, &mut kept);
        assert_eq!(full, cold_titled(&root, TitleRule::FileName));
        // Cold, every note is read and then extended; warm, every one comes from the cache.
        assert_eq!(kept.served(), if warm { 0 } else { n }, "warm: {warm}");
    }
    // The same with every note found before the cache is read, after an edit: the edited note
    // (and the symlink to it) is read by the outline load and extended by the full one.
    let p = root.join("notes/vpc.md");
    let text = std::fs::read_to_string(&p).unwrap();
    for folders in [0, 256] {
        let edit = format!("Whose {folders}?");
        std::fs::write(&p, text.replace("Which?", &edit)).unwrap();
        let _after = ReadAfterWalk::keeping(folders);
        let mut kept = Kept::default();
        let full = staged(&root, Some(&place), TitleRule::FileName, &mut kept);
        assert_eq!(full, cold_titled(&root, TitleRule::FileName));
        assert!(full.contains(&edit));
        assert_eq!(kept.served(), 2, "folders: {folders}");
    }
}
