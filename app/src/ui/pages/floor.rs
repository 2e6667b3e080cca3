//! The waiter's floor: every room and table, live. Tapping a table opens (or joins) its order.

use super::report;
use crate::api::{OpenTableRequest, Snapshot};
use crate::domain::orders::Order;
use crate::domain::{OrderId, TableId};
use crate::ui::client;
use crate::ui::components::{ErrorBanner, FloorPlan, SignInFirst, TopBar};
use crate::ui::live::use_live_events;
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// The live floor, for any page that shows it: loads the snapshot and reloads it whenever
/// an event names a table.
pub(crate) fn live_floor(
    error: RwSignal<Option<String>>,
) -> (RwSignal<Option<Snapshot>>, ReadSignal<bool>) {
    let session = use_session();
    let snapshot = RwSignal::new(None::<Snapshot>);
    let reload = move || {
        spawn_local(async move {
            match client::get::<Snapshot>("/snapshot").await {
                Ok(s) => snapshot.set(Some(s)),
                Err(e) => report(e, error, session),
            }
        })
    };
    reload();
    let live = use_live_events(move |event| {
        if event.table_id.is_some() {
            reload();
        }
    });
    (snapshot, live)
}

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
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let (snapshot, live) = live_floor(error);
    let open_table = Callback::new(move |table_id: TableId| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let request = OpenTableRequest {
                order_id: Some(OrderId::new_v7()),
                table_id,
            };
            match client::post::<_, Order>("/orders", &request).await {
                Ok(order) => navigate(&format!("/order/{}", order.id), Default::default()),
                Err(e) => report(e, error, session),
            }
        });
    });
    let title = Signal::derive(move || {
        snapshot.with(|s| s.as_ref().map(|s| s.venue.name.clone()).unwrap_or_default())
    });
    view! {
        <TopBar title=title live=live/>
        <ErrorBanner error=error/>
        <main class="page floor">
            {move || match snapshot.get() {
                Some(s) => view! { <FloorPlan snapshot=s on_table=open_table/> }.into_any(),
                None => view! { <p class="empty">"Loading the floor…"</p> }.into_any(),
            }}
        </main>
    }
}
