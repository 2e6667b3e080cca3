//! The floor by room: every table where the floor plan puts it (the back office places
//! them), coloured by the state of its whole order (free / open / part ready / ready),
//! with how long it has been seated, its total, its guests and its waiter.

use app::api::StaffName;
use app::domain::bill::{TaxMode, TaxRounding};
use app::domain::floor::{seated_for, Floor, TableState};
use app::domain::orders::{Order, OrderStatus};
use app::domain::{Money, TableId};
use leptos::prelude::*;

/// What a tile says besides its state: the venue's currency and tax rules (for the
/// total), the staff (for the waiter's name) and the time now (for the time seated).
#[derive(Clone)]
pub struct TileFacts {
    pub currency: String,
    pub tax: (TaxMode, TaxRounding),
    pub staff: Vec<StaffName>,
    pub now_ms: i64,
}

impl TileFacts {
    /// The facts as `snapshot` gives them, at `now_ms`.
    pub fn of(snapshot: &app::api::Snapshot, now_ms: i64) -> Self {
        TileFacts {
            currency: snapshot.venue.currency.clone(),
            tax: (snapshot.venue.tax_mode, snapshot.venue.tax_rounding),
            staff: snapshot.staff.clone(),
            now_ms,
        }
    }
}

/// The time now, in milliseconds, ticking every 30 s: a tile's time seated in minutes
/// needs no more.
pub fn minute_clock() -> ReadSignal<i64> {
    let (now, set_now) = signal(js_sys::Date::now() as i64);
    if let Ok(handle) = set_interval_with_handle(
        move || set_now.set(js_sys::Date::now() as i64),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// `orders` are those to show the tables' state by (open ones count).
#[component]
pub fn FloorPlan(
    floor: Floor,
    orders: Vec<Order>,
    facts: TileFacts,
    on_table: Callback<TableId>,
) -> impl IntoView {
    floor
        .rooms
        .into_iter()
        .map(|room| {
            // As many columns as the room's plan uses, so the floor looks like the plan.
            let columns = floor
                .tables
                .iter()
                .filter(|t| t.room_id == room.id)
                .map(|t| t.grid_x + t.grid_w)
                .max()
                .unwrap_or(1)
                .clamp(1, 50);
            // 48 px keeps six columns on a phone, each still a finger wide.
            let grid = format!("grid-template-columns: repeat({columns}, minmax(48px, 1fr))");
            let tables = floor
                .tables
                .iter()
                .filter(|t| t.room_id == room.id)
                .map(|t| {
                    let order = orders
                        .iter()
                        .find(|o| o.table_id == Some(t.id) && o.status == OrderStatus::Open);
                    let state = TableState::of(order);
                    let id = t.id;
                    let style = format!(
                        "grid-column: {} / span {}; grid-row: {} / span {};",
                        t.grid_x + 1,
                        t.grid_w,
                        t.grid_y + 1,
                        t.grid_h
                    );
                    view! {
                        <button
                            class=format!("table state-{} shape-{}", state.key(), t.shape.label())
                            style=style
                            data-state=state.key()
                            aria-label=format!("Table {} ({})", t.label, state.label())
                            on:click=move |_| on_table.run(id)
                        >
                            <span class="table-label">{t.label.clone()}</span>
                            <span class="table-state">{state.label()}</span>
                            {order.map(|o| tile_details(o, &facts))}
                        </button>
                    }
                })
                .collect_view();
            view! {
                <section class="room">
                    <h2>{room.name}</h2>
                    <div class="room-grid" style=grid>{tables}</div>
                </section>
            }
        })
        .collect_view()
}

/// An open table's total, time seated, guests and waiter, each small.
fn tile_details(order: &Order, facts: &TileFacts) -> impl IntoView {
    let (mode, rounding) = facts.tax;
    let total = Money::new(order.totals(mode, rounding).total_minor, &facts.currency);
    let waiter = facts
        .staff
        .iter()
        .find(|s| s.id == order.waiter())
        .map(|s| first_name(&s.name));
    let guests = order.guests.map(|g| match g {
        1 => "1 guest".to_owned(),
        n => format!("{n} guests"),
    });
    view! {
        <span class="table-total">{total.to_string()}</span>
        <span class="table-meta">
            <span class="table-seated">{seated_for(order.opened_at_ms, facts.now_ms)}</span>
            {guests.map(|g| view! { <span class="table-guests">{g}</span> })}
        </span>
        {waiter.map(|w| view! { <span class="table-waiter">{w}</span> })}
    }
}

/// "Ana" of "Ana Rossi": a tile is a finger wide.
fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_owned()
}
