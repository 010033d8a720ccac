//! The `pay` bundle: the merchant dashboard.

fn main() {
    app_ui::start("pay", app_pay::MerchantApp);
}
