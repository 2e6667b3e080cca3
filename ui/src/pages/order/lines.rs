//! What is on the order: lines not sent yet, then each station's sent lines with their
//! status. A line this phone has not heard back about from the server is marked.

use super::OrderCtx;
use app::domain::orders::{LineStatus, OrderLine};
use app::domain::Money;
use leptos::prelude::*;

#[component]
pub(super) fn OrderLines(ctx: OrderCtx, on_void: Callback<OrderLine>) -> impl IntoView {
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
                            line_view(l, &currency, waiting, on_void)
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
    line: OrderLine,
    currency: &str,
    waiting: bool,
    on_void: Callback<OrderLine>,
) -> impl IntoView {
    let status = format!("{:?}", line.status).to_lowercase();
    let options = line
        .options
        .iter()
        .map(|o| o.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="order-line" class:waiting=waiting data-status=status.clone() title=if waiting { "Not confirmed by the server yet" } else { "" }>
            <span class="qty">{line.quantity} "×"</span>
            {line.seat.map(|s| view! { <span class="seat-badge" title=format!("Seat {s}")>{format!("S{s}")}</span> })}
            <span class="item">
                {line.product_name.clone()}
                {(!options.is_empty()).then(|| view! { <small class="line-options">{options}</small> })}
                {(!line.note.is_empty()).then(|| view! { <small class="line-note">{line.note.clone()}</small> })}
            </span>
            <span class=format!("status status-{status}")>{status.clone()}</span>
            <span class="amount">{Money::new(line.total_minor(), currency).to_string()}</span>
            {(line.status != LineStatus::Void && !waiting).then(|| {
                let verb = if line.status == LineStatus::New { "Remove" } else { "Void" };
                let label = format!("{verb} {}", line.product_name);
                view! { <button class="void-line" aria-label=label on:click=move |_| on_void.run(line.clone())>"×"</button> }
            })}
        </li>
    }
}
