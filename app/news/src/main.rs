fn main() {
    app_ui::start("news", app_news::App);
}
