//! Chat in the app: the conversation list and one conversation beside it (two panes on a
//! desktop, two screens on a phone), all over one socket per device.

pub mod api;
pub mod composer;
pub mod dialogs;
pub mod e2ee;
pub mod emoji;
pub mod info;
pub mod list;
pub mod room;
pub mod rows;
pub mod safety;
pub mod socket;
pub mod state;
pub mod upload;
pub mod when;

use app_ui::{components::PageHead, not_found::Fallback, session::use_session, Frame};
use leptos::prelude::*;
use leptos_router::{
    components::{Outlet, ParentRoute, Route, Routes},
    path,
};

/// The Chat bundle's routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <ParentRoute path=path!("/chat") view=ChatPage>
                    <Route path=path!("") view=NoConversation />
                    <Route path=path!(":id") view=room::Room />
                </ParentRoute>
            </Routes>
        </Frame>
    }
}

#[component]
fn ChatPage() -> impl IntoView {
    let session = use_session();
    view! {
        <div class="chat-page">
            <PageHead path="/chat" />
            <Show
                when=move || session.user.get().is_some()
                fallback=move || session.checked.get().then(|| view! {
                    <p class="panel muted" data-testid="chat-signed-out">
                        <a href="/signin?next=/chat" rel="external">"Sign in"</a>
                        " to message your contacts and groups."
                    </p>
                })
            >
                <Messenger />
            </Show>
        </div>
    }
}

/// The signed-in messenger: its state, its socket, and the two panes.
#[component]
fn Messenger() -> impl IntoView {
    let me = use_session().user.get_untracked().map(|u| u.username).unwrap_or_default();
    let chat = state::Chat::provide(me.clone());
    e2ee::Secrets::provide(me, chat);
    chat.reload_list();
    socket::watch_visibility(chat);
    socket::connect(chat, 0);
    let in_room = move || chat.open.get().is_some();
    view! {
        <div class="messenger" class:in-room=in_room>
            <list::ConversationList />
            <div class="chat-pane">
                <Outlet />
            </div>
        </div>
    }
}

#[component]
fn NoConversation() -> impl IntoView {
    view! {
        <div class="room-empty muted">
            <p>"Pick a chat, or start a new one."</p>
        </div>
    }
}
