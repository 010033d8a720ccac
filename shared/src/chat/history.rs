//! Reading a conversation's log a page at a time, and how much of it a member may read: a
//! member sees what was sent after they joined (as in WhatsApp and Signal, a newcomer to a group
//! does not read what was said before them), so `floor` is the last seq before they joined.

use crate::ApiError;

/// Messages in a page when the client does not say.
pub const DEFAULT_PAGE: u64 = 50;
/// The most messages one page holds.
pub const MAX_PAGE: u64 = 200;

/// Which messages a page holds: seqs after `after` and before `before` (if set), at most
/// `limit` of them, taken from the oldest end when the client gave `after_seq` (reading
/// forward, as a sync does) and from the newest end otherwise (scrolling back). Either way the
/// page lists them oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub after: u64,
    pub before: Option<u64>,
    pub limit: u64,
    pub from_oldest: bool,
}

/// The window of `GET …/messages?after_seq=&before_seq=&limit=` for a member whose history
/// starts after `floor`.
pub fn window(
    after_seq: Option<&str>,
    before_seq: Option<&str>,
    limit: Option<&str>,
    floor: u64,
) -> Result<Window, ApiError> {
    let seq = |field: &str, value: Option<&str>| -> Result<Option<u64>, ApiError> {
        value
            .map(|v| {
                v.parse::<u64>().map_err(|_| ApiError::invalid(field, "A seq is a whole number from 0."))
            })
            .transpose()
    };
    let after = seq("after_seq", after_seq)?;
    let before = seq("before_seq", before_seq)?;
    let limit = match limit {
        None => DEFAULT_PAGE,
        Some(text) => {
            text.parse::<u64>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
                ApiError::invalid("limit", format!("A page holds 1 to {MAX_PAGE} messages."))
            })?
        }
    };
    if let (Some(after), Some(before)) = (after, before) {
        if before <= after {
            return Err(ApiError::invalid("before_seq", "before_seq must be larger than after_seq."));
        }
    }
    Ok(Window { after: after.unwrap_or(0).max(floor), before, limit, from_oldest: after.is_some() })
}

/// Whether a reply may point at `reply_to` in a log whose last seq is `last_seq`, for a member
/// whose history starts after `floor`: only at a message they can see.
pub fn may_reply_to(reply_to: u64, floor: u64, last_seq: u64) -> Result<(), ApiError> {
    if reply_to > floor && reply_to <= last_seq {
        Ok(())
    } else {
        Err(ApiError::invalid("reply_to", "There is no such message to reply to."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_bounds_is_the_newest_page() {
        assert_eq!(
            window(None, None, None, 0).unwrap(),
            Window { after: 0, before: None, limit: DEFAULT_PAGE, from_oldest: false }
        );
        let back = window(None, Some("90"), Some("20"), 0).unwrap();
        assert_eq!((back.before, back.limit, back.from_oldest), (Some(90), 20, false));
    }

    #[test]
    fn after_seq_reads_forward_and_never_below_the_floor() {
        let forward = window(Some("10"), None, None, 0).unwrap();
        assert_eq!((forward.after, forward.from_oldest), (10, true));
        assert_eq!(window(Some("3"), None, None, 40).unwrap().after, 40);
        assert_eq!(window(None, None, None, 40).unwrap().after, 40);
        assert_eq!(window(Some("70"), Some("75"), Some("200"), 40).unwrap().before, Some(75));
    }

    #[test]
    fn bad_bounds_name_their_field() {
        let field = |r: Result<Window, ApiError>| r.unwrap_err().field.unwrap();
        assert_eq!(field(window(Some("-1"), None, None, 0)), "after_seq");
        assert_eq!(field(window(None, Some("x"), None, 0)), "before_seq");
        assert_eq!(field(window(Some("5"), Some("5"), None, 0)), "before_seq");
        assert_eq!(field(window(None, None, Some("0"), 0)), "limit");
        assert_eq!(field(window(None, None, Some("201"), 0)), "limit");
        assert_eq!(field(window(None, None, Some("1e3"), 0)), "limit");
    }

    #[test]
    fn replies_point_at_messages_the_member_can_see() {
        assert!(may_reply_to(5, 0, 5).is_ok());
        assert!(may_reply_to(6, 0, 5).is_err());
        assert!(may_reply_to(0, 0, 5).is_err());
        assert!(may_reply_to(4, 4, 9).is_err(), "sent before they joined");
    }
}
