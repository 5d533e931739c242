//! Pictures through the terminal's own picture protocols (kitty, iTerm2, sixel), found out as
//! `ratatui-image` does: its query (kitty's graphics query, the device attributes for sixel,
//! the cell size in pixels, and a status report that every terminal answers, last) and its
//! parser of the replies, `TERM_PROGRAM` and friends for iTerm2, tmux's passthrough.
//!
//! Unlike `Picker::from_query_stdio`, whose reading thread outlives its time limit and takes
//! the first key typed after it, the replies are read here by the explorer's own input thread
//! before it starts reading keys ([`Detection`]): the query is written before the first frame,
//! the replies are read up to the status report or for [`LIMIT`] at most, and what the user
//! typed meanwhile is kept as keys. No reply reaches the screen nor the app's input.
//!
//! Where no protocol is found (or `--images halfblocks`), pictures stay in half blocks, drawn
//! as text lines by the renderer; [`Graphics`] is only for a real protocol. The lines stay
//! under a protocol's picture too: they show while it is scrolled partly out of view.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_image::picker::cap_parser::{Parser, QueryStdioOptions, Response};
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;

use crate::images::{Mode, Picture};

/// How long the replies to the query may take. Terminals answer in a few milliseconds, over
/// ssh in a round trip; one that never answers costs this once, with the app already drawn
/// and its keys kept.
pub const LIMIT: std::time::Duration = std::time::Duration::from_millis(600);

/// A terminal picture protocol found (or forced), with the terminal's cell size in pixels.
#[derive(Clone)]
pub struct Graphics(Arc<Picker>);

impl std::fmt::Debug for Graphics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Graphics({})", self.name())
    }
}

impl PartialEq for Graphics {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Graphics {}

impl Graphics {
    /// The protocol's name, as `--images` takes it.
    pub fn name(&self) -> &'static str {
        match self.0.protocol_type() {
            ProtocolType::Kitty => "kitty",
            ProtocolType::Sixel => "sixel",
            ProtocolType::Iterm2 => "iterm2",
            ProtocolType::Halfblocks => "halfblocks",
        }
    }

    /// `p` encoded to fill at most `cols`×`rows` cells, its aspect kept (on a worker: a sixel
    /// or a kitty transmission of a large picture takes milliseconds).
    pub fn encode(&self, p: &Picture, cols: usize, rows: usize) -> Option<Protocol> {
        let size = ratatui::layout::Size::new(
            u16::try_from(cols).ok()?.max(1),
            u16::try_from(rows).ok()?.max(1),
        );
        let image = image::DynamicImage::ImageRgba8(p.pixels.clone());
        self.0
            .new_protocol(image, size, ratatui_image::Resize::Fit(None))
            .ok()
    }
}

/// Whether `mode` asks the terminal anything (half blocks and off need no answer).
pub fn asks(mode: Mode) -> bool {
    matches!(mode, Mode::Auto | Mode::Kitty | Mode::Sixel | Mode::Iterm2)
}

/// The query to write before the first frame (wrapped for tmux's passthrough under tmux).
pub fn query() -> String {
    // `halfblocks` finds tmux and turns its passthrough on, as the crate does before it asks.
    let tmux = Picker::halfblocks().tmux_detected();
    let mut options = QueryStdioOptions::default();
    let set = |v: &str| std::env::var(v).is_ok_and(|s| !s.is_empty());
    if set("WEZTERM_EXECUTABLE") || set("KONSOLE_VERSION") {
        // As the crate: neither draws kitty's placeholders right, Konsole's sixel is broken.
        options.blacklist_protocols = vec![ProtocolType::Kitty, ProtocolType::Sixel];
    }
    Parser::query(tmux, options)
}

/// What the terminal answered, and the keys typed while it did.
#[derive(Debug, Default)]
pub struct Detection {
    replies: Vec<Response>,
    /// The status report came: every reply before it has come too.
    pub answered: bool,
    /// Bytes typed by the user, not part of a reply.
    pub keys: Vec<KeyEvent>,
    seq: Vec<u8>,
    state: Seq,
    /// The bytes so far of a character beyond ASCII being typed (UTF-8).
    utf8: Vec<u8>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Seq {
    /// Between sequences: a byte is a key.
    #[default]
    Outside,
    /// After ESC.
    Escape,
    /// `ESC [` up to its final byte.
    Csi,
    /// `ESC O`, then one byte: an arrow or F1-F4 as some terminals send them.
    Ss3,
    /// `ESC _` (APC, kitty) or `ESC ]` (OSC) up to `ESC \` or BEL.
    String,
    /// ESC inside a string: `\` ends it.
    StringEscape,
}

impl Detection {
    /// Takes bytes the terminal sent: replies are told from keys by their escapes.
    pub fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            // After the status report too, an escape is read whole: an arrow typed right
            // after it, in the same read, is an arrow (not `[` and `A`).
            if self.state == Seq::Outside && b != 0x1b {
                self.key(b);
                continue;
            }
            self.seq.push(b);
            self.state = match (self.state, b) {
                (Seq::Outside, _) => Seq::Escape,
                (Seq::Escape, b'[') => Seq::Csi,
                (Seq::Escape, b'_' | b']') => Seq::String,
                (Seq::Escape, b'O') => Seq::Ss3,
                // ESC and a key: Alt and the key, which the explorer does not bind; dropped.
                (Seq::Escape, _) => Seq::Outside,
                (Seq::Csi, 0x40..=0x7e)
                | (Seq::Ss3, _)
                | (Seq::String, 0x07)
                | (Seq::StringEscape, b'\\') => {
                    self.reply();
                    Seq::Outside
                }
                (Seq::String, 0x1b) => Seq::StringEscape,
                (Seq::StringEscape, _) => Seq::String,
                (s, _) => s,
            };
            if self.state == Seq::Outside {
                self.seq.clear();
            } else if self.seq.len() > 4096 {
                // No reply is this long: not one.
                self.seq.clear();
                self.state = Seq::Outside;
            }
        }
    }

    /// A whole escape sequence, read by the crate's parser; a key's (an arrow, Page Down)
    /// when it is none of the replies.
    fn reply(&mut self) {
        let seq = std::mem::take(&mut self.seq);
        let mut parser = Parser::new();
        let mut any = false;
        for &b in &seq {
            for r in parser.push(char::from(b)) {
                any = true;
                if r == Response::Status {
                    self.answered = true;
                } else {
                    self.replies.push(r);
                }
            }
        }
        if any {
            return;
        }
        let code = match &seq[..] {
            b"\x1b[A" | b"\x1bOA" => KeyCode::Up,
            b"\x1b[B" | b"\x1bOB" => KeyCode::Down,
            b"\x1b[C" | b"\x1bOC" => KeyCode::Right,
            b"\x1b[D" | b"\x1bOD" => KeyCode::Left,
            b"\x1b[H" | b"\x1bOH" | b"\x1b[1~" => KeyCode::Home,
            b"\x1b[F" | b"\x1bOF" | b"\x1b[4~" => KeyCode::End,
            b"\x1b[5~" => KeyCode::PageUp,
            b"\x1b[6~" => KeyCode::PageDown,
            b"\x1b[3~" => KeyCode::Delete,
            b"\x1b[Z" => KeyCode::BackTab,
            _ => return,
        };
        let mods = if code == KeyCode::BackTab {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        self.keys.push(KeyEvent::new(code, mods));
    }

    /// The end of the wait: an Esc typed last is a key.
    pub fn finish(&mut self) {
        if self.state == Seq::Escape {
            self.keys
                .push(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        }
        self.state = Seq::Outside;
        self.seq.clear();
    }

    fn key(&mut self, b: u8) {
        if b < 0x80 {
            // A character cut short by another key is none.
            self.utf8.clear();
        }
        let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
        let typed = match b {
            b'\r' | b'\n' => key(KeyCode::Enter),
            b'\t' => key(KeyCode::Tab),
            0x7f | 0x08 => key(KeyCode::Backspace),
            0x01..=0x1a => KeyEvent::new(
                KeyCode::Char(char::from(b - 1 + b'a')),
                KeyModifiers::CONTROL,
            ),
            0x20..=0x7e => key(KeyCode::Char(char::from(b))),
            0x80.. => match self.typed_utf8(b) {
                Some(c) => key(KeyCode::Char(c)),
                None => return,
            },
            _ => return,
        };
        self.keys.push(typed);
    }

    /// A character beyond ASCII (Hangul, an emoji) typed while the replies were awaited, once
    /// its last byte came; a byte that cannot be one is dropped with those before it.
    fn typed_utf8(&mut self, b: u8) -> Option<char> {
        self.utf8.push(b);
        match std::str::from_utf8(&self.utf8) {
            Ok(s) => {
                let c = s.chars().next();
                self.utf8.clear();
                c
            }
            Err(e) if e.error_len().is_none() && self.utf8.len() < 4 => None,
            Err(_) => {
                self.utf8.clear();
                None
            }
        }
    }

    /// The protocol to draw with for `mode`: what the terminal said it has (kitty before
    /// sixel), else iTerm2 when the environment names a terminal that speaks it, else none
    /// (half blocks). A forced protocol is taken as asked. None without a cell size in
    /// pixels, unless forced: a picture cannot be fitted to cells otherwise.
    pub fn graphics(&self, mode: Mode, window: Option<(u16, u16)>) -> Option<Graphics> {
        let cell = self
            .replies
            .iter()
            .find_map(|r| match r {
                Response::CellSize(Some((w, h))) => Some((*w, *h)),
                _ => None,
            })
            .or(window);
        let forced = match mode {
            Mode::Kitty => Some(ProtocolType::Kitty),
            Mode::Sixel => Some(ProtocolType::Sixel),
            Mode::Iterm2 => Some(ProtocolType::Iterm2),
            Mode::Auto => None,
            Mode::Halfblocks | Mode::Off => return None,
        };
        let (w, h) = match (cell, forced) {
            (Some(c), _) => c,
            (None, Some(_)) => (10, 20),
            (None, None) => return None,
        };
        // The crate's own picker for that cell size: it reads tmux and iTerm2 from the
        // environment (the only way to set a cell size on one).
        #[allow(deprecated)]
        let mut picker = Picker::from_fontsize(ratatui_image::FontSize::new(w.max(1), h.max(1)));
        let kind = chosen(forced, self.found(), picker.protocol_type())?;
        picker.set_protocol_type(kind);
        Some(Graphics(Arc::new(picker)))
    }

    /// The protocol the terminal said it has, kitty before sixel.
    fn found(&self) -> Option<ProtocolType> {
        if self.replies.contains(&Response::Kitty) {
            Some(ProtocolType::Kitty)
        } else if self.replies.contains(&Response::Sixel) {
            Some(ProtocolType::Sixel)
        } else {
            None
        }
    }
}

/// The protocol to draw with: the one `forced`, else the one `found`, else the one the
/// environment names (`from_env`, iTerm2 by `TERM_PROGRAM` and the like); `None` for half
/// blocks.
fn chosen(
    forced: Option<ProtocolType>,
    found: Option<ProtocolType>,
    from_env: ProtocolType,
) -> Option<ProtocolType> {
    Some(forced.or(found).unwrap_or(from_env)).filter(|&k| k != ProtocolType::Halfblocks)
}

/// The terminal's cell size in pixels from its window size, for a terminal that does not
/// answer the cell-size query.
pub fn cell_from_window() -> Option<(u16, u16)> {
    let w = crossterm::terminal::window_size().ok()?;
    (w.width > 0 && w.height > 0 && w.columns > 0 && w.rows > 0)
        .then(|| (w.width / w.columns, w.height / w.rows))
        .filter(|&(w, h)| w > 0 && h > 0)
}

/// Reads the terminal's answers from `/dev/tty` until the status report or `deadline`.
#[cfg(unix)]
pub fn read_replies(deadline: std::time::Instant) -> Detection {
    use std::io::Read;
    use std::os::fd::AsFd;
    let mut d = Detection::default();
    let Ok(mut tty) = std::fs::File::open("/dev/tty") else {
        return d;
    };
    let mut buf = [0u8; 256];
    while !d.answered {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            break;
        }
        let timeout = rustix::event::Timespec {
            tv_sec: left.as_secs() as _,
            tv_nsec: left.subsec_nanos() as _,
        };
        let fd = tty.as_fd();
        let mut fds = [rustix::event::PollFd::new(
            &fd,
            rustix::event::PollFlags::IN,
        )];
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(0) => break,
            Ok(_) if fds[0].revents().contains(rustix::event::PollFlags::IN) => {
                match tty.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => d.push(&buf[..n]),
                }
            }
            Ok(_) => break,
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => break,
        }
    }
    d.finish();
    d
}

#[cfg(not(unix))]
pub fn read_replies(_deadline: std::time::Instant) -> Detection {
    Detection::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(bytes: &[u8]) -> Detection {
        let mut d = Detection::default();
        // One byte at a time, as a slow terminal sends them.
        for b in bytes {
            d.push(std::slice::from_ref(b));
        }
        d
    }

    #[test]
    fn replies_are_read_and_keys_between_them_kept() {
        let d = detect(b"j\x1b_Gi=31;OK\x1b\\\x1b[?62;4;22c?\x1b[6;20;10t\x1b[0nk");
        assert!(d.answered);
        assert_eq!(d.replies.len(), 3, "{:?}", d.replies);
        assert!(d.replies.contains(&Response::Kitty));
        assert!(d.replies.contains(&Response::Sixel));
        assert!(d.replies.contains(&Response::CellSize(Some((10, 20)))));
        let typed: Vec<KeyCode> = d.keys.iter().map(|k| k.code).collect();
        assert_eq!(
            typed,
            [KeyCode::Char('j'), KeyCode::Char('?'), KeyCode::Char('k')]
        );
        let g = d.graphics(Mode::Auto, None).expect("a protocol");
        assert_eq!(g.name(), "kitty");
        assert_eq!(d.graphics(Mode::Sixel, None).unwrap().name(), "sixel");
        assert!(d.graphics(Mode::Halfblocks, None).is_none());
        assert!(d.graphics(Mode::Off, None).is_none());
    }

    #[test]
    fn a_terminal_without_pictures_gets_half_blocks() {
        // xterm without sixel: device attributes without 4, a status report.
        let d = detect(b"\x1b[?1;2c\x1b[0n");
        assert!(d.answered);
        assert!(d.keys.is_empty());
        assert_eq!(d.found(), None);
        // Then the environment decides (iTerm2 by its name), else half blocks.
        let (halfblocks, iterm2) = (ProtocolType::Halfblocks, ProtocolType::Iterm2);
        assert_eq!(chosen(None, d.found(), halfblocks), None);
        assert_eq!(chosen(None, d.found(), iterm2), Some(iterm2));
        // What the terminal said comes before the environment, what was forced before both.
        let sixel = Some(ProtocolType::Sixel);
        assert_eq!(chosen(None, sixel, iterm2), sixel);
        assert_eq!(chosen(Some(iterm2), sixel, halfblocks), Some(iterm2));
        // Nothing answered: half blocks, unless one is forced.
        let none = detect(b"");
        assert!(!none.answered);
        assert_eq!(none.graphics(Mode::Iterm2, None).unwrap().name(), "iterm2");
        let mut keys = detect(b"\x1b[B\x1b[6~x\x1b");
        keys.finish();
        let typed: Vec<KeyCode> = keys.keys.iter().map(|k| k.code).collect();
        assert_eq!(
            typed,
            [
                KeyCode::Down,
                KeyCode::PageDown,
                KeyCode::Char('x'),
                KeyCode::Esc
            ]
        );
        let ctrl = detect(b"\x03\r");
        assert_eq!(
            ctrl.keys[0],
            KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
        );
        assert_eq!(ctrl.keys[1].code, KeyCode::Enter);
    }

    #[test]
    fn keys_typed_right_after_the_status_report_are_read_whole() {
        // In the same read as the report: an arrow, then Hangul and an emoji, byte by byte.
        let d = detect("\x1b[0n\x1b[A가😀j".as_bytes());
        assert!(d.answered);
        let typed: Vec<KeyCode> = d.keys.iter().map(|k| k.code).collect();
        assert_eq!(
            typed,
            [
                KeyCode::Up,
                KeyCode::Char('가'),
                KeyCode::Char('😀'),
                KeyCode::Char('j')
            ]
        );
        // Arrows as `ESC O` sends them are arrows; F1 (`ESC O P`) is dropped, not a `P`.
        let d = detect(b"\x1bOP\x1bOAj");
        let typed: Vec<KeyCode> = d.keys.iter().map(|k| k.code).collect();
        assert_eq!(typed, [KeyCode::Up, KeyCode::Char('j')]);
        // A stray byte that starts no character is dropped, the keys after it kept.
        let d = detect(b"\xff\x80x\xea\xb0\x80");
        let typed: Vec<KeyCode> = d.keys.iter().map(|k| k.code).collect();
        assert_eq!(typed, [KeyCode::Char('x'), KeyCode::Char('가')]);
    }

    #[test]
    fn a_picture_is_encoded_within_its_cells() {
        let d = detect(b"\x1b[?62;4c\x1b[6;20;10t\x1b[0n");
        let g = d.graphics(Mode::Sixel, None).unwrap();
        let p = Picture {
            width: 40,
            height: 40,
            pixels: image::RgbaImage::from_pixel(40, 40, image::Rgba([200, 10, 10, 255])),
        };
        let proto = g.encode(&p, 8, 4).expect("encoded");
        let size = proto.size();
        assert!(
            size.width <= 8 && size.height <= 4 && size.width > 0,
            "{size:?}"
        );
        // Drawn: the sixel data in the first cell, the others left to it.
        let area = ratatui::layout::Rect::new(0, 0, 8, 4);
        let mut buf = ratatui::buffer::Buffer::empty(area);
        ratatui::widgets::Widget::render(ratatui_image::Image::new(&proto), area, &mut buf);
        let first = buf[(0, 0)].symbol();
        assert!(
            first.contains("\x1bP"),
            "{:?}",
            &first[..first.len().min(80)]
        );
    }
}
