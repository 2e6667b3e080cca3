//! "Printer Kitchen offline - 3 tickets waiting": shown on every working screen while a
//! printer is not printing, so nobody waits for paper that is not coming.

use crate::client;
use crate::live::use_live_events;
use app::api::{EventKind, PrinterStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn PrinterBanner() -> impl IntoView {
    let printers = RwSignal::new(Vec::<PrinterStatus>::new());
    let reload = move || {
        spawn_local(async move {
            // Offline the last known state stays; the live badge says we are offline.
            if let Ok(list) = client::get::<Vec<PrinterStatus>>("/printers").await {
                printers.set(list);
            }
        })
    };
    reload();
    let _connected = use_live_events(move |event| {
        if matches!(event.kind, EventKind::PrinterChanged | EventKind::OrderSent) {
            reload();
        }
    });
    move || {
        printers
            .get()
            .into_iter()
            .filter(|p| p.active && !p.online)
            .map(|p| {
                let tickets = if p.waiting == 1 { "ticket" } else { "tickets" };
                view! {
                    <div class="printer-banner" role="status">
                        {format!("Printer {} offline - {} {tickets} waiting", p.name, p.waiting)}
                    </div>
                }
            })
            .collect_view()
    }
}
