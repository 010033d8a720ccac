//! A player's statistics (`GET /api/poker/players/{username}/stats`): the counts of
//! [`PlayerStats`] summed over every hand they played at Dozen's tables (each hand's counts are
//! written when it ends, `poker_hand_players`), the percentages players read, and their chips won
//! or lost over time.

use super::stats::PlayerStats;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The most points the graph of chips over time has: the hands are cut into this many runs of
/// consecutive hands (the database's `NTILE`), one point at the end of each.
pub const GRAPH_POINTS: u32 = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlayerProfile {
    pub username: String,
    pub hands: u64,
    /// Percentages, to one decimal; none before there is anything to divide by.
    pub vpip: Option<f64>,
    pub pfr: Option<f64>,
    pub three_bet: Option<f64>,
    pub wtsd: Option<f64>,
    pub wsd: Option<f64>,
    pub showdowns: u64,
    /// Chips won (negative: lost) over all hands.
    pub net_chips: i64,
    /// Chips won so far after each run of hands, oldest first.
    pub graph: Vec<NetPoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetPoint {
    /// When the run's last hand ended (RFC 3339).
    pub at: String,
    /// Hands played up to here.
    pub hands: u64,
    /// Chips won up to here.
    pub net: i64,
}

/// One run of consecutive hands as the database sums it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub ended_ms: i64,
    pub hands: u64,
    pub net: i64,
}

fn one_decimal(pct: Option<f64>) -> Option<f64> {
    pct.map(|p| (p * 10.0).round() / 10.0)
}

impl PlayerProfile {
    pub fn new(username: String, stats: &PlayerStats, runs: &[Run]) -> PlayerProfile {
        let mut hands = 0;
        let mut net = 0;
        let graph = runs
            .iter()
            .map(|run| {
                hands += run.hands;
                net += run.net;
                NetPoint { at: Timestamp(run.ended_ms).to_rfc3339(), hands, net }
            })
            .collect();
        PlayerProfile {
            username,
            hands: stats.hands,
            vpip: one_decimal(stats.vpip_pct()),
            pfr: one_decimal(stats.pfr_pct()),
            three_bet: one_decimal(stats.three_bet_pct()),
            wtsd: one_decimal(stats.wtsd_pct()),
            wsd: one_decimal(stats.wsd_pct()),
            showdowns: stats.went_to_showdown,
            net_chips: stats.net_chips,
            graph,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_and_the_graph_runs_on() {
        let stats = PlayerStats {
            hands: 3,
            vpip: 1,
            pfr: 1,
            three_bet: 0,
            three_bet_chances: 0,
            saw_second_street: 2,
            went_to_showdown: 1,
            won_at_showdown: 1,
            net_chips: -150,
        };
        let runs = [Run { ended_ms: 0, hands: 2, net: 100 }, Run { ended_ms: 1_000, hands: 1, net: -250 }];
        let p = PlayerProfile::new("ann".into(), &stats, &runs);
        assert_eq!(
            (p.vpip, p.pfr, p.three_bet, p.wtsd, p.wsd),
            (Some(33.3), Some(33.3), None, Some(50.0), Some(100.0))
        );
        assert_eq!(p.graph.iter().map(|g| (g.hands, g.net)).collect::<Vec<_>>(), vec![(2, 100), (3, -150)]);
        assert_eq!(p.graph[1].at, "1970-01-01T00:00:01.000Z");
        let nobody = PlayerProfile::new("bob".into(), &PlayerStats::default(), &[]);
        assert_eq!((nobody.hands, nobody.vpip, nobody.graph.len()), (0, None, 0));
    }
}
