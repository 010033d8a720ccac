//! Contacts: what stands between two people, and what each may do next. One `Relation` per
//! pair, seen from either side: a request (by one of them) or being contacts, and each one's
//! own block. A block is never shown to the person blocked: their request looks pending, their
//! messages look sent, and they see no presence.

use crate::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

/// Which of the pair: `A` is the one whose user id sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    A,
    B,
}

impl Side {
    /// `me`'s side of the pair (`me`, `them`).
    pub fn of(me: &str, them: &str) -> Side {
        if me <= them {
            Side::A
        } else {
            Side::B
        }
    }

    fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Bond {
    #[default]
    None,
    Requested(Side),
    Contacts,
}

impl Bond {
    /// As stored (`chat_contacts.bond`).
    pub fn as_str(self) -> &'static str {
        match self {
            Bond::None => "none",
            Bond::Requested(Side::A) => "requested_a",
            Bond::Requested(Side::B) => "requested_b",
            Bond::Contacts => "contacts",
        }
    }

    pub fn parse(stored: &str) -> Option<Bond> {
        [Bond::None, Bond::Requested(Side::A), Bond::Requested(Side::B), Bond::Contacts]
            .into_iter()
            .find(|bond| bond.as_str() == stored)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relation {
    pub bond: Bond,
    pub a_blocks: bool,
    pub b_blocks: bool,
}

/// What `me` sees of the relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    None,
    /// I asked; they have not answered (or they blocked me: I cannot tell).
    Outgoing,
    /// They asked me.
    Incoming,
    Contact,
    /// I blocked them.
    Blocked,
}

/// What `me` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Request,
    Accept,
    Decline,
    Remove,
    Block,
    Unblock,
}

impl Relation {
    fn blocks(&self, side: Side) -> bool {
        match side {
            Side::A => self.a_blocks,
            Side::B => self.b_blocks,
        }
    }

    fn set_block(&mut self, side: Side, on: bool) {
        match side {
            Side::A => self.a_blocks = on,
            Side::B => self.b_blocks = on,
        }
    }

    /// What the person on `me`'s side sees.
    pub fn status(&self, me: Side) -> Status {
        if self.blocks(me) {
            return Status::Blocked;
        }
        match self.bond {
            Bond::None => Status::None,
            Bond::Contacts => Status::Contact,
            Bond::Requested(by) if by == me => Status::Outgoing,
            // (A request from someone I block shows as Blocked above, and again once I
            // unblock them, if they asked meanwhile; from someone who blocked me after asking,
            // it stands: I cannot tell they did.)
            Bond::Requested(_) => Status::Incoming,
        }
    }

    /// The relation after `me` does `action`, or why not.
    pub fn after(&self, me: Side, action: Action) -> Result<Relation, ApiError> {
        let mut next = *self;
        let them = me.other();
        match action {
            Action::Request => match self.bond {
                _ if self.blocks(me) => return Err(conflict("Unblock them first.")),
                Bond::Contacts => return Err(conflict("You are contacts already.")),
                Bond::Requested(by) if by == me => {}
                // They asked first (and have not blocked me): asking back is accepting.
                Bond::Requested(_) if !self.blocks(them) => next.bond = Bond::Contacts,
                // They asked, then blocked me: my request stays pending, as far as I can tell.
                Bond::Requested(_) => {}
                Bond::None => next.bond = Bond::Requested(me),
            },
            Action::Accept | Action::Decline => match self.bond {
                Bond::Requested(by) if by == them && !self.blocks(me) => {
                    next.bond = if action == Action::Accept { Bond::Contacts } else { Bond::None };
                }
                _ => return Err(ApiError::not_found("No request from them to answer.")),
            },
            Action::Remove => match self.bond {
                Bond::Contacts | Bond::Requested(_) if self.status(me) != Status::Incoming => {
                    next.bond = Bond::None
                }
                _ => return Err(ApiError::not_found("They are not in your contacts.")),
            },
            Action::Block => {
                next.set_block(me, true);
                next.bond = Bond::None;
            }
            Action::Unblock => {
                if !self.blocks(me) {
                    return Err(ApiError::not_found("You have not blocked them."));
                }
                next.set_block(me, false);
            }
        }
        Ok(next)
    }

    /// Whether the person on `me`'s side may message the other, or add them to a group: not if
    /// either has blocked the other.
    pub fn may_reach(&self, _me: Side) -> bool {
        !self.a_blocks && !self.b_blocks
    }

    /// Whether the person on `adder`'s side may add the other to a group, given who the other
    /// lets add them (`contacts_only`). A refusal must read the same whatever refused it, so a
    /// block hides among the people who let only contacts add them.
    pub fn may_add_to_group(&self, adder: Side, contacts_only: bool) -> bool {
        self.may_reach(adder) && (!contacts_only || self.bond == Bond::Contacts)
    }

    /// Whether `viewer` may see the other's presence: contacts only, and never across a block.
    pub fn sees_presence(&self, _viewer: Side) -> bool {
        self.bond == Bond::Contacts && !self.a_blocks && !self.b_blocks
    }
}

fn conflict(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Conflict, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    fn run(steps: &[(Side, Action)]) -> Relation {
        steps.iter().fold(Relation::default(), |r, (side, action)| {
            r.after(*side, *action).unwrap_or_else(|e| panic!("{action:?} by {side:?}: {}", e.message))
        })
    }

    #[test]
    fn bonds_are_stored_as_text_and_read_back() {
        for bond in [Bond::None, Bond::Requested(Side::A), Bond::Requested(Side::B), Bond::Contacts] {
            assert_eq!(Bond::parse(bond.as_str()), Some(bond));
        }
        assert_eq!(Bond::parse("friends"), None);
    }

    #[test]
    fn sides_follow_the_sorted_ids() {
        assert_eq!(Side::of("alice", "bob"), Side::A);
        assert_eq!(Side::of("bob", "alice"), Side::B);
    }

    #[test]
    fn request_then_accept_makes_contacts_seen_from_both_sides() {
        let asked = run(&[(Side::A, Request)]);
        assert_eq!((asked.status(Side::A), asked.status(Side::B)), (Status::Outgoing, Status::Incoming));
        let friends = asked.after(Side::B, Accept).unwrap();
        assert_eq!((friends.status(Side::A), friends.status(Side::B)), (Status::Contact, Status::Contact));
        assert!(friends.sees_presence(Side::A) && friends.sees_presence(Side::B));
        assert!(!asked.sees_presence(Side::A), "presence is for contacts");
    }

    #[test]
    fn asking_back_accepts_and_asking_twice_changes_nothing() {
        assert_eq!(run(&[(Side::A, Request), (Side::B, Request)]).bond, Bond::Contacts);
        assert_eq!(run(&[(Side::A, Request), (Side::A, Request)]).bond, Bond::Requested(Side::A));
        assert_eq!(
            run(&[(Side::A, Request), (Side::B, Accept)]).after(Side::A, Request).unwrap_err().code,
            ErrorCode::Conflict
        );
    }

    #[test]
    fn only_the_one_asked_answers_and_declining_leaves_nothing() {
        let asked = run(&[(Side::A, Request)]);
        assert_eq!(asked.after(Side::A, Accept).unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(asked.after(Side::B, Decline).unwrap().bond, Bond::None);
        assert_eq!(Relation::default().after(Side::B, Accept).unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn remove_ends_a_contact_or_withdraws_my_request_but_does_not_answer_theirs() {
        assert_eq!(run(&[(Side::A, Request), (Side::B, Accept), (Side::B, Remove)]).bond, Bond::None);
        assert_eq!(run(&[(Side::A, Request), (Side::A, Remove)]).bond, Bond::None);
        assert_eq!(run(&[(Side::A, Request)]).after(Side::B, Remove).unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn a_block_ends_everything_and_is_never_shown_to_the_one_blocked() {
        let blocked = run(&[(Side::A, Request), (Side::B, Accept), (Side::B, Block)]);
        assert_eq!(blocked.status(Side::B), Status::Blocked);
        assert_eq!(blocked.status(Side::A), Status::None, "A sees no contact, and no block");
        assert!(!blocked.may_reach(Side::A) && !blocked.may_reach(Side::B));
        assert!(!blocked.sees_presence(Side::A));
        // A asks again: as far as A can tell it is pending; B sees nothing and cannot answer.
        let asked = blocked.after(Side::A, Request).unwrap();
        assert_eq!(asked.status(Side::A), Status::Outgoing);
        assert_eq!(asked.status(Side::B), Status::Blocked);
        assert_eq!(asked.after(Side::B, Accept).unwrap_err().code, ErrorCode::NotFound);
        // B cannot ask while blocking; unblocking restores reach, not the contact.
        assert_eq!(blocked.after(Side::B, Request).unwrap_err().code, ErrorCode::Conflict);
        let unblocked = blocked.after(Side::B, Unblock).unwrap();
        assert!(unblocked.may_reach(Side::A));
        assert_eq!(unblocked.bond, Bond::None);
        assert_eq!(unblocked.after(Side::B, Unblock).unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn group_adds_follow_the_setting_and_a_block_looks_like_it() {
        let strangers = Relation::default();
        assert!(strangers.may_add_to_group(Side::A, false));
        assert!(!strangers.may_add_to_group(Side::A, true), "contacts only");
        let friends = run(&[(Side::A, Request), (Side::B, Accept)]);
        assert!(friends.may_add_to_group(Side::A, true));
        let blocked = friends.after(Side::B, Block).unwrap();
        assert!(!blocked.may_add_to_group(Side::A, false));
        assert!(!blocked.may_add_to_group(Side::B, false), "the blocker cannot add the blocked either");
    }

    #[test]
    fn strangers_may_message_each_other_until_one_blocks() {
        assert!(Relation::default().may_reach(Side::A));
        let blocked = Relation::default().after(Side::A, Block).unwrap();
        assert!(!blocked.may_reach(Side::B), "the blocked one cannot reach the blocker");
        assert!(!blocked.may_reach(Side::A), "nor the blocker them, until they unblock");
    }
}
