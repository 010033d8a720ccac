//! What a message may be and what its sender may do to it later: the body and client id rules,
//! edits and deletion for everyone within 15 minutes, and reactions.

use crate::{ApiError, ErrorCode};

/// The longest body, in characters (an encrypted body is its ciphertext in base64, so it gets
/// the room that a body of this many characters takes once encrypted).
pub const MAX_BODY_CHARS: usize = 4_000;
/// How long after sending a message its sender may still edit it or delete it for everyone.
pub const CHANGE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// How many times a message may be edited. Each edit keeps the words it replaced (its sender
/// sees them), so this bounds what one message can grow to.
pub const MAX_EDITS: usize = 10;
/// The longest client id.
pub const MAX_CLIENT_ID_LEN: usize = 64;

/// A body as stored: not blank, within the limit, no NUL or other control characters except
/// line breaks and tabs. Kept as written (a leading space or a trailing newline can matter).
pub fn body(text: &str) -> Result<&str, ApiError> {
    body_with(text, false)
}

/// The longest body of an end-to-end encrypted conversation: an envelope (a sealed message of
/// 4,000 characters, base64url twice over, and its header).
pub const MAX_ENVELOPE_CHARS: usize = 48_000;

/// A body in an end-to-end encrypted conversation: an envelope, never plain text.
pub fn envelope_body(text: &str) -> Result<&str, ApiError> {
    if text.len() > MAX_ENVELOPE_CHARS {
        return Err(ApiError::invalid("body", "The sealed message is too long."));
    }
    if !super::e2ee::envelope::is_envelope(text) {
        return Err(ApiError::invalid(
            "body",
            "This conversation is end-to-end encrypted: send a sealed envelope.",
        ));
    }
    Ok(text)
}

/// A message's body when it may carry a file: then the body is a caption, and may be empty.
pub fn body_with(text: &str, has_media: bool) -> Result<&str, ApiError> {
    if has_media && text.is_empty() {
        return Ok(text);
    }
    if text.trim().is_empty() {
        return Err(ApiError::invalid("body", "Write something to send."));
    }
    if text.chars().count() > MAX_BODY_CHARS {
        return Err(ApiError::invalid("body", format!("A message is at most {MAX_BODY_CHARS} characters.")));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
        return Err(ApiError::invalid("body", "A message cannot contain control characters."));
    }
    Ok(text)
}

/// An id a client chooses (a message's client id, a device's id): 1–64 of `[A-Za-z0-9._:-]`.
pub fn is_client_token(id: &str) -> bool {
    (1..=MAX_CLIENT_ID_LEN).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// The id a client gives a message so that sending it again is the same message: 1–64 of
/// `[A-Za-z0-9._:-]` (a UUID, a ULID, a counter).
pub fn client_id(id: &str) -> Result<&str, ApiError> {
    if is_client_token(id) {
        Ok(id)
    } else {
        Err(ApiError::invalid("client_id", "A client id is 1–64 letters, digits or . _ : -"))
    }
}

/// Whether `actor` may edit or delete (for everyone) the message `sender` sent at `sent_at`.
pub fn may_change(
    actor: &str,
    sender: &str,
    sent_at: i64,
    now_ms: i64,
    deleted: bool,
) -> Result<(), ApiError> {
    if actor != sender {
        return Err(ApiError::new(ErrorCode::Forbidden, "Only its sender can change a message."));
    }
    if deleted {
        return Err(ApiError::new(ErrorCode::Conflict, "This message was deleted."));
    }
    if now_ms - sent_at > CHANGE_WINDOW_MS {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "A message can be changed for 15 minutes after it is sent.",
        ));
    }
    Ok(())
}

/// Whether a message edited `edits_so_far` times may be edited again.
pub fn may_edit_again(edits_so_far: usize) -> Result<(), ApiError> {
    if edits_so_far >= MAX_EDITS {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("A message can be edited at most {MAX_EDITS} times."),
        ));
    }
    Ok(())
}

/// A reaction: one emoji (up to a few code points: skin tones, joiners, flags), nothing that
/// could be words. ASCII and whitespace are refused; the picker offers the common ones and any
/// emoji a keyboard types is taken.
pub fn reaction(emoji: &str) -> Result<&str, ApiError> {
    let chars = emoji.chars().count();
    let ok = (1..=10).contains(&chars)
        && emoji.len() <= 40
        && emoji
            .chars()
            .all(|c| !c.is_ascii() && !c.is_whitespace() && !c.is_control() && !c.is_alphanumeric());
    if ok {
        Ok(emoji)
    } else {
        Err(ApiError::invalid("emoji", "A reaction is one emoji."))
    }
}

/// Who reacted with what to one message: one reaction per person (a new one replaces theirs),
/// kept in the order people reacted.
pub type Reactions = Vec<(String, String)>;

/// The reactions after `user` reacts with `emoji` (or takes theirs back with `None`).
pub fn react(mut reactions: Reactions, user: &str, emoji: Option<&str>) -> Reactions {
    reactions.retain(|(who, _)| who != user);
    if let Some(emoji) = emoji {
        reactions.push((user.to_owned(), emoji.to_owned()));
    }
    reactions
}

/// The reactions grouped by emoji, the first-used emoji first.
pub fn reaction_views(reactions: &Reactions) -> Vec<super::wire::ReactionView> {
    let mut views: Vec<super::wire::ReactionView> = Vec::new();
    for (user, emoji) in reactions {
        match views.iter_mut().find(|v| &v.emoji == emoji) {
            Some(view) => view.users.push(user.clone()),
            None => views.push(super::wire::ReactionView { emoji: emoji.clone(), users: vec![user.clone()] }),
        }
    }
    views
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_reaction_per_person_replaced_or_taken_back() {
        let r = react(vec![], "ann", Some("👍"));
        let r = react(r, "bob", Some("😂"));
        let r = react(r, "cat", Some("👍"));
        let r = react(r, "ann", Some("❤️"));
        let views = reaction_views(&r);
        assert_eq!(
            views.iter().map(|v| (v.emoji.as_str(), v.users.clone())).collect::<Vec<_>>(),
            vec![
                ("😂", vec!["bob".to_owned()]),
                ("👍", vec!["cat".to_owned()]),
                ("❤️", vec!["ann".to_owned()])
            ]
        );
        let r = react(r, "bob", None);
        assert_eq!(reaction_views(&r).len(), 2);
        assert_eq!(react(r.clone(), "nobody", None), r);
    }

    #[test]
    fn bodies_are_kept_as_written_within_their_rules() {
        assert_eq!(body("  hi\nthere ").unwrap(), "  hi\nthere ");
        assert_eq!(body(" \n\t").unwrap_err().field.as_deref(), Some("body"));
        assert!(body(&"ü".repeat(MAX_BODY_CHARS)).is_ok());
        assert!(body(&"ü".repeat(MAX_BODY_CHARS + 1)).is_err());
        assert!(body("nul\0byte").is_err());
        assert!(body("bell\u{7}").is_err());
        assert!(body("emoji 👍🏽 and 中文").is_ok());
    }

    #[test]
    fn client_ids_are_short_and_plain() {
        for good in ["a", "01HZX3B2Q9", "3f2b6c1e-7a0d-4c4e-9a53-2d1f0e6b7c8a", "web:42", &"x".repeat(64)] {
            assert!(client_id(good).is_ok(), "{good}");
        }
        for bad in ["", "has space", "slash/", "ünïcode", &"x".repeat(65)] {
            assert_eq!(client_id(bad).unwrap_err().field.as_deref(), Some("client_id"), "{bad}");
        }
    }

    #[test]
    fn only_the_sender_changes_a_message_and_only_for_15_minutes() {
        assert!(may_change("ann", "ann", 0, CHANGE_WINDOW_MS, false).is_ok());
        assert_eq!(
            may_change("ann", "ann", 0, CHANGE_WINDOW_MS + 1, false).unwrap_err().code,
            ErrorCode::Conflict
        );
        assert_eq!(may_change("bob", "ann", 0, 1, false).unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(may_change("ann", "ann", 0, 1, true).unwrap_err().code, ErrorCode::Conflict);
    }

    #[test]
    fn a_message_is_edited_at_most_ten_times() {
        assert!(may_edit_again(0).is_ok());
        assert!(may_edit_again(MAX_EDITS - 1).is_ok());
        assert_eq!(may_edit_again(MAX_EDITS).unwrap_err().code, ErrorCode::Conflict);
    }

    #[test]
    fn a_reaction_is_one_emoji() {
        for good in ["👍", "❤️", "👍🏽", "🏳️‍🌈", "🇮🇳", "😂"] {
            assert!(reaction(good).is_ok(), "{good}");
        }
        for bad in ["", "+1", "ok", "👍 ", "日本", "👍👍👍👍👍👍👍👍👍👍👍"] {
            assert!(reaction(bad).is_err(), "{bad}");
        }
    }
}
