//! The pickup screen, `/pickup`: takeaway order numbers under "Preparing" and "Ready", in
//! large type for a wall screen by the counter. Public (no sign-in: it shows numbers only)
//! and live: the server pushes the whole board whenever it changes.

use app::api::PickupBoard;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, EventSource, MessageEvent};

#[component]
pub fn PickupPage() -> impl IntoView {
    let board = RwSignal::new(None::<PickupBoard>);
    let connected = RwSignal::new(false);
    if let Ok(source) = EventSource::new("/api/v1/pickup/live") {
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |msg: MessageEvent| {
            if let Some(b) = msg
                .data()
                .as_string()
                .and_then(|d| serde_json::from_str::<PickupBoard>(&d).ok())
            {
                board.set(Some(b));
            }
        });
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| connected.set(true));
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| connected.set(false));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let held = SendWrapper::new((source, on_message, on_open, on_error));
        on_cleanup(move || held.take().0.close());
    }
    let numbers = move |pick: fn(&PickupBoard) -> &Vec<i64>| {
        board.with(|b| {
            b.as_ref()
                .map(|b| {
                    pick(b)
                        .iter()
                        .map(|n| view! { <li>{*n}</li> })
                        .collect_view()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <main class="pickup">
            <header>
                <h1>{move || board.with(|b| b.as_ref().map(|b| b.venue_name.clone()).unwrap_or_default())}</h1>
                <Show when=move || !connected.get()>
                    <span class="pickup-offline">"reconnecting…"</span>
                </Show>
            </header>
            <section class="pickup-preparing" aria-label="Preparing">
                <h2>"Preparing"</h2>
                <ul>{move || numbers(|b| &b.preparing)}</ul>
            </section>
            <section class="pickup-ready" aria-label="Ready">
                <h2>"Ready"</h2>
                <ul>{move || numbers(|b| &b.ready)}</ul>
            </section>
        </main>
    }
}
