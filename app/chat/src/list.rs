//! The conversation list: newest activity first, each with its last message, unread badge and
//! (between two people) the other's presence dot; a search box over one's messages whose hits
//! open the conversation at that message; new chat, new group and contacts.

use crate::{
    api,
    dialogs::{ContactsDialog, NewChatDialog},
    state::{use_chat, Link},
    when::short_when,
};
use app_ui::{
    components::{ErrorBanner, Loading},
    nav::{encode, query},
};
use leptos::prelude::*;
use leptos_router::components::A;
use shared::chat::{
    contacts::Status as ContactStatus,
    presence::Status,
    rest::{ConversationView, Kind},
};

/// Which dialog is open over the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    NewChat,
    Contacts,
}

#[component]
pub fn ConversationList() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let dialog = RwSignal::new(None::<Dialog>);
    let requests = LocalResource::new(move || {
        dialog.track();
        api::contacts()
    });
    let incoming = move || {
        requests
            .get()
            .and_then(Result::ok)
            .map_or(0, |l| l.items.iter().filter(|c| c.status == ContactStatus::Incoming).count())
    };
    view! {
        <aside class="chat-list" aria-label="Conversations">
            <div class="chat-list-head">
                <h2>"Chats"</h2>
                <LinkState />
                <button type="button" class="button ghost small" id="open-contacts" on:click=move |_| dialog.set(Some(Dialog::Contacts))>
                    "Contacts"
                    {move || (incoming() > 0).then(|| view! { <span class="badge count" data-testid="requests">{incoming()}</span> })}
                </button>
                <button type="button" class="button primary small" id="new-chat" on:click=move |_| dialog.set(Some(Dialog::NewChat))>"New chat"</button>
            </div>
            <Notifications />
            <label class="search chat-search">
                <span class="visually-hidden">"Search messages"</span>
                <input type="search" placeholder="Search messages" prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev)) />
            </label>
            {move || if search.with(|s| s.trim().chars().count() >= 2) {
                view! { <SearchResults q=search /> }.into_any()
            } else {
                view! { <Items /> }.into_any()
            }}
        </aside>
        {move || dialog.get().map(|which| {
            let close = Callback::new(move |_| dialog.set(None));
            match which {
                Dialog::NewChat => view! { <NewChatDialog on_close=close /> }.into_any(),
                Dialog::Contacts => view! { <ContactsDialog on_close=close /> }.into_any(),
            }
        })}
    }
}

/// Notifications on this device: a switch once the browser can have them.
#[component]
fn Notifications() -> impl IntoView {
    let secrets = crate::e2ee::use_secrets();
    let status = move || secrets.push.get().unwrap_or_default();
    let label = move || match status().as_str() {
        "on" => "🔔 Notifications on",
        "denied" => "🔕 Notifications are blocked for this site",
        _ => "🔕 Turn on notifications",
    };
    view! {
        <Show when=move || matches!(status().as_str(), "on" | "off" | "denied")>
            <p class="chat-notify small">
                <button type="button" class="link-button" id="notifications" aria-pressed=move || (status() == "on").to_string()
                    disabled=move || status() == "denied" on:click=move |_| secrets.toggle_push()>{label}</button>
                {move || secrets.push_error.get().map(|why| view! { <span class="form-error" role="alert">" "{why}</span> })}
            </p>
        </Show>
    }
}

/// "Connecting…" while the socket is not live.
#[component]
fn LinkState() -> impl IntoView {
    let chat = use_chat();
    let notice = move || chat.notice.get();
    view! {
        {move || match chat.link.get() {
            Link::Live => None,
            Link::Connecting => Some(view! { <span class="muted small link-state" data-testid="link-state">"Connecting…"</span> }),
            Link::Waiting => Some(view! { <span class="muted small link-state" data-testid="link-state">"Offline, retrying…"</span> }),
        }}
        <Show when=move || notice().is_some()>
            <p class="form-error small chat-notice" role="alert">{notice}
                <button type="button" class="link-button" aria-label="Dismiss" on:click=move |_| chat.notice.set(None)>"✕"</button>
            </p>
        </Show>
    }
}

#[component]
fn Items() -> impl IntoView {
    let chat = use_chat();
    view! {
        {move || match chat.list.get() {
            None => view! { <Loading what="Loading your chats…" /> }.into_any(),
            Some(Err(err)) => view! {
                <ErrorBanner message=err.message retry=Callback::new(move |_| chat.reload_list()) />
            }.into_any(),
            Some(Ok(items)) if items.is_empty() => view! {
                <p class="muted chat-none">"No chats yet. Start one with “New chat”."</p>
            }.into_any(),
            Some(Ok(items)) => view! {
                <ul class="conversations">
                    <For each=move || items.clone() key=|c| (c.id.clone(), c.last_seq, c.unread, c.title.clone(), c.last_message.as_ref().map(|m| (m.seq, m.body.clone()))) let:c>
                        <Item c />
                    </For>
                </ul>
            }.into_any(),
        }}
    }
}

#[component]
fn Item(c: ConversationView) -> impl IntoView {
    let chat = use_chat();
    let me = chat.me.get_untracked();
    let other = (c.kind == Kind::Direct)
        .then(|| c.members.iter().find(|m| m.username != me).map(|m| m.username.clone()))
        .flatten();
    let dot = move || {
        let status = other.as_ref().and_then(|o| chat.presence.with(|p| p.get(o).map(|(s, _)| *s)));
        match status {
            Some(Status::Online) => Some(("presence online", "online")),
            Some(Status::Away) => Some(("presence away", "away")),
            _ => None,
        }
    };
    let id = c.id.clone();
    let current = move || chat.open.get().as_deref() == Some(id.as_str());
    let preview = c.last_message.as_ref().map(|m| {
        let who = if m.sender == me {
            "You: ".to_owned()
        } else if c.kind == Kind::Group {
            let name = c
                .members
                .iter()
                .find(|x| x.username == m.sender)
                .map_or(m.sender.clone(), |x| x.display_name.clone());
            format!("{name}: ")
        } else {
            String::new()
        };
        (format!("{who}{}", m.body.lines().next().unwrap_or_default()), short_when(&m.sent_at))
    });
    let initial =
        c.title.chars().next().map(|ch| ch.to_uppercase().to_string()).unwrap_or_else(|| "?".into());
    view! {
        <li>
            <A href=format!("/chat/{}", encode(&c.id)) attr:class="conversation" attr:aria-current=move || current().then_some("page")
                attr:data-id=c.id.clone()>
                <span class="avatar" aria-hidden="true">{initial}
                    {move || dot().map(|(class, label)| view! { <span class=class title=label></span> })}
                </span>
                <span class="conversation-text">
                    <span class="conversation-title">{c.title.clone()}</span>
                    <span class="conversation-last muted small">{preview.clone().map(|p| p.0).unwrap_or_default()}</span>
                </span>
                <span class="conversation-side">
                    <span class="muted small">{preview.map(|p| p.1).unwrap_or_default()}</span>
                    {(c.unread > 0).then(|| view! {
                        <span class="badge count unread" data-testid="unread" aria-label=format!("{} unread", c.unread)>{c.unread}</span>
                    })}
                </span>
            </A>
        </li>
    }
}

#[component]
fn SearchResults(q: RwSignal<String>) -> impl IntoView {
    let chat = use_chat();
    let secrets = crate::e2ee::use_secrets();
    // The server's index (plain chats) and this browser's (what it decrypted), newest first.
    let results = LocalResource::new(move || {
        let q = q.get();
        async move {
            let mut found = api::search(q.trim()).await?;
            // Only conversations the person is still in (a chat left keeps its words here).
            let mine = |id: &str| chat.conversation(id).is_some();
            found
                .items
                .extend(secrets.search(q.trim()).await.into_iter().filter(|hit| mine(&hit.conversation)));
            found.items.sort_by(|a, b| b.sent_at.cmp(&a.sent_at));
            Ok::<_, shared::ApiError>(found)
        }
    });
    let title_of = move |id: &str| chat.conversation(id).map_or_else(|| "A chat".to_owned(), |c| c.title);
    view! {
        <Transition fallback=|| view! { <Loading what="Searching…" /> }>
            {move || results.get().map(|answer| match answer {
                Err(err) => view! { <p class="form-error" role="alert">{err.message}</p> }.into_any(),
                Ok(found) if found.items.is_empty() => view! { <p class="muted chat-none">"Nothing found."</p> }.into_any(),
                Ok(found) => view! {
                    <ul class="conversations hits" data-testid="search-hits">
                        {found.items.into_iter().map(|hit| view! {
                            <li>
                                <A href=format!("/chat/{}?{}", encode(&hit.conversation), query(&[("at", &hit.seq.to_string())]))
                                    attr:class="conversation">
                                    <span class="conversation-text">
                                        <span class="conversation-title">{title_of(&hit.conversation)}</span>
                                        <span class="conversation-last small">{hit.body.clone()}</span>
                                    </span>
                                    <span class="conversation-side muted small">{short_when(&hit.sent_at)}</span>
                                </A>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
    }
}
