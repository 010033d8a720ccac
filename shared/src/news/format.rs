//! How News text is shown: HN's formatting, from what people type. Paragraphs are separated by
//! a blank line; a line indented by two spaces or more is code; `*word*` is italic; URLs become
//! links. The HN API carries text as HTML in HN's own shape (`first<p>second`); the app builds
//! the same pieces as elements. Everything else is text, escaped, so nothing typed can run.

/// One piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Text(String),
    Italic(String),
    Link(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Span>),
    Code(String),
}

/// The blocks of a text.
pub fn blocks(text: &str) -> Vec<Block> {
    let text = text.replace("\r\n", "\n");
    let mut blocks = Vec::new();
    for chunk in text.split("\n\n").map(|c| c.trim_matches('\n')).filter(|c| !c.trim().is_empty()) {
        let lines: Vec<&str> = chunk.lines().collect();
        if lines.iter().all(|l| l.starts_with("  ") || l.trim().is_empty()) {
            let code: Vec<&str> = lines.iter().map(|l| l.strip_prefix("  ").unwrap_or(l)).collect();
            blocks.push(Block::Code(code.join("\n")));
        } else {
            blocks.push(Block::Paragraph(spans(&lines.join(" "))));
        }
    }
    blocks
}

fn spans(line: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut words = String::new();
    let flush = |words: &mut String, spans: &mut Vec<Span>| {
        if !words.is_empty() {
            spans.push(Span::Text(std::mem::take(words)));
        }
    };
    for (i, word) in line.split(' ').enumerate() {
        let separator = if i == 0 { "" } else { " " };
        let trimmed = word.trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
        let trailing = &word[trimmed.len()..];
        if (trimmed.starts_with("https://") || trimmed.starts_with("http://")) && trimmed.len() > 8 {
            words.push_str(separator);
            flush(&mut words, &mut spans);
            spans.push(Span::Link(trimmed.to_owned()));
            words.push_str(trailing);
        } else if word.len() > 2
            && word.starts_with('*')
            && word.ends_with('*')
            && !word[1..word.len() - 1].contains('*')
        {
            words.push_str(separator);
            flush(&mut words, &mut spans);
            spans.push(Span::Italic(word[1..word.len() - 1].to_owned()));
        } else {
            words.push_str(separator);
            words.push_str(word);
        }
    }
    flush(&mut words, &mut spans);
    spans
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// The text as HN's API carries it: paragraphs joined by `<p>`, code in `<pre><code>`,
/// italics in `<i>`, links as `<a href>` with `rel="nofollow"`, everything else escaped.
pub fn to_hn_html(text: &str) -> String {
    let parts: Vec<String> = blocks(text)
        .into_iter()
        .map(|block| match block {
            Block::Code(code) => format!("<pre><code>{}</code></pre>", escape(&code)),
            Block::Paragraph(spans) => spans
                .into_iter()
                .map(|span| match span {
                    Span::Text(t) => escape(&t),
                    Span::Italic(t) => format!("<i>{}</i>", escape(&t)),
                    Span::Link(url) => {
                        format!("<a href=\"{0}\" rel=\"nofollow\">{0}</a>", escape(&url))
                    }
                })
                .collect(),
        })
        .collect();
    parts.join("<p>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_code_italics_and_links() {
        let text = "First line\nsame paragraph.\n\nSee https://example.com/a?b=1&c=2, it is *really* good.\n\n  fn main() {}\n    indented";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph(vec![Span::Text("First line same paragraph.".into())]),
                Block::Paragraph(vec![
                    Span::Text("See ".into()),
                    Span::Link("https://example.com/a?b=1&c=2".into()),
                    Span::Text(", it is ".into()),
                    Span::Italic("really".into()),
                    Span::Text(" good.".into()),
                ]),
                Block::Code("fn main() {}\n  indented".into()),
            ]
        );
    }

    #[test]
    fn hn_html_is_escaped_and_joined_by_p() {
        let html = to_hn_html("<script>alert(1)</script>\n\nok *fine* https://x.example/\"onmouseover=\"");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.starts_with("&lt;script&gt;alert(1)&lt;/script&gt;<p>ok <i>fine</i> "), "{html}");
        assert!(html.contains("href=\"https://x.example/&quot;onmouseover=&quot;\""), "{html}");
        assert_eq!(to_hn_html(""), "");
        assert_eq!(to_hn_html("a\n\n\n\nb"), "a<p>b");
    }

    #[test]
    fn stars_inside_words_and_lone_stars_stay_text() {
        assert_eq!(
            blocks("2 * 3 = 6 and a*b"),
            vec![Block::Paragraph(vec![Span::Text("2 * 3 = 6 and a*b".into())])]
        );
    }
}
