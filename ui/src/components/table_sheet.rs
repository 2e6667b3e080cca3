//! Choosing a table for a table's order: a free one to move it to, or an open one whose
//! order joins it (a merge). The floor's tables are offered room by room; one tap chooses.

use app::domain::floor::Floor;
use app::domain::TableId;
use leptos::prelude::*;

/// A table the sheet offers, with a line under its label (an open table's total).
#[derive(Clone)]
pub struct TableChoice {
    pub id: TableId,
    pub detail: Option<String>,
}

#[component]
pub fn TableSheet(
    floor: Floor,
    /// The tables to offer; the floor gives their labels and rooms.
    choices: Vec<TableChoice>,
    /// What the sheet asks, e.g. "Move table 4 to…".
    title: String,
    /// Said before a table's label to a screen reader: "Move to table", "Merge table".
    verb: &'static str,
    /// Said when there is no table to offer.
    none: &'static str,
    on_pick: Callback<TableId>,
    on_close: Callback<()>,
) -> impl IntoView {
    let detail_of = |id: TableId| {
        choices
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.detail.clone())
    };
    let rooms = floor
        .rooms
        .iter()
        .map(|room| {
            let tables = floor
                .tables
                .iter()
                .filter(|t| t.room_id == room.id)
                .filter_map(|t| {
                    let (id, detail) = (t.id, detail_of(t.id)?);
                    Some(view! {
                        <button class="table-choice" aria-label=format!("{verb} {}", t.label)
                            on:click=move |_| on_pick.run(id)>
                            <strong>{t.label.clone()}</strong>
                            {detail.map(|d| view! { <small>{d}</small> })}
                        </button>
                    })
                })
                .collect::<Vec<_>>();
            (!tables.is_empty()).then(|| {
                view! {
                    <fieldset class="option-group">
                        <legend>{room.name.clone()}</legend>
                        <div class="table-choices">{tables}</div>
                    </fieldset>
                }
            })
        })
        .collect_view();
    let empty = choices
        .is_empty()
        .then(|| view! { <p class="hint">{none}</p> });
    let label = title.clone();
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet table-sheet" role="dialog" aria-label=label>
            <h2>{title}</h2>
            {rooms}
            {empty}
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
            </div>
        </div>
    }
}
