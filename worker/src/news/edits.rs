//! An author's own changes: editing a story's title and text or a comment's text, and deleting
//! either, for two hours after posting (`shared::news::comments::check_authors_change`). Open
//! pages see the change at once (`live`).

use crate::{
    http::{json, no_content, read_json, ApiResult, Cx},
    news::{
        api::{no_item, parse_id, visible_item, writer},
        front,
        live::{self, FRONT_ROOM},
        store::{self, ItemRow},
    },
};
use shared::{
    error::ErrorEnvelope,
    news::{
        comments::{check_authors_change, EDIT_WINDOW_MS},
        submission::{clean_text, clean_title, StoryKind},
        wire::{EditRequest, Edited, LiveFrame},
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::Request;

fn too_late() -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        "Items can be edited or deleted for two hours after posting; this one can't any more.",
    )
}

/// The rooms that show an item: its story's page, and the lists when it is a story.
fn rooms_of(item: &ItemRow) -> Vec<String> {
    let story_id = item.story_id.unwrap_or(item.id);
    let mut rooms = vec![live::story_room(story_id)];
    if item.is_story() {
        rooms.push(FRONT_ROOM.to_owned());
    }
    rooms
}

/// Edits your own story (title, text) or comment (text) within two hours of posting it.
#[utoipa::path(patch, path = "/api/news/items/{id}", tag = "news", request_body = EditRequest,
    params(("id" = i64, Path, description = "A story's or a comment's id")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = Edited), (status = 403, body = ErrorEnvelope, description = "Not yours"),
              (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Posted more than two hours ago")))]
pub async fn edit(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = writer(req, cx).await?;
    let id = parse_id(id)?;
    let body: EditRequest = read_json(req).await?;
    let db = cx.db()?;
    let item = visible_item(&db, id, Some(&me)).await?;
    if item.is_deleted() {
        return Err(no_item(id));
    }
    check_authors_change(item.author_id == me.id(), item.created_at, cx.now_ms)?;
    if body.title.is_none() && body.text.is_none() {
        return Err(ApiError::invalid("text", "Send the new title, the new text, or both."));
    }
    let title = match (&body.title, item.is_story()) {
        (Some(_), false) => return Err(ApiError::invalid("title", "A comment has no title.")),
        (Some(raw), true) => {
            if store::retitled_by_moderator(&db, id).await? {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "A moderator has retitled this story (see the moderation log); its title stays.",
                ));
            }
            Some(clean_title(raw)?)
        }
        (None, _) => None,
    };
    // The title decides Show and Ask, as at submission.
    let kind = title.as_deref().map(|t| StoryKind::of(t, item.url.is_some()));
    // A story without a link is its text, and a comment is nothing else: neither may be emptied.
    let text_required = !item.is_story() || item.url.is_none();
    let text = match &body.text {
        Some(raw) => clean_text(raw, "text", text_required)?,
        None => item.text.clone(),
    };
    let window_opened = cx.now_ms - EDIT_WINDOW_MS;
    if !store::edit(
        &db,
        &store::Edit {
            item_id: id,
            author_id: me.id(),
            title: title.as_deref(),
            kind,
            text: &text,
            created_after_ms: window_opened,
            now_ms: cx.now_ms,
        },
    )
    .await?
    {
        // Deleted or past the window since it was read.
        return Err(too_late());
    }
    if title.is_some() {
        front::changed(cx).await;
    }
    let shown_title = if item.is_story() { title.clone().or(item.title.clone()) } else { None };
    if !item.is_dead() {
        let frame = LiveFrame::Edited { id, title: shown_title.clone(), text: text.clone() };
        live::tell(cx, rooms_of(&item).into_iter().map(|room| (room, vec![frame.clone()])).collect());
    }
    json(200, &Edited { id, title: shown_title, text, edited_at: Timestamp(cx.now_ms) })
}

/// Deletes your own story or comment within two hours of posting it. A comment with replies
/// stays in its thread as "[deleted]".
#[utoipa::path(delete, path = "/api/news/items/{id}", tag = "news",
    params(("id" = i64, Path, description = "A story's or a comment's id")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorEnvelope, description = "Not yours"),
              (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Posted more than two hours ago")))]
pub async fn delete(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = writer(req, cx).await?;
    let id = parse_id(id)?;
    let db = cx.db()?;
    let item = visible_item(&db, id, Some(&me)).await?;
    if item.is_deleted() {
        return Err(no_item(id));
    }
    check_authors_change(item.author_id == me.id(), item.created_at, cx.now_ms)?;
    if !store::delete(&db, id, me.id(), cx.now_ms - EDIT_WINDOW_MS, cx.now_ms).await? {
        return match store::item(&db, id).await? {
            Some(row) if row.is_deleted() => Err(no_item(id)),
            _ => Err(too_late()),
        };
    }
    front::changed(cx).await;
    if !item.is_dead() {
        let mut frames =
            vec![(live::story_room(item.story_id.unwrap_or(id)), vec![LiveFrame::Removed { id }])];
        if item.is_story() {
            frames.push((FRONT_ROOM.to_owned(), vec![LiveFrame::Removed { id }]));
        } else if let Some(story_id) = item.story_id {
            if let Some(story) = store::item(&db, story_id).await?.filter(|s| !s.is_dead() && !s.is_deleted())
            {
                frames.extend(super::api::score_frames(&story));
            }
        }
        live::tell(cx, frames);
    }
    no_content()
}
