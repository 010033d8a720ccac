fn main() {
    app_ui::start("account", app_account::App);
}
