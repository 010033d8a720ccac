//! `poker_tables`, `poker_wallets` and `poker_seats`.

use crate::d1::{all, first, num, prepare, run, run_batch, text};
use serde::Deserialize;
use shared::{
    poker::{
        lobby::LobbyFilter,
        money::Chips,
        play::Finished,
        profile::Run,
        seat::SeatView,
        sit_and_go::{Placed, Stage},
        stats::PlayerStats,
        table::TableRules,
        wallet::PLAY_TOP_UP,
    },
    ApiError,
};
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize)]
pub struct TableRow {
    pub id: String,
    pub host: String,
    pub rules: String,
    pub invite_url: Option<String>,
    pub hands: i64,
    pub pots_total: i64,
    pub created_at: i64,
    /// The number of the last hand written.
    pub last_hand: i64,
    /// `cash` or `sng`.
    pub format: String,
    /// `open` (a cash table), or a sit-and-go's `registering`, `running`, `finished`.
    pub status: String,
    pub started_at: Option<i64>,
}

impl TableRow {
    pub fn rules(&self) -> Result<TableRules, ApiError> {
        serde_json::from_str(&self.rules).map_err(|e| crate::http::internal("reading a table's rules", e))
    }

    /// A sit-and-go's stage; none at a cash table.
    pub fn stage(&self) -> Option<Stage> {
        (self.format == "sng").then(|| Stage::parse(&self.status))
    }
}

const COLUMNS: &str =
    "t.id, u.username AS host, t.rules, t.invite_url, t.hands, t.pots_total, t.created_at, \
                       t.last_hand, t.format, t.status, t.started_at";

pub async fn insert(
    db: &D1Database,
    id: &str,
    host_id: &str,
    rules: &TableRules,
    invite_url: Option<&str>,
    now_ms: i64,
) -> Result<(), ApiError> {
    let json =
        serde_json::to_string(rules).map_err(|e| crate::http::internal("writing a table's rules", e))?;
    let stake = i64::try_from(shared::poker::table::unit(&rules.stakes)).unwrap_or(i64::MAX);
    let game = serde_json::to_value(rules.stakes.variant)
        .ok()
        .and_then(|g| g.as_str().map(str::to_owned))
        .unwrap_or_default();
    let sng = rules.sit_and_go.is_some();
    run(
        db,
        "INSERT INTO poker_tables (id, host_id, name, game, stake, seats, private, rules, created_at, invite_url, currency, \
           format, status) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        &[
            text(id),
            text(host_id),
            text(&rules.name),
            text(&game),
            num(stake),
            num(i64::from(rules.seats)),
            num(i64::from(rules.private)),
            text(&json),
            num(now_ms),
            crate::d1::opt_text(invite_url),
            text(rules.chips.as_str()),
            text(if sng { "sng" } else { "cash" }),
            text(if sng { Stage::Registering.as_str() } else { "open" }),
        ],
    )
    .await
    .map(drop)
}

pub async fn one(db: &D1Database, id: &str) -> Result<Option<TableRow>, ApiError> {
    first(
        db,
        &format!(
            "SELECT {COLUMNS} FROM poker_tables t JOIN auth_users u ON u.id = t.host_id WHERE t.id = ?1"
        ),
        &[text(id)],
    )
    .await
}

/// The public tables that pass the filter, newest first (ids sort by time), one more than a page
/// (so the caller knows whether there is another). Finished sit-and-gos are not listed, and a
/// sit-and-go has a free seat only while it takes entries.
pub async fn lobby(db: &D1Database, filter: &LobbyFilter) -> Result<Vec<TableRow>, ApiError> {
    let game =
        filter.game.and_then(|g| serde_json::to_value(g).ok()).and_then(|g| g.as_str().map(str::to_owned));
    let stake =
        |n: Option<u64>| n.map_or(wasm_bindgen::JsValue::NULL, |n| num(i64::try_from(n).unwrap_or(i64::MAX)));
    all(
        db,
        &format!(
            "SELECT {COLUMNS} FROM poker_tables t JOIN auth_users u ON u.id = t.host_id \
             WHERE t.private = 0 AND (?1 IS NULL OR t.game = ?1) AND (?2 IS NULL OR t.stake >= ?2) \
               AND (?3 IS NULL OR t.stake <= ?3) \
               AND (?4 = 0 OR (t.players < t.seats AND t.status IN ('open', 'registering'))) \
               AND (?6 IS NULL OR t.id < ?6) AND (?7 IS NULL OR t.format = ?7) AND t.status != 'finished' \
             ORDER BY t.id DESC LIMIT ?5"
        ),
        &[
            game.as_deref().map_or(wasm_bindgen::JsValue::NULL, text),
            stake(filter.min_stake),
            stake(filter.max_stake),
            num(i64::from(filter.free)),
            num(i64::from(filter.limit) + 1),
            filter.before.as_deref().map_or(wasm_bindgen::JsValue::NULL, text),
            filter.format.map_or(wasm_bindgen::JsValue::NULL, |f| text(f.as_str())),
        ],
    )
    .await
}

#[derive(Deserialize)]
pub struct WalletRow {
    pub play_chips: i64,
    pub topped_up_at: Option<i64>,
    /// Play chips on the person's seats.
    pub at_tables: i64,
    /// Rupees (paise) off the tables, and on the person's seats at rupee tables.
    pub inr_paise: i64,
    pub inr_at_tables: i64,
}

/// The chips `user` (a parameter) has at tables of one kind: on seats at cash tables, and the
/// entries of sit-and-gos they are still in (a sit-and-go seat's chips are tournament chips).
fn at_tables(user: &str, chips: &str) -> String {
    format!(
        "((SELECT COALESCE(SUM(s.chips), 0) FROM poker_seats s JOIN poker_tables t ON t.id = s.table_id \
           WHERE s.user_id = {user} AND t.currency = '{chips}' AND t.format = 'cash') \
        + (SELECT COALESCE(SUM(e.entry), 0) FROM poker_entries e JOIN poker_tables t ON t.id = e.table_id \
           WHERE e.user_id = {user} AND t.currency = '{chips}' AND e.place IS NULL))"
    )
}

/// A person's wallet, with the daily top-up applied if it is due (`shared::poker::wallet::top_up`
/// in one guarded statement: the chips at tables counted, so two requests at once, or a buy-in
/// beside it, top up once and to the same total).
pub async fn wallet(db: &D1Database, user_id: &str, now_ms: i64) -> Result<WalletRow, ApiError> {
    let play_at_tables = at_tables("?1", Chips::Play.as_str());
    run(
        db,
        &format!(
            "INSERT INTO poker_wallets (user_id, play_chips, topped_up_at) \
               VALUES (?1, ?2 - {play_at_tables}, ?3) \
             ON CONFLICT (user_id) DO UPDATE SET play_chips = excluded.play_chips, topped_up_at = ?3 \
             WHERE poker_wallets.play_chips < excluded.play_chips \
               AND (poker_wallets.topped_up_at IS NULL OR poker_wallets.topped_up_at <= ?3 - ?4)"
        ),
        &[
            text(user_id),
            num(i64::try_from(PLAY_TOP_UP).unwrap_or(i64::MAX)),
            num(now_ms),
            num(shared::poker::wallet::TOP_UP_EVERY_MS),
        ],
    )
    .await?;
    first(
        db,
        &format!(
            "SELECT play_chips, topped_up_at, {play_at_tables} AS at_tables, inr_paise, {} AS inr_at_tables \
             FROM poker_wallets WHERE user_id = ?1",
            at_tables("?1", Chips::Inr.as_str())
        ),
        &[text(user_id)],
    )
    .await?
    .ok_or_else(|| crate::http::internal("reading a wallet", "no row"))
}

#[derive(Deserialize)]
pub struct SeatRow {
    pub table_id: String,
    pub seat: i64,
    pub username: String,
    pub chips: i64,
}

impl SeatRow {
    pub fn view(&self) -> SeatView {
        SeatView {
            seat: u8::try_from(self.seat).unwrap_or(0),
            username: self.username.clone(),
            chips: u64::try_from(self.chips).unwrap_or(0),
        }
    }
}

/// Who sits at these tables, by seat.
pub async fn seated(db: &D1Database, table_ids: &[&str]) -> Result<Vec<SeatRow>, ApiError> {
    let ids = serde_json::to_string(table_ids).unwrap_or_else(|_| "[]".to_owned());
    all(
        db,
        "SELECT s.table_id, s.seat, u.username, s.chips FROM poker_seats s JOIN auth_users u ON u.id = s.user_id \
         WHERE s.table_id IN (SELECT value FROM json_each(?1)) ORDER BY s.table_id, s.seat",
        &[text(&ids)],
    )
    .await
}

/// The table's seated count, from its seats (the last statement of every seat change).
fn count_players(db: &D1Database, table_id: &str) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "UPDATE poker_tables SET players = (SELECT COUNT(*) FROM poker_seats WHERE table_id = ?1) WHERE id = ?1",
        &[text(table_id)],
    )
}

/// Sits `user_id` at `seat` with `buy_in` chips from their wallet, all or nothing, in one
/// transaction: the seat is taken only if it and the person are free at this table and the
/// wallet holds the chips, and the wallet pays only for the seat this call took. Whether it sat.
pub async fn sit(
    db: &D1Database,
    seat_id: &str,
    table_id: &str,
    user_id: &str,
    seat: u8,
    buy_in: u64,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let chips = i64::try_from(buy_in).unwrap_or(i64::MAX);
    let statements = vec![
        prepare(
            db,
            // The wallet's play chips or rupees, as the table plays.
            "INSERT INTO poker_seats (id, table_id, user_id, seat, chips, joined_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6 \
             WHERE (SELECT CASE t.currency WHEN 'inr' THEN w.inr_paise ELSE w.play_chips END \
                    FROM poker_wallets w JOIN poker_tables t ON t.id = ?2 WHERE w.user_id = ?3) >= ?5 \
               AND NOT EXISTS (SELECT 1 FROM poker_seats WHERE table_id = ?2 AND (seat = ?4 OR user_id = ?3))",
            &[text(seat_id), text(table_id), text(user_id), num(i64::from(seat)), num(chips), num(now_ms)],
        )?,
        prepare(
            db,
            &format!(
                "UPDATE poker_wallets SET {} \
                 WHERE user_id = ?2 AND EXISTS (SELECT 1 FROM poker_seats WHERE id = ?1)",
                move_chips("-", "?3", "?4")
            ),
            &[text(seat_id), text(user_id), num(chips), text(table_id)],
        )?,
        count_players(db, table_id)?,
    ];
    Ok(run_batch(db, statements, "taking a seat").await?.first() == Some(&1))
}

/// The SET clause that adds (`sign` `+`) or takes (`-`) `amount` to the wallet's play chips or
/// rupees, whichever table `table` (SQL) plays.
fn move_chips(sign: &str, amount: &str, table: &str) -> String {
    let inr = format!("(SELECT currency FROM poker_tables WHERE id = {table}) = 'inr'");
    format!(
        "play_chips = play_chips {sign} CASE WHEN {inr} THEN 0 ELSE {amount} END, \
         inr_paise = inr_paise {sign} CASE WHEN {inr} THEN {amount} ELSE 0 END"
    )
}

/// Gets `user_id` up from `table_id`, their chips back to their wallet, in one transaction;
/// whether they had a seat.
pub async fn leave(db: &D1Database, table_id: &str, user_id: &str) -> Result<bool, ApiError> {
    let mut statements = cash_out(db, table_id, user_id)?;
    statements.push(count_players(db, table_id)?);
    Ok(run_batch(db, statements, "leaving a seat").await?.get(1) == Some(&1))
}

/// The two statements that move a seat's chips back to its wallet and free the seat.
fn cash_out(db: &D1Database, table_id: &str, user_id: &str) -> Result<Vec<D1PreparedStatement>, ApiError> {
    Ok(vec![
        prepare(
            db,
            &format!(
                "UPDATE poker_wallets SET {} \
                 WHERE user_id = ?2 AND EXISTS (SELECT 1 FROM poker_seats WHERE table_id = ?1 AND user_id = ?2)",
                move_chips("+", "(SELECT chips FROM poker_seats WHERE table_id = ?1 AND user_id = ?2)", "?1")
            ),
            &[text(table_id), text(user_id)],
        )?,
        prepare(
            db,
            // Only with a wallet to take the chips (there always is one: a seat is paid from it).
            "DELETE FROM poker_seats WHERE table_id = ?1 AND user_id = ?2 \
             AND EXISTS (SELECT 1 FROM poker_wallets WHERE user_id = ?2)",
            &[text(table_id), text(user_id)],
        )?,
    ])
}

/// Registers `user_id` for a sit-and-go that takes entries, all or nothing, in one transaction:
/// the seat (with the tournament's starting chips) is taken only if it and the person are free
/// and the wallet holds the entry, and the wallet pays only for the seat this call took.
/// Whether it registered.
#[allow(clippy::too_many_arguments)]
pub async fn register(
    db: &D1Database,
    seat_id: &str,
    table_id: &str,
    user_id: &str,
    seat: u8,
    starting_chips: u64,
    entry: u64,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let statements = vec![
        prepare(
            db,
            "INSERT INTO poker_seats (id, table_id, user_id, seat, chips, joined_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6 \
             WHERE (SELECT CASE t.currency WHEN 'inr' THEN w.inr_paise ELSE w.play_chips END \
                    FROM poker_wallets w JOIN poker_tables t ON t.id = ?2 WHERE w.user_id = ?3) >= ?7 \
               AND (SELECT status FROM poker_tables WHERE id = ?2) = 'registering' \
               AND NOT EXISTS (SELECT 1 FROM poker_seats WHERE table_id = ?2 AND (seat = ?4 OR user_id = ?3)) \
               AND NOT EXISTS (SELECT 1 FROM poker_entries WHERE table_id = ?2 AND user_id = ?3)",
            &[
                text(seat_id),
                text(table_id),
                text(user_id),
                num(i64::from(seat)),
                big(starting_chips),
                num(now_ms),
                big(entry),
            ],
        )?,
        prepare(
            db,
            "INSERT INTO poker_entries (table_id, user_id, entry, registered_at) \
             SELECT ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM poker_seats WHERE id = ?1)",
            &[text(seat_id), text(table_id), text(user_id), big(entry), num(now_ms)],
        )?,
        prepare(
            db,
            &format!(
                "UPDATE poker_wallets SET {} \
                 WHERE user_id = ?2 AND EXISTS (SELECT 1 FROM poker_seats WHERE id = ?1)",
                move_chips("-", "?3", "?4")
            ),
            &[text(seat_id), text(user_id), big(entry), text(table_id)],
        )?,
        count_players(db, table_id)?,
    ];
    Ok(run_batch(db, statements, "registering for a sit-and-go").await?.first() == Some(&1))
}

/// Takes `user_id` off a sit-and-go that has not started, their entry back to their wallet, in
/// one transaction; whether they were registered.
pub async fn unregister(db: &D1Database, table_id: &str, user_id: &str) -> Result<bool, ApiError> {
    let registered = "EXISTS (SELECT 1 FROM poker_entries e JOIN poker_tables t ON t.id = e.table_id \
                      WHERE e.table_id = ?1 AND e.user_id = ?2 AND t.status = 'registering')";
    let statements = vec![
        prepare(
            db,
            &format!(
                "UPDATE poker_wallets SET {} WHERE user_id = ?2 AND {registered}",
                move_chips(
                    "+",
                    "(SELECT entry FROM poker_entries WHERE table_id = ?1 AND user_id = ?2)",
                    "?1"
                )
            ),
            &[text(table_id), text(user_id)],
        )?,
        prepare(
            db,
            &format!("DELETE FROM poker_seats WHERE table_id = ?1 AND user_id = ?2 AND {registered}"),
            &[text(table_id), text(user_id)],
        )?,
        prepare(
            db,
            "DELETE FROM poker_entries WHERE table_id = ?1 AND user_id = ?2 \
             AND (SELECT status FROM poker_tables WHERE id = ?1) = 'registering'",
            &[text(table_id), text(user_id)],
        )?,
        count_players(db, table_id)?,
    ];
    Ok(run_batch(db, statements, "unregistering from a sit-and-go").await?.first() == Some(&1))
}

/// Marks a sit-and-go started (its last seat taken); doing it again changes nothing.
pub async fn start(db: &D1Database, table_id: &str, started_ms: i64) -> Result<(), ApiError> {
    run(
        db,
        "UPDATE poker_tables SET status = 'running', started_at = ?2 WHERE id = ?1 AND status = 'registering'",
        &[text(table_id), num(started_ms)],
    )
    .await
    .map(drop)
}

/// The statements that place a sit-and-go player: the prize to their wallet, the place on their
/// entry (each only while the entry has none, so writing it again changes nothing), the seat
/// given up, and the tournament finished with its winner.
fn place(
    db: &D1Database,
    table_id: &str,
    placed: &Placed,
    now_ms: i64,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let unplaced =
        "EXISTS (SELECT 1 FROM poker_entries WHERE table_id = ?1 AND user_id = ?2 AND place IS NULL)";
    let mut statements = vec![
        prepare(
            db,
            &format!(
                "UPDATE poker_wallets SET {} WHERE user_id = ?2 AND {unplaced}",
                move_chips("+", "?3", "?1")
            ),
            &[text(table_id), text(&placed.user_id), big(placed.prize)],
        )?,
        prepare(
            db,
            "UPDATE poker_entries SET place = ?3, prize = ?4, placed_at = ?5 \
             WHERE table_id = ?1 AND user_id = ?2 AND place IS NULL",
            &[
                text(table_id),
                text(&placed.user_id),
                num(i64::from(placed.place)),
                big(placed.prize),
                num(now_ms),
            ],
        )?,
        prepare(
            db,
            "DELETE FROM poker_seats WHERE table_id = ?1 AND user_id = ?2",
            &[text(table_id), text(&placed.user_id)],
        )?,
    ];
    if placed.place == 1 {
        statements.push(prepare(
            db,
            "UPDATE poker_tables SET status = 'finished' WHERE id = ?1 AND status = 'running'",
            &[text(table_id)],
        )?);
    }
    Ok(statements)
}

#[derive(Deserialize)]
pub struct FinishRow {
    pub table_id: String,
    pub user_id: String,
    pub username: String,
    pub place: i64,
    pub prize: i64,
}

impl FinishRow {
    pub fn placed(&self) -> Placed {
        Placed {
            user_id: self.user_id.clone(),
            username: self.username.clone(),
            place: u8::try_from(self.place).unwrap_or(u8::MAX),
            prize: u64::try_from(self.prize).unwrap_or(0),
        }
    }
}

/// The finishes of these sit-and-gos so far, best place first.
pub async fn finishes(db: &D1Database, table_ids: &[&str]) -> Result<Vec<FinishRow>, ApiError> {
    let ids = serde_json::to_string(table_ids).unwrap_or_else(|_| "[]".to_owned());
    all(
        db,
        "SELECT e.table_id, e.user_id, u.username, e.place, e.prize FROM poker_entries e \
         JOIN auth_users u ON u.id = e.user_id \
         WHERE e.table_id IN (SELECT value FROM json_each(?1)) AND e.place IS NOT NULL ORDER BY e.table_id, e.place",
        &[text(&ids)],
    )
    .await
}

/// Whether the buy-in that made seat `seat_id` was taken (its row exists).
pub async fn seat_exists(db: &D1Database, seat_id: &str) -> Result<bool, ApiError> {
    #[derive(Deserialize)]
    struct Exists {
        found: i64,
    }
    let row: Option<Exists> =
        first(db, "SELECT EXISTS (SELECT 1 FROM poker_seats WHERE id = ?1) AS found", &[text(seat_id)])
            .await?;
    Ok(row.is_some_and(|r| r.found != 0))
}

/// One seat as the table's Durable Object loads it.
#[derive(Deserialize)]
pub struct SeatOwner {
    pub user_id: String,
    pub username: String,
    pub seat: i64,
    pub chips: i64,
}

pub async fn seat_owners(db: &D1Database, table_id: &str) -> Result<Vec<SeatOwner>, ApiError> {
    all(
        db,
        "SELECT s.user_id, u.username, s.seat, s.chips FROM poker_seats s JOIN auth_users u ON u.id = s.user_id \
         WHERE s.table_id = ?1 ORDER BY s.seat",
        &[text(table_id)],
    )
    .await
}

fn big(n: u64) -> wasm_bindgen::JsValue {
    num(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Writes a finished hand in one transaction: the hand, each player's part, every dealt seat's
/// chips after it, the seats given up (chips back to the wallet), and the table's counts. Written
/// again after it landed (an answer lost on the way), it changes nothing: the hand and the parts
/// are inserted once, the chips are set (not added), a seat given up is gone, and the counts move
/// only for a hand number above the table's last.
pub async fn settle(db: &D1Database, table_id: &str, finished: &Finished) -> Result<(), ApiError> {
    let record = &finished.record;
    let ended =
        serde_json::to_string(&record.ended).map_err(|e| crate::http::internal("writing a hand", e))?;
    let game = serde_json::to_value(record.variant)
        .ok()
        .and_then(|g| g.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut statements = vec![prepare(
        db,
        "INSERT INTO poker_hands (id, table_id, number, game, pot, phh, ended, started_at, ended_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING",
        &[
            text(&record.id),
            text(table_id),
            big(record.number),
            text(&game),
            big(record.pot),
            text(&record.phh),
            text(&ended),
            num(record.started_ms),
            num(record.ended_ms),
        ],
    )?];
    for (i, user_id) in record.user_ids.iter().enumerate() {
        let stats = record.stats.get(i).cloned().unwrap_or_default();
        statements.push(prepare(
            db,
            "INSERT INTO poker_hand_players (hand_id, user_id, seat, starting, finishing, vpip, pfr, three_bet, \
               three_bet_chances, saw_second_street, went_to_showdown, won_at_showdown, ended_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT DO NOTHING",
            &[
                text(&record.id),
                text(user_id),
                num(i64::from(record.seats.get(i).copied().unwrap_or(0))),
                big(record.starting.get(i).copied().unwrap_or(0)),
                big(record.finishing.get(i).copied().unwrap_or(0)),
                big(stats.vpip),
                big(stats.pfr),
                big(stats.three_bet),
                big(stats.three_bet_chances),
                big(stats.saw_second_street),
                big(stats.went_to_showdown),
                big(stats.won_at_showdown),
                num(record.ended_ms),
            ],
        )?);
    }
    for duel in &record.duels {
        let (Some(user_id), Some(opponent_id)) =
            (record.user_ids.get(duel.player), record.user_ids.get(duel.opponent))
        else {
            continue;
        };
        statements.push(prepare(
            db,
            "INSERT INTO poker_duels (hand_id, user_id, opponent_id, rounds, aggressive) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT DO NOTHING",
            &[text(&record.id), text(user_id), text(opponent_id), big(duel.rounds), big(duel.aggressive)],
        )?);
    }
    for (user_id, chips) in &finished.chips {
        statements.push(prepare(
            db,
            "UPDATE poker_seats SET chips = ?3 WHERE table_id = ?1 AND user_id = ?2",
            &[text(table_id), text(user_id), big(*chips)],
        )?);
    }
    for gone in &finished.cash_outs {
        statements.extend(cash_out(db, table_id, &gone.user_id)?);
    }
    for placed in &finished.places {
        statements.extend(place(db, table_id, placed, record.ended_ms)?);
    }
    statements.push(prepare(
        db,
        "UPDATE poker_tables SET hands = hands + 1, pots_total = pots_total + ?2, last_hand = ?3 \
         WHERE id = ?1 AND last_hand < ?3",
        &[text(table_id), big(record.pot), big(record.number)],
    )?);
    statements.push(count_players(db, table_id)?);
    run_batch(db, statements, "writing a hand").await.map(drop)
}

/// A stored hand with its table's name.
#[derive(Deserialize)]
pub struct HandRow {
    pub id: String,
    pub table_id: String,
    pub table_name: String,
    pub number: i64,
    pub phh: String,
    pub ended: String,
    pub started_at: i64,
    pub ended_at: i64,
}

pub async fn hand(db: &D1Database, id: &str) -> Result<Option<HandRow>, ApiError> {
    first(
        db,
        "SELECT h.id, h.table_id, t.name AS table_name, h.number, h.phh, h.ended, h.started_at, h.ended_at \
         FROM poker_hands h JOIN poker_tables t ON t.id = h.table_id WHERE h.id = ?1",
        &[text(id)],
    )
    .await
}

/// Whether seat `seat` or the person is taken at the table now (to say why a sit did nothing).
pub async fn seat_state(
    db: &D1Database,
    table_id: &str,
    user_id: &str,
    seat: u8,
) -> Result<(bool, bool), ApiError> {
    #[derive(Deserialize)]
    struct State {
        taken: i64,
        mine: i64,
    }
    let state: Option<State> = first(
        db,
        "SELECT EXISTS (SELECT 1 FROM poker_seats WHERE table_id = ?1 AND seat = ?3) AS taken, \
                EXISTS (SELECT 1 FROM poker_seats WHERE table_id = ?1 AND user_id = ?2) AS mine",
        &[text(table_id), text(user_id), num(i64::from(seat))],
    )
    .await?;
    Ok(state.map_or((false, false), |s| (s.taken != 0, s.mine != 0)))
}

/// A person's id and username, by username.
pub async fn user_by_name(db: &D1Database, username: &str) -> Result<Option<(String, String)>, ApiError> {
    #[derive(Deserialize)]
    struct User {
        id: String,
        username: String,
    }
    let user: Option<User> =
        first(db, "SELECT id, username FROM auth_users WHERE username = ?1", &[text(username)]).await?;
    Ok(user.map(|u| (u.id, u.username)))
}

/// A player's statistics: each hand's counts summed.
pub async fn player_counts(db: &D1Database, user_id: &str) -> Result<PlayerStats, ApiError> {
    #[derive(Deserialize)]
    struct Sums {
        hands: i64,
        vpip: i64,
        pfr: i64,
        three_bet: i64,
        three_bet_chances: i64,
        saw_second_street: i64,
        went_to_showdown: i64,
        won_at_showdown: i64,
        net: i64,
    }
    let sums: Option<Sums> = first(
        db,
        // Chips won count play cash tables only: paise are another unit, what a person wins or
        // loses in rupees is not shown to everyone, and tournament chips are worth nothing.
        "SELECT COUNT(*) AS hands, COALESCE(SUM(p.vpip), 0) AS vpip, COALESCE(SUM(p.pfr), 0) AS pfr, \
           COALESCE(SUM(p.three_bet), 0) AS three_bet, COALESCE(SUM(p.three_bet_chances), 0) AS three_bet_chances, \
           COALESCE(SUM(p.saw_second_street), 0) AS saw_second_street, \
           COALESCE(SUM(p.went_to_showdown), 0) AS went_to_showdown, \
           COALESCE(SUM(p.won_at_showdown), 0) AS won_at_showdown, \
           COALESCE(SUM(CASE WHEN t.currency = 'play' AND t.format = 'cash' THEN p.finishing - p.starting ELSE 0 END), 0) AS net \
         FROM poker_hand_players p JOIN poker_hands h ON h.id = p.hand_id JOIN poker_tables t ON t.id = h.table_id \
         WHERE p.user_id = ?1",
        &[text(user_id)],
    )
    .await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(sums.map_or_else(PlayerStats::default, |s| PlayerStats {
        hands: count(s.hands),
        vpip: count(s.vpip),
        pfr: count(s.pfr),
        three_bet: count(s.three_bet),
        three_bet_chances: count(s.three_bet_chances),
        saw_second_street: count(s.saw_second_street),
        went_to_showdown: count(s.went_to_showdown),
        won_at_showdown: count(s.won_at_showdown),
        net_chips: s.net,
    }))
}

/// A player's hands cut into at most `runs` runs of consecutive hands, each with when it ended,
/// its hands and the chips it won, oldest first.
pub async fn player_runs(db: &D1Database, user_id: &str, runs: u32) -> Result<Vec<Run>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        ended_at: i64,
        hands: i64,
        net: i64,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT MAX(ended_at) AS ended_at, COUNT(*) AS hands, SUM(finishing - starting) AS net FROM ( \
           SELECT p.ended_at, p.finishing, p.starting, NTILE(?2) OVER (ORDER BY p.ended_at, p.hand_id) AS run \
           FROM poker_hand_players p JOIN poker_hands h ON h.id = p.hand_id JOIN poker_tables t ON t.id = h.table_id \
           WHERE p.user_id = ?1 AND t.currency = 'play' AND t.format = 'cash') \
         GROUP BY run ORDER BY run",
        &[text(user_id), num(i64::from(runs))],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Run { ended_ms: r.ended_at, hands: u64::try_from(r.hands).unwrap_or(0), net: r.net })
        .collect())
}
