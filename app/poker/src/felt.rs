//! The table drawn in SVG: the felt, each seat (name, stack, cards, bet, the dealer button, the
//! action clock draining under the player to act), the board and the pots in the middle, and the
//! last hand's result between hands. The viewer sits at the bottom; a narrow screen gets a tall
//! table. Cards slide in with a short animation that `prefers-reduced-motion` turns off (style).

use crate::{
    run_out::{percent, RunOut},
    rupees::amount,
};
use leptos::prelude::*;
use shared::poker::{
    cards::Card,
    sit_and_go::Stage,
    wire::{HandEnded, SeatState, TableState},
};

/// The drawing's size and the ellipses of the felt and of the seats.
#[derive(Clone, Copy)]
struct Shape {
    width: f64,
    height: f64,
    felt: (f64, f64),
    seats: (f64, f64),
}

const WIDE: Shape = Shape { width: 1000.0, height: 640.0, felt: (400.0, 215.0), seats: (430.0, 255.0) };
const TALL: Shape = Shape { width: 600.0, height: 900.0, felt: (220.0, 320.0), seats: (235.0, 360.0) };

impl Shape {
    fn center(&self) -> (f64, f64) {
        (self.width / 2.0, self.height / 2.0 - 10.0)
    }

    /// Where display position `i` of `n` sits (0 at the bottom, then clockwise).
    fn seat(&self, i: usize, n: usize) -> (f64, f64) {
        let angle = std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
        let (cx, cy) = self.center();
        (cx + self.seats.0 * angle.cos(), cy + self.seats.1 * angle.sin())
    }

    /// A point `t` of the way from a seat to the middle.
    fn toward_middle(&self, (x, y): (f64, f64), t: f64) -> (f64, f64) {
        let (cx, cy) = self.center();
        (x + (cx - x) * t, y + (cy - y) * t)
    }
}

fn suit_symbol(card: Card) -> (&'static str, &'static str) {
    match card.suit().to_char() {
        'h' => ("♥", "red"),
        'd' => ("♦", "red"),
        'c' => ("♣", "black"),
        _ => ("♠", "black"),
    }
}

fn rank_text(card: Card) -> String {
    match card.rank().to_char() {
        'T' => "10".to_owned(),
        r => r.to_string(),
    }
}

/// The words for a card ("Q♥"), as screen readers and the tests read it.
pub fn card_label(card: Card) -> String {
    format!("{}{}", rank_text(card), suit_symbol(card).0)
}

/// One card, face up or (none) face down, centred at (x, y); a `fresh` one (just dealt) slides in.
fn card_view(card: Option<Card>, x: f64, y: f64, scale: f64, fresh: bool) -> impl IntoView {
    let fresh = if fresh { " fresh" } else { "" };
    let (w, h) = (40.0 * scale, 56.0 * scale);
    let transform = format!("translate({:.1} {:.1})", x - w / 2.0, y - h / 2.0);
    match card {
        Some(card) => {
            let (symbol, colour) = suit_symbol(card);
            view! {
                <g class=format!("card up {colour}{fresh}") transform=transform data-card=card.to_string()
                   role="img" aria-label=card_label(card)>
                    <rect width=w height=h rx=5 />
                    <text x=6.0 * scale y=18.0 * scale font-size=16.0 * scale>{rank_text(card)}</text>
                    <text x=w / 2.0 y=h - 10.0 * scale font-size=24.0 * scale text-anchor="middle">{symbol}</text>
                </g>
            }
            .into_any()
        }
        None => view! {
            <g class=format!("card down{fresh}") transform=transform role="img" aria-label="a card face down">
                <rect width=w height=h rx=5 />
                <rect x=4 y=4 width=w - 8.0 height=h - 8.0 rx=3 class="back" />
            </g>
        }
        .into_any(),
    }
}

/// A hand's cards centred at (x, y), overlapping more as there are more of them.
fn cards_row(cards: Vec<Option<Card>>, x: f64, y: f64, scale: f64, fresh_from: usize) -> impl IntoView {
    let n = cards.len().max(1) as f64;
    let step = if n > 4.0 {
        20.0
    } else if n > 2.0 {
        26.0
    } else {
        34.0
    } * scale;
    spread(cards, x, y, scale, step, fresh_from)
}

/// The board: five card places side by side.
fn board_row(cards: Vec<Option<Card>>, x: f64, y: f64, scale: f64, fresh_from: usize) -> impl IntoView {
    spread(cards, x, y, scale, 46.0 * scale, fresh_from)
}

fn spread(
    cards: Vec<Option<Card>>,
    x: f64,
    y: f64,
    scale: f64,
    step: f64,
    fresh_from: usize,
) -> impl IntoView {
    let n = cards.len().max(1) as f64;
    let start = x - step * (n - 1.0) / 2.0;
    cards
        .into_iter()
        .enumerate()
        .map(|(i, c)| card_view(c, start + step * i as f64, y, scale, i >= fresh_from))
        .collect_view()
}

/// How many cards each seat and the board showed when the table was last drawn: the table is
/// drawn afresh for every state, and only the cards beyond these are new (and slide in).
#[derive(Clone, Default)]
struct Dealt {
    hand: Option<u64>,
    seats: Vec<(u8, usize)>,
    board: usize,
    /// The hand and board length of the run-out street drawn, if one was.
    run_out: Option<(u64, usize)>,
}

impl Dealt {
    fn of(s: &TableState, run_out: Option<&RunOut>) -> Dealt {
        Dealt {
            hand: s.hand,
            seats: s.seats.iter().map(|x| (x.seat, x.cards.len())).collect(),
            board: s.board.len(),
            run_out: run_out.map(|r| (r.hand, r.board_len)),
        }
    }

    /// The first new card of `seat` (or of the board) since `self` was drawn.
    fn seat_from(&self, now: &TableState, seat: u8) -> usize {
        if self.hand != now.hand || now.hand.is_none() {
            return 0;
        }
        self.seats.iter().find(|(s, _)| *s == seat).map_or(0, |(_, n)| *n)
    }

    fn board_from(&self, now: &TableState) -> usize {
        if self.hand != now.hand || now.hand.is_none() {
            0
        } else {
            self.board
        }
    }
}

/// A name that fits on a seat's plate.
fn short_name(name: &str) -> String {
    if name.chars().count() <= 13 {
        name.to_owned()
    } else {
        format!("{}…", name.chars().take(12).collect::<String>())
    }
}

/// What to draw of a seat between hands: the cards shown in the last hand.
fn shown_cards(last: Option<&HandEnded>, seat: u8) -> Vec<Option<Card>> {
    last.and_then(|l| l.shown.iter().find(|s| s.seat == seat))
        .map(|s| s.cards.iter().copied().map(Some).collect())
        .unwrap_or_default()
}

#[component]
pub fn Felt(
    #[prop(into)] state: Signal<Option<TableState>>,
    #[prop(into)] tall: Signal<bool>,
    /// Offered empty seats (the viewer has none): clicking one asks to sit there. Without it
    /// (the replayer) empty seats are not drawn.
    #[prop(optional)]
    on_sit: Option<Callback<u8>>,
    /// An all-in run-out's street on show: the board up to it and each hand's equity.
    #[prop(optional, into)]
    run_out: Option<Signal<Option<RunOut>>>,
) -> impl IntoView {
    let drawn = StoredValue::new(Dealt::default());
    view! {
        {move || state.get().map(|s| {
            let shape = if tall.get() { TALL } else { WIDE };
            // The hand on the felt: the one being played (or replayed), else the last one.
            let on_felt = s.hand.or(s.last_hand.as_ref().map(|l| l.hand));
            let run_out = run_out.and_then(|r| r.get()).filter(|r| Some(r.hand) == on_felt);
            let before = drawn.get_value();
            drawn.set_value(Dealt::of(&s, run_out.as_ref()));
            draw(s, shape, before, on_sit, run_out)
        })}
    }
}

fn draw(
    s: TableState,
    shape: Shape,
    before: Dealt,
    on_sit: Option<Callback<u8>>,
    run_out: Option<RunOut>,
) -> impl IntoView {
    let chips = s.chips;
    let chips_of = move |n: u64| amount(chips, n);
    let n = usize::from(s.seats_total.max(2));
    // The viewer sits at the bottom; a spectator sees seat 1 there.
    let anchor = usize::from(s.you.unwrap_or(1).max(1)) - 1;
    let position = |seat: u8| shape.seat((usize::from(seat) - 1 + n - anchor) % n, n);
    let (cx, cy) = shape.center();
    let in_hand = s.hand.is_some();
    let last = if in_hand { None } else { s.last_hand.clone() };
    let mut board: Vec<Option<Card>> = if in_hand {
        s.board.iter().copied().map(Some).collect()
    } else {
        last.as_ref().map(|l| l.board.iter().copied().map(Some).collect()).unwrap_or_default()
    };
    if let Some(r) = &run_out {
        board.truncate(r.board_len);
    }
    let equity_of = |seat: u8| run_out.as_ref()?.equity.iter().find(|(s, _)| *s == seat).map(|(_, e)| *e);
    let pot_total: u64 = s.pots.iter().sum::<u64>() + s.seats.iter().map(|x| x.bet).sum::<u64>();
    let pot_text = match (in_hand, s.pots.len()) {
        (false, _) if run_out.is_some() => {
            format!("Pot {}", chips_of(last.as_ref().map_or(0, |l| l.pots.iter().sum())))
        }
        (false, _) => String::new(),
        (true, _) if pot_total == 0 => String::new(),
        (true, 0 | 1) => format!("Pot {}", chips_of(pot_total)),
        (true, _) => format!(
            "Pot {} (main {}, side {})",
            chips_of(pot_total),
            chips_of(s.pots[0]),
            s.pots[1..].iter().map(|p| chips_of(*p)).collect::<Vec<_>>().join(", ")
        ),
    };
    let result = last.as_ref().filter(|_| run_out.is_none()).map(|l| {
        l.winners
            .iter()
            .map(|w| match &w.hand {
                Some(hand) => {
                    format!("{} wins {} with {}", w.username, chips_of(w.amount), hand.to_lowercase())
                }
                None => format!("{} wins {}", w.username, chips_of(w.amount)),
            })
            .collect::<Vec<_>>()
            .join(" · ")
    });
    let mut seated: Vec<SeatState> = s.seats.clone();
    // A player who went broke in a run-out is up already; they stay drawn until it is over.
    if let (Some(l), Some(_)) = (&last, &run_out) {
        for p in l.players.iter().filter(|p| !s.seats.iter().any(|x| x.seat == p.seat)) {
            seated.push(SeatState {
                seat: p.seat,
                username: p.username.clone(),
                stack: p.finishing_stack,
                bet: 0,
                in_hand: false,
                folded: false,
                all_in: false,
                sitting_out: false,
                leaving: true,
                cards: Vec::new(),
                time_bank_ms: 0,
            });
        }
    }
    // A sit-and-go takes no one once it started: its empty seats are the busted players'.
    let open = s.tournament.as_ref().is_none_or(|t| t.stage == Stage::Registering);
    let empty: Vec<u8> = if s.you.is_none() && on_sit.is_some() && open {
        (1..=s.seats_total).filter(|n| !seated.iter().any(|x| x.seat == *n)).collect()
    } else {
        Vec::new()
    };
    let board_from = match (&run_out, before.run_out) {
        _ if in_hand => before.board_from(&s),
        (Some(r), Some((hand, len))) if hand == r.hand => len,
        _ => usize::MAX,
    };
    let fresh_from: Vec<(u8, usize)> = s
        .seats
        .iter()
        .map(|x| (x.seat, if in_hand { before.seat_from(&s, x.seat) } else { usize::MAX }))
        .collect();
    let clock = s.clock.clone();
    let now = s.now_ms;
    let button = s.button;
    let to_act = s.to_act;
    let you = s.you;
    view! {
        <svg class="felt" viewBox=format!("0 0 {} {}", shape.width, shape.height) role="group"
             aria-label=format!("{}: {}", s.name, if in_hand { format!("hand {}", s.hand.unwrap_or(0)) } else { "between hands".into() })>
            <ellipse class="rail" cx=cx cy=cy rx=shape.felt.0 + 18.0 ry=shape.felt.1 + 18.0 />
            <ellipse class="cloth" cx=cx cy=cy rx=shape.felt.0 ry=shape.felt.1 />
            <text class="pot" x=cx y=cy - 62.0 text-anchor="middle" data-testid="pot">{pot_text}</text>
            <g class="board" data-testid="board">{board_row(board, cx, cy, 1.3, board_from)}</g>
            {result.map(|r| view! {
                <text class="result" x=cx y=cy + 70.0 text-anchor="middle" data-testid="result">{r}</text>
            })}
            {seated.into_iter().map(|seat| {
                let (x, y) = position(seat.seat);
                let mine = you == Some(seat.seat);
                let cards = if in_hand { seat.cards.clone() } else { shown_cards(last.as_ref(), seat.seat) };
                let fresh = fresh_from.iter().find(|(n, _)| *n == seat.seat).map_or(0, |(_, f)| *f);
                let (card_x, card_y) = shape.toward_middle((x, y), 0.3);
                let (bet_x, bet_y) = shape.toward_middle((x, y), 0.55);
                let (dealer_x, dealer_y) = (x + 92.0, y - 12.0);
                let acting = to_act == Some(seat.seat);
                let won = run_out.is_none() && last.as_ref().is_some_and(|l| l.winners.iter().any(|w| w.seat == seat.seat));
                let equity = equity_of(seat.seat);
                let class = format!(
                    "seat{}{}{}{}{}{}",
                    if acting { " acting" } else { "" },
                    if won { " won" } else { "" },
                    if seat.folded { " folded" } else { "" },
                    if seat.sitting_out { " out" } else { "" },
                    if mine { " mine" } else { "" },
                    if equity.is_some() { " odds" } else { "" },
                );
                let status = if let Some(share) = equity {
                    format!("{} to win", percent(share))
                } else if seat.all_in { "All in".to_owned() } else if seat.sitting_out { "Sitting out".to_owned() } else { chips_of(seat.stack) };
                let clock_bar = clock.clone().filter(|c| c.seat == seat.seat).map(|c| {
                    let left = (c.bank_ends_ms - now).max(0);
                    // Drawn at the share of the time left, draining to nothing when it runs out.
                    let whole = (c.bank_ends_ms - c.started_ms).max(1);
                    let width = 150.0 * left as f64 / whole as f64;
                    view! {
                        <rect class="clock-bar" x=x - 75.0 y=y + 27.0 width=width height=5
                              style:animation-duration=format!("{left}ms") />
                    }
                });
                view! {
                    <g class=class data-seat=seat.seat data-equity=equity.map(|e| format!("{e:.4}")) data-testid=format!("seat-{}", seat.seat)>
                        {(!cards.is_empty()).then(|| view! {
                            <g class="hole">{cards_row(cards, card_x, card_y, if mine { 1.25 } else { 1.0 }, fresh)}</g>
                        })}
                        <rect class="plate" x=x - 75.0 y=y - 25.0 width=150 height=50 rx=10 />
                        <text class="name" x=x y=y - 5.0 text-anchor="middle">{short_name(&seat.username)}<title>{seat.username.clone()}</title></text>
                        <text class="stack" x=x y=y + 15.0 text-anchor="middle">{status}</text>
                        {clock_bar}
                        {(seat.bet > 0).then(|| view! {
                            <text class="bet" x=bet_x y=bet_y text-anchor="middle">{chips_of(seat.bet)}</text>
                        })}
                        {(button == Some(seat.seat)).then(|| view! {
                            <g class="dealer" aria-label="dealer button">
                                <circle cx=dealer_x cy=dealer_y r=13 />
                                <text x=dealer_x y=dealer_y + 5.0 text-anchor="middle">"D"</text>
                            </g>
                        })}
                    </g>
                }
            }).collect_view()}
            {empty.into_iter().map(|n| {
                let (x, y) = position(n);
                view! {
                    <g class="seat empty" role="button" tabindex="0" data-testid=format!("sit-{n}")
                       aria-label=format!("Sit at seat {n}")
                       on:click=move |_| if let Some(sit) = on_sit { sit.run(n) }
                       on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" || ev.key() == " " { if let Some(sit) = on_sit { sit.run(n) } }>
                        <rect class="plate" x=x - 55.0 y=y - 20.0 width=110 height=40 rx=10 />
                        <text x=x y=y + 6.0 text-anchor="middle">{format!("Sit · {n}")}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
