//! The field where a manager types their PIN on a waiter's phone to approve a void, a
//! discount or a write-off. The server checks it.

use leptos::prelude::*;

#[component]
pub fn ManagerPin(pin: RwSignal<String>) -> impl IntoView {
    view! {
        <label class="field">
            "Manager PIN"
            <input type="password" inputmode="numeric" autocomplete="off" maxlength="8"
                prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev))/>
        </label>
    }
}
