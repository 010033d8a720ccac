//! `/news/user/:username`: a person's karma, when they joined, their about text and how much
//! they have posted.

use crate::{api, bar::NewsBar, text::Text};
use app_ui::{components::Load, format::date};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::news::wire::ProfileView;

#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let profile = LocalResource::new(move || {
        let name = params.read().get("username").unwrap_or_default();
        async move { api::profile(&name).await }
    });
    view! {
        <div class="stack wide news">
            <NewsBar />
            <Load loading="Loading the profile…" retry=Callback::new(move |_| profile.refetch())
                failed=crate::missing("No such user", "Check the name: there is nobody here by it.")>
                {move || profile.get().map(|got| got.map(|p| view! { <Profile p /> }))}
            </Load>
        </div>
    }
}

#[component]
fn Profile(p: ProfileView) -> impl IntoView {
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
                <dd class="about">
                    {if p.about.trim().is_empty() {
                        view! { <span class="muted">{if p.own { "Nothing yet." } else { "Nothing here." }}</span> }.into_any()
                    } else {
                        view! { <Text text=p.about.clone() /> }.into_any()
                    }}
                </dd>
            </dl>
        </section>
    }
}
