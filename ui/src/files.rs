//! Files the browser saves: a menu as CSV made here (`save`), and files the box makes
//! (`download`: a report, the journal, a backup), which go to disk as they come.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Hands `bytes` to the browser as a download named `name`, of type `mime`; None when the
/// browser would not.
pub fn save(name: &str, mime: &str, bytes: &[u8]) -> Option<()> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // Some browsers read the file after the click returns: let it go a minute later.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Some(())
}

/// Downloads `path` (under `/api/v1`, with its query) with a plain link the browser
/// follows itself, so a big file goes straight to disk with the browser's own progress:
/// the link carries a one-use ticket instead of the session token.
pub async fn download(path: &str) -> Result<(), String> {
    let ticket = crate::client::post_empty::<app::api::StreamTicket>("/stream-tickets")
        .await
        .map_err(|e| e.message())?;
    let separator = if path.contains('?') { '&' } else { '?' };
    let href = format!("/api/v1{path}{separator}ticket={}", ticket.ticket);
    let link: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .ok_or("This browser would not save the file.")?;
    link.set_href(&href);
    // The server names the file (Content-Disposition).
    link.set_download("");
    link.click();
    Ok(())
}
