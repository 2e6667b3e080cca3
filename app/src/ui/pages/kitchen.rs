//! A station's wall screen (`/kitchen/<station>`): open tickets oldest first with age
//! timers, live; tap an item when it is ready, bump the ticket when all is done, recall
//! from "recently done".

use super::report;
use crate::api::Snapshot;
use crate::domain::kitchen::{StationTickets, Ticket};
use crate::domain::menu::Station;
use crate::domain::{LineId, StationId, TicketId};
use crate::ui::client;
use crate::ui::components::{ErrorBanner, PrinterBanner, SignInFirst, TicketCard, TopBar};
use crate::ui::live::use_live_events;
use crate::ui::session::use_session;
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
    let info = RwSignal::new(None::<Station>);
    let (now_ms, set_now_ms) = signal(js_sys::Date::now() as i64);
    if let Ok(handle) = set_interval_with_handle(
        move || set_now_ms.set(js_sys::Date::now() as i64),
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }

    let wanted = station.clone();
    spawn_local(async move {
        match client::get::<Snapshot>("/snapshot").await {
            Ok(s) => info.set(s.menu.stations.into_iter().find(|st| st.id == wanted)),
            Err(e) => report(e, error, session),
        }
    });
    let path = format!("/stations/{station}/tickets");
    let reload = {
        let path = path.clone();
        move || {
            let path = path.clone();
            spawn_local(async move {
                match client::get::<StationTickets>(&path).await {
                    Ok(t) => tickets.set(t),
                    Err(e) => report(e, error, session),
                }
            })
        }
    };
    reload();
    let live = {
        let (reload, station) = (reload.clone(), station.clone());
        use_live_events(move |event| {
            if event.station_ids.contains(&station) {
                reload();
            }
        })
    };
    let act = move |path: String| {
        let reload = reload.clone();
        spawn_local(async move {
            match client::post_empty::<Ticket>(&path).await {
                Ok(ticket) => {
                    // The answer is the ticket as it now is: shown at once, so a second
                    // tap on an item takes back what the first did, even before the
                    // reload comes in.
                    tickets.update(|t| {
                        let list = match ticket.bumped_at_ms {
                            None => &mut t.active,
                            Some(_) => &mut t.done,
                        };
                        if let Some(shown) = list.iter_mut().find(|s| s.id == ticket.id) {
                            *shown = ticket;
                        }
                    });
                    reload()
                }
                Err(e) => report(e, error, session),
            }
        });
    };
    let on_line = {
        let act = act.clone();
        Callback::new(move |(id, ready): (LineId, bool)| {
            act(if ready {
                format!("/lines/{id}/unready")
            } else {
                format!("/lines/{id}/ready")
            })
        })
    };
    let on_bump = {
        let act = act.clone();
        Callback::new(move |id: TicketId| act(format!("/tickets/{id}/bump")))
    };
    let on_recall = Callback::new(move |id: TicketId| act(format!("/tickets/{id}/recall")));

    let thresholds = move || {
        info.with(|i| {
            i.as_ref()
                .map_or((420, 900), |s| (s.warn_after_secs, s.late_after_secs))
        })
    };
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
            <section class="done" aria-label="Recently done">
                <h2>"Recently done"</h2>
                {move || cards(tickets.with(|t| t.done.clone()))}
            </section>
        </main>
    }
}
