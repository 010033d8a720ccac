//! `/lockers/courier`: a courier's round. The parcels on their way to a locker, each with a button
//! that asks its location's banks for a door (and says where to take it instead when the location
//! is full), and the expired ones and dropped-off returns to carry back, each with the door to open.

use crate::api;
use app_ui::components::{on_answer, Load, StatusBadge};
use leptos::prelude::*;
use shared::{
    lockers::package::{Opened, PackageView, Status},
    ApiError, ErrorCode,
};

#[component]
pub fn CourierPage() -> impl IntoView {
    let work = LocalResource::new(api::courier_work);
    let forbidden = Callback::new(|(err, _): (ApiError, Callback<()>)| {
        view! { <p class="form-error" role="alert" data-testid="courier-error">{err.message}</p> }.into_any()
    });
    view! {
        <div class="stack wide lockers">
            <p><a href="/lockers">"← Lockers"</a></p>
            <h1>"Courier"</h1>
            <Load loading="Loading the round…" retry=Callback::new(move |_| work.refetch()) failed=forbidden>
                {move || work.get().map(|list| list.map(|list| {
                    let (expired, deliver): (Vec<_>, Vec<_>) = list.into_iter().partition(|p| matches!(p.status, Status::Expired | Status::DroppedOff));
                    view! {
                        <section class="panel" aria-labelledby="deliver-title">
                            <h2 id="deliver-title">"To deposit"</h2>
                            {if deliver.is_empty() { view! { <p class="muted">"Nothing to deliver."</p> }.into_any() } else { view! {
                                <ul class="parcel-list" data-testid="to-deposit">
                                    {deliver.into_iter().map(|p| view! { <Job parcel=p collect=false /> }).collect_view()}
                                </ul>
                            }.into_any() }}
                        </section>
                        <section class="panel" aria-labelledby="collect-title">
                            <h2 id="collect-title">"To carry back"</h2>
                            {if expired.is_empty() { view! { <p class="muted">"Nothing to carry back."</p> }.into_any() } else { view! {
                                <ul class="parcel-list" data-testid="to-collect">
                                    {expired.into_iter().map(|p| view! { <Job parcel=p collect=true /> }).collect_view()}
                                </ul>
                            }.into_any() }}
                        </section>
                    }
                }))}
            </Load>
        </div>
    }
}

/// One parcel of the round: take it from its sender, deposit it (or carry it back), then the
/// door to open, named with its bank (a location may have several, each with a door 1).
#[component]
fn Job(parcel: PackageView, collect: bool) -> impl IntoView {
    let door = RwSignal::new(None::<Opened>);
    let refused = RwSignal::new(None::<String>);
    let status = RwSignal::new(parcel.status);
    // Where the parcel goes: changed by a reroute, which the job then shows (and deposits there).
    let location =
        RwSignal::new((parcel.location_id.clone(), format!("{}, {}", parcel.location_name, parcel.address)));
    let act = Action::new_unsync({
        let id = parcel.id.clone();
        move |_: &()| {
            let (id, location) = (id.clone(), location.get_untracked().0);
            async move {
                if collect {
                    api::collect(&id).await
                } else {
                    api::deposit(&id, &location).await
                }
            }
        }
    });
    let id = parcel.id.clone();
    on_answer(
        act,
        move |opened: Opened| door.set(Some(opened)),
        move |err: ApiError| {
            refused.set(Some(err.message));
            // Rerouted, perhaps: read where it goes now.
            if err.code == ErrorCode::Conflict && !collect {
                let id = id.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(now) = api::package(&id).await {
                        location.set((now.location_id, format!("{}, {}", now.location_name, now.address)));
                    }
                });
            }
        },
    );
    let take = Action::new_unsync({
        let id = parcel.id.clone();
        move |_: &()| {
            let id = id.clone();
            async move { api::take(&id).await }
        }
    });
    on_answer(
        take,
        move |now: PackageView| status.set(now.status),
        move |err: ApiError| refused.set(Some(err.message)),
    );
    let label = if collect { "Collect" } else { "Deposit" };
    view! {
        <li class="parcel" data-testid=format!("job-{}", parcel.id)>
            <div class="row spread">
                <strong>{format!("{} → {}", parcel.sender, parcel.recipient)}</strong>
                {move || view! { <StatusBadge status=status.get().as_str() /> }}
            </div>
            <p class="muted">{move || format!("Size {} · {}", parcel.size.as_str(), location.get().1)}</p>
            {move || match door.get() {
                Some(o) => view! {
                    <p class="opened" role="status" data-testid="door">{
                        let place = format!("Door {} of bank {} at {}", o.door, o.bank_name, o.location_name);
                        if collect { format!("{place} is open: take the parcel out.") }
                        else { format!("{place} is open: put the parcel in and close it.") }
                    }</p>
                }.into_any(),
                None => view! {
                    <div class="row">
                        {move || (!collect && status.get() == Status::Created).then(|| view! {
                            <button type="button" class="button" disabled=move || take.pending().get()
                                on:click=move |_| { refused.set(None); take.dispatch(()); }>"Taken from the sender"</button>
                        })}
                        <button type="button" class="button primary" disabled=move || act.pending().get()
                            on:click=move |_| { refused.set(None); act.dispatch(()); }>{label}</button>
                    </div>
                }.into_any(),
            }}
            {move || refused.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </li>
    }
}
