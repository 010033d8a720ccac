//! The worm (runs by the end of each over, one line per innings) and the manhattan (runs and
//! wickets in each over) of every innings, as points the app draws in SVG.

use super::scorecard::Scorecard;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Charts {
    pub balls_per_over: u8,
    pub innings: Vec<InningsChart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InningsChart {
    pub number: u32,
    pub team: String,
    pub super_over: bool,
    /// The score at the end of each over, from over 0 (0 runs).
    pub worm: Vec<WormPoint>,
    pub manhattan: Vec<OverBar>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WormPoint {
    pub over: u32,
    pub runs: u32,
    pub wickets: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverBar {
    pub over: u32,
    pub runs: u32,
    pub wickets: u32,
}

pub fn charts(card: &Scorecard) -> Charts {
    let innings = card
        .innings
        .iter()
        .map(|i| {
            let mut worm = vec![WormPoint { over: 0, runs: 0, wickets: 0 }];
            let mut wickets = 0;
            for over in &i.overs_bowled {
                wickets += over.wickets;
                worm.push(WormPoint { over: over.number, runs: over.score, wickets });
            }
            InningsChart {
                number: i.number,
                team: i.team.clone(),
                super_over: i.super_over,
                worm,
                manhattan: i
                    .overs_bowled
                    .iter()
                    .map(|o| OverBar { over: o.number, runs: o.runs, wickets: o.wickets })
                    .collect(),
            }
        })
        .collect();
    Charts { balls_per_over: card.balls_per_over, innings }
}
