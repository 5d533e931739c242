//! Hangul as it is typed: initial-consonant (초성) queries and the syllable still being composed.
//! Terminal-free.
//!
//! A query word becomes a sequence of [`Unit`]s, each matching one character of the text:
//!
//! - a lone consonant (`ㅂ`, compatibility or conjoining jamo) matches any syllable that starts
//!   with it (`보`, `법`, ...) or the consonant itself, so `ㅂㅇㄱㄹ` matches 보안그룹;
//! - the word's last syllable may still be in the IME's hands: `보아` is on its way to `보안`,
//!   `봉` may become `보` + a syllable starting with `ㅇ`, `오` may become `와`. It matches its
//!   completions, and when it has a final consonant, also the syllable without it followed by
//!   one starting with that consonant (two [`Unit`]s, hence [`Word::alternatives`]);
//! - anything else matches itself (ignoring case unless the query is case-sensitive).
//!
//! Every unit matches exactly one character of the (NFC) text, so the positions of a match
//! are whole syllables, ready for highlighting.
//!
//! Every character a unit can match has the same initial consonant (or none), so a text's
//! stream of initials ([`shadow`]) holds a matching word's [`shadow_needles`]: full-text
//! search looks for those first, to skip the notes a word cannot match.

/// First Hangul syllable, and the counts of its parts (Unicode's composition formula).
const S_BASE: u32 = 0xAC00;
const L_COUNT: u32 = 19;
const V_COUNT: u32 = 21;
const T_COUNT: u32 = 28;
const N_COUNT: u32 = V_COUNT * T_COUNT;
const S_COUNT: u32 = L_COUNT * N_COUNT;

/// A Hangul syllable's parts: initial (0..19), medial (0..21), final (0 = none, 1..28).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syllable {
    pub initial: u32,
    pub medial: u32,
    pub last: u32,
}

impl Syllable {
    pub fn of(c: char) -> Option<Syllable> {
        let s = (c as u32).checked_sub(S_BASE)?;
        (s < S_COUNT).then_some(Syllable {
            initial: s / N_COUNT,
            medial: (s % N_COUNT) / T_COUNT,
            last: s % T_COUNT,
        })
    }

    pub fn char(self) -> char {
        char::from_u32(S_BASE + (self.initial * V_COUNT + self.medial) * T_COUNT + self.last)
            .unwrap_or('\u{FFFD}')
    }
}

/// The initial-consonant index of a lone consonant: compatibility jamo (`ㄱ` U+3131 ...) or
/// conjoining choseong (U+1100 ...). Clusters that cannot start a syllable (`ㄳ`) have none.
pub fn initial_of_consonant(c: char) -> Option<u32> {
    // Compatibility consonants U+3131..U+314E, in order; u32::MAX for the final-only clusters.
    const COMPAT: [u32; 30] = [
        0,
        1,
        u32::MAX,
        2,
        u32::MAX,
        u32::MAX,
        3,
        4,
        5,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        6,
        7,
        8,
        u32::MAX,
        9,
        10,
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
    ];
    match c as u32 {
        0x3131..=0x314E => Some(COMPAT[(c as u32 - 0x3131) as usize]).filter(|&i| i != u32::MAX),
        0x1100..=0x1112 => Some(c as u32 - 0x1100),
        _ => None,
    }
}

/// The initial consonant a syllable's final consonant would become in the next syllable, and
/// what stays behind: `ㄹ` → (none, ㄹ); the cluster `ㄺ` → (ㄹ, ㄱ).
fn split_final(last: u32) -> Option<(u32, u32)> {
    // The initial index of each single final, by final index (u32::MAX for clusters).
    const SINGLE: [u32; 28] = [
        u32::MAX,
        0,
        1,
        u32::MAX,
        2,
        u32::MAX,
        u32::MAX,
        3,
        5,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        6,
        7,
        u32::MAX,
        9,
        10,
        11,
        12,
        14,
        15,
        16,
        17,
        18,
    ];
    let single = *SINGLE.get(last as usize)?;
    if single != u32::MAX {
        return Some((0, single));
    }
    match last {
        3 => Some((1, 9)),   // ㄳ: ㄱ + ㅅ
        5 => Some((4, 12)),  // ㄵ: ㄴ + ㅈ
        6 => Some((4, 18)),  // ㄶ: ㄴ + ㅎ
        9 => Some((8, 0)),   // ㄺ: ㄹ + ㄱ
        10 => Some((8, 6)),  // ㄻ: ㄹ + ㅁ
        11 => Some((8, 7)),  // ㄼ: ㄹ + ㅂ
        12 => Some((8, 9)),  // ㄽ: ㄹ + ㅅ
        13 => Some((8, 16)), // ㄾ: ㄹ + ㅌ
        14 => Some((8, 17)), // ㄿ: ㄹ + ㅍ
        15 => Some((8, 18)), // ㅀ: ㄹ + ㅎ
        18 => Some((17, 9)), // ㅄ: ㅂ + ㅅ
        _ => None,
    }
}

/// The finals a final can still grow into with one more consonant (itself included).
fn final_completions(last: u32) -> &'static [u32] {
    match last {
        1 => &[1, 3],
        4 => &[4, 5, 6],
        8 => &[8, 9, 10, 11, 12, 13, 14, 15],
        17 => &[17, 18],
        _ => &[],
    }
}

/// The medials a medial can still grow into with one more vowel (itself included).
fn medial_completions(medial: u32) -> &'static [u32] {
    match medial {
        8 => &[8, 9, 10, 11], // ㅗ → ㅘ ㅙ ㅚ
        9 => &[9, 10],        // ㅘ → ㅙ
        13 => &[13, 14, 15, 16],
        14 => &[14, 15],
        18 => &[18, 19],
        _ => &[],
    }
}

/// What one character of the text must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// This character (compared ignoring case unless the query is case-sensitive).
    Char(char),
    /// A character in one of these inclusive ranges of code points.
    Ranges(Vec<(char, char)>),
}

impl Unit {
    pub fn matches(&self, c: char, case_sensitive: bool) -> bool {
        match self {
            Unit::Char(q) => *q == c || (!case_sensitive && c.to_lowercase().eq(q.to_lowercase())),
            Unit::Ranges(r) => r.iter().any(|&(a, b)| a <= c && c <= b),
        }
    }

    /// The units a syllable's initial consonant stands for: every syllable with it, and the
    /// consonant as typed.
    fn initial(initial: u32, typed: char) -> Unit {
        let first = S_BASE + initial * N_COUNT;
        let range = |a: u32, b: u32| {
            (
                char::from_u32(a).unwrap_or('\0'),
                char::from_u32(b).unwrap_or('\0'),
            )
        };
        let mut r = vec![range(first, first + N_COUNT - 1), (typed, typed)];
        // The compatibility jamo of the same consonant, when typed as a conjoining one.
        if let Some(compat) = compat_of_initial(initial)
            && compat != typed
        {
            r.push((compat, compat));
        }
        Unit::Ranges(r)
    }

    /// Whether the unit is exactly one character.
    pub fn as_char(&self) -> Option<char> {
        match self {
            Unit::Char(c) => Some(*c),
            Unit::Ranges(_) => None,
        }
    }
}

fn compat_of_initial(initial: u32) -> Option<char> {
    const COMPAT: [u32; 19] = [
        0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141, 0x3142, 0x3143, 0x3145, 0x3146,
        0x3147, 0x3148, 0x3149, 0x314A, 0x314B, 0x314C, 0x314D, 0x314E,
    ];
    COMPAT
        .get(initial as usize)
        .and_then(|&c| char::from_u32(c))
}

/// A query word as units of text characters: one sequence, or two when its last syllable may
/// be split across two text syllables by the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub alternatives: Vec<Vec<Unit>>,
}

impl Word {
    /// Whether any unit is more than a plain character (the word needs Hangul-aware matching).
    pub fn is_plain(&self) -> bool {
        self.alternatives.len() == 1 && self.alternatives[0].iter().all(|u| u.as_char().is_some())
    }
}

/// Whether some alternative of `w` matches a run of consecutive characters of `text` (case
/// ignored): `ㅂㅇㄱㄹ` in `보안그룹`, `vpc엔ㄷ` in `vpc엔드포인트`.
pub fn contains(text: &str, w: &Word) -> bool {
    let chars: Vec<char> = text.chars().collect();
    w.alternatives.iter().any(|units| {
        !units.is_empty()
            && chars
                .windows(units.len())
                .any(|run| run.iter().zip(units).all(|(&c, u)| u.matches(c, false)))
    })
}

/// The units of a query word (NFC). With `composing`, the last syllable matches what it may
/// still become (the explorer, where the query is being typed); without, it is taken as
/// finished (the command line).
pub fn word(text: &str, composing: bool) -> Word {
    let chars: Vec<char> = text.chars().collect();
    let mut units: Vec<Unit> = Vec::with_capacity(chars.len());
    let last_at = chars.len().saturating_sub(1);
    for (i, &c) in chars.iter().enumerate() {
        if let Some(initial) = initial_of_consonant(c) {
            units.push(Unit::initial(initial, c));
            continue;
        }
        let Some(s) = Syllable::of(c).filter(|_| composing && i == last_at) else {
            units.push(Unit::Char(c));
            continue;
        };
        return Word {
            alternatives: composing_syllable(s)
                .into_iter()
                .map(|tail| units.iter().cloned().chain(tail).collect())
                .collect(),
        };
    }
    Word {
        alternatives: vec![units],
    }
}

/// The units a syllable still being typed stands for (one or two alternatives).
fn composing_syllable(s: Syllable) -> Vec<Vec<Unit>> {
    let at = |initial, medial, last| {
        Syllable {
            initial,
            medial,
            last,
        }
        .char()
    };
    if s.last == 0 {
        // `보아` → 보안: any final, and any medial it can grow into.
        let medials = match medial_completions(s.medial) {
            [] => std::slice::from_ref(&s.medial),
            m => m,
        };
        let ranges = medials
            .iter()
            .map(|&m| (at(s.initial, m, 0), at(s.initial, m, T_COUNT - 1)))
            .collect();
        return vec![vec![Unit::Ranges(ranges)]];
    }
    let whole = match final_completions(s.last) {
        [] => Unit::Char(s.char()),
        finals => Unit::Ranges(
            finals
                .iter()
                .map(|&t| {
                    let c = at(s.initial, s.medial, t);
                    (c, c)
                })
                .collect(),
        ),
    };
    let mut alts = vec![vec![whole]];
    if let Some((kept, next)) = split_final(s.last) {
        let typed = compat_of_initial(next).unwrap_or('\u{FFFD}');
        alts.push(vec![
            Unit::Char(at(s.initial, s.medial, kept)),
            Unit::initial(next, typed),
        ]);
    }
    alts
}

/// Whether the character is Hangul the units treat specially (a syllable or a lone consonant).
pub fn is_hangul(c: char) -> bool {
    Syllable::of(c).is_some() || initial_of_consonant(c).is_some()
}

/// The bit of a character's initial consonant (a syllable's, or a lone consonant's), for a
/// mask of the initials a string holds.
pub fn initial_bit(c: char) -> u32 {
    match Syllable::of(c) {
        Some(s) => 1 << s.initial,
        None => initial_of_consonant(c).map_or(0, |i| 1 << i),
    }
}

/// The initials a unit requires of the text (0 when it is not Hangul-specific).
pub fn unit_initials(u: &Unit) -> u32 {
    match u {
        Unit::Char(c) => initial_bit(*c),
        Unit::Ranges(r) => r
            .first()
            .map_or(0, |&(a, _)| Syllable::of(a).map_or(0, |s| 1 << s.initial)),
    }
}

/// A regular expression (regex crate syntax) for a word's units.
pub fn regex_source(w: &Word) -> String {
    let alts: Vec<String> = w
        .alternatives
        .iter()
        .map(|units| {
            units
                .iter()
                .map(|u| match u {
                    Unit::Char(c) => regex_syntax_escape(*c),
                    Unit::Ranges(r) => {
                        let mut s = String::from("[");
                        for &(a, b) in r {
                            s.push_str(&regex_syntax_escape(a));
                            if a != b {
                                s.push('-');
                                s.push_str(&regex_syntax_escape(b));
                            }
                        }
                        s.push(']');
                        s
                    }
                })
                .collect()
        })
        .collect();
    if alts.len() == 1 {
        alts.into_iter().next().unwrap_or_default()
    } else {
        format!("(?:{})", alts.join("|"))
    }
}

fn regex_syntax_escape(c: char) -> String {
    let mut buf = [0u8; 4];
    regex::escape(c.encode_utf8(&mut buf))
}

/// The byte of the initial-consonant stream ([`shadow`]) that stands for any character that is
/// not Hangul with an initial consonant (a run of them is one such byte). The initials are
/// `0..19`.
pub const SHADOW_OTHER: u8 = 19;

/// A character's byte in the initial-consonant stream: the initial of a syllable, of a lone
/// consonant (compatibility or conjoining), or [`SHADOW_OTHER`]. Every character one [`Unit`]
/// can match has the same byte ([`unit_shadow`]), which is what makes the stream a filter.
pub fn shadow_byte(c: char) -> u8 {
    let u = c as u32;
    if u < 0x1100 {
        return SHADOW_OTHER;
    }
    match Syllable::of(c) {
        Some(s) => s.initial as u8,
        None => initial_of_consonant(c).map_or(SHADOW_OTHER, |i| i as u8),
    }
}

/// Appends the initial-consonant stream of `text` to `out`: a byte per Hangul character (its
/// initial), one [`SHADOW_OTHER`] per run of anything else. `보안 그룹` → ㅂㅇ·ㄱㄹ. A word
/// whose units match a run of `text` has its [`shadow_needles`] in that run's stream, so a
/// note whose stream lacks them cannot match, and is not scanned.
pub fn shadow(text: &str, out: &mut Vec<u8>) {
    let mut other = false;
    for c in text.chars() {
        let b = shadow_byte(c);
        if b == SHADOW_OTHER {
            if other {
                continue;
            }
            other = true;
        } else {
            other = false;
        }
        out.push(b);
    }
}

/// The byte of every character a unit matches, or `None` when they differ (not a unit
/// [`word`] makes; such a word is then not filtered).
fn unit_shadow(u: &Unit) -> Option<u8> {
    match u {
        // Case folding never turns a character into Hangul or out of it.
        Unit::Char(c) => Some(shadow_byte(*c)),
        Unit::Ranges(r) => {
            let mut bytes = r.iter().map(|&(a, b)| {
                let (x, y) = (shadow_byte(a), shadow_byte(b));
                // A range of syllables inside one initial's block (they are contiguous), or one
                // character.
                (x == y && (a == b || (Syllable::of(a).is_some() && Syllable::of(b).is_some())))
                    .then_some(x)
            });
            let first = bytes.next()??;
            bytes.all(|b| b == Some(first)).then_some(first)
        }
    }
}

/// What a word looks for in the initial-consonant stream ([`shadow`]): one needle per
/// alternative, a text whose stream holds none of them cannot match. `None` when the word
/// needs no such filter (no Hangul-specific unit: its regex has a literal to skip by) or
/// cannot have one.
pub fn shadow_needles(w: &Word) -> Option<Vec<Vec<u8>>> {
    if w.is_plain() {
        return None;
    }
    let mut needles = Vec::with_capacity(w.alternatives.len());
    for units in &w.alternatives {
        let mut needle = Vec::with_capacity(units.len());
        for u in units {
            let b = unit_shadow(u)?;
            if b == SHADOW_OTHER && needle.last() == Some(&SHADOW_OTHER) {
                continue;
            }
            needle.push(b);
        }
        if !needle.iter().any(|&b| b != SHADOW_OTHER) {
            return None;
        }
        needles.push(needle);
    }
    Some(needles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(query: &str, composing: bool, text: &str) -> bool {
        let re = regex::Regex::new(&regex_source(&word(query, composing))).unwrap();
        re.is_match(text)
    }

    #[test]
    fn syllables_decompose_and_compose() {
        let s = Syllable::of('값').unwrap();
        assert_eq!((s.initial, s.medial, s.last), (0, 0, 18));
        assert_eq!(s.char(), '값');
        assert_eq!(Syllable::of('a'), None);
        assert_eq!(initial_of_consonant('ㅂ'), Some(7));
        assert_eq!(initial_of_consonant('\u{1107}'), Some(7));
        assert_eq!(initial_of_consonant('ㄳ'), None);
    }

    #[test]
    fn table_of_hangul_queries() {
        // (query, composing, text, matches)
        let table = [
            ("ㅂㅇㄱㄹ", false, "보안그룹", true),
            ("ㅂㅇㄱㄹ", false, "보안 그룹", false),
            ("ㅍㄹㅇㅂ", false, "프라이빗", true),
            ("엔ㄷ", false, "VPC 엔드포인트", true),
            ("엔ㄷ", false, "엔진", false),
            ("프라이ㅂ", false, "프라이빗", true),
            ("프라이ㅂ", false, "프라이어", false),
            ("보ㅇ", false, "보안", true),
            ("보ㅇ", false, "보험", false),
            // The syllable being typed: a final that moves on, a medial that grows.
            ("프라입", true, "프라이빗", true),
            ("프라입", false, "프라이빗", false),
            ("봉", true, "보안", true),
            ("보아", true, "보안", true),
            ("보아", false, "보안", false),
            ("오", true, "와이파이", true),
            ("달", true, "닭", true),
            ("닭", true, "달님", false),
            ("닭", true, "달걀", true),
            ("닭", true, "달기", true),
            ("값", true, "갑시다", true),
            // The composing rule applies to the last syllable only.
            ("보안그", true, "보안그룹", true),
            ("보아그", true, "보안그룹", false),
            // A lone consonant matches itself too.
            ("ㅂ", false, "ㅂ 받침", true),
        ];
        for (q, composing, text, want) in table {
            assert_eq!(
                matches(q, composing, text),
                want,
                "{q:?} in {text:?} composing={composing}"
            );
        }
    }

    #[test]
    fn the_initial_consonant_stream_and_its_needles() {
        let stream = |t: &str| {
            let mut out = Vec::new();
            shadow(t, &mut out);
            out
        };
        const O: u8 = SHADOW_OTHER;
        // ㅂ=7 ㅇ=11 ㄱ=0 ㄹ=5; a run of anything else is one byte.
        assert_eq!(stream("보안  그룹!"), [7, 11, O, 0, 5, O]);
        assert_eq!(stream("VPC 엔드포인트"), [O, 11, 3, 17, 11, 16]);
        // Lone consonants, compatibility and conjoining, stand for their initial.
        assert_eq!(stream("ㅂ\u{1107}ㄳ"), [7, 7, O]);
        let needles = |q: &str, composing| shadow_needles(&word(q, composing));
        assert_eq!(needles("ㅂㅇㄱㄹ", false), Some(vec![vec![7, 11, 0, 5]]));
        assert_eq!(needles("vpc엔ㄷ", false), Some(vec![vec![O, 11, 3]]));
        // The syllable being typed: 봉 is 봉… or 보 + ㅇ….
        assert_eq!(needles("봉", true), Some(vec![vec![7], vec![7, 11]]));
        // Plain words have a literal for the regex: no needle.
        assert_eq!(needles("보안", false), None);
        assert_eq!(needles("vpc", true), None);
    }

    #[test]
    fn every_match_has_a_needle_in_the_stream() {
        // The filter is only sound if a text a word matches always holds one of its needles:
        // every query of the Hangul table against texts it matches and does not.
        let queries = [
            ("ㅂㅇㄱㄹ", false),
            ("ㅍㄹㅇㅂ", false),
            ("엔ㄷ", false),
            ("프라이ㅂ", false),
            ("보ㅇ", false),
            ("프라입", true),
            ("봉", true),
            ("보아", true),
            ("오", true),
            ("닭", true),
            ("값", true),
            ("ㅂ", false),
            ("x보ㅇ", true),
            ("ㄱ-ㄹ", false),
        ];
        let texts = [
            "보안그룹",
            "보안 그룹",
            "프라이빗",
            "VPC 엔드포인트",
            "엔진",
            "프라이어",
            "보안",
            "보험",
            "와이파이",
            "닭",
            "달님",
            "달걀",
            "달기",
            "갑시다",
            "ㅂ 받침",
            "x보안",
            "X보안",
            "가-룹",
            "\u{1100}-\u{1105}",
            "ㄱ-ㄹ",
        ];
        for (q, composing) in queries {
            let w = word(q, composing);
            let re = regex::RegexBuilder::new(&regex_source(&w))
                .case_insensitive(true)
                .build()
                .unwrap();
            let needles = shadow_needles(&w).expect("a Hangul-aware word has needles");
            for t in texts {
                let mut s = Vec::new();
                shadow(t, &mut s);
                let held = needles
                    .iter()
                    .any(|n| memchr::memmem::find(&s, n).is_some());
                if re.is_match(t) {
                    assert!(held, "{q:?} matches {t:?} but its stream lacks the needles");
                }
            }
        }
    }

    #[test]
    fn plain_words_stay_plain() {
        assert!(word("vpc", true).is_plain());
        assert!(word("보안", false).is_plain());
        assert!(!word("보안", true).is_plain());
        assert!(!word("ㅂㅇ", false).is_plain());
    }
}
