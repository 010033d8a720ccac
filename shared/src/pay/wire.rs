//! Bodies of Dozen's own Pay endpoints under `/api/pay` (the merchant's side, signed in with
//! a Dozen session), as opposed to the Razorpay-shaped `/v1` entities in `entity`.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A merchant's key pair as created: the secret is in this answer and nowhere else, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedPayKey {
    /// `rzp_test_…`: the username of HTTP Basic auth on `/v1`.
    pub key_id: String,
    /// The password of HTTP Basic auth, and the key of payment signatures.
    pub key_secret: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayKeyView {
    pub key_id: String,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayKeyList {
    pub items: Vec<PayKeyView>,
}
