//! Hacker News' ranking, done exactly as its published source (`news.arc`, `frontpage-rank`)
//! does it, and explained term by term so a story can say why it is where it is:
//!
//! ```text
//! rank = (points − 1)^0.8 / (age in hours + 2)^1.8 × penalties
//! ```
//!
//! (For `points − 1 ≤ 0` the votes term is `points − 1` itself, as in `news.arc`, so a comment
//! voted down sinks.) The penalties, each a factor:
//! - a story without a URL (Ask HN and text-only Show HN): `NO_URL_FACTOR`, `news.arc`'s
//!   `nourl-factor*`;
//! - a comment rather than a story: `COMMENT_FACTOR` (`news.arc` ranks other items at 0.8);
//! - a flame war, at least `FLAME_WAR_COMMENTS` comments and more comments than points:
//!   `(points / comments)²`, `news.arc`'s `contro-factor` at the threshold HN runs today;
//! - flags from readers not yet enough to kill it: `FLAG_FACTOR` per flag;
//! - a moderator's adjustment, a factor they set with a reason in the public log.

use serde::{Deserialize, Serialize};

use super::HOUR_MS;

pub const GRAVITY: f64 = 1.8;
/// The votes term's exponent: votes count for less the more there are.
pub const VOTES_EXPONENT: f64 = 0.8;
/// Hours added to a story's age, so a new one is not divided by zero (`timebase*`, 120 min).
pub const TIMEBASE_HOURS: f64 = 2.0;
pub const NO_URL_FACTOR: f64 = 0.4;
pub const COMMENT_FACTOR: f64 = 0.8;
pub const FLAME_WAR_COMMENTS: u32 = 40;
pub const FLAG_FACTOR: f64 = 0.8;
/// The range of a moderator's adjustment: from buried (`news.arc`'s `bury`, 0.001) to no change.
pub const MODERATOR_FACTOR_MIN: f64 = 0.001;
pub const MODERATOR_FACTOR_MAX: f64 = 1.0;

/// What the ranking reads of an item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rankable {
    pub points: i64,
    pub created_ms: i64,
    pub is_comment: bool,
    pub has_url: bool,
    /// All comments under it (HN's `descendants`).
    pub comments: u32,
    /// Readers' flags that stand (not outweighed by vouches, not enough to kill it).
    pub flags: u32,
    /// A moderator's factor, if one was set.
    pub moderator_factor: Option<f64>,
}

/// One penalty applied to a rank, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Penalty {
    NoUrl { factor: f64 },
    Comment { factor: f64 },
    FlameWar { factor: f64, comments: u32, points: i64 },
    Flagged { factor: f64, flags: u32 },
    Moderator { factor: f64 },
}

impl Penalty {
    pub fn factor(&self) -> f64 {
        match *self {
            Penalty::NoUrl { factor }
            | Penalty::Comment { factor }
            | Penalty::FlameWar { factor, .. }
            | Penalty::Flagged { factor, .. }
            | Penalty::Moderator { factor } => factor,
        }
    }

    /// One line a reader understands.
    pub fn describe(&self) -> String {
        match self {
            Penalty::NoUrl { factor } => format!("× {factor}: a text post, without a link"),
            Penalty::Comment { factor } => format!("× {factor}: a comment"),
            Penalty::FlameWar { factor, comments, points } => format!(
                "× {factor:.3}: a flame war, {comments} comments for {points} points (points ÷ comments, squared)"
            ),
            Penalty::Flagged { factor, flags } => {
                format!("× {factor:.3}: flagged by {flags} reader{}", if *flags == 1 { "" } else { "s" })
            }
            Penalty::Moderator { factor } => format!("× {factor}: adjusted by a moderator (see the log)"),
        }
    }
}

/// A rank, term by term ("why is this here").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Explanation {
    pub points: i64,
    pub age_hours: f64,
    /// `(points − 1)^0.8`, or `points − 1` when that is not positive.
    pub votes_term: f64,
    /// `(age in hours + 2)^1.8`.
    pub age_term: f64,
    pub penalties: Vec<Penalty>,
    /// `votes_term / age_term × every penalty`.
    pub rank: f64,
}

/// The rank of an item at `now_ms`, with each of its terms.
pub fn explain(item: &Rankable, now_ms: i64) -> Explanation {
    let age_hours = (now_ms - item.created_ms).max(0) as f64 / HOUR_MS as f64;
    let base = (item.points - 1) as f64;
    let votes_term = if base > 0.0 { base.powf(VOTES_EXPONENT) } else { base };
    let age_term = (age_hours + TIMEBASE_HOURS).powf(GRAVITY);
    let penalties = penalties(item);
    let rank = votes_term / age_term * penalties.iter().map(Penalty::factor).product::<f64>();
    Explanation { points: item.points, age_hours, votes_term, age_term, penalties, rank }
}

pub fn rank(item: &Rankable, now_ms: i64) -> f64 {
    explain(item, now_ms).rank
}

fn penalties(item: &Rankable) -> Vec<Penalty> {
    let mut penalties = Vec::new();
    if item.is_comment {
        penalties.push(Penalty::Comment { factor: COMMENT_FACTOR });
    } else if !item.has_url {
        penalties.push(Penalty::NoUrl { factor: NO_URL_FACTOR });
    }
    if !item.is_comment && item.comments >= FLAME_WAR_COMMENTS && i64::from(item.comments) > item.points {
        let ratio = item.points.max(1) as f64 / f64::from(item.comments);
        penalties.push(Penalty::FlameWar {
            factor: ratio * ratio,
            comments: item.comments,
            points: item.points,
        });
    }
    if item.flags > 0 {
        let flags = i32::try_from(item.flags).unwrap_or(i32::MAX);
        penalties.push(Penalty::Flagged { factor: FLAG_FACTOR.powi(flags), flags: item.flags });
    }
    if let Some(factor) = item.moderator_factor.filter(|f| *f < 1.0) {
        penalties.push(Penalty::Moderator { factor: clamp_moderator_factor(factor) });
    }
    penalties
}

/// A moderator's factor, kept within its range (and a non-number read as no change).
pub fn clamp_moderator_factor(factor: f64) -> f64 {
    if factor.is_nan() {
        return MODERATOR_FACTOR_MAX;
    }
    factor.clamp(MODERATOR_FACTOR_MIN, MODERATOR_FACTOR_MAX)
}

/// Orders ids by rank, highest first; equal ranks put the newer first, then the larger id, so
/// the order is total and the same everywhere.
pub fn by_rank<Id: Ord + Clone>(items: &[(Id, Rankable)], now_ms: i64) -> Vec<Id> {
    let mut ranked: Vec<(f64, i64, &Id)> =
        items.iter().map(|(id, item)| (rank(item, now_ms), item.created_ms, id)).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(a.2)));
    ranked.into_iter().map(|(_, _, id)| id.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn story(points: i64, hours_old: f64) -> Rankable {
        Rankable {
            points,
            created_ms: NOW - (hours_old * HOUR_MS as f64) as i64,
            is_comment: false,
            has_url: true,
            comments: 0,
            flags: 0,
            moderator_factor: None,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn the_formula_matches_hand_computed_values() {
        // 10 points, 1 hour old: 9^0.8 / 3^1.8 = 5.7995… / 7.2247… = 0.802741…
        let e = explain(&story(10, 1.0), NOW);
        assert!(close(e.votes_term, 9f64.powf(0.8)), "{}", e.votes_term);
        assert!(close(e.votes_term, 5.799546135), "{}", e.votes_term);
        assert!(close(e.age_term, 7.224674055), "{}", e.age_term);
        assert!((e.rank - 0.802_741_56).abs() < 1e-8, "{}", e.rank);
        assert!(e.penalties.is_empty());
        // 100 points, 10 hours: 99^0.8 / 12^1.8 = 0.450797…
        assert!((rank(&story(100, 10.0), NOW) - 0.450_797_93).abs() < 1e-8);
        // A new story with only its author's point ranks 0; one below 0 ranks below 0.
        assert_eq!(rank(&story(1, 0.0), NOW), 0.0);
        assert!(close(rank(&story(-1, 0.0), NOW), -2.0 / 2f64.powf(1.8)));
    }

    #[test]
    fn age_pulls_a_story_down_and_votes_push_it_up() {
        assert!(rank(&story(50, 1.0), NOW) > rank(&story(50, 5.0), NOW));
        assert!(rank(&story(60, 5.0), NOW) > rank(&story(50, 5.0), NOW));
        // A story from the future (a skewed clock) counts as new, not as older than new.
        let future = Rankable { created_ms: NOW + HOUR_MS, ..story(10, 0.0) };
        assert_eq!(explain(&future, NOW).age_hours, 0.0);
    }

    #[test]
    fn penalties_multiply_and_are_listed() {
        let ask = Rankable { has_url: false, ..story(10, 1.0) };
        let e = explain(&ask, NOW);
        assert_eq!(e.penalties, vec![Penalty::NoUrl { factor: 0.4 }]);
        assert!(close(e.rank, rank(&story(10, 1.0), NOW) * 0.4));

        // Flame war: 50 comments for 25 points -> (25/50)^2 = 0.25; below 40 comments, none.
        let hot = Rankable { comments: 50, ..story(25, 1.0) };
        assert_eq!(
            explain(&hot, NOW).penalties,
            vec![Penalty::FlameWar { factor: 0.25, comments: 50, points: 25 }]
        );
        assert!(explain(&Rankable { comments: 39, ..story(25, 1.0) }, NOW).penalties.is_empty());
        assert!(explain(&Rankable { comments: 50, ..story(60, 1.0) }, NOW).penalties.is_empty());

        let flagged = Rankable { flags: 2, moderator_factor: Some(0.5), has_url: false, ..story(10, 1.0) };
        let e = explain(&flagged, NOW);
        assert_eq!(e.penalties.len(), 3);
        assert!(close(e.rank, rank(&story(10, 1.0), NOW) * 0.4 * 0.64 * 0.5));
        assert!(e.penalties.iter().all(|p| !p.describe().is_empty()));
    }

    #[test]
    fn comments_rank_with_their_own_factor_and_no_flame_war_penalty() {
        let comment = Rankable { is_comment: true, has_url: false, comments: 100, ..story(10, 1.0) };
        assert_eq!(explain(&comment, NOW).penalties, vec![Penalty::Comment { factor: 0.8 }]);
    }

    #[test]
    fn a_moderator_factor_is_kept_in_range() {
        assert_eq!(clamp_moderator_factor(0.0), MODERATOR_FACTOR_MIN);
        assert_eq!(clamp_moderator_factor(5.0), 1.0);
        assert_eq!(clamp_moderator_factor(f64::NAN), 1.0);
        let none = Rankable { moderator_factor: Some(1.0), ..story(10, 1.0) };
        assert!(explain(&none, NOW).penalties.is_empty(), "a factor of 1 is no penalty");
    }

    #[test]
    fn by_rank_orders_highest_first_and_breaks_ties_by_newer_then_id() {
        let items = vec![
            ("old-hot", story(200, 20.0)),
            ("new-warm", story(20, 1.0)),
            ("tie-a", story(1, 1.0)),
            ("tie-b", story(1, 1.0)),
            ("newest-zero", story(1, 0.5)),
        ];
        assert_eq!(by_rank(&items, NOW), vec!["new-warm", "old-hot", "newest-zero", "tie-b", "tie-a"]);
    }
}
