//! `/poker/odds`: the odds calculator. Two to nine Hold'em or Omaha hands, a board of up to five
//! cards and any dead cards; each hand's exact equity over every way the board can come
//! (`shared::poker::equity`, the code the table runs for an all-in). The inputs live in the
//! address (`?game=nlhe&hands=AsAh,KdKc&board=…&dead=…`), so a spot is shared as a link.

use crate::run_out::percent;
use app_ui::{components::PageHead, format::count, nav::query};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::poker::{
    cards::{parse_cards, Card},
    equity::{equities, Equities},
    Variant,
};

/// Hands the calculator takes at most (a full ring).
const MOST_HANDS: usize = 9;

/// What was asked, as the form and the address hold it.
#[derive(Clone, Debug, PartialEq)]
struct Spot {
    game: Variant,
    hands: Vec<String>,
    board: String,
    dead: String,
}

impl Spot {
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Spot {
        let game = if get("game").as_deref() == Some("plo") { Variant::Plo } else { Variant::Nlhe };
        let mut hands: Vec<String> = get("hands")
            .map(|h| h.split(',').map(str::to_owned).take(MOST_HANDS).collect())
            .unwrap_or_default();
        hands.resize(hands.len().max(2), String::new());
        Spot { game, hands, board: get("board").unwrap_or_default(), dead: get("dead").unwrap_or_default() }
    }

    fn to_query(&self) -> String {
        let game = if self.game == Variant::Plo { "plo" } else { "nlhe" };
        query(&[
            ("game", game),
            ("hands", &self.hands.join(",")),
            ("board", &self.board),
            ("dead", &self.dead),
        ])
    }

    /// Each hand's equity, or what is wrong with the spot, named for the person who typed it.
    fn work_out(&self) -> Result<Equities, String> {
        let read = |what: &str, text: &str| parse_cards(text).map_err(|e| format!("{what}: {e}"));
        let hands: Vec<Vec<Card>> = self
            .hands
            .iter()
            .enumerate()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(i, text)| read(&format!("Hand {}", i + 1), text))
            .collect::<Result<_, _>>()?;
        let board = read("Board", &self.board)?;
        let dead = read("Dead cards", &self.dead)?;
        if !matches!(board.len(), 0 | 3 | 4 | 5) {
            return Err("A board is empty, a flop (3 cards), a turn (4) or a river (5).".into());
        }
        if self.game == Variant::Plo && board.len() < 3 {
            return Err("Omaha is worked out from the flop: before it, the count runs to over a hundred million hands, too many for a page.".into());
        }
        equities(self.game, &hands, &board, &dead).map_err(|e| {
            let text = e.to_string();
            text[..1].to_uppercase() + &text[1..] + "."
        })
    }
}

#[component]
pub fn OddsPage() -> impl IntoView {
    let query_map = use_query_map();
    let navigate = use_navigate();
    let asked = Memo::new(move |_| query_map.with(|q| Spot::from_query(|name| q.get(name))));
    let form = RwSignal::new(asked.get_untracked());
    // Only a filled-in spot from the address is worked out on arrival.
    let answer = Memo::new(move |_| {
        let spot = asked.get();
        spot.hands.iter().any(|h| !h.is_empty()).then(|| (spot.clone(), spot.work_out()))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        navigate(&format!("/poker/odds?{}", form.get_untracked().to_query()), Default::default());
    };
    let hand_cards = move || {
        if form.with(|f| f.game) == Variant::Plo {
            "4 cards, e.g. AsAhKdQd"
        } else {
            "2 cards, e.g. AsKd"
        }
    };
    view! {
        <div class="stack wide poker">
            <p><a href="/poker" rel="external">"← Poker tables"</a></p>
            <PageHead path="/poker/odds" />
            {move || answer.get().map(|(spot, result)| match result {
                Ok(e) => {
                    let shown: Vec<String> = spot.hands.iter().filter(|h| !h.trim().is_empty()).cloned().collect();
                    view! {
                        <section class="panel" aria-live="polite">
                            <table class="odds-result" data-testid="odds">
                                <thead><tr><th scope="col">"Hand"</th><th scope="col">"Equity"</th></tr></thead>
                                <tbody>
                                    {shown.into_iter().zip(e.shares).map(|(hand, share)| view! {
                                        <tr><td class="cards">{hand}</td><td data-share=format!("{share:.6}")>{percent(share)}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <p class="muted">{format!("Every way the board can come: {} boards, ties split.", count(e.boards))}</p>
                        </section>
                    }.into_any()
                }
                Err(why) => view! { <p class="form-error" role="alert" data-testid="odds-error">{why}</p> }.into_any(),
            })}
            <form class="panel odds" on:submit=submit>
                <div class="row">
                    <label for="odds-game">"Game"</label>
                    <select id="odds-game" prop:value=move || if form.with(|f| f.game) == Variant::Plo { "plo" } else { "nlhe" }
                        on:change=move |ev| form.update(|f| f.game = if event_target_value(&ev) == "plo" { Variant::Plo } else { Variant::Nlhe })>
                        <option value="nlhe">"Texas Hold'em"</option>
                        <option value="plo">"Omaha"</option>
                    </select>
                </div>
                <For each=move || 0..form.with(|f| f.hands.len()) key=|i| *i let:i>
                    <div class="field">
                        <label for=format!("odds-hand-{i}")>{format!("Hand {}", i + 1)}</label>
                        <input id=format!("odds-hand-{i}") autocomplete="off" spellcheck="false" placeholder=hand_cards
                            prop:value=move || form.with(|f| f.hands.get(i).cloned().unwrap_or_default())
                            on:input=move |ev| form.update(|f| if let Some(h) = f.hands.get_mut(i) { *h = event_target_value(&ev) }) />
                    </div>
                </For>
                <button type="button" class="button ghost" disabled=move || form.with(|f| f.hands.len() >= MOST_HANDS)
                    on:click=move |_| form.update(|f| f.hands.push(String::new()))>"Add a hand"</button>
                <div class="field">
                    <label for="odds-board">"Board"</label>
                    <input id="odds-board" autocomplete="off" spellcheck="false" placeholder="none, a flop, turn or river: Qs7h2c"
                        prop:value=move || form.with(|f| f.board.clone())
                        on:input=move |ev| form.update(|f| f.board = event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="odds-dead">"Dead cards"</label>
                    <input id="odds-dead" autocomplete="off" spellcheck="false" placeholder="cards known to be out: folded, exposed"
                        prop:value=move || form.with(|f| f.dead.clone())
                        on:input=move |ev| form.update(|f| f.dead = event_target_value(&ev)) />
                </div>
                <button type="submit" class="button primary">"Work out the odds"</button>
            </form>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spot(game: Variant, hands: &[&str], board: &str) -> Spot {
        Spot {
            game,
            hands: hands.iter().map(|h| h.to_string()).collect(),
            board: board.into(),
            dead: String::new(),
        }
    }

    #[test]
    fn bad_spots_are_named() {
        assert!(spot(Variant::Nlhe, &["AsAh", "AsKd"], "").work_out().unwrap_err().contains("given twice"));
        assert!(spot(Variant::Nlhe, &["AsAh", "KdKc"], "2c3d").work_out().unwrap_err().contains("a flop"));
        assert!(spot(Variant::Nlhe, &["AsAh", "Xx"], "").work_out().unwrap_err().starts_with("Hand 2"));
        assert!(spot(Variant::Plo, &["AsAhKdQd", "7c8c9dTd"], "")
            .work_out()
            .unwrap_err()
            .contains("from the flop"));
        let e = spot(Variant::Nlhe, &["AsAh", "", "KdKc"], "2c7d9h").work_out().unwrap();
        assert_eq!(e.shares.len(), 2, "an empty row is not a hand");
    }
}
