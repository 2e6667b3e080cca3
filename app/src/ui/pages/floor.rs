//! The waiter's floor: every room and table, from this phone's own state, so it works with
//! the Wi-Fi down. Tapping a table opens (or joins) its order.

use crate::api::OpAction;
use crate::domain::{OrderId, TableId};
use crate::ui::components::{FloorPlan, PrinterBanner, RefusedList, SignInFirst, TopBar};
use crate::ui::live::use_live_events;
use crate::ui::session::use_session;
use crate::ui::store::use_store;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn FloorPage() -> impl IntoView {
    let session = use_session();
    move || match session.role() {
        Some(role) if role.sees_floor() => view! { <Floor/> }.into_any(),
        Some(_) => {
            view! { <SignInFirst message="The floor is for waiters and managers."/> }.into_any()
        }
        None => view! { <SignInFirst message="Sign in to see the floor."/> }.into_any(),
    }
}

#[component]
fn Floor() -> impl IntoView {
    let session = use_session();
    let store = use_store();
    let navigate = use_navigate();
    let connected = use_live_events(move |_| store.wake());
    let local = Memo::new(move |_| store.view(session));
    let open_table = Callback::new(move |table_id: TableId| {
        let me = session.0.with_untracked(|s| s.as_ref().map(|s| s.staff.id));
        let existing = local.with_untracked(|v| {
            v.open_order_at(table_id)
                .map(|o| (o.id, o.waiter_ids.clone()))
        });
        let order_id = match existing {
            Some((id, waiters)) => {
                if me.is_some_and(|me| !waiters.contains(&me)) {
                    store.record(OpAction::OpenTable {
                        order_id: id,
                        table_id,
                    });
                }
                id
            }
            None => {
                let id = OrderId::new_v7();
                store.record(OpAction::OpenTable {
                    order_id: id,
                    table_id,
                });
                id
            }
        };
        navigate(&format!("/order/{order_id}"), Default::default());
    });
    let title = Signal::derive(move || {
        store
            .snapshot
            .with(|s| s.as_ref().map(|s| s.venue.name.clone()).unwrap_or_default())
    });
    let live = Signal::derive(move || connected.get() && store.online.get());
    view! {
        <TopBar title=title live=live/>
        <RefusedList/>
        <PrinterBanner/>
        <main class="page floor">
            {move || match store.snapshot.with(|s| s.as_ref().map(|s| s.floor.clone())) {
                Some(floor) => view! { <FloorPlan floor=floor orders=local.get().orders on_table=open_table/> }.into_any(),
                None if !store.online.get() => view! {
                    <p class="empty">"Cannot reach the Comanda server, and this phone has no copy of the floor yet."</p>
                }.into_any(),
                None => view! { <p class="empty">"Loading the floor…"</p> }.into_any(),
            }}
        </main>
    }
}
