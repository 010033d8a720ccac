fn main() {
    app_ui::start("lockers", app_lockers::App);
}
