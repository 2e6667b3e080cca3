//! What is on the order: lines to send (with "Send Starters first" when two courses or
//! more wait), each held course with its "Fire" button, then each station's sent lines
//! with their status. A line not sent yet has − and + for its quantity (− at one takes it off), and a
//! tap on it opens it to change its options, seat, course or note. A line this phone has
//! not heard back about from the server is marked.

use super::OrderCtx;
use app::api::OpAction;
use app::domain::courses;
use app::domain::line_changes::LineChange;
use app::domain::orders::{LineStatus, OrderLine};
use app::domain::Money;
use leptos::prelude::*;

/// What a tap on a line does: take off or void it, or open it to change.
#[derive(Clone, Copy)]
pub(super) struct LineTaps {
    pub on_void: Callback<OrderLine>,
    pub on_edit: Callback<OrderLine>,
}

/// A group of lines on screen: its title, its key (`data-group`), its lines, and the
/// button in its heading, if any (send the first course, fire a held one).
struct Group {
    title: String,
    key: String,
    lines: Vec<OrderLine>,
    action: Option<(String, OpAction)>,
}

#[component]
pub(super) fn OrderLines(ctx: OrderCtx, taps: LineTaps) -> impl IntoView {
    let lines = move || {
        let (order, currency) = (ctx.order.get()?, ctx.currency());
        let stations = ctx.menu.with(|m| m.as_ref().map(|m| m.stations.clone()))?;
        let pending = ctx.local.with(|v| v.pending_lines.clone());
        let order_id = ctx.order_id;
        let unsent = |held: bool, course: Option<i64>| -> Vec<OrderLine> {
            order
                .lines
                .iter()
                .filter(|l| l.status == LineStatus::New && order.is_held(l) == held)
                .filter(|l| course.is_none_or(|c| l.course == c))
                .cloned()
                .collect()
        };
        // With two courses or more to send, the first may go alone and the rest wait.
        let first_only = match order.courses_to_send()[..] {
            [first, _, ..] => Some((
                format!("Send {} first", courses::name(first)),
                OpAction::SendOrder {
                    order_id,
                    up_to_course: Some(first),
                },
            )),
            _ => None,
        };
        let mut groups = vec![Group {
            title: "To send".to_owned(),
            key: "new".to_owned(),
            lines: unsent(false, None),
            action: first_only,
        }];
        for course in order.held_courses() {
            let name = courses::name(course);
            groups.push(Group {
                title: format!("{name} · held"),
                key: format!("held-{course}"),
                lines: unsent(true, Some(course)),
                action: Some((
                    format!("Fire {name}"),
                    OpAction::FireCourse { order_id, course },
                )),
            });
        }
        for station in stations {
            let sent: Vec<OrderLine> = order
                .lines
                .iter()
                .filter(|l| l.status != LineStatus::New && l.station_id == station.id)
                .cloned()
                .collect();
            groups.push(Group {
                title: station.name.clone(),
                key: station.id.0.clone(),
                lines: sent,
                action: None,
            });
        }
        // Each line says its course once the order has more than one.
        let mut all_courses: Vec<i64> = order.lines.iter().map(|l| l.course).collect();
        all_courses.sort();
        all_courses.dedup();
        let show_course = all_courses.len() > 1;
        Some(
            groups
                .into_iter()
                .filter(|g| !g.lines.is_empty())
                .map(|g| {
                    let items = g
                        .lines
                        .into_iter()
                        .map(|l| {
                            let waiting = pending.contains(&l.id);
                            line_view(ctx, l, &currency, waiting, show_course, taps)
                        })
                        .collect_view();
                    let action = g.action.map(|(label, op)| {
                        view! { <button class="secondary course-action" on:click=move |_| ctx.store.record(op.clone())>{label}</button> }
                    });
                    view! {
                        <section class="line-group" data-group=g.key>
                            <h3>{g.title}{action}</h3>
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
    show_course: bool,
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
            {show_course.then(|| view! { <span class="course-tag">{courses::name(line.course)}</span> })}
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
    // One more or one less on whatever the line has when it arrives: two phones counting
    // one line both count.
    let change = move |more: i64| {
        ctx.store.record(OpAction::ChangeLine {
            order_id,
            line_id,
            change: LineChange {
                more: Some(more),
                ..LineChange::default()
            },
        })
    };
    let less = {
        let line = line.clone();
        move |_| match quantity {
            1 => on_remove.run(line.clone()),
            _ => change(-1),
        }
    };
    let less_label = match quantity {
        1 => format!("Remove {}", line.product_name),
        _ => format!("One less {}", line.product_name),
    };
    // No more than the menu has left of a counted product.
    let at_most = ctx.menu.with_untracked(|m| {
        m.as_ref()
            .and_then(|m| m.product(line.product_id))
            .map_or(quantity, |p| p.at_most(quantity))
    });
    view! {
        <span class="stepper">
            <button class="step" aria-label=less_label on:click=less>"−"</button>
            <span class="qty" aria-label="Quantity">{quantity}</span>
            <button class="step" aria-label=format!("One more {}", line.product_name)
                disabled={quantity >= at_most} on:click=move |_| change(1)>"+"</button>
        </span>
    }
}
