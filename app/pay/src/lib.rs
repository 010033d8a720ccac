//! Pay in the app: the merchant's dashboard (`/pay`: figures, payments and refunds, payment
//! links, subscriptions, webhooks, settlements and reconciliation, key pairs), and the pages a
//! merchant's customer sees: the hosted checkout of an order, a payment link, and a
//! subscription's authorization. These are two bundles: a paying customer's phone never
//! downloads the merchant's dashboard.

pub mod api;
pub mod checkout;
pub mod dashboard;
pub mod form;
pub mod link;
pub mod payer;
pub mod subscription;

use app_ui::{not_found::Fallback, Frame};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Routes},
    path,
};

/// The merchant's bundle (`pay`): the dashboard.
#[component]
pub fn MerchantApp() -> impl IntoView {
    app_ui::api::name_service("Pay");
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/pay") view=dashboard::DashboardPage />
            </Routes>
        </Frame>
    }
}

/// The customer's bundle (`pay-checkout`): what a merchant's customer opens to pay.
#[component]
pub fn CustomerApp() -> impl IntoView {
    app_ui::api::name_service("Pay");
    view! {
        <Frame>
            <Routes fallback=|| view! { <Fallback /> }>
                <Route path=path!("/pay/checkout/:order_id") view=checkout::CheckoutPage />
                <Route path=path!("/pay/link/:id") view=link::LinkPage />
                <Route path=path!("/pay/subscription/:id") view=subscription::SubscriptionPage />
            </Routes>
        </Frame>
    }
}
