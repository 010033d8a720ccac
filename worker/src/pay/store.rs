//! Pay's D1 tables (migrations/0006_pay.sql onwards): every SQL statement of Pay and the row
//! types it reads, one file per table or aggregate. Nothing above this layer writes SQL.
//!
//! Statuses are bound from `shared::pay`'s enums (`as_str`), never written as literals, and
//! rows read them back into those enums: a row whose status is not a known word fails to read
//! (logged with its cause by `d1`, answered with the opaque 500), never defaults.
//!
//! Races are settled inside D1 batches (one transaction each): a statement that must happen
//! only if an earlier one did is guarded by `WHERE EXISTS (…)` on what that earlier one wrote,
//! so twenty captures of one payment post one capture, and refunds never pass the amount.
//! Every query of a merchant's data names the merchant.

pub mod customers;
pub mod demo;
pub mod keys;
pub mod ledger;
pub mod orders;
pub mod payment_links;
pub mod payments;
pub mod payouts;
pub mod plans;
pub mod refunds;
pub mod reviews;
pub mod routing;
pub mod settlements;
pub mod subscriptions;
pub mod webhooks;

use crate::d1::{all, num, prepare, text};
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::{Map, Value};
use shared::{pay::list::ListQuery, ApiError};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// A stored JSON object (`notes`, `acquirer_data`); `{}` when the column holds none.
pub fn notes_of(json: &str) -> Map<String, Value> {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn notes_json(notes: &Map<String, Value>) -> String {
    serde_json::to_string(notes).unwrap_or_else(|_| "{}".into())
}

/// `INSERT INTO table (columns…) SELECT ?… WHERE guard`: an insert that happens only when the
/// guard holds. `guard_args` bind the guard's own `?`s, after the columns'.
fn insert_where(
    db: &D1Database,
    table: &str,
    columns: &[(&str, JsValue)],
    guard: &str,
    guard_args: &[JsValue],
) -> Result<D1PreparedStatement, ApiError> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let marks = vec!["?"; columns.len()].join(", ");
    let sql = format!("INSERT INTO {table} ({}) SELECT {marks} WHERE {guard}", names.join(", "));
    let mut args: Vec<JsValue> = columns.iter().map(|(_, value)| value.clone()).collect();
    args.extend_from_slice(guard_args);
    prepare(db, &sql, &args)
}

/// Runs statements in one D1 transaction; how many rows each changed, in order.
pub use crate::d1::run_batch;

/// The bound values of Razorpay's list window, in this order: from, until, count, skip.
fn window(query: &ListQuery) -> [JsValue; 4] {
    [num(query.from_ms), num(query.until_ms.min(1 << 52)), num(query.count), num(query.skip)]
}

/// One page of a merchant's rows of `table` (a fixed table name, never input), newest first,
/// under Razorpay's list filters.
async fn merchant_page<T: DeserializeOwned>(
    db: &D1Database,
    table: &str,
    merchant_id: &str,
    query: &ListQuery,
) -> Result<Vec<T>, ApiError> {
    all(
        db,
        &format!(
            "SELECT * FROM {table} WHERE merchant_id = ?1 AND created_at >= ?2 AND created_at < ?3 \
             ORDER BY created_at DESC, id DESC LIMIT ?4 OFFSET ?5"
        ),
        &[[text(merchant_id)].as_slice(), &window(query)].concat(),
    )
    .await
}

/// Who owns a row that a customer's public page names by id, with the name they trade under.
#[derive(Deserialize)]
pub struct Owner {
    pub merchant_id: String,
    pub merchant_name: String,
}

/// The owner of `id` in `table` (a fixed table name, never input).
async fn owner(db: &D1Database, table: &str, id: &str) -> Result<Option<Owner>, ApiError> {
    crate::d1::first(
        db,
        &format!(
            "SELECT t.merchant_id, u.display_name AS merchant_name FROM {table} t \
             JOIN auth_users u ON u.id = t.merchant_id WHERE t.id = ?1"
        ),
        &[text(id)],
    )
    .await
}
