//! `/cricket/matches/:id`: the score header (each side's innings, the result, or LIVE, and a
//! follow button per team), the video with its highlights when the match has a stream, the last
//! over's balls as chips, and tabs: the scorecard of each innings, the commentary (newest first),
//! the worm and manhattan charts, partnerships, and the chat with its polls.

use crate::live::Follow;
use crate::{
    api,
    charts::{Manhattan, Worm},
    list::score_text,
    scorecard::{InningsCardView, OverChips, Partnerships},
};
use app_ui::{components::Load, session::use_session};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_params_map;
use shared::cricket::{
    charts::Charts,
    commentary::{Line, LineKind},
    live_view::LiveState,
    picks::FollowKind,
    scorecard::{InningsCard, Scorecard},
    wire::{InningsPartnerships, MatchView, Status},
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Scorecard,
    Commentary,
    Charts,
    Partnerships,
    Chat,
}

const TABS: [(Tab, &str); 5] = [
    (Tab::Scorecard, "Scorecard"),
    (Tab::Commentary, "Commentary"),
    (Tab::Charts, "Charts"),
    (Tab::Partnerships, "Partnerships"),
    (Tab::Chat, "Chat"),
];

/// Commentary lines shown at first, and added by each "Earlier".
const LINES_PER_PAGE: usize = 120;

/// "Sunrisers Hyderabad 1st", "Super over 2".
fn innings_label(i: &InningsCard, all: &[InningsCard]) -> String {
    if i.super_over {
        let n = all.iter().filter(|c| c.super_over && c.number <= i.number).count();
        return format!("{} · super over {}", i.team, n.div_ceil(2));
    }
    let n = all.iter().filter(|c| !c.super_over && c.team == i.team && c.number <= i.number).count();
    let ordinal = if n == 2 { "2nd" } else { "1st" };
    let several = all.iter().filter(|c| !c.super_over && c.team == i.team).count() > 1;
    if several {
        format!("{} {ordinal}", i.team)
    } else {
        i.team.clone()
    }
}

#[component]
pub fn MatchPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    // A match not over yet is followed over its socket; what the page loads reloads on each event.
    let follow = Follow::new(params.read_untracked().get("id").unwrap_or_default());
    on_cleanup(move || follow.close());
    let version = Memo::new(move |_| follow.revision());
    let header = LocalResource::new(move || {
        let id = id();
        version.track();
        async move { api::match_view(&id).await }
    });
    let card = LocalResource::new(move || {
        let id = id();
        version.track();
        async move { api::scorecard(&id).await }
    });
    // A match scored here has a socket (its balls, its chat, its polls), even once it is over.
    let following = StoredValue::new(false);
    Effect::new(move |_| {
        let live = header.get().and_then(Result::ok).is_some_and(|h| h.scored_live);
        if live && !following.get_value() {
            following.set_value(true);
            crate::live::connect(follow, 0);
        }
    });
    // Someone signed in who opens a match has watched it: their recommendations grow from it.
    let session = use_session();
    let watched = StoredValue::new(false);
    Effect::new(move |_| {
        if session.user.get().is_some() && !watched.get_value() {
            watched.set_value(true);
            let id = id();
            spawn_local(async move {
                let _ = api::watch(&id).await;
            });
        }
    });
    let follows = LocalResource::new(move || async move {
        match session.user.get() {
            Some(_) => api::follows().await.unwrap_or_default(),
            None => Vec::new(),
        }
    });
    let tab = RwSignal::new(Tab::Scorecard);
    let retry = Callback::new(move |_| {
        header.refetch();
        card.refetch();
    });
    view! {
        <div class="stack wide cricket">
            <p><a href="/cricket">"← Matches"</a></p>
            <Load loading="Loading the match…" retry>
                {move || header.get().map(|got| got.map(|view| view! { <Header view follows /> }))}
                {move || follow.state.get().filter(|s| s.status == Status::Live).map(|state| view! { <LiveNow state /> })}
                {move || card.get().map(|got| got.map(|card| {
                    let live_over = follow.state.get().and_then(|s| s.this_over);
                    let last_over = live_over.or_else(|| card.innings.last().and_then(|i| i.overs_bowled.last().cloned()));
                    last_over.map(|over| view! { <OverChips over /> })
                }))}
            </Load>
            <crate::video::MatchVideo id=id() version />
            <div class="pay-tabs-wrap">
                <div class="pay-tabs" role="tablist" aria-label="Match">
                    // The chat's tab once the header says the match is scored here.
                    {move || TABS.into_iter().filter(|(t, _)| *t != Tab::Chat || header.get().and_then(Result::ok).is_some_and(|h| h.scored_live)).map(|(t, label)| view! {
                        <button type="button" role="tab" class="pay-tab" aria-selected=move || (tab.get() == t).to_string()
                            on:click=move |_| tab.set(t) data-testid=format!("tab-{}", label.to_lowercase())>{label}</button>
                    }).collect_view()}
                </div>
            </div>
            {move || match tab.get() {
                Tab::Scorecard => view! { <ScorecardTab header card /> }.into_any(),
                Tab::Commentary => view! { <CommentaryTab id=id() version /> }.into_any(),
                Tab::Charts => view! { <ChartsTab id=id() version /> }.into_any(),
                Tab::Partnerships => view! { <PartnershipsTab id=id() /> }.into_any(),
                Tab::Chat => {
                    let moderators = header.get_untracked().and_then(Result::ok).map(|h| h.scorers).unwrap_or_default();
                    view! { <crate::talk::TalkTab id=id() follow moderators /> }.into_any()
                }
            }}
            <p class="muted small">
                <a href=move || api::export_href(&id()) download="">"Download as Cricsheet JSON"</a>
                " · ball-by-ball data of imported matches from "<a href="https://cricsheet.org" rel="external">"cricsheet.org"</a>
            </p>
        </div>
    }
}

#[component]
fn Header(view: MatchView, follows: LocalResource<Vec<shared::cricket::picks::Follow>>) -> impl IntoView {
    let session = use_session();
    let me = session.user.get_untracked().map(|u| u.username);
    let scoring =
        me.is_some_and(|name| view.scorers.contains(&name)) && view.summary.status != Status::Completed;
    let score_href = format!("/cricket/score/{}", view.summary.id);
    let m = view.summary;
    let context = crate::list::context_line(&m);
    let lines: Vec<(String, String)> = m
        .teams
        .iter()
        .map(|team| {
            let scores: Vec<String> =
                m.scores.iter().filter(|s| &s.team == team && !s.super_over).map(score_text).collect();
            (team.clone(), scores.join(" & "))
        })
        .collect();
    let status = match m.status {
        Status::Live => Some("LIVE"),
        Status::Upcoming => Some("Upcoming"),
        Status::Completed => None,
    };
    view! {
        <header class="panel score-header" data-testid="score-header">
            <p class="muted small">{status.map(|s| view! { <span class="live-dot">{s}</span> " " })}{context}</p>
            <h1 class="match-title">{m.title.clone()}</h1>
            {lines.into_iter().map(|(team, score)| view! {
                <p class="team-line big"><span class="team">{team}</span><span class="score">{score}</span></p>
            }).collect_view()}
            <p class="result" data-testid="result">{m.result.clone()}</p>
            {view.toss.map(|t| view! { <p class="muted small">{t}</p> })}
            {(!view.player_of_match.is_empty()).then(|| view! { <p class="muted small">{format!("Player of the match: {}", view.player_of_match.join(", "))}</p> })}
            <div class="row follow-row">
                {m.teams.iter().map(|team| view! { <FollowButton kind=FollowKind::Team target=team.clone() name=team.clone() follows /> }).collect_view()}
                {scoring.then(|| view! { <a class="button primary small" href=score_href rel="external" data-testid="score-link">"Score this match"</a> })}
            </div>
        </header>
    }
}

/// Who is batting and bowling now, and what the chase needs.
#[component]
fn LiveNow(state: LiveState) -> impl IntoView {
    let batters = state
        .at_crease
        .iter()
        .map(|b| format!("{}{} {} ({})", b.name, if b.on_strike { "*" } else { "" }, b.runs, b.balls))
        .collect::<Vec<_>>()
        .join(" · ");
    let bowler = state.bowler.map(|b| format!("{} {}-{} ({} ov)", b.name, b.wickets, b.runs, b.overs));
    let need = match (state.target, state.scores.last()) {
        (Some(target), Some(score)) if target > score.runs => {
            let rate = state.required_rate.map(|r| format!(", {r:.2} an over")).unwrap_or_default();
            Some(format!("{} need {} to win{rate}", score.team, target - score.runs))
        }
        _ => None,
    };
    view! {
        <div class="panel live-now" data-testid="live-now">
            <p class="small"><span class="live-dot">"LIVE"</span>" "{batters}</p>
            {bowler.map(|b| view! { <p class="small muted">{b}</p> })}
            {need.map(|n| view! { <p class="small strong">{n}</p> })}
            {state.innings_over.map(|why| view! { <p class="small muted">{why}</p> })}
        </div>
    }
}

#[component]
fn ScorecardTab(
    header: LocalResource<Result<MatchView, shared::ApiError>>,
    card: LocalResource<Result<Scorecard, shared::ApiError>>,
) -> impl IntoView {
    let chosen = RwSignal::new(0usize);
    view! {
        <section role="tabpanel" class="pay-tabpanel">
            {move || {
                let ids = header.get().and_then(Result::ok).map(|h| h.player_ids).unwrap_or_default();
                card.get().and_then(Result::ok).map(|card: Scorecard| {
                    let labels: Vec<String> = card.innings.iter().map(|i| innings_label(i, &card.innings)).collect();
                    let index = chosen.get().min(card.innings.len().saturating_sub(1));
                    view! {
                        <div class="segmented innings-pick" role="group" aria-label="Innings">
                            {labels.into_iter().enumerate().map(|(n, label)| view! {
                                <button type="button" aria-pressed=move || (chosen.get() == n).to_string() on:click=move |_| chosen.set(n)>{label}</button>
                            }).collect_view()}
                        </div>
                        {card.innings.get(index).cloned().map(|innings| view! { <InningsCardView innings ids=ids.clone() /> })}
                    }
                })
            }}
        </section>
    }
}

#[component]
fn CommentaryTab(id: String, version: Memo<u64>) -> impl IntoView {
    let lines = LocalResource::new(move || {
        let id = id.clone();
        version.track();
        async move { api::commentary(&id).await }
    });
    let shown = RwSignal::new(LINES_PER_PAGE);
    view! {
        <section role="tabpanel" class="pay-tabpanel">
            <Load loading="Loading the commentary…" retry=Callback::new(move |_| lines.refetch())>
                {move || lines.get().map(|got| got.map(|c| {
                    let total = c.lines.len();
                    let newest: Vec<Line> = c.lines.into_iter().rev().take(shown.get()).collect();
                    view! {
                        <ol class="commentary" data-testid="commentary">
                            {newest.into_iter().map(|line| view! { <CommentaryLine line /> }).collect_view()}
                        </ol>
                        {(total > shown.get()).then(|| view! {
                            <button type="button" class="button ghost" on:click=move |_| shown.update(|n| *n += LINES_PER_PAGE)>"Earlier"</button>
                        })}
                    }
                }))}
            </Load>
        </section>
    }
}

#[component]
fn CommentaryLine(line: Line) -> impl IntoView {
    let kind = match line.kind {
        LineKind::Ball => "ball",
        LineKind::Wicket => "wicket",
        LineKind::Boundary => "boundary",
        LineKind::Milestone => "milestone",
        LineKind::EndOfOver => "over-end",
    };
    let label = matches!(line.kind, LineKind::Ball | LineKind::Wicket | LineKind::Boundary)
        .then(|| line.label.clone());
    view! {
        <li class=format!("line {kind}")>
            <span class="ball-no">{label}</span>
            <span class="text">{line.text}</span>
            <span class="muted small score">{line.score}</span>
        </li>
    }
}

#[component]
fn ChartsTab(id: String, version: Memo<u64>) -> impl IntoView {
    let charts = LocalResource::new(move || {
        let id = id.clone();
        version.track();
        async move { api::charts(&id).await }
    });
    view! {
        <section role="tabpanel" class="pay-tabpanel">
            <Load loading="Loading the charts…" retry=Callback::new(move |_| charts.refetch())>
                {move || charts.get().map(|got| got.map(|charts: Charts| {
                    let mains: Vec<_> = charts.innings.iter().filter(|i| !i.super_over).cloned().collect();
                    view! {
                        <h2>"Worm"</h2>
                        <Worm charts=charts.clone() />
                        {mains.into_iter().map(|innings| view! {
                            <h2>{format!("Manhattan · {} ({})", innings.team, innings.number)}</h2>
                            <Manhattan innings />
                        }).collect_view()}
                    }
                }))}
            </Load>
        </section>
    }
}

#[component]
fn PartnershipsTab(id: String) -> impl IntoView {
    let stands = LocalResource::new(move || {
        let id = id.clone();
        async move { api::partnerships(&id).await }
    });
    view! {
        <section role="tabpanel" class="pay-tabpanel">
            <Load loading="Loading the partnerships…" retry=Callback::new(move |_| stands.refetch())>
                {move || stands.get().map(|got| got.map(|all: Vec<InningsPartnerships>| all.into_iter().map(|i| view! {
                    <h2>{format!("{} ({}){}", i.team, i.number, if i.super_over { " · super over" } else { "" })}</h2>
                    <Partnerships list=i.partnerships />
                }).collect_view()))}
            </Load>
        </section>
    }
}

/// Follows or unfollows a team or a player (signed in only); the label says which it will do.
#[component]
pub fn FollowButton(
    kind: FollowKind,
    target: String,
    name: String,
    follows: LocalResource<Vec<shared::cricket::picks::Follow>>,
) -> impl IntoView {
    let session = use_session();
    let target = StoredValue::new(target);
    let busy = RwSignal::new(false);
    let followed = Memo::new(move |_| {
        follows
            .get()
            .is_some_and(|all| all.iter().any(|f| f.kind == kind && target.with_value(|t| f.target == *t)))
    });
    let toggle = move |_| {
        busy.set(true);
        spawn_local(async move {
            let t = target.get_value();
            let _ = if followed.get_untracked() {
                api::unfollow(kind, &t).await
            } else {
                api::follow(kind, &t).await.map(drop)
            };
            follows.refetch();
            busy.set(false);
        });
    };
    view! {
        <Show when=move || session.user.get().is_some()>
            <button type="button" class="button ghost small" aria-pressed=move || followed.get().to_string()
                disabled=move || busy.get() on:click=toggle data-testid="follow">
                {let name = name.clone(); move || if followed.get() { format!("✓ Following {name}") } else { format!("Follow {name}") }}
            </button>
        </Show>
    }
}
