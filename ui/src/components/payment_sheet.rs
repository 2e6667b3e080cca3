//! The sheet for taking a payment on the phone: method, amount (what is left, or part of
//! it), a tip (typed, or 5, 10 or 15 % in a tap), and for cash what the guest handed over
//! (exact, or the next notes up in a tap), with the change to give back.
//! The amount can come from a split: one seat's share, some items (also some units of a
//! line), or an even part of what is left. It checks with the server's own rules
//! (`domain::payments`, `domain::split`) before anything is queued. A tip above the
//! venue's limit needs a manager: their PIN, typed here, goes with the payment straight to
//! the server (online), since the outbox keeps no PINs.

use crate::client;
use crate::components::ManagerPin;
use crate::store::use_store;
use app::api::TakePaymentRequest;
use app::domain::bill::{TaxMode, TaxRounding};
use app::domain::money::parse_amount;
use app::domain::orders::Order;
use app::domain::payments::{
    cash_due, quick_cash, tip_of, NewPayment, PaymentError, PaymentMethod, PaymentRules,
};
use app::domain::pick_items::{item_rows, ItemRow};
use app::domain::split::{even_share, items_amount, seat_shares, PaidItem};
use app::domain::{Money, PaymentId};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How the bill is being shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Split {
    /// What is left, or a typed amount.
    Whole,
    Seat(i64),
    Items,
    /// Among this many guests.
    Evenly(usize),
}

fn typed_amount(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

#[component]
pub fn PaymentSheet(
    order: Order,
    tax_mode: TaxMode,
    tax_rounding: TaxRounding,
    /// The venue's cash rounding and limits.
    rules: PaymentRules,
    /// The signed-in member manages, so any tip is theirs to approve.
    manages: bool,
    currency: String,
    /// A payment for the outbox.
    on_pay: Callback<NewPayment>,
    /// A payment a manager approved, as the server took it.
    on_approved: Callback<Order>,
    on_close: Callback<()>,
) -> impl IntoView {
    let cash_increment = rules.cash_increment;
    let left_minor = order.left_to_pay(tax_mode, tax_rounding);
    let bill_total = order.totals(tax_mode, tax_rounding).total_minor;
    let tip_limit = rules.tip_limit(bill_total);
    let store = use_store();
    let order_id = order.id;
    let pin = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let method = RwSignal::new(PaymentMethod::Cash);
    // Cash first, so the amount starts as what settles the bill in cash.
    let cash_left = cash_due(left_minor, cash_increment);
    let amount = RwSignal::new(typed_amount(cash_left));
    let split = RwSignal::new(Split::Whole);
    let picks = RwSignal::new(Vec::<PaidItem>::new());
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
        let (seat, items) = match split.get() {
            Split::Seat(seat) => (Some(seat), vec![]),
            Split::Items => (None, picks.get()),
            Split::Whole | Split::Evenly(_) => (None, vec![]),
        };
        Ok(NewPayment {
            id,
            method,
            amount_minor,
            tip_minor,
            tendered_minor,
            reference: reference.filter(|_| method != PaymentMethod::Cash),
            seat,
            items,
        })
    };

    // Choosing a split fills in the amount; it can still be changed by hand.
    let seats = seat_shares(&order, tax_mode, tax_rounding);
    let choose = move |chosen: Split, minor: i64| {
        split.set(chosen);
        amount.set(typed_amount(minor.min(left_minor)));
    };
    let seat_buttons = {
        let money = money.clone();
        seats
            .iter()
            .map(|share| {
                let s = *share;
                let label = if s.paid {
                    format!("Seat {} · paid", s.seat)
                } else {
                    format!("Seat {} · {}", s.seat, money(s.amount_minor))
                };
                view! {
                    <button class="option seat" class:chosen=move || split.get() == Split::Seat(s.seat)
                        disabled=s.paid on:click=move |_| choose(Split::Seat(s.seat), s.amount_minor)>
                        {label}
                    </button>
                }
            })
            .collect_view()
    };
    let has_seats = !seats.is_empty();
    let order_for_items = order.clone();
    // A seat paid for has nothing left to pick; the same item is one row; each row says
    // its price.
    let paid_seats: Vec<i64> = seats.iter().filter(|s| s.paid).map(|s| s.seat).collect();
    let rows = item_rows(&order, &paid_seats);
    let pick = Callback::new(move |(row, more): (ItemRow, bool)| {
        picks.update(|p| row.pick(p, more));
        let chosen = picks.get_untracked();
        let minor = items_amount(&order_for_items, tax_mode, tax_rounding, &chosen).unwrap_or(0);
        choose(Split::Items, minor);
    });
    let item_rows = rows
        .into_iter()
        .map(|row| {
            let price = money(row.unit_price_minor);
            let (name, unpaid) = (row.name.clone(), row.unpaid());
            let seat = row.seat.map(|s| view! { <span class="seat-badge">{format!("S{s}")}</span> });
            let counted = row.clone();
            let count = move || picks.with(|p| counted.picked(p));
            let (less, more) = (row.clone(), row);
            view! {
                <li class="pick-item" data-item=name.clone()>
                    <span class="item">{seat} {name.clone()} <small class="unit-price">{price}</small></span>
                    <button class="step" aria-label=format!("One less {name}") on:click=move |_| pick.run((less.clone(), false))>"−"</button>
                    <span class="count">{count} " of " {unpaid}</span>
                    <button class="step" aria-label=format!("One more {name}") on:click=move |_| pick.run((more.clone(), true))>"+"</button>
                </li>
            }
        })
        .collect_view();
    // Evenly among the table's guests, when the waiter counted them; each payment taken is
    // one share paid, so the next guest pays a part of what is left among the rest.
    let paid_shares = order.payments.len();
    let guests = RwSignal::new(order.guests.map_or(2, |g| g.clamp(2, 30) as usize));
    let even = move |delta: i64| {
        let n = (guests.get_untracked() as i64 + delta).clamp(2, 30) as usize;
        guests.set(n);
        choose(Split::Evenly(n), even_share(left_minor, n, paid_shares));
    };
    let split_modes = [("All", 0u8), ("By seat", 1), ("By item", 2), ("Evenly", 3)]
        .into_iter()
        .filter(move |(_, m)| *m != 1 || has_seats)
        .map(|(label, m)| {
            let is = move || {
                matches!(
                    (split.get(), m),
                    (Split::Whole, 0)
                        | (Split::Seat(_), 1)
                        | (Split::Items, 2)
                        | (Split::Evenly(_), 3)
                )
            };
            let pressed = is;
            view! {
                <button class="option" class:chosen=is aria-pressed=move || pressed().to_string()
                    on:click=move |_| match m {
                        0 => choose(Split::Whole, left_minor),
                        1 => split.set(Split::Seat(0)),
                        2 => { picks.set(vec![]); choose(Split::Items, 0) }
                        _ => even(0),
                    }>
                    {label}
                </button>
            }
        })
        .collect_view();
    // One tap for the usual tips, a share of the amount; and for the notes a guest hands
    // over, so the change is worked out at once.
    let tip_buttons = [5, 10, 15]
        .into_iter()
        .map(|percent| {
            let set = move |_| {
                let base = parse_amount(&amount.get_untracked()).unwrap_or(0);
                if let Some(t) = tip_of(base, percent) {
                    tip.set(typed_amount(t));
                }
            };
            view! { <button class="option quick" on:click=set>{format!("{percent} %")}</button> }
        })
        .collect_view();
    let quick_cash_buttons = {
        let (money, currency) = (money.clone(), currency.clone());
        move || {
            let due = parse_amount(&amount.get()).unwrap_or(0)
                + tip.with(|t| parse_amount(t).unwrap_or(0));
            let exact = view! {
                <button class="option quick" on:click=move |_| given.set(typed_amount(due))>"Exact"</button>
            };
            let notes = quick_cash(due, &currency)
                .into_iter()
                .map(|note| {
                    view! { <button class="option quick" on:click=move |_| given.set(typed_amount(note))>{money(note)}</button> }
                })
                .collect_view();
            (due > 0).then(|| view! { {exact} {notes} })
        }
    };
    let tip_rule = format!("A tip above {} needs a manager's PIN.", money(tip_limit));
    // A problem on screen is about what was typed then: typing again clears it.
    Effect::new(move |_| {
        amount.track();
        tip.track();
        given.track();
        pin.track();
        method.track();
        problem.set(None);
    });
    // The payment as typed, the change, and whether its tip needs a manager's PIN (from a
    // waiter: a manager signed in approves their own). The PIN is checked by the server.
    let checked = {
        let money = money.clone();
        move || {
            typed().and_then(|p| {
                let check = |approved| p.check(left_minor, bill_total, &rules, approved, &money);
                match check(manages) {
                    Err(PaymentError::TipNeedsApproval { .. }) => check(true).map(|c| (c, true)),
                    other => other.map(|c| (c, false)),
                }
                .map(|(change, pin)| (p.clone(), change, pin))
                .map_err(|e| e.to_string())
            })
        }
    };
    let needs_manager = {
        let checked = checked.clone();
        move || checked().is_ok_and(|(_, _, pin)| pin)
    };
    let change = {
        let (checked, money) = (checked.clone(), money.clone());
        move || match checked() {
            Ok((p, change, _)) if p.tendered_minor.is_some() => {
                Some(format!("Change {}", money(change)))
            }
            _ => None,
        }
    };
    let take = {
        let checked = checked.clone();
        move |_| match checked() {
            Ok((payment, _, true)) => {
                let manager_pin = Some(pin.get_untracked()).filter(|p| !p.is_empty());
                if manager_pin.is_none() {
                    return problem.set(Some("Type a manager's PIN to take this tip.".into()));
                }
                // The PIN goes straight to the box, so the box must know the order as this
                // phone shows it: nothing of it may still wait in the outbox.
                if store.outbox.with_untracked(|o| !o.is_empty()) {
                    return problem.set(Some(
                        "Some changes are still on their way to the box; try again in a moment."
                            .into(),
                    ));
                }
                busy.set(true);
                spawn_local(async move {
                    let path = format!("/orders/{order_id}/payments");
                    let request = TakePaymentRequest {
                        payment,
                        manager_pin,
                    };
                    match client::post::<_, Order>(&path, &request).await {
                        Ok(order) => on_approved.run(order),
                        Err(e) => problem.set(Some(e.message())),
                    }
                    busy.set(false);
                });
            }
            Ok((payment, _, false)) => on_pay.run(payment),
            Err(e) => problem.set(Some(e)),
        }
    };
    let label = {
        let (checked, money) = (checked.clone(), money.clone());
        move || match checked() {
            Ok((p, _, _)) => format!("Take {}", money(p.amount_minor + p.tip_minor)),
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
                on:click=move |_| {
                    // The whole bill is what settles it by this method: rounded for cash.
                    let (from, to) = match m {
                        PaymentMethod::Cash => (left_minor, cash_left),
                        _ => (cash_left, left_minor),
                    };
                    if amount.get_untracked() == typed_amount(from) {
                        amount.set(typed_amount(to));
                    }
                    method.set(m)
                }
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
            <p class="hint">"Left to pay: " {money(left_minor)}
                {(cash_left != left_minor).then(|| format!(" ({} in cash)", money(cash_left)))}
            </p>
            <div class="options" role="group" aria-label="Split">{split_modes}</div>
            // Made once and shown or hidden, so what is picked survives switching back.
            <div class="options seats" role="group" aria-label="Seats"
                hidden=move || !matches!(split.get(), Split::Seat(_))>{seat_buttons}</div>
            <ul class="pick-items" aria-label="Items" hidden=move || split.get() != Split::Items>{item_rows}</ul>
            <div class="evenly" role="group" aria-label="Guests" hidden=move || !matches!(split.get(), Split::Evenly(_))>
                <button class="step" aria-label="One guest less" on:click=move |_| even(-1)>"−"</button>
                <span class="count">{move || match paid_shares {
                    0 => format!("{} guests", guests.get()),
                    paid => format!("{} guests · {paid} paid", guests.get()),
                }}</span>
                <button class="step" aria-label="One guest more" on:click=move |_| even(1)>"+"</button>
            </div>
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
            <div class="options" role="group" aria-label="Add a percentage">{tip_buttons}</div>
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
                <div class="options" role="group" aria-label="Quick cash">{quick_cash_buttons.clone()}</div>
            </Show>
            <Show when=needs_manager>
                <p class="hint">{tip_rule.clone()}</p>
                <ManagerPin pin=pin/>
            </Show>
            <p class="change" role="status">{change}</p>
            <p class="sheet-problem" role="alert">{move || problem.get()}</p>
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="primary" disabled=move || busy.get() on:click=take>{label}</button>
            </div>
        </div>
    }
}
