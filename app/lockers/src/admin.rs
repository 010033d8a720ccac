//! `/lockers/admin`: a location's banks as their admins see them — every compartment (free,
//! holding a parcel, or out of service, which a click toggles) and how many were taken each hour
//! of the last week, as a chart against the compartments in service.

use crate::api;
use app_ui::components::{on_answer, Load};
use leptos::prelude::*;
use shared::{
    lockers::admin::{DoorView, LocationAdminView, Occupancy},
    ApiError,
};

#[component]
pub fn AdminPage() -> impl IntoView {
    let locations = LocalResource::new(api::locations);
    let chosen = RwSignal::new(None::<String>);
    let admin = LocalResource::new(move || {
        let id = chosen.get();
        async move {
            match id {
                Some(id) => api::location_admin(&id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    // The first location is shown until another is chosen.
    Effect::new(move |_| {
        if chosen.get_untracked().is_none() {
            if let Some(Ok(list)) = locations.get() {
                chosen.set(list.first().map(|l| l.id.clone()));
            }
        }
    });
    let failed = Callback::new(|(err, _): (ApiError, Callback<()>)| {
        view! { <p class="form-error" role="alert" data-testid="admin-error">{err.message}</p> }.into_any()
    });
    view! {
        <div class="stack wide lockers">
            <p><a href="/lockers">"← Lockers"</a></p>
            <h1>"Lockers admin"</h1>
            <div class="field">
                <label for="admin-location">"Location"</label>
                <select id="admin-location" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                    {move || locations.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|l| {
                        let id = l.id.clone();
                        view! { <option value=l.id.clone() selected=move || chosen.get().as_deref() == Some(id.as_str())>{l.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Load loading="Loading the location…" retry=Callback::new(move |_| admin.refetch()) failed>
                {move || admin.get().map(|got| got.map(|view| view.map(|view| view! {
                    <Location view refresh=Callback::new(move |_| admin.refetch()) />
                })))}
            </Load>
        </div>
    }
}

#[component]
fn Location(view: LocationAdminView, refresh: Callback<()>) -> impl IntoView {
    let LocationAdminView { location, doors, occupancy } = view;
    view! {
        <section class="panel" aria-labelledby="occupancy-title">
            <h2 id="occupancy-title">"Occupancy, last 7 days"</h2>
            <OccupancyChart occupancy />
        </section>
        {location.banks.into_iter().map(|bank| {
            let mine: Vec<DoorView> = doors.iter().filter(|d| d.bank_id == bank.id).cloned().collect();
            let taken = mine.iter().filter(|d| d.holds.is_some()).count();
            view! {
                <section class="panel" data-testid=format!("bank-{}", bank.id)>
                    <h2>{format!("Bank {} · {taken} of {} taken", bank.name, bank.compartments)}</h2>
                    <p class="muted">"Click a door to take it out of service, or to put it back."</p>
                    <div class="doors">
                        {mine.into_iter().map(|door| view! { <Door door refresh /> }).collect_view()}
                    </div>
                </section>
            }
        }).collect_view()}
    }
}

#[component]
fn Door(door: DoorView, refresh: Callback<()>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let toggle = Action::new_unsync({
        let (bank, number, in_service) = (door.bank_id.clone(), door.door, door.in_service);
        move |_: &()| {
            let bank = bank.clone();
            async move { api::set_door(&bank, number, !in_service).await }
        }
    });
    on_answer(toggle, move |_| refresh.run(()), move |err: ApiError| error.set(Some(err.message)));
    let state = match (&door.holds, door.in_service) {
        (_, false) => "out",
        (Some(_), true) => "taken",
        (None, true) => "free",
    };
    let title = format!(
        "Door {} · size {} · {}{}",
        door.door,
        door.size.as_str(),
        if door.in_service { "in service" } else { "out of service" },
        door.holds.map(|s| format!(" · {}", s.as_str().replace('_', " "))).unwrap_or_default()
    );
    view! {
        <button type="button" class=format!("door {state} size-{}", door.size.as_str()) title=title.clone()
            aria-label=title data-testid=format!("door-{}", door.door)
            disabled=move || toggle.pending().get() on:click=move |_| { toggle.dispatch(()); }>
            <span>{door.door}</span><small>{door.size.as_str()}</small>
        </button>
        {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
    }
}

/// Compartments taken over time as an area, with the compartments in service as a line above.
#[component]
pub fn OccupancyChart(occupancy: Occupancy) -> impl IntoView {
    const W: f64 = 640.0;
    const H: f64 = 200.0;
    const LEFT: f64 = 36.0;
    const BOTTOM: f64 = 22.0;
    let top = f64::from(occupancy.taken.iter().copied().max().unwrap_or(0).max(occupancy.capacity).max(1));
    let n = occupancy.taken.len().max(2) - 1;
    let x = move |i: usize| LEFT + (W - LEFT - 8.0) * i as f64 / n as f64;
    let y = move |v: f64| 8.0 + (H - BOTTOM - 8.0) * (1.0 - v / top);
    let mut area = format!("M{:.1},{:.1}", x(0), y(0.0));
    for (i, taken) in occupancy.taken.iter().enumerate() {
        area.push_str(&format!(" L{:.1},{:.1}", x(i), y(f64::from(*taken))));
    }
    area.push_str(&format!(" L{:.1},{:.1} Z", x(occupancy.taken.len().saturating_sub(1)), y(0.0)));
    let now = occupancy.taken.last().copied().unwrap_or(0);
    let peak = occupancy.taken.iter().copied().max().unwrap_or(0);
    let capacity_y = format!("{:.1}", y(f64::from(occupancy.capacity)));
    let per_day = (24 * 60 / occupancy.step_minutes.max(1)) as usize;
    view! {
        <svg class="occupancy" viewBox=format!("0 0 {W} {H}") role="img" data-testid="occupancy"
            aria-label=format!("Compartments taken over the last 7 days: {now} now, at most {peak}, of {} in service", occupancy.capacity)>
            <line class="capacity" x1=LEFT.to_string() x2=(W - 8.0).to_string() y1=capacity_y.clone() y2=capacity_y.clone() />
            <text x="2" y=capacity_y class="axis">{occupancy.capacity}</text>
            <text x="2" y=format!("{:.1}", y(0.0)) class="axis">"0"</text>
            {(0..=7).map(|d| {
                let at = format!("{:.1}", x((d * per_day).min(n)));
                let label = if d == 7 { "now".to_owned() } else { format!("−{}d", 7 - d) };
                view! { <text x=at y=(H - 4.0).to_string() class="axis" text-anchor="middle">{label}</text> }
            }).collect_view()}
            <path class="taken" d=area />
        </svg>
        <p class="muted" data-testid="occupancy-figures">{format!("{now} taken now · at most {peak} in the week · {} in service", occupancy.capacity)}</p>
    }
}
