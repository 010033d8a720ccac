//! A conversation's info: a group's members and roles, renamed, grown and run by its admins,
//! and left by anyone; the other person of a direct conversation, blocked or unblocked; in an
//! encrypted chat, each other member's safety number.

use crate::{api, state::use_chat};
use app_ui::components::Modal;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::{
    chat::{
        members::Role,
        rest::{ConversationView, Kind, MemberView},
    },
    ApiError,
};

/// What a person can do from the info dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Rename(String),
    Add(Vec<String>),
    Remove(String),
    MakeAdmin(String),
    Leave,
    Block(String),
}

async fn run(id: String, me: String, step: Step) -> Result<Option<ConversationView>, ApiError> {
    match step {
        Step::Rename(title) => api::rename(&id, &title).await.map(Some),
        Step::Add(usernames) => api::add_members(&id, usernames).await.map(Some),
        Step::Remove(username) => api::remove_member(&id, &username).await.map(|_| None),
        Step::MakeAdmin(username) => api::make_admin(&id, &username).await.map(Some),
        Step::Leave => api::remove_member(&id, &me).await.map(|_| None),
        Step::Block(username) => api::answer(&username, "block").await.map(|_| None),
    }
}

#[component]
pub fn InfoDialog(id: String, on_close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let navigate = use_navigate();
    let me = chat.me.get_untracked();
    let conversation = Memo::new({
        let id = id.clone();
        move |_| chat.conversation(&id)
    });
    let group = conversation.with_untracked(|c| c.as_ref().is_some_and(|c| c.kind == Kind::Group));
    let am_admin = {
        let me = me.clone();
        move || {
            conversation.with(|c| {
                c.as_ref()
                    .is_some_and(|c| c.members.iter().any(|m| m.username == me && m.role == Role::Admin))
            })
        }
    };
    let title = RwSignal::new(
        conversation.with_untracked(|c| c.as_ref().map(|c| c.title.clone()).unwrap_or_default()),
    );
    let adding = RwSignal::new(String::new());
    let act = Action::new_unsync({
        let (id, me) = (id.clone(), me.clone());
        move |step: &Step| run(id.clone(), me.clone(), step.clone())
    });
    let error = move || act.value().get().and_then(Result::err).map(|e| e.message);
    // Whether the last step took the person out of the conversation (leaving, blocking).
    let gone = StoredValue::new(false);
    Effect::watch(
        move || act.version().get(),
        move |_, _, _| {
            let Some(Ok(answer)) = act.value().get_untracked() else { return };
            adding.set(String::new());
            match answer {
                // The conversation as it now stands, straight into the list.
                Some(view) => chat.list.update(|l| {
                    if let Some(Ok(items)) = l {
                        if let Some(item) = items.iter_mut().find(|c| c.id == view.id) {
                            *item = view;
                        }
                    }
                }),
                None => chat.reload_list(),
            }
            if gone.get_value() {
                // Not synced again on the next connection (the server would say "no such
                // conversation").
                chat.logs.update(|logs| {
                    logs.remove(&id);
                });
                on_close.run(());
                navigate("/chat", Default::default());
            }
        },
        false,
    );
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        gone.set_value(false);
        act.dispatch(Step::Rename(title.get_untracked()));
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let names = crate::dialogs::usernames(&adding.get_untracked());
        if !names.is_empty() {
            gone.set_value(false);
            act.dispatch(Step::Add(names));
        }
    };
    let admin_only = am_admin.clone();
    view! {
        <Modal labelledby="info-heading" on_close return_to="room-info".to_owned()>
            <h2 id="info-heading">{if group { "Group info" } else { "Contact info" }}</h2>
            <Show when=move || group && admin_only()>
                <form class="inline-form" on:submit=rename>
                    <label class="field grow">"Group name"
                        <input id="group-rename" type="text" maxlength="100" prop:value=move || title.get()
                            on:input=move |ev| title.set(event_target_value(&ev)) />
                    </label>
                    <button type="submit" class="button ghost">"Rename"</button>
                </form>
            </Show>
            <ul class="contact-list member-list">
                {
                    let me = me.clone();
                    let am_admin = am_admin.clone();
                    move || conversation.get().map(|c| c.members.into_iter().map(|m| view! {
                        <MemberRow m me=me.clone() admin=am_admin() group encrypted=c.encrypted act gone />
                    }).collect_view())
                }
            </ul>
            <Show when=move || group && am_admin()>
                <form class="inline-form" on:submit=add>
                    <label class="field grow">"Add people (usernames)"
                        <input id="group-add" type="text" autocomplete="off" autocapitalize="none" prop:value=move || adding.get()
                            on:input=move |ev| adding.set(event_target_value(&ev)) />
                    </label>
                    <button type="submit" class="button ghost">"Add"</button>
                </form>
            </Show>
            <Show when=move || error().is_some()><p class="form-error" role="alert">{error}</p></Show>
            <p class="dialog-actions">
                {group.then(|| view! {
                    <button type="button" class="button danger" on:click=move |_| { gone.set_value(true); act.dispatch(Step::Leave); }>"Leave group"</button>
                })}
                <button type="button" class="button ghost" on:click=move |_| on_close.run(())>"Close"</button>
            </p>
        </Modal>
    }
}

#[component]
fn MemberRow(
    m: MemberView,
    me: String,
    admin: bool,
    group: bool,
    encrypted: bool,
    act: Action<Step, Result<Option<ConversationView>, ApiError>>,
    gone: StoredValue<bool>,
) -> impl IntoView {
    let chat = use_chat();
    let is_me = m.username == me;
    let presence = chat.presence.with_untracked(|p| p.get(&m.username).cloned());
    let (for_admin, for_remove, for_block) = (m.username.clone(), m.username.clone(), m.username.clone());
    let is_admin = m.role == Role::Admin;
    let verifying = RwSignal::new(false);
    let (username, display_name) = (m.username.clone(), m.display_name.clone());
    view! {
        <li data-username=m.username.clone()>
            <span>
                <strong>{m.display_name.clone()}</strong>" "<span class="muted small">"@"{m.username.clone()}</span>
                {is_me.then_some(view! { <span class="muted small">" (you)"</span> })}
                {is_admin.then_some(view! { <span class="badge">"admin"</span> })}
                {(!is_me).then(|| view! { <span class="muted small">" "{crate::when::presence_line(presence)}</span> })}
            </span>
            <span class="contact-actions">
                {(encrypted && !is_me).then(|| view! {
                    <button type="button" class="button ghost small" aria-expanded=move || verifying.get().to_string()
                        on:click=move |_| verifying.update(|v| *v = !*v)>"Safety number"</button>
                })}
                {(group && admin && !is_me && !is_admin).then(|| view! {
                    <button type="button" class="button ghost small" on:click=move |_| { gone.set_value(false); act.dispatch(Step::MakeAdmin(for_admin.clone())); }>"Make admin"</button>
                })}
                {(group && admin && !is_me).then(|| view! {
                    <button type="button" class="button danger small" on:click=move |_| { gone.set_value(false); act.dispatch(Step::Remove(for_remove.clone())); }>"Remove"</button>
                })}
                {(!group && !is_me).then(|| view! {
                    <button type="button" class="button danger small" on:click=move |_| { gone.set_value(false); act.dispatch(Step::Block(for_block.clone())); }>"Block"</button>
                })}
            </span>
            <Show when=move || verifying.get()>
                <crate::safety::SafetyNumber username=username.clone() display_name=display_name.clone() />
            </Show>
        </li>
    }
}
