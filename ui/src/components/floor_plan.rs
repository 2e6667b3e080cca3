//! The floor by room: every table where the floor plan puts it (the back office places
//! them), coloured by state (free / open / ready).

use app::domain::floor::{Floor, TableState};
use app::domain::orders::{Order, OrderStatus};
use app::domain::TableId;
use leptos::prelude::*;

/// `orders` are those to show the tables' state by (open ones count).
#[component]
pub fn FloorPlan(floor: Floor, orders: Vec<Order>, on_table: Callback<TableId>) -> impl IntoView {
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
                            class=format!("table state-{} shape-{}", state.label(), t.shape.label())
                            style=style
                            data-state=state.label()
                            aria-label=format!("Table {} ({})", t.label, state.label())
                            on:click=move |_| on_table.run(id)
                        >
                            <span class="table-label">{t.label.clone()}</span>
                            <span class="table-state">{state.label()}</span>
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
