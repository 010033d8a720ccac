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
                <p><a class="button primary" href="/cricket/score/new" rel="external" data-testid="score-new">"Score a match"</a></p>
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

/// "IPL · T20 · Eden Gardens · 2017-04-05": where and when a match is, as far as it is known.
pub fn context_line(m: &MatchSummary) -> String {
    [m.event.clone(), Some(m.match_type.clone()), m.venue.clone(), Some(m.start_date.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
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
    let context = context_line(&m);
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
