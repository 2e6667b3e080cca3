//! The bar at the top of every signed-in page: where you are, who you are, whether the
//! live connection is up, and signing out.

use crate::client;
use crate::session::{stored_token, use_session};
use crate::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn TopBar(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] live: Signal<bool>,
    #[prop(optional, into)] back: Option<String>,
) -> impl IntoView {
    let session = use_session();
    let store = use_store();
    let waiting = move || store.outbox.with(|o| app::outbox::orders_waiting(o));
    let navigate = use_navigate();
    let sign_out = move |_| {
        // This phone forgets the session at once; the server ends it (and its live
        // streams) when the request arrives. Offline, the session ends by itself when
        // idle.
        if let Some(token) = stored_token() {
            spawn_local(async move {
                let _ = client::logout(&token).await;
            });
        }
        session.sign_out();
        navigate("/", Default::default());
    };
    view! {
        <header class="top-bar">
            {back.map(|href| view! { <a class="back" href=href aria-label="Back">"‹"</a> })}
            <h1>{move || title.get()}</h1>
            <span class="live" class:offline=move || !live.get() title="Live updates">
                {move || if live.get() { "live" } else { "offline" }}
            </span>
            <Show when=move || waiting() != 0>
                <span class="waiting" aria-label="Waiting to send">{move || match waiting() { 1 => "1 order waiting".to_owned(), n => format!("{n} orders waiting") }}</span>
            </Show>
            <span class="who">{move || session.name()}</span>
            // Signing out with unsent changes would send them under the next person's name.
            <button
                class="link"
                disabled=move || waiting() != 0
                title=move || if waiting() != 0 { "Some changes are not sent yet" } else { "" }
                on:click=sign_out
            >
                "Sign out"
            </button>
        </header>
    }
}

/// Shown instead of a page to someone who is not signed in (or may not see it).
#[component]
pub fn SignInFirst(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <main class="page narrow">
            <p class="notice" role="alert">{message}</p>
            <a class="button" href="/">"Sign in"</a>
        </main>
    }
}
