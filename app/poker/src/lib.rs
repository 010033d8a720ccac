//! Poker in the app: the lobby (`/poker`), a table live over its socket (`/poker/tables/:id`),
//! a player's statistics (`/poker/players/:username`), a hand's replay (`/poker/hands/:id`) and
//! the odds calculator (`/poker/odds`), the cashier (`/poker/wallet`) and the admins' collusion
//! signals (`/poker/admin`); the statistics and the last three are bundles of their own.

pub mod actions;
pub mod admin;
pub mod api;
pub mod cashier;
pub mod felt;
pub mod live;
pub mod lobby;
pub mod odds;
pub mod player;
pub mod replay;
pub mod run_out;
pub mod rupees;
pub mod table;
pub mod tournament;

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
                <Route path=path!("/poker/hands/:id") view=replay::ReplayPage />
            </Routes>
        </Frame>
    }
}

/// The odds calculator's bundle (`poker-odds`): a page of its own, so the tables never carry it.
#[component]
pub fn OddsApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/poker/odds") view=odds::OddsPage />
            </Routes>
        </Frame>
    }
}

/// The cashier's bundle (`poker-wallet`): deposits and withdrawals, opened from the lobby.
#[component]
pub fn WalletApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/poker/wallet") view=cashier::CashierPage />
            </Routes>
        </Frame>
    }
}

/// The statistics' bundle (`poker-stats`): a player's figures and chart, opened from the lobby.
#[component]
pub fn StatsApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/poker/players/:username") view=player::PlayerPage />
            </Routes>
        </Frame>
    }
}

/// The admins' bundle (`poker-admin`): collusion signals.
#[component]
pub fn AdminApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/poker/admin") view=admin::AdminPage />
            </Routes>
        </Frame>
    }
}
