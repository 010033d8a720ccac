//! HN's read API at `/v0/`, field for field, so existing Hacker News clients read Dozen News
//! unchanged: items, users, the five lists (up to 500 ids), `maxitem` and `updates`. As HN
//! does, an id that does not exist answers `null` (200), and any site may read it (CORS).

use crate::{
    http::{json, with_headers, ApiResult, Cx},
    news::{
        api::{LIST_DEPTH, MAX_ID},
        front,
        store::{self, ItemRow, Listing},
    },
};
use shared::news::{
    comments::order_replies,
    format::to_hn_html,
    submission::StoryKind,
    wire::{HnItem, HnUpdates, HnUser},
};
use worker::Request;

fn open_to_all(response: ApiResult) -> ApiResult {
    with_headers(response?, &[("Access-Control-Allow-Origin", "*"), ("Cache-Control", "public, max-age=10")])
}

/// `8863.json` → 8863.
fn id_of(segment: &str) -> Option<i64> {
    segment.strip_suffix(".json").unwrap_or(segment).parse().ok().filter(|id| (1..MAX_ID).contains(id))
}

fn hn_item(item: &ItemRow, kids: Vec<i64>) -> HnItem {
    let time = item.created_at.div_euclid(1000);
    let kind = if item.is_story() { "story" } else { "comment" };
    if item.is_deleted() {
        return HnItem {
            id: item.id,
            deleted: Some(true),
            kind: kind.into(),
            time,
            parent: item.parent_id,
            kids: Some(kids).filter(|k| !k.is_empty()),
            ..HnItem::default()
        };
    }
    if item.is_dead() {
        return HnItem {
            id: item.id,
            dead: Some(true),
            kind: kind.into(),
            time,
            parent: item.parent_id,
            ..HnItem::default()
        };
    }
    let text = Some(to_hn_html(&item.text)).filter(|t| !t.is_empty());
    HnItem {
        id: item.id,
        deleted: None,
        kind: kind.into(),
        by: Some(item.by.clone()),
        time,
        text,
        dead: None,
        parent: item.parent_id,
        kids: Some(kids).filter(|k| !k.is_empty()),
        url: item.url.clone().filter(|_| item.is_story()),
        score: item.is_story().then_some(item.points),
        title: item.title.clone().filter(|_| item.is_story()),
        descendants: item.is_story().then_some(item.descendants),
    }
}

/// `GET /v0/item/{id}.json`
#[utoipa::path(get, path = "/v0/item/{id}", tag = "news",
    params(("id" = String, Path, description = "The item's id, then `.json`")),
    responses((status = 200, body = Option<HnItem>, description = "The item, or null")))]
pub async fn item(_req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let Some(id) = id_of(id) else { return open_to_all(json(200, &None::<HnItem>)) };
    let db = cx.db()?;
    let Some(item) = store::item(&db, id).await? else { return open_to_all(json(200, &None::<HnItem>)) };
    // Kids in ranked order, as HN lists them.
    let mut children = store::children_of(&db, id).await?;
    order_replies(&mut children, |c| (&c.id, c.points, c.created_at), cx.now_ms);
    open_to_all(json(200, &Some(hn_item(&item, children.iter().map(|c| c.id).collect()))))
}

/// `GET /v0/user/{id}.json`
#[utoipa::path(get, path = "/v0/user/{id}", tag = "news",
    params(("id" = String, Path, description = "The username, then `.json`")),
    responses((status = 200, body = Option<HnUser>, description = "The user, or null")))]
pub async fn user(_req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let username = id.strip_suffix(".json").unwrap_or(id);
    let db = cx.db()?;
    let Some(row) = store::profile(&db, username).await? else {
        return open_to_all(json(200, &None::<HnUser>));
    };
    let submitted = store::submitted(&db, &row.id, 10_000).await?;
    let about = row.about.filter(|a| !a.is_empty()).map(|a| to_hn_html(&a));
    let user = HnUser {
        id: row.username,
        created: row.created_at.div_euclid(1000),
        karma: row.karma.unwrap_or(0),
        about,
        submitted,
    };
    open_to_all(json(200, &Some(user)))
}

async fn list(cx: &Cx, listing: Listing) -> ApiResult {
    let db = cx.db()?;
    let mut ids = front::ids(cx, &db, listing).await?;
    ids.truncate(LIST_DEPTH);
    open_to_all(json(200, &ids))
}

/// `GET /v0/topstories.json`: the front page's order.
#[utoipa::path(get, path = "/v0/topstories.json", tag = "news", responses((status = 200, body = Vec<i64>)))]
pub async fn top(_req: &mut Request, cx: &Cx) -> ApiResult {
    list(cx, Listing::Ranked(None)).await
}

/// `GET /v0/newstories.json`
#[utoipa::path(get, path = "/v0/newstories.json", tag = "news", responses((status = 200, body = Vec<i64>)))]
pub async fn new(_req: &mut Request, cx: &Cx) -> ApiResult {
    list(cx, Listing::New).await
}

/// `GET /v0/beststories.json`
#[utoipa::path(get, path = "/v0/beststories.json", tag = "news", responses((status = 200, body = Vec<i64>)))]
pub async fn best(_req: &mut Request, cx: &Cx) -> ApiResult {
    list(cx, Listing::Best).await
}

/// `GET /v0/askstories.json`
#[utoipa::path(get, path = "/v0/askstories.json", tag = "news", responses((status = 200, body = Vec<i64>)))]
pub async fn ask(_req: &mut Request, cx: &Cx) -> ApiResult {
    list(cx, Listing::Ranked(Some(StoryKind::Ask))).await
}

/// `GET /v0/showstories.json`
#[utoipa::path(get, path = "/v0/showstories.json", tag = "news", responses((status = 200, body = Vec<i64>)))]
pub async fn show(_req: &mut Request, cx: &Cx) -> ApiResult {
    list(cx, Listing::Ranked(Some(StoryKind::Show))).await
}

/// `GET /v0/maxitem.json`
/// HN's job posts: Dozen News has none (no one posts jobs here), so the list is empty, as HN's
/// is between hiring posts; clients that read all six lists work unchanged.
#[utoipa::path(get, path = "/v0/jobstories.json", tag = "news", responses((status = 200, body = Vec<i64>)))]
pub async fn jobs(_req: &mut Request, _cx: &Cx) -> ApiResult {
    open_to_all(json(200, &Vec::<i64>::new()))
}

#[utoipa::path(get, path = "/v0/maxitem.json", tag = "news",
    responses((status = 200, body = i64, content_type = "application/json")))]
pub async fn max_item(_req: &mut Request, cx: &Cx) -> ApiResult {
    open_to_all(json(200, &store::max_item(&cx.db()?).await?))
}

/// `GET /v0/updates.json`: items and profiles changed lately.
#[utoipa::path(get, path = "/v0/updates.json", tag = "news", responses((status = 200, body = HnUpdates)))]
pub async fn updates(_req: &mut Request, cx: &Cx) -> ApiResult {
    let (items, profiles) = store::updates(&cx.db()?, 100).await?;
    open_to_all(json(200, &HnUpdates { items, profiles }))
}
