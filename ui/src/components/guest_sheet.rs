//! Asked when a waiter opens a free table: how many sit down. One tap answers, "Skip"
//! opens the table without a count, and a tap beside the sheet opens nothing (a table
//! tapped by mistake leaves no order behind).

use leptos::prelude::*;

/// The counts offered as buttons; a bigger party is counted on the bill later.
const OFFERED: i64 = 12;

#[component]
pub fn GuestSheet(
    /// The table's label, as the floor shows it.
    label: String,
    /// The count chosen, or None for "Skip".
    on_seat: Callback<Option<i64>>,
    on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet guest-sheet" role="dialog" aria-label=format!("Table {label}")>
            <h2>{format!("Table {label}")}</h2>
            <p class="hint">"How many guests?"</p>
            <div class="guest-counts">
                {(1..=OFFERED).map(|n| view! {
                    <button class="guest-count" on:click=move |_| on_seat.run(Some(n))>{n}</button>
                }).collect_view()}
            </div>
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="secondary" on:click=move |_| on_seat.run(None)>"Skip"</button>
            </div>
        </div>
    }
}
