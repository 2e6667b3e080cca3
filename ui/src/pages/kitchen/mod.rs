//! A station's wall screen (`/kitchen/<station>`): open tickets oldest first with their
//! age large and coloured, live; tap an item when it is ready (again to take it back),
//! bump the ticket when all is done, recall from "recently done". Beside them (`side`):
//! what is still to make "all day", an optional tone for new and late tickets, a marker
//! for tickets below the screen, and, for those allowed, what is sold out.

mod side;

use super::report;
use crate::client;
use crate::components::{
    ErrorBanner, PrinterBanner, SignInFirst, SoldOutPanel, TicketCard, TopBar,
};
use crate::live::use_live_events;
use crate::session::use_session;
use app::api::Snapshot;
use app::delta::Delta;
use app::domain::kitchen::{StationTickets, Ticket};
use app::domain::menu::{Product, Station};
use app::domain::{LineId, StationId, TicketId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

#[component]
pub fn KitchenPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    move || {
        let station = StationId(params.with(|p| p.get("station")).unwrap_or_default());
        match session.role() {
            Some(role) if role.works_stations() => view! { <StationScreen station=station/> }.into_any(),
            Some(_) => view! { <SignInFirst message="Station screens are for kitchen staff and managers."/> }.into_any(),
            None => view! { <SignInFirst message="Sign in with a kitchen PIN to open this station."/> }.into_any(),
        }
    }
}

#[component]
fn StationScreen(station: StationId) -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let tickets = RwSignal::new(StationTickets::default());
    // Until the first read, the empty list above is not what the station has.
    let loaded = RwSignal::new(false);
    let info = RwSignal::new(None::<Station>);
    let (now_ms, set_now_ms) = signal(js_sys::Date::now() as i64);
    if let Ok(handle) = set_interval_with_handle(
        move || set_now_ms.set(js_sys::Date::now() as i64),
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }

    // The station's products, for those who may say what is sold out.
    let products = RwSignal::new(Vec::<Product>::new());
    let sells_out = RwSignal::new(false);
    let wanted = station.clone();
    spawn_local(async move {
        match client::get::<Snapshot>("/snapshot").await {
            Ok(s) => {
                sells_out.set(s.permissions.as_ref().is_some_and(|p| p.sells_out));
                products.set(
                    s.menu
                        .products
                        .into_iter()
                        .filter(|p| p.station_id == wanted)
                        .collect(),
                );
                info.set(s.menu.stations.into_iter().find(|st| st.id == wanted));
            }
            Err(e) => report(e, error, session),
        }
    });
    // Deltas applied so far: a read (or a button's answer) that started before one of them
    // may be older than what is shown.
    let applied = StoredValue::new(0u64);
    // One read at a time; asks while one is on its way are served by one more read after.
    let (reading, again) = (StoredValue::new(false), StoredValue::new(false));
    let path = format!("/stations/{station}/tickets");
    let reload = move || {
        if reading.get_value() {
            return again.set_value(true);
        }
        reading.set_value(true);
        let path = path.clone();
        spawn_local(async move {
            loop {
                again.set_value(false);
                let started = applied.get_value();
                match client::get::<StationTickets>(&path).await {
                    // Taken unless deltas overtook it; a read older than what is shown
                    // with none meanwhile means the box's log started afresh.
                    Ok(read) => {
                        let newer = tickets.with_untracked(|t| read.seq >= t.seq);
                        if newer || applied.get_value() == started {
                            tickets.set(read);
                            loaded.set(true);
                        }
                    }
                    Err(e) => report(e, error, session),
                }
                if !again.get_value() {
                    break;
                }
            }
            reading.set_value(false);
        })
    };
    reload();
    let live = {
        let (station, reload) = (station.clone(), reload.clone());
        use_live_events(move |event| {
            // Every event moves `seq` on; only one that changed this station's tickets
            // redraws them.
            let delta = tickets.try_maybe_update(|t| {
                let delta = t.apply(&station, &event);
                let ours = delta == Delta::Applied && event.station_ids.contains(&station);
                (ours, delta)
            });
            match delta {
                Some(Delta::Applied) => applied.update_value(|n| *n += 1),
                Some(Delta::NeedsSnapshot) => reload(),
                _ => {}
            }
        })
    };
    // After a reconnect, read afresh: the box may have restarted with a new log.
    Effect::new(move |was_live: Option<bool>| {
        let live = live.get();
        if live && was_live == Some(false) {
            reload();
        }
        live
    });
    let act = move |path: String| {
        let started = applied.get_value();
        spawn_local(async move {
            match client::post_empty::<Ticket>(&path).await {
                // The answer is the ticket as it now is: shown at once, so a second tap
                // on an item takes back what the first did before the event comes in;
                // unless an event came first, which is as new.
                Ok(ticket) if applied.get_value() == started => tickets.update(|t| t.put(ticket)),
                Ok(_) => {}
                Err(e) => report(e, error, session),
            }
        });
    };
    let on_line = Callback::new(move |(id, ready): (LineId, bool)| {
        act(if ready {
            format!("/lines/{id}/unready")
        } else {
            format!("/lines/{id}/ready")
        })
    });
    let on_bump = Callback::new(move |id: TicketId| act(format!("/tickets/{id}/bump")));
    let on_recall = Callback::new(move |id: TicketId| act(format!("/tickets/{id}/recall")));

    let thresholds = move || {
        info.with(|i| {
            i.as_ref()
                .map_or((420, 900), |s| (s.warn_after_secs, s.late_after_secs))
        })
    };
    // Known once the station is read: until then, no ticket is called late by a guess.
    let late_after_secs =
        Signal::derive(move || info.with(|i| i.as_ref().map(|s| s.late_after_secs)));
    let cards = move |list: Vec<Ticket>| {
        let (warn, late) = thresholds();
        list.into_iter()
            .map(|t| view! {
                <TicketCard ticket=t now_ms=now_ms warn_after_secs=warn late_after_secs=late on_line=on_line on_bump=on_bump on_recall=on_recall/>
            })
            .collect_view()
    };
    let fallback_name = station.0.clone();
    let title = Signal::derive(move || {
        info.with(|i| i.as_ref().map(|s| s.name.clone()))
            .unwrap_or_else(|| fallback_name.clone())
    });

    view! {
        <TopBar title=title live=live/>
        <ErrorBanner error=error/>
        <PrinterBanner/>
        <main class="page kitchen">
            <section class="tickets" aria-label="Open tickets">
                {move || {
                    let active = tickets.with(|t| t.active.clone());
                    if active.is_empty() {
                        view! { <p class="empty">"No open tickets."</p> }.into_any()
                    } else {
                        cards(active).into_any()
                    }
                }}
            </section>
            <aside class="station-side">
                <side::SoundSwitch station=station tickets=tickets loaded=loaded now_ms=now_ms late_after_secs=late_after_secs/>
                <side::AllDay tickets=tickets/>
                // Nothing done yet: no room taken.
                {move || {
                    let done = tickets.with(|t| t.done.clone());
                    (!done.is_empty()).then(|| view! {
                        <section class="done" aria-label="Recently done">
                            <h2>"Recently done"</h2>
                            {cards(done)}
                        </section>
                    })
                }}
                {move || sells_out.get().then(|| view! { <SoldOutPanel products=products/> })}
            </aside>
            <side::MoreBelow tickets=tickets now_ms=now_ms/>
        </main>
    }
}
