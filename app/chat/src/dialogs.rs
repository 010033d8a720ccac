//! The dialogs over the list: a new chat (with one person, or a group) and one's contacts
//! (ask someone, answer requests, block and unblock).

use crate::{api, state::use_chat};
use app_ui::{
    components::{Load, Modal},
    nav::encode,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::{
    chat::{
        contacts::Status,
        rest::{ContactView, CreateConversation, Kind},
    },
    ApiError,
};

/// Usernames typed with commas or spaces between them.
pub(crate) fn usernames(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n'])
        .map(|s| s.trim().trim_start_matches('@').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[component]
pub fn NewChatDialog(on_close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let navigate = use_navigate();
    let group = RwSignal::new(false);
    let who = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let encrypted = RwSignal::new(false);
    let contacts = LocalResource::new(api::contacts);
    let start = Action::new_unsync(|request: &CreateConversation| {
        let request = request.clone();
        async move { api::start(&request).await }
    });
    let pending = start.pending();
    let error = move || start.value().get().and_then(Result::err).map(|e| e.message);
    Effect::watch(
        move || start.version().get(),
        move |_, _, _| {
            if let Some(Ok(view)) = start.value().get_untracked() {
                chat.reload_list();
                on_close.run(());
                navigate(&format!("/chat/{}", encode(&view.id)), Default::default());
            }
        },
        false,
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let members = usernames(&who.get_untracked());
        let encrypted = encrypted.get_untracked();
        let request = if group.get_untracked() {
            CreateConversation { kind: Kind::Group, title: Some(title.get_untracked()), members, encrypted }
        } else {
            CreateConversation { kind: Kind::Direct, title: None, members, encrypted }
        };
        start.dispatch(request);
    };
    let pick = move |username: String| {
        if group.get_untracked() {
            who.update(|w| {
                if !usernames(w).contains(&username) {
                    *w = if w.trim().is_empty() {
                        username
                    } else {
                        format!("{}, {username}", w.trim_end_matches([',', ' ']))
                    };
                }
            });
        } else {
            who.set(username);
        }
    };
    view! {
        <Modal labelledby="new-chat-heading" on_close return_to="new-chat".to_owned()>
            <h2 id="new-chat-heading">{move || if group.get() { "New group" } else { "New chat" }}</h2>
            <p class="segmented" role="group" aria-label="Kind of chat">
                <button type="button" aria-pressed=move || (!group.get()).to_string() on:click=move |_| group.set(false)>"One person"</button>
                <button type="button" aria-pressed=move || group.get().to_string() on:click=move |_| group.set(true)>"Group"</button>
            </p>
            <form on:submit=submit class="stack-form">
                <Show when=move || group.get()>
                    <label class="field">"Group name"
                        <input id="group-title" type="text" maxlength="100" required prop:value=move || title.get()
                            on:input=move |ev| title.set(event_target_value(&ev)) />
                    </label>
                </Show>
                <label class="field">{move || if group.get() { "Usernames (separated by commas)" } else { "Username" }}
                    <input id="chat-with" type="text" autocomplete="off" autocapitalize="none" required prop:value=move || who.get()
                        on:input=move |ev| who.set(event_target_value(&ev)) />
                </label>
                <Suspense fallback=|| ()>
                    {move || contacts.get().and_then(Result::ok).map(|list| {
                        let people: Vec<ContactView> = list.items.into_iter().filter(|c| c.status == Status::Contact).collect();
                        (!people.is_empty()).then(|| view! {
                            <p class="contact-picks small"><span class="muted">"Your contacts: "</span>
                                {people.into_iter().map(|c| {
                                    let username = c.username.clone();
                                    view! { <button type="button" class="tag" on:click=move |_| pick(username.clone())>{c.display_name.clone()}</button> }
                                }).collect_view()}
                            </p>
                        })
                    })}
                </Suspense>
                <label class="check">
                    <input id="chat-encrypted" type="checkbox" prop:checked=move || encrypted.get()
                        on:change=move |ev| encrypted.set(event_target_checked(&ev)) />
                    " 🔒 End-to-end encrypted"
                    <span class="muted small">" — only the members' browsers can read it; no files or stickers."</span>
                </label>
                <Show when=move || error().is_some()><p class="form-error" role="alert">{error}</p></Show>
                <p class="dialog-actions">
                    <button type="button" class="button ghost" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=pending>
                        {move || if group.get() { "Create group" } else { "Start chat" }}
                    </button>
                </p>
            </form>
        </Modal>
    }
}

#[component]
pub fn ContactsDialog(on_close: Callback<()>) -> impl IntoView {
    let contacts = LocalResource::new(api::contacts);
    let who = RwSignal::new(String::new());
    let act = Action::new_unsync(|(username, verb): &(String, &'static str)| {
        let (username, verb) = (username.clone(), *verb);
        async move {
            if verb == "ask" {
                api::ask(&username).await
            } else {
                api::answer(&username, verb).await
            }
        }
    });
    let error = move || act.value().get().and_then(Result::err).map(|e: ApiError| e.message);
    Effect::watch(
        move || act.version().get(),
        move |_, _, _| {
            if act.value().get_untracked().is_some_and(|r| r.is_ok()) {
                who.set(String::new());
            }
            contacts.refetch();
        },
        false,
    );
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let username = who.get_untracked().trim().trim_start_matches('@').to_owned();
        if !username.is_empty() {
            act.dispatch((username, "ask"));
        }
    };
    view! {
        <Modal labelledby="contacts-heading" on_close return_to="open-contacts".to_owned()>
            <h2 id="contacts-heading">"Contacts"</h2>
            <form class="inline-form" on:submit=ask>
                <label class="field grow">"Add someone by username"
                    <input id="contact-username" type="text" autocomplete="off" autocapitalize="none" prop:value=move || who.get()
                        on:input=move |ev| who.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button primary" disabled=move || act.pending().get()>"Ask"</button>
            </form>
            <Show when=move || error().is_some()><p class="form-error" role="alert">{error}</p></Show>
            <Load loading="Loading contacts…" retry=Callback::new(move |_| contacts.refetch())>
                {move || contacts.get().map(|answer| answer.map(|list| if list.items.is_empty() {
                    view! { <p class="muted">"No contacts yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="contact-list">
                            {list.items.into_iter().map(|c| view! { <ContactRow c act /> }).collect_view()}
                        </ul>
                    }.into_any()
                }))}
            </Load>
            <p class="dialog-actions">
                <button type="button" class="button ghost" on:click=move |_| on_close.run(())>"Close"</button>
            </p>
        </Modal>
    }
}

#[component]
fn ContactRow(
    c: ContactView,
    act: Action<(String, &'static str), Result<ContactView, ApiError>>,
) -> impl IntoView {
    let (status, note, verbs): (&str, &str, &[(&'static str, &str)]) = match c.status {
        Status::Contact => ("contact", "", &[("block", "Block")]),
        Status::Incoming => (
            "incoming",
            "wants to be your contact",
            &[("accept", "Accept"), ("decline", "Decline"), ("block", "Block")],
        ),
        Status::Outgoing => ("outgoing", "asked, waiting", &[("block", "Block")]),
        Status::Blocked => ("blocked", "blocked", &[("unblock", "Unblock")]),
        Status::None => ("none", "", &[]),
    };
    let username = c.username.clone();
    view! {
        <li data-username=c.username.clone() data-status=status>
            <span><strong>{c.display_name.clone()}</strong>" "<span class="muted small">"@"{c.username.clone()}</span>
                {(!note.is_empty()).then(|| view! { <span class="muted small">" · "{note}</span> })}</span>
            <span class="contact-actions">
                {verbs.iter().map(|(verb, label)| {
                    let username = username.clone();
                    let class = if *verb == "block" { "button danger small" } else { "button ghost small" };
                    view! { <button type="button" class=class on:click=move |_| { act.dispatch((username.clone(), verb)); }>{*label}</button> }
                }).collect_view()}
            </span>
        </li>
    }
}
