//! Razorpay's error shape, which the `/v1` routes speak instead of the project's own (DESIGN):
//! `{"error":{"code":"BAD_REQUEST_ERROR","description":"…","field":"amount","source":"business",
//! "step":"payment_initiation","reason":"input_validation_failed","metadata":{}}}`.
//! Razorpay's SDKs read `code` and `description`; the rest tells a developer where it failed.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Razorpay's three error codes: the caller's mistake, the bank's or network's answer, ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RazorpayErrorCode {
    BadRequestError,
    GatewayError,
    ServerError,
}

/// An error of the `/v1` API with the HTTP status it is sent with.
#[derive(Debug, Clone, PartialEq)]
pub struct RazorpayError {
    pub status: u16,
    pub code: RazorpayErrorCode,
    pub description: String,
    pub field: Option<String>,
    /// Who caused it: `business` (the request), `customer`, `bank`, `gateway`, `internal`.
    pub source: String,
    /// Where it happened: `payment_initiation`, `payment_authentication`, `payment_authorization`…
    pub step: String,
    /// A stable machine-readable reason: `input_validation_failed`, `card_declined`…
    pub reason: String,
    pub metadata: Map<String, Value>,
    /// Headers that go with it (`Retry-After` of a 429, `Allow` of a 405).
    pub headers: Vec<(String, String)>,
}

/// `{"error": {...}}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RazorpayErrorEnvelope {
    pub error: RazorpayErrorBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RazorpayErrorBody {
    pub code: RazorpayErrorCode,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub source: String,
    pub step: String,
    pub reason: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub metadata: Map<String, Value>,
}

impl RazorpayError {
    /// A request Razorpay would refuse: 400 `BAD_REQUEST_ERROR`.
    pub fn bad_request(description: impl Into<String>) -> Self {
        Self {
            status: 400,
            code: RazorpayErrorCode::BadRequestError,
            description: description.into(),
            field: None,
            source: "business".into(),
            step: "payment_initiation".into(),
            reason: "input_validation_failed".into(),
            metadata: Map::new(),
            headers: Vec::new(),
        }
    }

    /// A rule broken by one input field (`field` uses Razorpay's names, e.g. `card[number]`).
    pub fn invalid(field: &str, description: impl Into<String>) -> Self {
        Self { field: Some(field.to_owned()), ..Self::bad_request(description) }
    }

    /// A request that is well formed but not allowed in the current state (capturing a failed
    /// payment, refunding more than was captured).
    pub fn not_allowed(description: impl Into<String>) -> Self {
        Self {
            source: "business".into(),
            reason: "NA".into(),
            step: "NA".into(),
            ..Self::bad_request(description)
        }
    }

    /// An id that does not exist *for this merchant*: Razorpay answers 400, and so do we; another
    /// merchant's ids get exactly this answer, so nobody learns they exist.
    pub fn no_such_id() -> Self {
        Self { step: "NA".into(), ..Self::bad_request("The id provided does not exist") }
    }

    /// Missing or wrong `Authorization: Basic key_id:key_secret`.
    pub fn authentication_failed() -> Self {
        Self {
            status: 401,
            step: "NA".into(),
            reason: "NA".into(),
            ..Self::bad_request("Authentication failed")
        }
    }

    /// The customer's bank or the network said no: `reason` is Razorpay's (`card_declined`,
    /// `insufficient_funds`, `incorrect_otp`…), metadata names the payment and order.
    pub fn payment_failed(description: impl Into<String>, source: &str, step: &str, reason: &str) -> Self {
        Self {
            source: source.into(),
            step: step.into(),
            reason: reason.into(),
            ..Self::bad_request(description)
        }
    }

    /// Every processor failed to carry the payment: Razorpay's `GATEWAY_ERROR` (502); the
    /// customer may try again.
    pub fn gateway(description: impl Into<String>, reason: &str) -> Self {
        Self {
            status: 502,
            code: RazorpayErrorCode::GatewayError,
            source: "gateway".into(),
            step: "payment_authorization".into(),
            reason: reason.into(),
            ..Self::bad_request(description)
        }
    }

    pub fn with_metadata(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.metadata.insert(key.to_owned(), value.into());
        self
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub fn server_error() -> Self {
        Self {
            status: 500,
            code: RazorpayErrorCode::ServerError,
            source: "internal".into(),
            step: "NA".into(),
            reason: "server_error".into(),
            ..Self::bad_request(
                "We are facing some trouble completing your request at the moment. Please try again shortly.",
            )
        }
    }

    pub fn to_envelope(&self) -> RazorpayErrorEnvelope {
        RazorpayErrorEnvelope {
            error: RazorpayErrorBody {
                code: self.code,
                description: self.description.clone(),
                field: self.field.clone(),
                source: self.source.clone(),
                step: self.step.clone(),
                reason: self.reason.clone(),
                metadata: self.metadata.clone(),
            },
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_envelope()).unwrap_or_default()
    }
}

impl std::fmt::Display for RazorpayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

impl std::error::Error for RazorpayError {}

/// The project's errors (from shared plumbing: JSON parsing, idempotency, rate limits) in
/// Razorpay's shape, keeping their status so a 429 stays a 429 and a 500 a 500.
impl From<ApiError> for RazorpayError {
    fn from(err: ApiError) -> Self {
        let mut headers = err.headers.clone();
        if let Some(secs) = err.retry_after_secs {
            headers.push(("Retry-After".into(), secs.to_string()));
        }
        let base = match err.code {
            ErrorCode::Internal | ErrorCode::Unavailable => Self::server_error(),
            ErrorCode::Unauthenticated | ErrorCode::InvalidCredentials => Self::authentication_failed(),
            ErrorCode::NotFound => Self { status: 404, ..Self::bad_request(err.message.clone()) },
            _ => Self { field: err.field.clone(), ..Self::bad_request(err.message.clone()) },
        };
        // The status of the original stays, except that a field error is Razorpay's 400.
        let status = match err.code {
            ErrorCode::ValidationFailed | ErrorCode::MalformedJson => 400,
            _ => err.status(),
        };
        Self { status, headers, ..base }
    }
}

/// Razorpay's refusals in the project's shape, for the `/api/pay` routes that run the same
/// operations as `/v1`: a field at fault is 422, a state that forbids the request (a paid
/// order) 409, missing credentials 401, and our own failures the opaque 500 (they were logged
/// where they happened).
impl From<RazorpayError> for ApiError {
    fn from(err: RazorpayError) -> Self {
        match (err.status, err.field) {
            (500.., _) => ApiError::internal(),
            (_, Some(field)) => ApiError::invalid(&field, err.description),
            (401, None) => ApiError::unauthenticated(),
            (_, None) => ApiError::new(ErrorCode::Conflict, err.description),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shape_is_razorpays() {
        let err = RazorpayError::invalid("amount", "The amount must be an integer.");
        let value: Value = serde_json::from_str(&err.to_json()).unwrap();
        assert_eq!(
            value,
            json!({"error": {
                "code": "BAD_REQUEST_ERROR",
                "description": "The amount must be an integer.",
                "field": "amount",
                "source": "business",
                "step": "payment_initiation",
                "reason": "input_validation_failed",
                "metadata": {}
            }})
        );
        assert_eq!(err.status, 400);
    }

    #[test]
    fn field_is_absent_when_no_field_is_at_fault() {
        let value: Value = serde_json::from_str(&RazorpayError::no_such_id().to_json()).unwrap();
        assert!(value["error"].get("field").is_none());
        assert_eq!(value["error"]["description"], "The id provided does not exist");
    }

    #[test]
    fn project_errors_keep_their_status() {
        let limited = RazorpayError::from(ApiError::rate_limited(7));
        assert_eq!(limited.status, 429);
        assert!(limited.headers.contains(&("Retry-After".to_owned(), "7".to_owned())));
        assert_eq!(RazorpayError::from(ApiError::internal()).code, RazorpayErrorCode::ServerError);
        let invalid = RazorpayError::from(ApiError::invalid("amount", "x"));
        assert_eq!((invalid.status, invalid.field.as_deref()), (400, Some("amount")));
        let unsupported = RazorpayError::from(ApiError::new(ErrorCode::UnsupportedMediaType, "json please"));
        assert_eq!(unsupported.status, 415);
    }

    #[test]
    fn razorpay_refusals_in_the_project_shape() {
        let invalid = ApiError::from(RazorpayError::invalid("amount", "Too small."));
        assert_eq!((invalid.code, invalid.field.as_deref()), (ErrorCode::ValidationFailed, Some("amount")));
        let state = ApiError::from(RazorpayError::not_allowed("This order is paid."));
        assert_eq!((state.code, state.message.as_str()), (ErrorCode::Conflict, "This order is paid."));
        assert_eq!(ApiError::from(RazorpayError::authentication_failed()).code, ErrorCode::Unauthenticated);
        let ours = ApiError::from(RazorpayError::server_error());
        assert_eq!(ours, ApiError::internal(), "nothing of ours reaches the client");
    }
}
