//! News' own bar, HN's orange strip: the lists, submitting, the moderation log, and the reader
//! with their karma. Also the lists' foot, for what a phone's one-line bar has no room for.

use crate::use_reader;
use app_ui::nav::encode;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

const LINKS: [(&str, &str); 5] = [
    ("/news/new", "new"),
    ("/news/best", "best"),
    ("/news/ask", "ask"),
    ("/news/show", "show"),
    ("/news/submit", "submit"),
];

const MODERATION: &str = "/news/moderation";

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
                // A phone's bar is full: there the lists' foot links to it.
                <a class="news-wide" href=MODERATION aria-current=move || current(MODERATION)>"moderation"</a>
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

/// HN's footer, shortened: what the bar leaves out on a phone.
#[component]
pub fn NewsFoot() -> impl IntoView {
    view! {
        <p class="news-foot"><a href=MODERATION data-testid="foot-moderation">"moderation log"</a></p>
    }
}
