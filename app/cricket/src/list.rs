//! `/cricket`: first the matches of the teams and players you follow and those recommended from
//! what you watched, then matches live now, coming up and finished, each with its scores and
//! result; and, for anyone signed in, scoring a new match or importing one from a Cricsheet file.

use crate::api;
use app_ui::{
    components::{Load, PageHead},
    session::use_session,
};
use leptos::{html, prelude::*};
use shared::{
    cricket::{
        picks::Pick,
        wire::{InningsScore, MatchSummary, Status},
    },
    ApiError,
};
use wasm_bindgen_futures::JsFuture;

const TABS: [(Option<Status>, &str); 4] = [
    (None, "All"),
    (Some(Status::Live), "Live"),
    (Some(Status::Upcoming), "Upcoming"),
    (Some(Status::Completed), "Results"),
];

#[component]
pub fn MatchesPage() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(None::<Status>);
    let list = LocalResource::new(move || api::matches(status.get()));
    let home = LocalResource::new(move || {
        session.user.track();
        api::home()
    });
    view! {
        <div class="stack wide cricket">
            <PageHead path="/cricket" />
            {move || home.get().and_then(Result::ok).map(|home| view! {
                <Picks title="Following" picks=home.following testid="following" />
                <Picks title="For you" picks=home.recommended testid="recommended" />
            })}
            <div class="pay-tabs-wrap">
                <div class="pay-tabs" role="tablist" aria-label="Matches">
                    {TABS.into_iter().map(|(tab, label)| view! {
                        <button type="button" role="tab" class="pay-tab" aria-selected=move || (status.get() == tab).to_string()
                            on:click=move |_| status.set(tab)>{label}</button>
                    }).collect_view()}
                </div>
            </div>
            <Load loading="Loading the matches…" retry=Callback::new(move |_| list.refetch())>
                {move || list.get().map(|got| got.map(|page| view! { <Matches matches=page.matches /> }))}
            </Load>
            <Show when=move || session.user.get().is_some()>
                <NewMatchForm />
                <Import />
            </Show>
            <p class="muted small">"Ball-by-ball data of imported matches from "<a href="https://cricsheet.org" rel="external">"cricsheet.org"</a>"."</p>
        </div>
    }
}

/// A part of the home: matches with why each is there (nothing when there are none).
#[component]
fn Picks(title: &'static str, picks: Vec<Pick>, testid: &'static str) -> impl IntoView {
    (!picks.is_empty()).then(|| {
        view! {
            <section aria-label=title data-testid=testid>
                <h2>{title}</h2>
                <ul class="matches">
                    {picks.into_iter().map(|p| view! { <MatchCard m=p.summary reason=p.reason /> }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn Matches(matches: Vec<MatchSummary>) -> impl IntoView {
    if matches.is_empty() {
        return view! { <p class="panel muted" data-testid="no-matches">"No matches here yet."</p> }
            .into_any();
    }
    view! {
        <ul class="matches" data-testid="matches">
            {matches.into_iter().map(|m| view! { <MatchCard m /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// "207/4 (20)", "298/8d (109.3)".
pub fn score_text(s: &InningsScore) -> String {
    let wickets = if s.wickets >= 10 { String::new() } else { format!("/{}", s.wickets) };
    let declared = if s.declared { "d" } else { "" };
    format!("{}{wickets}{declared} ({})", s.runs, s.overs)
}

#[component]
fn MatchCard(m: MatchSummary, #[prop(optional)] reason: Option<String>) -> impl IntoView {
    let href = format!("/cricket/matches/{}", m.id);
    let live = m.status == Status::Live;
    let mut by_team: Vec<(String, Vec<String>)> = m.teams.iter().map(|t| (t.clone(), Vec::new())).collect();
    for s in m.scores.iter().filter(|s| !s.super_over) {
        if let Some((_, list)) = by_team.iter_mut().find(|(t, _)| *t == s.team) {
            list.push(score_text(s));
        }
    }
    let context = [m.event.clone(), Some(m.match_type.clone()), m.venue.clone(), Some(m.start_date.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li class="panel match-card" data-testid="match-card">
            <a href=href class="match-link">
                <p class="muted small">{live.then(|| view! { <span class="live-dot">"LIVE"</span> " " })}{context}</p>
                {by_team.into_iter().map(|(team, scores)| view! {
                    <p class="team-line"><span class="team">{team}</span><span class="score">{scores.join(" & ")}</span></p>
                }).collect_view()}
                <p class="result">{m.result}</p>
                {reason.map(|r| view! { <p class="muted small reason">{r}</p> })}
            </a>
        </li>
    }
}

/// A Cricsheet file from disk, sent to be imported; the match opens when it is in.
#[component]
fn Import() -> impl IntoView {
    let picker = NodeRef::<html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    let send = move |_| {
        let Some(file) = picker.get_untracked().and_then(|p| p.files()).and_then(|f| f.get(0)) else {
            error.set(Some("Choose a Cricsheet JSON file first.".into()));
            return;
        };
        let navigate = navigate.clone();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let answer = async {
                let text = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                    .ok_or_else(|| ApiError::invalid("file", "That file could not be read."))?;
                let json: serde_json::Value = serde_json::from_str(&text)
                    .map_err(|e| ApiError::invalid("file", format!("That file is not JSON ({e}).")))?;
                api::import(&json).await
            }
            .await;
            busy.set(false);
            match answer {
                Ok(view) => navigate(&format!("/cricket/matches/{}", view.summary.id), Default::default()),
                Err(err) => error.set(Some(match err.field {
                    Some(field) if field != "file" => format!("{} ({field})", err.message),
                    _ => err.message,
                })),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="import-title">
            <h2 id="import-title">"Import a match"</h2>
            <p class="muted">"A match file as downloaded from cricsheet.org (JSON): every ball, scored again here."</p>
            <div class="row">
                <input type="file" accept="application/json,.json" node_ref=picker data-testid="import-file" />
                <button type="button" class="button" on:click=send disabled=move || busy.get() data-testid="import">
                    {move || if busy.get() { "Importing…" } else { "Import" }}
                </button>
            </div>
            {move || error.get().map(|message| view! { <p class="form-error" role="alert" data-testid="import-error">{message}</p> })}
        </section>
    }
}

/// A match to score here, ball by ball: its sides and format; the console opens when it is made.
#[component]
fn NewMatchForm() -> impl IntoView {
    let team_a = RwSignal::new(String::new());
    let team_b = RwSignal::new(String::new());
    let players_a = RwSignal::new(String::new());
    let players_b = RwSignal::new(String::new());
    let format = RwSignal::new(String::from("T20"));
    let overs = RwSignal::new(String::from("20"));
    let venue = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let navigate = leptos_router::hooks::use_navigate();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lines = |text: String| {
            text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect::<Vec<_>>()
        };
        let (a, b) = (team_a.get_untracked().trim().to_owned(), team_b.get_untracked().trim().to_owned());
        let format_now = format.get_untracked();
        let first_class = matches!(format_now.as_str(), "Test" | "MDM");
        let today = js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
        let venue_now = venue.get_untracked();
        let body = serde_json::json!({
            "teams": [a, b],
            "players": { a.clone(): lines(players_a.get_untracked()), b.clone(): lines(players_b.get_untracked()) },
            "match_type": format_now,
            "overs": if first_class { serde_json::Value::Null } else { overs.get_untracked().trim().parse::<u32>().map_or(serde_json::Value::Null, Into::into) },
            "balls_per_over": 6,
            "start_date": today.get(..10).unwrap_or_default(),
            "venue": (!venue_now.trim().is_empty()).then_some(venue_now),
        });
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::create(&body).await {
                Ok(view) => {
                    navigate(&format!("/cricket/matches/{}/score", view.summary.id), Default::default())
                }
                Err(err) => error.set(Some(match err.field {
                    Some(field) => format!("{} ({field})", err.message),
                    None => err.message,
                })),
            }
        });
    };
    let text = |label: &'static str, value: RwSignal<String>, testid: &'static str| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input type="text" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) data-testid=testid />
            </label>
        }
    };
    let roster = |label: &'static str, value: RwSignal<String>, testid: &'static str| {
        view! {
            <label class="field">
                <span>{label}</span>
                <textarea rows="5" placeholder="One name a line" prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) data-testid=testid></textarea>
            </label>
        }
    };
    view! {
        <details class="panel">
            <summary>"Score a match"</summary>
            <form class="stack" on:submit=create>
                {text("Home team", team_a, "new-team-a")}
                {roster("Their players", players_a, "new-players-a")}
                {text("Away team", team_b, "new-team-b")}
                {roster("Their players", players_b, "new-players-b")}
                <label class="field">
                    <span>"Format"</span>
                    <select on:change=move |ev| format.set(event_target_value(&ev)) prop:value=move || format.get() data-testid="new-format">
                        {["T20", "ODI", "Test", "IT20", "ODM", "MDM"].into_iter().map(|f| view! { <option value=f>{f}</option> }).collect_view()}
                    </select>
                </label>
                <Show when=move || !matches!(format.get().as_str(), "Test" | "MDM")>
                    {text("Overs an innings", overs, "new-overs")}
                </Show>
                {text("Ground (optional)", venue, "new-venue")}
                {move || error.get().map(|message| view! { <p class="form-error" role="alert" data-testid="new-match-error">{message}</p> })}
                <button type="submit" class="button primary" data-testid="new-match">"Open the scorer"</button>
            </form>
        </details>
    }
}
