//! `/poker/players/:username`: a player's statistics (hands, VPIP, PFR, 3-bet, WTSD, W$SD, chips
//! won) and a graph of their chips won over time.

use crate::api;
use app_ui::components::Load;
use app_ui::format::count;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::{
    poker::profile::{NetPoint, PlayerProfile},
    ApiError,
};

/// A percentage to one decimal, without float formatting (which costs the bundle bytes).
fn pct(value: Option<f64>) -> String {
    match value {
        Some(v) => {
            let tenths = (v * 10.0).round() as i64;
            format!("{}.{}%", tenths / 10, tenths % 10)
        }
        None => "–".to_owned(),
    }
}

fn signed(n: i64) -> String {
    if n < 0 {
        format!("−{}", count(n.unsigned_abs()))
    } else {
        format!("+{}", count(n.unsigned_abs()))
    }
}

#[component]
pub fn PlayerPage() -> impl IntoView {
    let params = use_params_map();
    let username = move || params.read().get("username").unwrap_or_default();
    let profile = LocalResource::new(move || {
        let username = username();
        async move { api::player(&username).await }
    });
    let not_found = Callback::new(|(err, _): (ApiError, Callback<()>)| {
        view! { <h1>"Player not found"</h1><p class="form-error" role="alert">{err.message}</p> }.into_any()
    });
    view! {
        <div class="stack wide poker">
            <p><a href="/poker" rel="external">"← Lobby"</a></p>
            <section class="panel">
                <Load loading="Loading the statistics…" retry=Callback::new(move |_| profile.refetch()) failed=not_found>
                    {move || profile.get().map(|answer| answer.map(|p| view! { <Profile p /> }))}
                </Load>
            </section>
        </div>
    }
}

#[component]
fn Profile(p: PlayerProfile) -> impl IntoView {
    let figures = [
        ("Hands", count(p.hands)),
        ("VPIP", pct(p.vpip)),
        ("PFR", pct(p.pfr)),
        ("3-bet", pct(p.three_bet)),
        ("WTSD", pct(p.wtsd)),
        ("W$SD", pct(p.wsd)),
        ("Chips won", signed(p.net_chips)),
    ];
    view! {
        <h1>{p.username.clone()}</h1>
        <dl class="poker-figures" data-testid="stats">
            {figures.into_iter().map(|(name, value)| view! {
                <div><dt>{name}</dt><dd>{value}</dd></div>
            }).collect_view()}
        </dl>
        <p class="muted small">
            "VPIP: hands with money put in voluntarily before the flop (third street). PFR: raised there. "
            "3-bet: re-raised when they could. WTSD: went to showdown after seeing the flop. W$SD: won at showdown."
        </p>
        <h2>"Chips won over time"</h2>
        <NetGraph points=p.graph />
    }
}

/// The running chips won after each run of hands, as a line over a zero line.
#[component]
fn NetGraph(points: Vec<NetPoint>) -> impl IntoView {
    if points.is_empty() {
        return view! { <p class="muted" data-testid="no-hands">"No hands played yet."</p> }.into_any();
    }
    let (width, height, pad) = (600.0, 200.0, 10.0);
    let hands = points.last().map_or(1, |p| p.hands.max(1)) as f64;
    let high = points.iter().map(|p| p.net).max().unwrap_or(0).max(0) as f64;
    let low = points.iter().map(|p| p.net).min().unwrap_or(0).min(0) as f64;
    let span = (high - low).max(1.0);
    let y = |net: f64| pad + (high - net) / span * (height - 2.0 * pad);
    let x = |h: f64| pad + h / hands * (width - 2.0 * pad);
    let line: String = std::iter::once((0.0, 0.0))
        .chain(points.iter().map(|p| (p.hands as f64, p.net as f64)))
        .map(|(h, n)| format!("{},{}", x(h).round() as i64, y(n).round() as i64))
        .collect::<Vec<_>>()
        .join(" ");
    let last = points.last().map_or(0, |p| p.net);
    view! {
        <svg class="net-graph" viewBox=format!("0 0 {width} {height}") role="img" data-testid="graph"
             aria-label=format!("Chips won over {} hands: {}", count(hands as u64), signed(last))>
            <line class="zero" x1=pad x2=width - pad y1=y(0.0) y2=y(0.0) />
            <polyline class=if last < 0 { "net down" } else { "net up" } points=line />
        </svg>
    }
    .into_any()
}
