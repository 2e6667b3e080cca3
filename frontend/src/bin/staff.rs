//! The staff shell (`app::shells`): every screen, the station screens and the back office
//! among them. Started like the waiter's shell (`main.rs`).

fn main() {
    console_error_panic_hook::set_once();
    ui::pwa::register_service_worker();
    leptos::mount::mount_to_body(ui::App);
}
