//! `GET /api/poker/hands/{id}`: a played hand as JSON (the result, the moves, the revealed seed
//! and entropy), as PHH (the history PokerKit replays) or as PokerStars-style text.

use super::store;
use crate::{
    auth::identity,
    http::{json, query_pairs, with_headers, ApiResult, Cx, OrInternal},
};
use shared::{
    error::ErrorEnvelope,
    poker::{
        history::{pokerstars_text, HandHistory},
        wire::HandView,
    },
    time::Timestamp,
    ApiError,
};
use worker::{Request, Response};

fn text_file(body: String, name: &str) -> ApiResult {
    let response = Response::ok(body).internal("a hand file")?;
    with_headers(
        response,
        &[
            ("Content-Type", "text/plain; charset=utf-8".to_owned()),
            ("Content-Disposition", format!("attachment; filename=\"{name}\"")),
        ],
    )
}

/// A played hand (any signed-in person: once a hand is over its seed is revealed, and with it
/// every card it dealt).
#[utoipa::path(get, path = "/api/poker/hands/{id}", tag = "poker",
    params(("id" = String, Path), ("format" = Option<String>, Query, description = "json (default), phh or pokerstars")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = HandView, description = "JSON, or the PHH or PokerStars text as a file"),
              (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn get(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    identity::require(req, cx).await?;
    let format = query_pairs(req).into_iter().find(|(k, _)| k == "format").map(|(_, v)| v);
    if !matches!(format.as_deref(), None | Some("json" | "phh" | "pokerstars")) {
        return Err(ApiError::invalid("format", "The format must be json, phh or pokerstars."));
    }
    let row = store::hand(&cx.db()?, id).await?.ok_or_else(|| ApiError::not_found("No such hand."))?;
    let number = u64::try_from(row.number).unwrap_or(0);
    // Only the id the database returned names the file (it goes into a header).
    let safe_id: String = row.id.chars().filter(char::is_ascii_alphanumeric).collect();
    match format.as_deref() {
        Some("phh") => text_file(row.phh, &format!("dozen-hand-{safe_id}.phh")),
        Some("pokerstars") => {
            let history = HandHistory::parse_phh(&row.phh).internal("reading a stored hand")?;
            let game = history.replay().internal("replaying a stored hand")?;
            let date = Timestamp(row.started_at)
                .to_rfc3339()
                .replace('-', "/")
                .replace('T', " ")
                .replace('Z', " UTC");
            let text = pokerstars_text(&game, &history.players, number, &row.table_name, &date);
            text_file(text, &format!("dozen-hand-{safe_id}.txt"))
        }
        _ => {
            let result = serde_json::from_str(&row.ended).internal("reading a stored result")?;
            json(
                200,
                &HandView {
                    id: row.id,
                    table_id: row.table_id,
                    table_name: row.table_name,
                    number,
                    started_at: Timestamp(row.started_at).to_rfc3339(),
                    ended_at: Timestamp(row.ended_at).to_rfc3339(),
                    result,
                },
            )
        }
    }
}
