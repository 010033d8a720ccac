//! The `poker-odds` bundle: the odds calculator, loaded only when it is opened.

fn main() {
    app_ui::start("poker-odds", app_poker::OddsApp);
}
