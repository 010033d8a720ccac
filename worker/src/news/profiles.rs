//! Profiles: a person's karma, about and counts, their stories and comments, the stories they
//! saved (public, as on HN) and the stories they upvoted (theirs alone to see); editing one's
//! own about; saving a story.

use crate::{
    http::{json, no_content, query_pairs, read_json, ApiResult, Cx},
    news::{
        api::{
            is_moderator, marks, no_item, parse_id, reader, story_view, visible_item, writer, Reader,
            PAGE_SIZE,
        },
        store::{self, ProfileList},
    },
};
use shared::{
    error::ErrorEnvelope,
    news::{
        submission::clean_text,
        wire::{AboutRequest, CommentList, ProfileComment, ProfileView, StoryList},
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use worker::{D1Database, Request};

/// How deep a profile's lists page (30 a page).
pub const MAX_PAGE: usize = 100;
/// An about text's length, in characters.
pub const ABOUT_MAX: usize = 4_000;

/// The `page` query parameter: 1 when absent.
pub fn page_param(req: &Request, max: usize) -> Result<usize, ApiError> {
    let query = query_pairs(req);
    match query.iter().find(|(k, _)| k == "page").map(|(_, v)| v.as_str()) {
        None | Some("") => Ok(1),
        Some(raw) => {
            raw.parse().ok().filter(|p| (1..=max).contains(p)).ok_or_else(|| {
                ApiError::invalid("page", format!("The page must be a number from 1 to {max}."))
            })
        }
    }
}

/// The person a profile is of: their id and username.
async fn person(db: &D1Database, username: &str) -> Result<store::ProfileRow, ApiError> {
    store::profile(db, username)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("There is no user {username}.")))
}

fn profile_view(cx: &Cx, row: store::ProfileRow, reader: Option<&Reader>) -> ProfileView {
    let own = reader.is_some_and(|r| r.id() == row.id);
    ProfileView {
        own,
        showdead: own && row.showdead.unwrap_or(0) != 0,
        moderator: is_moderator(cx, &row.username),
        username: row.username,
        created_at: Timestamp(row.created_at),
        karma: row.karma.unwrap_or(0),
        about: row.about.unwrap_or_default(),
        stories: row.stories,
        comments: row.comments,
    }
}

/// A person's profile.
#[utoipa::path(get, path = "/api/news/users/{username}", tag = "news",
    params(("username" = String, Path, description = "A username")),
    responses((status = 200, body = ProfileView), (status = 404, body = ErrorEnvelope),
              (status = 401, body = ErrorEnvelope, description = "An API key that is not valid")))]
pub async fn profile(req: &mut Request, cx: &Cx, username: &str) -> ApiResult {
    let db = cx.db()?;
    let row = person(&db, username).await?;
    let reader = reader(req, cx).await?;
    json(200, &profile_view(cx, row, reader.as_ref()))
}

/// Changes your own about text (HN's text subset: paragraphs, *italics*, links, code) or
/// showdead (dead items shown to you, marked, to vouch for).
#[utoipa::path(patch, path = "/api/news/users/{username}", tag = "news", request_body = AboutRequest,
    params(("username" = String, Path, description = "Your username")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ProfileView), (status = 403, body = ErrorEnvelope, description = "Not yours"),
              (status = 404, body = ErrorEnvelope)))]
pub async fn edit_about(req: &mut Request, cx: &Cx, username: &str) -> ApiResult {
    let me = writer(req, cx).await?;
    let body: AboutRequest = read_json(req).await?;
    let db = cx.db()?;
    let row = person(&db, username).await?;
    if row.id != me.id() {
        return Err(ApiError::new(ErrorCode::Forbidden, "You can only change your own profile."));
    }
    if body.about.is_none() && body.showdead.is_none() {
        return Err(ApiError::invalid("about", "Send the about text, showdead, or both."));
    }
    let about = match &body.about {
        Some(about) => {
            let about = clean_text(about, "about", false)?;
            if about.chars().count() > ABOUT_MAX {
                return Err(ApiError::invalid("about", format!("Keep it under {ABOUT_MAX} characters.")));
            }
            Some(about)
        }
        None => None,
    };
    store::edit_profile(&db, me.id(), about.as_deref(), body.showdead).await?;
    json(200, &profile_view(cx, person(&db, username).await?, Some(&me)))
}

/// Whether the reader sees a person's dead items: they themselves, the moderators, and those
/// with showdead on do.
fn sees_dead_of(reader: Option<&Reader>, user_id: &str) -> bool {
    reader.is_some_and(|r| r.shows_dead() || r.id() == user_id)
}

async fn story_page(
    req: &Request,
    cx: &Cx,
    username: &str,
    list: ProfileList,
    reader: Option<Reader>,
) -> ApiResult {
    let page = page_param(req, MAX_PAGE)?;
    let db = cx.db()?;
    let row = person(&db, username).await?;
    if list == ProfileList::Upvoted && reader.as_ref().is_none_or(|r| r.id() != row.id) {
        return Err(ApiError::new(ErrorCode::Forbidden, "What a person upvoted is theirs alone to see."));
    }
    let with_dead = sees_dead_of(reader.as_ref(), &row.id);
    let size = PAGE_SIZE as i64;
    let mut rows =
        store::profile_items(&db, &row.id, list, with_dead, (page as i64 - 1) * size, size).await?;
    let more = rows.len() > PAGE_SIZE;
    rows.truncate(PAGE_SIZE);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let marks = marks(&db, reader.as_ref(), &ids).await?;
    let stories = rows.iter().map(|r| story_view(r, reader.as_ref(), &marks, cx.now_ms)).collect();
    json(200, &StoryList { stories, page: page as u32, more })
}

/// A person's stories, newest first.
#[utoipa::path(get, path = "/api/news/users/{username}/stories", tag = "news",
    params(("username" = String, Path), ("page" = Option<u32>, Query, description = "1-based, 30 a page")),
    responses((status = 200, body = StoryList), (status = 404, body = ErrorEnvelope),
              (status = 401, body = ErrorEnvelope, description = "An API key that is not valid")))]
pub async fn stories(req: &mut Request, cx: &Cx, username: &str) -> ApiResult {
    let reader = reader(req, cx).await?;
    story_page(req, cx, username, ProfileList::Stories, reader).await
}

/// The stories a person saved, most recently saved first.
#[utoipa::path(get, path = "/api/news/users/{username}/favorites", tag = "news",
    params(("username" = String, Path), ("page" = Option<u32>, Query, description = "1-based, 30 a page")),
    responses((status = 200, body = StoryList), (status = 404, body = ErrorEnvelope),
              (status = 401, body = ErrorEnvelope, description = "An API key that is not valid")))]
pub async fn favorites(req: &mut Request, cx: &Cx, username: &str) -> ApiResult {
    let reader = reader(req, cx).await?;
    story_page(req, cx, username, ProfileList::Favorites, reader).await
}

/// The stories you upvoted, most recent vote first: yours alone to see.
#[utoipa::path(get, path = "/api/news/users/{username}/upvoted", tag = "news",
    params(("username" = String, Path, description = "Your username"),
           ("page" = Option<u32>, Query, description = "1-based, 30 a page")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = StoryList), (status = 403, body = ErrorEnvelope, description = "Not yours"),
              (status = 404, body = ErrorEnvelope)))]
pub async fn upvoted(req: &mut Request, cx: &Cx, username: &str) -> ApiResult {
    let me = writer(req, cx).await?;
    story_page(req, cx, username, ProfileList::Upvoted, Some(me)).await
}

/// A person's comments, newest first, each with its story's title.
#[utoipa::path(get, path = "/api/news/users/{username}/comments", tag = "news",
    params(("username" = String, Path), ("page" = Option<u32>, Query, description = "1-based, 30 a page")),
    responses((status = 200, body = CommentList), (status = 404, body = ErrorEnvelope),
              (status = 401, body = ErrorEnvelope, description = "An API key that is not valid")))]
pub async fn comments(req: &mut Request, cx: &Cx, username: &str) -> ApiResult {
    let page = page_param(req, MAX_PAGE)?;
    let reader = reader(req, cx).await?;
    let db = cx.db()?;
    let row = person(&db, username).await?;
    let with_dead = sees_dead_of(reader.as_ref(), &row.id);
    let size = PAGE_SIZE as i64;
    let mut rows =
        store::profile_items(&db, &row.id, ProfileList::Comments, with_dead, (page as i64 - 1) * size, size)
            .await?;
    let more = rows.len() > PAGE_SIZE;
    rows.truncate(PAGE_SIZE);
    let story_ids: Vec<i64> = rows.iter().filter_map(|r| r.story_id).collect();
    let titles = store::titles(&db, &story_ids).await?;
    let comments = rows
        .iter()
        .map(|r| {
            let story_id = r.story_id.unwrap_or_default();
            ProfileComment {
                id: r.id,
                story_id,
                story_title: titles
                    .iter()
                    .find(|(id, _)| *id == story_id)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default(),
                parent: r.parent_id.unwrap_or_default(),
                text: r.text.clone(),
                created_at: Timestamp(r.created_at),
                dead: super::api::shown_dead(reader.as_ref(), r),
            }
        })
        .collect();
    json(200, &CommentList { comments, page: page as u32, more })
}

async fn set_favorite(req: &mut Request, cx: &Cx, id: &str, saved: bool) -> ApiResult {
    let me = writer(req, cx).await?;
    let id = parse_id(id)?;
    let db = cx.db()?;
    let item = visible_item(&db, id, Some(&me)).await?;
    if item.is_deleted() {
        return Err(no_item(id));
    }
    if saved && !item.is_story() {
        return Err(ApiError::new(ErrorCode::Conflict, "Only stories can be saved to favorites."));
    }
    store::set_favorite(&db, me.id(), id, saved, cx.now_ms).await?;
    no_content()
}

/// Saves a story to your favorites (again: no change).
#[utoipa::path(put, path = "/api/news/items/{id}/favorite", tag = "news",
    params(("id" = i64, Path, description = "A story's id")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 204, description = "Saved"), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Not a story")))]
pub async fn favorite(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    set_favorite(req, cx, id, true).await
}

/// Takes a story off your favorites.
#[utoipa::path(delete, path = "/api/news/items/{id}/favorite", tag = "news",
    params(("id" = i64, Path, description = "A story's id")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 204, description = "Not saved"), (status = 404, body = ErrorEnvelope)))]
pub async fn unfavorite(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    set_favorite(req, cx, id, false).await
}
