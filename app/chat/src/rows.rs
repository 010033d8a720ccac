//! A log as the room shows it: day separators between days, each message with its tick (the
//! person's own) and the line it quotes, then what is still on its way out.

use crate::{state::Log, when::day_label};
use shared::chat::{receipts::Progress, wire::MessageFrame};

/// How far the others are with one of the person's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// The server has it.
    Sent(Progress),
    /// Every other member's device has it.
    Delivered(Progress),
    /// Every other member has seen it.
    Read(Progress),
}

impl Tick {
    pub fn of(progress: Progress) -> Tick {
        if progress.of > 0 && progress.read == progress.of {
            Tick::Read(progress)
        } else if progress.of > 0 && progress.delivered == progress.of {
            Tick::Delivered(progress)
        } else {
            Tick::Sent(progress)
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Tick::Sent(_) => "sent",
            Tick::Delivered(_) => "delivered",
            Tick::Read(_) => "read",
        }
    }

    pub fn mark(self) -> &'static str {
        match self {
            Tick::Sent(_) => "✓",
            Tick::Delivered(_) | Tick::Read(_) => "✓✓",
        }
    }

    /// "Read by 3 of 5" in a group; "Read" between two.
    pub fn title(self) -> String {
        let (Tick::Sent(p) | Tick::Delivered(p) | Tick::Read(p)) = self;
        match (p.of, self) {
            (1, Tick::Read(_)) => "Read".to_owned(),
            (1, Tick::Delivered(_)) => "Delivered".to_owned(),
            (1, Tick::Sent(_)) | (0, _) => "Sent".to_owned(),
            (of, _) if p.read > 0 => format!("Read by {} of {of}, delivered to {}", p.read, p.delivered),
            (of, _) => format!("Delivered to {} of {of}", p.delivered),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Day(String),
    Message {
        message: MessageFrame,
        mine: bool,
        tick: Option<Tick>,
        /// Who said the line it answers, and the start of it.
        quote: Option<(String, String)>,
    },
    Outgoing(crate::state::Outgoing),
}

impl Row {
    /// What `<For>` tells rows apart by: a row is drawn again when what it shows changes.
    pub fn key(&self) -> String {
        match self {
            Row::Day(label) => format!("d:{label}"),
            Row::Message { message: m, tick, quote, .. } => {
                format!(
                    "m:{}:{}:{}:{:?}:{}:{:?}",
                    m.seq,
                    m.edited,
                    m.deleted,
                    m.reactions.iter().map(|r| (r.emoji.as_str(), r.users.len())).collect::<Vec<_>>(),
                    tick.map_or(String::new(), |t| t.title() + t.class()),
                    quote
                ) + &m.body
            }
            Row::Outgoing(out) => format!("o:{}:{:?}", out.client_id, out.failed),
        }
    }
}

/// The start of a quoted message.
fn snippet(message: &MessageFrame) -> String {
    if message.deleted {
        return "This message was deleted.".to_owned();
    }
    if let Some(sticker) = message.sticker.as_deref().and_then(|s| shared::chat::stickers::find(s).ok()) {
        return sticker.label();
    }
    if message.body.starts_with(shared::chat::e2ee::envelope::PREFIX) {
        return "🔒 Encrypted message".to_owned();
    }
    if message.body.is_empty() {
        return message.media.as_ref().map(|m| format!("📎 {}", m.name)).unwrap_or_default();
    }
    let mut text: String = message.body.chars().take(80).collect();
    if message.body.chars().count() > 80 {
        text.push('…');
    }
    text
}

pub fn rows(log: &Log, me: &str, members: &[String]) -> Vec<Row> {
    let mut out = Vec::with_capacity(log.messages.len() + 8);
    let mut day = String::new();
    for message in log.messages.values() {
        let label = day_label(&message.sent_at);
        if label != day {
            out.push(Row::Day(label.clone()));
            day = label;
        }
        let mine = message.sender == me;
        let tick = mine.then(|| Tick::of(log.progress(message.seq, me, members)));
        let quote = message
            .reply_to
            .and_then(|seq| log.messages.get(&seq))
            .map(|quoted| (quoted.sender.clone(), snippet(quoted)));
        out.push(Row::Message { message: message.clone(), mine, tick, quote });
    }
    out.extend(log.outgoing.iter().cloned().map(Row::Outgoing));
    out
}
