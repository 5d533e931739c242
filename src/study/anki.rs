//! Export for Anki: its plain-text import format (tab-separated, one card a line, fields as
//! HTML), with the header lines that tell Anki how to read it, so a learner can take the
//! cards to their phone. Terminal-free; the caller writes the text where the user said
//! (never into the vault).

use crate::vault::Vault;
use crate::vault::questions::Question;

/// The header lines: tab separator, HTML fields, the columns' names and the tags column.
pub const HEADER: &str = "#separator:tab\n#html:true\n#columns:Front\tBack\tTags\n#tags column:3\n";

/// Text as HTML: `&`, `<`, `>`, `"` escaped, a line break as `<br>`, a tab (the separator)
/// as a space, and control characters dropped.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A note's tags as Anki's: `aws/vpc` becomes `aws::vpc`, a space an underscore.
pub fn tags(note_tags: &[String]) -> String {
    note_tags
        .iter()
        .map(|t| t.replace('/', "::").replace(char::is_whitespace, "_"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One card's (front, back): the prompt and the options in their written order; the right
/// option(s), the written answer and the explanation.
pub fn card(q: &Question) -> (String, String) {
    let mut front = html(&q.prompt);
    if !q.options.is_empty() {
        front.push_str("<br><br>");
        let opts: Vec<String> = q
            .options
            .iter()
            .map(|o| format!("{}) {}", html(&o.label), html(&o.text)))
            .collect();
        front.push_str(&opts.join("<br>"));
    }
    let mut back = Vec::new();
    let right: Vec<String> = q
        .options
        .iter()
        .filter(|o| q.is_right(&o.label))
        .map(|o| format!("<b>{}) {}</b>", html(&o.label), html(&o.text)))
        .collect();
    if !right.is_empty() {
        back.push(right.join("<br>"));
    }
    if !q.answer_text.is_empty() && right.is_empty() {
        back.push(html(&q.answer_text));
    }
    if !q.explanation.is_empty() {
        let ex: Vec<String> = q.explanation.iter().map(|e| html(e)).collect();
        back.push(ex.join("<br>"));
    }
    (front, back.join("<br><br>"))
}

/// The whole file for every question of the vault: the header, then a line per card.
/// Returns the text and the number of cards.
pub fn export(vault: &Vault) -> (String, usize) {
    let mut out = String::from(HEADER);
    let mut n = 0;
    for note in &vault.notes {
        let t = tags(&note.tags);
        for q in &note.questions {
            let (front, back) = card(q);
            out.push_str(&format!("{front}\t{back}\t{t}\n"));
            n += 1;
        }
    }
    (out, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_escaped_html_on_one_line() {
        assert_eq!(
            html("a <b> & \"c\"\tx\ny\u{1b}"),
            "a &lt;b&gt; &amp; &quot;c&quot; x<br>y"
        );
        assert_eq!(
            tags(&["aws/vpc".into(), "시험 준비".into()]),
            "aws::vpc 시험_준비"
        );
    }
}
