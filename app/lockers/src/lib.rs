//! Lockers in the app: your parcels (the code, its QR and the time left), sending one, the lockers
//! near you (`/lockers`), a bank's kiosk where a code is typed (`/lockers/kiosk/:bank`), and a
//! courier's round (`/lockers/courier`).

pub mod api;
pub mod courier;
pub mod kiosk;
pub mod page;

use app_ui::{not_found::Fallback, Frame};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Routes},
    path,
};

/// The Lockers bundle's routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/lockers") view=page::LockersPage />
                <Route path=path!("/lockers/kiosk/:bank") view=kiosk::KioskPage />
                <Route path=path!("/lockers/courier") view=courier::CourierPage />
            </Routes>
        </Frame>
    }
}
