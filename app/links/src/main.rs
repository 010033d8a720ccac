fn main() {
    app_ui::start("links", app_links::App);
}
