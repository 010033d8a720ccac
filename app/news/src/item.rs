//! `/news/item/:id`: a story, its text, why it ranks where it does, a comment box and its
//! thread. At a comment's id: that comment and the replies under it, with its context.

use crate::{
    api,
    bar::NewsBar,
    live::Live,
    story::{item_href, StoryRow, StoryState},
    text::Text,
    thread::{CommentForm, Thread, ThreadView},
    use_reader,
};
use app_ui::components::{on_answer, Load};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::{
    news::{
        ranking::Explanation,
        wire::{EditRequest, ItemPage as Page, LiveFrame},
    },
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
    let state = StoryState::new(&story);
    let mut thread = Thread::new(&page, focus);
    thread.count = state.comments;
    let live = follow(state, thread, reader);
    let head = match thread.focus {
        None => view! {
            <article class="panel item-head" data-testid="item">
                <StoryRow story=story.clone() state detail=true />
                {move || if state.editing.get() {
                    view! { <EditStory state /> }.into_any()
                } else {
                    let text = state.text.get();
                    (!text.is_empty()).then(|| view! {
                        <div class="item-text" data-testid="item-text"><Text text /></div>
                    })
                    .into_any()
                }}
                <Why rank=page.rank.clone() />
                // A dead story (shown to showdead readers) takes no comments.
                {(!story.dead).then(|| view! { <CommentForm parent=story.id thread top=true /> })}
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
        <p class="live-mark small muted" data-testid="live" data-live=move || live.connected.get().to_string()>
            {move || if live.connected.get() { "live" } else { "" }}
        </p>
        {move || state.removed.get().then(|| view! {
            <p class="panel notice" role="status" data-testid="story-removed">
                "This story has been deleted or removed. "<a href="/news">"Back to the front page"</a>
            </p>
        })}
        <div hidden=move || state.removed.get()>
            {head}
            <ThreadView thread />
        </div>
    }
}

/// Follows the story's live page: others' comments join the thread marked new, its score and
/// count move, edits show, removals go. After a dropped socket the thread is fetched again and
/// what is missing is added.
fn follow(state: StoryState, thread: Thread, reader: crate::Reader) -> Live {
    let story_id = state.id;
    let on_frame = move |frame: LiveFrame| match frame {
        LiveFrame::Comment { mut comment } => {
            if reader.is(&comment.by) {
                // The reader's own, from another tab or before the POST answered.
                comment.new = false;
                comment.editable = true;
            } else {
                comment.new = true;
            }
            thread.arrived(comment);
        }
        LiveFrame::Score { id, points, comments } if id == story_id => state.score(points, comments),
        LiveFrame::Edited { id, title, text } if id == story_id => {
            if let Some(title) = title {
                state.title.set(title);
            }
            state.text.set(text);
        }
        LiveFrame::Edited { id, text, .. } => thread.edited(id, text),
        LiveFrame::Removed { id } if id == story_id => state.removed.set(true),
        LiveFrame::Removed { id } => {
            thread.removed(id, "[removed]");
        }
        LiveFrame::Score { .. } | LiveFrame::Story { .. } => {}
    };
    let catch_up = move || {
        leptos::task::spawn_local(async move {
            if let Ok(page) = api::item(story_id).await {
                // The reader may have left the page while it was read.
                if thread.comments.is_disposed() {
                    return;
                }
                state.score(page.story.points, page.story.comments);
                for comment in page.comments {
                    thread.arrived(comment);
                }
            }
        });
    };
    Live::follow(format!("/api/news/items/{story_id}/live"), on_frame, catch_up)
}

/// The author's story in a form: its title, and its text (a link's URL stays).
#[component]
fn EditStory(state: StoryState) -> impl IntoView {
    let title = RwSignal::new(state.title.get_untracked());
    let text = RwSignal::new(state.text.get_untracked());
    let error = RwSignal::new(None::<String>);
    let save = Action::new_unsync(move |request: &EditRequest| {
        let request = request.clone();
        async move { api::edit(state.id, &request).await }
    });
    on_answer(
        save,
        move |edited| {
            if let Some(t) = edited.title {
                state.title.set(t);
            }
            state.text.set(edited.text);
            state.editing.set(false);
        },
        move |e| error.set(Some(e.message)),
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Only what changed is sent: a title a moderator set stays, and the text may still move.
        let changed = |draft: RwSignal<String>, shown: RwSignal<String>| {
            Some(draft.get_untracked()).filter(|d| *d != shown.get_untracked())
        };
        let request = EditRequest { title: changed(title, state.title), text: changed(text, state.text) };
        if request.title.is_none() && request.text.is_none() {
            state.editing.set(false);
        } else if !save.pending().get_untracked() {
            error.set(None);
            save.dispatch(request);
        }
    };
    view! {
        <form class="edit-story stack" on:submit=on_submit novalidate data-testid="edit-story">
            <label class="field">"title"
                <input type="text" maxlength="80" data-testid="edit-title" prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev)) />
            </label>
            <label class="field">"text"
                <textarea rows=5 data-testid="edit-text" prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            {move || error.get().map(|m| view! { <p class="form-error small" role="alert" data-testid="edit-error">{m}</p> })}
            <div class="form-row">
                <button type="submit" class="button primary small" data-testid="edit-save"
                    disabled=move || save.pending().get()>"update"</button>
                <button type="button" class="link-button" on:click=move |_| state.editing.set(false)>"cancel"</button>
            </div>
        </form>
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
