//! The `pay-checkout` bundle: the pages a merchant's customer opens to pay.

fn main() {
    app_ui::start("pay-checkout", app_pay::CustomerApp);
}
