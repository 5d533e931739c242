//! The properties header above a note: its title, its dates with their age, its tags as chips,
//! its aliases and the properties that hold links (`related: "[[Note]]"`, followed like any
//! link), from the front matter, then a rule.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::Renderer;
use super::inline::Seg;
use crate::sanitize;
use crate::style::Role;
use crate::text::width;
use crate::vault::Note;

impl Renderer<'_> {
    /// The header from the front matter: title, dates with their age, tags, aliases.
    pub(super) fn properties(&mut self, n: &Note) {
        let styles = self.opts.styles;
        let title = vec![Seg {
            text: sanitize::line(&n.title).into_owned(),
            style: styles.get(Role::H1),
            link: None,
        }];
        self.emit_wrapped(&title);
        let mut dates = Vec::new();
        for (label, date) in [("created", &n.created), ("modified", &n.modified)] {
            if let Some(d) = date {
                dates.push(format!(
                    "{label} {} ({})",
                    sanitize::line(&d.text),
                    crate::time::age(self.opts.now - d.sort_key)
                ));
            }
        }
        if !dates.is_empty() {
            let segs = vec![Seg {
                text: dates.join(" · "),
                style: styles.get(Role::Dim),
                link: None,
            }];
            self.emit_wrapped(&segs);
        }
        if !n.tags.is_empty() {
            let tag = styles.get(Role::Tag);
            let chip = if styles.color() {
                tag.add_modifier(Modifier::REVERSED)
            } else {
                tag.add_modifier(Modifier::BOLD)
            };
            // Chips are packed whole, line by line: a tag never breaks at its `/` or `-`.
            let pad = if styles.color() { " " } else { "" };
            let w = self.width;
            let mut line: Vec<Span<'static>> = Vec::new();
            let mut used = 0;
            for t in &n.tags {
                let text = format!("{pad}#{}{pad}", sanitize::line(t));
                let tw = width(&text);
                if used > 0 && used + 1 + tw > w {
                    self.emit(std::mem::take(&mut line));
                    used = 0;
                }
                if used > 0 {
                    line.push(Span::raw(" "));
                    used += 1;
                }
                used += tw;
                line.push(Span::styled(text, chip));
            }
            self.emit(line);
        }
        if !n.aliases.is_empty() {
            let aliases: Vec<String> = n.aliases.iter().map(|a| sanitize::line(a).into()).collect();
            let segs = vec![
                Seg {
                    text: "aka ".into(),
                    style: styles.get(Role::Dim),
                    link: None,
                },
                Seg {
                    text: aliases.join(" · "),
                    style: styles.get(Role::Text).add_modifier(Modifier::ITALIC),
                    link: None,
                },
            ];
            self.emit_wrapped(&segs);
        }
        self.property_links(n);
        let rule = "─".repeat(self.width);
        self.lines.push(Line::styled(rule, styles.get(Role::Rule)));
        self.gap = false;
    }

    /// A line per property holding wikilinks: `related: Note · Other`, each link a link the
    /// content pane follows (Obsidian links text and list properties).
    fn property_links(&mut self, n: &Note) {
        fn strings<'v>(v: &'v serde_json::Value, out: &mut Vec<&'v str>) {
            match v {
                serde_json::Value::String(s) => out.push(s),
                serde_json::Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
                serde_json::Value::Object(map) => map.values().for_each(|i| strings(i, out)),
                _ => {}
            }
        }
        let styles = self.opts.styles;
        for (key, value) in &n.properties {
            let mut texts = Vec::new();
            strings(value, &mut texts);
            if !texts.iter().any(|t| t.contains("[[")) {
                continue;
            }
            let mut segs = vec![Seg {
                text: format!("{}: ", sanitize::line(key)),
                style: styles.get(Role::Dim),
                link: None,
            }];
            for (i, text) in texts.iter().enumerate() {
                if i > 0 {
                    segs.push(Seg {
                        text: " · ".into(),
                        style: styles.get(Role::Dim),
                        link: None,
                    });
                }
                self.property_value(text, &mut segs);
            }
            self.emit_wrapped(&segs);
        }
    }

    /// One property's text as segments, its `[[links]]` shown as their text and linked.
    fn property_value(&mut self, text: &str, segs: &mut Vec<Seg>) {
        let styles = self.opts.styles;
        let plain = |s: &str| Seg {
            text: sanitize::line(s).into_owned(),
            style: styles.get(Role::Text),
            link: None,
        };
        let mut rest = text;
        while let Some(open) = rest.find("[[") {
            let Some(len) = rest[open + 2..].find("]]") else {
                break;
            };
            let inner = &rest[open + 2..open + 2 + len];
            let before = rest[..open].strip_suffix('!').unwrap_or(&rest[..open]);
            if !before.is_empty() {
                segs.push(plain(before));
            }
            rest = &rest[open + 2 + len + 2..];
            let Some(link) = crate::vault::body::parse_link(inner, false, 0) else {
                continue;
            };
            let resolved = link.target.is_empty() || (self.opts.resolves)(&link.target);
            let shown = match (&link.display, &link.heading) {
                (Some(d), _) => d.clone(),
                (None, Some(h)) if link.target.is_empty() => h.clone(),
                (None, Some(h)) => format!("{}#{h}", link.target),
                (None, None) => link.target.clone(),
            };
            self.targets.push(super::LinkTarget::Wiki {
                note: link.target,
                heading: link.heading,
                resolved,
                markdown: false,
                source: inner.to_owned(),
            });
            segs.push(Seg {
                text: sanitize::line(&shown).into_owned(),
                style: styles.get(if resolved {
                    Role::WikiLink
                } else {
                    Role::Unresolved
                }),
                link: Some(self.targets.len() - 1),
            });
        }
        if !rest.is_empty() {
            segs.push(plain(rest));
        }
    }
}
