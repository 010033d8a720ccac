//! `links_clicks`: one row per click, and the counts behind a link's statistics.

use crate::d1::{all, first, num, prepare, text};
use crate::http::OrInternal;
use serde::Deserialize;
use shared::{links::click_record::ClickRecord, ApiError};
use worker::D1Database;

/// Inserts clicks 100 at a time, each hundred in one statement (so one transaction) that reads
/// them from one JSON parameter: one bind, not ten per click, which keeps the clicks queue's
/// consumer cheap. Says how many rows it wrote. A click whose id is already stored (a queue's
/// redelivery) is skipped, and so is one whose link is gone.
pub async fn insert_all(db: &D1Database, clicks: &[ClickRecord]) -> Result<usize, ApiError> {
    const BATCH: usize = 100;
    let mut written = 0;
    for batch in clicks.chunks(BATCH) {
        let json = serde_json::to_string(batch).internal("clicks as JSON")?;
        let result = prepare(
            db,
            "INSERT OR IGNORE INTO links_clicks \
             (link_id, clicked_at, referrer_host, country, device, browser, os, visitor, is_bot, click_id) \
             SELECT json_extract(c.value, '$.link_id'), json_extract(c.value, '$.at_ms'), \
                    json_extract(c.value, '$.referrer_host'), json_extract(c.value, '$.country'), \
                    json_extract(c.value, '$.device'), json_extract(c.value, '$.browser'), \
                    json_extract(c.value, '$.os'), json_extract(c.value, '$.visitor'), \
                    json_extract(c.value, '$.is_bot'), json_extract(c.value, '$.click_id') \
             FROM json_each(?1) c \
             WHERE EXISTS (SELECT 1 FROM links WHERE id = json_extract(c.value, '$.link_id'))",
            &[text(&json)],
        )?
        .run()
        .await
        .internal("recording clicks")?;
        written += result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0);
    }
    Ok(written)
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
