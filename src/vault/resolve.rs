//! Wikilink resolution, backlinks, and the vault-wide checks that need every note at once
//! (unresolved links, duplicate aliases).
//!
//! A target is matched case-insensitively by path (with or without `.md`, also as a path
//! suffix `folder/note`), then file stem, then title, then alias. Targets are only ever looked
//! up among the loaded notes and files, so nothing resolves outside the vault.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::{Link, Note, NoteId, Problem, ProblemKind, Resolved};

pub struct Resolver<'a> {
    /// Every proper suffix of two or more segments of each note's normalised path
    /// (`b/c` and `a/b/c` of `x/a/b/c`), for `folder/note` targets in one lookup.
    by_suffix: HashMap<String, NoteId>,
    by_path: HashMap<String, NoteId>,
    by_stem: HashMap<String, NoteId>,
    by_title: HashMap<String, NoteId>,
    by_alias: HashMap<String, NoteId>,
    attachments: HashMap<String, &'a str>,
}

/// `s` lower-cased, without allocating when it has no upper-case letter (most link targets).
fn lower(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Lower-cased path without a trailing `.md`, with `.`/`..` folded; `None` when `..` would
/// leave the vault.
fn normal_path(target: &str) -> Option<Cow<'_, str>> {
    let lowered = lower(target.trim());
    let simple = !lowered.contains(['/', '\\']) && !lowered.starts_with('.');
    if simple {
        return Some(match lowered {
            Cow::Borrowed(b) => Cow::Borrowed(b.strip_suffix(".md").unwrap_or(b)),
            Cow::Owned(o) => Cow::Owned(o.strip_suffix(".md").map(str::to_owned).unwrap_or(o)),
        });
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in lowered.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    Some(Cow::Owned(
        joined
            .strip_suffix(".md")
            .map(str::to_owned)
            .unwrap_or(joined),
    ))
}

impl<'a> Resolver<'a> {
    pub fn new(notes: &'a [Note], attachments: &'a [String]) -> Self {
        let mut r = Resolver {
            by_suffix: HashMap::with_capacity(notes.len()),
            by_path: HashMap::with_capacity(notes.len()),
            by_stem: HashMap::with_capacity(notes.len()),
            by_title: HashMap::with_capacity(notes.len()),
            by_alias: HashMap::new(),
            attachments: HashMap::new(),
        };
        // Notes are sorted by path, so `or_insert` keeps the first (shallowest-sorted) match.
        for (id, n) in notes.iter().enumerate() {
            let path = normal_path(&n.path)
                .map(Cow::into_owned)
                .unwrap_or_default();
            // Each `/` but the last starts a suffix that a `folder/note` target can name.
            let cuts: Vec<usize> = path.match_indices('/').map(|(i, _)| i).collect();
            if let Some((_, starts)) = cuts.split_last() {
                for &i in starts {
                    r.by_suffix.entry(path[i + 1..].to_owned()).or_insert(id);
                }
            }
            r.by_path.entry(path).or_insert(id);
            r.by_stem.entry(lower(&n.stem).into_owned()).or_insert(id);
            r.by_title.entry(lower(&n.title).into_owned()).or_insert(id);
            for a in &n.aliases {
                r.by_alias.entry(lower(a).into_owned()).or_insert(id);
            }
        }
        for a in attachments {
            let lower = a.to_lowercase();
            let name = lower.rsplit('/').next().unwrap_or(&lower).to_owned();
            r.attachments.entry(name).or_insert(a);
            r.attachments.insert(lower, a);
        }
        r
    }

    /// The note a link target or user query names.
    pub fn note(&self, target: &str) -> Option<NoteId> {
        let target = target.trim();
        if target.is_empty() {
            return None;
        }
        if let Some(path) = normal_path(target) {
            if let Some(&id) = self.by_path.get(path.as_ref()) {
                return Some(id);
            }
            if path.contains('/') {
                if let Some(&id) = self.by_suffix.get(path.as_ref()) {
                    return Some(id);
                }
            } else if let Some(&id) = self.by_stem.get(path.as_ref()) {
                return Some(id);
            }
        }
        let lowered = lower(target);
        self.by_title
            .get(lowered.as_ref())
            .or_else(|| self.by_alias.get(lowered.as_ref()))
            .copied()
    }

    fn attachment(&self, target: &str) -> Option<String> {
        let path = normal_path(target)?;
        self.attachments.get(path.as_ref()).map(|s| (*s).to_owned())
    }
}

/// Resolves every link in place and returns the backlinks of each note.
pub fn resolve_links(notes: &mut [Note], attachments: &[String]) -> Vec<Vec<NoteId>> {
    let resolved: Vec<Vec<Resolved>> = {
        let r = Resolver::new(notes, attachments);
        notes
            .par_iter()
            .enumerate()
            .map(|(id, n)| {
                n.links
                    .iter()
                    .map(|l| {
                        if l.raw.target.is_empty() {
                            Resolved::Note(id)
                        } else if let Some(to) = r.note(&l.raw.target) {
                            Resolved::Note(to)
                        } else if let Some(a) = r.attachment(&l.raw.target) {
                            Resolved::Attachment(a)
                        } else {
                            Resolved::Unresolved
                        }
                    })
                    .collect()
            })
            .collect()
    };
    let mut backlinks = vec![Vec::new(); notes.len()];
    for (from, (note, res)) in notes.iter_mut().zip(resolved).enumerate() {
        for (link, to) in note.links.iter_mut().zip(res) {
            if let Resolved::Note(to) = to
                && to != from
            {
                backlinks[to].push(from);
            }
            link.resolved = to;
        }
    }
    for b in &mut backlinks {
        b.sort_unstable();
        b.dedup();
    }
    backlinks
}

fn describe(l: &Link) -> String {
    let bang = if l.raw.embed { "!" } else { "" };
    match &l.raw.heading {
        Some(h) => format!("{bang}[[{}#{h}]]", l.raw.target),
        None => format!("{bang}[[{}]]", l.raw.target),
    }
}

pub fn link_problems(notes: &[Note]) -> Vec<Problem> {
    let mut out = Vec::new();
    for n in notes {
        for l in n
            .links
            .iter()
            .filter(|l| l.resolved == Resolved::Unresolved)
        {
            out.push(Problem::new(
                n.path.clone(),
                Some(l.raw.line),
                ProblemKind::UnresolvedLink,
                format!(
                    "unresolved link {}: no note or file has that path, name, title or alias",
                    describe(l)
                ),
            ));
        }
    }
    out
}

fn same_file(a: &Note, b: &Note) -> bool {
    !a.file.as_os_str().is_empty() && a.file == b.file
}

pub fn duplicate_aliases(notes: &[Note]) -> Vec<Problem> {
    let mut first: HashMap<String, NoteId> = HashMap::new();
    let mut out = Vec::new();
    for (id, n) in notes.iter().enumerate() {
        for a in &n.aliases {
            match first.get(lower(a).as_ref()) {
                // A symlink to a note inside the vault is the same file, not a second owner.
                Some(&other) if other != id && !same_file(&notes[other], n) => {
                    out.push(Problem::new(
                        n.path.clone(),
                        None,
                        ProblemKind::DuplicateAlias,
                        format!("alias {a:?} is also an alias of {}", notes[other].path),
                    ))
                }
                Some(_) => {}
                None => {
                    first.insert(lower(a).into_owned(), id);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(path: &str, text: &str) -> Note {
        Note::parse(path, text, 0, None).0
    }

    fn vault() -> Vec<Note> {
        vec![
            note(
                "a/one.md",
                "---\ntitle: First Note\naliases: [첫째, uno]\n---\n[[two]] [[B/Two]] [[#self]] [[nowhere]] ![[pic.png]]",
            ),
            note(
                "b/two.md",
                "[[first note]] [[첫째]] [[../../etc/passwd]] [[one.md]] [[a/one]]",
            ),
            note("c/deep/three.md", "[[deep/three]] [[UNO|x]]"),
        ]
    }

    #[test]
    fn resolution_order_and_backlinks() {
        let mut notes = vault();
        let back = resolve_links(&mut notes, &["img/pic.png".to_owned()]);
        let got = |i: usize| {
            notes[i]
                .links
                .iter()
                .map(|l| l.resolved.clone())
                .collect::<Vec<_>>()
        };
        use Resolved::*;
        assert_eq!(
            got(0),
            [
                Note(1),
                Note(1),
                Note(0),
                Unresolved,
                Attachment("img/pic.png".into())
            ]
        );
        assert_eq!(got(1), [Note(0), Note(0), Unresolved, Note(0), Note(0)]);
        assert_eq!(got(2), [Note(2), Note(0)]);
        assert_eq!(back, [vec![1, 2], vec![0], vec![]]);
        let probs = link_problems(&notes);
        assert_eq!(probs.len(), 2);
        assert!(probs[0].message.contains("[[nowhere]]"));
    }

    /// `folder/note` targets over 100k paths whose file names repeat in 1,000 folders each:
    /// every target resolves as a scan of all paths by suffix would (the first in path order).
    #[test]
    fn folder_suffix_targets_resolve_as_a_scan_would_over_100k_paths() {
        let mut notes: Vec<Note> = (0..100_000)
            .map(|i| {
                let path = format!("p{}/q{}/note{}.md", i % 10, (i / 10) % 100, i / 1000);
                note(&path, "")
            })
            .collect();
        notes.sort_by(|a, b| a.path.cmp(&b.path));
        let r = Resolver::new(&notes, &[]);
        let targets: Vec<String> = (0..50_000)
            .map(|k| match k % 4 {
                0 => format!("q{}/note{}", k % 100, k % 97),
                1 => format!("P{}/Q{}/Note{}.md", k % 10, k % 100, k % 89),
                2 => format!("q{}/note{}/", k % 100, k % 83),
                _ => format!("q{}/missing{}", k % 100, k),
            })
            .collect();
        let got: Vec<Option<NoteId>> = targets.iter().map(|t| r.note(t)).collect();
        let scan = |t: &str| {
            let path = normal_path(t)?;
            let suffix = format!("/{path}");
            notes.iter().position(|n| {
                let p = normal_path(&n.path).unwrap();
                p == path || p.ends_with(&suffix)
            })
        };
        for (t, g) in targets.iter().zip(&got).step_by(250) {
            assert_eq!(*g, scan(t), "{t}");
        }
        // The shortest-sorted folder wins among the ten `pN/q7/note3` that end alike.
        assert_eq!(notes[r.note("q7/note3").unwrap()].path, "p0/q7/note3.md");
        assert_eq!(got.iter().filter(|g| g.is_some()).count(), 37_500);
    }

    #[test]
    fn duplicate_alias_is_reported_once_per_extra_note() {
        let notes = vec![
            note("a.md", "---\naliases: [X, y]\n---\n"),
            note("b.md", "---\naliases: [x]\n---\n"),
        ];
        let p = duplicate_aliases(&notes);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].path, "b.md");
        assert!(p[0].message.contains("a.md"));
    }

    #[test]
    fn a_symlinked_copy_of_a_note_is_not_a_duplicate_owner() {
        let mut a = note("a.md", "---\naliases: [X]\n---\n");
        let mut b = note("link-to-a.md", "---\naliases: [X]\n---\n");
        a.file = "/v/a.md".into();
        b.file = "/v/a.md".into();
        assert!(duplicate_aliases(&[a.clone(), b.clone()]).is_empty());
        b.file = "/v/other.md".into();
        assert_eq!(duplicate_aliases(&[a, b]).len(), 1);
    }
}
