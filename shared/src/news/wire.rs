//! News' wire types: what `/api/news` takes and answers, and HN's own read API shapes
//! (`/v0/item/{id}.json`, `/v0/user/{id}.json`), field for field.

use serde::{Deserialize, Serialize};

use super::{moderation::FlagReason, ranking::Explanation, submission::StoryKind, votes::Direction};
use crate::time::Timestamp;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    pub title: String,
    /// A link; leave it out for an Ask.
    #[serde(default)]
    pub url: Option<String>,
    /// The post's text (required without a URL, optional with one).
    #[serde(default)]
    pub text: Option<String>,
}

/// A submission's answer: the new story (201), or the story that already has this URL (200,
/// `duplicate`), which the submission upvoted as HN does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submitted {
    pub story: StoryView,
    pub duplicate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryView {
    pub id: i64,
    pub kind: StoryKind,
    pub title: String,
    pub url: Option<String>,
    /// The site shown beside the title (`github.com/rust-lang`).
    pub site: Option<String>,
    pub text: String,
    pub by: String,
    pub created_at: Timestamp,
    pub points: i64,
    pub comments: i64,
    pub dead: bool,
    pub deleted: bool,
    /// The reader's vote, if signed in and voted.
    pub voted: Option<Direction>,
    /// Until when the reader may take that vote back (an hour after casting it).
    pub unvote_until: Option<Timestamp>,
    /// Whether the reader may still edit or delete it (theirs, within two hours).
    pub editable: bool,
    /// Whether the reader has flagged it.
    pub flagged: bool,
    /// Whether the reader has saved it.
    pub favorite: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryList {
    pub stories: Vec<StoryView>,
    /// 1-based.
    pub page: u32,
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentView {
    pub id: i64,
    pub story_id: i64,
    pub parent: i64,
    pub depth: u32,
    pub by: String,
    pub text: String,
    pub created_at: Timestamp,
    /// A comment's points are its author's to see, as on HN.
    pub points: Option<i64>,
    pub dead: bool,
    pub deleted: bool,
    /// Only kept as "[deleted]" or "[dead]" because a reply under it is shown.
    pub placeholder: bool,
    pub voted: Option<Direction>,
    /// Until when the reader may take that vote back.
    pub unvote_until: Option<Timestamp>,
    pub editable: bool,
    /// Newer than the reader's previous visit to the thread.
    pub new: bool,
}

/// A story and its thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemPage {
    pub story: StoryView,
    pub comments: Vec<CommentView>,
    /// When the reader last read this thread before now.
    pub last_visit: Option<Timestamp>,
    /// Why the story ranks where it does (front page terms, at this moment).
    pub rank: Explanation,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    /// The story or comment answered.
    pub parent: i64,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VoteRequest {
    pub direction: Direction,
}

/// The reader's standing vote after a vote, and a story's points (a comment's points are its
/// author's to see, so they are left out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteResult {
    pub id: i64,
    pub points: Option<i64>,
    pub voted: Option<Direction>,
    /// Until when the reader may take that vote back.
    pub unvote_until: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FlagRequest {
    pub reason: FlagReason,
}

/// An item's standing after a flag or a vouch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandingView {
    pub id: i64,
    pub flags: i64,
    pub vouches: i64,
    pub dead: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileView {
    pub username: String,
    pub created_at: Timestamp,
    pub karma: i64,
    pub about: String,
    pub stories: i64,
    pub comments: i64,
    pub moderator: bool,
    /// Whether this is the reader's own profile (then favorites and upvoted are theirs to list).
    pub own: bool,
    /// HN's showdead, on one's own profile: dead items are shown to them, marked, so they can
    /// vouch for them. Always false on someone else's.
    pub showdead: bool,
}

/// Changes to one's own profile: what is left out stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AboutRequest {
    #[serde(default)]
    pub about: Option<String>,
    #[serde(default)]
    pub showdead: Option<bool>,
}

/// A moderator's action on an item or a person; `reason` is required and public.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ModerationRequest {
    Kill {
        item: i64,
        reason: String,
    },
    Revive {
        item: i64,
        reason: String,
    },
    EditTitle {
        item: i64,
        title: String,
        reason: String,
    },
    /// Moves `item`'s comments to `into` and kills it.
    Merge {
        item: i64,
        into: i64,
        reason: String,
    },
    /// Multiplies the item's rank by `factor` (0.001 to 1; 1 removes the adjustment).
    Adjust {
        item: i64,
        factor: f64,
        reason: String,
    },
    Ban {
        username: String,
        reason: String,
    },
    Unban {
        username: String,
        reason: String,
    },
    ShadowBan {
        username: String,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationEntry {
    pub id: i64,
    pub at: Timestamp,
    pub moderator: String,
    pub action: String,
    pub item: Option<i64>,
    pub username: Option<String>,
    pub reason: String,
    pub detail: String,
}

/// The public moderation log, newest first, a page at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationLog {
    pub entries: Vec<ModerationEntry>,
    pub page: u32,
    pub more: bool,
}

/// An item after its author's edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Edited {
    pub id: i64,
    /// Stories only.
    pub title: Option<String>,
    pub text: String,
    pub edited_at: Timestamp,
}

/// A comment on a profile's list, with the story it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileComment {
    pub id: i64,
    pub story_id: i64,
    pub story_title: String,
    pub parent: i64,
    pub text: String,
    pub created_at: Timestamp,
    pub dead: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentList {
    pub comments: Vec<ProfileComment>,
    pub page: u32,
    pub more: bool,
}

/// What a story's live page (`/api/news/items/{id}/live`) and the front page's
/// (`/api/news/live`) are sent, as JSON text frames, as it happens. Dead items are never sent.
// Named apart from Cricket's socket frames: the OpenAPI document keeps one schema per name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = NewsLiveFrame))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveFrame {
    /// A new comment in the story's thread (as a reader without an account sees it).
    Comment { comment: CommentView },
    /// A story's points or count of comments moved.
    Score { id: i64, points: i64, comments: i64 },
    /// A new story (front page only).
    Story { story: StoryView },
    /// An item's author edited it.
    Edited { id: i64, title: Option<String>, text: String },
    /// An item was deleted, killed or merged away: it leaves the page.
    Removed { id: i64 },
}

/// HN's item (`/v0/item/{id}.json`): absent fields are left out, as HN leaves them out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HnItem {
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Unix seconds.
    pub time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kids: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub descendants: Option<i64>,
}

/// HN's user (`/v0/user/{id}.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HnUser {
    pub id: String,
    /// Unix seconds.
    pub created: i64,
    pub karma: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    pub submitted: Vec<i64>,
}

/// HN's `/v0/updates.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HnUpdates {
    pub items: Vec<i64>,
    pub profiles: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hn_item_leaves_out_what_it_does_not_have_as_hn_does() {
        let story = HnItem {
            id: 8863,
            kind: "story".into(),
            by: Some("dhouston".into()),
            time: 1_175_714_200,
            kids: Some(vec![8952, 9224]),
            url: Some("http://www.getdropbox.com/u/2/screencast.html".into()),
            score: Some(111),
            title: Some("My YC app: Dropbox".into()),
            descendants: Some(71),
            ..HnItem::default()
        };
        let json = serde_json::to_value(&story).unwrap();
        assert_eq!(json["type"], "story");
        assert_eq!(json["time"], 1_175_714_200);
        for absent in ["deleted", "dead", "parent", "text"] {
            assert!(json.get(absent).is_none(), "{absent} is left out");
        }
    }

    #[test]
    fn a_moderation_request_names_its_action() {
        let kill: ModerationRequest =
            serde_json::from_str(r#"{"action":"kill","item":3,"reason":"spam ring"}"#).unwrap();
        assert_eq!(kill, ModerationRequest::Kill { item: 3, reason: "spam ring".into() });
        assert!(
            serde_json::from_str::<ModerationRequest>(r#"{"action":"nuke","item":3,"reason":"x"}"#).is_err()
        );
    }
}
