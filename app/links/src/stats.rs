//! `/links/:code`: one link's clicks — totals, clicks per day as a chart, and where they came from.

use crate::{api, chart::ClicksChart};
use app_ui::components::{Load, PeriodPicker};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use shared::{
    links::stats::{Breakdown, UtcOffset},
    ApiError,
};

/// The browser's offset from UTC, as the stats API wants it (`+05:30`).
fn browser_tz() -> String {
    let minutes_west = js_sys::Date::new_0().get_timezone_offset() as i32;
    UtcOffset(-minutes_west).label()
}

#[component]
fn BreakdownTable(title: &'static str, rows: Vec<Breakdown>) -> impl IntoView {
    let total: u64 = rows.iter().map(|r| r.clicks).sum::<u64>().max(1);
    view! {
        <section class="breakdown">
            <h3>{title}</h3>
            {if rows.is_empty() {
                view! { <p class="muted">"No clicks yet."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr><th scope="col">{title}</th><th scope="col" class="num">"Clicks"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let share = r.clicks * 100 / total;
                                let name = if r.key.is_empty() { "Direct or unknown".to_owned() } else { r.key };
                                view! { <tr><td>{name}</td><td class="num">{format!("{} ({share}%)", r.clicks)}</td></tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn LinkStatsPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let days = RwSignal::new(30i64);
    let link = LocalResource::new(move || {
        let code = code();
        async move { api::get(&code).await }
    });
    let stats = LocalResource::new(move || {
        let (code, days) = (code(), days.get());
        async move { api::stats(&code, days, &browser_tz()).await }
    });
    let not_found = Callback::new(|(err, _): (ApiError, Callback<()>)| {
        view! { <h1>"Link not found"</h1><p class="form-error" role="alert">{err.message}</p> }.into_any()
    });
    view! {
        <div class="stack wide">
            <p><A href="/links">"← Your links"</A></p>
            <section class="panel">
                <Load loading="Loading…" retry=Callback::new(move |_| link.refetch()) failed=not_found>
                    {move || link.get().map(|answer| answer.map(|link| view! {
                        <h1><code>{link.code.clone()}</code></h1>
                        <p class="destination">"→ " <a href=link.url.clone()>{link.url.clone()}</a></p>
                    }))}
                </Load>
                <PeriodPicker days choices=&[7, 30, 90, 365] />
                <Load loading="Loading…" retry=Callback::new(move |_| stats.refetch())>
                    {move || stats.get().map(|answer| answer.map(|stats| view! {
                            <dl class="totals" data-testid="totals">
                                <div><dt>"Clicks"</dt><dd>{stats.clicks}</dd></div>
                                <div><dt>"Unique visitors"</dt><dd>{stats.unique_visitors}</dd></div>
                                <div><dt>"Bots and previews"</dt><dd>{stats.bot_clicks}</dd></div>
                            </dl>
                            <ClicksChart days=stats.by_day.clone() />
                            <p class="muted small">{format!("Days in UTC{}.", stats.tz)}</p>
                            <div class="breakdowns">
                                <BreakdownTable title="Referrers" rows=stats.referrers.clone() />
                                <BreakdownTable title="Countries" rows=stats.countries.clone() />
                                <BreakdownTable title="Devices" rows=stats.devices.clone() />
                                <BreakdownTable title="Browsers" rows=stats.browsers.clone() />
                                <BreakdownTable title="Operating systems" rows=stats.operating_systems.clone() />
                            </div>
                    }))}
                </Load>
            </section>
        </div>
    }
}
