//! Pictures embedded in notes (`![[x.png]]`, `![](x.png)`, sized `|300` or `|300x200`): read
//! from inside the vault only and decoded within bounds, for the content pane to draw.
//!
//! - **Where from.** An embed shows the file the vault's resolver found for it (Obsidian's
//!   rules: by path, else by file name anywhere in the vault; the walk never crosses a symlink
//!   nor leaves the vault), read as notes are read ([`crate::vault::open`]): relative to the
//!   vault's folder, no link followed on the way.
//! - **Bounds.** A file larger than [`MAX_FILE_BYTES`], a picture wider or taller than
//!   [`MAX_SIDE`] or of more than [`MAX_PIXELS`] (a decompression bomb says its size in its
//!   header and is refused before a pixel is decoded), a decoder asking for more than
//!   [`MAX_ALLOC`], a truncated file and one that is no picture each give a [`Refusal`]
//!   saying why, never a panic. Decoding happens with the rendering, on its worker.
//! - **Kept.** A decoded picture is kept (scaled down to [`KEEP_WIDTH`] pixels at most) by
//!   file, with the file's identity as the vault's loader takes it ([`FileStat`]: size, times,
//!   inode), so a new width or a return to the note decodes nothing and a picture changed on
//!   disk is decoded again.
//!
//! Pure of the terminal: [`halfblocks`] turns a picture into cells of `▀` whose upper and
//! lower halves are two pixels, which the renderer places as lines.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use image::{ImageDecoder, RgbaImage};

use crate::vault::open::FileStat;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

/// Files larger than this are not read.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// Neither side may be longer than this.
pub const MAX_SIDE: u32 = 8192;
/// Nor may a picture have more pixels than this (64 MB as RGBA).
pub const MAX_PIXELS: u64 = 16 * 1024 * 1024;
/// What a decoder may allocate.
pub const MAX_ALLOC: u64 = 128 * 1024 * 1024;
/// A decoded picture is kept at most this wide: a pane of 4096 columns needs no more.
pub const KEEP_WIDTH: u32 = 1024;
/// Pixels a column is taken to be wide, for an embed's size in pixels (`|300`: 30 columns).
pub const CELL_PIXELS: u32 = 10;
/// Rows a picture may take at most.
pub const MAX_ROWS: usize = 60;

/// An embed's size: its width in pixels and maybe its height (`|300`, `|300x200`).
pub type Size = (u32, Option<u32>);

/// How pictures show in the explorer (`--images`, `[content] images`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Drawn with the terminal's picture protocol (kitty, iTerm2 or sixel) where it has one,
    /// else in Unicode half blocks (two pixels a cell).
    #[default]
    Auto,
    /// In half blocks.
    Halfblocks,
    /// With kitty's graphics protocol.
    Kitty,
    /// In sixels.
    Sixel,
    /// With iTerm2's inline pictures.
    Iterm2,
    /// Not drawn: the `[embed: x.png]` placeholder only.
    Off,
}

impl Mode {
    /// Whether pictures are drawn at all.
    pub fn shows(self) -> bool {
        self != Mode::Off
    }
}

/// A decoded picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// Its size as the file has it.
    pub width: u32,
    pub height: u32,
    /// Its pixels, scaled down to [`KEEP_WIDTH`] at most.
    pub pixels: RgbaImage,
}

/// Why a picture is not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `name` is a file the decoder reads (by its extension).
pub fn is_picture(name: &str) -> bool {
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(ext, "png" | "jpg" | "jpeg" | "gif" | "webp")
}

/// Decodes `bytes` within the bounds above.
pub fn decode(bytes: &[u8]) -> Result<Picture, Refusal> {
    let refuse = |why: String| Err(Refusal(why));
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return refuse(format!("larger than {} MB", MAX_FILE_BYTES >> 20));
    }
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Refusal(format!("cannot read: {e}")))?;
    if reader.format().is_none() {
        return refuse("not a picture (PNG, JPEG, GIF or WebP)".to_owned());
    }
    let mut reader = reader;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(describe)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return refuse(format!(
            "{w}×{h} is more than {} megapixels",
            MAX_PIXELS >> 20
        ));
    }
    if w == 0 || h == 0 {
        return refuse("an empty picture".to_owned());
    }
    let image = image::DynamicImage::from_decoder(decoder).map_err(describe)?;
    let pixels = if w > KEEP_WIDTH {
        let kh = (u64::from(h) * u64::from(KEEP_WIDTH) / u64::from(w)).max(1) as u32;
        image::imageops::resize(
            &image.to_rgba8(),
            KEEP_WIDTH,
            kh,
            image::imageops::FilterType::Triangle,
        )
    } else {
        image.to_rgba8()
    };
    Ok(Picture {
        width: w,
        height: h,
        pixels,
    })
}

fn describe(e: image::ImageError) -> Refusal {
    use image::ImageError;
    Refusal(match e {
        ImageError::Limits(l) => format!("too large to decode ({l})"),
        ImageError::Decoding(d) => format!("damaged: {d}"),
        ImageError::Unsupported(u) => format!("not supported: {u}"),
        ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "damaged: the file ends early".to_owned()
        }
        other => format!("cannot decode: {other}"),
    })
}

/// Pictures by file, with the identity of the file each was decoded from.
type Kept = HashMap<PathBuf, (FileStat, Result<Arc<Picture>, Refusal>)>;

fn kept() -> &'static Mutex<Kept> {
    static KEPT: std::sync::OnceLock<Mutex<Kept>> = std::sync::OnceLock::new();
    KEPT.get_or_init(Mutex::default)
}

/// The picture at `rel` (a path relative to the vault folder `root`, as the resolver gives
/// it), decoded or kept from before.
pub fn load(root: &Path, rel: &str) -> Result<Arc<Picture>, Refusal> {
    let abs = root.join(rel);
    let dir = crate::vault::open::RootDir::open(root)
        .map_err(|e| Refusal(format!("cannot open the vault: {e}")))?;
    // The file's identity as the vault's notes have it (size, times, inode; no link
    // followed): a picture rewritten in place, even to the same size, is decoded again.
    let stat = abs
        .parent()
        .zip(abs.file_name())
        .and_then(|(folder, name)| dir.folder(folder)?.stat(name));
    if let Some(stat) = stat
        && let Some((was, found)) = kept().lock().unwrap_or_else(|p| p.into_inner()).get(&abs)
        && *was == stat
    {
        return found.clone();
    }
    let got = read(&dir, &abs).and_then(|bytes| decode(&bytes).map(Arc::new));
    // Without an identity (a file gone, a system without one) nothing is kept.
    if let Some(stat) = stat {
        let mut kept = kept().lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= 64 && !kept.contains_key(&abs) {
            kept.clear();
        }
        kept.insert(abs, (stat, got.clone()));
    }
    got
}

fn read(dir: &crate::vault::open::RootDir, abs: &Path) -> Result<Vec<u8>, Refusal> {
    let mut bytes = Vec::new();
    dir.read(abs, MAX_FILE_BYTES, &mut bytes)
        .map_err(|r| Refusal(r.message))?;
    Ok(bytes)
}

/// Columns and rows a picture takes: the embed's width in pixels (`|300`) or the picture's
/// own, at [`CELL_PIXELS`] a column, at most `room` columns and [`MAX_ROWS`] rows (`|WxH`
/// caps the height too); the aspect kept, a cell being twice as tall as wide.
pub fn cells(p: &Picture, size: Option<Size>, room: usize) -> (usize, usize) {
    let want_px = size.map_or(p.width, |(w, _)| w.max(1));
    let mut cols = (want_px.div_ceil(CELL_PIXELS) as usize).clamp(1, room.max(1));
    let rows_for = |cols: usize| {
        ((cols as u64 * u64::from(p.height)).div_ceil(2 * u64::from(p.width)) as usize).max(1)
    };
    let max_rows = size.and_then(|(_, h)| h).map_or(MAX_ROWS, |h| {
        (h.div_ceil(2 * CELL_PIXELS) as usize).clamp(1, MAX_ROWS)
    });
    let mut rows = rows_for(cols);
    if rows > max_rows {
        cols = ((cols * max_rows) / rows).max(1);
        rows = rows_for(cols).min(max_rows);
    }
    (cols, rows)
}

/// The picture in `cols`×`rows` cells of `▀`, each the colour of two pixels (its upper half
/// the foreground, its lower the background); a transparent half shows the terminal's
/// background.
pub fn halfblocks(p: &Picture, cols: usize, rows: usize) -> Vec<Line<'static>> {
    let (cols, rows) = (cols.max(1), rows.max(1));
    let scaled = image::imageops::resize(
        &p.pixels,
        cols as u32,
        (rows * 2) as u32,
        image::imageops::FilterType::Triangle,
    );
    let color = |x: usize, y: usize| {
        let px = scaled.get_pixel(x as u32, y as u32).0;
        (px[3] >= 128).then_some(Color::Rgb(px[0], px[1], px[2]))
    };
    (0..rows)
        .map(|r| {
            let mut spans: Vec<Span<'static>> = Vec::with_capacity(cols);
            for c in 0..cols {
                let (top, bottom) = (color(c, 2 * r), color(c, 2 * r + 1));
                let (symbol, style) = match (top, bottom) {
                    (Some(t), Some(b)) => ("▀", Style::new().fg(t).bg(b)),
                    (Some(t), None) => ("▀", Style::new().fg(t)),
                    (None, Some(b)) => ("▄", Style::new().fg(b)),
                    (None, None) => (" ", Style::new()),
                };
                match spans.last_mut() {
                    Some(s) if s.style == style && s.content == symbol => {
                        s.content.to_mut().push_str(symbol);
                    }
                    _ => spans.push(Span::styled(symbol, style)),
                }
            }
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = RgbaImage::from_fn(w, h, |x, _| {
            if x < w / 2 {
                image::Rgba([255, 0, 0, 255])
            } else {
                image::Rgba([0, 0, 255, 255])
            }
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_picture_becomes_half_blocks_of_its_colours() {
        let p = decode(&png(40, 20)).unwrap();
        assert_eq!((p.width, p.height), (40, 20));
        // 40 px at 10 a column: 4 columns; 20 px tall, two pixels a cell row... aspect kept.
        assert_eq!(cells(&p, None, 80), (4, 1));
        let lines = halfblocks(&p, 4, 1);
        assert_eq!(lines.len(), 1);
        let cells: Vec<(String, Style)> = lines[0]
            .spans
            .iter()
            .map(|s| (s.content.to_string(), s.style))
            .collect();
        let red = Color::Rgb(255, 0, 0);
        let blue = Color::Rgb(0, 0, 255);
        assert_eq!(cells[0], ("▀".to_owned(), Style::new().fg(red).bg(red)));
        assert_eq!(cells.last().unwrap().1, Style::new().fg(blue).bg(blue));
        assert_eq!(lines[0].width(), 4);
    }

    #[test]
    fn sizes_follow_the_embed_and_the_room() {
        let p = decode(&png(800, 400)).unwrap();
        assert_eq!(cells(&p, None, 200), (80, 20));
        assert_eq!(cells(&p, None, 40), (40, 10));
        assert_eq!(cells(&p, Some((300, None)), 200), (30, 8));
        // `|300x100`: at most 100 px tall, five rows.
        assert_eq!(cells(&p, Some((300, Some(100))), 200), (18, 5));
        let tall = decode(&png(10, 4000)).unwrap();
        assert_eq!(cells(&tall, None, 80).1, MAX_ROWS);
    }

    #[test]
    fn a_picture_rewritten_to_the_same_size_and_time_is_decoded_again() {
        let dir = tempfile::tempdir().unwrap();
        let solid = |c: [u8; 4]| {
            let mut out = std::io::Cursor::new(Vec::new());
            RgbaImage::from_pixel(8, 8, image::Rgba(c))
                .write_to(&mut out, image::ImageFormat::Png)
                .unwrap();
            out.into_inner()
        };
        let (red, green) = (solid([255, 0, 0, 255]), solid([0, 255, 0, 255]));
        assert_eq!(red.len(), green.len(), "the premise: the same size");
        let path = dir.path().join("p.png");
        std::fs::write(&path, &red).unwrap();
        let when = std::fs::metadata(&path).unwrap().modified().unwrap();
        let first = load(dir.path(), "p.png").unwrap();
        assert_eq!(first.pixels.get_pixel(0, 0).0, [255, 0, 0, 255]);
        // Kept: the same picture, not decoded again.
        assert!(Arc::ptr_eq(&first, &load(dir.path(), "p.png").unwrap()));
        std::fs::write(&path, &green).unwrap();
        // Its old modification time put back (as `touch -d` does): its change time differs.
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
        let again = load(dir.path(), "p.png").unwrap();
        assert_eq!(again.pixels.get_pixel(0, 0).0, [0, 255, 0, 255]);
    }

    #[test]
    fn hostile_files_are_refused_with_a_reason() {
        let good = png(16, 16);
        let truncated = &good[..good.len() / 2];
        assert!(
            decode(truncated).unwrap_err().0.contains("damaged"),
            "{:?}",
            decode(truncated)
        );
        let text = b"# not a picture\nhello";
        assert!(decode(text).unwrap_err().0.contains("not a picture"));
        // A header that says 20,000 x 20,000: refused before any pixel.
        let mut huge = good.clone();
        huge[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let why = decode(&huge).unwrap_err().0;
        assert!(
            why.contains("too large") || why.contains("damaged"),
            "{why}"
        );
        assert!(decode(&[]).is_err());
    }
}
