//! Cricket: live ball-by-ball matches (seed: "Design CricHD"). One event log per match, in
//! Cricsheet's open format, drives everything derived from it: the scorecard, the result,
//! commentary, partnerships, the worm and manhattan charts and players' career figures.

pub mod career;
pub mod charts;
pub mod commentary;
pub mod cricsheet;
pub mod laws;
pub mod live;
pub mod live_view;
pub mod outcome;
pub mod picks;
pub mod replay;
pub mod scorecard;
pub mod talk;
pub mod video;
pub mod wire;
