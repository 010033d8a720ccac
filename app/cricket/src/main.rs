fn main() {
    app_ui::start("cricket", app_cricket::App);
}
