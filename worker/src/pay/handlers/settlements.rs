//! `/v1/settlements` and the reconciliation report: Razorpay's `/v1/settlements/recon/combined`
//! and the dashboard's JSON/CSV download.

use super::respond::{ok, V1Result};
use crate::{
    auth::identity,
    http::{json, query_pairs, ApiResult, Cx, OrInternal},
    pay::{
        services::{self, keys::Merchant},
        store::{self, settlements::SettlementRow},
    },
};
use shared::{
    pay::{
        entity::Collection,
        list::ListQuery,
        settlement::{recon_csv, recon_period},
        RazorpayError,
    },
    ApiError,
};
use worker::{Request, Response};

#[utoipa::path(get, path = "/v1/settlements", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("count" = Option<i64>, Query), ("skip" = Option<i64>, Query), ("from" = Option<i64>, Query, description = "unix seconds"), ("to" = Option<i64>, Query, description = "unix seconds")),
    responses((status = 200, description = "A collection of settlements"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn list(cx: &Cx, merchant: &Merchant, query: &ListQuery) -> V1Result {
    let rows = store::settlements::page(&cx.db()?, &merchant.id, query).await?;
    ok(&Collection::new(rows.iter().map(SettlementRow::entity).collect()))
}

#[utoipa::path(get, path = "/v1/settlements/{id}", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "The settlement"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn fetch(cx: &Cx, merchant: &Merchant, id: &str) -> V1Result {
    if !shared::pay::ids::has_shape("setl_", id) {
        return Err(RazorpayError::no_such_id());
    }
    let row =
        store::settlements::get(&cx.db()?, &merchant.id, id).await?.ok_or_else(RazorpayError::no_such_id)?;
    ok(&row.entity())
}

/// The period a `year`/`month`/`day` query names.
fn period(pairs: &[(String, String)]) -> Result<(i64, i64), ApiError> {
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    recon_period(get("year"), get("month"), get("day"))
}

/// `2026-11-29`, `2026-11` or `2026` from a query `period` has accepted.
fn file_period(pairs: &[(String, String)]) -> String {
    ["year", "month", "day"]
        .iter()
        .filter_map(|key| pairs.iter().find(|(k, _)| k == key))
        .filter_map(|(_, v)| v.trim().parse::<u16>().ok())
        .enumerate()
        .map(|(i, n)| if i == 0 { n.to_string() } else { format!("{n:02}") })
        .collect::<Vec<_>>()
        .join("-")
}

/// `GET /v1/settlements/recon/combined?year=&month=&day=` (Razorpay's report).
#[utoipa::path(get, path = "/v1/settlements/recon/combined", tag = "pay-v1", security(("razorpay_key" = [])),
    params(("year" = i64, Query), ("month" = Option<i64>, Query), ("day" = Option<i64>, Query)),
    responses((status = 200, description = "A collection of recon rows"), (status = 400, body = shared::pay::error::RazorpayErrorEnvelope),
              (status = 401, body = shared::pay::error::RazorpayErrorEnvelope)))]
pub async fn recon_combined(req: &Request, cx: &Cx, merchant: &Merchant) -> V1Result {
    let (from, until) = period(&query_pairs(req))?;
    let rows = services::settlements::recon_rows(&cx.db()?, &merchant.id, from, until).await?;
    ok(&Collection::new(rows))
}

/// The dashboard's download: `?year=&month=&day=` and `format=json|csv`.
#[utoipa::path(get, path = "/api/pay/reconciliation", tag = "pay", security(("session" = []), ("api_key" = [])),
    params(("year" = i64, Query), ("month" = Option<i64>, Query), ("day" = Option<i64>, Query),
           ("format" = Option<String>, Query, description = "json (default) or csv")),
    responses((status = 200, description = "A collection of recon rows, or text/csv"),
              (status = 401, body = shared::error::ErrorEnvelope), (status = 422, body = shared::error::ErrorEnvelope)))]
pub async fn reconciliation(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?;
    let pairs = query_pairs(req);
    let (from, until) = period(&pairs)?;
    let rows = services::settlements::recon_rows(&cx.db()?, &me.user.id, from, until).await?;
    match pairs.iter().find(|(k, _)| k == "format").map(|(_, v)| v.as_str()) {
        None | Some("json") => json(200, &Collection::new(rows)),
        Some("csv") => {
            // Only the validated period names the file (it goes into a header).
            let name = format!("dozen-pay-recon-{}.csv", file_period(&pairs));
            let response = Response::ok(recon_csv(&rows)).internal("csv")?;
            crate::http::with_headers(
                response,
                &[
                    ("Content-Type", "text/csv; charset=utf-8".to_owned()),
                    ("Content-Disposition", format!("attachment; filename=\"{name}\"")),
                ],
            )
        }
        Some(_) => Err(ApiError::invalid("format", "The format must be json or csv.")),
    }
}
