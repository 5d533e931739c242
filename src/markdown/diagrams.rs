//! Diagram blocks drawn in place: a fenced block the diagram pane would draw (Mermaid, d2, or
//! an unlabelled picture or chain the sniffer accepts) is shown as its drawing when the drawing
//! fits the width, under a one-line caption that says which diagram it is and how to see the
//! source; else as its source, framed, the caption saying why.
//!
//! Which shows by default: Mermaid, d2, state and sequence diagrams and arrow chains are
//! source code that means a picture, so the picture is shown. A 2-D ASCII picture is a
//! picture already, as its author drew it: redrawing it adds little and loses the author's
//! hand, so it shows as written unless the drawings are asked for ([`DiagramMode::Drawn`]).
//!
//! The drawings are made when the renderer first needs them (on the content worker in the
//! explorer, never in a frame) and kept in [`Drawings`], which the explorer keeps with the
//! note's reading: a new width or mode renders again from the drawings already made. The
//! choice among a graph's drawings is the diagram pane's ([`crate::diagram::fit`]), so both
//! show the same picture at the same width.

use std::sync::{Arc, OnceLock};

use ratatui::text::Span;

use super::Renderer;
use crate::diagram::fit::{self, Fit};
use crate::diagram::{Drawing, Graph, Syntax};
use crate::sanitize;
use crate::style::Role;
use crate::text::{cut, hard_wrap, width};

/// How diagram blocks show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DiagramMode {
    /// Drawn when that fits, except 2-D ASCII pictures, which show as their author drew them.
    #[default]
    Auto,
    /// Every diagram drawn when that fits.
    Drawn,
    /// Every diagram as its source.
    Source,
}

/// How a rendering shows the note's diagram blocks: the mode, and the note's diagrams with
/// the drawings made so far when the caller keeps them (else the renderer finds the diagrams
/// in the body itself and draws what it needs). With no drawings and [`DiagramMode::Source`]
/// nothing is parsed or drawn beyond telling diagram blocks from code: what a view that
/// renders its text in every frame (a study question) asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiagramView<'a> {
    pub mode: DiagramMode,
    pub drawings: Option<&'a Drawings>,
}

/// A note's diagrams (the diagram pane's list, in order) and their drawings, made on demand.
#[derive(Debug, Default)]
pub struct Drawings {
    graphs: Vec<Arc<Graph>>,
    /// Per graph, its drawings in the order of preference, each made once.
    looks: Vec<Vec<(Fit, OnceLock<Arc<Drawing>>)>>,
}

/// What a diagram can show in so many columns.
#[derive(Debug, Clone)]
pub enum Fitted {
    /// The first drawing, in order of preference, that fits.
    Drawn(Arc<Drawing>),
    /// No drawing fits: the narrowest is this wide.
    TooWide(usize),
    /// It is not drawn at all (a Mermaid type that is not drawn, too many nodes); why.
    NotDrawn(String),
}

impl Drawings {
    pub fn new(graphs: Vec<Arc<Graph>>) -> Drawings {
        let looks = graphs
            .iter()
            .map(|g| {
                fit::candidates(None, fit::turnable(g, false))
                    .into_iter()
                    .map(|f| (f, OnceLock::new()))
                    .collect()
            })
            .collect();
        Drawings { graphs, looks }
    }

    /// The diagrams of a note body (`first_line`: the body's first line in its file).
    pub fn of_body(body: &str, first_line: usize) -> Drawings {
        Drawings::new(
            crate::diagram::diagrams(body, first_line)
                .into_iter()
                .map(Arc::new)
                .collect(),
        )
    }

    pub fn graphs(&self) -> &[Arc<Graph>] {
        &self.graphs
    }

    /// The first diagram from `from` on that is `g` (parsed again from the rendered block):
    /// the same kind, nodes and edges. Positions are not compared: a block inside a list is
    /// indented in the file and not in the rendering.
    fn find(&self, from: usize, g: &Graph) -> Option<usize> {
        let same = |a: &Graph| {
            a.syntax == g.syntax
                && a.source == g.source
                && a.nodes.len() == g.nodes.len()
                && a.edges.len() == g.edges.len()
                && a.nodes
                    .iter()
                    .zip(&g.nodes)
                    .all(|(x, y)| x.id == y.id && x.label == y.label)
                && a.edges
                    .iter()
                    .zip(&g.edges)
                    .all(|(x, y)| x.from == y.from && x.to == y.to && x.label == y.label)
        };
        (from..self.graphs.len()).find(|&i| same(&self.graphs[i]))
    }

    /// What diagram `i` shows in `cols` columns, its drawings made now if they were not.
    pub fn fitted(&self, i: usize, cols: usize) -> Option<Fitted> {
        let g = self.graphs.get(i)?;
        let mut narrowest = usize::MAX;
        for (f, cell) in self.looks.get(i)? {
            let d = cell.get_or_init(|| Arc::new(draw(g, *f)));
            if let Some(why) = message(d) {
                return Some(Fitted::NotDrawn(why));
            }
            if d.canvas.width <= cols {
                return Some(Fitted::Drawn(Arc::clone(d)));
            }
            narrowest = narrowest.min(d.canvas.width);
        }
        Some(Fitted::TooWide(narrowest))
    }
}

/// A graph drawn in one look; a failure inside (a bug) is a drawing that says so, so the
/// block shows its source and the rest of the note renders.
fn draw(g: &Graph, f: Fit) -> Drawing {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::diagram::draw_as(g, false, f.compact, f.top_down)
    }))
    .unwrap_or_else(|p| {
        Drawing::message(
            &format!(
                "could not be drawn: {}",
                sanitize::panic_message(p.as_ref())
            ),
            f.compact,
        )
    })
}

/// The text of a drawing that is only a message (what was not drawn and why).
fn message(d: &Drawing) -> Option<String> {
    let (mark, _, text) = d.canvas.legend.first()?;
    (*mark == '!').then(|| {
        text.trim_end_matches(':')
            .trim_end_matches("; its source")
            .to_owned()
    })
}

/// Where a diagram block landed in the rendering, and how it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramSpot {
    /// Its place among the note's diagrams (the diagram pane's), when it is one of them.
    pub index: Option<usize>,
    /// Its rendered lines, `[start, end)`, the caption or frame included.
    pub start: usize,
    pub end: usize,
    /// Shown as its drawing.
    pub drawn: bool,
    /// A drawing of it fits the width (so showing drawings would draw it).
    pub fits: bool,
}

/// A caption whose last words wait for the whole note: whether the key would draw this
/// block depends on whether any block is drawn (it shows sources then).
#[derive(Debug, Clone)]
pub(super) struct Pending {
    line: usize,
    /// Columns the frame takes.
    w: usize,
    name: String,
}

/// How a caption on a frame's top border starts.
const TOP: &str = "╭─ ◆ ";

/// The key that toggles drawings and sources, as the captions name it.
pub const TOGGLE_KEY: &str = "D";

impl Renderer<'_> {
    /// Renders a fenced block that may be a diagram: as its drawing, or as its source with a
    /// caption. Returns false when it is not a diagram (it is code).
    pub(super) fn diagram_block(&mut self, lang: &str, code: &str) -> bool {
        let block = crate::vault::body::FencedBlock {
            info: lang.to_owned(),
            text: code.to_owned(),
            line: 0,
        };
        let Some(parsed) = crate::diagram::parse_block(&block) else {
            return false;
        };
        let w = self.width.saturating_sub(self.prefix_width()).max(1);
        let drawings = self.opts.diagrams.drawings.unwrap_or(&self.own_drawings);
        let index = drawings.find(self.next_diagram, &parsed);
        // A block the note's list does not have (inside a comment there, an indented block)
        // is drawn from its own parse.
        let single;
        let (set, i) = match index {
            Some(i) => (drawings, i),
            None => {
                single = Drawings::new(vec![Arc::new(parsed)]);
                (&single, 0)
            }
        };
        let syntax = set.graphs[i].syntax;
        let mode = self.opts.diagrams.mode;
        let fitted = if mode == DiagramMode::Source && self.opts.diagrams.drawings.is_none() {
            None
        } else {
            set.fitted(i, w)
        };
        let count = drawings.graphs.len();
        if let Some(i) = index {
            self.next_diagram = i + 1;
        }
        let name = match index {
            Some(i) => format!("diagram {}/{count}", i + 1),
            None => "diagram".to_owned(),
        };
        let wants_drawing = match mode {
            DiagramMode::Auto => syntax != Syntax::Ascii,
            DiagramMode::Drawn => true,
            DiagramMode::Source => false,
        };
        let start = self.lines.len();
        let (drawn, fits) = match fitted {
            Some(Fitted::Drawn(d)) if wants_drawing => {
                self.drawn_diagram(&name, &d, w);
                (true, true)
            }
            Some(Fitted::Drawn(_)) => {
                // An author's picture beside drawn diagrams: the key shows sources, so it has
                // nothing to offer this one; known once the whole note is rendered.
                let later = mode == DiagramMode::Auto;
                let said = format!("{name} · {TOGGLE_KEY} drawing");
                let top = self.source_frame(&said, code, w);
                if later && let Some(line) = top {
                    self.pending.push(Pending { line, w, name });
                }
                (false, true)
            }
            Some(Fitted::TooWide(_)) => {
                let said = said(
                    &name,
                    &[
                        "too wide to draw here: the diagram pane (3) draws it",
                        "too wide here: drawn in the diagram pane (3)",
                        "too wide: drawn in pane 3",
                        "too wide: pane 3",
                    ],
                    w.saturating_sub(7),
                );
                self.source_frame(&said, code, w);
                (false, false)
            }
            Some(Fitted::NotDrawn(why)) => {
                self.source_frame(&format!("{name} · {why}"), code, w);
                (false, false)
            }
            None => {
                self.source_frame(&name, code, w);
                (false, false)
            }
        };
        if self.in_footnote == 0 {
            self.diagrams.push(DiagramSpot {
                index,
                start,
                end: self.lines.len(),
                drawn,
                fits,
            });
        }
        true
    }

    /// A drawing under its caption, then the labels that found no room on their edges.
    fn drawn_diagram(&mut self, name: &str, d: &Drawing, w: usize) {
        let caption = cut(
            &format!("{name} · {TOGGLE_KEY} source"),
            w.saturating_sub(2),
        );
        self.emit(vec![
            Span::styled("◆ ", self.style(Role::Accent)),
            Span::styled(caption, self.style(Role::Dim)),
        ]);
        let style = self.style(Role::DiagramNode);
        let lines = d.canvas.lines(false);
        let (picture, legend) = lines.split_at(d.canvas.height.min(lines.len()));
        for l in picture {
            // Labels were sanitised when parsed; this keeps the renderer's promise anyway.
            self.emit(vec![Span::styled(sanitize::line(l).into_owned(), style)]);
        }
        let dim = self.style(Role::Dim);
        for l in legend {
            for part in hard_wrap(&sanitize::line(l), w) {
                self.emit(vec![Span::styled(part, dim)]);
            }
        }
    }

    /// The source framed like code, the caption on its top border. Returns the top line.
    fn source_frame(&mut self, said: &str, code: &str, w: usize) -> Option<usize> {
        let top = self
            .emit(caption_top(said, w, self.opts.styles))
            .map(|t| t.0);
        self.framed_lines(code, w, Role::Text);
        top
    }

    /// Puts the last words on the captions that waited for the whole note.
    pub(super) fn settle_captions(&mut self) {
        let any_drawn = self.diagrams.iter().any(|d| d.drawn);
        for p in std::mem::take(&mut self.pending) {
            let said = if any_drawn {
                said(
                    &p.name,
                    &["as its author drew it", "as drawn"],
                    p.w.saturating_sub(7),
                )
            } else {
                format!("{} · {TOGGLE_KEY} drawing", p.name)
            };
            let spans = caption_top(&said, p.w, self.opts.styles);
            // The containers' prefixes stay; the frame's top is written again.
            if let Some(line) = self.lines.get_mut(p.line)
                && let Some(keep) = line.spans.iter().position(|s| s.content.starts_with(TOP))
            {
                line.spans.truncate(keep);
                line.spans.extend(spans);
            }
        }
    }
}

/// `name · tail` with the first of `tails` (longest first) that fits `room` columns, else
/// the last one (cut when the frame top is written).
fn said(name: &str, tails: &[&str], room: usize) -> String {
    let with = |t: &str| format!("{name} · {t}");
    tails
        .iter()
        .map(|t| with(t))
        .find(|s| width(s) <= room)
        .unwrap_or_else(|| with(tails.last().copied().unwrap_or("")))
}

/// A frame's top border carrying a caption: `╭─ ◆ diagram 1/2 · D drawing ───`.
fn caption_top(said: &str, w: usize, styles: crate::style::Styles) -> Vec<Span<'static>> {
    let frame = styles.get(Role::CodeFrame);
    let said = cut(said, w.saturating_sub(7));
    let top = format!("{TOP}{said} ");
    let fill = w.saturating_sub(width(&top));
    vec![
        Span::styled(top, frame),
        Span::styled("─".repeat(fill), frame),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::{plain_text, render, test_options};
    use super::*;

    /// `md` rendered at `width` in `mode`, its diagrams kept by the caller as the explorer
    /// keeps them.
    fn show_as(md: &str, width: u16, mode: DiagramMode) -> String {
        let drawings = Drawings::of_body(md, 0);
        let mut opts = test_options(width, &|_| true);
        opts.diagrams = DiagramView {
            mode,
            drawings: Some(&drawings),
        };
        plain_text(&render(None, md, &opts).lines)
    }

    const FLOW: &str = "```mermaid\nflowchart LR\n  A[사용자] --> B[서버]\n```\n";
    const PICTURE: &str = "```\n[보안] ──▶ [VPC]\n```\n";

    #[test]
    fn mermaid_is_drawn_and_a_picture_kept_as_drawn_by_default() {
        let text = show_as(FLOW, 60, DiagramMode::Auto);
        assert!(text.starts_with("◆ diagram 1/1 · D source"), "{text}");
        assert!(text.contains("사용자") && text.contains('┌'), "{text}");
        assert!(!text.contains("flowchart"), "{text}");
        let text = show_as(PICTURE, 60, DiagramMode::Auto);
        assert!(text.starts_with("╭─ ◆ diagram 1/1 · D drawing ─"), "{text}");
        assert!(text.contains("│ [보안] ──▶ [VPC]"), "{text}");
        // Asked for, the picture is drawn too; sources show the Mermaid text.
        let text = show_as(PICTURE, 60, DiagramMode::Drawn);
        assert!(text.starts_with("◆ diagram 1/1 · D source"), "{text}");
        let text = show_as(FLOW, 60, DiagramMode::Source);
        assert!(text.contains("│ flowchart LR"), "{text}");
        assert!(text.starts_with("╭─ ◆ diagram 1/1 · D drawing"), "{text}");
    }

    #[test]
    fn a_picture_beside_a_drawn_diagram_does_not_offer_the_key() {
        let text = show_as(&format!("{FLOW}\n{PICTURE}"), 60, DiagramMode::Auto);
        assert!(text.contains("◆ diagram 1/2 · D source"), "{text}");
        assert!(
            text.contains("╭─ ◆ diagram 2/2 · as its author drew it ─"),
            "{text}"
        );
    }

    #[test]
    fn a_drawing_too_wide_leaves_the_source_and_says_where_it_is_drawn() {
        // Twelve boxes side by side under one: no layout is narrower than 30 columns.
        let nodes: Vec<String> = (0..12)
            .map(|i| format!("  A --> N{i}[서비스 {i}]\n"))
            .collect();
        let md = format!("```mermaid\nflowchart TB\n{}```\n", nodes.concat());
        let text = show_as(&md, 30, DiagramMode::Auto);
        assert!(text.contains("flowchart TB"), "{text}");
        assert!(text.contains("too wide"), "{text}");
        for l in text.lines() {
            assert!(width(l) <= 30, "{l:?}");
        }
    }

    #[test]
    fn with_no_drawings_kept_sources_draw_nothing() {
        let mut opts = test_options(60, &|_| true);
        opts.diagrams.mode = DiagramMode::Source;
        let r = render(None, FLOW, &opts);
        let text = plain_text(&r.lines);
        assert!(text.starts_with("╭─ ◆ diagram ─"), "{text}");
        assert!(!r.diagrams[0].fits && !r.diagrams[0].drawn);
    }

    #[test]
    fn code_with_arrows_is_not_taken_for_a_diagram() {
        let text = show_as(
            "```\nflip :: (a -> b -> c) -> b -> a -> c\n```\n",
            60,
            DiagramMode::Auto,
        );
        assert!(!text.contains("diagram"), "{text}");
        assert!(text.contains("│ flip ::"), "{text}");
    }

    #[test]
    fn every_line_stays_inside_narrow_widths() {
        for w in 1..40 {
            for mode in [DiagramMode::Auto, DiagramMode::Drawn, DiagramMode::Source] {
                let text = show_as(&format!("{FLOW}\n{PICTURE}"), w, mode);
                for l in text.lines() {
                    assert!(width(l) <= w as usize, "{w} {mode:?}: {l:?}");
                }
            }
        }
    }
}
