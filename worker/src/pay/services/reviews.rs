//! The fraud rules' review queue: the merchant approves a held payment (captured now when its
//! order captures automatically, finishing a subscription's authorization) or rejects it (its
//! authorization is released).

use super::{keys::Merchant, payments, runtime::Runtime, subscriptions, unfinished};
use crate::{
    http::{Cx, OrInternal},
    pay::store::{self, payments::PaymentRow, reviews::ReviewRow},
};
use shared::{
    pay::{fraud::ReviewStatus, payment::PaymentStatus},
    ApiError, ErrorCode,
};

/// The merchant's reviews in `status`, each with its payment.
pub async fn list(
    cx: &Cx,
    merchant: &Merchant,
    status: ReviewStatus,
) -> Result<Vec<(ReviewRow, Option<PaymentRow>)>, ApiError> {
    let db = cx.db()?;
    let rows = store::reviews::list(&db, &merchant.id, status).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let payment = store::payments::get(&db, &merchant.id, &row.payment_id)
            .await
            .internal("loading a payment under review")?;
        items.push((row, payment));
    }
    Ok(items)
}

/// Decides a held payment once; the payment as it is after.
pub async fn decide(
    cx: &Cx,
    merchant: &Merchant,
    payment_id: &str,
    approve: bool,
) -> Result<PaymentRow, ApiError> {
    let db = cx.db()?;
    let missing = || ApiError::not_found("No held payment with this id is yours.");
    let review = store::reviews::get(&db, &merchant.id, payment_id).await?.ok_or_else(missing)?;
    let status = review.status.decide(approve).ok_or_else(|| {
        ApiError::new(ErrorCode::Conflict, format!("This review is {} already.", review.status.as_str()))
    })?;
    if !store::reviews::decide(&db, payment_id, status, cx.now_ms).await? {
        return Err(ApiError::new(ErrorCode::Conflict, "This review was decided meanwhile."));
    }
    let payment = store::payments::get(&db, &merchant.id, payment_id)
        .await
        .internal("loading the payment to decide")?
        .ok_or_else(missing)?;
    let order = store::orders::get(&db, &merchant.id, &payment.order_id)
        .await
        .internal("loading the decided payment's order")?;
    let run = Runtime::for_request(cx);
    if approve {
        let auto_capture = order.as_ref().is_some_and(|o| o.auto_capture != 0);
        if auto_capture && payment.status == PaymentStatus::Authorized {
            let captured =
                payments::capture_approved(&run, &merchant.id, &payment).await.map_err(ApiError::from)?;
            // A subscription's held authorization is finished now that it is paid.
            if let (true, Some(sub_id)) =
                (captured, order.as_ref().and_then(|o| o.subscription_id.as_deref()))
            {
                subscriptions::finish_authorization(&run, &merchant.id, sub_id, &payment.id).await?;
            }
        }
    } else if payment.status == PaymentStatus::Authorized {
        unfinished::release_payment(&db, &payment, cx.now_ms, "rejected in review")
            .await
            .map_err(ApiError::from)?;
    }
    store::payments::get(&db, &merchant.id, payment_id)
        .await
        .internal("loading the decided payment")?
        .ok_or_else(missing)
}

/// Parses a stored review's status filter (`pending` by default).
pub fn status_filter(value: Option<&str>) -> Result<ReviewStatus, ApiError> {
    value
        .map_or(Some(ReviewStatus::Pending), ReviewStatus::parse)
        .ok_or_else(|| ApiError::invalid("status", "The status must be pending, approved or rejected."))
}
