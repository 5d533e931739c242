//! Neutralise text that came from a note before it reaches a terminal.
//!
//! A note is untrusted input: an ESC in a title could move the cursor, set the window title or
//! write the clipboard, and a bidi override could make a line read differently from what it is.
//! Every control character (C0, DEL, C1) and every bidi embedding/override/isolate is replaced by
//! a visible placeholder, so the user sees that something was there.

use std::borrow::Cow;

/// Bidi embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The visible stand-in for a dangerous character, or `None` when it is safe as is.
/// C0 controls become their Control Pictures glyph (ESC shows as `␛`), DEL `␡`, C1 controls and
/// bidi controls the replacement character.
fn placeholder(c: char, keep_layout: bool) -> Option<char> {
    match c {
        '\n' | '\t' if keep_layout => None,
        '\0'..='\u{1F}' => char::from_u32(0x2400 + c as u32),
        '\u{7F}' => Some('\u{2421}'),
        '\u{80}'..='\u{9F}' => Some('\u{FFFD}'),
        c if is_bidi_control(c) => Some('\u{FFFD}'),
        _ => None,
    }
}

fn replace(s: &str, keep_layout: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| placeholder(c, keep_layout).is_some()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| placeholder(c, keep_layout).unwrap_or(c))
            .collect(),
    )
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
        ];
        for (input, want_text, want_line) in cases {
            assert_eq!(text(input), *want_text, "text({input:?})");
            assert_eq!(line(input), *want_line, "line({input:?})");
        }
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
