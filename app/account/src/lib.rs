//! The account page, its own bundle (`/account`): the profile, the password and API keys.
//! Kept out of the shell so the home page a first-time visitor opens stays small.

pub mod keys;
pub mod settings;

use app_ui::{not_found::Fallback, Frame};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Routes},
    path,
};

/// The account bundle's routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/account") view=settings::Account />
            </Routes>
        </Frame>
    }
}
