//! The counter (cashier's screen), `/counter`: one takeaway sale at a time. Start a sale,
//! then scan items (a keyboard-wedge scanner on this device, or a serial scanner on the
//! server) or tap them; send, call it ready, take payment, and go on to the next customer.
//! An unpaid sale can be parked to serve someone else and resumed from the list of open
//! sales. The sale in progress survives a reload. The cashier's shift (float and cash
//! count) is run from here too.

use crate::client;
use crate::components::{ErrorBanner, ShiftPanel, SignInFirst, TopBar};
use crate::live::use_live_events;
use crate::pages::order::OrderScreen;
use crate::session::use_session;
use crate::store::use_store;
use crate::store::Store;
use app::api::{OpAction, OpenTakeawayRequest};
use app::domain::orders::Order;
use app::domain::orders::{LineStatus, OrderStatus};
use app::domain::takeaway::MAX_CUSTOMER_NAME_CHARS;
use app::domain::Money;
use app::domain::OrderId;
use leptos::prelude::*;
use leptos::task::spawn_local;

const SALE_KEY: &str = "comanda.counter_sale";

fn currency_of(store: Store) -> String {
    store.snapshot.with(|s| {
        s.as_ref()
            .map(|s| s.venue.currency.clone())
            .unwrap_or_default()
    })
}

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
    let session = use_session();
    // A takeaway phoned in, or a sale parked at another till, shows at once.
    let connected = use_live_events(move |event| store.on_live(event));
    let local = Memo::new(move |_| store.view(session));
    // Parked sales, and takeaways waiting to be paid at pickup: every open takeaway order
    // with something left to pay, or with items not sent yet (never dropped unseen).
    let open_sales = move || {
        let currency = currency_of(store);
        let rules = store.snapshot.with(|s| {
            s.as_ref()
                .map(|s| (s.venue.tax_mode, s.venue.tax_rounding))
                .unwrap_or_default()
        });
        local.with(|v| {
            v.orders
                .iter()
                .filter(|o| o.status == OrderStatus::Open)
                // A paid and sent sale is done at the counter, even while the kitchen
                // finishes it.
                .filter(|o| {
                    o.lines.is_empty()
                        || o.left_to_pay(rules.0, rules.1) > 0
                        || o.lines.iter().any(|l| l.status == LineStatus::New)
                })
                .filter_map(|o| Some((o, o.takeaway.as_ref()?)))
                .map(|(o, t)| {
                    let id = o.id;
                    let items: i64 = o
                        .lines
                        .iter()
                        .filter(|l| l.status != LineStatus::Void)
                        .map(|l| l.quantity)
                        .sum();
                    let owed = Money::new(o.left_to_pay(rules.0, rules.1), currency.as_str());
                    let items = if items == 1 { "1 item".to_owned() } else { format!("{items} items") };
                    let text = format!("#{} {} · {items} · {owed} to pay", o.number, t.customer_name);
                    // A sale started and left empty goes in one tap; one with items is
                    // resumed first (and cancelled there), so a slip here loses nothing.
                    let empty = o.lines.iter().all(|l| l.status == LineStatus::Void);
                    let cancel = (empty && o.check_cancel().is_ok()).then(|| {
                        let label = format!("Cancel sale {}", o.number);
                        view! {
                            <button class="secondary" aria-label=label
                                on:click=move |_| store.record(OpAction::CancelOrder { order_id: id })>"Cancel"</button>
                        }
                    });
                    view! {
                        <li class="open-sale">
                            <span>{text}</span>
                            {cancel}
                            <button class="secondary" on:click=move |_| on_started.run(id)>"Resume"</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let currency = Signal::derive(move || currency_of(store));
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
    let live = Signal::derive(move || connected.get() && store.online.get());
    // For roles the managers let open the drawer by hand (making change, a refund).
    let may_open_drawer = move || {
        store.snapshot.with(|s| {
            s.as_ref()
                .and_then(|s| s.permissions.as_ref())
                .is_some_and(|p| p.opens_drawer)
        })
    };
    let open_drawer = move |_| {
        spawn_local(async move {
            match client::post_empty::<serde_json::Value>("/drawer").await {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e.message())),
            }
        })
    };
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
            <section class="open-sales" aria-label="Open sales">
                <h2>"Parked and open sales"</h2>
                <ul>{open_sales}</ul>
            </section>
            {move || may_open_drawer().then(|| view! {
                <button class="secondary" on:click=open_drawer>"Open cash drawer"</button>
            })}
            <ShiftPanel error=error currency=currency/>
        </main>
    }
}
