//! The header on every page: the brand, and who is signed in.

use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand" attr:aria-label="Dozen home">
                <span class="brand-mark" aria-hidden="true">"12"</span>
                <span class="brand-name">"Dozen"</span>
            </A>
            <nav class="account-nav" aria-label="Account">
                <Show when=move || session.checked.get() fallback=|| view! { <span class="muted">"…"</span> }>
                    {move || match session.user.get() {
                        Some(user) => view! {
                            <A href="/account" attr:class="user-chip" attr:data-testid="header-user">
                                <span class="avatar" aria-hidden="true">{user.username.chars().next().map(|c| c.to_ascii_uppercase()).unwrap_or('?').to_string()}</span>
                                <span>{user.username.clone()}</span>
                            </A>
                            <button type="button" class="button ghost" on:click=move |_| session.sign_out()>"Sign out"</button>
                        }.into_any(),
                        None => view! {
                            <A href="/signin" attr:class="button ghost">"Sign in"</A>
                            <A href="/signup" attr:class="button primary">"Sign up"</A>
                        }.into_any(),
                    }}
                </Show>
            </nav>
        </header>
    }
}
