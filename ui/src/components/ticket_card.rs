//! One kitchen ticket: table, order number, waiter, age timer, and its items. Tapping an
//! item marks it ready, tapping it again takes that back (a slip); the ticket's button
//! bumps it (or recalls it from "recently done", its items back in the making).

use app::domain::courses;
use app::domain::kitchen::{format_age, Age, Ticket};
use app::domain::menu::OptionKind;
use app::domain::orders::LineStatus;
use app::domain::{LineId, TicketId};
use leptos::prelude::*;

#[component]
pub fn TicketCard(
    ticket: Ticket,
    now_ms: ReadSignal<i64>,
    warn_after_secs: i64,
    late_after_secs: i64,
    /// An item tapped: its id, and whether it is ready now (tapping a ready one takes the
    /// mark back).
    on_line: Callback<(LineId, bool)>,
    on_bump: Callback<TicketId>,
    on_recall: Callback<TicketId>,
) -> impl IntoView {
    let done = ticket.bumped_at_ms.is_some();
    let created = ticket.created_at_ms;
    let age_secs = move || (now_ms.get() - created) / 1000;
    let age_class = move || {
        if done {
            "age-done"
        } else {
            Age::of(age_secs(), warn_after_secs, late_after_secs).css_class()
        }
    };
    let id = ticket.id;
    // A ticket of mains, desserts or a later course says which (a fired course); with
    // several courses, each is headed. Starters or drinks alone need no heading.
    let mut ticket_courses: Vec<i64> = ticket.lines.iter().map(|l| l.course).collect();
    ticket_courses.dedup();
    let headed = ticket_courses.len() > 1 || ticket_courses.first().is_some_and(|c| *c > 1);
    let mut last_course = None;
    let lines = ticket
        .lines
        .into_iter()
        .map(|line| {
            let head = (headed && last_course != Some(line.course)).then(|| {
                view! { <li class="course-head">{courses::name(line.course)}</li> }
            });
            last_course = Some(line.course);
            let line_id = line.line_id;
            let ready = matches!(line.status, LineStatus::Ready | LineStatus::Served);
            // Voided after it was sent: struck through on the ticket it came on, so nobody
            // makes it (the VOID ticket says so too). On the VOID ticket itself every line
            // is void, and the banner says it.
            let voided = line.status == LineStatus::Void && !ticket.void;
            let options = line
                .options
                .iter()
                .map(|o| {
                    let text = match o.kind {
                        OptionKind::Removable => format!("NO {}", o.name),
                        OptionKind::Addon => format!("+ {}", o.name),
                        OptionKind::Choice => o.name.clone(),
                    };
                    view! { <li class=format!("opt opt-{:?}", o.kind).to_lowercase()>{text}</li> }
                })
                .collect_view();
            let note = (!line.note.is_empty())
                .then(|| view! { <p class="ticket-note">{line.note.clone()}</p> });
            view! {
                {head}
                <li
                    class="ticket-line"
                    class:ready=ready
                    class:voided=voided
                    data-status=format!("{:?}", line.status).to_lowercase()
                    on:click=move |_| if !done && !voided && line.status != LineStatus::Served {
                        on_line.run((line_id, ready))
                    }
                >
                    <span class="qty">{line.quantity} "×"</span>
                    {line.seat.map(|s| view! { <span class="seat-badge" title=format!("Seat {s}")>{format!("S{s}")}</span> })}
                    <span class="item">{line.product_name.clone()}</span>
                    {ready.then(|| view! { <span class="badge">"ready"</span> })}
                    {voided.then(|| view! { <span class="badge void-badge">"voided"</span> })}
                    <ul class="ticket-options">{options}</ul>
                    {note}
                </li>
            }
        })
        .collect_view();
    view! {
        <article class=move || format!("ticket {}", age_class()) class:void=ticket.void data-ticket=id.to_string()>
            {ticket.void.then(|| view! { <p class="void-banner">"VOID - do not make"</p> })}
            <header>
                <strong class="ticket-table">{ticket.destination.clone()}</strong>
                <span class="ticket-number">"#" {ticket.order_number}</span>
                <span class="ticket-age">{move || format_age(age_secs())}</span>
                <span class="ticket-waiter">{ticket.waiter_name.clone()}</span>
            </header>
            <ul class="ticket-lines">{lines}</ul>
            {if done {
                view! { <button class="secondary" on:click=move |_| on_recall.run(id)>"Recall"</button> }.into_any()
            } else {
                view! { <button class="primary bump" on:click=move |_| on_bump.run(id)>"Bump"</button> }.into_any()
            }}
        </article>
    }
}
