//! The lists: the front page (ranked), the newest, the best, Ask and Show, 30 stories a page
//! with "More" at the foot (`?p=2`).

use crate::{
    api,
    bar::{NewsBar, NewsFoot},
    live::Live,
    story::{StoryRow, StoryState},
};
use app_ui::components::{Load, PageHead};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::news::wire::{LiveFrame, StoryList, StoryView};

/// Stories per page (the worker's `PAGE_SIZE`, as on HN).
pub const PAGE_SIZE: usize = 30;

/// The page a list's address asks for (`?p=2`): 1 when absent or not a page number.
pub fn query_page() -> Memo<u32> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.read().get("p").and_then(|p| p.parse::<u32>().ok()).filter(|p| *p >= 1).unwrap_or(1)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Front,
    New,
    Best,
    Ask,
    Show,
}

impl Listing {
    /// The API's name of the list.
    pub fn name(self) -> &'static str {
        match self {
            Listing::Front => "front",
            Listing::New => "new",
            Listing::Best => "best",
            Listing::Ask => "ask",
            Listing::Show => "show",
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Listing::Front => "/news",
            Listing::New => "/news/new",
            Listing::Best => "/news/best",
            Listing::Ask => "/news/ask",
            Listing::Show => "/news/show",
        }
    }

    /// What an empty list says, and what to do about it.
    fn empty(self) -> &'static str {
        match self {
            Listing::Ask => "No questions yet. Ask one: submit a title and text, without a URL.",
            Listing::Show => {
                "Nothing shown yet. Made something? Submit it with a title that starts \"Show HN:\"."
            }
            _ => "No stories yet. Submit the first one.",
        }
    }
}

#[component]
pub fn ListPage(listing: Listing) -> impl IntoView {
    let page = query_page();
    let stories = LocalResource::new(move || {
        let page = page.get();
        async move { api::stories(listing.name(), page).await }
    });
    view! {
        <div class="stack wide news">
            <PageHead path="/news" />
            <NewsBar />
            <Load loading="Loading the stories…" retry=Callback::new(move |_| stories.refetch()) waiting=Skeleton>
                {move || stories.get().map(|got| got.map(|list| view! { <Stories list listing /> }))}
            </Load>
            <NewsFoot />
        </div>
    }
}

/// What a list looks like while it loads: its rows, greyed.
#[component]
pub fn Skeleton() -> impl IntoView {
    view! {
        <ol class="stories skeleton" aria-busy="true" aria-label="Loading the stories">
            {(0..8).map(|i| view! {
                <li class="story"><span class="bar title-bar" class:short=i % 3 == 1></span><span class="bar sub-bar"></span></li>
            }).collect_view()}
        </ol>
    }
}

#[component]
fn Stories(list: StoryList, listing: Listing) -> impl IntoView {
    if list.stories.is_empty() {
        return view! {
            <p class="panel muted news-empty" data-testid="no-stories">
                {if list.page > 1 { "No more stories." } else { listing.empty() }}
                " "<a href="/news/submit">"Submit a story"</a>
            </p>
        }
        .into_any();
    }
    let first = (list.page as usize - 1) * PAGE_SIZE;
    let more = list.more.then(|| format!("{}?p={}", listing.path(), list.page + 1));
    let shown =
        RwSignal::new(list.stories.iter().map(|s| (s.clone(), StoryState::new(s))).collect::<Vec<_>>());
    // Stories submitted while the newest list's first page is open wait above it.
    let arrivals = RwSignal::new(Vec::<StoryView>::new());
    let takes_arrivals = listing == Listing::New && list.page == 1;
    let on_frame = move |frame: LiveFrame| {
        let state_of =
            |id: i64| shown.with_untracked(|all| all.iter().find(|(s, _)| s.id == id).map(|(_, st)| *st));
        match frame {
            LiveFrame::Score { id, points, comments } => {
                if let Some(state) = state_of(id) {
                    state.score(points, comments);
                }
            }
            LiveFrame::Edited { id, title: Some(title), .. } => {
                if let Some(state) = state_of(id) {
                    state.title.set(title);
                }
            }
            LiveFrame::Removed { id } => {
                if let Some(state) = state_of(id) {
                    state.removed.set(true);
                }
                arrivals.update(|a| a.retain(|s| s.id != id));
            }
            LiveFrame::Story { story } if takes_arrivals && state_of(story.id).is_none() => {
                arrivals.update(|a| {
                    if !a.iter().any(|s| s.id == story.id) {
                        a.insert(0, story);
                    }
                });
            }
            _ => {}
        }
    };
    let live = Live::follow("/api/news/live".to_owned(), on_frame, || {});
    // The new rows' signals belong to the list, not to the button that goes when clicked.
    let owner = Owner::current().unwrap_or_default();
    let show_arrivals = move |_| {
        let new = arrivals.try_update(std::mem::take).unwrap_or_default();
        shown.update(|all| {
            let mut rows: Vec<_> =
                owner.with(|| new.iter().map(|s| (s.clone(), StoryState::new(s))).collect());
            rows.append(all);
            *all = rows;
        });
    };
    view! {
        <p class="live-mark small" data-testid="live" data-live=move || live.connected.get().to_string()
            title="Points and comments move here as people vote and write">
            {move || if live.connected.get() { "live" } else { "" }}
        </p>
        {move || {
            let n = arrivals.with(Vec::len);
            (n > 0).then(|| view! {
                <button type="button" class="button small arrivals" data-testid="arrivals" on:click=show_arrivals.clone()>
                    {if n == 1 { "1 new story".to_owned() } else { format!("{n} new stories") }}
                </button>
            })
        }}
        <ol class="stories" data-testid="stories">
            {move || shown.get().into_iter().enumerate().map(|(i, (story, state))| view! {
                <li><StoryRow story rank=first + i + 1 state /></li>
            }).collect_view()}
        </ol>
        {more.map(|href| view! { <p class="more"><a href=href data-testid="more">"More"</a></p> })}
    }
    .into_any()
}
