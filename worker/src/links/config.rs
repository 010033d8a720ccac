//! Per-deployment settings of Links: the secrets behind codes and visitor hashes, and which
//! hosts are Dozen's own (never allowed as destinations: no redirect loops).

use shared::ApiError;
use worker::Env;

/// The secret that keys the code permutation and the daily visitor salt: a Worker secret in
/// production (`wrangler secret put LINKS_SECRET`), `.dev.vars` under `wrangler dev`. Without
/// it nothing is made up: links cannot be created and clicks are not recorded.
pub fn secret(env: &Env) -> Result<Vec<u8>, ApiError> {
    crate::platform::secret(env, "LINKS_SECRET")
}

/// Under `wrangler dev` (`.dev.vars`): the request's `cf` object is a placeholder there.
pub fn is_local(env: &Env) -> bool {
    env.var("DOZEN_LOCAL").is_ok_and(|v| v.to_string() == "true")
}

/// Hosts that are Dozen itself: the request's own host, plus `LINKS_OWN_HOSTS` (comma-separated).
pub fn own_hosts(env: &Env, request_host: &str) -> Vec<String> {
    let mut hosts = vec![request_host.to_ascii_lowercase()];
    if let Ok(list) = env.var("LINKS_OWN_HOSTS") {
        hosts.extend(
            list.to_string().split(',').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()),
        );
    }
    hosts
}

/// Domains no link may point at (`LINKS_BLOCKED_DOMAINS`, comma-separated; subdomains included).
pub fn blocked_domains(env: &Env) -> Vec<String> {
    env.var("LINKS_BLOCKED_DOMAINS")
        .map(|list| {
            list.to_string()
                .split(',')
                .map(|d| d.trim().to_ascii_lowercase())
                .filter(|d| !d.is_empty())
                .collect()
        })
        .unwrap_or_default()
}
