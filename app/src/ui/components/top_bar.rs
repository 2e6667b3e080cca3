//! The bar at the top of every signed-in page: where you are, who you are, whether the
//! live connection is up, and signing out.

use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn TopBar(
    #[prop(into)] title: Signal<String>,
    live: ReadSignal<bool>,
    #[prop(optional, into)] back: Option<String>,
) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
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
            <span class="who">{move || session.name()}</span>
            <button class="link" on:click=sign_out>"Sign out"</button>
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
