fn main() {
    app_ui::start("poker", app_poker::App);
}
