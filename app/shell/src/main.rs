fn main() {
    app_ui::start("shell", app_shell::App);
}
