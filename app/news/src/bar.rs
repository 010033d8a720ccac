//! News' own bar, HN's orange strip: the lists, submitting, the moderation log, and the reader
//! with their karma.

use crate::use_reader;
use app_ui::nav::encode;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

const LINKS: [(&str, &str); 6] = [
    ("/news/new", "new"),
    ("/news/best", "best"),
    ("/news/ask", "ask"),
    ("/news/show", "show"),
    ("/news/submit", "submit"),
    ("/news/moderation", "moderation"),
];

#[component]
pub fn NewsBar() -> impl IntoView {
    let reader = use_reader();
    let location = use_location();
    let current = move |href: &str| (location.pathname.get() == href).then_some("page");
    view! {
        <nav class="news-bar" aria-label="News">
            <a class="news-home" href="/news" aria-current=move || current("/news")>
                <span class="news-mark" aria-hidden="true">"N"</span>"News"
            </a>
            <span class="news-links">
                {LINKS.into_iter().map(|(href, label)| view! {
                    <a href=href aria-current=move || current(href)>{label}</a>
                }).collect_view()}
            </span>
            <span class="news-me">
                {move || reader.username().map(|name| view! {
                    <a href=format!("/news/user/{}", encode(&name)) data-testid="news-me">
                        {name.clone()}
                        {move || reader.known_karma().map(|karma| format!(" ({karma})"))}
                    </a>
                })}
            </span>
        </nav>
    }
}
