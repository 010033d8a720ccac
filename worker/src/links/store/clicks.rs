//! `links_clicks`: one row per click, and the counts behind a link's statistics.

use crate::d1::{all, first, num, opt_text, prepare, text};
use crate::http::OrInternal;
use serde::Deserialize;
use shared::{links::click_record::ClickRecord, ApiError};
use worker::{D1Database, D1PreparedStatement};

/// Inserts clicks in batches of 100, each batch in one D1 transaction, and says how many rows
/// it wrote. A click whose id is already stored (a queue's redelivery) is skipped, and so is one
/// whose link is gone.
pub async fn insert_all(db: &D1Database, clicks: &[ClickRecord]) -> Result<usize, ApiError> {
    const BATCH: usize = 100;
    let mut written = 0;
    for batch in clicks.chunks(BATCH) {
        let statements =
            batch.iter().map(|click| insert_statement(db, click)).collect::<Result<Vec<_>, _>>()?;
        let results = db.batch(statements).await.internal("recording clicks")?;
        written += results.iter().filter_map(|r| r.meta().ok().flatten()?.changes).sum::<usize>();
    }
    Ok(written)
}

fn insert_statement(db: &D1Database, click: &ClickRecord) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT OR IGNORE INTO links_clicks \
         (link_id, clicked_at, referrer_host, country, device, browser, os, visitor, is_bot, click_id) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE EXISTS (SELECT 1 FROM links WHERE id = ?1)",
        &[
            text(&click.link_id),
            num(click.at_ms),
            text(&click.referrer_host),
            text(&click.country),
            text(&click.device),
            text(&click.browser),
            text(&click.os),
            text(&click.visitor),
            num(i64::from(click.is_bot)),
            opt_text(click.click_id.as_deref()),
        ],
    )
}

#[derive(Deserialize, Default)]
pub struct Totals {
    pub clicks: Option<i64>,
    pub bots: Option<i64>,
    pub uniques: Option<i64>,
}

#[derive(Deserialize)]
pub struct DayRow {
    pub day: i64,
    pub clicks: i64,
    pub uniques: i64,
}

#[derive(Deserialize)]
pub struct KeyRow {
    pub key: String,
    pub clicks: i64,
}

/// Clicks, bot clicks and unique human visitors of a link in [from, to).
pub async fn totals(db: &D1Database, link_id: &str, from: i64, to: i64) -> Result<Totals, ApiError> {
    let totals: Option<Totals> = first(
        db,
        "SELECT SUM(1 - is_bot) AS clicks, SUM(is_bot) AS bots, \
         COUNT(DISTINCT CASE WHEN is_bot = 0 THEN visitor END) AS uniques \
         FROM links_clicks WHERE link_id = ?1 AND clicked_at >= ?2 AND clicked_at < ?3",
        &[text(link_id), num(from), num(to)],
    )
    .await?;
    Ok(totals.unwrap_or_default())
}

/// Human clicks and visitors per day, days counted `offset_ms` from UTC. D1 binds JS numbers
/// as REAL, hence the CASTs; days before 1970 never occur (clicks are recorded now), so integer
/// division is the floor.
pub async fn by_day(
    db: &D1Database,
    link_id: &str,
    from: i64,
    to: i64,
    offset_ms: i64,
) -> Result<Vec<DayRow>, ApiError> {
    all(
        db,
        "SELECT (CAST(clicked_at AS INTEGER) + CAST(?4 AS INTEGER)) / 86400000 AS day, COUNT(*) AS clicks, COUNT(DISTINCT visitor) AS uniques \
         FROM links_clicks WHERE link_id = ?1 AND clicked_at >= ?2 AND clicked_at < ?3 AND is_bot = 0 \
         GROUP BY day ORDER BY day",
        &[text(link_id), num(from), num(to), num(offset_ms)],
    )
    .await
}

/// What a breakdown groups human clicks by (a fixed column, never input).
#[derive(Clone, Copy)]
pub enum Dimension {
    Referrer,
    Country,
    Device,
    Browser,
    Os,
}

impl Dimension {
    fn column(self) -> &'static str {
        match self {
            Self::Referrer => "referrer_host",
            Self::Country => "country",
            Self::Device => "device",
            Self::Browser => "browser",
            Self::Os => "os",
        }
    }
}

/// The top 10 values of `dimension` among the link's human clicks in [from, to).
pub async fn top(
    db: &D1Database,
    link_id: &str,
    from: i64,
    to: i64,
    dimension: Dimension,
) -> Result<Vec<KeyRow>, ApiError> {
    let sql = format!(
        "SELECT {} AS key, COUNT(*) AS clicks FROM links_clicks \
         WHERE link_id = ?1 AND clicked_at >= ?2 AND clicked_at < ?3 AND is_bot = 0 \
         GROUP BY key ORDER BY clicks DESC, key LIMIT 10",
        dimension.column()
    );
    all(db, &sql, &[text(link_id), num(from), num(to)]).await
}
