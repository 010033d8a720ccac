//! How a story's or a comment's text, and a moment, are shown. Text goes through `shared`'s
//! formatter (`shared::news::format::blocks`: paragraphs, code, italics, links) and is built
//! here as elements, never as HTML: whatever was typed, `<script>` included, stays text.

use leptos::prelude::*;
use shared::news::format::{blocks, Block, Span};

/// A text as HN shows it: paragraphs, code blocks, `*italics*` and links.
#[component]
pub fn Text(#[prop(into)] text: String) -> impl IntoView {
    blocks(&text)
        .into_iter()
        .map(|block| match block {
            Block::Code(code) => view! { <pre><code>{code}</code></pre> }.into_any(),
            Block::Paragraph(spans) => view! {
                <p>
                    {spans.into_iter().map(|span| match span {
                        Span::Text(text) => text.into_any(),
                        Span::Italic(text) => view! { <i>{text}</i> }.into_any(),
                        Span::Link(url) => {
                            let href = url.clone();
                            view! { <a href=href rel="nofollow noreferrer">{url}</a> }.into_any()
                        }
                    }).collect_view()}
                </p>
            }
            .into_any(),
        })
        .collect_view()
}

/// Whether `url` may be a link's `href`: only http(s) (what `shared`'s URL rules accept), so
/// nothing stored can become a `javascript:` link.
pub fn is_web_link(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// How long ago `then_ms` was, as HN says it: "just now", "1 minute ago", "3 hours ago",
/// "2 days ago", "5 months ago", "2 years ago".
pub fn ago(then_ms: i64, now_ms: i64) -> String {
    let minutes = (now_ms - then_ms).max(0) / 60_000;
    let (n, unit) = match minutes {
        0 => return "just now".to_owned(),
        m if m < 60 => (m, "minute"),
        m if m < 60 * 24 => (m / 60, "hour"),
        m if m < 60 * 24 * 31 => (m / (60 * 24), "day"),
        m if m < 60 * 24 * 365 => (m / (60 * 24 * 30), "month"),
        m => (m / (60 * 24 * 365), "year"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// Now, in unix milliseconds (the browser's clock).
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// "1 point", "12 points"; "1 comment", "discuss" for none.
pub fn plural(n: i64, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}
