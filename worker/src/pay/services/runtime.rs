//! What Pay's work needs besides its inputs, whether a request or the Cron Trigger started it:
//! the bindings, the time, and whether follow-up work (webhook deliveries) should wait until
//! after the response.

use crate::http::{Cx, OrInternal};
use shared::ApiError;
use worker::{Context, D1Database, Env};

/// `n` (at most 16) decimal digits from the runtime's randomness: the test bank's reference
/// numbers (auth codes, ARNs, UTRs).
pub fn digits(n: usize) -> Result<String, shared::pay::RazorpayError> {
    let bytes = crate::password::random::<16>()?;
    Ok(bytes.iter().take(n).map(|b| char::from(b'0' + b % 10)).collect())
}

pub struct Runtime<'a> {
    pub env: &'a Env,
    pub now_ms: i64,
    /// A request's context: follow-ups run after its response. `None` under the Cron Trigger,
    /// which has no response to protect and runs them at once.
    pub after_response: Option<&'a Context>,
    /// Who asked, for fraud rules; `None` for work the merchant started (a subscription cycle).
    pub client_ip: Option<&'a str>,
}

impl<'a> Runtime<'a> {
    pub fn for_request(cx: &'a Cx) -> Self {
        Self {
            env: &cx.env,
            now_ms: cx.now_ms,
            after_response: Some(&cx.ctx),
            client_ip: Some(&cx.client_ip),
        }
    }

    pub fn scheduled(env: &'a Env, now_ms: i64) -> Self {
        Self { env, now_ms, after_response: None, client_ip: None }
    }

    pub fn db(&self) -> Result<D1Database, ApiError> {
        self.env.d1("DB").internal("D1 binding")
    }
}
