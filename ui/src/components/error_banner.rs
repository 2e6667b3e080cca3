//! The red strip that says what went wrong and what to do about it.

use leptos::prelude::*;

#[component]
pub fn ErrorBanner(error: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.with(Option::is_some)>
            <div class="error-banner" role="alert">
                <span>{move || error.get().unwrap_or_default()}</span>
                <button class="link" on:click=move |_| error.set(None)>"Dismiss"</button>
            </div>
        </Show>
    }
}
