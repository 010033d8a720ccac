//! The `poker-stats` bundle: a player's statistics, opened from the lobby.

fn main() {
    app_ui::start("poker-stats", app_poker::StatsApp);
}
