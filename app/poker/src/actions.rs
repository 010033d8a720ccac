//! The action bar of the player to act: fold, check or call, and a bet or raise with a slider and
//! presets (½ pot, pot, all in) kept within the legal sizes; Stud's bring-in.

use crate::live::Live;
use crate::rupees::amount as chips_amount;
use leptos::prelude::*;
use shared::poker::wire::{ClientFrame, Legal, Move, TableState};

/// The chips in the middle, bets of this street included.
fn pot(state: &TableState) -> u64 {
    state.pots.iter().sum::<u64>() + state.seats.iter().map(|s| s.bet).sum::<u64>()
}

/// A raise to `fraction` of the pot after calling, within the legal range.
fn pot_raise(state: &TableState, legal: &Legal, fraction: f64) -> u64 {
    let Some(range) = &legal.raise else { return 0 };
    let my_bet = state.you.and_then(|y| state.seats.iter().find(|s| s.seat == y)).map_or(0, |s| s.bet);
    let to_call = legal.call.unwrap_or(0);
    let after_call = pot(state) + to_call;
    let to = my_bet + to_call + (after_call as f64 * fraction) as u64;
    to.clamp(range.min, range.max)
}

fn verb(kind: Move) -> &'static str {
    match kind {
        Move::Bet => "Bet",
        Move::Complete => "Complete to",
        _ => "Raise to",
    }
}

#[component]
pub fn ActionBar(live: Live) -> impl IntoView {
    let amount = RwSignal::new(0u64);
    let mine =
        move || live.state.with(|s| s.as_ref().filter(|s| s.legal.is_some() && s.to_act == s.you).cloned());
    // A new turn starts the slider at the smallest raise.
    Effect::new(move |_| {
        if let Some(range) = mine().and_then(|s| s.legal).and_then(|l| l.raise) {
            amount.set(range.min);
        }
    });
    let act = move |action: Move, amount: Option<u64>| {
        if let Some(hand) = live.state.with_untracked(|s| s.as_ref().and_then(|s| s.hand)) {
            live.error.set(None);
            live.send(&ClientFrame::Act { hand, action, amount });
        }
    };
    view! {
        {move || mine().map(|state| {
            let chips = state.chips;
            let count = move |n: u64| chips_amount(chips, n);
            let legal = state.legal.clone().unwrap_or(Legal { fold: false, check: false, call: None, raise: None, bring_in: None });
            let raise = legal.raise.clone();
            let presets = raise.as_ref().filter(|r| r.max > r.min).map(|r| {
                let half = pot_raise(&state, &legal, 0.5);
                let full = pot_raise(&state, &legal, 1.0);
                let max = r.max;
                view! {
                    <div class="presets">
                        <button type="button" class="button ghost small" on:click=move |_| amount.set(half)>"½ pot"</button>
                        <button type="button" class="button ghost small" on:click=move |_| amount.set(full)>"Pot"</button>
                        <button type="button" class="button ghost small" on:click=move |_| amount.set(max)>"All in"</button>
                    </div>
                }
            });
            view! {
                <div class="action-bar" role="group" aria-label="Your action" data-testid="actions">
                    {legal.fold.then(|| view! {
                        <button type="button" class="button" on:click=move |_| act(Move::Fold, None)>"Fold"</button>
                    })}
                    {legal.check.then(|| view! {
                        <button type="button" class="button" on:click=move |_| act(Move::Check, None)>"Check"</button>
                    })}
                    {legal.call.map(|c| view! {
                        <button type="button" class="button" on:click=move |_| act(Move::Call, None)>{format!("Call {}", count(c))}</button>
                    })}
                    {legal.bring_in.map(|b| view! {
                        <button type="button" class="button" on:click=move |_| act(Move::BringIn, None)>{format!("Bring in {}", count(b))}</button>
                    })}
                    {raise.map(|r| {
                        let (kind, min, max) = (r.kind, r.min, r.max);
                        view! {
                            <div class="raise">
                                {(max > min).then(|| view! {
                                    <input type="range" aria-label="Amount" min=min max=max step=1
                                        prop:value=move || amount.get().to_string()
                                        on:input=move |ev| amount.set(event_target_value(&ev).parse().unwrap_or(min).clamp(min, max)) />
                                    <input type="number" class="amount" aria-label="Amount to" min=min max=max
                                        prop:value=move || amount.get().to_string()
                                        on:change=move |ev| amount.set(event_target_value(&ev).parse().unwrap_or(min).clamp(min, max)) />
                                })}
                                <button type="button" class="button primary"
                                    on:click=move |_| act(kind, Some(amount.get_untracked().clamp(min, max)))>
                                    {move || format!("{} {}", verb(kind), count(amount.get().clamp(min, max)))}
                                </button>
                            </div>
                        }
                    })}
                    {presets}
                </div>
            }
        })}
    }
}
