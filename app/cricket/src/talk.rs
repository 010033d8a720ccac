//! A live match's chat and polls: the polls on top (vote once, then see the results grow), the
//! chat below with a box to write in. The match's scorers moderate: they open and close polls,
//! take messages down and mute people for ten minutes.

use crate::{api, live::Follow};
use app_ui::session::use_session;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use shared::cricket::talk::{ChatMessage, Poll, PollKind, MAX_MESSAGE_CHARS};

/// How long the mute button keeps someone out.
const MUTE_MINUTES: u32 = 10;

#[component]
pub fn TalkTab(id: String, follow: Follow, moderators: Vec<String>) -> impl IntoView {
    let session = use_session();
    let me = move || session.user.get().map(|u| u.username);
    let moderators = StoredValue::new(moderators);
    let moderating =
        Memo::new(move |_| me().is_some_and(|name| moderators.with_value(|m| m.contains(&name))));
    let error = RwSignal::new(None::<String>);
    let loaded = {
        let id = id.clone();
        LocalResource::new(move || {
            let id = id.clone();
            // Reloaded when the session is known: the polls then say how this person voted.
            session.user.track();
            async move {
                let page = api::chat(&id).await?;
                let polls = api::polls(&id).await?;
                follow.add_messages(page.messages);
                for poll in polls {
                    follow.merge_poll(poll);
                }
                Ok::<(), shared::ApiError>(())
            }
        })
    };
    let id = StoredValue::new(id);
    view! {
        <section role="tabpanel" class="pay-tabpanel talk" data-testid="talk">
            {move || loaded.get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="talk-error">{e}</p> })}
            <Show when=move || moderating.get()>
                <div class="row poll-open">
                    <span class="muted small">"Open a poll:"</span>
                    {[(PollKind::Winner, "Who wins?"), (PollKind::NextWicket, "Next wicket?")].into_iter().map(|(kind, label)| view! {
                        <button type="button" class="button ghost small" data-testid=format!("open-poll-{label}")
                            on:click=move |_| {
                                let kind = kind.clone();
                                spawn_local(async move {
                                    match api::open_poll(&id.get_value(), kind).await {
                                        Ok(poll) => { follow.merge_poll(poll); error.set(None); }
                                        Err(e) => error.set(Some(e.message)),
                                    }
                                });
                            }>{label}</button>
                    }).collect_view()}
                </div>
            </Show>
            {move || {
                let (moderating, signed_in) = (moderating.get(), me().is_some());
                view! {
                    <For each=move || follow.polls.get() key=|p| (p.id.clone(), p.total, p.closed, p.my_vote) let(poll)>
                        <PollView poll id=id.get_value() follow error moderating signed_in />
                    </For>
                }
            }}
            {move || {
                let (moderating, me) = (moderating.get(), me());
                view! {
                    <ol class="chat" data-testid="chat" aria-live="polite">
                        <For each=move || follow.messages.get() key=|m| m.id.clone() let(message)>
                            <MessageView message id=id.get_value() follow error me=me.clone() moderating />
                        </For>
                    </ol>
                }
            }}
            {move || follow.messages.with(Vec::is_empty).then(|| view! { <p class="muted small">"No messages yet: say something."</p> })}
            {move || match me() {
                Some(_) => view! { <Compose id=id.get_value() follow error /> }.into_any(),
                None => view! { <p class="muted"><a href="/signin?next=/cricket" rel="external">"Sign in"</a>" to chat and vote."</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn PollView(
    poll: Poll,
    id: String,
    follow: Follow,
    error: RwSignal<Option<String>>,
    moderating: bool,
    signed_in: bool,
) -> impl IntoView {
    let shares = poll.shares();
    let can_vote = signed_in && !poll.closed && poll.my_vote.is_none();
    let poll_id = StoredValue::new(poll.id.clone());
    let id = StoredValue::new(id);
    let status = match (poll.closed, poll.total) {
        (false, 1) => "1 vote".to_owned(),
        (false, n) => format!("{n} votes"),
        (true, 1) => "Closed · 1 vote".to_owned(),
        (true, n) => format!("Closed · {n} votes"),
    };
    view! {
        <div class="panel poll" data-testid="poll">
            <p class="strong">{poll.question.clone()}</p>
            <ul class="poll-options">
                {poll.options.iter().enumerate().map(|(i, option)| {
                    let mine = poll.my_vote == Some(i as u32);
                    let share = shares.get(i).copied().unwrap_or(0);
                    let label = format!("{option}{}", if mine { " ✓" } else { "" });
                    view! {
                        <li>
                            {if can_vote {
                                view! {
                                    <button type="button" class="button ghost poll-choice" data-testid="vote"
                                        on:click=move |_| spawn_local(async move {
                                            match api::vote(&id.get_value(), &poll_id.get_value(), i as u32).await {
                                                Ok(poll) => { follow.merge_poll(poll); error.set(None); }
                                                Err(e) => error.set(Some(e.message)),
                                            }
                                        })>{label}</button>
                                }.into_any()
                            } else {
                                view! {
                                    <span class="poll-result">
                                        <span>{label}</span>
                                        <progress max="100" value=share.to_string()>{format!("{share}%")}</progress>
                                        <span class="muted small">{format!("{share}%")}</span>
                                    </span>
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="muted small" data-testid="poll-status">{status}</p>
            {(moderating && !poll.closed).then(|| view! {
                <button type="button" class="button ghost small" data-testid="close-poll"
                    on:click=move |_| spawn_local(async move {
                        match api::close_poll(&id.get_value(), &poll_id.get_value()).await {
                            Ok(poll) => follow.merge_poll(poll),
                            Err(e) => error.set(Some(e.message)),
                        }
                    })>"Close the poll"</button>
            })}
        </div>
    }
}

#[component]
fn MessageView(
    message: ChatMessage,
    id: String,
    follow: Follow,
    error: RwSignal<Option<String>>,
    me: Option<String>,
    moderating: bool,
) -> impl IntoView {
    let mine = me.as_deref() == Some(message.username.as_str());
    let id = StoredValue::new(id);
    let message_id = StoredValue::new(message.id.clone());
    let author = StoredValue::new(message.username.clone());
    // The row may be gone when the answer comes (the socket's news of the removal is often
    // first): everything read after the wait was copied before it.
    let remove = move |_| {
        let (match_id, gone) = (id.get_value(), message_id.get_value());
        spawn_local(async move {
            match api::remove_chat(&match_id, &gone).await {
                Ok(()) => {
                    let _ = follow.messages.try_update(|all| all.retain(|m| m.id != gone));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        })
    };
    let mute = move |_| {
        let (match_id, who) = (id.get_value(), author.get_value());
        spawn_local(async move {
            let said = match api::mute(&match_id, &who, MUTE_MINUTES).await {
                Ok(_) => format!("{who} is muted for {MUTE_MINUTES} minutes."),
                Err(e) => e.message,
            };
            let _ = error.try_set(Some(said));
        })
    };
    view! {
        <li class="chat-line" data-testid="chat-message">
            <span class=if message.moderator { "who moderator" } else { "who" }>{message.username.clone()}</span>
            " "
            <span class="text">{message.body.clone()}</span>
            {(mine || moderating).then(|| view! {
                <button type="button" class="link-button small" on:click=remove data-testid="remove-message">"Remove"</button>
            })}
            {(moderating && !mine && !message.moderator).then(|| view! {
                <button type="button" class="link-button small" on:click=mute data-testid="mute">"Mute"</button>
            })}
        </li>
    }
}

#[component]
fn Compose(id: String, follow: Follow, error: RwSignal<Option<String>>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let id = StoredValue::new(id);
    let send = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked();
        if body.trim().is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::send_chat(&id.get_value(), &body).await {
                Ok(message) => {
                    follow.add_messages(vec![message]);
                    text.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="row compose" on:submit=send>
            <input type="text" aria-label="Message" placeholder="Say something about the match" maxlength=MAX_MESSAGE_CHARS.to_string()
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) data-testid="chat-input" />
            <button type="submit" class="button primary" disabled=move || busy.get() data-testid="chat-send">"Send"</button>
        </form>
    }
}
