//! `GET /api/poker/wallet`: the caller's play chips and rupees, off the tables and on them, and
//! their latest deposits and withdrawals.

use super::store;
use crate::{
    auth::identity,
    http::{json, ApiResult, Cx},
};
use shared::{
    error::ErrorEnvelope,
    poker::wallet::{next_top_up, WalletView},
    time::Timestamp,
};
use worker::Request;

/// The caller's play chips, topped up once a day (the first visit included) so that what they
/// have in the wallet and at tables comes to 100,000 when it is below that.
#[utoipa::path(get, path = "/api/poker/wallet", tag = "poker",
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = WalletView), (status = 401, body = ErrorEnvelope)))]
pub async fn get(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let row = store::wallet(&db, &me.id, cx.now_ms).await?;
    let (deposits, withdrawals) = super::money::history(req, &db, &me.id).await?;
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    let (chips, at_tables) = (n(row.play_chips), n(row.at_tables));
    json(
        200,
        &WalletView {
            play_chips: chips,
            at_tables,
            next_top_up_at: next_top_up(chips, at_tables, row.topped_up_at)
                .map(|at| Timestamp(at).to_rfc3339()),
            inr_paise: n(row.inr_paise),
            inr_at_tables: n(row.inr_at_tables),
            deposits,
            withdrawals,
        },
    )
}
