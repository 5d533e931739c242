//! The properties header above a note: its title, its dates with their age, its tags as chips
//! and its aliases, from the front matter, then a rule.

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
        let rule = "─".repeat(self.width);
        self.lines.push(Line::styled(rule, styles.get(Role::Rule)));
        self.gap = false;
    }
}
