//! `/api/lockers`: locations with their free compartments, parcels and their life, deposits by
//! couriers, pickups by code at a bank or from the recipient's app, and collections of expired
//! parcels. Who may do what: anyone reads locations; admins (`LOCKERS_ADMINS`) make them; anyone
//! signed in sends a parcel; couriers (`LOCKERS_COURIERS`) deposit and collect; a parcel is seen
//! by its sender, its recipient and couriers, its code by its recipient alone.

use super::{
    bank::{CollectRequest, DepositReply, DepositRequest, PickupRequest},
    store::{self, BankRow, EventRow, PackageRow},
};
use crate::{
    auth::identity,
    http::{json, query_pairs, read_json, with_headers, ApiResult, Cx, OrInternal},
    password::random,
    rate_limit,
};
use serde::{de::DeserializeOwned, Serialize};
use shared::{
    error::ErrorEnvelope,
    ids::TimeId,
    links::qr::svg_for,
    lockers::{
        code::{derive_code, is_code, qr_payload},
        location::{distance_km, parse_near, BankView, DoorService, FreeBySize, LocationView, NewLocation},
        package::{NewPackage, Opened, PackageEvent, PackageView, Pickup, Status},
        size::{Parcel, Size},
    },
    rate_limit::RateLimit,
    roles::named_in,
    time::Timestamp,
    ApiError, ErrorCode,
};
use std::collections::HashMap;
use worker::{Env, Request, Response};

/// Parcels a person may send in an hour.
const NEW_PACKAGES: RateLimit = RateLimit { limit: 200, window_secs: 3_600 };
/// How far a full location's parcels are rerouted at most.
const REROUTE_KM: f64 = 25.0;

/// The caller, if `setting` (usernames by commas) names them; else 403.
async fn require_role(
    req: &Request,
    cx: &Cx,
    setting: &str,
    what: &str,
) -> Result<identity::Identity, ApiError> {
    let me = identity::require(req, cx).await?;
    let names = cx.env.var(setting).map(|v| v.to_string()).unwrap_or_default();
    if named_in(&names, &me.user.username) {
        Ok(me)
    } else {
        Err(ApiError::new(ErrorCode::Forbidden, format!("This is for {what}.")))
    }
}

fn is_courier(cx: &Cx, username: &str) -> bool {
    named_in(&cx.env.var("LOCKERS_COURIERS").map(|v| v.to_string()).unwrap_or_default(), username)
}

/// Asks a bank's object; its refusals come back as the `ApiError` it answered.
pub(super) async fn ask_bank<Q: Serialize, A: DeserializeOwned>(
    env: &Env,
    bank_id: &str,
    path: &str,
    body: &Q,
) -> Result<A, ApiError> {
    crate::durable::ask(env, "LOCKER_BANKS", bank_id, path, body).await
}

/// Banks grouped by location, in the order given.
fn locations(rows: Vec<BankRow>) -> Vec<LocationView> {
    let mut views: Vec<LocationView> = Vec::new();
    for row in rows {
        let mut free = FreeBySize::default();
        for (size, n) in [(Size::S, row.free_s), (Size::M, row.free_m), (Size::L, row.free_l)] {
            free.add(size, u32::try_from(n).unwrap_or(0));
        }
        let bank = BankView {
            id: row.bank_id,
            name: row.bank_name,
            compartments: u32::try_from(row.compartments).unwrap_or(0),
            free,
        };
        match views.last_mut().filter(|v| v.id == row.location_id) {
            Some(view) => {
                for (size, n) in [(Size::S, free.small), (Size::M, free.medium), (Size::L, free.large)] {
                    view.free.add(size, n);
                }
                view.banks.push(bank);
            }
            None => views.push(LocationView {
                id: row.location_id,
                name: row.name,
                address: row.address,
                lat: row.lat,
                lng: row.lng,
                timezone: row.timezone,
                always_open: true,
                banks: vec![bank],
                free,
                distance_km: None,
            }),
        }
    }
    views
}

/// The locations, nearest first with `near=lat,lng`, only those with a free compartment for a
/// parcel of `size` when asked.
#[utoipa::path(get, path = "/api/lockers/locations", tag = "lockers",
    params(("near" = Option<String>, Query, description = "lat,lng: nearest first, with distances"),
           ("size" = Option<String>, Query, description = "S, M or L: only locations with a free compartment that takes it")),
    responses((status = 200, body = [LocationView]), (status = 422, body = ErrorEnvelope)))]
pub async fn list_locations(req: &mut Request, cx: &Cx) -> ApiResult {
    let mut near = None;
    let mut size = None;
    for (name, value) in query_pairs(req) {
        match name.as_str() {
            "near" => near = Some(parse_near(&value)?),
            "size" => {
                size =
                    Some(Size::parse(&value).ok_or_else(|| ApiError::invalid("size", "size is S, M or L."))?)
            }
            _ => {}
        }
    }
    let mut views = locations(store::banks(&cx.db()?).await?);
    if let Some(size) = size {
        views.retain(|v| v.free.fitting(size) > 0);
    }
    if let Some(point) = near {
        for view in &mut views {
            view.distance_km = Some((distance_km(point, (view.lat, view.lng)) * 100.0).round() / 100.0);
        }
        views.sort_by(|a, b| a.distance_km.unwrap_or(0.0).total_cmp(&b.distance_km.unwrap_or(0.0)));
    }
    json(200, &views)
}

async fn location_view(cx: &Cx, id: &str) -> Result<LocationView, ApiError> {
    locations(store::banks_of(&cx.db()?, id).await?)
        .pop()
        .ok_or_else(|| ApiError::not_found("No such location."))
}

/// One location with its banks and their free compartments.
#[utoipa::path(get, path = "/api/lockers/locations/{id}", tag = "lockers", params(("id" = String, Path)),
    responses((status = 200, body = LocationView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_location(_req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    json(200, &location_view(cx, id).await?)
}

/// Makes a location with its banks (admins: `LOCKERS_ADMINS`).
#[utoipa::path(post, path = "/api/lockers/locations", tag = "lockers", request_body = NewLocation,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = LocationView), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Not one of LOCKERS_ADMINS"), (status = 422, body = ErrorEnvelope)))]
pub async fn create_location(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = require_role(req, cx, "LOCKERS_ADMINS", "the lockers' admins").await?.user;
    let location = read_json::<NewLocation>(req).await?.check()?;
    let id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    let mut bank_ids = Vec::new();
    for _ in &location.banks {
        bank_ids.push(TimeId::new(cx.now_ms, random::<10>()?).to_string());
    }
    store::insert_location(&cx.db()?, &id, &location, &bank_ids, &me.id, cx.now_ms).await?;
    json(201, &location_view(cx, &id).await?)
}

/// Puts a compartment in or out of service (admins: `LOCKERS_ADMINS`); answers its location.
/// Allocation skips a door out of service; a parcel already behind it stays until taken out.
#[utoipa::path(put, path = "/api/lockers/banks/{id}/doors/{door}", tag = "lockers",
    params(("id" = String, Path), ("door" = u16, Path)), request_body = DoorService,
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = LocationView), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Not one of LOCKERS_ADMINS"),
              (status = 404, body = ErrorEnvelope, description = "No such bank or door"), (status = 422, body = ErrorEnvelope)))]
pub async fn set_door(req: &mut Request, cx: &Cx, bank_id: &str, door: &str) -> ApiResult {
    require_role(req, cx, "LOCKERS_ADMINS", "the lockers' admins").await?;
    let asked = read_json::<DoorService>(req).await?;
    let no_door = || ApiError::not_found("This bank has no such door.");
    let door = door.parse::<u16>().map_err(|_| no_door())?;
    let db = cx.db()?;
    let place = store::bank_place(&db, bank_id).await?.ok_or_else(|| ApiError::not_found("No such bank."))?;
    if !store::set_in_service(&db, bank_id, door, asked.in_service).await? {
        return Err(no_door());
    }
    json(200, &location_view(cx, &place.location_id).await?)
}

/// A parcel as `viewer` may see it, with its events: its code and QR for its recipient alone,
/// while it waits.
fn package_view(
    cx: &Cx,
    row: PackageRow,
    events: Vec<EventRow>,
    viewer_id: &str,
) -> Result<PackageView, ApiError> {
    let status =
        Status::parse(&row.status).ok_or_else(|| crate::http::internal("a parcel's status", &row.status))?;
    let (code, qr) = match (status, &row.bank_id, row.code_nonce) {
        (Status::InLocker, Some(bank_id), Some(nonce)) if viewer_id == row.recipient_id => {
            let secret = crate::platform::secret(&cx.env, "LOCKERS_SECRET")?;
            let code = derive_code(&secret, &row.id, u32::try_from(nonce).unwrap_or(0));
            let qr = qr_payload(bank_id, &code);
            (Some(code), Some(qr))
        }
        _ => (None, None),
    };
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    Ok(PackageView {
        status,
        sender: row.sender,
        recipient: row.recipient,
        reference: row.reference,
        size: Size::parse(&row.size).unwrap_or(Size::S),
        parcel: Parcel {
            length_mm: count(row.length_mm),
            width_mm: count(row.width_mm),
            height_mm: count(row.height_mm),
            weight_g: count(row.weight_g),
        },
        location_id: row.location_id,
        location_name: row.location_name,
        address: row.address,
        bank_id: row.bank_id,
        bank_name: row.bank_name,
        door: row.door.and_then(|d| u16::try_from(d).ok()),
        pickup_by: row.pickup_by.filter(|_| status.in_compartment()).map(|at| Timestamp(at).to_rfc3339()),
        code,
        qr,
        events: events
            .into_iter()
            .map(|e| PackageEvent {
                status: Status::parse(&e.status).unwrap_or(status),
                at: Timestamp(e.at).to_rfc3339(),
                actor: e.actor.unwrap_or_else(|| "system".to_owned()),
                detail: e.detail,
            })
            .collect(),
        created_at: Timestamp(row.created_at).to_rfc3339(),
        id: row.id,
    })
}

/// A parcel just written, as `viewer_id` sees it.
async fn one_view(cx: &Cx, id: &str, viewer_id: &str) -> Result<PackageView, ApiError> {
    let db = cx.db()?;
    let row = store::package(&db, id).await?.ok_or_else(ApiError::internal)?;
    let events = store::events(&db, &[id]).await?;
    package_view(cx, row, events, viewer_id)
}

/// Sends a parcel to a recipient (a username) at a location; it gets the smallest size it fits,
/// or a 422 saying why none does.
#[utoipa::path(post, path = "/api/lockers/packages", tag = "lockers", request_body = NewPackage,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = PackageView), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope, description = "More than 200 parcels in an hour")))]
pub async fn create_package(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let asked = read_json::<NewPackage>(req).await?;
    let (parcel, size) = asked.check()?;
    let db = cx.db()?;
    let recipient = store::user_id(&db, &asked.recipient)
        .await?
        .ok_or_else(|| ApiError::invalid("recipient", "No account has that username."))?;
    if store::banks_of(&db, &asked.location_id).await?.is_empty() {
        return Err(ApiError::invalid("location_id", "No such location."));
    }
    rate_limit::hit(&db, &format!("lockers-packages:user:{}", me.id), NEW_PACKAGES, cx.now_ms).await?;
    let id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    let reference = asked.reference.as_deref().map(str::trim).filter(|r| !r.is_empty());
    store::insert_package(
        &db,
        &id,
        &me.id,
        &recipient,
        &asked.location_id,
        size,
        &parcel,
        reference,
        cx.now_ms,
    )
    .await?;
    json(201, &one_view(cx, &id, &me.id).await?)
}

/// The caller's parcels: those sent to them (`role=recipient`, the default) or by them
/// (`role=sender`), newest first; for couriers (`role=courier`) every parcel with work to do —
/// on its way to a locker, or expired and waiting to be carried back — oldest first.
#[utoipa::path(get, path = "/api/lockers/packages", tag = "lockers",
    params(("role" = Option<String>, Query, description = "recipient (default), sender, or courier (LOCKERS_COURIERS only)")),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = [PackageView]), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "role=courier for someone not in LOCKERS_COURIERS"),
              (status = 422, body = ErrorEnvelope)))]
pub async fn list_packages(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let role = query_pairs(req).into_iter().find(|(k, _)| k == "role").map(|(_, v)| v);
    let db = cx.db()?;
    let rows = match role.as_deref() {
        None | Some("recipient") => store::packages_of(&db, &me.id, false).await?,
        Some("sender") => store::packages_of(&db, &me.id, true).await?,
        Some("courier") if is_courier(cx, &me.username) => store::courier_work(&db).await?,
        Some("courier") => return Err(ApiError::new(ErrorCode::Forbidden, "This is for couriers.")),
        Some(_) => return Err(ApiError::invalid("role", "role is recipient, sender or courier.")),
    };
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut events: HashMap<String, Vec<EventRow>> = HashMap::new();
    for event in store::events(&db, &ids).await? {
        events.entry(event.package_id.clone()).or_default().push(event);
    }
    let views = rows
        .into_iter()
        .map(|row| {
            let mine = events.remove(&row.id).unwrap_or_default();
            package_view(cx, row, mine, &me.id)
        })
        .collect::<Result<Vec<_>, _>>()?;
    json(200, &views)
}

/// A parcel the caller may see (its sender, its recipient, or a courier), or a 404.
async fn visible(req: &Request, cx: &Cx, id: &str) -> Result<(identity::Identity, PackageRow), ApiError> {
    let me = identity::require(req, cx).await?;
    let row = store::package(&cx.db()?, id).await?.filter(|row| {
        row.sender_id == me.user.id || row.recipient_id == me.user.id || is_courier(cx, &me.user.username)
    });
    row.map(|row| (me, row)).ok_or_else(|| ApiError::not_found("No such parcel."))
}

/// One parcel with its life; its code and QR for its recipient alone.
#[utoipa::path(get, path = "/api/lockers/packages/{id}", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = PackageView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_package(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let (me, row) = visible(req, cx, id).await?;
    let events = store::events(&cx.db()?, &[row.id.as_str()]).await?;
    json(200, &package_view(cx, row, events, &me.user.id)?)
}

/// The QR its recipient shows at the bank's camera (SVG): the bank and the code. For the
/// recipient alone, while the parcel waits; never cached.
#[utoipa::path(get, path = "/api/lockers/packages/{id}/qr", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "SVG image", content_type = "image/svg+xml"), (status = 401, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope, description = "No such parcel of yours waiting in a locker")))]
pub async fn qr(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let row = store::package(&cx.db()?, id)
        .await?
        .filter(|row| row.recipient_id == me.id)
        .ok_or_else(|| ApiError::not_found("No such parcel."))?;
    let (Some(bank_id), Some(nonce), Some(Status::InLocker)) =
        (&row.bank_id, row.code_nonce, Status::parse(&row.status))
    else {
        return Err(ApiError::not_found("This parcel has no code: it is not waiting in a locker."));
    };
    let secret = crate::platform::secret(&cx.env, "LOCKERS_SECRET")?;
    let code = derive_code(&secret, &row.id, u32::try_from(nonce).unwrap_or(0));
    let svg = svg_for(&qr_payload(bank_id, &code), 240)
        .ok_or_else(|| crate::http::internal("a QR code", "too long"))?;
    with_headers(
        Response::ok(svg).internal("QR response")?,
        &[("Content-Type", "image/svg+xml"), ("Cache-Control", "private, no-store")],
    )
}

/// Calls off a parcel no courier has yet (its sender).
#[utoipa::path(delete, path = "/api/lockers/packages/{id}", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = PackageView), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Not its sender"), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "A courier has it already")))]
pub async fn cancel_package(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let (me, row) = visible(req, cx, id).await?;
    if row.sender_id != me.user.id {
        return Err(ApiError::new(ErrorCode::Forbidden, "Only its sender calls a parcel off."));
    }
    let db = cx.db()?;
    if !store::cancel(&db, id, &me.user.id, cx.now_ms).await? {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This parcel is on its way already: it cannot be called off.",
        ));
    }
    json(200, &one_view(cx, id, &me.user.id).await?)
}

/// The door a parcel waits behind, once deposited.
fn deposited(row: &PackageRow) -> Option<Opened> {
    if Status::parse(&row.status) != Some(Status::InLocker) {
        return None;
    }
    Some(Opened {
        package_id: row.id.clone(),
        location_id: row.location_id.clone(),
        bank_id: row.bank_id.clone()?,
        door: row.door.and_then(|d| u16::try_from(d).ok())?,
        size: Size::parse(&row.size)?,
        pickup_by: row.pickup_by.map(|at| Timestamp(at).to_rfc3339()),
    })
}

/// A courier at the parcel's location: the smallest free compartment that fits it, in one of
/// the location's banks (each allocates alone, so two couriers never get one door). When none
/// has room, the parcel is rerouted to the nearest location within 25 km that has (409 naming it).
#[utoipa::path(post, path = "/api/lockers/packages/{id}/deposit", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = Opened, description = "The door to put it in"),
              (status = 200, body = Opened, description = "Deposited already (a try again): its door"), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Not one of LOCKERS_COURIERS"), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Not on its way, or full here (rerouted, or nowhere near has room)"),
              (status = 503, body = ErrorEnvelope, description = "The bank is busy")))]
pub async fn deposit(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let courier = require_role(req, cx, "LOCKERS_COURIERS", "couriers").await?.user;
    let db = cx.db()?;
    let row = store::package(&db, id).await?.ok_or_else(|| ApiError::not_found("No such parcel."))?;
    // A deposit asked again (its answer lost) gets the same door.
    if let Some(opened) = deposited(&row) {
        return json(200, &opened);
    }
    if !matches!(Status::parse(&row.status), Some(Status::Created | Status::InTransit)) {
        return Err(ApiError::new(ErrorCode::Conflict, "This parcel is not on its way to a locker."));
    }
    let size = Size::parse(&row.size).unwrap_or(Size::L);
    for bank in store::banks_of(&db, &row.location_id).await? {
        let asked = DepositRequest {
            bank_id: bank.bank_id.clone(),
            package_id: row.id.clone(),
            size,
            courier_id: courier.id.clone(),
        };
        let reply: DepositReply = ask_bank(&cx.env, &bank.bank_id, "/deposit", &asked).await?;
        if let Some(opened) = reply.opened {
            return json(201, &opened);
        }
    }
    // Full here: the nearest location with room for it.
    let here = location_view(cx, &row.location_id).await?;
    let nearest = locations(store::banks(&db).await?)
        .into_iter()
        .filter(|l| l.id != here.id && l.free.fitting(size) > 0)
        .map(|l| (distance_km((here.lat, here.lng), (l.lat, l.lng)), l))
        .filter(|(km, _)| *km <= REROUTE_KM)
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let Some((km, there)) = nearest else {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "No compartment takes a size {} parcel here or within {REROUTE_KM:.0} km: keep it for now.",
                size.as_str()
            ),
        ));
    };
    let detail = format!("rerouted from {} (full) to {}", here.name, there.name);
    if !store::reroute(&db, &row.id, &there.id, &detail, &courier.id, cx.now_ms).await? {
        // Deposited meanwhile (another try of the same deposit), or no longer on its way.
        let row = store::package(&db, id).await?.ok_or_else(|| ApiError::not_found("No such parcel."))?;
        return match deposited(&row) {
            Some(opened) => json(200, &opened),
            None => Err(ApiError::new(ErrorCode::Conflict, "This parcel is not on its way to a locker.")),
        };
    }
    Err(ApiError::new(
        ErrorCode::Conflict,
        format!(
            "{} is full for this parcel: it is rerouted to {}, {} ({km:.1} km). Deposit it there.",
            here.name, there.name, there.address
        ),
    ))
}

/// The recipient opening their own compartment from the app (no code to type).
#[utoipa::path(post, path = "/api/lockers/packages/{id}/pickup", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = Opened), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Not in a locker yet, or picked up already"),
              (status = 410, body = ErrorEnvelope, description = "Its window ended")))]
pub async fn pickup_mine(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let row = store::package(&cx.db()?, id)
        .await?
        .filter(|row| row.recipient_id == me.id)
        .ok_or_else(|| ApiError::not_found("No such parcel."))?;
    let Some(bank_id) = row.bank_id.clone() else {
        return Err(ApiError::new(ErrorCode::Conflict, "This parcel is not in a locker yet."));
    };
    let asked = PickupRequest {
        bank_id: bank_id.clone(),
        code: None,
        package_id: Some(row.id),
        recipient_id: Some(me.id),
    };
    json(200, &ask_bank::<_, Opened>(&cx.env, &bank_id, "/pickup", &asked).await?)
}

/// A code typed at a bank (or read from the recipient's QR): the door it opens, once. Wrong codes
/// are counted for the whole bank: ten in an hour and it takes none for a while (429).
#[utoipa::path(post, path = "/api/lockers/banks/{id}/pickup", tag = "lockers", params(("id" = String, Path)),
    request_body = Pickup,
    responses((status = 200, body = Opened), (status = 404, body = ErrorEnvelope, description = "No parcel here has that code"),
              (status = 409, body = ErrorEnvelope, description = "That parcel was picked up already"),
              (status = 410, body = ErrorEnvelope, description = "The code expired"), (status = 422, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope, description = "Too many wrong codes at this bank; see Retry-After")))]
pub async fn pickup_at_bank(req: &mut Request, cx: &Cx, bank_id: &str) -> ApiResult {
    let asked = read_json::<Pickup>(req).await?;
    let code = asked.code.trim();
    if !is_code(code) {
        return Err(ApiError::invalid("code", "A code is six digits."));
    }
    if store::bank_place(&cx.db()?, bank_id).await?.is_none() {
        return Err(ApiError::not_found("No such bank."));
    }
    let asked = PickupRequest {
        bank_id: bank_id.to_owned(),
        code: Some(code.to_owned()),
        package_id: None,
        recipient_id: None,
    };
    json(200, &ask_bank::<_, Opened>(&cx.env, bank_id, "/pickup", &asked).await?)
}

/// A courier taking back a parcel whose window ended; its compartment is free again.
#[utoipa::path(post, path = "/api/lockers/packages/{id}/collect", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = Opened), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Not one of LOCKERS_COURIERS"), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Its window has not ended")))]
pub async fn collect(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let courier = require_role(req, cx, "LOCKERS_COURIERS", "couriers").await?.user;
    let row = store::package(&cx.db()?, id).await?.ok_or_else(|| ApiError::not_found("No such parcel."))?;
    let Some(bank_id) = row.bank_id.clone() else {
        return Err(ApiError::new(ErrorCode::Conflict, "This parcel is not in a locker."));
    };
    let asked = CollectRequest { bank_id: bank_id.clone(), package_id: row.id, courier_id: courier.id };
    json(200, &ask_bank::<_, Opened>(&cx.env, &bank_id, "/collect", &asked).await?)
}
