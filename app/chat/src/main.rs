fn main() {
    app_ui::start("chat", app_chat::App);
}
