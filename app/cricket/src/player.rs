//! `/cricket/players/:id`: a player's career in each format over every match here (batting,
//! bowling, fielding) and their latest matches.

use crate::api;
use app_ui::components::Load;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::cricket::{career::Career, wire::PlayerStats};

fn figure(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "–".into())
}

#[component]
pub fn PlayerPage() -> impl IntoView {
    let params = use_params_map();
    let stats = LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        async move { api::player(&id).await }
    });
    view! {
        <div class="stack wide cricket">
            <p><a href="/cricket">"← Matches"</a></p>
            <Load loading="Loading the player…" retry=Callback::new(move |_| stats.refetch())>
                {move || stats.get().map(|got| got.map(|stats| view! { <Player stats /> }))}
            </Load>
        </div>
    }
}

#[component]
fn Player(stats: PlayerStats) -> impl IntoView {
    let careers = stats.careers.clone();
    let session = app_ui::session::use_session();
    let follows = LocalResource::new(move || async move {
        match session.user.get() {
            Some(_) => api::follows().await.unwrap_or_default(),
            None => Vec::new(),
        }
    });
    view! {
        <h1 data-testid="player-name">{stats.name.clone()}</h1>
        <crate::match_page::FollowButton kind=shared::cricket::picks::FollowKind::Player target=stats.id.clone()
            name=stats.name.clone() follows />
        <p class="muted">{stats.teams.join(" · ")}</p>
        <section class="panel" aria-labelledby="batting-title">
            <h2 id="batting-title">"Batting"</h2>
            <div class="table-scroll">
                <table class="card-table" data-testid="batting-career">
                    <thead><tr><th>"Format"</th><th class="num">"M"</th><th class="num">"Inn"</th><th class="num">"NO"</th><th class="num">"Runs"</th><th class="num">"HS"</th><th class="num">"Avg"</th><th class="num">"SR"</th><th class="num">"100"</th><th class="num">"50"</th><th class="num">"4s"</th><th class="num">"6s"</th></tr></thead>
                    <tbody>
                        {careers.iter().map(|c: &Career| view! {
                            <tr>
                                <th scope="row">{c.format.clone()}</th>
                                <td class="num">{c.matches}</td><td class="num">{c.innings}</td><td class="num">{c.not_outs}</td>
                                <td class="num strong">{c.runs}</td>
                                <td class="num">{format!("{}{}", c.highest, if c.highest_not_out { "*" } else { "" })}</td>
                                <td class="num">{figure(c.average)}</td><td class="num">{figure(c.strike_rate)}</td>
                                <td class="num">{c.hundreds}</td><td class="num">{c.fifties}</td><td class="num">{c.fours}</td><td class="num">{c.sixes}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="panel" aria-labelledby="bowling-title">
            <h2 id="bowling-title">"Bowling and fielding"</h2>
            <div class="table-scroll">
                <table class="card-table" data-testid="bowling-career">
                    <thead><tr><th>"Format"</th><th class="num">"Balls"</th><th class="num">"Runs"</th><th class="num">"Wkts"</th><th class="num">"Best"</th><th class="num">"Avg"</th><th class="num">"Econ"</th><th class="num">"5w"</th><th class="num">"Ct"</th><th class="num">"St"</th></tr></thead>
                    <tbody>
                        {careers.iter().map(|c: &Career| view! {
                            <tr>
                                <th scope="row">{c.format.clone()}</th>
                                <td class="num">{c.balls_bowled}</td><td class="num">{c.runs_conceded}</td>
                                <td class="num strong">{c.wickets}</td><td class="num">{c.best_bowling.clone().unwrap_or_else(|| "–".into())}</td>
                                <td class="num">{figure(c.bowling_average)}</td><td class="num">{figure(c.economy)}</td>
                                <td class="num">{c.five_wickets}</td><td class="num">{c.catches}</td><td class="num">{c.stumpings}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="panel" aria-labelledby="recent-title">
            <h2 id="recent-title">"Latest matches"</h2>
            <ul class="recent">
                {stats.recent.into_iter().map(|r| view! {
                    <li>
                        <a href=format!("/cricket/matches/{}", r.match_id)>{r.title}</a>
                        <span class="muted small">{format!(" · {} · {}", r.match_type, r.start_date)}</span>
                        <p class="small">
                            {(!r.batting.is_empty()).then(|| format!("Bat {}", r.batting))}
                            {(!r.batting.is_empty() && !r.bowling.is_empty()).then_some(" · ")}
                            {(!r.bowling.is_empty()).then(|| format!("Bowl {}", r.bowling))}
                        </p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
