//! Operations the server refused, with its reason, and saved ones this version could not
//! read, until the waiter dismisses them: nothing a waiter did disappears without a word.

use crate::store::use_store;
use app::api::OpAction;
use leptos::prelude::*;

#[component]
pub fn RefusedList() -> impl IntoView {
    let store = use_store();
    let unreadable = move || {
        store
            .unreadable
            .get()
            .into_iter()
            .map(|u| {
                let key = u.key.clone();
                view! {
                    <div class="refused" role="alert">
                        <span>
                            <strong>"Something saved on this phone could not be read, so it was not sent. "</strong>
                            "Show this to a manager before dismissing it: " {u.why}
                        </span>
                        <button class="link" on:click=move |_| store.dismiss_unreadable(key.clone())>"Dismiss"</button>
                    </div>
                }
            })
            .collect_view()
    };
    let refused = move || {
        store
            .refused
            .get()
            .into_iter()
            .map(|r| {
                let what = match r.op.action {
                    OpAction::OpenTable { .. } => "Opening the table",
                    OpAction::AddLines { .. } => "Adding items",
                    OpAction::SendOrder { .. } => "Sending",
                    OpAction::FireCourse { .. } => "Firing a course",
                    OpAction::ServeReady { .. } => "Serving",
                    OpAction::ReadyForPickup { .. } => "Calling it ready",
                    OpAction::TakePayment { .. } => "Taking a payment",
                    OpAction::CloseOrder { .. } => "Closing the table",
                    OpAction::CancelOrder { .. } => "Cancelling the order",
                    OpAction::RemoveLine { .. } => "Taking off an item",
                    OpAction::ChangeLine { .. } => "Changing an item",
                    OpAction::MoveOrder { .. } => "Moving the table",
                    OpAction::MergeOrders { .. } => "Merging the tables",
                    OpAction::HandOver { .. } => "Handing over the table",
                };
                let id = r.op.op_id;
                view! {
                    <div class="refused" role="alert">
                        <span><strong>{what} " was not accepted: "</strong>{r.reason}</span>
                        <button class="link" on:click=move |_| store.dismiss(id)>"Dismiss"</button>
                    </div>
                }
            })
            .collect_view()
    };
    view! { {unreadable} {refused} }
}
