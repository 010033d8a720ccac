//! Small helpers over the D1 binding used by every storage module: binding arguments, reading
//! one row or all rows into serde types, and counting changed rows. Failures are logged and
//! become the opaque 500 (storage modules map the errors they expect, like UNIQUE, themselves).

use crate::http::OrInternal;
use serde::de::DeserializeOwned;
use shared::ApiError;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// An integer argument (D1 takes JS numbers; every integer we store is below 2^53).
pub fn num(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

pub fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

pub fn opt_text(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, text)
}

pub fn opt_num(n: Option<i64>) -> JsValue {
    n.map_or(JsValue::NULL, num)
}

/// A list as one argument, for `IN (SELECT value FROM json_each(?n))`: one statement however
/// long the list, where placeholders would cap it at D1's 100 bound parameters.
pub fn json_list<T: serde::Serialize>(items: &[T]) -> JsValue {
    text(&serde_json::to_string(items).unwrap_or_else(|_| "[]".into()))
}

/// A REAL argument, or NULL.
pub fn opt_real(n: Option<f64>) -> JsValue {
    n.map_or(JsValue::NULL, JsValue::from_f64)
}

pub fn prepare(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(sql).bind(args).internal("binding D1 arguments")
}

pub async fn first<T: DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    args: &[JsValue],
) -> Result<Option<T>, ApiError> {
    prepare(db, sql, args)?.first::<T>(None).await.internal(sql)
}

pub async fn all<T: DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    args: &[JsValue],
) -> Result<Vec<T>, ApiError> {
    prepare(db, sql, args)?.all().await.and_then(|r| r.results::<T>()).internal(sql)
}

/// The single number a `SELECT COUNT(*) AS n …` answers (0 when it answers nothing).
pub async fn count(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<i64, ApiError> {
    #[derive(serde::Deserialize)]
    struct Count {
        n: i64,
    }
    Ok(first::<Count>(db, sql, args).await?.map_or(0, |c| c.n))
}

/// The one value a `SELECT … AS value …` answers: None when it answers no row, or NULL.
pub async fn value<T: DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    args: &[JsValue],
) -> Result<Option<T>, ApiError> {
    #[derive(serde::Deserialize)]
    #[serde(bound = "T: DeserializeOwned")]
    struct Value<T> {
        value: Option<T>,
    }
    Ok(first::<Value<T>>(db, sql, args).await?.and_then(|v| v.value))
}

/// Runs a statement; the number of rows it changed.
pub async fn run(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<usize, ApiError> {
    run_prepared(prepare(db, sql, args)?, sql).await
}

/// Runs a prepared statement (`what` names it in the log); the number of rows it changed.
pub async fn run_prepared(statement: D1PreparedStatement, what: &str) -> Result<usize, ApiError> {
    let result = statement.run().await.internal(what)?;
    Ok(result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0))
}

/// Runs statements in one D1 transaction (`what` names it in the log); how many rows each
/// changed, in order.
pub async fn run_batch(
    db: &D1Database,
    statements: Vec<D1PreparedStatement>,
    what: &str,
) -> Result<Vec<usize>, ApiError> {
    let results = db.batch(statements).await.internal(what)?;
    Ok(results.iter().map(|r| r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)).collect())
}

/// Whether a D1 error is a UNIQUE violation of `table.column`.
pub fn is_unique_violation(err: &worker::Error, table_column: &str) -> bool {
    err.to_string().contains(&format!("UNIQUE constraint failed: {table_column}"))
}
