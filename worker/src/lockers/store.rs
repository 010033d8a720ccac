//! `lockers_locations`, `lockers_banks`, `lockers_compartments`, `lockers_packages` and
//! `lockers_events`.

use crate::d1::{all, first, num, opt_text, prepare, run_batch, text};
use serde::Deserialize;
use shared::{
    lockers::{
        location::NewLocation,
        package::Status,
        size::{Door, Size},
    },
    ApiError,
};
use worker::{D1Database, D1PreparedStatement};

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
        "INSERT INTO lockers_locations (id, name, address, lat, lng, timezone, created_by, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[
            text(id),
            text(&location.name),
            text(&location.address),
            wasm_bindgen::JsValue::from_f64(location.lat),
            wasm_bindgen::JsValue::from_f64(location.lng),
            text(&location.timezone),
            text(created_by),
            num(now_ms),
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

/// One bank of a location, with its compartments counted by size and state.
#[derive(Deserialize)]
pub struct BankRow {
    pub location_id: String,
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub timezone: String,
    pub bank_id: String,
    pub bank_name: String,
    pub compartments: i64,
    pub free_s: i64,
    pub free_m: i64,
    pub free_l: i64,
}

const BANKS: &str =
    "SELECT l.id AS location_id, l.name, l.address, l.lat, l.lng, l.timezone, b.id AS bank_id, \
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

/// A bank's location and its time zone.
#[derive(Deserialize)]
pub struct BankPlace {
    pub location_id: String,
    pub timezone: String,
}

pub async fn bank_place(db: &D1Database, bank_id: &str) -> Result<Option<BankPlace>, ApiError> {
    first(
        db,
        "SELECT b.location_id, l.timezone FROM lockers_banks b JOIN lockers_locations l ON l.id = b.location_id \
         WHERE b.id = ?1",
        &[text(bank_id)],
    )
    .await
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

const PACKAGES: &str = "SELECT p.id, p.sender_id, p.recipient_id, s.username AS sender, r.username AS recipient, \
       p.location_id, l.name AS location_name, l.address, p.size, p.length_mm, p.width_mm, p.height_mm, \
       p.weight_g, p.reference, p.status, p.bank_id, b.name AS bank_name, p.door, p.code_nonce, p.pickup_by, \
       p.created_at \
     FROM lockers_packages p JOIN auth_users s ON s.id = p.sender_id JOIN auth_users r ON r.id = p.recipient_id \
     JOIN lockers_locations l ON l.id = p.location_id LEFT JOIN lockers_banks b ON b.id = p.bank_id";

pub async fn package(db: &D1Database, id: &str) -> Result<Option<PackageRow>, ApiError> {
    first(db, &format!("{PACKAGES} WHERE p.id = ?1"), &[text(id)]).await
}

/// The parcels couriers have work with: on their way to a locker (to deposit) and expired (to
/// carry back), oldest first, at most 200.
pub async fn courier_work(db: &D1Database) -> Result<Vec<PackageRow>, ApiError> {
    all(
        db,
        &format!(
            "{PACKAGES} WHERE p.status IN ('created', 'in_transit', 'expired') ORDER BY p.updated_at, p.id LIMIT 200"
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

/// Whether a parcel in the bank's compartments (waiting, or expired and not yet carried back)
/// already has this code.
pub async fn code_taken(db: &D1Database, bank_id: &str, code_hash: &str) -> Result<bool, ApiError> {
    #[derive(Deserialize)]
    struct Taken {
        taken: i64,
    }
    let row: Option<Taken> = first(
        db,
        "SELECT EXISTS (SELECT 1 FROM lockers_packages WHERE bank_id = ?1 AND code_hash = ?2 \
           AND status IN ('in_locker', 'expired')) AS taken",
        &[text(bank_id), text(code_hash)],
    )
    .await?;
    Ok(row.is_some_and(|r| r.taken != 0))
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
/// is free and in service and the parcel is still on its way; the parcel moves only with it.
/// Whether it did.
pub async fn deposit(db: &D1Database, d: &Deposit<'_>) -> Result<bool, ApiError> {
    let statements = vec![
        prepare(
            db,
            "UPDATE lockers_compartments SET package_id = ?3 \
             WHERE bank_id = ?1 AND door = ?2 AND package_id IS NULL AND in_service = 1 \
               AND EXISTS (SELECT 1 FROM lockers_packages WHERE id = ?3 AND status IN ('created', 'in_transit'))",
            &[text(d.bank_id), num(i64::from(d.door)), text(d.package_id)],
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

/// A parcel at the bank whose code hashes to `code_hash`: its id, door and status (waiting,
/// expired, or picked up within the last hour, so that a code typed again is not a wrong one).
#[derive(Deserialize)]
pub struct Held {
    pub id: String,
    pub door: i64,
    pub status: String,
    pub size: String,
    pub location_id: String,
    pub recipient_id: String,
}

impl Held {
    /// The door it was taken out of, at bank `bank_id`.
    pub fn opened(self, bank_id: &str) -> shared::lockers::package::Opened {
        shared::lockers::package::Opened {
            package_id: self.id,
            location_id: self.location_id,
            bank_id: bank_id.to_owned(),
            door: u16::try_from(self.door).unwrap_or(0),
            size: Size::parse(&self.size).unwrap_or(Size::S),
            pickup_by: None,
        }
    }
}

pub async fn held_by_code(
    db: &D1Database,
    bank_id: &str,
    code_hash: &str,
    now_ms: i64,
) -> Result<Option<Held>, ApiError> {
    first(
        db,
        "SELECT id, door, status, size, location_id, recipient_id FROM lockers_packages \
         WHERE bank_id = ?1 AND code_hash = ?2 \
           AND (status IN ('in_locker', 'expired') OR (status = 'picked_up' AND updated_at > ?3)) \
         ORDER BY status = 'in_locker' DESC, status = 'expired' DESC, updated_at DESC LIMIT 1",
        &[text(bank_id), text(code_hash), num(now_ms - 3_600_000)],
    )
    .await
}

pub async fn held(db: &D1Database, bank_id: &str, package_id: &str) -> Result<Option<Held>, ApiError> {
    first(
        db,
        "SELECT id, door, status, size, location_id, recipient_id FROM lockers_packages WHERE bank_id = ?1 AND id = ?2",
        &[text(bank_id), text(package_id)],
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

/// Expires the bank's parcels whose window ended by `now_ms` (each with its event); how many.
pub async fn expire(db: &D1Database, bank_id: &str, now_ms: i64) -> Result<usize, ApiError> {
    let due = "bank_id = ?1 AND status = 'in_locker' AND pickup_by <= ?2";
    let statements = vec![
        prepare(
            db,
            &format!(
                "INSERT INTO lockers_events (package_id, at, status, detail) \
                 SELECT id, ?2, 'expired', 'not picked up in time' FROM lockers_packages WHERE {due}"
            ),
            &[text(bank_id), num(now_ms)],
        )?,
        prepare(
            db,
            &format!("UPDATE lockers_packages SET status = 'expired', updated_at = ?2 WHERE {due}"),
            &[text(bank_id), num(now_ms)],
        )?,
    ];
    Ok(run_batch(db, statements, "expiring parcels").await?.get(1).copied().unwrap_or(0))
}

/// The earliest deadline of the bank's waiting parcels.
pub async fn next_deadline(db: &D1Database, bank_id: &str) -> Result<Option<i64>, ApiError> {
    #[derive(Deserialize)]
    struct Next {
        at: Option<i64>,
    }
    let row: Option<Next> = first(
        db,
        "SELECT MIN(pickup_by) AS at FROM lockers_packages WHERE bank_id = ?1 AND status = 'in_locker'",
        &[text(bank_id)],
    )
    .await?;
    Ok(row.and_then(|r| r.at))
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

/// A person's id by username.
pub async fn user_id(db: &D1Database, username: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct User {
        id: String,
    }
    let user: Option<User> = first(
        db,
        "SELECT id FROM auth_users WHERE username = ?1",
        &[text(&username.trim().to_ascii_lowercase())],
    )
    .await?;
    Ok(user.map(|u| u.id))
}
