//! `/poker/admin`: the collusion signals for the tables' admins (its own bundle, `poker-admin`):
//! accounts seen at one table from one address, pairs who play nearly all their hands together,
//! chips that flow one way between two players, and pairs who bet into everyone but each other.
//! A name narrows every list to that player.

use crate::{api, rupees::amount};
use app_ui::components::{Load, PageHead};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::{poker::signals::CollusionSignals, ApiError};

#[component]
pub fn AdminPage() -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let player = Memo::new(move |_| query.with(|q| q.get("player").unwrap_or_default()));
    let signals = LocalResource::new(move || {
        let player = player.get();
        async move { api::signals(&player).await }
    });
    let typed = RwSignal::new(player.get_untracked());
    let forbidden = Callback::new(|(err, _): (ApiError, Callback<()>)| {
        view! { <p class="form-error" role="alert" data-testid="signals-error">{err.message}</p> }.into_any()
    });
    let narrow = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = typed.get_untracked();
        let path = if name.trim().is_empty() {
            "/poker/admin".to_owned()
        } else {
            format!("/poker/admin?player={}", app_ui::nav::encode(name.trim()))
        };
        navigate(&path, Default::default());
    };
    view! {
        <div class="stack wide poker">
            <p><a href="/poker" rel="external">"← Poker tables"</a></p>
            <PageHead path="/poker/admin" />
            <form class="row" on:submit=narrow role="search">
                <label for="signals-player">"Player"</label>
                <input id="signals-player" placeholder="every player" autocomplete="off"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                <button type="submit" class="button">"Show"</button>
            </form>
            <Load loading="Loading the signals…" retry=Callback::new(move |_| signals.refetch()) failed=forbidden>
                {move || signals.get().map(|answer| answer.map(|s| view! { <Signals signals=s /> }))}
            </Load>
        </div>
    }
}

#[component]
fn Signals(signals: CollusionSignals) -> impl IntoView {
    let none = |what: &'static str| view! { <p class="muted">{what}</p> };
    view! {
        <section class="panel" aria-labelledby="shared-title">
            <h2 id="shared-title">"One address, two accounts"</h2>
            {if signals.shared_connections.is_empty() { none("No two accounts seen at one table from one address.").into_any() } else { view! {
                <table class="tables" data-testid="shared-connections">
                    <thead><tr><th scope="col">"Table"</th><th scope="col">"Players"</th><th scope="col">"Shared"</th><th scope="col">"Last seen"</th></tr></thead>
                    <tbody>{signals.shared_connections.into_iter().map(|c| view! {
                        <tr>
                            <td><a href=format!("/poker/tables/{}", c.table_id) rel="external">{c.table_name}</a></td>
                            <td>{c.players.join(" & ")}</td>
                            <td>{c.shared}</td>
                            <td>{app_ui::format::date_time(js_sys::Date::parse(&c.seen_at) as i64)}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any() }}
        </section>
        <section class="panel" aria-labelledby="pairs-title">
            <h2 id="pairs-title">"Always together"</h2>
            {if signals.frequent_pairs.is_empty() { none("No pair plays most of its hands together.").into_any() } else { view! {
                <table class="tables" data-testid="frequent-pairs">
                    <thead><tr><th scope="col">"Players"</th><th scope="col" class="num">"Hands together"</th><th scope="col" class="num">"Of the fewer"</th></tr></thead>
                    <tbody>{signals.frequent_pairs.into_iter().map(|p| view! {
                        <tr>
                            <td>{p.players.join(" & ")}</td>
                            <td class="num">{app_ui::format::count(p.hands_together)}</td>
                            <td class="num">{format!("{:.0}%", p.share * 100.0)}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any() }}
        </section>
        <section class="panel" aria-labelledby="flows-title">
            <h2 id="flows-title">"Chips one way"</h2>
            {if signals.chip_flows.is_empty() { none("No chips flow one way between two players.").into_any() } else { view! {
                <table class="tables" data-testid="chip-flows">
                    <thead><tr><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col" class="num">"Net"</th><th scope="col" class="num">"Big blinds"</th><th scope="col" class="num">"Hands"</th></tr></thead>
                    <tbody>{signals.chip_flows.into_iter().map(|f| view! {
                        <tr>
                            <td>{f.from}</td>
                            <td>{f.to}</td>
                            <td class="num">{amount(f.chips, f.amount)}</td>
                            <td class="num">{format!("{:.1}", f.big_blinds)}</td>
                            <td class="num">{app_ui::format::count(f.hands)}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any() }}
        </section>
        <section class="panel" aria-labelledby="soft-title">
            <h2 id="soft-title">"Soft play"</h2>
            {if signals.soft_play.is_empty() { none("No pair checks down with each other while betting into others.").into_any() } else { view! {
                <table class="tables" data-testid="soft-play">
                    <thead><tr><th scope="col">"Players"</th><th scope="col" class="num">"Heads-up rounds"</th><th scope="col" class="num">"Bets into each other"</th><th scope="col" class="num">"Bets into others"</th></tr></thead>
                    <tbody>{signals.soft_play.into_iter().map(|p| {
                        let rates = |rates: &[f64]| rates.iter().map(|r| format!("{:.0}%", r * 100.0)).collect::<Vec<_>>().join(" / ");
                        view! {
                            <tr>
                                <td>{p.players.join(" & ")}</td>
                                <td class="num">{app_ui::format::count(p.rounds_together)}</td>
                                <td class="num">{rates(&p.bet_rates_together)}</td>
                                <td class="num">{rates(&p.bet_rates_against_others)}</td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any() }}
        </section>
    }
}
