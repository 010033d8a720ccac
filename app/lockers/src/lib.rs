//! Lockers in the app: your parcels (the code, its QR and the time left), sending one, the lockers
//! near you (`/lockers`), a bank's kiosk where a code is typed or scanned
//! (`/lockers/kiosk/:bank`), a courier's round (`/lockers/courier`) and the admins' screen
//! (`/lockers/admin`).

pub mod admin;
pub mod api;
pub mod courier;
pub mod kiosk;
pub mod map;
pub mod page;
pub mod scan;

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
                <Route path=path!("/lockers/admin") view=admin::AdminPage />
            </Routes>
        </Frame>
    }
}
