//! The WASM entry: report panics to the browser console, register the service worker
//! (offline start, updates), then mount the app.

fn main() {
    console_error_panic_hook::set_once();
    app::ui::pwa::register_service_worker();
    leptos::mount::mount_to_body(app::ui::App);
}
