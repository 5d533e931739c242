//! Embedded pictures drawn under the text that embeds them, in half blocks (see
//! [`crate::images`]): as wide as the embed asks (`|300`) or the picture is, within the pane.
//! A picture that cannot be shown leaves a dim line saying why under its placeholder.

use ratatui::text::Span;

use super::Renderer;
use crate::sanitize;
use crate::style::Role;

impl Renderer<'_> {
    /// Notes that the embed of `target` (its size, if given) is to be drawn, when pictures
    /// are drawn in this rendering and `target` names a picture file.
    pub(super) fn picture_due(&mut self, target: &str, size: Option<crate::images::Size>) {
        if self.opts.pictures.is_some()
            && self.opts.styles.color()
            && crate::images::is_picture(target)
            && self.pictures_due.len() < 256
        {
            self.pictures_due.push((target.to_owned(), size));
        }
    }

    /// Draws the pictures noted since the last block.
    pub(super) fn emit_pictures(&mut self) {
        let Some(find) = self.opts.pictures else {
            return;
        };
        for (target, size) in std::mem::take(&mut self.pictures_due) {
            let room = self.width.saturating_sub(self.prefix_width()).max(1);
            match find(&target) {
                None => {}
                Some(Ok(p)) => {
                    let (cols, rows) = crate::images::cells(&p, size, room);
                    let mut at = None;
                    for line in crate::images::halfblocks(&p, cols, rows) {
                        let placed = self.emit(line.spans);
                        at = at.or(placed);
                    }
                    // Not in a footnote (its lines are placed at the end).
                    if let Some((line, col)) = at {
                        self.pictures.push(super::PictureSpot {
                            line,
                            col,
                            cols,
                            rows,
                            picture: p,
                            encoded: None,
                        });
                    }
                }
                Some(Err(why)) => {
                    let dim = self.style(Role::Dim);
                    let text = format!(
                        "(picture {} not shown: {})",
                        sanitize::line(&target),
                        sanitize::line(&why.0)
                    );
                    for part in crate::text::hard_wrap(&text, room) {
                        self.emit(vec![Span::styled(part, dim)]);
                    }
                }
            }
        }
    }
}
