//! Who is in a conversation and what each may do. A direct conversation is exactly its two
//! people, one per pair; a group has up to 256 members, among them at least one admin while
//! anyone is left: when the last admin leaves, the member who joined first becomes admin.

use crate::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

/// The most members a group may have.
pub const MAX_GROUP_MEMBERS: usize = 256;
/// The longest group title, in characters.
pub const MAX_TITLE_CHARS: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Member,
}

/// One member, with when they joined (unix ms) and the order they joined in (ties broken by
/// user id, so "the oldest member" is always one person).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: String,
    pub role: Role,
    pub joined_at: i64,
}

/// The key that makes a direct conversation one per pair, whoever started it.
pub fn direct_pair_key(a: &str, b: &str) -> String {
    if a <= b {
        format!("{a}:{b}")
    } else {
        format!("{b}:{a}")
    }
}

/// A group title as stored: trimmed, 1–80 characters, no control characters.
pub fn group_title(title: &str) -> Result<String, ApiError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ApiError::invalid("title", "Give the group a name."));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(ApiError::invalid(
            "title",
            format!("A group name is at most {MAX_TITLE_CHARS} characters."),
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(ApiError::invalid("title", "A group name cannot contain control characters."));
    }
    Ok(title.to_owned())
}

/// The members of a new group: its creator as admin, then the others (each once, never the
/// creator twice) as members, all within the size limit.
pub fn new_group(creator: &str, others: &[String], now_ms: i64) -> Result<Vec<Member>, ApiError> {
    let mut members = vec![Member { user_id: creator.to_owned(), role: Role::Admin, joined_at: now_ms }];
    for other in others {
        if members.iter().all(|m| &m.user_id != other) {
            members.push(Member { user_id: other.clone(), role: Role::Member, joined_at: now_ms });
        }
    }
    if members.len() > MAX_GROUP_MEMBERS {
        return Err(ApiError::invalid(
            "members",
            format!("A group has at most {MAX_GROUP_MEMBERS} members."),
        ));
    }
    Ok(members)
}

/// Whether `actor` may change the group (add, remove, rename, make admin).
pub fn can_manage(members: &[Member], actor: &str) -> bool {
    members.iter().any(|m| m.user_id == actor && m.role == Role::Admin)
}

/// Refuses an admin's change to the group unless `actor` is an admin; a non-member is told the
/// group does not exist (it is not theirs to see).
pub fn require_admin(members: &[Member], actor: &str) -> Result<(), ApiError> {
    match members.iter().find(|m| m.user_id == actor) {
        None => Err(ApiError::not_found("No such conversation.")),
        Some(m) if m.role == Role::Admin => Ok(()),
        Some(_) => Err(ApiError::new(ErrorCode::Forbidden, "Only the group's admins can do this.")),
    }
}

/// Whether adding `count` more people keeps the group within its limit.
pub fn room_for(members: &[Member], count: usize) -> Result<(), ApiError> {
    if members.len() + count > MAX_GROUP_MEMBERS {
        return Err(ApiError::invalid(
            "members",
            format!("A group has at most {MAX_GROUP_MEMBERS} members."),
        ));
    }
    Ok(())
}

/// The members after `user_id` leaves (or is removed), and who, if anyone, became admin
/// because no admin was left: the member who joined first.
pub fn after_leaving(members: &[Member], user_id: &str) -> (Vec<Member>, Option<String>) {
    let mut left: Vec<Member> = members.iter().filter(|m| m.user_id != user_id).cloned().collect();
    if left.is_empty() || left.iter().any(|m| m.role == Role::Admin) {
        return (left, None);
    }
    let oldest =
        left.iter_mut().min_by(|a, b| (a.joined_at, &a.user_id).cmp(&(b.joined_at, &b.user_id))).map(|m| {
            m.role = Role::Admin;
            m.user_id.clone()
        });
    (left, oldest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, role: Role, joined_at: i64) -> Member {
        Member { user_id: id.to_owned(), role, joined_at }
    }

    #[test]
    fn a_pair_has_one_key_whoever_starts() {
        assert_eq!(direct_pair_key("alice", "bob"), direct_pair_key("bob", "alice"));
        assert_ne!(direct_pair_key("alice", "bob"), direct_pair_key("alice", "carol"));
    }

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(group_title("  Trip to Goa ").unwrap(), "Trip to Goa");
        assert_eq!(group_title("   ").unwrap_err().field.as_deref(), Some("title"));
        assert!(group_title(&"é".repeat(80)).is_ok());
        assert!(group_title(&"é".repeat(81)).is_err());
        assert!(group_title("a\u{7}b").is_err());
    }

    #[test]
    fn a_new_group_has_its_creator_as_admin_and_everyone_once() {
        let others = vec!["bob".to_owned(), "carol".to_owned(), "bob".to_owned(), "alice".to_owned()];
        let members = new_group("alice", &others, 5).unwrap();
        let ids: Vec<_> = members.iter().map(|m| (m.user_id.as_str(), m.role)).collect();
        assert_eq!(ids, vec![("alice", Role::Admin), ("bob", Role::Member), ("carol", Role::Member)]);
    }

    #[test]
    fn a_group_holds_256_members_and_no_more() {
        let others: Vec<String> = (0..255).map(|i| format!("u{i}")).collect();
        let members = new_group("admin", &others, 0).unwrap();
        assert_eq!(members.len(), MAX_GROUP_MEMBERS);
        assert!(room_for(&members, 1).is_err());
        assert!(room_for(&members[..255], 1).is_ok());
        let too_many: Vec<String> = (0..256).map(|i| format!("u{i}")).collect();
        assert_eq!(new_group("admin", &too_many, 0).unwrap_err().field.as_deref(), Some("members"));
    }

    #[test]
    fn only_admins_manage_and_outsiders_see_nothing() {
        let members = vec![member("a", Role::Admin, 1), member("b", Role::Member, 2)];
        assert!(require_admin(&members, "a").is_ok());
        assert_eq!(require_admin(&members, "b").unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(require_admin(&members, "z").unwrap_err().code, ErrorCode::NotFound);
        assert!(can_manage(&members, "a") && !can_manage(&members, "b"));
    }

    #[test]
    fn the_last_admin_leaving_promotes_the_member_who_joined_first() {
        let members = vec![
            member("admin", Role::Admin, 1),
            member("late", Role::Member, 30),
            member("early", Role::Member, 10),
        ];
        let (left, promoted) = after_leaving(&members, "admin");
        assert_eq!(promoted.as_deref(), Some("early"));
        assert_eq!(left.iter().filter(|m| m.role == Role::Admin).count(), 1);
        // Another admin remains: nobody is promoted.
        let two_admins =
            vec![member("a", Role::Admin, 1), member("b", Role::Admin, 2), member("c", Role::Member, 0)];
        assert_eq!(after_leaving(&two_admins, "a").1, None);
        // A member leaving changes no roles; the last person leaving leaves nobody.
        assert_eq!(after_leaving(&members, "late").1, None);
        assert_eq!(after_leaving(&[member("solo", Role::Admin, 1)], "solo"), (vec![], None));
    }

    #[test]
    fn joined_at_ties_are_broken_by_user_id() {
        let members = vec![
            member("admin", Role::Admin, 1),
            member("zed", Role::Member, 5),
            member("amy", Role::Member, 5),
        ];
        assert_eq!(after_leaving(&members, "admin").1.as_deref(), Some("amy"));
    }
}
