//! The `poker-wallet` bundle: the cashier, loaded only when it is opened.

fn main() {
    app_ui::start("poker-wallet", app_poker::WalletApp);
}
