//! The waiter's shell (`app::shells`): report panics to the browser console, register the
//! service worker (offline start, updates), then mount sign-in, the floor and the order
//! screen. `bin/staff.rs` is the staff shell.

fn main() {
    console_error_panic_hook::set_once();
    ui::pwa::register_service_worker();
    leptos::mount::mount_to_body(ui::WaiterApp);
}
