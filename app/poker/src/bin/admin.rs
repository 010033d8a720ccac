//! The `poker-admin` bundle: the collusion signals, for the tables' admins.

fn main() {
    app_ui::start("poker-admin", app_poker::AdminApp);
}
