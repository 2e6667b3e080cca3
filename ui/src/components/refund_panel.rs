//! The manager's closed orders, newest first, and refunding one: some of its lines (their
//! share of the bill), an amount, or all that is left, to a method it was paid with or
//! cash, with a reason.

use crate::client;
use crate::pages::report;
use crate::session::use_session;
use app::api::{ClosedOrder, RefundRequest};
use app::domain::cash_day::{refundable, Refund};
use app::domain::money::parse_amount;
use app::domain::orders::LineStatus;
use app::domain::payments::PaymentMethod;
use app::domain::{LineId, Money};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn RefundPanel(error: RwSignal<Option<String>>, currency: Signal<String>) -> impl IntoView {
    let session = use_session();
    let orders = RwSignal::new(Vec::<ClosedOrder>::new());
    let load = move || {
        spawn_local(async move {
            match client::get::<Vec<ClosedOrder>>("/orders/closed?limit=20").await {
                Ok(o) => orders.set(o),
                Err(e) => report(e, error, session),
            }
        })
    };
    load();
    let refunding = RwSignal::new(None::<ClosedOrder>);
    let done = Callback::new(move |_: Refund| {
        refunding.set(None);
        load();
    });
    view! {
        <section class="refund-panel" aria-label="Closed orders">
            <h2>"Closed orders"</h2>
            <button class="secondary" on:click=move |_| load()>"Refresh"</button>
            <ul class="closed-orders">
                {move || orders.get().into_iter().map(|c| {
                    let currency = currency.get();
                    let currency = currency.as_str();
                    let refunded: i64 = c.refunds.iter().map(|r| r.amount_minor).sum();
                    let mut text = format!("{} · #{} · {}", c.destination, c.order.number, Money::new(c.total_minor, currency));
                    if refunded > 0 {
                        text.push_str(&format!(" · refunded {}", Money::new(refunded, currency)));
                    }
                    if c.written_off_minor > 0 {
                        text.push_str(&format!(" · written off {}", Money::new(c.written_off_minor, currency)));
                    }
                    let can = refundable(&c.order.payments, &c.refunds) > 0;
                    let label = format!("Refund order {}", c.order.number);
                    let number = c.order.number;
                    view! {
                        <li class="closed-order" data-number=number>
                            <span>{text}</span>
                            {can.then(|| view! {
                                <button class="secondary" aria-label=label on:click=move |_| refunding.set(Some(c.clone()))>"Refund"</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || refunding.get().map(|c| view! {
                <RefundSheet closed=c currency=currency.get_untracked() on_done=done on_close=Callback::new(move |_| refunding.set(None))/>
            })}
        </section>
    }
}

#[component]
fn RefundSheet(
    closed: ClosedOrder,
    currency: String,
    on_done: Callback<Refund>,
    on_close: Callback<()>,
) -> impl IntoView {
    let mut methods = vec![PaymentMethod::Cash];
    for p in &closed.order.payments {
        if !methods.contains(&p.method) {
            methods.push(p.method);
        }
    }
    let method = RwSignal::new(
        closed
            .order
            .payments
            .first()
            .map_or(PaymentMethod::Cash, |p| p.method),
    );
    let lines = RwSignal::new(Vec::<LineId>::new());
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    // With no items ticked and no amount typed, refunding all of it takes a tick of its own.
    let all = RwSignal::new(false);
    let nothing_chosen = move || lines.with(Vec::is_empty) && amount.with(|a| a.trim().is_empty());
    let left = refundable(&closed.order.payments, &closed.refunds);
    let left_text = Money::new(left, currency.clone()).to_string();
    let order_id = closed.order.id;
    let submit = move |_| {
        let amount_minor = match amount.get_untracked().trim() {
            "" => None,
            t => match parse_amount(t) {
                Some(m) => Some(m),
                None => return problem.set(Some("Type the amount, e.g. 5.00".into())),
            },
        };
        let everything = lines.with_untracked(Vec::is_empty) && amount_minor.is_none();
        if everything && !all.get_untracked() {
            return problem.set(Some(
                "Tick the items to refund, type an amount, or tick \"Refund all of it\".".into(),
            ));
        }
        let request = RefundRequest {
            method: method.get_untracked(),
            amount_minor,
            line_ids: lines.get_untracked(),
            all: everything,
            reason: reason.get_untracked(),
            manager_pin: None,
        };
        spawn_local(async move {
            match client::post::<_, Refund>(&format!("/orders/{order_id}/refunds"), &request).await
            {
                Ok(r) => on_done.run(r),
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let method_buttons = methods
        .into_iter()
        .map(|m| view! {
            <button class="option" class:chosen=move || method.get() == m
                aria-pressed=move || (method.get() == m).to_string() on:click=move |_| method.set(m)>
                {m.label()}
            </button>
        })
        .collect_view();
    let line_boxes = closed
        .order
        .lines
        .iter()
        .filter(|l| l.status != LineStatus::Void)
        .map(|l| {
            let id = l.id;
            let name = format!("{}x {}", l.quantity, l.product_name);
            view! {
                <label class="check">
                    <input type="checkbox" on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        lines.update(|ls| { ls.retain(|x| *x != id); if on { ls.push(id) } });
                    }/>
                    {name}
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet refund-sheet" role="dialog" aria-label="Refund">
            <h2>{format!("Refund order {}", closed.order.number)}</h2>
            <p class="hint">{format!("Up to {left_text} can be refunded: tick items, or type an amount.")}</p>
            <div class="options" role="group" aria-label="Refund to">{method_buttons}</div>
            <div class="refund-lines" role="group" aria-label="Items">{line_boxes}</div>
            <label class="field">"Amount (optional)"
                <input type="text" inputmode="decimal" prop:value=move || amount.get()
                    on:input=move |ev| amount.set(event_target_value(&ev))/>
            </label>
            <label class="field">"Reason"
                <input type="text" maxlength="120" prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
            <Show when=nothing_chosen>
                <label class="check">
                    <input type="checkbox" prop:checked=move || all.get()
                        on:change=move |ev| all.set(event_target_checked(&ev))/>
                    {format!("Refund all of it ({left_text})")}
                </label>
            </Show>
            <p class="sheet-problem" role="alert">{move || problem.get()}</p>
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="primary danger" on:click=submit
                    disabled=move || nothing_chosen() && !all.get()>"Refund"</button>
            </div>
        </div>
    }
}
