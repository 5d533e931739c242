//! Tables: cells gathered as styled text, columns measured in display columns and fitted to
//! the width (wide columns share what is left, cells wrap inside them), drawn in a box; a
//! table too narrow for a grid becomes one `a · b · c` line per row.

use pulldown_cmark::Alignment;
use ratatui::style::Modifier;
use ratatui::text::Span;

use super::Renderer;
use super::inline::Seg;
use super::lines::wrap_segs;
use crate::style::Role;
use crate::text::width;

/// A table being read: its rows of cells, each cell its inline text.
pub(super) struct Table {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<Vec<Seg>>>,
    header_rows: usize,
}

impl Renderer<'_> {
    pub(super) fn start_table(&mut self, aligns: Vec<Alignment>) {
        self.flush_inline();
        self.start_block();
        self.table = Some(Table {
            aligns,
            rows: Vec::new(),
            header_rows: 0,
        });
    }

    pub(super) fn start_row(&mut self) {
        if let Some(t) = &mut self.table {
            t.rows.push(Vec::new());
        }
    }

    pub(super) fn end_table_head(&mut self) {
        if let Some(t) = &mut self.table {
            t.header_rows = t.rows.len();
        }
    }

    pub(super) fn end_cell(&mut self) {
        let cell = std::mem::take(&mut self.inline);
        if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
            row.push(cell);
        }
    }

    pub(super) fn end_table(&mut self) {
        if let Some(t) = self.table.take() {
            self.table_block(t);
        }
        self.gap = true;
    }

    fn table_block(&mut self, t: Table) {
        let rule = self.style(Role::Rule);
        let cols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        if cols == 0 {
            return;
        }
        let plain = |cell: &[Seg]| -> String { cell.iter().map(|s| s.text.as_str()).collect() };
        let mut natural = vec![1usize; cols];
        for row in &t.rows {
            for (i, cell) in row.iter().enumerate() {
                natural[i] = natural[i].max(width(&plain(cell)));
            }
        }
        let avail = self.width.saturating_sub(self.prefix_width());
        let chrome = 3 * cols + 1;
        if avail < chrome + cols {
            // Too narrow for a grid: each row as `a · b · c`.
            for row in &t.rows {
                let mut segs = Vec::new();
                for (i, cell) in row.iter().enumerate() {
                    if i > 0 {
                        segs.push(Seg {
                            text: " · ".into(),
                            style: self.style(Role::Dim),
                            link: None,
                        });
                    }
                    segs.extend(cell.iter().cloned());
                }
                self.emit_wrapped(&segs);
            }
            return;
        }
        let widths = fit_columns(&natural, avail - chrome);
        let border = |l: &str, m: &str, r: &str| -> String {
            let mut s = l.to_owned();
            for (i, w) in widths.iter().enumerate() {
                s.push_str(&"─".repeat(w + 2));
                s.push_str(if i + 1 == widths.len() { r } else { m });
            }
            s
        };
        self.emit(vec![Span::styled(border("┌", "┬", "┐"), rule)]);
        for (r, row) in t.rows.iter().enumerate() {
            let header = r < t.header_rows;
            let cells: Vec<Vec<Vec<Seg>>> = (0..cols)
                .map(|i| {
                    let cell = row.get(i).map(Vec::as_slice).unwrap_or(&[]);
                    let cell: Vec<Seg> = cell
                        .iter()
                        .map(|s| Seg {
                            style: if header {
                                s.style.add_modifier(Modifier::BOLD)
                            } else {
                                s.style
                            },
                            ..s.clone()
                        })
                        .collect();
                    wrap_segs(&cell, widths[i])
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            for line in 0..height {
                let mut spans = vec![Span::styled("│", rule)];
                let mut col = 1;
                let mut spots: Vec<(usize, usize, usize)> = Vec::new();
                for (i, cell) in cells.iter().enumerate() {
                    let segs = cell.get(line).map(Vec::as_slice).unwrap_or(&[]);
                    let used: usize = segs.iter().map(|s| width(&s.text)).sum();
                    let free = widths[i].saturating_sub(used);
                    let (left, right) = match t.aligns.get(i) {
                        Some(Alignment::Right) => (free, 0),
                        Some(Alignment::Center) => (free / 2, free - free / 2),
                        _ => (0, free),
                    };
                    spans.push(Span::raw(" ".repeat(left + 1)));
                    col += left + 1;
                    for s in segs {
                        let w = width(&s.text);
                        if let Some(l) = s.link {
                            spots.push((col, col + w, l));
                        }
                        col += w;
                        spans.push(Span::styled(s.text.clone(), s.style));
                    }
                    spans.push(Span::raw(" ".repeat(right + 1)));
                    spans.push(Span::styled("│", rule));
                    col += right + 2;
                }
                self.emit_with_links(spans, spots);
            }
            if header && r + 1 == t.header_rows && t.rows.len() > t.header_rows {
                self.emit(vec![Span::styled(border("├", "┼", "┤"), rule)]);
            }
        }
        self.emit(vec![Span::styled(border("└", "┴", "┘"), rule)]);
    }
}

/// Column widths that fit `avail`: narrow columns keep their natural width, wide ones share
/// what is left equally (so no column is squeezed below what it needs while another has
/// room to spare).
fn fit_columns(natural: &[usize], avail: usize) -> Vec<usize> {
    let total: usize = natural.iter().sum();
    if total <= avail {
        return natural.to_vec();
    }
    let mut widths = vec![0; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = avail;
    loop {
        let share = (left / open.len().max(1)).max(1);
        let (fits, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| natural[i] <= share);
        if fits.is_empty() {
            let mut extra = left.saturating_sub(share * wide.len());
            for &i in &wide {
                widths[i] = share + usize::from(extra > 0);
                extra = extra.saturating_sub(1);
            }
            break;
        }
        for &i in &fits {
            widths[i] = natural[i];
            left = left.saturating_sub(natural[i]);
        }
        open = wide;
        if open.is_empty() {
            break;
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::super::{plain_text, render, show, test_options};
    use crate::text::width;

    #[test]
    fn tables_measure_korean_in_columns() {
        let text = show(
            "| 이름 | value |\n|:--|--:|\n| 보안그룹 | 1 |\n| x | 22 |",
            40,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "┌──────────┬───────┐", "{text}");
        assert_eq!(lines[1], "│ 이름     │ value │");
        assert_eq!(lines[3], "│ 보안그룹 │     1 │");
        let widths: Vec<usize> = lines.iter().map(|l| width(l)).collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{text}");
        // Too wide: cells wrap inside their columns, and no line passes the width.
        let wide = show(
            &format!("| a | b |\n|--|--|\n| {} | {} |", "word ".repeat(20), "x"),
            30,
        );
        assert!(wide.lines().all(|l| width(l) <= 30), "{wide}");
        assert!(wide.lines().count() > 5, "{wide}");
    }

    #[test]
    fn links_in_table_cells_are_spots_at_their_columns() {
        let opts = test_options(60, &|_| true);
        // Links in table cells are link spots, at their columns.
        let r = render(None, "| a | b |\n|--|--|\n| x | [[known]] |", &opts);
        assert_eq!(r.links.len(), 1);
        let line = plain_text(&r.lines[r.links[0].line..=r.links[0].line]);
        let col = width(&line[..line.find("known").unwrap()]);
        assert_eq!((r.links[0].start, r.links[0].end), (col, col + 5), "{line}");
    }
}
