//! Neutralise text that came from a note before it reaches a terminal.
//!
//! A note is untrusted input: an ESC in a title could move the cursor, set the window title or
//! write the clipboard, and a bidi override could make a line read differently from what it is.
//! Every control character (C0, DEL, C1), every bidi embedding/override/isolate and every Unicode
//! tag character (U+E0000..U+E007F, which can spell out hidden text) is replaced by a visible
//! placeholder, so the user sees that something was there. The only tag characters kept are
//! those of the three emoji flags made with them (England, Scotland, Wales).

use std::borrow::Cow;

/// Bidi embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Unicode tag characters: invisible, and able to carry a hidden ASCII text.
fn is_tag_char(c: char) -> bool {
    matches!(c, '\u{E0000}'..='\u{E007F}')
}

/// The emoji flags written with tag characters (the only ones Unicode recommends).
const TAG_FLAGS: [&str; 3] = [
    "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
    "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
    "\u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}",
];

/// The visible stand-in for a dangerous character, or `None` when it is safe as is.
/// C0 controls become their Control Pictures glyph (ESC shows as `␛`), DEL `␡`, C1 controls and
/// bidi controls the replacement character.
fn placeholder(c: char, keep_layout: bool) -> Option<char> {
    match c {
        '\n' | '\t' if keep_layout => None,
        '\0'..='\u{1F}' => char::from_u32(0x2400 + c as u32),
        '\u{7F}' => Some('\u{2421}'),
        '\u{80}'..='\u{9F}' => Some('\u{FFFD}'),
        c if is_bidi_control(c) || is_tag_char(c) => Some('\u{FFFD}'),
        _ => None,
    }
}

/// Whether `s` may hold a character [`placeholder`] replaces, by its UTF-8 bytes: each of them
/// is a byte under 0x20, DEL, or starts with 0xC2 (C1), 0xE2 (bidi controls) or 0xF3 (tag
/// characters). Most text has none of these bytes (Hangul starts with 0xEA-0xED), and a scan
/// of bytes is many times faster than decoding every character.
fn may_need_replacing(s: &str) -> bool {
    let flagged = |b: u8| (b < 0x20) | (b == 0x7F) | (b == 0xC2) | (b == 0xE2) | (b == 0xF3);
    // 32 bytes at a time without an early exit inside, which the compiler makes SIMD.
    let any_flagged = |chunk: &[u8; 32]| chunk.iter().fold(false, |any, &b| any | flagged(b));
    let mut chunks = s.as_bytes().chunks_exact(32);
    for chunk in &mut chunks {
        if chunk.try_into().is_ok_and(&any_flagged) {
            return true;
        }
    }
    // The rest too, padded with spaces (never flagged): most titles, tags and paths are
    // shorter than 32 bytes, and a byte-by-byte look at them was most of printing `list
    // --json`'s strings.
    let rest = chunks.remainder();
    let mut last = [b' '; 32];
    last[..rest.len()].copy_from_slice(rest);
    any_flagged(&last)
}

/// Every character maps to one character (a search's match positions stay right).
fn replace(s: &str, keep_layout: bool) -> Cow<'_, str> {
    if !may_need_replacing(s) || !s.chars().any(|c| placeholder(c, keep_layout).is_some()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1F3F4}'
            && let Some(flag) = TAG_FLAGS.iter().find(|f| rest.starts_with(*f))
        {
            out.push_str(flag);
            rest = &rest[flag.len()..];
            continue;
        }
        out.push(placeholder(c, keep_layout).unwrap_or(c));
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Whether `c` shows as nothing at all: controls, format characters and the other default
/// ignorable code points (zero-width spaces and joiners, bidi marks, variation selectors, tag
/// characters, the soft hyphen), and the Hangul and Braille fillers that draw a blank.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{AD}'
                | '\u{34F}'
                | '\u{61C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Whether `s` would show as a blank: only whitespace and [`is_invisible`] characters.
pub fn looks_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// The invisible characters of `s` by code point (`U+200B, U+3164`), the first few, for a
/// message saying why a text was not used.
pub fn invisible_code_points(s: &str) -> String {
    let mut seen: Vec<char> = Vec::new();
    for c in s.chars().filter(|&c| !c.is_ascii_whitespace()) {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    let mut out: Vec<String> = seen
        .iter()
        .take(4)
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect();
    if seen.len() > 4 {
        out.push("…".to_owned());
    }
    out.join(", ")
}

/// Text of several lines (a body, an explanation): newlines and tabs are kept, every other
/// control character is replaced.
pub fn text(s: &str) -> Cow<'_, str> {
    replace(s, true)
}

/// A one-line field (title, alias, tag, path): newlines and tabs are replaced too.
pub fn line(s: &str) -> Cow<'_, str> {
    replace(s, false)
}

/// Sanitise every string inside a JSON value in place (keys included), for `--json` output.
pub fn json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            if let Cow::Owned(clean) = text(s) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json),
        Value::Object(map) => {
            let dirty = map.keys().any(|k| matches!(line(k), Cow::Owned(_)));
            if dirty {
                let old = std::mem::take(map);
                for (k, v) in old {
                    map.insert(line(&k).into_owned(), v);
                }
            }
            map.values_mut().for_each(json);
        }
        _ => {}
    }
}

/// What a caught panic says, as one safe line (its payload is usually a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".to_owned());
    line(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan lets through no character that needs replacing: every code point up to
    /// U+10FFFF that has a placeholder is flagged by it.
    #[test]
    fn the_byte_scan_misses_nothing() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.to_string();
            if placeholder(c, false).is_some() {
                assert!(may_need_replacing(&s), "U+{:04X}", c as u32);
            }
        }
        // Anywhere in a longer text (the scan goes 32 bytes at a time).
        for c in ['\u{1b}', '\u{85}', '\u{202E}', '\u{E0041}'] {
            for at in 0..80 {
                let s = format!(
                    "{}{c}{}",
                    "가".repeat(at / 3) + &"a".repeat(at % 3),
                    "b".repeat(40)
                );
                assert!(may_need_replacing(&s), "{c:?} at {at}");
                assert!(matches!(text(&s), Cow::Owned(_)));
            }
        }
        assert!(!may_need_replacing(&"보안 그룹 abc ".repeat(20)));
    }

    #[test]
    fn replaces_controls_with_visible_placeholders() {
        let cases: &[(&str, &str, &str)] = &[
            // input, text(), line()
            ("plain 한글 ✅", "plain 한글 ✅", "plain 한글 ✅"),
            ("a\x1b[2Jb", "a␛[2Jb", "a␛[2Jb"),
            ("t\x1b]0;pwned\x07", "t␛]0;pwned␇", "t␛]0;pwned␇"),
            ("x\ny\tz", "x\ny\tz", "x␊y␉z"),
            ("del\x7f", "del␡", "del␡"),
            ("c1\u{9b}31m", "c1\u{FFFD}31m", "c1\u{FFFD}31m"),
            (
                "rtl\u{202E}gnp.exe",
                "rtl\u{FFFD}gnp.exe",
                "rtl\u{FFFD}gnp.exe",
            ),
            (
                "iso\u{2067}x\u{2069}",
                "iso\u{FFFD}x\u{FFFD}",
                "iso\u{FFFD}x\u{FFFD}",
            ),
            ("\r\0", "␍␀", "␍␀"),
            // Tag characters spelling "hi" after a word, and a cancel tag alone.
            (
                "alias\u{E0068}\u{E0069}\u{E007F}",
                "alias\u{FFFD}\u{FFFD}\u{FFFD}",
                "alias\u{FFFD}\u{FFFD}\u{FFFD}",
            ),
            ("\u{E0001}lang", "\u{FFFD}lang", "\u{FFFD}lang"),
            // The flag of Scotland is kept; a black flag with other tags is not.
            (TAG_FLAGS[1], TAG_FLAGS[1], TAG_FLAGS[1]),
            (
                "\u{1F3F4}\u{E0061}\u{E007F}",
                "\u{1F3F4}\u{FFFD}\u{FFFD}",
                "\u{1F3F4}\u{FFFD}\u{FFFD}",
            ),
            // Other invisibles that are not dangerous stay (joiners shape emoji and scripts).
            (
                "a\u{200D}b\u{200B}",
                "a\u{200D}b\u{200B}",
                "a\u{200D}b\u{200B}",
            ),
        ];
        for (input, want_text, want_line) in cases {
            assert_eq!(text(input), *want_text, "text({input:?})");
            assert_eq!(line(input), *want_line, "line({input:?})");
        }
    }

    #[test]
    fn one_character_for_each_character() {
        let s = format!("x\u{E0041}{}\u{1b}한", TAG_FLAGS[0]);
        assert_eq!(line(&s).chars().count(), s.chars().count());
    }

    #[test]
    fn blank_looking_texts() {
        // (text, looks blank)
        let cases: &[(&str, bool)] = &[
            ("", true),
            (" \t", true),
            ("\u{200B}\u{200C}\u{200D}", true),
            ("\u{200E}\u{200F}\u{202E}\u{2066}", true),
            ("\u{3164}\u{3164}", true),
            ("\u{115F}\u{1160}\u{FFA0}", true),
            ("\u{E0074}\u{E0065}\u{E0078}\u{E0074}", true),
            ("\u{FEFF}\u{2060}\u{AD}\u{FE0F}", true),
            ("\u{2800} \u{3000}\u{A0}", true),
            ("\u{1b}\u{7f}\u{85}", true),
            ("a\u{200B}", false),
            ("한", false),
            ("\u{1F3F4}", false),
            ("\u{FFFD}", false),
            ("ㅤx", false),
        ];
        for (s, blank) in cases {
            assert_eq!(looks_blank(s), *blank, "{s:?}");
        }
        assert_eq!(
            invisible_code_points("\u{200B} \u{3164}\u{200B}"),
            "U+200B, U+3164"
        );
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(text("no controls here"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_strings_and_keys_are_cleaned() {
        let mut v = serde_json::json!({"ti\u{1b}tle": ["a\u{1b}b", {"k": "\u{202e}"}], "n": 1});
        json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"ti␛tle": ["a␛b", {"k": "\u{FFFD}"}], "n": 1})
        );
    }
}
