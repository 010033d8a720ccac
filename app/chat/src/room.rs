//! `/chat/:id`: one conversation — its messages with day separators, replies, reactions and
//! ticks, who is typing, and the composer. `?at=<seq>` opens it at that message (a search hit).

use crate::{
    api,
    composer::Composer,
    e2ee::{is_sealed, use_secrets},
    info::InfoDialog,
    rows::{rows, Row, Tick},
    state::{use_chat, Chat, Outgoing},
    upload::size_text,
    when::{presence_line, time_of},
};
use app_ui::nav::encode;
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};
use shared::chat::{
    e2ee::Opened,
    media::{MediaKind, MediaView},
    rest::{ConversationView, Kind},
    wire::MessageFrame,
};

/// The reactions offered under a message.
pub const QUICK_REACTIONS: [&str; 6] = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

#[component]
pub fn Room() -> impl IntoView {
    let chat = use_chat();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let at = Memo::new(move |_| query.with(|q| q.get("at").and_then(|s| s.parse::<u64>().ok())));
    let missing = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let id = id.get();
        missing.set(None);
        chat.open.set(Some(id.clone()));
        chat.load(id);
    });
    on_cleanup(move || chat.open.set(None));
    // A conversation the list does not hold (older than its newest 200, or not one's own).
    Effect::new(move |_| {
        let id = id.get();
        let listed = chat.list.with(|l| match l {
            Some(Ok(items)) => Some(items.iter().any(|c| c.id == id)),
            _ => None,
        });
        if listed == Some(false) {
            spawn_local(async move {
                match api::conversation(&id).await {
                    Ok(view) => chat.list.update(|l| {
                        if let Some(Ok(items)) = l {
                            if !items.iter().any(|c| c.id == view.id) {
                                items.push(view);
                            }
                        }
                    }),
                    Err(err) => missing.set(Some(err.message)),
                }
            });
        }
    });
    jump_to(chat, id, at);
    let conversation = Memo::new(move |_| chat.conversation(&id.get()));
    let replying = RwSignal::new(None::<MessageFrame>);
    let editing = RwSignal::new(None::<MessageFrame>);
    let info_open = RwSignal::new(false);
    Effect::watch(
        move || id.get(),
        move |_, _, _| {
            replying.set(None);
            editing.set(None);
            info_open.set(false);
        },
        false,
    );

    view! {
        <section class="room" aria-labelledby="room-title">
            {move || match (missing.get(), conversation.get()) {
                (Some(message), _) => view! {
                    <div class="room-empty"><p class="form-error" role="alert">{message}</p>
                        <A href="/chat" attr:class="button ghost">"Back to chats"</A></div>
                }.into_any(),
                (None, None) => view! { <p class="muted loading room-empty">"Opening…"</p> }.into_any(),
                (None, Some(c)) => view! { <RoomHead conversation=c info_open /> }.into_any(),
            }}
            // Outside the head, which is drawn again as the conversation changes.
            {move || info_open.get().then(|| view! {
                <InfoDialog id=id.get_untracked() on_close=Callback::new(move |_| info_open.set(false)) />
            })}
            <Messages id conversation replying editing at />
            <TypingLine id conversation />
            {move || missing.get().is_none().then(|| view! { <Composer id conversation replying editing /> })}
        </section>
    }
}

/// Brings `?at=` into view once its message is held (reading older pages until it is).
fn jump_to(chat: Chat, id: Memo<String>, at: Memo<Option<u64>>) {
    Effect::new(move |_| {
        let (Some(seq), id) = (at.get(), id.get()) else { return };
        let first =
            chat.logs.with(|l| l.get(&id).map(|log| (log.messages.keys().next().copied(), log.has_older)));
        match first {
            Some((Some(first), true)) if first > seq => {
                spawn_local(async move {
                    let _ = chat.load_older(&id).await;
                });
            }
            Some(_) => request_animation_frame(move || {
                if let Some(element) = document().get_element_by_id(&format!("msg-{seq}")) {
                    element.scroll_into_view_with_bool(false);
                    let _ = element.class_list().add_1("found");
                }
            }),
            None => {}
        }
    });
}

#[component]
fn RoomHead(conversation: ConversationView, info_open: RwSignal<bool>) -> impl IntoView {
    let chat = use_chat();
    let other = (conversation.kind == Kind::Direct)
        .then(|| conversation.members.iter().find(|m| m.username != chat.me.get_untracked()).cloned())
        .flatten();
    let count = conversation.members.len();
    let lock = if conversation.encrypted { "🔒 Encrypted · " } else { "" };
    let subtitle = move || match &other {
        Some(other) => {
            lock.to_owned() + &presence_line(chat.presence.with(|p| p.get(&other.username).cloned()))
        }
        None => format!("{lock}{count} members"),
    };
    view! {
        <header class="room-head">
            <A href="/chat" attr:class="button ghost small room-back" attr:aria-label="Back to chats">"‹"</A>
            <div>
                <h2 id="room-title">{conversation.title.clone()}</h2>
                <p class="muted small" data-testid="room-subtitle">{subtitle}</p>
            </div>
            <button type="button" class="button ghost small room-info" id="room-info" on:click=move |_| info_open.set(true)>"Info"</button>
        </header>
    }
}

#[component]
fn Messages(
    id: Memo<String>,
    conversation: Memo<Option<ConversationView>>,
    replying: RwSignal<Option<MessageFrame>>,
    editing: RwSignal<Option<MessageFrame>>,
    at: Memo<Option<u64>>,
) -> impl IntoView {
    let chat = use_chat();
    let picking = RwSignal::new(None::<u64>);
    let older = Action::new_unsync(move |_: &()| async move { chat.load_older(&id.get_untracked()).await });
    let all_rows = Memo::new(move |_| {
        let me = chat.me.get();
        let members: Vec<String> = conversation
            .with(|c| c.as_ref().map(|c| c.members.iter().map(|m| m.username.clone()).collect()))
            .unwrap_or_default();
        chat.logs.with(|l| l.get(&id.get()).map(|log| rows(log, &me, &members)))
    });
    let has_older = move || chat.logs.with(|l| l.get(&id.get()).is_some_and(|log| log.has_older));
    let group = move || conversation.with(|c| c.as_ref().is_some_and(|c| c.kind == Kind::Group));
    let name_of = move |username: &str| {
        conversation
            .with_untracked(|c| {
                c.as_ref()?.members.iter().find(|m| m.username == username).map(|m| m.display_name.clone())
            })
            .unwrap_or_else(|| username.to_owned())
    };
    view! {
        // Reversed, so the view stays at the newest message as messages arrive.
        <div class="room-scroll" data-testid="messages">
            <div class="room-log">
                <Show when=has_older>
                    <button type="button" class="button ghost small load-older" disabled=move || older.pending().get()
                        on:click=move |_| { older.dispatch(()); }>"Show earlier messages"</button>
                </Show>
                {move || match all_rows.get() {
                    None => view! { <p class="muted loading">"Loading messages…"</p> }.into_any(),
                    Some(list) if list.is_empty() => view! {
                        <p class="muted room-hello">"No messages yet. Say hello!"</p>
                    }.into_any(),
                    Some(_) => ().into_any(),
                }}
                <ol class="messages">
                    <For each=move || all_rows.get().unwrap_or_default() key=Row::key let:row>
                        {match row {
                            Row::Day(label) => view! { <li class="day" role="separator">{label}</li> }.into_any(),
                            Row::Message { message, mine, tick, quote } => view! {
                                <MessageItem message mine tick quote group=group() name_of id picking replying editing at />
                            }.into_any(),
                            Row::Outgoing(out) => view! { <OutgoingItem out id /> }.into_any(),
                        }}
                    </For>
                </ol>
            </div>
        </div>
    }
}

#[component]
#[allow(clippy::too_many_arguments)] // One message and the room's shared pieces it acts on.
fn MessageItem(
    message: MessageFrame,
    mine: bool,
    tick: Option<Tick>,
    quote: Option<(String, String)>,
    group: bool,
    name_of: impl Fn(&str) -> String + Copy + 'static,
    id: Memo<String>,
    picking: RwSignal<Option<u64>>,
    replying: RwSignal<Option<MessageFrame>>,
    editing: RwSignal<Option<MessageFrame>>,
    at: Memo<Option<u64>>,
) -> impl IntoView {
    let chat = use_chat();
    let secrets = use_secrets();
    let seq = message.seq;
    let sealed = is_sealed(&message.body);
    let me = chat.me.get_untracked();
    let react = Action::new_unsync(move |choice: &(String, bool)| {
        let (emoji, remove) = choice.clone();
        async move {
            let id = id.get_untracked();
            if remove {
                api::unreact(&id, seq).await
            } else {
                api::react(&id, seq, &emoji).await.map(drop)
            }
        }
    });
    let remove =
        Action::new_unsync(move |_: &()| async move { api::delete_message(&id.get_untracked(), seq).await });
    let failure = move || {
        react
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| remove.value().get().and_then(Result::err))
            .map(|e| e.message)
    };
    let my_emoji = message.reactions.iter().find(|r| r.users.contains(&me)).map(|r| r.emoji.clone());
    let sender_name = name_of(&message.sender);
    let for_reply = message.clone();
    let for_edit = message.clone();
    let versions =
        Action::new_unsync(move |_: &()| async move { api::versions(&id.get_untracked(), seq).await });
    let show_versions = RwSignal::new(false);
    let deletable = mine && !message.deleted && crate::when::within_minutes(&message.sent_at, 15.0);
    let class = format!(
        "msg {}{}",
        if mine { "mine" } else { "theirs" },
        if at.get_untracked() == Some(seq) { " found" } else { "" }
    );
    view! {
        <li class=class id=format!("msg-{seq}") data-seq=seq.to_string()>
            {(group && !mine).then(|| view! { <span class="msg-sender">{sender_name.clone()}</span> })}
            {quote.map(|(who, text)| view! {
                <a class="msg-quote" href=format!("#msg-{}", message.reply_to.unwrap_or(0))>
                    <strong>{name_of(&who)}</strong>" "{text}
                </a>
            })}
            {message.media.clone().map(|media| view! { <Attachment media /> })}
            {message.sticker.as_deref().and_then(|s| shared::chat::stickers::find(s).ok()).map(|s| view! {
                <span class="msg-sticker" inner_html=s.svg()></span>
            })}
            {if message.deleted {
                view! { <p class="msg-body deleted">"This message was deleted."</p> }.into_any()
            } else if message.body.is_empty() {
                ().into_any()
            } else if sealed {
                let (for_class, for_text) = (message.clone(), message.clone());
                view! {
                    <p class="msg-body" class:deleted=move || !matches!(secrets.text(&for_class), Some(Opened::Text(_))) data-sealed="true">
                        {move || secrets.text(&for_text).map_or_else(|| "🔒 Decrypting…".to_owned(), |o| o.shown())}
                    </p>
                }.into_any()
            } else {
                view! { <p class="msg-body">{message.body.clone()}</p> }.into_any()
            }}
            <span class="msg-meta">
                {match (message.edited, mine) {
                    (true, true) => Some(view! {
                        <button type="button" class="link-button edited" title="Earlier versions"
                            on:click=move |_| {
                                show_versions.update(|s| *s = !*s);
                                if show_versions.get_untracked() { versions.dispatch(()); }
                            }>"edited"</button>" · "
                    }.into_any()),
                    (true, false) => Some(view! { <span>"edited · "</span> }.into_any()),
                    _ => None,
                }}
                <time datetime=message.sent_at.clone()>{time_of(&message.sent_at)}</time>
                {tick.map(|t| view! { <span class=format!("tick {}", t.class()) data-tick=t.class() title=t.title()>{t.mark()}</span> })}
            </span>
            <Show when=move || show_versions.get()>
                <div class="versions small muted" data-testid="versions">
                    {move || versions.value().get().map(|answer| match answer {
                        Ok(list) => view! {
                            <ol>{list.items.into_iter().map(|v| view! {
                                <li>{v.body}" "<span>"(until "{time_of(&v.replaced_at)}")"</span></li>
                            }).collect_view()}</ol>
                        }.into_any(),
                        Err(err) => view! { <p class="form-error">{err.message}</p> }.into_any(),
                    })}
                </div>
            </Show>
            {(!message.reactions.is_empty()).then(|| view! {
                <p class="reactions">
                    {message.reactions.iter().map(|r| {
                        let emoji = r.emoji.clone();
                        let is_mine = r.users.contains(&me);
                        let who = r.users.iter().map(|u| name_of(u)).collect::<Vec<_>>().join(", ");
                        view! {
                            <button type="button" class=if is_mine { "reaction mine" } else { "reaction" } title=who
                                on:click=move |_| { react.dispatch((emoji.clone(), is_mine)); }>
                                {r.emoji.clone()}" "{r.users.len()}
                            </button>
                        }
                    }).collect_view()}
                </p>
            })}
            {(!message.deleted).then(|| view! {
                <p class="msg-actions">
                    <button type="button" class="link-button" on:click=move |_| replying.set(Some(for_reply.clone()))>"Reply"</button>
                    <button type="button" class="link-button" aria-expanded=move || (picking.get() == Some(seq)).to_string()
                        on:click=move |_| picking.update(|p| *p = if *p == Some(seq) { None } else { Some(seq) })>"React"</button>
                    // A sealed message is not edited (its words would need sealing anew).
                    {(deletable && !message.body.is_empty() && !sealed).then(|| view! {
                        <button type="button" class="link-button" on:click=move |_| editing.set(Some(for_edit.clone()))>"Edit"</button>
                    })}
                    {deletable.then(|| view! {
                        <button type="button" class="link-button danger" disabled=move || remove.pending().get()
                            on:click=move |_| { remove.dispatch(()); }>"Delete"</button>
                    })}
                </p>
            })}
            <Show when=move || picking.get() == Some(seq)>
                <p class="reaction-picker" role="group" aria-label="React with">
                    {QUICK_REACTIONS.iter().map(|emoji| {
                        let again = my_emoji.as_deref() == Some(*emoji);
                        view! {
                            <button type="button" class="reaction-choice" aria-label=format!("React {emoji}")
                                on:click=move |_| { picking.set(None); react.dispatch(((*emoji).to_owned(), again)); }>{*emoji}</button>
                        }
                    }).collect_view()}
                </p>
            </Show>
            <Show when=move || failure().is_some()><p class="form-error small" role="alert">{failure}</p></Show>
        </li>
    }
}

#[component]
fn OutgoingItem(out: Outgoing, id: Memo<String>) -> impl IntoView {
    let chat = use_chat();
    let shown = if is_sealed(&out.body) {
        use_secrets().sending(&out.client_id).unwrap_or_default()
    } else {
        out.body.clone()
    };
    let (retry_id, discard_id) = (out.client_id.clone(), out.client_id.clone());
    view! {
        <li class="msg mine outgoing" data-client-id=out.client_id.clone()>
            {out.media.clone().map(|media| view! { <Attachment media /> })}
            {out.sticker.as_deref().and_then(|s| shared::chat::stickers::find(s).ok()).map(|s| view! {
                <span class="msg-sticker" inner_html=s.svg()></span>
            })}
            {(!shown.is_empty()).then(|| view! { <p class="msg-body">{shown}</p> })}
            {match out.failed.clone() {
                None => view! {
                    <span class="msg-meta"><span class="tick pending" data-tick="pending" title="Sending…">"🕓"</span></span>
                }.into_any(),
                Some(reason) => view! {
                    <p class="form-error small" role="alert">"Not sent: "{reason}" "
                        <button type="button" class="link-button" on:click=move |_| chat.retry(&id.get_untracked(), &retry_id)>"Try again"</button>" · "
                        <button type="button" class="link-button" on:click=move |_| chat.discard(&id.get_untracked(), &discard_id)>"Discard"</button>
                    </p>
                }.into_any(),
            }}
        </li>
    }
}

/// A file in a message: a picture (its thumbnail, opening the full one), a player for video and
/// sound, a download for anything else.
#[component]
fn Attachment(media: MediaView) -> impl IntoView {
    let src = format!("/api/chat/media/{}", encode(&media.id));
    let thumb = media.has_thumbnail.then(|| format!("{src}/thumbnail"));
    let (width, height) = (media.width.map(|w| w.to_string()), media.height.map(|h| h.to_string()));
    match media.kind {
        MediaKind::Image => {
            let shown = thumb.unwrap_or_else(|| src.clone());
            view! {
                <a class="msg-media" href=src target="_blank" rel="noopener">
                    <img class="msg-image" src=shown alt=media.name.clone() width=width height=height loading="lazy" />
                </a>
            }
            .into_any()
        }
        MediaKind::Video => view! {
            <video class="msg-media msg-video" controls preload="metadata" src=src poster=thumb width=width height=height></video>
        }
        .into_any(),
        MediaKind::Audio => view! { <audio class="msg-media msg-audio" controls preload="metadata" src=src></audio> }.into_any(),
        MediaKind::File => view! {
            <a class="msg-file" href=src download=media.name.clone()>
                <span aria-hidden="true">"📄"</span>
                <span><strong>{media.name.clone()}</strong><br /><span class="muted small">{size_text(media.size)}</span></span>
            </a>
        }
        .into_any(),
    }
}

#[component]
fn TypingLine(id: Memo<String>, conversation: Memo<Option<ConversationView>>) -> impl IntoView {
    let chat = use_chat();
    let line = move || {
        let now = js_sys::Date::now();
        let names: Vec<String> = chat.typing.with(|t| {
            t.get(&id.get())
                .map(|l| l.iter().filter(|(_, until)| *until > now).map(|(u, _)| u.clone()).collect())
                .unwrap_or_default()
        });
        let names: Vec<String> = names
            .iter()
            .map(|u| {
                conversation
                    .with(|c| {
                        c.as_ref()?.members.iter().find(|m| &m.username == u).map(|m| m.display_name.clone())
                    })
                    .unwrap_or_else(|| u.clone())
            })
            .collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => format!("{one} is typing…"),
            more => format!("{} are typing…", more.join(", ")),
        }
    };
    view! { <p class="typing muted small" aria-live="polite" data-testid="typing">{line}</p> }
}
