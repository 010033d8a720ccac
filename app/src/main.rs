fn main() {
    console_error_panic_hook::set_once();
    app::register_service_worker();
    leptos::mount::mount_to_body(app::App);
}
