//! The sheet for giving a discount: on the whole order or one line, a percentage or an
//! amount, with a reason, and a manager's PIN typed on the same phone when it takes off more
//! than the venue's limit. Discounts need the server, which checks the PIN.

use crate::client;
use crate::components::ManagerPin;
use app::domain::bill::FULL_RATE_BP;
use app::domain::discounts::{off, DiscountKind, NewDiscount};
use app::domain::money::parse_amount;
use app::domain::orders::{LineStatus, Order};
use app::domain::{LineId, Money};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn DiscountSheet(
    order: Order,
    /// Discounts given without a manager taking off more than this, on the order in all,
    /// need a manager.
    approval_above_minor: i64,
    currency: String,
    on_given: Callback<Order>,
    on_close: Callback<()>,
) -> impl IntoView {
    let target = RwSignal::new(None::<LineId>);
    let kind = RwSignal::new(DiscountKind::Percent);
    let value = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let order_id = order.id;
    let charged = app::domain::discounts::charged(&order);

    // The discount as typed, in the API's units, or why it is not one.
    let typed = move || -> Result<(DiscountKind, i64), String> {
        let text = value.get();
        let text = text.trim().trim_end_matches('%').trim();
        match kind.get() {
            // A percentage is typed like an amount: "12.5" is 12.5 %, 1250 basis points.
            DiscountKind::Percent => parse_amount(text)
                .filter(|bp| (1..=FULL_RATE_BP).contains(bp))
                .map(|bp| (DiscountKind::Percent, bp))
                .ok_or_else(|| "Type a percentage between 0.01 and 100.".to_owned()),
            DiscountKind::Amount => parse_amount(text)
                .filter(|m| *m > 0)
                .map(|m| (DiscountKind::Amount, m))
                .ok_or_else(|| "Type the amount to take off, e.g. 5.00".to_owned()),
        }
    };
    let takes = {
        let charged = charged.clone();
        move || {
            let (k, v) = typed().ok()?;
            let base = match target.get() {
                Some(line) => charged.iter().find(|(id, _)| *id == line)?.1,
                None => charged.iter().map(|(_, a)| a).sum(),
            };
            Some(off(k, v, base))
        }
    };
    let money = move |m: i64| Money::new(m, currency.clone()).to_string();
    let summary = {
        let (takes, money) = (takes.clone(), money.clone());
        move || takes().map(|t| format!("Takes off {}", money(t)))
    };
    let over_limit = {
        let (takes, order) = (takes.clone(), order.clone());
        move || {
            takes().is_some_and(|t| {
                app::domain::discounts::needs_approval(&order, t, approval_above_minor)
            })
        }
    };
    let give = move |_| {
        let (kind, value) = match typed() {
            Ok(v) => v,
            Err(e) => return problem.set(Some(e)),
        };
        let request = NewDiscount {
            line_id: target.get_untracked(),
            kind,
            value,
            reason: reason.get_untracked(),
            manager_pin: Some(pin.get_untracked()).filter(|p| !p.is_empty()),
        };
        if let Err(e) = request.check() {
            return problem.set(Some(e.to_string()));
        }
        busy.set(true);
        spawn_local(async move {
            let path = format!("/orders/{order_id}/discounts");
            match client::post::<_, Order>(&path, &request).await {
                Ok(order) => on_given.run(order),
                Err(e) => problem.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    let targets = order
        .lines
        .iter()
        .filter(|l| l.status != LineStatus::Void)
        .map(|l| {
            let id = l.id;
            view! { <option value=id.to_string()>{format!("{}x {}", l.quantity, l.product_name)}</option> }
        })
        .collect_view();
    let kinds = [
        (DiscountKind::Percent, "Percent"),
        (DiscountKind::Amount, "Amount"),
    ]
    .into_iter()
    .map(|(k, label)| {
        view! {
            <button class="option" class:chosen=move || kind.get() == k
                aria-pressed=move || (kind.get() == k).to_string() on:click=move |_| kind.set(k)>
                {label}
            </button>
        }
    })
    .collect_view();
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet discount-sheet" role="dialog" aria-label="Discount">
            <h2>"Discount"</h2>
            <label class="field">
                "On"
                <select aria-label="Discount on" on:change=move |ev| target.set(event_target_value(&ev).parse().ok())>
                    <option value="">"The whole order"</option>
                    {targets}
                </select>
            </label>
            <div class="options" role="group" aria-label="Kind">{kinds}</div>
            <label class="field">
                {move || if kind.get() == DiscountKind::Percent { "Percent" } else { "Amount" }}
                <input type="text" inputmode="decimal" prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                "Reason"
                <input type="text" maxlength="120" prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
            <p class="hint" role="status">{summary}</p>
            <Show when=over_limit.clone()>
                <p class="hint">"Over the limit: a manager's PIN is needed."</p>
            </Show>
            <ManagerPin pin=pin/>
            <p class="sheet-problem" role="alert">{move || problem.get()}</p>
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="primary" disabled=move || busy.get() on:click=give>"Give discount"</button>
            </div>
        </div>
    }
}
