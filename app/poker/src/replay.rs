//! `/poker/hands/:id`: a played hand replayed in the browser. The deck is rebuilt from the
//! revealed seed and the players' entropy (and checked against the commitment), the engine
//! replays the moves one by one, and the table is drawn at each step with every card face up
//! (once the seed is out, every card of the hand is known). Downloads as PHH and PokerStars text.

use crate::{
    api,
    felt::Felt,
    run_out::{self, RunOut},
};
use app_ui::components::Load;
use app_ui::format::count;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use shared::{
    poker::{
        game::{Action, Game},
        play::{side_pots, street_name},
        shuffle::{verify_shuffle, ShuffleInputs},
        wire::{from_hex, HandEnded, HandView, SeatState, TableState},
    },
    ApiError,
};

/// One step of the replay: the table, and what just happened.
#[derive(Clone)]
struct Step {
    state: TableState,
    caption: String,
    run_out: Option<RunOut>,
}

/// "Preflop", "Flop", … or "Third street", … for Stud.
fn street_title(game: &Game) -> String {
    let variant = game.config().variant;
    let name = street_name(variant, game.street());
    let mut title = name[..1].to_uppercase() + &name[1..];
    if variant == shared::poker::Variant::Stud {
        title += " street";
    }
    title
}

/// The table as the replay draws it after `game`'s moves so far: every card face up.
fn snapshot(game: &Game, ended: &HandEnded, table: &str, seats_total: u8) -> TableState {
    let n = game.players();
    let seats = (0..n)
        .map(|p| {
            let player = &ended.players[p];
            SeatState {
                seat: player.seat,
                username: player.username.clone(),
                stack: game.stacks()[p],
                bet: if game.is_over() { 0 } else { game.bets()[p] },
                in_hand: true,
                folded: game.has_folded(p),
                all_in: !game.has_folded(p) && game.stacks()[p] == 0 && !game.is_over(),
                sitting_out: false,
                leaving: false,
                cards: game.hole_cards(p).iter().copied().map(Some).collect(),
                time_bank_ms: 0,
            }
        })
        .collect();
    let collected: Vec<u64> = (0..n).map(|p| game.committed()[p] - game.bets()[p]).collect();
    let live: Vec<bool> = (0..n).map(|p| !game.has_folded(p)).collect();
    TableState {
        tournament: None,
        table: table.to_owned(),
        name: String::new(),
        game: game.config().variant,
        stakes: *game.config(),
        seats_total,
        seats,
        you: None,
        hand: Some(ended.hand),
        hand_id: Some(ended.hand_id.clone()),
        street: None,
        button: None,
        board: game.board().to_vec(),
        pots: if game.is_over() { Vec::new() } else { side_pots(&collected, &live) },
        to_act: game.to_act().map(|p| ended.players[p].seat),
        clock: None,
        legal: None,
        next_hand: ended.hand + 1,
        next_commitment: String::new(),
        last_hand: None,
        // The hand's page does not say; amounts are drawn as chips.
        chips: Default::default(),
        now_ms: 0,
    }
}

fn describe(game: &Game, ended: &HandEnded, player: usize, action: Action) -> String {
    let who = &ended.players[player].username;
    let what = match action {
        Action::Fold => "folds".to_owned(),
        Action::Check => "checks".to_owned(),
        Action::Call | Action::CheckCall => "calls".to_owned(),
        Action::BringIn => "brings in".to_owned(),
        Action::BetRaiseTo(to) if game.current_bet() == 0 => format!("bets {}", count(to)),
        Action::BetRaiseTo(to) => format!("raises to {}", count(to)),
    };
    format!("{}: {who} {what}", street_title(game))
}

/// The steps of an all-in run-out, from the last action's: the chips still in the middle, the
/// board a street at a time, and each hand's equity on it.
fn run_out_steps(last: &Step, ended: &HandEnded, streets: Vec<RunOut>) -> Vec<Step> {
    let mut all_in = last.state.clone();
    for seat in &mut all_in.seats {
        let won: u64 = ended.winners.iter().filter(|w| w.seat == seat.seat).map(|w| w.amount).sum();
        seat.stack -= won.min(seat.stack);
        seat.all_in = !seat.folded && seat.stack == 0;
    }
    all_in.pots = ended.pots.clone();
    streets
        .into_iter()
        .enumerate()
        .map(|(i, street)| {
            let mut state = all_in.clone();
            state.board.truncate(street.board_len);
            let odds = run_out::summary(ended, &street);
            let caption = match (i, odds.is_empty()) {
                (0, true) => format!("{} — all in", last.caption),
                (0, false) => format!("{} — all in: {odds}", last.caption),
                _ => {
                    let name = street_name(ended.stakes.variant, street.board_len.saturating_sub(2));
                    format!("{}{}: {odds}", name[..1].to_uppercase(), &name[1..])
                }
            };
            Step { state, caption, run_out: Some(street) }
        })
        .collect()
}

/// Every step of the hand, or why it cannot be replayed here.
fn steps(view: &HandView) -> Result<Vec<Step>, String> {
    let ended = &view.result;
    let bytes32 = |hex: &str| from_hex(hex).and_then(|b| <[u8; 32]>::try_from(b).ok());
    let (Some(commitment), Some(seed)) = (bytes32(&ended.commitment), bytes32(&ended.seed)) else {
        return Err("the seed or commitment is unreadable".into());
    };
    let player_entropy = ended
        .entropy
        .iter()
        .map(|e| from_hex(&e.hex).map(|b| (e.seat, b)))
        .collect::<Option<Vec<_>>>()
        .ok_or("the entropy is unreadable")?;
    let inputs = ShuffleInputs { hand_number: ended.hand, player_entropy };
    let deck = verify_shuffle(&commitment, &seed, &inputs).map_err(|e| e.to_string())?;
    let stacks = ended.players.iter().map(|p| p.starting_stack).collect();
    let mut game = Game::new(ended.stakes, stacks, deck).map_err(|e| e.to_string())?;
    let seats_total = ended.players.iter().map(|p| p.seat).max().unwrap_or(2).max(2);
    let mut out = vec![Step {
        state: snapshot(&game, ended, &view.table_id, seats_total),
        caption: "The deal: blinds, antes and hole cards".into(),
        run_out: None,
    }];
    for m in &ended.moves {
        let caption = describe(&game, ended, m.player, m.action);
        game.act(m.player, m.action).map_err(|e| e.to_string())?;
        out.push(Step { state: snapshot(&game, ended, &view.table_id, seats_total), caption, run_out: None });
    }
    let streets = run_out::streets(ended);
    if !streets.is_empty() {
        if let Some(last) = out.pop() {
            out.extend(run_out_steps(&last, ended, streets));
            out.push(Step { caption: "River".into(), ..last });
        }
    }
    let result = ended
        .winners
        .iter()
        .map(|w| match &w.hand {
            Some(hand) => format!("{} wins {} with {}", w.username, count(w.amount), hand.to_lowercase()),
            None => format!("{} wins {}", w.username, count(w.amount)),
        })
        .collect::<Vec<_>>()
        .join(" · ");
    if let Some(last) = out.last_mut() {
        last.caption = format!("{} — {result}", last.caption);
    }
    Ok(out)
}

#[component]
pub fn ReplayPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let hand = LocalResource::new(move || {
        let id = id();
        async move { api::hand(&id).await }
    });
    let not_found = Callback::new(|(err, _): (ApiError, Callback<()>)| {
        view! { <h1>"Hand not found"</h1><p class="form-error" role="alert">{err.message}</p> }.into_any()
    });
    view! {
        <div class="stack wide poker">
            <p><A href="/poker">"← Lobby"</A></p>
            <Load loading="Loading the hand…" retry=Callback::new(move |_| hand.refetch()) failed=not_found>
                {move || hand.get().map(|answer| answer.map(|view| view! { <Replay view /> }))}
            </Load>
        </div>
    }
}

#[component]
fn Replay(view: HandView) -> impl IntoView {
    let steps = match steps(&view) {
        Ok(steps) => steps,
        Err(why) => {
            return view! { <p class="form-error" role="alert" data-testid="replay-error">{format!("This hand cannot be replayed: {why}")}</p> }
                .into_any()
        }
    };
    let last = steps.len() - 1;
    let at = RwSignal::new(0usize);
    let steps = StoredValue::new(steps);
    let state = Signal::derive(move || steps.with_value(|s| s.get(at.get()).map(|s| s.state.clone())));
    let run_out =
        Signal::derive(move || steps.with_value(|s| s.get(at.get()).and_then(|s| s.run_out.clone())));
    let caption =
        move || steps.with_value(|s| s.get(at.get()).map(|s| s.caption.clone()).unwrap_or_default());
    let id = view.id.clone();
    view! {
        <header class="table-head">
            <div>
                <h1>{format!("Hand #{} at {}", view.number, view.table_name)}</h1>
                <p class="muted">{format!("Seed {}… (committed before the deal, verified here)", &view.result.seed[..16])}</p>
            </div>
            <p class="row">
                <a href=format!("/api/poker/hands/{id}?format=phh") rel="external" download="">"PHH"</a>
                <a href=format!("/api/poker/hands/{id}?format=pokerstars") rel="external" download="">"PokerStars text"</a>
            </p>
        </header>
        <Felt state tall=Signal::derive(crate::table::narrow) run_out />
        <p class="caption" data-testid="caption" aria-live="polite">{caption}</p>
        <div class="row" role="group" aria-label="Replay">
            <button type="button" class="button ghost" on:click=move |_| at.set(0) disabled=move || at.get() == 0>"⏮ Start"</button>
            <button type="button" class="button" on:click=move |_| at.update(|n| *n = n.saturating_sub(1)) disabled=move || at.get() == 0>"◀ Back"</button>
            <span data-testid="step">{move || format!("{} / {}", at.get(), last)}</span>
            <button type="button" class="button primary" on:click=move |_| at.update(|n| *n = (*n + 1).min(last)) disabled=move || at.get() == last>"Next ▶"</button>
            <button type="button" class="button ghost" on:click=move |_| at.set(last) disabled=move || at.get() == last>"End ⏭"</button>
        </div>
    }
    .into_any()
}
