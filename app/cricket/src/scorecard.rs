//! One innings as a scorecard prints it: the batting (how out, R, B, 4s, 6s, SR), extras, the
//! total, who did not bat, the fall of wickets, and the bowling (O, M, R, W, Econ, Wd, NB); players
//! link to their careers.

use leptos::prelude::*;
use shared::cricket::scorecard::{InningsCard, OverSummary, Partnership};
use std::collections::BTreeMap;

fn figure(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "–".into())
}

/// A player's name, linked to their page when their id is known.
fn player(name: &str, ids: &BTreeMap<String, String>) -> AnyView {
    match ids.get(name) {
        Some(id) => view! { <a href=format!("/cricket/players/{id}")>{name.to_owned()}</a> }.into_any(),
        None => view! { <span>{name.to_owned()}</span> }.into_any(),
    }
}

/// "207/4 (20 ov)", "172 all out (19.4 ov)".
pub fn total_text(i: &InningsCard) -> String {
    let wickets = if i.all_out { " all out".to_owned() } else { format!("/{}", i.wickets) };
    let declared = if i.declared { " declared" } else { "" };
    format!("{}{wickets}{declared} ({} ov)", i.runs, i.overs)
}

#[component]
pub fn InningsCardView(innings: InningsCard, ids: BTreeMap<String, String>) -> impl IntoView {
    let e = innings.extras;
    let total = total_text(&innings);
    let extras_detail =
        format!("b {}, lb {}, w {}, nb {}, p {}", e.byes, e.legbyes, e.wides, e.noballs, e.penalty);
    let rate = innings.run_rate.map(|r| format!(" · RR {r:.2}")).unwrap_or_default();
    let fall = innings
        .fall_of_wickets
        .iter()
        .map(|f| format!("{}-{} ({}, {} ov)", f.wicket, f.runs, f.player, f.over))
        .collect::<Vec<_>>()
        .join(", ");
    let ids_bat = ids.clone();
    let ids_bowl = ids.clone();
    view! {
        <div class="innings-card" data-testid=format!("innings-{}", innings.number)>
            <div class="table-scroll">
                <table class="card-table batting">
                    <thead><tr><th scope="col">"Batter"</th><th scope="col" class="how">""</th><th class="num">"R"</th><th class="num">"B"</th><th class="num">"4s"</th><th class="num">"6s"</th><th class="num">"SR"</th></tr></thead>
                    <tbody>
                        {innings.batting.into_iter().map(|b| view! {
                            <tr class=if b.out { "" } else { "not-out" }>
                                <th scope="row">{player(&b.name, &ids_bat)}</th>
                                <td class="how muted">{b.dismissal}</td>
                                <td class="num strong">{b.runs}</td>
                                <td class="num">{b.balls}</td>
                                <td class="num">{b.fours}</td>
                                <td class="num">{b.sixes}</td>
                                <td class="num">{figure(b.strike_rate)}</td>
                            </tr>
                        }).collect_view()}
                        <tr class="extras"><th scope="row">"Extras"</th><td class="how muted">{extras_detail}</td><td class="num strong">{e.total}</td><td colspan="4"></td></tr>
                        <tr class="total"><th scope="row">"Total"</th><td class="how">{format!("{total}{rate}")}</td><td class="num strong">{innings.runs}</td><td colspan="4"></td></tr>
                    </tbody>
                </table>
            </div>
            {(!innings.did_not_bat.is_empty()).then(|| view! { <p class="small"><strong>"Did not bat: "</strong>{innings.did_not_bat.join(", ")}</p> })}
            {(!fall.is_empty()).then(|| view! { <p class="small"><strong>"Fall of wickets: "</strong>{fall}</p> })}
            <div class="table-scroll">
                <table class="card-table bowling">
                    <thead><tr><th scope="col">"Bowler"</th><th class="num">"O"</th><th class="num">"M"</th><th class="num">"R"</th><th class="num">"W"</th><th class="num">"Econ"</th><th class="num">"Wd"</th><th class="num">"NB"</th></tr></thead>
                    <tbody>
                        {innings.bowling.into_iter().map(|b| view! {
                            <tr>
                                <th scope="row">{player(&b.name, &ids_bowl)}</th>
                                <td class="num">{b.overs}</td>
                                <td class="num">{b.maidens}</td>
                                <td class="num">{b.runs}</td>
                                <td class="num strong">{b.wickets}</td>
                                <td class="num">{figure(b.economy)}</td>
                                <td class="num">{b.wides}</td>
                                <td class="num">{b.noballs}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// An over's balls as chips: dots, runs, boundaries, extras and wickets told apart by colour.
#[component]
pub fn OverChips(over: OverSummary) -> impl IntoView {
    view! {
        <div class="over-chips" data-testid="this-over">
            <span class="muted small">{format!("Over {} · {}", over.number, over.bowler)}</span>
            {over.balls.into_iter().map(|chip| {
                let kind = if chip.starts_with('W') { "w" } else if chip == "4" || chip == "6" { "b" } else if chip.chars().any(|c| c.is_ascii_alphabetic()) { "x" } else { "r" };
                view! { <span class=format!("chip {kind}")>{chip}</span> }
            }).collect_view()}
            <span class="muted small">{format!("{} runs", over.runs)}</span>
        </div>
    }
}

/// Each stand of an innings: who, how many off how many balls, and each batter's share as a bar.
#[component]
pub fn Partnerships(list: Vec<Partnership>) -> impl IntoView {
    let most = list.iter().map(|p| p.runs).max().unwrap_or(1).max(1);
    view! {
        <ol class="stands">
            {list.into_iter().map(|p| {
                let share = |runs: u32| format!("{:.1}", 100.0 * f64::from(runs) / f64::from(most));
                view! {
                    <li>
                        <p class="small"><strong>{format!("{} wkt", p.wicket)}</strong>" "{format!("{} & {}", p.batters[0], p.batters[1])}
                            <span class="muted">{format!(" · {} ({} balls){}", p.runs, p.legal_balls, if p.unbroken { ", unbroken" } else { "" })}</span></p>
                        // SVG widths, not inline styles (the CSP allows none).
                        <svg class="stand-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true">
                            <rect class="a" x="0" y="0" height="4" width=share(p.contributions[0]) />
                            <rect class="b" x=share(p.contributions[0]) y="0" height="4" width=share(p.contributions[1]) />
                        </svg>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
