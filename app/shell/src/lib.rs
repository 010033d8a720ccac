//! Dozen's app shell, the bundle behind `/`: the home page with the twelve products, sign-in,
//! sign-up, and the pages of products not built yet. Each built product is its own
//! bundle (app/bundles.json), loaded only when one of its pages is opened.

pub mod auth;
pub mod home;
pub mod product;
pub mod product_card;

use app_ui::{not_found::Fallback, Frame};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Routes},
    path,
};

/// The shell's routes. Paths of other bundles fall to `Fallback`, which loads them.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/") view=home::Home />
                <Route path=path!("/signin") view=auth::signin::SignIn />
                <Route path=path!("/signup") view=auth::signup::SignUp />
                <Route path=path!("/offline") view=app_ui::not_found::Offline />
                <Route path=path!("/*path") view=product::ProductPage />
            </Routes>
        </Frame>
    }
}
