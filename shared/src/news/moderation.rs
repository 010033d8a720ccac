//! Keeping News readable: readers flag items (with a reason) and vouch for dead ones, enough
//! standing flags kill an item, a moderator's kill is theirs to undo, a shadow-banned author's
//! items are dead from birth, and new accounts post at a slower pace. Every moderator action
//! carries a reason, for the public moderation log.

use serde::{Deserialize, Serialize};

use super::{
    ranking::{MODERATOR_FACTOR_MAX, MODERATOR_FACTOR_MIN},
    submission::clean_title,
    wire::ModerationRequest,
    DAY_MS, HOUR_MS,
};
use crate::error::{ApiError, ErrorCode};

/// Karma needed to flag or to vouch (HN shows both from about 30).
pub const FLAG_KARMA: i64 = 30;
pub const VOUCH_KARMA: i64 = 30;
/// Standing flags that kill an item.
pub const KILL_AT_FLAGS: u32 = 5;
/// How many flags one vouch outweighs: one vouch revives an item that was just killed.
pub const VOUCH_WEIGHT: u32 = 3;
/// Accounts younger than this post at the new-account pace.
pub const NEW_ACCOUNT_MS: i64 = 7 * DAY_MS;
pub const REASON_MAX: usize = 500;

/// Why a reader flags (Lobsters' reasons, which the log shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlagReason {
    OffTopic,
    Spam,
    Duplicate,
    BrokenLink,
    Troll,
    Unkind,
    MeToo,
}

impl FlagReason {
    pub const ALL: [FlagReason; 7] = [
        FlagReason::OffTopic,
        FlagReason::Spam,
        FlagReason::Duplicate,
        FlagReason::BrokenLink,
        FlagReason::Troll,
        FlagReason::Unkind,
        FlagReason::MeToo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FlagReason::OffTopic => "off_topic",
            FlagReason::Spam => "spam",
            FlagReason::Duplicate => "duplicate",
            FlagReason::BrokenLink => "broken_link",
            FlagReason::Troll => "troll",
            FlagReason::Unkind => "unkind",
            FlagReason::MeToo => "me_too",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Whether the reason fits a story, a comment, or both.
    pub fn fits(self, on_comment: bool) -> bool {
        match self {
            FlagReason::OffTopic | FlagReason::Spam => true,
            FlagReason::Duplicate | FlagReason::BrokenLink => !on_comment,
            FlagReason::Troll | FlagReason::Unkind | FlagReason::MeToo => on_comment,
        }
    }
}

/// What decides whether an item is dead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub flags: u32,
    pub vouches: u32,
    pub killed_by_moderator: bool,
    pub author_shadow_banned: bool,
}

impl Standing {
    /// Flags not outweighed by vouches.
    pub fn standing_flags(&self) -> u32 {
        self.flags.saturating_sub(self.vouches.saturating_mul(VOUCH_WEIGHT))
    }

    pub fn is_dead(&self) -> bool {
        self.killed_by_moderator || self.author_shadow_banned || self.standing_flags() >= KILL_AT_FLAGS
    }

    /// The flags the ranking counts against a live item.
    pub fn rank_flags(&self) -> u32 {
        if self.is_dead() {
            0
        } else {
            self.standing_flags()
        }
    }
}

/// Who may see a dead item: its author (who is not told it is dead when shadow-banned), the
/// moderators, and readers with HN's showdead on (`viewer_shows_dead` for both). Everyone sees
/// live items.
pub fn visible(dead: bool, viewer_is_author: bool, viewer_shows_dead: bool) -> bool {
    !dead || viewer_is_author || viewer_shows_dead
}

/// Whether this reader may flag an item.
pub fn may_flag(karma: i64, is_author: bool, reason: FlagReason, on_comment: bool) -> Result<(), ApiError> {
    if is_author {
        return Err(ApiError::new(ErrorCode::Forbidden, "You can't flag your own items."));
    }
    if karma < FLAG_KARMA {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            format!("Flagging takes {FLAG_KARMA} karma; you have {karma}."),
        ));
    }
    if !reason.fits(on_comment) {
        let what = if on_comment { "a comment" } else { "a story" };
        return Err(ApiError::invalid(
            "reason",
            format!("\"{}\" is not a reason to flag {what}.", reason.as_str()),
        ));
    }
    Ok(())
}

/// Whether this reader may vouch for an item: only a dead one that flags killed.
pub fn may_vouch(karma: i64, is_author: bool, standing: &Standing) -> Result<(), ApiError> {
    if is_author {
        return Err(ApiError::new(ErrorCode::Forbidden, "You can't vouch for your own items."));
    }
    if karma < VOUCH_KARMA {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            format!("Vouching takes {VOUCH_KARMA} karma; you have {karma}."),
        ));
    }
    if standing.killed_by_moderator || standing.author_shadow_banned || !standing.is_dead() {
        return Err(ApiError::new(ErrorCode::Conflict, "Only items that flags killed can be vouched for."));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Posting {
    Story,
    Comment,
}

/// How many of each an account may post per hour: fewer while it is new and has no karma.
pub fn hourly_limit(posting: Posting, account_age_ms: i64, karma: i64) -> u32 {
    let new = account_age_ms < NEW_ACCOUNT_MS && karma < FLAG_KARMA;
    match (posting, new) {
        (Posting::Story, true) => 2,
        (Posting::Comment, true) => 6,
        (Posting::Story, false) => 10,
        (Posting::Comment, false) => 60,
    }
}

/// Refuses a post past the hourly limit, saying when the next is possible. `recent_ms` are
/// the times of the account's posts of that kind in the last hour.
pub fn check_pace(
    posting: Posting,
    account_age_ms: i64,
    karma: i64,
    recent_ms: &[i64],
    now_ms: i64,
) -> Result<(), ApiError> {
    let limit = hourly_limit(posting, account_age_ms, karma) as usize;
    let mut in_hour: Vec<i64> = recent_ms.iter().copied().filter(|t| now_ms - t < HOUR_MS).collect();
    if in_hour.len() < limit {
        return Ok(());
    }
    in_hour.sort_unstable();
    // The post that frees a place is the limit-th newest.
    let frees_at = in_hour[in_hour.len() - limit] + HOUR_MS;
    let wait_secs = u32::try_from(((frees_at - now_ms).max(1_000) + 999) / 1_000).unwrap_or(u32::MAX);
    let what = match posting {
        Posting::Story => "stories",
        Posting::Comment => "comments",
    };
    let mut err = ApiError::rate_limited(wait_secs);
    err.message = format!(
        "You're posting too fast: {limit} {what} an hour. Try again in {} minutes.",
        wait_secs.div_ceil(60)
    );
    Err(err)
}

/// A moderator's reason, required for the public log.
pub fn clean_reason(raw: &str) -> Result<String, ApiError> {
    let reason = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.is_empty() {
        return Err(ApiError::invalid("reason", "Every moderator action needs a reason for the public log."));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(ApiError::invalid("reason", format!("Keep the reason under {REASON_MAX} characters.")));
    }
    Ok(reason)
}

/// A moderator's action, checked and cleaned: what the worker applies and the log records.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Kill {
        item: i64,
    },
    Revive {
        item: i64,
    },
    EditTitle {
        item: i64,
        title: String,
    },
    /// `item`'s comments move to `into`, and `item` is killed.
    Merge {
        item: i64,
        into: i64,
    },
    /// `None` removes the adjustment.
    Adjust {
        item: i64,
        factor: Option<f64>,
    },
    Ban {
        username: String,
    },
    Unban {
        username: String,
    },
    ShadowBan {
        username: String,
    },
}

impl Action {
    /// Its name in the log (the request's `action`).
    pub fn name(&self) -> &'static str {
        match self {
            Action::Kill { .. } => "kill",
            Action::Revive { .. } => "revive",
            Action::EditTitle { .. } => "edit_title",
            Action::Merge { .. } => "merge",
            Action::Adjust { .. } => "adjust",
            Action::Ban { .. } => "ban",
            Action::Unban { .. } => "unban",
            Action::ShadowBan { .. } => "shadow_ban",
        }
    }

    /// The item it acts on, if any.
    pub fn item(&self) -> Option<i64> {
        match self {
            Action::Kill { item }
            | Action::Revive { item }
            | Action::EditTitle { item, .. }
            | Action::Merge { item, .. }
            | Action::Adjust { item, .. } => Some(*item),
            Action::Ban { .. } | Action::Unban { .. } | Action::ShadowBan { .. } => None,
        }
    }

    /// The person it acts on, if any.
    pub fn username(&self) -> Option<&str> {
        match self {
            Action::Ban { username } | Action::Unban { username } | Action::ShadowBan { username } => {
                Some(username)
            }
            _ => None,
        }
    }
}

/// A moderator's request, checked: a reason for the log, a title by the title rules, a merge
/// into another item, a factor within its range, a username. Returns the action and the reason.
pub fn check_request(request: &ModerationRequest) -> Result<(Action, String), ApiError> {
    let person = |raw: &str| {
        let name = raw.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err(ApiError::invalid("username", "Name the person to act on."));
        }
        Ok(name)
    };
    let (action, reason) = match request {
        ModerationRequest::Kill { item, reason } => (Action::Kill { item: *item }, reason),
        ModerationRequest::Revive { item, reason } => (Action::Revive { item: *item }, reason),
        ModerationRequest::EditTitle { item, title, reason } => {
            (Action::EditTitle { item: *item, title: clean_title(title)? }, reason)
        }
        ModerationRequest::Merge { item, into, reason } => {
            if item == into {
                return Err(ApiError::invalid("into", "A story can't be merged into itself."));
            }
            (Action::Merge { item: *item, into: *into }, reason)
        }
        ModerationRequest::Adjust { item, factor, reason } => {
            if !factor.is_finite() || !(MODERATOR_FACTOR_MIN..=MODERATOR_FACTOR_MAX).contains(factor) {
                return Err(ApiError::invalid(
                    "factor",
                    format!(
                        "The factor multiplies the rank: from {MODERATOR_FACTOR_MIN} to {MODERATOR_FACTOR_MAX} (1 removes the adjustment)."
                    ),
                ));
            }
            let factor = (*factor < MODERATOR_FACTOR_MAX).then_some(*factor);
            (Action::Adjust { item: *item, factor }, reason)
        }
        ModerationRequest::Ban { username, reason } => (Action::Ban { username: person(username)? }, reason),
        ModerationRequest::Unban { username, reason } => {
            (Action::Unban { username: person(username)? }, reason)
        }
        ModerationRequest::ShadowBan { username, reason } => {
            (Action::ShadowBan { username: person(username)? }, reason)
        }
    };
    Ok((action, clean_reason(reason)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn a_moderators_request_is_checked_and_its_reason_kept() {
        let (action, reason) =
            check_request(&ModerationRequest::Kill { item: 7, reason: "  spam \n ring ".into() }).unwrap();
        assert_eq!((action.name(), action.item(), reason.as_str()), ("kill", Some(7), "spam ring"));
        let no_reason = check_request(&ModerationRequest::Ban { username: "eve".into(), reason: " ".into() });
        assert_eq!(no_reason.unwrap_err().field.as_deref(), Some("reason"));
        let itself = check_request(&ModerationRequest::Merge { item: 3, into: 3, reason: "dupe".into() });
        assert_eq!(itself.unwrap_err().field.as_deref(), Some("into"));
        for factor in [0.0, 1.5, f64::NAN, f64::INFINITY] {
            let adjust = ModerationRequest::Adjust { item: 3, factor, reason: "r".into() };
            assert_eq!(check_request(&adjust).unwrap_err().field.as_deref(), Some("factor"), "{factor}");
        }
        let (reset, _) =
            check_request(&ModerationRequest::Adjust { item: 3, factor: 1.0, reason: "r".into() }).unwrap();
        assert_eq!(reset, Action::Adjust { item: 3, factor: None });
        let (ban, _) =
            check_request(&ModerationRequest::ShadowBan { username: " Eve ".into(), reason: "r".into() })
                .unwrap();
        assert_eq!(ban.username(), Some("eve"));
        let shouting = ModerationRequest::EditTitle { item: 3, title: "".into(), reason: "r".into() };
        assert_eq!(check_request(&shouting).unwrap_err().field.as_deref(), Some("title"));
    }

    #[test]
    fn flags_kill_and_a_vouch_revives() {
        let mut s = Standing { flags: 4, ..Standing::default() };
        assert!(!s.is_dead());
        assert_eq!(s.rank_flags(), 4);
        s.flags = 5;
        assert!(s.is_dead());
        assert_eq!(s.rank_flags(), 0, "a dead item is not ranked at all");
        assert!(may_vouch(100, false, &s).is_ok());
        s.vouches = 1;
        assert!(!s.is_dead(), "one vouch outweighs three flags");
        assert_eq!(s.rank_flags(), 2);
        s.flags = 8;
        assert!(s.is_dead(), "enough new flags kill it again");
    }

    #[test]
    fn moderator_kills_and_shadow_bans_are_not_for_readers_to_undo() {
        let killed = Standing { killed_by_moderator: true, vouches: 10, ..Standing::default() };
        assert!(killed.is_dead());
        assert_eq!(may_vouch(1_000, false, &killed).unwrap_err().code, ErrorCode::Conflict);
        let banned = Standing { author_shadow_banned: true, ..Standing::default() };
        assert!(banned.is_dead());
        assert_eq!(may_vouch(1_000, false, &banned).unwrap_err().code, ErrorCode::Conflict);
        assert_eq!(
            may_vouch(1_000, false, &Standing::default()).unwrap_err().code,
            ErrorCode::Conflict,
            "alive"
        );
    }

    #[test]
    fn dead_items_are_seen_by_their_author_and_moderators_only() {
        assert!(visible(false, false, false));
        assert!(!visible(true, false, false));
        assert!(visible(true, true, false));
        assert!(visible(true, false, true));
    }

    #[test]
    fn flagging_takes_karma_a_fitting_reason_and_someone_else_s_item() {
        assert!(may_flag(FLAG_KARMA, false, FlagReason::Spam, false).is_ok());
        assert_eq!(
            may_flag(FLAG_KARMA - 1, false, FlagReason::Spam, false).unwrap_err().code,
            ErrorCode::Forbidden
        );
        assert_eq!(may_flag(100, true, FlagReason::Spam, true).unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(
            may_flag(100, false, FlagReason::Troll, false).unwrap_err().code,
            ErrorCode::ValidationFailed
        );
        assert_eq!(
            may_flag(100, false, FlagReason::BrokenLink, true).unwrap_err().code,
            ErrorCode::ValidationFailed
        );
        for reason in FlagReason::ALL {
            assert_eq!(FlagReason::parse(reason.as_str()), Some(reason));
            assert!(reason.fits(true) || reason.fits(false));
        }
    }

    #[test]
    fn new_accounts_post_slower_until_they_are_a_week_old_or_have_karma() {
        assert_eq!(hourly_limit(Posting::Story, HOUR_MS, 0), 2);
        assert_eq!(hourly_limit(Posting::Comment, HOUR_MS, 0), 6);
        assert_eq!(hourly_limit(Posting::Story, NEW_ACCOUNT_MS, 0), 10);
        assert_eq!(hourly_limit(Posting::Story, HOUR_MS, FLAG_KARMA), 10);
    }

    #[test]
    fn past_the_limit_the_wait_is_until_the_oldest_counted_post_is_an_hour_old() {
        let young = HOUR_MS;
        let two = [NOW - 50 * 60_000, NOW - 10 * 60_000];
        assert!(check_pace(Posting::Story, young, 0, &two[..1], NOW).is_ok());
        let err = check_pace(Posting::Story, young, 0, &two, NOW).unwrap_err();
        assert_eq!(err.code, ErrorCode::RateLimited);
        assert_eq!(err.retry_after_secs, Some(600), "the post of 50 minutes ago frees a place in 10");
        assert!(err.message.contains("2 stories an hour"), "{}", err.message);
        // Posts older than an hour do not count.
        assert!(check_pace(Posting::Story, young, 0, &[NOW - HOUR_MS, NOW - 2 * HOUR_MS], NOW).is_ok());
    }

    #[test]
    fn a_moderator_reason_is_required_and_bounded() {
        assert_eq!(clean_reason("  spam   ring ").unwrap(), "spam ring");
        assert!(clean_reason("   ").is_err());
        assert!(clean_reason(&"x".repeat(REASON_MAX + 1)).is_err());
    }
}
