//! `/api/poker/tables/{id}/seats`: buying in and cashing out, play chips (or rupees at a rupee
//! table) between the wallet and the table in one D1 transaction each (`store::sit`,
//! `store::leave`).

use super::{
    room::{LeaveRequest, SitRequest},
    socket, store,
};
use crate::{
    auth::identity,
    http::{json, read_json, ApiResult, Cx},
    password::random,
};
use shared::{
    error::ErrorEnvelope,
    ids::TimeId,
    poker::{
        money::Chips,
        seat::{refused, SeatChange, SeatView, TakeSeat},
    },
    ApiError,
};
use worker::Request;

fn no_table() -> ApiError {
    ApiError::not_found("No such table.")
}

/// Sits the caller at a free seat with a buy-in from their play chips (topped up first if due),
/// or registers them for a sit-and-go (the buy-in is its entry; the seat gets its starting
/// chips). Two people after one seat: one gets it, the other a 409; chips never leave a wallet
/// without landing on the seat (or in the prize pool).
#[utoipa::path(post, path = "/api/poker/tables/{id}/seats", tag = "poker", params(("id" = String, Path)),
    request_body = TakeSeat, security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = SeatChange), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "The seat is taken, you sit here already, your chips are short, or the sit-and-go started"),
              (status = 422, body = ErrorEnvelope)))]
pub async fn sit(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let asked = read_json::<TakeSeat>(req).await?;
    let db = cx.db()?;
    let table = store::one(&db, id).await?.ok_or_else(no_table)?;
    let rules = table.rules()?;
    asked.check(&rules)?;
    super::admin::sighted(req, cx, &table.id, &me.id).await?;
    // The daily top-up first, so a first visit has chips to bring.
    store::wallet(&db, &me.id, cx.now_ms).await?;
    let asked_table = SitRequest {
        table_id: table.id.clone(),
        seat_id: TimeId::new(cx.now_ms, random::<10>()?).to_string(),
        user_id: me.id.clone(),
        username: me.username.clone(),
        seat: asked.seat,
        buy_in: asked.buy_in,
    };
    // The table's object seats the player (and D1 with it), ordered with its hands.
    if !socket::sit(&cx.env, &asked_table).await? {
        let (taken, mine) = store::seat_state(&db, &table.id, &me.id, asked.seat).await?;
        let wallet = store::wallet(&db, &me.id, cx.now_ms).await?;
        let chips = rules.chips;
        let held = match chips {
            Chips::Play => wallet.play_chips,
            Chips::Inr => wallet.inr_paise,
        };
        let held = u64::try_from(held).unwrap_or(0);
        return Err(refused(taken, mine, chips, held, asked.buy_in, rules.sit_and_go.is_some()));
    }
    let wallet = store::wallet(&db, &me.id, cx.now_ms).await?;
    let chips = rules.sit_and_go.map_or(asked.buy_in, |sng| sng.starting_chips);
    let seat = SeatView { seat: asked.seat, username: me.username.clone(), chips };
    json(201, &change(Some(seat), &wallet, false))
}

/// What a seat change left in the wallet.
fn change(seat: Option<SeatView>, wallet: &store::WalletRow, leaving: bool) -> SeatChange {
    SeatChange {
        seat,
        play_chips: u64::try_from(wallet.play_chips).unwrap_or(0),
        inr_paise: u64::try_from(wallet.inr_paise).unwrap_or(0),
        leaving,
    }
}

/// Gets the caller up: their chips at the table go back to their wallet, at once, or (202) when
/// the hand they are in ends; their hand is folded when their turn comes. A sit-and-go gives
/// the entry back before it starts; once it started it is played to the end (409).
#[utoipa::path(delete, path = "/api/poker/tables/{id}/seats/me", tag = "poker", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = SeatChange), (status = 202, body = SeatChange, description = "Leaving when the hand in play ends"),
              (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "A sit-and-go that started"), (status = 503, body = ErrorEnvelope)))]
pub async fn leave(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let table = store::one(&db, id).await?.ok_or_else(no_table)?;
    let reply =
        socket::leave(&cx.env, &LeaveRequest { table_id: table.id.clone(), user_id: me.id.clone() }).await?;
    let wallet = store::wallet(&db, &me.id, cx.now_ms).await?;
    let status = if reply.left { 200 } else { 202 };
    json(status, &change(reply.seat, &wallet, !reply.left))
}
