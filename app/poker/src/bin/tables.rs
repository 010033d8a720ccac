//! The `poker` bundle: the lobby, the tables, statistics and the replayer.

fn main() {
    app_ui::start("poker", app_poker::App);
}
