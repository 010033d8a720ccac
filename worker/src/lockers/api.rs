//! `/api/lockers`: locations with their free compartments and hours, parcels and their life,
//! deposits by couriers, pickups and drop-offs by code at a bank (or its location) or from the
//! app, returns, paid extensions, and collections. Who may do what: anyone reads locations;
//! admins (`LOCKERS_ADMINS`) make them and see their compartments; anyone signed in sends a parcel
//! and returns one they picked up; couriers (`LOCKERS_COURIERS`) deposit and collect; a parcel is
//! seen by its sender, its recipient and couriers, its code by its holder alone (a delivery's
//! recipient, a return's sender).

use super::{
    bank::{CollectRequest, DepositReply, DepositRequest, PickupRequest, ReserveRequest},
    store::{self, BankRow, EventRow, PackageRow},
};
use crate::{
    auth::identity,
    http::{json, query_pairs, read_json, with_headers, ApiResult, Cx, OrInternal},
    password::random,
    pay::services::{keys::merchant_of_user, orders},
    rate_limit,
};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json as json_value, Map};
use shared::{
    error::ErrorEnvelope,
    ids::TimeId,
    links::qr::svg_for,
    lockers::{
        admin::{occupancy, DoorView, LocationAdminView, Occupancy, OCCUPANCY_DAYS, SAMPLES_PER_DAY},
        code::{derive_code, is_code, qr_payload},
        hours::{self, describe, ensure_open, next_opening},
        location::{distance_km, parse_near, BankView, DoorService, FreeBySize, LocationView, NewLocation},
        package::{
            code_holder, DepositAt, ExtensionView, Kind, NewPackage, NewReturn, Opened, PackageEvent,
            PackageView, Pickup, Purpose, Status, RETURN_DAYS,
        },
        size::{Parcel, Size},
        window::{extended_deadline, time_zone, EXTENSION_PRICE_PAISE, LOCKERS_MERCHANT_ID},
    },
    pay::{
        money::currency,
        order::{NewOrder, DEFAULT_CAPTURE_WINDOW_MINUTES},
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
/// Extension orders a person may start in an hour.
const NEW_EXTENSIONS: RateLimit = RateLimit { limit: 20, window_secs: 3_600 };
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

/// Banks grouped by location, in the order given, with whether each is open at `now_ms`.
fn locations(rows: Vec<BankRow>, now_ms: i64) -> Vec<LocationView> {
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
            None => {
                let hours = store::hours_of(row.hours.as_deref());
                let tz = time_zone(&row.timezone, "timezone").ok();
                let open_now = tz.as_ref().is_none_or(|tz| hours::is_open(&hours, tz, now_ms));
                let opens_at = tz
                    .as_ref()
                    .and_then(|tz| next_opening(&hours, tz, now_ms))
                    .map(|at| Timestamp(at).to_rfc3339());
                views.push(LocationView {
                    id: row.location_id,
                    name: row.name,
                    address: row.address,
                    lat: row.lat,
                    lng: row.lng,
                    timezone: row.timezone,
                    always_open: hours.is_empty(),
                    hours_text: describe(&hours),
                    hours,
                    open_now,
                    opens_at,
                    banks: vec![bank],
                    free,
                    distance_km: None,
                })
            }
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
    let mut views = locations(store::banks(&cx.db()?).await?, cx.now_ms);
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
    locations(store::banks_of(&cx.db()?, id).await?, cx.now_ms)
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

/// A parcel's bank and code, for `viewer_id` if they hold it (a delivery's recipient, a return's
/// sender) while it opens a compartment.
fn code_of(cx: &Cx, row: &PackageRow, viewer_id: &str) -> Result<Option<(String, String)>, ApiError> {
    let kind = Kind::parse(&row.kind).unwrap_or(Kind::Delivery);
    let opens = Status::parse(&row.status).is_some_and(Status::has_code);
    match (&row.bank_id, row.code_nonce) {
        (Some(bank_id), Some(nonce))
            if opens && viewer_id == code_holder(kind, &row.sender_id, &row.recipient_id) =>
        {
            let secret = crate::platform::secret(&cx.env, "LOCKERS_SECRET")?;
            Ok(Some((bank_id.clone(), derive_code(&secret, &row.id, u32::try_from(nonce).unwrap_or(0)))))
        }
        _ => Ok(None),
    }
}

/// A parcel as `viewer` may see it, with its events: its code and QR for its holder alone, while
/// it opens a compartment.
fn package_view(
    cx: &Cx,
    row: PackageRow,
    events: Vec<EventRow>,
    viewer_id: &str,
) -> Result<PackageView, ApiError> {
    let status =
        Status::parse(&row.status).ok_or_else(|| crate::http::internal("a parcel's status", &row.status))?;
    let kind = Kind::parse(&row.kind).ok_or_else(|| crate::http::internal("a parcel's kind", &row.kind))?;
    let (code, qr) = match code_of(cx, &row, viewer_id)? {
        Some((bank_id, code)) => {
            let qr = qr_payload(&bank_id, &code);
            (Some(code), Some(qr))
        }
        None => (None, None),
    };
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    Ok(PackageView {
        kind,
        return_of: row.return_of,
        return_id: row.return_id,
        extended: row.extended_by.is_some(),
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

/// Sends a parcel to a recipient (a username, or the e-mail of their account) at a location; it
/// gets the smallest size it fits, or a 422 saying why none does.
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
        .ok_or_else(|| ApiError::invalid("recipient", "No account has that username or e-mail."))?;
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

/// The QR its code's holder shows at the bank's camera (SVG): the bank and the code. For the
/// holder alone (a delivery's recipient, a return's sender), while it opens a door; never cached.
#[utoipa::path(get, path = "/api/lockers/packages/{id}/qr", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "SVG image", content_type = "image/svg+xml"), (status = 401, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope, description = "No such parcel of yours waiting in a locker")))]
pub async fn qr(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let row = store::package(&cx.db()?, id)
        .await?
        .filter(|row| row.recipient_id == me.id || row.sender_id == me.id)
        .ok_or_else(|| ApiError::not_found("No such parcel."))?;
    let Some((bank_id, code)) = code_of(cx, &row, &me.id)? else {
        return Err(ApiError::not_found("This parcel has no code of yours: it opens no compartment now."));
    };
    let svg = svg_for(&qr_payload(&bank_id, &code), 240)
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
    if Status::parse(&row.status) != Some(Status::InLocker) || row.kind != Kind::Delivery.as_str() {
        return None;
    }
    Some(Opened {
        package_id: row.id.clone(),
        location_id: row.location_id.clone(),
        location_name: row.location_name.clone(),
        bank_id: row.bank_id.clone()?,
        bank_name: row.bank_name.clone()?,
        door: row.door.and_then(|d| u16::try_from(d).ok())?,
        size: Size::parse(&row.size)?,
        pickup_by: row.pickup_by.map(|at| Timestamp(at).to_rfc3339()),
        purpose: Purpose::Deposit,
    })
}

/// A courier at the parcel's location: the smallest free compartment that fits it, in one of
/// the location's banks (each allocates alone, so two couriers never get one door). When none
/// has room, the parcel is rerouted to the nearest location within 25 km that has (409 naming it).
/// With `{"location_id"}` (where the courier stands), a parcel headed elsewhere now is refused
/// (409), never given a door the courier is not at.
#[utoipa::path(post, path = "/api/lockers/packages/{id}/deposit", tag = "lockers", params(("id" = String, Path)),
    request_body(content = Option<DepositAt>, description = "Where the courier stands (optional)"),
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = Opened, description = "The door to put it in"),
              (status = 200, body = Opened, description = "Deposited already (a try again): its door"), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Not one of LOCKERS_COURIERS"), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Not on its way, or full here (rerouted, or nowhere near has room)"),
              (status = 503, body = ErrorEnvelope, description = "The bank is busy")))]
pub async fn deposit(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let courier = require_role(req, cx, "LOCKERS_COURIERS", "couriers").await?.user;
    let at = match crate::http::header(req, "Content-Type") {
        Some(_) => read_json::<Option<DepositAt>>(req).await?.unwrap_or_default(),
        None => DepositAt::default(),
    };
    let db = cx.db()?;
    let row = store::package(&db, id).await?.ok_or_else(|| ApiError::not_found("No such parcel."))?;
    // A deposit asked again (its answer lost) gets the same door.
    if let Some(opened) = deposited(&row) {
        return json(200, &opened);
    }
    // Rerouted meanwhile: not here, where the courier stands.
    if at.location_id.as_ref().is_some_and(|here| *here != row.location_id) {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("This parcel goes to {}, {} now: take it there.", row.location_name, row.address),
        ));
    }
    if !matches!(Status::parse(&row.status), Some(Status::Created | Status::InTransit))
        || row.kind != Kind::Delivery.as_str()
    {
        return Err(ApiError::new(ErrorCode::Conflict, "This parcel is not on its way to a locker."));
    }
    let size = Size::parse(&row.size).unwrap_or(Size::L);
    let here = location_view(cx, &row.location_id).await?;
    ensure_open(&here.hours, &time_zone(&here.timezone, "timezone")?, cx.now_ms, &here.name)?;
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
    let nearest = locations(store::banks(&db).await?, cx.now_ms)
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

/// The code's holder opening their own compartment from the app, standing at the bank (no code to
/// type): a delivery's recipient picks it up, a return's sender drops it off.
#[utoipa::path(post, path = "/api/lockers/packages/{id}/pickup", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = Opened), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Not in a locker yet, taken out already, or the location is closed"),
              (status = 410, body = ErrorEnvelope, description = "Its window ended")))]
pub async fn pickup_mine(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let row = store::package(&cx.db()?, id)
        .await?
        .filter(|row| {
            let kind = Kind::parse(&row.kind).unwrap_or(Kind::Delivery);
            code_holder(kind, &row.sender_id, &row.recipient_id) == me.id
        })
        .ok_or_else(|| ApiError::not_found("No such parcel."))?;
    let Some(bank_id) = row.bank_id.clone() else {
        return Err(ApiError::new(ErrorCode::Conflict, "This parcel is not in a locker yet."));
    };
    store::bank_place(&cx.db()?, &bank_id)
        .await?
        .ok_or_else(|| ApiError::not_found("No such bank."))?
        .ensure_open(cx.now_ms)?;
    let asked = PickupRequest {
        bank_id: bank_id.clone(),
        location_id: row.location_id.clone(),
        only_bank: None,
        code: None,
        package_id: Some(row.id),
        recipient_id: Some(me.id),
    };
    json(200, &ask_bank::<_, Opened>(&cx.env, &bank_id, "/pickup", &asked).await?)
}

/// A code typed at a bank (or read from its holder's QR): the door it opens, once — to pick a
/// parcel up, or to drop a return off. Wrong codes are counted for the bank — for all the banks of
/// its location together — not per parcel: ten in an hour and it takes none for a while (429).
#[utoipa::path(post, path = "/api/lockers/banks/{id}/pickup", tag = "lockers", params(("id" = String, Path)),
    request_body = Pickup,
    responses((status = 200, body = Opened), (status = 404, body = ErrorEnvelope, description = "No parcel here has that code"),
              (status = 409, body = ErrorEnvelope, description = "Taken out already, or the location is closed"),
              (status = 410, body = ErrorEnvelope, description = "The code expired"), (status = 422, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope, description = "Too many wrong codes at this bank; see Retry-After")))]
pub async fn pickup_at_bank(req: &mut Request, cx: &Cx, bank_id: &str) -> ApiResult {
    let code = typed_code(req).await?;
    let place =
        store::bank_place(&cx.db()?, bank_id).await?.ok_or_else(|| ApiError::not_found("No such bank."))?;
    pickup_by_code(cx, place, Some(bank_id), code).await
}

/// A code typed at a kiosk — behind one bank's doors, or any of the location's — sent to the
/// location's first bank, whose object counts the wrong ones for the whole location.
async fn pickup_by_code(
    cx: &Cx,
    place: store::BankPlace,
    only_bank: Option<&str>,
    code: String,
) -> ApiResult {
    place.ensure_open(cx.now_ms)?;
    let asked = PickupRequest {
        bank_id: place.gate.clone(),
        location_id: place.location_id,
        only_bank: only_bank.map(str::to_owned),
        code: Some(code),
        package_id: None,
        recipient_id: None,
    };
    json(200, &ask_bank::<_, Opened>(&cx.env, &place.gate, "/pickup", &asked).await?)
}

/// The six digits of `{"code"}`, or a 422.
async fn typed_code(req: &mut Request) -> Result<String, ApiError> {
    let asked = read_json::<Pickup>(req).await?;
    let code = asked.code.trim();
    if !is_code(code) {
        return Err(ApiError::invalid("code", "A code is six digits."));
    }
    Ok(code.to_owned())
}

/// A code typed at a location's kiosk, for a door in any of its banks (the answer names the bank
/// and door; a code is unique in its location). Wrong codes share the count of its banks' own
/// kiosks: ten in an hour and it takes none for a while (429).
#[utoipa::path(post, path = "/api/lockers/locations/{id}/pickup", tag = "lockers", params(("id" = String, Path)),
    request_body = Pickup,
    responses((status = 200, body = Opened), (status = 404, body = ErrorEnvelope, description = "No parcel here has that code"),
              (status = 409, body = ErrorEnvelope, description = "Taken out already, or the location is closed"),
              (status = 410, body = ErrorEnvelope, description = "The code expired"), (status = 422, body = ErrorEnvelope),
              (status = 429, body = ErrorEnvelope, description = "Too many wrong codes at this location; see Retry-After")))]
pub async fn pickup_at_location(req: &mut Request, cx: &Cx, location_id: &str) -> ApiResult {
    let code = typed_code(req).await?;
    let place = store::gate_of(&cx.db()?, location_id)
        .await?
        .ok_or_else(|| ApiError::not_found("No such location."))?;
    pickup_by_code(cx, place, None, code).await
}

/// A courier taking back a parcel whose window ended, or a return dropped off; its compartment is
/// free again.
#[utoipa::path(post, path = "/api/lockers/packages/{id}/collect", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = Opened), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Not one of LOCKERS_COURIERS"), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Its window has not ended, or the return is not dropped off")))]
pub async fn collect(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let courier = require_role(req, cx, "LOCKERS_COURIERS", "couriers").await?.user;
    let row = store::package(&cx.db()?, id).await?.ok_or_else(|| ApiError::not_found("No such parcel."))?;
    let Some(bank_id) = row.bank_id.clone() else {
        return Err(ApiError::new(ErrorCode::Conflict, "This parcel is not in a locker."));
    };
    let asked = CollectRequest { bank_id: bank_id.clone(), package_id: row.id, courier_id: courier.id };
    json(200, &ask_bank::<_, Opened>(&cx.env, &bank_id, "/collect", &asked).await?)
}

/// Returns a parcel the caller picked up (within 30 days), from a location of their choosing: the
/// smallest free compartment there that fits it is held to the end of the location's next day,
/// and the caller gets a drop-off code (in the return's view, and its QR). A courier carries it
/// back to the parcel's sender once dropped off.
#[utoipa::path(post, path = "/api/lockers/returns", tag = "lockers", request_body = NewReturn,
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = PackageView, description = "The return, with its drop-off code"),
              (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope, description = "No parcel of yours"),
              (status = 409, body = ErrorEnvelope, description = "Not picked up, too long ago, on its way back already, or no room there"),
              (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn create_return(req: &mut Request, cx: &Cx) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let asked = read_json::<NewReturn>(req).await?;
    let db = cx.db()?;
    let first = store::package(&db, &asked.package_id)
        .await?
        .filter(|row| row.recipient_id == me.id && row.kind == Kind::Delivery.as_str())
        .ok_or_else(|| ApiError::not_found("No such parcel of yours."))?;
    if first.status != Status::PickedUp.as_str() {
        return Err(ApiError::new(ErrorCode::Conflict, "Only a parcel you picked up is sent back."));
    }
    let picked_up = store::picked_up_at(&db, &first.id).await?.unwrap_or(first.created_at);
    if cx.now_ms - picked_up > RETURN_DAYS * 86_400_000 {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "This parcel was picked up more than {RETURN_DAYS} days ago: it can no longer be sent back."
            ),
        ));
    }
    if store::return_of(&db, &first.id).await?.is_some() {
        return Err(ApiError::new(ErrorCode::Conflict, "This parcel is on its way back already."));
    }
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    let measured = Parcel {
        length_mm: count(first.length_mm),
        width_mm: count(first.width_mm),
        height_mm: count(first.height_mm),
        weight_g: count(first.weight_g),
    };
    let (parcel, size) = asked.check(measured)?;
    let banks = store::banks_of(&db, &asked.location_id).await?;
    let Some(place) = banks.first() else {
        return Err(ApiError::invalid("location_id", "No such location."));
    };
    let place_name = place.name.clone();
    rate_limit::hit(&db, &format!("lockers-packages:user:{}", me.id), NEW_PACKAGES, cx.now_ms).await?;
    let id = TimeId::new(cx.now_ms, random::<10>()?).to_string();
    for bank in &banks {
        let asked = ReserveRequest {
            bank_id: bank.bank_id.clone(),
            id: id.clone(),
            return_of: first.id.clone(),
            sender_id: me.id.clone(),
            recipient_id: first.sender_id.clone(),
            size,
            parcel,
            reference: first.reference.clone(),
        };
        let reply: DepositReply = ask_bank(&cx.env, &bank.bank_id, "/reserve", &asked).await?;
        if reply.opened.is_some() {
            return json(201, &one_view(cx, &id, &me.id).await?);
        }
    }
    Err(ApiError::new(
        ErrorCode::Conflict,
        format!(
            "No compartment at {place_name} takes a size {} parcel now: choose another location.",
            size.as_str()
        ),
    ))
}

/// Buys the one extension of a parcel's pickup window (its recipient, while it waits): two more
/// local days for ₹49, paid at Pay's checkout. The window moves in the transaction in which Pay
/// captures the payment; asked again before it is paid, the same order comes back (200).
#[utoipa::path(post, path = "/api/lockers/packages/{id}/extension", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = ExtensionView, description = "The order to pay"),
              (status = 200, body = ExtensionView, description = "The order made before, still to pay"),
              (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Not waiting in a locker, or extended already"),
              (status = 410, body = ErrorEnvelope, description = "Its window ended"), (status = 429, body = ErrorEnvelope)))]
pub async fn extend(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let db = cx.db()?;
    let row = store::package(&db, id)
        .await?
        .filter(|row| row.recipient_id == me.id && row.kind == Kind::Delivery.as_str())
        .ok_or_else(|| ApiError::not_found("No such parcel."))?;
    match (Status::parse(&row.status), row.pickup_by) {
        (Some(Status::Expired), _) => {
            return Err(ApiError::new(
                ErrorCode::Gone,
                "Its window has ended: the parcel goes back to its sender.",
            ))
        }
        (Some(Status::InLocker), Some(deadline)) if deadline > cx.now_ms => {}
        (Some(Status::InLocker), _) => return Err(ApiError::new(ErrorCode::Gone, "Its window has ended.")),
        _ => {
            return Err(ApiError::new(ErrorCode::Conflict, "Only a parcel waiting in a locker is extended."))
        }
    }
    if row.extended_by.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This parcel's window was extended already: once at most.",
        ));
    }
    let before = row.pickup_by.unwrap_or(cx.now_ms);
    let origin = orders::origin_of(req)?;
    let view = |order_id: &str, amount: i64, after: i64| ExtensionView {
        checkout_url: orders::hosted_checkout_url(&origin, order_id, "/lockers"),
        order_id: order_id.to_owned(),
        amount,
        currency: "INR".to_owned(),
        pickup_by: Timestamp(after).to_rfc3339(),
    };
    if let Some((order_id, amount, after)) =
        store::pending_extension(&db, id, cx.now_ms - DEFAULT_CAPTURE_WINDOW_MINUTES * 60_000).await?
    {
        return json(200, &view(&order_id, amount, after));
    }
    let after = match super::bank::test_window_ms(&cx.env) {
        Some(window) => before + window,
        None => extended_deadline(before, &time_zone(&row.timezone, "timezone")?)
            .ok_or_else(|| crate::http::internal("an extended deadline", &row.timezone))?,
    };
    rate_limit::hit(&db, &format!("lockers-extensions:user:{}", me.id), NEW_EXTENSIONS, cx.now_ms).await?;
    let merchant = merchant_of_user(cx, LOCKERS_MERCHANT_ID.to_owned()).await?;
    if merchant.key_id.is_empty() {
        return Err(crate::http::internal("an extension", "Lockers has no Pay key (migration 0037)"));
    }
    let mut notes = Map::new();
    notes.insert("lockers_package_id".into(), json_value!(row.id));
    notes.insert("purpose".into(), json_value!("locker pickup window extension"));
    let order = NewOrder {
        amount: EXTENSION_PRICE_PAISE,
        currency: currency("INR")?,
        receipt: Some(format!("lockers-{}", row.id)),
        notes,
        auto_capture: true,
        capture_window_minutes: DEFAULT_CAPTURE_WINDOW_MINUTES,
        partial_payment: false,
    };
    let order = orders::create(cx, &merchant, &order).await?;
    let extension = store::NewExtension {
        order_id: &order.id,
        package_id: &row.id,
        user_id: &me.id,
        amount: order.amount,
        pickup_by_before: before,
        pickup_by_after: after,
        now_ms: cx.now_ms,
    };
    store::insert_extension(&db, &extension).await?;
    json(201, &view(&order.id, order.amount, after))
}

/// A location as its admins see it: every compartment with what is behind it, and how many were
/// taken each hour of the last week, up to now (admins: `LOCKERS_ADMINS`).
#[utoipa::path(get, path = "/api/lockers/locations/{id}/admin", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = LocationAdminView), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Not one of LOCKERS_ADMINS"), (status = 404, body = ErrorEnvelope)))]
pub async fn location_admin(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    require_role(req, cx, "LOCKERS_ADMINS", "the lockers' admins").await?;
    let location = location_view(cx, id).await?;
    let db = cx.db()?;
    let doors: Vec<DoorView> = store::doors_of_location(&db, id)
        .await?
        .into_iter()
        .map(|row| DoorView {
            bank_id: row.bank_id,
            door: u16::try_from(row.door).unwrap_or(0),
            size: Size::parse(&row.size).unwrap_or(Size::S),
            in_service: row.in_service != 0,
            holds: row.package_id.and(row.status.as_deref().and_then(Status::parse)),
        })
        .collect();
    let step_ms = 86_400_000 / SAMPLES_PER_DAY;
    let samples = usize::try_from(OCCUPANCY_DAYS * SAMPLES_PER_DAY).unwrap_or(0) + 1;
    // Hourly samples, the last one now.
    let from = cx.now_ms - step_ms * (OCCUPANCY_DAYS * SAMPLES_PER_DAY);
    let held = store::occupancy(&db, id, from).await?;
    let capacity = u32::try_from(doors.iter().filter(|d| d.in_service).count()).unwrap_or(0);
    let occupancy = Occupancy {
        from: Timestamp(from).to_rfc3339(),
        step_minutes: u32::try_from(step_ms / 60_000).unwrap_or(60),
        taken: occupancy(&held, from, step_ms, samples),
        capacity,
    };
    json(200, &LocationAdminView { location, doors, occupancy })
}

/// A courier takes a parcel from its sender: on its way (`in_transit`); its sender can no longer
/// call it off. Asked again, the same answer.
#[utoipa::path(post, path = "/api/lockers/packages/{id}/transit", tag = "lockers", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = PackageView), (status = 401, body = ErrorEnvelope),
              (status = 403, body = ErrorEnvelope, description = "Not one of LOCKERS_COURIERS"), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope, description = "Called off, or past that already")))]
pub async fn take_in_transit(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let courier = require_role(req, cx, "LOCKERS_COURIERS", "couriers").await?.user;
    let db = cx.db()?;
    let row = store::package(&db, id).await?.ok_or_else(|| ApiError::not_found("No such parcel."))?;
    match Status::parse(&row.status) {
        Some(Status::InTransit) => {}
        Some(Status::Created) if row.kind == Kind::Delivery.as_str() => {
            if !store::in_transit(&db, id, &courier.id, cx.now_ms).await? {
                let now = store::package(&db, id).await?.map(|r| r.status).unwrap_or_default();
                if now != Status::InTransit.as_str() {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "This parcel is not waiting for a courier.",
                    ));
                }
            }
        }
        _ => return Err(ApiError::new(ErrorCode::Conflict, "This parcel is not waiting for a courier.")),
    }
    json(200, &one_view(cx, id, &courier.id).await?)
}
