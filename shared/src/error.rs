//! The one JSON error shape of every Dozen API:
//! `{"error":{"code":"snake_case_code","message":"…","field":"…"}}` (`field` only when one
//! input field is at fault), sent with the status that [`ErrorCode::status`] gives.

use serde::{Deserialize, Serialize};

/// What went wrong, as a stable machine-readable code. Each code has exactly one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON.
    MalformedJson,
    /// The request is malformed in another way (a bad query parameter, a bad path segment).
    BadRequest,
    /// The body is not of a type the endpoint takes (JSON, mostly), or a file is not what it claims.
    UnsupportedMediaType,
    /// The body is larger than the endpoint accepts.
    PayloadTooLarge,
    /// A field is missing, has the wrong type or breaks a rule; `field` names it.
    ValidationFailed,
    /// No valid session cookie or API key was presented.
    Unauthenticated,
    /// Username/email and password do not match (never says which part was wrong).
    InvalidCredentials,
    /// Authenticated, but not allowed to do this.
    Forbidden,
    /// A cookie-authenticated mutation that came from another site.
    CrossSiteRequest,
    /// Nothing lives at this path, or it is not yours to see.
    NotFound,
    /// The path exists but not with this method.
    MethodNotAllowed,
    /// The username is taken.
    UsernameTaken,
    /// An account with this email exists.
    EmailTaken,
    /// The short-link alias is taken on this domain.
    AliasTaken,
    /// The request conflicts with the current state.
    Conflict,
    /// The thing existed and is gone for good (an expired link).
    Gone,
    /// A byte range that lies beyond the end of a file.
    RangeNotSatisfiable,
    /// Too many requests; `Retry-After` says when to come back.
    RateLimited,
    /// A dependency (D1, KV) did not answer.
    Unavailable,
    /// Our fault. Details are in the worker's log, never in the response.
    Internal,
}

impl ErrorCode {
    /// The HTTP status sent with this code.
    pub const fn status(self) -> u16 {
        match self {
            Self::MalformedJson | Self::BadRequest => 400,
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::Forbidden | Self::CrossSiteRequest => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::UsernameTaken | Self::EmailTaken | Self::AliasTaken | Self::Conflict => 409,
            Self::Gone => 410,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::RangeNotSatisfiable => 416,
            Self::ValidationFailed => 422,
            Self::RateLimited => 429,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }
}

/// An API error as it travels: the code, a message for a person, the field at fault, and for
/// [`ErrorCode::RateLimited`] how many seconds to wait (sent as `Retry-After`, not in the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub retry_after_secs: Option<u32>,
    /// Headers that belong with this error (`Allow` of a 405, `RateLimit-*` of a 429).
    pub headers: Vec<(String, String)>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), field: None, retry_after_secs: None, headers: Vec::new() }
    }

    /// A rule broken by one input field: 422 with the field named.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self { field: Some(field.to_owned()), ..Self::new(ErrorCode::ValidationFailed, message) }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated, "Sign in, or send an API key as `Authorization: Bearer …`.")
    }

    pub fn rate_limited(retry_after_secs: u32) -> Self {
        Self {
            retry_after_secs: Some(retry_after_secs.max(1)),
            ..Self::new(
                ErrorCode::RateLimited,
                format!("Too many attempts. Try again in {} seconds.", retry_after_secs.max(1)),
            )
        }
    }

    pub fn internal() -> Self {
        Self::new(ErrorCode::Internal, "Something went wrong on our side. Please try again.")
    }

    pub fn status(&self) -> u16 {
        self.code.status()
    }

    /// The wire form.
    pub fn to_envelope(&self) -> ErrorEnvelope {
        ErrorEnvelope {
            error: ErrorBody { code: self.code, message: self.message.clone(), field: self.field.clone() },
        }
    }

    pub fn to_json(&self) -> String {
        // Serialising these plain strings and enums cannot fail.
        serde_json::to_string(&self.to_envelope()).unwrap_or_default()
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ApiError {}

/// `{"error": {...}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// What went wrong and what to fix, in words a person understands.
    pub message: String,
    /// The input field at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl From<ErrorEnvelope> for ApiError {
    fn from(envelope: ErrorEnvelope) -> Self {
        let ErrorBody { code, message, field } = envelope.error;
        Self { code, message, field, retry_after_secs: None, headers: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_json_shape_is_code_and_message_under_error() {
        let err = ApiError::not_found("No such route: /api/nope");
        let value: serde_json::Value = serde_json::from_str(&err.to_json()).unwrap();
        assert_eq!(value, json!({"error": {"code": "not_found", "message": "No such route: /api/nope"}}));
        assert_eq!(err.status(), 404);
    }

    #[test]
    fn validation_error_names_the_field() {
        let err = ApiError::invalid("username", "Username must be at least 3 characters.");
        let value: serde_json::Value = serde_json::from_str(&err.to_json()).unwrap();
        assert_eq!(value["error"]["code"], "validation_failed");
        assert_eq!(value["error"]["field"], "username");
        assert_eq!(err.status(), 422);
    }

    #[test]
    fn every_code_maps_to_a_client_or_server_status_and_round_trips() {
        use ErrorCode::*;
        let all = [
            MalformedJson,
            BadRequest,
            UnsupportedMediaType,
            PayloadTooLarge,
            ValidationFailed,
            Unauthenticated,
            InvalidCredentials,
            Forbidden,
            CrossSiteRequest,
            NotFound,
            MethodNotAllowed,
            UsernameTaken,
            EmailTaken,
            AliasTaken,
            Conflict,
            Gone,
            RangeNotSatisfiable,
            RateLimited,
            Unavailable,
            Internal,
        ];
        for code in all {
            let status = code.status();
            assert!((400..600).contains(&status), "{code:?}");
            let server_side = matches!(code, Internal | Unavailable);
            assert_eq!(status >= 500, server_side, "{code:?} has status {status}");
            let json = serde_json::to_string(&code).unwrap();
            assert!(json.chars().all(|c| c == '"' || c == '_' || c.is_ascii_lowercase()), "{json}");
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
    }

    #[test]
    fn rate_limited_carries_retry_after_but_not_in_the_body() {
        let err = ApiError::rate_limited(30);
        assert_eq!(err.retry_after_secs, Some(30));
        assert_eq!(err.status(), 429);
        assert!(!err.to_json().contains("retry_after"));
    }

    #[test]
    fn envelope_parses_back_into_an_api_error() {
        let err = ApiError::invalid("email", "Enter an email address like name@example.com.");
        let envelope: ErrorEnvelope = serde_json::from_str(&err.to_json()).unwrap();
        assert_eq!(ApiError::from(envelope), err);
    }
}
