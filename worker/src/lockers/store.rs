//! `lockers_locations`, `lockers_banks`, `lockers_compartments`, `lockers_packages` and
//! `lockers_events`.

use crate::d1::{all, first, num, opt_text, prepare, run_batch, text, value};
use serde::Deserialize;
use shared::{
    lockers::{
        hours::HoursRange,
        location::NewLocation,
        package::{Kind, Purpose, Status},
        size::{Door, Size},
    },
    ApiError,
};
use worker::{D1Database, D1PreparedStatement};

/// The statuses of a parcel behind a door: its code is taken at its location.
const HOLDING: &str = "status IN ('in_locker', 'expired', 'reserved', 'dropped_off')";

/// Writes a location with its banks and their compartments (door 1 first: small, medium, large)
/// in one transaction. `bank_ids` are the banks' ids, in order.
pub async fn insert_location(
    db: &D1Database,
    id: &str,
    location: &NewLocation,
    bank_ids: &[String],
    created_by: &str,
    now_ms: i64,
) -> Result<(), ApiError> {
    let mut statements = vec![prepare(
        db,
        "INSERT INTO lockers_locations (id, name, address, lat, lng, timezone, created_by, created_at, hours) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            text(id),
            text(&location.name),
            text(&location.address),
            wasm_bindgen::JsValue::from_f64(location.lat),
            wasm_bindgen::JsValue::from_f64(location.lng),
            text(&location.timezone),
            text(created_by),
            num(now_ms),
            opt_text(hours_json(&location.hours)?.as_deref()),
        ],
    )?];
    for (position, (bank, bank_id)) in location.banks.iter().zip(bank_ids).enumerate() {
        let sizes: Vec<&str> = bank.doors().into_iter().map(Size::as_str).collect();
        let sizes = serde_json::to_string(&sizes).map_err(|e| crate::http::internal("a bank's doors", e))?;
        statements.push(prepare(
            db,
            "INSERT INTO lockers_banks (id, location_id, name, position, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            &[text(bank_id), text(id), text(&bank.name), num(i64::try_from(position).unwrap_or(0) + 1), num(now_ms)],
        )?);
        statements.push(prepare(
            db,
            "INSERT INTO lockers_compartments (bank_id, door, size) SELECT ?1, key + 1, value FROM json_each(?2)",
            &[text(bank_id), text(&sizes)],
        )?);
    }
    run_batch(db, statements, "making a location").await.map(drop)
}

/// Opening hours as stored: JSON, or NULL for around the clock.
fn hours_json(hours: &[HoursRange]) -> Result<Option<String>, ApiError> {
    if hours.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(hours).map(Some).map_err(|e| crate::http::internal("opening hours", e))
}

/// Opening hours as read back (none: around the clock).
pub fn hours_of(stored: Option<&str>) -> Vec<HoursRange> {
    stored.and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default()
}

/// One bank of a location, with its compartments counted by size and state.
#[derive(Deserialize)]
pub struct BankRow {
    pub location_id: String,
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub timezone: String,
    pub hours: Option<String>,
    pub bank_id: String,
    pub bank_name: String,
    pub compartments: i64,
    pub free_s: i64,
    pub free_m: i64,
    pub free_l: i64,
}

const BANKS: &str =
    "SELECT l.id AS location_id, l.name, l.address, l.lat, l.lng, l.timezone, l.hours, b.id AS bank_id, \
       b.name AS bank_name, COUNT(c.door) AS compartments, \
       COALESCE(SUM(c.size = 'S' AND c.in_service = 1 AND c.package_id IS NULL), 0) AS free_s, \
       COALESCE(SUM(c.size = 'M' AND c.in_service = 1 AND c.package_id IS NULL), 0) AS free_m, \
       COALESCE(SUM(c.size = 'L' AND c.in_service = 1 AND c.package_id IS NULL), 0) AS free_l \
     FROM lockers_locations l JOIN lockers_banks b ON b.location_id = l.id \
     LEFT JOIN lockers_compartments c ON c.bank_id = b.id";

/// Every location's banks, a location's banks together, oldest location first.
pub async fn banks(db: &D1Database) -> Result<Vec<BankRow>, ApiError> {
    all(db, &format!("{BANKS} GROUP BY b.id ORDER BY l.created_at, l.id, b.position"), &[]).await
}

/// One location's banks (none: no such location).
pub async fn banks_of(db: &D1Database, location_id: &str) -> Result<Vec<BankRow>, ApiError> {
    all(db, &format!("{BANKS} WHERE l.id = ?1 GROUP BY b.id ORDER BY b.position"), &[text(location_id)]).await
}

/// A bank's name, its location (name, time zone and opening hours) and the location's first bank
/// (whose object keeps the location's count of wrong codes).
#[derive(Deserialize)]
pub struct BankPlace {
    pub bank_name: String,
    pub location_id: String,
    pub location_name: String,
    pub timezone: String,
    pub hours: Option<String>,
    pub gate: String,
}

const PLACE: &str = "SELECT b.name AS bank_name, b.location_id, l.name AS location_name, l.timezone, l.hours, \
       (SELECT g.id FROM lockers_banks g WHERE g.location_id = b.location_id ORDER BY g.position LIMIT 1) AS gate \
     FROM lockers_banks b JOIN lockers_locations l ON l.id = b.location_id";

pub async fn bank_place(db: &D1Database, bank_id: &str) -> Result<Option<BankPlace>, ApiError> {
    first(db, &format!("{PLACE} WHERE b.id = ?1"), &[text(bank_id)]).await
}

/// A location's first bank, as [`bank_place`] tells it.
pub async fn gate_of(db: &D1Database, location_id: &str) -> Result<Option<BankPlace>, ApiError> {
    first(db, &format!("{PLACE} WHERE b.location_id = ?1 ORDER BY b.position LIMIT 1"), &[text(location_id)])
        .await
}

impl BankPlace {
    /// Ok while its location is open; else the 409 saying when it opens.
    pub fn ensure_open(&self, now_ms: i64) -> Result<(), ApiError> {
        let tz = shared::lockers::window::time_zone(&self.timezone, "timezone")?;
        shared::lockers::hours::ensure_open(
            &hours_of(self.hours.as_deref()),
            &tz,
            now_ms,
            &self.location_name,
        )
    }
}

/// Puts a compartment in or out of service; whether the bank has that door.
pub async fn set_in_service(
    db: &D1Database,
    bank_id: &str,
    door: u16,
    in_service: bool,
) -> Result<bool, ApiError> {
    let changed = crate::d1::run(
        db,
        "UPDATE lockers_compartments SET in_service = ?3 WHERE bank_id = ?1 AND door = ?2",
        &[text(bank_id), num(i64::from(door)), num(i64::from(in_service))],
    )
    .await?;
    Ok(changed == 1)
}

/// A bank's doors as allocation sees them.
pub async fn doors(db: &D1Database, bank_id: &str) -> Result<Vec<Door>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        door: i64,
        size: String,
        in_service: i64,
        occupied: i64,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT door, size, in_service, package_id IS NOT NULL AS occupied FROM lockers_compartments \
         WHERE bank_id = ?1 ORDER BY door",
        &[text(bank_id)],
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Door {
                door: u16::try_from(r.door).ok()?,
                size: Size::parse(&r.size)?,
                in_service: r.in_service != 0,
                occupied: r.occupied != 0,
            })
        })
        .collect())
}

fn event(
    db: &D1Database,
    package_id: &str,
    status: Status,
    actor_id: Option<&str>,
    detail: Option<&str>,
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT INTO lockers_events (package_id, at, status, actor_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[text(package_id), num(now_ms), text(status.as_str()), opt_text(actor_id), opt_text(detail)],
    )
}

/// A new parcel for `recipient_id`, with its first event.
#[allow(clippy::too_many_arguments)]
pub async fn insert_package(
    db: &D1Database,
    id: &str,
    sender_id: &str,
    recipient_id: &str,
    location_id: &str,
    size: Size,
    parcel: &shared::lockers::size::Parcel,
    reference: Option<&str>,
    now_ms: i64,
) -> Result<(), ApiError> {
    let statements = vec![
        prepare(
            db,
            "INSERT INTO lockers_packages (id, sender_id, recipient_id, location_id, size, length_mm, width_mm, \
               height_mm, weight_g, reference, status, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'created', ?11, ?11)",
            &[
                text(id),
                text(sender_id),
                text(recipient_id),
                text(location_id),
                text(size.as_str()),
                num(i64::from(parcel.length_mm)),
                num(i64::from(parcel.width_mm)),
                num(i64::from(parcel.height_mm)),
                num(i64::from(parcel.weight_g)),
                opt_text(reference),
                num(now_ms),
            ],
        )?,
        event(db, id, Status::Created, Some(sender_id), None, now_ms)?,
    ];
    run_batch(db, statements, "making a parcel").await.map(drop)
}

/// A parcel with the names around it.
#[derive(Deserialize)]
pub struct PackageRow {
    pub id: String,
    pub kind: String,
    pub return_of: Option<String>,
    pub return_id: Option<String>,
    pub extended_by: Option<String>,
    pub timezone: String,
    pub sender_id: String,
    pub recipient_id: String,
    pub sender: String,
    pub recipient: String,
    pub location_id: String,
    pub location_name: String,
    pub address: String,
    pub size: String,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub weight_g: i64,
    pub reference: Option<String>,
    pub status: String,
    pub bank_id: Option<String>,
    pub bank_name: Option<String>,
    pub door: Option<i64>,
    pub code_nonce: Option<i64>,
    pub pickup_by: Option<i64>,
    pub created_at: i64,
}

const PACKAGES: &str = "SELECT p.id, p.kind, p.return_of, \
       (SELECT r.id FROM lockers_packages r WHERE r.return_of = p.id AND r.status <> 'lapsed' LIMIT 1) AS return_id, \
       p.extended_by, l.timezone, p.sender_id, p.recipient_id, s.username AS sender, r.username AS recipient, \
       p.location_id, l.name AS location_name, l.address, p.size, p.length_mm, p.width_mm, p.height_mm, \
       p.weight_g, p.reference, p.status, p.bank_id, b.name AS bank_name, p.door, p.code_nonce, p.pickup_by, \
       p.created_at \
     FROM lockers_packages p JOIN auth_users s ON s.id = p.sender_id JOIN auth_users r ON r.id = p.recipient_id \
     JOIN lockers_locations l ON l.id = p.location_id LEFT JOIN lockers_banks b ON b.id = p.bank_id";

pub async fn package(db: &D1Database, id: &str) -> Result<Option<PackageRow>, ApiError> {
    first(db, &format!("{PACKAGES} WHERE p.id = ?1"), &[text(id)]).await
}

/// The parcels couriers have work with: on their way to a locker (to deposit), expired or dropped
/// off as returns (to carry back), oldest first, at most 200.
pub async fn courier_work(db: &D1Database) -> Result<Vec<PackageRow>, ApiError> {
    all(
        db,
        &format!(
            "{PACKAGES} WHERE p.status IN ('created', 'in_transit', 'expired', 'dropped_off') \
             ORDER BY p.updated_at, p.id LIMIT 200"
        ),
        &[],
    )
    .await
}

/// A person's parcels, as sender or recipient (`role`), newest first, at most 100.
pub async fn packages_of(
    db: &D1Database,
    user_id: &str,
    as_sender: bool,
) -> Result<Vec<PackageRow>, ApiError> {
    let column = if as_sender { "p.sender_id" } else { "p.recipient_id" };
    all(
        db,
        &format!("{PACKAGES} WHERE {column} = ?1 ORDER BY p.created_at DESC, p.id DESC LIMIT 100"),
        &[text(user_id)],
    )
    .await
}

#[derive(Deserialize)]
pub struct EventRow {
    pub package_id: String,
    pub at: i64,
    pub status: String,
    pub actor: Option<String>,
    pub detail: Option<String>,
}

/// The events of these parcels, oldest first.
pub async fn events(db: &D1Database, package_ids: &[&str]) -> Result<Vec<EventRow>, ApiError> {
    let ids = serde_json::to_string(package_ids).unwrap_or_else(|_| "[]".to_owned());
    all(
        db,
        "SELECT e.package_id, e.at, e.status, u.username AS actor, e.detail FROM lockers_events e \
         LEFT JOIN auth_users u ON u.id = e.actor_id \
         WHERE e.package_id IN (SELECT value FROM json_each(?1)) ORDER BY e.package_id, e.at, e.rowid",
        &[text(&ids)],
    )
    .await
}

/// Calls off a parcel its sender made, while no courier has it; whether it did.
pub async fn cancel(db: &D1Database, id: &str, sender_id: &str, now_ms: i64) -> Result<bool, ApiError> {
    let statements = vec![
        prepare(
            db,
            "UPDATE lockers_packages SET status = 'cancelled', updated_at = ?3 \
             WHERE id = ?1 AND sender_id = ?2 AND status = 'created'",
            &[text(id), text(sender_id), num(now_ms)],
        )?,
        prepare(
            db,
            "INSERT INTO lockers_events (package_id, at, status, actor_id) \
             SELECT ?1, ?3, 'cancelled', ?2 WHERE changes() = 1",
            &[text(id), text(sender_id), num(now_ms)],
        )?,
    ];
    Ok(run_batch(db, statements, "cancelling a parcel").await?.first() == Some(&1))
}

/// Whether a parcel in the location's compartments (waiting, expired and not yet carried back, or
/// a return's held or dropped-off compartment) already has this code.
pub async fn code_taken(db: &D1Database, location_id: &str, code_hash: &str) -> Result<bool, ApiError> {
    let taken: Option<i64> = value(
        db,
        &format!("SELECT EXISTS (SELECT 1 FROM lockers_packages WHERE location_id = ?1 AND code_hash = ?2 AND {HOLDING}) AS value"),
        &[text(location_id), text(code_hash)],
    )
    .await?;
    Ok(taken.is_some_and(|t| t != 0))
}

/// What a deposit writes.
pub struct Deposit<'a> {
    pub package_id: &'a str,
    pub bank_id: &'a str,
    pub location_id: &'a str,
    pub door: u16,
    pub code_nonce: u32,
    pub code_hash: &'a str,
    pub pickup_by: i64,
    pub courier_id: &'a str,
    pub now_ms: i64,
}

/// Puts a parcel in a free compartment, in one transaction: the compartment is taken only if it
/// is free and in service, the parcel is still on its way, and no parcel at the location has its
/// code (another bank may have just given it out); the parcel moves only with it. Whether it did.
pub async fn deposit(db: &D1Database, d: &Deposit<'_>) -> Result<bool, ApiError> {
    let statements = vec![
        prepare(
            db,
            &format!(
                "UPDATE lockers_compartments SET package_id = ?3 \
                 WHERE bank_id = ?1 AND door = ?2 AND package_id IS NULL AND in_service = 1 \
                   AND EXISTS (SELECT 1 FROM lockers_packages WHERE id = ?3 AND status IN ('created', 'in_transit')) \
                   AND NOT EXISTS (SELECT 1 FROM lockers_packages WHERE location_id = ?4 AND code_hash = ?5 AND {HOLDING})"
            ),
            &[text(d.bank_id), num(i64::from(d.door)), text(d.package_id), text(d.location_id), text(d.code_hash)],
        )?,
        prepare(
            db,
            "UPDATE lockers_packages SET status = 'in_locker', bank_id = ?2, door = ?3, location_id = ?4, \
               code_nonce = ?5, code_hash = ?6, pickup_by = ?7, updated_at = ?8 \
             WHERE id = ?1 AND EXISTS (SELECT 1 FROM lockers_compartments WHERE bank_id = ?2 AND door = ?3 AND package_id = ?1)",
            &[
                text(d.package_id),
                text(d.bank_id),
                num(i64::from(d.door)),
                text(d.location_id),
                num(i64::from(d.code_nonce)),
                text(d.code_hash),
                num(d.pickup_by),
                num(d.now_ms),
            ],
        )?,
        prepare(
            db,
            "INSERT INTO lockers_events (package_id, at, status, actor_id, detail) \
             SELECT ?1, ?2, 'in_locker', ?3, 'door ' || ?4 WHERE changes() = 1",
            &[text(d.package_id), num(d.now_ms), text(d.courier_id), num(i64::from(d.door))],
        )?,
    ];
    Ok(run_batch(db, statements, "depositing a parcel").await?.first() == Some(&1))
}

/// A parcel behind one of a location's doors whose code was typed, or one named by its id: which
/// bank and door, its kind and status, and whose it is. With a code: a parcel waiting, expired, a
/// return held or dropped off, one picked up within the last hour, or one carried back or a hold
/// lapsed within the last day (so that a code typed again, or late, is not counted as a wrong one).
#[derive(Deserialize)]
pub struct Held {
    pub id: String,
    pub bank_id: String,
    pub bank_name: String,
    pub location_name: String,
    pub door: i64,
    pub kind: String,
    pub status: String,
    pub size: String,
    pub location_id: String,
    pub sender_id: String,
    pub recipient_id: String,
}

impl Held {
    /// The door it is behind, opened for `purpose`.
    pub fn opened(self, purpose: Purpose) -> shared::lockers::package::Opened {
        shared::lockers::package::Opened {
            package_id: self.id,
            location_id: self.location_id,
            location_name: self.location_name,
            bank_id: self.bank_id,
            bank_name: self.bank_name,
            door: u16::try_from(self.door).unwrap_or(0),
            size: Size::parse(&self.size).unwrap_or(Size::S),
            pickup_by: None,
            purpose,
        }
    }

    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Delivery)
    }

    /// Who holds its code: a delivery's recipient, a return's sender.
    pub fn holder(&self) -> &str {
        shared::lockers::package::code_holder(self.kind(), &self.sender_id, &self.recipient_id)
    }
}

const HELD: &str = "SELECT p.id, p.bank_id, b.name AS bank_name, l.name AS location_name, p.door, p.kind, p.status, \
       p.size, p.location_id, p.sender_id, p.recipient_id \
     FROM lockers_packages p JOIN lockers_banks b ON b.id = p.bank_id JOIN lockers_locations l ON l.id = p.location_id";

/// Where a typed code is looked for: one bank's doors (its own kiosk), or all of a location's.
pub enum CodeScope<'a> {
    Bank(&'a str),
    Location(&'a str),
}

/// The parcel whose code hashes to `code_hash` (keyed by its location) behind the doors in scope.
pub async fn held_by_code(
    db: &D1Database,
    location_id: &str,
    scope: CodeScope<'_>,
    code_hash: &str,
    now_ms: i64,
) -> Result<Option<Held>, ApiError> {
    let (column, id) = match scope {
        CodeScope::Bank(bank_id) => ("p.bank_id", bank_id),
        CodeScope::Location(location_id) => ("p.location_id", location_id),
    };
    first(
        db,
        &format!(
            "{HELD} WHERE p.location_id = ?1 AND {column} = ?2 AND p.code_hash = ?3 \
               AND (p.status IN ('in_locker', 'expired', 'reserved', 'dropped_off') \
                    OR (p.status = 'picked_up' AND p.updated_at > ?4 - 3600000) \
                    OR (p.status IN ('returned', 'lapsed') AND p.updated_at > ?4 - 86400000)) \
             ORDER BY p.status IN ('in_locker', 'reserved') DESC, p.status IN ('expired', 'dropped_off') DESC, \
               p.updated_at DESC LIMIT 1"
        ),
        &[text(location_id), text(id), text(code_hash), num(now_ms)],
    )
    .await
}

pub async fn held(db: &D1Database, bank_id: &str, package_id: &str) -> Result<Option<Held>, ApiError> {
    first(db, &format!("{HELD} WHERE p.bank_id = ?1 AND p.id = ?2"), &[text(bank_id), text(package_id)]).await
}

/// A return's sender drops it off in its held compartment, before the hold ends; whether it did.
pub async fn drop_off(
    db: &D1Database,
    package_id: &str,
    sender_id: &str,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let statements = vec![
        prepare(
            db,
            "UPDATE lockers_packages SET status = 'dropped_off', updated_at = ?2 \
             WHERE id = ?1 AND status = 'reserved' AND pickup_by > ?2",
            &[text(package_id), num(now_ms)],
        )?,
        prepare(
            db,
            "INSERT INTO lockers_events (package_id, at, status, actor_id) SELECT ?1, ?2, 'dropped_off', ?3 WHERE changes() = 1",
            &[text(package_id), num(now_ms), text(sender_id)],
        )?,
    ];
    Ok(run_batch(db, statements, "dropping a return off").await?.first() == Some(&1))
}

/// What a return's reservation writes.
pub struct Reservation<'a> {
    pub id: &'a str,
    pub return_of: &'a str,
    pub sender_id: &'a str,
    pub recipient_id: &'a str,
    pub location_id: &'a str,
    pub bank_id: &'a str,
    pub door: u16,
    pub size: Size,
    pub parcel: &'a shared::lockers::size::Parcel,
    pub reference: Option<&'a str>,
    pub code_nonce: u32,
    pub code_hash: &'a str,
    pub hold_until: i64,
    pub now_ms: i64,
}

/// Makes a return holding a free compartment, in one transaction: the return is written only if
/// the door is free and in service, the parcel it returns was picked up by its sender, and no
/// other return of it is under way; the door is taken only with it. Whether it was.
pub async fn reserve(db: &D1Database, r: &Reservation<'_>) -> Result<bool, ApiError> {
    let args = [
        text(r.id),
        text(r.return_of),
        text(r.sender_id),
        text(r.recipient_id),
        text(r.location_id),
        text(r.size.as_str()),
        num(i64::from(r.parcel.length_mm)),
        num(i64::from(r.parcel.width_mm)),
        num(i64::from(r.parcel.height_mm)),
        num(i64::from(r.parcel.weight_g)),
        opt_text(r.reference),
        text(r.bank_id),
        num(i64::from(r.door)),
        num(i64::from(r.code_nonce)),
        text(r.code_hash),
        num(r.hold_until),
        num(r.now_ms),
    ];
    let statements = vec![
        prepare(
            db,
            "INSERT INTO lockers_packages (id, kind, return_of, sender_id, recipient_id, location_id, size, length_mm, \
               width_mm, height_mm, weight_g, reference, status, bank_id, door, code_nonce, code_hash, pickup_by, \
               created_at, updated_at) \
             SELECT ?1, 'return', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'reserved', ?12, ?13, ?14, ?15, ?16, ?17, ?17 \
             WHERE EXISTS (SELECT 1 FROM lockers_compartments WHERE bank_id = ?12 AND door = ?13 \
                             AND package_id IS NULL AND in_service = 1) \
               AND EXISTS (SELECT 1 FROM lockers_packages WHERE id = ?2 AND kind = 'delivery' \
                             AND status = 'picked_up' AND recipient_id = ?3) \
               AND NOT EXISTS (SELECT 1 FROM lockers_packages WHERE return_of = ?2 AND status <> 'lapsed') \
               AND NOT EXISTS (SELECT 1 FROM lockers_packages WHERE location_id = ?5 AND code_hash = ?15 \
                                 AND status IN ('in_locker', 'expired', 'reserved', 'dropped_off'))",
            &args,
        )?,
        prepare(
            db,
            "UPDATE lockers_compartments SET package_id = ?1 \
             WHERE bank_id = ?2 AND door = ?3 AND package_id IS NULL \
               AND EXISTS (SELECT 1 FROM lockers_packages WHERE id = ?1)",
            &[text(r.id), text(r.bank_id), num(i64::from(r.door))],
        )?,
        prepare(
            db,
            "INSERT INTO lockers_events (package_id, at, status, actor_id, detail) \
             SELECT ?1, ?17, 'created', ?3, 'return of ' || ?2 FROM lockers_packages WHERE id = ?1 \
             UNION ALL SELECT ?1, ?17, 'reserved', ?3, 'door ' || ?13 FROM lockers_packages WHERE id = ?1",
            &args,
        )?,
    ];
    Ok(run_batch(db, statements, "reserving a compartment for a return").await?.first() == Some(&1))
}

/// Whether the parcel has a return under way (not lapsed).
pub async fn return_of(db: &D1Database, package_id: &str) -> Result<Option<String>, ApiError> {
    value(
        db,
        "SELECT id AS value FROM lockers_packages WHERE return_of = ?1 AND status <> 'lapsed' LIMIT 1",
        &[text(package_id)],
    )
    .await
}

/// When the parcel was picked up, if it was.
pub async fn picked_up_at(db: &D1Database, package_id: &str) -> Result<Option<i64>, ApiError> {
    value(
        db,
        "SELECT MAX(at) AS value FROM lockers_events WHERE package_id = ?1 AND status = 'picked_up'",
        &[text(package_id)],
    )
    .await
}

/// Takes a parcel out of its compartment, moving it from `from` to `to` (picked up before its
/// deadline, or carried back once expired) and freeing the door, in one transaction; whether
/// it did (a second try finds it gone).
pub async fn take_out(
    db: &D1Database,
    package_id: &str,
    from: Status,
    to: Status,
    actor_id: Option<&str>,
    now_ms: i64,
) -> Result<bool, ApiError> {
    // A pickup only before the deadline: the clock may not have expired it yet.
    let in_time = if from == Status::InLocker { "AND pickup_by > ?4" } else { "" };
    let statements = vec![
        prepare(
            db,
            &format!(
                "UPDATE lockers_packages SET status = ?3, updated_at = ?4 WHERE id = ?1 AND status = ?2 {in_time}"
            ),
            &[text(package_id), text(from.as_str()), text(to.as_str()), num(now_ms)],
        )?,
        prepare(
            db,
            "INSERT INTO lockers_events (package_id, at, status, actor_id) SELECT ?1, ?2, ?3, ?4 WHERE changes() = 1",
            &[text(package_id), num(now_ms), text(to.as_str()), opt_text(actor_id)],
        )?,
        prepare(
            db,
            "UPDATE lockers_compartments SET package_id = NULL \
             WHERE package_id = ?1 AND (SELECT status FROM lockers_packages WHERE id = ?1) = ?2",
            &[text(package_id), text(to.as_str())],
        )?,
    ];
    Ok(run_batch(db, statements, "taking a parcel out").await?.first() == Some(&1))
}

/// The clock at one bank: expires the parcels whose window ended by `now_ms` and lets go of the
/// compartments held for returns not dropped off in time (each with its event); how many.
pub async fn expire(db: &D1Database, bank_id: &str, now_ms: i64) -> Result<usize, ApiError> {
    let due = "bank_id = ?1 AND status = 'in_locker' AND pickup_by <= ?2";
    let lapsed = "bank_id = ?1 AND status = 'reserved' AND pickup_by <= ?2";
    let args = [text(bank_id), num(now_ms)];
    let statements = vec![
        prepare(
            db,
            &format!(
                "INSERT INTO lockers_events (package_id, at, status, detail) \
                 SELECT id, ?2, 'expired', 'not picked up in time' FROM lockers_packages WHERE {due}"
            ),
            &args,
        )?,
        prepare(
            db,
            &format!("UPDATE lockers_packages SET status = 'expired', updated_at = ?2 WHERE {due}"),
            &args,
        )?,
        prepare(
            db,
            &format!(
                "INSERT INTO lockers_events (package_id, at, status, detail) \
                 SELECT id, ?2, 'lapsed', 'not dropped off in time' FROM lockers_packages WHERE {lapsed}"
            ),
            &args,
        )?,
        prepare(
            db,
            &format!(
                "UPDATE lockers_compartments SET package_id = NULL \
                 WHERE package_id IN (SELECT id FROM lockers_packages WHERE {lapsed})"
            ),
            &args,
        )?,
        prepare(
            db,
            &format!("UPDATE lockers_packages SET status = 'lapsed', updated_at = ?2 WHERE {lapsed}"),
            &args,
        )?,
    ];
    let changed = run_batch(db, statements, "expiring parcels").await?;
    Ok(changed.get(1).copied().unwrap_or(0) + changed.get(4).copied().unwrap_or(0))
}

/// The earliest deadline of the bank's waiting parcels and held compartments.
pub async fn next_deadline(db: &D1Database, bank_id: &str) -> Result<Option<i64>, ApiError> {
    value(
        db,
        "SELECT MIN(pickup_by) AS value FROM lockers_packages \
         WHERE bank_id = ?1 AND status IN ('in_locker', 'reserved')",
        &[text(bank_id)],
    )
    .await
}

/// Sends a parcel to another location (its chosen one is full for it), with the event.
pub async fn reroute(
    db: &D1Database,
    package_id: &str,
    location_id: &str,
    detail: &str,
    courier_id: &str,
    now_ms: i64,
) -> Result<bool, ApiError> {
    let statements = vec![
        prepare(
            db,
            "UPDATE lockers_packages SET location_id = ?2, updated_at = ?3 \
             WHERE id = ?1 AND status IN ('created', 'in_transit')",
            &[text(package_id), text(location_id), num(now_ms)],
        )?,
        prepare(
            db,
            "INSERT INTO lockers_events (package_id, at, status, actor_id, detail) \
             SELECT ?1, ?2, status, ?3, ?4 FROM lockers_packages WHERE id = ?1 AND changes() = 1",
            &[text(package_id), num(now_ms), text(courier_id), text(detail)],
        )?,
    ];
    Ok(run_batch(db, statements, "rerouting a parcel").await?.first() == Some(&1))
}

/// A person's id by username, or by the e-mail of their account (a shop may know only that).
pub async fn user_id(db: &D1Database, username: &str) -> Result<Option<String>, ApiError> {
    value(
        db,
        "SELECT id AS value FROM auth_users WHERE username = ?1 OR email = ?1 LIMIT 1",
        &[text(&username.trim().to_lowercase())],
    )
    .await
}

/// A pending extension: its Pay order for the parcel, and the window it buys.
pub struct NewExtension<'a> {
    pub order_id: &'a str,
    pub package_id: &'a str,
    pub user_id: &'a str,
    pub amount: i64,
    pub pickup_by_before: i64,
    pub pickup_by_after: i64,
    pub now_ms: i64,
}

pub async fn insert_extension(db: &D1Database, x: &NewExtension<'_>) -> Result<(), ApiError> {
    crate::d1::run(
        db,
        "INSERT INTO lockers_extensions (order_id, package_id, user_id, amount, pickup_by_before, pickup_by_after, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[
            text(x.order_id),
            text(x.package_id),
            text(x.user_id),
            num(x.amount),
            num(x.pickup_by_before),
            num(x.pickup_by_after),
            num(x.now_ms),
        ],
    )
    .await
    .map(drop)
}

/// An extension order of the parcel's still waiting to be paid (made since `since_ms`), if any.
pub async fn pending_extension(
    db: &D1Database,
    package_id: &str,
    since_ms: i64,
) -> Result<Option<(String, i64, i64)>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        order_id: String,
        amount: i64,
        pickup_by_after: i64,
    }
    let row: Option<Row> = first(
        db,
        "SELECT order_id, amount, pickup_by_after FROM lockers_extensions \
         WHERE package_id = ?1 AND applied_at IS NULL AND refused_at IS NULL AND created_at > ?2 \
         ORDER BY created_at DESC LIMIT 1",
        &[text(package_id), num(since_ms)],
    )
    .await?;
    Ok(row.map(|r| (r.order_id, r.amount, r.pickup_by_after)))
}

/// The statements that apply an extension, for the transaction in which Pay captures `payment_id`
/// of the lockers' order `order_id`: the parcel's window moves once, only while it waits with the
/// window the order was priced for and no extension yet; the extension row says whether it was
/// applied or came too late (a refund is then due).
pub fn extend_on_capture(
    db: &D1Database,
    payment_id: &str,
    order_id: &str,
    now_ms: i64,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let captured =
        "EXISTS (SELECT 1 FROM pay_payments WHERE id = ?1 AND order_id = ?2 AND captured_at IS NOT NULL)";
    let args = [text(payment_id), text(order_id), num(now_ms)];
    Ok(vec![
        prepare(
            db,
            &format!(
                "UPDATE lockers_packages SET pickup_by = x.pickup_by_after, extended_by = ?2, updated_at = ?3 \
                 FROM lockers_extensions x \
                 WHERE x.order_id = ?2 AND lockers_packages.id = x.package_id AND x.applied_at IS NULL \
                   AND x.refused_at IS NULL AND lockers_packages.status = 'in_locker' \
                   AND lockers_packages.pickup_by = x.pickup_by_before AND lockers_packages.pickup_by > ?3 \
                   AND lockers_packages.extended_by IS NULL AND {captured}"
            ),
            &args,
        )?,
        prepare(
            db,
            "INSERT INTO lockers_events (package_id, at, status, actor_id, detail) \
             SELECT package_id, ?3, 'in_locker', user_id, 'window extended (paid)' FROM lockers_extensions \
             WHERE order_id = ?2 AND changes() = 1",
            &args,
        )?,
        prepare(
            db,
            &format!(
                "UPDATE lockers_extensions SET payment_id = ?1, \
                   applied_at = CASE WHEN EXISTS (SELECT 1 FROM lockers_packages p \
                     WHERE p.id = lockers_extensions.package_id AND p.extended_by = ?2) THEN ?3 END, \
                   refused_at = CASE WHEN EXISTS (SELECT 1 FROM lockers_packages p \
                     WHERE p.id = lockers_extensions.package_id AND p.extended_by = ?2) THEN NULL ELSE ?3 END \
                 WHERE order_id = ?2 AND applied_at IS NULL AND refused_at IS NULL AND {captured}"
            ),
            &args,
        )?,
    ])
}

/// When a location's compartments were taken: for each parcel or return that held one after
/// `since_ms`, from when to when (None: it still does). A parcel that left was last updated when it
/// left, so the ones still inside and those updated since are all there is to read.
pub async fn occupancy(
    db: &D1Database,
    location_id: &str,
    since_ms: i64,
) -> Result<Vec<(i64, Option<i64>)>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        since: Option<i64>,
        until: Option<i64>,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT since, until FROM (SELECT \
           (SELECT MIN(e.at) FROM lockers_events e WHERE e.package_id = p.id AND e.status IN ('in_locker', 'reserved')) AS since, \
           (SELECT MAX(e.at) FROM lockers_events e WHERE e.package_id = p.id \
              AND e.status IN ('picked_up', 'returned', 'lapsed')) AS until \
         FROM lockers_packages p WHERE p.location_id = ?1 AND p.bank_id IS NOT NULL \
           AND (p.updated_at >= ?2 OR p.status IN ('in_locker', 'expired', 'reserved', 'dropped_off'))) \
         WHERE since IS NOT NULL AND (until IS NULL OR until >= ?2)",
        &[text(location_id), num(since_ms)],
    )
    .await?;
    Ok(rows.into_iter().filter_map(|r| Some((r.since?, r.until))).collect())
}

/// A compartment as the admin screen shows it: its parcel's status, if one is behind it.
#[derive(Deserialize)]
pub struct DoorRow {
    pub bank_id: String,
    pub door: i64,
    pub size: String,
    pub in_service: i64,
    pub package_id: Option<String>,
    pub status: Option<String>,
}

pub async fn doors_of_location(db: &D1Database, location_id: &str) -> Result<Vec<DoorRow>, ApiError> {
    all(
        db,
        "SELECT c.bank_id, c.door, c.size, c.in_service, c.package_id, p.status FROM lockers_compartments c \
         JOIN lockers_banks b ON b.id = c.bank_id LEFT JOIN lockers_packages p ON p.id = c.package_id \
         WHERE b.location_id = ?1 ORDER BY b.position, c.door",
        &[text(location_id)],
    )
    .await
}

/// The extension `payment_id` paid for, if it came too late and is not refunded yet: its order.
pub async fn refused_unrefunded(db: &D1Database, payment_id: &str) -> Result<Option<String>, ApiError> {
    value(
        db,
        "SELECT order_id AS value FROM lockers_extensions \
         WHERE payment_id = ?1 AND refused_at IS NOT NULL AND refund_id IS NULL",
        &[text(payment_id)],
    )
    .await
}

pub async fn mark_refunded(db: &D1Database, order_id: &str, refund_id: &str) -> Result<(), ApiError> {
    crate::d1::run(
        db,
        "UPDATE lockers_extensions SET refund_id = ?2 WHERE order_id = ?1 AND refund_id IS NULL",
        &[text(order_id), text(refund_id)],
    )
    .await
    .map(drop)
}

/// A courier takes a parcel from its sender; whether it was waiting for one.
pub async fn in_transit(db: &D1Database, id: &str, courier_id: &str, now_ms: i64) -> Result<bool, ApiError> {
    let statements = vec![
        prepare(
            db,
            "UPDATE lockers_packages SET status = 'in_transit', updated_at = ?3 \
             WHERE id = ?1 AND status = 'created' AND kind = 'delivery'",
            &[text(id), text(courier_id), num(now_ms)],
        )?,
        prepare(
            db,
            "INSERT INTO lockers_events (package_id, at, status, actor_id) SELECT ?1, ?3, 'in_transit', ?2 WHERE changes() = 1",
            &[text(id), text(courier_id), num(now_ms)],
        )?,
    ];
    Ok(run_batch(db, statements, "taking a parcel on its way").await?.first() == Some(&1))
}

/// Banks with a parcel or a hold whose deadline passed a while ago (`before_ms`) and that their
/// alarm has not dealt with: the clock's backstop.
pub async fn overdue_banks(db: &D1Database, before_ms: i64) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        bank_id: String,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT DISTINCT bank_id FROM lockers_packages \
         WHERE status IN ('in_locker', 'reserved') AND pickup_by < ?1 AND bank_id IS NOT NULL LIMIT 50",
        &[num(before_ms)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.bank_id).collect())
}

/// Extensions refused (paid too late) and not refunded by the capture's own follow-up (a minute
/// on): their payments.
pub async fn unrefunded(db: &D1Database, before_ms: i64) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        payment_id: String,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT payment_id FROM lockers_extensions \
         WHERE refused_at IS NOT NULL AND refused_at < ?1 AND refund_id IS NULL AND payment_id IS NOT NULL \
         ORDER BY refused_at LIMIT 20",
        &[num(before_ms)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.payment_id).collect())
}

/// A refund Pay already made of `payment_id` (a refund whose recording was lost).
pub async fn refund_of(db: &D1Database, payment_id: &str) -> Result<Option<String>, ApiError> {
    value(
        db,
        "SELECT id AS value FROM pay_refunds WHERE payment_id = ?1 ORDER BY created_at LIMIT 1",
        &[text(payment_id)],
    )
    .await
}
