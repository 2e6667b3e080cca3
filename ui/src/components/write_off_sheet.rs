//! The sheet for closing an order that cannot be paid in full: what is left is written
//! off, with a reason and a manager's PIN typed on the same phone. Needs the server.

use crate::client;
use crate::components::ManagerPin;
use app::api::WriteOffRequest;
use app::domain::orders::Order;
use app::domain::{Money, OrderId};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn WriteOffSheet(
    order_id: OrderId,
    left_minor: i64,
    currency: String,
    on_done: Callback<Order>,
    on_close: Callback<()>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |_| {
        let request = WriteOffRequest {
            reason: reason.get_untracked(),
            manager_pin: Some(pin.get_untracked()).filter(|p| !p.is_empty()),
        };
        spawn_local(async move {
            let path = format!("/orders/{order_id}/write-off");
            match client::post::<_, Order>(&path, &request).await {
                Ok(order) => on_done.run(order),
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet write-off-sheet" role="dialog" aria-label="Write off">
            <h2>{format!("Write off {} and close", Money::new(left_minor, currency))}</h2>
            <label class="field">"Reason"
                <input type="text" maxlength="120" prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
            <ManagerPin pin=pin/>
            <p class="sheet-problem" role="alert">{move || problem.get()}</p>
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="primary danger" on:click=submit>"Write off and close"</button>
            </div>
        </div>
    }
}
