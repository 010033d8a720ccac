//! The worker's side of a table's Durable Object (`room::PokerTable`): opening a viewer's
//! socket, and handing it the seat changes so that they are ordered with the hands.

use super::{
    room::{LeaveReply, LeaveRequest, SitReply, SitRequest, TABLE_HEADER, USERNAME_HEADER, USER_ID_HEADER},
    store,
};
use crate::{
    auth::identity,
    http::{header, ApiResult, Cx, OrInternal},
};
use serde::{de::DeserializeOwned, Serialize};
use shared::{error::ErrorEnvelope, ApiError, ErrorCode};
use worker::{Env, Headers, Method, Request, RequestInit};

const INTERNAL_HEADERS: [&str; 3] = [USER_ID_HEADER, USERNAME_HEADER, TABLE_HEADER];

fn table_stub(env: &Env, table_id: &str) -> Result<worker::Stub, ApiError> {
    let namespace = env.durable_object("POKER_TABLES").internal("POKER_TABLES binding")?;
    namespace.id_from_name(table_id).and_then(|id| id.get_stub()).internal("POKER_TABLES stub")
}

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
    let headers = Headers::new();
    for (name, value) in req.headers().entries() {
        if !INTERNAL_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            let _ = headers.append(&name, &value);
        }
    }
    for (name, value) in INTERNAL_HEADERS.iter().zip([&me.id, &me.username, &table.id]) {
        headers.set(name, value).internal("socket headers")?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let request = Request::new_with_init("https://poker-table/connect", &init).internal("socket request")?;
    table_stub(&cx.env, &table.id)?.fetch_with_request(request).await.internal("opening a table socket")
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
