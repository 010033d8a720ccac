//! Moderators (named in `NEWS_MODERATORS`): kill and revive items, edit a title, merge a
//! duplicate into its story, adjust a rank, ban and shadow-ban. Every action goes to the public
//! moderation log with its reason, in the transaction that applies it; shadow bans (and
//! their lifting) are logged for the moderators only, since telling the world would undo them.

use crate::{
    http::{json, ApiResult, Cx},
    news::{
        api::{is_moderator, no_item, reader, writer, Reader, PAGE_SIZE},
        front,
        live::{self, FRONT_ROOM},
        profiles::page_param,
        store::{self, ItemRow, Moderated},
    },
};
use shared::{
    error::ErrorEnvelope,
    news::{
        moderation::{check_request, Action},
        wire::{LiveFrame, ModerationEntry, ModerationLog, ModerationRequest},
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{D1Database, Request};

/// How deep the log pages (30 entries a page).
const MAX_LOG_PAGE: usize = 1_000;

fn conflict(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Conflict, message)
}

async fn item_acted_on(db: &D1Database, id: i64, field: &str) -> Result<ItemRow, ApiError> {
    store::item(db, id).await?.ok_or_else(|| ApiError { field: Some(field.into()), ..no_item(id) })
}

/// What an action acts on, checked.
struct Target {
    /// The person acted on, by id.
    user_id: Option<String>,
    /// What the log says changed.
    detail: String,
    item: Option<ItemRow>,
    /// The action's name in the log.
    logged_as: &'static str,
}

/// Checks the action against what it acts on.
async fn check_target(db: &D1Database, cx: &Cx, action: &Action) -> Result<Target, ApiError> {
    let item = match action.item() {
        Some(id) => Some(item_acted_on(db, id, "item").await?),
        None => None,
    };
    let detail = match (action, &item) {
        (Action::Kill { .. }, Some(item)) if item.killed != 0 => {
            return Err(conflict("It is killed already."))
        }
        (Action::Revive { .. }, Some(item)) if !item.is_dead() => return Err(conflict("It is not dead.")),
        (Action::Revive { .. }, Some(item)) => {
            if store::person(db, &item.author_id).await?.shadow_banned != 0 {
                return Err(conflict(
                    "Its author is shadow-banned: lift that (unban) to bring their items back.",
                ));
            }
            format!("{} flags cleared", item.flags)
        }
        (Action::EditTitle { title, .. }, Some(item)) => {
            if !item.is_story() {
                return Err(conflict("Only stories have titles."));
            }
            if item.is_dead() || item.is_deleted() {
                return Err(conflict("It is dead or deleted: revive it before retitling it."));
            }
            format!("{} → {title}", item.title.clone().unwrap_or_default())
        }
        (Action::Merge { into, .. }, Some(item)) => {
            let target = item_acted_on(db, *into, "into").await?;
            if !item.is_story() || !target.is_story() {
                return Err(conflict("Only a story can be merged, and only into a story."));
            }
            if item.killed != 0 {
                return Err(conflict("It is killed already; revive it to merge it."));
            }
            if target.is_dead() || target.is_deleted() {
                return Err(conflict("The story to merge into is dead or deleted."));
            }
            format!("{} comments into {into}", item.descendants)
        }
        (Action::Adjust { factor: Some(f), .. }, _) => format!("rank × {f}"),
        (Action::Adjust { factor: None, .. }, _) => "adjustment removed".to_owned(),
        _ => String::new(),
    };
    let mut logged_as = action.name();
    let user_id = match action.username() {
        Some(username) => {
            let id = store::user_id_of(db, username).await?.ok_or_else(|| ApiError {
                field: Some("username".into()),
                ..ApiError::not_found(format!("There is no user {username}."))
            })?;
            if is_moderator(cx, username) && !matches!(action, Action::Unban { .. }) {
                return Err(conflict(
                    "Moderators can't ban moderators: take them off NEWS_MODERATORS first.",
                ));
            }
            if let Action::Unban { .. } = action {
                let person = store::person(db, &id).await?;
                match (person.banned != 0, person.shadow_banned != 0) {
                    (false, false) => return Err(conflict("They are not banned.")),
                    // Lifting a shadow ban in public would tell the world there was one.
                    (false, true) => logged_as = "shadow_unban",
                    _ => {}
                }
            }
            Some(id)
        }
        None => None,
    };
    Ok(Target { user_id, detail, item, logged_as })
}

/// What open pages are told of a moderator's action.
fn frames(action: &Action, item: Option<&ItemRow>) -> Vec<(String, Vec<LiveFrame>)> {
    let Some(item) = item.filter(|i| !i.is_dead()) else { return Vec::new() };
    let room = live::story_room(item.story_id.unwrap_or(item.id));
    let frame = match action {
        Action::Kill { .. } | Action::Merge { .. } => LiveFrame::Removed { id: item.id },
        Action::EditTitle { title, .. } => {
            LiveFrame::Edited { id: item.id, title: Some(title.clone()), text: item.text.clone() }
        }
        _ => return Vec::new(),
    };
    let mut sends = vec![(room, vec![frame.clone()])];
    if item.is_story() {
        sends.push((FRONT_ROOM.to_owned(), vec![frame]));
    }
    sends
}

/// A moderator's action, applied and logged with its reason.
#[utoipa::path(post, path = "/api/news/moderation", tag = "news", request_body = ModerationRequest,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = ModerationEntry), (status = 403, body = ErrorEnvelope, description = "Not a moderator"),
              (status = 404, body = ErrorEnvelope, description = "No such item or person"),
              (status = 409, body = ErrorEnvelope, description = "Already so, or not possible on that item")))]
pub async fn moderate(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = writer(req, cx).await?;
    if !me.moderator {
        return Err(ApiError::new(ErrorCode::Forbidden, "Only moderators can do that."));
    }
    let body: ModerationRequest = crate::http::read_json(req).await?;
    let (action, reason) = check_request(&body)?;
    let db = cx.db()?;
    let Target { user_id, detail, item, logged_as } = check_target(&db, cx, &action).await?;
    let moderated = Moderated {
        moderator_id: me.id(),
        action: &action,
        logged_as,
        user_id: user_id.as_deref(),
        reason: &reason,
        detail: &detail,
        now_ms: cx.now_ms,
    };
    let id = store::moderate(&db, &moderated).await?;
    front::changed(cx).await;
    live::tell(cx, frames(&action, item.as_ref()));
    json(
        201,
        &ModerationEntry {
            id,
            at: Timestamp(cx.now_ms),
            moderator: me.user.username.clone(),
            action: logged_as.to_owned(),
            item: action.item(),
            username: action.username().map(str::to_owned),
            reason,
            detail,
        },
    )
}

/// The public moderation log, newest first.
#[utoipa::path(get, path = "/api/news/moderation", tag = "news",
    params(("page" = Option<u32>, Query, description = "1-based, 30 entries a page")),
    responses((status = 200, body = ModerationLog),
              (status = 401, body = ErrorEnvelope, description = "An API key that is not valid")))]
pub async fn log(req: &mut Request, cx: &Cx) -> ApiResult {
    let page = page_param(req, MAX_LOG_PAGE)?;
    let reader: Option<Reader> = reader(req, cx).await?;
    let db = cx.db()?;
    let size = PAGE_SIZE as i64;
    let moderator = reader.as_ref().is_some_and(|r| r.moderator);
    let mut entries = store::moderation_log(&db, moderator, (page as i64 - 1) * size, size).await?;
    let more = entries.len() > PAGE_SIZE;
    entries.truncate(PAGE_SIZE);
    json(200, &ModerationLog { entries, page: page as u32, more })
}
