//! `/api/poker/tables`: the lobby, making a table, and one table's page.

use super::store::{self, TableRow};
use crate::{
    auth::identity,
    http::{json, query_pairs, read_json, ApiResult, Cx},
    links,
    password::random,
    rate_limit,
};
use shared::{
    error::ErrorEnvelope,
    ids::TimeId,
    poker::{
        lobby::{LobbyFilter, TableFacts, TableList, TableView},
        seat::SeatView,
        sit_and_go::Finish,
        table::NewTable,
    },
    rate_limit::RateLimit,
    time::Timestamp,
    ApiError,
};
use std::collections::HashMap;
use worker::{D1Database, Request};

/// Tables a person may make in an hour.
const NEW_TABLES: RateLimit = RateLimit { limit: 20, window_secs: 3_600 };

/// The tables as the lobby shows them, each with who sits where (one query for them all).
async fn views(db: &D1Database, rows: Vec<TableRow>) -> Result<Vec<TableView>, ApiError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut seated: HashMap<String, Vec<SeatView>> = HashMap::new();
    for seat in store::seated(db, &ids).await? {
        seated.entry(seat.table_id.clone()).or_default().push(seat.view());
    }
    let tournaments: Vec<&str> = rows.iter().filter(|r| r.stage().is_some()).map(|r| r.id.as_str()).collect();
    let mut results: HashMap<String, Vec<Finish>> = HashMap::new();
    if !tournaments.is_empty() {
        for finish in store::finishes(db, &tournaments).await? {
            results.entry(finish.table_id.clone()).or_default().push(finish.placed().view());
        }
    }
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    rows.into_iter()
        .map(|row| {
            let facts = TableFacts {
                seated: seated.remove(&row.id).unwrap_or_default(),
                invite_url: row.invite_url.clone(),
                host: row.host.clone(),
                hands: count(row.hands),
                pots: count(row.pots_total),
                created_at: Timestamp(row.created_at).to_rfc3339(),
                stage: row.stage(),
                started_at: row.started_at.map(|at| Timestamp(at).to_rfc3339()),
                results: results.remove(&row.id).unwrap_or_default(),
            };
            Ok(TableView::new(row.id.clone(), &row.rules()?, facts))
        })
        .collect()
}

async fn one_view(db: &D1Database, row: TableRow) -> Result<TableView, ApiError> {
    views(db, vec![row]).await?.pop().ok_or_else(ApiError::internal)
}

/// The lobby: public tables, newest first, a page at a time (100 unless `limit` says fewer),
/// filtered by game, stakes (the big blind, or Stud's big bet) and free seats.
#[utoipa::path(get, path = "/api/poker/tables", tag = "poker",
    params(("game" = Option<String>, Query, description = "nlhe, plo or stud"),
           ("format" = Option<String>, Query, description = "cash or sng (sit-and-go)"),
           ("min_stake" = Option<u64>, Query, description = "The smallest big blind (Stud: big bet)"),
           ("max_stake" = Option<u64>, Query, description = "The largest big blind (Stud: big bet)"),
           ("free" = Option<bool>, Query, description = "Only tables with a free seat"),
           ("limit" = Option<u32>, Query, description = "Tables a page holds, 1–100 (default 100)"),
           ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = TableList), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list(req: &mut Request, cx: &Cx) -> ApiResult {
    identity::require(req, cx).await?;
    let filter = LobbyFilter::parse(&query_pairs(req))?;
    let db = cx.db()?;
    let mut rows = store::lobby(&db, &filter).await?;
    let page = usize::try_from(filter.limit).unwrap_or(100);
    let more = rows.len() > page;
    rows.truncate(page);
    let next_cursor = if more { rows.last().map(|r| r.id.clone()) } else { None };
    json(200, &TableList { items: views(&db, rows).await?, next_cursor })
}

/// Makes a table, hosted by the caller. A private one is not listed: its invite is a short link
/// (made through Links) to its page.
#[utoipa::path(post, path = "/api/poker/tables", tag = "poker", request_body = NewTable,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = TableView), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope, description = "More than 20 new tables in an hour; see Retry-After")))]
pub async fn create(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let rules = read_json::<NewTable>(req).await?.check()?;
    let db = cx.db()?;
    rate_limit::hit(&db, &format!("poker-tables:user:{}", me.id), NEW_TABLES, cx.now_ms).await?;
    let id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    // A private table's invite is a short link to its page, in the host's Links (tagged poker).
    let invite = if rules.private {
        Some(links::api::shorten_own_page(cx, &me.id, &format!("/poker/tables/{id}"), "poker").await?)
    } else {
        None
    };
    store::insert(&db, &id, &me.id, &rules, invite.as_deref(), cx.now_ms).await?;
    let row = store::one(&db, &id).await?.ok_or_else(ApiError::internal)?;
    json(201, &one_view(&db, row).await?)
}

/// One table, public or private (whoever has its id was given its link).
#[utoipa::path(get, path = "/api/poker/tables/{id}", tag = "poker", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = TableView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    identity::require(req, cx).await?;
    let db = cx.db()?;
    let row = store::one(&db, id).await?.ok_or_else(|| ApiError::not_found("No such table."))?;
    json(200, &one_view(&db, row).await?)
}
