//! The sheet for taking a payment on the phone: method, amount (what is left, or part of
//! it), a tip, and for cash what the guest handed over, with the change to give back.
//! It checks with the server's own rules (`domain::payments`) before anything is queued.

use crate::domain::money::parse_amount;
use crate::domain::payments::{NewPayment, PaymentMethod};
use crate::domain::{Money, PaymentId};
use leptos::prelude::*;

#[component]
pub fn PaymentSheet(
    /// What is left to pay, in minor units.
    left_minor: i64,
    currency: String,
    on_pay: Callback<NewPayment>,
    on_close: Callback<()>,
) -> impl IntoView {
    let method = RwSignal::new(PaymentMethod::Cash);
    let amount = RwSignal::new(format!("{}.{:02}", left_minor / 100, left_minor % 100));
    let tip = RwSignal::new(String::new());
    let given = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    // One id per sheet: a double tap takes one payment.
    let id = PaymentId::new_v7();
    let money = {
        let currency = currency.clone();
        move |m: i64| Money::new(m, currency.clone()).to_string()
    };

    // The payment as typed so far, or why it is not one.
    let typed = move || -> Result<NewPayment, String> {
        let amount_minor =
            parse_amount(&amount.get()).ok_or("Type the amount, e.g. 12.50".to_owned())?;
        let tip_minor = match tip.get().trim() {
            "" => 0,
            t => parse_amount(t).ok_or("Type the tip, e.g. 2.00".to_owned())?,
        };
        let method = method.get();
        let tendered_minor = match given.get().trim() {
            _ if method != PaymentMethod::Cash => None,
            "" => None,
            g => Some(parse_amount(g).ok_or("Type the cash given, e.g. 50".to_owned())?),
        };
        let reference = Some(reference.get().trim().to_owned()).filter(|r| !r.is_empty());
        Ok(NewPayment {
            id,
            method,
            amount_minor,
            tip_minor,
            tendered_minor,
            reference: reference.filter(|_| method != PaymentMethod::Cash),
        })
    };
    let checked = {
        let money = money.clone();
        move || {
            typed().and_then(|p| {
                p.check(left_minor, &money)
                    .map(|change| (p, change))
                    .map_err(|e| e.to_string())
            })
        }
    };
    let change = {
        let (checked, money) = (checked.clone(), money.clone());
        move || match checked() {
            Ok((p, change)) if p.tendered_minor.is_some() => {
                Some(format!("Change {}", money(change)))
            }
            _ => None,
        }
    };
    let take = {
        let checked = checked.clone();
        move |_| match checked() {
            Ok((payment, _)) => on_pay.run(payment),
            Err(e) => problem.set(Some(e)),
        }
    };
    let label = {
        let (checked, money) = (checked.clone(), money.clone());
        move || match checked() {
            Ok((p, _)) => format!("Take {}", money(p.amount_minor + p.tip_minor)),
            Err(_) => "Take payment".to_owned(),
        }
    };
    let methods = [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Voucher,
    ]
    .into_iter()
    .map(|m| {
        view! {
            <button
                class="option"
                class:chosen=move || method.get() == m
                aria-pressed=move || (method.get() == m).to_string()
                on:click=move |_| method.set(m)
            >
                {m.label()}
            </button>
        }
    })
    .collect_view();
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet payment-sheet" role="dialog" aria-label="Take payment">
            <h2>"Take payment"</h2>
            <p class="hint">"Left to pay: " {money(left_minor)}</p>
            <div class="options" role="group" aria-label="Method">{methods}</div>
            <label class="field">
                "Amount"
                <input type="text" inputmode="decimal" prop:value=move || amount.get()
                    on:input=move |ev| amount.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                "Tip"
                <input type="text" inputmode="decimal" placeholder="0.00" prop:value=move || tip.get()
                    on:input=move |ev| tip.set(event_target_value(&ev))/>
            </label>
            <Show
                when=move || method.get() == PaymentMethod::Cash
                fallback=move || view! {
                    <label class="field">
                        "Reference (optional)"
                        <input type="text" maxlength="64" prop:value=move || reference.get()
                            on:input=move |ev| reference.set(event_target_value(&ev))/>
                    </label>
                }
            >
                <label class="field">
                    "Cash given"
                    <input type="text" inputmode="decimal" prop:value=move || given.get()
                        on:input=move |ev| given.set(event_target_value(&ev))/>
                </label>
            </Show>
            <p class="change" role="status">{change}</p>
            <p class="sheet-problem" role="alert">{move || problem.get()}</p>
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="primary" on:click=take>{label}</button>
            </div>
        </div>
    }
}
