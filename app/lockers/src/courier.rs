//! `/lockers/courier`: a courier's round. The parcels on their way to a locker, each with a button
//! that asks its location's banks for a door (and says where to take it instead when the location
//! is full), and the expired ones and dropped-off returns to carry back, each with the door to open.

use crate::api;
use app_ui::components::{on_answer, Load, StatusBadge};
use leptos::prelude::*;
use shared::{
    lockers::package::{Opened, PackageView, Status},
    ApiError,
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

/// One parcel of the round: deposit it (or carry it back), then the door to open.
#[component]
fn Job(parcel: PackageView, collect: bool) -> impl IntoView {
    let door = RwSignal::new(None::<Opened>);
    let refused = RwSignal::new(None::<String>);
    let act = Action::new_unsync({
        let id = parcel.id.clone();
        move |_: &()| {
            let id = id.clone();
            async move {
                if collect {
                    api::collect(&id).await
                } else {
                    api::deposit(&id).await
                }
            }
        }
    });
    on_answer(
        act,
        move |opened: Opened| door.set(Some(opened)),
        move |err: ApiError| refused.set(Some(err.message)),
    );
    let label = if collect { "Collect" } else { "Deposit" };
    view! {
        <li class="parcel" data-testid=format!("job-{}", parcel.id)>
            <div class="row spread">
                <strong>{format!("{} → {}", parcel.sender, parcel.recipient)}</strong>
                <StatusBadge status=parcel.status.as_str() />
            </div>
            <p class="muted">{format!("Size {} · {}, {}", parcel.size.as_str(), parcel.location_name, parcel.address)}</p>
            {move || match door.get() {
                Some(o) => view! {
                    <p class="opened" role="status" data-testid="door">{
                        if collect { format!("Door {} is open: take the parcel out.", o.door) }
                        else { format!("Door {} is open: put the parcel in and close it.", o.door) }
                    }</p>
                }.into_any(),
                None => view! {
                    <button type="button" class="button primary" disabled=move || act.pending().get()
                        on:click=move |_| { refused.set(None); act.dispatch(()); }>{label}</button>
                }.into_any(),
            }}
            {move || refused.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </li>
    }
}
