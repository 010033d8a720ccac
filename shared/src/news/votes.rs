//! Who may vote how: stories are only upvoted; a comment may be voted down once its voter has
//! `DOWNVOTE_KARMA`; nobody votes on their own items, on dead ones or on archived ones; a vote
//! can be taken back within `UNVOTE_WINDOW_MS`. One vote per person per item is the store's
//! to keep (a unique key), these are the rules before it.

use serde::{Deserialize, Serialize};

use super::{DAY_MS, HOUR_MS};
use crate::{
    error::{ApiError, ErrorCode},
    rate_limit::RateLimit,
};

pub const DOWNVOTE_KARMA: i64 = 500;
pub const UNVOTE_WINDOW_MS: i64 = HOUR_MS;
/// Votes cast or taken back per person a minute: each one moves ranks and reaches every open
/// page, so a script toggling a vote is stopped (429) long before it floods them.
pub const VOTE_CHANGES: RateLimit = RateLimit { limit: 30, window_secs: 60 };
/// Items older than this are archived, as on HN: no more votes or replies.
pub const ARCHIVED_AFTER_MS: i64 = 180 * DAY_MS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    /// What the vote adds to the item's points and its author's karma.
    pub fn weight(self) -> i64 {
        match self {
            Direction::Up => 1,
            Direction::Down => -1,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }
}

/// What the rules read about one vote about to be cast.
#[derive(Debug, Clone, Copy)]
pub struct Ballot {
    pub direction: Direction,
    pub on_comment: bool,
    pub voter_is_author: bool,
    pub voter_karma: i64,
    pub item_dead: bool,
    pub item_created_ms: i64,
    /// The voter's standing vote on the item, if any.
    pub existing: Option<Direction>,
}

/// What to do with a ballot that passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cast {
    /// Record it.
    New,
    /// The same vote again (a double click): nothing changes.
    Unchanged,
}

pub fn cast(ballot: &Ballot, now_ms: i64) -> Result<Cast, ApiError> {
    if ballot.voter_is_author {
        return Err(ApiError::new(ErrorCode::Forbidden, "You can't vote on your own items."));
    }
    if ballot.existing == Some(ballot.direction) {
        return Ok(Cast::Unchanged);
    }
    if ballot.existing.is_some() {
        return Err(ApiError::new(ErrorCode::Conflict, "You have voted the other way: unvote first."));
    }
    if ballot.item_dead {
        return Err(ApiError::new(ErrorCode::Conflict, "This item is dead; it can't be voted on."));
    }
    if now_ms - ballot.item_created_ms >= ARCHIVED_AFTER_MS {
        return Err(ApiError::new(ErrorCode::Conflict, "This item is archived; it can't be voted on."));
    }
    if ballot.direction == Direction::Down {
        if !ballot.on_comment {
            return Err(ApiError::invalid("direction", "Stories can only be voted up."));
        }
        if ballot.voter_karma < DOWNVOTE_KARMA {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                format!(
                    "Voting comments down takes {DOWNVOTE_KARMA} karma; you have {}.",
                    ballot.voter_karma
                ),
            ));
        }
    }
    Ok(Cast::New)
}

/// Until when a vote cast at `voted_ms` may be taken back (not at that moment itself).
pub fn unvote_until(voted_ms: i64) -> i64 {
    voted_ms + UNVOTE_WINDOW_MS
}

/// Whether a vote cast at `voted_ms` may still be taken back.
pub fn can_unvote(voted_ms: i64, now_ms: i64) -> Result<(), ApiError> {
    if now_ms < unvote_until(voted_ms) {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::Conflict, "A vote can only be taken back within an hour."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn ballot(direction: Direction) -> Ballot {
        Ballot {
            direction,
            on_comment: true,
            voter_is_author: false,
            voter_karma: 1,
            item_dead: false,
            item_created_ms: NOW - HOUR_MS,
            existing: None,
        }
    }

    fn code(result: Result<Cast, ApiError>) -> ErrorCode {
        result.unwrap_err().code
    }

    #[test]
    fn anyone_may_vote_up_once() {
        assert_eq!(cast(&ballot(Direction::Up), NOW).unwrap(), Cast::New);
        let again = Ballot { existing: Some(Direction::Up), ..ballot(Direction::Up) };
        assert_eq!(cast(&again, NOW).unwrap(), Cast::Unchanged);
        let switch = Ballot { existing: Some(Direction::Up), voter_karma: 900, ..ballot(Direction::Down) };
        assert_eq!(code(cast(&switch, NOW)), ErrorCode::Conflict);
    }

    #[test]
    fn downvotes_need_karma_and_a_comment() {
        assert_eq!(code(cast(&ballot(Direction::Down), NOW)), ErrorCode::Forbidden);
        let trusted = Ballot { voter_karma: DOWNVOTE_KARMA, ..ballot(Direction::Down) };
        assert_eq!(cast(&trusted, NOW).unwrap(), Cast::New);
        let story = Ballot { on_comment: false, ..trusted };
        assert_eq!(code(cast(&story, NOW)), ErrorCode::ValidationFailed);
    }

    #[test]
    fn own_dead_and_archived_items_are_refused() {
        let own = Ballot { voter_is_author: true, ..ballot(Direction::Up) };
        assert_eq!(code(cast(&own, NOW)), ErrorCode::Forbidden);
        let dead = Ballot { item_dead: true, ..ballot(Direction::Up) };
        assert_eq!(code(cast(&dead, NOW)), ErrorCode::Conflict);
        let old = Ballot { item_created_ms: NOW - ARCHIVED_AFTER_MS, ..ballot(Direction::Up) };
        assert_eq!(code(cast(&old, NOW)), ErrorCode::Conflict);
    }

    #[test]
    fn a_vote_is_taken_back_within_the_hour_only() {
        assert!(can_unvote(NOW - UNVOTE_WINDOW_MS + 1, NOW).is_ok());
        assert_eq!(can_unvote(NOW - UNVOTE_WINDOW_MS, NOW).unwrap_err().code, ErrorCode::Conflict);
    }

    #[test]
    fn directions_round_trip() {
        for d in [Direction::Up, Direction::Down] {
            assert_eq!(Direction::parse(d.as_str()), Some(d));
        }
        assert_eq!(Direction::parse("sideways"), None);
        assert_eq!(Direction::Up.weight() + Direction::Down.weight(), 0);
    }
}
