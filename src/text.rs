//! Measuring and cutting text for a terminal: every width is in display columns (Hangul and
//! emoji take two), and text is cut only between graphemes, so a combining mark stays with its
//! letter and a wide character is never split. Used by the renderer, the panes and the command
//! line alike.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    s.width()
}

/// `line` cut into pieces of at most `width` columns, between graphemes.
pub fn hard_wrap(line: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    if line.width() <= width {
        return vec![line.to_owned()];
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut col = 0;
    for g in line.graphemes(true) {
        let gw = g.width();
        if col + gw > width && col > 0 {
            out.push(std::mem::take(&mut cur));
            col = 0;
        }
        cur.push_str(g);
        col += gw;
    }
    out.push(cur);
    out
}

/// `line` without its first `skip` display columns. A wide character cut in two becomes a
/// space, so every column after the cut stays where it was (a plain horizontal scroll would
/// draw the whole character and shift the rest of the line).
pub fn cut_columns(line: &str, skip: usize) -> Cow<'_, str> {
    if skip == 0 {
        return line.into();
    }
    let mut col = 0;
    for (i, g) in line.grapheme_indices(true) {
        if col >= skip {
            return format!("{}{}", " ".repeat(col - skip), &line[i..]).into();
        }
        col += g.width();
    }
    " ".repeat(col.saturating_sub(skip)).into()
}

/// `s` padded with spaces to `width` columns, or cut with `…` when it is wider.
pub fn fit(s: &str, width: usize) -> String {
    let cut = cut(s, width);
    let used = cut.width();
    cut + &" ".repeat(width.saturating_sub(used))
}

/// `s` as it is when it takes at most `width` columns, else cut between graphemes to fit
/// with a `…` at its end.
pub fn cut(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let gw = g.width();
        if used + gw + 1 > width {
            break;
        }
        out.push_str(g);
        used += gw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `s` as it is when it takes at most `width` columns, else its end with a `…` before it, cut
/// between graphemes to fit (for paths, whose end tells them apart).
pub fn cut_front(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 0;
    for g in s.graphemes(true).rev() {
        let gw = g.width();
        if used + gw + 1 > width {
            break;
        }
        kept.push(g);
        used += gw;
    }
    if width == 0 {
        return String::new();
    }
    std::iter::once("…").chain(kept.into_iter().rev()).collect()
}

/// Tabs as four spaces: a terminal would move a tab to its own stops, not the layout's.
pub fn expand_tabs(s: &str) -> Cow<'_, str> {
    if s.contains('\t') {
        s.replace('\t', "    ").into()
    } else {
        s.into()
    }
}

/// Spans cut to `columns` columns, ending in `…` when cut (never splitting a wide glyph).
pub fn cut_spans(
    spans: Vec<ratatui::text::Span<'static>>,
    columns: usize,
) -> ratatui::text::Line<'static> {
    let total: usize = spans.iter().map(|s| width(&s.content)).sum();
    if total <= columns {
        return ratatui::text::Line::from(spans);
    }
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let w = width(&s.content);
        if used + w < columns {
            used += w;
            out.push(s);
            continue;
        }
        // `cut` ends what it cut with `…`.
        out.push(ratatui::text::Span::styled(
            cut(&s.content, columns.saturating_sub(used)),
            s.style,
        ));
        break;
    }
    ratatui::text::Line::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_display_columns() {
        assert_eq!(width("보안 group"), 10);
        assert_eq!(width("⚙\u{fe0f}"), 2);
        assert_eq!(hard_wrap("보안그룹", 3), ["보", "안", "그", "룹"]);
        assert_eq!(hard_wrap("abcdef", 4), ["abcd", "ef"]);
        assert_eq!(hard_wrap("e\u{301}cole", 2), ["e\u{301}c", "ol", "e"]);
    }

    #[test]
    fn cutting_keeps_columns_under_wide_characters() {
        assert_eq!(cut_columns("abc한|", 4), " |");
        assert_eq!(cut_columns("abc한|", 3), "한|");
        assert_eq!(cut_columns("abc한|", 5), "|");
        assert_eq!(cut_columns("한", 9), "");
        assert_eq!(cut_columns("abc", 0), "abc");
    }

    #[test]
    fn fitting_pads_or_cuts_with_an_ellipsis() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("보안그룹", 5), "보안…");
        assert_eq!(fit("보안그룹", 6), "보안… ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(width(&fit("보안그룹 설정", 7)), 7);
        assert_eq!(fit("abc", 0), "");
        assert_eq!(expand_tabs("a\tb"), "a    b");
    }

    #[test]
    fn cutting_the_front_keeps_the_end() {
        assert_eq!(cut_front("net/sg.md", 9), "net/sg.md");
        assert_eq!(cut_front("net/sg.md", 6), "…sg.md");
        // A wide syllable that does not fit whole is left out, never split.
        assert_eq!(cut_front("보안/그룹.md", 7), "…룹.md");
        assert_eq!(width(&cut_front("보안/그룹.md", 8)), 8);
        assert_eq!(cut_front("abc", 0), "");
    }
}
