//! Walking an innings ball by ball: the score, the wickets and the over after each delivery, its
//! number as commentators call it (3.4), and whether it was a free hit. Every derived view (the
//! scorecard, commentary, charts, the live checks) reads the innings through this one walk.

use super::cricsheet::{Delivery, Innings};
use super::laws;

/// One delivery in its place in the innings.
#[derive(Debug, Clone)]
pub struct Ball<'a> {
    /// Its position among all the innings' deliveries, from 0.
    pub index: usize,
    /// The over it belongs to, from 0 as in the file.
    pub over: u32,
    /// The legal balls of this over bowled before it.
    pub legal_before: u32,
    /// As commentators number it: the over and the legal ball it is or stands in for ("3.4").
    pub label: String,
    pub delivery: &'a Delivery,
    /// The innings' runs and counted wickets after this ball.
    pub score: u32,
    pub wickets: u32,
    /// The innings' legal balls after this ball.
    pub legal_balls: u32,
    /// Bowled after a no-ball in a limited-overs match: the bowler cannot take a wicket off it.
    pub free_hit: bool,
}

/// The walk: each delivery with its running totals. `limited_overs` turns free hits on.
pub fn walk(innings: &Innings, limited_overs: bool) -> Vec<Ball<'_>> {
    let mut balls = Vec::new();
    let mut score = innings.penalty_runs.and_then(|p| p.pre).unwrap_or(0);
    let (mut wickets, mut legal_balls) = (0, 0);
    let mut free_hit_next = false;
    for over in &innings.overs {
        let mut legal_before = 0;
        for delivery in &over.deliveries {
            score += delivery.runs.total;
            wickets += delivery.wickets.iter().filter(|w| laws::counts_as_wicket(&w.kind)).count() as u32;
            let legal = delivery.is_legal();
            legal_balls += u32::from(legal);
            let free_hit = limited_overs && free_hit_next;
            // A free hit carries over a wide or a no-ball; any no-ball earns the next one.
            free_hit_next = delivery.noballs() > 0 || (free_hit && !legal);
            balls.push(Ball {
                index: balls.len(),
                over: over.over,
                legal_before,
                label: format!("{}.{}", over.over, legal_before + 1),
                delivery,
                score,
                wickets,
                legal_balls,
                free_hit,
            });
            legal_before += u32::from(legal);
        }
    }
    balls
}
