//! `GET /api/poker/admin/signals`: collusion signals for the people named in `POKER_ADMINS`
//! (`shared::poker::signals`), worked out in D1 from what is already stored: where people were
//! seen at tables (`poker_sightings`, written by [`sighted`]), each hand's players with their
//! chips before and after (`poker_hand_players`), and its heads-up rounds (`poker_duels`).

use crate::{
    auth::identity,
    d1::{all, num, run, text},
    http::{header, json, query_pairs, ApiResult, Cx},
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use shared::{
    error::ErrorEnvelope,
    poker::{
        money::Chips,
        signals::{
            pair_is_frequent, soft_play, ChipFlow, CollusionSignals, DuelCounts, FrequentPair,
            SharedConnection, SoftPlay, FLOW_MIN_BIG_BLINDS, PAIR_MIN_HANDS, SOFT_MIN_ROUNDS, SOFT_RATIO,
        },
    },
    time::Timestamp,
    ApiError, ErrorCode,
};
use wasm_bindgen::JsValue;
use worker::{D1Database, Request};

/// Signals listed of each kind, strongest first.
const LISTED: i64 = 50;

/// Notes that `user_id` was at `table_id` from the request's address and browser.
pub async fn sighted(req: &Request, cx: &Cx, table_id: &str, user_id: &str) -> Result<(), ApiError> {
    let agent = header(req, "User-Agent").unwrap_or_default();
    let browser: String =
        Sha256::digest(agent.as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect();
    run(
        &cx.db()?,
        "INSERT INTO poker_sightings (table_id, user_id, address, browser, first_at, last_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?5) \
         ON CONFLICT (table_id, user_id, address, browser) DO UPDATE SET last_at = excluded.last_at",
        &[text(table_id), text(user_id), text(&cx.client_ip), text(&browser), num(cx.now_ms)],
    )
    .await
    .map(drop)
}

/// The signals, strongest first (50 of each kind), or only those naming `?player=` (a username).
#[utoipa::path(get, path = "/api/poker/admin/signals", tag = "poker",
    params(("player" = Option<String>, Query, description = "Only the signals naming this username")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = CollusionSignals), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Not one of POKER_ADMINS")))]
pub async fn signals(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let admins = cx.env.var("POKER_ADMINS").map(|v| v.to_string()).unwrap_or_default();
    if !shared::roles::named_in(&admins, &me.username) {
        return Err(ApiError::new(ErrorCode::Forbidden, "Collusion signals are for the tables' admins."));
    }
    let player = query_pairs(req)
        .into_iter()
        .find(|(k, _)| k == "player")
        .map(|(_, v)| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty());
    let player = player.as_deref().map_or(JsValue::NULL, text);
    let db = cx.db()?;
    json(
        200,
        &CollusionSignals {
            shared_connections: shared_connections(&db, &player).await?,
            frequent_pairs: frequent_pairs(&db, &player).await?,
            chip_flows: chip_flows(&db, &player).await?,
            soft_play: soft_plays(&db, &player).await?,
        },
    )
}

async fn shared_connections(db: &D1Database, player: &JsValue) -> Result<Vec<SharedConnection>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        table_id: String,
        table_name: String,
        a: String,
        b: String,
        same_browser: i64,
        seen_at: i64,
    }
    // An address Cloudflare could not name is nobody's.
    let rows: Vec<Row> = all(
        db,
        "SELECT x.table_id, t.name AS table_name, ua.username AS a, ub.username AS b, \
           MAX(x.browser = y.browser) AS same_browser, MAX(MAX(x.last_at, y.last_at)) AS seen_at \
         FROM poker_sightings x JOIN poker_sightings y \
           ON y.table_id = x.table_id AND y.address = x.address AND y.user_id > x.user_id \
         JOIN poker_tables t ON t.id = x.table_id \
         JOIN auth_users ua ON ua.id = x.user_id JOIN auth_users ub ON ub.id = y.user_id \
         WHERE x.address != 'unknown' AND (?2 IS NULL OR ua.username = ?2 OR ub.username = ?2) \
         GROUP BY x.table_id, x.user_id, y.user_id ORDER BY seen_at DESC LIMIT ?1",
        &[num(LISTED), player.clone()],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut players = vec![r.a, r.b];
            players.sort();
            SharedConnection {
                table_id: r.table_id,
                table_name: r.table_name,
                players,
                shared: if r.same_browser != 0 { "address and browser" } else { "address" }.to_owned(),
                seen_at: Timestamp(r.seen_at).to_rfc3339(),
            }
        })
        .collect())
}

async fn frequent_pairs(db: &D1Database, player: &JsValue) -> Result<Vec<FrequentPair>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        a: String,
        b: String,
        together: i64,
        hands_a: i64,
        hands_b: i64,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT ua.username AS a, ub.username AS b, p.together, \
           (SELECT COUNT(*) FROM poker_hand_players WHERE user_id = p.ida) AS hands_a, \
           (SELECT COUNT(*) FROM poker_hand_players WHERE user_id = p.idb) AS hands_b \
         FROM (SELECT x.user_id AS ida, y.user_id AS idb, COUNT(*) AS together \
               FROM poker_hand_players x JOIN poker_hand_players y ON y.hand_id = x.hand_id AND y.user_id > x.user_id \
               WHERE ?3 IS NULL OR x.user_id = (SELECT id FROM auth_users WHERE username = ?3) \
                  OR y.user_id = (SELECT id FROM auth_users WHERE username = ?3) \
               GROUP BY x.user_id, y.user_id HAVING COUNT(*) >= ?1 ORDER BY together DESC LIMIT ?2) p \
         JOIN auth_users ua ON ua.id = p.ida JOIN auth_users ub ON ub.id = p.idb",
        &[num(i64::try_from(PAIR_MIN_HANDS).unwrap_or(i64::MAX)), num(LISTED * 4), player.clone()],
    )
    .await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let mut pairs: Vec<FrequentPair> = rows
        .into_iter()
        .filter_map(|r| {
            let (together, a, b) = (count(r.together), count(r.hands_a), count(r.hands_b));
            pair_is_frequent(together, a, b).map(|share| FrequentPair {
                players: vec![r.a, r.b],
                hands_together: together,
                hands: vec![a, b],
                share,
            })
        })
        .collect();
    pairs.sort_by(|x, y| y.share.total_cmp(&x.share).then(y.hands_together.cmp(&x.hands_together)));
    pairs.truncate(usize::try_from(LISTED).unwrap_or(50));
    Ok(pairs)
}

async fn chip_flows(db: &D1Database, player: &JsValue) -> Result<Vec<ChipFlow>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        giver: String,
        taker: String,
        currency: String,
        amount: f64,
        big_blinds: f64,
        hands: i64,
    }
    // Each hand's losers' losses shared among its winners in proportion to their winnings: what
    // went from whom to whom. Summed per ordered pair and table currency, then netted against
    // the other direction. Cash tables only: tournament chips are worth nothing, and losing
    // them is how a tournament ends.
    let rows: Vec<Row> = all(
        db,
        "WITH gains AS (SELECT hand_id, SUM(finishing - starting) AS won FROM poker_hand_players \
                        WHERE finishing > starting GROUP BY hand_id), \
              flows AS (SELECT l.user_id AS giver, w.user_id AS taker, t.currency, \
                          (l.starting - l.finishing) * 1.0 * (w.finishing - w.starting) / g.won AS amount, \
                          (l.starting - l.finishing) * 1.0 * (w.finishing - w.starting) / g.won / t.stake AS bb \
                        FROM poker_hand_players l \
                        JOIN poker_hand_players w ON w.hand_id = l.hand_id AND w.finishing > w.starting \
                        JOIN gains g ON g.hand_id = l.hand_id \
                        JOIN poker_hands h ON h.id = l.hand_id JOIN poker_tables t ON t.id = h.table_id \
                        WHERE l.finishing < l.starting AND t.format = 'cash'), \
              pairs AS (SELECT giver, taker, currency, SUM(amount) AS amount, SUM(bb) AS bb, COUNT(*) AS hands \
                        FROM flows GROUP BY giver, taker, currency) \
         SELECT ug.username AS giver, ut.username AS taker, p.currency, \
           p.amount - COALESCE(q.amount, 0) AS amount, p.bb - COALESCE(q.bb, 0) AS big_blinds, \
           p.hands + COALESCE(q.hands, 0) AS hands \
         FROM pairs p LEFT JOIN pairs q ON q.giver = p.taker AND q.taker = p.giver AND q.currency = p.currency \
         JOIN auth_users ug ON ug.id = p.giver JOIN auth_users ut ON ut.id = p.taker \
         WHERE p.bb - COALESCE(q.bb, 0) >= ?1 AND (?3 IS NULL OR ug.username = ?3 OR ut.username = ?3) \
         ORDER BY big_blinds DESC LIMIT ?2",
        &[JsValue::from_f64(FLOW_MIN_BIG_BLINDS), num(LISTED), player.clone()],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ChipFlow {
            from: r.giver,
            to: r.taker,
            chips: if r.currency == "inr" { Chips::Inr } else { Chips::Play },
            amount: r.amount.round().max(0.0) as u64,
            big_blinds: (r.big_blinds * 10.0).round() / 10.0,
            hands: u64::try_from(r.hands).unwrap_or(0),
        })
        .collect())
}

async fn soft_plays(db: &D1Database, player: &JsValue) -> Result<Vec<SoftPlay>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        a: String,
        b: String,
        rounds: i64,
        a_bets: i64,
        b_rounds: i64,
        b_bets: i64,
        a_all_rounds: i64,
        a_all_bets: i64,
        b_all_rounds: i64,
        b_all_bets: i64,
    }
    // Each pair that met heads-up often enough, both ways, with each one's rounds against
    // everyone. The rule (`signals::soft_play`, which has the last word) is applied in SQL too,
    // so that the page's limit keeps soft pairs, not merely the busiest.
    let rows: Vec<Row> = all(
        db,
        "WITH pair AS (SELECT user_id, opponent_id, SUM(rounds) AS rounds, SUM(aggressive) AS bets \
                       FROM poker_duels GROUP BY user_id, opponent_id), \
              total AS (SELECT user_id, SUM(rounds) AS rounds, SUM(aggressive) AS bets FROM poker_duels GROUP BY user_id) \
         SELECT ua.username AS a, ub.username AS b, p.rounds, p.bets AS a_bets, q.rounds AS b_rounds, q.bets AS b_bets, \
           ta.rounds AS a_all_rounds, ta.bets AS a_all_bets, tb.rounds AS b_all_rounds, tb.bets AS b_all_bets \
         FROM pair p JOIN pair q ON q.user_id = p.opponent_id AND q.opponent_id = p.user_id \
         JOIN total ta ON ta.user_id = p.user_id JOIN total tb ON tb.user_id = q.user_id \
         JOIN auth_users ua ON ua.id = p.user_id JOIN auth_users ub ON ub.id = q.user_id \
         WHERE p.user_id < p.opponent_id AND p.rounds >= ?1 AND q.rounds >= ?1 \
           AND ta.rounds - p.rounds >= ?1 AND tb.rounds - q.rounds >= ?1 \
           AND p.bets * 1.0 / p.rounds < ?4 * (ta.bets - p.bets) / (ta.rounds - p.rounds) \
           AND q.bets * 1.0 / q.rounds < ?4 * (tb.bets - q.bets) / (tb.rounds - q.rounds) \
           AND (?3 IS NULL OR ua.username = ?3 OR ub.username = ?3) \
         ORDER BY p.rounds DESC LIMIT ?2",
        &[
            num(i64::try_from(SOFT_MIN_ROUNDS).unwrap_or(i64::MAX)),
            num(LISTED),
            player.clone(),
            JsValue::from_f64(SOFT_RATIO),
        ],
    )
    .await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let counts = |rounds: i64, bets: i64| DuelCounts { rounds: count(rounds), aggressive: count(bets) };
    let mut listed: Vec<SoftPlay> = rows
        .into_iter()
        .filter_map(|r| {
            let (a_b, b_a) = (counts(r.rounds, r.a_bets), counts(r.b_rounds, r.b_bets));
            let a_others = counts(r.a_all_rounds - r.rounds, r.a_all_bets - r.a_bets);
            let b_others = counts(r.b_all_rounds - r.b_rounds, r.b_all_bets - r.b_bets);
            let [ab, ba, ao, bo] = soft_play(a_b, b_a, a_others, b_others)?;
            let round = |x: f64| (x * 1000.0).round() / 1000.0;
            Some(SoftPlay {
                players: vec![r.a, r.b],
                rounds_together: a_b.rounds,
                bet_rates_together: vec![round(ab), round(ba)],
                bet_rates_against_others: vec![round(ao), round(bo)],
            })
        })
        .collect();
    listed.truncate(usize::try_from(LISTED).unwrap_or(50));
    Ok(listed)
}
