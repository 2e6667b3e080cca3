//! What is on the order: lines not sent yet, then each station's sent lines with their
//! status. A line not sent yet has − and + for its quantity (− at one takes it off), and a
//! tap on it opens it to change its options, seat, course or note. A line this phone has
//! not heard back about from the server is marked.

use super::OrderCtx;
use app::domain::line_changes::LineChange;
use app::domain::orders::{LineStatus, OrderLine, MAX_QUANTITY};
use app::domain::Money;
use leptos::prelude::*;

/// What a tap on a line does: take off or void it, or open it to change.
#[derive(Clone, Copy)]
pub(super) struct LineTaps {
    pub on_void: Callback<OrderLine>,
    pub on_edit: Callback<OrderLine>,
}

#[component]
pub(super) fn OrderLines(ctx: OrderCtx, taps: LineTaps) -> impl IntoView {
    let lines = move || {
        let (order, currency) = (ctx.order.get()?, ctx.currency());
        let stations = ctx.menu.with(|m| m.as_ref().map(|m| m.stations.clone()))?;
        let pending = ctx.local.with(|v| v.pending_lines.clone());
        let mut groups = vec![(
            "To send".to_owned(),
            "new".to_owned(),
            order
                .lines
                .iter()
                .filter(|l| l.status == LineStatus::New)
                .cloned()
                .collect::<Vec<_>>(),
        )];
        for station in stations {
            let sent: Vec<OrderLine> = order
                .lines
                .iter()
                .filter(|l| l.status != LineStatus::New && l.station_id == station.id)
                .cloned()
                .collect();
            groups.push((station.name.clone(), station.id.0.clone(), sent));
        }
        Some(
            groups
                .into_iter()
                .filter(|(_, _, lines)| !lines.is_empty())
                .map(|(name, key, lines)| {
                    let items = lines
                        .into_iter()
                        .map(|l| {
                            let waiting = pending.contains(&l.id);
                            line_view(ctx, l, &currency, waiting, taps)
                        })
                        .collect_view();
                    view! {
                        <section class="line-group" data-group=key>
                            <h3>{name}</h3>
                            <ul>{items}</ul>
                        </section>
                    }
                })
                .collect_view(),
        )
    };
    view! { <section class="order-lines">{lines}</section> }
}

/// One line; `waiting` while this phone has not yet heard back from the server about it.
fn line_view(
    ctx: OrderCtx,
    line: OrderLine,
    currency: &str,
    waiting: bool,
    taps: LineTaps,
) -> impl IntoView {
    let unsent = line.status == LineStatus::New;
    // A send still in the outbox has not reached the kitchen: it says so, not "sent".
    let (status, status_text) = match (line.status, waiting) {
        (LineStatus::Sent, true) => ("sending", "sending"),
        (s, _) => (s.name(), s.name()),
    };
    let options = line
        .options
        .iter()
        .map(|o| o.label())
        .collect::<Vec<_>>()
        .join(", ");
    let item = view! {
        <span class="item-name">
            {line.seat.map(|s| view! { <span class="seat-badge" title=format!("Seat {s}")>{format!("S{s}")}</span> })}
            {line.product_name.clone()}
        </span>
        {(!options.is_empty()).then(|| view! { <small class="line-options">{options}</small> })}
        {(!line.note.is_empty()).then(|| view! { <small class="line-note">{line.note.clone()}</small> })}
        {(!unsent).then(|| view! { <small class=format!("status status-{status}")>{status_text}</small> })}
    };
    let amount = Money::new(line.total_minor(), currency).to_string();
    let lead = if unsent {
        stepper(ctx, &line, taps.on_void).into_any()
    } else {
        view! { <span class="qty">{line.quantity} "×"</span> }.into_any()
    };
    let item = if unsent {
        let (edit, label) = (line.clone(), format!("Change {}", line.product_name));
        view! { <button class="item line-edit" aria-label=label on:click=move |_| taps.on_edit.run(edit.clone())>{item}</button> }
            .into_any()
    } else {
        view! { <span class="item">{item}</span> }.into_any()
    };
    let tail = (!unsent && line.status != LineStatus::Void && !waiting).then(|| {
        let label = format!("Void {}", line.product_name);
        let voided = line.clone();
        view! { <button class="void-line" aria-label=label on:click=move |_| taps.on_void.run(voided.clone())>"×"</button> }
    });
    view! {
        <li class="order-line" class:waiting=waiting data-status=status title=if waiting { "Not confirmed by the server yet" } else { "" }>
            {lead}
            {item}
            <span class="amount">{amount}</span>
            <span class="line-tail">{tail}</span>
        </li>
    }
}

/// − quantity +, for a line not sent yet: − at one takes the line off.
fn stepper(ctx: OrderCtx, line: &OrderLine, on_remove: Callback<OrderLine>) -> impl IntoView {
    let (order_id, line_id, quantity) = (ctx.order_id, line.id, line.quantity);
    let change = move |quantity: i64| {
        ctx.store.record(app::api::OpAction::ChangeLine {
            order_id,
            line_id,
            change: LineChange {
                quantity: Some(quantity),
                ..LineChange::default()
            },
        })
    };
    let less = {
        let line = line.clone();
        move |_| match quantity {
            1 => on_remove.run(line.clone()),
            q => change(q - 1),
        }
    };
    let less_label = match quantity {
        1 => format!("Remove {}", line.product_name),
        _ => format!("One less {}", line.product_name),
    };
    // No more than the menu has left of a counted product.
    let left = ctx.menu.with_untracked(|m| {
        m.as_ref()
            .and_then(|m| m.product(line.product_id))
            .map(|p| (p.available, p.stock_left))
    });
    let at_most = match left {
        Some((false, _)) => quantity,
        Some((true, Some(left))) => (quantity + left).min(MAX_QUANTITY),
        _ => MAX_QUANTITY,
    };
    view! {
        <span class="stepper">
            <button class="step" aria-label=less_label on:click=less>"−"</button>
            <span class="qty" aria-label="Quantity">{quantity}</span>
            <button class="step" aria-label=format!("One more {}", line.product_name)
                disabled={quantity >= at_most} on:click=move |_| change(quantity + 1)>"+"</button>
        </span>
    }
}
