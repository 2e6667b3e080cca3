//! The live event stream in the browser: an `EventSource` on `/api/v1/events` that calls
//! back for every event and reports whether it is connected. The browser reconnects by
//! itself and sends `Last-Event-ID`, so the server replays what was missed.

use super::session::stored_token;
use crate::api::LiveEvent;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, EventSource, MessageEvent};

/// Opens the stream for the lifetime of the calling component; returns "connected".
pub fn use_live_events(on_event: impl Fn(LiveEvent) + 'static) -> ReadSignal<bool> {
    let (connected, set_connected) = signal(false);
    let Some(token) = stored_token() else {
        return connected;
    };
    let Ok(source) = EventSource::new(&format!("/api/v1/events?token={token}")) else {
        return connected;
    };

    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |msg: MessageEvent| {
        if let Some(event) = msg
            .data()
            .as_string()
            .and_then(|d| serde_json::from_str::<LiveEvent>(&d).ok())
        {
            on_event(event);
        }
    });
    let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| set_connected.set(true));
    let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| set_connected.set(false));
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));

    let held = SendWrapper::new((source, on_message, on_open, on_error));
    on_cleanup(move || {
        let (source, ..) = held.take();
        source.close();
    });
    connected
}
