//! The worker's side of a table's Durable Object (`room::PokerTable`): opening a viewer's
//! socket, and handing it the seat changes so that they are ordered with the hands.

use super::{
    room::{LeaveReply, LeaveRequest, SitReply, SitRequest, TABLE_HEADER, USERNAME_HEADER, USER_ID_HEADER},
    store,
};
use crate::{
    auth::identity,
    http::{header, ApiResult, Cx},
};
use serde::{de::DeserializeOwned, Serialize};
use shared::{error::ErrorEnvelope, ApiError, ErrorCode};
use worker::{Env, Request};

const INTERNAL_HEADERS: [&str; 3] = [USER_ID_HEADER, USERNAME_HEADER, TABLE_HEADER];

/// Opens a table's socket for the signed-in viewer (session cookie, or `Authorization: Bearer`
/// with an API key): a player sees their own cards, a spectator none. Its frames are in the
/// README's "Poker table protocol".
#[utoipa::path(get, path = "/api/poker/tables/{id}/socket", tag = "poker", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 101, description = "Switching to the table's socket"), (status = 400, body = ErrorEnvelope),
              (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn open(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    if !header(req, "Upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket")) {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "This is a WebSocket: connect with `Upgrade: websocket`.",
        ));
    }
    // A page of another site must not open a socket with this person's cookie.
    if header(req, "Origin").is_some_and(|origin| origin != cx.own_origin) {
        return Err(ApiError::new(ErrorCode::CrossSiteRequest, "Sockets open from Dozen's own pages only."));
    }
    let db = cx.db()?;
    let table = store::one(&db, id).await?.ok_or_else(|| ApiError::not_found("No such table."))?;
    super::admin::sighted(req, cx, &table.id, &me.id).await?;
    let internal: Vec<(&str, &str)> = INTERNAL_HEADERS
        .iter()
        .copied()
        .zip([me.id.as_str(), me.username.as_str(), table.id.as_str()])
        .collect();
    crate::durable::connect(&cx.env, "POKER_TABLES", &table.id, req, &internal).await
}

/// Asks a table's object; its refusals come back as the `ApiError` it answered.
async fn call<Q: Serialize, A: DeserializeOwned>(
    env: &Env,
    table_id: &str,
    path: &str,
    body: &Q,
) -> Result<A, ApiError> {
    crate::durable::ask(env, "POKER_TABLES", table_id, path, body).await
}

pub async fn sit(env: &Env, asked: &SitRequest) -> Result<bool, ApiError> {
    call::<_, SitReply>(env, &asked.table_id, "/sit", asked).await.map(|r| r.sat)
}

pub async fn leave(env: &Env, asked: &LeaveRequest) -> Result<LeaveReply, ApiError> {
    call(env, &asked.table_id, "/leave", asked).await
}
