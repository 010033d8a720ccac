//! `GET /api/poker/players/{username}/stats`: a player's statistics over every hand they played,
//! summed from each hand's counts (`poker_hand_players`), and their chips over time.

use super::store;
use crate::{
    auth::identity,
    http::{json, ApiResult, Cx},
};
use shared::{
    error::ErrorEnvelope,
    poker::profile::{PlayerProfile, GRAPH_POINTS},
    ApiError,
};
use worker::Request;

/// A player's statistics (any signed-in person may see anyone's, as at any card room's tables):
/// hands, VPIP, PFR, 3-bet, WTSD, W$SD, chips won, and the chips won over time.
#[utoipa::path(get, path = "/api/poker/players/{username}/stats", tag = "poker", params(("username" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = PlayerProfile), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn stats(req: &mut Request, cx: &Cx, username: &str) -> ApiResult {
    identity::require(req, cx).await?;
    let db = cx.db()?;
    let (user_id, username) =
        store::user_by_name(&db, username).await?.ok_or_else(|| ApiError::not_found("No such player."))?;
    let counts = store::player_counts(&db, &user_id).await?;
    let runs = store::player_runs(&db, &user_id, GRAPH_POINTS).await?;
    json(200, &PlayerProfile::new(username, &counts, &runs))
}
