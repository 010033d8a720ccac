//! Orders: what a merchant expects to be paid.

use super::keys::Merchant;
use crate::{
    coalesce::Coalesced,
    http::Cx,
    password::random,
    pay::store::{
        self, notes_json,
        orders::{OrderRow, PendingOrder},
    },
};
use shared::{
    pay::{ids::OrderId, order::NewOrder, RazorpayError},
    ApiError,
};
use std::rc::Rc;
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

/// Orders stored at most per round trip when concurrent creations are stored together.
const ORDERS_PER_WRITE: usize = 20;

thread_local! {
    /// This isolate's order creations, stored together (`crate::coalesce`): each is answered
    /// once its batch has committed.
    static ORDER_WRITES: Rc<Coalesced<PendingOrder, OrderRow>> = Rc::new(Coalesced::new(
        ORDERS_PER_WRITE,
        |db, orders| Box::pin(async move { store::orders::insert_all(&db, &orders).await }),
        |row, order| order.is_stored_as(row),
    ));
}

/// The origin (`https://host`) a request came to.
pub fn origin_of(req: &Request) -> Result<String, ApiError> {
    let url = req.url().map_err(|e| crate::http::internal("reading the request's address", e))?;
    Ok(url.origin().ascii_serialization())
}

pub async fn create(cx: &Cx, merchant: &Merchant, order: &NewOrder) -> Result<OrderRow, RazorpayError> {
    let pending = PendingOrder {
        id: OrderId::new(cx.now_ms, random::<8>()?).as_str().to_owned(),
        merchant_id: merchant.id.clone(),
        key_id: merchant.key_id.clone(),
        amount: order.amount,
        currency: order.currency.code.to_owned(),
        receipt: order.receipt.clone(),
        notes: notes_json(&order.notes),
        auto_capture: order.auto_capture,
        capture_window_minutes: order.capture_window_minutes,
        partial_payment: order.partial_payment,
        created_at: cx.now_ms,
    };
    let writes = ORDER_WRITES.with(Rc::clone);
    writes.run(&cx.ctx, cx.db()?, pending).await?.ok_or_else(RazorpayError::server_error)
}

/// The merchant's order `id` (another merchant's is one that does not exist).
pub async fn owned(cx: &Cx, merchant: &Merchant, id: &str) -> Result<OrderRow, RazorpayError> {
    let id = OrderId::parse(id)?;
    store::orders::get(&cx.db()?, &merchant.id, id.as_str()).await?.ok_or_else(RazorpayError::no_such_id)
}
