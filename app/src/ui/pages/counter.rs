//! The counter (cashier's screen), `/counter`: one takeaway sale at a time. Start a sale,
//! then scan items (a keyboard-wedge scanner on this device, or a serial scanner on the
//! server) or tap them; send, call it ready, and go on to the next customer. The sale in
//! progress survives a reload.

use crate::api::OpenTakeawayRequest;
use crate::domain::orders::Order;
use crate::domain::takeaway::MAX_CUSTOMER_NAME_CHARS;
use crate::domain::OrderId;
use crate::ui::client;
use crate::ui::components::{ErrorBanner, SignInFirst, TopBar};
use crate::ui::pages::order::OrderScreen;
use crate::ui::session::use_session;
use crate::ui::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;

const SALE_KEY: &str = "comanda.counter_sale";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

#[component]
pub fn CounterPage() -> impl IntoView {
    let session = use_session();
    move || match session.role() {
        Some(role) if role.takes_orders() => view! { <Counter/> }.into_any(),
        Some(_) => {
            view! { <SignInFirst message="The counter is for cashiers, waiters and managers."/> }
                .into_any()
        }
        None => view! { <SignInFirst message="Sign in to use the counter."/> }.into_any(),
    }
}

#[component]
fn Counter() -> impl IntoView {
    let stored = storage()
        .and_then(|s| s.get_item(SALE_KEY).ok().flatten())
        .and_then(|id| id.parse::<OrderId>().ok());
    let sale = RwSignal::new(stored);
    let remember = move |id: Option<OrderId>| {
        if let Some(s) = storage() {
            let _ = match id {
                Some(id) => s.set_item(SALE_KEY, &id.to_string()),
                None => s.remove_item(SALE_KEY),
            };
        }
        sale.set(id);
    };
    let next = Callback::new(move |_| remember(None));
    let started = Callback::new(move |id| remember(Some(id)));
    move || match sale.get() {
        Some(id) => view! { <OrderScreen order_id=id on_next_sale=next/> }.into_any(),
        None => view! { <NewSale on_started=started/> }.into_any(),
    }
}

#[component]
fn NewSale(on_started: Callback<OrderId>) -> impl IntoView {
    let store = use_store();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let order_id = OrderId::new_v7();
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let customer = name.get_untracked();
        let request = OpenTakeawayRequest {
            order_id: Some(order_id),
            customer_name: if customer.trim().is_empty() {
                "Counter".into()
            } else {
                customer
            },
            phone: None,
            sms_consent: false,
            language: None,
        };
        busy.set(true);
        spawn_local(async move {
            match client::post::<_, Order>("/takeaways", &request).await {
                Ok(order) => {
                    store.adopt_order(order);
                    on_started.run(order_id);
                }
                Err(e) => error.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    let live = Signal::derive(move || store.online.get());
    view! {
        <TopBar title="Counter" live=live back="/floor"/>
        <ErrorBanner error=error/>
        <main class="page counter">
            <form class="new-sale" on:submit=start>
                <label class="field">
                    "Customer name (optional)"
                    <input type="text" maxlength=MAX_CUSTOMER_NAME_CHARS prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <button class="primary" type="submit" disabled=move || busy.get()>"Start sale"</button>
            </form>
            <p class="hint">"Then scan items or tap them. For a text when it is ready, use + Takeaway on the floor."</p>
        </main>
    }
}
