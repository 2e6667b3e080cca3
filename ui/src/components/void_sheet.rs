//! The sheet for voiding a line: a reason from the venue's list, a note, and a manager's
//! PIN typed on the same phone when the venue's rules ask for one (over its limit, or once
//! the kitchen has made the item). Voids need the server, which checks the PIN.

use crate::client;
use crate::components::ManagerPin;
use app::api::{VoidReason, VoidRequest};
use app::domain::orders::{LineStatus, Order, OrderLine};
use app::domain::{Money, OrderId};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn VoidSheet(
    order_id: OrderId,
    line: OrderLine,
    reasons: Vec<VoidReason>,
    /// Voiding a sent line worth more than this needs a manager.
    approval_above_minor: i64,
    currency: String,
    on_voided: Callback<Order>,
    on_close: Callback<()>,
) -> impl IntoView {
    let reason = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let needs_manager = match line.status {
        LineStatus::Preparing | LineStatus::Ready | LineStatus::Served => {
            Some("The kitchen has made it: a manager's PIN is needed.")
        }
        LineStatus::Sent if line.total_minor() > approval_above_minor => {
            Some("Over the limit: a manager's PIN is needed.")
        }
        _ => None,
    };
    let line_id = line.id;
    let void = move |_| {
        let Some(reason_id) = reason.get_untracked() else {
            problem.set(Some("Choose a reason.".into()));
            return;
        };
        let request = VoidRequest {
            reason_id,
            note: note.get_untracked(),
            manager_pin: Some(pin.get_untracked()).filter(|p| !p.is_empty()),
        };
        busy.set(true);
        spawn_local(async move {
            let path = format!("/orders/{order_id}/lines/{line_id}/void");
            match client::post::<_, Order>(&path, &request).await {
                Ok(order) => on_voided.run(order),
                Err(e) => problem.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    let chips = reasons
        .into_iter()
        .map(|r| {
            let id = r.id.clone();
            let chosen = move || reason.with(|c| c.as_deref() == Some(id.as_str()));
            let pressed = chosen.clone();
            view! {
                <button class="option" class:chosen=chosen aria-pressed=move || pressed().to_string()
                    on:click=move |_| reason.set(Some(r.id.clone()))>
                    {r.label.clone()}
                </button>
            }
        })
        .collect_view();
    let title = format!(
        "Void {}x {} ({})",
        line.quantity,
        line.product_name,
        Money::new(line.total_minor(), currency)
    );
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet void-sheet" role="dialog" aria-label="Void item">
            <h2>{title}</h2>
            <div class="options" role="group" aria-label="Reason">{chips}</div>
            <label class="field">
                "Note (optional)"
                <input type="text" maxlength="140" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))/>
            </label>
            {needs_manager.map(|why| view! { <p class="hint">{why}</p> })}
            <ManagerPin pin=pin/>
            <p class="sheet-problem" role="alert">{move || problem.get()}</p>
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="primary danger" disabled=move || busy.get() on:click=void>"Void"</button>
            </div>
        </div>
    }
}
