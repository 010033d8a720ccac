//! `/poker`: the lobby. Your play chips, the public tables and sit-and-gos (filtered by game,
//! format and free seats) with their stakes, players and average pot or prize pool, and making
//! a table (public, or private with an invite link; cash, or a sit-and-go).

use crate::{
    api,
    rupees::{amount, inr, read},
};
use app_ui::format::count;
use app_ui::{
    components::{on_answer, FormError, FormErrors, Load, PageHead},
    session::use_session,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use shared::poker::{
    lobby::TableView,
    money::Chips,
    sit_and_go::{NewSitAndGo, Stage},
    table::NewTable,
    Variant,
};

#[component]
pub fn LobbyPage() -> impl IntoView {
    let session = use_session();
    view! {
        <div class="stack wide poker">
            <PageHead path="/poker" />
            <Show
                when=move || session.user.get().is_some()
                fallback=move || session.checked.get().then(|| view! {
                    <p class="panel muted" data-testid="poker-signed-out">
                        <a href="/signin?next=/poker" rel="external">"Sign in"</a>
                        " to play Hold'em, Omaha and Stud with play chips, dealt so that you can check every shuffle. "
                        <a href="/poker/odds" rel="external">"The odds calculator"</a>" needs no account."
                    </p>
                })
            >
                <Lobby />
            </Show>
        </div>
    }
}

#[component]
fn Lobby() -> impl IntoView {
    let session = use_session();
    let game = RwSignal::new(String::new());
    let format = RwSignal::new(String::new());
    let free = RwSignal::new(false);
    let wallet = LocalResource::new(api::wallet);
    let tables = LocalResource::new(move || {
        let (game, format, free) = (game.get(), format.get(), free.get());
        async move { api::tables(&game, &format, free).await }
    });
    let making = RwSignal::new(false);
    view! {
        <section class="panel">
            <div class="row spread">
                <h2>"Tables"</h2>
                <Load loading="…" retry=Callback::new(move |_| wallet.refetch())>
                    {move || wallet.get().map(|w| w.map(|w| view! {
                        <p class="chips" data-testid="wallet">{format!("{} play chips", count(w.play_chips))}
                            {(w.at_tables > 0).then(|| format!(" · {} at tables", count(w.at_tables)))}
                            {format!(" · {}", inr(w.inr_paise + w.inr_at_tables))}
                            " " <a href="/poker/wallet" rel="external">"Cashier"</a></p>
                    }))}
                </Load>
            </div>
            <div class="row">
                <label for="game">"Game"</label>
                <select id="game" on:change=move |ev| game.set(event_target_value(&ev))>
                    <option value="">"All games"</option>
                    <option value="nlhe">"No-limit Hold'em"</option>
                    <option value="plo">"Pot-limit Omaha"</option>
                    <option value="stud">"Seven-card Stud"</option>
                </select>
                <select aria-label="Format" on:change=move |ev| format.set(event_target_value(&ev))>
                    <option value="">"Cash and sit & go"</option>
                    <option value="cash">"Cash tables"</option>
                    <option value="sng">"Sit & go"</option>
                </select>
                <label><input type="checkbox" on:change=move |ev| free.set(event_target_checked(&ev)) />" Free seats only"</label>
                <button type="button" class="button primary" on:click=move |_| making.set(!making.get_untracked())>"New table"</button>
                {move || session.user.get().map(|me| view! {
                    <a href=format!("/poker/players/{}", me.username) rel="external">"Your statistics"</a>
                })}
                <a href="/poker/odds" rel="external">"Odds calculator"</a>
            </div>
            <Show when=move || making.get()>
                <NewTableForm />
            </Show>
            <Load loading="Loading tables…" retry=Callback::new(move |_| tables.refetch())>
                {move || tables.get().map(|list| list.map(|list| view! { <TableList tables=list.items /> }))}
            </Load>
        </section>
    }
}

/// A table's stakes as the lobby lists them: chips, or rupees at a rupee cash table (a
/// sit-and-go's stakes are in tournament chips).
pub fn stakes_label(t: &TableView) -> String {
    match (t.chips, t.game) {
        (Chips::Play, _) => t.stakes.clone(),
        _ if t.sit_and_go.is_some() => t.stakes.clone(),
        (Chips::Inr, Variant::Stud) => format!("{}/{}", inr(t.small_bet), inr(t.big_bet)),
        (Chips::Inr, _) => format!("{}/{}", inr(t.small_blind), inr(t.big_blind)),
    }
}

#[component]
fn TableList(tables: Vec<TableView>) -> impl IntoView {
    if tables.is_empty() {
        return view! { <p class="muted" data-testid="no-tables">"No table yet: make one."</p> }.into_any();
    }
    view! {
        <table class="tables" data-testid="tables">
            <thead><tr>
                <th scope="col">"Table"</th><th scope="col">"Game"</th><th scope="col">"Stakes"</th>
                <th scope="col" class="num">"Players"</th><th scope="col" class="num">"Avg pot · prizes"</th>
            </tr></thead>
            <tbody>
                {tables.into_iter().map(|t| {
                    let stakes = stakes_label(&t);
                    let sng = t.sit_and_go.as_ref().map(|s| (stage_name(s.stage), amount(t.chips, s.prize_pool)));
                    let pot = match &sng {
                        Some((_, pool)) => pool.clone(),
                        None => t.average_pot.map(|pot| amount(t.chips, pot)).unwrap_or_else(|| "–".into()),
                    };
                    view! {
                    <tr>
                        <td><A href=format!("/poker/tables/{}", t.id)>{t.name.clone()}</A>
                            {sng.map(|(stage, _)| view! { " " <span class="badge">{format!("Sit & go · {stage}")}</span> })}</td>
                        <td>{match t.game { Variant::Nlhe => "NLHE", Variant::Plo => "PLO", Variant::Stud => "Stud" }}</td>
                        <td>{stakes}</td>
                        <td class="num">{format!("{}/{}", t.players, t.seats)}</td>
                        <td class="num">{pot}</td>
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A sit-and-go's stage as people say it.
pub fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Registering => "registering",
        Stage::Running => "playing",
        Stage::Finished => "finished",
    }
}

/// The new-table form's fields and what they start at (50/100 Hold'em, Stud 25/100/200; a
/// sit-and-go of 1,000 for 3,000 chips, 5-minute levels).
const FIELDS: [&str; 14] = [
    "name",
    "small_blind",
    "big_blind",
    "ante",
    "bring_in",
    "small_bet",
    "big_bet",
    "min_buy_in",
    "max_buy_in",
    "seats",
    "clock_secs",
    "sit_and_go.entry",
    "sit_and_go.starting_chips",
    "sit_and_go.level_minutes",
];
const DEFAULTS: [&str; 14] =
    ["", "50", "100", "0", "25", "100", "200", "4000", "20000", "6", "30", "1000", "3000", "5"];

#[component]
fn NewTableForm() -> impl IntoView {
    let navigate = use_navigate();
    let game = RwSignal::new("nlhe".to_owned());
    let errors = FormErrors::new(&FIELDS);
    let values: [RwSignal<String>; 14] = DEFAULTS.map(|v| RwSignal::new(v.to_owned()));
    let value = move |name: &str| values[FIELDS.iter().position(|f| *f == name).unwrap_or(0)];
    let private = RwSignal::new(false);
    let tournament = RwSignal::new(false);
    let chips = RwSignal::new(Chips::Play);
    let create = Action::new_unsync(|table: &NewTable| {
        let table = table.clone();
        async move { api::create(&table).await }
    });
    on_answer(
        create,
        move |table: TableView| navigate(&format!("/poker/tables/{}", table.id), Default::default()),
        move |err| errors.show(err),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let stud = game.get_untracked() == "stud";
        let kind = chips.get_untracked();
        // Stakes and buy-ins are typed in rupees at a rupee table, sent in paise.
        let money = |name: &str| read(kind, &value(name).get_untracked());
        let pick = |name: &str, used: bool| if used { money(name) } else { 0 };
        let name = value("name").get_untracked();
        let sng = tournament.get_untracked();
        let whole = |name: &str| read(Chips::Play, &value(name).get_untracked());
        create.dispatch(NewTable {
            game: match game.get_untracked().as_str() {
                "plo" => Variant::Plo,
                "stud" => Variant::Stud,
                _ => Variant::Nlhe,
            },
            name: Some(name).filter(|n| !n.trim().is_empty()),
            small_blind: pick("small_blind", !stud),
            big_blind: pick("big_blind", !stud),
            ante: money("ante"),
            bring_in: pick("bring_in", stud),
            small_bet: pick("small_bet", stud),
            big_bet: pick("big_bet", stud),
            min_buy_in: pick("min_buy_in", !sng),
            max_buy_in: pick("max_buy_in", !sng),
            seats: u8::try_from(read(Chips::Play, &value("seats").get_untracked())).unwrap_or(0),
            clock_secs: u32::try_from(read(Chips::Play, &value("clock_secs").get_untracked())).ok(),
            time_bank_secs: None,
            private: private.get_untracked(),
            chips: kind,
            sit_and_go: sng.then(|| NewSitAndGo {
                entry: money("sit_and_go.entry"),
                starting_chips: whole("sit_and_go.starting_chips"),
                level_minutes: u32::try_from(whole("sit_and_go.level_minutes")).ok(),
            }),
        });
    };
    let input = move |name: &'static str, label: &'static str| {
        let v = value(name);
        view! {
            <div class="field">
                <label for=name>{label}</label>
                <input id=name name=name inputmode="numeric" prop:value=move || v.get() on:input=move |ev| v.set(event_target_value(&ev)) />
                {move || errors.field(name).get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            </div>
        }
    };
    let name_value = value("name");
    view! {
        <form class="stack new-table" on:submit=submit novalidate data-testid="new-table">
            <FormError errors />
            <div class="field-row">
                <div class="field">
                    <label for="new-game">"Game"</label>
                    <select id="new-game" on:change=move |ev| game.set(event_target_value(&ev))>
                        <option value="nlhe">"No-limit Hold'em"</option>
                        <option value="plo">"Pot-limit Omaha"</option>
                        <option value="stud">"Seven-card Stud"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="new-chips">"Chips"</label>
                    <select id="new-chips" on:change=move |ev| chips.set(if event_target_value(&ev) == "inr" { Chips::Inr } else { Chips::Play })>
                        <option value="play">"Play chips"</option>
                        <option value="inr">"Rupees (real money; stakes in ₹)"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="new-format">"Format"</label>
                    <select id="new-format" on:change=move |ev| tournament.set(event_target_value(&ev) == "sng")>
                        <option value="cash">"Cash table"</option>
                        <option value="sng">"Sit & go (starts when full)"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="name">"Name (optional)"</label>
                    <input id="name" name="name" maxlength="60" prop:value=move || name_value.get() on:input=move |ev| name_value.set(event_target_value(&ev)) />
                </div>
            </div>
            {move || if game.get() == "stud" {
                view! { <div class="field-row">{input("ante", "Ante")}{input("bring_in", "Bring-in")}{input("small_bet", "Small bet")}{input("big_bet", "Big bet")}</div> }.into_any()
            } else {
                view! { <div class="field-row">{input("small_blind", "Small blind")}{input("big_blind", "Big blind")}{input("ante", "Ante")}</div> }.into_any()
            }}
            {move || if tournament.get() {
                view! { <div class="field-row">{input("sit_and_go.entry", "Entry")}{input("sit_and_go.starting_chips", "Starting chips")}{input("sit_and_go.level_minutes", "Minutes per level")}</div> }.into_any()
            } else {
                view! { <div class="field-row">{input("min_buy_in", "Smallest buy-in")}{input("max_buy_in", "Largest buy-in")}</div> }.into_any()
            }}
            <div class="field-row">{input("seats", "Seats")}{input("clock_secs", "Seconds to act")}</div>
            <label><input type="checkbox" on:change=move |ev| private.set(event_target_checked(&ev)) />" Private (not listed; invite by link)"</label>
            <button type="submit" class="button primary" disabled=move || create.pending().get()>"Make the table"</button>
        </form>
    }
}
