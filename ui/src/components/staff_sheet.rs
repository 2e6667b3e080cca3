//! Handing a table to another waiter: the staff who take tables, each a button; one tap
//! hands it over.

use app::api::StaffName;
use app::domain::staff::Role;
use app::domain::StaffId;
use leptos::prelude::*;

#[component]
pub fn StaffSheet(
    /// Who may take the table, in the order to show them.
    staff: Vec<StaffName>,
    /// What the sheet asks, e.g. "Hand table 4 to…".
    title: String,
    on_pick: Callback<StaffId>,
    on_close: Callback<()>,
) -> impl IntoView {
    let empty = staff.is_empty().then(|| {
        view! { <p class="hint">"Nobody else on the staff takes tables."</p> }
    });
    let people = staff
        .into_iter()
        .map(|s| {
            let (id, label) = (s.id, format!("Hand to {}", s.name));
            // A waiter is who one expects here; anyone else says what they do.
            let role = match s.role {
                Role::Waiter => None,
                Role::Manager => Some("manager"),
                Role::Cashier => Some("cashier"),
                Role::Kitchen => Some("kitchen"),
            };
            view! {
                <button class="staff-choice" aria-label=label on:click=move |_| on_pick.run(id)>
                    <span>{s.name}</span>
                    {role.map(|r| view! { <small>{r}</small> })}
                </button>
            }
        })
        .collect_view();
    let label = title.clone();
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet staff-sheet" role="dialog" aria-label=label>
            <h2>{title}</h2>
            <div class="staff-choices">{people}</div>
            {empty}
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
            </div>
        </div>
    }
}
