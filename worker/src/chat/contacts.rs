//! `/api/chat/contacts` and `/api/chat/settings`: finding people, asking, answering, removing
//! and blocking (the rules are `shared::chat::contacts`), and one's privacy.

use crate::{
    auth::{identity, store::user_by_login, store::UserRow},
    chat::store::contacts as store,
    http::{json, no_content, read_json, ApiResult, Cx},
};
use shared::{
    auth::{validation::normalize_username, wire::LoginName},
    chat::{
        contacts::{Action, Relation, Side, Status},
        rest::{list_rank, ChatSettings, ContactList, ContactRequest, ContactView, UpdateChatSettings},
    },
    error::ErrorEnvelope,
    ApiError, ErrorCode,
};
use worker::{D1Database, Request};

/// How often a change is tried again when the pair changed under it (someone else acted at the
/// same moment).
const ATTEMPTS: usize = 5;

/// Everyone the caller stands with: contacts, requests either way, and whom they block.
#[utoipa::path(get, path = "/api/chat/contacts", tag = "chat", security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ContactList), (status = 401, body = ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let mut items: Vec<ContactView> = store::pairs_of(&cx.db()?, &me.id)
        .await?
        .into_iter()
        .map(|pair| {
            let side = if pair.a_id == me.id { Side::A } else { Side::B };
            ContactView {
                status: pair.relation().status(side),
                username: pair.other_username,
                display_name: pair.other_display_name,
            }
        })
        .filter(|view| view.status != Status::None)
        .collect();
    items.sort_by(|a, b| (list_rank(a.status), &a.username).cmp(&(list_rank(b.status), &b.username)));
    json(200, &ContactList { items })
}

/// Asks someone to be a contact (asking someone who asked you accepts them).
#[utoipa::path(post, path = "/api/chat/contacts", tag = "chat", request_body = ContactRequest,
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ContactView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn request(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let body = read_json::<ContactRequest>(req).await?;
    json(200, &act(cx, &me, &body.username, Action::Request).await?)
}

macro_rules! contact_action {
    ($name:ident, $path:literal, $action:expr, $what:literal) => {
        #[doc = $what]
        #[utoipa::path(post, path = $path, tag = "chat", params(("username" = String, Path)),
            security(("session" = []), ("api_key" = [])),
            responses((status = 200, body = ContactView), (status = 401, body = ErrorEnvelope),
                      (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
        pub async fn $name(req: &mut Request, cx: &Cx, username: &str) -> ApiResult {
            let me = identity::require(req, cx).await?.user;
            json(200, &act(cx, &me, username, $action).await?)
        }
    };
}

contact_action!(accept, "/api/chat/contacts/{username}/accept", Action::Accept, "Accepts their request.");
contact_action!(decline, "/api/chat/contacts/{username}/decline", Action::Decline, "Declines their request.");
contact_action!(
    block,
    "/api/chat/contacts/{username}/block",
    Action::Block,
    "Blocks them: they cannot message you, add you to a group or see your presence, and are not told."
);
contact_action!(unblock, "/api/chat/contacts/{username}/unblock", Action::Unblock, "Unblocks them.");

/// Removes a contact, or withdraws the caller's request.
#[utoipa::path(delete, path = "/api/chat/contacts/{username}", tag = "chat", params(("username" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 422, body = ErrorEnvelope)))]
pub async fn remove(req: &mut Request, cx: &Cx, username: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    act(cx, &me, username, Action::Remove).await?;
    no_content()
}

/// The person called `username` (as typed: any case), or 404.
pub async fn person(db: &D1Database, username: &str) -> Result<UserRow, ApiError> {
    let name = normalize_username(username).map_err(|_| ApiError::not_found("No one has that username."))?;
    user_by_login(db, &LoginName::Username(name))
        .await?
        .ok_or_else(|| ApiError::not_found("No one has that username."))
}

/// What stands between `me` and `them`, and `me`'s side of it.
pub async fn relation(db: &D1Database, me: &str, them: &str) -> Result<(Relation, Side), ApiError> {
    let side = Side::of(me, them);
    let (a_id, b_id) = if side == Side::A { (me, them) } else { (them, me) };
    Ok((store::relation(db, a_id, b_id).await?.0, side))
}

/// Does `action` towards the person called `username`, as a compare-and-set on the pair's row.
async fn act(cx: &Cx, me: &UserRow, username: &str, action: Action) -> Result<ContactView, ApiError> {
    let db = cx.db()?;
    let them = person(&db, username).await?;
    if them.id == me.id {
        return Err(ApiError::invalid("username", "That is you."));
    }
    let side = Side::of(&me.id, &them.id);
    let (a_id, b_id) = if side == Side::A { (&me.id, &them.id) } else { (&them.id, &me.id) };
    for _ in 0..ATTEMPTS {
        let (relation, version) = store::relation(&db, a_id, b_id).await?;
        let next = relation.after(side, action)?;
        if next == relation && version != 0 {
            return Ok(view(&them, next.status(side)));
        }
        if store::put_relation(&db, a_id, b_id, &next, version, cx.now_ms).await? {
            return Ok(view(&them, next.status(side)));
        }
    }
    Err(ApiError::new(ErrorCode::Conflict, "They changed this at the same moment; try again."))
}

fn view(user: &UserRow, status: Status) -> ContactView {
    ContactView { username: user.username.clone(), display_name: user.display_name.clone(), status }
}

/// The caller's chat privacy.
#[utoipa::path(get, path = "/api/chat/settings", tag = "chat", security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ChatSettings), (status = 401, body = ErrorEnvelope)))]
pub async fn settings(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    json(200, &store::settings(&cx.db()?, &me.id).await?)
}

/// Changes the caller's chat privacy; absent fields stay.
#[utoipa::path(patch, path = "/api/chat/settings", tag = "chat", request_body = UpdateChatSettings,
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = ChatSettings), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_settings(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let change = read_json::<UpdateChatSettings>(req).await?;
    json(200, &store::change_settings(&cx.db()?, &me.id, change).await?)
}
