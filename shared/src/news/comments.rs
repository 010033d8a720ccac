//! A story's thread: its comments ordered as HN orders them (each comment's replies by their
//! own rank, best first, to any depth), with what a reader may not see left out, and the rules
//! of editing and deleting.

use std::collections::{HashMap, HashSet};

use super::{
    ranking::{rank, Rankable},
    HOUR_MS,
};
use crate::error::{ApiError, ErrorCode};

/// Comments (and stories) can be edited or deleted this long after they are posted.
pub const EDIT_WINDOW_MS: i64 = 2 * HOUR_MS;

/// What the ordering reads of one comment.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadComment<Id> {
    pub id: Id,
    /// `None` for a reply to the story itself.
    pub parent: Option<Id>,
    pub points: i64,
    pub created_ms: i64,
    /// Killed (by flags or a moderator) or from a shadow-banned author: shown only to its author
    /// (and moderators) — see `visible`.
    pub dead: bool,
    /// Deleted by its author: kept as "[deleted]" only while it has replies that are shown.
    pub deleted: bool,
    /// Whether this reader may see it although it is dead (its author, a moderator).
    pub visible_when_dead: bool,
}

/// One line of a thread as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadLine<Id> {
    pub id: Id,
    pub depth: usize,
    /// Only a "[deleted]" or "[dead]" placeholder, kept because replies under it are shown.
    pub placeholder: bool,
}

/// The thread in reading order: depth first, each comment's replies by rank (then older first,
/// so the first good answer keeps its place). A comment whose parent is unknown is left out
/// (it cannot be placed), and so is every comment a reader may not see, unless a reply under
/// it is shown: then it stays as a placeholder.
pub fn thread<Id>(comments: &[ThreadComment<Id>], now_ms: i64) -> Vec<ThreadLine<Id>>
where
    Id: Clone + Eq + std::hash::Hash + Ord,
{
    let known: HashSet<&Id> = comments.iter().map(|c| &c.id).collect();
    let mut replies: HashMap<Option<&Id>, Vec<&ThreadComment<Id>>> = HashMap::new();
    for comment in comments {
        if comment.parent.as_ref().is_some_and(|p| !known.contains(p) || *p == comment.id) {
            continue;
        }
        replies.entry(comment.parent.as_ref()).or_default().push(comment);
    }
    for siblings in replies.values_mut() {
        order_replies(siblings, |c| (&c.id, c.points, c.created_ms), now_ms);
    }
    let mut lines = Vec::new();
    let mut visited = HashSet::new();
    walk(None, 0, &replies, &mut visited, &mut lines);
    lines
}

/// Orders one comment's replies as HN lists them (in a thread and in `/v0`'s `kids`): by their
/// rank as comments, best first, then older first (so the first good answer keeps its place),
/// then by id. `key` gives a reply's (id, points, created_ms).
pub fn order_replies<T, Id: Ord>(replies: &mut [T], key: impl Fn(&T) -> (&Id, i64, i64), now_ms: i64) {
    let score = |points: i64, created_ms: i64| {
        rank(
            &Rankable {
                points,
                created_ms,
                is_comment: true,
                has_url: false,
                comments: 0,
                flags: 0,
                moderator_factor: None,
            },
            now_ms,
        )
    };
    replies.sort_by(|a, b| {
        let ((a_id, a_points, a_at), (b_id, b_points, b_at)) = (key(a), key(b));
        score(b_points, b_at).total_cmp(&score(a_points, a_at)).then(a_at.cmp(&b_at)).then(a_id.cmp(b_id))
    });
}

/// Appends the shown lines under `parent`; says whether any was shown.
fn walk<'a, Id>(
    parent: Option<&'a Id>,
    depth: usize,
    replies: &HashMap<Option<&'a Id>, Vec<&'a ThreadComment<Id>>>,
    visited: &mut HashSet<&'a Id>,
    lines: &mut Vec<ThreadLine<Id>>,
) -> bool
where
    Id: Clone + Eq + std::hash::Hash,
{
    let mut shown_any = false;
    for comment in replies.get(&parent).map(Vec::as_slice).unwrap_or_default() {
        // A cycle (a corrupt parent chain) is walked once.
        if !visited.insert(&comment.id) {
            continue;
        }
        let hidden = comment.deleted || (comment.dead && !comment.visible_when_dead);
        let at = lines.len();
        lines.push(ThreadLine { id: comment.id.clone(), depth, placeholder: hidden });
        let shown_below = walk(Some(&comment.id), depth + 1, replies, visited, lines);
        if hidden && !shown_below {
            lines.truncate(at);
        } else {
            shown_any = true;
        }
    }
    shown_any
}

/// Whether its author may still edit or delete an item posted at `created_ms`.
pub fn editable(created_ms: i64, now_ms: i64) -> bool {
    now_ms - created_ms < EDIT_WINDOW_MS
}

/// Refuses an edit or a deletion that is not the author's (403) or comes after the two hours
/// (409): after that, what was said stands, as on HN.
pub fn check_authors_change(is_author: bool, created_ms: i64, now_ms: i64) -> Result<(), ApiError> {
    if !is_author {
        return Err(ApiError::new(ErrorCode::Forbidden, "Only its author can edit or delete an item."));
    }
    if !editable(created_ms, now_ms) {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "Items can be edited or deleted for two hours after posting; this one can't any more.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn c(id: u32, parent: Option<u32>, points: i64, minutes_old: i64) -> ThreadComment<u32> {
        ThreadComment {
            id,
            parent,
            points,
            created_ms: NOW - minutes_old * 60_000,
            dead: false,
            deleted: false,
            visible_when_dead: false,
        }
    }

    fn order(lines: &[ThreadLine<u32>]) -> Vec<(u32, usize)> {
        lines.iter().map(|l| (l.id, l.depth)).collect()
    }

    #[test]
    fn only_the_author_changes_an_item_and_only_for_two_hours() {
        let posted = NOW - EDIT_WINDOW_MS + 1;
        assert!(check_authors_change(true, posted, NOW).is_ok());
        assert_eq!(check_authors_change(false, posted, NOW).unwrap_err().code, ErrorCode::Forbidden);
        let late = check_authors_change(true, NOW - EDIT_WINDOW_MS, NOW).unwrap_err();
        assert_eq!(late.code, ErrorCode::Conflict);
    }

    #[test]
    fn replies_nest_under_their_parents_best_first() {
        let comments = vec![
            c(1, None, 1, 60),
            c(2, None, 30, 50),
            c(3, Some(2), 2, 40),
            c(4, Some(2), 9, 30),
            c(5, Some(4), 1, 10),
            c(6, Some(1), 1, 5),
        ];
        assert_eq!(order(&thread(&comments, NOW)), vec![(2, 0), (4, 1), (5, 2), (3, 1), (1, 0), (6, 1)]);
    }

    #[test]
    fn equal_ranks_keep_the_older_first() {
        let comments = vec![c(7, None, 1, 10), c(8, None, 1, 20)];
        assert_eq!(order(&thread(&comments, NOW)), vec![(8, 0), (7, 0)]);
    }

    #[test]
    fn newer_comments_can_overtake_older_ones_with_fewer_votes() {
        // 5 points a day ago against 3 points ten minutes ago.
        let comments = vec![c(1, None, 5, 24 * 60), c(2, None, 3, 10)];
        assert_eq!(order(&thread(&comments, NOW))[0].0, 2);
    }

    #[test]
    fn deleted_and_dead_comments_stay_only_as_placeholders_for_shown_replies() {
        let mut gone = c(1, None, 5, 60);
        gone.deleted = true;
        let mut dead_leaf = c(3, None, 5, 60);
        dead_leaf.dead = true;
        let mut own_dead = c(4, None, 1, 60);
        own_dead.dead = true;
        own_dead.visible_when_dead = true;
        let mut dead_reply_to_gone = c(5, Some(1), 1, 30);
        dead_reply_to_gone.dead = true;
        let comments = vec![gone.clone(), c(2, Some(1), 1, 30), dead_leaf, own_dead, dead_reply_to_gone];
        let lines = thread(&comments, NOW);
        assert_eq!(order(&lines), vec![(1, 0), (2, 1), (4, 0)]);
        assert!(lines[0].placeholder && !lines[1].placeholder && !lines[2].placeholder);
        // Without the shown reply, the deleted comment goes entirely.
        let alone = thread(&[gone], NOW);
        assert!(alone.is_empty());
    }

    #[test]
    fn orphans_and_cycles_do_not_break_the_thread() {
        let comments = vec![
            c(1, None, 1, 10),
            c(2, Some(99), 1, 10),
            c(3, Some(4), 1, 10),
            c(4, Some(3), 1, 10),
            c(5, Some(5), 1, 1),
        ];
        assert_eq!(order(&thread(&comments, NOW)), vec![(1, 0)]);
    }

    #[test]
    fn the_edit_window_is_two_hours() {
        assert!(editable(NOW - EDIT_WINDOW_MS + 1, NOW));
        assert!(!editable(NOW - EDIT_WINDOW_MS, NOW));
    }
}
