//! The bodies of Chat's REST endpoints under `/api/chat`.

use super::{contacts::Status, members::Role};
use serde::{Deserialize, Serialize};

/// `POST /api/chat/contacts`: ask someone to be a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    pub username: String,
}

/// Someone, as the asking person stands with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    pub username: String,
    pub display_name: String,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactList {
    /// Contacts, then requests to answer, then requests sent, then blocked; each by username.
    pub items: Vec<ContactView>,
}

/// Who may add a person to groups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupAdds {
    #[default]
    Everyone,
    Contacts,
}

impl GroupAdds {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupAdds::Everyone => "everyone",
            GroupAdds::Contacts => "contacts",
        }
    }

    pub fn parse(stored: &str) -> GroupAdds {
        if stored == "contacts" {
            GroupAdds::Contacts
        } else {
            GroupAdds::Everyone
        }
    }
}

/// A person's chat privacy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatSettings {
    /// Whether contacts see when they were last seen.
    pub shows_last_seen: bool,
    /// Whether others see when they have read a message (without it, they see delivery only).
    pub sends_read_receipts: bool,
    /// Who may add them to groups (a refusal never says which rule refused).
    pub group_adds: GroupAdds,
}

impl Default for ChatSettings {
    fn default() -> Self {
        Self { shows_last_seen: true, sends_read_receipts: true, group_adds: GroupAdds::Everyone }
    }
}

/// `PATCH /api/chat/settings`: absent fields stay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateChatSettings {
    #[serde(default)]
    pub shows_last_seen: Option<bool>,
    #[serde(default)]
    pub sends_read_receipts: Option<bool>,
    #[serde(default)]
    pub group_adds: Option<GroupAdds>,
}

impl ChatSettings {
    pub fn with(self, change: UpdateChatSettings) -> Self {
        Self {
            shows_last_seen: change.shows_last_seen.unwrap_or(self.shows_last_seen),
            sends_read_receipts: change.sends_read_receipts.unwrap_or(self.sends_read_receipts),
            group_adds: change.group_adds.unwrap_or(self.group_adds),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Direct,
    Group,
}

/// `POST /api/chat/conversations`: a direct conversation with one person (the existing one if
/// there is one), or a group with a title and its first members (by username).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateConversation {
    pub kind: Kind,
    #[serde(default)]
    pub title: Option<String>,
    pub members: Vec<String>,
    /// End-to-end encrypted: every body is an envelope the server cannot read (a pair has one
    /// encrypted direct conversation besides the plain one).
    #[serde(default)]
    pub encrypted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// RFC 3339.
    pub joined_at: String,
}

/// A conversation as one of its members sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationView {
    pub id: String,
    pub kind: Kind,
    /// A group's title; for a direct conversation, the other person's display name.
    pub title: String,
    pub members: Vec<MemberView>,
    /// The seq of the last message (0: none yet).
    pub last_seq: u64,
    /// Messages after the caller's read mark.
    pub unread: u64,
    /// End-to-end encrypted: bodies are envelopes; not searched on the server.
    #[serde(default)]
    pub encrypted: bool,
    /// The newest message the caller may read that is still there (none yet, or all deleted:
    /// absent), for the conversation list.
    #[serde(default)]
    pub last_message: Option<LastMessage>,
    /// RFC 3339.
    pub created_at: String,
}

/// A conversation's newest message, as its list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LastMessage {
    pub seq: u64,
    /// The sender's username.
    pub sender: String,
    pub body: String,
    /// RFC 3339.
    pub sent_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationList {
    /// Newest activity first.
    pub items: Vec<ConversationView>,
}

/// `PATCH /api/chat/conversations/{id}`: a group's new title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RenameConversation {
    pub title: String,
}

/// The most people one request names (a group's limit).
pub const MAX_NAMED: usize = super::members::MAX_GROUP_MEMBERS;

/// `POST /api/chat/conversations/{id}/members`: people to add (by username).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddMembers {
    pub usernames: Vec<String>,
}

/// `POST /api/chat/conversations/{id}/messages`: a new message. The same `client_id` again (a
/// retry, a double tap) is the same message: the answer is the first one's, with status 200.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    /// 1–64 of `[A-Za-z0-9._:-]`, chosen by the client (a UUID, a ULID, a counter).
    pub client_id: String,
    pub body: String,
    /// The seq of the message this one answers.
    #[serde(default)]
    pub reply_to: Option<u64>,
    /// A file the sender uploaded to this conversation (`POST …/media`); the body is then its
    /// caption, and may be empty.
    #[serde(default)]
    pub media: Option<String>,
    /// A sticker of the set (`shared::chat::stickers`) instead of words: the body is empty.
    #[serde(default)]
    pub sticker: Option<String>,
}

/// `PATCH /api/chat/conversations/{id}/messages/{seq}`: the new body (its sender, within 15
/// minutes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditMessage {
    pub body: String,
}

/// `PUT /api/chat/conversations/{id}/messages/{seq}/reaction`: one emoji (replacing the
/// caller's reaction, if any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct React {
    pub emoji: String,
}

/// An earlier version of an edited message (shown to its sender only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageVersion {
    pub body: String,
    /// RFC 3339: when this version was replaced.
    pub replaced_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageVersions {
    /// Oldest first.
    pub items: Vec<MessageVersion>,
}

/// One message found by `GET /api/chat/search`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub conversation: String,
    pub seq: u64,
    pub sender: String,
    /// RFC 3339.
    pub sent_at: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// Newest first.
    pub items: Vec<SearchHit>,
}

/// `GET /api/chat/conversations/{id}/messages`: one page of the log, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagePage {
    pub items: Vec<super::wire::MessageFrame>,
    /// Whether more messages lie beyond this page in the direction it was read.
    pub has_more: bool,
    /// The conversation's last seq when the page was read.
    pub last_seq: u64,
}

/// One member's receipt marks in a conversation, as the caller may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberReceipt {
    pub user: String,
    /// Their devices have every message up to this seq.
    pub delivered_seq: u64,
    /// They were shown every message up to this seq (0 when they keep reading private).
    pub read_seq: u64,
}

/// `GET /api/chat/conversations/{id}/receipts`: where every member stands, so a page opened
/// later shows the same ticks as one that heard every `receipt` frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptList {
    pub items: Vec<MemberReceipt>,
}

/// The order of a contact list: contacts, incoming, outgoing, blocked.
pub fn list_rank(status: Status) -> u8 {
    match status {
        Status::Contact => 0,
        Status::Incoming => 1,
        Status::Outgoing => 2,
        Status::Blocked => 3,
        Status::None => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_change_only_what_is_sent() {
        let all = ChatSettings::default();
        let private = all.with(UpdateChatSettings { sends_read_receipts: Some(false), ..Default::default() });
        assert_eq!(private, ChatSettings { sends_read_receipts: false, ..ChatSettings::default() });
        assert_eq!(private.with(UpdateChatSettings::default()), private);
        assert!(serde_json::from_str::<UpdateChatSettings>(r#"{"typo":true}"#).is_err());
    }
}
