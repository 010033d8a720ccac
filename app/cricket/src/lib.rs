//! Cricket in the app: the matches (`/cricket`: live, upcoming and results, and importing a
//! Cricsheet file), a match (`/cricket/matches/:id`: the score, this over's balls, the scorecard
//! of each innings, commentary, the worm and the manhattan, partnerships) and a player's career
//! (`/cricket/players/:id`). A match being scored follows its socket: every ball shows at once,
//! with its chat and polls. Scoring is a bundle of its own (`cricket-scorer`, only scorers load
//! it): a new match at `/cricket/score/new`, its console at `/cricket/score/:id`.

pub mod api;
pub mod charts;
pub mod list;
pub mod live;
pub mod match_page;
pub mod player;
pub mod scorecard;
pub mod scorer;
pub mod talk;
pub mod video;

use app_ui::{not_found::Fallback, Frame};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Routes},
    path,
};

/// The Cricket bundle's routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/cricket") view=list::MatchesPage />
                <Route path=path!("/cricket/matches/:id") view=match_page::MatchPage />
                <Route path=path!("/cricket/players/:id") view=player::PlayerPage />
            </Routes>
        </Frame>
    }
}

/// The Cricket scorer bundle's routes: a new match, and a match's console.
#[component]
pub fn ScorerApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/cricket/score/new") view=scorer::NewMatchPage />
                <Route path=path!("/cricket/score/:id") view=scorer::ScorerPage />
            </Routes>
        </Frame>
    }
}
