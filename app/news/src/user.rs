//! `/news/user/:username`: a person's karma, when they joined, their about text (theirs to
//! edit) and how much they have posted; under it their lists, as on HN: submissions, comments,
//! favorites (public, as on HN) and what they upvoted (theirs alone), 30 a page with "More",
//! at `/news/user/:username/stories` and so on.

use crate::{
    api,
    bar::NewsBar,
    list::{query_page, Skeleton, PAGE_SIZE},
    sign_in_href,
    story::{item_href, user_href, StoryRow},
    text::{ago, now_ms, Text},
    thread::FormattingHelp,
};
use app_ui::{
    components::{focus_id, on_answer, ErrorBanner, Load},
    format::{date, date_time},
};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};
use shared::{
    news::wire::{CommentList, ProfileComment, ProfileView, StoryList},
    ApiError, ErrorCode,
};

/// A profile's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Stories,
    Comments,
    Favorites,
    Upvoted,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Stories, Tab::Comments, Tab::Favorites, Tab::Upvoted];

    /// The list's name in its address and the API's.
    pub fn name(self) -> &'static str {
        match self {
            Tab::Stories => "stories",
            Tab::Comments => "comments",
            Tab::Favorites => "favorites",
            Tab::Upvoted => "upvoted",
        }
    }

    fn parse(name: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|tab| tab.name() == name)
    }

    /// What HN calls it.
    fn label(self) -> &'static str {
        match self {
            Tab::Stories => "submissions",
            _ => self.name(),
        }
    }

    fn empty(self) -> &'static str {
        match self {
            Tab::Stories => "No submissions yet.",
            Tab::Comments => "No comments yet.",
            Tab::Favorites => "No favorites yet.",
            Tab::Upvoted => "Nothing upvoted yet.",
        }
    }
}

pub fn tab_href(username: &str, tab: Tab) -> String {
    format!("{}/{}", user_href(username), tab.name())
}

fn username_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("username").unwrap_or_default())
}

#[component]
pub fn UserPage() -> impl IntoView {
    let username = username_param();
    let params = use_params_map();
    // The list shown under the profile: none, one of Tab's, or a name that is none of them.
    let list = Memo::new(move |_| params.read().get("list").map(|name| Tab::parse(&name)));
    let profile = LocalResource::new(move || {
        let name = username.get();
        async move { api::profile(&name).await }
    });
    // The lists wait for the profile, so a name nobody has says so once.
    let found = Memo::new(move |_| profile.with(|got| matches!(got, Some(Ok(_)))));
    let own = Memo::new(move |_| profile.with(|got| matches!(got, Some(Ok(p)) if p.own)));
    view! {
        <div class="stack wide news">
            <NewsBar />
            <Load loading="Loading the profile…" retry=Callback::new(move |_| profile.refetch())
                failed=crate::missing("No such user", "Check the name: there is nobody here by it.")>
                {move || profile.get().map(|got| got.map(|p| view! { <Profile p /> }))}
            </Load>
            {move || found.get().then(|| view! {
                <Tabs username own />
                {move || list.get().map(|tab| match tab {
                    Some(Tab::Comments) => view! { <CommentTab /> }.into_any(),
                    Some(tab) => view! { <StoryTab tab /> }.into_any(),
                    None => view! { <p class="panel muted news-empty">"There is no such list."</p> }.into_any(),
                })}
            })}
        </div>
    }
}

/// HN's links under a profile; "upvoted" on one's own only.
#[component]
fn Tabs(username: Memo<String>, own: Memo<bool>) -> impl IntoView {
    let location = use_location();
    view! {
        <nav class="profile-tabs" aria-label="Their lists" data-testid="profile-tabs">
            {move || {
                let name = username.get();
                let here = location.pathname.get();
                Tab::ALL.into_iter().filter(|tab| *tab != Tab::Upvoted || own.get()).map(|tab| {
                    let href = tab_href(&name, tab);
                    let current = (here == href).then_some("page");
                    view! { <a href=href aria-current=current data-testid=format!("tab-{}", tab.name())>{tab.label()}</a> }
                }).collect_view()
            }}
        </nav>
    }
}

#[component]
fn Profile(p: ProfileView) -> impl IntoView {
    let about = RwSignal::new(p.about.clone());
    let editing = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let own = p.own;
    let username = p.username.clone();
    view! {
        <section class="panel profile" aria-labelledby="profile-name" data-testid="profile">
            <h1 id="profile-name">
                {p.username.clone()}
                {p.moderator.then_some(view! { " " <span class="badge">"moderator"</span> })}
            </h1>
            <dl class="profile-facts">
                <dt>"karma"</dt><dd data-testid="karma">{p.karma}</dd>
                <dt>"joined"</dt><dd>{date(p.created_at.millis())}</dd>
                <dt>"stories"</dt><dd>{p.stories}</dd>
                <dt>"comments"</dt><dd>{p.comments}</dd>
                <dt>"about"</dt>
                <dd class="about" data-testid="about">
                    {move || if editing.get() {
                        view! { <AboutForm username=username.clone() about editing saved /> }.into_any()
                    } else {
                        view! {
                            {about.with(|text| if text.trim().is_empty() {
                                view! { <p class="muted">{if own { "Nothing yet." } else { "Nothing here." }}</p> }.into_any()
                            } else {
                                view! { <Text text=text.clone() /> }.into_any()
                            })}
                            {own.then(|| view! {
                                <p class="about-actions">
                                    <button type="button" class="link-button" data-testid="about-edit"
                                        on:click=move |_| {
                                            saved.set(false);
                                            editing.set(true);
                                            focus_id("about-text");
                                        }>"edit"</button>
                                    {move || saved.get().then_some(view! {
                                        " " <span class="saved" role="status" data-testid="about-saved">"Saved."</span>
                                    })}
                                </p>
                            })}
                        }
                        .into_any()
                    }}
                </dd>
                {own.then(|| view! {
                    <dt>"showdead"</dt>
                    <dd><ShowDead username=p.username.clone() on=p.showdead /></dd>
                })}
            </dl>
        </section>
    }
}

/// HN's showdead, one's own: dead items shown, marked [dead], where one may vouch for them.
#[component]
fn ShowDead(username: String, on: bool) -> impl IntoView {
    let on = RwSignal::new(on);
    let error = RwSignal::new(None::<String>);
    let set = Action::new_unsync(move |wanted: &bool| {
        let (name, wanted) = (username.clone(), *wanted);
        async move { api::set_showdead(&name, wanted).await }
    });
    on_answer(
        set,
        move |profile: ProfileView| {
            on.set(profile.showdead);
            error.set(None);
        },
        move |e| error.set(Some(e.message)),
    );
    view! {
        <label class="showdead">
            <input type="checkbox" data-testid="showdead" prop:checked=move || on.get()
                disabled=move || set.pending().get()
                on:change=move |ev| { set.dispatch(event_target_checked(&ev)); } />
            " show dead items, marked [dead], to vouch for them"
        </label>
        {move || error.get().map(|m| view! { <p class="form-error small" role="alert">{m}</p> })}
    }
}

/// The about text in a box, saved by the worker (which holds it to its rules and length).
#[component]
fn AboutForm(
    username: String,
    about: RwSignal<String>,
    editing: RwSignal<bool>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let draft = RwSignal::new(about.get_untracked());
    let error = RwSignal::new(None::<String>);
    let save = Action::new_unsync(move |text: &String| {
        let (name, text) = (username.clone(), text.clone());
        async move { api::edit_about(&name, text).await }
    });
    on_answer(
        save,
        move |profile: ProfileView| {
            about.set(profile.about);
            saved.set(true);
            editing.set(false);
        },
        move |err| error.set(Some(err.message)),
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !save.pending().get_untracked() {
            error.set(None);
            save.dispatch(draft.get_untracked());
        }
    };
    view! {
        <form class="about-form comment-form" on:submit=on_submit novalidate data-testid="about-form">
            <label for="about-text" class="visually-hidden">"About you"</label>
            <textarea id="about-text" rows="5" data-testid="about-text"
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
            {move || error.get().map(|m| view! { <p class="form-error small" role="alert" data-testid="about-error">{m}</p> })}
            <div class="form-row">
                <button type="submit" class="button primary small" data-testid="about-save"
                    disabled=move || save.pending().get()>
                    {move || if save.pending().get() { "Saving…" } else { "save" }}
                </button>
                <button type="button" class="link-button" data-testid="about-cancel"
                    on:click=move |_| editing.set(false)>"cancel"</button>
                <FormattingHelp />
            </div>
        </form>
    }
}

/// What a list says when it can't be read: upvoted is its owner's alone (no Retry, which would
/// be refused again), and someone signed out is offered to sign in.
fn refused() -> Callback<(ApiError, Callback<()>), AnyView> {
    let sign_in = sign_in_href();
    Callback::new(move |(err, retry): (ApiError, Callback<()>)| {
        match err.code {
        ErrorCode::Forbidden | ErrorCode::NotFound => {
            view! { <p class="panel muted news-empty" role="alert" data-testid="list-refused">{err.message}</p> }
                .into_any()
        }
        ErrorCode::Unauthenticated => view! {
            <p class="panel muted news-empty" role="alert" data-testid="list-refused">
                "What a person upvoted is theirs alone to see. "
                <a href=sign_in.clone() rel="external">"Sign in"</a>" to see yours."
            </p>
        }
        .into_any(),
        _ => view! { <ErrorBanner message=err.message retry /> }.into_any(),
    }
    })
}

/// "More" to the next page of a list, when there is one.
fn more(username: &str, tab: Tab, page: u32, more: bool) -> Option<impl IntoView> {
    let href = format!("{}?p={}", tab_href(username, tab), page + 1);
    more.then(|| view! { <p class="more"><a href=href data-testid="more">"More"</a></p> })
}

fn empty(tab: Tab, page: u32) -> AnyView {
    let said = if page > 1 { "No more." } else { tab.empty() };
    view! { <p class="panel muted news-empty" data-testid="no-stories">{said}</p> }.into_any()
}

/// A list of stories under a profile: submissions, favorites or upvoted.
#[component]
pub fn StoryTab(tab: Tab) -> impl IntoView {
    let username = username_param();
    let page = query_page();
    let stories = LocalResource::new(move || {
        let (name, page) = (username.get(), page.get());
        async move { api::profile_stories(&name, tab.name(), page).await }
    });
    view! {
        <Load loading="Loading the stories…" retry=Callback::new(move |_| stories.refetch())
            waiting=Skeleton failed=refused()>
            {move || stories.get().map(|got| got.map(|list| stories_view(&username.get_untracked(), tab, list)))}
        </Load>
    }
}

fn stories_view(username: &str, tab: Tab, list: StoryList) -> AnyView {
    if list.stories.is_empty() {
        return empty(tab, list.page);
    }
    let first = (list.page as usize - 1) * PAGE_SIZE;
    view! {
        <ol class="stories" data-testid="stories" data-list=tab.name()>
            {list.stories.into_iter().enumerate().map(|(i, story)| view! {
                <li><StoryRow story rank=first + i + 1 /></li>
            }).collect_view()}
        </ol>
        {more(username, tab, list.page, list.more)}
    }
    .into_any()
}

/// A person's comments, each with the story it is on, as on HN.
#[component]
pub fn CommentTab() -> impl IntoView {
    let username = username_param();
    let page = query_page();
    let comments = LocalResource::new(move || {
        let (name, page) = (username.get(), page.get());
        async move { api::profile_comments(&name, page).await }
    });
    view! {
        <Load loading="Loading the comments…" retry=Callback::new(move |_| comments.refetch())
            waiting=Skeleton failed=refused()>
            {move || comments.get().map(|got| got.map(|list| comments_view(&username.get_untracked(), list)))}
        </Load>
    }
}

fn comments_view(username: &str, list: CommentList) -> AnyView {
    if list.comments.is_empty() {
        return empty(Tab::Comments, list.page);
    }
    view! {
        <ol class="profile-comments" data-testid="profile-comments">
            {list.comments.into_iter().map(|c| view! { <ProfileCommentRow c /> }).collect_view()}
        </ol>
        {more(username, Tab::Comments, list.page, list.more)}
    }
    .into_any()
}

/// A comment without its author (the profile names them): its age (the permalink), its parent
/// when that is a comment, the story it is on, then its text.
#[component]
fn ProfileCommentRow(c: ProfileComment) -> impl IntoView {
    let created = c.created_at.millis();
    let on = if c.story_title.is_empty() { "a story".to_owned() } else { c.story_title };
    view! {
        <li class="profile-comment" class:dead=c.dead data-testid="profile-comment" data-id=c.id.to_string()>
            <p class="comment-head">
                <a class="age" href=item_href(c.id) title=date_time(created) data-testid="permalink">{ago(created, now_ms())}</a>
                {(c.parent != c.story_id).then(|| view! { " | " <a href=item_href(c.parent)>"parent"</a> })}
                " | on: "<a class="on" href=item_href(c.story_id) data-testid="on-story">{on}</a>
                {c.dead.then_some(view! { " " <span class="mark">"[dead]"</span> })}
            </p>
            <div class="comment-text"><Text text=c.text /></div>
        </li>
    }
}
