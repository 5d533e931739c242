//! Mermaid `sequenceDiagram`: participants and actors (declared or implied by a message),
//! messages with the eight arrow forms (`->>`, `-->>`, `->`, `-->`, `-x`, `--x`, `-)`, `--)`,
//! plus `<<->>`/`<<-->>`), `+`/`-` activation shorthand, `activate`/`deactivate`, notes,
//! `loop`/`alt`/`else`/`opt`/`par`/`and`/`critical`/`option`/`break`/`rect` frames (nested),
//! `autonumber` and `%%` comments. A line it does not understand becomes a diagnostic and is
//! skipped; frames left open are closed at the end of the block.
//!
//! The result is a [`Graph`] whose `nodes` are the participants and whose `edges` are the
//! messages one for one (edge `i` is message `i`, repeats kept), so search and the map keep
//! working, and whose `sequence` holds the diagram itself. [`draw`] draws it.

mod draw;

pub use draw::draw;

use serde::Serialize;

use super::clean_label;
use super::graph::{Diagnostic, Edge, EdgeStyle, Graph, Head, Syntax};

/// Frames nested deeper than this are not kept (their messages still are).
pub const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sequence {
    pub participants: Vec<Participant>,
    pub messages: Vec<Message>,
    pub frames: Vec<Frame>,
    pub notes: Vec<Note>,
    pub activations: Vec<Activation>,
    /// Messages are numbered (`autonumber`).
    pub autonumber: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParticipantKind {
    Participant,
    Actor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    pub id: String,
    pub label: String,
    pub kind: ParticipantKind,
}

/// The line of a message: `-` solid, `--` dotted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Arrow {
    Solid,
    Dotted,
}

/// The end of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageHead {
    /// `->>`: a filled arrow head.
    Arrow,
    /// `->`: no head.
    Open,
    /// `-x`: a cross.
    Cross,
    /// `-)`: an open (async) head.
    Async,
    /// `<<->>`: heads at both ends.
    Both,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Participant ids.
    pub from: String,
    pub to: String,
    pub text: String,
    pub arrow: Arrow,
    pub head: MessageHead,
    /// 0-based line in the block.
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FrameKind {
    Loop,
    Alt,
    /// A section of an `alt` after its first (`else`).
    Else,
    Opt,
    Par,
    /// A section of a `par` after its first (`and`).
    And,
    Critical,
    /// A section of a `critical` after its first (`option`).
    Option,
    Break,
    Rect,
}

impl FrameKind {
    /// The word that opens it.
    pub fn keyword(self) -> &'static str {
        match self {
            FrameKind::Loop => "loop",
            FrameKind::Alt => "alt",
            FrameKind::Else => "else",
            FrameKind::Opt => "opt",
            FrameKind::Par => "par",
            FrameKind::And => "and",
            FrameKind::Critical => "critical",
            FrameKind::Option => "option",
            FrameKind::Break => "break",
            FrameKind::Rect => "rect",
        }
    }

    /// Whether it is a section of its parent rather than a frame of its own.
    pub fn is_section(self) -> bool {
        matches!(self, FrameKind::Else | FrameKind::And | FrameKind::Option)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Frame {
    pub kind: FrameKind,
    pub label: String,
    /// The messages inside, first and last (`None` for a frame with no message).
    pub first_message: Option<usize>,
    pub last_message: Option<usize>,
    /// The frame it is inside (for a section: the frame it divides).
    pub parent: Option<usize>,
    /// 0-based lines of its opening word and of its `end` (or where the next section starts).
    pub line: usize,
    pub end_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NotePlace {
    Over,
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Participant ids: one, or the two a note over `A,B` spans.
    pub over: Vec<String>,
    pub place: NotePlace,
    pub text: String,
    /// The message it follows (`None`: before the first).
    pub after_message: Option<usize>,
    pub line: usize,
}

/// A participant active (its lifeline drawn thick) from `line` to `end_line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activation {
    pub participant: String,
    pub line: usize,
    /// `None` while never deactivated.
    pub end_line: Option<usize>,
}

impl Sequence {
    /// The participant index of `id`.
    pub fn participant(&self, id: &str) -> Option<usize> {
        self.participants.iter().position(|p| p.id == id)
    }

    /// The participant indexes message `m` runs between (from, to).
    pub fn ends(&self, m: usize) -> Option<(usize, usize)> {
        let msg = self.messages.get(m)?;
        Some((self.participant(&msg.from)?, self.participant(&msg.to)?))
    }

    /// The message after (or before) `cur`, staying at the ends; the first (or last) one when
    /// none is chosen yet.
    pub fn step(&self, cur: Option<usize>, forward: bool) -> Option<usize> {
        let last = self.messages.len().checked_sub(1)?;
        Some(match (cur, forward) {
            (None, true) => 0,
            (None, false) => last,
            (Some(m), true) => (m + 1).min(last),
            (Some(m), false) => m.saturating_sub(1).min(last),
        })
    }

    /// Message `m` in words: `3/8 User → Web app: open /login` (labels, breaks as spaces).
    pub fn describe(&self, m: usize) -> Option<String> {
        let msg = self.messages.get(m)?;
        let (a, b) = self.ends(m)?;
        let name = |i: usize| self.participants[i].label.as_str();
        let mut out = format!(
            "{}/{} {} → {}",
            m + 1,
            self.messages.len(),
            name(a),
            name(b)
        );
        if !msg.text.is_empty() {
            out.push_str(": ");
            out.push_str(&msg.text.replace('\n', " "));
        }
        Some(out)
    }
}

/// Whether a block's first significant line is `sequenceDiagram`.
pub fn is_sequence(text: &str) -> bool {
    first_line(text).is_some_and(|(_, l)| l == "sequenceDiagram")
}

/// The first line that is not blank, a comment or front matter, with its index.
fn first_line(text: &str) -> Option<(usize, &str)> {
    let mut front = false;
    for (n, raw) in text.lines().take(super::MAX_LINES).enumerate() {
        let l = raw.trim();
        if n == 0 && l == "---" {
            front = true;
            continue;
        }
        if front {
            front = l != "---";
            continue;
        }
        if l.is_empty() || l.starts_with("%%") {
            continue;
        }
        return Some((n, l));
    }
    None
}

/// What an open `end` closes.
enum Open {
    Frame(usize),
    /// A `box` of participants (grouping only) or a frame nested too deep.
    Ignored,
}

struct Parser {
    g: Graph,
    seq: Sequence,
    stack: Vec<Open>,
    /// Activations still open, by participant.
    active: Vec<usize>,
    line: usize,
}

/// Parses a `sequenceDiagram` block.
pub fn parse(text: &str) -> Graph {
    let mut p = Parser {
        g: Graph::new(Syntax::Sequence),
        seq: Sequence {
            participants: Vec::new(),
            messages: Vec::new(),
            frames: Vec::new(),
            notes: Vec::new(),
            activations: Vec::new(),
            autonumber: false,
        },
        stack: Vec::new(),
        active: Vec::new(),
        line: 0,
    };
    let header = first_line(text).map(|(n, _)| n);
    let mut last = 0;
    for (n, raw) in text.lines().take(super::MAX_LINES).enumerate() {
        last = n;
        if header.is_none_or(|h| n <= h) {
            continue;
        }
        let l = raw.trim();
        if l.is_empty() || l.starts_with("%%") {
            continue;
        }
        p.line = n;
        p.statement(l);
    }
    let end = last + 1;
    while let Some(open) = p.stack.pop() {
        if let Open::Frame(f) = open {
            let fr = &p.seq.frames[f];
            if !fr.kind.is_section() {
                p.g.diagnostics.push(Diagnostic {
                    line: fr.line,
                    message: format!("`{}` has no `end`", fr.kind.keyword()),
                });
            }
            p.close(f, end);
        }
    }
    let mut g = p.g;
    g.sequence = Some(p.seq);
    g
}

/// Splits `word rest` at the first whitespace.
fn keyword(l: &str) -> (&str, &str) {
    match l.find(char::is_whitespace) {
        Some(i) => (&l[..i], l[i..].trim()),
        None => (l, ""),
    }
}

/// The arrows, longest first so `-->>` is not read as `-->` then `>`.
const ARROWS: &[(&str, Arrow, MessageHead)] = &[
    ("<<-->>", Arrow::Dotted, MessageHead::Both),
    ("<<->>", Arrow::Solid, MessageHead::Both),
    ("-->>", Arrow::Dotted, MessageHead::Arrow),
    ("->>", Arrow::Solid, MessageHead::Arrow),
    ("-->", Arrow::Dotted, MessageHead::Open),
    ("->", Arrow::Solid, MessageHead::Open),
    ("--x", Arrow::Dotted, MessageHead::Cross),
    ("-x", Arrow::Solid, MessageHead::Cross),
    ("--)", Arrow::Dotted, MessageHead::Async),
    ("-)", Arrow::Solid, MessageHead::Async),
];

/// The first arrow in `l` (outside the text after `:`): its byte range and kind.
fn find_arrow(l: &str) -> Option<(usize, usize, Arrow, MessageHead)> {
    let stop = l.find(':').unwrap_or(l.len());
    for (i, c) in l[..stop].char_indices() {
        if c != '-' && c != '<' {
            continue;
        }
        if let Some(&(tok, arrow, head)) = ARROWS.iter().find(|(t, ..)| l[i..].starts_with(t)) {
            return Some((i, i + tok.len(), arrow, head));
        }
    }
    None
}

/// Mermaid's `<br>` as a line break, then the label rules of every parser.
fn text_of(raw: &str) -> String {
    let mut s = raw.to_owned();
    for br in ["<br/>", "<br />", "<br>", "<BR>", "<BR/>"] {
        s = s.replace(br, "\n");
    }
    clean_label(&s, true)
}

impl Parser {
    fn diag(&mut self, message: String) {
        self.g.diagnostics.push(Diagnostic {
            line: self.line,
            message,
        });
    }

    fn statement(&mut self, l: &str) {
        let (word, rest) = keyword(l);
        match word {
            "participant" | "actor" => self.declare(word, rest),
            "create" => {
                let (w, r) = keyword(rest);
                if matches!(w, "participant" | "actor") {
                    self.declare(w, r);
                } else {
                    self.diag(format!("`create` wants participant or actor: {l}"));
                }
            }
            // Destruction is drawn as the lifeline going on; nothing to keep.
            "destroy" => {}
            "activate" | "deactivate" => {
                let id = clean_label(rest, false);
                if id.is_empty() {
                    self.diag(format!("`{word}` names no participant"));
                } else if self.participant(&id).is_some() {
                    self.activate(&id, word == "activate");
                }
            }
            "autonumber" => self.seq.autonumber = rest != "off",
            "loop" | "alt" | "opt" | "par" | "critical" | "break" | "rect" => {
                let kind = match word {
                    "loop" => FrameKind::Loop,
                    "alt" => FrameKind::Alt,
                    "opt" => FrameKind::Opt,
                    "par" => FrameKind::Par,
                    "critical" => FrameKind::Critical,
                    "break" => FrameKind::Break,
                    _ => FrameKind::Rect,
                };
                self.open(kind, rest);
            }
            "else" | "and" | "option" => self.section(word, rest),
            "box" => self.stack.push(Open::Ignored),
            "end" if rest.is_empty() => self.end(),
            "title" | "accTitle" | "accTitle:" | "accDescr" | "accDescr:" | "link" | "links"
            | "properties" | "details" => {}
            _ if word.eq_ignore_ascii_case("note") => self.note(rest, l),
            _ if word.starts_with("accTitle:") || word.starts_with("accDescr:") => {}
            _ => self.message(l),
        }
    }

    /// The index of participant `id`, added (implied) when new; `None` past the node cap.
    fn participant(&mut self, id: &str) -> Option<usize> {
        if let Some(i) = self.seq.participants.iter().position(|p| p.id == id) {
            return Some(i);
        }
        if self.g.add_node(id, None).is_none() {
            self.diag(format!("too many participants: {id} left out"));
            return None;
        }
        self.seq.participants.push(Participant {
            id: id.to_owned(),
            label: id.to_owned(),
            kind: ParticipantKind::Participant,
        });
        Some(self.seq.participants.len() - 1)
    }

    fn declare(&mut self, word: &str, rest: &str) {
        // v11 metadata (`A@{ "type": "database" }`) is not drawn.
        let rest = rest.split("@{").next().unwrap_or("");
        let (id, label) = match rest.find(" as ") {
            Some(i) => (&rest[..i], &rest[i + 4..]),
            None => (rest, ""),
        };
        let id = clean_label(id, false);
        if id.is_empty() {
            self.diag(format!("`{word}` names no participant"));
            return;
        }
        let Some(i) = self.participant(&id) else {
            return;
        };
        let label = text_of(label);
        let p = &mut self.seq.participants[i];
        if word == "actor" {
            p.kind = ParticipantKind::Actor;
        }
        if !label.is_empty() {
            p.label = label.replace('\n', " ");
            let l = p.label.clone();
            self.g.add_node(&id, Some(&l));
        }
    }

    fn activate(&mut self, id: &str, on: bool) {
        if on {
            self.seq.activations.push(Activation {
                participant: id.to_owned(),
                line: self.line,
                end_line: None,
            });
            self.active.push(self.seq.activations.len() - 1);
            return;
        }
        // The latest activation of `id` still open ends here.
        let open = self
            .active
            .iter()
            .rposition(|&a| self.seq.activations[a].participant == id);
        match open {
            Some(k) => {
                let a = self.active.remove(k);
                self.seq.activations[a].end_line = Some(self.line);
            }
            None => self.diag(format!("{id} is deactivated but not active")),
        }
    }

    fn message(&mut self, l: &str) {
        let Some((a, b, arrow, head)) = find_arrow(l) else {
            self.diag(format!("not a sequence statement: {l}"));
            return;
        };
        let from = clean_label(&l[..a], false);
        let after = &l[b..];
        let (to_part, text) = match after.find(':') {
            Some(i) => (&after[..i], &after[i + 1..]),
            None => (after, ""),
        };
        let to_part = to_part.trim();
        let (mark, to) = match to_part.chars().next() {
            Some(c @ ('+' | '-')) => (Some(c), &to_part[1..]),
            _ => (None, to_part),
        };
        let to = clean_label(to, false);
        if from.is_empty() || to.is_empty() {
            self.diag(format!("a message needs two participants: {l}"));
            return;
        }
        if self.participant(&from).is_none() || self.participant(&to).is_none() {
            return;
        }
        let text = text_of(text);
        let style = match arrow {
            Arrow::Solid => EdgeStyle::Solid,
            Arrow::Dotted => EdgeStyle::Dotted,
        };
        let edge_head = match head {
            MessageHead::Arrow | MessageHead::Async => Head::Arrow,
            MessageHead::Open => Head::None,
            MessageHead::Cross => Head::Cross,
            MessageHead::Both => Head::Both,
        };
        // Pushed as is (not `push_edge`): edge `i` stays message `i` even for repeats.
        self.g.edges.push(Edge {
            from: from.clone(),
            to: to.clone(),
            label: (!text.is_empty()).then(|| text.replace('\n', " ")),
            style,
            head: edge_head,
            tail: None,
        });
        self.seq.messages.push(Message {
            from: from.clone(),
            to: to.clone(),
            text,
            arrow,
            head,
            line: self.line,
        });
        match mark {
            Some('+') => self.activate(&to, true),
            // `-` deactivates the sender: the reply ends its activation.
            Some(_) => self.activate(&from, false),
            None => {}
        }
    }

    fn note(&mut self, rest: &str, l: &str) {
        let (head, text) = match rest.find(':') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let head = head.trim();
        let (place, who) = if let Some(w) = head.strip_prefix("over ") {
            (NotePlace::Over, w)
        } else if let Some(w) = head.strip_prefix("left of ") {
            (NotePlace::Left, w)
        } else if let Some(w) = head.strip_prefix("right of ") {
            (NotePlace::Right, w)
        } else {
            self.diag(format!("a note is over, left of or right of someone: {l}"));
            return;
        };
        let mut over = Vec::new();
        for id in who.split(',').take(2) {
            let id = clean_label(id, false);
            if !id.is_empty() && self.participant(&id).is_some() && !over.contains(&id) {
                over.push(id);
            }
        }
        if over.is_empty() {
            self.diag(format!("a note names no participant: {l}"));
            return;
        }
        self.seq.notes.push(Note {
            over,
            place,
            text: text_of(text),
            after_message: self.seq.messages.len().checked_sub(1),
            line: self.line,
        });
    }

    fn open(&mut self, kind: FrameKind, label: &str) {
        let frames_open = self
            .stack
            .iter()
            .filter(|o| matches!(o, Open::Frame(_)))
            .count();
        if frames_open >= MAX_DEPTH {
            self.diag(format!("frames nested deeper than {MAX_DEPTH}: not drawn"));
            self.stack.push(Open::Ignored);
            return;
        }
        let parent = self.stack.iter().rev().find_map(|o| match o {
            Open::Frame(f) => Some(*f),
            Open::Ignored => None,
        });
        self.seq.frames.push(Frame {
            kind,
            label: clean_label(label, false),
            first_message: None,
            last_message: None,
            parent,
            line: self.line,
            end_line: self.line,
        });
        // Where its messages start is kept in `first_message` until it closes.
        let f = self.seq.frames.len() - 1;
        self.seq.frames[f].first_message = Some(self.seq.messages.len());
        self.stack.push(Open::Frame(f));
    }

    /// Closes frame `f` at `line`: its messages are those since it opened.
    fn close(&mut self, f: usize, line: usize) {
        let len = self.seq.messages.len();
        let fr = &mut self.seq.frames[f];
        let start = fr.first_message.unwrap_or(len);
        fr.end_line = line;
        if start < len {
            fr.first_message = Some(start);
            fr.last_message = Some(len - 1);
        } else {
            fr.first_message = None;
            fr.last_message = None;
        }
    }

    /// `else`/`and`/`option`: ends the previous section of the frame on top and starts one.
    fn section(&mut self, word: &str, label: &str) {
        let (kind, owner) = match word {
            "else" => (FrameKind::Else, FrameKind::Alt),
            "and" => (FrameKind::And, FrameKind::Par),
            _ => (FrameKind::Option, FrameKind::Critical),
        };
        if let Some(Open::Frame(f)) = self.stack.last()
            && self.seq.frames[*f].kind == kind
        {
            let f = *f;
            self.stack.pop();
            self.close(f, self.line);
        }
        match self.stack.last() {
            Some(Open::Frame(f)) if self.seq.frames[*f].kind == owner => {
                self.open(kind, label);
            }
            _ => self.diag(format!("`{word}` outside `{}`: ignored", owner.keyword())),
        }
    }

    fn end(&mut self) {
        let Some(open) = self.stack.pop() else {
            self.diag("`end` with nothing to end".to_owned());
            return;
        };
        if let Open::Frame(f) = open {
            self.close(f, self.line);
            // The section closes, then the frame it divides.
            if self.seq.frames[f].kind.is_section()
                && let Some(Open::Frame(p)) = self.stack.pop()
            {
                self.close(p, self.line);
            }
        }
    }
}

#[cfg(test)]
mod tests;
