//! The tag tree with counts, and tag filters over notes. Terminal-free.
//!
//! Tags are hierarchical (`service/sagemaker`); every tag counts towards its ancestors, so
//! `service` covers every note tagged `service/…`. Matching ignores case, as Obsidian does; a
//! tag is shown as first written.

use std::collections::HashSet;

use foldhash::{HashMap, HashMapExt as _};

use serde::Serialize;

use crate::vault::{Note, NoteId, fold_tag};

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
        // Keyed by the folded segments: a parent sorts right before its children, and siblings
        // sort by name (`aws`, `aws/vpc`, `aws-cli`), whatever the characters in between.
        let mut tallies: Vec<(Vec<String>, Tally)> = Vec::new();
        let mut node: HashMap<Vec<String>, usize> = HashMap::new();
        // A vault spells few tags on many notes: each spelling is split and folded once, into
        // the nodes it counts towards, root first (at 100k notes the tree took longer to build
        // than the search index when every tag of every note was folded anew).
        let mut spelled: HashMap<&str, Vec<usize>> = HashMap::new();
        // The last note counted on each node (its index + 1): each note counts once per node.
        let mut counted: Vec<usize> = Vec::new();
        for (i, note) in notes.iter().enumerate() {
            for tag in &note.tags {
                let path = spelled.entry(tag.as_str()).or_insert_with(|| {
                    let folded: Vec<String> =
                        tag.split('/').map(|s| fold_tag(s).into_owned()).collect();
                    (1..=folded.len())
                        .map(|depth| {
                            let key = &folded[..depth];
                            *node.entry(key.to_vec()).or_insert_with(|| {
                                tallies.push((key.to_vec(), Tally::default()));
                                counted.push(0);
                                tallies.len() - 1
                            })
                        })
                        .collect()
                });
                for (depth, &k) in path.iter().enumerate() {
                    let t = &mut tallies[k].1;
                    // Shown as the first note to carry it wrote it.
                    if t.path.is_empty() {
                        t.path = tag.split('/').take(depth + 1).collect::<Vec<_>>().join("/");
                    }
                    // Each note counts once per tag, and once per ancestor however many of its
                    // tags share it.
                    if counted[k] != i + 1 {
                        counted[k] = i + 1;
                        t.count += 1;
                    }
                    if depth + 1 == path.len() {
                        t.own += 1;
                    }
                }
            }
        }
        tallies.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        TagTree {
            roots: nest(&mut tallies.into_iter().peekable(), &[]),
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

    /// The rows of a tree view where only the tags in `expanded` (paths as the tree spells
    /// them) show their children: every tag with children starts collapsed, so the tree fits.
    pub fn rows(&self, expanded: &HashSet<String>) -> Vec<TagRow> {
        fn walk(nodes: &[TagNode], depth: usize, open: &HashSet<String>, out: &mut Vec<TagRow>) {
            for n in nodes {
                out.push(TagRow {
                    depth,
                    path: n.path.clone(),
                    name: n.name.clone(),
                    count: n.count,
                    has_children: !n.children.is_empty(),
                });
                if open.contains(&n.path) {
                    walk(&n.children, depth + 1, open, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.roots, 0, expanded, &mut out);
        out
    }

    /// The node at `path`, case-insensitively.
    pub fn get(&self, path: &str) -> Option<&TagNode> {
        let mut nodes = &self.roots;
        let mut found = None;
        for seg in path.trim_matches('/').split('/') {
            let seg = fold_tag(seg);
            let n = nodes.iter().find(|n| fold_tag(&n.name) == seg)?;
            nodes = &n.children;
            found = Some(n);
        }
        found
    }
}

/// A row of a tag tree view ([`TagTree::rows`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRow {
    pub depth: usize,
    pub path: String,
    pub name: String,
    pub count: usize,
    pub has_children: bool,
}

/// Builds the children of `prefix` from the tallies, in key order.
fn nest(
    items: &mut std::iter::Peekable<impl Iterator<Item = (Vec<String>, Tally)>>,
    prefix: &[String],
) -> Vec<TagNode> {
    let mut out = Vec::new();
    while let Some((key, _)) = items.peek() {
        if key.len() <= prefix.len() || key[..prefix.len()] != *prefix {
            break;
        }
        let Some((key, t)) = items.next() else { break };
        let name = t.path.rsplit('/').next().unwrap_or(&t.path).to_owned();
        let children = nest(items, &key);
        out.push(TagNode {
            name,
            path: t.path,
            count: t.count,
            own: t.own,
            children,
        });
    }
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

    /// The tree as (depth, path, count, own) rows.
    fn rows(tree: &TagTree) -> Vec<(usize, &str, usize, usize)> {
        tree.flatten()
            .into_iter()
            .map(|(d, n)| (d, n.path.as_str(), n.count, n.own))
            .collect()
    }

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
        assert_eq!(
            rows(&tree),
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

    /// One tag written differently on several notes is one node, shown as the first note
    /// wrote it, counting each note once.
    #[test]
    fn spellings_fold_into_one_node_shown_as_first_written() {
        let notes = [
            note("AWS/vpc"),
            note("aws/VPC, aws"),
            note("Aws/vpc/endpoints, aws/s3"),
            note("AWS/vpc"),
        ];
        let tree = TagTree::build(&notes);
        assert_eq!(
            rows(&tree),
            [
                (0, "AWS", 4, 1),
                (1, "aws/s3", 1, 1),
                (1, "AWS/vpc", 4, 3),
                (2, "Aws/vpc/endpoints", 1, 1),
            ]
        );
    }

    #[test]
    fn unicode_case_and_sibling_order() {
        // `İ` lower-cases to two chars and `K` (Kelvin) to `k`: no panic, one tag each way.
        let notes = [
            note("İstanbul, Ärger, K"),
            note("ärger"),
            note("aws, aws-cli, aws/vpc"),
        ];
        let tree = TagTree::build(&notes);
        assert_eq!(
            rows(&tree),
            [
                (0, "aws", 1, 1),
                (1, "aws/vpc", 1, 1),
                (0, "aws-cli", 1, 1),
                (0, "İstanbul", 1, 1),
                (0, "K", 1, 1),
                (0, "Ärger", 2, 2),
            ]
        );
        assert_eq!(
            TagFilter::new(["ärger"], Combine::All).apply(&notes),
            [0, 1]
        );
        assert!(notes.iter().all(|n| {
            n.tags.len()
                == n.tags
                    .iter()
                    .map(|t| fold_tag(t))
                    .collect::<HashSet<_>>()
                    .len()
        }));
    }

    #[test]
    fn rows_show_children_only_under_expanded_tags() {
        let notes = [
            note("service/sagemaker/studio, 보안/vpc"),
            note("service/s3"),
        ];
        let tree = TagTree::build(&notes);
        let shown = |open: &[&str]| -> Vec<(usize, String, bool)> {
            let open: HashSet<String> = open.iter().map(|s| s.to_string()).collect();
            tree.rows(&open)
                .into_iter()
                .map(|r| (r.depth, r.path, r.has_children))
                .collect()
        };
        assert_eq!(
            shown(&[]),
            [(0, "service".into(), true), (0, "보안".into(), true)]
        );
        // A child shows under an expanded parent; its own children wait for it to open.
        assert_eq!(
            shown(&["service"]),
            [
                (0, "service".into(), true),
                (1, "service/s3".into(), false),
                (1, "service/sagemaker".into(), true),
                (0, "보안".into(), true),
            ]
        );
        // An expanded tag under a collapsed parent stays hidden.
        assert_eq!(shown(&["service/sagemaker"]).len(), 2);
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
