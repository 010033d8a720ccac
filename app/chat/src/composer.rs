//! The line a message is written in: Enter sends (Shift+Enter is a new line), the draft is
//! kept per conversation (in this browser) until sent, the others see "typing" at most every
//! few seconds, a reply shows what it answers, an emoji panel inserts at the caret, and a file
//! (a picture, a video, a sound, anything up to 25 MB) goes up first and is sent with the words
//! as its caption. In an end-to-end encrypted chat the words are sealed here before they leave
//! (files and stickers are not offered there: the server would see them).

use crate::{
    e2ee::use_secrets,
    emoji::EMOJI,
    state::use_chat,
    upload::{size_text, upload},
};
use leptos::{prelude::*, task::spawn_local, wasm_bindgen::JsCast};
use shared::chat::{
    media::MediaView,
    rest::ConversationView,
    stickers::STICKERS,
    wire::{ClientFrame, MessageFrame},
};

/// At most one typing frame per this many milliseconds.
const TYPING_EVERY_MS: f64 = 3_000.0;

fn draft_key(id: &str) -> String {
    format!("dozen.chat.draft.{id}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load_draft(id: &str) -> String {
    storage().and_then(|s| s.get_item(&draft_key(id)).ok().flatten()).unwrap_or_default()
}

fn save_draft(id: &str, text: &str) {
    let Some(storage) = storage() else { return };
    let _ = if text.is_empty() {
        storage.remove_item(&draft_key(id))
    } else {
        storage.set_item(&draft_key(id), text)
    };
}

#[component]
pub fn Composer(
    id: Memo<String>,
    conversation: Memo<Option<ConversationView>>,
    replying: RwSignal<Option<MessageFrame>>,
    editing: RwSignal<Option<MessageFrame>>,
) -> impl IntoView {
    let chat = use_chat();
    let secrets = use_secrets();
    let encrypted = move || conversation.with(|c| c.as_ref().is_some_and(|c| c.encrypted));
    let quoted = move |m: &MessageFrame| match secrets.text(m) {
        Some(shared::chat::e2ee::Opened::Text(words)) => words,
        _ if crate::e2ee::is_sealed(&m.body) => "🔒 Encrypted message".to_owned(),
        _ => m.body.clone(),
    };
    // Words being sealed (an encrypted chat): the line waits until they are on their way.
    let sealing = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let emoji_open = RwSignal::new(false);
    let last_typing = StoredValue::new(0f64);
    let input = NodeRef::<leptos::html::Textarea>::new();
    let picker = NodeRef::<leptos::html::Input>::new();
    // The file uploaded for the next message, and one on its way up.
    let attached = RwSignal::new(None::<MediaView>);
    let uploading = RwSignal::new(None::<String>);
    let upload_error = RwSignal::new(None::<String>);
    // A voice note: `Some(0.0)` while the microphone is asked for, then since when (ms);
    // `now` moves its clock. The microphone is let go when the composer goes.
    let recording = RwSignal::new(None::<f64>);
    let now = RwSignal::new(0f64);
    let stop_recording = move || {
        if recording.try_get_untracked().flatten().is_some() {
            recording.set(None);
            spawn_local(async move {
                let _ = secrets.record("record_cancel").await;
            });
        }
    };
    on_cleanup(stop_recording);
    // Each conversation opens with its own draft; a recording does not follow the person there.
    Effect::new(move |_| {
        text.set(load_draft(&id.get()));
        stop_recording();
        emoji_open.set(false);
        attached.set(None);
        upload_error.set(None);
    });
    // Editing puts the message's words in the line; sending then replaces them (the draft
    // comes back after).
    Effect::watch(
        move || editing.get().map(|m| m.seq),
        move |seq, _, _| {
            if seq.is_some() {
                text.set(editing.get_untracked().map(|m| m.body).unwrap_or_default());
                replying.set(None);
            }
        },
        false,
    );
    let edit = Action::new_unsync(move |(seq, body): &(u64, String)| {
        let (seq, body) = (*seq, body.clone());
        async move { crate::api::edit(&id.get_untracked(), seq, &body).await }
    });
    Effect::watch(
        move || edit.version().get(),
        move |_, _, _| match edit.value().get_untracked() {
            Some(Ok(_)) => {
                editing.set(None);
                text.set(load_draft(&id.get_untracked()));
            }
            Some(Err(err)) => upload_error.set(Some(err.message)),
            None => {}
        },
        false,
    );
    let send = move || {
        if let Some(message) = editing.get_untracked() {
            let body = text.get_untracked();
            if !body.trim().is_empty() && !edit.pending().get_untracked() {
                upload_error.set(None);
                edit.dispatch((message.seq, body));
            }
            return;
        }
        let body = text.get_untracked();
        let media = attached.get_untracked();
        if (body.trim().is_empty() && media.is_none()) || uploading.get_untracked().is_some() {
            return;
        }
        let open_now = id;
        let id = id.get_untracked();
        let body = if body.trim().is_empty() { String::new() } else { body };
        let reply_to = replying.get_untracked().map(|m| m.seq);
        let (draft, words) = (id.clone(), body.clone());
        // Once on its way (a sealed message takes a moment): what was typed or opened since
        // stays.
        let sent = move || {
            if open_now.get_untracked() != draft {
                return;
            }
            if text.get_untracked() == words {
                text.set(String::new());
                save_draft(&draft, "");
            }
            replying.set(None);
            attached.set(None);
            emoji_open.set(false);
        };
        match conversation.get_untracked() {
            // Not known yet, so neither is whether its words must be sealed: they stay here.
            None => {}
            Some(view) if view.encrypted && !sealing.get_untracked() && chat.is_loaded(&view.id) => {
                sealing.set(true);
                upload_error.set(None);
                spawn_local(async move {
                    let client_id = app_ui::api::new_key();
                    let answer = secrets.seal(&view, &body, &client_id).await;
                    sealing.set(false);
                    match answer {
                        Ok(envelope) => {
                            if chat.post_as(client_id, &view.id, envelope, reply_to, None, None) {
                                sent();
                            }
                        }
                        Err(why) => upload_error.set(Some(why)),
                    }
                });
            }
            // Not open yet, or the last words are still being sealed.
            Some(view) if view.encrypted => {}
            // Not open yet: the words stay where they are.
            Some(_) if chat.post(&id, body, reply_to, media, None) => sent(),
            Some(_) => {}
        }
    };
    let on_file = move |_| {
        let Some(file) = picker.get_untracked().and_then(|p| p.files()).and_then(|f| f.get(0)) else {
            return;
        };
        if let Some(p) = picker.get_untracked() {
            p.set_value(""); // the same file can be picked again
        }
        let conversation = id.get_untracked();
        uploading.set(Some(file.name()));
        upload_error.set(None);
        spawn_local(async move {
            let answer = upload(&conversation, file).await;
            uploading.set(None);
            // The person may have moved to another conversation meanwhile.
            if id.try_get_untracked().as_ref() != Some(&conversation) {
                return;
            }
            match answer {
                Ok(media) => attached.set(Some(media)),
                Err(err) => upload_error.set(Some(err.message)),
            }
        });
    };
    let record = move |_| {
        let failed = move |why: String| upload_error.set(Some(format!("Could not record: {why}.")));
        match recording.get_untracked() {
            None => {
                recording.set(Some(0.0));
                upload_error.set(None);
                spawn_local(async move {
                    let started = secrets.record("record_start").await;
                    match started {
                        // Still wanted (not cancelled by a move meanwhile).
                        Ok(_) if recording.try_get_untracked() == Some(Some(0.0)) => {
                            let since = js_sys::Date::now();
                            now.set(since);
                            recording.set(Some(since));
                            tick(now, recording, since);
                        }
                        Ok(_) => {
                            let _ = secrets.record("record_cancel").await;
                        }
                        Err(why) => {
                            recording.set(None);
                            failed(why);
                        }
                    }
                });
            }
            Some(0.0) => {}
            // Stopped: the note goes on its own (no words, no other file) to the conversation it
            // was recorded in, as soon as it is up, wherever the person is by then (the
            // composer may be gone: only `try_` reads after this point).
            Some(_) => {
                recording.set(None);
                let conversation = id.get_untracked();
                let reply_to = replying.get_untracked().map(|m| m.seq);
                uploading.set(Some("your voice note".to_owned()));
                spawn_local(async move {
                    let note = secrets.record("record_finish").await;
                    let sent = match note.and_then(|f| f.dyn_into().map_err(|_| "no file".to_owned())) {
                        Ok(file) => upload(&conversation, file).await.map_err(|e| e.message),
                        Err(why) => Err(format!("Could not record: {why}.")),
                    };
                    uploading.set(None);
                    match sent {
                        Ok(media) => {
                            let here = id.try_get_untracked().as_ref() == Some(&conversation);
                            if chat.post(&conversation, String::new(), reply_to, Some(media), None) && here {
                                replying.set(None);
                            }
                        }
                        Err(why) => upload_error.set(Some(why)),
                    }
                });
            }
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if editing.get_untracked().is_none() {
            save_draft(&id.get_untracked(), &value);
        }
        text.set(value);
        let now = js_sys::Date::now();
        if now - last_typing.get_value() > TYPING_EVERY_MS {
            last_typing.set_value(now);
            chat.send(&ClientFrame::Typing { conversation: id.get_untracked() });
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            send();
        }
    };
    let send_sticker = move |sticker: &'static str| {
        if chat.post(
            &id.get_untracked(),
            String::new(),
            replying.get_untracked().map(|m| m.seq),
            None,
            Some(sticker.to_owned()),
        ) {
            replying.set(None);
            emoji_open.set(false);
        }
    };
    let insert = move |emoji: &'static str| {
        let Some(area) = input.get_untracked() else { return };
        let area: &web_sys::HtmlTextAreaElement = area.unchecked_ref();
        let value = text.get_untracked();
        // The caret counts UTF-16 units; the text is cut at the same place.
        let units: Vec<u16> = value.encode_utf16().collect();
        let at = area.selection_start().ok().flatten().map_or(units.len(), |n| (n as usize).min(units.len()));
        let next = String::from_utf16_lossy(&units[..at]) + emoji + &String::from_utf16_lossy(&units[at..]);
        save_draft(&id.get_untracked(), &next);
        text.set(next);
        let caret = (at + emoji.encode_utf16().count()) as u32;
        request_animation_frame(move || {
            let _ = area_focus(input, caret);
        });
    };
    view! {
        <form class="composer" on:submit=move |ev| { ev.prevent_default(); send(); }>
            {move || editing.get().map(|_| view! {
                <p class="replying small" data-testid="editing">
                    <span>"Editing your message"</span>
                    <button type="button" class="link-button" aria-label="Cancel the edit" on:click=move |_| {
                        editing.set(None);
                        text.set(load_draft(&id.get_untracked()));
                    }>"✕"</button>
                </p>
            })}
            {move || replying.get().map(|m| view! {
                <p class="replying small">
                    <span>"Replying to "<strong>{m.sender.clone()}</strong>": "{quoted(&m).chars().take(60).collect::<String>()}</span>
                    <button type="button" class="link-button" aria-label="Cancel the reply" on:click=move |_| replying.set(None)>"✕"</button>
                </p>
            })}
            {move || uploading.get().map(|name| view! {
                <p class="attached small muted" aria-live="polite"><span class="spinner" aria-hidden="true"></span>"Uploading "{name}"…"</p>
            })}
            {move || attached.get().map(|m| view! {
                <p class="attached small" data-testid="attached">
                    <span>"📎 "<strong>{m.name.clone()}</strong>" · "{size_text(m.size)}</span>
                    <button type="button" class="link-button" aria-label="Remove the file" on:click=move |_| attached.set(None)>"✕"</button>
                </p>
            })}
            <Show when=move || upload_error.get().is_some()>
                <p class="form-error small" role="alert">{move || upload_error.get()}</p>
            </Show>
            <Show when=move || emoji_open.get()>
                <div class="emoji-panel" role="group" aria-label="Emoji">
                    {EMOJI.iter().map(|e| view! {
                        <button type="button" class="emoji-choice" on:click=move |_| insert(e)>{*e}</button>
                    }).collect_view()}
                    <p class="sticker-row" role="group" aria-label="Stickers" hidden=encrypted>
                        {STICKERS.iter().map(|s| view! {
                            <button type="button" class="sticker-choice" aria-label=format!("Send the sticker {}", s.caption)
                                on:click=move |_| send_sticker(s.id) inner_html=s.svg()></button>
                        }).collect_view()}
                    </p>
                </div>
            </Show>
            <div class="composer-row">
                <button type="button" class="button ghost small emoji-toggle" aria-label="Emoji"
                    aria-expanded=move || emoji_open.get().to_string()
                    on:click=move |_| emoji_open.update(|o| *o = !*o)>"😊"</button>
                <Show when=move || conversation.with(|c| c.as_ref().is_some_and(|c| !c.encrypted))>
                    <label class="button ghost small attach" title="Send a file (up to 25 MB)">
                        <span aria-hidden="true">"📎"</span><span class="visually-hidden">"Attach a file"</span>
                        <input type="file" node_ref=picker class="visually-hidden" on:change=on_file />
                    </label>
                    <button type="button" id="record" class="button ghost small record" hidden=move || !secrets.can_record()
                        class:recording=move || recording.with(Option::is_some) disabled=move || uploading.with(Option::is_some)
                        aria-label=move || if recording.with(Option::is_some) { "Stop and send the voice note" } else { "Record a voice note" }
                        on:click=record>
                        {move || match recording.get() {
                            None => "🎤".to_owned(),
                            Some(0.0) => "■ 0:00".to_owned(),
                            Some(since) => format!("■ {}", clock(now.get() - since)),
                        }}
                    </button>
                </Show>
                <label class="visually-hidden" for="composer-text">"Message"</label>
                <textarea id="composer-text" node_ref=input rows="1" maxlength="4000"
                    placeholder=move || if encrypted() { "Encrypted message" } else { "Message" }
                    prop:value=move || text.get() on:input=on_input on:keydown=on_key></textarea>
                <button type="submit" class="button primary"
                    disabled=move || (text.with(|t| t.trim().is_empty()) && attached.with(Option::is_none))
                        || uploading.with(Option::is_some) || sealing.get() || !chat.is_loaded(&id.get())
                        || conversation.with(Option::is_none)>"Send"</button>
            </div>
        </form>
    }
}

/// Moves a recording's clock every half second while it runs.
fn tick(now: RwSignal<f64>, recording: RwSignal<Option<f64>>, since: f64) {
    if recording.try_get_untracked().flatten() == Some(since) {
        now.set(js_sys::Date::now());
        crate::socket::after_ms(500, move || tick(now, recording, since));
    }
}

/// `0:07`, `1:42`: how long a recording has run.
fn clock(ms: f64) -> String {
    let seconds = (ms / 1000.0) as u64;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

fn area_focus(input: NodeRef<leptos::html::Textarea>, caret: u32) -> Option<()> {
    let area = input.get_untracked()?;
    let area: &web_sys::HtmlTextAreaElement = area.unchecked_ref();
    area.focus().ok()?;
    area.set_selection_range(caret, caret).ok()
}
