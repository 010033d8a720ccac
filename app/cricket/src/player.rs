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
        <CareerTable title="Batting" testid="batting-career" strong=3
            columns=&["M", "Inn", "NO", "Runs", "HS", "Avg", "SR", "100", "50", "4s", "6s"]
            rows=careers.iter().map(|c: &Career| (c.format.clone(), vec![
                c.matches.to_string(), c.innings.to_string(), c.not_outs.to_string(), c.runs.to_string(),
                format!("{}{}", c.highest, if c.highest_not_out { "*" } else { "" }),
                figure(c.average), figure(c.strike_rate), c.hundreds.to_string(), c.fifties.to_string(),
                c.fours.to_string(), c.sixes.to_string(),
            ])).collect() />
        <CareerTable title="Bowling and fielding" testid="bowling-career" strong=2
            columns=&["Balls", "Runs", "Wkts", "Best", "Avg", "Econ", "5w", "Ct", "St"]
            rows=careers.iter().map(|c: &Career| (c.format.clone(), vec![
                c.balls_bowled.to_string(), c.runs_conceded.to_string(), c.wickets.to_string(),
                c.best_bowling.clone().unwrap_or_else(|| "–".into()), figure(c.bowling_average), figure(c.economy),
                c.five_wickets.to_string(), c.catches.to_string(), c.stumpings.to_string(),
            ])).collect() />
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

/// One career table: a row per format, `columns` after the format, column `strong` in bold.
#[component]
fn CareerTable(
    title: &'static str,
    testid: &'static str,
    columns: &'static [&'static str],
    strong: usize,
    rows: Vec<(String, Vec<String>)>,
) -> impl IntoView {
    let (labelled_by, heading) = (format!("{testid}-title"), format!("{testid}-title"));
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <div class="table-scroll">
                <table class="card-table" data-testid=testid>
                    <thead><tr><th>"Format"</th>{columns.iter().map(|c| view! { <th class="num">{*c}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(format, cells)| view! {
                            <tr>
                                <th scope="row">{format}</th>
                                {cells.into_iter().enumerate().map(|(i, cell)| view! {
                                    <td class=if i == strong { "num strong" } else { "num" }>{cell}</td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
