//! `/lockers`: the parcels sent to you (waiting ones first, with the code, its QR and the time
//! left, a button that opens the compartment from your phone, and one that buys two more days;
//! picked-up ones can be sent back), the ones you sent and your returns (with their drop-off
//! codes), sending a parcel, and the lockers on a map with their free compartments and hours.

use crate::api;
use app_ui::{
    components::{on_answer, FormError, FormErrors, Load, PageHead, StatusBadge},
    format::date_time,
    session::use_session,
};
use leptos::prelude::*;
use shared::lockers::{
    location::LocationView,
    package::{ExtensionView, Kind, NewPackage, Opened, PackageView, Purpose, Status},
};

#[component]
pub fn LockersPage() -> impl IntoView {
    let session = use_session();
    let locations = LocalResource::new(api::locations);
    view! {
        <div class="stack wide lockers">
            <PageHead path="/lockers" />
            <Show
                when=move || session.user.get().is_some()
                fallback=move || session.checked.get().then(|| view! {
                    <p class="panel muted" data-testid="lockers-signed-out">
                        <a href="/signin?next=/lockers" rel="external">"Sign in"</a>
                        " to see the parcels sent to you, with their codes, and to send one."
                    </p>
                })
            >
                <Parcels locations />
            </Show>
            <section class="panel" aria-labelledby="locations-title">
                <h2 id="locations-title">"Lockers"</h2>
                <Load loading="Loading the lockers…" retry=Callback::new(move |_| locations.refetch())>
                    {move || locations.get().map(|list| list.map(|list| view! {
                        <crate::map::LockerMap list=list.clone() />
                        <Locations list />
                    }))}
                </Load>
            </section>
        </div>
    }
}

/// Time left until `deadline` (RFC 3339) as people say it: "2 days 5 h left", "40 min left".
fn time_left(deadline: &str) -> String {
    let ms = js_sys::Date::parse(deadline) - js_sys::Date::now();
    if ms.is_nan() || ms <= 0.0 {
        return "time is up".to_owned();
    }
    let minutes = (ms / 60_000.0).ceil() as i64;
    let (days, hours, mins) = (minutes / 1_440, minutes % 1_440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min left"),
        (0, h) => format!("{h} h {mins} min left"),
        (1, h) => format!("1 day {h} h left"),
        (d, h) => format!("{d} days {h} h left"),
    }
}

fn when(at: &str) -> String {
    date_time(js_sys::Date::parse(at) as i64)
}

#[component]
fn Parcels(locations: LocalResource<Result<Vec<LocationView>, shared::ApiError>>) -> impl IntoView {
    let received = LocalResource::new(|| api::packages(false));
    // Said above the list, which is read again once a door opens.
    let opened = RwSignal::new(None::<String>);
    let sent = LocalResource::new(|| api::packages(true));
    let refresh = Callback::new(move |_| {
        received.refetch();
        sent.refetch();
        locations.refetch();
    });
    view! {
        <section class="panel" aria-labelledby="received-title">
            <h2 id="received-title">"Parcels for you"</h2>
            {move || opened.get().map(|m| view! { <p class="opened" role="status" data-testid="opened">{m}</p> })}
            <Load loading="Loading your parcels…" retry=Callback::new(move |_| received.refetch())>
                {move || received.get().map(|list| list.map(|list| {
                    if list.is_empty() {
                        return view! { <p class="muted">"Nothing on its way to you."</p> }.into_any();
                    }
                    view! {
                        <ul class="parcel-list" data-testid="received">
                            {list.into_iter().map(|p| view! { <Received parcel=p opened refresh locations /> }).collect_view()}
                        </ul>
                    }.into_any()
                }))}
            </Load>
        </section>
        <section class="panel" aria-labelledby="send-title">
            <h2 id="send-title">"Send a parcel"</h2>
            <SendForm locations refresh />
        </section>
        <section class="panel" aria-labelledby="sent-title">
            <h2 id="sent-title">"Sent by you"</h2>
            <Load loading="Loading…" retry=Callback::new(move |_| sent.refetch())>
                {move || sent.get().map(|list| list.map(|list| {
                    if list.is_empty() {
                        return view! { <p class="muted">"You have sent nothing yet."</p> }.into_any();
                    }
                    view! {
                        <ul class="parcel-list" data-testid="sent">
                            {list.into_iter().map(|p| view! { <Sent parcel=p opened refresh /> }).collect_view()}
                        </ul>
                    }.into_any()
                }))}
            </Load>
        </section>
    }
}

/// Opening a compartment of yours from the app: what the page says once it opens.
fn open_action(
    id: String,
    location: String,
    opened: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
    refresh: Callback<()>,
) -> Action<(), Result<Opened, shared::ApiError>> {
    let open = Action::new_unsync(move |_: &()| {
        let id = id.clone();
        async move { api::open_mine(&id).await }
    });
    on_answer(
        open,
        move |door: Opened| {
            let what = match door.purpose {
                Purpose::DropOff => "put your return in",
                _ => "take your parcel",
            };
            opened.set(Some(format!(
                "Door {} of bank {} at {location} is open: {what} and close it.",
                door.door, door.bank_name
            )));
            refresh.run(());
        },
        move |err| error.set(Some(err.message)),
    );
    open
}

/// The code of a compartment you open, its QR, the time left and the button that opens it.
#[component]
fn CodeBox(
    parcel: PackageView,
    open: Action<(), Result<Opened, shared::ApiError>>,
    verb: &'static str,
) -> impl IntoView {
    let deadline = parcel.pickup_by.clone().unwrap_or_default();
    view! {
        <div class="pickup">
            <div>
                <p class="code" data-testid="code" aria-label=format!("{verb} code")>{parcel.code.clone().unwrap_or_default()}</p>
                <p>{format!("{verb} by {} · {}", when(&deadline), time_left(&deadline))}</p>
                <button type="button" class="button primary" disabled=move || open.pending().get()
                    on:click=move |_| { open.dispatch(()); }>"Open my compartment"</button>
            </div>
            <img class="qr" src=api::qr_url(&parcel.id) alt="QR code to show at the locker" width="160" height="160" />
        </div>
    }
}

/// A parcel sent to you: where it is; while it waits the code, its QR, the time left and two more
/// days to buy; once picked up, a way to send it back.
#[component]
fn Received(
    parcel: PackageView,
    opened: RwSignal<Option<String>>,
    refresh: Callback<()>,
    locations: LocalResource<Result<Vec<LocationView>, shared::ApiError>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let open = open_action(parcel.id.clone(), parcel.location_name.clone(), opened, error, refresh);
    let extend = Action::new_unsync({
        let id = parcel.id.clone();
        move |_: &()| {
            let id = id.clone();
            async move { api::extend(&id).await }
        }
    });
    on_answer(
        extend,
        // Paid at Pay's checkout, which comes back here.
        move |order: ExtensionView| {
            let _ = window().location().assign(&order.checkout_url);
        },
        move |err| error.set(Some(err.message)),
    );
    let waiting = parcel.status == Status::InLocker;
    let from = match &parcel.reference {
        Some(reference) => format!("From {} · {reference}", parcel.sender),
        None => format!("From {}", parcel.sender),
    };
    let place = match (&parcel.bank_name, parcel.door) {
        (Some(bank), Some(door)) if waiting => {
            format!("{}, {} · bank {bank}, door {door}", parcel.location_name, parcel.address)
        }
        _ => format!("{}, {}", parcel.location_name, parcel.address),
    };
    let extended = parcel.extended;
    let picked_up = parcel.status == Status::PickedUp && parcel.return_id.is_none();
    let going_back = parcel.return_id.is_some();
    let id = parcel.id.clone();
    view! {
        <li class="parcel" data-testid=format!("parcel-{}", parcel.id)>
            <div class="row spread">
                <strong>{from}</strong>
                <StatusBadge status=parcel.status.as_str() />
            </div>
            <p class="muted">{place}</p>
            {waiting.then(|| view! {
                <CodeBox parcel=parcel.clone() open verb="Pick up" />
                {if extended {
                    view! { <p class="muted">"Extended by two days."</p> }.into_any()
                } else {
                    view! {
                        <button type="button" class="button" data-testid="extend" disabled=move || extend.pending().get()
                            on:click=move |_| { extend.dispatch(()); }>"Two more days · ₹49"</button>
                    }.into_any()
                }}
            })}
            {picked_up.then(|| view! { <SendBack id=id.clone() locations opened refresh /> })}
            {going_back.then(|| view! { <p class="muted">"On its way back: see \"Sent by you\"."</p> })}
            {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </li>
    }
}

/// Sending back a parcel you picked up: choose a locker, get a drop-off code (said above the
/// lists, which are read again).
#[component]
fn SendBack(
    id: String,
    locations: LocalResource<Result<Vec<LocationView>, shared::ApiError>>,
    opened: RwSignal<Option<String>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let send_back = Action::new_unsync(move |location: &String| {
        let (id, location) = (id.clone(), location.clone());
        async move { api::send_back(&id, &location).await }
    });
    on_answer(
        send_back,
        move |ret: PackageView| {
            opened.set(Some(format!(
                "A compartment at {} is held for your return: its code is under \"Sent by you\".",
                ret.location_name
            )));
            refresh.run(());
        },
        move |err| error.set(Some(err.message)),
    );
    view! {
        <details class="send-back">
            <summary>"Send it back"</summary>
            <form class="row" on:submit=move |ev| {
                ev.prevent_default();
                error.set(None);
                send_back.dispatch(chosen.get_untracked());
            }>
                <label for="return-location" class="visually-hidden">"Locker to drop it off at"</label>
                <select id="return-location" data-testid="return-location" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="">"Choose a locker"</option>
                    {move || locations.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|l| view! {
                        <option value=l.id.clone()>{format!("{} ({})", l.name, l.hours_text)}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button" disabled=move || send_back.pending().get()>"Get a drop-off code"</button>
            </form>
            {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </details>
    }
}

/// A parcel you sent, or a return you are making (with its drop-off code while its compartment
/// is held).
#[component]
fn Sent(parcel: PackageView, opened: RwSignal<Option<String>>, refresh: Callback<()>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let open = open_action(parcel.id.clone(), parcel.location_name.clone(), opened, error, refresh);
    let last =
        parcel.events.last().map(|e| format!("{} · {}", when(&e.at), e.detail.clone().unwrap_or_default()));
    let to = if parcel.kind == Kind::Return { "Return to" } else { "To" };
    let held = parcel.kind == Kind::Return && parcel.status == Status::Reserved;
    let place = match (&parcel.bank_name, parcel.door) {
        (Some(bank), Some(door)) if held => {
            format!("{}, {} · bank {bank}, door {door}", parcel.location_name, parcel.address)
        }
        _ => {
            format!("{} · size {} · {}", parcel.location_name, parcel.size.as_str(), last.unwrap_or_default())
        }
    };
    view! {
        <li class="parcel" data-testid=format!("sent-{}", parcel.id)>
            <div class="row spread">
                <strong>{format!("{to} {}{}", parcel.recipient, parcel.reference.as_ref().map(|r| format!(" · {r}")).unwrap_or_default())}</strong>
                <StatusBadge status=parcel.status.as_str() />
            </div>
            <p class="muted">{place}</p>
            {held.then(|| view! { <CodeBox parcel=parcel.clone() open verb="Drop off" /> })}
            {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </li>
    }
}

const FIELDS: [&str; 7] =
    ["recipient", "location_id", "length_mm", "width_mm", "height_mm", "weight_g", "reference"];

#[component]
fn SendForm(
    locations: LocalResource<Result<Vec<LocationView>, shared::ApiError>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let errors = FormErrors::new(&FIELDS);
    let values: [RwSignal<String>; 7] =
        ["", "", "300", "200", "100", "1000", ""].map(|v| RwSignal::new(v.to_owned()));
    let value = move |name: &str| values[FIELDS.iter().position(|f| *f == name).unwrap_or(0)];
    let sent = RwSignal::new(None::<String>);
    let send = Action::new_unsync(|parcel: &NewPackage| {
        let parcel = parcel.clone();
        async move { api::send(&parcel).await }
    });
    on_answer(
        send,
        move |made: PackageView| {
            sent.set(Some(format!("Sent: size {}, to {}.", made.size.as_str(), made.location_name)));
            refresh.run(());
        },
        move |err| errors.show(err),
    );
    let number = move |name: &str| value(name).get_untracked().trim().parse::<u32>().unwrap_or(0);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        sent.set(None);
        let reference = value("reference").get_untracked();
        send.dispatch(NewPackage {
            recipient: value("recipient").get_untracked(),
            location_id: value("location_id").get_untracked(),
            length_mm: number("length_mm"),
            width_mm: number("width_mm"),
            height_mm: number("height_mm"),
            weight_g: number("weight_g"),
            reference: Some(reference).filter(|r| !r.trim().is_empty()),
        });
    };
    let input = move |name: &'static str, label: &'static str| {
        let v = value(name);
        view! {
            <div class="field">
                <label for=name>{label}</label>
                <input id=name name=name prop:value=move || v.get() on:input=move |ev| v.set(event_target_value(&ev)) />
                {move || errors.field(name).get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            </div>
        }
    };
    let location = value("location_id");
    view! {
        <form class="stack" on:submit=submit novalidate data-testid="send">
            <FormError errors />
            <div class="field-row">
                {input("recipient", "Recipient's username or e-mail")}
                <div class="field">
                    <label for="location_id">"Locker"</label>
                    <select id="location_id" on:change=move |ev| location.set(event_target_value(&ev))>
                        <option value="">"Choose a locker"</option>
                        {move || locations.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|l| view! {
                            <option value=l.id.clone()>{format!("{} ({})", l.name, l.address)}</option>
                        }).collect_view()}
                    </select>
                    {move || errors.field("location_id").get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
            </div>
            <div class="field-row">
                {input("length_mm", "Length (mm)")}{input("width_mm", "Width (mm)")}{input("height_mm", "Height (mm)")}{input("weight_g", "Weight (g)")}
            </div>
            {input("reference", "Your reference (optional)")}
            <button type="submit" class="button primary" disabled=move || send.pending().get()>"Send"</button>
            {move || sent.get().map(|m| view! { <p role="status" data-testid="sent-note">{m}</p> })}
        </form>
    }
}

#[component]
fn Locations(list: Vec<LocationView>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No lockers yet."</p> }.into_any();
    }
    view! {
        <table class="tables" data-testid="locations">
            <thead><tr>
                <th scope="col">"Locker"</th><th scope="col" class="num">"S"</th><th scope="col" class="num">"M"</th>
                <th scope="col" class="num">"L"</th><th scope="col">"Kiosk"</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|l| view! {
                    <tr>
                        <td>
                            <strong>{l.name.clone()}</strong>
                            {(!l.open_now).then(|| view! { <span class="badge">"Closed now"</span> })}
                            <br /><span class="muted">{format!("{} · {}", l.address, l.hours_text)}</span>
                        </td>
                        <td class="num">{l.free.small}</td>
                        <td class="num">{l.free.medium}</td>
                        <td class="num">{l.free.large}</td>
                        <td>{l.banks.into_iter().map(|b| view! {
                            <a href=format!("/lockers/kiosk/{}", b.id)>{b.name}</a>" "
                        }).collect_view()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
