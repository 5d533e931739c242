//! No input makes parsing panic or hang: random bytes, random edits of the seed note, and
//! pathological shapes, through the same path the loader takes (`Note::parse` for every depth,
//! then the vault-wide indexes). Deterministic (fixed seeds), so a failure reproduces.

use vaultscope::search::SearchIndex;
use vaultscope::tags::TagTree;
use vaultscope::vault::{Depth, Note, Vault};

const SEED_NOTE: &str = include_str!("../notes/sagemaker-vpc-privatelink-security.md");

/// splitmix64: a tiny deterministic source of randomness for the cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that steer random edits towards the parsers' special cases.
const PIECES: &[&str] = &[
    "---\n",
    "...\n",
    "\r\n",
    "\r",
    "\n",
    "[[",
    "]]",
    "|",
    "\\|",
    "#",
    "##",
    "# ",
    "#tag",
    "![[",
    "`",
    "```",
    "~~~",
    "> ",
    "> [!question] ",
    "> > [!success]- Answer\n",
    "**Question:**",
    "**Options:**",
    "- A) ",
    "**정답: ",
    "정답: A, C",
    "💡 추가 설명:",
    "Q: ",
    "A: ",
    "tags: ",
    "aliases: ",
    "[a, b",
    "{a: b}",
    "&x ",
    "*x",
    "!tag ",
    "\u{1b}[2J",
    "\u{202e}",
    "\u{feff}",
    "\t",
    "한글",
    "⚙️",
    "\u{0}",
    "<span style=\"color: #fff\">",
];

fn parse_everything(text: &str) {
    for depth in [Depth::Outline, Depth::Full] {
        let (note, problems) = Note::parse_to("n.md", text, text.len() as u64, None, depth);
        // Whatever the text, a note has a title (at worst its file name) and every line it
        // points at exists.
        assert!(!note.title.is_empty(), "{text:?}");
        let lines = text.split('\n').count();
        assert!(
            note.links
                .iter()
                .all(|l| l.raw.line >= 1 && l.raw.line <= lines)
        );
        assert!(
            note.questions
                .iter()
                .all(|q| q.line >= 1 && q.line <= lines)
        );
        assert!(
            problems
                .iter()
                .all(|p| p.line.is_none_or(|l| l >= 1 && l <= lines)),
            "{problems:?}"
        );
        let vault = Vault::from_notes(
            std::path::PathBuf::from("/v"),
            vec![note],
            Vec::new(),
            problems,
        );
        let _ = TagTree::build(&vault.notes);
        let index = SearchIndex::build(&vault.notes);
        for q in ["a", "한", "[[", "#"] {
            let _ = index.search(q, 5);
        }
    }
}

#[test]
fn random_edits_of_the_seed_note() {
    let mut rng = Rng(7);
    for _ in 0..400 {
        let mut text = SEED_NOTE.to_owned();
        for _ in 0..1 + rng.below(8) {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match rng.below(3) {
                0 => text.insert_str(at, PIECES[rng.below(PIECES.len())]),
                1 => {
                    let mut end = (at + rng.below(40)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.replace_range(at..end, "");
                }
                _ => {
                    let piece: String = (0..rng.below(6))
                        .map(|_| PIECES[rng.below(PIECES.len())])
                        .collect();
                    text.insert_str(at, &piece);
                }
            }
        }
        parse_everything(&text);
    }
}

#[test]
fn random_strings_of_special_pieces() {
    let mut rng = Rng(11);
    for _ in 0..400 {
        let text: String = (0..rng.below(60))
            .map(|_| PIECES[rng.below(PIECES.len())])
            .collect();
        parse_everything(&text);
    }
}

#[test]
fn pathological_shapes() {
    let cases = [
        "[".repeat(100_000),
        "[[".repeat(50_000),
        format!("{}x{}", "> ".repeat(10_000), "\n"),
        format!(
            "> [!question] q\n{}",
            "> > > > [!success]- Answer\n".repeat(2_000)
        ),
        "- ".repeat(50_000),
        format!("---\ntags: {}\n---\n", "[".repeat(20_000)),
        format!(
            "---\n{}\n---\n",
            (0..3_000)
                .map(|i| format!("k{i}: v"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        "#".repeat(100_000),
        "`".repeat(100_000),
        "**Question:** x\n".repeat(5_000),
        "Q: a\n".repeat(10_000),
        format!("{}\n", "a".repeat(1 << 20)),
        "\r".repeat(10_000),
        // Shapes that were quadratic once: many distinct tags, code spans or links between
        // tags, unclosed `<`, and `Q:` lines without answers.
        (0..150_000).map(|i| format!("#t{i} ")).collect(),
        "`x` #t ".repeat(150_000),
        "[[a]] #t ".repeat(110_000),
        format!("{} #t", "<a".repeat(500_000)),
        "Q: a\n".repeat(100_000),
    ];
    for text in &cases {
        parse_everything(text);
    }
}
