//! The `cricket-scorer` bundle: making a match and scoring it, which only scorers open.

fn main() {
    app_ui::start("cricket-scorer", app_cricket::ScorerApp);
}
