//! Poker in the app: the lobby (`/poker`), a table live over its socket (`/poker/tables/:id`) and
//! a player's statistics (`/poker/players/:username`).

pub mod actions;
pub mod api;
pub mod felt;
pub mod live;
pub mod lobby;
pub mod player;
pub mod replay;
pub mod table;

use app_ui::{not_found::Fallback, Frame};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Routes},
    path,
};

/// The Poker bundle's routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/poker") view=lobby::LobbyPage />
                <Route path=path!("/poker/tables/:id") view=table::TablePage />
                <Route path=path!("/poker/players/:username") view=player::PlayerPage />
                <Route path=path!("/poker/hands/:id") view=replay::ReplayPage />
            </Routes>
        </Frame>
    }
}
