//! Bytes of a note file to text: whether the file is a text note at all, and how what is odd
//! in it is shown.
//!
//! A NUL byte alone does not make a file binary: notes pasted from terminals, PDFs or other
//! tools carry a stray NUL now and then, and a vault of 13k notes lost one that way while the
//! same bytes further in another note loaded fine. The decision takes the whole file:
//!
//! - a known binary signature (PNG, PDF, ELF, ZIP, a UTF-16 or UTF-32 byte order mark, …) is
//!   binary;
//! - with no NUL, the text loads as it always did (bytes that are not UTF-8 become `�`);
//! - with NULs, the file is binary when it is not valid UTF-8 (compiled objects, images), when
//!   NULs and other control bytes are more than 1 in 20 of its bytes (UTF-16 text is about one
//!   in two), or when it holds a run of 32 NULs (padding, which no note has). Otherwise it is a
//!   text note whose NULs are shown as `�`, with a problem saying so.

use std::borrow::Cow;

/// What the bytes of a file are.
#[derive(Debug, PartialEq, Eq)]
pub enum Decoded<'a> {
    /// A text note, and what was replaced in it: (1-based line, message).
    Text {
        text: Cow<'a, str>,
        replaced: Vec<(usize, String)>,
    },
    /// Not a text note: why, for the problem.
    Binary(String),
}

/// Signatures of files that are never notes, and what they are.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"\x7fELF", "an ELF executable or object"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\0asm", "WebAssembly"),
    (b"SQLite format 3\0", "an SQLite database"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O or Java class file"),
    (b"\0\0\xfe\xff", "UTF-32 text"),
    (b"\xff\xfe\0\0", "UTF-32 text"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
];

/// NULs in a row that mark padding or binary structure.
const NUL_RUN: usize = 32;

/// Decides whether `bytes` are a text note and gives its text.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Decoded::Binary(format!("binary data ({what}), not a text note; skipped"));
    }
    let mut replaced = Vec::new();
    let line_at = |at: usize| 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count();
    // simdutf8 validates several times faster than std; on failure std says where.
    let valid = simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes));
    let Some(first_nul) = memchr::memchr(0, bytes) else {
        return match valid {
            Ok(s) => Decoded::Text {
                text: Cow::Borrowed(s),
                replaced,
            },
            Err(e) => {
                let at = e.valid_up_to();
                replaced.push((
                    line_at(at),
                    format!(
                        "not valid UTF-8 (first bad byte at offset {at}); bad bytes are shown as �"
                    ),
                ));
                Decoded::Text {
                    text: String::from_utf8_lossy(bytes),
                    replaced,
                }
            }
        };
    };
    let Ok(text) = valid else {
        return Decoded::Binary(
            "binary data (NUL bytes, and bytes that are not UTF-8), not a text note; skipped"
                .into(),
        );
    };
    let nuls = memchr::memchr_iter(0, bytes).count();
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if controls >= 4 && controls * 20 > bytes.len() {
        return Decoded::Binary(format!(
            "binary data ({controls} of {} bytes are NUL or control bytes), not a text note; skipped",
            bytes.len()
        ));
    }
    if longest_nul_run(bytes) >= NUL_RUN {
        return Decoded::Binary(format!(
            "binary data (a run of {NUL_RUN} or more NUL bytes), not a text note; skipped"
        ));
    }
    replaced.push((
        line_at(first_nul),
        format!(
            "{nuls} NUL byte{} (first at offset {first_nul}) in otherwise valid text; shown as �",
            if nuls == 1 { "" } else { "s" }
        ),
    ));
    Decoded::Text {
        text: Cow::Owned(text.replace('\0', "\u{FFFD}")),
        replaced,
    }
}

fn longest_nul_run(bytes: &[u8]) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for &b in bytes {
        if b == 0 {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `None`: text without anything replaced; `Some(Ok(part))`: text with a replacement
    /// whose message holds `part`; `Some(Err(part))`: binary, the reason holding `part`.
    type Want = Option<Result<&'static str, &'static str>>;

    #[test]
    fn text_or_binary_by_the_whole_file() {
        let mut late_nuls = "# Note\n".repeat(2000).into_bytes();
        late_nuls.extend_from_slice(b"a\0b\0c\n");
        let mut early_nuls = b"# Note\n\0x\0\n".to_vec();
        early_nuls.extend("text line\n".repeat(2000).bytes());
        let utf16: Vec<u8> = "# Title\nsome text\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let utf16_be: Vec<u8> = "# 제목 Title\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let mut padded = "# Looks like text\n".repeat(100).into_bytes();
        padded.extend_from_slice(&[0; 64]);
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
        let mut object_no_magic = b"\x00\x00\x00\x01\xc3\x28".to_vec();
        object_no_magic.extend("name".bytes());
        let cases: &[(&[u8], Want)] = &[
            (b"# plain \xea\xb8\x80\n", None),
            (b"", None),
            (b"bad \xff byte\n", Some(Ok("not valid UTF-8"))),
            (&late_nuls, Some(Ok("2 NUL bytes (first at offset 14001)"))),
            (&early_nuls, Some(Ok("2 NUL bytes (first at offset 7)"))),
            (b"ok\0\n", Some(Ok("1 NUL byte "))),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(Err("a PNG image"))),
            (
                b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
                Some(Err("a PDF document")),
            ),
            (&elf, Some(Err("ELF"))),
            (b"\xff\xfe#\0 \0T\0", Some(Err("UTF-16 text"))),
            (&utf16, Some(Err("NUL or control bytes"))),
            (&utf16_be, Some(Err("not UTF-8"))),
            (&padded, Some(Err("a run of 32"))),
            (&object_no_magic, Some(Err("not UTF-8"))),
            (b"\0\x01\x02\x03\x04 text", Some(Err("NUL or control"))),
            // Control bytes without a NUL were never binary (the sanitiser shows them).
            (b"\x1b[31mred\x1b[0m\n", None),
        ];
        for (i, (bytes, want)) in cases.iter().enumerate() {
            match (decode(bytes), want) {
                (Decoded::Text { replaced, .. }, None) => {
                    assert!(replaced.is_empty(), "case {i}: {replaced:?}")
                }
                (Decoded::Text { replaced, .. }, Some(Ok(part))) => {
                    assert_eq!(replaced.len(), 1, "case {i}: {replaced:?}");
                    assert!(replaced[0].1.contains(part), "case {i}: {replaced:?}");
                }
                (Decoded::Binary(why), Some(Err(part))) => {
                    assert!(why.contains(part), "case {i}: {why}")
                }
                (got, want) => panic!("case {i}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn nuls_are_shown_as_replacement_characters_on_their_line() {
        let Decoded::Text { text, replaced } = decode(b"a\nb\0c\n\0") else {
            panic!("binary");
        };
        assert_eq!(text, "a\nb\u{FFFD}c\n\u{FFFD}");
        assert_eq!(replaced[0].0, 2);
    }
}
