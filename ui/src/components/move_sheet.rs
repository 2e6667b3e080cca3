//! Moving a table's order to another table: the free tables of the floor, room by room;
//! one tap moves it.

use app::domain::floor::{Floor, TableState};
use app::domain::TableId;
use leptos::prelude::*;

#[component]
pub fn MoveSheet(
    /// The floor, with each table's state as this phone sees it.
    floor: Floor,
    states: Vec<(TableId, TableState)>,
    /// The table the order is at now.
    from: String,
    on_move: Callback<TableId>,
    on_close: Callback<()>,
) -> impl IntoView {
    let free = |id: TableId| {
        states
            .iter()
            .any(|(t, s)| *t == id && *s == TableState::Free)
    };
    let rooms = floor
        .rooms
        .iter()
        .map(|room| {
            let tables = floor
                .tables
                .iter()
                .filter(|t| t.room_id == room.id && free(t.id))
                .map(|t| {
                    let id = t.id;
                    view! {
                        <button class="move-to" aria-label=format!("Move to table {}", t.label)
                            on:click=move |_| on_move.run(id)>{t.label.clone()}</button>
                    }
                })
                .collect::<Vec<_>>();
            (!tables.is_empty()).then(|| {
                view! {
                    <fieldset class="option-group">
                        <legend>{room.name.clone()}</legend>
                        <div class="guest-counts">{tables}</div>
                    </fieldset>
                }
            })
        })
        .collect_view();
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet move-sheet" role="dialog" aria-label="Move table">
            <h2>{format!("Move table {from} to…")}</h2>
            {rooms}
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
            </div>
        </div>
    }
}
