//! The tag tree with counts, and tag filters over notes. Terminal-free.
//!
//! Tags are hierarchical (`service/sagemaker`); every tag counts towards its ancestors, so
//! `service` covers every note tagged `service/…`. Matching ignores case, as Obsidian does; a
//! tag is shown as first written.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::vault::{Note, NoteId};

/// One tag of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagNode {
    /// The last segment (`sagemaker`).
    pub name: String,
    /// The full path (`service/sagemaker`).
    pub path: String,
    /// Notes carrying this tag or any descendant (each note once).
    pub count: usize,
    /// Notes carrying exactly this tag.
    pub own: usize,
    pub children: Vec<TagNode>,
}

/// Every tag of a set of notes as a forest, children sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct TagTree {
    pub roots: Vec<TagNode>,
}

#[derive(Default)]
struct Tally {
    path: String,
    count: usize,
    own: usize,
}

impl TagTree {
    pub fn build(notes: &[Note]) -> TagTree {
        // Keyed by lower-cased path; BTreeMap order puts parents right before their children.
        let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
        let mut seen: Vec<String> = Vec::new();
        for note in notes {
            seen.clear();
            for tag in &note.tags {
                let lower = tag.to_lowercase();
                let mut end = 0;
                for seg in tag.split('/') {
                    end += seg.len();
                    let key = &lower[..end];
                    if !seen.iter().any(|s| s == key) {
                        seen.push(key.to_owned());
                        let t = tally.entry(key.to_owned()).or_default();
                        if t.path.is_empty() {
                            t.path = tag[..end].to_owned();
                        }
                        t.count += 1;
                    }
                    end += 1;
                }
                // A note's tags are already distinct (ignoring case), so this counts it once.
                if let Some(t) = tally.get_mut(&lower) {
                    t.own += 1;
                }
            }
        }
        TagTree {
            roots: nest(&mut tally.into_values().peekable(), ""),
        }
    }

    /// Depth-first walk: `(depth, node)` in display order.
    pub fn flatten(&self) -> Vec<(usize, &TagNode)> {
        fn walk<'a>(nodes: &'a [TagNode], depth: usize, out: &mut Vec<(usize, &'a TagNode)>) {
            for n in nodes {
                out.push((depth, n));
                walk(&n.children, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.roots, 0, &mut out);
        out
    }

    /// The node at `path`, case-insensitively.
    pub fn get(&self, path: &str) -> Option<&TagNode> {
        let mut nodes = &self.roots;
        let mut found = None;
        for seg in path.trim_matches('/').split('/') {
            let seg = seg.to_lowercase();
            let n = nodes.iter().find(|n| n.name.to_lowercase() == seg)?;
            nodes = &n.children;
            found = Some(n);
        }
        found
    }
}

/// Builds the children of `prefix` from the sorted tallies.
fn nest(
    items: &mut std::iter::Peekable<impl Iterator<Item = Tally>>,
    prefix: &str,
) -> Vec<TagNode> {
    let mut out = Vec::new();
    while let Some(next) = items.peek() {
        let lower = next.path.to_lowercase();
        let inside = prefix.is_empty()
            || (lower.starts_with(prefix) && lower.as_bytes().get(prefix.len()) == Some(&b'/'));
        if !inside {
            break;
        }
        let Some(t) = items.next() else { break };
        let name = t.path.rsplit('/').next().unwrap_or(&t.path).to_owned();
        let children = nest(items, &t.path.to_lowercase());
        out.push(TagNode {
            name,
            path: t.path,
            count: t.count,
            own: t.own,
            children,
        });
    }
    out.sort_by_key(|n| n.name.to_lowercase());
    out
}

/// How several selected tags combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Combine {
    /// A note must carry every selected tag (or a descendant of each).
    #[default]
    All,
    /// A note must carry at least one.
    Any,
}

/// A set of selected tags. Selecting a parent includes its children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagFilter {
    pub tags: Vec<String>,
    pub combine: Combine,
}

impl TagFilter {
    pub fn new(tags: impl IntoIterator<Item = impl Into<String>>, combine: Combine) -> Self {
        TagFilter {
            tags: tags.into_iter().map(Into::into).collect(),
            combine,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    pub fn matches(&self, note: &Note) -> bool {
        if self.tags.is_empty() {
            return true;
        }
        let tag = |t: &String| note.has_tag(t.trim_start_matches('#'));
        match self.combine {
            Combine::All => self.tags.iter().all(tag),
            Combine::Any => self.tags.iter().any(tag),
        }
    }

    /// The ids of the notes that pass, in order.
    pub fn apply(&self, notes: &[Note]) -> Vec<NoteId> {
        (0..notes.len())
            .filter(|&i| self.matches(&notes[i]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(tags: &str) -> Note {
        Note::parse("n.md", &format!("---\ntags: [{tags}]\n---\n"), 0, None).0
    }

    #[test]
    fn counts_roll_up_to_ancestors_once_per_note() {
        let notes = [
            note("service/sagemaker, service/s3"),
            note("service/sagemaker/studio, Security"),
            note("security/vpc-endpoints"),
            note("service"),
        ];
        let tree = TagTree::build(&notes);
        let flat: Vec<(usize, &str, usize, usize)> = tree
            .flatten()
            .into_iter()
            .map(|(d, n)| (d, n.path.as_str(), n.count, n.own))
            .collect();
        assert_eq!(
            flat,
            [
                (0, "Security", 2, 1),
                (1, "security/vpc-endpoints", 1, 1),
                (0, "service", 3, 1),
                (1, "service/s3", 1, 1),
                (1, "service/sagemaker", 2, 1),
                (2, "service/sagemaker/studio", 1, 1),
            ]
        );
        assert_eq!(tree.get("SERVICE/sagemaker").map(|n| n.count), Some(2));
        assert!(tree.get("service/nope").is_none());
    }

    #[test]
    fn filter_all_any_and_parents() {
        let notes = [note("a/b, c"), note("a/x"), note("c")];
        assert_eq!(TagFilter::new(["a"], Combine::All).apply(&notes), [0, 1]);
        assert_eq!(TagFilter::new(["a", "c"], Combine::All).apply(&notes), [0]);
        assert_eq!(
            TagFilter::new(["a/x", "c"], Combine::Any).apply(&notes),
            [0, 1, 2]
        );
        assert_eq!(TagFilter::new(["#A/B"], Combine::All).apply(&notes), [0]);
        assert_eq!(TagFilter::default().apply(&notes), [0, 1, 2]);
    }
}
