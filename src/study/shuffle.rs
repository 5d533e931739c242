//! The order options are shown in: shuffled per showing (seeded, so a test can repeat it),
//! except options that refer to the others ("All of the above", "None of the above", "모두",
//! "위의 모든"), which keep their place. When an option names others by their letters
//! ("A and B", "Both A and B") the options keep their written order: moving A would change
//! what it says. Answers are kept by the option's label, never by where it was shown.

use crate::vault::questions::Choice as NoteOption;

/// Words of an option that refers to the other options.
const ANCHORS: &[&str] = &[
    "all of the above",
    "none of the above",
    "all of these",
    "none of these",
    "both of the above",
    "neither of the above",
    "all the above",
    "위의 모든",
    "모두 해당",
    "모두",
    "전부",
    "해당 없음",
];

/// Whether an option refers to the others, so keeps its place.
pub fn anchored(text: &str) -> bool {
    let t = text.to_lowercase();
    ANCHORS.iter().any(|a| t.contains(a)) || names_others(&t)
}

/// "A and B", "both A and B", "A, B and C", "A & C", "A와 B": two option letters joined.
fn names_others(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '&' || c == '+')
        .filter(|w| !w.is_empty())
        .collect();
    let letter = |w: &str| {
        let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | '.'));
        let w = w.strip_suffix('와').or(w.strip_suffix('과')).unwrap_or(w);
        w.len() == 1 && w.chars().all(|c| c.is_ascii_lowercase())
    };
    let letters = words.iter().filter(|w| letter(w)).count();
    letters >= 2 && (letters * 2 >= words.len() || words.contains(&"both"))
}

/// Whether an explanation names options by their written letters (`**A** - …`, `(C)`, `B is
/// wrong`, `보기 C`, `D번`): shuffled, those letters would point at other options, so such a
/// question keeps its written order.
pub fn explained_by_letter(options: &[NoteOption], explanation: &[String]) -> bool {
    if explanation.is_empty() {
        return false;
    }
    let lower: Vec<String> = explanation.iter().map(|e| e.to_lowercase()).collect();
    options.iter().any(|o| {
        let l = o.label.as_str();
        // Compared with the explanation in lower case (`Option C`, `option c`).
        let ll = l.to_lowercase();
        let marks = [
            format!("({ll})"),
            format!("**{ll}**"),
            format!("**{ll})"),
            format!("**{ll}."),
            format!("option {ll}"),
            format!("options {ll}"),
            format!("answer {ll}"),
            format!("보기 {ll}"),
            format!("{ll}번"),
            format!("선지 {ll}"),
        ];
        let after = [
            ")", ".", ":", " -", " –", " is ", " was ", "는 ", "은 ", "가 ", "이 ",
        ];
        explanation.iter().zip(&lower).any(|(e, low)| {
            let t = e.trim_start();
            after.iter().any(|a| t.starts_with(&format!("{l}{a}")))
                || marks.iter().any(|m| low.contains(m.as_str()))
                || e.contains(&format!(" {l})"))
        })
    })
}

/// The next number of a splitmix64 sequence (a seeded shuffle needs no more than this).
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The order to show `options` in: indexes into them. `seed` `None` keeps the written order.
pub fn order(options: &[NoteOption], seed: Option<u64>) -> Vec<usize> {
    let mut out: Vec<usize> = (0..options.len()).collect();
    let Some(seed) = seed else { return out };
    if options.iter().any(|o| names_others(&o.text.to_lowercase())) {
        return out;
    }
    let free: Vec<usize> = out
        .iter()
        .copied()
        .filter(|&i| !anchored(&options[i].text))
        .collect();
    let mut shuffled = free.clone();
    let mut state = seed;
    for i in (1..shuffled.len()).rev() {
        let j = (splitmix(&mut state) % (i as u64 + 1)) as usize;
        shuffled.swap(i, j);
    }
    for (slot, pick) in free.iter().zip(shuffled) {
        out[*slot] = pick;
    }
    out
}

/// A seed for one showing of a question: the session's seed mixed with the showing's number.
pub fn showing_seed(session: u64, showing: usize) -> u64 {
    let mut s = session ^ (showing as u64).wrapping_mul(0xa076_1d64_78bd_642f);
    splitmix(&mut s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(texts: &[&str]) -> Vec<NoteOption> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| NoteOption {
                label: ((b'A' + i as u8) as char).to_string(),
                text: (*t).to_owned(),
            })
            .collect()
    }

    #[test]
    fn explanations_naming_letters_keep_the_written_order() {
        let o = opts(&["NAT gateway", "Gateway endpoint", "Interface endpoint"]);
        let by_letter = |e: &[&str]| {
            let e: Vec<String> = e.iter().map(|s| (*s).to_owned()).collect();
            explained_by_letter(&o, &e)
        };
        for e in [
            &["**A** - costs money"][..],
            &["A) is zonal"],
            &["B is free", "C costs"],
            &["Option C costs per hour"],
            &["보기 B가 정답이다"],
            &["C번은 유료"],
            &["The answer (B) is free"],
        ] {
            assert!(by_letter(e), "{e:?}");
        }
        for e in [
            &["A NAT gateway is zonal."][..],
            &["Gateway endpoints cost nothing."],
            &["게이트웨이 엔드포인트는 무료다."],
            &[],
        ] {
            assert!(!by_letter(e), "{e:?}");
        }
    }

    #[test]
    fn a_seeded_shuffle_repeats_and_keeps_anchored_options_in_place() {
        let o = opts(&["S3", "EBS", "EFS", "Glacier", "All of the above"]);
        let a = order(&o, Some(7));
        assert_eq!(a, order(&o, Some(7)), "the same seed, the same order");
        assert_eq!(a[4], 4, "All of the above stays last");
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![0, 1, 2, 3, 4], "a permutation");
        // Some seed moves the free ones; none moves the anchor.
        let orders: Vec<Vec<usize>> = (0..20).map(|s| order(&o, Some(s))).collect();
        assert!(orders.iter().any(|x| x[..4] != [0, 1, 2, 3]));
        assert!(orders.iter().all(|x| x[4] == 4));
        assert_eq!(order(&o, None), vec![0, 1, 2, 3, 4], "not shuffled");
    }

    #[test]
    fn options_naming_others_keep_the_written_order() {
        for texts in [
            &["x", "y", "z", "A and B"][..],
            &["x", "y", "Both A and C", "z"][..],
        ] {
            let o = opts(texts);
            for s in 0..10 {
                assert_eq!(order(&o, Some(s)), vec![0, 1, 2, 3], "{texts:?}");
            }
        }
        for t in [
            "위의 모든 것",
            "모두 해당",
            "None of the above",
            "보기 모두",
        ] {
            assert!(anchored(t), "{t}");
        }
        for t in ["Amazon S3", "a bucket and a key", "VPC 피어링"] {
            assert!(!anchored(t), "{t}");
        }
    }
}
