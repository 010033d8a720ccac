//! `/poker/tables/:id`: one table, live. The drawn table, your action bar, sitting down (a
//! buy-in within the table's range), sitting out and leaving, the hand log with each finished
//! hand's shuffle checked in this browser, and the table's chat.

use crate::{
    actions::ActionBar,
    api,
    felt::Felt,
    live::{connect, Live},
    lobby::stakes_label,
    rupees::{amount, inr, read, typed},
    tournament::TournamentPanel,
};
use app_ui::components::{on_answer, CopyButton, FormError, FormErrors, Load, Modal};
use app_ui::format::count;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use shared::{
    poker::{
        lobby::TableView,
        money::Chips,
        seat::{SeatChange, TakeSeat},
        sit_and_go::Stage,
        wire::{ClientFrame, EMOTES},
    },
    ApiError,
};

/// A narrow screen (a phone held upright) gets a tall table.
pub fn narrow() -> bool {
    web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|w| w.as_f64()).is_some_and(|w| w < 640.0)
}

#[component]
pub fn TablePage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    let info = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::table(&id).await }
        }
    });
    let live = Live::new(id);
    connect(live, 0);
    on_cleanup(move || live.close());
    let not_found = Callback::new(|(err, _): (ApiError, Callback<()>)| {
        view! { <h1>"Table not found"</h1><p class="form-error" role="alert">{err.message}</p> }.into_any()
    });
    view! {
        <div class="stack wide poker">
            <p><A href="/poker">"← Lobby"</A></p>
            <Load loading="Opening the table…" retry=Callback::new(move |_| info.refetch()) failed=not_found>
                {move || info.get().map(|answer| answer.map(|table| view! { <Table table live /> }))}
            </Load>
        </div>
    }
}

#[component]
fn Table(table: TableView, live: Live) -> impl IntoView {
    let tall = RwSignal::new(narrow());
    let sit_at = RwSignal::new(None::<u8>);
    let seated = move || live.state.with(|s| s.as_ref().and_then(|s| s.you));
    let sitting_out = move || {
        live.state.with(|s| {
            s.as_ref()
                .and_then(|s| s.seats.iter().find(|x| Some(x.seat) == s.you))
                .is_some_and(|x| x.sitting_out)
        })
    };
    let leave = Action::new_unsync({
        let id = table.id.clone();
        move |_: &()| {
            let id = id.clone();
            async move { api::leave(&id).await }
        }
    });
    on_answer(leave, |_| {}, move |err: ApiError| live.error.set(Some(err.message)));
    let rules = table.clone();
    // A sit-and-go is left only before it starts (unregistering gives the entry back).
    let stage = move || live.state.with(|s| s.as_ref().and_then(|s| s.tournament.as_ref().map(|t| t.stage)));
    let terms = match &table.sit_and_go {
        Some(sng) => format!(
            "Sit & go · entry {} · {} chips · {}-minute levels",
            amount(table.chips, sng.entry),
            count(sng.starting_chips),
            sng.level_minutes
        ),
        None => format!(
            "buy-in {}–{}",
            amount(table.chips, table.min_buy_in),
            amount(table.chips, table.max_buy_in)
        ),
    };
    view! {
        <header class="table-head">
            <div>
                <h1>{table.name.clone()}</h1>
                <p class="muted">{format!("{} · {} · {terms} · {} s to act", game_name(&table), stakes_label(&table), table.clock_secs)}</p>
            </div>
            {table.invite_url.clone().map(|url| view! {
                <p class="key-row">"Invite: " <a href=url.clone()>{url.clone()}</a> <CopyButton text=url /></p>
            })}
            <span class="badge" data-testid="link">{move || if live.connected.get() { "Live" } else { "Connecting…" }}</span>
        </header>
        <Felt state=live.state tall run_out=live.run_out on_sit=Callback::new(move |n| sit_at.set(Some(n))) />
        {move || live.error.get().map(|message| view! {
            <p class="form-error" role="alert" data-testid="table-error">{message}</p>
        })}
        <TournamentPanel live />
        <ActionBar live />
        <div class="seat-controls">
            {move || seated().map(|_| view! {
                {move || if sitting_out() {
                    view! { <button type="button" class="button" on:click=move |_| { live.send(&ClientFrame::SitIn); }>"I'm back"</button> }.into_any()
                } else {
                    view! { <button type="button" class="button ghost" on:click=move |_| { live.send(&ClientFrame::SitOut); }>"Sit out next hand"</button> }.into_any()
                }}
                {move || live.state.with(|s| s.as_ref().is_some_and(|s| s.hand.is_none() && s.last_hand.is_some())).then(|| view! {
                    <button type="button" class="button ghost" on:click=move |_| { live.send(&ClientFrame::Show); }>"Show my cards"</button>
                })}
                {move || (stage() != Some(Stage::Running)).then(|| view! {
                    <button type="button" class="button ghost" disabled=move || leave.pending().get()
                        on:click=move |_| { leave.dispatch(()); }>{if stage().is_some() { "Unregister" } else { "Leave table" }}</button>
                })}
            })}
            {move || live.check.get().map(|check| {
                let replay = view! { <A href=format!("/poker/hands/{}", check.hand_id)>"Replay"</A> };
                match check.outcome {
                    Ok(()) => view! {
                        <p class="verified" data-testid="verified" title=format!("Seed matches commitment {}", check.commitment)>
                            {format!("✓ Hand #{}: shuffle verified in your browser", check.hand)}
                        </p>
                        {replay}
                    }.into_any(),
                    Err(why) => view! {
                        <p class="form-error" role="alert" data-testid="not-verified">{format!("✗ Hand #{} did not verify: {why}", check.hand)}</p>
                        {replay}
                    }.into_any(),
                }
            })}
        </div>
        <div class="table-panels">
            <section class="panel log" aria-label="Hand log">
                <h2>"Hands"</h2>
                <ol data-testid="log">{move || live.log.get().into_iter().rev().take(30).map(|line| view! { <li>{line}</li> }).collect_view()}</ol>
            </section>
            <Chat live />
        </div>
        {move || sit_at.get().map(|seat| view! { <SitDialog table=rules.clone() seat on_close=Callback::new(move |_| sit_at.set(None)) /> })}
    }
}

fn game_name(table: &TableView) -> &'static str {
    match table.game {
        shared::poker::Variant::Nlhe => "No-limit Hold'em",
        shared::poker::Variant::Plo => "Pot-limit Omaha",
        shared::poker::Variant::Stud => "Seven-card Stud",
    }
}

#[component]
fn SitDialog(table: TableView, seat: u8, on_close: Callback<()>) -> impl IntoView {
    let default = table.max_buy_in.min(table.min_buy_in.max(100 * table.big_blind.max(table.big_bet)));
    let chips = table.chips;
    let buy_in = RwSignal::new(typed(chips, default));
    let errors = FormErrors::new(&["buy_in", "seat"]);
    let sit = Action::new_unsync({
        let id = table.id.clone();
        move |asked: &TakeSeat| {
            let (id, asked) = (id.clone(), asked.clone());
            async move { api::sit(&id, &asked).await }
        }
    });
    on_answer(sit, move |_: SeatChange| on_close.run(()), move |err| errors.show(err));
    let (min, max) = (table.min_buy_in, table.max_buy_in);
    // A sit-and-go's buy-in is its entry: nothing to choose.
    let entry = table.sit_and_go.is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let buy_in = if entry { min } else { read(chips, &buy_in.get_untracked()) };
        sit.dispatch(TakeSeat { seat, buy_in });
    };
    view! {
        <Modal labelledby="sit-title" on_close return_to=format!("sit-{seat}")>
            <form on:submit=submit novalidate class="stack">
                <h2 id="sit-title">{format!("Sit at seat {seat}")}</h2>
                <FormError errors />
                {if entry {
                    view! { <p>{format!("Register for {}: it starts when every seat is taken, and you can unregister until then.", amount(chips, min))}</p> }.into_any()
                } else {
                    view! {
                        <label for="buy_in">{match chips {
                            Chips::Play => format!("Buy in ({}–{} play chips)", count(min), count(max)),
                            Chips::Inr => format!("Buy in ({}–{} from your wallet)", inr(min), inr(max)),
                        }}</label>
                        <input id="buy_in" name="buy_in" inputmode="decimal" autocomplete="off"
                            prop:value=move || buy_in.get() on:input=move |ev| buy_in.set(event_target_value(&ev)) />
                    }.into_any()
                }}
                {move || errors.field("buy_in").get().map(|m| view! { <p class="field-error">{m}</p> })}
                <div class="row">
                    <button type="submit" class="button primary" disabled=move || sit.pending().get()>{if entry { "Register" } else { "Sit down" }}</button>
                    <button type="button" class="button ghost" on:click=move |_| on_close.run(())>"Cancel"</button>
                </div>
            </form>
        </Modal>
    }
}

#[component]
fn Chat(live: Live) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let muted = RwSignal::new(Vec::<String>::new());
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let line = text.get_untracked();
        if !line.trim().is_empty() && live.send(&ClientFrame::Chat { text: Some(line), emote: None }) {
            text.set(String::new());
        }
    };
    view! {
        <section class="panel chat" aria-label="Table chat">
            <h2>"Chat"</h2>
            <ol class="lines" data-testid="chat">
                {move || {
                    let hidden = muted.get();
                    live.chat.get().into_iter().filter(|l| !hidden.contains(&l.username)).map(|line| {
                        let who = line.username.clone();
                        view! {
                            <li>
                                <button type="button" class="link small" title="Mute" on:click=move |_| muted.update(|m| m.push(who.clone()))>
                                    {line.username.clone()}
                                </button>
                                ": " {line.text.clone().or(line.emote.clone()).unwrap_or_default()}
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            <form class="row" on:submit=send>
                <input aria-label="Message" maxlength="200" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
                <button type="submit" class="button small">"Send"</button>
            </form>
            <div class="emotes">
                {EMOTES.iter().map(|emote| view! {
                    <button type="button" class="button ghost small" aria-label=format!("Send {emote}")
                        on:click=move |_| { live.send(&ClientFrame::Chat { text: None, emote: Some((*emote).to_owned()) }); }>{*emote}</button>
                }).collect_view()}
            </div>
        </section>
    }
}
