//! The installable app: registering the service worker, offering a waiting new version
//! ("new version available - reload"), and asking the browser to keep our storage, so an
//! outbox of unsent orders is never evicted.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;
// Registration runs before the app mounts, when Leptos's executor does not exist yet.
use wasm_bindgen::{closure::Closure, JsCast};
use wasm_bindgen_futures::spawn_local as spawn_before_mount;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerRegistration, ServiceWorkerState};

/// Fired on `window` when a new version is installed and waiting.
const UPDATE_EVENT: &str = "comanda:update";

thread_local! {
    static UPDATE_WAITING: Cell<bool> = const { Cell::new(false) };
}

fn announce_update() {
    UPDATE_WAITING.with(|w| w.set(true));
    if let (Some(window), Ok(event)) = (web_sys::window(), web_sys::Event::new(UPDATE_EVENT)) {
        let _ = window.dispatch_event(&event);
    }
}

/// Registers `/sw.js` (called by the WASM entry before the app mounts).
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    spawn_before_mount(async move {
        let Ok(value) = JsFuture::from(container.register("/sw.js")).await else {
            web_sys::console::warn_1(
                &"Comanda: the service worker did not register; no offline start".into(),
            );
            return;
        };
        let registration: ServiceWorkerRegistration = value.unchecked_into();
        let controlled = || {
            web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some())
        };
        if registration.waiting().is_some() && controlled() {
            announce_update();
        }
        let reg = registration.clone();
        let on_update = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = reg.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                // A worker installed while another controls the page is a new version.
                if worker.state() == ServiceWorkerState::Installed && controlled() {
                    announce_update();
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget(); // lives as long as the worker
        });
        registration.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
        on_update.forget(); // lives as long as the page
        ask_worker_to_claim().await;
    });
}

/// A page that opened while the first worker was activating is left uncontrolled (it could
/// not start offline): once a worker is active, ask it to take the page. A staff page asks
/// even when controlled: one that loaded as the worker activated can be taken over before
/// the worker saw it, so without its shell kept (a kitchen screen signing in on the first
/// page while the worker was still keeping the waiter's app). The worker keeps a shell it
/// lacks and takes the page; for a page it has, nothing changes.
async fn ask_worker_to_claim() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let Ok(ready) = container.ready() else {
        return;
    };
    if let Ok(value) = JsFuture::from(ready).await {
        let ready: ServiceWorkerRegistration = value.unchecked_into();
        let staff_page = window
            .location()
            .pathname()
            .is_ok_and(|path| app::shells::is_staff_page(&path));
        if let Some(active) = ready.active() {
            if container.controller().is_none() || staff_page {
                let _ = active.post_message(&"claim".into());
            }
        }
    }
}

/// Lets the waiting version take over, then reloads into it.
fn activate_update() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let reload = Closure::<dyn FnMut()>::new(move || {
        let _ = web_sys::window().map(|w| w.location().reload());
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    spawn_local(async move {
        let Ok(ready) = container.ready() else { return };
        if let Ok(value) = JsFuture::from(ready).await {
            let registration: ServiceWorkerRegistration = value.unchecked_into();
            if let Some(waiting) = registration.waiting() {
                let _ = waiting.post_message(&"skip-waiting".into());
            }
        }
    });
}

/// "New version available": shown once a new build is installed and waiting.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let waiting = RwSignal::new(UPDATE_WAITING.with(Cell::get));
    if let Some(window) = web_sys::window() {
        let on_update = Closure::<dyn FnMut()>::new(move || waiting.set(true));
        let _ = window
            .add_event_listener_with_callback(UPDATE_EVENT, on_update.as_ref().unchecked_ref());
        on_update.forget(); // the app lives as long as the page
    }
    view! {
        <Show when=move || waiting.get()>
            <div class="update-banner" role="status">
                <span>"A new version of Comanda is ready."</span>
                <button class="primary" on:click=move |_| activate_update()>"Reload"</button>
            </div>
        </Show>
    }
}

/// Whether the page at `path` queues orders on this device (the waiter's pages and the
/// counter): only there could an evicted store lose any. Not the sign-in page, which a
/// station screen passes through too.
fn queues_orders(path: &str) -> bool {
    path == "/floor" || path.starts_with("/order/") || path == "/counter"
}

/// Asks the browser not to evict our storage; warns, on the pages that queue orders,
/// when it will not promise that. Inside the router: it follows the page as it changes.
#[component]
pub fn StorageWarning() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname;
    let refused = RwSignal::new(false);
    spawn_local(async move {
        let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
            return;
        };
        let Ok(already) = storage.persisted().map(JsFuture::from) else {
            return;
        };
        if already.await.ok().and_then(|v| v.as_bool()) == Some(true) {
            return;
        }
        let granted = match storage.persist() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            Err(_) => false,
        };
        refused.set(!granted);
    });
    view! {
        <Show when=move || refused.get() && path.with(|p| queues_orders(p))>
            <div class="storage-warning" role="status">
                <span>"This browser may clear unsent orders when it runs low on space. Install Comanda to the home screen to keep them safe."</span>
                <button class="link" on:click=move |_| refused.set(false)>"OK"</button>
            </div>
        </Show>
    }
}
