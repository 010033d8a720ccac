//! The rules a link's inputs are checked with as they are typed: the worker's own, from `shared`.

use app_ui::components::field::Rule;
use shared::links::{
    alias::validate_alias,
    url_rules::{validate_destination, UrlPolicy},
    wire::normalize_tags,
};

/// The destination rules the worker applies; our own host stands for "a short link already".
pub const URL_RULE: Rule = |v| {
    let host = web_sys::window().and_then(|w| w.location().hostname().ok()).unwrap_or_default();
    validate_destination(v, &UrlPolicy { own_hosts: &[&host], blocked_domains: &[] }).map(drop)
};
pub const ALIAS_RULE: Rule = |v| if v.is_empty() { Ok(()) } else { validate_alias(v).map(drop) };
pub const TAGS_RULE: Rule = |v| normalize_tags(&split_tags(v)).map(drop);

/// "launch, q4" → ["launch", "q4"]
pub fn split_tags(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}
