//! A status as a coloured badge.

use leptos::prelude::*;

/// Green when done well, amber while under way, red when it went wrong, grey otherwise;
/// `partially_paid` reads "partially paid".
#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    let tone = match status.as_str() {
        "captured" | "paid" | "processed" | "delivered" | "active" | "authenticated" | "completed" => "ok",
        "authorized" | "created" | "pending" | "partially_paid" | "paused" | "issued" => "warn",
        "failed" | "cancelled" | "expired" | "halted" => "bad",
        _ => "neutral",
    };
    let label = status.replace('_', " ");
    view! { <span class=format!("status {tone}") data-status=status>{label}</span> }
}
