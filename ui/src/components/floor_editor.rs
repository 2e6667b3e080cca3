//! The floor plan in the back office: rooms, and their tables placed on the room's grid.
//! A table is moved by dragging it to a free cell, or on a touch screen by tapping it and
//! then the cell; tapped, it also shows its label, seats, shape and room to change, and
//! can be taken off the floor. Tables and rooms taken off are listed to put back.

use crate::client;
use crate::pages::report;
use crate::session::use_session;
use app::api::{RoomChange, TableChange};
use app::domain::floor::{DiningTable, Room, TableShape};
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

/// The first cell of a room, row by row, where `table` fits.
fn first_free(tables: &[DiningTable], table: &DiningTable) -> (i64, i64) {
    (0..50)
        .flat_map(|y| (0..12).map(move |x| (x, y)))
        .find(|(x, y)| fits(tables, table, *x, *y))
        .unwrap_or((0, 49))
}

/// What the shape list says of each shape.
fn shape_name(shape: TableShape) -> &'static str {
    match shape {
        TableShape::Square => "Square",
        TableShape::Round => "Round",
        TableShape::Long => "Long (two cells wide)",
    }
}

/// A list of the three shapes, `shape` chosen.
fn shape_select(shape: RwSignal<TableShape>) -> impl IntoView {
    view! {
        <select on:change=move |ev| {
            let picked = event_target_value(&ev);
            if let Some(s) = TableShape::ALL.into_iter().find(|s| s.label() == picked) { shape.set(s); }
        }>
            {TableShape::ALL.into_iter().map(|s| view! {
                <option value=s.label() selected=move || shape.get() == s>{shape_name(s)}</option>
            }).collect_view()}
        </select>
    }
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
                    problem.set(Some(match change.retired {
                        Some(true) => {
                            format!("Table {} is off the floor. Put it back below.", t.label)
                        }
                        Some(false) => format!("Table {} is back on the floor.", t.label),
                        None => format!("Saved table {}.", t.label),
                    }));
                    tables.update(|all| {
                        if let Some(slot) = all.iter_mut().find(|s| s.id == t.id) {
                            *slot = t;
                        }
                    });
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
        let in_room: Vec<DiningTable> = all
            .iter()
            .filter(|t| t.room_id == room && !t.retired)
            .cloned()
            .collect();
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

    let change_room = move |id: RoomId, change: RoomChange, said: fn(&str) -> String| {
        spawn_local(async move {
            match client::patch::<_, Room>(&format!("/floor/rooms/{id}"), &change).await {
                Ok(r) => {
                    problem.set(Some(said(&r.name)));
                    load();
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    // Tables and rooms taken off the floor, to put back after a slip.
    let taken_off = move || {
        let (gone_rooms, gone_tables): (Vec<Room>, Vec<DiningTable>) = (
            rooms.with(|r| r.iter().filter(|r| r.retired).cloned().collect()),
            tables.with(|t| t.iter().filter(|t| t.retired).cloned().collect()),
        );
        let count = gone_rooms.len() + gone_tables.len();
        (count > 0).then(|| view! {
            <details class="retired-products">
                <summary>{format!("Taken off the floor ({count})")}</summary>
                <ul>
                    {gone_rooms.into_iter().map(|r| {
                        let id = r.id;
                        view! { <li>{format!("Room {}", r.name)} <button type="button" class="secondary"
                            on:click=move |_| change_room(id, RoomChange { retired: Some(false), ..Default::default() }, |n| format!("{n} is back on the floor."))>"Put back"</button></li> }
                    }).collect_view()}
                    {gone_tables.into_iter().map(|t| {
                        let id = t.id;
                        view! { <li>{format!("Table {}", t.label)} <button type="button" class="secondary"
                            on:click=move |_| change_table(id, TableChange { retired: Some(false), ..Default::default() })>"Put back"</button></li> }
                    }).collect_view()}
                </ul>
            </details>
        })
    };

    let room_view = move |room: Room| {
        let room_id = room.id;
        let in_room = move || {
            tables.with(|all| {
                all.iter()
                    .filter(|t| t.room_id == room_id && !t.retired)
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
                    <button type="button" class=format!("grid-table shape-{}", t.shape.label()) style=style draggable="true"
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
                ..Default::default()
            };
            change_room(room_id, change, |n| format!("Renamed the room {n}."));
        };
        let take_off = move |_| {
            let change = RoomChange {
                retired: Some(true),
                ..Default::default()
            };
            change_room(room_id, change, |n| {
                format!("{n} is off the floor. Put it back below.")
            });
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
                    <button type="button" class="secondary" on:click=take_off>"Take room off the floor"</button>
                </form>
            </div>
        }
    };

    // The table tapped: its label, seats, shape and room.
    let picked_table = move || {
        let id = picked.get()?;
        let table = tables.with(|all| all.iter().find(|t| t.id == id && !t.retired).cloned())?;
        let (label, seats, shape, room) = (
            RwSignal::new(table.label.clone()),
            RwSignal::new(table.seats.to_string()),
            RwSignal::new(table.shape),
            RwSignal::new(table.room_id),
        );
        let before = table.clone();
        let save = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Ok(seats) = seats.get_untracked().trim().parse::<i64>() else {
                return problem.set(Some("Type the seats as a number, e.g. 4".into()));
            };
            let mut change = TableChange {
                label: Some(label.get_untracked()),
                seats: Some(seats),
                ..Default::default()
            };
            // Only a new shape sets the size: long is two cells across, the others one.
            let new_shape = shape.get_untracked();
            let mut moved = before.clone();
            if new_shape != before.shape {
                change.shape = Some(new_shape);
                (moved.grid_w, moved.grid_h) = match new_shape {
                    TableShape::Long => (before.grid_w.max(2), before.grid_h),
                    _ => (1, 1),
                };
                (change.grid_w, change.grid_h) = (Some(moved.grid_w), Some(moved.grid_h));
            }
            // To another room: its first free place there.
            let to = room.get_untracked();
            let others: Vec<DiningTable> = tables.with_untracked(|all| {
                all.iter()
                    .filter(|t| t.room_id == to && !t.retired && t.id != id)
                    .cloned()
                    .collect()
            });
            if to != before.room_id || !fits(&others, &moved, before.grid_x, before.grid_y) {
                let (x, y) = first_free(&others, &moved);
                (change.room_id, change.grid_x, change.grid_y) = (Some(to), Some(x), Some(y));
            }
            change_table(id, change);
        };
        let take_off = move |_| {
            let change = TableChange {
                retired: Some(true),
                ..Default::default()
            };
            picked.set(None);
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
                <div class="field-row">
                    <label class="field">"Shape" {shape_select(shape)}</label>
                    <label class="field">"Room"
                        <select on:change=move |ev| {
                            let picked = event_target_value(&ev);
                            if let Some(r) = rooms.with_untracked(|rs| rs.iter().find(|r| r.id.to_string() == picked).map(|r| r.id)) { room.set(r); }
                        }>
                            {move || rooms.get().into_iter().filter(|r| !r.retired).map(|r| view! {
                                <option value=r.id.to_string() selected=move || room.get() == r.id>{r.name}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <div class="actions">
                    <button type="button" class="link" on:click=take_off>"Take off the floor"</button>
                    <button type="button" class="secondary" on:click=move |_| picked.set(None)>"Done"</button>
                    <button type="submit" class="primary">"Save table"</button>
                </div>
            </form>
        })
    };

    let (table_room, table_label, table_seats, table_shape) = (
        RwSignal::new(None::<RoomId>),
        RwSignal::new(String::new()),
        RwSignal::new("4".to_owned()),
        RwSignal::new(TableShape::Square),
    );

    let room_name = RwSignal::new(String::new());
    let add_room = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = RoomChange {
            name: Some(room_name.get_untracked()),
            ..Default::default()
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
            shape: Some(table_shape.get_untracked()),
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
            {move || rooms.get().into_iter().filter(|r| !r.retired).map(room_view).collect_view()}
            {picked_table}
            {taken_off}
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
                            {move || rooms.get().into_iter().filter(|r| !r.retired).map(|r| view! {
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
                        <label class="field">"Shape" {shape_select(table_shape)}</label>
                    </div>
                    <p class="hint">"Each table's label is its own in the whole venue: waiters and tickets call it by that."</p>
                    <button type="submit" class="primary">"Add table"</button>
                </form>
            </div>
            <p class="form-status" role="status">{move || problem.get().map(|m| view! { <span class="toast">{m}</span> })}</p>
        </section>
    }
}
