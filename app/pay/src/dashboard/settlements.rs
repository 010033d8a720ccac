//! Settlements (what was paid out to the merchant's bank, T+2 days after capture) and the
//! reconciliation report of a UTC day or month: every captured payment and refund once, with
//! fees, tax and the settlement that paid it, on screen or as CSV.

use crate::{api, dashboard::section::SectionHead};
use app_ui::{
    components::{Load, StatusBadge},
    format,
};
use leptos::prelude::*;
use shared::{pay::settlement::ReconRow, time::Timestamp};

/// Whether a reconciliation period is a whole day (`2026-11-29`) or month (`2026-11`).
pub fn valid_period(period: &str, by_month: bool) -> bool {
    let parts: Vec<&str> = period.split('-').collect();
    let numeric = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    match (by_month, parts.as_slice()) {
        (true, [y, m]) => numeric(y, 4) && numeric(m, 2),
        (false, [y, m, d]) => numeric(y, 4) && numeric(m, 2) && numeric(d, 2),
        _ => false,
    }
}

#[component]
pub fn Settlements() -> impl IntoView {
    let settlements = LocalResource::new(api::settlements);
    let busy = RwSignal::new(false);
    let refresh = Callback::new(move |_| settlements.refetch());
    view! {
        <section class="panel pay-section" aria-labelledby="settlements-heading">
            <SectionHead id="settlements-heading" title="Settlements" busy refresh />
            <p class="muted small">"Captured payments, less fees and refunds, are paid out to your bank two days after capture."</p>
            <Load loading="Loading settlements…" retry=refresh pending=busy>
                {move || settlements.get().map(|answer| answer.map(|list| if list.items.is_empty() {
                    view! {
                        <p class="pay-none">"No settlements yet. Your first comes two days after your first capture."</p>
                    }.into_any()
                } else {
                    view! { <SettlementTable items=list.items /> }.into_any()
                }))}
            </Load>
        </section>
        <Reconciliation />
    }
}

#[component]
fn SettlementTable(items: Vec<api::Settlement>) -> impl IntoView {
    view! {
        <table class="pay-table stack-on-phone" data-testid="settlements">
            <thead><tr>
                <th scope="col">"Settlement"</th>
                <th scope="col" class="num">"Amount"</th>
                <th scope="col" class="num">"Fees"</th>
                <th scope="col">"UTR"</th>
                <th scope="col">"Status"</th>
                <th scope="col">"Created"</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|s| view! {
                    <tr>
                        <td data-label="Settlement"><code>{s.id.clone()}</code></td>
                        <td data-label="Amount" class="num"><strong>{format::money(s.amount, &s.currency)}</strong></td>
                        <td data-label="Fees" class="num">{format::money(s.fees, &s.currency)}
                            <span class="sub muted">{format!("incl. {} tax", format::money(s.tax, &s.currency))}</span></td>
                        <td data-label="UTR"><code>{s.utr.clone()}</code></td>
                        <td data-label="Status"><StatusBadge status=s.status.clone() /></td>
                        <td data-label="Created">{format::date_time(s.created_at * 1000)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Reconciliation() -> impl IntoView {
    let today = Timestamp(js_sys::Date::now() as i64).to_rfc3339()[..10].to_owned();
    let by_month = RwSignal::new(false);
    let day = RwSignal::new(today.clone());
    let month = RwSignal::new(today[..7].to_owned());
    let period = move || if by_month.get() { month.get() } else { day.get() };
    let valid = move || valid_period(&period(), by_month.get());
    // The period last asked for; the report is of it (the inputs may have moved on since).
    let asked = RwSignal::new(None::<String>);
    let report = LocalResource::new(move || {
        let period = asked.get().unwrap_or_default();
        async move { api::reconciliation(&period).await.map(|rows| (rows.items, period)) }
    });
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !valid() {
            return;
        }
        let period = Some(period());
        if asked.get_untracked() == period {
            report.refetch();
        } else {
            asked.set(period);
        }
    };
    view! {
        <section class="panel pay-section" aria-labelledby="recon-heading">
            <h2 id="recon-heading">"Reconciliation"</h2>
            <p class="muted small">"Every captured payment and refund of a UTC day or month, with its fee, tax and settlement."</p>
            <form class="pay-recon-form" novalidate on:submit=on_submit>
                <div class="segmented" role="radiogroup" aria-label="Period">
                    <label><input type="radio" name="recon-kind" prop:checked=move || !by_month.get()
                        on:change=move |_| by_month.set(false) />"Day"</label>
                    <label><input type="radio" name="recon-kind" prop:checked=by_month
                        on:change=move |_| by_month.set(true) />"Month"</label>
                </div>
                <div class="field">
                    <Show when=move || by_month.get() fallback=move || view! {
                        <label for="recon-day">"Day (UTC)"</label>
                        <input id="recon-day" type="date" prop:value=day on:input=move |ev| day.set(event_target_value(&ev)) />
                    }>
                        <label for="recon-month">"Month (UTC)"</label>
                        <input id="recon-month" type="month" placeholder="2026-11" prop:value=month
                            on:input=move |ev| month.set(event_target_value(&ev)) />
                    </Show>
                </div>
                <div class="pay-recon-actions">
                    <button type="submit" class="button primary" disabled=move || !valid()>"Show report"</button>
                    <a class="button ghost" download data-testid="recon-csv"
                        href=move || if valid() { api::reconciliation_csv_url(&period()) } else { "#".to_owned() }
                        aria-disabled=move || (!valid()).to_string()>"Download CSV"</a>
                </div>
            </form>
            <div class:stale=busy aria-busy=move || busy.get().to_string()>
                <Show when=move || asked.with(Option::is_some)>
                    <Load loading="Loading the report…" retry=Callback::new(move |_| report.refetch()) pending=busy>
                        {move || report.get().map(|answer| answer.map(|(rows, period)| view! { <ReconTable rows period /> }))}
                    </Load>
                </Show>
            </div>
        </section>
    }
}

#[component]
fn ReconTable(rows: Vec<ReconRow>, period: String) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="pay-none" data-testid="recon-empty">{format!("Nothing captured or refunded in {period}.")}</p> }.into_any();
    }
    let currency = rows[0].currency.clone();
    let credit: i64 = rows.iter().map(|r| r.credit).sum();
    let debit: i64 = rows.iter().map(|r| r.debit).sum();
    let fees: i64 = rows.iter().map(|r| r.fee).sum();
    view! {
        <dl class="pay-figures period small" data-testid="recon-totals">
            <div><dt>"Credits"</dt><dd>{format::money(credit, &currency)}</dd></div>
            <div><dt>"Refunds"</dt><dd>{format::money(debit, &currency)}</dd></div>
            <div><dt>"Fees"</dt><dd>{format::money(fees, &currency)}</dd></div>
            <div><dt>"Net"</dt><dd>{format::money(credit - debit - fees, &currency)}</dd></div>
        </dl>
        <table class="pay-table stack-on-phone" data-testid="recon-rows">
            <caption class="visually-hidden">{format!("Reconciliation of {period}")}</caption>
            <thead><tr>
                <th scope="col">"Entity"</th>
                <th scope="col" class="num">"Credit"</th>
                <th scope="col" class="num">"Debit"</th>
                <th scope="col" class="num">"Fee"</th>
                <th scope="col">"Method"</th>
                <th scope="col">"Settled"</th>
                <th scope="col">"When"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr data-entity=r.entity_id.clone()>
                        <td data-label="Entity"><span class="status neutral">{r.kind.clone()}</span>" "<code>{r.entity_id.clone()}</code>
                            {r.order_receipt.clone().map(|receipt| view! { <span class="sub muted">{format!("receipt {receipt}")}</span> })}</td>
                        <td data-label="Credit" class="num">{(r.credit != 0).then(|| format::money(r.credit, &r.currency))}</td>
                        <td data-label="Debit" class="num">{(r.debit != 0).then(|| format::money(r.debit, &r.currency))}</td>
                        <td data-label="Fee" class="num">{format::money(r.fee, &r.currency)}</td>
                        <td data-label="Method">{[r.method.clone(), r.card_network.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</td>
                        <td data-label="Settled">
                            {if r.settled {
                                view! { <span>{r.settled_at.map(|t| format::date(t * 1000)).unwrap_or_else(|| "yes".into())}</span>
                                    {r.settlement_utr.clone().map(|utr| view! { <span class="sub muted">{format!("UTR {utr}")}</span> })} }.into_any()
                            } else {
                                view! { <span class="muted">{if r.on_hold { "on hold" } else { "not yet" }}</span> }.into_any()
                            }}
                        </td>
                        <td data-label="When">{format::date_time(r.created_at * 1000)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
