//! The floor plan in the back office: rooms, and their tables placed on the room's grid.
//! A table is moved by dragging it to a free cell, or on a touch screen by tapping it and
//! then the cell; tapped, it also shows its label and seats to change.

use crate::client;
use crate::pages::report;
use crate::session::use_session;
use app::api::{RoomChange, TableChange};
use app::domain::floor::{DiningTable, Room};
use app::domain::{RoomId, TableId};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The cells a room's grid shows: every table, and room to move them about.
fn grid_size(tables: &[DiningTable]) -> (i64, i64) {
    let columns = tables
        .iter()
        .map(|t| t.grid_x + t.grid_w)
        .max()
        .unwrap_or(0)
        + 2;
    let rows = tables
        .iter()
        .map(|t| t.grid_y + t.grid_h)
        .max()
        .unwrap_or(0)
        + 2;
    (columns.clamp(6, 50), rows.clamp(3, 50))
}

/// Whether `table` fits at (x, y) without covering another table.
fn fits(tables: &[DiningTable], table: &DiningTable, x: i64, y: i64) -> bool {
    tables.iter().filter(|t| t.id != table.id).all(|t| {
        x + table.grid_w <= t.grid_x
            || t.grid_x + t.grid_w <= x
            || y + table.grid_h <= t.grid_y
            || t.grid_y + t.grid_h <= y
    })
}

#[component]
pub fn FloorEditor(
    error: RwSignal<Option<String>>,
    /// Counts the venue's changes (another manager's too): read the floor again.
    changed: Signal<u64>,
) -> impl IntoView {
    let session = use_session();
    let rooms = RwSignal::new(Vec::<Room>::new());
    let tables = RwSignal::new(Vec::<DiningTable>::new());
    let picked = RwSignal::new(None::<TableId>);
    let problem = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match client::get::<Vec<Room>>("/floor/rooms").await {
                Ok(r) => rooms.set(r),
                Err(e) => report(e, error, session),
            }
            match client::get::<Vec<DiningTable>>("/floor/tables").await {
                Ok(t) => tables.set(t),
                Err(e) => report(e, error, session),
            }
        })
    };
    Effect::new(move |_| {
        changed.track();
        load();
    });
    let change_table = move |id: TableId, change: TableChange| {
        spawn_local(async move {
            match client::patch::<_, DiningTable>(&format!("/floor/tables/{id}"), &change).await {
                Ok(t) => {
                    tables.update(|all| {
                        if let Some(slot) = all.iter_mut().find(|s| s.id == t.id) {
                            *slot = t;
                        }
                    });
                    problem.set(None);
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let move_to = move |room: RoomId, x: i64, y: i64| {
        let Some(id) = picked.get_untracked() else {
            return;
        };
        let all = tables.get_untracked();
        let Some(table) = all.iter().find(|t| t.id == id) else {
            return;
        };
        let in_room: Vec<DiningTable> = all.iter().filter(|t| t.room_id == room).cloned().collect();
        if !fits(&in_room, table, x, y) {
            return problem.set(Some(format!(
                "Table {} does not fit there: another table is in the way.",
                table.label
            )));
        }
        let change = TableChange {
            room_id: Some(room),
            grid_x: Some(x),
            grid_y: Some(y),
            ..Default::default()
        };
        change_table(id, change);
    };

    let room_view = move |room: Room| {
        let room_id = room.id;
        let in_room = move || {
            tables.with(|all| {
                all.iter()
                    .filter(|t| t.room_id == room_id)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        };
        let grid = move || {
            let here = in_room();
            let (columns, rows) = grid_size(&here);
            let mut cells = Vec::new();
            for y in 0..rows {
                for x in 0..columns {
                    let free = !here.iter().any(|t| {
                        (t.grid_x..t.grid_x + t.grid_w).contains(&x)
                            && (t.grid_y..t.grid_y + t.grid_h).contains(&y)
                    });
                    if free {
                        let style = format!("grid-column: {}; grid-row: {}", x + 1, y + 1);
                        cells.push(view! {
                            <button type="button" class="grid-cell" style=style
                                aria-label=format!("Place at column {}, row {}", x + 1, y + 1)
                                on:click=move |_| move_to(room_id, x, y)
                                on:dragover=|ev| ev.prevent_default()
                                on:drop=move |ev| { ev.prevent_default(); move_to(room_id, x, y); }
                            ></button>
                        }.into_any());
                    }
                }
            }
            for t in here {
                let style = format!(
                    "grid-column: {} / span {}; grid-row: {} / span {}",
                    t.grid_x + 1,
                    t.grid_w,
                    t.grid_y + 1,
                    t.grid_h
                );
                let id = t.id;
                cells.push(view! {
                    <button type="button" class="grid-table" style=style draggable="true"
                        class:picked=move || picked.get() == Some(id)
                        aria-pressed=move || (picked.get() == Some(id)).to_string()
                        on:click=move |_| {
                            picked.update(|p| *p = if *p == Some(id) { None } else { Some(id) });
                            // Its form is below the rooms: bring it into view once drawn.
                            gloo_timers::callback::Timeout::new(0, || {
                                if let Some(form) = document().get_element_by_id("table-form") {
                                    crate::bring_into_view(&form);
                                }
                            })
                            .forget();
                        }
                        on:dragstart=move |_| picked.set(Some(id))>
                        <strong>{t.label.clone()}</strong><small>{format!("{} seats", t.seats)}</small>
                    </button>
                }.into_any());
            }
            let style = format!("grid-template-columns: repeat({columns}, 64px); grid-template-rows: repeat({rows}, 64px)");
            view! { <div class="grid-editor" style=style>{cells}</div> }
        };
        let room_name = RwSignal::new(room.name.clone());
        let rename = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let change = RoomChange {
                name: Some(room_name.get_untracked()),
                sort_order: None,
            };
            spawn_local(async move {
                match client::patch::<_, Room>(&format!("/floor/rooms/{room_id}"), &change).await {
                    Ok(r) => {
                        problem.set(Some(format!("Renamed the room {}.", r.name)));
                        load();
                    }
                    Err(e) => problem.set(Some(e.message())),
                }
            })
        };
        view! {
            <div class="room-editor" aria-label=room.name.clone() role="group">
                <h3>{room.name.clone()}</h3>
                <div class="grid-scroll">{grid}</div>
                <form class="inline-form" on:submit=rename aria-label=format!("Rename {}", room.name)>
                    <label class="field">"Room name"
                        <input type="text" maxlength="40" required=true prop:value=move || room_name.get()
                            on:input=move |ev| room_name.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="secondary">"Rename"</button>
                </form>
            </div>
        }
    };

    // The table tapped: its label, seats and size.
    let picked_table = move || {
        let id = picked.get()?;
        let table = tables.with(|all| all.iter().find(|t| t.id == id).cloned())?;
        let (label, seats, wide) = (
            RwSignal::new(table.label.clone()),
            RwSignal::new(table.seats.to_string()),
            RwSignal::new(table.grid_w > 1),
        );
        let was_wide = table.grid_w > 1;
        let save =
            move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let Ok(seats) = seats.get_untracked().trim().parse::<i64>() else {
                    return problem.set(Some("Type the seats as a number, e.g. 4".into()));
                };
                let change =
                    TableChange {
                        label: Some(label.get_untracked()),
                        seats: Some(seats),
                        // Only a tick changed sets the width: a wider table keeps its own.
                        grid_w: (wide.get_untracked() != was_wide)
                            .then_some(if wide.get_untracked() { 2 } else { 1 }),
                        ..Default::default()
                    };
                change_table(id, change);
            };
        Some(view! {
            <form id="table-form" class="back-office-form" on:submit=save aria-label="Table">
                <h3>{format!("Table {}", table.label)}</h3>
                <p class="hint">"Tap a free cell (or drag the table there) to move it."</p>
                <div class="field-row">
                    <label class="field">"Label"
                        <input type="text" maxlength="12" prop:value=move || label.get()
                            on:input=move |ev| label.set(event_target_value(&ev))/>
                    </label>
                    <label class="field">"Seats"
                        <input type="text" inputmode="numeric" prop:value=move || seats.get()
                            on:input=move |ev| seats.set(event_target_value(&ev))/>
                    </label>
                </div>
                <label class="check">
                    <input type="checkbox" prop:checked=move || wide.get()
                        on:change=move |ev| wide.set(event_target_checked(&ev))/>
                    "Long table (two cells wide)"
                </label>
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| picked.set(None)>"Done"</button>
                    <button type="submit" class="primary">"Save table"</button>
                </div>
            </form>
        })
    };

    let (table_room, table_label, table_seats) = (
        RwSignal::new(None::<RoomId>),
        RwSignal::new(String::new()),
        RwSignal::new("4".to_owned()),
    );

    let room_name = RwSignal::new(String::new());
    let add_room = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = RoomChange {
            name: Some(room_name.get_untracked()),
            sort_order: None,
        };
        spawn_local(async move {
            match client::post::<_, Room>("/floor/rooms", &change).await {
                Ok(r) => {
                    problem.set(Some(format!("Added {}; now add its tables.", r.name)));
                    room_name.set(String::new());
                    table_room.set(Some(r.id));
                    load();
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let add_table = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let room = table_room
            .get_untracked()
            .or_else(|| rooms.with_untracked(|r| r.first().map(|r| r.id)));
        let Some(room) = room else {
            return problem.set(Some("Add a room first.".into()));
        };
        let Ok(seats) = table_seats.get_untracked().trim().parse::<i64>() else {
            return problem.set(Some("Type the seats as a number, e.g. 4".into()));
        };
        let change = TableChange {
            room_id: Some(room),
            label: Some(table_label.get_untracked()),
            seats: Some(seats),
            ..Default::default()
        };
        spawn_local(async move {
            match client::post::<_, DiningTable>("/floor/tables", &change).await {
                Ok(t) => {
                    problem.set(Some(format!("Added table {}.", t.label)));
                    table_label.set(String::new());
                    load();
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };

    view! {
        <section class="floor-editor" aria-label="Floor plan">
            <h2>"Floor plan"</h2>
            {move || rooms.get().into_iter().map(room_view).collect_view()}
            {picked_table}
            <div class="field-row">
                <form class="back-office-form" on:submit=add_room aria-label="Add a room">
                    <h3>"Add a room"</h3>
                    <label class="field">"Room name"
                        <input type="text" maxlength="40" required=true placeholder="Terrace" prop:value=move || room_name.get()
                            on:input=move |ev| room_name.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="primary">"Add room"</button>
                </form>
                <form class="back-office-form" on:submit=add_table aria-label="Add a table">
                    <h3>"Add a table"</h3>
                    <label class="field">"Room"
                        <select on:change=move |ev| {
                            let picked = event_target_value(&ev);
                            table_room.set(rooms.with_untracked(|r| r.iter().find(|r| r.id.to_string() == picked).map(|r| r.id)));
                        }>
                            {move || rooms.get().into_iter().map(|r| view! {
                                <option value=r.id.to_string() selected=move || table_room.get() == Some(r.id)>{r.name}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <div class="field-row">
                        <label class="field">"Table label"
                            <input type="text" maxlength="12" required=true placeholder="14" prop:value=move || table_label.get()
                                on:input=move |ev| table_label.set(event_target_value(&ev))/>
                        </label>
                        <label class="field">"Seats"
                            <input type="text" inputmode="numeric" prop:value=move || table_seats.get()
                                on:input=move |ev| table_seats.set(event_target_value(&ev))/>
                        </label>
                    </div>
                    <p class="hint">"Each table's label is its own in the whole venue: waiters and tickets call it by that."</p>
                    <button type="submit" class="primary">"Add table"</button>
                </form>
            </div>
            <p class="form-status" role="status">{move || problem.get().map(|m| view! { <span class="toast">{m}</span> })}</p>
        </section>
    }
}
