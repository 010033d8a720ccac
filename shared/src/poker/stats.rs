//! Player statistics from hand histories, keyed by player name.
//!
//! Definitions (the "first street" is preflop in Hold'em and Omaha, third street in Stud):
//! - `hands`: hands dealt in.
//! - `vpip` (voluntarily put money in pot): hands with a call, bet, raise or completion on the first
//!   street. Antes, blinds and the bring-in are forced and do not count, nor does the big blind checking.
//! - `pfr` (first-street raise): hands with a bet, raise or completion on the first street.
//! - `three_bet`: hands where the player made the second voluntary raise of the first street (the blinds
//!   or the bring-in are the first bet, the first raise or completion is the "two-bet", a re-raise of it
//!   is the three-bet). `three_bet_chances` counts hands where the player acted facing exactly one raise.
//! - `saw_second_street`: hands still live when the second street was dealt (the flop, fourth street).
//! - `went_to_showdown`: hands where the player was live at the showdown (shown or mucked).
//! - `won_at_showdown`: showdowns where the player won some chips.
//! - `net_chips`: finishing stack minus starting stack, summed.
//!
//! Percentages: VPIP = vpip / hands, PFR = pfr / hands, 3-bet = three_bet / three_bet_chances,
//! WTSD = went_to_showdown / saw_second_street, W$SD = won_at_showdown / went_to_showdown.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    game::{Event, Game},
    history::{HandHistory, HistoryError},
};

/// Counts for one player.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerStats {
    pub hands: u64,
    pub vpip: u64,
    pub pfr: u64,
    pub three_bet: u64,
    pub three_bet_chances: u64,
    pub saw_second_street: u64,
    pub went_to_showdown: u64,
    pub won_at_showdown: u64,
    pub net_chips: i64,
}

impl PlayerStats {
    fn pct(a: u64, b: u64) -> Option<f64> {
        (b > 0).then(|| 100.0 * a as f64 / b as f64)
    }

    pub fn vpip_pct(&self) -> Option<f64> {
        Self::pct(self.vpip, self.hands)
    }

    pub fn pfr_pct(&self) -> Option<f64> {
        Self::pct(self.pfr, self.hands)
    }

    pub fn three_bet_pct(&self) -> Option<f64> {
        Self::pct(self.three_bet, self.three_bet_chances)
    }

    pub fn wtsd_pct(&self) -> Option<f64> {
        Self::pct(self.went_to_showdown, self.saw_second_street)
    }

    pub fn wsd_pct(&self) -> Option<f64> {
        Self::pct(self.won_at_showdown, self.went_to_showdown)
    }
}

/// Adds one replayed hand to `stats`; `players` names the engine's players.
pub fn add_hand(stats: &mut BTreeMap<String, PlayerStats>, game: &Game, players: &[String]) {
    let n = game.players();
    let mut vpip = vec![false; n];
    let mut pfr = vec![false; n];
    let mut three = vec![false; n];
    let mut chance = vec![false; n];
    let mut second = vec![false; n];
    let mut showdown = vec![false; n];
    let mut won_sd = vec![false; n];
    let mut folded = vec![false; n];
    let mut street = 0;
    let mut raises = 0;
    for e in game.events() {
        match e {
            Event::DealHole { street: s, .. } | Event::DealBoard { street: s, .. } => {
                street = *s;
                if street == 1 {
                    for p in 0..n {
                        second[p] |= !folded[p];
                    }
                }
            }
            Event::Fold { player } => {
                chance[*player] |= street == 0 && raises == 1;
                folded[*player] = true;
            }
            Event::Check { player } => chance[*player] |= street == 0 && raises == 1,
            Event::Call { player, .. } if street == 0 => {
                chance[*player] |= raises == 1;
                vpip[*player] = true;
            }
            Event::BetRaise { player, .. } if street == 0 => {
                chance[*player] |= raises == 1;
                raises += 1;
                vpip[*player] = true;
                pfr[*player] = true;
                three[*player] |= raises == 2;
            }
            Event::Show { player, .. } | Event::Muck { player } => showdown[*player] = true,
            Event::Win { player, .. } if showdown.iter().any(|s| *s) => won_sd[*player] = true,
            _ => {}
        }
    }
    for p in 0..n {
        let name = players.get(p).cloned().unwrap_or_else(|| format!("p{}", p + 1));
        let s = stats.entry(name).or_default();
        s.hands += 1;
        s.vpip += u64::from(vpip[p]);
        s.pfr += u64::from(pfr[p]);
        s.three_bet += u64::from(three[p]);
        s.three_bet_chances += u64::from(chance[p]);
        s.saw_second_street += u64::from(second[p]);
        s.went_to_showdown += u64::from(showdown[p]);
        s.won_at_showdown += u64::from(won_sd[p]);
        s.net_chips += game.stacks()[p] as i64 - game.starting_stacks()[p] as i64;
    }
}

/// Statistics over many hand histories (each replayed through the engine).
pub fn from_histories<'a>(
    histories: impl IntoIterator<Item = &'a HandHistory>,
) -> Result<BTreeMap<String, PlayerStats>, HistoryError> {
    let mut stats = BTreeMap::new();
    for h in histories {
        let game = h.replay()?;
        add_hand(&mut stats, &game, &h.players);
    }
    Ok(stats)
}
