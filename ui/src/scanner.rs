//! Barcode scanners at the counter, in the browser: a keyboard-wedge scanner "types" into
//! the page (told from a person typing by timing, `domain::scanning::WedgeDetector`), and
//! a serial scanner on the server arrives over `GET /api/v1/scans`. Both end up as one
//! callback with the code.

use super::live::use_stream;
use app::api::Scan;
use app::domain::scanning::WedgeDetector;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Element, KeyboardEvent};

/// Calls `on_code` for every scan while the calling component lives.
pub fn use_scanner(on_code: impl Fn(String) + 'static) {
    let on_code = Rc::new(on_code);
    let Some(window) = web_sys::window() else {
        return;
    };

    let detector = RefCell::new(WedgeDetector::default());
    let wedge = on_code.clone();
    let on_key = Closure::<dyn FnMut(KeyboardEvent)>::new(move |ev: KeyboardEvent| {
        // Typing into a field (a note, a name) is the field's business.
        let in_field = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if in_field {
            return;
        }
        if let Some(code) = detector.borrow_mut().key(&ev.key(), ev.time_stamp()) {
            // The scanner's Enter must not also press the focused button.
            ev.prevent_default();
            wedge(code);
        }
    });
    let _ = window.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());

    let _connected = use_stream("/scans", move |data| {
        if let Ok(scan) = serde_json::from_str::<Scan>(data) {
            on_code(scan.code);
        }
        None
    });

    let held = SendWrapper::new((window, on_key));
    on_cleanup(move || {
        let (window, on_key) = held.take();
        let _ =
            window.remove_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    });
}
