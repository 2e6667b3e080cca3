//! The waiter's floor: every room and table, from this phone's own state, so it works with
//! the Wi-Fi down. Tapping a free table asks how many guests and opens it; tapping an
//! open one joins its order. Above the rooms, the open takeaway orders and a button for
//! a new one (that one needs the server).

use crate::components::{
    minute_clock, FloorPlan, GuestSheet, PrinterBanner, RefusedList, SignInFirst, TakeawaySheet,
    TileFacts, TopBar,
};
use crate::live::use_live_events;
use crate::session::use_session;
use crate::store::use_store;
use app::api::OpAction;
use app::domain::orders::{LineStatus, Order};
use app::domain::{OrderId, TableId};
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
    let go = navigate.clone();
    let connected = use_live_events(move |event| store.on_live(event));
    let local = Memo::new(move |_| store.view(session));
    // A free table asks how many sit down first (`GuestSheet`); an open one is joined.
    let seating = RwSignal::new(None::<TableId>);
    let open_table = Callback::new(move |table_id: TableId| {
        let me = session.0.with_untracked(|s| s.as_ref().map(|s| s.staff.id));
        let existing = local.with_untracked(|v| {
            v.open_order_at(table_id)
                .map(|o| (o.id, o.waiter_ids.clone()))
        });
        let Some((id, waiters)) = existing else {
            seating.set(Some(table_id));
            return;
        };
        if me.is_some_and(|me| !waiters.contains(&me)) {
            store.record(OpAction::OpenTable {
                order_id: id,
                table_id,
                guests: None,
            });
        }
        navigate(&format!("/order/{id}"), Default::default());
    });
    let seat = {
        let navigate = go.clone();
        Callback::new(move |guests: Option<i64>| {
            let Some(table_id) = seating.get_untracked() else {
                return;
            };
            seating.set(None);
            let order_id = OrderId::new_v7();
            store.record(OpAction::OpenTable {
                order_id,
                table_id,
                guests,
            });
            navigate(&format!("/order/{order_id}"), Default::default());
        })
    };
    let seating_label = move || {
        let table_id = seating.get()?;
        store.snapshot.with(|s| {
            s.as_ref()?
                .floor
                .tables
                .iter()
                .find(|t| t.id == table_id)
                .map(|t| t.label.clone())
        })
    };
    let now = minute_clock();
    let title = Signal::derive(move || {
        store
            .snapshot
            .with(|s| s.as_ref().map(|s| s.venue.name.clone()).unwrap_or_default())
    });
    let live = Signal::derive(move || connected.get() && store.online.get());
    let new_takeaway = RwSignal::new(false);
    let opened = Callback::new(move |order: Order| {
        let id = order.id;
        new_takeaway.set(false);
        store.adopt_order(order);
        go(&format!("/order/{id}"), Default::default());
    });
    let country = move || {
        store
            .snapshot
            .with(|s| s.as_ref().and_then(|s| s.venue.country.clone()))
    };
    let sms_enabled = Signal::derive(move || {
        store
            .snapshot
            .with(|s| s.as_ref().is_some_and(|s| s.venue.sms_enabled))
    });
    let takeaways = move || {
        local.with(|v| {
            v.orders
                .iter()
                .filter(|o| o.takeaway.is_some())
                .map(takeaway_link)
                .collect_view()
        })
    };
    view! {
        <TopBar title=title live=live/>
        <RefusedList/>
        <PrinterBanner/>
        <section class="takeaways" aria-label="Takeaway">
            <button class="new-takeaway" on:click=move |_| new_takeaway.set(true)>"+ Takeaway"</button>
            {takeaways}
        </section>
        // The sheet reads nothing reactive while it is built: a live update must refresh
        // what is around it, never rebuild it and lose what was typed.
        <Show when=move || new_takeaway.get()>
            <TakeawaySheet sms_enabled=sms_enabled country=untrack(country) on_opened=opened on_close=Callback::new(move |_| new_takeaway.set(false))/>
        </Show>
        {move || seating_label().map(|label| view! {
            <GuestSheet label=label on_seat=seat on_close=Callback::new(move |_| seating.set(None))/>
        })}
        <main class="page floor">
            {move || match store.snapshot.with(|s| s.as_ref().map(|s| (s.floor.clone(), TileFacts::of(s, now.get())))) {
                Some((floor, facts)) => view! { <FloorPlan floor=floor orders=local.get().orders facts=facts on_table=open_table/> }.into_any(),
                None if !store.online.get() => view! {
                    <p class="empty">"Cannot reach the Comanda server, and this phone has no copy of the floor yet."</p>
                }.into_any(),
                None => view! { <p class="empty">"Loading the floor…"</p> }.into_any(),
            }}
        </main>
    }
}

/// An open takeaway order: customer, number and how far it is.
fn takeaway_link(order: &Order) -> impl IntoView {
    let customer = order
        .takeaway
        .as_ref()
        .map(|t| t.customer_name.clone())
        .unwrap_or_default();
    let state = if app::domain::takeaway::all_ready(&order.lines) {
        "ready"
    } else if order.lines.iter().any(|l| l.status != LineStatus::New) {
        "preparing"
    } else {
        "open"
    };
    let number = match order.number {
        0 => String::new(),
        n => format!("#{n}"),
    };
    view! {
        <a class=format!("takeaway-link {state}") href=format!("/order/{}", order.id)>
            <strong>{customer}</strong> " " <span>{number}</span> " " <small>{state}</small>
        </a>
    }
}
