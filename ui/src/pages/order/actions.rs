//! The bottom of the order: payments and discounts taken, the order's actions (print the
//! bill, discount, pay, write off, close, cancel; move, merge or hand over the table) and
//! the send bar with the running total.

use super::sheets::{Open, Transfer};
use super::OrderCtx;
use crate::client;
use app::api::{OpAction, PrintJob};
use app::domain::courses;
use app::domain::orders::LineStatus;
use app::domain::Money;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// Discounts and payments taken, and what is left to pay once something is paid.
#[component]
pub(super) fn Payments(ctx: OrderCtx) -> impl IntoView {
    let payments = move || {
        let currency = ctx.currency();
        ctx.order.with(|o| {
            o.as_ref().map(|o| {
                o.payments
                    .iter()
                    .map(|p| {
                        let mut text = format!(
                            "{} {}",
                            p.method.label(),
                            Money::new(p.amount_minor, &currency)
                        );
                        if p.tip_minor > 0 {
                            text.push_str(&format!(", tip {}", Money::new(p.tip_minor, &currency)));
                        }
                        if p.change_minor > 0 {
                            text.push_str(&format!(
                                ", change {}",
                                Money::new(p.change_minor, &currency)
                            ));
                        }
                        view! { <li>{text}</li> }
                    })
                    .collect_view()
            })
        })
    };
    let discounts = move || {
        let currency = ctx.currency();
        ctx.order.with(|o| {
            o.as_ref().map(|o| {
                o.discounts
                    .iter()
                    .zip(app::domain::discounts::taken(o))
                    .filter(|(_, off)| *off > 0)
                    .map(|(d, off)| {
                        let text = format!("Discount {} {}", d.reason, Money::new(-off, &currency));
                        view! { <li class="discount">{text}</li> }
                    })
                    .collect_view()
            })
        })
    };
    let part_paid = move || {
        ctx.can_pay()
            && ctx
                .order
                .with(|o| o.as_ref().is_some_and(|o| !o.payments.is_empty()))
    };
    view! {
        <section class="payments" aria-label="Payments">
            <ul>{discounts}{payments}</ul>
            <Show when=part_paid>
                <p class="left-to-pay">"Left to pay " {move || Money::new(ctx.left(), ctx.currency()).to_string()}</p>
            </Show>
        </section>
    }
}

/// What can be done with the order as it stands.
#[component]
pub(super) fn OrderActions(
    ctx: OrderCtx,
    sheets: Open,
    on_next_sale: Option<Callback<()>>,
) -> impl IntoView {
    let (store, order_id) = (ctx.store, ctx.order_id);
    // Nothing sent, nothing paid: a table opened by mistake can simply be cancelled.
    let can_cancel = move || {
        ctx.order
            .with(|o| o.as_ref().is_some_and(|o| o.check_cancel().is_ok()))
    };
    let at_table = move || {
        ctx.order
            .with(|o| o.as_ref().is_some_and(|o| o.table_id.is_some()))
    };
    let navigate = use_navigate();
    let cancel_order = move |_| {
        store.record(OpAction::CancelOrder { order_id });
        // At the counter the next customer comes; elsewhere, back to the floor.
        match on_next_sale {
            Some(next) => next.run(()),
            None => navigate("/floor", Default::default()),
        }
    };
    // Online only: the bill is printed from the server's copy of the order.
    let bill_state = RwSignal::new(None::<String>);
    let print_bill = move |_| {
        spawn_local(async move {
            let path = format!("/orders/{order_id}/bill");
            match client::post_empty::<Vec<PrintJob>>(&path).await {
                Ok(jobs) => {
                    let printers: Vec<_> = jobs.iter().map(|j| j.printer_name.clone()).collect();
                    let printers = printers.join(", ");
                    bill_state.set(Some(format!("The bill is printing on {printers}.")));
                }
                Err(e) => ctx.notice.set(Some(e.message())),
            }
        })
    };
    view! {
        <div class="order-actions">
            <Show when=move || ctx.has_items()>
                <button class="secondary print-bill" on:click=print_bill>"Print bill"</button>
            </Show>
            <Show when=move || ctx.can_pay()>
                <button class="secondary give-discount" on:click=move |_| sheets.discounting.set(true)>"Discount"</button>
                <button class="primary pay" on:click=move |_| sheets.paying.set(true)>"Pay"</button>
                <button class="secondary write-off" on:click=move |_| sheets.writing_off.set(true)>"Write off"</button>
            </Show>
            <Show when=can_cancel>
                <button class="secondary cancel-order" on:click=cancel_order.clone()>"Cancel order"</button>
            </Show>
            <Show when=at_table>
                <button class="secondary move-order" on:click=move |_| sheets.transferring.set(Some(Transfer::Move))>"Move table"</button>
                <button class="secondary merge-order" on:click=move |_| sheets.transferring.set(Some(Transfer::Merge))>"Merge tables"</button>
                <button class="secondary hand-over" on:click=move |_| sheets.handing_over.set(true)>"Hand over"</button>
            </Show>
        </div>
        <p class="hint" role="status">{move || bill_state.get()}</p>
    }
}

/// Once everything is paid, at the top of the order: it says so, and closes the table in
/// one tap (a takeaway: the order). A course still held is fired first: paid for, it must
/// be made, so the table cannot close before (`Order::check_close`).
#[component]
pub(super) fn PaidBanner(ctx: OrderCtx) -> impl IntoView {
    let (store, order_id) = (ctx.store, ctx.order_id);
    let paid = move || ctx.has_items() && ctx.left() <= 0;
    let at_table = move || {
        ctx.order
            .with(|o| o.as_ref().is_some_and(|o| o.table_id.is_some()))
    };
    let held = move || {
        ctx.order
            .with(|o| o.as_ref().and_then(|o| o.held_courses().first().copied()))
    };
    let navigate = use_navigate();
    let close_order = move |_| {
        store.record(OpAction::CloseOrder { order_id });
        navigate("/floor", Default::default());
    };
    let action = move || match held() {
        Some(course) => {
            let fire = move |_| store.record(OpAction::FireCourse { order_id, course });
            view! {
                <button class="primary fire-held" on:click=fire>{format!("Fire {}", courses::name(course))}</button>
            }
            .into_any()
        }
        None => view! {
            <button class="primary close-order" on:click=close_order.clone()>
                {if at_table() { "Close table" } else { "Close order" }}
            </button>
        }
        .into_any(),
    };
    view! {
        <Show when=paid>
            <div class="paid-banner" role="status">
                <strong>{move || match held() {
                    Some(course) => format!("Paid · {} held", courses::name(course)),
                    None => "Paid".to_owned(),
                }}</strong>
                {action.clone()}
            </div>
        </Show>
    }
}

/// The running total, "Ready for pickup" on a takeaway at its station, "Served" once
/// something is ready, and Send.
#[component]
pub(super) fn SendBar(ctx: OrderCtx) -> impl IntoView {
    let (store, order_id) = (ctx.store, ctx.order_id);
    // What is held stays held: the button sends the rest.
    let send = move |_| {
        let up_to_course = ctx
            .order
            .with_untracked(|o| o.as_ref().and_then(|o| o.send_now()));
        store.record(OpAction::SendOrder {
            order_id,
            up_to_course,
        })
    };
    let serve = move |_| store.record(OpAction::ServeReady { order_id });
    // Through the outbox, so it reaches the server after the send before it.
    let call_ready = move |_| store.record(OpAction::ReadyForPickup { order_id });
    let is_takeaway = move || {
        ctx.order
            .with(|o| o.as_ref().is_some_and(|o| o.takeaway.is_some()))
    };
    let at_station = move || ctx.count(LineStatus::Sent) + ctx.count(LineStatus::Preparing);
    let total = move || Money::new(ctx.total(), ctx.currency()).to_string();
    view! {
        <footer class="send-bar">
            <span class="total" aria-label="Total">{total}</span>
            <Show when=move || is_takeaway() && at_station() != 0>
                <button class="ready-button" on:click=call_ready>"Ready for pickup"</button>
            </Show>
            <Show when=move || ctx.count(LineStatus::Ready) != 0>
                <button class="ready-button" on:click=serve>{move || format!("Served {}", ctx.count(LineStatus::Ready))}</button>
            </Show>
            <button class="primary" disabled=move || ctx.items_to_send() == 0 on:click=send>
                {move || match ctx.items_to_send() { 0 => "Nothing to send".to_owned(), n => format!("Send {n}") }}
            </button>
        </footer>
    }
}
