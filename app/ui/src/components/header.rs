//! The header on every page: the brand, and who is signed in. Its links lead to the shell's
//! pages, so from a product's bundle they load the shell (`nav::rel`).

use crate::{nav, session::use_session};
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    view! {
        <header class="site-header">
            <a href="/" rel=nav::rel("/") class="brand" aria-label="Dozen home">
                <span class="brand-mark" aria-hidden="true">"12"</span>
                <span class="brand-name">"Dozen"</span>
            </a>
            <nav class="account-nav" aria-label="Account">
                <Show when=move || session.checked.get() fallback=|| view! { <span class="muted">"…"</span> }>
                    {move || match session.user.get() {
                        Some(user) => view! {
                            <a href="/account" rel=nav::rel("/account") class="user-chip" data-testid="header-user">
                                <span class="avatar" aria-hidden="true">{user.username.chars().next().map(|c| c.to_ascii_uppercase()).unwrap_or('?').to_string()}</span>
                                <span>{user.username.clone()}</span>
                            </a>
                            <button type="button" class="button ghost" on:click=move |_| session.sign_out()>"Sign out"</button>
                        }.into_any(),
                        None => view! {
                            <a href="/signin" rel=nav::rel("/signin") class="button ghost">"Sign in"</a>
                            <a href="/signup" rel=nav::rel("/signup") class="button primary">"Sign up"</a>
                        }.into_any(),
                    }}
                </Show>
            </nav>
        </header>
    }
}
