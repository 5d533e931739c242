//! Writing lines: the containers' prefixes (quote bars, list markers), blank lines between
//! blocks, inline text wrapped to the width that is left (UAX #14 breaks, long runs cut
//! between graphemes) and every line clipped to the width, with the link spots it carries.

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use super::blocks::Container;
use super::inline::Seg;
use super::{LinkSpot, Renderer};
use crate::style::Role;
use crate::text::width;

/// Containers (quotes, lists, callouts) deeper than this stop indenting further.
const MAX_INDENT_DEPTH: usize = 16;

impl Renderer<'_> {
    /// Before a block: a blank line when one is due and the container has lines already.
    pub(super) fn start_block(&mut self) {
        if self.gap && (!self.lines.is_empty() || self.in_footnote > 0) {
            self.emit(Vec::new());
        }
        self.gap = false;
    }

    /// Writes the inline text read so far, wrapped.
    pub(super) fn flush_inline(&mut self) {
        // A highlight never runs past its block, nor a `<mark>` or a pending soft break.
        self.highlight = false;
        self.marked = false;
        self.soft_break_at = None;
        if self.inline.is_empty() {
            return;
        }
        let segs = std::mem::take(&mut self.inline);
        // Hard breaks split the text into lines wrapped on their own.
        let mut part: Vec<Seg> = Vec::new();
        let mut parts = Vec::new();
        for s in segs {
            if s.text.contains('\n') {
                for (i, piece) in s.text.split('\n').enumerate() {
                    if i > 0 {
                        parts.push(std::mem::take(&mut part));
                    }
                    if !piece.is_empty() {
                        part.push(Seg {
                            text: piece.to_owned(),
                            ..s.clone()
                        });
                    }
                }
            } else {
                part.push(s);
            }
        }
        parts.push(part);
        for p in parts {
            self.emit_wrapped(&p);
        }
        // Pictures go under the text that embeds them.
        self.emit_pictures();
    }

    /// Wraps inline text to the width left after the prefixes and writes it.
    pub(super) fn emit_wrapped(&mut self, segs: &[Seg]) {
        let w = self.width.saturating_sub(self.prefix_width()).max(1);
        for line in wrap_segs(segs, w) {
            let mut spans = Vec::with_capacity(line.len());
            let mut spots = Vec::new();
            let mut col = 0;
            for s in line {
                let sw = width(&s.text);
                if let Some(l) = s.link {
                    spots.push((col, col + sw, l));
                }
                col += sw;
                spans.push(Span::styled(s.text, s.style));
            }
            self.emit_with_links(spans, spots);
        }
    }

    /// [`Renderer::emit`]s a line and records where its links landed (`spots`: display
    /// columns of the content, and the link).
    pub(super) fn emit_with_links(
        &mut self,
        spans: Vec<Span<'static>>,
        spots: Vec<(usize, usize, usize)>,
    ) {
        if let Some((line, offset)) = self.emit(spans) {
            for (start, end, l) in spots {
                if let Some(target) = self.targets.get(l) {
                    self.links.push(LinkSpot {
                        line,
                        start: start + offset,
                        end: end + offset,
                        target: target.clone(),
                    });
                }
            }
        }
    }

    /// The width of the containers' prefixes.
    pub(super) fn prefix_width(&self) -> usize {
        self.stack
            .iter()
            .take(MAX_INDENT_DEPTH)
            .map(Container::width)
            .sum::<usize>()
            .min(self.width.saturating_sub(1))
    }

    /// The same without the innermost container (whose frame a callout draws itself).
    pub(super) fn prefix_width_without_last(&self) -> usize {
        let n = self.stack.len().saturating_sub(1).min(MAX_INDENT_DEPTH);
        self.stack[..n]
            .iter()
            .map(Container::width)
            .sum::<usize>()
            .min(self.width.saturating_sub(1))
    }

    /// Writes one line under the current prefixes; returns its number and the prefix width
    /// (in footnotes, `None`: those lines are moved to the end).
    pub(super) fn emit(&mut self, content: Vec<Span<'static>>) -> Option<(usize, usize)> {
        let styles = self.opts.styles;
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut used = 0;
        let limit = self.width.saturating_sub(1);
        for c in self.stack.iter_mut().take(MAX_INDENT_DEPTH) {
            let (text, style): (Cow<'static, str>, Style) = match c {
                Container::Quote => ("▎ ".into(), styles.get(Role::Quote)),
                Container::Callout(kind) => ("│ ".into(), styles.get(Role::Callout(kind.tint))),
                Container::Item { marker, shown } => {
                    if *shown {
                        (" ".repeat(width(marker)).into(), styles.get(Role::Text))
                    } else {
                        *shown = true;
                        (marker.clone().into(), styles.get(Role::Dim))
                    }
                }
                Container::List { .. } | Container::Footnote => continue,
            };
            let w = width(&text);
            if used + w > limit {
                break;
            }
            used += w;
            spans.push(Span::styled(text, style));
        }
        spans.extend(content);
        // Nothing may pass the width (a prefix, a frame, a long word cut by wrap_segs).
        let line = clip_line(spans, self.width);
        if self.in_footnote > 0 {
            self.footnotes.push(line);
            return None;
        }
        self.lines.push(line);
        Some((self.lines.len() - 1, used))
    }
}

/// A line cut at `width` display columns (trailing blanks dropped).
fn clip_line(spans: Vec<Span<'static>>, max: usize) -> Line<'static> {
    let total: usize = spans.iter().map(|s| width(&s.content)).sum();
    if total <= max {
        let mut line = Line::from(spans);
        trim_end(&mut line);
        return line;
    }
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let w = width(&s.content);
        if used + w <= max {
            used += w;
            out.push(s);
            continue;
        }
        let mut cut = String::new();
        for g in s.content.graphemes(true) {
            let gw = width(g);
            if used + gw > max {
                break;
            }
            used += gw;
            cut.push_str(g);
        }
        out.push(Span::styled(cut, s.style));
        break;
    }
    let mut line = Line::from(out);
    trim_end(&mut line);
    line
}

fn trim_end(line: &mut Line<'static>) {
    while let Some(last) = line.spans.last_mut() {
        let trimmed = last.content.trim_end();
        if trimmed.is_empty() && last.style.bg.is_none() {
            line.spans.pop();
        } else {
            if trimmed.len() != last.content.len() && last.style.bg.is_none() {
                last.content = trimmed.to_owned().into();
            }
            break;
        }
    }
}

/// Splits styled text into lines of at most `max` columns: UAX #14 break opportunities (so
/// Korean breaks between syllables, English between words), a word longer than a line cut
/// between graphemes. Styles and links stay with their text.
pub(super) fn wrap_segs(segs: &[Seg], max: usize) -> Vec<Vec<Seg>> {
    let plain: String = segs.iter().map(|s| s.text.as_str()).collect();
    if plain.is_empty() {
        return Vec::new();
    }
    let max = max.max(1);
    let opts = textwrap::Options::new(max)
        .break_words(false)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    let mut out = Vec::new();
    let base = plain.as_ptr() as usize;
    for line in textwrap::wrap(&plain, opts) {
        let start = (line.as_ptr() as usize).wrapping_sub(base);
        let in_place = matches!(line, Cow::Borrowed(_)) && start + line.len() <= plain.len();
        if !in_place {
            out.push(vec![Seg {
                text: line.into_owned(),
                style: segs.first().map_or(Style::new(), |s| s.style),
                link: None,
            }]);
            continue;
        }
        // A run still too wide (one long word, a URL) is cut between graphemes.
        let mut pieces = Vec::new();
        if width(&line) > max {
            let mut piece_start = start;
            let mut col = 0;
            for (i, g) in line.grapheme_indices(true) {
                let gw = width(g);
                if col + gw > max && col > 0 {
                    pieces.push((piece_start, start + i));
                    piece_start = start + i;
                    col = 0;
                }
                col += gw;
            }
            pieces.push((piece_start, start + line.len()));
        } else {
            pieces.push((start, start + line.len()));
        }
        for (a, b) in pieces {
            out.push(slice_segs(segs, a, b));
        }
    }
    out
}

/// The segments covering bytes `[a, b)` of their concatenation.
fn slice_segs(segs: &[Seg], a: usize, b: usize) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut pos = 0;
    for s in segs {
        let (s0, s1) = (pos, pos + s.text.len());
        pos = s1;
        let (from, to) = (a.max(s0), b.min(s1));
        if from < to {
            out.push(Seg {
                text: s.text[from - s0..to - s0].to_owned(),
                style: s.style,
                link: s.link,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::show;
    use crate::text::width;

    #[test]
    fn paragraphs_wrap_by_display_width() {
        let text = show("가나다라 마바사아 자차카타 파하", 10);
        for l in text.lines() {
            assert!(width(l) <= 10, "{l:?}");
        }
        assert_eq!(text.lines().count(), 4, "{text}");
        // One long word is cut between graphemes, never past the width.
        let long = show(&"한".repeat(30), 7);
        assert!(
            long.lines().all(|l| width(l) <= 7 && width(l) >= 6),
            "{long}"
        );
    }
}
