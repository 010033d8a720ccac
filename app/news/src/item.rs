//! `/news/item/:id`: a story, its text, why it ranks where it does, a comment box and its
//! thread. At a comment's id: that comment and the replies under it, with its context.

use crate::{
    api,
    bar::NewsBar,
    story::{item_href, StoryRow},
    text::Text,
    thread::{CommentForm, Thread, ThreadView},
    use_reader,
};
use app_ui::components::Load;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::{
    news::{ranking::Explanation, wire::ItemPage as Page},
    ApiError,
};

#[component]
pub fn ItemPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok());
    let page = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::item(id).await,
                None => Err(ApiError::not_found("There is no such item: its number is not valid.")),
            }
        }
    });
    view! {
        <div class="stack wide news">
            <NewsBar />
            <Load loading="Loading the thread…" retry=Callback::new(move |_| page.refetch())
                waiting=crate::list::Skeleton failed=crate::missing("No such item", "It may have been deleted or killed, or the link is mistyped.")>
                {move || page.get().map(|got| got.map(|page| {
                    let focus = id().unwrap_or(page.story.id);
                    view! { <Item page focus /> }
                }))}
            </Load>
        </div>
    }
}

#[component]
fn Item(page: Page, focus: i64) -> impl IntoView {
    let reader = use_reader();
    let note = reader.note.get_untracked();
    reader.note.set(None);
    let story = page.story.clone();
    let thread = Thread::new(&page, focus);
    let head = match thread.focus {
        None => view! {
            <article class="panel item-head" data-testid="item">
                <StoryRow story=story.clone() comments=thread.count detail=true />
                {(!story.text.is_empty()).then(|| view! {
                    <div class="item-text" data-testid="item-text"><Text text=story.text.clone() /></div>
                })}
                <Why rank=page.rank.clone() />
                <CommentForm parent=story.id thread top=true />
            </article>
        }
        .into_any(),
        Some(_) => view! {
            <p class="panel context" data-testid="context">
                "A comment on "<a href=item_href(story.id)>{story.title.clone()}</a>
                " · "<a href=format!("{}#c{focus}", item_href(story.id))>"see it in the whole thread"</a>
            </p>
        }
        .into_any(),
    };
    view! {
        {note.map(|n| view! { <p class="notice" role="status" data-testid="news-note">{n}</p> })}
        {head}
        <ThreadView thread />
    }
}

/// "Why is this here": HN's rank, term by term, as the worker computed it for this moment.
#[component]
fn Why(rank: Explanation) -> impl IntoView {
    let penalties: Vec<String> = rank.penalties.iter().map(|p| p.describe()).collect();
    let factors: String = rank.penalties.iter().map(|p| format!(" × {}", short(p.factor()))).collect();
    view! {
        <details class="why" data-testid="why">
            <summary>"Why is this here?"</summary>
            <p class="small muted">"Rank = (points − 1)^0.8 ÷ (age in hours + 2)^1.8, times any penalty: HN's own formula."</p>
            <dl class="why-terms">
                <dt>"Votes"</dt>
                <dd>{format!("({} − 1)^0.8 = {}", rank.points, short(rank.votes_term))}</dd>
                <dt>"Age"</dt>
                <dd>{format!("({} h + 2)^1.8 = {}", short(rank.age_hours), short(rank.age_term))}</dd>
                <dt>"Penalties"</dt>
                <dd>
                    {if penalties.is_empty() {
                        view! { "none" }.into_any()
                    } else {
                        view! { <ul>{penalties.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul> }.into_any()
                    }}
                </dd>
                <dt>"Rank"</dt>
                <dd data-testid="rank">{format!("{} ÷ {}{factors} = {}", short(rank.votes_term), short(rank.age_term), short(rank.rank))}</dd>
            </dl>
        </details>
    }
}

/// A figure to three significant digits or so: `6.80`, `19.5`, `0.0349`, `120`.
fn short(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 {
        "0".to_owned()
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        let decimals = ((-a.log10()).ceil() as usize + 2).min(12);
        format!("{x:.decimals$}")
    }
}
