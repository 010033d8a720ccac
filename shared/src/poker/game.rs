//! The rules engine: one hand of No-Limit Texas Hold'em, Pot-Limit Omaha or fixed-limit Seven-Card
//! Stud as a state machine. [`Game::act`] either applies a legal action or returns a specific
//! [`ActionError`] and leaves the state untouched (every check runs before the first write).
//!
//! Players are numbered as in PHH (PokerKit): in the button games player 0 sits left of the button
//! (small blind) and the last player is the button; heads-up, player 0 is the big blind and the button
//! posts the small blind. In Stud there is no button and players are numbered by seat.
//!
//! Cards come from a deck fixed at the start (the shuffled deck of [`super::shuffle`]), dealt from the
//! top without burns: all of one player's cards for a street before the next player's, then the
//! board, which is the order PHH lists them in. Should eight-handed Stud exhaust the deck on seventh
//! street, the folded players' cards are dealt next, in folding order (PokerKit reuses its muck).
//!
//! The betting rules mirror PokerKit 0.7.7's `State` (minimum raise, reopening, the fixed-limit cap,
//! who acts on a street), so that PokerKit replays every hand history to the same chips;
//! `scripts/pokerkit-check.sh` checks it.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::{
    cards::Card,
    eval::{evaluate, evaluate_omaha, showing_strength, HandRank},
};

/// The three games the engine plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// No-Limit Texas Hold'em.
    Nlhe,
    /// Pot-Limit Omaha (four hole cards, exactly two used).
    Plo,
    /// Fixed-limit Seven-Card Stud with antes and a bring-in.
    Stud,
}

impl Variant {
    pub fn max_players(self) -> usize {
        match self {
            Variant::Stud => 8,
            _ => 9,
        }
    }

    fn streets(self) -> usize {
        match self {
            Variant::Stud => 5,
            _ => 4,
        }
    }
}

/// Stakes. Button games use the blinds (the big blind is also the minimum bet); Stud uses the
/// bring-in and the small bet (third and fourth street) and big bet (fifth to seventh street).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameConfig {
    pub variant: Variant,
    pub ante: u64,
    pub small_blind: u64,
    pub big_blind: u64,
    pub bring_in: u64,
    pub small_bet: u64,
    pub big_bet: u64,
}

impl GameConfig {
    pub fn nlhe(small_blind: u64, big_blind: u64) -> GameConfig {
        GameConfig {
            variant: Variant::Nlhe,
            ante: 0,
            small_blind,
            big_blind,
            bring_in: 0,
            small_bet: 0,
            big_bet: 0,
        }
    }

    pub fn plo(small_blind: u64, big_blind: u64) -> GameConfig {
        GameConfig { variant: Variant::Plo, ..GameConfig::nlhe(small_blind, big_blind) }
    }

    pub fn stud(ante: u64, bring_in: u64, small_bet: u64, big_bet: u64) -> GameConfig {
        GameConfig {
            variant: Variant::Stud,
            ante,
            small_blind: 0,
            big_blind: 0,
            bring_in,
            small_bet,
            big_bet,
        }
    }

    pub fn with_ante(self, ante: u64) -> GameConfig {
        GameConfig { ante, ..self }
    }

    fn check(&self) -> Result<(), SetupError> {
        let ok = match self.variant {
            Variant::Stud => {
                self.bring_in > 0 && self.bring_in <= self.small_bet && self.small_bet <= self.big_bet
            }
            _ => self.big_blind > 0 && self.small_blind <= self.big_blind,
        };
        if ok {
            Ok(())
        } else {
            Err(SetupError::Stakes)
        }
    }
}

/// A player's move. Amounts in `BetRaiseTo` are the player's total bet on this street after the move
/// (PHH's `cbr`), not the increment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Fold,
    Check,
    Call,
    /// Check if nothing is owed, otherwise call (PHH `cc`).
    CheckCall,
    /// Complete, bet or raise to this street total (PHH `cbr`).
    BetRaiseTo(u64),
    /// Stud only: the opener posts the bring-in instead of completing (PHH `pb`).
    BringIn,
}

/// Why an action was refused. The state is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ActionError {
    HandOver,
    NotYourTurn {
        expected: usize,
        got: usize,
    },
    CheckFacingBet {
        to_call: u64,
    },
    NothingToCall,
    RaiseTooSmall {
        min_to: u64,
    },
    /// Above the pot-limit maximum.
    RaiseTooLarge {
        max_to: u64,
    },
    /// In fixed limit a bet or raise is one exact size (unless it puts the player all in).
    WrongFixedAmount {
        expected_to: u64,
    },
    MoreThanStack {
        max_to: u64,
    },
    /// Only an incomplete all-in raise has happened since this player acted: call or fold.
    BettingNotReopened,
    /// No opponent could put in more than the current bet (all in, or covered by it).
    NoOneToRaise,
    /// Fixed limit allows four completions, bets and raises per street (all-ins for less count).
    BetCapReached,
    /// The Stud opener must post the bring-in or complete.
    MustBringInOrComplete,
    /// Only the Stud opener's first action can be the bring-in.
    BringInNotAllowed,
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::HandOver => write!(f, "the hand is over"),
            ActionError::NotYourTurn { expected, got } => {
                write!(f, "it is player {}'s turn, not player {}'s", expected + 1, got + 1)
            }
            ActionError::CheckFacingBet { to_call } => {
                write!(f, "cannot check facing a bet: call {to_call} or fold")
            }
            ActionError::NothingToCall => write!(f, "there is no bet to call: check instead"),
            ActionError::RaiseTooSmall { min_to } => write!(f, "the smallest bet or raise is to {min_to}"),
            ActionError::RaiseTooLarge { max_to } => {
                write!(f, "the pot limit allows at most a raise to {max_to}")
            }
            ActionError::WrongFixedAmount { expected_to } => {
                write!(f, "in fixed limit the bet or raise is to exactly {expected_to}")
            }
            ActionError::MoreThanStack { max_to } => write!(f, "not enough chips: at most {max_to} (all in)"),
            ActionError::BettingNotReopened => {
                write!(f, "an incomplete all-in raise does not reopen the betting: call or fold")
            }
            ActionError::NoOneToRaise => write!(f, "no opponent could call a raise: call or fold"),
            ActionError::BetCapReached => write!(f, "the betting is capped at four bets: call or fold"),
            ActionError::MustBringInOrComplete => write!(f, "post the bring-in or complete the bet"),
            ActionError::BringInNotAllowed => write!(f, "only the opener's first action can be the bring-in"),
        }
    }
}

impl std::error::Error for ActionError {}

/// Why a hand could not start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SetupError {
    PlayerCount {
        min: usize,
        max: usize,
        got: usize,
    },
    EmptyStack {
        player: usize,
    },
    /// The deck must be 52 distinct cards.
    Deck,
    Stakes,
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetupError::PlayerCount { min, max, got } => {
                write!(f, "this game takes {min} to {max} players, got {got}")
            }
            SetupError::EmptyStack { player } => write!(f, "player {} has no chips", player + 1),
            SetupError::Deck => write!(f, "the deck must hold 52 distinct cards"),
            SetupError::Stakes => write!(f, "the stakes are inconsistent for this game"),
        }
    }
}

impl std::error::Error for SetupError {}

/// What happened, in order: the material for hand histories and for the table's broadcast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Ante {
        player: usize,
        amount: u64,
    },
    Blind {
        player: usize,
        amount: u64,
    },
    /// Hole cards of one street; in Stud `up` flags which are dealt face up.
    DealHole {
        street: usize,
        player: usize,
        cards: Vec<Card>,
        up: Vec<bool>,
    },
    DealBoard {
        street: usize,
        cards: Vec<Card>,
    },
    Fold {
        player: usize,
    },
    Check {
        player: usize,
    },
    Call {
        player: usize,
        amount: u64,
    },
    BringIn {
        player: usize,
        amount: u64,
    },
    /// Bet, raise or completion to a street total.
    BetRaise {
        player: usize,
        to: u64,
        all_in: bool,
    },
    UncalledReturned {
        player: usize,
        amount: u64,
    },
    Show {
        player: usize,
        cards: Vec<Card>,
        rank: HandRankInfo,
    },
    Muck {
        player: usize,
    },
    /// `pot` 0 is the main pot, then side pots.
    Win {
        player: usize,
        amount: u64,
        pot: usize,
    },
}

/// A hand's class and description, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandRankInfo {
    pub value: u16,
    pub description: String,
}

/// What the player to act may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    pub player: usize,
    pub to_call: u64,
    pub can_check: bool,
    pub can_fold: bool,
    /// Bet/raise bounds as street totals; `None` if raising is not allowed.
    pub min_raise_to: Option<u64>,
    pub max_raise_to: Option<u64>,
    pub can_bring_in: bool,
}

/// One hand in progress or finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Game {
    config: GameConfig,
    starting_stacks: Vec<u64>,
    stacks: Vec<u64>,
    bets: Vec<u64>,
    committed: Vec<u64>,
    folded: Vec<bool>,
    hole: Vec<Vec<Card>>,
    up: Vec<Vec<bool>>,
    board: Vec<Card>,
    deck: Vec<Card>,
    next_card: usize,
    /// Hole cards of folded players, in folding order: dealt again (in that order) once the deck is
    /// empty, as PokerKit does with its muck when seventh street runs out of cards.
    mucked: Vec<Card>,
    reused: usize,
    street: usize,
    to_act: Option<usize>,
    pending: Vec<bool>,
    /// Players who acted since the last bet or raise that reopened the betting (PokerKit's
    /// `acted_player_indices`).
    acted: Vec<bool>,
    current_bet: u64,
    /// The largest bet or raise increment of this street, incomplete all-ins included (PokerKit's
    /// `completion_betting_or_raising_amount`); a raise is by at least this and the bet unit.
    raise_increment: u64,
    /// Completions, bets and raises on this street, all-ins for less included (the fixed-limit cap).
    raises: u32,
    /// Increments of the all-in raises for less since the last raise that left chips behind; once they
    /// add up to a full raise they reopen the betting (PokerKit's `consecutive_short_all_in_amounts`).
    short_all_ins: Vec<u64>,
    /// Stud third street until someone completes: the first bet is to the small bet, not a raise.
    completion_pending: bool,
    bring_in_pending: bool,
    last_aggressor: Option<usize>,
    street_opener: Option<usize>,
    over: bool,
    events: Vec<Event>,
}

impl Game {
    /// Starts a hand: posts antes and blinds, deals the first street and finds the first player to act.
    pub fn new(config: GameConfig, starting_stacks: Vec<u64>, deck: Vec<Card>) -> Result<Game, SetupError> {
        config.check()?;
        let n = starting_stacks.len();
        let max = config.variant.max_players();
        if !(2..=max).contains(&n) {
            return Err(SetupError::PlayerCount { min: 2, max, got: n });
        }
        if let Some(p) = starting_stacks.iter().position(|&s| s == 0) {
            return Err(SetupError::EmptyStack { player: p });
        }
        let mut seen = 0u64;
        for c in &deck {
            seen |= 1 << c.index();
        }
        if deck.len() != 52 || seen.count_ones() != 52 {
            return Err(SetupError::Deck);
        }
        let mut g = Game {
            config,
            stacks: starting_stacks.clone(),
            starting_stacks,
            bets: vec![0; n],
            committed: vec![0; n],
            folded: vec![false; n],
            hole: vec![Vec::new(); n],
            up: vec![Vec::new(); n],
            board: Vec::new(),
            deck,
            next_card: 0,
            mucked: Vec::new(),
            reused: 0,
            street: 0,
            to_act: None,
            pending: vec![false; n],
            acted: vec![false; n],
            current_bet: 0,
            raise_increment: 0,
            raises: 0,
            short_all_ins: Vec::new(),
            completion_pending: false,
            bring_in_pending: false,
            last_aggressor: None,
            street_opener: None,
            over: false,
            events: Vec::new(),
        };
        for p in 0..n {
            let a = g.config.ante.min(g.stacks[p]);
            if a > 0 {
                g.stacks[p] -= a;
                g.committed[p] += a;
                g.events.push(Event::Ante { player: p, amount: a });
            }
        }
        if config.variant != Variant::Stud {
            // Heads-up the button (player 1) posts the small blind.
            let (sb, bb) = if n == 2 { (1, 0) } else { (0, 1) };
            for (p, blind) in [(sb, config.small_blind), (bb, config.big_blind)] {
                let a = blind.min(g.stacks[p]);
                if a > 0 {
                    g.put_in(p, a);
                    g.events.push(Event::Blind { player: p, amount: a });
                }
            }
        }
        g.deal_street();
        g.start_round();
        Ok(g)
    }

    pub fn config(&self) -> &GameConfig {
        &self.config
    }

    pub fn players(&self) -> usize {
        self.stacks.len()
    }

    pub fn is_over(&self) -> bool {
        self.over
    }

    pub fn to_act(&self) -> Option<usize> {
        self.to_act
    }

    /// Chips behind (not yet bet). After the hand, the finishing stacks.
    pub fn stacks(&self) -> &[u64] {
        &self.stacks
    }

    pub fn starting_stacks(&self) -> &[u64] {
        &self.starting_stacks
    }

    /// Chips each player has bet on this street (blinds and the bring-in included).
    pub fn bets(&self) -> &[u64] {
        &self.bets
    }

    /// The street's bet to match.
    pub fn current_bet(&self) -> u64 {
        self.current_bet
    }

    /// Stud third street before anyone completed: a bet now completes to the small bet.
    pub fn completion_pending(&self) -> bool {
        self.completion_pending
    }

    /// Chips put in this hand by each player (antes, blinds, bets), net of returned uncalled bets.
    pub fn committed(&self) -> &[u64] {
        &self.committed
    }

    /// All chips in the middle.
    pub fn pot(&self) -> u64 {
        if self.over {
            0
        } else {
            self.committed.iter().sum()
        }
    }

    pub fn board(&self) -> &[Card] {
        &self.board
    }

    pub fn hole_cards(&self, player: usize) -> &[Card] {
        &self.hole[player]
    }

    /// Stud: which of the player's cards are face up.
    pub fn face_up(&self, player: usize) -> &[bool] {
        &self.up[player]
    }

    pub fn has_folded(&self, player: usize) -> bool {
        self.folded[player]
    }

    /// 0 = preflop / third street.
    pub fn street(&self) -> usize {
        self.street
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Cards the deck dealt, in order (for hand histories and replay).
    pub fn deck(&self) -> &[Card] {
        &self.deck
    }

    fn n(&self) -> usize {
        self.stacks.len()
    }

    fn able(&self, p: usize) -> bool {
        !self.folded[p] && self.stacks[p] > 0
    }

    fn live(&self) -> usize {
        self.folded.iter().filter(|f| !**f).count()
    }

    fn put_in(&mut self, p: usize, amount: u64) {
        self.stacks[p] -= amount;
        self.bets[p] += amount;
        self.committed[p] += amount;
    }

    fn draw(&mut self) -> Card {
        if self.next_card < self.deck.len() {
            self.next_card += 1;
            self.deck[self.next_card - 1]
        } else {
            self.reused += 1;
            self.mucked[self.reused - 1]
        }
    }

    /// Cards left to deal: the deck, then the folded players' cards.
    fn cards_left(&self) -> usize {
        self.deck.len() - self.next_card + self.mucked.len() - self.reused
    }

    fn deal_street(&mut self) {
        let n = self.n();
        let (hole_count, board_count, up_pattern): (usize, usize, &[bool]) =
            match (self.config.variant, self.street) {
                (Variant::Nlhe, 0) => (2, 0, &[false, false]),
                (Variant::Plo, 0) => (4, 0, &[false, false, false, false]),
                (Variant::Nlhe | Variant::Plo, 1) => (0, 3, &[]),
                (Variant::Nlhe | Variant::Plo, _) => (0, 1, &[]),
                (Variant::Stud, 0) => (3, 0, &[false, false, true]),
                (Variant::Stud, 1..=3) => (1, 0, &[true]),
                (Variant::Stud, _) => (1, 0, &[false]),
            };
        if hole_count > 0 {
            let receivers: Vec<usize> = (0..n).filter(|&p| !self.folded[p]).collect();
            if self.cards_left() < receivers.len() * hole_count {
                // Stud with eight players can run out on seventh street even with the folded cards:
                // one shared card instead (PokerKit's rule too).
                let c = self.draw();
                self.board.push(c);
                self.events.push(Event::DealBoard { street: self.street, cards: vec![c] });
                return;
            }
            for p in receivers {
                let cards: Vec<Card> = (0..hole_count).map(|_| self.draw()).collect();
                self.hole[p].extend(&cards);
                self.up[p].extend(up_pattern);
                self.events.push(Event::DealHole {
                    street: self.street,
                    player: p,
                    cards,
                    up: up_pattern.to_vec(),
                });
            }
        }
        if board_count > 0 {
            let cards: Vec<Card> = (0..board_count).map(|_| self.draw()).collect();
            self.board.extend(&cards);
            self.events.push(Event::DealBoard { street: self.street, cards });
        }
    }

    fn bet_unit(&self) -> u64 {
        match self.config.variant {
            Variant::Stud if self.street >= 2 => self.config.big_bet,
            Variant::Stud => self.config.small_bet,
            _ => self.config.big_blind,
        }
    }

    fn up_cards(&self, p: usize) -> Vec<Card> {
        self.hole[p].iter().zip(&self.up[p]).filter(|(_, u)| **u).map(|(c, _)| *c).collect()
    }

    /// Who opens the betting on this street, before skipping players who cannot act.
    fn opener(&self) -> usize {
        let n = self.n();
        match self.config.variant {
            Variant::Stud if self.street == 0 => {
                // Lowest up card; suits break ties, clubs lowest.
                (0..n)
                    .filter(|&p| !self.folded[p])
                    .min_by_key(|&p| {
                        let c = self.up_cards(p)[0];
                        (c.rank(), c.suit())
                    })
                    .unwrap_or(0)
            }
            Variant::Stud => {
                // Highest showing hand; ties go to the lowest player number.
                let live: Vec<usize> = (0..n).filter(|&p| !self.folded[p]).collect();
                let best = live.iter().map(|&p| showing_strength(&self.up_cards(p))).max().unwrap_or(0);
                live.into_iter().find(|&p| showing_strength(&self.up_cards(p)) == best).unwrap_or(0)
            }
            _ if self.street == 0 => {
                if n == 2 {
                    1
                } else {
                    2 % n
                }
            }
            _ => 0,
        }
    }

    fn start_round(&mut self) {
        let n = self.n();
        if self.street > 0 {
            self.bets = vec![0; n];
        }
        // As in PokerKit, the amount to call is the largest blind actually posted (a big blind all in
        // for less makes the others owe only what it posted).
        self.current_bet = self.bets.iter().copied().max().unwrap_or(0);
        self.raise_increment = 0;
        self.raises = 0;
        self.short_all_ins.clear();
        self.completion_pending = self.config.variant == Variant::Stud && self.street == 0;
        // As in PokerKit, a player acts on this street if he has chips and someone else could still
        // match more than his bet (a positive effective stack); a lone such player who owes nothing
        // does not act either.
        let mut totals: Vec<u64> =
            (0..n).filter(|&p| !self.folded[p]).map(|p| self.bets[p] + self.stacks[p]).collect();
        totals.sort_unstable();
        let second = if totals.len() >= 2 { totals[totals.len() - 2] } else { 0 };
        for p in 0..n {
            self.pending[p] = self.able(p) && second > self.bets[p];
            self.acted[p] = false;
        }
        let actors: Vec<usize> = (0..n).filter(|&p| self.pending[p]).collect();
        if actors.len() == 1 && self.bets[actors[0]] >= self.current_bet {
            self.pending = vec![false; n];
        }
        let opener = self.opener();
        if self.pending.iter().any(|&p| p) || self.street == 0 {
            // A street dealt without betting keeps the last betting round's showing order.
            self.last_aggressor = None;
            self.street_opener = Some(opener);
        }
        // As in PokerKit, if the lowest card is all in from the ante, the next player brings in.
        self.bring_in_pending = self.config.variant == Variant::Stud && self.street == 0;
        self.to_act = self.next_pending(opener, true);
        if self.to_act.is_none() {
            self.end_round();
        }
    }

    /// The first pending player starting at `from` (inclusive) or after it.
    fn next_pending(&self, from: usize, inclusive: bool) -> Option<usize> {
        let n = self.n();
        let start = if inclusive { 0 } else { 1 };
        (start..start + n).map(|i| (from + i) % n).find(|&p| self.pending[p])
    }

    /// Options of the player to act, or `None` when the hand is over.
    pub fn options(&self) -> Option<Options> {
        let p = self.to_act?;
        let to_call = self.current_bet.saturating_sub(self.bets[p]).min(self.stacks[p]);
        let (min, max) = match self.raise_bounds(p) {
            Ok(b) => (Some(b.0), Some(b.1)),
            Err(_) => (None, None),
        };
        Some(Options {
            player: p,
            to_call,
            can_check: to_call == 0 && !self.bring_in_pending,
            can_fold: !self.bring_in_pending,
            min_raise_to: min,
            max_raise_to: max,
            can_bring_in: self.bring_in_pending,
        })
    }

    /// The smallest complete bet or raise total (PokerKit's minimum completion/bet/raise-to before
    /// the all-in cap): the small bet for the Stud completion, otherwise the current bet plus the
    /// larger of the bet unit and the largest increment of this street.
    fn full_raise_to(&self) -> u64 {
        let step = self.raise_increment.max(self.bet_unit());
        if self.completion_pending {
            step
        } else {
            self.current_bet + step
        }
    }

    /// The smallest and largest legal bet/raise totals for `p`, or why none is legal. The checks are
    /// PokerKit's, in its order.
    fn raise_bounds(&self, p: usize) -> Result<(u64, u64), ActionError> {
        let all_in_to = self.bets[p] + self.stacks[p];
        let to_call = self.current_bet.saturating_sub(self.bets[p]).min(self.stacks[p]);
        // Facing less than a full raise since the player last acted (an incomplete all-in): no raise.
        if to_call < self.raise_increment {
            return Err(ActionError::BettingNotReopened);
        }
        if self.config.variant == Variant::Stud && self.raises >= 4 {
            return Err(ActionError::BetCapReached);
        }
        let shorts: u64 = self.short_all_ins.iter().sum();
        if !self.short_all_ins.is_empty() && shorts < self.raise_increment && self.acted[p] {
            return Err(ActionError::BettingNotReopened);
        }
        if all_in_to <= self.current_bet {
            return Err(ActionError::MoreThanStack { max_to: all_in_to });
        }
        // Someone else must be able to put in more than the current bet.
        let others_can_call = (0..self.n())
            .any(|q| q != p && !self.folded[q] && self.bets[q] + self.stacks[q] > self.current_bet);
        if !others_can_call {
            return Err(ActionError::NoOneToRaise);
        }
        let min = self.full_raise_to().min(all_in_to);
        let max = match self.config.variant {
            Variant::Stud => min,
            Variant::Plo => {
                let pot_after_call: u64 =
                    self.committed.iter().sum::<u64>() + (self.current_bet - self.bets[p]);
                (self.current_bet + pot_after_call).max(min).min(all_in_to)
            }
            Variant::Nlhe => all_in_to,
        };
        Ok((min, max))
    }

    /// Applies `action` by `player`, or explains why it is illegal without changing anything.
    pub fn act(&mut self, player: usize, action: Action) -> Result<(), ActionError> {
        let p = self.to_act.ok_or(ActionError::HandOver)?;
        if player != p {
            return Err(ActionError::NotYourTurn { expected: p, got: player });
        }
        let owed = self.current_bet.saturating_sub(self.bets[p]);
        if self.bring_in_pending && !matches!(action, Action::BringIn | Action::BetRaiseTo(_)) {
            return Err(ActionError::MustBringInOrComplete);
        }
        let action = match action {
            Action::CheckCall if owed == 0 => Action::Check,
            Action::CheckCall => Action::Call,
            a => a,
        };
        match action {
            Action::Fold => {
                // Folding when checking is free is allowed (PokerKit only warns about it).
                self.folded[p] = true;
                let cards = self.hole[p].clone();
                self.mucked.extend(cards);
                self.events.push(Event::Fold { player: p });
            }
            Action::Check => {
                if owed > 0 {
                    return Err(ActionError::CheckFacingBet { to_call: owed.min(self.stacks[p]) });
                }
                self.events.push(Event::Check { player: p });
            }
            Action::Call => {
                if owed == 0 {
                    return Err(ActionError::NothingToCall);
                }
                let amount = owed.min(self.stacks[p]);
                self.put_in(p, amount);
                self.events.push(Event::Call { player: p, amount });
            }
            Action::BringIn => {
                if !self.bring_in_pending {
                    return Err(ActionError::BringInNotAllowed);
                }
                let amount = self.config.bring_in.min(self.stacks[p]);
                self.put_in(p, amount);
                self.current_bet = self.current_bet.max(self.bets[p]);
                self.bring_in_pending = false;
                self.events.push(Event::BringIn { player: p, amount });
                for q in 0..self.n() {
                    if q != p && self.able(q) {
                        self.pending[q] = true;
                    }
                }
            }
            Action::BetRaiseTo(to) => {
                let all_in_to = self.bets[p] + self.stacks[p];
                if to > all_in_to {
                    return Err(ActionError::MoreThanStack { max_to: all_in_to });
                }
                let (min, max) = self.raise_bounds(p)?;
                if self.config.variant == Variant::Stud {
                    // One exact size, or all in when the player cannot afford it.
                    if to != min {
                        return Err(ActionError::WrongFixedAmount { expected_to: min });
                    }
                } else {
                    if to < min {
                        return Err(ActionError::RaiseTooSmall { min_to: min });
                    }
                    if to > max {
                        return Err(ActionError::RaiseTooLarge { max_to: max });
                    }
                }
                // As in PokerKit: a raise by at least the largest increment so far reopens the
                // betting for everyone; all-ins for less reopen it once they add up to that much.
                let increment = to - self.current_bet;
                if increment >= self.raise_increment {
                    self.acted = vec![false; self.n()];
                }
                self.put_in(p, to - self.bets[p]);
                self.bring_in_pending = false;
                self.completion_pending = false;
                self.raise_increment = self.raise_increment.max(increment);
                self.raises += 1;
                if self.stacks[p] > 0 {
                    self.short_all_ins.clear();
                } else {
                    self.short_all_ins.push(increment);
                }
                if self.short_all_ins.iter().sum::<u64>() >= self.raise_increment {
                    self.short_all_ins.clear();
                }
                self.current_bet = to;
                self.last_aggressor = Some(p);
                for q in 0..self.n() {
                    if q != p && self.able(q) {
                        self.pending[q] = true;
                    }
                }
                self.events.push(Event::BetRaise { player: p, to, all_in: self.stacks[p] == 0 });
            }
            Action::CheckCall => unreachable!("resolved to check or call above"),
        }
        self.pending[p] = false;
        self.acted[p] = true;
        if self.live() == 1 {
            self.end_round();
            return Ok(());
        }
        // Unlike at the start of a street, a player left alone with chips keeps his turn (PokerKit):
        // he may only check, call or fold.
        self.to_act = self.next_pending(p, false);
        if self.to_act.is_none() {
            self.end_round();
        }
        Ok(())
    }

    fn end_round(&mut self) {
        self.to_act = None;
        self.return_uncalled();
        if self.live() == 1 {
            let winner = (0..self.n()).find(|&p| !self.folded[p]).unwrap_or(0);
            let total: u64 = self.committed.iter().sum();
            self.stacks[winner] += total;
            self.events.push(Event::Win { player: winner, amount: total, pot: 0 });
            self.over = true;
            return;
        }
        if self.street + 1 == self.config.variant.streets() {
            self.showdown();
            return;
        }
        self.street += 1;
        self.deal_street();
        self.start_round();
    }

    /// The part of the biggest bet that nobody matched goes back to its owner.
    fn return_uncalled(&mut self) {
        let Some(top) = (0..self.n()).max_by_key(|&p| (self.bets[p], std::cmp::Reverse(p))) else { return };
        let second = (0..self.n()).filter(|&q| q != top).map(|q| self.bets[q]).max().unwrap_or(0);
        if self.bets[top] > second {
            let back = self.bets[top] - second;
            self.bets[top] -= back;
            self.committed[top] -= back;
            self.stacks[top] += back;
            self.events.push(Event::UncalledReturned { player: top, amount: back });
        }
    }

    fn final_rank(&self, p: usize) -> HandRank {
        let rank = match self.config.variant {
            Variant::Plo => evaluate_omaha(&self.hole[p], &self.board),
            _ => {
                let cards: Vec<Card> = self.hole[p].iter().chain(&self.board).copied().collect();
                evaluate(&cards)
            }
        };
        rank.expect("a finished hand has 7 distinct cards per player")
    }

    fn showdown(&mut self) {
        let n = self.n();
        let live: Vec<usize> = (0..n).filter(|&p| !self.folded[p]).collect();
        let ranks: Vec<Option<HandRank>> =
            (0..n).map(|p| (!self.folded[p]).then(|| self.final_rank(p))).collect();
        // Showing order: last aggressor of the last street, else its opener, then clockwise.
        let first = self.last_aggressor.or(self.street_opener).unwrap_or(0);
        let order: Vec<usize> = (0..n).map(|i| (first + i) % n).filter(|p| !self.folded[*p]).collect();
        // With someone all in every hand is shown; otherwise a hand that cannot win anything is mucked.
        let all_in = live.iter().any(|&p| self.stacks[p] == 0);
        let mut shown: Vec<usize> = Vec::new();
        for &p in &order {
            let r = ranks[p].expect("live players have a rank");
            let beaten = shown.iter().any(|&q| self.committed[q] >= self.committed[p] && ranks[q] > Some(r));
            if all_in || !beaten {
                shown.push(p);
                self.events.push(Event::Show {
                    player: p,
                    cards: self.hole[p].clone(),
                    rank: HandRankInfo { value: r.value(), description: r.description() },
                });
            } else {
                self.events.push(Event::Muck { player: p });
            }
        }
        // Pots by contribution level; a level's chips go to the best shown hand among those who
        // reached it. The odd chips go to the first winner from the left of the button.
        let mut levels: Vec<u64> = live.iter().map(|&p| self.committed[p]).collect();
        levels.sort_unstable();
        levels.dedup();
        let mut prev = 0;
        let top = *levels.last().unwrap_or(&0);
        let best_of = |players: &[usize]| -> Vec<usize> {
            let best = players.iter().map(|&p| ranks[p]).max().flatten();
            players.iter().copied().filter(|&p| best.is_some() && ranks[p] == best).collect()
        };
        let mut pots: Vec<(u64, Vec<usize>)> = Vec::new();
        for &level in &levels {
            let mut amount: u64 =
                self.committed.iter().map(|&c| c.min(level).saturating_sub(prev.min(c))).sum();
            if level == top {
                // Folded chips above every live player's contribution (possible only in odd spots).
                amount += self.committed.iter().map(|&c| c.saturating_sub(top)).sum::<u64>();
            }
            prev = level;
            pots.push((amount, shown.iter().copied().filter(|&p| self.committed[p] >= level).collect()));
        }
        // As in PokerKit: hands that win no pot are dead; consecutive pots that the remaining hands
        // contest alike are one pot; each pot's odd chips all go to its first winner (lowest player
        // number, i.e. the first from the left of the button).
        let alive: Vec<usize> = pots.iter().flat_map(|(_, eligible)| best_of(eligible)).collect();
        let mut merged: Vec<(u64, Vec<usize>)> = Vec::new();
        for (amount, eligible) in pots {
            let contenders: Vec<usize> = eligible.into_iter().filter(|p| alive.contains(p)).collect();
            match merged.last_mut() {
                Some((total, last)) if *last == contenders => *total += amount,
                _ => merged.push((amount, contenders)),
            }
        }
        for (pot_index, (amount, contenders)) in merged.iter().enumerate() {
            let mut winners = best_of(contenders);
            if winners.is_empty() {
                continue;
            }
            winners.sort_unstable();
            let share = amount / winners.len() as u64;
            let odd = amount % winners.len() as u64;
            for (i, &w) in winners.iter().enumerate() {
                let won = share + if i == 0 { odd } else { 0 };
                self.stacks[w] += won;
                self.events.push(Event::Win { player: w, amount: won, pot: pot_index });
            }
        }
        self.over = true;
    }
}

/// Moves the dealer button to the next occupied seat clockwise (seats are numbered clockwise). A
/// table calls this between hands; `None` if no seat is occupied.
pub fn next_button(occupied: &[bool], button: usize) -> Option<usize> {
    let n = occupied.len();
    (1..=n).map(|i| (button + i) % n).find(|&s| occupied[s])
}

/// The seats of one hand of a button game in engine order: the first occupied seat left of the
/// button is player 0 (small blind; heads-up, the big blind) and the button is the last player.
pub fn players_from_button(occupied: &[bool], button: usize) -> Vec<usize> {
    let n = occupied.len();
    (1..=n).map(|i| (button + i) % n).filter(|&s| occupied[s]).collect()
}
