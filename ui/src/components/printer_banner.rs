//! "Kitchen printer offline · 3 to print": one line on every working screen while a
//! printer is not printing, so nobody waits for paper that is not coming. Several
//! printers down share the line ("Printers offline: Bar, Kitchen · 9 to print"), short
//! enough for a phone.

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
        let down: Vec<PrinterStatus> = printers
            .get()
            .into_iter()
            .filter(|p| p.active && !p.online)
            .collect();
        let text = banner_text(&down)?;
        let title = text.clone();
        Some(view! {
            <div class="printer-banner" role="status" title=title>{text}</div>
        })
    }
}

/// The banner's one line for the printers `down`; None when every printer prints.
fn banner_text(down: &[PrinterStatus]) -> Option<String> {
    let waiting: i64 = down.iter().map(|p| p.waiting).sum();
    let which = match down {
        [] => return None,
        [one] => format!("{} printer offline", one.name),
        many => {
            let names: Vec<&str> = many.iter().map(|p| p.name.as_str()).collect();
            format!("Printers offline: {}", names.join(", "))
        }
    };
    Some(format!("{which} · {waiting} to print"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn down(name: &str, waiting: i64) -> PrinterStatus {
        PrinterStatus {
            id: name.to_lowercase(),
            name: name.into(),
            connection: "tcp://10.0.0.9:9100".into(),
            columns: 48,
            code_page: "CP858".into(),
            has_drawer: false,
            prints_bills: false,
            supports_qr: false,
            active: true,
            station_ids: vec![],
            online: false,
            waiting,
            last_error: None,
            printed_before: true,
        }
    }

    #[test]
    fn printers_down_share_one_line() {
        assert_eq!(banner_text(&[]), None);
        assert_eq!(
            banner_text(&[down("Kitchen", 1)]).unwrap(),
            "Kitchen printer offline · 1 to print"
        );
        assert_eq!(
            banner_text(&[down("Bar", 5), down("Kitchen", 4)]).unwrap(),
            "Printers offline: Bar, Kitchen · 9 to print"
        );
    }
}
