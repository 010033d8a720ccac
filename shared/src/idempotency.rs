//! Idempotency keys (DESIGN: every mutation a client may retry takes an `Idempotency-Key`):
//! which keys are acceptable, and what a retry gets. Storage is the worker's.

use crate::error::{ApiError, ErrorCode};

/// How long a key is remembered.
pub const KEY_TTL_SECS: i64 = 24 * 60 * 60;
pub const KEY_MAX_LEN: usize = 255;

/// A key is 1–255 visible ASCII characters (a UUID is typical).
pub fn check_key(key: &str) -> Result<(), ApiError> {
    if key.is_empty() || key.len() > KEY_MAX_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "The Idempotency-Key header must be 1 to 255 visible ASCII characters, such as a UUID.",
        ));
    }
    Ok(())
}

/// What a stored key says about a new request carrying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// Unknown (or expired) key: run the request and remember its answer.
    Fresh,
    /// Same key, same body, answered before: send that answer again.
    Answered,
    /// Same key, the first request is still running.
    InProgress,
    /// Same key, another body: a client bug; refuse.
    Mismatch,
}

pub fn decide(stored: Option<(&str, bool, i64)>, request_hash: &str, now_ms: i64) -> Replay {
    match stored {
        None => Replay::Fresh,
        Some((_, _, created_at)) if now_ms - created_at > KEY_TTL_SECS * 1000 => Replay::Fresh,
        Some((hash, _, _)) if hash != request_hash => Replay::Mismatch,
        Some((_, answered, _)) if answered => Replay::Answered,
        Some(_) => Replay::InProgress,
    }
}

impl Replay {
    pub fn error(&self) -> Option<ApiError> {
        match self {
            Self::Mismatch => Some(ApiError::new(
                ErrorCode::ValidationFailed,
                "This Idempotency-Key was used with a different request body; use a new key for a new request.",
            )),
            Self::InProgress => Some(ApiError::new(
                ErrorCode::Conflict,
                "A request with this Idempotency-Key is still being processed; retry in a moment.",
            )),
            Self::Fresh | Self::Answered => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert!(check_key("3f1c2a9e-1b2c-4d5e-8f90-123456789abc").is_ok());
        assert!(check_key("").is_err());
        assert!(check_key("has space").is_err());
        assert!(check_key(&"k".repeat(256)).is_err());
    }

    #[test]
    fn decisions() {
        let now = 10_000_000;
        assert_eq!(decide(None, "h", now), Replay::Fresh);
        assert_eq!(decide(Some(("h", true, now - 1)), "h", now), Replay::Answered);
        assert_eq!(decide(Some(("h", false, now - 1)), "h", now), Replay::InProgress);
        assert_eq!(decide(Some(("other", true, now - 1)), "h", now), Replay::Mismatch);
        assert_eq!(decide(Some(("other", true, now - KEY_TTL_SECS * 1000 - 1)), "h", now), Replay::Fresh);
        assert_eq!(Replay::Mismatch.error().unwrap().status(), 422);
        assert_eq!(Replay::InProgress.error().unwrap().status(), 409);
    }
}
