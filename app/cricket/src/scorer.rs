//! `/cricket/score/:id`: the scorer's console, made for a phone at the ground. Pick the
//! batters and the bowler once; then each ball is an extra or a wicket if there was one, and a
//! tap on its runs. Strike follows the match (odd runs, the end of each over), and a new batter
//! or bowler is asked for when one is due. Every change is sent against the events this scorer saw (`expected_seq`), so a
//! ball another scorer recorded first is never overwritten; undo takes back the last event.

use crate::{api, list::score_text, live::Follow, scorecard::OverChips};
use app_ui::{components::Load, session::use_session};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_params_map;
use serde_json::{json, Value};
use shared::cricket::{
    live_view::LiveState,
    wire::{MatchView, Status},
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Extra {
    None,
    Wide,
    NoBall,
    Bye,
    LegBye,
}

const EXTRAS: [(Extra, &str); 5] = [
    (Extra::None, "Off the bat"),
    (Extra::Wide, "Wide"),
    (Extra::NoBall, "No-ball"),
    (Extra::Bye, "Bye"),
    (Extra::LegBye, "Leg bye"),
];

const DISMISSALS: [&str; 10] = [
    "bowled",
    "caught",
    "lbw",
    "run out",
    "stumped",
    "caught and bowled",
    "hit wicket",
    "retired hurt",
    "obstructing the field",
    "retired out",
];

/// The ball as Cricsheet's delivery: `runs` ran or hit (a four or six off the bat is a boundary).
fn delivery(
    striker: &str,
    non_striker: &str,
    bowler: &str,
    runs: u32,
    extra: Extra,
    wicket: Option<Value>,
    note: &str,
) -> Value {
    let (batter_runs, extras) = match extra {
        Extra::None => (runs, json!(null)),
        Extra::Wide => (0, json!({ "wides": runs + 1 })),
        Extra::NoBall => (runs, json!({ "noballs": 1 })),
        Extra::Bye => (0, json!({ "byes": runs })),
        Extra::LegBye => (0, json!({ "legbyes": runs })),
    };
    let extra_runs = match extra {
        Extra::None => 0,
        Extra::Wide => runs + 1,
        Extra::NoBall => 1,
        Extra::Bye | Extra::LegBye => runs,
    };
    let mut d = json!({
        "batter": striker,
        "non_striker": non_striker,
        "bowler": bowler,
        "runs": { "batter": batter_runs, "extras": extra_runs, "total": batter_runs + extra_runs },
    });
    if !extras.is_null() {
        d["extras"] = extras;
    }
    if let Some(w) = wicket {
        d["wickets"] = json!([w]);
    }
    if !note.trim().is_empty() {
        d["note"] = json!(note.trim());
    }
    d
}

#[component]
pub fn ScorerPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    let follow = Follow::new(id.clone());
    on_cleanup(move || follow.close());
    crate::live::connect(follow, 0);
    let header = {
        let id = id.clone();
        LocalResource::new(move || {
            let id = id.clone();
            async move { api::match_view(&id).await }
        })
    };
    let session = use_session();
    let id = StoredValue::new(id);
    view! {
        <div class="stack wide cricket scorer">
            <p><a href=move || format!("/cricket/matches/{}", id.get_value()) rel="external">"← The match"</a></p>
            <Load loading="Loading the match…" retry=Callback::new(move |_| header.refetch())>
                {move || header.get().map(|got| got.map(|view| {
                    let me = session.user.get().map(|u| u.username);
                    let scoring = me.as_ref().is_some_and(|name| view.scorers.contains(name));
                    if !view.scored_live {
                        return view! { <p class="panel muted">"An imported match is not scored here."</p> }.into_any();
                    }
                    if !session.checked.get() {
                        return view! { <p class="muted">"Checking who you are…"</p> }.into_any();
                    }
                    if !scoring {
                        return view! { <p class="panel muted" data-testid="not-scorer">"Only this match's scorers score it."</p> }.into_any();
                    }
                    let creator = me.as_deref() == Some(view.created_by.as_str());
                    view! { <Console view follow id=id.get_value() creator /> }.into_any()
                }))}
            </Load>
        </div>
    }
}

#[component]
fn Console(view: MatchView, follow: Follow, id: String, creator: bool) -> impl IntoView {
    let id = StoredValue::new(id);
    let players = StoredValue::new(view.players.clone());
    let teams = StoredValue::new(view.summary.teams.clone());
    let first_class = matches!(view.summary.match_type.as_str(), "Test" | "MDM");
    let striker = RwSignal::new(String::new());
    let non_striker = RwSignal::new(String::new());
    let bowler = RwSignal::new(String::new());
    let extra = RwSignal::new(Extra::None);
    let out_kind = RwSignal::new(String::new());
    let out_who = RwSignal::new(String::from("striker"));
    let fielder = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let batting = Memo::new(move |_| follow.state.get().and_then(|s| s.batting));
    let side = move |fielding: bool| -> Vec<String> {
        let bat = batting.get().unwrap_or_default();
        let team =
            teams.with_value(|t| t.iter().find(|x| (**x == bat) != fielding).cloned().unwrap_or_default());
        players.with_value(|p| p.get(&team).cloned().unwrap_or_default())
    };

    // Who faces, who is at the other end and who bowls, as the match says after each event (the
    // server follows the runs run and the end of each over): a new batter after a wicket, and a
    // new bowler after an over, are left for the scorer to pick. A swap by hand lasts until the
    // next event.
    Effect::new(move |_| {
        let Some(state) = follow.state.get() else { return };
        let on = state.at_crease.iter().find(|b| b.on_strike).map(|b| b.name.clone());
        let off: Vec<String> =
            state.at_crease.iter().filter(|b| !b.on_strike).map(|b| b.name.clone()).collect();
        match (on, off.as_slice()) {
            (Some(s), [n]) => {
                striker.set(s);
                non_striker.set(n.clone());
            }
            (Some(s), []) => {
                striker.set(s);
                non_striker.set(String::new());
            }
            (None, [n]) => {
                striker.set(String::new());
                non_striker.set(n.clone());
            }
            _ => {}
        }
        match state.bowler {
            Some(b) if !state.new_over => bowler.set(b.name),
            _ if !state.at_crease.is_empty() => bowler.set(String::new()),
            _ => {}
        }
    });

    let seq = move || follow.state.with_untracked(|s| s.as_ref().map_or(0, |s| s.seq));
    // The answer to a change; the console may be gone by then (the scorer left the page).
    let after = move |answer: Result<LiveState, shared::ApiError>| {
        let _ = busy.try_set(false);
        match answer {
            Ok(state) => {
                let _ = error.try_set(None);
                let _ = follow.state.try_set(Some(state));
            }
            Err(e) => {
                let field = e.field.map(|f| format!(" ({f})")).unwrap_or_default();
                let _ = error.try_set(Some(format!("{}{field}", e.message)));
            }
        }
    };
    let record = move |runs: u32| {
        if busy.get_untracked() {
            return;
        }
        let (s, n, b) = (striker.get_untracked(), non_striker.get_untracked(), bowler.get_untracked());
        if s.is_empty() || n.is_empty() || b.is_empty() {
            error.set(Some("Choose both batters and the bowler first.".into()));
            return;
        }
        let kind = out_kind.get_untracked();
        let wicket = (!kind.is_empty()).then(|| {
            let out = if out_who.get_untracked() == "striker" { s.clone() } else { n.clone() };
            let mut w = json!({ "player_out": out, "kind": kind });
            let f = fielder.get_untracked();
            if !f.is_empty() && matches!(kind.as_str(), "caught" | "run out" | "stumped") {
                w["fielders"] = json!([{ "name": f }]);
            }
            w
        });
        let ball = delivery(&s, &n, &b, runs, extra.get_untracked(), wicket, &note.get_untracked());
        busy.set(true);
        let at = seq();
        let id = id.get_value();
        spawn_local(async move {
            let answer = api::deliver(&id, at, &ball).await;
            if answer.is_ok() {
                let _ = extra.try_set(Extra::None);
                let _ = out_kind.try_set(String::new());
                let _ = fielder.try_set(String::new());
                let _ = note.try_set(String::new());
            }
            after(answer);
        });
    };
    let send_event = move |event: Value| {
        busy.set(true);
        let at = seq();
        let id = id.get_value();
        spawn_local(async move { after(api::event(&id, at, &event).await) });
    };
    let undo = move |_| {
        busy.set(true);
        let at = seq();
        let id = id.get_value();
        spawn_local(async move { after(api::undo(&id, at).await) });
    };
    let open_innings = Memo::new(move |_| {
        follow.state.get().is_some_and(|s| {
            s.status != Status::Completed && (s.batting.is_none() || s.innings_over.is_some())
        })
    });
    let finished = Memo::new(move |_| follow.state.get().is_some_and(|s| s.status == Status::Completed));
    let select = move |label: &'static str,
                       value: RwSignal<String>,
                       options: Vec<String>,
                       testid: &'static str| {
        view! {
            <label class="field">
                <span>{label}</span>
                <select on:change=move |ev| value.set(event_target_value(&ev)) prop:value=move || value.get() data-testid=testid>
                    <option value="">"Choose…"</option>
                    {options.into_iter().map(|p| view! { <option value=p.clone()>{p.clone()}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <h1 class="match-title">{format!("Scoring {}", view.summary.title)}</h1>
        <div class="panel score-header" data-testid="scorer-score">
            {move || follow.state.get().map(|s| view! {
                {s.scores.last().map(|sc| view! { <p class="team-line big"><span class="team">{sc.team.clone()}</span><span class="score">{score_text(sc)}</span></p> })}
                {s.this_over.clone().map(|over| view! { <OverChips over /> })}
                {s.innings_over.clone().map(|why| view! { <p class="muted small" data-testid="innings-over">{why}</p> })}
                {(!s.result.is_empty()).then(|| view! { <p class="result">{s.result.clone()}</p> })}
            })}
        </div>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="scorer-error">{e}</p> })}
        <Show when=move || open_innings.get()>
            <StartInnings teams=teams.get_value() send_event busy />
        </Show>
        <Show when=move || !open_innings.get() && !finished.get()>
            <section class="panel" aria-label="This ball">
                <div class="crease-row">
                    {move || select("Striker", striker, side(false), "striker")}
                    <button type="button" class="button ghost small swap" aria-label="Swap the batters" data-testid="swap"
                        on:click=move |_| { let s = striker.get_untracked(); striker.set(non_striker.get_untracked()); non_striker.set(s); }>"⇄"</button>
                    {move || select("Non-striker", non_striker, side(false), "non-striker")}
                </div>
                {move || select("Bowler", bowler, side(true), "bowler")}
                <div class="segmented extras" role="group" aria-label="Extras">
                    {EXTRAS.into_iter().map(|(e, label)| view! {
                        <button type="button" aria-pressed=move || (extra.get() == e).to_string() on:click=move |_| extra.set(e)>{label}</button>
                    }).collect_view()}
                </div>
                <details class="wicket-entry" prop:open=move || !out_kind.get().is_empty()>
                    <summary>"Wicket"</summary>
                    <label class="field">
                        <span>"How"</span>
                        <select on:change=move |ev| out_kind.set(event_target_value(&ev)) prop:value=move || out_kind.get() data-testid="out-kind">
                            <option value="">"Not out"</option>
                            {DISMISSALS.into_iter().map(|k| view! { <option value=k>{k}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>"Who is out"</span>
                        <select on:change=move |ev| out_who.set(event_target_value(&ev)) prop:value=move || out_who.get()>
                            <option value="striker">"The striker"</option>
                            <option value="non_striker">"The non-striker"</option>
                        </select>
                    </label>
                    {move || select("Fielder", fielder, side(true), "fielder")}
                </details>
                <label class="field">
                    <span>"Your words (optional)"</span>
                    <input type="text" maxlength="280" placeholder="driven through the covers" prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev)) data-testid="note" />
                </label>
                <div class="runs-pad" role="group" aria-label="Runs: tap to record the ball">
                    {[0u32, 1, 2, 3, 4, 6].into_iter().map(|r| view! {
                        <button type="button" class="button primary run" disabled=move || busy.get() data-testid=format!("runs-{r}")
                            on:click=move |_| record(r)>{r.to_string()}</button>
                    }).collect_view()}
                </div>
            </section>
        </Show>
        <section class="panel row scorer-actions">
            <button type="button" class="button ghost" disabled=move || busy.get() on:click=undo data-testid="undo">"Undo the last event"</button>
            {first_class.then(|| view! {
                <button type="button" class="button ghost" disabled=move || busy.get() data-testid="declare"
                    on:click=move |_| send_event(json!({ "type": "declare" }))>"Declare"</button>
            })}
        </section>
        <Show when=move || !finished.get()>
            <Finish teams=teams.get_value() first_class send_event busy />
        </Show>
        {creator.then(|| view! { <Invite id=id.get_value() /> })}
    }
}

#[component]
fn StartInnings(
    teams: Vec<String>,
    send_event: impl Fn(Value) + Copy + Send + Sync + 'static,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let team = RwSignal::new(teams.first().cloned().unwrap_or_default());
    let super_over = RwSignal::new(false);
    view! {
        <section class="panel" aria-labelledby="start-title">
            <h2 id="start-title">"Start an innings"</h2>
            <label class="field">
                <span>"Batting"</span>
                <select on:change=move |ev| team.set(event_target_value(&ev)) prop:value=move || team.get() data-testid="start-team">
                    {teams.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class="check small">
                <input type="checkbox" prop:checked=move || super_over.get() on:change=move |ev| super_over.set(event_target_checked(&ev)) />
                " A super over"
            </label>
            <button type="button" class="button primary" disabled=move || busy.get() data-testid="start-innings"
                on:click=move |_| send_event(json!({ "type": "start_innings", "team": team.get_untracked(), "super_over": super_over.get_untracked() }))>
                "Start"
            </button>
        </section>
    }
}

#[component]
fn Finish(
    teams: Vec<String>,
    first_class: bool,
    send_event: impl Fn(Value) + Copy + Send + Sync + 'static,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let choice = RwSignal::new(String::new());
    let mut options: Vec<(String, String)> = vec![(String::new(), "As the score says".into())];
    options.extend(teams.iter().map(|t| (format!("winner:{t}"), format!("{t} won"))));
    if first_class {
        options.push(("result:draw".into(), "Drawn".into()));
    }
    options.push(("result:tie".into(), "Tied".into()));
    options.push(("result:no result".into(), "No result".into()));
    let finish = move |_| {
        let picked = choice.get_untracked();
        let event = match picked.split_once(':') {
            Some(("winner", team)) => json!({ "type": "finish", "outcome": { "winner": team } }),
            Some(("result", result)) => json!({ "type": "finish", "outcome": { "result": result } }),
            _ => json!({ "type": "finish" }),
        };
        send_event(event);
    };
    view! {
        <details class="panel">
            <summary>"End the match"</summary>
            <label class="field">
                <span>"Result"</span>
                <select on:change=move |ev| choice.set(event_target_value(&ev)) prop:value=move || choice.get() data-testid="finish-result">
                    {options.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                </select>
            </label>
            <button type="button" class="button danger" disabled=move || busy.get() on:click=finish data-testid="finish">"End the match"</button>
        </details>
    }
}

#[component]
fn Invite(id: String) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let said = RwSignal::new(None::<String>);
    let id = StoredValue::new(id);
    let invite = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = username.get_untracked();
        spawn_local(async move {
            said.set(Some(match api::add_scorer(&id.get_value(), &name).await {
                Ok(all) => format!("Scorers now: {}", all.join(", ")),
                Err(e) => e.message,
            }));
        });
    };
    view! {
        <details class="panel">
            <summary>"Invite a scorer"</summary>
            <form class="row" on:submit=invite>
                <input type="text" aria-label="Their username" placeholder="username" prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev)) />
                <button type="submit" class="button">"Invite"</button>
            </form>
            {move || said.get().map(|s| view! { <p class="small muted" role="status">{s}</p> })}
        </details>
    }
}

/// `/cricket/score/new`: a match to score here, ball by ball: its sides and format; the console
/// opens when it is made.
#[component]
pub fn NewMatchPage() -> impl IntoView {
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
                Ok(view) => navigate(&format!("/cricket/score/{}", view.summary.id), Default::default()),
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
        <div class="stack wide cricket scorer">
            <p><a href="/cricket" rel="external">"← Matches"</a></p>
            <h1 class="match-title">"Score a match"</h1>
            <form class="panel stack" on:submit=create>
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
        </div>
    }
}
