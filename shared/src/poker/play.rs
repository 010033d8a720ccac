//! A table in play: who sits where, the dealer button, the hand on the engine, the action clock
//! with each player's time bank, the shuffle's commitment and the players' entropy, and what each
//! viewer may see. Pure: the table's Durable Object passes in the time, the hand ids and the secret
//! seeds, keeps a [`Table`] in its storage, writes each [`Finished`] hand to D1 and sends the frames
//! of [`Outcome`] and [`Table::view`].
//!
//! Between hands a seat's chips are [`Player::chips`] (what D1 holds too); during a hand the
//! engine holds them, and [`Finished`] says what each seat has after it.

use std::collections::BTreeMap;

use super::{
    cards::Card,
    duels::{duels, Duel},
    game::{next_button, players_from_button, Action, Event, Game, GameConfig, Variant},
    history::HandHistory,
    money::Chips,
    shuffle::{commit, shuffle, ShuffleInputs},
    sit_and_go::{place_busted, prizes, stakes_at, Busted, Placed, Stage},
    stats::{add_hand, PlayerStats},
    table::TableRules,
    wire::{
        hex, ActionTaken, ChatLine, Clock, EngineMove, Entropy, HandEnded, HandPlayer, HandStarted, Legal,
        Move, RaiseRange, Refusal, SeatState, Shown, TableState, TournamentState, Winner, MAX_ENTROPY_BYTES,
    },
};
use serde::{Deserialize, Serialize};

/// What each hand adds to a player's time bank, up to the table's.
pub const TIME_BANK_REFILL_MS: u64 = 1_000;
/// Chat lines a table keeps for those who arrive.
pub const CHAT_KEPT: usize = 30;

/// Why a seated player is not dealt in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SitOut {
    /// Sat down but has not opened the table yet: dealt in once their socket connects.
    Away,
    /// Asked to (`sit_out`).
    Chose,
    /// Their clock ran out.
    TimedOut,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Player {
    pub user_id: String,
    pub username: String,
    /// Chips at the table outside the hand in play.
    pub chips: u64,
    pub sitting_out: Option<SitOut>,
    /// Asked to leave during a hand: checked for when it is free, else folded, at each turn; cashed
    /// out when it ends.
    pub leaving: bool,
    pub time_bank_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub player: usize,
    pub started_ms: i64,
    pub clock_ends_ms: i64,
    pub bank_ends_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hand {
    pub id: String,
    pub number: u64,
    pub game: Game,
    /// Engine player → seat index (0-based).
    pub seats: Vec<usize>,
    pub seed: [u8; 32],
    /// (seat number, bytes) mixed into the shuffle.
    pub entropy: Vec<(u8, Vec<u8>)>,
    pub started_ms: i64,
    pub turn: Option<Turn>,
    pub moves: Vec<EngineMove>,
}

/// A finished hand as D1 keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandRecord {
    pub id: String,
    pub number: u64,
    pub variant: Variant,
    pub phh: String,
    /// Engine order.
    pub user_ids: Vec<String>,
    pub usernames: Vec<String>,
    pub seats: Vec<u8>,
    pub starting: Vec<u64>,
    pub finishing: Vec<u64>,
    pub pot: u64,
    pub stats: Vec<PlayerStats>,
    pub started_ms: i64,
    pub ended_ms: i64,
    pub ended: HandEnded,
    /// Heads-up rounds after the first street, for the soft-play signal.
    #[serde(default)]
    pub duels: Vec<Duel>,
}

/// A seat given up when a hand ended (the player left, or has no chips): its chips go back to
/// the wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashOut {
    pub user_id: String,
    pub seat: u8,
    pub chips: u64,
}

/// What a finished hand leaves for D1, in one transaction: the record, every dealt seat's chips
/// now, and the seats given up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finished {
    pub record: HandRecord,
    /// (user id, chips) of each player dealt in.
    pub chips: Vec<(String, u64)>,
    pub cash_outs: Vec<CashOut>,
    /// At a sit-and-go: the players it knocked out, and the winner when it was the last hand.
    #[serde(default)]
    pub places: Vec<Placed>,
}

/// What a change to the table produced: frames for everyone (the state frames follow, one per
/// viewer) and, when a hand ended, what to write.
#[derive(Debug, Default)]
pub struct Outcome {
    pub started: Option<HandStarted>,
    pub actions: Vec<ActionTaken>,
    pub ended: Option<HandEnded>,
    pub finished: Option<Finished>,
}

/// What getting up did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leave {
    /// Up now with these chips.
    Now(CashOut),
    /// In the hand: up when it ends.
    AfterHand,
    NotSeated,
    /// In a sit-and-go that started: played to the end.
    Playing,
}

/// A sit-and-go's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tournament {
    /// When its last seat was taken (the first level's start).
    pub started_ms: Option<i64>,
    /// Players who started it.
    pub entrants: u8,
    /// Finishes so far, in the order they came.
    pub placed: Vec<Placed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub id: String,
    pub rules: TableRules,
    /// One entry per seat (seat number − 1).
    pub seats: Vec<Option<Player>>,
    pub button: Option<usize>,
    /// The number of the last hand dealt.
    pub hands_dealt: u64,
    pub hand: Option<Hand>,
    /// The next hand's seed, committed to already.
    next_seed: [u8; 32],
    next_entropy: BTreeMap<u8, Vec<u8>>,
    pub last: Option<HandEnded>,
    /// The last hand's cards by seat and player (user id), for a `show` after it.
    last_cards: Vec<(u8, String, Vec<Card>)>,
    pub chat: Vec<ChatLine>,
    /// A sit-and-go's progress; none at a cash table.
    #[serde(default)]
    pub tournament: Option<Tournament>,
}

fn seat_number(index: usize) -> u8 {
    u8::try_from(index + 1).unwrap_or(u8::MAX)
}

impl Table {
    pub fn new(id: String, rules: TableRules, first_seed: [u8; 32]) -> Table {
        let seats = vec![None; usize::from(rules.seats)];
        let tournament = rules.sit_and_go.map(|_| Tournament::default());
        Table {
            id,
            rules,
            seats,
            button: None,
            hands_dealt: 0,
            hand: None,
            next_seed: first_seed,
            next_entropy: BTreeMap::new(),
            last: None,
            last_cards: Vec::new(),
            chat: Vec::new(),
            tournament,
        }
    }

    /// Whether this is a sit-and-go that has started (no one sits down or gets up then).
    pub fn tournament_started(&self) -> bool {
        self.tournament.as_ref().is_some_and(|t| t.started_ms.is_some())
    }

    /// Starts a sit-and-go whose every seat is taken; whether it did.
    pub fn start_if_full(&mut self, now_ms: i64) -> bool {
        let full = self.seats.iter().all(Option::is_some);
        let entrants = u8::try_from(self.seats.len()).unwrap_or(u8::MAX);
        match self.tournament.as_mut() {
            Some(t) if t.started_ms.is_none() && full => {
                t.started_ms = Some(now_ms);
                t.entrants = entrants;
                true
            }
            _ => false,
        }
    }

    /// The stakes a hand dealt now plays: a sit-and-go's level's, else the table's.
    pub fn stakes_now(&self, now_ms: i64) -> GameConfig {
        let started = self.tournament.as_ref().and_then(|t| t.started_ms);
        match (self.rules.sit_and_go, started) {
            (Some(rules), Some(started)) => stakes_at(&self.rules.stakes, rules.level_at(started, now_ms)),
            _ => self.rules.stakes,
        }
    }

    pub fn seat_of(&self, user_id: &str) -> Option<usize> {
        self.seats.iter().position(|s| s.as_ref().is_some_and(|p| p.user_id == user_id))
    }

    fn player(&self, seat: usize) -> Option<&Player> {
        self.seats.get(seat).and_then(Option::as_ref)
    }

    fn player_mut(&mut self, seat: usize) -> Option<&mut Player> {
        self.seats.get_mut(seat).and_then(Option::as_mut)
    }

    /// The engine player of a seat in the hand in play.
    fn in_hand(&self, seat: usize) -> Option<usize> {
        self.hand.as_ref()?.seats.iter().position(|&s| s == seat)
    }

    /// Sits a player whose buy-in D1 took (seat 1-based); they are away until their socket opens.
    pub fn sit(&mut self, seat: u8, user_id: &str, username: &str, chips: u64) -> Result<(), Refusal> {
        let index = usize::from(seat).wrapping_sub(1);
        if index >= self.seats.len() {
            return Err(Refusal::new("invalid", format!("This table's seats are 1–{}.", self.seats.len())));
        }
        if self.seat_of(user_id).is_some() {
            return Err(Refusal::new("conflict", "You already have a seat at this table."));
        }
        if self.seats[index].is_some() {
            return Err(Refusal::new("conflict", "That seat was just taken: pick another."));
        }
        self.seats[index] = Some(Player {
            user_id: user_id.to_owned(),
            username: username.to_owned(),
            chips,
            sitting_out: Some(SitOut::Away),
            leaving: false,
            time_bank_ms: u64::from(self.rules.time_bank_secs) * 1000,
        });
        Ok(())
    }

    /// Gets a player up: now if they are not in the hand in play, else when it ends (folding
    /// their hand when their turn comes, at once if it is theirs now).
    pub fn leave(&mut self, user_id: &str, now_ms: i64) -> (Leave, Outcome) {
        let Some(seat) = self.seat_of(user_id) else {
            return (Leave::NotSeated, Outcome::default());
        };
        if self.tournament_started() {
            return (Leave::Playing, Outcome::default());
        }
        if self.in_hand(seat).is_none() {
            let player = self.free_seat(seat).expect("seat_of found it");
            let cash_out = CashOut { user_id: player.user_id, seat: seat_number(seat), chips: player.chips };
            return (Leave::Now(cash_out), Outcome::default());
        }
        if let Some(player) = self.player_mut(seat) {
            player.leaving = true;
        }
        let mut outcome = Outcome::default();
        self.advance(now_ms, &mut outcome);
        (Leave::AfterHand, outcome)
    }

    /// Gives up a seat, with the entropy its player sent for the next hand (not the next
    /// occupant's).
    fn free_seat(&mut self, seat: usize) -> Option<Player> {
        self.next_entropy.remove(&seat_number(seat));
        self.seats.get_mut(seat)?.take()
    }

    /// The player's socket opened: a player who sat down and was away is dealt in now.
    pub fn arrived(&mut self, user_id: &str) -> bool {
        let Some(seat) = self.seat_of(user_id) else { return false };
        match self.player_mut(seat) {
            Some(p) if p.sitting_out == Some(SitOut::Away) => {
                p.sitting_out = None;
                true
            }
            _ => false,
        }
    }

    /// Not dealt in from the next hand; whether that changed anything.
    pub fn sit_out(&mut self, user_id: &str) -> Result<bool, Refusal> {
        let seat = self.seat_of(user_id).ok_or_else(not_seated)?;
        let player = self.player_mut(seat).ok_or_else(not_seated)?;
        let changed = player.sitting_out.is_none();
        if changed {
            player.sitting_out = Some(SitOut::Chose);
        }
        Ok(changed)
    }

    /// Dealt in again; whether that changed anything.
    pub fn sit_in(&mut self, user_id: &str) -> Result<bool, Refusal> {
        let seat = self.seat_of(user_id).ok_or_else(not_seated)?;
        let player = self.player_mut(seat).ok_or_else(not_seated)?;
        Ok(player.sitting_out.take().is_some())
    }

    /// A seated player's bytes for the next hand's shuffle (the last sent counts).
    pub fn add_entropy(&mut self, user_id: &str, hand: u64, bytes: Vec<u8>) -> Result<(), Refusal> {
        let seat = self.seat_of(user_id).ok_or_else(not_seated)?;
        if hand != self.hands_dealt + 1 {
            return Err(Refusal::new(
                "stale_hand",
                format!("Entropy is taken for hand {} (its commitment is published).", self.hands_dealt + 1),
            ));
        }
        if bytes.is_empty() || bytes.len() > MAX_ENTROPY_BYTES {
            return Err(Refusal::new("invalid", format!("Send 1–{MAX_ENTROPY_BYTES} bytes of entropy.")));
        }
        self.next_entropy.insert(seat_number(seat), bytes);
        Ok(())
    }

    /// Seats that would be dealt in now: at a sit-and-go every player with chips (one who is
    /// away is folded when it is their turn, and blinded).
    fn ready_seats(&self) -> Vec<usize> {
        let tournament = self.tournament.is_some();
        (0..self.seats.len())
            .filter(|&s| {
                self.player(s)
                    .is_some_and(|p| p.chips > 0 && (tournament || (p.sitting_out.is_none() && !p.leaving)))
            })
            .collect()
    }

    /// Whether a hand could start now (none in play, two players ready, a sit-and-go started).
    pub fn can_deal(&self) -> bool {
        self.hand.is_none()
            && self.tournament.as_ref().is_none_or(|t| t.started_ms.is_some())
            && self.ready_seats().len() >= 2
    }

    /// Deals the next hand with the committed seed, committing to `following_seed` for the one
    /// after. Nothing happens unless [`Table::can_deal`].
    pub fn start_hand(&mut self, hand_id: String, following_seed: [u8; 32], now_ms: i64) -> Outcome {
        let mut outcome = Outcome::default();
        if !self.can_deal() {
            return outcome;
        }
        let ready = self.ready_seats();
        let variant = self.rules.stakes.variant;
        let mut occupied = vec![false; self.seats.len()];
        for &s in &ready {
            occupied[s] = true;
        }
        let order = if variant == Variant::Stud {
            ready.clone()
        } else {
            let button =
                next_button(&occupied, self.button.unwrap_or(self.seats.len() - 1)).unwrap_or(ready[0]);
            self.button = Some(button);
            players_from_button(&occupied, button)
        };
        let stacks: Vec<u64> = order.iter().map(|&s| self.player(s).map_or(0, |p| p.chips)).collect();
        let number = self.hands_dealt + 1;
        let entropy: Vec<(u8, Vec<u8>)> = std::mem::take(&mut self.next_entropy)
            .into_iter()
            .filter(|(seat, _)| order.contains(&(usize::from(*seat) - 1)))
            .collect();
        let inputs = ShuffleInputs { hand_number: number, player_entropy: entropy.clone() };
        let seed = self.next_seed;
        let Ok(game) = Game::new(self.stakes_now(now_ms), stacks, shuffle(&seed, &inputs)) else {
            return outcome;
        };
        self.hands_dealt = number;
        self.next_seed = following_seed;
        let bank_cap = u64::from(self.rules.time_bank_secs) * 1000;
        for &s in &order {
            if let Some(p) = self.player_mut(s) {
                p.time_bank_ms = (p.time_bank_ms + TIME_BANK_REFILL_MS).min(bank_cap);
            }
        }
        outcome.started = Some(HandStarted {
            hand: number,
            hand_id: hand_id.clone(),
            commitment: hex(&commit(&seed)),
            entropy: entropy_view(&entropy),
            button: self.button.filter(|_| variant != Variant::Stud).map(seat_number),
            seats: order.iter().map(|&s| seat_number(s)).collect(),
        });
        self.hand = Some(Hand {
            id: hand_id,
            number,
            game,
            seats: order,
            seed,
            entropy,
            started_ms: now_ms,
            turn: None,
            moves: Vec::new(),
        });
        self.advance(now_ms, &mut outcome);
        outcome
    }

    /// A player's action in hand `hand`, checked by the engine.
    pub fn act(
        &mut self,
        user_id: &str,
        hand: u64,
        action: Move,
        amount: Option<u64>,
        now_ms: i64,
    ) -> Result<Outcome, Refusal> {
        let seat = self.seat_of(user_id).ok_or_else(not_seated)?;
        let in_play = self.hand.as_ref().ok_or_else(|| Refusal::new("no_hand", "No hand is in play."))?;
        if hand != in_play.number {
            return Err(Refusal::new(
                "stale_hand",
                format!("Hand {hand} is not in play (hand {} is).", in_play.number),
            ));
        }
        let player =
            self.in_hand(seat).ok_or_else(|| Refusal::new("not_in_hand", "You are not in this hand."))?;
        let engine_action = match (action, amount) {
            (Move::Fold, _) => Action::Fold,
            (Move::Check, _) => Action::Check,
            (Move::Call, _) => Action::Call,
            (Move::BringIn, _) => Action::BringIn,
            (Move::Bet | Move::Raise | Move::Complete, Some(to)) => Action::BetRaiseTo(to),
            (Move::Bet | Move::Raise | Move::Complete, None) => {
                return Err(Refusal::new(
                    "invalid",
                    "A bet, raise or completion needs an `amount` (the street total).",
                ))
            }
            (Move::Show | Move::Muck, _) => {
                return Err(Refusal::new(
                    "invalid",
                    "Show or muck after the hand, with a `show` or `muck` frame.",
                ))
            }
        };
        // Time beyond the clock comes out of the time bank.
        let over_clock = in_play
            .turn
            .filter(|t| t.player == player)
            .map_or(0, |t| u64::try_from(now_ms - t.clock_ends_ms).unwrap_or(0));
        let mut outcome = Outcome::default();
        self.apply(player, engine_action, false, &mut outcome).map_err(|refusal| {
            if refusal.code == "not_your_turn" {
                let turn = self.hand.as_ref().and_then(|h| Some(seat_number(h.seats[h.game.to_act()?])));
                Refusal::new("not_your_turn", format!("It is seat {}'s turn.", turn.unwrap_or(0)))
            } else {
                refusal
            }
        })?;
        if let Some(p) = self.player_mut(seat) {
            p.time_bank_ms = p.time_bank_ms.saturating_sub(over_clock);
        }
        self.advance(now_ms, &mut outcome);
        Ok(outcome)
    }

    /// Applies an engine action, recording the move and the frame (the clock is left to `advance`).
    fn apply(
        &mut self,
        player: usize,
        action: Action,
        auto: bool,
        outcome: &mut Outcome,
    ) -> Result<(), Refusal> {
        let hand = self.hand.as_mut().ok_or_else(|| Refusal::new("no_hand", "No hand is in play."))?;
        let label = match action {
            Action::BetRaiseTo(_) => raise_kind(&hand.game),
            _ => Move::Fold,
        };
        let seen = hand.game.events().len();
        hand.game.act(player, action).map_err(|e| {
            let code = serde_json::to_value(&e)
                .ok()
                .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
                .unwrap_or_else(|| "illegal".to_owned());
            Refusal { code, message: sentence(&e.to_string()) }
        })?;
        hand.moves.push(EngineMove { player, action });
        hand.turn = None;
        let seat = hand.seats[player];
        let number = hand.number;
        let (action, amount, all_in) = match hand.game.events()[seen..].first() {
            Some(Event::Fold { .. }) => (Move::Fold, None, false),
            Some(Event::Check { .. }) => (Move::Check, None, false),
            Some(Event::Call { amount, .. }) => (Move::Call, Some(*amount), hand.game.stacks()[player] == 0),
            Some(Event::BringIn { amount, .. }) => {
                (Move::BringIn, Some(*amount), hand.game.stacks()[player] == 0)
            }
            Some(Event::BetRaise { to, all_in, .. }) => (label, Some(*to), *all_in),
            _ => (Move::Check, None, false),
        };
        let username = self.player(seat).map(|p| p.username.clone()).unwrap_or_default();
        outcome.actions.push(ActionTaken {
            hand: number,
            seat: seat_number(seat),
            username,
            action,
            amount,
            all_in,
            auto,
            cards: Vec::new(),
        });
        Ok(())
    }

    /// Starts the next turn's clock, acting at once for players who are leaving or timed out,
    /// and settles the hand when it is over.
    fn advance(&mut self, now_ms: i64, outcome: &mut Outcome) {
        loop {
            let Some(hand) = self.hand.as_ref() else { return };
            if hand.game.is_over() {
                self.finish(now_ms, outcome);
                return;
            }
            let Some(player) = hand.game.to_act() else { return };
            let seat = hand.seats[player];
            let tournament = self.tournament.is_some();
            let absent = self.player(seat).is_none_or(|p| {
                p.leaving
                    || p.sitting_out == Some(SitOut::TimedOut)
                    || (tournament && p.sitting_out.is_some())
            });
            if absent {
                let action = auto_action(&hand.game);
                if self.apply(player, action, true, outcome).is_err() {
                    return;
                }
                continue;
            }
            if hand.turn.is_some_and(|t| t.player == player) {
                return;
            }
            let clock_ms = i64::from(self.rules.clock_secs) * 1000;
            let bank = self.player(seat).map_or(0, |p| p.time_bank_ms);
            let clock_ends_ms = now_ms + clock_ms;
            let turn = Turn {
                player,
                started_ms: now_ms,
                clock_ends_ms,
                bank_ends_ms: clock_ends_ms + i64::try_from(bank).unwrap_or(0),
            };
            if let Some(hand) = self.hand.as_mut() {
                hand.turn = Some(turn);
            }
            return;
        }
    }

    /// When the table must next be woken: the clock of the player to act.
    pub fn wake_at(&self) -> Option<i64> {
        self.hand.as_ref()?.turn.map(|t| t.bank_ends_ms)
    }

    /// Acts for a player whose clock and time bank ran out (check if free, else fold) and sits
    /// them out.
    pub fn clock(&mut self, now_ms: i64) -> Outcome {
        let mut outcome = Outcome::default();
        let Some(hand) = self.hand.as_ref() else { return outcome };
        let Some(turn) = hand.turn.filter(|t| now_ms >= t.bank_ends_ms) else { return outcome };
        let seat = hand.seats[turn.player];
        let action = auto_action(&hand.game);
        if let Some(p) = self.player_mut(seat) {
            p.time_bank_ms = 0;
            p.sitting_out = Some(SitOut::TimedOut);
        }
        if self.apply(turn.player, action, true, &mut outcome).is_ok() {
            self.advance(now_ms, &mut outcome);
        }
        outcome
    }

    /// Ends the hand: the result, the record for D1, each seat's chips, and the seats given up.
    fn finish(&mut self, now_ms: i64, outcome: &mut Outcome) {
        let Some(hand) = self.hand.take() else { return };
        let game = &hand.game;
        let seat_of_player = |p: usize| seat_number(hand.seats[p]);
        let usernames: Vec<String> = hand
            .seats
            .iter()
            .map(|&s| self.player(s).map(|p| p.username.clone()).unwrap_or_default())
            .collect();
        let user_ids: Vec<String> = hand
            .seats
            .iter()
            .map(|&s| self.player(s).map(|p| p.user_id.clone()).unwrap_or_default())
            .collect();
        let mut shown = Vec::new();
        let mut pots: Vec<u64> = Vec::new();
        let mut winners: Vec<Winner> = Vec::new();
        for event in game.events() {
            match event {
                Event::Show { player, cards, rank } => shown.push(Shown {
                    seat: seat_of_player(*player),
                    username: usernames[*player].clone(),
                    cards: cards.clone(),
                    description: Some(rank.description.clone()),
                }),
                Event::Win { player, amount, pot } => {
                    if pots.len() <= *pot {
                        pots.resize(pot + 1, 0);
                    }
                    pots[*pot] += amount;
                    let hand_name = shown
                        .iter()
                        .find(|s| s.seat == seat_of_player(*player))
                        .and_then(|s| s.description.clone());
                    winners.push(Winner {
                        seat: seat_of_player(*player),
                        username: usernames[*player].clone(),
                        amount: *amount,
                        pot: *pot,
                        hand: hand_name,
                    });
                }
                _ => {}
            }
        }
        let players: Vec<HandPlayer> = (0..game.players())
            .map(|p| HandPlayer {
                seat: seat_of_player(p),
                username: usernames[p].clone(),
                starting_stack: game.starting_stacks()[p],
                finishing_stack: game.stacks()[p],
            })
            .collect();
        let ended = HandEnded {
            hand: hand.number,
            hand_id: hand.id.clone(),
            stakes: *game.config(),
            players,
            board: game.board().to_vec(),
            moves: hand.moves.clone(),
            winners,
            pots: pots.clone(),
            shown,
            commitment: hex(&commit(&hand.seed)),
            seed: hex(&hand.seed),
            entropy: entropy_view(&hand.entropy),
            run_out_from: run_out_from(game),
        };
        let mut stats = BTreeMap::new();
        add_hand(&mut stats, game, &usernames);
        let record = HandRecord {
            id: hand.id.clone(),
            number: hand.number,
            variant: game.config().variant,
            phh: HandHistory::from_game(game, usernames.clone(), Some(hand.number)).to_phh(),
            user_ids: user_ids.clone(),
            usernames: usernames.clone(),
            seats: (0..game.players()).map(seat_of_player).collect(),
            starting: game.starting_stacks().to_vec(),
            finishing: game.stacks().to_vec(),
            pot: pots.iter().sum(),
            stats: usernames.iter().map(|u| stats.get(u).cloned().unwrap_or_default()).collect(),
            started_ms: hand.started_ms,
            ended_ms: now_ms,
            ended: ended.clone(),
            duels: duels(game),
        };
        let mut chips = Vec::new();
        let mut cash_outs = Vec::new();
        let mut busted = Vec::new();
        let tournament = self.tournament.is_some();
        for (p, &seat) in hand.seats.iter().enumerate() {
            let stack = game.stacks()[p];
            chips.push((user_ids[p].clone(), stack));
            let Some(player) = self.player_mut(seat) else { continue };
            player.chips = stack;
            if tournament {
                if stack == 0 {
                    busted.push(Busted {
                        user_id: player.user_id.clone(),
                        username: player.username.clone(),
                        chips_before: game.starting_stacks()[p],
                    });
                    self.free_seat(seat);
                }
            } else if player.leaving || stack == 0 {
                cash_outs.push(CashOut {
                    user_id: player.user_id.clone(),
                    seat: seat_number(seat),
                    chips: stack,
                });
                self.free_seat(seat);
            }
        }
        self.last_cards = (0..game.players())
            .map(|p| (seat_of_player(p), user_ids[p].clone(), game.hole_cards(p).to_vec()))
            .collect();
        self.last = Some(ended.clone());
        let places = self.place(busted);
        outcome.ended = Some(ended);
        outcome.finished = Some(Finished { record, chips, cash_outs, places });
    }

    /// A sit-and-go's finishes after a hand: the players it knocked out, and the winner (whose
    /// seat is given up too) once one player holds every chip.
    fn place(&mut self, busted: Vec<Busted>) -> Vec<Placed> {
        let (Some(rules), Some(entrants)) =
            (self.rules.sit_and_go, self.tournament.as_ref().map(|t| t.entrants))
        else {
            return Vec::new();
        };
        let prizes = prizes(entrants, rules.entry * u64::from(entrants));
        let still_in: Vec<usize> =
            (0..self.seats.len()).filter(|&s| self.player(s).is_some_and(|p| p.chips > 0)).collect();
        let mut places =
            if busted.is_empty() { Vec::new() } else { place_busted(busted, still_in.len(), &prizes) };
        if let [winner] = still_in[..] {
            if let Some(player) = self.free_seat(winner) {
                places.push(Placed {
                    user_id: player.user_id,
                    username: player.username,
                    place: 1,
                    prize: prizes.first().copied().unwrap_or(0),
                });
            }
        }
        if let Some(t) = self.tournament.as_mut() {
            t.placed.extend(places.iter().cloned());
        }
        places
    }

    /// A sit-and-go as its players see it: where it is, the level and its stakes, the prizes and
    /// the finishes so far.
    fn tournament_view(&self, now_ms: i64) -> Option<TournamentState> {
        let (rules, t) = (self.rules.sit_and_go?, self.tournament.as_ref()?);
        let entrants = if t.started_ms.is_some() { t.entrants } else { self.rules.seats };
        let stage = match t.started_ms {
            None => Stage::Registering,
            Some(_) if t.placed.iter().any(|p| p.place == 1) => Stage::Finished,
            Some(_) => Stage::Running,
        };
        let level = t.started_ms.map_or(0, |started| rules.level_at(started, now_ms));
        let mut results: Vec<_> = t.placed.iter().map(Placed::view).collect();
        results.sort_by_key(|p| p.place);
        Some(TournamentState {
            money: self.rules.chips,
            entry: rules.entry,
            starting_chips: rules.starting_chips,
            stage,
            level: level + 1,
            next_level_ms: t
                .started_ms
                .filter(|_| stage == Stage::Running)
                .map(|started| rules.level_starts_ms(started, level + 1)),
            next_stakes: stakes_at(&self.rules.stakes, level + 1),
            prizes: prizes(entrants, rules.entry * u64::from(entrants)),
            results,
        })
    }

    /// Shows a player's cards of the last hand to the table, if they were not shown already.
    pub fn show(&mut self, user_id: &str) -> Result<Option<ActionTaken>, Refusal> {
        if self.hand.is_some() {
            return Err(Refusal::new("invalid", "Show your cards once the hand is over."));
        }
        let seat = seat_number(self.seat_of(user_id).ok_or_else(not_seated)?);
        // The player who had the seat in the last hand, not whoever sits there since.
        let (Some(last), Some((_, _, cards))) =
            (self.last.as_mut(), self.last_cards.iter().find(|(s, who, _)| *s == seat && who == user_id))
        else {
            return Err(Refusal::new("not_in_hand", "You were not in the last hand."));
        };
        if last.shown.iter().any(|s| s.seat == seat) {
            return Ok(None);
        }
        let username =
            last.players.iter().find(|p| p.seat == seat).map(|p| p.username.clone()).unwrap_or_default();
        last.shown.push(Shown { seat, username: username.clone(), cards: cards.clone(), description: None });
        Ok(Some(ActionTaken {
            hand: last.hand,
            seat,
            username,
            action: Move::Show,
            amount: None,
            all_in: false,
            auto: false,
            cards: cards.clone(),
        }))
    }

    /// Keeps a chat line (the last [`CHAT_KEPT`]) for those who arrive later.
    pub fn keep_chat(&mut self, line: ChatLine) {
        self.chat.push(line);
        if self.chat.len() > CHAT_KEPT {
            self.chat.remove(0);
        }
    }

    /// The table as `viewer` (a user id, or nobody) may see it.
    pub fn view(&self, viewer: Option<&str>, now_ms: i64) -> TableState {
        let you = viewer.and_then(|v| self.seat_of(v));
        let hand = self.hand.as_ref();
        let seats = (0..self.seats.len())
            .filter_map(|s| {
                let player = self.player(s)?;
                let mut state = SeatState {
                    seat: seat_number(s),
                    username: player.username.clone(),
                    stack: player.chips,
                    bet: 0,
                    in_hand: false,
                    folded: false,
                    all_in: false,
                    sitting_out: player.sitting_out.is_some(),
                    leaving: player.leaving,
                    cards: Vec::new(),
                    time_bank_ms: player.time_bank_ms,
                };
                if let (Some(hand), Some(p)) = (hand, self.in_hand(s)) {
                    let game = &hand.game;
                    state.stack = game.stacks()[p];
                    state.bet = game.bets()[p];
                    state.in_hand = true;
                    state.folded = game.has_folded(p);
                    state.all_in = !state.folded && game.stacks()[p] == 0;
                    let up = game.face_up(p);
                    state.cards = game
                        .hole_cards(p)
                        .iter()
                        .enumerate()
                        .map(|(i, &c)| (you == Some(s) || up.get(i) == Some(&true)).then_some(c))
                        .collect();
                }
                Some(state)
            })
            .collect();
        let to_act = hand.and_then(|h| Some(h.seats[h.game.to_act()?]));
        let legal = match (hand, to_act) {
            (Some(h), Some(s)) if you == Some(s) => legal(&h.game),
            _ => None,
        };
        TableState {
            table: self.id.clone(),
            name: self.rules.name.clone(),
            game: self.rules.stakes.variant,
            stakes: hand.map_or_else(|| self.stakes_now(now_ms), |h| *h.game.config()),
            seats_total: self.rules.seats,
            seats,
            you: you.map(seat_number),
            hand: hand.map(|h| h.number),
            hand_id: hand.map(|h| h.id.clone()),
            street: hand.map(|h| street_name(h.game.config().variant, h.game.street()).to_owned()),
            button: self.button.filter(|_| self.rules.stakes.variant != Variant::Stud).map(seat_number),
            board: hand.map(|h| h.game.board().to_vec()).unwrap_or_default(),
            pots: hand.map(|h| collected_pots(&h.game)).unwrap_or_default(),
            to_act: to_act.map(seat_number),
            clock: hand.and_then(|h| h.turn).map(|t| Clock {
                seat: seat_number(hand.map_or(0, |h| h.seats[t.player])),
                started_ms: t.started_ms,
                clock_ends_ms: t.clock_ends_ms,
                bank_ends_ms: t.bank_ends_ms,
            }),
            legal,
            next_hand: self.hands_dealt + 1,
            next_commitment: hex(&commit(&self.next_seed)),
            last_hand: self.last.clone(),
            // Tournament chips are counted like play chips, whatever the entry was paid in.
            chips: if self.tournament.is_some() { Chips::Play } else { self.rules.chips },
            tournament: self.tournament_view(now_ms),
            now_ms,
        }
    }

    /// Every chip at the table: seats outside the hand plus the hand's stacks and pot.
    pub fn chips_total(&self) -> u64 {
        let mut total = 0;
        for (s, player) in self.seats.iter().enumerate() {
            if let Some(player) = player {
                if self.in_hand(s).is_none() {
                    total += player.chips;
                }
            }
        }
        if let Some(hand) = &self.hand {
            total += hand.game.stacks().iter().sum::<u64>() + hand.game.pot();
        }
        total
    }
}

fn not_seated() -> Refusal {
    Refusal::new("not_seated", "You have no seat at this table.")
}

fn entropy_view(entropy: &[(u8, Vec<u8>)]) -> Vec<Entropy> {
    entropy.iter().map(|(seat, bytes)| Entropy { seat: *seat, hex: hex(bytes) }).collect()
}

/// The engine's reason as a sentence.
fn sentence(reason: &str) -> String {
    let mut chars = reason.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// What the table does for an absent or leaving player: check when it is free, else fold (a
/// fold with nothing to call is no move at all: PokerKit refuses it, and it would only give the
/// pot away).
fn auto_action(game: &Game) -> Action {
    match game.options() {
        Some(o) if o.can_check => Action::Check,
        Some(o) if o.can_bring_in => Action::BringIn,
        _ => Action::Fold,
    }
}

/// Whether a bet now is a bet, a raise or the Stud completion.
fn raise_kind(game: &Game) -> Move {
    if game.config().variant == Variant::Stud && game.completion_pending() {
        Move::Complete
    } else if game.current_bet() == 0 {
        Move::Bet
    } else {
        Move::Raise
    }
}

fn legal(game: &Game) -> Option<Legal> {
    let o = game.options()?;
    let raise = match (o.min_raise_to, o.max_raise_to) {
        (Some(min), Some(max)) => Some(RaiseRange { kind: raise_kind(game), min, max }),
        _ => None,
    };
    let stack = game.stacks()[o.player];
    Some(Legal {
        fold: o.can_fold,
        check: o.can_check,
        call: (o.to_call > 0 && !o.can_bring_in).then_some(o.to_call),
        raise,
        bring_in: o.can_bring_in.then(|| game.config().bring_in.min(stack)),
    })
}

/// The board's length at the last action, when a showdown came with board cards dealt after it
/// (everyone left was all in, or all but one).
fn run_out_from(game: &Game) -> Option<u8> {
    let events = game.events();
    if !events.iter().any(|e| matches!(e, Event::Show { .. })) {
        return None;
    }
    let acted = |e: &Event| {
        matches!(
            e,
            Event::Fold { .. }
                | Event::Check { .. }
                | Event::Call { .. }
                | Event::BringIn { .. }
                | Event::BetRaise { .. }
        )
    };
    let last_action = events.iter().rposition(acted).map_or(0, |i| i + 1);
    let board_then: usize = events[..last_action]
        .iter()
        .map(|e| match e {
            Event::DealBoard { cards, .. } => cards.len(),
            _ => 0,
        })
        .sum();
    (board_then < game.board().len() && game.config().variant != Variant::Stud).then_some(board_then as u8)
}

/// The street's name as a table says it: "preflop" … "river", or "third" … "seventh" for Stud.
pub fn street_name(variant: Variant, street: usize) -> &'static str {
    let names: &[&str] = match variant {
        Variant::Stud => &["third", "fourth", "fifth", "sixth", "seventh"],
        _ => &["preflop", "flop", "turn", "river"],
    };
    names.get(street).copied().unwrap_or("showdown")
}

/// The chips already in the middle (this street's bets excluded), as a main pot and side pots:
/// each level a live player is all in for closes a pot.
fn collected_pots(game: &Game) -> Vec<u64> {
    let n = game.players();
    let collected: Vec<u64> = (0..n).map(|p| game.committed()[p] - game.bets()[p]).collect();
    side_pots(&collected, &(0..n).map(|p| !game.has_folded(p)).collect::<Vec<_>>())
}

/// Pots from what each player put in: a pot closes at each amount a live player put in, and
/// takes from everyone up to it; chips of folded players above the last level join the last pot.
pub fn side_pots(put_in: &[u64], live: &[bool]) -> Vec<u64> {
    let mut levels: Vec<u64> = put_in.iter().zip(live).filter(|(_, l)| **l).map(|(c, _)| *c).collect();
    levels.sort_unstable();
    levels.dedup();
    let mut pots = Vec::new();
    let mut below = 0;
    for level in levels {
        let pot: u64 = put_in.iter().map(|&c| c.min(level) - c.min(below)).sum();
        if pot > 0 {
            pots.push(pot);
        }
        below = level;
    }
    let rest: u64 = put_in.iter().map(|&c| c.saturating_sub(below)).sum();
    match pots.last_mut() {
        Some(last) => *last += rest,
        None if rest > 0 => pots.push(rest),
        None => {}
    }
    pots
}

/// Why a finished hand did not check out in the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The revealed seed is not the one committed to before the deal.
    Commitment,
    /// The seed or some entropy is not hex of the right length.
    Unreadable,
    /// The engine, replaying the moves on the deck, refused one or dealt other cards.
    Replay(String),
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::Commitment => write!(f, "the revealed seed does not match the commitment"),
            VerifyError::Unreadable => write!(f, "the seed or the entropy is unreadable"),
            VerifyError::Replay(why) => write!(f, "{why}"),
        }
    }
}

/// Checks a finished hand as a browser can: the revealed seed matches the commitment published
/// before the deal, and the engine, replaying the hand's moves on the deck that the seed and the
/// players' entropy make, deals the board, the shown cards and `mine` (the viewer's seat and the
/// cards they were dealt) and ends with the same stacks.
pub fn verify_hand(ended: &HandEnded, mine: Option<(u8, &[Card])>) -> Result<(), VerifyError> {
    use super::{shuffle::verify_shuffle, wire::from_hex};
    let bytes32 = |text: &str| -> Result<[u8; 32], VerifyError> {
        from_hex(text).and_then(|b| <[u8; 32]>::try_from(b).ok()).ok_or(VerifyError::Unreadable)
    };
    let commitment = bytes32(&ended.commitment)?;
    let seed = bytes32(&ended.seed)?;
    let player_entropy = ended
        .entropy
        .iter()
        .map(|e| from_hex(&e.hex).map(|b| (e.seat, b)).ok_or(VerifyError::Unreadable))
        .collect::<Result<Vec<_>, _>>()?;
    let inputs = ShuffleInputs { hand_number: ended.hand, player_entropy };
    let deck = verify_shuffle(&commitment, &seed, &inputs).map_err(|_| VerifyError::Commitment)?;
    let stacks = ended.players.iter().map(|p| p.starting_stack).collect();
    let mut game = Game::new(ended.stakes, stacks, deck).map_err(|e| VerifyError::Replay(e.to_string()))?;
    for (i, m) in ended.moves.iter().enumerate() {
        game.act(m.player, m.action).map_err(|e| VerifyError::Replay(format!("move {}: {e}", i + 1)))?;
    }
    let differs = |what: &str| Err(VerifyError::Replay(format!("the deck deals other {what}")));
    if !game.is_over() {
        return Err(VerifyError::Replay("the moves end before the hand does".into()));
    }
    if game.board() != ended.board.as_slice() {
        return differs("board cards");
    }
    let player_at = |seat: u8| ended.players.iter().position(|p| p.seat == seat);
    for shown in &ended.shown {
        if player_at(shown.seat).is_none_or(|p| game.hole_cards(p) != shown.cards.as_slice()) {
            return differs("shown cards");
        }
    }
    if let Some((seat, cards)) = mine {
        if player_at(seat).is_some_and(|p| game.hole_cards(p) != cards) {
            return differs("cards than you were dealt");
        }
    }
    if ended.players.iter().zip(game.stacks()).any(|(p, &s)| p.finishing_stack != s) {
        return Err(VerifyError::Replay("the replay ends with other stacks".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poker::{
        game::GameConfig,
        history::HandHistory,
        shuffle::{KeyedStream, ShuffleInputs},
        sim::random_action,
        sit_and_go::SitAndGoRules,
        wire::from_hex,
    };

    fn rules(stakes: GameConfig, seats: u8) -> TableRules {
        TableRules {
            name: "test".into(),
            stakes,
            min_buy_in: 100,
            max_buy_in: 100_000,
            seats,
            clock_secs: 30,
            time_bank_secs: 10,
            private: false,
            chips: crate::poker::money::Chips::Play,
            sit_and_go: None,
        }
    }

    fn seed(n: u64) -> [u8; 32] {
        let mut s = [0u8; 32];
        s[..8].copy_from_slice(&n.to_be_bytes());
        s
    }

    /// A table with `players` seated (users `u1`, `u2`, … on seats 1, 2, …) and present.
    fn table(stakes: GameConfig, seats: u8, players: usize, chips: u64) -> Table {
        let mut t = Table::new("t1".into(), rules(stakes, seats), seed(0));
        for i in 1..=players {
            t.sit(i as u8, &format!("u{i}"), &format!("player{i}"), chips).unwrap();
            assert!(t.arrived(&format!("u{i}")));
        }
        t
    }

    fn user_to_act(t: &Table) -> String {
        let h = t.hand.as_ref().unwrap();
        t.player(h.seats[h.game.to_act().unwrap()]).unwrap().user_id.clone()
    }

    /// Plays a random legal action through the table, as a client would send it.
    fn random_move(t: &mut Table, rng: &mut KeyedStream, now: i64) -> Outcome {
        let h = t.hand.as_ref().unwrap();
        let (_, action) = random_action(&h.game, rng).unwrap();
        let o = h.game.options().unwrap();
        let (mv, amount) = match action {
            Action::BetRaiseTo(to) => (raise_kind(&h.game), Some(to)),
            Action::BringIn => (Move::BringIn, None),
            Action::Fold => (Move::Fold, None),
            _ if o.can_check => (Move::Check, None),
            _ => (Move::Call, None),
        };
        let (user, number) = (user_to_act(t), h.number);
        t.act(&user, number, mv, amount, now).unwrap()
    }

    #[test]
    fn nobody_is_dealt_in_before_their_socket_opens_and_two_players_start_a_hand() {
        let mut t = Table::new("t1".into(), rules(GameConfig::nlhe(50, 100), 6), seed(0));
        t.sit(2, "a", "ann", 10_000).unwrap();
        t.sit(5, "b", "bob", 10_000).unwrap();
        assert!(!t.can_deal(), "both are away");
        assert_eq!(t.sit(5, "c", "cat", 10_000).unwrap_err().code, "conflict");
        assert_eq!(t.sit(3, "a", "ann", 10_000).unwrap_err().code, "conflict");
        assert_eq!(t.sit(7, "c", "cat", 10_000).unwrap_err().code, "invalid");
        t.arrived("a");
        assert!(!t.can_deal());
        t.arrived("b");
        let commitment = t.view(None, 0).next_commitment;
        let out = t.start_hand("h1".into(), seed(1), 1_000);
        let started = out.started.unwrap();
        assert_eq!((started.hand, started.commitment.as_str()), (1, commitment.as_str()));
        // Heads-up the button is the small blind and is the last engine player.
        assert_eq!((started.button, started.seats.as_slice()), (Some(2), &[5, 2][..]));
        let ann = t.view(Some("a"), 1_000);
        let bob = t.view(Some("b"), 1_000);
        let spectator = t.view(Some("z"), 1_000);
        assert_eq!(ann.you, Some(2));
        assert_eq!(ann.to_act, Some(2), "the button acts first heads-up");
        let cards = |v: &TableState, seat: u8| v.seats.iter().find(|s| s.seat == seat).unwrap().cards.clone();
        assert!(cards(&ann, 2).iter().all(Option::is_some));
        assert_eq!(cards(&ann, 5), vec![None, None]);
        assert_eq!(cards(&bob, 2), vec![None, None]);
        assert!(cards(&spectator, 2).iter().chain(&cards(&spectator, 5)).all(Option::is_none));
        let legal = ann.legal.unwrap();
        assert_eq!((legal.call, legal.check), (Some(50), false));
        assert_eq!(legal.raise, Some(RaiseRange { kind: Move::Raise, min: 200, max: 10_000 }));
        assert!(bob.legal.is_none() && spectator.legal.is_none());
        let clock = ann.clock.unwrap();
        assert_eq!((clock.seat, clock.clock_ends_ms, clock.bank_ends_ms), (2, 31_000, 41_000));
        assert_ne!(t.view(None, 0).next_commitment, commitment, "the next hand has its own seed");
    }

    #[test]
    fn refused_actions_change_nothing() {
        let mut t = table(GameConfig::nlhe(50, 100), 6, 3, 5_000);
        t.start_hand("h1".into(), seed(1), 0);
        let before = t.clone();
        let first = user_to_act(&t);
        let other = ["u1", "u2", "u3"].into_iter().find(|u| *u != first).unwrap();
        let refused =
            |t: &mut Table, user: &str, hand, mv, amount| t.act(user, hand, mv, amount, 10).unwrap_err().code;
        assert_eq!(refused(&mut t, other, 1, Move::Call, None), "not_your_turn");
        assert_eq!(refused(&mut t, &first, 2, Move::Call, None), "stale_hand");
        assert_eq!(refused(&mut t, &first, 1, Move::Check, None), "check_facing_bet");
        assert_eq!(refused(&mut t, &first, 1, Move::Raise, Some(150)), "raise_too_small");
        assert_eq!(refused(&mut t, &first, 1, Move::Raise, Some(5_001)), "more_than_stack");
        assert_eq!(refused(&mut t, &first, 1, Move::Raise, None), "invalid");
        assert_eq!(refused(&mut t, "nobody", 1, Move::Call, None), "not_seated");
        assert_eq!(t, before);
        let msg = t.act(other, 1, Move::Call, None, 10).unwrap_err().message;
        assert!(msg.starts_with("It is seat "), "{msg}");
    }

    #[test]
    fn random_play_conserves_chips_and_every_hand_verifies_and_replays() {
        for (stakes, seats) in [
            (GameConfig::nlhe(50, 100), 9),
            (GameConfig::plo(50, 100), 6),
            (GameConfig::stud(10, 25, 100, 200), 8),
        ] {
            let mut t = table(stakes, seats, usize::from(seats), 5_000);
            let mut total = t.chips_total();
            let mut newcomers = 0;
            let mut rng = KeyedStream::new(b"play-test", &ShuffleInputs::default());
            let mut now = 0;
            let mut hands = 0;
            while hands < 60 {
                // Those who lost everything are replaced by newcomers.
                for seat in 1..=seats {
                    if t.seats[usize::from(seat) - 1].is_none() {
                        newcomers += 1;
                        let user = format!("new{newcomers}");
                        t.sit(seat, &user, &user, 5_000).unwrap();
                        t.arrived(&user);
                        total += 5_000;
                    }
                }
                let before: Vec<Option<Player>> = t.seats.clone();
                let started = t.start_hand(format!("h{hands}"), seed(hands + 10), now).started.unwrap();
                assert!(started.seats.len() >= 2);
                let mut finished = None;
                while t.hand.is_some() {
                    now += 5;
                    assert_eq!(t.chips_total(), total, "chips are conserved inside a hand");
                    finished = random_move(&mut t, &mut rng, now).finished.or(finished);
                }
                let finished = finished.expect("the hand finished");
                let ended = &finished.record.ended;
                assert_eq!(
                    finished.chips.iter().map(|(_, c)| c).sum::<u64>(),
                    ended.players.iter().map(|p| p.starting_stack).sum::<u64>()
                );
                assert_eq!(t.chips_total() + finished.cash_outs.iter().map(|c| c.chips).sum::<u64>(), total);
                total = t.chips_total();
                verify_hand(ended, None).unwrap();
                for p in &ended.players {
                    let seat = usize::from(p.seat) - 1;
                    let cards = &t.last_cards.iter().find(|(s, _, _)| *s == p.seat).unwrap().2;
                    verify_hand(ended, Some((p.seat, cards))).unwrap();
                    assert_eq!(before[seat].as_ref().unwrap().chips, p.starting_stack);
                }
                let replayed = HandHistory::parse_phh(&finished.record.phh).unwrap().replay().unwrap();
                assert_eq!(replayed.stacks(), finished.record.finishing.as_slice());
                hands += 1;
            }
            assert!(newcomers > 0, "some players bust with random play");
        }
    }

    fn sit_and_go(stakes: GameConfig, seats: u8, entry: u64, starting_chips: u64) -> Table {
        let rules = TableRules {
            min_buy_in: entry,
            max_buy_in: entry,
            sit_and_go: Some(SitAndGoRules { entry, starting_chips, level_minutes: 1 }),
            ..rules(stakes, seats)
        };
        Table::new("sng".into(), rules, seed(0))
    }

    #[test]
    fn a_sit_and_go_starts_when_full_and_is_played_to_one_winner_who_takes_the_top_prize() {
        for (stakes, seats) in
            [(GameConfig::nlhe(10, 20), 6), (GameConfig::plo(10, 20), 4), (GameConfig::stud(2, 5, 10, 20), 7)]
        {
            let mut t = sit_and_go(stakes, seats, 1_000, 1_500);
            for i in 1..seats {
                t.sit(i, &format!("u{i}"), &format!("p{i}"), 1_500).unwrap();
                assert!(!t.start_if_full(0));
            }
            // One left away the whole time: dealt in and folded (or checked) for, blinded.
            assert!(!t.can_deal(), "waits for its last seat");
            assert_eq!(
                t.leave("u1", 0).0,
                Leave::Now(CashOut { user_id: "u1".into(), seat: 1, chips: 1_500 })
            );
            t.sit(1, "u1", "p1", 1_500).unwrap();
            t.sit(seats, "away", "away", 1_500).unwrap();
            assert!(t.start_if_full(60_000));
            assert!(!t.start_if_full(60_000), "once");
            for i in 1..seats {
                t.arrived(&format!("u{i}"));
            }
            assert_eq!(t.leave("u1", 60_000).0, Leave::Playing, "no one gets up once it started");
            assert_eq!(t.sit(seats, "late", "late", 1_500).unwrap_err().code, "conflict");
            let total = 1_500 * u64::from(seats);
            let mut rng = KeyedStream::new(b"sng", &ShuffleInputs::default());
            let mut now = 60_000;
            let mut placed = Vec::new();
            let mut hand = 0;
            let mut big_blinds = Vec::new();
            while t.can_deal() {
                hand += 1;
                now += 20_000;
                let started = t.start_hand(format!("h{hand}"), seed(hand + 10), now);
                let mut finished = started.finished;
                let expected = stakes_at(&stakes, u32::try_from((now - 60_000) / 60_000).unwrap());
                assert_eq!(
                    *t.hand.as_ref().map_or(&expected, |h| h.game.config()),
                    expected,
                    "the level's stakes"
                );
                big_blinds.push(expected.big_blind.max(expected.big_bet));
                while t.hand.is_some() {
                    assert_eq!(t.chips_total(), total, "tournament chips are conserved");
                    finished = random_move(&mut t, &mut rng, now).finished.or(finished);
                }
                let finished = finished.expect("the hand finished");
                assert!(finished.cash_outs.is_empty(), "nobody cashes out of a tournament");
                let replayed = HandHistory::parse_phh(&finished.record.phh).unwrap().replay().unwrap();
                assert_eq!(replayed.stacks(), finished.record.finishing.as_slice());
                placed.extend(finished.places);
                assert!(hand < 2_000, "rising stakes end every tournament");
            }
            assert!(big_blinds.windows(2).all(|w| w[0] <= w[1]) && big_blinds.last() > big_blinds.first());
            assert_eq!(placed.len(), usize::from(seats), "every entrant placed once");
            assert!(t.seats.iter().all(Option::is_none), "the table is empty at the end");
            let winner = placed.iter().find(|p| p.place == 1).unwrap();
            let prizes = prizes(seats, 1_000 * u64::from(seats));
            assert_eq!(winner.prize, prizes[0]);
            assert_eq!(
                placed.iter().map(|p| p.prize).sum::<u64>(),
                1_000 * u64::from(seats),
                "the pool is paid out"
            );
            let view = t.view(None, now).tournament.unwrap();
            assert_eq!(view.stage, Stage::Finished);
            assert_eq!(view.results.first().map(|r| r.place), Some(1));
            assert!(
                placed.iter().any(|p| p.user_id == "away" && p.place > 1),
                "the absent player was blinded out"
            );
        }
    }

    #[test]
    fn a_sit_and_go_shows_its_level_prizes_and_the_next_stakes() {
        let mut t = sit_and_go(GameConfig::nlhe(10, 20), 4, 500, 1_000);
        t.sit(1, "a", "ann", 1_000).unwrap();
        let view = t.view(Some("a"), 5).tournament.unwrap();
        assert_eq!((view.stage, view.level, view.next_level_ms), (Stage::Registering, 1, None));
        assert_eq!(view.prizes, vec![1_300, 700], "4 seats pay two places");
        for (seat, user) in [(2, "b"), (3, "c"), (4, "d")] {
            t.sit(seat, user, user, 1_000).unwrap();
            t.arrived(user);
        }
        t.arrived("a");
        assert!(t.start_if_full(1_000));
        let view = t.view(Some("a"), 61_000);
        let sng = view.tournament.unwrap();
        assert_eq!((sng.stage, sng.level, sng.next_level_ms), (Stage::Running, 2, Some(121_000)));
        assert_eq!((view.stakes.small_blind, view.stakes.big_blind), (15, 30));
        assert_eq!((sng.next_stakes.small_blind, sng.next_stakes.big_blind), (20, 40));
    }

    #[test]
    fn a_tampered_hand_does_not_verify() {
        let mut t = table(GameConfig::nlhe(50, 100), 6, 2, 5_000);
        t.start_hand("h1".into(), seed(1), 0);
        let mut rng = KeyedStream::new(b"x", &ShuffleInputs::default());
        let mut ended = None;
        while t.hand.is_some() {
            ended = random_move(&mut t, &mut rng, 0).ended.or(ended);
        }
        let ended = ended.unwrap();
        let mine = t.last_cards[0].clone();
        let mine = Some((mine.0, mine.2.as_slice()));
        verify_hand(&ended, mine).unwrap();
        let mut other_seed = ended.clone();
        other_seed.seed = hex(&seed(99));
        assert_eq!(verify_hand(&other_seed, None), Err(VerifyError::Commitment));
        let mut other_entropy = ended.clone();
        other_entropy.entropy.push(Entropy { seat: 1, hex: "00".into() });
        assert!(matches!(verify_hand(&other_entropy, mine), Err(VerifyError::Replay(_))));
        let mut other_stacks = ended.clone();
        other_stacks.players[0].finishing_stack += 1;
        assert!(verify_hand(&other_stacks, None).is_err());
    }

    #[test]
    fn entropy_is_taken_for_the_committed_hand_only_and_changes_the_deck() {
        let mut a = table(GameConfig::nlhe(50, 100), 6, 2, 5_000);
        let mut b = a.clone();
        assert_eq!(a.add_entropy("u1", 2, vec![1]).unwrap_err().code, "stale_hand");
        assert_eq!(a.add_entropy("u1", 1, vec![]).unwrap_err().code, "invalid");
        assert_eq!(a.add_entropy("u1", 1, vec![0; 65]).unwrap_err().code, "invalid");
        assert_eq!(a.add_entropy("zz", 1, vec![1]).unwrap_err().code, "not_seated");
        a.add_entropy("u1", 1, b"ann's bytes".to_vec()).unwrap();
        let started = a.start_hand("h1".into(), seed(1), 0).started.unwrap();
        assert_eq!(started.entropy, vec![Entropy { seat: 1, hex: hex(b"ann's bytes") }]);
        b.start_hand("h1".into(), seed(1), 0);
        assert_ne!(a.hand.as_ref().unwrap().game.deck(), b.hand.as_ref().unwrap().game.deck());
        assert_eq!(from_hex(&started.entropy[0].hex).unwrap(), b"ann's bytes");
    }

    #[test]
    fn the_clock_checks_or_folds_for_a_player_who_runs_out_and_sits_them_out() {
        let mut t = table(GameConfig::nlhe(50, 100), 6, 3, 5_000);
        let out = t.start_hand("h1".into(), seed(1), 0);
        assert!(out.actions.is_empty());
        let first = user_to_act(&t);
        let wake = t.wake_at().unwrap();
        assert_eq!(wake, 30_000 + 10_000, "the clock, then the time bank (10 s)");
        assert!(t.clock(wake - 1).actions.is_empty(), "not yet");
        let out = t.clock(wake);
        assert_eq!(out.actions.len(), 1);
        assert_eq!((out.actions[0].action, out.actions[0].auto), (Move::Fold, true));
        let seat = t.seat_of(&first).unwrap();
        assert_eq!(t.player(seat).unwrap().sitting_out, Some(SitOut::TimedOut));
        assert_eq!(t.player(seat).unwrap().time_bank_ms, 0);
        // Someone who used 5 s of their bank keeps the rest.
        let next = user_to_act(&t);
        let started = t.hand.as_ref().unwrap().turn.unwrap().started_ms;
        let bank = t.player(t.seat_of(&next).unwrap()).unwrap().time_bank_ms;
        t.act(&next, 1, Move::Call, None, started + 35_000).unwrap();
        assert_eq!(t.player(t.seat_of(&next).unwrap()).unwrap().time_bank_ms, bank - 5_000);
        // Sitting back in deals them in again from the next hand.
        t.sit_in(&first).unwrap();
        assert_eq!(t.player(seat).unwrap().sitting_out, None);
    }

    #[test]
    fn leaving_mid_hand_folds_at_the_players_turn_and_cashes_out_at_the_end() {
        let mut t = table(GameConfig::nlhe(50, 100), 6, 3, 5_000);
        assert!(matches!(t.leave("nobody", 0).0, Leave::NotSeated));
        t.start_hand("h1".into(), seed(1), 0);
        let first = user_to_act(&t);
        let (leave, out) = t.leave(&first, 5);
        assert_eq!(leave, Leave::AfterHand);
        assert_eq!((out.actions[0].action, out.actions[0].auto), (Move::Fold, true));
        let mut rng = KeyedStream::new(b"y", &ShuffleInputs::default());
        let mut finished = None;
        while t.hand.is_some() {
            finished = random_move(&mut t, &mut rng, 10).finished.or(finished);
        }
        let finished = finished.unwrap();
        let gone = finished.cash_outs.iter().find(|c| c.user_id == first).expect("cashed out");
        assert_eq!(gone.chips, 5_000, "folded before putting anything in (not a blind: under the gun)");
        assert!(t.seat_of(&first).is_none());
        // Between hands, getting up is immediate.
        let (leave, _) = t.leave("u1", 20);
        assert!(
            matches!(leave, Leave::Now(CashOut { ref user_id, .. }) if user_id == "u1")
                || t.seat_of("u1").is_none()
        );
    }

    #[test]
    fn a_leaving_player_checks_when_checking_is_free() {
        let mut t = table(GameConfig::nlhe(50, 100), 6, 3, 5_000);
        t.start_hand("h1".into(), seed(3), 0);
        // Everyone calls to the big blind, whose option it then is: free to check.
        for now in 1..10 {
            let h = t.hand.as_ref().unwrap();
            if h.game.options().unwrap().can_check {
                break;
            }
            let user = user_to_act(&t);
            t.act(&user, 1, Move::Call, None, now).unwrap();
        }
        let big_blind = user_to_act(&t);
        let (leave, out) = t.leave(&big_blind, 20);
        assert_eq!(leave, Leave::AfterHand);
        assert_eq!((out.actions[0].action, out.actions[0].auto), (Move::Check, true));
        assert!(t.hand.is_some(), "the hand goes on to the flop");
    }

    #[test]
    fn a_player_with_no_chips_left_gives_up_the_seat_and_the_button_moves() {
        let mut t = table(GameConfig::nlhe(50, 100), 4, 3, 1_000);
        t.start_hand("h1".into(), seed(1), 0);
        let b1 = t.button;
        // Everyone goes all in.
        while t.hand.is_some() {
            let h = t.hand.as_ref().unwrap();
            let o = h.game.options().unwrap();
            let (user, n) = (user_to_act(&t), h.number);
            let out = match o.max_raise_to {
                Some(max) => t.act(&user, n, raise_kind(&t.hand.as_ref().unwrap().game), Some(max), 0),
                None => t.act(&user, n, Move::Call, None, 0),
            }
            .unwrap();
            if let Some(f) = out.finished {
                assert!(!f.cash_outs.is_empty(), "someone lost everything");
                for c in &f.cash_outs {
                    assert_eq!(c.chips, 0);
                    assert!(t.seat_of(&c.user_id).is_none());
                }
            }
        }
        if t.can_deal() {
            t.start_hand("h2".into(), seed(2), 0);
            assert_ne!(t.button, b1);
        }
    }

    #[test]
    fn show_after_the_hand_reveals_ones_cards_once() {
        let mut t = table(GameConfig::nlhe(50, 100), 6, 2, 5_000);
        t.start_hand("h1".into(), seed(1), 0);
        assert_eq!(t.show("u1").unwrap_err().code, "invalid");
        let first = user_to_act(&t);
        t.act(&first, 1, Move::Fold, None, 0).unwrap();
        let shown = t.show(&first).unwrap().unwrap();
        assert_eq!((shown.action, shown.cards.len()), (Move::Show, 2));
        assert_eq!(t.show(&first).unwrap(), None, "once");
        assert_eq!(t.last.as_ref().unwrap().shown.len(), 1);
        verify_hand(t.last.as_ref().unwrap(), None).unwrap();
    }

    #[test]
    fn a_new_player_in_a_freed_seat_neither_shows_the_last_players_cards_nor_inherits_their_entropy() {
        let mut t = table(GameConfig::nlhe(50, 100), 6, 3, 5_000);
        t.start_hand("h1".into(), seed(1), 0);
        let first = user_to_act(&t);
        t.act(&first, 1, Move::Fold, None, 0).unwrap();
        let mut rng = KeyedStream::new(b"z", &ShuffleInputs::default());
        while t.hand.is_some() {
            random_move(&mut t, &mut rng, 0);
        }
        let seat = t.seat_of(&first).unwrap();
        t.add_entropy(&first, 2, b"mine".to_vec()).unwrap();
        assert!(matches!(t.leave(&first, 0).0, Leave::Now(_)));
        t.sit(seat_number(seat), "newcomer", "newcomer", 5_000).unwrap();
        assert_eq!(t.show("newcomer").unwrap_err().code, "not_in_hand");
        t.arrived("newcomer");
        let started = t.start_hand("h2".into(), seed(2), 0).started.unwrap();
        assert!(started.entropy.iter().all(|e| e.seat != seat_number(seat)), "{:?}", started.entropy);
    }

    #[test]
    fn sitting_out_or_in_twice_changes_nothing_the_second_time() {
        let mut t = table(GameConfig::nlhe(50, 100), 6, 2, 5_000);
        assert_eq!(t.sit_out("u1"), Ok(true));
        assert_eq!(t.sit_out("u1"), Ok(false));
        assert_eq!(t.sit_in("u1"), Ok(true));
        assert_eq!(t.sit_in("u1"), Ok(false));
        assert_eq!(t.sit_in("zz").unwrap_err().code, "not_seated");
    }

    #[test]
    fn an_all_in_before_the_river_is_marked_as_run_out_and_a_called_river_is_not() {
        // Heads-up all in preflop: the whole board is run out.
        let mut t = table(GameConfig::nlhe(50, 100), 6, 2, 5_000);
        t.start_hand("h1".into(), seed(1), 0);
        let first = user_to_act(&t);
        t.act(&first, 1, Move::Raise, Some(5_000), 10).unwrap();
        let second = user_to_act(&t);
        let ended = t.act(&second, 1, Move::Call, None, 20).unwrap().ended.unwrap();
        assert_eq!((ended.run_out_from, ended.run_out_streets(), ended.board.len()), (Some(0), 3, 5));
        assert_eq!(ended.shown.len(), 2, "both hands are face up for the run-out");

        // Checked down to the river: decided by the betting, nothing run out.
        let mut t = table(GameConfig::nlhe(50, 100), 6, 2, 5_000);
        t.start_hand("h1".into(), seed(2), 0);
        let mut ended = None;
        for step in 0..20 {
            let user = user_to_act(&t);
            let h = t.hand.as_ref().unwrap();
            let mv = if h.game.options().unwrap().can_check { Move::Check } else { Move::Call };
            if let Some(e) = t.act(&user, 1, mv, None, step).unwrap().ended {
                ended = Some(e);
                break;
            }
        }
        let ended = ended.unwrap();
        assert_eq!((ended.run_out_from, ended.run_out_streets()), (None, 0));
        assert!(ended.winners.iter().all(|w| w.hand.is_some()), "a showdown all the same");
    }

    #[test]
    fn side_pots_close_at_each_all_in_level() {
        assert_eq!(side_pots(&[100, 100, 100], &[true, true, true]), vec![300]);
        assert_eq!(side_pots(&[50, 100, 100], &[true, true, true]), vec![150, 100]);
        assert_eq!(side_pots(&[50, 200, 100], &[true, false, true]), vec![150, 200]);
        assert_eq!(side_pots(&[0, 0], &[true, true]), Vec::<u64>::new());
        assert_eq!(side_pots(&[30, 0], &[false, true]), vec![30]);
    }
}
