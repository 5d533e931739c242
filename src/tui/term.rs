//! The terminal the explorer draws on: crossterm's, with its size capped. ratatui keeps two
//! buffers of the whole screen; a window of 10000x3000 cells would ask for gigabytes, so the
//! explorer draws into at most [`MAX_CELLS`] cells (the top-left corner of a larger window)
//! and every size it computes with is capped the same way.

use std::io::Stdout;

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

/// The most cells drawn: a 4096-column, 976-row window and anything smaller (a 3000x1000
/// screen is 3M cells; ratatui's two buffers of 4M cells take about 400 MB).
pub const MAX_CELLS: u32 = 4_000_000;
/// The widest a drawn screen gets.
pub const MAX_COLUMNS: u16 = 4096;

/// A size no larger than the explorer draws.
pub fn cap(width: u16, height: u16) -> (u16, u16) {
    let w = width.min(MAX_COLUMNS);
    let h = (u32::from(height)).min(MAX_CELLS / u32::from(w.max(1))) as u16;
    (w, h)
}

/// crossterm's backend, reporting at most a capped size.
pub struct Capped(pub CrosstermBackend<Stdout>);

pub type Term = ratatui::Terminal<Capped>;

impl Backend for Capped {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.0.draw(content)
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.0.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.0.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.0.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.0.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        let s = self.0.size()?;
        let (width, height) = cap(s.width, s.height);
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        let mut w = self.0.window_size()?;
        let (width, height) = cap(w.columns_rows.width, w.columns_rows.height);
        w.columns_rows = Size { width, height };
        Ok(w)
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Backend::flush(&mut self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_capped_to_what_memory_allows() {
        assert_eq!(cap(80, 24), (80, 24));
        assert_eq!(cap(3000, 1000), (3000, 1000));
        assert_eq!(cap(10_000, 3000), (4096, 976));
        assert_eq!(cap(u16::MAX, u16::MAX), (4096, 976));
        assert_eq!(cap(1, u16::MAX), (1, u16::MAX));
        assert_eq!(cap(0, 0), (0, 0));
        let (w, h) = cap(5000, 5000);
        assert!(u32::from(w) * u32::from(h) <= MAX_CELLS);
    }
}
