//! Live streams in the browser: an `EventSource` on `/api/v1/events` (or `/scans`) that
//! calls back for every message and reports whether it is connected.
//!
//! `EventSource` cannot send an Authorization header, so each stream opens with a
//! one-minute ticket (`POST /api/v1/stream-tickets`) in its URL instead of the session
//! token. The browser reconnects by itself (sending `Last-Event-ID`, so the server replays
//! what was missed) while the ticket is good; once it is refused, the stream asks for a
//! new ticket and opens again from the last event it saw, backing off while offline.

use super::client;
use app::api::{LiveEvent, StreamTicket};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, EventSource, MessageEvent};

/// Longest wait between attempts to reopen a stream.
const MAX_BACKOFF_MS: u32 = 30_000;

/// Called with each message's data; returns its sequence number, if it has one.
type OnData = Box<dyn Fn(&str) -> Option<i64>>;

/// An open `EventSource` and its handlers, which live exactly as long as it.
struct OpenSource {
    source: EventSource,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

/// One live stream, reopened with a fresh ticket whenever the server refuses the old one.
struct LiveStream {
    /// `/events` or `/scans`.
    path: &'static str,
    on_data: OnData,
    set_connected: WriteSignal<bool>,
    last_seq: Cell<Option<i64>>,
    open: RefCell<Option<OpenSource>>,
    stopped: Cell<bool>,
}

impl LiveStream {
    /// Gets a ticket (retrying with backoff) and opens the stream with it.
    fn connect(self: &Rc<Self>, first_delay_ms: u32) {
        let this = self.clone();
        spawn_local(async move {
            let mut delay = first_delay_ms;
            loop {
                if delay > 0 {
                    TimeoutFuture::new(delay).await;
                }
                if this.stopped.get() {
                    return;
                }
                match client::post_empty::<StreamTicket>("/stream-tickets").await {
                    Ok(ticket) => return this.open(&ticket.ticket),
                    // Signed out: nothing to stream until someone signs in again.
                    Err(e) if e.is_unauthorized() => return,
                    Err(_) => delay = (delay.max(500) * 2).min(MAX_BACKOFF_MS),
                }
            }
        });
    }

    fn open(self: &Rc<Self>, ticket: &str) {
        if self.stopped.get() {
            return;
        }
        let since = self
            .last_seq
            .get()
            .map(|s| format!("&since={s}"))
            .unwrap_or_default();
        let url = format!("/api/v1{}?ticket={ticket}{since}", self.path);
        let Ok(source) = EventSource::new(&url) else {
            return self.connect(MAX_BACKOFF_MS);
        };
        let this = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |msg: MessageEvent| {
            if let Some(data) = msg.data().as_string() {
                if let Some(seq) = (this.on_data)(&data) {
                    this.last_seq.set(Some(seq));
                }
            }
        });
        let set_connected = self.set_connected;
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| set_connected.set(true));
        let this = self.clone();
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            set_connected.set(false);
            // CONNECTING: the browser retries by itself. CLOSED: it gave up (the ticket
            // was refused), so ask for a new one.
            let closed = this
                .open
                .borrow()
                .as_ref()
                .is_some_and(|o| o.source.ready_state() == EventSource::CLOSED);
            if closed {
                this.close();
                this.connect(1_000);
            }
        });
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.close();
        *self.open.borrow_mut() = Some(OpenSource {
            source,
            _on_message: on_message,
            _on_open: on_open,
            _on_error: on_error,
        });
    }

    /// Closes the open source and drops its handlers (which breaks their cycle with this).
    fn close(&self) {
        let Some(open) = self.open.borrow_mut().take() else {
            return;
        };
        open.source.close();
        // Its error handler may be the caller: drop the handlers after this turn, not
        // under their own feet.
        spawn_local(async move { drop(open) });
    }
}

/// Opens a stream on `path` for the lifetime of the calling component; returns
/// "connected". `on_data` gets each message's data and returns its sequence number, if any.
pub fn use_stream(
    path: &'static str,
    on_data: impl Fn(&str) -> Option<i64> + 'static,
) -> ReadSignal<bool> {
    let (connected, set_connected) = signal(false);
    let stream = Rc::new(LiveStream {
        path,
        on_data: Box::new(on_data),
        set_connected,
        last_seq: Cell::new(None),
        open: RefCell::new(None),
        stopped: Cell::new(false),
    });
    stream.connect(0);
    let held = SendWrapper::new(stream);
    on_cleanup(move || {
        let stream = held.take();
        stream.stopped.set(true);
        stream.close();
    });
    connected
}

/// The venue's live events for the lifetime of the calling component; returns "connected".
pub fn use_live_events(on_event: impl Fn(LiveEvent) + 'static) -> ReadSignal<bool> {
    use_stream("/events", move |data| {
        let event = serde_json::from_str::<LiveEvent>(data).ok()?;
        let seq = event.seq;
        on_event(event);
        Some(seq)
    })
}
