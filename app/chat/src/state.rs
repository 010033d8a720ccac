//! What the chat page knows, shared by its panes: the conversation list, each opened
//! conversation's log (messages in seq order, the device's `Inbox`, messages still on their
//! way out, every member's receipt marks), presence and who is typing. Frames from the socket
//! land here (`Chat::on_frame`); the panes only read.

use crate::api;
use app_ui::socket::Socket;
use leptos::{prelude::*, task::spawn_local};
use shared::{
    chat::{
        inbox::{Inbox, Received},
        media::MediaView,
        presence::Status,
        receipts::{progress, Marks, Progress},
        rest::{ConversationView, LastMessage},
        wire::{ClientFrame, FrameErrorCode, MessageFrame, ServerFrame},
    },
    ApiError,
};
use std::collections::{BTreeMap, HashMap};

/// How long "… is typing" stays after the last typing frame.
const TYPING_SHOWN_MS: f64 = 6_000.0;
/// How long an early message waits for the one before it before the device asks again.
const GAP_WAIT_MS: i32 = 2_000;
/// Messages read per page of history.
pub const PAGE: u32 = 50;

/// A message this device sent that the server has not yet echoed back with its seq.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub client_id: String,
    pub body: String,
    pub reply_to: Option<u64>,
    /// The file it carries, already uploaded.
    pub media: Option<MediaView>,
    /// The sticker it is.
    pub sticker: Option<String>,
    /// Why the server refused it (then it is not sent again by itself).
    pub failed: Option<String>,
}

/// One conversation as this device holds it, once opened.
#[derive(Debug, Clone)]
pub struct Log {
    pub messages: BTreeMap<u64, MessageFrame>,
    pub outgoing: Vec<Outgoing>,
    /// Hands on each seq once and in order, across reconnects.
    inbox: Inbox<MessageFrame>,
    /// Whether older messages than the first held are on the server.
    pub has_older: bool,
    /// Each member's marks (by username), as this person may see them.
    pub marks: HashMap<String, Marks>,
}

impl Log {
    /// The seq this device holds everything up to.
    pub fn resume_after(&self) -> u64 {
        self.inbox.resume_after()
    }

    pub fn newest_seq(&self) -> u64 {
        self.messages.keys().next_back().copied().unwrap_or(0)
    }

    /// How far the others are with message `seq` (every member but `sender`).
    pub fn progress(&self, seq: u64, sender: &str, members: &[String]) -> Progress {
        let others: Vec<Marks> = members
            .iter()
            .filter(|m| m.as_str() != sender)
            .map(|m| self.marks.get(m).copied().unwrap_or_default())
            .collect();
        progress(seq, &others)
    }
}

/// The socket as the person sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Live,
    /// Closed; trying again soon.
    Waiting,
}

#[derive(Clone, Copy)]
pub struct Chat {
    /// The signed-in person's username.
    pub me: RwSignal<String>,
    /// The conversation list: `None` until first loaded.
    pub list: RwSignal<Option<Result<Vec<ConversationView>, ApiError>>>,
    pub logs: RwSignal<HashMap<String, Log>>,
    /// Contacts' presence: status and last seen (RFC 3339, when shown).
    pub presence: RwSignal<HashMap<String, (Status, Option<String>)>>,
    /// Conversation → who is typing, until when (ms).
    pub typing: RwSignal<HashMap<String, Vec<(String, f64)>>>,
    pub link: RwSignal<Link>,
    /// The conversation on screen, if any.
    pub open: RwSignal<Option<String>>,
    /// Whether the page is in view (a message shown in a hidden tab is not read).
    pub visible: RwSignal<bool>,
    /// A refusal the socket reported that belongs to no message (too fast, and the like).
    pub notice: RwSignal<Option<String>>,
    socket: StoredValue<Option<Socket>, LocalStorage>,
    /// The read mark last sent per conversation (nothing is sent twice).
    read_sent: StoredValue<HashMap<String, u64>>,
}

pub fn use_chat() -> Chat {
    expect_context::<Chat>()
}

impl Chat {
    pub fn provide(me: String) -> Chat {
        let chat = Chat {
            me: RwSignal::new(me),
            list: RwSignal::new(None),
            logs: RwSignal::new(HashMap::new()),
            presence: RwSignal::new(HashMap::new()),
            typing: RwSignal::new(HashMap::new()),
            link: RwSignal::new(Link::Connecting),
            open: RwSignal::new(None),
            visible: RwSignal::new(crate::socket::page_visible()),
            notice: RwSignal::new(None),
            socket: StoredValue::new_local(None),
            read_sent: StoredValue::new(HashMap::new()),
        };
        provide_context(chat);
        chat
    }

    pub(crate) fn set_socket(&self, socket: Socket) {
        // Gone with the messenger, the socket closes as it drops.
        let _ = self.socket.try_set_value(Some(socket));
    }

    /// Sends a frame if the socket is open; false if it is not (what matters is sent again on
    /// reconnect).
    pub fn send(&self, frame: &ClientFrame) -> bool {
        self.socket.with_value(|s| s.as_ref().is_some_and(|s| s.send(frame)))
    }

    pub fn reload_list(&self) {
        let list = self.list;
        spawn_local(async move {
            let answer = api::conversations().await.map(|l| l.items);
            // A failed reload keeps the list on screen; only the first load shows its error.
            if answer.is_err() && list.try_with_untracked(Option::is_some).unwrap_or(true) {
                return;
            }
            let _ = list.try_update(|held| {
                let answer = answer.map(|fresh| match held {
                    Some(Ok(before)) => merged(fresh, before),
                    _ => fresh,
                });
                *held = Some(answer);
            });
        });
    }

    pub fn conversation(&self, id: &str) -> Option<ConversationView> {
        self.list.with(|l| l.as_ref()?.as_ref().ok()?.iter().find(|c| c.id == id).cloned())
    }

    /// The socket opened (or opened again): catch up on every opened conversation from what it
    /// holds, send again what is still on its way out, and refresh the list's counts.
    pub fn on_open(&self) {
        self.link.set(Link::Live);
        let logs = self.logs.get_untracked();
        for (id, log) in logs {
            self.send(&ClientFrame::Sync { conversation: id.clone(), after_seq: log.resume_after() });
            for out in log.outgoing.iter().filter(|o| o.failed.is_none()) {
                self.send(&send_frame(&id, out));
            }
        }
        self.read_sent.update_value(HashMap::clear);
        self.reload_list();
        self.mark_read();
    }

    pub fn on_frame(&self, frame: ServerFrame) {
        match frame {
            ServerFrame::Message(message) => self.on_message(message),
            ServerFrame::Changed(message) => self.on_changed(message),
            ServerFrame::Sent { .. } => {} // The message itself comes first, to every device.
            ServerFrame::Receipt { conversation, user, delivered_seq, read_seq } => {
                self.on_receipt(conversation, user, Marks { delivered_seq, read_seq })
            }
            ServerFrame::Typing { conversation, user } => self.on_typing(conversation, user),
            ServerFrame::Presence { user, status, last_seen } => {
                self.presence.update(|p| {
                    p.insert(user, (status, last_seen));
                });
            }
            ServerFrame::Ping => {
                self.send(&ClientFrame::Pong {});
            }
            ServerFrame::Error { code, message, client_id } => self.on_error(code, message, client_id),
        }
    }

    fn on_message(&self, message: MessageFrame) {
        let me = self.me.get_untracked();
        let id = message.conversation.clone();
        let mut delivered_to = None;
        let mut resync = None;
        let mut held = false;
        self.logs.update(|logs| {
            let Some(log) = logs.get_mut(&id) else { return };
            match log.inbox.receive(message.seq, message.clone()) {
                Received::Deliver(list) => {
                    let from_others = list.iter().any(|(_, m)| m.sender != me);
                    for (seq, m) in list {
                        if m.sender == me {
                            log.outgoing.retain(|o| o.client_id != m.client_id);
                        }
                        log.messages.insert(seq, m);
                    }
                    // Even when the message that filled a gap is one's own, the others' it
                    // released are now on this device.
                    delivered_to = from_others.then(|| log.resume_after());
                }
                Received::Resync => resync = Some(log.resume_after()),
                Received::Held => held = true,
                Received::Duplicate => {}
            }
        });
        if held {
            self.fill_gap_later(id.clone());
        }
        let fresh = self.summarize(&message, &me);
        if let Some(after_seq) = resync {
            self.send(&ClientFrame::Sync { conversation: id.clone(), after_seq });
        }
        // This device has it: a conversation not opened here counts when it follows on from
        // what the list said.
        let unopened = !self.logs.with_untracked(|l| l.contains_key(&id));
        let delivered = delivered_to.or((unopened && fresh && message.sender != me).then_some(message.seq));
        if let Some(seq) = delivered {
            self.send(&ClientFrame::Delivered { conversation: id, seq });
        }
        self.mark_read();
    }

    /// Brings the list up to date with a message; whether it was new to the list.
    fn summarize(&self, message: &MessageFrame, me: &str) -> bool {
        let mut known = false;
        let mut fresh = false;
        let on_screen = self.open.get_untracked().as_deref() == Some(&message.conversation)
            && self.visible.get_untracked();
        self.list.update(|list| {
            let Some(Ok(items)) = list else { return };
            let Some(at) = items.iter().position(|c| c.id == message.conversation) else { return };
            known = true;
            let mut item = items.remove(at);
            if message.seq > item.last_seq {
                fresh = message.seq == item.last_seq + 1;
                item.last_seq = message.seq;
                if message.sender != me && !on_screen {
                    item.unread += 1;
                }
            }
            if item.last_message.as_ref().is_none_or(|l| l.seq <= message.seq) {
                item.last_message = Some(last_message(message));
            }
            items.insert(0, item);
        });
        if !known && self.list.with_untracked(|l| matches!(l, Some(Ok(_)))) {
            // Someone started a conversation with this person: the list learns it from the server.
            self.reload_list();
        }
        fresh
    }

    /// A message came early: the one before it was lost on the way (a delivery to this
    /// person's hub that failed) or is just behind it. If the gap is still there in a moment,
    /// ask for everything after what is held.
    fn fill_gap_later(&self, id: String) {
        let chat = *self;
        crate::socket::after_ms(GAP_WAIT_MS, move || {
            let Some(after_seq) = chat
                .logs
                .try_with_untracked(|l| l.get(&id).filter(|log| log.inbox.has_gap()).map(Log::resume_after))
                .flatten()
            else {
                return;
            };
            chat.send(&ClientFrame::Sync { conversation: id, after_seq });
        });
    }

    fn on_changed(&self, message: MessageFrame) {
        self.logs.update(|logs| {
            if let Some(held) =
                logs.get_mut(&message.conversation).and_then(|log| log.messages.get_mut(&message.seq))
            {
                *held = message.clone();
            }
        });
        self.list.update(|list| {
            let Some(Ok(items)) = list else { return };
            let Some(item) = items.iter_mut().find(|c| c.id == message.conversation) else { return };
            if item.last_message.as_ref().is_some_and(|l| l.seq == message.seq) {
                item.last_message = (!message.deleted).then(|| last_message(&message));
            }
        });
    }

    fn on_receipt(&self, conversation: String, user: String, marks: Marks) {
        if user == self.me.get_untracked() {
            self.list.update(|list| {
                if let Some(Ok(items)) = list {
                    if let Some(item) = items.iter_mut().find(|c| c.id == conversation) {
                        item.unread = marks.unread(item.last_seq);
                    }
                }
            });
        }
        self.logs.update(|logs| {
            if let Some(log) = logs.get_mut(&conversation) {
                log.marks.insert(user, marks);
            }
        });
    }

    fn on_typing(&self, conversation: String, user: String) {
        let until = js_sys::Date::now() + TYPING_SHOWN_MS;
        self.typing.update(|t| {
            let list = t.entry(conversation).or_default();
            list.retain(|(u, _)| *u != user);
            list.push((user, until));
        });
        let typing = self.typing;
        crate::socket::after_ms(TYPING_SHOWN_MS as i32 + 50, move || {
            let now = js_sys::Date::now();
            typing.update(|t| t.values_mut().for_each(|l| l.retain(|(_, until)| *until > now)));
        });
    }

    fn on_error(&self, code: FrameErrorCode, message: String, client_id: Option<String>) {
        let Some(client_id) = client_id else {
            self.notice.set(Some(message));
            return;
        };
        // Whatever the reason (too fast, a fault of the server's, a rule), the message waits with
        // "Try again": the same client id, so it is never doubled.
        let _ = code;
        self.logs.update(|logs| {
            for log in logs.values_mut() {
                if let Some(out) = log.outgoing.iter_mut().find(|o| o.client_id == client_id) {
                    out.failed = Some(message.clone());
                }
            }
        });
    }

    /// Opens a conversation's log: its newest page and everyone's marks, then live.
    pub fn load(&self, id: String) {
        if self.logs.with_untracked(|l| l.contains_key(&id)) {
            self.mark_read();
            return;
        }
        let chat = *self;
        spawn_local(async move {
            let (page, receipts) = (api::messages(&id, None, PAGE).await, api::receipts(&id).await);
            let (page, receipts) = match (page, receipts) {
                (Ok(page), Ok(receipts)) => (page, receipts),
                (Err(err), _) | (_, Err(err)) => {
                    chat.notice.set(Some(err.message));
                    return;
                }
            };
            let newest = page.items.last().map_or(0, |m| m.seq).max(page.last_seq);
            let log = Log {
                has_older: page.items.first().is_some_and(|m| m.seq > 1) && page.has_more,
                messages: page.items.into_iter().map(|m| (m.seq, m)).collect(),
                outgoing: Vec::new(),
                inbox: Inbox::new(newest),
                marks: receipts
                    .items
                    .into_iter()
                    .map(|r| (r.user, Marks { delivered_seq: r.delivered_seq, read_seq: r.read_seq }))
                    .collect(),
            };
            chat.logs.update(|logs| {
                logs.entry(id.clone()).or_insert(log);
            });
            chat.send(&ClientFrame::Sync { conversation: id.clone(), after_seq: newest });
            chat.mark_read();
        });
    }

    /// Reads one more page of older messages into an opened log.
    pub async fn load_older(&self, id: &str) -> Result<(), ApiError> {
        let Some(first) =
            self.logs.with_untracked(|l| l.get(id).and_then(|l| l.messages.keys().next().copied()))
        else {
            return Ok(());
        };
        let page = api::messages(id, Some(first), PAGE).await?;
        self.logs.update(|logs| {
            if let Some(log) = logs.get_mut(id) {
                log.has_older = page.has_more;
                for m in page.items {
                    log.messages.entry(m.seq).or_insert(m);
                }
            }
        });
        Ok(())
    }

    /// Sends a new message (kept as outgoing until the server echoes it; sent again on
    /// reconnect with the same client id, so it is never doubled).
    /// False (and nothing sent) until the conversation's log is open: a message is only ever
    /// sent once it is kept for sending again.
    pub fn post(
        &self,
        id: &str,
        body: String,
        reply_to: Option<u64>,
        media: Option<MediaView>,
        sticker: Option<String>,
    ) -> bool {
        self.post_as(app_ui::api::new_key(), id, body, reply_to, media, sticker)
    }

    /// `post` with a client id chosen before (a sealed message names its own).
    pub fn post_as(
        &self,
        client_id: String,
        id: &str,
        body: String,
        reply_to: Option<u64>,
        media: Option<MediaView>,
        sticker: Option<String>,
    ) -> bool {
        let out = Outgoing { client_id, body, reply_to, media, sticker, failed: None };
        let mut kept = false;
        self.logs.update(|logs| {
            if let Some(log) = logs.get_mut(id) {
                log.outgoing.push(out.clone());
                kept = true;
            }
        });
        if kept {
            self.send(&send_frame(id, &out));
        }
        kept
    }

    /// Whether a conversation's log is open on this device.
    pub fn is_loaded(&self, id: &str) -> bool {
        self.logs.with(|l| l.contains_key(id))
    }

    /// Tries a refused message once more (the same client id).
    pub fn retry(&self, id: &str, client_id: &str) {
        let mut again = None;
        self.logs.update(|logs| {
            if let Some(out) =
                logs.get_mut(id).and_then(|l| l.outgoing.iter_mut().find(|o| o.client_id == client_id))
            {
                out.failed = None;
                again = Some(out.clone());
            }
        });
        if let Some(out) = again {
            self.send(&send_frame(id, &out));
        }
    }

    pub fn discard(&self, id: &str, client_id: &str) {
        self.logs.update(|logs| {
            if let Some(log) = logs.get_mut(id) {
                log.outgoing.retain(|o| o.client_id != client_id);
            }
        });
    }

    /// Marks the conversation on screen read up to its newest message, once per new message.
    pub fn mark_read(&self) {
        // After the messenger is gone (signed out), nothing is left to mark.
        let Some(Some(id)) = self.open.try_get_untracked() else { return };
        if !self.visible.get_untracked() || self.link.get_untracked() != Link::Live {
            return;
        }
        let Some(newest) = self.logs.with_untracked(|l| l.get(&id).map(Log::resume_after)) else {
            return;
        };
        let already = self.read_sent.with_value(|r| r.get(&id).copied().unwrap_or(0));
        let mine = self.me.get_untracked();
        let marked = self
            .logs
            .with_untracked(|l| l.get(&id).and_then(|l| l.marks.get(&mine)).map_or(0, |m| m.read_seq));
        if newest == 0 || newest <= already.max(marked) {
            return;
        }
        if self.send(&ClientFrame::Read { conversation: id.clone(), seq: newest }) {
            self.read_sent.update_value(|r| {
                r.insert(id.clone(), newest);
            });
            self.list.update(|list| {
                if let Some(Ok(items)) = list {
                    if let Some(item) = items.iter_mut().find(|c| c.id == id) {
                        item.unread = item.last_seq.saturating_sub(newest);
                    }
                }
            });
        }
    }
}

/// The server's list, but where a frame told this device of a later message than the list was
/// read at, what the frame told stands (the list may have been read just before it).
fn merged(fresh: Vec<ConversationView>, before: &[ConversationView]) -> Vec<ConversationView> {
    fresh
        .into_iter()
        .map(|mut item| {
            if let Some(held) = before.iter().find(|b| b.id == item.id && b.last_seq > item.last_seq) {
                item.last_seq = held.last_seq;
                item.unread = held.unread;
                item.last_message = held.last_message.clone();
            }
            item
        })
        .collect()
}

/// A message as the list shows it: its words, or the name of the file it carries (as the
/// server lists it).
fn last_message(message: &MessageFrame) -> LastMessage {
    let sticker = message.sticker.as_deref().and_then(|s| shared::chat::stickers::find(s).ok());
    let body = match (&message.media, sticker) {
        (_, Some(sticker)) => sticker.label(),
        (Some(media), None) if message.body.is_empty() => media.name.clone(),
        _ if message.body.starts_with(shared::chat::e2ee::envelope::PREFIX) => {
            "🔒 Encrypted message".to_owned()
        }
        _ => message.body.clone(),
    };
    LastMessage { seq: message.seq, sender: message.sender.clone(), body, sent_at: message.sent_at.clone() }
}

fn send_frame(id: &str, out: &Outgoing) -> ClientFrame {
    ClientFrame::Send {
        conversation: id.to_owned(),
        client_id: out.client_id.clone(),
        body: out.body.clone(),
        reply_to: out.reply_to,
        media: out.media.as_ref().map(|m| m.id.clone()),
        sticker: out.sticker.clone(),
    }
}
