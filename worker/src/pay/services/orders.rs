//! Orders: what a merchant expects to be paid.

use super::keys::Merchant;
use crate::{
    http::Cx,
    password::random,
    pay::store::{
        self, notes_json,
        orders::{NewOrderRow, OrderRow},
    },
};
use shared::{
    pay::{ids::OrderId, order::NewOrder, RazorpayError},
    ApiError,
};
use worker::{Request, Url};

/// Where a Dozen product's own order is paid: Pay's hosted checkout at `origin`, which sends the
/// payer back to `back_path` once paid.
pub fn hosted_checkout_url(origin: &str, order_id: &str, back_path: &str) -> String {
    let back = format!("{origin}{back_path}");
    match Url::parse_with_params(&format!("{origin}/pay/checkout/{order_id}"), [("callback_url", back)]) {
        Ok(url) => url.to_string(),
        Err(_) => format!("{origin}/pay/checkout/{order_id}"),
    }
}

/// The origin (`https://host`) a request came to.
pub fn origin_of(req: &Request) -> Result<String, ApiError> {
    let url = req.url().map_err(|e| crate::http::internal("reading the request's address", e))?;
    Ok(url.origin().ascii_serialization())
}

pub async fn create(cx: &Cx, merchant: &Merchant, order: &NewOrder) -> Result<OrderRow, RazorpayError> {
    let id = OrderId::new(cx.now_ms, random::<8>()?);
    let db = cx.db()?;
    let notes = notes_json(&order.notes);
    let row = NewOrderRow {
        id: id.as_str(),
        merchant_id: &merchant.id,
        key_id: &merchant.key_id,
        amount: order.amount,
        currency: order.currency.code,
        receipt: order.receipt.as_deref(),
        notes: &notes,
        auto_capture: order.auto_capture,
        capture_window_minutes: order.capture_window_minutes,
        partial_payment: order.partial_payment,
        payment_link_id: None,
        subscription_id: None,
        created_at: cx.now_ms,
    };
    store::orders::insert_returning(&db, &row).await?.ok_or_else(RazorpayError::server_error)
}

/// The merchant's order `id` (another merchant's is one that does not exist).
pub async fn owned(cx: &Cx, merchant: &Merchant, id: &str) -> Result<OrderRow, RazorpayError> {
    let id = OrderId::parse(id)?;
    store::orders::get(&cx.db()?, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)
}
